"""Reading every submission: reader processes, each file within a time limit, one :class:`Entry` per file.

:func:`read_all` runs its own reader processes (:class:`_WorkerPool`, not a ``ProcessPoolExecutor``):
each is sent ``(index, path, display)`` tasks, at most :data:`QUEUED_PER_WORKER` queued, reads them in
order and returns one compact picklable :class:`Entry` per file, so output order never depends on the
pool. A reader past a file's deadline is killed, a reader that dies takes only the file it was
reading (``unreadable``); its queued files go to the others and a fresh reader takes its place. The
reader also records what the pure step needs from the file itself (modification time, size, the
save time inside the workbook), so :func:`xladdin.consolidation.consolidate.consolidate` opens no file.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from xladdin.consolidation.entry import entry_from_report
from xladdin.consolidation.model import Entry
from xladdin.consolidation.testhooks import test_hooks
from xladdin.core.catalogue import message
from xladdin.core.defaults import DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import ERROR, Issue
from xladdin.core.numbers import fmt
from xladdin.reading.process import LimitExceeded, _die_with_parent, call_limited, limit_memory  # noqa: F401

# A worker process that has not started within this time (seconds) is given up on.
STARTUP_TIMEOUT = 60.0


def _reader_hooks(index: int, path: str) -> None:
    hooks = test_hooks()
    if not hooks:
        return
    name = Path(path).name
    if hooks.get("started"):
        Path(hooks["started"], f"{index}-{os.getpid()}").touch()
    if hooks.get("delay"):
        time.sleep(float(hooks["delay"]))
    if name in hooks.get("crash", ()):
        import faulthandler
        import signal

        faulthandler.disable()  # die quietly, as a crash in the reader's native code would
        os.kill(os.getpid(), signal.SIGSEGV)
    if name in hooks.get("hang", ()):
        while True:
            time.sleep(3600)


def _read_one(index: int, path: str, display: str, grading: Grading) -> Entry:
    from xladdin.engine import check_file

    _reader_hooks(index, path)
    name = Path(path).name
    try:
        st = os.stat(path)
        mtime, size = st.st_mtime, st.st_size
    except OSError:
        mtime, size = None, None
    try:
        report = check_file(path, None, grading)
        e = entry_from_report(report, index, path, display)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 — a Rust panic in the reader is a BaseException
        e = _failed(index, path, display,
                    message("unreadable", "unexpected", file=name, error=f"{type(exc).__name__}: {str(exc)[:120]}"))
    e.mtime, e.size = mtime, size
    return e


def _failed(index: int, path: str, display: str, text: str) -> Entry:
    e = Entry(index, path, display, status="unreadable", message=text)
    e.issues = [Issue("unreadable", ERROR, text)]
    try:
        st = os.stat(path)
        e.mtime, e.size = st.st_mtime, st.st_size
    except OSError:
        pass
    return e


def crashed_message(path: str) -> str:
    return message("unreadable", "crashed", file=Path(path).name)


def timeout_message(path: str, seconds: float) -> str:
    return message("unreadable", "timeout", file=Path(path).name, seconds=fmt(seconds))


def read_all(files: Sequence[str | os.PathLike[str]], display: Sequence[str] | None = None,
             grading: Grading = DEFAULT_GRADING, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             timeout: float | None = DEFAULT_TIMEOUT,
             meanwhile: Callable[[], None] | None = None) -> list[Entry]:
    """Read and check every file; the result is in input order whatever ``workers`` is.

    Files are read in worker processes, one file at a time per worker, each within ``timeout``
    seconds: a worker that crashes or runs out of time is stopped (the file becomes ``unreadable``
    with the reason) and replaced, and the run goes on. ``timeout=None`` with one worker reads in
    this process, without a time limit (the Excel 汇总 button).

    ``meanwhile``: work for a thread of this process while the workers read (this process mostly
    waits then); it is started once the workers are, and finished before this returns. Not run
    when the files are read in this process.
    """
    tasks = [(i, str(f), (display[i] if display else str(f))) for i, f in enumerate(files)]
    n = len(tasks)
    workers = default_workers() if not workers or workers < 1 else workers
    workers = min(workers, n) if n else 1
    if progress:
        progress(0, n)
    if n and (workers > 1 or timeout):
        results = _WorkerPool(workers, grading, timeout).run(tasks, progress, meanwhile)
        return [results[i] for i, _, _ in tasks]
    out = []
    for i, p, d in tasks:
        out.append(_read_one(i, p, d, grading))
        if progress:
            progress(len(out), n)
    return out


def _worker_main(conn: Any, grading: Grading, parent: int) -> None:
    """A reading process: announce readiness, then read one file per message until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the parent stops us
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    limit_memory(DEFAULT_MEMORY_LIMIT)  # a file needing more is unreadable, not the computer's end
    from xladdin import engine  # noqa: F401  (imported before "ready": not counted in a file's time limit)

    try:
        conn.send("ready")
        while True:
            task = conn.recv()
            if task is None:
                return
            i, p, d = task
            e = _read_one(i, p, d, grading)
            try:
                conn.send(e)
            except (BrokenPipeError, EOFError):
                return
            except Exception as exc:  # noqa: BLE001 — an Entry that cannot be sent still gets a status
                conn.send(_failed(i, p, d, message("unreadable", "not-returned", file=Path(p).name,
                                                   error=type(exc).__name__)))
    except (EOFError, OSError, KeyboardInterrupt):
        return


