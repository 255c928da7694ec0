"""Verdict review s16 (DPO review of the shipped Concero verdict): the problems it found still
open on main, each on a small variant of the shipped map (``concero_with`` adds one file).

- Problem 1: a purpose shared with a joint controller with no Art. 26 arrangement gave one
  HIGH per flow; the arrangement is one per joint purpose and party (Art. 26(1)), so the gap
  is one finding naming its flows, and an arrangement in order for the purpose clears every
  flow of it, linked or not.
- Problem 2: where Concero handles a school's data as its processor (the school decides the
  purpose), special-category and criminal-offence data in it were GDPR-ART9 and GDPR-ART10
  HIGHs against Concero; the conditions, like the Art. 6 basis, are the controller's
  (Art. 28(3)(a), 29): a not-judged note, while the processor's Art. 28 duties stay judged.
- Problem 3: a call recording recorded to hold card security codes was only medium, as a
  risk that calls may carry them; recorded it is high (Art. 32(1), PCI DSS 3.3.1), a risk
  to confirm stays medium.
- Problem 5: the starter (UK by default) said nowhere what an EU organisation changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from tests.helpers import audit_folder, concero_with, run, shipped_map_dir

_PARTNER = """
parties:
  - id: event-partner
    name: Event partner
    kind: events
    country: GB
    role: joint_controller
    notice: N-CURRICULUM
  - id: fair-partner
    name: Fair partner
    kind: events
    country: GB
    role: joint_controller
    notice: N-CURRICULUM
flows:
  - {id: jc-one, from: concero, to: event-partner, categories: [contact.name, contact.email],
     subjects: [customer_staff], purpose: product_introductions, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-CURRICULUM}
  - {id: jc-two, from: concero, to: event-partner, categories: [contact.organisation],
     subjects: [customer_staff], purpose: product_introductions, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-CURRICULUM}
  - {id: jc-three, from: concero, to: fair-partner, categories: [contact.name],
     subjects: [customer_staff], purpose: product_introductions, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-CURRICULUM}
"""

_ARRANGEMENT = """
agreements:
  - {id: event-jca, kind: art26_joint, parties: [concero, event-partner], status: signed,
     signed_on: 2025-01-01, evidence: Legal/event-jca.pdf, categories: [contact],
     purposes: [product_introductions]}
"""


def _joint(result: AuditResult) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [
        (f.element[1], f.code, f.severity.value, f.message, f.flows)
        for f in result.findings
        if f.rule_id == "GDPR-AGREEMENT" and f.element[1].startswith("jc-")
    ]


def _passed(result: AuditResult, rule_id: str) -> set[str]:
    return {e.element[1] for e in result.passed if e.rule_id == rule_id}


def test_problem_1_one_art26_finding_per_joint_purpose_and_party(tmp_path: Path) -> None:
    result = audit_folder(concero_with(tmp_path, _PARTNER))
    parties = "Concero Technology Services (joint controller) → {} (joint controller): "
    assert _joint(result) == [
        (
            "jc-one",
            "joint-missing",
            "high",
            parties.format("Event partner")
            + "an Art. 26 joint-controller arrangement is required for the joint purpose "
            "'product_introductions' (flows jc-one, jc-two); none is linked",
            ("jc-one", "jc-two"),
        ),
        # another party: another arrangement, its own finding, worded as before
        (
            "jc-three",
            "joint-missing",
            "high",
            parties.format("Fair partner")
            + "an Art. 26 joint-controller arrangement is required; none is linked",
            (),
        ),
    ]
    # the flow the finding covers is judged there, not passed
    assert {"jc-one", "jc-two", "jc-three"}.isdisjoint(_passed(result, "GDPR-AGREEMENT"))


def test_problem_1_an_arrangement_for_the_purpose_clears_every_flow_of_it(tmp_path: Path) -> None:
    linked_once = _PARTNER.replace(
        "  - {id: jc-one, from: concero, to: event-partner,",
        "  - {id: jc-one, agreement: event-jca, from: concero, to: event-partner,",
    )
    result = audit_folder(concero_with(tmp_path, linked_once + _ARRANGEMENT))
    assert [(e, c) for e, c, *_ in _joint(result)] == [("jc-three", "joint-missing")]
    assert {"jc-one", "jc-two"} <= _passed(result, "GDPR-AGREEMENT")


def test_problem_1_an_arrangement_not_in_order_clears_nothing(tmp_path: Path) -> None:
    draft = _ARRANGEMENT.replace("status: signed", "status: draft")
    result = audit_folder(concero_with(tmp_path / "draft", _PARTNER + draft))
    assert [(e, c) for e, c, *_ in _joint(result)] == [
        ("jc-one", "joint-missing"),
        ("jc-three", "joint-missing"),
    ]
    # an arrangement for another purpose, or short of the flow's data, clears nothing either
    other = _ARRANGEMENT.replace("purposes: [product_introductions]", "purposes: [marketing]")
    result = audit_folder(concero_with(tmp_path / "other", _PARTNER + other))
    assert [(e, c) for e, c, *_ in _joint(result)] == [
        ("jc-one", "joint-missing"),
        ("jc-three", "joint-missing"),
    ]
    short = _ARRANGEMENT.replace("categories: [contact]", "categories: [contact.email]")
    result = audit_folder(concero_with(tmp_path / "short", _PARTNER + short))
    assert [(e, c) for e, c, *_ in _joint(result)] == [
        ("jc-one", "joint-missing"),
        ("jc-three", "joint-missing"),
    ]


_SCHOOL_RECORDS = """
categories:
  - {id: pupil_health, name: Pupil health records, art9_kind: health, declared: false}
  - {id: staff_dbs, name: DBS check results, criminal_offence: true, declared: false}
