"""Onward: data the organisation sends out is followed through every chain of flows that carries
it on (A -> B -> C, the categories narrowing hop by hop). A hop that takes it to a third
country without a lawful transfer, or to a forbidden kind of recipient, is reported once, on
the hop's own flow (where the safeguard is recorded or the sharing stops), with the shortest
whole path from the organisation, the country of each hop and the organisation's flows whose
data reaches it: one problem, one finding, however many of our flows lead to it. A hop whose
own flow already carries that finding (the transfer rule judges every restricted transfer from
an exporter inside a regime, hops included) is left to it. A hop that takes data back to a
place that had it (a backup restored to its host) is still a transfer of its own and is
reported: discounting it let a change hide a hop's data (review 2026-12-02). A hop from an
importer in a third country (no regime of its own in the table) to another third country is an
onward transfer in Art. 44's sense: it needs adequacy under the organisation's own regime, or
an onward safeguard recorded on the hop (the DPF's onward transfer principle and the IDTA's
onward clauses ask the importer for a contract passing the protection on). A controller's
export of data it holds as a controller (by the role on the flows that brought it the data) is
its own transfer, not a hop carrying the organisation's data abroad: it is not judged as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from flowaudit.checks.base import (
    LIST_LIMIT,
    Check,
    CheckInputError,
    Context,
    Outcome,
    Settled,
    a_or_an,
    explicit_consent_gap,
    map_budget,
    summary_of,
)
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.checks.transfer import (
    claimed_adequacy,
    exporter_regime,
    judge_transfer,
    unconfirmed_label,
    why_not_in_force,
)
from flowaudit.model.loader import ElementRef
from flowaudit.model.paths import Reached, SearchBudgetExceeded
from flowaudit.model.schema import Flow
from flowaudit.model.taxonomy import ancestors, covered
from flowaudit.policies.legal import Mechanism
from flowaudit.policies.schema import OnwardRule

SUMMARY = summary_of(__doc__)

#: The chain search's budget, in steps (one category followed over one link): a base plus a
#: share per flow, so big honest maps pass (dense 5,000 flows spend 41,000 steps, hub 100,000
#: 115,000) and a map built to make the search work (many categories, many hops) stops in
#: seconds instead of running for hours. FLOWAUDIT_ONWARD_BUDGET replaces the base.
BUDGET = 10_000_000
BUDGET_PER_FLOW = 100


def budget(flows: int) -> int:
    """The steps one onward rule may spend on a map of ``flows`` flows."""
    return int(map_budget(flows, "FLOWAUDIT_ONWARD_BUDGET", BUDGET, BUDGET_PER_FLOW, int))


def _describe(ctx: Context, hops: list[Flow]) -> str:
    nodes = ctx.index.nodes
    steps = [f"{hops[0].source} ({nodes[hops[0].source].country})"]
    steps += [f"{flow.target} ({nodes[flow.target].country})" for flow in hops]
    return " -> ".join(steps)


def _from_third_country(ctx: Context, flow: Flow) -> tuple[str, tuple[str, ...]] | None:
    """What is wrong with an onward hop whose sender is in a third country (the transfer rule
    judges only exporters inside a regime), with the unconfirmed rows the verdict relies on;
    None when the hop is lawful or no transfer. The destination is judged by the
    organisation's regime on the audit date: the chain started there, and its protection
    must travel with the data (Art. 44, "including for onward transfers")."""
    index = ctx.index
    nodes = index.nodes
    source = nodes[flow.source]
    target = nodes[flow.target]
    country = target.country
    if country == source.country:
        return None  # no border crossed
    legal = ctx.legal
    origin = legal.effective_regime(index.organisation.regime.value, ctx.as_of)
    if country in legal.inside(origin, ctx.as_of):
        return None  # back inside the organisation's regime
    importer = index.parties.get(target.party_id)
    listings = index.listed_under(target.party_id)
    remembered: dict[tuple[str, ...], tuple[bool, str, tuple[str, ...]]] = ctx.memo.setdefault(
        "onward.third-country", {}
    )
    kind = importer.kind if importer is not None else ""
    key = (origin, country, kind, *listings)
    known = remembered.get(key)
    if known is None:
        row, unlisted = legal.adequacy_for(origin, country, ctx.as_of, listings)
        hint = (
            f"; {country} is adequate only for importers listed under {unlisted.requires_listing}"
            if unlisted is not None
            else ""
        )
        excluded = None
        if row is not None and row.excludes_kind(kind):
            # an adequacy the map shows does not cover this importer (Canada's, a public
            # body): as the direct transfer judges it (attack review 2026-12-03q, problem 2)
            hint += row.excluded_words(country, kind)
            excluded, row = row, None
        marks = tuple(
            sorted(
                {unconfirmed_label(r) for r in legal.doubted_absence(origin, country, ctx.as_of)}
                # the listing named as the way to adequacy relies on its row in force
                | (
                    {unconfirmed_label(unlisted)}
                    if unlisted is not None and unlisted.doubts()
                    else set()
                )
                # the row's reading of whom it covers (Japan's: lawyer review s18)
                | (
                    {unconfirmed_label(excluded)}
                    if excluded is not None and excluded.doubts(("not_for_kinds",))
                    else set()
                )
            )
        )
        known = remembered[key] = (row is not None, hint, marks)
    adequate, hint, marks = known
    if adequate:
        return None  # adequate for the organisation's regime
    sender = nodes[source.party_id]
    hop = (
        f"onward transfer from {source.country} ({sender.name}, an importer in a third "
        f"country) to {country} ({target.name})"
    )
    if flow.transfer_agreement is not None:
        # the agreement's terms are the importer's, but a draft or lapsed one protects nothing
        state = ctx.facts.transfer_agreement_state(flow) or "not in the map"
        if state not in ("in force", "expiring soon"):
            return (
                f"{hop} rests on transfer agreement '{flow.transfer_agreement}', {state} on "
                f"{ctx.as_of}: no safeguard until it is signed and in force",
                marks,
            )
        agreement = index.agreements[flow.transfer_agreement]
        outside = [
            party for party in (source.party_id, target.party_id) if party not in agreement.parties
        ]
        if outside:
            return (
                f"{hop} rests on transfer agreement '{agreement.id}', to which "
                f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} no party",
                marks,
            )
        beyond = [c for c in flow.categories if not covered(c, agreement.categories)]
        if agreement.categories and beyond:
            return (
                f"{hop} rests on transfer agreement '{agreement.id}', which does not cover "
                f"{', '.join(beyond)}",
                marks,
            )
    mechanism = legal.mechanisms.get(flow.transfer_mechanism or "")
    if mechanism is not None:
        # a recorded safeguard is taken as recorded (its terms are the importer's), unless
        # the table says it is none at all, no longer exists, or cannot carry this hop
        if not mechanism.is_mechanism:
            return f"{hop} rests on {mechanism.name}, which is not a transfer mechanism", marks
        if not mechanism.in_force(ctx.as_of):
            why = why_not_in_force(mechanism, ctx.as_of)
            return f"{hop} rests on {mechanism.name}, {why}", marks
        unmet = _mechanism_unmet(ctx, flow, mechanism, listings)
        if unmet is not None:
            return f"{hop} rests on {mechanism.name}, {unmet}", marks
        return None
    if flow.transfer_mechanism is not None or flow.transfer_agreement is not None:
        return None  # an onward safeguard is recorded
    exporter = f"{a_or_an(origin)} {origin} exporter"
    return (
        f"{hop} has no adequacy for {exporter} on {ctx.as_of} and no onward safeguard "
        f"recorded on the hop (transfer_mechanism or transfer_agreement){hint}",
        marks,
    )


def _mechanism_unmet(
    ctx: Context, flow: Flow, mechanism: Mechanism, listings: list[str]
) -> str | None:
    """What keeps a mechanism named on an onward hop from a third country from carrying it,
    as the legal table reads the mechanism itself (its terms are the importer's and are taken
    as recorded): a destination it does not cover (the UK Extension or the DPF, for US
    importers only), a listing the recipient lacks, a contract mechanism with no signed
    agreement of its kind on the hop, explicit consent not shown for the flow's purpose, an
    Art. 49 derogation naming no ground. None when nothing does. A bare name let any hop pass:
    a US processor's sub-processor in India "on the UK Extension" was judged lawful (lawyer
    review s16, problem 1)."""
    country = ctx.index.nodes[flow.target].country
    if mechanism.destinations and country not in mechanism.destinations:
        return f"which covers transfers to {', '.join(mechanism.destinations)} only, not {country}"
    if mechanism.requires_listing and mechanism.requires_listing not in listings:
        return (
            f"but the recipient is not marked as listed under {mechanism.requires_listing} "
            "(listed_under on the party)"
        )
    if mechanism.agreement_kinds:
        agreement = ctx.index.agreements.get(flow.transfer_agreement or "")
        if agreement is None or agreement.kind.value not in mechanism.agreement_kinds:
            return (
                f"but no {' or '.join(mechanism.agreement_kinds)} agreement is linked as the "
                "hop's transfer_agreement: record the onward contract once you have seen it"
            )
    if mechanism.requires_explicit_consent:
        _, _, gap = explicit_consent_gap(ctx, flow)
        if gap is not None:
            return f"which needs the person's explicit consent to the transfer; {gap}"
    if mechanism.grounds and not any(g.id == flow.derogation for g in mechanism.grounds):
        known = ", ".join(g.id for g in mechanism.grounds)
        return f"which needs the ground it rests on named as the hop's derogation (one of {known})"
    return None


def _problems(ctx: Context, rule: OnwardRule) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Per onward link that is a bad hop: (code, what is wrong with it, the unconfirmed legal
    rows the verdict uses). Each link is judged once, by its first problem type; the transfer
    code of each third-country hop is kept for the post-pass."""
    index = ctx.index
    problems: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    hop_codes: dict[str, str] = ctx.memo.setdefault(f"onward.hops:{rule.id}", {})
    theirs = ctx.facts.held_as_controller
    outside = ctx.facts.outside_instructions
    for flow in ctx.facts.flows_in_direction("onward"):
        recipient = index.nodes[index.party_of(flow.target)]
        if rule.forbids_kind(recipient.kind):
            problems[flow.id] = ("forbidden-recipient", recipient.name, ())
            continue
        if flow.id in theirs:
            continue  # a controller's export of its own data (DPO review x, problem 2)
        if flow.id in outside:
            # a processor's use of the data for a purpose another party decides: its own
            # export as a controller (Art. 28(10)), found by GDPR-SUBPROCESSING (lawyer
            # review s9, problem 1)
            continue
        transfer = judge_transfer(ctx, flow)
        # a fault of the record alone (a safeguard named wrongly) leaves the transfer lawful
        blocking = [p for p in transfer or () if not p.record_only]
        if blocking:
            problems[flow.id] = ("third-country", blocking[0].message, blocking[0].unconfirmed)
            hop_codes[flow.id] = blocking[0].code
        elif transfer is None and exporter_regime(ctx, flow) is None:
            hop = _from_third_country(ctx, flow)
            if hop is not None:  # no other rule judges this hop: the chain's finding says it
                problems[flow.id] = ("third-country", *hop)
    return problems


