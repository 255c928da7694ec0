"""The console script's entry point: answers ``--version`` before importing anything heavy
(pydantic, networkx, jinja2, the checks), then hands over to the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """``flowaudit --version`` at once; everything else through flowaudit.cli."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from flowaudit import __version__

        sys.stdout.write(f"flowaudit, version {__version__}\n")
        return
    from flowaudit.cli import main as cli_main

    cli_main(args)
