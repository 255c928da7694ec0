"""Agreement: a flow to another party needs an agreement in force, of the kind the
recipient's role needs, between those parties, covering the flow's categories.

Applies to every flow between two different organisations, except data the organisation
receives as a controller in its own right (inbound, recipient not a processor or joint
controller): collection is judged by the lawful-basis rule, not here.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.schema import AgreementStatus, Role
from flowaudit.policies.schema import AgreementRule

SUMMARY = summary_of(__doc__)


def _party_text(party: str, node: str, side: str) -> str:
    """A party the agreement lacks; for a system, the owner rule that made it the party."""
    if party == node:
        return f"'{party}'"
    return (
        f"'{party}' (owner of system '{node}', which {side} this data: a flow from or to a "
        "system counts as sent or received by the system's owner)"
    )


def evaluate(ctx: Context, rule: AgreementRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    for flow in ctx.matching_flows(rule):
        sender = index.party_of(flow.source)
        recipient = index.party_of(flow.target)
        if sender == recipient:
            continue
        role = index.recipient_role(flow)
        if index.is_organisation(recipient) and role not in (Role.PROCESSOR, Role.JOINT_CONTROLLER):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        recipient_name = index.nodes[recipient].name
        if role is None:
            outcome.fail(
                element,
                "role-undecided",
                f"the role of {recipient_name} for this flow is not recorded (controller, "
                "processor or joint controller), so the agreement it needs cannot be judged",
                ("recipient_role",),
            )
        if flow.agreement is None:
            outcome.fail(
                element,
                "missing",
                f"no agreement covers this flow to {recipient_name}",
                ("agreement",),
            )
            continue
        agreement = index.agreements[flow.agreement]
        where = ("agreement",)
        if agreement.status is AgreementStatus.UNKNOWN:
            outcome.fail(
                element,
                "unknown-status",
                f"agreement '{agreement.id}' is recorded with status unknown: "
                "no evidence that it exists or is signed",
                where,
            )
        elif agreement.status is AgreementStatus.DRAFT:
            outcome.fail(
                element, "draft", f"agreement '{agreement.id}' is a draft, not signed", where
            )
        else:
            if agreement.signed_on is not None and agreement.signed_on > ctx.as_of:
                outcome.fail(
                    element,
                    "not-yet-in-force",
                    f"agreement '{agreement.id}' is signed on {agreement.signed_on}, "
                    f"after the audit date {ctx.as_of}",
                    where,
                )
            if agreement.expires_on is not None and agreement.expires_on < ctx.as_of:
                outcome.fail(
                    element,
                    "expired",
                    f"agreement '{agreement.id}' expired on {agreement.expires_on}",
                    where,
                )
        if role is not None:
            allowed = rule.required_kinds.get(role, [])
            if allowed and agreement.kind not in allowed:
                wanted = " or ".join(k.value for k in allowed)
                outcome.fail(
                    element,
                    "wrong-kind",
                    f"{recipient_name} acts as {role.value}, which needs {wanted}; "
                    f"agreement '{agreement.id}' is {agreement.kind.value}",
                    where,
                )
        missing_parties = [
            _party_text(p, node, side)
            for p, node, side in ((sender, flow.source, "sends"), (recipient, flow.target, "gets"))
            if p not in agreement.parties
        ]
        if missing_parties:
            outcome.fail(
                element,
                "wrong-parties",
                f"agreement '{agreement.id}' is between {', '.join(sorted(agreement.parties))}, "
                f"not {' and '.join(missing_parties)}",
                where,
            )
        uncovered = [
            c
            for c in flow.categories
            if agreement.categories and not index.category_covered(c, agreement.categories)
        ]
        if not agreement.categories:
            uncovered = list(flow.categories)
        if uncovered:
            outcome.fail(
                element,
                "categories-not-covered",
                f"agreement '{agreement.id}' does not cover {', '.join(sorted(uncovered))}",
                ("categories",),
            )
        if agreement.purposes and flow.purpose not in agreement.purposes:
            outcome.fail(
                element,
                "purpose-not-covered",
                f"agreement '{agreement.id}' does not cover the purpose '{flow.purpose}'",
                ("purpose",),
            )
    return outcome


CHECK = Check[AgreementRule]("agreement", SUMMARY, evaluate)
