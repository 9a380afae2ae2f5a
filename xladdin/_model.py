"""The pure data model: indicator tree, table, issue records.

No I/O and no third-party imports here: everything in this module is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"

# Stable issue codes. Other parts of the project and users' scripts rely on them.
ISSUE_CODES = (
    "weight-sum",
    "total-weight",
    "deduction-range",
    "score-range",
    "score-mismatch",
    "total-mismatch",
    "grade-mismatch",
    "missing-value",
    "duplicate-indicator",
    "text-number",
    "bad-number",
    "formula-no-value",
    "not-scoring-table",
    "unreadable",
)

LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A)."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@lru_cache(maxsize=65536)
def a1(row: int, col: int) -> str:
    """0-based (row, col) -> A1 reference."""
    return f"{col_letter(col)}{row + 1}"


@lru_cache(maxsize=65536)
def parse_a1(ref: str) -> tuple[int, int]:
    """A1 reference -> 0-based (row, col)."""
    letters = ""
    i = 0
    ref = ref.replace("$", "")
    while i < len(ref) and ref[i].isalpha():
        letters += ref[i].upper()
        i += 1
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(ref[i:]) - 1, col - 1


@dataclass(slots=True)
class Issue:
    """One problem found in a table: a frictionless-style error record."""

    code: str
    severity: Severity
    message: str
    cell: str | None = None
    path: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "cell": self.cell,
            "sheet": self.sheet,
            "path": list(self.path),
            "expected": self.expected,
            "actual": self.actual,
            "message": self.message,
        }


@dataclass(slots=True)
class Indicator:
    """One node of the indicator tree (一级/二级/三级指标)."""

    level: int
    name: str
    row: int  # 0-based sheet row where the indicator starts
    weight: float | None = None
    deduction: float | None = None
    score: float | None = None
    # A1 cells of the values as they stand in the sheet (top-left of a merged block).
    cells: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)
    children: list["Indicator"] = field(default_factory=list)
    parent: "Indicator | None" = field(default=None, repr=False, compare=False)
    # True when the weight was read from the name, e.g. "相关性(5分)".
    weight_from_name: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def path(self) -> tuple[str, ...]:
        names: list[str] = []
        node: Indicator | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return tuple(reversed(names))

    def walk(self) -> Iterator["Indicator"]:
        """This node and all below it, in sheet order (iterative: trees are walked often)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    def leaves(self) -> Iterator["Indicator"]:
        for node in self.walk():
            if not node.children:
                yield node

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "name": self.name,
            "path": list(self.path),
            "weight": self.weight,
            "deduction": self.deduction,
            "score": self.score,
            "leaf": self.is_leaf,
            "cells": dict(self.cells),
            "extras": dict(self.extras),
        }


@dataclass(slots=True)
class StatedValue:
    """A value the table states about itself (合计 row, '综合得分95分', '评价等级：优秀')."""

    value: Any
    cell: str
    text: str = ""


@dataclass(slots=True)
class TotalsRow:
    row: int
    label: str
    # role -> StatedValue; roles: "weight:1", "weight:2", ..., "deduction", "score"
    values: dict[str, StatedValue] = field(default_factory=dict)


@dataclass(slots=True)
class Table:
    """A scoring table read from one sheet, before any check has run."""

    sheet: str
    roots: list[Indicator] = field(default_factory=list)
    levels: int = 3  # number of indicator levels the header declares
    unit: str | None = None
    year: int | None = None
    title: str | None = None
    header_row: int = 0
    # role -> 0-based column; roles: "name:1", "weight:1", ..., "deduction", "score"
    columns: dict[str, int] = field(default_factory=dict)
    extra_columns: dict[int, str] = field(default_factory=dict)
    totals: TotalsRow | None = None
    stated_total: StatedValue | None = None
    stated_grade: StatedValue | None = None
    # Problems found while reading (text-number, bad-number, formula-no-value, ...).
    read_issues: list[Issue] = field(default_factory=list)
    file: str | None = None

    def walk(self) -> Iterator[Indicator]:
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    def leaves(self) -> Iterator[Indicator]:
        for node in self.walk():
            if not node.children:
                yield node

    def has_column(self, role: str) -> bool:
        return role in self.columns

    def header_cell(self, role: str) -> str | None:
        col = self.columns.get(role)
        return None if col is None else a1(self.header_row, col)