# Files handed to a worker ahead of the one it is reading, so it never waits for the next one.
QUEUED_PER_WORKER = 3


class _Worker:
    """One reading process and the files handed to it (read in that order; the first is in progress)."""

    __slots__ = ("proc", "conn", "queue", "deadline", "ready")

    def __init__(self, ctx: Any, grading: Grading):
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, grading, os.getpid()), daemon=True,
                                name="xladdin-reader")
        self.proc.start()
        child.close()
        self.conn = parent
        self.queue: deque[tuple[int, str, str]] = deque()
        self.deadline = time.monotonic() + STARTUP_TIMEOUT  # until it says "ready"
        self.ready = False

    def give(self, task: tuple[int, str, str], timeout: float | None) -> bool:
        try:
            self.conn.send(task)
        except (OSError, ValueError):  # it died while idle: the next wait() sees it gone
            return False
        if not self.queue:
            self.deadline = time.monotonic() + timeout if timeout else float("inf")
        self.queue.append(task)
        return True

    def finished(self, timeout: float | None) -> None:
        """The first file is done; the next one (already sent) starts now."""
        self.queue.popleft()
        self.deadline = time.monotonic() + timeout if self.queue and timeout else float("inf")

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                kill = True
            else:
                self.proc.join(1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5.0)
        self.conn.close()


class _WorkerPool:
    """Worker processes reading files in order, with a time limit per file.

    Unlike a process pool, every file is watched on its own: a worker that dies takes only the file
    it was reading with it (``unreadable``: 读取程序异常退出), a worker past the time limit is killed
    (``unreadable``: 超时) and replaced; the files queued behind it go to other workers, and nothing
    waits forever.
    """

    def __init__(self, workers: int, grading: Grading, timeout: float | None):
        import multiprocessing

        from xladdin import engine  # noqa: F401  (forked workers start with the engine imported)

        self.ctx = multiprocessing.get_context()
        self.n = workers
        self.grading = grading
        self.timeout = timeout

    def run(self, tasks: list[tuple[int, str, str]], progress: Callable[[int, int], None] | None,
            meanwhile: Callable[[], None] | None = None) -> dict[int, Entry]:
        import threading
        from multiprocessing.connection import wait

        thread: threading.Thread | None = None
        pending = deque(tasks)
        results: dict[int, Entry] = {}
        pool: list[_Worker] = []
        failed_starts = 0
        n = len(tasks)
        timeout = self.timeout

        def done(e: Entry) -> None:
            results[e.index] = e
            if progress:
                progress(len(results), n)

        def drop(w: _Worker) -> None:
            w.stop(kill=True)
            pool.remove(w)
            pending.extendleft(reversed(w.queue))  # files it had not started go to the others

        try:
            while len(results) < n and failed_starts <= 2 * self.n:
                queued = sum(len(w.queue) for w in pool)
                try:
                    while len(pool) < min(self.n, len(pending) + queued):
                        if thread is not None:  # never fork while another thread may hold a lock
                            thread.join()
                        pool.append(_Worker(self.ctx, self.grading))
                except OSError:  # no more processes (a system limit): carry on with those there are
                    failed_starts += 1
                    if not pool:
                        continue
                if meanwhile is not None and thread is None:
                    thread = threading.Thread(target=meanwhile, name="xladdin-meanwhile", daemon=True)
                    thread.start()
                for w in pool:  # a file for every idle reader first, ...
                    if w.ready and not w.queue and pending and w.give(pending[0], timeout):
                        pending.popleft()
                for w in pool:  # ... then more queued behind while there are plenty left
                    while (w.ready and len(pending) >= len(pool) and len(w.queue) < QUEUED_PER_WORKER
                           and w.give(pending[0], timeout)):
                        pending.popleft()
                wait_for = max(0.0, min(w.deadline for w in pool) - time.monotonic())
                ready = wait([w.conn for w in pool], timeout=None if wait_for == float("inf") else wait_for)
                for w in list(pool):
                    if w.conn not in ready:
                        continue
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):  # the process died, with the file it was reading
                        if w.queue:
                            task = w.queue.popleft()
                            done(_failed(*task, crashed_message(task[1])))
                        elif not w.ready:
                            failed_starts += 1
                        drop(w)
                        continue
                    if msg == "ready":
                        w.ready = True
                        w.deadline = float("inf")
                    elif isinstance(msg, Entry) and w.queue and msg.index == w.queue[0][0]:
                        done(msg)
                        w.finished(timeout)
                now = time.monotonic()
                for w in list(pool):
                    if now < w.deadline:
                        continue
                    if w.queue:  # past the time limit: stop it, the file is unreadable
                        task = w.queue.popleft()
                        done(_failed(*task, timeout_message(task[1], timeout or 0.0)))
                    else:
                        failed_starts += 1
                    drop(w)
        finally:
            for w in pool:
                w.stop(kill=bool(w.queue))
        if thread is not None:
            thread.join()
        # Worker processes could not be started here: read what is left in this process instead
        # (the same results, without the time limit).
        for i, p, d in tasks:
            if i not in results:
                done(_read_one(i, p, d, self.grading))
        return results


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


__all__ = ["read_all", "default_workers", "crashed_message", "timeout_message", "STARTUP_TIMEOUT",
           "QUEUED_PER_WORKER", "call_limited", "LimitExceeded", "limit_memory"]
