"""Reading real-world table variants into the indicator tree (issue: 评分表引擎, "Reading")."""

from __future__ import annotations

import pytest
from builders import SEED_FIXTURE, TITLE, grid_workbook, leaf_row, seed_like, two_level_framework, wps_like_xlsx

from xladdin import check_file, read_table
from xladdin.cli.check import exit_code
from xladdin.kinds.department.framework import SEED_DEDUCTIONS, SEED_FRAMEWORK
from xladdin.outputs.layout import fill_values, write_table


def codes(report, severity=None):
    return sorted((i.code, i.cell) for i in report.issues if severity is None or i.severity == severity)


# -- the seed ----------------------------------------------------------------------------------

def test_seed_fixture_total_grade_and_exactly_the_two_known_errors():
    r = check_file(SEED_FIXTURE)
    assert r.total_score == 95
    assert r.grade == "优"
    assert r.figures.total_weight == 98
    assert r.figures.total_deduction == 5
    assert codes(r) == [("total-weight", "B44"), ("weight-sum", "B16")]
    ws = next(i for i in r.issues if i.code == "weight-sum")
    assert ws.path == ("管理效率",) and ws.expected == 44 and ws.actual == 42
    tw = next(i for i in r.issues if i.code == "total-weight")
    assert tw.expected == 100 and tw.actual == 98
    assert exit_code(r) == 1


def test_seed_fixture_tree():
    t = read_table(SEED_FIXTURE)
    assert (t.unit, t.year, t.sheet, t.levels) == ("永靖县工业和信息化局", 2023, "表1", 3)
    assert [n.name for n in t.roots] == ["部门规划", "运行成本", "管理效率", "基础管理", "履职效能", "服务对象满意度"]
    leaves = list(t.leaves())
    assert len(leaves) == 41
    # rows that stop at level 2 are leaves with their own weight and score
    jichu = t.roots[3].children[0]
    assert (jichu.name, jichu.level, jichu.is_leaf, jichu.weight, jichu.score) == ("综合管理能力建设", 2, True, 2, 2)
    assert jichu.cells == {"name": "C38", "weight": "D38", "deduction": "G38", "score": "H38"}
    assert t.roots[2].cells["weight"] == "B16"
    bianzhi = next(n for n in leaves if n.name == "预算编制")
    assert (bianzhi.weight, bianzhi.deduction, bianzhi.score, bianzhi.path) == (5, 1, 4, ("管理效率", "预算管理", "预算编制"))
    assert t.totals is not None and t.totals.values["score"].cell == "H44"


# -- layout variants ---------------------------------------------------------------------------

def test_corrected_seed_layout_is_clean(tmp_path):
    r = check_file(seed_like(tmp_path / "t.xlsx"))
    assert (r.total_score, r.grade, r.issues) == (95, "优", [])


def test_header_found_below_title_and_info_lines(tmp_path):
    info = [("单位名称", "永靖县财政局"), ("评价年度", "2024年"), ("金额单位", "万元")]
    path = seed_like(tmp_path / "t.xlsx", title="部门整体支出绩效评价指标评分表", info_lines=info)
    t = read_table(path)
    assert t.header_row == 4
    assert (t.unit, t.year) == ("永靖县财政局", 2024)
    r = check_file(path)
    assert (r.total_score, r.issues) == (95, [])


def test_unit_and_year_from_title(tmp_path):
    t = read_table(seed_like(tmp_path / "t.xlsx", title="附表1 永靖县农业农村局2022年度部门整体支出绩效评价指标评分表"))
    assert (t.unit, t.year) == ("永靖县农业农村局", 2022)


@pytest.mark.parametrize("weight,deduction,score", [
    ("权重", "扣分值", "自评得分"),
    ("标准分", "扣分", "评价得分"),
    ("指标分值", "扣分值", "实际得分"),
    ("分值（分）", "扣分", "得分"),
])
def test_header_name_variants(tmp_path, weight, deduction, score):
    headers = {"weight:1": weight, "weight:2": weight, "weight:3": weight, "deduction": deduction, "score": score}
    path = seed_like(tmp_path / "t.xlsx", headers=headers)
    t = read_table(path)
    assert t.columns == {"name:1": 0, "weight:1": 1, "name:2": 2, "weight:2": 3, "name:3": 4, "weight:3": 5,
                         "deduction": 6, "score": 7}
    r = check_file(path)
    assert (r.total_score, r.issues) == (95, [])


