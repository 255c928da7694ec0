"""One finding per problem that several flows share, on the first of them in map order.

Some gaps are one fact however many flows show them: an Art. 26 arrangement is made per joint
purpose (review s16, problem 1), a legitimate interests assessment weighs a purpose (DPO review
s17, problem 2), a customer's permission names who receives the data for a purpose (N-SHARE),
an agreement's status and dates are the agreement's, whichever flow links it (DPO review s18,
problem 3), and what several flows may carry for one stated reason is one risk to confirm
wherever the data goes (``MayRisks`` in checks/base.py: tickets, then the servers that host
them). A finding per flow would be several findings answered by one fix. Each of those
rules gathers its gaps per problem, in map order, and reports them here, so that all of them
anchor, name and identify a grouped finding the same way:

- the finding stands on the group's first flow in map order, at that flow's field;
- a group of several flows names them all in its message (``listed``: at most twenty, then a
  count) and lists them in ``flows``, so the reports count the finding on each;
- its ``problem`` (what the gate matches across runs) is the message as one flow alone would
  read it: a flow joining or leaving the group is no new finding in the gate;
- the other flows are judged there, not passed: they leave the rule's evaluated elements,
  unless a caller keeps those with a finding of their own (``keep_own_hits``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from flowaudit.checks.base import Outcome, listed

K = TypeVar("K")
T = TypeVar("T")


class Said(NamedTuple):
    """What one group's finding says, worked out from its key and its first flow's entry."""

    code: str
    text: str
    """The problem in words, the same whichever flows join the group: after ``heading``, the
    finding's ``problem``, and its whole message where the group is one flow."""
    field: tuple[str | int, ...] = ()
    """Where on the first flow the finding is located."""
    heading: str = ""
    """What heads both the message and the problem (who sends to whom, ``"A to B: "``), kept
    apart from ``text`` so that naming the flows never reads into the parties' names."""
    fact: str | tuple[str, ...] | None = None
    """As ``Outcome.fail`` takes it: the problem's name across rules."""
    problem_heading: str | None = None
    """What heads the problem instead of ``heading``, where the heading names what a change
    may rename without touching the problem (the parties by their ids, not their names: a
    party's name filled in made an agreement's standing finding new and gone at once)."""


def fail_per_group(
    outcome: Outcome,
    groups: Mapping[K, Sequence[T]],
    flow_of: Callable[[T], str],
    said: Callable[[K, T], Said],
    naming: Callable[[K, str, str], str],
    *,
    keep_own_hits: bool = False,
) -> None:
    """Fail ``outcome`` once per group of ``groups`` (key -> the entries of its flows, in map
    order; a dict keeps its groups in the order their first flow came), as the module says.

    ``flow_of`` reads an entry's flow id (``str`` where the entries are the ids); ``said``
    words the finding from the group's key and first entry; ``naming(key, text, flows)``
    rewrites ``text`` to name the group's flows (``flows``: the ids as ``listed`` gives them),
    and is asked only where the group has more than one flow. ``keep_own_hits``: a flow that
    the group covers but that has already failed this rule stays among the evaluated elements
    (an agreement's standing: the flow's other problems are judged on it; a may-carry risk)."""
    covered = {("flows", flow_of(entry)) for entries in groups.values() for entry in entries[1:]}
    covered -= {("flows", flow_of(entries[0])) for entries in groups.values()}
    if covered and keep_own_hits:
        covered -= {hit[0] for hit in outcome.hits}
    if covered:
        outcome.evaluated[:] = [e for e in outcome.evaluated if e not in covered]
    for key, entries in groups.items():
        first = entries[0]
        words = said(key, first)
        flows = tuple(dict.fromkeys(flow_of(entry) for entry in entries))
        text = words.text
        if len(flows) > 1:
            text = naming(key, text, listed(flows))
        outcome.fail(
            ("flows", flow_of(first)),
            words.code,
            words.heading + text,
            words.field,
            fact=words.fact,
            # the problem across runs is the group's, not which flows it has
            problem=(words.heading if words.problem_heading is None else words.problem_heading)
            + words.text,
            flows=flows if len(flows) > 1 else (),
        )
