"""Rule kinds are declared once (policies.schema.RULE_KINDS): the union of a policy file, the
JSON Schema, RULE_MODELS and the check registry all say the same kinds, in the same order."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from flowaudit.checks.registry import CHECKS, REGISTERED
from flowaudit.policies.schema import (
    RULE_KINDS,
    RULE_MODELS,
    PolicyFile,
    Rule,
    WaiverRule,
    kind_of,
    policy_json_schema,
)

KINDS = [kind_of(model) for model in RULE_KINDS]


def test_the_registry_has_one_check_for_each_model_kind_and_no_other() -> None:
    assert len(KINDS) == len(set(KINDS)) == 23
    registered = [check.kind for check in REGISTERED]
    assert sorted(registered) == sorted(KINDS)  # each exactly once, both ways
    assert len(registered) == len(set(registered))
    for check in REGISTERED:
        assert check.model is RULE_MODELS[check.kind]
    assert list(CHECKS) == KINDS


def test_rule_models_and_the_policy_union_derive_from_the_one_list() -> None:
    assert list(RULE_MODELS) == KINDS
    assert [RULE_MODELS[k] for k in KINDS] == list(RULE_KINDS)
    adapter: TypeAdapter[Any] = TypeAdapter(Rule)
    rule = adapter.validate_python(
        {
            "id": "T-WAIVER",
            "kind": "waiver",
            "title": "t",
            "severity": "low",
            "rationale": "r",
            "references": {"legal": ["x"]},
            "fix": "f",
        }
    )
    assert type(rule) is WaiverRule
    assert PolicyFile.model_fields["rules"].annotation == list[Rule]  # type: ignore[misc]


def test_the_json_schema_names_every_kind_in_order() -> None:
    schema = policy_json_schema()
    union = schema["properties"]["rules"]["items"]  # type: ignore[index]
    mapping = union["discriminator"]["mapping"]
    assert mapping == {kind: f"#/$defs/{RULE_MODELS[kind].__name__}" for kind in KINDS}
    assert [ref["$ref"] for ref in union["oneOf"]] == [
        f"#/$defs/{model.__name__}" for model in RULE_KINDS
    ]
