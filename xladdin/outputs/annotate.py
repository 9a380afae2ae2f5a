"""One annotation plan, several sinks.

:func:`plan` turns a report into marks (cell fills + notes) and the rows of the 校验结果 sheet.
A sink applies a plan: :class:`FileSink` writes an annotated copy with openpyxl (``check --annotate``);
the Excel adapter applies the same plan to the live workbook (the 校验 button). Both take the plan
from here, so what the button marks and what the command line marks cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from xladdin.core.catalogue import SEVERITY_LABEL
from xladdin.core.numbers import fmt
from xladdin.core.report import Report
from xladdin.errors import OutputError
from xladdin.outputs.toolkit import (
    ERROR_FILL,
    HEADER_FILL,
    LINK_COLOR,
    OK_FILL,
    PAGE_NUMBERS,
    STALE_TEMP_SECONDS,
    TEMP_PREFIX,
    WARNING_FILL,
    _host_tag,  # noqa: F401 — tests/test_robust_faults.py imports it from here
    has_marker,
    page_setup,
    put,
    quoted_sheet,
    refuse_overwrite,
    refuse_suffix,
    remove_stale_temps,
    safe_sheet_title,
    save_workbook_atomically,
    solid,
    xml_text,
)

RESULT_SHEET = "校验结果"
# In the keywords of every annotated copy: a later --annotate to the same name may replace it.
ANNOTATED_MARKER = "xladdin-annotated"


def has_marker_text(keywords: str | None, marker: str) -> bool:
    return bool(keywords) and marker in str(keywords)
NOTE_AUTHOR = "xladdin 校验"
RESULT_HEADER = ("序号", "级别", "单元格", "指标", "问题说明", "代码")


@dataclass(slots=True)
class Mark:
    sheet: str
    cell: str
    severity: str  # the worst severity on this cell
    note: str
    fill: str


@dataclass(slots=True)
class Plan:
    sheet: str
    marks: list[Mark] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines on top of 校验结果
    rows: list[tuple] = field(default_factory=list)  # RESULT_HEADER rows
    links: list[str | None] = field(default_factory=list)  # cell each row links to (same sheet as `sheet`)
    ok: bool = True
    header_row: int | None = None  # the table's header row (1-based): repeated on printed pages
    measured: Any = None  # the report's 测算对比 (kinds.basic_data.Measured), when there is one

    @property
    def message(self) -> str:
        """The one short message the 校验 button shows."""
        errors = sum(1 for r in self.rows if r[1] == "错误")
        warnings = sum(1 for r in self.rows if r[1] == "警告")
        head = "，".join(f"{k}{v}" for k, v in self.summary if k in ("总得分", "等级"))
        if errors:
            return (f"校验完成：发现 {errors} 个错误、{warnings} 个警告（{head}）。"
                    f"已在单元格上标出，详见“{RESULT_SHEET}”表。")
        if warnings:
            return f"校验完成：没有错误，有 {warnings} 个警告（{head}）。详见“{RESULT_SHEET}”表。"
        return f"校验通过：没有发现问题（{head}）。"


def plan(report: Report) -> Plan:
    t, f = report.table, report.figures
    sheet = t.sheet if t else ""
    p = Plan(sheet=sheet)
    by_cell: dict[tuple[str, str], list] = {}  # (sheet, cell): an issue may be on another sheet (基础数据)
    for n, issue in enumerate(report.issues, 1):
        label = SEVERITY_LABEL.get(issue.severity, issue.severity)
        shown = issue.cell or ""
        if shown and issue.sheet not in (None, sheet):  # on another sheet (基础数据): say which
            shown = f"{issue.sheet}!{shown}"
        p.rows.append((n, label, shown, " / ".join(issue.path), issue.message, issue.code))
        p.links.append(issue.cell if issue.cell and (issue.sheet in (None, sheet)) else None)
        if issue.cell:
            by_cell.setdefault((issue.sheet or sheet, issue.cell), []).append(issue)
    for (mark_sheet, cell), issues in by_cell.items():
        worst = "error" if any(i.severity == "error" for i in issues) else "warning"
        note = "\n".join(f"【{SEVERITY_LABEL[i.severity]}】{i.message}" for i in issues)
        p.marks.append(Mark(mark_sheet, cell, worst, note, ERROR_FILL if worst == "error" else WARNING_FILL))
    if t is not None and f is not None:
        p.summary = [
            ("单位", t.unit or "（未识别）"),
            ("年度", str(t.year) if t.year else "（未识别）"),
            ("分值合计", fmt(f.total_weight)),
            ("扣分合计", fmt(f.total_deduction)),
            ("总得分", fmt(f.total_score)),
            ("等级", f.grade or ""),
            ("错误数", str(len(report.errors))),
            ("警告数", str(len(report.warnings))),
            ("结论", "有错误，请修改后重新校验" if report.errors
             else ("通过（有警告）" if report.warnings else "通过")),
        ]
    if report.measured is not None:
        p.measured = report.measured
        p.summary.append(("测算对比", report.measured.headline))
    p.ok = not report.errors
    p.header_row = t.header_row + 1 if t is not None else None
    return p


class Sink(Protocol):
    def apply(self, plan: Plan) -> None: ...


# How 校验结果 looks, for every sink: column widths A–F, the wrapped 问题说明 column, the text columns.
RESULT_WIDTHS = (10, 8, 10, 30, 70, 18)
MESSAGE_COL = 5  # 问题说明: wrapped
TEXT_COLS = (4, 6)  # 指标 … 代码 (D:F): text, so names such as 1-3 never turn into dates
LINK_COL = 3  # 单元格: a link to the marked cell


@dataclass(slots=True)
class ResultGrid:
    """The 校验结果 sheet, the same for every sink (1-based rows/columns, as Excel counts): the values,
    and where the title, the summary labels, the header, the coloured cells and the links are."""

    rows: list[list]  # rows[0] is sheet row 1
    header_row: int
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "'Sheet'!A1")
    severities: list[tuple[int, str]] = field(default_factory=list)  # (row, "错误"/"警告")
    record: list[list] = field(default_factory=list)  # from row 1 at RECORD_COL: the marks this run made
    width: int = len(RESULT_HEADER)

    @property
    def issue_rows(self) -> range:
        return range(self.header_row + 1, self.header_row + 1 + len(self.severities))

    @property
    def label_rows(self) -> range:
        """The summary lines (bold labels in column A) between the title and the header."""
        return range(2, self.header_row - 1)

    @property
    def fills(self) -> list[tuple[int, int, int, str]]:
        """(row, first col, last col, RRGGBB): the grey header, then each issue's 级别 cell."""
        out = [(self.header_row, 1, self.width, HEADER_FILL)]
        out += [(r, 2, 2, ERROR_FILL if label == "错误" else WARNING_FILL) for r, label in self.severities]
        return out

    @property
    def last_row(self) -> int:
        return max(len(self.rows), 1)


