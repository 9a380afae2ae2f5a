"""The public Python API: the exported names are pinned, each function does its job end to end,
and `import xladdin` stays light (no openpyxl, pandas, numpy or xlwings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import xladdin

SEED = Path(__file__).parent / "data" / "seed-yongjing-2023.xlsx"

EXPORTED = {
    "check", "consolidate", "annotate", "write_template", "write_project_template", "load_framework",
    "read_table", "evaluate", "check_file",
    "Report", "Summary", "Table", "Indicator", "Issue", "ISSUE_CODES", "CATALOGUE", "KINDS", "TableKind",
    "Grading", "DEFAULT_GRADING", "grade",
    "XladdinError", "ConfigError", "InputError", "UnreadableError", "NotScoringTableError", "OutputError",
    "__version__",
}


def test_exported_names_are_pinned():
    assert set(xladdin.__all__) == EXPORTED
    for name in xladdin.__all__:
        assert getattr(xladdin, name) is not None, name


def test_the_package_is_typed():
    assert (Path(xladdin.__file__).parent / "py.typed").is_file()


def test_import_is_light():
    code = ("import sys, xladdin; heavy = [m for m in ('openpyxl', 'pandas', 'numpy', 'xlwings', "
            "'python_calamine') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_check_reports_kind_total_grade_and_the_seed_errors():
    report = xladdin.check(SEED)
    assert report.kind is not None and report.kind.name == "department"
    assert report.to_dict()["kind"] == "department"
    assert report.total_score == 95 and report.grade == "优"
    assert {(i.code, i.severity) for i in report.errors} == {("weight-sum", "error"), ("total-weight", "error")}


def test_check_never_raises_for_a_bad_file(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    report = xladdin.check(bad)
    assert report.table is None and report.kind is None
    assert [i.code for i in report.issues] == ["unreadable"] and "坏.xlsx" in report.issues[0].message
    assert report.to_dict()["kind"] is None


def test_annotate_template_framework_and_consolidate_round_trip(tmp_path):
    info = xladdin.write_template(tmp_path / "模板.xlsx", unit="某某局", year=2024)
    assert (tmp_path / "模板.xlsx").is_file() and info is not None
    report = xladdin.check(SEED)
    xladdin.annotate(report, tmp_path / "标注.xlsx")
    assert (tmp_path / "标注.xlsx").is_file()
    csv = tmp_path / "指标体系.csv"
    csv.write_text("一级指标,分值,二级指标,分值\n甲,60,甲一,60\n乙,40,乙一,40\n", encoding="utf-8")
    leaves = xladdin.load_framework(csv)
    assert [leaf.levels[-1].name for leaf in leaves] == ["甲一", "乙一"]
    (tmp_path / "报送").mkdir()
    (tmp_path / "报送" / "工信局.xlsx").write_bytes(SEED.read_bytes())
    summary = xladdin.consolidate([tmp_path / "报送"], tmp_path / "汇总.xlsx", workers=1)
    assert (tmp_path / "汇总.xlsx").is_file()
    assert summary.counts["errors"] == 1


def test_project_template_and_expected_units_through_the_api(tmp_path):
    info = xladdin.write_project_template(tmp_path / "项目.xlsx", project="农村公路养护", unit="某某局", year=2024,
                                          profile="sichuan")
    assert (tmp_path / "项目.xlsx").is_file() and info is not None
    report = xladdin.check(tmp_path / "项目.xlsx")
    assert report.kind is not None and report.kind.name == "project"
    assert report.to_dict()["project"] == "农村公路养护"
    (tmp_path / "报送").mkdir()
    (tmp_path / "报送" / "工信局.xlsx").write_bytes(SEED.read_bytes())
    summary = xladdin.consolidate([tmp_path / "报送"], workers=1, units=["永靖县工业和信息化局", "永靖县档案局"])
    assert summary.missing_units == ["永靖县档案局"]
