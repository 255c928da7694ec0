"""The gate's settings file and the base side's errors, for diff as for check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, require_tool, run

BASE = FIXTURES / "diff" / "base"
HEAD = FIXTURES / "diff" / "head"
LOW = FIXTURES / "verdicts2" / "diff-low"


def _repo(root: Path, settings: str | None) -> Path:
    require_tool("git")
    shutil.copytree(BASE, root / "base")
    shutil.copytree(HEAD, root / "head")
    if settings is not None:
        (root / ".flowaudit.toml").write_text(settings, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, capture_output=True)
    return root


def test_diff_reads_the_settings_file_of_the_maps_repository(tmp_path: Path) -> None:
    # HEAD adds a medium and a low finding (a flow and its own agreement of unknown status:
    # map 2 added); the repository's settings fail only on high
    repo = _repo(tmp_path / "repo", '[check]\nfail_on = "high"\n')
    shutil.copytree(LOW, repo / "low")
    result = run(["diff", str(repo / "base"), str(repo / "low"), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "PASS: 2 new findings (0 at or above high), 0 gone (0 fixed, 0 removed, 0 waived, "
        "0 rule changed); 0 changes to review (0 accepted); map: 2 added, 0 removed, 0 changed."
    )
    # --fail-on on the command line may tighten it, as check's does
    strict = run(
        ["diff", str(repo / "base"), str(repo / "low"), "--as-of", "2026-11-25", "--fail-on", "low"]
    )
    assert strict.exit_code == 1
    # a policy the settings file pins is applied to both sides (a missing one is refused)
    (repo / ".flowaudit.toml").write_text('[check]\nrequire_policies = ["nope"]\n')
    pinned = run(["diff", str(repo / "base"), str(repo / "low"), "--as-of", "2026-11-25"])
    assert pinned.exit_code == 2
    # located at the settings file's line, not blamed on the command line (auditor review
    # 2026-12-03y, problem 5)
    assert (
        ".flowaudit.toml:2:1: require_policies names 'nope': no shipped policy has this id, and "
        "no --policies was given: name the folder that holds the policy with --policies DIR\n"
    ) in pinned.output
    assert "command line" not in pinned.output


def test_diff_settings_file_cannot_loosen_and_a_broken_one_is_an_input_error(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path / "repo", '[check]\nfail_on = "critical"\nfail_on_typo = 1\n')
    result = run(["diff", str(repo / "base"), str(repo / "head"), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert ".flowaudit.toml:3:1: unknown setting 'fail_on_typo'" in result.output


def test_diff_with_a_named_settings_file_and_its_change_to_review(tmp_path: Path) -> None:
    settings = tmp_path / "gate.toml"
    settings.write_text('[check]\nfail_on = "critical"\n', encoding="utf-8")
    same = run(["diff", str(BASE), str(BASE), "--as-of", "2026-11-25", "--config", str(settings)])
    assert same.exit_code == 0, same.output
    assert "0 changes to review" in same.output
    repo = _repo(tmp_path / "repo", '[check]\nfail_on = "critical"\n')
    outside = tmp_path / "outside"
    shutil.copytree(BASE, outside)
    changed = run(["diff", str(outside), str(repo / "head"), "--as-of", "2026-11-25"])
    assert changed.exit_code == 1
    assert "config-changed" in changed.output, changed.output


def test_an_error_in_the_base_revision_is_located_at_ref_and_repository_path(
    tmp_path: Path,
) -> None:
    require_tool("git")
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo / "map")
    good = (repo / "map" / "map.yaml").read_text(encoding="utf-8")
    (repo / "map" / "map.yaml").write_text(good.replace("purpose: support", "purpse: support", 1))

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "broken base")
    (repo / "map" / "map.yaml").write_text(good)
    result = run(["check", str(repo / "map"), "--base", "HEAD", "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if "purpse" in line]
    assert len(problems) == 1 and problems[0].startswith("HEAD:map/map.yaml:16:"), result.output
    assert "flowaudit-base-" not in result.output


def test_a_settings_file_that_is_a_folder_or_a_link_to_nothing_is_an_input_error(
    tmp_path: Path,
) -> None:
    """``.flowaudit.toml`` made a folder or a dangling link was read as no settings file:
    under --base a config-changed, but a plain check dropped its required policies and its
    fail_on without a word (attack review 2026-12-02i). It is refused, located."""
    repo = _repo(tmp_path / "repo", None)
    settings = repo / ".flowaudit.toml"
    settings.symlink_to(repo / "gone.toml")
    dangling = run(["check", str(repo / "base"), "--as-of", "2026-11-25"])
    assert dangling.exit_code == 2, dangling.output
    assert ".flowaudit.toml:1:1: cannot read: No such file or directory" in dangling.output
    settings.unlink()
    settings.mkdir()
    folder = run(["check", str(repo / "base"), "--as-of", "2026-11-25"])
    assert folder.exit_code == 2, folder.output
    assert ".flowaudit.toml:1:1: cannot read: Is a directory" in folder.output


def test_a_policy_the_settings_file_requires_is_missed_at_its_line_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Auditor review 2026-12-03y, problem 5: a policy that .flowaudit.toml requires, its
    --policies not given, was "command line: --require-policy smile-house-rules: ...", a
    flag never typed, with no word of the fix. The problem is at the settings file's
    require_policies line and says to name the policy's folder with --policies DIR; a name
    given on the command line is still the command line's."""
    repo = _repo(
        tmp_path / "repo",
        '[check]\nfail_on = "high"\nrequire_policies = ["uk-gdpr", "smile-house-rules"]\n',
    )
    (repo / "policies").mkdir()
    (repo / "policies" / "other.yaml").write_text(
        "policy: {id: other, title: Other}\nrules: []\n", encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    missing = run(["check", "base", "--as-of", "2026-11-25"])
    assert missing.exit_code == 2
    assert missing.output.splitlines() == [
        ".flowaudit.toml:3:1: require_policies names 'smile-house-rules': no shipped policy has "
        "this id, and no --policies was given: name the folder that holds the policy with "
        "--policies DIR",
        "flowaudit: 1 input problem; nothing was checked",
    ]
    elsewhere = run(["check", "base", "--as-of", "2026-11-25", "--policies", "policies"])
    assert elsewhere.exit_code == 2
    assert elsewhere.output.splitlines()[0] == (
        ".flowaudit.toml:3:1: require_policies names 'smile-house-rules': no shipped policy and "
        "no policy under --policies policies has this id: check the id under its file's "
        "policy: header, or name the folder that holds it with --policies DIR"
    )
    (repo / "plain.toml").write_text("[check]\n", encoding="utf-8")
    typed = run(
        [
            *("check", "base", "--as-of", "2026-11-25"),
            *("--require-policy", "zzz", "--config", "plain.toml"),
        ]
    )
    assert typed.exit_code == 2
    assert typed.output.splitlines()[0] == (
        "command line: --require-policy zzz: no shipped policy has this id, and no --policies "
        "was given: name the folder that holds the policy with --policies DIR"
    )