def _claimed_groups(ctx: Context) -> tuple[list[str], list[set[str]]]:
    """The conditions ``_claimed_hops`` names, sorted, and per condition the hops that pass on
    it."""
    hops_by_fact: dict[str, set[str]] = {}
    for hop_id, fact in _claimed_hops(ctx).items():
        hops_by_fact.setdefault(fact, set()).add(hop_id)
    ordered = sorted(hops_by_fact)
    return ordered, [hops_by_fact[fact] for fact in ordered]


def _claimed_hops(ctx: Context) -> dict[str, str]:
    """Per onward hop from a third country that passes on an adequacy with a condition the
    map cannot show (Canada's, for importers subject to PIPEDA: the row's ``claimed``), that
    condition as the transfer rule's pass names it: a pass of the organisation's flow whose
    data reaches the hop rests on it (auditor review 2026-12-03p, problem 10: the direct
    transfer carried the ASSUMED note, the onward hop passed silently)."""
    remembered: dict[str, str] | None = ctx.memo.get("onward.claimed")
    if remembered is not None:
        return remembered
    index = ctx.index
    origin = ctx.legal.effective_regime(index.organisation.regime.value, ctx.as_of)
    inside = ctx.legal.inside(origin, ctx.as_of)
    claimed: dict[str, str] = {}
    for flow in ctx.facts.flows_in_direction("onward"):
        source, target = index.nodes[flow.source], index.nodes[flow.target]
        country = target.country
        if country == source.country or country in inside:
            continue  # no border crossed, or back inside the organisation's regime
        if exporter_regime(ctx, flow) is not None or judge_transfer(ctx, flow) is not None:
            continue  # an exporter inside a regime: the transfer rule's pass says it
        if flow.transfer_mechanism is not None or flow.transfer_agreement is not None:
            continue  # rests on the safeguard recorded on the hop, not on adequacy
        fact = claimed_adequacy(ctx, flow, origin, country)
        if fact is not None and _from_third_country(ctx, flow) is None:
            claimed[flow.id] = fact
    ctx.memo["onward.claimed"] = claimed
    return claimed


