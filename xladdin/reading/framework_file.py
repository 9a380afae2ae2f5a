"""Loading an indicator framework from a file (CSV or xlsx) a finance bureau maintains.

The file is the familiar table itself, without 扣分/得分: a header row naming 一级指标｜分值｜二级指标｜
分值｜三级指标｜分值 (two or four levels work too) and optionally 评分标准; merged or repeated parent
names both work. It is read with the same parser as a submission, so every layout ``xladdin check``
understands is also a framework file. A framework must add up: each parent's 分值 equals the sum of
its children's, the level-1 分值 total 100, no duplicate names, every 分值 a number.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from xladdin.core.catalogue import FRAMEWORK_CODES  # the checks a framework file must pass
from xladdin.core.grid import Grid
from xladdin.core.model import Indicator, Table
from xladdin.core.numbers import fmt, parse_number, squash
from xladdin.errors import ConfigError, InputError, os_reason
from xladdin.kinds.department.framework import Leaf, Level

# Extra columns that carry the scoring criteria of a leaf, in order of preference.
CRITERIA_HEADERS = ("评分标准", "评分细则", "评分办法", "评分规则", "评价标准", "评分依据", "指标解释", "指标说明")
FRAMEWORK_TOTAL = 100.0
MAX_LISTED = 8


def load_framework(path: str | os.PathLike[str]) -> tuple[Leaf, ...]:
    """Read and validate a framework file; ConfigError (Chinese, naming file and cells) when unusable."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        table = parse_csv(p)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        from xladdin.engine import read_table

        try:
            table = read_table(p)
        except InputError as exc:
            raise ConfigError(f"指标体系文件无法使用：{exc.message}", file=str(p)) from None
    else:
        raise ConfigError(f"指标体系文件“{p.name}”的格式不支持：请使用 .csv 或 .xlsx 文件。", file=str(p))
    return leaves_from_table(table, p.name)


def parse_csv(p: Path) -> Table:
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到指标体系文件“{p}”。", file=str(p)) from None
    except OSError as exc:
        raise ConfigError(f"指标体系文件“{p.name}”打不开：{os_reason(exc)}", file=str(p)) from None
    text = _decode(raw, p)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append([_cell(v) for v in row])
    from xladdin.kinds.department.parse import parse_grid

    table = parse_grid(Grid(p.stem[:31] or "指标体系", rows))
    if table is None:
        raise ConfigError(
            f"指标体系文件“{p.name}”里找不到表头：第一行应写“一级指标,分值,二级指标,分值,三级指标,分值,评分标准”。",
            file=str(p))
    table.file = str(p)
    return table


def _decode(raw: bytes, p: Path) -> str:
    # Excel on Chinese Windows saves CSV as GBK; other tools write UTF-8 (often with a BOM).
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ConfigError(f"指标体系文件“{p.name}”的文字编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV。", file=str(p))


def _cell(v: str) -> object:
    """CSV cells are text; numbers become numbers so the parser does not warn about text numbers."""
    v = v.strip()
    if not v:
        return None
    parsed = parse_number(v)
    if parsed.kind == "text-number" and squash(v) == v.replace(" ", ""):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def _criteria(node: Indicator) -> str:
    for header in CRITERIA_HEADERS:
        for key, value in node.extras.items():
            if squash(key) == header and value:
                return value
    return ""


def leaves_from_table(table: Table, name: str) -> tuple[Leaf, ...]:
    """A parsed table -> framework leaves, after checking that the framework adds up."""
    from xladdin.engine import evaluate
    from xladdin.kinds.department.checks import effective_weight

    problems: list[str] = []
    for issue in table.read_issues:
        if issue.severity == "error":
            problems.append(_located(issue))
    leaves = list(table.leaves())
    if not leaves:
        raise ConfigError(f"指标体系文件“{name}”里没有任何指标。", file=name)
    for each in table.walk():
        if not each.name:
            problems.append(f"{each.cells.get('name', f'第 {each.row + 1} 行')} 缺少指标名称。")
        elif (w := effective_weight(each)) is None:
            where = each.cells.get("weight") or each.cells.get("name") or f"第 {each.row + 1} 行"
            problems.append(f"{where}：指标“{each.name}”没有填分值。")
        elif not 0 < w < float("inf"):  # 120 and −20 add up to 100, but no template can hold them
            where = each.cells.get("weight") or each.cells.get("name") or f"第 {each.row + 1} 行"
            problems.append(f"{where}：指标“{each.name}”的分值为 {fmt(w)}，分值应为正数。")
    report = evaluate(table)
    for issue in report.issues:
        if issue.code in FRAMEWORK_CODES and issue.severity == "error" and _located(issue) not in problems:
            problems.append(_located(issue))
    if report.figures is not None and report.figures.total_weight is not None and not problems:
        total = report.figures.total_weight
        if abs(total - FRAMEWORK_TOTAL) > 0.005:
            problems.append(f"一级指标分值合计为 {fmt(total)}，应为 {fmt(FRAMEWORK_TOTAL)} 分。")
    if problems:
        shown = problems[:MAX_LISTED]
        more = f"\n  ……另有 {len(problems) - MAX_LISTED} 个问题" if len(problems) > MAX_LISTED else ""
        raise ConfigError(
            f"指标体系文件“{name}”（工作表“{table.sheet}”）有 {len(problems)} 个问题，无法生成模板：\n  "
            + "\n  ".join(shown) + more,
            file=name, sheet=table.sheet)
    out: list[Leaf] = []
    for leaf in leaves:
        chain: list[Indicator] = []
        node: Indicator | None = leaf
        while node is not None:
            chain.append(node)
            node = node.parent
        levels = tuple(Level(n.name, float(effective_weight(n))) for n in reversed(chain))  # type: ignore[arg-type]
        out.append(Leaf(tuple(Level(lv.name, _plain(lv.weight)) for lv in levels), _criteria(leaf)))
    return tuple(out)


def _located(issue) -> str:
    if issue.cell and not issue.message.startswith(issue.cell):
        return f"{issue.cell}：{issue.message}"
    return issue.message


def _plain(x: float) -> float:
    """3.0 -> 3 (int) so the template shows 3, not 3.0; real decimals stay."""
    return int(x) if float(x).is_integer() else x  # type: ignore[return-value]


def framework_csv(leaves: tuple[Leaf, ...] | list[Leaf]) -> str:
    """A framework as the CSV this module reads (parents written on their first row only)."""
    depth = max(len(leaf.levels) for leaf in leaves)
    names = {1: "一级指标", 2: "二级指标", 3: "三级指标", 4: "四级指标"}
    header: list[str] = []
    for k in range(1, depth + 1):
        header += [names.get(k, f"{k}级指标"), "分值"]
    header.append("评分标准")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    seen: set[tuple[str, ...]] = set()
    for leaf in leaves:
        row: list[str] = []
        for k in range(depth):
            if k < len(leaf.levels):
                path = leaf.path[: k + 1]
                if path in seen:
                    row += ["", ""]
                else:
                    seen.add(path)
                    row += [leaf.levels[k].name, fmt(leaf.levels[k].weight)]
            else:
                row += ["", ""]
        row.append(leaf.criteria)
        w.writerow(row)
    return buf.getvalue()


__all__ = ["load_framework", "leaves_from_table", "framework_csv", "parse_csv"]
