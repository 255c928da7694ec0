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
self-loops are harmless, and each node is reported with one shortest path. The paths share
their prefixes (a path is its last hop and the path before it), so what the search returns
grows with nodes + flows too, not with the sum of the paths' lengths (quadratic on a chain).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Literal

from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import Flow, System
from flowaudit.model.taxonomy import CategoryBits, related

Link = Literal["origin", "returned", "stored", "cycle", "flow", "may", "owner"]
"""How data arrived at a hop:

- ``origin``: the first hop; a sender of the data that no followed flow reaches (at most
  the owner link of a store nothing else reaches);
- ``returned``: the first hop; the organisation, which sends the data, where flows bring it
  back only from places no outside sender feeds (a lab returning results): the data it sends
  starts there, not at one of its stores;
- ``stored``: the first hop; a system whose declared categories/subjects hold the data;
- ``cycle``: the first hop; a sender that followed flows do reach, but only round a cycle
  of flows that nothing else in the map feeds (the trace has to start it somewhere: the
  first such sender by id);
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


class Path:
    """A shortest chain of hops from where data starts to one place it reaches.

    ``hops[0]`` is the start (link ``origin``, ``stored`` or ``cycle``); ``len(path)`` counts
    the links followed, so A -> B -> C -> D is a path of length 3.

    A path keeps its last hop and the path before it (``before``), shared with the path to
    that place: ``reach`` returns every place's path, and a chain of N places has paths of
    N(N+1)/2 hops in all, which held as tuples took 4.6 GB for 4,000 places (attack review
    2026-12-03k, problem 2). ``hops`` rebuilds the tuple on demand, in the path's length.
    """

    __slots__ = ("_length", "_may", "_start", "before", "last")

    def __init__(self, last: Hop, before: Path | None = None) -> None:
        self.last: Hop = last
        self.before: Path | None = before
        self._length: int = 0 if before is None else before._length + 1
        self._start: Hop = last if before is None else before._start
        self._may: bool = last.link == "may" or (before is not None and before._may)

    @classmethod
    def of(cls, hops: Sequence[Hop]) -> Path:
        """The path through ``hops``, the start first."""
        path: Path | None = None
        for hop in hops:
            path = cls(hop, path)
        if path is None:
            raise ValueError("a path has at least one hop")
        return path

    @property
    def hops(self) -> tuple[Hop, ...]:
        return self.tail(self._length)

    def tail(self, links: int) -> tuple[Hop, ...]:
        """The last ``links`` links of the path: its last ``links + 1`` hops (all of them when
        the path is no longer), the first being the place they start from."""
        hops: list[Hop] = []
        cursor: Path | None = self
        while cursor is not None and len(hops) <= links:
            hops.append(cursor.last)
            cursor = cursor.before
        hops.reverse()
        return tuple(hops)

    def __len__(self) -> int:
        return self._length

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return self._length == other._length and self.hops == other.hops

    def __hash__(self) -> int:
        return hash(self.hops)

    def __repr__(self) -> str:
        return f"Path({self.hops!r})"

    @property
    def start(self) -> Hop:
        """The first hop: where the data starts and why (its link)."""
        return self._start

    @property
    def origin(self) -> str:
        return self._start.node

    @property
    def target(self) -> str:
        return self.last.node

    @property
    def country(self) -> str:
        """The country of the place reached."""
        return self.last.country

    @property
    def may(self) -> bool:
        """Whether a link of the path is a flow that only may carry the data."""
        return self._may

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
    the data enters the map: senders of the data that no followed link reaches; then every
    sender still unreached with no followed flow into it (an organisation its own stores'
    owner links enter: the data starts there, whatever the ids' order); then the organisation
    if it sends the data and is unreached (``returned``: flows bring it back only round places
    nothing else feeds); then, smallest id first, any store still unreached that declares it
    and that no followed flow reaches; then
    any sender still unreached, which only a cycle of flows with no way in brings the data to
    (``cycle``: such a sender was once said to be one "no flow of the map brings it here",
    and started before the sender that feeds the cycle; auditor review 2026-12-03g,
    problem 8).
    """
    followed = [
        flow for flow in carrying(index, category, subject, may=may) if where is None or where(flow)
    ]

    successors: dict[str, list[tuple[str, Hop]]] = {}
    entered: set[str] = set()
    flowed_into: set[str] = set()  # the places a followed flow from another place reaches
    for flow in sorted(followed, key=lambda f: (f.source, f.target, f.id)):
        target = index.nodes[flow.target]
        link: Link = "flow" if flow_carries(flow, category, subject) else "may"
        successors.setdefault(flow.source, []).append(
            (target.id, Hop(target.id, target.country, link, flow.id))
        )
        if flow.source != flow.target:
            entered.add(flow.target)
            flowed_into.add(flow.target)
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
        # then the senders still unreached that no flow brings the data to (an organisation
        # entered only by its own stores' owner links), all at once: the data starts there,
        # never at one of their stores that sorts first (auditor review 2026-12-03o, problem 2:
        # the organisation's Belfast store, 'belfast-office' before 'ceol', became the origin
        # of everything the organisation sent, even to the store itself)
        search(
            [
                (node_id, "origin")
                for node_id in senders
                if node_id not in parents and node_id not in flowed_into
            ]
        )
        # then the organisation, if it sends the data and is still unreached: a flow brings it
        # back (a lab returning results), but only from places nothing outside feeds, so the
        # data it sends starts with it, never at a store of its that sorts first (auditor
        # review 2026-12-03p, problem 3: 'consent-register' started every patient's data)
        organisation = index.organisation.id
        if organisation in senders and organisation not in parents:
            search([(organisation, "returned")])
        for node_id in sorted(
            s.id for s in index.data.systems if system_holds(s, category, subject)
        ):
            # a store declaring data that nothing brings to it (a store a followed flow
            # reaches is reached by it, or started round a cycle below: never "stored")
            if node_id not in parents and node_id not in flowed_into:
                search([(node_id, "stored")])
        for node_id in senders:  # what is left is fed only round a cycle with no way in
            if node_id not in parents:
                search([(node_id, "cycle")])

    # each place's path is its parent's path and one hop: BFS reaches the parent first
    built: dict[str, Path] = {}
    paths: list[Path] = []
    for node_id in order:
        parent, hop = parents[node_id]
        path = built[node_id] = Path(hop, None if parent is None else built[parent])
        paths.append(path)
    paths.sort(key=lambda p: (len(p), p.target))
    return paths


