"""Forbidden: no matched flow or store may carry these categories, data subjects or
purposes (no pupil, student or parent data; nothing sold or used for advertising;
credentials never passed on).

A flow's ``may_carry`` (what it may carry without being meant to: free text in a ticket) is
judged too, with codes of its own (``may-subject``, ``may-category``) that a policy may rate
apart from what the flow is recorded to carry. A subject matches by id or by its shared
vocabulary key (fides_key).

A category above a forbidden one includes it (``payment``, which includes
``payment.card.security_code``): a flow that carries it, or a store that holds it, may carry
that data, a risk to confirm (``may-category-in-parent``, a step below the rule unless the
policy grades it), worded with the special-category check's words; beside a forbidden category
it is said in that category's finding, and where the flow's ``may_carry`` names the same data
its risk says it. In ``may_carry`` such a category is the same risk as the forbidden one
named there (``may-category``).

A rule's ``subject_consequence`` says what carrying a listed subject means (a notice's
statement it contradicts); ``subject_consequence_as_controller`` is said instead where the map
does not record the organisation holding that data as another controller's processor (it did
not come in only through flows with recipient role processor, or the organisation collects it
itself for the flow's purpose: the role is read per flow, from its data and purpose, not per
group of people).

A store that a flow fills with the forbidden data (one it carries, or only may carry) is
left out of the evaluated stores unless it fails itself: the flow's finding reports the
data, and the store's own record (which may not list it) is no evidence of a pass.

With ``protect_stores`` (credentials: the notice lets the helpdesk hold them, never pass them
on), every store holding the categories must record its ``protection`` (redaction on arrival,
a password vault; Art. 32); an unprotected store's finding (``store-unprotected``) names the
flows that may carry the categories on, which are then not reported one by one: they are its
``flows``, and its ``problem`` leaves them out (the gate matches it without them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from flowaudit.checks.base import (
    Check,
    Context,
    MayRisks,
    Outcome,
    carried_words,
    category_fact,
    is_blank,
    listed,
    reads_as_children,
    short,
    summary_of,
    word_in,
)
from flowaudit.checks.processor_duties import own_copies
from flowaudit.model.schema import Flow, MayCarry, System
from flowaudit.model.taxonomy import Related, covered
from flowaudit.policies.schema import FORBIDDEN_IN_PARENT, ForbiddenRule

SUMMARY = summary_of(__doc__)


_Problem = tuple[str, str, tuple[str | int, ...], str | None]  # (code, message, field, fact)


#: The fact the agreement rule's role-undecided names (checks/agreement.py ROLE_UNDECIDED):
#: a forbidden category sent to a recipient of unrecorded role is one finding with it.
_ROLE_UNDECIDED = "role-undecided"

#: The code of a category carried (or held) that includes a forbidden one without being one
#: (``payment`` for ``payment.card.security_code``): a risk to confirm, graded a step below the
#: rule unless the policy grades it (policies/schema.py ``ForbiddenRule``).
IN_PARENT = FORBIDDEN_IN_PARENT


def _judge(
    ctx: Context,
    rule: ForbiddenRule,
    categories: list[str],
    subjects: list[str],
    what: str,
    prefix: tuple[str, ...] = (),
    code_prefix: str = "",
    reason: str = "",
    as_processor: Callable[[set[str]], bool] = lambda subjects: True,
) -> list[_Problem]:
    """One problem for the forbidden categories and one for the forbidden subjects an element
    carries or holds: a list of forbidden subjects on one flow is one problem. A category
    above a forbidden one (``payment``, which includes ``payment.card.security_code``) is
    worded as the risk it is, with the special-category check's words: beside a forbidden
    category, in its problem; alone, a risk of its own (``IN_PARENT``; in what a flow only may
    carry, that risk, ``may-category``)."""
    index = ctx.index
    problems: list[_Problem] = []
    if rule.categories:
        problems.extend(_categories(ctx, rule, categories, what, prefix, code_prefix, reason))
    forbidden = set(rule.subjects)
    bad_subjects = [
        (position, subject)
        for position, subject in enumerate(subjects)
        if subject in forbidden
        or (subject in index.subjects and index.subjects[subject].fides_key in forbidden)
    ]
    if bad_subjects:
        names = ", ".join(
            short(index.subjects[s].name) if s in index.subjects else s for _, s in bad_subjects
        )
        consequence = rule.subject_consequence
        if rule.subject_consequence_as_controller is not None and not as_processor(
            {s for _, s in bad_subjects}
        ):
            consequence = rule.subject_consequence_as_controller
        if consequence is None:
            message = f"{what} data about {names}, which is forbidden{reason}"
        elif code_prefix:  # only may carry: the map's guess, a risk to confirm
            message = f"{what} data about {names}{reason}; a risk to confirm: if so, {consequence}"
        else:
            message = f"{what} data about {names}: {consequence}"
        problems.append(
            (
                f"{code_prefix}subject",
                message,
                (*prefix, "subjects", bad_subjects[0][0]),
                None,
            )
        )
    return problems


def _categories(
    ctx: Context,
    rule: ForbiddenRule,
    categories: list[str],
    what: str,
    prefix: tuple[str, ...],
    code_prefix: str,
    reason: str,
) -> list[_Problem]:
    """The problem (none or one) of the forbidden categories an element carries, holds or
    may carry: those that are, or fall under, a forbidden one, and those above one that
    include it (a risk: it may carry that data), in ``Taxonomy.relation``'s one definition."""
    relation = ctx.facts.taxonomy.relation
    sure: list[tuple[int, str]] = []
    above: list[tuple[int, Related]] = []
    for position, category in enumerate(categories):
        includes = relation(category, rule.categories)
        if includes is None:
            continue
        if includes:
            above.append((position, Related(category, includes)))
        else:
            sure.append((position, category))
    named = [c for _, c in sure]
    # a category above a forbidden one it carries as well says nothing more
    above = [(i, r) for i, r in above if not all(covered(c, named) for c in r.includes)]
    if not sure and not above:
        return []
    _, risks = carried_words([r for _, r in above], "forbidden category")
    included = [c for _, r in above for c in r.includes]
    may = bool(code_prefix)  # what a flow only may carry: a risk however it is named
    verb = "hold" if what == "store holds" else "carry"
    if sure:
        names = ", ".join(f"'{c}'" for c in named)
        message = f"{what} forbidden categor{'ies' if len(sure) > 1 else 'y'} {names}"
        if risks:
            message += f", and {risks}" if may else f"; and {what} {risks}"
            message += "" if may else f" (a risk to confirm: it may {verb} that data)"
        return [
            (
                f"{code_prefix}category",
                message + reason + ("; a risk to confirm" if may else ""),
                (*prefix, "categories", sure[0][0]),
                category_fact([*named, *included] if may else named, may=may),
            )
        ]
    if may:
        message = f"{what} {risks}{reason}; a risk to confirm"
    else:
        message = f"{what} {risks} (a risk to confirm: it may {verb} that data)"
    return [
        (
            f"{code_prefix}category" if may else IN_PARENT,
            message,
            (*prefix, "categories", above[0][0]),
            category_fact(included, may=True),
        )
    ]


