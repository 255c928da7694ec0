"""Notice content: the privacy notice says each item Art. 13 (and Art. 14, for data obtained
from others) requires, as listed in the legal table, whenever the map shows the item applies
(transfers abroad, consent, legitimate interests, data from third parties) in the processing
it does as a controller: a flow of data it holds only as another controller's processor, or an
independent controller's own onward flow, asks nothing of its notice; a Swiss notice
only the items revFADP Art. 19 asks, each cited to it (the table's ``elsewhere`` rows). Data
the organisation's own processor sends back (a hosted CRM syncing) is the organisation's own
collection, held for it, not data obtained from others: only an inbound flow from a party that
is not its processor (another controller, a broker) asks for the Art. 14 items; one from a
party whose role is not recorded is taken as such a source, and the finding says so. The map
records what the notice says under organisation.notice_content: the notice's words,
``{says, lacks}`` where it covers an item only in part (the finding says what is missing), or
null where it is silent; an item the map does not record at all is reported as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flowaudit.checks.base import Check, Context, Outcome, RowUse, listed, summary_of
from flowaudit.checks.result import Evaluation, Finding
from flowaudit.checks.transfer import judge_transfer
from flowaudit.model.schema import NoticeStatement, Role
from flowaudit.policies.legal import Art14Exemption
from flowaudit.policies.schema import NoticeContentRule

SUMMARY = summary_of(__doc__)


def _conditions(
    ctx: Context,
) -> tuple[set[str], list[str], list[tuple[str, Art14Exemption]], list[str]]:
    """Which conditions of notice items the map makes true; when data comes from others
    only on flows from parties of unrecorded role, those flows (what the Art. 14 findings rest
    on, said in them); and the flows that bring data from others on a ground of Art. 14(5)
    the flow names (``art14_exemption``), which ask no Art. 14 item (DPO review 2026-12-03u,
    problem 10), each with its row; and the flows that bring data from others, which the
    Art. 14 findings name (newcomer review s18: a finding that asked the Art. 14 items did
    not say which flow made them apply)."""
    index = ctx.index
    regime = index.organisation.regime.value
    exemptions = ctx.legal.art14_exemptions
    exempt: list[tuple[str, Art14Exemption]] = []
    found = {"always"}
    others: list[str] = []  # inbound flows from a party known not to be the org's processor
    unknown: list[str] = []  # inbound flows from a party whose role is not recorded
    # the parties the organisation sends data to: only such a processor can be sending back
    # what it holds for the organisation; a "processor" the organisation sends nothing (a
    # list broker so labelled) is a source of others' data (attack review 2026-12-03p, 7)
    # and what it sends each: a "processor" returns only what it was given; a category it
    # sends that the organisation never sent it is obtained from others (attack review
    # 2026-12-03q, problem 4: one dedupe flow of emails made a broker's names "returned")
    sent_to: dict[str, set[str]] = {}
    for facts in index.flow_facts:
        if facts.direction == "outbound":
            sent_to.setdefault(facts.recipient.party_id, set()).update(facts.flow.categories)
    covered = ctx.facts.taxonomy.covered
    held_as_processor = ctx.facts.held_as_processor
    theirs = ctx.facts.basis_not_ours
    for facts in index.flow_facts:
        flow = facts.flow
        direction = facts.direction
        # Art. 13 is the controller's duty (Art. 13(1), 28(3)(a), 29): a flow the organisation
        # makes or receives only as another controller's processor (its intake, the return
        # to its client, the hand-over to its sub-processor), or an independent controller's
        # own, asks its notice nothing about bases or transfers; the client tells its own
        # people (DPO review 2026-12-03r, problem 4: a processor's notice was asked about the
        # transfers and the legitimate interests of data it holds for its client)
        as_controller = not (
            flow.id in theirs
            or (direction == "inbound" and flow.recipient_role is Role.PROCESSOR)
            or held_as_processor(flow)
        )
        if as_controller and flow.basis == "consent":
            found.add("consent")
        if as_controller and flow.basis == "legitimate_interests":
            found.add("legitimate_interests")
        if direction == "inbound" and flow.recipient_role is not Role.PROCESSOR:
            # (the organisation receiving as a processor collects nothing for itself) data
            # the organisation's own processor holds for it and sends back is its own
            # collection, not obtained from others (Art. 14; Art. 28(3)(a), 29): DPO review
            # 2026-12-03o, problem 4
            party = index.parties.get(facts.sender)
            role = party.role if party is not None else None
            exemption = exemptions.get(flow.art14_exemption or "")
            if exemption is not None and not exemption.honoured_on(flow.basis):
                exemption = None  # not credible on its basis: not honoured (warned of)
            if exemption is not None and regime in exemption.regimes:
                # a ground of Art. 14(5) the map names: Art. 14(1)-(4) do not apply to it,
                # whoever sends it (a claim the gate reviews)
                exempt.append((flow.id, exemption))
            elif role is None:
                unknown.append(flow.id)
            elif role is not Role.PROCESSOR or not all(
                covered(c, sent_to.get(facts.sender, set())) for c in flow.categories
            ):
                others.append(flow.id)
        if (
            as_controller
            and direction in ("outbound", "internal")
            and judge_transfer(ctx, flow) is not None
        ):
            found.add("transfers")
    if others or unknown:
        found.add("indirect")
    return found, [] if others else unknown, exempt, others


def evaluate(ctx: Context, rule: NoticeContentRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    content = organisation.notice_content
    items = ctx.legal.bases.notice_items
    # each item is asked as the organisation's own law asks it, or not at all (DPO review
    # 2026-12-03o, problem 3: a Swiss notice was asked the GDPR's Art. 13 items)
    regime = organisation.regime.value
    if content is None:
        gdpr = any(regime in item.regimes for item in items)
        outcome.fail(
            element,
            "not-recorded",
            "what the privacy notice says is not recorded (notice_content), so its "
            + ("Art. 13/14 items cannot" if gdpr else "items cannot")
            + " be checked",
        )
        return outcome
    known = {item.id for item in items}
    for key in content:
        if key not in known:
            outcome.fail(
                element,
                "unknown-item",
                f"'{key}' is not a notice item of the legal table; "
                f"known: {', '.join(sorted(known))}",
                ("notice_content", key),
            )
    applies, unknown, exempt, others = _conditions(ctx)
    relied: list[str] = []  # the UNCONFIRMED rows of the items the notice gives
    if exempt and "indirect" not in applies:
        # no Art. 14 item asked because of the grounds the flows name: the pass says so
        _exempt(ctx, outcome, element, exempt, relied)
    # Art. 14 asked only because of senders of unrecorded role: the finding says so
    because = ""
    if others:
        flows = f"flow {others[0]} brings" if len(others) == 1 else f"flows {listed(others)} bring"
        because = (
            f"; asked because {flows} data from others (a party that is not the "
            "organisation's processor, or data the organisation never sent that processor)"
        )
    elif unknown:
        flows = f"flow {unknown[0]}" if len(unknown) == 1 else f"flows {listed(unknown)}"
        because = (
            f"; asked because {flows} brings data from a party whose role is not recorded, "
            "taken as a source other than the organisation's processor (record role: "
            "processor on a party that only returns the organisation's own data)"
        )
    for item in items:
        asked = item.asked(regime, ctx.as_of)
        if asked is None or item.applies_if not in applies:
            continue
        name, source, mark = asked
        marks = (mark,) if mark else ()
        if item.id not in content:
            outcome.fail(
                element,
                "item-unknown",
                f"whether the notice gives {name.lower()} ({source}) is not recorded "
                f"(notice_content: {item.id})" + (because if item.applies_if == "indirect" else ""),
                ("notice_content",),
                unconfirmed=marks,
            )
            continue
        said = content[item.id]
        if not said:
            outcome.fail(
                element,
                "item-missing",
                f"the notice does not give {name.lower()} ({source})"
                + (because if item.applies_if == "indirect" else ""),
                ("notice_content", item.id),
                unconfirmed=marks,
            )
        elif isinstance(said, NoticeStatement):
            # the notice covers the item in part: say what it gives and what it lacks
            # what it lacks on the audit date: a safeguard it names may have been valid then
            lacking = [said.lacks] + [
                f"since {dated.since}, {dated.lacks}"
                for dated in said.lacks_since
                if dated.since <= ctx.as_of
            ]
            outcome.fail(
                element,
                "item-incomplete",
                f'the notice gives only part of "{name.lower()}" ({source}): it says '
                f"{said.says}, but lacks {'; and '.join(lacking)}"
                + (because if item.applies_if == "indirect" else ""),
                ("notice_content", item.id, "lacks"),
                unconfirmed=marks,
            )
        else:
            relied.extend(marks)
    if relied:
        outcome.relied[element] = tuple(relied)
    return outcome


def _exempt(
    ctx: Context,
    outcome: Outcome,
    element: tuple[str, str],
    exempt: list[tuple[str, Art14Exemption]],
    relied: list[str],
) -> None:
    """What a pass takes on trust where every flow that brings data from others names a
    ground of Art. 14(5): the ground, its source and what it claims, per flow; an UNCONFIRMED
    row is relied on."""
    regime = ctx.index.organisation.regime.value
    notes = list(outcome.assumed.get(element, ()))
    for flow_id, exemption in exempt:
        read = exemption.read_as(regime)
        notes.append(
            f"{flow_id}: the Art. 14 items are not asked for the data it brings: "
            f"{exemption.name[0].lower()}{exemption.name[1:]} ({read.source}), taken on trust "
            f"{exemption.claimed}, which the map cannot show"
        )
        if exemption.unconfirmed:
            mark = f"{exemption.id} ({read.source})"
            if mark not in relied:
                relied.append(mark)
    outcome.assumed[element] = tuple(notes)


def _warn(ctx: Context, rules: Sequence[NoticeContentRule]) -> list[str]:
    """A warning at the ``art14_exemption`` of each flow that names a ground of Art. 14(5)
    the legal table says is credible only on other lawful bases (``only_with_bases``):
    ``obtained_by_law`` on broker leads bought on legitimate interests (DPO review v, point 4)
    or on contract (DPO review w, problem 6) cleared the Art. 14 items in silence. The ground
    is not honoured there, and the warning says why, naming the basis found. Once per flow,
    in map order, where a rule of the kind judges the organisation's regime."""
    index = ctx.index
    regime = index.organisation.regime.value
    if not any(not rule.regimes or regime in rule.regimes for rule in rules):
        return []
    locate = ctx.facts.loaded.sources.locate
    warnings = []
    for flow in index.data.flows:
        exemption = ctx.legal.art14_exemptions.get(flow.art14_exemption or "")
        if exemption is None or regime not in exemption.regimes:
            continue
        if exemption.honoured_on(flow.basis):
            continue
        where = locate(("flows", flow.id), ("art14_exemption",))
        found = f"on the basis '{flow.basis}'" if flow.basis else "with no lawful basis named"
        warnings.append(
            f"{where}: flow '{flow.id}' names art14_exemption '{exemption.id}' "
            f"({exemption.read_as(regime).source}) {found}: {exemption.only_with}; it is "
            f"honoured only on {' or '.join(exemption.only_with_bases)}, not on this flow, so "
            "the notice's Art. 14 items stay asked for the data it brings: give them, or name "
            "the ground that holds"
        )
    return warnings


