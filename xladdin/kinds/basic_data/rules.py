"""Scoring rules of the quantitative 共性指标, and the profiles that hold them.

A rule is data: a family (one of :data:`FAMILIES`), its parameters and the document it comes from.
A *profile* is one rule per indicator key; the default profile ``通用`` holds the most common rule
seen for each indicator, ``按比例`` the proportional variants (``profiles/*.tsv`` in this package).
A finance bureau sets its own rules in a ``评分规则`` sheet (or a .tsv/.csv/.xlsx file) with the
columns ``指标键 | 三级指标 | 规则类型 | 参数 | 规则说明 | 依据文件``; rows it leaves out keep the
default profile's rule.

Values are fractions (123.53% is 1.2353); a score is rounded to 2 decimals. Pure: no I/O except
:func:`load_profile_file`, which reads a file a user names.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from xladdin.core.numbers import fmt, squash
from xladdin.errors import ConfigError

# family -> Chinese name (what a bureau writes in 规则类型; either form is accepted)
FAMILIES: dict[str, str] = {
    "per_point_over": "每超一个百分点扣分",
    "per_point_short": "每低一个百分点扣分",
    "bands": "分档",
    "ratio": "按比例",
    "inverse_ratio": "反向比例",
    "linear_reverse": "线性反向",
    "binary": "达标得满分",
    "none": "无标准规则",
}
_FAMILY_BY_NAME = {squash(v): k for k, v in FAMILIES.items()} | {k: k for k in FAMILIES}
PROFILE_HEADER = ("指标键", "三级指标", "规则类型", "参数", "规则说明", "依据文件")
DEFAULT_PROFILE = "通用"
BUILTIN_PROFILES = ("通用", "按比例")


def pct(x: float) -> str:
    """1.23529 -> '123.53%'."""
    return f"{x * 100:.2f}%"


def r2(x: float) -> float:
    return round(x + 0.0, 2) + 0.0


@dataclass(frozen=True, slots=True)
class Band:
    op: str  # ">=", "<=", ">", "<", "=", "else"
    limit: float
    share: float

    def holds(self, v: float) -> bool:
        eps = 1e-9
        if self.op == ">=":
            return v >= self.limit - eps
        if self.op == "<=":
            return v <= self.limit + eps
        if self.op == ">":
            return v > self.limit + eps
        if self.op == "<":
            return v < self.limit - eps
        if self.op == "=":
            return abs(v - self.limit) <= eps
        return True

    def text(self) -> str:
        return "其他" if self.op == "else" else f"{self.op.replace('>=', '≥').replace('<=', '≤')}{pct(self.limit)}"


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    family: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # 规则说明 as the profile states it ("" -> described from the parameters)
    source: str = ""  # 依据文件
    profile: str = DEFAULT_PROFILE

    @property
    def description(self) -> str:
        return self.text or describe(self)


@dataclass(frozen=True, slots=True)
class Outcome:
    score: float | None  # None: the rule gives no score (family none)
    process: str  # how the score follows from the value, e.g. "超 23.53 个百分点 × 0.3 = 7.06 > 3 → 0"


def _p(rule: Rule, name: str, default: float) -> float:
    v = rule.params.get(name, default)
    return float(v)


def describe(rule: Rule) -> str:
    f = rule.family
    if f == "per_point_over":
        return (f"≤{pct(_p(rule, 'limit', 1))} 得满分，每超 1 个百分点扣分值的 {fmt(_p(rule, 'step', 0.1) * 100)}%，"
                "扣完为止")
    if f == "per_point_short":
        return (f"≥{pct(_p(rule, 'limit', 1))} 得满分，每低 {fmt(_p(rule, 'points', 1))} 个百分点扣分值的 "
                f"{fmt(_p(rule, 'step', 0.1) * 100)}%，扣完为止")
    if f == "bands":
        return "；".join(f"{b.text()} 得分值的 {fmt(b.share * 100)}%" for b in rule.params.get("bands", ()))
    if f == "ratio":
        return f"得分 = 分值 × 实际值 ÷ {pct(_p(rule, 'target', 1))}，最高满分"
    if f == "inverse_ratio":
        return f"≤{pct(_p(rule, 'target', 1))} 得满分，否则得分 = 分值 × {pct(_p(rule, 'target', 1))} ÷ 实际值"
    if f == "linear_reverse":
        t = _p(rule, "target", 1)
        return f"≤{pct(t)} 得满分，{pct(t)}–{pct(2 * t)} 之间按超出比例扣分，≥{pct(2 * t)} 得 0 分"
    if f == "binary":
        op = str(rule.params.get("op", ">="))
        return f"{op.replace('>=', '≥').replace('<=', '≤')}{pct(_p(rule, 'limit', 1))} 得满分，否则 0 分"
    return "无标准评分规则，只列测算值"


def apply(rule: Rule, value: float, weight: float) -> Outcome:
    """The score ``rule`` gives for ``value`` (a fraction) at ``weight`` points, with the working."""
    f, w = rule.family, weight
    if f == "per_point_over":
        limit, step = _p(rule, "limit", 1), _p(rule, "step", 0.1)
        over = r2((value - limit) * 100)
        if over <= 0:
            return Outcome(w, f"未超过 {pct(limit)} → 满分 {fmt(w)}")
        ded = r2(over * step * w)
        score = max(0.0, r2(w - ded))
        cmp = f" > {fmt(w)}" if ded > w else ""
        return Outcome(score, f"超 {over:.2f} 个百分点 × {fmt(r2(step * w))} = {fmt(ded)}{cmp} → {fmt(score)}")
    if f == "per_point_short":
        limit, step, points = _p(rule, "limit", 1), _p(rule, "step", 0.1), _p(rule, "points", 1)
        short = r2((limit - value) * 100)
        if short <= 0:
            return Outcome(w, f"达到 {pct(limit)} → 满分 {fmt(w)}")
        ded = r2(short / points * step * w)
        score = max(0.0, r2(w - ded))
        per = f"{fmt(points)} 个百分点" if points != 1 else "个百分点"
        return Outcome(score, f"低 {short:.2f} 个百分点，每{per}扣 {fmt(r2(step * w))}：扣 {fmt(ded)} → {fmt(score)}")
    if f == "bands":
        for b in rule.params.get("bands", ()):
            if b.holds(value):
                score = r2(w * b.share)
                return Outcome(score, f"{b.text()} 档，{fmt(w)} × {fmt(b.share * 100)}% = {fmt(score)}")
        return Outcome(0.0, "不在任何一档 → 0")
    if f == "ratio":
        target, cap = _p(rule, "target", 1), _p(rule, "cap", 1)
        share = min(value / target, cap) if target else cap
        score = max(0.0, r2(w * share))
        return Outcome(score, f"{fmt(w)} × min({pct(value)} ÷ {pct(target)}, {fmt(cap)}) = {fmt(score)}")
    if f == "inverse_ratio":
        target = _p(rule, "target", 1)
        if value <= target + 1e-12:
            return Outcome(w, f"未超过 {pct(target)} → 满分 {fmt(w)}")
        score = r2(w * target / value)
        return Outcome(score, f"{fmt(w)} × {pct(target)} ÷ {pct(value)} = {fmt(score)}")
    if f == "linear_reverse":
        t = _p(rule, "target", 1)
        if value <= t + 1e-12:
            return Outcome(w, f"未超过 {pct(t)} → 满分 {fmt(w)}")
        if t <= 0 or value >= 2 * t - 1e-12:
            return Outcome(0.0, f"达到或超过 {pct(2 * t)} → 0")
        score = r2(w * (1 - (value - t) / t))
        return Outcome(score, f"{fmt(w)} × (1 − ({pct(value)} − {pct(t)}) ÷ {pct(t)}) = {fmt(score)}")
    if f == "binary":
        limit, op = _p(rule, "limit", 1), str(rule.params.get("op", ">="))
        ok = Band(op, limit, 1).holds(value)
        sign = op.replace(">=", "≥").replace("<=", "≤")
        return Outcome(w if ok else 0.0, f"{'达到' if ok else '未达到'} {sign}{pct(limit)} → {fmt(w if ok else 0)}")
    return Outcome(None, "无标准评分规则")


# -- parameters as a bureau writes them: "limit=100%; step=0.1", "bands=>=90%:1, >=80%:0.8, else:0" --------

_OPS = {"≥": ">=", "≤": "<=", "＞": ">", "＜": "<", "＝": "="}
_BAND = re.compile(r"^(>=|<=|>|<|=)?\s*([-+]?[\d.]+%?)\s*[:：]\s*([-+]?[\d./]+%?)$")


def _number(text: str) -> float:
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    scale = 1.0
    if t.endswith("%"):
        t, scale = t[:-1], 0.01
    if "/" in t:
        a, b = t.split("/", 1)
        return float(a) / float(b) * scale
    return float(t) * scale


def parse_params(text: str) -> dict[str, Any]:
    """``limit=100%; step=0.1`` -> {"limit": 1.0, "step": 0.1}; raises ValueError with a Chinese reason."""
    out: dict[str, Any] = {}
    t = unicodedata.normalize("NFKC", text or "")
    for k, v in _OPS.items():
        t = t.replace(k, v)
    for part in re.split(r"[;；\n]", t):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"参数“{part}”应写成“名称=值”")
        name = name.strip().lower()
        value = value.strip()
        if name == "bands":
            bands = []
            for piece in re.split(r"[,，、]", value):
                piece = piece.strip()
                if not piece:
                    continue
                if piece.lower().startswith(("else", "其他", "其余")):
                    bands.append(Band("else", 0.0, _number(piece.split(":")[-1].split("：")[-1])))
                    continue
                m = _BAND.match(piece)
                if not m:
                    raise ValueError(f"分档“{piece}”应写成“>=90%:1”的形式")
                bands.append(Band(m.group(1) or ">=", _number(m.group(2)), _number(m.group(3))))
            out["bands"] = tuple(bands)
        elif name in ("op", "basis"):
            out[name] = value
        else:
            try:
                out[name] = _number(value)
            except ValueError:
                raise ValueError(f"参数“{name}”的值“{value}”不是数字") from None
    return out


def family_of(text: str) -> str | None:
    return _FAMILY_BY_NAME.get(squash(text or "")) or _FAMILY_BY_NAME.get((text or "").strip())


# -- profiles ---------------------------------------------------------------------------------------

Profile = dict[str, Rule]


def profile_from_rows(rows: Iterable[Sequence[Any]], name: str, where: str) -> Profile:
    """Rows of ``指标键 | 三级指标 | 规则类型 | 参数 | 规则说明 | 依据文件`` (a header row first) -> a profile.
    ConfigError (Chinese) for an unknown key or family or bad parameters."""
    from xladdin.kinds.basic_data.indicators import BY_KEY, match

    it = iter(rows)
    header = None
    for row in it:
        cells = [squash(str(c)) if c is not None else "" for c in row]
        if "规则类型" in cells:
            header = cells
            break
    if header is None:
        raise ConfigError(f"{where}没有“规则类型”表头（应为：{' | '.join(PROFILE_HEADER)}）。")
    col = {h: header.index(h) for h in PROFILE_HEADER if h in header}
    out: Profile = {}
    for n, row in enumerate(it, 2):
        def get(h: str, row: Sequence[Any] = row) -> str:
            c = col.get(h)
            v = row[c] if c is not None and c < len(row) else None
            return "" if v is None else str(v).strip()
        key, name, family_text = get("指标键"), get("三级指标"), get("规则类型")
        if not (key or name or family_text):
            continue
        if key not in BY_KEY:
            ind = match(name) if name else None
            if ind is None:
                raise ConfigError(f"{where}第 {n} 行：指标“{key or name}”不在共性指标目录中。")
            key = ind.key
        family = family_of(family_text)
        if family is None:
            known = "、".join(FAMILIES.values())
            raise ConfigError(f"{where}第 {n} 行：规则类型“{family_text}”无法识别（可用：{known}）。")
        try:
            params = parse_params(get("参数"))
        except ValueError as exc:
            raise ConfigError(f"{where}第 {n} 行：{exc}。") from None
        if family == "bands" and not params.get("bands"):
            raise ConfigError(f"{where}第 {n} 行：分档规则需要参数“bands=>=90%:1, >=80%:0.8, else:0”。")
        out[key] = Rule(key, family, params, get("规则说明"), get("依据文件"), name)
    return out


_CACHE: dict[str, Profile] = {}


def builtin_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A profile shipped in the package (``通用`` or ``按比例``); ``按比例`` is ``通用`` with its rows over it."""
    if name not in BUILTIN_PROFILES:
        raise ConfigError(f"没有名为“{name}”的内置评分规则（可用：{'、'.join(BUILTIN_PROFILES)}）。")
    if name not in _CACHE:
        folder = resources.files("xladdin.kinds.basic_data").joinpath("profiles")
        text = folder.joinpath(f"{name}.tsv").read_text("utf-8")
        rows = csv.reader(io.StringIO(text), delimiter="\t")
        own = profile_from_rows(rows, name, f"内置评分规则“{name}”")
        base = {} if name == DEFAULT_PROFILE else builtin_profile(DEFAULT_PROFILE)
        _CACHE[name] = {**base, **{k: _named(r, name) for k, r in own.items()}}
    return _CACHE[name]


