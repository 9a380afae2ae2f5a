"""Consolidation: many departments' scoring tables -> one summary the finance bureau can trust.

Three steps, kept apart:

1. :func:`discover` turns the command-line inputs into the ordered list of submission files (and
   the files it ignores, with the reason).
2. :func:`read_all` reads and checks every file with the engine (:func:`xladdin.core.report.check_file`)
   in worker processes, one file at a time per worker and each within a time limit (a worker that
   crashes or hangs costs only its current file, reported ``unreadable``); each file becomes one
   compact, picklable :class:`Entry`. Results come back in input order whatever the number of workers.
3. :func:`consolidate` is pure: statuses (ok / errors / unreadable / not-scoring-table / duplicate),
   resubmissions, framework differences, ranking and statistics -> a :class:`Summary`.
   :func:`write_summary` (in :mod:`xladdin.outputs.summary_book`) writes it with openpyxl.

Every input workbook gets exactly one status and one ledger row; nothing is skipped silently and no
submission is ever written to.
"""

from __future__ import annotations

import os
import re
import sys
import time
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache
from math import fsum
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from xladdin.core.defaults import DEFAULT_TIMEOUT
from xladdin.core.grading import DEFAULT_GRADING, Grading
from xladdin.core.model import ERROR, WARNING, Issue, fast_pickle
from xladdin.core.numbers import TOLERANCE, fmt, squash

# Statuses, in ledger order of severity; the labels are what the sheets show.
STATUS_LABELS = {
    "ok": "通过",
    "errors": "有错误",
    "unreadable": "无法读取",
    "not-scoring-table": "不是评分表",
    "duplicate": "重复报送（未计入）",
}
STATUSES = tuple(STATUS_LABELS)

# Issue codes added by consolidation (the engine's codes are in xladdin.core.model.ISSUE_CODES).
CONSOLIDATION_CODES = ("framework-differs", "duplicate", "year-differs", "year-missing", "unit-missing")

# Files looked for in folders. .et and .xlsb are not read by the engine, but a department that sent
# one has still sent something: it gets a status and a message instead of vanishing.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et")

# Written into the summary's document properties, so an old summary lying in an input folder is
# recognised (its 明细 sheet would otherwise read as one huge scoring table).
SUMMARY_MARKER = "xladdin-summary"

# Two files of the same unit whose modification times are this close count as "same time"
# (a bulk copy, a git checkout, FAT's 2-second clock); the time saved inside the workbook decides.
SAME_TIME_SECONDS = 2.0


# -- discovery ----------------------------------------------------------------------------------

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


# -- reading (runs in worker processes) ---------------------------------------------------------

@fast_pickle
@dataclass(slots=True)
class LeafRow:
    path: tuple[str, ...]
    weight: float | None
    deduction: float | None
    score: float | None
    reason: str
    cell: str  # the 得分 cell (or the first value cell the row has)
    dcell: str  # the 扣分 cell (or the same as ``cell``)


@fast_pickle
@dataclass(slots=True)
class Entry:
    """One input workbook, as read and checked: everything the summary needs, nothing more."""

    index: int
    file: str  # the path as found
    display: str
    status: str = "unreadable"
    message: str = ""
    mtime: float | None = None
    size: int | None = None
    sheet: str | None = None
    unit: str | None = None  # as read from the table
    year: int | None = None
    total_weight: float | None = None
    total_deduction: float | None = None
    total_score: float | None = None
    grade: str | None = None
    issues: list[Issue] = field(default_factory=list)
    leaves: list[LeafRow] = field(default_factory=list)
    roots: list[tuple[str, float | None, float]] = field(default_factory=list)  # (name, weight, score)
    # set while consolidating
    unit_shown: str = ""
    year_used: int | None = None
    twin: str | None = None
    rank: int | None = None

    @property
    def readable(self) -> bool:
        return self.status in ("ok", "errors", "duplicate")

    @property
    def included(self) -> bool:
        return self.status in ("ok", "errors")

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.display,
            "path": self.file,
            "status": self.status,
            "unit": self.unit_shown or self.unit,
            "year": self.year_used if self.readable else self.year,
            "total_score": self.total_score,
            "grade": self.grade,
            "rank": self.rank,
            "errors": self.errors,
            "warnings": self.warnings,
            "message": self.message,
        }


_REASON_KEYS = ("扣分原因", "原因", "扣分说明", "扣分依据", "扣分理由", "扣分情况说明", "说明", "备注")


