"""Indicator frameworks: the indicators, weights and scoring criteria a table is built from.

A framework is data: a list of :class:`Leaf` rows, each carrying its full path with weights.
The default is the seed table's framework (永靖县工信局 2023), with 管理效率 corrected to 44 so the
level-1 weights add up to 100. Pure: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    weight: float


@dataclass(frozen=True, slots=True)
class Leaf:
    """One row of a scoring table: the path down to a leaf, each level with its weight."""

    levels: tuple[Level, ...]
    criteria: str = ""

    @property
    def weight(self) -> float:
        return self.levels[-1].weight

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(lv.name for lv in self.levels)


def from_spec(spec: list[tuple]) -> tuple[Leaf, ...]:
    """Leaf rows from a compact spec: (一级, 分值, 二级, 分值, [(三级, 分值), ...]); [] = stops at level 2."""
    out: list[Leaf] = []
    for l1, w1, l2, w2, leaves in spec:
        if not leaves:
            out.append(Leaf((Level(l1, w1), Level(l2, w2))))
        for l3, w3 in leaves:
            out.append(Leaf((Level(l1, w1), Level(l2, w2), Level(l3, w3))))
    return tuple(out)


SEED_FRAMEWORK: tuple[Leaf, ...] = from_spec([
    ("部门规划", 15, "部门年度计划", 3, [("部门年度计划合理性", 1), ("部门年度目标明确性", 2)]),
    ("部门规划", 15, "部门绩效目标", 6, [("绩效目标合理性", 3), ("绩效指标明确性", 3)]),
    ("部门规划", 15, "资源配置效率", 6, [("资金分配合理性", 3), ("预算安排保障率", 2), ("人力资源配置", 1)]),
    ("运行成本", 18, "基本经费成本", 12, [("财政供养人员控制率", 3), ("人均公用经费", 3),
                                       ("“三公经费”控制情况", 3), ("一般性支出压缩率", 3)]),
    ("运行成本", 18, "项目经费成本", 6, [("成本控制制度建设", 2), ("成本控制有效性", 4)]),
    ("管理效率", 44, "预算管理", 12, [("预算管理制度健全性", 1), ("预算编制", 5), ("预算执行", 4),
                                     ("预决算信息公开", 2)]),
    ("管理效率", 44, "收支管理", 6, [("收支管理制度健全性", 1), ("资金使用合规性", 3), ("会计核算规范性", 2)]),
    ("管理效率", 44, "采购管理", 3, [("政府采购管理制度健全性", 1), ("政府采购规范性", 1), ("政府采购执行率", 1)]),
    ("管理效率", 44, "资产管理", 4, [("资产管理制度健全性", 1), ("资产管理安全性", 1), ("资产利用率", 2)]),
    ("管理效率", 44, "合同管理", 3, [("合同管理制度健全性", 1), ("合同管理规范性", 2)]),
    ("管理效率", 44, "业务管理", 2, [("业务管理制度健全性", 1), ("项目执行有效性", 1)]),
    ("管理效率", 44, "绩效管理", 14, [("绩效机制体制建设", 2), ("绩效运行监控", 3), ("绩效评价", 4),
                                    ("绩效信息公开", 3), ("评价结果应用", 2)]),
    ("基础管理", 2, "综合管理能力建设", 2, []),
    ("履职效能", 16, "年度目标", 4, [("年度目标完成率", 4)]),
    ("履职效能", 16, "重点工作", 12, [("工作效率", 4), ("工作质量", 4), ("工作态度", 4)]),
    ("服务对象满意度", 5, "服务对象满意度", 5, []),
])

# The seed table's deductions, by leaf path: total 5, score 95.
SEED_DEDUCTIONS: dict[tuple[str, ...], float] = {
    ("部门规划", "部门绩效目标", "绩效目标合理性"): 1,
    ("管理效率", "预算管理", "预算编制"): 1,
    ("管理效率", "绩效管理", "绩效评价"): 1,
    ("履职效能", "重点工作", "工作效率"): 1,
    ("履职效能", "重点工作", "工作态度"): 1,
}
