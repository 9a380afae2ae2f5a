"""Writing the summary workbook (openpyxl, write-only mode: fast and lean for thousands of rows).

Sheet names are fixed: 汇总, 明细, 扣分明细, 指标统计, 等级分布, 校验问题, 文件清单. Each sheet is a plain
table with its header in row 1 (frozen, with filters), so people can sort and filter and scripts can
read it straight back. Text from submissions is always written as text (never as a formula) and
cleaned of characters Excel cannot store.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Sequence

from ._consolidate import STATUS_LABELS, SUMMARY_MARKER, SUMMARY_SHEETS, Entry, Summary
from ._errors import OutputError

SEVERITY_LABEL = {"error": "错误", "warning": "警告"}

SUMMARY_FIXED = ("序号", "单位", "年度", "总分", "等级", "排名")
SUMMARY_TAIL = ("扣分合计", "错误数", "警告数", "状态", "文件")
DETAIL_HEADER = ("单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "得分率", "扣分原因", "文件", "单元格")
DEDUCTION_HEADER = ("单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "扣分原因", "文件", "单元格")
STATS_HEADER = ("一级指标", "二级指标", "三级指标", "分值", "单位数", "平均得分", "平均得分率", "扣分单位数", "最低得分",
                "扣分合计")
GRADE_HEADER = ("等级", "单位数", "占比")
BINS_HEADER = ("分数段", "单位数")
ISSUES_HEADER = ("文件", "单位", "级别", "代码", "单元格", "指标", "说明")
LEDGER_HEADER = ("序号", "文件", "状态", "单位", "年度", "总分", "等级", "错误数", "警告数", "说明", "修改时间", "状态代码")

SCORE_FMT = "0.00"
RATE_FMT = "0.0%"
COUNT_FMT = "0"

# Grade colours by band position (best first), so custom grade labels get colours too.
GRADE_FILLS = ("C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE")
STATUS_FILLS = {"ok": "C6EFCE", "errors": "FFC7CE", "unreadable": "F4B084", "not-scoring-table": "F4B084",
                "duplicate": "D9D9D9"}
HEADER_FILL = "D9D9D9"

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_TEXT = 32767


def check_output(out: Path) -> None:
    """Refuse an output that would overwrite a submission, or that is open in Excel/WPS."""
    if out.is_dir():
        raise OutputError(f"“{out}”是一个文件夹；请给出汇总表的文件名，例如 {out / '汇总.xlsx'}。", file=str(out))
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"汇总表必须保存为 .xlsx 文件（现在是“{out.name}”），请把输出文件名改为以 .xlsx 结尾。",
                          file=str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它或换一个位置。", file=str(out))
    for lock in (folder / f"~${out.name}", folder / f".~lock.{out.name}#"):
        if lock.exists():
            raise OutputError(
                f"“{out.name}”似乎正在 Excel、WPS 或 LibreOffice 中打开（发现锁定文件“{lock.name}”）。"
                f"请关闭它后重试；如果并没有打开，请删除该锁定文件。原文件未改动。", file=str(out))
    if out.exists() and not _is_summary_file(out):
        raise OutputError(
            f"“{out.name}”已经存在，而且不是 xladdin 生成的汇总表；为避免覆盖报送的评分表，请换一个输出文件名"
            f"（或先把它移走）。", file=str(out))


def _is_summary_file(path: Path) -> bool:
    try:
        if path.stat().st_size == 0:
            return True  # an empty placeholder holds nothing to lose
        with zipfile.ZipFile(path) as zf:
            return SUMMARY_MARKER in zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def write_summary(summary: Summary, out: str | os.PathLike[str]) -> None:
    from openpyxl import Workbook

    from ._annotate import save_workbook_atomically

    wb = Workbook(write_only=True)
    w = _Book(wb)
    year = f"{summary.year}年度" if summary.year else ""
    wb.properties.title = f"{year}部门整体支出绩效评价汇总"
    wb.properties.creator = "xladdin"
    wb.properties.keywords = SUMMARY_MARKER
    wb.properties.description = "由 xladdin consolidate 生成；各工作表说明见“文件清单”。"
    w.summary_sheet(summary)
    w.detail_sheet(summary)
    w.deduction_sheet(summary)
    w.stats_sheet(summary)
    w.grade_sheet(summary)
    w.issues_sheet(summary)
    w.ledger_sheet(summary)
    assert tuple(ws.title for ws in wb.worksheets) == SUMMARY_SHEETS
    save_workbook_atomically(wb, out)


def clean_text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value if len(value) <= MAX_CELL_TEXT else value[: MAX_CELL_TEXT - 1] + "…"


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


class _Book:
    def __init__(self, wb: Any):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = wb
        self.Cell = WriteOnlyCell
        self.Fill = PatternFill
        self.bold = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self._fills: dict[str, Any] = {}

    # -- helpers ------------------------------------------------------------------------------
    def fill(self, color: str) -> Any:
        if color not in self._fills:
            self._fills[color] = self.Fill("solid", fgColor=color)
        return self._fills[color]

    def sheet(self, title: str, header: Sequence[str], widths: Sequence[float], freeze: str = "A2") -> Any:
        ws = self.wb.create_sheet(title)
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[_col(i)].width = width
        ws.freeze_panes = freeze
        # printing: landscape, one page wide (set before the first row: write-only writes the top first)
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        row = []
        for h in header:
            c = self.Cell(ws, h)
            c.font, c.fill, c.alignment = self.bold, self.header_fill, self.header_align
            row.append(c)
        ws.append(row)
        ws.print_title_rows = "1:1"
        return ws

    def text(self, ws: Any, value: str | None, fill: str | None = None, wrap: bool = False) -> Any:
        """Text from a submission: never a formula, never an illegal character."""
        if value is None:
            return None
        value = clean_text(str(value))
        if not (fill or wrap or value.startswith("=")):
            return value
        c = self.Cell(ws, value)
        c.data_type = "s"
        if fill:
            c.fill = self.fill(fill)
        if wrap:
            c.alignment = self.wrap
        return c

    def num(self, ws: Any, value: float | int | None, fmt: str, fill: str | None = None) -> Any:
        if value is None:
            return None
        c = self.Cell(ws, value)
        c.number_format = fmt
        if fill:
            c.fill = self.fill(fill)
        return c

    def finish(self, ws: Any, ncols: int, nrows: int) -> None:
        ws.auto_filter.ref = f"A1:{_col(ncols)}{max(nrows, 1) + 1}"

    def grade_fill(self, summary: Summary, grade: str | None) -> str | None:
        """Best band green, then blue, then yellow; the lowest band red."""
        labels = summary.grading.labels
        if grade not in labels:
            return None
        i = labels.index(grade)
        return GRADE_FILLS[-1] if i == len(labels) - 1 else GRADE_FILLS[min(i, len(GRADE_FILLS) - 2)]

    # -- sheets ---------------------------------------------------------------------------------
    def summary_sheet(self, s: Summary) -> None:
        header = SUMMARY_FIXED + tuple(name for _, name in s.level1) + SUMMARY_TAIL
        widths = [6, 28, 7, 8, 6, 6] + [10] * len(s.level1) + [9, 7, 7, 12, 48]
        ws = self.sheet("汇总", header, widths, freeze="C2")
        for n, e in enumerate(s.ranked, 1):
            scores = s.level1_scores(e)
            row = [n, self.text(ws, e.unit_shown), e.year_used, self.num(ws, e.total_score, SCORE_FMT),
                   self.text(ws, e.grade, fill=self.grade_fill(s, e.grade)), e.rank]
            row += [self.num(ws, scores.get(k), SCORE_FMT) for k, _ in s.level1]
            row += [self.num(ws, e.total_deduction, SCORE_FMT), e.errors, e.warnings,
                    self.text(ws, STATUS_LABELS[e.status], fill=STATUS_FILLS[e.status]), self.text(ws, e.display)]
            ws.append(row)
        self.finish(ws, len(header), len(s.ranked))

    def _path_cells(self, ws: Any, path: tuple[str, ...]) -> list[Any]:
        names = list(path[:2]) + [" / ".join(path[2:])]
        names += [""] * (3 - len(names))
        return [self.text(ws, x) if x else None for x in names[:3]]

    def detail_sheet(self, s: Summary) -> None:
        ws = self.sheet("明细", DETAIL_HEADER, (26, 12, 16, 24, 7, 7, 7, 8, 36, 40, 8))
        n = 0
        for e in s.ranked:
            for leaf in e.leaves:
                rate = leaf.score / leaf.weight if leaf.score is not None and leaf.weight else None
                # a fresh cell per row: openpyxl's write-only cells must not be shared between rows
                ws.append([self.text(ws, e.unit_shown), *self._path_cells(ws, leaf.path), leaf.weight,
                           leaf.deduction, leaf.score, self.num(ws, rate, RATE_FMT),
                           self.text(ws, leaf.reason) if leaf.reason else None, self.text(ws, e.display), leaf.cell])
                n += 1
        self.finish(ws, len(DETAIL_HEADER), n)

    def deduction_sheet(self, s: Summary) -> None:
        ws = self.sheet("扣分明细", DEDUCTION_HEADER, (26, 12, 16, 24, 7, 7, 7, 40, 40, 8))
        n = 0
        for e in s.ranked:
            for leaf in e.leaves:
                if leaf.deduction is None or abs(leaf.deduction) <= 0.005:
                    continue
                ws.append([self.text(ws, e.unit_shown), *self._path_cells(ws, leaf.path), leaf.weight,
                           leaf.deduction, leaf.score, self.text(ws, leaf.reason, wrap=True) if leaf.reason else None,
                           self.text(ws, e.display), leaf.dcell])
                n += 1
        self.finish(ws, len(DEDUCTION_HEADER), n)

    def stats_sheet(self, s: Summary) -> None:
        ws = self.sheet("指标统计", STATS_HEADER, (12, 16, 24, 7, 7, 9, 10, 10, 9, 9))
        for st in s.indicators:
            ws.append([*self._path_cells(ws, st.names), st.weight, st.units, self.num(ws, st.mean_score, SCORE_FMT),
                       self.num(ws, st.mean_rate, RATE_FMT), st.deducted_units, st.min_score,
                       self.num(ws, st.total_deduction, SCORE_FMT)])
        self.finish(ws, len(STATS_HEADER), len(s.indicators))

    def grade_sheet(self, s: Summary) -> None:
        from openpyxl.chart import BarChart, Reference

        ws = self.sheet("等级分布", GRADE_HEADER, (12, 8, 8), freeze="A2")
        total = sum(n for _, n in s.grade_counts)
        for label, n in s.grade_counts:
            ws.append([self.text(ws, label, fill=self.grade_fill(s, label)), n,
                       self.num(ws, (n / total) if total else 0.0, RATE_FMT)])
        ws.append([self.text(ws, "合计"), total, self.num(ws, 1.0 if total else 0.0, RATE_FMT)])
        grades_end = 1 + len(s.grade_counts)
        ws.append([])
        bins_header_row = grades_end + 3
        hdr = []
        for h in BINS_HEADER:
            c = self.Cell(ws, h)
            c.font, c.fill, c.alignment = self.bold, self.header_fill, self.header_align
            hdr.append(c)
        ws.append(hdr)
        for label, n in s.score_bins:
            ws.append([label, n])
        bins_end = bins_header_row + len(s.score_bins)

        chart = BarChart()
        chart.type = "col"
        chart.title = "等级分布"
        chart.y_axis.title = "单位数"
        chart.x_axis.title = "等级"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=grades_end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=grades_end))
        chart.height, chart.width = 7.5, 12
        ws.add_chart(chart, "E2")

        dist = BarChart()
        dist.type = "col"
        dist.title = "总分分布"
        dist.y_axis.title = "单位数"
        dist.x_axis.title = "总分"
        dist.legend = None
        dist.add_data(Reference(ws, min_col=2, min_row=bins_header_row, max_row=bins_end), titles_from_data=True)
        dist.set_categories(Reference(ws, min_col=1, min_row=bins_header_row + 1, max_row=bins_end))
        dist.height, dist.width = 7.5, 16
        ws.add_chart(dist, "E18")

    def issues_sheet(self, s: Summary) -> None:
        ws = self.sheet("校验问题", ISSUES_HEADER, (40, 26, 6, 18, 8, 30, 90))
        n = 0
        for e in s.entries:
            for i in e.issues:
                label = SEVERITY_LABEL.get(i.severity, i.severity)
                ws.append([self.text(ws, e.display), self.text(ws, e.unit_shown or e.unit), self.text(ws, label, fill="FFC7CE" if i.severity == "error" else "FFEB9C"),
                           i.code, i.cell, self.text(ws, " / ".join(i.path)) if i.path else None,
                           self.text(ws, i.message)])
                n += 1
        self.finish(ws, len(ISSUES_HEADER), n)

    def ledger_sheet(self, s: Summary) -> None:
        ws = self.sheet("文件清单", LEDGER_HEADER, (6, 48, 14, 26, 7, 8, 6, 7, 7, 80, 17, 16))
        for n, e in enumerate(s.entries, 1):
            ws.append([n, self.text(ws, e.display), self.text(ws, STATUS_LABELS[e.status], fill=STATUS_FILLS[e.status]),
                       self.text(ws, e.unit_shown or e.unit), e.year_used if e.readable else e.year,
                       self.num(ws, e.total_score, SCORE_FMT), self.text(ws, e.grade), e.errors, e.warnings,
                       self.text(ws, e.message), self.num(ws, _local(e.mtime), "yyyy-mm-dd hh:mm:ss"), e.status])
        self.finish(ws, len(LEDGER_HEADER), len(s.entries))


def _local(ts: float | None) -> _dt.datetime | None:
    if ts is None:
        return None
    return _dt.datetime.fromtimestamp(ts).replace(microsecond=0)


__all__ = ["write_summary", "check_output", "clean_text", "Entry"]
