"""Transfer: a flow from an exporter inside a regime (UK, EU, CH) to a recipient or store
outside its jurisdiction, where the destination is not adequate on the audit date, needs a
mechanism from the legal table that is valid for that exporter on that date. The regime is
the one in force on the day (a UK exporter before 2021 followed the EU's table and sent to
the EEA freely). Certification frameworks (Privacy Shield, DPF, UK Extension) pass only for
listed importers; contract mechanisms need a signed agreement between the exporter and the
importer in force on the day, concluded before any cut-off, with the transfer risk assessment
the table asks for; BCRs stay within a group; Art. 49 derogations are occasional and evidenced.
A contract recorded under another regime's row for the same clauses is judged by this
exporter's row; a lawful transfer whose record names another regime's row, a safeguard
struck down since, or a contract safeguard whose agreement or assessment is not on file (an
adequate destination needs none, but the record and the notice name one that is not in place)
is a finding about the record (codes recorded-under-other-row, recorded-safeguard-invalid,
recorded-safeguard-not-applicable and recorded-safeguard-not-in-place), not about the
transfer. Data a party sends to its own store abroad is no transfer (one legal person: no
importer; the legal table's same_legal_person), and the rule warns of each such store, since
a host holding the data there would be one. A
flow another controller makes of data it holds as a controller (by the role on the flows that
brought it the data) is its own export, as exporter, not the organisation's, and is not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from flowaudit.checks.base import (
    CONSENT_GAP_FACTS,
    Check,
    Context,
    Outcome,
    a_or_an,
    assessment_field,
    assessment_gap,
    carried_words,
    explicit_consent_gap,
    is_blank,
    own_staff,
    short,
    summary_of,
)
from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import AgreementStatus, Assessment, Flow, Role
from flowaudit.policies.legal import (
    Adequacy,
    ContestedDay,
    DataProtectionTest,
    Ground,
    Mechanism,
    StaffDataScope,
)
from flowaudit.policies.schema import TransferRule

SUMMARY = summary_of(__doc__)


@dataclass(frozen=True)
class TransferProblem:
    code: str
    message: str
    field: tuple[str | int, ...] = ("transfer_mechanism",)
    unconfirmed: tuple[str, ...] = ()
    fact: str | None = None
    """Names the problem across findings on the flow (one problem, one finding)."""

    @property
    def record_only(self) -> bool:
        """A fault of the record alone (a safeguard named wrongly: the transfer is lawful), or
        a judgement the law leaves to the exporter that the record does not show (the data
        protection test): no reason to hold the transfer, or a chain through it, unlawful."""
        return self.code in RECORD_ONLY


#: A contract safeguard the record names for an adequate transfer, not shown in place (read
#: by the record of processing, reports/ropa.py, to say so beside the safeguard's name).
NOT_IN_PLACE = "recorded-safeguard-not-in-place"

#: A safeguard the record names for an adequate transfer that cannot serve it: a framework
#: for another destination (the EU-US DPF named for a Japanese importer) or an instrument no
#: row of the exporter's regime answers to (the 2021 EU SCCs named by a UK exporter to
#: Switzerland). Lawful on the adequacy, but the record and the notice name a safeguard that
#: is none (Art. 30(1)(e), Art. 13(1)(f)); it passed silently (lawyer review s21).
NOT_APPLICABLE = "recorded-safeguard-not-applicable"

#: A lawful transfer's record that names its safeguard wrongly, or an assessment that does not
#: record the data protection test (a judgement to record, resting on a row of its own): a
#: finding of its own, never joined with the unmet conditions of a safeguard
#: (``CONDITIONS_UNMET``), so a critical never carries its grade, its law or its UNCONFIRMED
#: mark (DPO review 2026-12-02h, problem 6).
RECORD_FAULTS = frozenset(
    {
        "recorded-under-other-row",
        "recorded-safeguard-invalid",
        NOT_APPLICABLE,
        NOT_IN_PLACE,
        "data-protection-test-not-recorded",
    }
)

#: The codes of problems of the record alone (``TransferProblem.record_only``), each with
#: what is left to do, as the transfers register says it beside "valid": the register reads
#: a finding's code, never re-judges the transfer.
RECORD_ONLY = {
    "recorded-under-other-row": "record to correct",
    "recorded-safeguard-invalid": "record to correct",
    NOT_APPLICABLE: "record to correct",
    NOT_IN_PLACE: "record to correct",
    "data-protection-test-not-recorded": "judgement to record",
}


SIGNED_BEFORE_AVAILABLE = "signed-before-available"
#: An IDTA or Addendum assessment that records the data protection test not judged met
#: (``data_protection_test: false``): the safeguard does not make the transfer lawful
#: (Art. 46(1A)); graded by the policy as a safeguard's unmet condition (high).
DATA_PROTECTION_TEST_NOT_MET = "data-protection-test-not-met"

#: Data the UK Extension asks the exporter to identify to the importer, sent unflagged.
SENSITIVE_NOT_FLAGGED = "sensitive-not-flagged"

#: The fact of every unmet condition of one transfer's safeguard (its mechanism not in force,
#: no agreement, no risk assessment, not occasional, no consent record, data not flagged...):
#: a transfer without a valid safeguard is one problem, one finding under the most severe
#: code that lists every condition unmet, as the compelling-interests ground does in one
#: problem (DPO review 2026-12-02g, problem 4). A mechanism not in force yet and an agreement
#: on it signed later are so joined too, and so are data the UK Extension asks to flag, sent
#: unflagged, with the unmet conditions of the safeguard the flow records besides it (neither
#: carries the transfer). The faults of the record alone (``RECORD_FAULTS``) stay apart: a
#: safeguard named wrongly, or a judgement the record does not show.
CONDITIONS_UNMET = "transfer:conditions-unmet"


def unconfirmed_label(row: Mechanism | Adequacy | DataProtectionTest) -> str:
    """How a finding names an unconfirmed row it relies on."""
    return f"{row.id} ({row.source})"


def contested_label(row: Mechanism | Adequacy, day: ContestedDay) -> str:
    """How a verdict names a contested day of a row it turns on, with the other reading (why
    the day is UNCONFIRMED) and its source: "eu_scc_old invalid_from 2022-12-27: Decision
    2021/914 Art. 4(4) keeps ... (Commission Implementing Decision (EU) 2021/914, art. 4(4))"."""
    return f"{row.id} {day.field} {day.day}: {day.reading} ({day.source})"


def exporting_party(ctx: Context, flow: Flow) -> str:
    """The party whose export a flow is: its sender as the map's facts read it (the
    organisation for its disclosure through its processor: ``transfer_scope``), but the
    processor that sends a flow the facts read as the organisation's own (its hop into a
    store another processor holds for it, or a host's flow out of the store it holds for the
    organisation to a party the organisation engaged itself: ``MapIndex.written_by_processor``)
    where that processor is established under another regime flowaudit models than the
    organisation's: it sends the data, and Chapter V binds processors too (Art. 44), so a
    German platform writing into a US cloud drive is an EU transfer whoever signed the cloud's
    contract (gate review s20), and so is a German host's flow out of its store to the UK
    organisation's US courier (lawyer review s21)."""
    index = ctx.index
    sender = ctx.facts.flow(flow).sender
    if not index.is_organisation(sender) or flow.id not in index.written_by_processor:
        return sender
    writer = index.nodes[flow.source].party_id
    regime = ctx.legal.jurisdiction_of_country.get(index.nodes[writer].country)
    if regime is None or regime == index.organisation.regime.value:
        return sender
    return writer


def exporter_regime(ctx: Context, flow: Flow) -> str | None:
    """The regime the sender of a flow answers to, or None (not ours to judge)."""
    index = ctx.index
    # the organisation for its disclosure through its processor (``transfer_scope``)
    sender = exporting_party(ctx, flow)
    if index.is_organisation(sender):
        return index.organisation.regime.value
    return ctx.legal.jurisdiction_of_country.get(index.nodes[sender].country)


def judge_transfer(ctx: Context, flow: Flow) -> list[TransferProblem] | None:
    """None when the flow is no restricted transfer; else its problems (empty: lawful)."""
    return judge_transfer_marked(ctx, flow)[0]


def transfer_scope(ctx: Context, flow: Flow) -> tuple[str, str] | None:
    """(the exporter's regime on the audit date, the destination country) when the flow is a
    restricted transfer, else None. Remembered per sending party and destination country,
    which decide it once the receiver is another party than the sender (to its own store a
    party makes no transfer: ``same_legal_person``): asked of every flow by the transfer,
    onward and notice rules."""
    # the sender as the map's facts read it: the organisation for its disclosure through its
    # processor out of the store it holds for it (DPO review s9, problem 2)
    sender, target = exporting_party(ctx, flow), ctx.index.nodes[flow.target]
    if target.party_id == sender and ctx.legal.transfers.same_legal_person is not None:
        return None  # one legal person sends and receives: no importer, no transfer
    key = (sender, target.country)
    scopes = _scopes(ctx)
    if key in scopes:
        return scopes[key]
    scope: tuple[str, str] | None = None
    regime = exporter_regime(ctx, flow)
    if regime is not None:
        legal = ctx.legal
        exporter = legal.effective_regime(regime, ctx.as_of)
        if key[1] not in legal.inside(exporter, ctx.as_of):
            scope = exporter, key[1]
    scopes[key] = scope
    return scope


def _scopes(ctx: Context) -> dict[tuple[str, str], tuple[str, str] | None]:
    """transfer_scope's memo: by (sending party, destination country)."""
    scopes: dict[tuple[str, str], tuple[str, str] | None] = ctx.memo.setdefault(
        "transfer.scope", {}
    )
    return scopes


def judge_transfer_marked(
    ctx: Context, flow: Flow
) -> tuple[list[TransferProblem] | None, tuple[str, ...]]:
    """``judge_transfer`` and the unconfirmed rows a pass would rest on (see ``_marks``)."""
    scope = transfer_scope(ctx, flow)
    if scope is None:
        return None, ()
    problems, rests, _used = _judge_marked(ctx, flow, *scope)
    return problems, rests


#: The rows a transfer's verdict used (``_judge``): the adequacy row, or the mechanism's rows.
Used = list[Mechanism | Adequacy]


