"""`xladdin consolidate`: a folder of ~40 submissions with known scores, grades and faults.

The corpus is generated once per session (xladdin.samples writes it in the familiar layout). Each
submission's expected outcome is written down here, independently of the code under test: totals
are 100 minus the deductions (plus the fault's known effect), grades come from the 90/80/60 bands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from statistics import mean

import openpyxl
import pytest

from xladdin.cli import main
from xladdin.kinds.department.framework import SEED_FRAMEWORK
from xladdin.samples import SEVEN_FRAMEWORK, Submission, by_name, leaf_path, write_set

SHEETS = ["汇总", "明细", "扣分明细", "指标统计", "等级分布", "校验问题", "文件清单"]
LEVEL1 = ["部门规划", "运行成本", "管理效率", "基础管理", "履职效能", "服务对象满意度"]


def grade_of(score: float) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def when(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2024, 6, day, hour, 0, 0)


# -- the corpus -----------------------------------------------------------------------------------

# Clean submissions: (folder, unit, deductions by leaf name). Their totals are 100 - sum(deductions).
CLEAN = [
    ("行政单位", "临夏县财政局", {"预算执行": 1}),                                   # 99
    ("行政单位", "临夏县审计局", {"预算编制": 1, "绩效评价": 1}),                     # 98
    ("行政单位", "临夏县民政局", {"工作效率": 2, "预算执行": 1, "绩效信息公开": 1}),   # 96
    ("行政单位", "临夏县司法局", {"工作质量": 2, "资产利用率": 2}),                   # 96 (tie)
    ("行政单位", "临夏县统计局", {"预算执行": 2, "工作效率": 1, "人均公用经费": 1, "绩效评价": 1}),  # 95
    ("行政单位", "临夏县商务局", {"预算执行": 3, "工作效率": 2, "年度目标完成率": 2}),  # 93
    ("行政单位", "临夏县应急管理局", {"预算执行": 2, "工作效率": 2, "预算编制": 3, "工作态度": 3}),  # 90 (boundary)
    ("行政单位", "临夏县水务局", {"预算执行": 2, "工作效率": 2, "预算编制": 3, "工作态度": 3, "资产利用率": 0.5}),  # 89.5
    ("行政单位", "临夏县交通运输局", {"预算执行": 4, "工作效率": 4, "预算编制": 5, "成本控制有效性": 2}),  # 85
    ("行政单位", "临夏县自然资源局", {"预算执行": 4, "工作效率": 4, "预算编制": 5, "成本控制有效性": 4,
                                "绩效评价": 3}),  # 80 (boundary)
    ("事业单位", "临夏县人民医院", {"预算执行": 1, "工作效率": 1}),                 # 98
    ("事业单位", "临夏县中医医院", {"预算编制": 2}),                               # 98 (tie)
    ("事业单位", "临夏县疾病预防控制中心", {"绩效评价": 2, "工作质量": 1, "预算执行": 2}),  # 95
    ("事业单位", "临夏县融媒体中心", {"预算执行": 1, "绩效运行监控": 1, "资金使用合规性": 1}),  # 97
    ("事业单位", "临夏县档案馆", {"工作效率": 4, "工作质量": 4, "工作态度": 4, "预算编制": 5, "预算执行": 4,
                            "绩效评价": 4, "成本控制有效性": 4, "年度目标完成率": 4}),  # 67
    ("事业单位", "临夏县机关事务服务中心", {"工作效率": 1.5, "资产利用率": 2}),        # 96.5
    ("事业单位", "临夏县职业技术学校", {"预算执行": 4, "工作效率": 4, "工作质量": 4, "工作态度": 4, "预算编制": 5,
                                "绩效评价": 4, "成本控制有效性": 4, "年度目标完成率": 4, "绩效信息公开": 3,
                                "资金分配合理性": 3, "绩效目标合理性": 3}),  # 58 -> 差
    ("事业单位", "临夏县图书馆", {"预算执行": 4, "工作效率": 4, "工作质量": 4, "工作态度": 4, "预算编制": 5,
                            "绩效评价": 4, "成本控制有效性": 4, "年度目标完成率": 4, "绩效信息公开": 3}),  # 64
    ("乡镇", "临夏县韩集镇人民政府", {"预算执行": 2, "工作效率": 1}),               # 97
    ("乡镇", "临夏县土桥镇人民政府", {"预算执行": 3, "工作质量": 2}),               # 95
    ("乡镇", "临夏县马集镇人民政府", {"预算执行": 2, "工作效率": 2, "预算编制": 2}),  # 94
    ("乡镇", "临夏县莲花镇人民政府", {"预算执行": 4, "工作效率": 3, "工作态度": 2, "成本控制有效性": 1}),  # 90
    ("乡镇", "临夏县新集镇人民政府", {"预算执行": 4, "工作效率": 4, "预算编制": 4, "工作态度": 4}),  # 84
    ("乡镇", "临夏县尹集镇人民政府", {"预算执行": 1}),                             # 99 (tie with 财政局)
    ("乡镇", "临夏县红台乡人民政府", {"预算执行": 4, "工作效率": 4, "预算编制": 5, "工作态度": 4, "工作质量": 3,
                                "绩效评价": 4, "成本控制有效性": 4, "年度目标完成率": 1.5}),  # 70.5
    ("乡镇", "临夏县漠泥沟乡人民政府", {}),                                       # 100
]

REASON = "绩效目标未细化量化"  # a deduction reason written in the 扣分原因 column


def _clean_subs() -> list[Submission]:
    out = []
    for k, (folder, unit, d) in enumerate(CLEAN):
        reasons = {name: f"{REASON}（{unit}）" for name in d} if k % 2 == 0 else {}
        out.append(Submission(path=f"{folder}/{unit}2023年度评分表.xlsx", unit=unit, deductions=by_name(d),
                              reasons=by_name(reasons), title_style="title" if k % 3 else "lines",
                              modified=when(1 + k % 20)))
    return out


F = {  # faulty and odd submissions: name -> (Submission, expected)
    "wrong-subtotal": (
        Submission(path="行政单位/临夏县教育局-评分表.xlsx", unit="临夏县教育局", deductions=by_name({"预算执行": 2}),
                   weights={("运行成本", "基本经费成本"): 10}, modified=when(3)),
        dict(status="errors", total=98, errors={"weight-sum"})),
    "deduction-above-weight": (
        Submission(path="行政单位/临夏县卫生健康局-评分表.xlsx", unit="临夏县卫生健康局",
                   deductions=by_name({"资产利用率": 3, "预算执行": 1}),
                   cells={(leaf_path("资产利用率"), "score"): 0}, modified=when(4)),
        # 得分 0 is written for 资产利用率 (2 分) although 扣分 is 3: the written 得分 counts
        dict(status="errors", total=97, errors={"deduction-range"})),
    "missing-score": (
        Submission(path="行政单位/临夏县农业农村局-评分表.xlsx", unit="临夏县农业农村局",
                   deductions=by_name({"预算执行": 1}), cells={(leaf_path("成本控制有效性"), "score"): None},
                   modified=when(5)),
        dict(status="errors", total=95, errors={"missing-value"})),  # the blank 4-point leaf counts nothing
    "score-mismatch": (
        Submission(path="事业单位/临夏县妇幼保健院-评分表.xlsx", unit="临夏县妇幼保健院",
                   deductions=by_name({"工作效率": 2}), cells={(leaf_path("工作效率"), "score"): 3}, modified=when(6)),
        dict(status="errors", total=99, errors={"score-mismatch"})),  # 得分 3 written where 4 − 2 = 2
    "wrong-total-row": (
        Submission(path="事业单位/临夏县博物馆-评分表.xlsx", unit="临夏县博物馆", deductions=by_name({"预算执行": 2}),
                   totals={"score": 99}, modified=when(7)),
        dict(status="errors", total=98, errors={"total-mismatch"})),
    "text-number": (
        Submission(path="乡镇/临夏县北塬镇人民政府-评分表.xlsx", unit="临夏县北塬镇人民政府",
                   deductions=by_name({"工作效率": 1}), cells={(leaf_path("工作质量"), "score"): "4分"},
                   modified=when(8)),
        dict(status="ok", total=99, warnings={"text-number"})),
    "seven-indicators": (
        Submission(path="事业单位/临夏县文化馆-评分表.xlsx", unit="临夏县文化馆", framework=SEVEN_FRAMEWORK,
                   deductions=by_name({"社会效益实现程度": 2, "预算执行": 1}, SEVEN_FRAMEWORK),
                   reasons=by_name({"社会效益实现程度": "活动参与率不高"}, SEVEN_FRAMEWORK), modified=when(9)),
        dict(status="ok", total=97, warnings={"framework-differs"})),
    "formula-like-unit": (
        Submission(path="乡镇/档案室-评分表.xlsx", unit="=县档案室", deductions=by_name({"预算执行": 1}),
                   title_style="lines", modified=when(10)),
        dict(status="ok", total=99, unit="=县档案室")),
    "resubmission-old": (
        Submission(path="行政单位/临夏县发展和改革局-评分表.xlsx", unit="临夏县发展和改革局",
                   deductions=by_name({"预算执行": 2, "工作效率": 1}), totals={"score": 98}, modified=when(11)),
        dict(status="duplicate", total=97, errors={"total-mismatch"}, warnings={"duplicate"},
             twin="补报/临夏县发展和改革局-评分表（更正）.xlsx")),
    "resubmission-new": (
        Submission(path="补报/临夏县发展和改革局-评分表（更正）.xlsx", unit="临夏县发展和改革局",
                   deductions=by_name({"预算执行": 2, "工作效率": 1}), modified=when(15)),
        dict(status="ok", total=97)),
    "year-2022": (
        Submission(path="乡镇/临夏县河西乡人民政府-2022年评分表.xlsx", unit="临夏县河西乡人民政府", year=2022,
                   deductions=by_name({"预算执行": 1}), modified=when(12)),
        dict(status="ok", total=99, year=2022, warnings={"year-differs"})),
    "no-year": (
        Submission(path="乡镇/临夏县麻尼寺沟乡人民政府-评分表.xlsx", unit="临夏县麻尼寺沟乡人民政府", year=None,
                   title_style="lines", deductions=by_name({"预算执行": 1}), modified=when(13)),
        dict(status="ok", total=99, warnings={"year-missing"})),
    "no-unit": (
        Submission(path="乡镇/井沟乡评分表.xlsx", unit=None, deductions=by_name({"工作效率": 1}), modified=when(14)),
        dict(status="ok", total=99, unit="井沟乡评分表", warnings={"unit-missing"})),
    "truncated": (
        Submission(path="行政单位/临夏县林业和草原局-评分表.xlsx", unit="临夏县林业和草原局", kind="truncated",
                   modified=when(2)),
        dict(status="unreadable", message="已损坏")),
    "empty": (
        Submission(path="乡镇/临夏县漫路乡人民政府-评分表.xlsx", unit="临夏县漫路乡人民政府", kind="empty", modified=when(2)),
        dict(status="unreadable", message="空文件")),
    "text-file": (
        Submission(path="事业单位/临夏县科协-评分表.xlsx", unit="临夏县科协", kind="text", modified=when(2)),
        dict(status="unreadable", message="不是 Excel 工作簿")),
    "not-a-table": (
        Submission(path="事业单位/临夏县医保局-基本情况.xlsx", unit="临夏县医保局", kind="not-table", modified=when(2)),
        dict(status="not-scoring-table", message="找不到评分表")),
}
WPS_ET = "行政单位/临夏县住建局-评分表.et"  # WPS's own format: a submission we cannot read, said so
IGNORED = ["行政单位/~$临夏县财政局2023年度评分表.xlsx", "行政单位/报送说明.docx", "乡镇/汇总要求.txt"]


def _expected() -> dict[str, dict]:
    """file (as displayed) -> expected outcome, for every input workbook."""
    exp: dict[str, dict] = {}
    for (folder, unit, d), sub in zip(CLEAN, _clean_subs()):
        exp[sub.path] = dict(status="ok", unit=unit, year=2023, total=100 - sum(d.values()), errors=set(),
                             warnings=set(), deductions=d)
    for name, (sub, e) in F.items():
        e = dict(e)
        e.setdefault("errors", set())
        e.setdefault("warnings", set())
        if e["status"] in ("unreadable", "not-scoring-table"):
            e.update(unit=None, year=None, total=None)
        else:
            e.setdefault("unit", sub.unit)
            e.setdefault("year", 2023)
        e["sub"] = sub
        exp[sub.path] = e
    exp[WPS_ET] = dict(status="unreadable", unit=None, year=None, total=None, errors=set(), warnings=set(),
                       message=".et")
    for e in exp.values():
        if e["total"] is not None:
            e["grade"] = grade_of(e["total"])
        else:
            e["grade"] = None
    return exp


EXPECTED = _expected()


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "报送"
    write_set(_clean_subs() + [s for s, _ in F.values()], root)
    (root / WPS_ET).write_bytes(b"\xd0\xcf\x11\xe0WPS-et-file")
    for name in IGNORED:
        (root / name).write_bytes(b"not a submission")
    return root


@pytest.fixture(scope="module")
def run2(corpus, tmp_path_factory):
    """The corpus consolidated with two workers: (json, summary path, digest before)."""
    before = _digest(corpus)
    out = tmp_path_factory.mktemp("out") / "汇总.xlsx"
    d = _run_json(["consolidate", str(corpus), "-o", str(out), "--workers", "2"])
    return d, out, before


def _run_json(argv: list[str]) -> dict:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv + ["--json"])
    assert code == 0, buf.getvalue()
    return json.loads(buf.getvalue())


def rows(ws) -> list[dict]:
    it = ws.iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r)) for r in it if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def book(run2):
    return openpyxl.load_workbook(run2[1])


# -- JSON -----------------------------------------------------------------------------------------

def test_every_input_has_its_expected_status_and_figures(run2):
    d, out, _ = run2
    assert d["output"] == str(out)
    files = {f["file"]: f for f in d["files"]}
    assert set(files) == set(EXPECTED), set(files) ^ set(EXPECTED)
    for name, e in EXPECTED.items():
        f = files[name]
        assert f["status"] == e["status"], (name, f)
        assert f["unit"] == e["unit"], (name, f)
        assert f["year"] == e["year"], (name, f)
        assert f["grade"] == e["grade"], (name, f)
        if e["total"] is None:
            assert f["total_score"] is None
        else:
            assert f["total_score"] == pytest.approx(e["total"]), (name, f)
        assert f["errors"] == len(e["errors"]) or (e["status"] in ("unreadable", "not-scoring-table")
                                                     and f["errors"] == 1), (name, f)
        assert f["warnings"] == len(e["warnings"]), (name, f)
        assert f["message"], name
        if "message" in e:
            assert e["message"] in f["message"] and Path(name).name in f["message"], (name, f["message"])
        assert f["path"].endswith(name.split("/")[-1])


def test_counts_grades_and_ignored_files(run2):
    d, out, _ = run2
    statuses = [e["status"] for e in EXPECTED.values()]
    assert d["counts"] == {s: statuses.count(s) for s in ("ok", "errors", "unreadable", "not-scoring-table", "duplicate")}
    assert d["counts"] == {"ok": 33, "errors": 5, "unreadable": 4, "not-scoring-table": 1, "duplicate": 1}
    included = [e for e in EXPECTED.values() if e["status"] in ("ok", "errors")]
    assert d["grades"] == {g: sum(1 for e in included if e["grade"] == g) for g in "优良中差"}
    assert d["grades"] == {"优": 30, "良": 4, "中": 3, "差": 1}
    assert d["year"] == 2023
    ignored = {Path(i["file"]).name: i["reason"] for i in d["ignored"]}
    assert set(ignored) == {Path(n).name for n in IGNORED}
    assert "锁定文件" in ignored["~$临夏县财政局2023年度评分表.xlsx"]


def test_resubmission_keeps_the_newer_file_and_names_its_twin(run2):
    files = {f["file"]: f for f in run2[0]["files"]}
    old = files["行政单位/临夏县发展和改革局-评分表.xlsx"]
    new = files["补报/临夏县发展和改革局-评分表（更正）.xlsx"]
    assert old["status"] == "duplicate" and new["status"] == "ok"
    assert "补报/临夏县发展和改革局-评分表（更正）.xlsx" in old["message"] and "未计入" in old["message"]
    assert "行政单位/临夏县发展和改革局-评分表.xlsx" in new["message"]
    assert old["rank"] is None and new["rank"] is not None


def test_sources_are_never_modified(run2, corpus):
    assert _digest(corpus) == run2[2]


def test_worker_count_does_not_change_anything(run2, corpus, tmp_path):
    d2, out2, _ = run2
    out1 = tmp_path / "汇总.xlsx"
    d1 = _run_json(["consolidate", str(corpus), "-o", str(out1), "--workers", "1"])
    d1["output"] = d2["output"]
    assert d1 == d2
    b1, b2 = openpyxl.load_workbook(out1), openpyxl.load_workbook(out2)
    for name in SHEETS:
        assert list(b1[name].iter_rows(values_only=True)) == list(b2[name].iter_rows(values_only=True)), name


# -- the summary sheets -------------------------------------------------------------------------------

def _included() -> dict[str, dict]:
    return {e["unit"]: e for e in EXPECTED.values() if e["status"] in ("ok", "errors")}


def test_sheet_names_and_layout(book):
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        ws = book[name]
        assert ws.freeze_panes in ("A2", "C2"), name
        if name != "等级分布":
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name


def test_summary_sheet_ranks_every_included_unit(book):
    ws = book["汇总"]
    header = [c.value for c in ws[1]]
    assert header == ["序号", "单位", "年度", "总分", "等级", "排名", *LEVEL1, "社会效应", "可持续性发展能力",
                      "扣分合计", "错误数", "警告数", "状态", "文件"]
    assert ws.freeze_panes == "C2"
    everyone = rows(ws)
    inc = _included()
    got = [r for r in everyone if r["排名"] is not None]
    assert [r["单位"] for r in got] and {r["单位"] for r in got} == set(inc)
    assert [r["序号"] for r in everyone] == list(range(1, len(everyone) + 1))
    assert everyone[:len(got)] == got  # ranked units first
    # then each unit none of whose files could be scored, once, with its status and no score
    unscored = everyone[len(got):]
    assert unscored and not {r["单位"] for r in unscored} & set(inc)
    assert len({r["单位"] for r in unscored}) == len(unscored)
    for r in unscored:
        assert r["状态"] in ("无法读取", "不是评分表") and r["总分"] is None and r["等级"] is None, r
        assert r["文件"] and EXPECTED[r["文件"]]["status"] in ("unreadable", "not-scoring-table"), r
    totals = [r["总分"] for r in got]
    assert totals == sorted(totals, reverse=True)
    # competition ranking: ties share a rank, the next rank skips
    for k, r in enumerate(got):
        assert r["排名"] == 1 + sum(1 for t in totals if t > r["总分"] + 1e-9), r
    assert {r["单位"]: r["排名"] for r in got if r["总分"] == 99}.keys() >= {"临夏县财政局", "临夏县尹集镇人民政府"}
    assert len({r["排名"] for r in got if r["总分"] == 99}) == 1
    for r in got:
        e = inc[r["单位"]]
        assert r["总分"] == pytest.approx(e["total"]) and r["等级"] == e["grade"], r
        assert r["年度"] == e["year"]
        assert r["状态"] == {"ok": "通过", "errors": "有错误"}[e["status"]]
        assert r["错误数"] == len(e["errors"]) and r["警告数"] == len(e["warnings"]), r
        parts = [r[k] for k in LEVEL1 + ["社会效应", "可持续性发展能力"] if r[k] is not None]
        assert sum(parts) == pytest.approx(r["总分"]), r
        if "deductions" in e:
            assert r["扣分合计"] == pytest.approx(sum(e["deductions"].values()))
    seven = next(r for r in got if r["单位"] == "临夏县文化馆")
    assert seven["基础管理"] is None and seven["社会效应"] == 3 and seven["可持续性发展能力"] == 5
    top = got[0]
    assert top["单位"] == "临夏县漠泥沟乡人民政府" and top["部门规划"] == 15 and top["管理效率"] == 44


def test_summary_sheet_formats_and_colours(book):
    ws = book["汇总"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    totals = [row[col["总分"]].value for row in ws.iter_rows(min_row=2) if row[col["总分"]].value is not None]
    decimals = 2 if any(abs(t * 10 - round(t * 10)) > 1e-6 for t in totals) else \
        1 if any(abs(t - round(t)) > 1e-9 for t in totals) else 0
    fills = {"有错误": "FFC7CE", "通过": "C6EFCE", "无法读取": "F4B084", "不是评分表": "F4B084"}
    for row in ws.iter_rows(min_row=2):
        # one decimal convention per column: as many decimals as its numbers need
        if row[col["总分"]].value is not None:
            assert row[col["总分"]].number_format == ("0", "0.0", "0.00")[decimals]
            assert row[col["排名"]].number_format == "0"
        grade = row[col["等级"]]
        if grade.value is not None:
            assert grade.fill.fgColor.rgb.endswith(
                {"优": "C6EFCE", "良": "DDEBF7", "中": "FFEB9C", "差": "FFC7CE"}[grade.value])
        status = row[col["状态"]]
        assert status.fill.fgColor.rgb.endswith(fills[status.value])


def test_text_from_submissions_stays_text(book, run2):
    for name, column in (("汇总", "单位"), ("明细", "单位"), ("文件清单", "单位"), ("扣分明细", "单位")):
        ws = book[name]
        header = [c.value for c in ws[1]]
        cells = [row[header.index(column)] for row in ws.iter_rows(min_row=2)]
        hits = [c for c in cells if c.value == "=县档案室"]
        assert hits, name
        assert all(c.data_type == "s" for c in hits), name
    # and a reader that evaluates nothing sees the text too
    from python_calamine import CalamineWorkbook

    values = CalamineWorkbook.from_path(str(run2[1])).get_sheet_by_name("汇总").to_python()
    assert any(r[1] == "=县档案室" for r in values)


def test_detail_sheet_has_every_indicator_of_every_unit(book):
    got = rows(book["明细"])
    assert list(got[0]) == ["单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "得分率", "扣分原因", "文件", "单元格"]
    inc = _included()
    per_unit: dict[str, list] = {}
    for r in got:
        per_unit.setdefault(r["单位"], []).append(r)
    assert set(per_unit) == set(inc)
    for unit, rs in per_unit.items():
        n = len(SEVEN_FRAMEWORK) if unit == "临夏县文化馆" else len(SEED_FRAMEWORK)
        assert len(rs) == n, unit
        scores = [r["得分"] for r in rs if r["得分"] is not None]
        assert sum(scores) == pytest.approx(inc[unit]["total"]), unit
    r = next(r for r in per_unit["临夏县交通运输局"] if r["三级指标"] == "预算编制")
    assert (r["一级指标"], r["二级指标"], r["分值"], r["扣分"], r["得分"]) == ("管理效率", "预算管理", 5, 5, 0)
    assert r["得分率"] == 0 and r["文件"] == "行政单位/临夏县交通运输局2023年度评分表.xlsx" and r["单元格"] == "H17"
    r = next(r for r in per_unit["临夏县财政局"] if r["三级指标"] == "预算执行")
    assert r["得分"] == 3 and r["得分率"] == pytest.approx(0.75) and r["扣分原因"] == f"{REASON}（临夏县财政局）"
    two_level = next(r for r in per_unit["临夏县财政局"] if r["二级指标"] == "综合管理能力建设")
    assert two_level["三级指标"] is None and two_level["分值"] == 2
    missing = next(r for r in per_unit["临夏县农业农村局"] if r["三级指标"] == "成本控制有效性")
    assert missing["得分"] is None and missing["扣分"] is None and missing["得分率"] is None


def test_deduction_sheet_lists_every_deduction_with_its_reason(book):
    got = rows(book["扣分明细"])
    assert list(got[0]) == ["单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "扣分原因", "文件", "单元格"]
    inc = _included()
    expected = set()
    for unit, e in inc.items():
        if "deductions" in e:
            expected |= {(unit, name, float(v)) for name, v in e["deductions"].items()}
    clean = {(r["单位"], r["三级指标"], r["扣分"]) for r in got if "deductions" in inc[r["单位"]]}
    assert clean == expected
    for r in got:
        assert r["扣分"] != 0
    fin = [r for r in got if r["单位"] == "临夏县财政局"]
    assert fin == [{"单位": "临夏县财政局", "一级指标": "管理效率", "二级指标": "预算管理", "三级指标": "预算执行", "分值": 4,
                    "扣分": 1, "得分": 3, "扣分原因": f"{REASON}（临夏县财政局）",
                    "文件": "行政单位/临夏县财政局2023年度评分表.xlsx", "单元格": "G20"}]  # 2 lines above the header
    above = [r for r in got if r["单位"] == "临夏县卫生健康局" and r["三级指标"] == "资产利用率"]
    assert above and above[0]["扣分"] == 3 and above[0]["分值"] == 2
    seven = [r for r in got if r["单位"] == "临夏县文化馆" and r["一级指标"] == "社会效应"]
    assert seven and seven[0]["扣分原因"] == "活动参与率不高"


def test_indicator_statistics(book):
    got = rows(book["指标统计"])
    assert list(got[0]) == ["一级指标", "二级指标", "三级指标", "分值", "单位数", "平均得分", "平均得分率", "扣分单位数",
                            "最低得分", "扣分合计", "说明"]
    deducted = [r["扣分单位数"] for r in got]
    assert deducted == sorted(deducted, reverse=True)  # most-deducted first
    # 预算执行 (管理效率/预算管理; 4 分, 3 分 in the seven-indicator table): recompute from the expectations
    inc = _included()
    faulty = {"临夏县教育局": 2, "临夏县卫生健康局": 1, "临夏县农业农村局": 1, "临夏县博物馆": 2, "临夏县文化馆": 1,
              "临夏县发展和改革局": 2, "临夏县河西乡人民政府": 1, "临夏县麻尼寺沟乡人民政府": 1, "=县档案室": 1,
              "临夏县妇幼保健院": 0, "临夏县北塬镇人民政府": 0, "井沟乡评分表": 0}
    cases = [(4, e["deductions"].get("预算执行", 0)) for e in inc.values() if "deductions" in e]
    cases += [(3 if u == "临夏县文化馆" else 4, d) for u, d in faulty.items()]
    assert len(cases) == len(inc) == 38
    top = got[0]
    assert (top["一级指标"], top["二级指标"], top["三级指标"]) == ("管理效率", "预算管理", "预算执行")
    assert top["单位数"] == 38
    assert top["扣分单位数"] == sum(1 for _, d in cases if d)
    assert top["平均得分"] == pytest.approx(mean(w - d for w, d in cases))
    assert top["平均得分率"] == pytest.approx(mean((w - d) / w for w, d in cases))
    assert top["扣分合计"] == pytest.approx(sum(d for _, d in cases))
    assert top["最低得分"] == 0
    assert top["分值"] == 4  # the most common weight
    # the 文化馆 weighs it 3: the mean rate is not 平均得分 / 分值, and 说明 says so
    assert top["平均得分率"] != pytest.approx(top["平均得分"] / top["分值"])
    assert top["说明"].startswith("有单位的分值为 3（多数为 4）：平均得分率是各单位得分率的平均")
    # indicators only some units have: counted over those units
    social = next(r for r in got if r["一级指标"] == "社会效应")
    assert (social["单位数"], social["扣分单位数"], social["平均得分"], social["最低得分"]) == (1, 1, 3, 3)
    basic = next(r for r in got if r["一级指标"] == "基础管理")
    assert basic["单位数"] == 37 and basic["扣分单位数"] == 0 and basic["平均得分率"] == 1


def test_grade_distribution_sheet_and_charts(book, run2):
    ws = book["等级分布"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("等级", "单位数", "占比")
    grades = {r[0]: (r[1], r[2]) for r in values[1:5]}
    inc = list(_included().values())
    for g in "优良中差":
        n = sum(1 for e in inc if e["grade"] == g)
        assert grades[g][0] == n and grades[g][1] == pytest.approx(n / len(inc))
    assert values[5][:2] == ("合计", len(inc))
    start = next(i for i, r in enumerate(values) if r[0] == "分数段")
    bins = {r[0]: r[1] for r in values[start + 1:] if r[0]}
    assert sum(bins.values()) == len(inc)
    assert bins["95–100"] == sum(1 for e in inc if e["total"] >= 95)
    assert bins["60 分以下"] == sum(1 for e in inc if e["total"] < 60) == 1
    assert bins["85–90"] == sum(1 for e in inc if 85 <= e["total"] < 90)
    import zipfile

    with zipfile.ZipFile(run2[1]) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        xml = "".join(zf.read(n).decode() for n in charts)
    assert "等级分布" in xml and "总分分布" in xml and "barChart" in xml


def test_issue_sheet_lists_every_issue_of_every_file(book, run2):
    got = rows(book["校验问题"])
    assert list(got[0]) == ["文件", "单位", "级别", "代码", "单元格", "指标", "说明"]
    by_file: dict[str, list] = {}
    for r in got:
        by_file.setdefault(r["文件"], []).append(r)
    for name, e in EXPECTED.items():
        rs = by_file.get(name, [])
        codes_e = {r["代码"] for r in rs if r["级别"] == "错误"}
        codes_w = {r["代码"] for r in rs if r["级别"] == "警告"}
        if e["status"] in ("unreadable", "not-scoring-table"):
            assert [r["代码"] for r in rs] == [e["status"]], name
            assert Path(name).name in rs[0]["说明"]
        else:
            assert codes_e == e["errors"] and codes_w == e["warnings"], (name, rs)
            assert all(r["单位"] == e["unit"] for r in rs)
    wrong = by_file["行政单位/临夏县教育局-评分表.xlsx"][0]
    assert wrong["单元格"] == "D10" and wrong["指标"] == "运行成本 / 基本经费成本" and "10" in wrong["说明"]


def test_ledger_lists_every_input_workbook_with_its_status(book):
    got = rows(book["文件清单"])
    ignored = [r for r in got if r["状态"] == "已忽略"]  # after the submissions: nothing passed over silently
    assert {Path(r["文件"]).name for r in ignored} == {Path(n).name for n in IGNORED}
    assert all(r["状态代码"] == "ignored" and r["说明"] for r in ignored) and got[-len(ignored):] == ignored
    got = got[:-len(ignored)]
    assert list(got[0]) == ["序号", "文件", "状态", "单位", "年度", "总分", "等级", "错误数", "警告数", "说明", "修改时间",
                            "状态代码"]
    assert len(got) == len(EXPECTED) == 44
    assert [r["序号"] for r in got] == list(range(1, 45))
    assert {r["文件"] for r in got} == set(EXPECTED)
    labels = {"ok": "通过", "errors": "有错误", "unreadable": "无法读取", "not-scoring-table": "不是评分表",
              "duplicate": "重复报送（未计入）"}
    for r in got:
        e = EXPECTED[r["文件"]]
        assert r["状态代码"] == e["status"] and r["状态"] == labels[e["status"]], r
        assert r["单位"] == e["unit"] and r["说明"]
        if e["total"] is not None:
            assert r["总分"] == pytest.approx(e["total"]) and r["等级"] == e["grade"]
        if "sub" in e:
            assert r["修改时间"] == e["sub"].modified
    # ledger order is the folders' order: sub-folders sorted, files sorted within them
    assert [r["文件"] for r in got] == sorted(EXPECTED, key=lambda p: tuple(p.split("/")))


# -- LibreOffice ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_summary_opens_in_libreoffice(run2, tmp_path):
    import shutil
    import subprocess

    src = tmp_path / "汇总.xlsx"
    shutil.copy(run2[1], src)
    profile = tmp_path / "lo-profile"  # a private profile: never collides with another soffice
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "汇总.pdf"
    assert proc.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, proc.stdout + proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
