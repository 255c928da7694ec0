"""Agreement: a flow to another party needs an agreement in force, of the kind the
recipient's role needs, between those parties, covering the flow's categories.

Applies to every flow between two different organisations, except data the organisation
receives as a controller in its own right (inbound, recipient not a processor or joint
controller): collection is judged by the lawful-basis rule, not here.

Roles decide what is owed: to a processor an Art. 28 contract (mandatory), to a joint
controller an Art. 26 arrangement (mandatory; one per joint purpose and party, so a gap is one
finding naming its flows, and an arrangement in order for the purpose clears each flow of
it; an agreement's own status and dates are one finding per agreement and pair of parties,
at the first flow linking it, naming the others), to an independent controller a data sharing
agreement (good practice under the ICO code for routine sharing, so asked only of an
organisation the code binds on the audit date, a UK one from 2021-10-05, and not expected of a
flow marked ``occasional``, a one-off disclosure, nor of one the law requires: its gaps have codes
of their own,
``sharing-missing``, ``sharing-unknown-status``..., that a policy rates lower). A joint
controller's gaps have codes of their own too (``joint-missing``...): each kind of gap
cites its own law (Art. 28(3) and 28(9), Art. 26, the ICO code) by the rule's
code_references; a processor's hop to its sub-processor cites the contract Art. 28(4) asks of
the processor (its ``subprocessor:`` entries). Where the
organisation itself is the processor (an inbound flow with recipient role processor), the
sender is the controller that owes it the Art. 28 contract. A processor's disclosure to a
controller (a processor's onward flow, or the organisation's flow of data it holds only as
processor) is no data sharing: no data sharing agreement is asked of it (the sub-processing
and processor duties rules judge it). A recipient of unrecorded role gets one finding that
asks for it.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, listed, short, summary_of
from flowaudit.checks.facts import expired, not_yet_in_force
from flowaudit.checks.grouping import Said, fail_per_group
from flowaudit.model.graph import FlowFacts
from flowaudit.model.schema import Agreement, AgreementStatus, Flow, Role
from flowaudit.policies.schema import AgreementRule

SUMMARY = summary_of(__doc__)


_REQUIRED = {
    Role.PROCESSOR: "an Art. 28 contract is required",
    Role.JOINT_CONTROLLER: "an Art. 26 joint-controller arrangement is required",
    Role.CONTROLLER: "a data sharing agreement is good practice",
}
#: What the controller-to-controller sentence cites where the instrument binds the
#: organisation on the audit date (the legal table's instruments and regimes decide).
_SHARING_CODE = "ICO Data Sharing Code"


def _required(ctx: Context, role: Role) -> str:
    """What a recipient of this role is owed, citing the ICO's code only where it is in
    force for the organisation on the audit date (from 2021-10-05, and UK law only)."""
    text = _REQUIRED[role]
    if role is Role.CONTROLLER:
        regime = ctx.index.organisation.regime.value
        if ctx.legal.cited_references([_SHARING_CODE], regime, ctx.as_of):
            text += f" ({_SHARING_CODE})"
    return text


#: Codes of gaps owed to a controller or a joint controller start with these, so that a policy
#: can rate and cite them apart from a processor's (unprefixed) ones.
_PREFIX = {Role.CONTROLLER: "sharing-", Role.JOINT_CONTROLLER: "joint-"}


def _party_text(party: str, node: str, side: str) -> str:
    """A party the agreement lacks; for a system, the owner rule that made it the party."""
    if party == node:
        return f"'{party}'"
    return (
        f"'{party}' (owner of system '{node}', which {side} this data: a flow from or to a "
        "system counts as sent or received by the system's owner)"
    )


Problem = tuple[str, str, tuple[str | int, ...]]  # code, message after the parties, field
_Fit = tuple[list[str], set[str], list[str]]  # an agreement's parties, covered categories, purposes


#: The fact shared by every rule whose finding turns on a recipient's unrecorded role.
ROLE_UNDECIDED = "role-undecided"
#: The fact of a controller that gave the organisation (its processor) no Art. 28 contract.
CONTROLLER_CONTRACT_MISSING = "controller-contract-missing"
#: The fact of a processor that engaged a sub-processor with no Art. 28 contract between
#: them: the sub-processing rule's finding on the sub-processor's own onward flows is the
#: same gap, found once on this hop (DPO review v, point 5).
SUBPROCESSOR_CONTRACT_MISSING = "subprocessor-contract-missing"
#: The case a processor's hop to its sub-processor is cited and fixed as
#: (``Outcome.cited_as``): the rule's ``subprocessor:`` entries.
SUBPROCESSOR = "subprocessor"
#: The processor-role codes that leave a hop with no Art. 28 contract in force.
_NO_CONTRACT_IN_FORCE = frozenset(
    ("missing", "wrong-kind", "draft", "unknown-status", "expired", "not-yet-in-force")
)


def evaluate(ctx: Context, rule: AgreementRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    organisation = index.organisation.id
    judged = _Judged(ctx, rule)
    in_order = judged.in_order
    regime = index.organisation.regime.value
    # bases on which a flow to an independent controller is a disclosure the law requires:
    # no agreement expected of it (the legal table's reading, as the organisation's regime
    # reads it: the ICO's code binds no EU organisation; auditor review 2026-12-03r, problem
    # 3), printed on the pass only where that reading's source binds the organisation on the
    # audit date, as the one-off row's below (DPO review 2026-12-03r, problem 7: a Swiss, or
    # a UK one before 2021-10-05, has no reading that binds it)
    compelled = {
        basis.id: (
            (f"{basis.id}: no data sharing agreement expected ({source})",)
            if (source := basis.read_as(regime).sharing_source)
            and ctx.legal.cited_references([source], regime, ctx.as_of)
            else ()
        )
        for basis in ctx.legal.lawful_bases.values()
        if not basis.sharing_agreement_expected and rule.compelled_exempt
    }
    # a flow to an independent controller marked occasional is a one-off disclosure: no
    # agreement expected of it (the legal table's reading; not for a notice's promise). The
    # pass names the row (UNCONFIRMED) only where its source, the ICO's code, binds the
    # organisation on the audit date, as _required cites the code (DPO review 2026-12-03l,
    # problem 15: a Swiss organisation's pass cited it)
    row = ctx.legal.bases.one_off_sharing
    one_off: tuple[str, ...] | None = None
    if row is not None and rule.compelled_exempt:
        binds = ctx.legal.cited_references([row.source], regime, ctx.as_of)
        one_off = (
            (f"{row.id}: no data sharing agreement expected ({row.source})",)
            if binds and row.doubts()
            else ()
        )
    # an organisation the ICO's code does not bind on the audit date (EU, CH, UK before
    # 2021-10-05) owes an independent controller no agreement: the code's good practice is the
    # only source of the sharing- findings, so it is given none; its flow passes on the
    # table's row, as its regime reads it (DPO review 2026-12-03s, problem 2)
    sharing = ctx.legal.bases.controller_sharing
    unbound: tuple[str, ...] | None = None
    # (the law's rule only: a notice's promise of agreements holds whatever the law asks)
    if (
        sharing is not None
        and rule.compelled_exempt
        and not ctx.legal.cited_references([_SHARING_CODE], regime, ctx.as_of)
    ):
        read = sharing.read_as(regime)
        unbound = (f"{read.id}: {read.source}",) if read.doubts() else ()
    processors = ctx.facts.our_processors
    held_as_processor = ctx.facts.held_as_processor
    theirs = ctx.facts.others_own_flows
    returned = ctx.facts.returns_upstream
    joint: _JointGaps = {}
    standing: _StandingGaps = {}
    arranged: _Arranged | None = None  # indexed at the first joint flow with a gap
    for facts in ctx.matching_facts(rule):
        flow = facts.flow
        if flow.id in theirs and flow.basis not in compelled:
            # an independent controller's own sharing, or a processor's outside its
            # instructions: not the organisation's to record an agreement for (a disclosure
            # the law requires, made for the organisation, is judged below)
            continue
        sender = facts.sender
        # the organisation for a flow into a store its processor holds for it (attack
        # review s3, problem 1): its collection, judged by the lawful-basis rule
        recipient = facts.recipient.party_id
        if sender == recipient:
            continue
        role = facts.role
        if recipient == organisation and role not in (Role.PROCESSOR, Role.JOINT_CONTROLLER):
            continue
        if flow.id in returned:
            # a sub-processor giving back to the processor that engaged it what that
            # processor gave it: the contract between them is judged on the engaging hop,
            # and returning the data asks no other (Art. 28(3)(g); newcomer review s18)
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        if role is Role.CONTROLLER and flow.basis in compelled:
            # where a linked agreement covers the flow, the pass rests on it, not on the
            # table's reading (as a one-off disclosure's below; DPO review 2026-12-03r,
            # problem 7: a referral with a signed DSA was put down to "no agreement expected")
            marks = compelled[flow.basis]
            if marks and (
                flow.agreement is None or _problems(ctx, judged, flow, role, sender, recipient)
            ):
                outcome.relied[element] = marks
            continue
        if role is Role.CONTROLLER and flow.occasional and one_off is not None:
            # a one-off disclosure (to the police, in an emergency): the code's agreements
            # are for routine sharing (DPO review 2026-12-02g, problem 8). Where a linked
            # agreement covers the flow, the pass rests on it, not on that reading (DPO
            # review 2026-12-03l, problem 15); the agreement's gaps are moot for a one-off
            rests_on_agreement = flow.agreement is not None and not _problems(
                ctx, judged, flow, role, sender, recipient
            )
            if one_off and not rests_on_agreement:
                outcome.relied[element] = one_off
            continue
        if role is Role.CONTROLLER and (
            sender in processors or (sender == organisation and held_as_processor(flow))
        ):
            # a processor's disclosure to a controller (the organisation's processor's, or
            # the organisation's own of data it holds as processor) is no data sharing
            # between controllers: the processor acts on its controller's instructions
            # (Art. 28(3)(a), 29), judged by the sub-processing and processor duties rules;
            # a data sharing agreement would paper over it (DPO review 2026-12-03l, 1 and 2)
            outcome.evaluated.pop()
            continue
        if role is Role.CONTROLLER and unbound is not None:
            # a linked agreement that covers the flow is what the pass rests on; its gaps are
            # moot where none is required
            if unbound and (
                flow.agreement is None or _problems(ctx, judged, flow, role, sender, recipient)
            ):
                outcome.relied[element] = unbound
            continue
        if role is Role.PROCESSOR and sender in processors and _engaged_by_us(ctx, flow, recipient):
            # out of a store the organisation's processor holds for it, to a processor the
            # organisation engaged itself under an Art. 28 contract of its own: the host sends
            # on its controller's instruction, and the contract the law asks for is the one
            # between the organisation and the recipient, not one between the host and the
            # recipient (Art. 28(2), 28(3), 28(4)): the shop's platform printing the labels
            # for the courier the shop contracted was a HIGH asking for a platform-courier
            # contract (lawyer review s12, problem 4)
            sender = organisation
        if role is Role.PROCESSOR and sender in processors:
            # a processor's hop to its own sub-processor: the contract owed is the one the
            # processor makes with it, imposing the same obligations (Art. 28(4)), not the
            # controller's Art. 28(3) contract; cited and fixed as that case (code_references
            # and code_fix ``subprocessor:``), its code kept (DPO review verdict2-s17, 3)
            outcome.cited_as[element] = SUBPROCESSOR
            # and it is the processor's own duty under the law of its establishment (Art.
            # 3(1): processing in the context of a processor's establishment; EDPB Guidelines
            # 3/2018 list Art. 28(2)-(4) among an EU processor's own duties): a German
            # processor in a UK map owes GDPR Art. 28(4), a UK one in an EU map UK GDPR Art.
            # 28(4); the finding cites and fixes it as that regime does, as the transfer rule
            # does a hop's (lawyer review s18: a UK map cited "UK GDPR Art. 28(4)" to the
            # German processor). A processor in no modelled regime (a US host) is bound by
            # the organisation's contract terms only, so the organisation's law is cited.
            home = ctx.legal.jurisdiction_of_country.get(ctx.index.nodes[sender].country)
            if home is not None and home != regime:
                outcome.regimes[element] = home
        known = in_order.get((flow.agreement, role))
        if known is not None:  # most flows: an agreement in order, judged before, fits them
            bound, covering, purposes = known
            if (
                sender in bound
                and recipient in bound
                and covering.issuperset(flow.categories)
                and (not purposes or flow.purpose in purposes)
            ):
                continue
        problems = _problems(ctx, judged, flow, role, sender, recipient)
        if problems and role is Role.JOINT_CONTROLLER:
            # joint control is per purpose (Art. 26(1)): one arrangement per purpose and
            # party, so one finding per gap, not one per flow (review s16, problem 1)
            partner = sender if recipient == organisation else recipient
            if problems[0][0] == "joint-missing":
                if arranged is None:
                    arranged = _Arranged(ctx, judged, rule, organisation)
                if arranged.covers(flow, partner):
                    continue
            for code, text, where in problems:
                joint.setdefault((flow.purpose, partner, code, text), []).append((facts, where))
            continue
        if problems:
            # who sends to whom, in words, heads every message: composed only for a flow
            # that fails (most pass)
            parties = ctx.parties(facts)
            for code, text, where in problems:
                if code.removeprefix("sharing-") in _STANDING and not (
                    role is Role.PROCESSOR and sender in processors
                ):
                    # (a sub-processor's contract not in force is one fact with the
                    # sub-processing rule's finding on that hop: kept per flow, below)
                    # the agreement's own standing (its status, its dates) is one fact of
                    # the agreement, whichever flow links it: grouped below (DPO review s18)
                    # keyed by the parties' ids: two parties of one name are two groups,
                    # and the problem names them so (``_fail_standing``)
                    who = ctx.party_ids(facts)
                    standing.setdefault((flow.agreement or "", code, who, text), []).append(
                        (facts, where)
                    )
                    continue
                # an unrecorded role is one fact wherever a rule turns on it (the processor
                # duties rule on the same flow): one finding citing both
                fact = ROLE_UNDECIDED if code == "role-undecided" else None
                if code == "missing" and role is Role.PROCESSOR and recipient == organisation:
                    # no contract with the controller is also no authorisation of the
                    # sub-processors the processor duties rule names on this flow: one problem
                    fact = CONTROLLER_CONTRACT_MISSING
                elif (
                    code in _NO_CONTRACT_IN_FORCE
                    and role is Role.PROCESSOR
                    and sender in processors
                ):
                    # a processor's sub-processor engaged with no contract in force (none
                    # linked, one that is no Art. 28 contract, a draft, an expired one) holds
                    # no authorisation to engage others either: the sub-processing rule's
                    # finding on its onward flows joins this one (DPO review v, point 5)
                    fact = SUBPROCESSOR_CONTRACT_MISSING
                outcome.fail(element, code, f"{parties}: {text}", where, fact=fact)
    _fail_joint(ctx, outcome, joint)
    _fail_standing(ctx, outcome, standing)
    return outcome


#: The codes of an agreement's own standing (``_standing``), whatever flow links it.
_STANDING = frozenset(("unknown-status", "draft", "expired", "not-yet-in-force"))

#: A gap of a flow: its facts and the fields at fault.
_Gap = tuple[FlowFacts, tuple[str | int, ...]]

#: An agreement's standing gaps, per (agreement, code, who sends to whom, text): the flows
#: linking it and the fields.
_StandingGaps = dict[tuple[str, str, str, str], list[_Gap]]


def _fail_standing(ctx: Context, outcome: Outcome, standing: _StandingGaps) -> None:
    """One finding per agreement and gap in its standing (status unknown, a draft, expired,
    not yet in force) between the same two parties, at the first flow in the map that links
    it, naming the others: the fix is the agreement's (the signed copy, its dates), one
    whatever the number of flows resting on it (DPO review s18, problem 3: two flows to one
    host linking one DPA of unknown status were two MEDIUM findings answered by one fix, as
    dpo-s17 found of the assessment a purpose lacks). A flow it covers with no other problem
    of this rule is judged there, not passed; one with another keeps it (``keep_own_hits``)."""

    def said(key: tuple[str, str, str, str], first: _Gap) -> Said:
        # headed by who sends to whom by name; its problem by their ids, so that a party's
        # name filled in or corrected leaves the open problem existing in the gate (gate
        # review s21: "UK hosting provider (not named)" named made it new and FIXED at once)
        _agreement, code, who, text = key
        return Said(
            code, text, first[1], heading=f"{ctx.parties(first[0])}: ", problem_heading=f"{who}: "
        )

    fail_per_group(outcome, standing, _gap_flow, said, _named_standing, keep_own_hits=True)


def _gap_flow(gap: _Gap) -> str:
    """The id of the flow a gap was found on."""
    return gap[0].flow.id


def _named_standing(key: tuple[str, str, str, str], text: str, flows: str) -> str:
    """The standing gap naming the flows that link the agreement, after its name."""
    named = f"agreement '{key[0]}'"
    return text.replace(named, f"{named} (linked by flows {flows})", 1)


#: A joint controller's gaps, per (purpose, partner, code, text): the flows and fields.
_JointGaps = dict[tuple[str, str, str, str], list[_Gap]]


class _Arranged:
    """Whether an Art. 26 arrangement in order (its kind, status and dates) between the
    organisation and the joint controller covers a flow's purpose and categories, though
    the flow links none: the arrangement is made per joint purpose (Art. 26(1)), so another
    flow linking it, or the arrangement on file, is the arrangement in place for this one
    too (review s16, problem 1). The arrangements are indexed once by party and purpose,
    and each answer kept per partner, purpose and categories: reading every agreement for
    each joint flow with a gap made a map of many such flows and many agreements quadratic
    (attack review s17, problem b)."""

    def __init__(self, ctx: Context, judged: _Judged, rule: AgreementRule, ours: str) -> None:
        self._judged = judged
        kinds = rule.required_kinds.get(Role.JOINT_CONTROLLER, [])
        # per party and purpose (None: an arrangement naming no purpose, for every one), the
        # organisation's arrangements of the kind with it that name categories, in map order
        self._by: dict[tuple[str, str | None], list[Agreement]] = {}
        for agreement in ctx.index.agreements.values():
            if (
                (kinds and agreement.kind not in kinds)
                or ours not in agreement.parties
                or not agreement.categories
            ):
                continue
            purposes: list[str | None] = [*agreement.purposes] or [None]
            for party in dict.fromkeys(agreement.parties):
                for purpose in purposes:
                    self._by.setdefault((party, purpose), []).append(agreement)
        self._answered: dict[tuple[str, str, tuple[str, ...]], bool] = {}

    def covers(self, flow: Flow, partner: str) -> bool:
        """Whether an arrangement in order with ``partner`` covers ``flow``."""
        key = (partner, flow.purpose, tuple(flow.categories))
        known = self._answered.get(key)
        if known is None:
            judged = self._judged
            known = any(
                not judged.standing(agreement, Role.JOINT_CONTROLLER)
                and not judged.uncovered(agreement, flow.categories)
                for agreement in (
                    *self._by.get((partner, flow.purpose), ()),
                    *self._by.get((partner, None), ()),
                )
            )
            self._answered[key] = known
        return known


def _fail_joint(ctx: Context, outcome: Outcome, joint: _JointGaps) -> None:
    """One finding per joint purpose, partner and gap, at its first flow in the map, naming
    the other flows it covers (they are judged there, not passed): an Art. 26 arrangement is
    one per joint processing, and a missing one is one problem however many flows it has
    (review s16, problem 1: two flows for one joint purpose were two HIGHs)."""

    def said(key: tuple[str, str, str, str], first: _Gap) -> Said:
        # who sends to whom as the first flow reads it
        _purpose, _partner, code, text = key
        return Said(
            code,
            text,
            first[1],
            heading=f"{ctx.parties(first[0])}: ",
            problem_heading=f"{ctx.party_ids(first[0])}: ",
        )

    fail_per_group(outcome, joint, _gap_flow, said, _named_joint)


def _named_joint(key: tuple[str, str, str, str], text: str, flows: str) -> str:
    """The joint gap naming the joint purpose and its flows, before the fix (after ';')."""
    head, sep, tail = text.partition(";")
    return f"{head} for the joint purpose '{key[0]}' (flows {flows}){sep}{tail}"


def _engaged_by_us(ctx: Context, flow: Flow, recipient: str) -> bool:
    """Whether a flow out of a store held for the organisation links an agreement between
    the organisation and the recipient: the organisation engaged the recipient itself."""
    store = ctx.index.systems.get(flow.source)
    return (
        store is not None
        and ctx.facts.holds_for_us(store)
        and ctx.index.agreed_with_organisation(flow, recipient)
    )


class _Judged:
    """What one agreement rule has found out about each agreement: its standing (status,
    dates, kind) per recipient role, and the categories it covers. Thousands of flows link
    one agreement; each is judged once, not once per flow."""

    def __init__(self, ctx: Context, rule: AgreementRule) -> None:
        self.ctx = ctx
        self.rule = rule
        self.standings: dict[tuple[str, Role], list[Problem]] = {}
        self.covering: dict[str, set[str]] = {}
        #: Per (agreement id, role) whose standing has no problem and which lists the
        #: categories it covers: its parties, the categories known covered, its purposes.
        #: A flow whose parties, categories and purpose fit these has no problem at all.
        self.in_order: dict[tuple[str | None, Role | None], _Fit] = {}
        #: What a recipient of each role is owed (``_required``) and the standard a processor
        #: contract's terms follow, each worded once: the same for every flow with no
        #: agreement or with gaps in its agreement (tens of thousands on a 100k-flow map, each
        #: asking the legal table to cite the ICO's code)
        self._required: dict[Role, str] = {}
        self._terms: tuple[str | None] | None = None  # (the standard,) once asked

    def required(self, role: Role) -> str:
        """``_required(ctx, role)``, worded once per role."""
        text = self._required.get(role)
        if text is None:
            text = self._required[role] = _required(self.ctx, role)
        return text

    def terms_standard(self) -> str | None:
        """The standard a finding on a processor contract's terms says the organisation's law
        follows (``LegalTable.standard_followed`` for Art. 28(3)), or None; asked once."""
        if self._terms is None:
            ctx = self.ctx
            regime = ctx.index.organisation.regime.value
            self._terms = (ctx.legal.standard_followed(regime, ctx.as_of, "Art. 28(3)"),)
        return self._terms[0]

    def standing(self, agreement: Agreement, role: Role) -> list[Problem]:
        """The agreement's own problems for a recipient of this role: status, dates, kind."""
        key = (agreement.id, role)
        found = self.standings.get(key)
        if found is None:
            found = self.standings[key] = _standing(self.ctx, self.rule, agreement, role)
            if not found and agreement.categories:
                covering = self._covering(agreement.id)
                self.in_order[key] = (agreement.parties, covering, agreement.purposes)
        return found

    def _covering(self, agreement_id: str) -> set[str]:
        """The categories an agreement is known to cover, so far."""
        covering = self.covering.get(agreement_id)
        if covering is None:
            covering = self.covering[agreement_id] = set()
        return covering

    def uncovered(self, agreement: Agreement, categories: list[str]) -> list[str]:
        """The categories (in the flow's order) the agreement does not cover."""
        covering = self._covering(agreement.id)
        if covering.issuperset(categories):  # most flows: every category seen covered before
            return []
        covered = self.ctx.facts.taxonomy.covered
        uncovered = []
        for category in categories:
            if category in covering:
                continue
            if covered(category, agreement.categories):
                covering.add(category)
            else:
                uncovered.append(category)
        return uncovered


