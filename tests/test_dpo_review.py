"""The external DPO's review of the shipped map's findings (reviews/dpo-2026-12-02.md): the
wording and the law of each finding it corrected, asserted exactly."""

from __future__ import annotations

from datetime import date

from flowaudit.checks.result import AuditResult, Finding
from tests.helpers import audit_paths as audit


def _shipped(on: str) -> AuditResult:
    return audit([], date.fromisoformat(on))


def _one(result: AuditResult, rule_id: str, element: str, code: str | None = None) -> Finding:
    (found,) = [
        f
        for f in result.findings
        if f.rule_id == rule_id and f.element[1] == element and code in (None, f.code)
    ]
    return found


def _law(result: AuditResult, finding: Finding) -> str:
    return "; ".join(result.references_of(finding)[1])


def test_breach_finding_states_art_33_1_as_it_reads_and_cites_one_regime() -> None:
    """Art. 33(1): notify within 72 hours *unless* the breach is unlikely to result in a risk;
    every citation in the sentence names the GDPR as the regime does on the day."""
    later = _one(_shipped("2026-11-25"), "GDPR-BREACH", "concero")
    assert later.message == (
        "no breach log is recorded: every breach, its effects and the remedy must be documented "
        "(UK GDPR Art. 33(5)); the procedure's time to notify the regulator is not stated: a "
        "breach must be notified to the regulator without undue delay and, where feasible, "
        "within 72 hours of becoming aware of it, unless it is unlikely to result in a risk to "
        "people's rights and freedoms (UK GDPR Art. 33(1)); the organisation acts as a processor "
        "(school-server-work) but its breach procedure does not record telling the controller "
        "without undue delay (UK GDPR Art. 33(2))"
    )
    earlier = _one(_shipped("2019-06-01"), "GDPR-BREACH", "concero")
    assert earlier.message == later.message.replace("UK GDPR Art.", "GDPR Art.")
    assert "likely to risk" not in later.message
