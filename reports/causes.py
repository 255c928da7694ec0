"""Findings grouped by cause: what a DPO would call one problem.

A large map breaks one rule in the same way thousands of times for one reason: 2,660 flows all
go to one US supplier with no transfer mechanism; 4,026 flows go to parties with no data
sharing agreement, a few hundred each. A summarised report prints one line per cause, with its
count, a plain sentence and an example finding or two; findings.csv keeps every finding, with the
cause id in its ``cause`` column so each line can be checked against the rows behind it.

A cause is the findings of one severity, one rule (or merged rules) and one code that share
what causes them:

- a finding on a flow: the party at the other end of the flow from the organisation (the
  importer of a transfer, the recipient missing an agreement, the sender of inbound data; for
  an onward hop, which has neither end ours, its recipient);
- any other finding: its element (a party, a system, an agreement...).

Grouping never drops a finding: the causes' counts add up to the findings (tested).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.graph import MapIndex
from flowaudit.policies.schema import Severity

EXAMPLES = 2
"""How many example finding ids a cause line names."""


@dataclass(frozen=True)
class Cause:
    """The findings of one rule and code with one cause."""

    cause_id: str
    severity: Severity
    rule_ids: tuple[str, ...]
    code: str
    subject: str
    """The cause in words: a hop, a party, an element, with ids and countries."""
    sentence: str
    """A plain sentence saying what is wrong, for the summary."""
    headline: str
    """The sentence without the rule and what is wrong: a register line under its rule."""
    detail: str
    """What is wrong, in the words of its first finding."""
    title: str
    """The rule's title."""
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived)

    @property
    def examples(self) -> list[str]:
        return [f.finding_id for f in self.findings[:EXAMPLES]]

    @property
    def rule_id(self) -> str:
        return self.rule_ids[0]


def cause_id(rule_ids: Sequence[str], code: str, key: Sequence[str]) -> str:
    """``C-`` and 10 hex digits over rules, code and what causes them: stable across runs."""
    text = "\0".join((*rule_ids, "", code, "", *key))
    return "C-" + hashlib.sha256(text.encode()).hexdigest()[:10]


class _Namer:
    """Human labels for nodes: 'Supplier 3 (party-000003, US)'."""

    def __init__(self, index: MapIndex) -> None:
        self.index = index

    def node(self, node_id: str) -> str:
        node = self.index.nodes.get(node_id)
        if node is None:
            return node_id
        if node.name == node_id:
            return f"{node_id} ({node.country})"
        return f"{node.name} ({node_id}, {node.country})"


def _key(index: MapIndex, finding: Finding) -> tuple[str, ...]:
    """What causes a finding (see the module's docstring), as ids."""
    collection, element_id = finding.element
    if collection == "flows" and element_id in index.flows:
        flow = index.flows[element_id]
        org = index.organisation.id
        target = index.party_of(flow.target)
        if target == org and index.party_of(flow.source) != org:
            return ("party", index.party_of(flow.source))
        return ("party", target)
    return ("element", collection, element_id)


def _detail(finding: Finding) -> str:
    """The example's message; for an onward hop, only what is wrong with the hop (its
    ``problem``, "hop 'ID': what is wrong", without the routes that reach it)."""
    if finding.problem:
        return finding.problem.partition(": ")[2] or finding.problem
    return finding.message


def group_by_cause(result: AuditResult) -> list[Cause]:
    """Every finding in exactly one cause; the most severe causes first, then the largest."""
    index = result.facts.index
    names = _Namer(index)
    titles = {rule.id: rule.title for rule in result.rules}
    groups: dict[tuple[Severity, tuple[str, ...], str, tuple[str, ...]], list[Finding]] = {}
    for finding in result.findings:
        key = (finding.severity, finding.rule_ids, finding.code, _key(index, finding))
        groups.setdefault(key, []).append(finding)
    causes: list[Cause] = []
    for (severity, rules, code, ids), findings in groups.items():
        count = len(findings)
        title = titles.get(rules[0], rules[0])
        subject = names.node(ids[1]) if ids[0] == "party" else f"{ids[1]}/{ids[2]}"
        noun = "flow" if findings[0].element[0] == "flows" else "finding"
        what = f"{count:,} {noun}{'s' if count != 1 else ''}"
        verb = "break" if count != 1 else "breaks"
        headline = f"{subject}: {what}"
        sentence = f"{subject}: {what} {verb} “{title}” ({code}): {_detail(findings[0])}"
        causes.append(
            Cause(
                cause_id(rules, code, ids),
                severity,
                rules,
                code,
                subject,
                sentence,
                headline,
                _detail(findings[0]),
                title,
                tuple(findings),
            )
        )
    causes.sort(key=lambda c: (-c.severity.rank, -c.count, c.rule_ids, c.code, c.subject))
    return causes


def critical_sentences(causes: Sequence[Cause], limit: int) -> list[str]:
    """The summary's critical problems: each cause in one sentence when there are at most
    ``limit``; otherwise one sentence per rule and code, the one with most findings first,
    with its number of causes and its largest ones (every cause is then listed with its count
    in the findings register)."""
    if len(causes) <= limit:
        return [cause.sentence for cause in causes]
    kinds: dict[tuple[tuple[str, ...], str], list[Cause]] = {}
    for cause in causes:
        kinds.setdefault((cause.rule_ids, cause.code), []).append(cause)
    sentences = []
    # the kinds with the most findings first, then by rule and code: a reader takes the first
    # line as the largest problem (newcomer review s18: the hub map's came in neither order)
    ordered = sorted(
        kinds.items(),
        key=lambda kind: (-sum(c.count for c in kind[1]), kind[0][0], kind[0][1]),
    )
    for (rule_ids, code), of_kind in ordered:
        findings = sum(c.count for c in of_kind)
        largest = "; ".join(f"{c.subject}, {c.count:,}" for c in of_kind[:3])
        sentences.append(
            f"{' + '.join(rule_ids)} ({code}): {findings:,} critical finding"
            f"{'s' if findings != 1 else ''} from {len(of_kind):,} cause"
            f"{'s' if len(of_kind) != 1 else ''}, the largest {largest}."
        )
    return sentences
