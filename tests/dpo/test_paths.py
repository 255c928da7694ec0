"""model/paths.py: reach() on a chain with a cycle, a self-loop, a parent category and
flows that must not be followed."""

from __future__ import annotations

import gc
import pathlib
import tracemalloc

import pytest

from flowaudit.model.graph import MapIndex
from flowaudit.model.loader import load_map, shipped_map_dir
from flowaudit.model.paths import Hop, Path, reach
from flowaudit.model.taxonomy import related as categories_related
from tests.helpers import BASE, FIXTURES, write_line_of_parties

CHAIN = FIXTURES / "dpo" / "chain.yaml"


def chain_index() -> MapIndex:
    loaded = load_map([BASE, CHAIN])
    return MapIndex(loaded.data, loaded.organisation)


def shape(paths: list[Path]) -> dict[str, list[tuple[str, str, str | None]]]:
    """target -> [(node, link, flow), ...] for exact comparisons."""
    return {p.target: [(h.node, h.link, h.flow) for h in p.hops] for p in paths}


def test_categories_are_related_up_and_down_the_hierarchy_only() -> None:
    assert categories_related("contact.email", "contact")
    assert categories_related("contact", "contact.email")
    assert categories_related("contact", "contact")
    assert not categories_related("contact.email", "contact.name")
    assert not categories_related("contact", "contactless")


def test_three_hop_path_following_flows_only() -> None:
    paths = reach(chain_index(), "contact.email", through_owners=False)
    by_target = {p.target: p for p in paths}
    vendor = by_target["in-vendor"]
    assert len(vendor) == 3
    assert vendor.hops == (
        Hop("acme", "GB", "origin"),
        Hop("uk-proc", "GB", "flow", "to-proc"),
        Hop("de-host", "DE", "flow", "proc-to-de"),
        Hop("in-vendor", "IN", "flow", "de-to-in"),
    )
    assert vendor.countries == ("GB", "DE", "IN")
    assert vendor.flows == ("to-proc", "proc-to-de", "de-to-in")
    assert vendor.origin == "acme"
    assert vendor.country == "IN"
    # the sibling contact.name, payment and pupils' flows are not followed
    assert [(p.target, len(p)) for p in paths] == [
        ("acme", 0),
        ("uk-ctrl", 0),
        ("acme-db", 1),
        ("uk-proc", 1),
        ("de-host", 2),
        ("in-vendor", 3),
    ]


def test_owner_links_carry_data_from_a_store_to_its_owner() -> None:
    paths = shape(reach(chain_index(), "contact.email"))
    assert paths["in-vendor"] == [
        ("uk-ctrl", "origin", None),
        ("acme-db", "flow", "collect"),
        ("acme", "owner", None),
        ("uk-proc", "flow", "to-proc"),
        ("de-host", "flow", "proc-to-de"),
        ("in-vendor", "flow", "de-to-in"),
    ]
    assert sorted(paths) == ["acme", "acme-db", "de-host", "in-vendor", "uk-ctrl", "uk-proc"]


def test_parent_category_follows_every_child_flow() -> None:
    targets = {p.target for p in reach(chain_index(), "contact", through_owners=False)}
    assert targets == {"acme", "uk-ctrl", "acme-db", "uk-proc", "de-host", "in-vendor", "us-listed"}


def test_subject_and_category_combine() -> None:
    assert shape(reach(chain_index(), subject="pupils")) == {
        "uk-ctrl": [("uk-ctrl", "origin", None)],
        "acme": [("uk-ctrl", "origin", None), ("acme", "flow", "pupil-names")],
    }
    assert reach(chain_index(), "payment", "pupils") == []


def test_explicit_origins_and_a_where_filter() -> None:
    index = chain_index()
    paths = reach(index, "contact.email", origins=["de-host"], through_owners=False)
    assert shape(paths) == {
        "de-host": [("de-host", "origin", None)],
        "in-vendor": [("de-host", "origin", None), ("in-vendor", "flow", "de-to-in")],
        "uk-proc": [
            ("de-host", "origin", None),
            ("in-vendor", "flow", "de-to-in"),
            ("uk-proc", "flow", "in-back"),
        ],
    }
    no_india = reach(
        index, "contact.email", origins=["acme"], where=lambda f: f.target != "in-vendor"
    )
    assert {p.target for p in no_india} == {"acme", "uk-proc", "de-host"}
    with pytest.raises(KeyError, match="nowhere"):
        reach(index, "contact.email", origins=["nowhere"])


def test_a_cycle_with_no_way_in_still_starts_somewhere() -> None:
    # follow only the loop uk-proc -> de-host -> in-vendor -> uk-proc: no sender is un-entered
    loop = {"proc-to-de", "de-to-in", "in-back"}
    paths = reach(
        chain_index(), "contact.email", where=lambda f: f.id in loop, through_owners=False
    )
    assert [(p.origin, p.target, len(p)) for p in paths] == [
        ("de-host", "de-host", 0),
        ("de-host", "in-vendor", 1),
        ("de-host", "uk-proc", 2),
    ]
    # a flow brings the data to de-host (in-vendor's, round the cycle): not an origin
    assert paths[0].hops == (Hop("de-host", "DE", "cycle"),)


