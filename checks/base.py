"""What a check is and what it yields: findings and evaluations (the evidence of passes)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any, Generic, NamedTuple, TypeVar, cast

from flowaudit.checks.facts import AuditFacts
from flowaudit.checks.result import AuditResult, Evaluation, Finding
from flowaudit.model.graph import FlowFacts, MapIndex
from flowaudit.model.loader import ElementRef
from flowaudit.model.schema import (
    Assessment,
    ConsentRecord,
    DataSubject,
    Flow,
    Role,
    System,
    read_as_latin,
    shows_anything,
)
from flowaudit.model.taxonomy import Related, ancestors, covered
from flowaudit.policies.legal import (
    Art9Condition,
    Art10Condition,
    Dated,
    LegalTable,
    MarketingChannelRow,
)
from flowaudit.policies.schema import Match, RuleBase, ScopedRule, Selector, kind_of

RuleT = TypeVar("RuleT", bound=RuleBase)
_MATCH_ALL = Match()  # a rule without conditions: every flow, no per-flow test
_FLOW_OF = attrgetter("flow")  # a FlowFacts' flow, read in C


class CheckInputError(Exception):
    """Input a check cannot judge within its bounds (a search the map makes too costly):
    the engine locates ``element`` (and ``field``) and reports an input error, exit 2."""

    def __init__(self, element: ElementRef, field: str | None, message: str) -> None:
        super().__init__(message)
        self.element = element
        self.field = field
        self.message = message


#: Letters whose English name starts with a vowel sound ("an EU", "an HR": "a UK", "a CH").
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")


def a_or_an(word: str) -> str:
    """The article before a word or an initialism read letter by letter (regimes: "an EU
    exporter", "a UK exporter")."""
    if word[:2].isupper():
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    return "an" if word[:1].lower() in "aeio" else "a"


def is_blank(value: str | None) -> bool:
    """Whether a recorded reference (evidence, a document) is missing or shows nothing (only
    spaces, or characters that render as nothing, as a Hangul filler): the evidence checks
    treat each as no reference at all."""
    return value is None or not shows_anything(value)


#: The code and fact of a consent record that shows consent which is not valid, wherever a
#: record is relied on: one problem, one finding citing every rule that relies on it.
CONSENT_NOT_VALID = "consent-not-valid"
#: The fact of a marketing flow that records no way to refuse further messages (no opt_out):
#: under the soft opt-in it is the unmet condition of PECR reg. 22(3)(c), and the opt-out
#: rule (a fields_required rule naming ``fact: opt-out-missing``) finds the same missing fact:
#: one finding citing both (DPO review 2026-12-02g, problem 6).
OPT_OUT_MISSING = "opt-out-missing"
#: The fact of a flow on a basis the legal table says is never open for its purpose (direct
#: marketing on contract): a notice's promise of consent on that flow is broken by it too.
BASIS_NOT_FOR_PURPOSE = "basis-not-for-purpose"


#: The fact of a consent record that does not cover the flow's purpose (Art. 6(1)(a):
#: consent is given to one or more specific purposes), named alike by the law's rule and a
#: notice's promise of consent.
CONSENT_PURPOSE = "consent-purpose-not-covered"
#: the code of a finding on a consent record that does not cover the flow's purpose
PURPOSE_NOT_CONSENTED = "purpose-not-consented"
#: Per code of a consent record's defect (``explicit_consent_gap``), the fact its finding
#: shares with the lawful basis's on the same record: a record showing no valid consent, or
#: none for the flow's purpose, is one problem whichever rules rely on it, one finding.
CONSENT_GAP_FACTS = {CONSENT_NOT_VALID: CONSENT_NOT_VALID, PURPOSE_NOT_CONSENTED: CONSENT_PURPOSE}


def purpose_not_covered(record: ConsentRecord, purpose: str) -> str:
    """What every rule says of a consent record that does not cover a flow's purpose, before
    any reason it adds: the same words, so that a merged finding says them once
    (``engine._distinct`` keeps the fuller of two parts that differ only by a bracket)."""
    return f"consent record '{record.id}' does not cover the purpose '{purpose}'"


def consent_unstated(legal: LegalTable, record: ConsentRecord) -> str | None:
    """What a pass on a consent record takes on trust: the facts of valid consent the record
    leaves unstated (how it was given, whether it was bundled), or None when it states them.
    The facts are the legal table's ``consent_requirements``, which ``consent_not_valid``
    judges when they are stated."""
    unstated = [
        requirement.field
        for requirement in legal.consent_requirements
        # a withdrawal left unstated is no fact taken on trust: the consent stands
        if not requirement.invalid_from and getattr(record, requirement.field) is None
    ]
    if not unstated:
        return None
    return (
        f"consent record '{record.id}' does not state {' or '.join(unstated)}: that the consent "
        "was a clear affirmative act, not bundled with terms, is taken on trust"
    )


def consent_not_valid(legal: LegalTable, record: ConsentRecord, as_of: date) -> str | None:
    """What a finding says of a consent record whose own facts show that the consent it
    documents is not valid consent on the audit date (a pre-ticked box, consent bundled with
    the terms, consent withdrawn on or before it: the legal table's ``consent_requirements``),
    or None. The one test for every place a record is accepted: consent as the Art. 6(1)(a)
    basis, Art. 9(2)(a) and Art. 49(1)(a) explicit consent, the Art. 10 consent condition, a
    notice's promise of opt-in. A fact the record leaves unstated is not judged (maps that
    record consent the old way keep their verdicts); consent withdrawn after the audit date
    was valid on it (Art. 7(3))."""
    shown = [
        f"{requirement.said(str(value))} ({requirement.source})"
        for requirement in legal.consent_requirements
        if requirement.shows_invalid(value := getattr(record, requirement.field), as_of)
    ]
    if not shown:
        return None
    return f"consent record '{record.id}' does not show valid consent: it {', and it '.join(shown)}"


def explicit_consent_gap(ctx: Context, flow: Flow) -> tuple[ConsentRecord | None, str, str | None]:
    """The flow's consent record, the code of what keeps it from showing explicit consent and
    what a finding says of it (None: nothing does). Art. 9(2)(a) and Art. 49(1)(a) ask for
    explicit consent, and Art. 7(1) for a controller able to show it: a consent record marked
    explicit is how a map shows it, for both; a record whose facts show no valid consent at all
    (``consent_not_valid``) is that problem, named as such. Explicit consent is still consent
    to specified purposes (Art. 9(2)(a): "for one or more specified purposes"; Art. 49(1)(a):
    to "the proposed transfer"): a record given for other purposes shows none for the flow's
    (``Context.consent_covers``; lawyer review s16, problem 2)."""
    index = ctx.index
    record = index.consent_records.get(flow.consent_record or "")
    if record is None:
        return None, "no-explicit-consent", "no consent record is linked"
    invalid = consent_not_valid(ctx.legal, record, ctx.as_of)
    if invalid is not None:
        return record, CONSENT_NOT_VALID, invalid
    if not record.explicit:
        said = f"consent record '{record.id}' does not record explicit consent"
        return record, "no-explicit-consent", f"{said} (explicit is not true)"
    if not ctx.consent_covers(record, flow.purpose):
        return (
            record,
            PURPOSE_NOT_CONSENTED,
            f"{purpose_not_covered(record, flow.purpose)} "
            f"(it was given for {', '.join(record.purposes)}: consent is given to specific "
            "purposes)",
        )
    return record, "no-explicit-consent", None


def assessment_gap(ctx: Context, flow: Flow, kind: str) -> str | None:
    """None when the flow links an assessment of this kind on file on the audit date (from the
    day it was completed: Assessment.on_file) that weighs the flow's purpose (its
    ``purposes``, if it lists any: ``Context.assessment_covers``); else what a finding adds:
    '' when none of the kind is linked, which one weighs other purposes, or which one is
    completed only later. One rule for every assessment a rule asks for (a legitimate
    interests or a transfer risk assessment)."""
    index = ctx.index
    linked = [index.assessments[a] for a in flow.assessment_ids if a in index.assessments]
    of_kind = [a for a in linked if a.kind.value == kind]
    on_file = [a for a in of_kind if a.on_file(ctx.as_of)]
    if any(ctx.assessment_covers(a, flow.purpose) for a in on_file):
        return None
    if on_file:
        # an assessment weighs the purposes it lists: one for reminders is none for
        # marketing (auditor review 2026-12-02f, problem 3)
        other = on_file[0]
        weighs = ", ".join(other.purposes)
        return f", for the purpose '{flow.purpose}' ('{other.id}' weighs only {weighs})"
    return f" ('{of_kind[0].id}' is completed on {of_kind[0].completed_on})" if of_kind else ""


def assessment_field(ctx: Context, flow: Flow, kind: str) -> tuple[str]:
    """The field of the flow that links its assessment of ``kind``, where a finding about
    that assessment (missing on the audit date, completed later, outdated) is located: the
    flow's ``assessment`` where it names one of that kind, or is the only link written; else
    its ``assessments`` list. A finding located at a field the flow does not write falls
    back to the flow's first line (lawyer review s19: a transfer risk assessment completed
    after the audit date, linked as the flow's ``assessment``, was located at ``- id:``)."""
    first = flow.assessment
    if first is not None:
        linked = ctx.index.assessments.get(first)
        if not flow.assessments or (linked is not None and linked.kind.value == kind):
            return ("assessment",)
    return ("assessments",)


def missing_policy_document(ctx: Context, condition: Art9Condition | Art10Condition) -> str | None:
    """What a finding says when a condition needs an appropriate policy document in the
    organisation's regime (in the UK, DPA 2018 Sch. 1 Part 4) and none is recorded; None
    otherwise. One requirement, read from the legal table, for Art. 9 and Art. 10 alike."""
    organisation = ctx.index.organisation
    if organisation.regime.value not in condition.requires_policy_document:
        return None
    if organisation.appropriate_policy_document:
        return None
    return (
        f"{condition.name} needs an appropriate policy document ({condition.source}); "
        "record it as appropriate_policy_document on the organisation"
    )


class Hit(NamedTuple):
    """One problem a check found on one element; the engine turns it into a Finding. (A
    named tuple: immutable, and made at a third of a frozen dataclass's cost, once per
    finding.)"""

    element: ElementRef
    code: str
    message: str
    field: tuple[str | int, ...] = ()
    path: tuple[str, ...] = ()
    fact: str | tuple[str, ...] | None = None  # the problem in words shared across rules:
    # hits on one element with one fact are one problem, reported once citing every rule
    # (engine merges them); a hit naming several facts joins every finding of any of them
    unconfirmed: tuple[str, ...] = ()
    problem: str = ""  # what identifies the problem across runs, when not the whole message
    flows: tuple[str, ...] = ()  # the flows a hit on another element judges (Finding.flows)


#: A Hit from all its fields as one tuple, made in C (the named tuple's own constructor is
#: a Python call, once per finding).
_hit = cast(Callable[[tuple[object, ...]], Hit], partial(tuple.__new__, Hit))


@dataclass
class Outcome:
    """Everything a rule evaluated and what failed; passed = evaluated minus failed."""

    evaluated: list[ElementRef] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    relied: dict[ElementRef, tuple[str, ...]] = field(default_factory=dict)
    """Per evaluated element, the unconfirmed legal rows its verdict relied on."""
    assumed: dict[ElementRef, tuple[str, ...]] = field(default_factory=dict)
    """Per evaluated element, the facts marked assumed in the map that a pass rests on."""
    regimes: dict[ElementRef, str] = field(default_factory=dict)
    """Per element judged, the regime its flow is sent under where that is not the
    organisation's (a UK processor's onward transfer in an EU controller's map): its
    finding cites that regime's law and gives that regime's fix (lawyer review s17,
    problem 1: an EU map's finding on a UK exporter's IDTA cited "GDPR Art. 46(1A)")."""
    cited_as: dict[ElementRef, str] = field(default_factory=dict)
    """Per element judged, the case its findings are cited and fixed as where one code means
    another provision in it (``code_references`` and ``code_fix`` entries ``CASE:CODE``):
    ``subprocessor``, a processor's hop to its own sub-processor, whose contract is the one
    Art. 28(4) asks of the processor, not the controller's Art. 28(3) contract (DPO review
    verdict2-s17, problem 3). The code, and so the finding's identity, stays the same."""
    unjudged: dict[str, int] = field(default_factory=dict)
    """Why the rule left elements it matched unjudged (a fact the map does not record, a law
    flowaudit does not model), each with how many: a rule that judged 96 flows and skipped
    1,731 read as a clean pass (auditor review 2026-12-03u, problem 4)."""

    def skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` matched elements the rule does not judge, for ``reason`` (words
        that follow "not judged:", in the reports)."""
        self.unjudged[reason] = self.unjudged.get(reason, 0) + count

    def fail(
        self,
        element: ElementRef,
        code: str,
        message: str,
        field: tuple[str | int, ...] = (),
        path: tuple[str, ...] = (),
        fact: str | tuple[str, ...] | None = None,
        unconfirmed: tuple[str, ...] = (),
        problem: str = "",
        flows: tuple[str, ...] = (),
    ) -> None:
        """Record a problem; ``fact`` names it across rules (one finding per problem),
        ``unconfirmed`` the unverified legal rows it relies on, ``problem`` the part of the
        message that identifies it across runs when the rest moves with unrelated edits (the
        routes that lead to an onward hop), ``flows`` the flows a problem on another element
        condemns (the reports count it on each)."""
        self.hits.append(
            _hit((element, code, message, field, path, fact, unconfirmed, problem, flows))
        )


@dataclass(frozen=True)
class Context:
    """What a check may read: the audit's facts (the map, the audit date, the taxonomy, where
    data goes) and the legal table. No files."""

    facts: AuditFacts
    legal: LegalTable
    #: What a check works out once per audit and reads again per flow (by the check's own
    #: key): the facts and the table are fixed for the audit, so its answers are too.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def index(self) -> MapIndex:
        return self.facts.index

    @property
    def as_of(self) -> date:
        return self.facts.as_of

    def purposes_of(self, purpose: str) -> frozenset[str]:
        """A flow's purpose and the broader ones it is a kind of (``is_a``, at any depth):
        what a rule or a legal row naming a purpose (marketing) applies to (the audit's
        facts remember it)."""
        return self.facts.purposes_of(purpose)

    def assessment_covers(self, assessment: Assessment, purpose: str) -> bool:
        """Whether an assessment weighs a purpose (or a broader one it is a kind of), as a
        consent record covers one: an assessment naming no purposes is not judged on them."""
        return self.facts.assessment_covers(assessment, purpose)

    def consent_covers(self, record: ConsentRecord, purpose: str) -> bool:
        """Whether a consent record covers a purpose (or a broader one it is a kind of): a
        record naming no purposes is not judged on them. Consent is given to specific
        purposes (Art. 6(1)(a)); the law's rule and a notice's promise ask alike."""
        return not record.purposes or not self.purposes_of(purpose).isdisjoint(record.purposes)

    def parties(self, facts: FlowFacts, by_id: bool = False) -> str:
        """The flow's sender and recipient organisations with their roles, in the words a DPO
        uses: "Customer schools (controller) → Concero (processor)" (``by_id``: each named
        by its id, ``party_ids``). Remembered per sender, recipient and the flow's own word on
        the role, which decide it: thousands of findings name the same two parties. (From
        the facts the rule iterates: the role is read there, not looked up by flow id, which
        builds a table of every flow.)"""
        flow = facts.flow
        said = self.memo.setdefault("party_ids" if by_id else "parties", {})
        # a flow the organisation makes of data it holds only as another controller's
        # processor (``on_behalf_of``) is sent as that processor, to its sub-processor: it
        # was worded "Concero (controller) → host (processor)" (DPO review v, point 2)
        for_controller = self.facts.held_as_processor(flow)
        # given back to the controller it is held for, said or inferred (MapFacts.returned):
        # "independent controller" on an inferred return (DPO review v, return to the
        # controller)
        returned = for_controller and flow.id in self.facts.returned
        # the role read, not only the flow's word: a purpose the recipient alone decides
        # makes it a controller for that flow alone (DPO review s6, problem 2)
        key = (facts.sender, flow.source, flow.target, facts.role, for_controller, returned)
        words: str | None = said.get(key)
        if words is None:
            words = said[key] = self._parties(
                flow,
                facts.recipient.party_id,
                facts.role,
                for_controller,
                returned,
                facts.sender,
                by_id=by_id,
            )
        return words

    def party_ids(self, facts: FlowFacts) -> str:
        """``parties`` with each party named by its id, not its name: what a finding's
        ``problem`` heads with where the gate matches it across runs, so that a party's name
        filled in or corrected (the shipped "UK hosting provider (not named)") leaves its
        open problems existing rather than new and gone at once (gate review s21)."""
        return self.parties(facts, by_id=True)

    def _parties(
        self,
        flow: Flow,
        recipient: str,
        role: Role | None,
        for_controller: bool = False,
        returned: bool = False,
        sender: str | None = None,
        by_id: bool = False,
    ) -> str:
        index = self.index

        def shown(node: str) -> str:
            return node if by_id else short(index.nodes[node].name)

        # the flow's sender as the map's facts read it: the organisation for its disclosure
        # through its processor (``MapIndex.flow_facts``; DPO review s9, problem 2)
        sender = sender if sender is not None else index.party_of(flow.source)
        if sender == recipient:
            return shown(sender)
        if for_controller:
            # the organisation sends as processor: its processor is a sub-processor (Art.
            # 28(2), 28(4)); a controller recipient gets a processor's disclosure
            sender_role = "processor"
            recipient_role = (
                "controller"  # back to the controller it processes for
                if returned or recipient in flow.on_behalf_of
                else {
                    None: "role not recorded",
                    Role.PROCESSOR: "sub-processor",
                    Role.CONTROLLER: "independent controller",
                    Role.JOINT_CONTROLLER: "joint controller",
                }[role]
            )
        elif role is None and index.is_organisation(recipient):
            # data the organisation receives for itself: it is a controller of what it gets
            sender_party = index.parties.get(sender)
            known = sender_party.role if sender_party is not None else None
            sender_role = known.value.replace("_", " ") if known is not None else ""
            recipient_role = "controller"
        elif role is None:
            sender_role, recipient_role = "", "role not recorded"
        elif role is Role.JOINT_CONTROLLER:
            sender_role, recipient_role = "joint controller", "joint controller"
        elif role is Role.CONTROLLER:
            # the organisation receiving as a controller is the controller of what it gets,
            # worded as an inbound flow that names no role is (closing note of session s)
            sender_role = self._sender_role(sender)
            recipient_role = (
                "controller" if index.is_organisation(recipient) else "independent controller"
            )
        else:
            sender_role = self._sender_role(sender)
            # a processor's processor is its sub-processor (Art. 28(2), 28(4))
            recipient_role = "sub-processor" if sender_role.startswith("processor") else "processor"
        return (
            shown(sender)
            + (f" ({sender_role})" if sender_role else "")
            + f" → {shown(recipient)} ({recipient_role})"
        )

    def _sender_role(self, sender: str) -> str:
        """The sender's role in a flow it sends, as the map records it: a party recorded as
        processor sends as one (a processor's onward flow is made for its controller, not as
        a controller of its own); the organisation, and a party recorded as controller or
        joint controller, as a controller of what it sends. A party with no role recorded is
        worded so, as it is where it receives (it was called "(controller)", a guess stated
        as a fact: attack review s6, problem 6), unless the organisation's data reaches it
        as its processor (``MapFacts.our_processors``): then the inference is said."""
        index = self.index
        if index.is_organisation(sender):
            return "controller"
        party = index.parties.get(sender)
        role = party.role if party is not None else None
        if role is Role.PROCESSOR:
            return "processor"
        if role is not None:
            return "controller"
        if sender in self.facts.our_processors:
            return "processor, inferred from the flows into it"
        return "role not recorded"

    def with_keys(self, subjects: Sequence[str]) -> list[str]:
        """Subject ids and their shared-vocabulary keys (fides_key): a rule may name either."""
        return self.facts.taxonomy.subject_keys(subjects)

    def selects(self, selector: Selector | list[str] | None, carried: Sequence[str]) -> bool:
        """Whether carried ids satisfy a selector (hierarchically; a list means ANY)."""
        if selector is None:
            return True
        if isinstance(selector, list):
            selector = Selector(values=selector)
        covered = self.facts.taxonomy.covered
        values = selector.values
        if selector.matches == "ANY":
            return any(covered(c, values) for c in carried)
        if selector.matches == "ALL":
            return all(any(covered(c, [v]) for c in carried) for v in values)
        if selector.matches == "NONE":
            return not any(covered(c, values) for c in carried)
        return any(not covered(c, values) for c in carried)

    def matching_flows(self, rule: ScopedRule) -> Iterator[Flow]:
        """The flows a rule's match selects, in map order."""
        return map(_FLOW_OF, self.matching_facts(rule))

    def matching_facts(self, rule: ScopedRule, with_outside: bool = False) -> Iterator[FlowFacts]:
        """The facts (direction, target, recipient, role) of the flows a rule's match
        selects, in map order: a rule that reads them per flow reads them here instead of
        looking each flow up again. ``with_outside``: and the processors' flows outside the
        organisation's instructions (``MapFacts.outside_instructions``), which only the
        sub-processing rule and a forbidden purpose judge."""
        pool = self.facts.judged_with_outside if with_outside else self.judged_facts
        if rule.match == _MATCH_ALL:
            return iter(pool)
        return self._matching_facts(rule, pool)

    @property
    def judged_facts(self) -> Sequence[FlowFacts]:
        """The facts of the flows the organisation's rules judge, in map order
        (``MapFacts.judged_flow_facts``)."""
        return self.facts.judged_flow_facts

    def _matching_facts(self, rule: ScopedRule, pool: Sequence[FlowFacts]) -> Iterator[FlowFacts]:
        match = rule.match
        index = self.index
        directions = set(match.directions)
        kinds = set(match.recipient_kinds)
        roles = set(match.recipient_roles)
        countries = set(match.recipient_countries)
        purposes = set(match.purposes)
        if purposes:  # and the purposes that are a kind of one of them (is_a), once
            purposes |= {
                p.id for p in index.data.purposes if not purposes.isdisjoint(self.purposes_of(p.id))
            }
        stores = set(match.stores)
        holding = self.stores_holding(match.from_stores_holding)
        into = match.into
        excepted = set(match.except_notice)
        excepted_into = set(match.except_into)
        # returns to the controller the data is held for: one fact of the map (MapFacts)
        returned = self.facts.returned if match.except_returned else frozenset()
        categories, subjects = match.categories, match.subjects
        # the organisation's flows its processors make for it are its outbound flows to a
        # rule scoped to it as sender (attack review s6, problem 5)
        ours = (
            self.facts.sent_for_organisation
            if "outbound" in directions and not match.except_processor_sent
            else frozenset()
        )
        # the set tests first, the hierarchy tests (a call each) only for what passes them
        for facts in pool:
            if directions and facts.direction not in directions and facts.flow.id not in ours:
                continue
            if kinds and facts.recipient.kind not in kinds:
                continue
            if roles and facts.role not in roles:
                continue
            flow = facts.flow
            if countries and facts.target.country not in countries:
                continue
            if purposes and flow.purpose not in purposes:
                continue
            if stores and flow.target not in stores:
                continue
            if (
                holding is not None
                and flow.source not in holding
                and not self.from_holding(flow, match.from_stores_holding)
            ):
                continue
            if into is not None and facts.target.is_system != (into == "stores"):
                continue
            if excepted and flow.notice in excepted:
                continue
            if excepted_into and flow.target in excepted_into:
                continue
            if returned and flow.id in returned:
                continue
            if categories is not None and not self.selects(categories, flow.categories):
                continue
            if subjects is not None and not self.selects(subjects, self.with_keys(flow.subjects)):
                continue
            yield facts

    def stores_holding(self, categories: Sequence[str]) -> frozenset[str] | None:
        """The stores holding any of ``categories`` (or a narrower one), as ``MapFacts.
        holdings`` reads them (declared, else what their flows move) or a flow writes or
        reads them, and the stores their flows fill, down any chain of stores; None where
        none are named (no condition). Once per list of categories and audit."""
        if not categories:
            return None
        key = "stores_holding\x00" + "\x00".join(categories)
        known: frozenset[str] | None = self.memo.get(key)
        if known is None:
            named = Selector(values=list(categories))
            holding = {
                store
                for store, held in self.facts.holdings.items()
                if self.selects(named, held.categories)
            }
            # and whatever its declaration says, a store a flow writes one of them into or
            # reads one out of: a store's declaration stands in for its flows' (holdings), so
            # the call recordings store declared with the recordings left out escaped the
            # rule while the recording flow still wrote them in (gate review 2 s18)
            systems = self.index.systems
            for flow in self.index.data.flows:
                if self.selects(named, flow.categories):
                    holding.update(end for end in (flow.source, flow.target) if end in systems)
            # and the stores filled from one of them, however many stores down: what a flow
            # copies out of the call recordings store into another (a dialler list) is still
            # what the recordings store kept, and followed out of that store as out of the
            # first; else one store-to-store copy took callers' numbers to a reseller with no
            # CONCERO-PHONE-NOT-PASSED-ON finding (gate review 2 s18)
            into: dict[str, list[str]] = {}
            for facts in self.index.flow_facts:
                if facts.target.is_system:
                    into.setdefault(facts.flow.source, []).append(facts.flow.target)
            frontier = list(holding)
            while frontier:
                for store in into.get(frontier.pop(), ()):
                    if store not in holding:
                        holding.add(store)
                        frontier.append(store)
            known = self.memo[key] = frozenset(holding)
        return known

    def held_through(
        self, categories: Sequence[str]
    ) -> dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]]:
        """The parties (the organisation, a processor) that have data out of the stores
        holding ``categories`` (``stores_holding``), each with what of it they have: per
        person (subject id or key), the categories, and those with every category above
        them. They are those of the flows between the party and such a store (what it reads
        out, what it writes in), but for what some other party brings in as well (an inbound
        or onward flow from another party, into anything but such a store, carries the
        category, or one above it, about the same people: customer staff's contact details
        come from the customers, and other clauses may share them; a feed of callers' names
        says nothing of their numbers). Without it the rule followed callers' numbers only
        through stores: read out of the call recordings store into the organisation, or sent
        by the organisation that writes them in and has them from no one else, they went to
        a reseller with no CONCERO-PHONE-NOT-PASSED-ON (gate review s19). Empty where no
        categories are named."""
        holding = self.stores_holding(categories)
        if holding is None:
            return {}
        key = "held_through\x00" + "\x00".join(categories)
        known: dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]] | None = self.memo.get(
            key
        )
        if known is None:
            systems = self.index.systems
            touched: dict[str, dict[str, list[list[str]]]] = {}  # party -> person -> lists
            brought: dict[str, list[tuple[str, list[str]]]] = {}  # person -> (party, categories)
            for facts in self.index.flow_facts:
                flow = facts.flow
                party = None
                if flow.source in holding and not facts.target.is_system:
                    party = flow.target
                elif flow.target in holding and flow.source not in systems:
                    party = flow.source
                if party is not None:  # few flows; each flow's list kept, not copied
                    held = touched.setdefault(party, {})
                    for subject in self.with_keys(flow.subjects):
                        held.setdefault(subject, []).append(flow.categories)
                # brought in from another party, but not into the call system itself (a
                # processor's return into a holding store is still what that store keeps)
                if (
                    facts.direction in ("inbound", "onward")
                    and flow.source not in systems
                    and flow.target not in holding
                ):
                    given = (flow.source, flow.categories)
                    for subject in self.with_keys(flow.subjects):
                        brought.setdefault(subject, []).append(given)
            known = {}
            # one pair of sets per distinct content: a flow's many people share them (a
            # thousand people by a thousand categories made a million-entry set per person)
            shared: dict[frozenset[str], tuple[frozenset[str], frozenset[str]]] = {}
            for party, held in touched.items():
                kept: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
                for subject, lists in held.items():
                    others = {
                        c
                        for source, given in brought.get(subject, ())
                        if source != party
                        for c in given
                    }
                    own = frozenset(
                        c for carried in lists for c in carried if ancestors(c).isdisjoint(others)
                    )
                    if not own:
                        continue
                    pair = shared.get(own)
                    if pair is None:
                        above = frozenset(a for c in own for a in ancestors(c))
                        pair = shared[own] = (own, above)
                    kept[subject] = pair
                known[party] = kept
            self.memo[key] = known
        return known

    def from_holding(self, flow: Flow, categories: Sequence[str]) -> bool:
        """Whether ``flow`` takes data out of the stores holding ``categories``: it leaves
        one (``stores_holding``), or leaves a party that has some of what it carries, a
        category (or one above or below it) about the same people, only out of one
        (``held_through``)."""
        holding = self.stores_holding(categories)
        if holding is None or flow.source in holding:
            return True
        held = self.held_through(categories).get(flow.source)
        if not held:
            return False
        for subject in self.with_keys(flow.subjects):
            found = held.get(subject)
            if found is None:
                continue
            own, above = found
            for category in flow.categories:
                # the same category, one it holds below it, or one above it
                if category in above or not ancestors(category).isdisjoint(own):
                    return True
        return False

    def may_matching_facts(self, rule: ScopedRule) -> Iterator[tuple[FlowFacts, list[str]]]:
        """The flows a rule's match selects only through what they may carry (``may_carry``),
        in map order, each with what it may carry that the match names: a rule about
        customer network data applies to a flow that may carry it, as a risk to confirm.
        Empty where the match names no categories or subjects (what a flow may carry then
        changes nothing)."""
        match = rule.match
        if match.categories is None and match.subjects is None:
            return
        may_flows: list[FlowFacts] | None = self.memo.get("may_carry_facts")
        if may_flows is None:  # once per audit: most maps have few such flows
            may_flows = self.memo["may_carry_facts"] = [
                facts for facts in self.judged_facts if facts.flow.may_carry is not None
            ]
        for facts in may_flows:
            flow = facts.flow
            may = flow.may_carry
            assert may is not None
            categories = [*flow.categories, *may.categories]
            subjects = [*flow.subjects, *may.subjects]
            if self._fits(match, facts, flow.categories, flow.subjects):
                continue  # selected on its own: judged as the flow it is
            if not self._fits(match, facts, categories, subjects):
                continue
            named = self._named(match.categories, may.categories)
            named += self._named(match.subjects, self.with_keys(may.subjects), may.subjects)
            yield facts, named

    def _named(
        self,
        selector: Selector | list[str] | None,
        carried: list[str],
        ids: list[str] | None = None,
    ) -> list[str]:
        """What may be carried that a selector's values cover (its id, for a subject's key)."""
        if selector is None:
            return []
        values = selector if isinstance(selector, list) else selector.values
        covered = self.facts.taxonomy.covered
        found = [c for c in carried if covered(c, values)]
        if ids is None:
            return found
        # subjects: with_keys lists each id then its key; name the ids whose id or key is hit
        return [s for s in ids if s in found or self.with_keys([s])[-1] in found]

    def _fits(
        self, match: Match, facts: FlowFacts, categories: list[str], subjects: list[str]
    ) -> bool:
        """Whether a flow meets every condition of a match, with the categories and subjects
        given (what it carries, or that and what it may carry). The slow path of
        ``_matching_facts``, for the few flows that may carry something."""
        flow = facts.flow
        if (
            match.directions
            and facts.direction not in match.directions
            and not (
                "outbound" in match.directions
                and not match.except_processor_sent
                and flow.id in self.facts.sent_for_organisation
            )
        ):
            return False
        if match.recipient_kinds and facts.recipient.kind not in match.recipient_kinds:
            return False
        if match.recipient_roles and facts.role not in match.recipient_roles:
            return False
        if match.recipient_countries and facts.target.country not in match.recipient_countries:
            return False
        if match.purposes and set(match.purposes).isdisjoint(self.purposes_of(flow.purpose)):
            return False
        if match.stores and flow.target not in match.stores:
            return False
        if not self.from_holding(flow, match.from_stores_holding):
            return False
        if match.into is not None and facts.target.is_system != (match.into == "stores"):
            return False
        if match.except_notice and flow.notice in match.except_notice:
            return False
        if match.except_into and flow.target in match.except_into:
            return False
        if match.except_returned and flow.id in self.facts.returned:
            return False
        if match.categories is not None and not self.selects(match.categories, categories):
            return False
        return match.subjects is None or self.selects(match.subjects, self.with_keys(subjects))

    def matching_systems(self, rule: ScopedRule) -> Iterator[System]:
        """The stores a rule's match selects (flow-only conditions select no store), but for
        another controller's stores that hold nothing for the organisation (``MapFacts.
        others_stores``: DPO review s6, problem 5)."""
        match = rule.match
        if (
            match.directions
            or match.recipient_roles
            or match.purposes
            or match.into
            or match.from_stores_holding
        ):
            return
        index = self.index
        holdings = self.facts.holdings
        theirs = self.facts.others_stores
        for system in index.data.systems:
            if system.id in theirs:
                continue
            owner = index.nodes[system.owner]
            if match.recipient_kinds and owner.kind not in match.recipient_kinds:
                continue
            if match.recipient_countries and system.country not in match.recipient_countries:
                continue
            if match.stores and system.id not in match.stores:
                continue
            if system.notice is not None and system.notice in match.except_notice:
                continue
            held = holdings[system.id]
            if match.categories is not None and not self.selects(match.categories, held.categories):
                continue
            if match.subjects is not None and not self.selects(
                match.subjects, self.with_keys(held.subjects)
            ):
                continue
            yield system


def category_fact(categories: Iterable[str], may: bool = False) -> str:
    """The fact that a flow carries (or may carry) these categories, named alike by every
    rule that objects to them (a forbidden category, one outside a notice's allowed list or
    its declared ones): one problem, one finding citing each rule's promise."""
    return f"{'may carry' if may else 'carries'} {', '.join(sorted(categories))}"


class MayRisks:
    """What flows only may carry (``may_carry``: free text in a ticket, remote support on a
    customer's system), judged as a risk to confirm, as the forbidden check judges it: a
    code of its own (``may-`` and the code of what is carried), the reason the map gives,
    "a risk to confirm" in the message, and a severity one step below the rule's unless the
    policy rates the code (``code_severity``). What several flows may carry for one stated
    reason is one risk wherever the data goes (tickets, then the servers that host them):
    one finding, on the first flow in map order, naming the others; a flow whose only
    problem is named in another flow's finding is not evidence of a pass."""

    def __init__(self) -> None:
        #: (code, message, "" or the flow's id where no reason is given) -> the first
        #: flow's field, the flows in map order, the first flow's fact
        self._risks: dict[
            tuple[str, str, str], tuple[tuple[str | int, ...], list[str], str | None]
        ] = {}

    @staticmethod
    def words(flow: Flow, message: str, consequence: str = "") -> str:
        """A may-carry problem in words: what it may carry, the map's reason, a risk to
        confirm and, where given, what follows if it does."""
        may = flow.may_carry
        reason = f": {may.reason}" if may is not None and may.reason else ""
        then = f": if so, {consequence}" if consequence else ""
        return f"{message}{reason}; a risk to confirm{then}"

    def add(
        self,
        flow: Flow,
        code: str,
        message: str,
        field: tuple[str | int, ...],
        fact: str | None = None,
    ) -> None:
        """A risk on a flow: ``code`` without the ``may-`` prefix, ``message`` as worded,
        ``fact`` as ``Outcome.fail`` takes it."""
        may = flow.may_carry
        if may is not None and may.reason and not isinstance(fact, tuple):
            # one stated reason is one risk to confirm, whichever promises it would break
            # (pupil data and more than a business contact from one remote MIS session):
            # one step confirms or clears them all, so one finding cites each rule
            fact = f"may carry, for the reason: {may.reason}"
        key = (f"may-{code}", message, "" if may is not None and may.reason else flow.id)
        self._risks.setdefault(key, (field, [], fact))[1].append(flow.id)

    def take(self, code: str) -> list[str]:
        """Withdraw the risks of one code (``may-`` included), to be reported another way;
        the flows they named, in order."""
        flows: list[str] = []
        for key in [k for k in self._risks if k[0] == code]:
            flows += self._risks.pop(key)[1]
        return flows

    def report(self, outcome: Outcome, also_named: Iterable[str] = ()) -> None:
        """One finding per risk, on its first flow, naming the others, as the other grouped
        findings report (``grouping.fail_per_group``): its ``problem`` is the risk as one
        flow alone reads it, so a flow joining or leaving is no new finding in the gate, and
        its ``flows`` the flows it judges (a flow newly under it is a change to review); the
        flows named only in another flow's finding (or in ``also_named``: flow ids another
        finding names) leave the evaluated (passed) set."""
        from flowaudit.checks.grouping import Said, fail_per_group  # it builds on this module

        risks = self._risks
        fail_per_group(
            outcome,
            {key: flows for key, (_, flows, _) in risks.items()},
            str,  # an entry is the flow's id
            lambda key, _: Said(key[0], key[1], risks[key][0], fact=risks[key][2]),
            lambda key, text, _: (
                f"{text}; the same data may reach {listed(tuple(dict.fromkeys(risks[key][1]))[1:])}"
            ),
            # a flow failed by the rule on its own is judged there as well (as before)
            keep_own_hits=True,
        )
        named = set(also_named)
        if named:
            failed = {hit[0] for hit in outcome.hits}
            outcome.evaluated = [
                e for e in outcome.evaluated if e[0] != "flows" or e[1] not in named or e in failed
            ]


#: A name quoted in a finding's message is cut here: messages name parties in the domain's
#: words, and a 10,000-character name repeated in every finding would bloat every report.
NAME_LIMIT = 80


def short(name: str) -> str:
    """A name as a message quotes it: whole up to NAME_LIMIT characters, else cut with '…'."""
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


#: A list of names in a finding's message stops here: one finding that names every flow of a
#: 100,000-flow map is a 1.4-million-character message, a thousand printed pages and a CSV cell
#: past Excel's limit. The element and the count say the rest; the map lists each one.
LIST_LIMIT = 20


def listed(names: Sequence[str]) -> str:
    """Names as a message lists them: all up to LIST_LIMIT, else the first ones and a count."""
    if len(names) <= LIST_LIMIT:
        return ", ".join(names)
    return f"{', '.join(names[:LIST_LIMIT])} and {len(names) - LIST_LIMIT:,} more"


def required_by_law(basis_id: str, controller: str, processor: str) -> str:
    """What a pass takes on trust for a processor's disclosure the law requires (a return
    to the tax authority on legal_obligation): the controller instructed it, or the law
    binds the processor, which told the controller first (Art. 28(3)(a)). One wording for
    the organisation's processors (sub-processing rule) and the organisation as processor
    (processor duties rule). It names no flow: the pass names it, and the summary groups
    passes by this note, so naming the flow printed one identical sentence per return (the
    school example's six lines for three processors; DPO review s19)."""
    return (
        f"the law requires each disclosure ({basis_id}) and {controller} "
        f"instructed {processor} to make it, or the law binds {processor}, which told "
        f"{controller} before it made it (Art. 28(3)(a))"
    )


def fail_without_condition(
    outcome: Outcome,
    flow: Flow,
    carried: Sequence[Related],
    may: Sequence[Related],
    said: str,
    certain: bool,
    words: tuple[str, str, str],
    fields: tuple[tuple[str | int, ...], tuple[str | int, ...]],
    ordered: bool = False,
) -> None:
    """The one finding of a flow that carries, or may carry, data of a kind that needs a
    condition (Art. 9, Art. 10) and names none: ``said`` what it carries (empty when it
    carries none), joined with what its ``may_carry`` names beyond that, worded as a risk; a
    breach (``no-condition``) when it ``certain``-ly carries such data, else a risk to
    confirm (``may-no-condition``), one per stated reason across rules (MayRisks).
    ``words``: the kind as ``carried_words`` names it, the data in words, the article;
    ``fields``: where the finding stands without, and with, data it may carry beyond;
    ``ordered``: that data named in category order, not in the map's."""
    kind, data, article = words
    recorded = [r.category for r in carried if not r.includes]
    beyond = [r for r in may if r.includes or not covered(r.category, recorded)]
    if ordered:
        beyond.sort()
    sure, risks = carried_words(beyond, kind) if beyond else ("", "")
    what = "; and ".join(filter(None, (f"{data} ({sure})" if sure else "", risks)))
    code = "no-condition" if certain else "may-no-condition"
    if not what:
        outcome.fail(("flows", flow.id), code, said, fields[0])
        return
    if said:
        message = MayRisks.words(flow, f"{said}; it may also carry {what}")
    else:
        # what to write either way (newcomer review s21: "a risk to confirm" alone left a
        # DPO guessing whether to name a condition, or where)
        field = f"art{article.removeprefix('Art. ')}_condition"
        ground = "Art. 9(2) condition" if article == "Art. 9" else f"{article} condition"
        message = MayRisks.words(
            flow,
            f"may carry {what} with no {article} condition recorded",
            f"record on this flow, as {field}, the {ground} it rests on, and if not, take "
            "it out of the flow's may_carry",
        )
    reason = flow.may_carry.reason if flow.may_carry is not None else None
    outcome.fail(
        ("flows", flow.id),
        code,
        message,
        fields[1],
        # one stated reason is one risk to confirm, whichever promises it would break: one
        # finding citing each rule that names it on this flow (MayRisks)
        fact=f"may carry, for the reason: {reason}" if reason and not certain else None,
    )


def carried_words(found: Sequence[Related], kind: str) -> tuple[str, str]:
    """What a flow carries of a kind of data (``kind``: "special category"), in words, from
    ``Taxonomy.related_to``: the categories that are such data, and, apart, each carried
    category above some that is not covered by them, worded as the risk it is ("support,
    which includes the special category support.health"), never as a fact. Either is empty."""
    sure = [r.category for r in found if not r.includes]
    risks = [
        f"{r.category}, which includes the {kind} {', '.join(r.includes)}"
        for r in found
        if r.includes and not all(covered(i, sure) for i in r.includes)
    ]
    return ", ".join(sure), "; ".join(risks)


def summary_of(doc: str | None) -> str:
    """The first paragraph of a module docstring, on one line: a check's summary."""
    return " ".join((doc or "").split("\n\n")[0].split())


@dataclass
class Settled:
    """What a check's post-pass returns: every finding of the audit (some now covered, e.g.
    by a waiver) and the further problems its rules found in them."""

    findings: list[Finding]
    hits: list[tuple[RuleBase, Hit]] = field(default_factory=list)


@dataclass(frozen=True)
class RowUse:
    """A row of the legal table that findings and passes of a kind rest on, counted: its id,
    what it says and where it comes from (as the table writes them: the report cites them
    for the organisation's regime), its row (for the dates it applies), and the counts."""

    id: str
    name: str
    row: Dated | None  # None: a row with no dates
    source: str
    unconfirmed: bool
    findings: int
    passes: int


#: A kind's ``rows_used``: from the audit's context, the kind's enabled rules, every finding
#: and every pass, the rows of the legal table its verdicts rest on.
RowsUsed = Callable[
    [Context, Sequence[RuleT], Sequence[Finding], Sequence[Evaluation]], list[RowUse]
]


class Check(Generic[RuleT]):
    """A rule kind's evaluation: the model it judges (which names the kind), its
    documentation, the function that evaluates one rule of that kind and, for a kind that
    judges findings rather than the map (waivers), a post-pass, and what it warns of.

    The engine runs ``after`` once, when every rule has run, with the findings of all rules
    and the enabled rules of this kind in policy order (possibly none): so the engine names
    no kind, and what a kind does to other rules' findings lives in its own module."""

    def __init__(
        self,
        model: type[RuleT],
        summary: str,
        evaluate: Callable[[Context, RuleT], Outcome],
        after: Callable[[Context, Sequence[RuleT], list[Finding]], Settled] | None = None,
        added: Callable[[AuditResult, AuditResult, RuleT], set[ElementRef]] | None = None,
        apart_from: int | None = None,
        shared: tuple[str, ...] = (),
        duties: tuple[str, ...] = (),
        duty_bears: dict[str, Callable[[AuditFacts], bool]] | None = None,
        warn: Callable[[Context, Sequence[RuleT]], list[str]] | None = None,
        duty_judged: dict[str, Callable[[RuleT], bool]] | None = None,
        duty_codes: dict[str, frozenset[str]] | None = None,
        rows_used: RowsUsed[RuleT] | None = None,
    ) -> None:
        self.model = model
        self.kind = kind_of(model)  # declared once, by the model's ``kind`` literal
        self.summary = summary
        self.evaluate = evaluate
        self.after = after
        #: For ``check --base``, a kind whose one finding stands for many routes (onward: a
        #: bad hop): the elements whose finding the change adds to though it existed before.
        self.added = added
        #: From how many flows a rule of this kind is evaluated in a process of its own while
        #: the engine evaluates the others (checks/apart.py); None: never.
        self.apart_from = apart_from
        #: The audit's facts (names of ``AuditFacts`` cached properties) a rule of this kind
        #: reads that the rules evaluated in the engine read too: worked out before a rule of
        #: the kind is started apart, so the child inherits them instead of working them out
        #: a second time (on the dense 100,000-flow map, about 2 of the child's CPU seconds).
        self.shared = shared
        #: The duties of the legal table (``duties:`` in policies/legal/bases.yaml, by id) a
        #: rule of this kind judges by where they apply: the report's "Legal table used"
        #: lists each in force as relied on by its rules' findings and passes, confirmed or
        #: not (auditor review 2026-12-03g, problem 6).
        self.duties = duties
        #: Of those duties, the ones that bear on a map only where a fact of it holds (the
        #: processor's breach notice, Art. 33(2): only where the organisation acts as a
        #: processor), by id: the report counts a duty as relied on only where it bears
        #: (auditor review 2026-12-03u, problem 6).
        self.duty_bears = duty_bears or {}
        #: Of those duties, the ones a rule of this kind judges only where its settings say
        #: so, by id (a notice's rights rule leaves the complaints procedure to the law's):
        #: a rule that does not judge the duty is not counted on it (auditor review s2,
        #: problem 3: CONCERO-DSAR's pass was counted under the complaints procedure).
        self.duty_judged = duty_judged or {}
        #: Of those duties, the ones only some codes of the kind's findings rest on, by id:
        #: the other findings are not counted on the duty (a late subject access answer
        #: rests on no complaints procedure).
        self.duty_codes = duty_codes or {}
        #: Rows of the legal table besides ``duties`` the kind's findings and passes rest on
        #: (the subject access deadline, the items a privacy notice must give), each with the
        #: findings and passes that do, for the report's "Legal table used" (auditor review
        #: s2, problem 3).
        self.rows_used = rows_used
        #: What the map lets rules of this kind miss in silence, said as warnings, run with
        #: the enabled rules of the kind (never with none): an unmarked health category.
        self.warn = warn


def unmarked_categories(ctx: Context, criminal: bool) -> list[str]:
    """Data categories whose id or name reads as special-category data (an Art. 9(1) kind) or,
    with ``criminal``, as criminal offence data (Art. 10), by the legal table's words, that the
    map does not mark: the rules audit them as ordinary data, silently (a counselling charity's
    `Mental health information` with no art9_kind: GDPR-ART9 went n/a). One located warning per
    category, naming the word and the mark to set; none for a category under or above a
    marked one (auditor review 2026-12-03g, problem 1). A category the map says is not
    special-category data (``special_category: false`` written out) whose id or name reads as
    one of its kinds gets one too, at the flag, naming the word and the kind, so the map's
    denial is seen, unless its name holds a phrase that excuses the word ("Health and
    safety") (DPO review 2026-12-03o, problem 7); one said not to be criminal offence data
    (``criminal_offence: false``) gets none."""
    rows = [row for row in ctx.legal.bases.special_category_words if row.criminal == criminal]
    categories = ctx.index.data.categories
    flag = "criminal_offence" if criminal else "special_category"
    marked = {c.id for c in categories if getattr(c, flag)}
    # a category is or is under a marked one (one of its ancestors is marked), or above one
    # (it is an ancestor of a marked one): two set lookups, not a scan of every marked one per
    # category (10,000 of each took check 13 s; attack review 2026-12-03k, problem 4)
    above_marked = {a for m in marked for a in ancestors(m) if a != m}
    what = "criminal offence data" if criminal else "special-category data"
    organisation = ctx.index.organisation
    cite = ctx.legal.citer(organisation.regime.value, ctx.as_of)
    elsewhere = next(
        (
            row
            for row in ctx.legal.bases.sensitive_elsewhere
            if row.regime == organisation.regime.value
        ),
        None,
    )
    locate = ctx.facts.loaded.sources.locate
    warnings = []
    for category in categories:
        if category.id in above_marked or not ancestors(category.id).isdisjoint(marked):
            continue  # marked, or under or above a marked one
        # said not to be: only a denial of an Art. 9 kind the name states is still said
        # (DPO review 2026-12-03o, problem 7: "Health records of patients" marked
        # special_category: false passed with no trace); criminal_offence: false is left alone
        denied = flag in category.model_fields_set
        if denied and criminal:
            continue
        for row in rows:
            hit = word_in(row.words, category.id, category.name, row.unless)
            if hit is None:
                continue
            field, word = hit
            if elsewhere is not None:  # no Art. 9 or 10 in that law: its own words
                law = elsewhere.criminal if criminal else elsewhere.special
            else:
                law = cite(row.source.partition(" (")[0])
            if denied:
                if word_in(row.unless, "", category.name) is not None:
                    break  # its name says why it is not ("Health and safety training dates")
                kind = row.mark.partition(": ")[2]
                warnings.append(
                    f"{locate(('categories', category.id), (flag,))}: data category "
                    f"'{category.id}' ({category.name}) reads as special-category data of the "
                    f"kind {kind} (the word '{word}' in its {field}; {law}), but the map says "
                    f"`{flag}: false`, so the rules audit it as ordinary data on the map's word "
                    f"alone: if it is {kind} data, write `{row.mark}` in place of the flag"
                )
                break
            where = locate(("categories", category.id), (field,))
            warnings.append(
                f"{where}: data category '{category.id}' ({category.name}) reads as {what} "
                f"(the word '{word}' in its {field}; {law}), but the map does not mark it, so "
                f"the rules audit it as ordinary data: if it is {what}, add `{row.mark}` to "
                f"the category; if it is not, say `{flag}: false`"
            )
            break  # one warning per category: the first kind it reads as
    return warnings


def word_in(
    words: Sequence[str],
    element_id: str,
    name: str,
    unless: Sequence[str] = (),
    *,
    plurals: bool = False,
    plural_unless: bool = False,
) -> tuple[str, str] | None:
    """``_word_in``, remembered: rules ask it of the same few subjects and categories for
    every flow (the PECR consent rule read each flow's subjects as individual or corporate
    subscribers, 2.3 million singular forms on a 100,000-flow hub map, 14% of its check)."""
    return _word_in(tuple(words), element_id, name, tuple(unless), plurals, plural_unless)


@lru_cache(maxsize=1 << 16)
def _word_in(
    words: tuple[str, ...],
    element_id: str,
    name: str,
    unless: tuple[str, ...],
    plurals: bool,
    plural_unless: bool,
) -> tuple[str, str] | None:
    """The first of ``words`` that an element's id (a category's, a subject's), else its
    name, holds whole (split into lowercase words at anything not a letter), with the field it
    is in; the ``unless`` phrases (``health and safety``) are taken out first, so a word met
    only inside one is no hit (DPO review 2026-12-03k, problem 7). With ``plurals`` the
    ``words``, with ``plural_unless`` the ``unless`` phrases, match singular or plural alike,
    word by word ("Scottish limited partnerships" holds "scottish limited partnership"), so a
    data file need not list both (DPO review v, point 1: a plural corporate phrase missed);
    without, a word matches only as written ("consumers", not "consumer electronics")."""
    for field_name, text in (("id", element_id), ("name", name)):
        spaced = _spaced_words(text)
        if plurals or plural_unless:
            tokens = spaced.split()
            folded = [_singular(token) for token in tokens]
            for phrase in unless:
                if plural_unless:
                    _blank(tokens, folded, [_singular(w) for w in phrase.split()])
                else:
                    _blank(tokens, tokens, phrase.split(), folded)
            spaced = f" {' '.join(tokens)} "
            for word in words:
                if plurals:
                    said = _run_of(tokens, folded, [_singular(w) for w in word.split()])
                    if said is not None:  # as the text has it ("llps")
                        return field_name, said
                elif f" {word} " in spaced:
                    return field_name, word
            continue
        for phrase in unless:
            spaced = spaced.replace(f" {phrase} ", " | ")
        for word in words:
            if f" {word} " in spaced:
                return field_name, word
    return None


def _singular(word: str) -> str:
    """A lowercase English word in its singular form as far as a phrase match needs it:
    "partnerships" -> "partnership", "lps" -> "lp", "companies" -> "company"; a word of
    two letters or fewer, or ending in "ss", is kept."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _run_of(tokens: list[str], folded: list[str], phrase: list[str]) -> str | None:
    """The words of ``tokens`` where ``folded`` holds ``phrase``, first run, as written."""
    size = len(phrase)
    for start in range(len(folded) - size + 1) if size else ():
        if folded[start : start + size] == phrase:
            return " ".join(tokens[start : start + size])
    return None


def _blank(
    tokens: list[str], seen: list[str], phrase: list[str], other: list[str] | None = None
) -> None:
    """Take each run of ``seen`` words equal to ``phrase`` out of ``tokens`` and ``seen`` (and
    ``other``, kept in step), "|" in their place, so no word inside it is read again."""
    size = len(phrase)
    if not size:
        return
    for start in range(len(seen) - size + 1):
        if seen[start : start + size] == phrase:
            for words in (tokens, seen, other):
                if words is not None:
                    words[start : start + size] = ["|"] * size


@lru_cache(maxsize=65_536)
def _spaced_words(text: str) -> str:
    """A text's words, lowercase, each between spaces (" school pupils "), read as a person
    reads it: a Cyrillic P, a fullwidth P or a soft hyphen inside "Pupils" hid it from every
    word reading (attack review 2026-12-03o, problem 4). Remembered: the same subject names
    are read for every flow that carries them (attack review 2026-12-03p, problem 3)."""
    words_of = _NOT_LETTERS.split(_CAMEL.sub(" ", read_as_latin(text)).lower())
    return f" {' '.join(words_of)} "


#: Whole words in a subject's id or name that say its people are children; a compound
#: ending in "children" (``Schoolchildren``) says so too. Whole words, so "Ethnic minority
#: staff" and "Childcare staff" do not read as children.
CHILD_WORDS = ("child", "children", "pupil", "pupils", "kid", "kids", "minor", "minors")


def reads_as_children(element_id: str, name: str) -> tuple[str, str] | None:
    """The field (``id`` or ``name``) and the word by which a subject reads as children: one
    of ``CHILD_WORDS`` whole, or a word ending in "children"; None where neither holds one."""
    hit = word_in(CHILD_WORDS, element_id, name)
    if hit is not None:
        return hit
    for field_name, text in (("id", element_id), ("name", name)):
        for word in _spaced_words(text).split():
            if word.endswith("children"):
                return field_name, word
    return None


def staff_word(legal: LegalTable, subject: DataSubject) -> tuple[str, str] | None:
    """The field and word by which a subject that does not say ``employees`` reads as the
    organisation's own staff (the legal table's ``staff_consent`` words, none of its
    ``not_with`` words beside them); None where it does not, or says ``employees``."""
    staff = legal.bases.staff_consent
    if staff is None or subject.employees is not None:
        return None
    if word_in(staff.not_with, subject.id, subject.name) is not None:
        return None
    return word_in(staff.words, subject.id, subject.name)


def own_staff(legal: LegalTable, subject: DataSubject) -> str | None:
    """How a subject is the organisation's own staff, whose consent is unlikely to be freely
    given (the legal table's ``staff_consent``): '' where the map says ``employees: true``;
    where unsaid, the word of its id or name that says so (none of the table's ``not_with``
    words beside it: "Staff of customer schools" are not), in words for a note; None where
    it is not, or the map says ``employees: false`` (DPO review 2026-12-03o, problem 6)."""
    if subject.employees:
        return ""
    hit = staff_word(legal, subject)
    if hit is None:
        return None
    field, word = hit
    return (
        f"read so from the word '{word}' in its {field}: say `employees: true` or "
        "`employees: false` on the subject"
    )


def staff_consent(ctx: Context, flow: Flow, given: str, instead: str) -> str | None:
    """What a pass on consent takes on trust where the flow is about the organisation's own
    staff (``own_staff``, each subject read once per audit): that the consent is freely given
    despite the imbalance of power (the legal table's ``staff_consent``, Recital 43, Art.
    7(4)); None where no subject of the flow is its staff. One note for every consent a rule
    rests on: the Art. 6(1)(a) basis, Art. 9(2)(a) explicit consent and the Art. 10 consent
    condition (DPA 2018 Sch. 1 para 29), ``given`` naming it, ``instead`` what to rest the
    processing on otherwise (DPO review 2026-12-03p, problem 2: explicit consent from staff
    for health data passed with no note)."""
    staff = ctx.legal.bases.staff_consent
    if staff is None:
        return None
    read: dict[str, str | None] = ctx.memo.setdefault("own_staff", {})
    subjects = ctx.index.subjects
    named = []
    for subject_id in flow.subjects:
        if subject_id not in read:
            subject = subjects.get(subject_id)
            read[subject_id] = own_staff(ctx.legal, subject) if subject is not None else None
        how = read[subject_id]
        if how is not None:
            said = f"subject '{subject_id}', {short(subjects[subject_id].name)}"
            named.append(f"{said}; {how}" if how else said)
    if not named:
        return None
    # no flow named: the passes resting on the same note are listed under one line, not a
    # line each (attack review 2026-12-03p, problem 6: 300 staff flows filled the summary)
    return (
        f"{given} from the organisation's own staff ({'; and '.join(named)}): "
        f"taken on trust {staff.claimed}; otherwise rest the processing on {instead}"
    )


#: What splits a category's id or name into words: anything that is not a letter, and a
#: capital after a small letter (``MedicalHistory``: attack review 2026-12-03k, problem 7).
_NOT_LETTERS = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def map_budget(
    flows: int, variable: str, base: float, per_flow: float, parse: Callable[[str], float]
) -> float:
    """A rule's budget on a map: a base plus a share per flow, so big honest maps pass and a
    costly input stops; the environment ``variable`` replaces the base when ``parse`` reads it."""
    with suppress(ValueError):  # not a number: the default base
        base = parse(os.environ.get(variable, str(base)))
    return base + per_flow * flows


def contact_kinds(
    ctx: Context, categories: tuple[str, ...], words: bool = True
) -> dict[str, list[str]]:
    """The kinds of contact data (the legal table's ``contact_data``) the categories carry,
    each with the declared categories that read as it (a category and those under it: a
    flow carrying ``contact`` carries ``contact.address``), in the table's order. Without
    ``words``, by their ``fides_key`` alone: what the map classifies, not what a name says."""
    memo: dict[tuple[str, ...], dict[str, list[str]]] = ctx.memo.setdefault(
        "contact-kinds" if words else "contact-kinds-by-key", {}
    )
    found = memo.get(categories)
    if found is not None:
        return found
    taxonomy = ctx.facts.taxonomy
    kinds = ctx.legal.bases.contact_data
    found = {}
    for carried in categories:
        for category_id in taxonomy.descendants(carried):
            category = taxonomy.categories[category_id]
            key = category.fides_key or ""
            for kind in kinds:
                if any(key == k or key.startswith(f"{k}.") for k in kind.fides_keys) or (
                    words
                    and word_in(kind.words, category.id, category.name, kind.unless) is not None
                ):
                    # every kind it reads as: "Email and postal addresses" is both
                    said = found.setdefault(kind.id, [])
                    if category_id not in said:
                        said.append(category_id)
    order = [kind.id for kind in kinds]
    found = {kind: found[kind] for kind in order if kind in found}
    memo[categories] = found
    return found


def reached_by_words(ctx: Context, flow: Flow, row: MarketingChannelRow) -> list[str]:
    """The categories of the flow whose words alone (id or name, not ``fides_key``) read as a
    kind of contact data the channel reaches, where no category's key does: the channel is
    then honoured on a reading of a name, which a rename can make ("Email and postal
    address": attack review 2026-12-03w, problem 3); empty otherwise."""
    if row.reached_by is None:
        return []
    categories = tuple(flow.categories)
    if not set(contact_kinds(ctx, categories, words=False)).isdisjoint(row.reached_by):
        return []
    read = contact_kinds(ctx, categories)
    return list(dict.fromkeys(c for kind in row.reached_by for c in read.get(kind, ())))


def unreachable(ctx: Context, flow: Flow, row: MarketingChannelRow) -> str | None:
    """Why the flow's declared channel cannot reach people with the data it carries, in
    words ("carries no postal address, only email address (contact.email)"), or None where
    it can, or where its data reads as no kind of contact data at all (nothing to say). A
    pull request must not take marketing out of PECR by relabelling its channel (DPO review
    v, point 2)."""
    if row.reached_by is None:
        return None
    carried = contact_kinds(ctx, tuple(flow.categories))
    if not carried or not set(carried).isdisjoint(row.reached_by):
        return None
    names = {kind.id: kind.name for kind in ctx.legal.bases.contact_data}
    needed = " or ".join(names[k] for k in row.reached_by)
    said = "; ".join(f"{names[k]} ({', '.join(ids)})" for k, ids in carried.items())
    return f"carries no {needed}, only {said}"


#: Why the Art. 9 and Art. 10 rules leave a flow unjudged where the organisation processes the
#: data as another controller's processor: the condition, like the Art. 6 basis, is the
#: controller's to hold (Art. 28(3)(a), 29; FACTS, Roles). Said as a note, never a pass.
CONTROLLERS_CONDITION = (
    "the condition is the controller's to hold: the organisation processes this data as "
    "another controller's processor, on its documented instructions (Art. 28(3)(a), 29)"
)


#: A processor's hop for the organisation, resting on the organisation's own flow's Art. 9 or
#: Art. 10 condition (lawyer review s20, problem 1).
OUR_CONDITION = (
    "a hop of the organisation's processor (to its sub-processor or its own store) rests on "
    "the condition the organisation's own flow for the same purpose names, whose "
    "instructions it acts on (Art. 28(3)(a), 29)"
)


def our_purpose_categories(
    ctx: Context,
) -> dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]]:
    """The categories the organisation's own flows carry, and those they carry or only may
    carry (``may_carry``), by purpose and recipient (the party), and by purpose to any of
    its processors (recipient ``*``): what a processor's hop for the same purpose can have
    received from it, directly or down its chain, for certain or as a risk."""
    ours = ctx.index.organisation.id
    processors = ctx.facts.our_processors
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for facts in ctx.index.flow_facts:
        if facts.sender != ours:
            continue
        flow = facts.flow
        purpose, recipient = flow.purpose, facts.recipient.party_id
        may = flow.may_carry.categories if flow.may_carry is not None else ()
        keys = [(purpose, recipient)]
        if recipient in processors:
            keys.append((purpose, "*"))
        for key in keys:
            certain, any_ = found.setdefault(key, (set(), set()))
            certain.update(flow.categories)
            any_.update(flow.categories)
            any_.update(may)
    return {key: (frozenset(certain), frozenset(any_)) for key, (certain, any_) in found.items()}


def rests_on_our_condition(
    ctx: Context,
    flow: Flow,
    stated: str | None,
    ours: Mapping[tuple[str, str], tuple[frozenset[str], frozenset[str]]],
    kind_of: Mapping[str, str] | None = None,
) -> bool:
    """Whether a flow is a hop one of the organisation's processors makes for it
    (``MapFacts.on_our_basis``: to its sub-processor or into its own store, naming no basis,
    for a purpose the organisation's own flow has) that names no condition of its own
    (``stated``) and carries only what the organisation's own flows for that purpose gave
    the processor (to it, or, for a sub-processor below the first, to any of the
    organisation's processors): the processor acts on the controller's documented
    instructions (Art. 28(3)(a), 29), so the Art. 9 and Art. 10 conditions it rests on are
    the ones those flows name, judged there, as the lawful-basis rule reads the same hops
    (FACTS.md, roles: "its lawfulness rests on the controller's basis"). Judged again on the
    hop, a condition the organisation's flow names was asked a second time (a HIGH "no Art. 9
    condition" on a sub-processor hop whose controller's flow names explicit consent), and a
    missing one was two findings for one problem (lawyer review s20, problem 1). A hop naming
    a condition is judged on it, and one carrying data no flow of the organisation's gave it
    for the purpose stays judged. What the hop only may carry is covered by what the
    organisation's flows carry or only may carry: a helpdesk's sub-processor that may see the
    health notes customers write in tickets rests on the condition the ticket flow names, or
    its missing one is that flow's finding (newcomer review s21: one stated risk was two
    findings, and stayed one after the ticket flow named explicit consent). What the hop
    carries for certain is covered only by what those flows carry for certain.

    ``kind_of`` (category id to the kind of data the condition is about: its Art. 9(1) kind,
    or criminal offence data) reads a special category as given where the organisation gave
    the processor data of the same kind for the purpose: the condition is the processing's
    for that purpose and that kind, not one per level of the map's taxonomy. A processor's
    backup naming ``health`` where the organisation's flows gave it ``health.dental_record``
    under Art. 9(2)(h) was a HIGH "no Art. 9 condition" while the basis rule asked nothing
    of the same hop (newcomer review s20, left open; lawyer review s21, problem 3). Data of
    a kind the organisation never gave it (genetic data beside dental notes) stays judged."""
    if stated is not None or flow.id not in ctx.facts.on_our_basis:
        return False
    sender = ctx.facts.flow(flow).sender
    given = ours.get((flow.purpose, sender))
    if given is None:
        given = ours.get((flow.purpose, "*"))
    if given is None or not given[1]:
        return False
    certain, any_ = given
    covered = ctx.facts.taxonomy.covered
    # what it only may carry too: a hop that may carry health the organisation never gave
    # the processor, not even as a risk, stays judged (a risk to confirm there)
    may = flow.may_carry.categories if flow.may_carry is not None else ()

    def kinds_in(pool: frozenset[str]) -> frozenset[str]:
        if not kind_of:
            return frozenset()
        return frozenset(kind for g in pool if (kind := kind_of.get(g)) is not None)

    certain_kinds, any_kinds = kinds_in(certain), kinds_in(any_)

    def gave(category: str, pool: frozenset[str], kinds: frozenset[str]) -> bool:
        if covered(category, pool):
            return True
        kind = kind_of.get(category) if kind_of else None
        return kind is not None and kind in kinds

    return all(gave(c, certain, certain_kinds) for c in flow.categories) and all(
        gave(c, any_, any_kinds) for c in may
    )


def controllers_to_hold(ctx: Context, flow: Flow) -> bool:
    """Whether a flow is processing the organisation does as another controller's processor
    (the controller decides the purpose): received with recipient role processor, or moving
    data held only for that controller, for its purpose (``held_as_processor``). Its Art. 6
    basis and its Art. 9 and Art. 10 conditions are the controller's (Art. 28(3)(a), 29);
    the lawful-basis rule skips the same flows, and the processor's own duties (Art. 28,
    30(2), 33(2)) are judged elsewhere (review s16, problem 2: a school's pupil health
    records handled during server work were an Art. 9 HIGH against the organisation)."""
    index = ctx.index
    if flow.recipient_role is Role.PROCESSOR and index.receiver(flow) == index.organisation.id:
        return True
    return ctx.facts.held_as_processor(flow)
