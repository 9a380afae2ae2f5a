"""Opening workbook files: the only module here that touches the file system for reading.

Values come from python-calamine (fast, cached formula values, merged ranges, .xlsx/.xlsm/.xls).
A blank value cell that needs explaining (a formula saved without its result, an error value such as
#DIV/0!, both blank to calamine) is looked up in the sheet XML, once, only when needed.
Every failure becomes an :class:`UnreadableError` with a Chinese message naming the file.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from xladdin.core.grid import Grid
from xladdin.core.model import parse_a1
from xladdin.errors import UnreadableError, os_reason

# Refuse workbooks whose parts decompress past this size: real scoring tables are well under 5 MB.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
# ...or that compress better than this (zip bombs); real sheets compress about 5-20x.
MAX_COMPRESSION_RATIO = 200
# Rows read from one sheet. calamine's range ends at the last cell holding a value (a used range
# inflated by formatting costs nothing), so only a sheet really filled this far is cut; a cut sheet
# says so (Grid.total_rows, reported by the parser as rows-cut), never silently.
MAX_ROWS = 100_000
MAX_COLS = 200

SUPPORTED = (".xlsx", ".xlsm", ".xls")


def _is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(slots=True)
class SheetInfo:
    name: str
    visible: bool
    chart: bool = False  # a chart sheet: no cells (calamine cannot read one in an .xlsb)


# Files up to this size are read into memory once: the zip directory and the parts the reader
# looks at itself are then taken from the bytes (a scoring table is 5-50 KB).
READ_WHOLE_BYTES = 8 * 1024 * 1024


def _sniff(path: Path) -> tuple[str, bytes, bytes | None]:
    """('zip'|'ole'|'other', head, whole file or None when large), or raise UnreadableError for
    what is plainly not a workbook."""
    name = path.name
    try:
        # O_NONBLOCK: opening a FIFO named x.xlsx must not wait for a writer; what is not a regular
        # file (a FIFO, /dev/zero, a link to either) is refused before a byte is read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            data: bytes | None = None
            st = os.fstat(fd)
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                kind = "管道（FIFO）" if stat.S_ISFIFO(mode) else "设备或其他特殊文件"
                raise UnreadableError(f"“{name}”不是普通文件，而是{kind}，不是 Excel 工作簿，不予读取。",
                                      file=str(path))
            if st.st_size <= READ_WHOLE_BYTES:
                data = fh.read()
                head = data[:4096]
            else:
                head = fh.read(4096)
    except IsADirectoryError:
        raise UnreadableError(f"“{name}”是一个文件夹，不是 Excel 文件。", file=str(path)) from None
    except FileNotFoundError:
        raise UnreadableError(f"找不到文件“{path}”。", file=str(path)) from None
    except PermissionError:
        if path.is_dir():  # Windows refuses to open a folder this way
            raise UnreadableError(f"“{name}”是一个文件夹，不是 Excel 文件。", file=str(path)) from None
        raise UnreadableError(f"没有权限读取文件“{name}”。", file=str(path)) from None
    except OSError as exc:
        raise UnreadableError(f"文件“{name}”读取失败：{os_reason(exc)}", file=str(path)) from None
    if not head:
        raise UnreadableError(f"文件“{name}”是空文件（0 字节），请重新导出后提交。", file=str(path))
    if path.suffix.lower() == ".et":
        raise UnreadableError(
            f"文件“{name}”是 WPS 表格专用格式（.et），无法读取；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后重新提交。",
            file=str(path))
    if head.startswith(_ZIP_MAGIC):
        return "zip", head, data
    if head.startswith(_OLE_MAGIC):
        return "ole", head, data
    low = head[:8].lower()
    if head.startswith(b"%PDF"):
        kind = "PDF 文件"
    elif low.startswith(b"<html") or low.startswith(b"<!doc") or head.lstrip().startswith(b"<"):
        kind = "网页或 XML 文件"
    else:
        kind = "文本或其他格式的文件"
    raise UnreadableError(f"文件“{name}”不是 Excel 工作簿（看起来是{kind}，只是扩展名为 {path.suffix}）。",
                          file=str(path))


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open an .xlsx/.xlsm package and vet it (a Word file, a zip bomb); the caller closes it."""
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise UnreadableError(f"文件“{name}”已损坏（压缩包不完整，可能是下载或拷贝中断），请重新导出后提交。",
                              file=str(path)) from None
    except OSError as exc:
        raise UnreadableError(f"文件“{name}”读取失败：{os_reason(exc)}", file=str(path)) from None
    try:
        _vet_zip(path, [(i.filename, i.compress_size, i.file_size) for i in infos])
    except UnreadableError:
        zf.close()
        raise
    return zf


