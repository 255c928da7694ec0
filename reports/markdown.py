"""A short Markdown summary for a pull-request comment: verdict, counts, a findings table."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.text import unconfirmed_note

MAX_ROWS = 200


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, newlines, HTML or backtick breaks."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("`", "\\`")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def render_markdown(result: AuditResult, fail_on: Severity) -> str:
    failing = result.failing(fail_on)
    verdict = "❌ FAIL" if failing else "✅ PASS"
    counts = result.counts()
    organisation = cell(result.loaded.organisation.name)
    out = [
        f"## flowaudit: {verdict}",
        "",
        f"**{organisation}**, audited as of {result.as_of.isoformat()} with "
        f"{len(result.rules)} rules: **{len(failing)}** findings at or above "
        f"`{fail_on.value}`, {len(result.waived)} waived, {len(result.passed)} checks passed.",
        "",
        "| " + " | ".join(s.value for s in Severity) + " | waived |",
        "|" + "---:|" * (len(Severity) + 1),
        "| " + " | ".join(str(counts[s]) for s in Severity) + f" | {len(result.waived)} |",
        "",
    ]
    if result.findings:
        out += ["| severity | rule | element | where | finding |", "|---|---|---|---|---|"]
        for finding in result.findings[:MAX_ROWS]:
            where = str(finding.location) if finding.location else "(map)"
            severity = finding.severity.value + (" (waived)" if finding.waived else "")
            out.append(
                f"| {severity} | {finding.rule_id} | {cell(finding.element_label)} | "
                f"{cell(where)} | {cell(finding.message + unconfirmed_note(finding))} |"
            )

        if len(result.findings) > MAX_ROWS:
            out.append(f"\n… and {len(result.findings) - MAX_ROWS} more: see the full report.")
        out.append("")
    for override in result.overrides:
        state = "switched off" if not override.enabled else f"severity {override.severity.value}"
        out.append(f"- Override: `{override.rule_id}` {state}: {cell(override.justification)}")
    out.append(
        f"\n<sub>flowaudit {result.tool_version} · fingerprint `{result.fingerprint[:16]}`</sub>"
    )
    return "\n".join(out) + "\n"
