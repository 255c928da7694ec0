"""Runs every enabled rule over the map and assembles the AuditResult.

Positions are resolved here, once, from the model's source map: checks never see YAML.
"""

from __future__ import annotations

from datetime import date

from flowaudit.checks.base import Context
from flowaudit.checks.registry import CHECKS
from flowaudit.checks.result import AuditResult, Evaluation, Finding
from flowaudit.model.graph import MapIndex
from flowaudit.model.loader import LoadedMap, paused_gc
from flowaudit.policies.legal import LegalTable
from flowaudit.policies.loader import PolicySet

from flowaudit import __version__


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
                )
            )
        for element in dict.fromkeys(outcome.evaluated):
            if element not in failed:
                passed.append(Evaluation(rule.id, element, sources.locate(element)))
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
    )


def _finding_order(finding: Finding) -> tuple[str, int, int, str, str, str]:
    location = finding.location
    return (
        location.file if location else "",
        location.line if location else 0,
        location.column if location else 0,
        finding.rule_id,
        finding.code,
        finding.message,
    )
