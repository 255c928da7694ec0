"""Issue 14 (100,000 flows checked in 10 s): the onward rule's child goes on with the engine's
rules once its own is evaluated (checks/apart.py, ``Tail``). Each rule is evaluated by the
process that claims it first, the engine from the start of the policy order, the child from
its end (the map's warnings before any rule); what the child hands back is taken at the
rule's turn, so the audit is the one process's, findings, passes and warnings alike."""

from __future__ import annotations

import os
import time
from datetime import date
from typing import Any

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks import apart, engine
from flowaudit.checks.base import CheckInputError, Context, Outcome
from flowaudit.checks.onward import CHECK as ONWARD
from flowaudit.checks.registry import CHECKS
from flowaudit.checks.result import AuditResult

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")

AS_OF = date(2026, 11, 25)


def _everything(result: AuditResult) -> tuple[object, ...]:
    return (
        [
            (
                f.rule_id,
                f.element,
                f.code,
                f.severity,
                f.message,
                f.location,
                f.also,
                f.joined_codes,
                f.flows,
                f.key,
                f.problems,
                f.unconfirmed,
            )
            for f in result.findings
        ],
        [tuple(p) for p in result.passed],
        result.warnings,
        result.unjudged,
    )


def _by_pid(ctx: Context, rule: Any) -> Outcome:
    """A rule's outcome that says which process evaluated it."""
    return Outcome(evaluated=[("flows", f"{rule}:{os.getpid()}")])


def _tail(rules: list[tuple[Any, Any]], apart_places: list[int]) -> apart.Tail:
    return apart.Tail(rules, apart_places)


def test_the_child_takes_the_last_free_place_the_engine_the_first() -> None:
    """In one process: the child takes from the end, skipping what is started apart, the
    engine claims from the start, and a place is never held twice."""
    tail = _tail([(n, _by_pid) for n in range(6)], [1])
    assert tail.claim(0)
    assert tail.take() == 5
    assert tail.take() == 4
    assert not tail.claim(4)  # the child's
    assert not tail.claim(1)  # started apart: neither may evaluate it here
    assert tail.claim(2)
    assert tail.take() == 3
    assert tail.take() is None  # the engine holds 2, the child 3 to 5
    assert not tail.claim(3)
    tail.close()


def test_the_child_takes_nothing_the_engine_claimed_first() -> None:
    tail = _tail([(n, _by_pid) for n in range(3)], [0])
    assert tail.claim(1) and tail.claim(2)
    assert tail.take() is None
    tail.close()


def _started(rules: list[tuple[Any, Any]]) -> tuple[apart.Apart, apart.Tail]:
    """A child for rule ``costly`` (place 0) with a tail of ``rules`` after it, run to its
    end before the engine claims anything: every free place is the child's."""
    tail = _tail([("costly", _by_pid), *rules], [0])
    pending = apart.Apart(Context(None, None), "costly", _by_pid, tail)  # type: ignore[arg-type]
    first = pending.outcome()
    assert first.evaluated != [("flows", f"costly:{os.getpid()}")]  # the child's
    assert pending._pid is not None
    os.waitpid(pending._pid, 0)  # it has taken and handed back all it could
    pending._pid = None
    return pending, tail


def test_what_the_child_took_is_handed_back_at_its_turn() -> None:
    pending, tail = _started([("a", _by_pid), ("b", _by_pid), ("c", _by_pid)])
    try:
        assert [tail.claim(place) for place in (1, 2, 3)] == [False, False, False]
        said = [pending.outcome_at(place).evaluated[0][1] for place in (1, 2, 3)]
        names = [text.split(":")[0] for text in said]
        pids = {text.split(":")[1] for text in said}
        assert names == ["a", "b", "c"]
        assert pids != {str(os.getpid())} and len(pids) == 1
    finally:
        pending.cancel()
        tail.close()


