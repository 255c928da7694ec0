"""Judging a change by what it adds, with each side judged by its own rules.

Findings of HEAD not in BASE are new. A finding of BASE not in HEAD has *gone*, and the gate
says why: *fixed* (the element now passes the same rule), *removed* (the element is gone),
*waived* (a waiver now covers it) or *rule changed* (the rule was removed, switched off,
re-scoped or re-configured, or is no longer selected: a severity change alone makes nothing
go). Findings are matched on (rule, element, code, message),
never on line numbers, which move with every edit; a finding whose message also names the
routes that lead to it (an onward hop's) is matched on its ``problem`` instead, and is new when
the change gives more of the organisation's data a route to it (``Check.added``).

A pull request controls the map and often the policy files too, so whatever can silence a
finding without fixing it is listed as a **change to review**: rule-set changes (a rule
removed, switched off, re-scoped, lowered or re-configured, a policy no longer applied), a
changed ``policies:`` selection, new or longer waivers, and agreements newly marked signed.
A high or critical finding gone as fixed is written into the change that names its element,
or is a change to review of its own (``fixed-unconfirmed``; ``removed-unconfirmed`` for one
gone with its element while another is added, or, a flow's, while its store still declares
the data it carried). Unaccepted changes to review fail the gate
like new findings do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, NamedTuple

from flowaudit.checks.base import listed, short
from flowaudit.checks.result import AuditResult, Finding, Gone, ReviewChange
from flowaudit.checks.store_source import filling, not_brought
from flowaudit.model.graph import FlowFacts
from flowaudit.model.loader import ElementRef, Location
from flowaudit.model.problems import plural
from flowaudit.model.schema import (
    COLLECTIONS,
    AgreementStatus,
    CookiePurpose,
    Flow,
    Role,
    System,
)
from flowaudit.model.taxonomy import ancestors, covered
from flowaudit.policies.schema import RuleBase, Severity

#: (rule, element, code, problem): the problem in words, or (merged across rules) each rule's
#: problem as a tuple, which no message can equal whatever its words (gate review s18)
FindingKey = tuple[str, tuple[str, str], str, str | tuple[str, ...]]

FIXED, REMOVED, WAIVED, RULE_CHANGED = "fixed", "removed", "waived", "rule changed"
GONE_STATUSES = (FIXED, REMOVED, WAIVED, RULE_CHANGED)

#: Fields of a rule that only document it: changing them cannot silence a finding.
_DOCUMENTATION = frozenset(
    {"title", "rationale", "fix", "code_fix", "references", "code_references", "examples"}
)


def finding_key(finding: Finding) -> FindingKey:
    """What matches a finding across runs: rule, element, code and the problem in words (the
    message, or the part of it that names the problem where the rest names routes that move
    with unrelated edits: an onward hop's; for findings merged across rules, each rule's)."""
    if finding.problems:  # merged: each rule's problem (see ``Finding.problems``)
        # as a set: the order the rules merged in follows the policies' order, which a
        # change to the ``policies:`` list moves without touching any problem
        return (finding.rule_id, finding.element, finding.code, tuple(sorted(finding.problems)))
    return (finding.rule_id, finding.element, finding.code, finding.problem or finding.message)


@dataclass(frozen=True)
class Baseline:
    """New and gone findings between two audits, and the changes a person must review."""

    new: tuple[Finding, ...]
    gone: tuple[Gone, ...]
    review: tuple[ReviewChange, ...] = ()

    @property
    def fixed(self) -> tuple[Finding, ...]:
        """Only the findings whose element now passes the same rule."""
        return tuple(g.finding for g in self.gone if g.status == FIXED)

    def counts(self) -> dict[str, int]:
        """Gone findings by status, in the documented order."""
        counts = dict.fromkeys(GONE_STATUSES, 0)
        for gone in self.gone:
            counts[gone.status] += 1
        return counts

    def failing(self, fail_on: Severity) -> list[Finding]:
        """New, unwaived findings at or above fail_on: these fail a change."""
        return [f for f in self.new if not f.waived and f.severity.rank >= fail_on.rank]

    @property
    def unaccepted(self) -> tuple[ReviewChange, ...]:
        """Changes to review nobody accepted: these fail a change too."""
        return tuple(change for change in self.review if not change.accepted)

    def fails(self, fail_on: Severity) -> bool:
        return bool(self.failing(fail_on) or self.unaccepted)

    def summary(self, fail_on: Severity) -> str:
        """One line: new, gone by status, changes to review."""
        counts = self.counts()
        gone = ", ".join(f"{counts[status]} {status}" for status in GONE_STATUSES)
        accepted = len(self.review) - len(self.unaccepted)
        return (
            f"{plural(len(self.new), 'new finding')} ({len(self.failing(fail_on))} at or above "
            f"{fail_on.value}), {len(self.gone):,} gone ({gone}); "
            f"{plural(len(self.review), 'change to review', 'changes to review')} "
            f"({accepted} accepted)"
        )


def _unmatched(findings: Iterable[Finding], other: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings with no counterpart in ``other`` (repeats are matched one to one)."""
    remaining = Counter(finding_key(f) for f in other)
    unmatched: list[Finding] = []
    for finding in findings:
        key = finding_key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            unmatched.append(finding)
    return tuple(unmatched)


def compare(
    base: AuditResult,
    head: AuditResult,
    accepted: Iterable[str] | bool = (),
    extra: Iterable[ReviewChange] = (),
) -> Baseline:
    """New: HEAD's findings with no match in BASE; gone: BASE's with no match in HEAD,
    classified; review: what changed in the rules, waivers and signatures.

    ``accepted`` is True (every change reviewed) or the ids of the reviewed changes;
    ``extra`` are changes found outside the audits (the gate's settings file)."""
    base = _names_as_at_head(base, head)
    new = _unmatched(head.active, base.active)
    old = _unmatched(base.active, head.active)
    new, old, moved = _moved(base, head, new, old)
    routed, routed_waived = _routed(base, head)
    fresh = {id(f) for f in new}
    new = (*new, *(f for f in routed if id(f) not in fresh))
    left, deleted = _left(base, head, new, moved)
    listed = (
        *_left_folded(review_changes(base, head, old), left),
        *_joined(base, head, new, moved),
        *deleted,
    )
    known = {c.id for c in listed}
    routed_waived = [c for c in routed_waived if c.id not in known]
    changes = review_order((*listed, *routed_waived, *extra))
    finding_rules = _finding_rules(base, head)
    new, regrouped = _regrouped(new, old, _changed_rules(base, changes, finding_rules))
    classify = _Classifier(base, head, changes, finding_rules, new)
    gone = tuple(
        Gone(f, RULE_CHANGED, regrouped[id(f)]) if id(f) in regrouped else classify(f) for f in old
    )
    confirmed = _confirmed(gone, changes, base, head, new)
    return Baseline(new, gone, accept(confirmed, accepted, reviewed_files(head)))


def _names_as_at_head(base: AuditResult, head: AuditResult) -> AuditResult:
    """The base with what its findings are matched by (``problem``, ``problems``) saying
    each party's, store's and the organisation's name as HEAD has it, where the element keeps
    its id: a name filled in or corrected ("Third-party MIS support firm (not named)" named
    "MISHelp Ltd") made every finding that names it new and gone at once, and the run failed
    on problems it did not add, which nobody could accept, only waive (gate review s21; left
    open by fix-gate-s20 for the agreement's standing). The messages shown are the base's.
    Nothing goes by it: a finding matched this way still stands, and a renamed recipient's
    records and grounds are changes to review of their own (``record-names-repointed``, a
    legal obligation's recipient renamed). A name is read as a whole word (no letter or digit
    against it), all in one pass, and only where one element bears it at each end; one read
    where it names something else only makes a finding new and gone, as before."""
    before = base.facts.index.nodes
    after = head.facts.index.nodes
    # a name two elements share names neither for sure: left as it was (a new party given
    # the renamed one's new name would otherwise take its findings' place)
    was_named = Counter(short(node.name) for node in before.values())
    now_named = Counter(short(node.name) for node in after.values())
    renamed: dict[str, str] = {}
    for node_id, node in before.items():
        now = after.get(node_id)
        if now is None:
            continue
        old_name, new_name = short(node.name), short(now.name)
        if old_name != new_name and was_named[old_name] == 1 and now_named[new_name] == 1:
            renamed[old_name] = new_name
    if not renamed:
        return base
    names = "|".join(re.escape(name) for name in sorted(renamed, key=len, reverse=True))
    named = re.compile(f"(?<!\\w)({names})(?!\\w)")

    def said(text: str) -> str:
        return named.sub(lambda match: renamed[match.group(1)], text)

    def as_at_head(finding: Finding) -> Finding:
        if finding.problems:
            problems = tuple(said(problem) for problem in finding.problems)
            return finding if problems == finding.problems else replace(finding, problems=problems)
        problem = finding.problem or finding.message
        now_said = said(problem)
        return finding if now_said == problem else replace(finding, problem=now_said)

    return replace(base, findings=tuple(as_at_head(finding) for finding in base.findings))


def _moved(
    base: AuditResult,
    head: AuditResult,
    new: tuple[Finding, ...],
    old: tuple[Finding, ...],
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], dict[int, set[str]]]:
    """A finding that groups flows (one per purpose, or per recipient and purpose) sits on
    the first of its flows in the map; when that flow leaves (deleted, moved to another
    purpose, or put after another in the file), the same problem stands on the next one and
    read as new beside the base's gone (gate review s18). Such a pair is one finding: same
    rule, code, severity and problem, HEAD's on a flow the base's judged, and that flow still
    in the same group at both ends (its purpose, basis, sender and recipient unchanged: a
    flow re-purposed into a group of its own has another problem in the same words).

    A finding merged across rules (``Finding.problems``) may gain the moved problem on that
    flow (the permission joins its consent finding): it continues the base's finding of the
    same rule, code and severity on the same flow when each of its problems and rules was
    there, or in a grouped finding of the base that judged the flow.

    The pairs are taken out of both; HEAD's finding by id -> the flows the base's judged
    under it, so a flow newly under it is still a change to review (``_joined``)."""
    if not new or not old:
        return new, old, {}
    grouped: dict[tuple[str, str, str | tuple[str, ...]], list[Finding]] = {}
    under: dict[str, list[Finding]] = {}  # a flow -> the base's grouped findings judging it
    own: dict[tuple[str, str, str], list[Finding]] = {}  # (flow, rule, code) -> the base's
    for finding in old:
        if finding.element[0] != "flows":
            continue
        if finding.flows:
            key = finding_key(finding)
            grouped.setdefault((key[0], key[2], key[3]), []).append(finding)
            for flow_id in finding.flows:
                under.setdefault(flow_id, []).append(finding)
        own.setdefault((finding.element[1], finding.rule_id, finding.code), []).append(finding)
    if not grouped:
        return new, old, {}
    moved: dict[int, set[str]] = {}
    taken: set[int] = set()
    for finding in new:
        collection, element_id = finding.element
        if collection != "flows" or not _same_group(base, head, element_id):
            continue
        continued = _continued(finding, own, under, taken) if finding.problems else None
        if continued is None:
            key = finding_key(finding)
            for was in grouped.get((key[0], key[2], key[3]), ()):
                if (
                    id(was) not in taken
                    and was.severity is finding.severity
                    and element_id in was.flows
                ):
                    taken.add(id(was))
                    continued = _flows_judged(was)
                    break
        if continued is not None:
            moved[id(finding)] = continued
    if not moved:
        return new, old, {}
    return (
        tuple(f for f in new if id(f) not in moved),
        tuple(f for f in old if id(f) not in taken),
        moved,
    )


def _continued(
    finding: Finding,
    own: Mapping[tuple[str, str, str], list[Finding]],
    under: Mapping[str, list[Finding]],
    taken: set[int],
) -> set[str] | None:
    """For a merged finding new on a flow: the base's finding of the same rule, code and
    severity on that flow whose problems and rules, with those of the base's grouped
    findings that judged the flow, are all of its own (the moved problem joined it), taken;
    the flows they judged. None where there is no such finding."""
    element_id = finding.element[1]
    for was in own.get((element_id, finding.rule_id, finding.code), ()):
        if id(was) in taken or was.severity is not finding.severity:
            continue
        sources = [was, *(g for g in under.get(element_id, ()) if g is not was)]
        problems = {p for g in sources for p in _problems_of(g)}
        rules = {r for g in sources for r in g.rule_ids}
        if problems.issuperset(finding.problems) and rules.issuperset(finding.rule_ids):
            taken.add(id(was))
            return {f for g in sources for f in _flows_judged(g)}
    return None


def _problems_of(finding: Finding) -> tuple[str, ...]:
    """What identifies each problem of a finding across runs (merged: each rule's)."""
    return finding.problems or (finding.problem or finding.message,)


def _same_group(base: AuditResult, head: AuditResult, flow_id: str) -> bool:
    """Whether a flow is grouped alike at both ends: its purpose, basis, sender and recipient
    (the parties behind its ends) unchanged."""
    was = base.facts.index.flows.get(flow_id)
    now = head.facts.index.flows.get(flow_id)
    if was is None or now is None:
        return False
    return (
        was.purpose == now.purpose
        and was.basis == now.basis
        and base.facts.index.party_of(was.source) == head.facts.index.party_of(now.source)
        and base.facts.index.party_of(was.target) == head.facts.index.party_of(now.target)
    )


def _flows_judged(finding: Finding) -> set[str]:
    """The flows a finding judges: those it groups (``Finding.flows``), else its own."""
    if finding.flows:
        return set(finding.flows)
    collection, element_id = finding.element
    return {element_id} if collection == "flows" else set()


def _joined(
    base: AuditResult,
    head: AuditResult,
    new: Iterable[Finding],
    moved: Mapping[int, set[str]] | None = None,
) -> list[ReviewChange]:
    """A flow the change brings under a finding that groups flows (one legitimate interests
    assessment per purpose, one permission per recipient and purpose): the finding is the
    base's, matched by its problem, so it is neither new nor gone, yet the flow is new to
    it. A disclosure added to a purpose whose assessment is already missing passed with no
    new finding and nothing to review (read-through s17, after DPO review s17 grouped those
    findings): a person confirms the flow may go on while the problem stays open."""
    fresh = {id(f) for f in new}
    before: dict[FindingKey, set[str]] = {}
    for finding in base.active:
        before.setdefault(finding_key(finding), set()).update(_flows_judged(finding))
    changes: list[ReviewChange] = []
    for finding in head.active:
        if id(finding) in fresh or not finding.flows:
            continue
        had = moved.get(id(finding)) if moved else None
        if had is None:
            had = before.get(finding_key(finding))
        if had is None:
            continue
        for flow_id in dict.fromkeys(finding.flows):
            if flow_id in had:
                continue
            label = f"flows/{flow_id}"
            changes.append(
                ReviewChange(
                    f"joined-finding:{label}:{finding.rule_id}:{finding.code}",
                    "joined-finding",
                    label,
                    f"{label} is newly under {gone_words(finding)}, a finding the base has: "
                    "no new finding, yet the flow now shares its open problem; confirm it may "
                    f"go on while the problem stays open (it says: {finding.message})",
                    location=head.loaded.sources.locate(("flows", flow_id)),
                    gravest=finding.severity,
                )
            )
    return changes


def _left(
    base: AuditResult,
    head: AuditResult,
    new: Iterable[Finding],
    moved: Mapping[int, set[str]],
) -> tuple[list[tuple[ReviewChange, Finding]], list[ReviewChange]]:
    """A flow still in the map that the change takes out from under a grave finding that
    groups flows (``Finding.flows``), the finding standing on the others: for that flow, a
    high or critical finding gone as fixed, which the gate puts to a person
    (``CONFIRM_FIXES_FROM``), as it is for a flow's own finding. The finding is matched by
    its problem without the flows, so the flow leaving was nothing at all: a contract flow of
    customer staff relabelled as about job applicants (who are party to a contract) walked
    out of the shipped HIGH contract-not-party with a PASS (gate review 2 s19; before
    b43dcc8 the count in the message moved and the gate failed).

    A waived finding is asked about too (fix-subproc-s20): its waiver was approved for the
    finding as it stood, this flow among those it judged, and once the waiver ends the
    problem no longer counts against the flow that left.

    A flow deleted is not asked about as left (see below), nor one that another finding of
    the same rule and code judges with the same problem (the group's finding standing on
    it, in other words) or newly judges (re-purposed into a group of its own: its own
    finding new, or the flow joining another group, a ``joined-finding``). One that a
    finding of the same rule and code judged at the base already, on another problem, is
    asked about: that finding does not judge this problem (fix-subproc-s20: a sub-processor
    flow relabelled out of one controller's unauthorised sub-processors passed, exit 0,
    while another controller's finding, or the flow's own missing contract, of the same
    rule and code named it).

    A flow deleted from under the finding is asked about as a flow's own grave finding gone
    with it is, where the change adds a flow or re-points one to its target
    (``_deleted_from_groups``, gate review s20); these come back apart, as they fold into no
    reclassification."""
    fresh = {id(f) for f in new}
    at_base: dict[FindingKey, set[str]] = {}
    for finding in (*base.active, *base.waived):
        at_base.setdefault(finding_key(finding), set()).update(_flows_judged(finding))
    after: dict[FindingKey, Finding] = {}
    # HEAD's finding, the flows the base's judged, and whether the base's was waived
    kept: list[tuple[Finding, set[str], bool]] = []
    # (rule, code, flow) -> what each finding of HEAD judging the flow says: its problem,
    # whether it judges the flow newly (a new finding, or the flow new under it), its grade
    judged: dict[tuple[str, str, str], list[tuple[str | tuple[str, ...], bool, Severity]]] = {}
    for finding in (*head.active, *head.waived):
        key = finding_key(finding)
        had = moved.get(id(finding))
        if id(finding) in fresh:
            before: set[str] = set()
        else:
            before = had if had is not None else at_base.get(key, set())
        for flow_id in _flows_judged(finding):
            said = (key[3], flow_id not in before, finding.severity)
            for rule in finding.rule_ids:
                judged.setdefault((rule, finding.code, flow_id), []).append(said)
        if id(finding) in fresh:
            continue
        if had is not None:  # moved to another of its flows: active at both ends
            kept.append((finding, had, False))
        else:
            # one that groups no flows now may still be the base's finding that did: the
            # helpdesk's unprotected passwords once no flow may carry them on (fix-onward-s19)
            after.setdefault(key, finding)
    for finding in (*base.active, *base.waived):
        if finding.flows and finding.severity.rank >= CONFIRM_FIXES_FROM.rank:
            now = after.get(finding_key(finding))
            if now is not None:
                kept.append((now, set(finding.flows), finding.waived))
    flows = head.facts.index.flows
    changes: dict[tuple[str, str], tuple[ReviewChange, Finding]] = {}
    # flows deleted from under a grave grouped finding: each flow -> the findings it left
    deleted: dict[str, list[Finding]] = {}
    for finding, had, was_waived in kept:
        if finding.severity.rank < CONFIRM_FIXES_FROM.rank:
            continue
        problem = finding_key(finding)[3]
        for flow_id in sorted(had - _flows_judged(finding)):
            if flow_id not in flows:
                deleted.setdefault(flow_id, []).append(finding)
                continue
            # only a finding as grave stands in: one graded lower (a merged finding's grade
            # is its gravest rule's) would let the flow step down from a HIGH to a MEDIUM
            # that a --fail-on high run never fails (left open by fix-subproc-s20)
            if any(
                (newly or said == problem) and grade.rank >= finding.severity.rank
                for rule in finding.rule_ids
                for said, newly, grade in judged.get((rule, finding.code, flow_id), ())
            ):
                continue
            label = f"flows/{flow_id}"
            change_id = f"left-finding:{label}:{finding.rule_id}:{finding.code}"
            waiver = finding.waiver.id if finding.waiver is not None else ""
            if was_waived:
                stands = (
                    f"a finding waived ('{waiver}') that judged it at the base: the waiver "
                    "was approved for the finding as it stood, this flow among those it "
                    "judged; the flow stays in the map, yet the problem no longer counts "
                    "against it once the waiver ends"
                )
            elif waiver:
                stands = (
                    f"a finding that judged it at the base, now waived ('{waiver}'): the flow "
                    "stays in the map, yet the problem no longer counts against it once the "
                    "waiver ends"
                )
            else:
                stands = (
                    "a finding that stands and judged it at the base: the flow stays in the "
                    "map, yet the problem no longer counts against it"
                )
            detail = (
                f"{label} is no longer under {gone_words(finding)}, {stands}; confirm the "
                "change fixes it for this flow rather than describes it away (it says: "
                f"{finding.message})"
            )
            change = ReviewChange(
                change_id,
                "left-finding",
                label,
                detail,
                location=head.loaded.sources.locate(("flows", flow_id)),
                gravest=finding.severity,
            )
            changes.setdefault((change_id, detail), (change, finding))
    # a flow deleted from under it while the change adds a flow or re-points one to its
    # target is the finding gone with its element, for that flow: as for a flow's own, a
    # person confirms the processing stopped: a flow renamed and relabelled out of the
    # shipped HIGH contract-not-party passed with exit 0 under --fail-on high, and under low
    # with one routine claim of its new name (gate review s20)
    return list(changes.values()), _deleted_from_groups(deleted, base, head) if deleted else []


