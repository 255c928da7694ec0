"""Forbidden: no matched flow or store may carry these categories, data subjects or
purposes (no pupil, student or parent data; nothing sold or used for advertising;
credentials never passed on).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import ForbiddenRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: ForbiddenRule) -> Outcome:
    outcome = Outcome()
    covered = ctx.index.category_covered
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        for position, category in enumerate(flow.categories):
            if rule.categories and covered(category, rule.categories):
                outcome.fail(
                    element,
                    "category",
                    f"carries forbidden category '{category}'",
                    ("categories", position),
                )
        for position, subject in enumerate(flow.subjects):
            if subject in rule.subjects:
                outcome.fail(
                    element,
                    "subject",
                    f"carries data about forbidden subjects '{subject}'",
                    ("subjects", position),
                )
        if flow.purpose in rule.purposes:
            outcome.fail(
                element, "purpose", f"has the forbidden purpose '{flow.purpose}'", ("purpose",)
            )
    if not rule.include_stores:
        return outcome
    for system in ctx.matching_systems(rule):
        element = ("systems", system.id)
        outcome.evaluated.append(element)
        for position, category in enumerate(system.categories):
            if rule.categories and covered(category, rule.categories):
                outcome.fail(
                    element,
                    "category",
                    f"store holds forbidden category '{category}'",
                    ("categories", position),
                )
        for position, subject in enumerate(system.subjects):
            if subject in rule.subjects:
                outcome.fail(
                    element,
                    "subject",
                    f"store holds data about forbidden subjects '{subject}'",
                    ("subjects", position),
                )
    return outcome


CHECK = Check[ForbiddenRule]("forbidden", SUMMARY, evaluate)
