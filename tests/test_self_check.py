"""The 自查 sheet's formulas stay within what Excel 2010, WPS and LibreOffice all calculate (no dynamic
arrays, LET, FILTER, TEXTJOIN, IFS, …), within Excel's limits, and the sheet does not confuse the reader.
(The LibreOffice comparison with ``xladdin check`` is tests/test_self_check_libreoffice.py.)"""

from __future__ import annotations

import re

import pytest

from xladdin.engine import check_file
from xladdin.kinds.department.framework import Leaf, Level
from xladdin.outputs.self_check import FIRST, LIST_MAX, SHEET
from xladdin.outputs.template import write_template

# every function the sheet may use: all in Excel 2007+, WPS and LibreOffice
ALLOWED = {"ABS", "AND", "CHOOSE", "COUNT", "HYPERLINK", "IF", "IFERROR", "INDEX", "ISERROR", "ISNUMBER", "ISTEXT",
           "LEN", "MATCH", "N", "NOT", "OR", "ROUND", "ROW", "SUM", "SUMPRODUCT", "TRIM", "VALUE"}
MIXED = (Leaf((Level("决策", 20), Level("目标", 20))),
         Leaf((Level("产出", 80), Level("数量", 50), Level("完成率", 50))),
         Leaf((Level("产出", 80), Level("质量", 30))))


def _formulas(wb):
    for ws in (wb[SHEET], wb["评分表"]):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    yield ws.title, cell.coordinate, cell.value


@pytest.mark.parametrize("leaves", [None, MIXED], ids=["seed", "mixed-depth"])
def test_only_functions_every_spreadsheet_program_has(leaves):
    wb, info = write_template(None, **({"leaves": leaves} if leaves else {}))
    used = set()
    for title, ref, f in _formulas(wb):
        body = re.sub(r'"(?:[^"]|"")*"', '""', f)  # not the texts
        body = re.sub(r"'(?:[^']|'')*'!", "", body)  # nor the sheet names
        used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", body))
        assert len(f) < 8192, (title, ref, len(f))  # Excel's formula length limit
        depth = level = 0
        for ch in body:
            level += ch == "("
            level -= ch == ")"
            depth = max(depth, level)
        assert depth <= 40, (title, ref, depth)  # Excel allows 64 levels of nesting
    assert used - ALLOWED == set(), used - ALLOWED


def test_the_sheet_layout():
    wb, info = write_template(None)
    ws = wb[SHEET]
    assert wb.sheetnames[:2] == ["评分表", SHEET] and wb.active.title == "评分表"
    assert [ws.cell(FIRST - 1, c).value for c in range(1, 6)] == ["序号", "单元格", "级别", "说明", "代码"]
    assert ws["A2"].value.startswith("=IF(") and ws.protection.sheet
    assert ws.print_area is not None and str(FIRST + LIST_MAX) in str(ws.print_area)
    hidden = [c for c, d in ws.column_dimensions.items() if d.hidden]
    assert hidden and all(c > "E" for c in hidden)
    # one helper row per candidate problem: 5 per indicator, the parents, the totals and the header fields
    n_leaves = len(info.leaves)
    helpers = [r for r in range(FIRST, ws.max_row + 1) if ws[f"P{r}"].value]
    parents = len([p for p in info.geometry.blocks if any(len(q) > len(p) and q[:len(p)] == p
                                                          for q in info.geometry.blocks)])
    depth = max(len(leaf.levels) for leaf in info.leaves)
    totals = 1 + 2 * (depth - 1 + 2) + 2  # 分值合计 100; error value or mismatch per 合计 column; 综合得分, 等级
    assert len(helpers) == 2 + 5 * n_leaves + parents + totals
    status = wb["评分表"].cell(2, info.geometry.columns["criteria"])
    assert status.value.startswith("=HYPERLINK(\"#'自查'!A5\",") and status.hyperlink is None


def test_the_reader_takes_the_scoring_sheet_not_the_self_check(tmp_path):
    write_template(tmp_path / "t.xlsx", unit="某局", year=2023)
    report = check_file(tmp_path / "t.xlsx")
    assert report.table is not None and report.table.sheet == "评分表" and report.total_score == 100
    assert {i.code for i in report.issues} <= {"formula-no-value"}  # written by openpyxl: no cached results
