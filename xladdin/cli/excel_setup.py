"""``xladdin excel-setup -o 评分表.xlsm``: the template as a macro-enabled workbook with the 校验 and
汇总 buttons (Windows + Excel only; it drives Excel through xlwings and cannot run elsewhere)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "excel-setup",
        help="（仅 Windows + Excel）生成带“校验”“汇总”按钮和 XL_ 函数的评分表 .xlsm",
        description="在 Windows 上通过 Excel 生成启用宏的评分表（.xlsm）："
                    "在模板基础上导入 xladdin/excel/vba/ 中的 VBA 模块、添加“校验”“汇总”按钮、"
                    "导入 XL_GRADE / XL_TOTAL / XL_CHECK / XL_SUMMARY 函数。"
                    "需要：已安装 Excel，且在 信任中心 → 宏设置 中勾选“信任对 VBA 工程对象模型的访问”。",
    )
    p._optionals.title = "选项"
    p.add_argument("-o", "--output", metavar="输出.xlsm", required=True, help="保存位置（.xlsm）")
    p.add_argument("--unit", metavar="单位名称", help="预先填好单位名称")
    p.add_argument("--year", metavar="年度", type=int, help="预先填好评价年度，如 2023")
    p.add_argument("--framework", metavar="文件", help="使用自己的指标体系（CSV 或 Excel，同 xladdin template）")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from xladdin.errors import XladdinError

    if not sys.platform.startswith("win"):
        print("错误：excel-setup 需要在装有 Excel 的 Windows 电脑上运行（它通过 Excel 添加按钮和宏）。"
              "在其他系统上请用 xladdin template 生成 .xlsx 模板，用命令行 xladdin check --annotate 校验。",
              file=sys.stderr)
        return 2
    out = Path(args.output).resolve()
    if out.suffix.lower() != ".xlsm":
        print(f"错误：带按钮的工作簿应保存为 .xlsm（“{out.name}”）。", file=sys.stderr)
        return 2
    try:
        from xladdin.kinds.department.framework import SEED_FRAMEWORK
        from xladdin.outputs.template import write_template

        leaves = SEED_FRAMEWORK
        if args.framework:
            from xladdin.reading.framework_file import load_framework

            leaves = load_framework(args.framework)
        from xladdin.xl import setup_workbook

        with tempfile.TemporaryDirectory() as tmp:
            xlsx = Path(tmp) / (out.stem + ".xlsx")
            # no interpreter in the workbook: each PC's own xlwings settings (xlwings addin install) find its Python
            from xladdin.api import safe_text  # no control characters or lone surrogates in the workbook

            write_template(xlsx, leaves=leaves, unit=safe_text(args.unit), year=args.year, excel=True)
            warnings = setup_workbook(xlsx, out)
    except XladdinError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except Exception as exc:  # Excel/COM failures: say what to check
        print(f"错误：Excel 操作失败：{exc}\n"
              "请确认已安装 Excel，并在 信任中心 → 宏设置 中勾选“信任对 VBA 工程对象模型的访问”。", file=sys.stderr)
        return 2
    for w in warnings:
        print(f"注意：{w}", file=sys.stderr)
    print(f"已生成：{out}\n打开时请点“启用内容”（启用宏）；点“校验”按钮检查本表，财政局可在“汇总”表中点“汇总”。\n"
          "每台使用按钮的电脑都要装好 Python 和 xladdin，并运行一次 xlwings addin install（记下本机 Python 的位置）。\n"
          "通过邮件或网页收到的 .xlsm，Excel 会阻止其中的宏：右键文件 → 属性 → 勾选“解除锁定”，"
          "或放在“受信任位置”中（见 README）。")
    return 0
