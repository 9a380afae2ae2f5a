"""The summary's big tables are written as sheet XML built from cached per-value cell templates
(xladdin.outputs.summary_book._rows_xml). Values that are equal in Python but written differently (1, 1.0,
True; 0.0 and -0.0) must each be written as themselves, wherever they recur."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from xladdin.outputs.summary_book import FastTable, Styled, _rows_xml, clean_text, fill_fast_tables


def _reference_cell(col: str, r: int, v, styles) -> str:
    """One cell, written the plain way (a cell at a time, no caching)."""
    variant = 0
    if isinstance(v, Styled):
        v, variant = v
    if v is None or v == "":
        return ""
    s = styles.get((col, variant), "")
    if isinstance(v, str):
        t = clean_text(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if t != t.strip() else ""
        return f'<c r="{col}{r}"{s} t="inlineStr"><is><t{space}>{t}</t></is></c>'
    if isinstance(v, bool):
        return f'<c r="{col}{r}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{col}{r}"{s}><v>{v!r}</v></c>'
    if isinstance(v, dt.datetime):
        return f'<c r="{col}{r}"{s}><v>{(v - dt.datetime(1899, 12, 30)).total_seconds() / 86400!r}</v></c>'
    t = clean_text(str(v)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{col}{r}"{s} t="inlineStr"><is><t>{t}</t></is></c>'


def _reference(rows, styles, start=2) -> str:
    out = []
    for r, row in enumerate(rows, start):
        cells = "".join(_reference_cell("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i], r, v, styles) for i, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def _xml(rows, styles) -> str:
    return _rows_xml(FastTable("t", 1, rows=rows).column_values(), styles, start=2).decode("utf-8")


def test_equal_values_of_different_types_are_each_written_as_themselves():
    values = [1, 1.0, True, 1, True, 1.0, 0, 0.0, -0.0, False, -0.0, 0.0, "1", "1.0", None, ""]
    rows = [[v] for v in values] + [[v] for v in reversed(values)]
    xml = _xml(rows, {})
    assert xml == _reference(rows, {})
    cells = re.findall(r'<c r="A(\d+)"([^>]*)>(.*?)</c>', xml)
    written = {int(r): body for r, _, body in cells}
    assert written[2] == "<v>1</v>" and written[3] == "<v>1.0</v>" and written[4] == "<v>1</v>"
    assert written[8] == "<v>0</v>" and written[9] == "<v>0.0</v>" and written[10] == "<v>-0.0</v>"
    assert written[12] == "<v>-0.0</v>" and written[13] == "<v>0.0</v>"
    assert 16 not in written and 17 not in written  # None and "" leave the cell out


def test_a_float_column_keeps_negative_zero_apart():
    rows = [[0.0], [-0.0], [None], [2.5], [-0.0], [0.0]]
    assert _xml(rows, {}) == _reference(rows, {})
    rows = [[0.0], [0.0], [None]]  # no negative zero at all
    assert _xml(rows, {}) == _reference(rows, {})


def test_style_variants_nan_inf_dates_and_text_that_needs_escaping():
    styles = {("A", 0): ' s="3"', ("A", 1): ' s="4"', ("B", 0): "", ("C", 0): ' s="7"'}
    when = dt.datetime(2024, 3, 1, 12, 30, 15)
    rows = [
        [Styled("优", 1), float("nan"), when, " 前后空格 "],
        [Styled("优", 0), float("inf"), when, "a<b & c>d"],
        [Styled(1, 1), float("-inf"), None, "=SUM(A1:A2)"],
        [Styled(1.0, 1), 3, when.replace(second=16), "控制\x01字符"],
        [Styled(True, 1), 3.0, None, "=SUM(A1:A2)"],
        ["优", True, when, None],
    ]
    xml = _xml(rows, styles)
    assert xml == _reference(rows, styles)
    assert '<c r="A2" s="4" t="inlineStr"><is><t>优</t></is></c>' in xml
    assert '<c r="A3" s="3" t="inlineStr"><is><t>优</t></is></c>' in xml
    assert "<f>" not in xml and "=SUM(A1:A2)</t>" in xml  # text, never a formula


@pytest.mark.parametrize("chunk_rows", [7, 16384])
def test_ragged_rows_and_random_mixed_columns_match_the_plain_writer(monkeypatch, chunk_rows):
    from xladdin.outputs import summary_book as _summary_book

    monkeypatch.setattr(_summary_book, "_CHUNK_ROWS", chunk_rows)
    rng = random.Random(5)
    pool = [None, "", "单位", "单位", " x", 1, 1.0, True, False, 0, 0.0, -0.0, 2.5, float("nan"), Styled("错误", 1),
            Styled("警告", 2), dt.datetime(2023, 12, 31, 23, 59, 59), 10**20, -3]
    rows = [[rng.choice(pool) for _ in range(rng.randint(0, 6))] for _ in range(400)]
    rows.append([rng.choice(pool) for _ in range(6)])
    assert _xml(rows, {("A", 1): ' s="5"'}) == _reference(rows, {("A", 1): ' s="5"'})


def test_no_rows():
    assert _rows_xml(FastTable("t", 1).column_values(), {}, start=2) == b""


# -- the rewritten workbook -------------------------------------------------------------------------

def _skeleton(path, nrows: int) -> FastTable:
    """A write-only workbook with one probe row per style variant, as _Book.table writes it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    ws.append(["单位", "分值", "说明"])
    probe = [WriteOnlyCell(ws, "x") for _ in range(3)]
    probe[1].number_format = "0.00"
    ws.append(probe)
    wb.save(path)
    table = FastTable("表", 1)
    table.rows = [[f"单位{i % 7}", (i % 3) * 0.5 if i % 5 else i % 3, None if i % 4 else f"第{i}行 <说明>"]
                  for i in range(nrows)]
    return table


def _members(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_a_table_streamed_in_many_chunks_is_written_the_same(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from xladdin.outputs import summary_book as _summary_book

    one, many = tmp_path / "one.xlsx", tmp_path / "many.xlsx"
    fill_fast_tables(str(one), [_skeleton(one, 50)])
    monkeypatch.setattr(_summary_book, "_CHUNK_ROWS", 7)  # 50 rows: 8 chunks, compressed as they come
    fill_fast_tables(str(many), [_skeleton(many, 50)])
    assert _members(one) == _members(many)
    ws = load_workbook(many)["表"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 50 and rows[0] == ["单位0", 0, "第0行 <说明>"] and rows[1] == ["单位1", 0.5, None]
    assert ws["B3"].number_format == "0.00"


@pytest.mark.parametrize("chunk_rows", [7, 1000])
def test_a_failed_write_is_an_error_not_a_hang(tmp_path, monkeypatch, chunk_rows):
    import zipfile

    from xladdin.outputs import summary_book as _summary_book

    path = tmp_path / "out.xlsx"
    table = _skeleton(path, 50)
    monkeypatch.setattr(_summary_book, "_CHUNK_ROWS", chunk_rows)
    real_write = zipfile._ZipWriteFile.write

    def full(self, data):
        if self._zinfo.filename.startswith("xl/worksheets/"):
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full)
    with pytest.raises(OSError, match="No space left"):
        fill_fast_tables(str(path), [table])
