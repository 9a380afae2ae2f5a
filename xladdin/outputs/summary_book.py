"""Writing the summary workbook (openpyxl, write-only mode: fast and lean for thousands of rows).

Sheet names are fixed: 汇总, 明细, 扣分明细, 指标统计, 等级分布, 校验问题, 文件清单. Each sheet is a plain
table with its header in row 1 (frozen, with filters), so people can sort and filter and scripts can
read it straight back. Text from submissions is always written as text (never as a formula) and
cleaned of characters Excel cannot store.
"""

from __future__ import annotations

import datetime as _dt
import gc
import math
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain, count, islice, repeat
from operator import attrgetter, eq, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from xladdin.consolidation.model import STATUS_LABELS, SUMMARY_MARKER, SUMMARY_SHEETS, Summary
from xladdin.core.catalogue import SEVERITY_LABEL
from xladdin.errors import OutputError
from xladdin.outputs.toolkit import (
    HEADER_FILL,
    MIN_PRINT_SCALE,
    PAGE_NUMBERS,
    WARNING_FILL,
    column_width,
    fit_scale,
    page_setup,
    row_height,
    save_workbook_atomically,
    wrapped_lines,
)
from xladdin.outputs.toolkit import cell_text as clean_text

SUMMARY_FIXED = ("序号", "单位", "年度", "总分", "等级", "排名")
SUMMARY_TAIL = ("扣分合计", "错误数", "警告数", "状态", "文件")
# 汇总 gains these after 警告数 when any unit sent a 基础数据 sheet (issue 14): its rows of 自评偏高 and
# Σ(自评得分 − 建议得分) over them; blank for a unit without 基础数据.
MEASURED_COLS = ("自评偏高", "Σ差异")


def summary_tail(summary: Summary) -> tuple[str, ...]:
    """The 汇总 columns after the level-1 scores (with :data:`MEASURED_COLS` when any unit has a 测算对比)."""
    if any(e.measured is not None for e in summary.ranked):
        return SUMMARY_TAIL[:3] + MEASURED_COLS + SUMMARY_TAIL[3:]
    return SUMMARY_TAIL


def measured_cells(e: Any) -> list[Any]:
    """An entry's 自评偏高 and Σ差异 cells (None, None without 基础数据)."""
    m = getattr(e, "measured", None)
    if m is None:
        return [None, None]
    return [len(m.high_rows), m.high_difference]
DETAIL_HEADER = ("单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "得分率", "扣分原因", "文件",
                 "单元格")
DEDUCTION_HEADER = ("单位", "一级指标", "二级指标", "三级指标", "分值", "扣分", "得分", "扣分原因", "文件", "单元格")
STATS_HEADER = ("一级指标", "二级指标", "三级指标", "分值", "单位数", "平均得分", "平均得分率", "扣分单位数",
                "最低得分", "扣分合计", "说明")
GRADE_HEADER = ("等级", "单位数", "占比")
BINS_HEADER = ("分数段", "单位数")
ISSUES_HEADER = ("文件", "单位", "级别", "代码", "单元格", "指标", "说明")
LEDGER_HEADER = ("序号", "文件", "状态", "单位", "年度", "总分", "等级", "错误数", "警告数", "说明", "修改时间",
                 "状态代码")

SCORE_FMT = "0.00"
RATE_FMT = "0.0%"
COUNT_FMT = "0"
# One number format per column: as many decimals as the column's values need (0, 1 or 2).
DECIMAL_FMTS = ("0", "0.0", "0.00")
NOT_SUBMITTED = "未报送"  # 汇总/文件清单: a unit on the --units list with no file
NOT_SUBMITTED_FILL = "F8CBAD"
NOT_SUBMITTED_KEY = "not-submitted"
IGNORED_LABEL, IGNORED_KEY = "已忽略", "ignored"  # 文件清单: a path passed over (temporary file, not a workbook)

# Grade colours by band position (best first), so custom grade labels get colours too.
GRADE_FILLS = ("C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE")
STATUS_FILLS = {"ok": "C6EFCE", "errors": "FFC7CE", "unreadable": "F4B084", "not-scoring-table": "F4B084",
                "duplicate": "D9D9D9"}



def check_output(out: Path, force: bool = False) -> None:
    """Refuse an output that would overwrite a submission (unless ``force``), or that is open in Excel/WPS."""
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
    if out.exists() and not force and not _is_summary_file(out):
        raise OutputError(
            f"“{out.name}”已经存在，而且不是 xladdin 生成的汇总表；为避免覆盖报送的评分表，请换一个输出文件名"
            f"（或先把它移走；确需覆盖请加 --force）。", file=str(out))


def _is_summary_file(path: Path) -> bool:
    try:
        if path.stat().st_size == 0:
            return True  # an empty placeholder holds nothing to lose
        with zipfile.ZipFile(path) as zf:
            return SUMMARY_MARKER in zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def write_summary(summary: Summary, out: str | os.PathLike[str]) -> None:
    # Hundreds of thousands of short-lived lists and strings, no reference cycles worth collecting:
    # the cyclic garbage collector would only walk the whole Summary again and again (~25% of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _write_summary(summary, out)
    finally:
        if gc_was_enabled:
            gc.enable()


