"""One costly rule evaluated in a process of its own while the engine evaluates the others.

On a big map one rule can cost as much as all the others together: the onward rule follows
every chain of a dense 100,000-flow map (about 3 s), while the engine spends about as long on
the rules before it. A kind says from how many flows that is worth a process
(``Check.apart_from``); the engine then forks before its loop, the child evaluates that one
rule on the same facts (copied on write, nothing loaded again) and hands back its outcome
and what it wrote into the audit's memo (a kind's post-pass reads it), and the engine takes
them when its loop reaches the rule, in policy order: the findings are those of a run in one
process, byte for byte.

On a map of ``SHARE_FROM`` flows or more the child does not stop there: the rules it may take
(``Tail``, the engine's rules from the end of the policy order) are evaluated by whichever
process claims each first, the engine from the start of the order, the child from its end,
so neither waits while the other has work (hub 100k: the onward rule takes the child under
1 s while the engine's rules take 4). Each outcome goes back as the child finishes it; the
engine takes it at the rule's turn, so the findings are again those of one process.

Nothing changes where forking is not to be had (no ``os.fork``, one processor) or not worth
it (a small map), or when ``FLOWAUDIT_WORKERS=1`` says so. A child that fails in any way but
the rule's own input error is not trusted: the engine evaluates the rule itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import pickle
import select
import signal
import struct
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, Any

from flowaudit.checks.base import CheckInputError, Context, Outcome

#: ``FLOWAUDIT_WORKERS=1``: evaluate every rule in the one process.
WORKERS_VARIABLE = "FLOWAUDIT_WORKERS"

Evaluate = Callable[[Context, Any], Outcome]

#: From how many flows a child that has evaluated its rule goes on with the engine's rules
#: (``Tail``): below that, its pickled outcomes would cost more than they save.
SHARE_FROM = 20_000

#: A handed-back message's length, before it (the child sends one per rule it evaluated).
_LENGTH = struct.Struct("<Q")

#: Who holds a place in ``Tail``: nobody yet, the engine, the child, a rule started apart.
_FREE, _ENGINE, _CHILD, _APART = 0, 1, 2, 3


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

    def __init__(
        self, ctx: Context, rule: Any, evaluate: Evaluate, tail: Tail | None = None
    ) -> None:
        self._ctx, self._rule, self._evaluate = ctx, rule, evaluate
        self._pid: int | None = None
        self._reading: int | None = None
        self._pipe: IO[bytes] | None = None
        self._tail = tail
        #: what the child handed back for the places of ``tail`` it took, by place, until
        #: the engine takes it; None once the child has ended
        self._received: dict[int, tuple[Any, ...]] | None = {}
        reading, writing = os.pipe()
        known = set(ctx.memo)
        pid = os.fork()
        if pid == 0:  # the child: evaluate, hand back, end without the parent's teardown
            try:
                os.close(reading)
                _hand_back(writing, ctx, rule, evaluate, known, tail)
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
        self._pipe = None
        with contextlib.suppress(OSError):
            self._pipe = os.fdopen(self._take_reading(), "rb")
        payload = self._next()
        if self._tail is None:
            self._close()
        return self._taken(payload, self._rule, self._evaluate)  # type: ignore[no-any-return]

    def outcome_at(self, place: int) -> Any:
        """What the child handed back for ``place`` of the tail, which it claimed (a rule's
        outcome, or the map's warnings), or, when the child failed before, what this process
        works out itself. (Only after ``outcome``.)"""
        assert self._tail is not None
        rule, evaluate = self._tail.rules[place]
        while self._received is not None and place not in self._received:
            payload = self._next()
            if not payload or not isinstance(payload[0], int):
                self._close()  # the child failed or ended: what it has not handed back
                break  # is evaluated here
            self._received[payload[0]] = payload[1:]
        found = self._received.pop(place, ()) if self._received is not None else ()
        return self._taken(found, rule, evaluate)

    def _taken(self, payload: tuple[Any, ...], rule: Any, evaluate: Callable[..., Any]) -> Any:
        if not payload:  # cut short, killed, out of memory: evaluate it here
            return evaluate(self._ctx, rule)
        status, *rest = payload
        if status == "input":
            raise CheckInputError(*rest)
        if status != "ok":
            return evaluate(self._ctx, rule)
        outcome, memo = rest
        for key, value in memo.items():
            self._ctx.memo.setdefault(key, value)
        return outcome

    def _next(self) -> tuple[Any, ...]:
        """The child's next message, unpickled; empty when there is none to read."""
        if self._pipe is None:
            return ()
        try:
            head = self._pipe.read(_LENGTH.size)
            if len(head) < _LENGTH.size:
                return ()
            (length,) = _LENGTH.unpack(head)
            if self._tail is None:
                data = self._pipe.read(length)
            else:
                data = os.pread(self._tail.data.fileno(), length, self._tail.read_to)
                self._tail.read_to += len(data)
            if len(data) < length:
                return ()
            payload = pickle.loads(data)
        except Exception:  # cut short, killed, out of memory
            return ()
        return payload if isinstance(payload, tuple) else ()

    def _close(self) -> None:
        """Stop reading: the child's pipe closed, the child reaped."""
        self._received = None
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
        self._reap()

    def cancel(self) -> None:
        """Stop the child (the audit ended before it was needed: an input error)."""
        if self._pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            if self._reading is not None:
                os.close(self._take_reading())
        self._close()

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


def _hand_back(
    writing: int,
    ctx: Context,
    rule: Any,
    evaluate: Evaluate,
    known: set[str],
    tail: Tail | None = None,
) -> None:
    """In the child: the rule's outcome and the memo entries it wrote, or its input error,
    pickled into the pipe; then, with a tail, each rule of it the child claims, the same
    way with its place first, until none is left or one has an input error. Any other
    failure sends nothing more the parent can read."""
    with contextlib.suppress(Exception), os.fdopen(writing, "wb") as pipe:
        payload = _evaluated(ctx, rule, evaluate, known)
        _send(pipe, payload, tail)
        while tail is not None and payload[0] == "ok":
            place = tail.take()
            if place is None:
                break
            later, its_evaluate = tail.rules[place]
            payload = _evaluated(ctx, later, its_evaluate, known)
            _send(pipe, (place, *payload), tail)


def _evaluated(
    ctx: Context, rule: Any, evaluate: Callable[[Context, Any], Any], known: set[str]
) -> tuple[Any, ...]:
    """A rule's outcome and the memo entries written since ``known`` (which then holds
    them), or its input error, or that it failed."""
    try:
        outcome = evaluate(ctx, rule)
        written = {key: value for key, value in ctx.memo.items() if key not in known}
        known.update(written)
        return ("ok", outcome, written)
    except CheckInputError as error:
        return ("input", error.element, error.field, error.message)
    except BaseException:
        return ("failed",)


def _send(pipe: IO[bytes], payload: tuple[Any, ...], tail: Tail | None) -> None:
    """One message: its length into the pipe, then the message itself, there or, with a
    tail, into the tail's data file (the engine reads it from where the last one ended)."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    if tail is not None:
        tail.data.write(data)
        tail.data.flush()
        pipe.write(_LENGTH.pack(len(data)))
    else:
        pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()


class Tail:
    """The engine's rules, in policy order (and after them what else the engine may leave
    to the child: the map's warnings), that a child may take once its own rule is
    evaluated: each is claimed once, by the engine from the start (``claim``) or by the
    child from the end (``take``), so the two meet wherever their work puts them. The
    claims live in memory the two processes share, under a lock the kernel drops when its
    holder ends (a child killed while claiming cannot stop the engine). The places of rules
    started apart are taken from the start."""

    def __init__(
        self, rules: Sequence[tuple[Any, Callable[[Context, Any], Any]]], apart: Sequence[int]
    ) -> None:
        self.rules = list(rules)
        self._claims = mmap.mmap(-1, max(1, len(self.rules)))  # shared once forked
        for place in apart:
            self._claims[place] = _APART
        #: what the child hands back, written here (the pipe carries each length): a pipe
        #: holds 64 KB, so a child writing an outcome into it would wait for the engine to
        #: reach that rule, with rules still to take. Its lock is the claims' lock. Open
        #: as long as the tail is (``close``), across the fork: no ``with`` can hold it.
        self.data = tempfile.TemporaryFile()  # noqa: SIM115
        self.read_to = 0  # the engine's place in ``data``

    def claim(self, place: int) -> bool:
        """The engine claims the rule at ``place``: False when the child has it."""
        with self._locked():
            held = self._claims[place]
            if held == _FREE:
                self._claims[place] = held = _ENGINE
        return held == _ENGINE

    def take(self) -> int | None:
        """The child takes the last free rule; None when none is left (the engine has
        claimed every rule before those the child holds)."""
        with self._locked():
            for place in range(len(self.rules) - 1, -1, -1):
                held = self._claims[place]
                if held == _ENGINE:
                    return None
                if held == _FREE:
                    self._claims[place] = _CHILD
                    return place
        return None

    @contextlib.contextmanager
    def _locked(self) -> Any:
        fcntl.lockf(self.data.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self.data.fileno(), fcntl.LOCK_UN)

    def close(self) -> None:
        self.data.close()
        self._claims.close()
