"""Store contents: a flow into a store carries only the categories and subjects the store
declares. The record of processing describes each store by what it holds (Art. 30(1)(c));
a flow that writes more makes the record wrong, and the store's retention, security and
access are judged on contents it does not have (Art. 5(1)(c), 5(2)). A store that declares
neither categories nor subjects while flows write personal data into it, or read it out of it,
is one finding on the store (its record says nothing of what it holds), and so is one that
declares the categories but not the people, or the people but not the categories, while
flows move data of the kind left unsaid; the other rules judge it by what the flows move.
"""

from __future__ import annotations

from collections.abc import Iterable

from flowaudit.checks.base import Check, Context, Outcome, listed, short, summary_of
from flowaudit.model.problems import plural
from flowaudit.model.schema import Flow, System
from flowaudit.policies.schema import StoreContentsRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: StoreContentsRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    covered = ctx.facts.taxonomy.covered
    # stores that declare nothing: the flows into and out of each (what is read out of a
    # store is held in it too: DPO review 2026-12-02h, problem 14)
    unsaid: dict[str, list[Flow]] = {}
    holds_for_us = ctx.facts.holds_for_us  # another controller's store: its own record
    as_sets: dict[str, tuple[set[str], set[str]]] = {}  # a store's categories and subjects
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        source = index.systems.get(flow.source)
        if source is not None and _leaves_unsaid(source, flow) and holds_for_us(source):
            unsaid.setdefault(source.id, []).append(flow)
        if not facts.target.is_system:
            continue
        store = index.systems[flow.target]
        if _leaves_unsaid(store, flow) and holds_for_us(store):
            unsaid.setdefault(store.id, []).append(flow)
        if _says_nothing(store):
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        # the store's lists as sets, made once per store: a store of thousands of categories
        # was searched as a list for each category each flow writes (attack review
        # 2026-12-03p, problem 4)
        declared_sets = as_sets.get(store.id)
        if declared_sets is None:
            declared_sets = as_sets[store.id] = (set(store.categories), set(store.subjects))
        held_categories, held_subjects = declared_sets
        categories = (
            [
                (position, c)
                for position, c in enumerate(flow.categories)
                if not covered(c, held_categories)
            ]
            if store.categories
            else []
        )
        subjects = (
            [(position, s) for position, s in enumerate(flow.subjects) if s not in held_subjects]
            if store.subjects
            else []
        )
        if not categories and not subjects:
            continue
        more = []
        if categories:
            more.append(f"categories {listed([c for _, c in categories])}")
        if subjects:
            more.append(f"data about {listed([s for _, s in subjects])}")
        declared = []
        if store.categories:
            declared.append(f"categories {listed(store.categories)}")
        if store.subjects:
            declared.append(f"subjects {listed(store.subjects)}")
        field = ("categories", categories[0][0]) if categories else ("subjects", subjects[0][0])
        outcome.fail(
            element,
            "more-than-declared",
            f"writes {' and '.join(more)} into {short(store.name)} ({store.id}), which declares "
            f"only {' and '.join(declared)}: record what the store holds, or stop the flow "
            "writing it there",
            field,
        )
    for store_id, flows in sorted(unsaid.items()):
        store = index.systems[store_id]
        element = ("systems", store_id)
        outcome.evaluated.append(element)
        # what the record leaves unsaid, as the flows move it
        moved = [] if store.categories else _each(c for flow in flows for c in flow.categories)
        about = [] if store.subjects else _each(s for flow in flows for s in flow.subjects)
        written = [f"categories {listed(moved)}"] if moved else []
        if about:
            written.append(f"data about {listed(about)}")
        into = all(flow.target == store_id for flow in flows)
        verb = ("write" if into else "move") + ("s" if len(flows) == 1 else "")
        where = "into it" if into else "in or out of it"
        if _says_nothing(store):
            unsaid_part = "declares neither the categories nor the people it holds"
        elif store.categories:
            unsaid_part = "declares the categories it holds but not whose data they are"
        else:
            unsaid_part = "declares whose data it holds but not the categories"
        outcome.fail(
            element,
            "undeclared",
            f"{short(store.name)} {unsaid_part}, "
            f"while {plural(len(flows), 'flow')} ({listed([f.id for f in flows])}) "
            f"{verb} {' and '.join(written)} {where}: record what it holds (Art. 30(1)(c)); "
            "the other rules judge it by what the flows move",
        )
    return outcome


def _says_nothing(store: System) -> bool:
    """Whether a store's record says nothing of what it holds: no categories, no subjects."""
    return not store.categories and not store.subjects


def _each(names: Iterable[str]) -> list[str]:
    """The names, each once, in the order first named."""
    return list(dict.fromkeys(names))


def _leaves_unsaid(store: System, flow: Flow) -> bool:
    """Whether a flow in or out of a store moves data of a kind the store's record leaves
    unsaid: any, when it declares nothing; else categories when it declares none, people
    when it declares none (a store that drops one list is judged on it: attack review
    2026-12-02i, D)."""
    return _says_nothing(store) or (
        (not store.categories and bool(flow.categories))
        or (not store.subjects and bool(flow.subjects))
    )


CHECK = Check(StoreContentsRule, SUMMARY, evaluate)
