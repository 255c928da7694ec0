"""Lawful basis: every flow names an Art. 6(1) basis from the closed list in the legal table,
in force for the regime on the audit date; consent needs a consent record, legitimate
interests an assessment on file. Words that are not a basis ("billing") are named as such.

Contract (Art. 6(1)(b)) is open only where the data subjects are party to the contract (or ask
for one): the map says so per subject (``party_to_contract``); staff of a corporate or school
customer are not, and their data rests on legitimate interests with an assessment. Flows the
organisation receives as another controller's processor are not judged here: a processor acts on
the controller's instructions and the controller's basis (Art. 28(3)(a), 29).
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
        if index.acts_as_processor(flow):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        where = ("basis",)
        if flow.basis is None:
            outcome.fail(
                element, "missing", "no Art. 6 lawful basis is named", where, fact="basis-missing"
            )
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
                fact="consent-record-missing",
            )
        if basis.requires_party_to_contract:
            outsiders = [
                index.subjects[s]
                for s in flow.subjects
                if s in index.subjects and index.subjects[s].party_to_contract is not True
            ]
            if outsiders:
                names = ", ".join(
                    subject.name
                    + (" (not recorded as party)" if subject.party_to_contract is None else "")
                    for subject in outsiders
                )
                outcome.fail(
                    element,
                    "contract-not-party",
                    f"contract is no basis for {names}: not party to the contract (Art. "
                    "6(1)(b)); use legitimate interests (Art. 6(1)(f)) with an assessment",
                    where,
                )
        if basis.requires_assessment is not None:
            assessment = index.assessments.get(flow.assessment or "")
            if assessment is None or assessment.kind.value != basis.requires_assessment:
                outcome.fail(
                    element,
                    "no-assessment",
                    f"{basis.name} needs a {basis.requires_assessment.replace('_', ' ')} "
                    "assessment on file; none is linked",
                    ("assessment",),
                )
    return outcome


CHECK = Check[LawfulBasisRule]("lawful_basis", SUMMARY, evaluate)
