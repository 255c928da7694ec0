"""Joint control read per purpose and per person: DPO review s2 (DPO review 2026-12-03s),
problems 2, 3 and 4, and attack review s2 (attack review 2026-12-03s), problem 3.

- DPO review s2, problem 2: ``MapFacts._joint`` kept one set of purposes and one set of
  people per joint controller, so every joint purpose went with every joint person (s1), and
  a purpose naming the party in ``joint_controllers`` made any people joint for all its
  purposes (s1b). The people are now kept per joint purpose.
- DPO review s2, problem 3: a flow about joint people and the party's own people was wholly
  joint, putting the party's own people on the organisation's Art. 30(1) record (s2). It is
  now "split": judged for the joint people, the others kept off the record, and compared by
  the gate (``MapFacts.joint_split_flows``).
- DPO review s2, problem 4: a party's own purpose that ``is_a`` the joint purpose was judged
  as the joint processing (s6b). The flow's purpose must be the joint purpose itself, unless
  it names the party in ``joint_controllers``.
- Attack review s2, problem 3: a joint flow into the organisation that omits
  ``recipient_role: joint_controller`` left the party's own processing judged and recorded as
  the organisation's (a3: tests/fixtures/dpo_zz/zz2b.yaml without that word). The flow is now
  read as joint where the party's role (``joint_controller``) or its ``art26_joint`` agreement
  says so and the flow names no other recipient role (chosen over a warning).

The scenarios are the reviewers', verbatim (/tmp/dpo-s/<name>/scenario.yaml, in
tests/fixtures/dpo_s2/): the shop example with one file, scenario.yaml, added. A joint
controller's own marketing is judged by no PECR rule either (DPO review s2, problem 1, fixed
beside this: tests/test_dpo_review_s2_theirs.py); the assertions below take every finding.
"""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.model.facts import Capacity
from flowaudit.reports.ropa import RopaRow, build_ropa
from tests.helpers import (
    GitRepo,
    audit_folder,
    located_findings,
    require_tool,
    run,
    run_gate,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s2"
AS_OF = "2026-11-25"
NEWSLETTER_PURPOSE = "    notice: PN-MARKETING\n"
TRANSFER_TEXT = (
    "transfer from UK to US (BackupTwo Inc) has no adequacy on 2026-11-25 and no transfer "
    "mechanism; US is adequate only for importers listed under uk_extension"
)


def _folder(tmp_path: Path, name: str, *edits: tuple[str, str, str]) -> Path:
    """The reviewer's scenario, with ``(file, old, new)`` edits (each ``old`` found once)."""
    folder = shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _findings(result: AuditResult) -> list[tuple[str, str, str, str, int, int]]:
    """Every finding, located."""
    return located_findings(result)


def _row(result: AuditResult, purpose: str) -> RopaRow:
    (row,) = [row for row in build_ropa(result).rows if row.purpose_id == purpose]
    return row


def _exit_code(folder: Path) -> int:
    return run(["check", str(folder), "--as-of", AS_OF]).exit_code


def _warnings(result: AuditResult, tmp_path: Path) -> list[str]:
    return [w.replace(f"{tmp_path}/", "") for w in result.warnings if "flow 'jc" in w]


def test_problem_2_a_joint_for_a_purpose_about_some_people_not_for_the_others(
    tmp_path: Path,
) -> None:
    """DPO review s2, problem 2 (a), s1: MarketHub is joint for the newsletter (subscribers)
    and for the orders of its members. Its promotion to its members (jc-host-promo, the
    newsletter purpose, about hub_members) to its US host is its own. Before: CRITICAL
    GDPR-TRANSFER and HIGH GDPR-BASIS on jc-host-promo, and MarketHub members on the
    newsletter row. Now: neither finding, and the row lists only the subscribers."""
    result = audit_folder(_folder(tmp_path, "s1"))
    assert result.facts.joint_purposes["jc"] == frozenset({"orders", "newsletter"})
    assert "jc-host-promo" in result.facts.held_as_controller
    assert "jc-host-promo" not in result.facts.capacity
    assert _findings(result) == []
    newsletter = _row(result, "newsletter")
    assert newsletter.cells["subjects"] == ("Newsletter subscribers",)
    assert newsletter.cells["flows"] == ("newsletter-signup", "jc-news")
    assert newsletter.cells["joint_controllers"] == ("MarketHub Ltd",)
    # the members' orders are the joint processing: on the orders row, MarketHub named
    orders = _row(result, "orders")
    assert orders.cells["subjects"] == ("MarketHub members", "Customers")
    assert orders.cells["flows"] == ("checkout", "jc-orders")
    assert orders.cells["joint_controllers"] == ("MarketHub Ltd",)


def test_problem_2_b_a_purpose_naming_the_party_makes_any_people_joint_for_it_only(
    tmp_path: Path,
) -> None:
    """DPO review s2, problem 2 (b), s1b: the newsletter purpose names MarketHub in
    ``joint_controllers``; MarketHub's orders for other sellers' buyers (jc-host-all, about
    hub_buyers) stay its own. Before: CRITICAL GDPR-TRANSFER on jc-host-all, the other
    sellers' buyers on the orders row. Now: 0 findings, exit 0."""
    folder = _folder(
        tmp_path,
        "s1b",
        ("taxonomy.yaml", NEWSLETTER_PURPOSE, f"{NEWSLETTER_PURPOSE}    joint_controllers: [jc]\n"),
    )
    result = audit_folder(folder)
    assert result.facts.joint_purposes["jc"] == frozenset({"orders", "newsletter"})
    assert "jc-host-all" in result.facts.held_as_controller
    assert located_findings(result) == []
    orders = _row(result, "orders")
    assert orders.cells["subjects"] == ("Customers",)
    assert orders.cells["flows"] == ("checkout", "jc-to-sw")
    assert orders.cells["recipients"] == ("Storefront Commerce Inc. (processor, US)",)
    assert _exit_code(folder) == 0


def test_problem_3_a_flow_about_joint_people_and_the_partys_own_is_split(tmp_path: Path) -> None:
    """DPO review s2, problem 3, s2: jc-host-all carries the joint customers and MarketHub's
    other sellers' buyers to its US host. The CRITICAL for the customers stays; the other
    sellers' buyers leave the orders row (before: "Other sellers' buyers on MarketHub;
    Customers"), and a warning at the flow says so."""
    folder = _folder(tmp_path, "s2")
    result = audit_folder(folder)
    assert result.facts.capacity["jc-host-all"] == Capacity(
        "split", (), (), {}, (), ("hub_buyers",), True, ("customers",)
    )
    assert result.facts.joint_split_flows == frozenset({"jc-host-all"})
    assert "jc-host-all" not in result.facts.held_as_controller
    assert "jc-host-all" not in result.facts.basis_not_ours
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-all", "scenario.yaml", 11, 5)
    ]
    assert _warnings(result, tmp_path) == [
        "s2/scenario.yaml:11:5: flow 'jc-host-all' is about people MarketHub Ltd determines "
        "jointly with the organisation for purpose 'orders' (customers) and people it does "
        "not (hub_buyers): it is judged as the joint processing, the organisation's too, for "
        "customers, and hub_buyers are kept off its Art. 30(1) record; split it into one flow "
        "per capacity"
    ]
    orders = _row(result, "orders")
    assert orders.cells["subjects"] == ("Customers",)
    assert orders.cells["flows"] == ("checkout", "jc-to-sw", "jc-host-all")
    assert orders.cells["recipients"] == (
        "Storefront Commerce Inc. (processor, US)",
        "BackupTwo Inc (processor, US)",
    )
    assert orders.cells["joint_controllers"] == ("MarketHub Ltd",)
    assert _exit_code(folder) == 1