def _judge_purpose(ctx: Context, rule: ForbiddenRule, outcome: Outcome, flow: Flow) -> None:
    """A flow whose purpose is, or is a kind of, one the rule forbids."""
    if not ctx.purposes_of(flow.purpose).isdisjoint(rule.purposes):
        outcome.fail(
            ("flows", flow.id),
            "purpose",
            f"has the forbidden purpose '{flow.purpose}'",
            ("purpose",),
            fact=rule.purpose_fact,
        )


def evaluate(ctx: Context, rule: ForbiddenRule) -> Outcome:
    outcome = Outcome()
    # What flows only may carry, for one stated reason, is one risk wherever the data goes
    # (tickets, then the servers that host them): one finding, on the first flow in map order,
    # naming the others, not one per flow repeating the same reason.
    risks = MayRisks()
    # stores a flow fills with the forbidden data (carried or only may carry): the flow's
    # finding reports it, and the store is no evidence that the statement is true
    filled: set[str] = set()
    # a processor's use of the organisation's data outside its instructions stays judged
    # by a forbidden purpose: the data sold on for advertising through the organisation's
    # chain is the sale the notice rules out, whoever the map says decides the purpose
    # (attack review s7, problem 1: `controller:` on the purpose took the CRITICAL away);
    # what it carries is the Art. 28(10) finding's, not the organisation's holding
    outside = ctx.facts.outside_instructions
    for facts in ctx.matching_facts(rule, with_outside=bool(rule.purposes)):
        flow = facts.flow
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if flow.id in outside:
            _judge_purpose(ctx, rule, outcome, flow)
            continue
        held = partial(_held_as_processor, ctx, flow.source, flow)
        may = flow.may_carry
        for code, message, field, fact in _judge(
            ctx, rule, flow.categories, flow.subjects, "carries", as_processor=held
        ):
            filled.add(flow.target)
            if code == IN_PARENT and may is not None and _said_by(ctx, rule, flow, may):
                continue  # what it may carry says it, with the map's reason: one finding
            outcome.fail(element, code, message, field, fact=fact)
        if may is not None:
            reason = f": {may.reason}" if may.reason else ""
            # what the flow is recorded to carry is found above: the same data named in its
            # may_carry is no second risk (review s16: a recorded card code was a HIGH and,
            # named in may_carry too, a MEDIUM risk on the same flow)
            for code, message, field, fact in _judge(
                ctx,
                rule,
                [c for c in may.categories if c not in flow.categories],
                [s for s in may.subjects if s not in flow.subjects],
                "may carry",
                ("may_carry",),
                "may-",
                reason,
                held,
            ):
                risks.add(flow, code.removeprefix("may-"), message, field, fact)
                filled.add(flow.target)
        _judge_purpose(ctx, rule, outcome, flow)
    if rule.undecided_roles and rule.match.recipient_roles:
        _judge_undecided(ctx, rule, outcome, filled)
    # Stores the notice lets hold the categories (passwords in the helpdesk) must protect
    # them; what flows may carry on from there is the same problem (unprotected passwords
    # spreading): named in the store's finding, not reported flow by flow.
    unprotected = _unprotected_stores(ctx, rule) if rule.protect_stores else []
    carried_on = risks.take("may-category") if unprotected else []
    # a flow whose only problem is named in another finding is not evidence of a pass
    risks.report(outcome, also_named=carried_on)
    if rule.protect_stores:
        _judge_protection(ctx, rule, outcome, unprotected, list(dict.fromkeys(carried_on)))
    if rule.include_stores:
        for system in ctx.matching_systems(rule):
            element = ("systems", system.id)
            problems = _judge(
                ctx,
                rule,
                system.categories,
                system.subjects,
                "store holds",
                as_processor=partial(_held_as_processor, ctx, system.id, None),
            )
            if problems or system.id not in filled:
                outcome.evaluated.append(element)
            for code, message, field, _ in problems:
                outcome.fail(element, code, message, field)
    return outcome


