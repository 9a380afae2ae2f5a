"""The issue catalogue: every code the program can emit, in one place (after frictionless-py's errors).

Each :class:`Code` has its severities, a Chinese title (the README's 含义), a Chinese description,
the scopes that emit it (``check``: reading and checking a table; ``framework``: the checks a
framework file must pass; ``consolidate``: ``xladdin consolidate``) and its message templates in
``str.format`` style. A code may have several forms (e.g. ``total-weight`` is an error when the
level-1 weights miss the total, a warning when the stated total is not 100): each form is a
template with its own severity. The default form is ``""``.

    >>> issue("score-mismatch", cell="F7", where="三级指标“预算执行率”", score="3", weight="4",
    ...       deduction="0", computed="4").message
    '三级指标“预算执行率”得分 3 与“分值 4 − 扣分 0 = 4”不一致。'

Pure: no I/O, no third-party imports. ``python3 -m xladdin.core.catalogue --markdown`` prints the
README's table of check codes.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xladdin.core.model import Issue, Severity

SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告"}

CHECK, FRAMEWORK, CONSOLIDATE = "check", "framework", "consolidate"


@dataclass(frozen=True, slots=True)
class Form:
    """One message form of a code: its template and the severity it is emitted with."""

    template: str
    severity: Severity

    @property
    def fields(self) -> tuple[str, ...]:
        """The named fields the template uses, in order of first use."""
        out: list[str] = []
        for _, name, _, _ in string.Formatter().parse(self.template):
            if name and name not in out:
                out.append(name)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    title: str  # short Chinese meaning: the README table's 含义
    description: str
    scopes: tuple[str, ...]  # which tools emit it: check / framework / consolidate
    forms: Mapping[str, Form]  # form name ("" = default) -> template and severity

    @property
    def severities(self) -> tuple[Severity, ...]:
        """The severities the code is emitted with, the default form's first."""
        out: list[Severity] = []
        for form in self.forms.values():
            if form.severity not in out:
                out.append(form.severity)
        return tuple(out)

    @property
    def severity(self) -> Severity:
        return self.forms[""].severity

    @property
    def template(self) -> str:
        return self.forms[""].template


def _e(template: str) -> Form:
    return Form(template, "error")


def _w(template: str) -> Form:
    return Form(template, "warning")