def _own_contract_hint(
    ctx: Context,
    flow: Flow,
    role: Role | None,
    sender: str,
    recipient: str,
    linked: Agreement | None = None,
) -> str:
    """Where one of the organisation's processors writes into a store another processor
    holds for the organisation (or sends straight to another of its processors), and the
    organisation has its own Art. 28 contract with that recipient: the way to say the
    organisation engaged the recipient itself, which makes the hop the organisation's
    (``MapIndex.flow_facts``). The finding asked for a contract between the two processors,
    and a newcomer linking the organisation's contract with the holder had been refused
    (newcomer review s19, problem 1); one who linked the organisation's contract with the
    *sender* was told only that it bound the wrong parties (``linked``: newcomer review s20)."""
    index = ctx.index
    org = index.organisation.id
    system = index.systems.get(flow.target)
    if (
        role is not Role.PROCESSOR
        or (system is not None and not ctx.facts.holds_for_us(system))
        or sender in (org, recipient)
        or sender not in ctx.facts.our_processors
    ):
        return ""
    ours = index.own_processor_contracts.get(recipient)
    if not ours:
        return ""
    held = f" and '{system.id}' is its store held for it" if system is not None else ""
    instead = f" instead of '{linked.id}'" if linked is not None else ""
    return (
        f"; if {short(index.organisation.name)} engaged {_name_of(ctx, recipient)} itself"
        f"{held}, link that contract ({listed(ours)}) on this flow{instead}: the flow is then "
        "its own, and no contract between the two processors is owed"
    )


