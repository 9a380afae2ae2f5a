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

# The header may stand below a long block of base data (基础数据表 above the 评分表): looked for this far down.
HEADER_SCAN_ROWS = 200

_LEVEL_RE = re.compile(r"^(?P<n>[一二三四1-4])级(指标)?(名称|内容)?$")
_WEIGHT_NAMES = {"分值", "权重", "标准分", "指标分值", "标准分值", "满分", "满分值", "分数", "指标权重", "权重分",
                 "权重分值", "分", "权数", "指标权数"}
# The name column of a flat, one-level list (指标名称｜指标权重（分）｜指标得分（分）)
_FLAT_NAMES = {"指标名称", "指标", "考核指标", "评价指标", "绩效指标", "指标内容"}
_LEVEL_WEIGHT_RE = re.compile(r"^(?P<n>[一二三四1-4])级(指标)?(分值|权重|标准分|满分)$")
_DEDUCTION_NAMES = {"扣分", "扣分值", "扣减分", "扣减分值", "扣分数", "扣分分值", "扣分情况"}
_SCORE_NAMES = {"得分", "自评得分", "评价得分", "实际得分", "评分", "得分值", "最终得分", "考核得分", "评定得分",
                "自评分", "考评得分", "指标得分", "自评得分值"}
_TOTAL_LABELS = {"合计", "总计", "总分", "合计分", "总合计", "合计分值", "分值合计", "得分合计", "总得分", "合计得分"}
_PERCENT_RE = re.compile(r"^(\d+(?:\.\d+)?)%$")
_FULL_MARKS = {"满分", "得满分", "全得"}
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
    r"(?:^|(?<=[:：，,。；;\s(（]))(?:综合得分|总得分|自评得分|综合评分|评价得分|自评总分|得分合计|总分)\s*[:：为是]?\s*(?P<v>\d+(?:\.\d+)?)\s*分?"
)
_TOTAL_LABEL_RE = re.compile(r"^(综合得分|总得分|自评得分|综合评分|评价得分|自评总分|得分合计|总分)(\(分\))?[:：]?$")


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
    if h_bare in _FLAT_NAMES:
        return ("name", 0)  # a flat list's name column: level 1 when the row names no levels
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
    if "name:0" in roles:
        c0 = roles.pop("name:0")
        if "name:1" in roles:
            extras[c0] = normalize_text(row[c0])
        else:
            roles["name:1"] = c0  # a flat list: one level
    # "一级指标｜得分｜二级指标｜得分｜三级指标｜得分｜…｜得分": a 得分 right of a name column, followed by
    # another 得分 column, is that level's weight (the numbers then add up); the last one is the score.
    if "score" in roles:
        scores = [c for c, t in extras.items() if header_role(t) == ("score", None)] + [roles["score"]]
        scores.sort()
        if len(scores) > 1:
            names = {c: int(k.split(":")[1]) for k, c in roles.items() if k.startswith("name:")}
            for c in scores[:-1]:
                lv = names.get(c - 1)
                if lv is not None and f"weight:{lv}" not in roles:
                    roles[f"weight:{lv}"] = c
                    extras.pop(c, None)
            old, last = roles["score"], scores[-1]
            if old != last:
                roles["score"] = last
                extras.pop(last, None)
                if old not in {c for k, c in roles.items() if k.startswith("weight:")}:
                    extras[old] = normalize_text(row[old])
    return roles, extras


def _has_numbers(roles: dict[str, int]) -> bool:
    return any(k.startswith("weight:") for k in roles) or "score" in roles or "deduction" in roles


