"""DPO review verdict2-s17: what was left open by dpo-s17 and regime-s17.

- Problem 1: CONCERO-SERVER-LOCATION read a recipient whose role the map does not record as
  "not a processor", so it passed the ISP, the MIS support firm, the installer and the
  payment processor whatever their (assumed) country. A role left unrecorded may be any: a
  pass must hold for each role. Where it holds for each only as far as the assumed country
  does, the pass is listed under "Passed on an ASSUMED fact" (as CONCERO-TRANSFER's passes on
  the same country are); where it holds for some roles only, the flow is not judged (the
  verdict turns on a fact the map does not record), never a pass.
- Problem 2: the Art. 26 grouping (one finding per joint purpose and party) was matched
  across runs by its message, which names the flows: a flow joining or leaving the purpose
  made it new in the gate. It carries ``problem`` now, as the grouped LIA does.
- Problem 3: GDPR-AGREEMENT on a processor's hop to its sub-processor cited Art. 28(3) and
  28(9) and told the reader to sign a controller-processor contract; the contract owed there
  is the processor's, imposing the same obligations (Art. 28(4), in writing: 28(9)). The
  rule's ``subprocessor:`` entries (policies/uk-gdpr.yaml) cite and fix it; the finding's
  code, and so its identity, is unchanged.
- Problem 4: a Swiss organisation's rules are cited as revFADP before the reports see them,
  so a UK or EU exporter's hop in its map (message and Law line in that regime's words) was
  told a fix citing "revFADP Art. 17(1)(a)". Its fix (the code's own, or the rule's) is now
  taken from the policies' own words and cited as the hop's regime cites them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.helpers import (
    EXTRA,
    audit_folder,
    concero_repo,
    concero_with,
    review_lines,
    run,
    run_gate,
)

SERVER = "CONCERO-SERVER-LOCATION"


# -- problem 1: an unrecorded role is any role --------------------------------------------


def test_shipped_server_location_passes_on_unrecorded_roles_say_assumed() -> None:
    out = run(["check", "--as-of", "2026-11-25"])
    assert out.exit_code == 1
    lines = [
        line
        for line in out.output.splitlines()
        if line.startswith("Passed on an ASSUMED fact:") and f"({SERVER} " in line
    ]
    # each on the same line as the transfer rules' passes on that fact where they pass on it
    # too: the fact printed twice, one line above the other, was a repeat (DPO review s19)
    suffix = ", so no restricted transfer, to be verified: 3 checks"
    assert lines == [
        "Passed on an ASSUMED fact: helpdesk country US (the notice does not state the Zendesk "
        f"hosting region): 1 check ({SERVER} flows/helpdesk-tickets)",
        "Passed on an ASSUMED fact: installer country GB (the notice names neither the "
        f"installation helpers nor their country){suffix} ({SERVER} flows/installation-helper, "
        "CONCERO-TRANSFER flows/installation-helper, GDPR-TRANSFER flows/installation-helper)",
        "Passed on an ASSUMED fact: isp country GB (the notice names neither the ISPs nor where "
        f"they are){suffix} ({SERVER} flows/isp-provisioning, CONCERO-TRANSFER "
        "flows/isp-provisioning, GDPR-TRANSFER flows/isp-provisioning)",
        "Passed on an ASSUMED fact: mis-support country GB (the notice names neither the MIS "
        f"support firm nor its country){suffix} ({SERVER} flows/mis-third-party-support, "
        "CONCERO-TRANSFER flows/mis-third-party-support, GDPR-TRANSFER "
        "flows/mis-third-party-support)",
        "Passed on an ASSUMED fact: payment-processor country GB (the notice names neither the "
        f"payment processor nor its country){suffix} ({SERVER} flows/card-payments, "
        "CONCERO-TRANSFER flows/card-payments, GDPR-TRANSFER flows/card-payments)",
    ]
    assert "FAIL: 57 findings at or above low." in out.output.splitlines()
    assert not [line for line in out.output.splitlines() if f"{SERVER} did not judge" in line]


def test_shipped_server_location_verdict_is_unchanged() -> None:
    result = audit_folder(Path(__file__).parent.parent / "model" / "concero")
    assert [f for f in result.findings if f.rule_id == SERVER] == []
    passed = {e.element[1] for e in result.passed if e.rule_id == SERVER}
    assert {
        "card-payments",
        "isp-provisioning",
        "installation-helper",
        "mis-third-party-support",
    } <= passed
    assert len(result.findings) == 57


_CA_PARTY = """
parties:
  - id: ca-support
    name: Canadian support firm
    kind: mis_support
    country: CA
{role}    notice: N-MIS

