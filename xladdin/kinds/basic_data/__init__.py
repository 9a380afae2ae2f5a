"""基础数据 and 测算对比: the figures a department fills beside its scoring table (``items``, ``parse``,
``checks``), the catalogue of quantitative 共性指标 (``indicators``), the scoring rules and profiles as
data (``rules``, ``profiles/*.tsv``) and the comparison with the self-scores (``measure``).

Not a kind of scoring table of its own: the engine reads a sheet named ``基础数据`` from the same
workbook as the table, and a ``评分规则`` sheet when the bureau's template has one.
"""

from __future__ import annotations

from typing import Any

from xladdin.core.model import Issue
from xladdin.kinds.basic_data.checks import check_basic_data
from xladdin.kinds.basic_data.indicators import BY_KEY, INDICATORS, match
from xladdin.kinds.basic_data.items import BY_CODE, ITEMS
from xladdin.kinds.basic_data.measure import STATUSES, Measured, MeasuredRow, measure, measured_issues
from xladdin.kinds.basic_data.parse import SHEET_NAME, BasicData, is_basic_data_sheet, parse_basic_data
from xladdin.kinds.basic_data.rules import BUILTIN_PROFILES, DEFAULT_PROFILE, Rule, apply, builtin_profile

RULES_SHEET = "评分规则"

__all__ = [
    "BUILTIN_PROFILES", "BY_CODE", "BY_KEY", "DEFAULT_PROFILE", "INDICATORS", "ITEMS", "RULES_SHEET",
    "SHEET_NAME", "STATUSES", "BasicData", "Measured", "MeasuredRow", "Rule", "apply", "builtin_profile",
    "check_basic_data", "evaluate_measured", "is_basic_data_sheet", "match", "measure", "measured_issues",
    "parse_basic_data",
]


def evaluate_measured(table: Any, total_score: float | None, grading: Any = None,
                      profile: str | dict[str, Rule] | None = None) -> tuple[list[Issue], Measured]:
    """What the engine adds for a table whose workbook has a 基础数据 sheet: the sheet's own checks,
    the 测算对比 and its ``self-score-high`` warnings. ``profile``: a built-in profile's name, a profile,
    or None (the workbook's 评分规则 sheet over ``通用``, or ``通用``)."""
    from xladdin.core import catalogue
    from xladdin.core.grading import DEFAULT_GRADING
    from xladdin.errors import ConfigError
    from xladdin.kinds.basic_data.rules import overlay, profile_from_rows

    issues: list[Issue] = []
    data = table.basic_data
    if data is not None:
        issues.extend(check_basic_data(data))
    name = DEFAULT_PROFILE
    rules: dict[str, Rule]
    if isinstance(profile, dict):
        names = {r.profile for r in profile.values()}
        rules = profile
        name = next((n for n in names if n not in BUILTIN_PROFILES), "按比例" if "按比例" in names else DEFAULT_PROFILE)
    elif isinstance(profile, str):
        rules, name = builtin_profile(profile), profile
    elif table.rules_rows is not None:
        try:
            rules = overlay(builtin_profile(), profile_from_rows(table.rules_rows, RULES_SHEET, "“评分规则”表"),
                            RULES_SHEET)
            name = RULES_SHEET
        except ConfigError as exc:
            issues.append(catalogue.issue("rules-invalid", sheet=RULES_SHEET, reason=exc.message))
            rules = builtin_profile()
    else:
        rules = builtin_profile()
    m = measure(table, data, rules, name, total_score, grading or DEFAULT_GRADING)
    issues.extend(measured_issues(m, table.sheet))
    return issues, m
