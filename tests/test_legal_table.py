"""The dated legal table, tested from its own data: every row cites a source, every date
boundary gives the verdict of the law on the day before and the day of it, and every field a
row can hold has a reader in the checks (a field nobody reads is a promise nobody keeps)."""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from flowaudit.policies import legal as legal_module
from flowaudit.policies.legal import Adequacy, Dated, Mechanism, _OwnLawCiter, load_legal_table
from tests.helpers import FIXTURES, audit_files

LEGAL = load_legal_table()
FIRST_DAY = LEGAL.transfers.modelled_from  # the GDPR applied; earlier audits are refused
HOME = {"UK": "GB", "EU": "IE", "CH": "CH"}
CHECKS = Path(__file__).parent.parent / "checks"


def _rows() -> list[tuple[str, Any]]:
    t = LEGAL.transfers
    b = LEGAL.bases
    tables: list[tuple[str, list[Any]]] = [
        ("instruments", t.instruments),
        ("periods", t.periods),
        ("territories", t.territories),
        ("mechanisms", t.mechanisms),
        ("adequacy", t.adequacy),
        ("bases", b.bases),
        ("recognised_conditions", b.recognised_conditions),
        ("art9_conditions", b.art9_conditions),
        ("art10_conditions", b.art10_conditions),
        ("duties", b.duties),
    ]
    if t.data_protection_test is not None:
        tables.append(("data_protection_test", [t.data_protection_test]))
    return [(f"{name}/{row.id}", row) for name, rows in tables for row in rows]


ROWS = _rows()


@pytest.mark.parametrize(("label", "row"), ROWS, ids=[label for label, _ in ROWS])
def test_every_row_cites_a_primary_source_or_says_it_is_unconfirmed(label: str, row: Any) -> None:
    assert row.source.strip(), label
    unconfirmed = getattr(row, "unconfirmed", False)
    if unconfirmed:
        assert "UNCONFIRMED" in (row.notes or ""), f"{label}: say what is unconfirmed"
    else:
        assert row.url and row.url.startswith("https://"), f"{label}: cite the primary source"


def _boundaries(row: Dated) -> list[date]:
    return [d for d in (row.valid_from, row.invalid_from) if d is not None and d > FIRST_DAY]


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    return path


def _map(exporter: str, country: str, flow: dict[str, Any], **importer: Any) -> dict[str, Any]:
    return {
        "organisation": {"id": "org", "name": "Org", "country": HOME[exporter], "regime": exporter},
        "parties": [
            {"id": "imp", "name": "Importer", "kind": "hosting", "country": country}
            | {"role": "processor"}
            | importer
        ],
        "categories": [{"id": "contact", "name": "Contact"}],
        "subjects": [{"id": "staff", "name": "Staff"}],
        "purposes": [{"id": "support", "name": "Support"}],
        "flows": [
            {
                "id": "out",
                "from": "org",
                "to": "imp",
                "categories": ["contact"],
                "subjects": ["staff"],
                "purpose": "support",
                "basis": "contract",
            }
            | flow
        ],
    }


def _codes(path: Path, on: date) -> list[str]:
    result = audit_files(path, as_of=on.isoformat(), base=False)
    return sorted(f.code for f in result.findings if f.rule_id == "GDPR-TRANSFER")


ADEQUACY_CASES = [
    (row, destination, day)
    for row in LEGAL.transfers.adequacy
    for destination in row.destinations
    for day in _boundaries(row)
]


@pytest.mark.parametrize(
    ("row", "destination", "boundary"),
    ADEQUACY_CASES,
    ids=[f"{r.id}-{d}-{b}" for r, d, b in ADEQUACY_CASES],
)
def test_adequacy_rows_start_and_end_on_their_day(
    tmp_path: Path, row: Adequacy, destination: str, boundary: date
) -> None:
    """The day before and the day of each boundary: the audit's verdict is adequacy exactly
    when a row in force covers the destination (this one, or the row it hands over to)."""
    listing = [row.requires_listing] if row.requires_listing else []
    path = _write(tmp_path, _map(row.exporter, destination, {}, listed_under=listing))
    for day in (boundary - timedelta(days=1), boundary):
        inside = destination in LEGAL.inside(LEGAL.effective_regime(row.exporter, day), day)
        covering, _ = LEGAL.adequacy_for(
            LEGAL.effective_regime(row.exporter, day), destination, day, listing
        )
        ours = row.in_force(day)
        assert (covering is row) == ours or (ours and covering is not None), (row.id, day)
        expected = [] if inside or covering is not None else ["no-mechanism"]
        assert _codes(path, day) == expected, (row.id, destination, day)


PERIOD_CASES = [(p, d) for p in LEGAL.transfers.periods for d in _boundaries(p)]


@pytest.mark.parametrize(
    ("period", "boundary"), PERIOD_CASES, ids=[f"{p.id}-{d}" for p, d in PERIOD_CASES]
)
def test_periods_put_the_uk_inside_the_eu_until_their_end(
    tmp_path: Path, period: Any, boundary: date
) -> None:
    """A UK exporter to Japan: inside the EU it followed the EU decision (from 2019-01-23);
    after the transition the UK's own Sch. 21; a UK exporter to Ireland never needs one."""
    for day in (boundary - timedelta(days=1), boundary):
        inside = any(p.in_force(day) for p in LEGAL.transfers.periods if p.regime == period.regime)
        expected_regime = period.follows if inside else period.regime
        assert LEGAL.effective_regime(period.regime, day) == expected_regime
        assert ("GB" in LEGAL.inside("EU", day)) == inside
        eu_member = _write(tmp_path, _map("EU", "GB", {}))
        # an EU exporter sends to the UK freely inside the periods, by the TCA bridge after
        assert _codes(eu_member, day) == [], day


