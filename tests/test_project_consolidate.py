"""Consolidating folders that hold both kinds of table: project tables go to the 项目 sheets, the
department sheets are what they are without them, duplicates are per unit + project + year."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
from builders import grid_workbook

from xladdin.consolidation import consolidate_files
from xladdin.outputs.project_template import project_rows, standard_indicators, standard_spec

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "workbooks" / "示例-永靖县工信局-2023-评分表.xlsx"


def _values(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def _folder(tmp: Path) -> Path:
    folder = tmp / "报送"
    folder.mkdir()
    shutil.copy(DEPT, folder / DEPT.name)
    grid_workbook(folder / "甲-培训.xlsx", project_rows(standard_spec()))
    grid_workbook(folder / "甲-另一项目.xlsx", project_rows(standard_spec(project="另一个项目", budget_score=10)))
    inds = standard_indicators()
    inds[0].score = 14
    grid_workbook(folder / "乙-培训.xlsx", project_rows(standard_spec(unit="某某县第二中心", indicators=inds)))
    return folder


def test_project_sheets_and_unchanged_department_sheets(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    summary = consolidate_files([folder], out)
    assert [e.project.project for e in summary.projects] == ["另一个项目", "职业技能培训补助", "职业技能培训补助"]
    assert len(summary.ranked) == 1 and summary.ranked[0].kind == "department"
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames[-3:] == ["项目", "项目单位汇总", "项目指标问题"]
    wb.close()
    rows = _values(out, "项目")
    assert rows[0] == ("单位", "项目", "全年预算数", "全年执行数", "执行率", "自评得分", "规则得分", "差额", "等级",
                       "错误数", "警告数", "文件")
    assert rows[1][:11] == ("某某县就业服务中心", "另一个项目", 120, 117.17, rows[1][4], 100, 99.76, 0.24, "优", 1, 0)
    assert abs(rows[1][4] - 117.17 / 120) < 1e-9
    assert rows[3][:11] == ("某某县第二中心", "职业技能培训补助", 120, 117.17, rows[3][4], 98.76, 99.76, -1, "优", 0, 2)
    units = _values(out, "项目单位汇总")
    assert units[1][:4] == ("某某县就业服务中心", 2, 240, 234.34) and units[2][:2] == ("某某县第二中心", 1)
    problems = _values(out, "项目指标问题")
    assert {(r[0], r[3], r[4]) for r in problems[1:]} == {
        ("某某县就业服务中心", "budget-score-mismatch", "H5"), ("某某县第二中心", "met-but-deducted", "H12"),
        ("某某县第二中心", "deviation-reason-missing", "I12")}
    # the department sheets are those of the department table alone
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(DEPT, alone / DEPT.name)
    out2 = tmp_path / "汇总-部门.xlsx"
    consolidate_files([alone], out2)
    for sheet in ("汇总", "明细", "扣分明细", "指标统计", "等级分布"):
        assert _values(out, sheet) == _values(out2, sheet), sheet


def test_duplicates_are_per_unit_project_and_year(tmp_path):
    folder = _folder(tmp_path)
    later = folder / "甲-培训-更正.xlsx"
    grid_workbook(later, project_rows(standard_spec(goal="更正后的目标")))
    t = later.stat().st_mtime
    os.utime(folder / "甲-培训.xlsx", (t - 3600, t - 3600))
    summary = consolidate_files([folder], None)
    by_file = {e.display: e for e in summary.entries}
    assert by_file["甲-培训.xlsx"].status == "duplicate"
    assert by_file["甲-培训-更正.xlsx"].status == "ok"
    assert by_file["甲-另一项目.xlsx"].status == "errors"  # same unit, another project: both count
    assert len(summary.projects) == 3
    assert summary.to_json()["files"][1].get("kind") in (None, "project")
    assert any(f.get("kind") == "project" and f.get("rule_total") == 99.76 for f in summary.to_json()["files"])
