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
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import NotScoringTableError, UnreadableError
from ._grid import Grid
from ._model import Table, parse_a1
from ._parse import parse_grid

# Refuse workbooks whose parts decompress past this size: real scoring tables are well under 5 MB.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
# ...or that compress better than this (zip bombs); real sheets compress about 5-20x.
MAX_COMPRESSION_RATIO = 200
# A used range this tall is formatting, not data: read at most this many rows.
MAX_ROWS = 5000
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


def _sniff(path: Path) -> tuple[str, bytes]:
    """('zip'|'ole'|'other', head) or raise UnreadableError for what is plainly not a workbook."""
    name = path.name
    if path.is_dir():
        raise UnreadableError(f"“{name}”是一个文件夹，不是 Excel 文件。", file=str(path))
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise UnreadableError(f"找不到文件“{path}”。", file=str(path)) from None
    except PermissionError:
        raise UnreadableError(f"没有权限读取文件“{name}”。", file=str(path)) from None
    except OSError as exc:
        raise UnreadableError(f"文件“{name}”读取失败：{exc.strerror or exc}", file=str(path)) from None
    if not head:
        raise UnreadableError(f"文件“{name}”是空文件（0 字节），请重新导出后提交。", file=str(path))
    if path.suffix.lower() == ".et":
        raise UnreadableError(
            f"文件“{name}”是 WPS 表格专用格式（.et），无法读取；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后重新提交。",
            file=str(path))
    if head.startswith(_ZIP_MAGIC):
        return "zip", head
    if head.startswith(_OLE_MAGIC):
        return "ole", head
    low = head[:8].lower()
    if head.startswith(b"%PDF"):
        kind = "PDF 文件"
    elif low.startswith(b"<html") or low.startswith(b"<!doc") or head.lstrip().startswith(b"<"):
        kind = "网页或 XML 文件"
    else:
        kind = "文本或其他格式的文件"
    raise UnreadableError(f"文件“{name}”不是 Excel 工作簿（看起来是{kind}，只是扩展名为 {path.suffix}）。", file=str(path))


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open an .xlsx/.xlsm package and vet it (a Word file, a zip bomb); the caller closes it."""
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
        names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise UnreadableError(f"文件“{name}”已损坏（压缩包不完整，可能是下载或拷贝中断），请重新导出后提交。",
                              file=str(path)) from None
    except OSError as exc:
        raise UnreadableError(f"文件“{name}”读取失败：{exc}", file=str(path)) from None
    if "word/document.xml" in names:
        zf.close()
        raise UnreadableError(f"文件“{name}”是 Word 文档，不是 Excel 工作簿。", file=str(path))
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        zf.close()
        raise UnreadableError(f"文件“{name}”不是 Excel 工作簿（压缩包里没有工作簿内容）。", file=str(path))
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 8 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO):
        zf.close()
        raise UnreadableError(
            f"文件“{name}”解压后有 {total // (1024 * 1024)} MB，超过评分表的合理大小"
            f"（上限 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB），为安全起见不予读取。",
            file=str(path))
    return zf


def _is_encrypted_ole(head: bytes, path: Path) -> bool:
    marker = "EncryptionInfo".encode("utf-16-le")
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
    except OSError:
        return False
    return marker in data or marker in head


class Workbook:
    """An opened workbook: sheet list plus sheets as grids."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        kind, head = _sniff(self.path)
        name = self.path.name
        self._zip: zipfile.ZipFile | None = None
        if kind == "zip":
            self._zip = _open_zip(self.path)
        elif _is_encrypted_ole(head, self.path):
            raise UnreadableError(f"文件“{name}”设置了打开密码（已加密），无法读取；请取消密码后重新提交。",
                                  file=str(self.path))
        self.kind = kind
        from python_calamine import CalamineWorkbook

        try:
            self._wb = CalamineWorkbook.from_path(str(self.path))
            self.sheets = [SheetInfo(m.name, str(m.visible).endswith("Visible")) for m in self._wb.sheets_metadata]
        except BaseException as exc:  # calamine errors, and a Rust panic (pyo3 PanicException is a BaseException)
            if _is_interrupt(exc):
                raise
            if self._zip is not None:
                self._zip.close()
            raise UnreadableError(f"文件“{name}”无法读取（文件已损坏或格式不受支持：{_short(exc)}）。",
                                  file=str(self.path)) from None
        self._formulas: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}

    def grid(self, sheet: str) -> Grid:
        try:
            s = self._wb.get_sheet_by_name(sheet)
            rows = s.to_python(skip_empty_area=False, nrows=MAX_ROWS)
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
        visible = next((i.visible for i in self.sheets if i.name == sheet), True)
        lookup = self._formula_lookup(sheet) if self.kind == "zip" else None
        return Grid(sheet, rows, merged, visible, lookup)

    def _formula_lookup(self, sheet: str):
        def lookup(r: int, c: int) -> tuple[str, str] | None:
            if sheet not in self._formulas:
                self._formulas[sheet] = self._scan_sheet(sheet)
            return self._formulas[sheet].get((r, c))

        return lookup

    def _scan_sheet(self, sheet: str) -> dict[tuple[int, int], tuple[str, str]]:
        """Formulas without cached values and error values (#DIV/0!) of one .xlsx sheet.

        calamine shows both as blank cells. The sheet XML is read once, and parsed (defusedxml: no
        DTD, no entity expansion) only when it holds formulas or error cells at all.
        """
        try:
            zf = self._zip
            if zf is None:
                return {}
            part = _sheet_part(zf, sheet)
            if part is None or zf.getinfo(part).file_size > MAX_UNCOMPRESSED_BYTES:
                return {}
            data = zf.read(part)
        except Exception:  # an unreadable part only means we cannot explain blanks
            return {}
        if b"<f" not in data and b't="e"' not in data:
            return {}  # nothing to explain: the common case costs one small read
        try:
            return _formula_and_error_cells(data)
        except Exception:
            return {}

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        try:
            self._wb.close()
        except Exception:
            pass

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"|<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL_RE = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?(?:\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|\bTarget="([^"]*)"[^>]*?\bId="([^"]*)")')


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the named sheet (xl/workbook.xml + its relationships).

    Plain pattern matching on two small parts: no XML parser, so nothing to expand.
    """
    from html import unescape

    rid = None
    for m in _SHEET_RE.finditer(zf.read("xl/workbook.xml")):
        name, r = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        if unescape(name.decode("utf-8", "replace")) == sheet:
            rid = r
            break
    if rid is None:
        return None
    for m in _REL_RE.finditer(zf.read("xl/_rels/workbook.xml.rels")):
        i, target = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        if i == rid:
            t = unescape(target.decode("utf-8", "replace"))
            return t.lstrip("/") if t.startswith("/") else "xl/" + t
    return None


def _formula_and_error_cells(data: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    from defusedxml import ElementTree as DET

    out: dict[tuple[int, int], tuple[str, str]] = {}
    for _event, el in DET.iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "row":
            el.clear()
            continue
        if tag != "c":
            continue
        ref = el.get("r")
        if not ref:
            continue
        rr, cc = parse_a1(ref)
        if rr > MAX_ROWS:
            break
        f = v = None
        for child in el:
            ctag = child.tag.rsplit("}", 1)[-1]
            if ctag == "f":
                f = child.text or "（共享公式）"
            elif ctag == "v":
                v = child.text
        if el.get("t") == "e" and v:
            out[(rr, cc)] = ("error", v if f is None else f"{v}（公式 ={f.lstrip('=')}）")
        elif f is not None and v in (None, ""):
            out[(rr, cc)] = ("formula", "=" + f.lstrip("="))
        el.clear()
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def read_table(path: str | os.PathLike[str], sheet: str | None = None) -> Table:
    """Read the scoring table of a workbook file.

    Picks the first visible sheet that holds a scoring table unless ``sheet`` names one.
    Raises UnreadableError / NotScoringTableError (both InputError) with Chinese messages.
    """
    p = Path(path)
    with Workbook(p) as wb:
        names = [s.name for s in wb.sheets]
        if sheet is not None:
            if sheet not in names:
                raise NotScoringTableError(
                    f"文件“{p.name}”中没有名为“{sheet}”的工作表；现有工作表：{'、'.join(names)}。", file=str(p), sheet=sheet)
            candidates = [sheet]
        else:
            candidates = [s.name for s in wb.sheets if s.visible]
        for name in candidates:
            table = parse_grid(wb.grid(name))
            if table is not None:
                table.file = str(p)
                return table
        if sheet is not None:
            raise NotScoringTableError(
                f"文件“{p.name}”的工作表“{sheet}”里找不到评分表（没有“一级指标”“分值”“得分”等表头）。",
                file=str(p), sheet=sheet)
        hidden = [s.name for s in wb.sheets if not s.visible]
        extra = f"（隐藏的工作表未检查：{'、'.join(hidden)}；可用 --sheet 指定）" if hidden else ""
        raise NotScoringTableError(
            f"文件“{p.name}”里找不到评分表：各工作表都没有“一级指标”“分值”“得分”等表头{extra}。", file=str(p))