def _is_ods(names: set[str] | dict[str, Any]) -> bool:
    """An OpenDocument spreadsheet (LibreOffice's own format): read by calamine like a workbook."""
    return "content.xml" in names and "mimetype" in names and "xl/workbook.xml" not in names


def _vet_zip(path: Path, entries: list[tuple[str, int, int]]) -> None:
    """Refuse a Word file, a zip without a workbook and a zip bomb; entries: (name, packed, size)."""
    name = path.name
    names = {e[0] for e in entries}
    if "word/document.xml" in names:
        raise UnreadableError(f"文件“{name}”是 Word 文档，不是 Excel 工作簿。", file=str(path))
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and not _is_ods(names):
        raise UnreadableError(f"文件“{name}”不是 Excel 工作簿（压缩包里没有工作簿内容）。", file=str(path))
    total = sum(e[2] for e in entries)
    packed = sum(e[1] for e in entries) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 8 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO):
        raise UnreadableError(
            f"文件“{name}”解压后有 {total // (1024 * 1024)} MB，超过评分表的合理大小"
            f"（上限 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB），为安全起见不予读取。",
            file=str(path))


# -- a small zip reader for the common case ------------------------------------------------------
# zipfile.ZipFile costs ~0.15 ms per package (a ZipInfo per member, a file handle per read): as much
# as calamine needs for the whole sheet. Plain packages (one disk, no zip64, no prefix, deflate or
# stored, no encryption) are read from the bytes here; anything else goes to zipfile, as before.

_EOCD = b"PK\x05\x06"
_CDIR = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_ZIP64_LOCATOR = b"PK\x06\x07"


class _Member(NamedTuple):
    name: str
    method: int
    flags: int
    crc: int
    packed: int
    size: int
    offset: int


_EOCD_STRUCT = struct.Struct("<4sHHHHIIH")
_CDIR_STRUCT = struct.Struct("<4s4xHHIIIIHHH8xI")  # signature ... flags, method, time+date, crc, sizes, lengths, offset


def _zip_directory(data: bytes) -> list[_Member] | None:
    """The central directory of a plain zip package, or None to leave the package to zipfile."""
    n_data = len(data)
    end = n_data - 22
    if end < 0:
        return None
    if data[end:end + 4] != _EOCD or data[end + 20:end + 22] != b"\0\0":
        end = data.rfind(_EOCD, max(0, n_data - 22 - 65535))
        if end < 0:
            return None
    _sig, disk, cd_disk, n_here, n_all, cd_size, cd_off, comment = _EOCD_STRUCT.unpack_from(data, end)
    if (disk or cd_disk or n_here != n_all or end + 22 + comment != n_data or cd_off + cd_size != end
            or n_all == 0xFFFF or cd_off == 0xFFFFFFFF or data[end - 20:end - 16] == _ZIP64_LOCATOR):
        return None
    out: list[_Member] = []
    p = cd_off
    unpack = _CDIR_STRUCT.unpack_from
    try:
        for _ in range(n_all):
            sig, flags, method, _when, crc, packed, size, n_name, n_extra, n_comment, offset = unpack(data, p)
            if sig != _CDIR:
                return None
            raw = data[p + 46:p + 46 + n_name]
            if (0xFFFFFFFF in (packed, size, offset) or b"\0" in raw or n_extra
                    or method not in (0, 8) or flags & 0x41):  # zip64, odd names, extra fields, encryption
                return None
            try:
                name = raw.decode("ascii")  # the usual case; ASCII reads the same in cp437 and UTF-8
            except UnicodeDecodeError:
                name = raw.decode("utf-8" if flags & 0x800 else "cp437")
            out.append(_Member(name, method, flags, crc, packed, size, offset))
            p += 46 + n_name + n_extra + n_comment
    except (struct.error, UnicodeDecodeError):
        return None
    if p != end:
        return None
    return out


