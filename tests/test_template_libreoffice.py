"""A real spreadsheet client: LibreOffice (headless) opens filled templates, recalculates every formula
and saves; the total score and grade it computed must equal what the engine computes in Python.

Skipped where LibreOffice is missing (`.ci/run` installs it). One conversion for the whole module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xladdin.engine import check_file
from xladdin.kinds.department.framework import SEED_DEDUCTIONS, SEED_FRAMEWORK, Leaf, Level
from xladdin.outputs.template import write_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

P = {leaf.path[-1]: leaf.path for leaf in SEED_FRAMEWORK}
TWO_LEVEL = (Leaf((Level("决策", 20), Level("目标设定", 8)), "目标明确得满分"),
             Leaf((Level("决策", 20), Level("决策程序", 12)), "程序规范得满分"),
             Leaf((Level("产出", 50), Level("产出数量", 50)), "每少完成 10% 扣 5 分"),
             Leaf((Level("效益", 30), Level("满意度", 30)), "90% 以上得满分"))

# name -> (deductions, template options); the expected figures come from the engine, not from here
CASES = {
    "seed": (SEED_DEDUCTIONS, {"unit": "永靖县工业和信息化局", "year": 2023}),
    "edge-90": ({P["预算编制"]: 5, P["绩效评价"]: 4, P["资产利用率"]: 1}, {}),
    "below-90": ({P["预算编制"]: 5, P["绩效评价"]: 4, P["资产利用率"]: 1.5}, {}),
    # decimals whose float sum is not exact: a hair of noise must not drop a band in either program
    "noisy-80": ({P["预算编制"]: 4.9, P["绩效评价"]: 3.7, P["工作效率"]: 3.8, P["工作质量"]: 3.3,
                  P["工作态度"]: 2.1, P["资金使用合规性"]: 2.2}, {}),
    "edge-60": ({P[n]: w for n, w in (("预算编制", 5), ("绩效评价", 4), ("工作效率", 4), ("工作质量", 4),
                                      ("工作态度", 4), ("年度目标完成率", 4), ("成本控制有效性", 4),
                                      ("预算执行", 4), ("绩效运行监控", 3), ("绩效信息公开", 3),
                                      ("资金使用合规性", 1))}, {}),
    "below-60": ({P[n]: w for n, w in (("预算编制", 5), ("绩效评价", 4), ("工作效率", 4), ("工作质量", 4),
                                       ("工作态度", 4), ("年度目标完成率", 4), ("成本控制有效性", 4),
                                       ("预算执行", 4), ("绩效运行监控", 3), ("绩效信息公开", 3),
                                       ("资金使用合规性", 1.5))}, {}),
    "two-level": ({("产出", "产出数量"): 12.5}, {"leaves": TWO_LEVEL}),
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    src = tmp_path_factory.mktemp("lo-src")
    out = tmp_path_factory.mktemp("lo-out")
    profile = tmp_path_factory.mktemp("lo-profile")
    infos = {}
    for name, (deductions, options) in CASES.items():
        wb, info = write_template(None, **options)
        ws = wb[info.sheet]
        for path, d in deductions.items():
            ws[info.deduction_cell(path)] = d
            ws[info.reason_cell(path)] = "佐证材料不全"
        wb.save(src / f"{name}.xlsx")
        infos[name] = info
    files = [str(src / f"{name}.xlsx") for name in CASES]
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), *files]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(profile)})
    missing = [f for f in CASES if not (out / f"{f}.xlsx").exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return src, out, infos


def _cached(path: Path, sheet: str, ref: str):
    from python_calamine import CalamineWorkbook

    from xladdin.core.model import parse_a1

    r, c = parse_a1(ref)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return rows[r][c]


@pytest.mark.parametrize("name", list(CASES))
def test_libreoffice_computes_the_same_total_and_grade_as_python(converted, name):
    src, out, infos = converted
    info = infos[name]
    python = check_file(src / f"{name}.xlsx")  # openpyxl-saved: the engine computes 分值 − 扣分 itself
    assert not python.errors
    total = _cached(out / f"{name}.xlsx", info.sheet, info.total_cell)
    grade = _cached(out / f"{name}.xlsx", info.sheet, info.grade_cell)
    assert total == pytest.approx(python.total_score, abs=1e-9)
    assert grade == python.grade
    # the recalculated workbook states its total and grade: the engine reads them and agrees, no warnings left
    recalculated = check_file(out / f"{name}.xlsx")
    assert recalculated.issues == []
    assert recalculated.table.stated_total.value == pytest.approx(python.total_score)
    assert recalculated.table.stated_grade.value == python.grade


def test_expected_bands_are_exercised(converted):
    src, _, _ = converted
    grades = {name: check_file(src / f"{name}.xlsx").grade for name in CASES}
    assert grades == {"seed": "优", "edge-90": "优", "below-90": "良", "noisy-80": "良", "edge-60": "中",
                      "below-60": "差", "two-level": "良"}


def test_subtotals_and_totals_row_recalculate(converted):
    _, out, infos = converted
    info = infos["seed"]
    f = out / "seed.xlsx"
    sub = info.subtotal_rows["管理效率"]
    assert _cached(f, info.sheet, f"I{sub}") == 42 and _cached(f, info.sheet, f"H{sub}") == 2
    tr = info.totals_row
    assert [_cached(f, info.sheet, f"{c}{tr}") for c in "BDFHI"] == [100, 100, 100, 5, 95]
