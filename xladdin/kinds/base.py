"""What a *kind of table* brings to the engine.

The engine reads cells, numbers, locates issues, annotates, discovers files, keeps the ledger and
writes atomically the same way for every kind. A kind adds only what differs between tables:

- ``parse``: a sheet of plain values (:class:`~xladdin.core.grid.Grid`) -> its :class:`Table`, or
  ``None`` when the sheet is not a table of this kind (the header vocabulary and tree shape);
- ``compute``: the figures the engine derives from a table (totals, grade);
- ``checks``: small functions yielding :class:`~xladdin.core.model.Issue` records;
- ``report_fields``: the kind's own fields of the JSON report.

Kinds are tried in ``priority`` order (lower first): a more specific kind (a project
self-evaluation table also has 一级/二级/三级指标 and 分值/得分 columns) must come before a more
general one. Adding a kind is adding a package under ``xladdin/kinds/`` and one line in
:data:`xladdin.kinds.KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from xladdin.core.grading import Grading
    from xladdin.core.grid import Grid
    from xladdin.core.model import Issue, Table
    from xladdin.core.report import Report


class Figures(Protocol):
    """What every kind computes: the total score and the grade it earns."""

    @property
    def total_score(self) -> float | None: ...

    @property
    def grade(self) -> str | None: ...


Check = Callable[["Table", Any, "Grading"], Iterator["Issue"]]


@dataclass(frozen=True, slots=True)
class TableKind:
    name: str  # stable English code, the JSON ``kind`` ("department")
    label: str  # what users read ("部门整体支出绩效评价指标评分表")
    parse: Callable[[Grid], Table | None]
    compute: Callable[[Table, Grading], Any]
    checks: tuple[Check, ...]
    report_fields: Callable[[Report], dict[str, Any]]
    fields: tuple[str, ...] = ()  # the keys report_fields returns, in order
    priority: int = 100
