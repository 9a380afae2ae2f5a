"""Test hooks (tests only; unset in normal use), read by the reader processes and the summary writer."""

from __future__ import annotations

import os
from typing import Any

# Test hooks (tests only; unset in normal use): a JSON object in this environment variable makes the
# reader misbehave on purpose, so the tests can crash, hang, slow down or stop a run at a known point.
#   {"delay": 0.05}              sleep before reading each file
#   {"hang": ["x.xlsx"]}         never finish reading these files (by file name)
#   {"crash": ["y.xlsx"]}        kill the reading process with SIGSEGV on these files
#   {"started": "/dir"}          touch /dir/<index>-<pid> when a file starts being read
#   {"stall_write": "/marker"}   after the summary's temporary file is written: create the marker, wait
TEST_HOOKS_ENV = "XLADDIN_TEST_HOOKS"


def test_hooks() -> dict[str, Any]:
    raw = os.environ.get(TEST_HOOKS_ENV)
    if not raw:
        return {}
    import json

    try:
        hooks = json.loads(raw)
    except ValueError:
        return {}
    return hooks if isinstance(hooks, dict) else {}


__all__ = ["TEST_HOOKS_ENV", "test_hooks"]
