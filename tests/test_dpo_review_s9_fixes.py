"""DPO review s9, problems 1 and 2: the organisation's own collection into a store its
processor holds for it, and its disclosure through that processor.

Problem 1: a served client's intake naming a group of people the shop also collects itself
(BigCo's gift list naming the shop's customers) put Art. 28(10) HIGHs on the shop's own
checkout (into its order database on the platform, which did not count as its collection)
and on its delivery of those orders (a purpose other than the one it collected them for).
Problem 2: the vendor's use of the customers it hosts for the vendor's own product
improvement, which the shop authorised on its legitimate interests with an assessment, was an
Art. 28(10) HIGH written ``from: shop-orders`` and a LOW ``from: shopwave``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import (
    GitRepo,
    audit_folder,
    edit_once,
    located_findings,
    run,
    run_gate,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s9"
AS_OF = ("--as-of", "2026-11-25")

#: The two MEDIUMs every BigCo variant keeps: the shop acts as BigCo's processor.
PROCESSOR_MEDIUMS = [
    (
        "GDPR-BREACH",
        "processor-no-controller-notice",
        "organisation/shopwave",
        "organisation.yaml",
        15,
        3,
    ),
    ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave", "organisation.yaml", 7, 1),
]


def test_dpo_s9_problem_1_checkout_into_the_platforms_order_database_is_the_shops_own(
    tmp_path: Path,
) -> None:
    """s6: BigCo's intake names the shop's customers too. The checkout (into the order
    database its platform holds for it) and the delivery of those orders are the shop's own
    processing as controller: no Art. 28(10) HIGH on either, only the two processor MEDIUMs,
    as for m4, where the intake names BigCo's gift recipients only."""
    folder = shop_scenario(tmp_path / "s6", SCENARIOS / "s6.yaml")
    result = audit_folder(folder)
    assert located_findings(result) == PROCESSOR_MEDIUMS
    control = shop_scenario(tmp_path / "m4", SCENARIOS / "m4.yaml")
    assert located_findings(audit_folder(control)) == PROCESSOR_MEDIUMS


def test_dpo_s9_problem_1_s6b_the_order_database_the_shops_own_store_gives_the_same(
    tmp_path: Path,
) -> None:
    """s6b: the order database owned by the shop itself. The parcel-labels HIGH that stayed
    there (delivery is not the purpose the customers were collected for) goes too: the
    shop's own customers, with data it collects about them itself, sent on by the shop for a
    purpose of its own are its data, not BigCo's put to a purpose of its own (Art. 28(3)(a),
    28(10); EDPB Guidelines 07/2020, paras 80-84)."""
    folder = shop_scenario(tmp_path / "s6b", SCENARIOS / "s6.yaml")
    edit_once(
        folder / "systems.yaml",
        "    owner: storefront\n    country: US\n    categories: [contact, orders",
        "    owner: shopwave\n    country: US\n    categories: [contact, orders",
    )
    assert located_findings(audit_folder(folder)) == PROCESSOR_MEDIUMS


def test_dpo_s9_problem_1_data_the_shop_does_not_collect_stays_the_clients(
    tmp_path: Path,
) -> None:
    """The data still decides: BigCo's intake brings its customers' phone numbers, which
    this shop does not collect at checkout; its flow carrying them for delivery is
    BigCo's data put to a purpose of the shop's own (Art. 28(10)), HIGH."""
    folder = shop_scenario(tmp_path / "s6dob", SCENARIOS / "s6.yaml")
    edit_once(
        folder / "scenario.yaml",
        "categories: [contact.name, contact.address], subjects: [gift_recipients, customers]",
        "categories: [contact.name, contact.address, contact.phone], "
        "subjects: [gift_recipients, customers]",
    )
    edit_once(
        folder / "flows.yaml",
        "    categories: [contact.name, contact.email, contact.address, contact.phone, orders,"
        " payment.invoice]",
        "    categories: [contact.name, contact.email, contact.address, orders, payment.invoice]",
    )
    result = audit_folder(folder)
    assert located_findings(result) == [
        ("GDPR-PROCESSOR", "processor-own-purpose", "flows/parcel-labels", "flows.yaml", 33, 5),
        *PROCESSOR_MEDIUMS,
    ]
    assert result.findings[0].message.startswith(
        "BigCo Ltd (controller) → Shopwave Ltd (processor): this flow puts the controller's "
        "data (Delivery address, Phone number) to the purpose 'delivery' (Delivering parcels)"
    )


