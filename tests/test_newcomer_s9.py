"""Newcomer review s9 (a dental practice's map written from the docs alone): each problem's
fix, on the reviewer's maps (tests/fixtures/newcomer_s9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.reports.html import duties_relied_on
from tests.helpers import run

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
