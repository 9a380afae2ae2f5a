"""The engine: a workbook file -> the table on it (whatever its kind) -> the checked :class:`Report`.

Ties the rooms together without doing their work: :mod:`xladdin.reading` opens the workbook and
turns sheets into grids, :mod:`xladdin.kinds` recognises and reads the table and brings its checks,
:mod:`xladdin.core` holds the model and the report. Nothing here writes a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xladdin.core.defaults import SUMMARY_MARKER
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import Table
from xladdin.core.report import Report, cell_key, failed
from xladdin.errors import InputError, NotScoringTableError, UnreadableError
from xladdin.kinds import DEFAULT_KIND, KINDS, TableKind, get_kind, parse_any


def evaluate(table: Table, grading: Grading = DEFAULT_GRADING, rules: Any = None) -> Report:
    """Run every check of the table's kind; collect every issue (read issues first), sorted by cell.

    A workbook with a 基础数据 sheet also gets its checks and the 测算对比 (``report.measured``), under
    ``rules`` (a built-in rule profile's name or a profile; None: the workbook's 评分规则 sheet or 通用)."""
    kind = get_kind(table.kind)
    fig = kind.compute(table, grading)
    issues = list(table.read_issues)
    for check in kind.checks:
        issues.extend(check(table, fig, grading))
    measured = None
    if table.basic_data is not None:
        from xladdin.kinds.basic_data import evaluate_measured

        more, measured = evaluate_measured(table, getattr(fig, "total_score", None), grading, rules)
        issues.extend(more)
        # the table's issues (with self-score-high) in cell order, then those on the 基础数据 sheet
        issues.sort(key=lambda i: (i.sheet not in (None, table.sheet), cell_key(i)))
    else:
        issues.sort(key=cell_key)
    return Report(table.file, table, fig, issues, kind, measured=measured)


def check_file(path: str | os.PathLike[str], sheet: str | None = None, grading: Grading = DEFAULT_GRADING,
               rules: Any = None, profile: Any = None) -> Report:
    """Read and check one workbook; never raises for bad input (the report says what went wrong).

    ``rules``: the 测算对比's rule profile (see :func:`evaluate`); ``profile``: the scoring rules of a
    项目支出绩效自评表 (xladdin.kinds.project.profiles), instead of the one guessed from its layout."""
    try:
        table = read_table(path, sheet)
    except InputError as exc:
        return failed(path, exc, DEFAULT_KIND.fields)
    if profile is not None and table.kind == "project":
        table.profile, table.profile_guessed = profile, False  # type: ignore[attr-defined]
    return evaluate(table, grading, rules)


def read_table(path: str | os.PathLike[str], sheet: str | None = None,
               kinds: tuple[TableKind, ...] = KINDS) -> Table:
    """Read the scoring table of a workbook file.

    Picks the first visible sheet that holds a scoring table unless ``sheet`` names one.
    Raises UnreadableError / NotScoringTableError (both InputError) with Chinese messages.
    """
    from xladdin.reading.workbook import Workbook, keywords, saved_time

    p = Path(path)
    with Workbook(p) as wb:
        names = [s.name for s in wb.sheets]
        if sheet is not None:
            if sheet not in names:
                raise NotScoringTableError(
                    f"文件“{p.name}”中没有名为“{sheet}”的工作表；现有工作表：{'、'.join(names)}。",
                    file=str(p), sheet=sheet)
            candidates = [sheet]
        else:
            candidates = [s.name for s in wb.sheets if s.visible and not s.chart]
        unreadable: UnreadableError | None = None
        for name in candidates:
            try:
                grid = wb.grid(name)
            except UnreadableError as exc:  # one sheet that cannot be read: the table may be on another
                if sheet is not None:
                    raise
                unreadable = unreadable or exc
                continue
            table = parse_any(grid, kinds)
            if table is not None:
                table.file = str(p)
                core = wb.core_xml()
                table.saved, table.keywords = saved_time(core), keywords(core)
                read_companions(wb, name, table)
                if sheet is None and table.kind == "department":
                    _continuations(wb, candidates[candidates.index(name) + 1:], table)
                return table
        if unreadable is not None:
            raise unreadable
        if sheet is not None:
            raise NotScoringTableError(
                f"文件“{p.name}”的工作表“{sheet}”里找不到评分表（没有“一级指标”“分值”“得分”等表头）。",
                file=str(p), sheet=sheet)
        hidden = [s.name for s in wb.sheets if not s.visible]
        extra = f"（隐藏的工作表未检查：{'、'.join(hidden)}；可用 --sheet 指定）" if hidden else ""
        raise NotScoringTableError(
            f"文件“{p.name}”里找不到评分表：各工作表都没有“一级指标”“分值”“得分”等表头{extra}。", file=str(p))


def _continuations(wb: Any, later: list[str], table: Table) -> None:
    """A 续表 on a later sheet is not read into the table: said on the table (continuation-sheet), so
    that a total without it is never taken for the whole."""
    if not later:
        return
    from xladdin.core.catalogue import issue
    from xladdin.errors import UnreadableError
    from xladdin.kinds.department.parse import continuation_cell

    for name in later:
        try:
            found = continuation_cell(wb.grid(name))
        except UnreadableError:
            continue
        if found is not None:
            table.read_issues.append(issue("continuation-sheet", found[0], (), name, None, found[1],
                                           table_sheet=table.sheet, text=found[1]))


def read_companions(wb: Any, table_sheet: str, table: Table) -> None:
    """The 基础数据 and 评分规则 sheets beside the table (by name; most workbooks have neither)."""
    for info in wb.sheets:
        if info.name == table_sheet:
            continue
        try:
            if "基础数据" in info.name and table.basic_data is None:
                from xladdin.kinds.basic_data import parse_basic_data

                data = parse_basic_data(wb.grid(info.name))
                # a sheet without a single figure (the template's, untouched) is no 基础数据
                table.basic_data = data if data is not None and not data.is_empty else None
            elif "评分规则" in info.name and table.rules_rows is None:
                table.rules_rows = wb.grid(info.name).rows
        except InputError:  # a companion sheet that cannot be read never costs the table itself
            continue


def unless_summary(report: Report) -> Report:
    """``check`` given an xladdin summary workbook: one clear not-scoring-table issue saying so, instead
    of the dozens of errors its 明细 sheet gives read as one huge table. (The consolidation recognises
    summaries itself and says it leaves them out.)"""
    t = report.table
    if t is None or SUMMARY_MARKER not in (t.keywords or ""):
        return report
    name = Path(report.file or "").name
    return failed(report.file or "", NotScoringTableError(
        f"文件“{name}”是 xladdin 生成的汇总表，不是部门评分表，无需校验；请校验各部门报送的评分表"
        f"（汇总表中的问题见其“校验问题”和“文件清单”工作表）。", file=report.file), DEFAULT_KIND.fields)
