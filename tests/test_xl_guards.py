"""Guards for the Excel layer that run without Excel (Linux CI):

- every xlwings name and object attribute the adapter uses exists in the installed (pinned) xlwings, and the
  test double covers nothing that xlwings lacks;
- the pinned xlwings is the one whose VBA module (and DLL version) the workbooks embed;
- the xlwings.conf sheet's layout (no interpreter path: each PC's own xlwings settings find its Python);
- ``import xladdin.xl`` loads neither pandas nor numpy and takes under 0.25 s (in the venv the README
  recommends, where they are not installed: simulated by blocking their import);
- the buttons: ASCII Sub names bound to Chinese captions, every ``RunPython`` target resolves, a catch-all.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

xw = pytest.importorskip("xlwings")

ROOT = Path(__file__).resolve().parents[1]
XL_SOURCE = (ROOT / "xladdin" / "xl.py").read_text(encoding="utf-8")

# object -> the attributes xladdin/xl.py uses on it (the surface documented at the top of xl.py)
USED = {
    "App": ["alert", "books", "display_alerts", "kill", "pid", "quit", "screen_updating", "status_bar"],
    "Book": ["api", "app", "close", "fullname", "names", "save", "sheets"],
    "Books": ["open"],
    "Sheets": ["active", "add"],
    "Sheet": ["activate", "api", "clear", "name", "range", "used_range", "visible"],
    "Range": ["add_note", "color", "column", "column_width", "font", "last_cell", "left", "note", "number_format",
              "options", "row", "sheet", "top", "value", "width", "wrap_text"],
    "Note": ["delete", "text"],
    "Name": ["refers_to", "refers_to_range"],
    "Font": ["bold", "size"],
}


def _xlwings_class(name: str):
    import xlwings.main as main

    return getattr(main, name)


@pytest.mark.parametrize("cls", sorted(USED))
def test_every_attribute_the_adapter_uses_exists_in_xlwings(cls):
    real = _xlwings_class(cls)
    missing = [a for a in USED[cls] if not hasattr(real, a)]
    assert not missing, f"xlwings {xw.__version__} {cls} lacks {missing}"


def test_every_xw_name_in_the_adapter_exists():
    tree = ast.parse(XL_SOURCE)
    chains = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = []
            n: ast.AST = node
            while isinstance(n, ast.Attribute):
                parts.append(n.attr)
                n = n.value
            if isinstance(n, ast.Name) and n.id == "xw":
                chains.add(".".join(reversed(parts)))
    assert {"func", "arg", "Book.caller", "App", "apps.active"} <= chains
    for chain in chains:
        obj = xw
        for part in chain.split("."):
            if part == "active" and obj is getattr(xw, "apps", None):
                obj = type(obj)  # Apps.active is a property: look it up on the class (no Excel here)
            assert hasattr(obj, part), f"xlwings {xw.__version__} has no xw.{chain}"
            obj = getattr(obj, part)


def test_the_calls_the_adapter_makes_accept_its_arguments():
    open_params = inspect.signature(_xlwings_class("Books").open).parameters
    assert "update_links" in open_params
    alert_params = inspect.signature(_xlwings_class("App").alert).parameters
    assert "title" in alert_params
    sheets_add = inspect.signature(_xlwings_class("Sheets").add).parameters
    assert "after" in sheets_add
    # the UDF import setup runs in-process (no UDF server popup): xlwings.udfs.import_udfs(module_names, workbook)
    udfs = ast.parse((Path(xw.__file__).parent / "udfs.py").read_text(encoding="utf-8"))
    defs = {n.name: [a.arg for a in n.args.args] for n in udfs.body if isinstance(n, ast.FunctionDef)}
    assert defs.get("import_udfs") == ["module_names", "xl_workbook"]
    # ... given the pywin32 workbook under xlwings' retry wrapper (import_udfs Dispatch()es it)
    win = (Path(xw.__file__).parent / "_xlwindows.py").read_text(encoding="utf-8")
    assert 'object.__setattr__(self, "_inner", inner)' in win and 'getattr(book.api, "_inner"' in XL_SOURCE


def test_the_double_offers_nothing_xlwings_lacks():
    sys.path.insert(0, str(ROOT / "tests"))
    import xl_double

    for cls in ("App", "Book", "Books", "Sheets", "Sheet", "Range", "Note"):
        double = getattr(xl_double, cls)
        names = {n for n in dir(double) if not n.startswith("_")} | {
            n for n in getattr(double, "__dataclass_fields__", {}) if not n.startswith("_")}
        extra = {"alerts", "opened", "protected", "password", "recalc", "guard", "cell", "max_row", "get",
                 "formula", "protect_calls"}  # the double's own bookkeeping, never called by the adapter
        real = _xlwings_class(cls)
        missing = sorted(n for n in names - extra if not hasattr(real, n))
        assert not missing, f"the double's {cls} has {missing}, which xlwings {xw.__version__} lacks"


def test_xlwings_is_pinned_to_the_version_whose_vba_the_workbooks_embed():
    """The embedded xlwings VBA module names the DLL of one xlwings version (xlwings64-X.dll): a workbook
    built with X needs X on every PC that uses its functions. pyproject pins that exact version."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pins = re.findall(r'"xlwings==([0-9.]+)"', pyproject)
    assert pins, "xlwings must be pinned exactly (==) in pyproject.toml"
    bas = (Path(xw.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    embedded = re.search(r'XLWINGS_VERSION As String = "([0-9.]+)"', bas).group(1)
    assert pins[0] == xw.__version__ == embedded
    assert tuple(int(x) for x in pins[0].split(".")) >= (0, 37, 5)  # Range.add_note exists from 0.37.5


def test_the_conf_sheet_layout(tmp_path):
    import openpyxl

    from xladdin.excel.macros import read_conf
    from xladdin.outputs.template import CONF_SHEET, write_template

    conf = read_conf()
    keys = [k for k, _ in conf]
    assert not [k for k in keys if k.upper().startswith("INTERPRETER") or k.upper() in ("CONDA PATH", "CONDA ENV")]
    assert dict(conf) == {"UDF MODULES": "xladdin.xl", "USE UDF SERVER": "False", "SHOW CONSOLE": "False",
                          "DEBUG UDFS": "False", "ADD_WORKBOOK_TO_PYTHONPATH": "False"}
    write_template(tmp_path / "t.xlsx", excel=True)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")[CONF_SHEET]
    assert ws.sheet_state == "hidden"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows == [[k, v] for k, v in conf]  # xlwings reads column A keys, column B values, from A1 down
    assert all(ws.cell(r, 2).data_type == "s" for r in range(1, len(rows) + 1))  # "False" stays text


def test_excel_setup_bakes_no_interpreter_into_the_workbook(tmp_path, monkeypatch, capsys):
    """excel-setup writes the template it hands to Excel without INTERPRETER_WIN (the building PC's
    python.exe would override every other PC's own settings)."""
    import openpyxl

    from xladdin import xl
    from xladdin.cli import main
    from xladdin.outputs.template import CONF_SHEET

    seen = {}

    def fake_setup(xlsx, out):
        wb = openpyxl.load_workbook(xlsx)
        seen["conf"] = {r[0].value: r[1].value for r in wb[CONF_SHEET].iter_rows()}
        return []

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(xl, "setup_workbook", fake_setup)
    assert main(["excel-setup", "-o", str(tmp_path / "评分表.xlsm")]) == 0
    assert seen["conf"] and not [k for k in seen["conf"] if "INTERPRETER" in k.upper()]
    assert sys.executable not in str(seen["conf"])
    assert "xlwings addin install" in capsys.readouterr().out


BLOCK = """
import sys, time
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pandas", "numpy"):
            raise ImportError(name + " is not installed in this venv")
sys.meta_path.insert(0, _Block())
t0 = time.process_time()
import xladdin.xl
print(time.process_time() - t0)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "numpy", "openpyxl")))
"""


def test_import_of_the_adapter_loads_no_pandas_or_numpy_and_is_quick():
    """CPU seconds of ``import xladdin.xl`` (what a click costs before any work; wall time on this shared
    2-core machine depends on the load), the best of three."""
    times = []
    for flags in (["-X", "importtime"], [], []):
        proc = subprocess.run([sys.executable, *flags, "-c", BLOCK], capture_output=True, text=True, timeout=60,
                              cwd=ROOT)
        assert proc.returncode == 0, proc.stderr[-2000:]
        seconds, loaded = proc.stdout.splitlines()[-2:]
        assert loaded == "[]"  # neither pandas, numpy nor openpyxl is loaded by import xladdin.xl
        if flags:
            imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
            assert "xlwings" in imported and "xladdin.xl" in imported
        else:
            times.append(float(seconds))
    assert min(times) < 0.25, times


def test_the_adapter_itself_never_imports_pandas_or_numpy():
    tree = ast.parse(XL_SOURCE)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not [a.name for a in node.names if a.name.split(".")[0] in ("pandas", "numpy")]
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] not in ("pandas", "numpy")


def test_the_vba_files_excel_setup_imports_ship_with_the_pinned_xlwings():
    """setup_workbook imports xlwings' standalone module and its Dictionary class from the installed xlwings."""
    base = Path(xw.__file__).parent
    bas = (base / "xlwings.bas").read_bytes()
    assert b'Attribute VB_Name = "xlwings"' in bas and b"Function RunPython(" in bas
    assert (base / "addin" / "Dictionary.cls").read_bytes().count(b"VB_Name") == 1
    assert f'xlwings64-{xw.__version__}.dll'.encode() in bas  # the DLL the pin is about
    assert "import_udfs" in XL_SOURCE and "ImportPythonUDFs" not in XL_SOURCE.split("def setup_workbook")[1]
