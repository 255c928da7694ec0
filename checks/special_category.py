"""Special category: a flow carrying special-category data (health, biometrics, beliefs...)
names an Art. 9(2) condition from the legal table besides its Art. 6 basis, and has what the
condition needs on file: explicit consent shown by a consent record marked explicit (as an
Art. 49(1)(a) transfer's is) whose own facts do not show the consent invalid, and, where the
regime's law asks for it (the UK's DPA 2018 Sch. 1 for employment and substantial public
interest), an appropriate policy document, as for criminal offence data.

A flow that only may carry special-category data (a parent of a special category, or one its
``may_carry`` names) and records no condition is a risk to confirm (``may-no-condition``, a
step below the rule), as the forbidden and transfer rules judge what a flow may carry: one
finding per flow, joined with another rule's risk given for the same reason.

A flow that states an Art. 9 condition while nothing it carries or may carry is marked special
(``condition-on-ordinary-data``) contradicts the map: the data is special but unmarked (and
then audited as ordinary data), or the condition is a stray. The DPO resolves which.

A condition that holds only where the data is not disclosed outside the body without the
people's consent (Art. 9(2)(d), not-for-profit bodies) fails on a flow to another controller
(independent or joint) that links no valid consent record covering its purpose
(``disclosed-outside-body``, graded as no condition); the body's processors are not outside it.


Where the organisation processes the data as another controller's processor (received
with recipient role processor, or moved only for that controller, for its purpose) the
Art. 9 condition is the controller's to hold, as the Art. 6 basis is (Art. 28(3)(a), 29):
the flow is left unjudged with a note saying so, never passed (review s16, problem 2).

Likewise a hop the organisation's own processor makes for it (to its sub-processor or
into its own store, naming no basis and no condition, for a purpose and with data the
organisation's own flows have): it acts on the organisation's instructions, so it rests
on the Art. 9 condition the organisation's own flow names, judged on that flow, as the
lawful-basis rule reads the same hops (lawyer review s20, problem 1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flowaudit.checks.base import (
    CONSENT_GAP_FACTS,
    CONTROLLERS_CONDITION,
    OUR_CONDITION,
    Check,
    Context,
    Outcome,
    carried_words,
    consent_not_valid,
    controllers_to_hold,
    explicit_consent_gap,
    fail_without_condition,
    missing_policy_document,
    our_purpose_categories,
    purpose_not_covered,
    rests_on_our_condition,
    staff_consent,
    summary_of,
    unmarked_categories,
)
from flowaudit.model.graph import FlowFacts
from flowaudit.model.schema import Flow, Role
from flowaudit.model.taxonomy import Related
from flowaudit.policies.legal import Art9Condition
from flowaudit.policies.schema import SpecialCategoryRule

SUMMARY = summary_of(__doc__)
_RECORD_MISSING = "consent-record-missing"  # the lawful-basis rule names the same fact
#: A condition stated for data the map does not mark special (auditor review 2026-12-03g, 1).
CONDITION_ON_ORDINARY_DATA = "condition-on-ordinary-data"
#: Art. 9(2)(d) data disclosed outside the body without consent (DPO review 2026-12-03s, 1).
DISCLOSED_OUTSIDE = "disclosed-outside-body"


def evaluate(ctx: Context, rule: SpecialCategoryRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    special = [c.id for c in index.data.categories if c.special_category]
    # each category of an Art. 9(1) kind, by its kind: a processor's hop rests on the
    # condition the organisation's flows name for data of that kind (``rests_on_our_condition``)
    kinds = {c.id: str(c.art9_kind) for c in index.data.categories if c.art9_kind is not None}
    criminal_ids = [c.id for c in index.data.categories if c.criminal_offence]
    conditions = ctx.legal.art9_conditions
    relation = ctx.facts.taxonomy.relation
    related: dict[str, Related | None] = {}  # per category: how it relates to a special one
    unrelated: set[str] = set()  # the categories found not related: most flows carry only these
    named: dict[str, list[str]] | None = None  # the conditions flows name, per purpose
    ours: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] | None = None
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        if (
            unrelated.issuperset(flow.categories)
            and flow.may_carry is None
            and flow.art9_condition is None
        ):
            continue  # one test in C for most flows
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
        may = _may_carry(flow, special, relation)
        if not carried and not may:
            if flow.art9_condition is not None:
                outcome.evaluated.append(("flows", flow.id))
                criminal = [c for c in flow.categories if relation(c, criminal_ids) == ()]
                _condition_on_ordinary_data(outcome, flow, criminal)
            continue
        if controllers_to_hold(ctx, flow):
            # the organisation as another controller's processor: the Art. 9 condition is
            # that controller's, a note and not a finding (review s16, problem 2)
            outcome.skip(CONTROLLERS_CONDITION)
            continue
        if ours is None:
            ours = our_purpose_categories(ctx)
        if rests_on_our_condition(ctx, flow, flow.art9_condition, ours, kinds):
            # the organisation's processor's hop for it: the condition is the one the
            # organisation's own flow names, judged there (lawyer review s20, problem 1)
            outcome.skip(OUR_CONDITION)
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if flow.art9_condition is None:
            if named is None:  # once per audit, at the first flow that needs it
                named = _conditions_by_purpose(ctx)
            _judge_no_condition(outcome, flow, carried, may, named)
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
            record, code, gap = explicit_consent_gap(ctx, flow)
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
                    # (a record for other purposes is the basis's purpose-not-consented:
                    # lawyer review s16, problem 2)
                    fact=_RECORD_MISSING if record is None else CONSENT_GAP_FACTS.get(code),
                )
            else:
                # the organisation's own staff: the same note as on the Art. 6 basis (DPO
                # review 2026-12-03p, problem 2)
                staff = staff_consent(ctx, flow, condition.name, "another Art. 9 condition")
                if staff is not None:
                    outcome.assumed[element] = (*outcome.assumed.get(element, ()), staff)
        missing = missing_policy_document(ctx, condition)
        if missing is not None:
            outcome.fail(element, "no-policy-document", missing, ("art9_condition",))
        if condition.not_disclosed_outside is not None:
            outside = _disclosed_outside(ctx, facts, condition)
            if outside is not None:
                outcome.fail(element, DISCLOSED_OUTSIDE, outside, ("art9_condition",))
                continue
        # a pass says what it takes on trust, as the organisation's regime reads the
        # condition: an EU organisation's (g) rests on Union or Member State law, not on DPA
        # 2018 Sch. 1 (auditor review 2026-12-03r, problem 3)
        claimed = condition.read_as(ctx.index.organisation.regime.value).claimed
        if claimed is not None:
            outcome.assumed[element] = (
                *outcome.assumed.get(element, ()),
                f"{flow.art9_condition}: {condition.name} applies "
                f"{claimed}, which the map cannot show",
            )
    return outcome


def _disclosed_outside(ctx: Context, facts: FlowFacts, condition: Art9Condition) -> str | None:
    """What a finding says of a flow on a condition that holds only where the data is not
    disclosed outside the body without the people's consent (Art. 9(2)(d)), where the flow
    goes to another controller (independent or joint: outside the body) and links no valid
    consent record covering its purpose; None otherwise. The body's processors (and its own
    systems) are not outside it: a processor acts only on the body's instructions (Art.
    28(3)(a), 29), so what it gets is not disclosed (DPO review 2026-12-03s, problem 1)."""
    flow = facts.flow
    if facts.role not in (Role.CONTROLLER, Role.JOINT_CONTROLLER):
        return None
    if facts.target.party_id == facts.sender:
        return None
    index = ctx.index
    record = index.consent_records.get(flow.consent_record or "")
    if record is None:
        gap = "no consent record is linked"
    else:
        invalid = consent_not_valid(ctx.legal, record, ctx.as_of)
        if invalid is not None:
            gap = invalid
        elif not ctx.consent_covers(record, flow.purpose):
            gap = purpose_not_covered(record, flow.purpose)
        else:
            return None
    read = condition.read_as(index.organisation.regime.value)
    return (
        f"{ctx.parties(facts)}: {condition.name} holds only where "
        f"{condition.not_disclosed_outside} ({read.source}); this flow discloses "
        f"it to another controller and {gap}: link the people's "
        "consent to this disclosure, or name another Art. 9 condition"
    )


def _condition_on_ordinary_data(outcome: Outcome, flow: Flow, criminal: Sequence[str]) -> None:
    """A flow that states an Art. 9 condition while nothing it carries, or may carry, is
    special-category data in the map: the map contradicts itself, and one of the two is wrong.
    Either the data is special (health notes with no ``art9_kind``: every Art. 9 and sensitive
    transfer duty then passes it as ordinary data, silently) or the condition is a stray
    (auditor review 2026-12-03g, problem 1). A DPO must resolve it: one finding, located at the
    condition, rated by the policy (GDPR-ART9 rates it medium: an under-audit to resolve, not a
    breach shown)."""
    carried = ", ".join(flow.categories)
    if criminal:  # Art. 10's, not Art. 9's (DPO review 2026-12-03k, problem 6)
        fix = (
            f"{', '.join(criminal)} is criminal offence data, which takes an Art. 10 "
            "condition (art10_condition), not an Art. 9 one: drop the Art. 9 condition, or "
            "mark the category's art9_kind if it is special-category data too"
        )
    else:
        fix = "if it is, mark the category's art9_kind; if it is not, drop the condition"
    outcome.fail(
        ("flows", flow.id),
        CONDITION_ON_ORDINARY_DATA,
        f"states the Art. 9 condition '{flow.art9_condition}', but none of what it carries "
        f"({carried}) is marked special-category data: {fix}",
        ("art9_condition",),
    )


def _may_carry(
    flow: Flow, special: list[str], relation: Callable[[str, list[str]], tuple[str, ...] | None]
) -> list[Related]:
    """What of a special category the flow's ``may_carry`` names (a special category, one
    under it, or a parent of one), in the taxonomy's one definition."""
    may = flow.may_carry
    if may is None or not may.categories or not special:
        return []
    found = []
    for category in may.categories:
        includes = relation(category, special)
        if includes is not None:
            found.append(Related(category, includes))
    return found


