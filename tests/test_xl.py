"""The Excel adapter without Excel: UDFs called with the 2-D lists Excel passes, the buttons driven end to
end through a test double of the few xlwings calls they use, and the same plan through the file sink."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from builders import SEED_FIXTURE
from python_calamine import CalamineWorkbook
from xl_double import Book, ProtectedError, Range, book_from_file, fill

from xladdin import xl
from xladdin.engine import check_file
from xladdin.kinds.department.framework import SEED_DEDUCTIONS
from xladdin.outputs.annotate import (
    ERROR_FILL,
    NOTE_SEPARATOR,
    RECORD_COL,
    RESULT_SHEET,
    FileSink,
    plan,
    read_record,
    result_grid,
)
from xladdin.outputs.template import INPUT_FILL, write_template

SEED = SEED_FIXTURE  # the bundled copy of the real table: a clone alone runs the tests


def excel_values(path: Path, sheet: str | None = None) -> list[list]:
    """A sheet's values the way Excel hands a range to a UDF: None for blanks, numbers as floats."""
    wb = CalamineWorkbook.from_path(str(path))
    s = wb.get_sheet_by_name(sheet) if sheet else wb.get_sheet_by_index(0)
    return [[None if v == "" else float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
             for v in row] for row in s.to_python(skip_empty_area=False)]


@pytest.fixture()
def seed_values():
    return excel_values(SEED)


@pytest.fixture()
def clean_values(seed_values):
    rows = [list(r) for r in seed_values]
    rows[15][1] = 44.0  # B16: 管理效率 corrected
    return rows


# -- UDFs ------------------------------------------------------------------------------------------

def test_xl_grade():
    assert xl.XL_GRADE(95.0) == "优" and xl.XL_GRADE(90.0) == "优" and xl.XL_GRADE(89.5) == "良"
    assert xl.XL_GRADE(80.0) == "良" and xl.XL_GRADE(60.0) == "中" and xl.XL_GRADE(59.99) == "差"
    assert xl.XL_GRADE(89.99999999999999) == "优"  # float noise from Excel's arithmetic never drops a band
    assert xl.XL_GRADE(None) == ""  # a blank cell
    assert xl.XL_GRADE("88分") == "良"  # a number typed as text
    assert "数字" in xl.XL_GRADE("优秀")
    assert xl.XL_GRADE(86.0, "85:优秀,70:合格,0:不合格") == "优秀"
    assert xl.XL_GRADE(69.0, "85:优秀,70:合格,0:不合格") == "不合格"
    assert "90:优" in xl.XL_GRADE(86.0, "八十五")  # a bad band setting answers with the right form
    assert "一个单元格" in xl.XL_GRADE([[1.0, 2.0]])


def test_xl_total_and_summary(seed_values, clean_values):
    assert xl.XL_TOTAL(seed_values) == 95
    assert xl.XL_TOTAL(clean_values) == 95
    assert xl.XL_SUMMARY(seed_values) == [["分值合计", 98], ["扣分合计", 5], ["总得分", 95], ["等级", "优"],
                                          ["错误数", 2], ["警告数", 0]]
    assert xl.XL_SUMMARY(clean_values)[-2:] == [["错误数", 0], ["警告数", 0]]
    body_only = seed_values[2:]  # the header row not selected
    assert xl.XL_TOTAL(body_only) == xl.NO_TABLE and "表头" in xl.NO_TABLE
    assert xl.XL_TOTAL(None) == xl.NO_TABLE and xl.XL_TOTAL(3.0) == xl.NO_TABLE


def test_xl_check_lists_issues_or_passes(seed_values, clean_values):
    out = xl.XL_CHECK(seed_values)
    assert out[0] == ["单元格", "级别", "说明"]
    assert [r[:2] for r in out[1:]] == [["B16", "错误"], ["B44", "错误"]]
    assert "44" in out[1][2] and "管理效率" in out[1][2]
    assert xl.XL_CHECK(clean_values) == xl.PASS


