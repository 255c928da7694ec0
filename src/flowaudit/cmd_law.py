"""``flowaudit law``: print the dated legal table in force on a date (thin: rendering is in
reports/law.py)."""

from __future__ import annotations

from datetime import datetime

import click

from flowaudit import app
from flowaudit.common import DateOption, audit_date, echo_out
from flowaudit.reports.law import render_law_json, render_law_text
from flowaudit.reports.output import write_atomic


@click.command()
@click.option(
    "--as-of",
    "as_of",
    type=DateOption(),
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
    table = app.law(regime, audit_date(as_of))
    text = render_law_json(table) if output_format == "json" else render_law_text(table)
    if out is None:
        echo_out(text, nl=False)
        return
    write_atomic(out, text)
