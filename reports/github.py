"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...::message`` lines
that become annotations on the pull request's changed lines."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import escape

COMMANDS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def _data(text: str) -> str:
    """A message as the workflow-command syntax requires, after the sanitiser: controls are
    shown, not sent to the log (which renders ANSI sequences), and a line break from input
    becomes a visible ``\\n``, so the percent-encoding below only guards our own text."""
    return escape(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: AuditResult, fail_on: Severity) -> str:
    lines: list[str] = []
    for finding in result.active:
        location = finding.location
        where = (
            f"file={_property(location.file)},line={location.line},col={location.column},"
            if location is not None
            else ""
        )
        title = _property(f"{finding.rule_id} ({finding.severity.value})")
        lines.append(
            f"::{COMMANDS[finding.severity]} {where}title={title}::"
            f"{_data(f'{finding.element_label}: {finding.message}')}"
        )
    failing = len(result.failing(fail_on))
    verdict = "FAIL" if failing else "PASS"
    lines.append(
        f"flowaudit {verdict}: {failing} findings at or above {fail_on.value}, "
        f"{len(result.waived)} waived, {len(result.passed)} checks passed."
    )
    return "\n".join(lines) + "\n"
