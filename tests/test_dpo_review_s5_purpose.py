"""DPO review s5, problem 2: a marketplace that runs the shop's storefront as its processor
sends its own members to its own US host for its own promotions (``hub_promos``,
``is_a: [marketing]``), while the shop's own purpose is the broad ``marketing``. By ``is_a``
alone the promotions cannot be told from the shop's marketing (a courier's "delivery survey",
``is_a: [delivery]``, must stay the shop's: DPO review s4, problem 2), so they were judged as
the shop's: a CRITICAL transfer and three HIGHs. A purpose's ``controller`` now says whose
purpose it is: the marketplace's flows for it, of people that reach it by no flow of the
shop's, are its own; the shop's data used for it is an Art. 28(10) finding. Unsaid, the flow
stays judged as the shop's (the worse case), and a PR that says it is a change to review.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from flowaudit.reports.ropa import build_ropa
from tests.helpers import GitRepo, audit_folder, edit_once, run, run_gate, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s5"
UNSAID = '  - {id: hub_promos, name: "MarketHub own promotions", is_a: [marketing],'
SAID = UNSAID + " controller: jc,"


def _m1(tmp_path: Path, said: bool) -> Path:
    folder = shop_scenario(tmp_path / "m1", SCENARIOS / "m1.yaml")
    if said:
        edit_once(folder / "scenario.yaml", UNSAID, SAID)
    return folder


def _on_promo(folder: Path) -> list[tuple[str, str]]:
    result = audit_folder(folder)
    return [(f.rule_id, f.code) for f in result.findings if f.element == ("flows", "jc-promo")]


def test_unsaid_the_marketplaces_promotions_stay_judged_as_the_shops(tmp_path: Path) -> None:
    assert _on_promo(_m1(tmp_path, said=False)) == [
        ("GDPR-TRANSFER", "no-mechanism"),
        ("GDPR-BASIS", "no-assessment"),
        ("GDPR-SUBPROCESSING", "not-authorised"),
        ("PECR-MARKETING-CONSENT", "not-consent"),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out"),
    ]


def test_said_the_marketplaces_own_promotions_are_its_own(tmp_path: Path) -> None:
    folder = _m1(tmp_path, said=True)
    assert _on_promo(folder) == []
    result = audit_folder(folder)
    assert "jc-promo" in result.facts.held_as_controller
    assert "hub_promos" not in [row.purpose_id for row in build_ropa(result).rows]


def test_the_shops_data_used_for_the_marketplaces_purpose_infringes(tmp_path: Path) -> None:
    folder = _m1(tmp_path, said=True)
    edit_once(
        folder / "scenario.yaml",
        "subjects: [hub_members], purpose: hub_promos",
        "subjects: [customers], purpose: hub_promos",
    )
    assert ("GDPR-SUBPROCESSING", "purpose-outside-instructions") in _on_promo(folder)


def test_a_controller_no_party_is_is_a_located_input_error(tmp_path: Path) -> None:
    folder = _m1(tmp_path, said=True)
    edit_once(folder / "scenario.yaml", "controller: jc,", "controller: jcc,")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(
        "m1/scenario.yaml:8:75: unknown party 'jcc' (did you mean 'jc'?)"
    )


def test_saying_whose_purpose_it_is_in_a_pr_is_a_change_to_review(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    folder = _m1(root, said=False)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit("scenario.yaml", UNSAID, SAID)
    result = run_gate(["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert any(
        line.startswith("change to review: reclassified:flows/jc-promo: ")
        for line in result.stdout.splitlines()
    ), result.stdout


def test_problem_4_a_flow_set_aside_as_a_processors_own_is_warned_at_the_flow(
    tmp_path: Path,
) -> None:
    """DPO review s5, problem 4: a courier's proof-of-delivery data to its US host, for a
    purpose no flow of the shop's uses, was set aside as the courier's own with no word."""
    folder = shop_scenario(tmp_path / "a1n", SCENARIOS / "a1n.yaml")
    result = audit_folder(folder)
    assert "pr-survey" in result.facts.processors_own
    [warning] = [w for w in result.warnings if "pr-survey" in w]
    assert warning.endswith(
        "scenario.yaml:10:5: flow 'pr-survey' is read as ParcelRun Ltd's own processing as a "
        "controller, not the organisation's: what it carries reaches ParcelRun Ltd by no flow "
        "of the organisation's, and its purpose 'proof_of_delivery' is none of the "
        "organisation's; no rule judges it and it is not on the Art. 30(1) record; if "
        "ParcelRun Ltd makes it for the organisation, give it the organisation's purpose (or "
        "one that is_a it), else say whose purpose it is with the purpose's controller"
    )


def test_a_purpose_whose_controller_is_said_is_set_aside_with_no_warning(
    tmp_path: Path,
) -> None:
    result = audit_folder(_m1(tmp_path, said=True))
    assert "jc-promo" in result.facts.processors_own
    assert [w for w in result.warnings if "jc-promo" in w] == []
