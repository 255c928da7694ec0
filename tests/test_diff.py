"""Baseline: a change fails only on the findings it adds."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, require_tool, run, unpinned

BASE = FIXTURES / "diff" / "base"
HEAD = FIXTURES / "diff" / "head"


def test_diff_reports_exactly_the_added_flow_and_its_new_finding() -> None:
    result = run(["diff", str(BASE), str(HEAD), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.output
    lines = unpinned(result.output).splitlines()
    assert lines[0] == "+ flows/new-us-flow"
    assert [line for line in lines if line.startswith(("NEW", "FIXED"))] == [
        f"NEW   {HEAD.relative_to(Path.cwd())}/map.yaml:17:5 CRITICAL GDPR-TRANSFER "
        "flows/new-us-flow: transfer from UK to US (US Host) has no adequacy on 2026-11-25 and "
        "no transfer mechanism; US is adequate only for importers listed under uk_extension",
    ]
    # the new flow says its data is encrypted on the way: a claim the map cannot back
    assert [line for line in lines if line.startswith("REVIEW")] == [
        "REVIEW (NOT ACCEPTED) claim-changed:flows/new-us-flow: flows/new-us-flow now claims "
        "encrypted_in_transit true (was unsaid): it can clear findings and the map cannot show "
        "it is true"
    ]
    assert lines[-1] == (
        "FAIL: 1 new finding (1 at or above low), 0 gone (0 fixed, 0 removed, 0 waived, "
        "0 rule changed); 1 change to review (0 accepted); map: 1 added, 0 removed, 0 changed."
    )


def test_unchanged_map_with_old_debt_passes_under_the_baseline() -> None:
    result = run(["diff", str(BASE), str(BASE), "--as-of", "2026-11-25"])
    assert result.exit_code == 0
    assert result.output.startswith("no change to the map\n")
    assert "PASS: 0 new findings" in result.output
    # the same map checked on its own still fails on its old debt
    assert run(["check", str(BASE), "--as-of", "2026-11-25"]).exit_code == 1


def test_fixed_findings_and_changed_elements_and_json() -> None:
    result = run(["diff", str(HEAD), str(BASE), "--as-of", "2026-11-25", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["map"]["removed"] == [{"collection": "flows", "id": "new-us-flow", "fields": []}]
    assert data["fixed"] == []  # the element is gone: removed, not fixed
    assert [(f["element"]["id"], f["status"]) for f in data["gone"]] == [("new-us-flow", "removed")]
    assert data["new"] == [] and data["summary"]["verdict"] == "pass"


def test_check_base_reads_the_map_from_git(tmp_path: Path) -> None:
    require_tool("git")
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo / "map")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "0")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    map_dir = str(repo / "map")
    unchanged = run(["check", map_dir, "--base", "HEAD", "--as-of", "2026-11-25"])
    assert unchanged.exit_code == 0, unchanged.output
    assert (
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, "
        "0 waived, 0 rule changed); 0 changes to review (0 accepted)." in unchanged.output
    )
    shutil.copy(HEAD / "map.yaml", repo / "map" / "map.yaml")
    changed = run(["check", map_dir, "--base", "HEAD", "--as-of", "2026-11-25"])
    assert changed.exit_code == 1
    assert "Against HEAD: 1 new finding (1 at or above low), 0 gone" in changed.output
    bad = run(["check", map_dir, "--base", "no-such-ref", "--as-of", "2026-11-25"])
    assert bad.exit_code == 2
    assert "(git):1:1: git ls-tree" in bad.output


@pytest.mark.parametrize("ref", ["--output=x", "-p"])
def test_option_like_refs_are_refused(ref: str, tmp_path: Path) -> None:
    result = run(["check", str(BASE), f"--base={ref}"])
    assert result.exit_code == 2
    assert "is not a git revision" in result.output
