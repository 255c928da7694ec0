"""JSON: a documented, stable shape (docs/json-format.md), keys sorted, for machines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flowaudit.checks.engine import not_binding
from flowaudit.checks.result import Against, AuditResult, Finding
from flowaudit.model.loader import Location
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import Streamed, json_pieces
from flowaudit.reports.summary import judged_nothing, not_judged, partly_judged, rule_verdicts

JSON_FORMAT_VERSION = 1


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.column}


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding; ``unconfirmed`` (only when present) names unverified legal rows it uses,
    ``regime`` (only when present) the regime its flow is sent under where that is not the
    organisation's (its message, law and fix follow it). Made for every finding (163,000 on
    the 100k-flow hub map): its location and waiver read in line, the severity's value
    read as stored (``Enum.value`` is a property written in Python)."""
    location = finding.location
    element = finding.element
    data = {
        "id": finding.finding_id,
        "rule_id": finding.rule_id,
        "also_rules": list(finding.also),
        "severity": finding.severity._value_,
        "code": finding.code,
        "message": finding.message,
        "element": {"collection": element[0], "id": element[1]},
        "field": list(map(str, finding.field)),
        "location": None
        if location is None
        else {"file": location.file, "line": location.line, "column": location.column},
        "path": list(finding.path),
        "waiver": None if finding.waiver is None else _waiver(finding),
    }
    if finding.unconfirmed:
        data["unconfirmed"] = list(finding.unconfirmed)
    if finding.flows:
        data["flows"] = list(finding.flows)
    if finding.regime:  # a hop sent under another regime's law than the organisation's
        data["regime"] = finding.regime
    return data


def _with_state(data: dict[str, Any], finding: Finding, against: Against | None) -> dict[str, Any]:
    """Under ``check --base`` only: ``baseline_state``, SARIF's word for whether the change
    adds the finding (``new``) or it existed at the base (``unchanged``)."""
    if against is not None:
        data["baseline_state"] = "new" if against.is_new(finding) else "unchanged"
    return data


def _pass_dicts(result: AuditResult) -> Iterator[dict[str, Any]]:
    """Each pass; ``unconfirmed`` (only when present) as for findings, and ``assumed`` (only
    when present): the facts the map marks assumed that the pass rests on."""
    locate = result.loaded.sources.locate
    for evaluation in result.passed:
        element = evaluation.element
        location = locate(element)
        data: dict[str, Any] = {
            "rule_id": evaluation.rule_id,
            "element": {"collection": element[0], "id": element[1]},
            "location": None
            if location is None
            else {"file": location.file, "line": location.line, "column": location.column},
        }
        if evaluation.unconfirmed:
            data["unconfirmed"] = list(evaluation.unconfirmed)
        if evaluation.assumed:
            data["assumed"] = list(evaluation.assumed)
        yield data


def _waiver(finding: Finding) -> dict[str, Any] | None:
    waiver = finding.waiver
    if waiver is None:
        return None
    return {
        "id": waiver.id,
        "owner": waiver.owner,
        "justification": waiver.justification,
        "approved_on": waiver.approved_on.isoformat(),
        "expires_on": waiver.expires_on.isoformat(),
    }


