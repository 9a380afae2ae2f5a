"""Running the checks over a table and holding the outcome: the :class:`Report`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from xladdin.kinds.department.checks import CHECKS, Figures, compute
from xladdin.errors import InputError
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import ERROR, WARNING, Issue, Table, parse_a1


def _cell_key(issue: Issue) -> tuple[int, int]:
    if not issue.cell:
        return (1 << 30, 0)
    try:
        return parse_a1(issue.cell)
    except (ValueError, IndexError):
        return (1 << 30, 0)


@dataclass(slots=True)
class Report:
    file: str | None
    table: Table | None
    figures: Figures | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def readable(self) -> bool:
        return self.table is not None

    @property
    def exit_code(self) -> int:
        if self.table is None:
            return 2
        return 1 if self.errors else 0

    @property
    def total_score(self) -> float | None:
        return self.figures.total_score if self.figures else None

    @property
    def grade(self) -> str | None:
        return self.figures.grade if self.figures else None

    def to_dict(self, indicators: bool = True) -> dict[str, Any]:
        t, f = self.table, self.figures
        stated_total_weight = None
        if t is not None and t.totals and "weight:1" in t.totals.values:
            stated_total_weight = t.totals.values["weight:1"].value
        out: dict[str, Any] = {
            "file": self.file,
            "sheet": t.sheet if t else None,
            "unit": t.unit if t else None,
            "year": t.year if t else None,
            "total_weight": f.total_weight if f else None,
            "stated_total_weight": stated_total_weight,
            "total_deduction": f.total_deduction if f else None,
            "total_score": f.total_score if f else None,
            "grade": f.grade if f else None,
            "stated_total": t.stated_total.value if t and t.stated_total else None,
            "stated_grade": t.stated_grade.value if t and t.stated_grade else None,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [i.to_dict() for i in self.issues],
        }
        if indicators:
            out["indicators"] = [n.to_dict() for n in t.walk()] if t else []
        return out


def evaluate(table: Table, grading: Grading = DEFAULT_GRADING) -> Report:
    """Run every check; collect every issue (read issues first), sorted by cell."""
    fig = compute(table, grading)
    issues = list(table.read_issues)
    for check in CHECKS:
        issues.extend(check(table, fig, grading))
    issues.sort(key=_cell_key)
    return Report(table.file, table, fig, issues)


def failed(path: str | os.PathLike[str], error: InputError) -> Report:
    """The report of a workbook that could not be used at all."""
    issue = Issue(error.code, ERROR, error.message, error.cell, (), None, None, error.sheet)
    return Report(str(path), None, None, [issue])


def check_file(path: str | os.PathLike[str], sheet: str | None = None, grading: Grading = DEFAULT_GRADING) -> Report:
    """Read and check one workbook; never raises for bad input (the report says what went wrong)."""
    from xladdin.reading.workbook import read_table

    try:
        table = read_table(path, sheet)
    except InputError as exc:
        return failed(path, exc)
    return evaluate(table, grading)
