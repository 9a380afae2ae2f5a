"""xladdin: 预算绩效评价评分表的校验与汇总。

The small public API::

    from xladdin import check_file, read_table, evaluate
    report = check_file("评分表.xlsx")
    report.total_score, report.grade, report.issues
"""

from xladdin.errors import (
    ConfigError,
    InputError,
    NotScoringTableError,
    OutputError,
    UnreadableError,
    XladdinError,
)
from xladdin.core.grading import DEFAULT_GRADING, Grading, grade
from xladdin.core.model import ISSUE_CODES, Indicator, Issue, Table
from xladdin.core.report import Report, check_file, evaluate

__version__ = "0.1.0"


def read_table(path, sheet=None):
    """Read the scoring table of a workbook file (see :func:`xladdin.reading.workbook.read_table`)."""
    from xladdin.reading.workbook import read_table as _read

    return _read(path, sheet)


__all__ = [
    "ConfigError", "InputError", "NotScoringTableError", "OutputError", "UnreadableError", "XladdinError",
    "DEFAULT_GRADING", "Grading", "grade", "ISSUE_CODES", "Indicator", "Issue", "Table",
    "Report", "check_file", "evaluate", "read_table", "__version__",
]
