"""Suggestions that would change the legal ground are not made from spelling: an unknown
Art. 9 condition is told every condition with its meaning unless it is a plain misspelling
of one; a closed list's common other names (`kind: dpa`) get the value they mean, from an
alias table (auditor review 2026-12-03g, problem 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.model.loader import _aliases
from flowaudit.model.schema import AgreementKind, AssessmentKind
from flowaudit.policies.legal import load_legal_table
from tests.helpers import BASE, run

_FLOW = (
    "flows:\n"
    "  - {{id: notes, from: acme, to: acme-db, categories: [health], subjects: [staff],"
    " purpose: support, basis: contract, art9_condition: {0}}}\n"
)


def _validate(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "map.yaml").write_text(text, encoding="utf-8")
    result = run(["validate", str(BASE), str(tmp_path / "map.yaml")])
    assert result.exit_code == 2, result.output
    return [line.split("map.yaml", 1)[-1] for line in result.stderr.splitlines()[:-1]]


def test_health_is_told_the_conditions_not_public_health(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 11: `art9_condition: health` got "did you mean
    'public_health'?" (Art. 9(2)(i), public-health threats), the wrong ground for a
    counselling service (9(2)(h)); taken, it passed GDPR-ART9. Now every condition is listed
    with the legal table's one-line meaning, and none is picked."""
    (line,) = _validate(tmp_path, _FLOW.format("health"))
    assert line == (
        ":2:118: unknown art9_condition 'health': the grounds differ in law, so pick the one "
        "that applies: explicit_consent (Art. 9(2)(a) explicit consent); "
        "employment_social_security (Art. 9(2)(b) employment, social security); "
        "vital_interests (Art. 9(2)(c) vital interests); not_for_profit_body (Art. 9(2)(d) "
        "not-for-profit body); made_public (Art. 9(2)(e) made public by the data subject); "
        "legal_claims (Art. 9(2)(f) legal claims or judicial acts); substantial_public_interest "
        "(Art. 9(2)(g) substantial public interest); health_social_care (Art. 9(2)(h) health or "
        "social care); public_health (Art. 9(2)(i) public health); "
        "archiving_research_statistics (Art. 9(2)(j) archiving, research, statistics)"
    )
    assert "did you mean" not in line


def test_every_condition_of_the_table_is_listed_with_its_name(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 11: the list is the legal table's, whole."""
    (line,) = _validate(tmp_path, _FLOW.format("employment"))
    for condition in load_legal_table().art9_conditions.values():
        assert f"{condition.id} ({condition.name})" in line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("explicit concent", "explicit_consent"),
        ("Explicit consent", "explicit_consent"),
        ("vital_interest", "vital_interests"),
        ("public_heath", "public_health"),
        ("health_and_social_care", "health_social_care"),
    ],
)
def test_a_plain_misspelling_of_one_condition_is_still_suggested(
    tmp_path: Path, written: str, meant: str
) -> None:
    """auditor review 2026-12-03g, problem 11: a typo of one ground is that ground."""
    (line,) = _validate(tmp_path, _FLOW.format(f"'{written}'"))
    assert line.endswith(f"unknown art9_condition '{written}' (did you mean '{meant}'?)")


def test_an_agreement_kind_by_its_common_name_gets_the_kind_it_means(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 11: `kind: dpa` got the list and no suggestion."""
    agreement = (
        "  - {{id: {0}, kind: {1}, parties: [acme, uk-proc], status: signed,"
        " signed_on: 2024-01-01, evidence: x.pdf}}\n"
    )
    lines = _validate(
        tmp_path,
        "agreements:\n"
        + agreement.format("a", "dpa")
        + agreement.format("b", "DSA")
        + agreement.format("c", "joint controller agreement")
        + agreement.format("d", "scc")
        # an alias of another list's value (an assessment's) suggests nothing here
        + agreement.format("e", "lia"),
    )
    kinds = ", ".join(kind.value for kind in AgreementKind)
    assert lines == [
        f":2:13: kind: 'dpa' is not one of {kinds} (did you mean 'art28_dpa'?)",
        f":3:13: kind: 'DSA' is not one of {kinds} (did you mean 'data_sharing_agreement'?)",
        f":4:13: kind: 'joint controller agreement' is not one of {kinds} (did you mean "
        "'art26_joint'?)",
        f":5:13: kind: 'scc' is not one of {kinds} (did you mean 'eu_scc_2021'?)",
        f":6:13: kind: 'lia' is not one of {kinds}",
    ]


def test_every_alias_names_a_value_of_a_closed_list() -> None:
    """auditor review 2026-12-03g, problem 11: an alias naming no value suggests nothing."""
    values = {kind.value for kind in (*AgreementKind, *AssessmentKind)}
    assert set(_aliases().values()) <= values
    assert all(alias == alias.lower() and " " not in alias for alias in _aliases())