def _judge_undecided(ctx: Context, rule: ForbiddenRule, outcome: Outcome, filled: set[str]) -> None:
    """Flows the match selects but for the recipient's role, which is not recorded: what
    they carry of the forbidden data is reported as ``role-undecided``, since whether the
    promise applies turns on the role (one fact with the agreement rule's request for the
    role on the same flow). Without it a recipient's ``role:`` left out took the rule away:
    callers' numbers out of the call recordings store to a reseller of unrecorded role got
    only a MEDIUM and passed the gate under ``--fail-on high`` (gate review s19)."""
    roles = " or ".join(role.value.replace("_", " ") for role in rule.match.recipient_roles)
    any_role = rule.model_copy(
        update={"match": rule.match.model_copy(update={"recipient_roles": []})}
    )
    title = rule.title[:1].lower() + rule.title[1:]
    for facts in ctx.matching_facts(any_role):
        if facts.role is not None or ctx.index.is_organisation(facts.recipient.id):
            continue
        flow = facts.flow
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        held = partial(_held_as_processor, ctx, flow.source, flow)
        problems = _judge(ctx, rule, flow.categories, flow.subjects, "carries", as_processor=held)
        may = flow.may_carry
        if may is not None:  # what it may carry is the same question (a risk to confirm)
            problems += _judge(
                ctx,
                rule,
                [c for c in may.categories if c not in flow.categories],
                [s for s in may.subjects if s not in flow.subjects],
                "may carry",
                ("may_carry",),
                "may-",
                f": {may.reason}" if may.reason else "",
                held,
            )
        undecided: list[tuple[str, tuple[str | int, ...]]] = []
        for code, message, field, fact in problems:
            filled.add(flow.target)
            if code == IN_PARENT:  # a risk to confirm whatever the role: its own grade
                outcome.fail(element, IN_PARENT, message, field, fact=fact)
            else:
                undecided.append((message, field))
        if undecided:
            outcome.fail(
                element,
                _ROLE_UNDECIDED,
                # (no parties named: the agreement rule's finding on the same fact names them)
                f"whether the promise ({title}) applies turns on the recipient's role, which is "
                f"not recorded; if it acts as {roles}, it "
                + "; and it ".join(message for message, _ in undecided),
                undecided[0][1],
                fact=_ROLE_UNDECIDED,
            )


