"""项目支出绩效自评表 (财预〔2020〕10号 附件 and the 四川 / 湖北 / 云南 variants): 项目资金 block with
执行率, 绩效指标 with 年度指标值 / 实际完成值 / 分值 / 得分, 总分 and grade.

``parse`` (budget and indicator blocks, header facts, the profile guessed from the layout), ``checks``
(budget arithmetic, scores against the rules, reasons, placeholders, weights, totals), ``profiles``
(the scoring rules as data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xladdin.kinds.base import TableKind
from xladdin.kinds.project.checks import CHECKS, compute
from xladdin.kinds.project.model import ProjectTable
from xladdin.kinds.project.parse import parse_grid
from xladdin.kinds.project.profiles import PROFILES, Profile, get_profile

if TYPE_CHECKING:
    from xladdin.core.report import Report

FIELDS = ("project", "department", "profile", "budget", "total_weight", "rule_total")


def report_fields(report: Report) -> dict[str, Any]:
    """The project table's own JSON fields (the order is the JSON's)."""
    t, f = report.table, report.figures
    if not isinstance(t, ProjectTable):
        return dict.fromkeys(FIELDS)
    b = t.budget
    budget = None
    if b is not None:
        budget = {
            "initial": b.amount("initial"),
            "full_year": b.amount("full_year"),
            "executed": b.amount("executed"),
            "rate": round(f.rate, 6) if f is not None and f.rate is not None else b.rate,
            "stated_rate": b.rate,
            "weight": b.weight,
            "score": b.score,
            "rule_score": f.budget_rule_score if f is not None else None,
        }
    return {
        "project": t.project,
        "department": t.department,
        "profile": t.profile.name,
        "budget": budget,
        "total_weight": f.total_weight if f is not None else None,
        "rule_total": f.rule_total if f is not None else None,
    }


KIND = TableKind(
    name="project",
    label="项目支出绩效自评表",
    parse=parse_grid,
    compute=compute,
    checks=CHECKS,
    report_fields=report_fields,
    fields=FIELDS,
    priority=50,
)

__all__ = ["KIND", "CHECKS", "compute", "parse_grid", "ProjectTable", "PROFILES", "Profile", "get_profile"]
