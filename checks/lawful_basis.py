"""Lawful basis: every flow names an Art. 6(1) basis from the closed list in the legal table,
in force for the regime on the audit date; consent needs a consent record, legitimate
interests an assessment on file. Words that are not a basis ("billing") are named as such.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import LawfulBasisRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: LawfulBasisRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    legal = ctx.legal
    regime = index.organisation.regime.value
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        where = ("basis",)
        if flow.basis is None:
            outcome.fail(element, "missing", "no Art. 6 lawful basis is named", where)
            continue
        not_basis = legal.not_bases.get(flow.basis)
        if not_basis is not None:
            outcome.fail(element, "not-a-basis", f"{not_basis.why}; {not_basis.fix}", where)
            continue
        basis = legal.lawful_bases.get(flow.basis)
        if basis is None:
            known = ", ".join(legal.lawful_bases)
            outcome.fail(
                element,
                "unknown",
                f"'{flow.basis}' is not an Art. 6(1) basis; the closed list is: {known}",
                where,
            )
            continue
        if regime not in basis.regimes or not basis.in_force(ctx.as_of):
            since = f" (from {basis.valid_from})" if basis.valid_from else ""
            outcome.fail(
                element,
                "not-available",
                f"{basis.name} is not available to a {regime} controller on {ctx.as_of}{since}",
                where,
            )
        if basis.requires_consent_record and flow.consent_record is None:
            outcome.fail(
                element,
                "no-consent-record",
                "consent is the basis but no consent record shows how it was obtained",
                ("consent_record",),
            )
        if basis.requires_assessment is not None:
            linked = [index.assessments[a] for a in flow.assessment_ids if a in index.assessments]
            if not any(a.kind.value == basis.requires_assessment for a in linked):
                outcome.fail(
                    element,
                    "no-assessment",
                    f"{basis.name} needs a {basis.requires_assessment.replace('_', ' ')} "
                    "assessment on file; none is linked",
                    ("assessment",),
                )
    return outcome


CHECK = Check[LawfulBasisRule]("lawful_basis", SUMMARY, evaluate)
