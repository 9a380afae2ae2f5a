"""Generated submissions: the demo's sample set, the tests' corpora and the benchmark's 1,000 files.

One generator, three users. A :class:`Submission` says what a department sent (unit, year,
deductions with reasons) and which mistakes its clerk made (a wrong subtotal, a deduction above the
weight, a blank score, a hand-typed 合计, a broken file ...); :func:`write_submission` writes it in
the familiar layout through :mod:`xladdin.outputs.layout`. The bytes are reproducible: zip entry times
and the workbook's saved time come from ``Submission.modified`` (openpyxl would stamp "now"), and
the file's modification time is set to it as well.

``python3 -m xladdin.samples DIR`` rewrites the bundled sample set (workbooks/ ships its output;
a test checks the shipped files still match this generator).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import random
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xladdin.kinds.department.framework import SEED_DEDUCTIONS, SEED_FRAMEWORK, Leaf, from_spec

Path_ = tuple[str, ...]

# What a submission file can be besides a scoring table ("project": a 项目支出绩效自评表).
KINDS = ("table", "truncated", "empty", "text", "not-table", "project")

SAMPLE_DIR_NAME = "示例-永靖县-2023-部门报送"
SAMPLE_COUNTY = "永靖县"
SAMPLE_YEAR = 2023


@dataclass(frozen=True)
class Submission:
    """One file a department sent in, and how its clerk filled it in.

    ``weights``: written weights that differ from the framework, by node path (a wrong subtotal).
    ``cells``: what was typed into a leaf's 扣分/得分 cell instead of the plain numbers,
    keyed by (leaf path, "deduction"|"score"); None leaves the cell blank, a str is typed as text.
    ``totals``: 合计-row cells typed by hand, by column role ("score", "deduction", "weight:1").
    Unless overridden, the 合计 row holds what the clerk meant: the column sums of the numbers typed.
    """

    path: str  # relative file path, may include sub-folders
    unit: str | None = None
    year: int | None = SAMPLE_YEAR
    deductions: Mapping[Path_, float] = field(default_factory=dict)
    reasons: Mapping[Path_, str] = field(default_factory=dict)
    weights: Mapping[Path_, float] = field(default_factory=dict)
    cells: Mapping[tuple[Path_, str], Any] = field(default_factory=dict)
    totals: Mapping[str, Any] = field(default_factory=dict)
    footer: tuple[str, ...] = ()  # lines under the table, e.g. "评价等级：优"
    framework: tuple[Leaf, ...] = SEED_FRAMEWORK
    kind: str = "table"
    title_style: str = "title"  # "title": unit and year in the title; "lines": 单位名称/评价年度 lines
    modified: _dt.datetime = _dt.datetime(2024, 5, 20, 9, 0, 0)
    sheet: str = "表1"
    project: Any = None  # kind "project": the table (xladdin.outputs.project_template.ProjectSpec)
    # a 基础数据 sheet beside the table (issue 14): (编码, 数据项, 本年, 上年, 取数来源) rows
    basic_data: tuple[tuple[str, str, Any, Any, str], ...] = ()


# -- frameworks -------------------------------------------------------------------------------

def leaf_path(name: str, framework: Sequence[Leaf] = SEED_FRAMEWORK) -> Path_:
    """The path of the leaf whose last name is ``name`` (unique in the frameworks used here)."""
    hits = [leaf.path for leaf in framework if leaf.path[-1] == name]
    if len(hits) != 1:
        raise KeyError(f"leaf {name!r}: {len(hits)} matches")
    return hits[0]


def by_name(values: Mapping[str, Any], framework: Sequence[Leaf] = SEED_FRAMEWORK) -> dict[Path_, Any]:
    return {leaf_path(k, framework): v for k, v in values.items()}


# The seven level-1 indicators the seed report names (社会效应 and 可持续性发展能力 instead of 基础管理),
# as some departments use it: the "framework differs" case. Total 100.
SEVEN_FRAMEWORK: tuple[Leaf, ...] = from_spec([
    ("部门规划", 15, "部门年度计划", 3, [("部门年度计划合理性", 1), ("部门年度目标明确性", 2)]),
    ("部门规划", 15, "部门绩效目标", 6, [("绩效目标合理性", 3), ("绩效指标明确性", 3)]),
    ("部门规划", 15, "资源配置效率", 6, [("资金分配合理性", 3), ("预算安排保障率", 2), ("人力资源配置", 1)]),
    ("运行成本", 15, "基本经费成本", 10, [("财政供养人员控制率", 2), ("人均公用经费", 3),
                                       ("“三公经费”控制情况", 3), ("一般性支出压缩率", 2)]),
    ("运行成本", 15, "项目经费成本", 5, [("成本控制制度建设", 2), ("成本控制有效性", 3)]),
    ("管理效率", 35, "预算管理", 10, [("预算管理制度健全性", 1), ("预算编制", 4), ("预算执行", 3),
                                     ("预决算信息公开", 2)]),
    ("管理效率", 35, "收支管理", 6, [("收支管理制度健全性", 1), ("资金使用合规性", 3), ("会计核算规范性", 2)]),
    ("管理效率", 35, "采购管理", 3, [("政府采购管理制度健全性", 1), ("政府采购规范性", 1), ("政府采购执行率", 1)]),
    ("管理效率", 35, "资产管理", 4, [("资产管理制度健全性", 1), ("资产管理安全性", 1), ("资产利用率", 2)]),
    ("管理效率", 35, "绩效管理", 12, [("绩效机制体制建设", 2), ("绩效运行监控", 3), ("绩效评价", 3),
                                    ("绩效信息公开", 2), ("评价结果应用", 2)]),
    ("履职效能", 20, "年度目标", 8, [("年度目标完成率", 8)]),
    ("履职效能", 20, "重点工作", 12, [("工作效率", 4), ("工作质量", 4), ("工作态度", 4)]),
    ("社会效应", 5, "社会效益", 5, [("社会效益实现程度", 5)]),
    ("可持续性发展能力", 5, "长效管理", 5, [("长效机制建设", 3), ("人才队伍建设", 2)]),
    ("服务对象满意度", 5, "服务对象满意度", 5, []),
])


# -- writing ----------------------------------------------------------------------------------

def title_of(sub: Submission) -> str:
    year = f"{sub.year}年度" if sub.year else ""
    if sub.title_style == "title":
        return f"{sub.unit or ''}{year}部门整体支出绩效评价指标评分表"
    return f"{year}部门整体支出绩效评价指标评分表"


def build_workbook(sub: Submission):
    """The openpyxl workbook of a "table" or "not-table" submission."""
    import openpyxl

    from xladdin.outputs.layout import DEFAULT_COLUMNS, write_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sub.sheet
    if sub.kind == "not-table":
        _not_a_table(ws, sub)
        _typed_as_text(ws)
        return wb
    if sub.kind == "project":
        from xladdin.outputs.project_template import project_rows, write_project_rows

        write_project_rows(ws, project_rows(sub.project))
        return wb
    columns = DEFAULT_COLUMNS + (("reason",) if sub.reasons else ())
    info: list[tuple[str, Any]] = []
    if sub.title_style == "lines":
        if sub.unit is not None:
            info.append(("单位名称", sub.unit))
        if sub.year is not None:
            info.append(("评价年度", f"{sub.year}年度"))
    geo = write_table(ws, sub.framework, columns=columns, title=title_of(sub), info_lines=info, criteria=False)
    cols = geo.columns
    for path, w in sub.weights.items():
        r0, _ = geo.blocks[path]
        ws.cell(r0, cols[f"weight:{len(path)}"], w)
    typed_d: dict[Path_, Any] = {}
    typed_s: dict[Path_, Any] = {}
    for leaf, r in zip(sub.framework, geo.leaf_rows):
        d = float(sub.deductions.get(leaf.path, 0))
        typed_d[leaf.path] = d if d else None  # blank where nothing was deducted, as clerks do
        typed_s[leaf.path] = leaf.weight - d
        if leaf.path in sub.reasons:
            ws.cell(r, cols["reason"], sub.reasons[leaf.path])
    for (path, role), v in sub.cells.items():
        (typed_d if role == "deduction" else typed_s)[path] = v
    for leaf, r in zip(sub.framework, geo.leaf_rows):
        for role, typed in (("deduction", typed_d), ("score", typed_s)):
            v = typed[leaf.path]
            if v is not None:
                cell = ws.cell(r, cols[role], v)
                if isinstance(v, str):
                    cell.data_type = "s"
    # the 合计 row: what the clerk meant (numbers typed, text like "3分" read as 3), unless typed by hand
    tr = geo.totals_row
    assert tr is not None
    for role, c in cols.items():
        if role.startswith("weight:"):
            level = int(role.split(":")[1])
            seen: dict[Path_, float] = {}
            for leaf in sub.framework:
                if len(leaf.path) >= level:
                    p = leaf.path[:level]
                    seen[p] = float(sub.weights.get(p, leaf.levels[level - 1].weight))
                else:
                    seen[leaf.path] = float(sub.weights.get(leaf.path, leaf.weight))
            ws.cell(tr, c, _num(sum(seen.values())))
        elif role.startswith("name:") and c != 1:
            ws.cell(tr, c, "-")
    ws.cell(tr, cols["deduction"], _num(sum(_meant(v) for v in typed_d.values())))
    ws.cell(tr, cols["score"], _num(sum(_meant(v) for v in typed_s.values())))
    for role, v in sub.totals.items():
        ws.cell(tr, cols[role], v)
    for k, line in enumerate(sub.footer, 1):
        ws.cell(tr + k, 1, line)
    widths = {"name:1": 14, "name:2": 16, "name:3": 24, "reason": 36}
    for role in cols:
        ws.column_dimensions[geo.col_letter(role)].width = widths.get(role, 7)
    _typed_as_text(ws)
    if sub.basic_data:
        bd = wb.create_sheet("基础数据")
        bd.append(["编码", "数据项", "单位", "本年", "上年", "取数来源", "备注"])
        for code, name, current, previous, source in sub.basic_data:
            unit = "人" if code.startswith("P") else "万元"
            bd.append([code, name, unit, current, previous, source, None])
        for col, width in zip("ABCDEF", (7, 30, 6, 10, 10, 40)):
            bd.column_dimensions[col].width = width
    return wb


def _typed_as_text(ws) -> None:
    """Everything a clerk typed is text, even when it starts with "=" (a unit, an indicator name, a
    reason such as "=cmd|..."): openpyxl would otherwise write it as a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _meant(v: Any) -> float:
    if v is None:
        return 0.0
    if isinstance(v, str):
        m = re.search(r"-?\d+(\.\d+)?", v)
        return float(m.group(0)) if m else 0.0
    return float(v)


