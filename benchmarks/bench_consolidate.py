"""Files per second of ``xladdin consolidate`` on generated submissions.

    python3 benchmarks/bench_consolidate.py                 # 1,000 submissions, workers 1 and CPU count
    python3 benchmarks/bench_consolidate.py -n 300 --workers 2 --keep /tmp/bench

The submissions come from xladdin._samples.random_submissions (the seed framework, 1–12
deductions each, about one in ten with a mistake), written once into a folder; each run then
consolidates the whole folder end to end (discover, read and check in the pool, write the
summary workbook) the way ``xladdin consolidate DIR -o 汇总.xlsx`` does. Not a test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xladdin._consolidate import default_workers, discover, read_all, consolidate  # noqa: E402
from xladdin._samples import random_submissions, write_submission  # noqa: E402
from xladdin._summary_book import write_summary  # noqa: E402


def _write(args):
    sub, folder = args
    write_submission(sub, folder)


def generate(n: int, folder: Path) -> None:
    subs = random_submissions(n, seed=4)
    with ProcessPoolExecutor(default_workers()) as ex:
        list(ex.map(_write, [(s, folder) for s in subs], chunksize=16))


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def one_run(folder: Path, out: Path, workers: int) -> dict[str, float]:
    c0 = _cpu()
    t0 = time.perf_counter()
    found = discover([folder], out)
    entries = read_all(found.files, found.display, workers=workers)
    t1 = time.perf_counter()
    summary = consolidate(entries, ignored=found.ignored)
    t2 = time.perf_counter()
    write_summary(summary, out)
    t3 = time.perf_counter()
    return {"files": len(entries), "read": t1 - t0, "consolidate": t2 - t1, "write": t3 - t2, "total": t3 - t0,
            "cpu": _cpu() - c0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="number of submissions (default 1000)")
    ap.add_argument("--workers", type=int, nargs="*", help="worker counts to time (default: 1 and the CPU count)")
    ap.add_argument("--repeat", type=int, default=2, help="runs per worker count; the best is reported")
    ap.add_argument("--keep", type=Path, help="folder for the generated submissions (reused if present)")
    args = ap.parse_args()

    tmp = None
    if args.keep:
        folder = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="xladdin-bench-")
        folder = Path(tmp.name) / "submissions"
    if not folder.exists() or sum(1 for _ in folder.rglob("*.xlsx")) != args.n:
        t = time.perf_counter()
        generate(args.n, folder)
        print(f"generated {args.n} submissions in {time.perf_counter() - t:.1f} s -> {folder}")
    out = folder.parent / "bench-汇总.xlsx"
    import pandas  # noqa: F401  (import once, outside the timed runs, as a long-lived process would)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    workers_list = args.workers or sorted({1, default_workers()})
    for w in workers_list:
        best = min((one_run(folder, out, w) for _ in range(args.repeat)), key=lambda r: r["total"])
        print(f"workers={w}: {best['files']} files in {best['total']:.2f} s = {best['files'] / best['total']:.0f} files/s "
              f"(read+check {best['read']:.2f} s, consolidate {best['consolidate']:.2f} s, "
              f"write summary {best['write']:.2f} s; {out.stat().st_size / 1e6:.1f} MB; "
              f"CPU {best['cpu']:.1f} s, load average {os.getloadavg()[0]:.1f})")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
