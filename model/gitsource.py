"""Read a map as it was at a git revision, for ``flowaudit check --base REF``.

git is run with an argument list (never a shell); the files are written to a temporary
folder under the same relative names, so that findings in both versions name the same files.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from flowaudit.model.loader import MAP_SUFFIXES
from flowaudit.model.problems import InputError, Problem


def _git(args: Sequence[str], cwd: str) -> bytes:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise InputError([Problem("(git)", 1, 1, "git is not installed")]) from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            [
                Problem(
                    "(git)", 1, 1, f"git {' '.join(args)}: {message[-1] if message else 'failed'}"
                )
            ]
        )
    return completed.stdout


def export_revision(
    ref: str, paths: Sequence[str], destination: str, must_exist: bool = True
) -> list[str]:
    """Write the map files under ``paths`` as they were at ``ref``; return their new paths.

    With ``must_exist`` false, finding no file at ``ref`` is not an error (a policy folder
    the change adds had no rules at the base)."""
    if ref.startswith("-"):
        raise InputError([Problem("(git)", 1, 1, f"'{ref}' is not a git revision")])
    exported: list[str] = []
    for path in paths:
        absolute = os.path.abspath(path)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        top = _git(["rev-parse", "--show-toplevel"], folder).decode().strip()
        relative = os.path.relpath(absolute, top)
        listed = _git(["ls-tree", "-r", "--name-only", ref, "--", relative], top)
        names = [
            name for name in listed.decode("utf-8").splitlines() if name.endswith(MAP_SUFFIXES)
        ]
        if os.path.isdir(absolute):
            prefix = relative.rstrip("/") + "/"
            names = [n for n in names if "/" not in n.removeprefix(prefix)]
        for name in names:
            content = _git(["show", f"{ref}:{name}"], top)
            target = os.path.join(destination, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(content)
            exported.append(target)
    if not exported and must_exist:
        raise InputError([Problem("(git)", 1, 1, f"no map file under {', '.join(paths)} at {ref}")])
    return exported


def git_toplevel(path: str) -> str | None:
    """The root of the git working tree holding ``path``; None outside one (or without git)."""
    absolute = os.path.abspath(path)
    folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    if not os.path.isdir(folder):
        return None
    try:
        return _git(["rev-parse", "--show-toplevel"], folder).decode().strip()
    except InputError:
        return None


def in_git_worktree(path: str) -> bool:
    """Whether ``path`` lies inside a git working tree (so its base version can be read)."""
    return git_toplevel(path) is not None


def read_at_revision(ref: str, path: str) -> bytes | None:
    """The content of one file as it was at ``ref``; None when it did not exist there."""
    if ref.startswith("-"):
        raise InputError([Problem("(git)", 1, 1, f"'{ref}' is not a git revision")])
    absolute = os.path.abspath(path)
    top = _git(["rev-parse", "--show-toplevel"], os.path.dirname(absolute)).decode().strip()
    relative = os.path.relpath(absolute, top)
    listed = _git(["ls-tree", "-z", "--name-only", ref, "--", relative], top)
    if relative.encode() not in listed.split(b"\0"):
        return None
    return _git(["show", f"{ref}:{relative}"], top)
