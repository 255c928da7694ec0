"""Record evidence: an assessment on file (legitimate interests, transfer risk, DPIA) names
the day it was completed and where it is kept, and a consent record names where its records
are (``evidence``), so the claim can be checked. Without them an assessment or a consent
record is only a word in the map, and every flow that links it would pass on it. A consent
record documents how consent is asked; the date of each person's consent belongs to the
records its evidence points at.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, is_blank, summary_of
from flowaudit.model.schema import AssessmentKind
from flowaudit.policies.schema import RecordEvidenceRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: RecordEvidenceRule) -> Outcome:
    outcome = Outcome()
    data = ctx.index.data
    for assessment in data.assessments:
        element = ("assessments", assessment.id)
        outcome.evaluated.append(element)
        kind = (
            "DPIA"
            if assessment.kind is AssessmentKind.DPIA
            else assessment.kind.value.replace("_", " ") + " assessment"
        )
        if assessment.completed_on is None:
            outcome.fail(
                element,
                "no-completion-date",
                f"{kind} '{assessment.id}' is on record with no completion date (completed_on)",
                ("kind",),
            )
        if is_blank(assessment.evidence):
            outcome.fail(
                element,
                "no-evidence",
                f"{kind} '{assessment.id}' is on record with no reference to the document "
                "itself (evidence)",
                ("evidence",) if assessment.evidence is not None else ("kind",),
            )
    for record in data.consent_records:
        element = ("consent_records", record.id)
        outcome.evaluated.append(element)
        if is_blank(record.evidence):
            outcome.fail(
                element,
                "no-evidence",
                f"consent record '{record.id}' says how consent is asked but not where the "
                "records of who consented, when and to what are kept (evidence)",
                ("evidence",) if record.evidence is not None else ("method",),
            )
    return outcome


CHECK = Check(RecordEvidenceRule, SUMMARY, evaluate)