MECHANISM_CASES = [
    (m, d) for m in LEGAL.transfers.mechanisms if m.is_mechanism for d in _boundaries(m)
]


def _mechanism_map(mechanism: Mechanism, signed_on: date) -> dict[str, Any]:
    exporter = mechanism.exporters[0]
    country = mechanism.destinations[0] if mechanism.destinations else "IN"
    flow: dict[str, Any] = {"transfer_mechanism": mechanism.id, "occasional": True}
    if mechanism.grounds:
        flow["derogation"] = mechanism.grounds[0].id
    if mechanism.agreement_kinds:
        flow["transfer_agreement"] = "ta"
    document = _map(
        exporter,
        country,
        flow,
        listed_under=[mechanism.requires_listing] if mechanism.requires_listing else [],
    )
    if mechanism.agreement_kinds:
        document["agreements"] = [
            {
                "id": "ta",
                "kind": mechanism.agreement_kinds[0],
                "parties": ["org", "imp"],
                "status": "signed",
                "signed_on": signed_on.isoformat(),
                "categories": ["contact"],
            }
        ]
    return document


@pytest.mark.parametrize(
    ("mechanism", "boundary"),
    MECHANISM_CASES,
    ids=[f"{m.id}-{d}" for m, d in MECHANISM_CASES],
)
def test_mechanisms_are_valid_from_their_first_day_until_their_last(
    tmp_path: Path, mechanism: Mechanism, boundary: date
) -> None:
    path = _write(tmp_path, _mechanism_map(mechanism, FIRST_DAY))
    for day in (boundary - timedelta(days=1), boundary):
        codes = _codes(path, day)
        regime = LEGAL.effective_regime(mechanism.exporters[0], day)
        if regime not in mechanism.exporters:
            assert codes == ["wrong-exporter"], (mechanism.id, day)
            continue
        assert ("mechanism-invalid" in codes) == (not mechanism.in_force(day)), (
            mechanism.id,
            day,
            codes,
        )


CUTOFF_CASES = [m for m in LEGAL.transfers.mechanisms if m.new_contracts_until is not None]


@pytest.mark.parametrize("mechanism", CUTOFF_CASES, ids=[m.id for m in CUTOFF_CASES])
def test_new_contracts_are_accepted_until_the_cut_off_day(
    tmp_path: Path, mechanism: Mechanism
) -> None:
    cutoff = mechanism.new_contracts_until
    assert cutoff is not None
    audit_day = cutoff + timedelta(days=30)
    for signed, late in ((cutoff, False), (cutoff + timedelta(days=1), True)):
        path = _write(tmp_path, _mechanism_map(mechanism, signed))
        assert ("signed-after-cutoff" in _codes(path, audit_day)) == late, (mechanism.id, signed)


START_CASES = [
    m
    for m in LEGAL.transfers.mechanisms
    if m.agreement_kinds and m.valid_from is not None and m.valid_from > FIRST_DAY
]


@pytest.mark.parametrize("mechanism", START_CASES, ids=[m.id for m in START_CASES])
def test_a_contract_signed_before_its_mechanism_existed_is_not_that_mechanism(
    tmp_path: Path, mechanism: Mechanism
) -> None:
    """The first day a contract on the instrument can be concluded: the day its text existed
    (DPO review 2026-12-03r, problem 1: the 2021 EU SCCs published 2021-06-07, the IDTA and
    the Addendum laid 2022-02-02), else the row's own first day (an IDTA dated 2022-01-10 is
    no IDTA, whatever the audit date; DPO review 2026-12-02b, problem 2), and a contract
    signed on that day is one. For a row that answers to another's instrument, the
    instrument's first day: the EU SCCs the FDPIC recognised on 2021-08-27 existed from
    their publication (DPO review 2026-12-03l, problem 8)."""
    rows = [mechanism, *(LEGAL.mechanisms[name] for name in mechanism.answers_to)]
    firsts = [row.concluded_from for row in rows]
    assert None not in firsts
    start = min(first[0] for first in firsts if first is not None)
    audit_day = start + timedelta(days=400)
    for signed, early in ((start - timedelta(days=1), True), (start, False)):
        path = _write(tmp_path, _mechanism_map(mechanism, signed))
        assert ("signed-before-available" in _codes(path, audit_day)) == early, (
            mechanism.id,
            signed,
        )


TEXT_CASES = [m for m in LEGAL.transfers.mechanisms if m.text_from is not None]


def test_the_instruments_with_a_text_before_their_first_day() -> None:
    """DPO review 2026-12-03r, problem 1: the rows whose text existed before they applied,
    each with its source."""
    assert {m.id: (m.text_from, m.valid_from) for m in TEXT_CASES} == {
        "eu_scc_2021": (date(2021, 6, 7), date(2021, 6, 27)),
        "idta": (date(2022, 2, 2), date(2022, 3, 21)),
        "uk_addendum": (date(2022, 2, 2), date(2022, 3, 21)),
    }
    assert all(m.text_from_source for m in TEXT_CASES)


