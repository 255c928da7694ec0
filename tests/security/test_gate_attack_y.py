"""The PR gate against the attack review of 2026-12-03y: a flow newly read as not the
organisation's own processing (another controller's own export, a return to its controller)
took its findings with it and no change to review said so, or the change that did named the
wrong cause. The gate compares the sets the map's facts give at the base and at HEAD
(``others_own_flows``, ``held_as_controller``, ``returned``, ``processed_for``), whatever
puts a flow in them. Each test failed before its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.model.facts import MapFacts
from flowaudit.model.loader import load_map, shipped_map_dir
from tests.helpers import require_tool, run
from tests.security.test_gate_attack_x import (
    BRAND_SWAP,
    NETWORK_COPY,
    RETURN_CLEARS,
    Repo,
    _brand_shop,
    _changes,
)

# --- the review's labco map: the shop's processor, also a controller of its own -----------

LABCO_PARTIES = """
  - id: labco
    name: Labco Fulfilment Ltd
    kind: fulfilment
    country: GB
    role: controller
    description: Packs orders for the shop as its processor; also runs its own retail brand.
    notice: PN-RECIPIENTS

  - id: cheapdata
    name: CheapData LLC
    kind: address_cleaning
    country: US
    role: processor
    description: Labco's subcontractor for address cleaning.
    notice: PN-RECIPIENTS

  - id: labco-shoppers
    name: Labco's own shop
    kind: retailer
    country: GB
    role: controller
    description: Labco's retail brand.
    notice: PN-RECIPIENTS
"""
LABCO_AGREEMENTS = """agreements:
  - id: labco-dpa
    kind: art28_dpa
    parties: [shopwave, labco]
    status: signed
    signed_on: 2025-01-10
    categories: [contact]
    allows_subprocessing: true
    evidence: contracts/labco-dpa.pdf
  - id: cheapdata-idta
    kind: idta
    parties: [labco, cheapdata]
    status: signed
    signed_on: 2025-01-10
    categories: [contact]
    evidence: contracts/cheapdata-idta.pdf
  - id: cheapdata-dpa
    kind: art28_dpa
    parties: [labco, cheapdata]
    status: signed
    signed_on: 2025-01-10
    categories: [contact]
    allows_subprocessing: false
    evidence: contracts/cheapdata-dpa.pdf
"""
LABCO_TRA = """assessments:
  - id: cheapdata-tra
    kind: transfer_risk
    completed_on: 2025-01-05
    evidence: contracts/cheapdata-tra.pdf

consent_records:"""
LABCO_FLOWS = """
  - id: fulfilment
    from: shopwave
    to: labco
    categories: [contact.name, contact.address]
    subjects: [customers]
    purpose: delivery
    basis: contract
    recipient_role: processor
    agreement: labco-dpa
    encrypted_in_transit: true
    notice: PN-RECIPIENTS

  - id: address-cleaning
    from: labco
    to: cheapdata
    categories: [contact.name, contact.address]
    subjects: [customers]
    purpose: delivery
    basis: contract
    agreement: cheapdata-dpa
    transfer_mechanism: idta
    transfer_agreement: cheapdata-idta
    assessments: [cheapdata-tra]
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""
#: Labco's own retail intake: the same people reach Labco as a controller too.
OWN_ORDERS = """
  - id: labco-own-orders
    from: labco-shoppers
    to: labco
    categories: [contact.name, contact.address]
    subjects: [customers]
    purpose: delivery
    notice: PN-RECIPIENTS
"""


def _labco_shop(root: Path, flows: str = LABCO_FLOWS) -> Repo:
    """``init --example shop`` with Labco, the shop's processor (flows/fulfilment), whose
    sub-processor CheapData cleans addresses in the US (flows/address-cleaning) on a transfer
    risk assessment older than the data protection test (the review's b2 map: a MEDIUM
    GDPR-TRANSFER on the export at the base)."""
    repo = Repo(root)
    assert run(["init", str(repo.files), "--example", "shop"]).exit_code == 0
    repo.append("organisation.yaml", LABCO_PARTIES)
    repo.edit("agreements.yaml", "agreements:\n", LABCO_AGREEMENTS)
    repo.edit("agreements.yaml", "consent_records:", LABCO_TRA)
    repo.append("flows.yaml", flows)
    repo.start()
    return repo


