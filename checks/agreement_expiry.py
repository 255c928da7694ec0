"""Agreement expiry: a signed agreement that expires within ``within_days`` of the audit
date is flagged, so it is renewed before the flows it covers lose their footing.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.checks.facts import expiring
from flowaudit.model.schema import AgreementStatus
from flowaudit.policies.schema import AgreementExpiryRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: AgreementExpiryRule) -> Outcome:
    outcome = Outcome()
    for agreement in ctx.index.data.agreements:
        if agreement.status is not AgreementStatus.SIGNED or agreement.expires_on is None:
            continue
        element = ("agreements", agreement.id)
        outcome.evaluated.append(element)
        if expiring(agreement, ctx.as_of, rule.within_days):
            days = (agreement.expires_on - ctx.as_of).days
            outcome.fail(
                element,
                "expiring",
                f"expires on {agreement.expires_on}, in {days} days",
                ("expires_on",),
            )
    return outcome


CHECK = Check(AgreementExpiryRule, SUMMARY, evaluate)
