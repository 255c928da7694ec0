"""The audit's verdict in words, shared by the HTML report and the Markdown summary."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity


def summary_in_words(result: AuditResult, fail_on: Severity) -> str:
    """The verdict as a sentence an auditor can quote."""
    failing = result.failing(fail_on)
    counts = result.counts()
    data = result.loaded.data
    scope = (
        f"The data map of {result.loaded.organisation.name} ({plural(len(data.flows), 'flow')} "
        f"between {plural(len(data.parties) + 1, 'organisation')} and "
        f"{plural(len(data.systems), 'system')}) was audited as of "
        f"{result.as_of.isoformat()} against {plural(len(result.rules), 'rule')}."
    )
    if not failing:
        verdict = (
            f"No finding is at or above {fail_on.value}; "
            f"{plural(len(result.passed), 'check')} passed."
        )
    else:
        worst = [f"{counts[s]:,} {s.value}" for s in Severity if counts[s]]
        # under --base the gate's verdict is on what the change adds, stated apart: the
        # map's own findings are counted without a "fails" that a passing run contradicts
        lead = "It fails: " if result.against is None else "On the map, "
        verdict = (
            f"{lead}{plural(len(failing), 'finding')} at or above {fail_on.value} "
            f"({', '.join(worst)}) need action; {plural(len(result.passed), 'check')} passed."
        )
    waived = (
        f" {plural(len(result.waived), 'finding')} are accepted under waivers."
        if result.waived
        else ""
    )
    return f"{scope} {verdict}{waived}"
