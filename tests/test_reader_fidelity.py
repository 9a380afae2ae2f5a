"""The fast reader (python-calamine) sees exactly what openpyxl sees, value for value.

Run over every workbook the tests ship plus generated variants, so a calamine upgrade that changes
what we read fails here rather than in a consolidation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from builders import seed_like, two_level_framework, wps_like_xlsx

from xladdin import UnreadableError
from xladdin.reading.workbook import Workbook

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def corpus(tmp: Path) -> list[Path]:
    files = sorted(DATA.glob("*.xlsx")) + sorted(DATA.glob("*.xlsm"))
    files += sorted((ROOT / "workbooks").rglob("*.xlsx"))
    files.append(seed_like(tmp / "merged.xlsx"))
    files.append(seed_like(tmp / "plain.xlsx", merge=False))
    files.append(seed_like(tmp / "two.xlsx", leaves=two_level_framework(),
                           columns=("name:1", "weight:1", "name:2", "weight:2", "deduction", "score")))

    def odd(ws, geo):
        ws["F3"] = "1"
        ws["F4"] = " 2 "
        ws["H5"] = 1.9999999999
        ws["G6"] = True
        ws["H7"] = dt.date(2023, 5, 1)
        ws["I3"] = "扣分原因：材料不全\n第二行"

    files.append(seed_like(tmp / "odd.xlsx", edit=odd))
    files.append(wps_like_xlsx(tmp / "wps.xlsx", [["一级指标", "分值", "得分"], ["决策", 100, 90.5]], ["A1:A2"]))
    return files


def norm(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


def test_calamine_grid_equals_openpyxl_cell_for_cell(tmp_path):
    files = corpus(tmp_path)
    assert len(files) >= 8
    for path in files:
        try:
            wb = openpyxl.load_workbook(path, data_only=True)
        except Exception:
            # a deliberately broken sample: the fast reader must refuse it too
            with pytest.raises(UnreadableError):
                Workbook(path).grid(Workbook(path).sheets[0].name)
            continue
        with Workbook(path) as fast:
            for ws in wb.worksheets:
                grid = fast.grid(ws.title)
                slow = {(c.row - 1, c.column - 1): norm(c.value) for row in ws.iter_rows() for c in row
                        if norm(c.value) is not None}
                quick = {(r, c): norm(v) for r, row in enumerate(grid.rows) for c, v in enumerate(row)
                         if norm(v) is not None}
                assert quick == slow, f"{path.name}!{ws.title}"
                merged_slow = sorted((m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                                     for m in ws.merged_cells.ranges)
                assert sorted(grid.merged) == merged_slow, f"{path.name}!{ws.title} merges"
                info = next(s for s in fast.sheets if s.name == ws.title)
                assert info.visible == (ws.sheet_state == "visible")


@pytest.mark.parametrize("name", ["seed-yongjing-2023.xls"])
def test_legacy_xls_matches_its_xlsx_original(name):
    with Workbook(DATA / name) as xls, Workbook(DATA / "seed-yongjing-2023.xlsx") as xlsx:
        a, b = xls.grid("表1"), xlsx.grid("表1")
        assert [[norm(v) for v in row] for row in a.rows] == [[norm(v) for v in row] for row in b.rows]
        assert sorted(a.merged) == sorted(b.merged)
