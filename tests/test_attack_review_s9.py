"""Attack review s9 (/work/reviews/attack9-2026-12-04s9.md): problem 1, a high or critical
finding that went with its deleted flow while the flow's store still declares the data it
carried, which nothing else writes into it, passed the gate with nothing to review; problem
2, the routine hosting of data on US servers passed as an "occasional" Art. 49 derogation,
and no pass on a derogation said that it rests on ``occasional: true`` taken on trust."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import (
    audit_folder,
    concero_repo,
    concero_with,
    edit_once,
    review_lines,
    run,
    run_gate,
)

FIXTURES = Path(__file__).parent / "fixtures" / "attack_s9"

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]

BACKUP_FLOW = (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8").split("flows:\n")[1]

BACKUP_STORE = """  - id: us-backup
    name: US backup copies
    owner: us-hosting
    country: US
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
"""

CALL_RECORDING = """  - id: call-recording
    from: concero
    to: call-recordings
    categories: [contact.phone, communications.call_recording]
    subjects: [callers, customer_staff]
    may_carry:
      categories: [payment.card.security_code]
      reason: >-
        every call is recorded whole (N-PHONE) and orders are paid by card (N-PURPOSE): a card
        read out on a call is recorded with its security code, unless recording pauses while
        card details are taken
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
    description: No legitimate interests assessment is documented.