CYCLE = FIXTURES / "dpo" / "cycle.yaml"


def test_a_cycle_through_the_organisations_store_starts_at_the_organisation() -> None:
    """Auditor review 2026-12-03g, problem 8: the organisation sends the data to a body whose
    id sorts first, which files it back in the organisation's store. Every place is entered,
    so the search fell back to the smallest id and called the body a place that "no flow of
    the map brings it here" (the organisation's own flow does), never showing the hop to it.
    The start is now the organisation, which no flow brings the data to."""
    loaded = load_map([BASE, CYCLE])
    paths = shape(reach(MapIndex(loaded.data, loaded.organisation), "recording"))
    assert paths == {
        "acme": [("acme", "origin", None)],
        "abacus": [("acme", "origin", None), ("abacus", "flow", "to-checks")],
        "recordings": [
            ("acme", "origin", None),
            ("abacus", "flow", "to-checks"),
            ("recordings", "flow", "checks-back"),
        ],
    }


def test_a_cycle_nothing_feeds_starts_at_its_first_sender_marked_cycle() -> None:
    """Auditor review 2026-12-03g, problem 8: data that only goes round a cycle starts at the
    cycle's first sender by id, marked ``cycle``, not ``origin`` (a flow does bring it)."""
    loaded = load_map([BASE, CYCLE])
    paths = shape(reach(MapIndex(loaded.data, loaded.organisation), "payment"))
    assert paths == {
        "abacus": [("abacus", "cycle", None)],
        "uk-proc": [("abacus", "cycle", None), ("uk-proc", "flow", "pay-out")],
    }


def test_stores_declaring_the_data_are_reported_as_stored() -> None:
    loaded = load_map([shipped_map_dir()])
    index = MapIndex(loaded.data, loaded.organisation)
    paths = {p.target: p for p in reach(index, "contact.email")}
    assert paths["billing"].hops == (Hop("billing", "GB", "stored"),)
    assert [h.node for h in paths["zendesk"].hops] == [
        "customer-schools",
        "crm",
        "concero",
        "helpdesk",
        "zendesk",
    ]
    assert paths["zendesk"].countries == ("GB", "US")


def test_reach_is_deterministic_and_linear_on_a_big_map() -> None:
    from flowaudit.model.schema import DataMap
    from tests.synthetic import synthetic_map

    data = DataMap.model_validate(synthetic_map(1000, 3000, seed=3))
    assert data.organisation is not None
    index = MapIndex(data, data.organisation)
    first = reach(index, "contact.email")
    assert first == reach(index, "contact.email")
    assert len({p.target for p in first}) == len(first)


def line_of_parties(folder: pathlib.Path, count: int) -> MapIndex:
    loaded = load_map([BASE, write_line_of_parties(folder, count)])
    return MapIndex(loaded.data, loaded.organisation)


def test_paths_share_their_prefixes_on_a_chain(tmp_path: pathlib.Path) -> None:
    """Attack review 2026-12-03k, problem 2: each place's path was a tuple of every hop from
    the start, N(N+1)/2 hops for a chain of N (4.6 GB of JSON trace for 4,000 parties). Each
    path is now its last hop and the path before it, the very object reach returns for that
    place, so a chain of N holds N paths of one hop each."""
    paths = reach(line_of_parties(tmp_path, 40), "contact.email", through_owners=False)
    by_target = {p.target: p for p in paths}
    assert [p.target for p in paths] == ["acme", *(f"p{i}" for i in range(40))]
    assert by_target["acme"].before is None
    for i in range(40):
        path = by_target[f"p{i}"]
        assert path.before is by_target["acme" if i == 0 else f"p{i - 1}"]
        assert path.last == Hop(f"p{i}", "GB", "flow", f"f{i}")
    last = by_target["p39"]
    assert len(last) == 40
    assert last.hops == (
        Hop("acme", "GB", "origin"),
        *(Hop(f"p{i}", "GB", "flow", f"f{i}") for i in range(40)),
    )
    assert last.tail(2) == (
        Hop("p37", "GB", "flow", "f37"),
        Hop("p38", "GB", "flow", "f38"),
        Hop("p39", "GB", "flow", "f39"),
    )
    assert by_target["p0"].tail(5) == (Hop("acme", "GB", "origin"), Hop("p0", "GB", "flow", "f0"))
    assert last.start == Hop("acme", "GB", "origin")
    assert last == Path.of(last.hops) and last != by_target["p38"]


