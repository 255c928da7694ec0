"""Plain text: one line per finding, ``file:line:col SEVERITY RULE-ID element: message``,
then a summary by severity; the format compilers and editors already understand."""

from __future__ import annotations

import re

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import Severity

# Line breaks would split a finding over lines (and forge new ones for tools that parse
# them); bidirectional controls would reorder what a terminal shows ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Text made safe for one line of a terminal: controls shown as \\n or <U+202E>."""

    def visible(match: re.Match[str]) -> str:
        char = match.group()
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
        return named.get(char, f"<U+{ord(char):04X}>")

    return _UNSAFE.sub(visible, text)


def unconfirmed_note(finding: Finding) -> str:
    """The mark a finding carries when it relies on legal rows no primary source confirmed."""
    if not finding.unconfirmed:
        return ""
    return f" [relies on UNCONFIRMED legal rows: {'; '.join(finding.unconfirmed)}]"


def render_text(result: AuditResult, fail_on: Severity) -> str:
    lines: list[str] = []
    clauses = {rule.id: rule.references.notice for rule in result.rules}
    for finding in result.findings:
        where = str(finding.location) if finding.location else "(map)"
        waiver = finding.waiver
        note = (
            f" [waived until {waiver.expires_on} by {one_line(waiver.owner)}: {waiver.id}]"
            if waiver is not None
            else ""
        )
        cited = clauses.get(finding.rule_id)
        notice = f" ({', '.join(cited)})" if cited else ""
        lines.append(
            f"{where} {finding.severity.value.upper()} {finding.rule_id}{notice} "
            f"{one_line(finding.element_label)}: {one_line(finding.message)}"
            f"{unconfirmed_note(finding)}{note}"
        )

    counts = result.counts()
    failing = len(result.failing(fail_on))
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Severity)
    verdict = "FAIL" if failing else "PASS"
    if lines:
        lines.append("")
    lines.append(
        f"{one_line(result.loaded.organisation.name)} as of {result.as_of.isoformat()}: "
        f"{len(result.active)} findings ({summary}), {len(result.waived)} waived; "
        f"{len(result.passed)} checks passed; {len(result.rules)} rules."
    )
    for override in result.overrides:
        state = "off" if not override.enabled else f"severity {override.severity.value}"
        if override.settings:
            state += ", " + ", ".join(f"{key}={value}" for key, value in override.settings)

        lines.append(
            f"Override: {override.rule_id} {state} ({override.file}: "
            f"{one_line(override.justification)})"
        )

    lines.append(f"{verdict}: {failing} findings at or above {fail_on.value}.")
    return "\n".join(lines) + "\n"
