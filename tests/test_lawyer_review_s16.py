"""Lawyer review s16 (2026-12-04, transfers), problems 1-4.

1. An onward hop from an importer in a third country that names a transfer mechanism was taken
   as recorded whatever the mechanism: the UK Extension for a US processor's sub-processor in
   India (the bridge covers US importers only), the IDTA with no agreement linked, Art.
   49(1)(a) with no consent record. The hop is judged on the mechanism's own terms
   (``onward._mechanism_unmet``): one GDPR-ONWARD finding, critical.
2. Explicit consent (Art. 49(1)(a), Art. 9(2)(a)) given for one purpose carried a flow for
   another: the record must cover the flow's purpose (``explicit_consent_gap``), as Art.
   6(1)(a) consent already had to.
3. A UK exporter's binding corporate rules were not on the data protection test's row (UK GDPR
   Art. 46(1A) reads on every Art. 46(2) safeguard, BCRs at (b)): a BCR transfer as of 2026
   passed on a 2021 assessment that never judged the test. The row lists ``bcr`` now, and its
   finding carries the row's UNCONFIRMED mark.
4. A pass's assumed facts quoted the table's sources unworded: an EU organisation's pass on an
   Art. 49 derogation said "UK GDPR / GDPR Art. 49(1)(a)"; the EU and Swiss fixes named the
   UK's "transfer risk assessment" for the Clause 14 transfer impact assessment.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from flowaudit.policies.legal import load_legal_table
from tests.helpers import audit_folder, edit_once, line_of

FIXTURES = Path(__file__).parent / "fixtures" / "lawyer_s16"
AS_OF = date(2026, 6, 1)
RULES = {"GDPR-TRANSFER", "GDPR-ONWARD", "GDPR-ART9", "GDPR-BASIS"}

Row = tuple[tuple[str, ...], str, str, tuple[str, str], str, int, str]


def _found(name: str, as_of: date = AS_OF) -> tuple[list[Row], AuditResult]:
    """The transfer, onward, Art. 9 and basis findings of a scenario: (rules, code, severity,
    element, file, line, message)."""
    result = audit_folder(FIXTURES / name, as_of)
    rows = []
    for f in result.findings:
        if f.rule_id not in RULES:
            continue
        assert f.location is not None
        rows.append(
            (
                f.rule_ids,
                f.code,
                f.severity.value,
                f.element,
                Path(f.location.file).name,
                f.location.line,
                f.message,
            )
        )
    return rows, result


def _line(name: str, needle: str) -> int:
    return line_of(FIXTURES / name / "map.yaml", needle)


def _field_line(name: str, flow: str, field: str) -> int:
    """The line of a flow's field: where a finding on that field is located."""
    lines = (FIXTURES / name / "map.yaml").read_text(encoding="utf-8").splitlines()
    start = _line(name, f"- id: {flow}")
    for number in range(start, len(lines) + 1):
        if lines[number - 1].strip().startswith(f"{field}:"):
            return number
    raise AssertionError(f"{flow} has no {field} in {name}")


HOP = (
    "hop 'to-sub': onward transfer from US (Importer Corp, an importer in a third country) to "
    "IN (Sub sub) rests on "
)
REACH = (
    "; the organisation's data reaching it: contact.name, from its flow f1; the shortest way: "
    "acme (GB) -> importer (US) -> sub (IN)"
)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (
            "onward-wrong-destination-mech",
            'UK Extension to the EU-US DPF ("UK-US data bridge"), which covers transfers to US '
            "only, not IN",
        ),
        (
            "onward-bare-idta",
            "UK International Data Transfer Agreement, but no idta agreement is linked as the "
            "hop's transfer_agreement: record the onward contract once you have seen it",
        ),
        (
            "onward-art49-no-consent",
            "Art. 49(1)(a) explicit consent derogation, which needs the person's explicit "
            "consent to the transfer; no consent record is linked",
        ),
    ],
)
def test_problem_1_an_onward_hop_is_judged_on_the_mechanism_it_names(name: str, said: str) -> None:
    rows, _ = _found(name)
    assert rows == [
        (
            ("GDPR-ONWARD",),
            "third-country",
            "critical",
            ("flows", "to-sub"),
            "map.yaml",
            _line(name, "- id: to-sub"),
            HOP + said + REACH,
        )
    ]


def test_problem_1_control_an_onward_contract_of_its_kind_passes() -> None:
    rows, result = _found("onward-idta-signed")
    assert rows == []
    assert ("GDPR-ONWARD", ("flows", "f1")) in {(p.rule_id, p.element) for p in result.passed}


def test_problem_2_art49_explicit_consent_for_another_purpose_is_no_ground() -> None:
    name = "uk-us-art49-consent-other-purpose"
    rows, _ = _found(name)
    assert rows == [
        (
            ("GDPR-TRANSFER",),
            "purpose-not-consented",
            "critical",
            ("flows", "f1"),
            "map.yaml",
            _field_line(name, "f1", "consent_record"),
            "Art. 49(1)(a) explicit consent derogation needs explicit consent to this transfer, "
            "naming the recipient and country and stating the risks; consent record 'c1' does "
            "not cover the purpose 'support' (it was given for marketing: consent is given to "
            "specific purposes)",
        )
    ]


def test_problem_2_art9_explicit_consent_for_another_purpose_is_no_condition() -> None:
    name = "uk-art9-explicit-other-purpose"
    rows, _ = _found(name)
    assert rows == [
        (
            ("GDPR-ART9",),
            "purpose-not-consented",
            "high",
            ("flows", "f1"),
            "map.yaml",
            _field_line(name, "f1", "consent_record"),
            "Art. 9(2)(a) explicit consent needs a consent record showing that the person gave "
            "it (UK GDPR Art. 7(1), Art. 9(2)(a)); consent record 'c1' does not cover the "
            "purpose 'support' (it was given for marketing: consent is given to specific "
            "purposes)",
        )
    ]


