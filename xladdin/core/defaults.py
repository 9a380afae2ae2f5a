"""Documented defaults shared by the command line and the library (no imports: the CLI reads them
while building its help, and `xladdin check` must stay light)."""

# Reading one file may not take longer than this (seconds): a reader stuck on a hostile or broken
# file is stopped and the file is reported unreadable (超时); ``--timeout`` changes it.
DEFAULT_TIMEOUT = 60.0
