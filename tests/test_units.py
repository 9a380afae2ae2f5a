"""The expected-units list (``--units 单位名单.xlsx|.csv``, issue 16): listed units with no file are 未报送 in
汇总 and 文件清单, tables of units not on the list get unit-not-expected; 汇总 lists every unit that sent
something, scored or not; the terminal words --year and the list plainly."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xladdin.consolidation.run import consolidate_files
from xladdin.consolidation.terminal import overview
from xladdin.consolidation.units import Expected, load_units, unit_from_filename
from xladdin.errors import ConfigError

DEMO = Path(__file__).resolve().parents[1] / "workbooks" / "示例-永靖县-2023-部门报送"
LISTED = ["永靖县教育局", "财政局", "永靖县统计局", "永靖县医疗保障局", "永靖县档案局", "永靖县审计局"]


def _rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r)) for r in values[1:]]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("units")
    names = d / "单位名单.csv"
    names.write_text("序号,单位名称,备注\n" + "".join(f"{i},{u},\n" for i, u in enumerate(LISTED, 1)),
                     encoding="utf-8-sig")
    out = d / "汇总.xlsx"
    summary = consolidate_files([DEMO], out, units=names, workers=1, timeout=None)
    return summary, openpyxl.load_workbook(out)


def test_the_list_is_read_from_its_unit_column(tmp_path):
    csv = tmp_path / "名单.csv"
    csv.write_text("序号,单位名称\n1,永靖县教育局\n2,永靖县财政局\n3,永靖县教育局\n\n合计,\n", encoding="gb18030")
    assert load_units(csv) == ["永靖县教育局", "永靖县财政局"]  # GBK, header, repeats and 合计 skipped
    plain = tmp_path / "名单.txt"
    plain.write_text("永靖县水务局\n永靖县民政局\n", encoding="utf-8")
    assert load_units(plain) == ["永靖县水务局", "永靖县民政局"]  # no header: the first column
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["2023 年度应报送单位"], [], ["序号", "部门", "联系人"], [1, "永靖县审计局", "张三"], [2, "永靖县水务局", None]):
        ws.append(row)
    wb.save(tmp_path / "名单.xlsx")
    assert load_units(tmp_path / "名单.xlsx") == ["永靖县审计局", "永靖县水务局"]
    with pytest.raises(ConfigError, match="找不到单位名单"):
        load_units(tmp_path / "没有.csv")
    (tmp_path / "空.csv").write_text("单位名称\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="没有找到单位名称"):
        load_units(tmp_path / "空.csv")


def test_names_match_with_or_without_the_county():
    e = Expected(["教育局", "永靖县财政局"])
    assert e.match("永靖县教育局") == "教育局" and e.match("永靖县 财政局") == "永靖县财政局"
    assert e.match("永靖县水务局") is None
    assert e.in_file_name("永靖县教育局2023年度评分表（更正）.xlsx") == "教育局"
    assert unit_from_filename("永靖县统计局2023年度部门整体支出绩效评价指标评分表.xlsx") == "永靖县统计局"
    assert unit_from_filename("临夏县医保局-基本情况.xlsx") == "临夏县医保局"


def test_listed_units_without_a_file_are_not_submitted(run):
    summary, wb = run
    assert summary.expected == LISTED and summary.missing_units == ["永靖县档案局"]
    # 汇总: ranked units, then units without a score (their files unusable), then 未报送
    rows = _rows(wb["汇总"])
    tail = [(r["单位"], r["状态"], r["排名"]) for r in rows[len(summary.ranked):]]
    assert tail == [("永靖县医疗保障局", "不是评分表", None), ("永靖县统计局", "无法读取", None),
                    ("永靖县档案局", "未报送", None)]
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    ledger = _rows(wb["文件清单"])
    last = ledger[-1]
    assert (last["单位"], last["状态"], last["状态代码"], last["文件"]) == ("永靖县档案局", "未报送", "not-submitted", None)
    assert "没有找到它报送的文件" in last["说明"]
    assert json.loads(json.dumps(summary.to_json()))["not_submitted"] == ["永靖县档案局"]
    assert summary.to_json()["expected_units"] == len(LISTED)


def test_tables_of_units_not_on_the_list_are_flagged(run):
    summary, wb = run
    flagged = {e.unit_shown for e in summary.entries for i in e.issues if i.code == "unit-not-expected"}
    listed = {"永靖县教育局", "永靖县财政局", "永靖县审计局"}
    assert flagged and not flagged & listed
    assert flagged == {e.unit_shown for e in summary.entries if e.readable} - listed
    issues = [r for r in _rows(wb["校验问题"]) if r["代码"] == "unit-not-expected"]
    assert issues and all(r["级别"] == "警告" and "不在单位名单中" in r["说明"] for r in issues)
    text = overview(summary)
    assert "单位名单 6 个单位：已报送 5 个，未报送 1 个：永靖县档案局。" in text


def test_without_a_list_nothing_changes_in_the_json(tmp_path):
    summary = consolidate_files([DEMO], None, workers=1, timeout=None)
    assert summary.expected is None and summary.missing_units == []
    assert "not_submitted" not in summary.to_json() and "expected_units" not in summary.to_json()
    assert "单位名单" not in overview(summary)
    assert not any(i.code == "unit-not-expected" for e in summary.entries for i in e.issues)


def test_year_given_for_tables_of_another_year_is_worded_plainly():
    summary = consolidate_files([DEMO], None, workers=1, timeout=None, year=2024)
    first = overview(summary).splitlines()[0]
    assert first.startswith(f"共读取 {len(summary.entries)} 个报送文件，按 2024 年度汇总，"
                            f"{len(summary.ranked)} 个单位计入汇总排名；")
    assert "写的是 2023 年度，请核对年度。" in first and "2024 年度报送文件" not in first
