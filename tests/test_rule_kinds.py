"""Rule kinds are declared once (policies.schema.RULE_KINDS): the union of a policy file, the
JSON Schema, RULE_MODELS and the check registry all say the same kinds, in the same order."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from flowaudit.checks import engine
from flowaudit.checks.engine import run_audit
from flowaudit.checks.registry import CHECKS, REGISTERED
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.loader import load_map
from flowaudit.model.problems import InputError
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import load_policies
from flowaudit.policies.schema import (
    RULE_KINDS,
    RULE_MODELS,
    Match,
    PolicyFile,
    Rule,
    ScopedRule,
    Severity,
    WaiverRule,
    kind_of,
    policy_json_schema,
)
from tests.helpers import BASE, FIXTURES, line_of, run

KINDS = [kind_of(model) for model in RULE_KINDS]


def test_the_registry_has_one_check_for_each_model_kind_and_no_other() -> None:
    assert len(KINDS) == len(set(KINDS)) == 27
    registered = [check.kind for check in REGISTERED]
    assert sorted(registered) == sorted(KINDS)  # each exactly once, both ways
    assert len(registered) == len(set(registered))
    for check in REGISTERED:
        assert check.model is RULE_MODELS[check.kind]
    assert list(CHECKS) == KINDS


def test_rule_models_and_the_policy_union_derive_from_the_one_list() -> None:
    assert list(RULE_MODELS) == KINDS
    assert [RULE_MODELS[k] for k in KINDS] == list(RULE_KINDS)
    adapter: TypeAdapter[Any] = TypeAdapter(Rule)
    rule = adapter.validate_python(
        {
            "id": "T-WAIVER",
            "kind": "waiver",
            "title": "t",
            "severity": "low",
            "rationale": "r",
            "references": {"legal": ["x"]},
            "fix": "f",
        }
    )
    assert type(rule) is WaiverRule
    assert PolicyFile.model_fields["rules"].annotation == list[Rule]  # type: ignore[misc]


def test_the_json_schema_names_every_kind_in_order() -> None:
    schema = policy_json_schema()
    union: Any = schema["properties"]["rules"]["items"]  # type: ignore[index]
    mapping = union["discriminator"]["mapping"]
    assert mapping == {kind: f"#/$defs/{RULE_MODELS[kind].__name__}" for kind in KINDS}
    assert [ref["$ref"] for ref in union["oneOf"]] == [
        f"#/$defs/{model.__name__}" for model in RULE_KINDS
    ]


UNSCOPED = {
    "agreement_evidence",
    "agreement_expiry",
    "breach",
    "notice_content",
    "processor_duties",
    "record_evidence",
    "representative",
    "rights",
    "waiver",
}
SCOPED = [kind for kind in KINDS if kind not in UNSCOPED]
NOTHING = Match(purposes=["no-such-purpose"])  # a match that selects no flow and no store


def _audit_bad_fixture(kind: str, scope: Match | None) -> list[Finding]:
    """The findings of a kind's rules on its bad fixture, those rules scoped by ``scope``."""
    folder = FIXTURES / "checks" / kind
    own = [folder / "policy.yaml"] if (folder / "policy.yaml").is_file() else []
    policies = load_policies(("uk-gdpr", "hygiene"), own)
    try:
        loaded = load_map([BASE, folder / "bad.yaml"])
    except InputError:  # the fixture describes its own organisation
        loaded = load_map([folder / "bad.yaml"])
    rules = tuple(
        r.model_copy(update={"match": scope})
        if scope is not None and isinstance(r, ScopedRule) and r.kind == kind
        else r
        for r in policies.rules
    )
    ids = {r.id for r in rules if r.kind == kind}
    result = run_audit(
        loaded, replace(policies, rules=rules), load_legal_table(), date(2026, 11, 25)
    )
    return [f for f in result.findings if ids & set(f.rule_ids)]


def test_exactly_the_kinds_whose_check_honours_match_take_one() -> None:
    assert {k for k, m in RULE_MODELS.items() if not issubclass(m, ScopedRule)} == UNSCOPED
    definitions: Any = policy_json_schema()["$defs"]
    for kind in UNSCOPED:
        assert "match" not in RULE_MODELS[kind].model_fields, kind
        assert "match" not in definitions[RULE_MODELS[kind].__name__]["properties"], kind
    for kind in SCOPED:
        assert "match" in definitions[RULE_MODELS[kind].__name__]["properties"], kind


@pytest.mark.parametrize("kind", SCOPED)
def test_a_scoped_kind_finds_nothing_outside_its_match(kind: str) -> None:
    """Each kind that takes ``match`` honours it: on its bad fixture it finds problems, and
    none once its match selects nothing."""
    assert _audit_bad_fixture(kind, None), f"{kind}: the bad fixture finds nothing"
    assert _audit_bad_fixture(kind, NOTHING) == []


RULE = """policy: {{id: p, title: P}}
rules:
  - id: T-RULE
    kind: {kind}
    title: t
    severity: low
    rationale: r
    references: {{legal: [x]}}
    fix: f
    match: {{directions: [outbound]}}
"""


