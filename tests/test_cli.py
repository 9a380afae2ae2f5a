"""`xladdin check` from the command line: formats, exit codes, --annotate, light imports."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
from builders import SEED_FIXTURE, seed_like

from xladdin.cli import main


def run_json(capsys, *args):
    code = main(["check", *map(str, args), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_report_of_the_seed(capsys):
    code, d = run_json(capsys, SEED_FIXTURE)
    assert code == 1
    assert {k: d[k] for k in ("sheet", "unit", "year", "total_weight", "total_deduction", "total_score", "grade")} == {
        "sheet": "表1", "unit": "永靖县工业和信息化局", "year": 2023, "total_weight": 98, "total_deduction": 5,
        "total_score": 95, "grade": "优"}
    assert [(i["code"], i["severity"], i["cell"]) for i in d["issues"]] == [
        ("weight-sum", "error", "B16"), ("total-weight", "error", "B44")]
    assert set(d["issues"][0]) >= {"code", "severity", "cell", "path", "expected", "actual", "message"}
    first = d["indicators"][0]
    assert first == {"level": 1, "name": "部门规划", "path": ["部门规划"], "weight": 15, "deduction": None,
                     "score": None, "leaf": False, "cells": {"name": "A3", "weight": "B3"}, "extras": {}}
    assert len([i for i in d["indicators"] if i["leaf"]]) == 41


def test_exit_codes(tmp_path, capsys):
    clean = seed_like(tmp_path / "clean.xlsx")
    assert main(["check", str(clean)]) == 0
    warn = seed_like(tmp_path / "warn.xlsx", edit=lambda ws, g: ws.cell(g.leaf_rows[0], 6, "1"))
    assert main(["check", str(warn)]) == 0
    assert main(["check", str(SEED_FIXTURE)]) == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    assert main(["check", str(bad)]) == 2
    capsys.readouterr()
    code, d = run_json(capsys, bad)
    assert code == 2 and d["issues"][0]["code"] == "unreadable" and d["total_score"] is None


def test_text_report_is_chinese_and_names_cells(capsys):
    main(["check", str(SEED_FIXTURE)])
    out = capsys.readouterr().out
    assert "总得分 95" in out and "等级 优" in out and "B16" in out and "管理效率" in out
    assert "发现 2 个错误" in out


def test_annotate_writes_a_marked_copy(tmp_path, capsys):
    src = tmp_path / "seed.xlsx"
    src.write_bytes(SEED_FIXTURE.read_bytes())
    out = tmp_path / "标注.xlsx"
    assert main(["check", str(src), "--annotate", str(out)]) == 1
    assert src.read_bytes() == SEED_FIXTURE.read_bytes()
    wb = openpyxl.load_workbook(out)
    ws = wb["表1"]
    assert ws["B16"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "44" in ws["B16"].comment.text and "管理效率" in ws["B16"].comment.text
    assert ws["B44"].comment is not None
    assert ws["H3"].comment is None and ws["H3"].fill.fgColor.rgb in ("00000000", None)
    rs = wb["校验结果"]
    values = [[c.value for c in row] for row in rs.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert 95 in flat and "优" in flat
    links = [c.hyperlink.location or c.hyperlink.target for row in rs.iter_rows() for c in row if c.hyperlink]
    assert any("B16" in str(link) for link in links)
    assert ws.merged_cells.ranges  # the copy keeps the original formatting


def test_annotate_never_overwrites_the_source(tmp_path, capsys):
    src = seed_like(tmp_path / "t.xlsx")
    before = src.read_bytes()
    assert main(["check", str(src), "--annotate", str(src)]) == 2
    assert src.read_bytes() == before
    assert "原文件" in capsys.readouterr().err


def test_annotate_legacy_xls(tmp_path, capsys):
    from pathlib import Path

    src = Path(__file__).parent / "data" / "seed-yongjing-2023.xls"
    out = tmp_path / "out.xlsx"
    assert main(["check", str(src), "--annotate", str(out)]) == 1
    wb = openpyxl.load_workbook(out)
    assert wb["表1"]["B16"].comment is not None and "校验结果" in wb.sheetnames


def test_check_path_does_not_import_pandas_xlwings_or_openpyxl():
    code = (
        "import sys; from xladdin.cli import main; rc = main(['check', sys.argv[1], '--format', 'json']);"
        "bad = [m for m in ('pandas', 'xlwings', 'openpyxl', 'xladdin.consolidation.consolidate') if m in sys.modules]; print('HEAVY', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SEED_FIXTURE)], capture_output=True, text=True, check=False)
    assert "HEAVY []" in out.stdout, out.stdout[-300:] + out.stderr


def test_help_is_chinese():
    out = subprocess.run([sys.executable, "-m", "xladdin", "check", "--help"], capture_output=True, text=True)
    assert "校验一份评分表" in out.stdout and "退出码" in out.stdout


def test_output_piped_into_head_stops_quietly():
    out = subprocess.run(f'"{sys.executable}" -m xladdin check "{SEED_FIXTURE}" --format json | head -c 10',
                         shell=True, capture_output=True, text=True)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr
