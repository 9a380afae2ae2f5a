"""One annotation plan, several sinks.

:func:`plan` turns a report into marks (cell fills + notes) and the rows of the 校验结果 sheet.
A sink applies a plan: :class:`FileSink` writes an annotated copy with openpyxl (``check --annotate``);
the Excel adapter applies the same plan to the live workbook (the 校验 button). Both take the plan
from here, so what the button marks and what the command line marks cannot drift apart.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from xladdin.errors import OutputError
from xladdin.core.numbers import fmt
from xladdin.core.report import Report

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


@dataclass(slots=True)
class ResultGrid:
    """The 校验结果 sheet as values, the same for every sink (1-based rows/columns, as Excel counts)."""

    rows: list[list]  # rows[0] is sheet row 1
    header_row: int
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, "'Sheet'!A1")
    severities: list[tuple[int, str]] = field(default_factory=list)  # (row, "错误"/"警告")
    record: list[list] = field(default_factory=list)  # from row 1 at RECORD_COL: the marks this run made

    @property
    def issue_rows(self) -> range:
        return range(self.header_row + 1, self.header_row + 1 + len(self.severities))


def result_grid(p: Plan, link_sheet: str, record: Sequence["Marked"] = ()) -> ResultGrid:
    rows: list[list] = [["校验结果"]]
    for label, value in p.summary:
        rows.append([label, _as_number(value)])
    rows.append([])
    rows.append(list(RESULT_HEADER))
    g = ResultGrid(rows, header_row=len(rows))
    quoted = "'" + link_sheet.replace("'", "''") + "'"
    for row, link in zip(p.rows, p.links):
        rows.append(list(row))
        g.severities.append((len(rows), row[1]))
        if link:
            g.links.append((len(rows), 3, f"{quoted}!{link}"))
    if not p.rows:
        rows.append(["没有发现问题。"])
    g.record = [list(RECORD_HEADER)] + [[m.sheet, m.cell, m.fill or ""] for m in record]
    return g


def write_result_sheet(ws, p: Plan, link_sheet: str, record: Sequence["Marked"] = ()) -> None:
    """Fill an (empty) openpyxl worksheet with the 校验结果 listing (and the record of the marks)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    g = result_grid(p, link_sheet, record)
    bold = Font(bold=True)
    for r, row in enumerate(g.rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None and v != "":
                _set(ws.cell(r, c), v)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    for r in range(2, g.header_row - 1):
        ws.cell(r, 1).font = bold
        ws.cell(r, 2).alignment = Alignment(horizontal="left")
    for c in range(1, len(RESULT_HEADER) + 1):
        cell = ws.cell(g.header_row, c)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for r, label in g.severities:
        ws.cell(r, 2).fill = PatternFill("solid", fgColor=ERROR_FILL if label == "错误" else WARNING_FILL)
        for c in range(1, len(RESULT_HEADER) + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=(c == 5), vertical="top")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(str(g.rows[r - 1][4])) // 34))  # ~34 CJK chars a line
    for r, c, target in g.links:
        cell = ws.cell(r, c)
        cell.hyperlink = f"#{target}"
        cell.font = Font(color="0563C1", underline="single")
    for col, width in zip("ABCDEF", (10, 8, 10, 30, 70, 18)):
        ws.column_dimensions[col].width = width
    for i, row in enumerate(g.record, 1):
        for j, v in enumerate(row):
            _set(ws.cell(i, RECORD_COL + j), v)
    for j in range(len(RECORD_HEADER)):
        ws.column_dimensions[_col(RECORD_COL + j)].hidden = True
    ws.freeze_panes = ws.cell(g.header_row + 1, 1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{g.header_row}:{g.header_row}"
    ws.print_area = f"A1:{_col(len(RESULT_HEADER))}{max(len(g.rows), 1)}"


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def _as_number(value: str) -> object:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return value
    return int(x) if x.is_integer() else x


# Characters an .xlsx cannot hold (XML 1.0): control characters, lone surrogates, U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text without the characters a workbook cannot store (Excel would call the file corrupt)."""
    return _XML_ILLEGAL.sub("", value)


def _set(cell, value: object) -> None:
    """Write a value; text taken from a submission is never written as a formula."""
    if isinstance(value, str):
        value = xml_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31


def safe_sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, no leading or trailing
    apostrophe, not "History", and distinct (ignoring case) from the names in ``taken``."""
    title = _SHEET_TITLE_BAD.sub("_", xml_text(str(name))).strip("'").strip() or "Sheet"
    if title.lower() == "history":
        title += "_"
    title = title[:MAX_SHEET_TITLE].rstrip("'")
    used = {t.lower() for t in taken}
    base, k = title, 1
    while title.lower() in used:
        k += 1
        tail = f"({k})"
        title = base[:MAX_SHEET_TITLE - len(tail)] + tail
    return title


class FileSink:
    """Writes an annotated copy of the source workbook; the source is never modified."""

    def __init__(self, source: str | os.PathLike[str], out: str | os.PathLike[str]):
        self.source = Path(source)
        self.out = Path(out)
        self.renamed: dict[str, str] = {}
        self.rebuilt = False

    def apply(self, p: Plan) -> None:
        if self.out.resolve() == self.source.resolve():
            raise OutputError(f"标注结果不能覆盖原文件“{self.source.name}”，请另选一个输出文件名。", file=str(self.out))
        self.renamed: dict[str, str] = {}
        wb = self._load()
        if self.renamed:  # sheets whose names a workbook cannot hold were renamed: mark those
            new = self.renamed.get
            p = replace(p, sheet=new(p.sheet, p.sheet), marks=[replace(m, sheet=new(m.sheet, m.sheet)) for m in p.marks])
        if self.rebuilt:
            p = replace(p, summary=p.summary + [("说明", "原文件的格式信息无法读取，本标注副本按各工作表的数值重建，"
                                                       "没有保留原来的格式。")])
        previous: list[Marked] = []
        if RESULT_SHEET in wb.sheetnames:  # the source was checked before: undo its marks first
            previous = read_record([list(r) for r in wb[RESULT_SHEET].iter_rows(values_only=True)])
        record = apply_marks(OpenpyxlTarget(wb), p, previous)
        if RESULT_SHEET in wb.sheetnames:
            del wb[RESULT_SHEET]
        rs = wb.create_sheet(RESULT_SHEET)
        write_result_sheet(rs, p, p.sheet, record)
        save_workbook_atomically(wb, self.out)

    def _load(self):
        import openpyxl

        self.rebuilt = False
        suffix = self.source.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            keep_vba = suffix == ".xlsm" and self.out.suffix.lower() == ".xlsm"
            try:
                return openpyxl.load_workbook(self.source, keep_vba=keep_vba)
            except Exception:  # noqa: BLE001 — a sheet name or a part openpyxl refuses (the engine read it)
                self.rebuilt = True
        return self._from_values()

    def _from_values(self):
        """Legacy .xls (or a workbook openpyxl cannot load): rebuild the sheets as values (formats are
        not carried over); sheet names a workbook cannot hold are made safe (``self.renamed``)."""
        import openpyxl

        from xladdin.reading.workbook import Workbook

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        with Workbook(self.source) as src:
            for info in src.sheets:
                grid = src.grid(info.name)
                title = safe_sheet_title(info.name, wb.sheetnames)
                if title != info.name:
                    self.renamed[info.name] = title
                ws = wb.create_sheet(title)
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



# -- clearing earlier marks: the same algorithm for every sink ----------------------------------------
# A workbook the user keeps (the 校验 button marks the live workbook) must lose the marks of the last
# run before it gets new ones. Each run records the cells it marked, with the fill each cell had
# before, in hidden columns of 校验结果 (the sheet is replaced on every run, so the record always
# describes the marks now in the workbook). Our notes start with 【错误】/【警告】; a note the user
# had on the cell is kept after NOTE_SEPARATOR and comes back when the mark is cleared.

RECORD_COL = len(RESULT_HEADER) + 2  # column H, hidden
RECORD_HEADER = ("xladdin 标记记录（程序使用，请勿修改）：工作表", "单元格", "原底色")
NOTE_SEPARATOR = "\n—— 原批注 ——\n"
_OWN_PREFIXES = tuple(f"【{label}】" for label in SEVERITY_LABEL.values())
MARK_FILLS = (ERROR_FILL, WARNING_FILL)


@dataclass(frozen=True, slots=True)
class Marked:
    sheet: str
    cell: str
    fill: str | None  # the cell's own fill before it was marked ("RRGGBB"), None = no fill


class MarkTarget(Protocol):
    """The five operations a sink needs to mark cells; fills are "RRGGBB" strings or None."""

    def has_sheet(self, sheet: str) -> bool: ...
    def get_fill(self, sheet: str, cell: str) -> str | None: ...
    def set_fill(self, sheet: str, cell: str, fill: str | None) -> None: ...
    def get_note(self, sheet: str, cell: str) -> str | None: ...
    def set_note(self, sheet: str, cell: str, text: str | None) -> None: ...


def is_own_note(text: str | None) -> bool:
    return bool(text) and str(text).startswith(_OWN_PREFIXES)


def note_with(ours: str, existing: str | None) -> str:
    """Our note in front of the cell's own note (which returns when the mark is cleared)."""
    if existing and is_own_note(existing):
        existing = note_without(existing)
    return f"{ours}{NOTE_SEPARATOR}{existing}" if existing else ours


def note_without(text: str | None) -> str | None:
    """The note a cell should have once our part is removed (None: no note)."""
    if not is_own_note(text):
        return text
    _, sep, rest = str(text).partition(NOTE_SEPARATOR)
    return rest if sep and rest else None


def read_record(rows: Sequence[Sequence]) -> list[Marked]:
    """The marks recorded in an existing 校验结果 sheet (its values, row 1 first)."""
    c = RECORD_COL - 1
    if not rows or len(rows[0]) <= c or rows[0][c] != RECORD_HEADER[0]:
        return []
    out: list[Marked] = []
    for row in rows[1:]:
        row = list(row) + [None] * 3
        sheet, cell, fill = row[c], row[c + 1], row[c + 2]
        if not sheet or not cell:
            break
        out.append(Marked(str(sheet), str(cell), str(fill).upper() if fill else None))
    return out


def clear_marks(target: MarkTarget, previous: Sequence[Marked]) -> None:
    for m in previous:
        if not target.has_sheet(m.sheet):
            continue
        if (target.get_fill(m.sheet, m.cell) or "").upper() in MARK_FILLS:  # leave a fill the user changed since
            target.set_fill(m.sheet, m.cell, m.fill)
        note = target.get_note(m.sheet, m.cell)
        if is_own_note(note):
            target.set_note(m.sheet, m.cell, note_without(note))


def apply_marks(target: MarkTarget, p: Plan, previous: Sequence[Marked] = ()) -> list[Marked]:
    """Undo the previous run's marks, then mark the plan's cells; returns the new record."""
    clear_marks(target, previous)
    done: list[Marked] = []
    for m in p.marks:
        if not target.has_sheet(m.sheet):
            continue
        own = target.get_fill(m.sheet, m.cell)
        target.set_fill(m.sheet, m.cell, m.fill)
        target.set_note(m.sheet, m.cell, note_with(m.note, target.get_note(m.sheet, m.cell)))
        done.append(Marked(m.sheet, m.cell, own))
    return done


class OpenpyxlTarget:
    """MarkTarget over an openpyxl workbook (the file sink)."""

    def __init__(self, wb):
        self.wb = wb

    def _cell(self, sheet: str, cell: str):
        from openpyxl.cell.cell import MergedCell

        c = self.wb[sheet][cell]
        return None if isinstance(c, MergedCell) else c

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.wb.sheetnames

    def get_fill(self, sheet: str, cell: str) -> str | None:
        c = self._cell(sheet, cell)
        if c is None or c.fill is None or c.fill.fill_type != "solid":
            return None
        color = c.fill.fgColor
        if color is not None and color.type == "rgb" and isinstance(color.rgb, str):
            return color.rgb[-6:].upper()
        return None

    def set_fill(self, sheet: str, cell: str, fill: str | None) -> None:
        from openpyxl.styles import PatternFill

        c = self._cell(sheet, cell)
        if c is not None:
            c.fill = PatternFill("solid", fgColor=fill) if fill else PatternFill(fill_type=None)

    def get_note(self, sheet: str, cell: str) -> str | None:
        c = self._cell(sheet, cell)
        return c.comment.text if c is not None and c.comment is not None else None

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        from openpyxl.comments import Comment

        c = self._cell(sheet, cell)
        if c is None:
            return
        if not text:
            c.comment = None
            return
        text = xml_text(text)
        comment = Comment(text, NOTE_AUTHOR)
        comment.width = 360
        comment.height = max(90, 20 * (text.count("\n") + 2) + len(text) // 2)
        c.comment = comment


# Temporary files are written beside the target (a rename is atomic only within one file system) and
# named ``.~xladdin-<pid>@<host>-<random>.xlsx``: hidden on Linux/macOS, passed over when a folder is
# consolidated, and recognisable afterwards. A run killed outright (SIGKILL, power cut) cannot remove
# its own, so every save first removes the stale ones in its folder: those of a process of this
# computer that no longer runs, and any older than a day. On Windows a temporary file is held open
# while it is written, so one that can be removed is not being written.
TEMP_PREFIX = ".~xladdin-"
STALE_TEMP_SECONDS = 24 * 3600
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)@([A-Za-z0-9]*)-")


def _host_tag() -> str:
    import socket

    try:
        return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:20]
    except OSError:
        return ""


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # POSIX only: on Windows os.kill would end the process
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs under another user
        return True
    return True


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[str]:
    """Remove temporary files that earlier xladdin runs left in ``folder``; returns their names."""
    removed: list[str] = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX))
    except OSError:
        return removed
    host, now = _host_tag(), time.time()
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        m = _TEMP_NAME.match(name)
        if os.name == "nt":
            stale = True  # one still being written is open, and Windows refuses to remove it
        elif now - st.st_mtime > STALE_TEMP_SECONDS:
            stale = True
        else:
            stale = bool(m) and m.group(2) == host and not _pid_alive(int(m.group(1)))
        if stale:
            try:
                os.remove(path)
            except OSError:
                continue
            removed.append(name)
    return removed


def save_workbook_atomically(wb, out: str | os.PathLike[str]) -> None:
    """Save through a temporary file in the target folder, then rename into place.

    If the target is locked (open in Excel) or the folder is missing/not writable, raise OutputError
    and leave any old file intact. Stale temporary files of earlier, killed runs are removed first.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它或换一个位置。", file=str(out))
    remove_stale_temps(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}@{_host_tag()}-", suffix=out.suffix or ".xlsx",
                                   dir=folder)
    except OSError as exc:
        raise OutputError(f"无法在“{folder}”中写文件（{exc.strerror or exc}），请换一个有写权限的位置。",
                          file=str(out)) from None
    try:
        try:
            wb.save(tmp)  # by name, while ``fd`` stays open (see TEMP_PREFIX)
        except OSError as exc:  # disk full, quota, a network drive gone
            raise OutputError(f"保存“{out.name}”失败：{exc.strerror or exc}。原文件未改动。", file=str(out)) from None
        _usual_mode(tmp, out)
        os.close(fd)
        fd = -1
        try:
            os.replace(tmp, out)
        except PermissionError:
            raise OutputError(f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。原文件未改动。",
                              file=str(out)) from None
        except OSError as exc:
            raise OutputError(f"无法写入“{out.name}”：{exc.strerror or exc}。原文件未改动。", file=str(out)) from None
    finally:
        if fd >= 0:
            os.close(fd)
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


__all__ = ["Mark", "Plan", "plan", "FileSink", "annotate_file", "save_workbook_atomically", "RESULT_SHEET",
           "ResultGrid", "result_grid", "write_result_sheet", "Marked", "MarkTarget", "apply_marks", "clear_marks",
           "read_record", "OpenpyxlTarget", "note_with", "note_without", "is_own_note", "safe_sheet_title", "xml_text",
           "remove_stale_temps", "TEMP_PREFIX"]
