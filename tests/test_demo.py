"""`xladdin demo` and the bundled sample set (workbooks/示例-永靖县-2023-部门报送)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import subprocess
import sys
from pathlib import Path

import openpyxl

from xladdin.cli import main
from xladdin.cli.demo import sample_folder
from xladdin.samples import SAMPLE_DIR_NAME, sample_submissions, workbook_bytes

SHIPPED = Path(__file__).resolve().parents[1] / "workbooks" / SAMPLE_DIR_NAME


def run_demo(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", *argv])
    return code, out.getvalue(), err.getvalue()


def _content(data: bytes) -> tuple:
    """What a person sees in a generated workbook: sheets, cell values, merged ranges, saved time."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for ws in wb.worksheets:
        cells = tuple((c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        sheets.append((ws.title, cells, tuple(sorted(str(r) for r in ws.merged_cells.ranges))))
    return tuple(sheets), wb.properties.modified


def test_shipped_samples_are_what_the_generator_writes():
    subs = sample_submissions()
    assert sample_folder() == SHIPPED
    shipped = sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.rglob("*") if p.is_file())
    assert shipped == sorted(s.path for s in subs), "regenerate: python3 -m xladdin.samples " + str(SHIPPED)
    for s in subs:
        data = (SHIPPED / s.path).read_bytes()
        fresh = workbook_bytes(s)
        if s.kind in ("table", "not-table", "project"):
            assert _content(data) == _content(fresh), s.path
        elif s.kind == "truncated":
            whole = workbook_bytes(dataclasses.replace(s, kind="table"))
            assert data[:4] == b"PK\x03\x04" and len(data) < 0.5 * len(whole)
        else:
            assert data == fresh, s.path


def test_sample_set_has_the_mistakes_clerks_make():
    subs = sample_submissions()
    units = {s.unit for s in subs}
    assert len(units) >= 12
    assert any(s.weights for s in subs)  # a wrong subtotal
    assert any(v is None for s in subs for v in s.cells.values())  # a blank score
    assert any(s.kind == "truncated" for s in subs)  # a broken file
    assert len([s for s in subs if s.unit == "永靖县教育局" and s.kind == "table"]) == 2  # a resubmission
    projects = [s for s in subs if s.kind == "project"]  # 项目支出绩效自评表, with their own mistakes
    assert len(projects) == 6 and len({s.project.project for s in projects}) == 5


def test_demo_consolidates_the_samples_and_prints_an_overview(tmp_path):
    out = tmp_path / "示例汇总.xlsx"
    code, text, err = run_demo("-o", str(out), "--workers", "2")
    assert code == 0, err
    for expected in ("永靖县 2023 年度", "共读取 24 个 2023 年度报送文件，15 个单位计入汇总排名",
                     "通过 14 个，有错误 6 个，无法读取 1 个，不是评分表 1 个，重复报送（未计入） 2 个",
                     "项目支出绩效自评表 5 个（5 个单位）", "永靖县农业农村局（项目“高标准农田建设”）",
                     "优 11 个，良 3 个，中 1 个，差 0 个", "最高：永靖县审计局 98 分", "最低：永靖县住房和城乡建设局 75 分",
                     "管理效率", "已损坏", f"汇总表：{out}"):
        assert expected in text, expected
    wb = openpyxl.load_workbook(out)
    ledger = list(wb["文件清单"].iter_rows(min_row=2, values_only=True))
    assert len(ledger) == 24
    status = {r[1]: r[-1] for r in ledger}
    assert status["永靖县教育局2023年度部门整体支出绩效评价指标评分表.xlsx"] == "duplicate"
    assert status["永靖县教育局2023年度部门整体支出绩效评价指标评分表（更正）.xlsx"] == "ok"
    assert status["永靖县统计局2023年度部门整体支出绩效评价指标评分表.xlsx"] == "unreadable"
    summary = list(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in summary[:2]] == ["永靖县审计局", "永靖县财政局"]
    seed = next(r for r in summary if r[1] == "永靖县工业和信息化局")
    assert (seed[3], seed[4]) == (95, "优")


def test_demo_without_the_repository_generates_the_samples(tmp_path, monkeypatch):
    import xladdin.cli.demo as demo

    monkeypatch.setattr(demo, "sample_folder", lambda: None)
    code, text, err = run_demo("-o", str(tmp_path / "x.xlsx"), "--workers", "1")
    assert code == 0, err
    assert "共读取 24 个" in text and "优 11 个" in text


def test_demo_default_output_goes_to_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, text, _ = run_demo("--workers", "1")
    assert code == 0 and (tmp_path / "out" / "示例汇总-永靖县-2023.xlsx").exists()
    assert "out/示例汇总-永靖县-2023.xlsx" in text.replace("\\", "/")


def test_demo_is_listed_in_help():
    top = subprocess.run([sys.executable, "-m", "xladdin", "--help"], capture_output=True, text=True).stdout
    assert "demo" in top and "演示" in top


def test_a_fresh_checkout_still_keeps_the_corrected_resubmission(tmp_path):
    """git and plain copies give every file about the same modification time, in any order."""
    import os
    import shutil
    import time

    folder = tmp_path / "副本"
    folder.mkdir()
    now = time.time()
    for k, p in enumerate(sorted(SHIPPED.iterdir(), reverse=True)):
        shutil.copy(p, folder / p.name)  # contents only, new modification time
        os.utime(folder / p.name, (now + k * 0.1, now + k * 0.1))  # the original ends up "newer" by a hair
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["consolidate", str(folder), "-o", str(tmp_path / "x.xlsx"), "--json", "--workers", "1"]) == 0
    import json

    status = {f["file"]: f["status"] for f in json.loads(out.getvalue())["files"]}
    assert status["永靖县教育局2023年度部门整体支出绩效评价指标评分表（更正）.xlsx"] == "ok"
    assert status["永靖县教育局2023年度部门整体支出绩效评价指标评分表.xlsx"] == "duplicate"