def _said_by(ctx: Context, rule: ForbiddenRule, flow: Flow, may: MayCarry) -> bool:
    """Whether every forbidden category a flow's broader categories include is one its
    ``may_carry`` names too (or includes): its risk says the same, with the map's reason."""
    relation = ctx.facts.taxonomy.relation
    named: list[str] = []
    for category in may.categories:
        includes = relation(category, rule.categories)
        if includes is not None:
            named.extend(includes or (category,))
    included = [
        c for category in flow.categories for c in relation(category, rule.categories) or ()
    ]
    return bool(named) and all(covered(c, named) for c in included)


def _held_as_processor(ctx: Context, node: str, flow: Flow | None, subjects: set[str]) -> bool:
    """Whether the map records that the organisation holds these subjects' data, where a flow
    (or a store, ``flow`` None) has it, as another controller's processor: the flow is itself
    received as processor, or every flow by which the data entered the organisation on the
    way to ``node`` (followed back through its own hops and those of the parties it passes it
    to, what a flow carries or may carry) has recipient_role processor. A flow by which the
    organisation receives the data in its own right, or no recorded entry at all, means it
    holds it as a controller (DPO review 2026-12-02d, problem 3); so does a flow of data it
    collects itself for the flow's purpose (``own_copies``), and a store such a flow fills,
    whatever a processor intake brings about the same people (scenario review s2, mismatch
    1)."""
    index = ctx.index
    if flow is not None and index.acts_as_processor(flow):
        return True
    if flow is not None and flow.id in own_copies(ctx):
        # data it collects itself for this purpose: held as a controller, as GDPR-BASIS judges
        # the flow, however many of the same people a school sends it as processor (scenario
        # review s2, mismatch 1)
        return False
    nodes = index.nodes
    ours = index.organisation.id
    if flow is not None and nodes[flow.target].party_id == ours != nodes[flow.source].party_id:
        return False  # the organisation receives the data in its own right
    tables: dict[frozenset[str], dict[str, frozenset[bool]]] = ctx.memo.setdefault(
        "forbidden.entry_roles", {}
    )
    key = frozenset(subjects)
    table = tables.get(key)
    if table is None:
        table = tables[key] = _entry_roles(ctx, key)
    return table.get(node) == _AS_PROCESSOR_ONLY


#: The entry roles of data held only as a processor: every entry received as processor.
_AS_PROCESSOR_ONLY = frozenset((True,))