def _reason(extras: dict[str, str]) -> str:
    """The deduction reason among a leaf's extra columns: the first non-blank one of the columns
    whose heading names a reason, in the order of _REASON_KEYS."""
    if not extras:
        return ""
    for k in _reason_columns(tuple(extras)):
        if extras[k]:
            return extras[k]
    return ""


@lru_cache(maxsize=1024)
def _reason_columns(headings: tuple[str, ...]) -> tuple[str, ...]:
    """The headings _reason looks at, in the order it looks (the same headings on every leaf)."""
    keys = {squash(k): k for k in headings}
    return tuple(k for want in _REASON_KEYS for sk, k in keys.items() if want in sk)


def entry_from_report(report: Any, index: int, file: str, display: str) -> Entry:
    """Flatten an engine Report into an Entry (the Report holds a tree with parent links)."""
    from xladdin.kinds.department.checks import effective_weight

    e = Entry(index, file, display)
    e.issues = list(report.issues)
    t, f = report.table, report.figures
    if t is None or f is None:
        first = report.issues[0] if report.issues else None
        e.status = first.code if first is not None and first.code in STATUS_LABELS else "unreadable"
        e.message = first.message if first is not None else f"文件“{Path(file).name}”无法读取。"
        return e
    if t.sheet in SUMMARY_SHEETS and _is_summary(file):
        e.status = "not-scoring-table"
        e.message = f"文件“{Path(file).name}”是 xladdin 生成的汇总表，不是部门评分表，未计入汇总。"
        e.issues = [Issue("not-scoring-table", ERROR, e.message)]
        return e
    e.status = "ok"
    e.sheet, e.unit, e.year = t.sheet, t.unit, t.year
    e.total_weight, e.total_deduction, e.total_score, e.grade = f.total_weight, f.total_deduction, f.total_score, f.grade
    scores = f.leaf_scores  # id(leaf) -> leaf_score(leaf), computed by the checks
    leaves = e.leaves
    roots = {id(r) for r in t.roots}
    root_scores: list[float] = []
    for node in f.nodes:  # the tree in sheet order: each root, then what is below it
        if id(node) in roots:
            root_scores.append(0.0)
        if node.children:
            continue
        s = scores[id(node)]
        w = node.weight  # = effective_weight(leaf): a leaf has no children to add up
        d = node.deduction
        if d is None:  # = leaf_deduction(leaf)
            d = w - node.score if node.score is not None and w is not None else None
        if s is not None:
            root_scores[-1] += s
        cells = node.cells
        cell = cells.get("score") or cells.get("deduction") or cells.get("name") or ""
        leaves.append(LeafRow(node.path, w, d, s, _reason(node.extras) if node.extras else "", cell,
                              cells.get("deduction") or cell))
    e.roots = [(root.name, effective_weight(root), score) for root, score in zip(t.roots, root_scores)]
    return e


# A worker process that has not started within this time (seconds) is given up on.
STARTUP_TIMEOUT = 60.0

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
    from xladdin.core.report import check_file

    _reader_hooks(index, path)
    name = Path(path).name
    try:
        st = os.stat(path)
        mtime, size = st.st_mtime, st.st_size
    except OSError:
        mtime, size = None, None
    try:
        e = entry_from_report(check_file(path, None, grading), index, path, display)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 — a Rust panic in the reader is a BaseException
        e = _failed(index, path, display,
                    f"文件“{name}”读取时出现意外错误（{type(exc).__name__}: {str(exc)[:120]}），未能校验；"
                    f"请重新导出该文件，或把它发给技术人员。")
    e.mtime, e.size = mtime, size
    return e


def _failed(index: int, path: str, display: str, message: str) -> Entry:
    e = Entry(index, path, display, status="unreadable", message=message)
    e.issues = [Issue("unreadable", ERROR, message)]
    try:
        st = os.stat(path)
        e.mtime, e.size = st.st_mtime, st.st_size
    except OSError:
        pass
    return e


def crashed_message(path: str) -> str:
    return f"读取文件“{Path(path).name}”时读取程序异常退出，文件可能已损坏；请重新导出后提交。"


def timeout_message(path: str, seconds: float) -> str:
    return (f"读取文件“{Path(path).name}”超过 {fmt(seconds)} 秒仍未完成（超时），已停止读取；"
            f"文件可能已损坏或被恶意构造，请重新导出后提交。")


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
    from xladdin.core import report  # noqa: F401  (imported before "ready": not counted in a file's time limit)

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
                conn.send(_failed(i, p, d, f"文件“{Path(p).name}”读取后无法传回结果（{type(exc).__name__}），"
                                           f"未能校验；请把它发给技术人员。"))
    except (EOFError, OSError, KeyboardInterrupt):
        return


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

        from xladdin.core import report  # noqa: F401  (forked workers start with the engine imported)

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


