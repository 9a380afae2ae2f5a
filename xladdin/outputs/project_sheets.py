"""The summary's sheets for 项目支出绩效自评表 (written after the department sheets when project tables
were consolidated): 项目 (one row per project), 项目单位汇总 (per unit: projects, budget, grades) and
项目指标问题 (every issue found on a project's indicators or budget block)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from xladdin.consolidation.model import PROJECT_SHEETS

PROJECT_HEADER = ("单位", "项目", "全年预算数", "全年执行数", "执行率", "自评得分", "规则得分", "差额", "等级",
                  "错误数", "警告数", "文件")
UNITS_HEADER = ("单位", "项目数", "全年预算数合计", "全年执行数合计", "执行率", "平均自评得分", "优", "良", "中", "差",
                "未能计分", "有错误的项目")
ISSUES_HEADER = ("单位", "项目", "级别", "代码", "单元格", "指标", "说明", "文件")
HIGH = 0.5  # 自评得分 above the rules' by more than this: the row is marked (a candidate for 复核)


def write_project_sheets(book: Any, summary: Any) -> None:
    """``book`` is the summary writer's ``_Book``; ``summary.projects`` the project entries, by unit."""
    from xladdin.core.catalogue import SEVERITY_LABEL
    from xladdin.outputs.summary_book import PLAIN, RATE_FMT, SCORE_FMT, Style, Styled

    projects = summary.projects
    flagged = Style(SCORE_FMT, "FFEB9C")
    rows: list[list[Any]] = []
    for e in projects:
        p = e.project
        diff = round(e.total_score - p.rule_total, 2) if e.total_score is not None and p.rule_total is not None \
            else None
        rows.append([e.unit_shown or e.unit, p.project, p.full_year, p.executed, p.rate, e.total_score, p.rule_total,
                     Styled(diff, 1) if diff is not None and diff > HIGH else diff, e.grade, e.errors, e.warnings,
                     e.display])
    t = book.table(PROJECT_SHEETS[0], PROJECT_HEADER, (22, 30, 11, 11, 8, 9, 9, 8, 6, 7, 7, 36),
                   [Style(wrap=True), Style(wrap=True), Style(SCORE_FMT), Style(SCORE_FMT), Style(RATE_FMT),
                    Style(SCORE_FMT), Style(SCORE_FMT), [Style(SCORE_FMT), flagged], PLAIN, PLAIN, PLAIN, PLAIN],
                   freeze="C2")
    t.rows = rows
    book.finish(len(PROJECT_HEADER), len(rows))

    units: dict[str, list[Any]] = {}
    for e in projects:
        units.setdefault(e.unit_shown or e.unit or "", []).append(e)
    unit_rows: list[list[Any]] = []
    for unit, group in units.items():
        full = [e.project.full_year for e in group if e.project.full_year is not None]
        done = [e.project.executed for e in group if e.project.executed is not None]
        scores = [e.total_score for e in group if e.total_score is not None]
        grades = Counter(e.grade for e in group)
        full_sum, done_sum = (round(sum(full), 6) if full else None), (round(sum(done), 6) if done else None)
        unit_rows.append([unit, len(group), full_sum, done_sum,
                          done_sum / full_sum if full_sum and done_sum is not None else None,
                          round(sum(scores) / len(scores), 2) if scores else None,
                          grades.get("优", 0), grades.get("良", 0), grades.get("中", 0), grades.get("差", 0),
                          sum(1 for e in group if e.total_score is None), sum(1 for e in group if e.errors)])
    t = book.table(PROJECT_SHEETS[1], UNITS_HEADER, (24, 7, 13, 13, 8, 10, 5, 5, 5, 5, 8, 10),
                   [Style(wrap=True), PLAIN, Style(SCORE_FMT), Style(SCORE_FMT), Style(RATE_FMT), Style(SCORE_FMT),
                    PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN], freeze="B2")
    t.rows = unit_rows
    book.finish(len(UNITS_HEADER), len(unit_rows))

    severity = [PLAIN, Style(fill="FFC7CE"), Style(fill="FFEB9C")]
    issue_rows: list[list[Any]] = []
    for e in projects:
        for i in e.issues:
            if not i.cell or i.code in ("text-number",):
                continue  # file-level notes are on 校验问题; a number stored as text is not an indicator problem
            issue_rows.append([e.unit_shown or e.unit, e.project.project,
                               Styled(SEVERITY_LABEL.get(i.severity, i.severity), 1 if i.severity == "error" else 2),
                               i.code, i.cell, " / ".join(i.path) if i.path else None, i.message, e.display])
    t = book.table(PROJECT_SHEETS[2], ISSUES_HEADER, (20, 24, 6, 20, 7, 26, 60, 30),
                   [Style(wrap=True), Style(wrap=True), severity, PLAIN, PLAIN, Style(wrap=True), Style(wrap=True),
                    PLAIN], freeze="C2")
    t.rows = issue_rows
    if issue_rows and hasattr(book, "heights"):  # wrapped messages get the rows' height (newer writers)
        t.heights = book.heights([([r[6] for r in issue_rows], 60), ([r[5] or "" for r in issue_rows], 26)])
    book.finish(len(ISSUES_HEADER), len(issue_rows))


__all__ = ["write_project_sheets", "PROJECT_HEADER", "UNITS_HEADER", "ISSUES_HEADER"]