def _num(x: float) -> float | int:
    x = round(x, 6)
    return int(x) if x == int(x) else x


def _not_a_table(ws, sub: Submission) -> None:
    """A workbook a department sent by mistake: its basic-information sheet, no scoring table."""
    ws.title = "基本情况"
    rows = [
        (f"{sub.unit or ''}{sub.year or ''}年度部门整体支出绩效自评基本情况表",),
        ("单位名称", sub.unit),
        ("编制人数", 21, "实有人数", 19),
        ("年初预算（万元）", 1234.56, "全年支出（万元）", 1180.3),
        ("填表人", "李娟", "联系电话", "0930-8881234"),
    ]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)


def workbook_bytes(sub: Submission) -> bytes:
    """The .xlsx bytes of a submission, reproducible (fixed zip times and saved time)."""
    if sub.kind == "empty":
        return b""
    if sub.kind == "text":
        # a table pasted into a text file and saved with an .xlsx name
        return ("一级指标\t分值\t二级指标\t分值\t三级指标\t分值\t扣分\t得分\r\n"
                f"{sub.unit or ''} 评分表（文本格式）\r\n").encode("gbk")
    buf = io.BytesIO()
    build_workbook(sub).save(buf)
    data = _reproducible(buf.getvalue(), sub.modified)
    if sub.kind == "truncated":
        return data[: len(data) * 2 // 5]  # a download cut off part-way
    return data


def _reproducible(data: bytes, when: _dt.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"<dc:creator>[^<]*</dc:creator>", "<dc:creator>xladdin 示例</dc:creator>", text)
                body = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def write_submission(sub: Submission, folder: str | os.PathLike[str]) -> Path:
    """Write one submission under ``folder`` (sub-folders created) and set its modification time."""
    path = Path(folder) / sub.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(sub))
    ts = sub.modified.timestamp()
    os.utime(path, (ts, ts))
    return path


