"""Session s14: what the review rounds of 2026-12-04 (05:07-) found, and the intake warning
made linear on maps of many processor intakes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.helpers import (
    SHOP_EXAMPLE,
    GitRepo,
    audit_folder,
    edit_once,
    located_findings,
    review_lines,
    run,
    run_gate,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s9"


def test_intake_warning_lists_collections_in_map_order_across_category_sets(
    tmp_path: Path,
) -> None:
    """The intake warning judges a processor intake once per category set of the flows it
    may be read in, and intakes alike once, not once per flow each (a crafted map of 3,000
    intakes and 3,000 collections of the same people spent 90% of an 11 s check there); the
    flows it names stay in map order whatever their category sets, one warning per intake."""
    folder = shop_scenario(tmp_path / "s4", SCENARIOS / "s4.yaml")
    news = (
        "  - {{id: {id}, from: shopwave, to: newsletter-list, categories: [{cats}], "
        "subjects: [gift_recipients], purpose: newsletter, basis: consent, consent_record: "
        "newsletter-optin, opt_out: unsubscribe link, agreement: storefront-dpa, "
        "encrypted_in_transit: true, notice: PN-MARKETING}}\n"
    )
    more = "".join(
        news.format(id=flow_id, cats=cats)
        for flow_id, cats in (
            ("names-only", "contact.name"),
            ("names-and-email", "contact.name, contact.email"),
            ("with-phone", "contact.name, contact.phone"),
            ("emails-only", "contact.email"),
        )
    )
    with (folder / "scenario.yaml").open("a", encoding="utf-8") as scenario:
        scenario.write(more)
    edit_once(
        folder / "scenario.yaml",
        "  - {id: gift-labels,",
        "  - {id: bigco-gifts-2, from: bigco, to: shopwave, recipient_role: processor, "
        "categories: [contact.address, contact.email, contact.name], subjects: [gift_recipients], "
        "purpose: bigco_gifts, basis: contract, agreement: bigco-dpa, encrypted_in_transit: true, "
        "notice: PN-RECIPIENTS}\n  - {id: gift-labels,",
    )
    warnings = [w for w in audit_folder(folder).warnings if "processor intake" in w]
    assert [w.split(": processor intake ")[1].split(" from ")[0] for w in warnings] == [
        "'bigco-gifts'",
        "'bigco-gifts-2'",
    ]
    for warning in warnings:
        assert (
            "brings 'gift_recipients'; the flows gifts-to-news, names-only, names-and-email, "
            "emails-only, from Shopwave Ltd's own id about them" in warning
        ), warning


LAWYER_N2 = Path(__file__).parent / "fixtures" / "s14" / "lawyer12_n2.yaml"


def test_lawyer_s12_problem_2_the_shops_labels_for_a_served_clients_purpose_are_the_clients(
    tmp_path: Path,
) -> None:
    """n2: BigCo's intake lands in the order database the shop's platform holds, and the
    shop's gift labels, from its own id for BigCo's purpose (``controller: bigco``), move the
    gift recipients that intake brings. They are BigCo's processing (Art. 28(3)(a), 29), as
    with the intake into the shop's own id: no GDPR-BASIS HIGH asking the shop for a basis of
    its own, the two processor MEDIUMs and the store's declaration only; BigCo's purpose on
    the Art. 30(2) record with both sub-processors, not on the 30(1) one."""
    folder = shop_scenario(tmp_path / "n2", LAWYER_N2)
    assert [row[:3] for row in located_findings(audit_folder(folder))] == [
        ("GDPR-BREACH", "processor-no-controller-notice", "organisation/shopwave"),
        ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave"),
        ("HYG-STORE-CONTENTS", "more-than-declared", "flows/bigco-gifts"),
    ]
    record = run(["ropa", str(folder), "--as-of", "2026-11-25", "--format", "md"])
    controller_part, processor_part = record.stdout.split("Record of processing as processor")
    assert "bigco_gifts" not in controller_part
    assert (
        "| BigCo Ltd (GB) | BigCo staff gifts | BigCo's gift recipients; Customers | Name "
        "(contact.name); Delivery address (contact.address); Phone number (contact.phone) | "
        "Storefront Commerce Inc. (US, flow bigco-gifts); ParcelRun Ltd (GB, flow gift-labels) |"
    ) in processor_part


def test_lawyer_s12_problem_2_with_sub_processing_forbidden_both_sub_processors_are_named(
    tmp_path: Path,
) -> None:
    """n2d: the same with ``allows_subprocessing: false``: one HIGH naming both
    sub-processors the client's data reaches, the platform and the courier, and no
    GDPR-BASIS HIGH beside it."""
    folder = shop_scenario(tmp_path / "n2d", LAWYER_N2)
    edit_once(folder / "scenario.yaml", "allows_subprocessing: true", "allows_subprocessing: false")
    result = audit_folder(folder)
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-PROCESSOR", "subprocessor-not-authorised", "flows/bigco-gifts"),
        ("GDPR-BREACH", "processor-no-controller-notice", "organisation/shopwave"),
        ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave"),
        ("HYG-STORE-CONTENTS", "more-than-declared", "flows/bigco-gifts"),
    ]
    assert (
        "the controller's data reaches the 2 sub-processors Storefront Commerce Inc. "
        "(bigco-gifts), ParcelRun Ltd (gift-labels)" in result.findings[0].message
    )


def test_lawyer_s12_problem_4_the_platforms_labels_to_the_shops_own_courier(
    tmp_path: Path,
) -> None:
    """t2: the shop example with ``parcel-labels`` sent out of the order database its
    platform holds: the courier is the shop's processor under the shop's own Art. 28 contract
    (parcelrun-dpa), and the platform sends on the shop's instruction; no platform-courier
    contract is asked for (Art. 28(2), 28(4)). Linked to a contract the courier is not party
    to, the flow keeps its HIGH."""
    folder = tmp_path / "t2"
    shutil.copytree(SHOP_EXAMPLE, folder)
    labels = "  - id: parcel-labels\n    from: shopwave\n"
    edit_once(folder / "flows.yaml", labels, "  - id: parcel-labels\n    from: shop-orders\n")
    assert located_findings(audit_folder(folder)) == []
    edit_once(
        folder / "flows.yaml",
        "    agreement: parcelrun-dpa\n",
        "    agreement: ledger-engagement\n",
    )
    # one finding: what an agreement between other parties fails to cover is moot (read-
    # through s17 dropped the categories-not-covered finding that repeated it)
    assert [row[:3] for row in located_findings(audit_folder(folder))] == [
        ("GDPR-AGREEMENT", "wrong-parties", "flows/parcel-labels"),
    ]


# Attack review s14, problems 1-3: the shop example with a US analytics processor and a flow
# to it with a CRITICAL transfer (no mechanism), committed as the gate's base.
CLICKMETRICS_DPA = """
  - id: clickmetrics-dpa
    kind: art28_dpa
    parties: [shopwave, clickmetrics]
    status: signed
    signed_on: 2024-03-01
    categories: [contact, orders]
    allows_subprocessing: false
    evidence: DPA PDF in Drive/Legal
