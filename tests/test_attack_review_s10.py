"""Attack review s10 (/work/reviews/attack10-2026-12-04s10.md): problem 1, the flow deleted
and its store renamed let a CRITICAL transfer go as REMOVED with the data still recorded in
the US; problem 2, the gate crashed (exit 3) on a processor flow for a purpose that names
no controller; problem 3, a base waiver naming an unknown rule made every gate run exit 2;
problem 4, the flow deleted and its store's declaration emptied in the same change passed
with nothing to review."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import concero_repo, concero_with, review_lines, run_gate

FIXTURES = Path(__file__).parent / "fixtures" / "attack_s10"

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]

EXTRA = (FIXTURES / "us-backup.yaml").read_text(encoding="utf-8")

BACKUP_FLOW = EXTRA.split("flows:\n")[1]

SAID = (
    "it said: EU-US Privacy Shield is invalid since 2020-07-16 (Commission Implementing "
    "Decision (EU) 2016/1250; CJEU C-311/18, judgment of 16 July 2020))"
)


def test_problem_1_a_critical_gone_with_its_flow_while_its_store_is_renamed(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 1 (b7): the flow to the US backup store deleted and the
    store renamed ``us-backup-2``, same owner and country, same declaration: the CRITICAL is
    a change to review naming the store at HEAD, and the gate fails under high."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit("zz-extra.yaml", "  - id: us-backup\n", "  - id: us-backup-2\n")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the data it carried is still recorded in systems/us-backup-2 "
        "(US), which takes the place of systems/us-backup of the base (same owner us-hosting "
        "and country US; it declares data the flow carried); confirm it was erased, or record "
        "the flow that fills it (it declares categories contact.name, contact.email and data "
        f"about customer_staff, which no flow writes into it; {SAID}"
    ]
    assert (
        "FAIL: no new findings at or above high against HEAD, but 1 change to review not "
        "accepted: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid. Not "
        "failed on: 57 existing findings."
    ) in result.stdout.splitlines()
    # located at the renamed store in HEAD's map
    assert "    (NOT ACCEPTED), said at [concero/zz-extra.yaml:14:5]" in result.stdout.splitlines()


def test_problem_1_a_new_store_of_another_country_with_the_data_is_to_confirm_too(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 1, and attack review s11, problem 1 (b3, b7, b9): the flow
    deleted with its store, and a store added elsewhere (here GB; another owner, or India,
    alike) declaring the same data. It was a control, a plain REMOVED; renamed and moved to
    India the CRITICAL went with exit 0. The data is recorded in a store the change adds:
    where it went is a person's to confirm."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit("zz-extra.yaml", "  - id: us-backup\n", "  - id: gb-backup\n")
    repo.edit("zz-extra.yaml", "    country: US\n", "    country: GB\n")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    [line] = review_lines(result.stdout)
    assert line.startswith(
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the data it carried is still recorded in systems/gb-backup "
        "(GB), which takes the place of systems/us-backup of the base (added by the change; "
        "it declares data the flow carried)"
    ), line


def test_attack_s11_problem_2_the_data_moved_into_the_hosts_other_store(
    tmp_path: Path,
) -> None:
    """Attack review s11, problem 2 (a1): the flow and its store deleted, and the data added
    to the declaration of another store the change keeps: recorded there, a change to
    review; a plain REMOVED with exit 0 before."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    store = EXTRA.split("systems:\n")[1].split("\n\n")[0] + "\n"
    repo.edit("zz-extra.yaml", store, "")
    repo.edit(
        "systems.yaml",
        "    categories: [web]\n    subjects: [website_visitors]\n",
        "    categories: [web, contact.name, contact.email]\n"
        "    subjects: [website_visitors, customer_staff]\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert any(
        "removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid" in line
        and "systems/website-analytics (GB), which takes the place of systems/us-backup of "
        "the base "
        "(its declaration newly names data the flow carried)"
        in line
        for line in review_lines(result.stdout)
    ), result.printed


