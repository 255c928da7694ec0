"""SARIF 2.1.0 for code-scanning annotations at file:line. Built as plain data following
the OASIS schema (which the tests validate against); no object model is hand-written here."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
        # a descriptor's texts are no message with arguments (§3.12): no placeholder, braces
        # as written (GDPR-REPRESENTATIVE's fix names `representative: {name, email, ...}`)
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


#: GitHub code scanning keeps the top 5,000 results of a run by severity and rejects a run
#: of more than 25,000 ("SARIF results exceed limit", GitHub docs): past the limit, the run
#: keeps the most severe itself and says how many it left out.
DEFAULT_MAX_RESULTS = 5000


def _braces(text: str) -> str:
    """``{`` and ``}`` doubled (SARIF 2.1.0 §3.11.5): in a message string a single brace
    opens a placeholder (``{0}``) that a viewer fills from ``arguments``; a name from the map
    must stay the literal text it is, never a placeholder (output review s16, problem 2)."""
    return text.replace("{", "{{").replace("}", "}}")


def _plain(text: str) -> str:
    """A SARIF plain-text message with its square brackets escaped (SARIF 2.1.0 §3.11.6):
    unescaped, ``[text](url)`` from a map's names is an embedded link a viewer may render;
    and its braces doubled (:func:`_braces`)."""
    return _braces(text.replace("[", "\\[").replace("]", "\\]"))


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


#: How many of a grouped finding's flows a result names as related locations: code scanning
#: shows at most 100 locations of a result and rejects one of more than 1,000 ("Location per
#: result", GitHub's SARIF limits); a subject's finding on a 10,000-flow map groups 10,000
#: flows. Every flow stays in ``properties.flows``.
RELATED_LOCATIONS_LIMIT = 100


def _related(
    finding: Finding, locate: Callable[[str], Location | None]
) -> tuple[list[dict[str, Any]], int]:
    """Each flow a grouped finding judges (``Finding.flows``: one legitimate interests
    assessment per purpose, a subject's flows resting on contract) as a related location at
    its own file:line (SARIF 2.1.0 §3.27.22), at most ``RELATED_LOCATIONS_LIMIT``, in the
    finding's order; and how many were left out. Before, only the first flow was located:
    the others were names in the message and in ``properties.flows`` (auditor review s18)."""
    related: list[dict[str, Any]] = []
    flows = finding.flows
    for flow_id in flows[:RELATED_LOCATIONS_LIMIT]:
        entry: dict[str, Any] = {
            "id": len(related),
            "message": {"text": _plain(f"flows/{flow_id}")},
            "logicalLocations": [
                {"name": flow_id, "fullyQualifiedName": f"flows/{flow_id}", "kind": "element"}
            ],
        }
        location = locate(flow_id)
        if location is not None:
            entry["physicalLocation"] = _physical_location(location)
        related.append(entry)
    return related, max(0, len(flows) - RELATED_LOCATIONS_LIMIT)


def _result(
    finding: Finding, rule_index: int, locate: Callable[[str], Location | None]
) -> dict[str, Any]:
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
        related, left_out = _related(finding, locate)
        result["relatedLocations"] = related
        if left_out:
            result["properties"]["relatedLocationsLeftOut"] = left_out
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


@dataclass(frozen=True)
class Kept:
    """Which results a run keeps under its limit: all (``left_out`` 0), or the positions
    of the most severe (findings first, then changes to review, by their place in the
    result) and how many of each severity were left out."""

    total: int
    kept: tuple[int, ...] | None  # None: every result, in the result's order
    left_out: dict[str, int]

    @property
    def left_out_count(self) -> int:
        return sum(self.left_out.values())


#: A change to review ranks above a critical finding: it is what fails the gate.
_REVIEW_RANK = Severity.CRITICAL.rank + 1


def kept_results(result: AuditResult, max_results: int = DEFAULT_MAX_RESULTS) -> Kept:
    """The results a SARIF run of ``result`` keeps under ``max_results`` (0: no limit): the
    most severe, a change to review first, then critical to info; at one severity an active
    finding before a waived one, a new one (``--base``) before an existing one, then in the
    result's order. Deterministic: the same audit keeps the same results."""
    findings = result.findings
    review = result.review
    total = len(findings) + len(review)
    if not max_results or total <= max_results:
        return Kept(total, None, {})
    against = result.against

    def order(position: int) -> tuple[int, int, int, int]:
        if position >= len(findings):
            change = review[position - len(findings)]
            return (-_REVIEW_RANK, int(change.accepted), 0, position)
        finding = findings[position]
        unchanged = against is not None and not against.is_new(finding)
        return (-finding.severity.rank, int(finding.waiver is not None), int(unchanged), position)

    kept = heapq.nsmallest(max_results, range(total), key=order)
    chosen = set(kept)
    counts = Counter(
        "change to review" if position >= len(findings) else findings[position].severity.value
        for position in range(total)
        if position not in chosen
    )
    grades = ["change to review", *(severity.value for severity in Severity)]
    left_out = {grade: counts[grade] for grade in grades if counts[grade]}
    return Kept(total, tuple(kept), left_out)


def left_out_note(kept: Kept, max_results: int) -> str:
    """What a run that left results out says (its notification, and the stderr line)."""
    grades = ", ".join(f"{count:,} {grade}" for grade, count in kept.left_out.items())
    return (
        f"{kept.left_out_count:,} of {kept.total:,} results were left out of this SARIF run "
        f"(--sarif-max-results {max_results:,}; GitHub code scanning shows at most 5,000 of a "
        f"run and rejects more than 25,000): it keeps the {max_results:,} most severe; left "
        f"out: {grades}. Every finding is in the text, JSON and Markdown output"
    )


def _results(
    result: AuditResult, index: dict[str, int], review_index: int, kept: Kept
) -> Iterator[Any]:
    """Each finding's result, then each change to review's, made one at a time; past the
    limit, the kept ones, most severe first."""
    against = result.against
    findings = result.findings
    sources = result.loaded.sources

    def locate(flow_id: str) -> Location | None:
        return sources.locate(("flows", flow_id))

    positions = range(kept.total) if kept.kept is None else kept.kept
    for position in positions:
        if position >= len(findings):
            yield _review_result(result.review[position - len(findings)], review_index)
            continue
        finding = findings[position]
        found = _result(finding, index[finding.rule_id], locate)
        if against is not None:
            # under --base: whether the change adds the finding, in SARIF's own terms (3.27.24)
            found["baselineState"] = "new" if against.is_new(finding) else "unchanged"
        yield found


def sarif_document(
    result: AuditResult, fail_on: Severity, max_results: int = DEFAULT_MAX_RESULTS
) -> dict[str, Any]:
    """One SARIF run: every rule in tool.driver.rules, every finding as a result, and the
    changes to review (``check --base``) under one pseudo-rule. The results are a Streamed
    list, made as :func:`~flowaudit.reports.sanitise.json_pieces` writes them. Past
    ``max_results`` (0: no limit) the run keeps the most severe (:func:`kept_results`),
    says how many it left out in a tool execution notification and in
    ``properties.resultsLeftOut``."""
    index = {rule.id: position for position, rule in enumerate(result.rules)}
    rules = [
        _rule(r, result.rule_origin.get(r.id, "?"), result.legal_references(r), result.rule_fix(r))
        for r in result.rules
    ]
    if result.review:
        rules.append(_review_rule())
    kept = kept_results(result, max_results)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if result.warnings:
        invocation["toolConfigurationNotifications"] = [
            {"level": "warning", "message": {"text": _plain(warning)}}
            for warning in result.warnings
        ]
    gone = kept_gone(result.against, max_results)
    notes = []
    if kept.left_out_count:
        notes.append(("results-left-out", left_out_note(kept, max_results)))
    if gone.left_out_count:
        notes.append(("gone-left-out", gone_left_out_note(gone, max_results)))
    if notes:
        invocation["toolExecutionNotifications"] = [
            {"level": "warning", "descriptor": {"id": id_}, "message": {"text": _plain(text)}}
            for id_, text in notes
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "flowaudit",
                "version": result.tool_version,
                "rules": rules,
            }
        },
        "results": Streamed(_results(result, index, len(rules) - 1, kept)),
        **({"invocations": [invocation]} if len(invocation) > 1 else {}),
        "properties": {
            "asOf": result.as_of.isoformat(),
            "failOn": fail_on.value,
            "fingerprint": result.fingerprint,
            "organisation": result.loaded.organisation.name,
            **({"gone": _gone(result.against, gone)} if result.against is not None else {}),
            **(
                {"goneLeftOut": gone.left_out_count, "goneTotal": gone.total}
                if gone.left_out_count
                else {}
            ),
            **(
                {"resultsLeftOut": kept.left_out_count, "resultsTotal": kept.total}
                if kept.left_out_count
                else {}
            ),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def kept_gone(against: Against | None, max_results: int = DEFAULT_MAX_RESULTS) -> Kept:
    """The base's findings gone (``--base``) a SARIF run keeps in ``properties.gone`` under
    ``max_results`` (0: no limit), as the results are kept: the most severe, then in the
    result's order. A pull request that deletes a 100,000-flow map made the property bag
    hold every finding of the base, unbounded, where the results were cut at 5,000 (attack
    review s17, problem c)."""
    gone = () if against is None else against.gone
    total = len(gone)
    if not max_results or total <= max_results:
        return Kept(total, None, {})
    kept = heapq.nsmallest(
        max_results, range(total), key=lambda at: (-gone[at].finding.severity.rank, at)
    )
    chosen = set(kept)
    counts = Counter(gone[at].finding.severity.value for at in range(total) if at not in chosen)
    left_out = {grade.value: counts[grade.value] for grade in Severity if counts[grade.value]}
    return Kept(
        total, tuple(sorted(kept, key=lambda at: (-gone[at].finding.severity.rank, at))), left_out
    )


def gone_left_out_note(kept: Kept, max_results: int) -> str:
    """What a run that left findings gone out of ``properties.gone`` says."""
    grades = ", ".join(f"{count:,} {grade}" for grade, count in kept.left_out.items())
    return (
        f"{kept.left_out_count:,} of {kept.total:,} findings gone since the base were left "
        f"out of this SARIF run's properties.gone (--sarif-max-results {max_results:,}): it "
        f"keeps the {max_results:,} most severe; left out: {grades}. Every one is in the "
        "text, JSON and Markdown output"
    )


def _gone(against: Against, kept: Kept) -> list[dict[str, Any]]:
    """Under ``--base``, the base's findings the change made go, in the run's property bag:
    not as results with ``baselineState: absent``, which code scanning would open as alerts
    at lines that may no longer exist. Past the limit, the kept ones (``kept_gone``)."""
    gone = against.gone
    positions = range(kept.total) if kept.kept is None else kept.kept
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
        for g in (gone[at] for at in positions)
    ]


def sarif_pieces(
    result: AuditResult, fail_on: Severity, max_results: int = DEFAULT_MAX_RESULTS
) -> Iterator[str]:
    """The SARIF document in pieces: its results made, written and dropped a few thousand
    at a time (a dense 100,000-flow map has 180,000 findings, 250 MB of text, cut to the
    ``max_results`` most severe)."""
    return json_pieces(sarif_document(result, fail_on, max_results))


def render_sarif(
    result: AuditResult, fail_on: Severity, max_results: int = DEFAULT_MAX_RESULTS
) -> str:
    """The SARIF document whole (:func:`sarif_pieces` joined)."""
    return "".join(sarif_pieces(result, fail_on, max_results))
