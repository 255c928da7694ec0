"""Plain text: one line per finding, ``file:line:col SEVERITY RULE-ID element: message``,
then a summary by severity; the format compilers and editors already understand.

For a person at a terminal (:func:`render_terminal`), the same findings come grouped (by
severity, rule or flow) under headings with counts, wrapped to the terminal's width (at most
100 columns, continuation lines indented so no input can start a line), coloured unless
``NO_COLOR`` is set; ``--summary`` gives counts per rule and severity and the worst elements.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterator
from typing import Literal

from flowaudit.checks.result import RECORDED, Against, AuditResult, Finding
from flowaudit.checks.transfer import NO_TRANSFER_ASSUMED
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity
from flowaudit.reports.sanitise import break_commands, escape, for_terminal
from flowaudit.reports.summary import (
    judged_nothing,
    not_judged,
    not_judged_words,
    partly_judged,
)

GroupBy = Literal["severity", "rule", "flow"]
MAX_WIDTH = 100
NOT_A_FLOW = "(not a flow)"
WORST_ELEMENTS = 5
#: Under ``--base``: the mark of a finding the change adds (the others existed at the base).
NEW_MARK = " [new]"
#: Under ``--base``: the new findings and unaccepted changes the verdict line names.
VERDICT_NAMES = 3

_COLOURS = {
    Severity.CRITICAL: "\x1b[1;31m",
    Severity.HIGH: "\x1b[31m",
    Severity.MEDIUM: "\x1b[33m",
    Severity.LOW: "\x1b[34m",
    Severity.INFO: "\x1b[2m",
}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def unconfirmed_note(finding: Finding) -> str:
    """The mark a finding carries when it relies on legal rows no primary source confirmed."""
    if not finding.unconfirmed:
        return ""
    return f" [relies on UNCONFIRMED legal rows: {'; '.join(finding.unconfirmed)}]"


#: How many passed checks an unconfirmed row's line names before it counts the rest.
RELIED_SHOWN = 5


def unconfirmed_passes(result: AuditResult) -> list[tuple[str, list[str], int]]:
    """Per unconfirmed legal row that a passed check relied on (sorted by the row): the first
    :data:`RELIED_SHOWN` passes as ``RULE-ID collection/id`` and how many there are. A pass
    resting on a row no primary source confirmed is as doubtful as a finding that does, so
    every report names it (FACTS: keep the mark and show it in reports), one line per row."""
    return _noted_passes(result, 1)


def assumed_passes(result: AuditResult) -> list[tuple[str, list[str], int]]:
    """Per fact the map marks assumed that a passed check rests on (sorted by the fact), as
    :func:`unconfirmed_passes` gives the rows: a pass on a guess (an unnamed importer's
    certification taken on the notice's word) is evidence of nothing until it is verified."""
    return _noted_passes(result, 2)


def _noted_passes(result: AuditResult, which: int) -> list[tuple[str, list[str], int]]:
    """Per note of the passes (``which``: 1 their unconfirmed rows, 2 their assumed facts)."""
    noted: dict[str, list[str]] = {}
    for evaluation in result.passed:
        notes = evaluation.unconfirmed if which == 1 else evaluation.assumed
        for entry in notes:
            # a note shared by many passes, and this pass's own detail (the text it quotes)
            note, _, detail = entry.partition(RECORDED)
            noted.setdefault(note, []).append(
                f"{evaluation.rule_id} {evaluation.element[0]}/{evaluation.element[1]}"
                + (f" ({detail})" if detail else "")
            )
    named = _exporters_named(result, noted) if which == 1 else {}
    if which == 2:
        _fold_no_transfer(noted)
    return [
        (note + named.get(note, ""), passes[:RELIED_SHOWN], len(passes))
        for note, passes in sorted(noted.items())
    ]


def _fold_no_transfer(noted: dict[str, list[str]]) -> None:
    """One line per assumed country: the transfer rules' note on it ("installer country GB
    (why), so no restricted transfer, to be verified") takes in the condition rules' passes
    on the same fact ("installer country GB (why)", CONCERO-SERVER-LOCATION), which printed
    the same assumption twice, one line above the other, for each of five recipients on the
    shipped map (DPO review s19). Each pass keeps its own note in the JSON."""
    suffix = f", {NO_TRANSFER_ASSUMED}"
    for note in [note for note in noted if note.endswith(suffix)]:
        bare = noted.pop(note[: -len(suffix)], None)
        if bare is not None:
            noted[note] = bare + noted[note]


#: How many exporters an other regime's row's line names before it counts the rest.
EXPORTERS_SHOWN = 3

#: A regime's law as a line about whose export it is names it.
_REGIME_WORDS = {
    "UK": ("a", "UK (UK GDPR)"),
    "EU": ("an", "EU (GDPR)"),
    "CH": ("a", "Swiss (revFADP)"),
}


def _exporters_named(result: AuditResult, noted: dict[str, list[str]]) -> dict[str, str]:
    """For each noted row that is another regime's adequacy row (a Swiss or EU exporter's,
    in a UK organisation's audit), the words that say whose export it judged: the regime and
    the exporters of the flows that passed on it. A UK organisation's summary listing
    "ch-eea" passes read as its own transfers (report review s17, problem 7)."""
    regime = result.loaded.organisation.regime.value
    own = {regime, result.legal.effective_regime(regime, result.as_of)}
    rows = {row.id: row.exporter for row in result.legal.transfers.adequacy}
    flows = {flow.id: flow for flow in result.loaded.data.flows}
    nodes = result.facts.index.nodes
    words: dict[str, str] = {}
    for note, passes in noted.items():
        exporter = rows.get(note.split(" (", 1)[0])
        if exporter is None or exporter in own:
            continue
        senders: dict[str, None] = {}
        for entry in passes:
            rule_element = entry.split(" (", 1)[0]
            collection, _, element = rule_element.partition(" ")[2].partition("/")
            flow = flows.get(element) if collection == "flows" else None
            if flow is not None:
                node = nodes.get(flow.source)
                senders.setdefault(f"{node.name if node is not None else flow.source}")
        names = list(senders)
        shown = ", ".join(names[:EXPORTERS_SHOWN])
        more = len(names) - EXPORTERS_SHOWN
        article, theirs = _REGIME_WORDS.get(exporter, ("a", exporter))
        ours = _REGIME_WORDS.get(regime, ("a", regime))[1]
        words[note] = (
            f", {article} {theirs} exporter's row, not the organisation's {ours} one"
            + (f", for exports by {shown}" if names else "")
            + (f" and {plural(more, 'more exporter')}" if more > 0 else "")
        )
    return words


def set_aside_flows(result: AuditResult, limit: int) -> tuple[list[tuple[str, str, str]], int]:
    """The flows set aside as another controller's own processing (``MapFacts.
    held_as_controller``), in map order, the first ``limit`` as (flow id, party name, why),
    and how many there are: no rule judges them and they are off the Art. 30(1) record, so
    the report's scope lists them, where "no finding" read as a pass (auditor review s6,
    problem 2)."""
    facts = result.facts
    theirs = facts.held_as_controller
    if not theirs:
        return [], 0
    parties = facts.index.parties
    rows: list[tuple[str, str, str]] = []
    for found in facts.index.flow_facts:
        if len(rows) == limit:
            break
        if found.flow.id in theirs:
            party = parties.get(found.sender)
            name = party.name if party is not None else found.sender
            rows.append((found.flow.id, name, facts.set_aside_why(found)))
    return rows, len(theirs)


def unconfirmed_pass_line(row: str, shown: list[str], total: int) -> str:
    """One unconfirmed row and the passes that rest on it, in words (unescaped)."""
    return f"Passed on an UNCONFIRMED legal row: {row}: {_passes_words(shown, total)}"


def assumed_pass_line(fact: str, shown: list[str], total: int) -> str:
    """One assumed fact and the passes that rest on it, in words (unescaped)."""
    return f"Passed on an ASSUMED fact: {fact}: {_passes_words(shown, total)}"


def _passes_words(shown: list[str], total: int) -> str:
    more = f" and {total - len(shown):,} more" if total > len(shown) else ""
    return f"{plural(total, 'check')} ({', '.join(shown)}{more})"


#: How many findings' lines make one piece of :func:`text_pieces` (about 0.4 MB).
TEXT_PIECE_LINES = 2000


def text_pieces(result: AuditResult, fail_on: Severity) -> Iterator[str]:
    """The text report in pieces of :data:`TEXT_PIECE_LINES` findings' lines, each piece
    made, printed or written and dropped (a dense 100k map's 182,661 findings are 37 MB of
    text, which held whole, with its lines, stood at the run's peak)."""
    lines: list[str] = []
    # What many findings share is composed once: the rules with their notice clauses (a rule
    # lookup per finding cost a second at 100k flows) and the sanitised element label.
    heads: dict[tuple[Severity, tuple[str, ...]], str] = {}
    labels: dict[tuple[str, str], str] = {}
    against = result.against
    for finding in result.findings:
        # escape(str(x)) is for_terminal(x), one call less per text (190,000 at 100k flows)
        location = finding.location
        where = escape(str(location)) if location else "(map)"
        waiver = finding.waiver
        note = (
            f" [waived until {waiver.expires_on} by {for_terminal(waiver.owner)}: {waiver.id}]"
            if waiver is not None
            else ""
        )
        rule_ids = finding.rule_ids
        head = heads.get((finding.severity, rule_ids))
        if head is None:
            cited, _ = result.references_of(finding)
            notice = f" ({', '.join(cited)})" if cited else ""
            head = f"{finding.severity.value.upper()} {' + '.join(rule_ids)}{notice}"
            heads[finding.severity, rule_ids] = head
        label = labels.get(finding.element)
        if label is None:
            label = labels[finding.element] = escape(finding.element_label)
        message = (
            finding.message + unconfirmed_note(finding) if finding.unconfirmed else finding.message
        )
        if against is not None and against.is_new(finding):
            note += NEW_MARK
        lines.append(f"{where} {head} {label}: {escape(message)}{note}\n")
        if len(lines) == TEXT_PIECE_LINES:
            yield "".join(lines)
            lines = []
    if result.findings:
        lines.append("\n")  # a blank line between the findings and the closing lines
    yield "".join(lines) + "".join(f"{line}\n" for line in _closing(result, fail_on))


def render_text(result: AuditResult, fail_on: Severity) -> str:
    """The text report whole (:func:`text_pieces` joined): one line per finding, then the
    summary, the overrides, changes to review, warnings and the verdict."""
    return "".join(text_pieces(result, fail_on))


def _closing(result: AuditResult, fail_on: Severity) -> list[str]:
    """The summary line, the overrides on the record, and the verdict."""
    lines: list[str] = []
    counts = result.counts()
    failing = len(result.failing(fail_on))
    summary = ", ".join(f"{counts[s]:,} {s.value}" for s in Severity)
    verdict = "FAIL" if failing else "PASS"
    lines.append(
        f"{for_terminal(result.loaded.organisation.name)} as of {result.as_of.isoformat()}: "
        f"{plural(len(result.active), 'finding')} ({summary}), {len(result.waived):,} waived; "
        f"{plural(len(result.passed), 'check')} passed; {plural(len(result.rules), 'rule')}."
    )
    # the rules of another regime's law, said once, as the Markdown summary says them: the
    # per-flow notes are gone, and "PASS" alone read as if they had passed (DPO review
    # 2026-12-03s, problem 4)
    unjudged = not_judged(result)
    if unjudged:
        regime = result.loaded.organisation.regime.value
        lines.append(
            for_terminal(
                f"Not judged: {plural(len(unjudged), 'rule')} "
                f"({not_judged_words(unjudged, regime)})."
            )
        )
    # a rule that judged part of what it matched says how much it left (auditor review
    # 2026-12-03u, problem 4): the warnings name the subjects, this the rule and the count
    for rule_id, count in partly_judged(result).items():
        reasons = "; ".join(result.unjudged[rule_id])
        lines.append(
            for_terminal(
                f"Judged in part: {rule_id} did not judge {plural(count, 'element')} ({reasons})."
            )
        )
    # a rule that judged none of what it matched is no pass, and says so: it was silent here
    # while the HTML badged it "not judged" (DPO review v, point 6)
    for rule_id, count in judged_nothing(result).items():
        reasons = "; ".join(result.unjudged[rule_id])
        # "any of the 1 element" read as a slip to a DPO (DPO review s19)
        matched = "the 1 element" if count == 1 else f"any of the {count:,} elements"
        lines.append(
            for_terminal(
                f"Judged nothing: {rule_id}: not judged on {matched} it matched: "
                f"{reasons}. This is not a pass."
            )
        )
    for override in result.overrides:
        state = "off" if not override.enabled else f"severity {override.severity.value}"
        if override.settings:
            state += ", " + ", ".join(
                f"{key}={for_terminal(value)}" for key, value in override.settings
            )

        owner = f", owner {for_terminal(override.owner)}" if override.owner else ""
        lines.append(
            f"Override: {override.rule_id} {state} ({for_terminal(override.file)}: "
            f"{for_terminal(override.justification)}{owner})"
        )

    for change in result.review:
        # said once, here: check --base prints no second copy on stderr when this text is
        # what it prints (auditor review 2026-12-02f, problem 9)
        said = f"{for_terminal(change.id)}: {for_terminal(change.detail)}"
        lines.append(f"accepted change: {said}" if change.accepted else f"change to review: {said}")
        where = f", said at [{for_terminal(change.location)}]" if change.location else ""
        lines.append(f"    ({'accepted' if change.accepted else 'NOT ACCEPTED'}){where}")
    for warning in result.warnings:
        lines.append(f"Warning: {for_terminal(warning)}")
    for row, shown, total in unconfirmed_passes(result):
        lines.append(for_terminal(unconfirmed_pass_line(row, shown, total)))
    for fact, shown, total in assumed_passes(result):
        lines.append(for_terminal(assumed_pass_line(fact, shown, total)))
    if result.against is not None:
        lines += gone_lines(result.against)
        lines.append(gate_verdict(result, result.against, fail_on))
        return lines
    lines.append(f"{verdict}: {plural(failing, 'finding')} at or above {fail_on.value}.")
    if result.unaccepted_review:
        lines.append(
            f"FAIL: {plural(len(result.unaccepted_review), 'change')} to review not accepted "
            "(rules, waivers, policy selection, signatures or claims changed)."
        )
    return lines


def gone_lines(against: Against) -> list[str]:
    """Under ``--base``, every finding of the base that is gone, most severe first, with why:
    a finding that goes away is not failed on, but never goes unseen."""
    if not against.gone:
        return []
    ref = for_terminal(against.ref)
    lines = [f"Gone since {ref} ({plural(len(against.gone), 'finding')}, not failed on):"]
    for gone in against.gone:
        finding = gone.finding
        where = for_terminal(finding.location) if finding.location else ref
        lines.append(
            f"  {gone.status.upper()} {where} {finding.severity.value.upper()} "
            f"{' + '.join(finding.rule_ids)} {for_terminal(finding.element_label)}: "
            f"{for_terminal(finding.message)} [{for_terminal(gone.reason)}]"
        )
    return lines


def _named(names: list[str]) -> str:
    """The first VERDICT_NAMES names, then how many more."""
    shown = ", ".join(names[:VERDICT_NAMES])
    more = len(names) - VERDICT_NAMES
    return f"{shown} and {more:,} more" if more > 0 else shown


def gate_verdict(result: AuditResult, against: Against, fail_on: Severity) -> str:
    """Under ``check --base``, the gate's verdict in one line, as the exit code has it: what
    the change adds at or above ``fail_on`` and the changes to review nobody accepted fail
    it; the findings that existed at the base are counted, not judged."""
    ref = for_terminal(against.ref)
    # a count with its noun: "(1 existing)" after the change ids read as theirs (auditor
    # review 2026-12-03s, problem 13)
    existing = plural(len(result.active) - len(against.new), "existing finding")
    new = result.gate_failing(fail_on)
    unaccepted = result.unaccepted_review
    if not new and not unaccepted:
        review = plural(len(result.review), "change to review", "changes to review")
        accepted = ", all accepted" if result.review else ""
        return (
            f"PASS: no new findings at or above {fail_on.value} against {ref} "
            f"({existing}, {review}{accepted})."
        )
    parts: list[str] = []
    if new:
        worst_first = sorted(new, key=lambda f: -f.severity.rank)  # stable: then map order
        # each with its code: two findings of one rule on one flow read as the same one
        # twice (auditor review 2026-12-03s, problem 13); the very same named once, counted
        said = Counter(
            (f"{' + '.join(f.rule_ids)} {for_terminal(f.element_label)}", for_terminal(f.code))
            for f in worst_first
        )
        names = [
            f"{name} ({code})" if times == 1 else f"{name} ({code}, {times:,} findings)"
            for (name, code), times in said.items()
        ]
        parts.append(
            f"{plural(len(new), 'new finding')} at or above {fail_on.value} against {ref}: "
            f"{_named(names)}"
        )
    if unaccepted:
        ids = [for_terminal(change.id) for change in unaccepted]
        count = plural(len(unaccepted), "change to review", "changes to review")
        parts.append(f"{count} not accepted: {_named(ids)}")
    if not new:
        parts[0] = f"no new findings at or above {fail_on.value} against {ref}, but {parts[0]}"
    existed = len(result.active) - len(against.new)
    return f"FAIL: {'; '.join(parts)}." + (f" Not failed on: {existing}." if existed else "")


def _group_key(finding: Finding, group_by: GroupBy) -> str:
    if group_by == "rule":
        return finding.rule_id
    if group_by == "flow":
        return finding.element_label if finding.element[0] == "flows" else NOT_A_FLOW
    return finding.severity.value


def _not_a_flow_last(key: str) -> tuple[bool, str]:
    return (key == NOT_A_FLOW, key)


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{_RESET}" if colour else text


def render_terminal(
    result: AuditResult,
    fail_on: Severity,
    *,
    group_by: GroupBy = "severity",
    summary: bool = False,
    width: int = MAX_WIDTH,
    colour: bool = False,
) -> str:
    """The findings for a person: grouped under headings, wrapped to ``width`` columns."""
    width = max(40, min(width, MAX_WIDTH))
    groups: dict[str, list[Finding]] = {}
    for finding in result.findings:  # already most severe first
        groups.setdefault(_group_key(finding, group_by), []).append(finding)
    keys = list(groups) if group_by == "severity" else sorted(groups, key=_not_a_flow_last)
    lines: list[str] = []
    against = result.against
    if summary:
        lines += _summary(result, width, colour)
    else:
        for key in keys:
            findings = groups[key]
            worst = findings[0].severity
            heading = (
                f"{for_terminal(key).upper() if group_by == 'severity' else for_terminal(key)}"
            )
            lines.append(_paint(f"{heading} ({len(findings):,})", _COLOURS[worst], colour))
            for finding in findings:
                new = against is not None and against.is_new(finding)
                lines += _finding_lines(finding, group_by, width, colour, new)
            lines.append("")
    closing = _closing(result, fail_on)
    wrapped = [
        wrapped_line
        for line in closing
        for wrapped_line in textwrap.wrap(
            line, width, subsequent_indent="    ", break_on_hyphens=False
        )
        or [""]
    ]
    verdict = wrapped[-1]
    wrapped[-1] = _paint(verdict, _BOLD, colour)
    # wrapping can start a line with input text: no line may start a workflow command
    return "\n".join(break_commands(line) for line in lines + wrapped) + "\n"


def _finding_lines(
    finding: Finding, group_by: GroupBy, width: int, colour: bool, new: bool = False
) -> list[str]:
    """``  where RULE element`` (``[new]`` when the change adds it, under ``--base``) then
    the message, indented, wrapped to ``width``."""
    where = for_terminal(finding.location) if finding.location else "(map)"
    label = " + ".join(finding.rule_ids) if group_by != "rule" else ""
    if group_by != "severity":
        label = f"{finding.severity.value.upper()} {label}".strip()
    element = for_terminal(finding.element_label) if group_by != "flow" else ""
    head = " ".join(part for part in (where, label, element) if part) + (NEW_MARK if new else "")
    message = for_terminal(finding.message + unconfirmed_note(finding))
    if finding.waiver is not None:
        waiver = finding.waiver
        message += f" [waived until {waiver.expires_on} by {for_terminal(waiver.owner)}]"
    out = textwrap.wrap(
        head, width, initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False
    )
    out[0] = "  " + _paint(out[0][2:], _COLOURS[finding.severity], colour)
    out += textwrap.wrap(
        message, width, initial_indent="      ", subsequent_indent="      ", break_on_hyphens=False
    )
    return out


def _summary(result: AuditResult, width: int, colour: bool) -> list[str]:
    """Counts per rule and severity, then the elements with the most findings."""
    per_rule: dict[str, Counter[Severity]] = {}
    for finding in result.active:
        per_rule.setdefault(finding.rule_id, Counter())[finding.severity] += 1
    order = sorted(per_rule, key=lambda r: (-max(s.rank for s in per_rule[r]), r))
    columns = list(Severity)
    name_width = max([len(r) for r in per_rule] + [len("rule")])
    header = "rule".ljust(name_width) + "".join(f"{s.value:>10}" for s in columns)
    lines = [_paint(header, _BOLD, colour)]
    for rule_id in order:
        counts = per_rule[rule_id]
        lines.append(rule_id.ljust(name_width) + "".join(f"{counts[s]:>10,}" for s in columns))
    lines.append("")
    weight: Counter[str] = Counter()
    worst: dict[str, Severity] = {}
    for finding in result.active:
        weight[finding.element_label] += 1
        if finding.element_label not in worst or finding.severity.rank > (
            worst[finding.element_label].rank
        ):
            worst[finding.element_label] = finding.severity
    ranked = sorted(weight, key=lambda e: (-worst[e].rank, -weight[e], e))[:WORST_ELEMENTS]
    if ranked:
        lines.append(_paint("Worst elements", _BOLD, colour))
        for element in ranked:
            line = (
                f"  {for_terminal(element)}: {weight[element]:,} "
                f"finding{'' if weight[element] == 1 else 's'}, worst {worst[element].value}"
            )
            lines += textwrap.wrap(line, width, subsequent_indent="      ")
        lines.append("")
    return lines
