"""The Excel adapter (xlwings): worksheet functions (UDFs) and the 校验 / 汇总 buttons.

This is the only module that imports xlwings. Everything here is a thin shell around the engine:
the UDFs build a :class:`~xladdin.core.grid.Grid` from the values Excel passes and run the same parser
and checks as ``xladdin check``; the 校验 button reads the live sheet the same way and applies the same
annotation plan as ``check --annotate`` (through :class:`LiveTarget` instead of openpyxl); the 汇总
button runs the same consolidation as ``xladdin consolidate``.

Worksheet functions (ASCII names; the data stays Chinese):

- ``=XL_GRADE(总得分, [分档])``   -> 优/良/中/差 (default bands 财预〔2020〕10号, or e.g. "90:优,80:良,60:中,0:差")
- ``=XL_TOTAL(表格区域)``         -> the total score the engine computes for a selected scoring table
- ``=XL_CHECK(表格区域)``         -> a spilled array 单元格｜级别｜说明 of every issue, or "通过"
- ``=XL_SUMMARY(表格区域)``       -> a spilled two-column array: 分值合计, 扣分合计, 总得分, 等级, 错误数, 警告数

Buttons (``RunPython`` entry points, see ``xladdin/excel/vba/xladdin.bas``): :func:`check_button`,
:func:`consolidate_button`.

The live-workbook surface is kept small on purpose (the tests drive it through a test double):
``Book``: ``sheets`` (iterate, ``[name]``, ``active``, ``add(name, after=)``), ``names[name]``
(``refers_to_range`` or ``refers_to``),
``fullname``, ``app`` (``alert``, ``status_bar``, ``books.open``); ``Sheet``: ``name``, ``visible``,
``used_range.last_cell.row/column``, ``range(a, b)``, ``clear()``, ``activate()``, ``api`` (only
``ProtectContents``/``Unprotect()``/``Protect(...)``); ``Range``: ``options(...).value``, ``value``, ``color``,
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

from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.grid import Grid
from xladdin.core.numbers import parse_number
from xladdin.core.report import Report
from xladdin.engine import evaluate
from xladdin.errors import XladdinError
from xladdin.kinds.department.parse import HEADER_SCAN_ROWS, parse_grid
from xladdin.outputs.annotate import (
    MESSAGE_COL,
    RECORD_COL,
    RECORD_HEADER,
    RESULT_SHEET,
    RESULT_WIDTHS,
    TEXT_COLS,
    Marked,
    Plan,
    ResultGrid,
    apply_marks,
    plan,
    read_record,
    result_grid,
)
from xladdin.outputs.template import CONF_SHEET, FOLDER_NAME, OUTPUT_NAME, SUMMARY_SHEET
from xladdin.outputs.toolkit import typed_text

CATEGORY = "xladdin 预算绩效评价"
PASS = "通过"
NO_TABLE = ("未找到评分表：所选区域应包含表头行（一级指标、分值、二级指标……扣分、得分）和下面的指标行；"
            f"表头须在工作表的前 {HEADER_SCAN_ROWS} 行内。")
SKIP_SHEETS = (RESULT_SHEET, SUMMARY_SHEET, CONF_SHEET)


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
    table = parse_grid(grid_from_values(values, name, origin))
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


@xw.func(category=CATEGORY)
@xw.arg("table", "range", doc="整张评分表的区域（含表头行），如 A4:J46")
def XL_CHECK(table):
    """校验所选评分表，列出每个问题：单元格、级别、说明；没有问题时返回“通过”。"""
    values, origin, name = _range_input(table)
    report = report_from_values(values, name, origin)
    if report is None:
        return NO_TABLE
    if not report.issues:
        return PASS
    rows = [["单元格", "级别", "说明"]]
    for issue in report.issues:
        rows.append([issue.cell or "", "错误" if issue.severity == "error" else "警告", issue.message])
    return rows


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, empty=None, err_to_str=True, doc="整张评分表的区域（含表头行），如 A4:J46")
def XL_SUMMARY(table):
    """所选评分表的汇总数字：分值合计、扣分合计、总得分、等级、错误数、警告数（两列）。"""
    report = report_from_values(table)
    if report is None:
        return NO_TABLE
    f = report.figures
    return [["分值合计", f.total_weight if f.total_weight is not None else "（无法计算）"],
            ["扣分合计", f.total_deduction],
            ["总得分", f.total_score],
            ["等级", f.grade or ""],
            ["错误数", len(report.errors)],
            ["警告数", len(report.warnings)]]


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
        table = parse_grid(Grid(sheet.name, _used_values(sheet)))
        if table is not None:
            table.file = getattr(book, "fullname", None)
            return sheet, evaluate(table, grading)
    return None, None


def protect(sheet) -> None:
    """Protect as the template does (no password; clerks may resize rows/columns and add notes)."""
    sheet.api.Protect(DrawingObjects=False, Contents=True, Scenarios=False,
                      AllowFormattingColumns=True, AllowFormattingRows=True)


class _Unprotected:
    """Lift a password-less sheet protection while we mark, and put it back as the template sets it."""

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
                api.Unprotect()
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
        values = _typed_rows(g)
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


def _typed_rows(g: ResultGrid) -> list[list[Any]]:
    """The grid's rows as typed into Excel: every string kept text, the 单元格 links as HYPERLINK formulas."""
    links = {(r, c): target for r, c, target in g.links}
    values = []
    for r, row in enumerate(g.rows, 1):
        out: list[Any] = []
        for c in range(1, g.width + 1):
            v = row[c - 1] if c - 1 < len(row) else None
            if (r, c) in links:
                target = links[(r, c)].replace('"', '""')
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


