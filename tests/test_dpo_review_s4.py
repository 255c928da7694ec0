"""DPO review s4 (DPO review of 2026-12-03, final round), problems 1 and 2: two flows the
round's fixes set aside as no one's to judge, though each is the organisation's processing.

1. A lead broker's sale into the shop's newsletter list, a store the shop's platform holds
   for it, that says ``recipient_role: controller`` (the truth: the shop receives as
   controller) passed with 0 findings and no record row; without the role it gave the
   missing consent (HIGH) and the PECR opt-out (MEDIUM). Either way it is the shop's
   collection from another source (Art. 14), inbound.
2. The shop's courier runs a "delivery survey" of the shop's parcel recipients, a purpose
   declared ``is_a: [delivery]``, the shop's own purpose, to its US host: read as the
   courier's own processing (``MapFacts.processors_own`` compared purpose ids only), the US
   transfer with no mechanism passed. A kind of the organisation's purpose cannot be told
   from one made for it, and the map cannot say ``on_behalf_of`` on the courier's flow: it
   is judged as the shop's, as with ``purpose: delivery``.

The scenarios are the reviewer's, verbatim (/tmp/dpo4/a1, a2; tests/fixtures/dpo_s4/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.reports.ropa import build_ropa
from tests.helpers import audit_folder, edit_once, located_findings, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s4"


@pytest.mark.parametrize("role", ["recipient_role: controller, ", ""])
def test_problem_1_a_brokers_sale_into_the_shops_list_is_the_shops_collection(
    tmp_path: Path, role: str
) -> None:
    folder = shop_scenario(tmp_path / "a2", SCENARIOS / "a2.yaml")
    edit_once(folder / "scenario.yaml", "recipient_role: controller, ", role)
    result = audit_folder(folder)
    facts = result.facts.flow(next(f for f in result.loaded.data.flows if f.id == "bought-leads"))
    assert (facts.direction, facts.recipient.party_id) == ("inbound", "shopwave")
    assert located_findings(result) == [
        (
            "GDPR-BASIS + PECR-MARKETING-CONSENT",
            "no-consent-record",
            "flows/bought-leads",
            "scenario.yaml",
            4,
            5,
        ),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/bought-leads", "scenario.yaml", 4, 5),
    ]
    # the shop receives as the controller of what it collects, whether the flow says so or
    # not: "(independent controller)" for the organisation itself read as a third party
    # (closing note of session s, left open)
    opt_out = result.findings[1].message
    assert opt_out.startswith("LeadGen Ltd (controller) → Shopwave Ltd (controller): ")
    [newsletter] = [row for row in build_ropa(result).rows if row.purpose_id == "newsletter"]
    assert "bought-leads" in newsletter.cells["flows"]


@pytest.mark.parametrize("purpose", ["delivery_feedback", "delivery"])
def test_problem_2_a_couriers_survey_of_a_kind_of_the_shops_purpose_is_the_shops(
    tmp_path: Path, purpose: str
) -> None:
    folder = shop_scenario(tmp_path / "a1", SCENARIOS / "a1.yaml")
    edit_once(
        folder / "scenario.yaml",
        "purpose: delivery_feedback, basis",
        f"purpose: {purpose}, basis",
    )
    result = audit_folder(folder)
    assert "pr-survey" not in result.facts.held_as_controller
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/pr-survey"),
        ("GDPR-BASIS", "no-assessment", "flows/pr-survey"),
        ("GDPR-SUBPROCESSING", "not-authorised", "flows/pr-survey"),
    ]