@dataclass(frozen=True)
class Reached:
    """A flow of interest as the starts' data reaches it: the shortest chain (the start's flow
    first; ties to the smallest flow ids along it), every category that reaches it over any
    chain, and up to ``sample`` starts whose data gets there (the nearest, in the starts'
    order), with whether more do."""

    chain: tuple[Flow, ...]
    carried: tuple[str, ...]
    first: tuple[Flow, ...]
    more: bool


@dataclass(frozen=True)
class Reaching:
    """What a ``ChainSearch`` found from a list of starts: each flow of interest reached (in
    the order of the flows' ids), and the starts whose data reaches at least one."""

    reached: dict[str, Reached]
    exposed: frozenset[int]
    """Positions in the starts' list."""
    groups: tuple[frozenset[int], ...] = ()
    """Per group of other flows asked about (``reaching``'s ``groups``), the positions of the
    starts whose data reaches one of its flows, as ``exposed_each`` answers."""


_FLOW_ID = attrgetter("id")

State = tuple[str, int]
"""A search state: a node and one category (its bit) carried into it."""


class SearchBudgetExceeded(Exception):
    """A chain search spent its budget: following the map's chains would take too long."""


def _joined(known: tuple[int, ...], arriving: tuple[int, ...], keep: int) -> tuple[int, ...]:
    """``known`` and then the positions of ``arriving`` it lacks, up to ``keep`` in all."""
    joined = list(known)
    for position in arriving:
        if position not in known:
            joined.append(position)
            if len(joined) == keep:
                break
    return tuple(joined)


def _fewest_to_go(sending: set[State], before: dict[State, list[State]]) -> dict[State, int]:
    """Per state, the fewest flows from it to a flow of interest (1: a state with a link to
    one, ``sending``), back from those over the links followed (``before``, reversed)."""
    to_go = dict.fromkeys(sending, 1)
    queue = deque(sending)
    while queue:
        state = queue.popleft()
        further = to_go[state] + 1
        for earlier in before.get(state, ()):
            if earlier not in to_go:
                to_go[earlier] = further
                queue.append(earlier)
    return to_go


def _exposed(seeds: dict[State, list[int]], to_go: dict[State, int], hops: int) -> frozenset[int]:
    """The starts (positions) behind a first state a flow of interest is within reach of."""
    return frozenset(
        position
        for state, positions in seeds.items()
        if to_go.get(state, hops) <= hops - 1
        for position in positions
    )


