"""The ``xladdin`` command line: one module per subcommand (``check``, ``template``, ``excel_setup``,
``consolidate``, ``demo``), each with a ``register(subparsers)`` function; ``main`` dispatches."""

from xladdin.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
