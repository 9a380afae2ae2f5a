"""What a terminal shows: the progress bar while reading and the Chinese overview at the end."""

from __future__ import annotations

import re
import sys
import time
from typing import Any

from xladdin.consolidation.model import PROJECT_SHEETS, STATUS_LABELS, STATUSES, SUMMARY_SHEETS, Entry, Summary
from xladdin.core.model import ERROR, WARNING
from xladdin.core.numbers import fmt


class Progress:
    """A one-line progress bar on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self, label: str = "读取评分表", stream: Any = None, min_total: int = 10):
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_total = min_total
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / (now - self.start) if now > self.start else 0.0
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total}（{rate:.0f} 个/秒）")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


MAX_LISTED = 30  # problem files listed in the overview; the summary workbook lists them all


def overview(summary: Summary) -> str:
    """A short Chinese overview: files, statuses, grades, problems, where the summary is."""
    c = summary.counts
    total = len(summary.entries)
    year = f"{summary.year} 年度" if summary.year else ""
    other_years = sorted({e.year for e in summary.entries
                          if e.readable and e.year and summary.year and e.year != summary.year})
    if other_years:  # --year 2024 on 2023 tables: say what was read, and what it was summed up as
        n_other = sum(1 for e in summary.entries if e.readable and e.year in other_years)
        lines = [f"共读取 {total} 个报送文件，按 {summary.year} 年度汇总，{len(summary.ranked)} 个单位计入汇总排名；"
                 f"其中 {n_other} 个评分表写的是 {'、'.join(map(str, other_years))} 年度，请核对年度。"]
    else:
        lines = [f"共读取 {total} 个{year}报送文件，{len(summary.ranked)} 个单位计入汇总排名。".replace("个2", "个 2")]
    parts = [f"{STATUS_LABELS[s]} {c[s]} 个" for s in STATUSES if c[s]]
    lines.append("状态：" + "，".join(parts) + "。")
    if summary.expected is not None:
        missing = summary.missing_units
        line = (f"单位名单 {len(summary.expected)} 个单位：已报送 {len(summary.expected) - len(missing)} 个，"
                f"未报送 {len(missing)} 个")
        shown = "、".join(missing[:MAX_LISTED]) + ("等" if len(missing) > MAX_LISTED else "")
        lines.append(line + (f"：{shown}。" if missing else "。"))
    lines.append("等级：" + "，".join(f"{g} {n} 个" for g, n in summary.grade_counts) + "。")
    if summary.ranked:
        top, bottom = summary.ranked[0], summary.ranked[-1]
        lines.append(f"最高：{top.unit_shown} {fmt(top.total_score)} 分；"
                     f"最低：{bottom.unit_shown} {fmt(bottom.total_score)} 分。")
    problems = [e for e in summary.entries if e.status != "ok" or e.warnings]
    if problems:
        lines.append("需要处理的文件：")
        for e in problems[:MAX_LISTED]:
            who = f"{e.unit_shown}：" if e.readable else ""
            if e.readable and e.project is not None:  # a 项目支出绩效自评表: name the project too
                who = f"{e.unit_shown}（项目“{e.project.project}”）："
            lines.append(f"  · [{STATUS_LABELS[e.status]}] {who}{_short_message(e)}")
        if len(problems) > MAX_LISTED:
            lines.append(f"  ……另有 {len(problems) - MAX_LISTED} 个，见汇总表的“文件清单”和“校验问题”。")
    if summary.indicators and summary.indicators[0].deducted_units:
        weak = [s for s in summary.indicators[:3] if s.deducted_units]
        lines.append("扣分最多的指标：" + "；".join(
            f"{s.names[-1]}（{s.deducted_units} 个单位扣分）" for s in weak) + "。")
    if summary.ignored:
        unopened = sum(1 for _, reason in summary.ignored if reason.startswith("文件夹无法打开"))
        lines.append(f"另有 {len(summary.ignored)} 个文件或文件夹已忽略（临时文件、非 Excel 文件等），"
                     "原因见汇总表的“文件清单”。")
        if unopened:
            lines.append(f"注意：{unopened} 个文件夹无法打开，其中的文件没有检查（见“文件清单”）。")
    if summary.output:
        measured = ("测算汇总", "测算对比") if any(e.measured is not None for e in summary.ranked) else ()
        sheets = SUMMARY_SHEETS + measured + (PROJECT_SHEETS if summary.projects else ())
        lines.append(f"汇总表：{summary.output}（工作表：{'、'.join(sheets)}）")
    with_data = [e for e in summary.ranked if e.measured is not None]
    if with_data:  # issue 14: units that sent a 基础数据 sheet
        high = [e for e in with_data if e.measured.high_rows]
        lines.append(f"{len(with_data)} 个单位报送了基础数据，其中 {len(high)} 个单位有定量指标自评偏高"
                     "（按基础数据测算），见“测算汇总”“测算对比”工作表。")
    if summary.projects:
        lines.append(f"项目支出绩效自评表 {len(summary.projects)} 个（{len({e.unit_shown for e in summary.projects})} "
                     "个单位），见“项目”“项目单位汇总”“项目指标问题”工作表；不参加部门排名。")
    return "\n".join(_TERMINAL_UNSAFE.sub("?", line) for line in lines) + "\n"


# Printed to a terminal, a file name is shown as "?" where it holds control characters (an escape
# sequence could repaint the screen) or direction overrides (which could disguise the name).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _short_message(e: Entry) -> str:
    if e.status == "errors":
        first = next(i for i in e.issues if i.severity == ERROR)
        more = f"（共 {e.errors} 个错误）" if e.errors > 1 else ""
        return f"{first.message}{more}"
    if e.status == "ok":
        first = next(i for i in e.issues if i.severity == WARNING)
        more = f"（共 {e.warnings} 个警告）" if e.warnings > 1 else ""
        return f"{first.message}{more}"
    if e.status == "duplicate":
        return f"“{e.display}”已由较新的“{e.twin}”取代，未计入汇总。"
    return e.message


__all__ = ["Progress", "overview", "MAX_LISTED"]