def test_problem_3_the_gate_names_the_partys_own_people_newly_set_aside(tmp_path: Path) -> None:
    """DPO review s2, problem 3: adding the other sellers' buyers to the joint hosting flow
    takes them off the orders row; the gate says so as a reclassification (its set
    ``joint_split_flows`` is compared), exit 1."""
    require_tool("git")
    map_dir = _folder(
        tmp_path,
        "s2",
        ("scenario.yaml", "subjects: [customers, hub_buyers]", "subjects: [customers]"),
    )
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    repo.commit()
    repo.edit(
        "scenario.yaml",
        "subjects: [customers], purpose: orders, basis: contract, agreement: p2-dpa",
        "subjects: [customers, hub_buyers], purpose: orders, basis: contract, agreement: p2-dpa",
    )
    repo.commit("head")
    result = run_gate(["check", str(map_dir), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:flows/jc-host-all: flows/jc-host-all is now described "
        "as not wholly the organisation's processing to judge (it carries hub_buyers, which "
        "jc holds on its own account, beside customers, whom it determines jointly with the "
        "organisation for orders): it can clear findings (its lawful basis ones, and its row "
        "on the Art. 30(1) record"
    ) in result.output


def test_problem_4_a_narrower_purpose_of_the_partys_own_is_not_the_joint_one(
    tmp_path: Path,
) -> None:
    """DPO review s2, problem 4, s6b: MarketHub's own promotions (hub_promos, ``is_a:
    [newsletter]``) to the joint subscribers, hosted in the US. Before: CRITICAL
    GDPR-TRANSFER and HIGH GDPR-BASIS on jc-host-own, and a hub_promos row with no joint
    controller named. Now its own: neither finding, no row."""
    result = audit_folder(_folder(tmp_path, "s6b"))
    assert result.facts.joint_purposes["jc"] == frozenset({"newsletter"})
    assert "jc-host-own" in result.facts.held_as_controller
    assert _findings(result) == []
    assert "hub_promos" not in [row.purpose_id for row in build_ropa(result).rows]


def test_problem_4_control_a_narrower_purpose_naming_the_party_is_joint(tmp_path: Path) -> None:
    """DPO review s2, problem 4, control: hub_promos itself names MarketHub in
    ``joint_controllers``: the joint processing, judged (CRITICAL transfer, HIGH basis) and on
    its row with MarketHub named as joint controller."""
    folder = _folder(
        tmp_path,
        "s6b",
        ("scenario.yaml", "is_a: [newsletter], ", "is_a: [newsletter], joint_controllers: [jc], "),
    )
    result = audit_folder(folder)
    assert "jc-host-own" not in result.facts.held_as_controller
    assert _findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-own", "scenario.yaml", 9, 5),
        ("GDPR-BASIS", "no-assessment", "flows/jc-host-own", "scenario.yaml", 9, 5),
        # the joint marketing is the organisation's too: PECR judges it (reg. 22, 23)
        ("PECR-MARKETING-CONSENT", "not-consent", "flows/jc-host-own", "scenario.yaml", 9, 116),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/jc-host-own", "scenario.yaml", 9, 5),
    ]
    promos = _row(result, "hub_promos")
    assert promos.cells["joint_controllers"] == ("MarketHub Ltd",)
    assert promos.cells["flows"] == ("jc-host-own",)
    assert promos.cells["subjects"] == ("Newsletter subscribers",)