flows:
  - id: ca-support-calls
    from: concero
    to: ca-support
    categories: [contact.name]
    subjects: [customer_staff]
    purpose: sla_support
    basis: contract
    encrypted_in_transit: true
    notice: N-MIS
"""


def _server_lines(tmp_path: Path, role: str) -> tuple[list[str], list[str]]:
    folder = concero_with(tmp_path, _CA_PARTY.format(role=role))
    out = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    return (
        [line for line in lines if f"{SERVER} (N-LOCATION) flows/ca-support-calls" in line],
        [line for line in lines if line.startswith(f"Judged in part: {SERVER}")],
    )


def test_a_recorded_country_outside_the_notice_with_no_role_is_not_judged(
    tmp_path: Path,
) -> None:
    """A firm in Canada (recorded, not assumed) whose role is unrecorded: a processor there
    breaks N-LOCATION, a controller does not. Before: a silent pass."""
    findings, partial = _server_lines(tmp_path, "")
    assert findings == []
    assert partial == [
        f"Judged in part: {SERVER} did not judge 1 element (the recipient's role is not "
        "recorded and the verdict turns on it)."
    ]
    result = audit_folder(concero_with(tmp_path / "again", _CA_PARTY.format(role="")))
    assert ("flows", "ca-support-calls") not in {
        e.element for e in result.passed if e.rule_id == SERVER
    }


def test_the_same_firm_recorded_as_processor_fails_and_as_controller_passes(
    tmp_path: Path,
) -> None:
    findings, partial = _server_lines(tmp_path / "p", "    role: processor\n")
    assert partial == []
    assert [line.split(" MEDIUM ", 1)[1] for line in findings] == [
        f"{SERVER} (N-LOCATION) flows/ca-support-calls: puts the data on a server, or with a "
        "processor, outside the UK, the EEA and the USA, the only places the notice says its "
        "servers are (N-LOCATION): the notice names the wrong countries"
    ]
    assert findings[0].startswith("concero/zz-extra.yaml:11:5 ")
    findings, partial = _server_lines(tmp_path / "c", "    role: controller\n")
    assert (findings, partial) == ([], [])


# -- problem 2: the Art. 26 grouping is matched across runs by its problem -----------------

_JOINT_PARTY = """
parties:
  - id: event-partner
    name: Event partner
    kind: events
    country: GB
    role: joint_controller
    notice: N-CURRICULUM
flows:
  - {id: jc-one, from: concero, to: event-partner, categories: [contact.name, contact.email],
     subjects: [customer_staff], purpose: fraud_and_accuracy, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-CURRICULUM}
"""

_JC_TWO = """  - {id: jc-two, from: concero, to: event-partner, categories: [contact.organisation],
     subjects: [customer_staff], purpose: fraud_and_accuracy, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-CURRICULUM}