@pytest.mark.parametrize("mechanism", TEXT_CASES, ids=[m.id for m in TEXT_CASES])
def test_a_contract_signed_on_the_text_before_it_applies_is_one_from_its_first_day(
    tmp_path: Path, mechanism: Mechanism
) -> None:
    """DPO review 2026-12-03r, problem 1: a contract signed on the instrument's text between
    the day the text existed and the day it applies is that instrument: the transfer has no
    mechanism the day before it applies (mechanism-invalid), and rests on it from that day
    (no finding of its signing day on either)."""
    assert mechanism.text_from is not None and mechanism.valid_from is not None
    path = _write(tmp_path, _mechanism_map(mechanism, mechanism.text_from))
    before = _codes(path, mechanism.valid_from - timedelta(days=1))
    assert "mechanism-invalid" in before, before
    assert "signed-before-available" not in before, before
    for day in (mechanism.valid_from, mechanism.valid_from + timedelta(days=1800)):
        codes = _codes(path, day)
        assert "mechanism-invalid" not in codes, (day, codes)
        assert "signed-before-available" not in codes, (day, codes)


def test_a_text_day_goes_with_its_source_and_before_the_first_day() -> None:
    """The table refuses a text day without its source, or after the row's first day."""
    row = LEGAL.mechanisms["idta"].model_dump()
    for change in (
        {"text_from_source": None},
        {"text_from": date(2022, 3, 22)},
        {"valid_from": None},
    ):
        with pytest.raises(ValueError, match="text_from"):
            Mechanism.model_validate({**row, **change})


ASSESSMENT_CASES = [m for m in LEGAL.transfers.mechanisms if m.requires_assessment is not None]


@pytest.mark.parametrize("mechanism", ASSESSMENT_CASES, ids=[m.id for m in ASSESSMENT_CASES])
def test_transfer_risk_assessment_is_required_from_its_day(
    tmp_path: Path, mechanism: Mechanism
) -> None:
    start = mechanism.assessment_required_from or mechanism.valid_from
    days = [FIRST_DAY + timedelta(days=900)] if start is None or start <= FIRST_DAY else []
    if start is not None and start > FIRST_DAY:
        days = [start - timedelta(days=1), start]
    path = _write(tmp_path, _mechanism_map(mechanism, FIRST_DAY))
    for day in days:
        required = mechanism.assessment_required_from is None or day >= start  # type: ignore[operator]
        regime = LEGAL.effective_regime(mechanism.exporters[0], day)
        if regime not in mechanism.exporters:
            continue
        # one transfer's unmet conditions are one finding (DPO review 2026-12-02g, problem
        # 4): the assessment asked for may be listed in a finding led by another code
        # named as the exporter's regime names it, on the audit date (DPO review
        # 2026-12-03p, problem 7)
        assert mechanism.requires_assessment is not None
        named = LEGAL.assessment_named(regime, mechanism.requires_assessment)
        asked = f"{mechanism.name} needs a {named} on file on the audit date, {day}"
        result = audit_files(path, as_of=day.isoformat(), base=False)
        messages = [f.message for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
        assert any(asked in m for m in messages) == required, (mechanism.id, day)


BASIS_CASES = [(b, d) for b in LEGAL.bases.bases for d in _boundaries(b)]


@pytest.mark.parametrize(
    ("basis", "boundary"), BASIS_CASES, ids=[f"{b.id}-{d}" for b, d in BASIS_CASES]
)
def test_lawful_bases_are_available_from_their_day(
    tmp_path: Path, basis: Any, boundary: date
) -> None:
    regime = basis.regimes[0]
    document = _map(regime, HOME[regime], {"basis": basis.id})
    path = _write(tmp_path, document)
    for day in (boundary - timedelta(days=1), boundary):
        result = audit_files(path, as_of=day.isoformat(), base=False)
        codes = [f.code for f in result.findings if f.rule_id == "GDPR-BASIS"]
        assert ("not-available" in codes) == (not basis.in_force(day)), (basis.id, day)


def _fields(model: type[Any]) -> list[str]:
    return [name for name in model.model_fields if name not in {"id", "source", "url"}]


READERS = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CHECKS.glob("*.py"))) + Path(
    legal_module.__file__
).read_text(encoding="utf-8")
TABLE_MODELS = [
    legal_module.Mechanism,
    legal_module.Adequacy,
    legal_module.Period,
    legal_module.Territory,
    legal_module.LawfulBasis,
    legal_module.RecognisedCondition,
    legal_module.Art10Condition,
    legal_module.Duty,
    legal_module.Instrument,
    legal_module.OneOffSharing,
    legal_module.Art14Exemption,  # DPO review 2026-12-03u, problem 10
    legal_module.DsarDeadline,  # late_too: DPO review 2026-12-03u, problem 5
]
FIELDS = [(m.__name__, f) for m in TABLE_MODELS for f in _fields(m)]


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=[f"{m}.{f}" for m, f in FIELDS])
def test_every_table_field_has_a_reader(model: str, field: str) -> None:
    """A field the table parses but no check reads would pass silently: fail instead.
    (Display fields -- name, notes -- are read by the messages of the checks too.)"""
    reader = re.compile(rf"\.{field}\b")
    assert reader.search(READERS), f"{model}.{field} is parsed but nothing in checks/ reads it"


DUTY_CASES = [(d, b) for d in LEGAL.bases.duties for b in _boundaries(d)]


