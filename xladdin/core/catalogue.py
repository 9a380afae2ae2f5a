"""The issue catalogue: every code the program can emit, in one place (after frictionless-py's errors).

Each :class:`Code` has its severities, a Chinese title (the README's 含义), a Chinese description,
the scopes that emit it (``check``: reading and checking a table; ``framework``: the checks a
framework file must pass; ``consolidate``: ``xladdin consolidate``) and its message templates in
``str.format`` style. A code may have several forms (e.g. ``total-weight`` is an error when the
level-1 weights miss the total, a warning when the stated total is not 100): each form is a
template with its own severity. The default form is ``""``.

    >>> issue("score-mismatch", cell="F7", where="三级指标“预算执行率”", score="3", weight="4",
    ...       deduction="0", computed="4").message
    '三级指标“预算执行率”得分 3 与“分值 4 − 扣分 0 = 4”不一致。'

Pure: no I/O, no third-party imports. ``python3 -m xladdin.core.catalogue --markdown`` prints the
README's table of check codes.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xladdin.core.model import Issue, Severity

SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告"}

CHECK, FRAMEWORK, CONSOLIDATE = "check", "framework", "consolidate"


@dataclass(frozen=True, slots=True)
class Form:
    """One message form of a code: its template and the severity it is emitted with."""

    template: str
    severity: Severity

    @property
    def fields(self) -> tuple[str, ...]:
        """The named fields the template uses, in order of first use."""
        out: list[str] = []
        for _, name, _, _ in string.Formatter().parse(self.template):
            if name and name not in out:
                out.append(name)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    title: str  # short Chinese meaning: the README table's 含义
    description: str
    scopes: tuple[str, ...]  # which tools emit it: check / framework / consolidate
    forms: Mapping[str, Form]  # form name ("" = default) -> template and severity

    @property
    def severities(self) -> tuple[Severity, ...]:
        """The severities the code is emitted with, the default form's first."""
        out: list[Severity] = []
        for form in self.forms.values():
            if form.severity not in out:
                out.append(form.severity)
        return tuple(out)

    @property
    def severity(self) -> Severity:
        return self.forms[""].severity

    @property
    def template(self) -> str:
        return self.forms[""].template


def _e(template: str) -> Form:
    return Form(template, "error")


def _w(template: str) -> Form:
    return Form(template, "warning")


