"""Onward: data the organisation sends out is followed through every chain of flows that
carries it on (A -> B -> C, the categories narrowing hop by hop). A chain that reaches a
third country without a lawful transfer, or a forbidden kind of recipient, is reported on
the organisation's own flow, with the whole path and the country of each hop.
"""

from __future__ import annotations

from collections import deque

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.checks.transfer import TransferProblem, judge_transfer
from flowaudit.model.schema import Flow
from flowaudit.policies.schema import OnwardRule

SUMMARY = summary_of(__doc__)


def _overlap(ctx: Context, carried: tuple[str, ...], offered: list[str]) -> tuple[str, ...]:
    """The categories of ``offered`` that are, or are within, or contain, what is carried."""
    covered = ctx.index.category_covered
    return tuple(
        sorted(
            {
                (c if covered(c, [o]) else o)
                for c in carried
                for o in offered
                if covered(c, [o]) or covered(o, [c])
            }
        )
    )


def _describe(ctx: Context, hops: list[Flow]) -> str:
    nodes = ctx.index.nodes
    steps = [f"{hops[0].source} ({nodes[hops[0].source].country})"]
    steps += [f"{flow.target} ({nodes[flow.target].country})" for flow in hops]
    return " -> ".join(steps)


def evaluate(ctx: Context, rule: OnwardRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    organisation = index.organisation.id
    judged: dict[str, list[TransferProblem] | None] = {}  # per onward flow: starts share hops
    for start in ctx.matching_flows(rule):
        if ctx.direction(start) != "outbound":
            continue
        element = ("flows", start.id)
        outcome.evaluated.append(element)
        if not index.flows_leaving(start.target):
            continue  # the recipient passes nothing on

        reported: set[str] = set()
        queue: deque[tuple[list[Flow], tuple[str, ...]]] = deque(
            [([start], tuple(start.categories))]
        )
        visited = {start.source, start.target}
        while queue:
            hops, carried = queue.popleft()
            if len(hops) >= rule.max_hops:
                continue
            for onward in index.flows_leaving(hops[-1].target):  # sorted by id
                if onward.target in visited or index.party_of(onward.target) == organisation:
                    continue
                narrowed = _overlap(ctx, carried, onward.categories)
                if not narrowed:
                    continue
                visited.add(onward.target)
                path = [*hops, onward]
                node_path = (start.source, *(f.target for f in path))
                recipient = index.nodes[index.party_of(onward.target)]
                if recipient.kind in rule.forbidden_recipient_kinds and onward.id not in reported:
                    reported.add(onward.id)
                    outcome.fail(
                        element,
                        "forbidden-recipient",
                        f"{', '.join(narrowed)} reaches {recipient.name}, a forbidden "
                        f"{recipient.kind} recipient: {_describe(ctx, path)}",
                        path=node_path,
                    )
                if onward.id in judged:
                    problems = judged[onward.id]
                else:
                    problems = judged[onward.id] = judge_transfer(ctx, onward)
                if problems and onward.id not in reported:
                    reported.add(onward.id)
                    outcome.fail(
                        element,
                        "third-country",
                        f"{', '.join(narrowed)} reaches "
                        f"{index.nodes[onward.target].country} through {_describe(ctx, path)}; hop "
                        f"'{onward.id}': {problems[0].message}",
                        path=node_path,
                        unconfirmed=problems[0].unconfirmed,
                    )
                queue.append((path, narrowed))
    return outcome


CHECK = Check[OnwardRule]("onward", SUMMARY, evaluate)
