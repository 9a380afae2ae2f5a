"""The files in ``xladdin/excel/vba/``: the VBA modules behind the Excel buttons and the xlwings settings.

``xladdin/excel/vba/*.bas`` are stored in GBK (the ANSI code page of Chinese Windows, which is what the VBA
editor uses when it imports a module) with CRLF line ends, because their Sub names and messages are
Chinese. ``xladdin/excel/vba/xlwings.conf`` holds the ``"KEY","VALUE"`` lines that become the workbook's
xlwings.conf sheet. Pure file reading, no Excel.
"""

from __future__ import annotations

import re
from pathlib import Path

from xladdin.errors import ConfigError

BAS_ENCODING = "gbk"
_CONF_LINE = re.compile(r'^\s*"(?P<k>[^"]*)"\s*,\s*"(?P<v>[^"]*)"\s*$')
_RUN_PYTHON = re.compile(r'RunPython\s*\(?\s*"(?P<cmd>(?:[^"]|"")*)"', re.IGNORECASE)


def macros_dir() -> Path:
    """``vba/`` inside the package: shipped in the wheel, so ``pip install .`` is enough."""
    d = Path(__file__).resolve().parent / "vba"
    if not d.is_dir():
        raise ConfigError(f"找不到 VBA 模块文件夹“{d}”：xladdin 安装不完整，请重新安装。")
    return d


def bas_files() -> list[Path]:
    return sorted(macros_dir().glob("*.bas"))


def read_bas(path: Path) -> str:
    return path.read_bytes().decode(BAS_ENCODING)


def run_python_commands(text: str) -> list[str]:
    """Every ``RunPython "..."`` command in a VBA module (doubled quotes undone)."""
    return [m.group("cmd").replace('""', '"') for m in _RUN_PYTHON.finditer(text)]


def read_conf(path: Path | None = None) -> list[tuple[str, str]]:
    p = path or macros_dir() / "xlwings.conf"
    out: list[tuple[str, str]] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = _CONF_LINE.match(line)
        if not m:
            raise ConfigError(f"“{p.name}”第 {n} 行格式不对，应为 \"KEY\",\"VALUE\"：{line}", file=str(p))
        out.append((m.group("k"), m.group("v")))
    return out


__all__ = ["macros_dir", "bas_files", "read_bas", "run_python_commands", "read_conf", "BAS_ENCODING"]
