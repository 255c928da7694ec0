"""DPO review s18 of the shipped Concero verdict and of the open "both"-capacity question.

- Problem 1: a processor's hop naming no basis, for a purpose the organisation's own flow
  carries, whose people reach the processor both as the organisation's (its processor flow)
  and in a capacity of the processor's own (as a controller, or for another controller):
  capacity "both". It was asked a lawful basis of its own, a HIGH "no Art. 6 lawful basis is
  named" (DPO review z, problem 1), while the same hop with no such second capacity rests on
  the organisation's flow's basis (lawyer review s17, problem 2). Neither reading of "both"
  asks the organisation for a basis on the hop: read as the organisation's processing (the
  worse case every other rule takes) it rests on the organisation's own flow's basis (Art.
  28(3)(a), 29; FACTS.md, roles: "its lawfulness rests on the controller's basis"); read as
  the processor's own, its basis is the processor's duty. The only answer to the finding was
  to copy the organisation's basis onto the hop. Now a "both" hop is one of
  ``MapFacts.on_our_basis``; the warning still asks whose processing it is, the transfer,
  onward and Art. 28 rules still judge it as the organisation's, and the Art. 30(1) record
  keeps it. A hop for a purpose of no flow of the organisation's (Art. 28(10)) and one that
  names a basis are judged as before.

- Problem 2: N-PHONE's last promise, "we will never sell or pass on your contacts details to
  a third party", was checked by no rule: callers' numbers and recordings sent from the call
  recordings store to a reseller (a controller) with a permission recorded gave a LOW (a data
  sharing agreement is good practice). New rule CONCERO-PHONE-NOT-PASSED-ON (kind forbidden,
  high) with a new match condition, ``from_stores_holding``: the flows out of a store that
  holds a category (call recordings) to a controller or joint controller (a processor is no
  third party, Art. 4(10)). The shipped verdict is unchanged (57 findings, 225 passed); the
  rules are 52.

- Problem 3: an agreement's own standing (status unknown, a draft, expired, not yet in
  force) was one finding per flow linking it: two flows to one host linking one DPA of
  unknown status were two MEDIUMs answered by one fix (the signed copy). Now one per
  agreement and pair of parties, at the first flow, naming the others. No shipped finding
  changes (each shipped agreement is linked by one flow).
- Problem 4: CONCERO-MIS-CONTACT's fix said "record permission for anything more" (N-MIS:
  "if we need to share anything more, we will always seek your permission first"), and a
  permission recorded changed nothing: the shipped HIGH's MIS part could not be acted on as
  told. ``more_with: permission`` on the rule lets a flow that records one carry more, the
  pass listed as resting on the permission taken on trust. No shipped finding changes.

The problem 1 scenarios are the shop example with DPO review z's z1a file (tests/fixtures/dpo_z/),
edited as each test says.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from flowaudit.checks.result import AuditResult
from tests.helpers import (
    EXTRA,
    audit_folder,
    concero_with,
    located_findings,
    run,
    shipped_map_dir,
    shop_scenario,
)

Z1A = Path(__file__).parent / "fixtures" / "dpo_z" / "z1a.yaml"

#: The shipped map's verdict, unchanged by this review (as of the README's date).
SHIPPED_COUNTS = {"critical": 3, "high": 11, "medium": 39, "low": 4, "info": 0}


def _z1a(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """z1a: CloudOne (Shopwave's processor for its customers, own-to-p1, purpose orders on
    contract) also holds the same customers as a controller (partner-list); its backup to
    BackupTwo (p1-backup, line 16) names no basis."""
    folder = shop_scenario(tmp_path / "z1a", Z1A)
    if old:
        scenario = folder / "scenario.yaml"
        text = scenario.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        scenario.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _basis_findings(result: AuditResult) -> list[tuple[str, str, str, str, int, int]]:
    return [f for f in located_findings(result) if "GDPR-BASIS" in f[0]]


def test_problem_1_a_both_hop_for_the_organisations_purpose_is_asked_no_basis(
    tmp_path: Path,
) -> None:
    """z1a: before, HIGH GDPR-BASIS missing at scenario.yaml:16:5 and exit 1; now no finding,
    exit 0, the hop still read "both" (so judged as Shopwave's by the transfer, onward and
    Art. 28 rules) and the warning naming the flow whose basis it rests on."""
    folder = _z1a(tmp_path)
    result = audit_folder(folder)
    held = result.facts.capacity["p1-backup"]
    assert (held.kind, held.ours) == ("both", True)
    assert "p1-backup" in result.facts.on_our_basis
    assert "p1-backup" not in result.facts.basis_not_ours
    assert located_findings(result) == []
    assert not any(e == ("flows", "p1-backup") for e in _evaluated(result, "GDPR-BASIS"))
    (warning,) = [w for w in result.warnings if "flow 'p1-backup'" in w]
    assert warning.endswith(
        "it is judged as the organisation's own processing (the worse case), by the transfer, "
        "onward, Art. 28 and notice rules, its lawful basis being the one the organisation's "
        "own flow for purpose 'orders' names, and it is recorded on its Art. 30(1) record; say "
        "whose processing this is (split it into one flow per capacity)"
    ), warning
    cli = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert cli.exit_code == 0, cli.output
    assert "GDPR-BASIS flows/p1-backup" not in cli.output


def _evaluated(result: AuditResult, rule_id: str) -> set[tuple[str, str]]:
    """The elements a rule passed or failed."""
    passed = {e.element for e in result.passed if e.rule_id == rule_id}
    failed = {f.element for f in result.findings if rule_id in f.rule_ids}
    return passed | failed


def test_problem_1_limit_a_both_hop_for_a_purpose_of_its_own_is_still_asked(
    tmp_path: Path,
) -> None:
    """The limit: the same backup for 'referrals', a purpose no flow Shopwave sends carries
    (the partner's): CloudOne using Shopwave's customers for it would be a controller (Art.
    28(10)), and the hop is where the map records that processing: HIGH missing, at the
    flow, line 16."""
    folder = _z1a(
        tmp_path,
        "subjects: [customers], purpose: orders, agreement: p2-dpa",
        "subjects: [customers], purpose: referrals, agreement: p2-dpa",
    )
    result = audit_folder(folder)
    assert result.facts.capacity["p1-backup"].kind == "both"
    assert "p1-backup" not in result.facts.on_our_basis
    assert _basis_findings(result) == [
        ("GDPR-BASIS", "missing", "flows/p1-backup", "scenario.yaml", 16, 5),
    ]
    (finding,) = [f for f in result.findings if f.element == ("flows", "p1-backup")]
    assert (finding.severity.value, finding.message) == (
        "high",
        "no Art. 6 lawful basis is named",
    )


def test_problem_1_limit_a_both_hop_that_names_a_basis_is_judged_on_it(
    tmp_path: Path,
) -> None:
    """The limit: a "both" hop that names a basis is judged on it (the map claims it):
    "billing" on the backup is HIGH not-a-basis at its basis (line 16, column 122)."""
    folder = _z1a(
        tmp_path,
        "purpose: orders, agreement: p2-dpa",
        "purpose: orders, basis: billing, agreement: p2-dpa",
    )
    result = audit_folder(folder)
    assert "p1-backup" not in result.facts.on_our_basis
    assert _basis_findings(result) == [
        ("GDPR-BASIS", "not-a-basis", "flows/p1-backup", "scenario.yaml", 16, 122),
    ]


def test_problem_1_limit_a_split_hop_is_still_asked(tmp_path: Path) -> None:
    """The limit: a "split" hop (the partner's list brings other people, shoppers only
    CloudOne holds, beside Shopwave's customers) carries people the organisation's flow does
    not bring: still asked its basis (DPO review z, problem 1), line 16."""
    folder = _z1a(
        tmp_path,
        "subjects: [customers], purpose: referrals",
        "subjects: [subscribers], purpose: referrals",
    )
    folder_text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        folder_text.replace(
            "subjects: [customers], purpose: orders, agreement: p2-dpa",
            "subjects: [customers, subscribers], purpose: orders, agreement: p2-dpa",
        ),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    held = result.facts.capacity.get("p1-backup")
    assert held is not None and held.kind == "split", held
    assert "p1-backup" not in result.facts.on_our_basis
    assert ("GDPR-BASIS", "missing", "flows/p1-backup", "scenario.yaml", 16, 5) in (
        _basis_findings(result)
    )


def test_the_shipped_verdict_is_unchanged(tmp_path: Path) -> None:
    """The shipped map has no "both" hop: 57 findings, 225 checks passed, exit 1."""
    cli = run(["check", str(shipped_map_dir()), "--format", "json"])
    assert cli.exit_code == 1
    summary = json.loads(cli.output)["summary"]
    assert summary["by_severity"] == SHIPPED_COUNTS, summary
    assert (summary["findings"], summary["passed"]) == (57, 225), summary


# --- problem 2: N-PHONE's "never pass on your contact details to a third party" -----------

CALLS_OUT = """parties:
  - id: lead-partner
    name: Telecoms reseller
    kind: reseller
    country: GB
    role: controller
  - id: recording-host
    name: Recording host
    kind: hosting
    country: GB
    role: processor
flows:
  - id: caller-numbers
    from: call-recordings
    to: lead-partner
    categories: [contact.phone]
    subjects: [callers]
    purpose: customer_support
    basis: legitimate_interests
    assessment: lia-calls
    permission: the customer's order form, clause 9
    encrypted_in_transit: true
    notice: N-PHONE
  - id: recordings-out
    from: call-recordings
    to: lead-partner
    categories: [contact.phone, communications.call_recording]
    subjects: [callers]
    purpose: customer_support
    basis: legitimate_interests
    assessment: lia-calls
    permission: the customer's order form, clause 9
    encrypted_in_transit: true
    notice: N-PHONE
  - id: recordings-hosted
    from: call-recordings
    to: recording-host
    categories: [contact.phone, communications.call_recording]
    subjects: [callers]
    purpose: call_monitoring
    basis: legitimate_interests
    assessment: lia-calls
    encrypted_in_transit: true
    notice: N-PHONE
assessments:
  - {id: lia-calls, kind: legitimate_interests, completed_on: 2026-01-01, evidence: on file}
"""


def test_problem_2_callers_numbers_passed_on_to_a_third_party_are_found(tmp_path: Path) -> None:
    """Before: the callers' numbers and recordings sent from the call recordings store to a
    reseller (a controller), with a permission recorded, gave a LOW each (a data sharing
    agreement is good practice) and passed CONCERO-SHARE-PERMISSION: the notice's "we will
    never sell or pass on your contacts details to a third party" (N-PHONE) was checked by
    no rule. Now one HIGH CONCERO-PHONE-NOT-PASSED-ON each, at the first category; the same
    store's copy to its host (a processor, no third party: Art. 4(10)) is not matched."""
    folder = concero_with(tmp_path, CALLS_OUT)
    result = audit_folder(folder)
    found = [
        (
            f.element,
            f.code,
            f.severity.value,
            Path(f.location.file).name,
            f.location.line,
            f.location.column,
            f.message,
        )
        for f in result.findings
        if "CONCERO-PHONE-NOT-PASSED-ON" in f.rule_ids and f.location is not None
    ]
    assert found == [
        (
            ("flows", "caller-numbers"),
            "category",
            "high",
            EXTRA,
            16,
            18,
            "carries forbidden category 'contact.phone'",
        ),
        (
            ("flows", "recordings-out"),
            "category",
            "high",
            EXTRA,
            27,
            18,
            "carries forbidden categories 'contact.phone', 'communications.call_recording'",
        ),
    ]
    assert _evaluated(result, "CONCERO-PHONE-NOT-PASSED-ON") == {
        ("flows", "caller-numbers"),
        ("flows", "recordings-out"),
    }
    cli = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert cli.exit_code == 1
    assert (
        f"{EXTRA}:16:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/caller-numbers: "
        "carries forbidden category 'contact.phone'" in cli.output
    ), cli.output


def test_problem_2_the_shipped_map_passes_no_call_data_on(tmp_path: Path) -> None:
    """The shipped map sends nothing out of its call recordings store: the rule judges
    nothing (n/a), the contact details other clauses let Concero share (procurement,
    installers, MIS support) are not matched, and the clause lists the rule."""
    cli = run(["check", str(shipped_map_dir()), "--format", "json"])
    rules = {r["id"]: r for r in json.loads(cli.output)["rules"]}
    phone = rules["CONCERO-PHONE-NOT-PASSED-ON"]
    assert (phone["verdict"], phone["severity"], phone["references"]["notice"]) == (
        "n/a",
        "high",
        ["N-PHONE"],
    )
    assert len(rules) == 52
    clauses = run(["rules", "--clauses"]).output
    assert (
        "| N-PHONE (Recordings kept 30 days, only the number) | yes | CONCERO-PHONE-RETENTION, "
        "CONCERO-PHONE-NUMBER-ONLY, CONCERO-CALL-CARD-CODES, CONCERO-PHONE-NOT-PASSED-ON |  |"
    ) in clauses, clauses


# --- problem 3: one agreement's standing is one finding, whichever flows link it ------------

SECOND_LINKS = """flows:
  - id: procurement-orders
    from: concero
    to: procurement-supplier
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
    purpose: procurement
    basis: contract
    agreement: procurement-agreement
    encrypted_in_transit: true
    notice: N-PROCURE
  - id: hosting-us-backup
    from: concero
    to: us-servers
    categories: [contact.name]
    subjects: [customer_staff]
    purpose: customer_support
    basis: contract
    agreement: us-hosting-dpa
    transfer_mechanism: privacy_shield_eu_us
    encrypted_in_transit: true
    notice: N-LOCATION
"""

US_DPA = (
    "Concero Technology Services (controller) → US hosting provider (not named) (processor): "
    "agreement 'us-hosting-dpa' (linked by flows hosting-us, hosting-us-backup) is recorded "
    "with status unknown: no evidence that it exists or is signed"
)
PROCUREMENT = (
    "Concero Technology Services (controller) → Approved procurement supplier (not named) "
    "(independent controller): agreement 'procurement-agreement' (linked by flows "
    "procurement-quotes, procurement-orders) is recorded with status unknown: no evidence that "
    "it exists or is signed"
)


def _agreement_rows(result: AuditResult) -> list[tuple[object, ...]]:
    return [
        (
            f.element,
            f.code,
            f.severity.value,
            Path(f.location.file).name,
            f.location.line,
            f.location.column,
            f.message,
            f.flows,
        )
        for f in result.findings
        if f.rule_id == "GDPR-AGREEMENT"
        and f.location is not None
        and f.code.endswith("unknown-status")
    ]


def test_problem_3_one_agreement_of_unknown_status_is_one_finding(tmp_path: Path) -> None:
    """Before: a second flow linking the US host's DPA (status unknown) was a second MEDIUM,
    and a second flow linking the procurement agreement a second LOW: two findings each
    answered by one fix, the signed copy of the agreement. Now one each, at the first flow's
    agreement line, naming both flows (message and ``flows``); the second flow is judged
    there, not passed."""
    result = audit_folder(concero_with(tmp_path, SECOND_LINKS))
    rows = _agreement_rows(result)
    assert [r for r in rows if r[0][1] in ("hosting-us", "hosting-us-backup")] == [
        (
            ("flows", "hosting-us"),
            "unknown-status",
            "medium",
            "flows.yaml",
            200,
            5,
            US_DPA,
            ("hosting-us", "hosting-us-backup"),
        )
    ]
    assert [r for r in rows if r[0][1].startswith("procurement")] == [
        (
            ("flows", "procurement-quotes"),
            "sharing-unknown-status",
            "low",
            "flows.yaml",
            153,
            5,
            PROCUREMENT,
            ("procurement-quotes", "procurement-orders"),
        )
    ]
    evaluated = _evaluated(result, "GDPR-AGREEMENT")
    assert ("flows", "hosting-us-backup") not in evaluated
    assert ("flows", "procurement-orders") not in evaluated
    (problem,) = [
        h
        for h in result.findings
        if h.element == ("flows", "hosting-us") and h.rule_id == "GDPR-AGREEMENT"
    ]
    assert "linked by" not in problem.problem


def test_problem_3_a_flow_with_a_problem_of_its_own_keeps_it(tmp_path: Path) -> None:
    """The limit: a second flow that the agreement does not cover (payment.card beyond its
    contact, support) keeps that finding on itself; the agreement's status is said once, at
    the first flow."""
    extra = SECOND_LINKS.replace(
        "    categories: [contact.name]\n    subjects: [customer_staff]\n"
        "    purpose: customer_support",
        "    categories: [contact.name, payment.card]\n    subjects: [customer_staff]\n"
        "    purpose: customer_support",
    )
    result = audit_folder(concero_with(tmp_path, extra))
    backup = [
        (f.code, Path(f.location.file).name, f.location.line, f.location.column)
        for f in result.findings
        if f.element == ("flows", "hosting-us-backup")
        and "GDPR-AGREEMENT" in f.rule_ids
        and f.location is not None
    ]
    assert backup == [("categories-not-covered", EXTRA, 15, 5)]
    assert ("flows", "hosting-us-backup") in _evaluated(result, "GDPR-AGREEMENT")
    assert [r[0] for r in _agreement_rows(result) if "us-hosting-dpa" in str(r[6])] == [
        ("flows", "hosting-us")
    ]


# --- problem 4: CONCERO-MIS-CONTACT's fix ("record permission for anything more") ----------


def test_problem_4_a_permission_recorded_for_more_lets_mis_support_carry_it(
    tmp_path: Path,
) -> None:
    """The shipped HIGH on mis-third-party-support (CONCERO-PUPILS + CONCERO-MIS-CONTACT,
    flows.yaml:75:18) tells the DPO to "record permission for anything more" (N-MIS: "if we
    need to share anything more, we will always seek your permission first"); before, a
    permission recorded on the flow changed nothing. Now the MIS part goes, listed as
    passing on the permission taken on trust; the pupil risk (N-PUPILS) and the Art. 28(2)
    finding stay, at their lines."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = "    agreement: mis-support-agreement\n"
    assert text.count(old) == 1
    flows.write_text(
        text.replace(old, old + "    permission: ticket 42, the school's signed request\n"),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    mis = [
        (" + ".join(f.rule_ids), f.code, f.severity.value, f.location.line, f.location.column)
        for f in result.findings
        if f.element == ("flows", "mis-third-party-support") and f.location is not None
    ]
    assert mis == [
        ("CONCERO-PUPILS", "may-subject", "high", 75, 18),
        ("GDPR-PROCESSOR + GDPR-AGREEMENT", "subprocessor-not-authorised", "high", 73, 5),
    ]
    assert ("flows", "mis-third-party-support") in {
        e.element for e in result.passed if e.rule_id == "CONCERO-MIS-CONTACT"
    }
    cli = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert (
        "Passed on an ASSUMED fact: CONCERO-MIS-CONTACT: customer_network beyond the allowed "
        "categories rests on the permission recorded, taken to cover it; flowaudit cannot "
        "read its text: 1 check (CONCERO-MIS-CONTACT flows/mis-third-party-support "
        '(permission "ticket 42, the school\'s signed request"))'
    ) in cli.output, cli.output
