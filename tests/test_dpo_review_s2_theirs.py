"""Another controller's own processing is judged by no rule of the organisation's policies:
DPO review s2, problem 1 (DPO review of 2026-12-03, round s).

MarketHub, an independent controller that gets Shopwave's order contacts, sends its own
marketing to its own email sender. PECR reg. 22 and 23 bind the one who sends or instigates
the email, and Art. 7(3), 9 and 21 the controller of that processing: MarketHub, not Shopwave.
Every other rule and the Art. 30(1) record had set the flow aside
(``MapFacts.held_as_controller``), but the rules a policy scopes to flows (the PECR rules,
Art. 9, security, the notice's promises) still judged it: a HIGH PECR-MARKETING-CONSENT (s5c),
a MEDIUM PECR-MARKETING-OPT-OUT (s5) and a HIGH GDPR-ART9 (MarketHub's own host of medical
notes) failed Shopwave's run. The same flow made by Shopwave is still judged, and a PR that
moves it to MarketHub is a change to review.

The scenarios are the reviewer's (/tmp/dpo-s/s5c, s5; tests/fixtures/dpo_s2/), art9.yaml is
s5c with a special category on MarketHub's own flow.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from flowaudit.reports.ropa import build_ropa
from tests.helpers import (
    SHOP_EXAMPLE,
    GitRepo,
    audit_folder,
    edit_once,
    hits,
    run_gate,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s2"
ITS_OWN = ("s5c", "s5", "art9")


@pytest.mark.parametrize("name", ITS_OWN)
def test_another_controllers_own_flow_is_judged_by_no_rule(tmp_path: Path, name: str) -> None:
    result = audit_folder(shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml"))
    assert hits(result) == []
    own = "jc-own-care" if name == "art9" else "jc-promo"
    assert own in result.facts.held_as_controller
    assert [e.rule_id for e in result.passed if e.element == ("flows", own)] == []
    assert all(own not in row.cells["flows"] for row in build_ropa(result).rows)


@pytest.mark.parametrize(
    ("name", "rule", "code"),
    [
        ("s5", "PECR-MARKETING-OPT-OUT", "no-opt-out"),
        ("art9", "GDPR-ART9", "no-condition"),
    ],
)
def test_the_same_flow_made_by_the_organisation_is_still_judged(
    tmp_path: Path, name: str, rule: str, code: str
) -> None:
    """(s5c's emails, made by Shopwave to its own customers of the orders, pass on the soft
    opt-in of PECR reg. 22(3): its control is the gate test's base below.)"""
    folder = shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")
    edit_once(folder / "scenario.yaml", "from: jc,", "from: shopwave,")
    found = hits(audit_folder(folder), rule)
    assert [(rule_id, element, line) for rule_id, element, _, line in found] == [
        (rule, "jc-own-care" if name == "art9" else "jc-promo", 11)
    ]
    assert found[0][2] == code


def test_a_pr_that_moves_the_flow_to_the_other_controller_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    folder = shop_scenario(root / "map", SCENARIOS / "s5c.yaml")
    edit_once(folder / "scenario.yaml", "from: jc,", "from: shopwave,")
    repo = GitRepo(root, folder)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo.commit()
    repo.edit("scenario.yaml", "id: jc-promo, from: shopwave,", "id: jc-promo, from: jc,")
    result = run_gate(["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    [line] = [x for x in result.stdout.splitlines() if x.startswith("change to review:")]
    assert line.startswith(
        "change to review: reclassified:flows/jc-promo: flows/jc-promo is now described as "
        "made by jc on its own account, not as the organisation's processing (what it moves "
        "reaches jc as a controller (flows/sw-to-jc); re-pointed: shopwave → p2 at the "
        "base): it can clear findings (its lawful "
        "basis, agreement, notice content, transfer, onward and policy ones, and its row on "
        "the Art. 30(1) record: read as the other controller's duties, not the "
        "organisation's) without anything else changing; with it goes: "
    )
    [verdict] = [x for x in result.stdout.splitlines() if x.startswith("FAIL:")]
    assert verdict.startswith(
        "FAIL: no new findings at or above low against HEAD, but 1 change to review not "
        "accepted: reclassified:flows/jc-promo"
    )


def test_the_shop_example_has_no_flow_of_another_controllers_own() -> None:
    """The shipped example's verdict rests on none of this: nothing is set aside there."""
    assert audit_folder(SHOP_EXAMPLE).facts.held_as_controller == frozenset()
