"""The engine's complete output over a broad corpus equals a recorded reference, byte for byte.

Guards the performance work on the reader and parser (issue 5): every figure, issue, message, cell
and indicator of every table must stay what the engine produced before it was optimised. The corpus
is the shipped workbooks, generated submissions, and one workbook per oddity the reader handles
(merged and filled-down layouts, error values, formulas without cached values, numbers as text,
two-row headers, weights in names, totals and stated facts, several sheets, unreadable files).

The reference (tests/data/engine-golden.json.gz) was written by the engine as it was before the
optimisation. After a deliberate change of the output, rewrite it with
``python3 tests/test_engine_golden.py`` and review the diff of the decoded JSON.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
import zipfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builders import TITLE, grid_workbook, leaf_row, seed_like, two_level_framework, wps_like_xlsx  # noqa: E402

from xladdin.engine import (
    check_file,  # noqa: E402
    read_table,  # noqa: E402
)
from xladdin.kinds.department.framework import SEED_FRAMEWORK  # noqa: E402
from xladdin.outputs.layout import fill_values, write_table  # noqa: E402
from xladdin.samples import random_submissions, write_set  # noqa: E402

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
GOLDEN = DATA / "engine-golden.json.gz"


def _odd_values(ws, geo):
    rows = geo.leaf_rows
    ws.cell(rows[0], 6, "1")
    ws.cell(rows[1], 6, " 2 ")
    ws.cell(rows[2], 6, "3分")
    ws.cell(rows[3], 6, "３")
    ws.cell(rows[4], 8, "3.0")
    ws.cell(rows[5], 8, "1.9999999999")
    ws.cell(rows[6], 8, 0.9999999999999999)
    ws.cell(rows[7], 7, True)
    ws.cell(rows[8], 8, dt.date(2023, 5, 1))
    ws.cell(rows[9], 7, "三")
    ws.cell(rows[10], 7, "—")
    ws.cell(rows[11], 7, "1,0")
    ws.cell(rows[12], 9, "扣分原因：材料不全\n第二行")
    ws.cell(geo.header_row, 9, "扣分原因")


def _error_values(ws, geo):
    rows = geo.leaf_rows
    ws.cell(rows[0], 7, "#N/A")      # 扣分 is an error value, 得分 filled
    ws.cell(rows[3], 8, "#DIV/0!")   # 得分 is an error value
    ws.cell(rows[5], 6, "#REF!")     # a weight
    ws.cell(rows[7], 7, "#VALUE!")
    ws.cell(rows[7], 8).value = None        # both: error 扣分, blank 得分
    ws.cell(geo.totals_row, 8, "#NAME?")


def _formulas(ws, geo):
    for r in geo.leaf_rows:
        ws.cell(r, 8, f"=F{r}-G{r}")
    tr = geo.totals_row
    ws.cell(tr, 7, f"=SUM(G{geo.first_row}:G{tr - 1})")
    ws.cell(tr, 8, f"=SUM(H{geo.first_row}:H{tr - 1})")
    ws.cell(geo.first_row, 4, f"=F{geo.first_row}+F{geo.first_row + 1}")
    ws.cell(geo.first_row, 2, "=SUM(D3:D9)")
    ws.cell(geo.leaf_rows[4], 7, "=1-1")  # a formula 扣分 without value next to a formula 得分


def _filled_down(ws, geo):
    for path, (r0, r1) in geo.blocks.items():
        k = len(path)
        for r in range(r0 + 1, r1 + 1):
            ws.cell(r, geo.columns[f"name:{k}"], ws.cell(r0, geo.columns[f"name:{k}"]).value)
            ws.cell(r, geo.columns[f"weight:{k}"], ws.cell(r0, geo.columns[f"weight:{k}"]).value)


def _mistakes(ws, geo):
    rows = geo.leaf_rows
    ws.cell(rows[1], 7, 5)           # deduction above weight
    ws.cell(rows[2], 8, 1)           # score mismatch
    ws.cell(rows[4], 7).value = None
    ws.cell(rows[4], 8).value = None        # both blank
    ws.cell(rows[6], 6).value = None        # blank weight
    ws.cell(rows[9], 5, ws.cell(rows[8], 5).value)  # duplicate name
    ws.cell(rows[12], 8, -1)         # negative score
    ws.cell(geo.first_row, 2, 14)    # wrong level-1 weight
    ws.cell(geo.totals_row, 8, 90)
    ws.cell(geo.totals_row + 1, 1, "综合得分：93分")
    ws.cell(geo.totals_row + 2, 1, "评价等级：良好")
    ws.cell(geo.totals_row + 3, 1, "填表人：")
    ws.cell(geo.totals_row + 3, 2, "李娟")


def _rows_without_names(ws, geo):
    r = leaf_row(geo, ("管理效率", "预算管理", "预算执行"))
    ws.cell(r, 5).value = None
    ws.cell(geo.totals_row - 1, 1).value = None
    ws.cell(geo.totals_row, 1, "总计")


def _stated_facts_in_cells(ws, geo):
    tr = geo.totals_row
    ws.cell(tr + 1, 1, "评价等级")
    ws.cell(tr + 1, 2, "优")
    ws.cell(tr + 2, 1, "综合得分")
    ws.cell(tr + 2, 3, "95")
    ws.cell(tr + 3, 1, "注：本表由单位自评。")


def _cached_error_formula(path: Path) -> Path:
    """A formula whose saved result is #DIV/0! (as Excel saves it), spliced into the sheet XML."""
    src = seed_like(path.with_name(path.stem + "-src.xlsx"))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = text.replace('<c r="G5" t="n"><v>1</v></c>', '<c r="G5" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
                data = text.encode("utf-8")
            zout.writestr(info, data)
    src.unlink()
    return path


def _multi_sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "填表说明"
    info["A1"] = "填表说明：请在扣分列填写扣分，得分自动计算。"
    old = wb.create_sheet("旧表")
    g = write_table(old, SEED_FRAMEWORK, title="旧表")
    fill_values(old, g, SEED_FRAMEWORK, {})
    old.sheet_state = "hidden"
    ws = wb.create_sheet("评分表")
    g = write_table(ws, SEED_FRAMEWORK, title=TITLE)
    fill_values(ws, g, SEED_FRAMEWORK, {("管理效率", "预算管理", "预算执行"): 2})
    wb.save(path)
    return path


def corpus(tmp: Path) -> list[Path]:
    """Every workbook the reference covers, in a fixed order."""
    # the department tables' reference: the demo's 项目支出绩效自评表 are covered by tests/test_project_*.py
    files = sorted(DATA.glob("*.xls*")) + sorted(p for p in (ROOT / "workbooks").rglob("*.xls*")
                                                 if "项目支出绩效自评表" not in p.name)
    files += write_set(random_submissions(24, seed=11), tmp / "random")
    cols10 = ("name:1", "weight:1", "name:2", "weight:2", "name:3", "weight:3", "deduction", "score", "reason")
    files += [
        seed_like(tmp / "merged.xlsx"),
        seed_like(tmp / "plain.xlsx", merge=False),
        seed_like(tmp / "filled-down.xlsx", merge=False, edit=_filled_down),
        seed_like(tmp / "two-level.xlsx", leaves=two_level_framework(),
                  columns=("name:1", "weight:1", "name:2", "weight:2", "deduction", "score"),
                  deductions={("过程", "资金管理"): 3, ("产出", "产出质量"): 2.5}),
        seed_like(tmp / "odd-values.xlsx", columns=cols10, edit=_odd_values),
        seed_like(tmp / "error-values.xlsx", edit=_error_values),
        seed_like(tmp / "formulas.xlsx", edit=_formulas),
        seed_like(tmp / "mistakes.xlsx", edit=_mistakes),
        seed_like(tmp / "no-names.xlsx", edit=_rows_without_names),
        seed_like(tmp / "facts-in-cells.xlsx", title="部门整体支出绩效评价指标评分表",
                  info_lines=[("单位名称", "永靖县财政局"), ("评价年度", 2024), ("金额单位", "万元")],
                  edit=_stated_facts_in_cells),
        seed_like(tmp / "no-totals.xlsx", totals=False, title="附表1 永靖县农业农村局2022年度部门整体支出绩效评价指标评分表"),
        seed_like(tmp / "score-only.xlsx", columns=("name:1", "weight:1", "name:2", "weight:2", "name:3", "weight:3", "score")),
        seed_like(tmp / "header-names.xlsx", headers={"weight:1": "权重", "weight:2": "权重", "weight:3": "权重",
                                                      "deduction": "扣分值", "score": "自评得分"}),
        _cached_error_formula(tmp / "cached-error.xlsx"),
        _multi_sheet(tmp / "multi.xlsx"),
        grid_workbook(tmp / "weights-in-names.xlsx", [
            ["一级指标", "二级指标", "三级指标", "扣分", "得分"],
            ["决策(20分)", "项目立项（8分）", "立项依据充分性(4分)", None, 4],
            [None, None, "立项程序规范性（4分）", 1, 3],
            [None, "绩效目标（12分）", "绩效目标合理性(6分)", None, 6],
            [None, None, "绩效指标明确性(6分)", None, 6],
            ["过程(80分)", "资金管理(80分)", "资金到位率(80分)", 10, 70],
        ], ["A2:A5", "B2:B3", "B4:B5"]),
        grid_workbook(tmp / "two-row-header.xlsx", [
            ["单位名称：永靖县文化馆", None, None, None, None, None, None],
            ["一级指标", "二级指标", "三级指标", "分值", "自评情况", None, "评分标准"],
            [None, None, None, None, "扣分", "得分", None],
            ["决策(30分)", "目标(30分)", "目标明确性", 30, 2, 28, "明确得满分"],
            ["效益(70分)", "满意度(70分)", "群众满意度", 40, None, 40, None],
            [None, None, "服务质量", 30, 1, 29, None],
            ["合计", None, None, 100, 3, 97, None],
            ["评价结论：该单位自评等级为“优”。", None, None, None, None, None, None],
        ], ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "A5:A6", "B5:B6"]),
        grid_workbook(tmp / "repeated-header.xlsx", [
            [TITLE],
            ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            ["决策", 40, "目标设定", 20, None, 20],
            [None, None, None, None, None, None],
            ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            [None, None, "决策程序", 20, 2, 18],
            ["效益", 60, "社会效益", 30, None, 30],
            [None, None, "满意度", 30, None, 30],
            ["决策", 10, "目标设定", 10, None, 10],
            ["合计", 110, "-", 110, 2, 108],
        ], ["A1:F1"]),
        grid_workbook(tmp / "not-a-table.xlsx", [["姓名", "电话"], ["张三", "123"]]),
        wps_like_xlsx(tmp / "wps.xlsx", [
            [TITLE],
            ["一级指标", "分值", "二级指标", "分值", "扣分", "得分"],
            ["决策", 40, "目标设定", 20, None, 20],
            [None, None, "决策程序", 20, 2, 18],
            ["效益", 60, "社会效益", 30, None, 30],
            [None, None, "满意度", 30, "1分", 29],
            ["合计", 100, "-", 100, 3, 97],
        ], ["A1:F1", "A3:A4", "B3:B4", "A5:A6", "B5:B6"]),
    ]
    for name, body in (("empty.xlsx", b""), ("text.xlsx", "一级指标\t分值\r\n".encode("gbk")),
                       ("truncated.xlsx", (DATA / "seed-yongjing-2023.xlsx").read_bytes()[:3000])):
        (tmp / name).write_bytes(body)
        files.append(tmp / name)
    return files


