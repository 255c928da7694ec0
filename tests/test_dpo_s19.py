"""DPO review s19: the shipped verdict and the two examples read finding by finding, and the
summary's "Passed on an ASSUMED fact" lines read as a DPO reads them. Each test pins the
exact output (rule id, element, file:line, exit code) the review changed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent
SCHOOL = ROOT / "model" / "examples" / "school"


def _said(processor: str) -> str:
    return (
        "the law requires each disclosure (legal_obligation) and Oakfield Learning Trust "
        f"instructed {processor} to make it, or the law binds {processor}, which told "
        "Oakfield Learning Trust before it made it (Art. 28(3)(a))"
    )


def test_a_disclosure_the_law_requires_is_one_summary_line_per_processor() -> None:
    """The note on a processor's statutory return named its flow, so the school example's
    summary printed the same Art. 28(3)(a) sentence six times, once per return, for three
    processors (the newcomer s19 fix grouped the basis and condition notes, not this one).
    The pass names the flow; the note now names the processor only: three lines."""
    result = run(["check", str(SCHOOL), "--as-of", "2026-12-04"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "Art. 28(3)(a)" in line]
    assert lines == [
        f"Passed on an ASSUMED fact: {_said('PayServe Payroll Bureau Ltd')}: 2 checks "
        "(GDPR-SUBPROCESSING flows/pensions-returns, GDPR-SUBPROCESSING flows/rti-to-hmrc)",
        f"Passed on an ASSUMED fact: {_said('SafeRecord Ltd')}: 2 checks "
        "(GDPR-SUBPROCESSING flows/safeguarding-file-transfer, "
        "GDPR-SUBPROCESSING flows/safeguarding-referral-la)",
        f"Passed on an ASSUMED fact: {_said('ScholarMIS Ltd')}: 4 checks "
        "(GDPR-SUBPROCESSING flows/common-transfer-file, GDPR-SUBPROCESSING flows/la-sen-returns, "
        "GDPR-SUBPROCESSING flows/school-census, GDPR-SUBPROCESSING flows/workforce-census)",
    ]


def test_each_pass_still_names_its_flow_and_where_it_is() -> None:
    """The JSON pass keeps the flow and its file:line: the note drops only the repeat."""
    result = run(["check", str(SCHOOL), "--as-of", "2026-12-04", "--format", "json"])
    assert result.exit_code == 0, result.output
    passed = [
        (p["rule_id"], p["element"]["id"], Path(p["location"]["file"]).name, p["location"]["line"])
        for p in json.loads(result.output)["passed"]
        if p.get("assumed") == [_said("ScholarMIS Ltd")]
    ]
    assert passed == [
        ("GDPR-SUBPROCESSING", "common-transfer-file", "flows-pupils.yaml", 8),
        ("GDPR-SUBPROCESSING", "la-sen-returns", "flows-pupils.yaml", 10),
        ("GDPR-SUBPROCESSING", "school-census", "flows-pupils.yaml", 9),
        ("GDPR-SUBPROCESSING", "workforce-census", "flows-staff.yaml", 11),
    ]


def test_the_shipped_verdict_and_its_judged_nothing_line() -> None:
    """The shipped verdict stands (57 findings, exit 1: every finding signed, none struck);
    the rule that judged nothing says "the 1 element", not "any of the 1 element"."""
    result = run(["check", "--as-of", "2026-12-04"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-11:-8] == [
        "Concero Technology Services as of 2026-12-04: 57 findings (3 critical, 11 high, "
        "39 medium, 4 low, 0 info), 0 waived; 225 checks passed; 52 rules.",
        "Judged nothing: PECR-MARKETING-CONSENT: not judged on the 1 element it matched: "
        "flows whose subjects' kind of subscriber is not recorded (record `subscriber: "
        "individual` or `corporate` on the subject). This is not a pass.",
        "Passed on an ASSUMED fact: helpdesk country US (the notice does not state the Zendesk "
        "hosting region): 1 check (CONCERO-SERVER-LOCATION flows/helpdesk-tickets)",
    ]
    # one line per assumed fact: the five recipients assumed in GB were two lines each
    # (CONCERO-SERVER-LOCATION's pass, then the transfer rules'), the same fact twice
    assert sum(line.startswith("Passed on an ASSUMED fact:") for line in lines) == 8
    assert lines[-8] == (
        "Passed on an ASSUMED fact: installer country GB (the notice names neither the "
        "installation helpers nor their country), so no restricted transfer, to be verified: "
        "3 checks (CONCERO-SERVER-LOCATION flows/installation-helper, CONCERO-TRANSFER "
        "flows/installation-helper, GDPR-TRANSFER flows/installation-helper)"
    )
    assert lines[-1] == "FAIL: 57 findings at or above low."
