"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...::message`` lines
that become annotations on the pull request's changed lines."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import escape
from flowaudit.reports.text import unconfirmed_note

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
        title = _property(f"{' + '.join(finding.rule_ids)} ({finding.severity.value})")
        lines.append(
            f"::{COMMANDS[finding.severity]} {where}title={title}::"
            f"{_data(f'{finding.element_label}: {finding.message}{unconfirmed_note(finding)}')}"
        )
    for override in result.overrides:
        # a rule switched off or lowered must be visible where reviewers look: the PR
        state = "switched off" if not override.enabled else f"severity {override.severity.value}"
        if override.settings:
            state += ", " + ", ".join(f"{key}={value}" for key, value in override.settings)
        title = _property(f"flowaudit override of {override.rule_id}")
        lines.append(
            f"::warning title={title}::"
            + _data(f"{override.rule_id} {state} ({override.file}: {override.justification})")
        )
    for change in result.review:
        command = "notice" if change.accepted else "error"
        state = "accepted" if change.accepted else "not accepted"
        title = _property(f"flowaudit change to review ({state})")
        place = change.location
        where = (
            f"file={_property(place.file)},line={place.line},col={place.column},"
            if place is not None
            else ""
        )
        lines.append(f"::{command} {where}title={title}::{_data(f'{change.id}: {change.detail}')}")
    for warning in result.warnings:
        lines.append(f"::warning title=flowaudit policy::{_data(warning)}")
    failing = len(result.failing(fail_on))
    verdict = "FAIL" if failing or result.unaccepted_review else "PASS"
    lines.append(
        f"flowaudit {verdict}: {failing:,} findings at or above {fail_on.value}, "
        f"{len(result.waived):,} waived, {len(result.passed):,} checks passed."
    )
    return "\n".join(lines) + "\n"
