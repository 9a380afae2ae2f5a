"""Grid -> Table: find the header, the indicator hierarchy, the totals row and stated facts.

Pure: works on a :class:`Grid` of plain values. Real tables vary (see tests/test_reading.py);
everything odd that is read anyway is recorded as an issue on the table, never dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xladdin.core.catalogue import issue
from xladdin.core.grid import Grid
from xladdin.core.model import (
    Indicator,
    StatedValue,
    Table,
    TotalsRow,
    a1,
    col_letter,
    parse_a1,
)
from xladdin.core.numbers import (
    clean_float,
    clean_text,
    describe_value,
    fmt,
    is_excel_error,
    normalize_text,
    parse_number,
    split_weight_from_name,
    squash,
)

HEADER_SCAN_ROWS = 40

_LEVEL_RE = re.compile(r"^(?P<n>[一二三四1-4])级(指标)?(名称|内容)?$")
_WEIGHT_NAMES = {"分值", "权重", "标准分", "指标分值", "标准分值", "满分", "满分值", "分数", "指标权重", "权重分",
                 "权重分值", "分"}
_LEVEL_WEIGHT_RE = re.compile(r"^(?P<n>[一二三四1-4])级(指标)?(分值|权重|标准分|满分)$")
_DEDUCTION_NAMES = {"扣分", "扣分值", "扣减分", "扣减分值", "扣分数", "扣分分值", "扣分情况"}
_SCORE_NAMES = {"得分", "自评得分", "评价得分", "实际得分", "评分", "得分值", "最终得分", "考核得分", "评定得分",
                "自评分"}
_TOTAL_LABELS = {"合计", "总计", "总分", "合计分", "总合计", "合计分值", "分值合计", "得分合计", "总得分", "合计得分"}
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Lines below a table that end it: sign-offs and stated results.
_TRAILER_RE = re.compile(
    r"^(注|说明|备注|填表人|填报人|制表人|审核人|负责人|单位负责人|财务负责人|联系人|联系电话|电话|填报日期|日期|"
    r"评价等级|等级|评价结果|评价结论|综合得分|总得分|自评得分|综合评分|单位盖章|盖章|单位\(盖章\)|评价得分)\s*[:：(（]"
)
_GRADE_WORDS = "优秀|良好|中等|不合格|合格|较差|一般|优|良|中|差"
_STATED_GRADE_RE = re.compile(
    r"(?:评价等级|综合等级|自评等级|绩效等级|评定等级|等级|评价结果|评价结论|结果为|评定为|评为)"
    r"\s*[:：为是]?\s*[“\"'「『]?\s*(?P<g>" + _GRADE_WORDS + r")(?=$|[”\"'」』。，,；;、\s)）(（])"
)
_GRADE_LABEL_RE = re.compile(r"^(评价等级|综合等级|自评等级|绩效等级|评定等级|等级|评价结果)[:：]?$")
_STATED_TOTAL_RE = re.compile(
    r"(?:综合得分|总得分|自评得分|综合评分|评价得分|自评总分|得分合计|总分)\s*[:：为是]?\s*(?P<v>\d+(?:\.\d+)?)\s*分?"
)
_TOTAL_LABEL_RE = re.compile(r"^(综合得分|总得分|自评得分|综合评分|评价得分|自评总分|得分合计|总分)[:：]?$")
_UNIT_LABEL_RE = re.compile(r"^(单位名称|填报单位|部门名称|单位|被评价单位|部门\(单位\)名称|部门\(单位\)|"
                            r"预算单位|主管部门)\s*[:：]?\s*(?P<v>.*)$")
_YEAR_LABEL_RE = re.compile(r"^(评价年度|年度|所属年度|评价年份|绩效年度|预算年度)\s*[:：]?\s*(?P<v>.*)$")
_TITLE_RE = re.compile(r"^(?:附?表\s*[0-9一二三四五六七八九十]*[-—.:：\s]*)?"
                       r"(?P<unit>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年度?(?P<rest>.*)$")


@lru_cache(maxsize=4096)
def header_role(text: str) -> tuple[str, int | None] | None:
    """Classify one header cell: ('name', level) | ('weight', level|None) | ('deduction', None) | ('score', None)."""
    h = squash(text)
    if not h:
        return None
    h_bare = re.sub(r"\(.*?\)$", "", h)  # 分值(分) -> 分值
    m = _LEVEL_RE.match(h_bare)
    if m:
        return ("name", _NUMERALS[m.group("n")])
    m = _LEVEL_WEIGHT_RE.match(h_bare)
    if m:
        return ("weight", _NUMERALS[m.group("n")])
    if h_bare in _WEIGHT_NAMES:
        return ("weight", None)
    if h_bare in _DEDUCTION_NAMES:
        return ("deduction", None)
    if h_bare in _SCORE_NAMES:
        return ("score", None)
    return None


def _classify_header_row(grid: Grid, r: int) -> tuple[dict[str, int], dict[int, str]]:
    """(roles, extra columns) of a row read as a header; the caller may change what it gets."""
    roles, extras = _classify_cells(tuple(grid.rows[r]))
    return dict(roles), dict(extras)


@lru_cache(maxsize=4096)
def _classify_cells(row: tuple[Any, ...]) -> tuple[dict[str, int], dict[int, str]]:
    """_classify_header_row of the row's values: the header rows of one template recur in every
    submission (only text cells matter, so 1, 1.0 and True sharing a cache entry changes nothing)."""
    roles: dict[str, int] = {}
    extras: dict[int, str] = {}
    level = 0
    for c, v in enumerate(row):
        if v is None or not isinstance(v, str):
            continue
        role = header_role(v)
        if role is None:
            extras[c] = normalize_text(v)
            continue
        kind, lv = role
        key = f"name:{lv}" if kind == "name" else f"weight:{lv if lv is not None else max(level, 1)}" \
            if kind == "weight" else kind
        if key in roles:
            extras[c] = normalize_text(v)  # a second column of the same kind is kept as text
            continue
        roles[key] = c
        if kind == "name":
            level = lv  # type: ignore[assignment]
    return roles, extras


def _has_numbers(roles: dict[str, int]) -> bool:
    return any(k.startswith("weight:") for k in roles) or "score" in roles or "deduction" in roles


def find_header(grid: Grid) -> tuple[int, int, dict[str, int], dict[int, str]] | None:
    """The header: (first row, last row, roles, extra columns), within the first rows.

    A header may take two rows, e.g. “自评情况” merged over “扣分｜得分” in the row below.
    """
    for r in range(min(grid.nrows, HEADER_SCAN_ROWS)):
        roles, extras = _classify_header_row(grid, r)
        if "name:1" not in roles or not ("name:2" in roles or _has_numbers(roles)):
            continue
        last = r
        if r + 1 < grid.nrows:
            sub_roles, sub_extras = _classify_header_row(grid, r + 1)
            if sub_roles and not any(k.startswith("name:") for k in sub_roles):
                name_cols = sorted((c, int(k.split(":")[1])) for k, c in roles.items() if k.startswith("name:"))
                for key, c in sub_roles.items():
                    if c in roles.values():
                        continue
                    if key.startswith("weight:"):
                        left = [lv for nc, lv in name_cols if nc < c]
                        key = f"weight:{left[-1] if left else 1}"
                    if key not in roles:
                        roles[key] = c
                        extras.pop(c, None)
                for c, text in sub_extras.items():
                    if c not in roles.values():
                        extras[c] = text
                last = r + 1
        if _has_numbers(roles):
            return r, last, roles, extras
    return None


_LETTERS = tuple(col_letter(c) for c in range(200))  # A1 references: _LETTERS[col] + str(row + 1)
_ROW_NUMBERS = tuple(str(r + 1) for r in range(5001))


def _as_text(v: Any) -> str:
    """A non-text name cell as text, the way _Reader.text reads it (2024.0 -> "2024")."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