"""
CLICKMETRICS = """
  - id: clickmetrics
    name: ClickMetrics Inc.
    kind: analytics
    country: US
    role: processor
    description: Order analytics.
    notice: PN-RECIPIENTS
"""
ANALYTICS_EXPORT = """
  - id: analytics-export
    from: shopwave
    to: clickmetrics
    categories: [contact.email, orders]
    subjects: [customers]
    purpose: orders
    basis: contract
    agreement: clickmetrics-dpa
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""
WAREHOUSE = """
  - id: cm-warehouse
    name: ClickMetrics event warehouse
    owner: {owner}
    country: US
    categories: [contact.email, orders]
    subjects: [customers]
    notice: PN-RECIPIENTS
"""
GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]
GONE = "removed-unconfirmed:GDPR-TRANSFER:flows/analytics-export:no-mechanism"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _analytics_repo(tmp_path: Path) -> GitRepo:
    root = tmp_path / "repo"
    folder = root / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    agreements = folder / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    assert text.count("\nconsent_records:") == 1
    agreements.write_text(
        text.replace("\nconsent_records:", f"{CLICKMETRICS_DPA}\nconsent_records:"),
        encoding="utf-8",
    )
    _append(folder / "organisation.yaml", CLICKMETRICS)
    _append(folder / "flows.yaml", ANALYTICS_EXPORT)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    return repo


def _gone_line(repo: GitRepo) -> tuple[int, list[str]]:
    result = run_gate(["check", str(repo.files), *GATE])
    return result.exit_code, [line for line in review_lines(result.stdout) if GONE in line]


def test_attack_s14_problem_1_an_existing_flow_re_pointed_to_fill_the_us_partys_store(
    tmp_path: Path,
) -> None:
    """One pull request: delivery-updates re-pointed from ClickMetrics into a store it
    holds in the US declaring the flow's data, and the flow with the CRITICAL deleted. The
    party's own flow into its store counted as the store's source: exit 0, nothing to
    review. Whoever fills it, the map records the US party holding the data."""
    repo = _analytics_repo(tmp_path)
    _append(repo.files / "systems.yaml", WAREHOUSE.format(owner="clickmetrics"))
    repo.edit(
        "flows.yaml",
        "    from: parcelrun\n    to: shopwave\n    categories: [contact.name, orders]\n",
        "    from: clickmetrics\n    to: cm-warehouse\n    categories: [contact.email, orders]\n",
    )
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    exit_code, lines = _gone_line(repo)
    assert exit_code == 1
    assert len(lines) == 1
    assert (
        "the data it carried is still recorded in systems/cm-warehouse (US), held by "
        "clickmetrics, which the flow gave the data to; confirm it was erased from it, "
        "whatever other flows now write into it (it declares categories contact.email, orders "
        "and data about customers; it said: transfer from UK to US"
    ) in lines[0]


