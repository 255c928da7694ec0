"""Waiver: accepted risks stay on the record only while in date; a waiver past its expiry
no longer covers anything (its finding fails again) and is itself reported, one close to
expiry is flagged, one approved after the audit date or running longer than the maximum
after its approval (``max_months``, default 12) is reported, and one that matches no finding
is reported. A waiver accepts findings up to the rule's ``max_severity`` (high): one naming
a graver finding (critical: unlawful on every day it runs) covers nothing and is reported. A
finding covered by a waiver that claims more than ``max_months`` says when its cover really
ends. A waiver covers a finding by its leading rule: one naming a rule that only
seconds a merged finding (a notice rule beside the law's) covers nothing and is reported. A
waiver naming a code covers a finding that says only that: on a finding that joins several
problems (one transfer's unmet conditions) it covers nothing and is reported; a waiver that
names no code covers the whole finding.

Everything about waivers is here: the rule's own findings (``evaluate``), and, once every
rule has run, which findings a waiver in force covers and which waivers cover none (``settle``,
the check's post-pass). A blank owner or justification never gets this far: the map's schema
refuses it (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from flowaudit.checks.base import Check, Context, Hit, Outcome, Settled, summary_of
from flowaudit.checks.facts import add_months
from flowaudit.checks.result import Finding
from flowaudit.model.problems import did_you_mean
from flowaudit.model.schema import Waiver
from flowaudit.policies.schema import RuleBase, WaiverRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: WaiverRule) -> Outcome:
    outcome = Outcome()
    horizon = ctx.as_of + timedelta(days=rule.warn_within_days)
    for waiver in ctx.index.data.waivers:
        element = ("waivers", waiver.id)
        outcome.evaluated.append(element)
        latest = add_months(waiver.approved_on, rule.max_months)
        if waiver.expires_on > latest:
            outcome.fail(
                element,
                "too-long",
                f"waiver runs to {waiver.expires_on}, more than {rule.max_months} months after "
                f"its approval on {waiver.approved_on} (latest {latest})",
                ("expires_on",),
            )
        if waiver.expires_on < waiver.approved_on:
            outcome.fail(
                element,
                "expires-before-approval",
                f"waiver expires on {waiver.expires_on}, before its approval on "
                f"{waiver.approved_on}",
                ("expires_on",),
            )
        elif waiver.expires_on < ctx.as_of:
            outcome.fail(
                element,
                "expired",
                f"waiver of {waiver.rule} on {waiver.element} expired on "
                f"{waiver.expires_on}; the finding it covered fails again",
                ("expires_on",),
            )
        elif waiver.approved_on > ctx.as_of:
            outcome.fail(
                element,
                "not-yet-approved",
                f"waiver is approved on {waiver.approved_on}, after the audit date; it "
                "covers nothing until then",
                ("approved_on",),
            )
        elif waiver.expires_on <= horizon:
            outcome.fail(
                element, "expiring", f"waiver expires on {waiver.expires_on}", ("expires_on",)
            )
    return outcome


def in_force(ctx: Context) -> list[Waiver]:
    """The waivers that cover findings on the audit date: approved, and not past the last day
    they can cover (the audit's facts: their expiry, or the rule's maximum after approval,
    whatever expiry they claim; 9999-12-31 buys a year, not forever). Without a waiver rule,
    approval and expiry alone decide."""
    as_of = ctx.as_of
    ends = ctx.facts.waiver_cover_ends
    return [w for w in ctx.index.data.waivers if w.approved_on <= as_of <= ends[w.id]]


def settle(ctx: Context, rules: Sequence[WaiverRule], findings: list[Finding]) -> Settled:
    """Attach in-force waivers to the findings they cover; report waivers that cover none.

    Waivers cover findings whether or not a waiver rule is enabled; the first enabled one
    (policy order) caps how long they run and reports those that match no finding."""
    rule = rules[0] if rules else None
    waivers = in_force(ctx)
    if not waivers:
        return Settled(findings)
    used: set[str] = set()
    secondary: dict[str, Finding] = {}  # waivers naming a rule that does not lead a finding
    partial: dict[str, Finding] = {}  # waivers naming one of a joined finding's problems
    too_grave: dict[str, Finding] = {}  # waivers of a finding graver than a waiver may accept
    covered: list[Finding] = []
    for finding in findings:
        label = finding.element_label
        cover = None
        for w in waivers:
            if w.element != label:
                continue
            if w.code is not None and (w.code != finding.code or finding.joined_codes):
                # another code, or the finding's code with more problems joined to it
                if w.code in (finding.code, *finding.joined_codes) and w.rule in finding.rule_ids:
                    partial.setdefault(w.id, finding)
                continue
            if w.rule == finding.rule_id:
                if rule is not None and finding.severity.rank > rule.max_severity.rank:
                    too_grave.setdefault(w.id, finding)
                    continue
                cover = w
                break
            if w.rule in finding.also:
                secondary.setdefault(w.id, finding)
        if cover is not None:
            used.add(cover.id)
            if cover.expires_on > (latest := ctx.facts.waiver_cover_ends[cover.id]):
                # the finding says how long it is covered, not how long the waiver claims
                # (DPO review 2026-12-03o, problem 8: "waived until 2028-06-01" while the
                # cover ends a year after approval)
                cover = cover.model_copy(update={"expires_on": latest})
        covered.append(finding if cover is None else replace(finding, waiver=cover))
    hits: list[tuple[RuleBase, Hit]] = []
    if rule is not None:
        for waiver in waivers:
            merged = secondary.get(waiver.id)
            part = partial.get(waiver.id)
            grave = too_grave.get(waiver.id)
            if waiver.id not in used and grave is not None:
                hits.append((rule, _too_grave_hit(waiver, grave, rule)))
            elif waiver.id not in used and part is not None:
                hits.append((rule, _partial_hit(waiver, part)))
            elif waiver.id not in used and merged is not None:
                hits.append((rule, _secondary_hit(waiver, merged)))
            elif waiver.id not in used:
                hits.append((rule, _unmatched_hit(waiver, findings)))
    return Settled(covered, hits)


def _unmatched_hit(waiver: Waiver, findings: Sequence[Finding]) -> Hit:
    """A waiver that matches no finding, saying what is there to match: a waiver naming a
    wrong code or rule on an element that has a finding was reported as matching "no
    finding", and its author could not tell which word was wrong (output review s16,
    problem 4). Names the finding's code or rule with a did-you-mean, at the field to fix."""
    there = [f for f in findings if f.element_label == waiver.element]
    same_rule = [f for f in there if waiver.rule in f.rule_ids]
    base = f"waiver matches no finding of {waiver.rule} on {waiver.element}"
    if waiver.code is not None and same_rule:
        codes = sorted({f.code for f in same_rule})
        return Hit(
            ("waivers", waiver.id),
            "unmatched",
            f"{base} with code {waiver.code}: the finding of {waiver.rule} there has code "
            f"{', '.join(codes)}{did_you_mean(waiver.code, codes)}; correct the code, or name "
            "none to waive the whole finding",
            ("code",),
        )
    if there and not same_rule:
        rules = sorted({f.rule_id for f in there})
        return Hit(
            ("waivers", waiver.id),
            "unmatched",
            f"{base}: the findings there are of {', '.join(rules)}"
            f"{did_you_mean(waiver.rule, rules)}; correct the rule, or remove the waiver",
            ("rule",),
        )
    return Hit(
        ("waivers", waiver.id),
        "unmatched",
        f"{base}; remove it or correct it",
        ("element",),
    )


