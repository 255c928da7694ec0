"""The gate on a grouped contract-not-party finding (mayrisk-s19 left it open): GDPR-BASIS
reports one finding per group of people resting on contract though not party to it, on the
subject, listing its flows. It had no ``problem``, so the gate matched it by its message,
which counts and names the flows: a pull request adding one more contract flow for the
shipped customer staff made the same finding [new] and FIXED at once. It is now matched by
the problem without the flows, and the flow joining it is a change to review."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXTRA, concero_repo, review_lines, run_gate
from tests.test_mayrisk_s19 import MIS_B

GATE = ["--as-of", "2026-11-25", "--base", "HEAD"]


def _gate(tmp_path: Path, extra: str) -> tuple[int, str]:
    repo = concero_repo(tmp_path, "")
    (repo.files / EXTRA).write_text(extra, encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    return result.exit_code, result.stdout


def test_a_flow_joining_customer_staff_on_contract_is_reviewed_not_new(tmp_path: Path) -> None:
    code, out = _gate(tmp_path, MIS_B)
    assert code == 1, out
    staff = [
        line
        for line in out.splitlines()
        if "subjects/customer_staff" in line and not line.startswith("change to review:")
    ]
    # the finding stands once, now naming 14 flows, neither new nor gone
    assert len(staff) == 1, staff
    assert staff[0].startswith(
        "concero/taxonomy.yaml:60:5 HIGH GDPR-BASIS subjects/customer_staff: Staff of customer "
        "schools and businesses are not party to the contract, yet 14 flows rest on contract"
    )
    assert not staff[0].endswith("[new]")
    assert [line.split(": ")[1] for line in review_lines(out)] == [
        "joined-finding:flows/mis-b:CONCERO-PUPILS:may-subject",
        "joined-finding:flows/mis-b:GDPR-BASIS:contract-not-party",
        "claim-changed:flows/mis-b",
        "notice-exempts:flows/mis-b",
    ]
    verdict = [line for line in out.splitlines() if line.startswith("FAIL:")]
    assert verdict[0].startswith(
        "FAIL: 1 new finding at or above low against HEAD: GDPR-PROCESSOR + GDPR-AGREEMENT "
        "flows/mis-b (subprocessor-not-authorised); 4 changes to review not accepted"
    ), verdict


def test_another_group_of_people_on_contract_is_a_new_finding(tmp_path: Path) -> None:
    """What the problem leaves out is only the flows: another group of people resting on
    contract though not party to it is a finding of its own, new."""
    extra = (
        "subjects:\n"
        "  - id: school_governors\n"
        "    name: School governors\n"
        "    party_to_contract: false\n"
        "flows:\n"
        "  - id: governors-list\n"
        "    from: concero\n"
        "    to: crm\n"
        "    categories: [contact.name]\n"
        "    subjects: [school_governors]\n"
        "    purpose: sla_support\n"
        "    basis: contract\n"
    )
    code, out = _gate(tmp_path, extra)
    assert code == 1, out
    new = [line for line in out.splitlines() if line.endswith("[new]")]
    assert any(
        " HIGH GDPR-BASIS subjects/school_governors: School governors are not party to the "
        "contract, yet 1 flow rests on contract" in line
        for line in new
    ), out