@pytest.mark.parametrize("kind", sorted(UNSCOPED))
def test_match_on_a_kind_that_judges_the_whole_map_is_refused_at_file_line(
    kind: str, tmp_path: Path
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(RULE.format(kind=kind), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_policies((), [policy])
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (10, 5)
    assert problem.message.startswith(
        f"rule kind '{kind}' takes no 'match': it always judges {RULE_MODELS[kind].judges}; "
        "remove 'match' (the kinds that take one: agreement, lawful_basis, transfer, "
    )


def test_match_set_by_an_override_on_such_a_kind_is_refused_there(tmp_path: Path) -> None:
    policy = tmp_path / "o.yaml"
    policy.write_text(
        "policy: {id: o, title: O}\noverrides:\n"
        "  - rule: HYG-WAIVER\n    set: {match: {stores: [x]}}\n    justification: j\n"
        "  - rule: GDPR-TRANSFER\n    set: {match: {directions: [outbound]}}\n"
        "    justification: j\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_policies(("uk-gdpr", "hygiene"), [policy])
    (problem,) = raised.value.problems  # the transfer rule's match is accepted
    assert (problem.line, problem.column) == (4, 11)
    assert problem.message.startswith(
        "rule kind 'waiver' takes no 'match': it always judges every waiver in the map"
    )


def test_the_cli_refuses_it_with_exit_2(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(RULE.format(kind="breach"), encoding="utf-8")
    result = run(["check", str(BASE), "--policies", str(policy)])
    assert result.exit_code == 2
    assert (
        f"{policy}:10:5: rule kind 'breach' takes no 'match': it always judges the "
        "organisation's breach log and breach procedure" in result.output
    )


WAIVERS = FIXTURES / "checks" / "waiver"


def _waiver_audit(as_of: str = "2026-11-25", waiver_rule: bool = True) -> AuditResult:
    policies = load_policies((), [WAIVERS / "policy.yaml"])
    rules = tuple(
        r.model_copy(update={"enabled": False}) if r.kind == "waiver" and not waiver_rule else r
        for r in policies.rules
    )
    loaded = load_map([BASE, WAIVERS / "bad.yaml"])
    return run_audit(
        loaded, replace(policies, rules=rules), load_legal_table(), date.fromisoformat(as_of)
    )


def test_the_engine_names_no_rule_kind() -> None:
    source = inspect.getsource(engine)
    for model in RULE_KINDS:
        assert model.__name__ not in source
        assert f'"{kind_of(model)}"' not in source
    assert "waiver" not in source.lower()


def test_waivers_cover_findings_only_through_the_waiver_checks_post_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waived = {f.element[1] for f in _waiver_audit().findings if f.waived}
    assert waived == {"legacy-ftp", "long-ftp"}
    monkeypatch.setattr(CHECKS["waiver"], "after", None)
    findings = _waiver_audit().findings
    assert not any(f.waived for f in findings)
    assert "unmatched" not in {f.code for f in findings}


def test_without_a_waiver_rule_waivers_still_cover_but_nothing_caps_or_reports_them() -> None:
    """The waiver rule's post-pass runs with no rule: approval and expiry alone decide."""
    findings = _waiver_audit(as_of="2027-11-02", waiver_rule=False).findings
    assert {f.element[1] for f in findings if f.waived} == {"long-ftp"}  # 9999-12-31, no cap
    assert {f.rule_id for f in findings} == {"TEST-ENCRYPTION"}
    capped = _waiver_audit(as_of="2027-11-02").findings
    assert not any(f.waived for f in capped)  # 12 months after its approval on 2026-11-01


def test_an_unmatched_waiver_is_located_and_rated_like_any_finding(tmp_path: Path) -> None:
    (unmatched,) = [f for f in _waiver_audit().findings if f.code == "unmatched"]
    assert (unmatched.rule_id, unmatched.severity) == ("TEST-WAIVER", Severity.HIGH)
    assert unmatched.location is not None
    assert unmatched.location.line == line_of(WAIVERS / "bad.yaml", "id: matches-nothing")
    # a wrong code on an element with a finding of the rule is located at the code (review s16)
    assert unmatched.field == ("code",)
    lowered = tmp_path / "o.yaml"
    lowered.write_text(
        "policy: {id: o, title: O}\noverrides:\n  - rule: TEST-WAIVER\n"
        "    set: {code_severity: {unmatched: low}}\n    justification: j\n",
        encoding="utf-8",
    )
    policies = load_policies((), [WAIVERS / "policy.yaml", lowered])
    result = run_audit(
        load_map([BASE, WAIVERS / "bad.yaml"]), policies, load_legal_table(), date(2026, 11, 25)
    )
    (unmatched,) = [f for f in result.findings if f.code == "unmatched"]
    assert unmatched.severity is Severity.LOW


def test_a_waiver_that_matches_nothing_is_not_also_counted_as_passed() -> None:
    result = _waiver_audit()
    assert ("TEST-WAIVER", ("waivers", "matches-nothing")) in {
        (f.rule_id, f.element) for f in result.findings if f.code == "unmatched"
    }
    assert [e.element for e in result.passed if e.rule_id == "TEST-WAIVER"] == []
    good = run_audit(
        load_map([BASE, WAIVERS / "good.yaml"]),
        load_policies((), [WAIVERS / "policy.yaml"]),
        load_legal_table(),
        date(2026, 11, 25),
    )
    assert [e.element for e in good.passed if e.rule_id == "TEST-WAIVER"] == [
        ("waivers", "ftp-until-migration")
    ]


def test_the_readme_counts_the_rule_kinds() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"Conditions beyond the {len(RULE_KINDS)} rule kinds" in readme
