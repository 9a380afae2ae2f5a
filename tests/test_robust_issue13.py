"""Issue 13 (可靠与安全（二）): every finding of the second hostile-input round, built and asserted.

No crash or traceback, exit codes keep their meaning (2 = could not do it, JSON on stdout when JSON was
asked), no hang on special files, linear-time reading, nothing skipped silently, no user file
overwritten without --force, grading bands and frameworks validated.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import SEED_FIXTURE, leaf_row, rewrite_sheet, seed_like

from xladdin.cli import main
from xladdin.kinds.department.framework import SEED_FRAMEWORK


def _strict(text: str):
    """json.loads that refuses NaN/Infinity (not JSON)."""
    def bad(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=bad)


def check_json(capsys, *args):
    code = main(["check", *map(str, args), "--format", "json"])
    captured = capsys.readouterr()
    return code, _strict(captured.out), captured.err


# -- crashes: numbers past what a float holds ---------------------------------------------------------

def _first_weight(ws, geo, value):
    ws.cell(leaf_row(geo, SEED_FRAMEWORK[0].path), 6, value)


def test_text_1e400_in_a_number_cell_is_a_bad_number(tmp_path, capsys):
    f = seed_like(tmp_path / "a.xlsx", edit=lambda ws, geo: _first_weight(ws, geo, "1e400"))
    code, d, err = check_json(capsys, f)
    assert code == 1 and not err
    bad = [i for i in d["issues"] if i["code"] == "bad-number"]
    assert bad and "1e400" in bad[0]["message"]


@pytest.mark.parametrize("token", ["NaN", "inf", "-inf", "1e999"])
def test_non_finite_values_in_the_sheet_xml(tmp_path, capsys, token):
    base = seed_like(tmp_path / "base.xlsx")

    def fn(xml: str) -> str:
        return re.sub(r'(<c r="F3"[^>]*><v>)[^<]+(</v>)', lambda m: m.group(1) + token + m.group(2), xml)

    f = rewrite_sheet(base, tmp_path / "raw.xlsx", fn)
    code, d, err = check_json(capsys, f)
    assert code == 1 and not err
    assert any(i["code"] == "bad-number" and i["cell"] == "F3" for i in d["issues"])
    main(["check", str(f)])
    out = capsys.readouterr().out
    assert "Traceback" not in out and "F3" in out


def test_weights_summing_past_1e308(tmp_path, capsys):
    def edit(ws, geo):
        for leaf in SEED_FRAMEWORK[:3]:
            ws.cell(leaf_row(geo, leaf.path), 6, 1e308)

    f = seed_like(tmp_path / "big.xlsx", edit=edit)
    code, d, err = check_json(capsys, f)  # strict JSON: the overflowed sums are null, not Infinity
    assert code == 1 and not err
    assert d["total_deduction"] is None or isinstance(d["total_deduction"], float)
    assert any(i["code"] == "weight-sum" and "超出范围" in i["message"] for i in d["issues"])
    assert main(["check", str(f)]) == 1
    assert "超出范围" in capsys.readouterr().out


def test_fmt_never_raises():
    from xladdin.core.numbers import fmt, parse_number

    for x in (float("nan"), float("inf"), -float("inf"), 1e308 * 10, 1e300, -1e20):
        assert isinstance(fmt(x), str)
    assert fmt(2.5) == "2.5" and fmt(42.0) == "42"
    assert parse_number("1e400").kind == "bad"


# -- the command line: exit codes, JSON on failure, Chinese, the last-resort handler ------------------

def test_usage_errors_are_chinese_and_json_when_asked(capsys):
    with pytest.raises(SystemExit) as e:
        main(["check", "a.xlsx", "--format", "json", "--grades"])
    assert e.value.code == 2
    captured = capsys.readouterr()
    d = _strict(captured.out)
    assert d["exit_code"] == 2 and d["error"]["code"] == "usage"
    for english in ("argument", "usage:", "expected", "choose from"):
        assert english not in captured.err
    with pytest.raises(SystemExit):
        main(["check", "a.xlsx", "--format", "xml"])
    err = capsys.readouterr().err
    assert "无效的选项" in err and "可选" in err and "choose from" not in err
    with pytest.raises(SystemExit):
        main(["consolidate", "--json"])
    captured = capsys.readouterr()
    assert _strict(captured.out)["error"]["code"] == "usage" and "缺少参数" in captured.err
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "用法" in out and "显示本帮助并退出" in out and "show this help" not in out


def test_a_config_error_gives_json_with_exit_code_2(tmp_path, capsys):
    code = main(["check", str(SEED_FIXTURE), "--format", "json", "--grades-file", str(tmp_path / "none.json")])
    captured = capsys.readouterr()
    assert code == 2
    d = _strict(captured.out)
    assert d["error"]["code"] == "config" and "不存在" in d["error"]["message"]
    assert "No such file" not in captured.err


def test_last_resort_handler_writes_a_log_and_says_so_in_chinese(tmp_path, capsys, monkeypatch):
    import xladdin.engine

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(xladdin.engine, "check_file", boom)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["check", str(SEED_FIXTURE)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部出错" in err
    logs = list((tmp_path / ".xladdin" / "logs").glob("*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "simulated bug" in logs[0].read_text(encoding="utf-8")
    assert main(["check", str(SEED_FIXTURE), "--format", "json"]) == 2
    d = _strict(capsys.readouterr().out)
    assert d["error"]["code"] == "internal" and d["error"]["log"].endswith(".log")


def test_gbk_bytes_in_a_file_name_are_readable_in_json(tmp_path, capsys):
    raw = "财政局.xlsx".encode("gbk")
    folder = os.fsencode(tmp_path)
    path = os.path.join(folder, raw)
    with open(path, "wb") as fh:
        fh.write(SEED_FIXTURE.read_bytes())
    name = os.fsdecode(path)  # Python's view: surrogate escapes
    code, d, _ = check_json(capsys, name)
    assert code == 1 and d["file"].endswith("财政局.xlsx")


# -- the template: control characters, lone surrogates, overwriting -----------------------------------

@pytest.mark.parametrize("unit", ["某\x01局\x1b", "某局\ud800", "财政局".encode("gbk").decode("utf-8", "surrogateescape")])
def test_template_unit_with_control_characters_or_surrogates(tmp_path, capsys, unit):
    out = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(out), "--unit", unit]) == 0
    wb = openpyxl.load_workbook(out)  # a workbook that opens
    title = str(wb.worksheets[0].cell(1, 1).value)
    assert "\x01" not in title and "\ud800" not in title
    if "\udcb2" in unit:
        assert "财政局" in title
    capsys.readouterr()
    code, d, _ = check_json(capsys, out)
    assert d["issues"] is not None and code in (0, 1)


def test_template_never_overwrites_what_is_not_an_untouched_template(tmp_path, capsys):
    sub = seed_like(tmp_path / "报送.xlsx")
    before = sub.read_bytes()
    assert main(["template", "-o", str(sub)]) == 2
    assert "--force" in capsys.readouterr().err and sub.read_bytes() == before
    own = tmp_path / "模板.xlsx"
    assert main(["template", "-o", str(own)]) == 0
    assert main(["template", "-o", str(own), "--unit", "某局"]) == 0  # its own earlier output
    wb = openpyxl.load_workbook(own)
    wb.properties.lastModifiedBy = "张三"  # a clerk filled it in and saved
    wb.save(own)
    assert main(["template", "-o", str(own)]) == 2
    assert main(["template", "-o", str(sub), "--force"]) == 0
    capsys.readouterr()


def test_template_refuses_its_own_framework_file_as_output(tmp_path, capsys):
    fw = tmp_path / "指标体系.xlsx"
    assert main(["template", "-o", str(fw)]) == 0
    before = fw.read_bytes()
    assert main(["template", "-o", str(fw), "--framework", str(fw), "--force"]) == 2
    assert fw.read_bytes() == before and "指标体系" in capsys.readouterr().err


# -- check --annotate: suffixes, overwriting, a user's 校验结果, an unreadable source -----------------

@pytest.mark.parametrize("name", ["out.xlsm", "out.xls", "out.csv", "out", ""])
def test_annotate_refuses_a_name_whose_suffix_does_not_match(tmp_path, capsys, name):
    out = str(tmp_path / name) if name else ""
    assert main(["check", str(SEED_FIXTURE), "--annotate", out]) == 2
    err = capsys.readouterr().err
    assert "错误" in err and ".xlsx" in err or "文件名" in err
    assert not (tmp_path / name).is_file() if name else True


def test_annotate_never_overwrites_another_file(tmp_path, capsys):
    other = seed_like(tmp_path / "其他部门.xlsx")
    before = other.read_bytes()
    assert main(["check", str(SEED_FIXTURE), "--annotate", str(other)]) == 2
    assert other.read_bytes() == before and "--force" in capsys.readouterr().err
    out = tmp_path / "标注.xlsx"
    assert main(["check", str(SEED_FIXTURE), "--annotate", str(out)]) == 1
    assert main(["check", str(SEED_FIXTURE), "--annotate", str(out)]) == 1  # its own earlier copy
    assert main(["check", str(SEED_FIXTURE), "--annotate", str(other), "--force"]) == 1
    assert "校验结果" in openpyxl.load_workbook(other).sheetnames
    capsys.readouterr()


def test_annotate_keeps_a_users_sheet_named_jiaoyanjieguo(tmp_path, capsys):
    def edit(ws, geo):
        mine = ws.parent.create_sheet("校验结果")
        mine["A1"] = "我自己的校验记录"

    src = seed_like(tmp_path / "src.xlsx", deductions={SEED_FRAMEWORK[0].path: 99}, edit=edit)
    out = tmp_path / "标注.xlsx"
    main(["check", str(src), "--annotate", str(out)])
    wb = openpyxl.load_workbook(out)
    assert wb["校验结果"]["A1"].value == "我自己的校验记录"
    ours = [n for n in wb.sheetnames if n.startswith("校验结果") and n != "校验结果"]
    assert ours and wb[ours[0]]["A1"].value == "校验结果"
    capsys.readouterr()


def test_annotate_of_an_unreadable_source_says_no_copy(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["check", str(bad), "--annotate", str(tmp_path / "o.xlsx")]) == 2
    assert "没有生成标注副本" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()


def test_consolidate_force(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    seed_like(tmp_path / "in" / "a.xlsx")
    target = seed_like(tmp_path / "其他.xlsx")
    before = target.read_bytes()
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(target), "--json", "--workers", "1"]) == 2
    d = _strict(capsys.readouterr().out)
    assert d["error"]["code"] == "output" and target.read_bytes() == before
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(target), "--force", "--workers", "1"]) == 0
    with zipfile.ZipFile(target) as zf:
        assert b"xladdin-summary" in zf.read("docProps/core.xml")
    capsys.readouterr()


# -- hangs and unbounded resources -------------------------------------------------------------------

def _with_part(src: Path, dst: Path, name: str, fn) -> Path:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[name] = fn(parts[name])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return dst


def _formulas_without_values(path: Path) -> Path:
    from xladdin.outputs.template import write_template

    wb, _ = write_template(None, unit="某局", year=2023)
    wb.save(path)  # openpyxl saves formulas without results: the sheet XML is looked into
    return path


def test_crafted_workbook_xml_is_read_in_linear_time(tmp_path, capsys):
    import time

    base = _formulas_without_values(tmp_path / "base.xlsx")
    crafted = _with_part(base, tmp_path / "crafted.xlsx", "xl/workbook.xml",
                         lambda b: b.replace(b"<sheets>", b"<!--" + b"<sheet " * 40000 + b"--><sheets>"))
    rels = _with_part(crafted, tmp_path / "rels.xlsx", "xl/_rels/workbook.xml.rels",
                      lambda b: b.replace(b"<Relationship ", b"<!--" + b"<Relationship " * 40000 + b"--><Relationship ", 1))
    assert crafted.stat().st_size < 100_000  # the comment compresses to almost nothing
    for f in (crafted, rels):
        start = time.perf_counter()
        code, d, _ = check_json(capsys, f)
        assert time.perf_counter() - start < 10  # quadratic: about 2 minutes
        assert code in (0, 1) and d["total_weight"] == 100


def test_prolog_pattern_is_not_exponential():
    import time

    from xladdin.reading.workbook import _PROLOG_DOCTYPE

    for data in (b" " * 100_000 + b"<x/>", b"<?a?>" * 50_000 + b"<!DOCTYPE x>", b"<?a " * 50_000):
        start = time.perf_counter()
        re.match(_PROLOG_DOCTYPE, data, re.S)
        assert time.perf_counter() - start < 1  # (?:\s+|...)* took 1 s at 24 blanks, doubling per blank


def test_names_padded_with_blanks_are_read_in_linear_time(tmp_path, capsys):
    import time

    def pad(ws, geo):
        for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
            for c in row[:5:2]:
                if isinstance(c.value, str) and len(c.value) > 1:
                    c.value = c.value[:1] + " " * 1990 + c.value[1:]

    f = seed_like(tmp_path / "padded.xlsx", edit=pad)
    start = time.perf_counter()
    code, d, _ = check_json(capsys, f)
    assert time.perf_counter() - start < 5
    assert d["total_weight"] == 100


def test_split_weight_from_name_is_linear_and_unchanged():
    import time

    from xladdin.core.numbers import split_weight_from_name

    assert split_weight_from_name("相关性(5分)") == ("相关性", 5.0)
    assert split_weight_from_name("目标任务（15分）") == ("目标任务", 15.0)
    assert split_weight_from_name("决策") == ("决策", None)
    for name in ("决" + " " * 5000 + "策", "决" + " " * 5000 + "（ " + " " * 5000 + "5", "a" + "1" * 5000 + " x"):
        start = time.perf_counter()
        split_weight_from_name(name)
        assert time.perf_counter() - start < 0.05


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_xlsx_is_refused_without_hanging(tmp_path, capsys):
    fifo = tmp_path / "x.xlsx"
    os.mkfifo(fifo)
    code, d, _ = check_json(capsys, fifo)
    assert code == 2 and "管道" in d["issues"][0]["message"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path, capsys):
    link = tmp_path / "x.xlsx"
    link.symlink_to("/dev/zero")
    code, d, _ = check_json(capsys, link)
    assert code == 2 and "特殊文件" in d["issues"][0]["message"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "z.xlsx").symlink_to("/dev/zero")
    seed_like(tmp_path / "in" / "a.xlsx")
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "--json", "--workers", "1"]) == 0
    files = {f["file"]: f for f in _strict(capsys.readouterr().out)["files"]}
    assert files["z.xlsx"]["status"] == "unreadable" and "特殊文件" in files["z.xlsx"]["message"]


def test_check_has_a_time_limit(tmp_path, capsys, monkeypatch):
    import xladdin.engine

    def slow(*a, **k):
        import time
        time.sleep(30)

    monkeypatch.setattr(xladdin.engine, "check_file", slow)  # the reader process is forked: it inherits this
    code, d, _ = check_json(capsys, SEED_FIXTURE, "--timeout", "1")
    assert code == 2 and "超时" in d["issues"][0]["message"]


def test_check_has_a_memory_limit(capsys):
    from xladdin.reading.process import LimitExceeded, call_limited

    def hog():
        return bytearray(1 << 30)  # 1 GB

    with pytest.raises(LimitExceeded) as e:
        call_limited(hog, timeout=30, memory=512 * 1024 ** 2)
    assert e.value.reason == "memory"
    assert call_limited(sum, [1, 2], timeout=30, memory=512 * 1024 ** 2) == 3


# -- nothing skipped silently --------------------------------------------------------------------------

def test_a_folder_nested_1100_levels_deep(tmp_path, capsys):
    deep = tmp_path / "in"
    p = str(deep)
    os.mkdir(p)
    for _ in range(1100):
        p = os.path.join(p, "d")
        os.mkdir(p)
    seed_like(Path(p) / "a.xlsx")  # beyond MAX_PATH on Windows; fine here
    out = tmp_path / "s.xlsx"
    try:
        assert main(["consolidate", str(deep), "-o", str(out), "--json", "--workers", "1"]) == 0
        d = _strict(capsys.readouterr().out)
        assert d["counts"]["ok"] == 1 and out.exists()
    finally:  # pytest's own clean-up (shutil.rmtree) recurses: take the tree down from the bottom
        os.remove(Path(p) / "a.xlsx")
        while p != str(deep):
            os.rmdir(p)
            p = os.path.dirname(p)


def test_unreadable_subfolders_ods_xltx_and_trailing_blanks_are_listed(tmp_path, capsys, monkeypatch):
    import shutil

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    seed_like(folder / "locked" / "x.xlsx")
    seed_like(folder / "a.xlsx ")  # a trailing blank
    shutil.copy(folder / "a.xlsx ", folder / "b.xltx")
    (folder / "说明.txt").write_text("见附件")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "s.xlsx"
    assert main(["consolidate", str(folder), "-o", str(out), "--json", "--workers", "1"]) == 0
    captured = capsys.readouterr()
    d = _strict(captured.out)
    names = {Path(f["file"]).name for f in d["files"]}
    assert {"a.xlsx ", "b.xltx"} <= names
    reasons = {Path(i["file"]).name: i["reason"] for i in d["ignored"]}
    assert "文件夹无法打开" in reasons["locked"] and "没有权限" in reasons["locked"]
    assert reasons["说明.txt"] == "不是 Excel 工作簿"
    ledger = [r for r in openpyxl.load_workbook(out)["文件清单"].iter_rows(values_only=True)][1:]
    listed = {Path(str(r[1])).name: (r[2], r[9]) for r in ledger if r[1]}
    assert listed["locked"][0] == "已忽略" and "没有权限" in listed["locked"][1]
    assert listed["说明.txt"] == ("已忽略", "不是 Excel 工作簿")


def test_ods_is_read_like_the_others(tmp_path, capsys):
    import shutil
    import subprocess

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    src = seed_like(tmp_path / "a.xlsx")
    subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=120, check=True)
    code, d, _ = check_json(capsys, tmp_path / "a.ods")
    assert code == 0 and d["total_score"] == 95


# -- smaller: grading bands, framework weights, a summary given to check --------------------------------

@pytest.mark.parametrize("spec, words", [
    ("90:优,80:良,60:中", "0 分起"),  # no 0 band: 50 would silently be 中
    ("90:优,95:良,0:差", "顺序不对"),
    ("90:优,90:良,0:差", "各不相同"),
    ("90:优,80:优,0:差", "出现了两次"),
])
def test_grading_bands_are_validated(capsys, spec, words):
    from xladdin.core.grading import Grading
    from xladdin.errors import ConfigError

    with pytest.raises(ConfigError) as e:
        Grading.parse(spec)
    assert words in e.value.message
    assert main(["check", str(SEED_FIXTURE), "--grades", spec, "--format", "json"]) == 2
    assert words in _strict(capsys.readouterr().out)["error"]["message"]


def test_valid_grading_bands_still_pass():
    from xladdin.core.grading import Grading

    assert Grading.parse("85:A,70:B,0:C").grade(50) == "C"
    assert Grading.parse("85:优秀,70:合格,0:不合格").grade(80) == "合格"
    assert Grading.parse("0:差,60:中,80:良,90:优").grade(95) == "优"


def test_framework_with_negative_weights_is_refused(tmp_path, capsys):
    fw = tmp_path / "指标体系.csv"
    fw.write_text("一级指标,分值,二级指标,分值,评分标准\n决策,120,目标,120,x\n过程,-20,管理,-20,y\n", encoding="utf-8")
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--framework", str(fw)]) == 2
    err = capsys.readouterr().err
    assert "分值应为正数" in err and "-20" in err and not (tmp_path / "t.xlsx").exists()


def test_check_on_a_summary_says_it_is_a_summary(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    seed_like(tmp_path / "in" / "a.xlsx")
    out = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    code, d, _ = check_json(capsys, out)
    assert code == 2 and len(d["issues"]) == 1
    assert d["issues"][0]["code"] == "not-scoring-table" and "汇总表" in d["issues"][0]["message"]
    assert main(["check", str(out), "--timeout", "0"]) == 2
    assert "汇总表" in capsys.readouterr().out


def test_a_summary_over_more_level1_indicators_than_excel_has_columns(tmp_path):
    import copy

    from xladdin.consolidation.consolidate import MAX_LEVEL1_COLUMNS, consolidate
    from xladdin.consolidation.workers import _read_one
    from xladdin.core.grading import DEFAULT_GRADING
    from xladdin.outputs.summary_book import write_summary

    base = _read_one(0, str(seed_like(tmp_path / "a.xlsx")), "a.xlsx", DEFAULT_GRADING)
    entries = []
    for i in range(2):
        e = copy.deepcopy(base)
        e.index, e.display, e.unit = i, f"{i}.xlsx", f"单位{i}"
        e.roots = [(f"指标{i}-{k}", 1.0, 1.0) for k in range(9000)]  # 18,000 level-1 names in all
        entries.append(e)
    summary = consolidate(entries, DEFAULT_GRADING)
    assert len(summary.level1) == MAX_LEVEL1_COLUMNS
    assert all(any(i.code == "framework-differs" for i in e.issues) for e in entries) or len(entries) == 2
    out = tmp_path / "汇总.xlsx"
    write_summary(summary, out)
    ws = openpyxl.load_workbook(out)["汇总"]
    assert ws.max_column < 16_384


def test_a_chart_sheet_or_an_unreadable_sheet_before_the_table(tmp_path, capsys, monkeypatch):
    from openpyxl.chart import BarChart, Reference

    f = seed_like(tmp_path / "chart.xlsx")
    wb = openpyxl.load_workbook(f)
    chart = BarChart()
    chart.add_data(Reference(wb["表1"], min_col=6, min_row=3, max_row=10))
    wb.create_chartsheet("图表", 0).add_chart(chart)
    wb.save(f)
    code, d, _ = check_json(capsys, f)
    assert code == 0 and d["sheet"] == "表1"

    # an .xlsb chart sheet: calamine cannot read it; the table on the next sheet is still found
    from xladdin.errors import UnreadableError
    from xladdin.reading.workbook import Workbook

    real = Workbook.grid

    def grid(self, sheet):
        if sheet == "坏表":
            raise UnreadableError("文件的工作表“坏表”无法读取（文件已损坏）。")
        return real(self, sheet)

    g = seed_like(tmp_path / "two.xlsx")
    wb = openpyxl.load_workbook(g)
    wb.create_sheet("坏表", 0)
    wb.save(g)
    monkeypatch.setattr(Workbook, "grid", grid)
    code, d, _ = check_json(capsys, g, "--timeout", "0")
    assert code == 0 and d["sheet"] == "表1"
    code, d, _ = check_json(capsys, g, "--timeout", "0", "--sheet", "坏表")
    assert code == 2 and "坏表" in d["issues"][0]["message"]


def test_annotate_keeps_pictures(tmp_path, capsys):
    pytest.importorskip("PIL")
    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    Picture.new("RGB", (60, 60), (200, 0, 0)).save(tmp_path / "seal.png")
    src = seed_like(tmp_path / "src.xlsx", deductions={SEED_FRAMEWORK[0].path: 99})
    wb = openpyxl.load_workbook(src)
    wb["表1"].add_image(Image(str(tmp_path / "seal.png")), "K2")
    wb.save(src)
    out = tmp_path / "标注.xlsx"
    assert main(["check", str(src), "--annotate", str(out)]) == 1
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("xl/media/") for n in zf.namelist())
    capsys.readouterr()