def _packed_member(data: bytes, m: _Member) -> bytes:
    """A member's stored bytes, after checking its local header like zipfile does."""
    if data[m.offset:m.offset + 4] != _LOCAL:
        raise zipfile.BadZipFile("bad local header")
    n_name, n_extra = struct.unpack_from("<HH", data, m.offset + 26)
    start = m.offset + 30
    if data[start:start + n_name].decode("utf-8" if m.flags & 0x800 else "cp437") != m.name:
        raise zipfile.BadZipFile("name differs")
    start += n_name + n_extra
    return data[start:start + m.packed]


def _read_member(data: bytes, m: _Member) -> bytes:
    """One member's bytes, checked like zipfile checks them (local header name, size, CRC)."""
    packed = _packed_member(data, m)
    if m.method == 0:
        body = packed
    else:
        d = zlib.decompressobj(-15)
        body = d.decompress(packed, m.size + 1)
    if len(body) != m.size or zlib.crc32(body) != m.crc:
        raise zipfile.BadZipFile("bad member")
    return body


def _is_encrypted_ole(head: bytes, path: Path, data: bytes | None = None) -> bool:
    marker = "EncryptionInfo".encode("utf-16-le")
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read(1 << 20)
        except OSError:
            return False
    return marker in data[:1 << 20] or marker in head


