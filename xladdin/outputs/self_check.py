"""The template's 自查 sheet: the checks a formula can do, listed by formulas (no Python, no macros).

Every clerk has the check that matters most while filling in: the 自查 sheet lists each problem a formula
can find, with the cell and a Chinese message, and counts them at the top (“发现 3 个问题”); a line on the
scoring sheet repeats the count. It mirrors ``xladdin check`` (same codes, same cells, same tolerance
0.005) for every check with a formula form:

- ``deduction-range``, ``score-range``, ``score-mismatch``, ``missing-value`` (a blank 分值, or 扣分 and 得分
  both blank) on every indicator row, in the engine's order (one per row: fix the deduction first);
- ``bad-number`` / ``text-number`` on the 扣分 and 得分 cells (text, error values);
- ``weight-sum`` on every parent (reported once, where it is wrong, as the engine does);
- ``total-weight``, ``total-mismatch`` (合计 row, 综合得分) and ``grade-mismatch``;
- and what only a template can ask (not issues of ``xladdin check``): a deduction without a reason
  (``reason-missing``), a blank 单位名称 or 评价年度 (``unit-missing``, ``year-missing``, as the summary warns).

No dynamic arrays, LET, FILTER or TEXTJOIN: one hidden helper row per candidate problem (flag, running
number, cell, level, message, code) and a list that looks the n-th flagged row up with INDEX/MATCH
(Excel 2010+, WPS and LibreOffice alike). ``tests/test_self_check_libreoffice.py`` fills copies, has
LibreOffice recalculate them and compares the list with ``xladdin check``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import LEVEL_NAMES
from xladdin.core.numbers import TOLERANCE, fmt

SHEET = "自查"
FIRST = 6  # the first row of the list and of the helper rows
LIST_MAX = 30  # rows of the list (the count at the top counts every problem)
# helper columns (hidden): flag (1/0), running number, cell, level, message, code, kind (a number)
H_FLAG, H_SEQ, H_CELL, H_LEVEL, H_MSG, H_CODE, H_KIND = "J", "K", "L", "M", "N", "O", "P"
H_DED = "Q"  # on each indicator's first helper row: its 扣分 as the engine reads it (a number stored as text too)
LIST_COLS = ("序号", "单元格", "级别", "说明", "代码")
TOL = fmt(TOLERANCE)
SELF_ONLY = ("reason-missing", "unit-missing", "year-missing")  # codes xladdin check does not have


def _q(text: str) -> str:
    """A string literal for a formula."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(slots=True)
class _Candidate:
    """One helper row: ``kind`` a formula giving 0 (no problem) or 1..n (which problem); the cells,
    levels, messages and codes of the n problems."""

    kind: str
    cells: Sequence[str]
    levels: Sequence[str]
    messages: Sequence[str]  # formula expressions (strings quoted with _q)
    codes: Sequence[str]
    deduction: str = ""  # H_DED's formula (indicator rows)


def _choose(kind_ref: str, items: Sequence[str]) -> str:
    if len(items) == 1 or len(set(items)) == 1:
        return items[0]
    return f"CHOOSE({kind_ref},{','.join(items)})"


def _num(ref: str) -> str:
    """A number shown in a message (as the engine's fmt: at most 2 decimals, no trailing zeros)."""
    return f"ROUND({ref},2)"


