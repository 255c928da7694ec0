"""Onward: data the organisation sends out is followed through every chain of flows that
carries it on (A -> B -> C, the categories narrowing hop by hop). A chain that reaches a
third country without a lawful transfer, or a forbidden kind of recipient, is reported on
the organisation's own flow, with the whole path and the country of each hop, unless the hop's
own flow already carries that finding (the transfer rule judges every restricted transfer from
an exporter inside a regime, hops included): one problem, one finding, on the flow to fix. A
hop from an importer in a third country (no regime of its own in the table) to another third
country is an onward transfer in Art. 44's sense: it needs adequacy under the organisation's
own regime, or an onward safeguard recorded on the hop (the DPF's onward transfer principle
and the IDTA's onward clauses ask the importer for a contract passing the protection on).
"""

from __future__ import annotations

from collections.abc import Sequence

from flowaudit.checks.base import (
    Check,
    CheckInputError,
    Context,
    Outcome,
    Settled,
    a_or_an,
    map_budget,
    summary_of,
)
from flowaudit.checks.result import Finding
from flowaudit.checks.transfer import (
    exporter_regime,
    judge_transfer,
    unconfirmed_label,
    why_not_in_force,
)
from flowaudit.model.paths import SearchBudgetExceeded
from flowaudit.model.schema import Flow
from flowaudit.policies.schema import OnwardRule

SUMMARY = summary_of(__doc__)

#: The chain search's budget, in category comparisons: a base plus a share per flow, so big
#: honest maps pass (dense 5,000 flows spend 0.27 M, hub 20,000 3 M) and a map whose chains carry
#: exponentially many category sets stops in about a second instead of running for hours.
#: FLOWAUDIT_ONWARD_BUDGET replaces the base.
BUDGET = 10_000_000
BUDGET_PER_FLOW = 1_000


def budget(flows: int) -> int:
    """The category comparisons one onward rule may spend on a map of ``flows`` flows."""
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
    listings = importer.listed_under if importer is not None else []
    remembered: dict[tuple[str, ...], tuple[bool, str, tuple[str, ...]]] = ctx.memo.setdefault(
        "onward.third-country", {}
    )
    key = (origin, country, *listings)
    known = remembered.get(key)
    if known is None:
        row, unlisted = legal.adequacy_for(origin, country, ctx.as_of, listings)
        hint = (
            f"; {country} is adequate only for importers listed under {unlisted.requires_listing}"
            if unlisted is not None
            else ""
        )
        marks = tuple(
            sorted(
                {unconfirmed_label(r) for r in legal.rows_about(origin, country) if r.unconfirmed}
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
    mechanism = legal.mechanisms.get(flow.transfer_mechanism or "")
    if mechanism is not None:
        # a recorded safeguard is taken as recorded (its terms are the importer's), unless
        # the table says it is none at all or no longer exists
        if not mechanism.is_mechanism:
            return f"{hop} rests on {mechanism.name}, which is not a transfer mechanism", marks
        if not mechanism.in_force(ctx.as_of):
            why = why_not_in_force(mechanism, ctx.as_of)
            return f"{hop} rests on {mechanism.name}, {why}", marks
        return None
    if flow.transfer_mechanism is not None or flow.transfer_agreement is not None:
        return None  # an onward safeguard is recorded
    exporter = f"{a_or_an(origin)} {origin} exporter"
    return (
        f"{hop} has no adequacy for {exporter} on {ctx.as_of} and no onward safeguard "
        f"recorded on the hop (transfer_mechanism or transfer_agreement){hint}",
        marks,
    )


def evaluate(ctx: Context, rule: OnwardRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    # The links a chain follows: neither end the organisation's (its own flows are judged by
    # the other rules). Each is judged once; a chain is reported at its first bad hop type.
    followed = ctx.facts.flows_in_direction("onward")
    # flow id -> (code, what is wrong with the hop, unconfirmed legal rows the verdict uses)
    problems: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    # the transfer code of each third-country hop, for the post-pass
    hop_codes: dict[str, str] = {}
    for flow in followed:
        recipient = index.nodes[index.party_of(flow.target)]
        if recipient.kind in rule.forbidden_recipient_kinds:
            problems[flow.id] = ("forbidden-recipient", recipient.name, ())
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
    hops: dict[tuple[tuple[str, str], tuple[str, ...]], tuple[str, str]] = ctx.memo.setdefault(
        f"onward.hops:{rule.id}", {}
    )
    allowed = budget(len(index.data.flows))
    search = ctx.facts.reachability.chains(followed, set(problems), allowed)
    for facts in ctx.matching_facts(rule):
        if facts.direction != "outbound":
            continue
        start = facts.flow
        element = ("flows", start.id)
        outcome.evaluated.append(element)
        if not search.reachable(start.target):
            continue  # no chain from the recipient can reach a bad hop
        reached: set[str] = set()  # each place once per start: its shortest bad chain
        try:
            chains = search.chains(start.target, tuple(start.categories), rule.max_hops - 1)
        except SearchBudgetExceeded:
            raise CheckInputError(
                element,
                "categories",
                f"{rule.id}: the onward chains from flows/{start.id} carry too many distinct "
                f"sets of categories to follow within {allowed:,} category comparisons "
                "(give the flows of a chain the same categories, or raise "
                "FLOWAUDIT_ONWARD_BUDGET)",
            ) from None
        for chain in chains:
            path = [start, *chain.flows]
            onward = path[-1]
            node_path = (start.source, *(f.target for f in path))
            if node_path[-1] in node_path[:-1] or onward.target in reached:
                continue  # back to a place the data already reached, or already reported
            reached.add(onward.target)
            narrowed = ", ".join(chain.carried)
            code, detail, marks = problems[onward.id]
            if code == "forbidden-recipient":
                recipient = index.nodes[index.party_of(onward.target)]
                message = (
                    f"{narrowed} reaches {detail}, a forbidden {recipient.kind} recipient: "
                    f"{_describe(ctx, path)}"
                )
            else:
                message = (
                    f"{narrowed} reaches {index.nodes[onward.target].country} through "
                    f"{_describe(ctx, path)}; hop '{onward.id}': {detail}"
                )
            if onward.id in hop_codes:
                hops[element, node_path] = (onward.id, hop_codes[onward.id])
            outcome.fail(element, code, message, path=node_path, unconfirmed=marks)
    return outcome


def settle(ctx: Context, rules: Sequence[OnwardRule], findings: list[Finding]) -> Settled:
    """Leave out a chain's finding whose bad hop another rule reports on the hop's own flow
    with the same code (the transfer rule's, on a processor's flow to its sub-processor): one
    missing mechanism is one problem, reported once, on the flow that needs it."""
    ids = {rule.id for rule in rules}
    reported = {(f.element, f.code) for f in findings if f.rule_id not in ids}
    if not reported:
        return Settled(findings)
    kept = []
    for finding in findings:
        if finding.rule_id in ids and finding.code == "third-country":
            hops = ctx.memo.get(f"onward.hops:{finding.rule_id}", {})
            hop = hops.get((finding.element, finding.path))
            if hop is not None and (("flows", hop[0]), hop[1]) in reported:
                continue
        kept.append(finding)
    return Settled(kept)


CHECK = Check(OnwardRule, SUMMARY, evaluate, after=settle)
