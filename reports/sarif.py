"""SARIF 2.1.0 for code-scanning annotations at file:line. Built as plain data following
the OASIS schema (which the tests validate against); no object model is hand-written here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flowaudit.checks.registry import CHECKS
from flowaudit.checks.result import Against, AuditResult, Finding, ReviewChange
from flowaudit.model.loader import Location
from flowaudit.policies.schema import RuleBase, Severity
from flowaudit.reports.sanitise import Streamed, for_markdown, for_uri, json_pieces

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning ranks security alerts by this 0-10 score.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule(
    rule: RuleBase, policy: str, legal: list[str], regime_fix: str | None = None
) -> dict[str, Any]:
    """A rule's descriptor; ``legal`` its references as this audit cites them, ``fix`` its fix
    as the organisation's regime reads it (``AuditResult.rule_fix``; None: the rule's)."""
    how = rule.fix if regime_fix is None else regime_fix
    references = [*rule.references.notice, *legal]
    # codes with a fix of their own (code_fix): the rule's fix would mislead their findings
    by_code = "".join(f"\n- {code}: {fix}" for code, fix in rule.code_fix.items())
    by_code_md = "".join(
        f"\n- {for_markdown(f'`{code}`: {fix}', code_spans=True)}"
        for code, fix in rule.code_fix.items()
    )
    if by_code:
        by_code = f"\n\nHow to fix, by finding code:{by_code}"
        by_code_md = f"\n\n**How to fix, by finding code:**\n{by_code_md}"
    help_text = (
        f"{rule.rationale}\n\nHow to fix: {how}{by_code}\n\nReferences: {'; '.join(references)}"
    )
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": help_text,
            # policy text (a --policies file may come from the PR): inert, code spans kept
            "markdown": f"{for_markdown(rule.rationale, code_spans=True)}\n\n**How to fix:** "
            f"{for_markdown(how, code_spans=True)}{by_code_md}\n\n"
            + "\n".join(f"- {for_markdown(ref, code_spans=True)}" for ref in references),
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {
            "tags": ["privacy", "compliance", rule.kind, policy],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "notice": list(rule.references.notice),
            "legal": legal,
            "check": CHECKS[rule.kind].summary,
        },
    }


def _plain(text: str) -> str:
    """A SARIF plain-text message with its square brackets escaped (SARIF 2.1.0 §3.11.6):
    unescaped, ``[text](url)`` from a map's names is an embedded link a viewer may render."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _physical_location(location: Location) -> dict[str, Any]:
    """Where in the input, as code scanning reads it: a percent-encoded URI and a line."""
    return {
        "artifactLocation": {"uri": for_uri(location.file), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": location.line,
            "startColumn": location.column,
            "endLine": location.line,
        },
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _plain(f"{finding.element_label}: {finding.message}")},
        "partialFingerprints": {
            "flowaudit/v1": f"{finding.rule_id}|{finding.element_label}|{finding.code}",
        },
        "fingerprints": {"flowaudit/finding-id/v1": finding.finding_id},
        "properties": {
            "findingId": finding.finding_id,
            "code": finding.code,
            "severity": finding.severity.value,
        },
    }
    if finding.also:
        result["properties"]["alsoRules"] = list(finding.also)
    location = finding.location
    if location is not None:
        result["locations"] = [
            {
                "physicalLocation": _physical_location(location),
                "logicalLocations": [
                    {
                        "name": finding.element[1],
                        "fullyQualifiedName": finding.element_label,
                        "kind": "element",
                    }
                ],
            }
        ]
    if finding.path:
        result["properties"]["path"] = list(finding.path)
    if finding.unconfirmed:
        result["properties"]["unconfirmed"] = list(finding.unconfirmed)
    if finding.flows:
        result["properties"]["flows"] = list(finding.flows)
    waiver = finding.waiver
    if waiver is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver.justification} (owner {waiver.owner}, approved "
                f"{waiver.approved_on}, expires {waiver.expires_on}; waiver {waiver.id})",
            }
        ]
    return result


#: The pseudo-rule under which changes to review (``check --base``) are reported.
REVIEW_RULE_ID = "FLOWAUDIT-CHANGE-TO-REVIEW"