def test_xl_check_reports_excel_error_values_and_text_numbers(clean_values):
    rows = [list(r) for r in clean_values]
    rows[4][7] = "#VALUE!"  # H5 of a formula gone wrong, as err_to_str passes it
    rows[5][5] = "2分"  # F6 typed as text
    out = xl.XL_CHECK(rows)
    by_cell = {r[0]: r for r in out[1:]}
    assert by_cell["H5"][1] == "错误" and "#VALUE!" in by_cell["H5"][2]
    assert by_cell["F6"][1] == "警告" and "2分" in by_cell["F6"][2]


def test_xl_check_uses_the_sheet_addresses_of_the_selected_range(seed_values):
    book = Book()
    sheet = book.sheets.add("表1")
    block = seed_values[1:]  # the table without its title, pasted at C3
    for i, row in enumerate(block):
        for j, v in enumerate(row):
            sheet.cell(3 + i, 3 + j).value = v
    rng = Range(sheet, (3, 3), (2 + len(block), 2 + len(block[0])))  # what @xw.arg("table", "range") passes
    out = xl.XL_CHECK(rng)
    assert [r[0] for r in out[1:]] == ["D17", "D45"]  # B16/B44 shifted by the selection's origin


def test_udf_decorators_are_valid_for_xlwings_on_windows(tmp_path):
    """On Linux xlwings' decorators do nothing. Re-import the module in a child process with xlwings'
    real Windows decorators (their COM imports stubbed) and generate the VBA wrappers Excel would get."""
    import subprocess
    import sys

    code = r'''
import io, sys, types
for n in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[n] = types.ModuleType(n)
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["win32com.client"].Dispatch = None
import xlwings, xlwings.udfs as u
xlwings.func, xlwings.arg, xlwings.ret = u.xlfunc, u.xlarg, u.xlret
import xladdin.xl as m
out = io.StringIO()
class WB: Name = "评分表.xlsm"
u.generate_vba_wrapper("xladdin.xl", m, out, WB())
print(out.getvalue())
for f in (m.XL_GRADE, m.XL_TOTAL, m.XL_CHECK, m.XL_SUMMARY):
    info = f.__xlfunc__
    assert info["category"] == m.CATEGORY, info
    for a in info["args"]:
        assert "convert" not in a["options"] or a["options"]["convert"] == "range", a
        assert not a["doc"].startswith("Positional"), a
print("OPTIONS", m.XL_CHECK.__xlfunc__["args"][0]["options"], m.XL_TOTAL.__xlfunc__["args"][0]["options"])
'''
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr
    vba = proc.stdout
    for sig in ("Function XL_GRADE(score, Optional bands)", "Function XL_TOTAL(table)",
                "Function XL_CHECK(table, Optional n)", "Function XL_SUMMARY(table, Optional item)"):
        assert sig in vba
    assert 'XLPy.CallUDF("xladdin.xl", "XL_CHECK"' in vba
    assert "OPTIONS {'convert': 'range'} {'ndim': 2, 'empty': None, 'err_to_str': True}" in vba


# -- the 校验 button ---------------------------------------------------------------------------------

def test_check_button_marks_the_live_workbook_and_writes_the_result_sheet():
    book = book_from_file(SEED)
    message = xl.check_button(book)
    assert book.app.alerts == [(message, "校验")]
    assert message.startswith("校验完成：发现 2 个错误") and "总得分95" in message and "校验结果" in message
    s = book.sheets["表1"]
    assert fill(s) == {"B16": ERROR_FILL, "B44": ERROR_FILL}
    assert s.get("B16").note.text.startswith("【错误】") and "44" in s.get("B16").note.text
    rs = book.sheets[RESULT_SHEET]
    assert [x.name for x in book.sheets] == ["表1", RESULT_SHEET]
    assert book.sheets.active.name == "表1"  # the user sees the marked table
    g = result_grid(plan(check_file(SEED)), "表1")
    values = rs.range((1, 1), (len(g.rows), 6)).options(ndim=2).value
    for r, row in enumerate(g.rows, 1):
        for c, v in enumerate(row, 1):
            assert values[r - 1][c - 1] == v  # the same grid as the file sink writes
    for r, c, target in g.links:
        assert rs.cell(r, c).formula == f'=HYPERLINK("#{target}","{values[r - 1][c - 1]}")'
        assert target == f"'表1'!{values[r - 1][c - 1]}"
    assert rs.widths[RECORD_COL] == 0  # the record columns are hidden
    assert {m.cell for m in read_record(rs.range((1, 1), (20, RECORD_COL + 2)).options(ndim=2).value)} == {
        "B16", "B44"}