_ENTRIES: tuple[Code, ...] = (
    # -- check: the checks over the indicator tree (xladdin.kinds.department.checks) -------------
    Code("weight-sum", "上级指标分值 ≠ 下级指标分值之和（标在上级分值单元格）",
         "某个上级指标填写的分值与其下级指标分值之和不一致；一处填错只在填错的位置报告一次。",
         (CHECK, FRAMEWORK), {
             "": _e("{where}的分值填的是 {weight}，但其下级指标分值之和为 {parts} = {total}，"
                    "两者不一致（请核对是上级分值还是下级分值填错）。"),
         }),
    Code("total-weight", "一级指标分值合计 ≠ 总分（合计行所写，或 100）；合计行所写总分不是 100 时为警告",
         "一级指标分值之和应等于合计行所写的总分，没有合计行时应等于 100；两者相等但合计行所写总分"
         "不是 100 时给出警告。",
         (CHECK, FRAMEWORK), {
             "": _e("一级指标分值合计为 {total}（{names}），{source}，相差 {difference} 分。"),
             "not-standard": _w("一级指标分值合计为 {total}，不是 {standard} 分；按规定评分表总分应为 100 分。"),
         }),
    Code("deduction-range", "扣分小于 0 或大于该指标分值",
         "末级指标的扣分应在 0 到该指标分值之间。",
         (CHECK,), {
             "": _e("{where}扣分 {deduction}：{why}。"),
         }),
    Code("score-range", "得分小于 0 或大于该指标分值",
         "末级指标的得分应在 0 到该指标分值之间。",
         (CHECK,), {
             "": _e("{where}得分 {score}：{why}。"),
         }),
    Code("score-mismatch", "得分 ≠ 分值 − 扣分",
         "同时填了扣分和得分的末级指标，得分应等于分值减扣分。",
         (CHECK,), {
             "": _e("{where}得分 {score} 与“分值 {weight} − 扣分 {deduction} = {computed}”不一致。"),
         }),
    Code("total-mismatch", "合计行或表中写明的总得分与计算结果不一致",
         "合计行各列的合计、表中写明的综合得分，应与按各指标计算的结果一致。",
         (CHECK,), {
             "": _e("{label}行的{what}写的是 {stated}，按各指标计算应为 {computed}。"),
             "stated-total": _e("表中写明的总得分为 {stated}（“{text}”），按各指标得分计算应为 {computed}。"),
             "subtotal": _e("{cell} 是“{label}”行（{block}的小计），{what}写的是 {stated}，"
                            "按该组各指标计算应为 {computed}{other}。"),
         }),
    Code("grade-mismatch", "表中写明的等级与总得分对应的等级不一致",
         "表中写明的评价等级应与按总得分和等级分档得出的等级一致。",
         (CHECK,), {
             "": _e("表中写明的评价等级为“{stated}”（即“{shown}”），但总得分 {total} 对应的等级是“{grade}”。"),
             "same": _e("表中写明的评价等级为“{stated}”，但总得分 {total} 对应的等级是“{grade}”。"),
         }),
    Code("missing-value", "分值空白，或某指标的扣分和得分都空白（空白不会按满分计算）",
         "末级指标没有分值，扣分和得分都没有填写，或某行填了数值却没有指标名称。",
         (CHECK,), {
             "": _e("{where}的{what}没有填写；空白不会按满分计算，请填写（不扣分请填 0 或填满分得分）。"),
             "weight": _e("{where}没有填分值。"),
             "name": _e("第 {row} 行填了分值或得分，但没有指标名称。"),
             "project": _e("{where}的{what}没有填写；空白不按满分也不按 0 分计算，总分暂不能计算。"),
         }),
    Code("duplicate-indicator", "同一上级下出现同名指标",
         "同一上级指标下有两个名称相同的指标（忽略空格和全角半角），其分值和得分会被重复计算。",
         (CHECK, FRAMEWORK), {
             "": _e("{where}在同一上级下出现了两次（另一处在 {other}），分值和得分会被重复计算。"),
         }),
    # -- check: problems found while reading the table (xladdin.kinds.department.parse) ----------
    Code("text-number", "数字存成了文本（如“3分”“ ３ ”），已按数字读取",
         "应填数字的单元格是文本格式的数字，已按数字读取；Excel 公式不会计算它。",
         (CHECK,), {
             "": _w("{cell} 的{what}“{text}”是文本格式的数字，已按 {value} 读取；"
                    "建议改为数值格式，否则 Excel 公式不会计算它。"),
         }),
    Code("bad-number", "应填数字的单元格填了无法识别的内容（如“三”、#DIV/0!）",
         "应填数字的单元格里是无法读成数字的内容，或是 Excel 错误值。",
         (CHECK, FRAMEWORK), {
             "": _e("{cell} 的{what}应为数字，实际填的是{described}，无法计算。"),
             "error-value": _e("{cell} 的{what}是错误值“{value}”，请检查该单元格的公式。"),
             "blank-error": _e("{cell} 的{what}是错误值“{value}”，请检查该单元格的公式或内容。"),
         }),
    Code("formula-no-value", "公式没有保存计算结果（程序生成的文件），已代为计算",
         "单元格是公式，但文件里没有保存计算结果；能计算的已代为计算。",
         (CHECK,), {
             "": _w("{cell} 的{what}是公式“{formula}”，但文件里没有保存计算结果（常见于程序生成的文件）；"
                    "{done}。请在 Excel 中打开并保存一次。"),
         }),
    # -- check: the workbook cannot be used at all (xladdin.errors, raised by xladdin.reading) ----
    Code("not-scoring-table", "文件里找不到评分表",
         "工作簿里没有一张工作表像评分表（找不到表头），或是以前生成的汇总表。",
         (CHECK, CONSOLIDATE), {
             "": _e("{reason}"),
             "summary": _e("文件“{file}”是 xladdin 生成的汇总表，不是部门评分表，未计入汇总。"),
         }),
    Code("unreadable", "文件损坏、加密、为空或不是 Excel 工作簿",
         "文件无法作为 Excel 工作簿读取；汇总时读取超时或读取程序异常退出也记为此代码。",
         (CHECK, CONSOLIDATE), {
             "": _e("{reason}"),
             "crashed": _e("读取文件“{file}”时读取程序异常退出，文件可能已损坏；请重新导出后提交。"),
             "timeout": _e("读取文件“{file}”超过 {seconds} 秒仍未完成（超时），已停止读取；"
                           "文件可能已损坏或被恶意构造，请重新导出后提交。"),
             "unexpected": _e("文件“{file}”读取时出现意外错误（{error}），未能校验；"
                              "请重新导出该文件，或把它发给技术人员。"),
             "not-returned": _e("文件“{file}”读取后无法传回结果（{error}），未能校验；请把它发给技术人员。"),
             "memory": _e("读取文件“{file}”需要的内存超过上限（{limit}），已停止读取；文件可能已损坏或被恶意构造"
                          "（如解压后极大），请重新导出后提交。"),
         }),
    # -- check: what real tables bring (xladdin.kinds.department.parse, issue 11) ----------------
    Code("template-row", "模板行：只有指标名称、没有任何数字的行（未计入）",
         "表中只重复上级指标名称、或只有指标名称而分值、扣分、得分全部空白的行，是没有删除的模板行，"
         "不作为指标计算。",
         (CHECK,), {
             "": _w("第 {row} 行只有指标名称“{name}”，分值、扣分、得分全部空白，按未使用的模板行处理，未计入；"
                    "如是漏填，请补填分值和得分。"),
             "repeat": _w("第 {row} 行只重复了上级指标名称“{name}”，没有下级指标和任何数字，"
                          "按多余的模板行处理，未计入；请删除该行。"),
         }),
    Code("rows-cut", "工作表行数超过读取上限，其后的行未读取",
         "工作表的行数超过读取上限（100,000 行）：只读取了前面的行，其后的指标没有计入。",
         (CHECK,), {
             "": _e("工作表“{sheet}”有 {total} 行，超过读取上限，只读取了前 {read} 行；其后的指标没有计入，"
                    "总分和校验结果不完整。请删除多余的行或把表格拆开后重新提交。"),
         }),
    Code("continuation-sheet", "续表在另一张工作表上，其中的指标没有计入",
         "评分表的续表放在另一张工作表上：只读取了第一张工作表上的表格，续表中的指标没有计入总分。",
         (CHECK,), {
             "": _e("工作表“{sheet}”是“{table_sheet}”的续表（{cell}“{text}”），其中的指标没有读取，总分不含续表部分；"
                    "请把续表的行接到“{table_sheet}”的表格下方后重新校验。"),
         }),
    Code("negative-deductions", "扣分一律写成负数，已按正数读取",
         "表中所有扣分都写成负数（如“-0.5”表示扣 0.5 分）：按填表习惯读作扣分的绝对值。",
         (CHECK,), {
             "": _w("表中 {count} 处扣分都写成负数（如 {cell} 的“{text}”），已按扣分 {value} 等正数读取；"
                    "建议扣分填正数。"),
         }),
    Code("percent-weights", "分值写成百分比，已按分数读取",
         "分值写成了百分比（如 25%）而得分是分数：按百分制换算成分值（25% 即 25 分）。",
         (CHECK,), {
             "": _w("分值写成了百分比（如 {cell} 的“{text}”），一级指标合计为 100%，得分是分数；"
                    "已按百分制读作 {value} 分等。建议分值直接填分数。"),
         }),
    # -- check: the 项目支出绩效自评表 (xladdin.kinds.project.checks) --------------------------------
    Code("budget-rate-mismatch",
         "项目表：执行率 ≠ 全年执行数 ÷ 全年预算数（四川：÷ 调整后预算数），相差超过 0.5 个百分点",
         "预算执行的执行率应等于全年执行数除以全年预算数（四川表式为调整后预算数），允许 0.5 个百分点的误差。",
         (CHECK,), {
             "": _e("执行率写的是 {stated}，按“{executed} ÷ {full_year}”（全年执行数 ÷ {base}）应为 {computed}。"),
         }),
    Code("budget-score-mismatch", "项目表：预算执行得分 ≠ 分值 × 执行率（按金额算出的执行率，最高为分值）",
         "预算执行的得分应等于分值乘以按金额算出的执行率，执行率超过 100% 的按分值计；允许计分规则所定的取整。",
         (CHECK,), {
             "": _e("预算执行得分写的是 {score}，按“分值 {weight} × 执行率 {rate}”应为 {computed}{note}。"),
         }),
    Code("budget-parts-sum", "项目表：“其中”各行之和 ≠ 年度资金总额",
         "年度资金总额的年初预算数、全年预算数、全年执行数，应分别等于其下“其中”各行之和。",
         (CHECK,), {
             "": _e("年度资金总额的{what}写的是 {total}，但其中各行之和为 {parts} = {sum}，两者不一致。"),
             "single": _e("年度资金总额的{what}写的是 {total}，但其下“其中”行的{what}为 {sum}，两者不一致。"),
         }),
    Code("budget-overspent", "项目表：全年执行数大于全年预算数",
         "全年执行数超过全年预算数（超支），请核对金额或说明原因。",
         (CHECK,), {
             "": _w("全年执行数 {executed} 大于{base} {full_year}（执行率 {rate}），请核对金额或说明超支原因。"),
         }),
    Code("met-but-deducted", "项目表：完成值已达到指标值，却没有得满分",
         "定量指标的实际完成值按指标性质（≥、≤、=）已达到年度指标值，得分却低于分值。",
         (CHECK,), {
             "": _w("{where}完成值 {completed} 已达到指标值 {target}，得分却是 {score}（分值 {weight}）；"
                    "达到指标值应得满分，如另有扣分理由请写在偏差原因中。"),
         }),
    Code("score-rule", "项目表：得分与计分规则算出的得分不一致",
         "按计分规则：正向指标（≥、>）得分 = 完成值 ÷ 指标值 × 分值，最高为分值；反向指标（≤、<）"
         "得分 = (1 − (完成值 − 指标值) ÷ 指标值) × 分值，达到指标值两倍为 0；定性指标“达成 / 部分达成 / 未达成”"
         "分别在分值的 [80%, 100%] / [60%, 80%) / [0, 60%)（分档按计分规则）。",
         (CHECK,), {
             "": _w("{where}得分 {score}，按计分规则（{rule}）应为 {computed}：{arithmetic}。"),
             "band": _w("{where}完成情况为“{completed}”（{outcome}），"
                        "按计分规则（{rule}）得分应在 {low} 到 {high} 之间，"
                        "实际为 {score}。"),
         }),
    Code("deviation-reason-missing", "项目表：得分低于分值，但没有填写偏差原因",
         "得分低于分值的指标，应在“偏差原因分析及改进措施”（四川：未完成原因分析）中说明原因。",
         (CHECK,), {
             "": _w("{where}得分 {score} 低于分值 {weight}，但没有填写偏差原因及改进措施。"),
         }),
    Code("over-target", "项目表：完成值远超指标值（≥ 130%），没有说明原因",
         "实际完成值达到年度指标值的 130%（计分规则可改）及以上，说明指标值可能定得偏低，应填写偏差原因。",
         (CHECK,), {
             "": _w("{where}完成值 {completed} 是指标值 {target} 的 {ratio}，超过 {limit}，但没有填写偏差原因；"
                    "指标值是否定得偏低？"),
         }),
    Code("actual-not-numeric", "项目表：定量指标的完成值不是数字（如“完成”“达标”）",
         "年度指标值是数字的定量指标，实际完成值应填写实际达到的数字，而不是“完成”“达标”或照抄指标值。",
         (CHECK,), {
             "": _w("{where}的指标值是 {target}（定量），完成值却填的是“{completed}”，"
                    "无法判断是否达到；请填写实际数值。"),
             "copied": _w("{where}的完成值“{completed}”带比较符号，像是照抄了指标值 {target}；请填写实际达到的数值。"),
         }),
    Code("placeholder-row", "项目表：留有模板占位行（“指标1”“……”）或空的二级指标行",
         "评分表里留下了模板的占位行（“指标1”“指标2”“……”）或没有任何三级指标的二级指标行；"
         "不计分，也不按缺项处理，建议删除。",
         (CHECK,), {
             "": _w("{where}下留有 {count} 行模板占位行（{texts}），建议删除。"),
             "empty-group": _w("{where}没有三级指标，也没有分值和得分；如不适用，建议删除该行。"),
         }),
    Code("weight-split", "项目表：一级指标分值不符合计分规则，或一个指标占了指标总分值的一半以上",
         "一级指标分值应符合计分规则（全国：产出 50、效益 30、满意度 10，另加预算执行 10）；"
         "一个三级指标不宜占全部指标分值的一半以上。",
         (CHECK,), {
             "": _w("一级指标分值为 {have}，按计分规则（{rule}）应为 {want}。"),
             "one-indicator": _w("{where}分值 {weight}，占全部指标分值 {total} 的 {share}；"
                                 "一个指标权重过大，评价难以反映项目全貌。"),
         }),
    # -- check: the 基础数据 sheet and the 测算对比 (xladdin.kinds.basic_data) ----------------------
    Code("basic-data-parts", "基础数据：其中各项之和 ≠ 合计数，或其中数大于总数",
         "基础数据表中“其中”各项（如行政/事业编制、按功能分类的预算科目）之和应等于合计数；"
         "其中数（如在用固定资产、满意问卷数）不能大于总数。",
         (CHECK,), {
             "": _e("基础数据 {what}为 {total}，其中各项之和 {parts} = {sum}，相差 {difference}。"),
             "within": _e("基础数据 {part}的{column}数 {value} 大于 {whole} 的 {limit}。"),
         }),
    Code("basic-data-budget", "基础数据：全年预算数 ≠ 年初预算 + 上年结转 + 本年调整",
         "全年预算数（B04）应等于年初预算数（B01）+ 上年结转结余（B02）+ 本年预算调整数（B03）。",
         (CHECK,), {
             "": _e("基础数据（{column}）：全年预算数 B04 为 {budget}，"
                    "但年初预算 {initial} + 上年结转 {carried} + 本年调整 {adjusted}"
                    " = {sum}，相差 {difference}。"),
         }),
    Code("basic-data-carry", "基础数据：年末结转结余 ≠ 全年预算数 − 支出决算数",
         "年末结转结余（B06）应约等于全年预算数（B04）减支出决算数（B05）。",
         (CHECK,), {
             "": _w("基础数据（{column}）：年末结转结余 B06 为 {carry}，"
                    "但全年预算 {budget} − 支出决算 {spent} = {rest}，请核对。"),
         }),
    Code("basic-data-overspend", "基础数据：支出决算数大于全年预算数（超支）",
         "支出决算数（B05）不应大于调整后的全年预算数（B04）。",
         (CHECK,), {
             "": _w("基础数据（{column}）：支出决算数 B05 为 {spent}，"
                    "大于全年预算数 B04 的 {budget}（超支 {difference}），请核对。"),
         }),
    Code("basic-data-value", "基础数据：数字无法识别、为负数，或人数不是整数",
         "基础数据表的本年、上年数应为数字；金额和人数不能为负（本年预算调整数除外），人数应为整数。",
         (CHECK,), {
             "": _e("基础数据 {what}应为数字。"),
             "bad": _e("基础数据 {what}应为数字，实际填的是{described}，无法测算。"),
             "negative": _e("基础数据 {what}为 {value}，不能为负数。"),
             "integer": _e("基础数据 {what}为 {value}，人数应为整数。"),
         }),
    Code("self-score-high", "自评得分高于按基础数据测算的建议得分（自评偏高）",
         "按基础数据和评分规则测算的建议得分低于自评得分；自评得分不会被修改，请核对或说明理由。",
         (CHECK,), {
             "": _w("{where}自评得分 {score}，按基础数据测算的建议得分为 {suggested}（{value}；{rule}），"
                    "自评偏高 {difference} 分。计算过程：{process}。"),
         }),
    Code("rules-invalid", "评分规则表有误，按内置规则测算",
         "工作簿里的“评分规则”表无法使用（指标、规则类型或参数无法识别）；测算对比按内置规则“通用”计算。",
         (CHECK,), {
             "": _w("{reason}本次测算按内置规则“通用”计算。"),
         }),
    # -- consolidate: across the submissions (xladdin.consolidation) ------------------------------
    Code("framework-differs", "一级指标与多数单位不同：照常汇总，各指标按名称对应",
         "该单位的一级指标与多数单位使用的不同（缺少或多出一级指标）；照常汇总，各指标按名称对应。",
         (CONSOLIDATE,), {
             "": _w("{unit}的一级指标与多数单位（{majority} 个）不同：{differences}。"
                    "已照常汇总，各指标按名称对应；请核对是否使用了统一的评分表。"),
         }),
    Code("duplicate", "被较新的报送取代",
         "同一单位同一年度有多个文件：以较新的为准，本文件不计入汇总。",
         (CONSOLIDATE,), {
             "": _w("与“{winner}”是同一单位（{unit}）{year}的评分表，按{basis}以较新的"
                    "“{winner}”为准，本文件未计入汇总。"),
         }),
    Code("year-differs", "评价年度与本次汇总不同",
         "评分表所写的评价年度与本次汇总的年度不同。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”是 {table_year} 年度的评分表，与本次汇总的 {year} 年度不同，请核对是否报错了年度。"),
         }),
    Code("year-missing", "表中没写年度，按汇总年度处理",
         "评分表里没有写评价年度，按本次汇总的年度处理。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”的评分表里没有写评价年度，按 {year} 年度汇总。"),
         }),
    Code("unit-missing", "表中没写单位名称，暂以文件名代替",
         "评分表里没有找到单位名称（标题或“单位名称”行），汇总中暂以文件名代替。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”的评分表里没有找到单位名称（标题或“单位名称”行），汇总中暂以文件名“{shown}”代替。"),
         }),
    Code("unit-not-expected", "单位不在单位名单中",
         "汇总时给了单位名单（--units），而这份评分表的单位不在名单上：可能是单位名称写法不同，或名单漏了它。",
         (CONSOLIDATE,), {
             "": _w("文件“{file}”的单位“{unit}”不在单位名单中，已照常汇总；请核对单位名称的写法，或名单是否漏了它。"),
         }),
)

