"""The files in ``xladdin/excel/vba/``: the VBA modules behind the Excel buttons and the xlwings settings.

``xladdin/excel/vba/*.bas`` are ASCII with CRLF line ends: the VBA editor imports a module in the system's
ANSI code page, so a module with Chinese in it compiles only on a code-page-936 system (not with Windows'
"Beta: UTF-8" option or another locale). The Sub names are English (the buttons' captions are Chinese) and
every Chinese text is written as Unicode code points, ``U("6821 9A8C")``, which :func:`u_texts` decodes.
``xladdin/excel/vba/xlwings.conf`` holds the ``"KEY","VALUE"`` lines that become the workbook's xlwings.conf
sheet (never an interpreter path: each PC's own xlwings settings find its Python). Pure file reading, no Excel.
"""

from __future__ import annotations

import re
from pathlib import Path

from xladdin.errors import ConfigError

BAS_ENCODING = "ascii"
_CONF_LINE = re.compile(r'^\s*"(?P<k>[^"]*)"\s*,\s*"(?P<v>[^"]*)"\s*$')
_RUN_PYTHON = re.compile(r'RunPython\s*\(?\s*"(?P<cmd>(?:[^"]|"")*)"', re.IGNORECASE)
_U = re.compile(r'\bU\("(?P<codes>[0-9A-Fa-f ]*)"\)')
_SUB = re.compile(r"^(?:Public\s+|Private\s+)?Sub\s+(?P<name>\w+)\s*\(", re.MULTILINE | re.IGNORECASE)


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


def u_texts(text: str) -> list[str]:
    """Every ``U("hex hex …")`` text of a VBA module, decoded as the module's U function does."""
    return ["".join(chr(int(h, 16)) for h in m.group("codes").split()) for m in _U.finditer(text)]


def sub_names(text: str, *, private: bool = False) -> list[str]:
    """The Subs of a VBA module (public ones only unless ``private``)."""
    return [m.group("name") for m in _SUB.finditer(text) if private or not m.group(0).lower().startswith("private")]


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


__all__ = ["macros_dir", "bas_files", "read_bas", "run_python_commands", "u_texts", "sub_names", "read_conf",
           "BAS_ENCODING"]