def find_header(grid: Grid) -> tuple[int, int, dict[str, int], dict[int, str]] | None:
    """The header: (first row, last row, roles, extra columns), within the first rows.

    A header may take two rows: “自评情况” merged over “扣分｜得分” in the row below; “分值” merged
    over “一级｜二级｜三级” sub-columns; or “绩效指标” merged over “一级指标｜二级指标｜三级指标” with
    the number columns named in the row above. The row below is a header row only when it holds
    no number and nothing under a name column that is not a header word (a first data row with
    “满分” typed in a number column stays a data row).
    """
    for r in range(min(grid.nrows, HEADER_SCAN_ROWS)):
        roles, extras = _classify_header_row(grid, r)
        if "name:1" in roles and "name:2" not in roles and r + 1 < grid.nrows \
                and header_role(str(grid.get(r, roles["name:1"]))) == ("name", 0):
            below, _ = _classify_header_row(grid, r + 1)
            if "name:2" in below:  # “绩效指标” merged over 一级指标｜二级指标｜三级指标 in the row below
                extras[roles.pop("name:1")] = normalize_text(str(grid.get(r, below["name:1"])))
        if "name:1" not in roles:
            if not _has_numbers(roles) or r + 1 >= grid.nrows:
                continue
            below, below_extras = _classify_header_row(grid, r + 1)
            if "name:1" not in below or _has_numbers(below) or not _is_header_like(grid, r + 1, below):
                continue
            # the level names stand in the row below the number columns' names
            for key, c in below.items():
                roles[key] = c
                extras.pop(c, None)
            for c, text in below_extras.items():
                if c not in roles.values() and c not in extras:
                    extras[c] = text
            _renumber_weights(roles)
            return r, _level_sub_row(grid, r + 1, roles, extras), roles, extras
        if not ("name:2" in roles or _has_numbers(roles)):
            continue
        last = r
        if r + 1 < grid.nrows and _is_header_like(grid, r + 1, roles):
            sub_roles, sub_extras = _classify_header_row(grid, r + 1)
            name_cols = sorted((c, int(k.split(":")[1])) for k, c in roles.items() if k.startswith("name:"))
            weight_cols = {c for k, c in roles.items() if k.startswith("weight:")}
            # 一级｜二级｜三级 under a 分值 merged over them: that level's weight
            for key, c in list(sub_roles.items()):
                if key.startswith("name:") and grid.top_left(r, c)[1] in weight_cols:
                    sub_roles.pop(key)
                    sub_roles["weight:" + key.split(":")[1]] = c
            if sub_roles and not any(k.startswith("name:") for k in sub_roles):
                merged_weights = [k for k in sub_roles if k.startswith("weight:")
                                  and grid.top_left(r, sub_roles[k])[1] in weight_cols]
                if merged_weights:
                    for k, c in list(roles.items()):
                        if k.startswith("weight:") and c in weight_cols and grid.get(r + 1, c) is not None:
                            del roles[k]  # the merged 分值 heading is replaced by its sub-columns
                for key, c in sub_roles.items():
                    if c in roles.values():
                        continue
                    if key.startswith("weight:") and key not in merged_weights:
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
            return r, _level_sub_row(grid, last, roles, extras), roles, extras
    return None


def _level_sub_row(grid: Grid, last: int, roles: dict[str, int], extras: dict[int, str]) -> int:
    """The header's last row. A row under the level names that reads “名称｜权重(%)｜名称｜权重(%)…”
    (each level's heading merged over a name and a weight column, 徐闻) is one more header row: each
    weight heading becomes the weight column of the level named left of it."""
    r = last + 1
    if r >= grid.nrows or not any(type(v) is str and "名称" in v for v in grid.rows[r]):
        return last
    name_cols = sorted((c, int(k.split(":")[1])) for k, c in roles.items() if k.startswith("name:"))
    if not name_cols:
        return last
    add: dict[str, int] = {}
    saw_name = False
    for c, v in enumerate(grid.rows[r]):
        if v is None:
            continue
        if type(v) is not str:
            return last
        t = squash(v)
        if not t:
            continue
        if t in ("名称", "指标名称"):
            saw_name = True
            continue
        role = header_role(t)
        left = [lv for nc, lv in name_cols if nc < c]
        if role is None or role[0] != "weight" or not left:
            return last
        key = f"weight:{left[-1]}"
        if key in roles or key in add:
            return last
        add[key] = c
    if not (saw_name and add):
        return last
    for key, c in add.items():
        roles[key] = c
        extras.pop(c, None)
    return r


