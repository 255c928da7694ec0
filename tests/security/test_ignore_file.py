"""``.flowauditignore`` matched part by part (model/ignorefile.py): attack review 2026-12-03u,
problem 1 (a 50-byte pattern of ``**`` parts backtracked exponentially on a deep folder) and
problem 4 (a bad line ended every command with exit 3)."""

from __future__ import annotations

import os
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
    (
        "[a-\\]",
        4,
        "pattern '[a-\\]' has a backslash inside a [...] class, which git and the matcher read "
        "differently: list the characters without it",
    ),
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


def test_a_pattern_longer_than_a_path_part_is_refused_at_its_column() -> None:
    """Attack review 2026-12-03v, problem 2: two 10,000-character '?' lines each compiled
    alone; the error quotes only the pattern's head, with its length."""
    rules, refused = parse("# two long lines\n" + ("?" * 10_000 + "\n") * 2)
    assert rules is None
    why = f"pattern '{'?' * 60}...' (10,000 characters) is longer than 256 characters"
    assert refused == [(2, 257, why), (3, 257, why)]


def test_patterns_too_many_for_one_matcher_name_the_line_that_overflows() -> None:
    """Problem 2, the set: RE2 compiled each line but not all of them together ('failed to
    compile Set', exit 3); now the line at which the set first overflows is named."""
    lines = ["# big"] + ["?" * 250 + str(n) for n in range(40)]
    rules, refused = parse("\n".join(lines) + "\n")
    assert rules is None
    assert _rules("\n".join(lines[1:33])).ignores("x") is False  # the 32 before it fit
    assert refused == [
        (
            34,
            1,
            f"pattern '{'?' * 60}...' (252 characters) and those before it are more than one "
            "matcher can hold together (RE2's 8 MiB budget); use fewer or simpler patterns",
        )
    ]


def test_a_big_ignore_file_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    """Problem 2 as the reviewer ran it: exit 2 with the file's line, not exit 3."""
    folder = tmp_path / "m"
    assert run(["init", str(folder), "--example", "shop"]).exit_code == 0
    (folder / ".flowauditignore").write_text(("?" * 10_000 + "\n") * 2, encoding="utf-8")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "m/.flowauditignore:1:257: pattern '???" in result.stderr
    assert "internal error" not in result.output


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of raw bytes needs Linux")
def test_a_file_name_that_is_not_utf8_is_matched_not_a_crash(tmp_path: Path) -> None:
    """Attack review 2026-12-03v, problem 3: a file named with a raw 0xFF byte beside an
    ignore file ended the run with UnicodeEncodeError (exit 3) inside RE2's match. Such a
    byte reads as U+FFFD, which only a wildcard matches."""
    assert _rules("x*.txt\n").ignores("x\udcff.txt") is True
    assert _rules("x?.txt\n").ignores("x\udcff.txt") is True
    assert _rules("notes/\n").ignores("x\udcff.txt") is False
    folder = tmp_path / "m"
    assert run(["init", str(folder), "--example", "shop"]).exit_code == 0
    (folder / ".flowauditignore").write_text(".schema/\nnotes/\n", encoding="utf-8")
    with open(os.fsencode(folder) + b"/x\xff.txt", "wb"):
        pass
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "x\\udcff.txt:1:1: not a map file (.yaml, .yml or .json)" in result.stderr
    (folder / ".flowauditignore").write_text(".schema/\nx*.txt\n", encoding="utf-8")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize(
    ("pattern", "column"),
    [("[n\\-p]", 3), ("[\\]]", 2), ("[\\d]", 2), ("x/[]\\]", 5), ("[!]a\\]", 5)],
)
def test_a_backslash_inside_a_class_is_refused(pattern: str, column: int) -> None:
    """Attack review 2026-12-03v, problem 5: pathspec reads ``[n\\-p]`` as n, - or p and
    ``[\\d]`` as d where git reads them otherwise, so a reviewer reading the file as git
    does would be wrong about what it keeps out: such a class is refused at the backslash."""
    rules, refused = parse(pattern + "\n")
    assert rules is None
    assert refused == [
        (
            1,
            column,
            f"pattern '{pattern}' has a backslash inside a [...] class, which git and the "
            "matcher read differently: list the characters without it",
        )
    ]


@pytest.mark.parametrize("pattern", ["\\[a\\]", "a\\[b", "[a-z]\\*", "[!]]x", "[]a]"])
def test_a_backslash_outside_a_class_still_escapes(pattern: str) -> None:
    """An escaped bracket or star outside a class is git's own escape, read the same way."""
    assert parse(pattern + "\n")[1] == []
