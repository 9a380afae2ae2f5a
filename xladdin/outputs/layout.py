"""Writing the familiar scoring-table layout with openpyxl.

一级指标｜分值｜二级指标｜分值｜三级指标｜分值｜扣分｜得分 (plus optional text columns), vertically
merged blocks, title and header lines above, a 合计 row below. Shared by the template writer, the
sample generator and the tests: they differ only in what they put in 扣分/得分 and the totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xladdin.kinds.department.framework import Leaf
from xladdin.outputs.toolkit import put

HEADERS = {
    "name:1": "一级指标", "weight:1": "分值",
    "name:2": "二级指标", "weight:2": "分值",
    "name:3": "三级指标", "weight:3": "分值",
    "deduction": "扣分", "score": "得分",
    "criteria": "评分标准", "reason": "扣分原因",
}
DEFAULT_COLUMNS: tuple[str, ...] = ("name:1", "weight:1", "name:2", "weight:2", "name:3", "weight:3", "deduction",
                                   "score")


@dataclass(slots=True)
class Geometry:
    """Where things landed (1-based rows and columns, as openpyxl counts)."""

    columns: dict[str, int]
    header_row: int
    first_row: int
    leaf_rows: list[int] = field(default_factory=list)
    # path (tuple of names down to a node) -> (first_row, last_row) of its block
    blocks: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict)
    totals_row: int | None = None
    title_row: int | None = None

    def col_letter(self, role: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.columns[role])

    def cell(self, role: str, row: int) -> str:
        return f"{self.col_letter(role)}{row}"

    def blocks_at(self, level: int) -> list[tuple[tuple[str, ...], tuple[int, int]]]:
        return [(p, span) for p, span in self.blocks.items() if len(p) == level]


def write_table(
    ws: Any,
    leaves: Sequence[Leaf],
    *,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    headers: dict[str, str] | None = None,
    title: str | None = None,
    info_lines: Sequence[tuple[str, Any]] = (),
    merge: bool = True,
    totals_label: str | None = "合计",
    start_row: int = 1,
    criteria: bool = True,
) -> Geometry:
    """Write the framework's names and weights; return where every row and block is.

    ``info_lines`` are (label, value) lines under the title, e.g. ("单位名称", "某某局").
    Deductions, scores, reasons and totals values are left to the caller. Every text is written as
    text (:func:`~xladdin.outputs.toolkit.put`): an indicator named "=1+1" is never a formula.
    """
    heads = dict(HEADERS)
    heads.update(headers or {})
    cols = {role: i + 1 for i, role in enumerate(columns)}
    r = start_row
    title_row = None
    if title:
        put(ws.cell(r, 1), title)
        title_row = r
        if merge and len(columns) > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(columns))
        r += 1
    for label, value in info_lines:
        put(ws.cell(r, 1), f"{label}：")
        put(ws.cell(r, 2), value)
        r += 1
    header_row = r
    for role, c in cols.items():
        put(ws.cell(r, c), heads[role])
    r += 1
    geo = Geometry(cols, header_row, r, title_row=title_row)
    depth = max(len(leaf.levels) for leaf in leaves) if leaves else 3
    depth = min(depth, max(int(k.split(":")[1]) for k in cols if k.startswith("name:")))
    for leaf in leaves:
        geo.leaf_rows.append(r)
        for k, lv in enumerate(leaf.levels[:depth], 1):
            path = leaf.path[:k]
            if path in geo.blocks:
                geo.blocks[path] = (geo.blocks[path][0], r)
                continue
            geo.blocks[path] = (r, r)
            if f"name:{k}" in cols:
                put(ws.cell(r, cols[f"name:{k}"]), lv.name)
            if f"weight:{k}" in cols:
                ws.cell(r, cols[f"weight:{k}"], lv.weight)
        if criteria and "criteria" in cols and leaf.criteria:
            put(ws.cell(r, cols["criteria"]), leaf.criteria)
        r += 1
    if merge:
        for path, (r0, r1) in geo.blocks.items():
            k = len(path)
            if r1 <= r0:
                continue
            for role in (f"name:{k}", f"weight:{k}"):
                if role in cols:
                    c = cols[role]
                    ws.merge_cells(start_row=r0, start_column=c, end_row=r1, end_column=c)
    if totals_label:
        put(ws.cell(r, 1), totals_label)
        geo.totals_row = r
    return geo


def fill_values(ws: Any, geo: Geometry, leaves: Sequence[Leaf], deductions: dict[tuple[str, ...], float],
                *, blank_zero: bool = True, totals: bool = True) -> float:
    """Write 扣分 (blank where none, as clerks do) and 得分 as plain numbers; return the total score."""
    total = 0.0
    total_d = 0.0
    for leaf, r in zip(leaves, geo.leaf_rows):
        d = float(deductions.get(leaf.path, 0))
        if "deduction" in geo.columns and (d or not blank_zero):
            ws.cell(r, geo.columns["deduction"], d)
        ws.cell(r, geo.columns["score"], leaf.weight - d)
        total += leaf.weight - d
        total_d += d
    if totals and geo.totals_row:
        tr = geo.totals_row
        for role, c in geo.columns.items():
            if role.startswith("weight:"):
                level = int(role.split(":")[1])
                seen: dict[tuple[str, ...], float] = {}
                for leaf in leaves:
                    lv = leaf.levels[: level]
                    seen[tuple(x.name for x in lv)] = lv[-1].weight
                ws.cell(tr, c, sum(seen.values()))
            elif role.startswith("name:") and c != 1:
                ws.cell(tr, c, "-")
        if "deduction" in geo.columns:
            ws.cell(tr, geo.columns["deduction"], total_d)
        ws.cell(tr, geo.columns["score"], total)
    return total
