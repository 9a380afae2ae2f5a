"""Clearing earlier marks: the record kept in 校验结果, notes kept for the user, the file sink re-run."""

from __future__ import annotations

import openpyxl
from openpyxl.comments import Comment

from xladdin.cli import main
from xladdin.engine import check_file
from xladdin.outputs.annotate import (
    ERROR_FILL,
    NOTE_SEPARATOR,
    RECORD_COL,
    RECORD_HEADER,
    RESULT_SHEET,
    Marked,
    note_with,
    note_without,
    plan,
    read_record,
    result_grid,
)
from xladdin.outputs.template import INPUT_FILL, write_template

PATH = ("管理效率", "预算管理", "预算管理制度健全性")  # 1 分, at H18


def test_notes_keep_the_users_own_note():
    assert note_with("【错误】扣分超过分值", None) == "【错误】扣分超过分值"
    both = note_with("【错误】扣分超过分值", "请核实")
    assert both == f"【错误】扣分超过分值{NOTE_SEPARATOR}请核实"
    assert note_without(both) == "请核实"
    assert note_without("【警告】x") is None
    assert note_without("用户自己的批注") == "用户自己的批注"
    assert note_with("【警告】新", both) == f"【警告】新{NOTE_SEPARATOR}请核实"  # never stacks our notes


def test_record_round_trips_through_the_result_grid(tmp_path):
    r = check_file(write_template(tmp_path / "t.xlsx")[0] and tmp_path / "t.xlsx")
    record = [Marked("评分表", "H18", INPUT_FILL), Marked("评分表", "B5", None)]
    g = result_grid(plan(r), "评分表", record)
    width = RECORD_COL + len(RECORD_HEADER)
    rows = [row + [None] * (width - len(row)) for row in g.rows]
    rows += [[None] * width for _ in range(len(g.record) - len(rows))]
    for i, rec in enumerate(g.record):
        rows[i][RECORD_COL - 1:RECORD_COL - 1 + len(rec)] = rec
    assert read_record(rows) == record
    assert read_record([["校验结果"]]) == [] and read_record([]) == []


def test_annotating_again_clears_the_previous_marks(tmp_path):
    wb, info = write_template(None)
    ws = wb[info.sheet]
    cell = info.deduction_cell(PATH)
    ws[cell] = 3  # above the weight: an error the template's validation would stop, pasted in
    ws[cell].comment = Comment("请核实", "科长")
    wb.save(tmp_path / "bad.xlsx")

    assert main(["check", str(tmp_path / "bad.xlsx"), "--annotate", str(tmp_path / "marked.xlsx")]) == 1
    marked = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    c = marked[info.sheet][cell]
    assert c.fill.fgColor.rgb.endswith(ERROR_FILL)
    assert c.comment.text.startswith("【错误】") and c.comment.text.endswith("请核实")
    assert Marked(info.sheet, cell, INPUT_FILL) in read_record(
        [list(r) for r in marked[RESULT_SHEET].iter_rows(values_only=True)])
    assert marked[RESULT_SHEET].column_dimensions["H"].hidden

    # the clerk fixes the value in the annotated copy and checks it again
    marked[info.sheet][cell] = 0.5
    marked.save(tmp_path / "fixed.xlsx")
    assert main(["check", str(tmp_path / "fixed.xlsx"), "--annotate", str(tmp_path / "again.xlsx")]) == 0
    again = openpyxl.load_workbook(tmp_path / "again.xlsx")
    c = again[info.sheet][cell]
    assert c.fill.fgColor.rgb.endswith(INPUT_FILL)  # the template's own fill is back
    assert c.comment.text == "请核实"  # and the user's own note
    assert all(m.cell != cell for m in read_record(
        [list(r) for r in again[RESULT_SHEET].iter_rows(values_only=True)]))
