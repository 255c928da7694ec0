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
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import LAW_POLICIES, load_policies, shipped_policy_names
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
    vocabulary = load_legal_table().vocabulary()
    return load_map(list(paths) or [shipped_map_dir()], limits or Limits(), vocabulary)


def audit(
    paths: Sequence[str],
    as_of: date,
    policy_paths: Sequence[str] = (),
    limits: Limits | None = None,
    required: Sequence[str] = (),
) -> AuditResult:
    """Load a map and its policies and run the audit; raises InputError on bad input.

    ``required`` names policies (shipped, or the id of one under ``policy_paths``) that
    apply whatever the map's ``policies:`` selection says: CI pins them, the map cannot
    drop them."""
    limits = limits or Limits()
    loaded = load(paths, limits)
    policies = load_policies(
        policy_names(loaded.organisation.policies, required), policy_paths, limits
    )
    missing = [
        name
        for name in required
        if name not in shipped_policy_names() and name not in policies.origin.values()
    ]
    if missing:
        raise InputError(
            [
                Problem(
                    "(options)",
                    1,
                    1,
                    f"--require-policy {name}: no shipped policy and no policy under "
                    "--policies has this id",
                )
                for name in missing
            ]
        )
    return run_audit(loaded, policies, load_legal_table(), as_of)


def policy_names(selected: Sequence[str], required: Sequence[str] = ()) -> list[str]:
    """The shipped policies to load: the law, the map's selection, the required ones."""
    names = list(LAW_POLICIES)
    shipped = shipped_policy_names()
    for name in (*selected, *required):
        if name not in names and (name in selected or name in shipped):
            names.append(name)
    return names


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


REQUIRE_POLICY_OPTION = click.option(
    "--require-policy",
    "required_policies",
    multiple=True,
    metavar="NAME",
    help="A policy that applies whatever the map selects: a shipped policy name or the id of "
    "one under --policies (repeatable). Pin these in CI, outside the map.",
)


def audit_options(function: F) -> F:
    """--as-of, --fail-on and --policies, as every auditing command takes them."""
    return AS_OF_OPTION(FAIL_ON_OPTION(POLICIES_OPTION(function)))
