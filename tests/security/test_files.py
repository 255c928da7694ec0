"""Every file in a map folder is read or refused (issue 11, point 1).

Attack class: a pull request hides map files, and with them their findings, from the gate:
an upper-case suffix, a subfolder, a name the loader skips, a FIFO or a symlink that hangs
the run, a symlink that reads outside the repository, a base tree git listed with quoted
names. Each test here failed on 615741d.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowaudit.model.loader import load_map, shipped_map_dir
from flowaudit.model.problems import InputError
from tests.helpers import require_tool, run

AS_OF = "2026-11-25"


def concero(tmp_path: Path, name: str = "map") -> Path:
    """A copy of the shipped Concero map (five files, 21 flows) to rearrange."""
    target = tmp_path / name
    shutil.copytree(shipped_map_dir(), target)
    return target


def cli(
    *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a child process: a hang fails the test instead of the suite."""
    return subprocess.run(
        [sys.executable, "-m", "flowaudit", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def counts(folder: Path) -> str:
    """What validate counts in a map (parties, systems, flows, agreements), files aside."""
    result = run(["validate", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output.partition(" in ")[0]


def problems(paths: list[Path]) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_map(paths)
    return [
        f"{os.path.basename(p.file)}:{p.line}:{p.column}: {p.message}"
        for p in caught.value.problems
    ]


def test_upper_case_suffix_and_subfolder_are_read(tmp_path: Path) -> None:
    original = run(["check", str(concero(tmp_path, "original")), "--as-of", AS_OF])
    moved = concero(tmp_path)
    (moved / "deep" / "er").mkdir(parents=True)
    (moved / "flows.yaml").rename(moved / "deep" / "er" / "flows.YAML")
    (moved / "systems.yaml").rename(moved / "Systems.Yml")
    result = run(["check", str(moved), "--as-of", AS_OF])
    assert result.exit_code == original.exit_code == 1
    summary = [line for line in result.output.splitlines() if " findings (" in line]
    assert summary == [line for line in original.output.splitlines() if " findings (" in line]
    assert counts(moved) == counts(shipped_map_dir())


def test_reading_order_is_sorted_by_relative_posix_path(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    (folder / "b").mkdir()
    (folder / "flows.yaml").rename(folder / "b" / "flows.yaml")
    (folder / "agreements.yaml").rename(folder / "B.JSON.yaml")
    from flowaudit.model.discovery import discover

    names = [Path(p).relative_to(folder).as_posix() for p in discover([folder])]
    assert names == [
        "B.JSON.yaml",
        "b/flows.yaml",
        "organisation.yaml",
        "systems.yaml",
        "taxonomy.yaml",
    ]


def test_a_file_renamed_out_of_the_suffixes_is_refused_unless_ignored(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    (folder / "flows.yaml").rename(folder / "flows.yaml.disabled")
    (folder / "README.md").write_text("# our map\n", encoding="utf-8")
    result = run(["validate", str(folder)])
    assert result.exit_code == 2
    # outside the working folder, shown from the folder the map was named in
    lines = [line.removeprefix(folder.name + "/") for line in result.output.splitlines()]
    assert lines[:2] == [
        "README.md:1:1: not a map file (.yaml, .yml or .json): move it out of the map folder "
        "or name it in .flowauditignore",
        "flows.yaml.disabled:1:1: not a map file (.yaml, .yml or .json): move it out of the "
        "map folder or name it in .flowauditignore",
    ]
    (folder / ".flowauditignore").write_text("*.md\n*.disabled\n", encoding="utf-8")
    accepted = run(["validate", str(folder)])
    assert accepted.exit_code == 0, accepted.output
    loaded = load_map([folder])
    assert [os.path.basename(f.path) for f in loaded.files][-1] == ".flowauditignore"
    assert [os.path.basename(path) for path in loaded.ignored] == [
        "README.md",
        "flows.yaml.disabled",
    ]


def test_a_map_file_the_ignore_file_keeps_out_is_warned_of(tmp_path: Path) -> None:
    """Attack review 2026-12-03o, problem 7: `flows.yaml` named in .flowauditignore took every
    flow out of a plain check (57 findings to 21, no critical) without a word. Each ignored
    map file, named or inside an ignored folder, is warned of; a note is not."""
    folder = concero(tmp_path)
    (folder / "README.md").write_text("# our map\n", encoding="utf-8")
    (folder / "old").mkdir()
    shutil.copy(folder / "systems.yaml", folder / "old" / "systems-2024.yaml")
    # init's JSON Schema for editors is not warned of; a map saved under a schema's name is
    # (attack review 2026-12-03p, problem 8)
    (folder / ".schema").mkdir()
    (folder / ".schema" / "map.schema.json").write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}',
        encoding="utf-8",
    )
    (folder / ".schema" / "hosting.schema.json").write_text(
        '{"flows": [{"id": "hosting-us"}]}', encoding="utf-8"
    )
    (folder / ".flowauditignore").write_text("*.md\nflows.yaml\nold/\n.schema/\n", encoding="utf-8")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    warned = [
        line.removeprefix("Warning: ").removeprefix(folder.name + "/")
        for line in result.output.splitlines()
        if "flowauditignore" in line
    ]
    assert warned == [
        f"{name}: a map file that .flowauditignore keeps out of the audit: nothing in it is "
        "checked; take it out of the ignore file if it is part of the map"
        for name in (".schema/hosting.schema.json", "flows.yaml", "old/systems-2024.yaml")
    ]


def test_hidden_map_files_are_read_and_vcs_folders_skipped(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    (folder / "flows.yaml").rename(folder / ".flows.yaml")
    (folder / ".hidden").mkdir()
    (folder / "systems.yaml").rename(folder / ".hidden" / "systems.yaml")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (folder / ".git" / "junk.yaml").write_text("not: [a, map\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    assert counts(folder) == counts(shipped_map_dir())


def test_a_folder_named_like_a_map_file_is_an_input_error(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    (folder / "x.yaml").mkdir()
    assert problems([folder]) == ["x.yaml:1:1: is a folder, but its name is a map file's"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_map_folder_is_refused_without_hanging(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    os.mkfifo(folder / "flows2.yaml")
    os.mkfifo(folder / "notes")
    result = cli("validate", str(folder), timeout=30)
    assert result.returncode == 2, result.stderr
    shown = folder.name  # outside the working folder: from the folder it was named in
    assert f"{shown}/flows2.yaml:1:1: is a FIFO, not a regular file: only files are read" in (
        result.stderr
    )
    assert f"{shown}/notes:1:1: is a FIFO, not a regular file" in result.stderr
    named = cli("validate", str(folder / "organisation.yaml"), str(folder / "notes"), timeout=30)
    assert named.returncode == 2
    assert f"{folder}/notes:1:1: is a FIFO, not a regular file" in named.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_the_open_itself_refuses_a_fifo_swapped_in_after_discovery(tmp_path: Path) -> None:
    from flowaudit.model.discovery import read_regular

    fifo = tmp_path / "late.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is a FIFO, not a regular file"):
        read_regular(str(fifo), "late.yaml", 1000)


def test_symlinks_leaving_the_folder_looping_or_to_stdin_are_refused(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("parties: []\n", encoding="utf-8")
    (folder / "stdin.yaml").symlink_to("/dev/stdin")
    (folder / "out.yaml").symlink_to(outside)
    (folder / "up.yaml").symlink_to("../outside.yaml")
    (folder / "loop-a.yaml").symlink_to("loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to("loop-a.yaml")
    (folder / "cycle").symlink_to(".")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    result = cli("validate", str(folder), timeout=30)
    assert result.returncode == 2, result.stderr
    located = sorted(
        line.removeprefix(f"{folder.name}/")
        for line in result.stderr.splitlines()
        if ":1:1: " in line
    )
    assert located == [
        "cycle:1:1: symlink loop: this folder is already being read",
        "gone.yaml:1:1: broken symlink: its target does not exist",
        "loop-a.yaml:1:1: symlink loop: the link never reaches a file",
        "loop-b.yaml:1:1: symlink loop: the link never reaches a file",
        "out.yaml:1:1: symlink leads outside the map folder: not read",
        "stdin.yaml:1:1: symlink leads outside the map folder: not read",
        "up.yaml:1:1: symlink leads outside the map folder: not read",
    ]


def test_a_symlink_inside_the_folder_is_read_like_its_target(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    (folder / "parts").mkdir()
    (folder / "flows.yaml").rename(folder / "parts" / "flows.yaml")
    (folder / ".flowauditignore").write_text("parts/\n", encoding="utf-8")
    (folder / "flows.yaml").symlink_to("parts/flows.yaml")
    assert counts(folder) == counts(shipped_map_dir())


# --- check --base: the base tree is read by the same rules ---------------------------------


def git_repo(tmp_path: Path) -> tuple[Path, Path]:
    require_tool("git")
    repo = tmp_path / "repo"
    map_dir = concero(repo)
    git(repo, "init", "-q")
    return repo, map_dir


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_base_with_a_non_ascii_file_name_is_read_whole(tmp_path: Path) -> None:
    repo, map_dir = git_repo(tmp_path)
    (map_dir / "flows.yaml").rename(map_dir / "flüsse.yaml")
    commit(repo, "base")
    result = run(["check", str(map_dir), "--base", "HEAD", "--as-of", AS_OF])
    assert (
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, "
        "0 waived, 0 rule changed); 0 changes to review" in result.output
    )
    assert result.exit_code == 0


def test_base_with_upper_case_and_subfolder_files_is_read_whole(tmp_path: Path) -> None:
    repo, map_dir = git_repo(tmp_path)
    (map_dir / "sub").mkdir()
    (map_dir / "flows.yaml").rename(map_dir / "sub" / "Flows.YAML")
    commit(repo, "base")
    result = run(["check", str(map_dir), "--base", "HEAD", "--as-of", AS_OF])
    assert (
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, "
        "0 waived, 0 rule changed); 0 changes to review" in result.output
    )
    assert result.exit_code == 0
    assert summary(result.output) == summary(
        run(["check", str(shipped_map_dir()), "--as-of", AS_OF]).output
    )


def summary(output: str) -> list[str]:
    """The findings count line of a check's text output."""
    return [line for line in output.splitlines() if " findings (" in line][:1]


def test_renaming_a_file_out_of_the_map_fails_the_gate_naming_it(tmp_path: Path) -> None:
    repo, map_dir = git_repo(tmp_path)
    commit(repo, "base")
    git(repo, "mv", "map/flows.yaml", "map/flows.yaml.off")
    result = run(["check", str(map_dir), "--base", "HEAD", "--as-of", AS_OF])
    assert result.exit_code == 2
    assert "flows.yaml.off:1:1: not a map file" in result.output


def test_base_committed_symlinks_are_handled_as_in_the_working_tree(tmp_path: Path) -> None:
    repo, map_dir = git_repo(tmp_path)
    (map_dir / "parts").mkdir()
    (map_dir / "flows.yaml").rename(map_dir / "parts" / "flows.yaml")
    (map_dir / ".flowauditignore").write_text("parts/\n", encoding="utf-8")
    (map_dir / "flows.yaml").symlink_to("parts/flows.yaml")
    commit(repo, "base")
    result = run(["check", str(map_dir), "--base", "HEAD", "--as-of", AS_OF])
    assert (
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, "
        "0 waived, 0 rule changed); 0 changes to review" in result.output
    )
    assert result.exit_code == 0
    # a committed link out of the map folder is refused in the base as in the working tree
    (repo / "secret.yaml").write_text("parties: []\n", encoding="utf-8")
    (map_dir / "leak.yaml").symlink_to("../secret.yaml")
    commit(repo, "leak")
    (map_dir / "leak.yaml").unlink()
    leaked = run(["check", str(map_dir), "--base", "HEAD", "--as-of", AS_OF])
    assert leaked.exit_code == 2
    assert "leak.yaml:1:1: symlink leads outside the map folder: not read" in leaked.output


def test_ids_that_differ_only_in_letter_case_are_an_input_error(tmp_path: Path) -> None:
    """`Pupils` declared beside `pupils` would let flows name a subject no rule on `pupils`
    sees, while every name still reads "Pupils"."""
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    taxonomy = folder / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(
        text.replace("subjects:\n", "subjects:\n  - {id: Pupils, name: Pupils}\n", 1),
        encoding="utf-8",
    )
    result = run(["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "id 'pupils' differs from 'Pupils' in subjects only in letter case" in result.output


def test_an_ignored_folder_too_big_to_look_through_is_warned_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack review 2026-12-03q, problem 5: past the entries looked through in an ignored
    folder, a map file hid behind fillers without a word; the folder is now said."""
    from flowaudit.model import discovery

    monkeypatch.setattr(discovery, "MAX_IGNORED_LOOK", 3)
    folder = concero(tmp_path)
    (folder / "old").mkdir()
    for n in range(4):
        (folder / "old" / f"filler-{n}.txt").write_text("x", encoding="utf-8")
    (folder / ".flowauditignore").write_text("old/\n", encoding="utf-8")
    loaded = load_map([folder])
    assert [os.path.basename(p) for p in loaded.ignored_unread] == ["old"]
