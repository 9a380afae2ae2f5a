"""xladdin performance benchmark: one command, every figure of issue 5 side by side.

    python3 benchmarks/bench.py                      # 2,000 submissions, subset 400, 2 workers (~5 min)
    python3 benchmarks/bench.py -n 600 --small 200   # quicker
    python3 benchmarks/bench.py --keep /tmp/bench    # keep (and reuse) the generated submissions

Generates N realistic submissions with xladdin.samples (the seed framework, 1–12 deductions,
reasons on half of them, about one in ten with a mistake) plus variants: one in five saved by
Excel from a template (得分 and 合计 as formulas with their results), merged-cell heavy tables,
error values (#N/A, #DIV/0!), formulas saved without results, truncated files, a wrong workbook,
and a batch converted to .xls by one LibreOffice call (when ``soffice`` is installed). Then, in
one run:

1. ``xladdin consolidate`` on the first ``--small`` files and on all N (a subprocess, as a user
   runs it): wall time, CPU time, files/s, peak memory of the process tree;
2. the same folders through benchmarks/naive_consolidate.py (pandas.read_excel with the openpyxl
   engine per file, concat, to_excel), and the ratio;
3. reading only, in this process, one core: the engine's read + parse + check
   (``xladdin.engine.check_file``) against raw python-calamine on the same files;
4. ``xladdin check`` on one table, process start to exit, against ``python -c "import openpyxl"``
   (median of ``--runs``).

xladdin's bytecode is compiled first, as pip does on install (this machine sets
PYTHONDONTWRITEBYTECODE=1, so an editable install would compile the package on every start while
pandas and openpyxl start from their compiled files). Then it prints a table with PASS/MISS per
target. The machine may be shared: CPU time and the load average are printed beside wall times. Peak memory is the largest sum of the resident set sizes of
the process and all its descendants, sampled every 20 ms from /proc (an upper bound: pages shared
by forked workers count once per process). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xladdin.samples import build_workbook, random_submissions, write_submission  # noqa: E402

CHECK_FILE = ROOT / "workbooks" / "示例-永靖县工信局-2023-评分表.xlsx"
NAIVE = Path(__file__).resolve().parent / "naive_consolidate.py"
CORPUS_VERSION = 2
REASONS = ("绩效目标未细化量化", "预算执行率偏低", "资产登记不及时", "部分指标佐证材料不全", "政府采购计划编报滞后",
           "信息公开不及时，未在规定时间内公开决算", "会计核算存在不规范之处")


# -- the corpus -----------------------------------------------------------------------------------

def variant(i: int) -> str:
    """What file ``i`` is besides a plain generated table (fixed, so every subset has each kind)."""
    if i % 200 == 99:
        return "truncated"
    if i % 200 == 149:
        return "not-table"
    if i % 40 == 3:
        return "xls"
    if i % 20 == 7:
        return "merged-heavy"
    if i % 50 == 13:
        return "error-values"
    if i % 50 == 38:
        return "formulas"
    if i % 5 == 1:
        return "excel-saved"
    return "plain"


def _layout(ws):
    """(header row, {header text: column}, first leaf row, totals row), 1-based, of a generated table."""
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "一级指标")
    cols: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        v = ws.cell(header, c).value
        if v and v not in cols:
            cols[v] = c
    totals = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    return header, cols, header + 1, totals


def _merged_heavy(ws) -> None:
    """Reasons in three merged columns on every row, a merged sign-off block: ~70 merged ranges."""
    header, cols, first, totals = _layout(ws)
    rc = cols.get("扣分原因") or len(cols) + 1
    ws.cell(header, rc, "扣分原因")
    for r in range(header, totals + 1):
        ws.merge_cells(start_row=r, start_column=rc, end_row=r, end_column=rc + 2)
    for m in [m for m in ws.merged_cells.ranges if m.min_row == 1]:
        ws.unmerge_cells(str(m))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=rc + 2)
    for k, (label, value) in enumerate((("填表人：", "李娟"), ("联系电话：", "0930-8881234"), ("填报日期：", "2024年5月20日")), 2):
        ws.cell(totals + k, 1, label)
        ws.cell(totals + k, 3, value)
        ws.merge_cells(start_row=totals + k, start_column=1, end_row=totals + k, end_column=2)
        ws.merge_cells(start_row=totals + k, start_column=3, end_row=totals + k, end_column=6)


def _error_values(ws) -> None:
    """#N/A in a 扣分 cell next to a filled 得分, #DIV/0! as a 得分 (openpyxl writes error cells)."""
    _, cols, first, totals = _layout(ws)
    ws.cell(first + 5, cols["扣分"], "#N/A")
    ws.cell(first + 20, cols["得分"], "#DIV/0!")