_ENTRIES: tuple[Code, ...] = (
    # -- check: the checks over the indicator tree (xladdin.kinds.department.checks) -------------
    Code("weight-sum", "上级指标分值 ≠ 下级指标分值之和（标在上级分值单元格）",
         "某个上级指标填写的分值与其下级指标分值之和不一致；一处填错只在填错的位置报告一次。",
         (CHECK, FRAMEWORK), {
             "": _e("{where}的分值填的是 {weight}，但其下级指标分值之和为 {parts} = {total}，"
                    "两者不一致（请核对是上级分值还是下级分值填错）。"),
         }),
    Code("total-weight", "一级指标分值合计 ≠ 总分（合计行所写，或 100）；合计行所写总分不是 100 时为警告",
         "一级指标分值之和应等于合计行所写的总分，没有合计行时应等于 100；两者相等但合计行所写总分"
         "不是 100 时给出警告。",
         (CHECK, FRAMEWORK), {
             "": _e("一级指标分值合计为 {total}（{names}），{source}，相差 {difference} 分。"),
             "not-standard": _w("一级指标分值合计为 {total}，不是 {standard} 分；按规定评分表总分应为 100 分。"),
         }),
    Code("deduction-range", "扣分小于 0 或大于该指标分值",
         "末级指标的扣分应在 0 到该指标分值之间。",
         (CHECK,), {
             "": _e("{where}扣分 {deduction}：{why}。"),
         }),
    Code("score-range", "得分小于 0 或大于该指标分值",
         "末级指标的得分应在 0 到该指标分值之间。",
         (CHECK,), {
             "": _e("{where}得分 {score}：{why}。"),
         }),
    Code("score-mismatch", "得分 ≠ 分值 − 扣分",
         "同时填了扣分和得分的末级指标，得分应等于分值减扣分。",
         (CHECK,), {
             "": _e("{where}得分 {score} 与“分值 {weight} − 扣分 {deduction} = {computed}”不一致。"),
         }),
    Code("total-mismatch", "合计行或表中写明的总得分与计算结果不一致",
         "合计行各列的合计、表中写明的综合得分，应与按各指标计算的结果一致。",
         (CHECK,), {
             "": _e("{label}行的{what}写的是 {stated}，按各指标计算应为 {computed}。"),
             "stated-total": _e("表中写明的总得分为 {stated}（“{text}”），按各指标得分计算应为 {computed}。"),
         }),
    Code("grade-mismatch", "表中写明的等级与总得分对应的等级不一致",
         "表中写明的评价等级应与按总得分和等级分档得出的等级一致。",
         (CHECK,), {
             "": _e("表中写明的评价等级为“{stated}”（{shown}），但总得分 {total} 对应的等级是“{grade}”。"),
         }),
    Code("missing-value", "分值空白，或某指标的扣分和得分都空白（空白不会按满分计算）",
         "末级指标没有分值，扣分和得分都没有填写，或某行填了数值却没有指标名称。",
         (CHECK,), {
             "": _e("{where}的{what}没有填写；空白不会按满分计算，请填写（不扣分请填 0 或填满分得分）。"),
             "weight": _e("{where}没有填分值。"),
             "name": _e("第 {row} 行填了分值或得分，但没有指标名称。"),
         }),
    Code("duplicate-indicator", "同一上级下出现同名指标",
         "同一上级指标下有两个名称相同的指标（忽略空格和全角半角），其分值和得分会被重复计算。",
         (CHECK, FRAMEWORK), {
             "": _e("{where}在同一上级下出现了两次（另一处在 {other}），分值和得分会被重复计算。"),
         }),
    # -- check: problems found while reading the table (xladdin.kinds.department.parse) ----------
    Code("text-number", "数字存成了文本（如“3分”“ ３ ”），已按数字读取",
         "应填数字的单元格是文本格式的数字，已按数字读取；Excel 公式不会计算它。",
         (CHECK,), {
             "": _w("{cell} 的{what}“{text}”是文本格式的数字，已按 {value} 读取；"
                    "建议改为数值格式，否则 Excel 公式不会计算它。"),
         }),
    Code("bad-number", "应填数字的单元格填了无法识别的内容（如“三”、#DIV/0!）",
         "应填数字的单元格里是无法读成数字的内容，或是 Excel 错误值。",
         (CHECK, FRAMEWORK), {
             "": _e("{cell} 的{what}应为数字，实际填的是{described}，无法计算。"),
             "error-value": _e("{cell} 的{what}是错误值“{value}”，请检查该单元格的公式。"),
             "blank-error": _e("{cell} 的{what}是错误值“{value}”，请检查该单元格的公式或内容。"),
         }),
    Code("formula-no-value", "公式没有保存计算结果（程序生成的文件），已代为计算",
         "单元格是公式，但文件里没有保存计算结果；能计算的已代为计算。",
         (CHECK,), {
             "": _w("{cell} 的{what}是公式“{formula}”，但文件里没有保存计算结果（常见于程序生成的文件）；"
                    "{done}。请在 Excel 中打开并保存一次。"),
         }),
    # -- check: the workbook cannot be used at all (xladdin.errors, raised by xladdin.reading) ----
    Code("not-scoring-table", "文件里找不到评分表",
         "工作簿里没有一张工作表像评分表（找不到表头），或是以前生成的汇总表。",
         (CHECK, CONSOLIDATE), {
             "": _e("{reason}"),
             "summary": _e("文件“{file}”是 xladdin 生成的汇总表，不是部门评分表，未计入汇总。"),
         }),
    Code("unreadable", "文件损坏、加密、为空或不是 Excel 工作簿",
         "文件无法作为 Excel 工作簿读取；汇总时读取超时或读取程序异常退出也记为此代码。",
         (CHECK, CONSOLIDATE), {
             "": _e("{reason}"),
             "crashed": _e("读取文件“{file}”时读取程序异常退出，文件可能已损坏；请重新导出后提交。"),
             "timeout": _e("读取文件“{file}”超过 {seconds} 秒仍未完成（超时），已停止读取；"
                           "文件可能已损坏或被恶意构造，请重新导出后提交。"),
             "unexpected": _e("文件“{file}”读取时出现意外错误（{error}），未能校验；"
                              "请重新导出该文件，或把它发给技术人员。"),
             "not-returned": _e("文件“{file}”读取后无法传回结果（{error}），未能校验；请把它发给技术人员。"),
         }),
    # -- consolidate: across the submissions (xladdin.consolidation) ------------------------------
    Code("framework-differs", "一级指标与多数单位不同：照常汇总，各指标按名称对应",
         "该单位的一级指标与多数单位使用的不同（缺少或多出一级指标）；照常汇总，各指标按名称对应。",
         (CONSOLIDATE,), {
             "": _w("{unit}的一级指标与多数单位（{majority} 个）不同：{differences}。"
                    "已照常汇总，各指标按名称对应；请核对是否使用了统一的评分表。"),
         }),
    Code("duplicate", "被较新的报送取代",
         "同一单位同一年度有多个文件：以较新的为准，本文件不计入汇总。",
         (CONSOLIDATE,), {
             "": _w("与“{winner}”是同一单位（{unit}）{year}的评分表，按{basis}以较新的"
                    "“{winner}”为准，本文件未计入汇总。"),
         }),
    Code("year-differs", "评价年度与本次汇总不同",
         "评分表所写的评价年度与本次汇总的年度不同。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”是 {table_year} 年度的评分表，与本次汇总的 {year} 年度不同，请核对是否报错了年度。"),
         }),
    Code("year-missing", "表中没写年度，按汇总年度处理",
         "评分表里没有写评价年度，按本次汇总的年度处理。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”的评分表里没有写评价年度，按 {year} 年度汇总。"),
         }),
    Code("unit-missing", "表中没写单位名称，暂以文件名代替",
         "评分表里没有找到单位名称（标题或“单位名称”行），汇总中暂以文件名代替。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”的评分表里没有找到单位名称（标题或“单位名称”行），汇总中暂以文件名“{shown}”代替。"),
         }),
)