def test_problem_2_a_processor_flow_for_a_purpose_naming_no_controller_does_not_crash(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 2 (a2): backup-us re-pointed as dr-copies from the UK
    host's servers for a new purpose no controller is named for: no KeyError (exit 3), but
    the new HIGH GDPR-SUBPROCESSING and its ``reclassified`` item, exit 1."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit(
        "zz-extra.yaml",
        "  - id: backup-us\n    from: crm\n",
        "  - id: dr-copies\n    from: uk-servers\n",
    )
    repo.edit(
        "zz-extra.yaml",
        "    purpose: sla_support\n    basis:",
        "    purpose: dr_backup\n    basis:",
    )
    repo.edit(
        "zz-extra.yaml",
        "assessments:\n",
        "purposes:\n  - {id: dr_backup, name: Disaster recovery copies}\n\nassessments:\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = result.stdout.splitlines()
    # the host's copy to the US host, which Concero engaged itself (us-hosting-dpa), for a
    # purpose of Concero's (no controller named) is Concero's own transfer (lawyer review
    # s15, problems 1-2): judged as the same flow from Concero's id is, CRITICAL, not the
    # UK host's use outside its instructions
    assert [line for line in lines if " flows/dr-copies: " in line and "[new]" in line][:2] == [
        "concero/zz-extra.yaml:34:5 CRITICAL GDPR-TRANSFER + CONCERO-TRANSFER (N-LOCATION, "
        "N-ABROAD) flows/dr-copies: EU-US Privacy Shield is invalid since 2020-07-16 "
        "(Commission Implementing Decision (EU) 2016/1250; CJEU C-311/18, judgment of 16 July "
        "2020) [new]",
        "concero/zz-extra.yaml:32:5 HIGH GDPR-BASIS flows/dr-copies: Legitimate interests, Art. "
        "6(1)(f) needs a legitimate interests assessment on file on the audit date, 2026-11-25, "
        "for the purpose 'dr_backup' ('lia-backup' weighs only sla_support) [new]",
    ]
    assert next(line for line in lines if line.startswith("FAIL: ")).startswith(
        "FAIL: 2 new findings at or above high against HEAD: GDPR-TRANSFER + CONCERO-TRANSFER "
        "flows/dr-copies (mechanism-invalid), GDPR-BASIS flows/dr-copies (no-assessment); "
    )


def test_problem_4_a_critical_gone_with_its_flow_while_its_store_is_emptied(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 4 (b2): the flow deleted and the store's categories and
    subjects emptied in the same change: a claim of erasure the map cannot show, so the
    CRITICAL is a change to review naming the store and what it no longer names."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit(
        "zz-extra.yaml",
        "    categories: [contact.name, contact.email]\n    subjects: [customer_staff]\n",
        "    categories: []\n    subjects: []\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the store it filled, systems/us-backup (US), is still in the "
        "map, and its declaration no longer names categories contact.name, contact.email and "
        f"data about customer_staff: confirm it was erased ({SAID}"
    ]


def test_problem_4_a_store_shrunk_to_drop_part_of_what_the_flow_carried(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 4: the store keeps ``contact.name`` and drops
    ``contact.email``: both said, what it still declares and what it no longer names."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit(
        "zz-extra.yaml",
        "    categories: [contact.name, contact.email]\n",
        "    categories: [contact.name]\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid: "
        "critical GDPR-TRANSFER + CONCERO-TRANSFER on flows/backup-us (mechanism-invalid) went "
        "with its element, and the data it carried is still recorded in systems/us-backup "
        "(US); confirm it was erased, or record the flow that fills it; and its declaration "
        "no longer names categories contact.email: confirm it was erased (it declares "
        "categories contact.name and data about customer_staff, which no flow writes into "
        f"it; {SAID}"
    ]


def test_problem_4_control_the_flow_deleted_with_its_store_is_plainly_removed(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 4, control (b1): the store deleted too is "stopped and
    erased": REMOVED, nothing to review, the gate passes."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit("zz-extra.yaml", EXTRA.split("systems:\n")[1].split("\nflows:")[0], "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert review_lines(result.stdout) == []
    assert (
        "PASS: no new findings at or above high against HEAD (57 existing findings, 0 changes "
        "to review)."
    ) in result.stdout.splitlines()


OLD_WAIVER = """waivers:
  - id: w-old
    rule: CONCERO-OLD-RULE
    element: flows/backup-us
    owner: DPO
    justification: accepted while the rule existed
    approved_on: 2026-01-01
    expires_on: 2027-01-01
"""


def test_problem_3_a_base_waiver_of_an_unknown_rule_does_not_stop_the_pr_that_removes_it(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 3 (d1): the base holds a waiver of a rule id no policy has
    (valid before the release that refused it): the base is read leniently, so the pull
    request that deletes the waiver is compared (exit 0, the waiver's HYG-WAIVER removed),
    not refused with exit 2 at the base's waiver."""
    repo = concero_repo(tmp_path, EXTRA + "\n" + OLD_WAIVER)
    repo.edit("zz-extra.yaml", OLD_WAIVER, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert "unknown rule" not in result.output
    assert review_lines(result.stdout) == []
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("  REMOVED HEAD:concero/zz-extra.yaml:")
        and " HIGH HYG-WAIVER waivers/w-old: waiver matches no finding of CONCERO-OLD-RULE on "
        "flows/backup-us"
        in line
        for line in lines
    ), result.printed
    # 60: backup-us links us-hosting-dpa as hosting-us does, and the agreement's unknown
    # status is one finding naming both (DPO review s18, problem 3)
    assert (
        "PASS: no new findings at or above high against HEAD (60 existing findings, 0 changes "
        "to review)."
    ) in lines, result.printed


def test_problem_3_a_pr_keeping_the_waiver_of_an_unknown_rule_is_refused_at_head(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 3: HEAD keeps the input error: the pull request that
    leaves the waiver in place exits 2, located at HEAD's waiver (not at the base's)."""
    repo = concero_repo(tmp_path, EXTRA + "\n" + OLD_WAIVER)
    repo.edit("zz-extra.yaml", "    owner: DPO\n", "    owner: the DPO\n")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 2, result.printed
    assert result.stderr.splitlines()[0] == (
        "concero/zz-extra.yaml:37:5: unknown rule 'CONCERO-OLD-RULE': no loaded or shipped "
        "policy has a rule of this id (did you mean 'CONCERO-NO-SALE'?); if it is a rule of "
        "a policy of your own, name that policy's file or folder with --policies (check, "
        "report, diagram, ropa and diff read waivers and take it)"  # newcomer review s20
    )


def test_problem_3_a_base_selecting_a_policy_no_longer_shipped_does_not_stop_the_pr(
    tmp_path: Path,
) -> None:
    """Attack review s10, problem 3: the base's ``organisation.policies`` names a policy no
    release ships any more: the pull request that drops it is compared (exit 0), and one
    that keeps it is refused at HEAD's entry (exit 2)."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit(
        "organisation.yaml",
        "  policies: [concero-notice]\n",
        "  policies: [concero-notice, concero-withdrawn]\n",
    )
    repo.commit()
    repo.edit(
        "organisation.yaml",
        "  policies: [concero-notice, concero-withdrawn]\n",
        "  policies: [concero-notice]\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert "concero-withdrawn" not in result.output
    assert review_lines(result.stdout) == []
    repo.edit(
        "organisation.yaml",
        "  policies: [concero-notice]\n",
        "  policies: [concero-notice, concero-withdrawn]\n",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 2, result.printed
    assert result.stderr.splitlines()[0].startswith(
        "concero/organisation.yaml:16:30: policies names 'concero-withdrawn': no shipped "
        "policy has this id;"
    ), result.printed


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_problem_5_the_docs_say_only_the_sub_processing_rule_judges_a_processors_misuse() -> None:
    """Attack review s10, problem 5: since the transfer and onward rules skip a processor's
    flow outside the organisation's instructions (lawyer review s9, problem 1), the docs and
    the ``outside_instructions`` docstring no longer say those rules judge it."""
    from flowaudit.model.facts import MapFacts

    docstring = " ".join((MapFacts.outside_instructions.__doc__ or "").split())
    texts = {
        "map-format.md": (DOCS / "map-format.md").read_text(encoding="utf-8"),
        "policies.md": (DOCS / "policies.md").read_text(encoding="utf-8"),
        "facts.py": docstring,
    }
    for name, text in texts.items():
        assert "judged besides only by the transfer and onward rules" not in text, name
        assert "The transfer and onward rules still judge it" not in text, name
    assert (
        "judged only by that rule (and a policy's forbidden purpose or onward recipient kind): "
        "the processor, not the organisation, is the exporter, so the transfer and onward "
        "rules skip it (lawyer review s9, problem 1)" in texts["map-format.md"]
    )
    assert (
        "such a flow is judged only by this rule (and a policy's forbidden purpose or onward "
        "recipient kind): the processor, not the organisation, is the exporter (Art. 28(10)), "
        "so the transfer and onward rules skip it" in texts["policies.md"]
    )
    assert (
        "Nor do the transfer and onward rules: the export is the processor's own, as a "
        "controller (Art. 28(10)), so only GDPR-SUBPROCESSING judges it" in docstring
    )


def test_problem_3_diff_reads_the_base_leniently_as_the_gate_does(tmp_path: Path) -> None:
    """Attack review s10, problem 3: ``flowaudit diff BASE HEAD`` reads the base folder as
    the gate reads the base revision: its stale waiver is no input error (exit 0 here), and
    the same waiver in HEAD's folder is (exit 2, located at HEAD's waiver)."""
    base = concero_with(tmp_path / "base", EXTRA + "\n" + OLD_WAIVER)
    head = concero_with(tmp_path / "head", EXTRA)
    result = run_gate(["diff", str(base), str(head), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.printed
    assert "unknown rule" not in result.output
    result = run_gate(["diff", str(head), str(base), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.printed
    assert result.stderr.splitlines()[0].endswith(
        "zz-extra.yaml:37:5: unknown rule 'CONCERO-OLD-RULE': no loaded or shipped policy has a "
        "rule of this id (did you mean 'CONCERO-NO-SALE'?); if it is a rule of a policy of "
        "your own, name that policy's file or folder with --policies (check, report, "
        "diagram, ropa and diff read waivers and take it)"  # no policy of its own loaded
    ), result.printed
