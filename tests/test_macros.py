"""excel/vba/: every RunPython command in the VBA modules imports and resolves to a real callable; the
modules are what the VBA editor imports on any code page (ASCII, CRLF; Chinese as U("hex") code points);
the buttons' macros exist; xlwings.conf points at the UDF module."""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from xladdin.excel.macros import (
    BAS_ENCODING,
    bas_files,
    macros_dir,
    read_bas,
    read_conf,
    run_python_commands,
    sub_names,
    u_texts,
)
from xladdin.outputs.template import FOLDER_NAME
from xladdin.xl import BUTTONS

BAS = bas_files()


def test_there_are_vba_modules():
    assert [p.name for p in BAS] == ["xladdin.bas"]


def resolve(command: str):
    """Execute the imports of a RunPython command and return the object its final call would call."""
    tree = ast.parse(command)
    *imports, call = tree.body
    ns: dict = {}
    for stmt in imports:
        assert isinstance(stmt, (ast.Import, ast.ImportFrom)), ast.dump(stmt)
        exec(compile(ast.Module([stmt], []), "<RunPython>", "exec"), ns)
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call), command
    assert not call.value.args and not call.value.keywords  # the buttons take the calling workbook themselves
    return eval(compile(ast.Expression(call.value.func), "<RunPython>", "eval"), ns)


@pytest.mark.parametrize("path", BAS, ids=lambda p: p.name)
def test_every_run_python_command_resolves_to_a_callable(path):
    commands = run_python_commands(read_bas(path))
    assert commands
    for command in commands:
        target = resolve(command)
        assert callable(target), command
        assert target.__module__ == "xladdin.xl"


@pytest.mark.parametrize("path", BAS, ids=lambda p: p.name)
def test_vba_module_is_what_the_vba_editor_imports(path):
    """ASCII with CRLF: it imports and compiles whatever the PC's code page (936, 1252, Beta: UTF-8)."""
    raw = path.read_bytes()
    text = raw.decode(BAS_ENCODING)
    assert BAS_ENCODING == "ascii"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert text.startswith('Attribute VB_Name = "xladdin"\r\n')
    assert sub_names(text) == ["XladdinCheck", "XladdinConsolidate"]
    assert sub_names(text, private=False) == list(BUTTONS.values())  # the buttons' OnAction targets exist
    # each Sub calls RunPython once; 汇总 asks for the folder only when the named cell is blank
    assert text.count('RunPython "') == 2 and "FileDialog(4)" in text
    texts = u_texts(text)
    assert FOLDER_NAME in texts and "汇总" in texts and "校验" in texts
    assert all(t and all(ord(c) >= 32 for c in t) for t in texts)
    # every Sub has an error handler: a VBA error shows a Chinese message, not a debugger prompt
    for body in re.split(r"^Sub ", text, flags=re.M)[1:]:
        assert "On Error GoTo Failed" in body and "\r\nFailed:\r\n" in body


def test_buttons_have_chinese_captions_and_ascii_macros():
    assert list(BUTTONS) == ["校验", "汇总"]
    assert all(m.isascii() and m.isidentifier() for m in BUTTONS.values())


def test_run_python_parser_handles_doubled_quotes():
    assert run_python_commands('RunPython "import a; a.b(""x"")"') == ['import a; a.b("x")']
    assert run_python_commands("x = 1") == []


def test_xlwings_conf_points_at_the_udf_module():
    conf = dict(read_conf())
    module = importlib.import_module(conf["UDF MODULES"])
    for name in ("XL_GRADE", "XL_TOTAL", "XL_CHECK", "XL_SUMMARY"):
        assert callable(getattr(module, name))
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"  # never import stray .py files from a submissions folder
    assert (macros_dir() / "xlwings.conf").read_text(encoding="utf-8").count("\n") == len(conf)


def test_excel_setup_refuses_to_run_without_windows(capsys, tmp_path):
    import sys

    from xladdin.cli import main

    if sys.platform.startswith("win"):
        pytest.skip("this checks the message elsewhere")
    assert main(["excel-setup", "-o", str(tmp_path / "评分表.xlsm")]) == 2
    err = capsys.readouterr().err
    assert "Windows" in err and "xladdin template" in err
    assert not (tmp_path / "评分表.xlsm").exists()
