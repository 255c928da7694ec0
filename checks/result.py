"""The one immutable result of an audit that every report reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flowaudit.model.loader import ElementRef, InputFile, LoadedMap, Location
from flowaudit.model.schema import Waiver
from flowaudit.policies.legal import LegalTable
from flowaudit.policies.loader import AppliedOverride
from flowaudit.policies.schema import RuleBase, Severity


def finding_id(rule_id: str, element: ElementRef, code: str) -> str:
    """``F-`` and 10 hex digits of sha256 over rule, element and code."""
    key = f"{rule_id}\0{element[0]}\0{element[1]}\0{code}".encode()
    return "F-" + hashlib.sha256(key).hexdigest()[:10]


@dataclass(frozen=True)
class Finding:
    """A rule broken by one model element, located in the input."""

    rule_id: str
    severity: Severity
    code: str
    message: str
    element: ElementRef
    field: tuple[str | int, ...]
    location: Location | None
    path: tuple[str, ...] = ()
    waiver: Waiver | None = None

    @property
    def element_label(self) -> str:
        return f"{self.element[0]}/{self.element[1]}"

    @property
    def finding_id(self) -> str:
        """A stable id from rule, element and code, never from lines or order: the same
        problem keeps its id across edits, file moves and runs, so a register can track it."""
        return finding_id(self.rule_id, self.element, self.code)

    @property
    def waived(self) -> bool:
        return self.waiver is not None


@dataclass(frozen=True)
class Evaluation:
    """Evidence that a rule was evaluated on an element and passed (located on demand by the
    reports that print it: locating 300,000 passes up front costs a second)."""

    rule_id: str
    element: ElementRef


@dataclass(frozen=True)
class AuditResult:
    """Model, rules, findings, passes and the fingerprint of the inputs."""

    tool_version: str
    as_of: date
    loaded: LoadedMap
    legal: LegalTable
    rules: tuple[RuleBase, ...]
    rule_origin: dict[str, str]
    policy_files: tuple[InputFile, ...]
    findings: tuple[Finding, ...]
    passed: tuple[Evaluation, ...]
    overrides: tuple[AppliedOverride, ...] = ()

    @property
    def inputs(self) -> tuple[InputFile, ...]:
        return self.loaded.files

    @property
    def fingerprint(self) -> str:
        """sha256 over every input and policy file's hash and the audit date."""
        digest = hashlib.sha256()
        for item in (*self.inputs, *self.policy_files):
            # a file name that is not UTF-8 arrives with lone surrogates: hash its own bytes
            digest.update(f"{item.path}\0{item.sha256}\n".encode("utf-8", "surrogateescape"))
        digest.update(f"as-of {self.as_of.isoformat()}\n".encode())
        return digest.hexdigest()

    def rule(self, rule_id: str) -> RuleBase:
        return next(r for r in self.rules if r.id == rule_id)

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings not covered by a waiver in force."""
        return tuple(f for f in self.findings if not f.waived)

    @property
    def waived(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.waived)

    def counts(self) -> dict[Severity, int]:
        """Active (unwaived) findings by severity."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.active:
            counts[finding.severity] += 1
        return counts

    def failing(self, fail_on: Severity) -> list[Finding]:
        """Unwaived findings at or above ``fail_on``: these make the run fail."""
        return [f for f in self.active if f.severity.rank >= fail_on.rank]