def _entry_roles(ctx: Context, subjects: frozenset[str]) -> dict[str, frozenset[bool]]:
    """For every node, the roles (received as processor or not) of the flows by which these
    subjects' data entered the organisation on the way to it: an entry's role, carried forward
    through every other hop that carries or may carry the subjects, to a fixed point (a node's
    set only grows, so each hop is taken at most twice). One pass for the map, where a search
    back from each flow was quadratic on a chain of the organisation's own stores (attack
    review 2026-12-03o, problem 6)."""
    index = ctx.index
    nodes = index.nodes
    ours = index.organisation.id
    leaving: dict[str, list[Flow]] = {}
    roles: dict[str, frozenset[bool]] = {}
    queue: list[str] = []
    own = own_copies(ctx)
    for hop in index.data.flows:
        may = hop.may_carry
        if subjects.isdisjoint(hop.subjects) and (may is None or subjects.isdisjoint(may.subjects)):
            continue
        entry = nodes[hop.target].party_id == ours != nodes[hop.source].party_id
        if entry or hop.id in own:
            # an entry, or data the organisation collects itself (``own_copies``): the store
            # it fills holds it as a controller, not as what else reached the organisation
            # about the same people (scenario review s2, mismatch 1)
            role = frozenset((entry and index.acts_as_processor(hop),))
            known = roles.get(hop.target, frozenset())
            if not role <= known:
                roles[hop.target] = known | role
                queue.append(hop.target)
        else:
            leaving.setdefault(hop.source, []).append(hop)
    while queue:
        node = queue.pop()
        here = roles[node]
        for hop in leaving.get(node, ()):
            known = roles.get(hop.target, frozenset())
            if not here <= known:
                roles[hop.target] = known | here
                queue.append(hop.target)
    return roles


def _held(ctx: Context, system: System) -> tuple[str, ...]:
    """What a store holds for the protection judgement: its holding (declared, or what its
    flows move when it declares none), then what the organisation's flows write into it that
    its record leaves out. Passwords written into a CRM whose record does not list them were
    judged only as a record mismatch (HYG-STORE-CONTENTS, medium), not as passwords resting
    unprotected (attack review 2026-12-03o, problem 8)."""
    known: dict[str, tuple[str, ...]] = ctx.memo.setdefault("forbidden.held", {})
    found = known.get(system.id)
    if found is not None:
        return found
    written: dict[str, dict[str, None]] | None = ctx.memo.get("forbidden.written")
    if written is None:
        written = ctx.memo["forbidden.written"] = {}
        for flow in ctx.index.data.flows:
            written.setdefault(flow.target, {}).update(dict.fromkeys(flow.categories))
    held = ctx.facts.holdings[system.id].categories
    if ctx.facts.holds_for_us(system):
        covered = ctx.facts.taxonomy.covered
        declared = set(held)  # a set: searched once per category written in (attack review
        # 2026-12-03p, problem 4: a tuple searched per category was quadratic)
        extra = tuple(c for c in written.get(system.id, {}) if not covered(c, declared))
        held = held + extra if extra else held
    known[system.id] = held
    return held


def _holds(ctx: Context, rule: ForbiddenRule, system: System) -> list[int]:
    """Positions of the store's categories (as ``_held`` reads them) that are, or fall under,
    the rule's categories."""
    covered = ctx.facts.taxonomy.covered
    return [i for i, c in enumerate(_held(ctx, system)) if covered(c, rule.categories)]


def _unprotected_stores(ctx: Context, rule: ForbiddenRule) -> list[System]:
    """Every store holding the rule's categories with no protection recorded, in map order."""
    return [
        system
        for system in ctx.index.data.systems
        if is_blank(system.protection) and _holds(ctx, rule, system)
    ]