def _left_folded(
    changes: Iterable[ReviewChange], left: Iterable[tuple[ReviewChange, Finding]]
) -> list[ReviewChange]:
    """``changes`` and the ``left-finding`` ones, each of those folded into the
    ``reclassified`` change of its flow where there is one ("...; with it flows/X leaves:
    HIGH ... (code), which still stands"), as a finding gone as fixed is folded into the
    change that names its element (``_confirmed``): the re-description is why the flow
    left, one line says both, and accepting it accepts the leaving. Its id's digest covers
    what is folded in (``pinned_id``), and it is as grave as the gravest finding left
    (``gravest``). Without such a change, the left-finding stands on its own."""
    listed = list(changes)
    at = {c.subject: i for i, c in reversed(list(enumerate(listed))) if c.kind == "reclassified"}
    folded: dict[int, list[Finding]] = {}
    alone: list[ReviewChange] = []
    for change, finding in left:
        place = at.get(change.subject)
        if place is None:
            alone.append(change)
        elif finding not in folded.setdefault(place, []):
            folded[place].append(finding)
    for place, findings in folded.items():
        change = listed[place]
        words = ", ".join(
            gone_words(f) + (f" (waived: '{f.waiver.id}')" if f.waiver is not None else "")
            for f in findings
        )
        listed[place] = replace(
            change,
            detail=f"{change.detail}; with it {change.subject} leaves: {words}, which still "
            f"{'stands' if len(findings) == 1 else 'stand'} (confirm the change fixes "
            f"{'it' if len(findings) == 1 else 'them'} for this flow rather than describes "
            f"{'it' if len(findings) == 1 else 'them'} away)",
            gravest=_graver(change.gravest, *(f.severity for f in findings)),
        )
    return [*listed, *alone]


def _deleted_from_groups(
    deleted: Mapping[str, list[Finding]], base: AuditResult, head: AuditResult
) -> list[ReviewChange]:
    """For each flow deleted from under grave grouped findings that still stand (``_left``)
    while the change adds a flow or re-points one to its target (renamed, or taken over): the
    gravest of them as the flow's own, gone with its element (``_removed_unconfirmed``, its
    line naming the others), unless a grave finding of the flow's own went with it and is
    confirmed there already. A flow deleted with nothing in its place leaves the finding open
    on the others, whatever its store still holds: fewer flows under an open problem clear
    nothing (read-through s17)."""
    own = {
        finding.element[1]
        for finding in base.active
        if finding.element[0] == "flows" and finding.severity.rank >= CONFIRM_FIXES_FROM.rank
    }
    before = {flow.id: flow.target for flow in base.loaded.data.flows}
    if any(flow.id not in before for flow in head.loaded.data.flows):
        replaced = set(deleted)
    else:  # only a flow re-pointed to a deleted one's target takes its place
        moved = _repointed(base, head)
        taken = {
            flow.target
            for flow in head.loaded.data.flows
            if flow.id in moved and flow.target != moved[flow.id][1]
        }
        replaced = {flow_id for flow_id in deleted if before.get(flow_id) in taken}
    gravest: list[Finding] = []
    told: dict[str, tuple[str, str]] = {}  # flow -> (the line's own head, what it says instead)
    for flow_id, findings in deleted.items():
        if flow_id in own or flow_id not in replaced:
            continue
        first, *rest = sorted(findings, key=lambda f: -f.severity.rank)
        gravest.append(replace(first, element=("flows", flow_id), flows=()))
        label = f"flows/{flow_id}"
        also = f" (and {', '.join(gone_words(f) for f in rest)})" if rest else ""
        told[label] = (
            f"{first.severity.value} {' + '.join(first.rule_ids)} on {label} ({first.code}) "
            "went with its element",
            f"{label} was under {gone_words(first)}{also} at the base, which stands on its "
            "other flows, and is deleted",
        )
    return [
        replace(change, detail=change.detail.replace(*told[change.subject], 1))
        for change in _removed_unconfirmed(gravest, base, head)
    ]


#: A finding this severe that goes as fixed is confirmed by a person, in a change to review
#: that names its element or in one of its own: what the map describes can clear it in one
#: line (a store's country, a category's Art. 9 kind, a party swapped for one of another id
#: and kind). One that goes with its element while the change adds another is confirmed too.
CONFIRM_FIXES_FROM = Severity.HIGH

#: The changes to review that name an element of the map, and the collection of the id each
#: names (None: the subject is a ``COLLECTION/ID`` label already). Only these explain a
#: finding gone: a waiver, a rule or a file whose id equals an element's names nothing of it.
_NAMES_ELEMENT: dict[str, str | None] = {
    "agreement-signed": "agreements",
    "agreement-changed": "agreements",
    "agreement-extended": "agreements",
    "agreement-linked": None,
    "claim-changed": None,
    "notice-exempts": None,
    "reclassified": None,
    "assessment-changed": "assessments",
    "consent-record-changed": "consent_records",
}


def _element_named(change: ReviewChange) -> str | None:
    """The ``COLLECTION/ID`` of the map element a change to review names, if it names one."""
    if change.kind not in _NAMES_ELEMENT:
        return None
    collection = _NAMES_ELEMENT[change.kind]
    return change.subject if collection is None else f"{collection}/{change.subject}"


def gone_words(finding: Finding) -> str:
    """A gone finding in a few words: ``HIGH GDPR-BASIS on flows/x (no-assessment)``."""
    return (
        f"{finding.severity.value.upper()} {' + '.join(finding.rule_ids)} on "
        f"{finding.element_label} ({finding.code})"
    )


def _fixed_unconfirmed(finding: Finding, label: str, head: AuditResult, why: str) -> ReviewChange:
    """A high or critical finding gone as fixed that the reviewer must confirm, and why."""
    return ReviewChange(
        f"fixed-unconfirmed:{finding.rule_id}:{label}:{finding.code}",
        "fixed-unconfirmed",
        label,
        f"{finding.severity.value} {' + '.join(finding.rule_ids)} on {label} "
        f"({finding.code}) is gone as fixed, and {why} (it said: {finding.message})",
        location=head.loaded.sources.locate(finding.element),
        gravest=finding.severity,
    )


def _confirmed(
    gone: Iterable[Gone],
    changes: tuple[ReviewChange, ...],
    base: AuditResult,
    head: AuditResult,
    new: Iterable[Finding],
) -> tuple[ReviewChange, ...]:
    """The changes to review, with each high or critical finding of the base that went as fixed
    (and each of a condition rule, whatever its grade) put to a person: folded into the detail
    of every change that names its element (a claim, a reclassification, an exempting clause, a
    signed agreement, an assessment or consent record the element links: "...; with it goes:
    HIGH GDPR-BASIS on flows/x (no-assessment)"), so accepting the change is accepting what it
    clears; or, when none does, a change of its own (``fixed-unconfirmed``): the change may fix
    it, or only describe it away (attack reviews 2026-12-02c and d). A finding whose problem is
    still found, as a new finding of the same rule, element and code (a count in its message
    moved), has not gone. Findings gone with their element while the change adds another to the
    same collection are confirmed too (``removed-unconfirmed``): a rename with a re-description.
    A change that names each finding it clears (``ReviewChange.names_cleared``: a cookie said
    away, a category widened to a parent) has the medium and low ones of its element gone as
    fixed written into its line as well. A finding whose element now passes on a reading of
    words the change rewrote (``_reworded``: a subject renamed to read as an LLP), or that its
    rules no longer judge once a name is rewritten, is always a change of its own, saying
    what the verdict takes on trust, and never folded into another change that names the
    element or its flow's ends (attack review 2026-12-03v, problem 3). So is a finding of a
    flow newly read as made for, or given back to, a controller (``_returned_now``), or as
    another controller's own (``_others_own_now``): it goes with that reclassification
    alone, medium and low included (attack review 2026-12-03x, problem 1: a HIGH went inside
    an ``approved_supplier`` claim on the flow's end; attack review 2026-12-03y, problem 1).
    A finding on another element every flow of which it judged is so set aside (a subject's
    basis finding) goes with those reclassifications, named before any rewording: a medium
    or low one written into their lines, a graver one a change of its own that names them
    (attack review 2026-12-03y, problem 3); one about the very people or categories those
    flows newly keep aside (``_set_aside_widened``) is written into their lines whatever its
    grade, as those lines name them (attack review s2, problem 2: a HIGH contract-not-party
    went as "no change to review explains it")."""
    data = head.loaded.data
    flows = {flow.id: flow for flow in data.flows}
    owners = {system.id: system.owner for system in data.systems}
    still: dict[tuple[ElementRef, str], list[Finding]] = {}
    for finding in new:
        still.setdefault((finding.element, finding.code), []).append(finding)
    named: dict[str, list[str]] = {}
    every: dict[str, list[str]] = {}  # changes that name each finding they clear
    for change in changes:
        label = _element_named(change)
        if label is not None:
            named.setdefault(label, []).append(change.id)
            if change.names_cleared:
                every.setdefault(label, []).append(change.id)

    def node(node_id: str) -> set[str]:
        """A flow's end as a change names it: the store and the party that owns it."""
        if node_id in owners:
            return {f"systems/{node_id}", f"parties/{owners[node_id]}"}
        return {f"parties/{node_id}"}

    # a condition rule's expression may read any field of the map, claims the gate does not
    # list included (a placeholder flag withdrawn): whatever its grade, a finding of one gone
    # as fixed is put to a person (attack review 2026-12-03l, 2)
    reads_any_field = {r.id for r in (*base.rules, *head.rules) if r.kind == "condition"}
    taken = _passes_taken_on_trust(head)
    judged = {(e.rule_id, e.element) for e in head.passed}
    reworded = _reworded(base, head)
    # flows whose ``from`` or ``to`` changed: their findings no rule judges any more go with
    # the re-pointing, a change of its own (attack review s6, problem 5)
    moved = _repointed(base, head)
    unjudged: dict[str, list[Finding]] = {}
    rekeyed = _rekeyed(base, head)
    # flows newly set aside as not the organisation's own processing to judge: given back
    # to, or made for, a controller, or another controller's own; each with its reading
    set_aside: dict[str, str] = {}
    for flow_id, phrase, _ in (*_returned_now(base, head), *_others_own_now(base, head)):
        said = set_aside.get(flow_id)
        set_aside[flow_id] = phrase if said is None else f"{said} and {phrase}"
    # flows that keep more of what they carry aside, with the people and categories newly
    # so: a finding on one of those goes with the change that names it (attack review s2,
    # problem 2: a HIGH contract-not-party went as "no change explains it")
    widened: dict[str, frozenset[str]] = {}
    for flow_id, phrase, _, items in _set_aside_widened(base, head):
        said = set_aside.get(flow_id)
        set_aside[flow_id] = phrase if said is None else f"{said} and {phrase}"
        widened[flow_id] = items

    def found_again(finding: Finding) -> bool:
        """The same problem, found again in other words (attack review d, 7): led by the
        same rule and as severe (a merged finding whose serious part was described away
        leaves a lesser one of its other rules, which is no match)."""
        return any(
            finding.rule_id in again.rule_ids and again.severity.rank >= finding.severity.rank
            for again in still.get((finding.element, finding.code), ())
        )

    clears: dict[str, list[Finding]] = {}
    found: list[ReviewChange] = []
    removed: list[Finding] = []
    for lost in gone:
        finding = lost.finding
        aside = _set_aside_by(finding, set_aside) if lost.status == FIXED else ()
        if aside:
            # gone with a flow newly set aside, or with every flow it judged: that
            # reclassification's doing, named as such before any other reason (a reworded
            # subject beside it took the blame: attack review 2026-12-03y, problem 3), and
            # never folded into a claim at the flow's ends (attack review x, 1; y, 1)
            if found_again(finding):
                continue
            collection, element_id = finding.element
            if (
                (collection == "flows" and element_id in set_aside)
                or (
                    finding.severity.rank < CONFIRM_FIXES_FROM.rank
                    and reads_any_field.isdisjoint(finding.rule_ids)
                )
                # about people (or data) every flow it judged newly keeps aside: the change
                # naming them is its cause, and accepting it accepts this going (attack
                # review s2, problem 2)
                or (
                    collection in ("subjects", "categories")
                    and all(element_id in widened.get(flow_id, ()) for flow_id in aside)
                )
            ):
                for flow_id in aside:
                    clears.setdefault(f"reclassified:flows/{flow_id}", []).append(finding)
            else:
                found.append(
                    _fixed_unconfirmed(
                        finding, finding.element_label, head, _set_aside_words(aside, set_aside)
                    )
                )
            continue
        trusted = (
            _taken_on_trust(taken, finding, judged, reworded[finding.element])
            or rekeyed.get(finding.element, ())
            if lost.status == FIXED and finding.element in reworded
            else ()
        )
        if (
            finding.severity.rank < CONFIRM_FIXES_FROM.rank
            and reads_any_field.isdisjoint(finding.rule_ids)
            and not trusted
        ):
            if (
                lost.status == FIXED
                and finding.element[0] == "flows"
                and finding.element[1] in moved
                and not any((rule_id, finding.element) in judged for rule_id in finding.rule_ids)
                and not found_again(finding)
            ):
                # a re-pointed flow its rules no longer judge: the re-pointing took it out
                # of their scope, whatever set the flow is in now (a processor's or a
                # look-alike party's flow of the organisation's data: attack review s6,
                # problem 5, two MEDIUM promise findings gone with nothing to review)
                unjudged.setdefault(finding.element[1], []).append(finding)
                continue
            if lost.status == FIXED:  # named by a re-description that can only clear
                for change_id in every.get(finding.element_label, ()):
                    clears.setdefault(change_id, []).append(finding)
            continue
        if found_again(finding):
            continue
        if lost.status == REMOVED:
            removed.append(finding)
        if lost.status != FIXED:
            continue
        collection, element_id = finding.element
        label = finding.element_label
        if trusted:
            # the verdict rests on a reading of words the change rewrote (a subject renamed
            # to read as an LLP, or out of a rule's reading): a change of its own, never
            # written into another change that names the element or its flow's ends, whose
            # reviewer would read it as that change's doing (attack review 2026-12-03v, 3)
            found.append(
                _fixed_unconfirmed(
                    finding,
                    label,
                    head,
                    "the change rewords whom or what it is about: its verdict on "
                    f"{label} now rests on a reading of those words, which the map cannot "
                    f"show: {'; '.join(trusted)}: confirm that this is true rather than said "
                    "to clear it",
                )
            )
            continue
        linked = {label}
        flow = flows.get(element_id) if collection == "flows" else None
        if flow is not None:
            linked.update(
                f"{kind}/{link}"
                for kind, link in (
                    ("agreements", flow.agreement),
                    ("agreements", flow.transfer_agreement),
                    ("consent_records", flow.consent_record),
                    *(("assessments", a) for a in flow.assessment_ids),
                )
                if link
            )
            linked |= node(flow.source) | node(flow.target)  # a claim or a move at either end
            # whom and what it carries: a subject recorded as corporate subscribers clears the
            # PECR finding of every flow about them, and its reclassification must say so, not
            # a claim on the flow's end alone (attack review 2026-12-03v, problem 3)
            linked.update(f"subjects/{subject}" for subject in flow.subjects)
            linked.update(f"categories/{category}" for category in flow.categories)
        by = sorted({change_id for link in linked for change_id in named.get(link, ())})
        for change_id in by:
            clears.setdefault(change_id, []).append(finding)
        if by:
            continue
        found.append(
            _fixed_unconfirmed(
                finding,
                label,
                head,
                "no change to review explains it: confirm that the change fixes it rather "
                "than describes it away",
            )
        )
    # a finding whose base file the ignore file now keeps out is that file's change to
    # review ("with it goes"): the flow is hidden, not deleted, so it is said once, not again
    # as removed-unconfirmed (a file deleted is another matter: what its flows filled may
    # still be recorded, said of each)
    files_said = {change.subject for change in changes if change.kind == "map-file-ignored"}
    found.extend(
        _removed_unconfirmed(
            [f for f in removed if not _in_files(f, files_said)] if files_said else removed,
            base,
            head,
        )
    )
    found.extend(_repointed_unjudged(unjudged, moved, head))
    found.extend(_record_names_repointed(moved, base, head))
    folded = (
        replace(
            change,
            detail=f"{change.detail}; with it goes: "
            + ", ".join(gone_words(f) for f in clears[change.id]),
            gravest=_graver(change.gravest, *(f.severity for f in clears[change.id])),
        )
        if change.id in clears
        else change
        for change in changes
    )
    return review_order((*_rules_and_waivers_graded(folded, gone, base, head), *found))


def _repointed_unjudged(
    unjudged: dict[str, list[Finding]], moved: dict[str, tuple[str, str]], head: AuditResult
) -> list[ReviewChange]:
    """A change to review per re-pointed flow (``from`` or ``to`` changed) whose medium or
    low findings of the base go because their rules no longer judge it: re-pointing a flow
    of the organisation's to a sender or recipient out of a rule's scope clears them without
    fixing anything, and with ``--fail-on high`` nothing else listed them (attack review s6,
    problem 5). Its line names each finding it takes (high and critical ones are confirmed
    on their own: ``fixed-unconfirmed``)."""
    flows = {flow.id: flow for flow in head.loaded.data.flows}
    found: list[ReviewChange] = []
    for flow_id, findings in unjudged.items():
        flow = flows[flow_id]
        was_from, was_to = moved[flow_id]
        label = f"flows/{flow_id}"
        field = "from" if flow.source != was_from else "to"
        found.append(
            ReviewChange(
                f"repointed-unjudged:{label}",
                "repointed-unjudged",
                label,
                f"{label} is re-pointed ({was_from} → {was_to} at the base, {flow.source} → "
                f"{flow.target} now), and its findings there are no longer judged: confirm "
                "that the flow left these rules' scope rather than was re-pointed out of it; "
                "with it goes: " + ", ".join(gone_words(f) for f in findings),
                location=head.loaded.sources.locate(("flows", flow_id), (field,)),
                gravest=_graver(*(f.severity for f in findings)),
            )
        )
    return found


def _ends_described(result: AuditResult, source: str, target: str) -> tuple[object, ...]:
    """Who a flow's two ends stand for, as a record naming them reads them: each end's
    party (a store's owner) with its name, kind and country."""
    index = result.facts.index
    said: list[object] = []
    for node in (source, target):
        party_id = index.party_of(node) if node in index.nodes else node
        party = index.parties.get(party_id)
        said.append(
            (party_id, party.name, party.kind, party.country)
            if party is not None
            else (party_id, index.nodes[party_id].name if party_id in index.nodes else "")
        )
    return tuple(said)


def _record_names_repointed(
    moved: dict[str, tuple[str, str]], base: AuditResult, head: AuditResult
) -> list[ReviewChange]:
    """A change to review per flow whose pass of a rule rests on a free-text record taken to
    name the recipient (``record_names``: a permission naming the ISP), where the flow was
    re-pointed or a party at its ends re-described (its name, kind or country): the record
    was written for the old ends. A permission naming one recipient kept N-SHARE passed for
    another with nothing to review under ``--fail-on high`` (attack review s7, problem 3),
    and so did renaming the ISP the permission named, the flow untouched (attack review
    s8, problems 1 and 2)."""
    naming = {
        rule.id: (names, rule.severity)
        for rule in head.rules
        if (names := getattr(rule, "record_names", None))
    }
    if not naming:
        return []
    flows = {flow.id: flow for flow in head.loaded.data.flows}
    before = {flow.id: flow for flow in base.loaded.data.flows}
    found: list[ReviewChange] = []
    for evaluation in head.passed:
        collection, flow_id = evaluation.element
        said = naming.get(evaluation.rule_id)
        if collection != "flows" or said is None or not evaluation.assumed:
            continue
        flow, old = flows.get(flow_id), before.get(flow_id)
        if flow is None or old is None:
            continue
        label = f"flows/{flow_id}"
        names, severity = said
        if flow_id in moved:
            was_from, was_to = moved[flow_id]
            how = (
                f"{label} is re-pointed ({was_from} → {was_to} at the base, "
                f"{flow.source} → {flow.target} now)"
            )
            field = "to" if flow.target != was_to else "from"
        else:
            was = _ends_described(base, old.source, old.target)
            now = _ends_described(head, flow.source, flow.target)
            if was == now:
                continue
            changed = [end for end, a, b in zip(("from", "to"), was, now, strict=True) if a != b]
            field = changed[-1]
            ends = " and ".join("sender" if end == "from" else "recipient" for end in changed)
            how = f"{label}'s {ends} is described anew (the party's name, kind or country)"
        found.append(
            ReviewChange(
                f"record-names-repointed:{label}:{evaluation.rule_id}",
                "record-names-repointed",
                label,
                f"{how}, and its pass of {evaluation.rule_id} rests on a record "
                f"taken to name {names}, written for its old ends: confirm that the record "
                "names the new ones",
                location=head.loaded.sources.locate(("flows", flow_id), (field,)),
                gravest=severity,
            )
        )
    return found