def _judge_marked(
    ctx: Context, flow: Flow, exporter: str, country: str
) -> tuple[list[TransferProblem], tuple[str, ...], Used]:
    """A restricted transfer's problems, each marked with the unconfirmed rows it relies on,
    the unconfirmed rows a pass rests on, and the rows the verdict used (what a pass's
    ASSUMED facts read, not judged again: ``_occasional_on_trust``)."""
    problems, used = _judge(ctx, flow, exporter, country)
    adequate = bool(used) and isinstance(used[0], Adequacy)
    rests, doubts = _marks(ctx, exporter, country, used, adequate)
    if doubts:
        problems = [
            replace(p, unconfirmed=tuple(sorted({*p.unconfirmed, *doubts}))) for p in problems
        ]
    signed = _contested_signing(ctx, flow, exporter, used)
    if signed:
        # the contract's signing day is contested against the row's cut-off: a pass rests on
        # the table's reading of it, and so does a refusal for signing after it
        if not problems:
            rests = tuple(sorted({*rests, *signed}))
        problems = [
            replace(p, unconfirmed=tuple(sorted({*p.unconfirmed, *signed})))
            if p.code == "signed-after-cutoff"
            else p
            for p in problems
        ]
    return problems, rests, used


def _contested_signing(
    ctx: Context, flow: Flow, exporter: str, used: list[Mechanism | Adequacy]
) -> tuple[str, ...]:
    """The contested days of the cut-off for new contracts (``new_contracts_until``) of the
    exporter's own mechanism in force that the flow's transfer agreement was signed on: the
    old EU SCCs signed on 2021-09-27, accepted by FACTS.md's "no new contracts after
    2021-09-27", not by the Decision's "concluded before 27 September 2021" (DPO review
    2026-12-03j, problem 3)."""
    evidence = ctx.index.agreements.get(flow.transfer_agreement or "")
    if evidence is None or evidence.signed_on is None or evidence.signed_on > ctx.as_of:
        return ()
    return tuple(
        contested_label(row, day)
        for row in used
        if isinstance(row, Mechanism)
        and row.contested
        and exporter in row.exporters
        and row.in_force(ctx.as_of)
        and evidence.kind.value in row.agreement_kinds
        for day in row.contested_on({"new_contracts_until": evidence.signed_on})
    )


