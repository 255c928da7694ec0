"""Categories allowed: flows to a kind of recipient carry only the categories the notice
allows for it (ISPs: name, address and IP addresses; MIS support: one business contact;
procurement: contact and billing). A parent category allows its children.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import CategoriesAllowedRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: CategoriesAllowedRule) -> Outcome:
    outcome = Outcome()
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        for position, category in enumerate(flow.categories):
            if not ctx.facts.taxonomy.covered(category, rule.allowed):
                outcome.fail(
                    element,
                    "not-allowed",
                    f"carries '{category}', which is not among the allowed "
                    f"{', '.join(rule.allowed)}",
                    ("categories", position),
                )
    return outcome


CHECK = Check(CategoriesAllowedRule, SUMMARY, evaluate)
