"""Store source: a store that holds personal data for the organisation (its own, or its
processor's) is filled by some flow the map records. The map records processing as flows: a
store no flow writes into holds data whose collection is recorded nowhere, so its purpose,
lawful basis and notice clause are never judged, and its row of the record of processing
has none (Art. 5(2), 6(1), 30(1)(b)). A store that says it holds nothing and moves nothing is
not judged; another controller's store is that controller's record (DPO review 2026-12-03u,
problem 4: a job applicants' store with no flow passed in silence).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, listed, short, summary_of
from flowaudit.policies.schema import StoreSourceRule

SUMMARY = summary_of(__doc__)


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
        outcome.fail(
            element,
            "no-source",
            f"{short(system.name)} holds {' and '.join(held)}, but no flow writes into it"
            f"{read_out}: the processing that collects this data is not recorded, so its "
            "purpose and lawful basis are never judged (Art. 5(2), Art. 6(1)) and its record "
            "of processing has none (Art. 30(1)(b)); record the flow that fills it, with its "
            f"purpose, basis and notice clause: from: {organisation.id} where "
            f"{short(organisation.name)} collects the data from the people themselves (a form, "
            "an email, a call), or from the party that gives it",
        )
    return outcome


CHECK = Check(StoreSourceRule, SUMMARY, evaluate)
