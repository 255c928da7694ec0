"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...::message`` lines
that become annotations on the pull request's changed lines."""

from __future__ import annotations

from collections.abc import Iterator

from flowaudit.checks.result import Against, AuditResult, Finding
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


#: How many commands make one piece of :func:`github_pieces`.
GITHUB_PIECE_LINES = 2000


def github_pieces(result: AuditResult, fail_on: Severity) -> Iterator[str]:
    """Workflow commands, what a reviewer must not miss first: GitHub annotates only the
    first ten commands of each kind in a step, in the order printed. A change to review that
    nobody accepted and an override that switches a rule off come before the findings, so
    that a pull request cannot push them out of sight with findings of its own; the findings
    follow, most severe first (under ``--base`` the new ones, then the existing ones as
    notices); past ten of a kind, a notice at the top says where the rest are.

    In pieces of :data:`GITHUB_PIECE_LINES` commands: the kinds are counted first (for the
    notice at the top), then each finding's command is made, printed and dropped (a dense
    100k map's 182,661 commands held at once stood above the audit's own peak)."""
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
    counts = dict.fromkeys(("error", "warning", "notice"), 0)
    for command in gate:
        counts[command[2 : command.index(" ")]] += 1
    for finding in result.active:
        new = against is None or against.is_new(finding)
        counts[COMMANDS[finding.severity] if new else "notice"] += 1
    gone = _gone(against) if against is not None else []
    counts["notice"] += len(gone)
    lines = [*_past_the_cap(counts, against is not None), *gate]
    for new in (True, False) if against is not None else (True,):
        if not new:
            lines += gone  # what the change made go: before the existing findings
        for finding in result.active:
            if against is not None and against.is_new(finding) is not new:
                continue
            lines.append(_command(finding, against, new))
            if len(lines) >= GITHUB_PIECE_LINES:
                yield "".join(f"{line}\n" for line in lines)
                lines = []
    if against is not None:
        lines.append(f"flowaudit {gate_verdict(result, against, fail_on)}")
    else:
        failing = len(result.failing(fail_on))
        verdict = "FAIL" if failing or result.unaccepted_review else "PASS"
        lines.append(
            f"flowaudit {verdict}: {plural(failing, 'finding')} at or above {fail_on.value}, "
            f"{len(result.waived):,} waived, {plural(len(result.passed), 'check')} passed."
        )
    yield "".join(f"{line}\n" for line in lines)


def _gone(against: Against) -> list[str]:
    """A notice for each finding of the base the change made go, most severe first, with
    why and where it stood at the base."""
    commands = []
    for lost in against.gone:
        was = lost.finding
        title = _property(f"(gone, {lost.status}) {' + '.join(was.rule_ids)}")
        commands.append(
            f"::notice title={title}::"
            + _data(
                f"{was.severity.value} {was.element_label}: {was.message} "
                f"[{lost.reason}; at {was.location or against.ref}]"
            )
        )
    return commands


def _command(finding: Finding, against: Against | None, new: bool) -> str:
    """A finding's workflow command: by its severity, or (under ``--base``, existing at the
    base) a notice."""
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
    elif new:
        title = _property(f"(new) {rules} ({severity})")
    else:
        title = _property(f"{rules} ({severity}, existing)")
        return f"::notice {where}title={title}::{message}"
    return f"::{COMMANDS[finding.severity]} {where}title={title}::{message}"


def render_github(result: AuditResult, fail_on: Severity) -> str:
    """The workflow commands whole (:func:`github_pieces` joined)."""
    return "".join(github_pieces(result, fail_on))


def _past_the_cap(counts: dict[str, int], against: bool = False) -> list[str]:
    """One notice, when some kind (``counts``: commands per kind, error, warning and
    notice) has more commands than GitHub annotates in a step (``against``: under
    ``--base``, whose order it states)."""
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
