"""The engine made cheaper without changing what it finds (perf-engine-s19): each saving
answers exactly as the work it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flowaudit.model.paths import ChainSearch
from flowaudit.model.schema import Flow
from tests.helpers import examples
from tests.test_chain_search import _flow, maps


@settings(max_examples=examples(300), deadline=None)
@given(maps(), st.data())
def test_one_pass_for_several_groups_answers_as_a_search_per_group(
    drawn: tuple[list[Flow], list[Flow], set[str], int], data: st.DataObject
) -> None:
    """``ChainSearch.exposed_each`` (the onward rule's assumed conditions, one forward pass
    for all of them) names, for each group of flows of interest, the starts a search built
    for that group alone names, though its pass follows the nodes of every group."""
    starts, followed, _, hops = drawn
    ids = [flow.id for flow in followed]
    groups = data.draw(
        st.lists(st.sets(st.sampled_from(ids)) if ids else st.just(set()), max_size=4)
    )
    union: set[str] = set().union(*groups)
    together = ChainSearch(followed, union).exposed_each(starts, hops, groups)
    assert together == [ChainSearch(followed, group).exposed(starts, hops) for group in groups]


def test_a_group_is_not_exposed_by_another_groups_nodes() -> None:
    """Two groups on two branches: the start into the branch of the second group is exposed
    for it alone, the start into the first branch for the first alone, and a group whose
    flow lies beyond the hop limit exposes nothing."""
    followed = [
        _flow("a-x", "a", "x", ["contact"]),
        _flow("b-y", "b", "y", ["contact"]),
        _flow("y-z", "y", "z", ["contact"]),
    ]
    starts = [
        _flow("s0", "org", "a", ["contact"]),
        _flow("s1", "org", "b", ["contact.email"]),
    ]
    search = ChainSearch(followed, {"a-x", "b-y", "y-z"})
    found = search.exposed_each(starts, 2, [{"a-x"}, {"b-y"}, {"y-z"}])
    assert found == [frozenset({0}), frozenset({1}), frozenset()]
    assert search.exposed_each(starts, 3, [{"y-z"}]) == [frozenset({1})]