def _table_internals(path: Path) -> dict | None:
    """What the report's JSON leaves out but the checks rely on."""
    try:
        t = read_table(path)
    except Exception as exc:  # noqa: BLE001 - the report says the same; keep the kind
        return {"raises": type(exc).__name__}
    sv = lambda s: None if s is None else [s.value, s.cell, s.text]  # noqa: E731
    return {
        "title": t.title, "header_row": t.header_row, "levels": t.levels, "columns": t.columns,
        "extra_columns": {str(k): v for k, v in t.extra_columns.items()},
        "totals": None if t.totals is None else [t.totals.row, t.totals.label,
                                                 {k: sv(v) for k, v in t.totals.values.items()}],
        "stated_total": sv(t.stated_total), "stated_grade": sv(t.stated_grade),
        "rows": [[n.row, n.weight_from_name] for n in t.walk()],
    }


def outputs(tmp: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in corpus(tmp):
        try:
            key = path.relative_to(tmp).as_posix()
        except ValueError:
            key = path.relative_to(ROOT).as_posix()
        report = check_file(path).to_dict()
        report["figures"] = None
        r = check_file(path)
        if r.figures is not None:
            report["figures"] = {"column_totals": r.figures.column_totals}
        report["table"] = _table_internals(path)
        text = json.dumps(report, ensure_ascii=False, sort_keys=True, default=str)
        out[key] = json.loads(text.replace(str(tmp), "<tmp>").replace(str(ROOT), "<root>"))
    return out


def test_engine_output_equals_the_recorded_reference(tmp_path):
    expected = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    got = outputs(tmp_path)
    assert sorted(got) == sorted(expected)
    for key in expected:
        assert got[key] == expected[key], key


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        data = outputs(Path(d))
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    GOLDEN.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{len(data)} workbooks -> {GOLDEN} ({GOLDEN.stat().st_size // 1024} KB)")
