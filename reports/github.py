"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...::message`` lines
that become annotations on the pull request's changed lines."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import plural
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


#: Annotations of one kind (error, warning, notice) GitHub shows per step; the rest of a
#: step's workflow commands stay in its log only (actions/toolkit, docs/problem-matchers.md:
#: "10 warning annotations, 10 error annotations, and 10 notice annotations per step").
ANNOTATIONS_PER_KIND = 10


def render_github(result: AuditResult, fail_on: Severity) -> str:
    """Workflow commands, what a reviewer must not miss first: GitHub annotates only the
    first ten commands of each kind in a step, in the order printed. A change to review that
    nobody accepted and an override that switches a rule off come before the findings, so
    that a pull request cannot push them out of sight with findings of its own; the findings
    follow, most severe first; past ten of a kind, a notice at the top says where the rest are."""
    gate: list[str] = []
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
        gate.append(f"::{command} {where}title={title}::{_data(f'{change.id}: {change.detail}')}")
    for override in result.overrides:
        # a rule switched off or lowered must be visible where reviewers look: the PR
        state = "switched off" if not override.enabled else f"severity {override.severity.value}"
        if override.settings:
            state += ", " + ", ".join(f"{key}={value}" for key, value in override.settings)
        title = _property(f"flowaudit override of {override.rule_id}")
        gate.append(
            f"::warning title={title}::"
            + _data(f"{override.rule_id} {state} ({override.file}: {override.justification})")
        )
    for warning in result.warnings:
        gate.append(f"::warning title=flowaudit policy::{_data(warning)}")
    findings: list[str] = []
    for finding in result.active:
        location = finding.location
        where = (
            f"file={_property(location.file)},line={location.line},col={location.column},"
            if location is not None
            else ""
        )
        title = _property(f"{' + '.join(finding.rule_ids)} ({finding.severity.value})")
        findings.append(
            f"::{COMMANDS[finding.severity]} {where}title={title}::"
            f"{_data(f'{finding.element_label}: {finding.message}{unconfirmed_note(finding)}')}"
        )
    lines = [*_past_the_cap(gate + findings), *gate, *findings]
    failing = len(result.failing(fail_on))
    verdict = "FAIL" if failing or result.unaccepted_review else "PASS"
    lines.append(
        f"flowaudit {verdict}: {plural(failing, 'finding')} at or above {fail_on.value}, "
        f"{len(result.waived):,} waived, {plural(len(result.passed), 'check')} passed."
    )
    return "\n".join(lines) + "\n"


def _past_the_cap(commands: list[str]) -> list[str]:
    """One notice, when some kind has more commands than GitHub annotates in a step."""
    counts = dict.fromkeys(("error", "warning", "notice"), 0)
    for command in commands:
        counts[command[2 : command.index(" ")]] += 1
    if max(counts.values()) <= ANNOTATIONS_PER_KIND:
        return []
    listed = ", ".join(plural(count, kind) for kind, count in counts.items() if count)
    return [
        f"::notice title=flowaudit::{listed}: GitHub annotates the first "
        f"{ANNOTATIONS_PER_KIND} of each kind in a step (changes to review and overrides "
        "first, then findings, most severe first); every one is in this log, and in the "
        "SARIF report when it is uploaded"
    ]
