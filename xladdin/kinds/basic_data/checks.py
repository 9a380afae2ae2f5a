"""The 基础数据 sheet's own arithmetic: it needs no scoring rule and catches the seed's kind of error
(支出预算 by function 51.87 + 11.82 + 16.57 + 215.08 = 295.34, but 年初预算 297.80)."""

from __future__ import annotations

from collections.abc import Iterator

from xladdin.core import catalogue
from xladdin.core.model import Issue
from xladdin.core.numbers import fmt
from xladdin.kinds.basic_data.items import AMOUNT, BY_CODE, ITEMS, OPEN_PARTS, PERSONS, label, show
from xladdin.kinds.basic_data.parse import COLUMN_LABEL, CURRENT, PREVIOUS, BasicData

TOLERANCE = 0.005


def _m(x: float) -> str:
    return show("B01", x) if not float(x).is_integer() else fmt(x)  # amounts are in 万元 with 2 decimals
CARRY_TOLERANCE = 0.01


def _given(data: BasicData, code: str, col: str) -> float | None:
    """The value as entered (a total derived from its parts is not 'given')."""
    e = data.entries.get(code)
    if e is None or col in e.derived:
        return None
    return e.values.get(col)


def check_basic_data(data: BasicData) -> Iterator[Issue]:
    yield from data.read_issues
    sheet = data.sheet
    for e in data.entries.values():
        item = BY_CODE.get(e.code) or BY_CODE.get(e.code.split(".")[0])
        for col in (CURRENT, PREVIOUS):
            v = _given(data, e.code, col)
            if v is None or item is None:
                continue
            what = f"{label(e.code)}的{COLUMN_LABEL[col]}数"
            if v < 0 and e.code != "B03":
                yield catalogue.issue("basic-data-value", cell=e.cells.get(col), sheet=sheet, form="negative",
                                      what=what, value=_m(v))
            elif item.unit == PERSONS and not float(v).is_integer():
                yield catalogue.issue("basic-data-value", cell=e.cells.get(col), sheet=sheet, form="integer",
                                      what=what, value=_m(v))
    for item in ITEMS:
        parts = list(item.parts)
        if item.code in OPEN_PARTS:
            parts = [c for c in data.entries if c.startswith(item.code + ".")]
        for col in (CURRENT, PREVIOUS):
            if parts:
                total = _given(data, item.code, col)
                present = [v for v in (data.value(p, col) for p in parts) if v is not None]
                if total is not None and present:
                    s = round(sum(present), 6)
                    if abs(s - total) > TOLERANCE:
                        yield catalogue.issue(
                            "basic-data-parts", cell=data.cell(item.code, col), sheet=sheet,
                            expected=s, actual=total, what=f"{label(item.code)}的{COLUMN_LABEL[col]}数",
                            total=_m(total), parts=" + ".join(_m(v) for v in present), sum=_m(s),
                            difference=_m(round(abs(total - s), 6)))
            if item.within:
                part, whole = data.value(item.code, col), data.value(item.within, col)
                if part is not None and whole is not None and abs(part) > abs(whole) + TOLERANCE:
                    yield catalogue.issue(
                        "basic-data-parts", cell=data.cell(item.code, col), sheet=sheet, form="within",
                        expected=whole, actual=part, part=label(item.code), whole=label(item.within),
                        column=COLUMN_LABEL[col], value=_m(part), limit=_m(whole))
    for col in (CURRENT, PREVIOUS):
        b01, b02, b03, b04 = (_given(data, c, col) for c in ("B01", "B02", "B03", "B04"))
        if None not in (b01, b02, b03, b04):
            assert b01 is not None and b02 is not None and b03 is not None and b04 is not None
            s = round(b01 + b02 + b03, 6)
            if abs(s - b04) > TOLERANCE:
                yield catalogue.issue(
                    "basic-data-budget", cell=data.cell("B04", col), sheet=sheet, expected=s, actual=b04,
                    column=COLUMN_LABEL[col], budget=_m(b04), initial=_m(b01), carried=_m(b02),
                    adjusted=_m(b03), sum=_m(s),
                    difference=_m(round(abs(b04 - s), 6)))
        b04, b05, b06 = data.value("B04", col), data.value("B05", col), _given(data, "B06", col)
        if b04 is not None and b05 is not None:
            if b05 > b04 + TOLERANCE:
                yield catalogue.issue(
                    "basic-data-overspend", cell=data.cell("B05", col), sheet=sheet, expected=b04, actual=b05,
                    column=COLUMN_LABEL[col], spent=_m(b05), budget=_m(b04), difference=_m(round(b05 - b04, 6)))
            elif b06 is not None and abs(round(b04 - b05, 6) - b06) > CARRY_TOLERANCE:
                yield catalogue.issue(
                    "basic-data-carry", cell=data.cell("B06", col), sheet=sheet, expected=round(b04 - b05, 6),
                    actual=b06, column=COLUMN_LABEL[col], carry=_m(b06), budget=_m(b04), spent=_m(b05),
                    rest=_m(round(b04 - b05, 6)))


__all__ = ["AMOUNT", "check_basic_data"]
