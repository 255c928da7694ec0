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
    ("GDPR-BREACH", "processor-no-controller-notice", "organisation/shopwave", "organisation.yaml", 15, 3),
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
