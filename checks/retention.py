"""Retention: matched stores record how long they keep data, at most ``max_days`` where a
limit is set, and why (call recordings: 30 days, N-PHONE; every store: Art. 5(1)(e)).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import RetentionRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: RetentionRule) -> Outcome:
    outcome = Outcome()
    holdings = ctx.facts.holdings
    for system in ctx.matching_systems(rule):
        if rule.max_days is None and not holdings[system.id].categories:
            continue  # no personal data recorded in or moved through it: nothing to keep
        element = ("systems", system.id)
        outcome.evaluated.append(element)
        # a period taken on the provider's word (assumed: retention_days): a finding on it
        # says so, and a pass is listed as resting on it (DPO review s17, problem 3)
        why = system.assumed.get("retention_days")
        said = f" (retention assumed, to be verified: {why})" if why is not None else ""
        if system.retention_days is None:
            limit = (
                f"at most {rule.max_days:,} days is promised"
                if rule.max_days is not None
                else "personal data may be kept no longer than necessary (Art. 5(1)(e))"
            )
            outcome.fail(element, "not-recorded", f"retention is not recorded; {limit}")
            continue
        if rule.max_days is not None and system.retention_days > rule.max_days:
            outcome.fail(
                element,
                "too-long",
                f"keeps data {system.retention_days:,} days, more than {rule.max_days:,}{said}",
                ("retention_days",),
            )
        if rule.require_justification and not system.retention_justification:
            outcome.fail(
                element,
                "no-justification",
                "the retention period is not justified",
                ("retention_days",),
            )
        if why is not None:  # read on a pass only: a failed element lists no pass
            outcome.assumed[element] = (
                f"{system.id} retention_days {system.retention_days:,} ({why})",
            )
    return outcome


CHECK = Check(RetentionRule, SUMMARY, evaluate)
