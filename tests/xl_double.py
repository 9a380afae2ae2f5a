"""A small, honest test double of the xlwings Book/Sheet/Range calls the live sink uses.

It implements exactly the surface listed in ``xladdin/xl.py`` and behaves like Excel where it matters:
``Range.value`` of a block is a list of rows (None for blanks, numbers as floats); a 1x1 range returns a
scalar unless ``options(ndim=2)``; ``color`` is an (r, g, b) tuple or None; a protected sheet refuses
every change (Excel raises a COM error); ``add_note`` refuses a cell that already has a note; a value
starting with "=" is a formula, "'" makes it text. Anything outside that surface raises AttributeError,
so the adapter cannot quietly start depending on more of xlwings than the double covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xladdin.core.model import a1, parse_a1


class ProtectedError(Exception):
    pass


def _addr(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """'A1' / 'A1:C3' / 'C:F' -> 1-based inclusive corners."""
    if re.fullmatch(r"[A-Z]+:[A-Z]+", ref):
        a, b = ref.split(":")
        return (1, parse_a1(a + "1")[1] + 1), (1_048_576, parse_a1(b + "1")[1] + 1)
    parts = ref.split(":")
    r0, c0 = parse_a1(parts[0])
    r1, c1 = parse_a1(parts[-1])
    return (r0 + 1, c0 + 1), (r1 + 1, c1 + 1)


@dataclass
class Note:
    cell: Cell
    text: str

    def delete(self) -> None:
        self.cell.sheet.guard()
        self.cell.note = None


@dataclass
class Cell:
    sheet: Sheet
    value: Any = None
    color: tuple[int, int, int] | None = None
    note: Note | None = None
    number_format: str = "General"
    formula: str | None = None


class Font:
    def __init__(self, rng: Range):
        self._rng = rng

    def __setattr__(self, name, value):
        if name == "_rng":
            object.__setattr__(self, name, value)
            return
        if name not in ("bold", "size"):
            raise AttributeError(name)
        self._rng.sheet.guard()
        self._rng.sheet.fonts[(self._rng.row, self._rng.column, name)] = value


class Range:
    def __init__(self, sheet: Sheet, first: tuple[int, int], last: tuple[int, int], ndim: int | None = None):
        self.sheet, self.first, self.last, self._ndim = sheet, first, last, ndim

    row = property(lambda self: self.first[0])
    column = property(lambda self: self.first[1])

    def options(self, ndim=None, empty=None, err_to_str=False, **kw) -> Range:
        assert empty is None and not kw, "the double only models the options the adapter uses"
        return Range(self.sheet, self.first, self.last, ndim)

    def _cells(self):
        (r0, c0), (r1, c1) = self.first, self.last
        r1 = min(r1, self.sheet.max_row)
        return [[self.sheet.cell(r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]

    @property
    def value(self):
        rows = [[c.value for c in row] for row in self._cells()]
        if self._ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows

    @value.setter
    def value(self, values):
        self.sheet.guard()
        if not isinstance(values, list):
            values = [[values]]
        r0, c0 = self.first
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                cell = self.sheet.cell(r0 + i, c0 + j)
                cell.formula = None
                if isinstance(v, str) and v.startswith("="):
                    cell.formula = v
                elif isinstance(v, str) and v.startswith("'"):
                    cell.value = v[1:]  # Excel: a leading apostrophe makes the rest text
                elif isinstance(v, int) and not isinstance(v, bool):
                    cell.value = float(v)
                else:
                    cell.value = v
        self.sheet.recalc()

    def _one(self) -> Cell:
        assert self.first == self.last, "a single cell"
        return self.sheet.cell(*self.first)

    @property
    def color(self):
        return self._one().color

    @color.setter
    def color(self, rgb):
        self.sheet.guard()
        assert rgb is None or (isinstance(rgb, tuple) and len(rgb) == 3)
        for row in self._cells():
            for c in row:
                c.color = rgb

    @property
    def note(self):
        return self._one().note

    def add_note(self, text: str) -> Note:
        self.sheet.guard()
        cell = self._one()
        if cell.note is not None:
            raise ValueError("This cell already has a note")
        cell.note = Note(cell, text)
        return cell.note

    @property
    def number_format(self):
        return self._one().number_format

    @number_format.setter
    def number_format(self, fmt: str):
        self.sheet.guard()
        self.sheet.formats[(self.first, self.last)] = fmt

    @property
    def column_width(self):
        return self.sheet.widths.get(self.column)

    @column_width.setter
    def column_width(self, w: float):
        self.sheet.guard()
        for c in range(self.first[1], self.last[1] + 1):
            self.sheet.widths[c] = w

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def row_height(self):
        return self.sheet.heights.get(self.row)

    @row_height.setter
    def row_height(self, h: float):
        self.sheet.guard()
        for r in range(self.first[0], self.last[0] + 1):
            self.sheet.heights[r] = h

    @property
    def wrap_text(self):
        return self.sheet.wraps.get(self.column, False)

    @wrap_text.setter
    def wrap_text(self, on: bool):
        self.sheet.guard()
        self.sheet.wraps[self.column] = on


class SheetApi:
    """Only the protection calls of the Excel object model."""

    def __init__(self, sheet: Sheet):
        self._sheet = sheet
        self.protect_calls: list[dict] = []

    @property
    def ProtectContents(self) -> bool:
        return self._sheet.protected

    def Unprotect(self, Password=None):
        if Password is None:  # Excel would show a password prompt here: never acceptable from a button
            raise AssertionError("Unprotect() without a password makes Excel prompt for one")
        if self._sheet.password and Password != self._sheet.password:
            raise ProtectedError("The password you supplied is not correct.")
        self._sheet.protected = False

    def Protect(self, **kw):
        self.protect_calls.append(kw)
        self._sheet.protected = True


@dataclass
class UsedRange:
    last_cell: Any


@dataclass
class _Pos:
    row: int
    column: int


class Sheet:
    def __init__(self, book: Book, name: str, visible: bool = True):
        self.book, self.name, self.visible = book, name, visible
        self.cells: dict[tuple[int, int], Cell] = {}
        self.protected = False
        self.password: str | None = None
        self.api = SheetApi(self)
        self.widths: dict[int, float] = {}
        self.wraps: dict[int, bool] = {}
        self.heights: dict[int, float] = {}
        self.fonts: dict = {}
        self.formats: dict = {}

    def recalc(self) -> None:
        """Excel recalculates after every change; formulas are evaluated in row order (enough here)."""
        for key in sorted(k for k, c in self.cells.items() if c.formula):
            c = self.cells[key]
            c.value = _evaluate(c.formula, self)

    def guard(self) -> None:
        if self.protected:
            raise ProtectedError(f"sheet {self.name} is protected")

    def cell(self, r: int, c: int) -> Cell:
        if (r, c) not in self.cells:
            self.cells[(r, c)] = Cell(self)
        return self.cells[(r, c)]

    @property
    def max_row(self) -> int:
        return max((r for (r, c), v in self.cells.items() if v.value is not None), default=1)

    @property
    def used_range(self) -> UsedRange:
        used = [(r, c) for (r, c), v in self.cells.items() if v.value is not None or v.color or v.note]
        return UsedRange(_Pos(max((r for r, _ in used), default=1), max((c for _, c in used), default=1)))

    def range(self, a, b=None) -> Range:
        if b is None:
            if isinstance(a, tuple):
                return Range(self, a, a)
            first, last = _addr(a)
            return Range(self, first, last)
        return Range(self, a, b)

    def clear(self) -> None:
        self.guard()
        self.cells.clear()
        self.widths.clear()
        self.wraps.clear()
        self.heights.clear()
        self.fonts.clear()
        self.formats.clear()

    def activate(self) -> None:
        self.book.sheets._active = self.name

    # helpers for the tests (not part of the xlwings surface)
    def get(self, ref: str):
        r, c = parse_a1(ref)
        return self.cells.get((r + 1, c + 1), Cell(self))


class Sheets:
    def __init__(self, book: Book):
        self.book = book
        self._list: list[Sheet] = []
        self._active: str | None = None

    def __iter__(self):
        return iter(list(self._list))

    def __len__(self):
        return len(self._list)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._list[key]
        for s in self._list:
            if s.name == key:
                return s
        raise KeyError(key)

    @property
    def active(self) -> Sheet:
        return self[self._active] if self._active else self._list[0]

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        assert name not in [s.name for s in self._list], "Excel refuses a duplicate sheet name"
        s = Sheet(self.book, name)
        i = self._list.index(after) + 1 if after is not None else 0
        self._list.insert(i, s)
        self._active = name  # Excel activates a new sheet
        return s


@dataclass
class _Named:
    """A workbook name: a cell (refers_to_range) or a constant like ="C:\\报送" (refers_to_range raises, as
    in Excel)."""

    _range: Range | None = None
    refers_to: str = ""

    @property
    def refers_to_range(self) -> Range:
        if self._range is None:
            raise ValueError("the name does not refer to a range")
        return self._range




class Names:
    def __init__(self):
        self._d: dict[str, _Named] = {}

    def __getitem__(self, name: str) -> _Named:
        return self._d[name]

    def add(self, name: str, refers_to: str) -> _Named:
        self._d[name] = _Named(None, refers_to)
        return self._d[name]


class Books:
    def __init__(self):
        self.opened: list[str] = []

    def open(self, path: str):
        self.opened.append(path)


@dataclass
class App:
    alerts: list[tuple[str, str | None]] = field(default_factory=list)
    status_bar: Any = False
    books: Books = field(default_factory=Books)

    def alert(self, prompt: str, title: str | None = None, **kw) -> str:
        self.alerts.append((prompt, title))
        return "ok"


class Book:
    def __init__(self, fullname: str = "评分表.xlsm"):
        self.fullname = fullname
        self.sheets = Sheets(self)
        self.names = Names()
        self.app = App()


def book_from_file(path) -> Book:
    """A double loaded from a real workbook: values as Excel shows them (cached formula results from
    LibreOffice or Excel; openpyxl-written formulas have none), fills, notes, protection, names."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    book = Book(str(path))
    wb_values = CalamineWorkbook.from_path(str(path))
    wb_styles = openpyxl.load_workbook(path)
    for ws in wb_styles.worksheets:
        s = Sheet(book, ws.title, ws.sheet_state == "visible")
        book.sheets._list.append(s)
        rows = wb_values.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row, 1):
                if v != "":
                    s.cell(r, c).value = float(v) if isinstance(v, int) and not isinstance(v, bool) else v
        for row in ws.iter_rows():
            for cell in row:
                if not hasattr(cell, "column") or cell.__class__.__name__ == "MergedCell":
                    continue
                f = cell.fill
                if f is not None and f.fill_type == "solid" and f.fgColor.type == "rgb":
                    h = f.fgColor.rgb[-6:]
                    s.cell(cell.row, cell.column).color = tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
                if cell.comment is not None:
                    c = s.cell(cell.row, cell.column)
                    c.note = Note(c, cell.comment.text)
        # keep the formulas: Excel recalculates them on opening and after every change
        for row in ws.iter_rows():
            for cell in row:
                v = getattr(cell, "value", None)
                if isinstance(v, str) and getattr(cell, "data_type", None) == "f":  # not text that starts with "="
                    s.cell(cell.row, cell.column).formula = v
        s.recalc()
        s.protected = bool(ws.protection.sheet)
    for name, dn in wb_styles.defined_names.items():
        sheet_name, ref = next(iter(dn.destinations))
        r, c = parse_a1(ref.replace("$", ""))
        book.names._d[name] = _Named(book.sheets[sheet_name].range((r + 1, c + 1)), f"={ref}")
    book.sheets._active = book.sheets[0].name
    return book


