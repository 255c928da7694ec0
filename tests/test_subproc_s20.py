"""The CI gate on grouped findings (fix-subproc-s20), each on the shipped map committed as the
base of a git repository (``check --as-of 2026-11-25 --base HEAD``):

1. The shipped HIGH GDPR-AGREEMENT + GDPR-PROCESSOR on flows/school-server-work names the
   sub-processors the schools' contract must authorise ("it must authorise the 4
   sub-processors ...: Zendesk, Inc. (helpdesk-tickets), ..."). It had no ``problem``, so the
   gate matched it by that message: a hosting flow deleted made it [new] and FIXED at once.
   It is now matched by the problem without the names (each rule's: the missing contract,
   and the authorisation it must give), and lists its flows (the schools' flow, then each
   sub-processor flow), so a sub-processor flow added is a ``joined-finding`` to review, one
   relabelled out of it a ``left-finding``, one deleted nothing (its own findings are
   removed), and none of them is new and FIXED.
2. A flow relabelled out of a *waived* grouped finding was not asked about (PASS, exit 0):
   the waiver was approved for the finding as it stood, and once it ends the problem no
   longer counts against that flow. It is a ``left-finding`` now, as for an open finding.
3. A flow leaving a grouped finding was not asked about when another finding of the same rule
   and code named it, on another problem: another controller's sub-processors, or the
   flow's own missing contract (same rule, same code). With 1, a sub-processor flow
   relabelled out of the schools' finding passed with exit 0.
4. A left-finding printed beside the ``reclassified`` line of the same flow (the cause) is
   folded into that line, as a finding gone as fixed is ("with it goes"): one line to
   confirm, pinned to what it folds in, as grave as the finding left.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.baseline import _left_folded, pinned_id
from flowaudit.checks.result import Finding, ReviewChange
from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.schema import Severity
from tests.helpers import EXTRA, GitRepo, concero_repo, review_lines, run_gate

GATE = ["--as-of", "2026-11-25", "--base", "HEAD"]
SCHOOL = "HIGH GDPR-AGREEMENT + GDPR-PROCESSOR flows/school-server-work"
PARTIES = "Customer schools (controller) → Concero Technology Services (processor): "
#: the agreement rule's problem and the processor duties rule's, as the gate matches them
PROBLEMS = (
    f"{PARTIES}an Art. 28 contract is required; none is linked",
    f"{PARTIES}an Art. 28 contract is required; it must authorise each sub-processor the "
    "controller's data reaches or may reach (Art. 28(2))",
)
FLOWS = ("school-server-work", "helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk")
WAIVERS = "zz-waivers.yaml"
LABEL = "flows/hosting-uk"


def _gate(repo: GitRepo, *more: str) -> tuple[int, str]:
    result = run_gate(["check", str(repo.files), *GATE, *more])
    return result.exit_code, result.stdout


def _new(out: str) -> list[str]:
    """The findings the gate reads as new: severity, rules and element."""
    return [ln.split(": ")[0].split(" ", 1)[1] for ln in out.splitlines() if ln.endswith("[new]")]


def _reviews(out: str) -> list[str]:
    """The ids of the changes to review, as printed (unpinned), in order."""
    return [line.split(": ")[1] for line in review_lines(out)]


def _school(out: str) -> str:
    """The one line of the schools' finding (never also a FIXED line of it)."""
    [line] = [ln for ln in out.splitlines() if f" {SCHOOL}: " in ln]
    assert "FIXED" not in line and not line.startswith("change to review:"), line
    return line


def _drop_line(repo: GitRepo, flow_id: str, line: str) -> None:
    """Delete ``line`` from the entry of ``flow_id`` in flows.yaml."""
    path = repo.files / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {flow_id}\n")
    at = text.index(line, start)
    assert at < text.index("\n\n", start), f"{line!r} is not in {flow_id}"
    path.write_text(text[:at] + text[at + len(line) :], encoding="utf-8")


def _delete_flow(repo: GitRepo, flow_id: str) -> None:
    path = repo.files / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {flow_id}\n")
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")


