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
from flowaudit.model.gitsource import export_revision, in_git_worktree
from flowaudit.model.loader import shipped_map_dir
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


def against_base(
    ref: str,
    paths: Sequence[str],
    head: AuditResult,
    policy_paths: Sequence[str],
    limits: Limits,
    required: Sequence[str] = (),
    accepted: Iterable[str] | bool = (),
) -> Baseline:
    """Audit the map at git revision ``ref`` by its own rules and compare HEAD with it."""
    with tempfile.TemporaryDirectory(prefix="flowaudit-base-") as folder:
        files = export_revision(
            ref, list(paths) or [str(shipped_map_dir())], os.path.join(folder, "map")
        )
        policies = base_policy_paths(ref, policy_paths, folder)
        base = audit(files, head.as_of, policies, limits, required)
    return compare(base, head, accepted)
