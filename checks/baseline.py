"""Judging a change by what it adds: findings of HEAD not in BASE are new, those of BASE not
in HEAD are fixed. Findings are matched on (rule, element, code, message), never on line
numbers, which move with every edit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import Severity

FindingKey = tuple[str, tuple[str, str], str, str]


def finding_key(finding: Finding) -> FindingKey:
    return (finding.rule_id, finding.element, finding.code, finding.message)


@dataclass(frozen=True)
class Baseline:
    """New and fixed findings between two audits."""

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]

    def failing(self, fail_on: Severity) -> list[Finding]:
        """New, unwaived findings at or above fail_on: only these fail a change."""
        return [f for f in self.new if not f.waived and f.severity.rank >= fail_on.rank]


def _unmatched(findings: tuple[Finding, ...], other: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings with no counterpart in ``other`` (repeats are matched one to one)."""
    remaining = Counter(finding_key(f) for f in other)
    unmatched: list[Finding] = []
    for finding in findings:
        key = finding_key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            unmatched.append(finding)
    return tuple(unmatched)


def compare(base: AuditResult, head: AuditResult) -> Baseline:
    """New: HEAD's findings with no match in BASE; fixed: BASE's with no match in HEAD."""
    return Baseline(_unmatched(head.active, base.active), _unmatched(base.active, head.active))
