"""The shipped Concero map: what the issue's definition of done asks of it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.engine import run_audit
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import load_map, shipped_map_dir
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import load_policies
from tests.helpers import EXTRA, concero_with, line_of

FLOWS = shipped_map_dir() / "flows.yaml"


def concero(as_of: str) -> AuditResult:
    return audit(AuditRequest([], date.fromisoformat(as_of)))


def finding(result: AuditResult, flow: str, rule: str, code: str) -> tuple[int, int]:
    matches = [
        f
        for f in result.findings
        if f.element == ("flows", flow) and f.rule_id == rule and f.code == code
    ]
    assert len(matches) == 1, [
        (f.rule_id, f.code) for f in result.findings if f.element == ("flows", flow)
    ]
    location = matches[0].location
    assert location is not None and location.file.endswith("flows.yaml")
    return location.line, location.column


def test_privacy_shield_transfer_is_reported_at_its_line() -> None:
    result = concero("2026-11-25")
    assert finding(result, "hosting-us", "GDPR-TRANSFER", "mechanism-invalid") == (
        line_of(FLOWS, "transfer_mechanism: privacy_shield_eu_us"),
        5,
    )


def test_by_providing_your_data_is_reported_as_no_mechanism() -> None:
    result = concero("2026-11-25")
    assert finding(result, "helpdesk-tickets", "GDPR-TRANSFER", "not-a-mechanism") == (
        line_of(FLOWS, "transfer_mechanism: consent_by_providing_data"),
        5,
    )


def test_every_flow_whose_agreement_is_unknown_is_reported() -> None:
    """Once per flow, in the words its recipient's role calls for: an Art. 28 contract of
    unknown status (processor), an unrecorded role, or a sharing agreement of unknown status
    (independent controller)."""
    result = concero("2026-11-25")
    loaded = load_map([shipped_map_dir()])
    unknown = {a.id for a in loaded.data.agreements if a.status.value == "unknown"}
    expected = sorted(f.id for f in loaded.data.flows if f.agreement in unknown)
    codes = ("unknown-status", "role-undecided", "sharing-unknown-status")
    # an unrecorded role the processor-duties rule also turns on is one finding, led by it
    codes += ("subprocessor-not-authorised",)
    reported = {
        f.element[1]: f.code
        for f in result.findings
        if f.code in codes and "GDPR-AGREEMENT" in f.rule_ids
    }
    assert sorted(reported) == expected
    assert len(expected) == 9
    assert reported == {
        "helpdesk-tickets": "unknown-status",
        "hosting-us": "unknown-status",
        "hosting-eea": "unknown-status",
        "hosting-uk": "unknown-status",
        "isp-provisioning": "role-undecided",
        "mis-third-party-support": "subprocessor-not-authorised",
        "installation-helper": "role-undecided",
        "card-payments": "role-undecided",
        "procurement-quotes": "sharing-unknown-status",
    }
    for flow in expected:
        if reported[flow] in ("role-undecided", "subprocessor-not-authorised"):
            continue
        line, _ = finding(result, flow, "GDPR-AGREEMENT", reported[flow])
        assert line == line_of(
            FLOWS, f"agreement: {next(f.agreement for f in loaded.data.flows if f.id == flow)}"
        )


def test_billing_is_not_a_basis() -> None:
    result = concero("2026-11-25")
    assert finding(result, "card-payments", "GDPR-BASIS", "not-a-basis") == (
        line_of(FLOWS, "basis: billing"),
        5,
    )


def test_privacy_shield_passes_as_of_2019() -> None:
    result = concero("2019-06-01")
    assert not [
        f
        for f in result.findings
        if f.element == ("flows", "hosting-us") and f.rule_id == "GDPR-TRANSFER"
    ]
    assert ("GDPR-TRANSFER", ("flows", "hosting-us")) in {
        (e.rule_id, e.element) for e in result.passed
    }


def test_same_input_same_result() -> None:
    loaded = load_map([shipped_map_dir()])
    policies = load_policies(["uk-gdpr"])
    first = run_audit(loaded, policies, load_legal_table(), date(2026, 11, 25))
    second = run_audit(loaded, policies, load_legal_table(), date(2026, 11, 25))
    assert first.findings == second.findings and first.fingerprint == second.fingerprint


# DPO review 2026-12-02b: passes a DPO cannot sign


def _passed(result: AuditResult, rule: str) -> set[tuple[str, str]]:
    return {e.element for e in result.passed if e.rule_id == rule}


def test_what_the_mis_support_flow_may_carry_is_a_risk_under_its_own_clause() -> None:
    """The map says remote MIS support may carry the school's network data (may_carry):
    "one business contact only" (N-MIS) reports it as a risk to confirm, at the may_carry
    line, and does not pass the flow (problem 4). The data is the school's, held as its
    processor: not Concero's to declare (N-COLLECT), and the installation clause (N-INSTALL)
    is not MIS support's (review c, problems 1 and 3). The same remote session is the pupil
    data risk: one step confirms or clears both, so it is one finding, led by the graver
    promise (DPO review 2026-12-02d, problem 11)."""
    result = concero("2026-11-25")
    flow = ("flows", "mis-third-party-support")
    found = {
        (f.rule_id, *f.also): (f.code, f.severity.value)
        for f in result.findings
        if f.element == flow and f.code.startswith("may-")
    }
    # the network data is the school's (held as its processor): not Concero's to declare;
    # remote MIS support has its own clause, not the installation one (review c, 1 and 3)
    assert found == {("CONCERO-PUPILS", "CONCERO-MIS-CONTACT"): ("may-subject", "high")}
    (joined,) = [f for f in result.findings if f.element == flow and f.rule_id == "CONCERO-PUPILS"]
    assert joined.message.endswith(
        "may carry 'customer_network', which is not among the allowed categories (contact.name, "
        "contact.email, contact.phone); a risk to confirm"
    )
    assert joined.message.count("remote MIS support works on the school's MIS") == 1
    lines = FLOWS.read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: mis-third-party-support")
    may_line = (
        start
        + 1
        + next(
            n
            for n, line in enumerate(lines[start:])
            if "subjects: [pupils, students, parents]" in line
        )
    )
    assert finding(result, "mis-third-party-support", "CONCERO-PUPILS", "may-subject") == (
        may_line,
        18,
    )
    assert flow not in _passed(result, "CONCERO-MIS-CONTACT")
    assert flow in _passed(result, "CONCERO-DECLARED")


def test_stores_the_may_carry_flows_fill_are_not_passed_as_free_of_pupil_data() -> None:
    """A finding says pupil data may reach the helpdesk and the three hosts: CONCERO-PUPILS
    no longer lists them as passed; stores no flow fills with it still pass (problem 9)."""
    passed = _passed(concero("2026-11-25"), "CONCERO-PUPILS")
    for store in ("helpdesk", "us-servers", "eea-servers", "uk-servers"):
        assert ("systems", store) not in passed, store
    assert {("systems", "crm"), ("systems", "billing")} <= passed


def test_encryption_of_third_party_stores_is_an_evidence_gap_concero_own_as_stated() -> None:
    """Encryption claimed on the notice's word alone: Concero's own stores pass as the
    notice states; third parties' stores are evidence gaps (problem 16); the transport is
    Concero's own measure, on every flow, as the notice states (review c, problem 6)."""
    result = concero("2026-11-25")
    gaps = {
        (f.element, f.code, f.severity.value)
        for f in result.findings
        if f.rule_id == "CONCERO-ENCRYPT" and f.code in ("rest-unknown", "transit-unknown")
    }
    stores = ("helpdesk", "us-servers", "eea-servers", "uk-servers")
    assert gaps == {(("systems", s), "rest-unknown", "medium") for s in stores}
    own = {s.id for s in load_map([shipped_map_dir()]).data.systems if s.owner == "concero"}
    assert {("systems", s) for s in own} <= _passed(result, "CONCERO-ENCRYPT")


