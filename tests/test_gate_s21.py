"""Gate attack s21 (fix-gate-s21): a pull request owner's attempts on the gate, and the two
gate behaviours s20 left open, each with the exact outcome the gate now gives."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.baseline import compare, unpinned_id
from flowaudit.checks.result import Finding
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import for_markdown, for_markdown_with_addresses
from tests.helpers import concero_repo, concero_with, review_lines, run, run_gate
from tests.test_gate2_s19 import _notes

GATE = ["--as-of", "2026-11-25", "--base", "HEAD"]
AS_OF = date(2026, 11, 25)

# -- 1. a party's name filled in (left open by fix-gate-s20 and fix-subproc-s20)


def test_a_placeholder_party_named_leaves_its_agreements_standing_finding_existing(
    tmp_path: Path,
) -> None:
    """The shipped UK host is "UK hosting provider (not named)"; the DPO fills in its name.
    The agreement's standing finding (MEDIUM GDPR-AGREEMENT unknown-status on hosting-uk)
    headed its problem with the parties' names, so it was [new] and FIXED at once: the pull
    request failed on a problem it did not add, one nobody could accept, only waive. The
    problem now names the parties by id (the message still by name): existing, exit 0."""
    repo = concero_repo(tmp_path, "")
    organisation = repo.files / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    assert "name: UK hosting provider (not named)" in text
    organisation.write_text(
        text.replace("name: UK hosting provider (not named)", "name: Hostco UK Ltd"),
        encoding="utf-8",
    )
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "low"])
    assert result.exit_code == 0, result.stdout
    assert review_lines(result.stdout) == []
    assert (
        "MEDIUM GDPR-AGREEMENT flows/hosting-uk: Concero Technology Services (controller) → "
        "Hostco UK Ltd (processor): agreement 'uk-hosting-dpa' is recorded with status unknown"
    ) in result.stdout
    assert "FIXED" not in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "PASS: no new findings at or above low against HEAD (57 existing findings, 0 changes "
        "to review)."
    )


def test_an_agreements_standing_finding_keys_its_parties_by_id() -> None:
    """The shipped verdict is unchanged (57: 3 critical, 11 high, 39 medium, 4 low); the
    standing finding's message names the parties, its problem their ids."""
    from flowaudit.model.loader import shipped_map_dir

    result = audit(AuditRequest([shipped_map_dir()], AS_OF))
    counts = {severity.value: count for severity, count in result.counts().items() if count}
    assert counts == {"critical": 3, "high": 11, "medium": 39, "low": 4}
    [finding] = [
        f
        for f in result.findings
        if f.element == ("flows", "hosting-uk") and f.code == "unknown-status"
    ]
    assert finding.message.startswith(
        "Concero Technology Services (controller) → UK hosting provider (not named) "
        "(processor): agreement 'uk-hosting-dpa' is recorded with status unknown"
    )
    assert finding.problem.startswith(
        "concero (controller) → uk-hosting (processor): agreement 'uk-hosting-dpa' is "
        "recorded with status unknown"
    )


def test_parties_named_in_place_leave_every_finding_that_names_them_existing(
    tmp_path: Path,
) -> None:
    """Four names edited in place (the schools, Zendesk, the MIS firm and the product partner
    filled in): six findings of the shipped map name them in what the gate matched (the
    schools' HIGH contract, the MIS firm's HIGH sub-processor finding, the product
    introduction's HIGH, ...), and each was [new] and FIXED at once: FAIL, exit 1, on
    problems the change did not add. The base's findings are now matched with the names as
    HEAD says them: existing, nothing gone, exit 0; the messages say the new names."""
    repo = concero_repo(tmp_path, "")
    for old, new in (
        ("name: Zendesk, Inc.", "name: Zendesk Ltd"),
        ("name: Third-party MIS support firm (not named)", "name: MISHelp Ltd"),
        ("name: Customer schools\n", "name: Schools we serve\n"),
        ("name: Curriculum product partner (not named)", "name: CurricuCo"),
    ):
        repo.edit("organisation.yaml", old, new)
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "low"])
    assert result.exit_code == 0, result.stdout
    assert "FIXED" not in result.stdout and "[new]" not in result.stdout
    assert (
        "HIGH GDPR-PROCESSOR + GDPR-AGREEMENT flows/mis-third-party-support: Schools we serve "
        "(controller) → Concero Technology Services (processor) → MISHelp Ltd (role not "
        "recorded)"
    ) in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "PASS: no new findings at or above low against HEAD (57 existing findings, 0 changes "
        "to review)."
    )


