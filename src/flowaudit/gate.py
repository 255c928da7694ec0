"""The CI gate against a baseline: each side audited by its own rules.

The base revision is audited with the map, the waivers, the organisation's ``policies:``
selection and the ``--policies`` files *as they were at the base* (read from git when they
live in the repository), so a pull request that edits a rule, an override or a waiver shows
up as a change to review instead of as findings "fixed".
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence

from flowaudit.checks.baseline import Baseline, compare
from flowaudit.checks.result import AuditResult
from flowaudit.common import audit
from flowaudit.config import DEFAULT_NAME, GateConfig, config_change, parse_config
from flowaudit.model.gitsource import export_revision, in_git_worktree, read_at_revision
from flowaudit.model.loader import shipped_map_dir
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.yamlsource import Limits


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
    head_config = config or GateConfig()
    old_config = base_config(ref, head_config, config_path)
    with tempfile.TemporaryDirectory(prefix="flowaudit-base-") as folder:
        files = export_revision(
            ref, list(paths) or [str(shipped_map_dir())], os.path.join(folder, "map")
        )
        policies = base_policy_paths(ref, policy_paths, folder)
        names = list(dict.fromkeys([*required, *old_config.require_policies]))
        base = audit(files, head.as_of, policies, limits, names)
    change = config_change(old_config, head_config)
    return compare(base, head, accepted, () if change is None else (change,))
