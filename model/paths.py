"""Where data goes: the places a category or a data subject reaches, hop by hop.

This answers a DPO's "where must we erase this person's data?" and "does pupil data go
anywhere?", and gives checks the chains (A -> B -> C) they judge as a whole. It is pure model
code: it reads a MapIndex and knows nothing of findings or policies.

Two rules decide which links are followed:

- a **flow** is followed when it carries the data: its categories are related to the asked
  category in the dotted hierarchy (a flow of ``contact.email`` carries ``contact``; a flow
  declared with the parent ``contact`` may carry ``contact.email``), and it names the subject;
- an **owner** link goes from a system to the party that owns it (``through_owners``): what
  rests in Concero's CRM is held by Concero, so Concero's outbound flows can carry it on.

The search is a breadth-first search over those links: every node is visited once, so the
cost grows with nodes + flows (not with the number of simple paths, which explodes), cycles and
self-loops are harmless, and each node is reported with one shortest path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import Flow, System
from flowaudit.model.taxonomy import CategoryBits, related

Link = Literal["origin", "stored", "flow", "may", "owner"]
"""How data arrived at a hop:

- ``origin``: the first hop; a sender of the data that no followed link reaches;
- ``stored``: the first hop; a system whose declared categories/subjects hold the data;
- ``flow``: along the flow named in ``Hop.flow``;
- ``may``: along a flow that only may carry the data (its ``may_carry``), asked with ``may``;
- ``owner``: from a system to the party that owns it.
"""


@dataclass(frozen=True)
class Hop:
    """One place on a path: a party, system or the organisation, and how data got there."""

    node: str
    country: str
    link: Link
    flow: str | None = None


@dataclass(frozen=True)
class Path:
    """A shortest chain of hops from where data starts to one place it reaches.

    ``hops[0]`` is the start (link ``origin`` or ``stored``); ``len(path)`` counts the links
    followed, so A -> B -> C -> D is a path of length 3.
    """

    hops: tuple[Hop, ...]

    def __len__(self) -> int:
        return len(self.hops) - 1

    @property
    def origin(self) -> str:
        return self.hops[0].node

    @property
    def target(self) -> str:
        return self.hops[-1].node

    @property
    def country(self) -> str:
        """The country of the place reached."""
        return self.hops[-1].country

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country the data passes through, in order, without repeats."""
        return tuple(dict.fromkeys(hop.country for hop in self.hops))

    @property
    def flows(self) -> tuple[str, ...]:
        """The flow ids followed, in order (owner links are not flows)."""
        return tuple(hop.flow for hop in self.hops if hop.flow is not None)


def flow_carries(flow: Flow, category: str | None = None, subject: str | None = None) -> bool:
    """Whether a flow carries the category (hierarchically) and the subject; None matches all."""
    if category is not None and not any(related(category, c) for c in flow.categories):
        return False
    return subject is None or subject in flow.subjects


def flow_may_carry(flow: Flow, category: str | None = None, subject: str | None = None) -> bool:
    """Whether a flow's ``may_carry`` (what it may carry without being meant to) holds the
    category and subject, counting what it carries for the part not asked as may-carry."""
    may = flow.may_carry
    if may is None:
        return False
    categories = [*flow.categories, *may.categories]
    subjects = [*flow.subjects, *may.subjects]
    if category is not None and not any(related(category, c) for c in categories):
        return False
    return subject is None or subject in subjects


def system_holds(system: System, category: str | None = None, subject: str | None = None) -> bool:
    """Whether a system declares that it holds the category (hierarchically) and the subject."""
    if category is not None and not any(related(category, c) for c in system.categories):
        return False
    return subject is None or subject in system.subjects


def carrying(
    index: MapIndex, category: str | None = None, subject: str | None = None, *, may: bool = False
) -> list[Flow]:
    """The flows that carry the data (``flow_carries``; with ``may``, also those that only may
    carry it), in map order: the links ``reach`` follows and what a diagram's category or
    subject view draws."""
    return [
        flow
        for flow in index.data.flows
        if flow_carries(flow, category, subject)
        or (may and flow_may_carry(flow, category, subject))
    ]