def _is_header_like(grid: Grid, r: int, roles: dict[str, int] | None) -> bool:
    """A row that can be part of a header: text only, no number, every text a header word
    (or a heading the table keeps as an extra column), not an indicator name."""
    row = grid.rows[r] if r < grid.nrows else []
    name_cols = {c for k, c in roles.items() if k.startswith("name:")} if roles else set()
    any_role = False
    for c, v in enumerate(row):
        if v is None:
            continue
        if not isinstance(v, str):
            return False  # a number: a data row
        t = squash(v)
        if not t:
            continue
        if t in ("满分", "不扣分", "满分值") and c not in name_cols and roles is not None \
                and grid.get(r - 1, c) is not None:
            return False  # “满分” typed in a number column of the first data row
        role = header_role(t)
        if role is not None:
            any_role = True
            continue
        if c in name_cols or parse_number(v).is_number or split_weight_from_name(t)[1] is not None:
            return False  # an indicator's name, a number, 部门决策(25分): a data row
    return any_role


def _renumber_weights(roles: dict[str, int]) -> None:
    """weight:k keys named before the level columns were known: the level of the name column left of each."""
    name_cols = sorted((c, int(k.split(":")[1])) for k, c in roles.items() if k.startswith("name:"))
    weights = sorted((c, k) for k, c in roles.items() if k.startswith("weight:"))
    for _, k in weights:
        del roles[k]
    for c, _k in weights:
        left = [lv for nc, lv in name_cols if nc < c]
        key = f"weight:{left[-1] if left else 1}"
        if key not in roles:
            roles[key] = c


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
    name, w = split_weight_from_name(text)
    bare = _CJK_GAP.sub("", _NUMBERING.sub("", name, count=1)) if name else name
    return (bare or name), w


# "一、决策", "1.决策", "（一）决策", "1、决策": the numbering is not part of the name
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)|"
                        r"[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）])\s*")
# blanks between two Chinese characters are line-break artefacts ("部门决 策", "年度工作 计划完整性")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


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
        return None if c is None else self.grid.text(r, c)

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
        if p.kind == "bad" and what == "分值" and isinstance(raw, str):
            m = _PERCENT_RE.match(squash(raw))
            if m:  # “25%” in a 分值 cell of a 100-point table: 25 points
                value = float(m.group(1))
                self.issues.append(issue("text-number", cell, path, sheet, None, str(raw),
                                         what=what, text=normalize_text(str(raw)), value=fmt(value)))
                return value, True
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
        sc = self.sc
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
                if _is_units_row(row, value_cols):
                    continue  # “满分｜(分)｜扣分｜得分” under the header: a second header row, no indicator
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
            if (sc is None or sc >= width or row[sc] is None) \
                    and all(c >= width or row[c] is None for c in value_cols) \
                    and all(w is None for _, _, w in named) and self._template_row(r, named, open_at, levels):
                continue
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

    def _template_row(self, r: int, named: list[tuple[int, str, float | None]],
                      open_at: list[Indicator | None], levels: int) -> bool:
        """A row with names only and no number at all: a leftover template row (it only repeats the
        parent names: filled-down tables) or an unused one (a leaf name, nothing filled in). Warned
        about and not read as an indicator. A parent named alone on its row is not one: its
        children follow."""
        same = [open_at[lv] is not None and open_at[lv].name == bare for lv, bare, _ in named]  # type: ignore[union-attr]
        repeat = all(same)
        if not repeat and (named[-1][0] < levels or levels == 1 or not all(same[:-1])
                           or (self.sc is None and self.dc is None)):
            return False  # (a framework without 扣分/得分 columns: a name without its weight is missing it)
        if self.grid.formula_at is not None and not self.nothing and any(
                self.grid.formula(r, c) or self.grid.error(r, c) for k, c in self.table.columns.items()
                if not k.startswith("name:")):
            return False  # blank to the reader, but a formula or an error value is there
        lv, bare, _ = named[-1]
        c = self.table.columns.get(f"name:{lv}", 0)
        self.issues.append(issue("template-row", a1(r, c), (), self.grid.name, form="repeat" if repeat else "",
                                 row=r + 1, name=bare))
        return True

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
                if type(v) is str and squash(v) in _FULL_MARKS and node.weight is not None:
                    node.score, s_present = node.weight, True  # “满分” in the 得分 cell: the weight
                    self.issues.append(issue("text-number", cells["score"], node.path, grid.name, None, v,
                                             what="得分", text=normalize_text(v), value=fmt(node.weight)))
                else:
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


_UNITS_ROW_WORDS = frozenset({"分", "(分)", "满分", "满分值", "标准分", "单位:分", "%", "(%)"})


