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
from typing import Literal

from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import Flow, System

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


def categories_related(first: str, second: str) -> bool:
    """Whether two dotted category ids are the same, or one is an ancestor of the other."""
    return first == second or first.startswith(second + ".") or second.startswith(first + ".")


def flow_carries(flow: Flow, category: str | None = None, subject: str | None = None) -> bool:
    """Whether a flow carries the category (hierarchically) and the subject; None matches all."""
    if category is not None and not any(categories_related(category, c) for c in flow.categories):
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
    if category is not None and not any(categories_related(category, c) for c in categories):
        return False
    return subject is None or subject in subjects


def system_holds(system: System, category: str | None = None, subject: str | None = None) -> bool:
    """Whether a system declares that it holds the category (hierarchically) and the subject."""
    if category is not None and not any(categories_related(category, c) for c in system.categories):
        return False
    return subject is None or subject in system.subjects


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
        flow
        for flow in index.graph_flows()
        if (
            flow_carries(flow, category, subject)
            or (may and flow_may_carry(flow, category, subject))
        )
        and (where is None or where(flow))
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