def write_set(subs: Iterable[Submission], folder: str | os.PathLike[str]) -> list[Path]:
    return [write_submission(s, folder) for s in subs]


# -- the bundled sample set: one county, one year ---------------------------------------------

def _at(day: int, hour: int = 10, minute: int = 0) -> _dt.datetime:
    return _dt.datetime(2024, 5, day, hour, minute, 0)


def _file(unit: str, suffix: str = "") -> str:
    return f"{unit}{SAMPLE_YEAR}年度部门整体支出绩效评价指标评分表{suffix}.xlsx"


# The seed report's own figures (永靖县工信局 2023 部门整体支出评价报告), as its clerk would enter them in 基础数据:
# the four 功能分类 amounts add up to 295.34, not the 297.80 the report gives as 年初支出预算 (issue 14).
_REPORT = "2023 年度整体支出部门评价报告"
SEED_BASIC_DATA: tuple[tuple[str, str, Any, Any, str], ...] = (
    ("P01a", "其中：行政编制", 6, None, f"{_REPORT}：核定行政编制 6 个"),
    ("P01b", "其中：事业编制", 11, None, f"{_REPORT}：事业编制 11 个"),
    ("P02a", "其中：行政编制人员", 7, None, f"{_REPORT}：现有行政编制人员 7 名"),
    ("P02b", "其中：事业编制人员", 14, None, f"{_REPORT}：事业编制人员 14 名"),
    ("B01", "年初支出预算数", 297.80, None, f"{_REPORT}：2023 年度支出预算数 297.80 万元"),
    ("B01.1", "其中：社会保障和就业支出", 51.87, None, _REPORT),
    ("B01.2", "其中：卫生健康支出", 11.82, None, _REPORT),
    ("B01.3", "其中：住房保障支出", 16.57, None, _REPORT),
    ("B01.4", "其中：资源勘探信息等支出", 215.08, None, _REPORT),
    ("B04", "全年预算数（调整后）", 3237.16, None, f"{_REPORT}：收入决算数 3237.16 万元（报告未写调整后预算）"),
    ("B05", "支出决算数", 3236.35, None, f"{_REPORT}：部门支出决算数 3236.35 万元"),
)


