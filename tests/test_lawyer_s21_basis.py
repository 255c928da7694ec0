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