def test_a_rule_the_child_could_not_hand_back_is_evaluated_here() -> None:
    """The child's outcome for the last rule cannot be pickled: the child stops there, and
    the engine evaluates that rule and every other the child held but never handed back."""

    def unpicklable(ctx: Context, rule: Any) -> Outcome:
        if os.getpid() == parent:
            return _by_pid(ctx, rule)
        outcome = Outcome()
        outcome.relied[("flows", "x")] = (lambda: None,)  # type: ignore[assignment]
        return outcome

    parent = os.getpid()
    pending, tail = _started([("a", _by_pid), ("b", unpicklable)])
    try:
        assert not tail.claim(2)
        # place 2 came first (the end) and failed: the child stopped, place 1 stays free
        assert tail.claim(1)
        assert pending.outcome_at(2).evaluated == [("flows", f"b:{parent}")]
    finally:
        pending.cancel()
        tail.close()


def test_the_childs_input_error_on_a_rule_it_took_is_raised_at_its_turn() -> None:
    def refused(ctx: Context, rule: Any) -> Outcome:
        raise CheckInputError(("flows", "f1"), "purpose", "refused here")

    pending, tail = _started([("a", _by_pid), ("b", refused)])
    try:
        assert not tail.claim(2)
        with pytest.raises(CheckInputError) as caught:
            pending.outcome_at(2)
        assert (caught.value.element, caught.value.message, caught.value.field) == (
            ("flows", "f1"),
            "refused here",
            "purpose",
        )
        assert tail.claim(1)  # the child stopped at the error: the rule before it is free
    finally:
        pending.cancel()
        tail.close()


def test_rules_and_warnings_the_child_took_give_the_one_process_audit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Concero map with the tail forced on: the engine's first rule waits until the
    child has taken the map's warnings and at least one rule, so the child's share is never
    empty; the audit equals the one process's in every finding field, pass and warning."""
    alone = audit(AuditRequest([], AS_OF))
    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr(apart, "SHARE_FROM", 0)
    monkeypatch.setattr(engine, "worth_forking", lambda: True)
    monkeypatch.setattr(engine, "spare_processors", lambda: 1)
    tails: list[apart.Tail] = []
    real_tail = apart.Tail.__init__

    def noted(self: apart.Tail, *args: Any) -> None:
        real_tail(self, *args)
        tails.append(self)

    monkeypatch.setattr(apart.Tail, "__init__", noted)
    taken: list[int] = []
    real_at = apart.Apart.outcome_at

    def at(self: apart.Apart, place: int) -> Any:
        taken.append(place)
        return real_at(self, place)

    monkeypatch.setattr(apart.Apart, "outcome_at", at)
    first = next(r for r in alone.rules if r.enabled)
    check = CHECKS[first.kind]
    real_evaluate = check.evaluate

    def waiting(ctx: Context, rule: Any) -> Outcome:
        if rule.id == first.id and tails:
            claims = tails[-1]._claims
            deadline = time.monotonic() + 60
            while claims[len(claims) - 2] != 2 and time.monotonic() < deadline:
                time.sleep(0.01)  # until the child holds the warnings and the last rule
        return real_evaluate(ctx, rule)

    monkeypatch.setattr(check, "evaluate", waiting)
    together = audit(AuditRequest([], AS_OF))
    enabled = [r for r in together.rules if r.enabled]
    assert len(tails) == 1 and len(tails[0].rules) == len(enabled) + 1
    assert taken[-1] == len(enabled) and len(enabled) - 1 in taken  # warnings, last rule
    assert _everything(together) == _everything(alone)
    assert len(together.findings) == 57


def test_no_tail_below_share_from(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small map: the child evaluates its own rule only (pickled outcomes would cost
    more than they save)."""
    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr(engine, "worth_forking", lambda: True)
    started: list[apart.Tail | None] = []
    real_start = apart.Apart.__init__

    def noted(self: apart.Apart, ctx: Context, rule: Any, evaluate: Any, tail: Any = None) -> None:
        started.append(tail)
        real_start(self, ctx, rule, evaluate, tail)

    monkeypatch.setattr(apart.Apart, "__init__", noted)
    audit(AuditRequest([], AS_OF))
    assert started and started == [None] * len(started)
    assert apart.SHARE_FROM == 20_000
