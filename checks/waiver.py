"""Waiver: accepted risks stay on the record only while in date; a waiver past its expiry
no longer covers anything (its finding fails again) and is itself reported, one close to
expiry is flagged, one approved after the audit date or running longer than the maximum
after its approval (``max_months``, default 12) is reported, and one that matches no finding
is reported by the engine.

A blank owner or justification never gets this far: the map's schema refuses it (exit 2).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import WaiverRule

SUMMARY = summary_of(__doc__)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    if year > date.max.year:
        return date.max
    month = month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def evaluate(ctx: Context, rule: WaiverRule) -> Outcome:
    outcome = Outcome()
    horizon = ctx.as_of + timedelta(days=rule.warn_within_days)
    for waiver in ctx.index.data.waivers:
        element = ("waivers", waiver.id)
        outcome.evaluated.append(element)
        latest = add_months(waiver.approved_on, rule.max_months)
        if waiver.expires_on > latest:
            outcome.fail(
                element,
                "too-long",
                f"waiver runs to {waiver.expires_on}, more than {rule.max_months} months after "
                f"its approval on {waiver.approved_on} (latest {latest})",
                ("expires_on",),
            )
        if waiver.expires_on < waiver.approved_on:
            outcome.fail(
                element,
                "expires-before-approval",
                f"waiver expires on {waiver.expires_on}, before its approval on "
                f"{waiver.approved_on}",
                ("expires_on",),
            )
        elif waiver.expires_on < ctx.as_of:
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
                f"waiver is approved on {waiver.approved_on}, after the audit date; it "
                "covers nothing until then",
                ("approved_on",),
            )
        elif waiver.expires_on <= horizon:
            outcome.fail(
                element, "expiring", f"waiver expires on {waiver.expires_on}", ("expires_on",)
            )
    return outcome


CHECK = Check(WaiverRule, SUMMARY, evaluate)