def _judge_no_condition(
    outcome: Outcome,
    flow: Flow,
    carried: list[Related],
    may: list[Related],
    named: dict[str, list[str]] | None = None,
) -> None:
    """A flow with no Art. 9 condition: one finding, whatever it carries. Special-category
    data it carries is a breach (no-condition); only a parent of a special category, or data
    it only may carry (``may_carry``: a remote session that can show a patient chart), is a
    risk to confirm graded as one (may-no-condition, a step lower), as the forbidden and
    transfer rules judge what a flow may carry (auditor review 2026-12-02f, problem 2)."""
    certain = any(not r.includes for r in carried)
    said = f"{_carries(carried)} with no Art. 9 condition" if carried else ""
    if certain and named is not None:
        said += _what_to_write(flow, named.get(flow.purpose, []))
    # only a parent of a special category is a risk to confirm, graded as one (DPO review
    # 2026-12-02c, problem 14)
    fail_without_condition(
        outcome,
        flow,
        carried,
        may,
        said,
        certain,
        ("special category", "special-category data", "Art. 9"),
        ((), () if certain else ("may_carry", "categories")),
        ordered=True,
    )


def _conditions_by_purpose(ctx: Context) -> dict[str, list[str]]:
    """The Art. 9 conditions the map's flows name, per purpose (sorted)."""
    named: dict[str, set[str]] = {}
    for flow in ctx.index.data.flows:
        if flow.art9_condition is not None:
            named.setdefault(flow.purpose, set()).add(flow.art9_condition)
    return {purpose: sorted(conditions) for purpose, conditions in named.items()}