@lru_cache(maxsize=16384)
def _name_parts(raw: str) -> tuple[str, float | None] | None:
    """A name cell as written -> (name without a weight in it, that weight), None when blank."""
    text = clean_text(raw)
    if not text:
        return None
    return split_weight_from_name(text)


class _Reader:
    """One pass over the body rows, building the tree and recording read issues."""

    def __init__(self, grid: Grid, table: Table):
        self.grid = grid
        self.table = table
        self.issues = table.read_issues
        self.nodes: list[Indicator] = []  # every indicator, in the order read
        self.dc = table.columns.get("deduction")
        self.sc = table.columns.get("score")
        self.extras = list(table.extra_columns.items())
        # True once no blank cell can be a formula or an error value: blanks are then just blank
        self.nothing = grid.nothing_to_explain()

    # -- cells ---------------------------------------------------------------------------------
    def text(self, r: int, c: int | None) -> str | None:
        if c is None:
            return None
        v = self.grid.get(r, c)
        if v is None:
            return None
        if type(v) is str:
            return clean_text(v) or None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return clean_text(str(v)) or None

    def number(self, r: int, c: int | None, what: str, node: Indicator | None = None) -> tuple[float | None, bool]:
        """(value, present). Records text-number / bad-number issues."""
        if c is None:
            return None, False
        raw = self.grid.get(r, c)
        if raw is None:
            return None, False
        if type(raw) is float:  # the common case, straight from the reader
            return clean_float(raw), True
        p = parse_number(raw)
        path = node.path if node is not None else ()
        cell = a1(r, c)
        sheet = self.grid.name
        if p.kind == "number":
            return p.value, True
        if p.kind == "text-number":
            self.issues.append(issue("text-number", cell, path, sheet, None, str(raw),
                                     what=what, text=normalize_text(str(raw)), value=fmt(p.value)))
            return p.value, True
        if p.kind == "bad":
            if is_excel_error(raw):
                self.issues.append(issue("bad-number", cell, path, sheet, None, str(raw), form="error-value",
                                         what=what, value=str(raw).strip()))
            else:
                self.issues.append(issue("bad-number", cell, path, sheet, None, str(raw),
                                         what=what, described=describe_value(raw)))
            return None, True
        return None, False

    def blank_error(self, r: int, c: int, what: str, node: Indicator | None) -> bool:
        """A cell that reads as blank but holds an error value (#DIV/0!): report it as bad-number."""
        if self.nothing:
            return False
        err = self.grid.error(r, c)
        if not err:
            self.nothing = self.grid.nothing_to_explain()
            return False
        cell = a1(r, c)
        path = node.path if node is not None else ()
        self.issues.append(issue("bad-number", cell, path, self.grid.name, None, err, form="blank-error",
                                 what=what, value=err))
        return True

    def formula_issue(self, r: int, c: int, what: str, node: Indicator | None, formula: str,
                      computed: float | None) -> None:
        cell = a1(r, c)
        path = node.path if node is not None else ()
        done = f"已按 {fmt(computed)} 计算" if computed is not None else "无法代为计算"
        self.issues.append(issue("formula-no-value", cell, path, self.grid.name, None, formula,
                                 what=what, formula=formula, done=done))

    # -- body ----------------------------------------------------------------------------------
    # The loop below runs for every row of every table a consolidation reads: columns are looked
    # up once, cells are read straight from the row lists, and a plain weight (the common case)
    # takes no function call. Leaf values are read by _fill_leaf_values.
    def read(self, rows: list[int]) -> None:
        t = self.table
        cols = t.columns
        levels = t.levels
        grid = self.grid
        grid_rows = grid.rows
        # per level: (level, name column, weight column)
        level_cols = [(lv, cols.get(f"name:{lv}"), cols.get(f"weight:{lv}")) for lv in range(1, levels + 1)]
        weight_cols = {lv: w for lv, _, w in level_cols}
        value_cols = [c for k, c in cols.items() if not k.startswith("name:")]
        # open_at[lv]: the indicator of level lv the rows below belong to (None when there is none)
        open_at: list[Indicator | None] = [None] * (levels + 2)
        blanks_below = [[None] * (levels - lv) for lv in range(levels + 1)]
        nodes = self.nodes
        roots = t.roots
        letters = _LETTERS

        for r in rows:
            row = grid_rows[r]
            width = len(row)
            # (level, bare name, weight written in the name) of every level named on this row
            named: list[tuple[int, str, float | None]] = []
            for lv, c, _w in level_cols:
                if c is None or c >= width or (v := row[c]) is None:
                    continue
                parts = _name_parts(v) if type(v) is str else _name_parts(_as_text(v))
                if parts is not None:
                    named.append((lv, parts[0], parts[1]))
            if not named:
                if all(grid.get(r, c) is None for c in value_cols):
                    continue  # blank row
                parent_level = max((lv for lv in range(1, levels) if open_at[lv] is not None), default=0)
                parent = open_at[parent_level] if parent_level else None
                lv = parent_level + 1
                node = self._new_node(r, lv, "", parent)
                col = cols.get(f"name:{lv}")
                self.issues.append(issue("missing-value", a1(r, col if col is not None else 0), node.path, grid.name,
                                         form="name", row=r + 1))
                w = weight_cols.get(lv)
                if w is not None:
                    node.cells["weight"] = a1(r, w)
                    node.weight, _ = self.number(r, w, "分值", node)
                self._fill_leaf_values(node, r, row, weight_cols, lv)
                open_at[lv] = node
                open_at[lv + 1:levels + 1] = blanks_below[lv]
                continue

            deepest = named[-1][0]
            rn = _ROW_NUMBERS[r] if r < 5001 else str(r + 1)
            for lv, bare, w_in_name in named:
                existing = open_at[lv]
                if lv != deepest and existing is not None and existing.name == bare \
                        and (lv == 1 or open_at[lv - 1] is existing.parent):
                    continue  # the same parent written again on every row (filled-down tables)
                parent = open_at[lv - 1] if lv > 1 else None
                if parent is None:
                    for up in range(lv - 2, 0, -1):
                        if open_at[up] is not None:
                            parent = open_at[up]
                            break
                _, nc, c = level_cols[lv - 1]
                if c is None:
                    cells = {"name": letters[nc] + rn if nc < 200 else a1(r, nc)}  # type: ignore[operator, index]
                    node = Indicator(lv, bare, r, None, None, None, cells, {}, [], parent)
                    if w_in_name is not None:
                        self._read_weight(node, r, c, w_in_name)
                else:
                    cells = {"name": letters[nc] + rn if nc < 200 else a1(r, nc),  # type: ignore[operator, index]
                             "weight": letters[c] + rn if c < 200 else a1(r, c)}
                    node = Indicator(lv, bare, r, None, None, None, cells, {}, [], parent)
                    v = row[c] if c < width else None
                    if type(v) is float:
                        node.weight = v if v.is_integer() else clean_float(v)
                    elif type(v) is int:  # .xls
                        node.weight = float(v)
                    else:
                        self._read_weight(node, r, c, w_in_name)
                nodes.append(node)
                if parent is None:
                    roots.append(node)
                else:
                    parent.children.append(node)
                open_at[lv] = node
                if lv < levels:
                    open_at[lv + 1:levels + 1] = blanks_below[lv]
                if lv == deepest:
                    self._fill_leaf_values(node, r, row, weight_cols, lv, rn)

    def _new_node(self, r: int, level: int, name: str, parent: Indicator | None) -> Indicator:
        node = Indicator(level=level, name=name, row=r, parent=parent)
        self.nodes.append(node)
        c = self.table.columns.get(f"name:{level}")
        if c is not None:
            node.cells["name"] = a1(r, c)
        if parent is None:
            self.table.roots.append(node)
        else:
            parent.children.append(node)
        return node

    def _read_weight(self, node: Indicator, r: int, c: int | None, w_in_name: float | None) -> None:
        """The weight of a new indicator when its cell is not a plain number (or there is no column)."""
        if c is not None:
            w, present = self.number(r, c, "分值", node)
            if present:
                node.weight = w
                return
            self.blank_error(r, c, "分值", node)
        if w_in_name is not None:
            node.weight = w_in_name
            node.weight_from_name = True
            if c is None:
                node.cells["weight"] = node.cells.get("name", "")

    def _fill_leaf_values(self, node: Indicator, r: int, row: list[Any], weight_cols: dict[int, int | None],
                          lv: int, rn: str | None = None) -> None:
        grid = self.grid
        width = len(row)
        own = weight_cols.get(lv)
        if node.weight is None and not node.weight_from_name and (own is None or grid.get(r, own) is None):
            # A row that stops above the deepest level: its weight may stand in a deeper weight column.
            for deeper in range(lv + 1, self.table.levels + 1):
                c = weight_cols.get(deeper)
                if c is not None and grid.get(r, c) is not None:
                    node.cells["weight"] = a1(r, c)
                    node.weight, _ = self.number(r, c, "分值", node)
                    break
        dc, sc = self.dc, self.sc
        d_present = s_present = False
        cells = node.cells
        if rn is None:
            rn = str(r + 1)
        letters = _LETTERS
        if dc is not None:
            cells["deduction"] = letters[dc] + rn if dc < 200 else a1(r, dc)
            v = row[dc] if dc < width else None
            if type(v) is float:
                node.deduction = v if v.is_integer() else clean_float(v)
                d_present = True
            elif type(v) is int:  # .xls
                node.deduction = float(v)
                d_present = True
            elif v is not None:
                node.deduction, d_present = self.number(r, dc, "扣分", node)
        if sc is not None:
            cells["score"] = letters[sc] + rn if sc < 200 else a1(r, sc)
            v = row[sc] if sc < width else None
            if type(v) is float:
                node.score = v if v.is_integer() else clean_float(v)
                s_present = True
            elif type(v) is int:  # .xls
                node.score = float(v)
                s_present = True
            elif v is not None:
                node.score, s_present = self.number(r, sc, "得分", node)
        # Blank 得分: an error value, or a formula saved without its result (files written by
        # scripts): report the first, compute what we can for the second.
        if dc is not None and not d_present and not self.nothing:
            self.blank_error(r, dc, "扣分", node)
        if sc is not None and not s_present and not self.blank_error(r, sc, "得分", node) and not self.nothing:
            f = grid.formula(r, sc)
            if f:
                d = node.deduction if node.deduction is not None else 0.0
                if dc is not None and not d_present:
                    fd = grid.formula(r, dc)
                    if fd:
                        self.formula_issue(r, dc, "扣分", node, fd, None)
                node.score = None if node.weight is None else node.weight - d
                self.formula_issue(r, sc, "得分", node, f, node.score)
        for c, header in self.extras:
            if c < width and (v := row[c]) is not None:
                if type(v) is str:
                    text = clean_text(v)
                else:
                    if isinstance(v, float) and v.is_integer():
                        v = int(v)
                    text = clean_text(str(v))
                if text:
                    node.extras[header] = text

    # -- totals row ----------------------------------------------------------------------------
    def read_totals(self, r: int, label: str) -> TotalsRow:
        totals = TotalsRow(row=r, label=label)
        for role, c in self.table.columns.items():
            if role.startswith("name:"):
                continue
            what = {"deduction": "扣分合计", "score": "得分合计"}.get(role, "分值合计")
            v, present = self.number(r, c, what)
            if v is not None:
                totals.values[role] = StatedValue(v, a1(r, c), str(self.grid.get(r, c)))
            elif not present and not self.blank_error(r, c, what, None):
                f = self.grid.formula(r, c)
                if f:
                    self.formula_issue(r, c, what, None, f, None)
        return totals


