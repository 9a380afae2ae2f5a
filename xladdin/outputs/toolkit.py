"""What every workbook xladdin writes shares: text that stays text, safe sheet names, the common
colours and styles, one page setup, and the atomic save.

- :func:`xml_text` / :func:`cell_text`: the one filter for characters a workbook cannot hold (and the
  cell length Excel accepts);
- :func:`put` writes a value into an openpyxl cell so that text stays text (a unit "=1+2县档案室", a
  reason "=cmd|…" is never a formula); :func:`keep_text` does the same for cells already written;
  :func:`typed_text` is the same rule for a value typed into a live Excel workbook (xlwings);
- :func:`safe_sheet_title`: a sheet name Excel accepts;
- colours (:data:`HEADER_FILL`, :data:`ERROR_FILL`, :data:`WARNING_FILL`, :data:`OK_FILL`, …) and the
  styles built from them (:func:`solid`, :func:`box_border`);
- :func:`page_setup`: A4, orientation, one page wide, repeated header rows, margins, footer;
- :func:`save_workbook_atomically` (and :func:`remove_stale_temps`): a file is replaced whole or not at all.

openpyxl is imported inside the functions that need it: importing this module costs nothing.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from xladdin.errors import OutputError, os_reason

# -- colours (RRGGBB) shared by the writers ---------------------------------------------------------------
HEADER_FILL = "D9D9D9"  # grey: table headers
ERROR_FILL = "FFC7CE"  # light red: an error
WARNING_FILL = "FFEB9C"  # light yellow: a warning
OK_FILL = "C6EFCE"  # light green: passed
INPUT_FILL = "DDEBF7"  # light blue: cells a department fills in
TOTAL_FILL = "F2F2F2"  # light grey: a totals row
LINK_COLOR = "0563C1"  # Excel's hyperlink blue


# -- characters a workbook cannot hold ------------------------------------------------------------------
# XML 1.0 has no place for control characters, lone surrogates, U+FFFE/U+FFFF: Excel calls a file
# holding one corrupt. (Reading cleans text differently: xladdin.core.numbers.clean_text.)
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # Excel's limit on the characters of one cell


def xml_text(value: str) -> str:
    """Text without the characters a workbook cannot store (notes, sheet names, cell text)."""
    return ILLEGAL_XML.sub("", value)


def cell_text(value: str) -> str:
    """Text a cell can hold: :func:`xml_text`, cut to Excel's 32,767 characters (ending in "…")."""
    value = ILLEGAL_XML.sub("", value)
    return value if len(value) <= MAX_CELL_TEXT else value[: MAX_CELL_TEXT - 1] + "…"


# -- text stays text ------------------------------------------------------------------------------------
# A string that starts with one of these would be a formula if Excel parsed it (openpyxl makes one of
# "=…" only; the others are listed so the rule reads the same for every writer).
FORMULA_START = ("=", "+", "-", "@")


