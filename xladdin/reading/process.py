"""Reading in a separate process, within a time and a memory limit: what protects ``xladdin check``,
the consolidation's readers (:mod:`xladdin.consolidation.workers`) and the Excel buttons from a file
built to hang or to exhaust memory. Light: imports nothing of the engine (``check`` stays quick to start).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from xladdin.core.defaults import DEFAULT_TIMEOUT


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the consolidating process dies (even by SIGKILL).
    Elsewhere a worker ends at its next read from the pipe, which the parent's death closes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


class LimitExceeded(Exception):
    """The call in the reader process ran out of time (``reason`` "timeout"), memory ("memory") or
    died ("crashed")."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space (where the system allows it): an allocation past it fails
    (MemoryError in Python) instead of swapping the computer to a halt."""
    if not limit:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError, AttributeError):  # Windows, or a limit we may not set
        pass


def _limited_main(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], memory: int | None,
                  parent: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the parent stops us
    _die_with_parent(parent)
    limit_memory(memory)
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", "")
    except BaseException as exc:  # noqa: BLE001 — the parent's last-resort handler reports it
        import traceback

        result = ("error", "".join(traceback.format_exception(exc)))
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", ""))
    except Exception as exc:  # noqa: BLE001 — a result that cannot be sent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def call_limited(fn: Callable[..., Any], *args: Any, timeout: float | None = DEFAULT_TIMEOUT,
                 memory: int | None = None) -> Any:
    """``fn(*args)`` in a reader process (the consolidation's kind: dies with this process, ignores
    Ctrl+C) within ``timeout`` seconds and ``memory`` bytes; its result is sent back pickled.

    Raises :class:`LimitExceeded` (timeout, memory, crashed) or RuntimeError carrying the reader's
    traceback for an unexpected exception. Where no process can be started, calls ``fn`` here."""
    import multiprocessing

    ctx = multiprocessing.get_context()
    try:
        here, there = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_limited_main, args=(there, fn, args, memory, os.getpid()), daemon=True,
                           name="xladdin-reader")
        proc.start()
    except OSError:  # no more processes (a system limit): read here, without the limits
        return fn(*args)
    there.close()
    try:
        if not here.poll(timeout):
            raise LimitExceeded("timeout")
        try:
            status, value = here.recv()
        except (EOFError, OSError):
            proc.join(5.0)
            raise LimitExceeded("crashed", f"exit code {proc.exitcode}") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5.0)
        here.close()
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    raise RuntimeError(f"读取进程出错：\n{value}")


__all__ = ["LimitExceeded", "call_limited", "limit_memory"]