# -- consolidating (pure) -----------------------------------------------------------------------

SUMMARY_SHEETS = ("汇总", "明细", "扣分明细", "指标统计", "等级分布", "校验问题", "文件清单")


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """Names compared across departments: no blanks, full-width folded, quotes dropped."""
    return re.sub(r"[“”\"'‘’「」『』]", "", squash(name))


@dataclass(slots=True)
class IndicatorStat:
    names: tuple[str, ...]
    weight: float | None
    units: int
    mean_score: float | None
    mean_rate: float | None
    deducted_units: int
    min_score: float | None
    total_deduction: float


@dataclass(slots=True)
class Summary:
    entries: list[Entry]  # ledger order: every input workbook
    ranked: list[Entry]  # included entries, best first
    year: int | None
    grading: Grading
    level1: list[tuple[str, str]]  # (key, display name) of the 汇总 columns
    majority_level1: tuple[str, ...]
    indicators: list[IndicatorStat]
    grade_counts: list[tuple[str, int]]
    score_bins: list[tuple[str, int]]
    ignored: list[tuple[str, str]] = field(default_factory=list)
    output: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(e.status for e in self.entries)
        return {s: c.get(s, 0) for s in STATUSES}

    def level1_scores(self, e: Entry) -> dict[str, float]:
        scores: dict[str, float] = {}
        for name, _, score in e.roots:  # a level-1 name written twice adds up (duplicate-indicator)
            scores[_key(name)] = scores.get(_key(name), 0.0) + score
        return scores

    def to_json(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "year": self.year,
            "counts": self.counts,
            "grades": dict(self.grade_counts),
            "files": [e.to_json() for e in self.entries],
            "ignored": [{"file": f, "reason": r} for f, r in self.ignored],
        }


