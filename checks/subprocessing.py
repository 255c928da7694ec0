"""Sub-processing: a processor that passes the organisation's data to another processor
needs the organisation's authorisation, recorded as an Art. 28 agreement between the
organisation and the processor that allows sub-processing (Art. 28(2), 28(4)).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.schema import AgreementKind, Role
from flowaudit.policies.schema import SubprocessingRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: SubprocessingRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    organisation = index.organisation.id
    processors = {p.id for p in index.data.parties if p.role is Role.PROCESSOR}
    nodes = index.nodes  # party_of inline: a call per flow and side is a hot spot at 100k
    processor = Role.PROCESSOR  # an enum member read once, not per flow
    for flow in index.data.flows:
        if flow.recipient_role is not processor:
            continue
        target = nodes[flow.target].party_id
        if target != organisation and nodes[flow.source].party_id == organisation:
            processors.add(target)
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
        if sender not in processors or facts.role is not processor:
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


CHECK = Check(SubprocessingRule, SUMMARY, evaluate)
