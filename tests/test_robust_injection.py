"""Text from submissions is written as text in every output; sheet names from user data are made safe.

Text that starts with = + - @ (a unit "=1+2县档案室", a reason "=cmd|' /C calc'!A0", an indicator
"=HYPERLINK(...)", a file "=甲.xlsx") must never become a formula: not in the summary workbook
(openpyxl sheets and the sheet XML built by hand), not in `check --annotate` copies and their
校验结果 sheet, not in what the 校验 button writes into the live workbook, not in the template's
--unit. The assertions read the written XML (cell types), not just the values.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from builders import seed_like

from xladdin import check_file
from xladdin.cli import main
from xladdin.kinds.department.framework import SEED_FRAMEWORK, Level
from xladdin.samples import Submission, by_name, write_submission

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
UNITS = ("=1+2县档案室", "+县图书馆", "-县文化馆", "@县博物馆")
REASONS = ("=cmd|' /C calc'!A0", "+1+1", "-2-3", "@SUM(A1)")
FILES = ("=甲.xlsx", "+乙.xlsx", "-丙.xlsx", "@丁.xlsx")
LEVEL1 = '=HYPERLINK("http://example.invalid","点我")'
FORMULA_LIKE = UNITS + REASONS + FILES + (LEVEL1,)


def cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def cells(path: Path) -> dict[str, list[tuple[str, str, str | None, bool]]]:
    """{sheet: [(ref, text, t, has_formula)]} straight from the package's XML."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{NS}si"):
                shared.append("".join(t.text or "" for t in si.iter(f"{NS}t")))
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in wb.iter(f"{NS}sheet"):
            rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            part = target[rid].lstrip("/")
            part = part if part.startswith("xl/") else "xl/" + part
            rows = []
            for c in ET.fromstring(zf.read(part)).iter(f"{NS}c"):
                t, f, v = c.get("t"), c.find(f"{NS}f"), c.find(f"{NS}v")
                if t == "inlineStr":
                    text = "".join(x.text or "" for x in c.iter(f"{NS}t"))
                elif t == "s" and v is not None:
                    text = shared[int(v.text)]
                else:
                    text = v.text if v is not None else ""
                rows.append((c.get("r"), text, t, f is not None))
            out[sheet.get("name")] = rows
    return out


def assert_text(path: Path, where: dict[str, set[str]], formulas_allowed=lambda sheet, ref: False) -> None:
    """Every string in ``where[sheet]`` is in that sheet as a text cell, and no cell is a formula."""
    got = cells(path)
    for sheet, rows in got.items():
        bad = [(ref, text) for ref, text, t, f in rows if f and not formulas_allowed(sheet, ref)]
        assert not bad, (sheet, bad[:5])
    for sheet, texts in where.items():
        found = {text: t for _, text, t, _ in got[sheet] if text in texts}
        assert set(found) == texts, (sheet, texts - set(found))
        assert all(t in ("s", "inlineStr") for t in found.values()), (sheet, found)


# -- the summary workbook ----------------------------------------------------------------------------

def _framework_with_level1(name: str):
    return tuple(replace(leaf, levels=(Level(name, leaf.levels[0].weight),) + leaf.levels[1:])
                 if leaf.path[0] == "部门规划" else leaf for leaf in SEED_FRAMEWORK)


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inj") / "报送"
    subs = [Submission(path=f, unit=u, deductions=by_name({"预算执行": 1}), reasons=by_name({"预算执行": r}),
                       title_style="lines") for f, u, r in zip(FILES, UNITS, REASONS)]
    odd = _framework_with_level1(LEVEL1)
    subs.append(Submission(path="戊.xlsx", unit="某县戊局", framework=odd,
                           deductions={odd[0].path: 1}, reasons={odd[0].path: "=2*3"}))
    for s in subs:
        write_submission(s, folder)
    (folder / "=坏.xlsx").write_bytes(b"")
    out = tmp_path_factory.mktemp("out") / "汇总.xlsx"
    code, stdout, err = cli("consolidate", folder, "-o", out, "--json", "--workers", "1")
    assert code == 0, err
    return out, json.loads(stdout)


