"""Every check, on generated tables with one known fault: exact codes, cells and figures."""

from __future__ import annotations

import pytest
from builders import grid_workbook, seed_like

from xladdin import Grading, check_file
from xladdin.core.grid import Grid
from xladdin.engine import evaluate
from xladdin.kinds.department.parse import parse_grid


def issues(report):
    return sorted((i.code, i.severity, i.cell) for i in report.issues)


def checked(tmp_path, edit=None, **kw):
    return check_file(seed_like(tmp_path / "t.xlsx", edit=edit, **kw))


def set_cells(**cells):
    def edit(ws, geo):
        for ref, v in cells.items():
            ws[ref] = v
    return edit


def test_level2_subtotal_wrong_is_reported_once_where_it_is(tmp_path):
    # D3 部门年度计划 = 4 while its leaves add to 3; 部门规划 (15) still agrees with its leaves.
    r = checked(tmp_path, set_cells(D3=4))
    assert issues(r) == [("weight-sum", "error", "D3")]
    i = r.issues[0]
    assert (i.expected, i.actual, i.path) == (3, 4, ("部门规划", "部门年度计划"))
    assert "部门年度计划" in i.message and "4" in i.message and "3" in i.message


def test_leaf_weight_wrong_blames_its_parent_only(tmp_path):
    # F3 = 2 (weight of 部门年度计划合理性): 部门年度计划 (3) no longer matches 2 + 2;
    # the score 1 is then still within range, and the totals stay explained.
    r = checked(tmp_path, set_cells(F3=2))
    assert issues(r) == [("total-mismatch", "error", "F44"), ("weight-sum", "error", "D3")]


def test_level1_weight_wrong_gives_weight_sum_and_total_weight(tmp_path):
    r = checked(tmp_path, set_cells(B16=42))
    assert issues(r) == [("total-weight", "error", "B44"), ("weight-sum", "error", "B16")]


def test_total_weight_without_totals_row_expects_100(tmp_path):
    r = checked(tmp_path, set_cells(B16=42), totals=False)
    tw = [i for i in r.issues if i.code == "total-weight"]
    assert [(i.cell, i.expected, i.actual) for i in tw] == [("B2", 100, 98)]


def test_consistent_table_not_summing_to_100_is_a_warning(tmp_path):
    # every level consistent, 合计 says 98, but a table must total 100
    r = checked(tmp_path, set_cells(B43=3, D43=3, H43=3, B44=98, D44=98, F44=98, H44=93))
    assert issues(r) == [("total-weight", "warning", "B44")]


def test_deduction_above_weight(tmp_path):
    r = checked(tmp_path, set_cells(G5=5))
    assert issues(r) == [("deduction-range", "error", "G5")]
    assert r.issues[0].expected == "0–3" and r.issues[0].actual == 5


def test_negative_deduction(tmp_path):
    r = checked(tmp_path, set_cells(G4=-1))
    assert issues(r) == [("deduction-range", "error", "G4")]


def test_score_above_weight(tmp_path):
    r = checked(tmp_path, set_cells(H3=2))
    assert ("score-range", "error", "H3") in issues(r)
    assert [c for c, *_ in issues(r)].count("score-range") == 1


def test_score_mismatch(tmp_path):
    r = checked(tmp_path, set_cells(H5=3))  # 3 - 1 should be 2
    assert issues(r) == [("score-mismatch", "error", "H5")]
    assert (r.issues[0].expected, r.issues[0].actual) == (2, 3)
    assert r.total_score == 96  # the score column is what is graded


def test_blank_leaf_is_missing_not_full_marks(tmp_path):
    r = checked(tmp_path, set_cells(G5=None, H5=None))
    assert issues(r) == [("missing-value", "error", "H5")]
    assert r.total_score == 93  # 95 minus the 2 that stood there: never counted as full marks


def test_blank_weight_is_missing(tmp_path):
    r = checked(tmp_path, set_cells(F4=None))
    assert ("missing-value", "error", "F4") in issues(r)


def test_deduction_given_score_blank_is_computed(tmp_path):
    r = checked(tmp_path, set_cells(H5=None))
    assert (r.issues, r.total_score) == ([], 95)


def test_totals_row_mismatch(tmp_path):
    r = checked(tmp_path, set_cells(H44=96, G44=4, D44=99))
    assert issues(r) == [("total-mismatch", "error", "D44"), ("total-mismatch", "error", "G44"),
                         ("total-mismatch", "error", "H44")]
    h = next(i for i in r.issues if i.cell == "H44")
    assert (h.expected, h.actual) == (95, 96)


