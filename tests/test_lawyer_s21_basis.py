"""Lawyer review s21 (2026-12-05, lawful basis and all but transfers): the scenarios of
tests/lawyer_s21_basis_cases.py, each with the exact findings (rule, code, severity, element,
file:line) a lawyer would sign, or a pass; and the fixes' own points."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lawyer_s21_basis_cases import SCEN
from tests.regime_s17_cases import Scenario
from tests.scenarios import assert_verdict, audit_scenario

#: Passes where the rule rightly judges nothing (a scenario name to those rules).
NOT_JUDGED: dict[str, set[str]] = {}


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_scenarios_are_many_unique_and_new() -> None:
    from tests.lawyer_s18_cases import SCEN as S18
    from tests.lawyer_s19_cases import SCEN as S19
    from tests.lawyer_s20_cases import SCEN as S20
    from tests.regime_s17_cases import SCEN as S17

    names = [s.name for s in SCEN]
    assert len(names) >= 70
    assert len(set(names)) == len(names)
    assert not set(names) & {s.name for s in [*S17, *S18, *S19, *S20]}


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path, NOT_JUDGED)


def test_art10_consent_for_another_purpose_is_one_finding_with_the_basis(tmp_path: Path) -> None:
    """Lawyer review s21, problem 1: the Art. 10 consent condition (DPA 2018 Sch. 1 para 29)
    passed on a consent record given for another purpose; Art. 6(1)(a) and Art. 9(2)(a)
    already failed it. Alone it is the Art. 10 rule's finding; on a flow whose basis rests on
    the same record, one finding citing both rules, and no Art. 10 pass."""
    alone, _ = audit_scenario(_by_name("uk-criminal-consent-other-purpose"), tmp_path / "a")
    [finding] = [f for f in alone.findings if f.rule_id == "GDPR-ART10"]
    assert finding.code == "purpose-not-consented"
    assert "it was given for support" in finding.message
    assert alone.references_of(finding)[1] == [
        "UK GDPR Art. 10",
        "DPA 2018 Sch. 1",
        "UK GDPR Art. 4(11)",
    ]
    both, _ = audit_scenario(
        _by_name("uk-criminal-and-basis-consent-other-purpose"), tmp_path / "b"
    )
    [joined] = [f for f in both.findings if "GDPR-ART10" in (f.rule_id, *f.also)]
    assert (joined.rule_id, joined.also) == ("GDPR-BASIS", ("GDPR-ART10",))
    assert ("GDPR-ART10", ("flows", "f1")) not in {(e.rule_id, e.element) for e in both.passed}


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("uk-sub-processor-authorisation-in-draft", "a draft"),
        ("uk-sub-processor-authorisation-expired", "expired"),
    ],
)
def test_an_agreement_not_in_force_authorises_no_sub_processor(
    name: str, state: str, tmp_path: Path
) -> None:
    """Lawyer review s21, problem 2: a hop to a sub-processor passed as authorised on a draft
    (or expired) Art. 28 agreement that allows sub-processing; Art. 28(2) asks prior written
    authorisation, which an agreement not in force does not give. The finding says which
    agreement and why, and the hop is no longer passed."""
    result, _ = audit_scenario(_by_name(name), tmp_path)
    [finding] = [f for f in result.findings if f.rule_id == "GDPR-SUBPROCESSING"]
    assert finding.message == (
        "GB Processor Ltd passes data to sub-processor GB Sub Ltd, but the Art. 28 agreement "
        f"between Acme and GB Processor Ltd that allows sub-processing ('dpa') is {state} on "
        "the audit date, and an agreement not in force gives no prior written authorisation "
        "(Art. 28(2))"
    )


def test_a_processors_backup_of_a_kind_it_was_given_rests_on_our_condition(tmp_path: Path) -> None:
    """Lawyer review s21, problem 3 (left open by newcomer review s20): a processor's backup
    naming `health` where the organisation gave it `health.dental` under Art. 9(2)(h) for the
    same purpose was a HIGH "no Art. 9 condition" while GDPR-BASIS asked nothing of the same
    hop. It is set aside with the rule's note (never passed); genetic data the organisation
    never gave stays judged."""
    from flowaudit.checks.base import OUR_CONDITION

    result, _ = audit_scenario(_by_name("uk-processor-backup-of-health-parent-category"), tmp_path)
    assert result.unjudged["GDPR-ART9"] == {OUR_CONDITION: 1}
    assert ("GDPR-ART9", ("flows", "backup")) not in {(e.rule_id, e.element) for e in result.passed}
    assert not [f for f in result.findings if f.rule_id == "GDPR-ART9"]


def test_an_audit_before_the_gdpr_applied_is_a_located_input_error(tmp_path: Path) -> None:
    """FACTS.md dates audits from 2018-05-25, when the GDPR applied: the day before is refused
    with exit 2 and the reason, never judged under law the tables do not hold (the first day
    is judged: uk-no-basis-2018-05-25)."""
    from tests.helpers import run
    from tests.regime_s17_cases import map_text

    (tmp_path / "map.yaml").write_text(map_text(_by_name("uk-no-basis-2018-05-25")), "utf-8")
    result = run(["check", str(tmp_path / "map.yaml"), "--as-of", "2018-05-24"])
    assert result.exit_code == 2
    assert "audit dates before 2018-05-25 are not modelled" in result.output


def test_marketing_to_recorded_corporate_subscribers_is_a_pass_not_silence(
    tmp_path: Path,
) -> None:
    """Lawyer review s21, problem 4: texts to subjects recorded corporate were left unjudged
    (no pass, no note) though FACTS.md states the verdict: no consent. The rule passes them,
    with no assumption noted (the map says corporate itself)."""
    result, _ = audit_scenario(_by_name("uk-pecr-sms-corporate-no-consent"), tmp_path)
    [passed] = [e for e in result.passed if e.rule_id == "PECR-MARKETING-CONSENT"]
    assert passed.element == ("flows", "f1")
    assert not passed.assumed
