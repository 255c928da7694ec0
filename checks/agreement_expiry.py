"""Agreement expiry: a signed agreement that expires within ``within_days`` of the audit
date is flagged, so it is renewed before the flows it covers lose their footing (a reminder:
it is still in force, and the shipped rule grades it info); one that has expired already and
that no flow links is flagged as expired, never listed as renewed in time.

An expired agreement that a flow still links is judged on that flow, by the agreement and
transfer rules (their ``expired`` findings): one problem, one finding, so the expiry rule
neither passes it nor reports it a second time on the agreement.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.checks.facts import expired, expiring
from flowaudit.model.schema import AgreementStatus
from flowaudit.policies.schema import AgreementExpiryRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: AgreementExpiryRule) -> Outcome:
    outcome = Outcome()
    as_of = ctx.as_of
    linked: set[str] | None = None  # the agreements flows link, found once if needed
    for agreement in ctx.index.data.agreements:
        if agreement.status is not AgreementStatus.SIGNED or agreement.expires_on is None:
            continue
        element = ("agreements", agreement.id)
        if expired(agreement, as_of):
            if linked is None:
                flows = ctx.index.data.flows
                linked = {f.agreement for f in flows if f.agreement} | {
                    f.transfer_agreement for f in flows if f.transfer_agreement
                }
            if agreement.id in linked:
                continue  # the flows that still rely on it report it
            outcome.evaluated.append(element)
            days = (as_of - agreement.expires_on).days
            outcome.fail(
                element,
                "expired",
                f"expired on {agreement.expires_on}, {days:,} day{'s' if days != 1 else ''} "
                f"before {as_of}, and was not "
                "renewed; no flow links it: if the processing it covered goes on, renew it and "
                "link it from those flows; if it has ended, remove the agreement from the map",
                ("expires_on",),
            )
            continue
        outcome.evaluated.append(element)
        if expiring(agreement, as_of, rule.within_days):
            days = (agreement.expires_on - as_of).days
            outcome.fail(
                element,
                "expiring",
                f"expires on {agreement.expires_on}, {_in_days(days)}",
                ("expires_on",),
            )
    return outcome


def _in_days(days: int) -> str:
    """How far off an expiry on or after the audit date is: "today" (not "in 0 days": DPO
    review 2026-12-02i, problem 7), "in 1 day", "in 12 days"."""
    if days == 0:
        return "today, its last day in force"
    return f"in {days:,} day{'s' if days != 1 else ''}"


CHECK = Check(AgreementExpiryRule, SUMMARY, evaluate)
