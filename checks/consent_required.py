"""Consent required: matched flows (marketing, a notice's promise of opt-in) rest on consent
with a record of how it was obtained, whose own facts do not show the consent invalid (a pre-ticked
box, consent bundled with the terms: the legal table's consent requirements, one finding with
the lawful basis's on the same record), and, where asked, explicit consent.

A flow the rule's match selects only through what it may carry (``may_carry``: remote
support that may copy customer network data off site) is judged too, as the forbidden check
judges what a flow may carry: a risk to confirm (``may-`` and the code), one step below the
rule's severity unless the policy rates it, one finding for the flows that may carry it for
one stated reason; such a flow is not listed as passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flowaudit.checks.base import (
    BASIS_NOT_FOR_PURPOSE,
    CONSENT_NOT_VALID,
    CONSENT_PURPOSE,
    OPT_OUT_MISSING,
    Check,
    Context,
    MayRisks,
    Outcome,
    consent_not_valid,
    listed,
    purpose_not_covered,
    reached_by_words,
    short,
    summary_of,
    unreachable,
    word_in,
)
from flowaudit.model.schema import Flow, Role
from flowaudit.policies.legal import MarketingChannelRow
from flowaudit.policies.schema import ConsentRequiredRule

SUMMARY = summary_of(__doc__)
_RECORD_MISSING = "consent-record-missing"  # the law's rule names the same fact
#: The reading a pass on subjects taken as corporate subscribers by their words rests on,
#: which shared/legal/FACTS.md does not state ("sole traders and partnerships do"): the pass
#: carries it as UNCONFIRMED (DPO review 2026-12-03u, problem 7)
_CORPORATE_MARK = (
    "pecr-corporate-subscribers: a limited liability partnership and a partnership in "
    "Scotland are corporate subscribers (PECR (SI 2003/2426) reg. 2(1))"
)

#: Why a rule asking about individual subscribers leaves a flow unjudged (the reports say it
#: after "not judged:", with the count).
UNSAID_SUBSCRIBER = (
    "flows whose subjects' kind of subscriber is not recorded (record `subscriber: "
    "individual` or `corporate` on the subject)"
)

#: (code, message, field, fact) of one problem
#: (code, message, field, fact, problem): ``problem`` is the message without the note on how
#: the flow's channel was read, which moves with edits that do not touch the problem (the
#: gate matches a finding on it: a 'post' said of email data left the finding as it was,
#: yet it read as fixed and new at once), or "" when the message is the problem.
_Problem = tuple[str, str, tuple[str | int, ...], str | tuple[str, ...] | None, str]


def _channel(
    ctx: Context, rule: ConsentRequiredRule, flow: Flow
) -> tuple[MarketingChannelRow | None, bool]:
    """With ``by_channel``, the legal table's row for the flow's marketing channel, and
    whether it is the row read for want of one (the flow records no ``channel``: taken as
    email, as every marketing flow was before; DPO review 2026-12-03u, problem 1), or in
    place of one its data cannot reach (``channel: post`` on email addresses alone: DPO
    review v, point 2)."""
    if not rule.by_channel:
        return None, False
    if flow.channel is not None:
        row = ctx.legal.marketing_channels.get(flow.channel)
        if row is None or unreachable(ctx, flow, row) is None:
            return row, False
    return ctx.legal.unsaid_marketing_channel, True


def _channel_mark(row: MarketingChannelRow | None) -> tuple[str, ...]:
    """The UNCONFIRMED mark a verdict read by a channel's row carries (none if confirmed)."""
    if row is None or not row.doubts():
        return ()
    needs = {
        "individual": "an individual subscriber's consent"
        + (" or the soft opt-in" if row.soft_opt_in else ""),
        "every": "every subscriber's consent",
        "none": "no consent under PECR",
    }[row.consent]
    return (f"{row.id}: marketing by {row.name} needs {needs} ({row.source})",)


