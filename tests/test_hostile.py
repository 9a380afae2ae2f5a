"""Strange and hostile workbooks: bounded time and memory, no entity expansion, clear messages."""

from __future__ import annotations

from builders import rewrite_sheet, seed_like, wps_like_xlsx
from openpyxl.styles import PatternFill

from xladdin import check_file
from xladdin.cli.check import exit_code
from xladdin.outputs.annotate import annotate_file


def test_used_range_inflated_by_formatting(tmp_path):
    def edit(ws, geo):
        ws.cell(1048576, 1).fill = PatternFill("solid", fgColor="FFFF00")
        ws.cell(1048576, 16384).fill = PatternFill("solid", fgColor="FFFF00")

    r = check_file(seed_like(tmp_path / "t.xlsx", edit=edit))
    assert (r.total_score, r.issues) == (95, [])


def test_twenty_thousand_merged_ranges(tmp_path):
    # written straight into the XML: openpyxl's merge_cells is quadratic
    merges = "".join(f'<mergeCell ref="L{100 + 2 * i}:L{101 + 2 * i}"/>' for i in range(20000))

    def add(s):
        head, tail = s.split("<mergeCells", 1)
        count_end = tail.index(">")
        existing = tail[count_end + 1:]
        return head + '<mergeCells count="99999">' + merges + existing

    p = rewrite_sheet(seed_like(tmp_path / "base.xlsx"), tmp_path / "t.xlsx", add)
    r = check_file(p)
    assert (r.total_score, r.issues) == (95, [])
    assert len(r.table.roots) == 6


def test_zip_bomb_is_refused_before_decompressing(tmp_path):
    pad = " " * (100 * 1024 * 1024)
    p = rewrite_sheet(seed_like(tmp_path / "base.xlsx"), tmp_path / "炸弹.xlsx",
                       lambda s: s.replace("<sheetData>", "<sheetData>" + pad, 1))
    assert p.stat().st_size < 1024 * 1024
    r = check_file(p)
    assert exit_code(r) == 2 and r.issues[0].code == "unreadable"
    assert "炸弹.xlsx" in r.issues[0].message and "MB" in r.issues[0].message


def test_billion_laughs_is_not_expanded(tmp_path):
    ents = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10))
    dtd = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">{ents}]>'
    p = rewrite_sheet(seed_like(tmp_path / "base.xlsx"), tmp_path / "laughs.xlsx",
                       lambda s: dtd + s.replace("<t>部门规划</t>", "<t>&lol9;</t>", 1))
    r = check_file(p)
    assert exit_code(r) == 2 and r.issues[0].code == "unreadable"
    assert "实体" in r.issues[0].message and "laughs.xlsx" in r.issues[0].message


def test_external_entity_is_not_resolved(tmp_path):
    dtd = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    p = rewrite_sheet(seed_like(tmp_path / "base.xlsx"), tmp_path / "xxe.xlsx",
                       lambda s: dtd + s.replace("<t>部门规划</t>", "<t>&xxe;</t>", 1))
    r = check_file(p)
    assert exit_code(r) == 2
    assert "root:" not in str(r.to_dict())


def test_control_characters_and_very_long_text(tmp_path):
    long_reason = "原因" * 5000
    rows = [
        ["一级指标", "分值", "二级指标", "分值", "扣分", "得分", "扣分原因"],
        ["决策_x0001__x0007_", 50, "目标_x000B_设定", 50, 1, 49, long_reason],
        ["效益", 50, "满意度", 50, None, 50, None],
    ]
    p = wps_like_xlsx(tmp_path / "ctrl.xlsx", rows)
    r = check_file(p)
    assert (r.total_score, r.issues) == (99, [])
    names = [n.name for n in r.table.walk()]
    assert names[0] == "决策" and names[1] == "目标设定"
    leaf = r.table.roots[0].children[0]
    assert len(leaf.extras["扣分原因"]) <= 2001
    # and the names can be written back into a workbook (annotate) without error
    annotate_file(r, tmp_path / "out.xlsx")
