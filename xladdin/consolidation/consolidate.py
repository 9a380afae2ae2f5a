"""Consolidating (pure): the entries the readers returned -> a :class:`Summary`.

Statuses (ok / errors / unreadable / not-scoring-table / duplicate), resubmissions, framework
differences, ranking and statistics. Touches no file: what it needs from a file (modification time,
the save time recorded inside the workbook) the reader put in its :class:`Entry`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import fsum
from pathlib import Path
from typing import Any

from xladdin.consolidation.model import STATUS_LABELS, Entry, IndicatorStat, Summary, name_key
from xladdin.core.catalogue import issue
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import ERROR
from xladdin.core.numbers import TOLERANCE

# Two files of the same unit whose modification times are this close count as "same time"
# (a bulk copy, a git checkout, FAT's 2-second clock); the time saved inside the workbook decides.
SAME_TIME_SECONDS = 2.0

_key = name_key  # the name tests/test_consolidate_stats.py uses


def _newer(a: Entry, b: Entry) -> tuple[bool, str]:
    """Is ``a`` the later submission than ``b``? And on what basis (for the message)."""
    ma, mb = a.mtime or 0.0, b.mtime or 0.0
    if abs(ma - mb) > SAME_TIME_SECONDS:
        return ma > mb, "文件修改时间"
    sa, sb = a.saved, b.saved
    if sa and sb and sa != sb:
        return sa > sb, "工作簿内记录的保存时间（两个文件的修改时间相同）"
    return a.index > b.index, "文件名顺序（两个文件的修改时间相同）"


# 汇总 has a column per level-1 indicator (the majority's first): a real framework has fewer than ten; a
# set of tables naming thousands (past Excel's 16,384 columns) shows the first this many, and each
# table whose level-1 indicators differ says so (framework-differs).
MAX_LEVEL1_COLUMNS = 200


def consolidate(entries: list[Entry], grading: Grading = DEFAULT_GRADING, year: int | None = None,
                ignored: Sequence[tuple[str, str]] = (), expected: Sequence[str] | None = None) -> Summary:
    """Statuses, resubmissions, framework differences, ranking and statistics.

    ``expected``: the units that should have submitted (``--units``): a table whose unit is not on it
    gets ``unit-not-expected``; listed units with no file become the summary's ``missing_units``.

    Pure: works on the entries the readers returned (it sets their consolidation fields and adds
    consolidation issues to them) and opens no file."""
    readable = [e for e in entries if e.status == "ok"]
    # the summary's year: --year, else the year most tables state (ties: the later year)
    if year is None:
        years = Counter(e.year for e in readable if e.year)
        if years:
            year = max(years, key=lambda y: (years[y], y))
    for e in readable:
        e.unit_shown = e.unit or Path(e.file).stem
        if not e.unit:
            e.issues.append(issue("unit-missing", file=Path(e.file).name, shown=e.unit_shown))
        e.year_used = e.year or year
        if not e.year and year:
            e.issues.append(issue("year-missing", file=Path(e.file).name, year=year))
        elif e.year and year and e.year != year:
            e.issues.append(issue("year-differs", file=Path(e.file).name, table_year=e.year, year=year))
    listed = _expected_units(entries, readable, expected)

    _mark_duplicates(readable)
    included = [e for e in readable if e.status == "ok"]
    # 项目支出绩效自评表 go to the 项目 sheets; the department sheets are the department tables'
    projects = [e for e in included if e.kind == "project"]
    everything, included = included, [e for e in included if e.kind != "project"]

    # framework: the level-1 indicators most units use
    sets = [frozenset(name_key(n) for n, _, _ in e.roots) for e in included]
    majority: frozenset[str] = frozenset()
    if sets:
        majority = Counter(sets).most_common(1)[0][0]
    names: dict[str, str] = {}
    level1_order: list[str] = []
    first_majority = next((e for e, s in zip(included, sets) if s == majority), None)
    for e in ([first_majority] if first_majority else []) + included:
        for n, _, _ in e.roots:
            k = name_key(n)
            if k not in names:
                names[k] = n
                level1_order.append(k)
    n_majority = sum(1 for s in sets if s == majority)
    for e, s in zip(included, sets):
        if s != majority:
            missing = [names[k] for k in level1_order if k in majority and k not in s]
            extra = [names[k] for k in level1_order if k in s and k not in majority]
            parts = []
            if missing:
                parts.append("缺少" + "、".join(f"“{m}”" for m in missing))
            if extra:
                parts.append("多出" + "、".join(f"“{x}”" for x in extra))
            e.issues.append(issue("framework-differs", unit=e.unit_shown, majority=n_majority,
                                  differences="，".join(parts)))

    for e in everything:
        e.status = "errors" if e.errors else "ok"
        e.message = _ok_message(e)
    for e in entries:
        if not e.message:
            e.message = f"文件“{Path(e.file).name}”无法读取。"

    ranked = sorted(included, key=lambda e: (-round(e.total_score or 0.0, 6), e.unit_shown, e.display))
    prev: float | None = None
    rank = 0
    for pos, e in enumerate(ranked, 1):
        score = round(e.total_score or 0.0, 6)
        if prev is None or abs(score - prev) > TOLERANCE:
            rank = pos
        e.rank = rank
        prev = score

    return Summary(
        entries=entries, ranked=ranked, year=year, grading=grading,
        level1=[(k, names[k]) for k in level1_order[:MAX_LEVEL1_COLUMNS]],
        majority_level1=tuple(names[k] for k in level1_order if k in majority),
        indicators=indicator_stats(ranked),
        grade_counts=_grade_counts(ranked, grading),
        score_bins=_score_bins(ranked),
        ignored=list(ignored),
        projects=sorted(projects, key=lambda e: (e.unit_shown, e.project.project if e.project else "", e.display)),
        expected=list(expected) if expected is not None else None,
        missing_units=[u for u in expected or () if u not in listed],
    )


def _expected_units(entries: list[Entry], readable: list[Entry], expected: Sequence[str] | None) -> set[str]:
    """The listed units that sent a file (readable or not); flags tables of units not on the list."""
    if expected is None:
        return set()
    from xladdin.consolidation.units import Expected

    units = Expected(expected)
    sent: set[str] = set()
    for e in readable:
        listed = units.match(e.unit_shown)
        if listed is None and not e.unit:  # no unit in the table: perhaps its file name names one
            listed = units.in_file_name(e.display)
        if listed is None:
            e.issues.append(issue("unit-not-expected", file=Path(e.file).name, unit=e.unit_shown))
        else:
            sent.add(listed)
    for e in entries:
        if e.status in ("unreadable", "not-scoring-table"):
            listed = units.match(e.unit) or units.in_file_name(e.display)
            if listed is not None:
                sent.add(listed)
    return sent


def _ok_message(e: Entry) -> str:
    errors, warnings = e.errors, e.warnings
    note = f"（更正报送，取代了“{e.twin}”）" if e.twin else ""
    if errors:
        first = next(i for i in e.issues if i.severity == ERROR)
        where = f"{first.cell} " if first.cell and not first.message.startswith(first.cell) else ""
        return (f"有 {errors} 个错误、{warnings} 个警告，已计入汇总并标为“有错误”，请退回核对{note}。"
                f"第一个错误：{where}{first.message}")
    if warnings:
        return f"校验通过，有 {warnings} 个警告{note}。"
    return f"校验通过{note}。"


def _mark_duplicates(readable: list[Entry]) -> None:
    groups: dict[tuple[str, int | None, str], list[Entry]] = {}
    for e in readable:
        if e.unit:  # a project table: per unit + project + year
            groups.setdefault((name_key(e.unit), e.year_used, name_key(e.project.project) if e.project else ""),
                              []).append(e)
    for group in groups.values():
        if len(group) < 2:
            continue
        winner, basis = group[0], ""
        for other in group[1:]:
            newer, why = _newer(other, winner)
            if newer:
                winner = other
        losers = [e for e in group if e is not winner]
        for e in losers:
            _, basis = _newer(winner, e)
            year = f"{e.year_used} 年度" if e.year_used else "同一年度"
            e.status = "duplicate"
            e.twin = winner.display
            dup = issue("duplicate", winner=winner.display, unit=e.unit, year=year, basis=basis)
            e.message = dup.message
            e.issues.append(dup)
        winner.twin = "”“".join(e.display for e in losers)


def indicator_stats(ranked: list[Entry]) -> list[IndicatorStat]:
    """Per indicator (matched by normalised path): most-deducted first — the county's weak points.

    Plain Python: a few dozen indicators over the units (41 × 2,000 rows take ~50 ms); this used to
    be a pandas groupby, whose import alone (~0.6–0.8 s of CPU) was a quarter of a 400-file run.
    tests/test_consolidate_stats.py keeps the pandas version as the specification.
    """
    order: dict[tuple[str, ...], int] = {}
    shown: list[tuple[str, ...]] = []
    index_of: dict[tuple[str, ...], int] = {}  # path as written -> group (the same paths recur)
    groups: list[tuple[list[float | None], list[float], list[float], list[float]]] = []
    for e in ranked:
        for leaf in e.leaves:
            k = index_of.get(leaf.path)
            if k is None:
                key = tuple(name_key(n) for n in leaf.path)
                k = order.get(key)
                if k is None:
                    k = order[key] = len(shown)
                    shown.append(leaf.path)
                    groups.append(([], [], [], []))
                index_of[leaf.path] = k
            weights, scores, rates, deductions = groups[k]
            weights.append(leaf.weight)
            if leaf.score is not None:
                scores.append(leaf.score)
                if leaf.weight:
                    rates.append(leaf.score / leaf.weight)
            deductions.append(leaf.deduction or 0.0)
    out = []
    for k, (weights, scores, rates, deductions) in enumerate(groups):
        mean_rate = fsum(rates) / len(rates) if rates else None
        deducted = sum(1 for d in deductions if d > TOLERANCE)
        out.append((
            -deducted, 2.0 if mean_rate is None else mean_rate, k,
            IndicatorStat(
                names=shown[k], weight=_mode(weights), units=len(weights),
                mean_score=_f(fsum(scores) / len(scores)) if scores else None, mean_rate=_f(mean_rate),
                deducted_units=deducted, min_score=_f(min(scores)) if scores else None,
                total_deduction=_f(fsum(deductions)) or 0.0, scored=len(scores), rated=len(rates),
                other_weights=_other_weights(weights))))
    out.sort(key=lambda t: t[:3])
    return [t[3] for t in out]


def _other_weights(weights: list[float | None]) -> tuple[float, ...]:
    """The weights units gave that differ from the usual one (each once, ascending)."""
    mode = _mode(weights)
    if mode is None:
        return ()
    return tuple(sorted({w for w in weights if w is not None and w == w and abs(w - mode) > TOLERANCE}))


def _mode(values: list[float | None]) -> float | None:
    """The most common value (the smallest of equally common ones); None when all are blank."""
    counts = Counter(v for v in values if v is not None and v == v)
    if not counts:
        return None
    top = max(counts.values())
    return _f(min(v for v, n in counts.items() if n == top))


def _f(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if v != v else round(v, 10)


def _grade_counts(ranked: list[Entry], grading: Grading) -> list[tuple[str, int]]:
    c = Counter(e.grade for e in ranked)
    return [(label, c.get(label, 0)) for label in grading.labels]


SCORE_BINS: tuple[tuple[str, float, float], ...] = (
    ("60 分以下", float("-inf"), 60), ("60–70", 60, 70), ("70–80", 70, 80), ("80–85", 80, 85),
    ("85–90", 85, 90), ("90–95", 90, 95), ("95–100", 95, float("inf")),
)


def _score_bins(ranked: list[Entry]) -> list[tuple[str, int]]:
    out = []
    for label, lo, hi in SCORE_BINS:
        out.append((label, sum(1 for e in ranked if e.total_score is not None
                               and lo - 1e-9 <= e.total_score < hi - 1e-9)))
    return out


__all__ = ["consolidate", "indicator_stats", "SCORE_BINS", "SAME_TIME_SECONDS", "STATUS_LABELS"]