def _set_aside_by(finding: Finding, set_aside: dict[str, str]) -> tuple[str, ...]:
    """The flows newly set aside (``set_aside``) a gone finding went with: its own flow, or
    every flow a finding on another element judged (``Finding.flows``: a subject that flows
    rest on contract for); () where neither."""
    collection, element_id = finding.element
    if collection == "flows" and element_id in set_aside:
        return (element_id,)
    if finding.flows and all(flow_id in set_aside for flow_id in finding.flows):
        return tuple(dict.fromkeys(finding.flows))
    return ()


def _set_aside_words(flows: tuple[str, ...], set_aside: dict[str, str]) -> str:
    """Why a finding went, when the flows it judged are newly read as not the organisation's
    own processing: the reclassification of each, in its words."""
    said = "; ".join(f"flows/{flow_id} {set_aside[flow_id]}" for flow_id in flows)
    which = "flow it judged is" if len(flows) == 1 else "flows it judged are"
    listed = ", ".join(f"reclassified:flows/{flow_id}" for flow_id in flows)
    return (
        f"the {which} now described otherwise ({listed}): {said}: confirm that this is true "
        "rather than said to clear it"
    )


def _passes_taken_on_trust(head: AuditResult) -> dict[ElementRef, dict[str, tuple[str, ...]]]:
    """Per element, the rules whose pass on it rests on facts the map says and cannot show
    (``Evaluation.assumed``: a subject read as corporate subscribers by the words of its
    name, a soft opt-in, a law that obliges), with those facts."""
    taken: dict[ElementRef, dict[str, tuple[str, ...]]] = {}
    for evaluation in head.passed:
        if evaluation.assumed:
            taken.setdefault(evaluation.element, {})[evaluation.rule_id] = evaluation.assumed
    return taken


def _reworded(base: AuditResult, head: AuditResult) -> dict[ElementRef, bool]:
    """The elements of both sides whose words the change rewrote, each with whether by a
    rename: a subject or category renamed or given another ``fides_key`` (both are read: a
    sole trader, an LLP, staff, pupils, a postal address) and every flow of the base carrying
    one (True), and every other flow of the base carrying another list of subjects or
    categories (False: a list changed is the map's own description, and a category widened
    to a parent is a reclassification of its own)."""
    changed: dict[ElementRef, bool] = {}
    for collection in ("subjects", "categories"):
        # the key too: rules read a category's kind from its fides_key first (contact data
        # for a marketing channel: attack review 2026-12-03w, problem 3)
        before = {e.id: (e.name, e.fides_key) for e in getattr(base.loaded.data, collection)}
        for element in getattr(head.loaded.data, collection):
            if element.id in before and before[element.id] != (element.name, element.fides_key):
                changed[(collection, element.id)] = True
    renamed = {element_id for _, element_id in changed}
    before_flows = {flow.id: flow for flow in base.loaded.data.flows}
    for flow in head.loaded.data.flows:
        old = before_flows.get(flow.id)
        if old is None:
            continue
        if not renamed.isdisjoint(flow.subjects) or not renamed.isdisjoint(flow.categories):
            changed[("flows", flow.id)] = True
        elif old.subjects != flow.subjects or old.categories != flow.categories:
            changed[("flows", flow.id)] = False
    return changed


def _rekeyed(base: AuditResult, head: AuditResult) -> dict[ElementRef, tuple[str, ...]]:
    """Per flow of the base carrying a category the change gave another ``fides_key``, what
    its verdicts may now rest on: rules read a category's kind from its key first (a key
    for postal addresses made ``channel: post`` count on email data), so a finding gone with
    it is its own change, never folded into a claim on the flow's ends (attack review
    2026-12-03w, problem 3: the rename's key form)."""
    keys = {category.id: category.fides_key for category in base.loaded.data.categories}
    said = {
        category.id: f"categories/{category.id} now has fides_key "
        f"{_shown(category.fides_key) if category.fides_key else 'unsaid'} (was "
        f"{_shown(keys[category.id]) if keys[category.id] else 'unsaid'}), which rules read "
        "as what the data is (the contact data a marketing channel reaches, a rule naming a key)"
        for category in head.loaded.data.categories
        if category.id in keys and keys[category.id] != category.fides_key
    }
    if not said:
        return {}
    base_flows = {flow.id for flow in base.loaded.data.flows}
    return {
        ("flows", flow.id): tuple(said[c] for c in dict.fromkeys(flow.categories) if c in said)
        for flow in head.loaded.data.flows
        if flow.id in base_flows and not said.keys().isdisjoint(flow.categories)
    }


def _taken_on_trust(
    taken: dict[ElementRef, dict[str, tuple[str, ...]]],
    finding: Finding,
    judged: set[tuple[str, ElementRef]],
    renamed: bool,
) -> tuple[str, ...]:
    """What the passes of a reworded element's gone finding rest on, if on trust; or, where
    none of its rules judges the element any more, that: a rule that reads whom a flow is
    about by their words (sole traders, pupils) leaves it out of scope once they are renamed
    ("Wholesale buyers"), with no pass to say so (attack review 2026-12-03v, problem 3)."""
    if renamed and not any((rule_id, finding.element) in judged for rule_id in finding.rule_ids):
        return (
            f"{' + '.join(finding.rule_ids)} no longer judges {finding.element_label}, "
            "whose scope it may read from the words of whom or what it carries",
        )
    passes = taken.get(finding.element)
    if not passes:
        return ()
    said = [fact for rule_id in finding.rule_ids for fact in passes.get(rule_id, ())]
    return tuple(dict.fromkeys(said))


def _graver(*severities: Severity | None) -> Severity | None:
    """The gravest of ``severities`` (None: none given)."""
    said = [s for s in severities if s is not None]
    return max(said, key=attrgetter("rank")) if said else None


#: Changes to review whose subject is a rule, a policy, a waiver or a map file: what they
#: clear is not written into their line (the findings gone say "rule changed", "waived",
#: "removed"), but a person must see the gravest of them first all the same.
_RULE_KINDS = frozenset(("rule-removed", "rule-changed"))
_POLICY_KINDS = frozenset(("policy-removed", "policy-deselected"))


def _rules_and_waivers_graded(
    changes: Iterable[ReviewChange],
    gone: Iterable[Gone],
    base: AuditResult,
    head: AuditResult,
) -> list[ReviewChange]:
    """The changes, each rule, policy, waiver and map-file change given the gravest finding
    it clears (``ReviewChange.gravest``), so that the order puts it among the changes that
    clear as grave a finding, not after routine claims (attack review 2026-12-03r, problem
    1): a rule or policy, the findings gone under it (``rule changed``) and the ones it
    grades lower than the base did; a waiver, the findings it covers in HEAD that it did not
    cover at the base (gone as waived, or new and covered), and a waiver made longer every
    finding it covers in HEAD, which it now keeps out of the gate for longer (attack review
    2026-12-03s, problem 6); a map file, the findings that left with it (located in it at the
    base). A waiver whose gravest findings are all new in the change, none of the base's, is
    marked so (``ReviewChange.gravest_new``): at one grade it comes after the changes that
    clear a finding the base has (attack review 2026-12-03s, problem 4)."""
    grades: dict[tuple[str, str], list[tuple[Severity, bool]]] = {}

    def cleared(
        kinds: Iterable[str], subject: str, severity: Severity, on_base: bool = True
    ) -> None:
        for kind in kinds:
            grades.setdefault((kind, subject), []).append((severity, on_base))

    for lost in gone:
        finding = lost.finding
        if lost.status == RULE_CHANGED:
            for rule_id in finding.rule_ids:
                cleared(_RULE_KINDS, rule_id, finding.severity)
                policy = base.rule_origin.get(rule_id)
                if policy is not None:
                    cleared(_POLICY_KINDS, policy, finding.severity)
        elif lost.status == REMOVED and finding.location is not None:
            where = finding.location.file.replace("\\", "/")
            for path in _parents_of(where):
                cleared(("map-file-gone",), path, finding.severity)
    before = {finding_key(f): f.severity for f in base.findings}
    for finding in head.findings:  # graded lower by a changed rule: stays existing, lowered
        was = before.get(finding_key(finding))
        if was is not None and finding.severity.rank < was.rank:
            for rule_id in finding.rule_ids:
                cleared(("rule-changed",), rule_id, was)
    covered_before = {(f.waiver.id, finding_key(f)) for f in base.waived if f.waiver is not None}
    for finding in head.waived:
        if finding.waiver is None:
            continue
        key = finding_key(finding)
        on_base = key in before
        if (finding.waiver.id, key) not in covered_before:
            cleared(_WAIVER_KINDS, finding.waiver.id, finding.severity, on_base)
        else:  # covered at the base too: a longer waiver keeps it hidden for longer
            cleared(("waiver-extended",), finding.waiver.id, finding.severity, on_base)
    return [
        _graded(change, grades[change.kind, change.subject])
        if (change.kind, change.subject) in grades
        else change
        for change in changes
    ]


def _graded(change: ReviewChange, grades: list[tuple[Severity, bool]]) -> ReviewChange:
    """``change`` given the gravest of ``grades`` (each a severity cleared, and whether the
    finding is one the base has), and whether every finding at that grade is new."""
    said = [*grades, *([(change.gravest, True)] if change.gravest is not None else [])]
    gravest = max(severity.rank for severity, _ in said)
    top = [on_base for severity, on_base in said if severity.rank == gravest]
    return replace(
        change,
        gravest=_graver(*(severity for severity, _ in said)),
        gravest_new=not any(top),
    )


_WAIVER_KINDS = ("waiver-covers-new", "waiver-added", "waiver-changed", "waiver-extended")


def _parents_of(path: str) -> list[str]:
    """``a/b/c.yaml``, ``b/c.yaml``, ``c.yaml``: the paths a file read at the base may be
    named by (``map-file-gone`` names it from the repository's top, the base audit read it
    in a temporary copy)."""
    parts = path.split("/")
    return ["/".join(parts[i:]) for i in range(len(parts))]


def _in_files(finding: Finding, paths: set[str]) -> bool:
    """Whether a base finding is located in one of these files (named from any folder)."""
    if finding.location is None:
        return False
    return not paths.isdisjoint(_parents_of(finding.location.file.replace("\\", "/")))


def _removed_unconfirmed(
    removed: Iterable[Finding], base: AuditResult, head: AuditResult
) -> list[ReviewChange]:
    """A change to review for each high or critical finding gone with its element while the
    change adds an element to the same collection: renamed and re-described, the finding
    would go as "removed" and only the new element's routine claims be listed (attack review
    2026-12-02d, hole 4). A person confirms the processing stopped. So for a flow whose
    target store still declares data it carried that nothing else writes into it
    (``_still_recorded``): the map itself says the data is still held (attack review s9,
    problem 1)."""
    organisation = head.loaded.organisation.id
    added = {"organisation": [organisation] if organisation != base.loaded.organisation.id else []}
    for collection in COLLECTIONS:
        before = {e.id for e in getattr(base.loaded.data, collection)}
        added[collection] = [
            e.id for e in getattr(head.loaded.data, collection) if e.id not in before
        ]
    # a flow of the base re-pointed into where a removed flow went takes its processing
    # over with no element added (attack review s3, problem 1: leads loaded into the list by
    # the organisation's flow, removed, now by the broker's own flow, re-pointed there)
    moved = _repointed(base, head)
    base_targets = {flow.id: flow.target for flow in base.loaded.data.flows}
    into: dict[str, list[str]] = {}
    for flow in head.loaded.data.flows:
        if flow.id in moved and flow.target != moved[flow.id][1]:
            into.setdefault(flow.target, []).append(flow.id)
    kept = _still_recorded(removed, base, head)
    found: list[ReviewChange] = []
    for finding in removed:
        collection, element_id = finding.element
        ids = added.get(collection, [])
        taken = into.get(base_targets.get(element_id, ""), []) if collection == "flows" else []
        held = kept.get(element_id) if collection == "flows" else None
        if not ids and not taken and held is None:
            continue
        label = f"{collection}/{element_id}"
        reasons: list[str] = []
        at: ElementRef | None = None
        if ids:
            shown = ", ".join(f"{collection}/{i}" for i in ids[:3]) + (
                f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            )
            how = f"the change adds {shown}"
            at = (collection, ids[0])
        elif taken:
            shown = ", ".join(f"flows/{i}" for i in taken)
            how = f"the change re-points {shown} to its target {base_targets[element_id]}"
            at = ("flows", taken[0])
        if ids or taken:
            reasons.append(
                f"{how}: confirm that the processing stopped rather than was renamed and "
                "described away"
            )
        said = f"it said: {finding.message}"
        if held is not None:
            store = held.store
            where = f"systems/{store.id} ({store.country})"
            if held.was is not None:  # the base's store gone, this one its likely new name
                where += f", which takes the place of systems/{held.was} of the base ({held.how})"
            elif held.how:
                where += f", {held.how}"
            if held.kept and held.unfilled:
                reasons.append(
                    f"the data it carried is still recorded in {where}; confirm it was "
                    "erased, or record the flow that fills it"
                )
                said = f"it declares {held.kept}, which no flow writes into it; {said}"
            elif held.kept:
                reasons.append(
                    f"the data it carried is still recorded in {where}; confirm it was "
                    "erased from it, whatever other flows now write into it"
                )
                said = f"it declares {held.kept}; {said}"
            if held.dropped:
                reasons.append(
                    (
                        "its declaration"
                        if held.kept
                        else f"the store it filled, {where}, is still in the map, and its "
                        "declaration"
                    )
                    + f" no longer names {held.dropped}: confirm it was erased"
                )
            if not held.kept and not held.dropped and not reasons:
                reasons.append(
                    f"the store it filled, {where}, is still in the map: confirm the data the "
                    "flow carried was erased from it"
                )
            at = at or ("systems", store.id)
        found.append(
            ReviewChange(
                f"removed-unconfirmed:{finding.rule_id}:{label}:{finding.code}",
                "removed-unconfirmed",
                label,
                f"{finding.severity.value} {' + '.join(finding.rule_ids)} on {label} "
                f"({finding.code}) went with its element, and {'; and '.join(reasons)} "
                f"({said})",
                location=head.loaded.sources.locate(at) if at is not None else None,
                gravest=finding.severity,
            )
        )
    return found


class _Held(NamedTuple):
    """A store at HEAD that still says something of a deleted flow's data: ``kept``, what it
    declares of it that no flow brings; ``dropped``, what the base's store declared of it
    that HEAD's no longer names; ``was``, the base store's id where HEAD's is another id."""

    store: System
    kept: str
    dropped: str
    was: str | None
    #: why ``store`` is taken for the base's store ``was``, in words
    how: str = ""
    #: whether no flow at HEAD writes ``kept`` into the store (else other flows fill it)
    unfilled: bool = True


