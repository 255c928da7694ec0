"""DPO review s11, problem 1: BigCo, a client the shop serves as processor, writes its gift
recipients "as to a processor" into the shop's order database, which the shop's platform
hosts for it, for a purpose the map says BigCo decides (``controller: bigco``). The shop
was never read as BigCo's processor: a client counted as served only through an intake
into the shop's own id, so the intake read as BigCo's own processing, and sub-processing
the contract forbids passed with exit 0, the Art. 30(2) record empty. Read now as the map
without the purpose's controller is (the control), and the hop sent on from the platform's
database is BigCo's processing, not the shop's own (no basis asked of the shop)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, edit_once, shop_scenario

SCENARIO = Path(__file__).parent / "fixtures" / "dpo_s11" / "n2df.yaml"


def _verdict(folder: Path) -> list[tuple[str, str, str]]:
    result = audit_folder(folder)
    return [(f.rule_id, f.element[1], f.severity.value) for f in result.findings]


def test_problem_1_a_clients_intake_into_a_processor_held_store_for_its_purpose(
    tmp_path: Path,
) -> None:
    folder = shop_scenario(tmp_path / "n2df", SCENARIO)
    # no platform-courier contract asked for the labels: the courier is the shop's own
    # processor, engaged under parcelrun-dpa (lawyer review s12, problem 4)
    assert _verdict(folder) == [
        ("GDPR-PROCESSOR", "bigco-gifts", "high"),
        ("GDPR-BREACH", "shopwave", "medium"),
        ("GDPR-PROCESSOR", "shopwave", "medium"),
        ("HYG-STORE-CONTENTS", "bigco-gifts", "medium"),
    ]
    result = audit_folder(folder)
    [unauthorised] = [
        f
        for f in result.findings
        if f.element == ("flows", "bigco-gifts") and f.rule_id == "GDPR-PROCESSOR"
    ]
    assert unauthorised.message.startswith(
        "BigCo Ltd (controller) → Shopwave Ltd (processor): the controller's data reaches "
        "the 2 sub-processors Storefront Commerce Inc. (bigco-gifts), ParcelRun Ltd "
        "(gift-labels)"
    )


def test_problem_1_control_the_same_map_without_the_purposes_controller(
    tmp_path: Path,
) -> None:
    folder = shop_scenario(tmp_path / "n2g", SCENARIO)
    named = _verdict(folder)
    edit_once(folder / "scenario.yaml", " controller: bigco,", "")
    assert _verdict(folder) == named


def test_problem_2_no_warning_that_the_transfer_rules_do_not_judge_a_judged_disclosure(
    tmp_path: Path,
) -> None:
    """DPO review s11, problem 2: the platform gives what it holds for the shop to its own
    analytics lake in India, as a controller, on the shop's basis: the shop's disclosure
    through its processor, a transfer judged CRITICAL. A warning beside it said the store
    was its owner's own, "no restricted transfer", which "the transfer rules do not judge":
    it read the sender as the store's owner, not as the map's facts do."""
    folder = shop_scenario(tmp_path / "n3c", SCENARIO.parent / "n3c.yaml")
    result = audit_folder(folder)
    assert [(f.rule_id, f.severity.value) for f in result.findings] == [
        ("GDPR-TRANSFER", "critical"),
        ("GDPR-RETENTION", "medium"),
        ("GDPR-AGREEMENT", "low"),
    ]
    assert [w for w in result.warnings if "do not judge" in w] == []
