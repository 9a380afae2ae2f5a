"""The Excel adapter (xlwings): worksheet functions (UDFs) and the 校验 / 汇总 buttons.

This is the only module that imports xlwings. Everything here is a thin shell around the engine:
the UDFs build a :class:`~xladdin.core.grid.Grid` from the values Excel passes and run the same parser
and checks as ``xladdin check``; the 校验 button reads the live sheet the same way and applies the same
annotation plan as ``check --annotate`` (through :class:`LiveTarget` instead of openpyxl); the 汇总
button runs the same consolidation as ``xladdin consolidate``.

Worksheet functions (ASCII names; the data stays Chinese):

- ``=XL_GRADE(总得分, [分档])``   -> 优/良/中/差 (default bands 财预〔2020〕10号, or e.g. "90:优,80:良,60:中,0:差")
- ``=XL_TOTAL(表格区域)``         -> the total score the engine computes for a selected scoring table
- ``=XL_CHECK(表格区域)``         -> an array 单元格｜级别｜说明 of every issue, or "通过" (spills on Excel
  365/2021; Excel 2010–2019 shows it only as an array formula, Ctrl+Shift+Enter over a range)
- ``=XL_CHECK(表格区域, n)``      -> one cell: the n-th issue as text ("" after the last): fill down, any Excel
- ``=XL_SUMMARY(表格区域)``       -> a two-column array: 分值合计, 扣分合计, 总得分, 等级, 错误数, 警告数
- ``=XL_SUMMARY(表格区域, "总得分")`` -> one cell: that figure (any Excel)

Buttons (``RunPython`` entry points, see ``xladdin/excel/vba/xladdin.bas``): :func:`check_button`,
:func:`consolidate_button`.

The live-workbook surface is kept small on purpose (the tests drive it through a test double):
``Book``: ``sheets`` (iterate, ``[name]``, ``active``, ``add(name, after=)``), ``names[name]``
(``refers_to_range`` or ``refers_to``),
``fullname``, ``app`` (``alert``, ``status_bar``, ``books.open``); ``Sheet``: ``name``, ``visible``,
``used_range.last_cell.row/column``, ``range(a, b)``, ``clear()``, ``activate()``, ``api`` (only
``ProtectContents``/``Unprotect("")``/``Protect(...)``: ``Unprotect()`` without a password would make Excel
prompt for one); ``Range``: ``options(...).value``, ``value``, ``color``,
``note`` (``text``, ``delete()``), ``add_note(text)``, ``number_format``, ``column_width``, ``font.bold``,
``font.size``, ``wrap_text``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import xlwings as xw

from xladdin.core.defaults import DEFAULT_TIMEOUT
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.grid import Grid
from xladdin.core.numbers import parse_number
from xladdin.core.report import Report
from xladdin.engine import evaluate, read_companions
from xladdin.errors import XladdinError
from xladdin.kinds import parse_any
from xladdin.kinds.department.parse import HEADER_SCAN_ROWS
from xladdin.outputs.annotate import (
    MESSAGE_COL,
    RECORD_COL,
    RECORD_HEADER,
    RESULT_SHEET,
    RESULT_WIDTHS,
    TEXT_COLS,
    Marked,
    Plan,
    apply_marks,
    plan,
    read_record,
    result_grid,
)
from xladdin.outputs.measured_sheet import MEASURED_SHEET, OWN_SHEET, measured_grid, sheet_name
from xladdin.outputs.template import CONF_SHEET, FOLDER_NAME, OUTPUT_NAME, SUMMARY_SHEET
from xladdin.outputs.toolkit import typed_text

CATEGORY = "xladdin 预算绩效评价"
PASS = "通过"
NO_TABLE = ("未找到评分表：所选区域应包含表头行（一级指标、分值、二级指标……扣分、得分）和下面的指标行；"
            f"表头须在工作表的前 {HEADER_SCAN_ROWS} 行内。")
SKIP_SHEETS = (RESULT_SHEET, SUMMARY_SHEET, CONF_SHEET, MEASURED_SHEET, OWN_SHEET)


# -- from what Excel passes to the engine ------------------------------------------------------------

def _rows(values) -> list[list]:
    """Excel passes a 2-D list for a range (None for blanks, floats for numbers); be lenient with a
    scalar or a 1-D list (a single cell / a single row read without ndim=2)."""
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        return [[values]]
    if values and not isinstance(values[0], (list, tuple)):
        return [list(values)]
    return [list(r) for r in values]


def grid_from_values(values, name: str = "所选区域", origin: tuple[int, int] = (0, 0)) -> Grid:
    """A Grid whose cell addresses are the sheet's: the values are placed at ``origin`` (0-based row, col)."""
    rows = _rows(values)
    r0, c0 = origin
    if c0:
        rows = [[None] * c0 + row for row in rows]
    if r0:
        rows = [[] for _ in range(r0)] + rows
    return Grid(name, rows)