def test_the_us_hosts_privacy_shield_listing_is_marked_assumed() -> None:
    """The unnamed US host is recorded as listed on the notice's word (problem 18)."""
    loaded = load_map([shipped_map_dir()])
    (host,) = [p for p in loaded.data.parties if p.id == "us-hosting"]
    assert host.listed_under == ["privacy_shield_eu_us"]
    assert "not named" in host.assumed["listed_under"]


def test_customer_network_data_is_copied_only_to_the_customers_own_equipment(
    tmp_path: Path,
) -> None:
    """N-INSTALL: "none of your data is taken off site, without prior consent, and is only
    ever copied to your own equipment". A copy onto a store of Concero's breaks the second
    promise whatever the consent; taking data off site to a third party needs the customer's
    prior consent, its instruction as controller (a permission), not an Art. 6 consent of
    its pupils (DPO review 2026-12-02d, problem 2: the rule never fired)."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    extra = folder / "workshop.yaml"
    extra.write_text(
        "systems:\n"
        "  - {id: workshop, name: Concero workshop backup server, owner: concero, country: GB,"
        " categories: [customer_network], encrypted_at_rest: true, retention_days: 30,"
        " retention_justification: recovery jobs}\n"
        "parties:\n"
        "  - {id: recovery-lab, name: Data recovery lab, kind: service_provider, country: GB,"
        " role: processor}\n"
        "flows:\n"
        "  - {id: to-workshop, from: customer-schools, to: workshop, categories:"
        " [customer_network], subjects: [customer_staff], purpose: sla_support,"
        " recipient_role: processor, encrypted_in_transit: true, permission: job sheet}\n"
        "  - {id: to-lab, from: concero, to: recovery-lab, categories: [customer_network],"
        " subjects: [customer_staff], purpose: sla_support, encrypted_in_transit: true}\n"
        "  - {id: to-lab-agreed, from: concero, to: recovery-lab, categories:"
        " [customer_network], subjects: [customer_staff], purpose: sla_support,"
        " encrypted_in_transit: true, permission: signed job sheet 2026-03}\n",
        encoding="utf-8",
    )
    result = audit(AuditRequest([folder], date(2026, 11, 25)))
    found = sorted(
        (f.rule_id, f.element[1], f.code, f.severity.value, f.location.line if f.location else 0)
        for f in result.findings
        if f.rule_id.startswith("CONCERO-INSTALL")
    )
    assert found == [
        ("CONCERO-INSTALL-OFFSITE", "to-lab", "no-permission", "high", 7),
        ("CONCERO-INSTALL-OWN-EQUIPMENT", "to-workshop", "category", "high", 6),
    ]
    passed = {(e.rule_id, e.element[1]) for e in result.passed}
    assert ("CONCERO-INSTALL-OFFSITE", "to-lab-agreed") in passed
    # the on-site work itself (the customer's data handled by Concero's engineers) is neither
    assert not [
        f
        for f in result.findings
        if f.rule_id.startswith("CONCERO-INSTALL") and f.element[1] == "school-server-work"
    ]


def test_a_subject_read_as_pupils_is_warned_of_and_the_shipped_map_has_none(
    tmp_path: Path,
) -> None:
    """DPO review 2026-12-03l, problem 10 (overlay k06): school pupils recorded as `learners`,
    marked children, sent by schools to a Concero store escaped CONCERO-PUPILS in silence (it
    matches by id or fides_key). CONCERO-PUPILS says pupils stands for children
    (children_read_as), so the subject is warned of at its children flag; the shipped map,
    whose pupils, students and parents are the rule's own ids, has no such warning."""
    shipped = concero("2026-11-25")
    assert [w for w in shipped.warnings if "reads as" in w and "subject" in w] == []
    folder = concero_with(
        tmp_path,
        "subjects:\n"
        "  - {id: learners, name: School pupils (sixth-form learners), children: true}\n"
        "flows:\n"
        "  - {id: exam-in, from: customer-schools, to: crm, categories: [contact.name],"
        " subjects: [learners], purpose: sla_support, basis: legitimate_interests,"
        " encrypted_in_transit: true, notice: N-COLLECT}\n",
    )
    result = audit(AuditRequest([folder], date(2026, 11, 25)))
    said = [w.partition(EXTRA)[2] for w in result.warnings if "learners" in w]
    assert said == [
        ":2:63: subject 'learners' (School pupils (sixth-form "
        "learners)) reads as 'pupils' (it is marked children), which CONCERO-PUPILS forbids, "
        "but the rule names the subject ids [pupils, students, parents] and does not see this "
        "one: if it is, use that id or add `fides_key: pupils` to the subject"
    ]


