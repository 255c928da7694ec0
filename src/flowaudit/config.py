"""The gate's own settings file, ``.flowaudit.toml``: required policies and the fail-on level
kept beside the workflow instead of in the map.

The file lives in the repository, so a pull request can edit it too: under ``check --base``
any change to it is a change to review (``config-changed:FILE``), and the base is audited
with the base's version of it.

```toml
[check]
require_policies = ["uk-gdpr", "hygiene", "concero-notice"]
fail_on = "low"
```
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from flowaudit.checks.result import ReviewChange
from flowaudit.model.discovery import display_path, path_inside
from flowaudit.model.gitsource import git_toplevel
from flowaudit.model.loader import Location
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.yamlsource import long_number_problem
from flowaudit.policies.schema import Severity

#: Read from the root of the map's repository (or the working folder outside one) when no
#: --config is given.
DEFAULT_NAME = ".flowaudit.toml"
_KEYS = ("require_policies", "fail_on")


@dataclass(frozen=True)
class GateConfig:
    """What the settings file pins; empty when there is none."""

    require_policies: tuple[str, ...] = ()
    fail_on: Severity | None = None
    path: str | None = None
    require_line: int = 1
    """The line of ``require_policies``: a policy it names that is not found is located
    there, not blamed on the command line (auditor review 2026-12-03y, problem 5)."""


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return 1


def _top_level_line(text: str, key: str) -> int:
    """The line of a key above the first table header (where TOML keeps top-level keys)."""
    assigned = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            break
        if assigned.match(line):
            return number
    return 1


def parse_config(text: str, path: str) -> GateConfig:
    """The settings in ``text``; every problem is a located input error (exit 2)."""
    where = display_path(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's tomllib says where only in its message: "... (at line 1, column 7)"
        where_in = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(where_in[1]), int(where_in[2])) if where_in else (1, 1)
        message = str(error).split(" (at ")[0]
        raise InputError([Problem(where, line, column, f"TOML syntax error: {message}")]) from None
    except ValueError:  # int() refused a number of too many digits
        problem = long_number_problem(text, where)
        if problem is None:
            raise
        raise InputError([problem]) from None
    problems: list[Problem] = []
    for key, value in document.items():
        if key == "check":
            continue
        if isinstance(value, dict):
            problems.append(
                Problem(where, _line_of(text, f"[{key}"), 1, f"unknown table '{key}'; use [check]")
            )
        else:
            # a setting above any table header is a key, on its own line, not a table at
            # line 1 (auditor review s2, problem 4)
            known = ", ".join(_KEYS)
            hint = "put it under [check]" if key in _KEYS else f"settings, under [check]: {known}"
            problems.append(
                Problem(where, _top_level_line(text, key), 1, f"unknown key '{key}' ({hint})")
            )
    section = document.get("check", {})
    if not isinstance(section, dict):
        # `check = 1` is no table of settings: read as none, it would drop every pin
        problems.append(
            Problem(
                where,
                _line_of(text, "check"),
                1,
                "'check' must be the table [check] of settings (require_policies, fail_on)",
            )
        )
        section = {}
    for key in section:
        if key not in _KEYS:
            problems.append(
                Problem(
                    where,
                    _line_of(text, key),
                    1,
                    f"unknown setting '{key}'; settings: {', '.join(_KEYS)}",
                )
            )
    required = section.get("require_policies", [])
    if not isinstance(required, list) or not all(isinstance(n, str) and n for n in required):
        problems.append(
            Problem(
                where,
                _line_of(text, "require_policies"),
                1,
                "require_policies must be a list of policy names",
            )
        )
        required = []
    fail_on = section.get("fail_on")
    if fail_on is not None and fail_on not in [s.value for s in Severity]:
        problems.append(
            Problem(
                where,
                _line_of(text, "fail_on"),
                1,
                f"fail_on must be one of {', '.join(s.value for s in Severity)}",
            )
        )
        fail_on = None
    if problems:
        raise InputError(problems)
    return GateConfig(
        tuple(required),
        Severity(fail_on) if fail_on is not None else None,
        path,
        _line_of(text, "require_policies"),
    )


def default_config_path(map_paths: Sequence[str]) -> str:
    """Where the settings file is looked for without --config: the root of the repository
    holding the (first) map path, else the working folder."""
    top = git_toplevel(map_paths[0]) if map_paths else None
    return os.path.join(top, DEFAULT_NAME) if top is not None else DEFAULT_NAME


def load_config(path: str, explicit: bool = True) -> GateConfig:
    """The settings at ``path``; none when it was not named explicitly and does not exist.
    A name that exists but is no readable file (a folder, a link to nothing) is an input
    error either way: read as absent, it dropped every pin of a plain ``check`` without a
    word (attack review 2026-12-02i, held case)."""
    if not explicit and not os.path.lexists(path):
        return GateConfig()
    if not explicit:
        real = os.path.realpath(path)
        top = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        if not path_inside(real, top):
            # the file found at the repository's root is the pull request's: a link out of
            # the repository read a file of the runner's, whose policy names the run printed
            # as not found (gate review s21); named by --config, it is the workflow's choice
            where = display_path(path)
            raise InputError(
                [Problem(where, 1, 1, "symlink leads outside the repository: not read")]
            )
    try:
        # non-blocking, and regular files only: a FIFO or a device would hang or never end
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise InputError([Problem(display_path(path), 1, 1, "not a regular file")])
            raw = handle.read(1024 * 1024 + 1)
    except OSError as error:
        where = display_path(path)
        raise InputError([Problem(where, 1, 1, f"cannot read: {error.strerror}")]) from None
    if len(raw) > 1024 * 1024:
        raise InputError([Problem(display_path(path), 1, 1, "settings file larger than 1 MiB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem(display_path(path), 1, 1, "not UTF-8")]) from None
    return parse_config(text, path)


def fail_on_level(config: GateConfig, given: Severity, explicit: bool) -> Severity:
    """The level that fails the run: the option when given, the file's otherwise; with
    both, the stricter (the file in the repository can tighten the gate, not loosen it)."""
    if config.fail_on is None:
        return given
    if not explicit:
        return config.fail_on
    return given if given.rank <= config.fail_on.rank else config.fail_on


def config_change(base: GateConfig, head: GateConfig) -> ReviewChange | None:
    """The settings file's own change, as a change to review; None when it did not change."""
    parts: list[str] = []
    if base.require_policies != head.require_policies:
        parts.append(
            f"require_policies [{', '.join(base.require_policies)}] -> "
            f"[{', '.join(head.require_policies)}]"
        )
    if base.fail_on != head.fail_on:
        before = base.fail_on.value if base.fail_on else "unset"
        after = head.fail_on.value if head.fail_on else "unset"
        parts.append(f"fail_on {before} -> {after}")
    if not parts:
        return None
    name = display_path(head.path or base.path or DEFAULT_NAME)
    return ReviewChange(
        f"config-changed:{name}",
        "config-changed",
        name,
        "; ".join(parts),
        location=Location(name, 1, 1),
    )