# -- 2. a flow stepping down from a HIGH grouped finding into a lower-graded one


def test_a_flow_left_into_a_lower_graded_finding_of_the_same_code_is_still_asked_about(
    tmp_path: Path,
) -> None:
    """Base: staff-notes is under the HIGH contract-not-party on customer staff. HEAD
    relabels it as about job applicants, and (as a merge of rules grading one code two ways
    could) a new finding of the same rule and code, graded MEDIUM, judges it. That new
    finding stood in for the HIGH it left: under --fail-on high nothing failed (left open by
    fix-subproc-s20). Only a finding as grave stands in; a HIGH one still does."""
    base_repo = concero_repo(tmp_path / "b", _notes("customer_staff"))
    head_repo = concero_repo(tmp_path / "h", _notes("job_applicants"))
    base = audit(AuditRequest([str(base_repo.files)], AS_OF))
    head = audit(AuditRequest([str(head_repo.files)], AS_OF))
    [left] = [
        f
        for f in base.findings
        if f.code == "contract-not-party" and f.element == ("subjects", "customer_staff")
    ]
    assert "staff-notes" in left.flows and left.severity is Severity.HIGH

    def stepped(grade: Severity) -> Finding:
        return replace(
            left,
            severity=grade,
            element=("subjects", "job_applicants"),
            message="Job applicants: contract is not a basis for them",
            problem="Job applicants: contract is not a basis for them",
            flows=("staff-notes", "orders-and-billing"),
        )

    def lines(grade: Severity) -> list[str]:
        now = replace(head, findings=(*head.findings, stepped(grade)))
        gate = compare(base, now)
        assert [f.element for f in gate.failing(Severity.HIGH)] == (
            [("subjects", "job_applicants")] if grade is Severity.HIGH else []
        )
        return [unpinned_id(c.id) for c in gate.unaccepted if c.kind == "left-finding"]

    assert lines(Severity.MEDIUM) == [
        "left-finding:flows/staff-notes:GDPR-BASIS:contract-not-party"
    ]
    assert lines(Severity.HIGH) == []


# -- 3. output: GitHub's math in the Markdown summary


def test_markdown_summary_typesets_no_math_from_input(tmp_path: Path) -> None:
    """GitHub renders ``$...$``, ``$$...$$`` and ``$`...`$`` as typeset math in a job summary
    or a pull-request comment: a party named ``$PASS^{0}_{findings}$`` came out as math, and
    one whose ``$`` sat beside the code span an email address is put in made ``$`...`$``.
    Every ``$`` from input is now GitHub's documented ``\\$``."""
    folder = concero_with(tmp_path, "")
    organisation = folder / "organisation.yaml"
    name = "Hostco $PASS^{0}_{findings}$ $$x$$ $`y`$"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace(
            "name: UK hosting provider (not named)", f"name: '{name}'"
        ),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--as-of", "2026-11-25", "--format", "markdown"])
    assert result.exit_code == 1, result.output
    shown = "Hostco \\$PASS^{0}\\_{findings}\\$ \\$\\$x\\$\\$ \\$\\`y\\`\\$"
    assert shown in result.stdout
    assert re.search(r"(?<!\\)\$", result.stdout) is None
    assert for_markdown_with_addresses("x$a@b.co$") == "x\\$`a@b.co`\\$"
    assert for_markdown("$`z`$ and *w*", code_spans=True) == "\\$`z`\\$ and \\*w\\*"


# -- 4. files the pull request links out of the repository


