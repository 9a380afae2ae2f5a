"""The outcome of checking one table: the :class:`Report`. Pure data; running the checks is the
engine's job (:func:`xladdin.engine.evaluate`), rendering it the outputs' (:mod:`xladdin.outputs.render`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

from xladdin.core.model import ERROR, WARNING, Issue, Table, parse_a1
from xladdin.errors import InputError


class ReportKind(Protocol):
    """What a report needs of its kind of table (xladdin.kinds.base.TableKind is one)."""

    @property
    def name(self) -> str: ...

    def report_fields(self, report: Report) -> dict[str, Any]: ...


def cell_key(issue: Issue) -> tuple[int, int]:
    """Sort key of an issue: its cell in reading order, issues without a cell last."""
    if not issue.cell:
        return (1 << 30, 0)
    try:
        return parse_a1(issue.cell)
    except (ValueError, IndexError):
        return (1 << 30, 0)


@dataclass(slots=True)
class Report:
    """Everything known about one workbook after checking: the table read (None when it could not
    be read), the kind's figures (total score, grade, ...) and every issue, sorted by cell."""

    file: str | None
    table: Table | None
    figures: Any  # the kind's figures (xladdin.kinds.base.Figures): total_score, grade, ...
    issues: list[Issue] = field(default_factory=list)
    kind: ReportKind | None = None
    # kind-specific JSON fields written as null when there is no kind (a file that could not be read)
    null_fields: tuple[str, ...] = ()
    # the 测算对比 (kinds.basic_data.Measured) when the workbook has a 基础数据 sheet; JSON ``measured``
    measured: Any = None

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
    def total_score(self) -> float | None:
        return self.figures.total_score if self.figures else None

    @property
    def grade(self) -> str | None:
        return self.figures.grade if self.figures else None

    def to_dict(self, indicators: bool = True) -> dict[str, Any]:
        t, f = self.table, self.figures
        out: dict[str, Any] = {
            "file": self.file,
            "kind": self.kind.name if self.kind is not None else None,
            "sheet": t.sheet if t else None,
            "unit": t.unit if t else None,
            "year": t.year if t else None,
        }
        if self.kind is not None:
            out.update(self.kind.report_fields(self))
        else:
            out.update(dict.fromkeys(self.null_fields))
        out.update({
            "total_score": f.total_score if f else None,
            "grade": f.grade if f else None,
            "stated_total": t.stated_total.value if t and t.stated_total else None,
            "stated_grade": t.stated_grade.value if t and t.stated_grade else None,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [i.to_dict() for i in self.issues],
        })
        if indicators:
            out["indicators"] = [n.to_dict() for n in t.walk()] if t else []
        if self.measured is not None:  # only a workbook with a 基础数据 sheet has it
            out["measured"] = self.measured.to_dict()
        return out


def failed(path: str | os.PathLike[str], error: InputError, null_fields: tuple[str, ...] = ()) -> Report:
    """The report of a workbook that could not be used at all."""
    issue = Issue(error.code, ERROR, error.message, error.cell, (), None, None, error.sheet)
    return Report(str(path), None, None, [issue], None, null_fields)
