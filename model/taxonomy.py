"""The data category and data subject taxonomy, and the one helper for its hierarchy.

Category ids are dotted (``contact.email``): a parent covers its children. Every question the
checks, the reports and ``trace`` ask of the hierarchy (does a rule's ``contact`` cover this
flow's ``contact.email``? are two categories related? what does a chain still carry after a
hop?) is answered here, once, so no two places can disagree on what "covers" means.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from flowaudit.model.schema import DataCategory, DataSubject, Purpose


def purpose_kinds(purposes: Iterable[Purpose]) -> dict[str, frozenset[str]]:
    """Per declared purpose, itself and every broader purpose it is a kind of through
    ``is_a``, at any depth (a kind of a kind of marketing is marketing: read one level deep,
    PECR's rules passed it unseen; attack review 2026-12-03j, 5). A cycle ends where it
    returns (the loader refuses one: :func:`is_a_cycle`)."""
    broader = {p.id: tuple(p.is_a) for p in purposes}
    kinds: dict[str, frozenset[str]] = {}
    for purpose, kinds_of in broader.items():
        seen = {purpose}
        stack = list(kinds_of)
        while stack:
            kind = stack.pop()
            if kind not in seen:
                seen.add(kind)
                stack.extend(broader.get(kind, ()))
        kinds[purpose] = frozenset(seen)
    return kinds


#: The longest chain of purposes ``is_a`` may make: real maps nest two or three deep, and a
#: chain of thousands made every purpose's closure (and the load) quadratic (attack review
#: 2026-12-03k, problem 3).
MAX_IS_A_DEPTH = 16


def is_a_cycle(purposes: Sequence[Purpose]) -> tuple[str, ...] | None:
    """A purpose that is a kind of itself through ``is_a`` (``a -> b -> a``), found by one
    depth-first walk (each purpose and each is_a entry visited once), else None: a cycle
    says nothing a reader or a rule can use."""
    broader = {p.id: tuple(p.is_a) for p in purposes}
    state: dict[str, bool] = {}  # True: on the walk's path; False: done
    for root, kinds in broader.items():
        if root in state:
            continue
        state[root] = True
        path = [root]
        walk = [iter(kinds)]
        while walk:
            for kind in walk[-1]:
                seen = state.get(kind)
                if seen:
                    return (*path[path.index(kind) :], kind)
                if seen is None and kind in broader:  # a law's purpose (marketing) ends
                    state[kind] = True
                    path.append(kind)
                    walk.append(iter(broader[kind]))
                    break
            else:
                state[path.pop()] = False
                walk.pop()
    return None


def is_a_too_deep(purposes: Sequence[Purpose]) -> tuple[str, int] | None:
    """The first purpose (map order) whose ``is_a`` chain is longer than MAX_IS_A_DEPTH, with
    its depth, else None. For a map without is_a cycles (``is_a_cycle`` first)."""
    broader = {p.id: tuple(p.is_a) for p in purposes}
    depth: dict[str, int] = {}
    for root in broader:
        stack = [root]
        while stack:
            node = stack[-1]
            pending = [k for k in broader[node] if k in broader and k not in depth]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            depth[node] = 1 + max((depth.get(k, 0) for k in broader[node]), default=0)
        if depth[root] > MAX_IS_A_DEPTH:
            return root, depth[root]
    return None


@functools.cache
def ancestors(category: str) -> frozenset[str]:
    """The category and every ancestor of it: ``a.b.c`` -> {a, a.b, a.b.c}."""
    parts = category.split(".")
    return frozenset(".".join(parts[:depth]) for depth in range(1, len(parts) + 1))


def covers(parent: str, category: str) -> bool:
    """Whether ``parent`` is ``category`` or an ancestor of it."""
    return category == parent or category.startswith(parent + ".")


def covered(category: str, covering: Iterable[str]) -> bool:
    """Whether ``category`` equals or descends from one of ``covering``: one of them is the
    category or an ancestor of it (a set test in C, not a string test per candidate)."""
    return not ancestors(category).isdisjoint(covering)


def related(first: str, second: str) -> bool:
    """Whether two categories are the same, or one is an ancestor of the other."""
    return covers(first, second) or covers(second, first)


def overlap(carried: tuple[str, ...], offered: tuple[str, ...]) -> tuple[str, ...]:
    """What a flow offering ``offered`` carries on of ``carried``: of each related pair, the
    more specific one (sorted; empty when nothing is related, and a chain stops there)."""
    found: set[str] = set()
    for c in carried:
        within = ancestors(c)
        for o in offered:
            if o in within:
                found.add(c)  # o is c or an ancestor of it
            elif c in ancestors(o):
                found.add(o)
    return tuple(sorted(found))


class Related(NamedTuple):
    """A carried category related to one of a kind of data (special category, sensitive):
    ``includes`` is empty when the category is such data (one of them, or under one), else
    the ones under it that it includes (it may carry such data: a risk, not a fact)."""

    category: str
    includes: tuple[str, ...]


def relation(category: str, targets: Collection[str]) -> tuple[str, ...] | None:
    """How ``category`` relates to ``targets``: ``()`` when it is one of them or under one,
    the sorted targets under it when it is above some, None when unrelated. The one definition
    of "carries special-category (or sensitive) data" every check that asks reads."""
    if covered(category, targets):
        return ()
    under = tuple(sorted(t for t in targets if covers(category, t)))
    return under or None


def related_to(carried: Iterable[str], targets: Collection[str]) -> list[Related]:
    """The categories of ``carried`` related to ``targets`` (``relation``), in order."""
    found = []
    for category in carried:
        includes = relation(category, targets)
        if includes is not None:
            found.append(Related(category, includes))
    return found


class CategoryBits:
    """The hierarchy as bit masks over a growing set of categories, for a search that narrows
    category sets tens of thousands of times (the onward chains): ``overlap`` of two masks is
    two ANDs and an OR, not a loop over pairs of names. Defined from ``ancestors``, so it
    answers as ``overlap`` does (a test holds the two equal).

    A category's bit never changes once given; a category seen later gets the next bit."""

    def __init__(self, categories: Iterable[str] = ()) -> None:
        self._bit: dict[str, int] = {}
        self._names: list[str] = []
        #: per category: its bit, and the bits of every known category it is an ancestor of
        #: or equal to (its descendants)
        self._below: dict[str, int] = {}
        self._above: dict[str, int] = {}
        self._below_masks: dict[int, int] = {}
        self._tuples: dict[int, tuple[str, ...]] = {0: ()}
        self.add(categories)

    def add(self, categories: Iterable[str]) -> bool:
        """Give the categories not known yet their bits; whether any was new (what
        ``below`` answered before then may have grown)."""
        new = [c for c in dict.fromkeys(categories) if c not in self._bit]
        if not new:
            return False
        for category in sorted(new):
            self._bit[category] = 1 << len(self._names)
            self._names.append(category)
        below = dict.fromkeys(self._names, 0)
        above = dict.fromkeys(self._names, 0)
        for category, bit in self._bit.items():
            for ancestor in ancestors(category):
                if ancestor in below:
                    below[ancestor] |= bit
                    above[category] |= self._bit[ancestor]
        self._below = below
        self._above = above
        self._below_masks.clear()
        return True

    def mask(self, categories: Iterable[str]) -> int:
        """The mask of known categories (``add`` them first)."""
        bit = self._bit
        mask = 0
        for category in categories:
            mask |= bit[category]
        return mask

    def below(self, mask: int) -> int:
        """Every known category equal to or under one of ``mask``'s."""
        found = self._below_masks.get(mask)
        if found is None:
            found = 0
            below, names = self._below, self._names
            rest = mask
            while rest:
                low = rest & -rest
                found |= below[names[low.bit_length() - 1]]
                rest ^= low
            self._below_masks[mask] = found
        return found

    def above(self, mask: int) -> int:
        """Every known category equal to or over one of ``mask``'s (its ancestors)."""
        found = 0
        above, names = self._above, self._names
        while mask:
            low = mask & -mask
            found |= above[names[low.bit_length() - 1]]
            mask ^= low
        return found

    def overlap(self, carried: int, offered: int) -> int:
        """``overlap`` of two masks: of each related pair, the more specific category."""
        return (carried & self.below(offered)) | (offered & self.below(carried))

    def names(self, mask: int) -> tuple[str, ...]:
        """The categories of ``mask``, sorted (as ``overlap`` returns them)."""
        found = self._tuples.get(mask)
        if found is None:
            names = self._names
            found = tuple(sorted(names[i] for i in range(mask.bit_length()) if mask >> i & 1))
            self._tuples[mask] = found
        return found


class Taxonomy:
    """The map's declared categories and subjects, by id, with the hierarchy questions."""

    def __init__(
        self, categories: dict[str, DataCategory], subjects: dict[str, DataSubject]
    ) -> None:
        self.categories = categories
        self.subjects = subjects

    covers = staticmethod(covers)
    covered = staticmethod(covered)
    related = staticmethod(related)
    ancestors = staticmethod(ancestors)
    overlap = staticmethod(overlap)
    relation = staticmethod(relation)
    related_to = staticmethod(related_to)

    def descendants(self, category: str) -> list[str]:
        """The declared categories ``category`` covers (itself included when declared)."""
        return [c for c in self.categories if covers(category, c)]

    def declares_under(self, category: str) -> bool:
        """Whether the map declares ``category`` or anything under it (a rule naming it can
        see something)."""
        return any(covers(category, c) for c in self.categories)

    def subject_keys(self, subjects: Sequence[str]) -> list[str]:
        """Subject ids and their shared-vocabulary keys (fides_key): a rule may name either."""
        keys = [self.subjects[s].fides_key for s in subjects if s in self.subjects]
        return [*subjects, *(k for k in keys if k)]

    def known_subjects(self) -> set[str]:
        """Every name a rule may use for a declared subject: its id or its fides_key."""
        return set(self.subjects) | {s.fides_key for s in self.subjects.values() if s.fides_key}
