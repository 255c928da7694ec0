"""What every command shares: its options (the audit itself is in flowaudit.app)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar, cast

import click

from flowaudit.model.problems import missing_day
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity

F = TypeVar("F", bound=Callable[..., Any])


def audit_date(as_of: datetime | None) -> date:
    """The --as-of value as a date; today when not given."""
    return as_of.date() if as_of is not None else date.today()


class DateOption(click.DateTime):
    """A YYYY-MM-DD option: a date written in the format whose day does not exist
    (2026-02-30) is refused as that, not as "does not match the format"."""

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        why = missing_day(value) if isinstance(value, str) else None
        if why is not None:
            self.fail(f"{value!r}: that day does not exist ({why})", param, ctx)
        return super().convert(value, param, ctx)


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
    type=DateOption(),
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


CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The gate's settings file (require_policies, fail_on); default .flowaudit.toml at "
    "the root of the map's git repository, when it exists. Under --base its changes are "
    "changes to review.",
)


def audit_options(function: F) -> F:
    """--as-of, --fail-on and --policies, as every auditing command takes them."""
    return AS_OF_OPTION(FAIL_ON_OPTION(POLICIES_OPTION(function)))
