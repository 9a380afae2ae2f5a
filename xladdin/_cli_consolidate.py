"""``xladdin consolidate INPUT... -o 汇总.xlsx``: many departments' scoring tables -> one summary workbook."""

from __future__ import annotations

import argparse
import sys

from ._cli_check import add_grading_options, grading_from_args


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if n < 1:
        raise argparse.ArgumentTypeError("至少为 1")
    return n


def _year(text: str) -> int:
    try:
        y = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份") from None
    if not 1990 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"年份 {y} 不在合理范围内")
    return y


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "consolidate",
        help="汇总一个文件夹里各部门的评分表，生成一份汇总工作簿",
        description="汇总各部门报送的评分表：逐个读取并校验，生成含 汇总、明细、扣分明细、指标统计、等级分布、"
                    "校验问题、文件清单 七个工作表的汇总工作簿。每个报送文件都会在“文件清单”中列出状态："
                    "通过、有错误（仍计入排名）、无法读取、不是评分表、重复报送（同一单位同一年度以修改时间较晚的为准）。"
                    "报送文件从不改动。退出码：0 汇总表已写好（即使部分文件有问题），2 无法生成汇总表。",
        epilog="示例：xladdin consolidate 报送文件夹 -o 汇总.xlsx    xladdin consolidate 报送 补报/财政局.xlsx -o 汇总.xlsx --json",
    )
    p._positionals.title = "参数"
    p._optionals.title = "选项"
    p.add_argument("inputs", nargs="+", metavar="输入",
                   help="文件夹（含子文件夹，查找 .xlsx/.xlsm/.xls）或评分表文件，可写多个")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="汇总工作簿的保存位置（.xlsx）")
    p.add_argument("--json", action="store_true", help="在标准输出打印 JSON（每个文件的状态、单位、年度、总分、等级等）")
    p.add_argument("--workers", type=_positive, metavar="N", help="并行读取的进程数（默认等于 CPU 核数）")
    p.add_argument("--year", type=_year, metavar="年度",
                   help="评价年度（默认取多数评分表写的年度）；未写年度的表按此年度汇总，年度不同的表会被提示")
    add_grading_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ._consolidate import Progress, overview
    from ._consolidate import run as consolidate
    from ._errors import XladdinError

    try:
        grading = grading_from_args(args)
        summary = consolidate(args.inputs, args.output, grading=grading, year=args.year, workers=args.workers,
                              progress=Progress())
    except XladdinError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    if args.json:
        import json

        sys.stdout.write(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(overview(summary))
    return 0
