"""Malformed Fides manifests are located input errors (issue 11, point 8).

Attack class: a manifest whose values have the wrong kind (``system: 5``, ``egress: 5``, a
declaration that is a string) crashed ``flowaudit import fides`` with exit code 3 on
615741d; now every such value is reported at its line with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run

GOOD_SYSTEM = """\
system:
  - fides_key: crm
    name: CRM
    privacy_declarations:
      - name: Contacts
        data_categories: [user.contact.email]
        data_subjects: [customer]
        data_use: provide.service
"""


def import_manifest(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    folder = tmp_path / "fides"
    folder.mkdir()
    (folder / "manifest.yml").write_text(text, encoding="utf-8")
    result = run(["import", "fides", str(folder), "--out", str(tmp_path / "out.yaml")])
    prefix = str(folder / "manifest.yml")
    lines = [
        line.removeprefix(prefix) for line in result.output.splitlines() if line.startswith(prefix)
    ]
    return result.exit_code, lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("system: 5\n", [":1:1: 'system' must be a list of mappings, not a number"]),
        (
            "organization: {a: 1}\n" + GOOD_SYSTEM,
            [":1:1: 'organization' must be a list of mappings, not a mapping"],
        ),
        (
            "system: [5, crm]\n",
            [
                ":1:10: each 'system' entry must be a mapping",
                ":1:13: each 'system' entry must be a mapping",
            ],
        ),
        (
            GOOD_SYSTEM + "    egress: 5\n",
            [":9:5: 'egress' must be a list of mappings, not a number"],
        ),
        (GOOD_SYSTEM + "    ingress: [crm]\n", [":9:15: each 'ingress' entry must be a mapping"]),
        (
            GOOD_SYSTEM + "    third_country_transfers: USA\n",
            [":9:5: 'third_country_transfers' must be a list of text, not text"],
        ),
        (
            GOOD_SYSTEM.replace("[customer]", "{a: b}"),
            [":7:9: 'data_subjects' must be a list of text, not a mapping"],
        ),
        (
            GOOD_SYSTEM.replace("[user.contact.email]", "[[x]]"),
            [":6:27: each 'data_categories' entry must be text"],
        ),
        (
            GOOD_SYSTEM.replace("name: CRM", "name: [C, R, M]"),
            [":3:5: 'name' must be text, not a list"],
        ),
        (
            GOOD_SYSTEM.replace("fides_key: crm", "fides_key: {x: 1}"),
            [":2:5: 'fides_key' must be text, not a mapping"],
        ),
        (
            GOOD_SYSTEM.replace(
                "      - name: Contacts", "      - just text\n      - name: Contacts"
            ),
            [":5:9: each 'privacy_declarations' entry must be a mapping"],
        ),
        ("- a\n- b\n", [":1:1: a Fides manifest must be a mapping (system:, organization:, ...)"]),
    ],
)
def test_malformed_manifest_values_are_located_input_errors(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    code, lines = import_manifest(tmp_path, text)
    assert code == 2
    assert lines == expected


def test_a_well_formed_manifest_still_imports(tmp_path: Path) -> None:
    code, lines = import_manifest(tmp_path, GOOD_SYSTEM + "    egress: [{fides_key: crm}]\n")
    assert (code, lines) == (0, [])
