"""Verdicts a data-protection lawyer struck in the scenario review of 2026-12-02
(reviews/scenarios-2026-12-02b.md), each asserted exactly on a small fixture map: the finding
(rule, element, code, severity, line, message) in the bad case and the pass in the good one."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.policies.legal import load_legal_table
from tests.helpers import FIXTURES, audit_files, line_of

SCENARIOS = FIXTURES / "scenarios"
EXPLICIT = SCENARIOS / "art9-explicit-consent.yaml"
APD = SCENARIOS / "art9-policy-document.yaml"
LIA = SCENARIOS / "lia-dates.yaml"
EU_RLI = SCENARIOS / "eu-recognised-interests.yaml"


def _found(result: AuditResult, rule_id: str) -> list[tuple[str, str, str, str, int, str]]:
    """(rule, element, code, severity, line, message) of every finding of one rule."""
    return [
        (
            f.rule_id,
            f.element[1],
            f.code,
            f.severity.value,
            f.location.line if f.location else 0,
            f.message,
        )
        for f in result.findings
        if rule_id in f.rule_ids
    ]


def _passed(result: AuditResult, rule_id: str) -> list[str]:
    return sorted(e.element[1] for e in result.passed if e.rule_id == rule_id)


def test_art9_explicit_consent_needs_a_consent_record_marked_explicit() -> None:
    """Rank 1 (s21, s22): Art. 9(2)(a) explicit consent is shown by a consent record marked
    explicit (Art. 7(1)), exactly as an Art. 49(1)(a) transfer's is; a contract basis with no
    record, or an ordinary opt-in, shows none."""
    result = audit_files(EXPLICIT)
    said = "Art. 9(2)(a) explicit consent needs a consent record showing that the person gave "
    said += "it (UK GDPR Art. 7(1), Art. 9(2)(a)); "
    assert _found(result, "GDPR-ART9") == [
        (
            "GDPR-ART9",
            "no-record",
            "no-explicit-consent",
            "high",
            line_of(EXPLICIT, "id: no-record"),
            said + "no consent record is linked",
        ),
        (
            "GDPR-ART9",
            "not-explicit",
            "no-explicit-consent",
            "high",
            line_of(EXPLICIT, "id: not-explicit"),
            said + "consent record 'plain-optin' does not record explicit consent (explicit is "
            "not true)",
        ),
        # on consent with no record at all, the lawful basis's missing record is the same
        # problem: one finding, led by GDPR-BASIS and citing GDPR-ART9
        (
            "GDPR-BASIS",
            "consent-no-record",
            "no-consent-record",
            "high",
            line_of(EXPLICIT, "id: consent-no-record"),
            "consent is the basis but no consent record shows how it was obtained; "
            + said
            + "no consent record is linked",
        ),
    ]
    merged = next(f for f in result.findings if f.element == ("flows", "consent-no-record"))
    assert merged.also == ("GDPR-ART9",)
    assert _passed(result, "GDPR-ART9") == ["explicit"]
    finding = next(f for f in result.findings if f.element == ("flows", "no-record"))
    assert result.references_of(finding)[1] == ["UK GDPR Art. 9(2)", "UK GDPR Art. 7(1)"]


def test_art49_explicit_consent_is_judged_by_the_same_words() -> None:
    """One way to judge explicit consent: the Art. 49(1)(a) transfer finding says of the record
    what the Art. 9 finding says (after the routine use it also lacks, in the same finding:
    one transfer without its safeguard, DPO review 2026-12-02g, problem 4)."""
    bad = FIXTURES / "checks" / "transfer" / "bad.yaml"
    result = audit_files(bad)
    (message,) = [
        f.message
        for f in result.findings
        if f.element == ("flows", "routine-art49") and f.rule_id == "GDPR-TRANSFER"
    ]
    assert message.endswith(
        "; Art. 49(1)(a) explicit consent derogation needs explicit consent to this transfer, "
        "naming the recipient and country and stating the risks; consent record 'implied' does "
        "not record explicit consent (explicit is not true)"
    )


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = APD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / APD.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_art9_employment_and_substantial_public_interest_need_a_policy_document(
    tmp_path: Path,
) -> None:
    """Rank 5 (s11, s12): in the UK, Art. 9(2)(b) and (g) are met only with a DPA 2018 Sch. 1
    condition that needs an appropriate policy document in place (s.10(2)-(3), Sch. 1 para
    1(1)(b), para 5(1), Part 4 para 39), as Art. 10's conditions do; (h) needs none."""
    result = audit_files(APD, base=False)
    assert _found(result, "GDPR-ART9") == [
        (
            "GDPR-ART9",
            "equality",
            "no-policy-document",
            "high",
            line_of(APD, "id: equality"),
            "Art. 9(2)(g) substantial public interest needs an appropriate policy document (UK "
            "GDPR Art. 9(2)(g); DPA 2018 s.10(3), Sch. 1 para 5(1) and Part 4 (para 39)); "
            "record it as appropriate_policy_document on the organisation",
        ),
        (
            "GDPR-ART9",
            "sick-pay",
            "no-policy-document",
            "high",
            line_of(APD, "id: sick-pay"),
            "Art. 9(2)(b) employment, social security needs an appropriate policy document (UK "
            "GDPR Art. 9(2)(b); DPA 2018 s.10(2), Sch. 1 para 1(1)(b) and Part 4 (para 39)); "
            "record it as appropriate_policy_document on the organisation",
        ),
    ]
    assert _passed(result, "GDPR-ART9") == ["occupational-health"]
    finding = next(f for f in result.findings if f.element == ("flows", "sick-pay"))
    assert result.references_of(finding)[1] == [
        "UK GDPR Art. 9(2)",
        "DPA 2018 s.10",
        "DPA 2018 Sch. 1",
    ]
    kept = _with(tmp_path, "appropriate_policy_document: null", "appropriate_policy_document: apd")
    good = audit_files(kept, base=False)
    assert _found(good, "GDPR-ART9") == []
    assert _passed(good, "GDPR-ART9") == ["equality", "occupational-health", "sick-pay"]
    # Sch. 1 is UK law: an EU controller's (b) and (g) rest on Member State law (not modelled)
    eu_map = _with(tmp_path, "country: GB\n  regime: UK", "country: FR\n  regime: EU")
    eu = audit_files(eu_map, base=False)
    assert _found(eu, "GDPR-ART9") == []


