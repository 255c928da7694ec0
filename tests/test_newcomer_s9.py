"""Newcomer review s9 (a dental practice's map written from the docs alone): each problem's
fix, on the reviewer's maps (tests/fixtures/newcomer_s9)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.reports.html import duties_relied_on
from tests.helpers import edit_once, run

HERE = Path(__file__).parent / "fixtures" / "newcomer_s9"
BS = HERE / "bs"
POL = HERE / "pol"


def test_art9_duty_counts_the_art9_rules_passes() -> None:
    """newcomer review s9, problem 4: "Legal table used" counted the Art. 9 duty's passes
    from HYG-STORE-SOURCE only (1 pass), while GDPR-ART9 passed both flows carrying health
    data; the Art. 9 rule declares the duty, so its passes count too (1 + 2)."""
    result = audit(AuditRequest([str(BS)], date(2026, 11, 25)))
    art9 = sorted(e.element[1] for e in result.passed if e.rule_id == "GDPR-ART9")
    assert art9 == ["lab-orders", "record-visits"]
    store = [e.element[1] for e in result.passed if e.rule_id == "HYG-STORE-SOURCE"]
    assert store == ["patient-records"]
    rows = {row.id: row for row in duties_relied_on(result)}
    row = rows["special_category_condition"]
    assert (row.findings, row.passes) == (0, 3)


def test_tab_in_indentation_is_named_and_its_cause_listed_first() -> None:
    """newcomer review s9, problem 6: a tab before `purpose:` gave libyaml's "found character
    that cannot start any token", and the 1:1 note that references were not checked was
    listed before it; the error names the tab and the note follows it."""
    result = run(["check", str(HERE / "btab"), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    shown = "btab/flows.yaml"
    lines = [line[line.index(shown) :] for line in result.output.splitlines() if shown in line]
    assert lines == [
        f"{shown}:31:1: YAML syntax error: while scanning for the next token found character "
        "that cannot start any token; the character is a tab: YAML indents with spaces only; "
        "replace the tab with spaces",
        f"{shown}:1:1: references to ids were not checked: this map file could not be read, "
        "and an id it defines would be unknown",
    ]
    assert "flowaudit: 2 input problems; nothing was checked" in result.output


POLICY_NOT_SHIPPED = (
    "bs-polsel/organisation.yaml:28:14: policies names 'brightsmile-rules': no shipped policy "
    "has this id; a policy of your own is loaded with --policies DIR and needs no entry here; "
    "shipped: concero-notice, hygiene, uk-gdpr"
)


def _from(output: str, name: str) -> list[str]:
    """The output's lines naming a file of the map folder ``name``, from its name on."""
    return [line[line.index(name + "/") :] for line in output.splitlines() if name + "/" in line]


def test_own_policy_in_the_maps_policies_list(tmp_path: Path) -> None:
    """newcomer review s9, problem 2: a map listing its own policy's id in
    organisation.policies was refused at `(policies):1:1` while --policies gave that policy,
    and `validate` passed the map. Given by --policies, the id is accepted; without it, the
    refusal is located at the item and says what to do, and `validate` says the same."""
    folder = HERE / "bs-polsel"
    given = run(["check", str(folder), "--policies", str(POL), "--as-of", "2026-11-25"])
    assert given.exit_code == 1
    assert "BS-LAB-ENCRYPTED" in given.output
    for command in (["check", str(folder), "--as-of", "2026-11-25"], ["validate", str(folder)]):
        refused = run(command)
        assert refused.exit_code == 2
        assert _from(refused.output, "bs-polsel") == [POLICY_NOT_SHIPPED]
    # a typo of a shipped id gets its fix
    typo = tmp_path / "typo"
    shutil.copytree(folder, typo)
    edit_once(typo / "organisation.yaml", "[brightsmile-rules]", "[hygeine]")
    refused = run(["validate", str(typo)])
    assert refused.exit_code == 2
    assert _from(refused.output, "typo") == [
        "typo/organisation.yaml:28:14: policies names 'hygeine': no shipped policy has this id; "
        "a policy of your own is loaded with --policies DIR and needs no entry here; shipped: "
        "concero-notice, hygiene, uk-gdpr (did you mean 'hygiene'?)"
    ]


def test_waiver_of_a_rule_no_policy_has(tmp_path: Path) -> None:
    """newcomer review s9, problem 3: a waiver of the misspelt rule GDPR-AGREMENT was
    reported by HYG-WAIVER as matching no finding, as if the rule existed; it is an input
    error at the waiver's `rule`, with the nearest rule id. A waiver of a shipped rule the
    map does not select (a Concero notice rule) is still HYG-WAIVER's to report."""
    result = run(
        ["check", str(HERE / "bwrule"), "--policies", str(POL), "--as-of", "2026-11-25"]
    )
    assert result.exit_code == 2
    assert _from(result.output, "bwrule") == [
        "bwrule/waivers.yaml:3:5: unknown rule 'GDPR-AGREMENT': no loaded or shipped policy has "
        "a rule of this id (did you mean 'GDPR-AGREEMENT'?)"
    ]
    unselected = tmp_path / "unselected"
    shutil.copytree(HERE / "bwrule", unselected)
    edit_once(unselected / "waivers.yaml", "rule: GDPR-AGREMENT", "rule: CONCERO-ENCRYPT")
    result = run(["check", str(unselected), "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assert (
        "unselected/waivers.yaml:4:5 HIGH HYG-WAIVER waivers/w-lab-dsa: waiver matches no "
        "finding of CONCERO-ENCRYPT on flows/lab-orders; remove it or correct it"
    ) in result.output
