"""Consolidation: many departments' scoring tables -> one summary the finance bureau can trust.

Steps, kept apart (one module each):

1. :mod:`~xladdin.consolidation.discover`: the command-line inputs -> the ordered list of submission
   files (and the files passed over, with the reason).
2. :mod:`~xladdin.consolidation.workers`: :func:`read_all` reads and checks every file with the engine in
   reader processes, one file at a time per reader and each within a time limit; each file becomes
   one compact, picklable :class:`Entry` (:mod:`~xladdin.consolidation.entry`), in input order.
3. :mod:`~xladdin.consolidation.consolidate`: ``consolidate()`` is pure (no file is opened):
   statuses, resubmissions, framework differences, ranking and statistics -> a :class:`Summary`.
4. :mod:`~xladdin.consolidation.run`: :func:`consolidate_files` ties them together and has
   :func:`xladdin.outputs.summary_book.write_summary` write the workbook.

:mod:`~xladdin.consolidation.model` holds the data and constants shared with the summary writer,
:mod:`~xladdin.consolidation.terminal` the progress bar and the overview, and
:mod:`~xladdin.consolidation.frames` the tables as pandas DataFrames (optional extra).
(The package does not re-export ``consolidate()``: the name stays the module's.)
Every input workbook gets exactly one status and one ledger row; nothing is skipped silently and no
submission is ever written to.
"""

from xladdin.consolidation.discover import Discovery, discover
from xladdin.consolidation.frames import dataframes
from xladdin.consolidation.model import (
    CONSOLIDATION_CODES,
    STATUS_LABELS,
    SUMMARY_SHEETS,
    Entry,
    IndicatorStat,
    LeafRow,
    Summary,
)
from xladdin.consolidation.run import consolidate_files, run
from xladdin.consolidation.terminal import Progress, overview
from xladdin.consolidation.workers import read_all

__all__ = ["CONSOLIDATION_CODES", "STATUS_LABELS", "SUMMARY_SHEETS", "Discovery", "Entry", "IndicatorStat",
           "LeafRow", "Progress", "Summary", "consolidate_files", "dataframes", "discover",
           "overview", "read_all", "run"]
