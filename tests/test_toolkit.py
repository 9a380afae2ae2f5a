"""The output toolkit every writer shares: text stays text, one illegal-character filter, sheet names,
page setup, the atomic save."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from xladdin.errors import OutputError
from xladdin.outputs import toolkit
from xladdin.outputs.toolkit import (
    MAX_CELL_TEXT,
    TEMP_PREFIX,
    cell_text,
    keep_text,
    page_setup,
    put,
    quoted_sheet,
    safe_sheet_title,
    save_workbook_atomically,
    solid,
    typed_text,
    xml_text,
)

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
FORMULA_LIKE = ("=1+2县档案室", "+县图书馆", "-县文化馆", "@县博物馆", "=cmd|' /C calc'!A0", '=HYPERLINK("x","y")')


def _sheet_cells(path: Path) -> dict[str, tuple[str | None, bool]]:
    """{ref: (cell type, has a formula)} of the first sheet, read from the XML."""
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    return {c.get("r"): (c.get("t"), c.find(f"{NS}f") is not None) for c in root.iter(f"{NS}c")}


# -- text stays text --------------------------------------------------------------------------------------

def test_put_writes_formula_like_text_as_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, text in enumerate(FORMULA_LIKE, 1):
        assert put(ws.cell(r, 1), text).value == text
    put(ws.cell(1, 2), 3.5)
    put(ws.cell(2, 2), None)
    ws.cell(3, 2).value = "=SUM(B1:B2)"  # a formula we mean is assigned directly
    out = tmp_path / "t.xlsx"
    wb.save(out)
    got = _sheet_cells(out)
    assert all(got[f"A{r}"] in (("s", False), ("inlineStr", False)) for r in range(1, len(FORMULA_LIKE) + 1)), got
    assert got["B1"] == ("n", False) and got["B3"][1] is True
    back = openpyxl.load_workbook(out).active
    assert [back.cell(r, 1).value for r in range(1, len(FORMULA_LIKE) + 1)] == list(FORMULA_LIKE)


def test_keep_text_types_what_was_written_directly():
    ws = openpyxl.Workbook().active
    ws["A1"] = "=1+1"
    ws["A2"] = "=2+2"
    keep_text(ws, max_row=1)
    assert ws["A1"].data_type == "s" and ws["A2"].data_type == "f"


def test_typed_text_for_live_excel():
    assert typed_text("=1+1") == "'=1+1" and typed_text("1-3") == "'1-3"
    assert typed_text("") == "" and typed_text(None) is None and typed_text(2.0) == 2.0


# -- characters a workbook cannot hold ----------------------------------------------------------------------

def test_one_filter_for_illegal_characters(tmp_path):
    dirty = "甲\x00乙\x07丙\x0b\x1f丁\ufffe\uffff戊\ud800己\t\n\r"
    assert xml_text(dirty) == "甲乙丙丁戊己\t\n\r"  # tab and line breaks are kept
    assert cell_text(dirty) == xml_text(dirty)
    long = "长" * (MAX_CELL_TEXT + 10)
    assert len(cell_text(long)) == MAX_CELL_TEXT and cell_text(long).endswith("…")
    wb = openpyxl.Workbook()
    put(wb.active["A1"], dirty)
    put(wb.active["A2"], long)
    wb.save(tmp_path / "t.xlsx")  # openpyxl would refuse the control characters
    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert back["A1"].value.startswith("甲乙丙丁戊己\t\n") and len(back["A2"].value) == MAX_CELL_TEXT


def test_the_summary_writer_uses_the_same_filter():
    from xladdin.outputs import summary_book

    assert summary_book.clean_text("a\x01b\ufffe") == cell_text("a\x01b\ufffe") == "ab"


# -- sheet names ----------------------------------------------------------------------------------------

def test_sheet_titles_excel_accepts():
    assert safe_sheet_title("评分表[2023]/甲:乙*?\\") == "评分表_2023__甲_乙___"
    assert safe_sheet_title("a\x01b") == "ab"
    assert safe_sheet_title("history") == "history_"
    assert safe_sheet_title("表", ["表", "表(2)"]) == "表(3)"
    assert safe_sheet_title("x" * 40, ["X" * 31]) == "x" * 28 + "(2)"
    assert quoted_sheet("甲's") == "'甲''s'"
    wb = openpyxl.Workbook()
    for name in ("a/b", "[x]", "'q'", "x" * 50, ""):
        wb.create_sheet(safe_sheet_title(name, wb.sheetnames))  # openpyxl raises on a name Excel refuses


# -- styles and printing --------------------------------------------------------------------------------

def test_shared_fills_and_page_setup():
    assert solid("D9D9D9") is solid("D9D9D9") and solid("D9D9D9").fgColor.rgb.endswith("D9D9D9")
    assert solid("FFC7CE", conditional=True).bgColor.rgb.endswith("FFC7CE")
    ws = openpyxl.Workbook().active
    page_setup(ws, title_rows="4:4", print_area="A1:F10", margins=(0.4, 0.6), footer="第 &P 页", center=True)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4" and ws.page_margins.left == 0.4 and ws.page_margins.top == 0.6
    assert ws.oddFooter.center.text == "第 &P 页" and ws.print_options.horizontalCentered
    portrait = openpyxl.Workbook().active
    page_setup(portrait, landscape=False, fit_width=False)
    assert portrait.page_setup.orientation == "portrait" and not portrait.sheet_properties.pageSetUpPr.fitToPage


# -- the atomic save ------------------------------------------------------------------------------------

class _Failing:
    def __init__(self, exc: BaseException, partial: bool = True):
        self.exc, self.partial = exc, partial

    def save(self, path: str) -> None:
        if self.partial:
            Path(path).write_bytes(b"PK\x03\x04half")
        raise self.exc


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failed_save_leaves_no_temporary_file_and_the_old_file_intact(tmp_path, exc):
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError if isinstance(exc, OSError) else type(exc)):
        save_workbook_atomically(_Failing(exc), out)
    assert _temps(tmp_path) == [] and out.read_bytes() == b"old"


def test_a_locked_target_is_an_output_error(tmp_path, monkeypatch):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(toolkit.os, "replace", locked)
    with pytest.raises(OutputError, match="正在 Excel 或 WPS 中打开"):
        save_workbook_atomically(openpyxl.Workbook(), out)
    assert _temps(tmp_path) == [] and out.read_bytes() == b"old"


def test_a_saved_file_gets_the_usual_mode_and_a_missing_folder_is_refused(tmp_path):
    out = tmp_path / "t.xlsx"
    save_workbook_atomically(openpyxl.Workbook(), out)
    assert openpyxl.load_workbook(out).sheetnames and _temps(tmp_path) == []
    if os.name != "nt":
        mask = os.umask(0)
        os.umask(mask)
        assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600
    with pytest.raises(OutputError, match="不存在"):
        save_workbook_atomically(openpyxl.Workbook(), tmp_path / "无此文件夹" / "t.xlsx")
