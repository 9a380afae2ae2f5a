"""An engine :class:`~xladdin.core.report.Report` -> the compact, picklable :class:`Entry` a reader sends
back (runs in the reader processes)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from xladdin.consolidation.model import STATUS_LABELS, SUMMARY_MARKER, SUMMARY_SHEETS, Entry, LeafRow, ProjectRow
from xladdin.core.catalogue import issue
from xladdin.core.numbers import squash

_REASON_KEYS = ("扣分原因", "原因", "扣分说明", "扣分依据", "扣分理由", "扣分情况说明", "说明", "备注")


def _reason(extras: dict[str, str]) -> str:
    """The deduction reason among a leaf's extra columns: the first non-blank one of the columns
    whose heading names a reason, in the order of _REASON_KEYS."""
    if not extras:
        return ""
    for k in _reason_columns(tuple(extras)):
        if extras[k]:
            return extras[k]
    return ""


@lru_cache(maxsize=1024)
def _reason_columns(headings: tuple[str, ...]) -> tuple[str, ...]:
    """The headings _reason looks at, in the order it looks (the same headings on every leaf)."""
    keys = {squash(k): k for k in headings}
    return tuple(k for want in _REASON_KEYS for sk, k in keys.items() if want in sk)


def entry_from_report(report: Any, index: int, file: str, display: str) -> Entry:
    """Flatten an engine Report into an Entry (the Report holds a tree with parent links).

    Keeps the save time recorded inside the workbook (it survives copying and decides between
    resubmissions with the same modification time) and recognises an xladdin summary by the marker
    in its keywords."""
    from xladdin.kinds.department.checks import effective_weight

    e = Entry(index, file, display)
    e.issues = list(report.issues)
    t, f = report.table, report.figures
    if t is None or f is None:
        first = report.issues[0] if report.issues else None
        e.status = first.code if first is not None and first.code in STATUS_LABELS else "unreadable"
        e.message = first.message if first is not None else f"文件“{Path(file).name}”无法读取。"
        return e
    e.saved = t.saved
    if t.sheet in SUMMARY_SHEETS and SUMMARY_MARKER in t.keywords:
        e.status = "not-scoring-table"
        summary = issue("not-scoring-table", form="summary", file=Path(file).name)
        e.message = summary.message
        e.issues = [summary]
        return e
    e.status = "ok"
    e.sheet, e.unit, e.year = t.sheet, t.unit, t.year
    e.total_weight, e.total_deduction = f.total_weight, f.total_deduction
    e.total_score, e.grade = f.total_score, f.grade
    if t.kind == "project":  # a 项目支出绩效自评表: its own row; no department indicator tree
        e.kind = "project"
        b = t.budget
        e.project = ProjectRow(t.project or "", t.department, b.amount("full_year") if b else None,
                               b.amount("executed") if b else None,
                               f.rate if f.rate is not None else (b.rate if b else None), f.rule_total,
                               t.profile.name)
        return e
    scores = f.leaf_scores  # id(leaf) -> leaf_score(leaf), computed by the checks
    leaves = e.leaves
    roots = {id(r) for r in t.roots}
    root_scores: list[float] = []
    for node in f.nodes:  # the tree in sheet order: each root, then what is below it
        if id(node) in roots:
            root_scores.append(0.0)
        if node.children:
            continue
        s = scores[id(node)]
        w = node.weight  # = effective_weight(leaf): a leaf has no children to add up
        d = node.deduction
        if d is None:  # = leaf_deduction(leaf)
            d = w - node.score if node.score is not None and w is not None else None
        if s is not None:
            root_scores[-1] += s
        cells = node.cells
        cell = cells.get("score") or cells.get("deduction") or cells.get("name") or ""
        leaves.append(LeafRow(node.path, w, d, s, _reason(node.extras) if node.extras else "", cell,
                              cells.get("deduction") or cell))
    e.roots = [(root.name, effective_weight(root), score) for root, score in zip(t.roots, root_scores)]
    e.measured = getattr(report, "measured", None)
    return e


__all__ = ["entry_from_report"]
