"""``.flowauditignore`` matched part by part (model/ignorefile.py): attack review 2026-12-03u,
problem 1 (a 50-byte pattern of ``**`` parts backtracked exponentially on a deep folder) and
problem 4 (a bad line ended every command with exit 3)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowaudit.model import ignorefile
from flowaudit.model.ignorefile import parse
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool, run

#: The reviewer's pattern: nine ``a`` parts between ``**`` (k=9), 50 bytes.
DEEP = "**/" + "a/**/" * 9 + "zz"


def _rules(text: str) -> ignorefile.IgnoreRules:
    rules, refused = parse(text)
    assert refused == [] and rules is not None
    return rules


def test_patterns_are_matched_on_re2_linear_in_the_path() -> None:
    """Attack review 2026-12-03u, problem 1: against ``a/`` x 30 ``/x.yaml`` pathspec's
    backtracking ``re`` backend tried about C(30, 9) splits (14.6 s for one pattern).
    pathspec's ``re2`` backend runs in time linear in the path: the reviewer's three
    patterns against a path a hundred folders deep (C(100, 9) splits for ``re``)."""
    rules = _rules(f"{DEEP}\n{DEEP[:-1]}y\n{DEEP[:-1]}x\n")
    assert ignorefile.BACKEND == "re2"  # pathspec refuses the backend without google-re2
    names = ["a"] * 100 + ["x.yaml"]
    for depth in range(1, len(names) + 1):
        relative = "/".join(names[:depth]) + ("/" if depth < len(names) else "")
        assert rules.ignores(relative) is False
    assert rules.ignores("a/" * 100 + "zz") is True


@pytest.mark.parametrize(
    ("pattern", "path", "ignored"),
    [
        (DEEP, "a/" * 30 + "zz", True),
        (DEEP, "a/" * 8 + "zz", False),  # one 'a' short
        ("**/a/**/b", "x/a/y/z/b", True),
        ("a/**/b", "a/b", True),  # '**' between: zero or more folders
        ("a/**", "a/b/c", True),
        ("a/**/", "a/b/", True),
        ("/a", "b/a", False),  # anchored
        ("a", "b/a", True),  # no slash: at any depth
        ("b/", "b", False),
        ("b/", "c/b/", True),
        ("[!a]*.yaml", "b.yaml", True),
        ("[!a]*.yaml", "a.yaml", False),
        ("x[]]y", "x]y", True),
        ("\\#x", "#x", True),
        ("a\\ ", "a ", True),
        ("a*b*c", "a" * 200 + "c", False),
    ],
)
def test_patterns_match_as_git_matches_them(pattern: str, path: str, ignored: bool) -> None:
    """The gitignore semantics (checked against ``git check-ignore``). Where pathspec reads
    a pattern otherwise than git, it is pathspec's reading: ``a/**`` also keeps out the
    folder ``a`` itself (its contents are kept out either way), ``a/**/`` a file under
    ``a``, and a POSIX class such as ``[[:digit:]]`` is no class (see docs/map-format.md)."""
    assert _rules(pattern + "\n").ignores(path) is ignored


def test_the_last_matching_pattern_decides() -> None:
    rules = _rules("*.md\n!keep.md\n")
    assert (rules.ignores("notes.md"), rules.ignores("keep.md")) == (True, False)


def test_the_reviewers_map_validates_at_once(tmp_path: Path) -> None:
    """Problem 1, the reviewer's map: the shipped map, a 30-deep folder and three lines of
    the pattern (39 s CPU before). Run as a whole process, so nothing is warm."""
    folder = tmp_path / "ig"
    shutil.copytree(shipped_map_dir(), folder)
    deep = folder.joinpath(*["a"] * 30)
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("flows: []\n", encoding="utf-8")
    (folder / ".flowauditignore").write_text(
        f"{DEEP}\n{DEEP[:-1]}y\n{DEEP[:-1]}x\n", encoding="utf-8"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "flowaudit", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "valid map of 14 parties, 11 systems, 21 flows, 9 agreements in 6 files" in (
        completed.stdout
    )


BAD_LINES = (
    ("[z-a]", 1, "pattern '[z-a]' is not one git reads: bad character range z-a"),
    ("a/[9-0]/", 1, "pattern 'a/[9-0]/' is not one git reads: bad character range 9-0"),
    ("[%-!]", 1, "pattern '[%-!]' is not one git reads: bad character range %-!"),
    ("[a-\\]", 1, "pattern '[a-\\]' is not one git reads: bad character range a-\\\\"),
    ("\\", 1, "pattern '\\' is not one git reads: Invalid git pattern: '\\\\'"),
    ("a\\", 1, "pattern 'a\\' is not one git reads: Invalid git pattern: 'a\\\\'"),
    ("!", 1, "pattern '!' is not one git reads: Invalid git pattern: '!'"),
    (
        "[[:word:]]",
        1,
        "pattern '[[:word:]]' is not one git reads: no matcher can be built from it (a '[' "
        "inside a class?)",
    ),
)


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["check", "--as-of", "2026-11-25"],
        ["report", "--as-of", "2026-11-25", "--out", "{tmp}/rep"],
        ["ropa", "--as-of", "2026-11-25", "--out", "{tmp}/ropa.md"],
        ["diagram", "--as-of", "2026-11-25", "--format", "dot", "--out", "{tmp}/d.dot"],
        ["trace", "customer", "{map}"],
    ],
)
def test_a_bad_ignore_line_is_a_located_error_for_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    """Problem 4: each of the reviewer's lines (a backwards range, a trailing backslash, a
    lone '!') ended every command with 'internal error' and exit 3; now each is named at its
    line and column, all at once, exit 2."""
    folder = tmp_path / "m"
    assert run(["init", str(folder), "--example", "shop"]).exit_code == 0
    lines = [".schema/", *(line for line, _, _ in BAD_LINES)]
    (folder / ".flowauditignore").write_text("\n".join(lines) + "\n", encoding="utf-8")
    given = [a.replace("{tmp}", str(tmp_path)) for a in command[1:]]
    args = [command[0], *([] if "{map}" in given else [str(folder)])]
    args += [str(folder) if a == "{map}" else a for a in given]
    result = run(args)
    assert result.exit_code == 2, result.output
    said = [line for line in result.stderr.splitlines() if ".flowauditignore:" in line]
    assert said == [
        f"m/.flowauditignore:{number}:{column}: {why}"
        for number, (_, column, why) in enumerate(BAD_LINES, start=2)
    ]
    assert "internal error" not in result.output


def test_a_bad_ignore_line_under_base_is_a_located_error(tmp_path: Path) -> None:
    """Problem 4, the PR gate: HEAD's ignore file with '[z-a]' under --base (exit 3 before)."""
    require_tool("git")
    root = tmp_path / "repo"
    folder = root / "data-map"
    assert run(["init", str(folder), "--example", "shop"]).exit_code == 0
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=root, check=True)
    (folder / ".flowauditignore").write_text(".schema/\n[z-a]\n", encoding="utf-8")
    result = run(["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 2, result.output
    assert (
        "data-map/.flowauditignore:2:1: pattern '[z-a]' is not one git reads: bad character "
        "range z-a" in result.stderr
    )
