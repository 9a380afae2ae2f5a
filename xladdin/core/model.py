"""The pure data model: indicator tree, table, issue records.

No I/O and no third-party imports here: everything in this module is plain data.
"""

from __future__ import annotations

import operator
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"

_ref = weakref.ref


def fast_pickle(cls: Any) -> Any:
    """Class decorator for a slots dataclass whose fields are all ``__init__`` arguments: pickle it
    as a constructor call. The generic slots pickling calls ``dataclasses.fields()`` per object;
    results of thousands of workbooks cross from reader processes, so this is ~3× faster there."""
    get = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, get(self)

    cls.__reduce__ = __reduce__
    return cls

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


@fast_pickle
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


@dataclass(slots=True, weakref_slot=True, init=False)
class Indicator:
    """One node of the indicator tree (一级/二级/三级指标).

    A node holds its children; its parent is held weakly (``parent`` is a property), so a tree has
    no reference cycles and is freed as soon as the table is dropped. Trees used to be cyclic and
    left ~120 objects per workbook for the cyclic garbage collector: about a quarter of the
    engine's time when thousands of workbooks are read (issue 5). A node kept after its tree is
    dropped loses its ``parent`` but keeps its ``path`` (the ancestors' names are remembered when
    the node is linked to its parent).
    """

    level: int
    name: str
    row: int  # 0-based sheet row where the indicator starts
    weight: float | None
    deduction: float | None
    score: float | None
    # A1 cells of the values as they stand in the sheet (top-left of a merged block).
    cells: dict[str, str]
    extras: dict[str, str]
    children: list[Indicator]
    _parent: weakref.ref[Indicator] | None = field(repr=False, compare=False)
    _above: tuple[str, ...] = field(repr=False, compare=False)  # the ancestors' names
    # True when the weight was read from the name, e.g. "相关性(5分)".
    weight_from_name: bool

    def __init__(self, level: int, name: str, row: int, weight: float | None = None,
                 deduction: float | None = None, score: float | None = None,
                 cells: dict[str, str] | None = None, extras: dict[str, str] | None = None,
                 children: list[Indicator] | None = None, parent: Indicator | None = None,
                 weight_from_name: bool = False) -> None:
        self.level = level
        self.name = name
        self.row = row
        self.weight = weight
        self.deduction = deduction
        self.score = score
        self.cells = {} if cells is None else cells
        self.extras = {} if extras is None else extras
        self.children = [] if children is None else children
        if parent is None:
            self._parent, self._above = None, ()
        else:
            self._parent, self._above = _ref(parent), parent._above + (parent.name,)
        self.weight_from_name = weight_from_name

    @property
    def parent(self) -> Indicator | None:
        ref = self._parent
        return None if ref is None else ref()

    @parent.setter
    def parent(self, node: Indicator | None) -> None:
        if node is None:
            self._parent, self._above = None, ()
        else:
            self._parent, self._above = _ref(node), node._above + (node.name,)

    def __getstate__(self) -> tuple[Any, ...]:
        # copy/pickle: the parent's weak link cannot be kept; the parent's __setstate__ links its
        # children again, and a node copied on its own keeps its path
        return (self.level, self.name, self.row, self.weight, self.deduction, self.score, self.cells,
                self.extras, self.children, self.weight_from_name, self._above)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (self.level, self.name, self.row, self.weight, self.deduction, self.score, self.cells,
         self.extras, self.children, self.weight_from_name, self._above) = state
        self._parent = None
        stack = [self]  # children were restored first: link the whole subtree below this node
        while stack:
            node = stack.pop()
            for child in node.children:
                child.parent = node
                stack.append(child)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def path(self) -> tuple[str, ...]:
        """Names from the level-1 indicator down to this one."""
        return self._above + (self.name,)

    def walk(self) -> Iterator[Indicator]:
        """This node and all below it, in sheet order (iterative: trees are walked often)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    def leaves(self) -> Iterator[Indicator]:
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
    # 小计 rows inside the table: (the level-1 indicator the row closes, or None, the row's values)
    subtotals: list[tuple[Indicator | None, TotalsRow]] = field(default_factory=list)
    stated_total: StatedValue | None = None
    stated_grade: StatedValue | None = None
    # Problems found while reading (text-number, bad-number, formula-no-value, ...).
    read_issues: list[Issue] = field(default_factory=list)
    file: str | None = None
    kind: str = "department"  # the kind of table (xladdin.kinds) that read it
    # facts about the workbook file: the save time recorded inside it, its keywords (docProps/core.xml)
    saved: str | None = None
    keywords: str = ""
    # companion sheets of the same workbook: the 基础数据 a department filled (kinds.basic_data.BasicData)
    # and the rows of a 评分规则 sheet a bureau set (None when the workbook has none)
    basic_data: Any = None
    rules_rows: list[list[Any]] | None = None

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
