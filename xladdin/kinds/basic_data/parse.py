"""Reading a 基础数据 sheet: ``编码 | 数据项 | 单位 | 本年 | 上年 | 取数来源 | 备注``.

A department adds the sheet beside its scoring table (the template has it). Rows are found by their
code (``P01``, ``P01a``, ``B01.1`` …), wherever the header puts the columns; the other rows
(titles, notes, blank lines) are ignored. Pure: a :class:`~xladdin.core.grid.Grid` in, data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xladdin.core import catalogue
from xladdin.core.grid import Grid
from xladdin.core.model import Issue, a1
from xladdin.core.numbers import describe_value, fmt, normalize_text, parse_number, squash
from xladdin.kinds.basic_data.items import BY_CODE, ITEMS, OPEN_PARTS, label

SHEET_NAME = "基础数据"
CURRENT, PREVIOUS = "current", "previous"
COLUMN_LABEL = {CURRENT: "本年", PREVIOUS: "上年"}

_CODE = re.compile(r"^([A-Z]\d{2})([a-z]|\.\d{1,2})?$")
# header words -> column role (matched on the squashed header text)
_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("编码", "代码", "编号")),
    ("name", ("数据项", "项目", "名称", "指标")),
    ("unit", ("单位",)),
    (CURRENT, ("本年", "本年数", "本年度", "本年度数", "本期")),
    (PREVIOUS, ("上年", "上年数", "上年度", "上年度数", "上期")),
    ("source", ("取数来源", "数据来源", "来源", "依据")),
    ("note", ("备注", "说明")),
)


@dataclass(slots=True)
class Entry:
    """One coded row of the 基础数据 sheet."""

    code: str
    name: str
    row: int  # 0-based sheet row
    values: dict[str, float | None]  # CURRENT / PREVIOUS -> the number, None when blank
    cells: dict[str, str]  # CURRENT / PREVIOUS -> A1 cell
    source: str = ""
    note: str = ""
    derived: dict[str, str] = field(default_factory=dict)  # column -> how a blank total was derived


@dataclass(slots=True)
class BasicData:
    sheet: str
    entries: dict[str, Entry] = field(default_factory=dict)
    read_issues: list[Issue] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """No figure at all (an untouched template's sheet): treated as no 基础数据."""
        return not self.read_issues and all(v is None for e in self.entries.values() for v in e.values.values())

    def value(self, code: str, column: str = CURRENT) -> float | None:
        e = self.entries.get(code)
        return None if e is None else e.values.get(column)

    def cell(self, code: str, column: str = CURRENT) -> str | None:
        e = self.entries.get(code)
        return None if e is None else e.cells.get(column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "items": [{"code": e.code, "name": e.name, "current": e.values.get(CURRENT),
                       "previous": e.values.get(PREVIOUS), "source": e.source,
                       "derived": dict(e.derived)} for e in self.entries.values()],
        }


def is_basic_data_sheet(name: str) -> bool:
    return SHEET_NAME in squash(name)


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for r in range(min(grid.nrows, 15)):
        roles: dict[str, int] = {}
        for c, v in enumerate(grid.rows[r]):
            if not isinstance(v, str):
                continue
            text = squash(v)
            for role, words in _HEADERS:
                if role not in roles and any(text == w or text.startswith(w) for w in words):
                    roles[role] = c
                    break
        if "code" in roles and CURRENT in roles:
            return r, roles
    return None


def normalize_code(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = normalize_text(value).replace(" ", "")
    if not text:
        return None
    text = text[0].upper() + text[1:]
    m = _CODE.match(text)
    if not m:
        return None
    base, tail = m.group(1), m.group(2) or ""
    code = base + tail
    if code in BY_CODE or (tail.startswith(".") and base in OPEN_PARTS):
        return code
    return None


def parse_basic_data(grid: Grid) -> BasicData | None:
    """The 基础数据 on this sheet; None when the sheet has no ``编码 … 本年`` header."""
    found = _header(grid)
    if found is None:
        return None
    header_row, roles = found
    data = BasicData(grid.name)
    for r in range(header_row + 1, grid.nrows):
        code = normalize_code(grid.get(r, roles["code"]))
        if code is None or code in data.entries:
            continue
        name_v = grid.get(r, roles["name"]) if "name" in roles else None
        item = BY_CODE.get(code)
        name = normalize_text(str(name_v)) if name_v not in (None, "") else (item.name if item else code)
        entry = Entry(code, name, r, {}, {})
        for col in (CURRENT, PREVIOUS):
            if col not in roles:
                entry.values[col] = None
                continue
            c = roles[col]
            cell = a1(r, c)
            entry.cells[col] = cell
            entry.values[col] = _number(grid, r, c, cell, code, col, data)
        for role in ("source", "note"):
            if role in roles:
                v = grid.get(r, roles[role])
                setattr(entry, role, normalize_text(str(v)) if v not in (None, "") else "")
        data.entries[code] = entry
    _derive_totals(data)
    return data


def _number(grid: Grid, r: int, c: int, cell: str, code: str, col: str, data: BasicData) -> float | None:
    raw = grid.get(r, c)
    p = parse_number(raw)
    what = f"{label(code)}的{COLUMN_LABEL[col]}数"
    if p.kind == "blank":
        err = grid.error(r, c) if raw is None else None
        if err:
            data.read_issues.append(catalogue.issue(
                "basic-data-value", cell=cell, sheet=grid.name, form="bad", what=what, described=f"错误值“{err}”"))
        return None
    if p.kind == "bad":
        data.read_issues.append(catalogue.issue(
            "basic-data-value", cell=cell, sheet=grid.name, form="bad", what=what, described=describe_value(raw)))
        return None
    return p.value


def _derive_totals(data: BasicData) -> None:
    """A blank total whose parts are filled is their sum (the template's formula does the same)."""
    for item in ITEMS:
        parts = list(item.parts)
        if item.code in OPEN_PARTS:
            parts = [c for c in data.entries if c.startswith(item.code + ".")]
        if not parts:
            continue
        for col in (CURRENT, PREVIOUS):
            if data.value(item.code, col) is not None:
                continue
            present = [p for p in parts if data.value(p, col) is not None]
            if not present:
                continue
            total = sum(data.value(p, col) or 0.0 for p in present)
            entry = data.entries.get(item.code)
            if entry is None:
                entry = Entry(item.code, item.name, -1, {CURRENT: None, PREVIOUS: None}, {})
                data.entries[item.code] = entry
            entry.values[col] = round(total, 6)
            entry.derived[col] = "+".join(f"{p} {fmt(data.value(p, col))}" for p in present)
