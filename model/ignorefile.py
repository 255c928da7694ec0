"""``.flowauditignore``: gitignore patterns, matched without a backtracking regex.

The syntax is git's (``gitignore(5)``): ``#`` comments, ``!`` to re-include, a trailing ``/``
for folders only, a pattern with a ``/`` before its end anchored at the map folder (else it
matches a name at any depth), ``*``, ``?``, ``[...]`` classes (``!`` or ``^`` negates, POSIX
``[:alpha:]`` names), ``\\`` to escape, and ``**`` as a whole path part: ``**/x`` at any
depth, ``x/**`` everything inside ``x``, ``a/**/b`` zero or more folders between. The last
pattern that matches decides.

Matching is done path part by path part, never by one regular expression over the whole
path: pathspec wrote each inner ``/**/`` as ``(?:/.+)?/``, whose ``.+`` crosses ``/``, so a
50-byte pattern with nine ``**`` parts backtracked over every split of a 30-folder-deep
path (39 s for three lines: attack review 2026-12-03u, problem 1). Here the parts between
two ``**`` are placed at their leftmost fit, which is always a best placement, so a pattern
costs at most (path depth) x (its parts) comparisons of one name with one part; each of those
is a regular expression of one path part whose stars are atomic, linear in the name. The
comparisons of one walk are counted, and past ``MAX_IGNORE_STEPS`` the walk stops with an
input error at the ignore file: no folder and no pattern can make it run for long.

A line git would read as nothing or that matches nothing by mistake (a lone ``!`` or ``/``,
a backslash escaping nothing, a class never closed, a backwards range such as ``[z-a]``,
an unknown ``[:name:]``) is an input error at its line and column (attack review
2026-12-03u, problem 4: pathspec raised, and the run ended with exit 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: More than two ``*`` in one path part is refused: no ignore file needs them.
MAX_STARS_PER_PART = 2
#: Patterns per ignore file: each is tried against every file of the map.
MAX_IGNORE_PATTERNS = 1_000
#: Path parts per pattern (between ``/``): no ignore line needs more.
MAX_PATTERN_PARTS = 64
#: Comparisons of a name with a pattern's part in one walk of a map folder: a map of 10,000
#: files under 100 patterns takes about a million; past this, the walk is refused.
MAX_IGNORE_STEPS = 5_000_000

_STAR = re.compile(r"\\.|\*")

_POSIX = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class PatternError(ValueError):
    """A line of an ignore file that is refused, with the 0-based column to name."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class TooMuchWork(Exception):
    """Matching the ignore file's patterns took more than ``MAX_IGNORE_STEPS`` comparisons."""


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


#: One path part of a pattern: a name to equal, or a compiled regex to match it whole.
_Part = str | re.Pattern[str]
_GLOBSTAR = None  # a ``**`` part, in a pattern's list of parts


@dataclass(frozen=True)
class IgnorePattern:
    """One line of an ignore file, compiled."""

    line: int
    negated: bool
    folders_only: bool
    #: The parts, ``None`` standing for ``**``; a pattern with no ``/`` before its end starts
    #: with ``None`` (it matches a name at any depth).
    parts: tuple[_Part | None, ...]