def test_attack_s14_problem_3_the_store_and_its_filling_flow_first_then_the_deletion(
    tmp_path: Path,
) -> None:
    """Split over two pull requests: the US party's store and its own flow into it first
    (a MEDIUM only), then the transfer deleted alone. The second now needs a person."""
    repo = _analytics_repo(tmp_path)
    _append(repo.files / "systems.yaml", WAREHOUSE.format(owner="clickmetrics"))
    _append(
        repo.files / "flows.yaml",
        "\n  - id: cm-load\n    from: clickmetrics\n    to: cm-warehouse\n"
        "    categories: [contact.email, orders]\n    subjects: [customers]\n"
        "    purpose: orders\n    basis: contract\n    notice: PN-RECIPIENTS\n",
    )
    assert _gone_line(repo) == (0, [])
    repo.commit("pull request 1")
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    exit_code, lines = _gone_line(repo)
    assert exit_code == 1
    assert len(lines) == 1 and "whatever other flows now write into it" in lines[0]


def test_attack_s14_problem_2_the_us_party_renamed_with_its_flow_deleted(
    tmp_path: Path,
) -> None:
    """One pull request: ClickMetrics' id renamed to cm2 (same name, same country), the
    flow and its agreement deleted, a store cm2 holds declaring the flow's data added. The
    store was matched to the recipient by its old id only."""
    repo = _analytics_repo(tmp_path)
    repo.edit("organisation.yaml", "  - id: clickmetrics\n", "  - id: cm2\n")
    repo.edit("agreements.yaml", CLICKMETRICS_DPA, "")
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    _append(repo.files / "systems.yaml", WAREHOUSE.format(owner="cm2"))
    exit_code, lines = _gone_line(repo)
    assert exit_code == 1
    assert len(lines) == 1
    assert (
        "still recorded in systems/cm-warehouse (US), held by cm2; added by the change, it "
        "declares data the flow carried; confirm it was erased, or record the flow that fills "
        "it"
    ) in lines[0]


def test_attack_s14_control_the_us_party_and_its_flow_deleted_with_nothing_left(
    tmp_path: Path,
) -> None:
    """The party, its agreement and the flow deleted, no store recording the data: the
    transfer stopped, a plain REMOVED, exit 0."""
    repo = _analytics_repo(tmp_path)
    repo.edit("organisation.yaml", CLICKMETRICS, "")
    repo.edit("agreements.yaml", CLICKMETRICS_DPA, "")
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    assert _gone_line(repo) == (0, [])


def _party(party_id: str, country: str) -> str:
    return CLICKMETRICS.replace("  - id: clickmetrics\n", f"  - id: {party_id}\n").replace(
        "    country: US\n", f"    country: {country}\n"
    )


def test_attack_s15_problem_1_the_party_renamed_and_moved_to_another_country(
    tmp_path: Path,
) -> None:
    """One pull request: ClickMetrics renamed cm2 and moved to India, the flow and its
    agreement deleted, a store cm2 holds in India declaring the flow's data added."""
    repo = _analytics_repo(tmp_path)
    repo.edit("organisation.yaml", CLICKMETRICS, _party("cm2", "IN"))
    repo.edit("agreements.yaml", CLICKMETRICS_DPA, "")
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    _append(
        repo.files / "systems.yaml",
        WAREHOUSE.format(owner="cm2").replace("country: US", "country: IN"),
    )
    exit_code, lines = _gone_line(repo)
    assert exit_code == 1
    assert len(lines) == 1
    assert (
        "still recorded in systems/cm-warehouse (IN), held by cm2; added by the change, it "
        "declares data the flow carried; confirm it was erased, or record the flow that fills "
        "it"
    ) in lines[0]


def test_attack_s15_problems_2_3_the_data_given_to_a_third_party_or_kept_abroad(
    tmp_path: Path,
) -> None:
    """One pull request each: the recipient kept, its flow deleted, and the flow's data put
    in a store the change adds for another US party (2) or for the shop itself in the US
    (3). Judged only by stores the recipient holds, both went with exit 0."""
    for owner in ("storefront", "shopwave"):
        repo = _analytics_repo(tmp_path / owner)
        repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
        _append(repo.files / "systems.yaml", WAREHOUSE.format(owner=owner))
        exit_code, lines = _gone_line(repo)
        assert exit_code == 1, owner
        assert len(lines) == 1
        assert (
            f"still recorded in systems/cm-warehouse (US), held by {owner}; added by the "
            "change, it declares data the flow carried"
        ) in lines[0]


