"""Sub-processing: a processor that passes the organisation's data to another processor
needs the organisation's authorisation, recorded as an Art. 28 agreement between the
organisation and the processor that allows sub-processing (Art. 28(2), 28(4)); one that gives
it to a controller acts outside the organisation's documented instructions (Art. 28(3)(a), 29)
unless the organisation ordered the disclosure, which is then the organisation's own (a
disclosure the law requires, on a basis such as legal obligation, is taken as ordered).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, required_by_law, short, summary_of
from flowaudit.model.graph import FlowFacts
from flowaudit.model.schema import AgreementKind, Role
from flowaudit.policies.schema import SubprocessingRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: SubprocessingRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    organisation = index.organisation.id
    processors = ctx.facts.processors
    ours = ctx.facts.our_processors  # those holding the organisation's data
    dpas: dict[str, list[str]] = {}
    for agreement in index.data.agreements:
        if agreement.kind is AgreementKind.ART28_DPA and organisation in agreement.parties:
            for party in agreement.parties:
                dpas.setdefault(party, []).append(agreement.id)
    for facts in ctx.matching_facts(rule):
        if facts.direction != "onward":  # one end is the organisation: no sub-processing
            continue
        flow = facts.flow
        sender = facts.sender
        recipient = facts.target.party_id
        if sender == recipient:
            continue
        if sender not in processors:
            continue
        if facts.role is Role.CONTROLLER:
            if sender in ours:
                _discloses(ctx, outcome, facts)
            continue
        if facts.role is not Role.PROCESSOR:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        allowing = [a for a in dpas.get(sender, []) if index.agreements[a].allows_subprocessing]
        if not allowing:
            outcome.fail(
                element,
                "not-authorised",
                f"{index.nodes[sender].name} passes data to sub-processor "
                f"{index.nodes[recipient].name}, but no Art. 28 agreement between "
                f"{organisation} and {sender} allows sub-processing",
            )
    return outcome


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
        outcome.assumed[element] = (required_by_law(facts.flow.id, basis.id, us, processor),)
        return
    outcome.fail(
        element,
        "disclosure-outside-instructions",
        f"{ctx.parties(facts)}: a processor may process the data only on the documented "
        f"instructions of {us}, its controller (Art. 28(3)(a), Art. 29); giving it to "
        f"{recipient} for that party's own use is processing outside them, for which "
        f"{processor} becomes a controller and infringes (Art. 28(10)); if {us} instructed the "
        f"disclosure, the disclosure is its own: record it as a flow from {us} to {recipient} "
        f"with its lawful basis, or stop it. A data sharing agreement between {processor} and "
        f"{recipient} would not cure it",
        ("to",),
    )


CHECK = Check(SubprocessingRule, SUMMARY, evaluate)
