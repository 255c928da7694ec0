"""Sub-processing: a processor that passes the organisation's data to another processor
needs the organisation's authorisation (Art. 28(2)). A processor the organisation engaged
holds it in an Art. 28 agreement with the organisation that allows sub-processing; a
sub-processor below it holds it through the chain: its Art. 28 contract with the processor
that engaged it allows sub-processing (the same terms flow down, Art. 28(4)) and that
processor is itself authorised, up to the organisation's agreement at the top. No contract
between the organisation and a sub-processor at the second level or below is asked (DPO
review 2026-12-03u, problem 2); where an upper link lacks the authorisation, the finding is
on that link's flow, not again on every hop below it. One that gives the data to a controller
acts outside the organisation's documented instructions (Art. 28(3)(a), 29) unless the
organisation ordered the disclosure, which is then the organisation's own (a disclosure the
law requires, on a basis such as legal obligation, is taken as ordered).
"""

from __future__ import annotations

from flowaudit.checks.agreement import SUBPROCESSOR_CONTRACT_MISSING
from flowaudit.checks.base import (
    Check,
    Context,
    Outcome,
    listed,
    required_by_law,
    short,
    summary_of,
)
from flowaudit.model.graph import FlowFacts
from flowaudit.model.schema import Agreement, AgreementKind, Flow, Role
from flowaudit.policies.schema import SubprocessingRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: SubprocessingRule) -> Outcome:
    outcome = Outcome()
    processors = ctx.facts.processors
    ours = ctx.facts.our_processors  # those holding the organisation's data
    chain = _Chain(ctx)
    returned = ctx.facts.returns_upstream
    gaps: dict[str, list[FlowFacts]] = {}  # per sub-processor engaged with no contract
    purpose_foreign = ctx.facts.processors_purpose_foreign
    # a served client's purpose given the organisation's own customers is outside the
    # instructions too: the flow, not the purpose alone, tells (DPO review s7, problem 2)
    outside = ctx.facts.outside_instructions

    def foreign(flow: Flow) -> bool:
        return flow.id in outside or purpose_foreign(flow.purpose)

    for facts in ctx.matching_facts(rule, with_outside=True):
        if facts.direction != "onward":  # one end is the organisation: no sub-processing
            continue
        flow = facts.flow
        sender = facts.sender
        recipient = facts.target.party_id
        if sender not in processors:
            continue
        if sender == recipient:
            # into its own store for a purpose of its own: outside the instructions all the
            # same, the commonest case of a processor pursuing its own purposes; skipped as
            # no sub-processing, it was judged as the organisation's own marketing (auditor
            # review s6, problem 1)
            if sender in ours and foreign(flow):
                _own_purpose(ctx, outcome, facts)
            continue
        if facts.role is Role.CONTROLLER:
            if sender in ours:
                _discloses(ctx, outcome, facts)
            continue
        if sender in ours and foreign(flow):
            # whoever the recipient is, its role recorded or not: the use is outside the
            # instructions before it is a sub-processing (attack review s6, problem 2: with
            # the recipient's role unrecorded, it got no Art. 28(10) finding at all)
            _own_purpose(ctx, outcome, facts)
            continue
        if facts.role is not Role.PROCESSOR:
            continue
        if flow.id in returned:
            # data given back up the chain to the processor that engaged the sender: no
            # sub-processor engaged (newcomer review s18)
            outcome.evaluated.append(("flows", flow.id))
            continue
        if chain.authorised(sender):
            outcome.evaluated.append(("flows", flow.id))
            continue
        if chain.uncontracted(sender):
            # no Art. 28 contract at all between the sender and the processor that engaged
            # it: the agreement rule's missing contract on that hop above, one problem,
            # found there (below), not again on each onward flow (DPO review v, point 5)
            gaps.setdefault(sender, []).append(facts)
            continue
        lacking = chain.lacking(sender)
        if lacking is None:
            # the contract with the processor that engaged the sender allows sub-processing,
            # but that processor was never authorised to engage it: one problem, found on
            # the upper link's flow, not again here
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        outcome.fail(
            element,
            "not-authorised",
            f"{_name(ctx, sender)} passes data to sub-processor {_name(ctx, recipient)}, "
            f"but {lacking}",
        )
    for sender, onward in gaps.items():
        _uncontracted(ctx, outcome, chain, sender, onward)
    return outcome


