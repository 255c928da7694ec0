"""Lawyer review s9, problem 1: the shop's courier (its processor) sends the shop's
customers to a US ad platform for a purpose of the courier's own (``pr_ads``, none of the
shop's). Under Art. 28(10) the courier is a controller for that processing, and the export
its own: the shop's remedy is the Art. 28(10) HIGH, and a CRITICAL asking the shop for a
transfer mechanism (from the transfer rule, then from the onward rule's chain) would have
it authorise the misuse. The same flow for a purpose of the shop's is its own export,
judged (the control)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, edit_once, shop_scenario

SCENARIO = Path(__file__).parent / "fixtures" / "lawyer_s9" / "n2b.yaml"


def _on_flow(folder: Path) -> list[tuple[str, str, str]]:
    result = audit_folder(folder)
    return [
        (f.rule_id, f.code, f.severity.value)
        for f in result.findings
        if f.element == ("flows", "pr-mkt")
    ]


def test_problem_1_a_processors_export_for_its_own_purpose_is_not_the_shops(
    tmp_path: Path,
) -> None:
    folder = shop_scenario(tmp_path / "n2b", SCENARIO)
    assert _on_flow(folder) == [
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "high"),
    ]


def test_problem_1_control_the_same_export_for_the_shops_purpose_is_judged(
    tmp_path: Path,
) -> None:
    folder = shop_scenario(tmp_path / "n2b", SCENARIO)
    edit_once(folder / "scenario.yaml", "purpose: pr_ads,", "purpose: orders,")
    assert ("GDPR-TRANSFER", "no-mechanism", "critical") in _on_flow(folder)