def test_the_notices_own_lists_decide_what_it_declares(tmp_path: Path) -> None:
    """DPO review 2026-12-03l, problem 9 (overlays k01, k09): N-COLLECT and N-PURPOSE are
    closed lists, but the map's declared flag defaults to true, so a new category
    (exam_entries) and a new purpose (audience_matching) were presumed declared.
    CONCERO-DECLARED now judges by the notice's lists written into the policy: both are
    findings, while the shipped map, every category and purpose of which the notice
    declares, has none."""
    shipped = concero("2026-11-25")
    assert [f for f in shipped.findings if f.rule_id == "CONCERO-DECLARED"] == []
    folder = concero_with(
        tmp_path,
        "categories:\n"
        "  - {id: exam_entries, name: Exam entries}\n"
        "purposes:\n"
        "  - {id: audience_matching, name: Matching customer contacts to ad audiences}\n"
        "flows:\n"
        "  - {id: exam-in, from: customer-schools, to: crm, categories: [exam_entries],"
        " subjects: [customer_staff], purpose: contractual_obligations,"
        " basis: legitimate_interests, encrypted_in_transit: true, notice: N-COLLECT}\n"
        "  - {id: ad-upload, from: concero, to: crm, categories: [contact.email],"
        " subjects: [customer_staff], purpose: audience_matching,"
        " basis: legitimate_interests, encrypted_in_transit: true, notice: N-COLLECT}\n",
    )
    result = audit(AuditRequest([folder], date(2026, 11, 25)))
    found = sorted(
        (f.element[1], f.code, f.severity.value, f.location.line if f.location else 0, f.message)
        for f in result.findings
        if f.rule_id == "CONCERO-DECLARED"
    )
    assert found == [
        (
            "ad-upload",
            "purpose",
            "medium",
            7,
            "serves 'audience_matching', a purpose the notice does not declare (it is not "
            "among the purposes of N-PURPOSE, N-CURRICULUM, N-PROCURE, N-PHONE that the "
            "policy lists)",
        ),
        (
            "exam-in",
            "category",
            "medium",
            6,
            "carries 'exam_entries', which the notice does not declare (it is not among the "
            "categories of N-COLLECT, N-HELPDESK, N-ISP, N-THIRDPARTY, N-CURRICULUM, N-PURPOSE "
            "that the policy lists: contact.name, contact.organisation, contact.position, "
            "contact.address, contact.email, contact.phone, payment, support, web, "
            "credentials, username, network, device, logs, communications, education, "
            "recruitment)",
        ),
    ]