def _declared_of(store: System, flow: Flow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What ``store`` declares (``categories``, ``subjects``) that ``flow`` carried."""
    unbrought, _ = not_brought(tuple(store.categories), (), (set(flow.categories), set()))
    return (
        tuple(c for c in store.categories if c not in unbrought),
        tuple(s for s in store.subjects if s in flow.subjects),
    )


#: Per store, the categories and people the flows at HEAD write into it (``filling``).
_Filled = Mapping[str, tuple[set[str], set[str]]]


def _unfilled_of(store: System, flow: Flow, filled: _Filled) -> tuple[list[str], list[str]]:
    """What ``store`` declares of the data ``flow`` carried that no flow at HEAD writes into
    it (as HYG-STORE-SOURCE reads what fills a store)."""
    return not_brought(*_declared_of(store, flow), filled.get(store.id, (set(), set())))


def _in_words(categories: Iterable[str], subjects: Iterable[str]) -> str:
    """``categories a, b and data about c``: declared data in words."""
    categories, subjects = list(categories), list(subjects)
    what = [f"categories {', '.join(categories)}"] if categories else []
    if subjects:
        what.append(f"data about {', '.join(subjects)}")
    return " and ".join(what)


def _still_recorded(
    removed: Iterable[Finding], base: AuditResult, head: AuditResult
) -> dict[str, _Held]:
    """Per flow of the base gone with a high or critical finding, its target store where
    that store is still in the map and still declares (``categories``, ``subjects``) data
    the flow carried that no flow at HEAD brings into it (as HYG-STORE-SOURCE reads what
    fills a store), with that data in words. The map then contradicts "the processing
    stopped": the data is still held, abroad perhaps, and the finding went with the flow
    while a medium HYG-STORE-SOURCE was all that said so (attack review s9, problem 1: a
    CRITICAL transfer to a US backup store went as REMOVED, exit 0 under --fail-on high).

    A store renamed in the change is the same store: one of the base gone at HEAD is matched
    to one HEAD adds with the same owner and country that declares data the flow carried
    (attack review s10, problem 1: renaming ``us-backup`` let the CRITICAL go unconfirmed).
    A store kept whose declaration drops what the flow carried makes a claim of erasure in
    the very change that removes the finding, which the map cannot show (attack review s10,
    problem 4). A flow deleted with its store (and none takes its place) stopped, and its
    data was erased with it: a plain REMOVED."""
    gone = {f.element[1] for f in removed if f.element[0] == "flows"}
    if not gone:
        return {}
    ended = [flow for flow in base.loaded.data.flows if flow.id in gone]
    if not ended:
        return {}
    stores = {system.id: system for system in head.loaded.data.systems}
    stores_before = {system.id: system for system in base.loaded.data.systems}
    # the stores HEAD adds, and those it keeps whose declaration it widens: built once, read
    # per deleted flow
    added = [system for system in head.loaded.data.systems if system.id not in stores_before]
    widened = [
        system
        for system in head.loaded.data.systems
        if system.id in stores_before
        and (
            not set(system.categories) <= set(stores_before[system.id].categories)
            or not set(system.subjects) <= set(stores_before[system.id].subjects)
        )
    ]
    filled = filling(head.facts).into
    # the stores the change adds (with None) or widens (with the base's): what a deleted
    # flow to a party may have been moved into
    changed = [(system, None) for system in added] + [
        (system, stores_before[system.id]) for system in widened
    ]
    kept: dict[str, _Held] = {}
    facts = head.facts
    holders: _Holders | None = None  # indexed at the first flow to a party
    places: _Places | None = None  # indexed at the first flow whose store went
    for flow in ended:
        before = stores_before.get(flow.target)
        store = stores.get(flow.target)
        was: str | None = None
        how = ""
        if store is None and before is not None:
            # the store gone: where its data went, if the change records it elsewhere. A
            # store added with the same owner and country first (renamed: attack review
            # s10, problem 1), then any added store declaring the data (renamed and given
            # another owner or country), then a store kept that newly declares it (moved
            # into the host's other store: attack review s11, problems 1-2)
            if places is None:
                places = _Places(added, widened, stores_before, stores, filled)
            found = _taking_place(flow, before, places)
            if found is not None:
                store, how = found
                was = before.id
        if store is None and before is None:
            # a flow to a party: a store that party holds, declaring data the flow carried,
            # records the data as still with it, whether the change adds the store or an
            # earlier one did (attack review s13: the US party's new store took the CRITICAL
            # transfer's place, exit 0), and whoever fills it: the party's own flow into it,
            # added in an earlier pull request or re-pointed in this one, passed as its
            # source (attack review s14, problems 1 and 3); the party renamed in the change
            # is the same party (attack review s14, problem 2)
            if holders is None:
                holders = _Holders(head, changed, filled)
            held_there = _held_by_recipient(flow, holders, filled)
            if held_there is not None:
                store, categories, subjects, how = held_there
                unfilled = any(_unfilled_of(store, flow, filled))
                words = _in_words(categories, subjects)
                kept[flow.id] = _Held(store, words, "", None, how, unfilled)
            continue
        if store is None:
            continue
        if was is None and (not facts.holds_for_us(store) or store.id in facts.others_stores):
            # left to another controller at HEAD: the store's release is the change to
            # review (``_stores_released``, ``_stores_left_aside``), not this
            continue
        # what the store declares that the deleted flow brought, and that nothing at HEAD
        # brings
        categories, subjects = _unfilled_of(store, flow, filled)
        # what the base's store declared of it that HEAD's no longer names
        dropped: tuple[list[str], list[str]] = ([], [])
        if before is not None:
            carried, about = _declared_of(before, flow)
            dropped = not_brought(carried, about, (set(store.categories), set(store.subjects)))
        if was is None and not categories and not subjects and not dropped[0] and not dropped[1]:
            # the store it filled is still there, its declaration unchanged of the flow's data
            # or never naming it, or other flows now fill it: whether the data the flow
            # carried was erased from it is a person's to confirm. Judged only on what one
            # change declares, the declaration rewritten in one pull request and the flow
            # deleted in the next, or another flow added to fill the store first, let the
            # CRITICAL go with exit 0 (attack review s12, problems 2-3)
            kept[flow.id] = _Held(store, "", "", None, "")
            continue
        if was is not None and not categories and not subjects:
            # the data moved into a store that other flows fill: recorded there all the same
            categories, subjects = (list(part) for part in _declared_of(store, flow))
        kept[flow.id] = _Held(store, _in_words(categories, subjects), _in_words(*dropped), was, how)
    return kept


class _FirstDeclaring:
    """The first of some stores, in their order, that declares (in the words given for each:
    all it declares, or only what a change newly names, or what no flow fills) data a flow
    carried, found by lookups: a category is named by the store's category, a broader one or
    a narrower one, as ``not_brought`` reads it; a person by the subject. Built once and asked
    per deleted flow, where reading every store for each made a pull request deleting many
    flows beside many stores quadratic (attack review s17, problem a)."""

    def __init__(self, declared: Iterable[tuple[System, Iterable[str], Iterable[str]]]) -> None:
        self._stores: list[System] = []
        # per category: the first store declaring it; the first declaring it or one below it
        self._exact: dict[str, int] = {}
        self._below: dict[str, int] = {}
        self._about: dict[str, int] = {}
        for position, (store, categories, subjects) in enumerate(declared):
            self._stores.append(store)
            for category in categories:
                self._exact.setdefault(category, position)
                for above in ancestors(category):
                    self._below.setdefault(above, position)
            for subject in subjects:
                self._about.setdefault(subject, position)

    def first(self, flow: Flow) -> System | None:
        """The first store declaring data ``flow`` carried, None if none does."""
        found = [
            *(self._below.get(category) for category in flow.categories),
            *(
                self._exact.get(above)
                for category in flow.categories
                for above in ancestors(category)
            ),
            *(self._about.get(subject) for subject in flow.subjects),
        ]
        positions = [position for position in found if position is not None]
        return self._stores[min(positions)] if positions else None


class _Holders:
    """The stores at HEAD a deleted flow to a party may be held in, indexed once for
    ``_held_by_recipient``: per owner, all each declares; those the change adds (all they
    declare) or widens (what they newly name); and, of every owner and of the organisation
    only, what no flow writes into them."""

    def __init__(
        self,
        head: AuditResult,
        changed: Sequence[tuple[System, System | None]],
        filled: _Filled,
    ) -> None:
        stores = head.loaded.data.systems
        self.ours = head.facts.index.organisation.id
        owned: dict[str, list[tuple[System, Iterable[str], Iterable[str]]]] = {}
        for store in stores:
            owned.setdefault(store.owner, []).append((store, store.categories, store.subjects))
        self.owned = {owner: _FirstDeclaring(held) for owner, held in owned.items()}
        self.changed = _FirstDeclaring(
            (
                store,
                (c for c in store.categories if before is None or c not in before.categories),
                (s for s in store.subjects if before is None or s not in before.subjects),
            )
            for store, before in changed
        )
        unfilled = [
            (store, *not_brought(tuple(store.categories), tuple(store.subjects), brought))
            for store in stores
            for brought in [filled.get(store.id, (set(), set()))]
        ]
        self.unfilled = _FirstDeclaring(unfilled)
        self.unfilled_ours = _FirstDeclaring(
            held for held in unfilled if held[0].owner == self.ours
        )
        self.before = {store.id: before for store, before in changed}


def _held_by_recipient(
    flow: Flow, holders: _Holders, filled: _Filled
) -> tuple[System, list[str], list[str], str] | None:
    """The first store at HEAD that still records data a deleted flow to a party carried,
    with that data and why it is taken, in words: one the party holds that declares it,
    whoever fills it; else one the change adds, or widens to newly name it, of any owner in
    any country; else one that declares it and that no flow writes it into, added by an
    earlier pull request perhaps. The flow's data, its recipient renamed or given another
    country, handed to a third party, or moved into the organisation's own store abroad, is
    then still in the map (attack review s15, problems 1-4). For a flow to the organisation,
    only what no flow writes into its stores: its own stores are filled by its own flows,
    each judged on its own. Found by ``holders``' lookups, built once for every such flow."""
    ours = holders.ours
    if flow.target != ours:
        owned = holders.owned.get(flow.target)
        store = owned.first(flow) if owned is not None else None
        if store is not None:
            declared, about = _declared_of(store, flow)
            gave = f"held by {flow.target}, which the flow gave the data to"
            return store, list(declared), list(about), gave
        store = holders.changed.first(flow)
        if store is not None:
            declared, about = _declared_of(store, flow)
            how = "added" if holders.before[store.id] is None else "its declaration widened"
            return (
                store,
                list(declared),
                list(about),
                f"held by {store.owner}; {how} by the change, it declares data the flow carried",
            )
    store = (holders.unfilled_ours if flow.target == ours else holders.unfilled).first(flow)
    if store is None:
        return None
    categories, subjects = _unfilled_of(store, flow, filled)
    return (
        store,
        categories,
        subjects,
        f"held by {store.owner}, which declares data the flow carried that no flow writes into it",
    )


class _Places:
    """The stores at HEAD that may take the place of a store gone with a deleted flow,
    indexed once for ``_taking_place``: those the change adds, by owner and country and
    all; those it widens, by what they newly name; those it keeps, by owner and all, by
    what no flow writes into them. Reading every added and kept store for each deleted flow
    made a pull request deleting many flows and their stores beside many added ones
    quadratic (attack review s17, found beside problem a)."""

    def __init__(
        self,
        added: Sequence[System],
        widened: Sequence[System],
        stores_before: Mapping[str, System],
        stores: Mapping[str, System],
        filled: _Filled,
    ) -> None:
        placed: dict[tuple[str, str], list[System]] = {}
        for store in added:
            placed.setdefault((store.owner, store.country), []).append(store)
        self.same = {
            place: _FirstDeclaring((s, s.categories, s.subjects) for s in group)
            for place, group in placed.items()
        }
        self.added = _FirstDeclaring((s, s.categories, s.subjects) for s in added)
        self.widened = _FirstDeclaring(
            (
                s,
                [c for c in s.categories if c not in stores_before[s.id].categories],
                [p for p in s.subjects if p not in stores_before[s.id].subjects],
            )
            for s in widened
        )
        unfilled = [
            (store, *not_brought(tuple(store.categories), tuple(store.subjects), brought))
            for store in stores.values()
            if store.id in stores_before
            for brought in [filled.get(store.id, (set(), set()))]
        ]
        owned: dict[str, list[tuple[System, list[str], list[str]]]] = {}
        for held in unfilled:
            owned.setdefault(held[0].owner, []).append(held)
        self.kept_owned = {owner: _FirstDeclaring(group) for owner, group in owned.items()}
        self.kept = _FirstDeclaring(unfilled)


def _taking_place(flow: Flow, before: System, places: _Places) -> tuple[System, str] | None:
    """The store at HEAD that takes the place of ``before``, gone with ``flow``, and why in
    words: an added one with its owner and country that declares data the flow carried,
    else any added one that does, else one kept that newly declares some of it, else one
    kept, of the same owner first, that declares some of it that no flow fills (declared
    in an earlier pull request, then the flow and its store deleted in the next: attack
    review s12, problem 1). Found by ``places``' lookups, built once."""
    same = places.same.get((before.owner, before.country))
    other = same.first(flow) if same is not None else None
    if other is not None:
        return other, (
            f"same owner {other.owner} and country {other.country}; it declares data "
            "the flow carried"
        )
    other = places.added.first(flow)
    if other is not None:
        return other, "added by the change; it declares data the flow carried"
    other = places.widened.first(flow)
    if other is not None:
        return other, "its declaration newly names data the flow carried"
    owned = places.kept_owned.get(before.owner)
    other = owned.first(flow) if owned is not None else None  # the same host's first
    if other is None:
        other = places.kept.first(flow)
    if other is not None:
        return other, "it declares data the flow carried that no flow writes into it"
    return None


def _routed(base: AuditResult, head: AuditResult) -> tuple[list[Finding], list[ReviewChange]]:
    """Findings that match the base's but that the change adds to: a kind whose one finding
    stands for many routes (an onward hop reached by many flows of ours) says which of its
    elements the change gives a new route to (``Check.added``). Active ones count as new;
    a waiver that covers one is a change to review, as it now covers data it was not
    approved for."""
    from flowaudit.checks.registry import CHECKS  # the kinds, known only once loaded

    before = {rule.id: rule for rule in base.rules if rule.enabled}
    routed: list[Finding] = []
    waived: dict[str, list[Finding]] = {}
    # a flow that now carries more (another category or group of people) adds to each of
    # its problems, as a new flow would (attack review 2026-12-02b, hole 5)
    elements = _widened(base, head)
    for rule in head.rules:
        check = CHECKS.get(rule.kind)
        if check is None or check.added is None or not rule.enabled:
            continue
        if rule.id not in before:
            continue  # a new rule is a change to review, and all its findings are new
        elements |= check.added(base, head, rule)
    if elements:
        # every problem of such an element now concerns more of our data, whichever rule
        # reports it (the transfer rule reports a processor's hop to its sub-processor)
        for finding in (*head.active, *head.waived):
            if finding.element in elements:
                if finding.waiver is None:
                    routed.append(finding)
                else:
                    waived.setdefault(finding.waiver.id, []).append(finding)
    reviews = [
        ReviewChange(
            f"waiver-covers-new:{waiver_id}",
            "waiver-covers-new",
            waiver_id,
            f"waiver '{waiver_id}' now covers more of the organisation's data: the change "
            "widens, or gives a new route to, "
            + "; ".join(f"{f.element[0]}/{f.element[1]} ({f.code})" for f in findings),
        )
        for waiver_id, findings in waived.items()
    ]
    return routed, reviews


#: A flow's end as the data sees it: the store (None for a party or the organisation), the
#: party that holds the data there, and that party's kind and country.
End = tuple[str | None, str, str | None, str | None]


def _ends(result: AuditResult) -> Callable[[str], End]:
    """How a flow's ``from`` or ``to`` resolves in one audit's map: a store stands for its
    owner, so re-pointing a store's ``owner`` sends every flow to it to someone else."""
    data = result.loaded.data
    parties = {party.id: party for party in data.parties}
    owners = {system.id: system.owner for system in data.systems}

    def end(node_id: str) -> End:
        party_id = owners.get(node_id, node_id)
        party = parties.get(party_id)
        return (
            node_id if node_id in owners else None,
            party_id,
            None if party is None else party.kind,
            None if party is None else party.country,
        )

    return end


def _widened(base: AuditResult, head: AuditResult) -> set[ElementRef]:
    """The flows of the base that HEAD has carry more: a category none of the base's covers
    (``contact`` covers ``contact.email``), a subject, or more in ``may_carry``, or go
    between other ends (resolved: a store's new owner, a party of another kind or country is
    someone else); and the stores that hold more categories or subjects, or belong to
    another party."""
    before = {flow.id: flow for flow in base.loaded.data.flows}
    end_then, end_now = _ends(base), _ends(head)
    widened: set[ElementRef] = set()
    for flow in head.loaded.data.flows:
        old = before.get(flow.id)
        if old is None:
            continue  # a new flow: all its findings are new already
        may, was = flow.may_carry, old.may_carry
        # a store re-pointed to a new owner leaves the flow's own fields as they were
        # (attack review 2026-12-02d, 1): its ends are compared as resolved
        moved = (end_now(flow.source), end_now(flow.target)) != (
            end_then(old.source),
            end_then(old.target),
        )
        if not moved and (flow.categories, flow.subjects, may) == (
            old.categories,
            old.subjects,
            was,
        ):
            continue  # most flows of a change: nothing to compare
        grew = (
            moved  # to someone else now
            or not all(covered(c, old.categories) for c in flow.categories)
            or not set(flow.subjects) <= set(old.subjects)
            or (
                may is not None
                and (
                    was is None
                    or not all(covered(c, was.categories) for c in may.categories)
                    or not set(may.subjects) <= set(was.subjects)
                )
            )
        )
        if grew:
            widened.add(("flows", flow.id))
    # a store that now holds more: its findings (retention, protection) concern more data
    held = {system.id: system for system in base.loaded.data.systems}
    for system in head.loaded.data.systems:
        was_held = held.get(system.id)
        if was_held is not None and (
            system.owner != was_held.owner  # held for someone else now
            or not all(covered(c, was_held.categories) for c in system.categories)
            or not set(system.subjects) <= set(was_held.subjects)
        ):
            widened.add(("systems", system.id))
    return widened


#: Fields of a rule that only grade its findings: a finding's key holds no severity, so
#: changing them cannot make a finding go (attack review 2026-12-02d, hole 3).
_GRADING = frozenset({"severity", "code_severity"})


def _finding_rules(base: AuditResult, head: AuditResult) -> set[str]:
    """The rules whose change can change which findings they make: removed, added, switched
    on or off, re-scoped or re-configured. A rule whose severity alone moved (raised or
    lowered, by the rule or an override) finds what it found: its findings still match."""
    before = {rule.id: rule for rule in base.rules}
    after = {rule.id: rule for rule in head.rules}
    found = set(before.keys() ^ after.keys())
    for rule_id in before.keys() & after.keys():
        old, new = _judged(before[rule_id]), _judged(after[rule_id])
        if {k: v for k, v in old.items() if k not in _GRADING} != {
            k: v for k, v in new.items() if k not in _GRADING
        }:
            found.add(rule_id)
    return found


def _changed_rules(
    base: AuditResult, changes: Iterable[ReviewChange], finding_rules: set[str]
) -> set[str]:
    """The rules a listed change to review altered in what they find, removed, added or
    stopped applying (a severity change alone is left out: it regroups nothing)."""
    rules = {
        c.subject
        for c in changes
        if c.kind in ("rule-removed", "rule-changed", "rule-added") and c.subject in finding_rules
    }
    gone_policies = {
        c.subject for c in changes if c.kind in ("policy-removed", "policy-deselected")
    }
    rules |= {rule for rule, policy in base.rule_origin.items() if policy in gone_policies}
    return rules


def _regrouped(
    new: tuple[Finding, ...], old: tuple[Finding, ...], changed_rules: set[str]
) -> tuple[tuple[Finding, ...], dict[int, str]]:
    """Pairs a new finding with a gone one when both are the same problem (element and code)
    established by a different set of rules because a rule change listed for review altered
    those rules: one finding per problem merges the rules behind it, so switching one off
    changes the finding's rules, not the problem. Such a pair is
    neither new nor fixed: the gone side is "rule changed" (and the rule change itself is a
    change to review)."""
    by_problem: dict[tuple[str, str], list[Finding]] = {}
    for finding in old:
        by_problem.setdefault(finding.element, []).append(finding)
    still_new: list[Finding] = []
    reasons: dict[int, str] = {}
    for finding in new:
        candidates = by_problem.get(finding.element, [])
        match = next(
            (
                f
                for f in candidates
                # the same code, or a rule of a joined finding (one fact, rules objecting to it
                # with codes of their own) left alone when the rule that led it changed
                if (f.code == finding.code or set(finding.rule_ids) < set(f.rule_ids))
                and set(f.rule_ids) != set(finding.rule_ids)
                and set(f.rule_ids) & set(finding.rule_ids)
                # only a rule change listed for review explains the difference: a change to
                # the map that drops one rule's finding is new and fixed, as it should be
                and set(f.rule_ids) ^ set(finding.rule_ids) <= changed_rules
            ),
            None,
        )
        if match is None:
            still_new.append(finding)
            continue
        candidates.remove(match)
        reasons[id(match)] = (
            f"now established by {' + '.join(finding.rule_ids)} "
            f"({finding.severity.value}) instead of {' + '.join(match.rule_ids)} "
            f"({match.severity.value})"
        )
    return tuple(still_new), reasons


#: Hex digits of a change's digest in its id: 64 bits, so no edit can be searched for that
#: makes a changed line hash as the accepted one did.
PIN_DIGITS = 16


#: The digest at the end of a pinned id. A dot, not ``@``: every output keeps it as it is
#: (Markdown breaks ``@name`` with a zero-width space, against mentions, and a reviewer copies
#: the id from there).
_PIN = re.compile(rf"\.[0-9a-f]{{{PIN_DIGITS}}}\Z")


#: The characters a change id keeps as they are: safe to paste into a shell unquoted (no
#: space, quote, ``$``, backtick, ``;``, ``|``, ``&``, ``(``, glob or brace), and kept as they
#: are by every output (no ``@``: Markdown breaks ``@name`` against mentions).
_ID_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/:+-")


def safe_id(change_id: str) -> str:
    """``change_id`` with every character outside ``_ID_SAFE`` percent-encoded (its UTF-8
    bytes, ``%`` itself among them), so that two different ids never read the same. A
    subject can hold any text: ``map-file-gone:PATH`` holds the base's file name as it is,
    and a name with ``$(...)`` or a backtick ran a command when a reviewer pasted its id
    after ``--accept-change`` as printed (attack review 2026-12-02i, E)."""
    if all(c in _ID_SAFE for c in change_id):
        return change_id  # nearly every id: identifiers and plain paths
    return "".join(
        c if c in _ID_SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
        for c in change_id
    )


def reviewed_files(head: AuditResult) -> str:
    """A digest of what a reviewer reads a change in: the content of every map and policy
    file of HEAD (by their hashes, in the order read; not their paths, not the date)."""
    digest = hashlib.sha256()
    for item in (*head.inputs, *head.policy_files):
        digest.update(f"{item.sha256}\n".encode())
    return digest.hexdigest()


def pinned_id(change: ReviewChange, files: str = "") -> str:
    """``KIND:SUBJECT.DIGEST``: the change's id (``safe_id``: safe to paste) with a digest
    of what it says (its kind, subject and detail, the findings folded into it among them)
    and of the files it was read in (``reviewed_files``). An id accepted for one reading
    accepts nothing after a later push: attack review 2026-12-02e, hole 2, where
    ``--accept-change claim-changed:flows/X`` passed for a TLS claim still accepted that
    claim's line once a lawful-basis finding was folded into it; and review h, holes 1-3,
    where what a change does was not in its line (a rule re-scoped further, an agreement's
    terms, a consent record's purposes) and a later push made it do more under the same
    words."""
    said = "\n".join((change.kind, change.subject, change.detail, files))
    digest = hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{safe_id(change.id)}.{digest[:PIN_DIGITS]}"


def unpinned_id(change_id: str) -> str:
    """``KIND:SUBJECT`` of an id, pinned or not."""
    return _PIN.sub("", change_id)


def accept(
    changes: Iterable[ReviewChange], accepted: Iterable[str] | bool, files: str = ""
) -> tuple[ReviewChange, ...]:
    """The changes, each with its id pinned to what it says and the files it is read in
    (``pinned_id``), and ``accepted`` set for those a reviewer let through: by that id, never
    by the subject alone (or all of them, with True)."""
    ids = None if accepted is True else set(accepted or ())
    pinned = [replace(c, id=pinned_id(c, files)) for c in changes]
    return tuple(replace(c, accepted=ids is None or c.id in ids) for c in pinned)


class _Classifier:
    """Why a finding of BASE went, from what HEAD says (indexes built once: a big map can
    lose thousands of findings in one change)."""

    def __init__(
        self,
        base: AuditResult,
        head: AuditResult,
        changes: tuple[ReviewChange, ...],
        finding_rules: set[str],
        new: Iterable[Finding],
    ) -> None:
        data = head.loaded.data
        self.elements = {("organisation", head.loaded.organisation.id)}
        for collection in COLLECTIONS:
            self.elements.update((collection, e.id) for e in getattr(data, collection))
        self.waivers = {finding_key(f): f.waiver for f in head.waived}
        # only a rule change that can change what the rule finds explains a finding gone: a
        # severity raised cannot, and must not launder one described away (attack review
        # 2026-12-02d, hole 3)
        ruled = [c for c in changes if c.kind in ("rule-removed", "rule-changed")]
        self.rules = {c.subject: c.detail for c in ruled if c.subject in finding_rules}
        # a severity change can hand a merged finding to another leading rule: gone under
        # one rule id, new under the other, the same problem (element, code, the same rules:
        # one rule fewer is a part of the problem gone, which a severity change cannot do)
        self.graded = {c.subject: c.detail for c in ruled if c.subject not in finding_rules}
        self.led: dict[tuple[ElementRef, str], list[set[str]]] = {}
        for finding in new:
            self.led.setdefault((finding.element, finding.code), []).append(set(finding.rule_ids))
        removed = {c.subject: c.detail for c in changes if c.kind == "policy-removed"}
        for rule_id, policy in base.rule_origin.items():
            if policy in removed and rule_id not in head.rule_origin:
                self.rules.setdefault(rule_id, removed[policy])
        self.applied = set(head.rule_origin)
        # a finding gone from an element HEAD still holds "now passes" only where HEAD passed
        # it; an element the rule no longer judges (a host's cookie store whose owner became a
        # controller) is said to be out of the rule's scope (DPO review 2026-12-03t, problem 1)
        self.passed = {(e.rule_id, e.element) for e in head.passed}

    def __call__(self, finding: Finding) -> Gone:
        if finding.element not in self.elements:
            return Gone(finding, REMOVED, f"{finding.element_label} is no longer in the map")
        cover = self.waivers.get(finding_key(finding))
        if cover is not None:
            return Gone(finding, WAIVED, f"waiver '{cover.id}' covers it until {cover.expires_on}")
        for rule_id in finding.rule_ids:  # every rule behind a merged finding
            changed = self.rules.get(rule_id)
            if changed is not None:
                return Gone(finding, RULE_CHANGED, changed)
            if rule_id not in self.applied:
                return Gone(finding, RULE_CHANGED, f"{rule_id} is no longer applied")
        graded = [self.graded[r] for r in finding.rule_ids if r in self.graded]
        rules = set(finding.rule_ids)
        if graded and rules in self.led.get((finding.element, finding.code), ()):
            return Gone(finding, RULE_CHANGED, f"{graded[0]}: now led by another rule (new)")
        if any((rule_id, finding.element) in self.passed for rule_id in finding.rule_ids):
            return Gone(finding, FIXED, f"{finding.element_label} now passes {finding.rule_id}")
        return Gone(
            finding,
            FIXED,
            f"{finding.element_label} is no longer judged by {finding.rule_id} (out of its scope "
            "as the map now reads, or its problem fixed on another element)",
        )


def _lowered(base: AuditResult, head: AuditResult) -> dict[str, list[str]]:
    """Per rule, the findings behind it that HEAD grades lower than the base did (a severity
    or a code_severity lowered): they match the base's and stay existing, their severity
    down. One pass over both audits, whatever the number of rules changed."""
    before = {finding_key(f): f.severity for f in base.findings}
    lowered: dict[str, list[str]] = {}
    for finding in head.findings:
        was = before.get(finding_key(finding))
        if was is None or finding.severity.rank >= was.rank:
            continue
        said = (
            f"{finding.rule_id} on {finding.element_label} ({finding.code}) "
            f"{was.value} -> {finding.severity.value}"
        )
        for rule_id in finding.rule_ids:
            lowered.setdefault(rule_id, []).append(said)
    return lowered


def _judged(rule: RuleBase) -> dict[str, Any]:
    """What of a rule decides findings (its documentation left out)."""
    return {k: v for k, v in rule.model_dump(mode="json").items() if k not in _DOCUMENTATION}


def _rule_change(before: RuleBase, after: RuleBase) -> str | None:
    """How a rule changed in what it finds, in words; None when it did not."""
    old, new = _judged(before), _judged(after)
    if old == new:
        return None
    parts: list[str] = []
    if old["enabled"] != new["enabled"]:
        parts.append("switched off" if not new["enabled"] else "switched on")
    if old["severity"] != new["severity"]:
        lowered = Severity(new["severity"]).rank < Severity(old["severity"]).rank
        word = "lowered" if lowered else "raised"
        parts.append(f"severity {word} {old['severity']} -> {new['severity']}")
    if old.get("match") != new.get("match"):
        parts.append("re-scoped (match changed)")
    settings = sorted(
        k
        for k in old.keys() | new.keys()
        if k not in ("enabled", "severity", "match") and old.get(k) != new.get(k)
    )
    if settings:
        parts.append(
            "settings changed: "
            + ", ".join(f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in settings)
        )
    return "; ".join(parts)


def review_changes(
    base: AuditResult, head: AuditResult, gone: Iterable[Finding] | None = None
) -> tuple[ReviewChange, ...]:
    """Every change between two audits that can hide a finding without fixing it; ``gone``
    are the base's findings HEAD does not match (found here when not given)."""
    gone = _unmatched(base.active, head.active) if gone is None else tuple(gone)
    changes: list[ReviewChange] = []
    base_selection = list(base.loaded.organisation.policies)
    head_selection = list(head.loaded.organisation.policies)
    # a name the base selected but no policy of it had (one a later release withdrew, read
    # leniently at the base) selected nothing: dropping it clears nothing (attack review
    # s10, problem 3)
    loaded_before = set(base.rule_origin.values())
    for name in base_selection:
        if name not in head_selection and name in loaded_before:
            changes.append(
                ReviewChange(
                    f"policy-deselected:{name}",
                    "policy-deselected",
                    name,
                    f"organisation 'policies:' no longer selects {name}",
                )
            )
    for name in head_selection:
        if name not in base_selection:
            changes.append(
                ReviewChange(
                    f"policy-selected:{name}",
                    "policy-selected",
                    name,
                    f"organisation 'policies:' now selects {name}",
                )
            )
    base_policies = set(base.rule_origin.values())
    head_policies = set(head.rule_origin.values())
    gone_policies = sorted(base_policies - head_policies)
    for policy in gone_policies:
        rules = sorted(r for r, p in base.rule_origin.items() if p == policy)
        changes.append(
            ReviewChange(
                f"policy-removed:{policy}",
                "policy-removed",
                policy,
                f"policy {policy} is no longer applied: its {plural(len(rules), 'rule')} "
                f"({', '.join(rules)}) no longer run",
            )
        )
    new_policies = sorted(head_policies - base_policies)
    for policy in new_policies:
        rules = sorted(r for r, p in head.rule_origin.items() if p == policy)
        changes.append(
            ReviewChange(
                f"policy-added:{policy}",
                "policy-added",
                policy,
                f"policy {policy} is newly applied: its {plural(len(rules), 'rule')} "
                f"({', '.join(rules)})",
            )
        )
    overrides = {o.rule_id: o for o in head.overrides}
    head_rules = {rule.id: rule for rule in head.rules}
    base_rules = {rule.id: rule for rule in base.rules}
    lowered_by: dict[str, list[str]] | None = None  # made at the first rule changed
    for rule_id, rule in base_rules.items():
        after = head_rules.get(rule_id)
        if after is None:
            if base.rule_origin.get(rule_id) in gone_policies:
                continue  # said once, by the policy-removed change
            changes.append(
                ReviewChange(
                    f"rule-removed:{rule_id}",
                    "rule-removed",
                    rule_id,
                    f"{rule_id} was removed from policy {base.rule_origin.get(rule_id, '?')}",
                )
            )
            continue
        how = _rule_change(rule, after)
        if how is None:
            continue
        if lowered_by is None:
            lowered_by = _lowered(base, head)
        lowered = lowered_by.get(rule_id, [])
        if lowered:  # the findings it grades down stay "existing": say which (review f, 2)
            how += (
                "; it lowers "
                + ", ".join(lowered[:3])
                + (f" and {len(lowered) - 3} more" if len(lowered) > 3 else "")
            )
        # the author's justification last: the gate's own words come before it, so it cannot
        # close the bracket and say "it lowers no finding" first (attack review g, 4)
        override = overrides.get(rule_id)
        if override is not None:
            how += f" (override in {override.file}: {override.justification})"
        changes.append(ReviewChange(f"rule-changed:{rule_id}", "rule-changed", rule_id, how))
    for rule_id in head_rules.keys() - base_rules.keys():
        if head.rule_origin.get(rule_id) in new_policies:
            continue  # said once, by the policy-added change
        changes.append(
            ReviewChange(
                f"rule-added:{rule_id}",
                "rule-added",
                rule_id,
                f"{rule_id} is new in policy {head.rule_origin.get(rule_id, '?')}",
            )
        )
    changes.extend(_waiver_changes(base, head))
    changes.extend(_waiver_coverage_changes(base, head))
    changes.extend(_signature_changes(base, head))
    changes.extend(_evidence_changes(base, head))
    changes.extend(_claim_changes(base, head, gone))
    changes.extend(_agreement_links(base, head))
    changes.extend(_exemption_changes(base, head))
    changes.extend(_reclassification_changes(base, head, gone))
    return review_order(_located(c, head) for c in changes)


#: Kinds of change to review, the ones that can hide the most first: every listing (text,
#: json, sarif, github, ...) follows this order among the changes that clear as grave a
#: finding (``review_order``: the gravest finding cleared comes first), and GitHub annotates
#: only the first ten errors of a step, so a pull request's own assessments or claims cannot
#: push a rule switched off or a new waiver out of sight. Kinds not named here come last.
REVIEW_ORDER: tuple[str, ...] = (
    # the rules themselves: whole policies, rules, overrides, the gate's settings
    "config-changed",
    "policy-deselected",
    "policy-removed",
    "rule-removed",
    "rule-changed",
    # waivers: each hides a finding by name
    "waiver-covers-new",
    "waiver-added",
    "waiver-changed",
    "waiver-extended",
    # files no longer read: their findings left with them
    "map-file-gone",
    "map-file-ignored",
    # a map new in the change: compared with nothing
    "map-added",
    # new rules: can regroup a finding under other rules
    "policy-selected",
    "policy-added",
    "rule-added",
    # signatures and claims: a statement about the world clears findings
    "agreement-signed",
    "agreement-changed",
    "agreement-extended",
    "agreement-linked",
    "claim-changed",
    "notice-exempts",
    "reclassified",
    "fixed-unconfirmed",
    "removed-unconfirmed",
    "repointed-unjudged",
    "record-names-repointed",
    "joined-finding",
    "left-finding",
    # documents on file
    "assessment-changed",
    "consent-record-changed",
)
_RANK = {kind: rank for rank, kind in enumerate(REVIEW_ORDER)}


def review_order(changes: Iterable[ReviewChange]) -> tuple[ReviewChange, ...]:
    """The changes by the gravest finding each clears (``ReviewChange.gravest``: a critical
    first, then a high one, ..., then those that clear none), then by what they can hide
    (``REVIEW_ORDER``), then by id: six hundred routine claims (new flows claiming TLS) came
    before the one reclassification that cleared a critical transfer finding, past what
    GitHub annotates and past the cut of the Markdown summary (attack review 2026-12-03r,
    problem 1)."""
    return tuple(sorted(changes, key=_review_key))


def _review_key(change: ReviewChange) -> tuple[int, bool, int, str]:
    gravity = -1 if change.gravest is None else change.gravest.rank
    # at one grade, a change clearing a finding of the base before one that covers only the
    # change's own new findings: six hundred decoy waivers of new high findings came before
    # the claim clearing the base's high finding (attack review 2026-12-03s, problem 4)
    return (-gravity, change.gravest_new, _RANK.get(change.kind, len(_RANK)), change.id)


#: The field each kind of change is located at, in the element it names.
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "waiver-added": ("waivers", ()),
    "waiver-changed": ("waivers", ("rule",)),
    "waiver-extended": ("waivers", ("expires_on",)),
    "waiver-covers-new": ("waivers", ("rule",)),
    "agreement-signed": ("agreements", ("status",)),
    "agreement-extended": ("agreements", ("expires_on",)),
    "agreement-changed": ("agreements", ()),
    "assessment-changed": ("assessments", ()),
    "consent-record-changed": ("consent_records", ()),
}


