"""The CI gate against a baseline: each side audited by its own rules.

The base revision is audited with the map, the waivers, the organisation's ``policies:``
selection and the ``--policies`` files *as they were at the base* (read from git when they
live in the repository), so a pull request that edits a rule, an override or a waiver shows
up as a change to review instead of as findings "fixed".
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.baseline import Baseline, compare
from flowaudit.checks.result import AuditResult, ReviewChange
from flowaudit.config import (
    DEFAULT_NAME,
    GateConfig,
    config_change,
    parse_config,
)
from flowaudit.model.discovery import discover_all, display_path
from flowaudit.model.gitsource import (
    export_revision,
    git_toplevel,
    in_git_worktree,
    read_at_revision,
    symlink_below_top,
)
from flowaudit.model.loader import InputFile, Location, shipped_map_dir
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.yamlsource import Limits
from flowaudit.reports.output import sigterm_unwinds


def base_policy_paths(ref: str, policy_paths: Sequence[str], destination: str) -> list[str]:
    """The ``--policies`` files as they were at ``ref``: read from git when inside a
    repository (absent there: no such rules at the base); used as given otherwise."""
    found: list[str] = []
    for index, path in enumerate(policy_paths):
        if not in_git_worktree(path):
            found.append(path)
            continue
        folder = os.path.join(destination, f"policies-{index}")
        found.extend(export_revision(ref, [path], folder, must_exist=False))
    return found


def base_config(ref: str, head: GateConfig, path: str) -> GateConfig:
    """The settings file as it was at ``ref`` (none there: empty settings). Outside a
    repository the file is not the change's to edit, so it is the same on both sides."""
    if not in_git_worktree(path):
        return head
    raw = read_at_revision(ref, path)
    if raw is None:
        return GateConfig(path=None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem(f"{path}@{ref}", 1, 1, "not UTF-8")]) from None
    return parse_config(text, path)


def against_base(
    ref: str,
    paths: Sequence[str],
    head: AuditResult,
    policy_paths: Sequence[str],
    limits: Limits,
    required: Sequence[str] = (),
    accepted: Iterable[str] | bool = (),
    config: GateConfig | None = None,
    config_path: str = DEFAULT_NAME,
) -> Baseline:
    """Audit the map at git revision ``ref`` by its own rules (its map, policy files and
    settings file) and compare HEAD with it. ``required`` are the command line's required
    policies; each side adds its own settings file's."""
    refuse_links([*(paths or ()), *policy_paths])
    head_config = config or GateConfig()
    old_config = base_config(ref, head_config, config_path)
    # SIGTERM unwinds, so the base's temporary folder goes too
    with sigterm_unwinds(), tempfile.TemporaryDirectory(prefix="flowaudit-base-") as folder:
        files = export_revision(
            ref, list(paths) or [str(shipped_map_dir())], os.path.join(folder, "map")
        )
        policies = base_policy_paths(ref, policy_paths, folder)
        names = list(dict.fromkeys([*required, *old_config.require_policies]))
        try:
            # absolute paths on the base side: at_revision and _by_path map them to REF:path
            base = audit(
                AuditRequest(files, head.as_of, policies, limits, names, from_arguments=False)
            )
        except InputError as error:
            raise at_revision(error, folder, ref) from None
        # HEAD's files are shown from their arguments' folders: where each one really is
        found = discover_all(list(paths) or [str(shipped_map_dir())])
        real = {shown: path for path, shown in found.display.items()}
        gone_files = map_file_changes(
            ref, _by_path(base.loaded.files, os.path.join(folder, "map")), head, real
        )
        change = config_change(old_config, head_config)
        extra = [*gone_files, *(() if change is None else (change,))]
        baseline = compare(base, head, accepted, extra)
        # the base's findings stand at the temporary copy: name them at REF:path; most severe
        # first, as every format lists them
        located = (
            replace(
                g, finding=replace(g.finding, location=_at_ref(g.finding.location, folder, ref))
            )
            for g in baseline.gone
        )
        gone = tuple(sorted(located, key=lambda g: -g.finding.severity.rank))
    return replace(baseline, gone=gone)


