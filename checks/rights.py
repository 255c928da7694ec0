"""Rights: where the map records how the organisation answers rights requests and
complaints, the facts meet the law (a subject access request within the deadline the legal
table gives the organisation's regime: one calendar month under the GDPR, 30 days under the
revFADP, unless the policy sets a stricter limit of its own; a complaints procedure where the
legal table says the organisation's regime requires one: from 2026-06-19 for UK controllers
(DUAA 2025 s.103), never for an EU or Swiss one).
"""

from __future__ import annotations

from collections.abc import Sequence

from flowaudit.checks.base import Check, Context, Outcome, RowUse, short, summary_of
from flowaudit.checks.result import Evaluation, Finding
from flowaudit.model.loader import ElementRef
from flowaudit.policies.schema import RightsRule

SUMMARY = summary_of(__doc__)

#: The one problem of a subject access procedure slower than a rule allows, whichever rules
#: say so (the law's month, a notice's promise): one finding citing each.
DSAR_LATE = "dsar-late"


def _dsar(ctx: Context, rule: RightsRule, outcome: Outcome, element: ElementRef) -> None:
    """The subject access deadline: the law's, per regime, from the legal table (DPO review
    2026-12-03o, problem 2: a Swiss controller was held to the GDPR's calendar month); a
    rule's own max_dsar_days (a notice's promise) can only make it stricter."""
    organisation = ctx.index.organisation
    days = organisation.dsar_days
    law = ctx.legal.dsar_deadline(organisation.regime.value, ctx.as_of)
    if rule.max_dsar_days is not None:
        limit, why = rule.max_dsar_days, rule.max_dsar_days_why
    elif law is not None:
        limit, why = law.within_days, law.why_late(days) if days is not None else None
    else:  # no limit in the policy nor in the table: nothing to judge by
        return
    if days is None:
        return
    # the verdict turns on the law's row unless the rule's own limit is the stricter one
    decides = law is not None and (rule.max_dsar_days is None or limit > law.late_after)
    relied = (f"{law.id} ({law.source})",) if decides and law and law.unconfirmed else ()
    if law is not None and days > law.late_after and days > limit:
        outcome.fail(
            element,
            "dsar-always-late",
            f"answers subject access requests in {days} days: late {law.late}",
            ("dsar_days",),
            unconfirmed=(f"{law.id} ({law.source})",) if law.unconfirmed else (),
            fact=DSAR_LATE,
        )
    elif days > limit:
        # the days, then why they are too many: a notice's promise and the law's month on one
        # procedure are one problem, one finding that says the days once and each reason
        # (DPO review 2026-12-03u, problem 5: two MEDIUM findings at 30 days)
        said = (
            f"answers subject access requests in {days} days, more than {limit} days; {why}"
            if why
            else f"answers subject access requests in {days} days, more than the {limit} days "
            "this rule allows"
        )
        outcome.fail(
            element,
            "dsar-too-slow",
            said,
            ("dsar_days",),
            unconfirmed=relied if rule.max_dsar_days is None else (),
            fact=DSAR_LATE,
        )
    elif relied:
        outcome.relied[element] = relied


def evaluate(ctx: Context, rule: RightsRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    _dsar(ctx, rule, outcome, element)
    regime = organisation.regime.value
    duty = ctx.legal.duty_applies("complaints_procedure", regime, ctx.as_of)
    if rule.complaints_procedure and duty is not None and not organisation.complaints_procedure:
        state = "not recorded" if organisation.complaints_procedure is None else "missing"
        # one established abroad is no "UK controller", though UK law binds it (auditor
        # review y, problem 4: a US company was called one)
        inside = ctx.legal.jurisdiction_of_country.get(organisation.country) == regime
        who = f"{regime} controller" if inside else f"a controller under {regime} law"
        outcome.fail(
            element,
            "no-complaints-procedure",
            f"{short(organisation.name)} ({who}): from {duty.valid_from} the law "
            f"requires a {duty.name[0].lower()}{duty.name[1:]} ({duty.source}); it is {state}: "
            # the field to set, as the processor-record finding names its own (DPO review
            # s21: "it is not recorded" did not say what to record)
            "record complaints_procedure: true on the organisation once the procedure exists",
            ("complaints_procedure",),
        )
    return outcome


def _rows_used(
    ctx: Context,
    rules: Sequence[RightsRule],
    findings: Sequence[Finding],
    passed: Sequence[Evaluation],
) -> list[RowUse]:
    """The subject access deadline of the organisation's law, which every rule of the kind
    reads (a rule's own limit is bounded by it: above it for every request the finding cites
    the law), counted by the kind's late-answer findings and by its passes where the map
    records the days; a row marked UNCONFIRMED is left to the marks (auditor review s2,
    problem 3: the 28-day pass was counted under the complaints procedure alone)."""
    organisation = ctx.index.organisation
    regime = organisation.regime.value
    law = ctx.legal.dsar_deadline(regime, ctx.as_of)
    if law is None or law.unconfirmed or organisation.dsar_days is None:
        return []
    ids = {rule.id for rule in rules}
    late = sum(1 for f in findings if f.code.startswith("dsar-") and not ids.isdisjoint(f.rule_ids))
    passes = sum(1 for e in passed if e.rule_id in ids)
    if not (late or passes):
        return []
    read = law.read_as(regime)
    return [RowUse(law.id, law.name, law, read.source, False, late, passes)]


CHECK = Check(
    RightsRule,
    SUMMARY,
    evaluate,
    duties=("complaints_procedure",),
    # a notice's rule of its own deadline leaves the procedure to the law's rule, and a late
    # answer rests on no complaints procedure (auditor review s2, problem 3)
    duty_judged={"complaints_procedure": lambda rule: rule.complaints_procedure},
    duty_codes={"complaints_procedure": frozenset({"no-complaints-procedure"})},
    rows_used=_rows_used,
)