def test_check_button_clears_earlier_marks_after_a_fix():
    book = book_from_file(SEED)
    s = book.sheets["表1"]
    s.get("B16").note = None
    s.range("B16").add_note("科长：请核实")  # the user's own note survives
    xl.check_button(book)
    assert s.get("B16").note.text.endswith(NOTE_SEPARATOR + "科长：请核实")
    s.range("B16").value = 44.0  # the clerk corrects 管理效率
    message = xl.check_button(book)
    assert message.startswith("校验通过") and "总得分95" in message
    assert fill(s) == {} and s.get("B16").note.text == "科长：请核实"
    assert [x.name for x in book.sheets] == ["表1", RESULT_SHEET]  # refreshed, not duplicated
    assert read_record(book.sheets[RESULT_SHEET].range((1, 1), (20, RECORD_COL + 2)).options(ndim=2).value) == []


def test_check_button_on_the_protected_template(tmp_path):
    wb, info = write_template(None)
    ws = wb[info.sheet]
    path = ("管理效率", "预算管理", "预算编制")
    ws[info.deduction_cell(path)] = 6  # above the weight (pasted past the validation)
    wb.save(tmp_path / "t.xlsx")
    book = book_from_file(tmp_path / "t.xlsx")
    s = book.sheets[info.sheet]
    assert s.protected
    message = xl.check_button(book)
    assert "1 个错误" in message
    cell = info.deduction_cell(path)
    assert fill(s)[cell] == ERROR_FILL and s.get(cell).note.text.startswith("【错误】")
    assert s.protected and s.api.protect_calls[-1] == {
        "DrawingObjects": False, "Contents": True, "Scenarios": False,
        "AllowFormattingColumns": True, "AllowFormattingRows": True}
    s.protected = False
    s.range(cell).value = 1.0
    s.protected = True
    assert xl.check_button(book).startswith("校验通过")
    assert fill(s)[cell] == INPUT_FILL  # the template's own input colour is back
    assert s.get(cell).note is None


def test_check_button_with_a_password_protected_sheet_says_what_to_do():
    book = book_from_file(SEED)
    s = book.sheets["表1"]
    s.protected, s.password = True, "secret"
    message = xl.check_button(book)
    assert "撤销工作表保护" in message and "表1" in message
    with pytest.raises(ProtectedError):
        s.range("A1").value = "x"  # the double really refuses writes, as Excel does


def test_a_refused_sheet_never_leaves_another_sheet_unprotected(tmp_path):
    """Marks recorded on two sheets, the second now has a password: the first is protected again."""
    book = book_from_file(SEED)
    xl.check_button(book)
    first = book.sheets["表1"]
    other = book.sheets.add("附表", after=first)
    rs = book.sheets[RESULT_SHEET]
    rs.range((3, RECORD_COL)).value = [["附表", "A1", ""]]  # a recorded mark on another sheet
    first.protected = True
    other.protected, other.password = True, "secret"
    book.sheets["表1"].activate()
    assert "撤销工作表保护" in xl.check_button(book)
    assert first.protected and other.protected


def test_check_button_without_a_scoring_table():
    book = Book()
    book.sheets.add("说明").range("A1").value = "本工作簿没有评分表"
    message = xl.check_button(book)
    assert "没有找到评分表" in message and "说明" in message
    assert RESULT_SHEET not in [s.name for s in book.sheets]


def test_check_button_finds_the_table_when_another_sheet_is_active():
    book = book_from_file(SEED)
    other = book.sheets.add("封面", after=book.sheets[0])
    other.range("A1").value = "封面"
    assert book.sheets.active.name == "封面"
    assert "2 个错误" in xl.check_button(book)