def _channel_by_words(ctx: Context, flow: Flow, row: MarketingChannelRow) -> str:
    """What a pass takes on trust when the flow's declared channel is honoured only because a
    category's words read as data the channel reaches (its ``fides_key`` does not): a
    category renamed "Email and postal address" made ``channel: post`` count, and the gate
    folded the cleared finding into an unrelated claim (attack review 2026-12-03w, problem
    3); or "" where the channel is honoured on keys, or on nothing at all."""
    fallback = ctx.legal.unsaid_marketing_channel
    if fallback is not None and (row.consent, row.soft_opt_in) == (
        fallback.consent,
        fallback.soft_opt_in,
    ):
        return ""  # not honoured, it would be judged alike (email, SMS): nothing rests on it
    read = reached_by_words(ctx, flow, row)
    if not read:
        return ""
    names = {kind.id: kind.name for kind in ctx.legal.bases.contact_data}
    kinds = " or ".join(names[k] for k in row.reached_by or ())
    return (
        f"`channel: {flow.channel}` on {flow.id} is honoured only because the words of "
        f"{listed(read)} read as {kinds} (no fides_key says so)"
    )


def _applies(ctx: Context, rule: ConsentRequiredRule, flow: Flow) -> bool:
    """Whether the rule judges the flow at all: with ``individual_subscribers``, only one
    carrying data about a subject recorded as an individual subscriber (PECR reg. 22), or
    whose kind of subscriber is unsaid and whose id or name says individual (``Sole
    traders``: DPO review 2026-12-03l, problem 7); any flow whose channel asks every
    subscriber's consent (automated calls, PECR reg. 19) or none (live calls, post), whose
    kind of subscriber changes no verdict (DPO review 2026-12-03u, problem 1)."""
    if not rule.individual_subscribers:
        return True
    row, _ = _channel(ctx, rule, flow)
    if row is not None and row.consent != "individual":
        return True
    return _recorded_individual(ctx, flow) or bool(_read_as_individual(ctx, rule, flow))


def _passes_whatever_kind(ctx: Context, rule: ConsentRequiredRule, flow: Flow) -> bool:
    """Whether a flow the rule does not judge for want of its subjects' kind of subscriber
    passes whatever that kind is: it rests on valid consent with a record (or a complete soft
    opt-in), which meets PECR reg. 22 for an individual subscriber, and a corporate one needs
    nothing. The rule judges it (a pass), with no warning asking for a fact the verdict does
    not turn on (DPO review 2026-12-03r, problem 6: a charity's newsletter on valid consent)."""
    if not rule.individual_subscribers:
        return False
    subjects = ctx.index.subjects
    unsaid = any(s in subjects and subjects[s].subscriber is None for s in flow.subjects)
    return unsaid and _judge(ctx, rule, flow) is None


def _recorded_individual(ctx: Context, flow: Flow) -> bool:
    """Whether a subject of the flow is recorded ``subscriber: individual``."""
    subjects = ctx.index.subjects
    return any(s in subjects and subjects[s].subscriber == "individual" for s in flow.subjects)


def _read_as_individual(
    ctx: Context, rule: ConsentRequiredRule, flow: Flow
) -> list[tuple[str, str, str]]:
    """(subject id, field, word) of each subject of the flow whose kind of subscriber is
    unsaid and whose id or name holds one of the rule's individual subscriber words."""
    if not rule.individual_subscriber_words:
        return []
    subjects = ctx.index.subjects
    read = []
    for subject_id in flow.subjects:
        subject = subjects.get(subject_id)
        if subject is None or subject.subscriber is not None:
            continue
        # "Partners at limited liability partnerships": the corporate phrases are taken out
        # first, so "partnerships" inside one is no individual hit (DPO review 2026-12-03u,
        # problem 7: PECR reg. 2(1) makes LLPs and Scottish partnerships corporate)
        hit = word_in(
            rule.individual_subscriber_words,
            subject.id,
            subject.name,
            rule.corporate_subscriber_words,
            # "Scottish limited partnerships" is the phrase "scottish limited partnership":
            # singular or plural alike (DPO review v, point 1)
            plural_unless=True,
        )
        if hit is not None:
            read.append((subject_id, *hit))
    return read