def put(cell: Any, value: object) -> Any:
    """Write ``value`` into an openpyxl cell; a string is cleaned (:func:`cell_text`) and typed as text,
    so text from a submission, a framework file or the command line is never written as a formula.
    Returns the cell. Formulas we mean are assigned directly (``cell.value = "=SUM(…)"``)."""
    if isinstance(value, str):
        value = cell_text(value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"
    else:
        cell.value = value
    return cell


def keep_text(ws: Any, max_row: int | None = None) -> None:
    """Type as text every string cell already written (rows 1..``max_row``) that openpyxl took for a formula."""
    for row in ws.iter_rows(min_row=1, max_row=max_row):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def typed_text(value: object) -> object:
    """The same rule for a value typed into a live Excel workbook (xlwings): Excel parses a string as if
    typed, so "=…", "+…", "-…", "@…" would become formulas, "1-3" a date, "00123" a number. A leading
    apostrophe keeps it the text it is (Excel neither shows nor returns it)."""
    return "'" + value if isinstance(value, str) and value else value


# -- sheet names ----------------------------------------------------------------------------------------
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31


def safe_sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, no leading or trailing
    apostrophe, not "History", and distinct (ignoring case) from the names in ``taken``."""
    title = _SHEET_TITLE_BAD.sub("_", xml_text(str(name))).strip("'").strip() or "Sheet"
    if title.lower() == "history":
        title += "_"
    title = title[:MAX_SHEET_TITLE].rstrip("'")
    used = {t.lower() for t in taken}
    base, k = title, 1
    while title.lower() in used:
        k += 1
        tail = f"({k})"
        title = base[:MAX_SHEET_TITLE - len(tail)] + tail
    return title


def quoted_sheet(name: str) -> str:
    """A sheet name as a formula or link refers to it: 'My ''Sheet'''."""
    return "'" + name.replace("'", "''") + "'"


# -- styles ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def solid(color: str, *, conditional: bool = False) -> Any:
    """A solid PatternFill of ``color`` (RRGGBB); ``conditional``: also as background colour, as a
    conditional format needs it. Cached: openpyxl styles are values, shared freely."""
    from openpyxl.styles import PatternFill

    if conditional:
        return PatternFill("solid", fgColor=color, bgColor=color)
    return PatternFill("solid", fgColor=color)


@lru_cache(maxsize=8)
def box_border(color: str = "000000") -> Any:
    """Thin lines on all four sides."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color=color)
    return Border(left=thin, right=thin, top=thin, bottom=thin)


@lru_cache(maxsize=8)
def underline_border(color: str = "000000") -> Any:
    """A thin line under the cell (a field to fill in)."""
    from openpyxl.styles import Border, Side

    return Border(bottom=Side(style="thin", color=color))


# -- printing -------------------------------------------------------------------------------------------
PAPER_A4 = "9"  # the paper-size code of A4 in a workbook's page setup
A4_LANDSCAPE_PT = (841.9, 595.3)  # width, height in points
MIN_PRINT_SCALE = 0.75  # below this a printed page is too small to read at arm's length
# Side and top/bottom margins (inches) unless given; the header and footer sit this far from the edge.
# LibreOffice makes the header/footer band the margin minus this distance: 0.75 − 0.3 holds one line
# of 10–14 pt text whole (0.6 − 0.5 cut the footer in half).
DEFAULT_MARGINS = (0.4, 0.75)
HEADER_FOOTER_MARGIN = 0.3
PAGE_NUMBERS = "第 &P 页，共 &N 页"


def header_text(text: str) -> str:
    """Text for a page header/footer: "&" doubled (a lone "&" starts a code such as &P)."""
    return xml_text(text).replace("&", "&&")


def page_setup(ws: Any, *, landscape: bool = True, fit_width: bool = True, title_rows: str | None = None,
               print_area: str | None = None, margins: tuple[float, float] | None = None,
               footer: str | None = None, center: bool = False, title: str | None = None,
               print_date: bool = False, scale: int | None = None) -> None:
    """A4, ``landscape`` or portrait, scaled to one page wide (``fit_width``; as many pages down as
    needed) or to a fixed ``scale`` (percent), ``title_rows`` ("4:4") repeated on every page, optional
    print area, side/top-bottom ``margins`` in inches (default :data:`DEFAULT_MARGINS`), centre
    ``footer`` (e.g. :data:`PAGE_NUMBERS`), horizontally ``center``\\ed; ``title`` (plain text) printed
    bold at the top of every page, ``print_date`` at its right."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPER_A4  # a write-only sheet has no PAPERSIZE_A4
    if scale is not None:
        ws.page_setup.scale = scale
    elif fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if print_area:
        ws.print_area = print_area
    side, top = margins if margins is not None else DEFAULT_MARGINS
    ws.page_margins.left = ws.page_margins.right = side
    ws.page_margins.top = ws.page_margins.bottom = top
    ws.page_margins.header = ws.page_margins.footer = HEADER_FOOTER_MARGIN
    if footer:
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.size = 9
    if title:
        ws.oddHeader.center.text = header_text(title)
        ws.oddHeader.center.size = 12
        ws.oddHeader.center.font = "-,Bold"
    if print_date:
        ws.oddHeader.right.text = "打印日期：&D"
        ws.oddHeader.right.size = 9
    if center:
        ws.print_options.horizontalCentered = True


# -- column widths and row heights from the content ------------------------------------------------------
# Widths are in Excel's character units (the width of "0" in the default font); a CJK character (and any
# other East Asian wide or full-width character) takes about two.

@lru_cache(maxsize=65536)
def text_width(text: str) -> int:
    """The width of ``text`` in character units: wide (CJK, full-width) characters count double;
    for text of several lines, the widest line."""
    import unicodedata

    if "\n" in text:
        return max(map(text_width, text.split("\n")))
    if text.isascii():
        return len(text)
    ea = unicodedata.east_asian_width
    return sum(2 if ea(ch) in ("W", "F") else 1 for ch in text)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def column_width(values: Iterable[Any], header: str = "", *, lo: float = 4, hi: float = 60,
                 header_lines: int = 2) -> float:
    """A column width that shows the widest value (and the header on at most ``header_lines`` lines),
    between ``lo`` and ``hi``; None and "" are skipped. Give distinct values where a column repeats."""
    widest = max((text_width(v if isinstance(v, str) else _shown(v)) for v in values if v is not None and v != ""),
                 default=0)
    head = -(-text_width(header) // header_lines) if header else 0
    return float(min(hi, max(lo, widest + 2, head + 2)))


def wrapped_lines(text: str | None, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a little pessimistic:
    words are broken where they will not fit)."""
    if not text:
        return 1
    room = max(1.0, width - 1.5)
    return sum(max(1, -(-text_width(line) // int(room))) for line in text.split("\n"))


LINE_HEIGHT = 15.0  # points: one line of 11 pt text


def row_height(lines: int) -> float:
    """The height (points) of a row showing ``lines`` lines of wrapped text."""
    return LINE_HEIGHT * lines + (3 if lines > 1 else 0)


def printed_width(widths: Iterable[float]) -> float:
    """Columns of these widths (character units), in points on paper at 100%."""
    return sum((w * 7 + 5) * 0.75 for w in widths)


def fit_scale(widths: Iterable[float], *, landscape: bool = True, margins: tuple[float, float] | None = None) -> float:
    """The scale "fit to one page wide" gives columns of these widths on A4 (at most 1.0)."""
    side = (margins or DEFAULT_MARGINS)[0]
    page = A4_LANDSCAPE_PT[0] if landscape else A4_LANDSCAPE_PT[1]
    return min(1.0, (page - 2 * side * 72) / printed_width(widths))


# -- the atomic save ------------------------------------------------------------------------------------
# Temporary files are written beside the target (a rename is atomic only within one file system) and
# named ``.~xladdin-<pid>@<host>-<random>.xlsx``: hidden on Linux/macOS, passed over when a folder is
# consolidated, and recognisable afterwards. A run killed outright (SIGKILL, power cut) cannot remove
# its own, so every save first removes the stale ones in its folder: those of a process of this
# computer that no longer runs, and any older than a day. On Windows a temporary file is held open
# while it is written, so one that can be removed is not being written.
TEMP_PREFIX = ".~xladdin-"
STALE_TEMP_SECONDS = 24 * 3600
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)@([A-Za-z0-9]*)-")


def _host_tag() -> str:
    import socket

    try:
        return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:20]
    except OSError:
        return ""


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # POSIX only: on Windows os.kill would end the process
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs under another user
        return True
    return True


def _is_stale(name: str, mtime: float, host: str, now: float) -> bool:
    if os.name == "nt":
        return True  # one still being written is open, and Windows refuses to remove it
    if now - mtime > STALE_TEMP_SECONDS:
        return True
    m = _TEMP_NAME.match(name)
    return m is not None and m.group(2) == host and not _pid_alive(int(m.group(1)))


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[str]:
    """Remove temporary files that earlier xladdin runs left in ``folder``; returns their names."""
    removed: list[str] = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX))
    except OSError:
        return removed
    host, now = _host_tag(), time.time()
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        if _is_stale(name, st.st_mtime, host, now):
            try:
                os.remove(path)
            except OSError:
                continue
            removed.append(name)
    return removed


