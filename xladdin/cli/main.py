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


# argparse's own messages in Chinese (it looks each one up through gettext when it needs it).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "the following arguments are required: %s": "缺少参数：%s",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项 %s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
_english = argparse._  # type: ignore[attr-defined]


def _chinese(text: str) -> str:
    return _ARGPARSE_ZH.get(text) or _english(text)


argparse._ = _chinese  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese messages; a usage error is exit code 2 (with JSON on stdout when the
    command line asked for JSON output)."""

    argv: list[str] = []  # the command line being parsed

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        text = f"错误：{message}"
        if _wants_json(_Parser.argv):
            _print_json_error("usage", text)
        self.exit(2, text + "\n")


def _wants_json(argv: list[str] | None) -> bool:
    argv = list(argv or ())
    if "--json" in argv or "--format=json" in argv:
        return True
    return any(a == "--format" and argv[i + 1:i + 2] == ["json"] for i, a in enumerate(argv))


def _print_json_error(code: str, message: str, log: str | None = None) -> None:
    """What a program reading ``--format json``/``--json`` gets when the command could not run."""
    import json

    data: dict[str, object] = {"error": {"code": code, "message": message}, "exit_code": 2}
    if log:
        data["error"]["log"] = log  # type: ignore[index]
    try:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    except (OSError, ValueError):
        pass


def fail(args: argparse.Namespace, message: str, code: str = "error") -> int:
    """Say on stderr why the command could not do it (and as JSON on stdout when asked); exit code 2."""
    print(message if message.startswith("错误") else f"错误：{message}", file=sys.stderr)
    if getattr(args, "format", None) == "json" or getattr(args, "json", False):
        _print_json_error(code, message)
    return 2


def _write_crash_log(exc: BaseException) -> str | None:
    """The traceback in a log file (for the maintainers); its path, or None when none can be written."""
    import datetime
    import os
    import tempfile
    import traceback

    from xladdin import __version__

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"xladdin {__version__}  Python {sys.version.split()[0]}  {sys.platform}\n"
            f"命令：{' '.join(sys.argv)}\n\n" + "".join(traceback.format_exception(exc)))
    for folder in (os.path.join(os.path.expanduser("~"), ".xladdin", "logs"), tempfile.gettempdir()):
        try:
            os.makedirs(folder, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix=f"xladdin-错误-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(text)
            return path
        except (OSError, ValueError):
            continue
    return None


def _last_resort(args: argparse.Namespace | None, exc: BaseException) -> int:
    log = _write_crash_log(exc)
    where = f"详细信息已写入“{log}”，请把这个文件发给维护人员。" if log else "（无法写入日志文件。）"
    message = f"错误：xladdin 内部出错（{type(exc).__name__}），这次没有完成。{where}"
    print(message, file=sys.stderr)
    if args is not None and (getattr(args, "format", None) == "json" or getattr(args, "json", False)):
        _print_json_error("internal", message, log)
    return 2


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
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()
        _Parser.argv = list(sys.argv[1:] if argv is None else argv)  # a usage error's JSON looks at it
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or a closed pager: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except SystemExit:
        raise
    except RecursionError as exc:
        return _last_resort(args, exc)
    except MemoryError as exc:
        return _last_resort(args, exc)
    except BaseException as exc:  # noqa: BLE001 — the last resort: no traceback reaches the user
        from xladdin.errors import XladdinError

        if isinstance(exc, XladdinError):  # a handler that let one through: still the user's message
            return fail(args, exc.message, exc.code) if args is not None else 2
        return _last_resort(args, exc)


if __name__ == "__main__":
    sys.exit(main())