CLEANING_MEDIUM = "MEDIUM GDPR-TRANSFER flows/address-cleaning"
OWN_CLEARS = (
    "it can clear findings (its lawful basis, agreement, notice content, transfer, onward and "
    "policy ones, and its row on the Art. 30(1) record: read as the other controller's duties, not "
    "the organisation's) without anything else changing"
)
OWN_ORDERS_LINE = (
    "change to review: reclassified:flows/labco-own-orders: flows/labco-own-orders is now "
    "described as made by labco-shoppers on its own account, not as the organisation's "
    "processing (labco-shoppers is a controller and none of the organisation's processors; "
    f"a flow new to the map): {OWN_CLEARS}"
)


def _judged_whole(repo: Repo) -> bool:
    """Whether the export whose people reach Labco both as a controller (its own shop) and as
    the shop's processor ("both") is judged whole as the organisation's (the worse case):
    in neither ``held_as_controller`` nor ``basis_not_ours``, so nothing of it is set aside
    and the gate has no reclassification to list (DPO review z, problem 1)."""
    facts = MapFacts(load_map([repo.files]))
    capacity = facts.capacity["address-cleaning"]
    return (
        (capacity.kind, capacity.ours) == ("both", True)
        and "address-cleaning" not in facts.held_as_controller
        and "address-cleaning" not in facts.basis_not_ours
    )


# --- problem 1: a flow newly read as another controller's own ---------------------------


