"""Notice content: the privacy notice says each item Art. 13 (and Art. 14, for data obtained
from others) requires, as listed in the legal table, whenever the map shows the item applies
(transfers abroad, consent, legitimate interests, data from third parties); a Swiss notice
only the items revFADP Art. 19 asks, each cited to it (the table's ``elsewhere`` rows). The
map records what the notice says under organisation.notice_content: the notice's words,
``{says, lacks}`` where it covers an item only in part (the finding says what is missing), or
null where it is silent; an item the map does not record at all is reported as unknown.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.checks.transfer import judge_transfer
from flowaudit.model.schema import NoticeStatement
from flowaudit.policies.schema import NoticeContentRule

SUMMARY = summary_of(__doc__)


def _conditions(ctx: Context) -> set[str]:
    """Which conditions of notice items the map makes true."""
    index = ctx.index
    found = {"always"}
    for facts in index.flow_facts:
        flow = facts.flow
        if flow.basis == "consent":
            found.add("consent")
        if flow.basis == "legitimate_interests":
            found.add("legitimate_interests")
        direction = facts.direction
        if direction == "inbound" and flow.recipient_role is None:
            found.add("indirect")
        if direction in ("outbound", "internal") and judge_transfer(ctx, flow) is not None:
            found.add("transfers")
    return found


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
    applies = _conditions(ctx)
    relied: list[str] = []  # the UNCONFIRMED rows of the items the notice gives
    for item in items:
        asked = item.asked(regime)
        if asked is None or item.applies_if not in applies:
            continue
        name, source, mark = asked
        marks = (mark,) if mark else ()
        if item.id not in content:
            outcome.fail(
                element,
                "item-unknown",
                f"whether the notice gives {name.lower()} ({source}) is not recorded "
                f"(notice_content: {item.id})",
                ("notice_content",),
                unconfirmed=marks,
            )
            continue
        said = content[item.id]
        if not said:
            outcome.fail(
                element,
                "item-missing",
                f"the notice does not give {name.lower()} ({source})",
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
                f"{said.says}, but lacks {'; and '.join(lacking)}",
                ("notice_content", item.id, "lacks"),
                unconfirmed=marks,
            )
        else:
            relied.extend(marks)
    if relied:
        outcome.relied[element] = tuple(relied)
    return outcome


CHECK = Check(NoticeContentRule, SUMMARY, evaluate)
