"""Categories allowed: flows to a kind of recipient carry only the categories the notice
allows for it (ISPs: name, address and IP addresses; MIS support: one business contact;
procurement: contact and billing). A parent category allows its children.

What a selected flow only may carry (``may_carry``: remote support on a school's MIS) is
judged too, as the forbidden check judges it: a risk to confirm (``may-not-allowed``), one
step below the rule's severity unless the policy rates it, one finding for the flows that
may carry it for one stated reason; such a flow is not listed as passed.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, MayRisks, Outcome, category_fact, summary_of
from flowaudit.policies.schema import CategoriesAllowedRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: CategoriesAllowedRule) -> Outcome:
    outcome = Outcome()
    covered = ctx.facts.taxonomy.covered
    # "the allowed online" read as garbled: the list named as what it is
    outside = f"which is not among the allowed categories ({', '.join(rule.allowed)})"
    risks = MayRisks()
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        for position, category in enumerate(flow.categories):
            if not covered(category, rule.allowed):
                outcome.fail(
                    element,
                    "not-allowed",
                    f"carries '{category}', {outside}",
                    ("categories", position),
                    fact=category_fact([category]),
                )
        may = flow.may_carry
        if may is not None and rule.judge_may_carry:
            for position, category in enumerate(may.categories):
                if not covered(category, rule.allowed):
                    risks.add(
                        flow,
                        "not-allowed",
                        MayRisks.words(
                            flow,
                            f"may carry '{category}', {outside}",
                        ),
                        ("may_carry", "categories", position),
                        category_fact([category], may=True),
                    )
    risks.report(outcome)
    return outcome


CHECK = Check(CategoriesAllowedRule, SUMMARY, evaluate)
