"""A summary's tables as pandas DataFrames, for analysts (pandas is an optional extra: xladdin[pandas])."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xladdin.consolidation.model import STATUS_LABELS, Summary

if TYPE_CHECKING:
    from pandas import DataFrame


def dataframes(summary: Summary) -> dict[str, DataFrame]:
    """The summary's tables, named and laid out as the summary workbook's sheets: 汇总 (ranking, one
    row per unit, a column per level-1 indicator), 明细 (one row per leaf indicator of each unit),
    指标统计, 校验问题 and 文件清单 (every input file). Numbers stay numbers, blanks are None/NaN.

    Raises :class:`~xladdin.errors.ConfigError` when pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError:
        from xladdin.errors import ConfigError

        raise ConfigError("需要 pandas：pip install xladdin[pandas]") from None
    from xladdin.outputs.summary_book import (
        DETAIL_HEADER,
        ISSUES_HEADER,
        LEDGER_HEADER,
        SEVERITY_LABEL,
        STATS_HEADER,
        SUMMARY_FIXED,
        SUMMARY_TAIL,
        _local,
        _names,
        _stat_note,
        measured_cells,
        summary_tail,
    )

    s = summary
    ranking = []
    tail = summary_tail(s)  # with 自评偏高, Σ差异 when any unit sent 基础数据
    for n, e in enumerate(s.ranked, 1):
        scores = s.level1_scores(e)
        ranking.append([n, e.unit_shown, e.year_used, e.total_score, e.grade, e.rank,
                        *(scores.get(k) for k, _ in s.level1),
                        e.total_deduction, e.errors, e.warnings, *(measured_cells(e) if tail != SUMMARY_TAIL else ()),
                        STATUS_LABELS[e.status], e.display])
    detail = [[e.unit_shown, *_names(leaf.path), leaf.weight, leaf.deduction, leaf.score,
               leaf.score / leaf.weight if leaf.score is not None and leaf.weight else None,
               leaf.reason or None, e.display, leaf.cell]
              for e in s.ranked for leaf in e.leaves]
    stats = [[*_names(st.names), st.weight, st.units, st.mean_score, st.mean_rate, st.deducted_units, st.min_score,
              st.total_deduction, _stat_note(st)] for st in s.indicators]
    issues = [[e.display, e.unit_shown or e.unit, SEVERITY_LABEL.get(i.severity, i.severity), i.code, i.cell,
               " / ".join(i.path) if i.path else None, i.message] for e in s.entries for i in e.issues]
    ledger = [[n, e.display, STATUS_LABELS[e.status], e.unit_shown or e.unit, e.year_used if e.readable else e.year,
               e.total_score, e.grade, e.errors, e.warnings, e.message, _local(e.mtime), e.status]
              for n, e in enumerate(s.entries, 1)]
    summary_header = [*SUMMARY_FIXED, *(name for _, name in s.level1), *tail]
    return {
        "汇总": pd.DataFrame(ranking, columns=summary_header),
        "明细": pd.DataFrame(detail, columns=list(DETAIL_HEADER)),
        "指标统计": pd.DataFrame(stats, columns=list(STATS_HEADER)),
        "校验问题": pd.DataFrame(issues, columns=list(ISSUES_HEADER)),
        "文件清单": pd.DataFrame(ledger, columns=list(LEDGER_HEADER)),
    }


__all__ = ["dataframes"]
