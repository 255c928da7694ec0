"""A new data map: a commented starter map for a new organisation, or a copy of a shipped
example, written without asking anything, so a new user starts from a map that already
validates and checks (``flowaudit init``, through flowaudit.app)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import yaml

from flowaudit.model.discovery import IGNORE_FILE, display_path
from flowaudit.model.schema import _check_country, map_json_schema
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
EXAMPLES = {"shop": "examples/shop", "school": "examples/school", "concero": "concero"}


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
    # the regulator and the complaints duty as the legal table has them for the regime: an
    # Irish organisation's starter named the ICO and the UK's s.164A duty (auditor review
    # 2026-12-03o, problem 8)
    legal = load_legal_table()
    regulator = legal.jurisdiction(regime).regulator
    duty = legal.duties.get("complaints_procedure")
    if duty is not None and regime in duty.regimes:
        complaints = (
            f"  # complaints_procedure: true  # people can complain to you before {regulator}"
            " (DUAA 2025)"
        )
    else:
        complaints = (
            "  # (complaints_procedure: a duty of "
            + " and ".join(duty.regimes if duty is not None else ["UK"])
            + " law only, not asked of you)"
        )
    text = _regime_comments(text, regime)
    return (
        text.replace("__COMPLAINTS__", complaints)
        .replace("__REGULATOR__", regulator)
        .replace("__QNAME__", json.dumps(name, ensure_ascii=False))
        .replace("__NAME__", " ".join(name.split()))
        .replace("__ID__", org_id)
        .replace("__COUNTRY__", country)
        .replace("__REGIME__", regime)
        .replace("__DIR__", shown)
    )


#: A placeholder line of the starter: its indent and key.
_PLACEHOLDER = re.compile(r"^( *)__([A-Z]+)__$", re.MULTILINE)
#: An example line of the starter's notice_content block: its key and words.
_NOTICE_LINE = re.compile(r"^  #   (\w+): ([^#\n]*?)( +#[^\n]*)?$", re.MULTILINE)


def _regime_comments(text: str, regime: str) -> str:
    """The starter's text with its comments that name law written for ``regime``, from
    starter/comments.yaml (data: a regime's own words where the GDPR's would teach it a law
    that is not its own), and its notice_content block holding the keys that regime's law
    asks (auditor review 2026-12-03p, problems 7 and 8)."""
    source = resources.files("flowaudit.model").joinpath("starter/comments.yaml")
    data: dict[str, dict[str, Any]] = yaml.safe_load(source.read_text(encoding="utf-8"))
    said: dict[str, Any] = {**data["default"], **data.get(regime, {})}
    words: dict[str, str] = said.get("notice_words") or {}

    def placed(match: re.Match[str]) -> str:
        indent, key = match.group(1), match.group(2)
        if key not in said:
            return match.group(0)  # filled later (__COMPLAINTS__, ...)
        return "\n".join(indent + line if line else line for line in said[key].splitlines())

    asked = {
        item.id: item.asked(regime) is not None for item in load_legal_table().bases.notice_items
    }

    def notice(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in asked:
            return match.group(0)
        if not asked[key]:
            return "\x00"  # a key this regime's law does not ask: the line goes
        return f"  #   {key}: {words.get(key, match.group(2))}{match.group(3) or ''}"

    text = _NOTICE_LINE.sub(notice, _PLACEHOLDER.sub(placed, text))
    return text.replace("\x00\n", "")


def example_files(example: str) -> dict[str, str]:
    """The files of a shipped example map, by name."""
    folder = resources.files("flowaudit.model").joinpath(EXAMPLES[example])
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


class InitError(ValueError):
    """A wrong option of ``init``: flowaudit.app raises it as a UsageError."""


def _usage(message: str) -> NoReturn:
    raise InitError(message)


@dataclass(frozen=True)
class InitRequest:
    """Start a map in ``folder``: a starter map for the organisation, or a shipped example."""

    folder: str = "data-map"
    name: str = "My Organisation"
    org_id: str | None = None
    country: str = "GB"
    #: Default: the regime of the jurisdiction the country is in.
    regime: str | None = None
    example: str | None = None
    #: Overwrite map files that already exist.
    force: bool = False


@dataclass(frozen=True)
class Started:
    """What was written, and where (the folder as people read it)."""

    what: str
    shown: str


def start(request: InitRequest) -> Started:
    """Write the map, its JSON Schema for editors and an ignore file; raises InitError."""
    folder, name, example = request.folder, request.name, request.example
    country = request.country.upper()
    try:
        _check_country(country)
    except ValueError as error:
        _usage(f"--country: {error}")
    regime = request.regime or default_regime(country)
    if regime is None:
        _usage(
            f"--regime is needed: {country} is not in the UK, the EEA or Switzerland. Name the "
            "law your processing falls under: UK (or EU) if you offer goods or services to, or "
            "monitor, people in the UK (or the EU), Art. 3(2); you then need a representative "
            "there (Art. 27). See docs/first-map.md, 'An organisation outside the UK, the EEA "
            "and Switzerland'"
        )
    org_id = request.org_id or slug(name)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", org_id):
        _usage(f"--id '{org_id}' is not an id: letters, digits, '_', '.' and '-'")
    shown = display_path(folder)
    files = (
        example_files(example)
        if example
        else {"map.yaml": starter_map(name, org_id, country, str(regime), shown)}
    )
    existing = [n for n in files if os.path.exists(os.path.join(folder, n))]
    if existing and not request.force:
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
    return Started(what, shown)