def test_attack_3_a_joint_flow_without_its_recipient_role_is_read_by_the_party_role(
    tmp_path: Path,
) -> None:
    """Attack review s2, problem 3, a3 (zz2b with ``recipient_role: joint_controller``
    deleted from jc-to-sw): MarketHub is ``role: joint_controller`` and the flow rests on the
    signed Art. 26 arrangement. Before: CRITICAL GDPR-TRANSFER and HIGH GDPR-BASIS on its own
    analytics (jc-host-own), a hub_analytics row, and an empty "Joint controller" cell on the
    orders row. Now read as zz2b: the CRITICAL on jc-host-orders (the joint orders) only."""
    folder = _folder(tmp_path, "a3")
    result = audit_folder(folder)
    assert result.facts.joint_purposes == {"jc": frozenset({"orders"})}
    assert "jc-host-own" in result.facts.held_as_controller
    assert "jc-host-orders" not in result.facts.held_as_controller
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 9, 5)
    ]
    rows = build_ropa(result).rows
    assert "hub_analytics" not in [row.purpose_id for row in rows]
    orders = _row(result, "orders")
    assert orders.cells["joint_controllers"] == ("MarketHub Ltd",)
    assert orders.cells["flows"] == ("checkout", "jc-to-sw", "jc-host-orders")
    assert _exit_code(folder) == 1


def test_attack_3_the_art26_agreement_alone_makes_the_flow_joint(tmp_path: Path) -> None:
    """Attack review s2, problem 3: MarketHub recorded ``role: controller``, the flow with
    no recipient role, on an ``art26_joint`` agreement: joint by the agreement, as a3."""
    folder = _folder(
        tmp_path,
        "a3",
        ("scenario.yaml", "role: joint_controller, description", "role: controller, description"),
    )
    result = audit_folder(folder)
    assert result.facts.joint_purposes == {"jc": frozenset({"orders"})}
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 9, 5)
    ]
    assert _row(result, "orders").cells["joint_controllers"] == ("MarketHub Ltd",)


def test_attack_3_control_a_recipient_role_stated_is_read_as_stated(tmp_path: Path) -> None:
    """Attack review s2, problem 3, control: the flow says ``recipient_role: controller``;
    the flow's own word wins over the party's role and its agreement: no joint purpose, so
    the party's flows are judged as the organisation's (the gate lists that word as a claim
    change: tests/security)."""
    folder = _folder(
        tmp_path,
        "a3",
        (
            "scenario.yaml",
            "to: shopwave, categories",
            "to: shopwave, recipient_role: controller, categories",
        ),
    )
    result = audit_folder(folder)
    assert result.facts.joint_purposes == {}
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 9, 5),
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-own", "scenario.yaml", 10, 5),
        ("GDPR-BASIS", "no-assessment", "flows/jc-host-own", "scenario.yaml", 10, 5),
    ]
    assert _row(result, "orders").cells["joint_controllers"] == ()
