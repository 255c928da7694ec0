"""Criminal offence data: flows carrying data about criminal convictions or offences (a DBS
check, for instance) name an Art. 10 condition from the legal table that is available to the
regime (in the UK, DPA 2018 Sch. 1), and the organisation keeps the appropriate policy
document the condition needs; a condition that is the person's consent is shown by a consent
record (Art. 7(1)) whose own facts do not show the consent invalid.
"""

from __future__ import annotations

from collections.abc import Sequence

from flowaudit.checks.base import (
    CONSENT_NOT_VALID,
    Check,
    Context,
    Outcome,
    a_or_an,
    consent_not_valid,
    missing_policy_document,
    summary_of,
    unmarked_categories,
)
from flowaudit.policies.schema import CriminalOffenceRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: CriminalOffenceRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    legal = ctx.legal
    criminal = [c.id for c in index.data.categories if c.criminal_offence]
    if not criminal:
        return outcome
    organisation = index.organisation
    regime = organisation.regime.value  # duties follow the organisation's own law
    for flow in ctx.matching_flows(rule):
        carried = [c for c in flow.categories if ctx.facts.taxonomy.covered(c, criminal)]
        if not carried:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        where = ("art10_condition",)
        if flow.art10_condition is None:
            outcome.fail(
                element,
                "no-condition",
                f"{', '.join(carried)} is criminal offence data: name an Art. 10 condition",
                where,
            )
            continue
        condition = legal.art10_conditions.get(flow.art10_condition)
        if condition is None or regime not in condition.regimes:
            known = ", ".join(c.id for c in legal.art10_conditions.values() if regime in c.regimes)
            outcome.fail(
                element,
                "unknown-condition",
                f"'{flow.art10_condition}' is not an Art. 10 condition for "
                f"{a_or_an(regime)} {regime} controller; known: {known}",
                where,
            )
            continue
        if condition.requires_consent_record:
            record = index.consent_records.get(flow.consent_record or "")
            if record is None:
                outcome.fail(
                    element,
                    "no-consent-record",
                    f"{condition.name} needs a consent record showing that the person gave it "
                    "(UK GDPR Art. 7(1)); none is linked",
                    ("consent_record",),
                )
            else:
                invalid = consent_not_valid(legal, record)
                if invalid is not None:
                    # the lawful basis's finding on the same record, if the flow rests on
                    # consent, is the same problem: one finding citing both rules
                    outcome.fail(
                        element,
                        CONSENT_NOT_VALID,
                        f"{condition.name} needs consent the person gave; {invalid}",
                        ("consent_record",),
                        fact=CONSENT_NOT_VALID,
                    )
        missing = missing_policy_document(ctx, condition)
        if missing is not None:
            outcome.fail(element, "no-policy-document", missing, where)
    return outcome


def _warn(ctx: Context, rules: Sequence[CriminalOffenceRule]) -> list[str]:
    """Categories that read as criminal offence data but are not marked (checks/base.py)."""
    return unmarked_categories(ctx, criminal=True)


CHECK = Check(CriminalOffenceRule, SUMMARY, evaluate, warn=_warn)