def test_level3_column_total_counts_rows_that_stop_at_level2(tmp_path):
    r = checked(tmp_path, set_cells(F44=93))  # 93 = only true level-3 rows: wrong, the 合计 counts 基础管理 2 + 满意度 5
    assert issues(r) == [("total-mismatch", "error", "F44")]
    assert r.issues[0].expected == 100


def test_duplicate_indicator(tmp_path):
    r = checked(tmp_path, set_cells(E4="部门年度计划合理性", F4=1, H4=1, F3=2, H3=2))
    assert ("duplicate-indicator", "error", "E4") in issues(r)


def test_every_issue_is_collected(tmp_path):
    r = checked(tmp_path, set_cells(D3=4, G5=5, H6=9, E8="预算安排保障率", F9="三", G10=None, H10=None, H44=90))
    found = {(c, cell) for c, _, cell in issues(r)}
    assert {("weight-sum", "D3"), ("deduction-range", "G5"), ("score-range", "H6"), ("bad-number", "F9"),
            ("missing-value", "H10")} <= found


# -- stated total and grade near the table -----------------------------------------------------

def _stated(*rows):
    def edit(ws, geo):
        r = geo.totals_row + 2
        for row in rows:
            for c, v in enumerate(row, 1):
                ws.cell(r, c, v)
            r += 1
    return edit


def test_stated_grade_and_total_that_agree(tmp_path):
    r = checked(tmp_path, _stated(["评价等级：优秀"], ["综合得分95分"]))
    assert r.issues == []
    assert (r.table.stated_grade.value, r.table.stated_total.value) == ("优秀", 95)
    assert r.table.stated_grade.cell == "A46"


def test_stated_grade_that_disagrees(tmp_path):
    r = checked(tmp_path, _stated(["评价等级：良好"]))
    assert issues(r) == [("grade-mismatch", "error", "A46")]
    assert r.issues[0].expected == "优"


def test_stated_total_that_disagrees(tmp_path):
    r = checked(tmp_path, _stated(["综合得分：90分"]))
    assert issues(r) == [("total-mismatch", "error", "A46")]


def test_grade_in_a_label_and_value_pair(tmp_path):
    r = checked(tmp_path, _stated(["总分", 95, "等级", "良"]))
    assert issues(r) == [("grade-mismatch", "error", "D46")]
    assert r.table.stated_total.cell == "B46"


def test_stated_grade_matches_by_meaning(tmp_path):
    for word, ok in (("优", True), ("优秀", True), ("良好", False), ("合格", False), ("不合格", False)):
        r = checked(tmp_path, _stated([f"评价结果：{word}"]))
        assert (r.issues == []) is ok, word


# -- grading -----------------------------------------------------------------------------------

@pytest.mark.parametrize("score,grade", [(100, "优"), (90, "优"), (89.999, "良"), (80, "良"), (79.99, "中"),
                                         (60, "中"), (59.9, "差"), (0, "差")])
def test_default_bands(score, grade):
    assert Grading().grade(score) == grade


def test_never_round_before_grading(tmp_path):
    # 89.996 would round to 90.00, but it is below 90: 良
    rows = [["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            ["决策", 50, "目标", 50, 10.004, 39.996],
            ["效益", 50, "满意度", 50, None, 50]]
    r = check_file(grid_workbook(tmp_path / "t.xlsx", rows))
    assert (r.total_score, r.grade) == (pytest.approx(89.996), "良")


def test_configurable_bands_and_labels():
    g = Grading.parse("85:A,70:B,0:C")
    assert [g.grade(x) for x in (85, 84.9, 70, 10)] == ["A", "B", "B", "C"]
    assert Grading().normalize("中等") == "中" and Grading().normalize("不合格") == "差"


def test_grading_file(tmp_path):
    p = tmp_path / "bands.json"
    p.write_text('{"bands": [[95, "优"], [85, "良"], [60, "中"], [0, "差"]]}', encoding="utf-8")
    g = Grading.load(p)
    assert g.grade(94) == "良"


# -- the core is pure: a grid of plain values is enough ----------------------------------------

def test_parse_grid_from_plain_values():
    rows = [["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            ["决策", 40.0, "目标设定", 20.0, None, 20.0],
            [None, None, "决策程序", 20.0, 2.0, 18.0],
            ["效益", 60.0, "满意度", 60.0, None, 60.0]]
    t = parse_grid(Grid("Sheet1", rows, [(1, 0, 2, 0), (1, 1, 2, 1)]))
    r = evaluate(t)
    assert (r.total_score, r.grade, r.issues) == (98, "优", [])