def _review_rule() -> dict[str, Any]:
    text = (
        "Against the base revision, a rule, waiver, policy selection or signature changed: "
        "each can hide a finding without fixing it, so a person must review it."
    )
    return {
        "id": REVIEW_RULE_ID,
        "name": "ChangeToReview",
        "shortDescription": {"text": "A change to the gate's rules needs review"},
        "fullDescription": {"text": text},
        "help": {
            "text": text + " Accept it with --accept-change ID once reviewed.",
            "markdown": text + " Accept it with `--accept-change ID` once reviewed.",
        },
        "defaultConfiguration": {"level": "error", "enabled": True},
        "properties": {"tags": ["privacy", "compliance", "review"]},
    }


def _review_result(change: ReviewChange, rule_index: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": REVIEW_RULE_ID,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": _plain(f"{change.id}: {change.detail}")},
        "partialFingerprints": {"flowaudit/v1": f"{REVIEW_RULE_ID}|{change.id}"},
        "properties": {"change": change.id, "kind": change.kind, "subject": change.subject},
    }
    location = change.location
    if location is not None:
        found["locations"] = [{"physicalLocation": _physical_location(location)}]
    if change.accepted:
        found["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": "accepted by review"}
        ]
    return found


def _results(result: AuditResult, index: dict[str, int], review_index: int) -> Iterator[Any]:
    """Each finding's result, then each change to review's, made one at a time."""
    against = result.against
    for finding in result.findings:
        found = _result(finding, index[finding.rule_id])
        if against is not None:
            # under --base: whether the change adds the finding, in SARIF's own terms (3.27.24)
            found["baselineState"] = "new" if against.is_new(finding) else "unchanged"
        yield found
    for change in result.review:
        yield _review_result(change, review_index)


def sarif_document(result: AuditResult, fail_on: Severity) -> dict[str, Any]:
    """One SARIF run: every rule in tool.driver.rules, every finding as a result, and the
    changes to review (``check --base``) under one pseudo-rule. The results are a Streamed
    list, made as :func:`~flowaudit.reports.sanitise.json_pieces` writes them."""
    index = {rule.id: position for position, rule in enumerate(result.rules)}
    rules = [
        _rule(r, result.rule_origin.get(r.id, "?"), result.legal_references(r), result.rule_fix(r))
        for r in result.rules
    ]
    if result.review:
        rules.append(_review_rule())
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "flowaudit",
                "version": result.tool_version,
                "rules": rules,
            }
        },
        "results": Streamed(_results(result, index, len(rules) - 1)),
        **(
            {
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolConfigurationNotifications": [
                            {"level": "warning", "message": {"text": _plain(warning)}}
                            for warning in result.warnings
                        ],
                    }
                ]
            }
            if result.warnings
            else {}
        ),
        "properties": {
            "asOf": result.as_of.isoformat(),
            "failOn": fail_on.value,
            "fingerprint": result.fingerprint,
            "organisation": result.loaded.organisation.name,
            **({"gone": _gone(result.against)} if result.against is not None else {}),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _gone(against: Against) -> list[dict[str, Any]]:
    """Under ``--base``, the base's findings the change made go, in the run's property bag:
    not as results with ``baselineState: absent``, which code scanning would open as alerts
    at lines that may no longer exist."""
    return [
        {
            "ruleId": g.finding.rule_id,
            "alsoRules": list(g.finding.also),
            "element": g.finding.element_label,
            "code": g.finding.code,
            "severity": g.finding.severity.value,
            "status": g.status,
            "reason": g.reason,
            "atBase": str(g.finding.location) if g.finding.location else against.ref,
            "message": g.finding.message,
        }
        for g in against.gone
    ]


def sarif_pieces(result: AuditResult, fail_on: Severity) -> Iterator[str]:
    """The SARIF document in pieces: its results made, written and dropped a few thousand
    at a time (a dense 100,000-flow map has 180,000 of them, 250 MB of text)."""
    return json_pieces(sarif_document(result, fail_on))


def render_sarif(result: AuditResult, fail_on: Severity) -> str:
    """The SARIF document whole (:func:`sarif_pieces` joined)."""
    return "".join(sarif_pieces(result, fail_on))