def report_from_values(values, name: str = "所选区域", origin: tuple[int, int] = (0, 0),
                       grading: Grading = DEFAULT_GRADING) -> Report | None:
    table = parse_any(grid_from_values(values, name, origin))  # either kind of table
    if table is None:
        return None
    return evaluate(table, grading)


def _range_input(table) -> tuple[list[list], tuple[int, int], str]:
    """(values, origin, sheet name) from an xlwings Range, or from the plain 2-D list a test passes."""
    if hasattr(table, "options") and hasattr(table, "row"):
        values = table.options(ndim=2, empty=None, err_to_str=True).value
        try:
            name = table.sheet.name
        except Exception:  # noqa: BLE001 — pragma: no cover - defensive: a range without a sheet
            name = "所选区域"
        return _rows(values), (table.row - 1, table.column - 1), name
    return _rows(table), (0, 0), "所选区域"


def _grading(bands) -> Grading:
    if bands is None or (isinstance(bands, str) and not bands.strip()):
        return DEFAULT_GRADING
    return Grading.parse(str(bands))


# -- worksheet functions ------------------------------------------------------------------------------
# No type annotations on UDF parameters: xlwings would read them as converters.

@xw.func(category=CATEGORY)
@xw.arg("score", doc="总得分（数字或含数字的单元格）")
@xw.arg("bands", doc="可选：等级分档，如 \"90:优,80:良,60:中,0:差\"；省略时按财预〔2020〕10号")
def XL_GRADE(score, bands=None):
    """按总得分给出评价等级（优/良/中/差）。"""
    if isinstance(score, (list, tuple)):
        return "请只选择一个单元格（总得分）"
    p = parse_number(score)
    if p.kind == "blank":
        return ""
    if not p.is_number:
        return f"总得分应为数字（现在是“{score}”）"
    try:
        return _grading(bands).grade(p.value)
    except XladdinError as exc:
        return exc.message


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, empty=None, err_to_str=True, doc="整张评分表的区域（含表头行），如 A4:J46")
def XL_TOTAL(table):
    """计算所选评分表的总得分（与“校验”和命令行 xladdin check 的算法相同）。"""
    report = report_from_values(table)
    if report is None:
        return NO_TABLE
    return report.total_score


def _index(n) -> int | None:
    """The optional n of XL_CHECK: None when omitted, else a whole number >= 1 (0 when it is not one)."""
    if n is None or (isinstance(n, str) and not n.strip()):
        return None
    p = parse_number(n)
    if not p.is_number or p.value is None or p.value < 1 or p.value != int(p.value):
        return 0
    return int(p.value)


@xw.func(category=CATEGORY)
@xw.arg("table", "range", doc="整张评分表的区域（含表头行），如 A4:J46")
@xw.arg("n", doc="可选：只要第 n 个问题（一个单元格，各版本 Excel 都可用，向下填充 1、2、3……）")
def XL_CHECK(table, n=None):
    """校验所选评分表，列出每个问题：单元格、级别、说明；没有问题时返回“通过”。给出 n 时只返回第 n 个问题。"""
    values, origin, name = _range_input(table)
    report = report_from_values(values, name, origin)
    if report is None:
        return NO_TABLE
    k = _index(n)
    if k == 0:
        return "第二个参数应为 1、2、3……（第几个问题）"
    rows = [[issue.cell or "", "错误" if issue.severity == "error" else "警告", issue.message]
            for issue in report.issues]
    if k is not None:
        if not rows:
            return PASS if k == 1 else ""
        return "｜".join(str(v) for v in rows[k - 1]) if k <= len(rows) else ""
    if not rows:
        return PASS
    return [["单元格", "级别", "说明"], *rows]