def sample_submissions() -> list[Submission]:
    """永靖县 2023: sixteen departments, eighteen files, with the mistakes clerks really make."""
    county = SAMPLE_COUNTY
    n = by_name
    subs: list[Submission] = []

    def add(unit: str, deductions: Mapping[str, float], reasons: Mapping[str, str] | None = None,
            **kw: Any) -> None:
        fw = kw.get("framework", SEED_FRAMEWORK)
        full = county + unit
        kw.setdefault("path", _file(full))
        subs.append(Submission(unit=full, deductions=n(deductions, fw), reasons=n(reasons or {}, fw), **kw))

    # The real table (永靖县工信局 2023): 管理效率 written as 42 while its parts add up to 44.
    subs.append(Submission(
        path=_file(county + "工业和信息化局"), unit=county + "工业和信息化局",
        deductions=dict(SEED_DEDUCTIONS), weights={("管理效率",): 42}, totals={"weight:1": 100},
        modified=_at(13, 16, 40), basic_data=SEED_BASIC_DATA))
    add("财政局", {"预算执行": 1, "绩效信息公开": 1, "资产利用率": 1},
        {"预算执行": "年中预算调整率偏高", "绩效信息公开": "部分项目绩效自评结果未公开",
         "资产利用率": "部分办公设备闲置"},
        footer=("自评得分：97分", "评价等级：优"), modified=_at(10, 11, 5))
    add("审计局", {"评价结果应用": 1, "人均公用经费": 1},
        {"评价结果应用": "评价结果未与下年度预算安排挂钩", "人均公用经费": "人均公用经费高于全县平均水平"},
        modified=_at(14, 9, 30))
    add("市场监督管理局", {"预算编制": 2, "工作质量": 1, "会计核算规范性": 1},
        {"预算编制": "项目支出预算编制不够细化", "工作质量": "食品抽检任务完成质量有待提高",
         "会计核算规范性": "个别凭证附件不全"},
        modified=_at(16, 15, 20))
    add("人力资源和社会保障局", {"绩效目标合理性": 1, "资金使用合规性": 1, "年度目标完成率": 2, "政府采购执行率": 1},
        {"绩效目标合理性": "部分绩效目标未细化量化", "资金使用合规性": "个别支出审批手续不全",
         "年度目标完成率": "城镇新增就业人数未完成年度目标", "政府采购执行率": "政府采购预算执行率未达100%"},
        modified=_at(17, 10, 10))
    # A blank score: 成本控制有效性 left empty (neither 扣分 nor 得分).
    add("农业农村局", {"预算执行": 2, "绩效运行监控": 1, "工作效率": 2},
        {"预算执行": "年底结余资金较大", "绩效运行监控": "绩效监控覆盖面不足", "工作效率": "部分项目实施进度滞后"},
        cells={(leaf_path("成本控制有效性"), "score"): None}, modified=_at(20, 17, 45))
    add("自然资源局", {"一般性支出压缩率": 2, "预算编制": 2, "资产管理安全性": 1, "工作质量": 2, "合同管理规范性": 2},
        {"一般性支出压缩率": "一般性支出压缩未达要求", "预算编制": "预算编制与实际执行差异较大",
         "资产管理安全性": "固定资产账实不符", "工作质量": "不动产登记办理时限超标",
         "合同管理规范性": "部分合同未经法律审核"},
        title_style="lines", modified=_at(15, 11, 0))
    # A deduction above the weight: 扣 3 分 typed on 资产利用率 (2 分); 得分 written as 0.
    add("卫生健康局", {"预算编制": 2, "资产利用率": 3, "绩效评价": 1, "工作态度": 1},
        {"预算编制": "部分项目预算编制依据不足", "资产利用率": "医疗设备使用率低",
         "绩效评价": "绩效自评报告质量不高", "工作态度": "群众投诉2件"},
        cells={(leaf_path("资产利用率"), "score"): 0}, modified=_at(21, 9, 15))
    # A number typed as text ("3分") — read as 3, reported as a warning.
    add("民政局", {"预算执行": 1, "资金分配合理性": 1, "工作效率": 1, "绩效信息公开": 1},
        {"预算执行": "预算执行进度前慢后快", "资金分配合理性": "部分资金分配依据不充分",
         "工作效率": "低保动态管理不及时", "绩效信息公开": "信息公开不及时"},
        cells={(leaf_path("工作质量"), "score"): "4分"}, modified=_at(16, 16, 0))
    add("水务局", {"预算执行": 3, "成本控制有效性": 2, "年度目标完成率": 2, "工作效率": 2, "评价结果应用": 1,
                 "资产利用率": 1, "一般性支出压缩率": 1},
        {"预算执行": "项目资金支付进度缓慢", "成本控制有效性": "工程项目成本超概算",
         "年度目标完成率": "农村供水工程未按期完工", "工作效率": "项目前期工作推进慢",
         "评价结果应用": "评价结果应用不充分", "资产利用率": "部分设备闲置", "一般性支出压缩率": "压缩比例未达要求"},
        modified=_at(22, 10, 30))
    add("交通运输局", {"预算编制": 2.5, "预算执行": 2, "成本控制有效性": 2, "工作效率": 2, "工作质量": 2,
                    "绩效运行监控": 1.5, "政府采购规范性": 0.5, "合同管理规范性": 2},
        {"预算编制": "项目预算测算不精准", "预算执行": "专项资金执行率低", "成本控制有效性": "养护成本偏高",
         "工作效率": "农村公路建设进度滞后", "工作质量": "部分路段质量检测不合格",
         "绩效运行监控": "未按要求开展绩效监控", "政府采购规范性": "采购资料归档不全",
         "合同管理规范性": "合同履约管理不到位"},
        modified=_at(23, 14, 0))
    # 89.5 written up as 优: the stated grade does not match the score.
    add("林业和草原局", {"预算执行": 2, "工作效率": 2, "资金使用合规性": 1.5, "绩效评价": 2, "资产利用率": 1,
                     "一般性支出压缩率": 2},
        {"预算执行": "造林补助资金拨付滞后", "工作效率": "国土绿化任务推进缓慢", "资金使用合规性": "个别资金使用不规范",
         "绩效评价": "未对重点项目开展评价", "资产利用率": "部分林业机械闲置", "一般性支出压缩率": "未达压缩要求"},
        footer=("自评得分：89.5分", "评价等级：优"), modified=_at(24, 9, 0))
    add("住房和城乡建设局", {"预算编制": 4, "预算执行": 3, "绩效运行监控": 3, "绩效评价": 3, "年度目标完成率": 3,
                       "工作效率": 3, "工作质量": 2, "成本控制有效性": 2, "合同管理规范性": 2},
        {"预算编制": "预算编制粗放", "预算执行": "执行率低于80%", "绩效运行监控": "未开展绩效监控",
         "绩效评价": "未开展部门评价", "年度目标完成率": "老旧小区改造未完成年度任务",
         "工作效率": "审批时限超标", "工作质量": "工程质量问题整改不到位", "成本控制有效性": "项目超概算",
         "合同管理规范性": "合同签订不规范"},
        modified=_at(27, 18, 20))
    # Uses the seven-indicator framework of the seed report (社会效应、可持续性发展能力).
    add("文体广电和旅游局", {"预算执行": 1, "绩效评价": 1, "工作效率": 1, "社会效益实现程度": 1, "人才队伍建设": 1,
                       "“三公经费”控制情况": 1},
        {"预算执行": "文化惠民资金执行偏慢", "绩效评价": "自评不够深入", "工作效率": "旅游项目推进偏慢",
         "社会效益实现程度": "群众文化活动参与率不高", "人才队伍建设": "专业人才不足",
         "“三公经费”控制情况": "公务接待费超年初预算"},
        framework=SEVEN_FRAMEWORK, modified=_at(17, 15, 30))
    # The resubmission: 教育局 sent a table whose 合计 was typed by hand (93), then a corrected one.
    edu = county + "教育局"
    edu_d = {"预算执行": 2, "成本控制有效性": 1, "工作质量": 2, "绩效信息公开": 1, "资产管理安全性": 1,
             "一般性支出压缩率": 1}
    edu_r = {"预算执行": "教育专项资金执行率偏低", "成本控制有效性": "营养餐项目成本控制不严",
             "工作质量": "义务教育巩固率未达目标", "绩效信息公开": "绩效信息公开不全",
             "资产管理安全性": "学校资产登记不及时", "一般性支出压缩率": "压缩比例不足"}
    add("教育局", edu_d, edu_r, path=_file(edu), totals={"score": 93, "deduction": 7}, modified=_at(11, 16, 0))
    add("教育局", edu_d, edu_r, path=_file(edu, "（更正）"), modified=_at(18, 10, 45))
    # A broken file: the download was cut off.
    subs.append(Submission(path=_file(county + "统计局"), unit=county + "统计局", kind="truncated",
                           deductions=n({"预算执行": 1}), modified=_at(19, 8, 50)))
    # The wrong workbook: the basic-information sheet instead of the scoring table.
    subs.append(Submission(path=f"{county}医疗保障局{SAMPLE_YEAR}年度部门整体支出绩效自评基本情况表.xlsx",
                           unit=county + "医疗保障局", kind="not-table", modified=_at(24, 16, 10)))
    subs.extend(sample_project_submissions())
    return subs


