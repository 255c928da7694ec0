"""One costly rule evaluated in a process of its own while the engine evaluates the others.

On a big map one rule can cost as much as all the others together: the onward rule follows
every chain of a dense 100,000-flow map (about 3 s), while the engine spends about as long on
the rules before it. A kind says from how many flows that is worth a process
(``Check.apart_from``); the engine then forks before its loop, the child evaluates that one
rule on the same facts (copied on write, nothing loaded again) and hands back its outcome
and what it wrote into the audit's memo (a kind's post-pass reads it), and the engine takes
them when its loop reaches the rule, in policy order: the findings are those of a run in one
process, byte for byte.

Nothing changes where forking is not to be had (no ``os.fork``, one processor) or not worth
it (a small map), or when ``FLOWAUDIT_WORKERS=1`` says so. A child that fails in any way but
the rule's own input error is not trusted: the engine evaluates the rule itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections.abc import Callable
from typing import Any

from flowaudit.checks.base import CheckInputError, Context, Outcome

#: ``FLOWAUDIT_WORKERS=1``: evaluate every rule in the one process.
WORKERS_VARIABLE = "FLOWAUDIT_WORKERS"

Evaluate = Callable[[Context, Any], Outcome]


def spare_processors() -> int:
    """How many processes may run beside this one: the processors that are ours less one;
    none without ``os.fork`` or when ``FLOWAUDIT_WORKERS=1`` asks for one process."""
    if os.environ.get(WORKERS_VARIABLE, "").strip() == "1" or not hasattr(os, "fork"):
        return 0
    try:
        processors = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processors = os.cpu_count() or 1
    return max(0, processors - 1)


def worth_forking() -> bool:
    """Whether a second process can run beside this one: ``os.fork`` exists, at least two
    processors are ours, and ``FLOWAUDIT_WORKERS`` does not ask for one."""
    return spare_processors() >= 1


class Apart:
    """A rule being evaluated in a child process; ``outcome`` waits for it."""

    def __init__(self, ctx: Context, rule: Any, evaluate: Evaluate) -> None:
        self._ctx, self._rule, self._evaluate = ctx, rule, evaluate
        self._pid: int | None = None
        self._reading: int | None = None
        reading, writing = os.pipe()
        known = set(ctx.memo)
        pid = os.fork()
        if pid == 0:  # the child: evaluate, hand back, end without the parent's teardown
            try:
                os.close(reading)
                _hand_back(writing, ctx, rule, evaluate, known)
            finally:
                os._exit(0)
        os.close(writing)
        self._pid, self._reading = pid, reading

    def done(self) -> bool:
        """Whether the child has handed its outcome back (or ended): reading would not wait."""
        if self._reading is None:
            return True
        ready, _, _ = select.select([self._reading], [], [], 0)
        return bool(ready)

    def outcome(self) -> Outcome:
        """The rule's outcome as the child found it (its memo entries added to the audit's),
        its input error raised again, or, when the child failed, the rule evaluated here."""
        data = b""
        with contextlib.suppress(OSError), os.fdopen(self._take_reading(), "rb") as pipe:
            data = pipe.read()
        self._reap()
        try:
            status, *rest = pickle.loads(data)
        except Exception:  # cut short, killed, out of memory: evaluate it here
            return self._evaluate(self._ctx, self._rule)
        if status == "input":
            raise CheckInputError(*rest)
        if status != "ok":
            return self._evaluate(self._ctx, self._rule)
        outcome, memo = rest
        for key, value in memo.items():
            self._ctx.memo.setdefault(key, value)
        return outcome  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child (the audit ended before it was needed: an input error)."""
        if self._pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            if self._reading is not None:
                os.close(self._take_reading())
        self._reap()

    def _take_reading(self) -> int:
        reading, self._reading = self._reading, None
        if reading is None:
            raise OSError("read already")
        return reading

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        if pid is not None:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)


def _hand_back(writing: int, ctx: Context, rule: Any, evaluate: Evaluate, known: set[str]) -> None:
    """In the child: the rule's outcome and the memo entries it wrote, or its input error,
    pickled into the pipe. Any other failure sends nothing the parent can read."""
    try:
        outcome = evaluate(ctx, rule)
        payload: tuple[Any, ...] = (
            "ok",
            outcome,
            {key: value for key, value in ctx.memo.items() if key not in known},
        )
    except CheckInputError as error:
        payload = ("input", error.element, error.field, error.message)
    except BaseException:
        payload = ("failed",)
    with contextlib.suppress(Exception), os.fdopen(writing, "wb") as pipe:
        pipe.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
