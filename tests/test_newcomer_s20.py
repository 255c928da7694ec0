"""Newcomer review s20: a dental practice group's DPO writes a map from the docs alone.

Part 1: docs/map-format.md listed the 34 flow fields (and every other collection's) on one
line with no meaning beside each; each field now has a row (meaning, values, example)
generated from the map's JSON Schema, so the page and the editors' hover help say the same.
"""

from __future__ import annotations

import json
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


# --- Part 2: the dental group's map, and what tripped its DPO ---------------------------------

FIXTURE = ROOT / "tests" / "fixtures" / "newcomer_s20"
AS_OF = "2026-12-04"


def _check(*args: str) -> tuple[int, list[tuple[str, str, str, str, int]], dict[str, object]]:
    """check's exit code, its findings as (rule, code, element, file name, line) and the
    summary, as JSON."""
    from tests.helpers import run

    result = run(["check", *args, "--as-of", AS_OF, "--format", "json"])
    document = json.loads(result.output)
    findings = [
        (
            f["rule_id"],
            f["code"],
            f"{f['element']['collection']}/{f['element']['id']}",
            Path(f["location"]["file"]).name,
            f["location"]["line"],
        )
        for f in document["findings"]
        if not f["waiver"]
    ]
    return result.exit_code, findings, document["summary"]


def test_the_dental_map_as_written_gets_exactly_these_findings() -> None:
    """The map a dental group's DPO wrote from the docs (31 flows in nine files, a house
    policy of three rules and an override): eleven findings (twelve before lawyer review s21
    set the backup aside), each one read and signed in the
    review (fix-newcomer-s20.md), none of them about the debt collector the group engaged
    itself, which its billing bureau sends unpaid invoices to."""
    code, findings, summary = _check(str(FIXTURE / "map"), "--policies", str(FIXTURE / "policies"))
    assert code == 1
    assert sorted(findings) == sorted(
        [
            ("DENT-ENCRYPTED", "inbound-transit-unknown", "flows/gp-medical-history",
             "flows-patients.yaml", 47),
            ("DENT-ENCRYPTED", "rest-plain", "systems/cctv-recorder", "systems.yaml", 49),
            ("GDPR-AGREEMENT", "wrong-parties", "flows/billing-results", "flows-money.yaml", 23),
            ("DENT-ENCRYPTED", "transit-unknown", "flows/cctv-recording",
             "flows-premises-staff.yaml", 3),
            ("DENT-HEALTH-ABROAD", "false", "flows/billing-outsourced", "flows-money.yaml", 2),
            ("DENT-HEALTH-ABROAD", "false", "flows/gp-medical-history", "flows-patients.yaml", 47),
            ("DENT-HEALTH-ABROAD", "false", "flows/nhs-patient-records", "flows-patients.yaml", 3),
            ("DENT-HEALTH-ABROAD", "false", "flows/private-patient-records",
             "flows-patients.yaml", 15),
            ("GDPR-TRANSFER", "data-protection-test-not-recorded", "flows/billing-outsourced",
             "flows-money.yaml", 13),
            ("GDPR-AGREEMENT", "sharing-missing", "flows/hospital-referrals",
             "flows-patients.yaml", 81),
            ("GDPR-AGREEMENT", "sharing-draft", "flows/payment-plan-enrolment",
             "flows-money.yaml", 43),
        ]
    )  # fmt: skip
    # the backup's HIGH GDPR-ART9 is gone: it rests on Art. 9(2)(h), which the group's own
    # flows of health data for dental care name (lawyer review s21, problem 3)
    assert summary["by_severity"] == {"critical": 0, "high": 3, "medium": 6, "low": 2, "info": 0}
    assert not [f for f in findings if f[2] == "flows/debt-recovery"]


def test_the_dental_map_fixed_as_its_findings_said_passes() -> None:
    """Each finding's own fix applied (fixture 'fixed'): PASS, exit 0, the two accepted risks
    waived on the record."""
    code, findings, summary = _check(
        str(FIXTURE / "fixed"), "--policies", str(FIXTURE / "policies")
    )
    assert (code, findings, summary["waived"]) == (0, [], 2)