def _formulas(ws) -> None:
    """得分 as formulas saved without results, as scripts write them."""
    _, cols, first, totals = _layout(ws)
    from openpyxl.utils import get_column_letter

    w, d, s = (get_column_letter(c) for c in (cols["扣分"] - 1, cols["扣分"], cols["得分"]))
    for r in range(first, totals):
        ws.cell(r, cols["得分"], f"={w}{r}-{d}{r}")
    ws.cell(totals, cols["得分"], f"=SUM({s}{first}:{s}{totals - 1})")


def _saved_formulas(path: Path) -> None:
    """得分 and its 合计 as formulas with their results, as Excel saves a filled-in template.

    openpyxl cannot write a formula together with its result, so the sheet XML gets the formulas
    spliced in front of the values it already holds.
    """
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    out = []
    for info, body in parts:
        if info.filename == "xl/worksheets/sheet1.xml":
            text = body.decode("utf-8")
            rows = [int(r) for r in re.findall(r'<c r="H(\d+)"[^>]*><v>', text)]
            first, last = min(rows), max(rows)

            def formula(m: re.Match[str]) -> str:
                r = int(m.group(1))
                f = f"SUM(H{first}:H{last - 1})" if r == last else f"F{r}-G{r}"
                return f"{m.group(0)[:-3]}<f>{f}</f><v>"

            body = re.sub(r'<c r="H(\d+)"[^>]*><v>', formula, text).encode("utf-8")
        out.append((info, body))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, body in out:
            zf.writestr(info, body)


def _write(task: tuple[int, object, str]) -> str:
    i, sub, folder = task
    kind = variant(i)
    if kind in ("truncated", "not-table"):
        sub = dataclasses.replace(sub, kind=kind)
        return str(write_submission(sub, folder))
    path = Path(folder) / sub.path
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = build_workbook(sub)
    ws = wb.active
    if kind == "merged-heavy":
        _merged_heavy(ws)
    elif kind == "error-values":
        _error_values(ws)
    elif kind == "formulas":
        _formulas(ws)
    wb.save(path)
    if kind == "excel-saved":
        _saved_formulas(path)
    ts = sub.modified.timestamp()
    os.utime(path, (ts, ts))
    return str(path)


def generate(n: int, folder: Path, workers: int) -> tuple[list[str], str]:
    """Write the corpus; return the files (relative, in index order) and a note on .xls."""
    subs = random_submissions(n, seed=5)
    rng_reasons = {}
    out_subs = []
    for i, sub in enumerate(subs):
        if i % 2 == 0 and sub.deductions:
            rng_reasons = {p: REASONS[(i + k) % len(REASONS)] for k, p in enumerate(sub.deductions)}
            sub = dataclasses.replace(sub, reasons=rng_reasons)
        out_subs.append(sub)
    with ProcessPoolExecutor(workers) as ex:
        paths = list(ex.map(_write, [(i, s, str(folder)) for i, s in enumerate(out_subs)], chunksize=16))
    xls = [i for i in range(n) if variant(i) == "xls"]
    note = convert_to_xls([Path(paths[i]) for i in xls])
    if note.startswith("converted"):
        for i in xls:
            paths[i] = str(Path(paths[i]).with_suffix(".xls"))
    return [str(Path(p).relative_to(folder)) for p in paths], note


def convert_to_xls(files: list[Path]) -> str:
    """One ``soffice --headless --convert-to xls`` call for the whole batch; originals replaced."""
    if not files:
        return "no .xls files requested"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return f"soffice not found: the {len(files)} .xls files stay .xlsx"
    with tempfile.TemporaryDirectory(prefix="xladdin-bench-lo-") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "xls:MS Excel 97", "--outdir", str(outdir), *map(str, files)]
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=900)
        took = time.perf_counter() - t
        done = 0
        for f in files:
            made = outdir / (f.stem + ".xls")
            if made.exists():
                st = f.stat()
                target = f.with_suffix(".xls")
                shutil.move(str(made), target)
                os.utime(target, (st.st_atime, st.st_mtime))
                f.unlink()
                done += 1
        if done != len(files):
            raise SystemExit(f"soffice converted {done} of {len(files)} files (exit {proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace')[:300]}")
    return f"converted {done} files to .xls with one soffice call in {took:.1f} s"


