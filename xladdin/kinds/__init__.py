"""The kinds of table the engine knows, and how a sheet finds its kind.

See :mod:`xladdin.kinds.base` for what a kind brings. Today: ``project`` (项目支出绩效自评表, tried first) and
``department`` (部门整体支出绩效评价指标评分表). A new kind is a package here plus one entry in :data:`KINDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xladdin.kinds.base import TableKind
from xladdin.kinds.department import KIND as DEPARTMENT
from xladdin.kinds.project import KIND as PROJECT

if TYPE_CHECKING:
    from xladdin.core.grid import Grid
    from xladdin.core.model import Table

# Tried in this order: the most specific kind first.
KINDS: tuple[TableKind, ...] = tuple(sorted((DEPARTMENT, PROJECT), key=lambda k: k.priority))
_BY_NAME = {k.name: k for k in KINDS}
# A file that could not be read has no kind: its JSON report still carries this kind's fields (null),
# so scripts written against the department report find every key they expect.
DEFAULT_KIND = DEPARTMENT


def get_kind(name: str) -> TableKind:
    """The kind called ``name`` (KeyError for an unknown name)."""
    return _BY_NAME[name]


def parse_any(grid: Grid, kinds: tuple[TableKind, ...] = KINDS) -> Table | None:
    """The table on this sheet, read by the first kind that recognises it; None when none does."""
    for kind in kinds:
        table = kind.parse(grid)
        if table is not None:
            table.kind = kind.name
            return table
    return None


__all__ = ["KINDS", "DEFAULT_KIND", "DEPARTMENT", "PROJECT", "TableKind", "get_kind", "parse_any"]
