"""Every check is registered, documented and tested; every shipped rule is complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.registry import CHECKS
from flowaudit.policies.loader import load_policies, shipped_policy_names
from flowaudit.policies.schema import RULE_MODELS
from tests.casefiles import all_cases, case_files, rule_kinds
from tests.helpers import FIXTURES

TESTS = Path(__file__).parent


def test_every_rule_kind_has_exactly_one_registered_check() -> None:
    assert set(CHECKS) == set(RULE_MODELS)
    for kind, check in CHECKS.items():
        assert check.kind == kind


def test_every_rule_kind_has_shipped_examples() -> None:
    from flowaudit.policies.clauses import load_kind_examples

    examples = load_kind_examples()
    assert set(examples) == set(RULE_MODELS)


def test_every_check_is_documented() -> None:

    for kind, check in CHECKS.items():
        assert len(check.summary) > 40, f"check {kind} has no summary"
        assert RULE_MODELS[kind].__doc__, f"rule kind {kind} has no docstring"


def test_the_rule_kind_table_of_the_docs_names_every_kind_and_its_settings() -> None:
    """docs/policies.md's table of rule kinds has a row for every registered check, naming
    each setting of its rule model (review 2026-12-02d, problem 12: cookies and
    criminal_offence were missing, though the error for an unknown kind lists them)."""
    text = (TESTS.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    table = text.split("## Rule kinds", 1)[1].split("\n\n", 2)[2]
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in table.splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == set(CHECKS)
    common = set(RULE_MODELS["agreement_evidence"].model_fields)
    for kind, model in RULE_MODELS.items():
        for name in set(model.model_fields) - common - {"match"}:
            assert f"`{name}`" in rows[kind], (kind, name)


def test_every_rule_kind_has_a_failing_and_a_passing_case(tmp_path: Path) -> None:
    """Read from the case files themselves: a failing case expects a finding of a rule of the
    kind; a passing case audits with a rule of the kind, expects none of its findings, and
    names the elements it passed (so a case whose rule never ran cannot pass for it)."""
    failing: set[str] = set()
    passing: set[str] = set()
    for named in all_cases():
        case = named.case
        kinds = rule_kinds(case, tmp_path)
        found = {kinds.get(item.rule) for item in case.expect}
        failing |= found & {named.kind}
        selected = {kinds[case.only.rule]} if case.only.rule else set(kinds.values())
        if named.kind in selected and named.kind not in found and case.passes:
            passing.add(named.kind)
    assert set(CHECKS) - failing == set(), "rule kinds without a failing case"
    assert set(CHECKS) - passing == set(), "rule kinds without a passing case"


def test_every_case_file_names_a_rule_kind_and_every_fixture_is_run() -> None:
    """No case file for a kind that does not exist; every map fixture of a kind (its good and
    bad pair and any other) is the map of one of its cases."""
    assert {path.stem for path in case_files()} <= set(CHECKS)
    used = {named.case.map_file for named in all_cases()}
    for kind in CHECKS:
        folder = FIXTURES / "checks" / kind
        for fixture in sorted(folder.glob("*.yaml")):
            if fixture.name != "policy.yaml":
                relative = fixture.relative_to(FIXTURES).as_posix()
                assert relative in used, f"{relative}: no case runs this fixture"


class _Collected:
    """A pytest plugin that keeps the ids of the items a session collects."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.ids = [item.name for item in items]


def test_the_runner_collects_every_case_of_every_case_file() -> None:
    """Collect tests/test_cases.py as pytest does (a nested, collect-only session): one item per
    case of every case file, so a case file the runner skips or misreads fails here."""
    collected = _Collected()
    code = pytest.main(
        [
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:cov",
            "-p",
            "no:xdist",
            str(TESTS / "test_cases.py"),
        ],
        plugins=[collected],
    )
    assert code == pytest.ExitCode.OK
    expected = [f"test_case[{named.id}]" for named in all_cases()]
    assert collected.ids == expected
    assert {name.split("[")[1].split("/")[0] for name in collected.ids} == set(CHECKS)


def test_every_shipped_rule_has_references_and_a_fix() -> None:
    rules = load_policies(shipped_policy_names()).rules
    assert rules
    for rule in rules:
        assert rule.rationale and rule.fix, rule.id
        # a notice's promise is kept or broken under the law: every rule cites the law (an
        # auditor's review of 2026-12-02 found three that printed "Law: -")
        assert rule.references.legal, rule.id