def _starts(ctx: Context, rule: OnwardRule) -> list[Flow]:
    """The flows of ours a chain starts from: the outbound flows the rule matches, by id (so
    the flows a finding names do not move when the map's files are reordered)."""
    flows = [f.flow for f in ctx.matching_facts(rule) if f.direction == "outbound"]
    return sorted(flows, key=attrgetter("id"))


def _followed(ctx: Context) -> list[Flow]:
    """The links a chain follows: the onward flows (neither end the organisation's), and from
    each system a third party owns to its owner, as ``trace`` follows them: what reaches a
    vendor's system is held by the vendor, whose own flows can carry it on. An owner link
    narrows nothing (it offers every top-level category)."""
    index = ctx.index
    links = list(ctx.facts.flows_in_direction("onward"))
    organisation = index.organisation.id
    owned = [s for s in index.data.systems if index.party_of(s.owner) != organisation]
    if owned:
        roots = sorted({c.id.split(".")[0] for c in index.data.categories})
        links += [
            Flow.model_construct(
                id=f"{system.id} (held by {system.owner})",
                source=system.id,
                target=system.owner,
                categories=roots,
                subjects=[],
                purpose="held by its owner",
                may_carry=None,
            )
            for system in owned
        ]
    return links


def _reach(reached: Reached, special: set[str]) -> str:
    """Which of the organisation's data reaches a hop, over every route, and from which of
    its flows: the broadest categories (contact, not also contact.email when some route
    carries all of contact), special ones marked."""
    carried = reached.carried
    broadest = [c for c in carried if (ancestors(c) - {c}).isdisjoint(carried)]
    shown = ", ".join(
        f"{c} (special category)" if not ancestors(c).isdisjoint(special) else c for c in broadest
    )
    names = [start.id for start in reached.first]
    if reached.more:
        ours = f"more than {len(names)} of its flows, among them {', '.join(names)}"
    elif len(names) == 1:
        ours = f"its flow {names[0]}"
    else:
        ours = f"{len(names)} of its flows: {', '.join(names)}"
    return f"the organisation's data reaching it: {shown}, from {ours}"