def test_dpo_s9_problem_1_a_collection_that_may_be_the_clients_copy_is_warned_at_the_intake(
    tmp_path: Path,
) -> None:
    """s4: the shop puts BigCo's gift recipients on its newsletter, a flow from its own id
    into the list its platform holds for it. Counted as its collection, as the same flow into
    a list of its own already was on main (LearnLoop's teachers: auditor review s2, problem
    2), its Art. 28(10) HIGH goes; the map cannot tell it from a copy of what BigCo sent, so
    a located warning at the intake's ``subjects`` says so and how to say it is BigCo's
    data, and saying so (``on_behalf_of``) brings the HIGH back. s6, whose checkout collects
    more than BigCo brings, gets no such warning, nor does a broker's intake into a store."""
    folder = shop_scenario(tmp_path / "s4", SCENARIOS / "s4.yaml")
    result = audit_folder(folder)
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-BREACH", "processor-no-controller-notice", "organisation/shopwave"),
        ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave"),
        ("HYG-STORE-CONTENTS", "more-than-declared", "flows/gifts-to-news"),
    ]
    warning = (
        "scenario.yaml:10:137: processor intake 'bigco-gifts' from BigCo Ltd brings "
        "'gift_recipients'; the flow gifts-to-news, from Shopwave Ltd's own id about them with "
        "no data the intake does not bring, is read as Shopwave Ltd collecting them itself, so "
        "it, and its flows of what it collects for purposes of its own, are judged as its own "
        "processing as their controller, not as data BigCo Ltd entrusts to it put to a purpose "
        "of its own; if it in fact moves what BigCo Ltd sent, say so: name bigco in its "
        "`on_behalf_of`"
    )
    assert [w for w in result.warnings if "processor intake" in w] == [f"s4/{warning}"]
    edit_once(
        folder / "scenario.yaml",
        "{id: gifts-to-news, from: shopwave,",
        "{id: gifts-to-news, from: shopwave, on_behalf_of: [bigco],",
    )
    said = audit_folder(folder)
    assert ("GDPR-PROCESSOR", "processor-own-purpose", "flows/gifts-to-news") in [
        row[:3] for row in located_findings(said)
    ]
    assert not [w for w in said.warnings if "processor intake" in w]
    s6 = audit_folder(shop_scenario(tmp_path / "s6", SCENARIOS / "s6.yaml"))
    assert not [w for w in s6.warnings if "processor intake" in w]
    # a broker's leads into the newsletter list cannot be what the shop's own sign-up from its
    # id moves: no warning (the shop's sign-up and the leads are both subscribers' name and
    # email)
    leads = audit_folder(
        shop_scenario(tmp_path / "xn3e", SCENARIOS.parent / "lawyer_s6" / "xn3e.yaml")
    )
    assert not [w for w in leads.warnings if "processor intake" in w]


def _s1(tmp_path: Path, name: str) -> Path:
    return shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")


def test_dpo_s9_problem_2_the_disclosure_through_the_platform_is_judged_as_the_shops(
    tmp_path: Path,
) -> None:
    """s1e (``from: shop-orders``, ``recipient_role: controller``, the shop's legitimate
    interests and LIA) is judged as s1f (``from: shopwave``): the LOW agreement finding in
    the same words, the same warning, and the disclosure on the Art. 30(1) record; no
    Art. 28(10) HIGH, and the flow is not outside the shop's instructions."""
    e, f = audit_folder(_s1(tmp_path, "s1e")), audit_folder(_s1(tmp_path, "s1f"))
    assert [(x.rule_id, x.code, x.severity.value, x.message) for x in e.findings] == [
        (x.rule_id, x.code, x.severity.value, x.message) for x in f.findings
    ]
    assert [(x.rule_id, x.code, x.message) for x in e.findings] == [
        (
            "GDPR-AGREEMENT",
            "sharing-wrong-kind",
            "Shopwave Ltd (controller) → Storefront Commerce Inc. (independent controller): a "
            "data sharing agreement is good practice (ICO Data Sharing Code) "
            "(data_sharing_agreement); agreement 'storefront-dpa' is art28_dpa",
        )
    ]
    assert "sf-analytics" not in e.facts.outside_instructions
    assert e.facts.flow("sf-analytics").sender == "shopwave"
    check = run(["check", str(tmp_path / "s1e"), *AS_OF])
    assert check.exit_code == 1
    assert (
        "flow 'sf-analytics' links the Art. 28 contract 'storefront-dpa', but its purpose "
        "'vendor_analytics' is decided by Storefront Commerce Inc. alone"
    ) in check.output
    ropa = run(["ropa", str(tmp_path / "s1e"), *AS_OF])
    assert ropa.exit_code == 0, ropa.output
    [row] = [line for line in ropa.output.splitlines() if "(vendor_analytics)" in line]
    assert row.startswith(
        "| IT | Storefront's product improvement (vendor_analytics) |  | Customers | Email "
        "address (contact.email); Orders and order history (orders) | Storefront Commerce "
        "Inc. (controller, US) |"
    )
    assert "| Legitimate interests, Art. 6(1)(f) |" in row
    assert "va-lia, completed 2025-03-01" in row
    # the organisation's transfer to the vendor, as for s1f: the adequacy it rests on
    assert (
        "| US | US: adequacy for importers listed under uk_extension only (The Data Protection "
        "(Adequacy) (United States of America) Regulations 2023, SI 2023/1028) |"
    ) in row


