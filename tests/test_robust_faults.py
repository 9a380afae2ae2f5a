"""Consolidation under faults: killed mid-run, a reader that crashes or hangs, Ctrl+C, stale temp files.

The faults are made deterministic with the reader's test hooks (``XLADDIN_TEST_HOOKS``, see
xladdin/consolidation/workers.py): a file that never finishes reading, a file that kills its reader with
SIGSEGV, a marker file when a file starts being read or when the summary's temporary file is
written. The tests wait for the marker, then act; nothing depends on timing luck.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from xladdin.cli import main
from xladdin.consolidation.discover import discover
from xladdin.consolidation.workers import read_all
from xladdin.outputs.annotate import TEMP_PREFIX, remove_stale_temps
from xladdin.outputs.summary_book import _sheet_parts
from xladdin.samples import Submission, by_name, random_submissions, write_set

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and fork: POSIX")

REPO = Path(__file__).resolve().parents[1]
INTERRUPTED = "汇总已中断（收到终止信号），没有生成新的汇总表；原来的汇总表（如有）未改动。"


def cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def ledger_xml(summary: Path) -> bytes:
    """The 文件清单 sheet exactly as written (its XML part)."""
    with zipfile.ZipFile(summary) as zf:
        data = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        return zf.read(_sheet_parts(data)["文件清单"])


def files_json(d: dict) -> bytes:
    return json.dumps(d["files"], ensure_ascii=False, indent=1).encode("utf-8")


def pid_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie has stopped running; only its exit status is left


def wait_for(predicate, proc: subprocess.Popen | None = None, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not predicate():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended early ({proc.returncode}): {proc.stderr.read().decode()[-500:]}")
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults") / "报送 (2023)"
    subs = random_submissions(14, seed=11)
    subs.append(Submission(path="临夏县/下载中断.xlsx", unit="临夏县某局", kind="truncated"))
    write_set(subs, folder)
    return folder


@pytest.fixture(scope="module")
def baseline(corpus, tmp_path_factory):
    """A finished run: (summary bytes, its ledger XML, its JSON)."""
    out = tmp_path_factory.mktemp("base") / "汇总.xlsx"
    code, stdout, err = cli("consolidate", corpus, "-o", out, "--json", "--workers", "2")
    assert code == 0, err
    d = json.loads(stdout)
    assert d["counts"]["unreadable"] == 1 and len(d["files"]) == 15
    return out.read_bytes(), ledger_xml(out), d


def start(corpus: Path, out: Path, hooks: dict) -> subprocess.Popen:
    env = dict(os.environ, XLADDIN_TEST_HOOKS=json.dumps(hooks), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "xladdin", "consolidate", str(corpus), "-o", str(out), "--workers", "2",
         "--timeout", "600", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.mark.parametrize("phase", ["read", "write"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_mid_run_the_previous_summary_is_intact_and_a_rerun_gives_the_same_ledger(
        corpus, baseline, tmp_path, phase, sig):
    old, old_ledger, old_json = baseline
    out_dir = tmp_path / "汇总 (输出)"
    out_dir.mkdir()
    out = out_dir / "汇总.xlsx"
    out.write_bytes(old)
    started = tmp_path / "started"
    started.mkdir()
    found = discover([corpus])
    if phase == "read":
        stuck = 9  # this file never finishes reading: the run is certainly mid-way when it starts
        hooks = {"hang": [found.files[stuck].name], "started": str(started)}
        proc = start(corpus, out, hooks)
        wait_for(lambda: any(p.name.startswith(f"{stuck}-") for p in started.iterdir()), proc)
    else:
        marker = tmp_path / "written"
        proc = start(corpus, out, {"stall_write": str(marker), "started": str(started)})
        wait_for(marker.exists, proc)
    workers = {int(p.name.split("-")[1]) for p in started.iterdir()}
    assert workers and proc.pid not in workers
    os.kill(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=30)

    assert out.read_bytes() == old  # the previous summary, untouched
    left = sorted(p.name for p in out_dir.iterdir())
    if sig == signal.SIGTERM:
        assert proc.returncode == 143 and INTERRUPTED in stderr.decode() and stdout == b""
        assert left == ["汇总.xlsx"]  # the temporary file was removed on the way out
    else:
        assert proc.returncode == -signal.SIGKILL
        if phase == "read":
            assert left == ["汇总.xlsx"]
        else:  # nothing runs after SIGKILL: the temporary file stays until the next run
            assert len(left) == 2 and re.fullmatch(re.escape(TEMP_PREFIX) + rf"{proc.pid}@\w*-\w+\.xlsx", left[0])
    wait_for(lambda: all(pid_gone(p) for p in workers), seconds=10)  # no reader outlives the run

    code, stdout, err = cli("consolidate", corpus, "-o", out, "--json", "--workers", "2")
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["汇总.xlsx"]  # a stale temporary file is removed
    assert ledger_xml(out) == old_ledger
    assert files_json(json.loads(stdout)) == files_json(old_json)


def test_the_rerun_ledger_is_byte_for_byte_equal_whatever_the_worker_count(corpus, baseline, tmp_path):
    _, old_ledger, old_json = baseline
    for workers in ("1", "3"):
        out = tmp_path / f"汇总{workers}.xlsx"
        code, stdout, err = cli("consolidate", corpus, "-o", out, "--json", "--workers", workers)
        assert code == 0, err
        assert ledger_xml(out) == old_ledger and files_json(json.loads(stdout)) == files_json(old_json)


# -- a reader that crashes or hangs -----------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hang") / "报送"
    write_set([Submission(path=f"{k:02d}-单位{k}.xlsx", unit=f"某县单位{k}", deductions=by_name({"预算执行": 1}))
               for k in range(8)], folder)
    return folder


def test_a_hanging_and_a_crashing_file_cost_only_themselves_whatever_the_worker_count(small, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setenv("XLADDIN_TEST_HOOKS", json.dumps({"hang": ["02-单位2.xlsx"], "crash": ["05-单位5.xlsx"]}))
    faulthandler.dump_traceback_later(120, exit=True)  # a deadlock ends the test run instead of hanging it
    try:
        runs = []
        for workers in ("1", "2", "3"):
            out = tmp_path / f"汇总{workers}.xlsx"
            t0 = time.monotonic()
            code, stdout, err = cli("consolidate", small, "-o", out, "--json", "--workers", workers,
                                    "--timeout", "0.5")
            assert code == 0, err
            assert time.monotonic() - t0 < 30
            runs.append((json.loads(stdout), ledger_xml(out)))
            assert not multiprocessing.active_children()  # the stopped readers are gone
    finally:
        faulthandler.cancel_dump_traceback_later()
    d = runs[0][0]
    status = {f["file"]: (f["status"], f["message"]) for f in d["files"]}
    assert status["02-单位2.xlsx"] == (
        "unreadable", "读取文件“02-单位2.xlsx”超过 0.5 秒仍未完成（超时），已停止读取；文件可能已损坏或被恶意构造，请重新导出后提交。")
    assert status["05-单位5.xlsx"] == (
        "unreadable", "读取文件“05-单位5.xlsx”时读取程序异常退出，文件可能已损坏；请重新导出后提交。")
    assert [f["status"] for f in d["files"]] == ["ok", "ok", "unreadable", "ok", "ok", "unreadable", "ok", "ok"]
    assert d["counts"]["ok"] == 6
    for other, ledger in runs[1:]:
        assert files_json(other) == files_json(d) and ledger == runs[0][1]


def test_the_time_limit_option(small, tmp_path, capsys):
    for bad in ("0", "-1", "abc", "nan"):
        with pytest.raises(SystemExit) as exc:
            main(["consolidate", str(small), "-o", str(tmp_path / "x.xlsx"), "--timeout", bad])
        assert exc.value.code == 2 and "--timeout" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(SystemExit):
        main(["consolidate", "--help"])
    assert "读取每个文件的时间上限（默认60秒）" in capsys.readouterr().out.replace("\n", "").replace(" ", "")


def test_the_default_time_limit_is_sixty_seconds():
    import inspect

    from xladdin.cli import build_parser
    from xladdin.consolidation.run import run
    from xladdin.core.defaults import DEFAULT_TIMEOUT

    assert DEFAULT_TIMEOUT == 60
    assert inspect.signature(read_all).parameters["timeout"].default == 60
    assert inspect.signature(run).parameters["timeout"].default == 60
    args = build_parser().parse_args(["consolidate", "x", "-o", "y.xlsx"])
    assert args.timeout == 60


def test_a_few_files_are_spread_over_the_readers(small, tmp_path, monkeypatch):
    started = tmp_path / "started"
    started.mkdir()
    # each file takes 2 s, so the second reader is ready before the first is free again, even on a
    # loaded machine (a reader that is free first rightly takes the next file: that is not a spread)
    monkeypatch.setenv("XLADDIN_TEST_HOOKS", json.dumps({"started": str(started), "delay": 2}))
    found = discover([small])
    entries = read_all(found.files[:2], found.display[:2], workers=2)
    assert [e.status for e in entries] == ["ok", "ok"]
    assert len({p.name.split("-")[1] for p in started.iterdir()}) == 2  # one file each, not both queued on one


def test_ctrl_c_stops_the_readers(small):
    found = discover([small])

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        read_all(found.files, found.display, workers=2, progress=interrupt)
    assert not multiprocessing.active_children()


def test_without_a_time_limit_one_worker_reads_in_this_process(small, monkeypatch):
    """timeout=None with one worker reads in this process (the Excel button): no reader processes."""
    started = []
    monkeypatch.setattr(multiprocessing.context.Process, "start", lambda self: started.append(self))
    found = discover([small])
    entries = read_all(found.files, found.display, workers=1, timeout=None)
    assert [e.status for e in entries] == ["ok"] * 8 and started == []


# -- stale temporary files ----------------------------------------------------------------------------

def test_stale_temporary_files_are_removed_and_live_ones_kept(tmp_path):
    from xladdin.outputs.annotate import STALE_TEMP_SECONDS, _host_tag

    host = _host_tag()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        names = {
            "live": f"{TEMP_PREFIX}{sleeper.pid}@{host}-abc.xlsx",      # being written right now: kept
            "dead": f"{TEMP_PREFIX}{dead.pid}@{host}-def.xlsx",         # its process is gone: removed
            "other-host": f"{TEMP_PREFIX}{dead.pid}@elsewhere1-ghi.xlsx",  # another computer's: kept
            "other-host-old": f"{TEMP_PREFIX}{dead.pid}@elsewhere2-jkl.xlsx",  # ... unless a day old
            "old-style": f"{TEMP_PREFIX}mno.xlsx",                       # no owner recorded: kept a day
            "unrelated": "汇总.xlsx",
        }
        for n in names.values():
            (tmp_path / n).write_bytes(b"x")
        old = time.time() - STALE_TEMP_SECONDS - 60
        os.utime(tmp_path / names["other-host-old"], (old, old))
        (tmp_path / f"{TEMP_PREFIX}folder").mkdir()
        removed = remove_stale_temps(tmp_path)
        assert sorted(removed) == sorted([names["dead"], names["other-host-old"]])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [names[k] for k in ("live", "other-host", "old-style", "unrelated")] + [f"{TEMP_PREFIX}folder"])
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_temporary_file_is_never_mistaken_for_a_submission(corpus, tmp_path):
    folder = tmp_path / "报送"
    shutil.copytree(corpus, folder)
    (folder / f"{TEMP_PREFIX}123@host-abc.xlsx").write_bytes(b"PK\x03\x04partial")
    found = discover([folder])
    assert len(found.files) == 15
    assert (str(folder / f"{TEMP_PREFIX}123@host-abc.xlsx"), "xladdin 写文件时的临时文件") in found.ignored
