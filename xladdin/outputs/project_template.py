"""The 项目支出绩效自评表: a filled table as plain values (:func:`project_rows`, for the demo set and the
tests) and the fill-in template with formulas (:func:`write_project_template`).

The national layout (财预〔2020〕10号 附件), with 年度指标值 split into 指标性质 | 指标值 | 度量单位 in
the template (as 云南 and 四川 do) so that the rule score can be a formula:

    row 1   项目支出绩效自评表（2023年度）
    row 2   项目名称 | …
    row 3   主管部门 | …            实施单位 | …
    row 4   项目资金（万元） |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    row 5      | 年度资金总额 | a | b | c | 10 | c/b | 10 × c/b
    row 6-8    | 其中：当年财政拨款 / 上年结转资金 / 其他资金
    row 9-10 年度总体目标 | 预期目标 | 实际完成情况
    row 11  绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    row 12… one row per indicator
    last    总分 | … | 100 | Σ | 等级
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

BUDGET_ROW = 5  # 1-based: the 年度资金总额 row
FIRST_INDICATOR_ROW = 12


@dataclass
class IndicatorSpec:
    level1: str
    level2: str
    name: str
    target: Any  # '≥50个', '100%', 95, '效果明显'
    actual: Any
    weight: Any
    score: Any
    reason: str | None = None


@dataclass
class ProjectSpec:
    project: str
    department: str
    unit: str
    year: int
    initial: Any
    full_year: Any
    executed: Any
    budget_weight: Any = 10
    rate: Any = "auto"  # as written; "auto": executed / full_year as a percent text
    budget_score: Any = "auto"  # "auto": weight × rate, rounded to 2 decimals
    parts: Sequence[tuple[str, Any, Any, Any]] = (("其中：当年财政拨款", "same", "same", "same"),
                                                   ("上年结转资金", None, None, None), ("其他资金", None, None, None))
    goal: str = "按计划完成项目年度目标"
    done: str = "已按计划完成项目年度目标"
    indicators: Sequence[IndicatorSpec] = field(default_factory=list)
    total: Any = "auto"  # the 总分 row's 得分: "auto" = the sum of the scores written
    grade: Any = "auto"
    extra_rows: Sequence[tuple[int, Sequence[Any]]] = ()  # (position after the indicators, row) e.g. placeholders


def _num(v: Any) -> float | None:
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _grade(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def project_rows(spec: ProjectSpec) -> list[list[Any]]:
    """The table as a grid of plain values (the national layout above, 9 columns)."""
    rows: list[list[Any]] = []

    def add(*cells: Any) -> None:
        row = list(cells) + [None] * (9 - len(cells))
        rows.append(row)

    add(f"项目支出绩效自评表（{spec.year}年度）")
    add("项目名称", spec.project)
    add("主管部门", spec.department, None, None, "实施单位", spec.unit)
    add("项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    full, done, w = _num(spec.full_year), _num(spec.executed), _num(spec.budget_weight)
    rate = spec.rate
    if rate == "auto":
        rate = f"{round(done / full * 100, 2):g}%" if full and done is not None else None
    bscore = spec.budget_score
    if bscore == "auto":
        bscore = round(w * min(done / full, 1.0), 2) if full and done is not None and w is not None else None
    add(None, "年度资金总额", spec.initial, spec.full_year, spec.executed, spec.budget_weight, rate, bscore)
    for label, a, b, c in spec.parts:
        vals = [spec.initial if a == "same" else a, spec.full_year if b == "same" else b,
                spec.executed if c == "same" else c]
        add(None, label, *vals, "—", None, "—")
    add("年度总体目标", "预期目标", None, None, None, "实际完成情况")
    add(None, spec.goal, None, None, None, spec.done)
    add("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施")
    last1 = last2 = None
    extra = dict(spec.extra_rows)
    for i, ind in enumerate(spec.indicators):
        if i in extra:
            rows.append(list(extra[i]) + [None] * (9 - len(extra[i])))
        l1 = ind.level1 if ind.level1 != last1 else None
        l2 = ind.level2 if (ind.level2 != last2 or l1 is not None) else None
        last1, last2 = ind.level1, ind.level2
        add(None, l1, l2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason)
    if len(spec.indicators) in extra:
        rows.append(list(extra[len(spec.indicators)]) + [None] * (9 - len(extra[len(spec.indicators)])))
    weights = [_num(i.weight) for i in spec.indicators]
    total_w = sum(x for x in weights if x is not None) + (w or 0)
    total = spec.total
    if total == "auto":
        scores = [_num(i.score) for i in spec.indicators] + [_num(bscore)]
        total = round(sum(x for x in scores if x is not None), 2)
    grade = spec.grade
    if grade == "auto":
        grade = _grade(float(total)) if isinstance(total, (int, float)) else None
    add("总分", None, None, None, None, None, total_w, total, grade)
    return rows


def standard_indicators(year: int = 2023) -> list[IndicatorSpec]:
    """A clean national-form indicator set (产出 50 / 效益 30 / 满意度 10), every target met."""
    return [
        IndicatorSpec("产出指标", "数量指标", "培训人次", "≥500人次", 520, 15, 15),
        IndicatorSpec("产出指标", "质量指标", "培训合格率", "≥95%", "97%", 15, 15),
        IndicatorSpec("产出指标", "时效指标", "按期完成率", "100%", "100%", 10, 10),
        IndicatorSpec("产出指标", "成本指标", "人均培训成本", "≤800元", 760, 10, 10),
        IndicatorSpec("效益指标", "社会效益指标", "就业率", "≥80%", "85%", 20, 20),
        IndicatorSpec("效益指标", "可持续影响指标", "长效机制建立", "建立", "达成预期指标", 10, 10),
        IndicatorSpec("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "95%", 10, 10),
    ]


def standard_spec(**changes: Any) -> ProjectSpec:
    spec = ProjectSpec("职业技能培训补助", "某某县人力资源和社会保障局", "某某县就业服务中心", 2023,
                       120, 120, 117.17, indicators=standard_indicators())
    for k, v in changes.items():
        setattr(spec, k, v)
    return spec


__all__ = ["IndicatorSpec", "ProjectSpec", "project_rows", "standard_indicators", "standard_spec",
           "BUDGET_ROW", "FIRST_INDICATOR_ROW"]


# ------------------------------------------------------------------------------------------------------
# The fill-in template (formulas; works without Python in Excel, WPS and LibreOffice)
# ------------------------------------------------------------------------------------------------------
TEMPLATE_SHEET = "项目自评表"
DEFAULT_PROJECT_TEMPLATE_NAME = "项目支出绩效自评表模板.xlsx"
# 二级指标 rows of the template: (一级, 二级, rows)
TEMPLATE_GROUPS: tuple[tuple[str, str, int], ...] = (
    ("产出指标", "数量指标", 3), ("产出指标", "质量指标", 2), ("产出指标", "时效指标", 1), ("产出指标", "成本指标", 1),
    ("效益指标", "经济效益指标", 1), ("效益指标", "社会效益指标", 2), ("效益指标", "生态效益指标", 1),
    ("效益指标", "可持续影响指标", 1), ("满意度指标", "服务对象满意度指标", 2),
)
OPERATORS = ("≥", "≤", "=", ">", "<", "定性")
T_FIRST = 13  # first indicator row of the template (rows 11-12 are the two-row header)


@dataclass
class ProjectTemplateInfo:
    sheet: str
    rows: dict[tuple[str, str], list[int]]  # (一级, 二级) -> its rows
    rate_cell: str = "G5"
    budget_score_cell: str = "H5"
    total_row: int = 0
    weight_total_cell: str = ""
    total_cell: str = ""
    grade_cell: str = ""
    rule_total_cell: str = ""

    def cell(self, row: int, what: str) -> str:
        col = {"name": "D", "operator": "E", "target": "F", "unit": "G", "actual": "H", "weight": "I", "score": "J",
               "reason": "K", "rule": "L"}[what]
        return f"{col}{row}"


def rule_formula(r: int, reverse: str = "deviation") -> str:
    """The rule's score of row r (E 指标性质, F 指标值, H 完成值, I 分值, J 得分), as the engine computes it."""
    a, t, w, op = f"MAX(H{r},0)", f"F{r}", f"I{r}", f"E{r}"
    if reverse == "ratio":
        rev = f"IF({a}<={t},{w},ROUND({w}*{t}/{a},2))"
    else:
        rev = f"IF({a}<={t},{w},IF({a}>=2*{t},0,ROUND((1-({a}-{t})/{t})*{w},2)))"
    fwd = f'IF({t}=0,IF({op}="=",IF({a}<=0,{w},0),{w}),IF({a}>={t},{w},ROUND({a}/{t}*{w},2)))'
    quant = f'IF(ISNUMBER(H{r}),IF(OR({op}="≤",{op}="<"),{rev},{fwd}),"")'
    return quant


