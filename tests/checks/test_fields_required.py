from pathlib import Path

from flowaudit.model.problems import InputError
from flowaudit.policies.loader import load_policies
from tests.helpers import at, kind_hits

KIND = "fields_required"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-FIELDS"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "no-permission", "no-permission", at(KIND, "bad", "no-permission")),
            (RULE, "nothing", "no-notice", at(KIND, "bad", "nothing")),
            (RULE, "nothing", "no-permission", at(KIND, "bad", "nothing")),
        ]
    )


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
