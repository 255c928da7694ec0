"""Read a map as it was at a git revision, for ``flowaudit check --base REF``.

git is run with an argument list (never a shell) and literal pathspecs. The tree under each
map path is listed NUL-separated (``ls-tree -z``: any file name, non-ASCII included, comes
through unquoted) and written to a temporary folder under the same relative names, every
file and folder as it is, symlinks as symlinks. The base is then read by the same discovery
as a working tree (model/discovery.py): every map file in any letter case and subfolder, the
same ignore file, the same refusals of symlinks that leave the map folder.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from flowaudit.model.problems import InputError, Problem

#: git's file modes in a tree besides regular files: a symlink, a submodule (a commit).
_SYMLINK = "120000"
_SUBMODULE = "160000"


def _git(args: Sequence[str], cwd: str, stdin: bytes | None = None) -> bytes:
    environment = {**os.environ, "GIT_LITERAL_PATHSPECS": "1"}
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            timeout=60,
            env=environment,
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


def _tree(ref: str, relative: str, top: str) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every entry under ``relative`` at ``ref``."""
    listed = _git(["ls-tree", "-r", "-z", ref, *(["--", relative] if relative else [])], top)
    entries: list[tuple[str, str, str]] = []
    prefix = "" if relative in ("", ".") else relative.rstrip("/") + "/"
    for record in listed.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, _kind, object_id = meta.decode("ascii").split(" ")
        name = os.fsdecode(raw_name)
        if prefix and not (name == relative or name.startswith(prefix)):
            continue
        entries.append((mode, object_id, name))
    return entries


