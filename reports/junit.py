"""JUnit XML for CI test-report tabs: a test suite per rule, a test case per (rule, element).
Failures carry the message and file:line; passed checks are passed test cases; waived
findings are skipped with their justification, and so, under ``check --base``, are findings
that existed at the base (the change did not add them and the gate does not fail on them). A
case whose only findings say its rule was not judged (info, another regime's law) is skipped
with their message: no failure for a law that does not bind (auditor review 2026-12-03p,
problem 5)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import RuleBase, Severity
from flowaudit.reports.sanitise import escape
from flowaudit.reports.text import unconfirmed_note

#: The test cases written per piece: a dense 100,000-flow map has 400,000 of them, whose
#: elements held whole (to be indented and serialised at once) peaked at about 2 GB.
JUNIT_PIECE_CASES = 2000


def render_junit(result: AuditResult, fail_on: Severity) -> str:
    """The whole JUnit document (``junit_pieces`` joined)."""
    return "".join(junit_pieces(result, fail_on))


def junit_pieces(result: AuditResult, fail_on: Severity) -> Iterator[str]:
    """The JUnit document in pieces, each test case made, serialised and dropped in turn.

    The bytes are those ElementTree writes for the whole tree indented at once: each element
    is indented at its own level and serialised by ElementTree, and only the joins between
    them (the indentation ``ET.indent`` puts in a parent's text and its children's tails)
    are written here. The totals on the root come first, so the cases are judged twice:
    once to count, once to write."""
    by_case: dict[tuple[str, tuple[str, str]], list[Finding]] = {}
    failed: dict[str, set[tuple[str, str]]] = {}  # per rule: its failed elements, read once
    for finding in result.findings:
        for rule_id in finding.rule_ids:  # a merged finding fails every rule behind it
            by_case.setdefault((rule_id, finding.element), []).append(finding)
            failed.setdefault(rule_id, set()).add(finding.element)
    passed: dict[str, list[tuple[str, str]]] = {}
    for evaluation in result.passed:
        passed.setdefault(evaluation.rule_id, []).append(evaluation.element)
    suites: list[tuple[RuleBase, list[tuple[str, str]], Counter[str]]] = []
    for rule in result.rules:
        cases = sorted(failed.get(rule.id, set()) | set(passed.get(rule.id, [])))
        counts = Counter(_verdict(result, by_case.get((rule.id, c), [])) for c in cases)
        suites.append((rule, cases, counts))
    review_failures = sum(1 for change in result.review if not change.accepted)
    total = sum(len(cases) for _, cases, _ in suites) + len(result.review)
    failures = sum(counts["failure"] for *_, counts in suites) + review_failures
    skipped = sum(
        counts["existing"] + counts["waived"] + counts["notjudged"] for *_, counts in suites
    )
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    root = ET.Element(
        "testsuites",
        name="flowaudit",
        tests=str(total),
        failures=str(failures),
        skipped=str(skipped),
    )
    parts: list[str] = []
    children = 0
    for rule, cases, counts in suites:
        suite = ET.Element("testsuite", name=escape(f"{rule.id}: {rule.title}"))
        _totals(
            suite,
            len(cases),
            counts["failure"],
            counts["existing"] + counts["waived"] + counts["notjudged"],
        )
        parts.append(_opening(root) + _LEVEL[1] if not children else _LEVEL[1])
        children += 1
        if not cases:
            parts.append(_serialised(suite, 1))
            continue
        parts.append(_opening(suite))
        for number, element in enumerate(cases):
            case = _case(result, rule, element, by_case.get((rule.id, element), []))
            parts.append(_LEVEL[2])
            parts.append(_serialised(case, 2))
            if number % JUNIT_PIECE_CASES == JUNIT_PIECE_CASES - 1:
                yield "".join(parts)
                parts = []
        parts.append(f"{_LEVEL[1]}</testsuite>")
    if result.review:
        suite = ET.Element("testsuite", name="flowaudit: changes to review")
        _totals(suite, len(result.review), review_failures, 0)
        for change in result.review:
            case = ET.SubElement(suite, "testcase", classname="REVIEW", name=escape(change.id))
            if not change.accepted:
                failure = ET.SubElement(
                    case, "failure", type="change-to-review", message=escape(change.detail)
                )
                failure.text = (
                    f"{escape(change.detail)}\nOnce reviewed: --accept-change {escape(change.id)}"
                )
        parts.append(_opening(root) + _LEVEL[1] if not children else _LEVEL[1])
        children += 1
        parts.append(_serialised(suite, 1))
    if result.warnings:
        suite = ET.Element("testsuite", name="flowaudit: policy warnings", tests="0")
        properties = ET.SubElement(suite, "properties")
        for warning in result.warnings:
            ET.SubElement(properties, "property", name="warning", value=escape(warning))
        suite.set("failures", "0")
        suite.set("skipped", "0")
        parts.append(_opening(root) + _LEVEL[1] if not children else _LEVEL[1])
        children += 1
        parts.append(_serialised(suite, 1))
    parts.append("\n</testsuites>\n" if children else _serialised(root, 0) + "\n")
    yield "".join(parts)


#: What ``ET.indent`` puts before an element at each level (its parent's text or its
#: previous sibling's tail).
_LEVEL = ["\n" + "  " * level for level in range(4)]


def _verdict(result: AuditResult, findings: list[Finding]) -> str:
    """How a test case ends: "failure", "notjudged" (its only findings say the rule was not
    judged: skipped), "existing" (under --base, debt the change did not add: skipped),
    "waived" (skipped) or "passed"."""
    against = result.against
    active = [f for f in findings if not f.waived]
    new = active if against is None else [f for f in active if against.is_new(f)]
    if against is not None and active and not new:
        return "existing"
    if new:
        return "notjudged" if all(f.not_judged for f in new) else "failure"
    return "waived" if findings else "passed"


def _case(
    result: AuditResult, rule: RuleBase, element: tuple[str, str], findings: list[Finding]
) -> ET.Element:
    """The test case of one (rule, element), as ``_verdict`` judges it."""
    case = ET.Element("testcase", classname=rule.id, name=escape(f"{element[0]}/{element[1]}"))
    verdict = _verdict(result, findings)
    active = [f for f in findings if not f.waived]
    against = result.against
    if verdict == "existing":
        assert against is not None
        # under --base, debt the change did not add does not fail it: shown, skipped
        ET.SubElement(
            case,
            "skipped",
            message=escape(
                f"existing at {against.ref}, not added by this change: "
                + "; ".join(f.message for f in active)
            ),
        )
    elif verdict == "notjudged":  # no verdict: a law that does not bind fails nothing
        new = active if against is None else [f for f in active if against.is_new(f)]
        ET.SubElement(case, "skipped", message=escape("; ".join(f.message for f in new)))
    elif verdict == "failure":
        new = active if against is None else [f for f in active if against.is_new(f)]
        new = [f for f in new if not f.not_judged]  # a not-judged note beside fails nothing
        first = new[0]
        failure = ET.SubElement(
            case,
            "failure",
            type=first.severity.value,
            message=escape("; ".join(f.message for f in new)),
        )
        failure.text = (
            "\n".join(
                escape(
                    f"{f.finding_id} {f.location or '(map)'}: {f.severity.value} "
                    f"{f.code}: {f.message}{unconfirmed_note(f)}"
                )
                for f in new
            )
            # each code's own fix (code_fix) where it has one, each said once
            + "".join(
                f"\nHow to fix: {escape(fix)}"
                for fix in dict.fromkeys(result.fix_under(rule, f) for f in new)
            )
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
    return case


def _totals(suite: ET.Element, tests: int, failures: int, skipped: int) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))


def _serialised(element: ET.Element, level: int) -> str:
    """An element as ElementTree writes it indented inside a tree at ``level``."""
    ET.indent(element, level=level)
    element.tail = None
    return ET.tostring(element, encoding="unicode")


def _opening(element: ET.Element) -> str:
    """An element's start tag, its attributes escaped by ElementTree (written empty, as
    ``<tag ... />``, then opened)."""
    empty = ET.tostring(ET.Element(element.tag, element.attrib), encoding="unicode")
    return empty[: -len(" />")] + ">"