def result_dict(result: AuditResult, fail_on: Severity, streamed: bool = False) -> dict[str, Any]:
    """The report as data; ``streamed``: its findings and passes as Streamed lists, each
    made when :func:`~flowaudit.reports.sanitise.json_pieces` writes it."""

    def listed(items: Iterable[Any]) -> Streamed | list[Any]:
        return Streamed(items) if streamed else list(items)

    organisation = result.loaded.organisation
    counts = result.counts()
    verdicts = rule_verdicts(result)
    return {
        "format_version": JSON_FORMAT_VERSION,
        "warnings": list(result.warnings),
        "tool": {"name": "flowaudit", "version": result.tool_version},
        "as_of": result.as_of.isoformat(),
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "country": organisation.country,
            "regime": organisation.regime.value,
        },
        "inputs": [{"path": f.path, "sha256": f.sha256} for f in result.inputs],
        "policies": [{"path": f.path, "sha256": f.sha256} for f in result.policy_files],
        "fingerprint": result.fingerprint,
        "summary": {
            # under --base, the gate's verdict (new findings, unaccepted changes), as the
            # exit code has it; "failing" still counts every finding at or above fail_on
            "verdict": "fail" if result.fails(fail_on) else "pass",
            "fail_on": fail_on.value,
            "findings": len(result.findings),
            "failing": len(result.failing(fail_on)),
            "passed": len(result.passed),
            "waived": len(result.waived),
            "by_severity": {s.value: counts[s] for s in Severity},
            # the enabled rules of another regime's law: they judged nothing of this map
            # (DPO review 2026-12-03s, problem 4)
            "not_judged": not_judged(result),
            # the rules that judged part of what they matched, with how many elements they
            # left unjudged (auditor review 2026-12-03u, problem 4)
            "partly_judged": partly_judged(result),
            # the rules that matched elements and judged none of them, with how many: no
            # pass, though nothing failed (DPO review v, point 6)
            "judged_nothing": judged_nothing(result),
        },
        "rules": [
            {
                "id": rule.id,
                "kind": rule.kind,
                "title": rule.title,
                "severity": rule.severity.value,
                "policy": result.rule_origin.get(rule.id),
                "enabled": rule.enabled,
                # why an enabled rule judged nothing of the map (its law is another regime's),
                # or null: "enabled" alone read as judged (DPO review 2026-12-03s, problem 4)
                "not_judged": not_binding(rule, organisation.regime.value)
                if rule.enabled
                else None,
                # what it matched and did not judge, and why: a pass beside them is no clean
                # pass (auditor review 2026-12-03u, problems 4 and 8)
                "unjudged": [
                    {"reason": reason, "elements": count}
                    for reason, count in result.unjudged.get(rule.id, {}).items()
                ],
                # fail, waived, pass, not_judged (it judged nothing), n/a or off: "pass" is
                # never a rule that judged nothing (DPO review v, point 6)
                "verdict": verdicts[rule.id],
                "references": {
                    "notice": rule.references.notice,
                    "legal": result.legal_references(rule),
                },
            }
            for rule in result.rules
        ],
        "overrides": [
            {
                "rule_id": o.rule_id,
                "enabled": o.enabled,
                "severity": o.severity.value,
                "previous_severity": o.previous_severity.value,
                "settings": dict(o.settings),
                "justification": o.justification,
                "owner": o.owner,
                "file": o.file,
            }
            for o in result.overrides
        ],
        "findings": listed(
            _with_state(finding_dict(f), f, result.against) for f in result.findings
        ),
        **(
            {
                # under --base: the base's findings HEAD no longer has, located at REF:path
                "gone": [
                    {
                        **finding_dict(g.finding),
                        "baseline_state": "absent",
                        "gone_status": g.status,
                        "gone_reason": g.reason,
                    }
                    for g in result.against.gone
                ]
            }
            if result.against is not None
            else {}
        ),
        "review": [
            {
                "id": c.id,
                "kind": c.kind,
                "subject": c.subject,
                "detail": c.detail,
                "accepted": c.accepted,
                "location": _location(c.location),
            }
            for c in result.review
        ],
        "passed": listed(_pass_dicts(result)),
    }


def json_report_pieces(result: AuditResult, fail_on: Severity) -> Iterator[str]:
    """The JSON report in pieces, findings and passes made and dropped a few thousand at a
    time (a dense 100,000-flow map's report is 150 MB)."""
    return json_pieces(result_dict(result, fail_on, streamed=True))


def render_json(result: AuditResult, fail_on: Severity) -> str:
    """The JSON report whole (:func:`json_report_pieces` joined)."""
    return "".join(json_report_pieces(result, fail_on))
