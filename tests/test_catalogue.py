"""The issue catalogue (xladdin.core.catalogue): every code the program emits is registered, every
template formats, the README's code tables are the catalogue's, and the messages are the ones the
engine has always written (the golden corpus)."""

from __future__ import annotations

import gzip
import json
import re
import string
from pathlib import Path

import pytest

from xladdin import errors
from xladdin.core import catalogue
from xladdin.core.catalogue import CATALOGUE, SEVERITY_LABEL, issue, message
from xladdin.core.model import Issue

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xladdin"

# string literals used as issue codes: Issue("code", issue("code", _issue("code", _issue(table, "code",
_CODE_CALL = re.compile(r"""\b_?(?:Issue|issue)\(\s*(?:table,\s*)?["']([a-z][a-z-]*)["']""")
# a tuple of codes, e.g. CONSOLIDATION_CODES = ("framework-differs", ...)
_CODE_TUPLE = re.compile(r"""\b[A-Z_]*CODES\s*=\s*\(([^)]*)\)""")


def _emitted_codes() -> dict[str, set[str]]:
    """code -> the package files that emit it (as a literal)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "catalogue.py":
            continue
        text = path.read_text(encoding="utf-8")
        codes = set(_CODE_CALL.findall(text))
        for body in _CODE_TUPLE.findall(text):
            codes.update(re.findall(r"""["']([a-z][a-z-]*)["']""", body))
        for code in codes:
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    # the codes of the exceptions that become issues (xladdin.core.report.failed takes an InputError)
    stack = list(errors.InputError.__subclasses__())
    while stack:
        cls = stack.pop()
        found.setdefault(cls.code, set()).add("xladdin/errors.py")
        stack.extend(cls.__subclasses__())
    return found


def test_every_emitted_code_is_registered():
    emitted = _emitted_codes()
    # the scan finds what it should: the checks, the reader, the exceptions and consolidation
    assert {"weight-sum", "text-number", "unreadable", "not-scoring-table", "year-missing"} <= set(emitted)
    unknown = {code: sorted(files) for code, files in emitted.items() if code not in CATALOGUE}
    assert not unknown, f"codes emitted but not in xladdin/core/catalogue.py: {unknown}"


def test_every_template_formats_with_its_fields():
    for code in CATALOGUE.values():
        assert code.forms and "" in code.forms, code.code
        assert code.title and code.description, code.code
        assert code.scopes and set(code.scopes) <= {"check", "framework", "consolidate"}, code.code
        for name, form in code.forms.items():
            assert form.severity in SEVERITY_LABEL
            for _, field, spec, conversion in string.Formatter().parse(form.template):
                if field is not None:  # named, plain fields only: a template is filled from keywords
                    assert re.fullmatch(r"[a-z_]+", field) and not spec and not conversion, (code.code, field)
            fields = {f: f"<{f}>" for f in form.fields}
            text = message(code.code, name, **fields)
            assert all(f"<{f}>" in text for f in form.fields)
            made = issue(code.code, form=name, **{k: v for k, v in fields.items() if k not in ("cell", "sheet")},
                         cell=fields.get("cell"), sheet=fields.get("sheet"))
            assert (made.code, made.severity, made.message) == (code.code, form.severity, text)


def test_severities():
    assert SEVERITY_LABEL == {"error": "错误", "warning": "警告"}
    assert CATALOGUE["total-weight"].severities == ("error", "warning")
    assert CATALOGUE["total-weight"].severity == "error"
    assert CATALOGUE["text-number"].severities == ("warning",)
    assert CATALOGUE["year-missing"].severities == ("warning",)
    assert issue("total-weight", form="not-standard", total="90", standard="100").severity == "warning"
    assert issue("weight-sum", severity="warning", where="w", weight="1", parts="1", total="1").severity == "warning"
    from xladdin.outputs import render

    assert render.SEVERITY_LABEL is SEVERITY_LABEL


def test_unknown_code_or_form():
    with pytest.raises(KeyError, match="no-such-code"):
        issue("no-such-code")
    with pytest.raises(KeyError, match="no-such-form"):
        issue("weight-sum", form="no-such-form")
    with pytest.raises(KeyError):  # a field the template needs is missing
        issue("weight-sum", where="w")


def test_issue_record():
    made = issue("score-mismatch", cell="F7", path=("产出", "数量"), sheet="表1", expected=4.0, actual=3.0,
                 where="三级指标“数量”", score="3", weight="4", deduction="0", computed="4")
    assert made == Issue("score-mismatch", "error", "三级指标“数量”得分 3 与“分值 4 − 扣分 0 = 4”不一致。", "F7",
                         ("产出", "数量"), 4.0, 3.0, "表1")
    # the frictionless-style record keeps its keys (the golden corpus compares them)
    assert list(made.to_dict()) == ["code", "severity", "cell", "sheet", "path", "expected", "actual", "message"]


def test_code_tuples_are_derived_and_stable():
    import xladdin
    from xladdin.core.catalogue import ISSUE_CODES
    from xladdin.reading.framework_file import FRAMEWORK_CODES

    assert ISSUE_CODES == xladdin.ISSUE_CODES
    assert ISSUE_CODES[:14] == (  # the codes users' scripts know keep their order; new ones come after
        "weight-sum", "total-weight", "deduction-range", "score-range", "score-mismatch", "total-mismatch",
        "grade-mismatch", "missing-value", "duplicate-indicator", "text-number", "bad-number",
        "formula-no-value", "not-scoring-table", "unreadable")
    basic_data = ("basic-data-parts", "basic-data-budget", "basic-data-carry", "basic-data-overspend",
                  "basic-data-value", "self-score-high", "rules-invalid")
    assert ISSUE_CODES[ISSUE_CODES.index(basic_data[0]):][:len(basic_data)] == basic_data
    project = ("budget-rate-mismatch", "budget-score-mismatch", "budget-parts-sum", "budget-overspent",
               "met-but-deducted", "score-rule", "deviation-reason-missing", "over-target", "actual-not-numeric",
               "placeholder-row", "weight-split")  # issue 12: fixed, users' scripts rely on them
    assert ISSUE_CODES[ISSUE_CODES.index(project[0]):][:len(project)] == project
    reading = ("template-row", "rows-cut", "continuation-sheet", "negative-deductions", "percent-weights")  # 11
    assert ISSUE_CODES[ISSUE_CODES.index(reading[0]):][:len(reading)] == reading
    assert FRAMEWORK_CODES == ("weight-sum", "total-weight", "duplicate-indicator", "bad-number")
    assert set(catalogue.CONSOLIDATION_CODES) == {
        "framework-differs", "duplicate", "year-differs", "year-missing", "unit-missing", "unit-not-expected"}
    assert set(CATALOGUE) == set(ISSUE_CODES) | set(catalogue.CONSOLIDATION_CODES)


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_check_table_is_the_catalogue():
    """README.md's table under 会检查的问题 is ``python3 -m xladdin.core.catalogue --markdown``."""
    text = _readme()
    start = text.index("| 代码 | 级别 | 含义 |", text.index("会检查的问题"))
    end = text.find("\n\n", start)
    assert text[start:end] == catalogue.markdown_table(), \
        "regenerate the table: python3 -m xladdin.core.catalogue --markdown"


def test_readme_consolidation_warnings_are_the_catalogue():
    """The README's list of consolidation warnings: `code`（title） for every consolidation code."""
    text = _readme()
    start = text.index("除了 `check` 的问题代码，汇总还会给出这些")
    paragraph = text[start:text.index("\n\n", start)].replace("\n", "")
    listed = dict(re.findall(r"`([a-z][a-z-]*)`（([^）]*)）", paragraph))
    assert listed == {c: CATALOGUE[c].title for c in catalogue.CONSOLIDATION_CODES}
    assert all(CATALOGUE[c].severities == ("warning",) for c in listed)


def _pattern(template: str) -> str:
    out = []
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if field is not None:
            out.append("(?s:.*?)" if field == "reason" else "(?s:.+?)")
    return "".join(out)


def test_golden_messages_are_catalogue_messages():
    """Every message of the golden corpus has the severity and the wording of one form of its code."""
    golden = json.loads(gzip.open(ROOT / "tests" / "data" / "engine-golden.json.gz").read())
    forms = {code: [(re.compile(_pattern(f.template)), f.severity) for f in c.forms.values()]
             for code, c in CATALOGUE.items()}
    seen = set()
    for name, report in golden.items():
        for i in report["issues"]:
            seen.add(i["code"])
            assert any(p.fullmatch(i["message"]) and sev == i["severity"] for p, sev in forms[i["code"]]), \
                (name, i["code"], i["message"])
    assert len(seen) >= 10


def test_consolidation_messages():
    """The consolidation codes' templates give the messages consolidation writes today."""
    assert message("unit-missing", file="a.xlsx", shown="a") == (
        "文件“a.xlsx”的评分表里没有找到单位名称（标题或“单位名称”行），汇总中暂以文件名“a”代替。")
    assert message("year-missing", file="a.xlsx", year=2023) == (
        "文件“a.xlsx”的评分表里没有写评价年度，按 2023 年度汇总。")
    assert message("year-differs", file="a.xlsx", table_year=2022, year=2023) == (
        "文件“a.xlsx”是 2022 年度的评分表，与本次汇总的 2023 年度不同，请核对是否报错了年度。")
    assert message("framework-differs", unit="县财政局", majority=12, differences="缺少“产出”，多出“效益”") == (
        "县财政局的一级指标与多数单位（12 个）不同：缺少“产出”，多出“效益”。"
        "已照常汇总，各指标按名称对应；请核对是否使用了统一的评分表。")
    assert message("duplicate", winner="b.xlsx", unit="县财政局", year="2023 年度", basis="修改时间") == (
        "与“b.xlsx”是同一单位（县财政局）2023 年度的评分表，按修改时间以较新的“b.xlsx”为准，本文件未计入汇总。")
    assert message("unreadable", "timeout", file="a.xlsx", seconds="60") == (
        "读取文件“a.xlsx”超过 60 秒仍未完成（超时），已停止读取；文件可能已损坏或被恶意构造，请重新导出后提交。")


def test_markdown_command(capsys):
    assert catalogue.main(["--markdown"]) == 0
    assert capsys.readouterr().out == catalogue.markdown_table() + "\n"
    assert catalogue.main([]) == 2