def _uncontracted(
    ctx: Context, outcome: Outcome, chain: _Chain, party: str, onward: list[FlowFacts]
) -> None:
    """A sub-processor the map shows engaged with no Art. 28 contract with the processor that
    engaged it, which passes the data on: one problem with the missing contract the agreement
    rule finds on the engaging hop (``SUBPROCESSOR_CONTRACT_MISSING``), found there, naming
    the onward flows it leaves unauthorised, which the reports count it on (DPO review v,
    point 5: one gap in the middle of a chain gave two HIGH findings)."""
    name = _name(ctx, party)
    # in flow id order: the finding must not depend on the order the map lists the flows in
    ordered = sorted(onward, key=lambda facts: facts.flow.id)
    recipients = listed(list(dict.fromkeys(_name(ctx, f.target.party_id) for f in ordered)))
    flows = tuple(dict.fromkeys(facts.flow.id for facts in ordered))
    for engager, flow_id in chain.engaging.get(party, []):
        # a contract on record that is not in force (draft, expired): said so
        in_force = " in force" if chain.on_record(engager, party) else ""
        element = ("flows", flow_id)
        if element not in outcome.evaluated:
            outcome.evaluated.append(element)
        outcome.fail(
            element,
            "not-authorised",
            f"with no Art. 28 contract{in_force} between {_name(ctx, engager)} and {name}, "
            f"{name} holds "
            f"no authorisation to engage sub-processors (Art. 28(2), 28(4)), yet passes the "
            f"data to {recipients} ({'flow' if len(flows) == 1 else 'flows'} "
            f"{listed(list(flows))})",
            fact=SUBPROCESSOR_CONTRACT_MISSING,
            flows=flows,
        )


def _name(ctx: Context, party: str) -> str:
    return short(ctx.index.nodes[party].name)


#: Agreement states (``agreement_state``) in which an agreement binds no one on the audit date.
_NOT_IN_FORCE = {"draft": "a draft", "expired": "expired", "not yet in force": "not yet in force"}


