"""The result objects: a Finding is made by an __init__ of its own (cheaper than a frozen
dataclass's) that must take exactly the dataclass's fields, and stay immutable."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from flowaudit.checks.result import Evaluation, Finding
from flowaudit.policies.schema import Severity


def test_finding_init_takes_every_field_in_order_with_its_default() -> None:
    parameters = list(inspect.signature(Finding.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Finding)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]


def test_finding_is_immutable_comparable_and_replaceable() -> None:
    finding = Finding("R-1", Severity.HIGH, "code", "message", ("flows", "f"), ("basis",), None)
    assert finding == Finding(
        "R-1", Severity.HIGH, "code", "message", ("flows", "f"), ("basis",), None
    )
    assert hash(finding) == hash(dataclasses.replace(finding))
    assert (finding.path, finding.waiver, finding.also, finding.key) == ((), None, (), "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "other"  # type: ignore[misc]
    keyed = dataclasses.replace(finding, key="k", also=("R-2",))
    assert (keyed.key, keyed.rule_ids, keyed.message) == ("k", ("R-1", "R-2"), "message")
    assert keyed != finding


def test_evaluation_is_immutable() -> None:
    evaluation = Evaluation("R-1", ("flows", "f"))
    assert (evaluation.rule_id, evaluation.element, evaluation.unconfirmed) == (
        "R-1",
        ("flows", "f"),
        (),
    )
    with pytest.raises(AttributeError):
        evaluation.rule_id = "R-2"  # type: ignore[misc]