def result_grid(p: Plan, link_sheet: str, record: Sequence[Marked] = ()) -> ResultGrid:
    rows: list[list] = [["校验结果"]]
    for label, value in p.summary:
        rows.append([label, _as_number(value)])
    rows.append([])
    rows.append(list(RESULT_HEADER))
    g = ResultGrid(rows, header_row=len(rows))
    quoted = quoted_sheet(link_sheet)
    for row, link in zip(p.rows, p.links):
        rows.append(list(row))
        g.severities.append((len(rows), row[1]))
        if link:
            g.links.append((len(rows), LINK_COL, f"{quoted}!{link}"))
    if not p.rows:
        rows.append(["没有发现问题。"])
    g.record = [list(RECORD_HEADER)] + [[m.sheet, m.cell, m.fill or ""] for m in record]
    return g


def write_result_sheet(ws: Any, p: Plan, link_sheet: str, record: Sequence[Marked] = ()) -> None:
    """Fill an (empty) openpyxl worksheet with the 校验结果 listing (and the record of the marks)."""
    from openpyxl.styles import Alignment, Font

    g = result_grid(p, link_sheet, record)
    bold = Font(bold=True)
    for r, row in enumerate(g.rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None and v != "":
                put(ws.cell(r, c), v)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    for r in g.label_rows:
        ws.cell(r, 1).font = bold
        ws.cell(r, 2).alignment = Alignment(horizontal="left")
    for c in range(1, g.width + 1):
        ws.cell(g.header_row, c).font = bold
    for r, c0, c1, color in g.fills:
        for c in range(c0, c1 + 1):
            ws.cell(r, c).fill = solid(color)
    for r in g.issue_rows:
        for c in range(1, g.width + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=(c == MESSAGE_COL), vertical="top")
        message = str(g.rows[r - 1][MESSAGE_COL - 1])
        ws.row_dimensions[r].height = 15 * max(1, -(-len(message) // 34))  # ~34 CJK chars a line
    for r, c, target in g.links:
        cell = ws.cell(r, c)
        cell.hyperlink = f"#{target}"
        cell.font = Font(color=LINK_COLOR, underline="single")
    for c, width in enumerate(RESULT_WIDTHS, 1):
        ws.column_dimensions[_col(c)].width = width
    for i, row in enumerate(g.record, 1):
        for j, v in enumerate(row):
            put(ws.cell(i, RECORD_COL + j), v)
    for j in range(len(RECORD_HEADER)):
        ws.column_dimensions[_col(RECORD_COL + j)].hidden = True
    ws.freeze_panes = ws.cell(g.header_row + 1, 1)
    page_setup(ws, title_rows=f"{g.header_row}:{g.header_row}", print_area=f"A1:{_col(g.width)}{g.last_row}",
               footer=PAGE_NUMBERS, title=f"{RESULT_SHEET}：{link_sheet}", print_date=True)


def print_marked_sheet(ws: Any, header_row: int | None) -> None:
    """The checked sheet of an annotated copy prints like the summary's sheets: A4 landscape, one page
    wide, its header row repeated, page numbers (the original's setup, often portrait and cut in
    two, is replaced; its print area is kept). Columns left at the default width get one from their
    content, so names are not cut off on paper."""
    from xladdin.outputs.toolkit import column_width

    if ws.max_row <= 5000:
        # a title merged across the table says nothing about its first column's width
        wide = {f"{r.start_cell.column_letter}{r.min_row}" for r in ws.merged_cells.ranges if r.min_col != r.max_col}
        for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
            letter = _col(col[0].column)
            dim = ws.column_dimensions.get(letter)
            if dim is not None and dim.customWidth and dim.width:
                continue
            values = {c.value for c in col if c.value is not None and c.coordinate not in wide
                      and not (isinstance(c.value, str) and c.value.startswith("="))}
            if values:
                ws.column_dimensions[letter].width = column_width(values, lo=8.43, hi=40)
    title_rows = ws.print_title_rows or (f"{header_row}:{header_row}" if header_row else None)
    page_setup(ws, title_rows=title_rows, footer=PAGE_NUMBERS, print_date=True,
               title=f"标注副本：{ws.title}（问题见“{RESULT_SHEET}”表）")


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def _as_number(value: str) -> object:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return value
    return int(x) if x.is_integer() else x


class FileSink:
    """Writes an annotated copy of the source workbook; the source is never modified."""

    def __init__(self, source: str | os.PathLike[str], out: str | os.PathLike[str]):
        self.source = Path(source)
        self.out = Path(out)
        self.renamed: dict[str, str] = {}  # sheet names a workbook cannot hold -> the safe names used
        self.rebuilt = False

    def apply(self, p: Plan) -> None:
        if self.out.resolve() == self.source.resolve():
            raise OutputError(f"标注结果不能覆盖原文件“{self.source.name}”，请另选一个输出文件名。", file=str(self.out))
        self.renamed = {}
        wb = self._load()
        if self.renamed:  # sheets whose names a workbook cannot hold were renamed: mark those
            new = self.renamed.get
            p = replace(p, sheet=new(p.sheet, p.sheet),
                        marks=[replace(m, sheet=new(m.sheet, m.sheet)) for m in p.marks])
        if self.rebuilt:
            p = replace(p, summary=p.summary + [("说明", ("原文件的格式信息无法读取，本标注副本按各工作表的数值重建，"
                                                        "没有保留原来的格式。"))])
        elif _pictures_lost(self.source):
            p = replace(p, summary=p.summary + [("说明", "原文件中的图片（如扫描的公章）未能保留在本标注副本中"
                                                        "（需要安装 Pillow）；原文件未改动。")])
        previous: list[Marked] = []
        result_sheet = RESULT_SHEET
        if RESULT_SHEET in wb.sheetnames:  # the source was checked before: undo its marks first
            rows = [list(r) for r in wb[RESULT_SHEET].iter_rows(values_only=True)]
            c = RECORD_COL - 1
            if rows and len(rows[0]) > c and rows[0][c] == RECORD_HEADER[0]:
                previous = read_record(rows)
            else:  # the user's own sheet of that name: kept, ours goes beside it
                result_sheet = safe_sheet_title(f"{RESULT_SHEET}（xladdin）", wb.sheetnames)
                p = replace(p, summary=p.summary + [("说明", f"原文件已有名为“{RESULT_SHEET}”的工作表，未改动；"
                                                           f"本次校验结果写在“{result_sheet}”表。")])
        record = apply_marks(OpenpyxlTarget(wb), p, previous)
        if result_sheet in wb.sheetnames:
            del wb[result_sheet]
        rs = wb.create_sheet(result_sheet)
        write_result_sheet(rs, p, p.sheet, record)
        if not has_marker_text(wb.properties.keywords, ANNOTATED_MARKER):
            wb.properties.keywords = f"{wb.properties.keywords or ''} {ANNOTATED_MARKER}".strip()
        if p.measured is not None:  # the workbook had a 基础数据 sheet: its 测算对比 beside 校验结果
            from xladdin.outputs.measured_sheet import write_measured_sheet

            write_measured_sheet(wb, p.measured, p.sheet)
        if p.sheet in wb.sheetnames:
            print_marked_sheet(wb[p.sheet], p.header_row)
        save_workbook_atomically(wb, self.out)

    def _load(self) -> Any:
        import openpyxl

        self.rebuilt = False
        suffix = self.source.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            keep_vba = suffix == ".xlsm" and self.out.suffix.lower() == ".xlsm"
            try:
                return openpyxl.load_workbook(self.source, keep_vba=keep_vba)
            except Exception:  # noqa: BLE001 — a sheet name or a part openpyxl refuses (the engine read it)
                self.rebuilt = True
        return self._from_values()

    def _from_values(self) -> Any:
        """Legacy .xls (or a workbook openpyxl cannot load): rebuild the sheets as values (formats are
        not carried over); sheet names a workbook cannot hold are made safe (``self.renamed``)."""
        import openpyxl

        from xladdin.reading.workbook import Workbook

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        with Workbook(self.source) as src:
            for info in src.sheets:
                grid = src.grid(info.name)
                title = safe_sheet_title(info.name, wb.sheetnames)
                if title != info.name:
                    self.renamed[info.name] = title
                ws = wb.create_sheet(title)
                for r, row in enumerate(grid.rows, 1):
                    for c, v in enumerate(row, 1):
                        if v not in ("", None):
                            put(ws.cell(r, c), v)
                for r0, c0, r1, c1 in grid.merged:
                    if (r0, c0) != (r1, c1):
                        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
                if not info.visible:
                    ws.sheet_state = "hidden"
        return wb



# -- clearing earlier marks: the same algorithm for every sink ----------------------------------------
# A workbook the user keeps (the 校验 button marks the live workbook) must lose the marks of the last
# run before it gets new ones. Each run records the cells it marked, with the fill each cell had
# before, in hidden columns of 校验结果 (the sheet is replaced on every run, so the record always
# describes the marks now in the workbook). Our notes start with 【错误】/【警告】; a note the user
# had on the cell is kept after NOTE_SEPARATOR and comes back when the mark is cleared.

RECORD_COL = len(RESULT_HEADER) + 2  # column H, hidden
RECORD_HEADER = ("xladdin 标记记录（程序使用，请勿修改）：工作表", "单元格", "原底色")
NOTE_SEPARATOR = "\n—— 原批注 ——\n"
_OWN_PREFIXES = tuple(f"【{label}】" for label in SEVERITY_LABEL.values())
MARK_FILLS = (ERROR_FILL, WARNING_FILL)


@dataclass(frozen=True, slots=True)
class Marked:
    sheet: str
    cell: str
    fill: str | None  # the cell's own fill before it was marked ("RRGGBB"), None = no fill


class MarkTarget(Protocol):
    """The five operations a sink needs to mark cells; fills are "RRGGBB" strings or None."""

    def has_sheet(self, sheet: str) -> bool: ...
    def get_fill(self, sheet: str, cell: str) -> str | None: ...
    def set_fill(self, sheet: str, cell: str, fill: str | None) -> None: ...
    def get_note(self, sheet: str, cell: str) -> str | None: ...
    def set_note(self, sheet: str, cell: str, text: str | None) -> None: ...


def is_own_note(text: str | None) -> bool:
    return bool(text) and str(text).startswith(_OWN_PREFIXES)


def note_with(ours: str, existing: str | None) -> str:
    """Our note in front of the cell's own note (which returns when the mark is cleared)."""
    if existing and is_own_note(existing):
        existing = note_without(existing)
    return f"{ours}{NOTE_SEPARATOR}{existing}" if existing else ours


def note_without(text: str | None) -> str | None:
    """The note a cell should have once our part is removed (None: no note)."""
    if not is_own_note(text):
        return text
    _, sep, rest = str(text).partition(NOTE_SEPARATOR)
    return rest if sep and rest else None


def read_record(rows: Sequence[Sequence]) -> list[Marked]:
    """The marks recorded in an existing 校验结果 sheet (its values, row 1 first)."""
    c = RECORD_COL - 1
    if not rows or len(rows[0]) <= c or rows[0][c] != RECORD_HEADER[0]:
        return []
    out: list[Marked] = []
    for row in rows[1:]:
        row = list(row) + [None] * 3
        sheet, cell, fill = row[c], row[c + 1], row[c + 2]
        if not sheet or not cell:
            break
        out.append(Marked(str(sheet), str(cell), str(fill).upper() if fill else None))
    return out


def clear_marks(target: MarkTarget, previous: Sequence[Marked]) -> None:
    for m in previous:
        if not target.has_sheet(m.sheet):
            continue
        if (target.get_fill(m.sheet, m.cell) or "").upper() in MARK_FILLS:  # leave a fill the user changed since
            target.set_fill(m.sheet, m.cell, m.fill)
        note = target.get_note(m.sheet, m.cell)
        if is_own_note(note):
            target.set_note(m.sheet, m.cell, note_without(note))


def apply_marks(target: MarkTarget, p: Plan, previous: Sequence[Marked] = ()) -> list[Marked]:
    """Undo the previous run's marks, then mark the plan's cells; returns the new record."""
    clear_marks(target, previous)
    done: list[Marked] = []
    for m in p.marks:
        if not target.has_sheet(m.sheet):
            continue
        own = target.get_fill(m.sheet, m.cell)
        target.set_fill(m.sheet, m.cell, m.fill)
        target.set_note(m.sheet, m.cell, note_with(m.note, target.get_note(m.sheet, m.cell)))
        done.append(Marked(m.sheet, m.cell, own))
    return done


class OpenpyxlTarget:
    """MarkTarget over an openpyxl workbook (the file sink)."""

    def __init__(self, wb: Any):
        self.wb = wb

    def _cell(self, sheet: str, cell: str) -> Any:
        from openpyxl.cell.cell import MergedCell

        c = self.wb[sheet][cell]
        return None if isinstance(c, MergedCell) else c

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.wb.sheetnames

    def get_fill(self, sheet: str, cell: str) -> str | None:
        c = self._cell(sheet, cell)
        if c is None or c.fill is None or c.fill.fill_type != "solid":
            return None
        color = c.fill.fgColor
        if color is not None and color.type == "rgb" and isinstance(color.rgb, str):
            return color.rgb[-6:].upper()
        return None

    def set_fill(self, sheet: str, cell: str, fill: str | None) -> None:
        from openpyxl.styles import PatternFill

        c = self._cell(sheet, cell)
        if c is not None:
            c.fill = solid(fill) if fill else PatternFill(fill_type=None)

    def get_note(self, sheet: str, cell: str) -> str | None:
        c = self._cell(sheet, cell)
        return c.comment.text if c is not None and c.comment is not None else None

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        from openpyxl.comments import Comment

        c = self._cell(sheet, cell)
        if c is None:
            return
        if not text:
            c.comment = None
            return
        text = xml_text(text)
        comment = Comment(text, NOTE_AUTHOR)
        comment.width = 360
        comment.height = max(90, 20 * (text.count("\n") + 2) + len(text) // 2)
        c.comment = comment


def _pictures_lost(source: Path) -> bool:
    """openpyxl drops a workbook's pictures unless Pillow is installed: say so when there are any."""
    try:
        import PIL  # noqa: F401
    except ImportError:
        import zipfile

        try:
            with zipfile.ZipFile(source) as zf:
                return any(n.startswith("xl/media/") for n in zf.namelist())
        except (OSError, zipfile.BadZipFile, ValueError):
            return False
    return False


def annotate(report: Report, out: str | os.PathLike[str], *, force: bool = False) -> Plan:
    """``check --annotate OUT``: a copy of the checked workbook with marks and a 校验结果 sheet.

    Refuses an ``out`` whose suffix does not match what is written (.xlsx; .xlsm from an .xlsm source)
    and, without ``force``, an existing file that is not an earlier annotated copy."""
    if report.file is None:
        raise OutputError("没有源文件，无法生成标注副本。")
    source = Path(report.file)
    allowed = (".xlsx", ".xlsm") if source.suffix.lower() == ".xlsm" else (".xlsx",)
    refuse_suffix(out, allowed, "标注副本")
    if Path(out).resolve() != source.resolve():
        refuse_overwrite(out, "标注副本", lambda f: has_marker(f, ANNOTATED_MARKER), force=force)
    p = plan(report)
    FileSink(report.file, out).apply(p)
    return p


annotate_file = annotate  # the name the command line used first

# Kept importable from here (they moved to xladdin.outputs.toolkit): OK_FILL, TEMP_PREFIX, STALE_TEMP_SECONDS,
# xml_text, safe_sheet_title, save_workbook_atomically, remove_stale_temps.
__all__ = [
    "ERROR_FILL",
    "OK_FILL",
    "RESULT_HEADER",
    "RESULT_SHEET",
    "RESULT_WIDTHS",
    "STALE_TEMP_SECONDS",
    "TEMP_PREFIX",
    "WARNING_FILL",
    "FileSink",
    "Mark",
    "MarkTarget",
    "Marked",
    "OpenpyxlTarget",
    "Plan",
    "ResultGrid",
    "annotate",
    "annotate_file",
    "apply_marks",
    "clear_marks",
    "is_own_note",
    "note_with",
    "note_without",
    "plan",
    "read_record",
    "remove_stale_temps",
    "result_grid",
    "safe_sheet_title",
    "save_workbook_atomically",
    "write_result_sheet",
    "xml_text",
]
