"""docs/map-format.md names what a map may hold: every field of every collection in the
collection's row of its table, the kinds of assessment, and the closed vocabularies of the
legal table that no other page lists (review 2026-12-02d, problems 2 and 12)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from pydantic import BaseModel

from flowaudit.model.loader import COLLECTIONS
from flowaudit.model.schema import (
    AgreementKind,
    Art9Kind,
    AssessmentKind,
    CookiePurpose,
    Organisation,
)
from flowaudit.policies.legal import load_legal_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "map-format.md"


def _rows() -> dict[str, str]:
    """What the page says of each collection, by the collection's name: its row of the table
    of collections and its section under "Fields of each collection" (the table's cells held
    every field and note until they were too dense to read: report review s17, problem 6)."""
    rows = {}
    text = DOC.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("| `"):
            rows[line.split("|")[1].strip().strip("`")] = line
    fields = text.split("### Fields of each collection", 1)[1].split("\n## ", 1)[0]
    for section in fields.split("\n#### ")[1:]:
        name = section.split("\n", 1)[0].strip("`")
        assert name in rows, name
        rows[name] += "\n" + section
    return rows


def test_every_field_of_every_collection_is_named_in_its_row() -> None:
    rows = _rows()
    models: dict[str, type[BaseModel]] = {"organisation": Organisation, **COLLECTIONS}
    for name, model in models.items():
        words = set(re.findall(r"\w+", rows[name]))
        for field_name, field in model.model_fields.items():
            assert (field.alias or field_name) in words, (name, field.alias or field_name)


def test_the_kinds_of_assessment_are_named() -> None:
    row = _rows()["assessments"]
    for kind in AssessmentKind:
        assert f"`{kind.value}`" in row, kind


def test_the_closed_vocabularies_no_other_page_lists_are_listed() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Closed vocabularies", 1)[1].split("\n## ", 1)[0]
    vocabulary = load_legal_table().vocabulary()
    listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    # the Art. 9 conditions, agreement kinds, cookie purposes and art9_kind values a newcomer
    # met only in validate's errors (auditor review 2026-12-02f, problem 4): a value added to
    # the legal table or the schema and not here fails this
    assert listed == [
        *vocabulary["art9_condition"],
        *vocabulary["art10_condition"],
        *vocabulary["notice_content"],
        *vocabulary["art14_exemption"],  # DPO review 2026-12-03u, problem 10
        *(kind.value for kind in AgreementKind),
        *(purpose.value for purpose in CookiePurpose),
        *get_args(Art9Kind),
    ]


def test_the_art9_rows_give_the_legal_tables_names_and_sources() -> None:
    text = DOC.read_text(encoding="utf-8")
    for condition in load_legal_table().art9_conditions.values():
        assert f"| `{condition.id}` | {condition.name}" in text, condition.id
        assert f" | {condition.source} |" in text, condition.id


def test_the_uk_extension_flag_names_the_legal_tables_kinds_only() -> None:
    """Auditor review 2026-12-03g, problem 14: the page said every special category needs
    flagged_sensitive under the UK Extension, while the check asks it (rightly, SI 2023/1028
    as the ICO reads it) only for the kinds of the table's sensitive_to_flag. The bullet names
    exactly those kinds, as map values, and no other art9_kind."""
    text = DOC.read_text(encoding="utf-8")
    bullet = text.split("\n- `flagged_sensitive: true` when ", 1)[1].split("\n\n", 1)[0]
    bullet = bullet.split("\n- ", 1)[0]
    listed = load_legal_table().transfers.sensitive_to_flag
    assert listed is not None
    kinds = {*get_args(Art9Kind), "criminal_offence"}
    named = [word for word in re.findall(r"`(\w+)`", bullet) if word in kinds]
    assert sorted(set(named)) == sorted(listed.kinds)
    assert "health and sex life" in bullet and "need no flag" in bullet
