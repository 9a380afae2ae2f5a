"""The checks: small functions that yield issue records. Pure; each collects every issue it finds.

A check receives the table and the computed figures (:class:`Figures`) and yields :class:`Issue`.
Messages are plain Chinese a clerk understands: what is wrong, where, what it should be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from xladdin.core.catalogue import issue
from xladdin.core.grading import Grading
from xladdin.core.model import LEVEL_NAMES, Indicator, Issue, Table
from xladdin.core.numbers import TOLERANCE, fmt, same, squash

STANDARD_TOTAL = 100.0


@dataclass(slots=True)
class Figures:
    """What the engine computes from a table, before comparing with what it states."""

    total_weight: float | None  # sum of level-1 weights as written
    total_deduction: float
    total_score: float
    grade: str | None
    # column role ("weight:2") -> computed column total, as a 合计 row would show it
    column_totals: dict[str, float | None] = field(default_factory=dict)
    leaf_scores: dict[int, float | None] = field(default_factory=dict)  # id(leaf) -> effective score
    nodes: list[Indicator] = field(default_factory=list)  # the tree in sheet order, walked once
    leaves: list[Indicator] = field(default_factory=list)


def _name(node: Indicator) -> str:
    return node.name or f"第{node.row + 1}行的指标"


def _where(node: Indicator) -> str:
    return f"{LEVEL_NAMES.get(node.level, '')}指标“{_name(node)}”"


def effective_weight(node: Indicator) -> float | None:
    """The weight as written, or the sum of the children's when the table has none for this level."""
    if node.weight is not None:
        return node.weight
    if node.children:
        ws = [effective_weight(c) for c in node.children]
        if all(w is not None for w in ws):
            return sum(ws)  # type: ignore[arg-type]
    return None


def leaf_score(node: Indicator) -> float | None:
    """得分 as written, else 分值 − 扣分; None when neither is there (never full marks by default)."""
    if node.score is not None:
        return node.score
    w = effective_weight(node)
    if node.deduction is not None and w is not None:
        return w - node.deduction
    return None


def leaf_deduction(node: Indicator) -> float | None:
    if node.deduction is not None:
        return node.deduction
    w = effective_weight(node)
    if node.score is not None and w is not None:
        return w - node.score
    return None


def _in_sheet_order(table: Table) -> list[Indicator]:
    """table.walk() as a list, built without a generator (compute runs for every table)."""
    out: list[Indicator] = []
    stack = table.roots[::-1]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.children:
            stack.extend(node.children[::-1])
    return out


def compute(table: Table, grading: Grading) -> Figures:
    nodes = _in_sheet_order(table)
    leaves = [n for n in nodes if not n.children]
    # (the common case first: a score as written, a weight as written)
    scores = {id(leaf): leaf.score if leaf.score is not None else leaf_score(leaf) for leaf in leaves}
    total_score = sum(s for s in scores.values() if s is not None)
    deductions = []
    for leaf in leaves:
        d = leaf.deduction
        if d is None:
            if leaf.score is not None and leaf.weight is not None:
                d = leaf.weight - leaf.score  # = leaf_deduction(leaf): a leaf's effective weight is its own
            else:
                d = leaf_deduction(leaf)
        if d is not None:
            deductions.append(d)
    total_deduction = sum(deductions)
    roots_w = [effective_weight(r) for r in table.roots]
    total_weight = sum(roots_w) if roots_w and all(w is not None for w in roots_w) else None  # type: ignore[arg-type]
    column_totals: dict[str, float | None] = {}
    for level in range(1, table.levels + 1):
        # a 合计 row's level-k column counts level-k indicators plus rows that stop above level k
        ws = [n.weight if n.weight is not None else effective_weight(n)
              for n in nodes if n.level == level or (not n.children and n.level < level)]
        column_totals[f"weight:{level}"] = sum(ws) if None not in ws else None  # type: ignore[arg-type]
    column_totals["deduction"] = total_deduction
    column_totals["score"] = total_score
    return Figures(total_weight, total_deduction, total_score, grading.grade(total_score), column_totals, scores,
                   nodes, leaves)


Check = Callable[[Table, Figures, Grading], Iterator[Issue]]


def _issue(table: Table, code: str, cell: str | None, node: Indicator | None = None,
           expected: float | str | None = None, actual: float | str | None = None, form: str = "",
           **fields: str) -> Issue:
    """The catalogue's issue ``code`` (message form ``form``, filled with ``fields``) on this table."""
    return issue(code, cell, node.path if node else (), table.sheet, expected, actual, None, form, **fields)


