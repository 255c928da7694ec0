"""Processor duties: where the organisation acts as another controller's processor, it owes
that controller what Art. 28-33 require of a processor, not what a controller owes.

For each controller that sends the organisation data as its processor (an inbound flow with
recipient role processor): every party the organisation passes that data to, directly or along a
chain, carries or may carry it (``may_carry``), needs the controller's authorisation as a
sub-processor in a signed Art. 28 contract between the controller and the organisation that
allows sub-processing (Art. 28(2)); the sub-processors one controller's contract fails to
authorise are one finding, on the controller's first flow to the organisation, naming them all
and listing their flows (matched in the gate without them: a sub-processor flow joining or
leaving is a change to review, not a new finding; with no contract at all, the agreement rule's
missing contract on that flow is the same problem: one finding citing both); a flow that gives
that data to a controller is a disclosure the organisation may make only on the controller's
documented instructions (Art. 28(3)(a), 29), and a flow that puts it to a purpose none of the
controller's flows gives (within the organisation, or through a processor of its own) makes the
organisation a controller of it, an infringement (Art. 28(10)); the organisation keeps an Art.
30(2) record of the processing it does for controllers (``processor_record``). Breach notice to
the controller (Art. 33(2)) is the breach rule's, a dated duty of the legal table: one finding,
not two. The Art. 28 contract itself is judged by the agreement rule on the inbound flow; the
controller's basis and notice are the controller's (Art. 6 and 13 are not asked of the
processor). The controller's data is what reaches the organisation only through its processor
intakes: what the organisation sends on is not its own by being sent (DPO review 2026-12-03l,
problem 1). Where it goes is the map's one walk (``MapFacts.carrying``), which the Art. 30(2)
record reads too: it stops at a controller of what it gets and at the organisation itself, and a
flow about other people carries none of the controller's data (DPO review w, problems 2 and 3).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flowaudit.checks.agreement import CONTROLLER_CONTRACT_MISSING, ROLE_UNDECIDED
from flowaudit.checks.base import (
    Check,
    Context,
    Outcome,
    listed,
    required_by_law,
    short,
    summary_of,
)
from flowaudit.model.schema import AgreementKind, AgreementStatus, Flow, Role
from flowaudit.model.taxonomy import ancestors
from flowaudit.policies.schema import ProcessorDutiesRule

SUMMARY = summary_of(__doc__)

#: A processor's disclosure of its controller's data to another controller: outside the
#: documented instructions (Art. 28(3)(a), 29; Art. 28(10)), the subprocessing rule's code too.
DISCLOSURE = "disclosure-outside-instructions"


def _controllers_data(ctx: Context) -> dict[str, tuple[set[str], set[str], list[Flow]]]:
    """Per controller: the categories and subjects it entrusts to the organisation as processor
    and those flows, from the map's facts (``MapFacts.entrusted``): what the organisation also
    holds as controller is left out, what it sends on is not."""
    return {
        controller: (set(e.categories), set(e.subjects), list(e.intakes))
        for controller, e in ctx.facts.entrusted.items()
    }


def _names(ctx: Context, categories: tuple[str, ...], subjects: tuple[str, ...]) -> list[str]:
    """What of the controller's data a flow carries (``MapFacts.reaches``), in words for
    the message: the categories, then "about" the subjects."""
    index = ctx.index
    found = [short(index.categories[c].name) if c in index.categories else c for c in categories]
    about = [short(index.subjects[s].name) if s in index.subjects else s for s in subjects]
    if about:  # the people the data is about, told apart from the data (DPO review d, 16)
        about[0] = f"about {about[0]}"
    return found + about


def _collected(ctx: Context) -> tuple[dict[str, dict[str, set[str]]], frozenset[str]]:
    """Per purpose, per person group, the categories the organisation collects itself for that
    purpose, and the stores of its own it collects them into: the flows from its own id into
    a store of its own (map-format.md, "Every store is filled by a flow"), or into one its
    processor holds for it (its order database on the platform: DPO review s9, problem 1),
    that name no controller
    (``on_behalf_of``) and are not made for a controller's purpose
    (``MapFacts.held_as_processor``, the test by which GDPR-BASIS judges a flow as the
    organisation's own). One with no lawful basis recorded is still its own collection:
    GDPR-BASIS asks the organisation for the basis, and read as the controller's data its
    copies were told to get an Art. 28 contract, or the controller's "documented
    instruction", for the organisation's own marketing (DPO review s3, problem 3). What a
    flow may carry is no collection (a risk, not a record)."""
    memo: tuple[dict[str, dict[str, set[str]]], frozenset[str]] | None = ctx.memo.get(
        "processor_duties.collected"
    )
    if memo is not None:
        return memo
    ours = ctx.index.organisation.id
    found: dict[str, dict[str, set[str]]] = {}
    stores: set[str] = set()
    for flow in _collections(ctx):
        if ctx.index.party_of(flow.target) == ours:
            # a copy out of a store its processor holds is that processor's flow, which
            # carries what a controller's intake puts there too: the mailer reading the
            # platform's list of the shop's sign-ups and a broker's leads stays the broker's
            # sub-processor (lawyer review s6, problem 1)
            stores.add(flow.target)
        by_subject = found.setdefault(flow.purpose, {})
        for subject in flow.subjects:
            by_subject.setdefault(subject, set()).update(flow.categories)
    result = ctx.memo["processor_duties.collected"] = (found, frozenset(stores))
    return result


def _collections(ctx: Context) -> Iterator[Flow]:
    """The flows ``_collected`` reads as the organisation's own collection, in map order:
    from its own id into a store of its own or one its processor holds for it, naming no
    controller and made for none."""
    index = ctx.index
    facts = ctx.facts
    ours = index.organisation.id
    processors = facts.our_processors
    nodes = index.nodes
    for flow in index.data.flows:
        if (
            flow.source != ours
            or flow.target == ours
            or flow.on_behalf_of
            or facts.held_as_processor(flow)
        ):
            continue
        holder = index.party_of(flow.target)
        if holder == ours or (
            # a store one of its processors holds for it is its own store as controller
            # (Art. 28, 30(1)(d)): the shop's order database on its platform; counted not,
            # the shop's checkout read as a client's data (DPO review s9, problem 1)
            holder in processors
            and nodes[flow.target].is_system
            and facts.recipient_role(flow) is Role.PROCESSOR
        ):
            yield flow


class _Intakes:
    """What the controllers' processor intakes bring, read once: their people, and their
    categories with every broader one (``brings``)."""

    def __init__(self, ctx: Context) -> None:
        intakes = [flow for e in ctx.facts.entrusted.values() for flow in e.intakes]
        self.subjects = frozenset(s for flow in intakes for s in flow.subjects)
        self.categories = frozenset(c for flow in intakes for c in flow.categories)
        self.above = frozenset(a for c in self.categories for a in ancestors(c))

    def bring(self, subjects: Sequence[str], categories: Sequence[str]) -> bool:
        """Whether they bring any of these people (or, about no one named, a category
        related to one of these: the same, broader or narrower)."""
        if subjects:
            return not self.subjects.isdisjoint(subjects)
        return any(
            c in self.above or not ancestors(c).isdisjoint(self.categories) for c in categories
        )


def own_copies(ctx: Context) -> frozenset[str]:
    """The flows the organisation makes of data it collects itself, as a controller: from its
    own id or a store it collects into (not one only a processor intake fills: a copy out of
    it is the controller's data, whatever else the organisation collects), naming no
    controller (``on_behalf_of``) and made for none (``MapFacts.held_as_processor``), every
    person group it carries or may carry collected by the organisation, with every category
    it carries or may carry, for a purpose of its own: not only the flow's (the delivery of
    the orders it collects; a new purpose of its own is its Art. 6(4) question, not an Art.
    28(10) one: DPO review s9, problem 1). The role
    is read per flow, from its data and purpose, not per person group: teachers a school
    sends as its processor are the same people the organisation signs up for its own
    newsletter, and that sign-up, and the newsletter sent from it, are the organisation's own
    processing, not the school's data put to a purpose of its own (Art. 28(10)), nor data
    held as the school's processor (auditor review s2, problem 2; scenario review s2,
    mismatch 1; EDPB Guidelines 07/2020, paras 80-84)."""
    memo: frozenset[str] | None = ctx.memo.get("processor_duties.own_copies")
    if memo is not None:
        return memo
    index = ctx.index
    facts = ctx.facts
    ours = index.organisation.id
    collected, stores = _collected(ctx) if facts.entrusted else ({}, frozenset())
    covered = facts.taxonomy.covered
    found: set[str] = set()
    intakes = _Intakes(ctx) if collected else None
    for flow in index.data.flows if intakes is not None else ():
        if (
            (flow.source != ours and flow.source not in stores)
            or flow.on_behalf_of
            or index.acts_as_processor(flow)
            or facts.held_as_processor(flow)
        ):
            continue
        may = flow.may_carry
        if may is not None and intakes is not None and intakes.bring(may.subjects, may.categories):
            # what a flow may carry is a risk, not a collection: one that may carry what a
            # controller's intake brings may carry the controller's data, whatever the
            # organisation also collects (attack review s3, problem 2)
            continue
        subjects = [*flow.subjects, *(may.subjects if may is not None else ())]
        categories = [*flow.categories, *(may.categories if may is not None else ())]
        if not subjects or not categories:
            continue  # about no one recorded, or no data: nothing says it is collected
        # the people it collects itself, with the data it collects about them, for any
        # purpose of its own: a flow of its own for a purpose of its own is its processing as
        # their controller, whether that purpose is compatible with the one it collected them
        # for being its own question (Art. 5(1)(b), 6(4): GDPR-BASIS asks it of the flow),
        # not the served controller's data put to a purpose of its own (Art. 28(10)): the
        # shop's delivery of the orders its checkout collects was a client's data, because
        # the client's gift list named its customers too (DPO review s9, problem 1)
        purposes = list(collected.values())
        if purposes and all(
            all(covered(c, held) for c in categories)
            for held in ({c for by in purposes for c in by.get(s, ())} for s in subjects)
        ):
            found.add(flow.id)
    result = ctx.memo["processor_duties.own_copies"] = frozenset(found)
    return result


def evaluate(ctx: Context, rule: ProcessorDutiesRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    organisation = index.organisation
    entrusted = _controllers_data(ctx)
    if not entrusted:
        return outcome
    ours = organisation.id
    for controller in sorted(entrusted):
        controller_name = short(index.nodes[controller].name)
        authorised = [
            a
            for a in index.data.agreements
            if a.kind is AgreementKind.ART28_DPA
            and {controller, ours} <= set(a.parties)
            and a.status is AgreementStatus.SIGNED
            and a.allows_subprocessing
        ]
        # sub-processors are authorised by one contract: those it fails to authorise are one
        # finding on the controller's first flow to the organisation, naming them all
        unauthorised: list[tuple[str, str, bool]] = []  # (recipient name, flow id, surely)
        contract_exists = any(
            a.kind is AgreementKind.ART28_DPA and {controller, ours} <= set(a.parties)
            for a in index.data.agreements
        )
        # the flows that carry the controller's data on, walked once for the map
        # (MapFacts.carrying), as the Art. 30(2) record reads them (DPO review w, problem 3);
        # a sub-processor reached only through what a flow may carry "may" get it
        own = own_copies(ctx)
        for carried in ctx.facts.carrying(controller):
            flow, recipient = carried.flow, carried.recipient
            if flow.id in own:
                # the organisation's own copy, collected by it for this purpose: it sends
                # its own data, not the controller's (auditor review s2, problem 2)
                continue
            reached = _names(ctx, carried.categories, carried.subjects)
            surely = carried.surely
            element = ("flows", flow.id)
            if authorised:
                outcome.evaluated.append(element)
                continue
            role = ctx.facts.recipient_role(flow)
            recipient_name = short(index.nodes[recipient].name)
            us = short(organisation.name)
            if role is Role.PROCESSOR:
                unauthorised.append((recipient_name, flow.id, surely))
                continue
            outcome.evaluated.append(element)
            basis = ctx.legal.lawful_bases.get(flow.basis or "")
            if (
                role is Role.CONTROLLER
                and basis is not None
                and not basis.sharing_agreement_expected
            ):
                # a disclosure the law requires (a return filed with the tax authority): as
                # the sub-processing rule judges the organisation's own processors', a pass
                # saying what it takes on trust (DPO review 2026-12-03n, problem 2)
                outcome.assumed[element] = (required_by_law(basis.id, controller_name, us),)
                continue
            if role is None:
                # the map does not say what the recipient is: state the duty as what it is
                # if it is a processor, never assert that it is one
                as_what = "role not recorded"
                duty = (
                    f"if {recipient_name} acts as a processor, {controller_name} must authorise "
                    f"it as a sub-processor in a signed Art. 28 contract with {us} that allows "
                    "sub-processing (Art. 28(2)), and none does; if as a controller, "
                    f"{us} may disclose the data only on the documented instructions of "
                    f"{controller_name} (Art. 28(3)(a), Art. 29)"
                )
            else:
                # a controller recipient is no sub-processor: the processor discloses the
                # controller's data only on its documented instructions
                as_what = role.value.replace("_", " ")
                duty = (
                    f"{us} may disclose it only on the documented instructions of "
                    f"{controller_name} (Art. 28(3)(a), Art. 29), and no signed Art. 28 contract "
                    f"with {controller_name} allows passing it on; a processor that decides "
                    "to share it itself becomes its controller (Art. 28(10))"
                )
            outcome.fail(
                element,
                # to a controller: no sub-processor, a disclosure outside the instructions
                "subprocessor-not-authorised" if role is None else DISCLOSURE,
                f"{controller_name} (controller) → {us} (processor) → {recipient_name} "
                f"({as_what}): this flow {'carries' if surely else 'may carry'} "
                f"the controller's data ({listed(reached)}); {duty}",
                ("may_carry",) if flow.may_carry is not None else ("to",),
                # with the role unrecorded, the agreement rule's finding on this flow (record
                # the role) is the same problem: one finding, the stricter leading
                fact=ROLE_UNDECIDED if role is None else None,
            )
        if unauthorised:
            _report_unauthorised(ctx, rule, outcome, controller, unauthorised, contract_exists)
        _own_purposes(ctx, outcome, controller)
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    controllers = listed([short(index.nodes[c].name) for c in sorted(entrusted)])
    via = listed([f.id for _, _, fl in entrusted.values() for f in fl])
    if not organisation.processor_record:
        outcome.fail(
            element,
            "no-processor-record",
            f"{short(organisation.name)} acts as processor for {controllers} ({via}): the "
            "record of processing carried out for controllers (Art. 30(2)) is not recorded; set "
            "processor_record to where it is kept",
            ("processor_record",),
        )
    return outcome


def _own_purposes(ctx: Context, outcome: Outcome, controller: str) -> None:
    """The organisation's own flows (within it, or to its own processors) that surely carry
    the data a controller entrusts to it as processor, for a purpose none of that
    controller's flows to it gives: a processor processes only on the controller's documented
    instructions (Art. 28(3)(a), 29), and one that decides a purpose of its own is a
    controller for that processing and infringes (Art. 28(10)). Read from the map's facts
    (what the controller entrusts, each flow's direction and recipient role), no chain
    followed (DPO review 2026-12-03l, problem 3)."""
    index = ctx.index
    facts = ctx.facts
    entrusted = facts.entrusted[controller]
    given = sorted(entrusted.purposes)
    us = short(index.organisation.name)
    controller_name = short(index.nodes[controller].name)
    # data the organisation collects itself for the flow's purpose is its own, however many
    # of the same people a controller also sends it (auditor review s2, problem 2)
    own = own_copies(ctx)
    for flow_facts in index.flow_facts:
        flow = flow_facts.flow
        direction = flow_facts.direction
        if (
            flow.id in own
            or index.acts_as_processor(flow)
            or not (
                direction == "internal"
                # to its own processor: a controller recipient is the disclosure finding's
                or (direction == "outbound" and flow_facts.role is Role.PROCESSOR)
            )
        ):
            continue
        reached = _names(ctx, *facts.reaches(flow, controller))
        if not reached:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if not facts.purposes_of(flow.purpose).isdisjoint(entrusted.purposes):
            continue
        purpose = index.purposes.get(flow.purpose)
        named = f"'{flow.purpose}'" + (f" ({short(purpose.name)})" if purpose else "")
        outcome.fail(
            element,
            "processor-own-purpose",
            f"{controller_name} (controller) → {us} (processor): this flow puts the "
            f"controller's data ({listed(reached)}) to the purpose {named}, not one for which "
            f"{controller_name} gives it ({listed([repr(p) for p in given])}); a processor "
            "processes it only on the controller's documented instructions (Art. 28(3)(a), "
            "Art. 29), and one that decides a purpose of its own is a controller for that "
            "processing and infringes (Art. 28(10)): stop it, or record the documented "
            f"instruction of {controller_name} as the purpose of its flow to {us}",
            ("purpose",),
        )


def _report_unauthorised(
    ctx: Context,
    rule: ProcessorDutiesRule,
    outcome: Outcome,
    controller: str,
    unauthorised: list[tuple[str, str, bool]],
    contract_exists: bool,
) -> None:
    """One finding for every sub-processor one controller's contract fails to authorise, on
    the controller's first flow to the organisation (where that contract is linked). With no
    Art. 28 contract at all it is the agreement rule's missing contract too: one finding."""
    index = ctx.index
    us = short(index.organisation.name)
    controller_name = short(index.nodes[controller].name)
    first = next(
        f
        for f in index.data.flows
        if f.recipient_role is Role.PROCESSOR
        and index.party_of(f.source) == controller
        and index.receiver(f) == index.organisation.id
    )
    element = ("flows", first.id)
    outcome.evaluated.append(element)
    # where the map only says a flow may carry the data, the data "may reach" its recipient
    # (review 2026-12-02b); a mix says which only may. One sub-processor reached by several
    # flows is one sub-processor, its flows named together (DPO review 2026-12-03l: seven
    # flows to one processor read as "the 7 sub-processors")
    by_recipient: dict[str, tuple[list[str], bool]] = {}
    for name, flow, surely in unauthorised:
        flows, before = by_recipient.setdefault(name, ([], False))
        flows.append(flow)
        by_recipient[name] = (flows, before or surely)
    sure = [surely for _, surely in by_recipient.values()]
    reaches = "reaches" if all(sure) else "may reach" if not any(sure) else "reaches or may reach"
    mixed = reaches == "reaches or may reach"
    names = listed(
        [
            f"{name} ({listed(flows)}{'' if surely or not mixed else ', may carry it'})"
            for name, (flows, surely) in by_recipient.items()
        ]
    )
    count = (
        f"the {len(by_recipient):,} sub-processors"
        if len(by_recipient) > 1
        else "the sub-processor"
    )
    parties = f"{controller_name} (controller) → {us} (processor)"
    # where the organisation's own law asks less than the GDPR's written authorisation (a
    # Swiss processor: the controller's prior approval, in no set form, revFADP Art. 9(3)),
    # the finding says what that law asks, from the counterpart table (DPO review
    # 2026-12-03s, problem 7); the UK's and the EU's keep the Art. 28 contract's words
    approval = ctx.legal.standard_followed(index.organisation.regime.value, ctx.as_of, "Art. 28(2)")
    them = "them" if len(by_recipient) > 1 else "it"
    # ``problem`` (what the gate matches across runs) is the message with no sub-processor
    # named or counted, and whether the data surely reaches them unsaid: a sub-processor
    # flow added, deleted or relabelled is then no new finding beside the base's FIXED, and
    # the flows it judges (the controller's flow, then each sub-processor flow) are its
    # ``flows``, so one joining is a joined-finding to review and one taken out from under it
    # a left-finding (``baseline._joined``, ``_left``; fix-subproc-s20)
    if approval is not None and contract_exists:
        message = (
            f"{parties}: the controller's data {reaches} {count} {names}; {controller_name} "
            f"must approve {them} before {us} engages {them} (Art. 28(2)), and no agreement "
            f"with {us} records that approval ({approval})"
        )
        problem = (
            f"{parties}: the controller's data reaches or may reach sub-processors; "
            f"{controller_name} must approve each before {us} engages it (Art. 28(2)), and no "
            f"agreement with {us} records that approval ({approval})"
        )
    elif approval is not None:  # joined with the agreement rule's finding, as below
        message = (
            f"{parties}: an Art. 28 contract is required; {controller_name} must approve "
            f"{count} the controller's data {reaches} before {us} engages {them} (Art. 28(2)): "
            f"{names} ({approval})"
        )
        problem = (
            f"{parties}: an Art. 28 contract is required; {controller_name} must approve each "
            f"sub-processor the controller's data reaches or may reach before {us} engages it "
            f"(Art. 28(2)) ({approval})"
        )
    elif contract_exists:
        message = (
            f"{parties}: the controller's data {reaches} {count} {names}; {controller_name} "
            f"must authorise {them} in a signed Art. 28 "
            f"contract with {us} that allows sub-processing (Art. 28(2)); none does"
        )
        problem = (
            f"{parties}: the controller's data reaches or may reach sub-processors; "
            f"{controller_name} must authorise each in a signed Art. 28 contract with {us} "
            "that allows sub-processing (Art. 28(2)); none does"
        )
    else:  # worded so that, joined with the agreement rule's finding, nothing is said twice
        message = (
            f"{parties}: an Art. 28 contract is required; it must authorise {count} the "
            f"controller's data {reaches} (Art. 28(2)): {names}"
        )
        problem = (
            f"{parties}: an Art. 28 contract is required; it must authorise each sub-processor "
            "the controller's data reaches or may reach (Art. 28(2))"
        )
    outcome.fail(
        element,
        "subprocessor-not-authorised",
        message,
        ("agreement",),
        fact=None if contract_exists else CONTROLLER_CONTRACT_MISSING,
        problem=problem,
        flows=tuple(dict.fromkeys((first.id, *(flow for _, flow, _ in unauthorised)))),
    )


def _warn(ctx: Context, rules: Sequence[ProcessorDutiesRule]) -> list[str]:
    """One located warning per controller's processor intake, at its ``subjects``, naming the
    flows the organisation's own collection (``_collections``) that are about people the
    intake brings and carry only data it brings about them: read as collected by the
    organisation itself, they and its flows of what they collect are its own processing
    (``own_copies``), but the map cannot tell such a "collection" from a copy of what the
    controller sent (the client's gift recipients put on the newsletter), so the reading is
    said at the intake, not silent (DPO review s9, problem 1). A collection of more than the
    intake brings (the shop's checkout: orders and invoices) is plainly the organisation's,
    and one from its id cannot copy an intake that lands in a store."""
    facts = ctx.facts
    if not facts.entrusted:
        return []
    index = ctx.index
    covered = facts.taxonomy.covered
    # only an intake that lands on the organisation's own id can be what a flow from that id
    # moves: one into a store (a broker's leads into the newsletter list) is not read out of
    # it by the organisation's sign-up, and says nothing of it
    ours = index.organisation.id
    intakes = [
        (c, i)
        for c in sorted(facts.entrusted)
        for i in facts.entrusted[c].intakes
        if i.target == ours
    ]
    brought = frozenset(s for _, intake in intakes for s in intake.subjects)
    # per group an intake brings, the collections of it by their categories, each with its
    # place in map order: an intake is judged once per category set, not once per flow, and
    # intakes alike are judged once, so a map of many intakes and collections of the same
    # people stays linear (a crafted 6,000-flow map spent 90% of its check here)
    about: dict[str, dict[frozenset[str], list[tuple[int, Flow]]]] = {}
    for place, flow in enumerate(_collections(ctx)):
        kinds = frozenset(flow.categories)
        for subject in flow.subjects:
            if subject in brought:
                about.setdefault(subject, {}).setdefault(kinds, []).append((place, flow))
    if not about:
        return []
    locate = facts.loaded.sources.locate
    us = short(index.organisation.name)
    warnings = []
    judged: dict[tuple[tuple[str, ...], frozenset[str]], tuple[list[str], list[str]]] = {}
    for controller, intake in intakes:
        key = (tuple(intake.subjects), frozenset(intake.categories))
        if key not in judged:
            read: dict[str, None] = {}
            groups = []
            for subject in intake.subjects:
                hits = sorted(
                    (place, flow.id)
                    for kinds, flows in about.get(subject, {}).items()
                    if all(covered(c, key[1]) for c in kinds)
                    for place, flow in flows
                )
                if hits:
                    groups.append(subject)
                    read.update((flow_id, None) for _, flow_id in hits)
            judged[key] = (groups, list(read))
        groups, read_ids = judged[key]
        if not read_ids:
            continue
        name = short(index.nodes[controller].name)
        one = len(read_ids) == 1
        warnings.append(
            f"{locate(('flows', intake.id), ('subjects',))}: processor intake '{intake.id}' "
            f"from {name} brings {listed([repr(g) for g in groups])}; the "
            f"flow{'' if one else 's'} {listed(read_ids)}, from {us}'s own id about them "
            f"with no data the intake does not bring, {'is' if one else 'are'} read as {us} "
            f"collecting them itself, so {'it' if one else 'they'}, and its flows of what it "
            "collects for purposes of its own, are judged as its own processing as their "
            f"controller, not as data {name} entrusts to it put to a purpose of its own; if "
            f"{'it' if one else 'one'} in fact moves what {name} sent, say so: name "
            f"{controller} in its `on_behalf_of`"
        )
    return warnings


CHECK = Check(ProcessorDutiesRule, SUMMARY, evaluate, warn=_warn)
