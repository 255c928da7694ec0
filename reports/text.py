"""Plain text: one line per finding, ``file:line:col SEVERITY RULE-ID element: message``,
then a summary by severity; the format compilers and editors already understand."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import for_terminal


def render_text(result: AuditResult, fail_on: Severity) -> str:
    lines: list[str] = []
    clauses = {rule.id: rule.references.notice for rule in result.rules}
    for finding in result.findings:
        where = for_terminal(finding.location) if finding.location else "(map)"
        waiver = finding.waiver
        note = (
            f" [waived until {waiver.expires_on} by {for_terminal(waiver.owner)}: {waiver.id}]"
            if waiver is not None
            else ""
        )
        cited = clauses.get(finding.rule_id)
        notice = f" ({', '.join(cited)})" if cited else ""
        lines.append(
            f"{where} {finding.severity.value.upper()} {finding.rule_id}{notice} "
            f"{for_terminal(finding.element_label)}: {for_terminal(finding.message)}{note}"
        )

    counts = result.counts()
    failing = len(result.failing(fail_on))
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Severity)
    verdict = "FAIL" if failing else "PASS"
    if lines:
        lines.append("")
    lines.append(
        f"{for_terminal(result.loaded.organisation.name)} as of {result.as_of.isoformat()}: "
        f"{len(result.active)} findings ({summary}), {len(result.waived)} waived; "
        f"{len(result.passed)} checks passed; {len(result.rules)} rules."
    )
    for override in result.overrides:
        state = "off" if not override.enabled else f"severity {override.severity.value}"
        if override.settings:
            state += ", " + ", ".join(
                f"{key}={for_terminal(value)}" for key, value in override.settings
            )

        lines.append(
            f"Override: {override.rule_id} {state} ({for_terminal(override.file)}: "
            f"{for_terminal(override.justification)})"
        )

    lines.append(f"{verdict}: {failing} findings at or above {fail_on.value}.")
    return "\n".join(lines) + "\n"
