"""Declared only: flows carry only the categories and purposes the notice declares
(N-COLLECT, N-PURPOSE); an undeclared one is processing people were not told about.

Flows the organisation receives as another controller's processor are the controller's to
declare (Art. 13 is the controller's duty), so they are not judged against this notice, nor
are the categories it holds only as such a processor where it passes them on.
What a flow only may carry (``may_carry``) is judged too, as the forbidden check judges it:
a risk to confirm (``may-category``), one step below the rule's severity unless the policy
rates it, one finding for the flows that may carry it for one stated reason; such a flow is
not listed as passed.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, MayRisks, Outcome, category_fact, summary_of
from flowaudit.policies.schema import DeclaredOnlyRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: DeclaredOnlyRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    risks = MayRisks()
    theirs = _entrusted_only(ctx)
    for flow in ctx.matching_flows(rule):
        if index.acts_as_processor(flow):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if rule.categories:
            for position, category in enumerate(flow.categories):
                if not index.categories[category].declared and category not in theirs:
                    outcome.fail(
                        element,
                        "category",
                        f"carries '{category}', which the notice does not declare",
                        ("categories", position),
                        fact=category_fact([category]),
                    )
            may = flow.may_carry
            for position, category in enumerate(may.categories if may is not None else []):
                if not index.categories[category].declared and category not in theirs:
                    risks.add(
                        flow,
                        "category",
                        MayRisks.words(
                            flow, f"may carry '{category}', which the notice does not declare"
                        ),
                        ("may_carry", "categories", position),
                        category_fact([category], may=True),
                    )
        if rule.purposes and not index.purposes[flow.purpose].declared:
            outcome.fail(
                element,
                "purpose",
                f"serves '{flow.purpose}', a purpose the notice does not declare",
                ("purpose",),
            )
    risks.report(outcome)
    return outcome


def _entrusted_only(ctx: Context) -> set[str]:
    """The categories the organisation holds only as another controller's processor (they
    reach it only by flows it receives as processor): the controller's to declare, wherever
    the organisation passes them on (the school's network data on its way to an MIS support
    firm is the school's, as on the way in)."""
    index = ctx.index
    covered = ctx.facts.taxonomy.covered
    ours = index.organisation.id
    entrusted: set[str] = set()
    collected: set[str] = set()
    for flow in index.data.flows:
        if index.nodes[flow.target].party_id != ours:
            continue
        if index.acts_as_processor(flow):
            entrusted.update(flow.categories)
        elif index.nodes[flow.source].party_id != ours:
            collected.update(flow.categories)
    return {
        category
        for category in index.categories
        if covered(category, list(entrusted)) and not covered(category, list(collected))
    }


CHECK = Check(DeclaredOnlyRule, SUMMARY, evaluate)
