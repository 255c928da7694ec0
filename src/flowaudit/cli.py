"""The command line: thin glue from arguments to model, checks and reports.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 invalid input or usage;
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

__all__ = ["EXIT_FINDINGS", "EXIT_INPUT", "EXIT_OK", "audit", "cli", "fail_input", "main"]

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

import click

from flowaudit import __version__
from flowaudit.checks.baseline import Baseline, compare
from flowaudit.checks.result import AuditResult
from flowaudit.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    audit,
    audit_date,
    audit_options,
    fail_input,
    load,
    map_options,
)
from flowaudit.model.discovery import IGNORE_FILE
from flowaudit.model.gitsource import export_revision
from flowaudit.model.loader import shipped_map_dir
from flowaudit.model.problems import InputError, plural
from flowaudit.model.schema import map_json_schema
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity
from flowaudit.reports.formats import FORMATS
from flowaudit.reports.output import OutputError, sigterm_unwinds, write_atomic
from flowaudit.reports.sanitise import for_terminal
from flowaudit.reports.text import MAX_WIDTH, GroupBy, render_terminal


class _Group(click.Group):
    """The command group; a report that cannot be written (a folder or a device in the way,
    no permission, a full disk) is the user's to fix: a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OutputError as error:
            click.echo(for_terminal(f"flowaudit: {error}"), err=True)
            ctx.exit(EXIT_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flowaudit")
def cli() -> None:
    """Audit personal data flows against a privacy notice and the law.

    With no PATH, the commands read the data map of Concero Technology Services that ships
    with flowaudit.
    """


def _parse_outputs(
    context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    """FORMAT=FILE pairs, refused as a usage error (exit 2) when malformed."""
    pairs: list[tuple[str, str]] = []
    for value in values:
        name, _, target = value.partition("=")
        if name not in FORMATS or not target:
            raise click.BadParameter(
                f"'{value}' is not FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}"
            )
        pairs.append((name, target))
    return pairs


@cli.command()
@map_options
@audit_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*FORMATS, "auto"]),
    default="text",
    show_default=True,
    help="What to print; auto is github under GitHub Actions, else text.",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT=FILE",
    callback=_parse_outputs,
    help="Also write FORMAT to FILE (repeatable), e.g. --output sarif=flowaudit.sarif.",
)
@click.option(
    "--group-by",
    type=click.Choice(["severity", "rule", "flow"]),
    default=None,
    help="Text for a person: findings grouped under headings, wrapped to 100 columns "
    "(the default on a terminal, by severity).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Text: counts per rule and severity and the worst elements instead of every finding.",
)
@click.option(
    "--base",
    "base_ref",
    metavar="GIT_REF",
    help="Fail only on findings that are new since the map at this git revision.",
)
def check(
    paths: tuple[str, ...],
    limits: Limits,
    as_of: Any,
    fail_on: str,
    policy_paths: tuple[str, ...],
    output_format: str,
    outputs: list[tuple[str, str]],
    group_by: GroupBy | None,
    summary: bool,
    base_ref: str | None,
) -> None:
    """Check a data map (files or folders) against the policies; exit 1 on findings."""
    threshold = Severity(fail_on)
    try:
        result = audit(paths, audit_date(as_of), policy_paths, limits)
        baseline = _baseline(base_ref, paths, result, policy_paths, limits)
    except InputError as error:
        fail_input(error)
    if output_format == "auto":
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    for name, target in outputs:
        write_atomic(target, FORMATS[name](result, threshold))
    click.echo(_printed(output_format, result, threshold, group_by, summary), nl=False)
    if baseline is not None:
        new = baseline.failing(threshold)
        click.echo(
            f"Against {for_terminal(base_ref)}: {plural(len(baseline.new), 'new finding')} "
            f"({len(new)} at or above {threshold.value}), {len(baseline.fixed)} fixed.",
            err=True,
        )
        sys.exit(EXIT_FINDINGS if new else EXIT_OK)
    sys.exit(EXIT_FINDINGS if result.failing(threshold) else EXIT_OK)


def _printed(
    output_format: str,
    result: AuditResult,
    threshold: Severity,
    group_by: GroupBy | None,
    summary: bool,
) -> str:
    """What check prints: the format asked for; text for a person on a terminal, or when
    --group-by or --summary asks for it, grouped, wrapped and (unless NO_COLOR) coloured."""
    on_terminal = sys.stdout.isatty()
    if output_format != "text" or not (on_terminal or group_by or summary):
        return FORMATS[output_format](result, threshold)
    return render_terminal(
        result,
        threshold,
        group_by=group_by or "severity",
        summary=summary,
        width=shutil.get_terminal_size((MAX_WIDTH, 24)).columns if on_terminal else MAX_WIDTH,
        colour=on_terminal and not os.environ.get("NO_COLOR"),
    )


def _baseline(
    ref: str | None,
    paths: Sequence[str],
    head: AuditResult,
    policy_paths: Sequence[str],
    limits: Limits,
) -> Baseline | None:
    """The comparison with the same map at a git revision, or None without --base."""
    if ref is None:
        return None
    with sigterm_unwinds(), tempfile.TemporaryDirectory(prefix="flowaudit-base-") as folder:
        files = export_revision(ref, list(paths) or [str(shipped_map_dir())], folder)
        base = audit(files, head.as_of, policy_paths, limits)
    return compare(base, head)


@cli.command()
@map_options
def validate(paths: tuple[str, ...], limits: Limits) -> None:
    """Validate a data map alone: syntax, fields, ids and references."""
    try:
        loaded = load(paths, limits)
    except InputError as error:
        fail_input(error)
    data = loaded.data
    # The fingerprint counts .flowauditignore too (it shapes what is read); it holds no data.
    map_files = [f for f in loaded.files if os.path.basename(f.path) != IGNORE_FILE]
    click.echo(
        f"{for_terminal(loaded.organisation.name)}: valid map of "
        f"{plural(len(data.parties), 'party', 'parties')}, "
        f"{plural(len(data.systems), 'system')}, {plural(len(data.flows), 'flow')}, "
        f"{plural(len(data.agreements), 'agreement')} in {plural(len(map_files), 'file')}."
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
        message = f"flowaudit: internal error: {type(error).__name__}: {error}"
        click.echo(for_terminal(message), err=True)
        click.echo("Please report this with the input that caused it.", err=True)
        sys.exit(EXIT_INTERNAL)


from flowaudit.cmd_rules import explain, rules  # noqa: E402 - commands register after the group

cli.add_command(rules)
cli.add_command(explain)

from flowaudit.cmd_report import report  # noqa: E402

cli.add_command(report)

from flowaudit.cmd_ci import diff, import_group  # noqa: E402

cli.add_command(diff)
cli.add_command(import_group)

from flowaudit.cmd_dpo import diagram, ropa, trace  # noqa: E402 - commands import cli helpers
from flowaudit.cmd_init import init  # noqa: E402

cli.add_command(init)
cli.add_command(diagram)
cli.add_command(trace)
cli.add_command(ropa)
