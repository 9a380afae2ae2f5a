"""The consolidation's public functions: consolidate_files (no output: nothing written), dataframes
(the summary's tables for pandas users), the saved time taken by the reader, and the pure step."""

from __future__ import annotations

import builtins
import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest

from xladdin.consolidation import consolidate_files, dataframes
from xladdin.errors import ConfigError
from xladdin.samples import Submission, by_name, write_set


def sub(path: str, unit: str, day: int = 1, **kw) -> Submission:
    kw.setdefault("deductions", by_name({"预算执行": 1}))
    return Submission(path=path, unit=unit, modified=dt.datetime(2024, 6, day, 9, 0, 0), **kw)


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "报送"
    write_set([sub("甲局.xlsx", "某县甲局", 1), sub("乙局.xlsx", "某县乙局", 2, deductions=by_name({"工作效率": 4})),
               sub("丙局.xlsx", "某县丙局", 3, deductions=by_name({"工作效率": 4}))], folder)
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    return folder


def test_consolidate_files_without_output_writes_nothing(folder):
    before = sorted(p.name for p in folder.parent.rglob("*"))
    summary = consolidate_files([folder], workers=1)
    assert sorted(p.name for p in folder.parent.rglob("*")) == before
    assert summary.output is None
    assert summary.counts["ok"] == 3 and summary.counts["unreadable"] == 1
    assert [e.unit_shown for e in summary.ranked] == ["某县甲局", "某县丙局", "某县乙局"]


def test_consolidate_files_with_output_is_the_cli_run(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    summary = consolidate_files([folder], out, workers=2)
    assert summary.output == str(out)
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == "汇总"


def test_missing_input_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到输入"):
        consolidate_files([tmp_path / "没有"])


def test_dataframes_hold_the_summary_tables(folder):
    pytest.importorskip("pandas")
    summary = consolidate_files([folder], workers=1)
    frames = dataframes(summary)
    assert list(frames) == ["汇总", "明细", "指标统计", "校验问题", "文件清单"]
    ranking = frames["汇总"]
    assert list(ranking["单位"]) == ["某县甲局", "某县丙局", "某县乙局"]
    assert list(ranking["排名"]) == [1, 2, 2]
    assert ranking["总分"].dtype.kind == "f"
    detail = frames["明细"]
    assert len(detail) == sum(len(e.leaves) for e in summary.ranked)
    assert set(detail["单位"]) == {"某县甲局", "某县乙局", "某县丙局"}
    ledger = frames["文件清单"]
    assert len(ledger) == 4 and list(ledger["状态代码"]).count("unreadable") == 1
    assert (frames["校验问题"]["代码"] == "unreadable").sum() == 1
    assert frames["指标统计"]["单位数"].max() == 3


def test_dataframes_without_pandas_says_how_to_install(folder, monkeypatch):
    summary = consolidate_files([folder], workers=1)
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ConfigError, match=r"需要 pandas：pip install xladdin\[pandas\]"):
        dataframes(summary)


def test_the_reader_takes_the_saved_time_and_the_pure_step_opens_no_file(tmp_path, monkeypatch):
    """Two copies of one unit with the same modification time: the time saved inside the workbook
    decides, and it comes from the reader (the files are gone when the pure step runs)."""
    from xladdin.consolidation.consolidate import consolidate
    from xladdin.consolidation.discover import discover
    from xladdin.consolidation.workers import read_all

    folder = tmp_path / "报送"
    write_set([sub("新.xlsx", "某县甲局", 5), sub("旧.xlsx", "某县甲局", 1)], folder)
    for p in folder.iterdir():
        os.utime(p, (1_700_000_000, 1_700_000_000))
    found = discover([folder])
    entries = read_all(found.files, found.display, workers=1, timeout=None)
    assert all(e.saved for e in entries)
    for p in folder.iterdir():
        p.unlink()
    summary = consolidate(entries)
    by = {e.display: e for e in summary.entries}
    assert by["新.xlsx"].status == "ok" and by["旧.xlsx"].status == "duplicate"
    assert "工作簿内记录的保存时间" in by["旧.xlsx"].message
