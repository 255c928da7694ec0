"""``flowaudit diff``: judge a change by what it adds, not by old debt."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click
from click.core import ParameterSource

from flowaudit import app
from flowaudit.common import REQUIRE_POLICY_OPTION, audit_date, audit_options, echo_out
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity
from flowaudit.reports.diff_report import render_diff_json, render_diff_text
from flowaudit.reports.sanitise import for_terminal


@click.command()
@click.argument("base", type=click.Path())
@click.argument("head", type=click.Path())
@audit_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--base-policies",
    "base_policy_paths",
    multiple=True,
    type=click.Path(),
    help="The policy files BASE was audited with (repeatable); default: the --policies.",
)
@REQUIRE_POLICY_OPTION
@click.option(
    "--accept-change",
    "accepted_changes",
    multiple=True,
    metavar="ID",
    help="A change to review that a reviewer accepted, by its id as printed "
    "(KIND:SUBJECT.DIGEST: the digest is of what the change says and of the map and "
    "policy files it was read in; repeatable).",
)
@click.option(
    "--accept-reviewed-changes",
    is_flag=True,
    help="Every change to review was reviewed; only new findings fail.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The gate's settings file (require_policies, fail_on) for both sides; default "
    ".flowaudit.toml at the root of each side's git repository, when it exists. A change to "
    "it between BASE and HEAD is a change to review.",
)
def diff(
    base: str,
    head: str,
    as_of: Any,
    fail_on: str,
    policy_paths: tuple[str, ...],
    output_format: str,
    base_policy_paths: tuple[str, ...],
    required_policies: tuple[str, ...],
    accepted_changes: tuple[str, ...],
    accept_reviewed_changes: bool,
    config_path: str | None,
) -> None:
    """Compare two maps: elements added, removed, changed; findings new and gone; changes
    to review (rules, waivers, policy selection, signatures).

    Each side is audited by its own map, waivers, policy selection and settings file
    (.flowaudit.toml, as check reads it; BASE by --base-policies when given). Exits 1 when
    HEAD adds a finding at or above --fail-on or a change to review that was not accepted.
    """
    given = click.get_current_context().get_parameter_source("fail_on")
    outcome = app.diff(
        app.DiffRequest(
            base,
            head,
            audit_date(as_of),
            Severity(fail_on),
            policy_paths,
            base_policy_paths,
            required_policies,
            accept_reviewed_changes or accepted_changes,
            config_path=config_path,
            fail_on_given=given is not ParameterSource.DEFAULT,
        )
    )
    render = render_diff_json if output_format == "json" else render_diff_text
    echo_out(render(outcome.changes, outcome.baseline, outcome.threshold), nl=False)
    sys.exit(outcome.exit_code)


#: Notes printed on standard error; the rest are in the written map's header. A
#: 1,000-system Fides export gave 5,000 notes, which buried the one line that said where
#: the map was written.
NOTES_SHOWN = 20


def _say_notes(notes: Sequence[str], out_file: str) -> None:
    """What the import could not carry over, on standard error (the first NOTES_SHOWN; all
    of them head the written map)."""
    for note in notes[:NOTES_SHOWN]:
        click.echo(f"note: {for_terminal(note)}", err=True)
    if len(notes) > NOTES_SHOWN:
        more = len(notes) - NOTES_SHOWN
        click.echo(
            f"note: ... and {more} more, all listed at the top of {for_terminal(out_file)}",
            err=True,
        )


@click.group(name="import")
def import_group() -> None:
    """Bring a data map in from another tool."""


@import_group.command(name="fides")
@click.argument("folder", type=click.Path())
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    default="fides-map.yaml",
    show_default=True,
    help="Where to write the flowaudit map.",
)
@click.option(
    "--country",
    default="GB",
    show_default=True,
    help="ISO country of the organisation (Fides manifests do not record it).",
)
@click.option("--regime", type=click.Choice(["UK", "EU", "CH"]), default="UK", show_default=True)
def import_fides_command(folder: str, out_file: str, country: str, regime: str) -> None:
    """Convert Fides manifests (systems, privacy declarations, egress/ingress) to a map."""
    imported = app.import_fides(folder, out_file, country, regime)
    _say_notes(imported.notes, out_file)
    echo_out(
        f"wrote {for_terminal(out_file)}: "
        f"{plural(len(imported.data['parties']), 'party', 'parties')}, "
        f"{plural(len(imported.data['systems']), 'system')}, "
        f"{plural(len(imported.data['flows']), 'flow')}"
    )


@import_group.command(name="ropa")
@click.argument("file", type=click.Path())
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    default="ropa-map.yaml",
    show_default=True,
    help="Where to write the flowaudit map.",
)
@click.option("--country", help="ISO country of the organisation, if the record has none.")
@click.option("--regime", type=click.Choice(["UK", "EU", "CH"]), help="Likewise, its regime.")
def import_ropa_command(file: str, out_file: str, country: str | None, regime: str | None) -> None:
    """Convert a record of processing (xlsx in the ICO layout, or CSV) to a map, noting
    every cell it could not carry over."""
    imported = app.import_ropa(file, out_file, country, regime)
    _say_notes(imported.notes, out_file)
    data = imported.data
    echo_out(
        f"wrote {for_terminal(out_file)}: {plural(len(data['purposes']), 'purpose')}, "
        f"{plural(len(data['parties']), 'party', 'parties')}, "
        f"{plural(len(data['flows']), 'flow')}; "
        f"{plural(len(imported.notes), 'cell')} not carried over"
    )
