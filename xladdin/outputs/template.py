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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.numbers import fmt
from xladdin.kinds.department.framework import SEED_FRAMEWORK, Leaf
from xladdin.outputs.layout import HEADERS, Geometry, write_table
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
    underline_border,
)

SHEET_NAME = "评分表"
BASE_TITLE = "部门整体支出绩效评价指标评分表"
DEFAULT_TEMPLATE_NAME = "评分表模板.xlsx"
SUMMARY_SHEET = "汇总"
FOLDER_NAME = "汇总文件夹"  # workbook-level names read by the 汇总 button
OUTPUT_NAME = "汇总结果"
CONF_SHEET = "xlwings.conf"

REASON_MISSING_FILL = "F8CBAD"  # orange: a deduction without a reason
BAD_FILL = ERROR_FILL  # red: a deduction the score cannot take
FONT = "宋体"
# A fixed timestamp keeps the generated file identical run to run (the shipped copy is compared).
FIXED_TIME = _dt.datetime(2024, 1, 1)
TEMPLATE_MARKER = "xladdin-template"


def is_untouched_template(path: str | os.PathLike[str]) -> bool:
    """An xladdin template no program has saved since (Excel, WPS and LibreOffice rewrite
    lastModifiedBy or drop the marker): ``template -o`` may replace it."""
    from xladdin.outputs.toolkit import core_properties_text

    core = core_properties_text(path) or ""
    return (TEMPLATE_MARKER in core and "<cp:lastModifiedBy>xladdin</cp:lastModifiedBy>" in core
            and "2024-01-01T00:00:00Z" in core)

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
) -> tuple[Any, TemplateInfo]:
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
    from xladdin.outputs.self_check import write_self_check

    write_self_check(wb, info, grading)  # the 自查 sheet: the checks a formula can do, without Python
    from xladdin.outputs.basic_data_sheet import write_basic_data_sheets

    write_basic_data_sheets(wb, info)  # 基础数据 and 测算对比 (issue 14), with formulas
    if excel:
        _write_summary_sheet(wb)
        write_conf_sheet(wb, interpreter)
    wb.active = 0
    props = wb.properties
    props.creator = "xladdin"
    props.lastModifiedBy = "xladdin"
    props.title = ws.cell(1, 1).value
    props.created = props.modified = FIXED_TIME
    props.keywords = TEMPLATE_MARKER  # template -o may replace a template nobody has saved since
    if out is not None:
        save_workbook_atomically(BlankValues(wb, ws.title, info.totals_row), Path(out))
    return wb, info


class BlankValues:
    """Saves the template with the results the table's simple formulas have while it is blank
    (得分 = 分值, the 合计 row's sums; rows up to ``last_row``), as Excel stores them: a reader that
    calculates nothing (``xladdin check`` on the blank template, a preview) sees numbers instead of
    formulas without results. Excel, WPS and LibreOffice calculate again on opening (fullCalcOnLoad);
    a copy filled in and saved there stores its own results. (综合得分 below the table keeps no
    result: read as a stated total it would only repeat the 合计 row.)"""

    def __init__(self, wb: Any, sheet: str, last_row: int | None = None):
        self.wb, self.sheet, self.last_row = wb, sheet, last_row

    def save(self, path: str) -> None:
        self.wb.save(path)
        values = blank_values(self.wb[self.sheet], self.last_row)
        if values:
            _store_values(path, self.sheet, values)


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_SUM = re.compile(r"SUM\(\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)\)")
_ARITHMETIC = re.compile(r"[\d.+\-*/() ]*")


