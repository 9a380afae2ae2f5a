"""What a printed page looks like (issue 16): the demo summary, the template and an annotated copy are
printed to PDF by headless LibreOffice and the PDF is measured with poppler (pdfinfo, pdftotext):
page counts, the size of the printed text (no page shrunk below ~75%), the page header and footer whole,
charts on one page. The sheets' own print settings are checked as well, for Excel, which prints from them."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xladdin.outputs.toolkit import MIN_PRINT_SCALE, fit_scale

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
pytestmark = pytest.mark.skipif(SOFFICE is None or not POPPLER,
                                reason="LibreOffice (soffice) or poppler-utils is not installed")

# The body text is 11 pt (10 pt in the template): a CJK word's box is about the font size high. At the
# 75% floor that is ~7.5–8 pt; the summary printed at 45–56% before (5–6 pt boxes).
MIN_TEXT_PT = 7.4

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _to_pdf(xlsx: Path, out: Path, profile: Path) -> Path:
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(out), str(xlsx)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(profile)})
    pdf = out / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not print {xlsx.name}: {proc.stdout} {proc.stderr}"
    return pdf


class Page:
    def __init__(self, width: float, height: float, words: list[tuple[float, float, float, float, str]]):
        self.width, self.height, self.words = width, height, words

    @property
    def text(self) -> str:
        return "".join(w[4] for w in self.words)

    @property
    def text_size(self) -> float:
        """The median height of the words in the body (the header and footer bands left out)."""
        body = [w[3] - w[1] for w in self.words if 0.09 * self.height < w[1] < 0.91 * self.height]
        return statistics.median(body) if body else 0.0

    def lines_near(self, top: bool) -> str:
        """The text of the header (top) or footer band."""
        band = [w for w in self.words if (w[3] < 0.09 * self.height if top else w[1] > 0.91 * self.height)]
        return "".join(w[4] for w in sorted(band, key=lambda w: (round(w[1]), w[0])))


def _pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox", "-q", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(m.group(3))]
        for w in words:
            assert w[3] <= float(m.group(2)) + 0.5 and w[1] >= -0.5, f"text off the page: {w}"
        pages.append(Page(float(m.group(1)), float(m.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The demo summary, the template (its scoring sheet) and an annotated copy, as PDF pages."""
    from xladdin.cli.main import main
    from xladdin.engine import check_file
    from xladdin.outputs.annotate import annotate
    from xladdin.outputs.template import write_template

    src = tmp_path_factory.mktemp("print-src")
    out = tmp_path_factory.mktemp("print-pdf")
    profile = tmp_path_factory.mktemp("print-profile")
    demo = src / "demo.xlsx"
    assert main(["demo", "-o", str(demo)]) == 0
    write_template(src / "template-full.xlsx")
    wb = openpyxl.load_workbook(src / "template-full.xlsx")
    for name in wb.sheetnames[1:]:  # the scoring sheet alone: other sheets print on pages of their own
        del wb[name]
    wb.save(src / "template.xlsx")
    folder = Path(__file__).resolve().parents[1] / "workbooks" / "示例-永靖县-2023-部门报送"
    report = check_file(folder / "永靖县林业和草原局2023年度部门整体支出绩效评价指标评分表.xlsx")
    annotate(report, src / "annotated.xlsx")
    # the demo department that sent a 基础数据 sheet: its annotated copy has a 测算对比 sheet
    annotate(check_file(folder / "永靖县工业和信息化局2023年度部门整体支出绩效评价指标评分表.xlsx"), src / "measured.xlsx")
    return {name: (src / f"{name}.xlsx", _pages(_to_pdf(src / f"{name}.xlsx", out, profile)))
            for name in ("demo", "template", "annotated", "measured")}


def _sheet_of(page: Page) -> str:
    m = re.search(r"—(\S+?)打印日期", page.lines_near(top=True))
    return m.group(1) if m else ("汇总" if "结果汇总表" in page.lines_near(top=True) else "")


def test_every_summary_page_is_landscape_readable_and_titled(printed):
    path, pages = printed["demo"]
    assert 10 <= len(pages) <= 80, len(pages)  # 7 sheets of ours (26 pages) and the sheets other kinds add
    total = len(pages)
    for n, page in enumerate(pages, 1):
        assert page.width > page.height, n  # A4 landscape
        assert page.text_size >= MIN_TEXT_PT, (n, page.text_size)
        head, foot = page.lines_near(top=True), page.lines_near(top=False)
        assert "永靖县2023年度部门整体支出绩效评价" in head and "打印日期：" in head, (n, head)
        assert foot == f"第{n}页，共{total}页", (n, foot)  # the footer whole
    sheets = [_sheet_of(p) for p in pages]
    # 汇总: the official results table on one page, every unit (15 ranked, 2 without a score)
    assert sheets.count("汇总") == 1 and "结果汇总表" in pages[0].lines_near(top=True)
    first = pages[0].text
    for unit in ("永靖县审计局", "永靖县住房和城乡建设局", "永靖县统计局", "永靖县医疗保障局"):
        assert unit in first
    assert "无法读取" in first and "不是评分表" in first
    # both charts of 等级分布 on its one page
    grade_pages = [p for p, s in zip(pages, sheets) if s == "等级分布"]
    assert len(grade_pages) == 1 and "等级分布" in grade_pages[0].text and "总分分布" in grade_pages[0].text
    # the corrected file's name is printed whole in 文件清单: the two 教育局 files can be told apart
    ledger = "".join(p.text for p, s in zip(pages, sheets) if s == "文件清单")
    assert "评分表（更正）.xlsx" in ledger and "请重新导出后提交" in ledger


