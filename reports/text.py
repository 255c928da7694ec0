"""Plain text: one line per finding, ``file:line:col SEVERITY RULE-ID element: message``,
then a summary by severity; the format compilers and editors already understand."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity


def render_text(result: AuditResult, fail_on: Severity) -> str:
    lines: list[str] = []
    for finding in result.findings:
        where = str(finding.location) if finding.location else "(map)"
        lines.append(
            f"{where} {finding.severity.value.upper()} {finding.rule_id} "
            f"{finding.element_label}: {finding.message}"
        )
    counts = result.counts()
    failing = len(result.failing(fail_on))
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Severity)
    verdict = "FAIL" if failing else "PASS"
    if lines:
        lines.append("")
    lines.append(
        f"{result.loaded.organisation.name} as of {result.as_of.isoformat()}: "
        f"{len(result.findings)} findings ({summary}); "
        f"{len(result.passed)} checks passed; {len(result.rules)} rules."
    )
    lines.append(f"{verdict}: {failing} findings at or above {fail_on.value}.")
    return "\n".join(lines) + "\n"
