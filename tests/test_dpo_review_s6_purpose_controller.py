"""What a purpose's ``controller`` means, carried through (DPO review s6, problems 1-4; lawyer
review s6, problem 3; auditor review s6, problem 1). ``controller: X`` says X alone decides
the purpose, so:

- the organisation's own flow to X for that purpose is a disclosure to a controller, not an
  instruction to its processor (X read as controller; ``recipient_role: processor`` on it is
  refused; an Art. 28 contract linked to it is warned at ``agreement``);
- a purpose cannot name a ``controller`` and ``joint_controllers`` at once;
- a store a processor fills only for X's purpose holds nothing for the organisation, and a
  third party's flow into it is X's collection, not the organisation's;
- a processor's use of the organisation's data for X's purpose is one Art. 28(10) finding
  (GDPR-SUBPROCESSING), into its own store too; the organisation's basis, marketing, consent
  and notice rules do not ask it of the organisation and it is no row of its Art. 30(1)
  record; the transfer rule still judges it, as it judges a processor's disclosure to a
  controller (n4b).

The scenarios are the reviewers' own: the shop example with their ``scenario.yaml`` added
(/tmp/dpo6, /tmp/scen6), and the auditor's Hireline map (/tmp/aud6/rec).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from flowaudit.model.schema import Role
from flowaudit.reports.ropa import build_ropa
from tests.helpers import GitRepo, audit_folder, edit_once, run, run_gate, shop_scenario

FIXTURES = Path(__file__).parent / "fixtures"
DPO = FIXTURES / "dpo_s6"
SCEN = FIXTURES / "scen_s6"
REC = FIXTURES / "auditor_s6" / "rec"
AS_OF = ["--as-of", "2026-11-25"]


def _dpo(tmp_path: Path, name: str) -> Path:
    return shop_scenario(tmp_path / name, DPO / f"{name}.yaml")


def _found(folder: Path) -> list[tuple[str, str, str, str]]:
    """(rule ids, code, severity, element) of every finding, in report order."""
    return [
        (" + ".join(f.rule_ids), f.code, f.severity.value, "/".join(f.element))
        for f in audit_folder(folder).findings
    ]


def _on(folder: Path, flow: str) -> list[tuple[str, str]]:
    return [
        (" + ".join(f.rule_ids), f.code)
        for f in audit_folder(folder).findings
        if f.element == ("flows", flow)
    ]


def _rows(folder: Path) -> list[str]:
    return [row.purpose_id for row in build_ropa(audit_folder(folder)).rows]


def _rec(tmp_path: Path, name: str = "rec") -> Path:
    folder = tmp_path / name
    shutil.copytree(REC, folder)
    return folder


# DPO review s6, problem 1: a store held only for another controller's purpose


SHOP_MARKETING = (
    "GDPR-BASIS + PECR-MARKETING-CONSENT",
    "purpose-not-consented",
    "high",
    "flows/sw-promo",
)


def test_problem_1_a_third_partys_flow_into_the_processors_own_store_is_not_ours(
    tmp_path: Path,
) -> None:
    """n10: an affiliate's sign-ups into MarketHub's mailing store at its US host, filled
    otherwise only by MarketHub's own promotions (controller: jc), were the shop's inbound
    collection: a false CRITICAL transfer, HIGH consent, MEDIUM opt-out, and MarketHub's
    members on the shop's Art. 30(1) record. Now as the control n10b, without jc-promo."""
    n10, n10b = _dpo(tmp_path, "n10"), _dpo(tmp_path, "n10b")
    # the store holds only the marketplace's own processing: no store rule judges it (DPO
    # review s6, problem 5)
    expected = [SHOP_MARKETING]
    assert _found(n10) == expected
    assert _found(n10b) == expected
    result = audit_folder(n10)
    assert result.facts.flow("aff-signups").direction == "onward"
    assert "aff-signups" in result.facts.held_as_controller
    assert "hub_promos" not in _rows(n10)


