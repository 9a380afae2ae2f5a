"""Documented defaults shared by the command line and the library (no imports: the CLI reads them
while building its help, and `xladdin check` must stay light)."""

# Reading one file may not take longer than this (seconds): a reader stuck on a hostile or broken
# file is stopped and the file is reported unreadable (超时); ``--timeout`` changes it.
DEFAULT_TIMEOUT = 60.0

# A reading process may not use more memory than this (bytes of address space, where the system can
# limit it: Linux, macOS): a file that would need more is reported unreadable instead of exhausting the
# computer. A real scoring table needs well under 200 MB; the reader itself about 100 MB.
DEFAULT_MEMORY_LIMIT = 2 * 1024 ** 3

# Written into the keywords of every summary xladdin writes, so that a summary given back to it (an old
# one lying in an input folder, or given to check) is recognised as such.
SUMMARY_MARKER = "xladdin-summary"