def test_the_submissions_were_read_as_written(summary):
    _, d = summary
    units = {f["file"]: f["unit"] for f in d["files"]}
    assert units == {**dict(zip(FILES, UNITS)), "戊.xlsx": "某县戊局", "=坏.xlsx": None}


def test_summary_workbook_text_stays_text_in_every_sheet(summary):
    out, _ = summary
    reasons = set(REASONS) | {"=2*3"}
    files = set(FILES)
    assert_text(out, {
        "汇总": set(UNITS) | files | {LEVEL1},  # LEVEL1: a column header written by openpyxl
        "明细": set(UNITS) | reasons | files | {LEVEL1},
        "扣分明细": set(UNITS) | reasons | files | {LEVEL1},
        "指标统计": {LEVEL1},
        "校验问题": {"=坏.xlsx"},  # the files without issues have no rows here
        "文件清单": set(UNITS) | files | {"=坏.xlsx"},
    })
    # openpyxl and calamine (which evaluates nothing) read the same text back
    wb = openpyxl.load_workbook(out)
    header = [c for c in wb["汇总"][1]]
    assert [c.data_type for c in header if c.value == LEVEL1] == ["s"]
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("明细").to_python()
    assert {r[8] for r in rows} >= set(REASONS)


def test_a_message_that_starts_with_a_unit_name_stays_text(summary):
    out, _ = summary
    messages = [text for _, text, t, _ in cells(out)["校验问题"] if text.startswith("=")]
    assert any(m.startswith("=") and "一级指标" not in m for m in messages) or messages == []
    issues = cells(out)["校验问题"]
    framework_note = [(text, t) for _, text, t, _ in issues if "的一级指标与多数单位" in text]
    assert framework_note and all(t == "inlineStr" for _, t in framework_note)


# -- check --annotate ----------------------------------------------------------------------------------

def test_annotated_copy_and_its_result_sheet_keep_text_as_text(tmp_path):
    odd = _framework_with_level1(LEVEL1)
    src = write_submission(Submission(
        path="=源.xlsx", unit=UNITS[0], framework=odd, title_style="lines",
        weights={(LEVEL1,): 16},  # a wrong subtotal: an issue whose indicator path starts with "="
        deductions={odd[0].path: 1}, reasons={odd[0].path: REASONS[0]}), tmp_path)
    out = tmp_path / "标注.xlsx"
    code, stdout, err = cli("check", src, "--annotate", out)
    assert code == 1, stdout + err
    result = [text for _, text, _, _ in cells(out)["校验结果"]]
    assert any(t.startswith(LEVEL1) for t in result)  # the indicator column: "=HYPERLINK(...)"
    paths = {t for t in result if t.startswith(LEVEL1)}
    assert_text(out, {"校验结果": {UNITS[0]} | paths, "表1": {UNITS[0], REASONS[0], LEVEL1}})


# -- the live workbook (the 校验 button) ---------------------------------------------------------------

@pytest.fixture
def strict_excel(monkeypatch):
    """Make the test double parse written strings the way Excel does when a value is assigned:
    = + - @ start a formula, a number-like string becomes a number, a leading ' keeps text, and a
    cell formatted as text ("@") takes everything as text."""
    import xl_double

    def text_format(sheet, r, c) -> bool:
        return any(fmt == "@" and r0 <= r <= r1 and c0 <= c <= c1
                   for ((r0, c0), (r1, c1)), fmt in sheet.formats.items())

    def setter(self, values):
        self.sheet.guard()
        if not isinstance(values, list):
            values = [[values]]
        r0, c0 = self.first
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                cell = self.sheet.cell(r0 + i, c0 + j)
                cell.formula = None
                if isinstance(v, str) and v.startswith("'"):
                    cell.value = v[1:]
                elif isinstance(v, str) and text_format(self.sheet, r0 + i, c0 + j):
                    cell.value = v
                elif isinstance(v, str) and v[:1] in ("=", "+", "-", "@") and len(v) > 1:
                    cell.formula = v if v.startswith("=") else "=" + v.lstrip("@")
                elif isinstance(v, str) and re.fullmatch(r"\s*[-+]?\d+(\.\d+)?\s*", v):
                    cell.value = float(v)
                elif isinstance(v, int) and not isinstance(v, bool):
                    cell.value = float(v)
                else:
                    cell.value = v
        self.sheet.recalc()

    monkeypatch.setattr(xl_double.Range, "value", property(xl_double.Range.value.fget, setter))
    return xl_double