#: The item a finding of "item-unknown" names, in its message (its field is the whole
#: ``notice_content``, where the item is not recorded at all).
_UNKNOWN_ITEM = re.compile(r"\(notice_content: (\w+)\)")


def item_of(finding: Finding) -> str | None:
    """The notice item a finding of the kind is about, or None (the notice not recorded)."""
    if len(finding.field) > 1 and finding.field[0] == "notice_content":
        return str(finding.field[1])
    if finding.code == "item-unknown":
        named = _UNKNOWN_ITEM.search(finding.message)
        return named[1] if named else None
    return None


def _rows_used(
    ctx: Context,
    rules: Sequence[NoticeContentRule],
    findings: Sequence[Finding],
    passed: Sequence[Evaluation],
) -> list[RowUse]:
    """The notice items of the legal table the kind's verdicts rest on: each item asked of
    the organisation on the audit date, counted by the findings about it and by every pass
    (a pass finds each item asked given); an item asked under a law marked UNCONFIRMED is
    left to the marks (auditor review s2, problem 3: six findings rested on rows "Legal
    table used" did not list)."""
    ids = {rule.id for rule in rules}
    about: dict[str, int] = {}
    for finding in findings:
        if not ids.isdisjoint(finding.rule_ids):
            named = item_of(finding)
            if named is not None:
                about[named] = about.get(named, 0) + 1
    passes = sum(1 for e in passed if e.rule_id in ids)
    regime = ctx.index.organisation.regime.value
    applies = _conditions(ctx)[0] if passes else set()
    used = []
    for item in ctx.legal.bases.notice_items:
        asked = item.asked(regime, ctx.as_of)
        if asked is None or asked[2] is not None:
            continue  # not asked, or asked under an UNCONFIRMED row: its marks name it
        counted = about.get(item.id, 0)
        judged = passes if item.applies_if in applies else 0
        if counted or judged:
            name, source, _ = asked
            used.append(
                RowUse(f"notice_content.{item.id}", name, None, source, False, counted, judged)
            )
    return used


CHECK = Check(NoticeContentRule, SUMMARY, evaluate, warn=_warn, rows_used=_rows_used)