class _Builder:
    def __init__(self, info: Any, grading: Grading):
        from openpyxl.utils import get_column_letter

        self.info = info
        self.grading = grading
        geo = info.geometry
        self.geo = geo
        self.col = {role: get_column_letter(c) for role, c in geo.columns.items()}
        self.sheet_ref = "'" + info.sheet.replace("'", "''") + "'!"
        self.first, self.last = geo.first_row, geo.totals_row - 1
        self.weight_col_of = {r: self.col[f"weight:{len(leaf.levels)}"]
                              for leaf, r in zip(info.leaves, geo.leaf_rows)}

    def ref(self, cell: str) -> str:
        return self.sheet_ref + cell

    def rng(self, role: str) -> str:
        c = self.col[role]
        return self.sheet_ref + f"${c}${self.first}:${c}${self.last}"

    # -- the candidates ------------------------------------------------------------------------------

    def candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        out += self._header_fields()
        for leaf, r in zip(self.info.leaves, self.geo.leaf_rows):
            out += self._leaf(leaf, r)
        out += self._parents()
        self.n_rows = len(out)  # the helper rows above the totals' (which hold every 扣分 as a number)
        out += self._totals()
        return out

    def _header_fields(self) -> list[_Candidate]:
        info = self.info
        out = []
        fields = ((info.unit_cell, "单位名称", "unit-missing"), (info.year_cell, "评价年度", "year-missing"))
        for cell, what, code in fields:
            x = self.ref(cell)
            out.append(_Candidate(f"IF(LEN(TRIM({x}))=0,1,0)", [cell], ["警告"],
                                  [_q(f"{what}没有填写（在第 {cell[1:]} 行），汇总时会缺少{what}。")], [code]))
        return out

    def _leaf(self, leaf: Any, r: int) -> list[_Candidate]:
        level = len(leaf.levels)
        where = f"{LEVEL_NAMES.get(level, '')}指标“{leaf.path[-1]}”"
        wc, dc, sc, rc = self.weight_col_of[r], self.col["deduction"], self.col["score"], self.col["reason"]
        W, D, S, R = (self.ref(f"${c}${r}") for c in (wc, dc, sc, rc))
        wq, dq, sq = f"{wc}{r}", f"{dc}{r}", f"{sc}{r}"
        out: list[_Candidate] = []
        # the engine's order on a leaf: both blank -> deduction range -> score range -> score = weight - deduction
        blank_d, blank_s = f"LEN({D}&\"\")=0", f"LEN({S}&\"\")=0"
        kind = (f"IF(OR(ISERROR({D}),ISERROR({S})),0,"
                f"IF(AND({blank_d},{blank_s}),1,"
                f"IF(NOT(ISNUMBER({W})),0,"
                f"IF(AND(ISNUMBER({D}),OR({D}<-{TOL},{D}>{W}+{TOL})),2,"
                f"IF(AND(ISNUMBER({S}),OR({S}<-{TOL},{S}>{W}+{TOL})),3,"
                f"IF(AND(ISNUMBER({D}),ISNUMBER({S}),ABS({S}-({W}-{D}))>{TOL}),4,0))))))")
        messages = [
            _q(f"{where}的扣分和得分都没有填写；空白不会按满分计算，请填写（不扣分请填 0 或填满分得分）。"),
            f'{_q(where + "扣分 ")}&{_num(D)}&IF({D}<0,"：扣分不能为负数。",'
            f'"：扣分不能超过该指标分值 "&{_num(W)}&"。")',
            f'{_q(where + "得分 ")}&{_num(S)}&IF({S}<0,"：得分不能为负数。",'
            f'"：得分不能超过该指标分值 "&{_num(W)}&"。")',
            f'{_q(where + "得分 ")}&{_num(S)}&" 与“分值 "&{_num(W)}&" − 扣分 "&{_num(D)}&" = "'
            f'&{_num(f"{W}-{D}")}&"”不一致。"',
        ]
        out.append(_Candidate(kind, [sq, dq, sq, sq], ["错误"] * 4, messages,
                              ["missing-value", "deduction-range", "score-range", "score-mismatch"],
                              f"IF(ISNUMBER({D}),{D},IF(ISTEXT({D}),IFERROR(VALUE(TRIM({D})),0),0))"))
        out.append(_Candidate(f"IF(ISERROR({W}),0,IF(LEN({W}&\"\")=0,1,0))", [wq], ["错误"],
                              [_q(f"{where}没有填分值。")], ["missing-value"]))
        for x, xq, what in ((D, dq, "扣分"), (S, sq, "得分")):
            kind = (f"IF(ISERROR({x}),1,IF(ISTEXT({x}),IF(LEN(TRIM({x}))=0,0,"
                    f"IF(ISERROR(VALUE(TRIM({x}))),2,3)),0))")
            out.append(_Candidate(kind, [xq], ["错误", "错误", "警告"], [
                _q(f"{xq} 的{what}是错误值，请检查该单元格的公式或内容。"),
                f'{_q(f"{xq} 的{what}应为数字，实际填的是“")}&{x}&"”，无法计算。"',
                f'{_q(f"{xq} 的{what}“")}&{x}&"”是文本格式的数字；建议改为数值格式，否则 Excel 公式不会计算它。"',
            ], ["bad-number", "bad-number", "text-number"]))
        out.append(_Candidate(
            f"IF(ISERROR({D}),0,IF(AND(ISNUMBER({D}),{D}>0,LEN(TRIM({R}&\"\"))=0),1,0))", [f"{rc}{r}"], ["警告"],
            [f'{_q(where + "扣了 ")}&{_num(D)}&" 分，但没有写扣分原因。"'], ["reason-missing"]))
        return out

    def _parents(self) -> list[_Candidate]:
        """weight-sum on every parent: wrong against its children, and not merely repeating a wrong child
        (a parent that agrees with its leaves while a child is inconsistent is not blamed)."""
        geo = self.geo
        paths = sorted(geo.blocks, key=lambda p: (geo.blocks[p][0], len(p)))
        parents = [p for p in paths if any(len(q) > len(p) and q[:len(p)] == p for q in geo.blocks)]
        self.inconsistent: dict[tuple[str, ...], str] = {}
        rows: list[tuple[tuple[str, ...], str, list[str], list[str]]] = []
        for p in parents:
            k = len(p)
            r0, r1 = geo.blocks[p]
            pc = f"{self.col[f'weight:{k}']}{r0}"
            kids = [q for q in paths if len(q) == k + 1 and q[:k] == p]
            kid_cells = [self.ref(f"{self.col[f'weight:{k + 1}']}{geo.blocks[q][0]}") for q in kids]
            leaf_cells = [self.ref(f"{self.weight_col_of[r]}{r}") for r in geo.leaf_rows if r0 <= r <= r1]
            P = self.ref(pc)
            kid_sum = f"SUM({','.join(kid_cells)})"
            self.inconsistent[p] = (f"AND(ISNUMBER({P}),COUNT({','.join(kid_cells)})={len(kid_cells)},"
                                    f"ABS({P}-{kid_sum})>{TOL})")
            rows.append((p, pc, kid_cells, leaf_cells))
        out = []
        for p, pc, kid_cells, leaf_cells in rows:
            k = len(p)
            P = self.ref(pc)
            kids_inc = [self.inconsistent[q] for q in parents if len(q) == k + 1 and q[:k] == p]
            leaf_sum = f"SUM({','.join(leaf_cells)})"
            blame_child = (f"AND(COUNT({','.join(leaf_cells)})={len(leaf_cells)},ABS({P}-{leaf_sum})<={TOL},"
                           f"OR({','.join(kids_inc)}))") if kids_inc else "FALSE"
            kind = f"IFERROR(IF(AND({self.inconsistent[p]},NOT({blame_child})),1,0),0)"
            where = f"{LEVEL_NAMES.get(k, '')}指标“{p[-1]}”"
            parts = '&"+"&'.join(_num(c) for c in kid_cells)
            message = (f'{_q(where + "的分值填的是 ")}&{_num(P)}&"，但其下级指标分值之和为 "&{parts}&" = "&'
                       f'{_num(f"SUM({chr(44).join(kid_cells)})")}&"，两者不一致（请核对是上级分值还是下级分值填错）。"')
            out.append(_Candidate(kind, [pc], ["错误"], [message], ["weight-sum"]))
        return out

    def _totals(self) -> list[_Candidate]:
        info, geo, col = self.info, self.geo, self.col
        tr = geo.totals_row
        out: list[_Candidate] = []
        roots = [self.ref(f"{col['weight:1']}{span[0]}") for _, span in geo.blocks_at(1)]
        roots_sum = f"SUM({','.join(roots)})"
        t1c = f"{col['weight:1']}{tr}"
        T1 = self.ref(t1c)
        kind = (f"IFERROR(IF(COUNT({','.join(roots)})<{len(roots)},0,"
                f"IF(ABS(IF(ISNUMBER({T1}),{T1},100)-{roots_sum})>{TOL},1,IF(ABS({T1}-100)>{TOL},2,0))),0)")
        out.append(_Candidate(kind, [t1c, t1c], ["错误", "警告"], [
            f'"一级指标分值合计为 "&{_num(roots_sum)}&IF(ISNUMBER({T1}),"，合计行写的是 "&{_num(T1)},"，总分应为 100")'
            f'&"，相差 "&{_num(f"ABS(IF(ISNUMBER({T1}),{T1},100)-{roots_sum})")}&" 分。"',
            f'"一级指标分值合计为 "&{_num(roots_sum)}&"，不是 100 分；按规定评分表总分应为 100 分。"',
        ], ["total-weight", "total-weight"]))
        leaf_w = "+".join(self.ref(f"{self.weight_col_of[r]}{r}") for r in geo.leaf_rows)
        leaf_w = f"({leaf_w})"
        D, S = self.rng("deduction"), self.rng("score")
        filled = f'SUMPRODUCT(({D}="")*({S}=""))=0'  # a blank leaf: the totals cannot be verified (as the engine)
        readings: list[tuple[str, str, list[str]]] = []
        for k in range(2, max(len(leaf.levels) for leaf in info.leaves) + 1):
            c = col[f"weight:{k}"]
            column = [f"SUM({self.ref(f'{c}{self.first}:{c}{self.last}')})"]
            column += [self.ref(f"{self.weight_col_of[r]}{r}") for leaf, r in zip(info.leaves, geo.leaf_rows)
                       if len(leaf.levels) < k]
            readings.append((f"weight:{k}", f"{LEVEL_NAMES.get(k, '')}指标分值合计", ["+".join(column), leaf_w]))
        n_ded = f"SUM(${H_DED}${FIRST}:${H_DED}${FIRST + self.n_rows - 1})"  # 扣分 as numbers, text ones too
        readings.append(("deduction", "扣分合计", [n_ded, f"{leaf_w}-SUM({S})"]))
        readings.append(("score", "得分合计", [f"SUM({S})", f"{leaf_w}-{n_ded}"]))
        for role, what, exprs in readings:
            cell = f"{col[role]}{tr}"
            T = self.ref(cell)
            out.append(_Candidate(f"IF(ISERROR({T}),1,0)", [cell], ["错误"],
                                  [_q(f"{cell} 的{what}是错误值，请先改正上面出错的单元格。")], ["bad-number"]))
            differs = ",".join(f"ABS({T}-({e}))>{TOL}" for e in exprs)
            guard = filled if role in ("deduction", "score") else "TRUE"
            kind = f"IFERROR(IF(AND(ISNUMBER({T}),{guard},{differs}),1,0),0)"
            out.append(_Candidate(kind, [cell], ["错误"], [
                f'"合计行的{what}写的是 "&{_num(T)}&"，按各指标计算应为 "&{_num(exprs[0])}&"。"'], ["total-mismatch"]))
        total = self.ref(info.total_cell)
        computed = f"SUM({S})"
        kind = f"IFERROR(IF(AND(ISNUMBER({total}),ABS({total}-{computed})>{TOL}),1,0),0)"
        out.append(_Candidate(kind, [info.total_cell], ["错误"], [
            f'"表中写明的总得分为 "&{_num(total)}&"，按各指标得分计算应为 "&{_num(computed)}&"。"'],
            ["total-mismatch"]))
        from xladdin.outputs.template import grade_formula

        grade = self.ref(info.grade_cell)
        expected = grade_formula(computed, self.grading)[1:]
        kind = f"IFERROR(IF(AND(LEN({grade}&\"\")>0,{grade}<>{expected}),1,0),0)"
        out.append(_Candidate(kind, [info.grade_cell], ["错误"], [
            f'"表中写明的评价等级为“"&{grade}&"”，但总得分 "&{_num(computed)}&" 对应的等级是“"&{expected}&"”。"'],
            ["grade-mismatch"]))
        return out