def test_live_sink_and_file_sink_apply_the_same_plan(tmp_path):
    """One plan, two sinks: the same cells get the same fill and the same note."""
    report = check_file(SEED)
    p = plan(report)
    FileSink(SEED, tmp_path / "out.xlsx").apply(p)
    saved = openpyxl.load_workbook(tmp_path / "out.xlsx")
    book = book_from_file(SEED)
    xl.LiveSink(book).apply(p)
    live = book.sheets["表1"]
    file_fills = {c.coordinate: c.fill.fgColor.rgb[-6:] for row in saved["表1"].iter_rows() for c in row
                  if c.fill is not None and c.fill.fill_type == "solid"}
    assert file_fills == fill(live)
    file_notes = {c.coordinate: c.comment.text for row in saved["表1"].iter_rows() for c in row if c.comment}
    live_notes = {k: live.get(k).note.text for k in fill(live)}
    assert file_notes == live_notes
    file_record = read_record([list(r) for r in saved[RESULT_SHEET].iter_rows(values_only=True)])
    live_record = read_record(book.sheets[RESULT_SHEET].range((1, 1), (20, RECORD_COL + 2)).options(ndim=2).value)
    assert file_record == live_record


def test_live_and_file_result_sheets_look_the_same(tmp_path):
    """校验结果 from one grid: the same values, the same coloured cells, the same column widths."""
    p = plan(check_file(SEED))
    FileSink(SEED, tmp_path / "out.xlsx").apply(p)
    saved = openpyxl.load_workbook(tmp_path / "out.xlsx")[RESULT_SHEET]
    book = book_from_file(SEED)
    xl.LiveSink(book).apply(p)
    live = book.sheets[RESULT_SHEET]
    g = result_grid(p, "表1")
    live_values = live.range((1, 1), (len(g.rows), 6)).options(ndim=2).value
    file_values = [list(r)[:6] for r in saved.iter_rows(min_row=1, max_row=len(g.rows), max_col=6, values_only=True)]

    def norm(rows):  # Excel hands numbers back as floats and an empty string as a blank
        return [[None if v == "" else float(v) if isinstance(v, int) else v for v in row] for row in rows]

    assert norm(live_values) == norm(file_values)
    file_fills = {c.coordinate: c.fill.fgColor.rgb[-6:] for row in saved.iter_rows() for c in row
                  if c.fill is not None and c.fill.fill_type == "solid"}
    assert file_fills == fill(live) and "A" + str(g.header_row) in file_fills
    widths = [saved.column_dimensions[col].width for col in "ABCDEF"]
    assert widths == [live.widths[c] for c in range(1, 7)]
    assert live.wraps.get(5) is True


def test_check_button_through_the_file_sink_end_to_end(tmp_path):
    """The button's path (find the table, check, plan) on a saved workbook, applied by the file sink."""
    wb, info = write_template(None, unit="永靖县工业和信息化局", year=2023)
    ws = wb[info.sheet]
    for path, d in SEED_DEDUCTIONS.items():
        ws[info.deduction_cell(path)] = d
    wb.save(tmp_path / "t.xlsx")
    book = book_from_file(tmp_path / "t.xlsx")
    sheet, report = xl.find_scoring_sheet(book)
    assert sheet.name == info.sheet and report.total_score == 95 and not report.issues
    p = plan(report)
    FileSink(tmp_path / "t.xlsx", tmp_path / "marked.xlsx").apply(p)
    assert check_file(tmp_path / "marked.xlsx").total_score == 95
    assert p.message.startswith("校验通过") and "等级优" in p.message


# -- the 测算对比 sheet (a workbook with a 基础数据 sheet) ----------------------------------------------

def _norm(rows):  # Excel hands numbers back as floats and an empty string as a blank
    return [[None if v == "" else float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row]
            for row in rows]


