"""File formats and unreadable files: exit 2 with a clear Chinese message, never a traceback."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from builders import seed_like
from xladdin import check_file
from xladdin.cli import main

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["seed-yongjing-2023.xls", "seed-yongjing-2023.xlsm"])
def test_legacy_and_macro_formats_read_like_xlsx(name):
    r = check_file(DATA / name)
    assert (r.total_score, r.grade, r.table.unit, r.table.year) == (95, "优", "永靖县工业和信息化局", 2023)
    assert sorted((i.code, i.cell) for i in r.issues) == [("total-weight", "B44"), ("weight-sum", "B16")]


def _unreadable(path: Path, capsys, *needles: str) -> None:
    r = check_file(path)
    assert r.exit_code == 2
    assert [i.code for i in r.issues] == ["unreadable"]
    msg = r.issues[0].message
    assert path.name in msg
    for n in needles:
        assert n in msg
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert path.name in out.out


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "空.xlsx"
    p.write_bytes(b"")
    _unreadable(p, capsys, "空文件")


def test_truncated_zip(tmp_path, capsys):
    good = seed_like(tmp_path / "good.xlsx").read_bytes()
    p = tmp_path / "截断.xlsx"
    p.write_bytes(good[: len(good) // 2])
    _unreadable(p, capsys, "损坏")


@pytest.mark.parametrize("content,needle", [
    (b"just some text\n", "不是 Excel"),
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"<html><body>table</body></html>", "网页"),
])
def test_renamed_non_workbooks(tmp_path, capsys, content, needle):
    p = tmp_path / "报表.xlsx"
    p.write_bytes(content)
    _unreadable(p, capsys, needle)


def test_renamed_docx(tmp_path, capsys):
    p = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    _unreadable(p, capsys, "Word")


def test_encrypted_workbook(tmp_path, capsys):
    msoffcrypto = pytest.importorskip("msoffcrypto.format.ooxml")
    src = seed_like(tmp_path / "plain.xlsx")
    p = tmp_path / "加密.xlsx"
    with open(src, "rb") as fh, open(p, "wb") as out:
        msoffcrypto.OOXMLFile(fh).encrypt("secret", out)
    _unreadable(p, capsys, "密码")


def test_wps_et_file(tmp_path, capsys):
    p = tmp_path / "评分表.et"
    shutil.copy(DATA / "seed-yongjing-2023.xls", p)
    _unreadable(p, capsys, ".et", "另存为")


def test_directory_named_like_a_workbook(tmp_path, capsys):
    p = tmp_path / "x.xlsx"
    p.mkdir()
    _unreadable(p, capsys, "文件夹")


def test_missing_file(tmp_path, capsys):
    _unreadable(tmp_path / "没有这个文件.xlsx", capsys, "找不到")


def test_garbage_inside_a_valid_zip(tmp_path, capsys):
    p = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<<<not xml")
    _unreadable(p, capsys, "无法读取")


def test_source_file_is_never_modified(tmp_path):
    p = seed_like(tmp_path / "t.xlsx")
    before = p.read_bytes()
    main(["check", str(p), "--annotate", str(tmp_path / "out.xlsx")])
    assert p.read_bytes() == before


def test_bundled_seed_copy_matches_the_shared_fixture():
    from builders import SEED_FIXTURE, SHARED_SEED

    if not SHARED_SEED.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SEED_FIXTURE.read_bytes() == SHARED_SEED.read_bytes()