def _located(change: ReviewChange, head: AuditResult) -> ReviewChange:
    """The change with where HEAD says it: the waiver or agreement, the override's file,
    else the organisation's ``policies:`` (code scanning refuses a result with no place)."""
    sources = head.loaded.sources
    organisation = ("organisation", head.loaded.organisation.id)
    location: Location | None = change.location
    if location is not None:
        pass  # located where it was found (a claim, at its field)
    elif change.kind in _FIELDS:
        collection, fields = _FIELDS[change.kind]
        location = sources.locate((collection, change.subject), fields)
    elif change.kind == "rule-changed":
        override = next((o for o in head.overrides if o.rule_id == change.subject), None)
        if override is not None:
            location = Location(override.file, 1, 1)
    return replace(change, location=location or sources.locate(organisation, ("policies",)))


def _evidence_changes(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """Assessments and consent records that are new or say something new: recording one is
    enough to clear a legitimate-interests, transfer-risk or consent finding, and the map
    cannot show that the document exists. Like a newly signed agreement, a person checks it."""
    changes: list[ReviewChange] = []
    for collection, kind, what in (
        ("assessments", "assessment-changed", "assessment"),
        ("consent_records", "consent-record-changed", "consent record"),
    ):
        old = {e.id: e for e in getattr(base.loaded.data, collection)}
        for element in getattr(head.loaded.data, collection):
            before = old.get(element.id)
            if before == element:
                continue
            detail = (
                f"new {what} '{element.id}'"
                if before is None
                else _withdrawal_undone(before, element)
                or f"{what} '{element.id}' now records other facts"
            )
            changes.append(
                ReviewChange(
                    f"{kind}:{element.id}",
                    kind,
                    element.id,
                    f"{detail} (evidence: {getattr(element, 'evidence', None) or 'none'}): "
                    "it can clear findings without anyone producing the document",
                )
            )
    return changes


def _withdrawal_undone(before: Any, after: Any) -> str | None:
    """What a change to review says of a consent record whose withdrawal (``withdrawn_on``)
    is removed or moved later: it clears the consent-not-valid findings of every flow relying
    on the record up to the new date, on the map's word alone (DPO review 2026-12-03o,
    withdrawn consent); None for any other change."""
    was = getattr(before, "withdrawn_on", None)
    now = getattr(after, "withdrawn_on", None)
    if was is None or (now is not None and now <= was):
        return None
    moved = "no longer records it" if now is None else f"now records it withdrawn on {now}"
    return (
        f"consent record '{after.id}' was withdrawn on {was} and {moved}: flows relying on it "
        "count as consented again"
    )


#: Claims: fields by which the map states a fact about the world that clears a finding and
#: that nothing in the repository can show (a certification, a document kept elsewhere, a
#: measure taken, a permission or legal ground, what the notice says). Like a signature or an
#: assessment, a person checks each one: a claim that is new, or says something new, is a
#: change to review (``claim-changed:COLLECTION/ID``). What the map *describes* (countries,
#: categories, subjects, purposes, bases) is the map itself: the diff shows it and the checks
#: judge it; a flow's recipient role and a store's retention are claims, since the map's word
#: alone clears findings with them (attack review 2026-12-02i, A and C). ``a.b`` is a field
#: of a nested record, ``a.*`` every entry of a mapping, ``a[].b`` a field of each record of
#: a list (by its id).
#: A test holds every path to the schema (tests/checks/test_claims.py).
CLAIMS: dict[str, tuple[str, ...]] = {
    "organisation": (
        "appropriate_policy_document",  # DPA 2018 Sch. 1 para 38: the document exists
        "processor_record",  # Art. 30(2): the record is kept
        "breach_procedure.log",  # Art. 33(5)
        "breach_procedure.notify_within_hours",  # Art. 33(1)
        "breach_procedure.notifies_controllers",  # Art. 33(2)
        "breach_procedure.evidence",
        "complaints_procedure",  # DUAA 2025 s.103
        "dsar_days",  # Art. 12(3)
        "group",  # binding corporate rules: one group
        # its own DPF / UK Extension listing clears a customer's transfer into it, as a
        # party's does (auditor review s2, problem 1)
        "listed_under",
        "notice_content.*",  # what the notice says, item by item (Art. 13/14)
        # Art. 27: a representative designated, where, and how to reach it (attack review
        # z, problem 1: a one-line representative cleared GDPR-REPRESENTATIVE unreviewed)
        "representative.name",
        "representative.country",
        "representative.email",
        "representative.phone",
        "representative.address",
    ),
    "parties": (
        "listed_under",  # DPF / UK Extension certification
        "approved_supplier",  # supplier due diligence passed
        "group",  # binding corporate rules: one group
    ),
    "systems": (
        "encrypted_at_rest",
        "protection",  # a measure taken to protect the secrets it holds
        # why data is kept that long, and how long: a justification clears a retention
        # finding whatever it says (attack review 2026-12-02i, C), and a shorter time the
        # finding of a rule's longest period (attack review 2026-12-03l, 5: 90 -> 30 days
        # cleared CONCERO-PHONE-RETENTION with no change to review), so both are listed
        "retention_justification",
        "retention_days",
        "cookies[].consent",  # PECR reg. 6
        "cookies[].clear_information",
        "cookies[].opt_out",
    ),
    "flows": (
        # the role the recipient plays for this flow, the flow's word over the party's: it
        # decides the agreement, sharing and sub-processing verdicts and whether the store it
        # writes into is the organisation's to account for (attack review 2026-12-02i, A)
        "recipient_role",
        # made as a controller's processor: its basis and notice are that controller's
        # (DPO review 2026-12-03u, problem 3)
        "on_behalf_of",
        "transfer_mechanism",  # Art. 46/49: an Art. 49 derogation needs no document at all
        "transfer_agreement",  # the safeguard a third-country importer's onward hop rests on
        "occasional",  # Art. 49: the transfer is occasional
        "derogation",  # Art. 49(1): the ground of the derogation
        "regulator_informed",  # Art. 49(1) second subparagraph: the regulator was told
        "subjects_informed",  # Art. 49(1) second subparagraph: the person was told
        "flagged_sensitive",  # UK Extension: the importer was told
        "encrypted_in_transit",
        "art9_condition",  # Art. 9(2)
        "art10_condition",  # Art. 10, DPA 2018 Sch. 1
        "recognised_condition",  # Art. 6(1)(ea), 6(5): an Annex 1 condition is met
        "art14_exemption",  # Art. 14(5): the Art. 14 items need not be given for its data
        "permission",  # a permission a policy asks for
        "opt_out",  # PECR regs 22-23, Art. 21(3)
        "soft_opt_in",  # PECR reg. 22(3): marketing without consent
        # how marketing reaches people: post or a live call needs no PECR consent, so a
        # channel said or changed clears marketing consent findings (DPO review 2026-12-03u, 1)
        "channel",
        # a link to a document on file claims that it covers this flow: an assessment or a
        # consent record made for one processing, linked to another, clears its findings
        "assessment",
        "assessments",
        "consent_record",
    ),
    "subjects": ("party_to_contract",),  # Art. 6(1)(b)
    "categories": ("declared",),  # what the notice declares (N-COLLECT)
    "purposes": ("art9_condition", "art10_condition", "legitimate_interest", "dpia", "declared"),
}

#: What findings a claim can clear, by its field, said in its line where the field alone does
#: not tell a reviewer (a role is not read as a certification).
_CLAIM_CLEARS: dict[str, str] = {
    "recipient_role": (
        "the recipient's role decides the Art. 28 contract, data sharing, permission and "
        "sub-processing ones, and whether the store it writes into is the organisation's to "
        "account for (its contents, retention and security)"
    ),
    # regime-neutral: an EU or Swiss map's channel clears no PECR finding, but changes what
    # the opt-out rule asks each message to offer (newcomer review s21: an Irish map's club
    # SMS was told it could clear "PECR regs 19-22" ones)
    "channel": (
        "marketing ones read by channel: consent under the UK's PECR regs 19-22, and what "
        "each message must offer to stop it"
    ),
    "art14_exemption": "the notice's Art. 14 items (the categories and the source of data "
    "obtained from others)",
    "on_behalf_of": (
        "a flow made as another controller's processor rests on that controller's basis and "
        "notice: it clears the lawful basis and notice ones"
    ),
    **dict.fromkeys(
        (
            "representative.name",
            "representative.country",
            "representative.email",
            "representative.phone",
            "representative.address",
        ),
        "the representative one (Art. 27: designated, established in the territory, reachable)",
    ),
    "retention_justification": "retention ones",
    "retention_days": "retention ones",
}


def _claim_values(element: Any, paths: Iterable[str], said_only: bool = True) -> dict[str, Any]:
    """The claims an element makes, by path (``cookies[_ga].consent``), those left unsaid
    (None, false, empty) left out unless ``said_only`` is false: saying less never clears a
    finding."""
    found: dict[str, Any] = {}
    for path in paths:
        if "[]." in path:
            name, field = path.split("[].")
            for item in getattr(element, name) or ():
                found[f"{name}[{item.id}].{field}"] = getattr(item, field)
        elif path.endswith(".*"):
            name = path[:-2]
            for key, value in (getattr(element, name) or {}).items():
                found[f"{name}.{key}"] = (
                    value.model_dump(mode="json") if hasattr(value, "model_dump") else value
                )
        elif "." in path:
            name, field = path.split(".", 1)
            outer = getattr(element, name)
            found[path] = None if outer is None else getattr(outer, field)
        elif said_only or path in getattr(element, "model_fields_set", (path,)):
            found[path] = getattr(element, path)
        else:
            found[path] = None  # left to its default (occasional: false): unsaid
    if not said_only:
        return found
    return {k: v for k, v in found.items() if v is not None and v is not False and v != []}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Enum):  # a role as the map writes it: 'processor'
        return repr(value.value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return repr(value)


def _term(value: Any) -> str:
    """An agreement's term as the map writes it: a date in ISO form (2021-06-01), a kind by
    its value; a list or a text as Python writes it (quoted: a name can hold ', ')."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return repr(value.value)
    return "none" if value is None else repr(value)


def _claim_changes(
    base: AuditResult, head: AuditResult, gone: Iterable[Finding]
) -> list[ReviewChange]:
    """Claims (``CLAIMS``) that are new, or say something new, in HEAD: each can clear a
    finding by a statement the map cannot back, as ``status: signed`` or an assessment can.
    ``gone``: the base's findings HEAD does not match, as ``review_changes`` has them."""
    changes: list[ReviewChange] = []
    known = _assumed_withdrawn(base, head)
    confirmed = _flows_confirmed(gone)
    renamed = _purposes_renamed(base, head)
    carried = _carried_renamed(base, head)
    for collection, paths in CLAIMS.items():
        old_elements, new_elements = _both_sides(base, head, collection)
        said_at = _claimed_fields(paths)
        for element in new_elements:
            old = old_elements.get(element.id)
            now_known = known.get((collection, element.id), [])
            rests = (
                _basis_claim(head, old, element, element.id in confirmed, base, renamed, carried)
                if collection == "flows"
                else None
            )
            if (
                old is not None
                and said_at(old) == said_at(element)
                and not now_known
                and rests is None
            ):
                continue  # the same claims (most elements of a change): nothing to compare
            before = _claim_values(old, paths) if old is not None else {}
            # what the base wrote, false included: "soft_opt_in true (was false)", not unsaid
            written = _claim_values(old, paths, said_only=False) if old is not None else {}
            said: list[str] = []
            clears: dict[str, None] = {}
            first: str | None = None
            for path, value in _claim_values(element, paths).items():
                was = before.get(path)
                if isinstance(value, list):
                    added = [v for v in value if v not in (was or [])]
                    if not added:
                        continue
                    said.append(f"{path} adds {_shown(added)}")
                elif value == was:
                    continue
                else:
                    was = written.get(path)
                    said.append(
                        f"{path} {_shown(value)} (was {'unsaid' if was is None else _shown(was)})"
                    )
                first = first or path
                if path in _CLAIM_CLEARS:
                    clears[_CLAIM_CLEARS[path]] = None
            for fact, words in now_known:
                said.append(words)
                first = first or fact
                clears[_ASSUMED_CLEARS] = None
            if rests is not None:
                said.append(rests[0])
                first = first or "basis"
                clears[rests[1]] = None
            if not said:
                continue
            label = f"{collection}/{element.id}"
            which = f" ({'; '.join(clears)})" if clears else ""
            changes.append(
                ReviewChange(
                    f"claim-changed:{label}",
                    "claim-changed",
                    label,
                    f"{label} now claims {'; '.join(said)}: it can clear findings{which} and "
                    "the map cannot show it is true",
                    location=head.loaded.sources.locate(
                        (collection, element.id), _field_of(first or "")
                    ),
                )
            )
    return changes


def _flows_confirmed(gone: Iterable[Finding]) -> set[str]:
    """The flows of the base with a finding at ``CONFIRM_FIXES_FROM`` or above that HEAD does
    not match, and the flows such a finding groups (its line names them): a person confirms
    each (``fixed-unconfirmed``, ``removed-unconfirmed``), so the flow is before them
    already."""
    return {
        flow_id
        for f in gone
        if f.severity.rank >= CONFIRM_FIXES_FROM.rank
        for flow_id in _flows_judged(f)
    }


def _basis_claim(
    head: AuditResult,
    old: Flow | None,
    flow: Flow,
    confirmed: bool = False,
    base: AuditResult | None = None,
    purposes: Mapping[str, tuple[str, str]] | None = None,
    carried: Mapping[tuple[str, str], tuple[str, str]] | None = None,
) -> tuple[str, str] | None:
    """What a flow says by a lawful basis whose ground the map cannot show (its legal row's
    ``claimed``: a law requiring the processing, a life to protect, a public task), where the
    change makes that claim of a disclosure it did not make it of: a flow new at HEAD, one
    re-pointed to another recipient or given another purpose, or one that now carries more
    (categories or people); with what it can clear. None for any other flow. Legal obligation
    alone clears the lawful basis finding, and the data sharing agreement and processor ones too
    (no agreement is expected of a disclosure the law requires): a flow added to a new recipient
    "under legal obligation", or the bookkeeping flow re-pointed from the accountants to a data
    broker, passed every rule with PASS, exit 0 and nothing to review (attack review s17,
    problem d). A flow of the base re-based onto it makes the claim too, unless a high finding
    it clears puts it before a person already (``confirmed``: fixed-unconfirmed): the gate
    confirmed only those, so a medium or low one alone went unreviewed."""
    if flow.basis is None:
        return None
    purposes = purposes or {}
    carried = carried or {}
    said = f"basis {_shown(flow.basis)} (was unsaid)"
    if old is not None:
        more = [c for c in flow.categories if c not in old.categories] + [
            s for s in flow.subjects if s not in old.subjects
        ]
        shown = _shown(flow.basis)
        renamed = _recipient_renamed(base, head, flow) if base is not None else None
        if old.target != flow.target:
            said = f"basis {shown} for a flow now to {flow.target} (was {old.target})"
        elif renamed is not None:
            # the same target id, another legal person: the accountants renamed in place to
            # a data broker said a law requires giving the books to the broker, as the flow
            # re-pointed to another party's id does, with nothing to review (gate review s19)
            said = (
                f"basis {shown} for a flow now to {_shown(renamed[1])} (was {_shown(renamed[0])})"
            )
        elif old.purpose == flow.purpose and (renamed_purpose := purposes.get(flow.purpose)):
            # the same purpose id, another purpose: the bookkeeping purpose renamed in place
            # to selling customer lists claimed the law for that with nothing to review, as
            # the flow moved to another purpose's id does (gate review s19)
            said = (
                f"basis {shown} for a flow whose purpose {_shown(flow.purpose)} is now "
                f"{_shown(renamed_purpose[1])} (was {_shown(renamed_purpose[0])})"
            )
        elif old.purpose == flow.purpose and (
            kept := [
                (kind, item)
                for kind, items, before in (
                    ("categories", flow.categories, old.categories),
                    ("subjects", flow.subjects, old.subjects),
                )
                for item in items
                if item in before and (kind, item) in carried
            ]
        ):
            # the same category or people ids, other data or other people: the invoices
            # renamed in place to browsing profiles for resale said a law requires giving
            # them to the accountants, with nothing to review, as the flow made to carry
            # another category's id does (gate review 2 s19)
            said = f"basis {shown} for a flow " + "; ".join(
                f"whose {'category' if kind == 'categories' else 'people'} {_shown(item)} "
                f"{'is' if kind == 'categories' else 'are'} now "
                f"{_shown(carried[(kind, item)][1])} (was {_shown(carried[(kind, item)][0])})"
                for kind, item in kept
            )
        elif old.purpose != flow.purpose:
            # the law that requires a disclosure requires it for its purpose (Art. 6(3)): the
            # bookkeeping flow moved to the payments purpose claimed a law for that with
            # nothing to review (gate review s18)
            said = (
                f"basis {shown} for a flow now for the purpose {_shown(flow.purpose)} (was "
                f"{_shown(old.purpose)})"
            )
        elif more and old.basis == flow.basis:
            said = f"basis {shown} for what the flow now carries too ({', '.join(more)})"
        elif more:
            said = (
                f"basis {shown} (was {_shown(old.basis)}) for a flow that now carries more "
                f"({', '.join(more)})"
            )
        elif old.basis != flow.basis and not confirmed:
            # re-based onto it: a high finding it clears is confirmed as fixed-unconfirmed,
            # which puts the flow before a person; a medium or low one alone (a
            # controller's missing data sharing agreement) went as fixed with nothing to
            # review (attack review s17, left open; read-through s17)
            said = f"basis {shown} (was {_shown(old.basis)})"
        else:
            return None
    basis = head.legal.lawful_bases.get(flow.basis)
    if basis is None:
        return None
    claimed = basis.read_as(head.loaded.organisation.regime.value).claimed
    if claimed is None:
        return None
    clears = f"the lawful basis one: {basis.name} applies {claimed}"
    if not basis.sharing_agreement_expected:
        clears += (
            "; and the data sharing agreement and processor ones: no agreement is expected "
            "of a disclosure the law requires"
        )
    return said, clears


def _recipient_renamed(base: AuditResult, head: AuditResult, flow: Flow) -> tuple[str, str] | None:
    """The name of the flow's recipient (its target's owner) at the base and at HEAD, where
    the flow is at both ends and its recipient, another party than the organisation, is
    named otherwise; else None."""
    if flow.id not in base.facts.index.flows:
        return None
    was = base.facts.flow(flow.id).recipient
    now = head.facts.flow(flow.id).recipient
    if was.id != now.id or was.name == now.name or now.id == head.loaded.organisation.id:
        return None
    return was.name, now.name


def _purposes_renamed(base: AuditResult, head: AuditResult) -> dict[str, tuple[str, str]]:
    """The purposes at both ends named otherwise at HEAD: id -> (base's name, HEAD's)."""
    was = {p.id: p.name for p in base.loaded.data.purposes}
    return {
        p.id: (was[p.id], p.name)
        for p in head.loaded.data.purposes
        if p.id in was and was[p.id] != p.name
    }


def _carried_renamed(
    base: AuditResult, head: AuditResult
) -> dict[tuple[str, str], tuple[str, str]]:
    """The categories and groups of people at both ends named otherwise at HEAD (their name,
    or the ``fides_key`` rules read a category's kind from): (collection, id) -> (base's
    name, HEAD's)."""
    renamed: dict[tuple[str, str], tuple[str, str]] = {}
    for collection in ("categories", "subjects"):
        was = {e.id: (e.name, e.fides_key) for e in getattr(base.loaded.data, collection)}
        for element in getattr(head.loaded.data, collection):
            before = was.get(element.id)
            if before is not None and before != (element.name, element.fides_key):
                renamed[(collection, element.id)] = (before[0], element.name)
    return renamed


#: What an assumed fact withdrawn can clear, said in its claim's line.
_ASSUMED_CLEARS = (
    "a pass on an assumed fact becomes a certain one, and the records of processing lose "
    "its [ASSUMED] mark"
)


def _assumed_withdrawn(
    base: AuditResult, head: AuditResult
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Per party or store of both sides, the facts the base marked assumed (``assumed:``) and
    HEAD no longer does, each as (``assumed.FIELD``, words): withdrawing the mark says the
    fact is now verified, a claim the map cannot show. Four deleted lines turned card
    payments' pass on an assumed GB country into a certain one and took [ASSUMED] off the
    record of processing, with nothing to review (attack review 2026-12-03x, problem 2).
    The words name the base's passes that rested on the fact, as the base said them."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for collection in ("parties", "systems"):
        before, elements = _both_sides(base, head, collection)
        for element in elements:
            old = before.get(element.id)
            if old is None or not old.assumed:
                continue
            for fact, why in old.assumed.items():
                if fact in element.assumed:
                    continue
                value = getattr(element, fact)
                shown = _shown(value) if value else "unsaid"
                rested = _rested_on(base, f"{old.id} {fact} ")
                words = f"{fact} {shown} as known (assumed at the base: {_shown(why)})" + (
                    f", on which {rested} passed" if rested else ""
                )
                found.setdefault((collection, element.id), []).append((f"assumed.{fact}", words))
    return found


def _rested_on(result: AuditResult, fact: str) -> str:
    """The passes of an audit that rest on an assumed fact (its words start with ``fact``:
    ``payment-processor country ``), as ``RULE on LABEL``, at most three, then how many
    more."""
    passes = [
        f"{evaluation.rule_id} on {evaluation.element[0]}/{evaluation.element[1]}"
        for evaluation in result.passed
        if any(said.startswith(fact) for said in evaluation.assumed)
    ]
    shown = ", ".join(passes[:3])
    return shown + (f" and {len(passes) - 3} more" if len(passes) > 3 else "")


def _agreement_links(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """Flows of the base that now link a signed agreement they did not link there: a
    contract signed for one processing, linked to another, clears its agreement finding, and
    only a person can say whether it covers it (attack review 2026-12-02c). Linking an
    agreement not signed clears nothing (its status is a finding of its own), and a new
    flow's findings are all new: the diff shows what it links."""
    signed = {a.id for a in head.loaded.data.agreements if a.status is AgreementStatus.SIGNED}
    before = {flow.id: flow.agreement for flow in base.loaded.data.flows}
    changes: list[ReviewChange] = []
    for flow in head.loaded.data.flows:
        if flow.id in before and flow.agreement in signed and before[flow.id] != flow.agreement:
            label = f"flows/{flow.id}"
            changes.append(
                ReviewChange(
                    f"agreement-linked:{label}",
                    "agreement-linked",
                    label,
                    f"{label} now links the signed agreement '{flow.agreement}' (was "
                    f"{before[flow.id] or 'none'}): check that it covers this flow",
                    location=head.loaded.sources.locate(("flows", flow.id), ("agreement",)),
                )
            )
    return changes


def _exemption_changes(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """Flows and stores that now cite a notice clause a rule of HEAD exempts
    (``match.except_notice``): citing it says what the notice promises of that element, and
    takes it out of the rule's scope, so it is a claim like any other."""
    exempt: dict[str, list[str]] = {}
    for rule in head.rules:
        if rule.enabled:
            for clause in getattr(getattr(rule, "match", None), "except_notice", ()):
                exempt.setdefault(clause, []).append(rule.id)
    changes: list[ReviewChange] = []
    if not exempt:
        return changes
    for collection in ("flows", "systems"):
        before = {e.id: e.notice for e in getattr(base.loaded.data, collection)}
        for element in getattr(head.loaded.data, collection):
            clause = element.notice
            if clause is None or clause not in exempt or before.get(element.id) == clause:
                continue
            label = f"{collection}/{element.id}"
            was = before.get(element.id)
            changes.append(
                ReviewChange(
                    f"notice-exempts:{label}",
                    "notice-exempts",
                    label,
                    f"{label} now cites notice clause {clause!r} (was "
                    f"{'unsaid' if was is None else repr(was)}), which takes it out of "
                    f"the scope of {', '.join(exempt[clause])}: check the notice says so of it",
                    location=head.loaded.sources.locate((collection, element.id), ("notice",)),
                )
            )
    return changes


#: What the map describes that can only clear findings when it changes: a category no
#: longer special category or criminal-offence data, a recipient of another kind (the
#: kinds a notice forbids: data broker, advertiser). The diff shows them, but each can make
#: a critical finding go as "fixed", so a person confirms the reclassification.
RECLASSIFIED: dict[str, tuple[str, ...]] = {
    # the law the organisation answers to, and where it is: every transfer is judged by them;
    # a public authority no longer said to be one clears the findings of its legitimate
    # interests (Art. 6(1) second subparagraph: DPO review 2026-12-03r, problem 3)
    "organisation": ("regime", "country", "public_authority"),
    "categories": ("special_category", "criminal_offence", "art9_kind", "sensitive"),
    # where a recipient or a store is decides the transfer rules (a store moved from the US to
    # the UK clears a critical transfer finding in one line); a store's owner is who holds
    # the data there (attack review 2026-12-02d, 1)
    # a party's role decides the agreement, sharing and sub-processing verdicts of the flows
    # that do not state one, and whether its stores are the organisation's to account for
    # (attack review 2026-12-02i, A)
    # a party or store no longer a placeholder (`placeholder: true` withdrawn) is said to be
    # identified now: a house rule on placeholders clears with it (attack review 2026-12-03l, 2)
    "parties": ("kind", "country", "role", "placeholder"),
    "systems": ("country", "owner", "placeholder"),
    # children's consent needs a parent's (Art. 8): a subject no longer called children
    # clears those findings
    # individual subscribers need consent for marketing email (PECR reg. 22): corporate ones
    # do not; rules may name a subject by its shared-vocabulary key (fides_key), so a key
    # changed, added or removed moves it in or out of their scope (attack review g, 2)
    # a subject said to be no staff (employees: false) drops the staff-consent notes, which
    # say what a pass takes on trust (attack review 2026-12-03p, problem 9)
    "subjects": ("children", "min_age", "subscriber", "fides_key", "employees"),
    # a purpose no longer a kind of marketing leaves the marketing rules (attack review f, 3);
    # one given another broader purpose leaves them as well, or is covered by a consent record
    # given for the new one (attack review g, 1): compared as a set, any change listed
    # a purpose said to be no online service leaves Art. 8's children's consent (auditor
    # review 2026-12-03h, problem 10)
    # a purpose said to be decided by another party (its controller) sets that party's flows
    # for it aside as its own, and a controller named where none was is a claim to review
    # even before it sets anything aside (attack review s6, problem 3)
    "purposes": ("is_a", "online_service", "controller"),
}

#: Fields listed when they change at all (not only when withdrawn): a kind, a place, an
#: Art. 9 kind, an owner, an age, a subscriber's kind, a shared-vocabulary key, the broader
#: purposes. A youngest age or a key stated where none was can clear findings too (an age at
#: the age of consent; a rule that selects the subjects it does NOT name).
_CHANGED_AT_ALL = frozenset(
    (
        # stated where it was not, it spares the representative (Art. 27(2)(b)) and bars
        # legitimate interests: either way a reading to review (attack review z, problem 1)
        "public_authority",
        "kind",
        "regime",
        "country",
        "art9_kind",
        "owner",
        "min_age",
        "subscriber",
        "fides_key",
        "role",
        "online_service",
        "employees",
        "controller",
    )
)
#: Of those, the ones where a value stated where none was is listed as well (a role stated
#: where none was clears the findings that ask for one; `subscriber: corporate` stated on a
#: subject read as individual subscribers by its name clears the marketing ones; an
#: `art9_kind` stated where none was clears the UK Extension's unflagged-sensitive one:
#: attack review 2026-12-03o, problem 2).
_ADDED_COUNTS = frozenset(
    (
        "min_age",
        "fides_key",
        "is_a",
        "role",
        "online_service",
        "subscriber",
        "art9_kind",
        "employees",
        "public_authority",
        "controller",
    )
)


#: What findings a reclassification can clear, by the field changed: said in its line, so a
#: purpose's broader purpose is not read as a transfer matter (attack review 2026-12-02h, 5).
_CLEARS: dict[str, str] = {
    "regime": "transfer ones, and those of rules that state one regime's law",
    "placeholder": "those of rules about a party or store not yet identified",
    "children": "children's consent ones",
    "public_authority": (
        "those of a public authority's legitimate interests (Art. 6(1)), and the "
        "representative one (Art. 27(2)(b))"
    ),
    "min_age": "children's consent ones",
    "online_service": "children's consent ones (Art. 8)",
    "subscriber": "marketing consent ones",
    "employees": (
        "contract ones where it says true (employees are party to their employment contract, "
        "Art. 6(1)(b)), and the notes on staff consent (Recital 43, Art. 7(4)) that say what "
        "a pass takes on trust"
    ),
    "fides_key": "those of rules that name the subject by its shared key",
    "is_a": "marketing and consent ones",
    "controller": (
        "those of a processor's flows for the purpose, set aside as that party's own "
        "processing (their transfer, onward, Art. 28 and policy ones)"
    ),
    "role": (
        "the Art. 28 contract, data sharing, permission and sub-processing ones of the flows "
        "to it that state no role, and whether its stores are the organisation's to account "
        "for (their contents, retention, security and cookies)"
    ),
    # a store's owner decides who holds the data there, and whether its cookies are the
    # organisation's to judge: a controller's store is its own site (attack review
    # 2026-12-03t, problem 3: the line named no cookie findings)
    "owner": "transfer, special-category, criminal-offence, forbidden-recipient and cookie ones",
}
_CLEARS_DEFAULT = "transfer, special-category, criminal-offence or forbidden-recipient ones"
# the organisation's own country also decides whether it needs a representative (Art. 27;
# attack review z, problem 2: the line did not name the GDPR-REPRESENTATIVE it cleared)
_CLEARS["organisation.country"] = f"{_CLEARS_DEFAULT}, and the representative one (Art. 27)"


@dataclass
class _Described:
    """How HEAD re-describes one element of the base, as a reclassification: fields changed
    (``with ...``), other words (``as no longer able to carry ...``), what they can clear,
    and whether its line names every finding of the element it clears
    (``ReviewChange.names_cleared``)."""

    said: list[str] = dataclasses.field(default_factory=list)
    phrases: list[str] = dataclasses.field(default_factory=list)
    clears: dict[str, None] = dataclasses.field(default_factory=dict)
    names_cleared: bool = False


def _reclassification_changes(
    base: AuditResult, head: AuditResult, gone: Iterable[Finding]
) -> list[ReviewChange]:
    """Elements of the base that HEAD describes in words that can only clear findings, one
    change each (``reclassified:COLLECTION/ID``): a field of ``RECLASSIFIED`` (a flag
    withdrawn, a kind changed), a flow that may carry less, a flow whose purpose leaves a
    rule's scope (``_purpose_left``), a store's cookies said away
    (``_cookies_said_away``), a category widened to a parent (``_widened_to_parent``)."""
    described: dict[tuple[str, str], _Described] = {}
    for collection, fields in RECLASSIFIED.items():
        before, elements = _both_sides(base, head, collection)
        for element in elements:
            old = before.get(element.id)
            if old is None:
                continue
            said, clears = _fields_reclassified(old, element, fields, collection)
            if said:
                entry = described.setdefault((collection, element.id), _Described())
                entry.said += said
                entry.clears.update(clears)
    for flow_id, phrase in _may_carry_narrowed(base, head):
        entry = described.setdefault(("flows", flow_id), _Described())
        entry.phrases.append(phrase)
        entry.clears["those about what it may carry"] = None
    for flow_id, moved, cleared in _purpose_left(base, head):
        entry = described.setdefault(("flows", flow_id), _Described())
        entry.said.append(moved)
        entry.clears.update(dict.fromkeys(cleared))
    widened = [(flow_id, said, why) for flow_id, said, why, _ in _set_aside_widened(base, head)]
    for flow_id, phrase, cleared in (
        *_returned_now(base, head),
        *_others_own_now(base, head),
        *widened,
    ):
        entry = described.setdefault(("flows", flow_id), _Described())
        entry.phrases.append(phrase)
        entry.clears.update(dict.fromkeys(cleared))
        entry.names_cleared = True
    for system_id, said in _cookies_said_away(base, head):
        entry = described.setdefault(("systems", system_id), _Described())
        entry.said += said
        entry.clears["cookie consent ones, PECR reg. 6"] = None
        entry.names_cleared = True
    released = _stores_released(base, head)
    for system_id, said_of in (*released, *_stores_left_aside(base, head, released)):
        entry = described.setdefault(("systems", system_id), _Described())
        entry.said.append(said_of)
        entry.clears["the store's own: what it holds, its retention, security and source"] = None
        entry.names_cleared = True
    for element, said in _widened_to_parent(base, head, gone):
        entry = described.setdefault(element, _Described())
        entry.said += said
        entry.clears["those of rules that select or name the narrower category"] = None
        entry.names_cleared = True
    changes: list[ReviewChange] = []
    for (collection, element_id), entry in described.items():
        label = f"{collection}/{element_id}"
        words = ([f"with {'; '.join(entry.said)}"] if entry.said else []) + entry.phrases
        changes.append(
            ReviewChange(
                f"reclassified:{label}",
                "reclassified",
                label,
                f"{label} is now described {' and '.join(words)}: it can clear findings "
                f"({'; '.join(entry.clears)}) without anything else changing",
                location=head.loaded.sources.locate((collection, element_id)),
                names_cleared=entry.names_cleared,
            )
        )
    return changes


def _fields_reclassified(
    old: Any, element: Any, fields: Iterable[str], collection: str = ""
) -> tuple[list[str], dict[str, None]]:
    """The fields of ``RECLASSIFIED`` an element now describes it with (a flag withdrawn, a
    kind changed), in words, and what each can clear."""
    said: list[str] = []
    clears: dict[str, None] = {}
    for name in fields:
        was, now = (getattr(getattr(e, name), "value", getattr(e, name)) for e in (old, element))
        if isinstance(was, list) and isinstance(now, list) and set(was) == set(now):
            continue  # the same broader purposes in another order
        if was == now or (not was and name not in _ADDED_COUNTS):
            continue  # unchanged, or a flag added: that can only add findings
        # a kind, a place or an Art. 9 kind changed at all; a list's members changed;
        # a flag only withdrawn
        if name in _CHANGED_AT_ALL or isinstance(now, list) or not now:
            then = _shown(was) if was is not None and was != [] else "unsaid"
            shown = _shown(now) if now or (now is False and name in _ADDED_COUNTS) else "unsaid"
            said.append(f"{name} {shown} (was {then})")
            clears[_CLEARS.get(f"{collection}.{name}") or _CLEARS.get(name, _CLEARS_DEFAULT)] = None
    return said, clears


def _may_carry_narrowed(base: AuditResult, head: AuditResult) -> list[tuple[str, str]]:
    """Flows of the base that HEAD says may carry less (``may_carry`` deleted, or a category
    or a group of people taken out of it), with what they no longer may carry: what a flow
    may carry is a risk the checks judge, and saying it away clears those findings as
    "fixed" (a medium one with a PASS: attack review 2026-12-02i, flows/call-recording's
    card codes). A reclassification, like a category no longer special."""
    before = {flow.id: flow.may_carry for flow in base.loaded.data.flows}
    found: list[tuple[str, str]] = []
    for flow in head.loaded.data.flows:
        was = before.get(flow.id)
        if was is None or flow.may_carry == was:
            continue
        now = flow.may_carry
        categories = [c for c in was.categories if now is None or not covered(c, now.categories)]
        subjects = [s for s in was.subjects if now is None or s not in now.subjects]
        if not categories and not subjects:
            continue
        gone = [f"categories [{', '.join(categories)}]"] if categories else []
        if subjects:
            gone.append(f"data about [{', '.join(subjects)}]")
        found.append((flow.id, f"as no longer able to carry {' and '.join(gone)} (may_carry)"))
    return found


def _purposes_named(result: AuditResult) -> set[str]:
    """The purposes an audit's enabled rules select or forbid by id (``match.purposes``, the
    forbidden kind's ``purposes``) and its legal table limits (``not_for_purposes``: no
    marketing on contract): a flow whose purpose is, or is a kind of, one of them is judged
    by those rules."""
    named = {
        limit.purpose for basis in result.legal.bases.bases for limit in basis.not_for_purposes
    }
    for rule in result.rules:
        if not rule.enabled:
            continue
        match = getattr(rule, "match", None)
        if match is not None:
            named.update(match.purposes)
        purposes = getattr(rule, "purposes", None)
        if isinstance(purposes, list):
            named.update(purposes)
    return named


def _purpose_left(base: AuditResult, head: AuditResult) -> list[tuple[str, str, list[str]]]:
    """Flows of the base whose ``purpose`` HEAD changes to one that takes them out of a
    rule's scope, each with the change in words and what it can clear: a purpose that is no
    longer (a kind of) one a rule or the legal table names (a marketing flow given a purpose
    that is not marketing leaves the marketing rules with the same people, data, basis and
    emails: its medium PECR finding went as fixed with nothing to review, though the same
    move made through the purpose's ``is_a`` was a reclassification: attack review
    2026-12-03r, problem 2), or one said to be no online service where the old one was not
    (Art. 8, as the purpose's own ``online_service``). A flow moved between purposes no rule
    names (support to billing) is the map itself."""
    before = {flow.id: flow.purpose for flow in base.loaded.data.flows}
    old_purposes = {p.id: p for p in base.loaded.data.purposes}
    new_purposes = {p.id: p for p in head.loaded.data.purposes}
    named: set[str] | None = None
    found: list[tuple[str, str, list[str]]] = []
    for flow in head.loaded.data.flows:
        was = before.get(flow.id)
        if was is None or was == flow.purpose:
            continue
        if named is None:
            named = _purposes_named(base) | _purposes_named(head)
        lost = base.facts.purposes_of(was) - head.facts.purposes_of(flow.purpose)
        left = sorted(lost & named)
        clears = [f"those of rules and legal limits on {' or '.join(left)}"] if left else []
        old, new = old_purposes.get(was), new_purposes.get(flow.purpose)
        if (old is None or old.online_service is not False) and (
            new is not None and new.online_service is False
        ):
            left.append("an online service")
            clears.append(_CLEARS["online_service"])
        if left:
            said = f"purpose {flow.purpose!r} (was {was!r}), no longer {' or '.join(left)}"
            found.append((flow.id, said, clears))
    return found


def _returned_now(base: AuditResult, head: AuditResult) -> list[tuple[str, str, list[str]]]:
    """Flows of the base that HEAD newly reads as made for another controller, as its
    processor (``MapFacts.processed_for``), or as giving that controller back its own data
    (``MapFacts.returned``), each with the reading in words and what it can clear. Inferred,
    the reading follows from a purpose: a flow's, or one of the controller's intakes'. One
    ``purpose:`` line then set a disclosure aside from the notice, sharing and contract rules
    as the ``on_behalf_of`` claim does, with no change to review (attack review 2026-12-03x,
    problem 1). Flows new to the map (or renamed) count too: the reading sets their rules
    aside as surely, and a rename got past the comparison (attack review 2026-12-03y,
    problem 2). A flow whose ``on_behalf_of`` newly names a controller is left to that
    claim's change, which lists it; one that only names fewer is compared here."""
    facts, was = head.facts, base.facts
    if not facts.entrusted:
        return []
    before = {flow.id: flow for flow in base.loaded.data.flows}
    returned, returned_before = facts.returned, was.returned
    aside: list[str] | None = None
    found: list[tuple[str, str, list[str]]] = []
    for flow in head.loaded.data.flows:
        old = before.get(flow.id)
        if not set(flow.on_behalf_of).issubset(old.on_behalf_of if old is not None else ()):
            continue  # a controller newly named is a claim, listed as one (a new flow's too)
        controllers = facts.processed_for(flow)
        if not controllers:
            continue
        now_returned = flow.id in returned and flow.id not in returned_before
        if not now_returned and old is not None and was.processed_for(old):
            continue
        whose = ", ".join(controllers)
        given = any(
            flow.purpose in entrusted.purposes
            for c in controllers
            if (entrusted := facts.entrusted.get(c)) is not None
        )
        how = (
            "as its on_behalf_of says, which now holds"
            if flow.on_behalf_of
            else f"inferred, no on_behalf_of says so: its purpose {flow.purpose!r} is "
            f"{'one' if given else 'a kind of one'} {whose} "
            f"give{'s' if len(controllers) == 1 else ''} the organisation"
        )
        if old is None:
            # a new (or renamed) flow has no findings at the base to be new: the reading
            # sets its rules aside unseen (attack review 2026-12-03y, problem 2)
            why = ["a flow new to the map"]
        else:
            why = [f"its purpose {flow.purpose!r} (was {old.purpose!r})"] * (
                old.purpose != flow.purpose
            )
        for controller in controllers:
            entrusted = facts.entrusted.get(controller)
            for intake in entrusted.intakes if entrusted is not None else ():
                then = before.get(intake.id)
                if then is None:
                    why.append(f"flows/{intake.id} new")
                elif then.purpose != intake.purpose:
                    why.append(
                        f"flows/{intake.id}'s purpose {intake.purpose!r} (was {then.purpose!r})"
                    )
                elif then != intake:
                    why.append(f"flows/{intake.id} changed")
        if why:
            how += f"; {', '.join(why)}"
        if now_returned:
            if aside is None:
                aside = sorted(
                    rule.id
                    for rule in head.rules
                    if rule.enabled
                    and getattr(getattr(rule, "match", None), "except_returned", False)
                )
            phrase = f"as giving {whose} back its own data, as its processor ({how})"
            cleared = [
                f"those of rules that set a return to the controller aside "
                f"({', '.join(aside) or 'none enabled'}), and its Art. 28 contract, data "
                "sharing and lawful basis ones (the controller's to answer for)"
            ]
        else:
            phrase = f"as processed for {whose}, as a processor ({how})"
            cleared = [
                "its lawful basis ones (the controller's basis, Art. 28(3)(a), 29), and its "
                "Art. 28 contract, notice and forbidden-recipient ones"
            ]
        found.append((flow.id, phrase, cleared))
    return found


#: The sets of flows ``MapFacts`` sets aside as not the organisation's own processing to
#: judge, each with what it takes out of judgement (rule kinds, and whether its Art. 30(1)
#: row): compared between the base and HEAD by name, whatever puts a flow in them. A set a
#: later ``MapFacts`` adds is named here; one the facts do not have counts as empty.
_NOT_OURS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("others_own_flows", ("lawful basis", "agreement", "notice content"), False),
    # and every rule a policy scopes to flows (Art. 9, marketing, security, the notice's
    # promises: DPO review s2, problem 1)
    ("held_as_controller", ("transfer", "onward", "policy"), True),
    # the flows whose basis and notice are not the organisation's to give: others_own_flows
    # and the flows brought in two capacities ("both", "split" with nothing of its own)
    ("basis_not_ours", ("lawful basis", "notice content"), True),
    # a flow newly read as carrying a controller's people beside the organisation's own
    # data: those people leave its contract question and its Art. 30(1) row (attack review
    # z, problem 2d: a new intake made a flow "mixed" and a HIGH went with no cause named)
    ("mixed_flows", ("lawful basis",), True),
    # a joint controller's flow newly read as about its own people beside the joint ones:
    # its own people leave its contract question and its Art. 30(1) row (DPO review s2,
    # problem 3)
    ("joint_split_flows", ("lawful basis",), True),
    # a processor's flow newly read as its use of the organisation's data for a purpose
    # another party decides (Art. 28(10)): the sub-processing rule judges it, no other rule
    # (its export is the processor's own: lawyer review s9, problem 1), and it leaves the
    # Art. 30(1) record (DPO review s6, problem 4)
    (
        "outside_instructions",
        ("lawful basis", "agreement", "notice content", "transfer", "policy"),
        True,
    ),
)
_NOT_OURS_ORDER = (
    "lawful basis",
    "agreement",
    "notice content",
    "transfer",
    "onward",
    "policy",
)


def _flow_sets(result: AuditResult) -> dict[str, frozenset[str]]:
    """The sets of ``_NOT_OURS`` as one audit's facts give them."""
    return {name: frozenset(getattr(result.facts, name)) for name, _, _ in _NOT_OURS}


def _repointed(base: AuditResult, head: AuditResult) -> dict[str, tuple[str, str]]:
    """The flows of both maps whose ``from`` or ``to`` changed, each with its base ends."""
    before = {flow.id: (flow.source, flow.target) for flow in base.loaded.data.flows}
    return {
        flow.id: ends
        for flow in head.loaded.data.flows
        if (ends := before.get(flow.id)) is not None and ends != (flow.source, flow.target)
    }


def _newly_aside(
    base: AuditResult,
    head: AuditResult,
    sets: dict[str, frozenset[str]],
    sets_before: dict[str, frozenset[str]],
) -> frozenset[str]:
    """The flows HEAD sets aside in a set of ``_NOT_OURS`` that the base did not: newly in
    the set, or in it at both ends but re-pointed (``from`` or ``to`` changed). Compared by
    membership alone, a flow already another controller's own at the base kept its place
    whatever it now pointed at: re-pointed into the organisation's list, its processing
    left judgement with nothing to review (attack review s3, problem 1)."""
    newly = frozenset().union(*(sets[name] - sets_before[name] for name in sets))
    moved = _repointed(base, head)
    if not moved:
        return newly
    return newly | frozenset().union(*(sets[name] & moved.keys() for name in sets))


def _others_own_now(base: AuditResult, head: AuditResult) -> list[tuple[str, str, list[str]]]:
    """Flows HEAD newly sets aside as not the organisation's own processing to judge (in a
    set of ``_NOT_OURS`` at HEAD and not at the base, or new to the map): another
    controller's own (``MapFacts.others_own_flows``, its part ``held_as_controller`` that
    the transfer and onward rules and the record set aside), each with the reading in words
    and what it can clear. The sets are compared, whatever puts a flow in them: a flow added
    into a processor's intake (capacity "both") or a ``recipient_role: processor`` withdrawn
    made its export "its own", and its findings and Art. 30(1) row went with nothing to
    review (attack review 2026-12-03y, problem 1)."""
    facts = head.facts
    sets, sets_before = _flow_sets(head), _flow_sets(base)
    now = _newly_aside(base, head, sets, sets_before)
    if not now:
        return []
    moved = _repointed(base, head)
    before = {flow.id: flow for flow in base.loaded.data.flows}
    parties = {party.id: party for party in head.loaded.data.parties}
    ours, ours_before = facts.our_processors, base.facts.our_processors
    theirs = sets["others_own_flows"] | sets["held_as_controller"]
    into: dict[str, list[FlowFacts]] | None = None
    found: list[tuple[str, str, list[str]]] = []
    for flow in head.loaded.data.flows:
        if flow.id not in now:
            continue
        sender = facts.flow(flow).sender
        capacity = facts.capacity.get(flow.id)
        if capacity is not None and capacity.kind in ("own", "both"):
            if into is None:  # what reaches each party, once: not a pass per flow
                into = {}
                for facts_of in facts.index.flow_facts:
                    if facts_of.recipient.party_id != facts_of.sender:
                        into.setdefault(facts_of.recipient.party_id, []).append(facts_of)
            brought = capacity.flows.get("controller") or _brought_as_controller(
                into.get(sender, []), flow
            )
            how = (
                f"what it moves reaches {sender} as a controller ({_flows_named(brought, before)})"
            )
            if capacity.kind == "both":
                others = (*capacity.flows.get("chain", ()), *capacity.flows.get("other", ()))
                how += (
                    f" and otherwise ({_flows_named(others, before)}), so whose processing it "
                    "is cannot be told"
                )
        elif capacity is not None and capacity.joint:
            how = (
                f"it carries {', '.join(capacity.held)}, which {sender} holds on its own "
                f"account, beside {', '.join(capacity.joint)}, whom it determines jointly with "
                f"the organisation for {flow.purpose}"
            )
        elif capacity is not None and capacity.kind == "mixed":
            how = (
                f"it carries {', '.join(capacity.items)}, which reach the organisation only as "
                f"the processor of {', '.join(capacity.controllers)}, beside its own data"
            )
        elif flow.id in facts.processors_own:
            how = (
                f"{sender}, one of the organisation's processors, moves what reaches it by no "
                f"recorded flow, for a purpose ({flow.purpose}) none of the organisation's "
                "processing uses: its own processing as a controller (EDPB Guidelines 07/2020, "
                "paras 80-84)"
            )
        elif flow.id in facts.outside_instructions:
            decides = facts.purpose_controllers.get(flow.purpose)
            # a purpose none of the organisation's names no controller (DPO review s8,
            # problem 2): no party to name, and no KeyError (attack review s10, problem 2)
            whose = (
                f"a purpose {decides} decides (the purpose's controller)"
                if decides is not None
                else "a purpose none of the organisation's (no controller named)"
            )
            how = (
                f"{sender}, a processor of the organisation's, uses its data for "
                f"'{flow.purpose}', {whose}: outside its instructions, "
                f"{'that party' if decides is not None else 'the processor'}'s processing "
                "as a controller (Art. 28(10))"
            )
        elif sender in ours and facts.flow(flow).role is Role.CONTROLLER:
            how = (
                f"{sender}, a processor of the organisation's, gives the data to a controller, "
                "outside its instructions (Art. 28(10))"
            )
        elif (party := parties.get(sender)) is not None and party.role is Role.CONTROLLER:
            how = f"{sender} is a controller and none of the organisation's processors"
        else:
            how = "as the map now reads"
        if sender in ours_before and sender not in ours:
            how += (
                f"; {sender} was one of the organisation's processors at the base"
                f"{_processor_links_cut(base, head, sender)}"
            )
        if flow.id not in before:
            how += "; a flow new to the map"
        elif flow.id in moved:
            was_from, was_to = moved[flow.id]
            how += f"; re-pointed: {was_from} → {was_to} at the base"
        kinds: set[str] = set()
        record = False
        for name, judged, row in _NOT_OURS:
            if flow.id in sets[name]:
                kinds.update(judged)
                record = record or row
        named = [kind for kind in _NOT_OURS_ORDER if kind in kinds]
        which = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
        if flow.id in theirs:
            phrase = f"as made by {sender} on its own account, not as the organisation's processing"
            whose = "read as the other controller's duties, not the organisation's"
        else:
            phrase = "as not wholly the organisation's processing to judge"
            whose = "read as not the organisation's to answer for"
        cleared = f"its {which} ones" + (", and its row on the Art. 30(1) record" if record else "")
        found.append((flow.id, f"{phrase} ({how})", [f"{cleared}: {whose}"]))
    return found


class _Aside(NamedTuple):
    """What one flow keeps aside of what it carries as not the organisation's own to judge:
    the people off its contract question (``checks/lawful_basis.py``, ``kept``) and its
    Art. 30(1) row, and the categories off that row (``reports/ropa.py``, ``_chain_part``)."""

    people: frozenset[str] = frozenset()
    data: frozenset[str] = frozenset()


#: The capacities of a flow judged as the organisation's own but for a part it keeps aside.
#: A "both" flow partly the organisation's is judged whole as its own, the worse case (DPO
#: review z, problem 1): nothing of it is aside.
_PART = ("mixed", "split")

#: The sets of ``_NOT_OURS`` that set a flow aside whole, its basis and its Art. 30(1) row
#: (``others_own_flows`` is within ``basis_not_ours``); "mixed" is a part of a flow.
_WHOLE = ("basis_not_ours", "held_as_controller")


def _aside(result: AuditResult, flow: Flow, whole: bool) -> _Aside:
    """What ``flow`` keeps aside in ``result``: all of it where ``whole``; else, by its
    ``MapFacts.capacity`` ("mixed", "split"), the people its sender holds in its own
    capacity or only a controller's chain brings, and the categories only they bring."""
    if whole:
        return _Aside(frozenset(flow.subjects), frozenset(flow.categories))
    held = result.facts.capacity.get(flow.id)
    if held is None or held.kind not in _PART:
        return _Aside()
    people = frozenset((*held.items, *held.held)) if flow.subjects else frozenset()
    return _Aside(people, frozenset(held.chain_categories))


def _set_aside_widened(
    base: AuditResult, head: AuditResult
) -> list[tuple[str, str, list[str], frozenset[str]]]:
    """Flows HEAD judges as partly the organisation's own ("mixed" or "split") that keep more
    of what they carry aside than at the base (``_aside``: against the base's part, or all
    of the flow where the base set it aside whole), each with the reading in words, what it
    can clear, and the people and categories newly kept aside. The sets of ``_NOT_OURS``
    are compared by flow id (``_others_own_now``): a flow "mixed" or "split" at both ends
    whose people set aside widened, by one subject added to the controller's intake or to a
    flow between two other parties, took them off its contract question and its Art. 30(1)
    row with nothing to review (attack review s2, problem 1). A flow new to the map counts
    too: a "split" one partly the organisation's sits in no compared set."""
    facts, was = head.facts, base.facts
    sets, sets_before = _flow_sets(head), _flow_sets(base)
    reported = _newly_aside(base, head, sets, sets_before)
    whole = frozenset().union(*(sets[name] for name in _WHOLE))
    whole_before = frozenset().union(*(sets_before[name] for name in _WHOLE))
    before = {flow.id: flow for flow in base.loaded.data.flows}
    current: dict[str, Flow] = {}
    found: list[tuple[str, str, list[str], frozenset[str]]] = []
    for flow in head.loaded.data.flows:
        held = facts.capacity.get(flow.id)
        if held is None or held.kind not in _PART:
            continue
        if flow.id in whole or flow.id in reported or facts.processed_for(flow):
            continue  # all of it aside, or newly in a set: ``_others_own_now`` names it
        now = _aside(head, flow, False)
        old = before.get(flow.id)
        then = (
            _Aside()
            if old is None
            else _aside(
                base,
                old,
                old.id in whole_before
                or bool(was.processed_for(old))
                or was.index.acts_as_processor(old),
            )
        )
        people, data = now.people - then.people, now.data - then.data
        if not (people or data):
            continue
        if not current:
            current = {f.id: f for f in head.loaded.data.flows}
        sender = facts.flow(flow).sender
        reasons = []
        own = [item for item in held.held if item in people]
        chain = [item for item in held.items if item in people and item not in held.held]
        if own:
            capacity = (
                "as processor for another controller"
                if "another" in held.flows and "controller" not in held.flows
                else "as a controller"
            )
            owned = (*held.flows.get("controller", ()), *held.flows.get("another", ()))
            named = _flows_named(owned, before, current)
            reasons.append(f"{', '.join(own)} reach {sender} {capacity} ({named})")
        if chain:
            named = _flows_named(held.flows.get("chain", ()), before, current)
            reasons.append(
                f"{', '.join(chain)} reach {sender} only as the processor of "
                f"{', '.join(held.controllers)} ({named})"
            )
        if data:
            reasons.append(f"categories {', '.join(sorted(data))} that reach {sender} only so")
        kept = sorted(then.people | then.data)
        reasons.append(
            "a flow new to the map"
            if old is None
            else f"at the base it kept aside {', '.join(kept)}"
            if kept
            else "at the base it kept none of it aside"
        )
        phrase = (
            "as keeping more of what it carries aside as not the organisation's own to judge "
            f"({'; '.join(reasons)})"
        )
        what = (
            [
                f"its lawful basis ones about {', '.join(sorted(people))} (whether they are "
                "party to a contract it rests on)"
            ]
            if people
            else []
        )
        what.append(
            f"{', '.join((*sorted(people), *sorted(data)))} on its row on the Art. 30(1) record"
        )
        cleared = (
            f"{', and '.join(what)}: read as not the organisation's to answer for, though the "
            "rest of the flow is judged as its own"
        )
        found.append((flow.id, phrase, [cleared], people | data))
    return found


def _brought_as_controller(into: Iterable[FlowFacts], flow: Flow) -> tuple[str, ...]:
    """Of the flows ``into`` an onward flow's sender, those that bring it the flow's people
    (or, about no one recorded, its data) as a controller or joint controller, in map order:
    the first few, then "and N more" (as ``MapFacts.capacity`` names them)."""
    owner = (Role.CONTROLLER, Role.JOINT_CONTROLLER)
    ids = [
        brought.flow.id
        for brought in into
        if brought.role in owner
        and (
            not set(flow.subjects).isdisjoint(brought.flow.subjects)
            if flow.subjects
            else any(covered(c, brought.flow.categories) for c in flow.categories)
        )
    ]
    shown = 5
    more = len(ids) - shown
    return (*ids[:shown], f"and {more:,} more") if more > 0 else tuple(ids)


def _flows_named(
    ids: Iterable[str], before: dict[str, Any], now: dict[str, Flow] | None = None
) -> str:
    """Flows as a capacity names them (``MapFacts.capacity``: the first few, then "and N
    more"), each new to the map marked so; with ``now`` (HEAD's flows), each changed since
    the base too (attack review s2, problem 1: a flow between two other parties widened
    what another flow keeps aside)."""
    now = now or {}
    return ", ".join(
        flow_id
        if flow_id.startswith("and ")
        else f"flows/{flow_id}"
        + (
            " new"
            if flow_id not in before
            else " changed"
            if flow_id in now and now[flow_id] != before[flow_id]
            else ""
        )
        for flow_id in ids
    )


def _processor_links_cut(base: AuditResult, head: AuditResult, party: str) -> str:
    """The flows that made ``party`` a processor of the organisation's at the base and no
    longer do (``recipient_role: processor`` withdrawn, or the flow gone), in words."""
    now = {flow.id: flow for flow in head.loaded.data.flows}
    cut = []
    for held in base.facts.index.flow_facts:
        if held.role is not Role.PROCESSOR or held.recipient.party_id != party:
            continue
        flow = now.get(held.flow.id)
        if flow is None:
            cut.append(f"flows/{held.flow.id} gone")
        elif head.facts.flow(flow).role is not Role.PROCESSOR:
            cut.append(f"flows/{held.flow.id}'s recipient_role processor withdrawn")
    return f": {', '.join(cut)}" if cut else ""


#: How much consent a cookie's purpose needs under PECR reg. 6: none when strictly necessary
#: (reg. 6(4)), none for analytics under the exemption where in force (DUAA 2025 s.112),
#: opt-in consent otherwise. A purpose changed to one that needs less can clear a finding.
_COOKIE_NEED = {CookiePurpose.STRICTLY_NECESSARY: 0, CookiePurpose.ANALYTICS: 1}


def _stores_released(base: AuditResult, head: AuditResult) -> list[tuple[str, str]]:
    """Stores of the base that held personal data for the organisation (its own, or its
    processor's) and that HEAD leaves to another controller, in
    words: the store of a controller party counted as a processor's only through a flow's
    ``recipient_role`` stopped being judged (its contents, retention, security, source) once
    that flow was deleted, and nothing was reported (attack review 2026-12-03v, problem 1b).
    Whether it held anything is the base's word (its declaration, or the flows into and out
    of it), not HEAD's: the same change could delete its ``categories``/``subjects`` lines,
    and a store that stops saying what it holds has not stopped holding it (attack review
    2026-12-03w, problem 1).
    A flow deleted is the map itself, but what it takes with it here is a claim: that the
    owner keeps this data as a controller in its own right, which a person confirms."""
    was_ours = base.facts.holds_for_us
    before = {system.id: system for system in base.loaded.data.systems}
    head_flows = {flow.id for flow in head.loaded.data.flows}
    parties = head.facts.index.parties
    found: list[tuple[str, str]] = []
    for system in head.loaded.data.systems:
        old = before.get(system.id)
        if old is None or not was_ours(old) or head.facts.holds_for_us(system):
            continue
        held = base.facts.holdings.get(old.id)
        if held is None or not (held.categories or held.subjects):
            continue  # held nothing at the base: nothing left unjudged
        owner = parties.get(system.owner)
        role = "role unsaid" if owner is None or owner.role is None else f"a {owner.role.value}"
        said = (
            f"owner {system.owner} ({role}), no flow writing into it as to a processor, "
            "so no longer the organisation's to account for"
        )
        notes: list[str] = []
        writers = [
            facts.flow.id
            for facts in base.facts.index.flow_facts
            if facts.flow.target == system.id and facts.role is Role.PROCESSOR
        ]
        if writers:
            gone = [f for f in writers if f not in head_flows]
            shown = _shown_ids("flows", writers)
            notes.append(f"at the base {shown} wrote into it as to a processor")
            if gone:
                notes.append(f"{_shown_ids('flows', gone)} no longer in the map")
        deleted = [
            field
            for field in ("categories", "subjects")
            if getattr(old, field) and not getattr(system, field)
        ]
        if deleted:
            notes.append(f"its {' and '.join(deleted)} deleted in the same change")
        if notes:
            said += f" ({'; '.join(notes)})"
        found.append((system.id, said))
    return found


def _stores_left_aside(
    base: AuditResult, head: AuditResult, released: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Stores of the base that HEAD newly reads as holding only another controller's own
    processing (``MapFacts.others_stores``: every flow into or out of them set aside), which
    the store rules then pass over. Re-pointing the one flow into a processor's store to come
    from a controller took its retention and encryption findings with a line that named only
    the flow's (attack review s7, problem 2). Those ``_stores_released`` already names are
    left to it."""
    newly = head.facts.others_stores - base.facts.others_stores
    if not newly:
        return []
    named = {system_id for system_id, _ in released}
    before = {system.id for system in base.loaded.data.systems}
    return [
        (
            system.id,
            f"owner {system.owner}, every flow into or out of it now another controller's "
            "own processing, so read as holding nothing for the organisation: the store "
            "rules no longer judge it",
        )
        for system in head.loaded.data.systems
        if system.id in newly and system.id in before and system.id not in named
    ]


def _shown_ids(collection: str, ids: list[str]) -> str:
    """At most three ``COLLECTION/ID`` labels, then how many more."""
    shown = ", ".join(f"{collection}/{i}" for i in ids[:3])
    return shown + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def _cookies_said_away(base: AuditResult, head: AuditResult) -> list[tuple[str, list[str]]]:
    """Stores of the base whose cookies HEAD says less of, in words: a cookie's entry
    deleted, its purpose changed to one that needs less consent (``strictly_necessary``),
    the list recorded where it was not (``cookies: []``: the website sets none) or deleted
    (the store no longer a website to the cookie rules). Each can only clear a cookie
    finding, and that a website sets no such cookie is a fact the repository cannot show
    (attack review 2026-12-03j, 1: the Meta pixel's entry deleted or relabelled
    strictly_necessary, and ``cookies: []`` on the shipped map, each passed)."""
    before = {system.id: system.cookies for system in base.loaded.data.systems}
    found: list[tuple[str, list[str]]] = []
    for system in head.loaded.data.systems:
        if system.id not in before or system.cookies == before[system.id]:
            continue
        was, now = before[system.id], system.cookies
        said: list[str] = []
        if was is None or now is None:
            then = "unsaid" if was is None else _shown([c.id for c in was])
            said.append(
                f"cookies {'unsaid' if now is None else _shown([c.id for c in now])} (was {then})"
            )
        else:
            kept = {cookie.id: cookie for cookie in now}
            for cookie in was:
                after = kept.get(cookie.id)
                if after is None:
                    said.append(f"cookies[{cookie.id}] deleted (was {_shown(cookie.purpose)})")
                elif _COOKIE_NEED.get(after.purpose, 2) < _COOKIE_NEED.get(cookie.purpose, 2):
                    said.append(
                        f"cookies[{cookie.id}].purpose {_shown(after.purpose)} "
                        f"(was {_shown(cookie.purpose)})"
                    )
        if said:
            found.append((system.id, said))
    return found


def _widened_to_parent(
    base: AuditResult, head: AuditResult, gone: Iterable[Finding]
) -> list[tuple[ElementRef, list[str]]]:
    """Flows and stores of the base that HEAD describes by a broader category where they
    named a narrower one (``communications`` for ``communications.call_recording``: the
    narrower one no longer named, an ancestor of it named), and that lost a finding of the
    base: the element says it carries more, yet a rule that selects the narrower category
    (``match: categories: [communications.call_recording]``) no longer selects it, and its
    finding goes as "fixed" with nothing left to turn new (attack review 2026-12-03j, 3).
    The rules' scope stays as it is; a person confirms the re-description."""
    lost = {finding.element for finding in gone}
    found: list[tuple[ElementRef, list[str]]] = []
    if not lost:
        return found
    pairs: list[tuple[str, list[tuple[str, Any, Any]]]] = []
    flows = {flow.id: flow for flow in base.loaded.data.flows}
    for flow in head.loaded.data.flows:
        old = flows.get(flow.id)
        if old is not None and ("flows", flow.id) in lost:
            was_may, now_may = old.may_carry, flow.may_carry
            pairs.append(
                (
                    f"flows/{flow.id}",
                    [
                        ("categories", old.categories, flow.categories),
                        (
                            "may_carry categories",
                            was_may.categories if was_may is not None else [],
                            now_may.categories if now_may is not None else [],
                        ),
                    ],
                )
            )
    systems = {system.id: system for system in base.loaded.data.systems}
    for system in head.loaded.data.systems:
        held = systems.get(system.id)
        if held is not None and ("systems", system.id) in lost:
            pairs.append(
                (f"systems/{system.id}", [("categories", held.categories, system.categories)])
            )
    for label, lists in pairs:
        said = [
            f"{name} widened to a parent, {', '.join(widened)}"
            for name, was, now in lists
            if (widened := _to_parent(was, now))
        ]
        if said:
            collection, element_id = label.split("/", 1)
            found.append(((collection, element_id), said))
    return found


def _to_parent(was: Iterable[str], now: Iterable[str]) -> list[str]:
    """Each category of ``was`` that ``now`` no longer names while it names an ancestor of it,
    as ``ANCESTOR (was CATEGORY)`` (the nearest ancestor named)."""
    named = set(now)
    widened: list[str] = []
    for category in was:
        if category in named:
            continue
        parents = ancestors(category) & named
        if parents:
            widened.append(f"{max(parents, key=len)} (was {category})")
    return widened


def _both_sides(
    base: AuditResult, head: AuditResult, collection: str
) -> tuple[dict[str, Any], list[Any]]:
    """A collection's elements at the base by id, and HEAD's in order; the organisation as a
    collection of one (keyed by HEAD's id, so a renamed organisation is still compared)."""
    if collection == "organisation":
        return {head.loaded.organisation.id: base.loaded.organisation}, [head.loaded.organisation]
    before = {e.id: e for e in getattr(base.loaded.data, collection)}
    return before, list(getattr(head.loaded.data, collection))


def _claimed_fields(paths: Iterable[str]) -> Callable[[Any], Any]:
    """The fields of an element that hold its claims, read at once (a 100,000-flow change
    compares them for every flow)."""
    return attrgetter(*dict.fromkeys(_field_of(path)[0] for path in paths))


def _field_of(path: str) -> tuple[str, ...]:
    """The schema field a claim path starts at (where to point a reviewer)."""
    return (path.split("[", maxsplit=1)[0].split(".", maxsplit=1)[0],) if path else ()


def _waiver_changes(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """New, re-aimed and longer waivers; a new or re-aimed one says what it hides in HEAD
    (the rules, severity and message of each finding it covers), since its rule and element
    alone do not tell a reviewer whether it silences a notice's wording or the law."""
    before = {w.id: w for w in base.loaded.data.waivers}
    hides: dict[str, list[str]] = {}
    for finding in head.waived:
        assert finding.waiver is not None
        hides.setdefault(finding.waiver.id, []).append(
            f"{' + '.join(finding.rule_ids)} ({finding.severity.value}) {finding.code}: "
            f"{finding.message}"
        )
    changes: list[ReviewChange] = []
    for waiver in head.loaded.data.waivers:
        covers = "; it covers " + ("; ".join(hides[waiver.id]) if waiver.id in hides else "nothing")
        old = before.get(waiver.id)
        what = f"{waiver.rule} on {waiver.element}" + (f" ({waiver.code})" if waiver.code else "")
        if old is None:
            changes.append(
                ReviewChange(
                    f"waiver-added:{waiver.id}",
                    "waiver-added",
                    waiver.id,
                    f"new waiver of {what} until {waiver.expires_on}, owner "
                    f"{waiver.owner!r}: {waiver.justification}{covers}",
                )
            )
            continue
        if (old.rule, old.element, old.code) != (waiver.rule, waiver.element, waiver.code):
            changes.append(
                ReviewChange(
                    f"waiver-changed:{waiver.id}",
                    "waiver-changed",
                    waiver.id,
                    f"waiver now covers {what}{covers}",
                )
            )
        # an approval moved later re-approves the waiver: with the months cap, it can move
        # the waiver's real end later too (attack review 2026-12-02b, hole 6)
        if waiver.expires_on > old.expires_on or waiver.approved_on != old.approved_on:
            changes.append(
                ReviewChange(
                    f"waiver-extended:{waiver.id}",
                    "waiver-extended",
                    waiver.id,
                    f"waiver of {what} now runs {waiver.approved_on} to {waiver.expires_on} "
                    # what it keeps out of the gate for longer, as a new one says it
                    # (attack review 2026-12-03s, problem 6)
                    f"(was {old.approved_on} to {old.expires_on}){covers}",
                )
            )
    return changes


def _waiver_coverage_changes(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """Waivers of the base, unchanged, that now cover a finding they did not cover at the
    base (another code, message or destination: the flow re-pointed to another country, or
    a waiver that matched nothing now matching something). A waiver was approved for the
    problem it covered then, not for whatever turns up later under the same rule on the same
    element. New and re-aimed waivers are listed already (waiver-added, waiver-changed)."""
    before = {w.id: w for w in base.loaded.data.waivers}
    covered: dict[str, set[FindingKey]] = {}
    judged: dict[tuple[str, FindingKey], set[str]] = {}  # the flows each waived finding judged
    for finding in base.waived:
        assert finding.waiver is not None
        key = finding_key(finding)
        covered.setdefault(finding.waiver.id, set()).add(key)
        judged.setdefault((finding.waiver.id, key), set()).update(_flows_judged(finding))
    changes: dict[str, list[Finding]] = {}
    joined: dict[str, list[str]] = {}
    for finding in head.waived:
        waiver = finding.waiver
        assert waiver is not None
        old = before.get(waiver.id)
        if old is None or (old.rule, old.element, old.code) != (
            waiver.rule,
            waiver.element,
            waiver.code,
        ):
            continue
        key = finding_key(finding)
        if key not in covered.get(waiver.id, set()):
            changes.setdefault(waiver.id, []).append(finding)
        elif finding.flows:
            # a finding that groups flows (one assessment per purpose) now judges a flow it
            # did not: the waiver was approved for the flows it covered then, and a new
            # disclosure on legitimate interests joined the waived purpose with nothing to
            # review, where joining an open finding is a change to review (gate review s18)
            had = judged.get((waiver.id, key), set())
            added = [f for f in dict.fromkeys(finding.flows) if f not in had]
            if added:
                changes.setdefault(waiver.id, []).append(finding)
                joined.setdefault(waiver.id, []).extend(added)
    found: list[ReviewChange] = []
    for waiver_id, findings in changes.items():
        was = sorted(
            f"{code}: {_said(message)}" for _, _, code, message in covered.get(waiver_id, ())
        )
        now = "; ".join(f"{f.code}: {f.message}" for f in findings)
        what = "a finding it did not cover at the base"
        if waiver_id in joined:
            what = (
                f"flows {listed(joined[waiver_id])} too, newly under the finding it covers, "
                "which it was not approved for"
            )
        found.append(
            ReviewChange(
                f"waiver-covers-new:{waiver_id}",
                "waiver-covers-new",
                waiver_id,
                f"waiver '{waiver_id}' now covers {what}: "
                f"{now} (at the base it covered " + ("; ".join(was) if was else "nothing") + ")",
            )
        )
    return found


def _said(problem: str | tuple[str, ...]) -> str:
    """A finding key's problem in words: merged, each rule's, joined as a message is."""
    return problem if isinstance(problem, str) else "; ".join(problem)


def _signature_changes(base: AuditResult, head: AuditResult) -> list[ReviewChange]:
    """Agreements newly marked signed, and signed ones whose term now runs longer or whose
    terms (parties, categories, purposes, ...) changed: each makes agreement findings go
    without anyone producing a document."""
    old_agreements = {a.id: a for a in base.loaded.data.agreements}
    extended = [
        ReviewChange(
            f"agreement-extended:{agreement.id}",
            "agreement-extended",
            agreement.id,
            f"signed agreement '{agreement.id}' now runs {agreement.signed_on or '?'} to "
            f"{agreement.expires_on or 'no end'} (was {old.signed_on or '?'} to "
            f"{old.expires_on or 'no end'})",
        )
        for agreement in head.loaded.data.agreements
        if agreement.status is AgreementStatus.SIGNED
        and (old := old_agreements.get(agreement.id)) is not None
        and old.status is AgreementStatus.SIGNED
        and (
            (old.expires_on is not None and (agreement.expires_on or date.max) > old.expires_on)
            or (
                old.signed_on is not None
                and (agreement.signed_on is None or agreement.signed_on < old.signed_on)
            )
        )
    ]
    terms = (
        "kind",
        # a later signing date can clear a finding too (an IDTA dated before the IDTA existed:
        # signed-before-available), so any change of it is a change to review
        "signed_on",
        "parties",
        "on_behalf_of",
        "categories",
        "purposes",
        "allows_subprocessing",
        "evidence",
    )
    changed = [
        ReviewChange(
            f"agreement-changed:{agreement.id}",
            "agreement-changed",
            agreement.id,
            f"signed agreement '{agreement.id}' now records different terms: "
            + ", ".join(
                f"{name} {_term(getattr(old, name))} -> {_term(getattr(agreement, name))}"
                for name in terms
                if getattr(old, name) != getattr(agreement, name)
            ),
        )
        for agreement in head.loaded.data.agreements
        if agreement.status is AgreementStatus.SIGNED
        and (old := old_agreements.get(agreement.id)) is not None
        and old.status is AgreementStatus.SIGNED
        and any(getattr(old, name) != getattr(agreement, name) for name in terms)
    ]
    before = {a.id: a.status for a in base.loaded.data.agreements}
    return (
        extended
        + changed
        + [
            ReviewChange(
                f"agreement-signed:{agreement.id}",
                "agreement-signed",
                agreement.id,
                f"agreement '{agreement.id}' is now recorded as signed"
                + (f" (was {before[agreement.id].value})" if agreement.id in before else " (new)")
                + f"; signed on {agreement.signed_on or 'no date'}, evidence "
                + (repr(agreement.evidence) if agreement.evidence else "none"),
            )
            for agreement in head.loaded.data.agreements
            if agreement.status is AgreementStatus.SIGNED
            and before.get(agreement.id) is not AgreementStatus.SIGNED
        ]
    )
