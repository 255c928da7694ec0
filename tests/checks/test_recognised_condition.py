"""Recognised legitimate interests (UK GDPR Art. 6(1)(ea)) is open only where a condition of
Annex 1 is met (Art. 6(5)); the flow names it in ``recognised_condition``, from the legal
table's closed list, whose rows are UNCONFIRMED against the Annex's text (DPO review
2026-12-02b, problem 12). The verdicts are cases in tests/cases/lawful_basis.yaml; here what
is no audit of a map: the closed vocabulary, the UNCONFIRMED mark in the reports, the claim."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flowaudit import app
from flowaudit.checks.baseline import CLAIMS
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.schema import Severity
from flowaudit.reports.text import render_text
from tests.helpers import BASE, audit_files

AS_OF = "2026-12-02"
FLOW = (
    "flows:\n  - {id: fraud-checks, from: acme, to: acme-db, categories: [contact], "
    "subjects: [staff], purpose: support, basis: recognised_legitimate_interests%s}\n"
)


def _map(tmp_path: Path, condition: str | None) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(
        FLOW % (f", recognised_condition: {condition}" if condition else ""), encoding="utf-8"
    )
    return path


def test_the_annex_1_conditions_are_a_closed_list_of_unconfirmed_rows_with_sources() -> None:
    legal = load_legal_table()
    assert list(legal.recognised_conditions) == [
        "public_task_disclosure",
        "national_security_defence",
        "emergencies",
        "crime",
        "safeguarding_vulnerable_individuals",
        "democratic_engagement",
    ]
    for row in legal.recognised_conditions.values():
        assert row.unconfirmed and "UNCONFIRMED" in (row.notes or "")
        assert "DUAA" in row.source or "Data (Use and Access) Act 2025" in row.source
    assert legal.lawful_bases["recognised_legitimate_interests"].requires_recognised_condition
    assert legal.vocabulary()["recognised_condition"] == list(legal.recognised_conditions)


def test_an_unknown_condition_is_refused_as_the_closed_vocabulary_refuses_others(
    tmp_path: Path,
) -> None:
    with pytest.raises(app.InputError, match="unknown recognised_condition 'staff_training'"):
        app.audit(app.AuditRequest([BASE, _map(tmp_path, "staff_training")], date(2026, 12, 2)))


def test_a_pass_on_a_condition_says_it_rests_on_an_unconfirmed_row(tmp_path: Path) -> None:
    result = audit_files(_map(tmp_path, "crime"), as_of=AS_OF)
    assert [f for f in result.findings if f.rule_id == "GDPR-BASIS"] == []
    (passed,) = [
        p
        for p in result.passed
        if (p.rule_id, p.element) == ("GDPR-BASIS", ("flows", "fraud-checks"))
    ]
    (row,) = passed.unconfirmed
    assert row.startswith("crime (UK GDPR Art. 6(5) and Annex 1 para 4")
    assert f"Passed on an UNCONFIRMED legal row: {row}: 1 check" in render_text(
        result, Severity.LOW
    )


def test_naming_a_condition_is_a_claim_the_gate_reviews() -> None:
    assert "recognised_condition" in CLAIMS["flows"]


@pytest.mark.parametrize(
    ("regime", "on", "listed"),
    [("UK", date(2026, 2, 5), 6), ("UK", date(2026, 2, 4), 0), ("EU", date(2026, 12, 2), 0)],
)
def test_flowaudit_law_lists_the_conditions_marked_unconfirmed_while_the_basis_is_open(
    regime: str, on: date, listed: int
) -> None:
    from flowaudit.reports.law import law_in_force, render_law_text

    law = law_in_force(load_legal_table(), regime, on)
    rows = law["sections"].get("recognised_conditions", [])
    assert len(rows) == listed
    assert all(row["unconfirmed"] for row in rows)
    if listed:
        assert "  crime [UNCONFIRMED]: Detecting, investigating or preventing crime" in (
            render_law_text(law)
        )


def test_the_record_of_processing_names_the_condition_as_the_interest_pursued(
    tmp_path: Path,
) -> None:
    from tests.helpers import run

    output = run(["ropa", str(BASE), str(_map(tmp_path, "crime")), "--as-of", AS_OF]).output
    assert (
        "recognised legitimate interest (Annex 1): Detecting, investigating or preventing "
        "crime, or apprehending or prosecuting offenders (Annex 1 para 4) (fraud-checks)"
    ) in output