# -- 1. the schools' contract that must authorise the sub-processors


def _school_finding() -> Finding:
    result = audit(AuditRequest([shipped_map_dir()], date(2026, 11, 25)))
    counts = {severity.value: count for severity, count in result.counts().items() if count}
    assert counts == {"critical": 3, "high": 11, "medium": 39, "low": 4}
    [finding] = [
        f
        for f in result.findings
        if f.element == ("flows", "school-server-work") and "GDPR-PROCESSOR" in f.rule_ids
    ]
    return finding


def test_the_finding_is_matched_without_the_names_and_lists_its_flows() -> None:
    """Same finding, same words and grade as before; what the gate matches leaves out which
    sub-processors and how many, and its flows are the schools' and each sub-processor's."""
    finding = _school_finding()
    assert (finding.rule_ids, finding.code, finding.severity.value) == (
        ("GDPR-AGREEMENT", "GDPR-PROCESSOR"),
        "missing",
        "high",
    )
    assert finding.message == (
        f"{PROBLEMS[0]}; it must authorise the 4 sub-processors the controller's data may reach "
        "(Art. 28(2)): Zendesk, Inc. (helpdesk-tickets), US hosting provider (not named) "
        "(hosting-us), EEA hosting provider (not named) (hosting-eea), UK hosting provider "
        "(not named) (hosting-uk)"
    )
    assert sorted(finding.problems) == sorted(PROBLEMS)
    assert finding.flows == FLOWS
    assert finding.finding_id == "F-003261ff23"  # its id is the one it had


def test_a_sub_processor_flow_deleted_leaves_the_finding_the_base_s(tmp_path: Path) -> None:
    """hosting-uk deleted (the UK servers no longer get the tickets): the finding names the
    three left and is the base's; before, it was [new] and FIXED at once. What is new is
    true (uk-servers is no longer written into); nothing to review."""
    repo = concero_repo(tmp_path, "")
    _delete_flow(repo, "hosting-uk")
    code, out = _gate(repo)
    assert "it must authorise the 3 sub-processors" in _school(out), out
    assert not _school(out).endswith("[new]"), out
    assert _new(out) == ["MEDIUM HYG-STORE-SOURCE systems/uk-servers"], out
    assert _reviews(out) == [], out
    assert code == 1, out


#: a fifth sub-processor: a backup host that gets what is on the schools' networks
BACKUP = """parties:
  - id: backup-host
    name: Backup host (not named)
    kind: hosting
    country: GB
    role: processor
flows:
  - id: backup-copy
    from: concero
    to: backup-host
    categories: [customer_network]
    subjects: [pupils]
    purpose: sla_support
    basis: contract
    agreement: uk-hosting-dpa
    encrypted_in_transit: true
    notice: N-LOCATION
"""


def test_a_new_sub_processor_flow_is_a_joined_finding(tmp_path: Path) -> None:
    """A backup host added: the schools' finding is the base's, now naming 5 sub-processors,
    and the flow newly under it is put to a person (before: [new] and FIXED at once). The
    flow's own findings are new, and fail the run even once every change is accepted."""
    repo = concero_repo(tmp_path, "")
    (repo.files / EXTRA).write_text(BACKUP, encoding="utf-8")
    code, out = _gate(repo)
    school = _school(out)
    assert "it must authorise the 5 sub-processors" in school, out
    assert school.endswith("Backup host (not named) (backup-copy)"), out
    assert _new(out) == [
        "CRITICAL CONCERO-PUPILS (N-PUPILS) flows/backup-copy",
        "HIGH CONCERO-INSTALL-OFFSITE (N-INSTALL) flows/backup-copy",
        "HIGH GDPR-AGREEMENT flows/backup-copy",
    ], out
    assert _reviews(out) == [
        "joined-finding:flows/backup-copy:GDPR-AGREEMENT:missing",
        "claim-changed:flows/backup-copy",
        "reclassified:flows/backup-copy",
    ], out
    assert review_lines(out)[0].startswith(
        "change to review: joined-finding:flows/backup-copy:GDPR-AGREEMENT:missing: "
        f"flows/backup-copy is newly under {SCHOOL.replace(' flows/', ' on flows/')} "
        "(missing), a finding the base has"
    ), out
    assert code == 1, out
    code, out = _gate(repo, "--accept-reviewed-changes")
    assert _new(out) and code == 1, out