def test_live_result_sheet_holds_text_not_formulas(tmp_path, strict_excel):
    from xladdin import xl
    from xladdin.outputs.annotate import RECORD_COL, RESULT_SHEET, read_record

    odd = _framework_with_level1(LEVEL1)
    src = write_submission(Submission(
        path="源.xlsx", unit=UNITS[0], framework=odd, title_style="lines", sheet="2023",
        weights={(LEVEL1,): 16}, deductions={odd[0].path: 1}), tmp_path)
    book = strict_excel.book_from_file(src)
    message = xl.check_book(book)
    assert message.startswith("校验完成：发现")
    rs = book.sheets[RESULT_SHEET]
    formulas = {(r, c): cell.formula for (r, c), cell in rs.cells.items() if cell.formula}
    assert formulas and all(c == 3 and f.startswith("=HYPERLINK(") for (r, c), f in formulas.items())
    values = [cell.value for cell in rs.cells.values()]
    assert UNITS[0] in values and any(isinstance(v, str) and v.startswith(LEVEL1) for v in values)
    record = read_record(rs.range((1, 1), (20, RECORD_COL + 2)).options(ndim=2).value)
    assert record and {m.sheet for m in record} == {"2023"}  # a sheet name that looks like a number


def test_live_marks_are_cleared_after_a_fix_on_a_sheet_named_like_a_number(tmp_path, strict_excel):
    from xladdin import xl

    src = seed_like(tmp_path / "t.xlsx", sheet="2023", edit=lambda ws, geo: ws.cell(geo.leaf_rows[0], 2, 16))
    book = strict_excel.book_from_file(src)
    s = book.sheets["2023"]
    xl.check_book(book)
    assert strict_excel.fill(s) == {"B3": "FFC7CE", "B44": "FFC7CE"}  # the subtotal and the 合计 row
    s.range("B3").value = 15.0  # the clerk corrects the subtotal
    assert xl.check_book(book).startswith("校验通过")
    assert strict_excel.fill(s) == {}  # the record named the sheet correctly, so the mark was undone


# -- the template ------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit", UNITS)
def test_template_unit_is_text(tmp_path, unit):
    from xladdin.outputs.template import write_template

    out = tmp_path / "模板.xlsx"
    write_template(out, unit=unit, year=2023)
    title = f"{unit}2023年度部门整体支出绩效评价指标评分表"
    got = {ref: (text, t, f) for ref, text, t, f in cells(out)["评分表"]}
    assert got["A1"] == (title, "inlineStr", False) or got["A1"] == (title, "s", False)
    assert got["B2"][:1] == (unit,) and got["B2"][1] in ("s", "inlineStr") and not got["B2"][2]


def test_template_indicator_names_and_grade_labels_stay_text(tmp_path):
    from xladdin.core.grading import Grading
    from xladdin.outputs.template import write_template

    out = tmp_path / "模板.xlsx"
    write_template(out, leaves=_framework_with_level1(LEVEL1), grading=Grading.parse('90:优"&T(1)&",0:差'))
    got = cells(out)["评分表"]
    assert [(t, f) for _, text, t, f in got if text == LEVEL1] in ([("inlineStr", False)], [("s", False)])
    ws = openpyxl.load_workbook(out)["评分表"]
    grade = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "ISNUMBER" in c.value]
    assert grade and all('"优""&T(1)&"""' in g for g in grade)  # the label is one string literal


# -- sheet names -------------------------------------------------------------------------------------

def test_safe_sheet_titles():
    from xladdin.outputs.annotate import safe_sheet_title

    assert safe_sheet_title("评分表[2023]/甲:乙*?\\") == "评分表_2023__甲_乙___"
    assert safe_sheet_title("长" * 40) == "长" * 31
    assert safe_sheet_title("'引号'") == "引号" and safe_sheet_title("") == "Sheet"
    assert safe_sheet_title("History") == "History_" and safe_sheet_title("a", ["A"]) == "a(2)"
    assert safe_sheet_title("长" * 40, ["长" * 31]) == "长" * 28 + "(2)"
    for name in ("a/b", "[x]", "x" * 50, "'", "a:b*c?d"):
        t = safe_sheet_title(name)
        assert len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) and not t.startswith("'")