@lru_cache(maxsize=8192)
def _is_totals_label(text: str | None) -> bool:
    return bool(text) and squash(text) in _TOTAL_LABELS  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def _is_trailer(text: str) -> bool:
    """A line below the table that ends it (注：, 填表人：, 评价等级：...)."""
    return bool(_TRAILER_RE.match(squash(text)))


@lru_cache(maxsize=16384)
def _label(raw: str) -> tuple[str | None, bool, bool]:
    """A label cell's text as written -> (cleaned text or None, 合计 label?, trailer line?): the
    body scan asks all three of every row, and the same labels recur in every submission."""
    t = clean_text(raw) or None
    if t is None:
        return None, False, False
    return t, _is_totals_label(t), _is_trailer(t)


def _row_texts(grid: Grid, r: int) -> list[tuple[int, str]]:
    """Non-blank cells of a row as text (numbers too: a year may be typed as 2024)."""
    out = []
    row = grid.rows[r] if r < grid.nrows else []
    for c in range(len(row)):
        v = grid.get(r, c)
        if isinstance(v, str):
            if v.strip():
                out.append((c, normalize_text(v)))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append((c, str(int(v)) if float(v).is_integer() else str(v)))
    return out


_LABEL_RE = re.compile(r"^[^:：]{1,12}[:：]$|^(填报人|填表人|联系电话|联系人|金额单位|填报日期|日期|单位|年度)$")


