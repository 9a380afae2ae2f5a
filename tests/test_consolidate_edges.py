"""`xladdin consolidate` at its edges: safe output, odd inputs, resubmission timing, options, progress."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import multiprocessing
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from xladdin.cli import main
from xladdin.consolidation.terminal import Progress
from xladdin.samples import Submission, by_name, write_set, write_submission


def sub(path: str, unit: str, day: int = 1, **kw) -> Submission:
    kw.setdefault("deductions", by_name({"预算执行": 1}))
    return Submission(path=path, unit=unit, modified=dt.datetime(2024, 6, day, 9, 0, 0), **kw)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def as_json(*argv) -> dict:
    code, out, err = cli(*argv, "--json", "--workers", "1")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def small(tmp_path) -> Path:
    folder = tmp_path / "报送"
    write_set([sub("a/甲局.xlsx", "某县甲局", 1), sub("b/乙局.xlsx", "某县乙局", 2),
               sub("丙局.xlsx", "某县丙局", 3, deductions=by_name({"工作效率": 4}))], folder)
    return folder


# -- safe output ------------------------------------------------------------------------------------

def test_text_overview_and_exit_code(small, tmp_path):
    code, out, err = cli("consolidate", small, "-o", tmp_path / "汇总.xlsx", "--workers", "1")
    assert code == 0 and err == ""  # no progress bar when stderr is not a terminal
    assert "共读取 3 个 2023 年度报送文件" in out and "通过 3 个" in out and "优 3 个" in out
    assert f"汇总表：{tmp_path / '汇总.xlsx'}" in out


def test_rerun_replaces_its_own_summary_and_the_file_is_readable_by_others(small, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert cli("consolidate", small, "-o", out)[0] == 0
    first = out.stat().st_mtime_ns
    old_mask = os.umask(0o022)
    try:
        assert cli("consolidate", small, "-o", out)[0] == 0
        fresh = tmp_path / "新汇总.xlsx"
        assert cli("consolidate", small, "-o", fresh)[0] == 0
    finally:
        os.umask(old_mask)
    assert out.stat().st_mtime_ns >= first
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not mkstemp's private 0600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~xladdin-")]


def test_never_overwrites_a_file_that_is_not_a_summary(small):
    target = small / "a" / "甲局.xlsx"
    before = target.read_bytes()
    code, out, err = cli("consolidate", small, "-o", target)
    assert code == 2 and "不是 xladdin 生成的汇总表" in err and "甲局.xlsx" in err
    assert target.read_bytes() == before


def test_open_in_excel_lock_file_stops_with_a_clear_message(small, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert cli("consolidate", small, "-o", out)[0] == 0
    before = out.read_bytes()
    (tmp_path / "~$汇总.xlsx").write_bytes(b"lock")
    code, _, err = cli("consolidate", small, "-o", out)
    assert code == 2 and "正在" in err and "~$汇总.xlsx" in err and "原文件未改动" in err
    assert out.read_bytes() == before


def test_locked_target_leaves_the_old_summary_intact(small, tmp_path, monkeypatch):
    out = tmp_path / "汇总.xlsx"
    assert cli("consolidate", small, "-o", out)[0] == 0
    before = out.read_bytes()
    import xladdin.outputs.annotate as annotate

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(annotate.os, "replace", locked)
    code, _, err = cli("consolidate", small, "-o", out, "--workers", "1")
    assert code == 2 and "汇总.xlsx" in err and "Excel" in err
    assert out.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"汇总.xlsx", "报送"}  # no temp file left behind


@pytest.mark.parametrize("target, message", [("没有这个文件夹/汇总.xlsx", "不存在"), ("汇总.xls", ".xlsx"), (".", "文件夹")])
def test_bad_output_paths(small, tmp_path, target, message):
    code, out, err = cli("consolidate", small, "-o", tmp_path / target)
    assert code == 2 and message in err and out == ""


def test_missing_or_empty_input_is_an_error(tmp_path):
    code, _, err = cli("consolidate", tmp_path / "没有", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "找不到" in err and "没有" in err
    (tmp_path / "空").mkdir()
    code, _, err = cli("consolidate", tmp_path / "空", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "没有找到" in err
    assert not (tmp_path / "x.xlsx").exists()


# -- inputs -------------------------------------------------------------------------------------------

def test_output_inside_the_input_folder_is_ignored_and_explicit_files_count_once(small):
    out = small / "汇总.xlsx"
    d = as_json("consolidate", small, small / "a" / "甲局.xlsx", "-o", out)
    assert [f["file"] for f in d["files"]] == ["a/甲局.xlsx", "b/乙局.xlsx", "丙局.xlsx"]
    d = as_json("consolidate", small, "-o", out)  # the old summary is the output itself: ignored
    assert len(d["files"]) == 3
    assert {"file": str(out), "reason": "本次汇总的输出文件"} in d["ignored"]


def test_an_old_summary_among_the_submissions_is_recognised(small, tmp_path):
    assert cli("consolidate", small, "-o", small / "上次汇总.xlsx")[0] == 0
    d = as_json("consolidate", small, "-o", tmp_path / "汇总.xlsx")
    old = next(f for f in d["files"] if f["file"] == "上次汇总.xlsx")
    assert old["status"] == "not-scoring-table" and "汇总表" in old["message"]
    assert d["counts"]["ok"] == 3


def test_explicit_non_workbook_is_a_submission_not_silently_dropped(small, tmp_path):
    pdf = tmp_path / "丁局评分表.pdf"
    pdf.write_bytes(b"%PDF-1.4 scanned table")
    d = as_json("consolidate", small, pdf, "-o", tmp_path / "汇总.xlsx")
    f = d["files"][-1]
    assert f["status"] == "unreadable" and "丁局评分表.pdf" in f["message"] and "PDF" in f["message"]


def test_same_modification_time_falls_back_to_the_time_saved_inside(tmp_path):
    folder = tmp_path / "报送"
    newer = sub("甲局-更正.xlsx", "某县甲局", 20, deductions=by_name({"预算执行": 2}))
    older = sub("甲局.xlsx", "某县甲局", 10)
    write_set([newer, older], folder)
    t = dt.datetime(2024, 7, 1).timestamp()
    for p in folder.iterdir():
        os.utime(p, (t, t))  # a bulk copy: the same modification time
    d = as_json("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    files = {f["file"]: f for f in d["files"]}
    assert files["甲局-更正.xlsx"]["status"] == "ok" and files["甲局.xlsx"]["status"] == "duplicate"
    assert "保存时间" in files["甲局.xlsx"]["message"]
    # the file system's time decides when the two clearly differ
    os.utime(folder / "甲局.xlsx", (t + 60, t + 60))
    d = as_json("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    files = {f["file"]: f for f in d["files"]}
    assert files["甲局.xlsx"]["status"] == "ok" and files["甲局-更正.xlsx"]["status"] == "duplicate"
    assert "文件修改时间" in files["甲局-更正.xlsx"]["message"]


def test_three_submissions_of_one_unit_keep_only_the_newest(tmp_path):
    folder = tmp_path / "报送"
    write_set([sub("v1.xlsx", "某县甲局", 1), sub("v3.xlsx", "某县甲局", 3), sub("v2.xlsx", "某县甲局", 2)], folder)
    d = as_json("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    status = {f["file"]: f["status"] for f in d["files"]}
    assert status == {"v1.xlsx": "duplicate", "v2.xlsx": "duplicate", "v3.xlsx": "ok"}
    assert all("v3.xlsx" in f["message"] for f in d["files"] if f["status"] == "duplicate")


def test_year_option_and_grade_bands(small, tmp_path):
    d = as_json("consolidate", small, "-o", tmp_path / "汇总.xlsx", "--year", "2024",
                "--grades", "99:优,95:良,60:中,0:差")
    assert d["year"] == 2024
    assert all(f["warnings"] == 1 and f["status"] == "ok" for f in d["files"])  # year-differs
    assert d["grades"] == {"优": 2, "良": 1, "中": 0, "差": 0}
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    codes = [r[3] for r in wb["校验问题"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["year-differs"] * 3


def test_an_unexpected_reader_failure_is_pinned_on_its_file(small, tmp_path, monkeypatch):
    import xladdin.engine as report

    real = report.check_file

    def flaky(path, *a, **kw):
        if Path(path).name == "乙局.xlsx":
            raise RuntimeError("boom")
        return real(path, *a, **kw)

    monkeypatch.setattr(report, "check_file", flaky)
    d = as_json("consolidate", small, "-o", tmp_path / "汇总.xlsx")
    f = {f["file"]: f for f in d["files"]}["b/乙局.xlsx"]
    assert f["status"] == "unreadable" and "乙局.xlsx" in f["message"] and "意外错误" in f["message"]
    assert d["counts"]["ok"] == 2


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork to patch the workers")
def test_a_crashing_worker_does_not_lose_the_other_files(small, tmp_path, monkeypatch):
    import xladdin.engine as report

    real = report.check_file

    def crash(path, *a, **kw):
        if Path(path).name == "乙局.xlsx":
            os._exit(3)  # a reader crash kills the worker process
        return real(path, *a, **kw)

    monkeypatch.setattr(report, "check_file", crash)
    code, out, err = cli("consolidate", small, "-o", tmp_path / "汇总.xlsx", "--json", "--workers", "2")
    assert code == 0, err
    d = json.loads(out)
    status = {f["file"]: f["status"] for f in d["files"]}
    assert status == {"a/甲局.xlsx": "ok", "b/乙局.xlsx": "unreadable", "丙局.xlsx": "ok"}
    assert "乙局.xlsx" in d["files"][1]["message"]


def test_text_with_characters_excel_cannot_store_is_cleaned(tmp_path):
    folder = tmp_path / "报送"
    # "_x000B_" is how a workbook stores a control character; the reader hands back "\x0b"
    write_submission(sub("甲.xlsx", "某县甲局", reasons=by_name({"预算执行": "原因_x000B_含控制字符"})), folder)
    d = as_json("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    assert d["files"][0]["status"] == "ok"
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    reasons = [r[7] for r in wb["扣分明细"].iter_rows(min_row=2, values_only=True)]
    assert reasons and "\x0b" not in reasons[0] and "控制字符" in reasons[0]


# -- progress ------------------------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only():
    tty = _Tty()
    p = Progress(stream=tty, min_total=1)
    for k in range(0, 11):
        p(k, 10)
    text = tty.getvalue()
    assert text.startswith("\r读取评分表") and "10/10" in text and text.endswith("\n")
    pipe = io.StringIO()
    q = Progress(stream=pipe, min_total=1)
    q(5, 10)
    q(10, 10)
    assert pipe.getvalue() == ""


def test_help_is_chinese_and_lists_the_commands():
    import subprocess
    import sys

    top = subprocess.run([sys.executable, "-m", "xladdin", "--help"], capture_output=True, text=True).stdout
    assert "consolidate" in top and "汇总" in top
    sub_help = subprocess.run([sys.executable, "-m", "xladdin", "consolidate", "--help"], capture_output=True,
                              text=True).stdout
    assert "文件清单" in sub_help and "--workers" in sub_help and "退出码" in sub_help


def test_all_bad_files_still_give_a_summary_and_a_bounded_overview(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    for k in range(35):
        (folder / f"单位{k:02d}.xlsx").write_bytes(b"")
    code, out, err = cli("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "--workers", "2")
    assert code == 0, err
    assert "无法读取 35 个" in out and "……另有 5 个" in out
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    # 汇总 lists every unit that sent something, scored or not (the unit from the file's name)
    assert wb.sheetnames[0] == "汇总" and wb["汇总"].max_row == 36
    assert {r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)} == {f"单位{k:02d}" for k in range(35)}
    assert {r[-2] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)} == {"无法读取"}
    assert len(list(wb["文件清单"].iter_rows(min_row=2))) == 35


def test_xls_and_xlsm_submissions_are_read_like_xlsx(tmp_path):
    import shutil

    data = Path(__file__).parent / "data"
    folder = tmp_path / "报送"
    folder.mkdir()
    for k, ext in enumerate(("xlsx", "xlsm", "xls")):
        target = folder / f"工信局.{ext}"
        shutil.copy(data / f"seed-yongjing-2023.{ext}", target)
        os.utime(target, (1_700_000_000 + 100 * k, 1_700_000_000 + 100 * k))  # the .xls is the newest
    d = as_json("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    status = {f["file"]: (f["status"], f["unit"], f["total_score"], f["grade"], f["errors"]) for f in d["files"]}
    assert status == {
        "工信局.xls": ("errors", "永靖县工业和信息化局", 95, "优", 2),
        "工信局.xlsm": ("duplicate", "永靖县工业和信息化局", 95, "优", 2),
        "工信局.xlsx": ("duplicate", "永靖县工业和信息化局", 95, "优", 2),
    }
