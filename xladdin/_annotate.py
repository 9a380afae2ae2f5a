"""One annotation plan, several sinks.

:func:`plan` turns a report into marks (cell fills + notes) and the rows of the 校验结果 sheet.
A sink applies a plan: :class:`FileSink` writes an annotated copy with openpyxl (``check --annotate``);
the Excel adapter applies the same plan to the live workbook (the 校验 button). Both take the plan
from here, so what the button marks and what the command line marks cannot drift apart.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ._errors import OutputError
from ._numbers import fmt
from ._report import Report

RESULT_SHEET = "校验结果"
ERROR_FILL = "FFC7CE"  # light red
WARNING_FILL = "FFEB9C"  # light yellow
OK_FILL = "C6EFCE"  # light green
NOTE_AUTHOR = "xladdin 校验"
SEVERITY_LABEL = {"error": "错误", "warning": "警告"}
RESULT_HEADER = ("序号", "级别", "单元格", "指标", "问题说明", "代码")


@dataclass(slots=True)
class Mark:
    sheet: str
    cell: str
    severity: str  # the worst severity on this cell
    note: str
    fill: str


@dataclass(slots=True)
class Plan:
    sheet: str
    marks: list[Mark] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines on top of 校验结果
    rows: list[tuple] = field(default_factory=list)  # RESULT_HEADER rows
    links: list[str | None] = field(default_factory=list)  # cell each row links to (same sheet as `sheet`)
    ok: bool = True

    @property
    def message(self) -> str:
        """The one short message the 校验 button shows."""
        errors = sum(1 for r in self.rows if r[1] == "错误")
        warnings = sum(1 for r in self.rows if r[1] == "警告")
        head = "，".join(f"{k}{v}" for k, v in self.summary if k in ("总得分", "等级"))
        if errors:
            return f"校验完成：发现 {errors} 个错误、{warnings} 个警告（{head}）。已在单元格上标出，详见“{RESULT_SHEET}”表。"
        if warnings:
            return f"校验完成：没有错误，有 {warnings} 个警告（{head}）。详见“{RESULT_SHEET}”表。"
        return f"校验通过：没有发现问题（{head}）。"


def plan(report: Report) -> Plan:
    t, f = report.table, report.figures
    sheet = t.sheet if t else ""
    p = Plan(sheet=sheet)
    by_cell: dict[str, list] = {}
    for n, issue in enumerate(report.issues, 1):
        label = SEVERITY_LABEL.get(issue.severity, issue.severity)
        p.rows.append((n, label, issue.cell or "", " / ".join(issue.path), issue.message, issue.code))
        p.links.append(issue.cell if issue.cell and (issue.sheet in (None, sheet)) else None)
        if issue.cell:
            by_cell.setdefault(issue.cell, []).append(issue)
    for cell, issues in by_cell.items():
        worst = "error" if any(i.severity == "error" for i in issues) else "warning"
        note = "\n".join(f"【{SEVERITY_LABEL[i.severity]}】{i.message}" for i in issues)
        p.marks.append(Mark(sheet, cell, worst, note, ERROR_FILL if worst == "error" else WARNING_FILL))
    if t is not None and f is not None:
        p.summary = [
            ("单位", t.unit or "（未识别）"),
            ("年度", str(t.year) if t.year else "（未识别）"),
            ("分值合计", fmt(f.total_weight)),
            ("扣分合计", fmt(f.total_deduction)),
            ("总得分", fmt(f.total_score)),
            ("等级", f.grade or ""),
            ("错误数", str(len(report.errors))),
            ("警告数", str(len(report.warnings))),
            ("结论", "有错误，请修改后重新校验" if report.errors else ("通过（有警告）" if report.warnings else "通过")),
        ]
    p.ok = not report.errors
    return p


class Sink(Protocol):
    def apply(self, plan: Plan) -> None: ...


def write_result_sheet(ws, p: Plan, link_sheet: str) -> None:
    """Fill an (empty) openpyxl worksheet with the 校验结果 listing."""
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    r = 1
    ws.cell(r, 1, "校验结果").font = Font(bold=True, size=14)
    r += 1
    for label, value in p.summary:
        ws.cell(r, 1, label).font = bold
        cell = ws.cell(r, 2)
        _set(cell, _as_number(value))
        cell.alignment = Alignment(horizontal="left")
        r += 1
    r += 1
    for c, h in enumerate(RESULT_HEADER, 1):
        cell = ws.cell(r, c, h)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    header_row = r
    quoted = "'" + link_sheet.replace("'", "''") + "'"
    for row, link in zip(p.rows, p.links):
        r += 1
        for c, v in enumerate(row, 1):
            cell = ws.cell(r, c)
            _set(cell, v)
        if link:
            cell = ws.cell(r, 3)
            cell.hyperlink = f"#{quoted}!{link}"
            cell.font = Font(color="0563C1", underline="single")
        fill = ERROR_FILL if row[1] == "错误" else WARNING_FILL
        ws.cell(r, 2).fill = PatternFill("solid", fgColor=fill)
        for c in range(1, len(RESULT_HEADER) + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=(c == 5), vertical="top")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(str(row[4])) // 34))  # ~34 CJK chars a line
    if not p.rows:
        ws.cell(r + 1, 1, "没有发现问题。")
    for col, width in zip("ABCDEF", (10, 8, 10, 30, 70, 18)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def _as_number(value: str) -> object:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return value
    return int(x) if x.is_integer() else x


def _set(cell, value: object) -> None:
    """Write a value; text taken from a submission is never written as a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