def _all_corporate(
    ctx: Context, rule: ConsentRequiredRule, flow: Flow
) -> list[tuple[str, str, str]] | None:
    """Where every subject of the flow is a corporate subscriber, recorded or read by the
    rule's corporate subscriber words (an LLP, a partnership in Scotland: PECR reg. 2(1)),
    (subject id, field, word) of those read; an empty list where every subject is recorded
    corporate (outside reg. 22 by the map's own word: judged and passed, as a flow read so
    is; it had been left unjudged, no pass recorded for the one case FACTS.md states, lawyer
    review s21, problem 4); None where one is not."""
    subjects = ctx.index.subjects
    read = []
    for subject_id in flow.subjects:
        subject = subjects.get(subject_id)
        if subject is None or subject.subscriber == "corporate":
            continue
        if subject.subscriber is not None or not rule.corporate_subscriber_words:
            return None
        hit = word_in(rule.corporate_subscriber_words, subject.id, subject.name, plurals=True)
        if hit is None:
            return None
        read.append((subject_id, *hit))
    return read


def _corporate_screen(
    ctx: Context, rule: ConsentRequiredRule, flow: Flow
) -> tuple[MarketingChannelRow, list[tuple[str, str, str]]] | None:
    """Where the flow's channel asks an individual subscriber's consent but still protects
    corporate ones another way (a fax: PECR reg. 20(1)(b)-(c), the objection and the Fax
    Preference Service register) and every subject of the flow is a corporate subscriber:
    the channel's row and the subjects read as corporate by their words. Such a flow is no
    "n/a": it passes on the screen the map cannot show, said (DPO review v, point 3)."""
    row, _ = _channel(ctx, rule, flow)
    if row is None or row.corporate_claimed is None or not rule.individual_subscribers:
        return None
    if not flow.subjects:  # no subject: no kind of subscriber to read
        return None
    if _recorded_individual(ctx, flow) or _read_as_individual(ctx, rule, flow):
        return None
    read = _all_corporate(ctx, rule, flow)
    return None if read is None else (row, read)


def _taken_as_corporate(ctx: Context, flow: Flow, read: list[tuple[str, str, str]]) -> str:
    """What a pass on a flow judged only through subjects read as corporate subscribers
    takes on trust: the reading, and what to record."""
    subjects = ctx.index.subjects
    said = "; ".join(
        f"'{subject_id}' ({subjects[subject_id].name}) by the words '{word}' in its {field}"
        for subject_id, field, word in read
    )
    return (
        f"corporate subscribers on {flow.id}, outside PECR reg. 22 (PECR reg. 2(1): a limited "
        f"liability partnership, a partnership in Scotland, any body corporate): {said}; "
        "record `subscriber` on the subject"
    )


def _taken_as_individual(ctx: Context, rule: ConsentRequiredRule, flow: Flow) -> str:
    """What a finding or pass adds where the flow is judged only through subjects read as
    individual subscribers by their words: the reading, and what to record."""
    if not rule.individual_subscribers or _recorded_individual(ctx, flow):
        return ""
    row, _ = _channel(ctx, rule, flow)
    if row is not None and row.consent != "individual":
        return ""  # every subscriber's consent (automated calls): the kind changes nothing
    subjects = ctx.index.subjects
    read = _read_as_individual(ctx, rule, flow)
    said = "; ".join(
        f"'{subject_id}' ({subjects[subject_id].name}) by the word '{word}' in its {field}"
        for subject_id, field, word in read
    )
    return (
        " (taken as individual subscribers, as consumers, sole traders and partnerships other "
        f"than limited liability and Scottish ones are (PECR reg. 2(1)): {said}; record "
        "`subscriber` on the subject)"
    )


#: How the legal table's requirement offers the soft opt-in beside consent.
_SOFT_OPT_IN_OFFERED = ", or the soft opt-in of reg. 22(3),"