def _is_units_row(row: list[Any], value_cols: list[int]) -> bool:
    """A row without names whose number columns hold only words — header words or units of measure
    (“满分”, “(分)”, “扣分”, “得分”): the header's second row of units, not a nameless indicator."""
    seen = False
    for c in value_cols:
        v = row[c] if c < len(row) else None
        if v is None:
            continue
        if type(v) is not str:
            return False
        t = squash(v)
        if not t:
            continue
        if t not in _UNITS_ROW_WORDS and header_role(t) is None:
            return False
        seen = True
    return seen


@lru_cache(maxsize=1024)
def _is_subtotal_label(text: str) -> bool:
    """小计, 一级指标小计, 决策小计: a block's subtotal row (not an indicator)."""
    s = squash(text)
    return s.endswith("小计") and len(s) <= 12 or s in ("小计", "小计:", "小计：")


@lru_cache(maxsize=8192)
def _is_totals_label(text: str | None) -> bool:
    return bool(text) and squash(text) in _TOTAL_LABELS  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def _is_trailer(text: str) -> bool:
    """A line below the table that ends it (注：, 填表人：, 评价等级：...)."""
    return bool(_TRAILER_RE.match(squash(text)))


@lru_cache(maxsize=16384)
def _label(raw: str) -> tuple[str | None, bool, bool, bool]:
    """A label cell's text as written -> (cleaned text or None, 合计 label?, trailer line?, 小计 label?):
    the body scan asks all of them of every row, and the same labels recur in every submission."""
    t = clean_text(raw) or None
    if t is None:
        return None, False, False, False
    return t, _is_totals_label(t), _is_trailer(t), "小计" in t and _is_subtotal_label(t)


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
    units: list[tuple[int, str]] = []  # (rank, unit): the best-ranked, first-found wins
    years: list[tuple[int, int]] = []
    for r in rows:
        texts = _row_texts(grid, r)
        above = r < table.header_row
        for i, (c, t) in enumerate(texts):
            s = squash(t)
            nxt = texts[i + 1][1] if i + 1 < len(texts) else None
            if above:
                if table.title is None and _TITLE_WORDS_RE.search(s) and len(s) >= 6 and not _is_note(s):
                    table.title = t
                    unit, year = _title_facts(s)
                    if unit:
                        units.append((3, unit))
                    if year:
                        years.append((1, year))
                    continue
                found = _labelled_units(s, _adjacent(grid, r, c, texts, i)) if _UNIT_START_RE.match(s) else None
                if found is not None:
                    units.extend(found)
                    continue
                m = _YEAR_LABEL_RE.match(s)
                if m:
                    y = _year_in(m.group("v") or _value_after(_adjacent(grid, r, c, texts, i)))
                    if y:
                        years.append((0, y))
                    continue
                if "年" in s and not _DATE_LABEL_RE.match(s) and not _is_note(s):
                    y = _year_in(s, standalone=True)
                    if y:
                        years.append((2, y))  # a subtitle “（2022年度）”
                        continue
            if _is_note(s) or _ANNEX_RE.match(s) or _RULE_RE.search(s):
                continue  # a rule text under the table (“注：本表总分100分”, “90分以上为优”): no stated fact
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
    if units:
        table.unit = min(units, key=lambda u: u[0])[1]
    if years:
        table.year = min(years, key=lambda y: y[0])[1]


_TITLE_WORDS_RE = re.compile(r"评分表|评价表|自评表|得分表|考核表|绩效评价|评价指标|整体支出绩效|部门决算")
_NOTE_RE = re.compile(r"^(注|说明|备注|附注|填表说明|评分说明)\s*\d*\s*[:：、.．(（\d]")
_ANNEX_RE = re.compile(r"^(附表|附件)\s*\d*\s*[(（]")  # “附表1（按照…绩效目标总分100分）”: a note on the annex
# rule texts: grade bands, the table's full marks (“90分以上为优”, “评价结果分为优、良、中、差”)
_RULE_RE = re.compile(r"分为|以上|以下|及以上|不低于|低于|≥|≤|>=|<=|[<>＜＞]|满分|本表|优、良|优秀、良好|[~～]|"
                      r"\d\s*[-—–]\s*\d")