def test_check_button_writes_the_measured_sheet_like_annotate(tmp_path):
    """The button reads the 基础数据 sheet of the open workbook and writes 测算对比 from the same grid
    as ``check --annotate``: the same values, links, coloured cells, widths, wrapped rows."""
    from test_measured import SEED_FUNCTIONS, SEED_ITEMS, seed_with_data

    from xladdin.outputs.measured_sheet import MEASURED_SHEET, WARNING_FILL, measured_grid

    src = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS + SEED_FUNCTIONS)
    book = book_from_file(src)
    message = xl.check_book(book)
    assert "错误" in message
    names = [s.name for s in book.sheets]
    assert names[-2:] == [RESULT_SHEET, MEASURED_SHEET]
    live = book.sheets[MEASURED_SHEET]
    report = check_file(src)
    g = measured_grid(report.measured, "表1")
    FileSink(src, tmp_path / "out.xlsx").apply(plan(report))
    saved = openpyxl.load_workbook(tmp_path / "out.xlsx")[MEASURED_SHEET]
    n = len(g.rows)
    live_values = live.range((1, 1), (n, g.width)).options(ndim=2).value
    file_values = [list(r) for r in saved.iter_rows(min_row=1, max_row=n, max_col=g.width, values_only=True)]
    assert _norm(live_values) == _norm(file_values)
    staff = next(r for r in live_values if r[0] == "财政供养人员控制率")
    assert staff[1:6] == [3.0, 3.0, "123.53%", 0.0, 3.0] and staff[8] == "自评偏高"
    # the indicator name links to its row of the table (a HYPERLINK formula in the live book)
    first = g.header_row + 1
    assert live.get(f"A{first}").formula.startswith('=HYPERLINK("#\'表1\'!') or \
        live.get(f"A{first}").formula.startswith('=HYPERLINK("#表1!')
    assert saved.cell(first, 1).hyperlink is not None
    file_fills = {c.coordinate: c.fill.fgColor.rgb[-6:] for row in saved.iter_rows() for c in row
                  if c.fill is not None and c.fill.fill_type == "solid"}
    assert file_fills == fill(live)
    row = next(i for i, r in enumerate(live_values, 1) if r[0] == "财政供养人员控制率")
    assert fill(live)[f"I{row}"] == WARNING_FILL
    letters = [chr(ord("A") + i) for i in range(g.width)]
    assert [saved.column_dimensions[c].width for c in letters] == [live.widths[c] for c in range(1, g.width + 1)]
    assert live.heights and live.heights == {r: saved.row_dimensions[r].height for r in live.heights}
    assert all(live.wraps.get(c) for c in g.wrapped)


def test_check_button_refreshes_the_measured_sheet(tmp_path):
    """Re-running the button replaces 测算对比: after the 基础数据 is corrected, no stale row stays."""
    from test_measured import SEED_ITEMS, seed_with_data

    from xladdin.outputs.measured_sheet import MEASURED_SHEET

    book = book_from_file(seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS))
    xl.check_book(book)
    before = book.sheets[MEASURED_SHEET].range((1, 1), (40, 11)).options(ndim=2).value
    assert any(r[8] == "自评偏高" for r in before)
    data = book.sheets["基础数据"]
    assert data.get("A3").value == "P01b"
    data.range("D3").value = 21  # 27 posts for 21 staff: 控制率 77.78%, the self-score stands
    book.sheets["表1"].activate()
    xl.check_book(book)
    assert [s.name for s in book.sheets].count(MEASURED_SHEET) == 1
    after = book.sheets[MEASURED_SHEET].range((1, 1), (40, 11)).options(ndim=2).value
    staff = next(r for r in after if r[0] == "财政供养人员控制率")
    assert staff[3] == "77.78%" and staff[8] == "一致"
    assert not any(r[8] == "自评偏高" for r in after)
    assert len([r for r in after if any(v is not None for v in r)]) <= len([r for r in before if any(r)])


def test_check_button_keeps_a_template_measured_sheet_and_writes_beside_it(tmp_path):
    """The template's own 测算对比 (formulas) is never replaced: ours goes to 测算对比（校验）."""
    from test_measured import SEED_ITEMS, seed_with_data

    from xladdin.outputs.measured_sheet import MEASURED_SHEET, OWN_SHEET

    src = seed_with_data(tmp_path / "seed.xlsx", SEED_ITEMS, extra_sheets=[(MEASURED_SHEET, [["我的测算对比"]])])
    book = book_from_file(src)
    xl.check_book(book)
    xl.check_book(book)  # twice: still one sheet of ours
    names = [s.name for s in book.sheets]
    assert names.count(OWN_SHEET) == 1 and book.sheets[MEASURED_SHEET].get("A1").value == "我的测算对比"
    assert book.sheets[OWN_SHEET].get("A1").value.startswith("测算对比")
    FileSink(src, tmp_path / "out.xlsx").apply(plan(check_file(src)))
    saved = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert saved[MEASURED_SHEET]["A1"].value == "我的测算对比" and OWN_SHEET in saved.sheetnames


