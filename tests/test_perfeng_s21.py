"""The onward rule's search made cheaper without changing what it finds (perfeng-s21): the
bad hops' search answers the assumed conditions' question from its own forward pass, where
it covers them, exactly as their own search does."""

from __future__ import annotations

import runpy
from collections.abc import Collection, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from flowaudit.cli import cli
from flowaudit.model.paths import ChainSearch, Reaching
from flowaudit.model.schema import Flow
from tests.helpers import examples
from tests.test_chain_search import _flow, maps

ROOT = Path(__file__).resolve().parents[1]


@settings(max_examples=examples(300), deadline=None)
@given(maps(), st.data())
def test_reaching_answers_the_groups_it_covers_as_their_own_search(
    drawn: tuple[list[Flow], list[Flow], set[str], int], data: st.DataObject
) -> None:
    """Where the search ``covers`` the groups, ``reaching(..., groups)`` names for each group
    the starts ``exposed_each`` names from a search built for the groups, and its own answer
    (every hop reached, its chain, categories and first starts, the exposed starts) is the
    answer without groups."""
    starts, followed, targets, hops = drawn
    ids = [flow.id for flow in followed]
    groups = data.draw(
        st.lists(st.sets(st.sampled_from(ids)) if ids else st.just(set()), max_size=4)
    )
    sample = data.draw(st.integers(0, 3))
    search = ChainSearch(followed, targets)
    union: set[str] = set().union(*groups)
    alone = ChainSearch(followed, targets).reaching(starts, hops, sample)
    if not search.covers(union):
        return
    found = search.reaching(starts, hops, sample, groups)
    assert found.reached == alone.reached
    assert found.exposed == alone.exposed
    assert list(found.groups) == ChainSearch(followed, union).exposed_each(starts, hops, groups)


def test_covers_is_false_for_a_flow_no_flow_of_interest_is_reached_from() -> None:
    """A group whose flow leaves a node from which no flow of interest can be reached is not
    covered (its own search follows nodes the bad hops' does not); one whose flows leave
    nodes that reach a flow of interest, or that are no link of the search, is."""
    followed = [
        _flow("a-x", "a", "x", ["contact"]),
        _flow("x-bad", "x", "y", ["contact"]),
        _flow("b-z", "b", "z", ["contact"]),
    ]
    search = ChainSearch(followed, {"x-bad"})
    assert search.covers({"a-x", "x-bad"})
    assert search.covers({"not-a-link"})
    assert not search.covers({"b-z"})
    assert not search.covers({"a-x", "b-z"})


def test_reaching_with_groups_names_the_starts_of_each() -> None:
    """Two starts, a chain a -> x -> y whose last hop is bad and a condition's hop on the
    first link: both starts into ``a`` reach both; the start into ``x`` reaches the bad hop
    only; a start into a node that reaches neither is in no answer."""
    followed = [
        _flow("a-x", "a", "x", ["contact"]),
        _flow("x-bad", "x", "y", ["contact"]),
        _flow("c-a", "c", "a", ["health"]),
    ]
    starts = [
        _flow("s0", "org", "a", ["contact"]),
        _flow("s1", "org", "x", ["contact.email"]),
        _flow("s2", "org", "c", ["health"]),
    ]
    search = ChainSearch(followed, {"x-bad"})
    assert search.covers({"a-x"})
    found = search.reaching(starts, 3, 5, [{"a-x"}, {"x-bad"}])
    assert found.exposed == frozenset({0, 1})
    assert found.groups == (frozenset({0}), frozenset({0, 1}))
    assert [flow.id for flow in found.reached["x-bad"].first] == ["s0", "s1"]
    assert found.reached["x-bad"].carried == ("contact", "contact.email")


def test_a_dense_map_answers_its_assumed_conditions_from_the_bad_hops_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench's dense shape (3,000 flows: every node reaches a bad hop, and hops pass on
    an adequacy the map cannot show) takes the shared pass, and its whole JSON output is the
    output with the second pass forced (``covers`` answering False)."""
    generate = runpy.run_path(str(ROOT / "bench" / "generate.py"))
    path = tmp_path / "dense.json"
    path.write_text(generate["to_json"](generate["build_dense"](3000)), encoding="utf-8")
    asked: list[int] = []
    reaching = ChainSearch.reaching

    def counted(
        self: ChainSearch,
        starts: Sequence[Flow],
        hops: int,
        sample: int,
        groups: Sequence[Collection[str]] = (),
    ) -> Reaching:
        asked.append(len(groups))
        return reaching(self, starts, hops, sample, groups)

    monkeypatch.setattr(ChainSearch, "reaching", counted)
    args = ["check", str(path), "--as-of", "2026-11-25", "--format", "json"]
    shared = CliRunner().invoke(cli, args)
    assert asked and asked[0] > 0  # the assumed conditions were asked of the shared pass
    monkeypatch.setattr(ChainSearch, "covers", lambda self, flow_ids: False)
    asked.clear()
    apart = CliRunner().invoke(cli, args)
    assert asked == [0]
    assert shared.exit_code == apart.exit_code == 1
    assert shared.stdout_bytes == apart.stdout_bytes
    assert b'"assumed"' in shared.stdout_bytes
