"""Encryption: stores are encrypted at rest and flows in transit; a value that is not
recorded counts as not shown (N-ENCRYPT, Art. 32).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import EncryptionRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: EncryptionRule) -> Outcome:
    outcome = Outcome()
    if rule.in_transit:
        for flow in ctx.matching_flows(rule):
            element = ("flows", flow.id)
            outcome.evaluated.append(element)
            if flow.encrypted_in_transit is None:
                outcome.fail(element, "transit-unknown", "encryption in transit is not recorded")
            elif not flow.encrypted_in_transit:
                outcome.fail(
                    element,
                    "transit-plain",
                    "sent without encryption in transit",
                    ("encrypted_in_transit",),
                )
    if rule.at_rest:
        for system in ctx.matching_systems(rule):
            element = ("systems", system.id)
            outcome.evaluated.append(element)
            if system.encrypted_at_rest is None:
                outcome.fail(element, "rest-unknown", "encryption at rest is not recorded")
            elif not system.encrypted_at_rest:
                outcome.fail(
                    element,
                    "rest-plain",
                    "stored without encryption at rest",
                    ("encrypted_at_rest",),
                )
    return outcome


CHECK = Check(EncryptionRule, SUMMARY, evaluate)