"""

CALL_RECORDINGS = (
    "  - id: call-recordings\n"
    "    name: Call recordings\n"
    "    owner: concero\n"
    "    country: GB\n"
    "    categories: [contact.phone, communications.call_recording]\n"
    "    subjects: [callers, customer_staff]\n"
    "    retention_days: 30\n"
    "    retention_justification: Training and monitoring; kept longer only while an issue is "
    "open (N-PHONE).\n"
    "    encrypted_at_rest: true\n"
    "    notice: N-PHONE\n"
    "\n"
)


def test_problem_1_a_critical_gone_with_its_flow_while_its_store_abroad_holds_the_data(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1 (d3): the flow to the US backup store deleted, the store
    still declaring customer staff's names and emails: the CRITICAL transfer finding is a
    change to review naming the store and its country, and the gate fails under high."""
    repo = concero_repo(tmp_path, (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8"))
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the data it carried is still recorded in systems/us-backup "
        "(US); confirm it was erased, or record the flow that fills it (it declares categories "
        "contact.name, contact.email and data about customer_staff, which no flow writes into "
        "it; it said: EU-US Privacy Shield is invalid since 2020-07-16 (Commission "
        "Implementing Decision (EU) 2016/1250; CJEU C-311/18, judgment of 16 July 2020))"
    ]
    assert (
        "FAIL: no new findings at or above high against HEAD, but 1 change to review not "
        "accepted: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid. Not "
        "failed on: 57 existing findings."
    ) in result.stdout.splitlines()


def test_problem_1_a_high_gone_with_its_flow_while_its_store_still_holds_the_data(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1 (d1): call-recording deleted from the shipped map while
    systems/call-recordings still declares the recordings and phone numbers of callers and
    customer staff: its HIGH GDPR-BASIS is put to a person. (website-visits was the
    specimen until DPO review s17 made its missing assessment one finding with
    third-party-insights', for their one purpose: that finding stays when website-visits
    goes, tests/test_dpo_s17.py.)"""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", CALL_RECORDING, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-BASIS:flows/call-recording:no-assessment: "
        "high GDPR-BASIS on flows/call-recording (no-assessment) went with its element, and "
        "the data it carried is still recorded in systems/call-recordings (GB); confirm it "
        "was erased, or record the flow that fills it (it declares categories contact.phone, "
        "communications.call_recording and data about callers, customer_staff, which no flow "
        "writes into it; it said: Legitimate interests, Art. 6(1)(f) needs a legitimate "
        "interests assessment on file; none is linked)"
    ]


def test_problem_1_control_a_flow_deleted_with_its_store_is_plainly_removed(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1, control: the flow deleted together with its store
    stopped: its finding goes as REMOVED, nothing to review, the gate passes."""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", CALL_RECORDING, "")
    repo.edit("systems.yaml", CALL_RECORDINGS, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert review_lines(result.stdout) == []
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("  REMOVED ")
        and "HIGH GDPR-BASIS flows/call-recording:" in line
        and line.endswith("[flows/call-recording is no longer in the map]")
        for line in lines
    ), result.printed


def test_problem_1_a_flow_deleted_with_what_its_store_declares_is_put_to_a_person(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1, control, reversed by attack review s10, problem 4: the
    US backup flow deleted and the kept store no longer declaring its categories or people
    is a claim of erasure made in the change that removes the CRITICAL: a change to review
    naming the store and what it no longer names (no longer a plain REMOVED)."""
    repo = concero_repo(tmp_path, (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8"))
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit(
        "zz-extra.yaml",
        "    categories: [contact.name, contact.email]\n    subjects: [customer_staff]\n",
        "",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the store it filled, systems/us-backup (US), is still in the "
        "map, and its declaration no longer names categories contact.name, contact.email and "
        "data about customer_staff: confirm it was erased (it said: EU-US Privacy Shield is "
        "invalid since 2020-07-16 (Commission Implementing Decision (EU) 2016/1250; CJEU "
        "C-311/18, judgment of 16 July 2020))"
    ]


HOSTING_US_SHIELD = "    transfer_mechanism: privacy_shield_eu_us\n    # what"
HOSTING_US_DEROGATION = (
    "    transfer_mechanism: art49_derogation\n    derogation: contract_for_subject\n"
    "    occasional: true\n    # what"
)


def test_problem_2_a_derogation_cannot_carry_data_kept_on_servers_abroad(tmp_path: Path) -> None:
    """Attack review s9, problem 2 (a4): hosting-us, into the store us-servers in the US,
    recorded as an occasional Art. 49 derogation: data kept on servers abroad is a
    systematic transfer (the legal table's storage_abroad), CRITICAL on both transfer
    rules; the verdict stays 57 findings, 3 critical, as with the Privacy Shield."""
    folder = concero_with(tmp_path, "")
    edit_once(folder / "flows.yaml", HOSTING_US_SHIELD, HOSTING_US_DEROGATION)
    result = audit_folder(folder)
    found = [f for f in result.findings if f.element == ("flows", "hosting-us")]
    transfer = [f for f in found if "GDPR-TRANSFER" in f.rule_ids]
    assert [(f.rule_ids, f.code, f.severity.value) for f in transfer] == [
        (("GDPR-TRANSFER", "CONCERO-TRANSFER"), "derogation-for-storage", "critical")
    ]
    assert transfer[0].message == (
        "US servers ('us-servers') is a store of US hosting provider (not named) in US: data "
        "kept on servers abroad rests there for as long as it is held, a systematic transfer, "
        "not an occasional one, so Art. 49 derogations (contract necessity, legal claims, ...) "
        "cannot carry it whatever occasional: true says; it needs an adequacy or an Art. 46 "
        "safeguard (UK GDPR Art. 49(1), recital 111; EDPB Guidelines 2/2018 on "
        "derogations of Article 49, section 1); US hosting provider (not named) holds the data "
        "in US servers ('us-servers') as the processor of Concero Technology Services: "
        "engaging a processor abroad is the controller's choice, not necessary for the "
        "contract with the person, so ground 'contract_for_subject' (Art. 49(1)(c): necessary "
        "for a contract concluded in the person's interest) cannot carry the transfer to it; "
        "it needs an adequacy or an Art. 46 safeguard (UK GDPR Art. 49(1)(b), (c); EDPB "
        "Guidelines 2/2018 on derogations of Article 49, sections 2.2.2 and 2.3 (the necessity "
        "test))"
    )  # and, since lawyer review s10, problem 1, the contract ground's necessity refused too
    location = transfer[0].location
    assert location is not None
    assert (Path(location.file).name, location.line) == ("flows.yaml", 203)  # occasional: true
    assert not [
        e
        for e in result.passed
        if e.element == ("flows", "hosting-us") and e.rule_id.endswith("-TRANSFER")
    ]
    assert len(result.findings) == 57
    assert sum(f.severity.value == "critical" for f in result.findings) == 3


#: the organisation's own law cited, as in its findings (lawyer review s16, problem 4)
OCCASIONAL_FACT = (
    "occasional: taken on trust: a transfer under 'art49_derogation' (Art. 49 derogations "
    "(contract necessity, legal claims, ...)) must be occasional and non-routine, which the "
    "map cannot show; the flow says so (occasional: true) (UK GDPR Art. 49(1)(b)-(g); "
    "EDPB Guidelines 2/2018)"
)


def test_problem_2_an_accepted_derogation_to_a_party_passes_on_an_assumed_fact(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 2: the same derogation to the US host as a party (no store)
    passes, and the pass is listed as resting on ``occasional: true`` taken on trust, as the
    other assumed facts are ("Passed on an ASSUMED fact"). On legal claims: a contract ground
    cannot carry a transfer to the organisation's processor at all (lawyer review s10,
    problem 1: tests/test_lawyer_review_s10.py)."""
    folder = concero_with(tmp_path, "")
    edit_once(
        folder / "flows.yaml",
        HOSTING_US_SHIELD,
        HOSTING_US_DEROGATION.replace("contract_for_subject", "legal_claims"),
    )
    edit_once(
        folder / "flows.yaml",
        "    to: us-servers\n    categories: [contact.name, contact.email, contact.organisation",
        "    to: us-hosting\n    categories: [contact.name, contact.email, contact.organisation",
    )
    result = audit_folder(folder)
    passes = {
        e.rule_id: e.assumed
        for e in result.passed
        if e.element == ("flows", "hosting-us") and e.rule_id.endswith("-TRANSFER")
    }
    assert passes == {"GDPR-TRANSFER": (OCCASIONAL_FACT,), "CONCERO-TRANSFER": (OCCASIONAL_FACT,)}
    printed = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert printed.exit_code == 1
    assert (
        f"Passed on an ASSUMED fact: {OCCASIONAL_FACT}: 2 checks (CONCERO-TRANSFER "
        "flows/hosting-us, GDPR-TRANSFER flows/hosting-us)"
    ) in printed.stdout.splitlines()


CASE_FILES = """parties:
  - {id: us-counsel, name: US litigation counsel, kind: other, country: US, role: controller}
systems:
  - id: us-case-files
    name: Counsel's case files
    owner: us-counsel
    country: US
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
flows:
  - id: claim-papers
    from: concero
    to: us-case-files
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
    purpose: sla_support
    basis: legitimate_interests
    transfer_mechanism: art49_derogation
    derogation: legal_claims
    occasional: true
    encrypted_in_transit: true
"""


def test_problem_2_control_a_disclosure_into_another_controllers_store_may_be_occasional(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 2, control: papers disclosed on legal claims into US
    counsel's own case files (a controller's store, not one held for the organisation) are
    not refused as storage abroad: what counsel keeps is its own record; the pass rests on
    ``occasional: true`` taken on trust, and says so."""
    result = audit_folder(concero_with(tmp_path, CASE_FILES))
    assert not [
        f
        for f in result.findings
        if f.element == ("flows", "claim-papers") and "GDPR-TRANSFER" in f.rule_ids
    ]
    assert {
        e.rule_id: e.assumed
        for e in result.passed
        if e.element == ("flows", "claim-papers") and e.rule_id.endswith("-TRANSFER")
    } == {"GDPR-TRANSFER": (OCCASIONAL_FACT,), "CONCERO-TRANSFER": (OCCASIONAL_FACT,)}
