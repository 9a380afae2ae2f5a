"""Rendering a report for people (Chinese text) and programs (JSON). Separate from checking."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xladdin.core.catalogue import SEVERITY_LABEL
from xladdin.core.numbers import fmt
from xladdin.core.report import Report


def to_json(report: Report) -> str:
    return json_text(report.to_dict())


def json_text(data: Any) -> str:
    """Strict JSON (no NaN/Infinity: a sum past 1e308 is null) in UTF-8-encodable text: a file name
    holding bytes that are not UTF-8 (GBK names from a zip or an old Windows share) decoded as GBK."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
        text.encode("utf-8")
        return text
    except (ValueError, UnicodeEncodeError):  # UnicodeEncodeError is a ValueError too
        return json.dumps(_clean(data), ensure_ascii=False, indent=2)


def readable(text: str) -> str:
    """A str that may carry undecodable bytes (``surrogateescape``, as Python gives file names that
    are not UTF-8): those decoded as GBK when they are GBK, else shown as �."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # lone surrogates of another kind
        return text.encode("utf-8", "replace").decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _clean(data: Any) -> Any:
    if isinstance(data, float):
        return data if data == data and data not in (float("inf"), float("-inf")) else None
    if isinstance(data, str):
        try:
            data.encode("utf-8")
            return data
        except UnicodeEncodeError:
            return readable(data)
    if isinstance(data, dict):
        return {_clean(k): _clean(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_clean(v) for v in data]
    return data


def _project_lines(t: Any, f: Any) -> list[str]:
    """The 项目支出绩效自评表's figures: project, budget execution, scores and the rule's total."""
    out = [f"项目：{t.project or '（未识别）'}　主管部门：{t.department or '（未识别）'}　计分规则：{t.profile.label}"
           f"{'（按表式判断）' if t.profile_guessed else ''}"]
    b = t.budget
    if b is not None:
        rate = f.rate if f.rate is not None else b.rate
        shown = f"{fmt(round(rate * 100, 2))}%" if rate is not None else "（空）"
        out.append(f"全年预算数 {fmt(b.amount('full_year'))}　全年执行数 {fmt(b.amount('executed'))}　执行率 {shown}　"
                   f"预算执行得分 {fmt(b.score)}（分值 {fmt(b.weight)}）")
    out.append(f"分值合计 {fmt(f.total_weight)}　自评总分 {fmt(f.total_score)}　等级 {f.grade or '（无）'}　"
               f"按计分规则测算 {fmt(f.rule_total)}")
    return out


def to_text(report: Report) -> str:
    name = Path(report.file).name if report.file else "（未命名）"
    lines: list[str] = []
    t, f = report.table, report.figures
    if t is None or f is None:
        lines.append(f"文件：{name}")
        for i in report.issues:
            lines.append(f"  ✗ 无法校验：{i.message}")
        return "\n".join(lines) + "\n"
    lines.append(f"文件：{name}　工作表：{t.sheet}")
    lines.append(f"单位：{t.unit or '（未识别）'}　年度：{t.year or '（未识别）'}")
    if t.kind == "project":
        lines.extend(_project_lines(t, f))
    else:
        stated = t.totals.values.get("weight:1") if t.totals else None
        differs = stated is not None and stated.value != f.total_weight
        weight_note = f"（合计行写 {fmt(stated.value)}）" if differs and stated is not None else ""
        lines.append(
            f"分值合计 {fmt(f.total_weight)}{weight_note}　扣分合计 {fmt(f.total_deduction)}　"
            f"总得分 {fmt(f.total_score)}　等级 {f.grade}")
    if report.measured is not None:  # the workbook had a 基础数据 sheet (issue 14)
        m = report.measured
        lines.append(f"测算对比（评分规则“{m.profile}”）：{m.headline}")
    errors, warnings = report.errors, report.warnings
    if not report.issues:
        lines.append("校验通过：未发现问题。")
        return "\n".join(lines) + "\n"
    lines.append(f"发现 {len(errors)} 个错误、{len(warnings)} 个警告：")
    for i in errors + warnings:
        mark = "✗" if i.severity == "error" else "!"
        cell = i.cell or "—"
        lines.append(f"  {mark} [{SEVERITY_LABEL[i.severity]}] {cell:<6} {i.message}（{i.code}）")
    if errors:
        lines.append("结论：有错误，请修改后重新校验。")
    else:
        lines.append("结论：没有错误，但有警告，建议核对。")
    return "\n".join(lines) + "\n"
