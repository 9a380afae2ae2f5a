"""指标统计 without pandas: the plain-Python aggregation gives what the pandas groupby gave (issue 5
moved it off pandas, whose import was a quarter of a 400-file run). The pandas version is kept here
as the specification; the one change: 扣分合计 is rounded to 10 decimals like the other figures (the
two ways of adding floats differed in the last bit, e.g. 8.670666666666667 / 8.670666666666666)."""

from __future__ import annotations

import random

import pytest

from xladdin.consolidation.consolidate import _f, _key, indicator_stats
from xladdin.consolidation.model import Entry, IndicatorStat, LeafRow
from xladdin.core.numbers import TOLERANCE

pd = pytest.importorskip("pandas")


def reference(ranked: list[Entry]) -> list[IndicatorStat]:
    rows = []
    order: dict[tuple[str, ...], int] = {}
    shown: dict[tuple[str, ...], tuple[str, ...]] = {}
    for e in ranked:
        for leaf in e.leaves:
            key = tuple(_key(n) for n in leaf.path)
            if key not in order:
                order[key] = len(order)
                shown[key] = leaf.path
            rate = (leaf.score / leaf.weight) if leaf.score is not None and leaf.weight else None
            rows.append((order[key], leaf.weight, leaf.score, rate, leaf.deduction or 0.0))
    if not rows:
        return []
    df = pd.DataFrame(rows, columns=["k", "weight", "score", "rate", "deduction"])
    df["deducted"] = df["deduction"] > TOLERANCE
    g = df.groupby("k", sort=True)
    agg = pd.DataFrame({
        "units": g.size(),
        "mean_score": g["score"].mean(),
        "mean_rate": g["rate"].mean(),
        "deducted_units": g["deducted"].sum(),
        "min_score": g["score"].min(),
        "total_deduction": g["deduction"].sum(),
        "weight": g["weight"].agg(lambda s: s.mode().iloc[0] if s.notna().any() else None),
    })
    agg["rate_sort"] = agg["mean_rate"].fillna(2.0)
    agg = agg.reset_index().sort_values(["deducted_units", "rate_sort", "k"], ascending=[False, True, True],
                                        kind="mergesort")
    keys = list(order)
    return [IndicatorStat(
        names=shown[keys[int(r.k)]], weight=_f(r.weight), units=int(r.units), mean_score=_f(r.mean_score),
        mean_rate=_f(r.mean_rate), deducted_units=int(r.deducted_units), min_score=_f(r.min_score),
        total_deduction=_f(float(r.total_deduction))) for r in agg.itertuples(index=False)]


def _entries(rng: random.Random, n: int) -> list[Entry]:
    names = [("产出", "产出数量", "实际完成率"), ("产出", "产出质量", "质量达标率"), ("效益", "社会效益", "群众满意度"),
             ("管理", "预算执行", "预算执行率"), ("管理", "资产管理", "资产管理制度健全性"), ("决策", "绩效目标", "绩效目标合理性")]
    out = []
    for i in range(n):
        e = Entry(i, f"f{i}.xlsx", f"f{i}.xlsx", status="ok")
        for path in rng.sample(names, rng.randint(0, len(names))):
            if rng.random() < 0.2:  # the same indicator written differently: blanks, full-width, quotes
                path = (path[0], " " + path[1], f"“{path[2]}”")
            w = rng.choice([None, 0.0, 2.0, 3.0, 3.0, 5.0, 2.5])
            d = rng.choice([None, None, 0.0, 0.5, 1.0, 1 / 3, 0.004, 2.0])
            s = rng.choice([None, (w or 0.0) - (d or 0.0), 0.1 + 0.2, 7.0])
            e.leaves.append(LeafRow(path, w, d, s, "", "F5", "E5"))
        out.append(e)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_indicator_stats_match_the_pandas_groupby(seed):
    ranked = _entries(random.Random(seed), random.Random(seed).randint(0, 60))
    assert indicator_stats(ranked) == reference(ranked)


def test_on_the_sample_submissions():
    from pathlib import Path

    from xladdin.consolidation.consolidate import consolidate
    from xladdin.consolidation.discover import discover
    from xladdin.consolidation.workers import read_all
    from xladdin.samples import SAMPLE_DIR_NAME

    found = discover([Path(__file__).resolve().parents[1] / "workbooks" / SAMPLE_DIR_NAME])
    summary = consolidate(read_all(found.files, found.display, workers=1, timeout=None))
    assert summary.indicators == reference(summary.ranked) and len(summary.indicators) > 40

