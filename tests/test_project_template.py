"""The 项目支出绩效自评表 template: formulas for 执行率, its score, the rule scores, 总分 and 等级,
recalculated by a real spreadsheet client (headless LibreOffice) and compared with the engine; read
back without recalculation (formulas without values are computed and reported); the CLI option."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xladdin.engine import check_file
from xladdin.kinds.project.profiles import PROFILES
from xladdin.outputs.project_template import write_project_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

FILLS = {
    ("产出指标", "数量指标"): [("培训人次", "≥", 500, "人次", 520, 15, 15, None)],
    ("产出指标", "质量指标"): [("培训合格率", "≥", 95, "%", 90, 15, 14.21, "部分学员未通过")],
    ("产出指标", "时效指标"): [("按期完成率", "=", 100, "%", 100, 10, 10, None)],
    ("产出指标", "成本指标"): [("人均培训成本", "≤", 800, "元", 900, 10, 8.75, "物价上涨")],
    ("效益指标", "社会效益指标"): [("就业率", "≥", 80, "%", 85, 20, 20, None)],
    ("效益指标", "可持续影响指标"): [("长效机制建立", "定性", "建立", None, "部分达成", 10, 7, "尚在完善")],
    ("满意度指标", "服务对象满意度指标"): [("学员满意度", "≥", 90, "%", 95, 10, 10, None)],
}
# name -> (profile, changes to FILLS scores, budget parts); the expected figures come from the engine
CASES = {
    "clean": ("national", {}, (120, 120, 117.17)),
    "self-high": ("national", {"培训合格率": 15, "人均培训成本": 10}, (120, 120, 117.17)),
    "overspent": ("national", {}, (100, 100, 104)),
    "hubei": ("hubei", {"人均培训成本": 8.89}, (120, 120, 96)),
}


def filled(name: str):
    profile, scores, (a, b, c) = CASES[name]
    wb, info = write_project_template(None, project="职业技能培训补助", department="某某县人社局",
                                      unit="某某县就业服务中心", year=2023, profile=PROFILES[profile])
    ws = wb[info.sheet]
    ws["C6"], ws["D6"], ws["E6"] = a, b, c
    for group, rows in FILLS.items():
        for r, vals in zip(info.rows[group], rows, strict=False):
            vals = list(vals)
            vals[6] = scores.get(vals[0], vals[6])
            for col, v in zip("DEFGHIJK", vals, strict=True):
                if v is not None:
                    ws[f"{col}{r}"] = v
    return wb, info


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path_factory.mktemp("plo-src")
    out = tmp_path_factory.mktemp("plo-out")
    profile = tmp_path_factory.mktemp("plo-profile")
    infos = {}
    for name in CASES:
        wb, info = filled(name)
        wb.save(src / f"{name}.xlsx")
        infos[name] = info
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), *[str(src / f"{n}.xlsx") for n in CASES]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(profile)})
    missing = [n for n in CASES if not (out / f"{n}.xlsx").exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return src, out, infos


def _cached(path: Path, sheet: str, ref: str):
    from python_calamine import CalamineWorkbook

    from xladdin.core.model import parse_a1

    r, c = parse_a1(ref)
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()[r][c]


@pytest.mark.parametrize("name", list(CASES))
def test_libreoffice_computes_what_the_engine_computes(converted, name):
    src, out, infos = converted
    info = infos[name]
    python = check_file(src / f"{name}.xlsx")  # openpyxl-saved: the engine computes the formulas itself
    lo = out / f"{name}.xlsx"
    rate = _cached(lo, info.sheet, info.rate_cell)
    assert rate == pytest.approx(python.figures.rate, abs=1e-9)
    assert _cached(lo, info.sheet, info.budget_score_cell) == pytest.approx(python.table.budget.score)
    assert _cached(lo, info.sheet, info.total_cell) == pytest.approx(python.total_score)
    assert _cached(lo, info.sheet, info.grade_cell) == python.grade
    recalculated = check_file(lo)
    assert recalculated.total_score == pytest.approx(python.total_score)
    assert recalculated.table.stated_total.value == pytest.approx(python.total_score)
    assert recalculated.table.stated_grade.value == python.grade
    assert not [i for i in recalculated.issues if i.code == "formula-no-value"]
    # the rule scores of the template are the engine's, row by row
    for leaf in recalculated.figures.leaves:
        if leaf.weight is None:
            continue
        lo_rule = _cached(lo, info.sheet, f"L{leaf.row + 1}")
        assert lo_rule == pytest.approx(leaf.rule_score), (leaf.name, lo_rule, leaf.rule_score)
    assert _cached(lo, info.sheet, info.rule_total_cell) == pytest.approx(recalculated.figures.rule_total)


def test_the_cases_show_what_they_are_for(converted):
    _, out, _ = converted
    codes = {name: {i.code for i in check_file(out / f"{name}.xlsx").issues} for name in CASES}
    assert codes["clean"] == {"placeholder-row"}  # the unused 经济效益 / 生态效益 rows
    assert codes["self-high"] == {"placeholder-row", "score-rule"}
    assert "budget-overspent" in codes["overspent"]
    hubei = check_file(out / "hubei.xlsx")
    assert hubei.table.profile.name == "hubei" and hubei.table.budget.weight == 20


def test_without_recalculation_the_formulas_are_computed_and_reported(tmp_path):
    wb, info = filled("clean")
    wb.save(tmp_path / "t.xlsx")
    r = check_file(tmp_path / "t.xlsx")
    assert {i.cell for i in r.issues if i.code == "formula-no-value"} == {"C5", "D5", "E5", "G5", "H5"}
    assert r.total_score == pytest.approx(94.72) and r.table.budget.score == 9.76


def test_cli_template_kind_project(tmp_path, capsys):
    from xladdin.cli.main import main

    out = tmp_path / "项目模板.xlsx"
    assert main(["template", "--kind", "project", "-o", str(out), "--project", "某项目", "--year", "2024",
                 "--profile", "hubei"]) == 0
    assert "计分规则：湖北" in capsys.readouterr().out
    r = check_file(out)
    assert r.table.kind == "project" and r.table.project == "某项目" and r.table.year == 2024
    assert r.table.budget.weight == 20
    assert main(["template", "--kind", "project", "-o", str(out)]) == 0  # our own untouched template
    other = tmp_path / "别人的.xlsx"
    other.write_bytes(b"PK not ours")
    assert main(["template", "--kind", "project", "-o", str(other)]) == 2
    assert main(["template", "--kind", "project", "-o", str(out), "--framework", "x.csv"]) == 2


def test_a_sichuan_template_is_read_with_the_sichuan_rules(tmp_path):
    from xladdin.kinds.project.profiles import PROFILES

    out = tmp_path / "四川.xlsx"
    write_project_template(out, profile=PROFILES["sichuan"])
    r = check_file(out)
    assert r.table.profile.name == "sichuan" and r.table.profile_guessed


def test_shipped_project_template_is_in_sync():
    """workbooks/项目支出绩效自评表模板.xlsx is what `xladdin template --kind project -o …` writes
    (regenerate with that command when the template changes)."""
    import openpyxl

    shipped = Path(__file__).resolve().parents[1] / "workbooks" / "项目支出绩效自评表模板.xlsx"
    fresh, _ = write_project_template(None)

    def content(wb):
        ws = wb.worksheets[0]
        cells = tuple((c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        return ws.title, cells, tuple(sorted(str(r) for r in ws.merged_cells.ranges))

    assert content(openpyxl.load_workbook(shipped)) == content(fresh), \
        "regenerate: python3 -m xladdin template --kind project -o workbooks/项目支出绩效自评表模板.xlsx --force"