def _write_summary(summary: Summary, out: str | os.PathLike[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    w = _Book(wb, summary)
    year = f"{summary.year}年度" if summary.year else ""
    wb.properties.title = f"{year}部门整体支出绩效评价汇总"
    wb.properties.creator = "xladdin"
    wb.properties.keywords = SUMMARY_MARKER
    wb.properties.description = "由 xladdin consolidate 生成。"
    w.summary_sheet()
    w.detail_sheet()
    w.deduction_sheet()
    w.stats_sheet()
    w.grade_sheet()
    w.issues_sheet()
    w.ledger_sheet()
    if any(e.measured is not None for e in summary.ranked):  # units that sent 基础数据: 测算汇总, 测算对比
        from xladdin.outputs.measured_sheet import write_summary_sheets

        write_summary_sheets(w, summary)
    if summary.projects:  # 项目支出绩效自评表: 项目, 项目单位汇总, 项目指标问题
        from xladdin.outputs.project_sheets import write_project_sheets

        write_project_sheets(w, summary)
    assert tuple(ws.title for ws in wb.worksheets)[:len(SUMMARY_SHEETS)] == SUMMARY_SHEETS
    try:
        save_workbook_atomically(_FastSave(wb, w.tables), out)
    except OSError as exc:  # e.g. the disk fills up while writing the temporary file
        _discard(wb)
        raise OutputError(f"无法写入“{Path(out).name}”：{exc.strerror or exc}。原文件未改动。", file=str(out)) from None
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Any) -> None:
    """A write-only workbook that was never saved: finish its sheets' scratch files now, or openpyxl
    complains about them when they are garbage-collected."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # noqa: BLE001 — already saved, or half-written by a failed save
            pass


# -- fast tables ------------------------------------------------------------------------------------
#
# openpyxl without lxml spends ~25 µs per cell; 1,000 units make ~500,000 cells (12 s). So the big
# plain tables are written by openpyxl with their header and one "probe" row per style variant
# (each column's number format, fill, wrapping), and after saving, the probe rows are replaced by
# the real rows, built as XML strings carrying the probes' style ids. Every string becomes an
# inline string: text, never a formula.

@dataclass(frozen=True)
class Style:
    fmt: str | None = None
    fill: str | None = None
    wrap: bool = False
    center: bool = False  # centred (a short figure between texts)


PLAIN = Style()


class Styled(NamedTuple):
    """A value written with style variant ``variant`` of its column (0 is the column's default)."""

    value: Any
    variant: int


@dataclass
class FastTable:
    """A table's rows, given either as ``rows`` or (for the big tables) as ``columns`` of equal length."""

    title: str
    variants: int
    rows: list[list[Any]] = field(default_factory=list)
    columns: list[list[Any]] | None = None
    heights: list[float | None] | None = None  # each row's height in points (None: the default)

    def column_values(self) -> Sequence[Sequence[Any]]:
        if self.columns is not None:
            return self.columns
        rows = self.rows
        if not rows:
            return []
        ncols = max(map(len, rows))
        if min(map(len, rows)) != ncols:
            rows = [list(r) + [None] * (ncols - len(r)) for r in rows]
        return [list(map(itemgetter(i), rows)) for i in range(ncols)]


class _FastSave:
    def __init__(self, wb: Any, tables: list[FastTable]):
        self.wb = wb
        self.tables = tables

    def save(self, path: str) -> None:
        self.wb.save(path)
        fill_fast_tables(path, self.tables)
        _stall_hook()


def _stall_hook() -> None:
    """Tests only: stop here, the temporary file written, until the test kills the process."""
    from xladdin.consolidation.testhooks import test_hooks

    marker = test_hooks().get("stall_write")
    if marker:
        import time

        Path(marker).touch()
        while True:
            time.sleep(3600)


def fill_fast_tables(path: str, tables: list[FastTable]) -> None:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        data = {i.filename: zf.read(i.filename) for i in infos}
    parts = _sheet_parts(data)
    filled: dict[str, tuple[bytes, Iterator[bytes], bytes]] = {}
    for table in tables:
        name = parts[table.title]
        xml = data[name].decode("utf-8")
        first = re.search(r'<row r="2"[ >]', xml)
        last = re.search(rf'<row r="{table.variants + 1}"[ >].*?</row>', xml, re.S)
        if first is None or last is None:
            raise OutputError(f"写汇总表的“{table.title}”工作表时出错（找不到样式行）。")
        styles: dict[tuple[str, int], str] = {}
        for cm in re.finditer(r'<c r="([A-Z]+)(\d+)"([^>]*)>', xml[first.start():last.end()]):
            sm = re.search(r'\ss="(\d+)"', cm.group(3))
            styles[(cm.group(1), int(cm.group(2)) - 2)] = f' s="{sm.group(1)}"' if sm else ""
        filled[name] = (xml[: first.start()].encode("utf-8", "replace"),
                        _row_chunks(table.column_values(), styles, start=2, heights=table.heights),
                        xml[last.end():].encode("utf-8", "replace"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            if info.filename not in filled:
                _write_member(out, info, data[info.filename])
                continue
            head, chunks, tail = filled.pop(info.filename)
            first_chunk = next(chunks, b"")
            second_chunk = next(chunks, None)
            if second_chunk is None:  # a small table: one piece
                _write_member(out, info, b"".join((head, first_chunk, tail)))
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            _set_compress_level(info, 1)
            with out.open(info, "w") as stream:  # a big table: compressed a chunk at a time
                for chunk in chain((head, first_chunk, second_chunk), chunks, (tail,)):
                    stream.write(chunk)


# Deflate level 1 for big parts: ~3x faster than the default 6, the file ~25% larger.
_FAST_DEFLATE_ABOVE = 256 * 1024


def _write_member(out: zipfile.ZipFile, info: zipfile.ZipInfo, payload: bytes) -> None:
    out.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED,
                 compresslevel=1 if len(payload) > _FAST_DEFLATE_ABOVE else None)


def _set_compress_level(info: zipfile.ZipInfo, level: int) -> None:
    if hasattr(info, "compress_level"):  # Python 3.13+
        info.compress_level = level
    else:
        # what ZipFile.writestr(compresslevel=...) sets before 3.13
        info._compresslevel = level  # type: ignore[attr-defined]


def _sheet_parts(data: dict[str, bytes]) -> dict[str, str]:
    """Sheet title -> zip member, from xl/workbook.xml and its relationships."""
    wb = data["xl/workbook.xml"].decode("utf-8")
    rels = data["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = {}
    for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        targets[attrs.get("Id")] = attrs.get("Target", "")
    out = {}
    for m in re.finditer(r"<sheet\b([^>]*)/?>", wb):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        target = targets.get(attrs.get("r:id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[_unescape(attrs.get("name", ""))] = target
    return out


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EPOCH = _dt.datetime(1899, 12, 30)

# In a cell template the row number is this character; text never contains it (clean_text drops it).
_ROW = "\x00"
_ROW_B = b"\x00"
_NEG_ZERO = object()  # key of -0.0, which equals (and hashes like) 0.0 but is written "-0.0"
_NONE_TYPE = type(None)


def _rows_xml(columns: Sequence[Sequence[Any]], styles: dict[tuple[str, int], str], start: int) -> bytes:
    return b"".join(_row_chunks(columns, styles, start))


_CHUNK_ROWS = 8192  # ~5 MB of 明细: compressed before the next is built (never the whole sheet in memory)


def _row_chunks(columns: Sequence[Sequence[Any]], styles: dict[tuple[str, int], str], start: int,
                heights: Sequence[float | None] | None = None) -> Iterator[bytes]:
    """The rows (given as columns) as sheet XML, UTF-8, a few thousand rows at a time.

    Each distinct value of a column becomes a cell template once (the row number left as ``_ROW``);
    a row is its cells' templates joined, with the row number put in. Names, file names, weights and
    messages recur on every row, so most cells cost one dictionary look-up, done in C.
    """
    nrows = len(columns[0]) if columns else 0
    if not nrows:
        return
    assert all(len(c) == nrows for c in columns)
    last = len(columns) - 1
    cells = [_column_templates(_col(i + 1), column, styles, '<row r="\x00">' if i == 0 and heights is None else "",
                               "</row>" if i == last else "")
             for i, column in enumerate(columns)]
    if heights is not None:  # rows of wrapped text: each row's opening tag carries its height
        assert len(heights) == nrows
        opens: dict[float | None, bytes] = {None: b'<row r="\x00">'}
        for h in set(heights):
            if h is not None:
                opens[h] = f'<row r="\x00" ht="{h:g}" customHeight="1">'.encode()
        cells.insert(0, map(opens.__getitem__, heights))
    rows = map(bytes.replace, map(b"".join, zip(*cells)), repeat(_ROW_B), map(b"%d".__mod__, count(start)))
    for _ in range(0, nrows, _CHUNK_ROWS):
        yield b"".join(islice(rows, _CHUNK_ROWS))


class _Templates(dict):  # type: ignore[type-arg]
    """key -> cell template (with the row's start or end if the column is the first or last one),
    filled in on first use."""

    def __init__(self, col: str, styles: dict[tuple[str, int], str], values: dict[Any, Any] | None,
                 prefix: str, suffix: str):
        super().__init__()
        self.col, self.styles, self.originals, self.prefix, self.suffix = col, styles, values, prefix, suffix
        self.head = f'<c r="{col}{_ROW}"{styles.get((col, 0), "")}'
        self.text_head = f'{self.head} t="inlineStr"><is><t'

    def __missing__(self, key: Any) -> bytes:
        cls = key.__class__
        if cls is str:  # text (the common case), in the column's default style
            cell = self.text_head + _text_tail(key) if key else ""
        elif cls is int or cls is float:  # from a column of one type (else keys carry the type)
            cell = f"{self.head}><v>{key!r}</v></c>" if key - key == 0 else ""  # not NaN, not ±inf
        elif self.originals is not None:
            cell = _cell_template(self.col, self.originals[key], self.styles)
        else:
            cell = _cell_template(self.col, -0.0 if key is _NEG_ZERO else key, self.styles)
        template = self[key] = (self.prefix + cell + self.suffix).encode("utf-8", "replace")
        return template


def _column_templates(col: str, column: Sequence[Any], styles: dict[tuple[str, int], str], prefix: str = "",
                      suffix: str = "") -> Iterator[bytes]:
    """Each cell's template. Equal keys must mean identical XML: 1, 1.0 and True are equal in Python
    but written differently, and so are 0.0 and -0.0; a column of one type (and None) is keyed by
    its values, any other by (type, value)."""
    types = set(map(type, column))
    values = None
    if types <= {str, _NONE_TYPE} or types <= {int, _NONE_TYPE} or types <= {bool, _NONE_TYPE}:
        keys = column
    elif types <= {float, _NONE_TYPE}:
        keys = column
        if 0.0 in column and min(map(math.copysign, repeat(1.0), filter(partial(eq, 0.0), column))) < 0:
            keys = [_NEG_ZERO if v == 0.0 and math.copysign(1.0, v) < 0 else v for v in column]
    else:
        keys = [v if v.__class__ is str else _key(v) for v in column]
        values = dict(zip(keys, column))
    return map(_Templates(col, styles, values, prefix, suffix).__getitem__, keys)


def _key(v: Any) -> Any:
    t = type(v)
    if t is float:
        return _NEG_ZERO if v == 0.0 and math.copysign(1.0, v) < 0 else (t, v)
    if t is int or t is bool or t is str or v is None:
        return (t, v)
    if t is Styled:
        return (t, _key(v.value), v.variant)
    return (t, id(v))  # anything else: not shared (equal values may still print differently)


def _cell_template(col: str, v: Any, styles: dict[tuple[str, int], str]) -> str:
    variant = 0
    if isinstance(v, Styled):
        v, variant = v
    if v is None or v == "":
        return ""
    s = styles.get((col, variant), "")
    if isinstance(v, str):
        return f'<c r="{col}{_ROW}"{s} t="inlineStr"><is><t{_text_tail(v)}'
    if isinstance(v, bool):
        return f'<c r="{col}{_ROW}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{col}{_ROW}"{s}><v>{v!r}</v></c>'
    if isinstance(v, _dt.datetime):
        serial = (v - _EPOCH).total_seconds() / 86400
        return f'<c r="{col}{_ROW}"{s}><v>{serial!r}</v></c>'
    t = _escape(clean_text(str(v)))
    return f'<c r="{col}{_ROW}"{s} t="inlineStr"><is><t>{t}</t></is></c>'


@lru_cache(maxsize=65536)
def _text_tail(value: str) -> str:
    """An inline string cell after its ``<t``: xml:space if needed, the escaped text, the closing
    tags. The same names and file names recur in several tables."""
    t = _escape(clean_text(value))
    space = ' xml:space="preserve"' if t != t.strip() else ""
    return f"{space}>{t}</t></is></c>"


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


@lru_cache(maxsize=16384)
def _names(path: tuple[str, ...]) -> tuple[str | None, ...]:
    """一级, 二级, 三级 (deeper levels joined into the last column). Cached: every unit has the same paths."""
    names: list[str | None] = [*path[:2], " / ".join(path[2:]) or None]
    names += [None] * (3 - len(names))
    return tuple(names[:3])


class _NamesByPath(dict):  # type: ignore[type-arg]
    """path -> _names(path): a plain dict look-up per leaf (every unit has the same few paths)."""

    def __missing__(self, path: tuple[str, ...]) -> tuple[str | None, ...]:
        names = self[path] = _names(path)
        return names


def _local(ts: float | None) -> _dt.datetime | None:
    if ts is None:
        return None
    return _dt.datetime.fromtimestamp(ts).replace(microsecond=0)


def _bar_chart(ws: Any, title: str, x_title: str, header_row: int, last_row: int, width: float, anchor: str,
               height: float = 6.5) -> None:
    """A column chart of 单位数 (column B) by the labels in column A, rows header_row+1..last_row."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "单位数"
    chart.x_axis.title = x_title
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=header_row, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    chart.height, chart.width = height, width
    ws.add_chart(chart, anchor)


def _decimals(values: Sequence[Any]) -> int:
    """How many decimals (0, 1 or 2) the numbers of a column need: one convention per column."""
    need = 0
    for v in set(values):
        if v.__class__ is not float or v != v or v in (float("inf"), float("-inf")):
            continue
        if abs(v - round(v)) > 1e-9:
            need = 1 if abs(v * 10 - round(v * 10)) <= 1e-6 else 2
            if need == 2:
                break
    return need


def _number(values: Sequence[Any]) -> Style:
    """The column's number style: 0, 0.0 or 0.00, as its values need."""
    return Style(DECIMAL_FMTS[_decimals(values)])


_COUNTY = re.compile(r"^.{1,12}?(?:自治县|自治旗|县|区|市|旗)")


def _county(units: Sequence[str]) -> str:
    """The county (县/区/市/旗) the units' names share, "" when they do not share one."""
    prefixes = {m.group(0) if (m := _COUNTY.match(u)) else "" for u in units if u}
    return prefixes.pop() if len(prefixes) == 1 else ""


def _plain(v: Any) -> Any:
    return v.value if v.__class__ is Styled else v


class _Book:
    def __init__(self, wb: Any, summary: Summary):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = wb
        self.s = summary
        self.Cell = WriteOnlyCell
        self.Fill = PatternFill
        self.bold = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        # wrapped text a little apart from the number before it; every data cell at the top of its row
        self.wrap = Alignment(wrap_text=True, vertical="top", indent=1)
        self.top = Alignment(vertical="top")
        self.center = Alignment(vertical="top", horizontal="center")
        self._fills: dict[str, Any] = {}
        self.tables: list[FastTable] = []
        self.scales: dict[str, float] = {}  # sheet -> the print scale "one page wide" gives it
        self._print_cols = 0
        labels = summary.grading.labels
        # style variants: 0 plain, then one per grade / status
        self.grade_variant = {g: i + 1 for i, g in enumerate(labels)}
        self.grade_styles = [PLAIN] + [Style(fill=self.grade_fill(g)) for g in labels]
        self.status_variant = {st: i + 1 for i, st in enumerate(STATUS_FILLS)}
        self.status_variant[NOT_SUBMITTED_KEY] = len(STATUS_FILLS) + 1
        self.status_styles = [PLAIN] + [Style(fill=f) for f in STATUS_FILLS.values()] + \
                             [Style(fill=NOT_SUBMITTED_FILL)]
        county = _county([e.unit_shown for e in summary.ranked])
        year = f"{summary.year}年度" if summary.year else ""
        self.title_stem = f"{county}{year}部门整体支出绩效评价"

    # -- helpers ------------------------------------------------------------------------------
    def fill(self, color: str) -> Any:
        if color not in self._fills:
            self._fills[color] = self.Fill("solid", fgColor=color)
        return self._fills[color]

    def page_title(self, sheet: str) -> str:
        if sheet == "汇总":
            return f"{self.title_stem}结果汇总表"
        return f"{self.title_stem}汇总 — {sheet}"

    def sheet(self, title: str, header: Sequence[str], widths: Sequence[float], freeze: str = "A2",
              print_cols: int | None = None) -> Any:
        """A sheet with its header row; printed A4 landscape, one page wide (the first ``print_cols``
        columns: long columns a reader of the paper does not need are left off), the title and print
        date at the top and page numbers at the foot of every page, the header row repeated."""
        ws = self.wb.create_sheet(title)
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[_col(i)].width = width
        ws.freeze_panes = freeze
        n = print_cols or len(header)
        scale = fit_scale(widths[:n])
        self.scales[title] = scale
        self._print_cols = n
        # set before the first row: write-only writes the top of the sheet first
        fits = scale >= MIN_PRINT_SCALE
        page_setup(ws, title_rows="1:1", title=self.page_title(title), print_date=True, footer=PAGE_NUMBERS,
                   fit_width=fits, scale=None if fits else round(MIN_PRINT_SCALE * 100))
        lines = max((wrapped_lines(h, w) for h, w in zip(header, widths)), default=1)
        ws.row_dimensions[1].height = row_height(max(lines, 2)) if lines > 1 else 20
        ws.append([self.header(ws, h) for h in header])
        return ws

    def header(self, ws: Any, text: str) -> Any:
        c = self.Cell(ws, clean_text(text))  # level-1 names in 汇总's header come from the submissions
        c.data_type = "s"
        c.font, c.fill, c.alignment = self.bold, self.header_fill, self.header_align
        return c

    def table(self, title: str, header: Sequence[str], widths: Sequence[float],
              columns: Sequence[Any], freeze: str = "A2", print_cols: int | None = None) -> FastTable:
        """A plain table whose rows are filled in after saving (see fill_fast_tables). ``columns``: each
        column's Style, or a list of its style variants (variant 0 first)."""
        ws = self.sheet(title, header, widths, freeze, print_cols)
        variants: list[list[Style]] = [list(c) if isinstance(c, (list, tuple)) else [c] for c in columns]
        n = max(len(v) for v in variants)
        for k in range(n):
            probe = []
            for col in variants:
                style = col[k] if k < len(col) else col[0]
                c = self.Cell(ws, "x")
                if style.fmt:
                    c.number_format = style.fmt
                if style.fill:
                    c.fill = self.fill(style.fill)
                c.alignment = self.wrap if style.wrap else (self.center if style.center else self.top)
                probe.append(c)
            ws.append(probe)
        t = FastTable(title, n)
        self.tables.append(t)
        self._ws = ws
        return t

    def finish(self, ncols: int, nrows: int) -> None:
        last = max(nrows, 1) + 1
        self._ws.auto_filter.ref = f"A1:{_col(ncols)}{last}"
        self._ws.print_area = f"A1:{_col(self._print_cols)}{last}"

    @staticmethod
    def heights(wrapped: Sequence[tuple[Sequence[Any], float]]) -> list[float | None] | None:
        """Each row's height for its wrapped cells (``(column values, column width)`` pairs); None when
        every row holds one line."""
        per_column = []
        for values, width in wrapped:
            lines = {v: wrapped_lines(v, width) if v.__class__ is str else 1 for v in set(values)}
            per_column.append(list(map(lines.__getitem__, values)))
        if not per_column:
            return None
        most = per_column[0] if len(per_column) == 1 else list(map(max, *per_column))
        if max(most, default=1) <= 1:
            return None
        height = {n: None if n <= 1 else row_height(n) for n in set(most)}
        return list(map(height.__getitem__, most))

    def text(self, ws: Any, value: str | None, fill: str | None = None) -> Any:
        """A text cell on an openpyxl-written sheet: never a formula, never an illegal character."""
        if value is None:
            return None
        c = self.Cell(ws, clean_text(str(value)))
        c.data_type = "s"
        if fill:
            c.fill = self.fill(fill)
        return c

    def num(self, ws: Any, value: float | int | None, fmt: str) -> Any:
        if value is None:
            return None
        c = self.Cell(ws, value)
        c.number_format = fmt
        return c

    def grade_fill(self, grade: str | None) -> str | None:
        """Best band green, then blue, then yellow; the lowest band red."""
        labels = self.s.grading.labels
        if grade not in labels:
            return None
        i = labels.index(grade)
        return GRADE_FILLS[-1] if i == len(labels) - 1 else GRADE_FILLS[min(i, len(GRADE_FILLS) - 2)]

    def grade(self, grade: str | None) -> Any:
        return Styled(grade, self.grade_variant.get(grade, 0)) if grade else None

    def status(self, status: str) -> Any:
        if status == NOT_SUBMITTED_KEY:
            return Styled(NOT_SUBMITTED, self.status_variant[status])
        return Styled(STATUS_LABELS[status], self.status_variant[status])

    # -- sheets ---------------------------------------------------------------------------------
    def summary_sheet(self) -> None:
        """The official results table: every unit that submitted anything — ranked units first, then
        units whose files could not be scored, then listed units that sent nothing — with its status.
        Printed without the 文件 column (about 30 units a page)."""
        from xladdin.consolidation.units import unscored_units

        s = self.s
        nl = len(s.level1)
        tail = summary_tail(s)
        measured = tail != SUMMARY_TAIL  # 自评偏高, Σ差异 after 警告数
        header = SUMMARY_FIXED + tuple(name for _, name in s.level1) + tail

        def high(e: Any) -> list[Any]:
            count, diff = measured_cells(e)
            return [Styled(count, 1), Styled(diff, 1)] if count else [count, diff]

        rows: list[list[Any]] = []
        for n, e in enumerate(s.ranked, 1):
            scores = s.level1_scores(e)
            rows.append([n, e.unit_shown, e.year_used, e.total_score, self.grade(e.grade), e.rank,
                         *(scores.get(k) for k, _ in s.level1),
                         e.total_deduction, e.errors, e.warnings, *(high(e) if measured else ()),
                         self.status(e.status), e.display])
        for n, u in enumerate(unscored_units(s), len(rows) + 1):
            f = u.entry
            rows.append([n, u.unit, (f.year if f is not None else None) or s.year, None, None, None,
                         *([None] * nl), None, None, None, *((None, None) if measured else ()),
                         self.status(u.status), f.display if f is not None else None])
        cols = list(zip(*rows)) if rows else [()] * len(header)
        widths = [5, column_width(set(cols[1]), "单位", lo=10, hi=30), 6, 7, 6, 6,
                  *(column_width(set(cols[6 + i]), name, lo=7, hi=12) for i, (_, name) in enumerate(s.level1)),
                  8, 6, 6, *((10, 7) if measured else ()),  # 自评偏高 on one line
                  column_width({_plain(v) for v in cols[-2]}, "状态", lo=8, hi=18),
                  column_width(set(cols[-1]), "文件", lo=10, hi=70)]
        columns = [PLAIN, PLAIN, PLAIN, _number(cols[3]), self.grade_styles, Style(COUNT_FMT)] + \
                  [_number(cols[6 + i]) for i in range(nl)] + \
                  [_number(cols[6 + nl]), PLAIN, PLAIN] + \
                  ([[Style(COUNT_FMT), Style(COUNT_FMT, WARNING_FILL)],
                    [Style(diff_fmt := _number([_plain(v) for v in cols[10 + nl]]).fmt),
                     Style(diff_fmt, WARNING_FILL)]] if measured else []) + \
                  [self.status_styles, PLAIN]
        t = self.table("汇总", header, widths, columns, freeze="C2", print_cols=len(header) - 1)
        t.rows = rows
        self.finish(len(header), len(t.rows))

    def detail_sheet(self) -> None:
        # a column at a time (one row per leaf of each unit, best unit first)
        ranked = self.s.ranked
        leaves = [leaf for e in ranked for leaf in e.leaves]
        counts = [len(e.leaves) for e in ranked]
        units = list(chain.from_iterable(map(repeat, [e.unit_shown for e in ranked], counts)))
        files = list(chain.from_iterable(map(repeat, [e.display for e in ranked], counts)))
        names = list(map(_NamesByPath().__getitem__, map(attrgetter("path"), leaves)))
        name_columns = [list(map(itemgetter(i), names)) for i in range(3)]
        weights = list(map(attrgetter("weight"), leaves))
        deductions = list(map(attrgetter("deduction"), leaves))
        scores = list(map(attrgetter("score"), leaves))
        rates = [s / w if s is not None and w else None for s, w in zip(scores, weights)]
        reasons = [leaf.reason or None for leaf in leaves]
        widths = [column_width(set(units), "单位", lo=10, hi=28),
                  *(column_width(set(c), h, lo=8, hi=hi) for c, h, hi in zip(name_columns, DETAIL_HEADER[1:4],
                                                                             (14, 18, 24))),
                  6, 6, 6, 7, column_width(set(reasons), "扣分原因", lo=16, hi=40),
                  column_width(set(files), "文件", lo=10, hi=70), 7]
        columns = [PLAIN, Style(wrap=True), Style(wrap=True), Style(wrap=True), _number(weights),
                   _number(deductions), _number(scores), Style(RATE_FMT), Style(wrap=True), PLAIN, PLAIN]
        t = self.table("明细", DETAIL_HEADER, widths, columns, print_cols=9)
        t.columns = [units, *name_columns, weights, deductions, scores, rates, reasons, files,
                     list(map(attrgetter("cell"), leaves))]
        t.heights = self.heights([(c, w) for c, w in zip(name_columns, widths[1:4])] + [(reasons, widths[8])])
        self.finish(len(DETAIL_HEADER), len(leaves))

    def deduction_sheet(self) -> None:
        rows: list[list[Any]] = []
        for e in self.s.ranked:
            for leaf in e.leaves:
                if leaf.deduction is None or abs(leaf.deduction) <= 0.005:
                    continue
                rows.append([e.unit_shown, *_names(leaf.path), leaf.weight, leaf.deduction, leaf.score,
                             leaf.reason or None, e.display, leaf.dcell])
        cols = list(zip(*rows)) if rows else [()] * len(DEDUCTION_HEADER)
        widths = [column_width(set(cols[0]), "单位", lo=10, hi=28),
                  *(column_width(set(cols[i]), DEDUCTION_HEADER[i], lo=8, hi=hi)
                    for i, hi in ((1, 14), (2, 18), (3, 24))),
                  6, 6, 6, column_width(set(cols[7]), "扣分原因", lo=16, hi=48),
                  column_width(set(cols[8]), "文件", lo=10, hi=70), 7]
        columns = [PLAIN, Style(wrap=True), Style(wrap=True), Style(wrap=True), _number(cols[4]), _number(cols[5]),
                   _number(cols[6]), Style(wrap=True), PLAIN, PLAIN]
        t = self.table("扣分明细", DEDUCTION_HEADER, widths, columns, print_cols=8)
        t.rows = rows
        t.heights = self.heights([(cols[i], widths[i]) for i in (1, 2, 3, 7)]) if rows else None
        self.finish(len(DEDUCTION_HEADER), len(t.rows))

    def stats_sheet(self) -> None:
        rows = [[*_names(st.names), st.weight, st.units, st.mean_score, st.mean_rate, st.deducted_units,
                 st.min_score, st.total_deduction, _stat_note(st)] for st in self.s.indicators]
        cols = list(zip(*rows)) if rows else [()] * len(STATS_HEADER)
        widths = [*(column_width(set(cols[i]), STATS_HEADER[i], lo=8, hi=hi) for i, hi in ((0, 14), (1, 18), (2, 24))),
                  6, 6, 7, 7, 7, 7, 7, column_width(set(cols[10]), "说明", lo=10, hi=44)]
        columns = [Style(wrap=True), Style(wrap=True), Style(wrap=True), _number(cols[3]), Style(COUNT_FMT),
                   Style(SCORE_FMT), Style(RATE_FMT), Style(COUNT_FMT), _number(cols[8]), _number(cols[9]),
                   Style(wrap=True)]
        t = self.table("指标统计", STATS_HEADER, widths, columns)
        t.rows = rows
        t.heights = self.heights([(cols[i], widths[i]) for i in (0, 1, 2, 10)]) if rows else None
        self.finish(len(STATS_HEADER), len(t.rows))

    def grade_sheet(self) -> None:
        s = self.s
        ws = self.sheet("等级分布", GRADE_HEADER, (12, 8, 8), freeze="A2")
        total = sum(n for _, n in s.grade_counts)
        for label, n in s.grade_counts:
            ws.append([self.text(ws, label, fill=self.grade_fill(label)), n,
                       self.num(ws, (n / total) if total else 0.0, RATE_FMT)])
        ws.append([self.text(ws, "合计"), total, self.num(ws, 1.0 if total else 0.0, RATE_FMT)])
        grades_end = 1 + len(s.grade_counts)
        ws.append([])
        bins_header_row = grades_end + 3
        ws.append([self.header(ws, h) for h in BINS_HEADER])
        for label, n in s.score_bins:
            ws.append([label, n])
        bins_end = bins_header_row + len(s.score_bins)

        # both charts on the first page, one above the other (a page break never cuts one)
        _bar_chart(ws, "等级分布", "等级", 1, grades_end, width=14, anchor="E2")
        _bar_chart(ws, "总分分布", "总分", bins_header_row, bins_end, width=16, anchor="E17")

    def issues_sheet(self) -> None:
        severity = [PLAIN, Style(fill="FFC7CE"), Style(fill="FFEB9C")]
        rows: list[list[Any]] = []
        for e in self.s.entries:
            for i in e.issues:
                label = Styled(SEVERITY_LABEL.get(i.severity, i.severity), 1 if i.severity == "error" else 2)
                rows.append([e.display, e.unit_shown or e.unit, label, i.code, i.cell,
                             " / ".join(i.path) if i.path else None, i.message])
        cols = list(zip(*rows)) if rows else [()] * len(ISSUES_HEADER)
        widths = [column_width(set(cols[0]), "文件", lo=12, hi=30), column_width(set(cols[1]), "单位", lo=8, hi=24),
                  6, column_width(set(cols[3]), "代码", lo=8, hi=22), 7,
                  column_width(set(cols[5]), "指标", lo=8, hi=24), column_width(set(cols[6]), "说明", lo=20, hi=52)]
        columns = [Style(wrap=True), Style(wrap=True), severity, PLAIN, PLAIN, Style(wrap=True), Style(wrap=True)]
        t = self.table("校验问题", ISSUES_HEADER, widths, columns)
        t.rows = rows
        t.heights = self.heights([(cols[i], widths[i]) for i in (0, 1, 5, 6)]) if rows else None
        self.finish(len(ISSUES_HEADER), len(t.rows))

    def ledger_sheet(self) -> None:
        from xladdin.consolidation.units import NOT_SUBMITTED_MESSAGE

        rows: list[list[Any]] = []
        for n, e in enumerate(self.s.entries, 1):
            rows.append([n, e.display, self.status(e.status), e.unit_shown or e.unit,
                         e.year_used if e.readable else e.year, e.total_score, self.grade(e.grade), e.errors,
                         e.warnings, e.message, _local(e.mtime), e.status])
        for n, unit in enumerate(self.s.missing_units, len(rows) + 1):
            rows.append([n, None, self.status(NOT_SUBMITTED_KEY), unit, self.s.year, None, None, None, None,
                         NOT_SUBMITTED_MESSAGE, None, NOT_SUBMITTED_KEY])
        from xladdin.consolidation.discover import shown_path

        found = [(e.file, e.display) for e in self.s.entries]
        for n, (path, reason) in enumerate(self.s.ignored, len(rows) + 1):  # nothing passed over silently
            rows.append([n, shown_path(path, found), IGNORED_LABEL, None, None, None, None, None, None, reason, None,
                         IGNORED_KEY])
        cols = list(zip(*rows)) if rows else [()] * len(LEDGER_HEADER)
        statuses = [_plain(v) for v in cols[2]]
        widths = [5, column_width(set(cols[1]), "文件", lo=12, hi=30), column_width(set(statuses), "状态", lo=6, hi=18),
                  column_width(set(cols[3]), "单位", lo=8, hi=24), 6, 7, 6, 6, 6,
                  column_width(set(cols[9]), "说明", lo=20, hi=46), 18, 16]
        columns = [PLAIN, Style(wrap=True), self.status_styles, Style(wrap=True), PLAIN, _number(cols[5]),
                   self.grade_styles, PLAIN, PLAIN, Style(wrap=True), Style("yyyy-mm-dd hh:mm:ss"), PLAIN]
        t = self.table("文件清单", LEDGER_HEADER, widths, columns, print_cols=len(LEDGER_HEADER) - 1)
        t.rows = rows
        t.heights = self.heights([(cols[1], widths[1]), (statuses, widths[2]), (cols[3], widths[3]),
                                  (cols[9], widths[9])]) if rows else None
        self.finish(len(LEDGER_HEADER), len(t.rows))


def _stat_note(st: Any) -> str | None:
    """What 指标统计's figures of one indicator are over, where that is not simply every unit."""
    from xladdin.core.numbers import fmt

    notes = []
    if st.other_weights and st.weight is not None:
        others = "、".join(fmt(w) for w in st.other_weights)
        notes.append(f"有单位的分值为 {others}（多数为 {fmt(st.weight)}）：平均得分率是各单位得分率的平均，"
                     f"不等于 平均得分 ÷ 分值")
    if st.scored < st.units:
        notes.append(f"{st.units - st.scored} 个单位未填得分：平均得分、最低得分按 {st.scored} 个单位计算")
    if st.rated < st.scored:
        notes.append(f"平均得分率按有分值的 {st.rated} 个单位计算")
    return "；".join(notes) + "。" if notes else None


__all__ = ["write_summary", "check_output", "clean_text", "fill_fast_tables"]
