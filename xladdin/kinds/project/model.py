"""The data of a 项目支出绩效自评表: a :class:`ProjectTable` (a :class:`Table` with the header facts and
the budget block) whose leaf rows are :class:`Measure` (an :class:`Indicator` with 指标值 / 完成值)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xladdin.core.model import Indicator, StatedValue, Table
from xladdin.kinds.project.profiles import PROFILES, Profile


class Measure(Indicator):
    """A scored indicator row: 指标值 (target), 完成值 (actual), the reason column and the rule's score."""

    __slots__ = ("target", "operator", "target_value", "unit", "actual", "actual_value", "actual_copied",
                 "reason", "rule_score", "outcome", "rule_band")

    def __init__(self, level: int, name: str, row: int, parent: Indicator | None = None) -> None:
        Indicator.__init__(self, level, name, row, parent=parent)
        self.target: str | None = None  # as written ("≥50个")
        self.operator: str | None = None  # ≥ > = ≤ < (normalised), None when not written
        self.target_value: float | None = None  # None: qualitative
        self.unit: str = ""
        self.actual: str | None = None
        self.actual_value: float | None = None
        self.actual_copied = False  # the 完成值 carries an operator (copied from the 指标值)
        self.reason: str = ""
        self.rule_score: float | None = None
        self.outcome: str | None = None  # qualitative: 达成 / 部分达成 / 未达成
        self.rule_band: tuple[float, float] | None = None

    @property
    def quantitative(self) -> bool:
        return self.target_value is not None

    def __getstate__(self) -> tuple[Any, ...]:
        return (Indicator.__getstate__(self), self.target, self.operator, self.target_value, self.unit,
                self.actual, self.actual_value, self.actual_copied, self.reason, self.rule_score, self.outcome,
                self.rule_band)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        Indicator.__setstate__(self, state[0])
        (self.target, self.operator, self.target_value, self.unit, self.actual, self.actual_value,
         self.actual_copied, self.reason, self.rule_score, self.outcome, self.rule_band) = state[1:]

    def to_dict(self) -> dict[str, Any]:
        d = Indicator.to_dict(self)
        d.update({
            "target": self.target,
            "operator": self.operator,
            "target_value": self.target_value,
            "unit": self.unit or None,
            "actual": self.actual,
            "actual_value": self.actual_value,
            "outcome": self.outcome,
            "rule_score": self.rule_score,
            "rule_band": list(self.rule_band) if self.rule_band is not None else None,
            "reason": self.reason or None,
        })
        return d


@dataclass(slots=True)
class BudgetRow:
    label: str
    row: int
    values: dict[str, float | None] = field(default_factory=dict)  # initial / full_year / executed
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Budget:
    """The 项目资金 / 预算执行情况 block."""

    header_row: int
    columns: dict[str, int]  # initial, full_year, executed, weight, rate, score, reason
    total: BudgetRow | None = None
    parts: list[BudgetRow] = field(default_factory=list)
    weight: float | None = None
    weight_cell: str | None = None
    weight_from_header: bool = False
    rate: float | None = None  # as written, a fraction
    rate_cell: str | None = None
    score: float | None = None
    score_cell: str | None = None
    reason: str = ""
    label_cell: str | None = None

    def amount(self, role: str) -> float | None:
        return self.total.values.get(role) if self.total is not None else None


@dataclass(slots=True)
class ProjectTable(Table):
    project: str | None = None
    department: str | None = None  # 主管部门
    budget: Budget | None = None
    profile: Profile = PROFILES["national"]
    profile_guessed: bool = True
    stated_weight: StatedValue | None = None  # 总分 row, 分值 column
    placeholders: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)  # (row, text, path)
    empty_groups: list[Indicator] = field(default_factory=list)  # level-2 rows with nothing below
    has_reason_column: bool = False
    has_weight_column: bool = True


__all__ = ["Measure", "Budget", "BudgetRow", "ProjectTable"]
