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

A pattern is at most ``MAX_PATTERN_CHARS`` long (a path part is at most 255 bytes on the
usual file systems), and the patterns that are kept must fit together in one RE2 set (RE2's
default 8 MiB program budget): otherwise the line at which the set first overflows is named
(attack review 2026-12-03v, problem 2: two 10,000-character ``?`` lines each compiled alone
but not together, and the set's error ended the run with exit 3). A path that is not valid
UTF-8 (a file name of raw bytes) is matched with each undecodable byte read as U+FFFD, which
only a wildcard matches (problem 3: RE2 refused the surrogate-escaped name with exit 3).
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
#: Characters per pattern: a path part is at most 255 bytes on the usual file systems.
MAX_PATTERN_CHARS = 256
#: How much of a refused pattern an error message quotes.
QUOTED_CHARS = 60

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
                    f"pattern {_quoted(pattern)} has {len(stars)} '*' wildcards in one path "
                    f"part; at most {MAX_STARS_PER_PART} are allowed"
                )
        offset += len(part) + 1
    return None


def _compiled(lines: list[str]) -> pathspec.GitIgnoreSpec:
    with warnings.catch_warnings():  # Python's re warns of a "[[" it compiles for pathspec
        warnings.simplefilter("ignore", FutureWarning)
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=BACKEND)


def class_backslash(pattern: str) -> int | None:
    """The 0-based column of a backslash inside a ``[...]`` class, or None. git and pathspec
    read such a class differently (``[n\\-p]``, ``[\\]]``, ``[\\d]``: attack review
    2026-12-03v, problem 5), so the pattern is refused rather than read one way of two."""
    index, in_class, class_start = 0, False, 0
    while index < len(pattern):
        char = pattern[index]
        if in_class:
            if char == "\\":
                return index
            first = index == class_start or (
                index == class_start + 1 and pattern[class_start] in "!^"
            )
            if char == "]" and not first:
                in_class = False
        elif char == "\\":
            index += 1
        elif char == "[":
            in_class, class_start = True, index + 1
        index += 1
    return None


def _quoted(pattern: str) -> str:
    if len(pattern) <= QUOTED_CHARS:
        return f"'{pattern}'"
    return f"'{pattern[:QUOTED_CHARS]}...' ({len(pattern):,} characters)"


def _as_utf8(relative: str) -> str:
    """The path with each byte that is not UTF-8 (a surrogate escape) read as U+FFFD."""
    if relative.isascii():
        return relative
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class IgnoreRules:
    """An ignore file's patterns, compiled once."""

    def __init__(self, lines: list[str]) -> None:
        self.spec = _compiled(lines)

    def ignores(self, relative: str) -> bool:
        """Whether a path relative to the map folder is kept out (a trailing ``/``: it is a
        folder); the last pattern that matches decides."""
        return bool(self.spec.match_file(_as_utf8(relative)))


def _first_overflow(kept: list[tuple[int, str]]) -> int:
    """The index of the first kept pattern with which the set no longer compiles (the set
    of all of them does not): the fewest patterns that fail, found by bisection."""
    fits, fails = 0, len(kept)  # kept[:fits] compiles (none trivially), kept[:fails] does not
    while fails - fits > 1:
        middle = (fits + fails) // 2
        try:
            _compiled([line for _, line in kept[:middle]])
        except re2.error:
            fails = middle
        else:
            fits = middle
    return fails - 1


def parse(text: str) -> tuple[IgnoreRules | None, list[tuple[int, int, str]]]:
    """The rules of an ignore file's text, and its refused lines as (line, 1-based column,
    why): every line is looked at, so one run names them all; no rules when one is refused."""
    kept: list[tuple[int, str]] = []
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
        if len(line) > MAX_PATTERN_CHARS:
            refused.append(
                (
                    number,
                    MAX_PATTERN_CHARS + 1,
                    f"pattern {_quoted(line)} is longer than {MAX_PATTERN_CHARS} characters",
                )
            )
            continue
        backslash = class_backslash(line)
        if backslash is not None:
            refused.append(
                (
                    number,
                    backslash + 1,
                    f"pattern {_quoted(line)} has a backslash inside a [...] class, which git "
                    "and the matcher read differently: list the characters without it",
                )
            )
            continue
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
            refused.append((number, 1, f"pattern {_quoted(line)} is not one git reads: {why}"))
            continue
        kept.append((number, line))
    if refused:
        return None, refused
    try:
        return IgnoreRules([line for _, line in kept]), refused
    except re2.error:
        number, line = kept[_first_overflow(kept)]
        why = (
            f"pattern {_quoted(line)} and those before it are more than one matcher can hold "
            "together (RE2's 8 MiB budget); use fewer or simpler patterns"
        )
        return None, [(number, 1, why)]
