"""The 测算对比 sheet: the quantitative 共性指标 computed from the 基础数据 beside the self-scores.

Written into the annotated copy (``check --annotate``) next to 校验结果, and over all departments in
the summary (:func:`write_all_departments`). The grid is built here once (:func:`measured_grid`),
so every writer shows the same columns. The self-scores are only shown, never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xladdin.core.numbers import fmt
from xladdin.outputs.toolkit import HEADER_FILL, LINK_COLOR, OK_FILL, WARNING_FILL, page_setup, put, quoted_sheet, solid

MEASURED_SHEET = "测算对比"
HEADER = ("三级指标", "分值", "自评得分", "测算值", "建议得分", "差异", "规则", "计算过程", "状态", "说明", "依据文件")
WIDTHS = (22, 7, 9, 11, 9, 8, 34, 44, 11, 40, 34)
WRAPPED = (7, 8, 10, 11)  # 规则, 计算过程, 说明, 依据文件
STATUS_FILL = {"自评偏高": WARNING_FILL, "一致": OK_FILL, "自评偏低": "DDEBF7", "缺少数据": "F2F2F2"}
ALL_HEADER = ("单位",) + HEADER


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


def _style_table(ws: Any, header_row: int, last_row: int, status_col: int, widths: Sequence[int],
                 wrapped: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for c in range(1, len(widths) + 1):
        cell = ws.cell(header_row, c)
        cell.font = bold
        cell.fill = solid(HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    first_num = len(widths) - len(HEADER) + 2  # 分值 … 差异 (and 测算值): centred
    for r in range(header_row + 1, last_row + 1):
        lines = 1
        for c in range(1, len(widths) + 1):
            centred = first_num <= c < first_num + 5
            ws.cell(r, c).alignment = Alignment(wrap_text=c in wrapped, vertical="top",
                                                horizontal="center" if centred else None)
            value = ws.cell(r, c).value
            if c in wrapped and isinstance(value, str):  # ~1 CJK character per 2 width units
                lines = max(lines, -(-len(value) * 2 // max(widths[c - 1] - 2, 1)))
        ws.row_dimensions[r].height = 15 * lines
        status = ws.cell(r, status_col).value
        if status in STATUS_FILL:
            ws.cell(r, status_col).fill = solid(STATUS_FILL[status])
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    last_col = get_column_letter(len(widths))
    page_setup(ws, title_rows=f"{header_row}:{header_row}", print_area=f"A1:{last_col}{max(last_row, header_row)}")


def write_measured_sheet(wb: Any, m: Any, table_sheet: str | None = None) -> Any:
    """Replace (or add) the 测算对比 sheet of an openpyxl workbook with ``m`` (a Measured)."""
    from openpyxl.styles import Font

    if MEASURED_SHEET in wb.sheetnames:
        del wb[MEASURED_SHEET]
    ws = wb.create_sheet(MEASURED_SHEET)
    put(ws.cell(1, 1), "测算对比（按基础数据测算定量共性指标，与自评得分并排）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    r = 2
    for label, value in summary_lines(m):
        put(ws.cell(r, 1), label).font = Font(bold=True)
        put(ws.cell(r, 2), value)
        r += 1
    header_row = r + 1
    for c, h in enumerate(HEADER, 1):
        put(ws.cell(header_row, c), h)
    r = header_row
    quoted = quoted_sheet(table_sheet) if table_sheet else None
    for row in m.rows:
        r += 1
        for c, v in enumerate(row_values(row), 1):
            if v != "":
                put(ws.cell(r, c), v)
        if quoted and row.cell:
            ws.cell(r, 1).hyperlink = f"#{quoted}!{row.cell}"
            ws.cell(r, 1).font = Font(color=LINK_COLOR, underline="single")
    if not m.rows:
        r += 1
        put(ws.cell(r, 1), "评分表中没有可按基础数据测算的定量共性指标。")
    _style_table(ws, header_row, r, HEADER.index("状态") + 1, WIDTHS, WRAPPED)
    return ws


def write_all_departments(wb: Any, departments: Sequence[tuple[str, Any]]) -> Any:
    """The summary's 测算对比 sheet: every department's rows, (unit, Measured) pairs in summary order."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(MEASURED_SHEET)
    put(ws.cell(1, 1), "测算对比（各单位按基础数据测算的定量共性指标）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    header_row = 3
    for c, h in enumerate(ALL_HEADER, 1):
        put(ws.cell(header_row, c), h)
    r = header_row
    for unit, m in departments:
        for row in m.rows:
            r += 1
            for c, v in enumerate([unit] + row_values(row), 1):
                if v != "":
                    put(ws.cell(r, c), v)
    if r == header_row:
        r += 1
        put(ws.cell(r, 1), "没有单位报送基础数据表。")
    _style_table(ws, header_row, r, ALL_HEADER.index("状态") + 1, (20,) + WIDTHS, tuple(c + 1 for c in WRAPPED))
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
    t = book.table(MEASURED_SHEET, ALL_HEADER, (20,) + WIDTHS,
                   [PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, Style(wrap=True), Style(wrap=True),
                    [PLAIN, flagged, Style(fill=OK_FILL)], Style(wrap=True), Style(wrap=True)], freeze="B2")
    t.rows = detail
    book.finish(len(ALL_HEADER), len(detail))
