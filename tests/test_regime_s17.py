"""Lawyer review s17 (2026-12-04): verdicts across regimes and the dated law.

Problems fixed (the scenarios of tests/regime_s17_cases.py hold them, with the dated law):

1. A hop sent under another regime than the organisation's (a UK processor's onward transfer
   in an EU controller's map; an EU processor's in a UK map) was cited, in its message, its
   "Law:" line and its fix, as the organisation's regime cites the law: an EU map's finding
   on a UK exporter's IDTA cited "GDPR Art. 46(1A)", an article only the UK GDPR has, and
   told the UK exporter to use the EU's mechanisms. Each finding now carries the regime its
   flow is under (``Finding.regime``), and the UK's own articles (the legal table's
   ``own_articles``) are never worded as the EU's GDPR nor cited in another regime's findings.
2. A processor's hop to its sub-processor, for a purpose the controller's own flow carries,
   without a ``basis`` was a HIGH "no Art. 6 lawful basis": a processor acts on the
   controller's basis (Art. 28(3)(a), 29), which that flow names.
3. The transfers register and the record of processing printed a transfer on an Art. 49
   derogation "valid" flat, where the check said it passed on an ASSUMED fact (occasional use
   taken on trust): both now show it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from flowaudit.reports.registers import build_registers, transfer_rows
from flowaudit.reports.side_files import side_files
from tests.helpers import audit_folder, run
from tests.regime_s17_cases import SCEN, Scenario, line_of_field, map_text
from tests.scenarios import assert_verdict, audit_scenario


def test_at_least_forty_scenarios_with_unique_names() -> None:
    names = [s.name for s in SCEN]
    assert len(names) >= 40
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path)


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_problem_1_a_uk_processors_hop_in_an_eu_map_cites_the_uk_gdpr(tmp_path: Path) -> None:
    """The finding's message, law and fix are the UK exporter's: "UK GDPR Art. 46(1A)", never
    "GDPR Art. 46(1A)" (the EU's Regulation has no such article), and the UK's routes."""
    result, text = audit_scenario(_by_name("eu-map-uk-processor-idta-test-not-met"), tmp_path)
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.regime == "UK"
    assert finding.location is not None
    assert finding.location.line == line_of_field(text, "flows/to-sub", "assessments")
    assert "(UK GDPR Art. 46(1A)(a)(ii) and 46(6), inserted by DUAA 2025 s.85" in finding.message
    assert " GDPR Art. 46(1A)" not in finding.message.replace("UK GDPR Art. 46(1A)", "")
    assert result.references_of(finding)[1] == [
        "UK GDPR Art. 46(1A)",
        "UK GDPR Art. 44",
        "DUAA 2025 s.85",
    ]
    assert result.fix_of(finding).startswith(
        "Use a mechanism valid today for the exporter: the IDTA"
    )
    markdown = run(
        ["check", str(tmp_path / "map.yaml"), "--as-of", "2026-11-25", "--format", "markdown"]
    ).output
    assert "   Law: UK GDPR Art. 46(1A); UK GDPR Art. 44; DUAA 2025 s.85" in markdown
    json_out = run(
        ["check", str(tmp_path / "map.yaml"), "--as-of", "2026-11-25", "--format", "json"]
    ).output
    assert '"regime": "UK"' in json_out


def test_problem_1_an_eu_processors_hop_in_a_uk_map_cites_the_gdpr(tmp_path: Path) -> None:
    result, _ = audit_scenario(_by_name("uk-map-eu-processor-no-mechanism"), tmp_path)
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.regime == "EU"
    assert result.references_of(finding)[1] == [
        "GDPR Art. 44-46",
        "GDPR Art. 49",
        "CJEU C-311/18 (Schrems II)",
    ]
    assert result.fix_of(finding).startswith(
        "Use a mechanism valid today for an EU exporter: the EU-US Data Privacy Framework"
    )


def test_problem_1_the_organisations_own_hop_carries_no_regime(tmp_path: Path) -> None:
    result, _ = audit_scenario(_by_name("uk-idta-test-2026-02-05"), tmp_path)
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.regime == ""
    assert result.references_of(finding)[1] == [
        "UK GDPR Art. 46(1A)",
        "UK GDPR Art. 5(2)",
        "DUAA 2025 s.85",
    ]


def test_problem_1_the_uk_only_articles_are_never_the_eus_or_switzerlands() -> None:
    """The table's UK ``own_articles``: an EU or Swiss citer keeps "UK GDPR" on them, and
    another regime's references leave them out; the UK cites them as its own."""
    from flowaudit.policies.legal import load_legal_table

    legal = load_legal_table()
    on = date(2026, 6, 1)
    text = "(UK GDPR Art. 46(1A)(a)(ii); UK GDPR / GDPR Art. 49(1)(a); UK GDPR Art. 6(1)(ea))"
    assert legal.citer("EU", on)(text) == (
        "(UK GDPR Art. 46(1A)(a)(ii); GDPR Art. 49(1)(a); UK GDPR Art. 6(1)(ea))"
    )
    assert legal.citer("CH", on)(text) == (
        "(UK GDPR Art. 46(1A)(a)(ii); revFADP Art. 17(1)(a); UK GDPR Art. 6(1)(ea))"
    )
    assert legal.citer("UK", on)(text) == (
        "(UK GDPR Art. 46(1A)(a)(ii); UK GDPR Art. 49(1)(a); UK GDPR Art. 6(1)(ea))"
    )
    refs = ["UK GDPR Art. 46(1A)", "UK GDPR Art. 44", "UK GDPR Art. 6(1)(ea)"]
    assert legal.cited_references(refs, "EU", on) == ["GDPR Art. 44"]
    assert legal.cited_references(refs, "UK", on) == refs


def test_problem_2_the_sub_processor_hop_has_no_basis_finding_and_the_art28_duties_stay(
    tmp_path: Path,
) -> None:
    result, _ = audit_scenario(_by_name("eu-map-sub-processor-hop-no-basis"), tmp_path)
    basis = {e.element for e in result.passed if e.rule_id == "GDPR-BASIS"}
    assert ("flows", "f1") in basis  # the controller's flow carries the basis
    assert ("flows", "to-sub") not in basis  # not judged on the hop: no pass, no finding
    assert [f for f in result.findings if f.rule_id == "GDPR-BASIS"] == []
    sub = {e.element for e in result.passed if e.rule_id == "GDPR-SUBPROCESSING"}
    assert ("flows", "to-sub") in sub  # Art. 28(2)/(4) still judged on the hop


def test_problem_3_the_registers_show_the_derogation_taken_on_trust(tmp_path: Path) -> None:
    result, _ = audit_scenario(_by_name("eu-art49-explicit-consent-occasional"), tmp_path)
    (passed,) = [e for e in result.passed if e.rule_id == "GDPR-TRANSFER"]
    (fact,) = passed.assumed
    assert fact.startswith("occasional: taken on trust: a transfer under 'art49_explicit_consent'")
    assert "(GDPR Art. 49(1)(a), 49(3); EDPB Guidelines 2/2018" in fact
    (row,) = transfer_rows(result, result.facts.index)
    assert row.status == "valid"
    assert row.safeguard_assumed == fact
    assert row.assumed == (fact,)
    register = side_files(result, build_registers(result))["transfers.csv"]
    (line,) = list(csv.DictReader(io.StringIO(register)))
    assert line["assumed"] == fact
    ropa = run(
        ["ropa", str(tmp_path / "map.yaml"), "--as-of", "2026-06-01", "--format", "csv"]
    ).output
    assert f"Art. 49(1)(a) explicit consent derogation (flow f1) [ASSUMED: {fact}]" in ropa


def test_problem_1_and_3_a_presumed_test_on_a_uk_hop_in_an_eu_map(tmp_path: Path) -> None:
    """A UK processor's Addendum transfer whose 2026 assessment does not record the data
    protection test passes on a presumption: the pass's ASSUMED fact cites the UK GDPR (it
    said "GDPR Art. 46(1A)(a)(ii)"), and the transfers register shows it."""
    scenario = _by_name("eu-map-uk-processor-addendum-test-met")
    folder = tmp_path / "map"
    folder.mkdir()
    text = map_text(scenario).replace("  data_protection_test: true\n", "")
    (folder / "map.yaml").write_text(text, encoding="utf-8")
    result = audit_folder(folder, date.fromisoformat(scenario.as_of))
    (passed,) = [
        e for e in result.passed if e.rule_id == "GDPR-TRANSFER" and e.element[1] == "to-sub"
    ]
    assert passed.assumed == (
        "transfer risk assessment 'tra' judged the data protection test met (UK GDPR Art. "
        "46(1A)(a)(ii)): presumed, as it was completed on 2026-03-01, on or after 2026-02-05; "
        "it does not record the judgement (data_protection_test: true)",
    )
    rows = {row.flow.id: row for row in transfer_rows(result, result.facts.index)}
    assert rows["to-sub"].safeguard_assumed == passed.assumed[0]


@pytest.mark.parametrize(
    ("name", "row"),
    [("eu-brazil-2026-01-26", "eu-brazil"), ("eu-uk-adequacy-2021-06-28", None)],
)
def test_unconfirmed_rows_stay_marked_on_the_passes(
    name: str, row: str | None, tmp_path: Path
) -> None:
    """FACTS.md marks Brazil's decision UNCONFIRMED against its text: the pass says so; the
    2021 UK decision is confirmed, and its pass carries no mark."""
    result, _ = audit_scenario(_by_name(name), tmp_path)
    (passed,) = [e for e in result.passed if e.rule_id == "GDPR-TRANSFER"]
    marks = [label.split(" ", 1)[0] for label in passed.unconfirmed]
    assert marks == ([row] if row else [])
