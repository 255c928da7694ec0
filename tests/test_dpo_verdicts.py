"""Verdicts from the DPO review of 2026-12-01 (leftovers): one problem is one finding, a
finding says what is missing and asserts only what the map records."""

from __future__ import annotations

from datetime import date

from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import FIXTURES, audit_files, line_of
from tests.helpers import audit_paths as audit

HERE = FIXTURES / "verdicts2"
FLOWS = shipped_map_dir() / "flows.yaml"


def _found(result: AuditResult, rule: str) -> list[tuple[str, str, int, str, str]]:
    return [
        (f.element[1], f.code, f.location.line if f.location else 0, f.severity.value, f.message)
        for f in result.findings
        if rule in f.rule_ids
    ]


def _line_in_flow(path: object, flow: str, needle: str) -> int:
    """The line of ``needle`` in the block of the flow ``flow`` of a map file."""
    from pathlib import Path

    lines = Path(str(path)).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {flow}")
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_what_several_flows_may_carry_for_one_reason_is_one_finding() -> None:
    fixture = HERE / "may-carry.yaml"
    result = audit_files(fixture, policies=(), user_policies=[HERE / "forbidden-policy.yaml"])
    assert _found(result, "TEST-PUPILS") == [
        # no reason given: nothing says the two share one risk
        (
            "no-reason-1",
            "may-subject",
            line_of(fixture, "id: no-reason-1"),
            "high",
            "may carry data about Pupils, which is forbidden",
        ),
        (
            "no-reason-2",
            "may-subject",
            line_of(fixture, "id: no-reason-2"),
            "high",
            "may carry data about Pupils, which is forbidden",
        ),
        (
            "remote-mis",
            "may-subject",
            line_of(fixture, "id: remote-mis"),
            "high",
            "may carry data about Pupils, which is forbidden: remote support works on the "
            "school's pupil records",
        ),
        (
            "tickets",
            "may-subject",
            line_of(fixture, "id: tickets"),
            "high",
            "may carry data about Pupils, which is forbidden: tickets take any text school "
            "staff submit; the same data may reach host-us, host-de",
        ),
    ]
    # a flow whose risk another flow's finding names is not recorded as a pass either
    passed = {e.element[1] for e in result.passed if e.rule_id == "TEST-PUPILS"}
    assert passed.isdisjoint({"tickets", "host-us", "host-de"})


def test_concero_support_tickets_and_their_hosting_are_one_pupil_finding() -> None:
    result = audit([], date(2026, 11, 25))
    assert [
        (element, code, line, severity)
        for element, code, line, severity, _ in _found(result, "CONCERO-PUPILS")
    ] == [
        (
            "school-server-work",
            "subject",
            _line_in_flow(FLOWS, "school-server-work", "subjects:"),
            "critical",
        ),
        (
            "helpdesk-tickets",
            "may-subject",
            _line_in_flow(FLOWS, "helpdesk-tickets", "subjects: [pupils"),
            "high",
        ),
        (
            "mis-third-party-support",
            "may-subject",
            _line_in_flow(FLOWS, "mis-third-party-support", "subjects: [pupils"),
            "high",
        ),
    ]
    helpdesk = _found(result, "CONCERO-PUPILS")[1][4]
    assert helpdesk.endswith("; the same data may reach hosting-us, hosting-eea, hosting-uk")


def test_a_recipient_of_unrecorded_role_is_a_sub_processor_only_if_it_is_a_processor() -> None:
    fixture = HERE / "role-unrecorded.yaml"
    result = audit_files(fixture)
    on_flows = [hit for hit in _found(result, "GDPR-PROCESSOR") if hit[0] != "acme"]
    assert on_flows == [
        # a sub-processor: the missing contract must authorise it (one finding with the
        # agreement rule's, where the contract is missing; tests/test_one_problem_one_finding.py)
        (
            "server-work",
            "missing",
            line_of(fixture, "id: server-work"),
            "high",
            "A School (controller) → Acme Ltd (processor): an Art. 28 contract is required; none "
            "is linked; it must authorise the sub-processor the controller's data may reach "
            "(Art. 28(2)): US Host (hosting)",
        ),
        (
            "remote-help",
            "subprocessor-not-authorised",
            line_of(fixture, "id: remote-help"),
            "high",
            "A School (controller) → Acme Ltd (processor) → Support Firm (role not recorded): "
            "this flow may carry the controller's data (about Pupils); if Support Firm "
            "acts as a processor, A School must authorise it as a sub-processor in a signed "
            "Art. 28 contract with Acme Ltd that allows sub-processing (Art. 28(2)), and none "
            "does; if as a controller, Acme Ltd may disclose the data only on the documented "
            "instructions of A School (Art. 28(3)(a), Art. 29); Acme Ltd → Support Firm (role "
            "not recorded): record whether the recipient acts as processor (an Art. 28 contract "
            "is then required) or as controller; no agreement is linked",
        ),
        (
            "to-trainer",
            "disclosure-outside-instructions",
            line_of(fixture, "id: to-trainer"),
            "high",
            "A School (controller) → Acme Ltd (processor) → UK Controller (controller): this "
            "flow may carry the controller's data (about Pupils); Acme Ltd may disclose it "
            "only on the documented instructions of A School (Art. 28(3)(a), Art. 29), and no "
            "signed Art. 28 contract with A School allows passing it on; a processor that "
            "decides to share it itself becomes its controller (Art. 28(10))",
        ),
    ]