def parse_line(text: str, line: int) -> IgnorePattern | None:
    """The pattern of one ignore-file line, None for a blank line or a comment;
    PatternError for a line refused (see the module doc)."""
    if text.startswith("#"):
        return None
    end = len(text)
    while end > 0 and text[end - 1] == " " and not _escaped(text, end - 1):
        end -= 1  # trailing spaces are dropped unless escaped, as git does
    body = text[:end]
    if not body:
        return None
    star = star_problem(body)
    if star is not None:
        raise PatternError(*star)
    start = 0
    negated = body.startswith("!")
    if negated:
        start = 1
    folders_only = False
    if body.endswith("/") and not _escaped(body, len(body) - 1):
        folders_only = True
        body = body[:-1]
    if body[start:] in ("", "/"):
        what = "a lone '!' re-includes nothing" if negated else "a lone '/' names nothing"
        raise PatternError(0, f"{what}: write a name or pattern after it")
    anchored = "/" in body[start:].lstrip("/") or body[start:].startswith("/")
    if body[start:].startswith("/"):
        start += 1
    raw_parts = _split(body, start)
    if len(raw_parts) > MAX_PATTERN_PARTS:
        raise PatternError(
            start,
            f"pattern has {len(raw_parts)} path parts; at most {MAX_PATTERN_PARTS} are allowed",
        )
    parts: list[_Part | None] = [] if anchored else [_GLOBSTAR]
    for column, raw in raw_parts:
        parts.append(_GLOBSTAR if raw == "**" else _compile_part(body, column, raw))
    return IgnorePattern(line, negated, folders_only, tuple(parts))


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` is escaped by an odd run of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _split(body: str, start: int) -> list[tuple[int, str]]:
    """The path parts of a pattern (with the column each starts at), split at each ``/``
    outside a class; a backslash before a ``/`` is dropped (the ``/`` parts them anyway)."""
    parts: list[tuple[int, str]] = []
    current: list[str] = []
    begin = start
    index = start
    while index < len(body):
        char = body[index]
        if char == "\\":
            if index + 1 >= len(body):
                raise PatternError(
                    index, "the line ends in a backslash, which escapes nothing: write '\\\\'"
                )
            if body[index + 1] != "/":
                current.append(body[index : index + 2])
            index += 2
            continue
        if char == "[":
            close = _class_end(body, index)
            current.append(body[index:close])
            index = close
            continue
        if char == "/":
            parts.append((begin, "".join(current)))
            current = []
            begin = index + 1
        else:
            current.append(char)
        index += 1
    parts.append((begin, "".join(current)))
    return parts


def _class_end(body: str, start: int) -> int:
    """The index just past the ``]`` closing the class opened at ``start`` (git's rules: a
    ``]`` first in the class is a member; ``[:name:]`` inside); PatternError if unclosed."""
    index = start + 1
    if index < len(body) and body[index] in "!^":
        index += 1
    first = True
    while index < len(body):
        char = body[index]
        if char == "]" and not first:
            return index + 1
        first = False
        if char == "\\":
            index += 2
            continue
        if char == "[" and body.startswith("[:", index):
            close = body.find(":]", index + 2)
            if close != -1:
                index = close + 2
                continue
        index += 1
    raise PatternError(
        start, "'[' opens a character class that is never closed: write '\\[' for a bracket"
    )


def _compile_part(body: str, column: int, raw: str) -> _Part:
    """One path part: the name itself when it holds no wildcard, else a regex of it whose
    stars cannot backtrack (``prefix (?>.*?seg) ... .*last``: each middle segment at its
    leftmost fit)."""
    segments: list[list[str]] = [[]]  # regex pieces between stars
    literal: list[str] = []
    plain = True
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            segments[-1].append(re.escape(raw[index + 1]))
            literal.append(raw[index + 1])
            index += 2
            continue
        if char == "*":
            plain = False
            segments.append([])
            index += 1
            continue
        if char == "?":
            plain = False
            segments[-1].append(".")
        elif char == "[":
            plain = False
            close = _class_end(raw, index)
            segments[-1].append(_class(body, column + index, raw[index:close]))
            index = close
            continue
        else:
            segments[-1].append(re.escape(char))
            literal.append(char)
        index += 1
    if plain:
        return "".join(literal)
    pieces = ["".join(segment) for segment in segments]
    if len(pieces) == 1:  # no star: a fixed-width part
        return re.compile(pieces[0], re.DOTALL)
    first, *middle, last = pieces
    pattern = first + "".join(f"(?>.*?{m})" for m in middle) + ".*" + last
    return re.compile(pattern, re.DOTALL)


def _class(body: str, column: int, raw: str) -> str:
    """A ``[...]`` class as a regex class; PatternError for a backwards range or an unknown
    ``[:name:]``."""
    index = 1
    negated = index < len(raw) - 1 and raw[index] in "!^"
    if negated:
        index += 1
    members: list[str] = []
    previous: str | None = None
    end = len(raw) - 1  # the closing ']'
    first = True
    while index < end or first:
        first = False
        char = raw[index]
        if char == "\\":
            char = raw[index + 1]
            index += 2
        elif char == "[" and raw.startswith("[:", index) and raw.find(":]", index + 2) != -1:
            close = raw.find(":]", index + 2)
            name = raw[index + 2 : close]
            if name not in _POSIX:
                raise PatternError(
                    column + index,
                    f"'[:{name}:]' is no character class; known: {', '.join(sorted(_POSIX))}",
                )
            members.append(_POSIX[name])
            index = close + 2
            previous = None
            continue
        elif char == "-" and previous is not None and index + 1 < end and raw[index + 1] != "]":
            last = raw[index + 1]
            step = 2
            if last == "\\":
                last = raw[index + 2]
                step = 3
            if last < previous:
                raise PatternError(
                    column + index - 1,
                    f"character range '{previous}-{last}' runs backwards, so it matches "
                    f"nothing: write '{last}-{previous}'",
                )
            members[-1] = f"{re.escape(previous)}-{re.escape(last)}"
            index += step
            previous = None
            continue
        else:
            index += 1
        members.append(re.escape(char))
        previous = char
    return f"[{'^' if negated else ''}{''.join(members)}]"


class IgnoreRules:
    """An ignore file's patterns; ``ignores`` counts its comparisons in ``steps``."""

    def __init__(self, patterns: list[IgnorePattern], budget: int | None = None) -> None:
        self.patterns = patterns
        self.steps = 0
        self.budget = MAX_IGNORE_STEPS if budget is None else budget

    def ignores(self, relative: str) -> bool:
        """Whether a path relative to the map folder is kept out (a trailing ``/``: it is a
        folder); the last pattern that matches decides. TooMuchWork past the budget."""
        folder = relative.endswith("/")
        names = relative.rstrip("/").split("/")
        for pattern in reversed(self.patterns):
            if pattern.folders_only and not folder:
                continue
            if self._matches(pattern.parts, names):
                return not pattern.negated
        return False

    def _part(self, part: _Part, name: str) -> bool:
        self.steps += 1
        if self.steps > self.budget:
            raise TooMuchWork
        if isinstance(part, str):
            return part == name
        return part.fullmatch(name) is not None

    def _run(self, block: list[_Part], names: list[str], at: int) -> bool:
        return all(self._part(p, names[at + i]) for i, p in enumerate(block))

    def _matches(self, parts: tuple[_Part | None, ...], names: list[str]) -> bool:
        blocks: list[list[_Part]] = [[]]
        for part in parts:
            if part is None:
                blocks.append([])
            else:
                blocks[-1].append(part)
        count = len(names)
        if len(blocks) == 1:  # no '**': part for part
            return len(blocks[0]) == count and self._run(blocks[0], names, 0)
        head, *middle, tail = blocks
        # 'x/**' holds what is inside x, not x: a '**' at the end spans at least one name
        high = count - len(tail) - (1 if parts[-1] is None else 0)
        if len(head) + len(tail) > count or len(head) > high:
            return False
        if not self._run(head, names, 0) or not self._run(tail, names, count - len(tail)):
            return False
        low = len(head)
        for block in middle:  # each at its leftmost fit: no later one leaves more room
            at = low
            while at + len(block) <= high and not self._run(block, names, at):
                at += 1
            if at + len(block) > high:
                return False
            low = at + len(block)
        return True


def parse(text: str) -> tuple[IgnoreRules, list[tuple[int, int, str]]]:
    """The rules of an ignore file's text, and its refused lines as (line, 1-based column,
    why): every line is looked at, so one run names them all."""
    patterns: list[IgnorePattern] = []
    refused: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            pattern = parse_line(line, number)
        except PatternError as error:
            refused.append((number, error.column + 1, error.message))
            continue
        if pattern is None:
            continue
        if len(patterns) == MAX_IGNORE_PATTERNS:
            refused.append(
                (number, 1, f"more than {MAX_IGNORE_PATTERNS:,} patterns in an ignore file")
            )
            break
        patterns.append(pattern)
    return IgnoreRules(patterns), refused