def test_an_intake_added_to_a_processor_clears_nothing_of_its_export(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03y, problem 1a (b2): one flow added into Labco (its own
    shop's orders, about the same customers) made Labco's export to CheapData read as
    Labco's own ("both"): its MEDIUM GDPR-TRANSFER went as fixed and its Art. 30 row left,
    with PASS and 0 changes to review. Since DPO review z, problem 1, a "both" export whose
    other side is the shop's own data (flows/fulfilment, to its processor) is judged whole
    as the shop's (the worse case): the MEDIUM stays, the export is no reclassification, and
    the new flow, itself read as Labco's shop's own, is the one change to review."""
    require_tool("git")
    repo = _labco_shop(tmp_path / "repo")
    assert CLEANING_MEDIUM in repo.gate().output
    repo.append("flows.yaml", OWN_ORDERS)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _judged_whole(repo)
    assert _changes(result) == [OWN_ORDERS_LINE], result.output
    assert CLEANING_MEDIUM in result.output
    accepted = repo.gate(
        "--accept-change",
        result.pinned("reclassified:flows/labco-own-orders"),
    )
    assert accepted.exit_code == 0, accepted.output
    assert CLEANING_MEDIUM in accepted.output


def test_a_processor_role_withdrawn_makes_its_export_a_reclassification(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03y, problem 1b (c1): deleting ``recipient_role: processor``
    from flows/fulfilment made Labco (a controller by its party role) none of the shop's
    processors, so its export was read as its own and the MEDIUM GDPR-TRANSFER went with
    nothing to review (PASS under ``--fail-on medium``): saying less cleared a finding on
    another flow. The export is its own reclassification, naming the withdrawn role."""
    require_tool("git")
    repo = _labco_shop(tmp_path / "repo")
    repo.edit_flow("fulfilment", "    recipient_role: processor\n", "")
    result = repo.gate("--fail-on", "medium")
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        "change to review: reclassified:flows/address-cleaning: flows/address-cleaning is "
        "now described as made by labco on its own account, not as the organisation's "
        "processing (what it moves reaches labco as a controller (flows/fulfilment); labco "
        "was one of the organisation's processors at the base: flows/fulfilment's "
        f"recipient_role processor withdrawn): {OWN_CLEARS}; with it goes: MEDIUM "
        "GDPR-TRANSFER on flows/address-cleaning (data-protection-test-not-recorded)"
    ], result.output
    assert (
        "FAIL: no new findings at or above medium against HEAD, but 1 change to review not "
        "accepted: reclassified:flows/address-cleaning." in result.output
    ), result.output


def test_an_export_read_as_its_own_at_the_base_too_is_no_change(tmp_path: Path) -> None:
    """Problem 1, the limit: the sets are compared, not read at HEAD alone. With Labco's own
    intake already at the base, its export is set aside on both sides: an unrelated edit (a
    flow's description) lists nothing, and the gate passes."""
    require_tool("git")
    repo = _labco_shop(tmp_path / "repo", LABCO_FLOWS + OWN_ORDERS)
    repo.edit_flow(
        "fulfilment",
        "    purpose: delivery\n",
        "    purpose: delivery\n    description: Packing.\n",
    )
    result = repo.gate()
    assert result.exit_code == 0, result.output
    assert _changes(result) == [], result.output


BARE_EXPORT = LABCO_FLOWS.replace(
    "    basis: contract\n    agreement: cheapdata-dpa\n    transfer_mechanism: idta\n"
    "    transfer_agreement: cheapdata-idta\n    assessments: [cheapdata-tra]\n",
    "",
)


def test_grave_findings_of_an_export_in_both_capacities_stay(
    tmp_path: Path,
) -> None:
    """Problem 1 (b1): the export with a CRITICAL transfer finding and HIGH agreement and
    basis findings, read "both" by the new intake while CheapData is claimed an approved
    supplier. Since DPO review z, problem 1, the export is judged whole as the shop's (its
    other side is the shop's own data): every finding stays, and the claim on its end and
    the new flow are the changes to review. DPO review s18: a processor's hop naming no
    basis, for a purpose the shop's own flow carries (delivery, flows/fulfilment's
    contract), is asked none of its own, "both" or not: no basis finding, at the base or
    after."""
    require_tool("git")
    repo = _labco_shop(tmp_path / "repo", BARE_EXPORT)
    base = repo.gate().output
    assert "CRITICAL GDPR-TRANSFER flows/address-cleaning" in base
    repo.append("flows.yaml", OWN_ORDERS)
    repo.edit(
        "organisation.yaml",
        "    description: Labco's subcontractor",
        "    approved_supplier: true\n    description: Labco's subcontractor",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _judged_whole(repo)
    assert _changes(result) == [
        "change to review: claim-changed:parties/cheapdata: parties/cheapdata now claims "
        "approved_supplier true (was unsaid): it can clear findings and the map cannot show "
        "it is true",
        OWN_ORDERS_LINE,
    ], result.output
    for finding in (
        "CRITICAL GDPR-TRANSFER flows/address-cleaning",
        "HIGH GDPR-AGREEMENT flows/address-cleaning",
    ):
        assert f"flows.yaml:106:5 {finding}:" in result.output, result.output
    assert "GDPR-BASIS flows/address-cleaning" not in result.output, result.output
    assert "0 new findings (0 at or above low), 0 gone" in result.output, result.output
    assert "Not failed on: 2 existing findings." in result.output, result.output


# --- problem 2: a flow new to the map read as a return, or as made for a controller -----


def test_a_renamed_flow_read_as_a_return_is_a_reclassification(tmp_path: Path) -> None:
    """Attack review 2026-12-03y, problem 2a (b7b): the disclosure renamed and given the
    intake's purpose (and its encryption claim dropped) was read as a return of BrandCo's
    own data: its LOW went as "removed", and the gate said PASS with 0 changes to review,
    where the same edit without the rename is a reclassification. A flow absent at the base
    is compared too."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo")
    repo.edit_flow("brand-list-swap", "    encrypted_in_transit: true\n", "")
    repo.edit_flow("brand-list-swap", "purpose: customer_service", "purpose: delivery")
    repo.edit_flow("brand-list-swap", "id: brand-list-swap", "id: brand-list-return")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        # renamed, the flow is new to the gate: its legal_obligation basis is a claim of its
        # own (attack review s17, problem d)
        "change to review: claim-changed:flows/brand-list-return: flows/brand-list-return now "
        "claims basis 'legal_obligation' (was unsaid): it can clear findings (the lawful basis "
        "one: Legal obligation, Art. 6(1)(c) applies only where a law the organisation is "
        "subject to requires this processing (Art. 6(1)(c), 6(3); the map does not name the "
        "law); and the data sharing agreement and processor ones: no agreement is expected of "
        "a disclosure the law requires) and the map cannot show it is true",
        "change to review: reclassified:flows/brand-list-return: flows/brand-list-return is "
        "now described as giving brandco back its own data, as its processor (inferred, no "
        "on_behalf_of says so: its purpose 'delivery' is one brandco gives the organisation; "
        "a flow new to the map): " + RETURN_CLEARS.format(rules="HYG-NOTICE-CLAUSE"),
    ], result.output


def test_a_new_flow_read_as_a_return_names_the_rules_it_leaves(tmp_path: Path) -> None:
    """Attack review 2026-12-03y, problem 2b (b8): on the shipped map, a new copy of a
    school's network data sent to the school for the school's own intake purpose
    (sla_support) was read as a return: the HIGH CONCERO-INSTALL-OFFSITE (N-INSTALL) it
    would have had was never reported, and no line said why. The reading is its own
    change, naming the rules it sets aside."""
    require_tool("git")
    repo = Repo(tmp_path / "repo")
    shutil.copytree(shipped_map_dir(), repo.files)
    repo.start()
    (repo.files / "zz-extra.yaml").write_text(
        NETWORK_COPY.replace("purpose: contractual_obligations", "purpose: sla_support"),
        encoding="utf-8",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result)[-1] == (
        "change to review: reclassified:flows/network-copy-to-school: "
        "flows/network-copy-to-school is now described as giving customer-schools back its "
        "own data, as its processor (inferred, no on_behalf_of says so: its purpose "
        "'sla_support' is one customer-schools gives the organisation; a flow new to the "
        "map): "
        + RETURN_CLEARS.format(
            rules="CONCERO-INSTALL-OFFSITE, CONCERO-SHARE-PERMISSION, HYG-NOTICE-CLAUSE"
        )
    ), result.output
    assert [line.split(": ")[1] for line in _changes(result)] == [
        "claim-changed:flows/network-copy-to-school",
        "notice-exempts:flows/network-copy-to-school",
        "reclassified:flows/network-copy-to-school",
    ], result.output


def test_a_new_flow_whose_on_behalf_of_says_so_is_its_claim_alone(tmp_path: Path) -> None:
    """Problem 2, the limit: a new flow that says ``on_behalf_of: [brandco]`` makes the
    claim the gate lists (a new element's claims included); the reading it says is not
    listed again as a reclassification."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo", "")
    repo.append(
        "flows.yaml",
        BRAND_SWAP.replace(
            "    purpose: customer_service\n    basis:",
            "    purpose: delivery\n    on_behalf_of: [brandco]\n    basis:",
        ),
    )
    result = repo.gate()
    assert [line.split(": ")[1] for line in _changes(result)] == [
        "claim-changed:flows/brand-list-swap"
    ], result.output


# --- problem 3: a fixed-unconfirmed line names the reclassification that caused it --------


def test_a_subject_finding_gone_with_its_flow_names_that_cause(tmp_path: Path) -> None:
    """Attack review 2026-12-03y, problem 3 (b6 fold): the subject-level HIGH GDPR-BASIS on
    subscribers judged one flow, the export the new intake made Labco's own; an unrelated
    ``fides_key`` edit on the subject beside it took the blame. Since DPO review z, problem
    1, the export ("both", its other side the shop's own data) is judged whole as the shop's:
    it is no reclassification and its MEDIUM stays. Its people are on the contract question
    too (gate review s2: lawful_basis still set a "both" flow's people aside, so the new intake
    alone took the HIGH away, blamed on the rewording): the subject's HIGH stands, and the
    rewording and the new flow are each their own change."""
    require_tool("git")
    flows = LABCO_FLOWS.replace(
        "    subjects: [customers]\n    purpose: delivery\n    basis: contract\n"
        "    recipient_role:",
        "    subjects: [subscribers]\n    purpose: delivery\n    basis: legitimate_interests\n"
        "    assessment: fulfilment-lia\n    recipient_role:",
    ).replace(
        "    subjects: [customers]\n    purpose: delivery\n    basis: contract\n"
        "    agreement: cheapdata-dpa",
        "    subjects: [subscribers]\n    purpose: delivery\n    basis: contract\n"
        "    agreement: cheapdata-dpa",
    )
    repo = Repo(tmp_path / "repo")
    assert run(["init", str(repo.files), "--example", "shop"]).exit_code == 0
    repo.append("organisation.yaml", LABCO_PARTIES)
    repo.edit("agreements.yaml", "agreements:\n", LABCO_AGREEMENTS)
    repo.edit(
        "agreements.yaml",
        "consent_records:",
        LABCO_TRA.replace(
            "assessments:\n",
            "assessments:\n  - id: fulfilment-lia\n    kind: legitimate_interests\n"
            "    completed_on: 2025-01-05\n    purposes: [delivery]\n"
            "    evidence: Drive/Legal/fulfilment-lia.pdf\n",
        ),
    )
    repo.append("flows.yaml", flows)
    repo.start()
    assert "HIGH GDPR-BASIS subjects/subscribers" in repo.gate().output
    repo.append("flows.yaml", OWN_ORDERS.replace("[customers]", "[subscribers]"))
    repo.edit(
        "taxonomy.yaml",
        "fides_key: customer, subscriber:",
        "fides_key: customer.subscriber, subscriber:",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _judged_whole(repo)
    assert "HIGH GDPR-BASIS subjects/subscribers" in result.output
    assert _changes(result) == [
        OWN_ORDERS_LINE,
        "change to review: reclassified:subjects/subscribers: subjects/subscribers is now "
        "described with fides_key 'customer.subscriber' (was 'customer'): it can clear "
        "findings (those of rules that name the subject by its shared key) without anything "
        "else changing",
    ], result.output
    assert "flows.yaml:117:5 MEDIUM GDPR-TRANSFER flows/address-cleaning:" in result.output
