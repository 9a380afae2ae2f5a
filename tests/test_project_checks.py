"""Every check of the 项目支出绩效自评表 on generated tables, with the exact cell it marks; the rule
scores against hand-computed examples for each profile; the JSON fields; --annotate."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from builders import grid_workbook

from xladdin.core.grid import Grid
from xladdin.engine import check_file, evaluate
from xladdin.kinds import parse_any
from xladdin.kinds.project.checks import band, rule_score
from xladdin.kinds.project.model import Measure
from xladdin.kinds.project.profiles import PROFILES, get_profile
from xladdin.outputs.project_template import IndicatorSpec, project_rows, standard_indicators, standard_spec


def report_of(spec=None, rows=None, tmp: Path | None = None):
    rows = rows if rows is not None else project_rows(spec or standard_spec())
    if tmp is not None:
        return check_file(grid_workbook(tmp / "项目.xlsx", rows))
    t = parse_any(Grid("表1", rows))
    assert t is not None and t.kind == "project"
    return evaluate(t)


def codes(report) -> set[tuple[str, str | None]]:
    return {(i.code, i.cell) for i in report.issues}


def with_indicator(i: int, **changes) -> list[IndicatorSpec]:
    inds = standard_indicators()
    for k, v in changes.items():
        setattr(inds[i], k, v)
    return inds


def test_clean_table_has_no_issue_and_reads_every_fact(tmp_path):
    r = report_of(tmp=tmp_path)
    assert r.issues == []
    d = r.to_dict()
    assert d["kind"] == "project"
    assert (d["project"], d["department"], d["unit"], d["year"]) == (
        "职业技能培训补助", "某某县人力资源和社会保障局", "某某县就业服务中心", 2023)
    assert d["profile"] == "national"
    assert d["budget"] == {"initial": 120.0, "full_year": 120.0, "executed": 117.17, "rate": 0.976417,
                           "stated_rate": 0.9764, "weight": 10.0, "score": 9.76, "rule_score": 9.76}
    assert (d["total_weight"], d["total_score"], d["grade"], d["rule_total"]) == (100.0, 99.76, "优", 99.76)
    leaf = next(n for n in d["indicators"] if n["name"] == "人均培训成本")
    assert {k: leaf[k] for k in ("target", "operator", "target_value", "unit", "actual", "actual_value",
                                 "rule_score", "cells")} == {
        "target": "≤800元", "operator": "≤", "target_value": 800.0, "unit": "元", "actual": "760",
        "actual_value": 760.0, "rule_score": 10.0,
        "cells": {"name": "D15", "weight": "G15", "score": "H15", "reason": "I15", "target": "E15", "actual": "F15"}}


@pytest.mark.parametrize("changes, expected", [
    # 执行率 written 90% while 117.17 / 120 = 97.64%
    ({"rate": "90%"}, {("budget-rate-mismatch", "G5")}),
    # 得分 10 while 10 × 97.64% = 9.76
    ({"budget_score": 10}, {("budget-score-mismatch", "H5")}),
    # a wrong rate does not excuse the score: computed from the amounts
    ({"rate": "100%", "budget_score": 10}, {("budget-rate-mismatch", "G5"), ("budget-score-mismatch", "H5")}),
    # 其中 rows 100 + 10 ≠ 120 in every amount column (池州: 0/0/0 above 90/89.974)
    ({"parts": (("其中：当年财政拨款", 100, 100, 97.17), ("上年结转资金", 10, 10, 10), ("其他资金", None, None, None))},
     {("budget-parts-sum", "C5"), ("budget-parts-sum", "D5"), ("budget-parts-sum", "E5")}),
    ({"executed": 125, "parts": (("其中：当年财政拨款", 120, 120, 125),)}, {("budget-overspent", "E5")}),
])
def test_budget_checks(changes, expected):
    assert codes(report_of(standard_spec(**changes))) == expected


@pytest.mark.parametrize("changes, expected", [
    # a target met (520 ≥ 500) scored 14 of 15, no reason
    ({"score": 14}, {("met-but-deducted", "H12"), ("deviation-reason-missing", "I12")}),
    # ... with a reason: still met-but-deducted, no missing reason
    ({"score": 14, "reason": "部分培训未按计划开展"}, {("met-but-deducted", "H12")}),
    # 450 of 500 scored 15: the rule gives 450/500 × 15 = 13.5
    ({"actual": 450}, {("score-rule", "H12")}),
    # 完成 where a number is due
    ({"actual": "完成"}, {("actual-not-numeric", "F12")}),
    ({"actual": "≥500人次"}, {("actual-not-numeric", "F12")}),
    # 700 ≥ 130% of 500 without a reason
    ({"actual": 700}, {("over-target", "F12")}),
    ({"actual": 700, "reason": "新增两期培训"}, set()),
    ({"score": 16}, {("score-range", "H12")}),
    ({"score": None}, {("missing-value", "H12")}),
    ({"actual": None}, {("missing-value", "F12")}),
    ({"weight": "15"}, {("text-number", "G12")}),
    ({"score": "十五"}, {("bad-number", "H12")}),  # reported once: not also as a blank
])
def test_indicator_checks(changes, expected):
    r = report_of(standard_spec(indicators=with_indicator(0, **changes)))
    assert codes(r) == expected


def test_blank_score_leaves_the_total_null():
    r = report_of(standard_spec(indicators=with_indicator(0, score=None), total=None))
    assert r.total_score is None and r.grade is None
    assert r.to_dict()["total_score"] is None


def test_the_score_of_98_percent_against_98_percent_is_met_but_deducted():
    """黄冈 (S-hb copy): 98% against a target of 98% scored 19.6 of 20 (weight × actual)."""
    inds = standard_indicators()
    inds[4] = IndicatorSpec("效益指标", "社会效益指标", "就业率", "≥98%", "98%", 20, 19.6, "略有偏差")
    r = report_of(standard_spec(indicators=inds))
    assert codes(r) == {("met-but-deducted", "H16")}


def test_reverse_and_qualitative_rules():
    # 人均培训成本 ≤800元, 900 spent, full marks written: (1 − 100/800) × 10 = 8.75
    r = report_of(standard_spec(indicators=with_indicator(3, actual=900)))
    assert codes(r) == {("score-rule", "H15")}
    issue = r.issues[0]
    assert issue.expected == 8.75 and "(1 − (900 − 800) ÷ 800) × 10 = 8.75" in issue.message
    # 长效机制 部分达成 scored 10 of 10: the band is [6, 8)
    r = report_of(standard_spec(indicators=with_indicator(5, actual="部分达成")))
    assert codes(r) == {("score-rule", "H17")}
    assert "6 到 8（不含）" in r.issues[0].message
    r = report_of(standard_spec(indicators=with_indicator(5, actual="部分达成", score=7, reason="机制尚在完善")))
    assert codes(r) == set()
    row = next(n for n in r.to_dict()["indicators"] if n["name"] == "长效机制建立")
    assert (row["outcome"], row["rule_band"], row["rule_score"]) == ("部分达成", [6.0, 8.0], 7)


def test_placeholders_and_empty_level2_rows():
    spec = standard_spec(extra_rows=[(4, [None, None, None, "指标2"]), (5, [None, None, None, "……"]),
                                     (6, [None, None, "生态效益指标"])])
    r = report_of(spec)
    # rows: 12-15 产出, 16 指标2, 17 就业率, 18 ……, 19 长效, 20 生态效益 (empty), 21 满意度, 22 总分
    assert codes(r) == {("placeholder-row", "D16"), ("placeholder-row", "D18"), ("placeholder-row", "C20")}
    assert r.total_score == 99.76  # placeholders are neither scored nor missing


def test_weight_split_and_total_weight():
    inds = standard_indicators()
    inds[0].weight, inds[0].score = 5, 5  # 产出 40
    inds[4].weight, inds[4].score = 30, 30  # 效益 40
    r = report_of(standard_spec(indicators=inds))
    assert codes(r) == {("weight-split", "B12")}
    assert "产出 40、效益 40、满意度 10" in r.issues[0].message
    inds = [IndicatorSpec("产出指标", "成本指标", "成本控制数", "≤30万元", 28, 90, 90)]
    r = report_of(standard_spec(indicators=inds))
    assert ("weight-split", "G12") in codes(r)  # one indicator carries all 90 points (大英)
    inds = standard_indicators()
    inds[0].weight = 20
    r = report_of(standard_spec(indicators=inds))
    assert ("total-weight", "G19") in codes(r)


def test_weight_sum_from_level1_name_and_duplicates():
    inds = standard_indicators()
    for i in inds[:4]:
        i.level1 = "产出指标（60分）"
    inds.insert(1, IndicatorSpec("产出指标（60分）", "数量指标", "培训人次", "≥500人次", 520, 0, 0))
    r = report_of(standard_spec(indicators=inds))
    assert {("weight-sum", "B12"), ("duplicate-indicator", "D13")} <= codes(r)


def test_stated_total_and_grade():
    r = report_of(standard_spec(total=98))
    assert codes(r) == {("total-mismatch", "H19")}
    r = report_of(standard_spec(grade="良"))
    assert codes(r) == {("grade-mismatch", "I19")}


# ---------------------------------------------------------------- rule scores, by profile (hand-computed)
def leaf(target_value, actual_value, op, weight, outcome=None):
    m = Measure(3, "x", 0)
    m.target_value, m.actual_value, m.operator, m.weight, m.outcome = target_value, actual_value, op, weight, outcome
    return m


@pytest.mark.parametrize("profile, args, expected", [
    # 正向: 98 of 100 → 9.8 of 10 (丽江 政策知晓率 ═100%, 98%)
    ("national", (100, 98, "=", 10), 9.8),
    ("yunnan", (100, 98, "=", 10), 9.8),
    # met or over: full marks
    ("national", (95, 97, "≥", 15), 15),
    # 反向 (10号文 / FASP): ≤90万元, 99 spent: (1 − 9/90) × 10 = 9
    ("national", (90, 99, "≤", 10), 9.0),
    ("sichuan", (90, 99, "≤", 10), 9.0),
    # twice the target or more: 0
    ("national", (90, 180, "≤", 10), 0.0),
    # 湖北 反向 = 权重 × A/B: 10 × 90/99 = 9.09
    ("hubei", (90, 99, "≤", 10), 9.09),
    # 湖北 正向 = 权重 × B/A: 20 × 85.6/100 = 17.12
    ("hubei", (100, 85.6, "≥", 20), 17.12),
    # target 0 with '=': nothing allowed
    ("national", (0, 1, "=", 5), 0.0),
    ("national", (0, 0, "=", 5), 5),
])
def test_rule_scores(profile, args, expected):
    assert rule_score(leaf(*args), PROFILES[profile])[0] == expected


@pytest.mark.parametrize("profile, outcome, expected", [
    ("national", "达成", (8.0, 10)), ("national", "部分达成", (6.0, 8.0)), ("national", "未达成", (0.0, 6.0)),
    ("hubei", "部分达成", (5.0, 8.0)), ("hubei", "未达成", (0.0, 5.0)),
])
def test_qualitative_bands(profile, outcome, expected):
    assert band(leaf(None, None, None, 10, outcome), PROFILES[profile]) == expected


def test_budget_rule_per_profile():
    # 廊坊: 37.24 / 43.2 = 86.2% → 8.62; written 9 is an error under the national rule
    r = report_of(standard_spec(initial=43.2, full_year=43.2, executed=37.24, budget_score=9,
                                parts=(("其中：当年财政拨款", 43.2, 43.2, 37.24),)))
    assert codes(r) == {("budget-score-mismatch", "H5")}
    assert r.to_dict()["budget"]["rule_score"] == 8.62
    # a profile that allows whole points accepts 9
    t = parse_any(Grid("表1", project_rows(standard_spec(initial=43.2, full_year=43.2, executed=37.24,
                                                             budget_score=9,
                                                             parts=(("其中：当年财政拨款", 43.2, 43.2, 37.24),)))))
    t.profile = get_profile_dict({"budget_score_step": 1})
    assert {i.code for i in evaluate(t).issues} == set()


def get_profile_dict(d):
    from xladdin.kinds.project.profiles import Profile
    return Profile.from_dict({"name": "x", "label": "x", **d})


def test_profiles_by_name_and_file(tmp_path):
    assert get_profile("湖北") is PROFILES["hubei"] and get_profile("sichuan") is PROFILES["sichuan"]
    f = tmp_path / "某市.json"
    f.write_text(json.dumps({"bands": [0.9, 0.6], "over_target": 1.5}), encoding="utf-8")
    p = get_profile(str(f))
    assert (p.name, p.bands, p.over_target, p.budget_weight) == ("某市", (0.9, 0.6), 1.5, 10)
    from xladdin.errors import ConfigError
    with pytest.raises(ConfigError):
        get_profile("火星")
    f.write_text(json.dumps({"bands": [0.5, 0.9]}), encoding="utf-8")
    with pytest.raises(ConfigError):
        get_profile(str(f))


def test_measures_pickle():
    r = report_of()
    t2 = pickle.loads(pickle.dumps(r.table))
    leaves = [n for n in t2.walk() if not n.children]
    assert leaves[0].target == "≥500人次" and leaves[0].parent is not None and leaves[0].path[0] == "产出指标"


def test_annotate_marks_project_issues_by_cell(tmp_path):
    import openpyxl

    from xladdin.outputs.annotate import annotate_file

    spec = standard_spec(rate="90%", indicators=with_indicator(0, score=14))
    r = report_of(spec, tmp=tmp_path)
    out = tmp_path / "标注.xlsx"
    annotate_file(r, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["表1"]
    for cell in ("G5", "H12", "I12"):
        assert ws[cell].comment is not None, cell
    assert "校验结果" in wb.sheetnames


def test_cli_check_json(tmp_path, capsys):
    from xladdin.cli.main import main

    wb = grid_workbook(tmp_path / "项目.xlsx", project_rows(standard_spec(budget_score=10)))
    code = main(["check", str(wb), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["kind"] == "project" and out["budget"]["score"] == 10
    assert [i["code"] for i in out["issues"]] == ["budget-score-mismatch"]


def test_cli_text_and_profile_option(tmp_path, capsys):
    from xladdin.cli.main import main

    inds = with_indicator(3, actual=900, score=9.0, reason="物价上涨")  # ≤800元, 900: national 8.75, 湖北 8.89
    wb = grid_workbook(tmp_path / "项目.xlsx", project_rows(standard_spec(indicators=inds)))
    assert main(["check", str(wb)]) == 0
    text = capsys.readouterr().out
    assert "项目：职业技能培训补助" in text and "执行率 97.64%" in text and "（按表式判断）" in text
    assert "score-rule" in text and "应为 8.75" in text
    assert main(["check", str(wb), "--profile", "hubei", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["profile"] == "hubei"
    assert [(i["code"], i["expected"]) for i in out["issues"]] == [("score-rule", 8.89)]
    assert main(["check", str(wb), "--profile", "火星"]) == 2
    assert "未知的计分规则" in capsys.readouterr().err


def test_excel_buttons_and_udfs_read_project_tables(tmp_path):
    """The 校验 button (xl.check_book, on the xlwings double) and the UDFs take either kind of table."""
    from xl_double import book_from_file

    from xladdin import xl

    rows = project_rows(standard_spec(budget_score=10))
    wb = grid_workbook(tmp_path / "项目.xlsx", rows)
    book = book_from_file(wb)
    message = xl.check_book(book)
    assert "1 个错误" in message
    report = xl.report_from_values(rows)
    assert report is not None and report.table.kind == "project"
    assert [i.code for i in report.issues] == ["budget-score-mismatch"]