class ChainSearch:
    """Which flows of interest the starts' data reaches, hop by hop, the categories narrowing.

    Built once per map and question. A start is a flow of the organisation's; its data goes on
    along ``followed`` (onward links: neither end the organisation's) to ``targets``, the flows
    of interest among them. A link carries on the taxonomy's ``overlap`` of what reaches it and
    what it offers (empty: the chain stops). That overlap is a union over the categories
    carried (``overlap(A | B, o) == overlap(A, o) | overlap(B, o)``), so the search follows
    one category at a time: its states are (node, category), at most nodes times categories,
    never the sets of categories a chain may carry (exponentially many on a map built for it).

    All starts are searched at once, breadth first. A state carries up to ``sample + 1``
    starts whose data is there, those that got there first (enough to name ``sample`` of them
    and to say whether there are more), and is followed again at a later hop only with starts
    new to it while it has room, so the work grows with the links times the categories they
    carry on, not with the starts times the flows of interest they reach (a dense map of
    100,000 flows: 60,000 starts, 8,000 bad hops, each reached by thousands). The hop limit
    holds per start: the starts a state passes on at hop k go at most ``hops`` - k further; a
    start turned away from a full state arrived there no earlier than those it holds, which
    reach everything it would reach from there, so the names and the "more" stay exact.
    Which starts reach a flow of interest at all (for the rule's passes) is a reverse search
    from the states that send to one, over the links the forward search followed.

    ``budget`` bounds the work, counted in links followed per state and category; past it,
    ``SearchBudgetExceeded``. None: unbounded.
    """

    def __init__(
        self, followed: Iterable[Flow], targets: set[str], budget: int | None = None
    ) -> None:
        self._budget = budget
        self._targets = targets
        leaving: dict[str, list[Flow]] = {}
        entering: dict[str, list[str]] = {}
        target_sources: set[str] = set()
        self._leaving = leaving
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

    def covers(self, flow_ids: Collection[str]) -> bool:
        """Whether every flow of ``flow_ids`` that is a link of the search leaves a node a flow
        of interest can be reached from: then the nodes from which those flows can be reached
        are among the search's (such nodes reach the flows' senders), and ``reaching`` can
        answer ``exposed_each`` for them from its own pass (``groups``)."""
        asked = set(flow_ids)
        return not any(
            flow.id in asked
            for node, flows in self._leaving.items()
            if node not in self._useful
            for flow in flows
        )

    def _seeds(self, starts: Sequence[Flow]) -> tuple[CategoryBits, dict[State, list[int]]]:
        """The category bits of the search, and its first hop: per state (a start's
        recipient and one category it carries) the positions of every start behind it. Only
        the starts that matter count: into a place a flow of interest can be reached from."""
        useful = self._useful
        entering = [(p, s) for p, s in enumerate(starts) if s.target in useful]
        bits = CategoryBits(
            category
            for group in ([s for _, s in entering], *self._flows.values())
            for flow in group
            for category in flow.categories
        )
        seeds: dict[State, list[int]] = {}
        for position, start in entering:
            mask = bits.mask(start.categories)
            while mask:
                low = mask & -mask
                mask ^= low
                seeds.setdefault((start.target, low), []).append(position)
        return bits, seeds

    def reaching(
        self,
        starts: Sequence[Flow],
        hops: int,
        sample: int,
        groups: Sequence[Collection[str]] = (),
    ) -> Reaching:
        """Every flow of interest the starts' data reaches in chains of at most ``hops`` flows
        (the start's own flow counted), with the first ``sample`` starts that reach it.

        With ``groups`` (other flows, which the search must ``cover``), also what
        ``exposed_each`` answers for them, from this search's own forward pass: where every
        node from which a group's flow can be reached is one of the search's, that pass
        follows every state the group's own pass would, at the same hop, with the same links
        back (those come from such nodes only). The onward rule asks it for its assumed
        conditions: a second pass over the same states was 0.7 s of the dense 100,000-flow
        map's check (every node there reaches a bad hop)."""
        keep = sample + 1
        watched = set().union(*groups) if groups else set()
        linked: dict[str, set[State]] = {}  # per flow of ``groups``: the states linked to it
        useful = self._useful
        bits, seeds = self._seeds(starts)
        frontier: dict[State, tuple[int, ...]] = {}
        # per state: how it was first reached (the state before, the flow in) and its chain's
        # ids, for the ties
        parent: dict[State, tuple[State | None, Flow]] = {}
        order: dict[State, tuple[str, ...]] = {}
        for key, positions in seeds.items():
            frontier[key] = tuple(positions[:keep])
            lead = min((starts[p] for p in positions), key=_FLOW_ID)
            parent[key] = (None, lead)
            order[key] = (lead.id,)
        seen = dict(frontier)
        # per flow of interest: the first starts, the categories, the state it came from
        arrived: dict[str, list[Any]] = {}
        before: dict[State, list[State]] = {}  # the links followed, reversed
        sending: set[State] = set()  # states with a link to a flow of interest
        related: dict[int, int] = {}
        links = {
            node: [(flow, bits.mask(flow.categories)) for flow in flows]
            for node, flows in self._flows.items()
        }
        targets = self._targets
        # 1. Every state the starts' data reaches within the limit, each followed once at its
        # fewest hops: its moves (each the flow of interest it reaches, as that flow's entry,
        # or None, and the states it leads to), how it was first reached, and the links back.
        moves: dict[State, list[tuple[list[Any] | None, tuple[State, ...]]]] = {}
        level_states = list(frontier)
        for level in range(hops - 1):
            if not level_states:
                break
            fresh: set[State] = set()  # states first reached at this hop
            # by node, nodes in chain order
            by_node: dict[str, dict[int, State]] = {}
            for key in sorted(level_states, key=order.__getitem__):
                by_node.setdefault(key[0], {})[key[1]] = key
            for node, carried in by_node.items():
                active = 0
                for category in carried:
                    active |= category
                    moves[carried[category]] = []
                read = links.get(node, ())
                if self._budget is not None:
                    self._budget -= len(read) * len(carried)
                    if self._budget < 0:
                        raise SearchBudgetExceeded
                for flow, offered in read:
                    near = related.get(offered)
                    if near is None:  # every category at, under or over one offered
                        near = related[offered] = bits.below(offered) | bits.above(offered)
                    hit = active & near
                    while hit:
                        category = hit & -hit
                        hit ^= category
                        key = carried[category]
                        narrowed = bits.overlap(category, offered)
                        if not narrowed:
                            continue
                        if watched and flow.id in watched:
                            into_flow = linked.get(flow.id)
                            if into_flow is None:
                                into_flow = linked[flow.id] = set()
                            into_flow.add(key)
                        entry = None
                        if flow.id in targets:
                            sending.add(key)
                            entry = arrived.get(flow.id)
                            if entry is None:
                                entry = arrived[flow.id] = [(), narrowed, key, flow, level]
                            else:
                                entry[1] |= narrowed
                                if entry[4] == level and order[key] < order[entry[2]]:
                                    entry[2] = key  # as short, and first by its flow ids
                        leads: list[State] = []
                        if flow.target in useful:
                            rest = narrowed
                            while rest:
                                low = rest & -rest
                                rest ^= low
                                state = (flow.target, low)
                                leads.append(state)
                                before.setdefault(state, []).append(key)
                                if state in fresh:  # found before at this hop: keep the first
                                    chain = (*order[key], flow.id)  # by flow ids
                                    if chain < order[state]:
                                        parent[state] = (key, flow)
                                        order[state] = chain
                                elif state not in parent:
                                    parent[state] = (key, flow)
                                    order[state] = (*order[key], flow.id)
                                    fresh.add(state)
                        moves[key].append((entry, tuple(leads)))
            level_states = list(fresh)
        del order  # the ties are settled: 178,000 tuples of ids on a dense 100k map
        # 2. From each state, the fewest flows to a flow of interest: back from the senders.
        to_go = _fewest_to_go(sending, before)
        asked = []
        for group in groups:
            sent: set[State] = set()
            for flow_id in group:
                sent.update(linked.get(flow_id, ()))
            asked.append(_exposed(seeds, _fewest_to_go(sent, before), hops))
        del before
        # 3. The starts, hop by hop, into the states that can still reach a flow of interest
        # within the hops left: a state passes on only the starts new to it, while it has room.
        far = hops  # farther than any state is asked to go
        for level in range(hops - 1):
            if not frontier:
                break
            after: dict[State, tuple[int, ...]] = {}
            left = hops - 2 - level  # flows left after the next one
            for key, first in frontier.items():
                steps = moves.get(key, ())
                if self._budget is not None:
                    self._budget -= len(steps)
                    if self._budget < 0:
                        raise SearchBudgetExceeded
                for entry, into in steps:
                    if entry is not None and len(entry[0]) < keep:
                        entry[0] = _joined(entry[0], first, keep)
                    for state in into:
                        if to_go.get(state, far) > left:
                            continue  # no flow of interest within reach from there
                        known = seen.get(state)
                        if known is None:
                            merged = first
                        elif len(known) == keep:
                            continue  # enough starts named there already
                        else:
                            merged = _joined(known, first, keep)
                            if len(merged) == len(known):
                                continue  # no start new to it
                        seen[state] = after[state] = merged
            frontier = after
        exposed = _exposed(seeds, to_go, hops)
        return Reaching(self._answer(arrived, parent, starts, sample, bits), exposed, tuple(asked))

    def exposed(self, starts: Sequence[Flow], hops: int) -> frozenset[int]:
        """``reaching(starts, hops, sample).exposed`` alone: the positions of the starts whose
        data reaches a flow of interest in chains of at most ``hops`` flows. The same states
        are followed at the same hops, and the same links back (steps 1 and 2 of
        ``reaching``, their budget spent alike), but no chain, tie or start is carried: a
        question that names no hop (``checks.onward``'s assumed conditions) was asking the
        whole search, the starts carried through every state included, for this set (1.7 s
        of a dense 100,000-flow map's check)."""
        return self.exposed_each(starts, hops, [self._targets])[0]

    def exposed_each(
        self, starts: Sequence[Flow], hops: int, groups: Sequence[Collection[str]]
    ) -> list[frozenset[int]]:
        """``exposed`` for each group of flows of interest (each within the search's
        ``targets``), from one forward pass: per group, the positions of the starts whose data
        reaches one of its flows in chains of at most ``hops`` flows, as a search built for
        that group alone answers. The pass follows the nodes from which any group's flow can
        be reached; a state at a node from which a group's flows can be reached is first
        reached at the same hop either way (every node on a chain into it reaches that group
        too), and its links back come from such nodes only, so each group's fewest flows to
        go, and its starts, are the same. The onward rule asks one group per assumed
        condition: one pass each was 1.2 s of a dense 100,000-flow map's check. The budget
        is spent once, on the one pass (no more than the passes apart would spend in all)."""
        useful = self._useful
        bits, seeds = self._seeds(starts)
        seen: set[State] = set(seeds)
        before: dict[State, list[State]] = {}
        sending: dict[str, set[State]] = {}  # per flow of interest: the states linked to it
        related: dict[int, int] = {}
        links = {
            node: [(flow, bits.mask(flow.categories)) for flow in flows]
            for node, flows in self._flows.items()
        }
        targets = self._targets
        level_states = list(seeds)
        for _ in range(hops - 1):
            if not level_states:
                break
            fresh: list[State] = []  # states first reached at this hop
            by_node: dict[str, dict[int, State]] = {}
            for key in level_states:
                by_node.setdefault(key[0], {})[key[1]] = key
            for node, carried in by_node.items():
                active = 0
                for category in carried:
                    active |= category
                read = links.get(node, ())
                if self._budget is not None:
                    self._budget -= len(read) * len(carried)
                    if self._budget < 0:
                        raise SearchBudgetExceeded
                for flow, offered in read:
                    near = related.get(offered)
                    if near is None:
                        near = related[offered] = bits.below(offered) | bits.above(offered)
                    hit = active & near
                    while hit:
                        category = hit & -hit
                        hit ^= category
                        narrowed = bits.overlap(category, offered)
                        if not narrowed:
                            continue
                        key = carried[category]
                        if flow.id in targets:
                            linked = sending.get(flow.id)
                            if linked is None:
                                linked = sending[flow.id] = set()
                            linked.add(key)
                        if flow.target in useful:
                            while narrowed:
                                low = narrowed & -narrowed
                                narrowed ^= low
                                state = (flow.target, low)
                                before.setdefault(state, []).append(key)
                                if state not in seen:
                                    seen.add(state)
                                    fresh.append(state)
            level_states = fresh
        found = []
        for group in groups:
            into: set[State] = set()
            for flow_id in group:
                into.update(sending.get(flow_id, ()))
            found.append(_exposed(seeds, _fewest_to_go(into, before), hops))
        return found

    @staticmethod
    def _answer(
        arrived: dict[str, list[Any]],
        parent: dict[State, tuple[State | None, Flow]],
        starts: Sequence[Flow],
        sample: int,
        bits: CategoryBits,
    ) -> dict[str, Reached]:
        """The flows of interest reached, each with its chain and the first starts behind it."""
        reached: dict[str, Reached] = {}
        for flow_id in sorted(arrived):
            first, narrowed, key, flow, _ = arrived[flow_id]
            chain: list[Flow] = []
            state: State | None = key
            while state is not None:
                state, via = parent[state]
                chain.append(via)
            chain.reverse()
            chain.append(flow)
            reached[flow_id] = Reached(
                tuple(chain),
                bits.names(narrowed),
                tuple(starts[p] for p in sorted(first[:sample])),
                len(first) > sample,
            )
        return reached


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
