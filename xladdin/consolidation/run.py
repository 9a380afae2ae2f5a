"""The whole run: discover -> read (reader processes) -> consolidate (pure) -> write the summary workbook."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from xladdin.consolidation.consolidate import consolidate
from xladdin.consolidation.discover import discover
from xladdin.consolidation.model import Summary
from xladdin.consolidation.workers import read_all
from xladdin.core.defaults import DEFAULT_TIMEOUT
from xladdin.core.grading import DEFAULT_GRADING, Grading


def consolidate_files(inputs: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str] | None = None, *,
                      grading: Grading = DEFAULT_GRADING, year: int | None = None, workers: int | None = None,
                      timeout: float | None = DEFAULT_TIMEOUT,
                      units: str | os.PathLike[str] | Sequence[str] | None = None,
                      progress: Callable[[int, int], None] | None = None, force: bool = False) -> Summary:
    """Consolidate the scoring tables found in ``inputs`` (folders are searched recursively, files named
    explicitly are always submissions) and return the :class:`Summary`.

    ``output``: where to write the summary workbook (.xlsx); None writes nothing. ``grading``: the
    grade bands; ``year``: the evaluation year (default: the year most tables state); ``workers``:
    reader processes (default: the CPU count); ``timeout``: seconds one file may take to read (None:
    no limit; with ``workers=1`` the files are then read in this process); ``progress``: called with
    (files done, files in all) while reading; ``force``: overwrite an existing ``output`` that is not an
    xladdin summary.

    ``units``: the units expected to submit, as a list of names or a 单位名单 file (.xlsx/.xls/.csv):
    listed units with no file appear as 未报送, tables of units not on the list are flagged.

    Raises :class:`~xladdin.errors.ConfigError` (an input is missing, no workbook found, the units
    list cannot be read) and
    :class:`~xladdin.errors.OutputError` (the output cannot be written), with Chinese messages.
    Submissions are never written to.
    """
    from xladdin.errors import ConfigError

    out = Path(output) if output is not None else None
    if out is not None:
        from xladdin.outputs.summary_book import check_output

        check_output(out, force=force)
    expected = _expected(units)
    found = discover(inputs, out)
    if found.missing:
        raise ConfigError("找不到输入：" + "、".join(f"“{m}”" for m in found.missing) + "。请检查文件夹或文件名。")
    if not found.files:
        where = "、".join(f"“{i}”" for i in inputs)
        raise ConfigError(f"在{where}中没有找到 Excel 评分表（.xlsx / .xlsm / .xls）。")
    entries = read_all(found.files, found.display, grading, workers, progress, timeout,
                       meanwhile=_import_writer if out is not None else None)
    summary = consolidate(entries, grading, year, found.ignored, expected=expected)
    if out is not None:
        from xladdin.outputs.summary_book import write_summary

        summary.output = str(out)
        write_summary(summary, out)
    return summary


def run(inputs: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str], *,
        grading: Grading = DEFAULT_GRADING, year: int | None = None, workers: int | None = None,
        progress: Callable[[int, int], None] | None = None, timeout: float | None = DEFAULT_TIMEOUT,
        force: bool = False) -> Summary:
    """Discover, read, consolidate, write (``xladdin consolidate``, the Excel 汇总 button): see
    :func:`consolidate_files`; here the output is required."""
    return consolidate_files(inputs, output, grading=grading, year=year, workers=workers, timeout=timeout,
                             progress=progress, force=force)


def _expected(units: str | os.PathLike[str] | Sequence[str] | None) -> list[str] | None:
    """The expected-units list: read from a file, or the names given."""
    if units is None:
        return None
    if isinstance(units, (str, os.PathLike)):
        from xladdin.consolidation.units import load_units

        return load_units(units)
    return [str(u) for u in units if str(u).strip()]


def _import_writer() -> None:
    """Import what writing the summary needs (openpyxl and its chart and writer modules) while the
    reader processes work: this process is idle then. A failure shows again where the import is used."""
    try:
        import openpyxl.cell._writer  # noqa: F401  (loaded by the first save)
        import openpyxl.chart  # noqa: F401
    except Exception:  # noqa: BLE001
        pass


__all__ = ["consolidate_files", "run"]
