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


PROCESSOR = (
    "Concero handles them as the school's processor (N-INSTALL), which contradicts the "
    "notice's statement that it holds no data on pupils, students or parents (N-PUPILS); amend "
    "the notice (UK GDPR Art. 5(1)(a), Art. 13, Art. 14) and put an Art. 28 contract with the "
    "school in place (see GDPR-AGREEMENT)"
)


def test_pupil_data_contradicts_the_notice_it_is_not_forbidden_and_a_guess_is_a_risk() -> None:
    """Concero may lawfully handle pupil data as the school's processor: what is wrong is the
    notice's statement. Art. 8 and the Children's code are not about it; a flow that only may
    carry pupil data (the map's guess) is a risk to confirm."""
    result = _shipped("2026-11-25")
    server = _one(result, "CONCERO-PUPILS", "school-server-work")
    assert (server.code, server.severity.value) == ("subject", "critical")
    assert server.message == f"carries data about Pupils, Students, Parents: {PROCESSOR}"
    tickets = _one(result, "CONCERO-PUPILS", "helpdesk-tickets")
    assert (tickets.code, tickets.severity.value) == ("may-subject", "high")
    assert tickets.message == (
        'may carry data about Pupils, Students, Parents: support tickets take "any other '
        'information you submit" (N-HELPDESK) from school staff; a risk to confirm: if so, '
        f"{PROCESSOR}; the same data may reach hosting-us, hosting-eea, hosting-uk"
    )
    mis = _one(result, "CONCERO-PUPILS", "mis-third-party-support")
    assert mis.message == (
        "may carry data about Pupils, Students, Parents: remote MIS support works on the "
        f"school's MIS, which holds pupil records (N-MIS); a risk to confirm: if so, {PROCESSOR}"
    )
    law = "UK GDPR Art. 5(1)(a); UK GDPR Art. 13; UK GDPR Art. 14; UK GDPR Art. 28"
    assert [_law(result, f) for f in (server, tickets, mis)] == [law, law, law]
    assert "Art. 8" not in law and "design code" not in law