"""


def _school_server_work_carrying(folder: Path, categories: str) -> None:
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = "    categories: [customer_network]\n    subjects: [customer_staff, pupils,"
    assert text.count(old) == 1
    flows.write_text(
        text.replace(
            old, f"    categories: [{categories}]\n    subjects: [customer_staff, pupils,"
        ),
        encoding="utf-8",
    )


def test_problem_2_the_controllers_conditions_are_not_the_processors(tmp_path: Path) -> None:
    folder = concero_with(tmp_path, _SCHOOL_RECORDS)
    _school_server_work_carrying(folder, "customer_network, pupil_health, staff_dbs")
    result = audit_folder(folder)
    judged = {(r, f.element[1]) for f in result.findings for r in f.rule_ids}
    assert ("GDPR-ART9", "school-server-work") not in judged
    assert ("GDPR-ART10", "school-server-work") not in judged
    assert ("GDPR-BASIS", "school-server-work") not in judged
    # the processor's duty stays: the Art. 28 contract with the school
    [contract] = [
        f
        for f in result.findings
        if f.element == ("flows", "school-server-work") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert (contract.code, contract.severity.value) == ("missing", "high")
    # said as a note, never a pass
    note = (
        "the condition is the controller's to hold: the organisation processes this data as "
        "another controller's processor, on its documented instructions (Art. 28(3)(a), 29)"
    )
    assert result.unjudged["GDPR-ART9"] == {note: 1}
    assert result.unjudged["GDPR-ART10"] == {note: 1}
    assert "school-server-work" not in _passed(result, "GDPR-ART9")
    assert "school-server-work" not in _passed(result, "GDPR-ART10")


def test_problem_2_control_the_same_data_in_concero_s_own_processing(tmp_path: Path) -> None:
    """The same categories on a flow for Concero's own purpose are its own to condition."""
    folder = concero_with(tmp_path, _SCHOOL_RECORDS)
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = (
        "    categories: [contact.name, contact.email, contact.phone, contact.address, recruitment]"
    )
    assert text.count(old) == 1
    flows.write_text(
        text.replace(old, old.replace("recruitment]", "recruitment, staff_dbs, pupil_health]")),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    assert {
        (f.rule_id, f.code, f.severity.value)
        for f in result.findings
        if f.element == ("flows", "job-applications") and f.rule_id in ("GDPR-ART9", "GDPR-ART10")
    } == {("GDPR-ART9", "no-condition", "high"), ("GDPR-ART10", "no-condition", "high")}


def _card_codes(result: AuditResult) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (f.element[1], f.code, f.severity.value, f.rule_ids)
        for f in result.findings
        if "CONCERO-CALL-CARD-CODES" in f.rule_ids
    ]


