"""Store source: a store that holds personal data for the organisation (its own, or its
processor's) is filled by some flow the map records. The map records processing as flows: a
store no flow writes into holds data whose collection is recorded nowhere, so its purpose,
lawful basis and notice clause are never judged, and its row of the record of processing
has none (Art. 5(2), 6(1), 30(1)(b)). A store that says it holds nothing and moves nothing is
not judged; another controller's store is that controller's record (DPO review 2026-12-03u,
problem 4: a job applicants' store with no flow passed in silence). A store of special-category
data says so: its processing needs an Art. 9(2) condition besides a lawful basis, which no
recorded flow names either (the legal table's ``special_category_condition``, where the
organisation's law has one).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, listed, short, summary_of
from flowaudit.model.facts import MapFacts
from flowaudit.policies.schema import StoreSourceRule

SUMMARY = summary_of(__doc__)

#: The legal table's duty a store of special-category data with no source leaves unjudged.
ART9_DUTY = "special_category_condition"
#: The finding's code for such a store: its own references (Art. 9 besides Art. 5, 6, 30).
SPECIAL = "no-source-special-category"


def _special(facts: MapFacts, categories: tuple[str, ...]) -> list[str]:
    """The categories a store holds that are special-category data (one, or under one)."""
    special = [c.id for c in facts.index.data.categories if c.special_category]
    if not special:
        return []
    relation = facts.taxonomy.relation
    return [c for c in categories if relation(c, special) == ()]


def _bears(facts: MapFacts) -> bool:
    """Whether some store of the map holds special-category data: the duty bears on the rule's
    verdicts only then ("Legal table used" lists it only then)."""
    return any(_special(facts, h.categories) for h in facts.holdings.values())


def evaluate(ctx: Context, rule: StoreSourceRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    facts = ctx.facts
    holdings = facts.holdings
    filled: set[str] = set()
    read: dict[str, list[str]] = {}  # store -> the flows that read out of it, in map order
    for flow in index.data.flows:
        filled.add(flow.target)
        read.setdefault(flow.source, []).append(flow.id)
    organisation = index.organisation
    regime = organisation.regime.value  # the duty follows the organisation's own law
    duty = ctx.legal.duty_applies(ART9_DUTY, regime, ctx.as_of)
    for system in ctx.matching_systems(rule):
        holding = holdings[system.id]
        if not holding.categories and not holding.subjects:
            continue  # no personal data recorded in it
        if not facts.holds_for_us(system):
            continue  # another controller's store: its own record
        element = ("systems", system.id)
        outcome.evaluated.append(element)
        if system.id in filled:
            continue
        held = [f"categories {listed(list(holding.categories))}"] if holding.categories else []
        if holding.subjects:
            held.append(f"data about {listed(list(holding.subjects))}")
        out = read.get(system.id)
        read_out = f" (flows read out of it: {listed(out)})" if out else ""
        special = _special(facts, holding.categories) if duty is not None else []
        if duty is not None and special:
            # special-category data: a basis is not enough, and the condition goes unjudged
            # too (DPO review v, point 5: the finding cited only Art. 5, 6 and 30)
            code = SPECIAL
            unjudged = (
                "purpose, lawful basis and Art. 9(2) condition are never judged (Art. 5(2), "
                f"Art. 6(1)): it holds special-category data ({listed(special)}), which may be "
                "processed only where a condition of Art. 9(2) applies besides an Art. 6 lawful "
                f"basis ({duty.read_as(regime).source}),"
            )
            recorded = "purpose, basis, Art. 9 condition (art9_condition) and notice clause"
        else:
            code = "no-source"
            unjudged = "purpose and lawful basis are never judged (Art. 5(2), Art. 6(1))"
            recorded = "purpose, basis and notice clause"
        outcome.fail(
            element,
            code,
            f"{short(system.name)} holds {' and '.join(held)}, but no flow writes into it"
            f"{read_out}: the processing that collects this data is not recorded, so its "
            f"{unjudged} and its record of processing has none (Art. 30(1)(b)); record the "
            f"flow that fills it, with its {recorded}: from: {organisation.id} where "
            f"{short(organisation.name)} collects the data from the people themselves (a form, "
            "an email, a call), or from the party that gives it",
        )
    return outcome


CHECK = Check(
    StoreSourceRule,
    SUMMARY,
    evaluate,
    duties=(ART9_DUTY,),
    duty_bears={ART9_DUTY: _bears},
)
