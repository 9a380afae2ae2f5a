"""The template's 自查 sheet (formulas only) agrees with ``xladdin check``: filled copies of the template are
recalculated in headless LibreOffice, and the problems the 自查 sheet lists (cell, code) equal the issues
``xladdin check`` reports on the same recalculated file, for every check that has a formula form.

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
from xladdin.outputs.self_check import FIRST, LIST_MAX, SELF_ONLY, SHEET
from xladdin.outputs.template import write_template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# the codes of xladdin check that have a formula form on the 自查 sheet
FORMULA_CODES = {"weight-sum", "total-weight", "deduction-range", "score-range", "score-mismatch", "total-mismatch",
                 "grade-mismatch", "missing-value", "bad-number", "text-number"}

P = {leaf.path[-1]: leaf.path for leaf in SEED_FRAMEWORK}
TWO_LEVEL = (Leaf((Level("决策", 20), Level("目标设定", 8)), "目标明确得满分"),
             Leaf((Level("决策", 20), Level("决策程序", 12)), "程序规范得满分"),
             Leaf((Level("产出", 50), Level("产出数量", 50)), "每少完成 10% 扣 5 分"),
             Leaf((Level("效益", 30), Level("满意度", 30)), "90% 以上得满分"))
MIXED = (Leaf((Level("决策", 20), Level("目标设定", 8), Level("目标明确", 8))),
         Leaf((Level("决策", 20), Level("决策程序", 12))),
         Leaf((Level("产出", 50), Level("数量", 30), Level("完成率", 20))),
         Leaf((Level("产出", 50), Level("数量", 30), Level("及时性", 10))),
         Leaf((Level("产出", 50), Level("质量", 20))),
         Leaf((Level("效益", 30), Level("满意度", 30), Level("群众满意度", 30))))


def _filled(deductions, *, reasons=True, unit="某某局", year="2023"):
    def fill(ws, info):
        if unit:
            ws[info.unit_cell] = unit
        if year:
            ws[info.year_cell] = year
        for path, d in deductions.items():
            ws[info.deduction_cell(path)] = d
            if reasons:
                ws[info.reason_cell(path)] = "佐证材料不全"
    return fill


def _then(*steps):
    def fill(ws, info):
        for step in steps:
            step(ws, info)
    return fill


def _set(what, path_or_cell, value):
    """Overwrite a cell (as a clerk does after lifting the password-less protection)."""
    def step(ws, info):
        if what == "cell":
            ws[path_or_cell] = value
        else:
            ws[getattr(info, f"{what}_cell")(path_or_cell)] = value
    return step


def _weight(level, path, value):
    def step(ws, info):
        r0 = info.geometry.blocks[tuple(path)][0]
        ws[info.geometry.cell(f"weight:{level}", r0)] = value
    return step


def _totals(role, value):
    def step(ws, info):
        ws[info.geometry.cell(role, info.totals_row)] = value
    return step


def _grade(value):
    def step(ws, info):
        ws[info.grade_cell] = value
    return step


# name -> (fill function, template options, the 自查-only codes expected)
CASES = {
    "clean-seed": (_filled(SEED_DEDUCTIONS), {}, set()),
    "blank-template": (_filled({}, unit=None, year=None), {}, {"unit-missing", "year-missing"}),
    "deduction-over-weight": (_filled({P["预算编制"]: 7, P["绩效评价"]: 1}), {}, set()),
    "negative-deduction": (_filled({P["工作效率"]: -1}), {}, set()),
    "deduction-as-words": (_filled({P["工作效率"]: "三"}), {}, set()),
    "no-reason": (_filled({P["预算编制"]: 2, P["绩效评价"]: 1.5}, reasons=False), {}, {"reason-missing"}),
    "score-typed-over": (_then(_filled({P["预算编制"]: 1}), _set("score", P["预算编制"], 3)), {}, set()),
    "score-over-weight": (_then(_filled({}), _set("score", P["绩效评价"], 9)), {}, set()),
    "both-blank": (_then(_filled({}), _set("score", P["预算编制"], None)), {}, set()),
    "level1-weight-wrong": (_then(_filled(SEED_DEDUCTIONS), _weight(1, P["预算编制"][:1], 42)), {}, set()),
    "level2-weight-wrong": (_then(_filled({}), _weight(2, P["预算编制"][:2], 9)), {}, set()),
    "leaf-weight-wrong": (_then(_filled({}), _set("cell", "F19", 6)), {}, set()),
    "totals-typed-over": (_then(_filled({P["预算编制"]: 1}), _totals("score", 90), _totals("deduction", 3)), {}, set()),
    "grade-typed-over": (_then(_filled({P["预算编制"]: 1}), _grade("良")), {}, set()),
    "total-typed-over": (_then(_filled({}), lambda ws, info: ws.__setitem__(info.total_cell, 88)), {}, set()),
    "deduction-as-text-digit": (_filled({P["工作效率"]: "3"}), {}, set()),
    "weight-total-typed-over": (_then(_filled({}), _totals("weight:1", 95)), {}, set()),
    # more problems than the list has rows: 41 deductions without a reason, 41 over the weight
    "many-problems": (_filled({leaf.path: 50 for leaf in SEED_FRAMEWORK}, reasons=False), {}, {"reason-missing"}),
    "two-level": (_then(_filled({("产出", "产出数量"): 60}), _weight(1, ("决策",), 25)), {"leaves": TWO_LEVEL}, set()),
    "mixed-depth": (_then(_filled({("产出", "数量", "完成率"): 5, ("决策", "决策程序"): 13}),
                          _weight(2, ("产出", "数量"), 25)), {"leaves": MIXED}, set()),
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    src = tmp_path_factory.mktemp("sc-src")
    out = tmp_path_factory.mktemp("sc-out")
    profile = tmp_path_factory.mktemp("sc-profile")
    for name, (fill, options, _) in CASES.items():
        wb, info = write_template(None, **options)
        fill(wb[info.sheet], info)
        wb.save(src / f"{name}.xlsx")
    files = [str(src / f"{name}.xlsx") for name in CASES]
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), *files]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(profile)})
    missing = [f for f in CASES if not (out / f"{f}.xlsx").exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return out


def self_check_list(path: Path) -> tuple[str, list[list], list[list]]:
    """(the count line, the listed rows 序号｜单元格｜级别｜说明｜代码, every flagged helper row as
    单元格｜级别｜说明｜代码) of a recalculated workbook."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    listed = [r[:5] for r in rows[FIRST - 1:FIRST - 1 + LIST_MAX] if r[0] != ""]
    helper = [r[11:15] for r in rows[FIRST - 1:] if len(r) > 14 and r[9] == 1]
    return rows[1][0], listed, helper