def test_check_button_without_basic_data_writes_no_measured_sheet():
    book = book_from_file(SEED)
    xl.check_book(book)
    assert "测算对比" not in [s.name for s in book.sheets]


# -- the 汇总 button --------------------------------------------------------------------------------

def _submissions(folder: Path) -> None:
    folder.mkdir()
    for unit, deductions in (("甲局", SEED_DEDUCTIONS), ("乙局", {})):
        wb, info = write_template(None, unit=unit, year=2023)
        for path, d in deductions.items():
            wb[info.sheet][info.deduction_cell(path)] = d
        wb.save(folder / f"{unit}.xlsx")
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")


def _summary_book(tmp_path: Path, folder_value) -> Book:
    write_template(tmp_path / "评分表.xlsx", excel=True)
    book = book_from_file(tmp_path / "评分表.xlsx")
    book.names["汇总文件夹"].refers_to_range.value = folder_value
    return book


def test_consolidate_button_runs_the_consolidation_and_opens_the_summary(tmp_path):
    _submissions(tmp_path / "报送")
    book = _summary_book(tmp_path, str(tmp_path / "报送"))
    message = xl.consolidate_button(book)
    out = tmp_path / "报送-汇总.xlsx"
    assert book.app.books.opened == [str(out)] and out.exists()
    assert book.app.alerts == [(message, "汇总")]
    assert "共 3 个文件" in message and "2 个单位计入排名" in message and "文件清单" in message
    assert book.app.status_bar is False  # the progress line is cleared at the end
    summary = openpyxl.load_workbook(out, read_only=True)
    assert "汇总" in summary.sheetnames and "文件清单" in summary.sheetnames


def test_consolidate_button_uses_the_named_output_cell(tmp_path):
    _submissions(tmp_path / "报送")
    book = _summary_book(tmp_path, str(tmp_path / "报送"))
    book.names["汇总结果"].refers_to_range.value = str(tmp_path / "县汇总.xlsx")
    xl.consolidate_button(book)
    assert (tmp_path / "县汇总.xlsx").exists()


def test_consolidate_button_messages(tmp_path):
    book = _summary_book(tmp_path, None)
    assert "汇总文件夹" in xl.consolidate_button(book) and book.app.books.opened == []
    book = _summary_book(tmp_path, str(tmp_path / "没有这个文件夹"))
    assert "找不到文件夹" in xl.consolidate_button(book)
    (tmp_path / "空").mkdir()
    book = _summary_book(tmp_path, str(tmp_path / "空"))
    message = xl.consolidate_button(book)
    assert message.startswith("汇总失败") and book.app.books.opened == []


def test_consolidate_button_reads_the_folder_the_vba_stored_as_a_named_constant(tmp_path):
    """A workbook without the 汇总 sheet: Sub 汇总 asks for the folder and stores it as a name."""
    _submissions(tmp_path / "报送")
    book = book_from_file(SEED)
    folder = str(tmp_path / "报送")
    book.names.add("汇总文件夹", '="' + folder.replace('"', '""') + '"')
    message = xl.consolidate_button(book)
    assert message.startswith("汇总完成") and book.app.books.opened == [str(tmp_path / "报送-汇总.xlsx")]
    assert "汇总文件夹" in xl.consolidate_button(book_from_file(SEED))  # no name at all: says what to do


def test_default_output_is_next_to_the_folder(tmp_path):
    assert xl.default_output(tmp_path / "报送") == (tmp_path / "报送-汇总.xlsx").resolve()


def test_relative_paths_are_taken_from_the_workbook_folder(tmp_path, monkeypatch):
    """xlwings starts Python in the interpreter's folder: a relative 汇总 path must not land there."""
    _submissions(tmp_path / "报送")
    elsewhere = tmp_path / "python"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    book = _summary_book(tmp_path, "报送")
    book.names["汇总结果"].refers_to_range.value = "结果/县汇总.xlsx"
    (tmp_path / "结果").mkdir()
    message = xl.consolidate_button(book)
    out = tmp_path / "结果" / "县汇总.xlsx"
    assert out.exists() and not list(elsewhere.iterdir())
    assert str(out) in message and str(tmp_path / "报送") in message  # shown absolute
    assert book.app.books.opened == [str(out)]


