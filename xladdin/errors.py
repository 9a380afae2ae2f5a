"""Exception tree. Every message is Chinese and names the file (and sheet/cell where known).

    XladdinError
    ├── ConfigError            bad option or settings file
    ├── InputError             a workbook we cannot use (exit code 2)
    │   ├── UnreadableError        code "unreadable"
    │   └── NotScoringTableError   code "not-scoring-table"
    └── OutputError            an output file we cannot write
"""

from __future__ import annotations


class XladdinError(Exception):
    code = "error"

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell


class ConfigError(XladdinError):
    code = "config"


class InputError(XladdinError):
    code = "input"


class UnreadableError(InputError):
    code = "unreadable"


class NotScoringTableError(InputError):
    code = "not-scoring-table"


class OutputError(XladdinError):
    code = "output"