"""

_JOINT_PARTIES = (
    "Concero Technology Services (joint controller) → Event partner (joint controller): "
)


def _gate(repo_files: Path) -> tuple[list[str], list[str]]:
    result = run_gate(
        ["check", str(repo_files), "--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "low"]
    )
    lines = result.stdout.splitlines()
    return lines, [line for line in result.output.splitlines() if line.startswith("Against HEAD")]


def test_a_flow_joining_the_joint_purpose_leaves_its_finding_standing(tmp_path: Path) -> None:
    """Base: one flow to the joint controller, its HIGH worded for one flow. Head: a second
    flow for the same joint purpose; the finding now names both flows, and is the same
    problem: neither new nor gone (before: 1 new HIGH, 1 gone). The flow joining it, and the
    other grouped findings of the base, is a change to review of its own."""
    repo = concero_repo(tmp_path, _JOINT_PARTY)
    repo.edit(
        EXTRA,
        "     encrypted_in_transit: true, notice: N-CURRICULUM}\n",
        "     encrypted_in_transit: true, notice: N-CURRICULUM}\n" + _JC_TWO,
    )
    lines, against = _gate(repo.files)
    (joint,) = [line for line in lines if "GDPR-AGREEMENT flows/jc-one:" in line]
    assert joint.endswith(
        f"HIGH GDPR-AGREEMENT flows/jc-one: {_JOINT_PARTIES}an Art. 26 joint-controller "
        "arrangement is required for the joint purpose 'fraud_and_accuracy' (flows jc-one, "
        "jc-two); none is linked"
    )
    assert not [line for line in lines if line.startswith("FAIL: 1 new finding")]
    # to review: the new flow's own claim (encrypted in transit), and, since the read-through
    # of session 17, the flow joining the two findings of the base that group flows (the
    # Art. 26 gap, the customer's permission to share, the purpose's missing legitimate
    # interests assessment): their problem is not new, the
    # flow is (joined-finding)
    assert sorted(line.split(": ", 2)[1] for line in review_lines("\n".join(lines))) == [
        "claim-changed:flows/jc-two",
        "joined-finding:flows/jc-two:CONCERO-SHARE-PERMISSION:no-permission",
        "joined-finding:flows/jc-two:GDPR-AGREEMENT:joint-missing",
        "joined-finding:flows/jc-two:GDPR-BASIS:no-assessment",
    ], lines
    assert against == [
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 4 changes to review (0 accepted)."
    ], lines


def test_a_flow_leaving_the_joint_purpose_leaves_its_finding_standing(tmp_path: Path) -> None:
    repo = concero_repo(tmp_path, _JOINT_PARTY + _JC_TWO)
    repo.edit(EXTRA, _JC_TWO, "")
    lines, against = _gate(repo.files)
    (joint,) = [line for line in lines if "GDPR-AGREEMENT flows/jc-one:" in line]
    assert joint.endswith(
        f"HIGH GDPR-AGREEMENT flows/jc-one: {_JOINT_PARTIES}an Art. 26 joint-controller "
        "arrangement is required; none is linked"
    )
    assert against == [
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 0 changes to review (0 accepted)."
    ], lines


# -- problem 3: a sub-processor's contract is Art. 28(4)'s --------------------------------

HOP = Path(__file__).parent / "fixtures" / "lawyer_s16" / "uk-de-us-hop" / "map.yaml"

_SUB_FIX = (
    "   Fix: Sign a contract between the processor and this sub-processor that imposes on it "
    "the same data protection obligations as the processor's {contract} contract with the "
    "controller (art28_dpa between the two, listing every category the hop carries), after "
    "the controller's authorisation of the sub-processor; link it as the flow's agreement, "
    "with its evidence.  "
)


def _agreement_lines(path: Path) -> list[str]:
    out = run(["check", str(path), "--as-of", "2026-06-01", "--format", "markdown"])
    assert out.exit_code == 1
    lines = out.stdout.splitlines()
    (at,) = [n for n, line in enumerate(lines) if " GDPR-AGREEMENT, flows/" in line]
    return lines[at : at + 3]


def _regime(tmp_path: Path, regime: str, country: str, processor: str = "DE") -> Path:
    """The hop's fixture with the organisation's regime and country, and the processor (the
    hop's sender, "Importer Corp", in DE) established in ``processor``."""
    text = HOP.read_text(encoding="utf-8")
    assert text.count("regime: UK") == 1 and text.count("country: GB") == 1
    assert text.count("country: DE") == 1
    path = tmp_path / f"hop-{regime}-{processor}.yaml"
    path.write_text(
        text.replace("regime: UK", f"regime: {regime}")
        .replace("country: GB", f"country: {country}")
        .replace("country: DE", f"country: {processor}"),
        encoding="utf-8",
    )
    return path


def test_a_sub_processor_hop_cites_art_28_4_and_is_told_the_processors_contract(
    tmp_path: Path,
) -> None:
    """The fixture's processor is German: its contract with its sub-processor is its own
    duty under the GDPR (Art. 3(1), establishment; lawyer review s18), so a UK map's finding
    cites GDPR Art. 28(4); a UK processor in the same map owes UK GDPR Art. 28(4)."""
    assert _agreement_lines(HOP) == [
        "2. **high** `F-637855d5b4` GDPR-AGREEMENT, flows/to-sub: Importer Corp (processor) → "
        "Sub sub (sub-processor): an Art. 28 contract is required; none is linked  ",
        _SUB_FIX.format(contract="Art. 28"),
        # and the UK organisation's own duty, its contract's term binding the processor to
        # Art. 28(2) and 28(4), in its own law (lawyer review s19)
        "   Law: GDPR Art. 28(4); GDPR Art. 28(9); UK GDPR Art. 28(3)(d)",
    ]
    assert _agreement_lines(_regime(tmp_path, "UK", "GB", "GB")) == [
        "2. **high** `F-637855d5b4` GDPR-AGREEMENT, flows/to-sub: Importer Corp (processor) → "
        "Sub sub (sub-processor): an Art. 28 contract is required; none is linked  ",
        _SUB_FIX.format(contract="Art. 28"),
        "   Law: UK GDPR Art. 28(4); UK GDPR Art. 28(9); UK GDPR Art. 28(3)(d)",
    ]


def test_a_sub_processor_hop_cites_each_regimes_counterpart(tmp_path: Path) -> None:
    eu = _agreement_lines(_regime(tmp_path, "EU", "DE"))
    assert eu[2] == "   Law: GDPR Art. 28(4); GDPR Art. 28(9); GDPR Art. 28(3)(d)"
    assert eu[1] == _SUB_FIX.format(contract="Art. 28")
    # a Swiss processor of a Swiss organisation: the revFADP's counterparts (a German one's
    # hop would cite the GDPR, its own law: lawyer review s18); the organisation's own
    # duty, Art. 28(3)(d)'s counterpart, is the same Art. 9(3), said once (lawyer review s19)
    ch = _agreement_lines(_regime(tmp_path, "CH", "CH", "CH"))
    assert ch[2] == "   Law: revFADP Art. 9(3); revFADP Art. 9(1)-(2)"
    assert "Art. 28" not in " ".join(ch)


def test_the_controllers_own_processor_still_cites_art_28_3(tmp_path: Path) -> None:
    """Control: the controller's flow to its processor with no contract (the hop's fixture
    with the controller's contract unlinked) keeps Art. 28(3) and the controller's fix."""
    text = HOP.read_text(encoding="utf-8")
    assert text.count("  agreement: dpa\n") == 1
    path = tmp_path / "own.yaml"
    path.write_text(text.replace("  agreement: dpa\n", ""), encoding="utf-8")
    out = run(["check", str(path), "--as-of", "2026-06-01", "--format", "markdown"])
    lines = out.stdout.splitlines()
    (at,) = [n for n, line in enumerate(lines) if " GDPR-AGREEMENT, flows/f1:" in line]
    assert lines[at + 1].startswith(
        "   Fix: Sign an Art. 28 contract (art28_dpa) between the controller and the processor"
    )
    assert lines[at + 2] == "   Law: UK GDPR Art. 28(3); UK GDPR Art. 28(9)"


def test_a_case_entry_goes_first_and_never_reaches_a_finding_of_no_case() -> None:
    from flowaudit.checks.result import _by_case

    table = {"x:miss*": "case", "missing": "exact", "*": "any"}
    assert _by_case(table, "missing", "x") == "case"
    assert _by_case(table, "expired", "x") == "any"  # no case entry: the code's own
    assert _by_case(table, "missing", "") == "exact"
    assert _by_case({"x:*": "case"}, "missing", "") is None  # a case pattern is no bare one
    assert _by_case({"x:*": "case"}, "missing", "y") is None


# -- problem 4: a Swiss organisation's UK or EU hop is fixed in that regime's words --------

_CONSENT_HOP = """  notice: PN-RECIPIENTS
  transfer_mechanism: art49_explicit_consent
  occasional: true
  consent_record: c1
consent_records:
- id: c1
  method: signed form
  purposes: [support]
  explicit: true
  affirmative_act: true
  bundled_with_terms: true
  evidence: forms
  recipients: [sub]
  countries: [US]
  risks_explained: true
"""

_CONSENT_FIX = (
    "Rest the transfer on {art46} safeguard; an occasional transfer on {art49} needs explicit "
    "consent given by a clear affirmative act, apart from the terms of service, recorded "
    "(explicit: true, affirmative_act: true, bundled_with_terms: false) and naming the "
    "recipient, the country and the risks."
)


def _swiss_map(tmp_path: Path, processor_country: str, sender: str = "importer") -> Path:
    """The hop fixture for a Swiss organisation whose processor (in ``processor_country``)
    sends on to a US sub-processor on an Art. 49(1)(a) consent bundled with the terms (a
    consent-not-valid finding, whose code has a fix of its own citing Art. 46 and 49(1)(a))."""
    text = HOP.read_text(encoding="utf-8")
    for old, new in (
        ("regime: UK", "regime: CH"),
        ("  country: GB\n", "  country: CH\n"),
        ("  country: DE\n", f"  country: {processor_country}\n"),
        ("- id: to-sub\n  from: importer\n", f"- id: to-sub\n  from: {sender}\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    assert text.endswith("  notice: PN-RECIPIENTS\n")
    text = text[: -len("  notice: PN-RECIPIENTS\n")] + _CONSENT_HOP
    path = tmp_path / f"swiss-{processor_country}-{sender}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _transfer_lines(path: Path) -> list[str]:
    out = run(["check", str(path), "--as-of", "2026-06-01", "--format", "markdown"])
    assert out.exit_code == 1
    lines = out.stdout.splitlines()
    (at,) = [n for n, line in enumerate(lines) if " GDPR-TRANSFER, flows/to-sub:" in line]
    return lines[at + 1 : at + 3]


def test_a_uk_exporters_hop_in_a_swiss_map_is_fixed_in_uk_words(tmp_path: Path) -> None:
    """Before: "Rest the transfer on a GDPR Art. 46 safeguard; an occasional transfer on
    revFADP Art. 17(1)(a) ..." under a finding citing UK GDPR Art. 49(1)(a)."""
    fix, law = _transfer_lines(_swiss_map(tmp_path, "GB"))
    assert law == (
        "   Law: UK GDPR Art. 49(1)(a); UK GDPR Art. 4(11); UK GDPR Art. 7(2); UK GDPR Art. "
        "7(4); CJEU C-673/17 (Planet49)"
    )
    assert fix == "   Fix: " + _CONSENT_FIX.format(art46="an Art. 46", art49="Art. 49(1)(a)") + "  "
    assert "revFADP" not in fix


def test_an_eu_exporters_hop_in_a_swiss_map_is_fixed_in_eu_words(tmp_path: Path) -> None:
    fix, law = _transfer_lines(_swiss_map(tmp_path, "DE"))
    assert law.startswith("   Law: GDPR Art. 49(1)(a); GDPR Art. 4(11);")
    assert fix == "   Fix: " + _CONSENT_FIX.format(art46="an Art. 46", art49="Art. 49(1)(a)") + "  "


def test_the_swiss_organisations_own_transfer_keeps_the_revfadp_fix(tmp_path: Path) -> None:
    """Control: the same transfer sent by the Swiss organisation itself is fixed as the
    revFADP reads it, as before."""
    fix, law = _transfer_lines(_swiss_map(tmp_path, "GB", sender="acme"))
    assert fix == (
        "   Fix: "
        + _CONSENT_FIX.format(art46="a GDPR Art. 46", art49="revFADP Art. 17(1)(a)")
        + "  "
    )
    assert "UK GDPR" not in law


def test_every_report_fixes_the_hop_alike(tmp_path: Path) -> None:
    """The markdown report (fix_of) and the HTML and JUnit ones (fix_under, per rule) give
    the hop the same fix."""
    from flowaudit.checks.result import AuditResult
    from tests.helpers import audit_paths

    result: AuditResult = audit_paths([str(_swiss_map(tmp_path, "GB"))], date(2026, 6, 1))
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.regime == "UK"
    expected = _CONSENT_FIX.format(art46="an Art. 46", art49="Art. 49(1)(a)")
    assert result.fix_of(finding) == expected
    assert result.fix_under(result.rule("GDPR-TRANSFER"), finding) == expected