class FileSink:
    """Writes an annotated copy of the source workbook; the source is never modified."""

    def __init__(self, source: str | os.PathLike[str], out: str | os.PathLike[str]):
        self.source = Path(source)
        self.out = Path(out)

    def apply(self, p: Plan) -> None:
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill

        if self.out.resolve() == self.source.resolve():
            raise OutputError(f"标注结果不能覆盖原文件“{self.source.name}”，请另选一个输出文件名。", file=str(self.out))
        wb = self._load()
        if p.sheet in wb.sheetnames:
            ws = wb[p.sheet]
            for m in p.marks:
                cell = ws[m.cell]
                cell.fill = PatternFill("solid", fgColor=m.fill)
                comment = Comment(m.note, NOTE_AUTHOR)
                comment.width = 360
                comment.height = max(90, 20 * (m.note.count("\n") + 2) + len(m.note) // 2)
                cell.comment = comment
        if RESULT_SHEET in wb.sheetnames:
            del wb[RESULT_SHEET]
        rs = wb.create_sheet(RESULT_SHEET)
        write_result_sheet(rs, p, p.sheet)
        save_workbook_atomically(wb, self.out)

    def _load(self):
        import openpyxl

        suffix = self.source.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            keep_vba = suffix == ".xlsm" and self.out.suffix.lower() == ".xlsm"
            return openpyxl.load_workbook(self.source, keep_vba=keep_vba)
        return self._from_values()

    def _from_values(self):
        """Legacy .xls: rebuild the sheets as values (formats are not carried over)."""
        import openpyxl

        from ._workbook import Workbook

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        with Workbook(self.source) as src:
            for info in src.sheets:
                grid = src.grid(info.name)
                ws = wb.create_sheet(info.name[:31])
                for r, row in enumerate(grid.rows, 1):
                    for c, v in enumerate(row, 1):
                        if v not in ("", None):
                            _set(ws.cell(r, c), v)
                for r0, c0, r1, c1 in grid.merged:
                    if (r0, c0) != (r1, c1):
                        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
                if not info.visible:
                    ws.sheet_state = "hidden"
        return wb


def save_workbook_atomically(wb, out: str | os.PathLike[str]) -> None:
    """Save through a temporary file in the target folder, then rename into place.

    If the target is locked (open in Excel) or the folder is missing/not writable, raise OutputError
    and leave any old file intact.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它或换一个位置。", file=str(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~xladdin-", suffix=out.suffix or ".xlsx", dir=folder)
    except OSError as exc:
        raise OutputError(f"无法在“{folder}”中写文件（{exc.strerror or exc}），请换一个有写权限的位置。",
                          file=str(out)) from None
    os.close(fd)
    try:
        wb.save(tmp)
        _usual_mode(tmp, out)
        try:
            os.replace(tmp, out)
        except PermissionError:
            raise OutputError(f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。原文件未改动。",
                              file=str(out)) from None
        except OSError as exc:
            raise OutputError(f"无法写入“{out.name}”：{exc.strerror or exc}。原文件未改动。", file=str(out)) from None
    finally:
        if os.path.exists(tmp):
            try:
                os.remove(tmp)
            except OSError:
                pass


def _usual_mode(tmp: str, out: Path) -> None:
    """mkstemp makes the file private (0600): give it the replaced file's mode, or the umask default."""
    try:
        mode = os.stat(out).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def annotate_file(report: Report, out: str | os.PathLike[str]) -> Plan:
    """``check --annotate OUT``: a copy of the checked workbook with marks and a 校验结果 sheet."""
    if report.file is None:
        raise OutputError("没有源文件，无法生成标注副本。")
    p = plan(report)
    FileSink(report.file, out).apply(p)
    return p


__all__ = ["Mark", "Plan", "plan", "FileSink", "annotate_file", "save_workbook_atomically", "RESULT_SHEET"]
