"""The 项目支出绩效自评表: a filled table as plain values (:func:`project_rows`, for the demo set and the
tests) and the fill-in template with formulas (:func:`write_project_template`).

The national layout (财预〔2020〕10号 附件), with 年度指标值 split into 指标性质 | 指标值 | 度量单位 in
the template (as 云南 and 四川 do) so that the rule score can be a formula:

    row 1   项目支出绩效自评表（2023年度）
    row 2   项目名称 | …
    row 3   主管部门 | …            实施单位 | …
    row 4   项目资金（万元） |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    row 5      | 年度资金总额 | a | b | c | 10 | c/b | 10 × c/b
    row 6-8    | 其中：当年财政拨款 / 上年结转资金 / 其他资金
    row 9-10 年度总体目标 | 预期目标 | 实际完成情况
    row 11  绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    row 12… one row per indicator
    last    总分 | … | 100 | Σ | 等级
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

BUDGET_ROW = 5  # 1-based: the 年度资金总额 row
FIRST_INDICATOR_ROW = 12


@dataclass
class IndicatorSpec:
    level1: str
    level2: str
    name: str
    target: Any  # '≥50个', '100%', 95, '效果明显'
    actual: Any
    weight: Any
    score: Any
    reason: str | None = None


@dataclass
class ProjectSpec:
    project: str
    department: str
    unit: str
    year: int
    initial: Any
    full_year: Any
    executed: Any
    budget_weight: Any = 10
    rate: Any = "auto"  # as written; "auto": executed / full_year as a percent text
    budget_score: Any = "auto"  # "auto": weight × rate, rounded to 2 decimals
    parts: Sequence[tuple[str, Any, Any, Any]] = (("其中：当年财政拨款", "same", "same", "same"),
                                                   ("上年结转资金", None, None, None), ("其他资金", None, None, None))
    goal: str = "按计划完成项目年度目标"
    done: str = "已按计划完成项目年度目标"
    indicators: Sequence[IndicatorSpec] = field(default_factory=list)
    total: Any = "auto"  # the 总分 row's 得分: "auto" = the sum of the scores written
    grade: Any = "auto"
    extra_rows: Sequence[tuple[int, Sequence[Any]]] = ()  # (position after the indicators, row) e.g. placeholders


def _num(v: Any) -> float | None:
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _grade(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def project_rows(spec: ProjectSpec) -> list[list[Any]]:
    """The table as a grid of plain values (the national layout above, 9 columns)."""
    rows: list[list[Any]] = []

    def add(*cells: Any) -> None:
        row = list(cells) + [None] * (9 - len(cells))
        rows.append(row)

    add(f"项目支出绩效自评表（{spec.year}年度）")
    add("项目名称", spec.project)
    add("主管部门", spec.department, None, None, "实施单位", spec.unit)
    add("项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    full, done, w = _num(spec.full_year), _num(spec.executed), _num(spec.budget_weight)
    rate = spec.rate
    if rate == "auto":
        rate = f"{round(done / full * 100, 2):g}%" if full and done is not None else None
    bscore = spec.budget_score
    if bscore == "auto":
        bscore = round(w * min(done / full, 1.0), 2) if full and done is not None and w is not None else None
    add(None, "年度资金总额", spec.initial, spec.full_year, spec.executed, spec.budget_weight, rate, bscore)
    for label, a, b, c in spec.parts:
        vals = [spec.initial if a == "same" else a, spec.full_year if b == "same" else b,
                spec.executed if c == "same" else c]
        add(None, label, *vals, "—", None, "—")
    add("年度总体目标", "预期目标", None, None, None, "实际完成情况")
    add(None, spec.goal, None, None, None, spec.done)
    add("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施")
    last1 = last2 = None
    extra = dict(spec.extra_rows)
    for i, ind in enumerate(spec.indicators):
        if i in extra:
            rows.append(list(extra[i]) + [None] * (9 - len(extra[i])))
        l1 = ind.level1 if ind.level1 != last1 else None
        l2 = ind.level2 if (ind.level2 != last2 or l1 is not None) else None
        last1, last2 = ind.level1, ind.level2
        add(None, l1, l2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason)
    if len(spec.indicators) in extra:
        rows.append(list(extra[len(spec.indicators)]) + [None] * (9 - len(extra[len(spec.indicators)])))
    weights = [_num(i.weight) for i in spec.indicators]
    total_w = sum(x for x in weights if x is not None) + (w or 0)
    total = spec.total
    if total == "auto":
        scores = [_num(i.score) for i in spec.indicators] + [_num(bscore)]
        total = round(sum(x for x in scores if x is not None), 2)
    grade = spec.grade
    if grade == "auto":
        grade = _grade(float(total)) if isinstance(total, (int, float)) else None
    add("总分", None, None, None, None, None, total_w, total, grade)
    return rows


def standard_indicators(year: int = 2023) -> list[IndicatorSpec]:
    """A clean national-form indicator set (产出 50 / 效益 30 / 满意度 10), every target met."""
    return [
        IndicatorSpec("产出指标", "数量指标", "培训人次", "≥500人次", 520, 15, 15),
        IndicatorSpec("产出指标", "质量指标", "培训合格率", "≥95%", "97%", 15, 15),
        IndicatorSpec("产出指标", "时效指标", "按期完成率", "100%", "100%", 10, 10),
        IndicatorSpec("产出指标", "成本指标", "人均培训成本", "≤800元", 760, 10, 10),
        IndicatorSpec("效益指标", "社会效益指标", "就业率", "≥80%", "85%", 20, 20),
        IndicatorSpec("效益指标", "可持续影响指标", "长效机制建立", "建立", "达成预期指标", 10, 10),
        IndicatorSpec("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "95%", 10, 10),
    ]


def standard_spec(**changes: Any) -> ProjectSpec:
    spec = ProjectSpec("职业技能培训补助", "某某县人力资源和社会保障局", "某某县就业服务中心", 2023,
                       120, 120, 117.17, indicators=standard_indicators())
    for k, v in changes.items():
        setattr(spec, k, v)
    return spec


__all__ = ["IndicatorSpec", "ProjectSpec", "project_rows", "standard_indicators", "standard_spec",
           "BUDGET_ROW", "FIRST_INDICATOR_ROW"]