def check_button(book=None) -> str:
    """RunPython entry point of the 校验 button."""
    book = _caller(book)
    message = check_book(book)
    book.app.alert(message, title="校验")
    return message


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


def consolidate_folder(folder: Path, output: Path, progress=None):
    """The one call into the consolidation (``xladdin consolidate FOLDER -o OUTPUT``), read in this
    process (one worker, no per-file time limit): worker processes started from the Python that Excel
    runs are not worth the risk for a button."""
    from xladdin.consolidation.run import run

    return run([str(folder)], output, workers=1, progress=progress, timeout=None)


def consolidate_book(book) -> tuple[str, Path | None]:
    """The 汇总 button's work: (message, summary path or None)."""
    from xladdin.consolidation.model import STATUS_LABELS

    folder_text = _named_text(book, FOLDER_NAME)
    if not folder_text:
        return (f"请先在“{SUMMARY_SHEET}”表的“评分表所在文件夹”（名称“{FOLDER_NAME}”）中填写存放各部门评分表的文件夹，"
                "或点“汇总”按钮后选择文件夹。"), None
    folder = Path(os.path.expandvars(folder_text)).expanduser()
    if not folder.is_dir():
        return f"找不到文件夹“{folder_text}”，请检查“{SUMMARY_SHEET}”表中填写的路径。", None
    out_text = _named_text(book, OUTPUT_NAME)
    output = Path(out_text).expanduser() if out_text else default_output(folder)
    if output.suffix.lower() != ".xlsx":
        output = output.with_suffix(".xlsx") if output.suffix else output / "汇总.xlsx"
    app = book.app

    def progress(done: int, total: int) -> None:
        try:
            app.status_bar = f"汇总：已读取 {done}/{total} 个评分表……" if done < total else False
        except Exception:  # noqa: BLE001, S110 — pragma: no cover - cosmetic
            pass

    try:
        summary = consolidate_folder(folder, output, progress)
    except XladdinError as exc:
        return f"汇总失败：{exc.message}", None
    finally:
        progress(1, 1)
    c = summary.counts
    bad = sum(n for s, n in c.items() if s != "ok")
    detail = "，".join(f"{STATUS_LABELS[s]} {n} 个" for s, n in c.items() if n)
    grades = "，".join(f"{g} {n} 个" for g, n in summary.grade_counts if n)
    message = (f"汇总完成：共 {len(summary.entries)} 个文件（{detail}），{len(summary.ranked)} 个单位计入排名"
               + (f"（{grades}）" if grades else "") + f"。汇总表已保存为“{output}”并已打开。")
    if bad:
        message += "有问题的文件见汇总表的“文件清单”和“校验问题”表。"
    return message, output


