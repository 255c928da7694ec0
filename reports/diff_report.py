"""The baseline diff as text and JSON: map changes, new and gone findings (with why they
went), and the changes to review."""

from __future__ import annotations

from typing import Any

from flowaudit.checks.baseline import Baseline
from flowaudit.model.diff import ElementChange, MapDiff
from flowaudit.policies.schema import Severity
from flowaudit.reports.json_report import finding_dict
from flowaudit.reports.sanitise import for_json, for_terminal


def _change(change: ElementChange) -> str:
    fields = f" ({', '.join(change.fields)})" if change.fields else ""
    return for_terminal(f"{change.collection}/{change.id}{fields}")


def render_diff_text(diff: MapDiff, baseline: Baseline, fail_on: Severity) -> str:
    lines: list[str] = []
    for label, changes in (("+", diff.added), ("-", diff.removed), ("~", diff.changed)):
        lines.extend(f"{label} {for_terminal(_change(change))}" for change in changes)
    if diff.empty:
        lines.append("no change to the map")
    lines.append("")
    for finding in baseline.new:
        where = for_terminal(finding.location) if finding.location else "(map)"
        lines.append(
            f"NEW   {where} {finding.severity.value.upper()} {finding.rule_id} "
            f"{for_terminal(finding.element_label)}: {for_terminal(finding.message)}"
        )
    for gone in baseline.gone:
        finding = gone.finding
        lines.append(
            f"{gone.status.upper().replace(' ', '-')} {finding.severity.value.upper()} "
            f"{finding.rule_id} {for_terminal(finding.element_label)}: "
            f"{for_terminal(finding.message)}"
            + ("" if gone.status == "fixed" else f" [{for_terminal(gone.reason)}]")
        )
    for review in baseline.review:
        state = "accepted" if review.accepted else "NOT ACCEPTED"
        lines.append(f"REVIEW ({state}) {for_terminal(review.id)}: {for_terminal(review.detail)}")
    verdict = "FAIL" if baseline.fails(fail_on) else "PASS"
    lines.append(
        f"{verdict}: {baseline.summary(fail_on)}; map: "
        f"{len(diff.added):,} added, {len(diff.removed):,} removed, {len(diff.changed):,} changed."
    )
    return "\n".join(lines) + "\n"


def render_diff_json(diff: MapDiff, baseline: Baseline, fail_on: Severity) -> str:
    def changes(items: list[ElementChange]) -> list[dict[str, Any]]:
        return [{"collection": c.collection, "id": c.id, "fields": list(c.fields)} for c in items]

    document = {
        "format_version": 1,
        "map": {
            "added": changes(diff.added),
            "removed": changes(diff.removed),
            "changed": changes(diff.changed),
        },
        "new": [finding_dict(f) for f in baseline.new],
        "fixed": [finding_dict(f) for f in baseline.fixed],
        "gone": [
            {**finding_dict(g.finding), "status": g.status, "reason": g.reason}
            for g in baseline.gone
        ],
        "review": [
            {
                "id": c.id,
                "kind": c.kind,
                "subject": c.subject,
                "detail": c.detail,
                "accepted": c.accepted,
            }
            for c in baseline.review
        ],
        "summary": {
            "fail_on": fail_on.value,
            "failing": len(baseline.failing(fail_on)),
            "gone": baseline.counts(),
            "unaccepted_changes": len(baseline.unaccepted),
            "verdict": "fail" if baseline.fails(fail_on) else "pass",
        },
    }
    return for_json(document)
