"""Gate review s19: a pull request's author attacks what landed on main in the last session
(CONCERO-PHONE-NOT-PASSED-ON and ``from_stores_holding``, grouped findings, waivers, the new
output surfaces). Each test is one attack run as the CI gate runs it (``check --base`` in a
git repository), with the exact exit code and finding."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import GateResult, concero_repo, review_lines, run, run_gate

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]

#: The base: a reseller the map knows.
RESELLER = """parties:
  - id: lead-partner
    name: Telecoms reseller
    kind: reseller
    country: GB
    role: controller
flows:
"""

#: The pull request: callers' numbers read out of the call recordings store into the
#: organisation itself, then sent from the organisation to the reseller.
PULL = """  - id: pull-numbers
    from: call-recordings
    to: concero
    categories: [contact.phone]
    subjects: [callers]
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
"""

LEADS = """  - id: leads
    from: concero
    to: lead-partner
    categories: [contact.phone]
    subjects: [SUBJECT]
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
"""


def _gate_after_accepting(tmp_path: Path, pull_request: str) -> tuple[list[str], GateResult]:
    """The gate on the pull request's flows added to the reseller's base, once every change
    to review it lists is accepted: the changes to review and the gate's result."""
    repo = concero_repo(tmp_path, RESELLER)
    path = repo.files / "zz-extra.yaml"
    path.write_text(path.read_text(encoding="utf-8") + pull_request, encoding="utf-8")
    args = ["check", str(repo.files), *GATE]
    listed = review_lines(run(args).stdout)
    accepted = [a for line in listed for a in ("--accept-change", line.split(": ")[1])]
    return listed, run_gate([*args, *accepted])


def _new_high(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.endswith("[new]") and " HIGH " in line]


def test_callers_numbers_read_into_the_organisation_then_passed_on_are_found(
    tmp_path: Path,
) -> None:
    """Before: ``from_stores_holding`` followed the numbers only through stores, so a flow
    reading them out of the call recordings store into the organisation itself, then a flow
    from the organisation to a reseller, got no CONCERO-PHONE-NOT-PASSED-ON: only a MEDIUM
    permission and a LOW agreement finding, and the gate under ``--fail-on high`` said PASS,
    exit 0, once the flows' unrelated changes to review (joining the purpose's missing
    assessment, the encryption claims) were accepted. Now a party that reads callers' data
    out of a holding store passes it on from there: one new HIGH on the reseller flow."""
    listed, result = _gate_after_accepting(tmp_path, PULL + LEADS.replace("SUBJECT", "callers"))
    assert [line.split(": ")[1].split(":")[0] for line in listed] == [
        "joined-finding",
        "joined-finding",
        "claim-changed",
        "claim-changed",
    ]
    assert result.exit_code == 1, result.printed
    assert _new_high(result.stdout) == [
        "concero/zz-extra.yaml:20:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/leads: "
        "carries forbidden category 'contact.phone' [new]"
    ]


def test_callers_numbers_sent_by_the_organisation_itself_are_found(tmp_path: Path) -> None:
    """Before: the organisation writes callers' numbers into the call recordings store (the
    shipped call-recording flow) and has them from nowhere else; a flow from the organisation
    straight to a reseller carrying them was no flow "from" the store and got no
    CONCERO-PHONE-NOT-PASSED-ON: exit 0 under ``--fail-on high`` once its changes to review
    were accepted. Now the people whose data the organisation has only through what it
    writes into a holding store (no other party brings it in) are matched wherever the
    organisation sends it from."""
    listed, result = _gate_after_accepting(tmp_path, LEADS.replace("SUBJECT", "callers"))
    assert [line.split(": ")[1].split(":")[0] for line in listed] == [
        "joined-finding",
        "claim-changed",
    ]
    assert result.exit_code == 1, result.printed
    assert _new_high(result.stdout) == [
        "concero/zz-extra.yaml:11:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/leads: "
        "carries forbidden category 'contact.phone' [new]"
    ]


#: The pull request: a telecoms provider's feed of callers' names into the organisation.
FEED = """  - id: caller-id-feed
    from: lead-partner
    to: concero
    categories: [contact.name]
    subjects: [callers]
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
"""


def test_a_feed_of_callers_names_does_not_make_their_numbers_come_from_elsewhere(
    tmp_path: Path,
) -> None:
    """The first fix read "some other party brings callers' data in" per person: a feed of
    callers' names from the reseller into the organisation made every datum about callers
    "from elsewhere", and the numbers went to the reseller with no
    CONCERO-PHONE-NOT-PASSED-ON again. What another party brings is read per category: the
    names do not cover the numbers, which the organisation still has only from its calls."""
    listed, result = _gate_after_accepting(tmp_path, FEED + LEADS.replace("SUBJECT", "callers"))
    assert [line.split(": ")[1].split(":")[0] for line in listed] == [
        "joined-finding",
        "joined-finding",
        "claim-changed",
        "claim-changed",
    ]
    assert result.exit_code == 1, result.printed
    assert _new_high(result.stdout) == [
        "concero/zz-extra.yaml:20:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/leads: "
        "carries forbidden category 'contact.phone' [new]"
    ]