def test_problem_3_card_codes_recorded_are_high_a_risk_medium(tmp_path: Path) -> None:
    shipped = audit_folder(shipped_map_dir())
    assert _card_codes(shipped) == [
        ("call-recording", "may-category", "medium", ("CONCERO-CALL-CARD-CODES",)),
    ]
    folder = concero_with(tmp_path, "")
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = (
        "    categories: [contact.phone, communications.call_recording]\n"
        "    subjects: [callers, customer_staff]\n"
        "    may_carry:\n"
        "      categories: [payment.card.security_code]\n"
        "      reason: >-\n"
    )
    assert text.count(old) == 1
    recorded = (
        "    categories: [contact.phone, communications.call_recording, "
        "payment.card.security_code]\n"
        "    subjects: [callers, customer_staff]\n"
        "    may_carry:\n"
        "      subjects: [callers]\n"
        "      reason: >-\n"
    )
    flows.write_text(text.replace(old, recorded), encoding="utf-8")
    result = audit_folder(folder)
    # the code kept beside the recording is the notice's N-PHONE promise too: one finding
    assert _card_codes(result) == [
        (
            "call-recording",
            "category",
            "high",
            ("CONCERO-CALL-CARD-CODES", "CONCERO-PHONE-NUMBER-ONLY"),
        ),
    ]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty working folder (paths print relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_problem_5_the_uk_starter_says_what_an_eu_organisation_changes(in_tmp: Path) -> None:
    assert run(["init", "uk", "--name", "Acme Ltd"]).exit_code == 0
    assert run(["init", "ie", "--name", "Acme Teoranta", "--country", "IE"]).exit_code == 0
    british = (in_tmp / "uk" / "map.yaml").read_text(encoding="utf-8")
    after = british.split("  regime: UK                   # the law you answer to: UK, EU or CH\n")
    assert after[1].splitlines()[:3] == [
        "  # (an EU organisation: set country to the Member State of its main establishment, IE,",
        "  # DE, FR, ..., and regime to EU, or start again with `flowaudit init --country IE`: the",
        "  # comments then speak of the EU GDPR and your supervisory authority, not of UK law)",
    ]
    irish = (in_tmp / "ie" / "map.yaml").read_text(encoding="utf-8")
    after = irish.split("  regime: EU                   # the law you answer to: UK, EU or CH\n")
    assert after[1].splitlines()[:2] == [
        "  # (your Member State is that of your main establishment, Art. 4(16); duties of UK law",
        "  # only are not asked of you. A UK organisation writes country GB and regime UK)",
    ]
    # the EU starter lists the EU's Art. 6(1) bases only: (ea) is UK law
    assert "recognised_legitimate_interests" not in irish
    assert "recognised_legitimate_interests" in british
    for folder in ("uk", "ie"):
        assert run(["check", folder, "--as-of", "2026-11-25"]).exit_code == 1


def test_an_agreement_of_the_wrong_kind_is_one_finding_with_its_status(tmp_path: Path) -> None:
    """The payment processor recorded as a processor: its data sharing agreement, of unknown
    status, is no Art. 28 contract. One problem, one fix (sign an Art. 28 contract): it was a
    HIGH wrong-kind and a MEDIUM unknown-status on the same flow, the status moot."""
    folder = concero_with(tmp_path, "")
    parties = folder / "organisation.yaml"
    text = parties.read_text(encoding="utf-8")
    old = "    kind: payment_processor\n    country: GB\n"
    assert text.count(old) == 1
    parties.write_text(text.replace(old, old + "    role: processor\n"), encoding="utf-8")
    result = audit_folder(folder)
    assert [
        (f.rule_ids, f.code, f.severity.value, f.message)
        for f in result.findings
        if f.element == ("flows", "card-payments") and f.rule_id == "GDPR-AGREEMENT"
    ] == [
        (
            ("GDPR-AGREEMENT", "CONCERO-PAYMENT-AGREEMENT"),
            "wrong-kind",
            "high",
            "Concero Technology Services (controller) → Payment processor (not named) "
            "(processor): an Art. 28 contract is required (art28_dpa); agreement "
            "'payment-sharing-agreement' is data_sharing_agreement, and is recorded with status "
            "unknown: no evidence that it exists or is signed",
        ),
    ]


def test_data_carried_and_named_in_may_carry_is_one_finding(tmp_path: Path) -> None:
    """The card code recorded as carried, the map's may_carry left naming it too: the
    recorded breach is the finding, not also a MEDIUM risk that the flow may carry it."""
    folder = concero_with(tmp_path, "")
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = "    categories: [contact.phone, communications.call_recording]\n"
    assert text.count(old) == 1
    flows.write_text(
        text.replace(
            old,
            "    categories: [contact.phone, communications.call_recording, "
            "payment.card.security_code]\n",
        ),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    assert _card_codes(result) == [
        (
            "call-recording",
            "category",
            "high",
            ("CONCERO-CALL-CARD-CODES", "CONCERO-PHONE-NUMBER-ONLY"),
        ),
    ]