_DATE_LABEL_RE = re.compile(r"^(填报日期|填表日期|日期|报送日期|报送时间|盖章日期|时间|打印日期)")
_UNIT_WORDS = (r"填报单位|单位名称|部门名称|被评价单位|被评价部门|评价单位|预算单位|预算部门、单位名称|预算部门|"
               r"部门\(单位\)名称|部门\(单位\)|单位\(部门\)名称|单位\(部门\)|部门单位|单位|实施单位|主管部门")
_UNIT_START_RE = re.compile(r"^(填报|单位|部门|被评价|评价单位|预算|实施|主管)")
_UNIT_LABEL_RE = re.compile(r"^(?P<label>" + _UNIT_WORDS + r")(?P<extra>(\((盖章|公章|签章)\)|及代码|名称|全称)*)"
                            r"(?P<colon>[:：]?)(?P<v>.*)$")
# where a value in a label line ends: the next label (填报日期：..., 填报人：...)
_NEXT_LABEL_RE = re.compile(r"(填报日期|填表日期|报送日期|日期|填报人|填表人|联系人|联系电话|电话|金额单位|计量单位|"
                            r"单位[:：]|年度[:：]|评价年度|所属年度|负责人|审核人|盖章)")
# a units-of-measure note (“单位：万元”, “单位：分”), never a unit's name
_MEASURE_RE = re.compile(r"^(万元|元|千元|亿元|分|人|个|%|百分比|万元、%|元、%|人、万元)$")
_DATEISH_RE = re.compile(r"(19|20)\d{2}\s*[年./-]|\d{1,2}月\d{1,2}日")
_LABEL_WORDS_RE = re.compile(r"盖章|公章|填报|日期|名称|代码|单位:|单位：|负责人|联系")
_YEAR_LABEL_RE = re.compile(r"^(评价年度|年度|所属年度|评价年份|绩效年度|预算年度|自评年度)\s*[:：]?\s*(?P<v>.*)$")
_TITLE_RE = re.compile(r"^(?:附?表\s*[0-9一二三四五六七八九十]*[-—.:：\s]*)?"
                       r"(?P<unit>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年度?(?P<rest>.*)$")
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR_RE = re.compile(r"([二一][〇零○O一二三四五六七八九]{3})\s*年")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(度)?")
# the words after which a title's unit ends (year-first titles: “2023年度XX局部门整体支出…”)
_TITLE_TAIL_RE = re.compile(r"(部门决算|部门整体|整体支出|部门支出|项目支出|单位整体|绩效评价|绩效自评|评价指标|自评|"
                            r"评分表|评价表)")


def _adjacent(grid: Grid, r: int, c: int, texts: list[tuple[int, str]], i: int) -> str | None:
    """The text of the cell right of a label (or right of the label's merged block), else None."""
    if i + 1 >= len(texts):
        return None
    c2, t = texts[i + 1]
    if c2 == c + 1:
        return t
    for r0, c0, r1, c1 in grid.merged:
        if c0 == c and r0 <= r <= r1 and c1 + 1 == c2:
            return t
    return None


def _is_note(s: str) -> bool:
    return bool(_NOTE_RE.match(s))


@lru_cache(maxsize=4096)
def _year_in(text: str, standalone: bool = False) -> int | None:
    """The year written in a text: 2023, 2023年, 2023年度, 二〇二三年度. ``standalone``: a line
    that is only the year (“（2022年度）”, “2022年度”), not a date or a sentence."""
    t = _CN_YEAR_RE.sub(lambda m: "".join(_CN_DIGITS[ch] for ch in m.group(1)) + "年", text)
    if standalone:
        m = re.fullmatch(r"[(（\[【]?\s*((?:19|20)\d{2})\s*年度?\s*[)）\]】]?", t)
        return int(m.group(1)) if m else None
    m = _YEAR_RE.search(t) or re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", t)
    return int(m.group(1)) if m else None