def _saved_time(path: str) -> str | None:
    """The save time recorded inside an .xlsx (docProps/core.xml), which survives copying."""
    try:
        with zipfile.ZipFile(path) as zf:
            text = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    m = re.search(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>", text)
    return m.group(1).strip() if m else None


def _is_summary(path: str) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return SUMMARY_MARKER in zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False


def _newer(a: Entry, b: Entry, saved: Callable[[Entry], str | None]) -> tuple[bool, str]:
    """Is ``a`` the later submission than ``b``? And on what basis (for the message)."""
    ma, mb = a.mtime or 0.0, b.mtime or 0.0
    if abs(ma - mb) > SAME_TIME_SECONDS:
        return ma > mb, "文件修改时间"
    sa, sb = saved(a), saved(b)
    if sa and sb and sa != sb:
        return sa > sb, "工作簿内记录的保存时间（两个文件的修改时间相同）"
    return a.index > b.index, "文件名顺序（两个文件的修改时间相同）"


def _issue(code: str, message: str, severity: str = WARNING) -> Issue:
    return Issue(code, severity, message)  # type: ignore[arg-type]


def consolidate(entries: list[Entry], grading: Grading = DEFAULT_GRADING, year: int | None = None,
                ignored: Sequence[tuple[str, str]] = ()) -> Summary:
    """Statuses, resubmissions, framework differences, ranking and statistics."""
    readable = [e for e in entries if e.status == "ok"]
    # the summary's year: --year, else the year most tables state (ties: the later year)
    if year is None:
        years = Counter(e.year for e in readable if e.year)
        if years:
            year = max(years, key=lambda y: (years[y], y))
    for e in readable:
        e.unit_shown = e.unit or Path(e.file).stem
        if not e.unit:
            e.issues.append(_issue("unit-missing", f"文件“{Path(e.file).name}”的评分表里没有找到单位名称"
                                                   f"（标题或“单位名称”行），汇总中暂以文件名“{e.unit_shown}”代替。"))
        e.year_used = e.year or year
        if not e.year and year:
            e.issues.append(_issue("year-missing", f"文件“{Path(e.file).name}”的评分表里没有写评价年度，按 {year} 年度汇总。"))
        elif e.year and year and e.year != year:
            e.issues.append(_issue("year-differs", f"文件“{Path(e.file).name}”是 {e.year} 年度的评分表，"
                                                   f"与本次汇总的 {year} 年度不同，请核对是否报错了年度。"))

    _mark_duplicates(readable)
    included = [e for e in readable if e.status == "ok"]

    # framework: the level-1 indicators most units use
    sets = [frozenset(_key(n) for n, _, _ in e.roots) for e in included]
    majority: frozenset[str] = frozenset()
    if sets:
        majority = Counter(sets).most_common(1)[0][0]
    names: dict[str, str] = {}
    level1_order: list[str] = []
    first_majority = next((e for e, s in zip(included, sets) if s == majority), None)
    for e in ([first_majority] if first_majority else []) + included:
        for n, _, _ in e.roots:
            k = _key(n)
            if k not in names:
                names[k] = n
                level1_order.append(k)
    n_majority = sum(1 for s in sets if s == majority)
    for e, s in zip(included, sets):
        if s != majority:
            missing = [names[k] for k in level1_order if k in majority and k not in s]
            extra = [names[k] for k in level1_order if k in s and k not in majority]
            parts = []
            if missing:
                parts.append("缺少" + "、".join(f"“{m}”" for m in missing))
            if extra:
                parts.append("多出" + "、".join(f"“{x}”" for x in extra))
            e.issues.append(_issue(
                "framework-differs",
                f"{e.unit_shown}的一级指标与多数单位（{n_majority} 个）不同：{'，'.join(parts)}。"
                f"已照常汇总，各指标按名称对应；请核对是否使用了统一的评分表。"))

    for e in included:
        e.status = "errors" if e.errors else "ok"
        e.message = _ok_message(e)
    for e in entries:
        if not e.message:
            e.message = f"文件“{Path(e.file).name}”无法读取。"

    ranked = sorted(included, key=lambda e: (-round(e.total_score or 0.0, 6), e.unit_shown, e.display))
    prev: float | None = None
    for pos, e in enumerate(ranked, 1):
        s = round(e.total_score or 0.0, 6)
        if prev is None or abs(s - prev) > TOLERANCE:
            rank = pos
        e.rank = rank
        prev = s

    return Summary(
        entries=entries, ranked=ranked, year=year, grading=grading,
        level1=[(k, names[k]) for k in level1_order],
        majority_level1=tuple(names[k] for k in level1_order if k in majority),
        indicators=indicator_stats(ranked),
        grade_counts=_grade_counts(ranked, grading),
        score_bins=_score_bins(ranked),
        ignored=list(ignored),
    )


def _ok_message(e: Entry) -> str:
    errors, warnings = e.errors, e.warnings
    note = f"（更正报送，取代了“{e.twin}”）" if e.twin else ""
    if errors:
        first = next(i for i in e.issues if i.severity == ERROR)
        where = f"{first.cell} " if first.cell and not first.message.startswith(first.cell) else ""
        return (f"有 {errors} 个错误、{warnings} 个警告，已计入汇总并标为“有错误”，请退回核对{note}。"
                f"第一个错误：{where}{first.message}")
    if warnings:
        return f"校验通过，有 {warnings} 个警告{note}。"
    return f"校验通过{note}。"


def _mark_duplicates(readable: list[Entry]) -> None:
    groups: dict[tuple[str, int | None], list[Entry]] = {}
    for e in readable:
        if e.unit:
            groups.setdefault((_key(e.unit), e.year_used), []).append(e)
    cache: dict[int, str | None] = {}

    def saved(e: Entry) -> str | None:
        if e.index not in cache:
            cache[e.index] = _saved_time(e.file)
        return cache[e.index]

    for group in groups.values():
        if len(group) < 2:
            continue
        winner, basis = group[0], ""
        for other in group[1:]:
            newer, why = _newer(other, winner, saved)
            if newer:
                winner = other
        losers = [e for e in group if e is not winner]
        for e in losers:
            _, basis = _newer(winner, e, saved)
            year = f"{e.year_used} 年度" if e.year_used else "同一年度"
            e.status = "duplicate"
            e.twin = winner.display
            e.message = (f"与“{winner.display}”是同一单位（{e.unit}）{year}的评分表，按{basis}以较新的"
                         f"“{winner.display}”为准，本文件未计入汇总。")
            e.issues.append(_issue("duplicate", e.message))
        winner.twin = "”“".join(e.display for e in losers)


def indicator_stats(ranked: list[Entry]) -> list[IndicatorStat]:
    """Per indicator (matched by normalised path): most-deducted first — the county's weak points.

    Plain Python: a few dozen indicators over the units (41 × 2,000 rows take ~50 ms); this used to
    be a pandas groupby, whose import alone (~0.6–0.8 s of CPU) was a quarter of a 400-file run.
    tests/test_consolidate_stats.py keeps the pandas version as the specification.
    """
    order: dict[tuple[str, ...], int] = {}
    shown: list[tuple[str, ...]] = []
    index_of: dict[tuple[str, ...], int] = {}  # path as written -> group (the same paths recur)
    groups: list[tuple[list[float | None], list[float], list[float], list[float]]] = []
    for e in ranked:
        for leaf in e.leaves:
            k = index_of.get(leaf.path)
            if k is None:
                key = tuple(_key(n) for n in leaf.path)
                k = order.get(key)
                if k is None:
                    k = order[key] = len(shown)
                    shown.append(leaf.path)
                    groups.append(([], [], [], []))
                index_of[leaf.path] = k
            weights, scores, rates, deductions = groups[k]
            weights.append(leaf.weight)
            if leaf.score is not None:
                scores.append(leaf.score)
                if leaf.weight:
                    rates.append(leaf.score / leaf.weight)
            deductions.append(leaf.deduction or 0.0)
    out = []
    for k, (weights, scores, rates, deductions) in enumerate(groups):
        mean_rate = fsum(rates) / len(rates) if rates else None
        deducted = sum(1 for d in deductions if d > TOLERANCE)
        out.append((
            -deducted, 2.0 if mean_rate is None else mean_rate, k,
            IndicatorStat(
                names=shown[k], weight=_mode(weights), units=len(weights),
                mean_score=_f(fsum(scores) / len(scores)) if scores else None, mean_rate=_f(mean_rate),
                deducted_units=deducted, min_score=_f(min(scores)) if scores else None,
                total_deduction=_f(fsum(deductions)) or 0.0)))
    out.sort(key=lambda t: t[:3])
    return [t[3] for t in out]


def _mode(values: list[float | None]) -> float | None:
    """The most common value (the smallest of equally common ones); None when all are blank."""
    counts = Counter(v for v in values if v is not None and v == v)
    if not counts:
        return None
    top = max(counts.values())
    return _f(min(v for v, n in counts.items() if n == top))


def _f(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if v != v else round(v, 10)


def _grade_counts(ranked: list[Entry], grading: Grading) -> list[tuple[str, int]]:
    c = Counter(e.grade for e in ranked)
    return [(label, c.get(label, 0)) for label in grading.labels]


SCORE_BINS: tuple[tuple[str, float, float], ...] = (
    ("60 分以下", float("-inf"), 60), ("60–70", 60, 70), ("70–80", 70, 80), ("80–85", 80, 85),
    ("85–90", 85, 90), ("90–95", 90, 95), ("95–100", 95, float("inf")),
)


def _score_bins(ranked: list[Entry]) -> list[tuple[str, int]]:
    out = []
    for label, lo, hi in SCORE_BINS:
        out.append((label, sum(1 for e in ranked if e.total_score is not None
                               and lo - 1e-9 <= e.total_score < hi - 1e-9)))
    return out


# -- the whole run -------------------------------------------------------------------------------

def run(inputs: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str], *,
        grading: Grading = DEFAULT_GRADING, year: int | None = None, workers: int | None = None,
        progress: Callable[[int, int], None] | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> Summary:
    """Discover, read, consolidate, write. Raises ConfigError/OutputError (Chinese messages).

    ``timeout``: seconds one file may take to read (None: no limit; with ``workers=1`` the files are
    then read in this process)."""
    from xladdin.errors import ConfigError
    from xladdin.outputs.summary_book import check_output, write_summary

    out = Path(output)
    check_output(out)
    found = discover(inputs, out)
    if found.missing:
        raise ConfigError("找不到输入：" + "、".join(f"“{m}”" for m in found.missing) + "。请检查文件夹或文件名。")
    if not found.files:
        where = "、".join(f"“{i}”" for i in inputs)
        raise ConfigError(f"在{where}中没有找到 Excel 评分表（.xlsx / .xlsm / .xls）。")
    entries = read_all(found.files, found.display, grading, workers, progress, timeout, meanwhile=_import_writers)
    summary = consolidate(entries, grading, year, found.ignored)
    summary.output = str(out)
    write_summary(summary, out)
    return summary


def _import_writers() -> None:
    """Import what writing the summary needs (openpyxl and its chart and writer modules) while the
    reader processes work: this process is idle then. A failure shows again where the import is used.

    openpyxl imports numpy whenever it is installed (pandas brings it along), only to accept numpy
    numbers as cell values; the summary writes Python numbers only, and numpy's import is almost half
    of openpyxl's (~0.15 s of CPU, 12% of a 400-file run). So unless numpy or openpyxl is loaded
    already, openpyxl is imported as if numpy were not installed; numpy itself stays importable.
    """
    try:
        hide = "numpy" not in sys.modules and "openpyxl" not in sys.modules
        if hide:
            sys.modules["numpy"] = None  # type: ignore[assignment]  (import numpy -> ImportError)
        try:
            import openpyxl.chart  # noqa: F401
        finally:
            if hide and sys.modules.get("numpy", 0) is None:
                del sys.modules["numpy"]
        import openpyxl.cell._writer  # noqa: F401  (loaded by the first save)
    except Exception:  # noqa: BLE001
        pass


class Progress:
    """A one-line progress bar on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self, label: str = "读取评分表", stream: Any = None, min_total: int = 10):
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_total = min_total
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / (now - self.start) if now > self.start else 0.0
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total}（{rate:.0f} 个/秒）")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


MAX_LISTED = 30  # problem files listed in the overview; the summary workbook lists them all


def overview(summary: Summary) -> str:
    """A short Chinese overview: files, statuses, grades, problems, where the summary is."""
    c = summary.counts
    total = len(summary.entries)
    year = f"{summary.year} 年度" if summary.year else ""
    lines = [f"共读取 {total} 个{year}报送文件，{len(summary.ranked)} 个单位计入汇总排名。".replace("个2", "个 2")]
    parts = [f"{STATUS_LABELS[s]} {c[s]} 个" for s in STATUSES if c[s]]
    lines.append("状态：" + "，".join(parts) + "。")
    lines.append("等级：" + "，".join(f"{g} {n} 个" for g, n in summary.grade_counts) + "。")
    if summary.ranked:
        top, bottom = summary.ranked[0], summary.ranked[-1]
        lines.append(f"最高：{top.unit_shown} {fmt(top.total_score)} 分；最低：{bottom.unit_shown} {fmt(bottom.total_score)} 分。")
    problems = [e for e in summary.entries if e.status != "ok" or e.warnings]
    if problems:
        lines.append("需要处理的文件：")
        for e in problems[:MAX_LISTED]:
            who = f"{e.unit_shown}：" if e.readable else ""
            lines.append(f"  · [{STATUS_LABELS[e.status]}] {who}{_short_message(e)}")
        if len(problems) > MAX_LISTED:
            lines.append(f"  ……另有 {len(problems) - MAX_LISTED} 个，见汇总表的“文件清单”和“校验问题”。")
    if summary.indicators and summary.indicators[0].deducted_units:
        weak = [s for s in summary.indicators[:3] if s.deducted_units]
        lines.append("扣分最多的指标：" + "；".join(
            f"{s.names[-1]}（{s.deducted_units} 个单位扣分）" for s in weak) + "。")
    if summary.ignored:
        lines.append(f"另有 {len(summary.ignored)} 个非评分表文件已忽略（临时文件、非 Excel 文件等），见 --json 输出。")
    if summary.output:
        lines.append(f"汇总表：{summary.output}（工作表：{'、'.join(SUMMARY_SHEETS)}）")
    return "\n".join(_TERMINAL_UNSAFE.sub("?", line) for line in lines) + "\n"


# Printed to a terminal, a file name is shown as "?" where it holds control characters (an escape
# sequence could repaint the screen) or direction overrides (which could disguise the name).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _short_message(e: Entry) -> str:
    if e.status == "errors":
        first = next(i for i in e.issues if i.severity == ERROR)
        more = f"（共 {e.errors} 个错误）" if e.errors > 1 else ""
        return f"{first.message}{more}"
    if e.status == "ok":
        first = next(i for i in e.issues if i.severity == WARNING)
        more = f"（共 {e.warnings} 个警告）" if e.warnings > 1 else ""
        return f"{first.message}{more}"
    if e.status == "duplicate":
        return f"“{e.display}”已由较新的“{e.twin}”取代，未计入汇总。"
    return e.message


__all__ = ["discover", "read_all", "consolidate", "run", "overview", "Summary", "Entry", "Progress",
           "STATUS_LABELS", "SUMMARY_SHEETS", "CONSOLIDATION_CODES"]