def _anothers_marketing(ctx: Context, flow: Flow) -> str | None:
    """The party whose own marketing a flow serves, if not the organisation's: the purpose's
    controller where the map names another, or the recipient where the flow gives the data
    to a controller. The soft opt-in covers only the sender's own similar products (PECR
    reg. 22(3)(b)): whichever of the two fields the map fills says so (lawyer review s7,
    problem 1; DPO review s8, problem 1; attack review s8, problem 3)."""
    organisation = ctx.index.organisation.id
    decider = ctx.facts.purpose_controllers.get(flow.purpose)
    if decider is not None and decider != organisation:
        return decider
    facts = ctx.facts.flow(flow)
    recipient = facts.recipient.party_id
    if facts.role in (Role.CONTROLLER, Role.JOINT_CONTROLLER) and recipient != organisation:
        return recipient
    return None


def _judge(ctx: Context, rule: ConsentRequiredRule, flow: Flow) -> _Problem | None:
    """What keeps a flow from resting on the consent the rule asks for, if anything. By
    channel, a channel that asks no consent (live calls, post) keeps nothing; the soft
    opt-in stands in for consent only where the channel's row says so (electronic mail)."""
    row, unsaid = _channel(ctx, rule, flow)
    if row is not None and row.consent == "none":
        return None
    decider = _anothers_marketing(ctx, flow) if rule.soft_opt_in else None
    if flow.soft_opt_in is True and decider is not None:
        # the soft opt-in covers the sender's own similar products only (reg. 22(3)(b)), and
        # the map says another party decides this marketing: it cannot rest on it (lawyer
        # review s7, problem 1: a disclosure for a marketplace's own promotions passed)
        party = ctx.index.parties.get(decider)
        name = party.name if party is not None else decider
        whose = (
            f"the purpose '{flow.purpose}' is decided by {short(name)} (its controller)"
            if ctx.facts.purpose_controllers.get(flow.purpose) == decider
            else f"the flow gives the data to {short(name)} as a controller"
        )
        return (
            "soft-opt-in-not-own",
            f"rests on the soft opt-in, but {whose}: the soft opt-in covers only the "
            "organisation's own similar products and services (PECR reg. 22(3)(b)) and "
            "cannot be passed on; "
            f"giving the details to {short(name)} for its own marketing needs the "
            "subscriber's consent naming it (PECR reg. 22(2); UK GDPR Art. 4(11), 7)",
            ("soft_opt_in",),
            rule.fact,
            "",
        )
    if rule.soft_opt_in and flow.soft_opt_in is True and (row is None or row.soft_opt_in):
        # PECR reg. 22(3): no consent needed on the soft opt-in, whose third condition (a
        # simple way to refuse in every message) the map shows by its opt_out
        if flow.opt_out:
            return None
        return (
            "soft-opt-in-incomplete",
            "rests on the soft opt-in, but records no simple way to refuse in every message "
            "(PECR reg. 22(3)(c)): record opt_out, or rest the marketing on consent",
            ("opt_out",),
            # the opt-out rule's missing opt_out on the same flow: one problem, one finding
            OPT_OUT_MISSING,
            "",
        )
    if flow.basis != "consent":
        # no basis at all is also the law's missing basis: one problem (engine merges)
        fact: str | tuple[str, ...] | None = rule.fact
        if flow.basis is None:
            fact = ("basis-missing", rule.fact) if rule.fact else "basis-missing"
        else:
            # a basis the law never opens for the purpose (marketing on contract) is the
            # law's finding on the same flow: one problem, one fix (rest it on consent)
            basis = ctx.legal.lawful_bases.get(flow.basis)
            if basis is not None and any(
                basis.limit_for(purpose) is not None for purpose in ctx.purposes_of(flow.purpose)
            ):
                fact = (BASIS_NOT_FOR_PURPOSE, rule.fact) if rule.fact else BASIS_NOT_FOR_PURPOSE
        requirement = rule.requirement
        note = ""
        if row is not None and row.requirement is not None:
            requirement = row.requirement
            declared = (
                ctx.legal.marketing_channels.get(flow.channel) if flow.channel is not None else None
            )
            why = unreachable(ctx, flow, declared) if declared is not None else None
            if why is not None:  # a channel its data cannot reach (DPO review v, point 2)
                note = (
                    f" (the flow says `channel: {flow.channel}`, but {why}: its marketing is "
                    f"taken to be by {row.name})"
                )
            elif unsaid:  # today's reading, said (DPO review 2026-12-03u, problem 1)
                note = (
                    f" (the flow records no `channel`: its marketing is taken to be by {row.name})"
                )
        if decider is not None and _SOFT_OPT_IN_OFFERED in requirement:
            # not offered where it cannot apply: another party's marketing (DPO review s8,
            # problem 5)
            requirement = requirement.replace(_SOFT_OPT_IN_OFFERED, ",")
            note += (
                " (the soft opt-in covers only the organisation's own similar products, PECR "
                "reg. 22(3)(b), not another party's marketing)"
            )
        if flow.basis is not None:
            said = f"rests on '{flow.basis}', but {requirement}"
            return "not-consent", said + note, ("basis",), fact, said if note else ""
        return (
            "not-consent",
            f"{requirement}{note}: rest the flow on consent with a consent record",
            ("basis",),
            fact,
            f"{requirement}: rest the flow on consent with a consent record" if note else "",
        )
    record = ctx.index.consent_records.get(flow.consent_record or "")
    if record is None:
        return (
            "no-record",
            # the words of the lawful-basis rule's finding on the same fact: the merged
            # finding says it once
            "consent is the basis but no consent record shows how it was obtained",
            ("consent_record",),
            (_RECORD_MISSING, rule.fact) if rule.fact else _RECORD_MISSING,
            "",
        )
    invalid = consent_not_valid(ctx.legal, record, ctx.as_of)
    if invalid is not None:
        # the record's own facts show no valid consent: the law's finding on the same
        # record (GDPR-BASIS) is the same problem, one finding citing both rules
        return (
            CONSENT_NOT_VALID,
            invalid,
            ("consent_record",),
            (CONSENT_NOT_VALID, rule.fact) if rule.fact else CONSENT_NOT_VALID,
            "",
        )
    if rule.explicit and not record.explicit:
        return (
            "not-explicit",
            f"consent record '{record.id}' is not explicit consent",
            ("consent_record",),
            None,
            "",
        )
    if not ctx.consent_covers(record, flow.purpose):
        return (
            "purpose-not-consented",
            purpose_not_covered(record, flow.purpose),
            ("consent_record",),
            # the law's rule finds the same record short of the purpose: one finding
            (CONSENT_PURPOSE, rule.fact) if rule.fact else CONSENT_PURPOSE,
            "",
        )
    return None