def _marks(
    ctx: Context, exporter: str, country: str, used: list[Mechanism | Adequacy], adequate: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The unconfirmed rows, as findings name them and sorted, that (a pass, a finding) rests
    on. A pass rests on the rows it used, each in force on the audit date: the adequacy row,
    or the mechanism's. A finding rests on those too and, where no adequacy was found, on the
    adequacy rows about the destination whose dates or listing decided that none applies.
    A row whose `unconfirmed` names some of its fields marks only a verdict that turns on one
    of them (``_turned_on``): the Swiss-US Shield's unconfirmed start date does not mark "not
    available to a UK exporter" (its exporters) nor "invalid since 2020-09-08" (its end), but
    does mark a pass on it (DPO review 2026-12-02i, problem 5). (An adequacy row not in force
    on the day is no ground of a pass: the EU's extension of its UK decision, expired on
    2025-12-28, is not what a transfer on 2026-11-25 rests on.) Remembered per exporter,
    destination and rows used, which decide them (thousands of flows share them)."""
    remembered: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[str, ...]]] = (
        ctx.memo.setdefault("transfer.marks", {})
    )
    key = (exporter, country, adequate, *map(id, used))  # rows live as long as the table
    marks = remembered.get(key)
    if marks is None:
        as_of = ctx.as_of
        rests = {unconfirmed_label(row) for row in used if row.in_force(as_of) and row.doubts()}
        about = () if adequate else ctx.legal.doubted_absence(exporter, country, as_of)
        doubts = {
            unconfirmed_label(row) for row in used if row.doubts(_turned_on(row, exporter, as_of))
        } | {unconfirmed_label(row) for row in about}
        # a contested day of a row's dates marks only the verdict that turns on it, on that
        # day: the pass on a row in force on it, the finding on a row (or the absence of an
        # adequacy row) that falls outside it by that date (DPO review 2026-12-03j, 1-2)
        for row in used:
            if not row.contested or (isinstance(row, Mechanism) and exporter not in row.exporters):
                continue  # (another regime's row turns on its exporters, never on its dates)
            if row.in_force(as_of):
                rests.update(contested_label(row, c) for c in row.contested_in_force(as_of))
                continue
            turned = _turned_on(row, exporter, as_of)
            if turned is not None:
                doubts.update(
                    contested_label(row, c) for c in row.contested_in_force(as_of, turned)
                )
        if not adequate:
            doubts.update(
                contested_label(row, c)
                for row in ctx.legal.rows_about(exporter, country)
                if row.contested
                for c in row.contested_in_force(as_of, row.fields_excluding(as_of))
            )
        marks = remembered[key] = (tuple(sorted(rests)), tuple(sorted(doubts)))
    return marks


def _turned_on(row: Mechanism | Adequacy, exporter: str, as_of: date) -> tuple[str, ...] | None:
    """The fields of a row the verdict used that the verdict turns on (None: the whole row):
    a mechanism of other exporters turns on its ``exporters`` (refused, or judged under the
    exporter's own row), one not in force on the date it falls outside; a row judged in force
    (the adequacy found, the mechanism whose conditions were weighed) on all of it."""
    if isinstance(row, Mechanism):
        if exporter not in row.exporters:
            return ("exporters",)
        if not row.in_force(as_of):
            return row.dates_deciding(as_of)
    return None


def _adequacy(
    ctx: Context, exporter: str, country: str, listings: list[str]
) -> tuple[Adequacy | None, Adequacy | None]:
    """``LegalTable.adequacy_for`` on the audit date, remembered per exporter, destination
    and the importer's listings, which decide it."""
    remembered: dict[tuple[str, ...], tuple[Adequacy | None, Adequacy | None]] = (
        ctx.memo.setdefault("transfer.adequacy", {})
    )
    key = (exporter, country, *listings)
    found = remembered.get(key)
    if found is None:
        found = remembered[key] = ctx.legal.adequacy_for(exporter, country, ctx.as_of, listings)
    return found


def _judge(
    ctx: Context, flow: Flow, exporter: str, country: str
) -> tuple[list[TransferProblem], list[Mechanism | Adequacy]]:
    """The problems and the rows the verdict used: the adequacy row, or the mechanism's rows
    (an adequacy row for listed importers only, when the importer is not listed, is no row a
    pass rests on: ``_marks`` adds it to the findings with every row about the destination)."""
    index = ctx.index
    as_of = ctx.as_of
    destination = index.nodes[flow.target]
    importer = index.parties.get(destination.party_id)
    # the organisation as importer states its own listing (auditor review s2, problem 1)
    listings = index.listed_under(destination.party_id)
    adequate, unlisted = _adequacy(ctx, exporter, country, listings)
    excluded = None  # an adequacy the map shows does not cover this importer
    if adequate is not None and importer is not None and adequate.excludes_kind(importer.kind):
        excluded, adequate = adequate, None
    if adequate is not None:
        unmet = _sensitive(ctx, flow, adequate)
        if unmet and _rests_on_safeguard(ctx, flow):
            # the adequacy's own condition is not met (data not flagged): the transfer rests on
            # the safeguard the flow records, judged as without adequacy (DPO review
            # 2026-12-02h, problems 2 and 7)
            problems, relied = _judge_mechanism(ctx, flow, exporter, country, listings)
            if all(p.record_only for p in problems):
                return problems, relied  # in place: lawful whatever the data
            if any(p.code == SENSITIVE_NOT_FLAGGED for p in unmet):
                # neither holds: one transfer without a valid ground, one finding listing
                # what each lacks (never "rests on adequacy" beside it)
                return [*unmet, *problems], [adequate, *relied]
        return [
            *unmet,
            *_recorded_safeguard(ctx, flow, exporter, adequate),
        ], [adequate]
    if flow.transfer_mechanism is None:
        hint = (
            (f"; {country} is adequate only for importers listed under {unlisted.requires_listing}")
            if unlisted
            else _listing_out_of_force(ctx, exporter, country, listings)
        )
        if excluded is not None and importer is not None:
            hint += excluded.excluded_words(country, importer.kind)
        regime, then = _exporter_words(ctx, flow, exporter)
        return [
            TransferProblem(
                "no-mechanism",
                f"transfer from {regime}{then} to {country} ({destination.name}) has no "
                f"adequacy on {as_of} and no transfer mechanism{hint}"
                + _through_holder(ctx, flow, country)
                + _sender_regime(ctx, flow, exporter),
                # the listing named as the way to adequacy relies on its row in force; an
                # importer's kind the row does not cover, on the row's reading of its scope
                # (Japan's business operators: lawyer review s18)
                unconfirmed=tuple(
                    unconfirmed_label(row)
                    for row, turned in ((unlisted, None), (excluded, ("not_for_kinds",)))
                    if row is not None and row.doubts(turned)
                ),
            )
        ], []
    return _judge_mechanism(ctx, flow, exporter, country, listings)


def _listing_out_of_force(ctx: Context, exporter: str, country: str, listings: list[str]) -> str:
    """What a finding of no adequacy adds where the importer is listed under a framework whose
    adequacy row is not in force on the audit date: struck down (the Privacy Shield from
    2020-07-16, as the mechanism's finding says when the flow records it) or not in force
    yet. Empty when the importer's listings name no such row."""
    as_of = ctx.as_of
    return "".join(
        f"; the adequacy for importers listed under {row.requires_listing} is "
        f"{why_not_in_force(row, as_of)}"
        for row in ctx.legal.rows_about(exporter, country)
        if row.requires_listing in listings and not row.in_force(as_of)
    )


def _rests_on_safeguard(ctx: Context, flow: Flow) -> bool:
    """Whether the flow records a safeguard of its own besides the adequacy that covers its
    destination: an Art. 46 contract, BCRs or an Art. 49 derogation, never a listing (the UK
    Extension, or another regime's certification for it, is the adequacy itself)."""
    named = ctx.legal.mechanisms.get(flow.transfer_mechanism or "")
    return named is not None and named.is_mechanism and named.requires_listing is None


def _judge_mechanism(
    ctx: Context, flow: Flow, exporter: str, country: str, listings: list[str]
) -> tuple[list[TransferProblem], list[Mechanism | Adequacy]]:
    """A transfer's problems judged on the mechanism it records (``transfer_mechanism`` set),
    and the rows that verdict used."""
    index = ctx.index
    legal = ctx.legal
    as_of = ctx.as_of
    destination = index.nodes[flow.target]
    relied: list[Mechanism | Adequacy] = []
    mechanism = legal.mechanisms.get(flow.transfer_mechanism or "")
    if mechanism is None:
        return [
            TransferProblem(
                "unknown-mechanism",
                f"'{flow.transfer_mechanism}' is not a transfer mechanism in the "
                f"legal table; known: {', '.join(legal.mechanisms)}",
            )
        ], relied
    relied.append(mechanism)
    if not mechanism.is_mechanism:
        return [
            TransferProblem(
                "not-a-mechanism",
                f"{mechanism.name} is not a transfer mechanism: {mechanism.notes}",
            )
        ], relied
    problems: list[TransferProblem] = []
    named = mechanism
    relabel: TransferProblem | None = None
    if exporter not in mechanism.exporters:
        # the same clauses under this exporter's own row are judged by that row's dates: a
        # label is a matter of record, the contract's validity one of law
        own = _same_clauses(ctx, mechanism, exporter)
        if own is None:
            return [
                TransferProblem("wrong-exporter", _wrong_exporter(ctx, flow, mechanism, exporter))
            ], relied
        if exporter_regime(ctx, flow) not in mechanism.exporters and (
            mechanism.id not in own.answers_to
        ):
            # (a row of the exporter's own regime, recorded while it followed another
            # regime's table, names the same clauses rightly: the UK's old SCCs in 2020; so
            # does the name of the instrument the own row answers to: the EU SCCs the FDPIC
            # recognised, for a Swiss exporter)
            relabel = _recorded_as(
                ctx, flow, mechanism, exporter, own, "which judges the same clauses"
            )
        mechanism = own
        relied.append(own)
    if not mechanism.routine or mechanism.grounds or mechanism.requires_explicit_consent:
        # (a derogation whose law sets no occasional condition, revFADP Art. 17, is still
        # judged on its ground and its consent)
        problems.extend(_derogation(ctx, flow, mechanism))
    dead = mechanism.invalid_from is not None and as_of >= mechanism.invalid_from
    elsewhere = bool(mechanism.destinations) and country not in mechanism.destinations
    if not mechanism.in_force(as_of):
        why = why_not_in_force(mechanism, as_of)
        if dead and elsewhere:  # one problem: the transfer needs another mechanism either way
            why += f"; it covered only transfers to {', '.join(mechanism.destinations)}"
        problems.append(
            TransferProblem(
                "mechanism-invalid",
                f"{mechanism.name} is {why}{_named_besides(ctx, flow, named, exporter)}",
            )
        )
    if dead:
        # a struck-down mechanism is the whole problem: its listing, its contract and its
        # assessment are moot (and "list the importer under it" would be wrong advice)
        return _noted(problems, relabel, named), relied
    if elsewhere:
        problems.append(
            TransferProblem(
                "wrong-destination",
                f"{mechanism.name} covers transfers to {', '.join(mechanism.destinations)}, "
                f"not {country}",
            )
        )
    if mechanism.requires_listing and mechanism.requires_listing not in listings:
        # the field named is one the importer's element has: the organisation's own listing
        # when it is the importer (auditor review s2, problem 1)
        where = "organisation" if index.is_organisation(destination.party_id) else "party"
        problems.append(
            TransferProblem(
                "importer-not-listed",
                f"{index.nodes[destination.party_id].name} (the importer) is not marked as listed "
                f"under {mechanism.requires_listing}: check that the list it names shows the "
                f"importer; if it does, record listed_under on the {where}; if not, rest the "
                "transfer on another safeguard",
            )
        )
    if mechanism.agreement_kinds:
        problems.extend(_agreement(ctx, flow, mechanism))
    if mechanism.intra_group_only:
        problems.extend(_group(ctx, flow, mechanism))
    if mechanism.requires_assessment is not None and _from(
        mechanism.assessment_required_from, as_of
    ):
        problems.extend(_assessment(ctx, flow, mechanism, mechanism.requires_assessment, exporter))
    problems.extend(_sensitive(ctx, flow, mechanism))
    return _noted(problems, relabel, named), relied


def _noted(
    problems: list[TransferProblem], relabel: TransferProblem | None, named: Mechanism
) -> list[TransferProblem]:
    """The problems with a relabelling said: in passing where the clauses fail on the right
    row (the label is then moot), else as the only, record-keeping problem."""
    if relabel is None:
        return problems
    if not problems:
        return [relabel]
    first = problems[0]
    return [
        replace(
            first,
            message=f"{first.message} (recorded as '{named.id}', the "
            f"{', '.join(named.exporters)} exporters' row for the same clauses)",
        ),
        *problems[1:],
    ]


def why_not_in_force(row: Mechanism | Adequacy, on: date) -> str:
    """Why a mechanism (or an adequacy row) that is not in force on ``on`` is not: struck
    down (with the source that did it) or not yet made."""
    if row.invalid_from is not None and on >= row.invalid_from:
        return f"invalid since {row.invalid_from} ({row.source})"
    return f"not in force before {row.valid_from}"


def through_holder(index: MapIndex, flow: Flow) -> tuple[str, str] | None:
    """The sender and the holder of a third party's flow into a store the organisation's
    processor holds for it, whose transfer is the organisation's (Art. 44-46: the data
    reaches its processor for it); None for any other flow. The transfers register names the
    exporter as the finding does (auditor review s7, problem 2)."""
    holder = index.party_of(flow.target)
    if index.receiver(flow) != index.organisation.id or index.is_organisation(holder):
        return None
    return index.party_of(flow.source), holder


def _through_holder(ctx: Context, flow: Flow, country: str) -> str:
    """What a finding of no mechanism adds on a third party's flow into a store the
    organisation's processor holds for it abroad: whose transfer it is and where its
    mechanism goes. A newcomer could not tell whether it was the sender's, the processor's
    or the organisation's, nor where to record it (auditor review s6, problem 4)."""
    index = ctx.index
    through = through_holder(index, flow)
    if through is None:
        return ""
    sender, holder = through
    parties = index.parties
    ours = short(index.organisation.name)
    return (
        f"; {parties[sender].name if sender in parties else sender} puts the data into the "
        f"store {parties[holder].name if holder in parties else holder} holds in {country} "
        f"as {ours}'s processor, so the transfer is {ours}'s to safeguard: record its "
        "mechanism on this flow (transfer_mechanism, transfer_agreement)"
    )


def _sender_regime(ctx: Context, flow: Flow, exporter: str) -> str:
    """What a finding of no mechanism adds where the sender exports under another regime than
    the organisation (its processor in the UK sending on to the US, for an EU organisation):
    that law governs this transfer, and the rule's fix, written for the organisation's
    regime, names the wrong mechanisms for it ("list the importer under eu_us_dpf" for a UK
    exporter's transfer: lawyer review s16, problem 4). Empty when the two are one regime on
    the audit date."""
    index = ctx.index
    legal = ctx.legal
    ours = legal.effective_regime(index.organisation.regime.value, ctx.as_of)
    if exporter == ours:
        return ""
    sender = index.nodes[exporting_party(ctx, flow)]
    return (
        f"; {sender.name} sends it as {a_or_an(exporter)} {exporter} exporter, under that "
        f"regime's law, not the organisation's ({ours}): flowaudit law --regime {exporter} "
        "lists the mechanisms open to it"
    )


def _exporter_words(ctx: Context, flow: Flow, exporter: str) -> tuple[str, str]:
    """The exporter's regime as a finding names it, and what to add after it: a UK exporter
    in a period it followed the EU's table is "UK" "(then under EU law)", not "EU"."""
    home = exporter_regime(ctx, flow)
    if home is None or home == exporter:
        return exporter, ""
    return home, f" (then under {exporter} law)"


def _answering(ctx: Context, mechanism: Mechanism, exporter: str) -> Mechanism | None:
    """The exporter's own row that answers to another regime's ``mechanism`` (its
    ``answers_to``), if any."""
    if exporter in mechanism.exporters:
        return None
    return next(
        (
            m
            for m in ctx.legal.transfers.mechanisms
            if exporter in m.exporters and mechanism.id in m.answers_to
        ),
        None,
    )


def _same_clauses(ctx: Context, mechanism: Mechanism, exporter: str) -> Mechanism | None:
    """The row under which an exporter of another regime uses the same instrument: the row
    that answers to it (the 2021 EU SCCs the FDPIC recognised for a Swiss exporter, the
    revFADP's exceptions for the Art. 49 derogations), else the row of the same agreement
    (the old EU SCCs a UK exporter kept under the ICO's transitional provisions), if any."""
    kinds = set(mechanism.agreement_kinds)
    return _answering(ctx, mechanism, exporter) or next(
        (
            m
            for m in ctx.legal.transfers.mechanisms
            if exporter in m.exporters and kinds & set(m.agreement_kinds)
        ),
        None,
    )


def _recorded_as(
    ctx: Context, flow: Flow, named: Mechanism, exporter: str, own: Mechanism, why: str
) -> TransferProblem:
    """A record that names another regime's row for the safeguard the transfer rests on."""
    regime, then = _exporter_words(ctx, flow, exporter)
    return TransferProblem(
        "recorded-under-other-row",
        f"recorded as '{named.id}' ({named.name}, the {', '.join(named.exporters)} exporters' "
        f"row); for {a_or_an(regime)} {regime} exporter{then} on {ctx.as_of} the row is "
        f"'{own.id}' "
        f"({own.name}; {own.source}), {why}: record transfer_mechanism: {own.id}",
    )


def _recorded_safeguard(
    ctx: Context, flow: Flow, exporter: str, adequate: Adequacy
) -> list[TransferProblem]:
    """An adequate transfer whose record names a safeguard: one struck down since (Privacy
    Shield in 2024: the record and the notice name a safeguard that is no more, Art. 30(1)(e),
    Art. 13(1)(f)), or another regime's row for the listing it rests on (the EU-US DPF named
    by a UK exporter whose importer is listed for the UK Extension)."""
    named = ctx.legal.mechanisms.get(flow.transfer_mechanism or "")
    if named is None or not named.is_mechanism:
        return []
    own = None
    if adequate.requires_listing is not None:
        own = next(
            (
                m
                for m in ctx.legal.transfers.mechanisms
                if exporter in m.exporters and m.requires_listing == adequate.requires_listing
            ),
            None,
        )
    as_of = ctx.as_of
    if named.invalid_from is not None and as_of >= named.invalid_from:
        rests, record = _rests_on_adequacy(adequate, own)
        return [
            TransferProblem(
                "recorded-safeguard-invalid",
                f"the record names {named.name} ('{named.id}') as the safeguard, invalid since "
                f"{named.invalid_from} ({named.source}); the transfer rests on {rests} "
                f"({adequate.source}): {record}, and name that safeguard in the notice",
                # on a contested end day the record may still name a safeguard in force
                unconfirmed=tuple(
                    contested_label(named, c)
                    for c in named.contested_in_force(as_of, ("invalid_from",))
                ),
            )
        ]
    if own is not None and exporter not in named.exporters and named.id != own.id:
        return [_recorded_as(ctx, flow, named, exporter, own, "under which the importer is listed")]
    country = ctx.index.nodes[flow.target].country
    if named.destinations and country not in named.destinations:
        why = f"covers transfers to {', '.join(named.destinations)} only"
    elif exporter not in named.exporters and _same_clauses(ctx, named, exporter) is None:
        regime, then = _exporter_words(ctx, flow, exporter)
        why = f"is not available to {a_or_an(regime)} {regime} exporter{then}"
    else:
        why = ""
    if why:
        rests, record = _rests_on_adequacy(adequate, own)
        return [
            TransferProblem(
                NOT_APPLICABLE,
                f"the record names {named.name} ('{named.id}') as the safeguard, which {why} "
                f"({named.source}); the transfer to {country} rests on {rests} "
                f"({adequate.source}): {record}, and name that safeguard in the notice",
            )
        ]
    if exporter in named.exporters and named.agreement_kinds:
        return _recorded_not_in_place(ctx, flow, named, adequate, own, exporter)
    return []


def no_restricted_transfer(adequate: Adequacy) -> str | None:
    """How the record of processing and the transfers register name the ground of a pass on
    a row that is no adequacy but makes the flow no transfer to a third country (the TCA
    bridge: law review 2026-12-03y, problem 5); None for an adequacy row."""
    if adequate.not_a_transfer is None:
        return None
    return f"no restricted transfer ({adequate.not_a_transfer})"


def not_a_transfer(ctx: Context, flow: Flow) -> str | None:
    """``no_restricted_transfer`` of the row a flow's transfer rests on where it names no
    mechanism (remembered per exporter, destination and listings, as ``_adequacy``)."""
    scope = transfer_scope(ctx, flow)
    if scope is None:
        return None
    index = ctx.index
    listings = index.listed_under(index.nodes[flow.target].party_id)
    adequate, _ = _adequacy(ctx, *scope, listings)
    return no_restricted_transfer(adequate) if adequate is not None else None


def _rests_on_adequacy(adequate: Adequacy, own: Mechanism | None) -> tuple[str, str]:
    """What a lawful transfer whose record names the wrong safeguard rests on, in words, and
    what its record should say instead (the row of its own regime's listing, or nothing)."""
    if adequate.not_a_transfer is not None:  # the TCA bridge (law review y, problem 5)
        return (
            f"the {adequate.not_a_transfer} (no restricted transfer)",
            "remove transfer_mechanism (no restricted transfer needs none)",
        )
    if adequate.requires_listing is not None:
        rests = f"adequacy for importers listed under {adequate.requires_listing}"
    else:
        rests = "adequacy"
    record = (
        f"record transfer_mechanism: {own.id}"
        if own is not None
        else "remove transfer_mechanism (adequacy needs none)"
    )
    return rests, record


def _recorded_not_in_place(
    ctx: Context,
    flow: Flow,
    named: Mechanism,
    adequate: Adequacy,
    own: Mechanism | None,
    exporter: str,
) -> list[TransferProblem]:
    """An adequate transfer whose record names a contract safeguard of the exporter's own
    regime (the IDTA) that the map does not show in place: no signed agreement on it between
    the parties, or no risk assessment where its row asks for one. The transfer is lawful on
    adequacy; the record of processing (Art. 30(1)(e)) and a notice built from it name a
    safeguard that does not exist, which the controller must be able to show (Art. 5(2)): the
    same fault of the record as a safeguard struck down since (DPO review 2026-12-02g,
    problem 3). Its agreement and assessment are judged as they would be without adequacy."""
    as_of = ctx.as_of
    missing: list[str] = []
    if named.valid_from is not None and as_of < named.valid_from:
        missing.append(f"{named.name} is {why_not_in_force(named, as_of)}")
    missing.extend(
        f"no signed {' or '.join(named.agreement_kinds)} agreement is linked as transfer_agreement"
        if p.code == "no-mechanism-agreement"
        else p.message
        for p in _agreement(ctx, flow, named)
    )
    kind = named.requires_assessment
    if kind is not None and _from(named.assessment_required_from, as_of):
        later = assessment_gap(ctx, flow, kind)
        if later is not None:
            # the exporter's regime names the assessment (an EU exporter's is a transfer
            # impact assessment), on the audit date (DPO review 2026-12-03p, problem 7)
            missing.append(
                f"no {ctx.legal.assessment_named(exporter, kind)} is on file on the audit "
                f"date, {as_of}{later}"
            )
    if not missing:
        return []
    rests, record = _rests_on_adequacy(adequate, own)
    return [
        TransferProblem(
            NOT_IN_PLACE,
            f"the record names {named.name} ('{named.id}') as the safeguard, which is not in "
            f"place: {'; '.join(missing)}; the transfer rests on {rests} ({adequate.source}): "
            f"{record}, or put the safeguard in place, and name the safeguard the transfer "
            "rests on in the notice",
        )
    ]


def _named_besides(ctx: Context, flow: Flow, recorded: Mechanism, exporter: str) -> str:
    """What the other mechanisms the notice names for the transfer (``notice_mechanisms``)
    are worth to this exporter on the audit date, each from its legal-table row: one whose
    exporters never included this exporter's regime (the Swiss-US Privacy Shield for a UK
    exporter, under UK or EU law), or one not in force on the day. Empty when the notice names
    no other, or each other is valid (a safeguard the record could name)."""
    notes = []
    home = exporter_regime(ctx, flow)
    for name in dict.fromkeys(flow.notice_mechanisms):
        other = ctx.legal.mechanisms.get(name)
        if other is None or other.id == recorded.id:
            continue
        # the instrument as this exporter's own row has it (the EU SCCs the FDPIC recognised,
        # from its day, for a Swiss exporter: DPO review 2026-12-03l, problem 8)
        own = _answering(ctx, other, exporter)
        if own is not None:
            if not own.in_force(ctx.as_of):
                notes.append(
                    f"the notice also names {other.name}, which for {a_or_an(exporter)} "
                    f"{exporter} exporter is {why_not_in_force(own, ctx.as_of)} ('{own.id}')"
                )
            continue
        if exporter not in other.exporters and home not in other.exporters:
            regime = home or exporter
            only = " and ".join(other.exporters) or "none"
            notes.append(
                f"the notice also names {other.name}, which never served {regime} exporters "
                f"(only {only} exporters could use it)"
            )
        elif not other.in_force(ctx.as_of):
            notes.append(
                f"the notice also names {other.name}, which is {why_not_in_force(other, ctx.as_of)}"
            )
    return "".join(f"; {note}" for note in notes)


def _wrong_exporter(ctx: Context, flow: Flow, mechanism: Mechanism, exporter: str) -> str:
    """Why a mechanism of another regime's exporters does not serve this one (for a UK
    exporter before 2021, a UK instrument that did not exist yet)."""
    as_of = ctx.as_of
    regime, then = _exporter_words(ctx, flow, exporter)
    # the exporter by name: it may be a party sending from its own system, not the map's
    # organisation (review 2026-12-02d, problem 10: "an EU exporter" in a GB map)
    nodes = ctx.index.nodes
    party = nodes[nodes[flow.source].party_id]
    message = (
        f"{mechanism.name} is not available to {short(party.name)} ({party.country}), "
        f"{a_or_an(regime)} {regime} exporter{then}, on {as_of}"
    )
    home = exporter_regime(ctx, flow)
    if (
        home != exporter
        and home in mechanism.exporters
        and mechanism.valid_from is not None
        and as_of < mechanism.valid_from
    ):
        # the exporter's own regime's instrument, before it existed (the IDTA in 2020)
        message += f"; it is not in force before {mechanism.valid_from}"
    instead = _instead(ctx, mechanism, exporter)
    if instead:  # what this exporter uses instead (DPO review 2026-12-02g, problem 9)
        message += f"; {instead}"
    return message


def _instead(ctx: Context, mechanism: Mechanism, exporter: str) -> str:
    """What an exporter the mechanism does not serve uses instead, in words: each way the
    table names whose row is open to a new contract on the audit date (a UK exporter on the
    2021 EU SCCs in 2021 uses the old EU SCCs: the Addendum and the IDTA came on 2022-03-21;
    DPO review 2026-12-02i, problem 6). Empty when none is."""
    as_of = ctx.as_of
    ways = []
    for way in mechanism.for_other_exporters.get(exporter, []):
        row = ctx.legal.mechanisms[way.mechanism]
        if row.open_to_new_contracts(as_of):
            cutoff = row.new_contracts_until
            until = f", new contracts until {cutoff}" if cutoff is not None else ""
            ways.append(f"{way.says} (transfer_mechanism {row.id}{until})")
    if not ways:
        return ""
    return f"{a_or_an(exporter)} {exporter} exporter {', or '.join(ways)}"


def _from(start: date | None, as_of: date) -> bool:
    return start is None or as_of >= start


def _ground_needs(ctx: Context, flow: Flow, ground: Ground) -> list[TransferProblem]:
    """What the ground itself needs on file (the legal table's row): for compelling legitimate
    interests, an assessment of all the circumstances, the regulator informed and the person
    informed. The ground is met only with every one, so the missing ones are one problem:
    one finding that lists them."""
    missing: list[str] = []
    fields: list[str] = []
    if ground.assessment is not None:
        gap = assessment_gap(ctx, flow, ground.assessment)
        if gap is not None:
            missing.append(
                "an assessment of all the circumstances, documented in the records (an "
                f"assessment of kind {ground.assessment}, linked from the flow"
                f"{gap or '; none is linked'})"
            )
            fields.extend(assessment_field(ctx, flow, ground.assessment))
    if ground.regulator_informed and is_blank(flow.regulator_informed):
        missing.append("the regulator informed of the transfer (regulator_informed)")
        fields.append("regulator_informed")
    if ground.subjects_informed and is_blank(flow.subjects_informed):
        missing.append(
            "the data subject informed of the transfer and of the compelling legitimate "
            "interests pursued (subjects_informed)"
        )
        fields.append("subjects_informed")
    if ground.party_to_contract:
        # the contract is with the person: people the map says are not party to it (a
        # customer's staff) are not (attack review 2026-12-03m, problem 3)
        # people whose part in the contract is unsaid are not shown party to it either, as
        # the lawful-basis rule reads them (attack review 2026-12-03o, problem 3)
        subjects = ctx.index.subjects
        outside = [
            s for s in flow.subjects if s in subjects and subjects[s].party_to_contract is False
        ]
        unsaid = [
            s for s in flow.subjects if s in subjects and subjects[s].party_to_contract is None
        ]
        if outside:
            names = ", ".join(f"'{s}'" for s in outside)
            missing.append(
                f"a contract with the person: the map records {names} as not party to the "
                "contract (party_to_contract: false); a contract in their interest with "
                "another party is ground contract_for_subject"
            )
        if unsaid:
            names = ", ".join(f"'{s}'" for s in unsaid)
            missing.append(
                f"a contract with the person: the map does not record {names} as party to the "
                "contract (party_to_contract: true where they are; a contract in their "
                "interest with another party is ground contract_for_subject)"
            )
        if outside or unsaid:
            fields.append("subjects")
    if not missing:
        return []
    return [
        TransferProblem(
            "derogation-conditions-unmet",
            f"{ground.name} holds only with every condition on record; missing: "
            f"{'; '.join(missing)} ({ground.source})",
            ("derogation",),
        )
    ]


#: A derogation for occasional transfers recorded on a flow into a store abroad: data kept
#: there is a systematic transfer (the legal table's ``storage_abroad``).
FOR_STORAGE = "derogation-for-storage"


def _for_storage(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """A flow into a store (a system) outside the exporter's jurisdiction on a mechanism for
    occasional transfers only, said occasional: the data rests on the servers abroad for as
    long as it is held, a systematic transfer the derogation cannot carry, whatever
    ``occasional: true`` says (the legal table's ``storage_abroad``; attack review s9, problem
    2: the routine hosting of every customer's staff data in the US passed as occasional).
    Only a store whose contents are the organisation's to account for (its own, its
    processor's: ``MapFacts.holds_for_us``): a disclosure to another controller that keeps
    the data in its own store (a court's or a lawyer's case files, on legal claims) may be
    occasional, and what that controller keeps is its own record."""
    row = ctx.legal.transfers.storage_abroad
    if row is None or mechanism.id not in row.mechanisms:
        return []
    index = ctx.index
    store = index.systems.get(flow.target)
    if store is None or not ctx.facts.holds_for_us(store):
        return []  # to a party: whether it is occasional is taken on trust, and said so
    owner = index.nodes[index.nodes[flow.target].party_id].name
    return [
        TransferProblem(
            FOR_STORAGE,
            f"{short(store.name)} ('{store.id}') is a store of {short(owner)} in "
            f"{store.country}: data kept on servers abroad rests there for as long as it is "
            f"held, a systematic transfer, not an occasional one, so {mechanism.name} cannot "
            "carry it whatever occasional: true says; it needs an adequacy or an Art. 46 "
            f"safeguard ({row.source})",
            ("occasional",),
            unconfirmed=(f"{row.id} ({row.source})",) if row.doubts() else (),
        )
    ]


#: A contract derogation recorded on a flow to the organisation's processor: engaging a
#: processor abroad is not necessary for the contract (the legal table's
#: ``derogation_to_processor``).
TO_PROCESSOR = "derogation-to-processor"


def _to_processor(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """A flow to the organisation's processor (the party, or a store it holds for the
    organisation) on a contract derogation (Art. 49(1)(b), (c)): the transfer is not
    necessary for the contract with the person, since the controller chose the processor
    abroad (the legal table's ``derogation_to_processor``, EDPB Guidelines 2/2018 s. 2.2.2;
    lawyer review s10, problem 1: routine hosting by a processor in India passed on
    "contract necessity" when the flow went to the party rather than its store)."""
    row = ctx.legal.transfers.derogation_to_processor
    if row is None or mechanism.id not in row.mechanisms or flow.derogation not in row.grounds:
        return []
    facts = ctx.facts.flow(flow)
    holder = facts.target.party_id
    if holder == facts.sender or holder not in ctx.facts.our_processors:
        return []
    store = ctx.index.systems.get(flow.target)
    if facts.role is not Role.PROCESSOR and (store is None or not ctx.facts.holds_for_us(store)):
        return []
    ground = next(g for g in mechanism.grounds if g.id == flow.derogation)
    index = ctx.index
    name = short(index.nodes[holder].name)
    where = f" in {short(store.name)} ('{store.id}')" if store else ""
    return [
        TransferProblem(
            TO_PROCESSOR,
            f"{name} holds the data{where} as the processor of "
            f"{short(index.nodes[facts.sender].name)}: engaging a processor abroad is the "
            "controller's choice, not necessary for the contract with the person, so ground "
            f"'{ground.id}' ({ground.name}) cannot carry the transfer to it; it needs an "
            f"adequacy or an Art. 46 safeguard ({row.source})",
            ("derogation",),
            unconfirmed=(f"{row.id} ({row.source})",) if row.doubts() else (),
        )
    ]


#: A derogation Art. 49(3) closes to a public authority in the exercise of its public powers
#: (the legal table's ``public_powers``).
PUBLIC_POWERS = "derogation-public-powers"


def _public_powers(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """A public authority's transfer in the exercise of its public powers (the organisation
    marked ``public_authority: true``, the flow resting on its public task, the organisation
    the exporter) on explicit consent, a contract ground or compelling legitimate interests:
    Art. 49(3) closes them to it (the legal table's ``public_powers``; lawyer review s21: a
    council's occasional transfer on a resident's explicit consent passed)."""
    row = ctx.legal.transfers.public_powers
    if row is None:
        return []
    whole = mechanism.id in row.mechanisms
    ground = flow.derogation if mechanism.id in row.derogations else None
    if not whole and ground not in row.grounds:
        return []
    index = ctx.index
    organisation = index.organisation
    if (
        organisation.public_authority is not True
        or flow.basis not in row.bases
        or not index.is_organisation(exporting_party(ctx, flow))
    ):
        return []
    what = mechanism.name if whole else f"ground '{ground}' of {mechanism.name}"
    return [
        TransferProblem(
            PUBLIC_POWERS,
            f"{what} is not open to a public authority in the exercise of its public powers "
            f"({row.source}): {short(organisation.name)} is one (public_authority: true) and "
            f"the flow rests on its public task (basis: {flow.basis}); rest the transfer on "
            "an adequacy or an Art. 46 safeguard, or on a ground Art. 49(3) leaves open "
            "(public interest, legal claims, vital interests, a public register)",
            ("transfer_mechanism",) if whole else ("derogation",),
            unconfirmed=(f"{row.id} ({row.source})",) if row.doubts() else (),
        )
    ]


#: The words that begin a pass's ASSUMED fact when it rests on a derogation for occasional
#: transfers: the map records ``occasional: true``, and cannot show it.
OCCASIONAL_ON_TRUST = "occasional: taken on trust"


def _occasional_on_trust(ctx: Context, flow: Flow, used: Used) -> str | None:
    """The ASSUMED fact of a pass resting on a derogation for occasional transfers only (to
    a party: into a store it is refused, ``_for_storage``): that the transfer is occasional,
    which the flow says (``occasional: true``) and the map cannot show; one fact per row,
    naming no flow. None where the pass rests on anything else (attack review s9, problem 2:
    the only thing between a CRITICAL and a pass was one boolean, listed nowhere). ``used``
    is the rows the pass's own verdict used: the transfer is not judged a second time for
    its note, which could then disagree with the verdict it annotates (DPO review s17,
    problem 5)."""
    if not flow.occasional:
        return None
    named = ctx.legal.mechanisms.get(flow.transfer_mechanism or "")
    if named is None or (named.routine and not named.answers_to):
        return None  # no derogation recorded (a row answered to may be one: judged below)
    judged = used[-1] if used else None
    if not isinstance(judged, Mechanism) or judged.routine:
        return None  # on adequacy, or on a row that sets no occasional condition
    fact = (
        f"{OCCASIONAL_ON_TRUST}: a transfer under '{judged.id}' ({judged.name}) must be "
        "occasional and non-routine, which the map cannot show; the flow says so (occasional: "
        f"true) ({judged.source})"
    )
    # a contract derogation holds only where the transfer is necessary for the contract, which
    # the map cannot show either (lawyer review s10, problem 1)
    row = ctx.legal.transfers.derogation_to_processor
    ground = next((g for g in judged.grounds if g.id == flow.derogation), None)
    if row is not None and judged.id in row.mechanisms and ground and ground.id in row.grounds:
        fact += (
            f"; and necessity taken on trust too: on ground '{ground.id}' ({ground.name}) the "
            "transfer must be necessary for the contract, a close and substantial connection "
            f"with its purpose, which the map cannot show ({row.source})"
        )
    return fact


def _derogation(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """Art. 49: occasional only (stated on the flow), on a ground the flow names from the
    legal table's (EDPB Guidelines 2/2018: a derogation is read restrictively, its ground
    recorded), explicit consent evidenced by a record."""
    problems = _public_powers(ctx, flow, mechanism)
    if not mechanism.routine and not flow.occasional:
        problems.append(
            TransferProblem(
                "derogation-not-routine",
                f"{mechanism.name} is for occasional transfers only, never a routine mechanism "
                "(a flow that is occasional says so: occasional: true)",
            )
        )
    elif flow.occasional:
        problems.extend(_for_storage(ctx, flow, mechanism))
    grounds = {g.id: g for g in mechanism.grounds}
    if grounds and flow.derogation not in grounds:
        said = "names none" if flow.derogation is None else f"names '{flow.derogation}'"
        problems.append(
            TransferProblem(
                "derogation-no-ground",
                f"a transfer under {mechanism.name} names the ground it rests on "
                f"(derogation: one of {', '.join(grounds)}); this one {said} "
                f"({mechanism.source})",
                ("derogation",) if flow.derogation is not None else ("transfer_mechanism",),
            )
        )
    ground = grounds.get(flow.derogation or "")
    if ground is not None:
        problems.extend(_ground_needs(ctx, flow, ground))
        problems.extend(_to_processor(ctx, flow, mechanism))
    if mechanism.requires_explicit_consent:
        index = ctx.index
        record, code, gap = explicit_consent_gap(ctx, flow)
        if record is None or gap is not None:
            problems.append(
                TransferProblem(
                    code,
                    f"{mechanism.name} needs explicit consent to this transfer, naming the "
                    f"recipient and country and stating the risks; {gap}",
                    ("consent_record",),
                    # the record relied on shows no valid consent, or none for the flow's
                    # purpose: the same problem as the lawful basis's or Art. 9's on the
                    # flow, one finding
                    fact=CONSENT_GAP_FACTS.get(code),
                )
            )
            return problems
        importer = index.party_of(flow.target)
        country = index.nodes[flow.target].country
        gaps = []
        if importer not in record.recipients:
            gaps.append(f"does not name the recipient {importer}")
        if country not in record.countries:
            gaps.append(f"does not name the country {country}")
        if record.risks_explained is not True:
            gaps.append("does not record that the risks were explained")
        if gaps:
            problems.append(
                TransferProblem(
                    "consent-not-informed",
                    f"consent record '{record.id}' {', '.join(gaps)} (Art. 49(1)(a): the "
                    "person must be told who receives the data, where, and the risks)",
                    ("consent_record",),
                )
            )
    return problems


def _agreement(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """The transfer agreement, judged like a flow agreement: signed, in force on the day,
    between the flow's exporter and importer, concluded no earlier than the mechanism's text
    existed (its row's text_from, else valid_from) and before any new-contract cut-off."""
    index = ctx.index
    as_of = ctx.as_of
    where = ("transfer_agreement",)
    evidence = index.agreements.get(flow.transfer_agreement or "")
    if evidence is None or evidence.kind.value not in mechanism.agreement_kinds:
        return [
            TransferProblem(
                "no-mechanism-agreement",
                f"{mechanism.name} needs a signed {' or '.join(mechanism.agreement_kinds)} "
                "agreement linked as transfer_agreement",
                where,
            )
        ]
    problems = []
    if evidence.status is not AgreementStatus.SIGNED:
        problems.append(
            TransferProblem(
                "mechanism-agreement-unsigned",
                f"transfer agreement '{evidence.id}' has status {evidence.status.value}: "
                "no safeguard is shown until it is signed; once it is, record status: signed "
                "with signed_on and evidence (where the signed copy is kept)",
                where,
            )
        )
    elif evidence.signed_on is not None and evidence.signed_on > as_of:
        problems.append(
            TransferProblem(
                "mechanism-agreement-not-yet-signed",
                f"transfer agreement '{evidence.id}' is signed on {evidence.signed_on}, "
                f"after the audit date {as_of}",
                where,
            )
        )
    # the first day a contract on the instrument can be concluded: the day its text existed
    # (the 2021 EU SCCs published on 2021-06-07, in force 2021-06-27; the IDTA and the
    # Addendum laid on 2022-02-02, in force 2022-03-21), of the earliest row of the same
    # instrument (the EU SCCs the FDPIC recognised on 2021-08-27 answer to the EU row). A
    # contract signed on the text before it applies becomes a safeguard on the row's first
    # day; a transfer before that day has no mechanism, a finding of its own (DPO review
    # 2026-12-03r, problem 1)
    rows = (mechanism, *(ctx.legal.mechanisms[name] for name in mechanism.answers_to))
    first = min(
        ((*row.concluded_from, row.name) for row in rows if row.concluded_from is not None),
        default=None,
    )
    if (
        first is not None
        and evidence.status is AgreementStatus.SIGNED
        and evidence.signed_on is not None
        and evidence.signed_on < first[0]
    ):
        # a contract concluded before the instrument's text existed is not that instrument
        # (the record is wrong, or the contract is another one)
        start, source, name = first
        problems.append(
            TransferProblem(
                SIGNED_BEFORE_AVAILABLE,
                f"transfer agreement '{evidence.id}' is recorded as signed on "
                f"{evidence.signed_on}, before the text of {name} existed "
                f"({start}; {source}): a contract concluded then cannot be one; correct "
                "signed_on, or record the contract it really is",
                where,
            )
        )
    if evidence.expires_on is not None and evidence.expires_on < as_of:
        problems.append(
            TransferProblem(
                "mechanism-agreement-expired",
                f"transfer agreement '{evidence.id}' expired on {evidence.expires_on}",
                where,
            )
        )
    # the sender as the map's facts read it: the organisation for its own flow sent out of a
    # store its processor holds for it (``MapIndex`` reads it so); read as the host, the
    # shop's own SCCs with its US mailer were "not between the exporter and the importer", a
    # false CRITICAL (onboarding review s16, problem 1)
    exporter = exporting_party(ctx, flow)
    importer = index.party_of(flow.target)
    # a documented chain: a party signed it on the exporter's behalf (e.g. a processor's
    # IDTA with its sub-processor, for the controller whose data it is)
    chained = exporter in evidence.on_behalf_of and len(evidence.parties) >= 2
    missing = [
        p
        for p in (exporter, importer)
        if p not in evidence.parties and not (p == exporter and chained)
    ]
    if missing:
        problems.append(
            TransferProblem(
                "mechanism-agreement-wrong-parties",
                f"transfer agreement '{evidence.id}' is not between the exporter and the "
                f"importer: {' and '.join(missing)} not a party (nor signed for by one: "
                "on_behalf_of)",
                where,
            )
        )
    cutoff = mechanism.new_contracts_until
    # (an agreement signed after the audit date is not concluded yet: that is its finding,
    # whatever its date later meets)
    if cutoff is not None and (evidence.signed_on is None or evidence.signed_on <= as_of):
        if evidence.signed_on is None:
            problems.append(
                TransferProblem(
                    "mechanism-agreement-undated",
                    f"{mechanism.name} is usable only for contracts concluded on or before "
                    f"{cutoff}; transfer agreement '{evidence.id}' has no signed_on date",
                    where,
                )
            )
        elif evidence.signed_on > cutoff:
            problems.append(
                TransferProblem(
                    "signed-after-cutoff",
                    f"transfer agreement '{evidence.id}' was signed on {evidence.signed_on}, "
                    f"after the last day for new contracts on {mechanism.name} ({cutoff}; "
                    f"{mechanism.source})",
                    where,
                )
            )
    return problems


def _group(ctx: Context, flow: Flow, mechanism: Mechanism) -> list[TransferProblem]:
    """BCRs: exporter and importer state the same corporate group."""
    index = ctx.index
    groups = []
    for party_id in (exporting_party(ctx, flow), index.party_of(flow.target)):
        if index.is_organisation(party_id):
            groups.append(index.organisation.group)
        else:
            party = index.parties.get(party_id)
            groups.append(party.group if party is not None else None)
    if groups[0] is not None and groups[0] == groups[1]:
        return []
    return [
        TransferProblem(
            "not-intra-group",
            f"{mechanism.name} cover transfers within one corporate group only; the exporter "
            f"states group {groups[0] or '(none)'} and the importer {groups[1] or '(none)'} "
            "(set group on both)",
        )
    ]


def _assessment(
    ctx: Context, flow: Flow, mechanism: Mechanism, kind: str, exporter: str
) -> list[TransferProblem]:
    """A transfer risk assessment of the importer's law, on file on the audit date, completed
    no earlier than the row's ``assessment_not_before`` (Schrems II: an assessment made before
    the judgment cannot weigh what it asks); where the UK's data protection test applies on
    the audit date (the table's ``data_protection_test``), one completed before that day must
    record that the exporter judged the test met. The assessment is named as the exporter's
    regime names it (an EU exporter's Clause 14 assessment is a transfer impact assessment, a
    UK exporter's a transfer risk assessment: the legal table's jurisdictions), and a missing
    one is missing on the audit date, not "by" it as a deadline (DPO review 2026-12-03p,
    problem 7)."""
    named = ctx.legal.assessment_named(exporter, kind)
    later = assessment_gap(ctx, flow, kind)
    if later is not None:
        return [
            TransferProblem(
                "no-transfer-assessment",
                f"{mechanism.name} needs {a_or_an(named)} {named} on file on the audit date, "
                f"{ctx.as_of}{later}; link it in assessments",
                assessment_field(ctx, flow, kind),
            )
        ]
    index = ctx.index
    on_file = [
        a
        for a in (index.assessments[i] for i in flow.assessment_ids if i in index.assessments)
        if a.kind.value == kind and a.on_file(ctx.as_of)
    ]
    start = mechanism.assessment_not_before
    if start is not None and ctx.as_of < start:
        return []  # before that day no assessment can answer it: nothing to date
    answering = [a for a in on_file if _on_or_after(a.completed_on, start)]
    if not answering:
        latest = max(on_file, key=lambda a: a.completed_on or date.min)
        return [
            TransferProblem(
                "assessment-outdated",
                f"{named} '{latest.id}' was completed on "
                f"{latest.completed_on}, before {start} (CJEU C-311/18, Schrems II), so it "
                "cannot weigh the importer's law as the judgment requires of any assessment for "
                f"{mechanism.name}; assess the transfer again and link that assessment in "
                "assessments",
                assessment_field(ctx, flow, kind),
            )
        ]
    test = ctx.legal.transfers.data_protection_test
    if test is None or not test.applies(exporter, mechanism.id, ctx.as_of):
        return []
    # the exporter's current judgement is its newest assessment's (a "not met" on a day
    # another says nothing counts as said): an older "met", or an older one presumed to have
    # judged it, no longer speaks once a newer one records the test not met (attack review
    # 2026-12-03k, problem 1)
    latest = max(
        answering,
        key=lambda a: (a.completed_on or date.min, a.data_protection_test is False),
    )
    if latest.data_protection_test:
        return []
    if latest.data_protection_test is None:
        if _on_or_after(latest.completed_on, test.valid_from):
            # completed once the test was law: presumed to judge it, which the map does not
            # record; the pass says it rests on that (DPO review 2026-12-03j, problem 4)
            _presumptions(ctx)[flow.id] = (_presumed_words(latest, named, test),)
            return []
        if any(a.data_protection_test for a in answering):
            return []  # judged on an earlier one, and no later one says otherwise
    unconfirmed = (unconfirmed_label(test),) if test.unconfirmed else ()
    if latest.data_protection_test is False:
        # the map records that the exporter did not judge the test met: under Art. 46(1A)
        # the safeguard then does not make the transfer lawful, a graver fault than a
        # judgement left unrecorded, whenever the assessment was made (DPO review
        # 2026-12-03k, problems 1 and 4)
        return [
            TransferProblem(
                DATA_PROTECTION_TEST_NOT_MET,
                f"{named} '{latest.id}' records that the exporter "
                "did not judge the data protection test met (data_protection_test: false), "
                f"which it must from {test.valid_from} for {mechanism.name} to make the "
                f"transfer lawful ({test.source}): judge it and record data_protection_test: "
                "true, or rest the transfer on another safeguard",
                assessment_field(ctx, flow, kind),
                unconfirmed=unconfirmed,
            )
        ]
    said = (
        f"{named} '{latest.id}' was completed on "
        f"{latest.completed_on}, before the exporter had to judge the data protection "
        f"test met ({test.valid_from}; {test.source}), and does not record that it was: "
        "record the judgement on the assessment (data_protection_test: true), or review it"
    )
    return [
        TransferProblem(
            "data-protection-test-not-recorded",
            said,
            assessment_field(ctx, flow, kind),
            unconfirmed=unconfirmed,
        )
    ]


def _presumptions(ctx: Context) -> dict[str, tuple[str, ...]]:
    """Per flow, the assessments its transfer's pass presumes judged the data protection test
    (completed on or after its day, recording nothing about it), as the pass's ASSUMED facts
    name them; set where ``_assessment`` accepts them, read by ``assumed_facts``."""
    presumed: dict[str, tuple[str, ...]] = ctx.memo.setdefault("transfer.presumed-test", {})
    return presumed


#: The words by which a pass's ASSUMED fact says an assessment is presumed to have judged
#: the data protection test (``_presumed_words``): the transfers register reads them.
PRESUMED_TEST = "judged the data protection test met"


def _presumed_words(assessment: Assessment, named: str, test: DataProtectionTest) -> str:
    """The ASSUMED fact of a pass resting on an assessment presumed to judge the test."""
    completed = (
        f"completed on {assessment.completed_on}, on or after {test.valid_from}"
        if assessment.completed_on is not None
        else "undated"
    )
    return (
        f"{named} '{assessment.id}' {PRESUMED_TEST} "
        f"(UK GDPR Art. 46(1A)(a)(ii)): presumed, as it was {completed}; it does "
        "not record the judgement (data_protection_test: true)"
    )


def _on_or_after(day: date | None, start: date | None) -> bool:
    """Whether a record dated ``day`` is no earlier than ``start`` (an undated record counts:
    the record-evidence rule reports the missing date)."""
    return day is None or start is None or day >= start


def _sensitive(ctx: Context, flow: Flow, row: Mechanism | Adequacy) -> list[TransferProblem]:
    """Under the UK Extension the exporter must tell the importer which data is sensitive. A
    special category whose kind the map does not record may be of a listed kind, or not (health
    is not): a risk to confirm, a step lower than data of a listed kind (DPO review
    2026-12-02h, problem 4), as a parent of such data is."""
    if not row.flag_sensitive or flow.flagged_sensitive:
        return []
    listed = ctx.legal.transfers.sensitive_to_flag
    if listed is None:
        return []
    lists: tuple[list[str], list[str]] | None = ctx.memo.get("transfer.sensitive")
    if lists is None:  # the map's categories on the table's list: the same for every flow
        kinds = set(listed.kinds)
        known: list[str] = []
        unknown: list[str] = []
        for c in ctx.index.data.categories:
            if (c.criminal_offence and "criminal_offence" in kinds) or (
                c.special_category and c.art9_kind in kinds
            ):
                known.append(c.id)
            elif c.special_category and c.art9_kind is None and kinds - {"criminal_offence"}:
                unknown.append(c.id)  # its kind is not recorded: it may be one of them
        lists = ctx.memo["transfer.sensitive"] = (known, unknown)
    known, unknown = lists
    if not known and not unknown:
        return []
    # one definition with the special-category check: a category that is such data, or one
    # above it (which includes it: a risk, worded as one)
    taxonomy = ctx.facts.taxonomy
    found = taxonomy.related_to(flow.categories, [*known, *unknown])
    _, risks = carried_words(found, "sensitive category")
    sure = [r.category for r in found if not r.includes]
    certain = ", ".join(c for c in sure if taxonomy.covered(c, known))
    unrecorded = [c for c in sure if not taxonomy.covered(c, known)]
    if not sure and not risks:
        return []
    named = ", ".join(kind.replace("_", " ") for kind in listed.kinds)
    law = f"under the UK Extension ({named} data: {listed.source.split(' (')[0]})"
    flag = "(set flagged_sensitive: true once it is)"
    of_unrecorded_kind = (
        f"{', '.join(unrecorded)} {'is' if len(unrecorded) == 1 else 'are'} special category "
        "data of a kind the map does not record (art9_kind)"
    )
    if certain:
        told = f"the importer must be told it is sensitive {flag}"
        said = f"{certain} is data a UK exporter must identify to the importer as sensitive {law}"
        unsaid = (
            f"{', '.join(unrecorded)}, special category data of a kind the map does not "
            "record (art9_kind)"
            if unrecorded
            else ""
        )
        also = "; ".join(x for x in (risks, unsaid) if x)
        if also:
            said += f"; the flow also carries {also}"
    elif unrecorded:
        art9 = [k.replace("_", " ") for k in listed.kinds if k != "criminal_offence"]
        either = " or ".join(filter(None, (", ".join(art9[:-1]), art9[-1])))
        told = (
            f"a risk to confirm: record its art9_kind, and if it is {either} data, the importer "
            f"must be told it is sensitive {flag}"
        )
        said = (
            f"{of_unrecorded_kind}: it may be data a UK exporter must identify to the "
            f"importer as sensitive {law}"
        )
        if risks:
            said += f"; the flow also carries {risks}"
    else:
        told = f"a risk to confirm: if it does, the importer must be told it is sensitive {flag}"
        said = (
            f"the flow carries {risks}: it may carry data a UK exporter must identify to the "
            f"importer as sensitive {law}"
        )
    # only a parent of such data, or a special category of unrecorded kind: a risk to
    # confirm, with a code (and a grade) of its own
    code = SENSITIVE_NOT_FLAGGED if certain else "may-sensitive-not-flagged"
    return [TransferProblem(code, f"{said}; {told}", ("flagged_sensitive",))]


def _assumed_destination(ctx: Context, flow: Flow) -> tuple[str, str] | None:
    """(the recipient, why) when the recipient's country is marked assumed in the map (a
    placeholder destination): the verdict holds only if the assumption does."""
    index = ctx.index
    target = index.systems.get(flow.target) or index.parties.get(flow.target)
    why = target.assumed.get("country") if target is not None else None
    return (flow.target, why) if why else None


def _assumed_listing(
    ctx: Context, flow: Flow, exporter: str, country: str
) -> tuple[str, str, str] | None:
    """(the importer, the listing, why) when the verdict turns on an importer's listing that
    the map marks assumed (a placeholder recorded as listed on the notice's word): the
    adequacy for listed importers, or a certification mechanism in force on the audit date,
    that the listing satisfied. A struck-down mechanism makes its listing moot: None then."""
    index = ctx.index
    importer = index.parties.get(index.nodes[flow.target].party_id)
    why = importer.assumed.get("listed_under") if importer is not None else None
    if not why or importer is None:
        return None
    listings = importer.listed_under
    adequate, _ = _adequacy(ctx, exporter, country, listings)
    if adequate is not None:
        used = adequate.requires_listing
        if _rests_on_safeguard(ctx, flow) and _sensitive(ctx, flow, adequate):
            problems, _ = _judge_mechanism(ctx, flow, exporter, country, listings)
            if all(p.record_only for p in problems):
                used = None  # it rests on the flow's own safeguard, in place: not the listing
    else:
        mechanism = ctx.legal.mechanisms.get(flow.transfer_mechanism or "")
        live = mechanism is not None and mechanism.in_force(ctx.as_of)
        used = mechanism.requires_listing if live and mechanism is not None else None
    if used is None or used not in listings:
        return None
    return importer.id, used, why


def _assumed_no_transfer(ctx: Context, flow: Flow) -> str | None:
    """The assumed fact a flow's "no transfer" rests on, when the recipient's country inside
    the exporter's jurisdiction is only assumed in the map: the pass holds only if the
    assumption does, so it says so, as a pass resting on an assumed country abroad does.
    Card data to a payment processor whose GB country the notice never gives passed with no
    word, and the record gave GB as fact (DPO review w, problem 5). None where the exporter's
    law is not ours to judge or the country is a fact."""
    destination = _assumed_destination(ctx, flow)
    if destination is None or exporter_regime(ctx, flow) is None:
        return None
    country = ctx.index.nodes[flow.target].country
    return f"{destination[0]} country {country} ({destination[1]}), {NO_TRANSFER_ASSUMED}"


#: The words by which a pass's ASSUMED fact says the flow is no transfer on an assumed
#: country (``_assumed_no_transfer``): the transfers register and the diagram read such a
#: pass as no transfer by them, not as a transfer on adequacy.
NO_TRANSFER_ASSUMED = "so no restricted transfer, to be verified"


def _assumed_words(ctx: Context, flow: Flow, exporter: str, country: str) -> str:
    """What a finding adds for the assumed facts its verdict turns on."""
    words = ""
    destination = _assumed_destination(ctx, flow)
    if destination is not None:
        words += f" (destination assumed {country}, to be verified: {destination[1]})"
    listing = _assumed_listing(ctx, flow, exporter, country)
    if listing is not None:
        words += f" (listing assumed, to be verified: {listing[2]})"
    return words


def assumed_facts(
    ctx: Context, flow: Flow, exporter: str, country: str, used: Used
) -> tuple[str, ...]:
    """The assumed facts a pass on the transfer rests on, as reports name them: "helpdesk
    country US (why)", "us-hosting listed_under privacy_shield_eu_us (why)"; ``used``, the
    rows the pass's verdict used (``_judge_marked``)."""
    facts = []
    destination = _assumed_destination(ctx, flow)
    if destination is not None:
        facts.append(f"{destination[0]} country {country} ({destination[1]})")
    listing = _assumed_listing(ctx, flow, exporter, country)
    if listing is not None:
        facts.append(f"{listing[0]} listed_under {listing[1]} ({listing[2]})")
    claimed = claimed_adequacy(ctx, flow, exporter, country)
    if claimed is not None:
        facts.append(claimed)
    staff = _staff_data(ctx, flow, exporter, country)
    if staff is not None:
        facts.append(_staff_data_words(country, *staff))
    facts.extend(_presumptions(ctx).get(flow.id, ()))
    occasional = _occasional_on_trust(ctx, flow, used)
    if occasional is not None:
        facts.append(occasional)
    return tuple(facts)


def _staff_data(
    ctx: Context, flow: Flow, exporter: str, country: str
) -> tuple[Adequacy, StaffDataScope] | None:
    """(the adequacy row, its ``hr_data``) where a flow about the organisation's own
    employees (``employees: true``, or read so: ``own_staff``, each subject read once per
    audit) rests on an adequacy for listed importers that covers staff (HR) data only where
    the importer's certification does (the DPF's, the UK Extension's, the Swiss-US DPF's:
    law review 2026-12-03y, problem 4); None otherwise. The map cannot show the
    certification's scope, so a pass takes it on trust; it never fails the flow."""
    index = ctx.index
    listings = index.listed_under(index.nodes[flow.target].party_id)
    if not listings:
        return None
    adequate, _ = _adequacy(ctx, exporter, country, listings)
    if adequate is None or adequate.hr_data is None:
        return None
    if _rests_on_safeguard(ctx, flow) and _sensitive(ctx, flow, adequate):
        return None  # it passed on the flow's own safeguard, in place: not on the listing
    read: dict[str, str | None] = ctx.memo.setdefault("own_staff", {})
    subjects = index.subjects
    for subject_id in flow.subjects:
        if subject_id not in read:
            subject = subjects.get(subject_id)
            read[subject_id] = own_staff(ctx.legal, subject) if subject is not None else None
        if read[subject_id] is not None:
            return adequate, adequate.hr_data
    return None


def _staff_data_words(country: str, adequate: Adequacy, scope: StaffDataScope) -> str:
    """The ASSUMED fact of a pass on a listing for staff data: one per row, naming no flow
    (the passes resting on it are listed under it), worded as ``claimed_adequacy`` words a
    condition, which the transfers register reads by its first words. Its UNCONFIRMED mark
    and source are said in the fact, not as a mark of the row: the row itself (SI 2023/1028,
    Decision 2023/1795) is confirmed, and the record of processing reads a row's mark as "no
    primary source has confirmed" it."""
    mark = "UNCONFIRMED, " if scope.doubts() else ""
    return (
        f"{ADEQUACY_CLAIMED} {country} ('{adequate.id}', {adequate.source}) applies to the "
        f"organisation's own staff's (HR) data {scope.claimed}, which the map cannot show "
        f"({mark}{scope.source})"
    )


#: The words by which a pass's ASSUMED fact names the condition of the adequacy it rests on
#: (``claimed_adequacy``); the transfers register reads the fact by them.
ADEQUACY_CLAIMED = "the adequacy of"


def claimed_adequacy(ctx: Context, flow: Flow, exporter: str, country: str) -> str | None:
    """What a pass on the adequacy it rests on takes on trust, from the row's ``claimed``
    (Canada's covers only importers subject to PIPEDA: auditor review 2026-12-03o, problem
    1), as a lawful basis's pass says what it cannot show; None for a row with no condition
    the map cannot show, or a pass that does not rest on adequacy. One fact per row, naming
    no flow: the passes resting on it are listed under it, not a line each."""
    index = ctx.index
    listings = index.listed_under(index.nodes[flow.target].party_id)
    adequate, _ = _adequacy(ctx, exporter, country, listings)
    if adequate is None or adequate.claimed is None:
        return None
    return (
        f"{ADEQUACY_CLAIMED} {country} ('{adequate.id}', {adequate.source}) applies "
        f"{adequate.claimed}, which the map cannot show"
    )


def evaluate(ctx: Context, rule: TransferRule) -> Outcome:
    outcome = Outcome()
    scopes = _scopes(ctx)
    own_no_transfer = ctx.legal.transfers.same_legal_person is not None
    # a flow another controller makes of data it holds as a controller: the export is its
    # own, as exporter (Art. 44-46), not the organisation's; the fact the record and the
    # onward rule read, and part of the one the basis, agreement and notice rules skip (a
    # processor's disclosure to a controller stays judged: DPO review x, problem 2)
    theirs = ctx.facts.held_as_controller
    ours = ctx.index.organisation.id
    written = ctx.index.written_by_processor
    regime = ctx.index.organisation.regime.value
    # a processor's use of the organisation's data for another party's purpose is that
    # processor's own processing as a controller (Art. 28(10)), its export its own as the
    # exporter: the organisation's remedy is GDPR-SUBPROCESSING's finding, and a mechanism
    # it put in place would authorise the misuse (lawyer review s9, problem 1; DPO review
    # s6, problem 4 left it open)
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        if flow.id in theirs:
            continue
        sender = facts.sender if flow.id not in written else exporting_party(ctx, flow)
        if own_no_transfer and facts.target.party_id == sender:
            continue  # to the sender's own store: no importer (transfer_scope)
        # transfer_scope's memo read inline: no call for a flow whose scope is known
        key = (sender, facts.target.country)
        scope = scopes[key] if key in scopes else transfer_scope(ctx, flow)
        if scope is None:
            no_transfer = _assumed_no_transfer(ctx, flow)
            if no_transfer is not None:
                element = ("flows", flow.id)
                outcome.evaluated.append(element)
                outcome.assumed[element] = (no_transfer,)
            continue
        problems, marks, used = _judge_marked(ctx, flow, *scope)
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if sender != ours:
            # a hop another party sends under its own regime's law (a UK processor's
            # onward transfer in an EU map): its verdict cites that law and gives that
            # regime's fix (lawyer review s17, problem 1)
            home = exporter_regime(ctx, flow)
            if home is not None and home != regime:
                outcome.regimes[element] = home
        if marks:
            outcome.relied[element] = marks
        if not problems:
            guesses = assumed_facts(ctx, flow, *scope, used)
            if guesses:
                outcome.assumed[element] = guesses
            continue
        assumed = _assumed_words(ctx, flow, *scope)
        for problem in problems:
            outcome.fail(
                element,
                problem.code,
                problem.message + assumed,
                problem.field,
                fact=_fact(problem),
                unconfirmed=problem.unconfirmed,
            )
    return outcome


def _fact(problem: TransferProblem) -> str | tuple[str, ...] | None:
    """What joins a problem to others (``CONDITIONS_UNMET``): every unmet condition of the
    transfer's safeguard, and through its own fact (an invalid consent) the other rules'
    findings of that problem; a fault of the record alone stays its own finding."""
    if problem.code in RECORD_FAULTS:
        return problem.fact
    if problem.fact is None:
        return CONDITIONS_UNMET
    return (problem.fact, CONDITIONS_UNMET)


def _warn(ctx: Context, rules: Sequence[TransferRule]) -> list[str]:
    """Stores in a country with no adequacy for the sender that their own owner sends data to: no
    restricted transfer (one legal person: the legal table's ``same_legal_person``), so no
    rule judges them; said, with where the store is, since a host or cloud provider holding
    the data there would be an importer the map does not name (auditor review 2026-12-03h,
    problem 2: an organisation's own office files abroad were a CRITICAL transfer with no
    mechanism, which no agreement with itself could cure). One warning per store."""
    row = ctx.legal.transfers.same_legal_person
    if row is None:
        return []
    nodes = ctx.index.nodes
    legal = ctx.legal
    sent: dict[str, int] = {}
    to_own_store = ctx.facts.to_own_store
    for flow in ctx.index.data.flows:
        target = nodes[flow.target]
        # the sender as the map's facts read it, not the source's owner: a processor's flow
        # out of the organisation's store, read as the organisation's disclosure, is judged
        # as a transfer, and this warning said the transfer rules do not judge it beside
        # the CRITICAL they gave (DPO review s11, problem 2)
        if not target.is_system or not to_own_store(flow):
            continue
        regime = exporter_regime(ctx, flow)
        if regime is None:
            continue
        exporter = legal.effective_regime(regime, ctx.as_of)
        if (
            target.country not in legal.inside(exporter, ctx.as_of)
            and _adequacy(ctx, exporter, target.country, [])[0] is None
        ):  # where it would be a transfer with no adequacy, were a host the receiver
            sent[target.id] = sent.get(target.id, 0) + 1
    locate = ctx.facts.loaded.sources.locate
    unconfirmed = ", UNCONFIRMED" if row.doubts() else ""
    warnings = []
    for system_id, count in sent.items():
        store = nodes[system_id]
        where = locate(("systems", system_id), ("country",))
        flows = "1 flow" if count == 1 else f"{count:,} flows"
        warnings.append(
            f"{where}: store '{system_id}' ({store.name}) in {store.country} is the own store "
            f"of '{store.party_id}', which sends it {flows}: no restricted transfer, since one "
            f"legal person sends and receives (legal row {row.id}{unconfirmed}), and the "
            f"transfer rules do not judge {'it' if count == 1 else 'them'}; if a host or cloud "
            "provider holds the data there, it is the importer: name it as the store's `owner`"
        )
    return warnings


CHECK = Check(TransferRule, SUMMARY, evaluate, warn=_warn)
