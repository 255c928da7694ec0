"""Rule-kind case files (tests/cases/<kind>.yaml): what they hold, how they are read, and how a
case is audited. tests/test_cases.py runs every case; CONTRIBUTING.md documents the format.

A case is data, not code: a map (inline text, so expected lines and columns count from the
snippet's first line, or a fixture file), the rules (inline or a fixture file, plus shipped
policies by name), the audit date, and the exact findings expected, in the engine's order,
each with rule, element, code, severity, line *and* column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flowaudit.checks.result import AuditResult, Evaluation, Finding
from flowaudit.model.discovery import display_path
from flowaudit.policies.loader import load_policies
from tests.helpers import BASE, FIXTURES, audit_files

CASES = Path(__file__).parent / "cases"
DEFAULT_AS_OF = "2026-11-25"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(_Strict):
    """One finding, exactly. ``file`` says where it is located when that is not the case's map
    (``base``: the base organisation, tests/fixtures/base/acme.yaml)."""

    rule: str
    element: str  # collection/id, e.g. flows/no-agreement
    code: str
    severity: str
    line: int
    column: int
    file: str = "map"
    # Optional stronger claims, asserted only when given:
    message: str | None = None
    message_starts: str | None = None
    path: list[str] | None = None  # the chain of a path finding (onward)
    waived: bool | None = None
    waiver: str | None = None  # id of the waiver that covers it
    waived_until: str | None = None  # the last day its waiver covers it (YYYY-MM-DD)
    also: list[str] | None = None  # further rules merged into this finding
    unconfirmed: list[str] | None = None  # the UNCONFIRMED legal rows it relies on, exactly

    @field_validator("file")
    @classmethod
    def _known_file(cls, value: str) -> str:
        if value not in {"map", "base"}:
            raise ValueError("file is 'map' (the case's map, the default) or 'base'")
        return value


class Only(_Strict):
    """Compare only the findings (and passes) of this rule and/or this element: for cases run
    under a shipped policy whose other rules are not the point of the case."""

    rule: str | None = None
    element: str | None = None


class Case(_Strict):
    """One audit and what it must find. Exactly one of map / map_file; policy, policy_file and
    policies may be combined (shipped policies first)."""

    description: str = ""
    map: str | None = None  # inline map text
    map_file: str | None = None  # a fixture, relative to tests/fixtures
    policy: list[dict[str, Any]] | None = None  # inline rules
    policy_file: str | None = None  # a fixture, relative to tests/fixtures
    policies: list[str] = []  # shipped policy names
    base: bool = True  # audit the base organisation (tests/fixtures/base/acme.yaml) too
    as_of: str = DEFAULT_AS_OF
    only: Only = Only()
    expect: list[Expected]
    passes: list[str] | None = None  # elements the selected rules passed, sorted
    # the notes of the selected passes, by element (an element whose pass has none left out):
    # the UNCONFIRMED legal rows each rests on, and the ASSUMED facts
    passes_unconfirmed: dict[str, list[str]] | None = None
    passes_assumed: dict[str, list[str]] | None = None
    # the audit's warnings, exactly, each location written from the map's file name on
    # (``map.yaml:3:5: ...``): what the rules say they leave unjudged
    warnings: list[str] | None = None
    # what the selected rules matched and did not judge, by rule id: reason to how many
    # elements (``AuditResult.unjudged``; auditor review 2026-12-03u, problems 4 and 8)
    unjudged: dict[str, dict[str, int]] | None = None

    @model_validator(mode="after")
    def _one_map(self) -> Case:
        if (self.map is None) == (self.map_file is None):
            raise ValueError("give exactly one of map (inline text) or map_file (a fixture)")
        if self.policy is None and self.policy_file is None and not self.policies:
            raise ValueError("give policy, policy_file or policies: a case needs rules")
        date.fromisoformat(self.as_of)
        return self


class CaseFile(_Strict):
    """tests/cases/<kind>.yaml: the cases of one rule kind, by name."""

    kind: str
    cases: dict[str, Case] = Field(min_length=1)


@dataclass(frozen=True)
class NamedCase:
    kind: str
    name: str
    case: Case
    source: Path

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.name}"


# libyaml's parser under the same all-text constructor: every worker reads the 24 case files
# at collection, and the pure-Python parser took most of a second of it.
BASE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def load_case_file(path: Path) -> CaseFile:
    """Read one case file. Every scalar is read as text (YAML 1.1 would make ``no`` false and
    a date a date); pydantic then converts the few numbers and booleans it expects."""
    with path.open(encoding="utf-8") as stream:
        raw = yaml.load(stream, Loader=BASE_LOADER)
    parsed = CaseFile.model_validate(raw)
    if parsed.kind != path.stem:
        raise ValueError(f"{path}: kind {parsed.kind!r} does not match the file name")
    return parsed


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def all_cases() -> list[NamedCase]:
    """Every case of every case file, in file then case order."""
    return [
        NamedCase(parsed.kind, name, case, path)
        for path in case_files()
        for parsed in [load_case_file(path)]
        for name, case in parsed.cases.items()
    ]


@dataclass(frozen=True)
class Outcome:
    result: AuditResult
    map_path: Path


def audit_case(case: Case, workdir: Path) -> Outcome:
    """Audit a case: inline map and rules are written to files in workdir first."""
    if case.map is not None:
        map_path = workdir / "map.yaml"
        map_path.write_text(case.map, encoding="utf-8")
    else:
        assert case.map_file is not None
        map_path = FIXTURES / case.map_file
    result = audit_files(
        map_path,
        as_of=case.as_of,
        policies=tuple(case.policies),
        user_policies=policy_paths(case, workdir),
        base=case.base,
    )
    return Outcome(result, map_path)


def policy_paths(case: Case, workdir: Path) -> list[Path]:
    """The case's user policy files: its fixture, then its inline rules written to workdir."""
    paths: list[Path] = []
    if case.policy_file is not None:
        paths.append(FIXTURES / case.policy_file)
    if case.policy is not None:
        policy_path = workdir / "policy.yaml"
        rules = _whole_numbers(case.policy)
        document = {"policy": {"id": "case", "title": "Case"}, "rules": rules}
        policy_path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        paths.append(policy_path)
    return paths


