"""共性指标测算 (issue 14): the 基础数据 sheet, the rule families, every catalogue indicator, the seed's
worked example (shared/research/domain-next.md A.5) and the 测算对比 outputs. Every expected number
is computed by hand in the comment beside it."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from builders import SEED_FIXTURE

from xladdin.core.grid import Grid
from xladdin.core.model import Indicator, Table
from xladdin.engine import check_file
from xladdin.errors import ConfigError
from xladdin.kinds.basic_data import (
    BY_KEY,
    INDICATORS,
    builtin_profile,
    check_basic_data,
    match,
    measure,
    parse_basic_data,
)
from xladdin.kinds.basic_data.rules import Rule, apply, load_profile_file, parse_params, profile_from_rows

HEADER = ["编码", "数据项", "单位", "本年", "上年", "取数来源", "备注"]
# The seed's own figures (永靖县工信局 2023 report): posts 6 + 11, staff 7 + 14, budgets in 万元.
SEED_ITEMS = [("P01a", 6), ("P01b", 11), ("P02a", 7), ("P02b", 14), ("B01", 297.80), ("B04", 3237.16),
              ("B05", 3236.35)]
SEED_FUNCTIONS = [("B01.1", 51.87), ("B01.2", 11.82), ("B01.3", 16.57), ("B01.4", 215.08)]


def data_grid(items, name="基础数据"):
    rows = [["基础数据"], HEADER]
    for item in items:
        code, cur = item[0], item[1]
        prev = item[2] if len(item) > 2 else None
        rows.append([code, "", "", cur, prev, "部门决算", ""])
    return Grid(name, rows)


def data_of(items):
    data = parse_basic_data(data_grid(items))
    assert data is not None
    return data


def seed_with_data(path: Path, items, extra_sheets=()) -> Path:
    wb = openpyxl.load_workbook(SEED_FIXTURE)
    ws = wb.create_sheet("基础数据")
    ws.append(HEADER)
    for item in items:
        ws.append([item[0], "", "", item[1], item[2] if len(item) > 2 else None, "报告", ""])
    for name, rows in extra_sheets:
        extra = wb.create_sheet(name)
        for row in rows:
            extra.append(list(row))
    wb.save(path)
    return path


def rule(family, **params):
    return Rule("x", family, params)


# -- the rule families (w = weight, v = value as a fraction) ----------------------------------------------

def test_per_point_over():
    r = rule("per_point_over", limit=1.0, step=0.1)
    assert apply(r, 0.95, 3).score == 3  # under the limit: full
    # 21/17 = 123.53%: 23.53 points over × 0.3 = 7.06 > 3 -> 0
    out = apply(r, 21 / 17, 3)
    assert out.score == 0 and out.process == "超 23.53 个百分点 × 0.3 = 7.06 > 3 → 0"
    assert apply(r, 1.05, 5).score == 2.5  # 5 points × 0.5 = 2.5; 5 − 2.5


def test_per_point_short():
    r = rule("per_point_short", limit=1.0, points=5, step=0.4)  # each 5 points short −2 at w = 5
    assert apply(r, 1.0, 5).score == 5
    assert apply(r, 0.90, 5).score == 1  # 10 points short = 2 steps × 2 = 4; 5 − 4
    assert apply(r, 0.50, 5).score == 0  # 50 points short: 20 > 5


def test_bands():
    r = Rule("x", "bands", parse_params("bands=>=90%:1, >=80%:0.8, >=70%:0.6, >=60%:0.4, else:0"))
    assert [apply(r, v, 5).score for v in (0.95, 0.90, 0.85, 0.72, 0.60, 0.59)] == [5, 5, 4, 3, 2, 0]
    down = Rule("x", "bands", parse_params("bands=<=0%:1, <=10%:0.67, <=20%:0.33, <=30%:0.17, else:0"))
    # 3 × 0.67 = 2.01; 3 × 0.33 = 0.99; 3 × 0.17 = 0.51
    assert [apply(down, v, 3).score for v in (0, 0.05, 0.15, 0.3, 9.87)] == [3, 2.01, 0.99, 0.51, 0]


def test_ratio():
    r = rule("ratio", target=1.0, cap=1.0)
    assert apply(r, 0.76, 10).score == 7.6  # 10 × 76%
    assert apply(r, 1.2, 10).score == 10  # capped
    assert apply(rule("ratio", target=0.9), 0.72, 2).score == 1.6  # 2 × 72/90


def test_inverse_ratio():
    r = rule("inverse_ratio", target=1.0)
    assert apply(r, 0.9, 3).score == 3
    assert apply(r, 21 / 17, 3).score == 2.43  # 3 × 17/21 = 2.4286


def test_linear_reverse():
    r = rule("linear_reverse", target=1.0)
    assert apply(r, 1.0, 3).score == 3
    assert apply(r, 21 / 17, 3).score == 2.29  # 3 × (1 − 0.2353) = 2.294
    assert apply(r, 2.0, 3).score == 0


def test_binary():
    assert apply(rule("binary", limit=0.0, op=">="), 0.02, 3).score == 3
    assert apply(rule("binary", limit=0.0, op=">="), -0.01, 3).score == 0
    assert apply(rule("binary", limit=1.0, op="<="), 1.01, 2).score == 0


def test_none_gives_no_score():
    assert apply(rule("none"), 0.5, 3).score is None


def test_params_as_a_bureau_writes_them():
    assert parse_params("limit=100%; step=1/6") == {"limit": 1.0, "step": pytest.approx(1 / 6)}
    assert parse_params("ｌｉｍｉｔ＝９０％")["limit"] == pytest.approx(0.9)  # full-width
    with pytest.raises(ValueError):
        parse_params("limit")
    with pytest.raises(ValueError):
        parse_params("bands=九十:1")


# -- every catalogue indicator: its value formula and its default rule ------------------------------------

# key, 基础数据 items, weight, expected value, expected default-profile score (by hand)
CASES = [
    ("staff_ratio", [("P01", 17), ("P02", 21)], 3, 21 / 17, 0.0),
    ("sangong_change", [("S01", 11, 10)], 5, 0.10, 0.0),  # (11 − 10)/10 = +10%: 10 points × 0.5 = 5 -> 0
    ("sangong_ctrl", [("S01", 10), ("S02", 10.3)], 6, 1.03, 3.0),  # 3 points × 1 = 3; 6 − 3
    ("key_spend", [("K01", 85), ("K02", 100)], 5, 0.85, 4.0),  # [80, 90): 80%
    ("exec_rate", [("B04", 200), ("B05", 190)], 4, 0.95, 3.8),  # 4 × 95%
    ("adjust_rate", [("B01", 100), ("B03", 15)], 3, 0.15, 0.99),  # (10, 20]: 33%
    ("carry_rate", [("B04", 200), ("B06", 10)], 2, 0.05, 1.9),  # 2 × (1 − 5%)
    ("public_ctrl", [("G01", 40), ("G02", 50)], 2, 1.25, 1.6),  # 2 × 100/125
    ("per_capita_public", [("G02", 42), ("P02", 21)], 3, 2.0, None),  # 2 万元/人, no standard rule
    ("general_cut", [("Y01", 95, 100)], 3, 0.05, 3.0),  # (100 − 95)/100 = 5% ≥ 0
    ("proc_exec", [("C01", 50), ("C02", 40)], 1, 0.8, 0.8),  # 1 × 80%
    ("asset_use", [("A01", 100), ("A02", 72)], 2, 0.72, 1.6),  # 2 × 72/90
    ("goal_done", [("W01", 20), ("W02", 19)], 4, 0.95, 3.8),
    ("on_time", [("W01", 20), ("W03", 18)], 4, 0.90, 3.6),
    ("quality", [("W01", 20), ("W04", 20)], 4, 1.0, 4.0),
    ("satisfaction", [("M01", 200), ("M02", 171)], 5, 0.855, 4.75),  # 5 × 85.5/90
]


def _table(name: str, weight: float, score: float) -> Table:
    root = Indicator(1, "运行成本", 0, weight)
    leaf = Indicator(2, name, 1, weight, None, score, cells={"score": "H2"}, parent=root)
    root.children.append(leaf)
    return Table("表1", [root], levels=2)


def test_the_catalogue_has_sixteen_indicators_with_cases():
    assert len(INDICATORS) == 16
    assert sorted(k for k, *_ in CASES) == sorted(BY_KEY)


@pytest.mark.parametrize("key,items,weight,value,score", CASES, ids=[c[0] for c in CASES])
def test_each_indicator(key, items, weight, value, score):
    ind = BY_KEY[key]
    m = measure(_table(ind.name, weight, weight), data_of(items), builtin_profile())
    (row,) = m.rows
    assert row.key == key
    assert row.value == pytest.approx(value)
    assert row.suggested == score
    if score is None:
        assert row.status == "无标准规则"
    else:
        assert row.status == ("一致" if score == weight else "自评偏高")


def test_every_indicator_without_figures_names_what_is_missing():
    for ind in INDICATORS:
        (row,) = measure(_table(ind.name, 3, 3), data_of([]), builtin_profile()).rows
        assert row.value is None and row.suggested is None
        if ind.key != "per_capita_public":
            assert row.status == "缺少数据" and row.missing, ind.key


def test_matching_by_name_and_alias():
    assert match("财政供养人员控制率（3分）").key == "staff_ratio"
    assert match("“三公经费”控制情况").key == "sangong_ctrl"
    assert match("\"三公经费\"控制率").key == "sangong_ctrl"
    assert match("预算执行 (4分)").key == "exec_rate"
    assert match("资产利用率").key == "asset_use"
    assert match("ｎ年度目标完成率") is None
    assert match("年度目标完成率").key == "goal_done"


def test_derived_inputs_are_said():
    # B03 blank: 3237.16 − 297.80 − 0 = 2939.36; 2939.36 / 297.80 = 987.02% -> > 30%: 0
    data = data_of([("B01", 297.80), ("B02", 0), ("B04", 3237.16)])
    (row,) = measure(_table("预算调整率", 3, 3), data, builtin_profile()).rows
    assert row.value_text == "987.02%" and row.suggested == 0 and row.status == "自评偏高"
    assert "B03 未填，按 B04 − B01 − B02 = 2939.36 推得" in row.note


def test_change_needs_last_year():
    (row,) = measure(_table("“三公经费”变动率", 5, 5), data_of([("S01", 11)]), builtin_profile()).rows
    assert row.status == "缺少数据" and row.missing == ["S01（上年）"]


# -- the 基础数据 sheet ----------------------------------------------------------------------------------

def test_reading_codes_totals_and_sources():
    data = data_of([("p01a", 6), ("Ｐ01b", 11), ("B01", "297.80"), ("X99", 1), ("B01.1", 51.87)])
    assert data.value("P01") == 17 and data.entries["P01"].derived["current"] == "P01a 6+P01b 11"
    assert data.value("B01") == 297.8 and data.entries["B01"].source == "部门决算"
    assert "X99" not in data.entries
    assert data.cell("B01") == "D5"


def test_a_sheet_without_the_header_is_not_basic_data():
    assert parse_basic_data(Grid("基础数据", [["单位", "人数"], ["a", 1]])) is None


def test_parts_must_add_up():
    issues = list(check_basic_data(data_of([("B01", 297.80)] + SEED_FUNCTIONS)))
    (i,) = issues
    assert i.code == "basic-data-parts" and i.cell == "D3" and i.sheet == "基础数据"
    assert "51.87 + 11.82 + 16.57 + 215.08 = 295.34" in i.message and "297.80" in i.message
    assert "相差 2.46" in i.message
    assert list(check_basic_data(data_of([("P01", 17), ("P01a", 6), ("P01b", 11)]))) == []


def test_budget_carry_overspend_and_values():
    # 100 + 10 + 5 = 115 ≠ 120
    (i,) = check_basic_data(data_of([("B01", 100), ("B02", 10), ("B03", 5), ("B04", 120)]))
    assert i.code == "basic-data-budget" and "= 115" in i.message and "相差 5" in i.message
    # 120 − 100 = 20, but 25 entered
    (i,) = check_basic_data(data_of([("B04", 120), ("B05", 100), ("B06", 25)]))
    assert i.code == "basic-data-carry" and i.severity == "warning"
    (i,) = check_basic_data(data_of([("B04", 100), ("B05", 101)]))
    assert i.code == "basic-data-overspend" and "超支 1" in i.message
    codes = [i.code for i in check_basic_data(data_of([("P01", 16.5), ("G01", -3), ("C01", "三十")]))]
    assert codes.count("basic-data-value") == 3
    (i,) = check_basic_data(data_of([("A01", 100), ("A02", 120)]))
    assert i.code == "basic-data-parts" and "大于" in i.message
    assert list(check_basic_data(data_of([("B03", -20)]))) == []  # a cut is negative


# -- the seed's worked example (domain-next.md A.5 / A.6) ---------------------------------------------------

def test_seed_default_profile(tmp_path):
    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS)
    report = check_file(path)
    m = report.measured
    rows = {r.name: r for r in m.rows}
    staff = rows["财政供养人员控制率"]
    assert (staff.value_text, staff.suggested, staff.difference, staff.status) == ("123.53%", 0.0, 3.0, "自评偏高")
    assert staff.process == "21/17 = 123.53%，超 23.53 个百分点 × 0.3 = 7.06 > 3 → 0"
    execution = rows["预算执行"]
    # 3236.35 / 3237.16 = 0.999750 -> 99.97% (2 decimals); 4 × 0.99975 = 3.999 -> 4.00: 一致
    assert (execution.value_text, execution.suggested, execution.status) == ("99.97%", 4.0, "一致")
    assert "年初预算 297.80 万元调整为 3237.16 万元" in execution.note and "1086.75%" in execution.note
    missing = {r.name: r.missing for r in m.rows if r.status == "缺少数据"}
    assert missing == {
        "“三公经费”控制情况": ["S02", "S01"], "一般性支出压缩率": ["Y01", "Y01（上年）"],
        "政府采购执行率": ["C02", "C01"], "资产利用率": ["A02", "A01"], "年度目标完成率": ["W02", "W01"],
        "服务对象满意度": ["M02", "M01"]}
    assert rows["人均公用经费"].status == "无标准规则"
    assert rows["预算安排保障率"].status == "名称未识别"
    # 95 − 3 = 92, 优 either way
    assert (m.self_total, m.measured_total, m.self_grade, m.measured_grade) == (95.0, 92.0, "优", "优")
    (high,) = [i for i in report.issues if i.code == "self-score-high"]
    assert high.cell == "H10" and high.severity == "warning" and "建议得分为 0" in high.message
    assert not [i for i in report.issues if i.code.startswith("basic-data")]
    # the self-score stays what the department wrote
    assert report.table is not None
    assert [n.score for n in report.table.leaves() if n.name == "财政供养人员控制率"] == [3.0]


def test_seed_proportional_profile(tmp_path):
    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS)
    m = check_file(path, rules="按比例").measured
    staff = next(r for r in m.rows if r.name == "财政供养人员控制率")
    assert (staff.suggested, staff.difference, staff.status) == (2.43, 0.57, "自评偏高")  # 3 × 17/21
    assert m.measured_total == 94.43 and m.profile == "按比例"


def test_seed_functional_amounts_flag_the_budget(tmp_path):
    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS + SEED_FUNCTIONS)
    issues = [i for i in check_file(path).issues if i.code == "basic-data-parts"]
    assert len(issues) == 1 and "= 295.34" in issues[0].message and "297.80" in issues[0].message


def test_a_bureau_rules_sheet(tmp_path):
    rules = [("指标键", "三级指标", "规则类型", "参数", "规则说明", "依据文件"),
             ("", "财政供养人员控制率", "线性反向", "target=100%", "", "某县财政局 2024 年评分办法")]
    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS, [("评分规则", rules)])
    m = check_file(path).measured
    staff = next(r for r in m.rows if r.name == "财政供养人员控制率")
    assert staff.suggested == 2.29 and staff.source == "某县财政局 2024 年评分办法"  # 3 × (1 − 0.2353)
    assert m.profile == "评分规则"
    bad = [rules[0], ("", "财政供养人员控制率", "随便", "", "", "")]
    report = check_file(seed_with_data(tmp_path / "bad.xlsx", SEED_ITEMS, [("评分规则", bad)]))
    assert [i.code for i in report.issues if i.code == "rules-invalid"] == ["rules-invalid"]
    assert next(r for r in report.measured.rows if r.name == "财政供养人员控制率").suggested == 0


def test_profile_file(tmp_path):
    f = tmp_path / "rules.tsv"
    f.write_text("指标键\t三级指标\t规则类型\t参数\t规则说明\t依据文件\nstaff_ratio\t\tinverse_ratio\ttarget=100%\t\t文件\n",
                 encoding="utf-8")
    prof = load_profile_file(f)
    assert prof["staff_ratio"].family == "inverse_ratio" and prof["exec_rate"].family == "ratio"
    with pytest.raises(ConfigError):
        profile_from_rows([("指标键", "规则类型"), ("nope", "ratio")], "x", "x")


def test_json_and_no_basic_data(tmp_path):
    from xladdin.outputs.render import to_json

    assert "measured" not in json.loads(to_json(check_file(SEED_FIXTURE)))
    d = json.loads(to_json(check_file(seed_with_data(tmp_path / "s.xlsx", SEED_ITEMS))))["measured"]
    assert d["measured_total"] == 92.0 and d["high_rows"] == 1 and d["high_difference"] == 3.0
    staff = next(r for r in d["rows"] if r["key"] == "staff_ratio")
    assert staff["value_text"] == "123.53%" and staff["status"] == "自评偏高" and staff["cell"] == "H10"


def test_annotate_writes_the_sheet_and_keeps_the_scores(tmp_path):
    from xladdin.outputs.annotate import annotate

    src = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS + SEED_FUNCTIONS)
    out = tmp_path / "out.xlsx"
    annotate(check_file(src), out)
    wb = openpyxl.load_workbook(out)
    assert wb["表1"]["H10"].value == 3  # never overwritten
    assert "自评偏高" in wb["表1"]["H10"].comment.text
    assert wb["基础数据"]["D6"].comment is not None  # the B01 row: 297.80 ≠ 295.34
    listed = [r[2] for r in wb["校验结果"].iter_rows(values_only=True)]
    assert "基础数据!D6" in listed and "H10" in listed
    ws = wb["测算对比"]
    values = [tuple(row) for row in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(values) if r[0] == "三级指标")
    staff = next(r for r in values[header:] if r[0] == "财政供养人员控制率")
    assert staff[1:6] == (3, 3, "123.53%", 0, 3) and staff[8] == "自评偏高"
    assert ws.cell(header + 2, 1).hyperlink is not None


def test_consolidation_columns_and_sheets(tmp_path):
    from xladdin.api import consolidate

    folder = tmp_path / "报送"
    folder.mkdir()
    seed_with_data(folder / "a.xlsx", SEED_ITEMS)
    summary = consolidate([folder], tmp_path / "汇总.xlsx")
    (entry,) = summary.ranked
    assert entry.measured is not None and entry.to_json()["self_score_high"] == 1
    assert entry.to_json()["self_score_high_difference"] == 3.0
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames[-2:] == ["测算汇总", "测算对比"]
    units = list(wb["测算汇总"].iter_rows(values_only=True))
    assert units[1][1:9] == ("永靖县工业和信息化局", 95, "优", 92, "优", None, 1, 3)
    rows = list(wb["测算对比"].iter_rows(values_only=True))
    assert ("永靖县工业和信息化局", "财政供养人员控制率") in {r[:2] for r in rows}


def test_consolidation_without_basic_data_has_no_extra_sheets(tmp_path):
    from xladdin.api import consolidate

    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(SEED_FIXTURE.read_bytes())
    summary = consolidate([folder], tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert "测算对比" not in wb.sheetnames
    from xladdin.outputs.summary_book import SUMMARY_FIXED, SUMMARY_TAIL

    header = next(wb["汇总"].iter_rows(max_row=1, values_only=True))
    assert header == SUMMARY_FIXED + tuple(name for _, name in summary.level1) + SUMMARY_TAIL


def test_summary_sheet_gains_self_score_high_columns(tmp_path):
    """汇总: 自评偏高 (rows) and Σ差异 after 警告数 when a unit sent 基础数据; blank for a unit without;
    the same columns in the DataFrame."""
    from xladdin.api import consolidate
    from xladdin.outputs.template import write_template
    from xladdin.outputs.toolkit import WARNING_FILL

    folder = tmp_path / "报送"
    folder.mkdir()
    seed_with_data(folder / "a.xlsx", SEED_ITEMS)
    wb, _ = write_template(None, unit="永靖县档案局", year=2023)
    wb.save(folder / "b.xlsx")
    summary = consolidate([folder], tmp_path / "汇总.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    i = header.index("警告数")
    assert header[i + 1:i + 4] == ("自评偏高", "Σ差异", "状态")
    by_unit = {r[1]: r for r in rows[1:]}
    seed = by_unit["永靖县工业和信息化局"]
    assert seed[i + 1:i + 3] == (1, 3)
    assert by_unit["永靖县档案局"][i + 1:i + 3] == (None, None)
    row = 1 + next(n for n, r in enumerate(rows[1:], 1) if r[1] == "永靖县工业和信息化局")
    assert ws.cell(row, i + 2).fill.fgColor.rgb[-6:] == WARNING_FILL
    assert ws.cell(row, i + 3).fill.fgColor.rgb[-6:] == WARNING_FILL
    assert ws.print_area.replace("$", "").endswith(f":{ws.cell(1, len(header) - 1).column_letter}{len(rows)}")  # no 文件
    pytest.importorskip("pandas")
    from xladdin.consolidation.frames import dataframes

    ranking = dataframes(summary)["汇总"]
    assert list(ranking.columns) == list(header)
    seed_row = ranking[ranking["单位"] == "永靖县工业和信息化局"].iloc[0]
    assert seed_row["自评偏高"] == 1 and seed_row["Σ差异"] == 3


def test_cli_rules_option_and_text_line(tmp_path, capsys):
    from xladdin.cli.main import main

    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS)
    assert main(["check", str(path)]) == 1  # the seed's own weight errors
    out = capsys.readouterr().out
    assert "测算对比（评分规则“通用”）：自评总分 95（优），测算总分 92（优）；1 项自评偏高，合计 3 分" in out
    main(["check", str(path), "--rules", "按比例", "--format", "json"])
    d = json.loads(capsys.readouterr().out)["measured"]
    assert d["profile"] == "按比例" and d["measured_total"] == 94.43
    f = tmp_path / "本县规则.tsv"
    f.write_text("指标键\t三级指标\t规则类型\t参数\t规则说明\t依据文件\n"
                 "\t财政供养人员控制率\t线性反向\ttarget=100%\t\t本县办法\n", encoding="utf-8")
    main(["check", str(path), "--rules", str(f), "--format", "json"])
    d = json.loads(capsys.readouterr().out)["measured"]
    assert d["profile"] == "本县规则" and d["measured_total"] == 94.29  # 95 − (3 − 2.29)
    assert main(["check", str(path), "--rules", str(tmp_path / "无.tsv")]) == 2


def test_an_untouched_basic_data_sheet_is_no_basic_data(tmp_path):
    from xladdin.outputs.template import write_template

    wb, _ = write_template(tmp_path / "t.xlsx")
    assert "基础数据" in wb.sheetnames
    assert check_file(tmp_path / "t.xlsx").measured is None
    assert check_file(seed_with_data(tmp_path / "s.xlsx", [("P01", None), ("B01", None)])).measured is None


def test_the_demo_submission_of_the_seed_department_has_its_basic_data(tmp_path):
    from xladdin.samples import sample_submissions, workbook_bytes

    (sub,) = [s for s in sample_submissions() if s.unit == "永靖县工业和信息化局"]
    path = tmp_path / "工信局.xlsx"
    path.write_bytes(workbook_bytes(sub))
    report = check_file(path)
    assert report.measured.measured_total == 92.0
    codes = [i.code for i in report.issues]
    assert codes[-1] == "basic-data-parts" and "self-score-high" in codes  # the 基础数据 issue listed last


def test_api_check_with_rules(tmp_path):
    import xladdin

    path = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS)
    assert xladdin.check(path).measured.measured_total == 92.0
    assert xladdin.check(path, rules="按比例").measured.measured_total == 94.43
    assert xladdin.check(path, rules="按比例", timeout=60).measured.measured_total == 94.43
    with pytest.raises(ConfigError):
        xladdin.check(path, rules=tmp_path / "无.tsv")
