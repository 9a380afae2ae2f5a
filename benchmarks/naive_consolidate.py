"""The baseline: consolidating a folder of scoring tables the way most people would script it.

    python3 benchmarks/naive_consolidate.py FOLDER OUT.xlsx

pandas.read_excel (openpyxl engine; .xls needs xlrd) on every file, one concat, the totals per file,
to_excel. No validation at all: it trusts every 得分 it finds, skips files it cannot open and writes
two sheets. benchmarks/bench.py times it against ``xladdin consolidate`` on the same folder.
"""

from __future__ import annotations

import glob
import os
import sys

import pandas as pd


def main(folder: str, out: str) -> int:
    frames = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.xls*"), recursive=True)):
        engine = None if path.endswith(".xls") else "openpyxl"  # pandas reads .xls with xlrd
        try:
            df = pd.read_excel(path, engine=engine, header=1)  # row 1 is the title, row 2 the header
        except Exception as exc:  # noqa: BLE001
            print(f"skipped {path}: {exc}", file=sys.stderr)
            continue
        df["文件"] = os.path.basename(path)
        frames.append(df)
    data = pd.concat(frames, ignore_index=True)
    if "一级指标" in data:
        data = data[data["一级指标"] != "合计"]
    data["得分"] = pd.to_numeric(data["得分"], errors="coerce") if "得分" in data else float("nan")
    totals = data.groupby("文件", sort=False)["得分"].sum().rename("总分").sort_values(ascending=False)
    with pd.ExcelWriter(out) as xw:
        totals.to_excel(xw, sheet_name="汇总")
        data.to_excel(xw, sheet_name="明细", index=False)
    print(f"{len(frames)} files, {len(data)} rows -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
