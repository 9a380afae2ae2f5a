"""The coded items of the 基础数据 sheet: what a department fills beside its scoring table.

Data, not code: one :class:`Item` per code, with its unit, the document the figure is taken from and
how it relates to other items (``parts``: the 其中 items that must add up to it; ``within``: an item
it can never exceed). Parts that a department adds itself (e.g. the 年初预算 by 功能分类) are coded
``<CODE>.<n>`` (``B01.1``, ``B01.2`` …) and add up to ``<CODE>``.
See ``shared/research/domain-next.md`` A.3 for the layout and sources.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONS, AMOUNT, COUNT, COPIES = "人", "万元", "项", "份"


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str
    unit: str
    source: str  # the document the figure comes from
    parts: tuple[str, ...] = ()  # 其中 items that add up to this one
    within: str | None = None  # an item this one can never exceed (a part of it)
    note: str = ""


ITEMS: tuple[Item, ...] = (
    Item("P01", "核定编制数", PERSONS, "编办批复 / 部门决算 人员情况表", ("P01a", "P01b", "P01c")),
    Item("P01a", "其中：行政编制", PERSONS, "编办批复"),
    Item("P01b", "其中：事业编制", PERSONS, "编办批复"),
    Item("P01c", "其中：工勤编制", PERSONS, "编办批复"),
    Item("P02", "年末实有在职人数", PERSONS, "部门决算 人员情况表", ("P02a", "P02b", "P02c")),
    Item("P02a", "其中：行政编制人员", PERSONS, "部门决算 人员情况表"),
    Item("P02b", "其中：事业编制人员", PERSONS, "部门决算 人员情况表"),
    Item("P02c", "其中：工勤人员", PERSONS, "部门决算 人员情况表"),
    Item("B01", "年初支出预算数", AMOUNT, "预算批复", note="其中按功能分类的科目可填在 B01.1、B01.2 … 行"),
    Item("B02", "上年结转结余", AMOUNT, "部门决算 收支决算总表"),
    Item("B03", "本年预算调整数（追加为正，调减为负）", AMOUNT, "预算指标调整文件"),
    Item("B07", "其中：政策性、不可抗力、上级交办调整（不计入调整率）", AMOUNT, "预算指标调整文件",
         within="B03"),
    Item("B04", "全年预算数（调整后）", AMOUNT, "部门决算 收支决算总表"),
    Item("B05", "支出决算数", AMOUNT, "部门决算 收支决算总表", ("B05a", "B05b")),
    Item("B05a", "其中：基本支出", AMOUNT, "部门决算 收支决算总表"),
    Item("B05b", "其中：项目支出", AMOUNT, "部门决算 收支决算总表"),
    Item("B06", "年末结转结余", AMOUNT, "部门决算 收支决算总表"),
    Item("S01", "“三公”经费预算数", AMOUNT, "财政拨款“三公”经费支出决算表", ("S01a", "S01b", "S01c")),
    Item("S01a", "其中：因公出国（境）费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("S01b", "其中：公务用车购置及运行费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("S01c", "其中：公务接待费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("S02", "“三公”经费决算数", AMOUNT, "财政拨款“三公”经费支出决算表", ("S02a", "S02b", "S02c")),
    Item("S02a", "其中：因公出国（境）费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("S02b", "其中：公务用车购置及运行费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("S02c", "其中：公务接待费", AMOUNT, "财政拨款“三公”经费支出决算表"),
    Item("G01", "公用经费预算数", AMOUNT, "预算批复 基本支出预算表"),
    Item("G02", "公用经费决算数", AMOUNT, "部门决算 基本支出决算明细表"),
    Item("K01", "重点项目支出（预算）", AMOUNT, "预算批复", within="K02"),
    Item("K02", "项目支出总额（预算）", AMOUNT, "预算批复"),
    Item("C01", "政府采购预算数", AMOUNT, "政府采购系统"),
    Item("C02", "实际政府采购金额", AMOUNT, "政府采购系统"),
    Item("A01", "固定资产原值合计", AMOUNT, "行政事业单位资产报表"),
    Item("A02", "其中：在用固定资产原值", AMOUNT, "行政事业单位资产报表", within="A01"),
    Item("Y01", "一般性支出", AMOUNT, "部门决算"),
    Item("W01", "计划或交办的重点工作数", COUNT, "年度工作计划 / 工作台账"),
    Item("W02", "实际完成重点工作数", COUNT, "工作台账", within="W01"),
    Item("W03", "按时完成重点工作数", COUNT, "工作台账", within="W01"),
    Item("W04", "质量达标重点工作数", COUNT, "工作台账", within="W01"),
    Item("M01", "满意度调查有效问卷数", COPIES, "满意度调查"),
    Item("M02", "其中：满意和基本满意问卷数", COPIES, "满意度调查", within="M01"),
)

BY_CODE: dict[str, Item] = {i.code: i for i in ITEMS}
# codes whose parts are coded by the department (B01.1, B01.2, …)
OPEN_PARTS = ("B01",)


def label(code: str) -> str:
    """``P01 核定编制数``: how a code is named to a clerk."""
    item = BY_CODE.get(code)
    return f"{code} {item.name.removeprefix('其中：')}" if item else code


def show(code: str, value: float | None) -> str:
    """A figure as the sheet means it: amounts in 万元 with 2 decimals (297.80), counts as written."""
    item = BY_CODE.get(code) or BY_CODE.get(code.split(".")[0])
    if value is None:
        return "（空）"
    if item is not None and item.unit == AMOUNT:
        return f"{value:.2f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def parent_of(code: str) -> str | None:
    """The total a coded part adds up to: P01a -> P01, B01.3 -> B01; None for a total."""
    if "." in code:
        return code.split(".", 1)[0]
    for item in ITEMS:
        if code in item.parts:
            return item.code
    return None