def test_problem_1_a_couriers_own_hr_store_takes_no_agency_placements_as_ours(
    tmp_path: Path,
) -> None:
    """n10c: a recruitment agency's driver placements into ParcelRun's HR store at its US
    host (courier_hr, controller: parcelrun) were a CRITICAL transfer and an LIA HIGH of the
    shop's, and ParcelRun's drivers a row of its record."""
    n10c = _dpo(tmp_path, "n10c")
    assert _found(n10c) == []  # ParcelRun's own HR store: its retention is its own (problem 5)
    assert "courier_hr" not in _rows(n10c)


def test_problem_1_saying_the_controller_in_a_pr_is_a_change_to_review(tmp_path: Path) -> None:
    """Unsaid, MarketHub's promotions (is_a: marketing) are the shop's, its host's store
    held for the shop and the affiliate's sign-ups the shop's collection; saying
    ``controller: jc`` sets them aside, which the gate shows as a change to review."""
    root = tmp_path / "repo"
    folder = _dpo(root, "n10")
    edit_once(folder / "scenario.yaml", " controller: jc,", "")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "scenario.yaml",
        "is_a: [marketing], business_function: Marketing, rights: [access]",
        "is_a: [marketing], controller: jc, business_function: Marketing, rights: [access]",
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert any(
        line.startswith("change to review: reclassified:flows/aff-signups: ")
        for line in result.stdout.splitlines()
    ), result.stdout


# DPO review s6, problem 2; lawyer (scenario) review s6, problem 3: the organisation's own
# flow to X for X's purpose


DPA_WARNING = (
    "scenario.yaml:14:236: flow 'sw-promo' links the Art. 28 contract 'jc-dpa', but its "
    "purpose 'hub_promos' is decided by MarketHub Ltd alone (the purpose's controller): "
    "MarketHub Ltd receives the data as a controller, not as the organisation's processor, "
    "and the flow is judged as a disclosure to a controller; link the data sharing agreement "
    "that covers it, or, if the organisation decides the purpose, take its controller off "
    "the purpose"
)


def test_problem_2_the_shops_flow_for_the_marketplaces_purpose_is_a_disclosure(
    tmp_path: Path,
) -> None:
    """n3c: the shop's subscribers given to MarketHub for hub_promos (controller: jc) under
    the Art. 28 contract passed with 0 findings, and the record named MarketHub "processor".
    Read as a disclosure to a controller, as the control n3d (recipient_role: controller, no
    agreement) is: the data sharing agreement finding, at the wrong-kind agreement."""
    n3c, n3d = _dpo(tmp_path, "n3c"), _dpo(tmp_path, "n3d")
    result = audit_folder(n3c)
    assert result.facts.flow("sw-promo").role is Role.CONTROLLER
    assert result.facts.flow("sw-listings").role is Role.PROCESSOR  # its other flow: as was
    [finding] = result.findings
    assert (finding.rule_id, finding.code, finding.severity.value, finding.element) == (
        "GDPR-AGREEMENT",
        "sharing-wrong-kind",
        "low",
        ("flows", "sw-promo"),
    )
    assert finding.message.startswith(
        "Shopwave Ltd (controller) → MarketHub Ltd (independent controller): a data sharing "
        "agreement is good practice (ICO Data Sharing Code)"
    )
    [warning] = [w for w in result.warnings if "jc-dpa" in w]
    assert warning.endswith("n3c/" + DPA_WARNING)
    [row] = [r for r in build_ropa(result).rows if r.purpose_id == "hub_promos"]
    assert row.cells["recipients"] == ("MarketHub Ltd (controller, GB)",)
    assert _found(n3d) == [
        ("GDPR-AGREEMENT", "sharing-missing", "low", "flows/sw-promo"),
    ]
    assert [w for w in audit_folder(n3d).warnings if "Art. 28 contract" in w] == []


def test_problem_2_recipient_role_processor_for_the_recipients_purpose_is_refused(
    tmp_path: Path,
) -> None:
    folder = _dpo(tmp_path, "n3c")
    edit_once(
        folder / "scenario.yaml",
        "purpose: hub_promos, basis: consent,",
        "purpose: hub_promos, recipient_role: processor, basis: consent,",
    )
    result = run(["check", str(folder), *AS_OF])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(
        "n3c/scenario.yaml:14:133: recipient_role: processor, but the purpose 'hub_promos' is "
        "decided by 'jc' alone (its controller), not by the organisation, so 'jc' cannot "
        "receive it as the organisation's processor: the flow gives the data to a controller; "
        "write recipient_role: controller (or leave it out), or, if the organisation decides "
        "the purpose, take its controller off the purpose"
    )