def corpus(root: Path, n: int, small: int, workers: int) -> tuple[Path, Path, dict]:
    """The folder of all N submissions and a folder with the first ``small`` (hard links)."""
    manifest = root / "manifest.json"
    everything, subset = root / "all", root / f"first-{small}"
    meta = json.loads(manifest.read_text("utf-8")) if manifest.exists() else {}
    if meta.get("version") != CORPUS_VERSION or meta.get("n") != n:
        shutil.rmtree(everything, ignore_errors=True)
        everything.mkdir(parents=True)
        t = time.perf_counter()
        files, note = generate(n, everything, workers)
        meta = {"version": CORPUS_VERSION, "n": n, "files": files, "xls": note,
                "generated_s": round(time.perf_counter() - t, 1)}
        manifest.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    if not subset.exists() or sum(1 for p in subset.rglob("*") if p.is_file()) != small:
        shutil.rmtree(subset, ignore_errors=True)
        for rel in meta["files"][:small]:
            dst = subset / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.link(everything / rel, dst)
    return everything, subset, meta


# -- measuring processes ---------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    out.extend(int(x) for x in fh.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, stack = [], [pid]
    while stack:
        p = stack.pop()
        seen.append(p)
        stack.extend(_children(p))
    return seen


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_measured(cmd: list[str], sample_memory: bool = True) -> dict:
    """Wall and CPU seconds of a command (with all its descendants) and the peak RSS of its tree."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    c0 = _cpu_children()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        peak = 0
        if sample_memory:
            while p.poll() is None:
                peak = max(peak, sum(_rss_kb(q) for q in _tree(p.pid)))
                time.sleep(0.02)
        p.wait()
        wall = time.perf_counter() - t0
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-500:]
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {tail}")
    return {"wall": wall, "cpu": _cpu_children() - c0, "peak_mb": peak / 1024}


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# -- the four measurements --------------------------------------------------------------------------

def consolidate(folder: Path, out: Path, workers: int) -> dict:
    r = run_measured([sys.executable, "-m", "xladdin", "consolidate", str(folder), "-o", str(out),
                      "--workers", str(workers)])
    r["load"] = load()
    return r


def naive(folder: Path, out: Path) -> dict:
    r = run_measured([sys.executable, str(NAIVE), str(folder), str(out)])
    r["load"] = load()
    return r


def reading(files: list[Path], rounds: int) -> dict:
    """CPU ms per file, in this process: the engine's read + parse + check vs raw python-calamine.

    The two alternate file by file, ``rounds`` times; each file counts with its best time of each
    (the machine may be shared: a busy moment then spoils one sample, not the figure; the engine's
    longer calls are hit more often, so too few rounds overstate the ratio).
    """
    from python_calamine import CalamineWorkbook

    from xladdin.engine import check_file

    def raw(path: Path) -> None:
        try:
            wb = CalamineWorkbook.from_path(str(path))
            s = wb.get_sheet_by_index(0)
            s.to_python(skip_empty_area=False)
            s.merged_cell_ranges  # noqa: B018
            wb.close()
        except BaseException as exc:  # noqa: BLE001 - a truncated file: calamine refuses it too
            if isinstance(exc, KeyboardInterrupt):
                raise

    clock = time.process_time
    for f in files[:20]:  # imports and first-call costs out of the way
        raw(f)
        check_file(f)
    inf = float("inf")
    best_raw, best_engine = [inf] * len(files), [inf] * len(files)
    t0, c0 = time.perf_counter(), clock()
    for _ in range(rounds):
        gc.collect()
        for i, f in enumerate(files):
            c = clock()
            raw(f)
            d = clock()
            check_file(f)
            e = clock()
            best_raw[i] = min(best_raw[i], d - c)
            best_engine[i] = min(best_engine[i], e - d)
    wall, cpu = time.perf_counter() - t0, clock() - c0
    n = len(files)
    kinds: dict[str, list[int]] = {}
    for i in range(n):
        kinds.setdefault(variant(i), []).append(i)
    by_kind = {k: {"files": len(ix), "engine_ms": sum(best_engine[i] for i in ix) / len(ix) * 1000,
                   "raw_ms": sum(best_raw[i] for i in ix) / len(ix) * 1000} for k, ix in kinds.items()}
    return {"raw": {"cpu_ms": sum(best_raw) / n * 1000}, "engine": {"cpu_ms": sum(best_engine) / n * 1000},
            "by_kind": by_kind, "wall_s": wall, "cpu_s": cpu, "load": load()}


def compile_package() -> None:
    """Compile xladdin's bytecode, as pip does when it installs a package. Where bytecode is not
    written on import (PYTHONDONTWRITEBYTECODE=1, as on the development machine, with an editable
    install) every run would otherwise compile the package first (~0.15 s of a 400-file run, ~60 ms
    of a check), while pandas and openpyxl start from the bytecode pip compiled for them."""
    import compileall

    compileall.compile_dir(str(ROOT / "xladdin"), quiet=1)


def startup(runs: int) -> dict:
    """Median wall and CPU of ``xladdin check`` on one table vs ``python -c "import openpyxl"``."""
    cmds = {
        "check": [sys.executable, "-m", "xladdin", "check", str(CHECK_FILE)],
        "import openpyxl": [sys.executable, "-c", "import openpyxl"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    for cmd in cmds.values():  # byte-compile caches warm
        run_measured(cmd, sample_memory=False)
    samples: dict[str, list[dict]] = {k: [] for k in cmds}
    for _ in range(runs):
        for k, cmd in cmds.items():
            samples[k].append(run_measured(cmd, sample_memory=False))
    return {k: {"wall_ms": statistics.median(s["wall"] for s in v) * 1000,
                "cpu_ms": statistics.median(s["cpu"] for s in v) * 1000} for k, v in samples.items()} | {"load": load()}


# -- report -----------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="number of submissions (default 2000)")
    ap.add_argument("--small", type=int, default=400, help="the smaller set: the first N of them (default 400)")
    ap.add_argument("--workers", type=int, default=2, help="xladdin consolidate --workers (default 2)")
    ap.add_argument("--runs", type=int, default=9, help="runs of the start-up comparison; the median counts")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the reading comparison; each file's best counts")
    ap.add_argument("--keep", type=Path, help="folder for the generated submissions (reused when it matches)")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args()
    if args.small > args.n:
        ap.error("--small must not exceed -n")

    t_start = time.perf_counter()
    tmp = None
    if args.keep:
        root = args.keep
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="xladdin-bench-")
        root = Path(tmp.name)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load()}", flush=True)
    compile_package()
    everything, subset, meta = corpus(root, args.n, args.small, max(2, args.workers))
    kinds: dict[str, int] = {}
    for i in range(args.n):
        kinds[variant(i)] = kinds.get(variant(i), 0) + 1
    print(f"corpus: {args.n} submissions in {everything} ({', '.join(f'{v} {k}' for k, v in kinds.items())}); "
          f"{meta['xls']}; generated in {meta.get('generated_s', '?')} s", flush=True)

    outdir = root / "out"
    outdir.mkdir(exist_ok=True)
    res: dict = {"n": args.n, "small": args.small, "workers": args.workers, "cpus": os.cpu_count(), "corpus": kinds,
                 "xls": meta["xls"], "rounds": args.rounds, "runs": args.runs}
    for size, folder in ((args.small, subset), (args.n, everything)):
        print(f"consolidate {size} ...", flush=True)
        res[f"consolidate_{size}"] = consolidate(folder, outdir / f"xladdin-{size}.xlsx", args.workers)
        print(f"naive {size} ...", flush=True)
        res[f"naive_{size}"] = naive(folder, outdir / f"naive-{size}.xlsx")
    print("reading ...", flush=True)
    files = [everything / rel for rel in meta["files"]]
    res["reading"] = reading(files, args.rounds)
    print("start-up ...", flush=True)
    res["startup"] = startup(args.runs)
    res["total_s"] = time.perf_counter() - t_start

    report(res)
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    if tmp is not None:
        tmp.cleanup()
    return 0


def report(res: dict) -> None:
    n, small, w = res["n"], res["small"], res["workers"]
    lines = ["", f"== xladdin benchmark: {n} submissions (first {small} as the small set), "
                 f"consolidate --workers {w}, {res['cpus']} CPUs =="]
    row = "{:<44} {:>9} {:>9} {:>9} {:>10} {:>14}"
    lines.append(row.format("", "wall s", "CPU s", "files/s", "peak MB", "load 1/5/15"))
    for size in (small, n):
        for who in ("consolidate", "naive"):
            r = res[f"{who}_{size}"]
            label = f"xladdin consolidate, {size} files" if who == "consolidate" else f"naive pandas+openpyxl, {size} files"
            lines.append(row.format(label, f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{size / r['wall']:.0f}",
                                    f"{r['peak_mb']:.0f}", r["load"]))
    rd = res["reading"]
    lines.append("")
    lines.append(f"reading {n} files, one core, CPU ms per file (best of {res['rounds']} per file):  "
                 f"engine read+parse+check {rd['engine']['cpu_ms']:.3f}   raw python-calamine {rd['raw']['cpu_ms']:.3f}"
                 f"   ({rd['wall_s']:.1f} s wall, {rd['cpu_s']:.1f} s CPU, load {rd['load']})")
    lines.append("  by kind (engine / raw ms, ratio): " + ", ".join(
        f"{k} {v['engine_ms']:.2f}/{v['raw_ms']:.2f} {v['engine_ms'] / v['raw_ms']:.1f}×"
        for k, v in rd["by_kind"].items() if v["raw_ms"] > 0))
    su = res["startup"]
    lines.append("process start to exit, median ms (wall / CPU):  " + "   ".join(
        f"{k} {v['wall_ms']:.0f} / {v['cpu_ms']:.0f}" for k, v in su.items() if k != "load") + f"   load {su['load']}")

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("inf")

    c_s, c_n = res[f"consolidate_{small}"], res[f"consolidate_{n}"]
    n_s, n_n = res[f"naive_{small}"], res[f"naive_{n}"]
    mem_ratio = ratio(c_n["peak_mb"], c_s["peak_mb"])
    targets = [
        (f"consolidate vs naive, {small} files (wall)", ratio(n_s["wall"], c_s["wall"]), "≥ 10×",
         ratio(n_s["wall"], c_s["wall"]) >= 10, f"CPU ratio {ratio(n_s['cpu'], c_s['cpu']):.1f}×"),
        (f"consolidate vs naive, {n} files (wall)", ratio(n_n["wall"], c_n["wall"]), "≥ 10×",
         ratio(n_n["wall"], c_n["wall"]) >= 10, f"CPU ratio {ratio(n_n['cpu'], c_n['cpu']):.1f}×"),
        ("engine read+check / raw calamine (CPU)", ratio(rd["engine"]["cpu_ms"], rd["raw"]["cpu_ms"]), "≤ 3×",
         ratio(rd["engine"]["cpu_ms"], rd["raw"]["cpu_ms"]) <= 3,
         f"{rd['engine']['cpu_ms']:.2f} vs {rd['raw']['cpu_ms']:.2f} ms per file"),
        ("xladdin check / import openpyxl (median wall)",
         ratio(su["check"]["wall_ms"], su["import openpyxl"]["wall_ms"]), "≤ 1.5×",
         ratio(su["check"]["wall_ms"], su["import openpyxl"]["wall_ms"]) <= 1.5,
         f"CPU ratio {ratio(su['check']['cpu_ms'], su['import openpyxl']['cpu_ms']):.2f}×"),
        (f"peak memory, consolidate {n} files (MB)", c_n["peak_mb"], "< 500", c_n["peak_mb"] < 500, ""),
        (f"memory {n} vs {small} files (growth ≤ linear)", mem_ratio, f"≤ {n / small:.1f}×", mem_ratio <= n / small,
         f"{c_s['peak_mb']:.0f} → {c_n['peak_mb']:.0f} MB, "
         f"+{max(0.0, c_n['peak_mb'] - c_s['peak_mb']) * 1024 / max(1, n - small):.0f} KB per extra file"),
    ]
    lines.append("")
    lines.append("{:<46} {:>9} {:>9} {:>6}  {}".format("target", "measured", "target", "", "note"))
    for name, value, want, ok, note in targets:
        shown = f"{value:.0f}" if "MB)" in name else f"{value:.2f}×"
        lines.append("{:<46} {:>9} {:>9} {:>6}  {}".format(name, shown, want, "PASS" if ok else "MISS", note))
    lines.append(f"\nwhole benchmark: {res['total_s']:.0f} s; load average now {load()}")
    print("\n".join(lines))
    res["targets"] = [{"target": t[0], "value": t[1], "want": t[2], "pass": t[3], "note": t[4]} for t in targets]


if __name__ == "__main__":
    raise SystemExit(main())