@lru_cache(maxsize=4096)
def _title_facts(s: str) -> tuple[str | None, int | None]:
    """(unit, year) of a title: “表1 XX局2023年度部门整体支出绩效评价指标评分表”, “2023年度XX局部门整体
    支出绩效自评表”, “XX局二〇二三年度…”; (None, None) for the parts a title does not name."""
    t = _CN_YEAR_RE.sub(lambda m: "".join(_CN_DIGITS[ch] for ch in m.group(1)) + "年", s)
    m = _TITLE_RE.match(t)
    if not m:  # no year: “XX局部门整体支出绩效自评表”
        t = _ANNEX_PREFIX_RE.sub("", t)
        tail = _TITLE_TAIL_RE.search(t)
        unit = _strip_code(t[:tail.start()].strip("—-_:：,，()（） 的")) if tail else ""
        return (unit if _good_unit(unit) else None), None
    year = int(m.group("year"))
    unit = m.group("unit").strip("—-_:：,，()（） ")
    if not unit:
        rest = m.group("rest")
        tail = _TITLE_TAIL_RE.search(rest)
        unit = rest[:tail.start()] if tail else ""
    unit = _strip_code(unit.strip("—-_:：,，()（） 的"))
    return (unit if _good_unit(unit) else None), year


_ANNEX_PREFIX_RE = re.compile(r"^(附表|附件|表)\s*[0-9一二三四五六七八九十]*[-—.:：\s]*")
_CODE_PREFIX_RE = re.compile(r"^[\dA-Za-z]{2,20}\s*[-—_:：\s]\s*(?=[\u4e00-\u9fff])")


def _strip_code(v: str) -> str:
    """“219001-XX局”, “801 XX局”: the budget code before a unit's name is not part of it."""
    return _CODE_PREFIX_RE.sub("", v)


def _good_unit(v: str) -> bool:
    return bool(v) and 2 <= len(v) <= 40 and not _MEASURE_RE.match(v) and not _DATEISH_RE.search(v) \
        and not _LABEL_WORDS_RE.search(v) and re.search(r"[\u4e00-\u9fff]", v) is not None


@lru_cache(maxsize=4096)
def _labelled_units(s: str, nxt: str | None) -> tuple[tuple[int, str], ...] | None:
    """A unit label in a cell (“填报单位（盖章）：XX局  填报日期：…”, “单位名称” with the name in the next
    cell): ((rank, unit),), () when the label is there without a usable value, None when no label."""
    m = _UNIT_LABEL_RE.match(s)
    if not m:
        return None
    label, v = m.group("label"), m.group("v")
    if not m.group("colon") and v and not m.group("extra"):
        return None  # “部门(单位)总体资金(万元)”: a heading that starts like a label
    cut = _NEXT_LABEL_RE.search(v)
    if cut:
        v = v[:cut.start()]
    v = re.sub(r"\((盖章|公章|签章)\)", "", v).strip("—-_:：,，;； ")
    if not v:
        v = _value_after(nxt)
        cut = _NEXT_LABEL_RE.search(v)
        if cut:
            v = v[:cut.start()].strip("—-_:：,，;； ")
    v = _strip_code(v)
    if label == "单位" and _MEASURE_RE.match(v):
        return ()  # 单位：万元
    if not _good_unit(v):
        return ()
    rank = 3 if label in ("主管部门", "实施单位") else 2 if label == "单位" else 1
    return ((rank, v),)


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
    subtotal_rows: list[tuple[int, str]] = []
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
        total_label = first_text = sub_label = None
        trailer = False
        for c in label_cols:
            if c >= width or (v := row[c]) is None:
                continue
            if type(v) is str:
                t, is_total, is_trailer, is_sub = _label(v)
            else:
                t = text(r, c)
                if not t:
                    continue
                is_total, is_trailer, is_sub = _is_totals_label(t), _is_trailer(t), False
            if not t:
                continue
            if is_total:
                total_label = t
                break
            if is_sub:
                sub_label = t
                break
            if first_text is None:
                first_text, trailer = t, is_trailer
        if sub_label:
            subtotal_rows.append((r, sub_label))
            continue
        if total_label:
            table.totals = reader.read_totals(r, total_label)
            end = r + 1
            break
        if trailer:
            end = r
            break
        body_rows.append(r)

    reader.read(body_rows)
    if header_row:
        _execution_block(reader, header_row)
    _zero_results(reader)
    _fill_formula_weights(reader)
    _score_merged_over_rows(reader)
    _negative_deductions(reader)
    _percent_weights(reader)
    for r, label in subtotal_rows:
        block = None
        for root in table.roots:
            if root.row < r:
                block = root
        table.subtotals.append((block, reader.read_totals(r, label)))
    if grid.total_rows > grid.nrows and end == grid.nrows:
        # the reader stopped before the sheet's end and no 合计 row closed the table: say so
        table.read_issues.append(issue("rows-cut", a1(grid.nrows - 1, first_col), (), grid.name,
                                       total=f"{grid.total_rows:,}", read=f"{grid.nrows:,}"))
    around = list(range(header_row)) + list(range(end, grid.nrows))
    _read_facts(grid, table, around)
    return table