def test_problem_2_the_shops_customers_for_the_marketplaces_promotions(tmp_path: Path) -> None:
    """Scenario review s6, problem 3 (m4, m4b): the same disclosure on legitimate interests.
    m4 (no LIA, no opt-out) is asked the LIA, the opt-out and the data sharing agreement;
    m4b, with both, the data sharing agreement alone, at the Art. 28 contract it links."""
    m4 = shop_scenario(tmp_path / "m4", SCEN / "m4.yaml")
    m4b = shop_scenario(tmp_path / "m4b", SCEN / "m4b.yaml")
    assert _found(m4) == [
        ("GDPR-BASIS", "no-assessment", "high", "flows/sw-give"),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "medium", "flows/sw-give"),
        ("GDPR-AGREEMENT", "sharing-wrong-kind", "low", "flows/sw-give"),
    ]
    assert _found(m4b) == [("GDPR-AGREEMENT", "sharing-wrong-kind", "low", "flows/sw-give")]
    result = audit_folder(m4b)
    [row] = [r for r in build_ropa(result).rows if r.purpose_id == "hub_promos"]
    assert row.cells["recipients"] == ("MarketHub Ltd (controller, GB)",)
    assert any("flow 'sw-give' links the Art. 28 contract 'jc-dpa'" in w for w in result.warnings)


# DPO review s6, problem 3: controller and joint_controllers on one purpose


def test_problem_3_controller_and_joint_controllers_together_are_refused(tmp_path: Path) -> None:
    result = run(["check", str(_dpo(tmp_path, "n8")), *AS_OF])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(
        "n8/scenario.yaml:11:75: purpose 'hub_promos' names a controller ('jc'), the party "
        "that alone decides it, and joint_controllers, the parties that decide it jointly "
        "with the organisation (Art. 26): say one; controller for a purpose one party alone "
        "decides, joint_controllers for one decided together"
    )


# DPO review s6, problem 4; auditor review s6, problem 1: a processor's use of the
# organisation's data for another party's purpose


OWN_STORE = (
    "TalentCloud Inc (processor) → TalentCloud's own marketing list (its own store): "
    "TalentCloud Inc uses data it processes for Hireline Recruitment Ltd for the purpose "
    "'tc_promotions', none of Hireline Recruitment Ltd's, and sends it to TalentCloud's own "
    "marketing list in US, outside the UK; a processor may process the data only on the "
    "documented instructions of its controller (Art. 28(3)(a), Art. 29), and one that decides "
    "a purpose of its own is a controller for that processing and infringes (Art. 28(10)): if "
    "Hireline Recruitment Ltd instructed it, record the purpose on Hireline Recruitment Ltd's "
    "own flows; if not, instruct TalentCloud Inc to stop it and to have the data so used "
    "deleted, review whether TalentCloud Inc still gives sufficient guarantees (Art. 28(1)), "
    "and, where it has happened, record it as a possible personal data breach and assess "
    "whether it must be notified (Art. 33(1), 33(5))"
)  # the country and the organisation's steps: lawyer review s10, problem 3


def test_problem_4_a_processor_moving_our_data_into_its_own_store_infringes(
    tmp_path: Path,
) -> None:
    """rec: TalentCloud, Hireline's ATS processor, copies Hireline's candidates from the ATS
    into its own marketing list for its own promotions (controller: talentcloud). No Art.
    28(10) finding came (``sender == recipient`` skipped it), and the flow was judged as
    Hireline's consent marketing, on Hireline's Art. 30(1) record."""
    folder = _rec(tmp_path)
    result = audit_folder(folder)
    on_flow = [f for f in result.findings if f.element == ("flows", "tc-candidate-promos")]
    assert [(f.rule_id, f.code, f.severity.value) for f in on_flow] == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "high"),
    ]
    assert on_flow[0].message == OWN_STORE
    assert on_flow[0].location is not None
    assert (Path(on_flow[0].location.file).name, on_flow[0].location.line) == ("parties.yaml", 110)
    assert "tc-candidate-promos" in result.facts.outside_instructions
    assert "tc_promotions" not in [row.purpose_id for row in build_ropa(result).rows]


