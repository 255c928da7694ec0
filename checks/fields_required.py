"""Fields required: matched flows record the named fields, such as the notice clause that
declares them or the customer's permission for third-party sharing (N-SHARE).

With ``undecided_roles``, a flow the match would select but for its recipient's role, which
is not recorded, is judged too: whether the promise applies turns on the role, so a missing
field is reported as ``role-undecided`` (one fact with the agreement rule's request for the
role on the same flow: one finding citing both), never passed over in silence.

With ``one_per_recipient_purpose``, a record missing on every flow from one sender to one
recipient for one purpose (one permission naming who and where serves them all) is one
finding, at the first such flow, naming the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from flowaudit.checks.base import (
    Check,
    Context,
    Outcome,
    summary_of,
    unreachable,
)
from flowaudit.checks.grouping import Said, fail_per_group
from flowaudit.checks.result import RECORDED
from flowaudit.model.graph import FlowFacts
from flowaudit.model.loader import ElementRef
from flowaudit.model.problems import plural
from flowaudit.model.schema import TEXT_EVIDENCE, shows_anything
from flowaudit.policies.clauses import shipped_clause_tables
from flowaudit.policies.schema import FieldsRequiredRule

SUMMARY = summary_of(__doc__)
#: the longest recorded text an assumed pass quotes (auditor review s7, problem 3)
QUOTED_LIMIT = 120
#: the fact the agreement rule's role-undecided names (checks/agreement.py ROLE_UNDECIDED)
_ROLE_UNDECIDED = "role-undecided"


def _missing(rule: FieldsRequiredRule, facts: FlowFacts) -> list[str]:
    """The fields a flow does not record: unset, empty, or text that shows nothing (spaces,
    invisible characters: attack review 2026-12-02g, 3)."""
    flow = facts.flow
    if any(not _unrecorded(getattr(flow, name, None)) for name in rule.satisfied_by):
        return []  # a record that keeps the promise too (a permission naming the recipient)
    return [name for name in rule.fields if _unrecorded(getattr(flow, name, None))]


def _trusted(outcome: Outcome, rule: FieldsRequiredRule, facts: FlowFacts) -> None:
    """Note on a pass that the free text keeping the promise is taken to name what the rule's
    ``record_names`` says: flowaudit cannot read whether a permission names the recipient and
    its country (lawyer review s6, problem 4; auditor review s6, problem 5). One note per rule
    and field, naming no flow, so the passes resting on it are listed under one line."""
    if rule.record_names is None:
        return
    flow = facts.flow
    kept = [name for name in rule.fields if not _unrecorded(getattr(flow, name, None))]
    if len(kept) < len(rule.fields):  # kept by a satisfied_by field: the first recorded one
        kept = [n for n in rule.satisfied_by if not _unrecorded(getattr(flow, n, None))][:1]
    said = tuple(
        f"{_note(rule.id, name, rule.record_names)}{RECORDED}{_quoted(name, getattr(flow, name))}"
        for name in kept
        if name in TEXT_EVIDENCE
    )
    if said:
        element = ("flows", flow.id)
        outcome.assumed[element] = (*outcome.assumed.get(element, ()), *said)


@cache
def _note(rule_id: str, name: str, names: str) -> str:
    """The words of :func:`_trusted`'s note, made once (one string shared by every pass)."""
    return (
        f"{rule_id}: the {name.replace('_', ' ')} recorded is taken to name {names}; "
        "flowaudit cannot read its text"
    )


