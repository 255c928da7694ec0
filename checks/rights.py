"""Rights: where the map records how the organisation answers rights requests and
complaints, the facts meet the law (a subject access request within one month; a complaints
procedure where the legal table says the organisation's regime requires one: from
2026-06-19 for UK controllers (DUAA 2025 s.103), never for an EU or Swiss one).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, short, summary_of
from flowaudit.policies.schema import RightsRule

SUMMARY = summary_of(__doc__)

#: Days in the longest calendar month: an answer slower than this misses the one month of
#: Art. 12(3) for every request, not only one made in a short month (DPO review g, 7).
LONGEST_MONTH = 31


def evaluate(ctx: Context, rule: RightsRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    days = organisation.dsar_days
    if days is not None and days > LONGEST_MONTH and days > rule.max_dsar_days:
        outcome.fail(
            element,
            "dsar-always-late",
            f"answers subject access requests in {days} days: late whatever the month a "
            "request is made in (one month, Art. 12(3); two more months only for complex or "
            "numerous requests, with the person told within the first month)",
            ("dsar_days",),
        )
    elif days is not None and days > rule.max_dsar_days:
        limit = (
            f"more than {rule.max_dsar_days} days, {rule.max_dsar_days_why}"
            if rule.max_dsar_days_why
            else f"more than the {rule.max_dsar_days} days this rule allows"
        )
        outcome.fail(
            element,
            "dsar-too-slow",
            f"answers subject access requests in {organisation.dsar_days} days, {limit}",
            ("dsar_days",),
        )
    regime = organisation.regime.value
    duty = ctx.legal.duty_applies("complaints_procedure", regime, ctx.as_of)
    if rule.complaints_procedure and duty is not None and not organisation.complaints_procedure:
        state = "not recorded" if organisation.complaints_procedure is None else "missing"
        outcome.fail(
            element,
            "no-complaints-procedure",
            f"{short(organisation.name)} ({regime} controller): from {duty.valid_from} the law "
            f"requires a {duty.name[0].lower()}{duty.name[1:]} ({duty.source}); it is {state}",
            ("complaints_procedure",),
        )
    return outcome


CHECK = Check(RightsRule, SUMMARY, evaluate, duties=("complaints_procedure",))