#: ``ctx.memo`` key: per rule asking no individual subscriber's consent (by ``id``, with the
#: rule itself to tell it is the same), the ids of the flows its evaluation judged, which
#: ``_warn`` reads instead of matching every flow again
_JUDGED_MEMO = "consent_required.judged"


def evaluate(ctx: Context, rule: ConsentRequiredRule) -> Outcome:
    outcome = Outcome()
    subjects = ctx.index.subjects
    flows: Iterable[Flow] = ctx.matching_flows(rule)
    if not rule.individual_subscribers:
        # every matched flow is judged (``_applies``): said once for the warnings
        flows = list(flows)
        ctx.memo.setdefault(_JUDGED_MEMO, {})[id(rule)] = (rule, {flow.id for flow in flows})
    for flow in flows:
        corporate = None
        if (screened := _corporate_screen(ctx, rule, flow)) is not None:
            # a fax to corporate subscribers: judged, its pass taking the screen on trust
            element = ("flows", flow.id)
            outcome.evaluated.append(element)
            screen, read = screened
            outcome.relied[element] = _channel_mark(screen) + ((_CORPORATE_MARK,) if read else ())
            outcome.assumed[element] = (
                f"marketing by {screen.name} to corporate subscribers on {flow.id}: "
                f"{screen.corporate_claimed}",
                *((_taken_as_corporate(ctx, flow, read),) if read else ()),
            )
            continue
        if not _applies(ctx, rule, flow) and not _passes_whatever_kind(ctx, rule, flow):
            corporate = _all_corporate(ctx, rule, flow)
            if corporate is None:
                # the flows the warnings name: counted on the rule, whose card said a plain
                # pass (auditor review 2026-12-03u, problem 4)
                if any(s in subjects and subjects[s].subscriber is None for s in flow.subjects):
                    outcome.skip(UNSAID_SUBSCRIBER)
                continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        row, unsaid = _channel(ctx, rule, flow)
        marks = _channel_mark(row)
        if corporate is not None:  # outside reg. 22: a pass, said where read by words
            if corporate:
                outcome.assumed[element] = (_taken_as_corporate(ctx, flow, corporate),)
                outcome.relied[element] = (_CORPORATE_MARK,)
            continue
        problem = _judge(ctx, rule, flow)
        if problem is not None:
            code, message, field, fact, identity = problem
            message += _taken_as_individual(ctx, rule, flow)
            outcome.fail(
                element, code, message, field, fact=fact, unconfirmed=marks, problem=identity
            )
            continue
        if marks:
            outcome.relied[element] = marks
        assumed: list[str] = []
        if row is not None and row.claimed is not None:
            assumed.append(f"marketing by {row.name} on {flow.id}: {row.claimed}")
        elif rule.soft_opt_in and flow.soft_opt_in is True:
            assumed.append(  # what the map claims and cannot show
                # whose products the messages promote is said too: a partner's offers sent
                # from the organisation's own list need consent, and the pass read as if
                # the map had shown otherwise (lawyer review s9, problem 3)
                f"soft opt-in on {flow.id}: the details were obtained in a sale or its "
                "negotiation and the messages promote only the organisation's own similar "
                "products and services, not a partner's (PECR reg. 22(3)(a), (b)), which the "
                "map cannot show"
            )
        if row is not None and not unsaid and (worded := _channel_by_words(ctx, flow, row)):
            assumed.append(worded)
        if assumed:
            outcome.assumed[element] = tuple(assumed)
    # a flow selected only by what it may carry: the same judgement, as a risk to confirm
    # (no fact shared with the law's rules: their findings are about what a flow carries)
    risks = MayRisks()
    for facts, named in ctx.may_matching_facts(rule):
        flow = facts.flow
        if not _applies(ctx, rule, flow):
            continue
        outcome.evaluated.append(("flows", flow.id))
        problem = _judge(ctx, rule, flow)
        if problem is not None:
            code, message, _, _, _ = problem
            what = ", ".join(f"'{n}'" for n in named)
            then = f"it {message}" if message.startswith("rests on") else message
            risks.add(flow, code, MayRisks.words(flow, f"may carry {what}", then), ("may_carry",))
    risks.report(outcome)
    return outcome