def test_a_sub_processor_flow_relabelled_out_is_a_left_finding(tmp_path: Path) -> None:
    """hosting-uk stays but no longer says it may carry the pupils' data: it leaves the
    schools' finding (and the pupil-data risk), which stands on the others. Described away
    in one line, so a person confirms it; accepted, the run passes."""
    repo = concero_repo(tmp_path, "")
    _drop_line(repo, "hosting-uk", "      subjects: [pupils, students, parents]\n")
    code, out = _gate(repo)
    assert "it must authorise the 3 sub-processors" in _school(out), out
    assert _new(out) == [], out
    # one line: the reclassification that says why, and the two findings the flow leaves
    # (folded, 4.; before: two left-finding lines beside it)
    assert _reviews(out) == ["reclassified:flows/hosting-uk"], out
    assert review_lines(out)[0].endswith(
        "(may_carry): it can clear findings (those about what it may carry) without anything "
        "else changing; with it flows/hosting-uk leaves: HIGH CONCERO-PUPILS on "
        f"flows/helpdesk-tickets (may-subject), {SCHOOL.replace(' flows/', ' on flows/')} "
        "(missing), which still stand (confirm the change fixes them for this flow rather than "
        "describes them away)"
    ), out
    assert code == 1, out
    code, out = _gate(repo, "--accept-reviewed-changes")
    assert code == 0, out


def test_a_sub_processor_flow_renamed_joins_under_its_new_id(tmp_path: Path) -> None:
    """hosting-uk renamed hosting-gb: the old id's findings are removed, the new id joins
    each grouped finding the old one was under (each put to a person) and its own agreement
    finding is new under its new id; the schools' finding is neither new nor FIXED. The old
    id deleted from under the grave grouped findings while a flow is added is confirmed as
    a flow's own would be (gate review s20: a rename can walk a flow out of a group)."""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", "  - id: hosting-uk\n", "  - id: hosting-gb\n")
    code, out = _gate(repo)
    assert "UK hosting provider (not named) (hosting-gb)" in _school(out), out
    assert _new(out) == ["MEDIUM GDPR-AGREEMENT flows/hosting-gb"], out
    assert _reviews(out) == [
        "removed-unconfirmed:CONCERO-HELPDESK-CREDENTIALS:flows/hosting-uk:store-unprotected",
        "joined-finding:flows/hosting-gb:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "joined-finding:flows/hosting-gb:CONCERO-PUPILS:may-subject",
        "joined-finding:flows/hosting-gb:GDPR-AGREEMENT:missing",
        "joined-finding:flows/hosting-gb:GDPR-BASIS:contract-not-party",
        "claim-changed:flows/hosting-gb",
    ], out
    assert code == 1, out


def test_a_sub_processor_s_name_changed_is_the_same_finding(tmp_path: Path) -> None:
    """The UK host's name edited: the finding says the new name and is the base's (before:
    [new] and FIXED); nothing left it, nothing joined, nothing to review. (The host's own
    agreement finding named both parties in what the gate matches, and was new, failing the
    run: fixed by gate review s21, which matches it by the parties' ids: nothing new, exit 0.)"""
    repo = concero_repo(tmp_path, "")
    repo.edit(
        "organisation.yaml",
        "name: UK hosting provider (not named)",
        "name: UK host (not named)",
    )
    code, out = _gate(repo)
    assert "UK host (not named) (hosting-uk)" in _school(out), out
    assert not _school(out).endswith("[new]"), out
    assert _new(out) == [], out
    assert "FIXED" not in out, out
    assert _reviews(out) == [], out
    assert code == 0, out


