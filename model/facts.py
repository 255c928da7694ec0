"""What a map says, resolved once: lookups, each flow's direction and recipient role, the
taxonomy with its one hierarchy helper, and where data goes.

Built once per audit (checks/facts.py adds what depends on the audit date and the policy) and
carried on the result, so the checks, every report, the record of processing and ``trace``
read the same facts instead of re-deriving them.
"""

from __future__ import annotations

from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from flowaudit.model.graph import FlowFacts, MapIndex
from flowaudit.model.loader import LoadedMap
from flowaudit.model.paths import Reachability
from flowaudit.model.schema import Assessment, Flow, Role, System
from flowaudit.model.taxonomy import Taxonomy, purpose_kinds


class Holding(NamedTuple):
    """What a store holds as the map says it: the categories and the subjects it declares,
    each read from the flows into and out of it where it declares none."""

    categories: tuple[str, ...]
    subjects: tuple[str, ...]


class MapFacts:
    """The facts of one map that need no policy and no date."""

    def __init__(self, loaded: LoadedMap) -> None:
        self.loaded = loaded
        self.index = MapIndex(loaded.data, loaded.organisation)
        self.taxonomy = Taxonomy(self.index.categories, self.index.subjects)
        self.reachability = Reachability(self.index)

    @cached_property
    def purpose_kinds(self) -> dict[str, frozenset[str]]:
        """Per declared purpose, itself and every purpose it is a kind of (``is_a``, at any
        depth): what a rule or a legal row naming a purpose (marketing) applies to."""
        return purpose_kinds(self.index.data.purposes)

    @cached_property
    def _by_flow(self) -> dict[str, FlowFacts]:
        # flow_facts is in map order: zipped with the flow ids in C, no Python step per flow
        flow_ids = map(attrgetter("id"), self.index.data.flows)
        return dict(zip(flow_ids, self.index.flow_facts, strict=True))

    @cached_property
    def holdings(self) -> dict[str, Holding]:
        """Per store id, what it holds (``Holding``). A store that leaves its contents unsaid
        still holds what flows write into it and read out of it: left to its declaration
        alone, it would escape every rule that selects stores by what they hold (retention,
        security), so that declaring less gave fewer findings (DPO review 2026-12-02f, 1)."""
        moved: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
        systems = self.index.systems
        for flow in self.index.data.flows:
            for end in (flow.source, flow.target):
                if end in systems:
                    categories, subjects = moved.setdefault(end, ({}, {}))
                    categories.update(dict.fromkeys(flow.categories))
                    subjects.update(dict.fromkeys(flow.subjects))
        holdings: dict[str, Holding] = {}
        for system in self.index.data.systems:
            categories, subjects = (
                moved.get(system.id, ({}, {})) if self.holds_for_us(system) else ({}, {})
            )
            holdings[system.id] = Holding(
                tuple(system.categories or categories), tuple(system.subjects or subjects)
            )
        return holdings

    def holds_for_us(self, system: System) -> bool:
        """Whether what a store holds is the organisation's to account for: its own store, or
        its processor's. Another controller's store (a partner's CRM a flow writes into) keeps
        what it holds under that controller's duties, not ours (DPO review 2026-12-02h, 5).

        A processor's store is one whose owner the party's ``role`` calls a processor, or
        that any flow writing into it treats as one (its ``recipient_role``, the flow's word,
        which decides every flow verdict): read from the party alone, a party's role flipped
        to controller while the flows into its store keep ``recipient_role: processor`` left
        every flow verdict as it was and the store's contents unjudged (attack review
        2026-12-02i, A)."""
        owner = system.owner
        if self.index.is_organisation(owner):
            return True
        party = self.index.parties.get(owner)
        if party is not None and party.role is Role.PROCESSOR:
            return True
        return system.id in self._written_as_processor

    @cached_property
    def _written_as_processor(self) -> frozenset[str]:
        """The stores some flow writes into treating the store's owner as a processor."""
        processor = Role.PROCESSOR
        return frozenset(
            facts.flow.target
            for facts in self.index.flow_facts
            if facts.role is processor and facts.target.is_system
        )

    def flow(self, flow: Flow | str) -> FlowFacts:
        """The flow's direction, target, recipient organisation and recipient role."""
        return self._by_flow[flow if isinstance(flow, str) else flow.id]

    def direction(self, flow: Flow) -> str:
        """outbound (ours to another party), inbound, internal (ours to ours) or onward."""
        return self._by_flow[flow.id].direction

    def recipient_role(self, flow: Flow) -> Role | None:
        """The role the recipient plays for this flow: the flow's word, else the party's."""
        return self._by_flow[flow.id].role

    def purposes_of(self, purpose: str) -> frozenset[str]:
        """A purpose and the broader ones it is a kind of (``is_a``, at any depth): what a
        rule or a legal row naming a purpose (marketing) applies to."""
        found = self.purpose_kinds.get(purpose)
        return found if found is not None else frozenset((purpose,))

    def assessment_covers(self, assessment: Assessment, purpose: str) -> bool:
        """Whether an assessment weighs a purpose (or a broader one it is a kind of): one
        naming no purposes is not judged on them. The checks and the record of processing
        read it here, so the record never lists an assessment under a purpose the checks
        say it does not weigh (auditor review 2026-12-03g, problem 9)."""
        return not assessment.purposes or not self.purposes_of(purpose).isdisjoint(
            assessment.purposes
        )

    def flows_in_direction(self, direction: str) -> list[Flow]:
        """The flows of one direction, in map order."""
        return [facts.flow for facts in self.index.flow_facts if facts.direction == direction]