def test_problem_4_from_the_processor_itself_the_same(tmp_path: Path) -> None:
    """rec5: the same flow from ``talentcloud`` rather than its ATS."""
    folder = _rec(tmp_path)
    edit_once(
        folder / "parties.yaml",
        "  - id: tc-candidate-promos\n    from: ats\n",
        "  - id: tc-candidate-promos\n    from: talentcloud\n",
    )
    assert _on(folder, "tc-candidate-promos") == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions")
    ]
    assert "tc_promotions" not in _rows(folder)


def test_problem_4_to_the_processors_own_processor_one_art_28_10_finding(
    tmp_path: Path,
) -> None:
    """rec4: sent to MailBlast, the Art. 28(10) finding came beside a consent HIGH and an
    Art. 28 contract HIGH, both asking Hireline to fix TalentCloud's marketing."""
    folder = _rec(tmp_path)
    edit_once(
        folder / "parties.yaml",
        "parties:\n",
        "parties:\n  - id: mailer\n    name: MailBlast Inc\n    kind: email\n    country: US\n"
        "    role: processor\n",
    )
    edit_once(
        folder / "parties.yaml",
        "    from: ats\n    to: tc-marketing\n",
        "    from: ats\n    to: mailer\n",
    )
    assert _on(folder, "tc-candidate-promos") == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions")
    ]
    assert "tc_promotions" not in _rows(folder)


def test_problem_4_the_marketplace_using_the_shops_subscribers(tmp_path: Path) -> None:
    """n4 (to its US host as processor) and n4b (to an ad network as controller): one Art.
    28(10) HIGH each, no LIA or PECR finding asking the shop to justify MarketHub's
    marketing, no row of the shop's record; nor a transfer finding asking the shop for a
    mechanism: for a purpose MarketHub decides, the export is MarketHub's own as a controller
    (Art. 28(10)), and a mechanism the shop put in place would authorise the misuse (lawyer
    review s9, problem 1)."""
    n4, n4b = _dpo(tmp_path, "n4"), _dpo(tmp_path, "n4b")
    assert _on(n4, "jc-promo") == [("GDPR-SUBPROCESSING", "purpose-outside-instructions")]
    assert _on(n4b, "jc-promo") == [("GDPR-SUBPROCESSING", "disclosure-outside-instructions")]
    assert "hub_promos" not in _rows(n4)
    assert "hub_promos" not in _rows(n4b)


def test_problem_4_saying_the_controller_in_a_pr_is_a_change_to_review(tmp_path: Path) -> None:
    """Unsaid, TalentCloud's promotions are judged as Hireline's marketing; saying
    ``controller: talentcloud`` takes the flow off Hireline's basis, marketing and notice
    rules and its record, which the gate shows as a change to review."""
    root = tmp_path / "repo"
    folder = _rec(root, "map")
    edit_once(folder / "parties.yaml", "    controller: talentcloud\n", "")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "parties.yaml",
        "    is_a: [marketing]\n    notice: PN-RECIPIENTS",
        "    is_a: [marketing]\n    controller: talentcloud\n    notice: PN-RECIPIENTS",
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert any(
        line.startswith("change to review: reclassified:flows/tc-candidate-promos: ")
        for line in result.stdout.splitlines()
    ), result.stdout


