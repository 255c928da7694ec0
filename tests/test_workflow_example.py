"""The example GitHub Actions workflow, read for sense (newcomer review 2026-12-02b, N5): a
required check must never stay Pending, an approval accepts only the commit it was given on,
a push to main must say what it does, and nothing may be uploaded that this run did not
write.

The check step's script is run under bash as GitHub runs it (``-eo pipefail``), with a stand-in
``flowaudit`` that records its arguments and exits as told."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flowaudit.model.yamlsource import parse_text
from tests.helpers import GitRepo, require_tool, run

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / "docs" / "github-actions.yml"
CI_PAGE = ROOT / "docs" / "ci.md"


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = parse_text(WORKFLOW.read_text(encoding="utf-8"), "wf").data
    return data


def _step(name: str) -> dict[str, Any]:
    steps = _workflow()["jobs"]["audit"]["steps"]
    found: dict[str, Any] = next(s for s in steps if s.get("name", "").startswith(name))
    return found


def test_no_path_filter_leaves_a_required_check_pending() -> None:
    on = _workflow()["on"]
    assert "paths" not in on["pull_request"] and "paths-ignore" not in on["pull_request"]
    assert "paths" not in on["push"]


def test_only_an_approval_of_the_head_commit_accepts_changes_to_review() -> None:
    """Attack review 2026-12-03u, note: the label's run accepted whatever the pull request
    held when it was labelled, so a commit pushed after the maintainer read the summary and
    before the label was accepted unread. Acceptance is now a maintainer's approving review,
    and only when GitHub recorded it on the head commit (``review.commit_id``)."""
    workflow = _workflow()
    assert workflow["on"]["pull_request_review"] == {"types": ["submitted"]}
    assert "labeled" not in workflow["on"]["pull_request"]["types"]
    assert "unlabel" not in workflow["jobs"]
    env = workflow["jobs"]["audit"]["env"]
    assert env["REVIEWED"] == (
        "${{ github.event_name == 'pull_request_review' && "
        "github.event.review.state == 'approved' && "
        "github.event.review.commit_id == github.event.pull_request.head.sha && "
        'contains(fromJSON(\'["OWNER", "MEMBER", "COLLABORATOR"]\'), '
        "github.event.review.author_association) }}"
    )
    # the base branch as both events give it (github.base_ref is empty on a review)
    assert env["BASE_REF"] == "${{ github.event.pull_request.base.ref }}"
    # the audit job itself cannot write to the pull request
    assert "pull-requests" not in workflow["jobs"]["audit"]["permissions"]


def test_graphviz_is_installed_after_apt_get_update() -> None:
    steps = _workflow()["jobs"]["audit"]["steps"]
    installs = [s["run"] for s in steps if "apt-get install" in s.get("run", "")]
    assert installs == ["sudo apt-get update && sudo apt-get install -y graphviz"]


def test_sarif_and_summary_are_used_only_when_this_run_wrote_them() -> None:
    steps = _workflow()["jobs"]["audit"]["steps"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    # and not on a pull request from a fork, whose token cannot upload (newcomer review s21)
    assert upload["if"] == (
        "always() && hashFiles('flowaudit.sarif') != '' && (github.event_name == 'push' || "
        "github.event.pull_request.head.repo.full_name == github.repository)"
    )
    summary = _step("Summary")
    assert summary["if"] == "always() && hashFiles('flowaudit.md') != ''"
    assert _step("Check")["run"].splitlines()[2] == "rm -f flowaudit.sarif flowaudit.md"


@pytest.fixture
def check_step(tmp_path: Path) -> Any:
    """Run the check step's script with a stand-in flowaudit: (event, reviewed, its exit code)
    -> (the step's exit code, flowaudit's arguments, whether a planted SARIF survived)."""
    bash = require_tool("bash")
    script = _step("Check")["run"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "flowaudit"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nexit "$FAKE_EXIT"\n')
    fake.chmod(0o755)

    def run_step(event: str, reviewed: str, code: int) -> tuple[int, list[str], bool]:
        work = tmp_path / f"{event}-{reviewed}-{code}"
        work.mkdir()
        (work / "flowaudit.sarif").write_text("planted by the pull request")
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_EVENT_NAME": event,
            "REVIEWED": reviewed,
            "BASE_REF": "main",
            "FAKE_EXIT": str(code),
            "ARGS_FILE": str(work / "args"),
        }
        done = subprocess.run(
            [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=work,
            env=env,
            capture_output=True,
            check=False,
        )
        args = (work / "args").read_text().splitlines()
        return done.returncode, args, (work / "flowaudit.sarif").exists()

    return run_step


COMMON = [
    "data-map/",
    "--format",
    "auto",
    "--require-policy",
    "uk-gdpr",
    "--require-policy",
    "hygiene",
    "--fail-on",
    "low",
    "--output",
    "sarif=flowaudit.sarif",
    "--output",
    "markdown=flowaudit.md",
]


def test_a_pull_request_is_gated_against_its_base(check_step: Any) -> None:
    assert check_step("pull_request", "false", 1) == (
        1,
        ["check", *COMMON, "--base", "origin/main"],
        False,
    )
    assert check_step("pull_request", "false", 0)[0] == 0
    assert check_step("pull_request", "true", 0) == (
        0,
        ["check", *COMMON, "--base", "origin/main", "--accept-reviewed-changes"],
        False,
    )
    # the approval's own run is gated too, accepting only when REVIEWED says so
    assert check_step("pull_request_review", "false", 1) == (
        1,
        ["check", *COMMON, "--base", "origin/main"],
        False,
    )
    assert check_step("pull_request_review", "true", 0) == (
        0,
        ["check", *COMMON, "--base", "origin/main", "--accept-reviewed-changes"],
        False,
    )


def test_a_push_to_main_records_and_fails_only_when_it_cannot_audit(check_step: Any) -> None:
    assert check_step("push", "false", 1) == (0, ["check", *COMMON], False)
    assert check_step("push", "true", 0) == (0, ["check", *COMMON], False)  # no label on push
    assert check_step("push", "false", 2)[0] == 2
    assert check_step("push", "false", 3)[0] == 3


# The documented commands on a repository with no policies of its own (auditor review
# 2026-12-03g, problem 3): docs/ci.md and the workflow passed `--policies policies/`, and
# without that folder every run, push runs included, exited 2 ("no such file or folder").


def _ci_page_block(language: str, number: int = 0) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", CI_PAGE.read_text(encoding="utf-8"), re.S)
    block: str = blocks[number]
    return block


@pytest.fixture
def starter_repository(tmp_path: Path) -> Path:
    """A git repository holding `flowaudit init`'s starter map in data-map/ and no policies/,
    with its one commit as origin/main."""
    require_tool("git")
    root = tmp_path / "repo"
    root.mkdir()
    assert run(["init", str(root / "data-map")]).exit_code == 0
    repo = GitRepo(root, root)
    repo.git("init", "-q")
    repo.commit("starter map")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    assert not (root / "policies").exists()
    return root


def _flowaudit_on_path() -> str:
    script = shutil.which("flowaudit", path=os.path.dirname(sys.executable))
    assert script is not None, "the flowaudit console script is not installed"
    return os.path.dirname(script)


def _bash(script: str, cwd: Path, event: str = "pull_request") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{_flowaudit_on_path()}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_EVENT_NAME": event,
        "REVIEWED": "false",
        "BASE_REF": "main",
    }
    env.pop("GITHUB_ACTIONS", None)  # --format auto prints text, as on a developer's machine
    return subprocess.run(
        [require_tool("bash"), "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_ci_pages_command_runs_on_a_repository_with_no_policies(
    starter_repository: Path,
) -> None:
    """Auditor review 2026-12-03g, problem 3: the command docs/ci.md prints, run as printed,
    audits a starter repository against its base instead of exiting 2."""
    command = _ci_page_block("sh")
    assert "--policies" not in command
    done = _bash(command, starter_repository)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == (
        "PASS: no new findings at or above low against origin/main (3 existing findings, 0 "
        "changes to review)."
    )
    assert (starter_repository / "flowaudit.sarif").is_file()


@pytest.mark.parametrize("event", ["pull_request", "push"])
def test_the_workflows_check_and_report_steps_run_with_no_policies(
    starter_repository: Path, event: str
) -> None:
    """Auditor review 2026-12-03g, problem 3: the workflow's check step (the real flowaudit,
    not a stand-in) and its report step read no policies/ folder."""
    check = _bash(_step("Check")["run"], starter_repository, event)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (starter_repository / "flowaudit.sarif").is_file()
    assert (starter_repository / "flowaudit.md").is_file()
    report = _bash(_step("Report")["run"], starter_repository, event)
    assert report.returncode in (0, 1), report.stdout + report.stderr  # 1: findings
    assert (starter_repository / "flowaudit-report" / "report.html").is_file()


def test_a_missing_or_empty_policies_folder_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Auditor review 2026-12-03g, problem 3: `--policies` naming nothing to read says to
    create the folder or drop the option, in the words docs/ci.md prints."""
    monkeypatch.chdir(tmp_path)
    assert run(["init", "data-map"]).exit_code == 0
    missing = run(["check", "data-map", "--policies", "policies/"])
    assert missing.exit_code == 2
    assert missing.output.splitlines()[0] == _ci_page_block("text").strip()
    assert missing.output.splitlines()[0] == (
        "policies:1:1: --policies names a file or folder that does not exist: create it (your"
        " own policy files go there), or drop the option (the shipped policies need none)"
    )
    (tmp_path / "policies").mkdir()
    empty = run(["check", "data-map", "--policies", "policies"])
    assert empty.exit_code == 2
    assert empty.output.splitlines()[0] == (
        "policies:1:1: --policies names a folder with no .yaml, .yml or .json file: put your"
        " own policy files in it, or drop the option (the shipped policies need none)"
    )


def test_the_ci_pages_settings_file_requires_no_other_companys_notice(
    starter_repository: Path,
) -> None:
    """Auditor review 2026-12-03u, problem 1: docs/ci.md's `.flowaudit.toml` required
    `concero-notice`, the example company's privacy notice, and a newcomer's shop copying it
    was judged against Concero's promises (12 findings instead of 1). Copied as printed onto
    a starter map, it applies no rule of that notice."""
    settings = _ci_page_block("toml")
    assert "concero-notice" not in settings
    (starter_repository / ".flowaudit.toml").write_text(settings, encoding="utf-8")
    done = run(["check", str(starter_repository / "data-map"), "--format", "json"])
    assert done.exit_code in (0, 1), done.output
    report = json.loads(done.stdout)
    rules = {finding["rule_id"] for finding in report["findings"]}
    assert rules and not any(rule.startswith("CONCERO-") for rule in rules), rules