def test_summary_sheets_print_settings(printed):
    """What Excel prints from: A4 landscape, one page wide at ≥ 75% (or a fixed scale ≥ 75%), the
    header row repeated, a title and page numbers, a print area ending at the last printed column."""
    path, _ = printed["demo"]
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and str(ps.paperSize) == "9", ws.title
        assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert "绩效评价" in ws.oddHeader.center.text and "&D" in ws.oddHeader.right.text
        if ws.title == "等级分布":
            continue
        last = re.search(r"\$([A-Z]+)\$\d+$", ws.print_area).group(1)
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, openpyxl.utils.column_index_from_string(last) + 1)]
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert ps.fitToWidth == 1 and fit_scale(widths) >= MIN_PRINT_SCALE, (ws.title, fit_scale(widths))
        else:
            assert ps.scale >= MIN_PRINT_SCALE * 100


def test_template_prints_on_two_pages_with_its_footer_whole(printed):
    path, pages = printed["template"]
    assert len(pages) == 2
    for n, page in enumerate(pages, 1):
        assert page.width > page.height
        assert page.text_size >= MIN_TEXT_PT * 10 / 11, (n, page.text_size)  # 10 pt body text
        assert page.lines_near(top=False) == f"第{n}页，共2页"
    assert "部门整体支出绩效评价指标评分表" in pages[0].text
    assert "合计" in pages[1].text and "综合得分" in pages[1].text and "填表说明" in pages[1].text
    ws = openpyxl.load_workbook(path).active
    assert ws.page_setup.scale >= MIN_PRINT_SCALE * 100


def test_annotated_copy_prints_its_table_landscape_and_whole_width(printed):
    path, pages = printed["annotated"]
    table = [p for p in pages if "标注副本" in p.lines_near(top=True)]
    assert table and len(table) < len(pages)  # then 校验结果
    for page in pages:
        assert page.width > page.height and page.text_size >= MIN_TEXT_PT
    # every column of the table on the first page: 一级指标 … 扣分原因
    assert all(h in table[0].text for h in ("一级指标", "三级指标", "扣分原因"))
    assert "扣分原因" in table[1].text if len(table) > 1 else True  # the header row repeated


def test_measured_sheets_print_one_page_wide_with_their_long_texts_wrapped(printed):
    """测算对比 (issue 14) in the summary and in an annotated copy: A4 landscape, every column on every
    page (fit to one page wide at ≥ 75%, not a fixed 75% spilling onto a second page across), the long
    规则/计算过程/说明/依据文件 texts wrapped whole in rows tall enough for them."""
    from xladdin.outputs.measured_sheet import MEASURED_SHEET

    demo_path, demo_pages = printed["demo"]
    copy_path, copy_pages = printed["measured"]
    in_summary = [p for p in demo_pages if _sheet_of(p) == MEASURED_SHEET]
    in_copy = [p for p in copy_pages if p.lines_near(top=True).startswith(MEASURED_SHEET)]
    assert in_summary and in_copy
    for page in in_summary + in_copy:
        assert page.width > page.height and page.text_size >= MIN_TEXT_PT, page.text_size
        assert "三级指标" in page.text and "依据文件" in page.text  # first and last column on the same page
    for pages in (in_summary, in_copy):
        text = "".join(p.text for p in pages)
        assert "财政供养人员控制率" in text and "服务对象满意度" in text
        assert "21/17=123.53%" in text.replace(" ", "")  # 计算过程
        assert "按年初预算计算为1086.75%" in text.replace(" ", "")  # the end of the longest 说明
        assert "53号附件2" in text  # the end of a long 依据文件
    for path in (demo_path, copy_path):
        ws = openpyxl.load_workbook(path)[MEASURED_SHEET]
        last = re.search(r"\$([A-Z]+)\$\d+$", ws.print_area).group(1)
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, openpyxl.utils.column_index_from_string(last) + 1)]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert fit_scale(widths) >= MIN_PRINT_SCALE, fit_scale(widths)
        tall = [r for r, d in ws.row_dimensions.items() if d.height and d.height > 20]
        assert len(tall) >= 5  # wrapped rows get their height (not shrunk to one line)
