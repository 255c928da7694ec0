"""Special category: a flow carrying special-category data (health, biometrics, beliefs...)
names an Art. 9(2) condition from the legal table besides its Art. 6 basis.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.policies.schema import SpecialCategoryRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: SpecialCategoryRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    special = [c.id for c in index.data.categories if c.special_category]
    conditions = ctx.legal.art9_conditions
    taxonomy = ctx.facts.taxonomy
    related: dict[str, bool] = {}  # per category: a special one, under or above one
    unrelated: set[str] = set()  # the categories found not related: most flows carry only these
    for flow in ctx.matching_flows(rule):
        if unrelated.issuperset(flow.categories):  # one test in C for most flows
            continue
        carried = []
        for c in flow.categories:
            hit = related.get(c)
            if hit is None:
                hit = related[c] = taxonomy.covered(c, special) or any(
                    taxonomy.covered(s, [c]) for s in special
                )
            if hit:
                carried.append(c)
            else:
                unrelated.add(c)
        if not carried:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if flow.art9_condition is None:
            outcome.fail(
                element,
                "no-condition",
                f"carries special-category data ({', '.join(sorted(carried))}) with no Art. 9 "
                "condition",
            )
        elif flow.art9_condition not in conditions:
            outcome.fail(
                element,
                "unknown-condition",
                f"'{flow.art9_condition}' is not an Art. 9(2) condition; known: "
                f"{', '.join(conditions)}",
                ("art9_condition",),
            )
    return outcome


CHECK = Check(SpecialCategoryRule, SUMMARY, evaluate)
