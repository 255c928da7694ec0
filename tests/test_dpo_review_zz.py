"""A joint controller whose joint flow runs into the organisation: DPO review zz, problems 1
and 2 (DPO review 2026-12-03zz).

1. MarketHub collects the joint storefront's orders and shares them with Shopwave (the joint
   flow runs jc -> shopwave). Its own analytics, a purpose it does not determine with
   Shopwave, were judged and recorded as Shopwave's (a CRITICAL transfer, a HIGH basis, a row
   on Shopwave's Art. 30(1) record), while the same flow passed unjudged when the joint flow
   ran the other way. Joint control reaches only the purposes determined together (Art.
   26(1); CJEU C-40/17 Fashion ID, para. 74): the joint purposes are read from the joint flows
   in either direction (``MapFacts.joint_purposes``).
2. The Art. 30(1) row left its "Joint controller" column empty when the joint controller is
   the one that collects and shares (Art. 30(1)(a)).

The scenarios are the reviewer's, verbatim (/tmp/dpo-z/zz2b, zz2: the shop example with one
file, scenario.yaml, added), in tests/fixtures/dpo_zz/.
"""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import build_ropa
from tests.helpers import audit_folder, located_findings, run, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_zz"


def _folder(tmp_path: Path, name: str) -> Path:
    return shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")


def _scenario(tmp_path: Path, name: str) -> AuditResult:
    return audit_folder(_folder(tmp_path, name))


def test_problem_1_a_joint_controllers_own_purpose_is_its_own_whichever_way_the_joint_flow_runs(
    tmp_path: Path,
) -> None:
    """zz2b: jc-host-own (MarketHub's own analytics) is MarketHub's own: no finding, no row
    on Shopwave's record; jc-host-orders, the joint purpose, keeps its CRITICAL transfer."""
    result = _scenario(tmp_path, "zz2b")
    assert result.facts.joint_purposes["jc"] == frozenset({"orders"})
    assert "jc-host-own" in result.facts.held_as_controller
    assert "jc-host-orders" not in result.facts.held_as_controller
    assert [
        row for row in located_findings(result) if row[0] in ("GDPR-TRANSFER", "GDPR-BASIS")
    ] == [("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 9, 5)]
    ropa = build_ropa(result)
    assert not [row for row in ropa.rows if "hub_analytics" in row.cells["purpose"][0]]
    code = run(["check", str(_folder(tmp_path / "cli", "zz2b")), "--as-of", "2026-11-25"])
    assert code.exit_code == 1


def test_problem_2_the_record_names_a_joint_controller_that_shares_with_the_organisation(
    tmp_path: Path,
) -> None:
    """zz2: the orders row names MarketHub in its "Joint controller" column (Art. 30(1)(a))."""
    ropa = build_ropa(_scenario(tmp_path, "zz2"))
    (orders,) = [row for row in ropa.rows if row.cells["purpose"][0].endswith("(orders)")]
    assert orders.cells["joint_controllers"] == ("MarketHub Ltd",)


def test_final_review_1_a_party_recorded_as_controller_shares_the_joint_processing(
    tmp_path: Path,
) -> None:
    """Final review, problem 1: MarketHub's party role says controller, but it shares the
    joint orders with Shopwave through a joint-controller flow. Its order hosting in the US,
    for the joint purpose, is the joint processing (Art. 26(1)): the CRITICAL stands (it had
    gone, while the record named MarketHub as joint controller); its own analytics stay its
    own."""
    result = _scenario(tmp_path, "final_d2")
    assert "jc-host-orders" not in result.facts.held_as_controller
    assert "jc-host-own" in result.facts.held_as_controller
    assert [
        row for row in located_findings(result) if row[0] in ("GDPR-TRANSFER", "GDPR-BASIS")
    ] == [("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 9, 5)]


def test_final_review_2_a_marketplaces_other_buyers_are_not_the_joint_processing(
    tmp_path: Path,
) -> None:
    """Final review, problem 2: MarketHub's orders for other sellers' buyers share the
    purpose id 'orders' with the joint storefront but not its people: they are MarketHub's
    own processing (Fashion ID paras 74-76), neither judged nor on Shopwave's record."""
    result = _scenario(tmp_path, "final_d4")
    assert "jc-other-sellers" in result.facts.held_as_controller
    assert [f for f in result.findings if f.element == ("flows", "jc-other-sellers")] == []
    ropa = build_ropa(result)
    assert not [
        name for row in ropa.rows for name in row.cells["subjects"] if "other sellers" in name
    ]
    assert any("Customers" in row.cells["subjects"] for row in ropa.rows)
