"""Consent taken at its word, children's consent and marketing on contract (DPO review
2026-12-02d, problems 1, 3 and 4): through the real entry point, each finding exactly (rule,
code, element, file:line) and the exit code.

- A consent record whose own facts show no valid consent (``affirmative_act: false``: a
  pre-ticked box, silence; ``bundled_with_terms: true``) fails wherever a record is relied on:
  the Art. 6(1)(a) basis, Art. 9(2)(a), the Art. 10 consent condition, Art. 49(1)(a), a notice's
  promise of opt-in (UK GDPR Art. 4(11), Recital 32, Art. 7(2), 7(4)). A record that states
  neither fact (the old way) is not judged.
- Consent for data about subjects marked ``children`` needs ``parental_authorisation: true``
  (Art. 8(1); DPA 2018 s.9: 13 in the UK, 16 by default in the EU).
- Direct marketing on contract fails: not necessary for performing it (Art. 6(1)(b)).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.legal import BasesTable, load_legal_table
from tests.helpers import BASE, FIXTURES, audit_files, line_of, run
from tests.helpers import audit_paths as audit

GOOD = FIXTURES / "consent" / "good.yaml"
BAD = FIXTURES / "consent" / "bad.yaml"
AS_OF = ["--as-of", "2026-11-25"]


def _shown(path: Path) -> str:
    """A path as the reports print it: relative to the working directory where it can be."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _findings(output: str) -> list[tuple[str, list[str], str, str, str, str]]:
    """(rule, also rules, code, element, file:line, severity) of every finding of a JSON run."""
    return [
        (
            f["rule_id"],
            f["also_rules"],
            f["code"],
            f"{f['element']['collection']}/{f['element']['id']}",
            f"{f['location']['file']}:{f['location']['line']}",
            f["severity"],
        )
        for f in json.loads(output)["findings"]
    ]


def _at(needle: str) -> str:
    return f"{_shown(BAD)}:{line_of(BAD, needle)}"


