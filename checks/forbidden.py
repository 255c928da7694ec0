"""Forbidden: no matched flow or store may carry these categories, data subjects or
purposes (no pupil, student or parent data; nothing sold or used for advertising;
credentials never passed on).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.loader import ElementRef
from flowaudit.policies.schema import ForbiddenRule

SUMMARY = summary_of(__doc__)


def _judge(
    ctx: Context,
    rule: ForbiddenRule,
    outcome: Outcome,
    element: ElementRef,
    categories: list[str],
    subjects: list[str],
    what: str,
) -> None:
    """Report every forbidden category and subject an element carries or holds."""
    outcome.evaluated.append(element)
    for position, category in enumerate(categories):
        if rule.categories and ctx.index.category_covered(category, rule.categories):
            outcome.fail(
                element,
                "category",
                f"{what} forbidden category '{category}'",
                ("categories", position),
            )
    for position, subject in enumerate(subjects):
        if subject in rule.subjects:
            outcome.fail(
                element,
                "subject",
                f"{what} data about forbidden subjects '{subject}'",
                ("subjects", position),
            )


def evaluate(ctx: Context, rule: ForbiddenRule) -> Outcome:
    outcome = Outcome()
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        _judge(ctx, rule, outcome, element, flow.categories, flow.subjects, "carries")
        if flow.purpose in rule.purposes:
            outcome.fail(
                element, "purpose", f"has the forbidden purpose '{flow.purpose}'", ("purpose",)
            )
    if rule.include_stores:
        for system in ctx.matching_systems(rule):
            _judge(
                ctx,
                rule,
                outcome,
                ("systems", system.id),
                system.categories,
                system.subjects,
                "store holds",
            )
    return outcome


CHECK = Check[ForbiddenRule]("forbidden", SUMMARY, evaluate)