def _value_after(nxt: str | None) -> str:
    """The value standing in the cell after a label, unless that cell is itself another label."""
    if not nxt:
        return ""
    s = squash(nxt)
    if _LABEL_RE.match(s) or _UNIT_LABEL_RE.match(s) and s.endswith(("：", ":")) or _YEAR_LABEL_RE.match(s):
        return ""
    return s


def _is_header_repeat(grid: Grid, r: int, header: dict[int, str], first_col: int) -> bool:
    v = grid.get(r, first_col)
    if not isinstance(v, str) or squash(v) != header.get(first_col):
        return False  # a repeated header starts with the 一级指标 heading
    hits = 0
    for c, h in header.items():
        v = grid.get(r, c)
        if isinstance(v, str) and squash(v) == h:
            hits += 1
    return hits >= 2


def _read_facts(grid: Grid, table: Table, rows: list[int]) -> None:
    """Unit, year, title, stated total and grade from the lines around the table."""
    for r in rows:
        texts = _row_texts(grid, r)
        for i, (c, t) in enumerate(texts):
            s = squash(t)
            nxt = texts[i + 1][1] if i + 1 < len(texts) else None
            # title
            if table.title is None and re.search(r"评分表|评价表|绩效评价|评价指标", s) and len(s) >= 8 \
                    and r < table.header_row:
                table.title = t
                m = _TITLE_RE.match(s)
                if m:
                    unit = m.group("unit").strip("—-_:：,， ")
                    if table.unit is None and unit:
                        table.unit = unit
                    if table.year is None:
                        table.year = int(m.group("year"))
                continue
            m = _UNIT_LABEL_RE.match(s)
            if m and r < table.header_row:
                v = m.group("v") or _value_after(nxt)
                if v:
                    table.unit = v
                continue
            m = _YEAR_LABEL_RE.match(s)
            if m and r < table.header_row:
                v = m.group("v") or _value_after(nxt)
                y = re.search(r"(19|20)\d{2}", v)
                if y:
                    table.year = int(y.group(0))
                continue
            if table.stated_grade is None:
                m = _STATED_GRADE_RE.search(s)
                if m:
                    table.stated_grade = StatedValue(m.group("g"), a1(r, c), t)
                elif _GRADE_LABEL_RE.match(s) and nxt:
                    table.stated_grade = StatedValue(squash(nxt), a1(r, texts[i + 1][0]), nxt)
            if table.stated_total is None:
                m = _STATED_TOTAL_RE.search(s)
                if m:
                    table.stated_total = StatedValue(float(m.group("v")), a1(r, c), t)
                elif _TOTAL_LABEL_RE.match(s):
                    for c2 in range(c + 1, min(c + 4, len(grid.rows[r]))):
                        p = parse_number(grid.get(r, c2))
                        if p.is_number:
                            table.stated_total = StatedValue(p.value, a1(r, c2), str(grid.get(r, c2)))
                            break