PROCESSORS = """\
organisation: {id: dent, name: Dent Ltd, country: GB, regime: UK, notice: PN, notice_clauses: [PN]}
parties:
  - {id: bureau, name: Bill Bureau Pvt Ltd, kind: billing, country: GB, role: processor}
  - {id: collector, name: Collect Ltd, kind: debt_collector, country: GB, role: processor}
categories:
  - {id: invoice, name: Invoices}
subjects:
  - {id: patients, name: Patients, party_to_contract: true}
purposes:
  - {id: billing, name: Billing, notice: PN}
agreements:
  - {id: bureau-dpa, kind: art28_dpa, parties: [dent, bureau], status: signed,
     signed_on: 2025-01-01, categories: [invoice], evidence: c/bureau.pdf}
  - {id: collector-dpa, kind: art28_dpa, parties: [dent, collector], status: signed,
     signed_on: 2025-01-01, categories: [invoice], evidence: c/collector.pdf}
flows:
  - {id: to-bureau, from: dent, to: bureau, categories: [invoice], subjects: [patients],
     purpose: billing, basis: contract, agreement: bureau-dpa, notice: PN}
  - {id: to-collector, from: bureau, to: collector, categories: [invoice],
     subjects: [patients], purpose: billing, basis: contract, AGREEMENT notice: PN}
"""


def _processors(tmp_path: Path, agreement: str) -> Path:
    line = f"agreement: {agreement}," if agreement else ""
    (tmp_path / "map.yaml").write_text(PROCESSORS.replace("AGREEMENT", line), encoding="utf-8")
    return tmp_path / "map.yaml"


def test_a_processor_sending_to_a_processor_the_organisation_engaged_itself(
    tmp_path: Path,
) -> None:
    """The billing bureau hands unpaid invoices to the debt collector the practice engaged
    itself, under its own contract: the bureau engages no sub-processor (Art. 28(2), 28(4)),
    so no bureau-collector contract is owed. It was a HIGH GDPR-AGREEMENT asking for one,
    and linking the practice's own contract was refused as binding the wrong parties."""
    path = _processors(tmp_path, "collector-dpa")
    code, findings, _ = _check(str(path))
    assert code == 1  # only the organisation's own duties the short map leaves unsaid
    assert [f[:3] for f in findings] == [
        ("GDPR-BREACH", "no-procedure", "organisation/dent"),
        ("GDPR-NOTICE-CONTENT", "not-recorded", "organisation/dent"),
        ("GDPR-RIGHTS", "no-complaints-procedure", "organisation/dent"),
    ]


