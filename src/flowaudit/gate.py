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

from pydantic import ValidationError

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.baseline import (
    Baseline,
    accept,
    compare,
    gone_words,
    review_order,
    reviewed_files,
)
from flowaudit.checks.result import AuditResult, ReviewChange
from flowaudit.config import (
    DEFAULT_NAME,
    GateConfig,
    config_change,
    parse_config,
)
from flowaudit.model.discovery import Discovery, discover_all, display_path, read_regular
from flowaudit.model.gitsource import (
    changed_since,
    export_revision,
    git_toplevel,
    in_git_worktree,
    read_at_revision,
    symlink_below_top,
)
from flowaudit.model.loader import InputFile, Location, shipped_map_dir
from flowaudit.model.problems import InputError, Problem, plural
from flowaudit.model.schema import COLLECTIONS, DataMap
from flowaudit.model.yamlsource import Limits, parse_bytes
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
            ref,
            list(paths) or [str(shipped_map_dir())],
            os.path.join(folder, "map"),
            must_exist=False,
        )
        if not files:  # the pull request that adds the map (auditor review 2026-12-03u, 2)
            return first_map(ref, list(paths), head, accepted, old_config, head_config)
        policies = base_policy_paths(ref, policy_paths, folder)
        names = list(dict.fromkeys([*required, *old_config.require_policies]))
        try:
            # absolute paths on the base side: at_revision and _by_path map them to REF:path
            # leniently: a waiver's rule id or a policy id a later release withdrew is not
            # the base's input error, or no pull request could pass, not even the one that
            # removes it (attack review s10, problem 3); HEAD's audit still refuses them
            base = audit(
                AuditRequest(
                    files,
                    head.as_of,
                    policies,
                    limits,
                    names,
                    from_arguments=False,
                    lenient_references=True,
                )
            )
        except InputError as error:
            raise at_revision(error, folder, ref) from None
        # HEAD's files are shown from their arguments' folders: where each one really is
        found = discover_all(list(paths) or [str(shipped_map_dir())])
        real = {shown: path for path, shown in found.display.items()}
        base_root = os.path.join(folder, "map")
        base_read = _by_path(base.loaded.files, base_root)
        kept_out = ignored_map_changes(ref, found, base_root, base_read, base, head)
        gone_files = map_file_changes(ref, base_read, head, real, {c.subject for c in kept_out})
        change = config_change(old_config, head_config)
        extra = [*gone_files, *kept_out, *(() if change is None else (change,))]
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


def first_map(
    ref: str,
    paths: Sequence[str],
    head: AuditResult,
    accepted: Iterable[str] | bool,
    old_config: GateConfig,
    head_config: GateConfig,
) -> Baseline:
    """The comparison with a base that holds no map under ``paths``: an empty base. Every
    finding not waived is new, and the map's arrival is one change to review
    (``map-added``): its claims, signed agreements and waivers are compared with nothing,
    so a person reads it whole once; later pull requests are judged against it. The first
    pull request stopped with exit 2 (``no map file under data-map/ at origin/main``) and no
    advice (auditor review 2026-12-03u, problem 2)."""
    where = ", ".join(_from_top(path) for path in paths) or "the map"
    added = ReviewChange(
        f"map-added:{where}",
        "map-added",
        where,
        f"{ref} holds no map file under {where}: the whole map is new, every finding is new, "
        "and its claims, signed agreements and waivers are compared with nothing: review the "
        "map itself; pull requests after it is merged are judged against it",
        location=head.loaded.sources.locate(("organisation", head.loaded.organisation.id)),
    )
    change = config_change(old_config, head_config)
    changes = review_order([added, *(() if change is None else (change,))])
    return Baseline(head.active, (), accept(changes, accepted, reviewed_files(head)))


def _from_top(path: str) -> str:
    """A path as named from its repository's top (POSIX), as ``map-file-gone`` names one."""
    top = git_toplevel(path)
    if top is None:
        return path
    relative = os.path.relpath(os.path.realpath(os.path.abspath(path)), os.path.realpath(top))
    return relative.replace(os.sep, "/")


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
    kept_out: Iterable[str] = (),
) -> list[ReviewChange]:
    """A change to review for every map file the base read that HEAD does not read at the
    same path: renamed, moved or deleted. Whatever findings left with it are not "fixed", and
    a reviewer must see that the map's files changed (a file renamed to a name nothing reads
    is refused by discovery; this names the move itself). ``real``: where each file HEAD
    shows (its display path) is on disk, when that is not the display path itself.
    ``kept_out``: files HEAD's ignore file keeps out, said by ``ignored_map_changes``."""
    real = real or {}
    skipped = set(kept_out)
    shown = [f.path for f in head.loaded.files if not f.path.startswith("<")]
    some_file = real.get(shown[0], shown[0]) if shown else None
    top = git_toplevel(os.path.dirname(os.path.abspath(some_file))) if some_file else None
    head_files = _by_path(head.loaded.files, top, real)
    by_content = {f.sha256: path for path, f in sorted(head_files.items())}
    changes: list[ReviewChange] = []
    for path, item in sorted(base_files.items()):
        if path in head_files or path in skipped:
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


#: How many of the elements and findings a file kept out holds its change's line names.
_NAMED = 10