def blank_values(ws: Any, last_row: int | None = None) -> dict[str, float | str]:
    """cell -> value of each formula (in rows up to ``last_row``) made only of references, SUM(range),
    numbers and + − × ÷, with blank cells as 0 (how the blank template calculates). Other formulas
    (IF, text, …) are left out."""
    from openpyxl.utils import column_index_from_string

    formulas = {c.coordinate: c.value[1:] for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"}
    wanted = {ref for ref in formulas if last_row is None or int(_REF.fullmatch(ref).group(2)) <= last_row}  # type: ignore[union-attr]
    done: dict[str, float | str | None] = {}

    def value(ref: str, depth: int = 0) -> float | str | None:
        if ref in done:
            return done[ref]
        if ref in formulas:
            done[ref] = None  # a circle stays unknown
            done[ref] = evaluate(formulas[ref], depth + 1) if depth < 50 else None
            return done[ref]
        v = ws[ref].value
        return v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else 0.0

    def number(ref: str, depth: int) -> float:
        v = value(ref, depth)
        if isinstance(v, (int, float)):
            return float(v)
        raise ValueError(ref)

    def evaluate(formula: str, depth: int) -> float | str | None:
        m = _REF.fullmatch(formula.strip())
        if m:  # a plain reference: a label or a number
            return value(f"{m.group(1)}{m.group(2)}", depth)
        try:
            def total(sm: re.Match[str]) -> str:
                c0, r0, c1, r1 = (column_index_from_string(sm.group(1)), int(sm.group(2)),
                                  column_index_from_string(sm.group(3)), int(sm.group(4)))
                cells = (f"{get_column_letter(c)}{r}" for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
                found = (value(c, depth) for c in cells)
                return repr(sum(float(v) for v in found if isinstance(v, (int, float))))
            expr = _SUM.sub(total, formula)
            expr = _REF.sub(lambda rm: repr(number(f"{rm.group(1)}{rm.group(2)}", depth)), expr)
        except ValueError:
            return None
        if not _ARITHMETIC.fullmatch(expr):
            return None
        try:
            result = eval(expr, {"__builtins__": {}}, {})  # noqa: S307 — digits and + − × ÷ only (checked)
        except (ArithmeticError, SyntaxError):
            return None
        return round(float(result), 10)

    out: dict[str, float | str] = {}
    for ref in sorted(wanted):
        v = value(ref)
        if v is not None:
            out[ref] = v
    return out


def _store_values(path: str, sheet: str, values: dict[str, float | str]) -> None:
    """Put ``values`` into the formula cells of ``sheet`` in the saved workbook at ``path``."""
    import zipfile
    from xml.sax.saxutils import escape

    from xladdin.outputs.summary_book import _sheet_parts

    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        data = {i.filename: zf.read(i.filename) for i in infos}
    part = _sheet_parts(data)[sheet]

    def fill(m: re.Match[str]) -> str:
        ref, attrs, formula = m.group(1), m.group(2), m.group(3)
        v = values.get(ref)
        if v is None:
            return m.group(0)
        if isinstance(v, str):
            attrs = re.sub(r'\st="[^"]*"', "", attrs) + ' t="str"'
            return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{escape(v)}</v></c>'
        return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{v!r}</v></c>'

    xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/></c>', fill, data[part].decode("utf-8"))
    data[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, data[info.filename])


# -- the scoring sheet ------------------------------------------------------------------------------

def _columns(leaves: Sequence[Leaf]) -> tuple[tuple[str, ...], int]:
    depth = max(len(leaf.levels) for leaf in leaves)
    cols: list[str] = []
    for k in range(1, depth + 1):
        cols += [f"name:{k}", f"weight:{k}"]
    cols += ["criteria", "deduction", "score", "reason"]
    return tuple(cols), depth


def get_column_letter(c: int) -> str:
    from openpyxl.utils import get_column_letter as letter  # openpyxl is imported only when a template is written

    return str(letter(c))


@dataclass
class _Sheet:
    """The scoring sheet being written: the worksheet, its columns and the styles every section uses."""

    ws: Any
    leaves: tuple[Leaf, ...]
    columns: tuple[str, ...]
    depth: int

    def __post_init__(self) -> None:
        from openpyxl.styles import Alignment, Font, Protection

        self.body = Font(name=FONT, size=11)
        self.bold = Font(name=FONT, size=11, bold=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.unlocked = Protection(locked=False)
        self.box = box_border()
        self.underline = underline_border()
        self.input_fill = solid(INPUT_FILL)

    def col(self, role: str) -> int:
        return self.columns.index(role) + 1

    @property
    def ncols(self) -> int:
        return len(self.columns)

    @property
    def c_crit(self) -> int:
        return self.col("criteria")

    @property
    def c_ded(self) -> int:
        return self.c_crit + 1

    @property
    def c_score(self) -> int:
        return self.c_crit + 2

    @property
    def c_reason(self) -> int:
        return self.c_crit + 3

    @property
    def w_last(self) -> int:
        """The last 分值 column (the deepest level's)."""
        return self.col(f"weight:{self.depth}")

    @property
    def year_end(self) -> int:
        """Two levels: the year sits in the narrow 分值 column (still wide enough)."""
        return 3 if self.depth >= 3 else 2

    def label(self, r: int, c: int, text: str, *, to: int | None = None) -> None:
        """A bold right-aligned label, merged over columns c..to."""
        from openpyxl.styles import Alignment

        ws = self.ws
        put(ws.cell(r, c), text).font = self.bold
        ws.cell(r, c).alignment = self.right if to is None else Alignment(horizontal="right", vertical="center")
        if to is not None and to > c:
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=to)

    def field(self, r: int, c0: int, c1: int, value: object = None, *, text: bool = False) -> str:
        """An input field over columns c0..c1 (light blue, underlined, unlocked); returns its address."""
        from openpyxl.styles import Alignment

        ws = self.ws
        cell = put(ws.cell(r, c0), value)
        cell.font = self.body
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if text:
            cell.number_format = "@"
        for c in range(c0, c1 + 1):
            ws.cell(r, c).border = self.underline
            ws.cell(r, c).protection = self.unlocked
            ws.cell(r, c).fill = self.input_fill
        if c1 > c0:
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c1)
        return str(cell.coordinate)

    def style_row(self, r: int, c1: int, *, font: Any, fill: str | None = None, alignment: Any = None) -> None:
        """Columns 1..c1 of row r: boxed, in ``font``, centred unless told, optionally filled."""
        for c in range(1, c1 + 1):
            cell = self.ws.cell(r, c)
            cell.font = font
            cell.alignment = alignment or self.center
            if fill:
                cell.fill = solid(fill)
            cell.border = self.box


def _write_scoring_sheet(ws: Any, leaves: tuple[Leaf, ...], *, unit: str | None, year: int | None,
                         title: str | None, grading: Grading) -> TemplateInfo:
    columns, depth = _columns(leaves)
    s = _Sheet(ws, leaves, columns, depth)
    unit_cell, year_cell, filler_cell, phone_cell = _header_block(s, title or template_title(unit, year), unit, year)
    headers = {f"name:{k}": HEADERS.get(f"name:{k}", f"{k}级指标") for k in range(1, depth + 1)}
    headers.update({f"weight:{k}": "分值" for k in range(1, depth + 1)})
    geo = write_table(ws, leaves, columns=columns, headers=headers, title=None, start_row=4,
                      totals_label="合计", criteria=True)
    tr = geo.totals_row
    assert tr is not None
    # Everything so far was written as text (title, --unit, indicator names and criteria from a framework
    # file: a name such as "=1+1" stays text). The formulas come after this.
    _header_row(s, geo.header_row)
    weight_col_of = _table_body(s, geo)
    _deduction_validation(s, geo, weight_col_of)
    _totals_row(s, geo, weight_col_of)
    total_cell, grade_cell, sr = _grade_rows(s, tr, grading)
    subtotal_rows, sub_last = _subtotal_block(s, geo, sr + 2)
    nr = _notes(s, sub_last + 2, grading)
    _conditional_formats(s, geo)
    _column_widths(s)
    _protect(ws)
    _view_and_print(s, geo, last_row=nr)

    ded, reason = get_column_letter(s.c_ded), get_column_letter(s.c_reason)
    inputs = [unit_cell, year_cell, filler_cell, phone_cell]
    for r in geo.leaf_rows:
        inputs += [f"{ded}{r}", f"{reason}{r}"]
    return TemplateInfo(
        sheet=ws.title, geometry=geo, leaves=leaves, unit_cell=unit_cell, year_cell=year_cell,
        filler_cell=filler_cell, phone_cell=phone_cell, total_cell=total_cell, grade_cell=grade_cell,
        totals_row=tr, subtotal_rows=subtotal_rows, last_row=nr, input_cells=inputs)


def _header_block(s: _Sheet, title: str, unit: str | None, year: int | None) -> tuple[str, str, str, str]:
    """The title and the two header lines; returns the 单位名称, 评价年度, 填报人, 联系电话 cells.
    单位名称 is alone on its line: a blank value must not pick up a neighbour."""
    from openpyxl.styles import Alignment, Font

    ws = s.ws
    put(ws.cell(1, 1), title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=s.ncols)
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    s.label(2, 1, "单位名称：")
    unit_cell = s.field(2, 2, s.w_last, unit or None)
    s.label(3, 1, "评价年度：")
    year_cell = s.field(3, 2, s.year_end, str(year) if year else None, text=True)
    s.label(3, s.year_end + 1, "填报人：", to=s.w_last)
    filler_cell = s.field(3, s.w_last + 1, s.c_crit)
    s.label(3, s.c_ded, "联系电话：", to=s.c_score)
    phone_cell = s.field(3, s.c_reason, s.c_reason, text=True)
    for r in (2, 3):
        ws.row_dimensions[r].height = 22
    return unit_cell, year_cell, filler_cell, phone_cell


def _header_row(s: _Sheet, hr: int) -> None:
    s.style_row(hr, s.ncols, font=s.bold, fill=HEADER_FILL)
    s.ws.row_dimensions[hr].height = 30


def _table_body(s: _Sheet, geo: Geometry) -> dict[int, str]:
    """Styles, 得分 = 分值 − 扣分 formulas and the input cells of every indicator row; returns each
    row's 分值 column (the weight of the row's own level)."""
    ws = s.ws
    ded = get_column_letter(s.c_ded)
    weight_col_of: dict[int, str] = {}
    for leaf, r in zip(s.leaves, geo.leaf_rows):
        wcol = get_column_letter(s.col(f"weight:{len(leaf.levels)}"))
        weight_col_of[r] = wcol
        for c in range(1, s.ncols + 1):
            cell = ws.cell(r, c)
            cell.border = s.box
            cell.font = s.body
            cell.alignment = s.left if c in (s.c_crit, s.c_reason) else s.center
        ws.cell(r, s.c_score).value = f"={wcol}{r}-{ded}{r}"
        for c in (s.c_ded, s.c_reason):
            ws.cell(r, c).protection = s.unlocked
            ws.cell(r, c).fill = s.input_fill
        # Long criteria get room for their lines; other rows keep Excel's automatic height, so a long
        # 扣分原因 typed in later wraps and the row grows to show it all (on screen and on paper).
        if leaf.criteria and len(leaf.criteria) > 17:  # ~17 CJK characters a line in the criteria column
            ws.row_dimensions[r].height = 15 * -(-len(leaf.criteria) // 17) + 4
    return weight_col_of


def _deduction_validation(s: _Sheet, geo: Geometry, weight_col_of: dict[int, str]) -> None:
    """扣分: a number from 0 to the row's 分值, with a Chinese prompt and error message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    ded = get_column_letter(s.c_ded)
    for leaf, r in zip(s.leaves, geo.leaf_rows):
        w = fmt(leaf.weight)
        dv = DataValidation(
            type="decimal", operator="between", formula1="0", formula2=f"${weight_col_of[r]}${r}", allow_blank=True,
            showInputMessage=True, showErrorMessage=True, errorStyle="stop",
            promptTitle="扣分", prompt=f"填写本项扣分：0 至 {w} 分（本项分值 {w} 分）。不扣分请留空。",
            errorTitle="扣分超出范围", error=f"扣分应为 0 至 {w} 之间的数字（不能超过本项分值 {w} 分）。请重新填写。",
        )
        s.ws.add_data_validation(dv)
        dv.add(f"{ded}{r}")


def _totals_row(s: _Sheet, geo: Geometry, weight_col_of: dict[int, str]) -> None:
    """合计: each 分值 column sums its level plus the rows that stop above it (like the engine)."""
    ws, L = s.ws, get_column_letter
    first, tr = geo.first_row, geo.totals_row
    assert tr is not None
    last = tr - 1
    ws.cell(tr, 1).value = "合计"
    for k in range(1, s.depth + 1):
        wc = s.col(f"weight:{k}")
        terms = [f"SUM({L(wc)}{first}:{L(wc)}{last})"]
        for leaf, r in zip(s.leaves, geo.leaf_rows):
            if len(leaf.levels) < k:
                terms.append(f"{weight_col_of[r]}{r}")
        ws.cell(tr, wc).value = "=" + "+".join(terms)
        if k > 1:
            ws.cell(tr, s.col(f"name:{k}")).value = "-"
    ded, score = L(s.c_ded), L(s.c_score)
    ws.cell(tr, s.c_ded).value = f"=SUM({ded}{first}:{ded}{last})"
    ws.cell(tr, s.c_score).value = f"=SUM({score}{first}:{score}{last})"
    s.style_row(tr, s.ncols, font=s.bold, fill=TOTAL_FILL)
    ws.row_dimensions[tr].height = 22


def _grade_rows(s: _Sheet, tr: int, grading: Grading) -> tuple[str, str, int]:
    """综合得分 and 评价等级 under the 合计 row; returns (综合得分 cell, 评价等级 cell, their row)."""
    from openpyxl.styles import Alignment, Font

    ws = s.ws
    sr = tr + 1
    put(ws.cell(sr, 1), "综合得分：").font = Font(name=FONT, size=12, bold=True)
    ws.cell(sr, 1).alignment = s.right
    ws.cell(sr, 2).value = f"={get_column_letter(s.c_score)}{tr}"
    if s.year_end > 2:
        ws.merge_cells(start_row=sr, start_column=2, end_row=sr, end_column=s.year_end)
    total_cell = f"B{sr}"
    lab_end = max(s.year_end + 1, s.w_last - 1) if s.depth >= 3 else s.w_last
    s.label(sr, s.year_end + 1, "评价等级：", to=lab_end)
    ws.cell(sr, s.year_end + 1).font = Font(name=FONT, size=12, bold=True)
    gcol = lab_end + 1
    grade_cell = f"{get_column_letter(gcol)}{sr}"
    ws.cell(sr, gcol).value = grade_formula(f"B{sr}", grading)
    if gcol + 1 <= s.c_crit:
        ws.merge_cells(start_row=sr, start_column=gcol, end_row=sr, end_column=gcol + 1)
    for ref in (total_cell, grade_cell):
        ws[ref].font = Font(name=FONT, size=14, bold=True, color="C00000")
        ws[ref].alignment = Alignment(horizontal="center", vertical="center")
        ws[ref].border = s.underline
    ws.row_dimensions[sr].height = 28
    return total_cell, grade_cell, sr


def _subtotal_block(s: _Sheet, geo: Geometry, br: int) -> tuple[dict[str, int], int]:
    """一级指标得分小计 from row ``br``: 一级指标 | 分值 | 得分率 | 扣分 | 得分. Returns the row of each
    level-1 indicator and the block's last row."""
    ws = s.ws
    ded, score = get_column_letter(s.c_ded), get_column_letter(s.c_score)
    heads = ((1, 1, "一级指标"), (2, 2, "分值"), (3, s.c_crit, "得分率"), (s.c_ded, s.c_ded, "扣分"),
             (s.c_score, s.c_score, "得分"))
    for c0, c1, text in heads:
        put(ws.cell(br, c0), text)
        if c1 > c0:
            ws.merge_cells(start_row=br, start_column=c0, end_row=br, end_column=c1)
    s.style_row(br, s.c_score, font=s.bold, fill=HEADER_FILL)
    ws.row_dimensions[br].height = 20
    subtotal_rows: dict[str, int] = {}
    r = br
    for path, (r0, r1) in geo.blocks_at(1):
        r += 1
        subtotal_rows[path[0]] = r
        ws.cell(r, 1, f"=A{r0}")
        ws.cell(r, 2, f"=B{r0}")
        ws.cell(r, 3, f'=IF(N(B{r})=0,"",{score}{r}/B{r})')
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=s.c_crit)
        ws.cell(r, s.c_ded, f"=SUM({ded}{r0}:{ded}{r1})")
        ws.cell(r, s.c_score, f"=SUM({score}{r0}:{score}{r1})")
        s.style_row(r, s.c_score, font=s.body)
        ws.cell(r, 3).number_format = "0.0%"
        ws.row_dimensions[r].height = 18
    return subtotal_rows, r


def _notes(s: _Sheet, nr: int, grading: Grading) -> int:
    """The 填表说明 line at row ``nr`` (worded so the reader never mistakes it for a stated total or grade)."""
    from openpyxl.styles import Alignment, Font

    ws = s.ws
    notes = (
        "填表说明：1. 只填写浅蓝色单元格：单位名称、评价年度、填报人、联系电话，以及各指标的“扣分”和“扣分原因”；"
        "不扣分的指标“扣分”留空。"
        "2. 得分（分值 − 扣分）、合计、综合得分、评价等级和一级指标小计由公式自动计算，无需填写。"
        "3. 有扣分的指标必须写明扣分原因（未写时显示为橙色）；扣分不能超过该指标分值（超出时显示为红色）。"
        f"4. 等级标准：{bands_text(grading)}。"
    )
    put(ws.cell(nr, 1), notes)
    ws.merge_cells(start_row=nr, start_column=1, end_row=nr, end_column=s.ncols)
    ws.cell(nr, 1).font = Font(name=FONT, size=10)
    ws.cell(nr, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.row_dimensions[nr].height = 15 * 4 + 6
    return nr


def _conditional_formats(s: _Sheet, geo: Geometry) -> None:
    """Orange: a deduction without a reason; red: a deduction the score cannot take."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    assert geo.totals_row is not None
    first, last = geo.first_row, geo.totals_row - 1
    ded, score, reason = (get_column_letter(c) for c in (s.c_ded, s.c_score, s.c_reason))
    s.ws.conditional_formatting.add(f"{reason}{first}:{reason}{last}", FormulaRule(
        formula=[f"AND(ISNUMBER(${ded}{first}),${ded}{first}>0,LEN(TRIM(${reason}{first}))=0)"],
        fill=solid(REASON_MISSING_FILL, conditional=True), stopIfTrue=False))
    s.ws.conditional_formatting.add(f"{ded}{first}:{ded}{last}", FormulaRule(
        formula=[f"OR(ISERROR(${score}{first}),AND(ISNUMBER(${score}{first}),${score}{first}<0),"
                 f"AND(ISNUMBER(${ded}{first}),${ded}{first}<0))"],
        fill=solid(BAD_FILL, conditional=True), font=Font(color="9C0006", bold=True), stopIfTrue=False))


def _column_widths(s: _Sheet) -> None:
    widths: dict[str, float] = {}
    name_w = {1: 14, 2: 16, 3: 22, 4: 22}
    for k in range(1, s.depth + 1):
        widths[f"name:{k}"] = name_w.get(k, 20)
        widths[f"weight:{k}"] = NARROW
    has_criteria = any(leaf.criteria for leaf in s.leaves)
    widths.update({"criteria": 36 if has_criteria else 24, "deduction": 8, "score": 8, "reason": 32})
    for role, width in widths.items():
        s.ws.column_dimensions[get_column_letter(s.col(role))].width = width


def _protect(ws: Any) -> None:
    """Only the input cells are unlocked; no password (审阅 → 撤销工作表保护)."""
    prot = ws.protection
    prot.sheet = True
    prot.formatColumns = False  # False = allowed: clerks may widen columns and heighten rows
    prot.formatRows = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False


def _view_and_print(s: _Sheet, geo: Geometry, *, last_row: int) -> None:
    """Frozen header, no grid lines; A4 landscape one page wide, header row repeated, page numbers,
    page breaks between level-1 blocks."""
    ws = s.ws
    ws.freeze_panes = ws.cell(geo.first_row, 1)
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 100
    hr = geo.header_row
    page_setup(ws, title_rows=f"{hr}:{hr}", print_area=f"A1:{get_column_letter(s.ncols)}{last_row}",
               margins=(0.4, 0.55), footer="第 &P 页，共 &N 页", center=True)
    assert geo.totals_row is not None
    _page_breaks(ws, geo, s.columns, first_row_after_table=geo.totals_row, last_row=last_row)


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
    if _two_pages(ws, [u for u in units if u[1] < first_row_after_table], span_h, header_h,
                  top=span_h(1, geo.header_row), tail=span_h(first_row_after_table, last_row),
                  width_scale=min(1.0, (PAGE_W - (m.left + m.right) * 72) / width_pt)):
        return
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
            if ws.cell(r0, 1).value is None and r0 > first_row_after_table:  # a blank spacer row opens the page
                h -= height(r0)
        used += h


def _two_pages(ws, blocks: list[tuple[int, int]], span_h, header_h: float, *, top: float, tail: float,
               width_scale: float) -> bool:
    """Print the table on two A4 pages when a scale of at least MIN_PRINT_SCALE allows it: one break
    between level-1 blocks, where it needs the least shrinking (合计, 综合得分, the 小计 block and the
    notes stay with the last block); the scale fixed so both pages hold their rows. False: it needs
    more pages (then the breaks go between level-1 blocks at "one page wide")."""
    from openpyxl.worksheet.pagebreak import Break

    from xladdin.outputs.toolkit import MIN_PRINT_SCALE

    m = ws.page_margins
    room = (PAGE_H - (m.top + m.bottom) * 72) * 0.94  # row heights are estimates: keep a margin
    heights = [span_h(r0, r1) for r0, r1 in blocks]
    best: tuple[float, int] | None = None
    for k in range(1, len(blocks)):
        first = top + sum(heights[:k])
        second = header_h + sum(heights[k:]) + tail
        scale = min(width_scale, room / first, room / second)
        if best is None or scale > best[0]:
            best = (scale, k)
    if best is None or best[0] < MIN_PRINT_SCALE:
        return False
    ws.row_breaks.append(Break(id=blocks[best[1]][0] - 1))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.page_setup.scale = int(best[0] * 100)
    return True


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
    from openpyxl.styles import Alignment, Font
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(SUMMARY_SHEET)
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
        ws[ref].fill = solid(INPUT_FILL)
        ws[ref].border = underline_border()
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
