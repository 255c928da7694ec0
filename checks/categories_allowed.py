"""Categories allowed: flows to a kind of recipient carry only the categories the notice
allows for it (ISPs: name, address and IP addresses; MIS support: one business contact;
procurement: contact and billing). A parent category allows its children.

What a selected flow only may carry (``may_carry``: remote support on a school's MIS) is
judged too, as the forbidden check judges it: a risk to confirm (``may-not-allowed``), one
step below the rule's severity unless the policy rates it, one finding for the flows that
may carry it for one stated reason; such a flow is not listed as passed.

Where the promise allows more with the customer's permission (``more_with``: N-MIS), a flow
that records it may carry more: flowaudit cannot read the permission, so the pass says what
it rests on (DPO review s18, problem 4: the rule's fix said "record permission for anything
more", and a permission recorded changed nothing).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, MayRisks, Outcome, category_fact, summary_of
from flowaudit.checks.result import RECORDED
from flowaudit.model.schema import shows_anything
from flowaudit.policies.schema import CategoriesAllowedRule

#: the longest recorded text a pass on a permission quotes (as fields_required's)
QUOTED_LIMIT = 120

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: CategoriesAllowedRule) -> Outcome:
    outcome = Outcome()
    covered = ctx.facts.taxonomy.covered
    # "the allowed online" read as garbled: the list named as what it is
    outside = f"which is not among the allowed categories ({', '.join(rule.allowed)})"
    risks = MayRisks()
    more_with = rule.more_with
    for flow in ctx.matching_flows(rule):
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if more_with is not None:
            record = getattr(flow, more_with, None)
            if isinstance(record, str) and shows_anything(record):
                beyond = [
                    c
                    for c in (
                        *flow.categories,
                        *(flow.may_carry.categories if flow.may_carry else ()),
                    )
                    if not covered(c, rule.allowed)
                ]
                if beyond:
                    outcome.assumed[element] = (
                        *outcome.assumed.get(element, ()),
                        _permitted(rule.id, more_with, beyond, record),
                    )
                continue
        for position, category in enumerate(flow.categories):
            if not covered(category, rule.allowed):
                outcome.fail(
                    element,
                    "not-allowed",
                    f"carries '{category}', {outside}",
                    ("categories", position),
                    fact=category_fact([category]),
                )
        may = flow.may_carry
        if may is not None and rule.judge_may_carry:
            for position, category in enumerate(may.categories):
                if not covered(category, rule.allowed):
                    risks.add(
                        flow,
                        "not-allowed",
                        MayRisks.words(
                            flow,
                            f"may carry '{category}', {outside}",
                        ),
                        ("may_carry", "categories", position),
                        category_fact([category], may=True),
                    )
    risks.report(outcome)
    return outcome


def _permitted(rule_id: str, name: str, beyond: list[str], record: str) -> str:
    """The pass's note: what the flow carries beyond the allowed categories rests on the
    recorded permission, whose text flowaudit cannot read."""
    text = " ".join(record.split())
    if len(text) > QUOTED_LIMIT:
        text = text[: QUOTED_LIMIT - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    words = name.replace("_", " ")
    return (
        f"{rule_id}: {', '.join(dict.fromkeys(beyond))} beyond the allowed categories rests "
        f"on the {words} recorded, taken to cover it; flowaudit cannot read its text"
        f'{RECORDED}{words} "{text}"'
    )


CHECK = Check(CategoriesAllowedRule, SUMMARY, evaluate)
