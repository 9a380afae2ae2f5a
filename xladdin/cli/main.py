"""The ``xladdin`` command line. Each subcommand lives in its own ``_cli_*`` module with a
``register(subparsers)`` function; handlers import heavy libraries lazily so ``check`` stays light.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Subcommand modules, in the order `xladdin --help` lists them.
COMMAND_MODULES = (
    "xladdin.cli.check",
    "xladdin.cli.template",
    "xladdin.cli.excel_setup",
    "xladdin.cli.consolidate",
    "xladdin.cli.demo",
)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese messages for the common errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (message.replace("the following arguments are required", "缺少参数")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("expected one argument", "需要一个参数"))
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xladdin",
        description="预算绩效评价评分表工具：校验部门整体支出绩效评价指标评分表，汇总各部门评分表。",
        epilog="示例：xladdin check 评分表.xlsx    xladdin check 评分表.xlsx --annotate 标注.xlsx",
    )
    parser._positionals.title = "命令"
    parser._optionals.title = "选项"
    parser.add_argument("--version", action="version", version=_version(), help="显示版本号")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _version() -> str:
    from xladdin import __version__

    return f"xladdin {__version__}"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or a closed pager: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
