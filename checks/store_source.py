"""Store source: a store that holds personal data for the organisation (its own, or its
processor's) is filled by some flow the map records, for every group of people and every
category it declares. The map records processing as flows: data in a store that no flow
writes into was collected by processing recorded nowhere, so its purpose, lawful basis and
notice clause are never judged, and its row of the record of processing has none (Art. 5(2),
6(1), 30(1)(b)). A store that says it holds nothing and moves nothing is not judged; another
controller's store is that controller's record (DPO review 2026-12-03u, problem 4: a job
applicants' store with no flow passed in silence). A store filled for one group of people
only is judged for the others it declares: one of two flows filling it deleted, the store
still said it held the other group's data, and the remaining flow passed the rule (attack
review 2026-12-03v, problem 1). A store of special-category data says so: its processing
needs an Art. 9(2) condition besides a lawful basis, which no recorded flow names either (the
legal table's ``special_category_condition``, where the organisation's law has one); this holds
for a group of people no flow brings as much as for a category (DPO review w, problem 4). A
flow brings data only if it traces back to a collection (from the organisation, a party or
another controller's store, directly or through stores so filled): a store fed only by itself
or by stores feeding each other collects nothing (attack review 2026-12-03w, problem 2).
What a flow only may carry (``may_carry``: the health notes customers may write in support
tickets) is brought by it too: the flow records the collection, and the special-category
rule judges its Art. 9 condition as a risk to confirm (newcomer review s21).
"""

from __future__ import annotations

from typing import NamedTuple

from flowaudit.checks.base import Check, Context, Outcome, listed, short, summary_of
from flowaudit.model.facts import MapFacts
from flowaudit.model.taxonomy import ancestors
from flowaudit.policies.legal import Duty
from flowaudit.policies.schema import StoreSourceRule

SUMMARY = summary_of(__doc__)

#: The legal table's duty a store of special-category data with no source leaves unjudged.
ART9_DUTY = "special_category_condition"
#: The finding's code for such a store: its own references (Art. 9 besides Art. 5, 6, 30).
SPECIAL = "no-source-special-category"
#: The code for a store some flow fills, but not with every group or category it declares,
#: and for one whose unbrought categories are special-category data.
PART = "part-sourced"
SPECIAL_PART = "part-sourced-special-category"


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


def not_brought(
    categories: tuple[str, ...], subjects: tuple[str, ...], brought: tuple[set[str], set[str]]
) -> tuple[list[str], list[str]]:
    """The declared categories and subjects that ``brought`` (what the flows into the store
    carry; the gate passes one deleted flow's) does not bring. A category is
    brought by a flow carrying it, a broader one (``contact`` brings ``contact.email``) or a
    narrower one (``contact.email`` fills a store said to hold ``contact``)."""
    carried, about = brought
    above = {a for c in carried for a in ancestors(c)}  # each carried category and its parents
    return (
        [c for c in categories if c not in above and ancestors(c).isdisjoint(carried)],
        [s for s in subjects if s not in about],
    )


def _unjudged(special: list[str], duty: Duty | None, regime: str) -> tuple[str, str]:
    """What the unrecorded collection leaves unjudged, and what the flow that fills the store
    records: with special-category data, its Art. 9(2) condition too (DPO review v, point 5:
    the finding cited only Art. 5, 6 and 30)."""
    if duty is not None and special:
        return (
            "purpose, lawful basis and Art. 9(2) condition are never judged (Art. 5(2), "
            f"Art. 6(1)): it holds special-category data ({listed(special)}), which may be "
            "processed only where a condition of Art. 9(2) applies besides an Art. 6 lawful "
            f"basis ({duty.read_as(regime).source}),",
            "purpose, basis, Art. 9 condition (art9_condition) and notice clause",
        )
    return (
        "purpose and lawful basis are never judged (Art. 5(2), Art. 6(1))",
        "purpose, basis and notice clause",
    )


def _ours(facts: MapFacts) -> frozenset[str]:
    """The stores whose contents are the organisation's to account for: a flow out of one of
    them collects nothing, it moves what some other flow brought."""
    return frozenset(s.id for s in facts.index.data.systems if facts.holds_for_us(s))


def _sourced(facts: MapFacts, ours: frozenset[str]) -> frozenset[str]:
    """The organisation's stores that some chain of flows fills from a collection: a flow
    from the organisation, a party or another controller's store, then on through its
    stores. Worked out once, in one pass over the flows (the rule runs on 100,000-flow
    maps): a store fed only by itself or by stores that feed each other holds data no
    recorded flow collects (attack review 2026-12-03w, problem 2)."""
    onward: dict[str, list[str]] = {}
    reached: set[str] = set()
    for flow in facts.index.data.flows:
        if flow.source in ours:
            onward.setdefault(flow.source, []).append(flow.target)
        elif flow.target in ours:
            reached.add(flow.target)
    todo = list(reached)
    while todo:
        for target in onward.get(todo.pop(), ()):
            if target in ours and target not in reached:
                reached.add(target)
                todo.append(target)
    return frozenset(reached)


class Filling(NamedTuple):
    """What the map's flows bring into its stores, as the rule reads it (one pass)."""

    into: dict[str, tuple[set[str], set[str]]]
    """Per store, the categories and subjects the flows that bring data into it carry or
    only may carry (``may_carry``)."""
    filled_by: dict[str, list[str]]
    """Per store, the flows that bring data into it, in map order."""
    unsourced: dict[str, list[str]]
    """Per store, the flows into it from stores nothing collects into."""
    read: dict[str, list[str]]
    """Per store (or any sender), the flows that read out of it, in map order."""