def test_extra_columns_are_kept_wherever_they_stand(tmp_path):
    cols = ("name:1", "weight:1", "name:2", "weight:2", "name:3", "criteria", "weight:3", "deduction", "score", "reason")
    leaves = SEED_FRAMEWORK

    def edit(ws, geo):
        r = leaf_row(geo, ("部门规划", "部门绩效目标", "绩效目标合理性"))
        ws.cell(r, geo.columns["criteria"], "目标合理得3分，否则酌情扣分")
        ws.cell(r, geo.columns["reason"], "绩效目标与职能关联不紧密")
        ws.cell(geo.header_row, 11, "备注")
        ws.cell(r, 11, "见附件")

    path = seed_like(tmp_path / "t.xlsx", columns=cols, edit=edit, leaves=leaves)
    t = read_table(path)
    leaf = next(n for n in t.leaves() if n.name == "绩效目标合理性")
    assert leaf.extras == {"评分标准": "目标合理得3分，否则酌情扣分", "扣分原因": "绩效目标与职能关联不紧密", "备注": "见附件"}
    assert (leaf.weight, leaf.deduction, leaf.score) == (3, 1, 2)
    assert check_file(path).issues == []


def test_two_level_table(tmp_path):
    fw = two_level_framework()
    cols = ("name:1", "weight:1", "name:2", "weight:2", "deduction", "score")
    deductions = {("过程", "资金管理"): 3, ("产出", "产出质量"): 2.5}
    path = seed_like(tmp_path / "t.xlsx", leaves=fw, columns=cols, deductions=deductions,
                     title="表1 某县教育局2023年度项目支出绩效评价指标评分表")
    t = read_table(path)
    assert t.levels == 2 and len(list(t.leaves())) == 9
    r = check_file(path)
    assert (r.total_score, r.grade, r.issues) == (94.5, "优", [])


def test_weights_written_only_in_names(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "扣分", "得分"],
        ["决策(20分)", "项目立项（8分）", "立项依据充分性(4分)", None, 4],
        [None, None, "立项程序规范性（4分）", 1, 3],
        [None, "绩效目标（12分）", "绩效目标合理性(6分)", None, 6],
        [None, None, "绩效指标明确性(6分)", None, 6],
        ["过程(80分)", "资金管理(80分)", "资金到位率(80分)", 10, 70],
    ]
    path = grid_workbook(tmp_path / "t.xlsx", rows, ["A2:A5", "B2:B3", "B4:B5"])
    t = read_table(path)
    assert [n.name for n in t.roots] == ["决策", "过程"]
    assert [n.weight for n in t.walk()] == [20, 8, 4, 4, 12, 6, 6, 80, 80, 80]
    assert t.roots[0].cells["weight"] == "A2"
    r = check_file(path)
    assert (r.total_score, r.issues) == (89, [])


def test_weight_in_name_mismatch_is_reported_on_the_name_cell(tmp_path):
    rows = [
        ["一级指标", "二级指标", "扣分", "得分"],
        ["决策(20分)", "项目立项（8分）", None, 8],
        [None, "绩效目标（10分）", None, 10],
        ["过程(80分)", "资金管理(80分)", None, 80],
    ]
    r = check_file(grid_workbook(tmp_path / "t.xlsx", rows, ["A2:A3"]))
    assert codes(r) == [("weight-sum", "A2")]


def test_score_without_deduction_column(tmp_path):
    cols = ("name:1", "weight:1", "name:2", "weight:2", "name:3", "weight:3", "score")
    path = seed_like(tmp_path / "t.xlsx", columns=cols)
    t = read_table(path)
    assert "deduction" not in t.columns
    r = check_file(path)
    assert (r.total_score, r.figures.total_deduction, r.issues) == (95, 5, [])


def test_unmerged_table_with_parents_written_once(tmp_path):
    r = check_file(seed_like(tmp_path / "t.xlsx", merge=False))
    assert (r.total_score, r.issues) == (95, [])
    assert len(list(r.table.leaves())) == 41


def test_parents_filled_down_on_every_row_are_not_duplicates(tmp_path):
    def edit(ws, geo):
        for path, (r0, r1) in geo.blocks.items():
            k = len(path)
            for r in range(r0 + 1, r1 + 1):
                ws.cell(r, geo.columns[f"name:{k}"], ws.cell(r0, geo.columns[f"name:{k}"]).value)
                ws.cell(r, geo.columns[f"weight:{k}"], ws.cell(r0, geo.columns[f"weight:{k}"]).value)

    r = check_file(seed_like(tmp_path / "t.xlsx", merge=False, edit=edit))
    assert (r.total_score, r.issues) == (95, [])
    assert [len(n.children) for n in r.table.roots] == [3, 2, 7, 1, 2, 1]


