"""Declared only: flows carry only the categories and purposes the notice declares
(N-COLLECT, N-PURPOSE); an undeclared one is processing people were not told about.

Flows the organisation receives as another controller's processor are the controller's to
declare (Art. 13 is the controller's duty), so they are not judged against this notice, nor
are the categories it holds only as such a processor where it passes them on.
Where the policy gives the notice's own lists (``declared_categories``, ``declared_purposes``:
each root category or purpose with the clause that declares it, N-COLLECT and N-PURPOSE
being closed lists), a category or purpose is declared only if it is on them (a category
under a listed root, a purpose that is a kind of a listed one) and the map does not say
otherwise: the map's ``declared`` flag defaults to true, so without the lists a new category
or purpose was presumed declared (DPO review 2026-12-03l, problem 9).
What a flow only may carry (``may_carry``) is judged too, as the forbidden check judges it:
a risk to confirm (``may-category``), one step below the rule's severity unless the policy
rates it, one finding for the flows that may carry it for one stated reason; such a flow is
not listed as passed.
"""

from __future__ import annotations

from collections.abc import Callable

from flowaudit.checks.base import (
    Check,
    Context,
    MayRisks,
    Outcome,
    category_fact,
    listed,
    summary_of,
)
from flowaudit.model.taxonomy import covered
from flowaudit.policies.schema import DeclaredOnlyRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: DeclaredOnlyRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    risks = MayRisks()
    theirs = _entrusted_only(ctx)
    undeclared_category = _category_judge(ctx, rule)
    undeclared_purpose = _purpose_judge(ctx, rule)
    for flow in ctx.matching_flows(rule):
        if index.acts_as_processor(flow):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if rule.categories:
            for position, category in enumerate(flow.categories):
                why = undeclared_category(category)
                if why is not None and category not in theirs:
                    outcome.fail(
                        element,
                        "category",
                        f"carries '{category}', which the notice does not declare{why}",
                        ("categories", position),
                        fact=category_fact([category]),
                    )
            may = flow.may_carry
            for position, category in enumerate(may.categories if may is not None else []):
                why = undeclared_category(category)
                if why is not None and category not in theirs:
                    risks.add(
                        flow,
                        "category",
                        MayRisks.words(
                            flow, f"may carry '{category}', which the notice does not declare{why}"
                        ),
                        ("may_carry", "categories", position),
                        category_fact([category], may=True),
                    )
        if rule.purposes:
            why = undeclared_purpose(flow.purpose)
            if why is not None:
                outcome.fail(
                    element,
                    "purpose",
                    f"serves '{flow.purpose}', a purpose the notice does not declare{why}",
                    ("purpose",),
                    fact=rule.purpose_fact,
                )
    risks.report(outcome)
    return outcome


def _clauses(table: dict[str, str]) -> str:
    """The clauses a policy's list is taken from, in the order it first names them."""
    return listed(list(dict.fromkeys(table.values())))


def _category_judge(ctx: Context, rule: DeclaredOnlyRule) -> Callable[[str], str | None]:
    """Whether the notice does not declare a category: None if it does, else what to add to
    the finding's words (empty where the map itself marks it undeclared)."""
    categories = ctx.index.categories
    table = rule.declared_categories
    if table is None:
        return lambda category: None if categories[category].declared else ""
    roots = set(table)
    because = (
        f" (it is not among the categories of {_clauses(table)} that the policy lists: "
        f"{', '.join(table)})"
    )

    def judge(category: str) -> str | None:
        if not categories[category].declared:
            return ""
        return None if covered(category, roots) else because

    return judge


def _purpose_judge(ctx: Context, rule: DeclaredOnlyRule) -> Callable[[str], str | None]:
    """Whether the notice does not declare a purpose, as ``_category_judge`` for categories:
    a purpose is declared when it, or a broader one it is a kind of, is listed."""
    purposes = ctx.index.purposes
    table = rule.declared_purposes
    if table is None:
        return lambda purpose: None if purposes[purpose].declared else ""
    listed_ids = set(table)
    because = f" (it is not among the purposes of {_clauses(table)} that the policy lists)"

    def judge(purpose: str) -> str | None:
        if not purposes[purpose].declared:
            return ""
        return None if not ctx.purposes_of(purpose).isdisjoint(listed_ids) else because

    return judge


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
        if covered(category, entrusted) and not covered(category, collected)
    }


CHECK = Check(DeclaredOnlyRule, SUMMARY, evaluate)