def _warn(ctx: Context, rules: Sequence[ConsentRequiredRule]) -> list[str]:
    """The subjects whose kind of subscriber the map leaves unsaid, of matched flows a rule
    asks about individual subscribers (PECR reg. 22) that it therefore does not judge: a
    supporters' newsletter with no `subscriber` passed in silence, its rule listed as "nothing
    in the map falls under it" (auditor review 2026-12-03h, problem 1). None for a flow a
    rule of the kind asks consent of from every subscriber (a notice's promise of opt-in for
    all) judges. One located warning per rule and subject, in map order."""
    subjects = ctx.index.subjects
    locate = ctx.facts.loaded.sources.locate
    warnings = _unreachable_channels(ctx, rules)
    # flows a rule asks consent of from every subscriber judges (a notice's promise of opt-in
    # for all, which binds where it is stricter than PECR): none of them is left unjudged
    judged: set[str] = set()
    known = ctx.memo.get(_JUDGED_MEMO, {})
    for rule in rules:
        if rule.individual_subscribers:
            continue
        said = known.get(id(rule))
        if said is not None and said[0] is rule:  # evaluate matched them already
            judged |= said[1]
        else:
            judged.update(flow.id for flow in ctx.matching_flows(rule))
    regime = ctx.index.organisation.regime.value
    order = {subject_id: position for position, subject_id in enumerate(subjects)}  # map order
    for rule in rules:
        if not rule.individual_subscribers or (rule.regimes and regime not in rule.regimes):
            continue  # (a law the organisation does not follow is said not judged elsewhere)
        unsaid: dict[str, int] = {}
        for flow in ctx.matching_flows(rule):
            if flow.id in judged or _applies(ctx, rule, flow):
                continue  # judged: one of its subjects is an individual subscriber
            if _passes_whatever_kind(ctx, rule, flow):
                continue  # judged and passed: the kind of subscriber changes no verdict
            if _all_corporate(ctx, rule, flow) is not None:
                continue  # judged and passed: read as corporate subscribers by their words
            for subject_id in flow.subjects:
                subject = subjects.get(subject_id)
                if subject is not None and subject.subscriber is None:
                    unsaid[subject_id] = unsaid.get(subject_id, 0) + 1
        for subject_id in sorted(unsaid, key=order.__getitem__):
            count = unsaid[subject_id]
            flows = "1 flow" if count == 1 else f"{count:,} flows"
            where = locate(("subjects", subject_id), ())
            warnings.append(
                f"{where}: {rule.id} does not judge the {flows} it matches to subject "
                f"'{subject_id}' ({subjects[subject_id].name}), whose kind of subscriber is not "
                "recorded: say `subscriber: individual` (consumers, sole traders, partnerships "
                "other than limited liability and Scottish ones, whose marketing email needs "
                "consent or the soft opt-in, PECR reg. 22) or `subscriber: corporate` on the "
                "subject"
            )
    return warnings


