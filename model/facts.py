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
from flowaudit.model.taxonomy import Taxonomy, ancestors, purpose_kinds


class Holding(NamedTuple):
    """What a store holds as the map says it: the categories and the subjects it declares,
    each read from the flows into and out of it where it declares none."""

    categories: tuple[str, ...]
    subjects: tuple[str, ...]


class Entrusted(NamedTuple):
    """What one controller entrusts to the organisation as its processor: the categories and
    subjects of its processor intakes that reach the organisation in no other way, the
    intakes themselves (in map order) and their purposes (the controller's instructions)."""

    categories: frozenset[str]
    subjects: frozenset[str]
    intakes: tuple[Flow, ...]
    purposes: frozenset[str]


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

    @cached_property
    def entrusted(self) -> dict[str, Entrusted]:
        """Per controller that sends the organisation data as its processor (an inbound flow
        with recipient role processor), what it entrusts (``Entrusted``), sorted by id.

        The organisation's own data is what reaches it other than through a processor
        intake (a flow from another party it receives in its own right) and what it collects
        itself (a flow from the organisation's own node about people, or of data, that no
        processor intake brings): categories and subjects it also holds as controller are
        left out, since the map cannot tell whose copy a flow carries. What the organisation
        sends on is never its own by being sent: counted so, an onward flow made the data it
        carries the organisation's, and a flow that surely passed a controller's data to an
        unauthorised sub-processor passed where one that only may carry it failed (DPO review
        2026-12-03l, problem 1)."""
        index = self.index
        nodes = index.nodes
        ours = index.organisation.id
        processor = Role.PROCESSOR
        intakes: dict[str, list[Flow]] = {}
        for flow in index.data.flows:
            # index.acts_as_processor(flow), inline: a call per flow
            if flow.recipient_role is processor and nodes[flow.target].party_id == ours:
                source = nodes[flow.source].party_id
                if source != ours:  # never its own processor
                    intakes.setdefault(source, []).append(flow)
        if not intakes:
            return {}
        brought = {s for flows in intakes.values() for f in flows for s in f.subjects}
        brought_categories = {c for flows in intakes.values() for f in flows for c in f.categories}
        # a category is related to one brought where one of them is it or an ancestor of it,
        # or it is an ancestor of one: two set tests per category, not a test per pair (a
        # bureau's many fields against its many jobs was quadratic: attack review
        # 2026-12-03o, problem 1)
        above_brought = {a for c in brought_categories for a in ancestors(c)}

        def related_to_brought(categories: list[str]) -> bool:
            return any(
                c in above_brought or not ancestors(c).isdisjoint(brought_categories)
                for c in categories
            )

        own_subjects: set[str] = set()
        own_categories: set[str] = set()
        for flow in index.data.flows:
            source = nodes[flow.source].party_id
            if nodes[flow.target].party_id == ours != source:
                if flow.recipient_role is not processor:  # received in its own right
                    own_subjects.update(flow.subjects)
                    own_categories.update(flow.categories)
            elif (
                flow.source == ours
                and not flow.on_behalf_of  # made as a controller's processor: its data
                and (brought.isdisjoint(flow.subjects) or not related_to_brought(flow.categories))
            ):
                # collected by the organisation itself: about people, or data, that no
                # processor intake brings
                own_subjects.update(flow.subjects)
                own_categories.update(flow.categories)
        own = own_categories
        covered = self.taxonomy.covered
        entrusted: dict[str, Entrusted] = {}
        for controller, flows in sorted(intakes.items()):
            categories = {c for f in flows for c in f.categories}
            entrusted[controller] = Entrusted(
                frozenset(c for c in categories if not covered(c, own)),
                frozenset(s for f in flows for s in f.subjects if s not in own_subjects),
                tuple(flows),
                frozenset(f.purpose for f in flows),
            )
        return entrusted

    def held_as_processor(self, flow: Flow) -> bool:
        """Whether a flow the organisation makes (out of it, or within it) moves only data it
        holds as another controller's processor, for a purpose that controller gave it: every
        person it is about (or, about no one recorded, every category) is the controllers',
        and its purpose is one of their intakes'. Its lawfulness is then the controller's
        basis (Art. 28(3)(a), 29), not the organisation's (DPO review 2026-12-03l,
        problem 6); one for a purpose of the organisation's own is its own (Art. 28(10))."""
        return bool(self.held_for(flow))

    def held_for(self, flow: Flow) -> tuple[str, ...]:
        """The controllers for whom the organisation makes a flow as their processor
        (``held_as_processor``): those its ``on_behalf_of`` names, where the claim holds; else,
        inferred, those whose intakes bring the people (or data) it moves and give its
        purpose, in id order; () where it is the organisation's own."""
        entrusted = self.entrusted
        if not entrusted or self.index.party_of(flow.source) != self.index.organisation.id:
            return ()
        if self.index.acts_as_processor(flow):
            return ()  # an intake: the organisation receives it, judged as such
        if flow.on_behalf_of:
            return tuple(flow.on_behalf_of) if self._made_for(flow) else ()
        if flow.subjects:
            if not self._entrusted_subjects.issuperset(flow.subjects):
                return ()
            whose = [c for c, e in entrusted.items() if not e.subjects.isdisjoint(flow.subjects)]
        else:
            covered = self.taxonomy.covered
            whose = [
                c
                for c, e in entrusted.items()
                if any(covered(category, e.categories) for category in flow.categories)
            ]
            every = [c for e in entrusted.values() for c in e.categories]
            if not flow.categories or not all(covered(c, every) for c in flow.categories):
                return ()
        purposes = self.purposes_of(flow.purpose)
        return tuple(c for c in whose if not purposes.isdisjoint(entrusted[c].purposes))

    @cached_property
    def returned(self) -> frozenset[str]:
        """The flows by which the organisation gives a controller back the data it holds as
        that controller's processor: made for it alone (``held_for``) and received by it
        (the recipient party is that controller, at any of its nodes). A processor returning
        its controller's data discloses nothing and shares nothing (ICO Data Sharing Code;
        Art. 28(3)(a), 28(3)(g)), and the controller's notice, not the organisation's, tells
        its people (Art. 13, 14): the rules on sharing and on the organisation's own notice
        set such a flow aside (a rule's ``match.except_returned``), the rules that still bind
        a processor (security, transfers, its contract) judge it. Made for several
        controllers, it may give one of them another's data: not a return (DPO review v,
        return to the controller)."""
        if not self.entrusted:
            return frozenset()
        ours = self.index.organisation.id
        found: set[str] = set()
        for facts in self.index.flow_facts:
            recipient = facts.recipient.party_id
            if facts.sender != ours or recipient == ours:
                continue
            held = self.held_for(facts.flow)
            if held and set(held) == {recipient}:
                found.add(facts.flow.id)
        return frozenset(found)

    def _made_for(self, flow: Flow) -> bool:
        """A flow the map says the organisation makes as these controllers' processor
        (``on_behalf_of``): so it is where it moves only what their intakes bring (people and
        data), for a purpose one of them gives. Said, not inferred: a copy of a customer's
        network onto the organisation's own store is about people (its staff) the
        organisation also holds data on as a controller, so the map alone could not tell
        whose copy it is (DPO review 2026-12-03u, problem 3)."""
        return not self.on_behalf_of_set_aside(flow)

    def on_behalf_of_set_aside(self, flow: Flow) -> tuple[str, ...]:
        """Why the map's ``on_behalf_of`` on a flow the organisation sends does not hold, so
        the flow is judged as the organisation's own processing: the people, data or purpose
        that no intake of the named controllers brings or gives, in words; () where it holds
        (or the flow names no controller). Said by the engine as a warning at the field: the
        claim was set aside in silence (DPO review v, point 3)."""
        if not flow.on_behalf_of:
            return ()
        entrusted = self.entrusted
        unserved = [c for c in flow.on_behalf_of if c not in entrusted]
        if unserved:  # refused by the loader; kept for a map built by hand
            return (f"{', '.join(unserved)} sends the organisation no data as its processor",)
        named = [entrusted[c] for c in flow.on_behalf_of]
        intakes = [intake for e in named for intake in e.intakes]
        subjects = {s for intake in intakes for s in intake.subjects}
        categories = [c for intake in intakes for c in intake.categories]
        covered = self.taxonomy.covered
        instructed = {p for e in named for p in e.purposes}
        whose = ", ".join(flow.on_behalf_of)
        why: list[str] = []
        people = [s for s in flow.subjects if s not in subjects]
        if people:
            why.append(
                f"it is about {', '.join(people)}, whom no flow from {whose} to the "
                "organisation as processor brings"
            )
        data = [c for c in flow.categories if not covered(c, categories)]
        if data:
            why.append(
                f"it carries {', '.join(data)}, which no flow from {whose} to the organisation "
                "as processor brings"
            )
        if self.purposes_of(flow.purpose).isdisjoint(instructed):
            given = ", ".join(sorted(instructed))
            why.append(
                f"its purpose '{flow.purpose}' is not one {whose} gives (its flows to the "
                f"organisation are for {given})"
            )
        return tuple(why)

    @cached_property
    def _entrusted_subjects(self) -> frozenset[str]:
        """Every subject some controller entrusts to the organisation (``entrusted``)."""
        return frozenset(s for e in self.entrusted.values() for s in e.subjects)

    @cached_property
    def processors(self) -> frozenset[str]:
        """The parties that act as processors: recorded so (``role``), or to which the
        organisation sends data as its processor (the flow's ``recipient_role``); never the
        organisation itself. Their onward flows are made for the organisation, on its
        documented instructions (Art. 28(3)(a), 29)."""
        ours = self.index.organisation.id
        processor = Role.PROCESSOR
        found = {p.id for p in self.index.data.parties if p.role is processor}
        found.update(
            facts.recipient.party_id
            for facts in self.index.flow_facts
            if facts.flow.recipient_role is processor and facts.direction == "outbound"
        )
        found.discard(ours)
        return frozenset(found)

    @cached_property
    def others_own_flows(self) -> frozenset[str]:
        """The onward flows an independent controller makes of data it holds for itself (a
        partner reselling to a broker): its basis, notice and agreements are its own duties
        (Art. 5(2), 24), not the organisation's, which the rules on bases and agreements
        must not ask of it (DPO review 2026-12-03n, problem 1). A processor of the
        organisation's, at any depth, acts on its instructions, but one giving the data to a
        controller acts outside them and on its own account (Art. 28(10)): that flow is its
        own too."""
        ours = self.our_processors
        parties = self.index.parties
        controller = Role.CONTROLLER
        return frozenset(
            facts.flow.id
            for facts in self.index.flow_facts
            if facts.direction == "onward"
            and (
                # a processor of ours giving the data to a controller: outside its
                # instructions, the processor's own processing (Art. 28(10)), judged by the
                # sub-processing rule
                facts.role is controller
                if facts.sender in ours
                else (sender := parties.get(facts.sender)) is not None and sender.role is controller
            )
        )

    @cached_property
    def our_processors(self) -> frozenset[str]:
        """The parties that hold the organisation's data as its processors or their
        sub-processors: the recipients of its flows whose recipient role is processor, and
        of their flows to processors, along the chain. Their onward flows are made on the
        organisation's documented instructions or outside them (Art. 28(3)(a), 29)."""
        ours = self.index.organisation.id
        processor = Role.PROCESSOR
        leaving: dict[str, list[FlowFacts]] = {}
        for facts in self.index.flow_facts:
            if facts.role is processor:
                leaving.setdefault(facts.sender, []).append(facts)
        found: set[str] = set()
        frontier = [ours]
        while frontier:
            for facts in leaving.get(frontier.pop(), ()):
                recipient = facts.recipient.party_id
                if recipient != ours and recipient not in found:
                    found.add(recipient)
                    frontier.append(recipient)
        return frozenset(found)

    def flow(self, flow: Flow | str) -> FlowFacts:
        """The flow's direction, target, recipient organisation and recipient role."""
        return self._by_flow[flow if isinstance(flow, str) else flow.id]

    def direction(self, flow: Flow) -> str:
        """outbound (ours to another party), inbound, internal (ours to ours) or onward."""
        return self._by_flow[flow.id].direction

    def to_own_store(self, flow: Flow) -> bool:
        """Whether the flow goes to a store of the very party that sends it: one legal person
        sends and receives, which the legal table's ``same_legal_person`` makes no transfer
        wherever the store is (the transfer rules and the record of processing read it here)."""
        facts = self._by_flow[flow.id]
        return facts.target.party_id == facts.sender

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