def evaluate(ctx: Context, rule: OnwardRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    # The links a chain follows (``_followed``): neither end the organisation's, its own flows
    # being judged by the other rules.
    followed = _followed(ctx)
    problems = _problems(ctx, rule)
    allowed = budget(len(index.data.flows))
    search = ctx.facts.reachability.chains(followed, set(problems), allowed)
    # Each bad hop is one problem, whichever of our flows leads to it: one finding on the hop,
    # naming our flows whose data reaches it (a hub reached by thousands of our flows is one
    # finding, not one per flow; the search's work grows with the links, not with our flows
    # times the hops they reach).
    starts = _starts(ctx, rule)
    # the assumed conditions' question, asked of this search's pass where it covers them
    # (``_assumed_on_the_way``): on a dense map every node reaches a bad hop
    claimed = _claimed_groups(ctx)
    groups = claimed[1]
    asked = groups if groups and search.covers(set().union(*groups)) else []
    try:
        found = search.reaching(starts, rule.max_hops, LIST_LIMIT, asked)
    except SearchBudgetExceeded:
        raise CheckInputError(
            ("flows", starts[0].id),
            "categories",
            f"{rule.id}: following the onward chains of the organisation's flows takes more "
            f"than {allowed:,} steps (a step: one category over one link; raise "
            "FLOWAUDIT_ONWARD_BUDGET)",
        ) from None
    # a flow of ours whose data reaches a bad hop neither passes (the hop's finding names
    # it) nor fails on its own
    outcome.evaluated.extend(
        ("flows", start.id)
        for position, start in enumerate(starts)
        if position not in found.exposed
    )
    answered = found.groups if asked else None
    _assumed_on_the_way(
        ctx, rule, outcome, followed, starts, found.exposed, allowed, claimed, answered
    )
    special = {c.id for c in index.data.categories if c.special_category}
    for hop_id, reached in found.reached.items():
        path = reached.chain
        onward = path[-1]
        node_path = (path[0].source, *(f.target for f in path))
        code, detail, marks = problems[hop_id]
        if code == "forbidden-recipient":
            recipient = index.nodes[index.party_of(onward.target)]
            problem = f"hop '{hop_id}': {detail} is a forbidden {recipient.kind} recipient"
        else:
            problem = f"hop '{hop_id}': {detail}"
        outcome.fail(
            ("flows", hop_id),
            code,
            f"{problem}; {_reach(reached, special)}; the shortest way: "
            f"{_describe(ctx, list(path))}",
            path=node_path,
            unconfirmed=marks,
            problem=problem,  # the routes that reach the hop move with unrelated edits
        )
    return outcome


def _assumed_on_the_way(
    ctx: Context,
    rule: OnwardRule,
    outcome: Outcome,
    followed: list[Flow],
    starts: list[Flow],
    exposed: frozenset[int],
    allowed: int,
    claimed: tuple[list[str], list[set[str]]],
    answered: Sequence[frozenset[int]] | None = None,
) -> None:
    """Each passing flow of ours whose data reaches an onward hop that passes on a condition
    the map cannot show (``_claimed_hops``) rests on it, as a direct transfer's pass does.
    ``claimed``: the conditions and their hops (``_claimed_groups``), as the bad hops'
    search was asked them; ``answered``: per condition, the starts that reach one of its
    hops, where that search answered it."""
    ordered, groups = claimed
    if not groups:
        return
    # one search per condition (a handful: Canada's), asking only which starts reach one of
    # its hops (``ChainSearch.exposed``: the search's forward and reverse passes, no start
    # carried through its states): linear in the map. Asking for every start that reaches
    # each hop carried all the starts through every state, and the 100k hub map did not
    # finish in 500 s (found by the session's paired timing)
    # the conditions' searches share one forward pass (``ChainSearch.exposed_each``); past
    # its budget, each condition is searched alone, as before
    reachability = ctx.facts.reachability
    try:
        if answered is not None:
            reaches: list[frozenset[int] | None] = list(answered)
        else:
            search = reachability.chains(followed, set().union(*groups), allowed)
            reaches = list(search.exposed_each(starts, rule.max_hops, groups))
    except SearchBudgetExceeded:  # pragma: no cover - the bad-hop search spent less
        reaches = []
        for group in groups:
            try:
                reaches.append(
                    reachability.chains(followed, group, allowed).exposed(starts, rule.max_hops)
                )
            except SearchBudgetExceeded:
                reaches.append(None)
    facts: dict[int, list[str]] = {}
    for fact, reach in zip(ordered, reaches, strict=True):
        if reach is None:
            continue
        for position in sorted(reach - exposed):
            facts.setdefault(position, []).append(fact)
    for position, said in facts.items():
        outcome.assumed[("flows", starts[position].id)] = tuple(said)


def added(base: AuditResult, head: AuditResult, rule: OnwardRule) -> set[ElementRef]:
    """The bad hops a change routes more of the organisation's data to (``check --base``).

    A bad hop already failing at the base is no new problem, and its finding matches the
    base's; but a change that sends more of our data there adds to it, as a new flow to an
    importer without a mechanism is a new finding of the transfer rule. Two ways to see it:

    - what reaches the hop grew: a category no route carried there at the base (a flow of
      ours widened, a link removed or added, whatever the route);
    - a route to the hop goes through a flow the change added or changed (its ends, its
      categories, its subjects or what it may carry): one of ours, whose data is followed
      from it, or an onward link our data reaches, whose data is followed from it (it may be
      the bad hop itself). Such a hop counts even if other routes got there before: the
      change still gives our data a new way to a known bad hop.

    The hop's flow is returned whoever reports it (the onward rule, or the transfer rule on a
    processor's flow to its sub-processor, which the onward rule then leaves to it)."""
    then = Context(base.facts, base.legal)
    ctx = Context(head.facts, head.legal)
    starts = _starts(ctx, rule)
    followed = _followed(ctx)
    problems = _problems(ctx, rule)
    allowed = budget(len(head.loaded.data.flows))
    # one search of the head, asked three questions (its budget spent across them)
    search = ctx.facts.reachability.chains(followed, set(problems), allowed)
    try:
        before = _carried(then, rule, budget(len(base.loaded.data.flows)))
        now = search.reaching(starts, rule.max_hops, 0)
        hops = {
            hop
            for hop, reached in now.reached.items()
            if not all(covered(c, before.get(hop, ())) for c in reached.carried)
        }
        old_starts = {flow.id: _route(flow) for flow in _starts(then, rule)}
        old_links = {flow.id: _route(flow) for flow in _followed(then)}
        ours = [flow for flow in starts if old_starts.get(flow.id) != _route(flow)]
        links = {flow.id: flow for flow in followed if old_links.get(flow.id) != _route(flow)}
        if ours:
            hops.update(search.reaching(ours, rule.max_hops, 0).reached)
        if links:
            # the changed links our data reaches, then what they carry on to
            through = ctx.facts.reachability.chains(followed, set(links), allowed)
            taken = [
                links[link_id] for link_id in through.reaching(starts, rule.max_hops, 0).reached
            ]
            hops.update(link.id for link in taken if link.id in problems)
            hops.update(search.reaching(taken, rule.max_hops - 1, 0).reached)
    except SearchBudgetExceeded:  # past the budget, every bad hop counts: never a silent pass
        hops = set(problems)
    return {("flows", hop) for hop in hops}


def _carried(ctx: Context, rule: OnwardRule, allowed: int) -> dict[str, tuple[str, ...]]:
    """Per bad hop our data reaches, every category that reaches it."""
    search = ctx.facts.reachability.chains(_followed(ctx), set(_problems(ctx, rule)), allowed)
    found = search.reaching(_starts(ctx, rule), rule.max_hops, 0)
    return {hop: reached.carried for hop, reached in found.reached.items()}


def _route(flow: Flow) -> tuple[object, ...]:
    """What decides where a flow may take which data: its ends, its categories, its subjects
    and what it may carry (a new description is no new route)."""
    may = flow.may_carry
    return (
        flow.source,
        flow.target,
        tuple(sorted(flow.categories)),
        tuple(sorted(flow.subjects)),
        None if may is None else (tuple(sorted(may.categories)), tuple(sorted(may.subjects))),
    )


def settle(ctx: Context, rules: Sequence[OnwardRule], findings: list[Finding]) -> Settled:
    """Leave out a chain's finding whose bad hop another rule reports on the hop's own flow
    with the same code (the transfer rule's, on a processor's flow to its sub-processor): one
    missing mechanism is one problem, reported once, on the flow that needs it."""
    ids = {rule.id for rule in rules}
    # only the elements of this kind's third-country findings are asked about: the pairs of
    # every other finding (160,000 on the 100k hub map) were gathered for a few hundred hops
    hops = {f.element for f in findings if f.rule_id in ids and f.code == "third-country"}
    reported = {(f.element, f.code) for f in findings if f.element in hops and f.rule_id not in ids}
    if not reported:
        return Settled(findings)
    kept = []
    for finding in findings:
        if finding.rule_id in ids and finding.code == "third-country":
            code = ctx.memo.get(f"onward.hops:{finding.rule_id}", {}).get(finding.element[1])
            if code is not None and (finding.element, code) in reported:
                continue
        kept.append(finding)
    return Settled(kept)


#: From this many flows the onward rule runs in a process of its own (checks/apart.py): on a
#: dense 100,000-flow map it costs about 3 s, as much as the rules before it in policy order.
APART_FROM = 20_000

#: What the onward rule reads that the agreement, transfer and other rules read as well: the
#: flows' facts, the organisation's processors and each onward flow's capacity, through the
#: flows held as a controller (``MapFacts.held_as_controller``), and the processors' flows
#: outside the organisation's instructions (``outside_instructions``). Worked out before the rule is
#: started apart, not once in each process.
SHARED = ("held_as_controller", "outside_instructions")

CHECK = Check(
    OnwardRule,
    SUMMARY,
    evaluate,
    after=settle,
    added=added,
    apart_from=APART_FROM,
    shared=SHARED,
)