@pytest.mark.parametrize(
    ("duty", "boundary"), DUTY_CASES, ids=[f"{d.id}-{b}" for d, b in DUTY_CASES]
)
def test_dated_duties_apply_from_their_day_in_flowaudit_law(duty: Any, boundary: date) -> None:
    from flowaudit.reports.law import law_in_force

    for day in (boundary - timedelta(days=1), boundary):
        for regime in ("UK", "EU", "CH"):
            listed = {r["id"] for r in law_in_force(LEGAL, regime, day)["sections"]["duties"]}
            assert (duty.id in listed) == (regime in duty.regimes and duty.in_force(day))


INSTRUMENT_CASES = [(i, b) for i in LEGAL.transfers.instruments for b in _boundaries(i)]


@pytest.mark.parametrize(
    ("instrument", "boundary"), INSTRUMENT_CASES, ids=[f"{i.id}-{b}" for i, b in INSTRUMENT_CASES]
)
def test_an_instrument_is_cited_from_its_first_day(instrument: Any, boundary: date) -> None:
    """The day before an instrument came into force no finding cites it; from that day one
    does (for the UK, whose law each of them is). A retired one (a standard's old version) is
    cited up to the day before it was withdrawn, and not from that day."""
    retired = boundary == instrument.invalid_from
    for start in instrument.cites:
        written = [start + " (cited)"]
        before = LEGAL.cited_references(written, "UK", boundary - timedelta(days=1))
        assert before == (written if retired else [])
        assert LEGAL.cited_references(written, "UK", boundary) == ([] if retired else written)


TEST_ROW = LEGAL.transfers.data_protection_test
TEST_CASES = [(TEST_ROW, b) for b in _boundaries(TEST_ROW)] if TEST_ROW is not None else []


@pytest.mark.parametrize(("row", "boundary"), TEST_CASES, ids=[str(b) for _, b in TEST_CASES])
def test_the_data_protection_test_applies_from_its_day(row: Any, boundary: date) -> None:
    """A UK IDTA transfer resting on an assessment from before the day, recording no
    judgement of the test: a finding from the row's first day, none the day before."""
    path = FIXTURES / "dated" / "uk-assessments.yaml"
    for day in (boundary - timedelta(days=1), boundary):
        result = audit_files(path, as_of=day.isoformat())
        found = {
            f.element[1] for f in result.findings if f.code == "data-protection-test-not-recorded"
        }
        assert found == (
            {"idta-2023-tra", "addendum-2023-tra", "idta-before-idta"}
            if row.in_force(day)
            else set()
        )


def test_the_table_has_a_boundary_case_for_every_dated_row() -> None:
    """Guards the parametrisation itself: a dated row with no case would go untested."""
    dated = [row for _, row in ROWS if isinstance(row, Dated) and _boundaries(row)]
    cased = (
        {id(r) for r, _, _ in ADEQUACY_CASES}
        | {id(p) for p, _ in PERIOD_CASES}
        | {id(m) for m, _ in MECHANISM_CASES}
        | {id(b) for b, _ in BASIS_CASES}
        | {id(d) for d, _ in DUTY_CASES}
        | {id(i) for i, _ in INSTRUMENT_CASES}
        | {id(r) for r, _ in TEST_CASES}
    )
    assert [getattr(r, "id", r) for r in dated if id(r) not in cased] == []
    assert len(ADEQUACY_CASES) + len(MECHANISM_CASES) + len(PERIOD_CASES) >= 30


def test_a_contested_day_names_a_date_of_its_row_and_falls_on_its_boundary() -> None:
    """DPO review 2026-12-03j, problems 1-3: a contested day is data on the row it contests;
    a typo (a field the row does not date, a day away from the row's date) is refused when the
    table loads, not read as a day no verdict ever falls on."""
    from pydantic import ValidationError

    row = {
        "id": "m",
        "name": "M",
        "exporters": ["EU"],
        "invalid_from": "2022-12-27",
        "source": "s",
    }
    contested = {"day": "2022-12-27", "reading": "r", "source": "s"}
    fine = Mechanism.model_validate({**row, "contested": [{**contested, "field": "invalid_from"}]})
    assert [c.day for c in fine.contested_in_force(date(2022, 12, 27))] == [date(2022, 12, 27)]
    assert fine.contested_in_force(date(2022, 12, 26)) == ()
    assert fine.contested_in_force(date(2022, 12, 28)) == ()
    with pytest.raises(ValidationError, match="not a date the row sets"):
        Mechanism.model_validate({**row, "contested": [{**contested, "field": "valid_from"}]})
    with pytest.raises(ValidationError, match="not the boundary of 2022-12-27"):
        Mechanism.model_validate(
            {**row, "contested": [{**contested, "field": "invalid_from", "day": "2022-12-30"}]}
        )


def test_the_contested_days_are_those_of_the_law_text() -> None:
    """The three days the law's own text reads otherwise than FACTS.md (DPO review
    2026-12-03j, problems 1-3), each with its source: none more, none less."""
    found = sorted(
        (row.id, c.field, c.day.isoformat(), c.source)
        for row in (*LEGAL.transfers.mechanisms, *LEGAL.transfers.adequacy)
        for c in row.contested
    )
    assert found == [
        ("eu_scc_old", "invalid_from", "2022-12-27",
         "Commission Implementing Decision (EU) 2021/914, art. 4(4)"),
        ("eu_scc_old", "new_contracts_until", "2021-09-27",
         "Commission Implementing Decision (EU) 2021/914, art. 4(2)-(4)"),
        ("eu_scc_old_uk", "invalid_from", "2024-03-21",
         "International Data Transfer Agreement and Addendum issued under DPA 2018 s.119A, "
         "Transitional Provisions; ICO guidance"),
    ]  # fmt: skip


