"""Newcomer review s20: a dental practice group's DPO writes a map from the docs alone.

Part 1: docs/map-format.md listed the 34 flow fields (and every other collection's) on one
line with no meaning beside each; each field now has a row (meaning, values, example)
generated from the map's JSON Schema, so the page and the editors' hover help say the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowaudit import field_reference
from flowaudit.cli import cli
from flowaudit.model.schema import map_json_schema

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "map-format.md"


def _block(text: str, section: str) -> str:
    """The generated block of one section of the page."""
    block = text.split(f"<!-- fields:{section} ", 1)[1]
    return block.split(f"<!-- /fields:{section} -->", 1)[0]


def _rows(text: str) -> dict[tuple[str, str], list[str]]:
    """Each generated row of the page, by (table, field): its three cells after the field's
    name. A section's tables come in the order of field_reference.SECTIONS."""
    rows: dict[tuple[str, str], list[str]] = {}
    for section, tables in field_reference.SECTIONS.items():
        parts = _block(text, section).split("| field | meaning | values | example |")[1:]
        assert len(parts) == len(tables), section
        for (table, _definition), part in zip(tables, parts, strict=True):
            for line in part.splitlines():
                match = re.match(r"^\| `(\w+)`(?: \(required\))? \| (.*) \|$", line)
                if match:
                    rows[(table, match.group(1))] = re.split(r"(?<!\\) \| ", match.group(2))
    return rows


def test_the_page_is_the_schema() -> None:
    """The page's tables are what the schema generates: a description changed in the model
    and not regenerated into the page (nox -s docs) fails here."""
    text = DOC.read_text(encoding="utf-8")
    assert field_reference.update(text) == text, (
        "docs/map-format.md's field tables are stale: run "
        "`flowaudit schema --format md --update docs/map-format.md` (or nox -s docs)"
    )


def test_every_field_has_a_meaning_values_and_an_example_on_the_page() -> None:
    """Every property of every definition of the schema that a section holds is a row with
    the schema's description as its meaning, a values cell and an example."""
    schema = map_json_schema()
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    rows = _rows(DOC.read_text(encoding="utf-8"))
    seen = 0
    for tables in field_reference.SECTIONS.values():
        for table, definition in tables:
            for name, spec in defs[definition]["properties"].items():
                assert spec.get("description"), f"{definition}.{name} has no description"
                meaning, values, example = rows[(table, name)]
                assert meaning.replace("\\|", "|") == spec["description"], (definition, name)
                assert values and example.startswith("`"), (definition, name)
                seen += 1
    assert seen > 150
    flows = {name for (table, name) in rows if table == "flows"}
    assert {"recipient_role", "on_behalf_of", "recognised_condition", "channel"} <= flows


def test_the_rows_a_newcomer_needed_say_what_to_write() -> None:
    rows = _rows(DOC.read_text(encoding="utf-8"))
    meaning, values, example = rows[("flows", "basis")]
    assert meaning == "Art. 6(1) lawful basis, e.g. contract, consent."
    assert values == (
        "one of the legal table's lawful bases: `consent`, `contract`, `legal_obligation`, "
        "`vital_interests`, `public_task`, `legitimate_interests`, "
        "`recognised_legitimate_interests`"
    )
    assert example == "`contract`"
    assert rows[("flows", "channel")][1] == (
        "one of `email`, `sms`, `voicemail`, `automated_call`, `fax`, `live_call`, `post`, "
        "`in_person`"
    )
    assert rows[("flows", "categories")][1] == (
        "a list of 1 or more, each a category id: lower-case words joined by `.`"
    )
    assert rows[("flows", "occasional")][1] == "`true` or `false`; unsaid: `false`"
    assert "`idta`" in rows[("flows", "transfer_mechanism")][1]
    assert rows[("flows", "derogation")][1].startswith("one of the Art. 49(1) grounds: ")
    assert rows[("flows", "notice")][1] == "a clause id of the organisation's `notice_clauses`"
    assert rows[("contact", "country")][1].startswith("an ISO 3166-1 alpha-2 country code")
    assert rows[("organisation", "dpo")][1] == "a mapping: the `contact` table below"
    assert rows[("parties", "contact")][1] == (
        "a mapping: the `contact` table under [`organisation`](#fields-organisation)"
    )
    assert rows[("subjects", "min_age")][1] == "a whole number from 0 to 130"
    # an example is written as the map writes it: text YAML would read as a number is quoted
    assert rows[("organisation", "record_version")][2] == '`"2.1"`'


def test_a_field_without_a_description_fails_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = map_json_schema()
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    del defs["Flow"]["properties"]["channel"]["description"]
    monkeypatch.setattr(field_reference, "map_json_schema", lambda: schema)
    with pytest.raises(KeyError, match="description"):
        field_reference.field_tables()


def test_schema_format_md_prints_and_updates(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["schema", "--format", "md"])
    assert printed.exit_code == 0
    assert printed.output.startswith(
        "#### `organisation`\n\n| field | meaning | values | example |"
    )
    assert "\n#### `flows`\n" in printed.output
    page = tmp_path / "page.md"
    page.write_text("# A page without the markers\n", encoding="utf-8")
    refused = runner.invoke(cli, ["schema", "--format", "md", "--update", str(page)])
    assert refused.exit_code == 2
    assert "page.md: the page has no <!-- fields:organisation (generated" in refused.output
    both = runner.invoke(cli, ["schema", "--policies", "--format", "md"])
    assert both.exit_code == 2
    assert "--format md and --update are for the map's schema only" in both.output
