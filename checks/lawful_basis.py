"""Lawful basis: every flow names an Art. 6(1) basis from the closed list in the legal table, in
force for the regime on the audit date; consent needs a consent record whose own facts do not
show the consent invalid (a pre-ticked box, consent bundled with the terms: the legal table's
consent requirements), and, for data about children, one recording the holder of parental
responsibility's consent or authorisation (Art. 8(1), the age from the table: the UK's, or in
the EU the one the organisation's country set);
legitimate interests an assessment on file on the audit date (from the day it was completed, as
a transfer risk assessment), recognised legitimate interests (UK law, Art. 6(1)(ea)) one of the
conditions of its Annex 1, from the legal table's closed list (Art. 6(5)). A basis of another
regime's law only is never available, nor one the table says is never open for the flow's
purpose (contract for direct marketing). Words that are not a basis ("billing") are named as
such. A legitimate interests assessment weighs a purpose: a purpose whose flows lack one is
one finding, at its first flow, naming the others.

Contract (Art. 6(1)(b)) is open only where the data subjects are party to the contract (or ask
for one): the map says so per subject (``party_to_contract``); staff of a corporate or school
customer are not, and their data rests on legitimate interests with an assessment. Flows the
organisation receives as another controller's processor are not judged here, nor those by
which it moves or passes on data it holds only as that processor, for a purpose of the
controller's: a processor acts on the controller's instructions and the controller's basis
(Art. 28(3)(a), 29). Nor are the hops its sub-processors (and theirs) make of what only such
flows brought them (``MapFacts.processed_for``; DPO review w, problem 1). One for a purpose of
its own makes it a controller (Art. 28(10)), and is judged here. Likewise the hops the
organisation's own processors make for it, to their sub-processors or into their own stores,
for a purpose the organisation's own flow carries: that flow names the basis they act on
(lawyer review s17, problem 2), also where the same people reach the processor in a capacity
of its own as well ("both": DPO review s18; ``MapFacts.on_our_basis``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flowaudit.checks.base import (
    BASIS_NOT_FOR_PURPOSE,
    CONSENT_NOT_VALID,
    CONSENT_PURPOSE,
    Check,
    Context,
    Outcome,
    a_or_an,
    assessment_field,
    assessment_gap,
    consent_not_valid,
    consent_unstated,
    listed,
    purpose_not_covered,
    reads_as_children,
    short,
    staff_consent,
    staff_word,
    summary_of,
    word_in,
)
from flowaudit.checks.grouping import Said, fail_per_group
from flowaudit.model.loader import ElementRef
from flowaudit.model.problems import plural
from flowaudit.model.schema import ConsentRecord, Flow, Role
from flowaudit.policies.legal import ChildConsentAge, LawfulBasis, PublicAuthorityBar, PurposeLimit
from flowaudit.policies.schema import LawfulBasisRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: LawfulBasisRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    legal = ctx.legal
    regime = index.organisation.regime.value
    outside: dict[str, list[str]] = {}  # subject -> flows naming contract for it
    # (purpose, what is missing) -> the flows that lack the assessment, in map order
    unassessed: dict[tuple[str, str], list[str]] = {}
    offered: dict[tuple[str, str], str] = {}  # per purpose and kind: assessments to link
    organisation = index.organisation.id
    as_of = ctx.as_of
    # what a basis and a subject decide, worked out once, not per flow
    unavailable: dict[str, bool] = {}  # basis id -> not available to the regime on the day
    limits: dict[tuple[str, str], PurposeLimit | None] = {}  # (basis, purpose) -> its bar
    # the organisation's own employees are party to their employment contract with it (ICO
    # lawful basis guidance, contract): a subject the map records as `employees: true` (and
    # not `party_to_contract: false`) is party (law review y, problem 1: "Employees" on
    # contract got a HIGH and the advice to move payroll to legitimate interests). A reading
    # of the name alone never clears the finding ("Agency workers (supplied by TempCo)"
    # passed on a word: DPO review z, problem 3): the finding then says to record the flag
    employed = {
        s.id for s in index.data.subjects if s.party_to_contract is None and s.employees is True
    }
    read_as_staff: dict[str, tuple[str, str]] = {}
    for subject in index.data.subjects:
        if subject.party_to_contract is None:
            hit = staff_word(legal, subject)
            if hit is not None:
                read_as_staff[subject.id] = hit
    not_party = {
        s.id
        for s in index.data.subjects
        if s.party_to_contract is not True and s.id not in employed
    }
    # none: the regime's law sets no age; in the EU the age the organisation's state set
    # (DPO review 2026-12-03r, problem 2)
    child_age = legal.child_consent_age(regime, index.organisation.country)
    # subjects whose youngest is at or above the age but below the highest age any state
    # sets: a pass that lets them consent themselves rests on the age's row (DPO review
    # 2026-12-03r, problem 8: the UK's 13 passed with no mark, 12 failed with one)
    ceiling = legal.child_consent_ceiling
    on_the_age = (
        {
            s.id
            for s in index.data.subjects
            if s.min_age is not None and child_age.age <= s.min_age < ceiling
        }
        if child_age is not None and child_age.unconfirmed
        else set()
    )
    # children: flagged so, or whose youngest is below the regime's age of consent (a
    # min_age of 10 is children whether or not the flag is set: DPO review 2026-12-02f, 2)
    children = {
        s.id
        for s in index.data.subjects
        if s.children
        or (child_age is not None and s.min_age is not None and s.min_age < child_age.age)
    }
    held_as_processor = ctx.facts.held_as_processor
    theirs = ctx.facts.basis_not_ours
    capacity = ctx.facts.capacity
    # a public authority's tasks rest on no basis barred to it (Art. 6(1) second subparagraph:
    # DPO review 2026-12-03r, problem 3)
    public_authority = index.organisation.public_authority is True
    # an organisation that reads as one (Northbrook Borough Council) and says nothing of it:
    # its flows on a barred basis pass taken as not a public authority, and say so besides
    # the warning (DPO review 2026-12-03s, problem 5)
    reads_as = _reads_as_public_authority(ctx)
    cite = ctx.legal.citer(regime, ctx.as_of)  # the bar's source, as the regime cites it
    carried = ctx.facts.on_our_basis
    for flow in ctx.matching_flows(rule):
        if flow.id in theirs:
            continue  # an independent controller's own flow: its basis is its duty
        if flow.id in carried:
            # a processor's hop for the organisation (to its sub-processor, or into its own
            # store) of a purpose the organisation's own flow carries: the processor acts on
            # the controller's instructions and basis (Art. 28(3)(a), 29), which that flow
            # names; the hop's Art. 28(2)/(4) duties are the agreement and sub-processing
            # rules' (lawyer review s17, problem 2: a sub-processor hop with no basis was a
            # HIGH "no Art. 6 lawful basis")
            continue
        # index.acts_as_processor(flow), inline: a call per flow
        if flow.recipient_role is Role.PROCESSOR and index.receiver(flow) == organisation:
            continue
        if held_as_processor(flow):
            # data held only for a controller, moved for that controller's purpose, by the
            # organisation as its processor or by a sub-processor below it: its lawfulness is
            # the controller's basis (Art. 28(3)(a), 28(4), 29), not one of the
            # organisation's (DPO review 2026-12-03l, problem 6; DPO review w, problem 1)
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        where = ("basis",)
        if flow.basis is None:
            outcome.fail(
                element, "missing", "no Art. 6 lawful basis is named", where, fact="basis-missing"
            )
            continue
        not_basis = legal.not_bases.get(flow.basis)
        if not_basis is not None:
            outcome.fail(element, "not-a-basis", f"{not_basis.why}; {not_basis.fix}", where)
            continue
        basis = legal.lawful_bases.get(flow.basis)
        if basis is None:
            known = ", ".join(legal.lawful_bases)
            outcome.fail(
                element,
                "unknown",
                f"'{flow.basis}' is not an Art. 6(1) basis; the closed list is: {known}",
                where,
            )
            continue
        refused = unavailable.get(basis.id)
        if refused is None:
            refused = unavailable[basis.id] = regime not in basis.regimes or not basis.in_force(
                as_of
            )
        if refused:
            outcome.fail(element, "not-available", _not_available(basis, regime, as_of), where)
        elif basis.requires_recognised_condition:
            _recognised_condition(ctx, outcome, element, basis, flow.recognised_condition)
        barred = False  # the basis is barred to the public authority: no assessment cures it
        if not refused and public_authority:
            bar = basis.barred_to_public_authority(regime)
            if bar is not None:
                barred = True
                _public_authority(
                    ctx, outcome, element, flow, basis, bar, _then_needs(ctx, flow, basis)
                )
        elif not refused and reads_as is not None:
            bar = basis.barred_to_public_authority(regime)
            if bar is not None:
                outcome.assumed[element] = (
                    *outcome.assumed.get(element, ()),
                    f"{flow.id}: {short(index.organisation.name)} taken as not a public "
                    f"authority ({reads_as}, but the map does not say `public_authority`): "
                    f"{basis.name} does not apply to processing by public authorities in the "
                    f"performance of their tasks ({cite(bar.source)})",
                )
        # the first of the purpose's own and broader purposes the basis is not open for:
        # worked out once per (basis, purpose), not per flow
        limit_key = (basis.id, flow.purpose)
        if limit_key in limits:
            limit = limits[limit_key]
        else:
            limit = limits[limit_key] = next(
                (
                    found
                    for purpose in sorted(ctx.purposes_of(flow.purpose))
                    if (found := basis.limit_for(purpose)) is not None
                ),
                None,
            )
        if limit is not None:
            outcome.fail(
                element,
                limit.code,
                f"{basis.name} is not open for the purpose '{flow.purpose}'"
                + (f" ({limit.purpose})" if limit.purpose != flow.purpose else "")
                + f": {limit.why} "
                f"({limit.read_as(ctx.index.organisation.regime.value).source})",
                where,
                # a notice's promise of consent broken by the same basis: one finding
                fact=BASIS_NOT_FOR_PURPOSE,
                unconfirmed=(
                    f"{basis.id} not for {limit.purpose} "
                    f"({limit.read_as(ctx.index.organisation.regime.value).source})",
                )
                if limit.unconfirmed
                else (),
            )
        if basis.requires_consent_record:
            record = index.consent_records.get(flow.consent_record or "")
            young = [
                s
                for s in flow.subjects
                if s in children
                # all old enough to consent themselves (DPO review 2026-12-02e, problem 8)
                and not (
                    child_age is not None
                    and (age := index.subjects[s].min_age) is not None
                    and age >= child_age.age
                )
            ]
            purpose = index.purposes.get(flow.purpose)
            offline = purpose is not None and purpose.online_service is False
            if young and child_age is not None and basis.children_need_parental_authorisation:
                if offline:
                    # Art. 8 is about online services offered directly to a child: offline,
                    # a child consents where able to understand it, which the map cannot show
                    # (auditor review 2026-12-03h, problem 10: a school canteen); a parent's
                    # giving it, where the record shows it, is no assumption (auditor review
                    # 2026-12-03r, problem 11)
                    given = (
                        f"a parent gives or authorises it, as consent record '{record.id}' "
                        "records (parental_authorisation: true)"
                        if record is not None and record.parental_authorisation is True
                        else "the children are able to understand what they consent to, or "
                        "a parent gives it"
                    )
                    outcome.assumed[element] = (
                        *outcome.assumed.get(element, ()),
                        f"{flow.id}: consent for data about children, offline (purpose "
                        f"'{flow.purpose}' is no online service, so Art. 8 does not apply): "
                        f"{given}",
                    )
                else:
                    _child_consent(ctx, outcome, element, flow, young, record, child_age)
            if (
                child_age is not None
                and basis.children_need_parental_authorisation
                and not offline
                and not on_the_age.isdisjoint(flow.subjects)
            ):
                # old enough to consent themselves only at this age: the verdict turns on it
                mark = f"{child_age.id} ({child_age.source})"
                if mark not in outcome.relied.get(element, ()):
                    outcome.relied[element] = (*outcome.relied.get(element, ()), mark)
            if record is None:
                outcome.fail(
                    element,
                    "no-consent-record",
                    "consent is the basis but no consent record shows how it was obtained",
                    ("consent_record",),
                    fact="consent-record-missing",
                )
            else:
                invalid = consent_not_valid(legal, record, as_of)
                if invalid is not None:
                    outcome.fail(
                        element,
                        CONSENT_NOT_VALID,
                        invalid,
                        ("consent_record",),
                        fact=CONSENT_NOT_VALID,
                    )
                elif not ctx.consent_covers(record, flow.purpose):
                    # consent is given to specific purposes (Art. 6(1)(a)): a cookie banner's
                    # analytics consent is none for marketing (auditor's review 2026-12-02e, 1)
                    outcome.fail(
                        element,
                        "purpose-not-consented",
                        f"{purpose_not_covered(record, flow.purpose)} "
                        "(consent is given to specific purposes, Art. 6(1)(a))",
                        ("consent_record",),
                        fact=CONSENT_PURPOSE,
                    )
                else:
                    trusted = consent_unstated(legal, record)
                    if trusted is not None:  # said on the pass (DPO review 2026-12-02e, 3)
                        outcome.assumed[element] = (*outcome.assumed.get(element, ()), trusted)
                    staff = staff_consent(ctx, flow, basis.id, "another basis")
                    if staff is not None:  # DPO review 2026-12-03o, problem 6
                        outcome.assumed[element] = (*outcome.assumed.get(element, ()), staff)
                    authority = legal.bases.authority_consent
                    if public_authority and authority is not None:
                        # one note for every such pass, no flow named (as the staff note)
                        said = (
                            f"{basis.id} given to a public authority "
                            f"({short(index.organisation.name)}): taken on trust "
                            f"{authority.claimed}"
                        )
                        outcome.assumed[element] = (*outcome.assumed.get(element, ()), said)
        if basis.requires_party_to_contract and limit is None:
            # a purpose the basis is never open for is that flow's problem, whoever is party;
            # people the flow's sender holds in its own capacity, or only for a controller's
            # chain, are not the organisation's to rest on a contract (DPO review y, 1)
            held = capacity.get(flow.id)
            # a "both" flow partly the organisation's own is judged whole, its people on the
            # contract question too (DPO review z, problem 1; gate review s2: a new intake
            # alone took a HIGH contract-not-party away)
            kept = (*held.items, *held.held) if held is not None and held.kind != "both" else ()
            for subject_id in flow.subjects:
                if subject_id in not_party and subject_id not in kept:
                    outside.setdefault(subject_id, []).append(flow.id)
        if basis.requires_assessment is not None and not barred:
            # a basis barred to a public authority is the flow's one problem: an assessment
            # cannot make it available, so none is asked beside the bar, whose finding says
            # what follows if the processing is outside its tasks (DPO review 2026-12-03u,
            # problem 6: two HIGH findings on one flow for one basis)
            later = assessment_gap(ctx, flow, basis.requires_assessment)
            if later is not None:
                kind = basis.requires_assessment.replace("_", " ")
                # one assessment per purpose (the interest pursued is the purpose's): the gap
                # is grouped by purpose and reported once below (DPO review s17, problem 2)
                unassessed.setdefault(
                    (
                        flow.purpose,
                        # on the audit date, not "by" it as a deadline (DPO review 2026-12-03p, 7)
                        f"{basis.name} needs a {kind} assessment on file on the audit date, "
                        f"{as_of}{later}"
                        if later
                        else f"{basis.name} needs a {kind} assessment on file; none is linked"
                        f"{_on_file_for(ctx, flow.purpose, basis.requires_assessment, offered)}",
                    ),
                    [],
                ).append(flow.id)
        # a pass says what it takes on trust (DPO review 2026-12-03l, problem 12: vital
        # interests and public task passed in silence), as the organisation's regime reads
        # the basis (Union or Member State law for an EU one: auditor review 2026-12-03r, 3)
        read = basis.read_as(regime)
        # a recorded public authority is not told that "a private company rarely has" a
        # public task (DPO review 2026-12-03s, problem 6): the row's words for one
        claimed = (
            read.claimed_of_public_authority
            if public_authority and read.claimed_of_public_authority is not None
            else read.claimed
        )
        if claimed is not None:
            outcome.assumed[element] = (
                *outcome.assumed.get(element, ()),
                f"{flow.basis}: {basis.name} applies {claimed}, which the map cannot show",
            )
    _contract_outsiders(ctx, outcome, outside, read_as_staff)
    _fail_unassessed(ctx, outcome, unassessed)
    return outcome


def _on_file_for(ctx: Context, purpose: str, kind: str, kept: dict[tuple[str, str], str]) -> str:
    """Where a flow links no assessment of ``kind``: the map's assessments of that kind on
    file that name the flow's purpose (or a broader one it is a kind of), to link. A
    warehouse's CCTV disclosure to the police, for the purpose whose recording links the
    legitimate interests assessment, said only "none is linked", and the DPO did not see that
    the assessment on file was to be linked on this flow too (newcomer review s21). One that
    lists no purposes is not offered: it weighs no purpose it names. Worked out once per
    purpose and kind."""
    key = (purpose, kind)
    said = kept.get(key)
    if said is None:
        found = [
            a.id
            for a in ctx.index.data.assessments
            if a.kind.value == kind
            and a.purposes
            and a.on_file(ctx.as_of)
            and ctx.assessment_covers(a, purpose)
        ]
        said = (
            f"; the map has {', '.join(repr(a) for a in found)} on file for the purpose "
            f"'{purpose}': link it on this flow (assessment: {found[0]}) if it weighs this "
            "processing too"
            if found
            else ""
        )
        kept[key] = said
    return said


def _fail_unassessed(
    ctx: Context, outcome: Outcome, unassessed: dict[tuple[str, str], list[str]]
) -> None:
    """One finding per purpose and gap, at its first flow in the map, naming the other flows
    it covers (they are judged there, not passed): the interest a legitimate interests
    assessment weighs is the purpose's, and the ICO's guidance asks for one assessment per
    purpose, so a purpose with no assessment is one problem however many flows serve it
    (DPO review s17, problem 2: website-visits and third-party-insights, both for
    web_development, were two HIGHs), as an Art. 26 arrangement's gap is one per joint
    purpose (checks/agreement.py, _fail_joint)."""

    def said(key: tuple[str, str], first: str) -> Said:
        """A purpose's missing assessment, at the first flow's link to one (or where it goes)."""
        field = assessment_field(ctx, ctx.index.flows[first], "legitimate_interests")
        return Said("no-assessment", key[1], field)

    fail_per_group(outcome, unassessed, str, said, _named_unassessed)


def _named_unassessed(key: tuple[str, str], text: str, flows: str) -> str:
    """The missing assessment naming the purpose and its flows, before what follows ';'."""
    head, sep, tail = text.partition(";")
    return (
        f"{head} for the purpose '{key[0]}' (flows {flows}: one assessment weighs the purpose)"
        f"{sep}{tail}"
    )


def _child_consent(
    ctx: Context,
    outcome: Outcome,
    element: ElementRef,
    flow: Flow,
    young: list[str],
    record: ConsentRecord | None,
    age: ChildConsentAge,
) -> None:
    """Consent for children's data is given or authorised by the holder of parental
    responsibility below the regime's age (Art. 8(1); in the UK 13, DPA 2018 s.9): the consent
    record says so (``parental_authorisation``), or the flow fails ``child-consent``."""
    if record is not None and record.parental_authorisation is True:
        return
    subjects = ctx.index.subjects
    names = listed([short(subjects[s].name) for s in young])
    shown = (
        f"consent record '{record.id}' does not record it (parental_authorisation is not true)"
        if record is not None
        else "no consent record shows it"
    )
    # the state's age is read as the organisation's country's (DPO review 2026-12-03r,
    # problem 2): said, with what it leaves open
    state = (
        f"; {age.age} is the age {age.country} set, read as the law of the organisation's "
        f"country ({age.country}): a controller offering the service to children in other "
        "states may owe their ages too"
        if age.country is not None
        else ""
    )
    outcome.fail(
        element,
        "child-consent",
        f"consent is the basis for data about {names}, who are children: below {age.age} a "
        "child cannot give it for an online service offered directly to them (purpose "
        f"'{flow.purpose}' is taken to be one: say online_service: false on it if not), and the "
        f"holder of parental responsibility gives or authorises it ({age.source}), but {shown}"
        f"{state}",
        ("consent_record",) if record is not None else ("subjects", flow.subjects.index(young[0])),
        unconfirmed=(f"{age.id} ({age.source})",) if age.unconfirmed else (),
    )


def _public_authority(
    ctx: Context,
    outcome: Outcome,
    element: ElementRef,
    flow: Flow,
    basis: LawfulBasis,
    bar: PublicAuthorityBar,
    then: str = "",
) -> None:
    """A flow of an organisation recorded as a public authority on a basis that does not apply
    to processing by public authorities in the performance of their tasks: a wrong basis,
    unless the processing is outside those tasks, which the map cannot show and the finding
    says (Art. 6(1) second subparagraph; DPO review 2026-12-03r, problem 3), with ``then``,
    what the basis would need there that the flow lacks (``_then_needs``)."""
    organisation = ctx.index.organisation
    outcome.fail(
        element,
        "public-authority",
        f"{basis.name} does not apply to processing by public authorities in the performance "
        f"of their tasks ({bar.source}), and {short(organisation.name)} is recorded as one "
        f"(public_authority: true): rest the flow on {bar.instead} or another basis that "
        f"fits; this stands unless processing for the purpose '{flow.purpose}' is outside "
        f"its tasks as a public authority{then}",
        ("basis",),
        unconfirmed=(f"{basis.id} not for public authorities ({bar.source})",)
        if bar.unconfirmed
        else (),
    )


def _then_needs(ctx: Context, flow: Flow, basis: LawfulBasis) -> str:
    """What the bar's finding adds where the basis, were the processing outside the public
    authority's tasks, would need an assessment the flow does not link: said there, as the
    case it is, not as a finding of its own beside the bar (DPO review 2026-12-03u, problem
    6: an assessment cannot make a barred basis available)."""
    kind = basis.requires_assessment
    if kind is None:
        return ""
    later = assessment_gap(ctx, flow, kind)
    if later is None:
        return ""
    words = kind.replace("_", " ")
    return (
        f", where it would then need a {words} assessment on file on the audit date, "
        f"{ctx.as_of}{later}"
        if later
        else f", where it would then need a {words} assessment on file, and none is linked"
    )


def _recognised_condition(
    ctx: Context,
    outcome: Outcome,
    element: ElementRef,
    basis: LawfulBasis,
    named: str | None,
) -> None:
    """Recognised legitimate interests is open only where a condition of UK GDPR Annex 1 is
    met (Art. 6(5)): the flow names one from the table's closed list. A verdict resting on an
    unconfirmed row of that list says so."""
    conditions = ctx.legal.recognised_conditions
    known = ", ".join(conditions)
    if named is None:
        outcome.fail(
            element,
            "no-recognised-condition",
            f"{basis.name} is open only where a condition of UK GDPR Annex 1 is met (Art. "
            f"6(5)); the flow names none: set recognised_condition to the one it meets ({known})"
            ", or rest it on legitimate interests (Art. 6(1)(f)) with an assessment",
            ("basis",),
        )
        return
    condition = conditions.get(named)
    if condition is None:
        outcome.fail(
            element,
            "unknown-recognised-condition",
            f"'{named}' is not a condition of UK GDPR Annex 1 (Art. 6(5)); the closed list is: "
            f"{known}",
            ("recognised_condition",),
            unconfirmed=tuple(f"{c.id} ({c.source})" for c in conditions.values() if c.unconfirmed),
        )
        return
    if condition.unconfirmed:
        outcome.relied[element] = (f"{condition.id} ({condition.source})",)


def _not_available(basis: LawfulBasis, regime: str, as_of: date) -> str:
    """Why a basis is refused: another regime's law only (never available, whatever the
    date), or not yet (or no longer) in force in the organisation's own."""
    if regime not in basis.regimes:
        only = " and ".join(basis.regimes)
        return (
            f"{basis.name} exists in {only} law only ({basis.source}); it is never available "
            f"to {a_or_an(regime)} {regime} controller"
        )
    since = f" (from {basis.valid_from})" if basis.valid_from else ""
    return (
        f"{basis.name} is not available to {a_or_an(regime)} {regime} controller on {as_of}{since}"
    )


