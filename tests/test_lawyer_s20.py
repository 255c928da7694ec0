"""Lawyer review s20 (2026-12-04): the scenarios of tests/lawyer_s20_cases.py, each with the
exact findings (rule, code, severity, element, file:line) a lawyer would sign, or a pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lawyer_s20_cases import SCEN
from tests.regime_s17_cases import Scenario
from tests.scenarios import assert_verdict, audit_scenario

#: Passes where the rule rightly judges nothing (a scenario name to those rules).
NOT_JUDGED: dict[str, set[str]] = {}


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_scenarios_have_unique_names_apart_from_earlier_reviews() -> None:
    from tests.lawyer_s18_cases import SCEN as S18
    from tests.lawyer_s19_cases import SCEN as S19
    from tests.regime_s17_cases import SCEN as S17

    names = [s.name for s in SCEN]
    assert len(names) >= 50
    assert len(set(names)) == len(names)
    assert not set(names) & {s.name for s in [*S17, *S18, *S19]}


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path, NOT_JUDGED)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("uk-health-chain-no-condition-once", "GDPR-ART9"),
        ("uk-health-us-host-onward-us-listed", "GDPR-ART9"),
        ("uk-criminal-chain-condition-on-our-flow", "GDPR-ART10"),
    ],
)
def test_a_processors_hop_is_set_aside_on_the_controllers_condition(
    name: str, rule: str, tmp_path: Path
) -> None:
    """Lawyer review s20, problem 1: the hop a processor makes for the organisation rests on
    the Art. 9 or Art. 10 condition the organisation's own flow names (Art. 28(3)(a), 29), as
    its Art. 6 basis does; the rule says why it left the hop, and never passes it."""
    from flowaudit.checks.base import OUR_CONDITION

    result, _ = audit_scenario(_by_name(name), tmp_path)
    assert result.unjudged[rule] == {OUR_CONDITION: 1}
    assert (rule, ("flows", "to-sub")) not in {(e.rule_id, e.element) for e in result.passed}
    assert "to-sub" not in {f.element[1] for f in result.findings if f.rule_id == rule}


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        ("uk-health-art49-consent-bundled", ("GDPR-TRANSFER", "GDPR-ART9")),
        (
            "uk-notice-payment-processor-no-agreement",
            ("GDPR-AGREEMENT", "CONCERO-PAYMENT-AGREEMENT"),
        ),
        (
            "uk-notice-training-supplier-no-agreement",
            ("GDPR-AGREEMENT", "CONCERO-TRAINING-AGREEMENT"),
        ),
    ],
)
def test_one_problem_is_one_finding_citing_each_rule(
    name: str, rules: tuple[str, ...], tmp_path: Path
) -> None:
    """One consent record bundled with the terms fails Art. 9(2)(a) and Art. 49(1)(a) as one
    problem; a missing agreement breaks the law's rule and the notice's promise as one: one
    finding at the flow naming every rule, and no second finding on the flow from them."""
    result, _ = audit_scenario(_by_name(name), tmp_path)
    on_flow = [
        f for f in result.findings if f.element == ("flows", "f1") and set(rules) & set(f.rule_ids)
    ]
    assert [f.rule_ids for f in on_flow] == [rules]


@pytest.mark.parametrize(
    ("name", "unconfirmed", "assumed"),
    [
        # FACTS.md marks the Faroe Islands UNCONFIRMED for a UK exporter, not for an EU one
        ("uk-faroe-2026", ("uk-faroe (DPA 2018 Sch. 21 para 5)",), False),
        ("eu-faroe-2026", (), False),
        # Canada's adequacy reaches PIPEDA-covered organisations only: taken on trust
        ("uk-canada-commercial-2026", (), True),
        ("eu-canada-commercial-2026", (), True),
    ],
)
def test_an_adequacy_pass_says_what_it_rests_on(
    name: str, unconfirmed: tuple[str, ...], assumed: bool, tmp_path: Path
) -> None:
    """A pass on an adequacy row FACTS.md marks UNCONFIRMED carries the mark; one on a row
    whose scope the map cannot show (Canada: PIPEDA) says it takes the scope on trust."""
    result, _ = audit_scenario(_by_name(name), tmp_path)
    (judged,) = [e for e in result.passed if e.rule_id == "GDPR-TRANSFER"]
    assert judged.unconfirmed == unconfirmed
    assert any("PIPEDA" in a for a in judged.assumed) is assumed
