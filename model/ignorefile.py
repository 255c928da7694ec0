"""``.flowauditignore``: gitignore patterns, matched by pathspec on RE2.

The syntax is git's (``gitignore(5)``), as pathspec's ``GitIgnoreSpec`` reads it. Matching
runs on pathspec's ``re2`` backend (google-re2): RE2 runs in time linear in the path, where
Python's backtracking ``re`` backend wrote each inner ``/**/`` as ``(?:/.+)?/`` and a
50-byte pattern with nine ``**`` parts tried every split of a 30-folder-deep path (39 s for
three lines: attack review 2026-12-03u, problem 1).

A line pathspec refuses (a backwards range such as ``[z-a]``, a backslash escaping nothing,
a lone ``!``) is an input error at its line, every such line named at once (attack review
2026-12-03u, problem 4: pathspec's exception ended the run with exit 3). A part of a pattern
with more than two ``*`` is refused too: no ignore file needs them, and no pattern should
cost what it cannot be worth.
"""

from __future__ import annotations

import re
import warnings

import pathspec
import re2

#: pathspec's matching backend: RE2, linear in the path (the ``re2`` extra of pathspec).
BACKEND = "re2"
#: More than two ``*`` in one path part is refused: no ignore file needs them.
MAX_STARS_PER_PART = 2
#: Patterns per ignore file: each is tried against every file of the map.
MAX_IGNORE_PATTERNS = 1_000

_STAR = re.compile(r"\\.|\*")
_AT_POSITION = re.compile(r" at position \d+$")


def star_problem(pattern: str) -> tuple[int, str] | None:
    """Why a pattern is refused for its stars (with the 0-based column of the star past the
    bound), or None: more than ``MAX_STARS_PER_PART`` wildcards in one path part (a part
    that is only ``**`` spans folders)."""
    offset = 0
    for part in pattern.split("/"):
        if part != "**":
            stars = [m.start() for m in _STAR.finditer(part) if m.group() == "*"]
            if len(stars) > MAX_STARS_PER_PART:
                return offset + stars[MAX_STARS_PER_PART], (
                    f"pattern '{pattern}' has {len(stars)} '*' wildcards in one path part; at "
                    f"most {MAX_STARS_PER_PART} are allowed"
                )
        offset += len(part) + 1
    return None


def _compiled(lines: list[str]) -> pathspec.GitIgnoreSpec:
    with warnings.catch_warnings():  # Python's re warns of a "[[" it compiles for pathspec
        warnings.simplefilter("ignore", FutureWarning)
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=BACKEND)


class IgnoreRules:
    """An ignore file's patterns, compiled once."""

    def __init__(self, lines: list[str]) -> None:
        self.spec = _compiled(lines)

    def ignores(self, relative: str) -> bool:
        """Whether a path relative to the map folder is kept out (a trailing ``/``: it is a
        folder); the last pattern that matches decides."""
        return bool(self.spec.match_file(relative))


def parse(text: str) -> tuple[IgnoreRules | None, list[tuple[int, int, str]]]:
    """The rules of an ignore file's text, and its refused lines as (line, 1-based column,
    why): every line is looked at, so one run names them all; no rules when one is refused."""
    kept: list[str] = []
    refused: list[tuple[int, int, str]] = []
    patterns = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        patterns += 1
        if patterns > MAX_IGNORE_PATTERNS:
            refused.append(
                (number, 1, f"more than {MAX_IGNORE_PATTERNS:,} patterns in an ignore file")
            )
            break
        star = star_problem(line)
        if star is not None:
            refused.append((number, star[0] + 1, star[1]))
            continue
        try:
            _compiled([line])
        except (ValueError, re.error, re2.error) as error:  # GitIgnorePatternError: ValueError
            # the position pathspec's regex gives is in its regex, not in the line
            why = (
                "no matcher can be built from it (a '[' inside a class?)"
                if isinstance(error, re2.error)
                else _AT_POSITION.sub("", str(error))
            )
            refused.append((number, 1, f"pattern '{line}' is not one git reads: {why}"))
            continue
        kept.append(line)
    if refused:
        return None, refused
    return IgnoreRules(kept), refused