_POINTS_RE = re.compile(r"(\d+(?:\.\d+)?)分")


def _execution_block(reader: _Reader, header_row: int) -> None:
    """The 预算执行率 block some forms put above the indicator list (重庆 “执行率权重｜执行率得分(分)”,
    湖北 “得分（20分*执行率）”): its points are part of the table. Read as a level-1 indicator
    “预算执行率” in front of the others (its weight from the 权重 cell or from the “(20分)” in the
    block's heading), so the total counts it."""
    grid = reader.grid
    for r in range(header_row - 1):
        row = grid.rows[r]
        sc = wc = None
        label: str | None = None
        for c, v in enumerate(row):
            if type(v) is not str or "执行率" not in v:
                continue
            t = squash(v)
            if "得分" in t:
                sc, label = c, t
            elif "权重" in t or "分值" in t:
                wc = c
        if sc is None or label is None:
            continue
        vr = r + 1
        if vr >= header_row or grid.get(vr, sc) is None:
            continue
        node = Indicator(level=1, name="预算执行率", row=vr)
        first = next((c for c, v in enumerate(row) if v is not None), sc)
        node.cells["name"] = a1(r, first)
        node.score, _ = reader.number(vr, sc, "得分", node)
        node.cells["score"] = a1(vr, sc)
        if wc is not None and grid.get(vr, wc) is not None:
            node.weight, _ = reader.number(vr, wc, "分值", node)
            node.cells["weight"] = a1(vr, wc)
        else:
            m = _POINTS_RE.search(label) or _POINTS_RE.search(squash(str(row[first])))
            if m is not None:
                node.weight, node.weight_from_name = float(m.group(1)), True
                node.cells["weight"] = a1(r, sc if _POINTS_RE.search(label) else first)
        if node.score is None or node.weight is None:
            return
        reader.nodes.insert(0, node)
        reader.table.roots.insert(0, node)
        return


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


def _score_merged_over_rows(reader: _Reader) -> None:
    """A 得分 (and 扣分) merged over all the level-3 rows of one level-2 indicator: the table is
    scored at level 2 and the level-3 rows only describe it. The level-2 indicator becomes the leaf
    (its weight, else its children's sum), the level-3 names are kept as its description."""
    t, grid = reader.table, reader.grid
    sc = t.columns.get("score")
    if sc is None or not grid.merged or t.levels < 2:
        return
    spans = [(r0, r1) for r0, c0, r1, c1 in grid.merged if c0 <= sc <= c1 and r1 > r0]
    if not spans:
        return
    by_row = {n.row: n for n in reader.nodes if not n.children}
    for r0, r1 in spans:
        leaves = [by_row[r] for r in range(r0, r1 + 1) if r in by_row]
        if len(leaves) < 2:
            continue
        parent = leaves[0].parent
        if parent is None or any(leaf.parent is not parent for leaf in leaves) \
                or len(parent.children) != len(leaves):
            continue  # the merge does not cover exactly one parent's rows: read row by row
        first = leaves[0]
        if parent.weight is None:
            ws = [leaf.weight for leaf in leaves]
            if any(w is None for w in ws):
                continue
            parent.weight = sum(ws)  # type: ignore[arg-type]
            parent.cells["weight"] = first.cells.get("weight", parent.cells.get("name", ""))
        parent.score, parent.deduction = first.score, first.deduction
        for role in ("score", "deduction"):
            if role in first.cells:
                parent.cells[role] = first.cells[role]
        parent.extras["下级指标"] = "、".join(leaf.name for leaf in leaves if leaf.name)
        parent.children.clear()
        gone = {id(leaf) for leaf in leaves}
        reader.nodes[:] = [n for n in reader.nodes if id(n) not in gone]