def _quoted(name: str, value: object) -> str:
    """The recorded text as the pass quotes it: one line, at most QUOTED_LIMIT characters, so
    a reviewer of the ASSUMED listing reads what the pass rests on ("none: not asked yet"
    passed unseen: auditor review s7, problem 3). Each report escapes it for its format."""
    text = " ".join(str(value).split())
    if len(text) > QUOTED_LIMIT:
        text = text[: QUOTED_LIMIT - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return f'{name.replace("_", " ")} "{text}"'


def _unrecorded(value: object) -> bool:
    """Unset, empty, text that shows nothing, or ``false``: a flag that says no records the
    opposite of the field (auditor review s6, problem 3)."""
    if isinstance(value, str):
        return not shows_anything(value)
    return value is None or value is False or value == []


def _worded(ctx: Context, rule: FieldsRequiredRule, facts: FlowFacts) -> str | None:
    """The rule's message as it reads for the organisation's regime, the flow's basis and its
    marketing channel: each clause names the law that binds (PECR for a UK sender, Art. 7(3)
    only on consent: DPO review 2026-12-02i, problem 3; no address in every email for post:
    DPO review 2026-12-03u, problem 1)."""
    flow = facts.flow
    channel = flow.channel
    row = ctx.legal.marketing_channels.get(channel) if channel is not None else None
    if row is not None and unreachable(ctx, flow, row) is not None:
        # a channel its data cannot reach is not honoured: worded as a flow with none, as
        # the consent rule reads it (DPO review v, point 2)
        channel = None
    said = rule.worded(ctx.index.organisation.regime.value, flow.basis, channel)
    if said is not None and rule.message_by_channel and flow.channel is None:
        # a flow that records no channel reads the email message: said so, as the consent
        # rule says it, so that a cookie-based advertising flow is not told of "each
        # marketing email" with no word of why (newcomer review s18)
        said += (
            " (the flow records no channel, so it is read as email: record its channel if it "
            "reaches people otherwise)"
        )
    return said


#: A rule's missing records grouped per (sender, recipient party, purpose, code, message):
#: the flows, in map order (``one_per_recipient_purpose``).
_Grouped = dict[tuple[str, str, str, str, str], list[str]]


def evaluate(ctx: Context, rule: FieldsRequiredRule) -> Outcome:
    outcome = Outcome()
    grouped: _Grouped | None = {} if rule.one_per_recipient_purpose else None
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        # who sends to whom heads the message where two parties are involved; within one
        # (the organisation's own marketing list) the name alone says nothing (DPO review d)
        between = facts.sender != facts.target.party_id
        missing = _missing(rule, facts)
        if not missing:
            _trusted(outcome, rule, facts)
        for name in missing:
            said = _worded(ctx, rule, facts) or f"{name!r} is not recorded"
            message = f"{ctx.parties(facts)}: {said}" if between else said
            code = f"no-{name.replace('_', '-')}"
            if grouped is not None and between:
                key = (facts.sender, facts.target.party_id, flow.purpose, code, message)
                grouped.setdefault(key, []).append(flow.id)
                continue
            outcome.fail(element, code, message, fact=rule.fact)
    if grouped:
        _fail_grouped(outcome, rule, grouped)
    if rule.undecided_roles and rule.match.recipient_roles:
        _judge_undecided(ctx, rule, outcome)
    return outcome


def _fail_grouped(outcome: Outcome, rule: FieldsRequiredRule, grouped: _Grouped) -> None:
    """One finding per sender, recipient, purpose and missing record, at its first flow in
    the map, naming the other flows it covers (judged there, not passed): the customer's
    permission names who receives the data and where it goes (N-SHARE), so one permission
    serves every flow to that recipient for that purpose, and a missing one is one problem
    however many flows carry it (DPO review s17, problem 2), as an Art. 26 arrangement's
    gap is one per joint purpose (checks/agreement.py, _fail_joint)."""

    def said(key: tuple[str, str, str, str, str], first: str) -> Said:
        _sender, _recipient, _purpose, code, message = key
        return Said(code, message, fact=rule.fact)

    fail_per_group(outcome, grouped, str, said, _named_grouped)


def _named_grouped(key: tuple[str, str, str, str, str], message: str, flows: str) -> str:
    """The missing record naming the purpose and the flows one record serves."""
    return f"{message} (one record for the purpose '{key[2]}' serves flows {flows})"


def _judge_undecided(ctx: Context, rule: FieldsRequiredRule, outcome: Outcome) -> None:
    """Flows the match selects but for the recipient's role, which is not recorded."""
    roles = " or ".join(role.value.replace("_", " ") for role in rule.match.recipient_roles)
    any_role = rule.model_copy(
        update={"match": rule.match.model_copy(update={"recipient_roles": []})}
    )
    for facts in ctx.matching_facts(any_role):
        if facts.role is not None or ctx.index.is_organisation(facts.recipient.id):
            continue
        element = ("flows", facts.flow.id)
        outcome.evaluated.append(element)
        missing = _missing(rule, facts)
        if not missing:
            _trusted(outcome, rule, facts)
            continue  # recorded whatever the role: the promise is kept either way
        said = _worded(ctx, rule, facts) or f"{', '.join(repr(n) for n in missing)} is not recorded"
        outcome.fail(
            element,
            "role-undecided",
            # (no parties named: the agreement rule's finding on the same fact names them)
            f"whether the promise ({rule.title[:1].lower()}{rule.title[1:]}) applies turns on "
            f"the recipient's role, which is not recorded; if it acts as {roles}, {said}",
            fact=_ROLE_UNDECIDED,
        )


def _warn(ctx: Context, rules: Sequence[FieldsRequiredRule]) -> list[str]:
    """One warning when a rule asks for ``notice:`` and the map cites its notice's clauses but
    lists none of them (no ``notice_clauses`` on the organisation, no selected notice policy
    with a clause table): the rule then sees only that an id is there, and a misspelt one
    traces the element to nothing in silence. Said once, at the first citation, not per
    element (auditor review 2026-12-03g, problem 2)."""
    asking = [rule.id for rule in rules if "notice" in rule.fields]
    organisation = ctx.index.organisation
    tables = shipped_clause_tables()
    if (
        not asking
        or organisation.notice_clauses
        or any(policy in tables for policy in organisation.policies)
    ):
        return []
    data = ctx.index.data
    cited: list[ElementRef] = [("organisation", organisation.id)] if organisation.notice else []
    for name in ("parties", "systems", "purposes", "flows"):
        cited += [(name, e.id) for e in getattr(data, name) if e.notice is not None]
    if not cited:
        return []
    where = ctx.facts.loaded.sources.locate(cited[0], ("notice",))
    first = f", the first at {where}" if where is not None else ""
    return [
        f"{plural(len(cited), 'element')} of the map "
        f"{'cites' if len(cited) == 1 else 'cite'} a notice clause (notice:{first}), "
        "but the map lists no clauses of its notice, so a misspelt clause id passes "
        f"{' and '.join(asking)}: list the notice's clause ids in the organisation's "
        "notice_clauses, and each notice: is checked against them"
    ]


CHECK = Check(FieldsRequiredRule, SUMMARY, evaluate, warn=_warn)
