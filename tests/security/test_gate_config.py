"""The gate's settings file (issue 11, point 3): required policies and the fail-on level
outside the map, in .flowaudit.toml at the repository root, whose own changes are changes
to review under --base."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from flowaudit.model.discovery import display_path
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool, run, unpinned

AS_OF = "2026-11-25"
PINNED = '[check]\nrequire_policies = ["concero-notice"]\nfail_on = "low"\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    require_tool("git")
    root = tmp_path / "repo"
    shutil.copytree(shipped_map_dir(), root / "data-map")
    (root / ".flowaudit.toml").write_text(PINNED, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    organisation = root / "data-map" / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("policies: [concero-notice]", "policies: []"))
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def check(root: Path, *extra: str) -> tuple[int, str]:
    result = run(["check", str(root / "data-map"), "--as-of", AS_OF, *extra])
    return result.exit_code, result.output


def test_the_settings_file_at_the_repository_root_pins_a_policy(repo: Path) -> None:
    code, output = check(repo)
    assert code == 1
    assert "CRITICAL CONCERO-PUPILS (N-PUPILS) flows/school-server-work" in output


def test_changing_the_settings_file_is_a_change_to_review(repo: Path) -> None:
    (repo / ".flowaudit.toml").write_text('[check]\nfail_on = "critical"\n', encoding="utf-8")
    code, output = check(repo, "--base", "HEAD")
    assert code == 1, output
    output = unpinned(output)
    config = display_path(repo / ".flowaudit.toml")
    assert (
        f"change to review: config-changed:{config}: require_policies [concero-notice] -> []; "
        "fail_on low -> critical"
    ) in output
    assert "change to review: policy-removed:concero-notice" in output


def test_deleting_the_settings_file_is_a_change_to_review(repo: Path) -> None:
    (repo / ".flowaudit.toml").unlink()
    code, output = check(repo, "--base", "HEAD")
    assert code == 1, output
    assert "config-changed:" in output and "require_policies [concero-notice] -> []" in output


def test_the_stricter_fail_on_wins_when_both_are_given(repo: Path) -> None:
    (repo / ".flowaudit.toml").write_text('[check]\nfail_on = "critical"\n', encoding="utf-8")
    alone = check(repo)
    assert alone[0] == 1 and "FAIL: 2 findings at or above critical." in alone[1]
    both = check(repo, "--fail-on", "low")
    assert "at or above low." in both[1]
    loose = check(repo, "--fail-on", "info")  # the option can tighten the file's level
    assert "at or above info." in loose[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[check]\nfail_on = 'sometimes'\n", ":2:1: fail_on must be one of critical, high"),
        ("[check]\nrequire = ['x']\n", ":2:1: unknown setting 'require'; settings: "),
        ("[check\n", ":1:7: TOML syntax error: "),
        ("[check]\nrequire_policies = 'uk-gdpr'\n", ":2:1: require_policies must be a list"),
        ("[gate]\nfail_on = 'low'\n", ":1:1: unknown table 'gate'; use [check]"),
        # not a table: read as none, it dropped every pin (attack review 2026-12-02d, 8)
        ("# pins\ncheck = 1\n", ":2:1: 'check' must be the table [check] of settings"),
        ("[check]\nfail_on = '\udcff'\n", ":1:1: not UTF-8"),
        ("# " + "x" * (1024 * 1024) + "\n", ":1:1: settings file larger than 1 MiB"),
    ],
)
def test_a_broken_settings_file_is_a_located_input_error(
    tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "gate.toml"
    config.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = run(["check", "--as-of", AS_OF, "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert f"gate.toml{message}" in result.output


def test_a_settings_file_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "gate.toml"
    os.mkfifo(fifo)
    result = run(["check", "--as-of", AS_OF, "--config", str(fifo)])
    assert result.exit_code == 2
    assert "gate.toml:1:1: not a regular file" in result.output


def test_report_reads_the_settings_file_as_check_does(repo: Path) -> None:
    """The auditors' report applies the policy the settings file pins (it dropped it: 40
    findings instead of 50), and ``report --base`` saw a settings change where there was
    none (attack review 2026-12-02b, hole 9)."""
    out = repo / "report"
    result = run(
        ["report", str(repo / "data-map"), "--as-of", AS_OF, "--out", str(out), "--diagram", "none"]
    )
    assert result.exit_code == 1, result.output
    findings = (out / "findings.csv").read_text(encoding="utf-8")
    assert "CONCERO-PUPILS" in findings
    assert len(findings.splitlines()) == 58  # a header and the check's 57 findings
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the map drops its own selection; the settings pin it")
    result = run(
        [
            "report",
            str(repo / "data-map"),
            "--as-of",
            AS_OF,
            "--out",
            str(out),
            "--diagram",
            "none",
            "--base",
            "HEAD",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "config-changed" not in (out / "report.html").read_text(encoding="utf-8")
