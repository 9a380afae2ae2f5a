"""The bad-input corpus of issue 6: every kind of file a county's offices send, good, broken, strange
and hostile, generated into ONE folder (Chinese, spaces and parentheses in file and folder names).

``build(folder)`` writes it and returns the list of :class:`Case` — each file (as the summary
displays it) with the outcome written down here, independently of the code under test: status,
unit, total and the exact Chinese message.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from builders import rewrite_sheet, seed_like
from openpyxl.styles import PatternFill

from xladdin.kinds.department.framework import SEED_FRAMEWORK
from xladdin.samples import Submission, by_name, leaf_path, workbook_bytes, write_submission

ROOT_NAME = "报送 文件 (2023年度)"
TOWNS = "乡镇 (第一批)"
LATE = "补报（更正） 2024"
WHEN = dt.datetime(2024, 6, 3, 9, 0, 0)


@dataclass
class Case:
    file: str  # as displayed: relative to the folder, "/"-separated
    kind: str  # what the file is (the closing table's first column)
    status: str
    message: str
    unit: str | None = None
    total: float | None = None
    errors: int = 0
    warnings: int = 0


def _sub(path: str, unit: str, deductions: dict, **kw) -> Submission:
    kw.setdefault("modified", WHEN)
    return Submission(path=path, unit=unit, deductions=by_name(deductions), **kw)


def _touch(p: Path, when: dt.datetime = WHEN) -> None:
    ts = when.timestamp()
    os.utime(p, (ts, ts), follow_symlinks=False)


def vba_project() -> bytes:
    """A real VBA project (xlwings' quickstart workbook: modules Module1, Sheet1, ThisWorkbook ...)."""
    spec = importlib.util.find_spec("xlwings")
    assert spec and spec.origin, "xlwings (a dependency of xladdin) is needed for its sample macro workbook"
    with zipfile.ZipFile(Path(spec.origin).parent / "quickstart.xlsm") as zf:
        return zf.read("xl/vbaProject.bin")


def with_macros(xlsx: bytes) -> bytes:
    """Turn .xlsx bytes into a macro-enabled .xlsm with a real xl/vbaProject.bin part."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                text = body.decode()
                text = text.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                text = text.replace("<Default ", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
                body = text.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.decode().replace(
                    "</Relationships>",
                    '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                    'Target="vbaProject.bin"/></Relationships>').encode()
            dst.writestr(info, body)
        dst.writestr("xl/vbaProject.bin", vba_project())
    return out.getvalue()


def _formulas_without_values(path: Path) -> Path:
    """The fill-in template, filled in by a program (openpyxl): every 得分 is a formula with no saved result."""
    from xladdin.outputs.template import write_template

    wb, info = write_template(None, unit="临夏县商务局", year=2023)
    ws = wb.active
    ws[info.deduction_cell(leaf_path("预算执行"))] = 2
    ws[info.deduction_cell(leaf_path("工作效率"))] = 1
    wb.save(path)
    return path


ERROR_VALUES = ("#DIV/0!", "#REF!", "#N/A", "#VALUE!")


def _lost(leaves) -> float:
    """What the seed table's first leaves no longer count when their 得分 is not a number: a leaf with a
    扣分 still scores 分值 − 扣分; one without counts nothing (a blank is never full marks)."""
    from xladdin.kinds.department.framework import SEED_DEDUCTIONS

    return sum(SEED_FRAMEWORK[k].weight for k in leaves if not SEED_DEDUCTIONS.get(SEED_FRAMEWORK[k].path))


ERRORS_MESSAGE = "有 4 个错误、0 个警告，已计入汇总并标为“有错误”，请退回核对。第一个错误：H3 的得分是错误值“#DIV/0!”，请检查该单元格的公式或内容。"
DATES_MESSAGE = "有 3 个错误、0 个警告，已计入汇总并标为“有错误”，请退回核对。第一个错误：H3 的得分应为数字，实际填的是日期 2023-12-31，无法计算。"


def _encrypted(path: Path, tmp: Path) -> Path | None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # pragma: no cover - msoffcrypto-tool is in the test extras
        return None
    plain = write_submission(_sub("plain.xlsx", "临夏县加密局", {"预算执行": 1}), tmp)
    with open(plain, "rb") as fh, open(path, "wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    return path


def build(root: Path, scratch: Path) -> list[Case]:
    """Write the corpus under ``root`` (created); ``scratch`` is a work folder outside it."""
    root.mkdir(parents=True)
    scratch.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def sub(case: Case, s: Submission) -> None:
        write_submission(s, root)
        cases.append(case)

    def raw(case: Case, data: bytes) -> None:
        p = root / case.file
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        _touch(p)
        cases.append(case)

    def path(name: str) -> Path:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    # -- good submissions, also with spaces and parentheses in file and folder names --------------
    f = "临夏县财政局 (2023) 评分表.xlsx"
    sub(Case(f, "正常的评分表（文件名含空格和括号）", "ok", "校验通过。", "临夏县财政局", 99),
        _sub(f, "临夏县财政局", {"预算执行": 1}))
    f = f"{TOWNS}/韩集镇 评分表（终稿）.xlsx"
    sub(Case(f, "正常的评分表（子文件夹名含空格和括号）", "ok", "校验通过。", "临夏县韩集镇人民政府", 98),
        _sub(f, "临夏县韩集镇人民政府", {"工作效率": 2}, title_style="lines"))
    old, new = "临夏县审计局 评分表.xlsx", f"{LATE}/临夏县审计局 评分表（更正）.xlsx"
    sub(Case(old, "同一单位的旧报送", "duplicate",
             f"与“{new}”是同一单位（临夏县审计局）2023 年度的评分表，按文件修改时间以较新的“{new}”为准，本文件未计入汇总。",
             "临夏县审计局", 96, warnings=1),
        _sub(old, "临夏县审计局", {"预算编制": 4}))
    sub(Case(new, "同一单位的更正报送", "ok", f"校验通过（更正报送，取代了“{old}”）。", "临夏县审计局", 97),
        _sub(new, "临夏县审计局", {"预算编制": 3}, modified=WHEN + dt.timedelta(days=5)))

    # -- text that looks like a formula (it must stay text in every output) ------------------------
    for k, (unit, reason) in enumerate([("=1+2县档案室", "=cmd|' /C calc'!A0"), ("+县图书馆", "+1+1"),
                                        ("-县文化馆", "-2-3"), ("@县博物馆", "@SUM(A1)")]):
        f = f"{TOWNS}/{unit[0]}公式样 单位 ({k}).xlsx"
        sub(Case(f, f"单位名称、扣分原因以“{unit[0]}”开头", "ok", "校验通过。", unit, 99),
            _sub(f, unit, {"预算执行": 1}, reasons=by_name({"预算执行": reason}), title_style="lines"))

    # -- macros: a real VBA project, never executed, read like .xlsx -------------------------------
    f = "临夏县民政局 (启用宏).xlsm"
    raw(Case(f, ".xlsm（含 vbaProject.bin 宏）", "ok", "校验通过。", "临夏县民政局", 97),
        with_macros(workbook_bytes(_sub(f, "临夏县民政局", {"预算执行": 2, "工作效率": 1}))))

    # -- formulas saved without their results (a program filled in the template) -------------------
    f = "临夏县商务局 (程序生成).xlsx"
    _formulas_without_values(path(f))
    _touch(root / f)
    # a warning for each leaf's 得分 formula and each formula of the 合计 row (three 分值 sums, 扣分, 得分)
    n = len(SEED_FRAMEWORK) + 5
    cases.append(Case(f, "公式没有保存计算结果", "ok", f"校验通过，有 {n} 个警告。", "临夏县商务局", 97, warnings=n))

    # -- error values, dates and booleans where numbers belong -------------------------------------
    def errors(ws, geo):
        for leaf_row, value in zip(geo.leaf_rows, ERROR_VALUES):
            ws[geo.cell("score", leaf_row)] = value  # openpyxl writes these as error cells (t="e")

    f = "临夏县水务局 (错误值).xlsx"
    seed_like(path(f), edit=errors, title="临夏县水务局2023年度部门整体支出绩效评价指标评分表")
    _touch(root / f)
    cases.append(Case(f, "得分单元格里是 #DIV/0!、#REF!、#N/A、#VALUE!", "errors", ERRORS_MESSAGE, "临夏县水务局",
                      95 - _lost(range(4)), errors=4))

    def dates(ws, geo):
        ws[geo.cell("score", geo.leaf_rows[0])] = dt.date(2023, 12, 31)
        ws[geo.cell("deduction", geo.leaf_rows[1])] = True
        ws[geo.cell("score", geo.leaf_rows[2])] = False

    f = "临夏县林业局 (日期 布尔).xlsx"
    seed_like(path(f), edit=dates, title="临夏县林业局2023年度部门整体支出绩效评价指标评分表")
    _touch(root / f)
    cases.append(Case(f, "应填数字处是日期、TRUE/FALSE", "errors", DATES_MESSAGE, "临夏县林业局",
                      95 - _lost([0, 2]), errors=3))

    # -- big and strange ---------------------------------------------------------------------------
    def tall(ws, geo):
        ws.cell(1048576, 1).fill = PatternFill("solid", fgColor="FFFF00")
        ws.cell(1048576, 16384).fill = PatternFill("solid", fgColor="FFFF00")

    f = "格式 (1048576 行).xlsx"
    base = seed_like(scratch / "tall.xlsx", edit=tall, title="临夏县交通运输局2023年度部门整体支出绩效评价指标评分表")
    shutil.copy(base, path(f))
    _touch(root / f)
    cases.append(Case(f, "仅因格式而有 1,048,576 行的已用区域", "ok", "校验通过。", "临夏县交通运输局", 95))

    merges = "".join(f'<mergeCell ref="L{100 + 2 * i}:L{101 + 2 * i}"/>' for i in range(20000))

    def many_merges(s: str) -> str:
        head, tail = s.split("<mergeCells", 1)
        return head + '<mergeCells count="99999">' + merges + tail[tail.index(">") + 1:]

    f = "合并 (两万个).xlsx"
    base = seed_like(scratch / "merges.xlsx", title="临夏县自然资源局2023年度部门整体支出绩效评价指标评分表")
    rewrite_sheet(base, path(f), many_merges)
    _touch(root / f)
    cases.append(Case(f, "20,000 个合并区域", "ok", "校验通过。", "临夏县自然资源局", 95))

    f = "控制字符 与 长文本.xlsx"
    long_reason = "扣分原因很长" * 2000
    sub(Case(f, "控制字符和很长的文字", "ok", "校验通过。", "临夏县统计局", 98),
        _sub(f, "临夏县_x0007_统计局", {"预算执行": 1, "工作效率": 1},
             reasons=by_name({"预算执行": "原因_x0001_含_x001B_控制字符", "工作效率": long_reason})))

    # -- not a scoring table -----------------------------------------------------------------------
    f = "临夏县医保局 (基本情况).xlsx"
    sub(Case(f, "发错的工作簿（没有评分表）", "not-scoring-table",
             f"文件“{Path(f).name}”里找不到评分表：各工作表都没有“一级指标”“分值”“得分”等表头。"),
        Submission(path=f, unit="临夏县医保局", kind="not-table", modified=WHEN))

    def hide(ws, geo):
        ws.sheet_state = "hidden"
        ws.parent.create_sheet("封面")

    f = "隐藏 (工作表).xlsx"
    seed_like(path(f), edit=hide)
    _touch(root / f)
    cases.append(Case(f, "评分表在隐藏的工作表里", "not-scoring-table",
                      f"文件“{f}”里找不到评分表：各工作表都没有“一级指标”“分值”“得分”等表头（隐藏的工作表未检查：表1；可用 --sheet 指定）。"))

    # -- unreadable ----------------------------------------------------------------------------------
    def unreadable(f: str, kind: str, data: bytes, message: str) -> None:
        raw(Case(f, kind, "unreadable", message.format(name=Path(f).name)), data)

    unreadable("空文件 (0字节).xlsx", "空文件", b"", "文件“{name}”是空文件（0 字节），请重新导出后提交。")
    good = workbook_bytes(_sub("x.xlsx", "临夏县某局", {}))
    unreadable("下载中断 (截断).xlsx", "截断的压缩包", good[: len(good) // 3],
               "文件“{name}”已损坏（压缩包不完整，可能是下载或拷贝中断），请重新导出后提交。")
    unreadable("说明 (文本改名).xlsx", "改了扩展名的文本文件", "一级指标\t分值\t得分\r\n".encode("gbk"),
               "文件“{name}”不是 Excel 工作簿（看起来是文本或其他格式的文件，只是扩展名为 .xlsx）。")
    unreadable("扫描件 (PDF).xls", "改了扩展名的 PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
               "文件“{name}”不是 Excel 工作簿（看起来是PDF 文件，只是扩展名为 .xls）。")
    unreadable("网页导出 (系统).xls", "网页（HTML 表格）存成 .xls",
               "<html><body><table><tr><td>一级指标</td></tr></table></body></html>".encode(),
               "文件“{name}”不是 Excel 工作簿（看起来是网页或 XML 文件，只是扩展名为 .xls）。")
    unreadable("表格 (CSV).xlsx", "改了扩展名的 CSV", "一级指标,分值,得分\n部门规划,15,15\n".encode("utf-8-sig"),
               "文件“{name}”不是 Excel 工作簿（看起来是文本或其他格式的文件，只是扩展名为 .xlsx）。")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    unreadable("自评报告 (Word).xlsx", "改了扩展名的 Word 文档", docx.getvalue(),
               "文件“{name}”是 Word 文档，不是 Excel 工作簿。")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("评分表.txt", "一级指标")
    unreadable("压缩包 (非工作簿).xlsx", "不是工作簿的 zip", other.getvalue(),
               "文件“{name}”不是 Excel 工作簿（压缩包里没有工作簿内容）。")
    unreadable("WPS 表格 (专用格式).et", "WPS 的 .et 文件", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1WPS-et",
               "文件“{name}”是 WPS 表格专用格式（.et），无法读取；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后重新提交。")
    f = "加密 (有密码).xlsx"
    if _encrypted(path(f), scratch / "enc"):
        _touch(root / f)
        cases.append(Case(f, "设置了打开密码的工作簿", "unreadable",
                          f"文件“{f}”设置了打开密码（已加密），无法读取；请取消密码后重新提交。"))
    f = "误命名 (文件夹).xlsx"
    (root / f).mkdir()
    _touch(root / f)
    cases.append(Case(f, "名为 x.xlsx 的文件夹", "unreadable", f"“{f}”是一个文件夹，不是 Excel 文件。"))
    f = "失效 链接 (快捷方式).xlsx"
    os.symlink(scratch / "已删除.xlsx", root / f)
    cases.append(Case(f, "指向已删除文件的链接", "unreadable", f"找不到文件“{root / f}”。"))

    # -- hostile ------------------------------------------------------------------------------------
    pad = " " * (100 * 1024 * 1024)
    f = "炸弹 (解压100MB).xlsx"
    rewrite_sheet(seed_like(scratch / "bomb-base.xlsx"), path(f), lambda s: s.replace("<sheetData>", "<sheetData>" + pad, 1))  # noqa: F821
    del pad
    _touch(root / f)
    cases.append(Case(f, "zip 炸弹（1 MB 解压成 100 MB）", "unreadable",
                      f"文件“{f}”解压后有 100 MB，超过评分表的合理大小（上限 64 MB），为安全起见不予读取。"))
    ents = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10))
    dtd = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">{ents}]>'
    f = "实体 (billion laughs).xlsx"
    rewrite_sheet(seed_like(scratch / "laughs-base.xlsx"), path(f), lambda s: dtd + s.replace("<t>部门规划</t>", "<t>&lol9;</t>", 1))
    _touch(root / f)
    cases.append(Case(f, "XML 实体膨胀（billion laughs）", "unreadable",
                      f"文件“{f}”的工作表“表1”含有自定义 XML 实体（正常的 Excel 文件不会有，可能是被篡改或恶意构造的文件），为安全起见不予读取。"))
    xxe = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f = "外部实体 (XXE).xlsx"
    rewrite_sheet(seed_like(scratch / "xxe-base.xlsx"), path(f), lambda s: xxe + s.replace("<t>部门规划</t>", "<t>&xxe;</t>", 1))
    _touch(root / f)
    cases.append(Case(f, "XML 外部实体（XXE）", "unreadable",
                      f"文件“{f}”的工作表“表1”含有自定义 XML 实体（正常的 Excel 文件不会有，可能是被篡改或恶意构造的文件），为安全起见不予读取。"))

    # -- not submissions: listed under "ignored", never in the ledger --------------------------------
    for name in ("~$临夏县财政局 (2023) 评分表.xlsx", "报送说明 (请阅读).docx", f"{TOWNS}/汇总要求.txt",
                 ".~lock.临夏县财政局 (2023) 评分表.xlsx#"):
        p = path(name)
        p.write_bytes(b"not a submission")
    return cases


IGNORED = {
    "~$临夏县财政局 (2023) 评分表.xlsx": "Excel/WPS 打开文件时生成的临时锁定文件",
    ".~lock.临夏县财政局 (2023) 评分表.xlsx#": "LibreOffice 临时锁定文件",
    "报送说明 (请阅读).docx": "不是 Excel 工作簿",
    f"{TOWNS}/汇总要求.txt": "不是 Excel 工作簿",
}