def test_art9_and_art10_read_one_policy_document_requirement_from_the_legal_table() -> None:
    """The requirement is data with its source, the same field for Art. 9 and Art. 10 rows."""
    bases = load_legal_table().bases
    needs = {c.id: c.requires_policy_document for c in bases.art9_conditions}
    assert needs == {
        "explicit_consent": [],
        "employment_social_security": ["UK"],
        "vital_interests": [],
        "not_for_profit_body": [],
        "made_public": [],
        "legal_claims": [],
        "substantial_public_interest": ["UK"],
        "health_social_care": [],
        "public_health": [],
        "archiving_research_statistics": [],
    }
    assert {c.id: c.requires_policy_document for c in bases.art10_conditions} == {
        "employment": ["UK"],
        "preventing_unlawful_acts": ["UK"],
        "safeguarding_children": ["UK"],
        "consent": [],
        "legal_claims": [],
        "statutory_purposes": ["UK"],
        "official_authority": [],
        "member_state_law": [],
    }


def test_a_legitimate_interests_assessment_counts_from_the_day_it_was_completed() -> None:
    """Rank 6 (b03): as a transfer risk assessment (e20), an LIA completed after the audit
    date was not on file on it: a back-dated audit cannot rest on it."""
    before = audit_files(LIA, as_of="2024-06-01")
    assert _found(before, "GDPR-BASIS") == [
        (
            "GDPR-BASIS",
            "by-lia",
            "no-assessment",
            "high",
            line_of(LIA, "id: by-lia"),
            # on the audit date, not "by" it (DPO review 2026-12-03p, problem 7)
            "Legitimate interests, Art. 6(1)(f) needs a legitimate interests assessment on file "
            "on the audit date, 2024-06-01 ('lia' is completed on 2024-06-02)",
        )
    ]
    on_the_day = audit_files(LIA, as_of="2024-06-02")
    assert _found(on_the_day, "GDPR-BASIS") == []
    assert _passed(on_the_day, "GDPR-BASIS") == ["by-lia"]


def test_recognised_legitimate_interests_is_uk_law_never_available_to_an_eu_controller() -> None:
    """Wording 12(c) (s20): no "(from 2026-02-05)" for an EU controller, before or after it."""
    said = (
        "Recognised legitimate interests, Art. 6(1)(ea) exists in UK law only (Data (Use and "
        "Access) Act 2025 s.70, commenced by SI 2026/82 reg. 2(c)); it is never available to an "
        "EU controller"
    )
    for day in ("2025-06-01", "2026-06-01"):
        result = audit_files(EU_RLI, as_of=day, base=False)
        assert _found(result, "GDPR-BASIS") == [
            ("GDPR-BASIS", "by-rli", "not-available", "high", line_of(EU_RLI, "id: by-rli"), said)
        ], day