def consolidate_button(book=None) -> str:
    """RunPython entry point of the 汇总 button (the VBA asks for the folder when none is filled in)."""
    book = _caller(book)
    message, output = consolidate_book(book)
    if output is not None:
        try:
            book.app.books.open(str(output))
        except Exception as exc:  # noqa: BLE001 — the summary is written; opening it is a convenience
            message += f"（自动打开失败：{exc}，请手动打开。）"
    book.app.alert(message, title="汇总")
    return message


# -- xladdin excel-setup (Windows + Excel only) ----------------------------------------------------

BUTTONS = ("校验", "汇总")  # caption = the VBA Sub in xladdin/excel/vba/xladdin.bas


def setup_workbook(template_xlsx: Path, out_xlsm: Path) -> list[str]:  # pragma: no cover - needs Excel on Windows
    """Turn a template written with ``write_template(excel=True)`` into a macro-enabled workbook: import
    xlwings' standalone VBA module and ours, add the buttons, save as .xlsm, import the UDFs.

    Returns warnings for the user. Requires Excel with 信任中心 → 宏设置 → “信任对 VBA 工程对象模型的访问”.
    """
    from xladdin.excel.macros import bas_files
    from xladdin.outputs.template import SHEET_NAME

    warnings: list[str] = []
    xlwings_dir = Path(xw.__file__).parent
    app = xw.App(visible=False, add_book=False)
    try:
        app.display_alerts = False
        book = app.books.open(str(template_xlsx))
        try:
            components = book.api.VBProject.VBComponents
        except Exception as exc:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
            raise XladdinError("Excel 不允许访问 VBA 工程：请在 文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置 中勾选"
                               f"“信任对 VBA 工程对象模型的访问”后重试。（{exc}）") from None
        components.Import(str(xlwings_dir / "xlwings.bas"))  # standalone: RunPython works without the add-in
        components.Import(str(xlwings_dir / "addin" / "Dictionary.cls"))
        for bas in bas_files():
            components.Import(str(bas))
        for name, captions, cell in ((SHEET_NAME, BUTTONS, "J1"), (SUMMARY_SHEET, BUTTONS[1:], "E3")):
            sheet = book.sheets[name]
            protected = bool(sheet.api.ProtectContents)
            if protected:
                sheet.api.Unprotect()
            anchor = sheet.range(cell)
            right = anchor.left + anchor.width
            for i, caption in enumerate(reversed(captions)):  # right-aligned in the title row, outside the print
                btn = sheet.api.Buttons().Add(right - (i + 1) * 84, anchor.top + 4, 78, 26)
                btn.OnAction = caption
                btn.Caption = caption
                btn.PrintObject = False
            if protected:
                protect(sheet)
        book.sheets[SHEET_NAME].activate()
        book.save(str(out_xlsm))  # .xlsm: xlwings saves it macro-enabled (FileFormat 52)
        try:
            book.macro("ImportPythonUDFs")()
            book.save()
        except Exception as exc:  # noqa: BLE001 — COM raises pywintypes.com_error (not importable off Windows)
            warnings.append(f"XL_ 函数未能自动导入（{exc}）：打开工作簿后按 Alt+F8 运行宏 ImportPythonUDFs，"
                            "或在 xlwings 选项卡点 Import Functions。")
        book.close()
    finally:
        app.quit()
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
    "report_from_values",
    "setup_workbook",
]