def _contract_outsiders(
    ctx: Context,
    outcome: Outcome,
    outside: dict[str, list[str]],
    read_as_staff: Mapping[str, tuple[str, str]],
) -> None:
    """One finding per data subject for whom flows name contract though they are not party to
    it: one problem (the subject is outside the contract), one fix (legitimate interests with
    one assessment), however many flows repeat it. Those flows are judged there, not passed."""
    index = ctx.index
    # a public authority is told the basis of its tasks, not legitimate interests (auditor
    # review 2026-12-03r, problem 4: a school was told to use legitimate interests)
    regime = index.organisation.regime.value
    interests = ctx.legal.lawful_bases.get("legitimate_interests")
    bar = (
        interests.barred_to_public_authority(regime)
        if interests is not None and index.organisation.public_authority is True
        else None
    )
    instead = (
        f"use {bar.instead} for processing in the performance of its tasks as a public "
        f"authority, where legitimate interests does not apply ({bar.source})"
        if bar is not None
        else "use legitimate interests (Art. 6(1)(f)) with a legitimate interests assessment"
    )
    judged = {("flows", flow_id) for flows in outside.values() for flow_id in flows}
    if judged:
        outcome.evaluated[:] = [e for e in outcome.evaluated if e not in judged]
    for subject_id, flows in outside.items():
        subject = index.subjects[subject_id]
        element = ("subjects", subject_id)
        outcome.evaluated.append(element)
        state = "not party" if subject.party_to_contract is False else "not recorded as party"
        count = f"{len(flows):,} flows rest" if len(flows) > 1 else "1 flow rests"
        # a name that reads as the organisation's own staff clears nothing: the flag does
        # (DPO review z, problem 3)
        staff = read_as_staff.get(subject_id)
        employees = (
            f"; if they are the organisation's own employees (as the word '{staff[1]}' in its "
            f"{staff[0]} suggests), record `employees: true`: employees are party to their "
            "employment contract"
            if staff is not None
            else ""
        )
        outcome.fail(
            element,
            "contract-not-party",
            f"{short(subject.name)} are {state} to the contract, yet {count} on contract (Art. "
            f"6(1)(b)) for them ({listed(sorted(flows))}): {instead}, or record "
            f"party_to_contract: true where they are the customer{employees}",
            ("party_to_contract",) if subject.party_to_contract is not None else (),
            flows=tuple(sorted(flows)),
            # the problem across runs is the group of people on contract, not which flows
            # rest on it: a flow joining is a change to review, not the finding new and
            # fixed at once (mayrisk-s19 left it open, as grouping.fail_per_group does)
            problem=(
                f"{short(subject.name)} are {state} to the contract, yet flows rest on "
                f"contract (Art. 6(1)(b)) for them: {instead}{employees}"
            ),
        )