def _whole_numbers(value: Any) -> Any:
    """The inline rules with each text of digits as the number the case file wrote: the case
    file is read with every scalar as text, and a policy's whole numbers are taken only as
    written (``within_days: '60'`` is refused: attack review 2026-12-03r, problem 3)."""
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


def rule_kinds(case: Case, workdir: Path) -> dict[str, str]:
    """Rule id -> rule kind of every rule the case audits with (no audit is run)."""
    rules = load_policies(case.policies, policy_paths(case, workdir)).rules
    return {rule.id: rule.kind for rule in rules}


def _label(element: tuple[str, str]) -> str:
    return f"{element[0]}/{element[1]}"


def _selected(case: Case, rule_ids: tuple[str, ...], element: tuple[str, str]) -> bool:
    if case.only.rule is not None and case.only.rule not in rule_ids:
        return False
    return case.only.element is None or case.only.element == _label(element)


def actual(case: Case, outcome: Outcome) -> list[dict[str, Any]]:
    """The case's findings in the engine's order, as dicts shaped like the expectations, with
    the optional fields filled only where the expectation asks for them (see compare)."""
    found: list[dict[str, Any]] = []
    for finding in outcome.result.findings:
        if _selected(case, finding.rule_ids, finding.element):
            found.append(_describe(finding, outcome))
    return found


def _describe(finding: Finding, outcome: Outcome) -> dict[str, Any]:
    location = finding.location
    where = "?"
    if location is not None:
        resolved = Path(location.file).resolve()
        # a map outside the working folder is shown from its argument's folder (map.yaml)
        shown = display_path(outcome.map_path, outcome.map_path)
        if location.file == shown or resolved == outcome.map_path.resolve():
            where = "map"
        elif resolved == BASE.resolve():
            where = "base"
        else:
            where = location.file
    return {
        "rule": finding.rule_id,
        "element": _label(finding.element),
        "code": finding.code,
        "severity": str(finding.severity),
        "line": location.line if location else 0,
        "column": location.column if location else 0,
        "file": where,
        "message": finding.message,
        "message_starts": finding.message,
        "path": list(finding.path),
        "waived": finding.waived,
        "waiver": finding.waiver.id if finding.waiver else None,
        "waived_until": finding.waiver.expires_on.isoformat() if finding.waiver else None,
        "also": list(finding.also),
        "unconfirmed": list(finding.unconfirmed),
    }


def compare_view(expect: list[Expected], found: list[dict[str, Any]]) -> tuple[Any, Any]:
    """(expected, actual) as lists of dicts that compare equal exactly when the case holds:
    the optional fields of an expectation are compared only where it gives them."""
    wanted = [item.model_dump(exclude_none=True) for item in expect]
    got: list[dict[str, Any]] = []
    for index, item in enumerate(found):
        keys = wanted[index].keys() if index < len(wanted) else _REQUIRED
        view = {key: item[key] for key in keys}
        if "message_starts" in view:
            view["message_starts"] = _prefix(item["message"], wanted[index]["message_starts"])
        got.append(view)
    return wanted, got


_REQUIRED = ("rule", "element", "code", "severity", "line", "column", "file")


def _prefix(message: str, start: str) -> str:
    return start if message.startswith(start) else message


def passed(case: Case, outcome: Outcome) -> list[str]:
    """Sorted labels of the elements the selected rule evaluated and passed."""
    evaluations: tuple[Evaluation, ...] = outcome.result.passed
    return sorted(
        _label(item.element)
        for item in evaluations
        if _selected(case, (item.rule_id,), item.element)
    )


def pass_notes(case: Case, outcome: Outcome, which: str) -> dict[str, list[str]]:
    """The selected passes' notes (``which``: ``unconfirmed`` or ``assumed``) by element,
    elements with none left out."""
    return {
        _label(item.element): list(getattr(item, which))
        for item in outcome.result.passed
        if _selected(case, (item.rule_id,), item.element) and getattr(item, which)
    }
