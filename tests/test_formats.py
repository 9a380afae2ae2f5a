"""File formats and unreadable files: exit 2 with a clear Chinese message, never a traceback."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from builders import seed_like

from xladdin import check_file
from xladdin.cli import main
from xladdin.cli.check import exit_code

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["seed-yongjing-2023.xls", "seed-yongjing-2023.xlsm"])
def test_legacy_and_macro_formats_read_like_xlsx(name):
    r = check_file(DATA / name)
    assert (r.total_score, r.grade, r.table.unit, r.table.year) == (95, "优", "永靖县工业和信息化局", 2023)
    assert sorted((i.code, i.cell) for i in r.issues) == [("total-weight", "B44"), ("weight-sum", "B16")]


def _unreadable(path: Path, capsys, *needles: str) -> None:
    r = check_file(path)
    assert exit_code(r) == 2
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


def test_error_values_dates_and_booleans_in_number_cells(tmp_path):
    import datetime

    def edit(ws, geo):
        ws["H4"] = "#REF!"          # an error constant (openpyxl writes it as an error cell)
        ws["F5"] = True
        ws["H6"] = datetime.date(2023, 1, 1)
        ws["G7"] = "#N/A"

    r = check_file(seed_like(tmp_path / "t.xlsx", edit=edit))
    bad = {i.cell: i.message for i in r.issues if i.code == "bad-number"}
    assert set(bad) == {"H4", "F5", "H6", "G7"}
    assert "#REF!" in bad["H4"] and "TRUE" in bad["F5"] and "2023-01-01" in bad["H6"] and "#N/A" in bad["G7"]
    # an error value is not also reported as a missing score
    assert not [i for i in r.issues if i.code == "missing-value"]


def test_cached_error_value_of_a_formula(tmp_path):
    """A formula whose saved result is #DIV/0! (as Excel or LibreOffice save it)."""
    from builders import wps_like_xlsx

    rows = [["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            ["决策", 50, "目标", 50, None, 50],
            ["效益", 50, "满意度", 50, None, None]]
    p = wps_like_xlsx(tmp_path / "e.xlsx", rows)
    # splice a formula cell with a cached error into F3
    import zipfile

    with zipfile.ZipFile(p) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="D3"><v>50</v></c></row>', '<c r="D3"><v>50</v></c><c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(p, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    r = check_file(p)
    assert [(i.code, i.cell) for i in r.issues] == [("bad-number", "F3")]
    assert "#DIV/0!" in r.issues[0].message and "=1/0" in r.issues[0].message


def test_a_reader_panic_is_an_unreadable_file_not_a_crash(tmp_path, monkeypatch):
    import python_calamine

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def boom(source):
        raise PanicException("index out of bounds")

    # the reader opens small files from the bytes it has read, big ones from the path
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", boom)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", boom)
    r = check_file(seed_like(tmp_path / "坏.xlsx"))
    assert exit_code(r) == 2 and r.issues[0].code == "unreadable" and "坏.xlsx" in r.issues[0].message


def test_disk_full_while_saving_is_an_output_error(tmp_path, monkeypatch):
    import errno

    import openpyxl

    from xladdin import OutputError
    from xladdin.outputs.annotate import save_workbook_atomically

    wb = openpyxl.Workbook()

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wb, "save", full)
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="原文件未改动"):
        save_workbook_atomically(wb, out)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
