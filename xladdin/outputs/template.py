"""The fill-in template (评分表模板): the familiar scoring table that works without Python.

Built on :func:`xladdin.outputs.layout.write_table` (names, weights and merged blocks), then:

- 得分 = 分值 − 扣分 formulas, a 合计 row summing every column, 综合得分 and 评价等级 formulas (bands
  from the grading), and a 一级指标得分小计 block;
- data validation on 扣分 (0 … the row's 分值, Chinese prompt and error), conditional formatting that
  flags a deduction without a reason and an impossible deduction;
- only the input cells (扣分, 扣分原因, 单位名称, 评价年度, 填报人, 联系电话) unlocked, the sheet
  protected without a password; A4 landscape, header row repeated, fit to one page wide.

``xladdin check`` reads a filled template like any submission (round trip tested).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from xladdin.kinds.department.framework import SEED_FRAMEWORK, Leaf
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.outputs.layout import HEADERS, Geometry, write_table
from xladdin.core.numbers import fmt

SHEET_NAME = "评分表"
BASE_TITLE = "部门整体支出绩效评价指标评分表"
DEFAULT_TEMPLATE_NAME = "评分表模板.xlsx"
SUMMARY_SHEET = "汇总"
FOLDER_NAME = "汇总文件夹"  # workbook-level names read by the 汇总 button
OUTPUT_NAME = "汇总结果"
CONF_SHEET = "xlwings.conf"

INPUT_FILL = "DDEBF7"  # light blue: cells the department fills in
HEADER_FILL = "D9D9D9"
TOTAL_FILL = "F2F2F2"
REASON_MISSING_FILL = "F8CBAD"  # orange: a deduction without a reason
BAD_FILL = "FFC7CE"  # red: a deduction the score cannot take
FONT = "宋体"
# A fixed timestamp keeps the generated file identical run to run (the shipped copy is compared).
FIXED_TIME = _dt.datetime(2024, 1, 1)

NARROW = 6.5


@dataclass(slots=True)
class TemplateInfo:
    """Where the template's parts are (A1 addresses, 1-based rows)."""

    sheet: str
    geometry: Geometry
    leaves: tuple[Leaf, ...]
    unit_cell: str
    year_cell: str
    filler_cell: str
    phone_cell: str
    total_cell: str  # 综合得分
    grade_cell: str  # 评价等级
    totals_row: int
    subtotal_rows: dict[str, int] = field(default_factory=dict)  # level-1 name -> row
    last_row: int = 0
    input_cells: list[str] = field(default_factory=list)

    def deduction_cell(self, path: Sequence[str]) -> str:
        return self.geometry.cell("deduction", self._row(path))

    def reason_cell(self, path: Sequence[str]) -> str:
        return self.geometry.cell("reason", self._row(path))

    def score_cell(self, path: Sequence[str]) -> str:
        return self.geometry.cell("score", self._row(path))

    def _row(self, path: Sequence[str]) -> int:
        for leaf, r in zip(self.leaves, self.geometry.leaf_rows):
            if leaf.path == tuple(path):
                return r
        raise KeyError(f"模板中没有指标“{' / '.join(path)}”")


def template_title(unit: str | None = None, year: int | None = None) -> str:
    return f"{unit or ''}{f'{year}年度' if year else ''}{BASE_TITLE}"


def grade_formula(ref: str, grading: Grading = DEFAULT_GRADING) -> str:
    """Nested IFs over the bands, with the engine's tolerance (a hair of float noise never drops a band)."""
    bands = [(bound, label.replace('"', '""')) for bound, label in grading.bands]  # a label stays a string
    expr = f'"{bands[-1][1]}"'
    for bound, label in reversed(bands[:-1]):
        expr = f'IF({ref}>={fmt(bound)}-1E-9,"{label}",{expr})'
    return f'=IF(ISNUMBER({ref}),{expr},"")'