def qualitative_formula(r: int, bands: tuple[float, float]) -> str:
    """A qualitative row: the self-score kept inside the band its 完成情况 words name (达成 / 部分达成 / 未达成)."""
    hi, lo = bands
    w, s, h = f"I{r}", f"J{r}", f"H{r}"
    low = f'IF(ISNUMBER(SEARCH("未达成",{h})),0,IF(ISNUMBER(SEARCH("部分",{h})),{fmt_num(lo)}*{w},{fmt_num(hi)}*{w}))'
    high = (f'IF(ISNUMBER(SEARCH("未达成",{h})),{fmt_num(lo)}*{w},'
            f'IF(ISNUMBER(SEARCH("部分",{h})),{fmt_num(hi)}*{w},{w}))')
    return f"ROUND(MIN(MAX({s},{low}),{high}),2)"


def fmt_num(x: float) -> str:
    return f"{x:g}"


def write_project_template(out: Any = None, *, project: str | None = None, department: str | None = None,
                           unit: str | None = None, year: int | None = None, profile: Any = None,
                           grading: Any = None) -> tuple[Any, ProjectTemplateInfo]:
    """Write the fill-in 项目支出绩效自评表; returns (openpyxl Workbook, ProjectTemplateInfo). Saves
    atomically when ``out`` is given."""
    import openpyxl
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from xladdin.core.grading import DEFAULT_GRADING
    from xladdin.kinds.project.profiles import PROFILES
    from xladdin.outputs.template import FIXED_TIME, bands_text, grade_formula
    from xladdin.outputs.toolkit import (
        ERROR_FILL,
        HEADER_FILL,
        INPUT_FILL,
        TOTAL_FILL,
        box_border,
        page_setup,
        put,
        save_workbook_atomically,
        solid,
    )

    profile = profile or PROFILES["national"]
    grading = grading or DEFAULT_GRADING
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    font = Font(name="宋体", size=10)
    bold = Font(name="宋体", size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    border = box_border()
    formula_fill = solid(TOTAL_FILL)
    input_fill = solid(INPUT_FILL)
    header_fill = solid(HEADER_FILL)

    def cell(ref: str, value: Any = None, *, style: str = "text", formula: bool = False,
             fmt_: str | None = None) -> Any:
        c = ws[ref]
        if formula:
            c.value = value
        elif value is not None:
            put(c, value)
        c.font = bold if style == "header" else font
        c.alignment = center if style in ("header", "number", "input-number") else left
        if style == "input-number":
            style = "input"
        c.border = border
        if style == "header":
            c.fill = header_fill
        elif style == "input":
            c.fill = input_fill
        elif formula:
            c.fill = formula_fill
        if fmt_:
            c.number_format = fmt_
        return c

    last_col = "L"
    title = f"项目支出绩效自评表（{year}年度）" if year else "项目支出绩效自评表（    年度）"
    ws.merge_cells(f"A1:{last_col}1")
    c = ws["A1"]
    c.value = title
    c.font = Font(name="宋体", size=16, bold=True)
    c.alignment = center
    ws.row_dimensions[1].height = 30
    # header facts
    cell("A2", "项目名称", style="header")
    ws.merge_cells(f"B2:{last_col}2")
    cell("B2", project, style="input")
    cell("A3", "主管部门", style="header")
    ws.merge_cells("B3:E3")
    cell("B3", department, style="input")
    ws.merge_cells("F3:G3")
    cell("F3", "实施单位", style="header")
    ws.merge_cells(f"H3:{last_col}3")
    cell("H3", unit, style="input")
    # budget block
    ws.merge_cells("A4:A8")
    cell("A4", "项目资金（万元）", style="header")
    full_year = "调整后预算数" if profile.rate_base == "调整后预算数" else "全年预算数"  # 四川 names it so
    for ref, text in (("B4", ""), ("C4", "年初预算数"), ("D4", full_year), ("E4", "全年执行数"), ("F4", "分值"),
                      ("G4", "执行率"), ("H4", "得分")):
        cell(ref, text or None, style="header")
    ws.merge_cells(f"I4:{last_col}4")
    cell("I4", "说明", style="header")
    cell("B5", "年度资金总额", style="header")
    for rr in range(4, 9):
        ws.row_dimensions[rr].height = 20
    for col in "CDE":
        cell(f"{col}5", f"=SUM({col}6:{col}8)", formula=True, style="number", fmt_="0.00")
    cell("F5", profile.budget_weight, style="number")
    cell("G5", '=IF(N(D5)>0,E5/D5,"")', formula=True, style="number", fmt_="0.00%")
    cell("H5", '=IF(G5="","",ROUND(F5*MIN(G5,1),2))', formula=True, style="number", fmt_="0.00")
    ws.merge_cells(f"I5:{last_col}8")
    cell("I5", f"执行率 = 全年执行数 ÷ {full_year}；得分 = 分值 × 执行率（超过 100% 按 100% 计）。"
               "年度资金总额是下面三行之和。", style="text")
    for r, label in ((6, "其中：当年财政拨款"), (7, "上年结转资金"), (8, "其他资金")):
        cell(f"B{r}", label, style="header")
        for col in "CDE":
            cell(f"{col}{r}", style="input-number", fmt_="0.00")
        for col in "FGH":
            cell(f"{col}{r}", "—", style="number")
    # goals
    ws.merge_cells("A9:A10")
    cell("A9", "年度总体目标", style="header")
    ws.merge_cells("B9:F9")
    cell("B9", "预期目标", style="header")
    ws.merge_cells(f"G9:{last_col}9")
    cell("G9", "实际完成情况", style="header")
    ws.merge_cells("B10:F10")
    cell("B10", style="input")
    ws.merge_cells(f"G10:{last_col}10")
    cell("G10", style="input")
    ws.row_dimensions[10].height = 45
    # indicator header (two rows)
    for col, text in (("A", "绩效指标"), ("B", "一级指标"), ("C", "二级指标"), ("D", "三级指标"), ("H", "实际完成值"),
                      ("I", "分值"), ("J", "得分"), ("K", "偏差原因分析及改进措施"), ("L", "规则得分（参考）")):
        ws.merge_cells(f"{col}11:{col}12")
        cell(f"{col}11", text, style="header")
        cell(f"{col}12", style="header")
    ws.merge_cells("E11:G11")
    cell("E11", "年度指标值", style="header")
    for col, text in (("E", "指标性质"), ("F", "指标值"), ("G", "度量单位")):
        cell(f"{col}12", text, style="header")
    # indicator rows
    rows: dict[tuple[str, str], list[int]] = {}
    r = T_FIRST
    level1_start: dict[str, int] = {}
    for l1, l2, n in TEMPLATE_GROUPS:
        level1_start.setdefault(l1, r)
        rows[(l1, l2)] = list(range(r, r + n))
        if n > 1:
            ws.merge_cells(f"C{r}:C{r + n - 1}")
        cell(f"C{r}", l2, style="header")
        for rr in range(r, r + n):
            if rr != r:
                cell(f"C{rr}", style="header")
            for col in "DEFGHIJK":
                cell(f"{col}{rr}", style="input" if col in "DK" else "input-number",
                     fmt_=None if col not in "IJ" else "0.##")
            quant = rule_formula(rr, profile.reverse)
            qual = qualitative_formula(rr, profile.bands)
            cell(f"L{rr}", f'=IF(OR(I{rr}="",J{rr}=""),"",IF(ISNUMBER(F{rr}),{quant},{qual}))', formula=True,
                 style="number", fmt_="0.##")
        r += n
    last = r - 1
    ends = {}
    for l1, start in level1_start.items():
        end = max(rr for (a, _), rs in rows.items() if a == l1 for rr in rs)
        ends[l1] = end
        ws.merge_cells(f"B{start}:B{end}")
        cell(f"B{start}", l1, style="header")
        for rr in range(start + 1, end + 1):
            cell(f"B{rr}", style="header")
    ws.merge_cells(f"A11:A{last}")
    # totals
    tr = last + 1
    cell(f"A{tr}", "总分", style="header")
    ws.merge_cells(f"A{tr}:H{tr}")
    for col in "BCDEFGH":
        cell(f"{col}{tr}", style="header")
    cell(f"I{tr}", f"=F5+SUM(I{T_FIRST}:I{last})", formula=True, style="number", fmt_="0.##")
    blanks = f'COUNTIFS(I{T_FIRST}:I{last},"<>",J{T_FIRST}:J{last},"")'
    cell(f"J{tr}", f'=IF(OR(H5="",{blanks}>0),"",ROUND(H5+SUM(J{T_FIRST}:J{last}),2))', formula=True,
         style="number", fmt_="0.##")
    cell(f"K{tr}", grade_formula(f"J{tr}", grading), formula=True, style="number")
    cell(f"L{tr}", f'=IF(J{tr}="","",ROUND(H5+SUM(L{T_FIRST}:L{last}),2))', formula=True, style="number",
         fmt_="0.##")
    # notes
    hi, lo = profile.bands
    split = "、".join(f"{k} {fmt_num(v)} 分" for k, v in profile.split.items()) if profile.split else "按本地规定"
    notes = [
        f"说明：1. 预算执行 {fmt_num(profile.budget_weight)} 分，其余为绩效指标分值（{split}），合计 100 分；"
        "浅蓝色单元格填写，灰色单元格自动计算。",
        "2. 指标性质选“≥ ≤ = > <”的定量指标，指标值和实际完成值都填数字（百分比填 95，度量单位填 %）；"
        "正向指标得分 = 完成值 ÷ 指标值 × 分值（最高为分值），"
        + ("反向指标得分 = 分值 × 指标值 ÷ 完成值。" if profile.reverse == "ratio"
           else "反向指标得分 = (1 − (完成值 − 指标值) ÷ 指标值) × 分值，达到指标值两倍为 0。"),
        f"3. 定性指标的实际完成值填“达成 / 部分达成 / 未达成”，得分分别在分值的 {fmt_num(hi * 100)}%–100%、"
        f"{fmt_num(lo * 100)}%–{fmt_num(hi * 100)}%、0–{fmt_num(lo * 100)}% 之间。",
        "4. 得分低于分值的，须填写偏差原因分析及改进措施；“规则得分（参考）”列按上述规则计算，供核对自评得分。",
        f"5. 等级：{bands_text(grading)}。不适用的二级指标行可删除。",
    ]
    nr = tr + 1
    for text in notes:
        ws.merge_cells(f"A{nr}:{last_col}{nr}")
        c = ws[f"A{nr}"]
        put(c, text)
        c.font = font
        c.alignment = left
        ws.row_dimensions[nr].height = 20
        nr += 1
    # validation
    ops = DataValidation(type="list", formula1='"' + ",".join(OPERATORS) + '"', allow_blank=True,
                         showErrorMessage=True, errorTitle="指标性质", error="请从下拉列表选择：≥ ≤ = > < 定性",
                         promptTitle="指标性质", prompt="定量指标选 ≥ ≤ = > <，定性指标选“定性”")
    ops.add(f"E{T_FIRST}:E{last}")
    weights = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                             showErrorMessage=True, errorTitle="分值", error="分值应为 0 到 100 之间的数字")
    weights.add(f"I{T_FIRST}:I{last}")
    scores = DataValidation(type="custom", formula1=f"AND(ISNUMBER(J{T_FIRST}),J{T_FIRST}>=0,J{T_FIRST}<=I{T_FIRST})",
                            allow_blank=True, showErrorMessage=True, errorTitle="得分",
                            error="得分应为 0 到该指标分值之间的数字")
    scores.add(f"J{T_FIRST}:J{last}")
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorTitle="金额", error="金额应为不小于 0 的数字（万元）")
    amounts.add("C6:E8")
    for dv in (ops, weights, scores, amounts):
        ws.add_data_validation(dv)
    # conditional formats: a score below its weight without a reason; a self-score far from the rule's
    ws.conditional_formatting.add(
        f"K{T_FIRST}:K{last}",
        FormulaRule(formula=[f'AND(ISNUMBER(J{T_FIRST}),ISNUMBER(I{T_FIRST}),J{T_FIRST}<I{T_FIRST},K{T_FIRST}="")'],
                    fill=solid("F8CBAD", conditional=True)))
    ws.conditional_formatting.add(
        f"J{T_FIRST}:J{last}",
        FormulaRule(formula=[f'AND(ISNUMBER(L{T_FIRST}),ISNUMBER(J{T_FIRST}),ABS(J{T_FIRST}-L{T_FIRST})>0.01)'],
                    fill=solid(ERROR_FILL, conditional=True)))
    ws.conditional_formatting.add(
        f"I{tr}", FormulaRule(formula=[f"ABS(I{tr}-100)>0.001"], fill=solid(ERROR_FILL, conditional=True)))
    # layout
    for col, width in zip("ABCDEFGHIJKL", (9, 14, 14, 26, 10, 10, 9, 11, 7, 7, 24, 9), strict=True):
        ws.column_dimensions[col].width = width
    for rr in range(T_FIRST, tr + 1):
        ws.row_dimensions[rr].height = 22
    page_setup(ws, landscape=True, fit_width=True, title_rows="11:12")
    ws.page_setup.fitToHeight = 1  # one page: the table and its notes
    ws.freeze_panes = "A13"
    wb.properties.creator = wb.properties.lastModifiedBy = "xladdin"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.title = title
    from xladdin.outputs.template import TEMPLATE_MARKER

    wb.properties.keywords = TEMPLATE_MARKER  # template -o may replace a template nobody has saved since
    info = ProjectTemplateInfo(TEMPLATE_SHEET, rows, total_row=tr, weight_total_cell=f"I{tr}", total_cell=f"J{tr}",
                               grade_cell=f"K{tr}", rule_total_cell=f"L{tr}")
    if out is not None:
        save_workbook_atomically(wb, out)
    return wb, info


