"""The onward rule's chain search (model/paths.py ``ChainSearch.reaching``) against a brute
force that follows every walk with its whole set of categories: the same flows of interest,
the same categories reaching each, starts that are behind each (and whether more are) and
chains of the same (shortest) length, on random maps with cycles, hubs and a category hierarchy."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from flowaudit.model.paths import ChainSearch
from flowaudit.model.schema import Flow
from flowaudit.model.taxonomy import overlap
from tests.helpers import examples

NODES = ["a", "b", "c", "d", "e"]
CATEGORIES = ["contact", "contact.email", "contact.name", "billing", "billing.card"]


def _flow(flow_id: str, source: str, target: str, categories: list[str]) -> Flow:
    return Flow.model_construct(id=flow_id, source=source, target=target, categories=categories)


@st.composite
def maps(draw: st.DrawFn) -> tuple[list[Flow], list[Flow], set[str], int]:
    links = draw(
        st.lists(
            st.tuples(
                st.sampled_from(NODES),
                st.sampled_from(NODES),
                st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True),
            ),
            max_size=14,
        )
    )
    followed = [_flow(f"f{i:02d}", s, t, c) for i, (s, t, c) in enumerate(links)]
    starts = [
        _flow(f"s{i:02d}", "org", target, categories)
        for i, (target, categories) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(NODES),
                        st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True),
                    ),
                    min_size=1,
                    max_size=6,
                )
            )
        )
    ]
    targets = {f.id for f in followed if draw(st.booleans())}
    return starts, followed, targets, draw(st.integers(min_value=2, max_value=5))


def _brute_force(
    starts: list[Flow], followed: list[Flow], targets: set[str], hops: int
) -> dict[str, tuple[set[str], set[str], int]]:
    """Per flow of interest: the categories reaching it, the starts behind it, the length of
    the shortest chain (start included), following every walk of at most ``hops`` flows."""
    found: dict[str, tuple[set[str], set[str], int]] = {}
    for start in starts:
        walks = [(start.target, tuple(sorted(set(start.categories))), 1)]
        while walks:
            node, carried, length = walks.pop()
            if length >= hops:
                continue
            for flow in followed:
                if flow.source != node:
                    continue
                narrowed = overlap(carried, tuple(flow.categories))
                if not narrowed:
                    continue
                if flow.id in targets:
                    cats, behind, shortest = found.setdefault(flow.id, (set(), set(), hops + 1))
                    cats.update(narrowed)
                    behind.add(start.id)
                    found[flow.id] = (cats, behind, min(shortest, length + 1))
                walks.append((flow.target, narrowed, length + 1))
    return found


@settings(max_examples=examples(300), deadline=None)
@given(maps())
def test_the_search_finds_what_every_walk_finds(
    drawn: tuple[list[Flow], list[Flow], set[str], int],
) -> None:
    starts, followed, targets, hops = drawn
    expected = _brute_force(starts, followed, targets, hops)
    found = ChainSearch(followed, targets).reaching(starts, hops, sample=3)
    assert sorted(found.reached) == sorted(expected)
    for flow_id, reached in found.reached.items():
        categories, behind, shortest = expected[flow_id]
        assert set(reached.carried) == categories
        named = [s.id for s in reached.first]
        assert named == sorted(named) and set(named) <= behind
        assert len(named) == min(3, len(behind)) and reached.more == (len(behind) > 3)
        assert len(reached.chain) == shortest
        assert reached.chain[0] in starts and reached.chain[-1].id == flow_id
        assert all(a.target == b.source for a, b in itertools.pairwise(reached.chain))
    exposed = {s.id for p, s in enumerate(starts) if p in found.exposed}
    assert exposed == set().union(*(behind for _, behind, _ in expected.values()))


@settings(max_examples=examples(300), deadline=None)
@given(maps())
def test_exposed_alone_is_what_the_whole_search_exposes(
    drawn: tuple[list[Flow], list[Flow], set[str], int],
) -> None:
    """``ChainSearch.exposed`` (the onward rule's question for an assumed condition) answers
    as ``reaching(...).exposed`` and as every walk does, without carrying starts or chains."""
    starts, followed, targets, hops = drawn
    expected = _brute_force(starts, followed, targets, hops)
    alone = ChainSearch(followed, targets).exposed(starts, hops)
    assert alone == ChainSearch(followed, targets).reaching(starts, hops, sample=1).exposed
    named = {s.id for p, s in enumerate(starts) if p in alone}
    assert named == set().union(*(behind for _, behind, _ in expected.values()))


def test_the_hop_limit_holds_for_each_start() -> None:
    """One state reached by two starts at different hops: only the nearer one's data gets to
    the bad hop within the limit, and only it is counted."""
    followed = [_flow("ab", "a", "b", ["contact"]), _flow("bad", "b", "x", ["contact"])]
    far = _flow("s1", "org", "a", ["contact"])
    near = _flow("s2", "org", "b", ["contact"])
    two = ChainSearch(followed, {"bad"}).reaching([far, near], 2, sample=5)
    assert [([s.id for s in r.first], r.more) for r in two.reached.values()] == [(["s2"], False)]
    assert two.exposed == frozenset({1})
    three = ChainSearch(followed, {"bad"}).reaching([far, near], 3, sample=5)
    assert [([s.id for s in r.first], r.more) for r in three.reached.values()] == [
        (["s1", "s2"], False)
    ]
    one = ChainSearch(followed, {"bad"}).reaching([far, near], 3, sample=1)
    assert [([s.id for s in r.first], r.more) for r in one.reached.values()] == [(["s2"], True)]
    assert [f.id for f in three.reached["bad"].chain] == ["s2", "bad"]
    assert ChainSearch(followed, {"bad"}).exposed([far, near], 2) == frozenset({1})
    assert ChainSearch(followed, {"bad"}).exposed([far, near], 3) == frozenset({0, 1})
