"""The checks of a 项目支出绩效自评表, and what the engine computes from one (:class:`Figures`).

Every check yields catalogue issues with the cell to mark. Scores the rules would give (``rule_score``)
are computed here, with the table's profile (:mod:`xladdin.kinds.project.profiles`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from xladdin.core.catalogue import issue
from xladdin.core.grading import Grading
from xladdin.core.model import LEVEL_NAMES, Indicator, Issue, Table
from xladdin.core.numbers import TOLERANCE, fmt, same, squash
from xladdin.kinds.project.model import Measure, ProjectTable
from xladdin.kinds.project.profiles import Profile

STANDARD_TOTAL = 100.0
RATE_TOLERANCE = 0.005  # ±0.5 percentage point
RULE_TOLERANCE = 0.01  # scores are rounded to 2 decimals


@dataclass(slots=True)
class Figures:
    total_weight: float | None  # 预算执行 + every indicator's weight
    total_deduction: float | None
    total_score: float | None  # None while a scored row is blank
    grade: str | None
    indicator_weight: float | None
    indicator_score: float | None
    rate: float | None  # 全年执行数 / 全年预算数, a fraction
    budget_rule_score: float | None
    rule_total: float | None
    leaves: list[Measure] = field(default_factory=list)
    missing: list[tuple[Indicator | None, str, str | None]] = field(default_factory=list)  # (node, what, cell)


def _where(node: Indicator) -> str:
    return f"{LEVEL_NAMES.get(node.level, '')}指标“{node.name or f'第{node.row + 1}行的指标'}”"


def pct(x: float | None) -> str:
    return "（空）" if x is None else f"{fmt(round(x * 100, 2))}%"


def leaves_of(table: ProjectTable) -> list[Measure]:
    out: list[Measure] = []
    for root in table.roots:
        for node in root.walk():
            if not node.children and isinstance(node, Measure) and node.level > 1:
                if node.weight is not None or node.score is not None or node.target is not None \
                        or node.actual is not None:
                    out.append(node)
    return out


def scored(table: ProjectTable, leaf: Measure) -> bool:
    """A row that should carry a score: it has a weight (or the table has no 分值 column at all)."""
    if leaf.weight is not None:
        return True
    return not table.has_weight_column and (leaf.target is not None or leaf.score is not None)


def meets(leaf: Measure) -> bool | None:
    """Does the numeric 完成值 reach the 指标值, by the operator? None when it cannot be told."""
    a, t = leaf.actual_value, leaf.target_value
    if a is None or t is None:
        return None
    op = leaf.operator
    if op in ("≤", "<"):
        return a <= t + 1e-9 if op == "≤" else a < t
    if op == ">":
        return a > t
    if op == "=" and t == 0:
        return a <= 0
    return a >= t - 1e-9


def rule_score(leaf: Measure, profile: Profile) -> tuple[float | None, str]:
    """(the rule's score, the arithmetic shown to users) for a quantitative leaf."""
    w, a, t = leaf.weight, leaf.actual_value, leaf.target_value
    if w is None or a is None or t is None:
        return None, ""
    a = max(a, 0.0)
    op = leaf.operator
    if op in ("≤", "<"):
        if a <= t:
            return w, f"完成值 {fmt(a)} 未超过指标值 {fmt(t)}，得满分 {fmt(w)}"
        if profile.reverse == "ratio":
            s = round(w * t / a, 2)
            return s, f"反向指标：分值 {fmt(w)} × 指标值 {fmt(t)} ÷ 完成值 {fmt(a)} = {fmt(s)}"
        if t <= 0 or a >= 2 * t:
            return 0.0, f"反向指标：完成值 {fmt(a)} 达到指标值 {fmt(t)} 的两倍，得 0 分"
        s = round((1 - (a - t) / t) * w, 2)
        return s, f"反向指标：(1 − ({fmt(a)} − {fmt(t)}) ÷ {fmt(t)}) × {fmt(w)} = {fmt(s)}"
    if t == 0:
        if op == "=":
            s = w if a <= 0 else 0.0
            return s, f"指标值为 0：完成值 {fmt(a)} {'≤ 0 得满分' if a <= 0 else '> 0 得 0 分'}"
        return w, f"指标值为 0，完成值 {fmt(a)} 已达到，得满分 {fmt(w)}"
    if a >= t:
        return w, f"完成值 {fmt(a)} 已达到指标值 {fmt(t)}，得满分 {fmt(w)}"
    s = round(a / t * w, 2)
    return s, f"正向指标：完成值 {fmt(a)} ÷ 指标值 {fmt(t)} × 分值 {fmt(w)} = {fmt(s)}"


def band(leaf: Measure, profile: Profile) -> tuple[float, float] | None:
    w = leaf.weight
    if w is None or leaf.outcome is None:
        return None
    hi_edge, lo_edge = profile.bands
    if leaf.outcome == "达成":
        return (round(w * hi_edge, 2), w)
    if leaf.outcome == "部分达成":
        return (round(w * lo_edge, 2), round(w * hi_edge, 2))
    return (0.0, round(w * lo_edge, 2))


def budget_rate(table: ProjectTable) -> float | None:
    b = table.budget
    if b is None:
        return None
    full, done = b.amount("full_year"), b.amount("executed")
    if full is None or done is None or full <= 0:
        return None
    return done / full


def compute(table: Table, grading: Grading) -> Figures:
    assert isinstance(table, ProjectTable)
    t = table
    profile = t.profile
    leaves = leaves_of(t)
    missing: list[tuple[Indicator | None, str, str | None]] = []
    weights: list[float] = []
    weight_known = True
    score_sum = 0.0
    complete = True
    rule_sum = 0.0
    rule_complete = True
    for leaf in leaves:
        is_scored = scored(t, leaf)
        if leaf.weight is not None:
            weights.append(leaf.weight)
        elif is_scored:
            weight_known = False
        if leaf.score is not None:
            score_sum += leaf.score
        elif is_scored:
            complete = False
            missing.append((leaf, "得分", leaf.cells.get("score")))
        if is_scored and leaf.actual is None and leaf.target is not None and "actual" in t.columns:
            missing.append((leaf, "完成值", leaf.cells.get("actual")))
        # the rule's score
        if leaf.quantitative:
            s, _ = rule_score(leaf, profile)
            leaf.rule_score = s
        else:
            rb = band(leaf, profile)
            leaf.rule_band = rb
            if rb is not None and leaf.score is not None:
                leaf.rule_score = min(max(leaf.score, rb[0]), rb[1])
            elif rb is not None:
                leaf.rule_score = None
        if is_scored:
            if leaf.rule_score is None:
                rule_complete = False
            else:
                rule_sum += leaf.rule_score
    b = t.budget
    rate = budget_rate(t)
    budget_rule = None
    budget_weight = b.weight if b is not None else None
    budget_score = b.score if b is not None else None
    if b is not None and budget_weight is not None:
        r = rate if rate is not None else b.rate
        if r is not None:
            budget_rule = round(budget_weight * min(max(r, 0.0), 1.0), 2)
        if budget_score is None:
            complete = False
            missing.append((None, "得分", b.score_cell))
    indicator_weight = sum(weights) if weights and weight_known else None
    total_weight = None
    if indicator_weight is not None:
        total_weight = indicator_weight + (budget_weight or 0.0)
    indicator_score = score_sum
    total_score: float | None = score_sum + (budget_score or 0.0)
    if not complete or (not leaves and budget_score is None):
        total_score = None
    rule_total = None
    if rule_complete and (budget_rule is not None or budget_weight is None) and leaves:
        rule_total = round(rule_sum + (budget_rule or 0.0), 2)
    deduction = (total_weight - total_score) if total_weight is not None and total_score is not None else None
    grade = grading.grade(total_score) if total_score is not None else None
    return Figures(total_weight, deduction, total_score, grade,
                   indicator_weight, indicator_score, rate, budget_rule, rule_total, leaves, missing)


Check = Callable[[Table, Figures, Grading], Iterator[Issue]]


def _pt(table: Table) -> ProjectTable:
    assert isinstance(table, ProjectTable)
    return table


def check_budget(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    b = t.budget
    if b is None or b.total is None:
        return
    sheet = t.sheet
    base = t.profile.rate_base
    full, done = b.amount("full_year"), b.amount("executed")
    rate = fig.rate
    if rate is not None and b.rate is not None and abs(rate - b.rate) > RATE_TOLERANCE + 1e-9:
        yield issue("budget-rate-mismatch", b.rate_cell, ("预算执行",), sheet, round(rate, 4), b.rate,
                    stated=pct(b.rate), executed=fmt(done), full_year=fmt(full), base=base, computed=pct(rate))
    if b.weight is not None and b.score is not None:
        r = rate if rate is not None else b.rate
        if r is not None:
            computed = b.weight * min(max(r, 0.0), 1.0)
            step = t.profile.budget_score_step
            tol = (step if step > 0.01 else TOLERANCE) + 1e-9
            if abs(b.score - round(computed, 2)) > tol:
                note = "（执行率超过 100% 按 100% 计）" if r > 1 else ""
                if step >= 1:
                    note += f"（计分规则允许取整到 {fmt(step)} 分）"
                yield issue("budget-score-mismatch", b.score_cell, ("预算执行",), sheet, round(computed, 2), b.score,
                            score=fmt(b.score), weight=fmt(b.weight), rate=pct(r), computed=fmt(round(computed, 2)),
                            note=note)
    if b.parts:
        for role, what in (("initial", "年初预算数"), ("full_year", full_label(t)), ("executed", "全年执行数")):
            if role not in b.columns:
                continue
            parts = [(p.values.get(role)) for p in b.parts]
            vals = [v for v in parts if v is not None]
            if not vals:
                continue
            total = b.total.values.get(role)
            s = sum(vals)
            if total is None and s == 0:
                continue
            if total is None or abs(total - s) > TOLERANCE:
                yield issue("budget-parts-sum", b.total.cells.get(role), ("预算执行",), sheet, round(s, 6), total,
                            form="" if len(vals) > 1 else "single", what=what, total=fmt(total),
                            parts=" + ".join(fmt(v) for v in vals), sum=fmt(round(s, 6)))
    if full is not None and done is not None and full > 0 and done > full + TOLERANCE:
        yield issue("budget-overspent", b.total.cells.get("executed"), ("预算执行",), sheet, full, done,
                    executed=fmt(done), base=full_label(t), full_year=fmt(full), rate=pct(done / full))


def full_label(t: ProjectTable) -> str:
    return t.profile.rate_base if t.profile.rate_base != "预算数" else "预算数"


def check_indicators(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    sheet = t.sheet
    profile = t.profile
    for leaf in fig.leaves:
        w, s = leaf.weight, leaf.score
        where = _where(leaf)
        path = leaf.path
        scell = leaf.cells.get("score")
        if s is not None and w is not None and (s < -TOLERANCE or s > w + TOLERANCE):
            why = "不能小于 0" if s < 0 else f"超过了该指标的分值 {fmt(w)}"
            yield issue("score-range", scell, path, sheet, None, s, where=where, score=fmt(s), why=why)
            continue
        # quantitative 完成值 that is not a number
        if leaf.quantitative and leaf.actual is not None and leaf.actual_value is None:
            form = "copied" if leaf.actual_copied else ""
            yield issue("actual-not-numeric", leaf.cells.get("actual"), path, sheet, None, leaf.actual, form=form,
                        where=where, target=leaf.target, completed=leaf.actual)
        deducted = s is not None and w is not None and s < w - TOLERANCE
        if deducted and leaf.quantitative and meets(leaf):
            yield issue("met-but-deducted", scell, path, sheet, w, s, where=where, completed=leaf.actual,
                        target=leaf.target, score=fmt(s), weight=fmt(w))
        elif s is not None and w is not None:
            if leaf.quantitative and leaf.rule_score is not None and abs(leaf.rule_score - s) > RULE_TOLERANCE + 1e-9:
                _, arithmetic = rule_score(leaf, profile)
                yield issue("score-rule", scell, path, sheet, leaf.rule_score, s, where=where, score=fmt(s),
                            rule=profile.label, computed=fmt(leaf.rule_score), arithmetic=arithmetic)
            elif not leaf.quantitative and leaf.rule_band is not None:
                lo, hi = leaf.rule_band
                upper_ok = s <= hi + 1e-9 if leaf.outcome == "达成" else s < hi - 1e-9
                if s < lo - 1e-9 or not upper_ok:
                    yield issue("score-rule", scell, path, sheet, [lo, hi], s, form="band", where=where,
                                completed=leaf.actual, outcome=leaf.outcome, rule=profile.label, low=fmt(lo),
                                high=fmt(hi) + ("" if leaf.outcome == "达成" else "（不含）"), score=fmt(s))
        if deducted and t.has_reason_column and not leaf.reason:
            yield issue("deviation-reason-missing", leaf.cells.get("reason") or scell, path, sheet, None, None,
                        where=where, score=fmt(s), weight=fmt(w))
        a, tv = leaf.actual_value, leaf.target_value
        if (a is not None and tv is not None and tv > 0 and leaf.operator not in ("≤", "<")
                and a >= profile.over_target * tv - 1e-9 and not leaf.reason):
            yield issue("over-target", leaf.cells.get("actual"), path, sheet, None, a, where=where,
                        completed=leaf.actual, target=leaf.target, ratio=pct(a / tv), limit=pct(profile.over_target))


def check_missing(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    bad = {i.cell for i in t.read_issues if i.code == "bad-number"}
    for node, what, cell in fig.missing:
        if cell in bad:
            continue
        where = _where(node) if node is not None else "预算执行"
        path = node.path if node is not None else ("预算执行",)
        yield issue("missing-value", cell, path, t.sheet, None, None, form="project", where=where, what=what)


def check_placeholders(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    groups: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for row, text, path in t.placeholders:
        groups.setdefault(path, []).append((row, text))
    for path, rows in groups.items():
        where = f"{LEVEL_NAMES.get(len(path), '')}指标“{path[-1]}”" if path and path[-1] else "指标表"
        texts = "、".join(dict.fromkeys(f"“{x}”" for _, x in rows))
        yield issue("placeholder-row", a1_name(t, rows[0][0]), path, t.sheet, None, None, where=where,
                    count=len(rows), texts=texts)
    for node in t.empty_groups:
        yield issue("placeholder-row", node.cells.get("name"), node.path, t.sheet, None, None, form="empty-group",
                    where=_where(node))


def a1_name(t: ProjectTable, row: int) -> str | None:
    from xladdin.core.model import a1

    c = t.columns.get("name:3", t.columns.get("name:2"))
    return a1(row, c) if c is not None else None


def check_weights(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    sheet = t.sheet
    b = t.budget
    # level-1 weight written in its name vs its children
    for root in t.roots:
        if root.weight is None:
            continue
        ws = [leaf.weight for leaf in root.leaves() if isinstance(leaf, Measure) and leaf.weight is not None]
        if ws and not same(sum(ws), root.weight):
            yield issue("weight-sum", root.cells.get("weight"), root.path, sheet, sum(ws), root.weight,
                        where=_where(root), weight=fmt(root.weight), parts=" + ".join(fmt(w) for w in ws),
                        total=fmt(sum(ws)))
    # 预算执行 + indicators = 100
    if fig.total_weight is not None and not same(fig.total_weight, STANDARD_TOTAL):
        names = []
        if b is not None and b.weight is not None:
            names.append(f"预算执行 {fmt(b.weight)}")
        for root in t.roots:
            ws = [leaf.weight for leaf in root.leaves() if isinstance(leaf, Measure) and leaf.weight is not None]
            if ws:
                names.append(f"{root.name or '（未命名）'} {fmt(sum(ws))}")
        cell = t.stated_weight.cell if t.stated_weight is not None else (b.weight_cell if b is not None else None)
        yield issue("total-weight", cell, (), sheet, STANDARD_TOTAL, fig.total_weight, total=fmt(fig.total_weight),
                    names=" + ".join(names), source="按规定应为 100 分",
                    difference=fmt(abs(round(fig.total_weight - STANDARD_TOTAL, 6))))
    # level-1 split of the profile
    split = t.profile.split
    if split:
        actual: list[str] = []
        expected: list[str] = []
        first_cell = None
        bad = False
        for word, want in split.items():
            roots = [r for r in t.roots if word in squash(r.name)]
            if not roots:
                continue
            ws = [leaf.weight for r in roots for leaf in r.leaves()
                  if isinstance(leaf, Measure) and leaf.weight is not None]
            have = roots[0].weight if roots[0].weight is not None else (sum(ws) if ws else None)
            if have is None:
                continue
            actual.append(f"{word} {fmt(have)}")
            expected.append(f"{word} {fmt(want)}")
            if not same(have, want):
                bad = True
                if first_cell is None:
                    first_cell = roots[0].cells.get("weight") or roots[0].cells.get("name")
        if bad:
            yield issue("weight-split", first_cell, (), sheet, "、".join(expected), "、".join(actual),
                        have="、".join(actual), rule=t.profile.label, want="、".join(expected))
    # one indicator carrying more than half of the indicators' points
    ind_total = fig.indicator_weight
    if ind_total and ind_total > 0:
        for leaf in fig.leaves:
            if leaf.weight is not None and leaf.weight > ind_total / 2 + TOLERANCE and len(fig.leaves) >= 1:
                yield issue("weight-split", leaf.cells.get("weight"), leaf.path, sheet, None, leaf.weight,
                            form="one-indicator", where=_where(leaf), weight=fmt(leaf.weight), total=fmt(ind_total),
                            share=pct(leaf.weight / ind_total))


def check_totals(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    sheet = t.sheet
    if t.stated_weight is not None and fig.total_weight is not None and not same(t.stated_weight.value,
                                                                                  fig.total_weight):
        yield issue("total-mismatch", t.stated_weight.cell, (), sheet, fig.total_weight, t.stated_weight.value,
                    label="总分", what="分值合计", stated=fmt(t.stated_weight.value), computed=fmt(fig.total_weight))
    st = t.stated_total
    if st is not None and fig.total_score is not None and isinstance(st.value, (int, float)) \
            and not same(float(st.value), fig.total_score):
        yield issue("total-mismatch", st.cell, (), sheet, fig.total_score, st.value, label="总分", what="得分",
                    stated=fmt(float(st.value)), computed=fmt(round(fig.total_score, 4)))
    sg = t.stated_grade
    if sg is not None and fig.grade is not None:
        stated = grading.normalize(str(sg.value))
        if stated is not None and stated != fig.grade:
            yield issue("grade-mismatch", sg.cell, (), sheet, fig.grade, sg.value, stated=sg.value,
                        shown=sg.cell, total=fmt(fig.total_score), grade=fig.grade)


def check_duplicates(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    t = _pt(table)
    for root in t.roots:
        for node in root.walk():
            seen: dict[str, Indicator] = {}
            for ch in node.children:
                k = squash(ch.name)
                if not k:
                    continue
                if k in seen and ch.children == [] and (isinstance(ch, Measure) and ch.weight is not None):
                    other = seen[k]
                    yield issue("duplicate-indicator", ch.cells.get("name"), ch.path, t.sheet, None, None,
                                where=_where(ch), other=other.cells.get("name") or f"第 {other.row + 1} 行")
                else:
                    seen.setdefault(k, ch)


CHECKS: tuple[Check, ...] = (check_budget, check_indicators, check_missing, check_placeholders, check_weights,
                             check_totals, check_duplicates)

__all__ = ["CHECKS", "Figures", "compute", "rule_score", "band", "meets"]
