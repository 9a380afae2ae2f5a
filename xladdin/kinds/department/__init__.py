"""部门整体支出绩效评价指标评分表: 一级/二级/三级指标 with 分值, 扣分, 得分; total 100; graded 优/良/中/差.

``parse`` (header vocabulary, tree shape, totals row, stated facts), ``checks`` (weight sums, leaf
values, totals, grade), ``framework`` (the default indicator framework of the template).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xladdin.kinds.base import TableKind
from xladdin.kinds.department.checks import CHECKS, compute
from xladdin.kinds.department.parse import parse_grid

if TYPE_CHECKING:
    from xladdin.core.report import Report


def report_fields(report: Report) -> dict[str, Any]:
    """The department table's own JSON fields (the order is the JSON's)."""
    t, f = report.table, report.figures
    stated_total_weight = None
    if t is not None and t.totals and "weight:1" in t.totals.values:
        stated_total_weight = t.totals.values["weight:1"].value
    return {
        "total_weight": f.total_weight if f else None,
        "stated_total_weight": stated_total_weight,
        "total_deduction": f.total_deduction if f else None,
    }


KIND = TableKind(
    name="department",
    label="部门整体支出绩效评价指标评分表",
    parse=parse_grid,
    compute=compute,
    checks=CHECKS,
    report_fields=report_fields,
    fields=("total_weight", "stated_total_weight", "total_deduction"),
    priority=100,
)

__all__ = ["KIND", "CHECKS", "compute", "parse_grid"]
