"""The consolidation's data: what a reader sends back per file (:class:`Entry`, :class:`LeafRow`), what
the pure step returns (:class:`Summary`, :class:`IndicatorStat`), and the constants the summary
writer shares with it. Imports nothing of the consolidation or of the outputs, so both may use it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xladdin.core.catalogue import CONSOLIDATION_CODES  # re-exported: the codes consolidation adds
from xladdin.core.defaults import SUMMARY_MARKER  # re-exported: the summary writer's import
from xladdin.core.grading import Grading
from xladdin.core.model import ERROR, WARNING, Issue, fast_pickle
from xladdin.core.numbers import squash

# Statuses, in ledger order of severity; the labels are what the sheets show.
STATUS_LABELS = {
    "ok": "通过",
    "errors": "有错误",
    "unreadable": "无法读取",
    "not-scoring-table": "不是评分表",
    "duplicate": "重复报送（未计入）",
}
STATUSES = tuple(STATUS_LABELS)

# The summary workbook's sheets, in order.
SUMMARY_SHEETS = ("汇总", "明细", "扣分明细", "指标统计", "等级分布", "校验问题", "文件清单")

# Written after the others when project tables were consolidated (项目支出绩效自评表).
PROJECT_SHEETS = ("项目", "项目单位汇总", "项目指标问题")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names compared across departments: no blanks, full-width folded, quotes dropped."""
    return re.sub(r"[“”\"'‘’「」『』]", "", squash(name))


@fast_pickle
@dataclass(slots=True)
class LeafRow:
    path: tuple[str, ...]
    weight: float | None
    deduction: float | None
    score: float | None
    reason: str
    cell: str  # the 得分 cell (or the first value cell the row has)
    dcell: str  # the 扣分 cell (or the same as ``cell``)


@fast_pickle
@dataclass(slots=True)
class ProjectRow:
    """What the 项目 sheet shows of a 项目支出绩效自评表 (besides the unit, total score and grade)."""

    project: str
    department: str | None
    full_year: float | None
    executed: float | None
    rate: float | None  # a fraction
    rule_total: float | None  # the score the rules give (预算执行 + every indicator)
    profile: str


@fast_pickle
@dataclass(slots=True)
class Entry:
    """One input workbook, as read and checked: everything the summary needs, nothing more."""

    index: int
    file: str  # the path as found
    display: str
    status: str = "unreadable"
    message: str = ""
    mtime: float | None = None
    size: int | None = None
    saved: str | None = None  # the save time recorded inside the workbook (docProps/core.xml)
    sheet: str | None = None
    unit: str | None = None  # as read from the table
    year: int | None = None
    total_weight: float | None = None
    total_deduction: float | None = None
    total_score: float | None = None
    grade: str | None = None
    issues: list[Issue] = field(default_factory=list)
    leaves: list[LeafRow] = field(default_factory=list)
    roots: list[tuple[str, float | None, float]] = field(default_factory=list)  # (name, weight, score)
    measured: Any = None  # the 测算对比 (kinds.basic_data.Measured) when the workbook had a 基础数据 sheet
    kind: str = "department"  # the kind of table (xladdin.kinds) read from the file
    project: ProjectRow | None = None  # a 项目支出绩效自评表's own figures
    # set while consolidating
    unit_shown: str = ""
    year_used: int | None = None
    twin: str | None = None
    rank: int | None = None

    @property
    def readable(self) -> bool:
        return self.status in ("ok", "errors", "duplicate")

    @property
    def included(self) -> bool:
        return self.status in ("ok", "errors")

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.display,
            "path": self.file,
            "status": self.status,
            "unit": self.unit_shown or self.unit,
            "year": self.year_used if self.readable else self.year,
            "total_score": self.total_score,
            "grade": self.grade,
            "rank": self.rank,
            "errors": self.errors,
            "warnings": self.warnings,
            "message": self.message,
            **({"kind": "project", "project": self.project.project, "rule_total": self.project.rule_total}
               if self.project is not None else {}),
            **({"self_score_high": len(self.measured.high_rows), "self_score_high_difference":
                self.measured.high_difference, "measured_total": self.measured.measured_total}
               if self.measured is not None else {}),
        }


@dataclass(slots=True)
class IndicatorStat:
    names: tuple[str, ...]
    weight: float | None
    units: int
    mean_score: float | None
    mean_rate: float | None
    deducted_units: int
    min_score: float | None
    total_deduction: float
    # what the averages are over (not compared: the figures above are the statistics)
    scored: int = field(default=0, compare=False)  # units with a score: 平均得分, 最低得分
    rated: int = field(default=0, compare=False)  # units with a score and a weight: 平均得分率
    other_weights: tuple[float, ...] = field(default=(), compare=False)  # weights differing from ``weight``


@dataclass(slots=True)
class Summary:
    entries: list[Entry]  # ledger order: every input workbook
    ranked: list[Entry]  # included entries, best first
    year: int | None
    grading: Grading
    level1: list[tuple[str, str]]  # (key, display name) of the 汇总 columns
    majority_level1: tuple[str, ...]
    indicators: list[IndicatorStat]
    grade_counts: list[tuple[str, int]]
    score_bins: list[tuple[str, int]]
    ignored: list[tuple[str, str]] = field(default_factory=list)
    output: str | None = None
    expected: list[str] | None = None  # the expected-units list (--units), if one was given
    missing_units: list[str] = field(default_factory=list)  # listed units with no file (未报送)
    projects: list[Entry] = field(default_factory=list)  # 项目支出绩效自评表 included: unit, then project

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(e.status for e in self.entries)
        return {s: c.get(s, 0) for s in STATUSES}

    def level1_scores(self, e: Entry) -> dict[str, float]:
        scores: dict[str, float] = {}
        for name, _, score in e.roots:  # a level-1 name written twice adds up (duplicate-indicator)
            k = name_key(name)
            scores[k] = scores.get(k, 0.0) + score
        return scores

    def to_json(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "year": self.year,
            "counts": self.counts,
            "grades": dict(self.grade_counts),
            "files": [e.to_json() for e in self.entries],
            "ignored": [{"file": f, "reason": r} for f, r in self.ignored],
            **({"expected_units": len(self.expected), "not_submitted": list(self.missing_units)}
               if self.expected is not None else {}),
        }


__all__ = ["STATUS_LABELS", "STATUSES", "CONSOLIDATION_CODES", "SUMMARY_SHEETS", "SUMMARY_MARKER", "name_key",
           "LeafRow", "Entry", "IndicatorStat", "Summary", "ProjectRow", "PROJECT_SHEETS"]
