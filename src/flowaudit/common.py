"""What every command shares: the audit pipeline, input-error handling and common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NoReturn, TypeVar, cast

import click

from flowaudit.checks.engine import run_audit
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import LoadedMap, load_map, shipped_map_dir
from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import LAW_POLICIES, load_policies
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import for_terminal

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])


def fail_input(error: InputError) -> NoReturn:
    """Print every input problem at file:line:col and exit 2 (through the sanitiser: file
    names, keys and values in the messages come from the input)."""
    for problem in error.problems:
        click.echo(for_terminal(problem), err=True)
    count = len(error.problems)
    click.echo(
        f"flowaudit: {count} input problem{'s' if count != 1 else ''}; nothing was checked",
        err=True,
    )
    sys.exit(EXIT_INPUT)


def load(paths: Sequence[str], limits: Limits | None = None) -> LoadedMap:
    """The map at paths, or the shipped Concero map when none is given."""
    return load_map(list(paths) or [shipped_map_dir()], limits or Limits())


def audit(
    paths: Sequence[str],
    as_of: date,
    policy_paths: Sequence[str] = (),
    limits: Limits | None = None,
) -> AuditResult:
    """Load a map and its policies and run the audit; raises InputError on bad input."""
    limits = limits or Limits()
    loaded = load(paths, limits)
    names = [*LAW_POLICIES, *(n for n in loaded.organisation.policies if n not in LAW_POLICIES)]
    policies = load_policies(names, policy_paths, limits)
    return run_audit(loaded, policies, load_legal_table(), as_of)


def audit_date(as_of: datetime | None) -> date:
    """The --as-of value as a date; today when not given."""
    return as_of.date() if as_of is not None else date.today()


def map_options(function: F) -> F:
    """PATH... and the input limits, handed to the command as one ``limits: Limits``."""

    @functools.wraps(function)
    def command(
        *args: Any,
        max_file_size: int,
        max_depth: int,
        max_aliases: int,
        max_text: int,
        **kwargs: Any,
    ) -> Any:
        limits = Limits(
            max_file_bytes=max_file_size * 1024 * 1024,
            max_depth=max_depth,
            max_alias_expansions=max_aliases,
            max_text=max_text,
        )
        return function(*args, limits=limits, **kwargs)

    wrapped: Callable[..., Any] = command
    for option in (
        click.option(
            "--max-text",
            type=click.IntRange(1),
            default=Limits.max_text,
            show_default=True,
            help="Longest name, id, key or text accepted, in characters.",
        ),
        click.option(
            "--max-aliases",
            type=click.IntRange(0),
            default=1000,
            show_default=True,
            help="Most alias expansions accepted in an input file.",
        ),
        click.option(
            "--max-depth",
            type=click.IntRange(1, 10_000),
            default=64,
            show_default=True,
            help="Deepest nesting of lists and mappings accepted in an input file.",
        ),
        click.option(
            "--max-file-size",
            type=click.IntRange(1),
            default=64,
            show_default=True,
            help="Largest input file accepted, in MiB.",
        ),
    ):
        wrapped = option(wrapped)
    return cast(F, click.argument("paths", nargs=-1, type=click.Path())(wrapped))


POLICIES_OPTION = click.option(
    "--policies",
    "policy_paths",
    multiple=True,
    type=click.Path(),
    help="A folder or file of your own policy rules (repeatable).",
)
AS_OF_OPTION = click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Audit date (YYYY-MM-DD); default today.",
)
FAIL_ON_OPTION = click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="low",
    show_default=True,
    help="Findings of this severity or higher fail the run.",
)


def audit_options(function: F) -> F:
    """--as-of, --fail-on and --policies, as every auditing command takes them."""
    return AS_OF_OPTION(FAIL_ON_OPTION(POLICIES_OPTION(function)))