# The CH regime's counterparts: the revFADP article a Swiss organisation's findings, references
# and record of processing cite for a GDPR article (auditor review 2026-12-03o, problem 2; DPO
# review 2026-12-02i, problem 4).
CH_ROWS = LEGAL.jurisdiction("CH").counterparts
SWISS_DAY = date(2026, 11, 25)


def _gdpr_articles_cited() -> set[str]:
    """Every GDPR article a shipped rule cites: in its references (per code too), in the legal
    table's sources its findings quote (a derogation's ground), and in the record of
    processing's heading (Art. 30(1))."""
    from flowaudit.policies.legal import CITATION
    from flowaudit.policies.loader import load_policies, shipped_policy_names

    texts = ["UK GDPR Art. 30(1)", "UK GDPR Art. 30(2)"]  # reports/ropa.py's headings
    for rule in load_policies(shipped_policy_names()).rules:
        texts += rule.references.legal
        texts += [ref for refs in rule.code_references.values() for ref in refs]
        texts += [ref for refs in rule.organisation_references.values() for ref in refs]
    for mechanism in LEGAL.transfers.mechanisms:
        texts += [mechanism.source, *(ground.source for ground in mechanism.grounds)]
    texts += [duty.source for duty in LEGAL.bases.duties]
    texts += [row.source for row in LEGAL.bases.consent_requirements]
    cited = set()
    for text in texts:
        for match in CITATION.finditer(text):
            if match["gdpr"] is not None:
                cited.add(f"Art. {match['article']}")
    return cited


def test_every_swiss_counterpart_is_of_an_article_a_rule_cites() -> None:
    """A row for an article no rule cites would never be used: each GDPR side is cited (as
    "UK GDPR Art. ...", the rules' way), and each row cites a revFADP article with its source,
    marked UNCONFIRMED (FACTS.md has no Swiss table)."""
    cited = _gdpr_articles_cited()
    assert CH_ROWS
    for row in CH_ROWS:
        assert row.cites.startswith("revFADP Art. "), row
        assert row.unconfirmed is True and "UNCONFIRMED" in (row.notes or ""), row
        assert row.url == "https://www.fedlex.admin.ch/eli/cc/2022/491/en", row
        number = re.match(r"revFADP Art\. (\d+)", row.cites)
        assert number is not None and row.source.startswith(f"revFADP (SR 235.1) Art. {number[1]}")
        for article in row.gdpr:
            assert article in cited, f"{article} -> {row.cites}: no rule cites {article}"


def test_only_the_swiss_regime_has_counterparts() -> None:
    assert [j.id for j in LEGAL.transfers.jurisdictions if j.counterparts] == ["CH"]


@pytest.mark.parametrize(
    ("written", "cited"),
    [
        # bare, in a sentence, its article word made grammatical
        ("an Art. 28 contract is required", "a revFADP Art. 9(1)-(2) contract is required"),
        ("(Art. 5(1)(e))", "(revFADP Art. 6(4))"),
        (
            "a signed Art. 28 contract (Art. 28(2))",
            "a signed revFADP Art. 9(1)-(2) contract (revFADP Art. 9(3))",
        ),
        # two GDPR articles of one revFADP article: said once
        ("(Art. 28(3)(a), Art. 29)", "(revFADP Art. 9(1)-(2))"),
        # a GDPR article with no counterpart beside one replaced is named as the GDPR's
        (
            "not valid consent (Art. 7) and not an Art. 49(1)(a) explicit consent",
            "not valid consent (GDPR Art. 7) and not a revFADP Art. 17(1)(a) explicit consent",
        ),
        (
            "UK GDPR / GDPR Art. 4(11), Art. 7, Art. 49(1)(a)",
            "revFADP Art. 6(6)-(7), GDPR Art. 7, revFADP Art. 17(1)(a)",
        ),
        ("(GDPR Art. 5(1)(a), Art. 5(2))", "(revFADP Art. 6(1)-(2), GDPR Art. 5(2))"),
        # the rules' references
        ("UK GDPR Art. 44-46", "revFADP Art. 16"),
        ("UK GDPR Art. 49(1)(b)", "revFADP Art. 17(1)(b)"),
        ("UK GDPR Art. 30(1)", "revFADP Art. 12(2)"),
        ("UK GDPR Art. 33(2)", "revFADP Art. 24(3)"),
        ("UK GDPR Art. 26", "GDPR Art. 26"),
        ("UK GDPR Art. 5(2) (accountability)", "GDPR Art. 5(2) (accountability)"),
        # a point the table does not map is not its article's: Art. 7(1) is not Art. 7(2)
        ("UK GDPR Art. 7(1)", "GDPR Art. 7(1)"),
        # another instrument's articles, and bare ones after it, are that instrument's
        (
            "revFADP (SR 235.1) Art. 17(1)(a), Art. 6(6)-(7)",
            "revFADP (SR 235.1) Art. 17(1)(a), Art. 6(6)-(7)",
        ),
        ("revFADP Art. 25(7); FADO Art. 18", "revFADP Art. 25(7); FADO Art. 18"),
        (
            "the ePrivacy Directive Art. 5(3) as enacted",
            "the ePrivacy Directive Art. 5(3) as enacted",
        ),
        ("no citation", "no citation"),
    ],
)
def test_a_swiss_citation_names_the_revfadp_article_that_sets_the_duty(
    written: str, cited: str
) -> None:
    assert LEGAL.citer("CH", SWISS_DAY)(written) == cited