def test_problem_4_re_pointing_the_processors_flow_is_a_change_to_review(tmp_path: Path) -> None:
    """Outside the instructions at both ends (to MailBlast, then into TalentCloud's own
    list), the re-pointed flow is still a change to review: the base's reading of it was
    made of another target."""
    root = tmp_path / "repo"
    folder = _rec(root, "map")
    edit_once(
        folder / "parties.yaml",
        "parties:\n",
        "parties:\n  - id: mailer\n    name: MailBlast Inc\n    kind: email\n    country: US\n"
        "    role: processor\n",
    )
    edit_once(
        folder / "parties.yaml",
        "    from: ats\n    to: tc-marketing\n",
        "    from: ats\n    to: mailer\n",
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "parties.yaml", "    from: ats\n    to: mailer\n", "    from: ats\n    to: tc-marketing\n"
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert any(
        line.startswith("change to review: reclassified:flows/tc-candidate-promos: ")
        for line in result.stdout.splitlines()
    ), result.stdout


def test_problem_2_saying_the_recipient_decides_the_purpose_in_a_pr_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """m4 with no contract linked: unsaid, the shop's flow to MarketHub is asked an Art. 28
    contract (HIGH); with ``controller: jc`` it is a disclosure, asked a data sharing
    agreement (LOW). The HIGH gone is a change to review, not a fix taken on trust."""
    root = tmp_path / "repo"
    folder = shop_scenario(root / "map", SCEN / "m4.yaml")
    edit_once(
        folder / "scenario.yaml",
        "name: MarketHub own promotions, controller: jc,",
        "name: MarketHub own promotions,",
    )
    edit_once(
        folder / "scenario.yaml",
        "purpose: hub_promos, basis: legitimate_interests, agreement: jc-dpa,",
        "purpose: hub_promos, basis: legitimate_interests,",
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "scenario.yaml",
        "name: MarketHub own promotions,",
        "name: MarketHub own promotions, controller: jc,",
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert any(
        line.startswith("change to review: fixed-unconfirmed:GDPR-AGREEMENT:flows/sw-give:missing")
        for line in result.stdout.splitlines()
    ), result.stdout


def test_problem_3_a_joint_flow_for_a_purpose_one_party_decides_is_refused(
    tmp_path: Path,
) -> None:
    """The other half of the contradiction: a flow saying joint control of a purpose its
    ``controller`` says one party alone decides."""
    folder = _dpo(tmp_path, "n3d")
    edit_once(
        folder / "scenario.yaml", "recipient_role: controller", "recipient_role: joint_controller"
    )
    result = run(["check", str(folder), *AS_OF])
    assert result.exit_code == 2
    [line] = [x for x in result.output.splitlines() if "recipient_role: joint_controller" in x]
    assert line.endswith(
        "recipient_role: joint_controller, but the purpose 'hub_promos' is decided by 'jc' "
        "alone (its controller): no party decides it jointly; if it is decided together, name "
        "the parties in the purpose's joint_controllers instead of its controller, else write "
        "the role the recipient plays"
    )


def test_problem_2_the_organisation_as_the_controllers_processor_may_engage_a_sub_processor(
    tmp_path: Path,
) -> None:
    """Not every ``recipient_role: processor`` for another party's purpose is refused: the
    organisation, BigCo's processor for BigCo's gift deliveries (controller: bigco), hands
    the gift list to its courier as its sub-processor (DPO review s5's i3, made BigCo's
    purpose)."""
    folder = shop_scenario(tmp_path / "i3", FIXTURES / "dpo_s5" / "i3.yaml")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    text = text.replace("purpose: delivery,", "purpose: bigco_gifts,")
    text = (
        "purposes:\n"
        "  - {id: bigco_gifts, name: BigCo's gift deliveries, controller: bigco, "
        "notice: PN-PURPOSES}\n"
        + text
        + "  - {id: gifts-out, from: shopwave, to: parcelrun, recipient_role: processor, "
        "categories: [contact.name, contact.address], subjects: [gift_recipients], "
        "purpose: bigco_gifts, basis: contract, agreement: parcelrun-dpa, "
        "encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"
    )
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    result = run(["check", str(folder), *AS_OF])
    assert result.exit_code == 1, result.output  # loaded and judged: no input error
    assert "recipient_role: processor, but" not in result.output
    flow = audit_folder(folder).facts.flow("gifts-out")
    assert (flow.direction, flow.role) == ("outbound", Role.PROCESSOR)
    # nor is its processor's chain for BigCo's purpose outside the instructions (Art. 28(10))
    result_of = audit_folder(folder)
    assert result_of.facts.outside_instructions == frozenset()
    assert [f for f in result_of.findings if f.rule_id == "GDPR-SUBPROCESSING"] == []
