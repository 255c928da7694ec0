"""Input problems: what is wrong with a map or policy file, located at file:line:col.

A loader collects every problem it can find and raises them together, so a person fixes
a file in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, order=True)
class Problem:
    """One input problem, printed as ``file:line:col: message``."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in the input; the CLI turns it into exit code 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


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