def _named(rule: Rule, profile: str) -> Rule:
    return Rule(rule.key, rule.family, rule.params, rule.text, rule.source, profile)


def overlay(base: Profile, own: Profile, name: str) -> Profile:
    """``own``'s rules over ``base`` (a bureau's sheet lists only the rules it changes)."""
    return {**base, **{k: _named(r, name) for k, r in own.items()}}


def load_profile_file(path: str | os.PathLike[str]) -> Profile:
    """A bureau's 评分规则 file (.tsv, .csv, or .xlsx with a 评分规则 sheet) over the default profile."""
    p = Path(path)
    if p.name in BUILTIN_PROFILES:
        return builtin_profile(p.name)
    if not p.is_file():
        raise ConfigError(f"找不到评分规则文件“{p}”（或写内置规则名：{'、'.join(BUILTIN_PROFILES)}）。")
    where = f"评分规则文件“{p.name}”"
    suffix = p.suffix.lower()
    if suffix in (".tsv", ".txt", ".csv"):
        text = p.read_text("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter="\t" if suffix != ".csv" else ","))
    else:
        from xladdin.reading.workbook import Workbook

        with Workbook(p) as wb:
            names = [s.name for s in wb.sheets]
            sheet = next((n for n in names if "评分规则" in n), names[0] if names else None)
            if sheet is None:
                raise ConfigError(f"{where}里没有工作表。")
            rows = wb.grid(sheet).rows
    return overlay(builtin_profile(), profile_from_rows(rows, p.stem, where), p.stem)


def isfinite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)