def _unreachable_channels(ctx: Context, rules: Sequence[ConsentRequiredRule]) -> list[str]:
    """A warning at the ``channel`` of each flow a rule judging by channel matches whose data
    cannot reach people by it: ``channel: post`` on email addresses and phone numbers alone
    is no credible postal campaign, and would take the marketing out of PECR by its label. The
    rule reads such a flow as one with no channel (the table's unsaid row, email), and its
    finding says why (DPO review v, point 2). Once per flow, in map order."""
    regime = ctx.index.organisation.regime.value
    locate = ctx.facts.loaded.sources.locate
    said: dict[str, str] = {}
    for rule in rules:
        if not rule.by_channel or (rule.regimes and regime not in rule.regimes):
            continue
        for flow in ctx.matching_flows(rule):
            if flow.channel is None or flow.id in said:
                continue
            row = ctx.legal.marketing_channels.get(flow.channel)
            why = unreachable(ctx, flow, row) if row is not None else None
            unsaid = ctx.legal.unsaid_marketing_channel
            if row is None or why is None or unsaid is None:
                continue
            said[flow.id] = (
                f"{locate(('flows', flow.id), ('channel',))}: flow '{flow.id}' says `channel: "
                f"{flow.channel}` (marketing by {row.name}), but {why}: {rule.id} judges it as "
                f"a flow with no channel, by {unsaid.name}; record the channel its data "
                "reaches people by (one flow per channel), or the category that carries the "
                f"{' or '.join(_kind_names(ctx, row))} it uses"
            )
    order = {flow_id: position for position, flow_id in enumerate(ctx.index.flows)}
    return [said[flow_id] for flow_id in sorted(said, key=lambda f: order.get(f, 0))]


def _kind_names(ctx: Context, row: MarketingChannelRow) -> list[str]:
    names = {kind.id: kind.name for kind in ctx.legal.bases.contact_data}
    return [names[k] for k in row.reached_by or ()]


CHECK = Check(ConsentRequiredRule, SUMMARY, evaluate, warn=_warn)