def test_a_relative_path_in_an_unsaved_or_online_workbook_asks_for_a_full_path(tmp_path):
    for fullname in ("工作簿1", "https://d.docs.live.net/abc/评分表.xlsm"):
        book = _summary_book(tmp_path, "报送")
        book.fullname = fullname
        message = xl.consolidate_button(book)
        assert "完整路径" in message and book.app.books.opened == []
    assert xl.resolve_path(str(tmp_path), Book()) == (tmp_path, "")


def test_the_consolidate_button_reads_through_time_limited_reader_processes(tmp_path, monkeypatch):
    """One file that never finishes reading is stopped at the time limit and listed as 无法读取; Excel is
    not frozen and the summary is written."""
    import json

    _submissions(tmp_path / "报送")
    monkeypatch.setenv("XLADDIN_TEST_HOOKS", json.dumps({"hang": ["乙局.xlsx"]}))
    monkeypatch.setattr(xl, "BUTTON_TIMEOUT", 8.0)  # generous: good files must finish even on a loaded machine
    book = _summary_book(tmp_path, str(tmp_path / "报送"))
    message = xl.consolidate_button(book)
    assert message.startswith("汇总完成") and "无法读取 2 个" in message  # the hung file and the broken one
    summary = openpyxl.load_workbook(tmp_path / "报送-汇总.xlsx", read_only=True)
    files = [[c for c in row] for row in summary["文件清单"].iter_rows(values_only=True)]
    assert any("乙局.xlsx" in str(row) and "超时" in str(row) for row in files)


@pytest.mark.parametrize("button, inner", [("check_button", "check_book"),
                                            ("consolidate_button", "_consolidate_and_open")])
def test_every_button_catches_everything_says_it_in_chinese_and_logs_it(tmp_path, monkeypatch, button, inner):
    def com_error(book):
        raise OSError(-2147352567, "Exception occurred.")  # what a pywintypes.com_error looks like

    monkeypatch.setenv("XLADDIN_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(xl, inner, com_error)
    book = Book()
    message = getattr(xl, button)(book)
    log = tmp_path / "logs" / xl.LOG_NAME
    assert log.exists() and "Traceback" in log.read_text(encoding="utf-8") and "OSError" in log.read_text("utf-8")
    assert "没有完成" in message and str(log) in message and "Traceback" not in message
    assert book.app.alerts == [(message, "校验" if button == "check_button" else "汇总")]


def test_a_button_whose_alert_fails_still_returns(monkeypatch):
    book = Book()

    def broken(*a, **k):
        raise OSError("Excel is busy")

    monkeypatch.setattr(book.app, "alert", broken)
    assert "没有找到评分表" in xl.check_button(book)


def test_a_password_is_never_prompted_for():
    """Unprotect() without a password makes Excel prompt (the double raises AssertionError then): the
    adapter passes "", so a sheet with a password stays protected with that password."""
    book = book_from_file(SEED)
    s = book.sheets["表1"]
    s.protected, s.password = True, "secret"
    assert "撤销工作表保护" in xl.check_button(book)
    assert s.protected and s.password == "secret"


def test_udfs_offer_a_one_cell_form_for_excel_without_dynamic_arrays(seed_values, clean_values):
    first = xl.XL_CHECK(seed_values, 1)
    assert isinstance(first, str) and first.startswith("B16｜错误｜")
    assert xl.XL_CHECK(seed_values, 99) == ""
    assert xl.XL_CHECK(clean_values, 1) == "通过" and xl.XL_CHECK(clean_values, 2) == ""
    assert xl.XL_CHECK(seed_values, 1.0) == first  # Excel passes numbers as floats
    assert "第几个问题" in xl.XL_CHECK(seed_values, "x") and "第几个问题" in xl.XL_CHECK(seed_values, 0)
    assert xl.XL_SUMMARY(clean_values, "总得分") == 95 and xl.XL_SUMMARY(clean_values, "等级") == "优"
    assert "其中一项" in xl.XL_SUMMARY(clean_values, "平均分")
    assert len(xl.XL_SUMMARY(clean_values)) == 6