def test_an_ignore_file_linked_out_of_the_map_folder_is_refused_unread(tmp_path: Path) -> None:
    """``.flowauditignore -> /proc/self/environ`` (or any file of the runner's) was read as
    patterns, and a line it could not read was printed: the run's environment, 256
    characters of it and more, in the public CI log. Held like a map file's link out of the
    folder: exit 2, the file not read, nothing of it shown."""
    secret = tmp_path / "runner-secret.txt"
    secret.write_text("TOKEN=ghp_s3cr3t[z-a]\n", encoding="utf-8")
    repo = concero_repo(tmp_path, "")
    (repo.files / ".flowauditignore").symlink_to(secret)
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 2, result.output
    assert "ghp_s3cr3t" not in result.output
    [problem] = [ln for ln in result.output.splitlines() if ".flowauditignore:" in ln]
    assert problem.endswith(".flowauditignore:1:1: symlink leads outside the map folder: not read")
    # a link to a file inside the folder is read as before
    (repo.files / ".flowauditignore").unlink()
    (repo.files / "ignored.txt").write_text("notes\n", encoding="utf-8")
    (repo.files / "patterns").mkdir()
    (repo.files / "patterns" / "list.txt").write_text("*.txt\n", encoding="utf-8")
    (repo.files / ".flowauditignore").symlink_to(repo.files / "patterns" / "list.txt")
    plain = run(["check", str(repo.files), "--as-of", "2026-11-25"])
    assert plain.exit_code == 1, plain.output
    assert plain.stdout.splitlines()[-1] == "FAIL: 57 findings at or above low."


def test_a_settings_file_linked_out_of_the_repository_is_refused_unread(tmp_path: Path) -> None:
    """``.flowaudit.toml`` at the repository's root linking to a TOML file of the runner's
    printed its policy names ("... is not found") or its tables' names: refused, exit 2.
    A link inside the repository is read (fail_on low: the shipped verdict, exit 1)."""
    secret = tmp_path / "runner.toml"
    secret.write_text('[check]\nrequire_policies = ["ghp_s3cr3t"]\n', encoding="utf-8")
    repo = concero_repo(tmp_path, "")
    (repo.root / ".flowaudit.toml").symlink_to(secret)
    result = run_gate(["check", str(repo.files), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "ghp_s3cr3t" not in result.output
    assert ".flowaudit.toml:1:1: symlink leads outside the repository: not read" in result.output
    (repo.root / ".flowaudit.toml").unlink()
    (repo.root / "gate.toml").write_text('[check]\nfail_on = "low"\n', encoding="utf-8")
    (repo.root / ".flowaudit.toml").symlink_to(repo.root / "gate.toml")
    inside = run_gate(["check", str(repo.files), "--as-of", "2026-11-25"])
    assert inside.exit_code == 1, inside.output


def test_a_map_file_linked_into_the_git_folder_is_refused_unread(tmp_path: Path) -> None:
    """A map folder that is the repository's root holds ``.git``: the walk skips it, but a
    committed link ``leak.yaml -> .git/config`` was read as a map file, and actions/checkout
    keeps the run's credentials header in that file. Refused, exit 2, the file not read."""
    folder = concero_with(tmp_path, "")
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    (folder / "leak.yaml").symlink_to(".git/config")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    [problem] = [ln for ln in result.output.splitlines() if "leak.yaml" in ln]
    assert problem.endswith("leak.yaml:1:1: symlink leads into a version-control folder: not read")


def test_a_new_party_given_a_renamed_ones_new_name_matches_nothing_by_name(
    tmp_path: Path,
) -> None:
    """Control for the renames: the MIS firm named "MISHelp Ltd" while a new party of that
    name is added. Two elements bear the name at HEAD, so the gate cannot tell which one a
    finding means: the base's findings naming the firm are not matched by its new name, and
    its HIGH sub-processor finding is [new] and FIXED, as it was before (exit 1)."""
    repo = concero_repo(
        tmp_path,
        "parties:\n  - {id: mis-help, name: MISHelp Ltd, kind: mis_support, country: GB}\n",
    )
    repo.edit(
        "organisation.yaml",
        "name: Third-party MIS support firm (not named)",
        "name: MISHelp Ltd",
    )
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "high"])
    assert result.exit_code == 1, result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        "FAIL: 1 new finding at or above high against HEAD: GDPR-PROCESSOR + GDPR-AGREEMENT "
        "flows/mis-third-party-support (subprocessor-not-authorised)."
    ), result.stdout
