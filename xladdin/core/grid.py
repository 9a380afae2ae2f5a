"""A sheet as plain values: what every reader produces and the parser consumes.

Pure data, no I/O: tests and the Excel adapter build grids straight from Python lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xladdin.core.numbers import clean_text

# (first_row, first_col, last_row, last_col), 0-based, inclusive
MergedRange = tuple[int, int, int, int]
# (row, col) -> ("formula", "=F3-G3") | ("error", "#DIV/0!") | None, for cells that read as blank
CellLookup = Callable[[int, int], "tuple[str, str] | None"]


@dataclass(slots=True)
class Grid:
    name: str
    rows: list[list[Any]]
    merged: list[MergedRange] = field(default_factory=list)
    visible: bool = True
    # Explains a cell that reads as blank: a formula whose result was not saved, or an error value.
    # Set by readers that can see formulas; grids built from plain values have none.
    formula_at: CellLookup | None = None
    # The sheet's height when the reader read only its first rows (0: every row was read).
    total_rows: int = 0
    # A workbook recalculated on load (fullCalcOnLoad): the formula cells whose saved result is 0,
    # found in the sheet XML when called (the parser asks only when it read a 0 that matters).
    zero_formulas: Callable[[], dict[tuple[int, int], str]] | None = None
    _merge_top: dict[tuple[int, int], tuple[int, int]] | None = None

    @property
    def nrows(self) -> int:
        return len(self.rows)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def __post_init__(self) -> None:
        # '' and None both mean blank: normalise once so that reading a cell is plain indexing
        self.rows = [[None if v == "" else v for v in row] for row in self.rows]
        # Excel shows only the top-left value of a merged block; a value hidden under the block
        # (left there by some other program) is not what the clerk sees, so it is not read.
        rows = self.rows
        nrows = len(rows)
        for r0, c0, r1, c1 in self.merged:
            if c0 == c1:  # the usual vertical block: blank the cells below its top
                for row in rows[r0 + 1:min(r1, nrows - 1) + 1]:
                    if c0 < len(row):
                        row[c0] = None
                continue
            for r in range(r0, min(r1, nrows - 1) + 1):
                row = rows[r]
                start = c0 + 1 if r == r0 else c0
                end = min(c1, len(row) - 1) + 1
                if start < end:
                    row[start:end] = [None] * (end - start)

    def get(self, row: int, col: int) -> Any:
        """The raw value at (row, col); blank cells (and cells outside the sheet) are None."""
        try:
            return self.rows[row][col] if row >= 0 and col >= 0 else None
        except IndexError:
            return None

    def text(self, row: int, col: int) -> str | None:
        """The cell as cleaned text (a number as written: 2024.0 -> "2024"); None when blank."""
        v = self.get(row, col)
        if v is None:
            return None
        if type(v) is str:
            return clean_text(v) or None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return clean_text(str(v)) or None

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged block holding (row, col), or the cell itself."""
        if self._merge_top is None:
            top: dict[tuple[int, int], tuple[int, int]] = {}
            for r0, c0, r1, c1 in self.merged:
                # huge merged ranges (formatting accidents) are capped to the used area
                for r in range(r0, min(r1, len(self.rows)) + 1):
                    for c in range(c0, min(c1, c0 + 64) + 1):
                        if (r, c) != (r0, c0):
                            top[(r, c)] = (r0, c0)
            self._merge_top = top
        return self._merge_top.get((row, col), (row, col))

    def is_merged_continuation(self, row: int, col: int) -> bool:
        return self.top_left(row, col) != (row, col)

    def nothing_to_explain(self) -> bool:
        """True when it is known that no blank cell of this sheet is a formula or an error value
        (no lookup, or a lookup that has looked and found none)."""
        return self.formula_at is None or getattr(self.formula_at, "cells", None) == {}

    def formula(self, row: int, col: int) -> str | None:
        """Formula text of a blank cell whose result was not saved."""
        info = self.formula_at(row, col) if self.formula_at is not None else None
        return info[1] if info and info[0] == "formula" else None

    def error(self, row: int, col: int) -> str | None:
        """Error value (#DIV/0!, #REF!, ...) of a cell that reads as blank."""
        info = self.formula_at(row, col) if self.formula_at is not None else None
        return info[1] if info and info[0] == "error" else None