def _negative_deductions(reader: _Reader) -> None:
    """Every deduction of the table written negative ("-0.5" = minus half a point, the clerk's
    convention): read as positive, with one warning. A lone negative among positives stays an error."""
    if reader.dc is None:
        return
    written = [n for n in reader.nodes if not n.children and n.deduction]
    if len(written) < 2 or any(n.deduction > 0 for n in written):  # type: ignore[operator]
        return
    first = written[0]
    cell = first.cells.get("deduction", "")
    r, c = parse_a1(cell)
    raw = reader.grid.get(r, c)
    for n in written:
        n.deduction = -n.deduction  # type: ignore[operator]
    reader.issues.append(issue("negative-deductions", cell, first.path, reader.grid.name, None, str(raw),
                               count=str(len(written)), text=_as_text(raw), value=fmt(first.deduction)))


def _percent_weights(reader: _Reader) -> None:
    """Weights typed as percentages of a 100-point table (0.25 with a % format) while the scores are
    points: the level-1 weights add up to 1 and a score is above its weight. Read as points."""
    roots = reader.table.roots
    if not roots or any(r.weight is None for r in roots):
        return
    total = sum(r.weight for r in roots)  # type: ignore[misc]
    if abs(total - 1.0) > 0.0005:
        return
    leaves = [n for n in reader.nodes if not n.children]
    if not any(n.score is not None and n.weight is not None and n.score > n.weight + 0.005 for n in leaves):
        return
    for n in reader.nodes:
        if n.weight is not None:
            n.weight = clean_float(n.weight * 100)
    first = roots[0]
    cell = first.cells.get("weight", "")
    r, c = parse_a1(cell)
    raw = reader.grid.get(r, c)
    text = f"{fmt(raw * 100)}%" if isinstance(raw, (int, float)) else _as_text(raw)
    reader.issues.append(issue("percent-weights", cell, first.path, reader.grid.name, None, str(raw),
                               text=text, value=fmt(first.weight)))


def _zero_results(reader: _Reader) -> None:
    """A workbook recalculated on load (xlsxwriter and other generators) saves 0 as every formula's
    result: a 0 read from a formula cell is then no value, and is computed (formula-no-value).
    The sheet XML is looked at only when a 0 stands where a formula may (a score, a weight, a total)."""
    grid = reader.grid
    if grid.zero_formulas is None:
        return
    t = reader.table
    totals = t.totals.values if t.totals else {}
    # a 0 the other values do not explain: a score of 0 without the full deduction, a 0 deduction beside
    # a score below the weight, a weight or a total of 0
    for n in reader.nodes:
        if n.weight == 0 or n.score == 0 and (n.deduction is None or n.deduction != n.weight) \
                or n.deduction == 0 and n.score is not None and n.weight is not None and n.score != n.weight:
            break
    else:
        if not any(v.value == 0 for v in totals.values()):
            return
    zeros = grid.zero_formulas()
    if not zeros:
        return
    reader.nothing = False
    for n in reader.nodes:
        for role in ("weight", "deduction", "score"):
            cell = n.cells.get(role)
            if not cell or getattr(n, role) != 0:
                continue
            r, c = parse_a1(cell)
            f = zeros.get((r, c))
            if f is None:
                continue
            grid.rows[r][c] = None
            if role == "weight":
                n.weight = None  # a parent's =SUM(...): computed from the children below
            elif role == "deduction":
                n.deduction = None
                w = n.weight
                reader.formula_issue(r, c, "扣分", n, f, None if w is None or n.score is None else w - n.score)
            else:
                n.score = None if n.weight is None else n.weight - (n.deduction or 0.0)
                reader.formula_issue(r, c, "得分", n, f, n.score)
    for role, v in list(totals.items()):
        r, c = parse_a1(v.cell)
        f = zeros.get((r, c))
        if f is not None and v.value == 0:
            del totals[role]
            grid.rows[r][c] = None
            what = {"deduction": "扣分合计", "score": "得分合计"}.get(role, "分值合计")
            reader.formula_issue(r, c, what, None, f, None)


def continuation_cell(grid: Grid) -> tuple[str, str] | None:
    """(cell, text) when the sheet is the continuation of a table on another sheet (续表: a sheet named
    so, or a line starting with 续表 at its top), else None."""
    for r in range(min(grid.nrows, 5)):
        for c, t in _row_texts(grid, r)[:4]:
            if squash(t).startswith("续表"):
                return a1(r, c), t
    if "续表" in squash(grid.name):
        return "A1", grid.name
    return None