SUMMARY_ITEMS = ("分值合计", "扣分合计", "总得分", "等级", "错误数", "警告数")


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, empty=None, err_to_str=True, doc="整张评分表的区域（含表头行），如 A4:J46")
@xw.arg("item", doc="可选：只要一项（" + "、".join(SUMMARY_ITEMS) + "），返回一个单元格")
def XL_SUMMARY(table, item=None):
    """所选评分表的汇总数字：分值合计、扣分合计、总得分、等级、错误数、警告数（两列）；给出项目名时只返回该项。"""
    report = report_from_values(table)
    if report is None:
        return NO_TABLE
    f = report.figures
    rows = [["分值合计", f.total_weight if f.total_weight is not None else "（无法计算）"],
            ["扣分合计", f.total_deduction],
            ["总得分", f.total_score],
            ["等级", f.grade or ""],
            ["错误数", len(report.errors)],
            ["警告数", len(report.warnings)]]
    if item is None or (isinstance(item, str) and not item.strip()):
        return rows
    for label, value in rows:
        if str(item).strip() == label:
            return value
    return "第二个参数应为其中一项：" + "、".join(SUMMARY_ITEMS)


# -- the live workbook -----------------------------------------------------------------------------

def _hex(rgb) -> str | None:
    if rgb is None:
        return None
    if isinstance(rgb, str):
        return rgb.lstrip("#").upper()[-6:]
    r, g, b = rgb
    return f"{int(r):02X}{int(g):02X}{int(b):02X}"


