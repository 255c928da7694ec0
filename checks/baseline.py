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


def compare(base: AuditResult, head: AuditResult) -> Baseline:
    before = Counter(finding_key(f) for f in base.active)
    after = Counter(finding_key(f) for f in head.active)
    new: list[Finding] = []
    for finding in head.active:
        key = finding_key(finding)
        if before[key] > 0:
            before[key] -= 1
        else:
            new.append(finding)
    fixed: list[Finding] = []
    for finding in base.active:
        key = finding_key(finding)
        if after[key] > 0:
            after[key] -= 1
        else:
            fixed.append(finding)
    return Baseline(tuple(new), tuple(fixed))
