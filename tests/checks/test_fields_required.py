"""The fields_required kind's policy check (its audits: tests/cases/fields_required.yaml)."""

from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("fields", "satisfied_by", "said"),
    [
        (
            "[opt_out]",
            "[purpose]",
            "satisfied_by names 'purpose', which every flow records: the rule would judge nothing",
        ),
        ("[opt_out]", "[opt_out]", "satisfied_by names 'opt_out', which the rule itself asks for"),
        (
            "[permission]",
            "[notification]",
            "satisfied_by: a notification never stands for a permission (being told is no consent)",
        ),
        # auditor review s6, problem 3: a flag or a descriptive field is no evidence
        *[
            (
                "[notification]",
                f"[{name}]",
                f"satisfied_by names '{name}', which records no "
                "evidence of the promise: name one of permission, notification, opt_out, "
                "regulator_informed, subjects_informed, consent_record, agreement, "
                "transfer_agreement, assessment, assessments",
            )
            for name in ("encrypted_in_transit", "notice", "basis", "description", "to")
        ],
    ],
)
def test_a_satisfied_by_that_would_switch_the_rule_off_is_refused(
    tmp_path: Path, fields: str, satisfied_by: str, said: str
) -> None:
    """Attack review s4, problem 2: a policy's satisfied_by switched a rule off unseen."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: fields_required\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        f"    fix: f\n    fields: {fields}\n    satisfied_by: {satisfied_by}\n"
    )
    with pytest.raises(InputError) as caught:
        load_policies((), [policy])
    assert [str(p) for p in caught.value.problems] == [f"{policy}:11:20: {said}"]


@pytest.mark.parametrize("name", ["permission", "consent_record", "agreement", "assessments"])
def test_an_evidence_field_may_keep_the_promise(tmp_path: Path, name: str) -> None:
    """Auditor review s6, problem 3: the evidence fields stay allowed in satisfied_by."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-ONE\n    kind: fields_required\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {}\n"
        f"    fix: f\n    fields: [notification]\n    satisfied_by: [{name}]\n"
    )
    [rule] = [r for r in load_policies((), [policy]).rules if r.id == "P-ONE"]
    assert rule.satisfied_by == [name]  # type: ignore[attr-defined]
