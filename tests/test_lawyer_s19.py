"""Lawyer review s19 (2026-12-04): the scenarios of tests/lawyer_s19_cases.py, each with the
exact findings (rule, code, severity, element, file:line) a lawyer would sign, or a pass; and
the notice's own promises (N-PHONE's 30 days, N-DSAR's 28 days) on the shipped Concero map,
changed one fact at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from tests.helpers import audit_folder, concero_with
from tests.lawyer_s19_cases import SCEN
from tests.regime_s17_cases import Scenario, line_of_field
from tests.scenarios import assert_verdict, audit_scenario

#: Passes where the rule rightly judges nothing: the GDPR's 72 hours do not bind a Swiss
#: controller (revFADP Art. 24), and an Art. 10 condition is the controller's, not its
#: processor's (Art. 28(3)(a), 29): the served client's hop is set aside, not passed.
NOT_JUDGED = {
    "ch-breach-96-hours": {"GDPR-BREACH"},
    "uk-criminal-served-client-hop": {"GDPR-ART10"},
}


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_scenarios_have_unique_names_apart_from_earlier_reviews() -> None:
    from tests.lawyer_s18_cases import SCEN as S18
    from tests.regime_s17_cases import SCEN as S17

    names = [s.name for s in SCEN]
    assert len(names) >= 50
    assert len(set(names)) == len(names)
    assert not set(names) & {s.name for s in [*S17, *S18]}


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path, NOT_JUDGED)


def test_a_withdrawn_marketing_consent_fails_pecr_and_the_gdpr_as_one_problem(
    tmp_path: Path,
) -> None:
    """PECR reg. 22(2) takes consent in the UK GDPR's sense (Art. 4(11), 7(3)): an email on a
    consent withdrawn before the audit date fails both laws, one finding citing both rules,
    at the flow's consent record."""
    result, text = audit_scenario(_by_name("uk-pecr-email-consent-withdrawn"), tmp_path)
    (finding,) = [f for f in result.findings if f.element == ("flows", "f1")]
    assert finding.rule_ids == ("GDPR-BASIS", "PECR-MARKETING-CONSENT")
    assert finding.location is not None
    assert finding.location.line == line_of_field(text, "flows/f1", "consent_record")
    assert "PECR reg. 22(2)" in result.references_of(finding)[1]
    assert "UK GDPR Art. 7(3)" in finding.message


def _concero(tmp_path: Path, file: str, old: str, new: str) -> tuple[AuditResult, Path, int]:
    """The shipped Concero map with one line changed; the audit, the changed file and the
    changed line's number."""
    folder = concero_with(tmp_path, "")
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return audit_folder(folder), path, line


def test_recordings_kept_31_days_break_the_notices_30_not_the_law(tmp_path: Path) -> None:
    """N-PHONE promises recordings kept 30 days; the law sets no period, only one justified
    (FACTS.md, Rights, retention: call recordings). Kept 31 days, the notice's rule fails at
    the store's retention_days; the law's retention rule still passes it."""
    result, _, line = _concero(
        tmp_path, "systems.yaml", "    retention_days: 30\n", "    retention_days: 31\n"
    )
    on_store = [
        (" + ".join(f.rule_ids), f.code, f.severity.value, f.location.line if f.location else 0)
        for f in result.findings
        if f.element == ("systems", "call-recordings")
    ]
    assert on_store == [("CONCERO-PHONE-RETENTION", "too-long", "medium", line)]
    passed = {e.rule_id for e in result.passed if e.element == ("systems", "call-recordings")}
    assert "GDPR-RETENTION" in passed


def test_access_in_29_days_breaks_the_notices_28_and_the_laws_month(tmp_path: Path) -> None:
    """N-DSAR promises 28 days; the law one calendar month (Art. 12(3)), which for a request
    made on 31 January ends on 28 February: 29 days is late under both, one problem, one
    finding citing both rules at dsar_days; 28 days (the shipped map) passes the notice's."""
    shipped = audit_folder(concero_with(tmp_path / "shipped", ""))
    org = ("organisation", "concero")
    assert "CONCERO-DSAR" in {e.rule_id for e in shipped.passed if e.element == org}
    # the law's rule finds only the complaints procedure missing (from 2026-06-19)
    assert [f.code for f in shipped.findings if "GDPR-RIGHTS" in f.rule_ids] == [
        "no-complaints-procedure"
    ]
    result, _, line = _concero(
        tmp_path, "organisation.yaml", "  dsar_days: 28\n", "  dsar_days: 29\n"
    )
    on_org = sorted(
        (" + ".join(f.rule_ids), f.code, f.severity.value, f.location.line if f.location else 0)
        for f in result.findings
        if f.element == org and f.code.startswith("dsar")
    )
    assert on_org == [("GDPR-RIGHTS + CONCERO-DSAR", "dsar-too-slow", "medium", line)]
