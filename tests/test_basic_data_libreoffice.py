"""The template's 基础数据 and 测算对比 formulas, recalculated by LibreOffice (headless), give what the
engine computes in Python: the seed's figures (domain-next.md A.5) and one case per rule family.

Skipped where LibreOffice is missing (`.ci/run` installs it). One conversion for the whole module.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import openpyxl
import pytest

from xladdin.engine import check_file
from xladdin.kinds.basic_data.rules import Rule, apply, parse_params
from xladdin.kinds.department.framework import SEED_DEDUCTIONS
from xladdin.outputs.basic_data_sheet import rule_formula
from xladdin.outputs.template import write_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

SEED = [("P01a", 6), ("P01b", 11), ("P02a", 7), ("P02b", 14), ("B01", 297.80), ("B04", 3237.16), ("B05", 3236.35),
        ("B01.1", 51.87), ("B01.2", 11.82), ("B01.3", 16.57), ("B01.4", 215.08)]
MORE = SEED + [("S01", 10), ("S02", 10.3), ("Y01", 95, 100), ("C01", 50), ("C02", 40), ("A01", 100), ("A02", 72),
               ("W01", 20), ("W02", 19), ("M01", 200), ("M02", 171), ("G02", 42)]
# rule family cases: (family, params, value, weight)
FAMILIES = [
    ("per_point_over", "limit=100%; step=0.1", 21 / 17, 3), ("per_point_over", "limit=100%; step=0.1", 0.9, 3),
    ("per_point_short", "limit=100%; points=5; step=0.4", 0.9, 5),
    ("bands", "bands=>=90%:1, >=80%:0.8, >=70%:0.6, >=60%:0.4, else:0", 0.85, 5),
    ("bands", "bands=<=0%:1, <=10%:0.67, <=20%:0.33, <=30%:0.17, else:0", 0.15, 3),
    ("ratio", "target=90%; cap=1", 0.72, 2), ("inverse_ratio", "target=100%", 21 / 17, 3),
    ("linear_reverse", "target=100%", 21 / 17, 3), ("binary", "limit=0%; op=>=", -0.01, 3),
]


def _fill(name, items, folder):
    wb, info = write_template(None, unit="永靖县工业和信息化局", year=2023)
    ws = wb[info.sheet]
    for path, d in SEED_DEDUCTIONS.items():
        ws[info.deduction_cell(path)] = d
        ws[info.reason_cell(path)] = "佐证材料不全"
    bd = wb["基础数据"]
    rows = {bd.cell(r, 1).value: r for r in range(4, bd.max_row + 1)}
    for code, cur, *prev in items:
        bd[f"D{rows[code]}"] = cur
        if prev:
            bd[f"E{rows[code]}"] = prev[0]
    fam = wb.create_sheet("规则族")
    for r, (family, params, value, weight) in enumerate(FAMILIES, 1):
        fam[f"A{r}"], fam[f"B{r}"] = value, weight
        fam[f"C{r}"] = "=" + rule_formula(Rule("x", family, parse_params(params)), f"A{r}", f"B{r}")
    path = folder / f"{name}.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    src = tmp_path_factory.mktemp("bd-src")
    out = tmp_path_factory.mktemp("bd-out")
    profile = tmp_path_factory.mktemp("bd-profile")
    files = [_fill("seed", SEED, src), _fill("more", MORE, src)]
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(profile)})
    assert all((out / f.name).exists() for f in files)
    return src, out


def _values(path, sheet):
    wb = openpyxl.load_workbook(path, data_only=True)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize("name", ["seed", "more"])
def test_formulas_agree_with_the_engine(converted, name):
    src, out = converted
    python = check_file(src / f"{name}.xlsx").measured
    by_name = {r.name: r for r in python.rows}
    rows = _values(out / f"{name}.xlsx", "测算对比")
    seen = 0
    for row in rows[3:]:
        if row[0] not in by_name:
            continue
        seen += 1
        r = by_name[row[0]]
        if r.value is None:
            assert row[3] in (None, ""), row
        else:
            assert row[3] == pytest.approx(r.value, abs=1e-9), row
        if r.suggested is not None:
            assert row[4] == pytest.approx(r.suggested, abs=1e-9), row
        expected = r.status if r.status in ("一致", "自评偏高", "自评偏低", "无标准规则") else "缺少数据"
        assert row[7] == expected, row
    assert seen == 9
    totals = {row[0]: row[1] for row in rows if row[0] in ("自评总分", "测算总分")}
    assert totals == {"自评总分": python.self_total, "测算总分": python.measured_total}


def test_seed_figures_in_the_template(converted):
    _, out = converted
    rows = {r[0]: r for r in _values(out / "seed.xlsx", "测算对比") if r[0]}
    assert rows["财政供养人员控制率"][3] == pytest.approx(21 / 17) and rows["财政供养人员控制率"][7] == "自评偏高"
    assert rows["预算执行"][7] == "一致" and rows["测算总分"][1] == 92
    basic = {r[0]: r for r in _values(out / "seed.xlsx", "基础数据") if r[0]}
    assert basic["P01"][7] == 17 and basic["P02"][7] == 21  # 采用数: Σ parts
    assert "295.34 ≠ 297.80" in basic["B01"][9]  # 核对


def test_every_rule_family_formula(converted):
    _, out = converted
    rows = _values(out / "seed.xlsx", "规则族")
    for (family, params, value, weight), row in zip(FAMILIES, rows):
        expected = apply(Rule("x", family, parse_params(params)), value, weight).score
        assert row[2] == pytest.approx(expected, abs=1e-9), (family, params, value)