def test_a_sub_processor_recorded_as_a_controller_is_put_to_a_person(tmp_path: Path) -> None:
    """hosting-uk's recipient recorded as a controller: it leaves the sub-processors (a
    left-finding), and the disclosure outside the schools' instructions is new."""
    repo = concero_repo(tmp_path, "")
    repo.edit(
        "flows.yaml",
        "    purpose: sla_support\n    basis: contract\n    agreement: uk-hosting-dpa\n",
        "    recipient_role: controller\n    purpose: sla_support\n    basis: contract\n"
        "    agreement: uk-hosting-dpa\n",
    )
    code, out = _gate(repo)
    assert _new(out) == [
        "HIGH GDPR-PROCESSOR flows/hosting-uk",
        "MEDIUM CONCERO-SHARE-PERMISSION (N-SHARE) flows/hosting-uk",
        "LOW GDPR-AGREEMENT flows/hosting-uk",
    ], out
    assert _reviews(out) == [
        "left-finding:flows/hosting-uk:GDPR-AGREEMENT:missing",
        "claim-changed:flows/hosting-uk",
    ], out
    assert code == 1, out


# -- 3. another finding of the same rule and code on another problem stands in for nothing

#: a second controller (trusts) whose data only the archive copy gets; the schools' data
#: reaches it too, at the base (staff on the schools' networks)
TRUSTS = """parties:
  - id: customer-trusts
    name: Customer trusts
    kind: customer
    country: GB
    role: controller
  - id: archive-host
    name: Archive host (not named)
    kind: hosting
    country: GB
    role: processor
flows:
  - id: trust-server-work
    from: customer-trusts
    to: concero
    categories: [username]
    subjects: [callers]
    purpose: sla_support
    recipient_role: processor
    encrypted_in_transit: true
    notice: N-INSTALL
  - id: archive-copy
    from: concero
    to: archive-host
    categories: [customer_network, username]
    subjects: [customer_staff, callers]
    purpose: sla_support
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-LOCATION
"""


def test_a_flow_leaving_one_controller_s_sub_processors_is_asked_about(tmp_path: Path) -> None:
    """The archive copy relabelled as about callers only: it leaves the schools' finding and
    stays in the trusts' (same rules, same code, another problem) and keeps its own missing
    contract (same rule and code again). Either stood in for the schools' finding, so the
    flow walked out of a HIGH with PASS, exit 0; it is a left-finding now."""
    repo = concero_repo(tmp_path, TRUSTS)
    repo.edit(EXTRA, "subjects: [customer_staff, callers]", "subjects: [callers]")
    code, out = _gate(repo)
    assert _new(out) == [], out
    assert _reviews(out) == ["left-finding:flows/archive-copy:GDPR-AGREEMENT:missing"], out
    assert code == 1, out


# -- 2. a flow leaving a waived grouped finding


def _notes(subject: str) -> str:
    """A clean contract flow of ``subject``'s names into a store of the organisation (as in
    tests/test_gate2_s19.py): under the base, one of the flows customer staff rest on
    contract for."""
    return (
        "systems:\n"
        "  - {id: notes, name: Account notes, owner: concero, country: GB, categories: [contact], "
        f"subjects: [{subject}], encrypted_at_rest: true, retention_days: 365, "
        "retention_justification: One year, notice: N-COLLECT}\n"
        "flows:\n"
        "  - {id: staff-notes, from: concero, to: notes, categories: [contact.name], "
        f"subjects: [{subject}], purpose: sla_support, basis: contract, notice: N-PURPOSE, "
        "encrypted_in_transit: true}\n"
    )


STAFF_WAIVER = """waivers:
  - id: staff-contract
    rule: GDPR-BASIS
    element: subjects/customer_staff
    owner: "DPO"
    justification: "legitimate interests assessment being written"
    approved_on: 2026-11-01
    expires_on: 2027-03-31
"""
LEFT = "left-finding:flows/staff-notes:GDPR-BASIS:contract-not-party"
GONE_WORDS = "HIGH GDPR-BASIS on subjects/customer_staff (contract-not-party)"


def _waived_repo(tmp_path: Path) -> GitRepo:
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    (repo.files / WAIVERS).write_text(STAFF_WAIVER, encoding="utf-8")
    repo.commit("the customer staff's contract finding waived")
    return repo