def _rgb(hex_fill: str | None):
    if not hex_fill or len(hex_fill) != 6:
        return None
    try:
        return tuple(int(hex_fill[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None


class LiveTarget:
    """MarkTarget over a live xlwings Book: the same clear/mark algorithm as the file sink."""

    def __init__(self, book):
        self.book = book

    def has_sheet(self, sheet: str) -> bool:
        return sheet in [s.name for s in self.book.sheets]

    def _rng(self, sheet: str, cell: str):
        return self.book.sheets[sheet].range(cell)

    def get_fill(self, sheet: str, cell: str) -> str | None:
        return _hex(self._rng(sheet, cell).color)

    def set_fill(self, sheet: str, cell: str, fill: str | None) -> None:
        self._rng(sheet, cell).color = _rgb(fill)

    def get_note(self, sheet: str, cell: str) -> str | None:
        note = self._rng(sheet, cell).note
        return None if note is None else note.text

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        rng = self._rng(sheet, cell)
        note = rng.note
        if not text:
            if note is not None:
                note.delete()
            return
        if note is not None:
            note.text = text
        else:
            rng.add_note(text)


def _used_values(sheet) -> list[list]:
    last = sheet.used_range.last_cell
    value = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, empty=None, err_to_str=True).value
    return _rows(value)


def find_scoring_sheet(book, grading: Grading = DEFAULT_GRADING):
    """(sheet, Report) for the active sheet if it holds a scoring table, else the first visible one that does."""
    sheets = list(book.sheets)
    try:
        active = book.sheets.active
    except Exception:  # noqa: BLE001 — pragma: no cover - no active sheet
        active = None
    order = ([active] if active is not None else []) + [s for s in sheets if active is None or s.name != active.name]
    for sheet in order:
        if sheet.name in SKIP_SHEETS or not sheet.visible:
            continue
        table = parse_any(Grid(sheet.name, _used_values(sheet)))  # either kind of table
        if table is not None:
            table.file = getattr(book, "fullname", None)
            read_companions(_LiveSheets(book), sheet.name, table)  # 基础数据, 评分规则: as from a file
            return sheet, evaluate(table, grading)
    return None, None


class _LiveSheets:
    """The open workbook as the engine's companion-sheet reader sees a file (``sheets``, ``grid``)."""

    def __init__(self, book):
        self.book = book
        self.sheets = [s for s in book.sheets if s.name not in SKIP_SHEETS]

    def grid(self, name: str) -> Grid:
        return Grid(name, _used_values(self.book.sheets[name]))


def protect(sheet) -> None:
    """Protect as the template does (no password; clerks may resize rows/columns and add notes)."""
    sheet.api.Protect(DrawingObjects=False, Contents=True, Scenarios=False,
                      AllowFormattingColumns=True, AllowFormattingRows=True)


class _Unprotected:
    """Lift a password-less sheet protection while we mark, and put it back as the template sets it.

    ``Unprotect("")``, never ``Unprotect()``: without a password argument Excel *prompts* for one, and a
    password typed there would be lifted and the sheet re-protected without it. With ``""`` a sheet that
    has a password raises instead, and is left exactly as it was."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.was = False

    def __enter__(self):
        api = self.sheet.api
        try:
            self.was = bool(api.ProtectContents)
        except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
            self.was = False
        if self.was:
            try:
                api.Unprotect("")
            except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
                raise XladdinError(f"工作表“{self.sheet.name}”设有密码保护，无法标注：请先撤销工作表保护"
                                   "（审阅 → 撤销工作表保护）后再点“校验”。") from None
        return self

    def __exit__(self, *exc):
        if self.was:
            protect(self.sheet)
        return False


class LiveSink:
    """Applies a Plan to the open workbook: clears the last run's marks, marks, writes 校验结果."""

    def __init__(self, book):
        self.book = book

    def apply(self, p: Plan) -> None:
        book = self.book
        names = [s.name for s in book.sheets]
        previous = read_record(_used_values(book.sheets[RESULT_SHEET])) if RESULT_SHEET in names else []
        sheets = {p.sheet} | {m.sheet for m in previous if m.sheet in names}
        with ExitStack() as stack:  # every sheet lifted is protected again, whatever happens
            for name in sorted(sheets):
                if name in names:
                    stack.enter_context(_Unprotected(book.sheets[name]))
            record = apply_marks(LiveTarget(book), p, previous)
        self._write_result(p, record)
        if p.measured is not None:  # the workbook has a 基础数据 sheet: its 测算对比, as check --annotate
            self._write_measured(p)

    def _write_result(self, p: Plan, record: Sequence[Marked]) -> None:
        """The 校验结果 sheet from the same grid as the file sink (:func:`result_grid`), typed through Excel."""
        book = self.book
        if RESULT_SHEET in [s.name for s in book.sheets]:
            rs = book.sheets[RESULT_SHEET]
            rs.clear()
        else:
            sheets = list(book.sheets)
            rs = book.sheets.add(RESULT_SHEET, after=sheets[-1])
        g = result_grid(p, p.sheet, record)
        values = _typed_rows(g.rows, g.width, g.links)
        t0, t1 = (_col(c) for c in TEXT_COLS)
        rs.range(f"{t0}:{t1}").number_format = "@"  # names like 1-3 must not turn into dates (C keeps its links)
        rs.range((1, 1), (len(values), g.width)).value = values
        rec = [[typed_text(v) for v in row] for row in g.record]
        rs.range((1, RECORD_COL), (len(rec), RECORD_COL + len(RECORD_HEADER) - 1)).value = rec
        rs.range((1, 1)).font.bold = True
        rs.range((1, 1)).font.size = 14
        rs.range((g.label_rows.start, 1), (g.label_rows.stop - 1, 1)).font.bold = True
        rs.range((g.header_row, 1), (g.header_row, g.width)).font.bold = True
        for r, c0, c1, color in g.fills:
            rs.range((r, c0), (r, c1)).color = _rgb(color)
        for c, w in enumerate(RESULT_WIDTHS, 1):
            rs.range(f"{_col(c)}:{_col(c)}").column_width = w
        rs.range(f"{_col(MESSAGE_COL)}:{_col(MESSAGE_COL)}").wrap_text = True
        rs.range((1, RECORD_COL), (1, RECORD_COL + len(RECORD_HEADER) - 1)).column_width = 0  # hidden

    def _write_measured(self, p: Plan) -> None:
        """The 测算对比 sheet from the same grid as the file sink (:func:`measured_grid`); replaced on
        every run (a template's own formula sheet of that name is left alone: ours goes beside it)."""
        book = self.book
        names = [s.name for s in book.sheets]
        name = sheet_name(names, lambda n: book.sheets[n].range((1, 1)).value)
        if name in names:
            ws = book.sheets[name]
            ws.clear()
        else:
            ws = book.sheets.add(name, after=book.sheets[RESULT_SHEET])
        g = measured_grid(p.measured, p.sheet)
        values = _typed_rows(g.rows, g.width, g.links)
        ws.range((1, 1), (len(values), g.width)).value = values
        ws.range((1, 1)).font.bold = True
        ws.range((1, 1)).font.size = 14
        if len(g.label_rows):
            ws.range((g.label_rows.start, 1), (g.label_rows.stop - 1, 1)).font.bold = True
        ws.range((g.header_row, 1), (g.header_row, g.width)).font.bold = True
        for r, c0, c1, color in g.fills:
            ws.range((r, c0), (r, c1)).color = _rgb(color)
        for c, w in enumerate(g.widths, 1):
            ws.range(f"{_col(c)}:{_col(c)}").column_width = w
        for c in g.wrapped:
            ws.range(f"{_col(c)}:{_col(c)}").wrap_text = True
        for r, h in g.heights.items():
            ws.range((r, 1)).row_height = h


def _typed_rows(rows: Sequence[Sequence[Any]], width: int, links: Sequence[tuple[int, int, str]]) -> list[list[Any]]:
    """A grid's rows as typed into Excel: every string kept text, the links as HYPERLINK formulas."""
    by_cell = {(r, c): target for r, c, target in links}
    values = []
    for r, row in enumerate(rows, 1):
        out: list[Any] = []
        for c in range(1, width + 1):
            v = row[c - 1] if c - 1 < len(row) else None
            if (r, c) in by_cell:
                target = by_cell[(r, c)].replace('"', '""')
                v = f'=HYPERLINK("#{target}","{str(v).replace(chr(34), chr(34) * 2)}")'
            else:
                v = typed_text(v)
            out.append(v)
        values.append(out)
    return values


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def check_book(book, grading: Grading = DEFAULT_GRADING) -> str:
    """The 校验 button's work on an open workbook; returns the one short message to show."""
    sheet, report = find_scoring_sheet(book, grading)
    if report is None:
        names = "、".join(s.name for s in book.sheets if s.name not in SKIP_SHEETS)
        return (f"没有找到评分表：工作表（{names}）里都没有“一级指标、分值、扣分、得分”这样的表头。"
                "请打开评分表所在的工作表后再点“校验”。")
    p = plan(report)
    try:
        LiveSink(book).apply(p)
    except XladdinError as exc:
        return exc.message
    try:
        sheet.activate()
    except Exception:  # noqa: BLE001, S110 — pragma: no cover - cosmetic
        pass
    return p.message


def _caller(book):
    return book if book is not None else xw.Book.caller()


# -- every button: a catch-all, a Chinese message and a log file -----------------------------------

LOG_NAME = "xladdin-excel.log"
LOG_LIMIT = 1_000_000  # bytes: the log is started afresh beyond this


def log_path() -> Path:
    """Where the buttons log what went wrong: ``XLADDIN_LOG_DIR``, else %LOCALAPPDATA%\\xladdin (Windows),
    else the temporary folder."""
    import tempfile

    local = os.environ.get("LOCALAPPDATA")
    base = os.environ.get("XLADDIN_LOG_DIR") or (os.path.join(local, "xladdin") if local else tempfile.gettempdir())
    return Path(base) / LOG_NAME


def _log_exception(title: str) -> Path | None:
    """Append the current exception's traceback to the log; the log's path, or None when it cannot be written."""
    import datetime
    import traceback

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "w" if path.exists() and path.stat().st_size > LOG_LIMIT else "a"
        with open(path, mode, encoding="utf-8") as f:
            f.write(f"==== {datetime.datetime.now().isoformat(timespec='seconds')} {title} "
                    f"(xlwings {getattr(xw, '__version__', '?')}) ====\n{traceback.format_exc()}\n")
        return path
    except OSError:
        return None


def _alert(book, message: str, title: str) -> None:
    """Show ``message`` in Excel; never raises (a failing alert must not turn into xlwings' English popup)."""
    try:
        app = book.app if book is not None else xw.apps.active
        if app is not None:
            app.alert(message, title=title)
    except Exception:  # noqa: BLE001, S110 — nothing is left to tell the user with
        pass


def _button(title: str, work, book) -> str:
    """Run a button's ``work(book) -> message`` and show the message; any exception becomes a Chinese
    message naming the log file with the details (no traceback reaches the user)."""
    try:
        book = _caller(book)
        message = work(book)
    except BaseException as exc:  # noqa: BLE001 — a button must never show xlwings' traceback popup
        if isinstance(exc, SystemExit):
            raise
        path = _log_exception(title)
        where = f"详细信息已记录在“{path}”，需要帮助时请把这个文件发给技术人员。" if path else ""
        message = (f"“{title}”没有完成：出现了意外错误（{type(exc).__name__}: {str(exc)[:200]}）。{where}"
                   "可以关闭本提示后重试；仍不行时请改用命令行 xladdin check / consolidate。")
    _alert(book, message, title)
    return message


def check_button(book=None) -> str:
    """RunPython entry point of the 校验 button (VBA ``XladdinCheck``)."""
    return _button("校验", check_book, book)


# -- 汇总 ------------------------------------------------------------------------------------------

def _named_text(book, name: str) -> str:
    """The text of a named cell, or of a named constant (="C:\\报送", what the VBA adds when the workbook
    has no 汇总 sheet); "" when the name is missing or blank."""
    try:
        named = book.names[name]
    except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
        return ""
    try:
        value = named.refers_to_range.value
    except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
        text = str(getattr(named, "refers_to", "") or "").strip()
        value = text[2:-1].replace('""', '"') if text.startswith('="') and text.endswith('"') else ""
    return "" if value is None else str(value).strip()


def default_output(folder: Path) -> Path:
    """Next to the folder (never inside it, so the next run does not read the summary as a submission)."""
    folder = folder.resolve()
    parent = folder.parent if folder.parent != folder else folder
    return parent / f"{folder.name or '评分表'}-汇总.xlsx"


BUTTON_TIMEOUT = DEFAULT_TIMEOUT  # seconds one file may take to read (the CLI's default)


def consolidate_folder(folder: Path, output: Path, progress=None, timeout: float | None = BUTTON_TIMEOUT):
    """The one call into the consolidation (``xladdin consolidate FOLDER -o OUTPUT``): the same time-limited
    reader processes as the command line, so one bad file cannot freeze Excel (it is killed after
    ``timeout`` seconds and listed as 无法读取)."""
    from xladdin.consolidation.run import consolidate_files

    return consolidate_files([str(folder)], output, workers=None, progress=progress, timeout=timeout)


def _book_folder(book) -> Path | None:
    """The folder of the workbook on disk; None when it is unsaved or lives at a web address (OneDrive)."""
    name = str(getattr(book, "fullname", "") or "")
    if not name or "://" in name:
        return None
    path = Path(name)
    return path.parent if path.is_absolute() else None


def resolve_path(text: str, book) -> tuple[Path | None, str]:
    """A path typed into the 汇总 sheet, made absolute: ``%VAR%`` and ``~`` expanded, a relative path taken
    from the workbook's folder (not from Python's working folder, which xlwings sets to the interpreter's).
    (path, "") or (None, Chinese reason)."""
    p = Path(os.path.expandvars(text.strip().strip('"'))).expanduser()
    if p.is_absolute():
        return p, ""
    base = _book_folder(book)
    if base is None:
        return None, (f"“{text}”是相对路径，但本工作簿还没有保存在本机文件夹中（或保存在 OneDrive 等网络位置），"
                      "无法确定它指哪里：请填写完整路径，如 D:\\报送\\2023。")
    return (base / p).resolve(), ""


def consolidate_book(book) -> tuple[str, Path | None]:
    """The 汇总 button's work: (message, summary path or None)."""
    from xladdin.consolidation.model import STATUS_LABELS

    folder_text = _named_text(book, FOLDER_NAME)
    if not folder_text:
        return (f"请先在“{SUMMARY_SHEET}”表的“评分表所在文件夹”（名称“{FOLDER_NAME}”）中填写存放各部门评分表的文件夹，"
                "或点“汇总”按钮后选择文件夹。"), None
    folder, why = resolve_path(folder_text, book)
    if folder is None:
        return why, None
    if not folder.is_dir():
        return f"找不到文件夹“{folder}”（“{SUMMARY_SHEET}”表中填写的是“{folder_text}”），请检查路径。", None
    out_text = _named_text(book, OUTPUT_NAME)
    if out_text:
        output, why = resolve_path(out_text, book)
        if output is None:
            return why, None
    else:
        output = default_output(folder)
    if output.suffix.lower() != ".xlsx":
        output = output.with_suffix(".xlsx") if output.suffix else output / "汇总.xlsx"
    app = book.app

    def progress(done: int, total: int) -> None:
        try:
            app.status_bar = f"汇总：已读取 {done}/{total} 个评分表……" if done < total else False
        except Exception:  # noqa: BLE001, S110 — pragma: no cover - cosmetic
            pass

    try:
        summary = consolidate_folder(folder, output, progress, timeout=BUTTON_TIMEOUT)
    except XladdinError as exc:
        return f"汇总失败：{exc.message}", None
    finally:
        progress(1, 1)
    c = summary.counts
    bad = sum(n for s, n in c.items() if s != "ok")
    detail = "，".join(f"{STATUS_LABELS[s]} {n} 个" for s, n in c.items() if n)
    grades = "，".join(f"{g} {n} 个" for g, n in summary.grade_counts if n)
    message = (f"汇总完成：文件夹“{folder}”中共 {len(summary.entries)} 个文件（{detail}），"
               f"{len(summary.ranked)} 个单位计入排名" + (f"（{grades}）" if grades else "")
               + f"。汇总表已保存为“{output}”并已打开。")
    if bad:
        message += "有问题的文件见汇总表的“文件清单”和“校验问题”表。"
    return message, output


def _consolidate_and_open(book) -> str:
    message, output = consolidate_book(book)
    if output is not None:
        try:
            book.app.books.open(str(output))
        except Exception as exc:  # noqa: BLE001 — the summary is written; opening it is a convenience
            message += f"（自动打开失败：{exc}，请手动打开。）"
    return message


def consolidate_button(book=None) -> str:
    """RunPython entry point of the 汇总 button (VBA ``XladdinConsolidate``, which asks for the folder when
    none is filled in)."""
    return _button("汇总", _consolidate_and_open, book)


# -- xladdin excel-setup (Windows + Excel only) ----------------------------------------------------

# caption (what the clerk sees) -> the VBA Sub in xladdin/excel/vba/xladdin.bas (ASCII: see xladdin.excel.macros)
BUTTONS = {"校验": "XladdinCheck", "汇总": "XladdinConsolidate"}
SETUP_TIMEOUT = 180.0  # seconds: past this the hidden Excel is ended (a dialog nobody can see would block it)


def import_udfs(book) -> None:  # pragma: no cover - needs Excel on Windows
    """Write the XL_ functions' VBA wrappers into the workbook from this process (what xlwings'
    ImportPythonUDFs does through its UDF server, which shows a modal popup on error: in a hidden Excel
    nobody could close it). Errors come back here as exceptions."""
    from xlwings import udfs

    raw = getattr(book.api, "_inner", book.api)  # the pywin32 object under xlwings' retry wrapper (Dispatch needs it)
    udfs.import_udfs(";".join(m for m in _conf_value("UDF MODULES").split(";") if m), raw)


def _conf_value(key: str) -> str:
    from xladdin.excel.macros import read_conf

    return dict(read_conf()).get(key, "")


def setup_workbook(template_xlsx: Path, out_xlsm: Path,
                   timeout: float = SETUP_TIMEOUT) -> list[str]:  # pragma: no cover - needs Excel on Windows
    """Turn a template written with ``write_template(excel=True)`` into a macro-enabled workbook: import
    xlwings' standalone VBA module and ours, add the buttons, save as .xlsm, import the UDFs.

    The hidden Excel never waits on a dialog: alerts off, the UDFs imported from this process, and a
    watchdog that ends this Excel process after ``timeout`` seconds.
    Returns warnings for the user. Requires Excel with 信任中心 → 宏设置 → “信任对 VBA 工程对象模型的访问”.
    """
    import threading

    from xladdin.excel.macros import bas_files
    from xladdin.outputs.template import SHEET_NAME

    warnings: list[str] = []
    xlwings_dir = Path(xw.__file__).parent
    app = xw.App(visible=False, add_book=False)
    killed = threading.Event()
    try:
        pid = app.pid  # read here: COM objects belong to this thread, the watchdog only needs the process id
    except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
        pid = None

    def kill() -> None:
        import signal

        killed.set()
        try:
            if pid:
                os.kill(pid, signal.SIGTERM)  # Windows: TerminateProcess, whatever dialog Excel is showing
        except OSError:
            pass

    watchdog = threading.Timer(timeout, kill)
    watchdog.daemon = True
    watchdog.start()
    try:
        app.display_alerts = False
        app.screen_updating = False
        book = app.books.open(str(template_xlsx), update_links=False)
        try:
            components = book.api.VBProject.VBComponents
        except Exception as exc:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
            raise XladdinError("Excel 不允许访问 VBA 工程：请在 文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置 中勾选"
                               f"“信任对 VBA 工程对象模型的访问”后重试。（{exc}）") from None
        components.Import(str(xlwings_dir / "xlwings.bas"))  # standalone: RunPython works without the add-in
        components.Import(str(xlwings_dir / "addin" / "Dictionary.cls"))
        for bas in bas_files():
            components.Import(str(bas))
        for name, captions, cell in ((SHEET_NAME, list(BUTTONS), "J1"), (SUMMARY_SHEET, ["汇总"], "E3")):
            sheet = book.sheets[name]
            protected = bool(sheet.api.ProtectContents)
            if protected:
                sheet.api.Unprotect("")  # our own template: no password (never Unprotect(): it prompts)
            anchor = sheet.range(cell)
            right = anchor.left + anchor.width
            for i, caption in enumerate(reversed(captions)):  # right-aligned in the title row, outside the print
                btn = sheet.api.Buttons().Add(right - (i + 1) * 84, anchor.top + 4, 78, 26)
                btn.OnAction = BUTTONS[caption]
                btn.Caption = caption
                btn.PrintObject = False
            if protected:
                protect(sheet)
        book.sheets[SHEET_NAME].activate()
        book.save(str(out_xlsm))  # .xlsm: xlwings saves it macro-enabled (FileFormat 52)
        try:
            import_udfs(book)
            book.save()
        except Exception as exc:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
            warnings.append(f"XL_ 函数未能自动导入（{exc}）：按钮不受影响。需要这些函数时，"
                            "在装有 xlwings 加载项的 Excel 中打开工作簿，在 xlwings 选项卡点 Import Functions。")
        book.close()
    except Exception:
        if killed.is_set():
            raise XladdinError(f"Excel 在 {int(timeout)} 秒内没有完成（可能弹出了看不见的对话框），"
                               "已结束这个后台 Excel。请关闭其他 Excel 窗口后重试；"
                               "仍不行时请在 Excel 中手动导入（见 README）。") from None
        raise
    finally:
        watchdog.cancel()
        if not killed.is_set():
            try:
                app.quit()
            except Exception:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
                app.kill()
    return warnings


__all__ = [
    "XL_CHECK",
    "XL_GRADE",
    "XL_SUMMARY",
    "XL_TOTAL",
    "LiveSink",
    "LiveTarget",
    "check_book",
    "check_button",
    "consolidate_book",
    "consolidate_button",
    "grid_from_values",
    "log_path",
    "resolve_path",
    "report_from_values",
    "setup_workbook",
]