def test_customer_staffs_numbers_from_elsewhere_are_not_the_call_systems(
    tmp_path: Path,
) -> None:
    """Control: customer staff's numbers reach the organisation from its customers (the
    collect flows), not only through the call system, so the same flow for customer staff is
    no CONCERO-PHONE-NOT-PASSED-ON (the notice lets other clauses share contact details):
    no new HIGH, and the gate passes once the changes to review are accepted."""
    _, result = _gate_after_accepting(tmp_path, LEADS.replace("SUBJECT", "customer_staff"))
    assert "CONCERO-PHONE-NOT-PASSED-ON" not in result.stdout
    assert result.exit_code == 0, result.printed


# -- a legal-obligation flow's recipient renamed in place --------------------------------


def test_a_legal_obligation_recipient_renamed_in_place_is_a_claim_to_review(
    tmp_path: Path,
) -> None:
    """The shop's bookkeeping flow (legal_obligation, to ledger-accountants) keeps its
    target's id while the party becomes another legal person: its name and description now
    say a data broker. Re-pointing the flow to another party's id is a claim (attack review
    s17); renaming the party in place said the same thing (a law requires giving the books
    to this broker) with PASS, exit 0 and nothing to review, under --fail-on low."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "organisation.yaml",
        "    name: Ledger & Co Accountants\n",
        "    name: Data Broker Ltd\n",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert result.exit_code == 1, result.output
    assert review_lines(result.stdout) == [
        "change to review: claim-changed:flows/bookkeeping: flows/bookkeeping now claims basis "
        "'legal_obligation' for a flow now to 'Data Broker Ltd' (was 'Ledger & Co "
        "Accountants'): it can clear findings (the lawful basis one: Legal obligation, Art. "
        "6(1)(c) applies only where a law the organisation is subject to requires this "
        "processing (Art. 6(1)(c), 6(3); the map does not name the law); and the data sharing "
        "agreement and processor ones: no agreement is expected of a disclosure the law "
        "requires) and the map cannot show it is true"
    ]


def test_a_legal_obligation_recipient_left_as_it_was_is_no_claim(tmp_path: Path) -> None:
    """Control: the party's description edited, its name kept: the same recipient, no claim,
    PASS, exit 0."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "organisation.yaml",
        "    description: Keeps the books and files the VAT returns.\n",
        "    description: Keeps the books and files the VAT and payroll returns.\n",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert result.exit_code == 0, result.output
    assert review_lines(result.stdout) == []


# -- CONCERO-PHONE-NOT-PASSED-ON: the recipient's role left unrecorded ------------------------

#: The base: a reseller whose role is not recorded.
NO_ROLE = """parties:
  - id: lead-partner
    name: Telecoms reseller
    kind: reseller
    country: GB
flows:
"""


def test_callers_numbers_to_a_recipient_of_unrecorded_role_are_a_high_finding(
    tmp_path: Path,
) -> None:
    """Before: the rule matched only recipients recorded as controllers or joint
    controllers, so leaving the reseller's ``role:`` out took CONCERO-PHONE-NOT-PASSED-ON
    away: a flow of callers' numbers straight out of the call recordings store to it got
    only the MEDIUM "record the role" agreement finding, and the gate passed under
    ``--fail-on high`` once its two unrelated changes to review were accepted. Now, as the
    permission rule does, a recipient of unrecorded role is judged too: whether the promise
    applies turns on the role, at the rule's severity, one finding with the agreement
    rule's request for the role (graded HIGH by the policy: the law's MEDIUM grade of
    that request would otherwise set the merged finding's)."""
    repo = concero_repo(tmp_path, NO_ROLE)
    path = repo.files / "zz-extra.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + LEADS.replace("SUBJECT", "callers").replace("from: concero", "from: call-recordings"),
        encoding="utf-8",
    )
    args = ["check", str(repo.files), *GATE]
    listed = review_lines(run(args).stdout)
    accepted = [a for line in listed for a in ("--accept-change", line.split(": ")[1])]
    result = run_gate([*args, *accepted])
    assert result.exit_code == 1, result.printed
    assert _new_high(result.stdout) == [
        "concero/zz-extra.yaml:10:18 HIGH CONCERO-PHONE-NOT-PASSED-ON + GDPR-AGREEMENT + "
        "CONCERO-SHARE-PERMISSION (N-PHONE, N-SHARE) flows/leads: whether the promise (what is "
        "kept of a call is never passed on to a third party) applies turns on the recipient's "
        "role, which is not recorded; if it acts as controller or joint controller, it carries "
        "forbidden category 'contact.phone'; Concero Technology Services → Telecoms reseller "
        "(role not recorded): record whether the recipient acts as processor (an Art. 28 "
        "contract is then required) or as controller; no agreement is linked; whether the "
        "promise (sharing with a third party is on the customer's explicit permission) applies "
        "turns on the recipient's role, which is not recorded; if it acts as controller or "
        "joint controller, no record shows the customer's explicit permission naming who "
        "receives the data and where it goes (N-SHARE); record where it is kept [new]"
    ]