def _warn(ctx: Context, rules: Sequence[LawfulBasisRule]) -> list[str]:
    """Subjects whose id or name says they are children but that record neither
    `children: true` nor a youngest age: the children's consent rule (Art. 8) cannot see them
    ("Children using our learning app" passed consent with no parent's: DPO review
    2026-12-03n, problem 3). One located warning per subject a flow on consent carries; none
    for a subject that says `children: false`, or where the regime's law sets no age."""
    regime = ctx.index.organisation.regime.value
    if ctx.legal.child_consent_age(regime, ctx.index.organisation.country) is None:
        return []
    locate = ctx.facts.loaded.sources.locate
    # only where it would be judged: subjects of a flow resting on consent
    consented = {
        subject
        for rule in rules
        for flow in ctx.matching_flows(rule)
        if (basis := ctx.legal.lawful_bases.get(flow.basis or "")) is not None
        and basis.children_need_parental_authorisation
        for subject in flow.subjects
    }
    warnings = []
    for subject in ctx.index.data.subjects:
        if (
            subject.id not in consented
            or "children" in subject.model_fields_set
            or subject.min_age is not None
        ):
            continue
        hit = reads_as_children(subject.id, subject.name)
        if hit is not None:
            field, word = hit
            where = locate(("subjects", subject.id), (field,))
            warnings.append(
                f"{where}: subject '{subject.id}' ({subject.name}) reads as children (the "
                f"word '{word}' in its {field}), but records neither `children: true` nor "
                "`min_age`, so consent for them is not judged against the age of consent "
                "(Art. 8): say which, or `children: false`"
            )
    return warnings


