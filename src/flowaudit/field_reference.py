"""The field reference of docs/map-format.md, generated from the map's JSON Schema.

Every field of every collection (and of the mappings inside them: a breach procedure, a
contact, a cookie, a flow's ``may_carry``) is one row: its meaning (the schema's description,
which editors show on hover), the values it takes (the schema's type, enum and bounds, or the
legal table's closed vocabulary) and an example (the schema's). The page keeps each table
between markers (``<!-- fields:NAME -->`` ... ``<!-- /fields:NAME -->``), which
``flowaudit schema --format md --update docs/map-format.md`` rewrites; a test fails when
the page and the schema differ, so the doc and the editors' hover help say the same thing
(newcomer review s20: the page listed the 34 flow fields on one line, none with a meaning).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from flowaudit.model.schema import map_json_schema
from flowaudit.policies.legal import LegalTable, load_legal_table

#: The tables of each section of the page: the section's collection, then (table name,
#: schema definition) pairs, the collection's own first.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    "organisation": [
        ("organisation", "Organisation"),
        ("breach_procedure", "BreachProcedure"),
        ("contact", "Contact"),
        ("notice_content", "NoticeStatement"),
        ("lacks_since", "DatedLack"),
    ],
    "parties": [("parties", "Party")],
    "systems": [("systems", "System"), ("cookies", "Cookie")],
    "categories": [("categories", "DataCategory")],
    "subjects": [("subjects", "DataSubject")],
    "purposes": [("purposes", "Purpose")],
    "flows": [("flows", "Flow"), ("may_carry", "MayCarry")],
    "agreements": [("agreements", "Agreement")],
    "consent_records": [("consent_records", "ConsentRecord")],
    "assessments": [("assessments", "Assessment")],
    "waivers": [("waivers", "Waiver")],
}

#: What a nested table is, said above it.
_NESTED_INTRO = {
    "breach_procedure": "`breach_procedure` on the organisation is a mapping of these fields:",
    "contact": (
        "`contact`, `dpo` and `representative` on the organisation (and `contact` on a party) "
        "are each a mapping of these fields:"
    ),
    "notice_content": (
        "Each value of `notice_content` (keyed by the Art. 13/14 items of [closed "
        "vocabularies](#closed-vocabularies)) is the notice's words as text, `null` where it "
        "is silent, or, where it covers the item only in part, a mapping of these fields:"
    ),
    "lacks_since": "Each item of a `notice_content` value's `lacks_since` is a mapping of:",
    "cookies": "Each item of a system's `cookies` is a mapping of these fields:",
    "may_carry": "A flow's `may_carry` is a mapping of these fields:",
}

_ID = "^[A-Za-z0-9][A-Za-z0-9_.\\-]*$"
_COOKIE_ID = "^[A-Za-z0-9_][A-Za-z0-9_.\\-]*$"
_CATEGORY = "^[a-z0-9_]+(\\.[a-z0-9_]+)*$"
_KIND = "^[a-z][a-z0-9_]*$"
_ELEMENT = "^[a-z_]+/[A-Za-z0-9][A-Za-z0-9_.\\-]*$"
_SAYS_SOMETHING = "\\S"


def _vocabularies(legal: LegalTable) -> dict[tuple[str, str], tuple[str, Collection[str]]]:
    """The fields whose values are a closed list of the legal table (or of the law's
    purposes), by (schema definition, field): what the list is, and its ids."""
    vocabulary = legal.vocabulary()
    grounds = [
        ground.id
        for mechanism in legal.transfers.mechanisms
        if mechanism.id == "art49_derogation"
        for ground in mechanism.grounds
    ]
    mechanisms = ("the legal table's transfer mechanisms", vocabulary["transfer_mechanism"])
    listings = ("the legal table's self-certification lists", vocabulary["listed_under"])
    return {
        ("Flow", "basis"): ("the legal table's lawful bases", list(legal.lawful_bases)),
        ("Flow", "transfer_mechanism"): mechanisms,
        ("Flow", "notice_mechanisms"): mechanisms,
        ("Flow", "art9_condition"): ("the Art. 9(2) conditions", vocabulary["art9_condition"]),
        ("Flow", "art10_condition"): ("the Art. 10 conditions", vocabulary["art10_condition"]),
        ("Flow", "recognised_condition"): (
            "the Annex 1 conditions",
            vocabulary["recognised_condition"],
        ),
        ("Flow", "art14_exemption"): ("the Art. 14(5) grounds", vocabulary["art14_exemption"]),
        ("Flow", "derogation"): ("the Art. 49(1) grounds", grounds),
        ("Party", "listed_under"): listings,
        ("Organisation", "listed_under"): listings,
        ("Purpose", "is_a"): (
            "purposes the map declares, or the law's tables'",
            vocabulary["law_purposes"],
        ),
    }


def _non_null(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """The spec of a field's value, without the ``null`` an optional field also takes."""
    options = [o for o in spec.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        return {**spec, **options[0]}
    return spec


def _where(definition: str, nested: str) -> str:
    """Where the table of a nested mapping's fields is: below, or in another section."""
    for section, tables in SECTIONS.items():
        for table, table_definition in tables:
            if table_definition == nested:
                if any(d == definition for _, d in tables):
                    return f"the `{table}` table below"
                anchor = section.replace("_", "-")
                return f"the `{table}` table under [`{section}`](#fields-{anchor})"
    raise KeyError(nested)  # pragma: no cover - every nested definition has a table


def _codes(values: Collection[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _values(
    definition: str,
    name: str,
    spec: Mapping[str, Any],
    defs: Mapping[str, Any],
    vocabularies: Mapping[tuple[str, str], tuple[str, Collection[str]]],
) -> str:
    """What a field takes, in words, from its schema (and the legal table's lists)."""
    if (definition, name) in vocabularies:
        what, ids = vocabularies[(definition, name)]
        return f"{'a list of' if spec.get('type') == 'array' else 'one of'} {what}: {_codes(ids)}"
    spec = _non_null(spec)
    if "$ref" in spec:
        target_name = spec["$ref"].rsplit("/", 1)[1]
        target = defs[target_name]
        if "enum" in target:
            return f"one of {_codes(target['enum'])}"
        return f"a mapping: {_where(definition, target_name)}"
    if name == "notice" and spec.get("type") == "string":
        return "a clause id of the organisation's `notice_clauses`"
    if "enum" in spec:
        return f"one of {_codes(spec['enum'])}"
    kind = spec.get("type")
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "integer":
        low, high = spec.get("minimum"), spec.get("maximum")
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        return "a whole number" + (f" of {low} or more" if low is not None else "")
    if kind == "array":
        items = spec.get("items", {})
        if "$ref" in items:
            return f"a list of mappings: {_where(definition, items['$ref'].rsplit('/', 1)[1])}"
        item = _values(definition, name, items, defs, vocabularies)
        least = spec.get("minItems")
        return (f"a list of {least} or more, each " if least else "a list, each ") + item
    if kind == "object":
        keys = spec.get("propertyNames", {}).get("enum")
        if keys:
            return f"a mapping from {_codes(keys)} to text that says why"
        return "a mapping from each item of [closed vocabularies](#closed-vocabularies) to text"
    if spec.get("format") == "date":
        return "a date, `YYYY-MM-DD`"
    if name in ("country", "countries"):
        return "an ISO 3166-1 alpha-2 country code (`GB`, not `UK`)"
    pattern = spec.get("pattern")
    return {
        _ID: "an id: letters, digits, `_`, `.`, `-`",
        _COOKIE_ID: "the cookie's name: letters, digits, `_`, `.`, `-`",
        _CATEGORY: "a category id: lower-case words joined by `.`",
        _KIND: "a lower-case word: `a`-`z`, `0`-`9`, `_`",
        _ELEMENT: "`collection/id`, as a finding prints it",
        _SAYS_SOMETHING: "text that says something (not blank, not `none`, `n/a`, `tbd`)",
    }.get(pattern or "", "text")


def _yaml(value: object) -> str:
    """An example value as it is written in a map file (YAML flow style)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_yaml(item)}" for key, item in value.items()) + "}"
    text = str(value)
    return (
        json.dumps(text) if _NEEDS_QUOTES.search(text) or _PLAIN_NOT_TEXT.fullmatch(text) else text
    )


#: Text that a YAML flow-style plain scalar cannot hold as written.
_NEEDS_QUOTES = re.compile(r",|: |:$| #|[{}\[\]]|^[\s\-?:&*!|>'\"%@`#]|\s$")
#: Text that YAML 1.2's core schema reads as something else (a number, a flag, null).
_PLAIN_NOT_TEXT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(
    definition: str,
    defs: Mapping[str, Any],
    vocabularies: Mapping[tuple[str, str], tuple[str, Collection[str]]],
) -> str:
    schema = defs[definition]
    required = set(schema.get("required", []))
    rows = ["| field | meaning | values | example |", "|---|---|---|---|"]
    for name, spec in schema["properties"].items():
        field = f"`{name}` (required)" if name in required else f"`{name}`"
        default = spec.get("default")
        values = _values(definition, name, spec, defs, vocabularies)
        if default not in (None, [], {}) and name not in required:
            values += f"; unsaid: `{_yaml(default)}`"
        example = "`" + _yaml(spec["examples"][0]).replace("`", "'") + "`"
        if not spec.get("description"):
            raise KeyError(
                f"{definition}.{name} has no description: give it one in model/schema.py"
            )
        rows.append(
            f"| {field} | {_cell(spec['description'])} | {_cell(values)} | {_cell(example)} |"
        )
    return "\n".join(rows)


def field_tables(legal: LegalTable | None = None) -> dict[str, str]:
    """Each section's generated text, by the section's collection name."""
    schema = map_json_schema()
    defs: Mapping[str, Any] = schema["$defs"]  # type: ignore[assignment]
    vocabularies = _vocabularies(legal or load_legal_table())
    sections = {}
    for section, tables in SECTIONS.items():
        parts = []
        for name, definition in tables:
            if name in _NESTED_INTRO:
                parts.append(_NESTED_INTRO[name])
            parts.append(_table(definition, defs, vocabularies))
        sections[section] = "\n\n".join(parts)
    return sections


def markdown() -> str:
    """Every section's tables, each under its collection's heading."""
    return "\n\n".join(f"#### `{name}`\n\n{text}" for name, text in field_tables().items()) + "\n"


def _marker(name: str) -> tuple[str, str]:
    return (
        f"<!-- fields:{name} (generated from the schema by `flowaudit schema --format md "
        f"--update docs/map-format.md`: edit the descriptions in model/schema.py) -->",
        f"<!-- /fields:{name} -->",
    )


def update(text: str, tables: Callable[[], dict[str, str]] = field_tables) -> str:
    """The page with each section's tables replaced by the schema's; a section whose markers
    are missing is an error naming them, so a page cannot silently lose a table."""
    for name, body in tables().items():
        start, end = _marker(name)
        if start not in text or end not in text:
            raise ValueError(f"the page has no {start} ... {end} block for '{name}'")
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = f"{before}{start}\n{body}\n{end}{after}"
    return text
