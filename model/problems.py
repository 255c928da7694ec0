"""Input problems: what is wrong with a map or policy file, located at file:line:col.

A loader collects every problem it can find and raises them together, so a person fixes
a file in one pass instead of one error per run.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

#: Problems listed per file; the rest are counted in one line. Output stays proportional to
#: what a person can act on, not to the input: a one-line list of a million wrong parties
#: printed a million lines (66 s) before.
MAX_PROBLEMS_PER_FILE = 100
#: Where the count of a file's unlisted problems sorts: after every located problem of it.
_AFTER_ALL = 1 << 62
#: Where a note that follows from a file's other problems sorts: after them, before the count.
_AFTER_LOCATED = _AFTER_ALL - 1


_WRITTEN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def missing_day(written: str) -> str | None:
    """Why a date written as YYYY-MM-DD names no day ("there is no month 13", "February 2025
    has 28 days"), or None when it names one or is not written so: one wording for a map's
    dates and for ``--as-of``."""
    match = _WRITTEN_DATE.fullmatch(written)
    if match is None:
        return None
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


#: The "file" of a problem with a command-line option, which has no line to point at.
OPTIONS = "(options)"


@dataclass(frozen=True)
class Problem:
    """One input problem, printed as ``file:line:col: message`` (an option's as
    ``command line: message``). Problems sort by file, then position, except a ``follows``
    note, which sorts after the file's other problems."""

    file: str
    line: int
    column: int
    message: str
    omitted: int = 0
    """Non-zero: not a problem but the count of a file's problems left unlisted."""
    follows: bool = False
    """A consequence of the file's other problems ("references to ids were not checked"):
    listed after them, so the cause is read first (newcomer review s9, problem 6)."""

    def _key(self) -> tuple[str, int, int, str, int]:
        line = _AFTER_LOCATED if self.follows and not self.omitted else self.line
        return (self.file, line, self.column, self.message, self.omitted)

    def __lt__(self, other: Problem) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Problem) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Problem) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Problem) -> bool:
        return self._key() >= other._key()

    @classmethod
    def more(cls, file: str, count: int) -> Problem:
        """The line that counts a file's problems past ``MAX_PROBLEMS_PER_FILE``."""
        return cls(file, _AFTER_ALL, 0, "", count)

    @property
    def count(self) -> int:
        """How many problems this entry stands for."""
        return self.omitted or 1

    def __str__(self) -> str:
        if self.omitted:
            return (
                f"{self.file}: {self.omitted:,} more problem{'s' if self.omitted != 1 else ''}"
                f" not shown (the first {MAX_PROBLEMS_PER_FILE} of this file are)"
            )
        if self.file == OPTIONS:
            return f"command line: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def capped(problems: Iterable[Problem]) -> list[Problem]:
    """The problems sorted, at most ``MAX_PROBLEMS_PER_FILE`` listed per file and the rest
    of each file counted in one entry after its last."""
    listed: Counter[str] = Counter()
    more: Counter[str] = Counter()
    kept: list[Problem] = []
    for problem in sorted(set(problems)):
        if problem.omitted:
            more[problem.file] += problem.omitted
        elif listed[problem.file] < MAX_PROBLEMS_PER_FILE:
            listed[problem.file] += 1
            kept.append(problem)
        else:
            more[problem.file] += 1
    return sorted([*kept, *(Problem.more(file, count) for file, count in more.items())])


class InputError(Exception):
    """Raised with every problem found in the input (listed up to ``MAX_PROBLEMS_PER_FILE``
    per file, the rest counted); the CLI turns it into exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = capped(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def count(self) -> int:
        """How many problems were found, listed or counted."""
        return sum(problem.count for problem in self.problems)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing: a typo gets its fix.

    A dotted id is also found by its last part, so ``card`` suggests ``payment.card``."""
    pool = list(choices)
    guess = difflib.get_close_matches(name, pool, n=1)
    if not guess:
        by_leaf: dict[str, str] = {}
        for choice in pool:
            if "." in choice:
                by_leaf.setdefault(choice.rsplit(".", 1)[1], choice)
        leaf = difflib.get_close_matches(name.rsplit(".", 1)[-1], list(by_leaf), n=1)
        guess = [by_leaf[leaf[0]]] if leaf else []
    if not guess:
        folded = {choice.casefold(): choice for choice in pool}
        guess = [folded[name.casefold()]] if name.casefold() in folded else []
    return f" (did you mean '{guess[0]}'?)" if guess else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``2 files``, ``6,936 checks``: a count with its noun in the right number
    (and a thousands separator, as every report prints counts)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