def bands_text(grading: Grading = DEFAULT_GRADING) -> str:
    """'总得分在 90 分（含）以上为“优”，80（含）～90 分为“良”，…，60 分以下为“差”'."""
    bands = list(grading.bands)
    parts: list[str] = []
    upper: float | None = None
    for bound, label in bands:
        if bound == float("-inf"):
            parts.append(f"{fmt(upper)} 分以下为“{label}”" if upper is not None else f"均为“{label}”")
        elif upper is None:
            parts.append(f"{fmt(bound)} 分（含）以上为“{label}”")
        else:
            parts.append(f"{fmt(bound)}（含）～{fmt(upper)} 分为“{label}”")
        upper = bound
    return "总得分在 " + "，".join(parts)


def write_template(
    out: str | os.PathLike[str] | None = None,
    *,
    leaves: Sequence[Leaf] = SEED_FRAMEWORK,
    unit: str | None = None,
    year: int | None = None,
    title: str | None = None,
    grading: Grading = DEFAULT_GRADING,
    excel: bool = False,
    interpreter: str | None = None,
):
    """Write the template; returns (openpyxl Workbook, TemplateInfo). Saves atomically when ``out`` is given.

    ``excel=True`` adds what the Excel buttons need (``xladdin excel-setup``): a 汇总 sheet with the
    named cells 汇总文件夹 / 汇总结果 and the hidden xlwings.conf sheet (``interpreter``: the python.exe
    xlwings should start; blank = xlwings' default).
    """
    import openpyxl

    leaves = tuple(leaves)
    from xladdin.errors import ConfigError

    if not leaves:
        raise ConfigError("指标体系为空，无法生成模板。")
    if max(len(leaf.levels) for leaf in leaves) < 2:
        raise ConfigError("指标体系只有一级指标：评分表模板至少需要两级指标（一级指标、二级指标）。")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    info = _write_scoring_sheet(ws, leaves, unit=unit, year=year, title=title, grading=grading)
    if excel:
        _write_summary_sheet(wb)
        write_conf_sheet(wb, interpreter)
    wb.active = 0
    props = wb.properties
    props.creator = "xladdin"
    props.lastModifiedBy = "xladdin"
    props.title = ws.cell(1, 1).value
    props.created = props.modified = FIXED_TIME
    if out is not None:
        from xladdin.outputs.annotate import save_workbook_atomically

        save_workbook_atomically(wb, Path(out))
    return wb, info


# -- the scoring sheet ------------------------------------------------------------------------------

def _columns(leaves: Sequence[Leaf]) -> tuple[tuple[str, ...], int]:
    depth = max(len(leaf.levels) for leaf in leaves)
    cols: list[str] = []
    for k in range(1, depth + 1):
        cols += [f"name:{k}", f"weight:{k}"]
    cols += ["criteria", "deduction", "score", "reason"]
    return tuple(cols), depth


