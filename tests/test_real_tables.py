"""The department tables of tests/corpus/real/ (transcribed from published reports, see its README)
read as a clerk's workbook of them would be: each JSON grid becomes an .xlsx (plain numbers shown on
the page become number cells), is read by the department kind and checked, and the result is compared
with the ``expected.reader`` block: total, grade, unit, year, and ``expected.issues`` — the issues the
table really has, [code, cell] as verified by hand against the grid.

Many stored copies are cut off (the row holding “truncated in the stored copy” and everything after it
is dropped): for those ``expected.truncation_issues`` lists the issues the cut itself causes (the last
block's weights no longer add up, the table no longer totals 100); nothing else may be reported on the
visible part. ``expected.reader.exception`` names a table the reader does not take, and why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xladdin.core.report import Report
from xladdin.engine import evaluate, read_table
from xladdin.errors import InputError
from xladdin.kinds import DEPARTMENT

CORPUS = Path(__file__).parent / "corpus" / "real"
DEPARTMENT_TABLES = sorted(CORPUS.glob("dept-*.json"))
_CUT = re.compile(r"truncated in the stor|rest truncated")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def is_truncated(d: dict[str, Any]) -> bool:
    return any(isinstance(v, str) and _CUT.search(v) for row in d["rows"] for v in row)


def _cell(v: Any) -> Any:
    if isinstance(v, str) and _PLAIN_NUMBER.match(v.strip()):
        x = float(v)
        return int(x) if x.is_integer() and "." not in v else x
    return v


def workbook_of(d: dict[str, Any], path: Path) -> Path:
    """The grid as a workbook, up to (not including) the row where the stored copy was cut."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    for r, row in enumerate(d["rows"], 1):
        if any(isinstance(v, str) and _CUT.search(v) for v in row):
            break
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, _cell(v))
    wb.save(path)
    return path


def report_of(path: Path) -> Report | str:
    """The department kind's report of the workbook, or the reader's message when it takes none."""
    try:
        table = read_table(path, kinds=(DEPARTMENT,))
    except InputError as exc:
        return str(exc)
    table.kind = DEPARTMENT.name
    return evaluate(table)


def summary(rep: Report | str) -> dict[str, Any]:
    if isinstance(rep, str):
        return {"read": False}
    t = rep.table
    assert t is not None
    total = rep.total_score
    return {"read": True, "total": None if total is None else round(total, 4), "grade": rep.grade,
            "unit": t.unit, "year": t.year}


@pytest.mark.parametrize("source", DEPARTMENT_TABLES, ids=[p.stem for p in DEPARTMENT_TABLES])
def test_real_department_table(tmp_path, source):
    d = json.loads(source.read_text(encoding="utf-8"))
    expected = d["expected"]
    reader = expected["reader"]
    rep = report_of(workbook_of(d, tmp_path / (source.stem + ".xlsx")))
    if not reader.get("read", True) or reader.get("exception"):
        # a fragment with no indicator table, or a named exception: whether it is read is pinned
        assert isinstance(rep, str) == (not reader.get("read", True)), f"{source.name}: update its expected block"
        return
    assert summary(rep) == {"read": True, **{k: reader[k] for k in ("total", "grade", "unit", "year")}}
    assert isinstance(rep, Report)
    got = sorted([i.code, i.cell] for i in rep.issues)
    want = sorted(expected["issues"] + expected.get("truncation_issues", []))
    assert got == want
    assert all(i.cell for i in rep.issues), "every issue has a cell"


def test_corpus_pass_rate_is_stated():
    """The department corpus: how many tables the reader takes (the rest are named exceptions)."""
    ds = [json.loads(p.read_text(encoding="utf-8")) for p in DEPARTMENT_TABLES]
    assert len(ds) >= 14
    exceptions = [d for d in ds if d["expected"]["reader"].get("exception")]
    assert len(exceptions) <= 3  # dept-02, -08, -10: see expected.reader.exception in each
