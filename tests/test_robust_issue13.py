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
