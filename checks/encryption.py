"""Encryption: stores are encrypted at rest and flows in transit; a value that is not
recorded counts as not shown (N-ENCRYPT, Art. 32).

A flow the organisation receives (inbound) travels on its sender's channel, which the sender
secures: its findings carry codes of their own (``inbound-transit-unknown``,
``inbound-transit-plain``) that a policy may rate apart.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import EncryptionRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: EncryptionRule) -> Outcome:
    outcome = Outcome()
    if rule.in_transit:
        for facts in ctx.matching_facts(rule):
            flow = facts.flow
            element = ("flows", flow.id)
            outcome.evaluated.append(element)
            # data the organisation receives travels on the sender's channel: its own codes,
            # so a policy can rate them apart (code_severity) from what it sends itself
            inbound = facts.direction == "inbound"
            prefix, what = ("inbound-", "of the data it receives ") if inbound else ("", "")
            if flow.encrypted_in_transit is None:
                outcome.fail(
                    element,
                    f"{prefix}transit-unknown",
                    f"encryption in transit {what}is not recorded",
                )
            elif not flow.encrypted_in_transit:
                outcome.fail(
                    element,
                    f"{prefix}transit-plain",
                    "received without encryption in transit"
                    if inbound
                    else "sent without encryption in transit",
                    ("encrypted_in_transit",),
                )
    if rule.at_rest:
        for system in ctx.matching_systems(rule):
            element = ("systems", system.id)
            outcome.evaluated.append(element)
            # encryption taken on the provider's word (assumed: encrypted_at_rest): a finding
            # on it says so, a pass is listed as resting on it (DPO review s17, problem 3)
            why = system.assumed.get("encrypted_at_rest")
            if system.encrypted_at_rest is None:
                outcome.fail(element, "rest-unknown", "encryption at rest is not recorded")
            elif not system.encrypted_at_rest:
                outcome.fail(
                    element,
                    "rest-plain",
                    "stored without encryption at rest"
                    + (f" (assumed, to be verified: {why})" if why is not None else ""),
                    ("encrypted_at_rest",),
                )
            elif why is not None:
                outcome.assumed[element] = (f"{system.id} encrypted_at_rest true ({why})",)
    return outcome


CHECK = Check(EncryptionRule, SUMMARY, evaluate)