def _at_ref(location: Location | None, folder: str, ref: str) -> Location | None:
    """A location in the base's temporary copy as ``REF:path`` in the repository."""
    if location is None:
        return None
    found = _in_repository(location.file, folder, ref)
    return location if found is None else Location(found[1], location.line, location.column)


def refuse_links(paths: Iterable[str]) -> None:
    """Refuse, before either side is read, a map or ``--policies`` argument that is or passes
    through a symbolic link inside its repository (see ``symlink_below_top``)."""
    problems = []
    for path in paths:
        link = symlink_below_top(path)
        if link is not None:
            problems.append(
                Problem(
                    display_path(link),
                    1,
                    1,
                    f"a symbolic link (to {os.readlink(link)}): --base compares the map and "
                    "policies by their own paths in git, so name the folder or file itself",
                )
            )
    if problems:
        raise InputError(problems)


def at_revision(error: InputError, folder: str, ref: str) -> InputError:
    """The problems of a map or policy file exported from ``ref`` into ``folder``, located
    as ``REF:path`` in the repository, never at the temporary copy a reader cannot open."""
    problems: list[Problem] = []
    for problem in error.problems:
        found = _in_repository(problem.file, folder, ref)
        if found is None:
            problems.append(problem)
        else:
            real, shown = found
            message = problem.message.replace(real, shown)
            problems.append(replace(problem, file=shown, message=message))
    return InputError(problems)


def _in_repository(file: str, folder: str, ref: str) -> tuple[str, str] | None:
    """A file of the base's temporary copy in ``folder``: its real path there and its name
    in the repository, ``REF:path`` (None: not under the folder)."""
    top = os.path.realpath(folder)
    # the folder resolved, never the file: a symlink names itself, not where it leads
    absolute = os.path.abspath(file)
    real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    if not (real + os.sep).startswith(top + os.sep) or real == top:
        return None
    # under the folder: map/<repo path> or policies-N/<repo path>
    parts = os.path.relpath(real, top).split(os.sep)
    return real, f"{ref}:{'/'.join(parts[1:]) or parts[0]}"


def _by_path(
    files: Iterable[InputFile], root: str | None, real: Mapping[str, str] | None = None
) -> dict[str, InputFile]:
    """Files by their path from ``root`` (the repository's top), POSIX-style; files outside
    it (the shipped map) are left out."""
    if root is None:
        return {}
    top = os.path.realpath(root)
    found: dict[str, InputFile] = {}
    for item in files:
        if item.path.startswith("<"):
            continue
        on_disk = (real or {}).get(item.path, item.path)
        relative = os.path.relpath(os.path.realpath(on_disk), top)
        if not relative.startswith(".."):
            found[relative.replace(os.sep, "/")] = item
    return found


def map_file_changes(
    ref: str,
    base_files: dict[str, InputFile],
    head: AuditResult,
    real: Mapping[str, str] | None = None,
) -> list[ReviewChange]:
    """A change to review for every map file the base read that HEAD does not read at the
    same path: renamed, moved or deleted. Whatever findings left with it are not "fixed", and
    a reviewer must see that the map's files changed (a file renamed to a name nothing reads
    is refused by discovery; this names the move itself). ``real``: where each file HEAD
    shows (its display path) is on disk, when that is not the display path itself."""
    real = real or {}
    shown = [f.path for f in head.loaded.files if not f.path.startswith("<")]
    some_file = real.get(shown[0], shown[0]) if shown else None
    top = git_toplevel(os.path.dirname(os.path.abspath(some_file))) if some_file else None
    head_files = _by_path(head.loaded.files, top, real)
    by_content = {f.sha256: path for path, f in sorted(head_files.items())}
    changes: list[ReviewChange] = []
    for path, item in sorted(base_files.items()):
        if path in head_files:
            continue
        moved_to = by_content.get(item.sha256)
        where: Location | None
        if moved_to is not None:
            detail = f"{path} at {ref} is now {moved_to}: the map's files changed"
            where = Location(head_files[moved_to].path, 1, 1)
        else:
            detail = (
                f"{path} was read at {ref} and is not read now (moved, renamed or deleted): "
                "findings that left with it are not fixed"
            )
            where = head.loaded.sources.locate(("organisation", head.loaded.organisation.id))
        changes.append(
            ReviewChange(f"map-file-gone:{path}", "map-file-gone", path, detail, location=where)
        )
    return changes