CATALOGUE: dict[str, Code] = {c.code: c for c in _ENTRIES}

# The codes of each scope, in catalogue order (stable: users' scripts rely on them).
ISSUE_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if CHECK in c.scopes)
FRAMEWORK_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if FRAMEWORK in c.scopes)
CONSOLIDATION_CODES: tuple[str, ...] = tuple(c.code for c in _ENTRIES if c.scopes[0] == CONSOLIDATE)

# (code, form) -> (template, severity): the one look-up issue() makes
_FORMS: dict[tuple[str, str], tuple[str, Severity]] = {
    (c.code, name): (f.template, f.severity) for c in _ENTRIES for name, f in c.forms.items()}


def _unknown(code: str, form: str) -> KeyError:
    if code not in CATALOGUE:
        return KeyError(f"unknown issue code {code!r}")
    return KeyError(f"issue code {code!r} has no message form {form!r}")


def message(code: str, form: str = "", **fields: Any) -> str:
    """The message of ``code`` (form ``form``) with its fields filled in; KeyError for an unknown code."""
    found = _FORMS.get((code, form))
    if found is None:
        raise _unknown(code, form)
    return found[0].format_map(fields)


def issue(code: str, cell: str | None = None, path: tuple[str, ...] = (), sheet: str | None = None,
          expected: Any = None, actual: Any = None, severity: Severity | None = None, form: str = "",
          **fields: Any) -> Issue:
    """An :class:`Issue` of ``code`` whose message is the form's template filled with ``fields``
    (``cell`` and ``sheet`` are fields too). The severity is the form's unless given.
    KeyError for an unknown code or form, or a field the template needs and was not given.

    Runs for every issue of thousands of tables: one dict look-up and one ``str.format_map``.
    """
    found = _FORMS.get((code, form))
    if found is None:
        raise _unknown(code, form)
    fields["cell"] = cell
    fields["sheet"] = sheet
    return Issue(code, severity or found[1], found[0].format_map(fields), cell, path, expected, actual, sheet)


def markdown_table(scope: str = CHECK) -> str:
    """The README's table of the codes of ``scope``: | 代码 | 级别 | 含义 |."""
    lines = ["| 代码 | 级别 | 含义 |", "|---|---|---|"]
    for c in _ENTRIES:
        if c.scopes[0] == scope:
            level = "/".join(SEVERITY_LABEL[s] for s in c.severities)
            lines.append(f"| `{c.code}` | {level} | {c.title} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--markdown"]:
        print(markdown_table())
        return 0
    print("usage: python3 -m xladdin.core.catalogue --markdown", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
