"""Art. 14(5): a flow that brings data from others names the ground on which the notice need
not give the Art. 14 items for it (DPO review 2026-12-03u, problem 10: PAYE tax codes HMRC
sends by law drew two MEDIUM GDPR-NOTICE-CONTENT findings and the map could not say why they
do not apply). The finding's behaviour is in tests/cases/notice_content.yaml; here the legal
table's rows, the closed vocabulary and the gate's review of the claim."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.baseline import CLAIMS
from flowaudit.policies.legal import load_legal_table
from tests.helpers import run, unpinned

MAP = """\
organisation:
  id: acme
  name: Acme Ltd
  country: GB
  regime: UK
  dsar_days: 28
  complaints_procedure: true
  notice_content:
    controller_identity: Acme Ltd
    purposes_and_bases: payroll, legal obligation
    recipients: HMRC
    retention: six years
    rights: all rights
    complaint: the ICO
    statutory_or_contractual: needed by law
    categories_obtained: null
    source_of_data: null
parties:
  - {id: hmrc, name: HM Revenue and Customs, kind: tax_authority, country: GB, role: controller}
systems:
  - {id: hr, name: HR system, owner: acme, country: GB, retention_days: 2190,
     retention_justification: six years (tax records), encrypted_at_rest: true}
categories: [{id: taxcode, name: PAYE tax code}]
subjects: [{id: staff, name: Our employees, party_to_contract: true}]
purposes: [{id: paye, name: Operating PAYE}]
flows:
  - {id: codes, from: hmrc, to: hr, categories: [taxcode], subjects: [staff], purpose: paye,
     basis: legal_obligation, encrypted_in_transit: true%s}
"""


def _write(folder: Path, exemption: str | None) -> Path:
    folder.mkdir()
    (folder / "map.yaml").write_text(
        MAP % (f", art14_exemption: {exemption}" if exemption else ""), encoding="utf-8"
    )
    return folder


def test_the_grounds_are_the_four_of_art_14_5_each_unconfirmed_with_its_source() -> None:
    legal = load_legal_table()
    rows = legal.art14_exemptions
    assert [(r.id, r.source) for r in rows.values()] == [
        ("already_informed", "UK GDPR Art. 14(5)(a)"),
        ("impossible_or_disproportionate", "UK GDPR Art. 14(5)(b)"),
        ("obtained_by_law", "UK GDPR Art. 14(5)(c)"),
        ("professional_secrecy", "UK GDPR Art. 14(5)(d)"),
    ]
    for row in rows.values():
        assert row.unconfirmed and "UNCONFIRMED" in (row.notes or "")
        assert row.read_as("EU").source == row.source.replace("UK GDPR", "GDPR")
        assert row.regimes == ["UK", "EU"]
    assert list(legal.vocabulary()["art14_exemption"]) == list(rows)


def test_a_ground_not_in_the_table_is_refused_at_its_place(tmp_path: Path) -> None:
    folder = _write(tmp_path / "map", "by_statute")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "map.yaml:28:59: unknown art14_exemption 'by_statute'" in result.output
    assert "obtained_by_law" in result.output


#: the flow the Art. 14 items are asked for, named (newcomer review s18)
BECAUSE = (
    "; asked because flow codes brings data from others (a party that is not the "
    "organisation's processor, or data the organisation never sent that processor)"
)


def test_naming_a_ground_is_a_claim_the_gate_reviews(tmp_path: Path) -> None:
    """The ground clears the two Art. 14 findings on the map's word alone: a change that
    names it is a change to review, and says which findings it can clear."""
    assert "art14_exemption" in CLAIMS["flows"]
    base = _write(tmp_path / "base", None)
    head = _write(tmp_path / "head", "obtained_by_law")
    before = run(["check", str(base), "--as-of", "2026-11-25"])
    assert [
        line.split(" ", 1)[1] for line in before.output.splitlines() if "NOTICE-CONTENT" in line
    ] == [
        "MEDIUM GDPR-NOTICE-CONTENT organisation/acme: the notice does not give the categories "
        "of data obtained from others (UK GDPR Art. 14(1)(d))" + BECAUSE,
        "MEDIUM GDPR-NOTICE-CONTENT organisation/acme: the notice does not give where data not "
        "collected from the person comes from (UK GDPR Art. 14(2)(f))" + BECAUSE,
    ]
    result = run(["diff", str(base), str(head), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.output
    lines = unpinned(result.output).splitlines()
    assert [line for line in lines if line.startswith("REVIEW")] == [
        "REVIEW (NOT ACCEPTED) claim-changed:flows/codes: flows/codes now claims "
        "art14_exemption 'obtained_by_law' (was unsaid): it can clear findings (the notice's "
        "Art. 14 items (the categories and the source of data obtained from others)) and the "
        "map cannot show it is true"
    ]
    assert lines[-1].startswith("FAIL: 0 new findings (0 at or above low), 2 gone (2 fixed,")