def _name_of(ctx: Context, party: str) -> str:
    node = ctx.index.nodes.get(party)
    return short(node.name) if node is not None else party


def _problems(
    ctx: Context,
    judged: _Judged,
    flow: Flow,
    role: Role | None,
    sender: str,
    recipient: str,
) -> list[Problem]:
    """A flow's problems with its agreement: code, message (after who sends to whom), field."""
    agreement = ctx.index.agreements.get(flow.agreement or "")
    if role is None:
        on_file = (
            "no agreement is linked"
            if agreement is None
            else f"agreement '{agreement.id}' ({agreement.kind.value}) is on record with "
            f"status {agreement.status.value}"
        )
        return [
            (
                "role-undecided",
                "record whether the recipient acts as processor (an Art. 28 "
                f"contract is then required) or as controller; {on_file}",
                ("recipient_role",),
            )
        ]
    # Controller to controller: an agreement is good practice, not the law's requirement:
    # its gaps carry codes of their own (sharing-...), which a policy rates lower; a joint
    # controller's (joint-...) are cited under Art. 26, not Art. 28.
    prefix = _PREFIX.get(role, "")
    if agreement is None:
        hint = _own_contract_hint(ctx, flow, role, sender, recipient)
        return [
            (f"{prefix}missing", f"{judged.required(role)}; none is linked{hint}", ("agreement",))
        ]
    problems = list(judged.standing(agreement, role))
    named = f"agreement '{agreement.id}'"
    bound = agreement.parties
    if sender not in bound or recipient not in bound:
        missing_parties = [
            _party_text(p, node, side)
            for p, node, side in ((sender, flow.source, "sends"), (recipient, flow.target, "gets"))
            if p not in bound
        ]
        # an agreement between other parties is no agreement for this flow, whatever its
        # status, kind and cover: one problem, one fix (link or sign one with these parties),
        # not its status and what it fails to cover said again beside it (read-through s17:
        # a flow linked to another party's agreement of unknown status had three LOW
        # findings, wrong parties, unknown status and categories not covered)
        return [
            (
                f"{prefix}wrong-parties",
                f"{named} is between {', '.join(sorted(bound))}, "
                f"not {' and '.join(missing_parties)}"
                + _own_contract_hint(ctx, flow, role, sender, recipient, agreement),
                ("agreement",),
            )
        ]
    # a processor contract's terms: where the organisation's own law sets the duty but lists
    # no terms (revFADP Art. 9), a finding on them says whose standard it follows (auditor
    # review 2026-12-03o, problem 2)
    standard = judged.terms_standard() if role is Role.PROCESSOR else None
    terms = f" ({standard})" if standard else ""
    if agreement.categories:
        uncovered = judged.uncovered(agreement, flow.categories)
        covers = f"{named} does not cover"
    else:
        # no categories recorded: the map shows it covering nothing, and says so, so a
        # reader checks the record, not only the contract (auditor review 2026-12-03g, 7)
        uncovered = list(flow.categories)
        covers = f"{named} lists no categories (categories:), so it covers none of"
    if uncovered:
        problems.append(
            (
                f"{prefix}categories-not-covered",
                f"{covers} {', '.join(sorted(uncovered))}"
                + ("" if agreement.categories else ": record the categories it covers")
                + terms,
                ("categories",),
            )
        )
    if agreement.purposes and flow.purpose not in agreement.purposes:
        problems.append(
            (
                f"{prefix}purpose-not-covered",
                f"{named} does not cover the purpose '{flow.purpose}'{terms}",
                ("purpose",),
            )
        )
    return problems


