"""The registers auditors and regulators ask for first, read from one audit result:
findings (with stable ids, by flow and by party), international transfers, and processors
and vendors.

Nothing here re-judges the law: a transfer is whatever the transfer rules evaluated, and it
is valid on the audit date when none of their open findings on it is one that holds the
transfer unlawful (a fault of the record alone, such as a judgement the record does not show,
leaves it valid, with that to record). The registers only arrange what the audit established.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flowaudit.checks.base import Context
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.checks.transfer import (
    ADEQUACY_CLAIMED,
    NO_TRANSFER_ASSUMED,
    OCCASIONAL_ON_TRUST,
    PRESUMED_TEST,
    RECORD_ONLY,
    exporting_party,
    not_a_transfer,
    through_holder,
)
from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import Agreement, AssessmentKind, Flow, Role, Waiver
from flowaudit.reports.causes import Cause, group_by_cause


@dataclass(frozen=True)
class TransferRow:
    """One restricted transfer: a flow a transfer rule judged."""

    flow: Flow
    exporter: str
    importer: str
    country: str
    mechanism: str
    """The mechanism the flow names; "adequacy" when it names none and the transfer rules
    found no want of one ("no restricted transfer (TCA Art. FINPROV.10A bridge)" where the
    row they passed it on is no adequacy but no transfer); "none (no adequacy)" when they
    found it has neither."""
    valid: bool
    """No open finding of the transfer rules on it holds the transfer unlawful."""
    assessment: str
    """The transfer risk assessments the flow links (not its other assessments)."""
    agreement: str
    findings: tuple[Finding, ...]
    record: str = ""
    """What is left to record on a valid transfer (an open finding about its record alone,
    e.g. "judgement to record"), else empty."""
    waived: bool = False
    """Valid only because a finding that would hold it unlawful is waived."""
    country_assumed: str = ""
    """Why the destination's country is only assumed (its ``assumed: country``), else empty:
    the register must not print an assumed country as fact (auditor review 2026-12-03g,
    problem 5)."""
    listing_assumed: str = ""
    """The importer's listing a valid verdict rests on that the map marks assumed, as the
    transfer rules' pass names it ("us-host listed_under privacy_shield_eu_us (why)"), else
    empty. A verdict of not valid never rests on an assumed listing (a listing can only make
    a transfer valid), so such a row has none."""
    condition_assumed: str = ""
    """What the adequacy a valid verdict rests on covers only, that the map cannot show, as
    the transfer rules' pass names it (Canada's: an importer subject to PIPEDA), else empty:
    the register must not print that adequacy as unconditional (auditor review 2026-12-03o,
    problem 1)."""
    safeguard_assumed: str = ""
    """What the safeguard a valid verdict rests on holds only on trust, as the transfer
    rules' pass names it ("Passed on an ASSUMED fact"): an Art. 49 derogation's occasional
    use (and a contract derogation's necessity), which the map cannot show, or an assessment
    presumed to have judged the data protection test; else empty. The register printed such
    a transfer "valid" flat where the check's summary said it passed on an assumed fact
    (lawyer review s17, problem 3)."""
    unconfirmed: tuple[str, ...] = ()
    """The legal-table rows the verdict rests on that no primary source has confirmed, as the
    transfer rules name them ("eu-uk-renewal (source)"): read from their pass on the flow, or
    from their findings on it, never re-judged. The register, the record of processing and the
    diagram keep the mark the check's summary gives (FACTS.md: "keep the mark in the data and
    show it in reports"; auditor review 2026-12-03r, problem 2: an EU-UK transfer on the
    unconfirmed renewal read "adequacy, valid" everywhere but the summary)."""

    @property
    def unconfirmed_ids(self) -> tuple[str, ...]:
        """The ids of the unconfirmed rows (each label begins with its row's id)."""
        return tuple(dict.fromkeys(label.split(" ", 1)[0] for label in self.unconfirmed))

    @property
    def assumed(self) -> tuple[str, ...]:
        """The facts this row shows that the map marks assumed, each with why: "country US:
        why", "us-host listed_under privacy_shield_eu_us (why)"."""
        facts = []
        if self.country_assumed:
            facts.append(f"country {self.country}: {self.country_assumed}")
        if self.listing_assumed:
            facts.append(self.listing_assumed)
        if self.condition_assumed:
            facts.append(self.condition_assumed)
        if self.safeguard_assumed:
            facts.append(self.safeguard_assumed)
        return tuple(facts)

    @property
    def status(self) -> str:
        """Whether the transfer is valid on the audit date, as the register prints it."""
        if not self.valid:
            return "NOT VALID"
        if self.record:
            return f"valid ({self.record})"
        return "valid (waived)" if self.waived else "valid"


@dataclass(frozen=True)
class ProcessorRow:
    """One party that receives the organisation's data, with what covers it."""

    party_id: str
    name: str
    kind: str
    country: str
    roles: tuple[str, ...]
    agreements: tuple[Agreement, ...]
    sub_processors: tuple[str, ...]
    flows: tuple[str, ...]
    findings: tuple[Finding, ...]
    country_assumed: str = ""
    """Why the party's country is only assumed (its ``assumed: country``), else empty."""
    sub_processor_of: tuple[str, ...] = ()
    """The names of the parties it processes for as a sub-processor (an onward flow from a
    processor of the organisation, or from one of theirs), else empty."""

    @property
    def assumed(self) -> tuple[str, ...]:
        """The facts this row shows that the map marks assumed, each with why."""
        return (f"country {self.country}: {self.country_assumed}",) if self.country_assumed else ()


def assumed_country(index: MapIndex, element_id: str) -> str:
    """Why a party's or system's country is only assumed (``assumed: country``), else empty."""
    element = index.systems.get(element_id) or index.parties.get(element_id)
    return (element.assumed.get("country") or "") if element is not None else ""


@dataclass
class Registers:
    """Everything a register table needs, computed in one pass over the result."""

    transfers: list[TransferRow] = field(default_factory=list)
    processors: list[ProcessorRow] = field(default_factory=list)
    by_flow: dict[str, list[Finding]] = field(default_factory=dict)
    by_party: dict[str, list[Finding]] = field(default_factory=dict)
    causes: list[Cause] = field(default_factory=list)
    """The findings grouped by cause (:mod:`flowaudit.reports.causes`), each in one."""

    def cause_of(self) -> dict[int, Cause]:
        """Each finding's cause, keyed by the finding object's ``id()``."""
        return {id(f): cause for cause in self.causes for f in cause.findings}


def _element_parties(index: MapIndex, finding: Finding) -> set[str]:
    """The parties a finding concerns: a flow's sender and recipient organisation, a party,
    a system's owner, an agreement's parties."""
    collection, element_id = finding.element
    if collection == "flows" and element_id in index.flows:
        flow = index.flows[element_id]
        return {index.party_of(flow.source), index.party_of(flow.target)}
    if collection == "parties":
        return {element_id}
    if collection == "systems" and element_id in index.systems:
        return {index.systems[element_id].owner}
    if collection == "agreements" and element_id in index.agreements:
        return set(index.agreements[element_id].parties)
    return set()


def finding_parties(index: MapIndex, finding: Finding) -> set[str]:
    """The parties a finding concerns: those of its element, and the sender and recipient
    organisations of each flow it judges from another element (``Finding.flows``)."""
    parties = _element_parties(index, finding)
    for flow_id in finding.flows:
        flow = index.flows.get(flow_id)
        if flow is not None:
            parties.update((index.party_of(flow.source), index.party_of(flow.target)))
    return parties


def transfer_rows(result: AuditResult, index: MapIndex) -> list[TransferRow]:
    """Every flow a transfer rule judged, with its mechanism and whether it is valid on the
    audit date, read from the transfer rules' findings on it (never re-judged here)."""
    rows: list[TransferRow] = []
    transfer_rules = {rule.id for rule in result.rules if rule.kind == "transfer"}
    # a pass that says the flow is no transfer, on an assumed country at home, is no row
    # of the register (DPO review w, problem 5)
    judged = {
        e.element[1]
        for e in result.passed
        if e.rule_id in transfer_rules
        and not any(NO_TRANSFER_ASSUMED in fact for fact in e.assumed)
    }
    # the listings the transfer rules' passes rest on that the map marks assumed (read from
    # the passes, never re-judged here)
    listings: dict[str, list[str]] = {}
    conditions: dict[str, list[str]] = {}
    on_trust: dict[str, list[str]] = {}  # the safeguard's own conditions taken on trust
    doubts = transfer_unconfirmed(result)
    for evaluation in result.passed:
        if evaluation.rule_id in transfer_rules and evaluation.assumed:
            listed = [fact for fact in evaluation.assumed if " listed_under " in fact]
            listings.setdefault(evaluation.element[1], []).extend(listed)
            claimed = [fact for fact in evaluation.assumed if ADEQUACY_CLAIMED in fact]
            conditions.setdefault(evaluation.element[1], []).extend(claimed)
            trusted = [
                fact
                for fact in evaluation.assumed
                if fact.startswith(OCCASIONAL_ON_TRUST) or PRESUMED_TEST in fact
            ]
            on_trust.setdefault(evaluation.element[1], []).extend(trusted)
    failed: dict[str, list[Finding]] = {}
    for finding in result.findings:
        # a finding several rules establish counts for the transfer rule behind it
        if finding.element[0] == "flows" and not transfer_rules.isdisjoint(finding.rule_ids):
            failed.setdefault(finding.element[1], []).append(finding)
    mechanisms = result.legal.transfers.mechanisms
    names = {m.id: m.name for m in mechanisms}
    ctx = Context(result.facts, result.legal)
    risk = AssessmentKind.TRANSFER_RISK
    for flow_id in sorted(judged | set(failed)):
        flow = index.flows.get(flow_id)
        if flow is None:
            continue
        target = index.nodes[flow.target]
        findings = tuple(failed.get(flow_id, ()))
        unlawful = [f for f in findings if f.code not in RECORD_ONLY]
        valid = all(f.waived for f in unlawful)
        record = [RECORD_ONLY[f.code] for f in findings if f.code in RECORD_ONLY and not f.waived]
        mechanism = flow.transfer_mechanism
        if mechanism:
            named = names.get(mechanism, mechanism)
        elif any(f.code == "no-mechanism" for f in findings):
            named = "none (no adequacy)"  # the rule found no adequacy and no mechanism
        else:
            # a row that is no adequacy but no transfer (the TCA bridge) is named so (law
            # review 2026-12-03y, problem 5)
            named = not_a_transfer(ctx, flow) or "adequacy"
        assessments = [
            a
            for a in flow.assessment_ids
            if a in index.assessments and index.assessments[a].kind is risk
        ]
        rows.append(
            TransferRow(
                flow=flow,
                exporter=_exporter(index, flow, exporting_party(ctx, flow)),
                importer=index.nodes[target.party_id].name,
                country=target.country,
                mechanism=named,
                valid=valid,
                assessment=", ".join(assessments),
                agreement=flow.transfer_agreement or "",
                findings=findings,
                record="; ".join(dict.fromkeys(record)),
                waived=valid and bool(unlawful),
                country_assumed=assumed_country(index, flow.target),
                listing_assumed="; ".join(dict.fromkeys(listings.get(flow_id, ()))),
                condition_assumed="; ".join(dict.fromkeys(conditions.get(flow_id, ()))),
                safeguard_assumed="; ".join(dict.fromkeys(on_trust.get(flow_id, ()))),
                unconfirmed=doubts.get(flow_id, ()),
            )
        )
    return rows


def _exporter(index: MapIndex, flow: Flow, sender: str) -> str:
    """The exporter as the transfer rule names it: the sender, or, for a third party's flow
    into a store the organisation's processor holds for it abroad, the organisation, whose
    transfer it is to safeguard (the register named the sender, the finding the organisation:
    auditor review s7, problem 2)."""
    through = through_holder(index, flow)
    if through is None:
        # the sender as the facts read it: the organisation for its own flow out of a store
        # its processor holds for it (onboarding review s16, problem 1)
        return index.nodes[sender].name
    sender, holder = through
    nodes = index.nodes
    return (
        f"{index.organisation.name} (collected via {nodes[holder].name} from {nodes[sender].name})"
    )


def transfer_unconfirmed(result: AuditResult) -> dict[str, tuple[str, ...]]:
    """By flow, the unconfirmed legal rows the transfer rules' verdict on it rests on: those of
    their passes on the flow and of their open findings on it, as the rules name them (never
    re-judged). The transfers register, the record of processing's safeguards and the diagram
    read them here, so each shows the mark the check's summary gives (auditor review
    2026-12-03r, problem 2)."""
    transfer_rules = {rule.id for rule in result.rules if rule.kind == "transfer"}
    found: dict[str, list[str]] = {}
    for evaluation in result.passed:
        if (
            evaluation.unconfirmed
            and evaluation.rule_id in transfer_rules
            and evaluation.element[0] == "flows"
        ):
            found.setdefault(evaluation.element[1], []).extend(evaluation.unconfirmed)
    for finding in result.findings:
        if (
            finding.unconfirmed
            and finding.element[0] == "flows"
            and not transfer_rules.isdisjoint(finding.rule_ids)
        ):
            found.setdefault(finding.element[1], []).extend(finding.unconfirmed)
    return {flow: tuple(sorted(dict.fromkeys(rows))) for flow, rows in found.items()}


def build_registers(result: AuditResult) -> Registers:
    """The findings index and the transfer and processor registers of one audit."""
    index = result.facts.index
    registers = Registers()
    org = index.organisation.id
    for finding in result.findings:
        # a finding counts on every flow it is about, its own element or the flows it judges
        # from another (a subject that flows rest on contract for), once each
        for flow_id in finding.flow_ids:
            registers.by_flow.setdefault(flow_id, []).append(finding)
        for party in sorted(finding_parties(index, finding)):
            if party != org:
                registers.by_party.setdefault(party, []).append(finding)

    registers.transfers = transfer_rows(result, index)
    registers.causes = group_by_cause(result)

    receiving: dict[str, list[Flow]] = {}
    roles: dict[str, set[str]] = {}
    facts = result.facts
    onward: dict[str, set[str]] = {}  # a party's sub-processors, by name
    sub_of: dict[str, set[str]] = {}  # a sub-processor's principals, by name
    for flow in facts.flows_in_direction("outbound"):
        recipient = index.party_of(flow.target)
        receiving.setdefault(recipient, []).append(flow)
        role = facts.recipient_role(flow)
        roles.setdefault(recipient, set()).add(role.value if role is not None else "unstated")
        if role is Role.PROCESSOR and facts.held_as_processor(flow):
            # a flow the organisation makes as another controller's processor: its processor
            # is that controller's sub-processor (DPO review v, point 2), as findings word it
            named = [index.nodes[c].name for c in flow.on_behalf_of if c in index.nodes]
            whose = f" (for {', '.join(named)})" if named else ""
            sub_of.setdefault(recipient, set()).add(f"{index.nodes[org].name}{whose}")
    # who processes for whom beyond the organisation's own recipients: a processor of a
    # processor, at any depth, has a row of its own saying whose sub-processor it is, as the
    # record of processing lists it among the recipients (auditor review 2026-12-03h,
    # problem 7: Alpenhost AG, ScholarSoft's backup host, had none)
    relying: dict[str, set[str]] = {}  # the onward flows into a sub-processor
    sent: dict[str, list[Flow]] = {}  # the onward flows, by the party sending them
    for flow in facts.flows_in_direction("onward"):
        sent.setdefault(index.party_of(flow.source), []).append(flow)
    processing = set(receiving)
    returned = facts.returns_upstream
    queue = sorted(receiving)
    while queue:  # each party that processes for the organisation, once, at any depth
        sender = queue.pop()
        for flow in sent.get(sender, ()):
            recipient = index.party_of(flow.target)
            # a sub-processor processes for the sender; a recipient that is a controller of
            # what it gets (a tax authority receiving a statutory return) is not one, and one
            # whose role is not recorded may be: said so
            role = facts.recipient_role(flow)
            if recipient in (sender, org) or role not in (Role.PROCESSOR, None):
                continue
            if flow.id in returned:
                # data given back to the processor that engaged the sender: no sub-processor
                # of the sender's (newcomer review s18: a courier's returns made the warehouse
                # that engaged it "sub-processor of" the courier)
                continue
            name = index.nodes[recipient].name
            onward.setdefault(sender, set()).add(
                name if role is Role.PROCESSOR else f"{name} (role not recorded)"
            )
            # a row of its own only down a chain of processors: a processor an independent
            # controller engages processes for that controller, not for the organisation
            if Role.PROCESSOR.value not in roles.get(sender, ()):
                continue
            sub_of.setdefault(recipient, set()).add(index.nodes[sender].name)
            relying.setdefault(recipient, set()).add(flow.id)
            if recipient not in receiving:  # a recipient of the organisation keeps its roles
                roles.setdefault(recipient, set()).add(
                    role.value if role is not None else "unstated"
                )
            if recipient not in processing:
                processing.add(recipient)
                queue.append(recipient)
    _through_stores(result, receiving, roles, relying)
    agreements_of: dict[str, list[Agreement]] = {}
    for agreement in index.data.agreements:
        for party in agreement.parties:
            agreements_of.setdefault(party, []).append(agreement)
    for party_id in sorted(processing):
        node = index.nodes[party_id]
        party_roles = roles.get(party_id, set())
        registers.processors.append(
            ProcessorRow(
                party_id=party_id,
                name=node.name,
                kind=node.kind,
                country=node.country,
                roles=tuple(sorted(party_roles)),
                agreements=tuple(agreements_of.get(party_id, [])),
                sub_processors=tuple(sorted(onward.get(party_id, ()))),
                flows=tuple(
                    sorted(
                        {f.id for f in receiving.get(party_id, ())} | relying.get(party_id, set())
                    )
                ),
                sub_processor_of=tuple(sorted(sub_of.get(party_id, ()))),
                findings=tuple(registers.by_party.get(party_id, [])),
                country_assumed=assumed_country(index, party_id),
            )
        )
    registers.processors.sort(key=lambda row: (Role.PROCESSOR.value not in row.roles, row.name))
    return registers


def _through_stores(
    result: AuditResult,
    receiving: dict[str, list[Flow]],
    roles: dict[str, set[str]],
    relying: dict[str, set[str]],
) -> None:
    """Add to ``relying`` every flow into or out of a store a processor holds for the
    organisation (one the organisation's own flows write into, or one a third party's flow
    reaches it through): they depend on that processor as much as the organisation's own
    sends. The register listed cv-to-ats alone against 5 findings, and not client-uploads,
    the flow whose transfer the finding makes the organisation's (auditor review s7, problem
    2). One pass over the flows: a table of the stores, then each flow's two ends."""
    index = result.facts.index
    org = index.organisation.id
    processor = Role.PROCESSOR.value
    holder_of: dict[str, str] = {}  # a store held for the organisation -> its processor
    for party_id, flows in receiving.items():
        if processor in roles.get(party_id, ()):
            holder_of.update((f.target, party_id) for f in flows if f.target != party_id)
    for flow in index.data.flows:
        holder = index.party_of(flow.target)
        if holder != org and index.receiver(flow) == org and processor in roles.get(holder, ()):
            holder_of[flow.target] = holder
    if not holder_of:
        return
    for flow in index.data.flows:
        for end in (flow.source, flow.target):
            processor_id = holder_of.get(end)
            if processor_id is not None:
                relying.setdefault(processor_id, set()).add(flow.id)


@dataclass(frozen=True)
class WaiverRow:
    """One waiver of the map and its state on the audit date, as the audit settled it."""

    waiver: Waiver
    state: str
    """The state's class: ``in-force`` (covers findings), ``expired``, ``refused`` (covers
    nothing though it names a finding) or ``unmatched``."""
    said: str
    """The state in words."""
    cover_ends: date | None
    """The day its cover ends where that is before the expiry it claims (the waiver rule's
    cap after approval); None where the expiry it claims is the day."""


#: A HYG-WAIVER code by which a waiver in force covers nothing though it names a finding, and
#: what the register says of it (reports/registers.waiver_rows).
_COVERS_NOTHING = {
    "covers-part": "covers nothing: it names one part ({code}) of a finding that joins several "
    "problems",
    "secondary-rule": "covers nothing: {rule} only seconds the finding it names",
    "unmatched": "matches nothing",
}


def waiver_rows(result: AuditResult) -> list[WaiverRow]:
    """The waivers register: each waiver's state as the audit settled it, read from the
    result, never re-judged. It covers findings (the findings' ``waiver``), until the day its
    cover ends (the audit's facts: the cap after approval, beside the expiry it claims); it
    expired, on its own expiry or at that cap; it is not yet approved; it covers nothing
    because the finding it names is graver than a waiver may accept, because it names a rule
    that only seconds that finding or one part of a joined finding (the waiver rule's codes on
    it); or it matches nothing. The register called a capped waiver past its cap, and one
    refused as too grave, one that "matches nothing" (DPO review 2026-12-03p, problem 5)."""
    covering: dict[str, int] = {}
    for finding in result.findings:
        if finding.waiver is not None:
            covering[finding.waiver.id] = covering.get(finding.waiver.id, 0) + 1
    codes: dict[str, set[str]] = {}
    for finding in result.findings:
        collection, element_id = finding.element
        if collection == "waivers":
            codes.setdefault(element_id, set()).add(finding.code)
    ends = result.facts.waiver_cover_ends
    rows = []
    for waiver in result.loaded.data.waivers:
        on = codes.get(waiver.id, set())
        end = ends.get(waiver.id, waiver.expires_on)
        capped = end if end < waiver.expires_on else None
        count = covering.get(waiver.id, 0)
        state, said = "unmatched", "covers no finding"
        if count:
            state = "in-force"
            said = "covers a finding" if count == 1 else f"covers {count:,} findings"
            said += f" until {end}" + (" (expiring soon)" if "expiring" in on else "")
        elif "expires-before-approval" in on:
            state, said = "expired", "covers nothing: it expires before its approval"
        elif "not-yet-approved" in on:
            state = "refused"
            said = f"not yet approved (approved on {waiver.approved_on}): covers nothing until then"
        elif "expired" in on or ("too-long" in on and not on & {*_COVERS_NOTHING, "too-grave"}):
            # past its own expiry, or past the cap after approval: no longer in force
            state = "expired"
            said = f"expired on {end}" + (", at the cap after approval" if capped else "")
        elif "too-grave" in on:
            grave = next(
                (
                    f.severity.value
                    for f in result.findings
                    if f.rule_id == waiver.rule and f.element_label == waiver.element
                ),
                None,
            )
            state = "refused"
            said = "covers nothing: the finding it names is " + (
                f"{grave}, graver than a waiver may accept"
                if grave
                else "graver than a waiver may accept"
            )
        else:
            found = next((code for code in _COVERS_NOTHING if code in on), None)
            if found is not None:
                state = "refused" if found != "unmatched" else "unmatched"
                said = _COVERS_NOTHING[found].format(code=waiver.code, rule=waiver.rule)
        rows.append(WaiverRow(waiver, state, said, capped))
    return rows