def test_dpo_s9_problem_2_the_disclosure_through_the_platform_is_the_shops_transfer(
    tmp_path: Path,
) -> None:
    """With the vendor not listed under the UK Extension, s1e's disclosure is the shop's
    restricted transfer to the US, as s1f's is: the same CRITICAL on sf-analytics."""
    found = []
    for name in ("s1e", "s1f"):
        folder = _s1(tmp_path, name)
        edit_once(folder / "organisation.yaml", "    listed_under: [uk_extension]\n", "")
        found.append(
            [
                (x.rule_id, x.code, x.message)
                for x in audit_folder(folder).findings
                if x.element == ("flows", "sf-analytics") and x.rule_id == "GDPR-TRANSFER"
            ]
        )
    assert (
        found[0]
        == found[1]
        == [
            (
                "GDPR-TRANSFER",
                "no-mechanism",
                "transfer from UK to US (Storefront Commerce Inc.) has no adequacy on 2026-11-25 "
                "and no transfer mechanism; US is adequate only for importers listed under "
                "uk_extension",
            )
        ]
    )


def test_dpo_s9_problem_2_the_rogue_use_with_no_basis_stays_high(tmp_path: Path) -> None:
    """s1 and s1c (the platform copies the newsletter list into its own leads CRM, no basis)
    stay the one Art. 28(10) HIGH; so does s1e with its ``basis`` taken off."""
    for name in ("s1", "s1c"):
        result = audit_folder(_s1(tmp_path, name))
        assert located_findings(result) == [
            (
                "GDPR-SUBPROCESSING",
                "purpose-outside-instructions",
                "flows/sf-harvest",
                "scenario.yaml",
                6,
                127,
            )
        ], name
    folder = _s1(tmp_path, "s1e")
    edit_once(folder / "scenario.yaml", " basis: legitimate_interests, assessment: va-lia,", "")
    result = audit_folder(folder)
    assert [(x.rule_id, x.code, x.severity.value) for x in result.findings] == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "high")
    ]
    assert "sf-analytics" in result.facts.outside_instructions


def test_dpo_s9_problem_2_adding_a_basis_to_the_rogue_flow_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """A PR that adds ``basis:`` (and ``recipient_role: controller``) to the rogue flow makes
    its Art. 28(10) HIGH go: the gate names the flow leaving the processor's own use, exit 1."""
    root = tmp_path / "repo"
    folder = _s1(root, "s1e")
    edit_once(folder / "scenario.yaml", " basis: legitimate_interests, assessment: va-lia,", "")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "scenario.yaml",
        " agreement: storefront-dpa,",
        " basis: contract, agreement: storefront-dpa,",
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert (
        "change to review: fixed-unconfirmed:GDPR-SUBPROCESSING:flows/sf-analytics:"
        "purpose-outside-instructions: high GDPR-SUBPROCESSING on flows/sf-analytics "
        "(purpose-outside-instructions) is gone as fixed, and no change to review explains it: "
        "confirm that the change fixes it rather than describes it away"
    ) in result.stdout
    # and back: the basis taken off, the flow newly the processor's own use, named
    repo.commit("with a basis")
    repo.edit("scenario.yaml", " basis: contract,", "")
    back = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert back.exit_code == 1, back.printed
    assert (
        "change to review: reclassified:flows/sf-analytics: flows/sf-analytics is now "
        "described as made by storefront on its own account, not as the organisation's "
        "processing (storefront, a processor of the organisation's, uses its data for "
        "'vendor_analytics', a purpose storefront decides (the purpose's controller): outside "
        "its instructions, that party's processing as a controller (Art. 28(10))): it can "
        "clear findings (its lawful basis, agreement, notice content, transfer and policy "
        "ones, and its row on the Art. 30(1) record: read as the other controller's duties, "
        "not the organisation's) without anything else changing; with it goes: LOW "
        "GDPR-AGREEMENT on flows/sf-analytics (sharing-wrong-kind)"
    ) in back.stdout
