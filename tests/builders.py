"""Fixture workbooks for the tests, generated on the fly (nothing binary to keep in sync)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from xladdin.kinds.department.framework import SEED_DEDUCTIONS, SEED_FRAMEWORK, Leaf, Level
from xladdin.outputs.layout import DEFAULT_COLUMNS, Geometry, fill_values, write_table

# The real table (a copy of shared/fixtures/seed-yongjing-2023.xlsx, so a clone alone can run the tests).
SEED_FIXTURE = Path(__file__).resolve().parent / "data" / "seed-yongjing-2023.xlsx"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "seed-yongjing-2023.xlsx"
TITLE = "表1 永靖县工业和信息化局2023年度部门整体支出绩效评价指标评分表"


def grid_workbook(path: Path, rows: Sequence[Sequence[Any]], merges: Iterable[str] = (), sheet: str = "表1") -> Path:
    """A workbook from literal rows (None = blank) and merged ranges like 'A3:A9'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def seed_like(
    path: Path,
    *,
    leaves: Sequence[Leaf] = SEED_FRAMEWORK,
    deductions: dict | None = None,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    headers: dict[str, str] | None = None,
    title: str | None = TITLE,
    info_lines: Sequence[tuple[str, Any]] = (),
    merge: bool = True,
    totals: bool = True,
    edit=None,
    sheet: str = "表1",
) -> Path:
    """The seed framework (corrected to 100) in the familiar layout; ``edit(ws, geo)`` tweaks it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    geo = write_table(ws, leaves, columns=columns, headers=headers, title=title, info_lines=info_lines,
                      merge=merge, totals_label="合计" if totals else None)
    fill_values(ws, geo, leaves, SEED_DEDUCTIONS if deductions is None else deductions, totals=totals)
    if edit is not None:
        edit(ws, geo)
    wb.save(path)
    return path


def leaf_row(geo: Geometry, path: tuple[str, ...]) -> int:
    """Sheet row (1-based) of the leaf with this path in a seed_like table."""
    for leaf, r in zip(SEED_FRAMEWORK, geo.leaf_rows):
        if leaf.path == path:
            return r
    raise KeyError(path)


def two_level_framework() -> tuple[Leaf, ...]:
    spec = [("决策", 20, [("目标设定", 8), ("决策程序", 12)]),
            ("过程", 30, [("资金管理", 15), ("组织实施", 15)]),
            ("产出", 30, [("产出数量", 10), ("产出质量", 10), ("产出时效", 10)]),
            ("效益", 20, [("社会效益", 10), ("满意度", 10)])]
    return tuple(Leaf((Level(a, wa), Level(b, wb))) for a, wa, kids in spec for b, wb in kids)


def wps_like_xlsx(path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = ()) -> Path:
    """A minimal .xlsx as WPS and other tools write it: inline strings, no styles, no shared strings."""
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row, 1):
            ref = f"{get_column_letter(c)}{r}"
            if v is None:
                continue
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    merge_xml = ""
    if merges:
        merge_xml = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(sheet_rows)}</sheetData>{merge_xml}</worksheet>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def sheet_rows(path: Path, sheet: str | None = None) -> list[list[Any]]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    return [[c.value for c in row] for row in ws.iter_rows()]


def rewrite_sheet(src: Path, dst: Path, fn) -> Path:
    """A copy of a one-sheet .xlsx whose sheet XML went through ``fn`` (for hostile/odd XML)."""
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = fn(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return dst
