"""xladdin: 预算绩效评价评分表的校验与汇总。

The public, typed API (everything else is internal and may move)::

    import xladdin
    report = xladdin.check("评分表.xlsx")
    report.kind, report.total_score, report.grade, report.issues
    xladdin.annotate(report, "评分表-校验.xlsx")
    summary = xladdin.consolidate(["报送文件夹"], "汇总.xlsx")
    xladdin.write_template("评分表.xlsx", unit="某某局", year=2024)
    leaves = xladdin.load_framework("指标体系.csv")

Lower level: :func:`read_table` (a workbook -> :class:`Table`) and :func:`evaluate` (a table ->
:class:`Report`); :data:`CATALOGUE` lists every issue code; :data:`KINDS` the kinds of table.
"""

from typing import TYPE_CHECKING, Any

from xladdin.api import annotate, check, consolidate, load_framework, write_project_template, write_template
from xladdin.core.catalogue import CATALOGUE, ISSUE_CODES
from xladdin.core.grading import DEFAULT_GRADING, Grading, grade
from xladdin.core.model import Indicator, Issue, Table
from xladdin.core.report import Report
from xladdin.engine import check_file, evaluate, read_table
from xladdin.errors import (
    ConfigError,
    InputError,
    NotScoringTableError,
    OutputError,
    UnreadableError,
    XladdinError,
)
from xladdin.kinds import KINDS, TableKind

__version__ = "0.1.0"

if TYPE_CHECKING:
    from xladdin.consolidation.model import Summary


def __getattr__(name: str) -> Any:
    # the consolidation's result type, imported on first use: `xladdin check` loads no consolidation code
    if name == "Summary":
        from xladdin.consolidation.model import Summary

        return Summary
    raise AttributeError(f"module 'xladdin' has no attribute {name!r}")

__all__ = [
    # one call per task
    "check", "consolidate", "annotate", "write_template", "write_project_template", "load_framework",
    # lower level
    "read_table", "evaluate", "check_file",
    # the model
    "Report", "Summary", "Table", "Indicator", "Issue", "ISSUE_CODES", "CATALOGUE", "KINDS", "TableKind",
    "Grading", "DEFAULT_GRADING", "grade",
    # errors
    "XladdinError", "ConfigError", "InputError", "UnreadableError", "NotScoringTableError", "OutputError",
    "__version__",
]
