"""``xladdin check FILE``: read, check, report; optionally write an annotated copy."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from xladdin.core.defaults import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from xladdin.core.report import Report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="校验一份评分表（分值、扣分、得分、合计、等级）",
        description="校验一份评分表：逐级核对分值、扣分和得分，计算总分和等级，列出每个问题所在的单元格。"
                    "退出码：0 无错误（可有警告），1 有错误，2 文件无法读取或不是评分表。",
    )
    p._positionals.title = "参数"
    p._optionals.title = "选项"
    p.add_argument("file", metavar="文件", help="评分表工作簿（.xlsx / .xlsm / .xls）")
    p.add_argument("--sheet", metavar="工作表", help="指定工作表名（默认自动查找含评分表的可见工作表）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（中文报告，默认）或 json")
    p.add_argument("--annotate", metavar="输出.xlsx",
                   help="另存一份标注副本：错误单元格标红、警告标黄并加批注，附“校验结果”表；原文件不改动")
    p.add_argument("--force", action="store_true",
                   help="允许 --annotate 覆盖一个已存在、但不是 xladdin 标注副本的文件（默认拒绝）")
    p.add_argument("--timeout", type=_seconds_or_none, default=DEFAULT_TIMEOUT, metavar="秒",
                   help=f"读取文件的时间上限（默认 {DEFAULT_TIMEOUT:g} 秒；0 表示不限）；读取在单独的进程中进行，"
                        "超时或内存超限的文件记为“无法读取”")
    add_grading_options(p)
    p.add_argument("--profile", metavar="计分规则",
                   help="项目支出绩效自评表的计分规则：national（全国，财预〔2020〕10号）、sichuan（四川）、hubei（湖北）、"
                        "yunnan（云南），或一个 .json 规则文件；默认按表式自动判断")
    p.add_argument("--rules", metavar="评分规则",
                   help="共性指标测算（工作簿有“基础数据”表时）的评分规则：通用、按比例，或一个 .tsv/.csv/.xlsx "
                        "评分规则文件；默认用工作簿里的“评分规则”表，没有则用“通用”")
    p.set_defaults(handler=run)


def _seconds_or_none(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是秒数") from None
    if x == 0:
        return None
    if not 0 < x <= 24 * 3600:
        raise argparse.ArgumentTypeError("应大于 0 秒、不超过 86400 秒（0 表示不限）")
    return x


def add_grading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--grades", metavar="分档",
                   help="等级分档，如 \"90:优,80:良,60:中,0:差\"（默认按财预〔2020〕10号）")
    p.add_argument("--grades-file", metavar="文件", help="等级分档设置文件（.json 或文本）")


def grading_from_args(args: argparse.Namespace):
    from xladdin.core.grading import DEFAULT_GRADING, Grading

    if getattr(args, "grades_file", None):
        return Grading.load(args.grades_file)
    if getattr(args, "grades", None):
        return Grading.parse(args.grades)
    return DEFAULT_GRADING


def exit_code(report: Report) -> int:
    """The command's exit code: 0 no error (warnings allowed), 1 errors, 2 not readable as a table."""
    if report.table is None:
        return 2
    return 1 if report.errors else 0


def run(args: argparse.Namespace) -> int:
    from xladdin.cli.main import fail
    from xladdin.errors import XladdinError
    from xladdin.outputs.render import to_json, to_text

    try:
        grading = grading_from_args(args)
    except XladdinError as exc:
        return fail(args, exc.message, exc.code)
    if args.annotate is not None:  # refused before reading: a wrong name must not cost a whole check
        from pathlib import Path

        from xladdin.outputs.toolkit import refuse_suffix

        source = Path(args.file)
        allowed = (".xlsx", ".xlsm") if source.suffix.lower() == ".xlsm" else (".xlsx",)
        try:
            refuse_suffix(args.annotate, allowed, "标注副本")
        except XladdinError as exc:
            return fail(args, exc.message, exc.code)
    from xladdin.api import check

    try:  # --timeout 0 (args.timeout None): in this process, without limits
        report = check(args.file, sheet=args.sheet, grading=grading, timeout=args.timeout,
                       rules=getattr(args, "rules", None), profile=getattr(args, "profile", None))
    except XladdinError as exc:  # a --rules or --profile file that cannot be used
        return fail(args, exc.message, exc.code)
    out = sys.stdout
    if args.format == "json":
        out.write(to_json(report) + "\n")
    else:
        out.write(to_text(report))
    if args.annotate is not None and report.table is None:
        print(f"注意：文件无法作为评分表读取，没有生成标注副本“{args.annotate}”。", file=sys.stderr)
    elif args.annotate is not None:
        from xladdin.outputs.annotate import annotate_file

        try:
            annotate_file(report, args.annotate, force=args.force)
        except XladdinError as exc:
            print(f"错误：{exc.message}", file=sys.stderr)  # the report is already on stdout
            return 2
        if args.format == "text":
            out.write(f"已另存标注副本：{args.annotate}\n")
    return exit_code(report)
