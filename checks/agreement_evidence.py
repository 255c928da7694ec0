"""Agreement evidence: an agreement recorded ``status: signed`` names the day it was signed
and a reference to the signed document (``evidence``), so the claim can be checked. Without
either, "signed" is only a word in the map, and every flow it covers would pass on it.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, is_blank, summary_of
from flowaudit.model.schema import AgreementStatus
from flowaudit.policies.schema import AgreementEvidenceRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: AgreementEvidenceRule) -> Outcome:
    outcome = Outcome()
    for agreement in ctx.index.data.agreements:
        if agreement.status is not AgreementStatus.SIGNED:
            continue
        element = ("agreements", agreement.id)
        outcome.evaluated.append(element)
        if agreement.signed_on is None:
            outcome.fail(
                element,
                "no-signing-date",
                f"agreement '{agreement.id}' is recorded as signed but not when (signed_on)",
                ("status",),
            )
        if is_blank(agreement.evidence):
            outcome.fail(
                element,
                "no-evidence",
                f"agreement '{agreement.id}' is recorded as signed with no reference to the "
                "signed document (evidence)",
                ("evidence",) if agreement.evidence is not None else ("status",),
            )
    return outcome


CHECK = Check(AgreementEvidenceRule, SUMMARY, evaluate)