def _what_to_write(flow: Flow, named: list[str]) -> str:
    """What a flow that carries special-category data with no condition should record, and
    where, with the conditions the map's other flows for the same purpose name. A processor's
    backup of patient records (a hop the lawful-basis rule asks no basis of) said only "with
    no Art. 9 condition", and a newcomer did not know that the condition goes on every flow
    of the data, as on the collection's (newcomer review s20)."""
    others = (
        f" (the map's other flows for '{flow.purpose}' name {', '.join(named)})" if named else ""
    )
    return (
        ": record on this flow, as art9_condition, the Art. 9(2) condition its processing "
        f"rests on{others}"
    )


def _carries(carried: list[Related]) -> str:
    """What the flow carries: special-category data as a fact, a parent of a special category
    as the risk it is (it may carry that data), one definition with the transfer check's."""
    sure, risks = carried_words(sorted(carried), "special category")
    words = [f"carries special-category data ({sure})"] if sure else []
    if risks:
        words.append(f"carries {risks} (a risk to confirm: it may carry that data)")
    return "; and ".join(words)


def _warn(ctx: Context, rules: Sequence[SpecialCategoryRule]) -> list[str]:
    """Categories that read as special-category data but are not marked (checks/base.py)."""
    return unmarked_categories(ctx, criminal=False)


#: The legal table's Art. 9 duty, the one HYG-STORE-SOURCE declares for a store filled by no
#: flow: this kind applies Art. 9(2) to every flow carrying special-category data, so its
#: passes and findings are counted under the duty in "Legal table used" (newcomer review s9,
#: problem 4: the table said "1 pass", the store rule's, beside GDPR-ART9's 2).
ART9_DUTY = "special_category_condition"

CHECK = Check(SpecialCategoryRule, SUMMARY, evaluate, warn=_warn, duties=(ART9_DUTY,))