@pytest.mark.parametrize("regime", ["UK", "EU"])
def test_uk_and_eu_citations_keep_the_gdpr(regime: str) -> None:
    cite = LEGAL.citer(regime, SWISS_DAY)
    assert cite("an Art. 28 contract (Art. 5(1)(e))") == "an Art. 28 contract (Art. 5(1)(e))"
    assert (
        cite("UK GDPR / GDPR Art. 33(1)") == f"{'UK GDPR' if regime == 'UK' else 'GDPR'} Art. 33(1)"
    )


def test_a_swiss_citation_before_the_revfadp_is_the_gdprs() -> None:
    """Before 2023-09-01 the 1992 FADP applied, which the table does not model: no revFADP."""
    cite = LEGAL.citer("CH", date(2023, 8, 31))
    assert (
        cite("an Art. 28 contract (UK GDPR Art. 5(1)(e))")
        == "an Art. 28 contract (GDPR Art. 5(1)(e))"
    )
    assert LEGAL.citer("CH", date(2023, 9, 1))("(Art. 5(1)(e))") == "(revFADP Art. 6(4))"


def test_a_swiss_citation_leaves_the_maps_own_words_alone() -> None:
    """A name of the map holding a citation ("Art. 28 Hosting AG") is input: kept as written,
    while the rule's own words around it are cited as the revFADP; not-judged quotes of
    another regime's law (own_law=False) keep the GDPR's article."""
    cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda: ["Art. 28 Hosting AG", "no citation here"])
    assert (
        cite("Acme AG → Art. 28 Hosting AG (processor): an Art. 28 contract is required")
        == "Acme AG → Art. 28 Hosting AG (processor): a revFADP Art. 9(1)-(2) contract is required"
    )
    quote = LEGAL.citer("CH", SWISS_DAY, own_law=False)
    assert quote("(UK GDPR Art. 4(11), Recital 32)") == "(GDPR Art. 4(11), Recital 32)"


def test_a_swiss_rules_references_cite_the_revfadp_unless_the_rule_states_another_law() -> None:
    written = ["UK GDPR Art. 28(3)", "UK GDPR Art. 28(9)", "UK GDPR Art. 26", "CJEU C-311/18"]
    assert LEGAL.cited_references(written, "CH", SWISS_DAY) == [
        "revFADP Art. 9(1)-(2)",
        "GDPR Art. 26",
        "CJEU C-311/18",
    ]
    assert LEGAL.cited_references(written, "CH", SWISS_DAY, own_law=False) == [
        "GDPR Art. 28(3)",
        "GDPR Art. 28(9)",
        "GDPR Art. 26",
        "CJEU C-311/18",
    ]


def test_only_a_swiss_finding_on_a_contracts_terms_says_whose_standard_they_are() -> None:
    """Auditor review 2026-12-03o, problem 2: revFADP Art. 9 lists no terms of a processor
    contract, so a Swiss finding on them names the GDPR's Art. 28(3) as the standard the rule
    follows, in words the citer leaves as the GDPR's; UK and EU findings, and a Swiss one
    before the revFADP, add nothing."""
    standard = LEGAL.standard_followed("CH", SWISS_DAY, "Art. 28(3)")
    assert standard is not None and "the GDPR's Art. 28(3)" in standard
    assert LEGAL.citer("CH", SWISS_DAY)(standard) == standard
    assert LEGAL.standard_followed("CH", date(2023, 8, 31), "Art. 28(3)") is None
    assert LEGAL.standard_followed("UK", SWISS_DAY, "Art. 28(3)") is None
    assert LEGAL.standard_followed("EU", SWISS_DAY, "Art. 28(3)") is None


def test_a_map_whose_words_cite_articles_many_times_keeps_its_messages_gdpr_worded() -> None:
    """Each message a Swiss citer rewords is searched for every name of the map that cites an
    article: 5,000 processors named "Art. 28 ..." took a check from 1 s to 11 s (read-through of
    the swiss-r branch). Past KEPT_TEXTS_LIMIT such names the messages are left as the rule
    wrote them (the GDPR article), so the check stays linear; the references still cite the
    revFADP."""
    from flowaudit.policies.legal import KEPT_TEXTS_LIMIT

    few = [f"Art. 28 Host {n}" for n in range(KEPT_TEXTS_LIMIT)]
    many = [f"Art. 28 Host {n}" for n in range(KEPT_TEXTS_LIMIT + 1)]
    message = "Acme AG → Art. 28 Host 3 (processor): an Art. 28 contract is required"
    reworded = "Acme AG → Art. 28 Host 3 (processor): a revFADP Art. 9(1)-(2) contract is required"
    assert LEGAL.citer("CH", SWISS_DAY, kept=lambda: few)(message) == reworded
    assert LEGAL.citer("CH", SWISS_DAY, kept=lambda: many)(message) == message
    assert LEGAL.citer("CH", SWISS_DAY, kept=lambda: many)("UK GDPR Art. 26") == "GDPR Art. 26"
    assert LEGAL.cited_references(["UK GDPR Art. 28(3)"], "CH", SWISS_DAY) == [
        "revFADP Art. 9(1)-(2)"
    ]