def reach(
    index: MapIndex,
    category: str | None = None,
    subject: str | None = None,
    *,
    origins: Iterable[str] | None = None,
    through_owners: bool = True,
    where: Callable[[Flow], bool] | None = None,
    may: bool = False,
) -> list[Path]:
    """Every node the data reaches, each with one shortest path, ordered by length then id.

    ``category``/``subject`` select the flows followed (see ``flow_carries``; None matches
    everything; with ``may``, also flows that only may carry it); ``where`` narrows them
    further (e.g. a check keeping only outbound flows). With ``origins`` the search starts
    there only (each origin is reported as a path of length 0). Without, it starts from where
    the data enters the map: senders of the data that no followed link reaches, then any place
    still unreached that sends it or declares it (a cycle with no way in, a store that declares
    the data), smallest id first.
    """
    followed = [
        flow for flow in carrying(index, category, subject, may=may) if where is None or where(flow)
    ]

    successors: dict[str, list[tuple[str, Hop]]] = {}
    entered: set[str] = set()
    for flow in sorted(followed, key=lambda f: (f.source, f.target, f.id)):
        target = index.nodes[flow.target]
        link: Link = "flow" if flow_carries(flow, category, subject) else "may"
        successors.setdefault(flow.source, []).append(
            (target.id, Hop(target.id, target.country, link, flow.id))
        )
        if flow.source != flow.target:
            entered.add(flow.target)
    if through_owners:
        for system_id in sorted(index.systems):
            owner = index.nodes[index.systems[system_id].owner]
            successors.setdefault(system_id, []).append(
                (owner.id, Hop(owner.id, owner.country, "owner"))
            )
            entered.add(owner.id)

    parents: dict[str, tuple[str | None, Hop]] = {}
    order: list[str] = []

    def search(starts: list[tuple[str, Link]]) -> None:
        queue: deque[str] = deque()
        for node_id, link in starts:  # distinct and not yet visited, by construction
            parents[node_id] = (None, Hop(node_id, index.nodes[node_id].country, link))
            order.append(node_id)
            queue.append(node_id)
        while queue:
            current = queue.popleft()
            for next_id, hop in successors.get(current, ()):
                if next_id not in parents:
                    parents[next_id] = (current, hop)
                    order.append(next_id)
                    queue.append(next_id)

    if origins is not None:
        unknown = sorted(set(origins) - set(index.nodes))
        if unknown:
            raise KeyError(f"unknown origin(s): {', '.join(unknown)}")
        search([(node_id, "origin") for node_id in sorted(set(origins))])
    else:
        senders = sorted({flow.source for flow in followed})
        search([(node_id, "origin") for node_id in senders if node_id not in entered])
        stores = {s.id for s in index.data.systems if system_holds(s, category, subject)}
        for node_id in sorted(set(senders) | stores):
            if node_id not in parents:
                search([(node_id, "stored" if node_id in stores else "origin")])

    paths: list[Path] = []
    for node_id in order:
        hops: list[Hop] = []
        cursor: str | None = node_id
        while cursor is not None:
            parent, hop = parents[cursor]
            hops.append(hop)
            cursor = parent
        paths.append(Path(tuple(reversed(hops))))
    paths.sort(key=lambda p: (len(p), p.target))
    return paths


@dataclass(frozen=True)
class Chain:
    """A chain of flows from a start node to a flow of interest, and what it still carries."""

    flows: tuple[Flow, ...]
    carried: tuple[str, ...]


#: A search state: a node, the categories carried into it (a mask of the search's
#: ``CategoryBits``; a start's own list when it is not sorted and distinct) and the hops left.
_State = tuple[str, "int | tuple[str, ...]", int]
#: Per flow of interest reached: length, the mask carried on it, the first flow, next state.
_Entry = tuple[int, int, Flow, "_State | None"]
#: A link as every state entering its node reads it: the flow, its categories' mask, every
#: category at or under them, whether it is a flow of interest and whether a chain goes on.
_Link = tuple[Flow, int, int, bool, bool]
_FLOW_ID = attrgetter("id")