# -- never overwriting what is not ours ---------------------------------------------------------------
# An output may replace only the same command's own earlier output (recognised by what xladdin writes
# into docProps/core.xml), an empty file, or anything when the user says --force.

def core_properties_text(path: str | os.PathLike[str]) -> str | None:
    """docProps/core.xml of a workbook package as text, or None (not a zip, no such part, unreadable)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 1 << 20:
                return None
            return zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return None


def has_marker(path: str | os.PathLike[str], marker: str) -> bool:
    """True when the workbook's keywords carry ``marker`` (how xladdin marks the files it writes)."""
    core = core_properties_text(path)
    return core is not None and marker in core


def refuse_overwrite(out: str | os.PathLike[str], what: str, own: Callable[[Path], bool], *,
                     force: bool = False) -> None:
    """Raise OutputError when ``out`` exists and is not this command's own earlier output (``own``).

    A folder, a FIFO or a device is never written over; an empty file may be; ``force`` allows the rest.
    """
    import stat

    out = Path(out)
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"无法检查输出文件“{out.name}”：{os_reason(exc)}。", file=str(out)) from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"“{out}”是一个文件夹；请给出{what}的文件名。", file=str(out))
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"“{out.name}”不是普通文件（是管道或设备），不能写入{what}。", file=str(out))
    if force or st.st_size == 0 or own(out):
        return
    raise OutputError(
        f"“{out.name}”已经存在，而且不是 xladdin 之前生成的{what}；为避免覆盖别人的文件（报送的评分表、汇总表、"
        f"指标体系等），请换一个输出文件名或先把它移走。确需覆盖，请加 --force。原文件未改动。", file=str(out))


