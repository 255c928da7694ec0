"""The audit's verdict in words, shared by the HTML report and the Markdown summary."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_in_words(result: AuditResult, fail_on: Severity) -> str:
    """The verdict as a sentence an auditor can quote."""
    failing = result.failing(fail_on)
    counts = result.counts()
    data = result.loaded.data
    scope = (
        f"The data map of {result.loaded.organisation.name} ({_plural(len(data.flows), 'flow')} "
        f"between {_plural(len(data.parties) + 1, 'organisation')} and "
        f"{_plural(len(data.systems), 'system')}) was audited as of "
        f"{result.as_of.isoformat()} against {_plural(len(result.rules), 'rule')}."
    )
    if not failing:
        verdict = (
            f"No finding is at or above {fail_on.value}; "
            f"{_plural(len(result.passed), 'check')} passed."
        )
    else:
        worst = [f"{counts[s]:,} {s.value}" for s in Severity if counts[s]]
        verdict = (
            f"It fails: {_plural(len(failing), 'finding')} at or above {fail_on.value} "
            f"({', '.join(worst)}) need action; {_plural(len(result.passed), 'check')} passed."
        )
    waived = (
        f" {_plural(len(result.waived), 'finding')} are accepted under waivers."
        if result.waived
        else ""
    )
    return f"{scope} {verdict}{waived}"
