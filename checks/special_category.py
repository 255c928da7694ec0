"""Special category: a flow carrying special-category data (health, biometrics, beliefs...)
names an Art. 9(2) condition from the legal table besides its Art. 6 basis, and has what the
condition needs on file: explicit consent shown by a consent record marked explicit (as an
Art. 49(1)(a) transfer's is) whose own facts do not show the consent invalid, and, where the
regime's law asks for it (the UK's DPA 2018 Sch. 1 for employment and substantial public
interest), an appropriate policy document, as for criminal offence data.
"""

from __future__ import annotations

from flowaudit.checks.base import (
    CONSENT_NOT_VALID,
    Check,
    Context,
    Outcome,
    carried_words,
    explicit_consent_gap,
    missing_policy_document,
    summary_of,
)
from flowaudit.model.taxonomy import Related
from flowaudit.policies.schema import SpecialCategoryRule

SUMMARY = summary_of(__doc__)
_RECORD_MISSING = "consent-record-missing"  # the lawful-basis rule names the same fact


def evaluate(ctx: Context, rule: SpecialCategoryRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    special = [c.id for c in index.data.categories if c.special_category]
    conditions = ctx.legal.art9_conditions
    relation = ctx.facts.taxonomy.relation
    related: dict[str, Related | None] = {}  # per category: how it relates to a special one
    unrelated: set[str] = set()  # the categories found not related: most flows carry only these
    for flow in ctx.matching_flows(rule):
        if unrelated.issuperset(flow.categories):  # one test in C for most flows
            continue
        carried: list[Related] = []
        for c in flow.categories:
            if c not in related:
                includes = relation(c, special)
                related[c] = None if includes is None else Related(c, includes)
            hit = related[c]
            if hit is None:
                unrelated.add(c)
            else:
                carried.append(hit)
        if not carried:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if flow.art9_condition is None:
            # only a parent of a special category: a risk to confirm, graded as one
            # (DPO review 2026-12-02c, problem 14)
            code = "no-condition" if any(not r.includes for r in carried) else "may-no-condition"
            outcome.fail(element, code, f"{_carries(carried)} with no Art. 9 condition")
            continue
        condition = conditions.get(flow.art9_condition)
        if condition is None:
            outcome.fail(
                element,
                "unknown-condition",
                f"'{flow.art9_condition}' is not an Art. 9(2) condition; known: "
                f"{', '.join(conditions)}",
                ("art9_condition",),
            )
            continue
        if condition.requires_explicit_consent:
            record, code, gap = explicit_consent_gap(ctx.legal, index, flow)
            if gap is not None:
                outcome.fail(
                    element,
                    code,
                    f"{condition.name} needs a consent record showing that the person gave it "
                    f"(UK GDPR Art. 7(1), Art. 9(2)(a)); {gap}",
                    ("consent_record",),
                    # no record at all is also the lawful basis's missing consent record, and
                    # a record showing no valid consent the basis's invalid consent (a flow on
                    # consent): one problem, one finding citing both rules
                    fact=_RECORD_MISSING
                    if record is None
                    else (CONSENT_NOT_VALID if code == CONSENT_NOT_VALID else None),
                )
        missing = missing_policy_document(ctx, condition)
        if missing is not None:
            outcome.fail(element, "no-policy-document", missing, ("art9_condition",))
        if condition.claimed is not None:  # a pass says what it takes on trust
            outcome.assumed[element] = (
                f"{flow.art9_condition} for {flow.id}: {condition.name} applies "
                f"{condition.claimed}, which the map cannot show",
            )
    return outcome


def _carries(carried: list[Related]) -> str:
    """What the flow carries: special-category data as a fact, a parent of a special category
    as the risk it is (it may carry that data), one definition with the transfer check's."""
    sure, risks = carried_words(sorted(carried), "special category")
    words = [f"carries special-category data ({sure})"] if sure else []
    if risks:
        words.append(f"carries {risks} (a risk to confirm: it may carry that data)")
    return "; and ".join(words)


CHECK = Check(SpecialCategoryRule, SUMMARY, evaluate)
