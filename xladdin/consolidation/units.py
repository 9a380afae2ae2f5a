"""Which units a summary lists: every unit that submitted anything, scored or not, and — given an
expected-units list (``--units 单位名单.xlsx|.csv``) — the units that sent nothing (未报送) and the
files whose unit is not on the list (``unit-not-expected``).

:func:`load_units` reads the list (a file: the only I/O here); :func:`match_expected` and
:func:`unscored_units` are pure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xladdin.consolidation.model import Entry, Summary, name_key
from xladdin.errors import ConfigError

NOT_SUBMITTED = "not-submitted"  # the status key of a unit on the list with no file
NOT_SUBMITTED_LABEL = "未报送"
NOT_SUBMITTED_MESSAGE = "单位名单中有这个单位，但没有找到它报送的文件。"

# A header cell naming the column of unit names (the first such column is taken).
_UNIT_HEADER = re.compile(r"单位|部门|名称")
_NOT_A_NAME = re.compile(r"^(序号|编号|合计|小计|备注)$|^\d+$")


def load_units(path: str | os.PathLike[str]) -> list[str]:
    """The unit names of an expected-units list: a .csv/.txt (UTF-8 or GBK) or a workbook (its first
    visible sheet). The column headed 单位/部门/名称 is taken, else the first column holding text;
    blanks, a header, numbers and repeats are skipped. Raises ConfigError with a Chinese message."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"找不到单位名单“{p}”。")
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        rows = _csv_rows(p)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        rows = _workbook_rows(p)
    else:
        raise ConfigError(f"单位名单“{p.name}”应为 .xlsx、.xls 或 .csv 文件。")
    names = _names(rows)
    if not names:
        raise ConfigError(f"单位名单“{p.name}”里没有找到单位名称（每行一个单位，或有一列表头为“单位名称”）。")
    return names


def _csv_rows(p: Path) -> list[list[str]]:
    import csv
    import io

    data = p.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ConfigError(f"单位名单“{p.name}”的编码无法识别，请另存为 UTF-8 的 CSV。")
    return [row for row in csv.reader(io.StringIO(text))]


def _workbook_rows(p: Path) -> list[list[str]]:
    from xladdin.errors import XladdinError
    from xladdin.reading.workbook import Workbook

    try:
        with Workbook(p) as wb:
            sheets = [s for s in wb.sheets if s.visible] or list(wb.sheets)
            if not sheets:
                return []
            grid = wb.grid(sheets[0].name)
            return [["" if v is None else str(v) for v in row] for row in grid.rows]
    except XladdinError as exc:
        raise ConfigError(f"单位名单“{p.name}”无法读取：{exc.message}") from None


def _names(rows: list[list[str]]) -> list[str]:
    rows = [[c.strip() for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    col, start = None, 0
    for i, row in enumerate(rows[:5]):  # a header within the first rows names the column
        hit = next((j for j, c in enumerate(row) if _UNIT_HEADER.search(c) and len(c) <= 8), None)
        if hit is not None:
            col, start = hit, i + 1
            break
    if col is None:  # no header: the first column that holds text
        col = next((j for j in range(max(map(len, rows)))
                    if any(j < len(r) and r[j] and not _NOT_A_NAME.match(r[j]) for r in rows)), 0)
    out: list[str] = []
    seen: set[str] = set()
    for row in rows[start:]:
        name = row[col] if col < len(row) else ""
        if not name or _NOT_A_NAME.match(name):
            continue
        k = name_key(name)
        if k not in seen:
            seen.add(k)
            out.append(name)
    return out


class Expected:
    """An expected-units list, matched by normalised name; a name may also match the end of a longer
    one ("教育局" on the list, "永靖县教育局" in the table)."""

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.by_key = {name_key(n): n for n in self.names}
        self.longest_first = sorted(self.by_key.items(), key=lambda kv: -len(kv[0]))

    def match(self, unit: str | None) -> str | None:
        if not unit:
            return None
        k = name_key(unit)
        if k in self.by_key:
            return self.by_key[k]
        for ek, name in self.longest_first:
            if len(ek) >= 2 and len(k) >= 2 and (k.endswith(ek) or ek.endswith(k)):
                return name
        return None

    def in_file_name(self, file_name: str) -> str | None:
        """The longest listed name the file's name contains (a file that could not be read)."""
        k = name_key(Path(file_name).stem)
        return next((name for ek, name in self.longest_first if len(ek) >= 2 and ek in k), None)


def unit_from_filename(file_name: str) -> str:
    """A unit name guessed from a file's name: the part before the year or before "部门整体…/绩效…/
    评分表" (permissive: shown only for files that could not be read)."""
    stem = Path(file_name).stem
    stem = re.sub(r"[（(][^）)]*[)）]", "", stem)
    cut = re.search(r"(19|20)\d\d|部门整体|整体支出|绩效|评分表|自评|基本情况|[-_—\s]", stem)
    guess = stem[:cut.start()] if cut else stem
    return guess.strip(" _-—.") or stem


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit listed in 汇总 without a score: its file could not be used, or it sent none."""

    unit: str
    status: str  # "unreadable", "not-scoring-table" or NOT_SUBMITTED
    entry: Entry | None  # the file (None: not submitted)


def unit_of_unusable(e: Entry, expected: Expected | None) -> str:
    """The unit an unreadable / not-a-scoring-table file belongs to, as well as can be told."""
    if e.unit:
        return e.unit
    if expected is not None:
        listed = expected.in_file_name(e.display)
        if listed:
            return listed
    return unit_from_filename(e.display)


def unscored_units(summary: Summary) -> list[UnitRow]:
    """The units 汇总 lists after the ranked ones: one row per unit none of whose files could be
    scored (its first unusable file), then the listed units that sent nothing."""
    expected = Expected(summary.expected) if summary.expected is not None else None
    seen = {name_key(e.unit_shown) for e in summary.entries if e.readable and e.unit_shown}
    rows: list[UnitRow] = []
    for e in summary.entries:
        if e.status not in ("unreadable", "not-scoring-table"):
            continue
        unit = unit_of_unusable(e, expected)
        k = name_key(unit)
        if k in seen:
            continue
        seen.add(k)
        rows.append(UnitRow(unit, e.status, e))
    rows += [UnitRow(u, NOT_SUBMITTED, None) for u in summary.missing_units]
    return rows


__all__ = ["load_units", "Expected", "unit_from_filename", "UnitRow", "unit_of_unusable", "unscored_units",
           "NOT_SUBMITTED", "NOT_SUBMITTED_LABEL", "NOT_SUBMITTED_MESSAGE"]