def ignored_map_changes(
    ref: str,
    found: Discovery,
    base_root: str,
    base_read: Mapping[str, InputFile],
    base: AuditResult,
    head: AuditResult,
) -> list[ReviewChange]:
    """A change to review (``map-file-ignored``) for every map file HEAD's ignore file keeps
    out that is new or changed since ``ref``, or that the base read: moved into an ignored
    file (``init`` puts ``.schema/`` into every ignore file), a flow took its critical finding
    with it and the gate passed with nothing to review (attack review 2026-12-03u, problem
    2). Its line names the elements the file holds and the base's findings on those that are
    gone with them, and it is graded by the gravest of these."""
    limits = Limits()
    in_head = {("organisation", head.loaded.organisation.id)}
    for collection in COLLECTIONS:
        in_head.update((collection, e.id) for e in getattr(head.loaded.data, collection))
    read_now = {os.path.realpath(path) for path in found.files}  # a link's target is read
    changes: list[ReviewChange] = []
    for path, shown in zip(found.ignored_map_paths, found.ignored_maps, strict=True):
        top = git_toplevel(path)
        if top is None or os.path.realpath(path) in read_now:
            continue
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
        relative = relative.replace(os.sep, "/")
        try:
            raw: bytes | None = read_regular(path, shown, limits.max_file_bytes)
        except InputError:
            raw = None  # unreadable or too big: changed, for all the gate can tell
        before = os.path.join(base_root, *relative.split("/"))
        if relative in base_read:
            how = f"was read at {ref}, and .flowauditignore now keeps it out of the audit"
        elif not os.path.isfile(before) or os.path.islink(before):
            how = f"is new since {ref}, and .flowauditignore keeps it out of the audit"
        elif raw is None or _bytes_of(before) != raw:
            how = f"changed since {ref}, and .flowauditignore keeps it out of the audit"
        else:
            continue  # as it was at the base, and kept out there too
        held = _elements_held(raw, path, shown, limits)
        detail = f"{relative} {how}: nothing in it is checked"
        # a file that cannot be read as a map may hold any element the change took out of
        # the map: each of the base's findings gone with its element may have gone into it,
        # and grades it (attack review 2026-12-03v, problem 2: a flow moved into an ignored
        # file that does not parse left a change graded as clearing nothing)
        hidden = sorted(
            (
                f
                for f in base.active
                if (held is None or f.element in held) and f.element not in in_head
            ),
            key=lambda f: -f.severity.rank,
        )
        if held is None:
            detail += "; it cannot be read as a map file, so what it holds is not known"
            if hidden:
                detail += (
                    "; it may hold what the change took out of the map, and with it may go: "
                    + _some([gone_words(f) for f in hidden], "finding")
                )
        else:
            detail += "; it holds " + _some([f"{c}/{i}" for c, i in held], "element")
            if hidden:
                detail += "; with it goes: " + _some([gone_words(f) for f in hidden], "finding")
        gravest = hidden[0].severity if hidden else None
        changes.append(
            ReviewChange(
                f"map-file-ignored:{relative}",
                "map-file-ignored",
                relative,
                detail,
                location=Location(shown, 1, 1),
                gravest=gravest,
            )
        )
    for path, shown in zip(found.ignored_unread_paths, found.ignored_unread, strict=True):
        top = git_toplevel(path)
        if top is None or not changed_since(ref, path):
            continue
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
        relative = relative.replace(os.sep, "/") + "/"
        changes.append(
            ReviewChange(
                f"map-file-ignored:{relative}",
                "map-file-ignored",
                relative,
                f"{relative} changed since {ref}; .flowauditignore keeps it out of the audit, "
                "and it holds more entries than were looked through for map files: a map file "
                "in it would not be checked",
                location=Location(shown, 1, 1),
            )
        )
    return changes


def _bytes_of(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _elements_held(
    raw: bytes | None, path: str, shown: str, limits: Limits
) -> set[tuple[str, str]] | None:
    """The ``(collection, id)`` of every element a map file defines; None if it cannot be
    read as one: not YAML, or not a map file the loader would take (a flow under a
    misspelt ``flowz:`` key held "no element", and the change was graded as hiding nothing:
    attack review 2026-12-03v, problem 2)."""
    if raw is None:
        return None
    try:
        data = parse_bytes(raw, path, shown, limits).data
    except InputError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        DataMap.model_validate(data)
    except ValidationError:
        return None
    held: set[tuple[str, str]] = set()
    organisation = data.get("organisation")
    if isinstance(organisation, dict) and isinstance(organisation.get("id"), str):
        held.add(("organisation", organisation["id"]))
    for collection in COLLECTIONS:
        items = data.get(collection)
        if isinstance(items, list):
            held.update(
                (collection, item["id"])
                for item in items
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            )
    return held


def _some(names: list[str], noun: str) -> str:
    """At most ``_NAMED`` of ``names``, then how many more (``none`` for no name)."""
    if not names:
        return f"no {noun}"
    shown = ", ".join(sorted(names)[:_NAMED] if noun == "element" else names[:_NAMED])
    more = len(names) - _NAMED
    return shown + (f" and {plural(more, 'more ' + noun)}" if more > 0 else "")
