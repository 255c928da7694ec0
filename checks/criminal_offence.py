"""Criminal offence data: flows carrying data about criminal convictions or offences (a DBS
check, for instance) name an Art. 10 condition from the legal table that is available to the
regime (in the UK, DPA 2018 Sch. 1), and the organisation keeps the appropriate policy
document the condition needs; a condition that is the person's consent is shown by a consent
record (Art. 7(1)) whose own facts do not show the consent invalid.

A flow that only may carry criminal offence data (a parent of a criminal-offence category,
``recruitment`` above ``recruitment.convictions``, or one its ``may_carry`` names) and records
no condition is a risk to confirm (``may-no-condition``, a step below the rule), as the
special-category check judges it: one finding per flow, joined with another rule's risk given
for the same reason.


Where the organisation processes the data as another controller's processor (received
with recipient role processor, or moved only for that controller, for its purpose) the
Art. 10 condition is the controller's to hold, as the Art. 6 basis is (Art. 28(3)(a), 29):
the flow is left unjudged with a note saying so, never passed (review s16, problem 2).

Likewise a hop the organisation's own processor makes for it (to its sub-processor or
into its own store, naming no basis and no condition, for a purpose and with data the
organisation's own flows have): it acts on the organisation's instructions, so it rests
on the Art. 10 condition the organisation's own flow names, judged on that flow, as the
lawful-basis rule reads the same hops (lawyer review s20, problem 1)."""

from __future__ import annotations

from collections.abc import Sequence

from flowaudit.checks.base import (
    CONSENT_NOT_VALID,
    CONSENT_PURPOSE,
    CONTROLLERS_CONDITION,
    OUR_CONDITION,
    PURPOSE_NOT_CONSENTED,
    Check,
    Context,
    Outcome,
    a_or_an,
    carried_words,
    consent_not_valid,
    controllers_to_hold,
    fail_without_condition,
    missing_policy_document,
    our_purpose_categories,
    purpose_not_covered,
    rests_on_our_condition,
    staff_consent,
    summary_of,
    unmarked_categories,
)
from flowaudit.model.schema import Flow
from flowaudit.model.taxonomy import Related
from flowaudit.policies.schema import CriminalOffenceRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: CriminalOffenceRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    legal = ctx.legal
    criminal = [c.id for c in index.data.categories if c.criminal_offence]
    if not criminal:
        return outcome
    # criminal offence data is one kind: a processor's hop of it rests on the condition the
    # organisation's flows name for it (``rests_on_our_condition``)
    criminal_kind = dict.fromkeys(criminal, "criminal")
    organisation = index.organisation
    regime = organisation.regime.value  # duties follow the organisation's own law
    related_to = ctx.facts.taxonomy.related_to
    ours: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] | None = None
    for flow in ctx.matching_flows(rule):
        carried = related_to(flow.categories, criminal)
        may = related_to(flow.may_carry.categories, criminal) if flow.may_carry else []
        if not carried and not may:
            continue
        if controllers_to_hold(ctx, flow):
            # the organisation as another controller's processor: the Art. 10 condition is
            # that controller's, a note and not a finding (review s16, problem 2)
            outcome.skip(CONTROLLERS_CONDITION)
            continue
        if ours is None:
            ours = our_purpose_categories(ctx)
        if rests_on_our_condition(ctx, flow, flow.art10_condition, ours, criminal_kind):
            # the organisation's processor's hop for it: the condition is the one the
            # organisation's own flow names, judged there (lawyer review s20, problem 1)
            outcome.skip(OUR_CONDITION)
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        where = ("art10_condition",)
        if flow.art10_condition is None:
            _judge_no_condition(outcome, flow, carried, may)
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
                invalid = consent_not_valid(legal, record, ctx.as_of)
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
                elif not ctx.consent_covers(record, flow.purpose):
                    # consent is given to specific purposes (Art. 4(11)): DPA 2018 Sch. 1
                    # para 29 asks consent to the processing, and a record given for other
                    # purposes shows none to this one. Art. 6(1)(a) and Art. 9(2)(a) already
                    # asked it; the Art. 10 condition passed on a record for support used for
                    # research (lawyer review s21, problem 1). With the flow's basis on the
                    # same record, one problem: one finding citing both rules
                    outcome.fail(
                        element,
                        PURPOSE_NOT_CONSENTED,
                        f"{condition.name} needs consent the person gave to this processing; "
                        f"{purpose_not_covered(record, flow.purpose)} "
                        f"(it was given for {', '.join(record.purposes)}: "
                        "consent is given to specific purposes, UK GDPR Art. 4(11))",
                        ("consent_record",),
                        fact=CONSENT_PURPOSE,
                    )
                else:
                    # the organisation's own staff: the note the Art. 6 basis and Art.
                    # 9(2)(a) give (DPO review 2026-12-03p, problem 2)
                    staff = staff_consent(ctx, flow, condition.name, "another Art. 10 condition")
                    if staff is not None:
                        outcome.assumed[element] = (*outcome.assumed.get(element, ()), staff)
        missing = missing_policy_document(ctx, condition)
        if missing is not None:
            outcome.fail(element, "no-policy-document", missing, where)
        if condition.claimed is not None:
            # a pass says what it takes on trust, as every Art. 9 condition's does; where
            # FACTS.md does not state that reading, the pass relies on the row's mark (DPO
            # review 2026-12-03p, problem 6: an Art. 10 pass said nothing)
            outcome.assumed[element] = (
                *outcome.assumed.get(element, ()),
                f"{flow.art10_condition}: {condition.name} applies "
                f"{condition.claimed}, which the map cannot show",
            )
            if condition.doubts(("claimed",)):
                outcome.relied[element] = (
                    *outcome.relied.get(element, ()),
                    f"{condition.id} ({condition.source})",
                )
    return outcome


def _judge_no_condition(
    outcome: Outcome, flow: Flow, carried: list[Related], may: list[Related]
) -> None:
    """A flow with no Art. 10 condition: one finding, whatever it carries. Criminal offence
    data it carries is a breach (no-condition); only a parent of a criminal-offence category,
    or data it only may carry (``may_carry``), is a risk to confirm graded as one
    (may-no-condition, a step lower), worded as the special-category check words it (attack
    review 2026-12-03j, 4: ``recruitment`` above ``recruitment.convictions`` passed)."""
    where = ("art10_condition",)
    sure, risks = carried_words(carried, KIND)
    said = f"{sure} is criminal offence data: name an Art. 10 condition" if sure else ""
    if risks:
        words = f"{risks} (a risk to confirm: it may carry that data)"
        said = (
            f"{said}; the flow also carries {words}"
            if said
            else f"carries {words} with no Art. 10 condition"
        )
    certain = bool(sure)
    fail_without_condition(
        outcome,
        flow,
        carried,
        may,
        said,
        certain,
        (KIND, "criminal offence data", "Art. 10"),
        (where, where if certain or said else ("may_carry", "categories")),
    )


#: How a category of criminal offence data is named in a finding's words.
KIND = "criminal offence category"


def _warn(ctx: Context, rules: Sequence[CriminalOffenceRule]) -> list[str]:
    """Categories that read as criminal offence data but are not marked (checks/base.py)."""
    return unmarked_categories(ctx, criminal=True)


CHECK = Check(CriminalOffenceRule, SUMMARY, evaluate, warn=_warn)
