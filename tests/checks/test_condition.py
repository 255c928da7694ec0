"""The condition kind's policy checks (its audits are case files: tests/cases/condition.yaml)."""

from pathlib import Path

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