def _blobs(object_ids: list[str], top: str) -> dict[str, bytes]:
    """The contents of blobs, read through one ``git cat-file --batch``."""
    if not object_ids:
        return {}
    unique = sorted(set(object_ids))
    output = _git(["cat-file", "--batch"], top, stdin="".join(f"{o}\n" for o in unique).encode())
    contents: dict[str, bytes] = {}
    offset = 0
    for object_id in unique:
        end = output.index(b"\n", offset)
        header = output[offset:end].split(b" ")
        if len(header) != 3:  # "<id> missing": a partial clone without the object
            raise InputError([Problem("(git)", 1, 1, f"git object {object_id} is not available")])
        size = int(header[2])
        contents[object_id] = output[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
    return contents


def _target(destination: str, name: str) -> str:
    """Where a tree entry is written, refusing names that would leave ``destination``."""
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise InputError([Problem("(git)", 1, 1, f"unsafe path in the git tree: {name!r}")])
    target = os.path.join(destination, *parts)
    parent = os.path.realpath(os.path.dirname(target))
    if not (parent + os.sep).startswith(os.path.realpath(destination) + os.sep):
        raise InputError([Problem("(git)", 1, 1, f"unsafe path in the git tree: {name!r}")])
    return target


def export_revision(
    ref: str, paths: Sequence[str], destination: str, must_exist: bool = True
) -> list[str]:
    """Write the trees under ``paths`` as they were at ``ref``; return the paths to read.

    Each returned path stands for one of ``paths`` (a folder or a file) in ``destination``,
    to be discovered exactly as the working tree is. With ``must_exist`` false, finding
    nothing at ``ref`` is not an error (a policy folder the change adds had no rules at the
    base)."""
    if ref.startswith("-"):
        raise InputError([Problem("(git)", 1, 1, f"'{ref}' is not a git revision")])
    exported: list[str] = []
    for path in paths:
        absolute = os.path.abspath(path)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        top = repository_top(folder)
        relative = os.path.relpath(os.path.realpath(absolute), os.path.realpath(top))
        relative = "" if relative == "." else relative.replace(os.sep, "/")
        entries = _tree(ref, relative, top)
        if not entries:
            continue
        contents = _blobs([o for mode, o, _ in entries if mode != _SUBMODULE], top)
        for mode, object_id, name in entries:
            target = _target(destination, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if mode == _SYMLINK:
                try:
                    os.symlink(os.fsdecode(contents[object_id]), target)
                except (OSError, ValueError):  # a NUL or an over-long target: no link
                    raise InputError(
                        [Problem(name, 1, 1, f"symlink at {ref} cannot be recreated")]
                    ) from None
            elif mode == _SUBMODULE:
                os.makedirs(target, exist_ok=True)  # an uninitialised submodule: empty
            else:
                with open(target, "wb") as handle:
                    handle.write(contents[object_id])
        exported.append(
            os.path.join(destination, *relative.split("/")) if relative else destination
        )
    if not exported and must_exist:
        raise InputError([Problem("(git)", 1, 1, f"no map file under {', '.join(paths)} at {ref}")])
    return exported


def repository_top(folder: str) -> str:
    """The root of the git working tree holding ``folder``. A folder inside a submodule is
    refused: git would read its base from the submodule's own history (``HEAD~1``, or the
    submodule's ``origin/main``), which the pull request that made the folder a submodule
    controls. A map turned into a submodule whose history ends with the same map twice made
    a CRITICAL transfer "existing", PASS with exit 0 (attack review s17)."""
    lines = (
        _git(["rev-parse", "--show-superproject-working-tree", "--show-toplevel"], folder)
        .decode()
        .splitlines()
    )
    if len(lines) > 1:
        raise InputError(
            [
                Problem(
                    "(git)",
                    1,
                    1,
                    f"{lines[1].strip()} is a git submodule of {lines[0].strip()}: a map or "
                    "policy folder in a submodule is not read, since its base would come from "
                    "the submodule's own history, which the change controls; keep it in the "
                    "repository itself",
                )
            ]
        )
    return lines[-1].strip()


def symlink_below_top(path: str) -> str | None:
    """The first part of ``path`` (itself included) below its repository's top that is a
    symbolic link, or None. The gate reads each side by the argument's path in git: a map or
    policy folder that HEAD turns into a link to another folder would otherwise be read
    through the link on both sides, and the map it replaced would vanish unseen."""
    top = git_toplevel(path)
    if top is None:
        return None
    real_top = os.path.realpath(top)
    absolute = os.path.abspath(path)
    parts: list[str] = []
    cursor = absolute
    while True:
        if os.path.realpath(cursor) == real_top or os.path.dirname(cursor) == cursor:
            break
        parts.append(cursor)
        cursor = os.path.dirname(cursor)
    for part in reversed(parts):  # from the top down: the link nearest the top is named
        if os.path.islink(part):
            return part
    return None


def git_toplevel(path: str) -> str | None:
    """The root of the git working tree holding ``path``; None outside one (or without git)."""
    absolute = os.path.abspath(path)
    folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    if not os.path.isdir(folder):
        return None
    try:
        lines = _git(["rev-parse", "--show-toplevel"], folder).decode()
    except InputError:
        return None
    return repository_top(folder) if lines else None


def in_git_worktree(path: str) -> bool:
    """Whether ``path`` lies inside a git working tree (so its base version can be read)."""
    return git_toplevel(path) is not None


def read_at_revision(ref: str, path: str) -> bytes | None:
    """The content of one file as it was at ``ref``; None when it did not exist there."""
    if ref.startswith("-"):
        raise InputError([Problem("(git)", 1, 1, f"'{ref}' is not a git revision")])
    absolute = os.path.abspath(path)
    top = repository_top(os.path.dirname(absolute))
    relative = os.path.relpath(absolute, top)
    listed = _git(["ls-tree", "-z", "--name-only", ref, "--", relative], top)
    if relative.encode() not in listed.split(b"\0"):
        return None
    return _git(["show", f"{ref}:{relative}"], top)


def changed_since(ref: str, path: str) -> bool:
    """Whether anything under ``path`` (a folder in a git working tree) differs from ``ref``:
    a tracked file changed, added or deleted, or an untracked file there. Any doubt (git
    fails) is a change."""
    if ref.startswith("-"):
        raise InputError([Problem("(git)", 1, 1, f"'{ref}' is not a git revision")])
    folder = os.path.abspath(path)
    environment = {**os.environ, "GIT_LITERAL_PATHSPECS": "1"}
    try:
        diff = subprocess.run(
            ["git", "diff", "--quiet", ref, "--", "."],
            cwd=folder,
            capture_output=True,
            check=False,
            timeout=60,
            env=environment,
        )
        if diff.returncode != 0:
            return True
        untracked = subprocess.run(
            ["git", "ls-files", "-z", "--others", "--", "."],
            cwd=folder,
            capture_output=True,
            check=False,
            timeout=60,
            env=environment,
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return untracked.returncode != 0 or bool(untracked.stdout)