def test_problem_2_control_explicit_consent_for_the_purpose_passes() -> None:
    rows, result = _found("uk-us-art49-consent")
    assert rows == []
    assert ("GDPR-TRANSFER", ("flows", "f1")) in {(p.rule_id, p.element) for p in result.passed}


DPT_MARK = (
    "uk-data-protection-test (UK GDPR Art. 46(1A)(a)(ii) and 46(6), inserted by DUAA 2025 s.85 "
    "and Sch. 7 para 6; commenced on 5 February 2026 by SI 2026/82 reg. 2(m))"
)


def test_problem_3_bcrs_are_on_the_data_protection_test_row() -> None:
    test = load_legal_table().transfers.data_protection_test
    assert test is not None
    assert test.mechanisms == ["idta", "uk_addendum", "bcr"]
    assert test.unconfirmed is True


def test_problem_3_a_bcr_transfer_in_2026_asks_the_test_judged() -> None:
    name = "uk-us-bcr-2026-no-dpt"
    rows, result = _found(name)
    assert rows == [
        (
            ("GDPR-TRANSFER",),
            "data-protection-test-not-recorded",
            "medium",
            ("flows", "f1"),
            "map.yaml",
            _field_line(name, "f1", "assessments"),
            "transfer risk assessment 'tra' was completed on 2021-01-01, before the exporter had "
            "to judge the data protection test met (2026-02-05; UK GDPR Art. 46(1A)(a)(ii) and "
            "46(6), inserted by DUAA 2025 s.85 and Sch. 7 para 6; commenced on 5 February 2026 "
            "by SI 2026/82 reg. 2(m)), and does not record that it was: record the judgement on "
            "the assessment (data_protection_test: true), or review it",
        )
    ]
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.unconfirmed == (DPT_MARK,)


def test_problem_3_control_before_the_test_and_with_it_judged_the_bcr_passes() -> None:
    assert _found("uk-us-bcr-2026-no-dpt", date(2026, 2, 4))[0] == []
    assert _found("uk-us-bcr-2026-dpt")[0] == []


OCCASIONAL = (
    "occasional: taken on trust: a transfer under 'art49_explicit_consent' (Art. 49(1)(a) "
    "explicit consent derogation) must be occasional and non-routine, which the map cannot "
    "show; the flow says so (occasional: true) ({law} Art. 49(1)(a), 49(3); EDPB Guidelines "
    "2/2018 sections 1 and 2.1)"
)


@pytest.mark.parametrize(
    ("name", "law"), [("eu-art49-consent", "GDPR"), ("uk-us-art49-consent", "UK GDPR")]
)
def test_problem_4_a_pass_cites_the_organisations_own_law(name: str, law: str) -> None:
    _, result = _found(name)
    assumed = {p.element: p.assumed for p in result.passed if p.rule_id == "GDPR-TRANSFER"}
    assert assumed[("flows", "f1")] == (OCCASIONAL.format(law=law),)


def test_problem_4_eu_and_swiss_fixes_name_the_transfer_impact_assessment() -> None:
    _, result = _found("eu-art49-consent")
    (rule,) = [r for r in result.rules if r.id == "GDPR-TRANSFER"]
    for regime in ("EU", "CH"):
        assert "transfer impact assessment on file" in rule.regime_fix[regime]
        assert "transfer risk assessment" not in rule.regime_fix[regime]


def test_problem_2_one_record_defect_on_one_flow_is_one_finding(tmp_path: Path) -> None:
    """The same record relied on as the Art. 6(1)(a) basis and the Art. 9(2)(a) condition,
    for another purpose: one finding citing both rules (the shared fact)."""
    folder = tmp_path / "merged"
    shutil.copytree(FIXTURES / "uk-art9-explicit-other-purpose", folder)
    edit_once(folder / "map.yaml", "  basis: contract\n", "  basis: consent\n")
    result = audit_folder(folder, AS_OF)
    found = [(f.rule_ids, f.code, f.severity.value, f.element) for f in result.findings]
    assert [f for f in found if {"GDPR-BASIS", "GDPR-ART9"} & set(f[0])] == [
        (("GDPR-BASIS", "GDPR-ART9"), "purpose-not-consented", "high", ("flows", "f1"))
    ]


def test_problem_4_a_hop_under_another_regime_says_whose_law_governs_it() -> None:
    """A UK organisation's processor in Germany sends on to the US: the hop is an EU
    exporter's transfer, judged by the EU's table, and the finding says that law governs it
    and where its mechanisms are listed, since the rule's fix names the UK's."""
    name = "uk-de-us-hop"
    rows, _ = _found(name)
    transfer = [r for r in rows if r[0] == ("GDPR-TRANSFER",)]
    assert transfer == [
        (
            ("GDPR-TRANSFER",),
            "no-mechanism",
            "critical",
            ("flows", "to-sub"),
            "map.yaml",
            _line(name, "- id: to-sub"),
            "transfer from EU to US (Sub sub) has no adequacy on 2026-06-01 and no transfer "
            "mechanism; US is adequate only for importers listed under eu_us_dpf; Importer "
            "Corp sends it as an EU exporter, under that regime's law, not the organisation's "
            "(UK): flowaudit law --regime EU lists the mechanisms open to it",
        )
    ]


def test_problem_4_control_a_hop_under_the_organisations_own_regime_says_nothing_more() -> None:
    rows, _ = _found("onward-idta-signed")
    assert rows == []
    rows, _ = _found("uk-us-bcr-2026-no-dpt")
    assert "exporter, under that regime's law" not in rows[0][6]
