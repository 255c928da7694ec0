"""Condition: matched flows satisfy a CEL expression (Common Expression Language, a
non-Turing-complete language built for policies: never Python, nothing executed but the
expression) over ``flow``, ``source``, ``recipient`` and ``organisation``. For promises no
other rule kind states, such as "procurement suppliers are on the approved list".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.graph import Node
from flowaudit.policies.schema import ConditionRule

SUMMARY = summary_of(__doc__)


@lru_cache(maxsize=256)
def _program(expression: str) -> Any:
    import cel  # imported on first use: its package pulls in a REPL (prompt_toolkit), 0.1 s

    return cel.compile(expression)


def _node(ctx: Context, node: Node) -> dict[str, Any]:
    party = ctx.index.parties.get(node.party_id)
    return {
        "id": node.id,
        "name": node.name,
        "kind": ctx.index.nodes[node.party_id].kind,
        "country": node.country,
        "is_system": node.is_system,
        "placeholder": node.placeholder,
        "role": party.role.value if party is not None and party.role else None,
        "approved_supplier": party.approved_supplier if party is not None else None,
        "listed_under": list(party.listed_under) if party is not None else [],
    }


def evaluate(ctx: Context, rule: ConditionRule) -> Outcome:
    outcome = Outcome()
    program = _program(rule.expression)
    organisation = ctx.index.organisation.model_dump(mode="json")
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        variables = {
            "flow": flow.model_dump(mode="json", by_alias=True),
            "source": _node(ctx, ctx.index.nodes[flow.source]),
            "recipient": _node(ctx, ctx.index.nodes[flow.target]),
            "organisation": organisation,
        }
        try:
            verdict = program.execute(variables)
        except Exception as error:  # the CEL runtime raises plain Python errors
            outcome.fail(element, "error", f"the rule's expression failed on this flow: {error}")
            continue
        if verdict is not True:
            code = "false" if verdict is False else "not-boolean"
            outcome.fail(element, code, rule.message, fact=rule.fact)
    return outcome


CHECK = Check[ConditionRule]("condition", SUMMARY, evaluate)