def test_valid_consent_children_with_a_parent_and_records_of_the_old_way_pass() -> None:
    outcome = run(["check", str(BASE), str(GOOD), *AS_OF, "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    assert data["findings"] == []
    passed = {
        (p["rule_id"], p["element"]["id"])
        for p in data["passed"]
        if p["rule_id"] in {"GDPR-BASIS", "GDPR-ART9", "GDPR-ART10", "GDPR-TRANSFER"}
    }
    assert passed == {
        ("GDPR-BASIS", "newsletter"),
        ("GDPR-BASIS", "newsletter-old"),  # states neither fact: not judged on them
        ("GDPR-BASIS", "learners"),  # children, with parental authorisation
        ("GDPR-BASIS", "support-contract"),
        ("GDPR-BASIS", "health-consent"),
        ("GDPR-BASIS", "record-check"),
        ("GDPR-BASIS", "us-once"),
        ("GDPR-ART9", "health-consent"),
        ("GDPR-ART10", "record-check"),
        ("GDPR-TRANSFER", "us-once"),
    }


def test_invalid_consent_child_consent_and_marketing_on_contract_fail() -> None:
    outcome = run(["check", str(BASE), str(BAD), *AS_OF, "--format", "json"])
    assert outcome.exit_code == 1
    assert _findings(outcome.output) == [
        # Art. 49(1)(a) on consent bundled with the terms: the transfer's finding, critical
        ("GDPR-TRANSFER", [], "consent-not-valid", "flows/us-once", _at("id: us-once"), "critical"),
        # the Art. 10 consent condition on a pre-ticked record
        (
            "GDPR-ART10",
            [],
            "consent-not-valid",
            "flows/record-check",
            _at("id: record-check"),
            "high",
        ),
        ("GDPR-BASIS", [], "consent-not-valid", "flows/bundled", _at("id: bundled"), "high"),
        # the basis and Art. 9(2)(a) rely on one pre-ticked record: one problem, one finding
        (
            "GDPR-BASIS",
            ["GDPR-ART9"],
            "consent-not-valid",
            "flows/health-consent",
            _at("id: health-consent"),
            "high",
        ),
        ("GDPR-BASIS", [], "child-consent", "flows/learners", _at("id: learners,"), "high"),
        (
            "GDPR-BASIS",
            [],
            "no-consent-record",
            "flows/learners-unrecorded",
            _at("id: learners-unrecorded"),
            "high",
        ),
        (
            "GDPR-BASIS",
            [],
            "child-consent",
            "flows/learners-unrecorded",
            _at("id: learners-unrecorded"),
            "high",
        ),
        (
            "GDPR-BASIS",
            [],
            "not-necessary-for-contract",
            "flows/marketing-contract",
            _at("id: marketing-contract"),
            "high",
        ),
        ("GDPR-BASIS", [], "consent-not-valid", "flows/newsletter", _at("id: newsletter"), "high"),
    ]
    # only critical findings fail the run at --fail-on critical; none at all above it
    args = ["check", str(BASE), str(BAD), *AS_OF]
    assert run([*args, "--fail-on", "critical"]).exit_code == 1


def test_the_findings_say_what_the_record_shows_and_cite_the_law() -> None:
    result = audit_files(BAD)
    by = {(f.element[1], f.code): f for f in result.findings}
    newsletter = by[("newsletter", "consent-not-valid")]
    assert newsletter.message == (
        "consent record 'pre-ticked' does not show valid consent: it records no clear "
        "affirmative act, and silence, a pre-ticked box or inactivity is not consent (UK GDPR "
        "Art. 4(11), Recital 32)"
    )
    assert newsletter.field == ("consent_record",)
    assert result.references_of(newsletter)[1] == [
        "UK GDPR Art. 6(1)(a)",
        "UK GDPR Art. 4(11)",
        "UK GDPR Art. 7(2)",
        "UK GDPR Art. 7(4)",
        "CJEU C-673/17 (Planet49)",
    ]
    assert by[("bundled", "consent-not-valid")].message == (
        "consent record 'in-the-terms' does not show valid consent: it records consent bundled "
        "with the terms of service or made a condition of them, and consent must stand apart "
        "from other matters and is not freely given where a service is made conditional on it "
        "(UK GDPR Art. 7(2), Art. 7(4))"
    )
    learners = by[("learners", "child-consent")]
    assert learners.message == (
        "consent is the basis for data about Young learners, who are children: below 13 a "
        "child cannot give it for an online service offered directly to them (purpose "
        "'support' is taken to be one: say online_service: false on it if not), and the holder "
        "of parental responsibility gives or authorises it (UK GDPR Art. 8(1) as read with DPA "
        "2018 s.9), but consent record 'pupil-ticks' does not record it "
        "(parental_authorisation is not true)"
    )
    # the age is not in FACTS.md: the row is UNCONFIRMED, and the finding says it relies on it
    assert learners.unconfirmed == (
        "uk-child-consent-age (UK GDPR Art. 8(1) as read with DPA 2018 s.9)",
    )
    unrecorded = by[("learners-unrecorded", "child-consent")]
    assert unrecorded.message.endswith("but no consent record shows it")
    assert unrecorded.field == ("subjects", 1)  # the first subject who is a child
    contract = by[("marketing-contract", "not-necessary-for-contract")]
    assert contract.message == (
        "Performance of a contract, Art. 6(1)(b) is not open for the purpose 'marketing': "
        "direct marketing is not necessary for performing a contract with the person (UK GDPR "
        "Art. 6(1)(b), EDPB Guidelines 2/2019 on Art. 6(1)(b))"
    )
    assert result.references_of(contract)[1] == ["UK GDPR Art. 6(1)(b)", "EDPB Guidelines 2/2019"]


def test_before_planet49_and_the_edpb_guidelines_the_findings_do_not_cite_them() -> None:
    result = audit_files(BAD, as_of="2019-06-01")
    by = {(f.element[1], f.code): f for f in result.findings}
    assert result.references_of(by[("newsletter", "consent-not-valid")])[1] == [
        "GDPR Art. 6(1)(a)",
        "GDPR Art. 4(11)",
        "GDPR Art. 7(2)",
        "GDPR Art. 7(4)",
    ]
    assert result.references_of(by[("marketing-contract", "not-necessary-for-contract")])[1] == [
        "GDPR Art. 6(1)(b)"
    ]


def _eu_map(tmp_path: Path) -> Path:
    """BAD's learners flow for an EU organisation (GDPR Art. 8(1): 16 by default)."""
    eu = tmp_path / "eu.yaml"
    eu.write_text(
        yaml.safe_dump(
            {
                "organisation": {"id": "euco", "name": "EU Co", "country": "IE", "regime": "EU"},
                "systems": [{"id": "db", "name": "DB", "owner": "euco", "country": "IE"}],
                "categories": [{"id": "contact", "name": "Contact"}],
                "subjects": [{"id": "kids", "name": "Kids", "children": True}],
                "purposes": [{"id": "support", "name": "Support"}],
                "consent_records": [{"id": "c", "method": "a box", "purposes": ["support"]}],
                "flows": [
                    {
                        "id": "kids-in",
                        "from": "euco",
                        "to": "db",
                        "categories": ["contact"],
                        "subjects": ["kids"],
                        "purpose": "support",
                        "basis": "consent",
                        "consent_record": "c",
                    }
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return eu


def test_the_age_is_the_regimes_from_the_legal_table(tmp_path: Path) -> None:
    result = audit_files(_eu_map(tmp_path), base=False)
    (found,) = [f for f in result.findings if f.code == "child-consent"]
    assert found.message.startswith(
        "consent is the basis for data about Kids, who are children: below 16 a child cannot "
        "give it"
    )
    # Ireland's own age, 16 (DPO review 2026-12-03r, problem 2), read as the organisation's
    assert "(GDPR Art. 8(1) as read with Data Protection Act 2018, s.31 (IE))" in found.message
    assert found.message.endswith(
        "; 16 is the age IE set, read as the law of the organisation's country (IE): a "
        "controller offering the service to children in other states may owe their ages too"
    )
    assert result.references_of(found)[1] == ["GDPR Art. 8(1)", "GDPR Art. 6(1)(a)"]


#: DPO review 2026-12-03r, problem 2: each EU and EEA state's age under Art. 8(1)
MEMBER_STATE_AGES = {
    "AT": 14, "BE": 13, "BG": 14, "HR": 16, "CY": 14, "CZ": 15, "DK": 13, "EE": 13, "FI": 13,
    "FR": 15, "DE": 16, "GR": 15, "HU": 16, "IE": 16, "IT": 14, "LV": 13, "LT": 14, "LU": 16,
    "MT": 13, "NL": 16, "PL": 16, "PT": 13, "RO": 16, "SK": 16, "SI": 15, "ES": 14, "SE": 13,
    "IS": 13, "LI": 16, "NO": 13,
}  # fmt: skip


def test_each_member_states_age_of_consent_is_a_sourced_unconfirmed_row() -> None:
    """DPO review 2026-12-03r, problem 2: the age is the organisation's state's, each row with
    its national source and UNCONFIRMED (FACTS.md gives none); a country of the EU regime with
    no row gets the GDPR's 16; the UK's is 13 whatever the country; CH sets none."""
    table = load_legal_table()
    eu_countries = next(j for j in table.transfers.jurisdictions if j.id == "EU").countries
    territories = {"RE": "FR", "GF": "FR", "GP": "FR", "MQ": "FR", "YT": "FR", "MF": "FR"}
    territories["AX"] = "FI"
    assert sorted(MEMBER_STATE_AGES) == sorted(set(eu_countries) - set(territories))
    # attack review 2026-12-03s, problem 11: a territory part of a state (Réunion, Åland)
    # is of the EU regime and reads its state's age, not the GDPR's default 16
    assert table.state_of_territory == territories
    for territory, state in territories.items():
        row = table.child_consent_age("EU", territory)
        assert row is not None and (row.country, row.age) == (state, MEMBER_STATE_AGES[state])
    for country, age in MEMBER_STATE_AGES.items():
        row = table.child_consent_age("EU", country)
        assert row is not None and (row.age, row.country) == (age, country), country
        assert row.unconfirmed is True and row.source.startswith("GDPR Art. 8(1)"), country
        assert f"({country})" in row.source, country
    default = table.child_consent_age("EU", "XK")
    assert default is not None and (default.id, default.age) == ("eu-child-consent-age", 16)
    uk = table.child_consent_age("UK", "GB")
    assert uk is not None and uk.age == 13
    assert table.child_consent_age("CH", "CH") is None
    assert table.child_consent_ceiling == 16
    rows = table.bases.model_dump()
    rows["child_consent_ages"].append(dict(rows["child_consent_ages"][-1], id="again"))
    with pytest.raises(ValueError, match="more than one row for EU NO"):
        BasesTable.model_validate(rows)


def test_consent_requirements_name_facts_a_consent_record_can_state() -> None:
    table = load_legal_table()
    assert [(r.field, r.invalid_if, r.invalid_from) for r in table.consent_requirements] == [
        ("affirmative_act", False, False),
        ("bundled_with_terms", True, False),
        # DPO review 2026-12-03o: consent withdrawn on a date (Art. 7(3))
        ("withdrawn_on", None, True),
    ]
    assert {regime: row.age for regime, row in table.child_consent_ages.items()} == {
        "UK": 13,
        "EU": 16,
    }
    assert all(row.unconfirmed for row in table.child_consent_ages.values())
    rows = table.bases.model_dump()
    rows["consent_requirements"][0]["field"] = "ticked"
    with pytest.raises(ValueError, match="'ticked' is not a field of a consent record"):
        BasesTable.model_validate(rows)
    rows = table.bases.model_dump()
    rows["consent_requirements"][2]["invalid_if"] = True  # a date row is not a yes/no one
    with pytest.raises(ValueError, match="has invalid_if or invalid_from: true"):
        BasesTable.model_validate(rows)


PUPIL_PORTAL = """
  - id: pupil-portal
    from: customer-schools
    to: learn
    categories: [contact.name, contact.email]
    subjects: [pupils]
    purpose: training_accreditation
    basis: consent
    consent_record: pupil-ticks
    encrypted_in_transit: true
    notice: N-CURRICULUM
"""


def test_concero_collecting_pupil_data_on_consent_is_a_controller_and_needs_a_parent(
    tmp_path: Path,
) -> None:
    """The DPO's variation (vars/child-consent.py): pupils' names into a Concero learning app
    on the pupils' own consent. GDPR-BASIS fails child-consent; CONCERO-PUPILS says Concero
    holds them as a controller there, and still as the school's processor on the flows whose
    pupil data came in through school-server-work (recipient_role: processor)."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8") + PUPIL_PORTAL, encoding="utf-8")
    (folder / "learning.yaml").write_text(
        "systems:\n"
        "  - {id: learn, name: Pupil learning app, owner: concero, country: GB,"
        " categories: [contact.name, contact.email], subjects: [pupils],"
        " encrypted_at_rest: true, retention_days: 365, retention_justification: x,"
        " notice: N-CURRICULUM}\n"
        "consent_records:\n"
        "  - {id: pupil-ticks, purposes: [training_accreditation],"
        " method: pupil ticks a box in the app, evidence: x}\n",
        encoding="utf-8",
    )
    result = audit([str(folder)], date(2026, 11, 25))
    lines = flows.read_text(encoding="utf-8").splitlines()
    subjects_at = lines.index("    subjects: [pupils]", lines.index("  - id: pupil-portal")) + 1
    pupils = [
        (
            f.element,
            f.code,
            f"{f.location.file}:{f.location.line}" if f.location else "",
            f.message.split(": ", 1)[1],
        )
        for f in result.findings
        if f.rule_id == "CONCERO-PUPILS"
    ]
    controller = (
        "Concero holds them as a controller (the map does not record this data reaching it only "
        "as the school's processor), which contradicts the notice's statement that it holds no "
        "data on pupils, students or parents (N-PUPILS); amend the notice or stop the "
        "processing (UK GDPR Art. 5(1)(a), Art. 5(2)); as their controller Concero must itself "
        "tell pupils and parents (Art. 13/14) and rest the processing on a lawful basis fit for "
        "children's data (see GDPR-BASIS)"
    )
    processor = "Concero handles them as the school's processor"
    # the map is shown by its folder's name, as the shipped one is
    assert [(e, c, at, m.startswith(processor)) for e, c, at, m in pupils] == [
        (("flows", "pupil-portal"), "subject", f"concero/flows.yaml:{subjects_at}", False),
        (("flows", "school-server-work"), "subject", "concero/flows.yaml:115", True),
        (("systems", "learn"), "subject", "concero/learning.yaml:2", False),
        (("flows", "helpdesk-tickets"), "may-subject", "concero/flows.yaml:44", False),
        (("flows", "mis-third-party-support"), "may-subject", "concero/flows.yaml:75", False),
    ]
    assert pupils[0][3] == controller
    assert pupils[2][3] == controller
    # a ticket's possible pupil data came in as it did before: through the school's servers
    assert processor in pupils[3][3] and processor in pupils[4][3]
    (child,) = [f for f in result.findings if f.code == "child-consent"]
    assert (child.rule_id, child.element, child.severity.value) == (
        "GDPR-BASIS",
        ("flows", "pupil-portal"),
        "high",
    )
    assert child.location is not None
    assert (child.location.file, child.location.line) == (
        "concero/flows.yaml",
        lines.index("    consent_record: pupil-ticks") + 1,
    )
    assert len(result.findings) == 60  # the shipped 57, and these three
    # exit code through the real entry point: findings fail the run
    assert run(["check", str(folder), *AS_OF]).exit_code == 1


def test_the_shipped_map_marks_pupils_as_children_and_its_verdict_is_unchanged() -> None:
    result = audit([], date(2026, 11, 25))
    assert result.loaded.data.subjects[4].id == "pupils"
    assert result.loaded.data.subjects[4].children is True
    counts = dict.fromkeys(("critical", "high", "medium", "low", "info"), 0)
    for finding in result.findings:
        counts[finding.severity.value] += 1
    assert (len(result.findings), counts) == (
        57,
        {"critical": 3, "high": 11, "medium": 39, "low": 4, "info": 0},
    )
    assert not [
        f
        for f in result.findings
        if f.code in {"consent-not-valid", "child-consent", "not-necessary-for-contract"}
    ]


MARKETING = "    purpose: marketing\n    basis: consent\n"


def _concero_marketing(tmp_path: Path, flow_lines: str, extra: str = "") -> tuple[Path, int]:
    """The shipped map with marketing-contacts rewritten (the DPO's vars/pretick.py and
    vars/mk-contract.py), and the line of its ``basis:`` in the copy."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    assert text.count(MARKETING) == 1
    flows.write_text(text.replace(MARKETING, flow_lines), encoding="utf-8")
    if extra:
        (folder / "consent.yaml").write_text(extra, encoding="utf-8")
    lines = flows.read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: marketing-contacts")
    return folder, next(i for i in range(start, len(lines)) if "basis:" in lines[i]) + 1


def _on_marketing(
    folder: Path,
) -> tuple[list[tuple[str, tuple[str, ...], str, str, str]], set[str]]:
    result = audit([str(folder)], date(2026, 11, 25))
    found = [
        (
            f.rule_id,
            f.also,
            f.code,
            f"{f.location.file}:{f.location.line}" if f.location else "",
            f.severity.value,
        )
        for f in result.findings
        if f.element == ("flows", "marketing-contacts")
    ]
    passed = {e.rule_id for e in result.passed if e.element == ("flows", "marketing-contacts")}
    return found, passed


def test_concero_marketing_on_contract_is_one_finding_of_the_law_and_the_notice(
    tmp_path: Path,
) -> None:
    """Marketing on contract: not necessary for the contract (the law), and not the opt-in
    the notice promises: one problem, one fix (rest it on consent), one finding."""
    folder, basis_at = _concero_marketing(
        tmp_path, "    purpose: marketing\n    basis: contract\n    opt_out: unsubscribe link\n"
    )
    found, passed = _on_marketing(folder)
    assert found == [
        (
            "GDPR-BASIS",
            ("CONCERO-MARKETING-CONSENT",),
            "not-necessary-for-contract",
            f"concero/flows.yaml:{basis_at}",
            "high",
        )
    ]
    assert "PECR-MARKETING-OPT-OUT" in passed and "GDPR-BASIS" not in passed
    assert run(["check", str(folder), *AS_OF]).exit_code == 1


PRE_TICKED = (
    "consent_records:\n"
    "  - {id: mk-c, purposes: [marketing], method: pre-ticked box bundled in the terms of"
    " service, evidence: x, affirmative_act: false, bundled_with_terms: true}\n"
)


def test_concero_marketing_on_a_pre_ticked_bundled_record_fails_the_law_and_the_notice(
    tmp_path: Path,
) -> None:
    lines = "    purpose: marketing\n    basis: consent\n    consent_record: mk-c\n"
    folder, basis_at = _concero_marketing(
        tmp_path, lines + "    opt_out: unsubscribe link\n", PRE_TICKED
    )
    found, passed = _on_marketing(folder)
    assert found == [
        (
            "GDPR-BASIS",
            ("CONCERO-MARKETING-CONSENT",),
            "consent-not-valid",
            f"concero/flows.yaml:{basis_at + 1}",  # the consent_record it links
            "high",
        )
    ]
    assert not {"GDPR-BASIS", "CONCERO-MARKETING-CONSENT"} & passed
    # the same record stating neither fact (the DPO's variation as written) is not judged
    unstated = PRE_TICKED.replace(", affirmative_act: false, bundled_with_terms: true", "")
    (folder / "consent.yaml").write_text(unstated, encoding="utf-8")
    found, passed = _on_marketing(folder)
    assert found == []
    assert {"GDPR-BASIS", "CONCERO-MARKETING-CONSENT"} <= passed


def test_a_purpose_that_is_marketing_by_another_name_is_judged_as_marketing(
    tmp_path: Path,
) -> None:
    """A newsletter sent on contract passed with 0 findings: the marketing rules and the
    law's limit name the purpose 'marketing' only (DPO review 2026-12-02e, problem 1). A
    purpose says what broader purpose it is a kind of (is_a); one that reads as marketing
    without saying so is warned about."""
    (tmp_path / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"
        "parties:\n"
        "  - {id: mailer, name: Mailer Ltd, kind: email, country: GB, role: processor}\n"
        "agreements:\n"
        "  - {id: m-dpa, kind: art28_dpa, parties: [acme, mailer], status: signed,"
        " signed_on: 2024-01-01, categories: [contact], evidence: dpa.pdf}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: customers, name: Customers, party_to_contract: true}]\n"
        "purposes:\n"
        "  - {id: newsletter, name: Email newsletter}\n"
        "flows:\n"
        "  - {id: news, from: acme, to: mailer, categories: [contact], subjects: [customers],"
        " purpose: newsletter, basis: contract, agreement: m-dpa, encrypted_in_transit: true}\n",
        encoding="utf-8",
    )
    unsaid = run(["check", str(tmp_path), "--as-of", "2026-11-25"])
    assert "purpose 'newsletter' (Email newsletter) reads as marketing" in unsaid.output
    path = tmp_path / "map.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "name: Email newsletter}", "name: Email newsletter, is_a: [marketing]}"
        ),
        encoding="utf-8",
    )
    said = audit_files(path, base=False)
    marketing = sorted(
        (f.rule_id, f.code)
        for f in said.findings
        if f.rule_id in ("GDPR-BASIS", "PECR-MARKETING-OPT-OUT")
    )
    assert marketing == [
        ("GDPR-BASIS", "not-necessary-for-contract"),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out"),
    ]
    (basis,) = [f for f in said.findings if f.rule_id == "GDPR-BASIS"]
    assert "is not open for the purpose 'newsletter' (marketing)" in basis.message
    assert "reads as marketing" not in " ".join(said.warnings)


def test_consent_is_for_its_purposes_and_a_pass_says_what_it_takes_on_trust(
    tmp_path: Path,
) -> None:
    """Marketing emails passed on a consent given in a cookie banner for analytics (auditor's
    review 2026-12-02e, problem 1): consent is given to specific purposes (Art. 6(1)(a)). And a
    record that leaves unstated how consent was given passed with no word of it (DPO review
    2026-12-02e, problem 3): the pass says what it takes on trust."""
    path = tmp_path / "map.yaml"
    path.write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"
        "consent_records:\n"
        "  - {id: banner, purposes: [analytics], method: cookie banner, evidence: cmp log,"
        " affirmative_act: true, bundled_with_terms: false}\n"
        "  - {id: signup, purposes: [marketing], method: sign-up form, evidence: crm log}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: customers, name: Customers}]\n"
        "purposes:\n"
        "  - {id: marketing, name: Marketing}\n"
        "  - {id: analytics, name: Analytics}\n"
        "flows:\n"
        "  - {id: news, from: acme, to: acme, categories: [contact], subjects: [customers],"
        " purpose: marketing, basis: consent, consent_record: banner}\n"
        "  - {id: offers, from: acme, to: acme, categories: [contact], subjects: [customers],"
        " purpose: marketing, basis: consent, consent_record: signup}\n",
        encoding="utf-8",
    )
    result = audit_files(path, base=False)
    basis = [(f.element[1], f.code) for f in result.findings if "GDPR-BASIS" in f.rule_ids]
    assert basis == [("news", "purpose-not-consented")]
    (offers,) = [
        e for e in result.passed if e.rule_id == "GDPR-BASIS" and e.element == ("flows", "offers")
    ]
    assert offers.assumed == (
        "consent record 'signup' does not state affirmative_act or bundled_with_terms: that the "
        "consent was a clear affirmative act, not bundled with terms, is taken on trust",
    )


def test_children_all_old_enough_to_consent_give_it_themselves(tmp_path: Path) -> None:
    """Sixth-formers aged 16-17 on consent got a high child-consent finding whose own message
    says the rule is for those below 13 (DPO review 2026-12-02e, problem 8): a subject's
    min_age at or over the regime's age lets them consent themselves; below it, a parent."""
    map_text = (
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"
        "consent_records:\n"
        "  - {id: form, purposes: [clubs], method: online form, evidence: log,"
        " affirmative_act: true, bundled_with_terms: false}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects:\n"
        "  - {id: sixth, name: Sixth-formers, children: true, min_age: MIN}\n"
        "purposes: [{id: clubs, name: Clubs}]\n"
        "flows:\n"
        "  - {id: sign-up, from: acme, to: acme, categories: [contact], subjects: [sixth],"
        " purpose: clubs, basis: consent, consent_record: form}\n"
    )
    found = {}
    for youngest in (16, 13, 12):
        path = tmp_path / f"map{youngest}.yaml"
        path.write_text(map_text.replace("MIN", str(youngest)), encoding="utf-8")
        result = audit_files(path, base=False)
        found[youngest] = [f.code for f in result.findings if "GDPR-BASIS" in f.rule_ids]
    assert found == {16: [], 13: [], 12: ["child-consent"]}