@pytest.mark.parametrize("name", list(CASES))
def test_self_check_lists_what_xladdin_check_finds(converted, name):
    path = converted / f"{name}.xlsx"
    report = check_file(path)
    assert report.table is not None and report.table.sheet == "评分表"
    found = {(i.code, i.cell) for i in report.issues}
    assert {code for code, _ in found} <= FORMULA_CODES, "a check without a formula form: extend the 自查 sheet"
    count, listed, helper = self_check_list(path)
    assert [r[0] for r in listed] == list(range(1, len(listed) + 1))
    assert [r[1:] for r in listed] == helper[:LIST_MAX]  # the list shows the flagged helper rows in order
    pairs = {(code, cell) for cell, _, _, code in helper}
    assert len(pairs) == len(helper)  # one line per problem
    assert {p for p in pairs if p[0] not in SELF_ONLY} == found
    assert {code for code, _ in pairs if code in SELF_ONLY} == CASES[name][2]
    severities = {(i.code, i.cell): "错误" if i.severity == "error" else "警告" for i in report.issues}
    for cell, level, message, code in helper:
        assert message and level in ("错误", "警告")
        if code not in SELF_ONLY:
            assert level == severities[(code, cell)], (code, cell)
    if helper:
        errors = sum(r[1] == "错误" for r in helper)
        assert count == f"发现 {len(helper)} 个问题（错误 {errors} 个，警告 {len(helper) - errors} 个）"
    else:
        assert count == "未发现问题"
    more = _sheet_rows(path)[FIRST - 1 + LIST_MAX][0]
    assert more == (f"另有 {len(helper) - LIST_MAX} 个问题未列出：请先改正上面的问题，改正后其余问题会依次列出。"
                    if len(helper) > LIST_MAX else "")


def _sheet_rows(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()


def test_every_formula_check_is_exercised(converted):
    codes = set()
    for name in CASES:
        codes |= {i.code for i in check_file(converted / f"{name}.xlsx").issues}
        codes |= {r[3] for r in self_check_list(converted / f"{name}.xlsx")[2]}
    assert codes >= FORMULA_CODES | set(SELF_ONLY)


def test_the_scoring_sheet_repeats_the_count(converted):
    from python_calamine import CalamineWorkbook

    for name in ("clean-seed", "deduction-over-weight"):
        path = converted / f"{name}.xlsx"
        count, _, _ = self_check_list(path)
        row2 = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("评分表").to_python()[1]
        shown = [v for v in row2 if isinstance(v, str) and v.startswith("自查：")]
        assert shown == ["自查：未发现问题" if count == "未发现问题" else f"自查：{count}，见“自查”表"]
