"""Waiver: accepted risks stay on the record only while in date; a waiver past its expiry
no longer covers anything (its finding fails again) and is itself reported, one close to
expiry is flagged, and one that matches no finding is reported by the engine.
"""

from __future__ import annotations

from datetime import timedelta

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import WaiverRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: WaiverRule) -> Outcome:
    outcome = Outcome()
    horizon = ctx.as_of + timedelta(days=rule.warn_within_days)
    for waiver in ctx.index.data.waivers:
        element = ("waivers", waiver.id)
        outcome.evaluated.append(element)
        if waiver.expires_on < ctx.as_of:
            outcome.fail(
                element,
                "expired",
                f"waiver of {waiver.rule} on {waiver.element} expired on "
                f"{waiver.expires_on}; the finding it covered fails again",
                ("expires_on",),
            )
        elif waiver.approved_on > ctx.as_of:
            outcome.fail(
                element,
                "not-yet-approved",
                f"waiver is approved on {waiver.approved_on}, after the audit date",
                ("approved_on",),
            )
        elif waiver.expires_on <= horizon:
            outcome.fail(
                element, "expiring", f"waiver expires on {waiver.expires_on}", ("expires_on",)
            )
    return outcome


CHECK = Check[WaiverRule]("waiver", SUMMARY, evaluate)