def filling(facts: MapFacts) -> Filling:
    """What writes into each store: a flow from a collection (the organisation, a party or
    another controller's store) or from a store so filled. The gate reads it too, to tell a
    flow deleted while its store still declares the data it brought, which nothing else
    brings (attack review s9, problem 1)."""
    ours = _ours(facts)
    sourced = _sourced(facts, ours)
    found = Filling({}, {}, {}, {})
    into, filled_by, unsourced, read = found
    # one pass over every flow: dict.get, not setdefault, whose default (two new sets, a
    # new list) was built for each of 100,000 flows; keys still first seen in map order
    for flow in facts.index.data.flows:
        source, target, flow_id = flow.source, flow.target, flow.id
        if (reads := read.get(source)) is None:
            read[source] = [flow_id]
        else:
            reads.append(flow_id)
        if source in sourced or source not in ours:
            if (pair := into.get(target)) is None:
                pair = into[target] = (set(), set())
            pair[0].update(flow.categories)
            pair[1].update(flow.subjects)
            may = flow.may_carry
            if may is not None:
                # what a flow only may carry is brought too, as a risk: the flow records
                # its collection (purpose, basis, notice), and the special-category rule
                # judges its Art. 9 condition as a risk to confirm (newcomer review s21: a
                # helpdesk declaring the health notes tickets may carry was told no flow
                # brings them, beside GDPR-ART9's finding on the same risk)
                pair[0].update(may.categories)
                pair[1].update(may.subjects)
            if (fillers := filled_by.get(target)) is None:
                filled_by[target] = [flow_id]
            else:
                fillers.append(flow_id)
        elif (unfed := unsourced.get(target)) is None:
            unsourced[target] = [flow_id]
        else:
            unfed.append(flow_id)
    return found


def evaluate(ctx: Context, rule: StoreSourceRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    facts = ctx.facts
    holdings = facts.holdings
    into, filled_by, unsourced, read = filling(facts)
    organisation = index.organisation
    regime = organisation.regime.value  # the duty follows the organisation's own law
    duty = ctx.legal.duty_applies(ART9_DUTY, regime, ctx.as_of)

    def fill(recorded: str) -> str:
        return (
            f"record the flow that fills it, with its {recorded}: from: {organisation.id} "
            f"where {short(organisation.name)} collects the data from the people themselves (a "
            "form, an email, a call), or from the party that gives it"
        )

    for system in ctx.matching_systems(rule):
        holding = holdings[system.id]
        if not holding.categories and not holding.subjects:
            continue  # no personal data recorded in it
        if not facts.holds_for_us(system):
            continue  # another controller's store: its own record
        element = ("systems", system.id)
        outcome.evaluated.append(element)
        brought = into.get(system.id)
        looped = unsourced.get(system.id)  # flows in from stores nothing collects into
        if brought is None:
            held = [f"categories {listed(list(holding.categories))}"] if holding.categories else []
            if holding.subjects:
                held.append(f"data about {listed(list(holding.subjects))}")
            out = read.get(system.id)
            notes: list[str] = []
            if looped:
                notes.append(
                    f"flows into it only from stores nothing collects into: {listed(looped)}"
                )
            if out:
                notes.append(f"flows read out of it: {listed(out)}")
            said = f" ({'; '.join(notes)})" if notes else ""
            special = _special(facts, holding.categories) if duty is not None else []
            unjudged, recorded = _unjudged(special, duty, regime)
            verb = "brings its data from where it is collected" if looped else "writes into it"
            outcome.fail(
                element,
                SPECIAL if duty is not None and special else "no-source",
                f"{short(system.name)} holds {' and '.join(held)}, but no flow {verb}"
                f"{said}: the processing that collects this data is not "
                f"recorded, so its {unjudged} and its record of processing has none "
                f"(Art. 30(1)(b)); {fill(recorded)}",
            )
            continue
        no_category, no_subject = not_brought(holding.categories, holding.subjects, brought)
        if not no_category and not no_subject:
            continue
        missing = [f"data about {listed(no_subject)}"] if no_subject else []
        if no_category:
            missing.append(f"categories {listed(no_category)}")
        # Every category the store holds is held about each subject no flow brings, so with a
        # subject unbrought the special categories are all of the store's, not only the
        # unbrought ones (DPO review w, problem 4: customers' data in a health store, with no
        # source, got the ordinary code and no Art. 9).
        unbrought = holding.categories if no_subject else tuple(no_category)
        special = _special(facts, unbrought) if duty is not None else []
        unjudged, recorded = _unjudged(special, duty, regime)
        unfilled = f"; {listed(looped)} only from stores nothing collects into" if looped else ""
        outcome.fail(
            element,
            SPECIAL_PART if duty is not None and special else PART,
            f"{short(system.name)} holds {' and '.join(missing)}, but no flow that writes into "
            f"it brings {'them' if len(no_subject) + len(no_category) > 1 else 'it'} (flows into "
            f"it: {listed(filled_by[system.id])}{unfilled}): the processing that collects "
            f"this data is not recorded, so its {unjudged} and its record of processing has "
            f"none (Art. 30(1)(b)); {fill(recorded)}",
            ("subjects",) if no_subject else ("categories",),
        )
    return outcome


CHECK = Check(
    StoreSourceRule,
    SUMMARY,
    evaluate,
    duties=(ART9_DUTY,),
    duty_bears={ART9_DUTY: _bears},
)
