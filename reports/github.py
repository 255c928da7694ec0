"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...::message`` lines
that become annotations on the pull request's changed lines."""

from __future__ import annotations

from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import escape
from flowaudit.reports.text import gate_verdict, unconfirmed_note

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
    follow, most severe first (under ``--base`` the new ones, then the existing ones as
    notices); past ten of a kind, a notice at the top says where the rest are."""
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
    # Under --base the change's own findings come first, titled "(new)", and the findings
    # that existed at the base follow as notices: they do not fail the run, and must not
    # take the error slots the change's own findings need (review 2026-12-02b, N4).
    against = result.against
    findings: list[str] = []
    existing: list[str] = []
    for finding in result.active:
        location = finding.location
        where = (
            f"file={_property(location.file)},line={location.line},col={location.column},"
            if location is not None
            else ""
        )
        rules = " + ".join(finding.rule_ids)
        severity = finding.severity.value
        message = _data(f"{finding.element_label}: {finding.message}{unconfirmed_note(finding)}")
        if against is None:
            title = _property(f"{rules} ({severity})")
        elif against.is_new(finding):
            title = _property(f"(new) {rules} ({severity})")
        else:
            title = _property(f"{rules} ({severity}, existing)")
            existing.append(f"::notice {where}title={title}::{message}")
            continue
        findings.append(f"::{COMMANDS[finding.severity]} {where}title={title}::{message}")
    # what the change made go away: a notice each, before the existing findings
    gone: list[str] = []
    for lost in sorted(against.gone, key=lambda g: -g.finding.severity.rank) if against else ():
        was = lost.finding
        title = _property(f"(gone, {lost.status}) {' + '.join(was.rule_ids)}")
        where_then = was.location or (against.ref if against else "")
        gone.append(
            f"::notice title={title}::"
            + _data(
                f"{was.severity.value} {was.element_label}: {was.message} "
                f"[{lost.reason}; at {where_then}]"
            )
        )
    commands = [*gate, *findings, *gone, *existing]
    lines = [*_past_the_cap(commands, against is not None), *commands]
    if against is not None:
        lines.append(f"flowaudit {gate_verdict(result, against, fail_on)}")
        return "\n".join(lines) + "\n"
    failing = len(result.failing(fail_on))
    verdict = "FAIL" if failing or result.unaccepted_review else "PASS"
    lines.append(
        f"flowaudit {verdict}: {plural(failing, 'finding')} at or above {fail_on.value}, "
        f"{len(result.waived):,} waived, {plural(len(result.passed), 'check')} passed."
    )
    return "\n".join(lines) + "\n"


def _past_the_cap(commands: list[str], against: bool = False) -> list[str]:
    """One notice, when some kind has more commands than GitHub annotates in a step
    (``against``: under ``--base``, whose order it states)."""
    counts = dict.fromkeys(("error", "warning", "notice"), 0)
    for command in commands:
        counts[command[2 : command.index(" ")]] += 1
    if max(counts.values()) <= ANNOTATIONS_PER_KIND:
        return []
    listed = ", ".join(plural(count, kind) for kind, count in counts.items() if count)
    order = (
        "changes to review and overrides first, then the new findings, most severe first, "
        "then the gone and the existing ones as notices"
        if against
        else "changes to review and overrides first, then findings, most severe first"
    )
    return [
        f"::notice title=flowaudit::{listed}: GitHub annotates the first "
        f"{ANNOTATIONS_PER_KIND} of each kind in a step ({order}); every one is in this log, "
        "and in the SARIF report when it is uploaded"
    ]
