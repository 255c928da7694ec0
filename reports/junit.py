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
from operator import itemgetter

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

    The bytes are those ElementTree writes for the whole tree indented at once: each suite
    and the root's start tag are indented at their own level and serialised by ElementTree,
    each test case is written as text escaped as ElementTree escapes (``_case``), and only
    the joins between them (the indentation ``ET.indent`` puts in a parent's text and its
    children's tails) are written here. The totals on the root come first, so each case is
    judged before any is written, and its verdict kept for writing it."""
    by_case: dict[tuple[str, tuple[str, str]], list[Finding]] = {}
    failed: dict[str, set[tuple[str, str]]] = {}  # per rule: its failed elements, read once
    for finding in result.findings:
        for rule_id in finding.rule_ids:  # a merged finding fails every rule behind it
            by_case.setdefault((rule_id, finding.element), []).append(finding)
            failed.setdefault(rule_id, set()).add(finding.element)
    passed: dict[str, list[tuple[str, str]]] = {}
    for evaluation in result.passed:
        passed.setdefault(evaluation.rule_id, []).append(evaluation.element)
    # each case judged once: its verdict counted on the root and its suite, then written
    suites: list[tuple[RuleBase, list[tuple[str, str]], list[str], Counter[str]]] = []
    for rule in result.rules:
        rule_id = rule.id
        cases = _sorted(failed.get(rule_id, set()) | set(passed.get(rule_id, [])))
        verdicts = [
            "passed" if found is None else _verdict(result, found)
            for found in [by_case.get((rule_id, case)) for case in cases]
        ]
        suites.append((rule, cases, verdicts, Counter(verdicts)))
    review_failures = sum(1 for change in result.review if not change.accepted)
    total = sum(len(cases) for _, cases, _, _ in suites) + len(result.review)
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
    fixes: dict[tuple[object, ...], str] = {}
    for rule, cases, verdicts, counts in suites:
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
        for number, (element, verdict) in enumerate(zip(cases, verdicts, strict=True)):
            findings = by_case.get((rule.id, element), [])
            parts.append(_LEVEL[2])
            parts.append(_case(result, rule, element, findings, verdict, fixes))
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


def _sorted(elements: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """``sorted(elements)``, each collection's ids sorted as strings: a sort of (collection,
    id) pairs compares the pairs item by item, three times the cost on a rule's 100,000."""
    by_collection: dict[str, list[tuple[str, str]]] = {}
    for element in elements:
        by_collection.setdefault(element[0], []).append(element)
    ordered: list[tuple[str, str]] = []
    for collection in sorted(by_collection):
        ordered += sorted(by_collection[collection], key=itemgetter(1))
    return ordered


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
    result: AuditResult,
    rule: RuleBase,
    element: tuple[str, str],
    findings: list[Finding],
    verdict: str,
    fixes: dict[tuple[object, ...], str],
) -> str:
    """The test case of one (rule, element), as ``_verdict`` judged it, indented at level 2:
    the text ElementTree writes for it (``_attrib`` and ``_cdata`` escape as it does), made
    as text. Made with ElementTree, a case cost about 25 us, 9 s of a 100,000-flow hub map's
    JUnit (327,000 cases); ``fixes`` holds each fix already said, by what it depends on."""
    name = escape(f"{element[0]}/{element[1]}")
    head = f'<testcase classname="{_attrib(rule.id)}" name="{_attrib(name)}"'
    if verdict == "passed":
        return head + " />"
    active = [f for f in findings if f.waiver is None]
    against = result.against
    if verdict == "existing":
        assert against is not None
        # under --base, debt the change did not add does not fail it: shown, skipped
        message = escape(
            f"existing at {against.ref}, not added by this change: "
            + "; ".join(f.message for f in active)
        )
        child = f'<skipped message="{_attrib(message)}" />'
    elif verdict == "notjudged":  # no verdict: a law that does not bind fails nothing
        new = active if against is None else [f for f in active if against.is_new(f)]
        child = f'<skipped message="{_attrib(escape("; ".join(f.message for f in new)))}" />'
    elif verdict == "failure":
        new = active if against is None else [f for f in active if against.is_new(f)]
        new = [f for f in new if not f.not_judged]  # a not-judged note beside fails nothing
        text = "\n".join(
            escape(
                f"{f.finding_id} {f.location or '(map)'}: {f.severity.value} "
                f"{f.code}: {f.message}{unconfirmed_note(f)}"
            )
            for f in new
        ) + "".join(  # each code's own fix (code_fix) where it has one, each said once
            f"\nHow to fix: {escape(fix)}"
            for fix in dict.fromkeys(_fix(result, rule, f, fixes) for f in new)
        )
        message = escape("; ".join(f.message for f in new))
        child = f'<failure type="{_attrib(new[0].severity.value)}" message="{_attrib(message)}"' + (
            f">{_cdata(text)}</failure>" if text else " />"
        )
    else:  # waived
        waiver = findings[0].waiver
        assert waiver is not None
        message = escape(
            f"waived by {waiver.owner} until {waiver.expires_on}: {waiver.justification}"
        )
        child = f'<skipped message="{_attrib(message)}" />'
    return f"{head}>{_LEVEL[3]}{child}{_LEVEL[2]}</testcase>"


def _fix(
    result: AuditResult, rule: RuleBase, finding: Finding, fixes: dict[tuple[object, ...], str]
) -> str:
    """``result.fix_under(rule, finding)``, remembered by all it reads of the finding (its
    rules, code, case and regime): a few dozen fixes for 160,000 failing cases."""
    key = (rule.id, finding.rule_id, finding.also, finding.code, finding.cited_as, finding.regime)
    fix = fixes.get(key)
    if fix is None:
        fix = fixes[key] = result.fix_under(rule, finding)
    return fix


def _attrib(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it (``_escape_attrib``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _cdata(text: str) -> str:
    """Element text escaped as ElementTree escapes it (``_escape_cdata``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


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