class SearchBudgetExceeded(Exception):
    """A chain search spent its budget: the map's chains carry so many distinct sets of
    categories that following each (the search's states) would take too long."""


class ChainSearch:
    """Which flows of interest a node's data reaches, hop by hop, the categories narrowing.

    Built once per map and question, shared by every start: the answer for a node, the
    categories it carries and the hops left is memoised, so a map where parties send to each
    other costs states (node, carried categories, hops left) times the flows of interest
    reached, not starts times the whole graph (the search per start it replaces was
    quadratic on dense maps). Only nodes from which some flow of interest can be reached at
    all (a reverse reachability, ignoring categories) are entered.

    ``followed`` are the links a chain may take (onward links: neither end the organisation's);
    ``targets`` the flows of interest among them. A flow carries on the taxonomy's
    ``overlap`` of what reaches it and what it offers (empty: the chain stops), computed on
    bit masks (``CategoryBits``): a dense map narrows tens of thousands of times. Each target
    is reported once per start with its shortest chain; ties go to the flow with the smallest
    id at the first differing hop.

    The states are sets of categories, so a map can make their number exponential (K
    categories, each layer of flows dropping a different one: 2^K carried sets). ``budget``
    bounds the work, counted as category comparisons (carried times offered, per flow
    followed from a new state); past it, ``SearchBudgetExceeded``. None: unbounded.
    """

    def __init__(
        self, followed: Iterable[Flow], targets: set[str], budget: int | None = None
    ) -> None:
        self._budget = budget
        self._targets = targets
        leaving: dict[str, list[Flow]] = {}
        entering: dict[str, list[str]] = {}
        target_sources: set[str] = set()
        for flow in sorted(followed, key=_FLOW_ID):
            leaving.setdefault(flow.source, []).append(flow)
            entering.setdefault(flow.target, []).append(flow.source)
            if flow.id in targets:
                target_sources.add(flow.source)
        # Nodes that can reach a flow of interest: a reverse search from their sources.
        useful = set(target_sources)
        stack = list(target_sources)
        while stack:
            for source in entering.get(stack.pop(), ()):
                if source not in useful:
                    useful.add(source)
                    stack.append(source)
        self._useful = useful
        self._flows = {node: flows for node, flows in leaving.items() if node in useful}
        self._bits = CategoryBits(
            category for flows in self._flows.values() for f in flows for category in f.categories
        )
        self._leaving = self._links()
        self._memo: dict[_State, dict[str, _Entry]] = {}

    def _links(self) -> dict[str, tuple[list[_Link], int, int, int]]:
        """Per node, each link with what every state entering it asks of it (read here once,
        not once per state: a dense map has thousands of states), and what following them
        all costs the budget: the categories they offer, the links offering none, the links.
        """
        bits, targets, useful = self._bits, self._targets, self._useful
        links: dict[str, tuple[list[_Link], int, int, int]] = {}
        for node, flows in self._flows.items():
            read: list[_Link] = []
            for flow in flows:
                offered = bits.mask(flow.categories)
                read.append(
                    (flow, offered, bits.below(offered), flow.id in targets, flow.target in useful)
                )
            offers = sum(len(flow.categories) for flow in flows)
            empty = sum(1 for flow in flows if not flow.categories)
            links[node] = (read, offers, empty, len(flows))
        return links

    def reachable(self, node: str) -> bool:
        """Whether any flow of interest can be reached from ``node`` (categories aside)."""
        return node in self._useful

    def chains(self, node: str, carried: tuple[str, ...], hops: int) -> list[Chain]:
        """The shortest chain (at most ``hops`` flows) from ``node`` to each flow of interest
        its data reaches, ordered by length then the flow ids along it."""
        if node not in self._useful or hops < 1:
            return []
        bits = self._bits
        if bits.add(carried):  # a category no link offers: what lies under each link grew
            self._leaving = self._links()
        mask = bits.mask(carried)
        # a start's list is a state of its own unless it reads as a narrowed set does
        start: _State = (node, mask if carried == bits.names(mask) else carried, hops)
        found = self._explore(start, mask, len(carried))
        chains = []
        for target_id in found:
            flows: list[Flow] = []
            state: _State | None = start
            carried_at = mask
            while state is not None:
                _, carried_at, via, state = self._memo[state][target_id]
                flows.append(via)
            chains.append(Chain(tuple(flows), bits.names(carried_at)))
        chains.sort(key=lambda c: (len(c.flows), [f.id for f in c.flows]))
        return chains

    def _explore(self, state: _State, carried: int, width: int) -> dict[str, _Entry]:
        """Per flow of interest reached from ``state`` (``carried``: its mask of ``width``
        categories): (length, carried on it, first flow, next state). Hops strictly
        decrease, so the recursion ends and needs no cycle guard; its depth is at most
        ``hops``."""
        memo = self._memo
        done = memo.get(state)
        if done is not None:
            return done
        found: dict[str, _Entry] = {}
        node, _, hops = state
        links = self._leaving.get(node)
        if links is not None:
            read, offers, empty, count = links
            if self._budget is not None:
                # every link's comparisons at once (max(1, carried x offered) each): the
                # budget runs out on the same start as when counted link by link
                self._budget -= width * offers + empty if width else count
                if self._budget < 0:
                    raise SearchBudgetExceeded
            below = self._bits.below(carried)
            for flow, offered, under_offered, of_interest, goes_on in read:
                narrowed = (carried & under_offered) | (offered & below)
                if not narrowed:
                    continue
                if of_interest:
                    entry = found.get(flow.id)
                    if entry is None or entry[0] > 1:
                        found[flow.id] = (1, narrowed, flow, None)
                if hops > 1 and goes_on:
                    after = (flow.target, narrowed, hops - 1)
                    reached = memo.get(after)  # most states are reached again: no call
                    if reached is None:
                        reached = self._explore(after, narrowed, narrowed.bit_count())
                    for target_id, (length, carried_at, _, _) in reached.items():
                        entry = found.get(target_id)
                        if entry is None or entry[0] > length + 1:
                            found[target_id] = (length + 1, carried_at, flow, after)
        memo[state] = found
        return found


