"""The wheel holds everything the package needs at run time (the VBA modules behind the Excel
buttons, py.typed, every subpackage), so `pip install .` — not only `pip install -e .` — followed by
`xladdin template` / `demo` / `excel-setup` works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_every_module_and_data_file(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr[-300:]}")
    wheel = next(tmp_path.glob("xladdin-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "xladdin"
    wanted = {p.relative_to(ROOT).as_posix() for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and not p.name.startswith(".")}
    assert wanted <= names, sorted(wanted - names)
    assert "xladdin/excel/vba/xladdin.bas" in names and "xladdin/py.typed" in names