def test_a_notice_that_covers_an_item_in_part_is_told_what_is_missing() -> None:
    fixture = HERE / "notice-partial.yaml"
    result = audit_files(fixture, base=False)
    assert _found(result, "GDPR-NOTICE-CONTENT") == [
        (
            "partco",
            "item-missing",
            line_of(fixture, "retention: null"),
            "medium",
            "the notice does not give how long data is kept, or the criteria for it "
            "(UK GDPR Art. 13(2)(a))",
        ),
        (
            "partco",
            "item-incomplete",
            line_of(fixture, "lacks: the safeguard"),
            "medium",
            'the notice gives only part of "transfers abroad, their safeguards and how to get '
            'a copy of them" (UK GDPR Art. 13(1)(f)): it says data goes to "servers in the '
            'USA" (line 9), but lacks the safeguard that covers it and how to get a copy of it',
        ),
    ]


def test_concero_notice_findings_say_what_the_notice_lacks() -> None:
    result = audit([], date(2026, 11, 25))
    organisation = shipped_map_dir() / "organisation.yaml"
    found = [
        (code, line, severity)
        for _, code, line, severity, _ in _found(result, "GDPR-NOTICE-CONTENT")
    ]
    assert found == [
        ("item-missing", line_of(organisation, "legitimate_interests: null"), "medium"),
        # Art. 13(1)(c): an open list of bases tied to no purpose, "Billing" among them (DPO
        # review B2); the flows' own bases are GDPR-BASIS's findings
        ("item-incomplete", line_of(organisation, "lacks: 'the lawful basis"), "medium"),
        ("item-incomplete", line_of(organisation, "lacks: how long"), "medium"),
        ("item-incomplete", line_of(organisation, "lacks: 'the rights of access"), "medium"),
        ("item-incomplete", line_of(organisation, "lacks: 'an Art. 46 safeguard"), "medium"),
        ("item-missing", line_of(organisation, "withdraw_consent: null"), "medium"),
    ]
    # the Privacy Shield covers no transfer: "lacks" must not read as if it covered some
    # (review 2026-12-02b, problem 10)
    (transfers,) = [
        message
        for *_, message in _found(result, "GDPR-NOTICE-CONTENT")
        if "Art. 13(1)(f)" in message
    ]
    assert "outside the Privacy Shield" not in transfers
    assert transfers.endswith(
        "and how to get a copy of the safeguards or where they are available; and since "
        "2020-07-16, a valid safeguard for the US hosting: the EU-US Privacy Shield, the only "
        "framework it names that a UK exporter could use, is invalid from that day"
    )


def test_data_received_on_the_senders_channel_is_rated_apart() -> None:
    fixture = HERE / "inbound-encryption.yaml"
    result = audit_files(fixture, policies=("concero-notice",))
    assert _found(result, "CONCERO-ENCRYPT") == [
        (
            "out-plain",
            "transit-plain",
            line_of(fixture, "id: out-plain"),
            "high",
            "sent without encryption in transit",
        ),
        (
            "in-plain",
            "inbound-transit-plain",
            line_of(fixture, "id: in-plain"),
            "medium",
            "received without encryption in transit",
        ),
        (
            "out-unknown",
            "transit-unknown",
            line_of(fixture, "id: out-unknown"),
            "medium",
            "encryption in transit is not recorded",
        ),
        (
            "in-unknown",
            "inbound-transit-unknown",
            line_of(fixture, "id: in-unknown"),
            "low",
            "encryption in transit of the data it receives is not recorded",
        ),
    ]


def test_passwords_in_the_helpdesk_the_notice_declares_are_no_sharing_breach() -> None:
    fixture = HERE / "credentials.yaml"
    result = audit_files(fixture, policies=("concero-notice",))
    assert _found(result, "CONCERO-HELPDESK-CREDENTIALS") == [
        (
            "out-of-helpdesk",
            "category",
            line_of(fixture, "id: out-of-helpdesk"),
            "high",
            "carries forbidden category 'credentials.password'",
        ),
        (
            "to-supplier",
            "category",
            line_of(fixture, "id: to-supplier"),
            "high",
            "carries forbidden category 'credentials.password'",
        ),
    ]
    # on the shipped map the helpdesk flow itself is no finding either: what is, the store's
    # missing protection, is tests/test_one_problem_one_finding.py's
    concero = audit([], date(2026, 11, 25))
    assert [f[0] for f in _found(concero, "CONCERO-HELPDESK-CREDENTIALS")] == ["helpdesk"]


def test_every_concero_finding_has_an_id_of_its_own() -> None:
    # the notice's Art. 13 items are five findings of one rule and two codes on one element:
    # a DPO striking one by its id must strike that one only
    result = audit([], date(2026, 11, 25))
    ids = [f.finding_id for f in result.findings]
    assert len(ids) == len(set(ids)) == 57
    # findings that never shared an id keep the one they always had
    transfer = next(
        f
        for f in result.findings
        if f.element == ("flows", "hosting-us") and f.rule_id == "GDPR-TRANSFER"
    )
    assert transfer.finding_id == "F-0b1013b4d0"
    notice = sorted(
        (f.key, f.finding_id) for f in result.findings if f.rule_id == "GDPR-NOTICE-CONTENT"
    )
    assert [key for key, _ in notice] == [
        "notice_content.legitimate_interests",
        "notice_content.purposes_and_bases.lacks",
        "notice_content.retention.lacks",
        "notice_content.rights.lacks",
        "notice_content.transfer_safeguards.lacks",
        "notice_content.withdraw_consent",
    ]
