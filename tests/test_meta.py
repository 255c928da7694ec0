"""Every check is registered, documented and tested; every shipped rule is complete."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.registry import CHECKS
from flowaudit.policies.loader import load_policies, shipped_policy_names
from flowaudit.policies.schema import RULE_MODELS
from tests.helpers import FIXTURES

TESTS = Path(__file__).parent


def test_every_rule_kind_has_exactly_one_registered_check() -> None:
    assert set(CHECKS) == set(RULE_MODELS)
    for kind, check in CHECKS.items():
        assert check.kind == kind


def test_every_rule_kind_has_shipped_examples() -> None:
    from flowaudit.policies.clauses import load_kind_examples

    examples = load_kind_examples()
    assert set(examples) == set(RULE_MODELS)


def test_every_check_is_documented() -> None:

    for kind, check in CHECKS.items():
        assert len(check.summary) > 40, f"check {kind} has no summary"
        assert RULE_MODELS[kind].__doc__, f"rule kind {kind} has no docstring"


def test_every_check_has_a_good_and_bad_fixture_and_a_test_that_runs_them() -> None:
    for kind in CHECKS:
        folder = FIXTURES / "checks" / kind
        assert (folder / "good.yaml").is_file(), f"{kind}: no good fixture"
        assert (folder / "bad.yaml").is_file(), f"{kind}: no bad fixture"
        test = TESTS / "checks" / f"test_{kind}.py"
        assert test.is_file(), f"{kind}: no test module"
        text = test.read_text()
        assert '"good.yaml"' in text and '"bad.yaml"' in text


def test_every_shipped_rule_has_references_and_a_fix() -> None:
    rules = load_policies(shipped_policy_names()).rules
    assert rules
    for rule in rules:
        assert rule.rationale and rule.fix, rule.id
        assert rule.references.legal or rule.references.notice, rule.id