def _judge_protection(
    ctx: Context,
    rule: ForbiddenRule,
    outcome: Outcome,
    unprotected: list[System],
    carried_on: list[str],
) -> None:
    """A store that may hold the categories records how it protects them; the first store
    without protection names the flows that may carry them on (one problem, one finding)."""
    index = ctx.index
    bare = {system.id for system in unprotected}
    # the flows that may carry the categories on are named at the first unprotected store
    # whose record lists them (the helpdesk, which the notice lets hold them), not at one
    # they are only written into
    named_at = next(
        (
            system.id
            for system in unprotected
            if (positions := _holds(ctx, rule, system)) and positions[0] < len(system.categories)
        ),
        unprotected[0].id if unprotected else None,
    )
    for system in index.data.systems:
        positions = _holds(ctx, rule, system)
        if not positions:
            continue
        element = ("systems", system.id)
        outcome.evaluated.append(element)
        if system.id not in bare:
            continue
        held = _held(ctx, system)
        names = ", ".join(
            short(index.categories[c].name) if c in index.categories else c
            for c in (held[i] for i in positions)
        )
        onward = ""
        if carried_on and system.id == named_at:
            onward = f"; they may flow on through {listed(carried_on)}, which may carry them"
        declared = len(system.categories)
        # a category the record lists is located there; one only written into the store
        # is located at the store, the message saying its record leaves it out
        field: tuple[str | int, ...] = (
            ("categories", positions[0]) if positions[0] < declared else ()
        )
        unlisted = (
            ""
            if positions[0] < declared
            else " (written into it by its flows; its record does not list them)"
        )
        said = (
            f"holds {names}{unlisted} with no protection recorded for them (redaction on "
            f"arrival, a password vault)"
        )
        # matched in the gate by the store's problem without the onward flows, which are
        # listed as the flows it judges: a hosting flow deleted or added is then no new
        # finding, and a flow newly carrying the categories on is a change to review
        # (``baseline._joined``; fix-onward-s19)
        outcome.fail(
            element,
            "store-unprotected",
            f"{said}{onward}",
            field,
            problem=said if onward else "",
            flows=tuple(carried_on) if onward else (),
        )


#: Below this youngest age a group of people is of compulsory school age in the UK
#: (Education Act 1996 s.8: to the end of the school year in which they turn 16): read as
#: pupils by a rule that says which of its subjects stands for children. Sixteen-year-old
#: apprentices are not (DPO review 2026-12-03n, problem 5).
SCHOOL_AGE = 16


def _warn(ctx: Context, rules: Sequence[ForbiddenRule]) -> list[str]:
    """Map subjects that read as one a rule forbids but that the rule does not name: a subject
    matches only by id or fides_key, so a school's pupils recorded as ``learners`` escaped
    CONCERO-PUPILS in silence (DPO review 2026-12-03l, problem 10). A subject reads as one
    where it is marked ``children: true`` and the rule says which of its subjects stands for
    children (``children_read_as``), or where its id, else its name, holds a forbidden
    subject's id or its singular as a whole word (``School pupils``, ``parent_contacts``). One
    located warning per subject and rule."""
    located = ctx.facts.loaded.sources.locate
    warnings = []
    for rule in rules:
        if not rule.subjects:
            continue
        named = set(rule.subjects)
        words: dict[str, str] = {}  # a word to the forbidden subject it reads as
        for subject_id in rule.subjects:
            word = subject_id.replace("_", " ")
            words.setdefault(word, subject_id)
            if word.endswith("s") and len(word) > 3:
                words.setdefault(word[:-1], subject_id)
        for subject in ctx.index.data.subjects:
            if subject.id in named or subject.fides_key in named:
                continue
            young = rule.children_read_as
            if subject.children and young is not None:
                field, target, why = "children", young, "it is marked children"
            elif young is not None and subject.min_age is not None and subject.min_age < SCHOOL_AGE:
                # the youngest of school age, or a name that says children ("Schoolchildren"):
                # children all the same (attack review 2026-12-03m, problem 5)
                field, target = "min_age", young
                why = f"its youngest is {subject.min_age}"
            elif young is not None and (hit := reads_as_children(subject.id, subject.name)):
                field, target, why = hit[0], young, f"the word '{hit[1]}' in its {hit[0]}"
            elif (hit := word_in(list(words), subject.id, subject.name)) is not None:
                field, word = hit
                target, why = words[word], f"the word '{word}' in its {field}"
            else:
                continue
            where = located(("subjects", subject.id), (field,))
            warnings.append(
                f"{where}: subject '{subject.id}' ({subject.name}) reads as '{target}' ({why}), "
                f"which {rule.id} forbids, but the rule names the subject ids "
                f"[{', '.join(rule.subjects)}] and does not see this one: if it is, use that "
                f"id or add `fides_key: {target}` to the subject"
            )
    return warnings


CHECK = Check(ForbiddenRule, SUMMARY, evaluate, warn=_warn)
