"""Finding the submissions: command-line inputs (folders, files) -> the ordered list of workbook files,
with the files passed over and why. Looks at names only; opens no file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Files looked for in folders. .et and .xlsb are not read by the engine, but a department that sent
# one has still sent something: it gets a status and a message instead of vanishing.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et")


@dataclass(slots=True)
class Discovery:
    files: list[Path]
    display: list[str]  # the path shown in the sheets and the JSON, relative to the inputs
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    missing: list[str] = field(default_factory=list)


def _ignore_reason(name: str) -> str | None:
    if name.startswith("~$"):
        return "Excel/WPS 打开文件时生成的临时锁定文件"
    if name.startswith("._"):
        return "macOS 拷贝时生成的附属文件"
    if name.startswith(".~xladdin-"):
        return "xladdin 写文件时的临时文件"
    if name.startswith(".~lock."):
        return "LibreOffice 临时锁定文件"
    return None


def discover(inputs: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str] | None = None) -> Discovery:
    """Folders are searched recursively for workbooks; files named explicitly are always submissions."""
    out_real = os.path.realpath(output) if output else None
    found: list[tuple[Path, Path]] = []  # (file, base)
    ignored: list[tuple[str, str]] = []
    missing: list[str] = []
    seen: set[str] = set()

    def consider(path: Path, base: Path, explicit: bool) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        reason = _ignore_reason(path.name)
        if out_real is not None and real == out_real:
            reason = "本次汇总的输出文件"
        elif reason is None and not explicit and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            reason = "不是 Excel 工作簿"
        if reason:
            ignored.append((str(path), reason))
        else:
            found.append((path, base))

    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            walked: list[Path] = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "__MACOSX")
                walked.extend(Path(root) / f for f in files)
                # a folder named like a workbook (an unpacked .xlsx, a misnamed folder) is listed as
                # an unreadable submission rather than passed over; its contents are searched as well
                walked.extend(Path(root) / d for d in dirs if Path(d).suffix.lower() in WORKBOOK_SUFFIXES)
            walked.sort(key=lambda f: f.relative_to(p).parts)
            for f in walked:
                consider(f, p, explicit=False)
        elif p.exists():
            consider(p, p.parent, explicit=True)
        else:
            missing.append(str(arg))
    display = _display_names(found)
    return Discovery([f for f, _ in found], display, ignored, missing)


def _display_names(found: list[tuple[Path, Path]]) -> list[str]:
    if not found:
        return []
    bases = {os.path.abspath(b) for _, b in found}
    try:
        common = os.path.commonpath(sorted(bases))
    except ValueError:  # different drives
        return [str(f) for f, _ in found]
    return [Path(os.path.relpath(os.path.abspath(f), common)).as_posix() for f, _ in found]


__all__ = ["Discovery", "discover", "WORKBOOK_SUFFIXES"]