def test_a_long_message_with_many_kept_occurrences_is_reworded_in_time_linear_in_its_length() -> (
    None
):
    """Attack review 2026-12-03s, problem 3: every citation of a message was compared with
    every occurrence of every kept map text, 1.3 s for one 10 KB message with 64 short texts
    that occur 800 times each (65 s for 50 flows). Each kept text holding one of the
    message's citations is now looked for once and walked beside the citations: the work
    (occurrences looked at and citations compared) grows with the message, doubling when it
    doubles, and the message is still reworded."""
    from flowaudit.policies.legal import KEPT_TEXTS_LIMIT

    kept = list(dict.fromkeys(("Art. 1 " * 20)[:k].strip() for k in range(6, 70)))
    assert 40 < len(kept) <= KEPT_TEXTS_LIMIT
    part = "Art. 1 " * 800 + "an Art. 28 contract; " * 630
    work = []
    for times in (1, 2):
        message = part * times
        cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda: kept)
        started = time.perf_counter()
        reworded = cite(message)
        assert time.perf_counter() - started < 5  # was 0.77 s and 3 s; now about 0.02 and 0.04
        assert reworded == ("Art. 1 " * 800 + "a revFADP Art. 9(1)-(2) contract; " * 630) * times
        assert isinstance(cite, _OwnLawCiter)
        work.append(cite.kept.work)
        assert cite.kept.work <= 4 * len(message)  # the old comparisons: 32 million
    assert work[1] <= 2 * work[0] + 10


def test_a_kept_map_text_keeps_only_whole_citations_bounded_as_citations_are() -> None:
    """Attack review 2026-12-03s, problem 7: "Art." or "Art. 2" kept the rule's "Art. 28"."""
    message = "Acme AG → Art. 28 Host AG (processor): an Art. 28 contract is required"
    reworded = "Acme AG → Art. 28 Host AG (processor): a revFADP Art. 9(1)-(2) contract is required"
    for kept in (["Art."], ["Art. 2"], ["Art. 28 Host"], ["Art. 28 Host AG"]):
        cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda kept=kept: kept)
        assert cite("an Art. 28 contract") == "a revFADP Art. 9(1)-(2) contract", kept
    cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda: ["Art. 28 Host AG", "Art.", "Art. 2"])
    assert cite(message) == reworded
    # inside a longer word, a kept text is not the map's text: "XArt. 28 Host AG"
    cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda: ["Art. 28 Host"])
    assert cite("an Art. 28 Hosting contract") == "a revFADP Art. 9(1)-(2) Hosting contract"


@pytest.mark.parametrize(
    ("regime", "on", "cited_as"),
    [("EU", SWISS_DAY, "GDPR"), ("UK", date(2020, 12, 31), "GDPR"), ("UK", SWISS_DAY, "UK GDPR")],
)
def test_a_uk_or_eu_citer_keeps_the_maps_own_words(regime: str, on: date, cited_as: str) -> None:
    """Attack review 2026-12-03s, problem 12: for an EU organisation (or a UK one before 2021),
    a party named "UK GDPR Art. 27 Representative Ltd" was printed "GDPR Art. 27 ...". The
    map's texts are kept as a Swiss citer keeps them, and asked only for a message that holds
    a citation the regime words otherwise."""
    asked = []

    def kept() -> list[str]:
        asked.append(1)
        return ["UK GDPR Art. 27 Representative Ltd", "UK GDPR / GDPR Art. 3 Ltd"]

    cite = LEGAL.citer(regime, on, kept=kept)
    assert cite("no citation; an Art. 28 contract") == "no citation; an Art. 28 contract"
    if cited_as == "UK GDPR":  # only "UK GDPR / GDPR" changes for a UK organisation
        assert cite("UK GDPR Art. 27 Representative Ltd (UK GDPR Art. 28)") == (
            "UK GDPR Art. 27 Representative Ltd (UK GDPR Art. 28)"
        )
        assert not asked
    message = "UK GDPR Art. 27 Representative Ltd: (UK GDPR / GDPR Art. 33(2))"
    assert cite(message) == f"UK GDPR Art. 27 Representative Ltd: ({cited_as} Art. 33(2))"
    assert cite("UK GDPR / GDPR Art. 3 Ltd, UK GDPR / GDPR Art. 3") == (
        f"UK GDPR / GDPR Art. 3 Ltd, {cited_as} Art. 3"
    )
    assert len(asked) == 1


def test_an_eu_citer_keeps_a_map_name_cut_just_after_uk_gdpr_art() -> None:
    """Attack review 2026-12-03t, problem 4: a party's name cut at 79 characters to end in
    "UK GDPR Art.…" holds no whole citation, so it was not kept, and an EU organisation's
    finding printed it "... GDPR Art.…". Only a citation with its article number is
    rewritten."""
    cut = "Representative Services of the Northern Region for Data Matters Lt UK GDPR Art.…"
    cite = LEGAL.citer("EU", SWISS_DAY, kept=lambda: [cut])
    assert cite(f"Acme GmbH → {cut} (processor) (UK GDPR Art. 28)") == (
        f"Acme GmbH → {cut} (processor) (GDPR Art. 28)"
    )
    assert LEGAL.citer("EU", SWISS_DAY)("UK GDPR Art.") == "UK GDPR Art."