CATALOGUE: dict[str, Code] = {c.code: c for c in _ENTRIES}

# The codes of each scope, in catalogue order (stable: users' scripts rely on them).
ISSUE_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if CHECK in c.scopes)
FRAMEWORK_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if FRAMEWORK in c.scopes)
CONSOLIDATION_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if c.scopes[0] == CONSOLIDATE)

# (code, form) -> (template, severity): the one look-up issue() makes
_FORMS: dict[tuple[str, str], tuple[str, Severity]] = {
    (c.code, name): (f.template, f.severity) for c in _ENTRIES for name, f in c.forms.items()}


def _unknown(code: str, form: str) -> KeyError:
    if code not in CATALOGUE:
        return KeyError(f"unknown issue code {code!r}")
    return KeyError(f"issue code {code!r} has no message form {form!r}")


def message(code: str, form: str = "", **fields: Any) -> str:
    """The message of ``code`` (form ``form``) with its fields filled in; KeyError for an unknown code."""
    found = _FORMS.get((code, form))
    if found is None:
        raise _unknown(code, form)
    return found[0].format_map(fields)


def issue(code: str, cell: str | None = None, path: tuple[str, ...] = (), sheet: str | None = None,
          expected: Any = None, actual: Any = None, severity: Severity | None = None, form: str = "",
          **fields: Any) -> Issue:
    """An :class:`Issue` of ``code`` whose message is the form's template filled with ``fields``
    (``cell`` and ``sheet`` are fields too). The severity is the form's unless given.
    KeyError for an unknown code or form, or a field the template needs and was not given.

    Runs for every issue of thousands of tables: one dict look-up and one ``str.format_map``.
    """
    found = _FORMS.get((code, form))
    if found is None:
        raise _unknown(code, form)
    fields["cell"] = cell
    fields["sheet"] = sheet
    return Issue(code, severity or found[1], found[0].format_map(fields), cell, path, expected, actual, sheet)


def markdown_table(scope: str = CHECK) -> str:
    """The README's table of the codes of ``scope``: | 代码 | 级别 | 含义 |."""
    lines = ["| 代码 | 级别 | 含义 |", "|---|---|---|"]
    for c in _ENTRIES:
        if c.scopes[0] == scope:
            level = "/".join(SEVERITY_LABEL[s] for s in c.severities)
            lines.append(f"| `{c.code}` | {level} | {c.title} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--markdown"]:
        print(markdown_table())
        return 0
    print("usage: python3 -m xladdin.core.catalogue --markdown", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
