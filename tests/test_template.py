"""The fill-in template (`xladdin template`): layout, formulas, protection, validation, print setup,
the framework file loader, the shipped copies, and the round trip through `xladdin check`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xladdin.cli import main
from xladdin.core.grading import Grading
from xladdin.engine import check_file
from xladdin.errors import ConfigError
from xladdin.kinds.department.framework import SEED_DEDUCTIONS, SEED_FRAMEWORK, Leaf, Level
from xladdin.outputs.template import DEFAULT_TEMPLATE_NAME, bands_text, grade_formula, write_template
from xladdin.reading.framework_file import framework_csv, load_framework

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbooks" / DEFAULT_TEMPLATE_NAME
SHIPPED_CSV = ROOT / "workbooks" / "指标体系模板.csv"


def filled(path: Path, deductions: dict, reasons: dict | None = None, **kw) -> Path:
    """The template with deductions (and reasons) typed in, saved by openpyxl (no cached formula values)."""
    wb, info = write_template(None, **kw)
    ws = wb[info.sheet]
    for p, d in deductions.items():
        ws[info.deduction_cell(p)] = d
        reason = (reasons or {}).get(p, "佐证材料不全")
        if reason:
            ws[info.reason_cell(p)] = reason
    wb.save(path)
    return path


# -- layout ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def default():
    return write_template(None, unit="永靖县工业和信息化局", year=2023)


def test_layout_is_the_familiar_table(default):
    wb, info = default
    ws = wb[info.sheet]
    assert wb.sheetnames == ["评分表", "自查", "基础数据", "测算对比"]
    assert ws["A1"].value == "永靖县工业和信息化局2023年度部门整体支出绩效评价指标评分表"
    assert [ws.cell(4, c).value for c in range(1, 11)] == [
        "一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准", "扣分", "得分", "扣分原因"]
    assert (ws["A2"].value, ws[info.unit_cell].value) == ("单位名称：", "永靖县工业和信息化局")
    assert (ws["A3"].value, ws[info.year_cell].value) == ("评价年度：", "2023")
    labels = [ws.cell(3, c).value for c in range(1, 11)]
    assert "填报人：" in labels and "联系电话：" in labels
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A5:A11", "B5:B11", "A18:A39", "B18:B39", "C18:C21", "D18:D21"} <= merged  # 部门规划, 管理效率, 预算管理
    assert ws["B18"].value == 44  # 管理效率 corrected
    assert ws.freeze_panes == "A5"
    assert ws.column_dimensions["J"].width >= 30 and ws.column_dimensions["B"].width < 8
    assert ws["A5"].border.left.style == "thin" and ws["J45"].border.bottom.style == "thin"


def test_formulas_work_without_python(default):
    wb, info = default
    ws = wb[info.sheet]
    tr = info.totals_row
    assert ws["I5"].value == "=F5-H5"
    assert ws["I40"].value == "=D40-H40"  # 基础管理: a two-level row takes its weight from the level-2 column
    assert ws[f"A{tr}"].value == "合计"
    assert ws[f"B{tr}"].value == "=SUM(B5:B45)"
    assert ws[f"F{tr}"].value == "=SUM(F5:F45)+D40+D45"  # the level-3 column counts the two-level rows too
    assert ws[f"H{tr}"].value == "=SUM(H5:H45)" and ws[f"I{tr}"].value == "=SUM(I5:I45)"
    assert ws[info.total_cell].value == f"=I{tr}"
    assert ws[info.grade_cell].value == grade_formula(info.total_cell)
    assert grade_formula("B47") == ('=IF(ISNUMBER(B47),IF(B47>=90-1E-9,"优",IF(B47>=80-1E-9,"良",'
                                   'IF(B47>=60-1E-9,"中","差"))),"")')
    sub = info.subtotal_rows["管理效率"]
    assert ws[f"I{sub}"].value == "=SUM(I18:I39)" and ws[f"B{sub}"].value == "=B18"


def test_only_input_cells_are_unlocked_and_the_sheet_is_protected_without_password(default):
    wb, info = default
    ws = wb[info.sheet]
    assert ws.protection.sheet is True and not ws.protection.password
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    inside_inputs = {c.coordinate for m in ws.merged_cells.ranges if m.start_cell.coordinate in info.input_cells
                     for row in ws[m.coord] for c in row}
    assert set(info.input_cells) <= unlocked and unlocked - set(info.input_cells) <= inside_inputs
    assert {"H5", "J5", "H45", "J45", info.unit_cell, info.year_cell, info.filler_cell, info.phone_cell} <= unlocked
    assert not {"I5", "F5", "B5", info.total_cell, info.grade_cell} & unlocked


def test_deduction_validation_with_chinese_messages(default):
    wb, info = default
    ws = wb[info.sheet]
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert len(dvs) == len(SEED_FRAMEWORK)
    dv = dvs["H19"]  # 预算编制, 5 分
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "$F$19")
    assert dv.showErrorMessage and dv.errorStyle == "stop" and "5" in dv.error and "扣分" in dv.error
    assert dv.showInputMessage and "0 至 5 分" in dv.prompt
    assert dvs["H40"].formula2 == "$D$40"
    for dv in dvs.values():
        assert len(dv.prompt) <= 255 and len(dv.error) <= 255 and len(dv.promptTitle) <= 32


def test_conditional_formatting_flags_a_deduction_without_reason(default):
    wb, info = default
    ws = wb[info.sheet]
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules["J5:J45"] == ["AND(ISNUMBER($H5),$H5>0,LEN(TRIM($J5))=0)"]
    assert "$I5<0" in rules["H5:H45"][0]


def test_print_setup(default):
    wb, info = default
    ws = wb[info.sheet]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    # two A4 pages: one break between level-1 blocks, a fixed scale no smaller than 75%
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and 75 <= ws.page_setup.scale <= 100
    assert len(ws.row_breaks.brk) == 1
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.page_margins.bottom - ws.page_margins.footer >= 0.25  # room for the footer's line
    assert ws.print_title_rows.replace("$", "") == "4:4"
    assert ws.print_area.endswith(f"$J${info.last_row}")
    # page breaks fall between level-1 blocks, never inside a merged block
    starts = {r0 for _, (r0, _) in info.geometry.blocks_at(1)} | {info.totals_row}
    assert ws.row_breaks.brk and all(b.id + 1 in starts or b.id + 1 > info.totals_row for b in ws.row_breaks.brk)


def test_notes_below_the_table_are_not_read_as_stated_results(tmp_path):
    t = check_file(write_template(tmp_path / "t.xlsx")[0] and tmp_path / "t.xlsx").table
    assert t.stated_total is None and t.stated_grade is None and t.unit is None and t.year is None
    assert "90 分（含）以上为“优”" in bands_text() and "60 分以下为“差”" in bands_text()
    assert bands_text(Grading.parse("85:优秀,70:合格,0:不合格")) == (
        "总得分在 85 分（含）以上为“优秀”，70（含）～85 分为“合格”，70 分以下为“不合格”")


# -- round trip through the engine (openpyxl-saved: formulas have no cached values) ------------------

def test_round_trip_blank_template_passes(tmp_path):
    # the template stores its blank results (得分 = 分值, the 合计 row): checking it says nothing
    r = check_file(write_template(tmp_path / "t.xlsx")[0] and tmp_path / "t.xlsx")
    assert not r.errors and r.total_score == 100 and r.grade == "优"
    assert not r.warnings


def test_round_trip_with_deductions(tmp_path):
    r = check_file(filled(tmp_path / "f.xlsx", SEED_DEDUCTIONS, unit="永靖县工业和信息化局", year=2023))
    assert not r.errors
    assert (r.total_score, r.grade, r.figures.total_deduction) == (95, "优", 5)
    assert (r.table.unit, r.table.year) == ("永靖县工业和信息化局", 2023)
    leaf = next(n for n in r.table.leaves() if n.name == "预算编制")
    assert leaf.extras["扣分原因"] == "佐证材料不全"


def test_round_trip_reports_what_the_template_cannot_stop(tmp_path):
    # validation stops typing, not pasting: the engine still catches a deduction above the weight
    path = ("管理效率", "预算管理", "预算管理制度健全性")
    r = check_file(filled(tmp_path / "f.xlsx", {path: 3}))
    assert [i.code for i in r.errors] == ["deduction-range"] and r.errors[0].cell == "H18"


# -- framework files -------------------------------------------------------------------------------

def test_framework_csv_round_trip_and_shipped_copy(tmp_path):
    p = tmp_path / "框架.csv"
    p.write_text(framework_csv(SEED_FRAMEWORK), encoding="utf-8-sig")
    assert load_framework(p) == SEED_FRAMEWORK
    assert load_framework(SHIPPED_CSV) == SEED_FRAMEWORK
    g = tmp_path / "gbk.csv"  # Excel on Chinese Windows saves CSV as GBK
    g.write_bytes(framework_csv(SEED_FRAMEWORK).encode("gbk"))
    assert load_framework(g) == SEED_FRAMEWORK


def test_framework_from_xlsx_with_criteria_and_two_levels(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "分值", "二级指标", "分值", "评分标准"])
    ws.append(["决策", 20, "目标设定", 8, "目标明确得 8 分，不明确酌情扣分"])
    ws.append(["决策", 20, "决策程序", 12, "程序规范得 12 分"])
    ws.append(["产出", 50, "产出数量", 50, "全部完成得满分，每少完成 10% 扣 5 分"])
    ws.append(["效益", 30, "满意度", 30, "满意度 90% 以上得满分"])
    wb.save(tmp_path / "fw.xlsx")
    leaves = load_framework(tmp_path / "fw.xlsx")
    assert leaves[0] == Leaf((Level("决策", 20), Level("目标设定", 8)), "目标明确得 8 分，不明确酌情扣分")
    assert len(leaves) == 4
    out = tmp_path / "t.xlsx"
    wbt, info = write_template(out, leaves=leaves)
    ws = wbt[info.sheet]
    assert [ws.cell(4, c).value for c in range(1, 9)] == [
        "一级指标", "分值", "二级指标", "分值", "评分标准", "扣分", "得分", "扣分原因"]
    assert ws["E5"].value.startswith("目标明确") and ws["E5"].alignment.wrap_text
    assert (ws["A3"].value, ws["C3"].value, info.year_cell, info.filler_cell) == ("评价年度：", "填报人：", "B3", "E3")
    r = check_file(filled(tmp_path / "f.xlsx", {("产出", "产出数量"): 12.5}, leaves=leaves))
    assert not r.errors and r.total_score == 87.5 and r.grade == "良"


def test_a_one_level_framework_is_refused():
    with pytest.raises(ConfigError) as e:
        write_template(None, leaves=(Leaf((Level("甲", 40),)), Leaf((Level("乙", 60),))))
    assert "两级" in e.value.message


def _csv(tmp_path, text: str, name="fw.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_framework_files_are_refused_with_chinese_messages(tmp_path):
    good = framework_csv(SEED_FRAMEWORK)
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, good.replace("管理效率,44", "管理效率,42")))
    assert "B15：" in e.value.message and "42" in e.value.message and "fw.csv" in e.value.message
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, good.replace("预算编制,5", "预算编制,")))
    assert "预算编制" in e.value.message and "没有填分值" in e.value.message
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, "一级指标,分值\n甲,30\n乙,30\n"))
    assert "60" in e.value.message and "100" in e.value.message
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, "名称,数量\n甲,1\n"))
    assert "找不到表头" in e.value.message
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, "一级指标,分值\n甲,五十\n乙,50\n"))
    assert "五十" in e.value.message
    with pytest.raises(ConfigError):
        load_framework(tmp_path / "missing.csv")
    with pytest.raises(ConfigError) as e:
        load_framework(_csv(tmp_path, "x", name="fw.json"))
    assert ".csv" in e.value.message
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ConfigError) as e:
        load_framework(bad)
    assert "bad.xlsx" in e.value.message


# -- command line ----------------------------------------------------------------------------------

def test_cli_template(tmp_path, capsys):
    out = tmp_path / "评分表.xlsx"
    assert main(["template", "-o", str(out), "--unit", "某某局", "--year", "2024"]) == 0
    assert "已生成评分表模板" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["评分表"]
    assert ws["A1"].value == "某某局2024年度部门整体支出绩效评价指标评分表"
    fw = _csv(tmp_path, "一级指标,分值,二级指标,分值\n甲,40,甲一,40\n乙,60,乙一,60\n")
    assert main(["template", "-o", str(tmp_path / "b.xlsx"), "--framework", str(fw)]) == 0
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["评分表"]["A5"].value == "甲"
    assert main(["template", "-o", str(tmp_path / "c.xlsx"), "--framework", str(_csv(tmp_path, "一级指标,分值\n甲,40\n"))]) == 2
    assert "40" in capsys.readouterr().err
    assert main(["template", "-o", str(tmp_path / "d.xlsm")]) == 2
    assert "excel-setup" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["template", "-o", str(tmp_path / "e.xlsx"), "--year", "二〇二三"])
    assert "年度" in capsys.readouterr().err


# -- the shipped template stays in sync with the code ----------------------------------------------

def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    # openpyxl stamps the save time; everything else must be identical
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"",
                                        parts["docProps/core.xml"])
    return parts


def test_shipped_template_is_in_sync(tmp_path):
    fresh = tmp_path / DEFAULT_TEMPLATE_NAME
    write_template(fresh)
    assert _parts(SHIPPED) == _parts(fresh), (
        f"{SHIPPED.name} is out of date: run `python3 -m xladdin template -o workbooks/{DEFAULT_TEMPLATE_NAME}`")
    assert SHIPPED_CSV.read_bytes() == framework_csv(SEED_FRAMEWORK).encode("utf-8-sig")


def test_excel_variant_adds_the_summary_sheet_names_and_xlwings_conf(tmp_path):
    out = tmp_path / "t.xlsx"
    write_template(out, excel=True)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["评分表", "自查", "基础数据", "测算对比", "汇总", "xlwings.conf"]
    assert wb["xlwings.conf"].sheet_state == "hidden"
    conf = {r[0].value: r[1].value for r in wb["xlwings.conf"].iter_rows()}
    assert conf["UDF MODULES"] == "xladdin.xl" and "INTERPRETER_WIN" not in conf  # blank: xlwings' default
    assert wb.defined_names["汇总文件夹"].attr_text == "'汇总'!$B$3"
    assert wb.defined_names["汇总结果"].attr_text == "'汇总'!$B$4"
    # the extra sheets do not disturb the check: the scoring sheet is still found first
    r = check_file(out)
    assert r.table.sheet == "评分表" and not r.errors
