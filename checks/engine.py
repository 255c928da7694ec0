"""Runs every enabled rule over the map and assembles the AuditResult.

Positions are resolved here, once, from the model's source map: checks never see YAML.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flowaudit import __version__
from flowaudit.checks.base import Context
from flowaudit.checks.registry import CHECKS
from flowaudit.checks.result import AuditResult, Evaluation, Finding
from flowaudit.model.graph import MapIndex
from flowaudit.model.loader import LoadedMap, paused_gc
from flowaudit.policies.legal import LegalTable
from flowaudit.policies.loader import PolicySet


def run_audit(
    loaded: LoadedMap, policies: PolicySet, legal: LegalTable, as_of: date
) -> AuditResult:
    """Evaluate the policies on the map as of a date."""
    with paused_gc():
        return _run_audit(loaded, policies, legal, as_of)


def _run_audit(
    loaded: LoadedMap, policies: PolicySet, legal: LegalTable, as_of: date
) -> AuditResult:
    index = MapIndex(loaded.data, loaded.organisation)
    context = Context(index, legal, as_of)
    sources = loaded.sources
    findings: list[Finding] = []
    passed: list[Evaluation] = []
    for rule in policies.rules:
        if not rule.enabled:
            continue
        outcome = CHECKS[rule.kind].evaluate(context, rule)
        failed = set()
        for hit in outcome.hits:
            failed.add(hit.element)
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=rule.severity,
                    code=hit.code,
                    message=hit.message,
                    element=hit.element,
                    field=hit.field,
                    location=sources.locate(hit.element, hit.field),
                    path=hit.path,
                    unconfirmed=hit.unconfirmed,
                )
            )
        for element in dict.fromkeys(outcome.evaluated):
            if element not in failed:
                passed.append(Evaluation(rule.id, element, outcome.relied.get(element, ())))

    findings = _apply_waivers(findings, loaded, policies, as_of)
    findings.sort(key=_finding_order)
    passed.sort(key=lambda e: (e.rule_id, e.element))
    return AuditResult(
        tool_version=__version__,
        as_of=as_of,
        loaded=loaded,
        legal=legal,
        rules=policies.rules,
        rule_origin=policies.origin,
        policy_files=policies.files,
        findings=tuple(findings),
        passed=tuple(passed),
        overrides=policies.overrides,
    )


def _apply_waivers(
    findings: list[Finding], loaded: LoadedMap, policies: PolicySet, as_of: date
) -> list[Finding]:
    """Attach in-force waivers to the findings they cover; report waivers that cover none."""
    waivers = loaded.data.waivers
    if not waivers:
        return findings
    in_force = [w for w in waivers if w.approved_on <= as_of <= w.expires_on]
    used: set[str] = set()
    result: list[Finding] = []
    for finding in findings:
        label = finding.element_label
        cover = next(
            (
                w
                for w in in_force
                if w.rule == finding.rule_id
                and w.element == label
                and (w.code is None or w.code == finding.code)
            ),
            None,
        )
        if cover is not None:
            used.add(cover.id)
        result.append(finding if cover is None else replace(finding, waiver=cover))

    waiver_rule = next((r for r in policies.rules if r.kind == "waiver" and r.enabled), None)
    if waiver_rule is not None:
        for waiver in in_force:
            if waiver.id not in used:
                element = ("waivers", waiver.id)
                result.append(
                    Finding(
                        rule_id=waiver_rule.id,
                        severity=waiver_rule.severity,
                        code="unmatched",
                        message=f"waiver matches no finding of {waiver.rule} on {waiver.element}; "
                        "remove it or correct it",
                        element=element,
                        field=("element",),
                        location=loaded.sources.locate(element, ("element",)),
                    )
                )
    return result


def _finding_order(finding: Finding) -> tuple[int, str, str, str, tuple[str, ...], str, str]:
    """Most severe first, then by rule and element: an order that depends only on what the map
    says, never on which file or line says it, so reordering or splitting the map's files
    reorders nothing in a report (only the line numbers change)."""
    return (
        -finding.severity.rank,
        finding.rule_id,
        finding.element[0],
        finding.element[1],
        tuple(f"{part:09d}" if isinstance(part, int) else part for part in finding.field),
        finding.code,
        finding.message,
    )