def parse_grid(grid: Grid) -> Table | None:
    """Read one sheet. None when the sheet holds no scoring table."""
    found = find_header(grid)
    if found is None:
        return None
    header_row, header_last, roles, extras = found
    levels = max(int(k.split(":")[1]) for k in roles if k.startswith("name:"))
    table = Table(sheet=grid.name, levels=levels, header_row=header_row, columns=roles, extra_columns=extras)
    header_texts = {c: squash(str(grid.get(header_row, c))) for c in list(roles.values()) + list(extras)}
    reader = _Reader(grid, table)

    name_cols = sorted(c for k, c in roles.items() if k.startswith("name:"))
    label_cols = sorted(set(name_cols) | {0})
    body_rows: list[int] = []
    end = grid.nrows
    first_col = roles["name:1"]
    text = reader.text
    grid_rows = grid.rows
    for r in range(header_last + 1, grid.nrows):
        row = grid_rows[r]
        width = len(row)
        if first_col < width and isinstance(row[first_col], str) \
                and _is_header_repeat(grid, r, header_texts, first_col):
            continue  # a printed page header pasted back into the table
        total_label = first_text = None
        trailer = False
        for c in label_cols:
            if c >= width or (v := row[c]) is None:
                continue
            if type(v) is str:
                t, is_total, is_trailer = _label(v)
            else:
                t = text(r, c)
                if not t:
                    continue
                is_total, is_trailer = _is_totals_label(t), _is_trailer(t)
            if not t:
                continue
            if is_total:
                total_label = t
                break
            if first_text is None:
                first_text, trailer = t, is_trailer
        if total_label:
            table.totals = reader.read_totals(r, total_label)
            end = r + 1
            break
        if trailer:
            end = r
            break
        body_rows.append(r)

    reader.read(body_rows)
    _fill_formula_weights(reader)
    around = list(range(header_row)) + list(range(end, grid.nrows))
    _read_facts(grid, table, around)
    return table


def _fill_formula_weights(reader: _Reader) -> None:
    """Parent weights that are formulas without cached values (=SUM(...)): the children's sum."""
    grid = reader.grid
    if grid.nothing_to_explain() or all(n.weight is not None or n.weight_from_name for n in reader.nodes):
        return  # no blank weight, or no blank cell that is a formula

    def visit(node: Indicator) -> None:
        for child in node.children:
            visit(child)
        cell = node.cells.get("weight")
        if node.weight is None and cell and not node.weight_from_name:
            r, c = parse_a1(cell)
            if grid.get(r, c) is None:
                f = grid.formula(r, c)
                if f:
                    kids = [ch.weight for ch in node.children]
                    node.weight = sum(kids) if kids and all(k is not None for k in kids) else None  # type: ignore[arg-type]
                    reader.formula_issue(r, c, "分值", node, f, node.weight)

    for root in reader.table.roots:
        visit(root)