def leaf_weight_sum(node: Indicator) -> float | None:
    """The weight a node should have according to its leaves."""
    if not node.children:
        return node.weight
    ws = [leaf_weight_sum(c) for c in node.children]
    return sum(ws) if all(w is not None for w in ws) else None  # type: ignore[arg-type]


def _consistent(node: Indicator) -> bool:
    """A parent whose weight equals the sum of its children's (or that cannot be compared)."""
    if not node.children or node.weight is None:
        return True
    total = 0.0
    for c in node.children:
        w = c.weight if c.weight is not None else effective_weight(c)
        if w is None:
            return True
        total += w
    return same(node.weight, total)


def check_weight_sums(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """weight-sum: a parent's weight equals the sum of its children's weights.

    One wrong subtotal is reported once, where it is: a parent that agrees with its leaves but not
    with a child that is itself inconsistent is not blamed for that child's mistake.
    """
    for node in fig.nodes:
        if not node.children or _consistent(node):
            continue
        kids = [effective_weight(c) for c in node.children]
        total = sum(kids)  # type: ignore[arg-type]
        if same(node.weight, leaf_weight_sum(node)) and not all(_consistent(c) for c in node.children):
            continue
        yield _issue(table, "weight-sum", node.cells.get("weight"), node, total, node.weight,
                     where=_where(node), weight=fmt(node.weight), parts="+".join(fmt(k) for k in kids),
                     total=fmt(total))


def check_total_weight(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """total-weight: level-1 weights add up to the table total (the stated 合计, or 100)."""
    if fig.total_weight is None:
        return
    stated = table.totals.values.get("weight:1") if table.totals else None
    expected = stated.value if stated is not None else STANDARD_TOTAL
    cell = stated.cell if stated is not None else table.header_cell("weight:1") or (
        table.roots[0].cells.get("weight") or table.roots[0].cells.get("name") if table.roots else None)
    if not same(fig.total_weight, expected):
        names = "、".join(f"{_name(r)} {fmt(effective_weight(r))}" for r in table.roots)
        source = f"合计行写的是 {fmt(expected)}" if stated is not None else f"总分应为 {fmt(STANDARD_TOTAL)}"
        yield _issue(table, "total-weight", cell, None, expected, fig.total_weight,
                     total=fmt(fig.total_weight), names=names, source=source,
                     difference=fmt(abs(expected - fig.total_weight)))
    elif not same(expected, STANDARD_TOTAL):
        yield _issue(table, "total-weight", cell, None, STANDARD_TOTAL, fig.total_weight, form="not-standard",
                     total=fmt(fig.total_weight), standard=fmt(STANDARD_TOTAL))


def check_leaf_values(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """missing-value, deduction-range, score-range, score-mismatch on every leaf."""
    has_d, has_s = table.has_column("deduction"), table.has_column("score")
    for leaf in fig.leaves:
        w = leaf.weight  # = effective_weight(leaf): a leaf has no children to add up
        if w is None:
            cell = leaf.cells.get("weight") or leaf.cells.get("name")
            if not _already_bad(table, cell):
                yield _issue(table, "missing-value", cell, leaf, form="weight", where=_where(leaf))
        if leaf.deduction is None and leaf.score is None:
            cell = leaf.cells.get("score") or leaf.cells.get("deduction") or leaf.cells.get("name")
            if not _already_bad(table, leaf.cells.get("score")) \
                    and not _already_bad(table, leaf.cells.get("deduction")):
                what = "扣分和得分都" if has_d and has_s else "得分" if has_s else "扣分"
                yield _issue(table, "missing-value", cell, leaf, where=_where(leaf), what=what)
            continue
        d = leaf.deduction
        if d is not None and w is not None and (d < -TOLERANCE or d > w + TOLERANCE):
            why = "扣分不能为负数" if d < 0 else f"扣分不能超过该指标分值 {fmt(w)}"
            yield _issue(table, "deduction-range", leaf.cells.get("deduction"), leaf, f"0–{fmt(w)}", d,
                         where=_where(leaf), deduction=fmt(d), why=why)
            continue  # the score follows from the deduction: fix the deduction first
        s = leaf.score
        if s is not None and w is not None and (s < -TOLERANCE or s > w + TOLERANCE):
            why = "得分不能为负数" if s < 0 else f"得分不能超过该指标分值 {fmt(w)}"
            yield _issue(table, "score-range", leaf.cells.get("score"), leaf, f"0–{fmt(w)}", s,
                         where=_where(leaf), score=fmt(s), why=why)
            continue
        if d is not None and s is not None and w is not None and not same(s, w - d):
            yield _issue(table, "score-mismatch", leaf.cells.get("score"), leaf, w - d, s,
                         where=_where(leaf), score=fmt(s), weight=fmt(w), deduction=fmt(d), computed=fmt(w - d))


def _already_bad(table: Table, cell: str | None) -> bool:
    """A cell already reported as bad-number is not reported again as missing."""
    return cell is not None and any(i.cell == cell and i.code == "bad-number" for i in table.read_issues)


@lru_cache(maxsize=4096)
def _distinct(names: tuple[str, ...]) -> bool:
    """No two of these sibling names are the same once blanks and widths are ignored (the same
    frameworks come back in every submission: remembered)."""
    keys = [k for k in map(squash, names) if k]
    return len(set(keys)) == len(keys)


def check_duplicates(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """duplicate-indicator: two siblings with the same name."""
    # The names in sheet order with each node's number of children fix the tree's shape: a tree
    # seen before without duplicates (the framework every unit fills in) is not walked again.
    shape = tuple([(n.name, len(n.children)) for n in fig.nodes])
    if shape in _NO_DUPLICATES:
        return
    found = False
    for found_issue in _duplicates(table):
        found = True
        yield found_issue
    if not found:
        if len(_NO_DUPLICATES) >= 1024:
            _NO_DUPLICATES.clear()
        _NO_DUPLICATES.add(shape)


# shapes (see check_duplicates) of trees without duplicate siblings
_NO_DUPLICATES: set[tuple[tuple[str, int], ...]] = set()


def _duplicates(table: Table) -> Iterator[Issue]:
    # sibling groups in sheet order (a group, then the groups below its first member, ...)
    stack: list[list[Indicator]] = [table.roots]
    while stack:
        nodes = stack.pop()
        if len(nodes) > 1 and not _distinct(tuple([n.name for n in nodes])):
            first: dict[str, Indicator] = {}
            for n in nodes:
                key = squash(n.name)
                if not key:
                    continue
                f = first.get(key)
                if f is None:
                    first[key] = n
                else:
                    yield _issue(table, "duplicate-indicator", n.cells.get("name"), n,
                                 where=_where(n), other=f.cells.get("name", f"第{f.row + 1}行"))
        stack.extend([n.children for n in reversed(nodes) if n.children])


_ROLE_WHAT = {"deduction": "扣分合计", "score": "得分合计"}


def _readings(table: Table, fig: Figures, role: str) -> Iterator[float]:
    """Every consistent reading of a 合计 cell: a stated total matching any of them is right.

    A weight column may be meant as the sum of the weights written in it or of the leaf weights;
    扣分/得分 totals as the sum of what is written or of what 分值 − 扣分 / 分值 − 得分 gives.
    Lazy: the usual 合计 matches the first reading and the others are never computed.
    """
    leaves = fig.leaves
    if role.startswith("weight:"):
        col = fig.column_totals.get(role)
        if col is not None:
            yield col
        lw = [effective_weight(leaf) for leaf in leaves]
        if all(w is not None for w in lw):
            yield sum(lw)  # type: ignore[arg-type]
        return
    if any(leaf.score is None and leaf.deduction is None for leaf in leaves):
        return  # a blank leaf: the total cannot be verified until it is filled in
    if role == "score":
        yield fig.total_score
        ws = [effective_weight(leaf) for leaf in leaves]
        if all(w is not None for w in ws):
            yield sum(w - (leaf.deduction or 0.0) for w, leaf in zip(ws, leaves))  # type: ignore[operator, misc]
    elif role == "deduction":
        yield fig.total_deduction
        ws = [effective_weight(leaf) for leaf in leaves]
        if all(w is not None for w in ws) and all(leaf.score is not None for leaf in leaves):
            yield sum(w - leaf.score for w, leaf in zip(ws, leaves))  # type: ignore[operator, misc]
        if all(leaf.deduction is not None or leaf.score is not None for leaf in leaves):
            yield sum(leaf.deduction or 0.0 for leaf in leaves)


def check_totals(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """total-mismatch: the 合计 row and a stated 综合得分 agree with the computation."""
    if table.totals:
        for role, stated in table.totals.values.items():
            if role == "weight:1":
                continue  # the level-1 total is the table total: check_total_weight
            computed = None
            for x in _readings(table, fig, role):
                if computed is None:
                    computed = x
                if same(stated.value, x):
                    break
            else:
                if computed is None:
                    continue  # nothing to compare with
                if role.startswith("weight:"):
                    level = int(role.split(":")[1])
                    what = f"{LEVEL_NAMES.get(level, '')}指标分值合计"
                else:
                    what = _ROLE_WHAT.get(role, role)
                yield _issue(table, "total-mismatch", stated.cell, None, computed, stated.value,
                             label=table.totals.label, what=what, stated=fmt(stated.value), computed=fmt(computed))
    st = table.stated_total
    if st is not None and not same(float(st.value), fig.total_score):
        yield _issue(table, "total-mismatch", st.cell, None, fig.total_score, float(st.value), form="stated-total",
                     stated=fmt(float(st.value)), text=st.text, computed=fmt(fig.total_score))


def _block_figures(table: Table, block: Indicator) -> dict[str, float | None]:
    """What a 小计 row closing ``block`` should show, per column role."""
    nodes = [block]
    stack = list(block.children)
    while stack:
        n = stack.pop()
        nodes.append(n)
        stack.extend(n.children)
    leaves = [n for n in nodes if not n.children]
    out: dict[str, float | None] = {}
    for level in range(1, table.levels + 1):
        ws = [n.weight if n.weight is not None else effective_weight(n)
              for n in nodes if n.level == level or (not n.children and n.level < level)]
        out[f"weight:{level}"] = sum(ws) if ws and None not in ws else None  # type: ignore[arg-type]
    scores = [leaf_score(n) for n in leaves]
    out["score"] = sum(scores) if None not in scores else None  # type: ignore[arg-type]
    ds = [leaf_deduction(n) for n in leaves]
    out["deduction"] = sum(ds) if None not in ds else None  # type: ignore[arg-type]
    return out


def check_subtotals(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """total-mismatch on a 小计 row: its values are the sums of the block it closes. The other
    reading (the row as one more indicator of the block) is named when it does not add up either."""
    for block, row in table.subtotals:
        if block is None:
            continue
        sums = _block_figures(table, block)
        for role, stated in row.values.items():
            computed = sums.get(role)
            if computed is None or same(stated.value, computed):
                continue
            if role == "weight:1" and block.weight is not None and same(stated.value, block.weight):
                continue
            if role.startswith("weight:"):
                what = f"{LEVEL_NAMES.get(int(role.split(':')[1]), '')}指标分值小计"
            else:
                what = {"deduction": "扣分小计", "score": "得分小计"}.get(role, role)
            other = ""
            if role.startswith("weight:") and block.weight is not None and block.children:
                as_child = sum((effective_weight(c) or 0.0) for c in block.children) + stated.value
                if not same(as_child, block.weight):
                    other = (f"；若把该行当作“{_name(block)}”下的一个指标，下级分值之和为 {fmt(as_child)}，"
                             f"与其分值 {fmt(block.weight)} 也不一致")
            yield _issue(table, "total-mismatch", stated.cell, block, computed, stated.value, form="subtotal",
                         label=row.label, block=_where(block), what=what, stated=fmt(stated.value),
                         computed=fmt(computed), other=other)


def check_grade(table: Table, fig: Figures, grading: Grading) -> Iterator[Issue]:
    """grade-mismatch: a stated grade agrees with the grade of the computed total."""
    sg = table.stated_grade
    if sg is None or fig.grade is None:
        return
    stated = grading.normalize(str(sg.value))
    if stated != fig.grade:
        # "“优秀”（即“优”）" says how the written grade was read; "“优”（优）" would only repeat it
        shown = stated or str(sg.value)
        same = shown == str(sg.value).strip()
        yield _issue(table, "grade-mismatch", sg.cell, None, fig.grade, str(sg.value), form="same" if same else "",
                     stated=str(sg.value), shown=shown, total=fmt(fig.total_score), grade=fig.grade)


CHECKS: tuple[Check, ...] = (
    check_weight_sums,
    check_total_weight,
    check_leaf_values,
    check_duplicates,
    check_totals,
    check_subtotals,
    check_grade,
)
