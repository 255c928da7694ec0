"""DPO review s21: the shipped verdict signed finding by finding (reviews/fix-dpo-s21.md).
No finding was struck; two messages now say what the notice says and what to record, the
complaints finding has a fix of its own, and `explain` given a finding's id says what it
takes. Each test pins the exact output (rule, element, code, file:line, exit code)."""

from __future__ import annotations

import json
from datetime import date

from flowaudit.checks.result import AuditResult, Finding
from tests.helpers import audit_paths, run


def _shipped(on: str) -> AuditResult:
    return audit_paths([], date.fromisoformat(on))


def _one(result: AuditResult, rule_id: str, code: str) -> Finding:
    (found,) = [f for f in result.findings if f.rule_id == rule_id and f.code == code]
    return found


def test_the_shipped_verdict_is_the_same_on_the_reviewed_date_and_today() -> None:
    """No date of the legal table falls between 2026-11-25 and 2026-12-05: the same 57
    findings and 225 passes, exit 1, on both days."""
    for on in ("2026-11-25", "2026-12-05"):
        result = run(["check", "--as-of", on, "--format", "json"])
        assert result.exit_code == 1, on
        summary = json.loads(result.output)["summary"]
        assert (summary["findings"], summary["passed"], summary["by_severity"]) == (
            57,
            225,
            {"critical": 3, "high": 11, "medium": 39, "low": 4, "info": 0},
        ), on


def test_the_complaints_finding_says_what_to_record_and_has_its_own_fix() -> None:
    """F-56903bcd3f ended "it is not recorded" without naming the field, where the Art.
    30(2) finding beside it says "set processor_record to where it is kept"; and its fix
    was the rule's, which leads with the subject access deadline it is not about."""
    result = _shipped("2026-11-25")
    complaints = _one(result, "GDPR-RIGHTS", "no-complaints-procedure")
    assert (complaints.finding_id, complaints.element, complaints.field) == (
        "F-56903bcd3f",
        ("organisation", "concero"),
        ("complaints_procedure",),
    )
    assert complaints.message == (
        "Concero Technology Services (UK controller): from 2026-06-19 the law requires a "
        "procedure for complaints about the use of personal data, acknowledging each complaint "
        "within 30 days (DPA 2018 s.164A inserted by DUAA 2025 s.103; in force 2026-06-19 (SI "
        "2026/82 reg. 3)); it is not recorded: record complaints_procedure: true on the "
        "organisation once the procedure exists"
    )
    assert result.fix_of(complaints) == (
        "Put in place a procedure for complaints about the use of personal data that "
        "acknowledges each complaint within 30 days (DPA 2018 s.164A, inserted by DUAA 2025 "
        "s.103), and record complaints_procedure: true on the organisation once it exists."
    )


def test_the_rights_item_credits_the_portals_the_notice_offers() -> None:
    """F-1561e37200 (Art. 13(2)(b)) said the notice gives access "only in passing" and
    lacks rectification, and left out its section "Accessing and updating your data"
    (lines 134-140). The portals stay short of the rights: they are put as the customer's
    duty to keep data accurate, not as a right to a copy or to a correction."""
    result = _shipped("2026-11-25")
    rights = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-NOTICE-CONTENT" and f.field[:2] == ("notice_content", "rights")
    ]
    (found,) = rights
    assert (found.finding_id, found.code) == ("F-1561e37200", "item-incomplete")
    assert found.message == (
        'the notice gives only part of "the rights of access, rectification, erasure, '
        'restriction, objection and portability" (UK GDPR Art. 13(2)(b)): it says the right '
        "to object and to erasure (line 144), to object to marketing (line 148), access only "
        'in passing ("additional copies", line 152), and that customers keep their own details '
        "accurate through the two portals (lines 134-140), but lacks the rights of access, "
        "rectification, restriction and portability: the portals are put as the customer's "
        "duty to keep data accurate, not as a right to a copy of the data or to have it "
        "corrected"
    )
    text = run(["check", "--as-of", "2026-11-25"]).output
    (line,) = [line for line in text.splitlines() if "lines 134-140" in line]
    assert line.startswith(
        "<flowaudit>/model/concero/organisation.yaml:44:7 MEDIUM GDPR-NOTICE-CONTENT "
        "organisation/concero: "
    )


def test_explain_given_a_findings_id_says_it_takes_a_rule() -> None:
    """`flowaudit explain F-56903bcd3f` answered "no shipped rule has this id, and no
    --policies was given: a rule of your own needs the folder that holds its policy", which
    sends a DPO after a policy folder that does not exist."""
    result = run(["explain", "F-56903bcd3f"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "flowaudit: F-56903bcd3f is a finding's id, not a rule's: explain takes the id of a "
        "rule; the finding's rule is printed beside its id (`flowaudit check --format "
        "markdown`, or rule_id in --format json), e.g. `flowaudit explain GDPR-RIGHTS`"
    )
    # an id that is no finding's keeps the rule's answer
    other = run(["explain", "F-RIGHTS"])
    assert other.exit_code == 2
    assert "no rule F-RIGHTS" in other.stderr
    assert run(["explain", "GDPR-RIGHTS"]).exit_code == 0


def test_the_approved_supplier_finding_says_where_the_fact_is_recorded() -> None:
    """F-24c60edff3 stands on the flow (flows.yaml:146:5) but its fact is the party's
    approved_supplier (organisation.yaml): "the supplier is not recorded as approved" left a
    DPO at the flow with nothing there to set (left open by dpo-s18 and dpo-s19)."""
    result = _shipped("2026-11-25")
    found = _one(result, "CONCERO-PROCURE-APPROVED", "not-approved")
    assert (found.finding_id, found.element, found.severity.value) == (
        "F-24c60edff3",
        ("flows", "procurement-quotes"),
        "medium",
    )
    assert found.message == (
        "the supplier is not recorded as approved: set approved_supplier: true on the "
        "receiving party once it is on the approved list, or stop the flow"
    )
    text = run(["check", "--as-of", "2026-11-25"]).output
    assert (
        "<flowaudit>/model/concero/flows.yaml:146:5 MEDIUM CONCERO-PROCURE-APPROVED (N-PROCURE) "
        "flows/procurement-quotes: the supplier is not recorded as approved: set "
        "approved_supplier: true on the receiving party once it is on the approved list, or "
        "stop the flow"
    ) in text.splitlines()


def test_check_takes_md_as_ropa_and_rules_do() -> None:
    """`check --format md` was a usage error (exit 2) while `ropa`, `rules` and `schema`
    call Markdown `md` (DPO review s21, left open): it is now the Markdown report, byte for
    byte, on stdout and through `--output md=FILE`, with the verdict's exit code."""
    markdown = run(["check", "--as-of", "2026-11-25", "--format", "markdown"])
    short = run(["check", "--as-of", "2026-11-25", "--format", "md"])
    assert (markdown.exit_code, short.exit_code) == (1, 1)
    assert short.output == markdown.output
    assert short.output.startswith("## flowaudit: ")
