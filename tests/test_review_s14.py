"""Session s14: what the review rounds of 2026-12-04 (05:07-) found, and the intake warning
made linear on maps of many processor intakes."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, edit_once, shop_scenario

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