def test_repeated_header_and_blank_rows_are_skipped(tmp_path):
    src = seed_like(tmp_path / "src.xlsx", merge=False)
    import openpyxl

    rows = [[c.value for c in row] for row in openpyxl.load_workbook(src).active.iter_rows()]
    header = rows[1]
    rows = rows[:20] + [[None] * 8, header, [None] * 8] + rows[20:30] + [[None] * 8] + rows[30:]
    r = check_file(grid_workbook(tmp_path / "t.xlsx", rows))
    assert (r.total_score, r.issues) == (95, [])
    assert len(list(r.table.leaves())) == 41


def test_numbers_stored_as_text(tmp_path):
    def edit(ws, geo):
        rows = geo.leaf_rows
        ws.cell(rows[0], 6, "1")          # F3
        ws.cell(rows[1], 6, " 2 ")        # F4
        ws.cell(rows[2], 6, "3分")        # F5
        ws.cell(rows[3], 6, "３")         # F6 full-width
        ws.cell(rows[4], 8, "3.0")        # H7
        ws.cell(rows[5], 8, "1.9999999999")  # H8 float noise as text
        ws.cell(rows[6], 8, 0.9999999999999999)  # H9 float noise as a number: silently fine

    path = seed_like(tmp_path / "t.xlsx", edit=edit)
    r = check_file(path)
    assert codes(r) == [("text-number", c) for c in ("F3", "F4", "F5", "F6", "H7", "H8")]
    assert all(i.severity == "warning" for i in r.issues)
    assert r.total_score == pytest.approx(95, abs=1e-6)
    assert r.grade == "优" and exit_code(r) == 0
    t = r.table
    assert [leaf.weight for leaf in list(t.leaves())[:4]] == [1, 2, 3, 3]


def test_decimal_text_is_a_number(tmp_path):
    def edit(ws, geo):
        r = geo.leaf_rows[2]
        ws.cell(r, 7, "0.5")
        ws.cell(r, 8, "2.5")

    r = check_file(seed_like(tmp_path / "t.xlsx", edit=edit, totals=False))
    assert codes(r) == [("text-number", "G5"), ("text-number", "H5")]
    assert r.total_score == 95.5


def test_word_in_a_number_cell_is_bad_number(tmp_path):
    def edit(ws, geo):
        ws.cell(geo.leaf_rows[0], 6, "三")

    r = check_file(seed_like(tmp_path / "t.xlsx", edit=edit))
    assert codes(r, "error") == [("bad-number", "F3")]
    assert "三" in r.issues[0].message and "F3" in r.issues[0].message
    assert exit_code(r) == 1


def test_wps_like_xlsx_with_inline_strings(tmp_path):
    rows = [
        [TITLE],
        ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
        ["决策", 40, "目标设定", 20, None, 20],
        [None, None, "决策程序", 20, 2, 18],
        ["效益", 60, "社会效益", 30, None, 30],
        [None, None, "满意度", 30, None, 30],
        ["合计", 100, "-", 100, 2, 98],
    ]
    path = wps_like_xlsx(tmp_path / "wps.xlsx", rows, ["A1:F1", "A3:A4", "B3:B4", "A5:A6", "B5:B6"])
    r = check_file(path)
    assert (r.table.unit, r.table.year, r.total_score, r.grade, r.issues) == ("永靖县工业和信息化局", 2023, 98, "优", [])


def test_formulas_without_cached_values_are_computed(tmp_path):
    def edit(ws, geo):
        for r in geo.leaf_rows:
            ws.cell(r, 8, f"=F{r}-G{r}")
        tr = geo.totals_row
        ws.cell(tr, 7, f"=SUM(G{geo.first_row}:G{tr - 1})")
        ws.cell(tr, 8, f"=SUM(H{geo.first_row}:H{tr - 1})")
        ws.cell(geo.first_row, 4, f"=F{geo.first_row}+F{geo.first_row + 1}")  # D3 = 部门年度计划

    r = check_file(seed_like(tmp_path / "t.xlsx", edit=edit))
    assert r.total_score == 95 and r.grade == "优"
    assert r.errors == []
    warned = {i.cell for i in r.issues if i.code == "formula-no-value"}
    assert {"H3", "H43", "G44", "H44", "D3"} <= warned
    assert len(warned) == 41 + 3
    d3 = r.table.roots[0].children[0]
    assert d3.weight == 3


