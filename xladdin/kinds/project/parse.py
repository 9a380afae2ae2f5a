"""Reading a 项目支出绩效自评表 from a sheet of plain values.

Recognised by its blocks, not by one fixed layout: the budget block (a header row with an 执行率 and
an 执行数 column: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 and its provincial
variants) and the indicator block (一级/二级/三级指标 with a 指标值 or 完成值 column). A sheet whose
title names a 部门整体 table is never read here (the department kind reads it).

Traditional characters (tables copied from mirror sites) are folded for the header words only; what
users wrote is kept as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xladdin.core.catalogue import issue
from xladdin.core.grading import DEFAULT_GRADING
from xladdin.core.grid import Grid
from xladdin.core.model import Indicator, Issue, StatedValue, a1
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
from xladdin.kinds.project.model import Budget, BudgetRow, Measure, ProjectTable
from xladdin.kinds.project.profiles import PROFILES

SCAN_ROWS = 60  # the budget and indicator headers are near the top
_T2S = str.maketrans("預數執項標級實總資當撥結轉單稱門績評萬質滿產時會態響進額類屬報際據與護劃區規價訂權値覈"
                     "檔搶準查詢徵編陳專經費黃岡館衛補麗運營檢驗違為責漢書體組織",
                     "预数执项标级实总资当拨结转单称门绩评万质满产时会态响进额类属报际据与护划区规价订权值核"
                     "档抢准查询征编陈专经费黄冈馆卫补丽运营检验违为责汉书体组织")


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """A header word as compared: no blanks, half-width, simplified."""
    return squash(text).translate(_T2S)


def _k(v: Any) -> str | None:
    return key(v) if type(v) is str else None


@lru_cache(maxsize=4096)
def ind_role(k: str) -> str | None:
    """The role of a heading of the indicator block."""
    if k.startswith("一级指"):
        return "name:1"
    if k.startswith("二级指"):
        return "name:2"
    if k.startswith("三级指") or "指标名称" in k or "(三级指标)" in k:
        return "name:3"
    if "复核" in k or "审核" in k or "上年" in k or "设置依据" in k or "赋分规则" in k or "佐证" in k:
        return None
    if "指标性质" in k:
        return "operator"
    if "度量单位" in k or "计量单位" in k:
        return "unit"
    if "完成值" in k or "实际值" in k:
        return "actual"
    if "指标值" in k or "目标值" in k:
        return "target"
    if "原因" in k or "改进措施" in k:
        return "reason"
    if k.startswith(("分值", "权重", "参考分值", "指标分值", "指标权重")) or "分值权重" in k:
        return "weight"
    if k.startswith(("得分", "自评分", "指标得分", "自评得分")):
        return "score"
    return None


@lru_cache(maxsize=4096)
def budget_role(k: str) -> str | None:
    """The role of a heading of the budget block."""
    if k.startswith("得分"):
        return "score"
    if "执行率" in k:
        return "rate"
    if "执行数" in k:
        return "executed"
    if "年初预算" in k:
        return "initial"
    if "全年预算" in k or "调整后预算" in k or "调整预算" in k or k.startswith("预算数") or k.startswith("合计("):
        return "full_year"
    if k.startswith(("分值", "权重")) or "分值权重" in k:
        return "weight"
    if k == "原因" or k.startswith("原因"):
        return "reason"
    return None


_POINTS_RE = re.compile(r"(\d+(?:\.\d+)?)分")
_DEPARTMENT_TITLE = ("部门整体", "整体支出", "单位整体")
_STOP_WORDS = ("总分", "合计", "评价结论", "其他需要说明", "注:", "注1", "注:", "项目负责人", "存在问题", "改进措施",
               "填表人", "说明:", "备注")
_FACT_LABELS = {"项目名称": "project", "主管部门": "department", "项目主管单位": "department", "主管单位": "department",
                "主管部门(单位)": "department", "实施单位": "unit", "项目实施单位": "unit", "实施单位(盖章)": "unit",
                "单位名称": "unit_name", "部门": "dept_short", "部门名称": "unit_name"}
_LABEL_KEYS = set(_FACT_LABELS) | {"项目负责人", "项目负责人及电话", "填报日期", "联系电话"}
_CODE_PREFIX = re.compile(r"^(?:\[\d+\]|\d{3,}[-—])\s*")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_PLACEHOLDER_RE = re.compile(r"^(?:指标\d+[:：]?[/／]?|[…．.。·]{2,}|…)$")
_NAME_PREFIX_RE = re.compile(r"^指标\d+[:：]?")
_SUB_RE = re.compile(r"^\d+[、.．]")
_PARENT_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_GRADE_WORDS = {"优", "良", "中", "差", "优秀", "良好", "中等", "较差", "合格", "不合格"}
_TITLE_TAIL = re.compile(r"(?:项目|項目)?(?:支出)?(?:绩效|績效)?(?:自评表|自評表)$")
_SELF_TOTAL_RE = re.compile(r"^(?:自评总分|自评得分|综合得分|总得分)[:：]?(?P<v>\d+(?:\.\d+)?)?分?$")

# ----- cell contents: targets and actual values ------------------------------------------------------
_OPS = [(">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("═", "="), ("﹦", "="), ("＝", "="), ("不低于", "≥"),
        ("不少于", "≥"), ("大于等于", "≥"), ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("小于等于", "≤"),
        ("大于", ">"), ("小于", "<"), ("等于", "=")]
_VALUE_RE = re.compile(r"^(?P<op>[≥≤=><])?(?P<num>[+-]?\d+(?:\.\d+)?)(?P<unit>[^\d]*)$")


@lru_cache(maxsize=8192)
def normalize_op(text: str) -> str:
    t = text
    for a, b in _OPS:
        if a in t:
            t = t.replace(a, b)
    return t


@lru_cache(maxsize=8192)
def split_value(text: str) -> tuple[str | None, float | None, str]:
    """'≥50个' -> ('≥', 50.0, '个'); '100%' -> (None, 100.0, '%'); '效果明显' -> (None, None, '')."""
    t = normalize_op(re.sub(r"\s+", "", normalize_text(text)).replace(",", ""))
    t = normalize_op(t)
    m = _VALUE_RE.match(t)
    if not m:
        op = t[0] if t[:1] in ("≥", "≤", "=", ">", "<") else None
        return op, None, ""
    unit = m.group("unit")
    if unit in ("百分比", "百分点"):
        unit = "%"
    return m.group("op"), clean_float(float(m.group("num"))), unit


_MET_WORDS = ("达成", "达到", "完成", "实现", "达标", "有效", "显著", "明显", "满意", "合格", "是", "良好",
              "及时", "规范", "合规", "提升", "提高", "改善")


def outcome_of(actual: str, target: str | None) -> str | None:
    """达成 / 部分达成 / 未达成 for a qualitative 完成值, None when the words say neither."""
    k = key(actual)
    if any(w in k for w in ("未达成", "未完成", "未达到", "未实现", "不达标", "较差", "未")):
        return "未达成"
    if "部分" in k or "基本" in k:
        return "部分达成"
    if any(w in k for w in _MET_WORDS):
        return "达成"
    if target is not None and key(target) == k:
        return "达成"
    return None


class _Reader:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.rows = grid.rows
        self.issues: list[Issue] = []

    def text(self, r: int, c: int | None) -> str | None:
        return None if c is None else self.grid.text(r, c)

    def number(self, r: int, c: int | None, what: str, path: tuple[str, ...] = ()) -> float | None:
        if c is None:
            return None
        raw = self.grid.get(r, c)
        if raw is None:
            err = self.grid.error(r, c) if self.grid.formula_at is not None else None
            if err:
                self.issues.append(issue("bad-number", a1(r, c), path, self.grid.name, None, err,
                                         form="blank-error", what=what, value=err))
            return None
        if type(raw) is float or type(raw) is int:
            return clean_float(float(raw))
        p = parse_number(raw)
        cell = a1(r, c)
        if p.kind == "number":
            return p.value
        if p.kind == "text-number":
            self.issues.append(issue("text-number", cell, path, self.grid.name, None, str(raw), what=what,
                                     text=normalize_text(str(raw)), value=fmt(p.value)))
            return p.value
        if p.kind == "bad":
            if is_excel_error(raw):
                self.issues.append(issue("bad-number", cell, path, self.grid.name, None, str(raw),
                                         form="error-value", what=what, value=str(raw).strip()))
            else:
                self.issues.append(issue("bad-number", cell, path, self.grid.name, None, str(raw), what=what,
                                         described=describe_value(raw)))
        return None

    def amount(self, r: int, c: int, what: str) -> float | None:
        """An amount; '10万' / '10萬' (the unit written in the cell) is read as 10, as text."""
        raw = self.grid.get(r, c)
        if type(raw) is str:
            t = key(raw)
            m = re.match(r"^([+-]?\d+(?:\.\d+)?)(?:万元|万|元)$", t)
            if m:
                value = clean_float(float(m.group(1)))
                self.issues.append(issue("text-number", a1(r, c), (), self.grid.name, None, raw, what=what,
                                         text=clean_text(raw), value=fmt(value)))
                return value
        return self.number(r, c, what)

    def rate(self, r: int, c: int | None) -> float | None:
        """执行率 as a fraction: '97.64%' / 0.9764 / 97.64 (a bare percent number)."""
        if c is None:
            return None
        raw = self.grid.get(r, c)
        if isinstance(raw, str):
            t = re.sub(r"\s+", "", normalize_text(raw))
            m = re.match(r"^([+-]?\d+(?:\.\d+)?)%$", t)
            if m:
                return clean_float(float(m.group(1)) / 100)
        v = self.number(r, c, "执行率")
        if v is None:
            return None
        return clean_float(v / 100) if v > 1.5 else v


def _after(reader: _Reader, r: int, c: int, text: str) -> str | None:
    """The value of a label: after its colon, else the next filled cell to the right that is no label."""
    for sep in (":", "："):
        if sep in text:
            v = text.split(sep, 1)[1].strip()
            if v:
                return v
    row = reader.rows[r]
    for cc in range(c + 1, min(len(row), c + 6)):
        v = row[cc]
        if v is None:
            continue
        t = reader.text(r, cc)
        if t is None:
            continue
        if key(t) in _LABEL_KEYS or key(t).rstrip(":：") in _LABEL_KEYS:
            return None
        return t
    return None


def _find_headers(rows: list[list[Any]]) -> tuple[int | None, int | None, bool]:
    """(indicator header row, budget header row, department title seen)."""
    ind_h = bud_h = None
    for r in range(min(len(rows), SCAN_ROWS)):
        roles: set[str] = set()
        for v in rows[r]:
            if type(v) is not str:
                continue
            k = key(v)
            if r < 8 and any(w in k for w in _DEPARTMENT_TITLE):
                return None, None, True
            if ind_h is None:
                role = ind_role(k)
                if role is not None:
                    roles.add(role)
            if bud_h is None:
                role = budget_role(k)
                if role is not None:
                    roles.add("b:" + role)
        if bud_h is None and "b:rate" in roles and "b:executed" in roles:
            bud_h = r
        if ind_h is None and "name:1" in roles:
            up = set()
            if r > 0:
                up = {ind_role(key(v)) for v in rows[r - 1] if type(v) is str}
            if roles & {"target", "actual"} or up & {"target", "actual"}:
                ind_h = r
        if ind_h is not None and bud_h is not None:
            break
    return ind_h, bud_h, False


def parse_grid(grid: Grid) -> ProjectTable | None:
    rows = grid.rows
    ind_h, bud_h, department = _find_headers(rows)
    if department or (ind_h is None and bud_h is None):
        return None
    reader = _Reader(grid)
    t = ProjectTable(sheet=grid.name)
    _read_facts(reader, t, ind_h if ind_h is not None else bud_h)  # type: ignore[arg-type]
    if bud_h is not None:
        t.budget = _read_budget(reader, bud_h, ind_h)
    if ind_h is not None:
        _read_management(reader, t, (bud_h or 0) + 1, ind_h)
        _read_indicators(reader, t, ind_h)
    t.profile = _guess_profile(reader, t, bud_h, ind_h)
    t.read_issues = reader.issues
    return t


def _read_facts(reader: _Reader, t: ProjectTable, top: int) -> None:
    found: dict[str, str] = {}
    rows = reader.rows
    for r in range(top):
        for c, v in enumerate(rows[r]):
            if type(v) is not str:
                continue
            text = clean_text(v)
            k = key(text)
            if not k:
                continue
            if t.title is None and ("自评表" in k or "评价表" in k or "评分表" in k):
                t.title = text
            label = re.split(r"[:：]", k, maxsplit=1)[0]
            role = _FACT_LABELS.get(label)
            if role is not None and role not in found:
                val = _after(reader, r, c, text)
                if val:
                    found[role] = val
            m = _SELF_TOTAL_RE.match(k)
            if m and t.stated_total is None:
                val_s = m.group("v")
                value: float | None = float(val_s) if val_s else None
                if value is None:
                    nxt = rows[r][c + 1] if c + 1 < len(rows[r]) else None
                    p = parse_number(nxt)
                    value = p.value if p.is_number else None
                if value is not None:
                    t.stated_total = StatedValue(clean_float(value), a1(r, c), text)
            if t.year is None and ("年度" in k or "自评表" in k) and "填报" not in k and "日期" not in k:
                ym = _YEAR_RE.search(text)
                if ym:
                    t.year = int(ym.group(1))
    project = found.get("project")
    if project:  # a name that repeats the table's title: '…补助经费支出绩效自评表'
        project = _TITLE_TAIL.sub("", project).strip() or project
    t.project = project
    t.department = _unit_name(found.get("department"))
    t.unit = _unit_name(found.get("unit") or found.get("unit_name") or found.get("dept_short")) or t.department


def _unit_name(text: str | None) -> str | None:
    if not text:
        return None
    return _CODE_PREFIX.sub("", text).strip() or None


_AMOUNT_WHAT = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数"}


def _read_budget(reader: _Reader, h: int, ind_h: int | None) -> Budget:
    cols: dict[str, int] = {}
    header_weight: float | None = None
    row = reader.rows[h]
    for c, v in enumerate(row):
        if type(v) is not str:
            continue
        k = key(v)
        role = budget_role(k)
        if role is not None and role not in cols:
            cols[role] = c
        m = _POINTS_RE.search(k)
        if m and header_weight is None and (c == 0 or role == "score" or "预算执行" in k):
            header_weight = float(m.group(1))
    b = Budget(h, cols)
    amounts = [r for r in ("initial", "full_year", "executed") if r in cols]
    first = min([cols[r] for r in amounts] + [cols.get("rate", 99)])
    end = min(len(reader.rows), h + 9, ind_h if ind_h is not None and ind_h > h else len(reader.rows))
    for r in range(h + 1, end):
        label, lcol = None, None
        for c in range(first):
            t = reader.text(r, c)
            if t and not parse_number(t).is_number:
                label, lcol = t, c
                break
        lk = key(label) if label else ""
        if lk and any(w in lk for w in ("目标", "绩效指标", "指标", "项目基本情况", "项目权重", "领导", "项目实施")):
            break
        values: dict[str, float | None] = {}
        cells: dict[str, str] = {}
        for role in amounts:
            c = cols[role]
            v = reader.amount(r, c, _AMOUNT_WHAT[role])
            values[role] = v
            cells[role] = a1(r, c)
        if label is None and all(v is None for v in values.values()):
            continue
        br = BudgetRow(label or "", r, values, cells)
        if b.total is None and (label is None or "总额" in lk or "合计" in lk or lk.startswith("总计")
                                or not lk.startswith("其中")):
            b.total = br
            if lcol is not None:
                b.label_cell = a1(r, lcol)
            if "weight" in cols:
                b.weight = reader.number(r, cols["weight"], "预算执行的分值")
                b.weight_cell = a1(r, cols["weight"])
            if b.weight is None and header_weight is not None:
                b.weight, b.weight_from_header = header_weight, True
                b.weight_cell = a1(h, 0)
            if "rate" in cols:
                b.rate = reader.rate(r, cols["rate"])
                b.rate_cell = a1(r, cols["rate"])
            if "score" in cols:
                b.score = reader.number(r, cols["score"], "预算执行的得分")
                b.score_cell = a1(r, cols["score"])
            if "reason" in cols:
                b.reason = reader.text(r, cols["reason"]) or ""
        elif b.total is not None:
            b.parts.append(br)
    if b.total is not None and reader.grid.formula_at is not None:
        _formulas_without_values(reader, b)
    return b


def _formulas_without_values(reader: _Reader, b: Budget) -> None:
    """Formulas whose results were not saved (a template filled by a program): computed here, reported."""
    total = b.total
    assert total is not None
    r = total.row

    def report(c: int, what: str, value: float | None) -> None:
        formula = reader.grid.formula(r, c)
        done = f"已按 {fmt(value)} 计算" if value is not None else "无法代为计算"
        reader.issues.append(issue("formula-no-value", a1(r, c), ("预算执行",), reader.grid.name, None, formula,
                                   what=what, formula=formula, done=done))

    for role, what in _AMOUNT_WHAT.items():
        c = b.columns.get(role)
        if c is None or total.values.get(role) is not None or not reader.grid.formula(r, c):
            continue
        parts = [p.values.get(role) for p in b.parts if p.values.get(role) is not None]
        value = clean_float(sum(parts)) if parts else None  # type: ignore[arg-type]
        total.values[role] = value
        report(c, what, value)
    full, done = total.values.get("full_year"), total.values.get("executed")
    rate = done / full if full and done is not None else None
    c = b.columns.get("rate")
    if c is not None and b.rate is None and reader.grid.formula(r, c):
        b.rate = round(rate, 6) if rate is not None else None
        report(c, "执行率", b.rate)
    c = b.columns.get("score")
    if c is not None and b.score is None and reader.grid.formula(r, c):
        if rate is not None and b.weight is not None:
            b.score = round(b.weight * min(rate, 1.0), 2)
        report(c, "预算执行的得分", b.score)


def _header_roles(reader: _Reader, h: int) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, v in enumerate(reader.rows[h]):
        if type(v) is str:
            role = ind_role(key(v))
            if role is not None and role not in cols:
                cols[role] = c
    if h > 0:
        for c, v in enumerate(reader.rows[h - 1]):
            if type(v) is str:
                role = ind_role(key(v))
                if role is not None and role not in cols and not role.startswith("name:"):
                    cols[role] = c
    if h + 1 < len(reader.rows):  # a lower header row: 指标性质 | 指标值 | 度量单位 under 年度指标值
        lower = {ind_role(key(v)): c for c, v in enumerate(reader.rows[h + 1]) if type(v) is str}
        if "operator" in lower or "unit" in lower:
            for role in ("operator", "target", "unit"):
                if role in lower:
                    cols[role] = lower[role]
    return cols


_L1_BY_L2 = (("满意", "满意度指标"), ("效益", "效益指标"), ("影响", "效益指标"), ("数量", "产出指标"),
             ("质量", "产出指标"), ("时效", "产出指标"), ("成本", "产出指标"))


def _level1(text: str) -> tuple[str, float | None]:
    """'产出指标(50分)' -> ('产出指标', 50); '项目绩效 85 分 / 产出 指标 40 分' -> ('产出指标', 40);
    '(50分)' -> ('', 50)."""
    name = squash(text)
    if "/" in name:
        name = name.rsplit("/", 1)[1]
        m = re.match(r"^(.*?指标)(\d+(?:\.\d+)?)分?$", name)
        if m:
            return m.group(1), float(m.group(2))
    name, w = split_weight_from_name(name)
    lost = re.match(r"^[(（](\d+(?:\.\d+)?)分?[)）]$", name)
    if lost:  # the label was lost, only '(50分)' is left: named after its level-2 rows below
        return "", float(lost.group(1))
    if w is None:
        m = re.match(r"^(.*?)(\d+(?:\.\d+)?)分$", name)
        if m and m.group(1):
            name, w = m.group(1), float(m.group(2))
    return name, w


def _read_management(reader: _Reader, t: ProjectTable, start: int, end: int) -> None:
    """A scored block above the indicators (随州: 项目决策 2 分 / 项目管理 13 分 with 评价内容 | 分值 | 自评分)."""
    rows = reader.rows
    for h in range(start, end):
        roles = {ind_role(key(v)): c for c, v in reversed(list(enumerate(rows[h]))) if type(v) is str}
        if "weight" not in roles or "score" not in roles or "name:1" in roles:
            continue
        wc, sc = roles["weight"], roles["score"]
        nc = max(0, wc - 1)
        l1: Indicator | None = None
        for r in range(h + 1, end):
            name1 = reader.text(r, 0) if nc > 0 else None
            leaf_name = reader.text(r, nc)
            if name1 and nc > 0:
                n, w = _level1(name1)
                l1 = Indicator(1, n, r, weight=w, weight_from_name=w is not None)
                l1.cells["name"] = a1(r, 0)
                if w is not None:
                    l1.cells["weight"] = a1(r, 0)
                t.roots.append(l1)
            if leaf_name is None or l1 is None or rows[r][wc:wc + 1] == [None]:
                if leaf_name is None and name1 is None:
                    break
                continue
            leaf = Measure(2, leaf_name, r, parent=l1)
            leaf.cells["name"] = a1(r, nc)
            leaf.weight = reader.number(r, wc, "分值", leaf.path)
            leaf.cells["weight"] = a1(r, wc)
            leaf.score = reader.number(r, sc, "得分", leaf.path)
            leaf.cells["score"] = a1(r, sc)
            l1.children.append(leaf)
        return


def _read_indicators(reader: _Reader, t: ProjectTable, h: int) -> None:
    cols = _header_roles(reader, h)
    t.header_row = h
    t.columns = cols
    t.has_reason_column = "reason" in cols
    t.has_weight_column = "weight" in cols
    c1, c2, c3 = cols.get("name:1"), cols.get("name:2"), cols.get("name:3")
    if c1 is None:
        return
    name_cols = [c for c in (c1, c2, c3) if c is not None]
    last_name = max(name_cols)
    rows = reader.rows
    l1: Indicator | None = None
    l2: Measure | None = None
    start = h + 1
    if start < len(rows) and any(type(v) is str and ind_role(key(v)) in ("operator", "unit", "target")
                                 for v in rows[start]):
        start += 1  # the lower row of a two-row header
    value_cols = [cols[r] for r in ("weight", "score", "target", "actual") if r in cols]
    ended_at: int | None = None
    for r in range(start, len(rows)):
        row = rows[r]
        if ended_at is not None and r > ended_at + 6:
            break
        if not any(v is not None for v in row):
            continue
        first_text = None
        for v in row:
            if v is not None:
                first_text = key(v) if type(v) is str else None
                break
        if first_text is not None and first_text.startswith(_STOP_WORDS):
            if first_text.startswith(("总分", "合计")):
                _read_totals(reader, t, r, cols)
                break
            ended_at = r if ended_at is None else ended_at
            continue
        if ended_at is not None:
            continue
        if first_text is not None and (re.fullmatch(r"[-—\d\s]+", first_text) and sum(v is not None for v in row) == 1):
            continue  # a page number inside the table
        if any(type(v) is str and ind_role(key(v)) == "name:1" for v in row):
            continue  # the header repeated after a page break
        t1, t2 = reader.text(r, c1), reader.text(r, c2) if c2 is not None else None
        t3 = reader.text(r, c3) if c3 is not None else None
        if c1 != 0 and t1 is None and c1 > 0:
            pass
        if t1:
            name, w = _level1(t1)
            l1 = Indicator(1, name, r, weight=w, weight_from_name=w is not None)
            l1.cells["name"] = a1(r, c1)
            if w is not None:
                l1.cells["weight"] = a1(r, c1)
            t.roots.append(l1)
            l2 = None
        if t2:
            if l1 is None:
                l1 = Indicator(1, "", r)
                l1.cells["name"] = a1(r, c1)
                t.roots.append(l1)
            name, w = split_weight_from_name(squash(t2))
            if w is None:
                m = re.match(r"^(.*?)(\d+(?:\.\d+)?)分$", name)
                if m:
                    name, w = m.group(1), float(m.group(2))
            l2 = Measure(2, name, r, parent=l1)
            l2.weight, l2.weight_from_name = w, w is not None
            l2.cells["name"] = a1(r, c2)  # type: ignore[arg-type]
            if w is not None:
                l2.cells["weight"] = a1(r, c2)  # type: ignore[arg-type]
            l1.children.append(l2)
        has_values = any(row[c] is not None and not (type(row[c]) is str and key(row[c]) in ("/", "-", "—"))
                         for c in value_cols if c < len(row))
        if t3 is None and not t2:
            if has_values and not t1 and c3 is not None:
                reader.issues.append(issue("missing-value", a1(r, c3), (), reader.grid.name, form="name", row=r + 1))
            if not has_values or not t1:
                continue
        if t3 is not None:
            k3 = key(t3)
            if _PLACEHOLDER_RE.match(k3) and not has_values:
                path = (l2.path if l2 is not None else (l1.path if l1 is not None else ()))
                t.placeholders.append((r, t3, path))
                continue
            wcol, scol = cols.get("weight"), cols.get("score")
            no_points = ((wcol is None or wcol >= len(row) or row[wcol] is None)
                         and (scol is None or scol >= len(row) or row[scol] is None))
            numbered = l2 is not None and any(_PARENT_RE.match(key(ch.name)) for ch in l2.children)
            if no_points and (k3.startswith("其中") or (_SUB_RE.match(k3) and numbered)):
                continue  # a breakdown of the row above, with no points of its own
            if _SUB_RE.match(k3) and l2 is not None and not t.has_weight_column and any(
                    _PARENT_RE.match(key(ch.name)) for ch in l2.children):
                continue  # '1、…' items of a '一、…' row (湖北 tables without 分值: the parent carries the points)
            if l1 is None:
                l1 = Indicator(1, "", r)
                t.roots.append(l1)
            if l2 is None:
                l2 = Measure(2, "", r, parent=l1)
                l1.children.append(l2)
            name = t3
            stripped = _NAME_PREFIX_RE.sub("", name).strip()
            if stripped and stripped not in ("/", "／"):
                name = stripped
            leaf = Measure(3, name, r, parent=l2)
            leaf.cells["name"] = a1(r, c3)  # type: ignore[arg-type]
            l2.children.append(leaf)
            _read_leaf(reader, leaf, r, cols)
        elif t2 and has_values and l2 is not None:
            _read_leaf(reader, l2, r, cols)  # a level-2 row carrying the points itself
        if last_name < 0:
            break
    for root in t.roots:  # 随州: '数量指标15分' over one indicator row without a 分值 column: the row's weight
        for ch in root.children:
            if ch.weight is not None and ch.weight_from_name and len(ch.children) == 1 \
                    and ch.children[0].weight is None and "weight" not in cols:
                only = ch.children[0]
                only.weight = ch.weight
                only.cells.setdefault("weight", ch.cells.get("weight") or ch.cells.get("name", ""))
    for root in t.roots:
        if not root.name:
            for ch in root.children:
                for word, l1name in _L1_BY_L2:
                    if word in ch.name:
                        root.name = l1name
                        break
                if root.name:
                    break
        for ch in root.children:
            if not ch.children and isinstance(ch, Measure) and ch.weight is None and ch.score is None \
                    and ch.target is None and ch.actual is None:
                t.empty_groups.append(ch)


def _read_leaf(reader: _Reader, leaf: Measure, r: int, cols: dict[str, int]) -> None:
    path = leaf.path
    for role, what in (("weight", "分值"), ("score", "得分")):
        c = cols.get(role)
        if c is None:
            continue
        raw = reader.grid.get(r, c)
        if type(raw) is str and key(raw) in ("/", "-", "—", "\\"):
            continue
        v = reader.number(r, c, what, path)
        leaf.cells[role] = a1(r, c)
        if role == "weight":
            leaf.weight = v
        else:
            leaf.score = v
    c = cols.get("reason")
    if c is not None:
        leaf.cells["reason"] = a1(r, c)
        leaf.reason = reader.text(r, c) or ""
        if key(leaf.reason) in ("/", "-", "—", "无"):
            leaf.reason = leaf.reason if key(leaf.reason) == "无" else ""
    # 指标值: an operator column, the value, a unit column
    op_text = reader.text(r, cols["operator"]) if "operator" in cols else None
    unit_text = reader.text(r, cols["unit"]) if "unit" in cols else None
    tc = cols.get("target")
    raw_t = reader.grid.get(r, tc) if tc is not None else None
    if tc is not None:
        leaf.cells["target"] = a1(r, tc)
    op = normalize_op(key(op_text)) if op_text else None
    if op is not None and op not in ("≥", "≤", "=", ">", "<"):
        op = None
    if raw_t is not None and not (type(raw_t) is str and key(raw_t) in ("/", "-", "—")):
        if type(raw_t) is str:
            text = clean_text(raw_t)
            o, val, unit = split_value(text)
        else:
            text, o, unit = fmt(clean_float(float(raw_t))) if isinstance(raw_t, (int, float)) else str(raw_t), None, ""
            val = clean_float(float(raw_t)) if isinstance(raw_t, (int, float)) and not isinstance(raw_t, bool) else None
        if unit_text and not unit:
            unit = "%" if key(unit_text) in ("%", "百分比") else unit_text
        leaf.operator = o or op
        leaf.target_value = val
        leaf.unit = unit
        shown = text
        if op and not o:
            shown = f"{op}{text}"
        if unit_text and unit_text not in shown:
            shown = f"{shown}{unit_text}"
        leaf.target = shown
    # 完成值
    ac = cols.get("actual")
    if ac is None:
        return
    leaf.cells["actual"] = a1(r, ac)
    raw_a = reader.grid.get(r, ac)
    if raw_a is None or (type(raw_a) is str and key(raw_a) in ("/", "-", "—")):
        return
    if isinstance(raw_a, (int, float)) and not isinstance(raw_a, bool):
        v = clean_float(float(raw_a))
        leaf.actual = fmt(v)
        if leaf.unit == "%" and v <= 1.5 and (leaf.target_value or 0) > 1.5:
            v = clean_float(v * 100)  # a percent-formatted cell: 0.98 shown as 98%
        leaf.actual_value = v
        return
    text = clean_text(str(raw_a))
    leaf.actual = text
    o, val, unit = split_value(text)
    if o is not None:
        leaf.actual_copied = True
        return
    leaf.actual_value = val
    if val is None:
        leaf.outcome = outcome_of(text, leaf.target)


def _read_totals(reader: _Reader, t: ProjectTable, r: int, cols: dict[str, int]) -> None:
    row = reader.rows[r]
    scol, wcol = cols.get("score"), cols.get("weight")
    for c, v in enumerate(row):
        if v is None or c == 0:
            continue
        if type(v) is str and key(v) in _GRADE_WORDS:
            t.stated_grade = StatedValue(clean_text(v), a1(r, c), clean_text(v))
            continue
        p = parse_number(v)
        if not p.is_number:
            continue
        if c == scol:
            t.stated_total = StatedValue(p.value, a1(r, c), clean_text(str(v)))
        elif c == wcol or t.stated_weight is None:
            t.stated_weight = StatedValue(p.value, a1(r, c), clean_text(str(v)))


def _guess_profile(reader: _Reader, t: ProjectTable, bud_h: int | None, ind_h: int | None) -> Any:
    heads: list[str] = []
    for h in (bud_h, ind_h):
        if h is not None:
            heads += [key(v) for v in reader.rows[h] if type(v) is str]
            if h > 0:
                heads += [key(v) for v in reader.rows[h - 1] if type(v) is str]
    joined = "|".join(heads)
    b = t.budget
    if "调整后预算" in joined or ("指标性质" in joined and "权重" in joined and "度量单位" in joined):
        return PROFILES["sichuan"]
    if (b is not None and b.weight == 20) or "年初目标值" in joined or "20分" in joined:
        return PROFILES["hubei"]
    if "指标性质" in joined:
        return PROFILES["yunnan"]
    return PROFILES["national"]


__all__ = ["parse_grid", "split_value", "outcome_of", "key", "DEFAULT_GRADING"]