def _with_sheet_name(src: Path, dst: Path, name: str) -> Path:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    from xml.sax.saxutils import quoteattr

    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].decode().replace('name="表1"', f"name={quoteattr(name)}").encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return dst


def test_annotating_a_workbook_whose_sheet_name_excel_would_refuse(tmp_path):
    name = "评分表[2023]/甲:乙*?" + "长" * 30
    src = _with_sheet_name(seed_like(tmp_path / "base.xlsx", edit=lambda ws, geo: ws.cell(geo.leaf_rows[0], 2, 16)),
                           tmp_path / "坏名字.xlsx", name)
    out = tmp_path / "标注.xlsx"
    code, stdout, err = cli("check", src, "--annotate", out)
    assert code == 1 and "Traceback" not in err, err  # the workbook has one error; no crash
    wb = openpyxl.load_workbook(out)
    safe = "评分表_2023__甲_乙__" + "长" * 16
    assert wb.sheetnames == [safe, "校验结果"]
    assert wb[safe]["B3"].fill.fgColor.rgb.endswith("FFC7CE") and wb[safe]["B3"].comment is not None
    result = [[c.value for c in row] for row in wb["校验结果"].iter_rows()]
    assert ["说明", "原文件的格式信息无法读取，本标注副本按各工作表的数值重建，没有保留原来的格式。"] in [r[:2] for r in result]
    links = [c.hyperlink.location or c.hyperlink.target for row in wb["校验结果"].iter_rows() for c in row if c.hyperlink]
    assert links and all(f"'{safe}'!" in (link or "") for link in links)


# -- characters a workbook cannot hold ---------------------------------------------------------------

def _with_noncharacters(tmp_path: Path) -> Path:
    src = write_submission(Submission(path="非字符.xlsx", unit="某县非字符局", deductions=by_name({"预算执行": 1}),
                                      reasons=by_name({"预算执行": "原因XX尾"})), tmp_path / "src")
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    key = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in parts else "xl/worksheets/sheet1.xml"
    parts[key] = parts[key].decode().replace("原因XX尾", "原因\ufffe\uffff尾").encode("utf-8")
    folder = tmp_path / "报送"
    folder.mkdir()
    dst = folder / "非字符.xlsx"
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return dst


def test_noncharacters_from_a_submission_never_corrupt_an_output(tmp_path):
    src = _with_noncharacters(tmp_path)
    out = tmp_path / "汇总.xlsx"
    code, _, err = cli("consolidate", src.parent, "-o", out, "--workers", "1")
    assert code == 0, err
    reasons = [r[7] for r in openpyxl.load_workbook(out)["扣分明细"].iter_rows(min_row=2, values_only=True)]
    assert reasons == ["原因尾"]  # the file opens (an XML parser accepts it) and the text is kept
    ann = tmp_path / "标注.xlsx"
    code, _, err = cli("check", src, "--annotate", ann)
    assert code == 0 and "Traceback" not in err, err
    assert "校验结果" in openpyxl.load_workbook(ann).sheetnames


def test_the_reader_drops_noncharacters(tmp_path):
    r = check_file(_with_noncharacters(tmp_path))
    reasons = [v for n in r.table.walk() for v in n.extras.values() if v]
    assert reasons == ["原因尾"]


# -- the terminal ---------------------------------------------------------------------------------------

def test_file_names_cannot_send_escape_sequences_to_the_terminal(tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "坏\x1b[2J\u202e.xlsx").write_bytes(b"")
    code, out, err = cli("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "--workers", "1")
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out and "坏?[2J?.xlsx" in out
    ledger = [r[1] for r in openpyxl.load_workbook(tmp_path / "汇总.xlsx")["文件清单"].iter_rows(min_row=2, values_only=True)]
    assert ledger == ["坏[2J\u202e.xlsx"]  # the sheet drops what it cannot hold and keeps the rest
