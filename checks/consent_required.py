"""Consent required: matched flows (marketing, off-site copies) rest on consent with a
record of how it was obtained, and, where asked, explicit consent.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import ConsentRequiredRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: ConsentRequiredRule) -> Outcome:
    outcome = Outcome()
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if flow.basis != "consent":
            outcome.fail(
                element,
                "not-consent",
                f"rests on '{flow.basis or 'no basis'}', but the promise is consent",
                ("basis",),
            )
            continue
        record = ctx.index.consent_records.get(flow.consent_record or "")
        if record is None:
            outcome.fail(
                element,
                "no-record",
                # the words of the lawful-basis rule's finding on the same fact: the merged
                # finding says it once
                "consent is the basis but no consent record shows how it was obtained",
                ("consent_record",),
                fact="consent-record-missing",
            )
        elif rule.explicit and not record.explicit:
            outcome.fail(
                element,
                "not-explicit",
                f"consent record '{record.id}' is not explicit consent",
                ("consent_record",),
            )
        elif record.purposes and flow.purpose not in record.purposes:
            outcome.fail(
                element,
                "purpose-not-consented",
                f"consent record '{record.id}' does not cover the purpose '{flow.purpose}'",
                ("consent_record",),
            )
    return outcome


CHECK = Check(ConsentRequiredRule, SUMMARY, evaluate)