def test_a_swiss_rules_own_texts_name_every_gdpr_article() -> None:
    """Auditor review 2026-12-03s, problem 1: a rule's rationale and fix, read beside findings
    citing the revFADP, cite the revFADP article where the table has one and name the GDPR
    elsewhere; a rule stating another regime's law names the GDPR's articles throughout.
    UK and EU texts are as written."""
    named = LEGAL.citer("CH", SWISS_DAY, named=True)
    assert named("Sign an Art. 28 contract") == "Sign a revFADP Art. 9(1)-(2) contract"
    assert named("within one calendar month of receipt (Art. 12(3))") == (
        "within one calendar month of receipt (GDPR Art. 12(3))"
    )
    assert named("(storage limitation, Art. 5(1)(e))") == "(storage limitation, revFADP Art. 6(4))"
    assert named("(Art. 30(1)(c))") == "(revFADP Art. 12(2)(c))"
    assert named("the ePrivacy Directive Art. 5(3)") == "the ePrivacy Directive Art. 5(3)"
    other = LEGAL.citer("CH", SWISS_DAY, own_law=False, named=True)
    assert (
        other("has an Art. 9 condition (Art. 28)") == "has a GDPR Art. 9 condition (GDPR Art. 28)"
    )
    for regime in ("UK", "EU"):
        assert LEGAL.citer(regime, SWISS_DAY, named=True)("(Art. 12(3))") == "(Art. 12(3))"
    assert LEGAL.citer("CH", date(2023, 8, 31), named=True)("(Art. 12(3))") == "(Art. 12(3))"


#: Overseas countries and territories (TFEU Art. 355(2), Annex II) and other territories
#: outside the Union with codes of their own: never counted as part of a state.
OUTSIDE_THE_UNION = ("PF", "NC", "BL", "PM", "WF", "AW", "CW", "SX", "BQ", "GL", "TF")


def test_eu_territories_are_counted_wherever_their_state_is() -> None:
    """Attack review 2026-12-03s, problem 11: the outermost regions with codes of their own
    (TFEU Art. 355(1)) and Åland (Art. 355(4)) are inside the EU jurisdiction and under the
    UK's and Switzerland's adequacy for their state, as the table is built; the overseas
    countries and territories are in no list."""
    t = LEGAL.transfers
    assert {(r.id, r.part_of) for r in t.territories} == {
        ("RE", "FR"), ("GF", "FR"), ("GP", "FR"), ("MQ", "FR"), ("YT", "FR"), ("MF", "FR"),
        ("AX", "FI"),
    }  # fmt: skip
    ours = {"RE", "GF", "GP", "MQ", "YT", "MF", "AX"}
    assert ours <= LEGAL.inside("EU", date(2026, 11, 25))
    assert {c: LEGAL.jurisdiction_of_country[c] for c in ours} == dict.fromkeys(ours, "EU")
    rows = {row.id: set(row.destinations) for row in t.adequacy}
    assert ours <= rows["uk-eea"] and ours <= rows["ch-eea"]
    assert [r for r, dest in rows.items() if ours & dest] == ["uk-eea", "ch-eea"]
    lists = [set(j.countries) for j in t.jurisdictions] + [set(p.countries) for p in t.periods]
    for listed in [*lists, *rows.values()]:
        assert not listed & set(OUTSIDE_THE_UNION)
    assert LEGAL.jurisdiction("EU").countries.count("RE") == 1  # once, rebuilt or not
    again = legal_module.TransferTable.model_validate(t.model_dump())
    assert again.jurisdictions == t.jurisdictions and again.adequacy == t.adequacy


def test_a_territory_of_no_listed_state_or_listed_twice_is_refused() -> None:
    """A territory names the state it is part of, which a jurisdiction of the table lists
    (attack review 2026-12-03s, problem 11), and is listed once."""
    from pydantic import ValidationError

    table = LEGAL.transfers.model_dump()
    row = {"id": "PF", "name": "French Polynesia", "part_of": "XX", "source": "s"}
    table["territories"].append(row)
    with pytest.raises(ValidationError, match="territory PF: part_of 'XX' is no state"):
        legal_module.TransferTable.model_validate(table)
    table["territories"][-1] = {**table["territories"][0]}
    with pytest.raises(ValidationError, match="territory RE is listed twice"):
        legal_module.TransferTable.model_validate(table)


def test_a_map_text_that_is_one_citation_does_not_keep_the_rules_own() -> None:
    """Attack review 2026-12-03t, problem 2: a category described "Art. 28" (or, for an EU
    organisation, "UK GDPR Art. 33(5)") kept the rule's identical citation unreworded, since
    the two cannot be told apart in a message. A text that is one citation and nothing else
    is not kept; a name around a citation still is."""
    message = "Acme AG → Host AG (processor): an Art. 28 contract is required"
    cite = LEGAL.citer("CH", SWISS_DAY, kept=lambda: ["Art. 28", " Art. 28 "])
    assert cite(message) == (
        "Acme AG → Host AG (processor): a revFADP Art. 9(1)-(2) contract is required"
    )
    eu = LEGAL.citer("EU", SWISS_DAY, kept=lambda: ["UK GDPR Art. 33(5)"])
    assert eu("every breach must be documented (UK GDPR Art. 33(5))") == (
        "every breach must be documented (GDPR Art. 33(5))"
    )
    named = LEGAL.citer("EU", SWISS_DAY, kept=lambda: ["UK GDPR Art. 27 Representative Ltd"])
    assert named("→ UK GDPR Art. 27 Representative Ltd (UK GDPR Art. 28(3))") == (
        "→ UK GDPR Art. 27 Representative Ltd (GDPR Art. 28(3))"
    )