# -- several sheets ----------------------------------------------------------------------------

def _multi(tmp_path, hidden_table=False, visible_table=True):
    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "填表说明"
    info["A1"] = "填表说明：请在扣分列填写扣分，得分自动计算。"
    if hidden_table:
        ws = wb.create_sheet("旧表")
        g = write_table(ws, SEED_FRAMEWORK, title="旧表")
        fill_values(ws, g, SEED_FRAMEWORK, {})
        ws.sheet_state = "hidden"
    if visible_table:
        ws = wb.create_sheet("评分表")
        g = write_table(ws, SEED_FRAMEWORK, title=TITLE)
        fill_values(ws, g, SEED_FRAMEWORK, SEED_DEDUCTIONS)
    path = tmp_path / "multi.xlsx"
    wb.save(path)
    return path


def test_picks_the_visible_sheet_with_a_table(tmp_path):
    r = check_file(_multi(tmp_path, hidden_table=True))
    assert (r.table.sheet, r.total_score) == ("评分表", 95)


def test_sheet_option_overrides(tmp_path):
    r = check_file(_multi(tmp_path, hidden_table=True), sheet="旧表")
    assert (r.table.sheet, r.total_score) == ("旧表", 100)


def test_only_a_hidden_table_is_not_a_scoring_table_but_says_so(tmp_path):
    r = check_file(_multi(tmp_path, hidden_table=True, visible_table=False))
    assert exit_code(r) == 2 and r.issues[0].code == "not-scoring-table"
    assert "multi.xlsx" in r.issues[0].message and "旧表" in r.issues[0].message


def test_unknown_sheet_name(tmp_path):
    r = check_file(_multi(tmp_path), sheet="不存在")
    assert exit_code(r) == 2 and r.issues[0].code == "not-scoring-table"
    assert "不存在" in r.issues[0].message and "评分表" in r.issues[0].message


def test_workbook_without_a_scoring_table(tmp_path):
    path = grid_workbook(tmp_path / "名单.xlsx", [["姓名", "电话"], ["张三", "123"]])
    r = check_file(path)
    assert (exit_code(r), [i.code for i in r.issues]) == (2, ["not-scoring-table"])
    assert "名单.xlsx" in r.issues[0].message


def test_two_row_header_with_a_group_heading(tmp_path):
    rows = [
        ["单位名称：永靖县文化馆", None, None, None, None, None, None],
        ["一级指标", "二级指标", "三级指标", "分值", "自评情况", None, "评分标准"],
        [None, None, None, None, "扣分", "得分", None],
        ["决策(30分)", "目标(30分)", "目标明确性", 30, 2, 28, "明确得满分"],
        ["效益(70分)", "满意度(70分)", "群众满意度", 40, None, 40, None],
        [None, None, "服务质量", 30, 1, 29, None],
        ["合计", None, None, 100, 3, 97, None],
    ]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "A5:A6", "B5:B6"]
    path = grid_workbook(tmp_path / "t.xlsx", rows, merges)
    t = read_table(path)
    assert t.columns == {"name:1": 0, "name:2": 1, "name:3": 2, "weight:3": 3, "deduction": 4, "score": 5}
    assert t.unit == "永靖县文化馆"
    r = check_file(path)
    assert (r.total_score, r.grade, r.issues) == (97, "优", [])
    assert list(t.leaves())[0].extras == {"评分标准": "明确得满分"}


def test_label_lines_with_numeric_year_and_blank_values(tmp_path):
    rows = [
        ["部门整体支出绩效评价指标评分表"],
        ["单位名称：", None, "评价年度：", 2024],
        ["填报人：", None, "联系电话：", None],
        ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
        ["决策", 50, "目标", 50, None, 50],
        ["效益", 50, "满意度", 50, 1, 49],
    ]
    t = read_table(grid_workbook(tmp_path / "t.xlsx", rows))
    assert (t.unit, t.year) == (None, 2024)
    rows[1] = ["单位名称", "永靖县水务局", "评价年度", "2023年"]
    t = read_table(grid_workbook(tmp_path / "t2.xlsx", rows))
    assert (t.unit, t.year) == ("永靖县水务局", 2023)
