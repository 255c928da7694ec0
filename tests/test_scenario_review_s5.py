"""Scenario review s5 (the lawyer's re-run of 2026-12-03), problem 2: a processor that uses
the organisation's data for a purpose of its own passed when it sent the data to a processor
of its own. The shop's platform sends the shop's customers to its US ad platform for its own
retargeting (n2d, the lawyer's map in tests/fixtures/scen_s5/): a processor deciding a
purpose of its own is a controller for that processing and infringes (Art. 28(10)), whoever
receives the data; sent to a controller it was found already (``_discloses``)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, edit_once, located_findings, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "scen_s5"


def test_a_processors_own_purpose_sent_to_its_own_processor_infringes(tmp_path: Path) -> None:
    result = audit_folder(shop_scenario(tmp_path / "n2d", SCENARIOS / "n2d.yaml"))
    [found] = [f for f in result.findings if f.element == ("flows", "sf-retarget")]
    assert (found.rule_id, found.code, found.severity.value) == (
        "GDPR-SUBPROCESSING",
        "purpose-outside-instructions",
        "high",
    )
    assert found.message.startswith(
        "Storefront Commerce Inc. (processor) → AdNet Inc (sub-processor): Storefront Commerce "
        "Inc. uses data it processes for Shopwave Ltd for the purpose 'sf_ads', none of "
        "Shopwave Ltd's, and sends it to AdNet Inc in US, outside the UK; "
    )  # where it goes, named since lawyer review s10, problem 3
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "flows/sf-retarget"),
    ]


def test_the_same_flow_for_the_shops_own_purpose_is_no_such_finding(tmp_path: Path) -> None:
    folder = shop_scenario(tmp_path / "n2d", SCENARIOS / "n2d.yaml")
    edit_once(folder / "scenario.yaml", "purpose: sf_ads, basis", "purpose: newsletter, basis")
    result = audit_folder(folder)
    assert [f.code for f in result.findings if f.code == "purpose-outside-instructions"] == []
