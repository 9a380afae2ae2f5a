"""Grades (优/良/中/差) from total scores.

Default bands follow 财预〔2020〕10号: 90 (含) – 100 优, 80 (含) – 90 良, 60 (含) – 80 中, 60 以下 差.
Bands and labels are configurable: ``Grading.parse("90:优,80:良,60:中,0:差")`` or a JSON file
``{"bands": [[90, "优"], [80, "良"], [60, "中"], [0, "差"]], "aliases": {"优秀": "优"}}``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from xladdin.core.numbers import squash
from xladdin.errors import ConfigError, os_reason

DEFAULT_BANDS: tuple[tuple[float, str], ...] = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (float("-inf"), "差"))

# Stated grades match by meaning.
DEFAULT_ALIASES = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "中": "中",
    "中等": "中",
    "合格": "中",
    "一般": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
}


@dataclass(frozen=True, slots=True)
class Grading:
    """Ordered bands: the first band whose lower bound the score reaches gives the label."""

    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS
    aliases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALIASES))

    def grade(self, score: float | None) -> str | None:
        if score is None:
            return None
        # Never round before grading; a hair of float noise below a bound must not drop a band.
        for bound, label in self.bands:
            if score >= bound - 1e-9:
                return label
        return self.bands[-1][1]

    def normalize(self, stated: str) -> str | None:
        """'优秀' -> '优', '评价等级：良好' -> '良'; None when the text names no known grade."""
        text = squash(str(stated)).strip("“”\"'「」『』")
        labels = {label for _, label in self.bands}
        if text in labels:
            return text
        if text in self.aliases:
            return self.aliases[text]
        # longest alias contained in the text wins ("不合格" before "合格")
        for alias in sorted(self.aliases, key=len, reverse=True):
            if len(alias) >= 2 and alias in text:
                return self.aliases[alias]
        return None

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.bands]

    @classmethod
    def parse(cls, spec: str) -> Grading:
        """'90:优,80:良,60:中,0:差' (any order; the lowest bound covers everything below it)."""
        bands: list[tuple[float, str]] = []
        for part in re.split(r"[,，;；]", spec):
            part = part.strip()
            if not part:
                continue
            m = re.match(r"^(-?\d+(?:\.\d+)?)\s*[:：=]\s*(\S+)$", part)
            if not m:
                raise ConfigError(f"等级设置“{part}”看不懂，应写成“90:优,80:良,60:中,0:差”。")
            bands.append((float(m.group(1)), m.group(2)))
        return cls.from_bands(bands)

    @classmethod
    def from_bands(cls, bands: list[tuple[float, str]], aliases: dict[str, str] | None = None) -> Grading:
        """Validated: finite, distinct bounds; labels that name grades (优/良/中/差 and their aliases)
        in order (a higher bound, a better grade); a lowest band from 0 (or below), so that every
        score has a grade — "90:优,80:良,60:中" would otherwise silently grade 50 as 中."""
        if not bands:
            raise ConfigError("等级设置为空。")
        ordered = sorted(bands, key=lambda b: b[0], reverse=True)
        _validate(ordered, {**DEFAULT_ALIASES, **(aliases or {})})
        ordered[-1] = (float("-inf"), ordered[-1][1])
        merged = dict(DEFAULT_ALIASES)
        merged.update(aliases or {})
        return cls(tuple(ordered), merged)

    @classmethod
    def load(cls, path: str | Path) -> Grading:
        """A JSON file, or a text file holding the '90:优,80:良,...' spec."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"等级设置文件“{p}”打不开：{os_reason(exc)}") from exc
        if p.suffix.lower() == ".json":
            try:
                data = json.loads(text)
                bands = [(float(b), str(label)) for b, label in data["bands"]]
                aliases = {str(k): str(v) for k, v in data.get("aliases", {}).items()}
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(
                    f"等级设置文件“{p}”格式不对：应为 {{\"bands\": [[90, \"优\"], [80, \"良\"], ...]}}"
                ) from exc
            return cls.from_bands(bands, aliases)
        return cls.parse(text)


_RANK = {"优": 0, "良": 1, "中": 2, "差": 3}


def _validate(ordered: list[tuple[float, str]], aliases: dict[str, str]) -> None:
    from xladdin.core.numbers import fmt

    for bound, label in ordered:
        if bound != bound or bound in (float("inf"), float("-inf")):
            raise ConfigError(f"等级设置中“{label}”的分数线不是有限的数。")
        if not str(label).strip():
            raise ConfigError(f"等级设置中分数线 {fmt(bound)} 没有写等级名称。")
    for (hi, a), (lo, b) in zip(ordered, ordered[1:]):
        if hi == lo:
            raise ConfigError(f"等级设置中“{a}”和“{b}”的分数线都是 {fmt(hi)}，每一档的分数线应各不相同。")
    seen: dict[str, float] = {}
    for bound, label in ordered:
        if label in seen:
            raise ConfigError(f"等级设置中“{label}”出现了两次（{fmt(seen[label])} 和 {fmt(bound)}）。")
        seen[label] = bound
    ranked = [(bound, label, _RANK.get(aliases.get(squash(label), ""))) for bound, label in ordered]
    known = [(bound, label, rank) for bound, label, rank in ranked if rank is not None]
    for (hi, a, ra), (lo, b, rb) in zip(known, known[1:]):
        if ra >= rb:  # type: ignore[operator]
            raise ConfigError(f"等级设置的顺序不对：“{b}”的分数线 {fmt(lo)} 低于“{a}”的 {fmt(hi)}，"
                              f"但“{b}”不比“{a}”差。应写成如“90:优,80:良,60:中,0:差”（分数线越高等级越好）。")
    lowest, label = ordered[-1]
    if lowest > 0:
        raise ConfigError(f"等级设置的最低一档“{label}”从 {fmt(lowest)} 分起，低于 {fmt(lowest)} 分的总分就没有等级了；"
                          f"请加上从 0 分起的一档，如“{fmt(lowest)}:{label},0:差”。")


DEFAULT_GRADING = Grading()


def grade(score: float | None, grading: Grading = DEFAULT_GRADING) -> str | None:
    return grading.grade(score)
