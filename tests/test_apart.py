"""A costly rule evaluated in a process of its own (checks/apart.py) gives what the one
process gives: the same findings, passes and input errors, and the rule evaluated again in the
parent when the child fails. Forced here on small maps (``apart_from`` 0)."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks import apart
from flowaudit.checks.base import Context, Outcome
from flowaudit.checks.onward import CHECK as ONWARD
from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import InputError
from flowaudit.policies.schema import RuleBase
from tests.helpers import BASE, FIXTURES, write_onward_rules
from tests.security.test_hardening import _wide_map

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")

AS_OF = date(2026, 11, 25)


def _audit(paths: list[Path]) -> AuditResult:
    return audit(AuditRequest(paths, AS_OF))


def _verdict(result: AuditResult) -> tuple[object, ...]:
    return (
        [
            (f.rule_id, f.element, f.code, f.severity, f.message, f.location)
            for f in result.findings
        ],
        [tuple(p) for p in result.passed],
    )


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The onward rule apart on any map, on any machine with os.fork."""
    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr("flowaudit.checks.engine.worth_forking", lambda: True)


def _forking(monkeypatch: pytest.MonkeyPatch, spare: int) -> list[str]:
    """The onward rule apart on any map, with ``spare`` processors beside this one: the ids
    of the rules started apart, filled as the audit starts them."""
    started: list[str] = []
    real_start = apart.Apart.__init__

    def counted(
        self: apart.Apart,
        ctx: Context,
        rule: RuleBase,
        evaluate: apart.Evaluate,
        tail: apart.Tail | None = None,
    ) -> None:
        started.append(rule.id)
        real_start(self, ctx, rule, evaluate, tail)

    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr("flowaudit.checks.engine.worth_forking", lambda: True)
    monkeypatch.setattr("flowaudit.checks.engine.spare_processors", lambda: spare)
    monkeypatch.setattr(apart.Apart, "__init__", counted)
    return started


@pytest.mark.parametrize(
    "paths",
    [[], [BASE, FIXTURES / "paths" / "uk-us-subprocessor.yaml"]],
    ids=["concero", "uk-us-subprocessor"],
)
def test_a_rule_evaluated_apart_finds_what_the_one_process_finds(
    paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _audit(paths)
    started = _forking(monkeypatch, spare=8)
    together = _audit(paths)
    # the onward rules, and only they, were evaluated apart (Concero's map: two at once)
    onward = [r.id for r in together.rules if r.kind == "onward" and r.enabled]
    assert started == onward and "GDPR-ONWARD" in onward
    assert _verdict(together) == _verdict(alone)


def test_no_more_children_than_spare_processors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A policy file of many onward rules forks one child per spare processor, the first
    costly rules in policy order; the others run in the parent, with the same verdict (a
    pull request adding 300 onward rules must not fork 300 processes)."""
    request = AuditRequest([], AS_OF, [str(write_onward_rules(tmp_path, 5))])
    alone = audit(request)
    started = _forking(monkeypatch, spare=1)
    together = audit(request)
    onward = [r.id for r in together.rules if r.kind == "onward" and r.enabled]
    assert len(onward) == 7 and started == onward[:1]
    assert _verdict(together) == _verdict(alone)


def test_the_facts_the_engine_reads_too_are_worked_out_before_the_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14's speed (the 100k checks over 10 s): the onward rule's child worked out the
    flows' capacity, the organisation's processors and the flows held as a controller again,
    after the parent had forked, although the agreement rule works them out in the parent
    (about 2 of the child's CPU seconds on the dense 100,000-flow map). They are worked out
    once, before the fork; the verdict is the one process's."""
    assert ONWARD.shared == ("held_as_controller", "outside_instructions")
    alone = _audit([])
    known_at_fork: list[set[str]] = []
    real_start = apart.Apart.__init__

    def noted(
        self: apart.Apart,
        ctx: Context,
        rule: RuleBase,
        evaluate: apart.Evaluate,
        tail: apart.Tail | None = None,
    ) -> None:
        known_at_fork.append(set(vars(ctx.facts)))
        real_start(self, ctx, rule, evaluate, tail)

    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr("flowaudit.checks.engine.worth_forking", lambda: True)
    monkeypatch.setattr("flowaudit.checks.engine.spare_processors", lambda: 1)
    monkeypatch.setattr(apart.Apart, "__init__", noted)
    together = _audit([])
    assert len(known_at_fork) == 1
    assert {"held_as_controller", "outside_instructions", "capacity", "our_processors"} <= (
        known_at_fork[0]
    )
    assert _verdict(together) == _verdict(alone)


def test_the_child_hands_back_no_list_of_every_flows_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14's speed: the memo entries a forked rule writes are pickled back to the parent.
    The flows the policies judge (``judged_facts``) were a memo entry, so every flow's facts
    went through the pipe and were built again in the parent: 2 CPU s and 260 MB on the dense
    100,000-flow check. They are a fact of the map now, never handed back."""
    received: list[dict[str, object]] = []
    real_loads = apart.pickle.loads

    def noted(data: bytes) -> object:
        payload = real_loads(data)
        if payload[0] == "ok":
            received.append(payload[2])
        return payload

    monkeypatch.setattr(ONWARD, "apart_from", 0)
    monkeypatch.setattr("flowaudit.checks.engine.worth_forking", lambda: True)
    monkeypatch.setattr("flowaudit.checks.engine.spare_processors", lambda: 1)
    monkeypatch.setattr(apart.pickle, "loads", noted)
    together = _audit([])
    monkeypatch.undo()
    assert len(received) == 1
    flows = len(together.facts.index.flow_facts)
    assert not [
        key
        for key, value in received[0].items()
        if isinstance(value, list | tuple) and len(value) >= flows
    ], sorted(received[0])
    assert "judged_flow_facts" in vars(together.facts)
    assert _verdict(together) == _verdict(_audit([]))


def test_the_childs_input_error_is_the_rules_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forced: None
) -> None:
    (tmp_path / "map.yaml").write_text(_wide_map(400), encoding="utf-8")
    monkeypatch.setenv("FLOWAUDIT_ONWARD_BUDGET", "1")
    with pytest.raises(InputError) as caught:
        _audit([tmp_path])
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "map.yaml:412:37: GDPR-ONWARD: following the onward chains of the "
        "organisation's flows takes more than 301 steps (a step: one category over one link; "
        "raise FLOWAUDIT_ONWARD_BUDGET)"
    ]


def test_a_child_that_fails_is_not_trusted_the_rule_is_evaluated_again(
    monkeypatch: pytest.MonkeyPatch, forced: None
) -> None:
    alone = _audit([])
    monkeypatch.setattr(apart.pickle, "dumps", _broken)  # the child can hand nothing back
    assert _verdict(_audit([])) == _verdict(alone)


def _broken(*_: object, **__: object) -> bytes:
    raise MemoryError


def test_one_worker_is_asked_for_with_flowaudit_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWAUDIT_WORKERS", "1")
    assert not apart.worth_forking() and apart.spare_processors() == 0


def test_a_child_no_longer_needed_is_stopped_and_reaped() -> None:
    def slow(ctx: Context, rule: object) -> Outcome:
        time.sleep(30)
        return Outcome()

    started = time.monotonic()
    pending = apart.Apart(Context(None, None), None, slow)  # type: ignore[arg-type]
    pid = pending._pid
    assert pid is not None and not pending.done()
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more
    assert time.monotonic() - started < 10