def test_unlinked_the_finding_names_the_organisations_own_contract(tmp_path: Path) -> None:
    path = _processors(tmp_path, "")
    from tests.helpers import run

    result = run(["check", str(path), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert (
        "map.yaml:19:5 HIGH GDPR-AGREEMENT flows/to-collector: Bill Bureau Pvt Ltd (processor) "
        "→ Collect Ltd (sub-processor): an Art. 28 contract is required; none is linked; if "
        "Dent Ltd engaged Collect Ltd itself, link that contract (collector-dpa) on this flow: "
        "the flow is then its own, and no contract between the two processors is owed"
    ) in result.output


def test_linking_the_senders_contract_says_which_contract_to_link_instead(
    tmp_path: Path,
) -> None:
    """The DPO linked the practice's contract with the sender (bureau-dpa): the finding said
    only that it binds the wrong parties; it now names the contract to link instead."""
    path = _processors(tmp_path, "bureau-dpa")
    from tests.helpers import run

    result = run(["check", str(path), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert (
        "map.yaml:20:63 HIGH GDPR-AGREEMENT flows/to-collector: Bill Bureau Pvt Ltd (processor) "
        "→ Collect Ltd (sub-processor): agreement 'bureau-dpa' is between bureau, dent, not "
        "'collector'; if Dent Ltd engaged Collect Ltd itself, link that contract "
        "(collector-dpa) on this flow instead of 'bureau-dpa': the flow is then its own, and "
        "no contract between the two processors is owed"
    ) in result.output


def test_the_backup_rests_on_the_groups_own_condition() -> None:
    """The PMS backup (DentCloud to its sub-processor StoreSafe) names `health`, the group's
    own flows to DentCloud for dental care give it `health.medical_history`,
    `health.dental_record` and `health.radiographs` under Art. 9(2)(h). It was a HIGH "no Art. 9
    condition" (this review's stumble 5, whose message told what to write) while GDPR-BASIS
    asked nothing of the same hop. The processor acts on the group's instructions (Art.
    28(3)(a), 29): the backup of health data for dental care rests on the condition the
    group names for health data for dental care, whatever level of the taxonomy the backup
    names (lawyer review s21, problem 3). It is set aside with the rule's note, not passed;
    the message that says what to write is kept by tests/cases/special_category.yaml."""
    from tests.helpers import run

    result = run(["check", str(FIXTURE / "map"), "--as-of", AS_OF])
    assert "GDPR-ART9 flows/pms-backup" not in result.output
    assert (
        "Judged in part: GDPR-ART9 did not judge 1 element (a hop of the organisation's "
        "processor (to its sub-processor or its own store) rests on the condition the "
        "organisation's own flow for the same purpose names"
    ) in result.output


def test_a_value_cut_at_two_commas_whose_tail_reads_like_a_field_is_one_problem(
    tmp_path: Path,
) -> None:
    """'Our staff (dentists, nurses, reception)' unquoted: one problem at the first piece;
    'reception)' was a second problem, "did you mean 'description'?"."""
    (tmp_path / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme, country: GB, regime: UK}\n"
        "subjects:\n"
        "  - {id: staff, name: Our staff (dentists, nurses, reception), employees: true}\n",
        encoding="utf-8",
    )
    from tests.helpers import run

    result = run(["validate", str(tmp_path / "map.yaml")])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[-1] == "flowaudit: 1 input problem; nothing was checked"
    assert lines[0].endswith(
        "map.yaml:3:44: unknown field 'nurses' with no value: a comma inside a {...} value "
        "ends the value, so the text after the comma in 'name' was read as a field; put the "
        'whole value in quotes: name: "Our staff (dentists, nurses, reception)"'
    )
    assert "description" not in result.output


def test_a_presence_test_that_is_always_true_is_refused_with_what_to_write(
    tmp_path: Path,
) -> None:
    """has(flow.permission) is true on every flow (the field is there, null when unset): the
    house rule passed every flow abroad, none of which recorded the DPO's sign-off."""
    policy = (FIXTURE / "policies" / "brightsmile.yaml").read_text(encoding="utf-8")
    assert "    expression: flow.permission != null\n" in policy
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "p.yaml").write_text(
        policy.replace(
            "expression: flow.permission != null",
            'expression: has(flow.permission) && flow.permission != ""',
        ),
        encoding="utf-8",
    )
    from tests.helpers import run

    result = run(["check", str(FIXTURE / "map"), "--policies", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(
        "p.yaml:44:5: has(flow.permission) is true whatever the map says: flow always holds "
        "permission, null where the map leaves it out; to ask whether it is recorded, write "
        "flow.permission != null"
    )
    doc = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    assert "(`expression: flow.permission != null`" in doc


def test_a_waiver_of_a_house_rule_read_without_policies_says_to_give_them() -> None:
    """diagram and ropa given the map but not the house policy: the waiver of DENT-ENCRYPTED
    was told only "did you mean 'CONCERO-ENCRYPT'?"."""
    from tests.helpers import run

    result = run(["ropa", str(FIXTURE / "fixed"), "--as-of", AS_OF, "--format", "md"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(
        "waivers.yaml:3:5: unknown rule 'DENT-ENCRYPTED': no loaded or shipped policy has a "
        "rule of this id (did you mean 'CONCERO-ENCRYPT'?); if it is a rule of a policy of "
        "your own, name that policy's file or folder with --policies (check, report, "
        "diagram, ropa and diff read waivers and take it)"
    )
    given = run(
        ["ropa", str(FIXTURE / "fixed"), "--policies", str(FIXTURE / "policies"), "--as-of",
         AS_OF, "--format", "md"]
    )  # fmt: skip
    assert given.exit_code == 0


def test_the_shipped_verdict_is_unchanged() -> None:
    code, findings, summary = _check()
    assert code == 1
    assert len(findings) == 57
    assert summary["by_severity"] == {"critical": 3, "high": 11, "medium": 39, "low": 4, "info": 0}
