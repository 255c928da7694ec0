"""The command line: thin glue from arguments to model, checks and reports.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 invalid input or usage;
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NoReturn

import click

from flowaudit import __version__
from flowaudit.checks.engine import run_audit
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import LoadedMap, load_map, shipped_map_dir
from flowaudit.model.problems import InputError
from flowaudit.model.schema import map_json_schema
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import LAW_POLICIES, load_policies
from flowaudit.policies.schema import Severity
from flowaudit.reports.json_report import render_json
from flowaudit.reports.text import render_text

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

SEVERITIES = click.Choice([s.value for s in Severity])


def _fail_input(error: InputError) -> NoReturn:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    count = len(error.problems)
    click.echo(
        f"flowaudit: {count} input problem{'s' if count != 1 else ''}; nothing was checked",
        err=True,
    )
    sys.exit(EXIT_INPUT)


def _limits(max_file_size: int, max_depth: int = 64, max_aliases: int = 1000) -> Limits:
    return Limits(
        max_file_bytes=max_file_size * 1024 * 1024,
        max_depth=max_depth,
        max_alias_expansions=max_aliases,
    )


def _load(paths: Sequence[str], limits: Limits) -> LoadedMap:
    return load_map(list(paths) or [shipped_map_dir()], limits)


def audit(
    paths: Sequence[str],
    as_of: date,
    policy_paths: Sequence[str] = (),
    limits: Limits | None = None,
) -> AuditResult:
    """Load a map and its policies and run the audit; raises InputError on bad input."""
    limits = limits or Limits()
    loaded = _load(paths, limits)
    names = [*LAW_POLICIES, *(n for n in loaded.organisation.policies if n not in LAW_POLICIES)]
    policies = load_policies(names, policy_paths, limits)
    return run_audit(loaded, policies, load_legal_table(), as_of)


def _common(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option(
        "--max-file-size",
        type=click.IntRange(1),
        default=64,
        show_default=True,
        help="Largest input file accepted, in MiB.",
    )(function)
    function = click.option(
        "--max-depth",
        type=click.IntRange(1, 10_000),
        default=64,
        show_default=True,
        help="Deepest nesting of lists and mappings accepted in an input file.",
    )(function)
    function = click.option(
        "--max-aliases",
        type=click.IntRange(0),
        default=1000,
        show_default=True,
        help="Most YAML alias expansions accepted per file (guards against 'billion laughs').",
    )(function)
    function = click.argument("paths", nargs=-1, type=click.Path())(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flowaudit")
def cli() -> None:
    """Audit personal data flows against a privacy notice and the law.

    With no PATH, the commands read the data map of Concero Technology Services that ships
    with flowaudit.
    """


@cli.command()
@_common
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Audit date (YYYY-MM-DD); default today.",
)
@click.option(
    "--fail-on",
    type=SEVERITIES,
    default="low",
    show_default=True,
    help="Exit 1 when a finding has this severity or higher.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--policies",
    "policy_paths",
    multiple=True,
    type=click.Path(),
    help="A folder or file of your own policy rules (repeatable).",
)
def check(
    paths: tuple[str, ...],
    max_file_size: int,
    max_depth: int,
    max_aliases: int,
    as_of: Any,
    fail_on: str,
    output_format: str,
    policy_paths: tuple[str, ...],
) -> None:
    """Check a data map (files or folders) against the policies; exit 1 on findings."""
    audit_date = as_of.date() if as_of is not None else date.today()
    threshold = Severity(fail_on)
    try:
        result = audit(
            paths, audit_date, policy_paths, _limits(max_file_size, max_depth, max_aliases)
        )
    except InputError as error:
        _fail_input(error)
    renderer = render_json if output_format == "json" else render_text
    click.echo(renderer(result, threshold), nl=False)
    sys.exit(EXIT_FINDINGS if result.failing(threshold) else EXIT_OK)


@cli.command()
@_common
def validate(paths: tuple[str, ...], max_file_size: int, max_depth: int, max_aliases: int) -> None:
    """Validate a data map alone: syntax, fields, ids and references."""
    try:
        loaded = _load(paths, _limits(max_file_size, max_depth, max_aliases))
    except InputError as error:
        _fail_input(error)
    data = loaded.data
    click.echo(
        f"{loaded.organisation.name}: valid map of {len(data.parties)} parties, "
        f"{len(data.systems)} systems, {len(data.flows)} flows, "
        f"{len(data.agreements)} agreements in {len(loaded.files)} files."
    )


@cli.command()
@click.option(
    "--policies",
    "for_policies",
    is_flag=True,
    help="Print the JSON Schema of policy files instead of map files.",
)
def schema(for_policies: bool) -> None:
    """Print the JSON Schema of the map format (for editors and validation)."""
    if for_policies:
        from flowaudit.policies.schema import policy_json_schema

        document = policy_json_schema()
    else:
        document = map_json_schema()
    click.echo(json.dumps(document, indent=2, sort_keys=True))


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; turns any unexpected error into exit code 3, not a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="flowaudit")
    except SystemExit:
        raise
    except RecursionError:
        click.echo("flowaudit: input is nested too deeply to process", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as error:  # pragma: no cover - a bug by definition
        click.echo(f"flowaudit: internal error: {type(error).__name__}: {error}", err=True)
        click.echo("Please report this with the input that caused it.", err=True)
        sys.exit(EXIT_INTERNAL)
