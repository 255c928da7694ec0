"""The audit summary in Markdown, for a pull-request comment or an e-mail: the verdict, the
summary in words, the top findings with their fix and law, counts, then the findings table."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import for_markdown
from flowaudit.reports.summary import summary_in_words
from flowaudit.reports.text import unconfirmed_note

MAX_ROWS = 200
TOP_FINDINGS = 10


def render_markdown(result: AuditResult, fail_on: Severity) -> str:
    failing = result.failing(fail_on)
    verdict = "❌ FAIL" if failing or result.unaccepted_review else "✅ PASS"
    counts = result.counts()
    out = [
        f"## flowaudit: {verdict}",
        "",
        for_markdown(summary_in_words(result, fail_on)),
        "",
    ]
    if failing:
        shown = min(len(failing), TOP_FINDINGS)
        out += [f"### Top {shown} finding{'' if shown == 1 else 's'}", ""]
        for number, finding in enumerate(failing[:TOP_FINDINGS], start=1):
            rule = result.rule(finding.rule_id)
            law = "; ".join(result.references_of(finding)[1]) or "—"
            out += [
                f"{number}. **{finding.severity.value}** `{finding.finding_id}` "
                f"{' + '.join(finding.rule_ids)}, {for_markdown(finding.element_label)}: "
                f"{for_markdown(finding.message)}  ",
                f"   Fix: {for_markdown(rule.fix, code_spans=True)}  ",
                f"   Law: {for_markdown(law, code_spans=True)}",
            ]
        out.append("")
    out += [
        "| " + " | ".join(s.value for s in Severity) + " | waived |",
        "|" + "---:|" * (len(Severity) + 1),
        "| " + " | ".join(f"{counts[s]:,}" for s in Severity) + f" | {len(result.waived):,} |",
        "",
    ]
    if result.findings:
        out += [
            "### All findings",
            "",
            "| id | severity | rule | element | where | finding |",
            "|---|---|---|---|---|---|",
        ]
        for finding in result.findings[:MAX_ROWS]:
            where = str(finding.location) if finding.location else "(map)"
            severity = finding.severity.value + (" (waived)" if finding.waived else "")
            out.append(
                f"| `{finding.finding_id}` | {severity} | {', '.join(finding.rule_ids)} | "
                f"{for_markdown(finding.element_label)} | "
                f"{for_markdown(where)} | "
                f"{for_markdown(finding.message + unconfirmed_note(finding))} |"
            )

        if len(result.findings) > MAX_ROWS:
            out.append(f"\n… and {len(result.findings) - MAX_ROWS:,} more: see the full report.")
        out.append("")
    if result.review:
        out += [
            "### Changes to review",
            "",
            "Rules, waivers, the policy selection or signatures changed: each can hide a "
            "finding without fixing it.",
            "",
            "| change | accepted | what |",
            "|---|---|---|",
        ]
        out += [
            f"| {for_markdown(c.id)} | {'yes' if c.accepted else '**no**'} | "
            f"{for_markdown(c.detail)} |"
            for c in result.review
        ]
        out.append("")
    for warning in result.warnings:
        out.append(f"- ⚠️ Warning: {for_markdown(warning)}")
    for override in result.overrides:
        state = "switched off" if not override.enabled else f"severity {override.severity.value}"
        why = for_markdown(override.justification)
        out.append(f"- Override: `{override.rule_id}` {state}: {why}")
    out.append(
        f"\n<sub>flowaudit {result.tool_version} · fingerprint `{result.fingerprint[:16]}`</sub>"
    )
    return "\n".join(out) + "\n"
