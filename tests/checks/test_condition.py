"""The condition kind's policy checks (its audits are case files: tests/cases/condition.yaml)."""

from datetime import date
from pathlib import Path

import pytest

from flowaudit.model.problems import InputError
from flowaudit.policies.loader import load_policies


def test_invalid_cel_is_a_located_policy_error(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: condition\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        "    fix: f\n    message: m\n    expression: 'flow.basis =='\n"
    )
    try:
        load_policies((), [policy])
    except InputError as error:
        (problem,) = error.problems
        assert str(problem).startswith(f"{policy}:11:5: expression is not valid CEL:")
    else:
        raise AssertionError("invalid CEL was accepted")


def test_python_in_an_expression_is_not_run(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: condition\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        "    fix: f\n    message: m\n"
        '    expression: \'__import__("os").system("touch pwned")\'\n'
    )
    try:
        load_policies((), [policy])
    except InputError as error:
        assert "not valid CEL" in str(error) or error.problems
    assert not Path("pwned").exists()


def _condition_policy(tmp_path: Path, expression: str) -> Path:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: condition\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        f"    fix: f\n    message: m\n    expression: '{expression}'\n"
    )
    return policy


def test_a_misspelt_field_is_a_located_policy_error_not_a_finding_on_every_flow(
    tmp_path: Path,
) -> None:
    """A typo in a field name once failed on every flow the rule matched, each a finding in
    the organisation's totals (newcomer review N1): it is the policy's error, at its line."""
    policy = _condition_policy(
        tmp_path, 'recipient.contry == "GB" && flow.basis != "" && x.flow.nothing'
    )
    with pytest.raises(InputError) as raised:
        load_policies((), [policy])
    (problem,) = raised.value.problems
    assert str(problem) == (
        f"{policy}:11:5: unknown field 'contry' of recipient (did you mean 'country'?); "
        "recipient has approved_supplier, country, id, is_system, kind, listed_under, name, "
        "placeholder, role"
    )
    # fields the variables hold, strings and selections on other values are not typos
    ok = _condition_policy(
        tmp_path, 'recipient.country == "GB.contry" && flow.from != "" && organisation.regime != ""'
    )
    load_policies((), [ok])


def test_the_variables_an_expression_reads_hold_exactly_the_fields_the_check_names() -> None:
    """The typo check knows each variable's fields: they must be what the check passes."""
    from flowaudit.checks.base import Context
    from flowaudit.checks.condition import _node
    from flowaudit.policies.cel import variable_fields
    from tests.helpers import audit_paths

    result = audit_paths([], date(2026, 11, 25))
    ctx = Context(result.facts, result.legal)
    known = variable_fields()
    flow = ctx.index.data.flows[0]
    assert set(flow.model_dump(mode="json", by_alias=True)) == known["flow"]
    assert set(ctx.index.organisation.model_dump(mode="json")) == known["organisation"]
    assert set(_node(ctx, ctx.index.nodes[flow.target])) == known["recipient"] == known["source"]
