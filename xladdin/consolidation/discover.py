"""Finding the submissions: command-line inputs (folders, files) -> the ordered list of workbook files,
with the files passed over and why. Looks at names only; opens no file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Files looked for in folders. .et and .xlsb are not read by the engine, but a department that sent
# one has still sent something: it gets a status and a message instead of vanishing. .ods
# (LibreOffice's own format) is read like the others; .xltx/.xltm are Excel templates a clerk may
# have filled in and saved as they were. Suffixes are compared without trailing blanks ("x.xlsx ").
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods", ".xltx", ".xltm")


def workbook_suffix(name: str) -> str:
    """The suffix as a workbook's, lower case, trailing blanks and dots dropped ("A.XLSX " -> ".xlsx")."""
    return os.path.splitext(name.rstrip(" .\t"))[1].lower()


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
        elif reason is None and not explicit and workbook_suffix(path.name) not in WORKBOOK_SUFFIXES:
            reason = "不是 Excel 工作簿"
        if reason:
            ignored.append((str(path), reason))
        else:
            found.append((path, base))

    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            walked, passed = _walk(p)
            ignored.extend(passed)
            walked.sort(key=lambda f: f.relative_to(p).parts)
            for f in walked:
                consider(f, p, explicit=False)
        elif p.exists():
            consider(p, p.parent, explicit=True)
        else:
            missing.append(str(arg))
    display = _display_names(found)
    return Discovery([f for f, _ in found], display, ignored, missing)


def _walk(top: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every file under ``top`` (and every folder named like a workbook: an unpacked .xlsx or a
    misnamed folder becomes an unreadable submission; its contents are searched as well), plus the
    folders passed over with the reason: one that cannot be opened, a link to a folder elsewhere.

    Iterative (a folder nested a thousand levels deep is no RecursionError); links to folders are not
    followed (no loops); __MACOSX (a Mac's zip companion) is passed over quietly."""
    from xladdin.errors import os_reason

    found: list[Path] = []
    passed: list[tuple[str, str]] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            passed.append((str(folder), f"文件夹无法打开（{os_reason(exc)}），其中的文件没有检查"))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = Path(folder) / entry.name
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError as exc:
                passed.append((str(path), f"无法访问（{os_reason(exc)}）"))
                continue
            if not is_dir:
                found.append(path)
            elif entry.name == "__MACOSX":
                continue
            elif is_link:
                passed.append((str(path), "指向其他位置的文件夹链接，没有进入；如需汇总请直接给出该文件夹"))
            else:
                subfolders.append(path)
                if workbook_suffix(entry.name) in WORKBOOK_SUFFIXES:
                    found.append(path)
        stack.extend(sorted(subfolders, reverse=True))
    return found, passed


def shown_path(path: str, entries: Sequence[tuple[str, str]]) -> str:
    """An ignored path shown like the submissions: relative to the folder their displays are relative
    to (``entries``: (file as found, display) pairs), else as found."""
    norm = path.replace("\\", "/")
    for file, display in entries[:1]:
        f = file.replace("\\", "/")
        if display and f.endswith(display):
            base = f[:len(f) - len(display)]
            if base and norm.startswith(base):
                return norm[len(base):]
    return path


def _display_names(found: list[tuple[Path, Path]]) -> list[str]:
    if not found:
        return []
    bases = {os.path.abspath(b) for _, b in found}
    try:
        common = os.path.commonpath(sorted(bases))
    except ValueError:  # different drives
        return [str(f) for f, _ in found]
    return [Path(os.path.relpath(os.path.abspath(f), common)).as_posix() for f, _ in found]


__all__ = ["Discovery", "discover", "WORKBOOK_SUFFIXES", "workbook_suffix", "shown_path"]