_TERM = re.compile(r"([+-]?)(SUM\(([A-Z]+\d+):([A-Z]+\d+)\)|[A-Z]+\d+)")


_LINK = re.compile(r'^=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)$')


def _evaluate(formula: str, s: Sheet):
    """=REF, =REF-REF, =SUM(A1:A9)+REF..., =HYPERLINK(target,"text"): what the template and the sink use;
    anything else (the grade IFs) -> None, which the engine treats as a blank cell."""
    m = _LINK.match(formula)
    if m:
        return m.group(1).replace('""', '"')
    body = formula[1:].replace("$", "")
    pos, total, single = 0, 0.0, None
    for m in _TERM.finditer(body):
        if m.start() != pos:
            return None
        pos = m.end()
        sign = -1.0 if m.group(1) == "-" else 1.0
        if m.group(3):
            (r0, c0), (r1, c1) = _addr(f"{m.group(3)}:{m.group(4)}")
            vals = [s.cell(r, c).value for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
            total += sign * sum(v for v in vals if isinstance(v, (int, float)))
        else:
            r, c = parse_a1(m.group(2))
            v = s.cell(r + 1, c + 1).value
            if m.start() == 0 and m.end() == len(body):
                return v  # a plain reference (text or number)
            total += sign * (v if isinstance(v, (int, float)) else 0.0)
        single = total
    return single if pos == len(body) else None


def fill(sheet: Sheet) -> dict[str, str]:
    """{A1: "RRGGBB"} of every filled cell (for comparing sinks)."""
    return {a1(r - 1, c - 1): f"{x.color[0]:02X}{x.color[1]:02X}{x.color[2]:02X}"
            for (r, c), x in sheet.cells.items() if x.color}