def refuse_suffix(out: str | os.PathLike[str], allowed: Sequence[str], what: str) -> None:
    """Raise OutputError when ``out``'s suffix is not one of ``allowed`` (what is written must match
    its name: Excel refuses an .xlsx package named .xlsm, and .csv/.xls would be mislabelled)."""
    out = Path(out)
    if not out.name.strip():
        raise OutputError(f"没有给出{what}的文件名。", file=str(out))
    if out.suffix.lower() not in allowed:
        shown = "、".join(allowed)
        raise OutputError(f"{what}是 {shown} 工作簿，文件名应以 {shown} 结尾（现在是“{out.name}”），"
                          f"请改一下输出文件名。", file=str(out))


def save_workbook_atomically(wb: Any, out: str | os.PathLike[str]) -> None:
    """Save ``wb`` (anything with ``save(path)``) through a temporary file in the target folder, then
    rename it into place.

    If the target is locked (open in Excel) or the folder is missing/not writable, raise OutputError
    and leave any old file intact; no temporary file is left behind. Stale temporary files of
    earlier, killed runs are removed first.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它或换一个位置。", file=str(out))
    remove_stale_temps(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}@{_host_tag()}-", suffix=out.suffix or ".xlsx",
                                   dir=folder)
    except OSError as exc:
        raise OutputError(f"无法在“{folder}”中写文件（{os_reason(exc)}），请换一个有写权限的位置。",
                          file=str(out)) from None
    try:
        try:
            wb.save(tmp)  # by name, while ``fd`` stays open (see TEMP_PREFIX)
        except OSError as exc:  # disk full, quota, a network drive gone
            raise OutputError(f"保存“{out.name}”失败：{os_reason(exc)}。原文件未改动。", file=str(out)) from None
        _usual_mode(tmp, out)
        os.close(fd)
        fd = -1
        try:
            os.replace(tmp, out)
        except PermissionError:
            raise OutputError(f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。原文件未改动。",
                              file=str(out)) from None
        except OSError as exc:
            raise OutputError(f"无法写入“{out.name}”：{os_reason(exc)}。原文件未改动。", file=str(out)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if os.path.exists(tmp):
            try:
                os.remove(tmp)
            except OSError:
                pass


def _usual_mode(tmp: str, out: Path) -> None:
    """mkstemp makes the file private (0600): give it the replaced file's mode, or the umask default."""
    try:
        mode = os.stat(out).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


__all__ = [
    "ERROR_FILL",
    "FORMULA_START",
    "HEADER_FILL",
    "ILLEGAL_XML",
    "INPUT_FILL",
    "LINK_COLOR",
    "MAX_CELL_TEXT",
    "MAX_SHEET_TITLE",
    "OK_FILL",
    "STALE_TEMP_SECONDS",
    "TEMP_PREFIX",
    "TOTAL_FILL",
    "WARNING_FILL",
    "A4_LANDSCAPE_PT",
    "DEFAULT_MARGINS",
    "MIN_PRINT_SCALE",
    "PAGE_NUMBERS",
    "box_border",
    "cell_text",
    "column_width",
    "fit_scale",
    "header_text",
    "printed_width",
    "row_height",
    "text_width",
    "wrapped_lines",
    "keep_text",
    "page_setup",
    "put",
    "quoted_sheet",
    "refuse_overwrite",
    "refuse_suffix",
    "has_marker",
    "core_properties_text",
    "remove_stale_temps",
    "safe_sheet_title",
    "save_workbook_atomically",
    "solid",
    "typed_text",
    "underline_border",
    "xml_text",
]
