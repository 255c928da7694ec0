"""The one runner of the rule-kind case files (tests/cases/<kind>.yaml, format in
CONTRIBUTING.md): each case is audited and its findings compared, as an exact list in the
engine's order, with rule, element, code, severity, line and column."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.casefiles import (
    NamedCase,
    actual,
    all_cases,
    audit_case,
    compare_view,
    pass_notes,
    passed,
)

CASES = all_cases()


@pytest.mark.parametrize("named", CASES, ids=[named.id for named in CASES])
def test_case(named: NamedCase, tmp_path: Path) -> None:
    case = named.case
    outcome = audit_case(case, tmp_path)
    wanted, got = compare_view(case.expect, actual(case, outcome))
    assert got == wanted, f"{named.source}: case {named.name!r}"
    if case.passes is not None:
        assert passed(case, outcome) == case.passes, f"{named.source}: case {named.name!r}"
    if case.warnings is not None:
        folder = f"{outcome.map_path.parent}{os.sep}"
        said = [w.replace(folder, "") for w in outcome.result.warnings]
        assert said == case.warnings, f"{named.source}: case {named.name!r} (warnings)"
    if case.unjudged is not None:
        said = {
            rule_id: reasons
            for rule_id, reasons in outcome.result.unjudged.items()
            if case.only.rule in (None, rule_id)
        }
        assert said == case.unjudged, f"{named.source}: case {named.name!r} (unjudged)"
    for which, wanted_notes in (
        ("unconfirmed", case.passes_unconfirmed),
        ("assumed", case.passes_assumed),
    ):
        if wanted_notes is not None:
            assert pass_notes(case, outcome, which) == wanted_notes, (
                f"{named.source}: case {named.name!r} ({which} notes of the passes)"
            )