def _public_authority_word(ctx: Context) -> tuple[str, str] | None:
    """The field and word of the organisation's id or name that read as a public authority's
    (the word 'council' in its name), from the words of every bar of its regime's bases,
    where it says nothing of ``public_authority``; None when it says, or reads as none. One
    list for every barred basis: an academy on recognised legitimate interests was not
    warned of, since the words sat only on the legitimate interests row (attack review
    2026-12-03s, problem 2)."""
    organisation = ctx.index.organisation
    if "public_authority" in organisation.model_fields_set:
        return None
    regime = organisation.regime.value
    words = sorted(
        {
            word
            for basis in ctx.legal.lawful_bases.values()
            if (bar := basis.barred_to_public_authority(regime)) is not None
            for word in bar.words
        }
    )
    return word_in(words, organisation.id, organisation.name) if words else None


def _reads_as_public_authority(ctx: Context) -> str | None:
    """Why the organisation reads as a public authority, as a pass of a flow on a barred
    basis says it takes the organisation as none (DPO review 2026-12-03s, problem 5), as the
    warning asks; None when it says, or reads as none."""
    hit = _public_authority_word(ctx)
    if hit is None:
        return None
    field, word = hit
    return f"the word '{word}' in its {field} reads as one"


def _warn_public_authority(ctx: Context, rules: Sequence[LawfulBasisRule]) -> list[str]:
    """An organisation whose id or name reads as a public authority's (Elm Park Academy) and
    that says nothing of ``public_authority``, with flows on a basis barred to one: the bar
    (Art. 6(1) second subparagraph) is not judged, so it is asked (DPO review 2026-12-03r,
    problem 3: an academy on legitimate interests passed with no trace)."""
    hit = _public_authority_word(ctx)
    if hit is None:
        return []
    organisation = ctx.index.organisation
    regime = organisation.regime.value
    barred: dict[str, list[str]] = {}  # basis name -> flows on it
    for rule in rules:
        for flow in ctx.matching_flows(rule):
            basis = ctx.legal.lawful_bases.get(flow.basis or "")
            if basis is not None and basis.barred_to_public_authority(regime) is not None:
                barred.setdefault(basis.name, []).append(flow.id)
    if not barred:
        return []
    field, word = hit
    flows = sorted({flow for ids in barred.values() for flow in ids})
    where = ctx.facts.loaded.sources.locate(("organisation", organisation.id), (field,))
    return [
        f"{where}: organisation '{organisation.id}' ({organisation.name}) reads as a public "
        f"authority (the word '{word}' in its {field}), but does not say `public_authority`, "
        f"so {listed(list(barred))} ({plural(len(flows), 'flow')}: {listed(flows)}) is not "
        "judged against the bar on public authorities' processing in the performance of "
        "their tasks (Art. 6(1) second subparagraph): say `public_authority: true` if it is "
        "one, or `public_authority: false`"
    ]


def _warnings(ctx: Context, rules: Sequence[LawfulBasisRule]) -> list[str]:
    return [*_warn(ctx, rules), *_warn_public_authority(ctx, rules)]


CHECK = Check(LawfulBasisRule, SUMMARY, evaluate, warn=_warnings)
