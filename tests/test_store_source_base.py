"""A store no flow fills, against a base (DPO review 2026-12-03u, problem 4): adding one is a
new finding, and removing the flow that filled a store does not clear anything in silence:
the store's finding is new in the diff, so the change fails."""

from __future__ import annotations

from pathlib import Path

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
