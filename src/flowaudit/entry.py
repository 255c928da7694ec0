"""The console script's entry point: answers ``--version`` before importing anything heavy
(pydantic, networkx, jinja2, the checks), then hands over to the command line."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn


def main(argv: Sequence[str] | None = None) -> None:
    """``flowaudit --version`` at once; everything else through flowaudit.cli.

    Run as the console script (``argv`` None), the process ends as soon as its output is
    flushed, without the interpreter's teardown; called with arguments (as tests do), it
    raises SystemExit as click does."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from flowaudit import __version__

        if sys.stdout is None:  # ``flowaudit --version >&-``
            _cannot_write("it is closed")
        try:
            sys.stdout.write(f"flowaudit, version {__version__}\n")
            sys.stdout.flush()
        except OSError as error:
            _cannot_write(error.strerror or str(error))
        return
    cli_main = _import_cli()
    if argv is not None:
        cli_main(args)
        return
    try:
        cli_main(args)
    except SystemExit as finished:
        exit_without_teardown(finished.code)
        raise


def _cannot_write(reason: str) -> NoReturn:
    """Standard output closed or failing: said on stderr, exit 2 (an output error), as every
    command says it (flowaudit.common.standard_output), without importing it."""
    import contextlib
    import os

    sys.stderr.write(f"flowaudit: cannot write standard output: {reason}\n")
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    raise SystemExit(2)


def _import_cli() -> Callable[[Sequence[str] | None], None]:
    """flowaudit.cli and what it imports (pydantic's models among them), with no cyclic
    garbage collection meanwhile: importing makes tens of thousands of objects and no
    garbage, and the collections it set off were about a tenth of the imports' time (40 ms
    of every check). What was made stays for the run, so it is moved out of later
    collections' sight, as the loader does with a map."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from flowaudit.cli import main as cli_main
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return cli_main


def exit_without_teardown(code: object) -> None:
    """End the process with ``code`` once the exit handlers have run and stdout and stderr
    are flushed, skipping the interpreter's teardown: freeing every object of a
    100,000-flow audit one by one takes 0.3 to 0.4 s after the report is out, and the
    operating system reclaims the memory at once. (mypy ends the same way.)

    Returns, leaving the usual exit to the caller, when the code is not a number (Python
    prints it), when coverage is measuring (it writes its data at teardown), or when
    flushing fails (a closed, broken or full stream: Python reports that as it always has).
    Report files need nothing here: they are written, synced and renamed before the
    command returns."""
    if code is not None and not isinstance(code, int):
        return
    if "coverage" in sys.modules:
        return
    import atexit
    import os

    atexit._run_exitfuncs()  # e.g. logging's shutdown; they run once, so never twice
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # closed (None), broken or full: the usual exit reports it
        return
    os._exit(code or 0)
