"""Fields required: matched flows record the named fields, such as the notice clause that
declares them or the customer's permission for third-party sharing (N-SHARE).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import FieldsRequiredRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: FieldsRequiredRule) -> Outcome:
    outcome = Outcome()
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        for name in rule.fields:
            if getattr(flow, name, None) in (None, "", []):
                outcome.fail(
                    element,
                    f"no-{name.replace('_', '-')}",
                    f"{ctx.parties(facts)}: {rule.message or f'{name!r} is not recorded'}",
                    fact=rule.fact,
                )
    return outcome


CHECK = Check(FieldsRequiredRule, SUMMARY, evaluate)
