"""The template's 基础数据 and 测算对比 sheets (issue 14), written with formulas.

基础数据: one row per coded item (``kinds.basic_data.items``) — 编码 | 数据项 | 单位 | 本年 | 上年 | 取数来源
| 备注 — the department fills 本年/上年; 采用数 (formulas) takes a blank total from its 其中 parts (and B03,
B06 from the others, as the engine does); 核对 (formulas) repeats the sheet's own arithmetic checks.
测算对比: one row per template indicator that the catalogue knows, its value and the suggested score
under the default profile (``通用``) as formulas beside the self-score read from the scoring sheet.
Every rule family has a formula form; Excel, WPS and LibreOffice compute the same
(``tests/test_basic_data_libreoffice.py`` recalculates in LibreOffice and compares with the engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xladdin.kinds.basic_data.indicators import ADJUST, CHANGE, CUT, PER_CAPITA, Indicator, match
from xladdin.kinds.basic_data.items import AMOUNT, BY_CODE, ITEMS, OPEN_PARTS, PERSONS, Item
from xladdin.kinds.basic_data.rules import Rule, builtin_profile
from xladdin.outputs.toolkit import HEADER_FILL, INPUT_FILL, TOTAL_FILL, WARNING_FILL, page_setup, put, solid

BASIC_SHEET = "基础数据"
MEASURED_SHEET = "测算对比"
FUNCTION_PARTS = 5  # rows B01.1 … B01.5 for the 年初预算 by 功能分类
HEADER = ("编码", "数据项", "单位", "本年", "上年", "取数来源", "备注", "采用数（本年）", "采用数（上年）", "核对")
FIRST = 4  # the first item row
CUR, PREV, USE_CUR, USE_PREV, CHECK = "D", "E", "H", "I", "J"
TOL = "0.005"


def _rows() -> list[tuple[str, str, Item]]:
    """(code, name, item) in sheet order: the catalogue's items, B01's open parts after B01."""
    out: list[tuple[str, str, Item]] = []
    for item in ITEMS:
        out.append((item.code, item.name, item))
        if item.code in OPEN_PARTS:
            for n in range(1, FUNCTION_PARTS + 1):
                out.append((f"{item.code}.{n}", "其中：功能分类科目（请在此填写科目名称）", item))
    return out


def write_basic_data_sheets(wb: Any, info: Any) -> None:
    """Add 基础数据 and 测算对比 to a template workbook (``info``: the scoring sheet's TemplateInfo)."""
    rows = write_basic_data_sheet(wb)
    write_measured_formulas(wb, info, rows)


def write_basic_data_sheet(wb: Any) -> dict[str, int]:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(BASIC_SHEET)
    put(ws.cell(1, 1), "基础数据（测算定量共性指标用）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    put(ws.cell(2, 1), "按“取数来源”所列文件填写本年、上年数（浅蓝色单元格）：金额单位万元（保留两位小数），"
                       "人数为整数。有“其中”项的合计可以只填其中各项，“采用数”会自动合计；“核对”列提示对不上的数。")
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    ws.row_dimensions[2].height = 32
    ws.row_dimensions[3].height = 30
    for c, h in enumerate(HEADER, 1):
        cell = put(ws.cell(3, c), h)
        cell.font = Font(bold=True)
        cell.fill = solid(HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    layout = _rows()
    where = {code: FIRST + i for i, (code, _, _) in enumerate(layout)}
    for i, (code, name, item) in enumerate(layout):
        r = FIRST + i
        put(ws.cell(r, 1), code)
        put(ws.cell(r, 2), name)
        put(ws.cell(r, 3), item.unit)
        put(ws.cell(r, 6), item.source)
        if item.note and code == item.code:
            put(ws.cell(r, 7), item.note)
            ws.row_dimensions[r].height = 30
        fmt = "0.00" if item.unit == AMOUNT else "0"
        for col in (CUR, PREV):
            cell = ws[f"{col}{r}"]
            cell.fill = solid(INPUT_FILL)
            cell.number_format = fmt
        for col, src in ((USE_CUR, CUR), (USE_PREV, PREV)):
            cell = ws[f"{col}{r}"]
            cell.value = _used(code, src, col, where)
            cell.number_format = fmt
            cell.fill = solid(TOTAL_FILL)
        ws[f"{CHECK}{r}"].value = _check(code, item, where)
        for c in range(1, 11):  # every cell of the row top-aligned, so a wrapped name lines up with its unit
            ws.cell(r, c).alignment = Alignment(wrap_text=c in (2, 6, 7, 10), vertical="top")
    last = FIRST + len(layout) - 1
    for col, width in zip("ABCDEFGHIJ", (7, 34, 6, 11, 11, 26, 18, 11, 11, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "D4"
    from openpyxl.formatting.rule import FormulaRule

    ws.conditional_formatting.add(f"{CHECK}{FIRST}:{CHECK}{last}",
                                  FormulaRule(formula=[f'LEN({CHECK}{FIRST})>0'], fill=solid(WARNING_FILL,
                                                                                              conditional=True)))
    page_setup(ws, title_rows="3:3", print_area=f"A1:{CHECK}{last}")
    ws.page_setup.fitToHeight = 1  # one A4 page
    return where


def _parts(code: str, where: dict[str, int]) -> list[str]:
    item = BY_CODE[code]
    if code in OPEN_PARTS:
        return [c for c in where if c.startswith(code + ".")]
    return [p for p in item.parts if p in where]


def _used(code: str, src: str, col: str, where: dict[str, int]) -> str:
    """采用数: the figure as entered; a blank total = Σ its parts; a blank B03/B06 from the others."""
    r = where[code]
    own = f"{src}{r}"
    if code in BY_CODE and _parts(code, where):
        refs = ",".join(f"{src}{where[p]}" for p in _parts(code, where))
        return f'=IF({own}<>"",{own},IF(COUNT({refs})=0,"",SUM({refs})))'
    if code == "B03":
        b04, b01, b02 = (f"{col}{where[c]}" for c in ("B04", "B01", "B02"))
        return f'=IF({own}<>"",{own},IF(COUNT({b04},{b01},{b02})=3,{b04}-{b01}-{b02},""))'
    if code == "B06":
        b04, b05 = (f"{col}{where[c]}" for c in ("B04", "B05"))
        return f'=IF({own}<>"",{own},IF(COUNT({b04},{b05})=2,{b04}-{b05},""))'
    return f'=IF({own}="","",{own})'


def _check(code: str, item: Item, where: dict[str, int]) -> str | None:
    """核对: the sheet's own arithmetic, as the engine's basic-data-* checks (本年 and 上年)."""
    pieces: list[str] = []
    for src, label in ((CUR, "本年"), (PREV, "上年")):
        own = f"{src}{where[code]}"
        if code == item.code and _parts(code, where):
            refs = ",".join(f"{src}{where[p]}" for p in _parts(code, where))
            pieces.append(f'IF(OR({own}="",COUNT({refs})=0),"",IF(ABS({own}-SUM({refs}))>{TOL},'
                          f'"{label}其中各项之和 "&TEXT(SUM({refs}),"0.00")&" ≠ "&TEXT({own},"0.00")&"；",""))')
        if item.within and code == item.code:
            whole = f"{src}{where[item.within]}"
            pieces.append(f'IF(OR({own}="",{whole}=""),"",IF(ABS({own})>ABS({whole})+{TOL},'
                          f'"{label}数大于 {item.within}；",""))')
        if code == "B04":
            b01, b02, b03 = (f"{src}{where[c]}" for c in ("B01", "B02", "B03"))
            pieces.append(f'IF(COUNT({own},{b01},{b02},{b03})<4,"",IF(ABS({own}-{b01}-{b02}-{b03})>{TOL},'
                          f'"{label}≠ B01+B02+B03 = "&TEXT({b01}+{b02}+{b03},"0.00")&"；",""))')
        if code == "B05":
            b04 = f"{src}{where['B04']}"
            pieces.append(f'IF(COUNT({own},{b04})<2,"",IF({own}>{b04}+{TOL},"{label}超支（大于 B04）；",""))')
        if code == "B06":
            b04, b05 = (f"{src}{where[c]}" for c in ("B04", "B05"))
            pieces.append(f'IF(COUNT({own},{b04},{b05})<3,"",IF(ABS({b04}-{b05}-{own})>0.01,'
                          f'"{label}≠ B04−B05 = "&TEXT({b04}-{b05},"0.00")&"；",""))')
        if item.unit == PERSONS:
            pieces.append(f'IF({own}="","",IF({own}<>INT({own}),"{label}人数应为整数；",""))')
        if code != "B03":
            pieces.append(f'IF({own}="","",IF({own}<0,"{label}不能为负数；",""))')
    return "=" + "&".join(pieces) if pieces else None


# -- 测算对比 with formulas ------------------------------------------------------------------------------

def value_formula(ind: Indicator, where: dict[str, int]) -> str:
    """The indicator's value over the 采用数 columns; "" while an input is blank."""
    def cur(code: str) -> str:
        return f"'{BASIC_SHEET}'!{USE_CUR}{where[code]}"

    def prev(code: str) -> str:
        return f"'{BASIC_SHEET}'!{USE_PREV}{where[code]}"

    if ind.kind in (CHANGE, CUT):
        c, p = cur(ind.inputs[0]), prev(ind.inputs[0])
        num = f"({c}-{p})" if ind.kind == CHANGE else f"({p}-{c})"
        return f'=IF(OR({c}="",{p}="",{p}=0),"",{num}/{p})'
    if ind.kind == ADJUST:
        b03, b07, b01 = cur("B03"), cur("B07"), cur("B01")
        return f'=IF(OR({b03}="",{b01}="",{b01}=0),"",({b03}-N({b07}))/{b01})'
    num, den = cur(ind.inputs[0]), cur(ind.inputs[1])
    return f'=IF(OR({num}="",{den}="",{den}=0),"",{num}/{den})'


def _n(x: Any) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def rule_formula(rule: Rule, v: str, w: str) -> str | None:
    """The score of ``rule`` for value cell ``v`` at weight cell ``w`` as an Excel expression, rounded
    to 2 decimals as the engine rounds; None for the family without a score."""
    p, f = rule.params, rule.family
    if f == "per_point_over":
        limit, step = _n(p.get("limit", 1)), _n(p.get("step", 0.1))
        over = f"ROUND(({v}-{limit})*100,2)"
        expr = f"IF({over}<=0,{w},MAX(0,ROUND({w}-ROUND({over}*{step}*{w},2),2)))"
    elif f == "per_point_short":
        limit, step, points = _n(p.get("limit", 1)), _n(p.get("step", 0.1)), _n(p.get("points", 1))
        short = f"ROUND(({limit}-{v})*100,2)"
        expr = f"IF({short}<=0,{w},MAX(0,ROUND({w}-ROUND({short}/{points}*{step}*{w},2),2)))"
    elif f == "bands":
        expr = "0"
        for band in reversed(p.get("bands", ())):
            share = f"ROUND({w}*{_n(band.share)},2)"
            if band.op == "else":
                expr = share
                continue
            op = band.op if band.op != "=" else "="
            expr = f"IF({v}{op}{_n(band.limit)},{share},{expr})"
    elif f == "ratio":
        target, cap = _n(p.get("target", 1)), _n(p.get("cap", 1))
        expr = f"MAX(0,ROUND({w}*MIN({v}/{target},{cap}),2))"
    elif f == "inverse_ratio":
        t = _n(p.get("target", 1))
        expr = f"IF({v}<={t},{w},ROUND({w}*{t}/{v},2))"
    elif f == "linear_reverse":
        t = _n(p.get("target", 1))
        expr = f"IF({v}<={t},{w},IF({v}>=2*{t},0,ROUND({w}*(1-({v}-{t})/{t}),2)))"
    elif f == "binary":
        op = str(p.get("op", ">="))
        expr = f"IF({v}{op}{_n(p.get('limit', 1))},{w},0)"
    else:
        return None
    return expr


MEASURED_HEADER = ("三级指标", "分值", "自评得分", "测算值", "建议得分", "差异", "规则", "状态", "需要的基础数据")


def write_measured_formulas(wb: Any, info: Any, where: dict[str, int]) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font

    profile = builtin_profile()
    ws = wb.create_sheet(MEASURED_SHEET)
    put(ws.cell(1, 1), "测算对比（按基础数据和评分规则“通用”测算，公式自动计算）")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    put(ws.cell(2, 1), "自评得分取自评分表，不会被修改；建议得分供复核参考。完整的测算对比（计算过程、依据文件、"
                       "本地评分规则）见 xladdin check --annotate。")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(MEASURED_HEADER))
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 30
    for c, h in enumerate(MEASURED_HEADER, 1):
        cell = put(ws.cell(3, c), h)
        cell.font = Font(bold=True)
        cell.fill = solid(HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet = f"'{info.sheet}'"
    r = 3
    for leaf in info.leaves:
        ind = match(leaf.levels[-1].name)
        if ind is None:
            continue
        r += 1
        path = [lv.name for lv in leaf.levels]
        score_cell = info.score_cell(path)
        row_no = int("".join(ch for ch in score_cell if ch.isdigit()))
        weight_cell = info.geometry.cell(f"weight:{len(leaf.levels)}", row_no)
        rule = profile.get(ind.key)
        put(ws.cell(r, 1), leaf.levels[-1].name)
        ws.cell(r, 2).value = f"={sheet}!{weight_cell}"
        ws.cell(r, 3).value = f'=IF({sheet}!{score_cell}="","",{sheet}!{score_cell})'
        ws.cell(r, 4).value = value_formula(ind, where)
        ws.cell(r, 4).number_format = "0.00" if ind.kind == PER_CAPITA else "0.00%"
        expr = rule_formula(rule, f"D{r}", f"B{r}") if rule is not None else None
        if expr is not None:
            ws.cell(r, 5).value = f'=IF(D{r}="","",{expr})'
            ws.cell(r, 6).value = f'=IF(OR(E{r}="",C{r}=""),"",ROUND(C{r}-E{r},2))'
            ws.cell(r, 8).value = (f'=IF(D{r}="","缺少数据",IF(C{r}="","缺少数据",IF(ABS(F{r})<=0.01,"一致",'
                                   f'IF(F{r}>0,"自评偏高","自评偏低"))))')
        else:
            ws.cell(r, 8).value = "无标准规则"
        put(ws.cell(r, 7), rule.description if rule is not None else "")
        put(ws.cell(r, 9), "、".join(ind.inputs if ind.kind != ADJUST else ("B03", "B01")) +
            ("（本年、上年）" if ind.kind in (CHANGE, CUT) else ""))
        for c in (5, 6):
            ws.cell(r, c).number_format = "0.00"
        for c in range(1, 10):  # every cell top-aligned: the indicator lines up with its wrapped rule text
            ws.cell(r, c).alignment = Alignment(wrap_text=c in (7, 9), vertical="top")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(ws.cell(r, 7).value or "") // 19))  # ~19 a line
    last = r
    r += 2
    put(ws.cell(r, 1), "自评总分").font = Font(bold=True)
    ws.cell(r, 2).value = f"={sheet}!{info.total_cell}"
    put(ws.cell(r + 1, 1), "测算总分").font = Font(bold=True)
    ws.cell(r + 1, 2).value = f'=ROUND(B{r}-SUMIF(H4:H{max(last, 4)},"自评偏高",F4:F{max(last, 4)}),2)'
    put(ws.cell(r + 1, 3), "= 自评总分 − 各“自评偏高”行的差异（自评偏低的行不加分）")
    ws.conditional_formatting.add(f"H4:H{max(last, 4)}", CellIsRule(operator="equal", formula=['"自评偏高"'],
                                                                    fill=solid(WARNING_FILL, conditional=True)))
    for col, width in zip("ABCDEFGHI", (22, 7, 9, 10, 9, 8, 40, 10, 20)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B4"
    page_setup(ws, title_rows="3:3", print_area=f"A1:I{r + 1}")


__all__: Sequence[str] = ("write_basic_data_sheets", "rule_formula", "value_formula", "BASIC_SHEET",
                          "MEASURED_SHEET")