class Reachability:
    """Where data goes in one map, asked once and shared: ``trace`` and the diagram's views ask
    which flows carry a category or subject and where it reaches (memoised per question), the
    onward rule asks for a ``ChainSearch`` whose categories narrow hop by hop with the
    taxonomy's one ``overlap``. Built once per audit, on the audit's facts."""

    def __init__(self, index: MapIndex) -> None:
        self._index = index
        self._carrying: dict[tuple[str | None, str | None, bool], list[Flow]] = {}
        self._reach: dict[tuple[str | None, str | None, bool, bool], list[Path]] = {}

    def carrying(
        self, category: str | None = None, subject: str | None = None, *, may: bool = False
    ) -> list[Flow]:
        """The flows that carry the data, in map order (see ``carrying``)."""
        key = (category, subject, may)
        found = self._carrying.get(key)
        if found is None:
            found = self._carrying[key] = carrying(self._index, category, subject, may=may)
        return found

    def reach(
        self,
        category: str | None = None,
        subject: str | None = None,
        *,
        through_owners: bool = True,
        may: bool = False,
    ) -> list[Path]:
        """Every node the data reaches from where it enters the map, each with one shortest
        path (see ``reach``)."""
        key = (category, subject, through_owners, may)
        found = self._reach.get(key)
        if found is None:
            found = self._reach[key] = reach(
                self._index, category, subject, through_owners=through_owners, may=may
            )
        return found

    def chains(
        self, followed: Iterable[Flow], targets: set[str], budget: int | None = None
    ) -> ChainSearch:
        """A search for the chains from any node to ``targets`` along ``followed``, the
        carried categories narrowing by the taxonomy's ``overlap`` (``budget``: see
        ``ChainSearch``)."""
        return ChainSearch(followed, targets, budget)
