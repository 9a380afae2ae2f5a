"""Rule profiles of the 项目支出绩效自评表: the scoring rules that differ between the national form
(财预〔2020〕10号) and the provinces, as data.

A profile is a plain JSON object (the built-in ones are below; ``--profile FILE`` loads one from a
.json file whose keys override the national profile's). Keys:

- ``name`` / ``label``: code and what users read;
- ``budget_weight``: the 预算执行 分值 (10; 湖北 20);
- ``split``: level-1 weights by the word in the level-1 name ({"产出": 50, "效益": 30, "满意度": 10});
  ``null`` when the profile fixes none (四川: only 10 + 90);
- ``bands``: the lower edges, as fractions of the weight, of 达成 / 部分达成 (qualitative indicators):
  [0.8, 0.6] (10号文) or [0.8, 0.5] (湖北); 未达成 is below the second edge;
- ``reverse``: how a 反向 (≤, <) indicator is scored: ``"deviation"`` (1 − (actual − target)/target) × w,
  0 at twice the target (10号文, as implemented in the FASP 绩效 module) or ``"ratio"`` w × target/actual
  (湖北 notes: 得分=权重*A/B);
- ``over_target``: 完成值 at or above this multiple of 指标值 needs a 偏差原因 (1.3: 广西 rule);
- ``budget_score_step``: the rounding the 预算执行 得分 may show (0.01: two decimals; 1: whole points);
- ``rate_base``: what the 执行率 divides by, for the messages ("全年预算数"; 四川 "调整后预算数").

Sources: /work/shared/research/domain-next.md section B.3 (S-fudaoke, S-hb, S-pmkpi, S-qs, S-lj).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xladdin.errors import ConfigError

NATIONAL: dict[str, Any] = {
    "name": "national",
    "label": "财预〔2020〕10号（全国通用）",
    "budget_weight": 10,
    "split": {"产出": 50, "效益": 30, "满意度": 10},
    "bands": [0.8, 0.6],
    "reverse": "deviation",
    "over_target": 1.3,
    "budget_score_step": 0.01,
    "rate_base": "全年预算数",
}

BUILTIN: dict[str, dict[str, Any]] = {
    "national": NATIONAL,
    "sichuan": {**NATIONAL, "name": "sichuan", "label": "四川（预算执行 10 分 + 绩效指标 90 分）",
                "split": None, "rate_base": "调整后预算数"},
    "hubei": {**NATIONAL, "name": "hubei", "label": "湖北（预算执行 20 分 + 绩效目标 80 分）",
              "budget_weight": 20, "split": None, "bands": [0.8, 0.5], "reverse": "ratio",
              "rate_base": "预算数"},
    "yunnan": {**NATIONAL, "name": "yunnan", "label": "云南（10号文表式，指标性质单列）"},
}

ALIASES = {"全国": "national", "10号文": "national", "四川": "sichuan", "湖北": "hubei", "云南": "yunnan"}


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    label: str
    budget_weight: float
    split: dict[str, float] | None
    bands: tuple[float, float]
    reverse: str
    over_target: float
    budget_score_step: float
    rate_base: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Profile:
        merged = {**NATIONAL, **d}
        try:
            bands = tuple(float(x) for x in merged["bands"])
            if len(bands) != 2 or not 0 <= bands[1] <= bands[0] <= 1:
                raise ValueError("bands")
            reverse = str(merged["reverse"])
            if reverse not in ("deviation", "ratio"):
                raise ValueError("reverse")
            split = merged["split"]
            return cls(str(merged["name"]), str(merged["label"]), float(merged["budget_weight"]),
                       None if split is None else {str(k): float(v) for k, v in dict(split).items()},
                       (bands[0], bands[1]), reverse, float(merged["over_target"]),
                       float(merged["budget_score_step"]), str(merged["rate_base"]), merged)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"计分规则设置不正确（{exc}）：请参照内置规则"
                              "（national / sichuan / hubei / yunnan）的写法。") from exc


PROFILES: dict[str, Profile] = {k: Profile.from_dict(v) for k, v in BUILTIN.items()}


def get_profile(spec: str) -> Profile:
    """A built-in profile by name (national, sichuan, hubei, yunnan, or 全国/四川/湖北/云南) or a .json file."""
    key = ALIASES.get(spec.strip(), spec.strip().lower())
    if key in PROFILES:
        return PROFILES[key]
    p = Path(spec)
    if p.suffix.lower() == ".json" and p.is_file():
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"无法读取计分规则文件“{p.name}”：{exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"计分规则文件“{p.name}”应是一个 JSON 对象。")
        data.setdefault("name", p.stem)
        data.setdefault("label", p.stem)
        return Profile.from_dict(data)
    raise ConfigError(f"未知的计分规则“{spec}”：可用 national（全国）、sichuan（四川）、hubei（湖北）、"
                      "yunnan（云南），或一个 .json 规则文件。")


__all__ = ["PROFILES", "Profile", "get_profile", "NATIONAL", "BUILTIN"]
