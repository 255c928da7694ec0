"""The fields_required kind's policy check (its audits: tests/cases/fields_required.yaml)."""

from pathlib import Path

from flowaudit.model.problems import InputError
from flowaudit.policies.loader import load_policies


def test_unknown_field_in_the_rule_is_a_located_error(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: fields_required\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        "    fix: f\n    fields: [notice, permision]\n"
    )
    try:
        load_policies((), [policy])
    except InputError as error:
        assert [str(p) for p in error.problems] == [
            f"{policy}:10:22: flows have no field 'permision' (did you mean 'permission'?)"
        ]
    else:
        raise AssertionError("a misspelt field was accepted")


def test_unknown_field_in_satisfied_by_is_a_located_error(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: fields_required\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        "    fix: f\n    fields: [notification]\n    satisfied_by: [permision]\n"
    )
    try:
        load_policies((), [policy])
    except InputError as error:
        assert [str(p) for p in error.problems] == [
            f"{policy}:11:20: flows have no field 'permision' (did you mean 'permission'?)"
        ]
    else:
        raise AssertionError("a misspelt field was accepted")