class Workbook:
    """An opened workbook: sheet list plus sheets as grids."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = path if isinstance(path, Path) else Path(path)
        kind, head, data = _sniff(self.path)
        name = self.path.name
        self._zip: zipfile.ZipFile | None = None
        # the package in memory and its members (the common case), else self._zip
        self._data: bytes | None = None
        self._members: dict[str, _Member] = {}
        if kind == "zip":
            members = _zip_directory(data) if data is not None else None
            if members is None:
                self._zip = _open_zip(self.path)
            else:
                _vet_zip(self.path, [(m.name, m.packed, m.size) for m in members])
                self._data = data
                self._members = {m.name: m for m in members}
            if _is_ods(self._members if members is not None else set(self._zip.namelist())):  # type: ignore[union-attr]
                kind = "ods"  # no sheet XML of Excel's to look into
        elif _is_encrypted_ole(head, self.path, data):
            raise UnreadableError(f"文件“{name}”设置了打开密码（已加密），无法读取；请取消密码后重新提交。",
                                  file=str(self.path))
        self.kind = kind
        from python_calamine import CalamineWorkbook

        try:
            # from the bytes already read: half the time of from_path (which reads the file again)
            self._wb = (CalamineWorkbook.from_path(str(self.path)) if data is None
                        else CalamineWorkbook.from_filelike(io.BytesIO(data)))
            self.sheets = [SheetInfo(m.name, str(m.visible).endswith("Visible"), str(m.typ).endswith("ChartSheet"))
                           for m in self._wb.sheets_metadata]
        except BaseException as exc:  # calamine errors, and a Rust panic (pyo3 PanicException is a BaseException)
            if _is_interrupt(exc):
                raise
            self.close_package()
            raise UnreadableError(f"文件“{name}”无法读取（文件已损坏或格式不受支持：{_short(exc)}）。",
                                  file=str(self.path)) from None
        self._formulas: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}

    def grid(self, sheet: str) -> Grid:
        try:
            s = self._wb.get_sheet_by_name(sheet)
            rows = s.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            end = s.end
            total_rows = end[0] + 1 if end else 0
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (s.merged_cell_ranges or [])]
        except BaseException as exc:  # see __init__: a panic must not escape either
            if _is_interrupt(exc):
                raise
            if "entity" in str(exc).lower():
                raise UnreadableError(
                    f"文件“{self.path.name}”的工作表“{sheet}”含有自定义 XML 实体（正常的 Excel 文件不会有，"
                    f"可能是被篡改或恶意构造的文件），为安全起见不予读取。", file=str(self.path), sheet=sheet) from None
            raise UnreadableError(f"文件“{self.path.name}”的工作表“{sheet}”无法读取（文件已损坏：{_short(exc)}）。",
                                  file=str(self.path), sheet=sheet) from None
        if rows and len(rows[0]) > MAX_COLS:
            rows = [r[:MAX_COLS] for r in rows]
        # drop trailing blank rows (a used range inflated by formatting)
        while rows and all(v == "" or v is None for v in rows[-1]):
            rows.pop()
        _replace_non_finite(rows)
        visible = next((i.visible for i in self.sheets if i.name == sheet), True)
        lookup = _SheetLookup(self, sheet) if self.kind == "zip" else None
        grid = Grid(sheet, rows, merged, visible, lookup)
        if lookup is not None:  # whether the workbook is recalculated on load: asked only when a 0 matters
            grid.zero_formulas = lambda: self._zero_formulas(sheet, lookup) if self._full_calc_on_load() else {}
        if total_rows > MAX_ROWS:
            grid.total_rows = total_rows
        return grid

    def _full_calc_on_load(self) -> bool:
        """The workbook asks for a full recalculation when opened (``<calcPr fullCalcOnLoad="1"/>``):
        what xlsxwriter and some generators write, with 0 saved as every formula's result. Remembered
        for a workbook.xml stored byte for byte as one seen before."""
        try:
            key = None
            if self._zip is None and self._data is not None:
                wb = self._members["xl/workbook.xml"]
                key = (wb[1:6], _packed_member(self._data, wb))
                known = _FULL_CALC.get(key)
                if known is not None:
                    return known
            found = _FULL_CALC_RE.search(self._read_part("xl/workbook.xml")) is not None
            if key is not None:
                if len(_FULL_CALC) >= 256:
                    _FULL_CALC.clear()
                _FULL_CALC[key] = found
            return found
        except Exception:
            return False

    def _zero_formulas(self, sheet: str, lookup: _SheetLookup) -> dict[tuple[int, int], str]:
        """Formula cells whose saved result is 0, in a workbook recalculated on load where every formula
        saved 0: a placeholder, not the result (Excel shows the recalculated value). Asked by the parser
        only when it read a 0 where a formula may stand; from then on the lookup explains them as
        formulas without results."""
        try:
            part = self._sheet_part(sheet)
            if part is None or self._part_size(part) > MAX_UNCOMPRESSED_BYTES:
                return {}
            data = self._read_part(part)
            # placeholders only when every formula of the sheet saved 0 (xlsxwriter's default): a sheet
            # with real results beside a few 0s was calculated, and its 0s are results
            n_zero = len(_ZERO_RESULT_RE.findall(data))
            if not n_zero or n_zero < len(_FORMULA_RE.findall(data)) or re.match(_PROLOG_DOCTYPE, data, re.S):
                return {}
            zeros = _zero_result_formulas(data)
        except Exception:
            return {}
        if zeros:
            cells = dict(self._scan_sheet(sheet))
            for rc, f in zeros.items():
                cells.setdefault(rc, ("formula", f))
            self._formulas[sheet] = lookup.cells = cells
        return zeros

    def _scan_sheet(self, sheet: str) -> dict[tuple[int, int], tuple[str, str]]:
        """Formulas without cached values and error values (#DIV/0!) of one .xlsx sheet.

        calamine shows both as blank cells. The sheet XML is read once, and parsed (defusedxml: no
        DTD, no entity expansion) only when it holds formulas or error cells at all.
        """
        try:
            part = self._sheet_part(sheet)
            if part is None or self._part_size(part) > MAX_UNCOMPRESSED_BYTES:
                return {}
            data = self._read_part(part)
        except Exception:  # an unreadable part only means we cannot explain blanks
            return {}
        if b"<f" not in data and b't="e"' not in data:
            return {}  # nothing to explain: the common case costs one small read
        if _values_all_saved(data):
            return {}  # formulas with saved results, no error cell: what Excel and WPS save
        try:
            return _formula_and_error_cells(data)
        except Exception:
            return {}

    def _sheet_part(self, sheet: str) -> str | None:
        """The member holding the sheet; remembered for packages whose workbook.xml and relationships
        are stored byte for byte as in one seen before (every submission made from one template)."""
        if self._zip is not None or self._data is None:
            return _sheet_part(self._read_part, sheet)
        wb = self._members["xl/workbook.xml"]
        rels = self._members.get("xl/_rels/workbook.xml.rels")
        key = (sheet, wb[1:6], _packed_member(self._data, wb),
               None if rels is None else (rels[1:6], _packed_member(self._data, rels)))
        try:
            return _SHEET_PARTS[key]
        except KeyError:
            pass
        part = _sheet_part(self._read_part, sheet)
        if len(_SHEET_PARTS) >= 256:
            _SHEET_PARTS.clear()
        _SHEET_PARTS[key] = part
        return part

    def _read_part(self, name: str) -> bytes:
        """A package member's bytes; KeyError when there is none (like ZipFile.read)."""
        if self._zip is not None:
            return self._zip.read(name)
        return _read_member(self._data, self._members[name])  # type: ignore[arg-type]

    def _part_size(self, name: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(name).file_size
        return self._members[name].size

    def core_xml(self) -> bytes | None:
        """docProps/core.xml as stored (None for .xls, or when absent or oversized): the save time
        recorded inside the workbook and the keywords, from the bytes already read."""
        try:
            if self.kind != "zip" or self._part_size(_CORE) > _MAX_CORE_BYTES:
                return None
            return self._read_part(_CORE)
        except Exception:  # noqa: BLE001 — no properties only means no saved time
            return None

    def close_package(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        self._data = None

    def close(self) -> None:
        self.close_package()
        try:
            self._wb.close()
        except Exception:
            pass

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# (sheet, workbook.xml and relationships as stored) -> the sheet's member, see Workbook._sheet_part
_SHEET_PARTS: dict[tuple[Any, ...], str | None] = {}

_CORE = "docProps/core.xml"
_MAX_CORE_BYTES = 1 << 20
_MODIFIED = re.compile(rb"<dcterms:modified\b[^<>]*>([^<]+)</dcterms:modified>")
_KEYWORDS = re.compile(rb"<cp:keywords\b[^<>]*>([^<]*)</cp:keywords>")


def saved_time(core: bytes | None) -> str | None:
    """The save time in docProps/core.xml (dcterms:modified, as written: ISO 8601 sorts by time)."""
    m = _MODIFIED.search(core) if core else None
    return m.group(1).decode("utf-8", "replace").strip() if m else None


def keywords(core: bytes | None) -> str:
    """The keywords in docProps/core.xml (xladdin marks its summaries there)."""
    m = _KEYWORDS.search(core) if core else None
    return m.group(1).decode("utf-8", "replace").strip() if m else ""


class _SheetLookup:
    """Grid.formula_at of a sheet read from an .xlsx: the sheet XML is scanned on the first call.

    ``cells`` is None until then, and {} when no blank cell of the sheet needs explaining.
    """

    __slots__ = ("_book", "_sheet", "cells")

    def __init__(self, book: Workbook, sheet: str):
        self._book = book
        self._sheet = sheet
        self.cells: dict[tuple[int, int], tuple[str, str]] | None = None

    def __call__(self, r: int, c: int) -> tuple[str, str] | None:
        cells = self.cells
        if cells is None:
            known = self._book._formulas
            cells = known.get(self._sheet)
            if cells is None:
                cells = known[self._sheet] = self._book._scan_sheet(self._sheet)
            self.cells = cells
        return cells.get((r, c))


# Linear-time patterns (a crafted workbook.xml or relationships part must not take minutes): a tag is
# found by its name and [^<>]* (which stops at the next tag), its attributes are then looked for
# inside it. A lazy [^>]*? from every "<sheet" to a far ">" was quadratic.
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^<>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^<>]*)>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')
_RID_ATTR = re.compile(rb'\br:id="([^"]*)"')
_ID_ATTR = re.compile(rb'\bId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\bTarget="([^"]*)"')


def _sheet_part(read: Callable[[str], bytes], sheet: str) -> str | None:
    """The zip member holding the named sheet (xl/workbook.xml + its relationships).

    Plain pattern matching on two small parts: no XML parser, so nothing to expand.
    """
    from html import unescape

    rid = None
    for m in _SHEET_TAG.finditer(read("xl/workbook.xml")):
        attrs = m.group(1)
        name, r = _NAME_ATTR.search(attrs), _RID_ATTR.search(attrs)
        if name is not None and r is not None and unescape(name.group(1).decode("utf-8", "replace")) == sheet:
            rid = r.group(1)
            break
    if rid is None:
        return None
    for m in _REL_TAG.finditer(read("xl/_rels/workbook.xml.rels")):
        attrs = m.group(1)
        i, target = _ID_ATTR.search(attrs), _TARGET_ATTR.search(attrs)
        if i is not None and target is not None and i.group(1) == rid:
            t = unescape(target.group(1).decode("utf-8", "replace"))
            return t.lstrip("/") if t.startswith("/") else "xl/" + t
    return None


# -- formulas without results and error values ------------------------------------------------
# A blank cell is explained from the sheet XML: a formula whose result was not saved (files written
# by scripts), or an error value (#DIV/0!). Only cells with t="e" or an <f> child can be either.

_NAME_PREFIX = rb"""(?:[^\s<>/:="']+:)?"""


def _after_f(prefix: bytes) -> bytes:
    """What follows "<f" in a formula with its result: the rest of f, a v with text, the end of c."""
    return (rb"(?:\s[^<>]*)?(?:/>|>[^<]*</" + prefix + rb"f\s*>)\s*<" + prefix + rb"v(?:\s[^<>]*)?>[^<]+</"
            + prefix + rb"v\s*>\s*</" + prefix + rb"c\s*>")


@cache
def _formula_patterns() -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Compiled on first use (not at import: `xladdin check` starts faster):

    - an f element start (no prefix) not followed by a v with text and the end of its cell;
    - with prefixes (rare: OpenXML SDK): every f start, and every f followed by a v with text.
    """
    return (re.compile(rb"<f(?=[\s/>])(?!" + _after_f(b"") + rb")"),
            re.compile(rb"<" + _NAME_PREFIX + rb"f[\s/>]"),
            re.compile(rb"<" + _NAME_PREFIX + rb"f" + _after_f(_NAME_PREFIX)))


def _values_all_saved(data: bytes) -> bool:
    """True when no cell of this sheet XML can need explaining, read from the text alone.

    That is: no attribute can have the value "e" (no "e" in quotes, no character reference), and
    every f element is followed by a v element with text and the end of its cell. Then no cell holds
    an error value or a formula without its result, so the XML parse (_formula_and_error_cells) would
    find nothing, whether the XML is well-formed or not. A sheet saved by Excel, WPS or LibreOffice
    from the template (得分 and 合计 as formulas with their results) passes.
    """
    if b'"e"' in data or b"'e'" in data or b"&#" in data:
        return False  # an error cell (t="e") may be there
    without_value, start, with_value = _formula_patterns()
    if b":f" in data:  # element names with prefixes
        return sum(1 for _ in start.finditer(data)) == sum(1 for _ in with_value.finditer(data))
    return without_value.search(data) is None


# A DOCTYPE in the prolog (after the XML declaration, processing instructions, comments, blanks).
# Atomic and possessive: no way to backtrack into it (``(?:\s+|...)*`` was exponential in the blanks).
_PROLOG_DOCTYPE = rb"(?:\xef\xbb\xbf)?(?>\s|<\?.*?\?>|<!--.*?-->)*+<!DOCTYPE"


def _formula_and_error_cells(data: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, col) -> ("formula", "=F3-G3") | ("error", "#DIV/0!") for the cells calamine shows blank.

    No DTD, so no entity can be declared or expanded: a sheet with one is refused (as defusedxml's
    forbid_dtd does), a sheet without one is parsed by the C parser of xml.etree (the pure-Python
    parser defusedxml needs costs ~3x as much). XML in an encoding whose prolog cannot be checked as
    bytes (UTF-16) still goes through defusedxml.
    """
    if not (data[:1] == b"<" or data[:1].isspace() or data.startswith(b"\xef\xbb\xbf")):
        return _formula_and_error_cells_defused(data)
    if re.match(_PROLOG_DOCTYPE, data, re.S):
        return {}
    return _cells_from_events(_end_events(data))


def _end_events(data: bytes, chunk: int = 1 << 16) -> Any:
    """("end", element) events of the C parser, as xml.etree's iterparse yields them (errors raised
    where they occur), fed in chunks so that clearing each row keeps memory bounded."""
    from xml.etree.ElementTree import XMLPullParser

    parser: XMLPullParser[Any] = XMLPullParser(events=("end",))
    for i in range(0, len(data), chunk):
        parser.feed(data[i:i + chunk])
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _formula_and_error_cells_defused(data: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    from defusedxml import ElementTree as DET

    try:
        return _cells_from_events(DET.iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True))
    except Exception:
        return {}


def _cells_from_events(events: Any) -> dict[tuple[int, int], tuple[str, str]]:
    out: dict[tuple[int, int], tuple[str, str]] = {}
    local: dict[str, str] = {}  # tag ("{namespace}local" or "local") -> local name
    for _event, el in events:
        tag = el.tag
        kind = local.get(tag)
        if kind is None:
            kind = local[tag] = tag.rsplit("}", 1)[-1]
        if kind != "c":
            if kind == "row":
                el.clear()
            continue
        ref = el.get("r")
        if not ref:
            continue
        rr, cc = parse_a1(ref)
        if rr > MAX_ROWS:
            break
        f = v = None
        for child in el:
            ctag = child.tag
            kind = local.get(ctag)
            if kind is None:
                kind = local[ctag] = ctag.rsplit("}", 1)[-1]
            if kind == "f":
                f = child.text or "（共享公式）"
            elif kind == "v":
                v = child.text
        if el.get("t") == "e" and v:
            out[(rr, cc)] = ("error", v if f is None else f"{v}（公式 ={f.lstrip('=')}）")
        elif f is not None and v in (None, ""):
            out[(rr, cc)] = ("formula", "=" + f.lstrip("="))
        el.clear()
    return out


def _replace_non_finite(rows: list[list[Any]]) -> None:
    """NaN / inf in a number cell (``<v>NaN</v>``, ``<v>1e999</v>`` in the sheet XML: no spreadsheet
    program writes them) become text, which the checks report as a bad number like any other text.
    (x − x is 0.0 for every finite float and NaN for NaN and ±inf: one test per cell, ~13 µs a table.)"""
    for row in rows:
        for v in row:
            if v.__class__ is float and v - v != 0.0:
                break
        else:
            continue
        row[:] = [("NaN" if v != v else "超出范围的数字") if v.__class__ is float and v - v != 0.0 else v
                  for v in row]


_FULL_CALC: dict[tuple[Any, ...], bool] = {}
# a formula (<f>…</f> or a shared <f …/>) followed by the saved result 0
_ZERO_RESULT_RE = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*<(?:\w+:)?v>0(?:\.0*)?</(?:\w+:)?v>")
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FULL_CALC_RE = re.compile(rb"""fullCalcOnLoad\s*=\s*["'](?:1|true)["']""")


def _zero_result_formulas(data: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> "=formula" of the formula cells whose saved result is 0."""
    out: dict[tuple[int, int], str] = {}
    for _event, el in _end_events(data):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "row":
            el.clear()
            continue
        if tag != "c":
            continue
        ref = el.get("r")
        f = v = None
        for child in el:
            ctag = child.tag.rsplit("}", 1)[-1]
            if ctag == "f":
                f = child.text or "（共享公式）"
            elif ctag == "v":
                v = child.text
        if ref and f is not None and v is not None and v.strip() in ("0", "0.0") and el.get("t") in (None, "n"):
            rr, cc = parse_a1(ref)
            if rr > MAX_ROWS:
                break
            out[(rr, cc)] = "=" + f.lstrip("=")
        el.clear()
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
