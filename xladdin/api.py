"""The typed Python API for scripts and notebooks: each function is one thing a user does.

    import xladdin
    report = xladdin.check("评分表.xlsx")            # read + check one workbook
    report.total_score, report.grade, report.issues
    xladdin.annotate(report, "评分表-校验.xlsx")      # marked copy with a 校验结果 sheet
    summary = xladdin.consolidate(["报送"], "汇总.xlsx")
    xladdin.write_template("评分表.xlsx", unit="某某局", year=2024)
    leaves = xladdin.load_framework("指标体系.csv")

Heavy libraries (openpyxl, the reader processes) are imported when a function needs them, so
``import xladdin`` stays light. Every function raises :class:`xladdin.XladdinError` subclasses with
Chinese messages naming the file (never for a bad workbook in ``check``/``consolidate``: the report
or the summary says what went wrong with it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from xladdin.core.defaults import DEFAULT_TIMEOUT
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.report import Report

if TYPE_CHECKING:
    from xladdin.consolidation import Summary
    from xladdin.kinds.department.framework import Leaf
    from xladdin.outputs.annotate import Plan
    from xladdin.outputs.project_template import ProjectTemplateInfo
    from xladdin.outputs.template import TemplateInfo

StrPath = str | os.PathLike[str]


def check(path: StrPath, *, sheet: str | None = None, grading: Grading = DEFAULT_GRADING,
          timeout: float | None = None, memory: int | None = None, rules: StrPath | None = None,
          profile: StrPath | None = None) -> Report:
    """Read and check one workbook (any kind of table the engine knows).

    Never raises for a bad workbook: an unreadable file or one without a table gives a report whose
    ``table`` is None and whose single issue (``unreadable`` / ``not-scoring-table``) says why.
    ``timeout`` (seconds) / ``memory`` (bytes): read in a separate process within these limits (as
    ``xladdin check`` and ``consolidate`` do); a file past them is reported unreadable.
    ``rules``: the scoring rules of the 测算对比 (``report.measured``, for a workbook with a 基础数据
    sheet): ``"通用"``, ``"按比例"`` or a 评分规则 file (ConfigError when it cannot be used); default:
    the workbook's 评分规则 sheet, else 通用.
    ``profile``: the scoring rules of a 项目支出绩效自评表 (national, sichuan, hubei, yunnan or a .json
    file); default: guessed from its layout.
    """
    from xladdin.engine import check_file, unless_summary

    rule_set: Any = None
    if rules is not None:
        from xladdin.kinds.basic_data.rules import BUILTIN_PROFILES, load_profile_file

        rule_set = str(rules) if str(rules) in BUILTIN_PROFILES else load_profile_file(rules)
    project_rules: Any = None
    if profile is not None:
        from xladdin.kinds.project.profiles import get_profile

        project_rules = get_profile(str(profile))
    if timeout is None and memory is None:
        return unless_summary(check_file(path, sheet, grading, rule_set, project_rules))
    return check_limited(path, sheet, grading, timeout=timeout, memory=memory, rules=rule_set,
                         profile=project_rules)


def check_limited(path: StrPath, sheet: str | None = None, grading: Grading = DEFAULT_GRADING, *,
                  timeout: float | None = DEFAULT_TIMEOUT, memory: int | None = None, rules: Any = None,
                  profile: Any = None) -> Report:
    """:func:`xladdin.engine.check_file` in a reader process within ``timeout`` seconds and ``memory``
    bytes (default :data:`~xladdin.core.defaults.DEFAULT_MEMORY_LIMIT`); ``rules``/``profile`` as
    resolved by :func:`check`, applied in that one reading."""
    from pathlib import Path

    from xladdin.core.catalogue import message
    from xladdin.core.defaults import DEFAULT_MEMORY_LIMIT
    from xladdin.core.numbers import fmt
    from xladdin.core.report import failed
    from xladdin.engine import check_file, unless_summary
    from xladdin.errors import UnreadableError
    from xladdin.kinds import DEFAULT_KIND
    from xladdin.reading.process import LimitExceeded, call_limited

    memory = DEFAULT_MEMORY_LIMIT if memory is None else memory
    try:
        return unless_summary(call_limited(check_file, path, sheet, grading, rules, profile,
                                           timeout=timeout, memory=memory))
    except LimitExceeded as exc:
        name = Path(path).name
        if exc.reason == "timeout":
            text = message("unreadable", "timeout", file=name, seconds=fmt(timeout or 0.0))
        elif exc.reason == "memory":
            text = message("unreadable", "memory", file=name, limit=f"{memory / 1024 ** 2:.0f} MB")
        else:
            text = message("unreadable", "crashed", file=name)
        return failed(path, UnreadableError(text, file=str(path)), DEFAULT_KIND.fields)


def consolidate(inputs: Sequence[StrPath], output: StrPath | None = None, *,
                grading: Grading = DEFAULT_GRADING, year: int | None = None, workers: int | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, units: StrPath | Sequence[str] | None = None,
                progress: Callable[[int, int], None] | None = None, force: bool = False) -> Summary:
    """Read every submission under ``inputs`` (folders are searched recursively) and consolidate them.

    Writes the summary workbook to ``output`` when given (atomically; refuses to overwrite a file
    that is not an xladdin summary, unless ``force``). ``timeout``: seconds one file may take to read
    (None: no limit). ``units``: the expected units (a list file .xlsx/.csv, or the names): units with
    no file are listed as 未报送, tables of units not on the list are flagged.
    """
    from xladdin.consolidation import consolidate_files

    return consolidate_files(inputs, output, grading=grading, year=year, workers=workers,
                             timeout=timeout, units=units, progress=progress, force=force)


def annotate(report: Report, output: StrPath, *, force: bool = False) -> Plan:
    """Write a copy of the checked workbook with every issue marked on its cell (red errors, yellow
    warnings, notes) and a 校验结果 sheet. The source workbook is never modified; ``output`` must end
    in .xlsx (or .xlsm for an .xlsm source) and may replace only an earlier annotated copy unless ``force``."""
    from xladdin.outputs.annotate import annotate_file

    return annotate_file(report, output, force=force)


def write_template(output: StrPath, *, framework: Sequence[Leaf] | None = None, unit: str | None = None,
                   year: int | None = None, title: str | None = None,
                   grading: Grading = DEFAULT_GRADING, force: bool = False) -> TemplateInfo:
    """Write the fill-in template (formulas, validation, protection, print setup) to ``output``.

    ``framework``: the indicator framework (see :func:`load_framework`); the default is the seed's.
    ``output`` must end in .xlsx and may replace only a template nobody has saved since, unless ``force``.
    """
    from xladdin.kinds.department.framework import SEED_FRAMEWORK
    from xladdin.outputs.template import is_untouched_template
    from xladdin.outputs.template import write_template as _write
    from xladdin.outputs.toolkit import refuse_overwrite, refuse_suffix

    refuse_suffix(output, (".xlsx",), "模板")
    refuse_overwrite(output, "模板", is_untouched_template, force=force)
    unit, title = safe_text(unit), safe_text(title)

    _, info = _write(output, leaves=SEED_FRAMEWORK if framework is None else framework, unit=unit, year=year,
                     title=title, grading=grading)
    return info


def write_project_template(output: StrPath, *, project: str | None = None, department: str | None = None,
                           unit: str | None = None, year: int | None = None, profile: str = "national",
                           grading: Grading = DEFAULT_GRADING, force: bool = False) -> ProjectTemplateInfo:
    """Write the fill-in 项目支出绩效自评表 (formulas for 执行率, its score, each row's rule score, 总分 and
    等级; validation) to ``output``. ``profile``: the scoring rules (national, sichuan, hubei, yunnan, or a
    .json file). ``output`` must end in .xlsx and may replace only a template nobody has saved since,
    unless ``force``."""
    from xladdin.kinds.project.profiles import get_profile
    from xladdin.outputs.project_template import write_project_template as _write
    from xladdin.outputs.template import is_untouched_template
    from xladdin.outputs.toolkit import refuse_overwrite, refuse_suffix

    refuse_suffix(output, (".xlsx",), "模板")
    refuse_overwrite(output, "模板", is_untouched_template, force=force)
    _, info = _write(output, project=safe_text(project), department=safe_text(department), unit=safe_text(unit),
                     year=year, profile=get_profile(profile), grading=grading)
    return info


def safe_text(text: str | None) -> str | None:
    """Text from a command line or a script made fit for a workbook: bytes a terminal passed that are
    not UTF-8 decoded as GBK, control characters and lone surrogates removed (they corrupt a workbook)."""
    if text is None:
        return None
    from xladdin.core.numbers import clean_text
    from xladdin.outputs.render import readable

    return clean_text(readable(text)) or None


def load_framework(path: StrPath) -> tuple[Leaf, ...]:
    """Read and validate an indicator framework file (.csv or .xlsx): its leaves in sheet order.

    Raises :class:`xladdin.ConfigError` naming the file and cells when the levels do not add up."""
    from xladdin.reading.framework_file import load_framework as _load

    return _load(path)