class _Chain:
    """Who holds the organisation's authorisation to engage sub-processors: a processor
    whose Art. 28 agreement with the organisation allows it, or a sub-processor whose Art. 28
    contract with an authorised processor that sends it data as its processor allows it
    (Art. 28(2), 28(4)). Worked out once per party."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        index = ctx.index
        self.organisation = index.organisation.id
        self.contracts: dict[str, list[Agreement]] = {}
        for agreement in index.data.agreements:
            if agreement.kind is AgreementKind.ART28_DPA:
                for party in dict.fromkeys(agreement.parties):
                    self.contracts.setdefault(party, []).append(agreement)
        # per party, the processors (of the organisation's, at any depth) that send it data
        # as their processor: those that engaged it, in map order
        upstream = ctx.facts.our_processors
        self.engaged_by: dict[str, list[str]] = {}
        #: per party, (engaging processor, flow id) of each flow that engages it
        self.engaging: dict[str, list[tuple[str, str]]] = {}
        # a sub-processor giving data back to the processor that engaged it engages no one
        returned = ctx.facts.returns_upstream
        for facts in index.flow_facts:
            sender = facts.sender
            recipient = facts.recipient.party_id
            if facts.flow.id in returned:
                continue
            if facts.role is Role.PROCESSOR and sender != recipient and sender in upstream:
                engagers = self.engaged_by.setdefault(recipient, [])
                if sender not in engagers:
                    engagers.append(sender)
                self.engaging.setdefault(recipient, []).append((sender, facts.flow.id))
        self.memo: dict[str, bool] = {}

    def _between(self, one: str, other: str) -> list[Agreement]:
        """The Art. 28 contracts between two parties on record, in force or not."""
        return [a for a in self.contracts.get(one, []) if other in a.parties]

    def on_record(self, one: str, other: str) -> bool:
        """Whether any Art. 28 contract between the two is on record, in force or not."""
        return bool(self._between(one, other))

    def _in_force(self, one: str, other: str) -> list[Agreement]:
        """The Art. 28 contracts between a processor and the sub-processor it engaged that
        are in force on the audit date: a draft, an expired or a not yet signed contract
        binds no one to the processor's terms, so it passes on no authorisation (Art. 28(4));
        its state is the agreement rule's finding on the engaging hop, and this rule's gap
        joins it there (a mid-chain contract not in force had given a HIGH on the hop and a
        HIGH per onward flow, or passed the onward flows on an expired contract)."""
        states = self.ctx.facts.agreement_states
        return [
            a
            for a in self._between(one, other)
            if states.get(a.id) in ("in force", "expiring soon")
        ]

    def _direct(self, party: str) -> list[Agreement]:
        """The party's Art. 28 agreements with the organisation: the organisation's own word
        to it, which decides where one exists."""
        return self._between(party, self.organisation)

    def _gives_authorisation(self, agreement: Agreement) -> bool:
        """Whether an Art. 28 agreement with the organisation authorises sub-processing on
        the audit date: it allows it and is not shown out of force. A draft, an expired or a
        not yet signed agreement gives no prior written authorisation (Art. 28(2)): a hop to a
        sub-processor on a draft that allows sub-processing passed as authorised (lawyer
        review s21, problem 2). An agreement of unknown status is evidence still to collect,
        the agreement rule's finding, and is read as it says."""
        return bool(agreement.allows_subprocessing) and self._out_of_force(agreement) is None

    def _out_of_force(self, agreement: Agreement) -> str | None:
        """How the agreement is shown out of force on the audit date ("a draft", "expired",
        "not yet in force"), or None."""
        return _NOT_IN_FORCE.get(self.ctx.facts.agreement_states.get(agreement.id, ""))

    def authorised(self, party: str) -> bool:
        found = self.memo.get(party)
        if found is None:
            self.memo[party] = False  # a cycle of processors authorises nothing
            direct = self._direct(party)
            if direct:
                found = any(self._gives_authorisation(a) for a in direct)
            else:
                found = any(
                    self.authorised(engager)
                    for engager in self.engaged_by.get(party, [])
                    if any(a.allows_subprocessing for a in self._in_force(engager, party))
                )
            self.memo[party] = found
        return found

    def uncontracted(self, party: str) -> bool:
        """Whether the party, a sub-processor with no Art. 28 agreement with the organisation,
        has no Art. 28 contract in force with any processor that engaged it."""
        engagers = self.engaged_by.get(party, [])
        return (
            bool(engagers)
            and not self._direct(party)
            and not any(self._in_force(engager, party) for engager in engagers)
        )

    def lacking(self, party: str) -> str | None:
        """Why an unauthorised party may not engage a sub-processor, in words; None where a
        contract with an engaging processor allows it but that processor lacks the
        authorisation itself (the finding is on that processor's own flow)."""
        ctx = self.ctx
        name = _name(ctx, party)
        us = _name(ctx, self.organisation)
        engagers = self.engaged_by.get(party, [])
        direct = self._direct(party)
        shelved = [
            (a, state)
            for a in direct
            if a.allows_subprocessing and (state := self._out_of_force(a)) is not None
        ]
        if shelved:
            agreement, state = shelved[0]
            return (
                f"the Art. 28 agreement between {us} and {name} that allows sub-processing "
                f"('{agreement.id}') is {state} on the audit date, and an "
                "agreement not in force gives no prior written authorisation (Art. 28(2))"
            )
        if direct or not engagers:
            return f"no Art. 28 agreement between {us} and {name} allows sub-processing"
        if any(a.allows_subprocessing for e in engagers for a in self._in_force(e, party)):
            return None
        above = listed([_name(ctx, e) for e in engagers])
        return (
            f"no Art. 28 contract between {above}, the processor that engaged it, and {name} "
            f"allows sub-processing: a sub-processor may engage another only as its contract "
            f"passes on {us}'s authorisation (Art. 28(2), 28(4))"
        )


def _abroad(ctx: Context, facts: FlowFacts, after: str) -> str:
    """ " in CN, outside the UK" (then ``after``) where the flow's target is outside the
    organisation's jurisdiction on the audit date, else "": the main fact of the risk the
    organisation must assess (lawyer review s10, problem 3: the destination, China, was named
    nowhere). The country only: no mechanism is asked of a transfer the organisation never
    made (the processor's own, Art. 28(10))."""
    country = facts.target.country
    if not country:
        return ""
    legal = ctx.legal
    regime = legal.effective_regime(ctx.index.organisation.regime.value, ctx.as_of)
    if country in legal.inside(regime, ctx.as_of):
        return ""
    return f" in {country}, outside {legal.jurisdiction(regime).area}{after}"


def _steps(processor: str, data: str) -> str:
    """What the organisation, still the controller of its data, must do about a processor's
    processing outside its instructions, beyond stopping it: instruct the processor (it
    cannot stop it itself), review the processor's guarantees (Art. 28(1)), and treat what
    has happened as a possible personal data breach, an unauthorised disclosure or use (Art.
    4(12)), to record and assess for notification (Art. 33(1), 33(5)): lawyer review s10,
    problem 3."""
    return (
        f"instruct {processor} to stop it and to have {data} deleted, review whether "
        f"{processor} still gives sufficient guarantees (Art. 28(1)), and, where it has "
        "happened, record it as a possible personal data breach and assess whether it must be "
        "notified (Art. 33(1), 33(5))"
    )