def _write_scoring_sheet(ws, leaves: tuple[Leaf, ...], *, unit, year, title, grading: Grading) -> TemplateInfo:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns, depth = _columns(leaves)
    headers = {f"name:{k}": HEADERS.get(f"name:{k}", f"{k}级指标") for k in range(1, depth + 1)}
    headers.update({f"weight:{k}": "分值" for k in range(1, depth + 1)})
    ncols = len(columns)
    last_col = get_column_letter(ncols)
    has_criteria = any(leaf.criteria for leaf in leaves)

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    underline = Border(bottom=thin)
    body = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)

    # Title and the header lines (单位名称 alone on its line: a blank value must not pick up a neighbour).
    ws.cell(1, 1, title or template_title(unit, year))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    c_crit = columns.index("criteria") + 1
    c_ded, c_score, c_reason = c_crit + 1, c_crit + 2, c_crit + 3
    w_last = columns.index(f"weight:{depth}") + 1

    def label(r: int, c: int, text: str, *, to: int | None = None) -> None:
        ws.cell(r, c, text).font = bold
        ws.cell(r, c).alignment = right if to is None else Alignment(horizontal="right", vertical="center")
        if to is not None and to > c:
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=to)

    def field_cell(r: int, c0: int, c1: int, value=None, *, text: bool = False) -> str:
        cell = ws.cell(r, c0, value)
        cell.font = body
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if text:
            cell.number_format = "@"
        for c in range(c0, c1 + 1):
            ws.cell(r, c).border = underline
            ws.cell(r, c).protection = unlocked
            ws.cell(r, c).fill = input_fill
        if c1 > c0:
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
        return cell.coordinate

    label(2, 1, "单位名称：")
    unit_cell = field_cell(2, 2, w_last, unit or None)
    label(3, 1, "评价年度：")
    year_end = 3 if depth >= 3 else 2  # two levels: the year sits in the narrow 分值 column, still wide enough
    year_cell = field_cell(3, 2, year_end, str(year) if year else None, text=True)
    label(3, year_end + 1, "填报人：", to=w_last)
    filler_cell = field_cell(3, w_last + 1, c_crit)
    label(3, c_ded, "联系电话：", to=c_score)
    phone_cell = field_cell(3, c_reason, c_reason, text=True)
    for r in (2, 3):
        ws.row_dimensions[r].height = 22

    geo = write_table(ws, leaves, columns=columns, headers=headers, title=None, start_row=4,
                      totals_label="合计", criteria=True)
    hr, first, tr = geo.header_row, geo.first_row, geo.totals_row
    assert tr is not None
    # Everything so far is text (title, --unit, indicator names and criteria from a framework file):
    # a name such as "=1+1" stays text. The formulas come after this.
    for row in ws.iter_rows(min_row=1, max_row=tr):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    last = tr - 1
    L = get_column_letter
    ded, score, reason = L(c_ded), L(c_score), L(c_reason)

    # Header row
    for c in range(1, ncols + 1):
        cell = ws.cell(hr, c)
        cell.font = bold
        cell.alignment = center
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = box
    ws.row_dimensions[hr].height = 30

    # Body: styles, 得分 formulas, input cells, validation
    weight_col_of: dict[int, str] = {}
    for leaf, r in zip(leaves, geo.leaf_rows):
        wcol = L(columns.index(f"weight:{len(leaf.levels)}") + 1)
        weight_col_of[r] = wcol
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.border = box
            cell.font = body
            cell.alignment = left if c in (c_crit, c_reason) else center
        ws.cell(r, c_score).value = f"={wcol}{r}-{ded}{r}"
        for c in (c_ded, c_reason):
            ws.cell(r, c).protection = unlocked
            ws.cell(r, c).fill = input_fill
        # Long criteria get room for their lines; other rows keep Excel's automatic height, so a long
        # 扣分原因 typed in later wraps and the row grows to show it all (on screen and on paper).
        if leaf.criteria and len(leaf.criteria) > 17:  # ~17 CJK characters a line in the criteria column
            ws.row_dimensions[r].height = 15 * -(-len(leaf.criteria) // 17) + 4
        w = leaf.weight
        dv = DataValidation(
            type="decimal", operator="between", formula1="0", formula2=f"${wcol}${r}", allow_blank=True,
            showInputMessage=True, showErrorMessage=True, errorStyle="stop",
            promptTitle="扣分", prompt=f"填写本项扣分：0 至 {fmt(w)} 分（本项分值 {fmt(w)} 分）。不扣分请留空。",
            errorTitle="扣分超出范围", error=f"扣分应为 0 至 {fmt(w)} 之间的数字（不能超过本项分值 {fmt(w)} 分）。请重新填写。",
        )
        ws.add_data_validation(dv)
        dv.add(f"{ded}{r}")

    # 合计 row: each 分值 column sums its level plus the rows that stop above it (like the engine).
    ws.cell(tr, 1).value = "合计"
    for k in range(1, depth + 1):
        wc = columns.index(f"weight:{k}") + 1
        terms = [f"SUM({L(wc)}{first}:{L(wc)}{last})"]
        for leaf, r in zip(leaves, geo.leaf_rows):
            if len(leaf.levels) < k:
                terms.append(f"{weight_col_of[r]}{r}")
        ws.cell(tr, wc).value = "=" + "+".join(terms)
        if k > 1:
            ws.cell(tr, columns.index(f"name:{k}") + 1).value = "-"
    ws.cell(tr, c_ded).value = f"=SUM({ded}{first}:{ded}{last})"
    ws.cell(tr, c_score).value = f"=SUM({score}{first}:{score}{last})"
    for c in range(1, ncols + 1):
        cell = ws.cell(tr, c)
        cell.border = box
        cell.font = bold
        cell.alignment = center
        cell.fill = PatternFill("solid", fgColor=TOTAL_FILL)
    ws.row_dimensions[tr].height = 22

    # 综合得分 / 评价等级
    sr = tr + 1
    ws.cell(sr, 1, "综合得分：").font = Font(name=FONT, size=12, bold=True)
    ws.cell(sr, 1).alignment = right
    ws.cell(sr, 2).value = f"={score}{tr}"
    if year_end > 2:
        ws.merge_cells(start_row=sr, start_column=2, end_row=sr, end_column=year_end)
    total_cell = f"B{sr}"
    lab_end = max(year_end + 1, w_last - 1) if depth >= 3 else w_last
    label(sr, year_end + 1, "评价等级：", to=lab_end)
    ws.cell(sr, year_end + 1).font = Font(name=FONT, size=12, bold=True)
    gcol = lab_end + 1
    grade_cell = f"{L(gcol)}{sr}"
    ws.cell(sr, gcol).value = grade_formula(f"B{sr}", grading)
    if gcol + 1 <= c_crit:
        ws.merge_cells(start_row=sr, start_column=gcol, end_row=sr, end_column=gcol + 1)
    for ref in (total_cell, grade_cell):
        ws[ref].font = Font(name=FONT, size=14, bold=True, color="C00000")
        ws[ref].alignment = Alignment(horizontal="center", vertical="center")
        ws[ref].border = underline
    ws.row_dimensions[sr].height = 28

    # 一级指标得分小计: 一级指标 | 分值 | 得分率 | 扣分 | 得分
    br = sr + 2
    heads = ((1, 1, "一级指标"), (2, 2, "分值"), (3, c_crit, "得分率"), (c_ded, c_ded, "扣分"),
             (c_score, c_score, "得分"))
    for c0, c1, text in heads:
        ws.cell(br, c0, text)
        if c1 > c0:
            ws.merge_cells(start_row=br, start_column=c0, end_row=br, end_column=c1)
    for c in range(1, c_score + 1):
        cell = ws.cell(br, c)
        cell.font = bold
        cell.alignment = center
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = box
    ws.row_dimensions[br].height = 20
    subtotal_rows: dict[str, int] = {}
    r = br
    for path, (r0, r1) in geo.blocks_at(1):
        r += 1
        subtotal_rows[path[0]] = r
        ws.cell(r, 1, f"=A{r0}")
        ws.cell(r, 2, f"=B{r0}")
        ws.cell(r, 3, f'=IF(N(B{r})=0,"",{score}{r}/B{r})')
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=c_crit)
        ws.cell(r, c_ded, f"=SUM({ded}{r0}:{ded}{r1})")
        ws.cell(r, c_score, f"=SUM({score}{r0}:{score}{r1})")
        for c in range(1, c_score + 1):
            cell = ws.cell(r, c)
            cell.border = box
            cell.font = body
            cell.alignment = center
        ws.cell(r, 3).number_format = "0.0%"
        ws.row_dimensions[r].height = 18
    sub_last = r

    # Notes (worded so the reader never mistakes them for a stated total or grade)
    nr = sub_last + 2
    notes = (
        "填表说明：1. 只填写浅蓝色单元格：单位名称、评价年度、填报人、联系电话，以及各指标的“扣分”和“扣分原因”；"
        "不扣分的指标“扣分”留空。2. 得分（分值 − 扣分）、合计、综合得分、评价等级和一级指标小计由公式自动计算，无需填写。"
        "3. 有扣分的指标必须写明扣分原因（未写时显示为橙色）；扣分不能超过该指标分值（超出时显示为红色）。"
        f"4. 等级标准：{bands_text(grading)}。"
    )
    ws.cell(nr, 1, notes)
    ws.merge_cells(start_row=nr, start_column=1, end_row=nr, end_column=ncols)
    ws.cell(nr, 1).font = Font(name=FONT, size=10)
    ws.cell(nr, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.row_dimensions[nr].height = 15 * 4 + 6

    # Conditional formatting on the input column
    rng_d = f"{ded}{first}:{ded}{last}"
    rng_r = f"{reason}{first}:{reason}{last}"
    ws.conditional_formatting.add(rng_r, FormulaRule(
        formula=[f"AND(ISNUMBER(${ded}{first}),${ded}{first}>0,LEN(TRIM(${reason}{first}))=0)"],
        fill=PatternFill("solid", fgColor=REASON_MISSING_FILL, bgColor=REASON_MISSING_FILL), stopIfTrue=False))
    ws.conditional_formatting.add(rng_d, FormulaRule(
        formula=[f"OR(ISERROR(${score}{first}),AND(ISNUMBER(${score}{first}),${score}{first}<0),"
                 f"AND(ISNUMBER(${ded}{first}),${ded}{first}<0))"],
        fill=PatternFill("solid", fgColor=BAD_FILL, bgColor=BAD_FILL), font=Font(color="9C0006", bold=True),
        stopIfTrue=False))

    # Widths
    widths: dict[str, float] = {}
    name_w = {1: 14, 2: 16, 3: 22, 4: 22}
    for k in range(1, depth + 1):
        widths[f"name:{k}"] = name_w.get(k, 20)
        widths[f"weight:{k}"] = NARROW
    widths.update({"criteria": 36 if has_criteria else 24, "deduction": 8, "score": 8, "reason": 32})
    for role, width in widths.items():
        ws.column_dimensions[L(columns.index(role) + 1)].width = width

    # Protection: only the input cells are unlocked; no password (审阅 → 撤销工作表保护).
    prot = ws.protection
    prot.sheet = True
    prot.formatColumns = False  # False = allowed: clerks may widen columns and heighten rows
    prot.formatRows = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False

    # View and print
    ws.freeze_panes = ws.cell(first, 1)
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 100
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{hr}:{hr}"
    ws.print_area = f"A1:{last_col}{nr}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    _page_breaks(ws, geo, columns, first_row_after_table=tr, last_row=nr)

    inputs = [unit_cell, year_cell, filler_cell, phone_cell]
    for r in geo.leaf_rows:
        inputs += [f"{ded}{r}", f"{reason}{r}"]
    return TemplateInfo(
        sheet=ws.title, geometry=geo, leaves=leaves, unit_cell=unit_cell, year_cell=year_cell,
        filler_cell=filler_cell, phone_cell=phone_cell, total_cell=total_cell, grade_cell=grade_cell,
        totals_row=tr, subtotal_rows=subtotal_rows, last_row=nr, input_cells=inputs)


# A4 landscape, in points.
PAGE_W, PAGE_H = 841.9, 595.3


def _page_breaks(ws, geo: Geometry, columns: Sequence[str], *, first_row_after_table: int, last_row: int) -> None:
    """Manual page breaks between level-1 blocks, so no merged block is cut by a page edge.

    The page height is estimated from the column widths (fit to one page wide scales the sheet) with a
    safety margin; a level-1 block taller than a page is broken between its level-2 blocks instead.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    def height(r: int) -> float:
        h = ws.row_dimensions[r].height
        return float(h) if h else 15.0

    width_pt = sum((ws.column_dimensions[get_column_letter(i + 1)].width * 7 + 5) * 0.75 for i in range(len(columns)))
    m = ws.page_margins
    scale = min(1.0, (PAGE_W - (m.left + m.right) * 72) / width_pt)
    capacity = (PAGE_H - (m.top + m.bottom) * 72) / scale * 0.92
    header_h = height(geo.header_row)

    def span_h(r0: int, r1: int) -> float:
        return sum(height(r) for r in range(r0, r1 + 1))

    units: list[tuple[int, int]] = []

    def add(level: int, r0: int, r1: int, prefix: tuple[str, ...]) -> None:
        inner = [(p, span) for p, span in geo.blocks_at(level + 1) if p[:level] == prefix]
        if span_h(r0, r1) + header_h <= capacity or not inner:
            units.append((r0, r1))
            return
        for p, (a, b) in inner:
            add(level + 1, a, b, p)

    for path, (r0, r1) in geo.blocks_at(1):
        add(1, r0, r1, path)
    # what follows the table: 合计 + 综合得分, the 小计 block, the notes
    tail = list(range(first_row_after_table, last_row + 1))
    sub_start = next((r for r in tail[2:] if ws.cell(r, 1).value == "一级指标"), None)
    if sub_start:
        units.append((first_row_after_table, sub_start - 2))
        units.append((sub_start - 1, last_row - 2))
        units.append((last_row - 1, last_row))
    else:
        units.append((first_row_after_table, last_row))
    used = span_h(1, geo.header_row)
    for r0, r1 in units:
        h = span_h(r0, r1)
        if used + h > capacity and used > header_h + 1:
            ws.row_breaks.append(Break(id=r0 - 1))
            used = header_h
            if ws.cell(r0, 1).value is None and r0 > geo.totals_row:  # a blank spacer row opens the page
                h -= height(r0)
        used += h


# -- the extras for Excel (xladdin excel-setup) -----------------------------------------------------

# xlwings settings of the workbook: the same key/value pairs as xladdin/excel/vba/xlwings.conf.
def conf_settings() -> list[tuple[str, str]]:
    from xladdin.excel.macros import read_conf

    return read_conf()


def write_conf_sheet(wb, interpreter: str | None = None) -> None:
    """The hidden xlwings.conf sheet (xlwings reads it: column A keys, column B values)."""
    if CONF_SHEET in wb.sheetnames:
        del wb[CONF_SHEET]
    ws = wb.create_sheet(CONF_SHEET)
    r = 0
    for key, value in conf_settings():
        if key.upper() == "INTERPRETER_WIN" and interpreter:
            value = interpreter
        if value == "":
            continue
        r += 1
        ws.cell(r, 1, key)
        ws.cell(r, 2, value).data_type = "s"
    ws.sheet_state = "hidden"


def _write_summary_sheet(wb) -> None:
    """A small 汇总 sheet for the finance bureau: the folder of submissions and where the summary goes."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(SUMMARY_SHEET)
    thin = Side(style="thin", color="000000")
    ws["A1"] = "汇总各部门评分表（财政局使用）"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A3"] = "评分表所在文件夹："
    ws["A4"] = "汇总结果保存为："
    ws["A6"] = ("说明：点“汇总”按钮，选择（或在上面填写）存放各部门评分表的文件夹，程序会逐一校验并生成汇总工作簿，"
                "完成后自动打开。“汇总结果保存为”留空时，保存在该文件夹旁边，文件名为“文件夹名-汇总.xlsx”。")
    ws["A6"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A6:D8")
    for ref in ("A3", "A4"):
        ws[ref].font = Font(name=FONT, size=11, bold=True)
        ws[ref].alignment = Alignment(horizontal="right")
    for ref in ("B3", "B4"):
        ws[ref].fill = PatternFill("solid", fgColor=INPUT_FILL)
        ws[ref].border = Border(bottom=thin)
        ws[ref].number_format = "@"
        ws.merge_cells(f"{ref}:D{ref[1:]}")
    ws.column_dimensions["A"].width = 20
    for col in "BCD":
        ws.column_dimensions[col].width = 24
    quoted = f"'{SUMMARY_SHEET}'"
    for name, ref in ((FOLDER_NAME, "$B$3"), (OUTPUT_NAME, "$B$4")):
        dn = DefinedName(name, attr_text=f"{quoted}!{ref}")
        try:
            wb.defined_names[name] = dn  # openpyxl >= 3.1
        except TypeError:  # pragma: no cover - older openpyxl
            wb.defined_names.append(dn)


__all__ = ["write_template", "TemplateInfo", "template_title", "grade_formula", "bands_text", "SHEET_NAME",
           "DEFAULT_TEMPLATE_NAME", "SUMMARY_SHEET", "FOLDER_NAME", "OUTPUT_NAME", "CONF_SHEET"]
