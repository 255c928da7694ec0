"""The audit's verdict in words, shared by the HTML report and the Markdown summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from flowaudit.checks.engine import not_binding
from flowaudit.checks.result import NOT_JUDGED_CODES, AuditResult, RuleCode
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity


def _finding_keys(result: AuditResult) -> frozenset[RuleCode]:
    """The distinct (rule, further rules, code) of every finding, open or waived."""
    active, waived = result.rule_codes
    return active | waived


def _rule_ids(key: RuleCode) -> tuple[str, ...]:
    """The rules of a ``RuleCode``, as ``Finding.rule_ids`` gives them."""
    return (key[0], *key[1])


def _passed_ids(result: AuditResult) -> set[str]:
    """The rules with a pass."""
    return set(map(attrgetter("rule_id"), result.passed))


def _judging_ids(result: AuditResult) -> set[str]:
    """The rules that judged something: a finding that is no not-judged note, or a pass."""
    applied = {
        rule_id
        for key in _finding_keys(result)
        if key[2] not in NOT_JUDGED_CODES
        for rule_id in _rule_ids(key)
    }
    return applied | _passed_ids(result)


def not_applicable(result: AuditResult) -> list[str]:
    """The ids of the rules switched on that applied to nothing: no element of the map fell
    under them, so they neither failed nor passed (the report's "n/a", not a pass)."""
    applied = {rule_id for key in _finding_keys(result) for rule_id in _rule_ids(key)}
    applied |= _passed_ids(result)
    applied |= set(result.unjudged)  # matched elements it did not judge: not "nothing"
    return [rule.id for rule in result.rules if rule.enabled and rule.id not in applied]


def not_judged(result: AuditResult) -> list[str]:
    """The ids of the rules switched on that state the law of another regime than the
    organisation's (``not_binding``): they judge nothing of its map, whatever it holds. The
    summary, the text verdict and the JSON say so once (DPO review 2026-12-03s, problem 4)."""
    regime = result.loaded.organisation.regime.value
    return [
        rule.id for rule in result.rules if rule.enabled and not_binding(rule, regime) is not None
    ]


def not_judged_words(ids: list[str], regime: str) -> str:
    """Why the rules ``ids`` were not judged, in the words every report uses."""
    return f"{', '.join(ids)}: the law of another regime than the organisation's, {regime}"


def not_judged_by_reason(result: AuditResult) -> tuple[list[str], list[str]]:
    """The ids of the rules switched on that judged nothing here, as the report's rule cards
    badge them "not judged": those of another regime's law that applied to nothing, and those
    whose only open findings are notes that say they were not judged (GDPR-ART9's note on a
    Swiss flow, an EU website's cookies under a law flowaudit does not model). Two lists: the
    rules of another regime's law, then the rest (auditor review 2026-12-03s, problem 3: a
    rule whose only output was a not-judged note was missing from "N not judged")."""
    unbound_rules = set(not_judged(result))
    active: dict[str, list[bool]] = {}
    for finding in result.active:
        for rule_id in finding.rule_ids:
            active.setdefault(rule_id, []).append(finding.not_judged)
    idle = set(not_applicable(result))
    other: list[str] = []
    unmodelled: list[str] = []
    for rule in result.rules:
        if not rule.enabled:
            continue
        notes = active.get(rule.id)
        if rule.id in idle or (notes and all(notes)):
            unbound = rule.id in unbound_rules
            if rule.id in idle and not unbound:
                continue  # n/a: nothing in the map falls under it
            (other if unbound else unmodelled).append(rule.id)
    return other, unmodelled


def partly_judged(result: AuditResult) -> dict[str, int]:
    """The rules that judged some of what they matched and left the rest unjudged (a fact the
    map does not record), each with how many elements it left: PECR-MARKETING-CONSENT passed
    96 flows and skipped 1,731, and the summary's "not judged" said nothing (auditor review
    2026-12-03u, problem 4)."""
    applied = _judging_ids(result)
    return {
        rule.id: count
        for rule in result.rules
        if rule.enabled and rule.id in applied and (count := result.unjudged_count(rule.id))
    }


def judged_nothing(result: AuditResult) -> dict[str, int]:
    """The rules that matched elements and judged none of them (each left unjudged, for a fact
    the map does not record), each with how many: the HTML badged such a rule "not judged",
    but the text said nothing and the JSON's per-rule fields read as a pass (DPO review v,
    point 6). A rule of another regime's law is said apart (``not_judged``)."""
    applied = _judging_ids(result)
    unbound = set(not_judged(result))
    return {
        rule.id: count
        for rule in result.rules
        if rule.enabled
        and rule.id not in applied
        and rule.id not in unbound
        and (count := result.unjudged_count(rule.id))
    }


def rule_verdicts(result: AuditResult) -> dict[str, str]:
    """Each rule's verdict as the report's badge gives it, in the JSON's words: ``fail``,
    ``waived``, ``pass`` (it judged something and found nothing open), ``not_judged`` (it
    judged nothing: another regime's law, a law flowaudit does not model, or every element it
    matched left unjudged), ``n/a`` (nothing in the map falls under it) or ``off``. A pass is
    never a rule that judged nothing (DPO review v, point 6)."""
    active: dict[str, list[bool]] = {}  # by rule: whether each open finding is a note
    for key in result.rule_codes[0]:
        for rule_id in _rule_ids(key):
            active.setdefault(rule_id, []).append(key[2] in NOT_JUDGED_CODES)
    waived = {r for key in result.rule_codes[1] for r in _rule_ids(key)}
    passed = _passed_ids(result)
    unbound = set(not_judged(result))
    verdicts = {}
    for rule in result.rules:
        notes = active.get(rule.id)
        if not rule.enabled:
            verdict = "off"
        elif notes:
            verdict = "not_judged" if all(notes) else "fail"
        elif rule.id in waived:
            verdict = "waived"
        elif rule.id in passed:
            verdict = "pass"
        elif rule.id in unbound or result.unjudged_count(rule.id):
            verdict = "not_judged"
        else:
            verdict = "n/a"
        verdicts[rule.id] = verdict
    return verdicts


def summary_in_words(result: AuditResult, fail_on: Severity) -> str:
    """The verdict as a sentence an auditor can quote."""
    failing = result.failing(fail_on)
    counts = result.counts()
    data = result.loaded.data
    # the organisation by name, then the parties as the scope counts them ("14 parties"): a
    # count of organisations with the organisation in it (15) did not reconcile at sight
    name = result.loaded.organisation.name
    scope = (
        f"The data map of {name} ({plural(len(data.flows), 'flow')} "
        f"among {name}, {plural(len(data.parties), 'party', 'parties')} and "
        f"{plural(len(data.systems), 'system')}) was audited as of "
        f"{result.as_of.isoformat()} against {plural(len(result.rules), 'rule')}"
    )
    idle_rules = not_applicable(result)
    idle = len(idle_rules)
    regime = result.loaded.organisation.regime.value
    # a rule of another regime's law is not judged, whatever the map holds (auditor review
    # 2026-12-03o, problem 7), and neither is one whose only open findings say so (2026-12-03s,
    # problem 3)
    other, unmodelled = not_judged_by_reason(result)
    # a rule that matched only what it does not judge says why (its own words): an EU shop's
    # cookie rule was "n/a: nothing in the map falls under it" (auditor review 2026-12-03u,
    # problem 8)
    partly = partly_judged(result)
    skipped = {
        rule.id: "; ".join(result.unjudged[rule.id])
        for rule in result.rules
        if rule.id in result.unjudged
        and rule.id not in partly
        and rule.id not in other
        and rule.id not in unmodelled
    }
    inapplicable = idle - len(set(other) & set(idle_rules))
    if inapplicable:
        scope += (
            f", {inapplicable:,} of which did not apply (n/a: nothing in the map falls "
            f"under {'it' if inapplicable == 1 else 'them'})"
        )
    if other or unmodelled or skipped:
        reasons = []
        if other:
            reasons.append(not_judged_words(other, regime))
        if unmodelled:
            reasons.append(f"{', '.join(unmodelled)}: a law flowaudit does not model")
        reasons.extend(f"{rule_id}: {reason}" for rule_id, reason in skipped.items())
        judged_none = len(other) + len(unmodelled) + len(skipped)
        scope += f", {judged_none:,} not judged ({'; '.join(reasons)})"
    if partly:
        scope += (
            f", {len(partly):,} judged in part ("
            + "; ".join(
                f"{rule_id}: {plural(n, 'element')} not judged" for rule_id, n in partly.items()
            )
            + ")"
        )
    scope += "."
    # the parenthesis counts only what the sentence counts, the findings at or above fail_on;
    # those below it are counted apart (auditor review 2026-12-03s, problem 3: "6 findings at
    # or above low (1 critical, 2 high, 2 medium, 1 low, 1 info)" summed to 7)
    below = [f"{counts[s]:,} {s.value}" for s in Severity if counts[s] and s.rank < fail_on.rank]
    below_count = sum(counts[s] for s in Severity if s.rank < fail_on.rank)
    beside = (
        f", beside {plural(below_count, 'finding')} below {fail_on.value} ({', '.join(below)})"
        if below
        else ""
    )
    if not failing:
        verdict = (
            f"No finding is at or above {fail_on.value}{beside}; "
            f"{plural(len(result.passed), 'check')} passed."
        )
    else:
        worst = [
            f"{counts[s]:,} {s.value}" for s in Severity if counts[s] and s.rank >= fail_on.rank
        ]
        # under --base the gate's verdict is on what the change adds, stated apart: the
        # map's own findings are counted without a "fails" that a passing run contradicts
        lead = "It fails: " if result.against is None else "On the map, "
        verdict = (
            f"{lead}{plural(len(failing), 'finding')} at or above {fail_on.value} "
            f"({', '.join(worst)}) {'needs' if len(failing) == 1 else 'need'} action{beside}; "
            f"{plural(len(result.passed), 'check')} passed."
        )
    waived = (
        f" {plural(len(result.waived), 'finding is', 'findings are')} accepted under waivers."
        if result.waived
        else ""
    )
    return f"{scope} {verdict}{waived}"


#: The parts of a warning that name one element rather than say the problem: where it is
#: in the map (``file:line:col:`` first), a quoted id, a bracketed list, a number.
_WARNING_PLACE = re.compile(r"^.*?:\d+:\d+: ")
_WARNING_ID = re.compile(r"(?<!\w)'[^'\s]+'(?!\w)")
_WARNING_BRACKETS = re.compile(r"\([^()]*\)")
_WARNING_NUMBER = re.compile(r"\d+")
_WARNING_PLURAL = re.compile(r"\bN (\w+?)s\b")
#: The elements a group of warnings names after its first, before "and N more".
WARNING_OTHERS_NAMED = 10


@dataclass(frozen=True)
class WarningGroup:
    """Warnings that say the same of different elements: the first in full, how many in
    all, and what the others are about (each one's first quoted id, or its place)."""

    first: str
    count: int
    others: tuple[str, ...]

    @property
    def more(self) -> int:
        """The others not named."""
        return self.count - 1 - len(self.others)

    @property
    def like_it(self) -> str:
        """How many more say the same of another element, and which, as every report prints
        it after the first ("" for a kind of one warning)."""
        if self.count == 1:
            return ""
        named = ", ".join(self.others) + (f", and {self.more:,} more" if self.more else "")
        return (
            f"{plural(self.count - 1, 'more warning')} like it, each about another element: {named}"
        )


def _warning_kind(warning: str) -> str:
    text = _WARNING_ID.sub("'…'", _WARNING_PLACE.sub("", warning, count=1))
    while True:
        bare = _WARNING_BRACKETS.sub("(…)", text)
        if bare == text:
            # "the 1 flow it matches" and "the 6 flows it matches" are one kind
            return _WARNING_PLURAL.sub(r"N \1", _WARNING_NUMBER.sub("N", bare))
        text = bare


def _warning_subject(warning: str) -> str:
    named = _WARNING_ID.search(warning)
    if named:
        return named.group()
    place = _WARNING_PLACE.match(warning)
    return place.group().rstrip(": ") if place else warning


def warning_groups(warnings: Sequence[str]) -> list[WarningGroup]:
    """The run's warnings, those that differ only in the element they name, its place in
    the map, the lists in brackets and the numbers (and a counted noun's plural) grouped:
    in the order of each group's first warning. The 10,000-flow hub map's 137 warnings
    printed as 15 near-identical paragraphs, two and a half pages of its summary ("flow X
    moves what reaches Supplier 3 US both as processor ..."); they are 8 kinds (auditor
    review s21)."""
    kinds: dict[str, list[str]] = {}
    for warning in warnings:
        kinds.setdefault(_warning_kind(warning), []).append(warning)
    return [
        WarningGroup(
            first=same[0],
            count=len(same),
            others=tuple(_warning_subject(w) for w in same[1 : 1 + WARNING_OTHERS_NAMED]),
        )
        for same in kinds.values()
    ]