def _discloses(ctx: Context, outcome: Outcome, facts: FlowFacts) -> None:
    """A processor gives the data to an independent controller: a processor processes only
    on the controller's documented instructions (Art. 28(3)(a), 29), and giving the data to a
    third party for that party's own use is processing outside them, for which the processor
    is a controller and infringes (Art. 28(10)); if the organisation ordered it, the
    disclosure is the organisation's own, to be recorded as its flow with its basis. Not data
    sharing between the processor and the recipient: no agreement between them cures it
    (DPO review 2026-12-03l, problem 2)."""
    index = ctx.index
    us = short(index.organisation.name)
    processor = short(index.nodes[facts.sender].name)
    recipient = short(index.nodes[facts.target.party_id].name)
    element = ("flows", facts.flow.id)
    outcome.evaluated.append(element)
    basis = ctx.legal.lawful_bases.get(facts.flow.basis or "")
    if basis is not None and not basis.sharing_agreement_expected:
        # a disclosure the law requires (a statutory return on legal_obligation), made by
        # the processor for the organisation: on its instructions, as a payroll bureau
        # files its client's returns; what the map cannot show is said on the pass (attack
        # review 2026-12-03m, problem 2: the basis alone cleared the finding in silence)
        outcome.assumed[element] = (required_by_law(basis.id, us, processor),)
        return
    outcome.fail(
        element,
        "disclosure-outside-instructions",
        f"{ctx.parties(facts)}: a processor may process the data only on the documented "
        f"instructions of {us}, its controller (Art. 28(3)(a), Art. 29); giving it to "
        f"{recipient}{_abroad(ctx, facts, ',')} for that party's own use is processing "
        f"outside them, for which {processor} becomes a controller and infringes (Art. "
        f"28(10)); if {us} instructed the disclosure, the disclosure is its own: record it as "
        f"a flow from {us} to {recipient} with its lawful basis{_through_store(ctx, facts)}; "
        "if not, "
        f"{_steps(processor, 'the data disclosed')}. A data sharing agreement between "
        f"{processor} and {recipient} would not cure it",
        ("to",),
    )


def _through_store(ctx: Context, facts: FlowFacts) -> str:
    """For a flow out of a store, the two ways the map says the organisation sends it through
    the store's holder (docs/map-format.md): a newcomer's review invitations sent out of the
    platform's order database already named a basis, and "record it ... with its lawful
    basis" did not say what was missing (onboarding review s16, problem 2)."""
    if facts.flow.source not in ctx.index.systems:
        return ""
    us = short(ctx.index.organisation.name)
    return (
        f" (sent out of a store {short(ctx.index.nodes[facts.sender].name)} holds for {us}, "
        "the flow may stay as it is and say so: recipient_role: controller with that basis, "
        f"or the agreement {us} made with the recipient as its agreement)"
    )


def _own_purpose(ctx: Context, outcome: Outcome, facts: FlowFacts) -> None:
    """A processor of the organisation's passes the organisation's data to a processor of its
    own for a purpose none of the organisation's: processing for a purpose it decided
    itself, outside the documented instructions, for which it is a controller and infringes
    (Art. 28(10)), whoever the recipient is (scenario review s5, problem 2: sent to a
    controller it was found, sent to the processor's own ad platform it passed)."""
    index = ctx.index
    us = short(index.organisation.name)
    processor = short(index.nodes[facts.sender].name)
    element = ("flows", facts.flow.id)
    outcome.evaluated.append(element)
    # into its own store: one party, worded with its role and the store (auditor review s6,
    # problem 1)
    ends = (
        f"{processor} (processor) → {short(facts.target.name)} (its own store)"
        if facts.target.party_id == facts.sender
        else ctx.parties(facts)
    )
    abroad = _abroad(ctx, facts, "")
    sends = f", and sends it to {short(facts.target.name)}{abroad}" if abroad else ""
    outcome.fail(
        element,
        "purpose-outside-instructions",
        f"{ends}: {processor} uses data it processes for {us} for the purpose "
        f"'{facts.flow.purpose}', none of {us}'s{sends}; a processor may process the data "
        f"only on the documented instructions of its controller (Art. 28(3)(a), Art. 29), and "
        f"one that decides a purpose of its own is a controller for that processing and "
        f"infringes (Art. 28(10)): if {us} instructed it, record the purpose on {us}'s own "
        f"flows; if not, {_steps(processor, 'the data so used')}",
        ("purpose",),
    )


CHECK = Check(SubprocessingRule, SUMMARY, evaluate)
