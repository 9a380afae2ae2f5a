"""The 测算对比 sheet: the quantitative 共性指标 computed from the 基础数据 beside the self-scores.

Written into the annotated copy (``check --annotate``, openpyxl) and into the open workbook by the 校验
button (``xl.LiveSink``, xlwings) from one grid (:func:`measured_grid`), so both show the same cells; over
all departments in the summary (:func:`write_summary_sheets`). The self-scores are only shown, never
changed. Printed A4 landscape, one page wide at ≥ 75%: the long 规则/计算过程/说明/依据文件 columns are
wrapped in rows tall enough for them rather than shrunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xladdin.core.numbers import fmt
from xladdin.outputs.toolkit import (
    HEADER_FILL,
    LINK_COLOR,
    OK_FILL,
    PAGE_NUMBERS,
    WARNING_FILL,
    page_setup,
    put,
    quoted_sheet,
    row_height,
    solid,
    wrapped_lines,
)

MEASURED_SHEET = "测算对比"
HEADER = ("三级指标", "分值", "自评得分", "测算值", "建议得分", "差异", "规则", "计算过程", "状态", "说明", "依据文件")
# Character units; Σ 165 (+ 单位 16 in the summary) prints one A4 landscape page wide at ~80%.
WIDTHS = (18, 6, 8, 10, 8, 7, 24, 30, 10, 26, 18)
WRAPPED = (1, 7, 8, 10, 11)  # 三级指标, 规则, 计算过程, 说明, 依据文件 (1-based)
NUMBER_COLS = (2, 3, 4, 5, 6)  # 分值 … 差异: centred
STATUS_FILL = {"自评偏高": WARNING_FILL, "一致": OK_FILL, "自评偏低": "DDEBF7", "缺少数据": "F2F2F2"}
ALL_HEADER = ("单位",) + HEADER
UNIT_WIDTH = 16
TITLE = "测算对比（按基础数据测算定量共性指标，与自评得分并排）"
# The template has a 测算对比 sheet of its own (formulas, outputs/basic_data_sheet.py): ours never
# replaces a sheet of that name whose first cell is not our TITLE; it goes beside it under this name.
OWN_SHEET = "测算对比（校验）"


def sheet_name(names: Any, first_cell: Any) -> str:
    """Where this run's 测算对比 goes: 测算对比 when there is none or it is ours (``first_cell(name)``
    is A1 of a sheet), else :data:`OWN_SHEET` (replaced on every run)."""
    if MEASURED_SHEET not in names or first_cell(MEASURED_SHEET) == TITLE:
        return MEASURED_SHEET
    return OWN_SHEET


def _num(x: float | None) -> object:
    return "" if x is None else x


def row_values(r: Any) -> list[object]:
    """One 测算对比 row (a :class:`~xladdin.kinds.basic_data.measure.MeasuredRow`) as cell values."""
    note = r.note
    if r.missing and r.status == "缺少数据":
        note = ("缺少：" + "、".join(r.missing)) + (f"；{note}" if note else "")
    return [r.name, _num(r.weight), _num(r.self_score), r.value_text, _num(r.suggested), _num(r.difference),
            r.rule, r.process, r.status, note, r.source]


def summary_lines(m: Any) -> list[tuple[str, str]]:
    lines = [
        ("评分规则", m.profile),
        ("基础数据", f"工作表“{m.basic_sheet}”" if m.basic_sheet else "（没有基础数据表）"),
        ("自评总分", f"{fmt(m.self_total)}（{m.self_grade or '—'}）"),
        ("测算总分", f"{fmt(m.measured_total)}（{m.measured_grade or '—'}）"),
        ("自评偏高", f"{len(m.high_rows)} 项，合计 {fmt(m.high_difference)} 分"),
    ]
    if m.self_grade != m.measured_grade:
        lines.insert(0, ("结论", f"等级变化：{m.self_grade} → {m.measured_grade}"))
    lines.append(("说明", "测算总分 = 自评总分 − 各“自评偏高”行的差异（自评偏低的行不加分）；"
                          "自评得分没有被修改，建议得分供复核参考。"))
    return lines


def wrapped_height(values: Any, widths: Any, wrapped: Any) -> float | None:
    """The height (points) a row needs for its wrapped text columns; None for a one-line row."""
    lines = max((wrapped_lines(v, widths[c - 1]) for c in wrapped
                 if c - 1 < len(values) and isinstance(v := values[c - 1], str)), default=1)
    return row_height(lines) if lines > 1 else None


@dataclass(slots=True)
class MeasuredGrid:
    """The 测算对比 sheet of one workbook, the same for every sink (1-based rows/columns, as Excel counts)."""

    rows: list[list]  # rows[0] is sheet row 1
    header_row: int
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "'Sheet'!A1")
    fills: list[tuple[int, int, int, str]] = field(default_factory=list)  # (row, first col, last col, RRGGBB)
    heights: dict[int, float] = field(default_factory=dict)  # row -> points (wrapped rows only)
    widths: tuple[int, ...] = WIDTHS
    wrapped: tuple[int, ...] = WRAPPED

    @property
    def width(self) -> int:
        return len(self.widths)

    @property
    def label_rows(self) -> range:
        """The summary lines (bold labels in column A) between the title and the header."""
        return range(2, self.header_row - 1)

    @property
    def data_rows(self) -> range:
        return range(self.header_row + 1, len(self.rows) + 1)

    @property
    def last_row(self) -> int:
        return max(len(self.rows), self.header_row)

    @property
    def print_title(self) -> str:
        return "测算对比（按基础数据测算，自评得分未修改）"


def measured_grid(m: Any, table_sheet: str | None = None) -> MeasuredGrid:
    """The 测算对比 of ``m`` (a Measured): title, summary lines, header, one row per indicator; the
    indicator names link to their row of ``table_sheet``."""
    rows: list[list] = [[TITLE]]
    for label, value in summary_lines(m):
        rows.append([label, value])
    rows.append([])
    rows.append(list(HEADER))
    g = MeasuredGrid(rows, header_row=len(rows))
    g.fills.append((g.header_row, 1, len(HEADER), HEADER_FILL))
    quoted = quoted_sheet(table_sheet) if table_sheet else None
    status_col = HEADER.index("状态") + 1
    for row in m.rows:
        values = row_values(row)
        rows.append(values)
        r = len(rows)
        if quoted and row.cell:
            g.links.append((r, 1, f"{quoted}!{row.cell}"))
        if row.status in STATUS_FILL:
            g.fills.append((r, status_col, status_col, STATUS_FILL[row.status]))
        height = wrapped_height(values, WIDTHS, WRAPPED)
        if height:
            g.heights[r] = height
    if not m.rows:
        rows.append(["评分表中没有可按基础数据测算的定量共性指标。"])
    return g


def print_measured(ws: Any, g: MeasuredGrid) -> None:
    """Print setup of an openpyxl 测算对比 sheet: A4 landscape, one page wide, header row repeated."""
    from openpyxl.utils import get_column_letter

    page_setup(ws, title_rows=f"{g.header_row}:{g.header_row}",
               print_area=f"A1:{get_column_letter(g.width)}{g.last_row}",
               footer=PAGE_NUMBERS, title=g.print_title, print_date=True)


def write_measured_sheet(wb: Any, m: Any, table_sheet: str | None = None) -> Any:
    """Replace (or add) the 测算对比 sheet of an openpyxl workbook with ``m`` (a Measured); a template's
    formula sheet of that name is kept (see :func:`sheet_name`)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    name = sheet_name(wb.sheetnames, lambda n: wb[n].cell(1, 1).value)
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    g = measured_grid(m, table_sheet)
    for r, row in enumerate(g.rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None and v != "":
                put(ws.cell(r, c), v)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    bold = Font(bold=True)
    for r in g.label_rows:
        ws.cell(r, 1).font = bold
    for c, w in enumerate(g.widths, 1):
        head = ws.cell(g.header_row, c)
        head.font = bold
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = w
    for r in g.data_rows:
        for c in range(1, g.width + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=c in g.wrapped, vertical="top",
                                                horizontal="center" if c in NUMBER_COLS else None)
    for r, h in g.heights.items():
        ws.row_dimensions[r].height = h
    for r, c0, c1, color in g.fills:
        for c in range(c0, c1 + 1):
            ws.cell(r, c).fill = solid(color)
    for r, c, target in g.links:
        ws.cell(r, c).hyperlink = f"#{target}"
        ws.cell(r, c).font = Font(color=LINK_COLOR, underline="single")
    ws.freeze_panes = ws.cell(g.header_row + 1, 1)
    print_measured(ws, g)
    return ws


UNITS_SHEET = "测算汇总"
UNITS_HEADER = ("序号", "单位", "自评总分", "自评等级", "测算总分", "测算等级", "等级变化", "自评偏高项数", "Σ差异",
                "缺少数据项数", "评分规则", "文件")


def write_summary_sheets(book: Any, summary: Any) -> None:
    """The summary's two sheets for the units that sent a 基础数据 sheet (``book`` is the summary
    writer's ``_Book``): 测算汇总, one row per unit, those with the most points of 自评偏高 first (the
    column to sort on when choosing which departments to re-check); 测算对比, every unit's rows."""
    from xladdin.outputs.summary_book import PLAIN, SCORE_FMT, Style, Styled

    units = [e for e in summary.ranked if e.measured is not None]
    units.sort(key=lambda e: (-e.measured.high_difference, -len(e.measured.high_rows), e.rank or 0))
    flagged = Style(fill=WARNING_FILL)
    rows: list[list[Any]] = []
    for n, e in enumerate(units, 1):
        m = e.measured
        changed = f"{m.self_grade} → {m.measured_grade}" if m.self_grade != m.measured_grade else ""
        high = len(m.high_rows)
        rows.append([n, e.unit_shown or e.unit, m.self_total, m.self_grade, m.measured_total, m.measured_grade,
                     Styled(changed, 1) if changed else "", Styled(high, 1) if high else 0,
                     Styled(m.high_difference, 1) if high else 0.0,
                     sum(1 for r in m.rows if r.status == "缺少数据"), m.profile, e.display])
    t = book.table(UNITS_SHEET, UNITS_HEADER, (5, 24, 8, 8, 8, 8, 10, 10, 8, 10, 10, 40),
                   [PLAIN, PLAIN, Style(SCORE_FMT), PLAIN, Style(SCORE_FMT), PLAIN, [PLAIN, flagged],
                    [PLAIN, flagged], [Style(SCORE_FMT), Style(SCORE_FMT, WARNING_FILL)], PLAIN, PLAIN, PLAIN],
                   freeze="C2")
    t.rows = rows
    book.finish(len(UNITS_HEADER), len(rows))
    detail: list[list[Any]] = []
    for e in units:
        for r in e.measured.rows:
            values = row_values(r)
            status = values[8]
            variant = 1 if status == "自评偏高" else (2 if status == "一致" else 0)
            values[8] = Styled(status, variant)
            detail.append([e.unit_shown or e.unit, *[None if v == "" else v for v in values]])
    widths = (UNIT_WIDTH,) + WIDTHS  # one A4 landscape page wide at ~78%: long texts wrap, rows grow
    wrap, mid = Style(wrap=True), Style(center=True)  # 分值 … 差异 centred, as in the annotated copy
    t = book.table(MEASURED_SHEET, ALL_HEADER, widths,
                   [wrap, wrap, mid, mid, mid, mid, mid, wrap, wrap,
                    [PLAIN, flagged, Style(fill=OK_FILL)], wrap, wrap], freeze="B2")
    t.rows = detail
    cols = list(zip(*detail)) if detail else []
    t.heights = book.heights([(cols[c], widths[c]) for c in (0, *WRAPPED)]) if detail else None
    book.finish(len(ALL_HEADER), len(detail))
