"""Rights: where the map records how the organisation answers rights requests and
complaints, the facts meet the law (a subject access request within one month; a complaints
procedure from the date the Data (Use and Access) Act requires one).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import RightsRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: RightsRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    if organisation.dsar_days is not None and organisation.dsar_days > rule.max_dsar_days:
        outcome.fail(
            element,
            "dsar-too-slow",
            f"answers subject access requests in {organisation.dsar_days} days, "
            f"more than the {rule.max_dsar_days} allowed",
            ("dsar_days",),
        )
    required = rule.complaints_required_from
    if required is not None and ctx.as_of >= required and not organisation.complaints_procedure:
        state = "not recorded" if organisation.complaints_procedure is None else "missing"
        outcome.fail(
            element,
            "no-complaints-procedure",
            f"a complaints procedure is required from {required}; it is {state}",
            ("complaints_procedure",),
        )
    return outcome


CHECK = Check[RightsRule]("rights", SUMMARY, evaluate)