def _standing(ctx: Context, rule: AgreementRule, agreement: Agreement, role: Role) -> list[Problem]:
    """An agreement's problems that no flow changes: its status, its dates on the audit
    date, and whether its kind is one the recipient's role needs."""
    prefix = _PREFIX.get(role, "")
    problems: list[Problem] = []
    where = ("agreement",)
    named = f"agreement '{agreement.id}'"
    as_of = ctx.as_of
    if agreement.status is AgreementStatus.UNKNOWN:
        problems.append(
            (
                f"{prefix}unknown-status",
                f"{named} is recorded with status unknown: no evidence that it exists or is signed",
                where,
            )
        )
    elif agreement.status is AgreementStatus.DRAFT:
        problems.append((f"{prefix}draft", f"{named} is a draft, not signed", where))
    else:
        if not_yet_in_force(agreement, as_of):
            problems.append(
                (
                    f"{prefix}not-yet-in-force",
                    f"{named} is signed on {agreement.signed_on}, after the audit date {as_of}",
                    where,
                )
            )
        if expired(agreement, as_of):
            problems.append(
                (f"{prefix}expired", f"{named} expired on {agreement.expires_on}", where)
            )
    allowed = rule.required_kinds.get(role, [])
    if allowed and agreement.kind not in allowed:
        wanted = " or ".join(k.value for k in allowed)
        # an agreement of the wrong kind is no agreement the role needs, whatever its status
        # and dates: one problem, one fix (sign the right kind), its standing said in it, not
        # a second finding on the same flow (review s16: a payment processor's data sharing
        # agreement of unknown status was a HIGH wrong-kind and a MEDIUM unknown-status)
        standing = ", and ".join(text.removeprefix(f"{named} ") for _c, text, _w in problems)
        problems = [
            (
                f"{prefix}wrong-kind",
                f"{_required(ctx, role)} ({wanted}); {named} is {agreement.kind.value}"
                + (f", and {standing}" if standing else ""),
                where,
            )
        ]
    return problems


CHECK = Check(AgreementRule, SUMMARY, evaluate)
