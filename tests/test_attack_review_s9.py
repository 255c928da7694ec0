"""Attack review s9 (/work/reviews/attack9-2026-12-04s9.md): problem 1, a high or critical
finding that went with its deleted flow while the flow's store still declares the data it
carried, which nothing else writes into it, passed the gate with nothing to review."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import GitRepo, concero_with, run_gate

FIXTURES = Path(__file__).parent / "fixtures" / "attack_s9"

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]

BACKUP_FLOW = (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8").split("flows:\n")[1]

BACKUP_STORE = """  - id: us-backup
    name: US backup copies
    owner: us-hosting
    country: US
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
"""

WEBSITE_VISITS = """  - id: website-visits
    from: concero
    to: website-analytics
    categories: [web.traffic, web.location]
    subjects: [website_visitors]
    purpose: web_development
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-COLLECT

"""

WEBSITE_ANALYTICS = """  - id: website-analytics
    name: Website visit records
    owner: concero
    country: GB
    categories: [web]
    subjects: [website_visitors]
    encrypted_at_rest: true
    notice: N-COLLECT

"""


def _repo(tmp_path: Path, extra: str) -> GitRepo:
    """The shipped map (with ``extra``) committed as the base; the PR edits its files."""
    root = tmp_path / "repo"
    folder = concero_with(root, extra)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    return repo


def _review_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("change to review:")]


def test_problem_1_a_critical_gone_with_its_flow_while_its_store_abroad_holds_the_data(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1 (d3): the flow to the US backup store deleted, the store
    still declaring customer staff's names and emails: the CRITICAL transfer finding is a
    change to review naming the store and its country, and the gate fails under high."""
    repo = _repo(tmp_path, (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8"))
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert _review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the data it carried is still recorded in systems/us-backup "
        "(US); confirm it was erased, or record the flow that fills it (it declares categories "
        "contact.name, contact.email and data about customer_staff, which no flow writes into "
        "it; it said: EU-US Privacy Shield is invalid since 2020-07-16 (Commission "
        "Implementing Decision (EU) 2016/1250; CJEU C-311/18, judgment of 16 July 2020))"
    ]
    assert (
        "FAIL: no new findings at or above high against HEAD, but 1 change to review not "
        "accepted: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid. Not "
        "failed on: 58 existing findings."
    ) in result.stdout.splitlines()


def test_problem_1_a_high_gone_with_its_flow_while_its_store_still_holds_the_data(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1 (d1): website-visits deleted from the shipped map while
    systems/website-analytics still declares web data about website visitors (``web``,
    which the flow's narrower categories filled): its HIGH GDPR-BASIS is put to a person."""
    repo = _repo(tmp_path, "")
    repo.edit("flows.yaml", WEBSITE_VISITS, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert _review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-BASIS:flows/website-visits:no-assessment: "
        "high GDPR-BASIS on flows/website-visits (no-assessment) went with its element, and "
        "the data it carried is still recorded in systems/website-analytics (GB); confirm it "
        "was erased, or record the flow that fills it (it declares categories web and data "
        "about website_visitors, which no flow writes into it; it said: Legitimate interests, "
        "Art. 6(1)(f) needs a legitimate interests assessment on file; none is linked)"
    ]


def test_problem_1_control_a_flow_deleted_with_its_store_is_plainly_removed(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1, control: the flow deleted together with its store
    stopped: its finding goes as REMOVED, nothing to review, the gate passes."""
    repo = _repo(tmp_path, "")
    repo.edit("flows.yaml", WEBSITE_VISITS, "")
    repo.edit("systems.yaml", WEBSITE_ANALYTICS, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _review_lines(result.stdout) == []
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("  REMOVED ")
        and "HIGH GDPR-BASIS flows/website-visits:" in line
        and line.endswith("[flows/website-visits is no longer in the map]")
        for line in lines
    ), result.printed


def test_problem_1_control_a_flow_deleted_with_what_its_store_declares_is_plainly_removed(
    tmp_path: Path,
) -> None:
    """Attack review s9, problem 1, control: the US backup flow deleted and the store no
    longer declaring its categories or people: REMOVED, nothing to review."""
    repo = _repo(tmp_path, (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8"))
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit(
        "zz-extra.yaml",
        "    categories: [contact.name, contact.email]\n    subjects: [customer_staff]\n",
        "",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _review_lines(result.stdout) == []
    assert (
        "PASS: no new findings at or above high against HEAD (58 existing findings, 0 changes "
        "to review)."
    ) in result.stdout.splitlines()
