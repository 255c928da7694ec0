"""One runner for the lawyers' scenario files (tests/regime_s17_cases.py,
tests/lawyer_s18_cases.py, tests/lawyer_s19_cases.py): each scenario's map written and
audited on its date, and its exact findings (rule, code, severity, element, file:line), its
citations and its words held. The three test modules had each grown a copy of this with
small variations; the variations are parameters here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult
from tests.helpers import audit_folder
from tests.regime_s17_cases import Scenario, T, line_of_field, map_text


def audit_scenario(scenario: Scenario, folder: Path) -> tuple[AuditResult, str]:
    """The scenario's map written to ``folder/map.yaml`` and audited on its date; the result
    and the map's text."""
    text = map_text(scenario)
    folder.mkdir(exist_ok=True)
    (folder / "map.yaml").write_text(text, encoding="utf-8")
    return audit_folder(folder, date.fromisoformat(scenario.as_of)), text


def line_of(text: str, element: str, field: str | None) -> int:
    """The line an expected finding is located at: a field's, or with ``[0]`` the first item
    of a list field (a cookie's ``- id:`` line, where PECR-COOKIES locates its finding)."""
    if field is not None and field.endswith("[0]"):
        return line_of_field(text, element, field[:-3]) + 1
    return line_of_field(text, element, field)


def assert_verdict(
    scenario: Scenario,
    folder: Path,
    not_judged: Mapping[str, set[str]] | None = None,
) -> None:
    """The scenario's findings under its rules are exactly those it expects, in order; with
    none expected, a transfer scenario's flow passed (or, with no transfer, was not judged);
    its first finding cites what it says; no finding's message, law or fix says a word it
    must never say. With ``not_judged`` (scenario name to the rules that rightly judge
    nothing there), a scenario expecting no finding must have a pass from each of its other
    rules: a pass is a judgement, not a rule that never looked."""
    result, text = audit_scenario(scenario, folder)
    found = [
        (
            f.rule_id,
            f.code,
            f.severity.value,
            "/".join(f.element),
            Path(f.location.file).name if f.location else "?",
            f.location.line if f.location else 0,
        )
        for f in result.findings
        if f.rule_id in scenario.rules
    ]
    wanted = [
        (e.rule, e.code, e.severity, e.element, "map.yaml", line_of(text, e.element, e.field))
        for e in scenario.expect
    ]
    assert found == wanted, scenario.law
    passes = {(e.rule_id, "/".join(e.element)) for e in result.passed}
    if not scenario.expect and scenario.rules == T:  # a transfer judged and passed, or none
        assert (("GDPR-TRANSFER", "flows/f1") in passes) is not scenario.no_transfer
    elif not scenario.expect and not_judged is not None:
        judged = {rule for rule, _ in passes}
        aside = not_judged.get(scenario.name, set())
        assert set(scenario.rules) - aside <= judged, scenario.law
        assert not set(scenario.rules) & aside & judged
    ours = [f for f in result.findings if f.rule_id in scenario.rules]
    if scenario.cites is not None:
        assert tuple(result.references_of(ours[0])[1]) == scenario.cites
    for finding in ours:
        said = " ".join(
            [finding.message, *result.references_of(finding)[1], result.fix_of(finding)]
        )
        for word in scenario.never:
            assert word not in said, (word, said)