def sample_project_submissions() -> list[Submission]:
    """Six 项目支出绩效自评表 from five departments of 永靖县, with the mistakes published tables show
    (see /work/shared/research/domain-next.md B.4): a target met but points deducted (98% of 98% scored
    19.6 of 20), 年度资金总额 0/0/0 above a 其中 row of 90/89.974, one indicator carrying all 90 points
    with 完成值 "完成", a table published with every 得分 and 完成值 blank, a 执行率 written 100% for
    86%, and a resubmission of the same project."""
    from xladdin.outputs.project_template import IndicatorSpec as I  # noqa: N817
    from xladdin.outputs.project_template import ProjectSpec

    county = SAMPLE_COUNTY
    subs: list[Submission] = []

    def add(unit: str, spec: ProjectSpec, day: int, suffix: str = "") -> None:
        subs.append(Submission(path=f"{county}{unit}{SAMPLE_YEAR}年度项目支出绩效自评表-{spec.project}{suffix}.xlsx",
                               unit=county + unit, kind="project", project=spec, modified=_at(day, 11)))

    add("教育局", ProjectSpec(
        "学生营养改善计划", county + "教育局", county + "教育局", SAMPLE_YEAR, 386.5, 386.5, 380.2,
        indicators=[
            I("产出指标", "数量指标", "受益学生人数", "≥12000人", 12350, 20, 20),
            I("产出指标", "质量指标", "食品安全事故发生次数", "=0次", 0, 15, 15),
            I("产出指标", "时效指标", "资金拨付及时率", "≥98%", "98%", 15, 14.7),  # met, deducted anyway
            I("效益指标", "社会效益指标", "学生营养状况改善率", "≥98%", "98%", 20, 19.6),  # 98% of 98% → 19.6 of 20
            I("效益指标", "可持续影响指标", "营养餐长效机制", "建立健全", "达成预期指标", 10, 10),
            I("满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "96%", 10, 10)]), 15)
    add("农业农村局", ProjectSpec(
        "高标准农田建设", county + "农业农村局", county + "农业农村局", SAMPLE_YEAR, 0, 0, 0, rate="0%",
        budget_score=0,
        parts=(("其中：当年财政拨款", 90, 89.974, 89.974), ("上年结转资金", None, None, None),
               ("其他资金", None, None, None)),
        indicators=[
            I("产出指标", "数量指标", "新建高标准农田面积", "≥5000亩", 5020, 20, 20),
            I("产出指标", "质量指标", "工程验收合格率", "100%", "100%", 15, 15),
            I("产出指标", "成本指标", "亩均投资", "≤1800元", 1792, 15, 15),
            I("效益指标", "经济效益指标", "粮食亩产增加", "≥50公斤", 56, 15, 15),
            I("效益指标", "生态效益指标", "节水灌溉面积占比", "≥60%", "83%", 15, 15),  # over 130%, no reason
            I("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%", "95%", 10, 10)]), 16)
    add("卫生健康局", ProjectSpec(
        "基本公共卫生服务补助", county + "卫生健康局", county + "疾病预防控制中心", SAMPLE_YEAR, 30, 30, 30,
        indicators=[I("产出指标", "成本指标", "成本控制数", "≤30万元", "完成", 90, 90)]), 17)
    add("交通运输局", ProjectSpec(
        "农村公路养护", county + "交通运输局", county + "交通运输局", SAMPLE_YEAR, 260, 260, 248.6,
        budget_score=None, total=None, grade=None,
        indicators=[
            I("产出指标", "数量指标", "养护里程", "≥300公里", None, 20, None),
            I("产出指标", "质量指标", "优良路率", "≥75%", None, 15, None),
            I("产出指标", "时效指标", "养护任务按期完成率", "100%", None, 15, None),
            I("效益指标", "社会效益指标", "群众出行条件改善", "明显改善", None, 30, None),
            I("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", None, 10, None)]), 20)
    water = [
        I("产出指标", "数量指标", "新建供水管网", "≥45公里", 46.2, 20, 20),
        I("产出指标", "质量指标", "水质达标率", "≥95%", "97%", 15, 15),
        I("产出指标", "成本指标", "单位管网造价", "≤20万元/公里", 23, 15, 15),  # over the cap, full marks
        I("效益指标", "社会效益指标", "受益人口", "≥18000人", 18600, 30, 30),
        I("满意度指标", "服务对象满意度指标", "用水户满意度", "≥90%", "93%", 10, 10)]
    add("水务局", ProjectSpec("农村供水保障工程", county + "水务局", county + "水务局", SAMPLE_YEAR, 500, 500, 430,
                             rate="100%", budget_score=10, indicators=water), 14)
    fixed = [I("产出指标", "数量指标", "新建供水管网", "≥45公里", 46.2, 20, 20),
             I("产出指标", "质量指标", "水质达标率", "≥95%", "97%", 15, 15),
             I("产出指标", "成本指标", "单位管网造价", "≤20万元/公里", 23, 15, 12.75, "材料价格上涨，已报批调整概算"),
             I("效益指标", "社会效益指标", "受益人口", "≥18000人", 18600, 30, 30),
             I("满意度指标", "服务对象满意度指标", "用水户满意度", "≥90%", "93%", 10, 10)]
    add("水务局", ProjectSpec("农村供水保障工程", county + "水务局", county + "水务局", SAMPLE_YEAR, 500, 500, 430,
                             indicators=fixed), 21, "（更正）")
    return subs


# -- random corpora (benchmark) ---------------------------------------------------------------

DEPARTMENTS = (
    "财政局", "教育局", "卫生健康局", "农业农村局", "水务局", "交通运输局", "民政局", "人力资源和社会保障局",
    "自然资源局", "住房和城乡建设局", "文体广电和旅游局", "市场监督管理局", "林业和草原局", "审计局", "统计局",
    "工业和信息化局", "发展和改革局", "司法局", "应急管理局", "生态环境分局", "商务局", "医疗保障局", "退役军人事务局",
    "乡村振兴局", "档案馆", "融媒体中心", "机关事务服务中心", "疾病预防控制中心", "人民医院", "中医医院",
)
COUNTIES = ("永靖县", "临夏县", "康乐县", "广河县", "和政县", "东乡县", "积石山县", "临夏市")


def random_submissions(n: int, seed: int = 0, year: int = SAMPLE_YEAR) -> list[Submission]:
    """``n`` plausible submissions (distinct units, 1–12 deductions each, about one in ten with a mistake)."""
    rng = random.Random(seed)
    leaves = list(SEED_FRAMEWORK)
    subs: list[Submission] = []
    for i in range(n):
        county = COUNTIES[(i // len(DEPARTMENTS)) % len(COUNTIES)]
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        batch = i // (len(DEPARTMENTS) * len(COUNTIES))
        unit = f"{county}{dept}" + (f"（{batch + 1}）" if batch else "")
        deductions: dict[Path_, float] = {}
        for leaf in rng.sample(leaves, rng.randint(1, 12)):
            deductions[leaf.path] = min(leaf.weight, rng.choice((0.5, 1, 1, 1, 2)))
        cells: dict[tuple[Path_, str], Any] = {}
        weights: dict[Path_, float] = {}
        roll = rng.random()
        if roll < 0.04:
            cells[(rng.choice(leaves).path, "score")] = None
        elif roll < 0.08:
            weights[("管理效率",)] = 42
        elif roll < 0.10:
            leaf = rng.choice(leaves)
            cells[(leaf.path, "score")] = f"{leaf.weight - deductions.get(leaf.path, 0):g}分"
        folder = county
        subs.append(Submission(
            path=f"{folder}/{unit}{year}年度部门整体支出绩效评价指标评分表.xlsx", unit=unit, year=year,
            deductions=deductions, cells=cells, weights=weights,
            modified=_dt.datetime(2024, 5, 1, 8, 0, 0) + _dt.timedelta(minutes=7 * i)))
    return subs


def main(argv: Sequence[str] | None = None) -> int:
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("用法：python3 -m xladdin.samples 输出文件夹（重新生成自带的示例评分表）", file=sys.stderr)
        return 2
    folder = Path(args[0])
    paths = write_set(sample_submissions(), folder)
    print(f"已生成 {len(paths)} 个示例文件：{folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
