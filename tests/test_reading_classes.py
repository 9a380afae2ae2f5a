"""Every class of real-table problem of issue 11 (读懂真实报送的评分表), on generated workbooks: exact
totals, codes and cells. The base table (two levels, total 94 of 100):

    一级指标 | 分值 | 二级指标 | 分值 | 扣分 | 得分
    决策     | 30   | 目标设定 | 10   | 0    | 10
             |      | 决策程序 | 20   | 2    | 18
    过程     | 40   | 资金管理 | 20   | 1    | 19
             |      | 组织实施 | 20   | 0    | 20
    产出     | 30   | 产出数量 | 30   | 3    | 27
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import grid_workbook

from xladdin import check_file, read_table
from xladdin.core.numbers import clean_text, parse_number, squash

HEADER = ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"]
TITLE = "表1 永靖县财政局2023年度部门整体支出绩效评价指标评分表"
BODY = [
    ["决策", 30, "目标设定", 10, 0, 10],
    [None, None, "决策程序", 20, 2, 18],
    ["过程", 40, "资金管理", 20, 1, 19],
    [None, None, "组织实施", 20, 0, 20],
    ["产出", 30, "产出数量", 30, 3, 27],
]
TOTALS = ["合计", 100, None, 100, 6, 94]


def codes(report):
    return sorted((i.code, i.cell) for i in report.issues)


def table(tmp_path: Path, body=BODY, *, above=(TITLE,), header=HEADER, totals=TOTALS, below=(), merges=(),
          name="t.xlsx"):
    rows = [[line] if isinstance(line, str) else list(line) for line in above]
    rows += [list(header)] + [list(r) for r in body]
    if totals is not None:
        rows.append(list(totals))
    rows += [[line] if isinstance(line, str) else list(line) for line in below]
    return grid_workbook(tmp_path / name, rows, merges)


def test_the_base_table_is_clean(tmp_path):
    r = check_file(table(tmp_path))
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    assert (r.table.unit, r.table.year) == ("永靖县财政局", 2023)


# -- 1. unit and year lines ----------------------------------------------------------------------

@pytest.mark.parametrize("above, unit, year", [
    (["永靖县财政局部门整体支出绩效自评表", "（2022年度）"], "永靖县财政局", 2022),
    (["2023年度永靖县财政局部门整体支出绩效自评得分表"], "永靖县财政局", 2023),
    (["二〇二三年度永靖县财政局部门整体支出绩效评价表"], "永靖县财政局", 2023),
    (["部门整体支出绩效评价指标评分表", "填报单位（盖章）：永靖县财政局"], "永靖县财政局", None),
    (["部门整体支出绩效评价指标评分表", ["单位名称（盖章）：", "永靖县财政局"]], "永靖县财政局", None),
    (["部门整体支出绩效评价指标评分表", ["主管部门及代码", "801-永靖县财政局"]], "永靖县财政局", None),
    ([TITLE, "单位：万元"], "永靖县财政局", 2023),
    ([TITLE, "单位：分"], "永靖县财政局", 2023),
    (["部门整体支出绩效评价指标评分表", "填报单位：永靖县财政局  填报日期：2024年3月"], "永靖县财政局", None),
    (["部门整体支出绩效评价指标评分表", ["评价年度：", "2023年"], "填报日期：2024年3月5日"], None, 2023),
    (["部门整体支出绩效评价指标评分表", "单位名称（盖章）：", "填报日期：2024年3月5日"], None, None),
])
def test_unit_and_year_lines(tmp_path, above, unit, year):
    t = read_table(table(tmp_path, above=above))
    assert (t.unit, t.year) == (unit, year)


def test_a_folder_of_blank_unit_labels_keeps_every_unit(tmp_path):
    from xladdin.consolidation.run import consolidate_files

    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("永靖县财政局", "永靖县教育局", "永靖县卫健局"):
        table(folder, above=["部门整体支出绩效评价指标评分表", ["单位名称（盖章）：", name], "2023年度"],
              name=f"{name}.xlsx")
    summary = consolidate_files([folder], None)
    assert sorted(e.unit for e in summary.entries) == ["永靖县卫健局", "永靖县教育局", "永靖县财政局"]
    assert not [i for e in summary.entries for i in e.issues if i.code == "duplicate"]


def test_a_blank_unit_label_says_unit_missing_instead_of_inventing_one(tmp_path):
    from xladdin.consolidation.run import consolidate_files

    folder = tmp_path / "报送"
    folder.mkdir()
    for name in ("甲", "乙"):
        table(folder, above=["部门整体支出绩效评价指标评分表", "单位名称（盖章）：", "2023年度"], name=f"{name}.xlsx")
    summary = consolidate_files([folder], None)
    assert [e.unit for e in summary.entries] == [None, None]
    assert sorted(e.unit_shown for e in summary.entries) == ["乙", "甲"]
    assert [[i.code for i in e.issues] for e in summary.entries] == [["unit-missing"], ["unit-missing"]]


# -- 2. subtotal rows ----------------------------------------------------------------------------

def _with_subtotals(score_of_second: float = 39):
    return [BODY[0], BODY[1], ["小计", 30, None, 30, 2, 28], BODY[2], BODY[3],
            [None, None, "小计", 40, 1, score_of_second], BODY[4], ["小计", 30, None, 30, 3, 27]]


def test_subtotal_rows_are_not_indicators(tmp_path):
    r = check_file(table(tmp_path, _with_subtotals()))
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    assert [n.name for n in r.table.roots] == ["决策", "过程", "产出"]
    assert len(list(r.table.leaves())) == 5


def test_a_wrong_subtotal_is_a_total_mismatch_on_its_cell(tmp_path):
    r = check_file(table(tmp_path, _with_subtotals(score_of_second=38)))
    assert r.total_score == 94
    assert codes(r) == [("total-mismatch", "F8")]
    i = r.issues[0]
    assert (i.expected, i.actual) == (39, 38)
    assert "小计" in i.message and "过程" in i.message


def test_a_wrong_weight_subtotal_names_both_readings(tmp_path):
    body = _with_subtotals()
    body[2] = ["小计", 30, None, 20, 2, 28]  # level-2 weights of 决策 add up to 30, not 20
    r = check_file(table(tmp_path, body))
    assert codes(r) == [("total-mismatch", "D5")]
    assert "若把该行当作" in r.issues[0].message


def test_subtotal_label_merged_over_the_name_columns(tmp_path):
    body = [BODY[0], BODY[1], ["小计", None, None, 30, 2, 28], BODY[2], BODY[3], ["小计", None, None, 40, 1, 38],
            BODY[4], ["小计", None, None, 30, 3, 27]]
    r = check_file(table(tmp_path, body, merges=["A5:C5", "A8:C8", "A10:C10"]))
    assert (r.total_score, len(list(r.table.leaves()))) == (94, 5)
    assert codes(r) == [("total-mismatch", "F8")]
    assert (r.issues[0].expected, r.issues[0].actual) == (39, 38)


# -- 3. notes under the table ----------------------------------------------------------------------

@pytest.mark.parametrize("note", ["注：本表总分100分", "评价结果分为优、良、中、差四个等级", "90分以上为优，80-90分为良",
                                  "说明：总分100分，90分（含）以上为优", "评价等级：90分以上为优"])
def test_rule_notes_are_not_stated_facts(tmp_path, note):
    r = check_file(table(tmp_path, below=[note]))
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])


def test_a_stated_total_and_grade_are_still_read(tmp_path):
    r = check_file(table(tmp_path, below=[["综合得分：", 95], ["评价等级：", "良"]]))
    assert codes(r) == [("grade-mismatch", "B10"), ("total-mismatch", "B9")]


# -- 4. 满分 in the first data row -----------------------------------------------------------------

def test_full_marks_word_in_the_first_data_row_keeps_the_first_indicator(tmp_path):
    body = [list(r) for r in BODY]
    body[0][4], body[0][5] = None, "满分"
    r = check_file(table(tmp_path, body))
    assert r.table.roots[0].children[0].name == "目标设定"
    assert r.total_score == 94
    assert codes(r) == [("text-number", "F3")]


@pytest.mark.parametrize("units", [[None, "满分", None, "满分", None, None], [None, "（分）", None, "（分）", "（分）", "（分）"],
                                   ["", "满分", "", "满分", "扣分", "得分"]])
def test_a_units_row_under_the_header_is_no_indicator(tmp_path, units):
    r = check_file(table(tmp_path, [units] + BODY))
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    assert [n.name for n in r.table.roots] == ["决策", "过程", "产出"]


# -- 5. two-row header, 分值 merged over 一级/二级 sub-columns -------------------------------------

def test_weight_merged_over_level_sub_columns(tmp_path):
    header = ["一级指标", "二级指标", "分值", None, "扣分", "得分"]
    sub = [None, None, "一级", "二级", None, None]
    body = [["决策", "目标设定", 30, 10, 0, 10], [None, "决策程序", None, 20, 2, 18],
            ["过程", "资金管理", 40, 20, 1, 19], [None, "组织实施", None, 20, 0, 20],
            ["产出", "产出数量", 30, 30, 3, 27]]
    path = table(tmp_path, [sub] + body, header=header, totals=["合计", None, 100, 100, 6, 94],
                 merges=["C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3"])
    r = check_file(path)
    assert r.table.columns == {"name:1": 0, "name:2": 1, "weight:1": 2, "weight:2": 3, "deduction": 4, "score": 5}
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])


def test_level_names_below_a_merged_group_heading(tmp_path):
    header = ["绩效指标", None, "指标分值", "扣分", "自评\n得分"]
    sub = ["一级\n指标", "二级\n指标", None, None, None]
    body = [["决策(30分)", "目标设定", 10, 0, 10], [None, "决策程序", 20, 2, 18],
            ["过程(40分)", "资金管理", 20, 1, 19], [None, "组织实施", 20, 0, 20], ["产出(30分)", "产出数量", 30, 3, 27]]
    r = check_file(table(tmp_path, [sub] + body, header=header, totals=None, merges=["A2:B2"]))
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    assert [(n.name, n.weight) for n in r.table.roots] == [("决策", 30), ("过程", 40), ("产出", 30)]


def test_name_and_weight_sub_columns_under_each_level(tmp_path):
    """徐闻: 一级指标｜二级指标 each merged over “名称｜权重(%)” in a third header row (the weights are points)."""
    header = ["评价指标", None, None, None, "扣分", "得分"]
    rows = [["一级指标", None, "二级指标", None, None, None], ["名称", "权重(%)", "名称", "权重(%)", None, None]]
    r = check_file(table(tmp_path, rows + BODY, header=header, totals=None,
                         merges=["A2:D2", "A3:B3", "C3:D3", "E2:E4", "F2:F4"]))
    assert r.table.columns == {"name:1": 0, "weight:1": 1, "name:2": 2, "weight:2": 3, "deduction": 4, "score": 5}
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])


# -- 6. deductions written as phrases --------------------------------------------------------------

def test_deduction_phrases(tmp_path):
    body = [list(r) for r in BODY]
    for row, text in zip(body, ["不扣分", "扣2分", "扣1分", "扣0分", "扣3分"]):
        row[4], row[5] = text, None
    r = check_file(table(tmp_path, body, totals=None))
    assert r.total_score == 94
    assert codes(r) == [("text-number", f"E{n}") for n in range(3, 8)]


def test_half_point_deduction_phrases(tmp_path):
    body = [list(r) for r in BODY]
    body[1][4], body[1][5] = "扣0.5分", None
    body[2][4], body[2][5] = "扣1.5分", None
    r = check_file(table(tmp_path, body, totals=None))
    assert r.total_score == 95
    assert codes(r) == [("text-number", "E4"), ("text-number", "E5")]


def test_every_deduction_negative_is_the_clerks_convention(tmp_path):
    body = [list(r) for r in BODY]
    body[1][4], body[2][4], body[4][4] = -2, -1, -3
    r = check_file(table(tmp_path, body))
    assert (r.total_score, r.grade) == (94, "优")
    assert codes(r) == [("negative-deductions", "E4")]
    assert r.issues[0].severity == "warning"


def test_negative_half_points_are_the_clerks_convention(tmp_path):
    body = [list(r) for r in BODY]
    body[1][4], body[1][5] = -0.5, 19.5
    body[2][4], body[2][5] = -1.5, 18.5
    body[4][4] = -3
    r = check_file(table(tmp_path, body, totals=["合计", 100, None, 100, 5, 95]))
    assert (r.total_score, r.grade) == (95, "优")
    assert codes(r) == [("negative-deductions", "E4")]


def test_a_lone_negative_among_positives_stays_an_error(tmp_path):
    body = [list(r) for r in BODY]
    body[1][4] = -2
    r = check_file(table(tmp_path, body))
    assert codes(r) == [("deduction-range", "E4")]


# -- 7. leftover template rows -------------------------------------------------------------------

def test_filled_down_table_with_leftover_template_rows(tmp_path):
    body = [["决策", 30, "目标设定", 10, 0, 10], ["决策", 30, "决策程序", 20, 2, 18], ["决策", None, "决策程序", None, None, None],
            ["过程", 40, "资金管理", 20, 1, 19], ["过程", 40, "组织实施", 20, 0, 20], ["过程", None, None, None, None, None],
            ["产出", 30, "产出数量", 30, 3, 27], [None, None, "产出质量", None, None, None]]
    r = check_file(table(tmp_path, body))
    assert (r.total_score, r.grade) == (94, "优")
    assert codes(r) == sorted([("template-row", "C5"), ("template-row", "A8"), ("template-row", "C10")])
    assert {i.severity for i in r.issues} == {"warning"}
    assert len(list(r.table.leaves())) == 5


# -- 8. a score merged over several level-3 rows ---------------------------------------------------

def test_score_merged_over_the_level3_rows_of_a_level2_indicator(tmp_path):
    header = ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "扣分", "得分"]
    body = [["决策", 30, "目标设定", 10, "目标明确", 5, 0, 10], [None, None, None, None, "目标合理", 5, None, None],
            [None, None, "决策程序", 20, "程序规范", 20, 2, 18],
            ["过程", 40, "资金管理", 20, "资金到位", 20, 1, 19], [None, None, "组织实施", 20, "制度健全", 20, 0, 20],
            ["产出", 30, "产出数量", 30, "完成率", 30, 3, 27]]
    path = table(tmp_path, body, header=header, totals=["合计", 100, None, 100, None, 100, 6, 94],
                 merges=["A3:A5", "B3:B5", "C3:C4", "D3:D4", "G3:G4", "H3:H4"])
    r = check_file(path)
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    goal = r.table.roots[0].children[0]
    assert (goal.name, goal.is_leaf, goal.weight, goal.score, goal.cells["score"]) == ("目标设定", True, 10, 10, "H3")
    assert goal.extras["下级指标"] == "目标明确、目标合理"


# -- 9. other shapes --------------------------------------------------------------------------------

def test_flat_one_level_list(tmp_path):
    header = ["指标名称", "计量单位", "指标权重（分）", "指标得分（分）"]
    body = [["预算执行率", "%", 20, 18], ["公用经费控制率", "%", 30, 30], ["服务满意度", "%", 50, 46]]
    r = check_file(table(tmp_path, body, header=header, totals=None, above=["某某中心部门整体绩效自评表"]))
    assert r.table.levels == 1
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])
    assert r.table.unit == "某某中心"


@pytest.mark.parametrize("block", [
    [["部门预算执行情况(万元)", "年初预算数", "全年执行数", "执行率(%)", "执行率权重", "执行率得分(分)"],
     [None, 100, 95, "95%", 10, 9.5]],
    [["预算执行情况(万元)(10分)", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(10分*执行率)"], [None, 100, 95, "95%", 9.5]],
])
def test_a_budget_execution_block_above_a_flat_list_counts(tmp_path, block):
    header = ["指标名称", "计量单位", "指标权重（分）", "指标得分（分）"]
    body = [["预算完成率", "%", 20, 18], ["公用经费控制率", "%", 30, 30], ["服务满意度", "%", 40, 36]]
    r = check_file(table(tmp_path, body, header=header, totals=None, above=["某某中心部门整体绩效自评表"] + block))
    assert [(n.name, n.weight, n.score) for n in r.table.roots][0] == ("预算执行率", 10, 9.5)
    assert (r.total_score, r.grade, r.issues) == (93.5, "优", [])
    assert r.table.roots[0].cells["score"] == ("F3" if len(block[0]) == 6 else "E3")


def test_weight_and_score_vocabulary_quanshu_kaoping(tmp_path):
    header = ["一级指标", "二级指标", "权数", "考评得分"]
    body = [["决策", "目标设定", 10, 10], [None, "决策程序", 20, 18], ["过程", "资金管理", 20, 19],
            [None, "组织实施", 20, 20], ["产出", "产出数量", 30, 27]]
    r = check_file(table(tmp_path, body, header=header, totals=None))
    assert (r.total_score, r.issues) == (94, [])


def test_score_named_weight_columns_decided_by_position(tmp_path):
    header = ["一级指标", "得分", "二级指标", "得分", "评价标准", "得分"]
    body = [["决策", 30, "目标设定", 10, "…", 10], [None, None, "决策程序", 20, "…", 18],
            ["过程", 40, "资金管理", 20, "…", 19], [None, None, "组织实施", 20, "…", 20], ["产出", 30, "产出数量", 30, "…", 27]]
    r = check_file(table(tmp_path, body, header=header, totals=None))
    assert r.table.columns == {"name:1": 0, "weight:1": 1, "name:2": 2, "weight:2": 3, "score": 5}
    assert (r.total_score, r.issues) == (94, [])


def test_weights_typed_as_percentages(tmp_path):
    body = [list(r) for r in BODY]
    for row in body:
        if row[1] is not None:
            row[1] = row[1] / 100
        row[3] = row[3] / 100
    r = check_file(table(tmp_path, body, totals=None))
    assert (r.total_score, r.grade) == (94, "优")
    assert [n.weight for n in r.table.roots] == [30, 40, 30]
    assert codes(r) == [("percent-weights", "B3")]


def test_weights_typed_as_percent_text(tmp_path):
    body = [list(r) for r in BODY]
    for row in body:
        if row[1] is not None:
            row[1] = f"{row[1]}%"
    r = check_file(table(tmp_path, body, totals=None))
    assert r.total_score == 94
    assert [n.weight for n in r.table.roots] == [30, 40, 30]
    assert codes(r) == [("text-number", "B3"), ("text-number", "B5"), ("text-number", "B7")]


def test_numbered_level1_names(tmp_path):
    body = [list(r) for r in BODY]
    body[0][0], body[2][0], body[4][0] = "一、决策", "2.过程", "（三）产出"
    r = check_file(table(tmp_path, body))
    assert [n.name for n in r.table.roots] == ["决策", "过程", "产出"]
    assert (r.total_score, r.issues) == (94, [])


def test_decimal_comma():
    assert parse_number("5,0").value == 5.0
    assert parse_number("2,5").value == 2.5
    assert parse_number("1,000").value == 1000.0


def test_decimal_comma_in_a_table(tmp_path):
    body = [list(r) for r in BODY]
    body[1][4], body[1][5] = "2,0", "18,0"
    r = check_file(table(tmp_path, body))
    assert r.total_score == 94
    assert codes(r) == [("text-number", "E4"), ("text-number", "F4")]


def test_zero_width_space_and_bom(tmp_path):
    assert clean_text("\ufeff决策\u200b") == "决策" and squash("\u200b一级指标") == "一级指标"
    header = ["\ufeff一级指标", "分值", "二级指标\u200b", "分值", "扣分", "得分"]
    body = [list(r) for r in BODY]
    body[3][2] = "资金管理\u200b"  # the same name as the row above once the invisible character goes
    r = check_file(table(tmp_path, body, header=header))
    assert r.total_score == 94
    assert codes(r) == [("duplicate-indicator", "C6")]


def test_header_below_row_40(tmp_path):
    above = [TITLE] + [f"基础数据第{i}行" for i in range(60)]
    r = check_file(table(tmp_path, above=above))
    assert r.table.header_row == 61
    assert (r.total_score, r.issues) == (94, [])


def test_table_longer_than_5000_rows_is_read_whole(tmp_path):
    body = [["决策", 30, "目标设定", 10, 0, 10], [None, None, "决策程序", 20, 2, 18]]
    body += [["过程", 40, None, None, None, None]]
    body += [[None, None, f"事项{i}", 0.005, 0, 0.005] for i in range(1, 8001)]
    body += [["产出", 30, "产出数量", 30, 3, 27]]
    r = check_file(table(tmp_path, body, totals=["合计", 100, None, 100, 5, 95]))
    assert len(list(r.table.leaves())) == 8003
    assert r.total_score == pytest.approx(95)
    assert codes(r) == []


def test_a_sheet_past_the_row_limit_says_so(tmp_path, monkeypatch):
    import xladdin.reading.workbook as wbmod

    monkeypatch.setattr(wbmod, "MAX_ROWS", 5)
    r = check_file(table(tmp_path, totals=None))
    assert ("rows-cut", "A5") in codes(r)
    assert "7 行" in next(i.message for i in r.issues if i.code == "rows-cut")


def test_a_continuation_sheet_is_reported_not_silently_left_out(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for r, row in enumerate([[TITLE], HEADER] + BODY[:3], 1):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    more = wb.create_sheet("Sheet2")
    for r, row in enumerate([["续表"], HEADER] + BODY[3:], 1):
        for c, v in enumerate(row, 1):
            more.cell(r, c, v)
    wb.save(tmp_path / "t.xlsx")
    r = check_file(tmp_path / "t.xlsx")
    assert r.total_score == 47  # the first sheet's rows only
    cont = [i for i in r.issues if i.code == "continuation-sheet"]
    assert [(i.sheet, i.cell, i.severity) for i in cont] == [("Sheet2", "A1", "error")]
    assert "表1" in cont[0].message


# -- 10. formulas with a cached 0 in a workbook recalculated on load ------------------------------

def test_cached_zero_results_of_a_full_calc_workbook_are_computed(tmp_path):
    src = tmp_path / "src.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for r, row in enumerate([TITLE, HEADER] + BODY, 1):
        for c, v in enumerate([row] if isinstance(row, str) else row, 1):
            if v is not None:
                ws.cell(r, c, v)
    for r in range(3, 8):
        ws.cell(r, 6, f"=D{r}-E{r}")
    for c, v in zip("ABCDEF", ["合计", "=SUM(B3:B7)", None, "=SUM(D3:D7)", "=SUM(E3:E7)", "=SUM(F3:F7)"]):
        if v is not None:
            ws[f"{c}8"] = v
    wb.save(src)  # openpyxl writes fullCalcOnLoad="1" and formulas without results
    out = tmp_path / "xlsxwriter-like.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v />", b"<v>0</v>").replace(b"<v></v>", b"<v>0</v>")
            zout.writestr(info, data)
    r = check_file(out)
    assert (r.total_score, r.grade) == (94, "优")
    # the five scores are computed; the 合计 row's placeholders are no stated totals (not computed there)
    assert codes(r) == sorted([("formula-no-value", f"F{n}") for n in range(3, 8)]
                              + [("formula-no-value", f"{c}8") for c in "BDEF"])
    assert {i.severity for i in r.issues} == {"warning"}


def test_a_calculated_sheet_keeps_its_zero_results(tmp_path):
    """Formulas with real results beside a 0 (a sheet Excel calculated) keep every saved result."""
    src = tmp_path / "src.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate([TITLE, HEADER] + BODY, 1):
        for c, v in enumerate([row] if isinstance(row, str) else row, 1):
            if v is not None:
                ws.cell(r, c, v)
    for r in range(3, 8):
        ws.cell(r, 5, f"=D{r}-F{r}")  # 扣分 = 分值 - 得分: 0, 2, 1, 0, 3
    wb.save(src)
    out = tmp_path / "calculated.xlsx"
    results = iter([b"<v>0</v>", b"<v>2</v>", b"<v>1</v>", b"<v>0</v>", b"<v>3</v>"])
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                parts = data.split(b"<v />")
                data = b"".join(p + (next(results) if i < len(parts) - 1 else b"") for i, p in enumerate(parts))
            zout.writestr(info, data)
    r = check_file(out)
    assert (r.total_score, r.grade, r.issues) == (94, "优", [])


# -- 11. every issue has a cell -------------------------------------------------------------------

def test_total_weight_without_a_level1_weight_column_has_a_cell(tmp_path):
    header = ["一级指标", "二级指标", "分值", "扣分", "得分"]
    body = [["决策", "目标设定", 10, 0, 10], [None, "决策程序", 20, 2, 18], ["过程", "资金管理", 20, 1, 19]]
    r = check_file(table(tmp_path, body, header=header, totals=None))
    assert codes(r) == [("total-weight", "A3")]
    assert all(i.cell for i in r.issues)