def test_attack_s15_problem_4_a_same_name_party_and_its_store_first_then_the_deletion(
    tmp_path: Path,
) -> None:
    """Split over two pull requests: a party of the same name (cm2) and a store it holds
    declaring the flow's data first, then ClickMetrics, its agreement and the flow deleted.
    In the second, no store is added; the store that no flow fills still records the data."""
    repo = _analytics_repo(tmp_path)
    _append(repo.files / "organisation.yaml", _party("cm2", "US"))
    _append(repo.files / "systems.yaml", WAREHOUSE.format(owner="cm2"))
    assert _gone_line(repo) == (0, [])
    repo.commit("pull request 1")
    repo.edit("organisation.yaml", CLICKMETRICS, "")
    repo.edit("agreements.yaml", CLICKMETRICS_DPA, "")
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    exit_code, lines = _gone_line(repo)
    assert exit_code == 1
    assert len(lines) == 1
    assert (
        "still recorded in systems/cm-warehouse (US), held by cm2, which declares data the "
        "flow carried that no flow writes into it"
    ) in lines[0]


def test_attack_s15_control_a_store_added_with_other_data_leaves_a_plain_removal(
    tmp_path: Path,
) -> None:
    """The flow deleted while the change adds a store declaring none of its data (invoices
    only): nothing records the flow's data, a plain REMOVED, exit 0."""
    repo = _analytics_repo(tmp_path)
    repo.edit("flows.yaml", ANALYTICS_EXPORT, "")
    _append(
        repo.files / "systems.yaml",
        WAREHOUSE.format(owner="storefront")
        .replace("[contact.email, orders]", "[payment.invoice]")
        .replace("subjects: [customers]", "subjects: []"),
    )
    assert _gone_line(repo) == (0, [])


def _labels_from_the_platform(tmp_path: Path, name: str) -> Path:
    """The shop example with ``parcel-labels`` sent out of the order database its platform
    holds (lawyer review s12, t2)."""
    folder = tmp_path / name
    shutil.copytree(SHOP_EXAMPLE, folder)
    labels = "  - id: parcel-labels\n    from: shopwave\n"
    edit_once(folder / "flows.yaml", labels, "  - id: parcel-labels\n    from: shop-orders\n")
    return folder


def test_lawyer_s15_problem_1_the_platforms_labels_to_a_us_courier_are_the_shops_export(
    tmp_path: Path,
) -> None:
    """L8: t2 with the courier in the US, unlisted. Read as the US platform's hop inside the
    US, no transfer was judged once the contract finding went; the hop is the shop's, to its
    own processor, and its export the shop's: CRITICAL, as the same flow from the shop's id."""
    folder = _labels_from_the_platform(tmp_path, "L8")
    edit_once(
        folder / "organisation.yaml",
        "  - id: parcelrun\n    name: ParcelRun Ltd\n    kind: courier\n    country: GB\n",
        "  - id: parcelrun\n    name: ParcelRun Ltd\n    kind: courier\n    country: US\n",
    )
    result = audit_folder(folder)
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/parcel-labels"),
    ]
    assert result.findings[0].message.startswith(
        "transfer from UK to US (ParcelRun Ltd) has no adequacy on 2026-11-25 and no transfer "
        "mechanism"
    )


def test_lawyer_s15_problems_2_3_the_shops_own_agreement_decides_whose_hop_it_is(
    tmp_path: Path,
) -> None:
    """L4: the courier an independent controller under a signed sharing agreement with the
    shop, for the shop's delivery: the shop's disclosure through its platform, not the
    platform's use outside its instructions (no Art. 28(10) HIGH). L7: the shop's agreement
    with its processor of the wrong kind names the shop and its processor, not the platform
    and a "sub-processor" (lawyer review s15, problem 3)."""
    folder = _labels_from_the_platform(tmp_path, "L4")
    edit_once(
        folder / "agreements.yaml",
        "  - id: parcelrun-dpa\n    kind: art28_dpa\n",
        "  - id: parcelrun-dpa\n    kind: data_sharing_agreement\n",
    )
    wrong_kind = located_findings(audit_folder(folder))
    assert [row[:3] for row in wrong_kind] == [
        ("GDPR-AGREEMENT", "wrong-kind", "flows/parcel-labels"),
    ]
    assert (
        audit_folder(folder)
        .findings[0]
        .message.startswith(
            "Shopwave Ltd (controller) → ParcelRun Ltd (processor): an Art. 28 contract is required"
        )
    )
    edit_once(
        folder / "organisation.yaml",
        "    country: GB\n    role: processor\n    description: Delivers",
        "    country: GB\n    role: controller\n    description: Delivers",
    )
    assert located_findings(audit_folder(folder)) == []
