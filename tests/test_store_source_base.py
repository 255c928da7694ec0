"""A store no flow fills, against a base (DPO review 2026-12-03u, problem 4): adding one is a
new finding, and removing the flow that filled a store does not clear anything in silence:
the store's finding is new in the diff, so the change fails."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.html import duties_relied_on
from tests.helpers import run

ORGANISATION = (
    "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice_clauses: [PN-1]}\n"
    "subjects:\n"
    "  - {id: applicants, name: Job applicants, party_to_contract: true}\n"
    "categories:\n"
    "  - {id: contact, name: Contact details}\n"
    "purposes:\n"
    "  - {id: recruitment, name: Reviewing job applications, notice: PN-1}\n"
)
STORE = (
    "  - {id: %s, name: %s, owner: acme, country: GB, categories: [contact],"
    " subjects: [applicants], retention_days: 180, retention_justification: six months,"
    " encrypted_at_rest: true}\n"
)
FILL = (
    "flows:\n"
    "  - {id: applications, from: acme, to: ats, categories: [contact], subjects: [applicants],"
    " purpose: recruitment, basis: contract, encrypted_in_transit: true, notice: PN-1}\n"
)


def _map(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "map.yaml").write_text(text, encoding="utf-8")
    return folder


def _new(base: Path, head: Path) -> tuple[int, list[str]]:
    """The diff's exit code and its new findings: severity, rule and element."""
    result = run(["diff", str(base), str(head), "--as-of", "2026-11-25"])
    new = [
        " ".join(line.split(": ", 1)[0].split()[2:])
        for line in result.output.splitlines()
        if line.startswith("NEW")
    ]
    return result.exit_code, new


def test_removing_the_flow_that_filled_a_store_is_a_new_finding(tmp_path: Path) -> None:
    ats = STORE % ("ats", "Applicant tracking")
    base = _map(tmp_path / "base", ORGANISATION + "systems:\n" + ats + FILL)
    head = _map(tmp_path / "head", ORGANISATION + "systems:\n" + ats)
    assert "HYG-STORE-SOURCE" not in run(["check", str(base), "--as-of", "2026-11-25"]).output
    code, new = _new(base, head)
    assert code == 1
    assert new == ["MEDIUM HYG-STORE-SOURCE systems/ats"]


def test_adding_a_store_no_flow_fills_is_a_new_finding(tmp_path: Path) -> None:
    ats = STORE % ("ats", "Applicant tracking")
    base = _map(tmp_path / "base", ORGANISATION + "systems:\n" + ats + FILL)
    head = _map(
        tmp_path / "head",
        ORGANISATION + "systems:\n" + ats + STORE % ("cv-inbox", "CV inbox") + FILL,
    )
    code, new = _new(base, head)
    assert code == 1
    assert new == ["MEDIUM HYG-STORE-SOURCE systems/cv-inbox"]


SPECIAL_STORE = (
    "organisation: {id: acme, name: Acme Ltd, country: %s, regime: %s}\n"
    "subjects:\n"
    "  - {id: staff, name: Staff}\n"
    "categories:\n"
    "  - {id: contact, name: Contact details}\n"
    "  - {id: health, name: Occupational health notes, art9_kind: health}\n"
    "systems:\n"
    "  - {id: oh, name: Occupational health file, owner: acme, country: %s,"
    " categories: [contact, health], subjects: [staff]}\n"
)


def _store_finding(tmp_path: Path, country: str, regime: str) -> tuple[Any, AuditResult]:
    folder = _map(tmp_path / regime, SPECIAL_STORE % (country, regime, country))
    result = audit(
        AuditRequest([folder], date(2026, 11, 25), policies=("hygiene",), closed_vocabulary=False)
    )
    (finding,) = [f for f in result.findings if f.rule_id == "HYG-STORE-SOURCE"]
    return finding, result


def test_a_special_category_store_with_no_source_cites_art_9_from_the_legal_table(
    tmp_path: Path,
) -> None:
    """DPO review v, point 5: HYG-STORE-SOURCE on a store of health notes cited only Art.
    5(2), 6(1) and 30(1)(b). It now says the store holds special-category data and cites
    Art. 9(1) and 9(2) (a condition is needed besides a lawful basis) from the legal table's
    row special_category_condition, as the organisation's regime reads it, in its message
    and its references; "Legal table used" lists the row. A Swiss organisation's law has no
    Art. 9(2) list: its finding stays the plain one."""
    finding, result = _store_finding(tmp_path, "GB", "UK")
    assert finding.code == "no-source-special-category"
    assert (
        "it holds special-category data (health), which may be processed only where a "
        "condition of Art. 9(2) applies besides an Art. 6 lawful basis (UK GDPR Art. 9(1) "
        "and 9(2))" in finding.message
    )
    assert result.references_of(finding)[1] == [
        "UK GDPR Art. 5(2) (accountability)",
        "UK GDPR Art. 6(1)",
        "UK GDPR Art. 9(1)",
        "UK GDPR Art. 9(2)",
        "UK GDPR Art. 30(1)(b)",
    ]
    assert [row.id for row in duties_relied_on(result)] == ["special_category_condition"]
    eu, _ = _store_finding(tmp_path, "IE", "EU")
    assert "(GDPR Art. 9(1) and 9(2))" in eu.message
    swiss, swiss_result = _store_finding(tmp_path, "CH", "CH")
    assert swiss.code == "no-source"
    assert "Art. 9" not in swiss.message
    assert duties_relied_on(swiss_result) == []
