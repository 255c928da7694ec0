"""``flowaudit init``: a commented starter map for a new organisation, or a copy of a shipped
example (the work is flowaudit.app's; see flowaudit/starter.py)."""

from __future__ import annotations

import click

from flowaudit import app
from flowaudit.common import echo_out
from flowaudit.model.schema import Regime
from flowaudit.reports.sanitise import for_terminal
from flowaudit.starter import EXAMPLES


@click.command()
@click.argument("folder", default="data-map", type=click.Path(file_okay=False))
@click.option("--name", default="My Organisation", show_default=True, help="The organisation.")
@click.option("--id", "org_id", help="Its id in the map; default: made from the name.")
@click.option("--country", default="GB", show_default=True, help="ISO 3166-1 alpha-2 code.")
@click.option(
    "--regime",
    type=click.Choice([r.value for r in Regime]),
    help="The law it answers to; default: from the country (GB: UK, EEA: EU, CH: CH).",
)
@click.option(
    "--example",
    type=click.Choice(sorted(EXAMPLES)),
    help="Copy a shipped example map instead (shop: a small UK online shop).",
)
@click.option("--force", is_flag=True, help="Overwrite map files that already exist.")
def init(
    folder: str,
    name: str,
    org_id: str | None,
    country: str,
    regime: str | None,
    example: str | None,
    force: bool,
) -> None:
    """Start a data map in FOLDER (default: data-map): a commented starter map that
    validates and checks as it is, for you to make true. Asks no questions."""
    started = app.init(app.InitRequest(folder, name, org_id, country, regime, example, force))
    shown = for_terminal(started.shown)
    echo_out(
        for_terminal(f"Wrote {started.what} to ")
        + shown
        + f". Next:\n  flowaudit validate {shown}\n  flowaudit check {shown}"
    )
