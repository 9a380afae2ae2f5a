"""The catalogue of quantitative 共性指标 (部门整体支出): names and aliases, the value formula over
the 基础数据 codes, the direction. Data: one :class:`Indicator` per row of
``shared/research/indicator_formulas.tsv`` / ``domain-next.md`` A.2 (财预〔2013〕53号 附件2 and local
tables). A table row is matched by its name after NFKC, quotes and a trailing "(N分)" are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xladdin.core.numbers import normalize_text, split_weight_from_name

RATIO, CHANGE, CUT, ADJUST, PER_CAPITA = "ratio", "change", "cut", "adjust", "per_capita"


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name: str
    aliases: tuple[str, ...]
    formula: str  # as published (Chinese)
    kind: str  # RATIO num/den, CHANGE (本年−上年)/上年, CUT (上年−本年)/上年, ADJUST, PER_CAPITA
    inputs: tuple[str, ...]  # 基础数据 codes: (num, den) or (code,)
    direction: str  # "≤" lower is better, "≥" higher is better, "—" none
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases


INDICATORS: tuple[Indicator, ...] = (
    Indicator("staff_ratio", "在职人员控制率", ("财政供养人员控制率", "人员控制率"),
              "在职人员数 ÷ 编制数 × 100%", RATIO, ("P02", "P01"), "≤",
              "财预〔2013〕53号附件2；部门整体支出绩效评价指标（在职人员控制率）"),
    Indicator("sangong_change", "“三公经费”变动率", ("三公经费变动率",),
              "（本年度“三公经费”预算数 − 上年度）÷ 上年度 × 100%", CHANGE, ("S01",), "≤", "财预〔2013〕53号附件2"),
    Indicator("sangong_ctrl", "“三公经费”控制率", ("三公经费控制率", "“三公经费”控制情况", "三公经费控制情况"),
              "“三公经费”实际支出数 ÷ 预算安排数 × 100%", RATIO, ("S02", "S01"), "≤",
              "财预〔2013〕53号附件2；地方评分表"),
    Indicator("key_spend", "重点支出安排率", (),
              "重点项目支出 ÷ 项目总支出 × 100%", RATIO, ("K01", "K02"), "≥", "财预〔2013〕53号附件2"),
    Indicator("exec_rate", "预算执行率", ("预算完成率", "预算执行", "预算执行情况"),
              "支出决算数 ÷ 全年预算数（调整后）× 100%", RATIO, ("B05", "B04"), "≥",
              "财预〔2013〕53号附件2；川 自评表"),
    Indicator("adjust_rate", "预算调整率", (),
              "（本年预算调整数 − 政策性调整）÷ 年初预算数 × 100%", ADJUST, ("B03", "B07", "B01"), "≤",
              "财预〔2013〕53号附件2"),
    Indicator("carry_rate", "结转结余率", ("资金结余率",),
              "年末结转结余 ÷ 全年预算数 × 100%", RATIO, ("B06", "B04"), "≤", "财预〔2013〕53号附件2"),
    Indicator("public_ctrl", "公用经费控制率", (),
              "公用经费决算数 ÷ 公用经费预算数 × 100%", RATIO, ("G02", "G01"), "≤", "财预〔2013〕53号附件2"),
    Indicator("per_capita_public", "人均公用经费", (),
              "公用经费决算数 ÷ 年末实有在职人数（万元/人）", PER_CAPITA, ("G02", "P02"), "—", "常见于地方评分表"),
    Indicator("general_cut", "一般性支出压缩率", ("一般性支出压减率",),
              "（上年一般性支出 − 本年）÷ 上年 × 100%", CUT, ("Y01",), "≥", "常见于地方评分表"),
    Indicator("proc_exec", "政府采购执行率", (),
              "实际政府采购金额 ÷ 政府采购预算数 × 100%", RATIO, ("C02", "C01"), "≥", "财预〔2013〕53号附件2"),
    Indicator("asset_use", "固定资产利用率", ("资产利用率",),
              "实际在用固定资产 ÷ 固定资产总额 × 100%", RATIO, ("A02", "A01"), "≥", "财预〔2013〕53号附件2"),
    Indicator("goal_done", "实际完成率", ("年度目标完成率", "重点工作办结率", "目标完成率"),
              "实际完成工作数 ÷ 计划工作数 × 100%", RATIO, ("W02", "W01"), "≥", "财预〔2013〕53号附件2"),
    Indicator("on_time", "完成及时率", (),
              "按时完成工作数 ÷ 计划工作数 × 100%", RATIO, ("W03", "W01"), "≥", "财预〔2013〕53号附件2"),
    Indicator("quality", "质量达标率", (),
              "质量达标工作数 ÷ 计划工作数 × 100%", RATIO, ("W04", "W01"), "≥", "财预〔2013〕53号附件2"),
    Indicator("satisfaction", "服务对象满意度", ("满意度", "社会公众满意度"),
              "满意问卷数 ÷ 有效问卷数 × 100%", RATIO, ("M02", "M01"), "≥", "常见于自评表"),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}

_QUOTES = re.compile(r"[“”\"'‘’「」『』〝〞＂]")
_BLANKS = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def match_key(name: str) -> str:
    """What a name is matched on: NFKC, no quotes, no blanks, no trailing "(N分)"."""
    text = split_weight_from_name(normalize_text(name))[0]
    return _BLANKS.sub("", _QUOTES.sub("", text))


_BY_NAME: dict[str, Indicator] = {match_key(n): i for i in INDICATORS for n in i.names}


def match(name: str) -> Indicator | None:
    """The catalogue indicator a table row's name stands for, or None."""
    return _BY_NAME.get(match_key(name))


def looks_quantitative(name: str) -> bool:
    """A name that reads like a rate (…率) the catalogue does not know: reported as 名称未识别."""
    key = match_key(name)
    return key.endswith("率") and not key.endswith("效率")