def write_project_rows(ws: Any, rows: list[list[Any]]) -> None:
    """A filled table (``project_rows``) on an openpyxl sheet, as a clerk's saved file looks: the title
    merged across, headings bold and shaded, borders, column widths; every value as given."""
    from openpyxl.styles import Alignment, Font

    from xladdin.outputs.toolkit import HEADER_FILL, box_border, page_setup, put, solid

    font = Font(name="宋体", size=10)
    bold = Font(name="宋体", size=10, bold=True)
    border = box_border()
    fill = solid(HEADER_FILL)
    wrap = Alignment(vertical="center", wrap_text=True)
    headings = {"项目名称", "主管部门", "实施单位", "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数",
                "分值", "执行率", "得分", "年度资金总额", "年度总体目标", "预期目标", "实际完成情况", "绩效指标",
                "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "总分"}
    ncols = max(len(r) for r in rows)
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            cell = ws.cell(r, c)
            if v is not None:
                put(cell, v)
            if r == 1:
                continue
            cell.font, cell.border, cell.alignment = font, border, wrap
            if isinstance(v, str) and v in headings:
                cell.font, cell.fill = bold, fill
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    title = ws.cell(1, 1)
    title.font = Font(name="宋体", size=14, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    for col, width in zip("ABCDEFGHI", (10, 18, 16, 24, 12, 12, 8, 8, 28), strict=False):
        ws.column_dimensions[col].width = width
    for r in range(2, len(rows) + 1):
        ws.row_dimensions[r].height = 30 if r in (4, 10) else 20
    page_setup(ws, landscape=True, fit_width=True)
    ws.page_setup.fitToHeight = 1
