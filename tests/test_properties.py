"""Properties (hypothesis): random valid tables read back exactly; one injected fault is found alone.

Each example writes a real .xlsx in the familiar layout (merged blocks, 合计 row) and reads it
back through the same path as `xladdin check`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xladdin import DEFAULT_GRADING, check_file
from xladdin.kinds.department.framework import Leaf, Level
from xladdin.outputs.layout import fill_values, write_table

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def frameworks(draw):
    """A random 2- or 3-level framework totalling 100, with rows that may stop at level 2."""
    n = draw(st.integers(2, 24))
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=n - 1, max_size=n - 1)))
    weights = [b - a for a, b in zip([0] + cuts, cuts + [100])]
    three = draw(st.booleans())
    leaves: list[Leaf] = []
    i = 0
    l1 = 0
    while i < len(weights):
        l1 += 1
        n2 = draw(st.integers(1, 3))
        group1 = []
        for _ in range(n2):
            if i >= len(weights):
                break
            k = draw(st.integers(0, 4)) if three else draw(st.integers(1, 4))
            take = weights[i:i + max(k, 1)]
            i += len(take)
            group1.append((k, take))
        w1 = sum(sum(t) for _, t in group1)
        for j, (k, take) in enumerate(group1, 1):
            w2 = sum(take)
            name2 = f"二级{l1}-{j}"
            if three and k > 0:
                for m, w in enumerate(take, 1):
                    leaves.append(Leaf((Level(f"一级指标{l1}", w1), Level(name2, w2), Level(f"三级{l1}-{j}-{m}", w))))
            elif three:
                leaves.append(Leaf((Level(f"一级指标{l1}", w1), Level(name2, w2))))
            else:
                for m, w in enumerate(take, 1):
                    leaves.append(Leaf((Level(f"一级指标{l1}", w1), Level(f"{name2}-{m}", w))))
    deductions = {}
    for leaf in leaves:
        halves = draw(st.integers(0, int(leaf.weight * 2)))
        if halves:
            deductions[leaf.path] = halves / 2
    return three, tuple(leaves), deductions


def write(three, leaves, deductions, edit=None) -> Path:
    cols = (("name:1", "weight:1", "name:2", "weight:2", "name:3", "weight:3", "deduction", "score") if three
            else ("name:1", "weight:1", "name:2", "weight:2", "deduction", "score"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    geo = write_table(ws, leaves, columns=cols, title="表1 测试县测试局2024年度部门整体支出绩效评价指标评分表")
    fill_values(ws, geo, leaves, deductions)
    if edit:
        edit(ws, geo)
    path = Path(tempfile.mkdtemp()) / "t.xlsx"
    wb.save(path)
    return path


@SETTINGS
@given(frameworks())
def test_valid_tables_read_back_exactly(fw):
    three, leaves, deductions = fw
    r = check_file(write(three, leaves, deductions))
    assert r.issues == []
    got = [(leaf.path, leaf.weight) for leaf in r.table.leaves()]
    assert got == [(leaf.path, leaf.weight) for leaf in leaves]
    expected = sum(leaf.weight - deductions.get(leaf.path, 0) for leaf in leaves)
    assert abs(r.total_score - expected) < 1e-9
    assert r.grade == DEFAULT_GRADING.grade(expected)
    assert (r.table.unit, r.table.year) == ("测试县测试局", 2024)


FAULTS = ("subtotal", "deduction", "score", "blank")


@SETTINGS
@given(frameworks(), st.sampled_from(FAULTS), st.data())
def test_one_injected_fault_is_reported_alone_at_its_cell(fw, fault, data):
    three, leaves, deductions = fw
    expected: list[tuple[str, str]] = []

    def edit(ws, geo):
        cols = geo.columns
        if fault == "subtotal":
            parents = [(p, span) for p, span in geo.blocks.items()
                       if len(p) < (3 if three else 2) and any(len(q) > len(p) and q[:len(p)] == p for q in geo.blocks)]
            path, (r0, _) = data.draw(st.sampled_from(parents))
            col = cols[f"weight:{len(path)}"]
            ws.cell(r0, col, ws.cell(r0, col).value + data.draw(st.integers(1, 5)))
            expected.append(("weight-sum", geo.cell(f"weight:{len(path)}", r0)))
            if len(path) == 1:
                expected.append(("total-weight", geo.cell("weight:1", geo.totals_row)))
            return
        i = data.draw(st.integers(0, len(leaves) - 1))
        leaf, r = leaves[i], geo.leaf_rows[i]
        w, d = leaf.weight, deductions.get(leaf.path, 0)
        if fault == "deduction":
            ws.cell(r, cols["deduction"], w + data.draw(st.integers(1, 5)))
            expected.append(("deduction-range", geo.cell("deduction", r)))
        elif fault == "score":
            ws.cell(r, cols["deduction"], d)  # written, even 0: a blank 扣分 would make any 得分 consistent
            ws.cell(r, cols["score"], 0 if w - d > 0 else w)
            expected.append(("score-mismatch", geo.cell("score", r)))
        else:
            ws.cell(r, cols["deduction"]).value = None  # ws.cell(r, c, None) would not clear it
            ws.cell(r, cols["score"]).value = None
            expected.append(("missing-value", geo.cell("score", r)))

    r = check_file(write(three, leaves, deductions, edit))
    assert sorted((i.code, i.cell) for i in r.issues) == sorted(expected)
