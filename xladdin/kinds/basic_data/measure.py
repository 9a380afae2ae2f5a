"""测算对比: the quantitative 共性指标 computed from the 基础数据, side by side with the self-scores.

Pure: a scoring table, the department's 基础数据 and a rule profile in; a :class:`Measured` out (rows
``三级指标 | 分值 | 自评得分 | 测算值 | 建议得分 | 差异 | 规则 | 计算过程 | 状态``, totals, grades) plus
the ``self-score-high`` warnings. The self-scores are never changed: the suggestion stands beside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from xladdin.core import catalogue
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import Indicator as Leaf
from xladdin.core.model import Issue, Table
from xladdin.core.numbers import fmt
from xladdin.kinds.basic_data.indicators import ADJUST, CHANGE, CUT, PER_CAPITA, Indicator, looks_quantitative, match
from xladdin.kinds.basic_data.items import label, show
from xladdin.kinds.basic_data.parse import CURRENT, PREVIOUS, BasicData
from xladdin.kinds.basic_data.rules import DEFAULT_PROFILE, Profile, Rule, apply, builtin_profile, pct, r2

AGREE, HIGH, LOW, MISSING, NO_RULE, UNKNOWN = "一致", "自评偏高", "自评偏低", "缺少数据", "无标准规则", "名称未识别"
STATUSES = (AGREE, HIGH, LOW, MISSING, NO_RULE, UNKNOWN)
AGREE_TOLERANCE = 0.01
RAISED_SHARE = 0.10  # a budget raised by more than this share mid-year gets a note on the 执行率
# blank inputs that follow from others: code -> (plus, minus…)
_DERIVED: dict[str, tuple[str, tuple[str, ...]]] = {
    "B03": ("B04", ("B01", "B02")),
    "B06": ("B04", ("B05",)),
}


@dataclass(slots=True)
class MeasuredRow:
    name: str
    path: tuple[str, ...]
    cell: str | None  # the 得分 cell (the 扣分 cell when the table has no 得分 column)
    key: str | None
    weight: float | None
    self_score: float | None
    value: float | None = None
    value_text: str = ""  # 123.53%
    suggested: float | None = None
    difference: float | None = None  # self − suggested (positive: the self-score is higher)
    rule: str = ""
    source: str = ""
    process: str = ""
    status: str = MISSING
    missing: list[str] = field(default_factory=list)  # 基础数据 codes
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "path": list(self.path), "cell": self.cell, "key": self.key,
            "weight": self.weight, "self_score": self.self_score, "value": self.value,
            "value_text": self.value_text, "suggested": self.suggested, "difference": self.difference,
            "rule": self.rule, "source": self.source, "process": self.process, "status": self.status,
            "missing": list(self.missing), "note": self.note,
        }


@dataclass(slots=True)
class Measured:
    profile: str
    basic_sheet: str | None
    rows: list[MeasuredRow] = field(default_factory=list)
    self_total: float | None = None
    measured_total: float | None = None
    self_grade: str | None = None
    measured_grade: str | None = None

    @property
    def high_rows(self) -> list[MeasuredRow]:
        return [r for r in self.rows if r.status == HIGH]

    @property
    def high_difference(self) -> float:
        """Σ 差异 over the 自评偏高 rows (how many points the self-scores stand above the suggestions)."""
        return r2(sum(r.difference or 0.0 for r in self.high_rows))

    @property
    def headline(self) -> str:
        high = self.high_rows
        if self.self_total is None:
            return ""
        text = (f"自评总分 {fmt(self.self_total)}（{self.self_grade or '—'}），测算总分 {fmt(self.measured_total)}"
                f"（{self.measured_grade or '—'}）")
        if self.self_grade != self.measured_grade:
            text = f"等级变化：{self.self_grade} → {self.measured_grade}。" + text
        if high:
            text += f"；{len(high)} 项自评偏高，合计 {fmt(self.high_difference)} 分"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile, "basic_sheet": self.basic_sheet,
            "self_total": self.self_total, "measured_total": self.measured_total,
            "self_grade": self.self_grade, "measured_grade": self.measured_grade,
            "high_rows": len(self.high_rows), "high_difference": self.high_difference,
            "rows": [r.to_dict() for r in self.rows],
        }


class _Values:
    """Looks up 基础数据 figures, deriving a blank B03/B06 from the others, and records what is missing."""

    def __init__(self, data: BasicData | None):
        self.data = data
        self.missing: list[str] = []
        self.notes: list[str] = []

    def get(self, code: str, column: str = CURRENT) -> float | None:
        v = self.data.value(code, column) if self.data is not None else None
        if v is None and code in _DERIVED and self.data is not None:
            plus, minus = _DERIVED[code]
            vals = [self.data.value(c, column) for c in (plus, *minus)]
            if None not in vals:
                got = [x for x in vals if x is not None]
                v = round(got[0] - sum(got[1:]), 6)
                self.notes.append(f"{code} 未填，按 {plus} − {' − '.join(minus)} = {show(code, v)} 推得")
        if v is None:
            shown = code if column == CURRENT else f"{code}（上年）"
            if shown not in self.missing:
                self.missing.append(shown)
        return v


def value_of(ind: Indicator, data: BasicData | None, rule: Rule | None = None
             ) -> tuple[float | None, str, list[str], list[str]]:
    """(value, working, missing codes, notes) of an indicator over the 基础数据."""
    vals = _Values(data)
    if ind.kind == CHANGE or ind.kind == CUT:
        code = ind.inputs[0]
        if rule is not None and code == "S01" and str(rule.params.get("basis", "")) in ("决算", "S02"):
            code = "S02"
        cur, prev = vals.get(code), vals.get(code, PREVIOUS)
        if cur is None or prev is None:
            return None, "", vals.missing, vals.notes
        if prev == 0:
            return None, f"{code} 上年为 0，无法计算变动率", [], vals.notes
        v = (cur - prev) / prev if ind.kind == CHANGE else (prev - cur) / prev
        c, p = show(code, cur), show(code, prev)
        text = f"({c} − {p}) ÷ {p} = {pct(v)}" if ind.kind == CHANGE else f"({p} − {c}) ÷ {p} = {pct(v)}"
        return v, text, [], vals.notes
    if ind.kind == ADJUST:
        b03, b01 = vals.get("B03"), vals.get("B01")
        b07 = data.value("B07") if data is not None else None
        if b03 is None or b01 is None:
            return None, "", vals.missing, vals.notes
        if b01 == 0:
            return None, "B01 为 0，无法计算", [], vals.notes
        v = (b03 - (b07 or 0.0)) / b01
        minus = f" − {show('B07', b07)}" if b07 else ""
        return v, f"({show('B03', b03)}{minus}) ÷ {show('B01', b01)} = {pct(v)}", [], vals.notes
    num_code, den_code = ind.inputs
    num, den = vals.get(num_code), vals.get(den_code)
    if num is None or den is None:
        return None, "", vals.missing, vals.notes
    if den == 0:
        return None, f"{label(den_code)}为 0，无法计算", [], vals.notes
    v = num / den
    if ind.kind == PER_CAPITA:
        return v, f"{show(num_code, num)} ÷ {show(den_code, den)} = {v:.2f} 万元/人", [], vals.notes
    return v, f"{show(num_code, num)}/{show(den_code, den)} = {pct(v)}", [], vals.notes


def _exec_note(data: BasicData | None) -> str:
    if data is None:
        return ""
    b01, b04, b05 = data.value("B01"), data.value("B04"), data.value("B05")
    if b01 is None or b04 is None or b01 <= 0 or b04 <= b01 * (1 + RAISED_SHARE):
        return ""
    text = (f"年中调整预算：年初预算 {show('B01', b01)} 万元调整为 {show('B04', b04)} 万元"
            f"（调增 {show('B03', b04 - b01)} 万元，"
            f"预算调整幅度 {pct((b04 - b01) / b01)}）；执行率只在调整后的预算下成立")
    if b05 is not None:
        text += f"，按年初预算计算为 {pct(b05 / b01)}"
    return text + "。"


def measure_row(leaf: Leaf, ind: Indicator | None, data: BasicData | None, profile: Profile) -> MeasuredRow:
    self_score = leaf.score
    if self_score is None and leaf.weight is not None and leaf.deduction is not None:
        self_score = r2(leaf.weight - leaf.deduction)
    cell = leaf.cells.get("score") or leaf.cells.get("deduction") or leaf.cells.get("name")
    row = MeasuredRow(leaf.name, leaf.path, cell, ind.key if ind else None, leaf.weight, self_score)
    if ind is None:
        row.status = UNKNOWN
        row.process = "名称不在共性指标目录中（可在“评分规则”中按指标键补充别名后测算）"
        return row
    rule = profile.get(ind.key)
    if rule is not None:
        row.rule, row.source = rule.description, rule.source
    value, working, missing, notes = value_of(ind, data, rule)
    row.value = value
    if value is not None:
        row.value_text = f"{value:.2f} 万元/人" if ind.kind == PER_CAPITA else pct(value)
    if ind.key == "exec_rate":
        row.note = _exec_note(data)
    if notes:
        row.note = "；".join(notes) + ("；" + row.note if row.note else "")
    if rule is None or rule.family == "none":
        row.status = NO_RULE
        row.missing = missing
        row.process = working or (f"缺少数据：{'、'.join(_missing_label(c) for c in missing)}" if missing else "")
        return row
    if value is None:
        row.status = MISSING
        row.missing = missing
        row.process = working or f"缺少 {'、'.join(_missing_label(c) for c in missing)}"
        return row
    if row.weight is None:
        row.status = MISSING
        row.missing = ["分值"]
        row.process = f"{working}；没有分值，无法计分"
        return row
    outcome = apply(rule, value, row.weight)
    row.suggested = outcome.score
    row.process = f"{working}，{outcome.process}"
    if self_score is None:
        row.status = MISSING
        row.missing = ["自评得分"]
        return row
    assert outcome.score is not None
    row.difference = r2(self_score - outcome.score)
    if abs(row.difference) <= AGREE_TOLERANCE:
        row.status = AGREE
    else:
        row.status = HIGH if row.difference > 0 else LOW
    return row


def _missing_label(code: str) -> str:
    if code.endswith("（上年）"):
        return label(code[:-4]) + "（上年）"
    return label(code)


def measure(table: Table, data: BasicData | None, profile: Profile | None = None,
            profile_name: str = DEFAULT_PROFILE, self_total: float | None = None,
            grading: Grading = DEFAULT_GRADING) -> Measured:
    """The 测算对比 of a table: one row per leaf that names a catalogue indicator (or looks like one)."""
    profile = builtin_profile(profile_name) if profile is None else profile
    out = Measured(profile_name, data.sheet if data is not None else None)
    for leaf in table.leaves():
        ind = match(leaf.name)
        if ind is None and not looks_quantitative(leaf.name):
            continue
        out.rows.append(measure_row(leaf, ind, data, profile))
    if self_total is not None:
        out.self_total = self_total
        out.measured_total = r2(self_total - out.high_difference)
        out.self_grade = grading.grade(self_total)
        out.measured_grade = grading.grade(out.measured_total)
    return out


def measured_issues(m: Measured, sheet: str | None) -> Iterator[Issue]:
    """``self-score-high`` on the 得分 cell of each 自评偏高 row."""
    for row in m.high_rows:
        yield catalogue.issue(
            "self-score-high", cell=row.cell, path=row.path, sheet=sheet, expected=row.suggested,
            actual=row.self_score, where=f"三级指标“{row.name}”", score=fmt(row.self_score),
            suggested=fmt(row.suggested), value=f"测算值 {row.value_text}", rule=row.rule,
            difference=fmt(row.difference), process=row.process)
