"""``xladdin consolidate INPUT... -o 汇总.xlsx``: many departments' scoring tables -> one summary workbook."""

from __future__ import annotations

import argparse
import sys

from xladdin.cli.check import add_grading_options, grading_from_args
from xladdin.core.defaults import DEFAULT_TIMEOUT


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if n < 1:
        raise argparse.ArgumentTypeError("至少为 1")
    return n


def _seconds(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是秒数") from None
    if not 0 < x <= 24 * 3600 or x != x:
        raise argparse.ArgumentTypeError("应大于 0 秒、不超过 86400 秒")
    return x


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
        epilog="示例：xladdin consolidate 报送文件夹 -o 汇总.xlsx    "
               "xladdin consolidate 报送 补报/财政局.xlsx -o 汇总.xlsx --json",
    )
    p._positionals.title = "参数"
    p._optionals.title = "选项"
    p.add_argument("inputs", nargs="+", metavar="输入",
                   help="文件夹（含子文件夹，查找 .xlsx/.xlsm/.xls）或评分表文件，可写多个")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="汇总工作簿的保存位置（.xlsx）")
    p.add_argument("--json", action="store_true",
                   help="在标准输出打印 JSON（每个文件的状态、单位、年度、总分、等级等）")
    p.add_argument("--workers", type=_positive, metavar="N", help="并行读取的进程数（默认等于 CPU 核数）")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="秒",
                   help=f"读取每个文件的时间上限（默认 {DEFAULT_TIMEOUT:g} 秒）；"
                        "超时的文件记为“无法读取”，其余照常汇总")
    p.add_argument("--year", type=_year, metavar="年度",
                   help="评价年度（默认取多数评分表写的年度）；未写年度的表按此年度汇总，年度不同的表会被提示")
    p.add_argument("--force", action="store_true",
                   help="允许覆盖一个已存在、但不是 xladdin 汇总表的输出文件（默认拒绝，以免覆盖报送的评分表）")
    p.add_argument("--units", metavar="单位名单.xlsx",
                   help="应报送单位的名单（.xlsx/.xls/.csv，一行一个单位，或有一列表头为“单位名称”）："
                        "名单上没有报送文件的单位在“汇总”和“文件清单”中记为“未报送”，不在名单上的单位会被提示")
    add_grading_options(p)
    p.set_defaults(handler=run)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a kill, a service manager, a closed session): stop the way Ctrl+C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def run(args: argparse.Namespace) -> int:
    import signal

    from xladdin.consolidation.run import consolidate_files as consolidate
    from xladdin.consolidation.terminal import Progress, overview
    from xladdin.errors import XladdinError

    previous = None
    try:  # a SIGTERM unwinds like Ctrl+C: the reading processes are stopped, the temporary file removed
        previous = signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM (Windows)
        pass
    try:
        grading = grading_from_args(args)
        summary = consolidate(args.inputs, args.output, grading=grading, year=args.year, workers=args.workers,
                              progress=Progress(), timeout=args.timeout, force=args.force, units=args.units)
    except XladdinError as exc:
        from xladdin.cli.main import fail

        return fail(args, exc.message, exc.code)
    except KeyboardInterrupt as exc:
        why = "收到终止信号" if isinstance(exc, Terminated) else "按下了 Ctrl+C"
        print(f"\n汇总已中断（{why}），没有生成新的汇总表；原来的汇总表（如有）未改动。", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if args.json:
        from xladdin.outputs.render import json_text

        sys.stdout.write(json_text(summary.to_json()) + "\n")
    else:
        sys.stdout.write(overview(summary))
    return 0
