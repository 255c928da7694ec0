"""Forbidden: no matched flow or store may carry these categories, data subjects or
purposes (no pupil, student or parent data; nothing sold or used for advertising;
credentials never passed on).

A flow's ``may_carry`` (what it may carry without being meant to: free text in a ticket) is
judged too, with codes of its own (``may-subject``, ``may-category``) that a policy may rate
apart from what the flow is recorded to carry. A subject matches by id or by its shared
vocabulary key (fides_key).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, short, summary_of
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
    prefix: tuple[str, ...] = (),
    code_prefix: str = "",
    reason: str = "",
) -> None:
    """One finding for the forbidden categories and one for the forbidden subjects an element
    carries or holds: a list of forbidden subjects on one flow is one problem."""
    index = ctx.index
    bad_categories = [
        (position, category)
        for position, category in enumerate(categories)
        if rule.categories and ctx.facts.taxonomy.covered(category, rule.categories)
    ]
    if bad_categories:
        names = ", ".join(f"'{c}'" for _, c in bad_categories)
        plural = "ies" if len(bad_categories) > 1 else "y"
        outcome.fail(
            element,
            f"{code_prefix}category",
            f"{what} forbidden categor{plural} {names}{reason}",
            (*prefix, "categories", bad_categories[0][0]),
        )
    forbidden = set(rule.subjects)
    bad_subjects = [
        (position, subject)
        for position, subject in enumerate(subjects)
        if subject in forbidden
        or (subject in index.subjects and index.subjects[subject].fides_key in forbidden)
    ]
    if bad_subjects:
        names = ", ".join(
            short(index.subjects[s].name) if s in index.subjects else s for _, s in bad_subjects
        )
        outcome.fail(
            element,
            f"{code_prefix}subject",
            f"{what} data about {names}, which is forbidden{reason}",
            (*prefix, "subjects", bad_subjects[0][0]),
        )


def evaluate(ctx: Context, rule: ForbiddenRule) -> Outcome:
    outcome = Outcome()
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        _judge(ctx, rule, outcome, element, flow.categories, flow.subjects, "carries")
        may = flow.may_carry
        if may is not None:
            _judge(
                ctx,
                rule,
                outcome,
                element,
                may.categories,
                may.subjects,
                "may carry",
                ("may_carry",),
                "may-",
                f": {may.reason}" if may.reason else "",
            )
        if flow.purpose in rule.purposes:
            outcome.fail(
                element, "purpose", f"has the forbidden purpose '{flow.purpose}'", ("purpose",)
            )
    if rule.include_stores:
        for system in ctx.matching_systems(rule):
            element = ("systems", system.id)
            outcome.evaluated.append(element)
            _judge(ctx, rule, outcome, element, system.categories, system.subjects, "store holds")
    return outcome


CHECK = Check(ForbiddenRule, SUMMARY, evaluate)