def test_a_flow_relabelled_out_of_a_waived_finding_is_put_to_a_person(tmp_path: Path) -> None:
    """Base: staff-notes is one of 14 flows under the HIGH contract-not-party on customer
    staff, waived. The pull request says the flow is about job applicants: the finding
    stays waived on the 13 others, and the flow walked out of it with PASS, exit 0."""
    repo = _waived_repo(tmp_path)
    (repo.files / EXTRA).write_text(_notes("job_applicants"), encoding="utf-8")
    code, out = _gate(repo)
    assert _new(out) == [], out
    assert _reviews(out) == [LEFT], out
    assert review_lines(out)[0].startswith(
        f"change to review: {LEFT}: flows/staff-notes is no longer under {GONE_WORDS}, a "
        "finding waived ('staff-contract') that judged it at the base: the waiver was approved "
        "for the finding as it stood, this flow among those it judged; the flow stays in the "
        "map, yet the problem no longer counts against it once the waiver ends; confirm"
    ), out
    assert code == 1, out
    code, out = _gate(repo, "--accept-reviewed-changes")
    assert code == 0, out


def test_a_flow_deleted_from_a_waived_finding_is_nothing_to_review(tmp_path: Path) -> None:
    """Control: the flow deleted with its store leaves the waived finding as a flow leaving
    an open one does: nothing to review, exit 0."""
    repo = _waived_repo(tmp_path)
    (repo.files / EXTRA).write_text("", encoding="utf-8")
    code, out = _gate(repo)
    assert _reviews(out) == [] and _new(out) == [], out
    assert code == 0, out


def test_a_waiver_added_as_a_flow_leaves_says_both(tmp_path: Path) -> None:
    """The pull request waives the open finding and relabels a flow out of it: the waiver
    is a change to review (it covers the finding as it now reads, 13 flows), and so is the
    flow that left, which that waiver's line does not name."""
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    (repo.files / EXTRA).write_text(_notes("job_applicants"), encoding="utf-8")
    (repo.files / WAIVERS).write_text(STAFF_WAIVER, encoding="utf-8")
    code, out = _gate(repo)
    assert _reviews(out) == ["waiver-added:staff-contract", LEFT], out
    assert review_lines(out)[1].startswith(
        f"change to review: {LEFT}: flows/staff-notes is no longer under {GONE_WORDS}, a "
        "finding that judged it at the base, now waived ('staff-contract'): the flow stays"
    ), out
    assert code == 1, out


# -- 4. a left-finding folded into the reclassification of its flow


def test_a_fold_is_pinned_and_as_grave_as_the_finding_left() -> None:
    """The reclassified line takes the left-finding of its own flow in (not another flow's),
    its digest moves with it (an id accepted before the fold accepts nothing after it), and
    it is listed as grave as the finding left."""
    finding = _school_finding()
    said = "flows/hosting-uk is now described as no longer able to carry data about [pupils]"
    reclassified = ReviewChange("reclassified:flows/hosting-uk", "reclassified", LABEL, said)
    left = ReviewChange(f"left-finding:{LABEL}:GDPR-AGREEMENT:missing", "left-finding", LABEL, "")
    other = ReviewChange(
        "left-finding:flows/hosting-us:GDPR-AGREEMENT:missing",
        "left-finding",
        "flows/hosting-us",
        "",
        gravest=Severity.HIGH,
    )
    assert reclassified.gravest is None
    [folded, alone] = _left_folded([reclassified], [(left, finding), (other, finding)])
    assert alone is other
    assert (folded.id, folded.kind, folded.gravest) == (
        "reclassified:flows/hosting-uk",
        "reclassified",
        Severity.HIGH,
    )
    assert folded.detail == (
        f"{said}; with it flows/hosting-uk leaves: {SCHOOL.replace(' flows/', ' on flows/')} "
        "(missing), which still stands (confirm the change fixes it for this flow rather than "
        "describes it away)"
    )
    assert pinned_id(folded) != pinned_id(reclassified)
    # no reclassification of the flow: the left-finding stands on its own
    assert _left_folded([], [(left, finding)]) == [left]
