"""Breach: the organisation records how it handles personal data breaches: a breach log
(Art. 33(5)), notice to the regulator within 72 hours unless the breach is unlikely to result
in a risk to people (Art. 33(1)) and, wherever it acts as a processor, notice to the controller
without undue delay (Art. 33(2)). Each duty applies only where the legal table says so (regime
and date).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, listed, summary_of
from flowaudit.checks.facts import AuditFacts
from flowaudit.model.schema import Role
from flowaudit.policies.schema import BreachRule

SUMMARY = summary_of(__doc__)
#: Every gap in the breach procedure is one problem: one finding that lists each gap.
FACT = "breach-procedure"


def acts_as_processor(facts: AuditFacts) -> list[str]:
    """Flows on which the organisation receives data as someone else's processor."""
    return [
        flow.id
        for flow in facts.flows_in_direction("inbound")
        if flow.recipient_role is Role.PROCESSOR
    ]


#: Art. 33(1) as it reads: notice is the rule, and only a breach unlikely to result in a risk
#: is spared it. Citations are written "UK GDPR Art." so that the engine words every one of
#: them in a sentence as the organisation's regime cites the GDPR on the audit date.
_NOTIFY = (
    "a breach must be notified to the regulator without undue delay and, where feasible, "
    "within {hours} hours of becoming aware of it, unless it is unlikely to result in a risk "
    "to people's rights and freedoms (UK GDPR Art. 33(1))"
)


def evaluate(ctx: Context, rule: BreachRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    regime = organisation.regime.value  # duties follow the organisation's own law
    records = ctx.legal.duties.get("breach_records")
    notice = ctx.legal.duties.get("processor_breach_notice")
    element = ("organisation", organisation.id)
    procedure = organisation.breach_procedure
    if records is not None and records.applies(regime, ctx.as_of):
        outcome.evaluated.append(element)
        where = ("breach_procedure",)
        if procedure is None:
            processing = acts_as_processor(ctx.facts)
            also = (
                f"; and, as a processor ({listed(processing)}), every breach must be told "
                "to the controller without undue delay (UK GDPR Art. 33(2))"
                if processing and notice is not None and notice.applies(regime, ctx.as_of)
                else ""
            )
            outcome.fail(
                element,
                "no-procedure",
                "no breach procedure is recorded: every breach must be documented (UK GDPR Art. "
                f"33(5)); {_NOTIFY.format(hours=rule.max_hours)}{also}",
                fact=FACT,
            )
        elif not procedure.log:
            outcome.fail(
                element,
                "no-log",
                "no breach log is recorded: every breach, its effects and the remedy must be "
                "documented (UK GDPR Art. 33(5))",
                where,
                fact=FACT,
            )
        hours = procedure.notify_within_hours if procedure is not None else None
        if procedure is not None and (hours is None or hours > rule.max_hours):
            said = "not stated" if hours is None else f"{hours} hours"
            outcome.fail(
                element,
                "notify-too-late",
                f"the procedure's time to notify the regulator is {said}: "
                + _NOTIFY.format(hours=rule.max_hours),
                where,
                fact=FACT,
            )
    if notice is not None and notice.applies(regime, ctx.as_of):
        processing = acts_as_processor(ctx.facts)
        # With no procedure at all, the one "no-procedure" finding says it all (when that duty
        # applies): one problem, one finding.
        missing_whole = procedure is None and any(h.code == "no-procedure" for h in outcome.hits)
        if (
            processing
            and not missing_whole
            and (procedure is None or procedure.notifies_controllers is not True)
        ):
            if element not in outcome.evaluated:
                outcome.evaluated.append(element)
            outcome.fail(
                element,
                "processor-no-controller-notice",
                f"the organisation acts as a processor ({listed(processing)}) but its breach "
                "procedure does not record telling the controller without undue delay "
                f"({notice.source})",
                ("breach_procedure",) if procedure is not None else (),
                fact=FACT,
            )
    return outcome


CHECK = Check(
    BreachRule,
    SUMMARY,
    evaluate,
    duties=("breach_records", "processor_breach_notice"),
    # the processor's duty bears only on an organisation that acts as one: "Legal table used"
    # listed Art. 33(2) as relied on for a map with no inbound processing (auditor review
    # 2026-12-03u, problem 6)
    duty_bears={"processor_breach_notice": lambda facts: bool(acts_as_processor(facts))},
)