def test_reach_memory_grows_with_the_chain_not_its_square(tmp_path: pathlib.Path) -> None:
    """Attack review 2026-12-03k, problem 2: the memory reach's answer holds, measured by the
    allocations still live once it returns (not by time). Four times the chain holds about four
    times as much; the hop tuples per place held sixteen times as much (quadratic)."""

    def held(count: int) -> int:
        index = line_of_parties(tmp_path, count)
        gc.collect()
        tracemalloc.start()
        try:
            found = reach(index, "contact.email", through_owners=False)
            size, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(found) == count + 1
        return size

    small, large = held(300), held(1200)
    assert large < 6 * small, (small, large)


def _own_store_map(tmp_path: pathlib.Path, store: str) -> MapIndex:
    """The base organisation 'acme' with an own store abroad, ``store``, that declares the
    contact emails it sends there, a second own store declaring them that nothing sends to,
    and a flow out to a processor."""
    extra = tmp_path / f"{store}.yaml"
    extra.write_text(
        "systems:\n"
        f"  - {{id: {store}, name: Branch files, owner: acme, country: IE,"
        " categories: [contact.email]}\n"
        "  - {id: archive, name: Old archive, owner: acme, country: GB,"
        " categories: [contact.email]}\n"
        "flows:\n"
        f"  - {{id: to-branch, from: acme, to: {store}, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n"
        "  - {id: to-proc, from: acme, to: uk-proc, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    loaded = load_map([BASE, extra])
    return MapIndex(loaded.data, loaded.organisation)


@pytest.mark.parametrize("store", ["aa-branch", "zz-branch"])
def test_the_organisation_is_the_origin_whatever_its_stores_ids(
    tmp_path: pathlib.Path, store: str
) -> None:
    """Auditor review 2026-12-03o, problem 2: an own store whose id sorted before the
    organisation's ('belfast-office' before 'ceol') became the origin of everything the
    organisation sent, reaching it "(held by)", even the flow into the store itself; with the
    id sorting after, the organisation was the origin. The organisation, which sends the data
    and which no flow brings it to, is now the origin with either id; its store reached by
    the flow into it; a store declaring the data that nothing sends to is "stored"."""
    paths = shape(reach(_own_store_map(tmp_path, store), "contact.email"))
    assert paths == {
        "acme": [("acme", "origin", None)],
        store: [("acme", "origin", None), (store, "flow", "to-branch")],
        "uk-proc": [("acme", "origin", None), ("uk-proc", "flow", "to-proc")],
        "archive": [("archive", "stored", None)],
    }


def _return_flow_map(tmp_path: pathlib.Path, register: str) -> pathlib.Path:
    """The base organisation 'acme' with two own stores (``register``, fed by a flow, and
    'records'), a flow out to a laboratory ('uk-proc') and the laboratory's results coming
    back: the organisation is entered by a flow, every place by something."""
    extra = tmp_path / f"{register}.yaml"
    extra.write_text(
        "systems:\n"
        f"  - {{id: {register}, name: Consent register, owner: acme, country: GB,"
        " categories: [contact.email]}\n"
        "  - {id: records, name: Records, owner: acme, country: GB,"
        " categories: [contact.email]}\n"
        "flows:\n"
        f"  - {{id: record-consents, from: acme, to: {register}, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n"
        "  - {id: record-staff, from: acme, to: records, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n"
        "  - {id: lab-orders, from: acme, to: uk-proc, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n"
        "  - {id: lab-results, from: uk-proc, to: acme, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    return extra


@pytest.mark.parametrize("register", ["aa-consents", "zz-consents"])
def test_a_return_flow_leaves_the_organisation_the_origin_of_what_it_sends(
    tmp_path: pathlib.Path, register: str
) -> None:
    """Auditor review 2026-12-03p, problem 3: with a flow bringing the data back to the
    organisation (a lab returning results), the organisation was no origin, and the first
    store declaring the data by id ('consent-register'; 'patient-records' once renamed
    'zz-…') started everything the organisation sent, though a flow reaches that store. The
    organisation is now the start with either id (``returned``), each store reached by its
    flow, and the trace says why."""
    extra = _return_flow_map(tmp_path, register)
    loaded = load_map([BASE, extra])
    paths = shape(reach(MapIndex(loaded.data, loaded.organisation), "contact.email"))
    assert paths == {
        "acme": [("acme", "returned", None)],
        register: [("acme", "returned", None), (register, "flow", "record-consents")],
        "records": [("acme", "returned", None), ("records", "flow", "record-staff")],
        "uk-proc": [("acme", "returned", None), ("uk-proc", "flow", "lab-orders")],
    }
    from tests.helpers import run

    result = run(["trace", "contact.email", str(BASE), str(extra)])
    assert result.exit_code == 0
    assert (
        "GB  acme: Acme Ltd (organisation)\n"
        "    starts here: the organisation sends it; flows bring it back here only from places"
        " that its own flows feed\n"
    ) in result.stdout
    assert f"    acme (GB) -[record-consents]-> {register} (GB)\n" in result.stdout
    assert "stored here" not in result.stdout
