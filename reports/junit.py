"""JUnit XML for CI test-report tabs: a test suite per rule, a test case per (rule, element).
Failures carry the message and file:line; passed checks are passed test cases; waived
findings are skipped with their justification, and so, under ``check --base``, are findings
that existed at the base (the change did not add them and the gate does not fail on them)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import escape
from flowaudit.reports.text import unconfirmed_note


def render_junit(result: AuditResult, fail_on: Severity) -> str:

    by_case: dict[tuple[str, tuple[str, str]], list[Finding]] = {}
    failed: dict[str, set[tuple[str, str]]] = {}  # per rule: its failed elements, read once
    for finding in result.findings:
        for rule_id in finding.rule_ids:  # a merged finding fails every rule behind it
            by_case.setdefault((rule_id, finding.element), []).append(finding)
            failed.setdefault(rule_id, set()).add(finding.element)
    passed: dict[str, list[tuple[str, str]]] = {}
    for evaluation in result.passed:
        passed.setdefault(evaluation.rule_id, []).append(evaluation.element)
    against = result.against
    root = ET.Element("testsuites", name="flowaudit", tests="0", failures="0", skipped="0")
    total = failures = skipped = 0
    for rule in result.rules:
        cases = sorted(failed.get(rule.id, set()) | set(passed.get(rule.id, [])))
        suite = ET.SubElement(root, "testsuite", name=escape(f"{rule.id}: {rule.title}"))
        suite_failures = suite_skipped = 0
        for element in cases:
            case = ET.SubElement(
                suite, "testcase", classname=rule.id, name=escape(f"{element[0]}/{element[1]}")
            )
            findings = by_case.get((rule.id, element), [])
            active = [f for f in findings if not f.waived]
            new = active if against is None else [f for f in active if against.is_new(f)]
            if against is not None and active and not new:
                # under --base, debt the change did not add does not fail it: shown, skipped
                ET.SubElement(
                    case,
                    "skipped",
                    message=escape(
                        f"existing at {against.ref}, not added by this change: "
                        + "; ".join(f.message for f in active)
                    ),
                )
                suite_skipped += 1
            elif new:
                active = new
                first = active[0]
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=first.severity.value,
                    message=escape("; ".join(f.message for f in active)),
                )
                failure.text = (
                    "\n".join(
                        escape(
                            f"{f.finding_id} {f.location or '(map)'}: {f.severity.value} "
                            f"{f.code}: {f.message}{unconfirmed_note(f)}"
                        )
                        for f in active
                    )
                    # each code's own fix (code_fix) where it has one, each said once
                    + "".join(
                        f"\nHow to fix: {escape(fix)}"
                        for fix in dict.fromkeys(result.fix_under(rule, f) for f in active)
                    )
                )
                suite_failures += 1
            elif findings:
                waiver = findings[0].waiver
                assert waiver is not None
                ET.SubElement(
                    case,
                    "skipped",
                    message=escape(
                        f"waived by {waiver.owner} until {waiver.expires_on}: "
                        f"{waiver.justification}"
                    ),
                )
                suite_skipped += 1
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(suite_failures))
        suite.set("skipped", str(suite_skipped))
        total += len(cases)
        failures += suite_failures
        skipped += suite_skipped
    if result.review:
        suite = ET.SubElement(root, "testsuite", name="flowaudit: changes to review")
        suite_failures = 0
        for change in result.review:
            case = ET.SubElement(suite, "testcase", classname="REVIEW", name=escape(change.id))
            if not change.accepted:
                failure = ET.SubElement(
                    case, "failure", type="change-to-review", message=escape(change.detail)
                )
                failure.text = (
                    f"{escape(change.detail)}\nOnce reviewed: --accept-change {escape(change.id)}"
                )
                suite_failures += 1
        suite.set("tests", str(len(result.review)))
        suite.set("failures", str(suite_failures))
        suite.set("skipped", "0")
        total += len(result.review)
        failures += suite_failures
    if result.warnings:
        suite = ET.SubElement(root, "testsuite", name="flowaudit: policy warnings", tests="0")
        properties = ET.SubElement(suite, "properties")
        for warning in result.warnings:
            ET.SubElement(properties, "property", name="warning", value=escape(warning))
        suite.set("failures", "0")
        suite.set("skipped", "0")
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("skipped", str(skipped))
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
