"""Declared only: flows carry only the categories and purposes the notice declares
(N-COLLECT, N-PURPOSE); an undeclared one is processing people were not told about.

Flows the organisation receives as another controller's processor are the controller's to
declare (Art. 13 is the controller's duty), so they are not judged against this notice.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import DeclaredOnlyRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: DeclaredOnlyRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    for flow in ctx.matching_flows(rule):
        if index.acts_as_processor(flow):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if rule.categories:
            for position, category in enumerate(flow.categories):
                if not index.categories[category].declared:
                    outcome.fail(
                        element,
                        "category",
                        f"carries '{category}', which the notice does not declare",
                        ("categories", position),
                    )
        if rule.purposes and not index.purposes[flow.purpose].declared:
            outcome.fail(
                element,
                "purpose",
                f"serves '{flow.purpose}', a purpose the notice does not declare",
                ("purpose",),
            )
    return outcome


CHECK = Check(DeclaredOnlyRule, SUMMARY, evaluate)
