"""One read-only folder holding the whole bad-input corpus (tests/robust_corpus.py) plus good files:
every input file is listed, in the JSON and in 文件清单, with its exact status and Chinese message.
Output trouble (folder missing or not writable, the summary open in another program): exit 2, a
clear message, the old summary intact.

The input folder is made read-only. Running as root (where permissions do not bind) an audit hook
refuses, inside this process and the forked readers, any write under a guarded folder and any
program start — so a write into the inputs, or a macro run, would fail the run instead of passing
unnoticed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import stat
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from robust_corpus import IGNORED, ROOT_NAME, build

from xladdin.cli import main
from xladdin.outputs.summary_book import _sheet_parts

STATUS_LABELS = {"ok": "通过", "errors": "有错误", "unreadable": "无法读取", "not-scoring-table": "不是评分表",
                 "duplicate": "重复报送（未计入）"}


# -- guard: writes under guarded folders and program starts are refused ------------------------------

_GUARD: dict = {"roots": [], "violations": []}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.utime",
                "os.truncate", "os.link", "os.symlink", "shutil.rmtree", "shutil.move", "shutil.copyfile"}
_PROGRAM_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
                   "_posixsubprocess.fork_exec"}


def _guarded(path) -> bool:
    if isinstance(path, int) or path is None:
        return False
    try:
        p = os.path.abspath(os.fsdecode(path))
    except TypeError:
        return False
    return any(p == r or p.startswith(r + os.sep) for r in _GUARD["roots"])


def _audit(event: str, args: tuple) -> None:
    if not _GUARD["roots"]:
        return
    if event == "open":
        path, _mode, flags = args
        if isinstance(flags, int) and flags & _WRITE_FLAGS and _guarded(path):
            _GUARD["violations"].append((event, os.fsdecode(path)))
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
    elif event in _PATH_EVENTS:
        for a in args:
            if isinstance(a, (str, bytes, os.PathLike)) and _guarded(a):
                _GUARD["violations"].append((event, os.fsdecode(a)))
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(a))
    elif event in _PROGRAM_EVENTS:
        _GUARD["violations"].append((event, repr(args)[:200]))
        raise PermissionError(errno.EPERM, "no program may be started here")


sys.addaudithook(_audit)  # cannot be removed: inert while no folder is guarded


@contextlib.contextmanager
def guard(*folders: Path):
    _GUARD["roots"] = [os.path.abspath(f) for f in folders]
    _GUARD["violations"] = []
    try:
        yield _GUARD["violations"]
    finally:
        _GUARD["roots"] = []


def test_the_guard_refuses_writes_and_program_starts(tmp_path):
    import subprocess

    with guard(tmp_path) as violations:
        with pytest.raises(PermissionError):
            (tmp_path / "写.txt").write_text("x")
        with pytest.raises(PermissionError):
            os.replace(__file__, tmp_path / "移.txt")
        with pytest.raises(PermissionError):
            subprocess.run(["true"])
        (tmp_path.parent / f"{tmp_path.name}-旁边.txt").write_text("x")  # outside the guarded folder
    assert [v[0] for v in violations] == ["open", "os.rename", "subprocess.Popen"]
    (tmp_path / "写.txt").write_text("x")  # inert again


def _set_read_only(root: Path, read_only: bool) -> None:
    for dirpath, dirs, files in os.walk(root):
        for f in files:
            p = Path(dirpath, f)
            if not p.is_symlink():
                p.chmod(0o444 if read_only else 0o644)
        Path(dirpath).chmod(0o555 if read_only else 0o755)


# -- the corpus, consolidated --------------------------------------------------------------------

def _digest(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            st = p.stat()
            out[rel] = f"{hashlib.sha256(p.read_bytes()).hexdigest()} {st.st_mtime_ns} {stat.S_IMODE(st.st_mode):o}"
        else:
            out[rel] = "dir"
    return out


def cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("robust")
    root = base / ROOT_NAME
    cases = build(root, base / "scratch")
    _set_read_only(root, True)
    before = _digest(root)
    yield root, cases, before
    _set_read_only(root, False)


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory):
    """The corpus consolidated with 2 workers and with 1: {workers: (json, summary path)}, violations."""
    root, _, _ = corpus
    out_dir = tmp_path_factory.mktemp("输出 (汇总) 文件夹")
    done = {}
    with guard(root) as violations:
        for workers in ("2", "1"):
            out = out_dir / f"汇总 ({workers}).xlsx"
            code, stdout, err = cli("consolidate", root, "-o", out, "--json", "--workers", workers)
            assert code == 0, err
            done[workers] = (json.loads(stdout), out)
    return done, list(violations)


def expected(cases):
    """Ledger order: sub-folders and files sorted by name, part by part."""
    return sorted(cases, key=lambda c: tuple(c.file.split("/")))


def grade_of(total: float | None) -> str | None:
    if total is None:
        return None
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


def test_every_input_file_is_listed_with_its_exact_status_and_message(corpus, runs):
    _, cases, _ = corpus
    d, _ = runs[0]["2"]
    got = [(f["file"], f["status"], f["message"]) for f in d["files"]]
    want = [(c.file, c.status, c.message) for c in expected(cases)]
    assert got == want
    for f, c in zip(d["files"], expected(cases)):
        assert (f["unit"], f["total_score"], f["grade"], f["errors"], f["warnings"]) == (
            c.unit, c.total, grade_of(c.total), c.errors if c.unit else 1, c.warnings), c.file
        # every message is Chinese and names the file (or, for a duplicate, the file that replaced it)
        assert Path(c.file).name in f["message"] or c.status in ("ok", "errors", "duplicate"), c.file
    assert len(d["files"]) == len(cases) >= 31


def test_counts_and_the_files_that_are_not_submissions(corpus, runs):
    root, cases, _ = corpus
    d, _ = runs[0]["2"]
    assert d["counts"] == {s: sum(1 for c in cases if c.status == s) for s in STATUS_LABELS}
    assert {i["file"]: i["reason"] for i in d["ignored"]} == {str(root / k): v for k, v in IGNORED.items()}
    kinds = {c.status for c in cases}
    assert kinds == set(STATUS_LABELS)  # the corpus exercises every status


def test_the_ledger_sheet_lists_every_file_with_the_same_status_and_message(corpus, runs):
    _, cases, _ = corpus
    d, out = runs[0]["2"]
    ws = openpyxl.load_workbook(out)["文件清单"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    ignored = [r for r in rows if r[11] == "ignored"]  # the files that are not submissions, after them
    assert {(r[1], r[9]) for r in ignored} == set(IGNORED.items()) and rows[-len(ignored):] == ignored
    rows = rows[:-len(ignored)]
    assert [(r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8], r[9], r[11]) for r in rows] == [
        (n, c.file, STATUS_LABELS[c.status], c.unit, c.total, grade_of(c.total), c.errors if c.unit else 1,
         c.warnings, c.message, c.status)
        for n, c in enumerate(expected(cases), 1)]


def test_worker_count_changes_nothing(runs):
    (d2, out2), (d1, out1) = runs[0]["2"], runs[0]["1"]
    assert d1["files"] == d2["files"] and d1["counts"] == d2["counts"]
    assert _part(out1, "文件清单") == _part(out2, "文件清单")
    assert _part(out1, "汇总") == _part(out2, "汇总") and _part(out1, "校验问题") == _part(out2, "校验问题")


def _part(summary: Path, sheet: str) -> bytes:
    with zipfile.ZipFile(summary) as zf:
        data = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        return zf.read(_sheet_parts(data)[sheet])


def test_the_read_only_inputs_are_untouched_and_no_program_was_started(corpus, runs):
    root, _, before = corpus
    assert runs[1] == []  # no write under the inputs was attempted, no program (macro, viewer) started
    assert _digest(root) == before
    assert not os.access(root, os.W_OK) or os.geteuid() == 0  # really read-only (root ignores the bits)


def test_the_macro_workbook_really_carries_a_vba_project(corpus):
    import olefile

    root, _, _ = corpus
    with zipfile.ZipFile(root / "临夏县民政局 (启用宏).xlsm") as zf:
        assert "macroEnabled" in zf.read("[Content_Types].xml").decode()
        vba = zf.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(vba))
    assert ["VBA", "dir"] in ole.listdir() and ["VBA", "ThisWorkbook"] in ole.listdir()


def test_the_summary_opens_and_keeps_text_as_text(runs):
    d, out = runs[0]["2"]
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    units = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {"=1+2县档案室", "+县图书馆", "-县文化馆", "@县博物馆"} <= set(units)
    ranked = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[5] is not None]  # 排名
    assert d["counts"]["ok"] + d["counts"]["errors"] == len(ranked)


# -- output trouble ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from xladdin.samples import Submission, by_name, write_set

    folder = tmp_path_factory.mktemp("small") / "报送 (两个单位)"
    write_set([Submission(path="甲局 (终稿).xlsx", unit="某县甲局", deductions=by_name({"预算执行": 1})),
               Submission(path="乙局.xlsx", unit="某县乙局", deductions=by_name({"工作效率": 2}))], folder)
    out = tmp_path_factory.mktemp("first") / "汇总.xlsx"
    assert cli("consolidate", folder, "-o", out, "--workers", "1")[0] == 0
    return folder, out.read_bytes()


def _lock(name: str):
    def make(out: Path, monkeypatch) -> None:
        (out.parent / name.format(out.name)).write_bytes(b"lock")
    return make


def _refuse_replace(out: Path, monkeypatch) -> None:
    import xladdin.outputs.annotate as annotate

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(annotate.os, "replace", refused)


OUTPUT_TROUBLE = {
    "excel-lock": (_lock("~${}"), "错误：“汇总.xlsx”似乎正在 Excel、WPS 或 LibreOffice 中打开（发现锁定文件“~$汇总.xlsx”）。"
                                  "请关闭它后重试；如果并没有打开，请删除该锁定文件。原文件未改动。"),
    "libreoffice-lock": (_lock(".~lock.{}#"), "错误：“汇总.xlsx”似乎正在 Excel、WPS 或 LibreOffice 中打开（发现锁定文件"
                                             "“.~lock.汇总.xlsx#”）。请关闭它后重试；如果并没有打开，请删除该锁定文件。原文件未改动。"),
    "replace-refused": (_refuse_replace, "错误：无法写入“汇总.xlsx”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。原文件未改动。"),
}


@pytest.mark.parametrize("case", sorted(OUTPUT_TROUBLE))
def test_output_open_in_another_program(small, tmp_path, monkeypatch, case):
    folder, old = small
    out_dir = tmp_path / "汇总 (县财政局)"
    out_dir.mkdir()
    out = out_dir / "汇总.xlsx"
    out.write_bytes(old)
    make, message = OUTPUT_TROUBLE[case]
    make(out, monkeypatch)
    before = sorted(p.name for p in out_dir.iterdir())
    code, stdout, err = cli("consolidate", folder, "-o", out, "--workers", "1")
    assert (code, stdout, err) == (2, "", message + "\n")
    assert out.read_bytes() == old and sorted(p.name for p in out_dir.iterdir()) == before


def test_output_folder_not_writable(small, tmp_path):
    folder, old = small
    out_dir = tmp_path / "只读 (输出)"
    out_dir.mkdir()
    out = out_dir / "汇总.xlsx"
    out.write_bytes(old)
    out_dir.chmod(0o555)
    try:
        with guard(out_dir) as violations:
            code, stdout, err = cli("consolidate", folder, "-o", out, "--workers", "1")
    finally:
        out_dir.chmod(0o755)
    assert (code, stdout) == (2, "")
    assert err == f"错误：无法在“{out_dir}”中写文件（没有权限），请换一个有写权限的位置。\n"
    assert out.read_bytes() == old and [p.name for p in out_dir.iterdir()] == ["汇总.xlsx"]
    assert violations or os.geteuid() != 0  # as root, the guard stood in for the permission bits


def test_output_folder_missing(small, tmp_path):
    folder, _ = small
    target = tmp_path / "没有 这个文件夹 (2023)"
    code, stdout, err = cli("consolidate", folder, "-o", target / "汇总.xlsx")
    assert (code, stdout, err) == (2, "", f"错误：输出文件夹“{target}”不存在，请先创建它或换一个位置。\n")
    assert not target.exists()
