"""``flowaudit init``: a commented starter map for a new organisation, or a copy of a shipped
example, written without asking anything, so a new user starts from a map that already
validates and checks."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import NoReturn

import click

from flowaudit.app import UsageError
from flowaudit.model.discovery import IGNORE_FILE, display_path
from flowaudit.model.schema import Regime, _check_country, map_json_schema
from flowaudit.policies.legal import load_legal_table
from flowaudit.reports.output import write_atomic

#: Where init puts the JSON Schema, so editors give hover help offline; a subfolder that the
#: .flowauditignore init writes keeps out of the map.
SCHEMA_FILE = ".schema/map.schema.json"
#: Every .json file in a map folder is read as map data, hidden folders too (hiding a file
#: must not hide its flows); the schema for editors is named here so it is not.
IGNORE_TEXT = (
    "# Files in this folder that are not map data (gitignore syntax). Every other .yaml, .yml\n"
    "# and .json file here, in any subfolder, is read as part of the map.\n"
    ".schema/\n"
)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=\S+$", re.MULTILINE)

#: Shipped example maps, by the name ``--example`` takes.
EXAMPLES = {"shop": "examples/shop", "concero": "concero"}


def slug(name: str) -> str:
    """An id from a name: lowercase words joined by hyphens (``Acme Ltd`` -> ``acme-ltd``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.casefold())
    return "-".join(words)[:60].strip("-") or "organisation"


def default_regime(country: str) -> str | None:
    """The regime of the jurisdiction the legal table puts ``country`` in, if any."""
    return load_legal_table().jurisdiction_of_country.get(country)


def starter_map(name: str, org_id: str, country: str, regime: str, folder: str) -> str:
    """The starter map's text for one organisation (values quoted as YAML needs)."""
    template = resources.files("flowaudit.model").joinpath("starter/map.yaml")
    text = template.read_text(encoding="utf-8")
    shown = " ".join(folder.split()) or "."
    return (
        text.replace("__QNAME__", json.dumps(name, ensure_ascii=False))
        .replace("__NAME__", " ".join(name.split()))
        .replace("__ID__", org_id)
        .replace("__COUNTRY__", country)
        .replace("__REGIME__", regime)
        .replace("__DIR__", shown)
    )


def example_files(example: str) -> dict[str, str]:
    """The files of a shipped example map, by name."""
    folder = resources.files("flowaudit.model").joinpath(EXAMPLES[example])
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


def _usage(message: str) -> NoReturn:
    raise UsageError(message, "flowaudit init")


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
    country = country.upper()
    try:
        _check_country(country)
    except ValueError as error:
        _usage(f"--country: {error}")
    regime = regime or default_regime(country)
    if regime is None:
        _usage(f"--regime is needed: {country} is not in the UK, the EEA or Switzerland")
    org_id = org_id or slug(name)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", org_id):
        _usage(f"--id '{org_id}' is not an id: letters, digits, '_', '.' and '-'")
    shown = display_path(folder)
    files = (
        example_files(example)
        if example
        else {"map.yaml": starter_map(name, org_id, country, str(regime), shown)}
    )
    existing = [n for n in files if os.path.exists(os.path.join(folder, n))]
    if existing and not force:
        _usage(
            f"{', '.join(os.path.join(shown, n) for n in existing)} already exists; "
            "nothing was written (--force overwrites)"
        )
    modeline = f"# yaml-language-server: $schema={SCHEMA_FILE}"
    try:
        for file_name, text in files.items():
            write_atomic(Path(folder) / file_name, MODELINE.sub(modeline, text))
        schema = json.dumps(map_json_schema(), indent=2, sort_keys=True) + "\n"
        write_atomic(Path(folder) / SCHEMA_FILE, schema)
        ignore = Path(folder) / IGNORE_FILE
        if not ignore.exists():
            write_atomic(ignore, IGNORE_TEXT)
    except OSError as error:
        _usage(f"cannot write to {shown}: {error.strerror or error}")
    what = (
        f"the {example} example map" if example else f"a starter map for {' '.join(name.split())}"
    )
    click.echo(f"Wrote {what} to {shown}. Next:")
    click.echo(f"  flowaudit validate {shown}")
    click.echo(f"  flowaudit check {shown}")