def write_self_check(wb: Any, info: Any, grading: Grading = DEFAULT_GRADING) -> str:
    """Add the 自查 sheet after the scoring sheet and the count line on it; returns the count cell's formula
    (the scoring sheet shows it)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from xladdin.outputs.toolkit import ERROR_FILL, HEADER_FILL, box_border, put, solid

    b = _Builder(info, grading)
    cands = b.candidates()
    scoring = wb[info.sheet]
    ws = wb.create_sheet(SHEET, index=wb.sheetnames.index(info.sheet) + 1)
    n = len(cands)
    last = FIRST + n - 1
    font = "宋体"
    put(ws["A1"], "自查：评分表中公式能发现的问题")
    ws["A1"].font = Font(name=font, size=14, bold=True)
    flags = f"${H_FLAG}${FIRST}:${H_FLAG}${last}"
    levels = f"${H_LEVEL}${FIRST}:${H_LEVEL}${last}"
    count = f"SUM({flags})"
    errors = f'SUMPRODUCT(({flags}=1)*({levels}="错误"))'
    ws["A2"] = (f'=IF({count}=0,"未发现问题",'
                f'"发现 "&{count}&" 个问题（错误 "&{errors}&" 个，警告 "&({count}-{errors})&" 个）")')
    ws["A2"].font = Font(name=font, size=14, bold=True, color="C00000")
    ws.merge_cells("A2:E2")
    put(ws["A3"], "本表由公式自动生成，填写评分表时随时更新，不需要 Python 或宏（Excel、WPS、LibreOffice 都可用）。"
                  "“错误”须改正后再报送；“警告”请核对。点单元格地址可跳到评分表中的位置。"
                  "提交前也可用 xladdin check 校验（同样的检查，另有文本数字、重复指标等）。")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A3"].font = Font(name=font, size=10)
    ws.merge_cells("A3:E4")
    ws.row_dimensions[3].height = 28
    ws.row_dimensions[4].height = 28
    for ci, text in enumerate(LIST_COLS, 1):
        cell = put(ws.cell(FIRST - 1, ci), text)
        cell.font = Font(name=font, size=11, bold=True)
        cell.fill = solid(HEADER_FILL)
        cell.border = box_border()
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for h, text in zip((H_FLAG, H_SEQ, H_CELL, H_LEVEL, H_MSG, H_CODE, H_KIND, H_DED),
                       ("有问题", "序号", "单元格", "级别", "说明", "代码", "问题类别", "扣分（数字）")):
        put(ws[f"{h}{FIRST - 1}"], text)
    seqs = f"${H_SEQ}${FIRST}:${H_SEQ}${last}"
    target = info.sheet.replace("'", "''")
    body = Font(name=font, size=11)
    link = Font(name=font, size=11, color="0563C1", underline="single")
    for i, cand in enumerate(cands):
        r = FIRST + i
        kind_ref = f"{H_KIND}{r}"
        ws[kind_ref] = "=" + cand.kind
        ws[f"{H_FLAG}{r}"] = f"=IF({kind_ref}>0,1,0)"
        if cand.deduction:
            ws[f"{H_DED}{r}"] = "=" + cand.deduction
        ws[f"{H_SEQ}{r}"] = f'=IF({H_FLAG}{r}=1,SUM(${H_FLAG}${FIRST}:{H_FLAG}{r}),"")'
        for h, items in ((H_CELL, [_q(c) for c in cand.cells]), (H_LEVEL, [_q(x) for x in cand.levels]),
                         (H_MSG, list(cand.messages)), (H_CODE, [_q(c) for c in cand.codes])):
            ws[f"{h}{r}"] = f'=IF({H_FLAG}{r}=1,{_choose(kind_ref, items)},"")'
    # the list: its n-th row looks up the n-th flagged helper row (at most LIST_MAX rows, then a line
    # saying how many more there are: the printed page stays one page)
    for r in range(FIRST, FIRST + LIST_MAX):
        nth = f"MATCH(ROW()-{FIRST - 1},{seqs},0)"
        ws[f"A{r}"] = f'=IF(ROW()-{FIRST - 1}<={count},ROW()-{FIRST - 1},"")'
        ws[f"B{r}"] = (f'=IFERROR(HYPERLINK("#\'{target}\'!"&INDEX(${H_CELL}${FIRST}:${H_CELL}${last},{nth}),'
                       f'INDEX(${H_CELL}${FIRST}:${H_CELL}${last},{nth})),"")')
        for c, h in (("C", H_LEVEL), ("D", H_MSG), ("E", H_CODE)):
            ws[f"{c}{r}"] = f'=IFERROR(INDEX(${h}${FIRST}:${h}${last},{nth}),"")'
        for c in "ABCDE":
            ws[f"{c}{r}"].font = link if c == "B" else body
            ws[f"{c}{r}"].alignment = Alignment(horizontal="left" if c == "D" else "center", vertical="center",
                                                wrap_text=c == "D")
        ws.row_dimensions[r].height = 27  # two lines: Excel does not fit a row to a formula's result
    more = FIRST + LIST_MAX
    ws[f"A{more}"] = (f'=IF({count}>{LIST_MAX},"另有 "&({count}-{LIST_MAX})&" 个问题未列出：'
                      f'请先改正上面的问题，改正后其余问题会依次列出。","")')
    ws[f"A{more}"].font = Font(name=font, size=11, bold=True, color="C00000")
    ws.merge_cells(f"A{more}:E{more}")
    from openpyxl.formatting.rule import FormulaRule

    ws.conditional_formatting.add(f"A{FIRST}:E{more - 1}", FormulaRule(
        formula=[f"LEN($A{FIRST})>0"], border=box_border(), stopIfTrue=False))
    ws.conditional_formatting.add(f"C{FIRST}:C{more - 1}", FormulaRule(
        formula=[f'$C{FIRST}="错误"'], fill=solid(ERROR_FILL, conditional=True), stopIfTrue=False))
    ws.conditional_formatting.add("A2", FormulaRule(formula=[f"{count}=0"], font=Font(color="006100", bold=True),
                                                    stopIfTrue=True))
    for c, w in zip("ABCDE", (6, 9, 7, 76, 15)):
        ws.column_dimensions[c].width = w
    for h in (H_FLAG, H_SEQ, H_CELL, H_LEVEL, H_MSG, H_CODE, H_KIND, H_DED):
        ws.column_dimensions[h].hidden = True
    ws.freeze_panes = f"A{FIRST}"
    ws.sheet_view.showGridLines = False
    ws.protection.sheet = True  # no password: nothing here is typed in
    ws.print_title_rows = f"{FIRST - 1}:{FIRST - 1}"
    ws.print_area = f"A1:E{more}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1  # one page: the list has LIST_MAX rows
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # the count on the scoring sheet, right of 单位名称 (never printed over the table)
    geo = info.geometry
    c0 = geo.columns["criteria"]
    c1 = max(geo.columns.values())
    status = scoring.cell(2, c0)
    sheet_q = "'" + SHEET + "'!"
    # a HYPERLINK formula, not a cell hyperlink (a reader taking a link for a value would see its target)
    status.value = (f'=HYPERLINK("#{sheet_q}A{FIRST - 1}",IF({sheet_q}A2="未发现问题","自查：未发现问题",'
                    f'"自查："&{sheet_q}A2&"，见“{SHEET}”表"))')
    status.font = Font(name=font, size=11, bold=True, color="C00000")
    status.alignment = Alignment(horizontal="left", vertical="center")
    if c1 > c0:
        scoring.merge_cells(start_row=2, start_column=c0, end_row=2, end_column=c1)
    ref = f"${get_column_letter(c0)}$2"  # the cell itself: Excel 2007 refuses other sheets in a condition
    scoring.conditional_formatting.add(ref.replace("$", ""), FormulaRule(
        formula=[f'{ref}="自查：未发现问题"'], font=Font(color="006100", bold=True), stopIfTrue=True))
    return str(ws["A2"].value)


__all__ = ["SHEET", "SELF_ONLY", "write_self_check"]
