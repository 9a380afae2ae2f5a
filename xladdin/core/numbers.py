"""Turning what clerks type into numbers.

Excel cells arrive as float/int/bool/date/str. A number stored as text ("3", " 2 ", "3分",
full-width "３", "0.5") is read as a number but reported; anything else in a number cell is bad.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

TOLERANCE = 0.005

Kind = Literal["blank", "number", "text-number", "bad"]

# Cells clerks fill with a dash or slash to mean "nothing here".
_BLANK_MARKS = {"-", "—", "–", "/", "／", "－", "——", "无", "\\"}
# "不扣分" and its kin in a 扣分 cell: no deduction.
_NO_DEDUCTION = {"不扣分", "未扣分", "无扣分", "不扣", "扣0分"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$")
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!",
                 "#CALC!"}


@dataclass(slots=True, frozen=True)
class Parsed:
    kind: Kind
    value: float | None = None
    raw: Any = None

    @property
    def is_number(self) -> bool:
        return self.kind in ("number", "text-number")


# Control characters cannot be stored in a worksheet (and mean nothing to a clerk): dropped on reading.
# So are C1 controls and the noncharacters U+FFFE/U+FFFF, which no workbook can store.
# Zero-width spaces and joiners, the word joiner and a BOM (U+FEFF) pasted from web pages or text files are
# invisible: dropped too, so "\u200b一级指标" is still a header and "决策\ufeff" still a duplicate of "决策".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff]")
MAX_TEXT = 2000  # longer cell text is cut: names and reasons are a few dozen characters


@lru_cache(maxsize=8192)
def normalize_text(text: str) -> str:
    """NFKC (full-width -> half-width), no line breaks, trimmed."""
    return clean_text(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=16384)
def clean_text(text: str) -> str:
    """User text kept as written (no width folding): trimmed, line breaks, control characters and
    ideographic spaces removed, at most MAX_TEXT characters."""
    text = _CONTROL.sub("", text.replace("\r", "").replace("\n", "").replace("\u3000", " ")).strip()
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Normalised text with every blank removed: for matching header and label names."""
    return re.sub(r"\s+", "", normalize_text(text))


def clean_float(x: float) -> float:
    """Remove float noise such as 2.9999999999999996 (Excel arithmetic), keep real decimals."""
    if x.is_integer():
        return x
    r = round(x, 6)
    return r if abs(x - r) < 1e-9 else x


def is_excel_error(value: Any) -> bool:
    return isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS


def describe_value(value: Any) -> str:
    """How a non-number looks to a clerk: 逻辑值 TRUE, 日期 2023-01-05, “三”."""
    if isinstance(value, bool):
        return f"逻辑值 {'TRUE' if value else 'FALSE'}"
    if isinstance(value, _dt.datetime):
        return f"日期时间 {value:%Y-%m-%d %H:%M}"
    if isinstance(value, _dt.date):
        return f"日期 {value:%Y-%m-%d}"
    if isinstance(value, (_dt.time, _dt.timedelta)):
        return f"时间 {value}"
    text = normalize_text(str(value))
    if len(text) > 40:
        text = text[:40] + "…"
    return f"“{text}”"


def parse_number(value: Any) -> Parsed:
    if value is None:
        return Parsed("blank", None, value)
    if isinstance(value, bool):
        return Parsed("bad", None, value)
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):  # NaN / inf
            return Parsed("bad", None, value)
        return Parsed("number", clean_float(float(value)), value)
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        return Parsed("bad", None, value)
    if isinstance(value, str):
        text = normalize_text(value)
        if text == "":
            return Parsed("blank", None, value)
        if text in _BLANK_MARKS:
            return Parsed("blank", None, value)
        t = re.sub(r"\s+", "", text)
        if t in _NO_DEDUCTION:
            return Parsed("text-number", 0.0, value)
        if t.startswith("扣") and t.endswith("分"):  # 扣1分, 扣0.5分: a deduction written as a phrase
            t = t[1:]
        if t.endswith("分"):
            t = t[:-1]
        if _DECIMAL_COMMA.match(t):
            t = t.replace(",", ".")  # "5,0", "2,5": a decimal comma (a thousands comma has 3 digits after it)
        else:
            t = t.replace(",", "")
        if _NUM_RE.match(t):
            x = float(t)
            if x in (_INF, -_INF):  # "1e400": a number past what any cell can hold
                return Parsed("bad", None, value)
            return Parsed("text-number", clean_float(x), value)
        return Parsed("bad", None, value)
    return Parsed("bad", None, value)


def same(a: float | None, b: float | None, tol: float = TOLERANCE) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= tol


def fmt(x: float | None) -> str:
    """A number as a clerk writes it: 42, 2.5, 0.25 (no float noise, no trailing zeros)."""
    if x is None:
        return "（空）"
    if x != x:
        return "（非数字）"
    if x in (_INF, -_INF):
        return "（超出范围）" if x > 0 else "（负向超出范围）"
    if abs(x) >= 1e15:  # past what a clerk types: no 300-digit integers
        return f"{x:.6g}"
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.4f}".rstrip("0").rstrip(".")


_INF = float("inf")


_WEIGHT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<w>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分?\s*[)）]\s*$")


# "投入10分", "部门预算管理80分)" (a bracket lost in the published text): the weight needs its 分 then.
_WEIGHT_IN_NAME_LOOSE = re.compile(
    r"^(?P<name>.*?[^\d.．０-９\s])\s*[(（]?\s*(?P<w>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*[)）]?\s*$")


@lru_cache(maxsize=16384)
def split_weight_from_name(name: str) -> tuple[str, float | None]:
    """'相关性(5分)' -> ('相关性', 5.0); '目标任务（15分）' -> ('目标任务', 15.0).

    Linear time: the weight is looked for at the end (``_WEIGHT_TAIL``), never by a lazy name followed
    by blanks (``_WEIGHT_IN_NAME``'s form, quadratic on a name padded with thousands of blanks)."""
    text = name.strip()
    m = _WEIGHT_TAIL.search(text) or _WEIGHT_TAIL_LOOSE.search(text)
    bare = text[:m.start()].strip() if m else ""
    if not m or not bare or "\n" in bare:
        return name, None
    return bare, float(unicodedata.normalize("NFKC", m.group("w")))


# The same as _WEIGHT_IN_NAME / _WEIGHT_IN_NAME_LOOSE without the name: what search() finds first is what
# the lazy name of those leaves over, and every start is a bracket or follows a non-blank character.
# Possessive blanks (*+): a run of blanks is taken once, never given back a blank at a time.
_WEIGHT_TAIL = re.compile(r"[(（]\s*+(?P<w>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*+分?\s*+[)）]\s*$")
_WEIGHT_TAIL_LOOSE = re.compile(
    r"(?<=[^\d.．０-９\s])\s*+[(（]?\s*+(?P<w>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*+分\s*+[)）]?\s*$")
