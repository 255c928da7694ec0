"""perf-out-s20: the cheaper ways of writing give the bytes the slower ones gave.

JUnit test cases are written as text, escaped as ElementTree escapes, instead of being built
and serialised by ElementTree (9 s of a 100,000-flow hub map's JUnit); a Streamed JSON list
is dumped a few dozen items per orjson call instead of one; a CSV cell's formula test looks
at its first character before stripping it; a Location fills its dict item by item."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.loader import Location
from flowaudit.policies.schema import RuleBase
from flowaudit.reports import junit
from flowaudit.reports.sanitise import (
    DUMP_ITEMS,
    Streamed,
    escape,
    for_csv_cell,
    for_json,
    json_pieces,
    materialised,
)
from flowaudit.reports.text import unconfirmed_note
from tests.helpers import audit_paths

#: Text with every character ElementTree escapes in an attribute or in element text.
_AWKWARD = [
    "",
    "plain",
    "a & b < c > d \"e\" 'f'",
    "line\nbreak\rcarriage\ttab",
    "&amp; already escaped &lt;",
    "\u202e bidi and \x1b[31m ANSI",
    "::set-output name=x:: ##[error] in a line",
]


@pytest.mark.parametrize("text", _AWKWARD)
def test_attributes_and_text_are_escaped_as_elementtree_escapes_them(text: str) -> None:
    element = ET.Element("x", a=text)
    element.text = text
    body = f">{junit._cdata(text)}</x>" if text else " />"  # empty text: ElementTree's " />"
    assert ET.tostring(element, encoding="unicode") == f'<x a="{junit._attrib(text)}"{body}'


def _case_by_elementtree(
    result: AuditResult, rule: RuleBase, element: tuple[str, str], findings: list[Finding]
) -> str:
    """The test case as main built and serialised it with ElementTree (before s20)."""
    case = ET.Element("testcase", classname=rule.id, name=escape(f"{element[0]}/{element[1]}"))
    verdict = junit._verdict(result, findings)
    active = [f for f in findings if not f.waived]
    against = result.against
    if verdict == "existing":
        assert against is not None
        ET.SubElement(
            case,
            "skipped",
            message=escape(
                f"existing at {against.ref}, not added by this change: "
                + "; ".join(f.message for f in active)
            ),
        )
    elif verdict == "notjudged":
        new = active if against is None else [f for f in active if against.is_new(f)]
        ET.SubElement(case, "skipped", message=escape("; ".join(f.message for f in new)))
    elif verdict == "failure":
        new = active if against is None else [f for f in active if against.is_new(f)]
        new = [f for f in new if not f.not_judged]
        failure = ET.SubElement(
            case,
            "failure",
            type=new[0].severity.value,
            message=escape("; ".join(f.message for f in new)),
        )
        failure.text = "\n".join(
            escape(
                f"{f.finding_id} {f.location or '(map)'}: {f.severity.value} "
                f"{f.code}: {f.message}{unconfirmed_note(f)}"
            )
            for f in new
        ) + "".join(
            f"\nHow to fix: {escape(fix)}"
            for fix in dict.fromkeys(result.fix_under(rule, f) for f in new)
        )
    elif verdict == "waived":
        waiver = findings[0].waiver
        assert waiver is not None
        ET.SubElement(
            case,
            "skipped",
            message=escape(
                f"waived by {waiver.owner} until {waiver.expires_on}: {waiver.justification}"
            ),
        )
    ET.indent(case, level=2)
    case.tail = None
    return ET.tostring(case, encoding="unicode")


def test_every_case_of_the_shipped_map_is_written_as_elementtree_wrote_it() -> None:
    result = audit_paths([], date(2026, 11, 25))
    by_case: dict[tuple[str, tuple[str, str]], list[Finding]] = {}
    for finding in result.findings:
        for rule_id in finding.rule_ids:
            by_case.setdefault((rule_id, finding.element), []).append(finding)
    cases = {(e.rule_id, e.element) for e in result.passed} | set(by_case)
    rules = {rule.id: rule for rule in result.rules}
    fixes: dict[tuple[object, ...], str] = {}
    verdicts: set[str] = set()
    for rule_id, element in sorted(cases):
        findings = by_case.get((rule_id, element), [])
        verdict = junit._verdict(result, findings)
        verdicts.add(verdict)
        written = junit._case(result, rules[rule_id], element, findings, verdict, fixes)
        assert written == _case_by_elementtree(result, rules[rule_id], element, findings)
    # the shipped map has failed, passed and not-judged cases (57 findings, 3 critical)
    assert {"failure", "passed"} <= verdicts
    assert len(result.findings) == 57


def test_cases_sorted_by_collection_then_id_as_pairs_sort() -> None:
    elements = {("flows", "b"), ("flows", "a10"), ("flows", "a9"), ("agreements", "z")}
    elements |= {("systems", "é"), ("systems", "E"), ("flows", "")}
    assert junit._sorted(elements) == sorted(elements)
    assert junit._sorted(set()) == []


def _surrogate(number: int) -> dict[str, Any]:
    """An item orjson refuses (a lone surrogate, as a file name not in UTF-8 gives)."""
    return {"id": f"s{number}", "file": "bad-\udcff.yaml", "n": number}


@pytest.mark.parametrize("count", [0, 1, DUMP_ITEMS - 1, DUMP_ITEMS, DUMP_ITEMS + 1, 100])
@pytest.mark.parametrize("batch", [1, 7, DUMP_ITEMS, 2000])
@pytest.mark.parametrize("refused_at", [None, 0, DUMP_ITEMS - 1, 40])
def test_items_dumped_a_run_at_a_time_are_for_json_text(
    count: int, batch: int, refused_at: int | None
) -> None:
    def items() -> list[Any]:
        made: list[Any] = [
            {"rule_id": f"R{n}", "nested": {"b": [n, "\u2028", None], "a": {}}, "z": n % 3 == 0}
            for n in range(count)
        ]
        if refused_at is not None and refused_at < count:
            made[refused_at] = _surrogate(refused_at)
        if count > 2:
            made[1] = "a plain string item"
            made[2] = []
        return made

    document = {"b": Streamed(items()), "a": {"deeper": Streamed(iter(items()))}, "c": 1}
    expected = for_json(materialised({"b": items(), "a": {"deeper": items()}, "c": 1}))
    assert "".join(json_pieces(document, batch)) == expected


_CELLS = ["", "x", "=1+1", "+1", "-1", "@SUM", "\t=1", "\r=1", " =1", "  \t=1", " x", "\u3000=1"]
_CELLS += ["\u00a0-1", "a=b", "::x", "\x1b[31m", 5, None, -3]


@pytest.mark.parametrize("cell", _CELLS)
def test_a_csv_cell_is_what_the_whole_formula_test_gave(cell: object) -> None:
    raw = str(cell)
    start = ("=", "+", "-", "@", "\t", "\r")
    formula = raw.startswith(start) or raw.lstrip().startswith(start)
    assert for_csv_cell(cell) == ("'" if formula else "") + escape(raw)


def test_a_location_is_the_frozen_dataclass_it_was() -> None:
    location = Location("map/flows.yaml", 12, 5)
    assert (location.file, location.line, location.column) == ("map/flows.yaml", 12, 5)
    assert location == Location("map/flows.yaml", 12, 5)
    assert hash(location) == hash(("map/flows.yaml", 12, 5))
    assert str(location) == "map/flows.yaml:12:5"
    with pytest.raises(AttributeError):
        location.line = 3  # type: ignore[misc]
