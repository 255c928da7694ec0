"""``flowaudit law``: print the dated legal table in force on a date (thin: rendering is in
reports/law.py)."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from flowaudit.common import EXIT_INPUT, audit_date
from flowaudit.policies.legal import load_legal_table
from flowaudit.reports.law import law_in_force, render_law_json, render_law_text
from flowaudit.reports.output import write_atomic


@click.command()
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date (YYYY-MM-DD); default today.",
)
@click.option(
    "--regime",
    type=click.Choice(["UK", "EU", "CH"]),
    default="UK",
    show_default=True,
    help="Whose exporters and controllers.",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def law(as_of: datetime | None, regime: str, output_format: str, out: str | None) -> None:
    """Print the legal table in force on a date, each row with its source."""
    table = law_in_force(load_legal_table(), regime, audit_date(as_of))
    text = render_law_json(table) if output_format == "json" else render_law_text(table)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(out, text)
    except OSError as error:
        click.echo(f"flowaudit: cannot write {out}: {error.strerror or error}", err=True)
        sys.exit(EXIT_INPUT)
