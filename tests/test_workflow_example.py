"""The example GitHub Actions workflow, read for sense (newcomer review 2026-12-02b, N5): a
required check must never stay Pending, a review label must not survive new commits, a push to
main must say what it does, and nothing may be uploaded that this run did not write.

The check step's script is run under bash as GitHub runs it (``-eo pipefail``), with a stand-in
``flowaudit`` that records its arguments and exits as told."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from flowaudit.model.yamlsource import parse_text
from tests.helpers import require_tool

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / "docs" / "github-actions.yml"
LABEL = "flowaudit-reviewed"


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


def test_the_label_counts_only_in_the_run_its_own_adding_starts() -> None:
    env = _workflow()["jobs"]["audit"]["env"]
    assert env["REVIEWED"] == (
        "${{ github.event.action == 'labeled' && github.event.label.name == 'flowaudit-reviewed' }}"
    )


def test_a_push_to_the_pull_request_removes_the_label() -> None:
    job = _workflow()["jobs"]["unlabel"]
    assert job["if"] == (
        "github.event_name == 'pull_request' && github.event.action == 'synchronize' && "
        "contains(github.event.pull_request.labels.*.name, 'flowaudit-reviewed')"
    )
    assert job["permissions"] == {"pull-requests": "write"}
    [step] = job["steps"]
    assert step["run"] == (
        'gh pr edit "$PR" --repo "$GITHUB_REPOSITORY" --remove-label flowaudit-reviewed'
    )
    # the audit job itself cannot write to the pull request
    assert "pull-requests" not in _workflow()["jobs"]["audit"]["permissions"]


def test_graphviz_is_installed_after_apt_get_update() -> None:
    steps = _workflow()["jobs"]["audit"]["steps"]
    installs = [s["run"] for s in steps if "apt-get install" in s.get("run", "")]
    assert installs == ["sudo apt-get update && sudo apt-get install -y graphviz"]


def test_sarif_and_summary_are_used_only_when_this_run_wrote_them() -> None:
    steps = _workflow()["jobs"]["audit"]["steps"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always() && hashFiles('flowaudit.sarif') != ''"
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
    "--policies",
    "policies/",
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


def test_a_push_to_main_records_and_fails_only_when_it_cannot_audit(check_step: Any) -> None:
    assert check_step("push", "false", 1) == (0, ["check", *COMMON], False)
    assert check_step("push", "true", 0) == (0, ["check", *COMMON], False)  # no label on push
    assert check_step("push", "false", 2)[0] == 2
    assert check_step("push", "false", 3)[0] == 3