def _partial_hit(waiver: Waiver, finding: Finding) -> Hit:
    """A waiver naming one code of a finding that joins several problems: it waives nothing,
    or waiving the missing agreement would silence the missing risk assessment joined with it
    (DPO review 2026-12-02h, problem 1)."""
    codes = [finding.code, *finding.joined_codes]
    others = [code for code in codes if code != waiver.code]
    return Hit(
        ("waivers", waiver.id),
        "covers-part",
        f"waiver of {waiver.rule} on {waiver.element} ({waiver.code}) covers nothing: the "
        f"finding there is one problem that also says {', '.join(others)}; a waiver of a code "
        "covers a finding that says only that: name no code to waive the whole finding, or "
        "fix the rest",
        ("code",),
    )


def _too_grave_hit(waiver: Waiver, finding: Finding, rule: WaiverRule) -> Hit:
    """A waiver of a finding graver than the rule lets a waiver accept: it covers nothing. A
    critical finding (a transfer with no Chapter V ground, a broken promise never to sell) is
    unlawful on every day it runs, and a risk acceptance does not make it lawful (DPO review
    2026-12-03o, problem 5: a waived Privacy Shield transfer gave PASS, exit 0)."""
    return Hit(
        ("waivers", waiver.id),
        "too-grave",
        f"waiver of {waiver.rule} on {waiver.element} covers nothing: the finding there is "
        f"{finding.severity.value}, and a waiver accepts findings up to "
        f"{rule.max_severity.value} only; fix the finding (a risk acceptance does not make the "
        "processing lawful)",
        ("rule",),
    )


def _secondary_hit(waiver: Waiver, finding: Finding) -> Hit:
    """A waiver naming a rule that only seconds a merged finding: it waives nothing (a notice
    rule's waiver must not silence the law's finding on the same problem)."""
    return Hit(
        ("waivers", waiver.id),
        "secondary-rule",
        f"waiver of {waiver.rule} on {waiver.element} covers nothing: {waiver.rule} only "
        f"seconds the finding there, which {' + '.join(finding.rule_ids)} establish "
        f"({finding.severity.value}); a waiver of it names its leading rule, {finding.rule_id}",
        ("rule",),
    )


CHECK = Check(WaiverRule, SUMMARY, evaluate, after=settle)