def test_callers_numbers_to_a_processor_are_not_passed_on(tmp_path: Path) -> None:
    """Control: the same flow to a recipient recorded as a processor (a recording host
    acting on Concero's instructions is no third party) gets no CONCERO-PHONE-NOT-PASSED-ON,
    recorded role or undecided."""
    repo = concero_repo(
        tmp_path, NO_ROLE.replace("    country: GB\n", "    country: GB\n    role: processor\n")
    )
    path = repo.files / "zz-extra.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + LEADS.replace("SUBJECT", "callers").replace("from: concero", "from: call-recordings"),
        encoding="utf-8",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert "CONCERO-PHONE-NOT-PASSED-ON" not in result.stdout
    assert result.exit_code == 1, result.printed  # the processor's missing Art. 28 contract


def test_callers_numbers_that_a_flow_may_carry_to_a_recipient_of_unrecorded_role(
    tmp_path: Path,
) -> None:
    """The same with the numbers only in what the flow may carry (``may_carry``): with the
    recipient's role recorded as controller it is a HIGH risk to confirm; left unrecorded, it
    was only the MEDIUM request for the role. Now the same role-undecided HIGH."""
    repo = concero_repo(tmp_path, NO_ROLE)
    path = repo.files / "zz-extra.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + LEADS.replace("SUBJECT", "callers")
        .replace("from: concero", "from: call-recordings")
        .replace(
            "    categories: [contact.phone]\n",
            "    categories: [education]\n"
            "    may_carry: {categories: [contact.phone], reason: numbers in the notes}\n",
        ),
        encoding="utf-8",
    )
    args = ["check", str(repo.files), *GATE]
    listed = review_lines(run(args).stdout)
    accepted = [a for line in listed for a in ("--accept-change", line.split(": ")[1])]
    result = run_gate([*args, *accepted])
    assert result.exit_code == 1, result.printed
    high = _new_high(result.stdout)
    assert [line.split(": ")[0] for line in high] == [
        "concero/zz-extra.yaml:11:30 HIGH CONCERO-PHONE-NOT-PASSED-ON + GDPR-AGREEMENT + "
        "CONCERO-SHARE-PERMISSION (N-PHONE, N-SHARE) flows/leads"
    ]
    assert (
        "if it acts as controller or joint controller, it may carry forbidden category "
        "'contact.phone': numbers in the notes; a risk to confirm; "
    ) in high[0]


def test_a_legal_obligation_purpose_renamed_in_place_is_a_claim_to_review(
    tmp_path: Path,
) -> None:
    """The shop's bookkeeping purpose keeps its id while it becomes another purpose (named
    "Selling customer lists to brokers"): the bookkeeping flow's legal obligation now claims
    a law requiring that (Art. 6(3): the law sets the purpose). Moving the flow to another
    purpose's id is a claim (gate review s18); renaming the purpose in place passed with
    PASS, exit 0 and nothing to review under --fail-on low."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "taxonomy.yaml",
        "    name: Keeping the accounts (tax law)\n",
        "    name: Selling customer lists to brokers\n",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert result.exit_code == 1, result.output
    assert review_lines(result.stdout) == [
        "change to review: claim-changed:flows/bookkeeping: flows/bookkeeping now claims basis "
        "'legal_obligation' for a flow whose purpose 'bookkeeping' is now 'Selling customer "
        "lists to brokers' (was 'Keeping the accounts (tax law)'): it can clear findings (the "
        "lawful basis one: Legal obligation, Art. 6(1)(c) applies only where a law the "
        "organisation is subject to requires this processing (Art. 6(1)(c), 6(3); the map "
        "does not name the law); and the data sharing agreement and processor ones: no "
        "agreement is expected of a disclosure the law requires) and the map cannot show it "
        "is true"
    ]


def test_a_consent_purpose_renamed_is_no_claim(tmp_path: Path) -> None:
    """Control: the newsletter purpose (consent, whose ground the map shows: a consent
    record) renamed: no claim, PASS, exit 0."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "taxonomy.yaml",
        "    name: Newsletter (only with consent)\n",
        "    name: Monthly newsletter (only with consent)\n",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert review_lines(result.stdout) == []
    assert result.exit_code == 0, result.output
