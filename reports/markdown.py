"""The audit summary in Markdown, for a pull-request comment or an e-mail: the verdict, the
summary in words, the top findings with their fix and law, counts, then the findings table.

A large audit (more than :data:`MAX_ROWS` findings) is summarised the way the HTML report
is: findings grouped by cause (reports/causes.py), every critical problem named, the top
causes with their fix and law, a table of causes; every finding stays in findings.csv and in
``--format json``. The whole text stays under :data:`MAX_CHARS`, so that it fits in one
GitHub comment (65,536 characters) whatever the map holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from flowaudit.checks.result import AuditResult, Finding, ReviewChange
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import SET_ASIDE_SHOWN
from flowaudit.reports.causes import Cause, critical_sentences, group_by_cause
from flowaudit.reports.places import flow_places
from flowaudit.reports.sanitise import for_markdown, for_markdown_code
from flowaudit.reports.summary import WarningGroup, summary_in_words, warning_groups
from flowaudit.reports.text import (
    assumed_pass_line,
    assumed_passes,
    gate_verdict,
    set_aside_flows,
    unconfirmed_note,
    unconfirmed_pass_line,
    unconfirmed_passes,
)

MAX_ROWS = 200
"""Findings listed one by one at most; past this the summary groups them by cause."""
TOP_FINDINGS = 10
CRITICAL_SENTENCES = 10
"""Critical causes named one sentence each at most; past this, one sentence per rule."""
MAX_CHARS = 60_000
"""The most the summary writes: a GitHub comment holds 65,536 characters."""
WHERE_ALL = (
    "every finding is in findings.csv (with its cause id) beside the full report "
    "(`flowaudit report`) and in `--format json`"
)


def _fix_and_law(result: AuditResult, finding: Finding) -> list[str]:
    """The two lines under a top finding or cause: the fix of its code (``code_fix``, else
    its rule's fix) and the law it cites."""
    law = "; ".join(result.references_of(finding)[1]) or "—"
    return [
        f"   Fix: {for_markdown(result.fix_of(finding), code_spans=True)}  ",
        f"   Law: {for_markdown(law, code_spans=True)}",
    ]


def _top(result: AuditResult, noun: str, entries: Sequence[tuple[str, Finding]]) -> list[str]:
    """A numbered top-10 list: each entry's line (rule and what is wrong), then the fix and
    the law of its rules as they apply to ``finding``."""
    shown = entries[:TOP_FINDINGS]
    out = [f"### Top {plural(len(shown), noun)}", ""]
    for number, (line, finding) in enumerate(shown, start=1):
        out += [f"{number}. {line}  ", *_fix_and_law(result, finding)]
    return [*out, ""]


def _top_findings(result: AuditResult, failing: Sequence[Finding]) -> list[str]:
    return _top(
        result,
        "finding",
        [
            (
                f"**{finding.severity.value}** `{finding.finding_id}` "
                f"{' + '.join(finding.rule_ids)}, {for_markdown(finding.element_label)}: "
                f"{for_markdown(finding.message)}",
                finding,
            )
            for finding in failing[:TOP_FINDINGS]
        ],
    )


def _top_causes(result: AuditResult, causes: Sequence[Cause]) -> list[str]:
    return _top(
        result,
        "cause",
        [
            (
                f"**{cause.severity.value}** `{cause.cause_id}` "
                f"{' + '.join(cause.rule_ids)} ({for_markdown(cause.code)}): "
                f"{for_markdown(cause.headline)}: {for_markdown(cause.detail)} "
                f"(e.g. `{cause.examples[0]}`)",
                cause.findings[0],
            )
            for cause in causes[:TOP_FINDINGS]
        ],
    )


def _finding_rows(result: AuditResult) -> list[str]:
    """A row per finding; under ``--base`` the ones the change adds say ``(new)``; a finding
    that groups flows places each of them, as the HTML report does."""
    rows = []
    against = result.against
    for finding in result.findings:
        where = for_markdown_code(finding.location) if finding.location else "(map)"
        where += _grouped_places(result, finding)
        severity = finding.severity.value + (" (waived)" if finding.waived else "")
        if against is not None and against.is_new(finding):
            severity += " (new)"
        rows.append(
            f"| `{finding.finding_id}` | {severity} | {', '.join(finding.rule_ids)} | "
            f"{for_markdown(finding.element_label)} | "
            f"{where} | "
            f"{for_markdown(finding.message + unconfirmed_note(finding))} |"
        )
    return rows


def _grouped_places(result: AuditResult, finding: Finding) -> str:
    """The flows a grouped finding judges, each at its line:col under its file (at most
    checks.base.LIST_LIMIT, then a count): the "where" cell gave only the first flow's place,
    where JSON, SARIF, the CSV and the HTML report give every one (auditor review s18)."""
    places = flow_places(result, finding)
    if places is None:
        return ""
    runs = [
        (f"{for_markdown_code(file)} " if file else "not located: ")
        + ", ".join(f"{at} {for_markdown_code(flow)}".lstrip() for at, flow in items)
        for file, items in places.files
    ]
    more = f"; and {places.more:,} more (findings.csv)" if places.more else ""
    return f"; {plural(places.total, 'grouped flow')}: {'; '.join(runs)}{more}"


def _cause_rows(causes: Sequence[Cause]) -> list[str]:
    rows = []
    for cause in causes:
        waived = f" ({cause.waived:,} waived)" if cause.waived else ""
        rows.append(
            f"| `{cause.cause_id}` | {cause.severity.value} | {', '.join(cause.rule_ids)} "
            f"({for_markdown(cause.code)}) | {cause.count:,}{waived} | "
            f"{for_markdown(cause.headline)}: {for_markdown(cause.detail)} | "
            f"`{cause.examples[0]}` |"
        )
    return rows


def _table(header: list[str], rows: list[str], budget: int, unit: str, total: int) -> list[str]:
    """The table's rows that fit in ``budget`` characters, then how many were left out."""
    used = sum(len(line) + 1 for line in header)
    if used > budget:
        return [f"… {plural(total, unit)} not listed here: {WHERE_ALL}.", ""]
    out = list(header)
    shown = 0
    for row in rows[:MAX_ROWS]:
        if used + len(row) + 1 > budget:
            break
        out.append(row)
        used += len(row) + 1
        shown += 1
    if shown < total:
        out.append(f"\n… and {plural(total - shown, 'more ' + unit)}: {WHERE_ALL}.")
    return [*out, ""]


#: Lines of each kind of caveat (warnings, UNCONFIRMED rows, ASSUMED facts) a summary shows.
MAX_CAVEATS = 20
#: The most characters the caveats take together, and the most of one caveat's text: they
#: come before the long tables, and must leave the changes to review room in one comment.
CAVEATS_CHARS = 10_000
CAVEAT_TEXT = 1_000


def _capped(lines: list[str], what: str, chars: int | None = None) -> list[str]:
    """Up to :data:`MAX_CAVEATS` of ``lines`` (and up to ``chars`` characters), then one
    saying how many more and where."""
    shown: list[str] = []
    used = 0
    for line in lines[:MAX_CAVEATS]:
        if chars is not None and used + len(line) + 1 > chars:
            break
        shown.append(line)
        used += len(line) + 1
    if len(shown) == len(lines):
        return lines
    more = len(lines) - len(shown)
    return [
        *shown,
        f"- ⚠️ … and {more:,} more {what}: every one is in `flowaudit check` (text or JSON)",
    ]


def _caveat(text: str) -> str:
    """A caveat's text, sanitised, its first :data:`CAVEAT_TEXT` characters at most (a map
    text in it may be 10,000 long)."""
    if len(text) > CAVEAT_TEXT:
        text = text[:CAVEAT_TEXT] + " …"
    return for_markdown(text)


def _like_it(group: WarningGroup) -> str:
    """After a kind's first warning, how many more say the same of another element, and
    which (auditor review s21: the hub map's 137 warnings are 8 kinds)."""
    return for_markdown(f" (and {group.like_it})") if group.like_it else ""


def _caveats(result: AuditResult) -> list[str]:
    """The warnings, the passes on UNCONFIRMED legal rows and on ASSUMED facts, each kind up to
    :data:`MAX_CAVEATS` lines and all of them up to :data:`CAVEATS_CHARS` characters, then
    how many more of each; then the overrides. They come before the long tables: behind the
    changes to review and the findings gone, the cut of a long summary dropped the warnings
    without a word (attack review 2026-12-03s, problem 10)."""
    out: list[str] = []
    groups = warning_groups(result.warnings)
    kinds = [
        (
            [f"- ⚠️ Warning: {_caveat(group.first)}{_like_it(group)}" for group in groups],
            "kinds of warning",
        ),
        (
            [
                f"- ⚠️ {_caveat(unconfirmed_pass_line(row, shown, total))}"
                for row, shown, total in unconfirmed_passes(result)
            ],
            "passes on UNCONFIRMED legal rows",
        ),
        (
            [
                f"- ⚠️ {_caveat(assumed_pass_line(fact, shown, total))}"
                for fact, shown, total in assumed_passes(result)
            ],
            "passes on ASSUMED facts",
        ),
    ]
    for lines, what in kinds:
        # each kind up to MAX_CAVEATS lines, then how many more: three hundred ASSUMED notes
        # cut the Canada caveat and the fingerprint out of one comment (attack review
        # 2026-12-03p, problem 6)
        room = CAVEATS_CHARS - sum(len(line) + 1 for line in out)
        out += _capped(lines, what, max(room, 0))
    out += _set_aside(result, CAVEATS_CHARS - sum(len(line) + 1 for line in out))
    for override in result.overrides:
        state = "switched off" if not override.enabled else f"severity {override.severity.value}"
        why = _caveat(override.justification)
        owner = f" (owner: {_caveat(override.owner)})" if override.owner else ""
        out.append(f"- Override: `{override.rule_id}` {state}: {why}{owner}")
    return [*out, ""] if out else []


def _set_aside(result: AuditResult, room: int) -> list[str]:
    """The flows set aside as another controller's own processing, up to
    :data:`MAX_CAVEATS` and ``room`` characters, then how many more: judged by no rule, they
    are no pass (auditor review s6, problem 2)."""
    rows, total = set_aside_flows(result, MAX_CAVEATS)
    out: list[str] = []
    for flow_id, party, why in rows:
        line = (
            f"- Not judged, another controller's own processing: flow "
            f"{for_markdown_code(flow_id)} ({_caveat(party)}): {_caveat(why)}"
        )
        if sum(len(shown) + 1 for shown in out) + len(line) + 1 > room:
            break
        out.append(line)
    if total > len(out):
        out.append(
            f"- … and {total - len(out):,} more flows set aside as another controller's own "
            f"processing (the HTML report lists the first {SET_ASIDE_SHOWN:,})"
        )
    return out


#: Changes to review that clear no high or critical finding listed at most, and the most
#: characters their rows take: past either, one line says how many more and where they are.
MAX_ROUTINE_CHANGES = 50
ROUTINE_CHANGES_CHARS = 20_000
#: The characters the changes that clear a high or critical finding take in full; past it each
#: is one short row (its id and the grade of what it clears), up to GRAVE_CHANGES_CHARS.
GRAVE_FULL_CHARS = 24_000
GRAVE_CHANGES_CHARS = 40_000
#: The most characters the whole table's rows take (the routine ones fill what the grave
#: ones leave, up to ROUTINE_CHANGES_CHARS): the rest of the summary keeps room in one comment.
CHANGES_CHARS = 45_000


def _grave(change: ReviewChange) -> bool:
    """Whether a change clears a high or critical finding of the base
    (``ReviewChange.gravest``, not ``gravest_new``)."""
    return (
        change.gravest is not None
        and change.gravest.rank >= Severity.HIGH.rank
        and not change.gravest_new
    )


def _waives_new_grave(change: ReviewChange) -> bool:
    """Whether a change covers a high or critical finding new in the change only (a waiver of
    the change's own findings): listed among the routine ones, and counted apart."""
    return (
        change.gravest is not None
        and change.gravest.rank >= Severity.HIGH.rank
        and change.gravest_new
    )


def _review_table(review: Sequence[ReviewChange]) -> list[str]:
    """The changes to review, in the gate's order (the gravest finding cleared first): every
    one that clears a high or critical finding, then the routine ones up to
    :data:`MAX_ROUTINE_CHANGES` rows and :data:`ROUTINE_CHANGES_CHARS` characters, then how
    many routine ones are not listed. Six hundred new flows claiming TLS pushed the one
    change clearing a critical transfer finding past the comment's cut (attack review
    2026-12-03r, problem 1). The table comes before the findings gone, so that what the cut
    of a long summary drops is never a change the verdict depends on. A change whose gravest
    findings are all new in the change (a waiver of its own new findings) is routine here:
    six hundred decoy waivers of new high findings left the claim clearing the base's high
    finding out of the table (attack review 2026-12-03s, problem 4); every change clearing a
    high or critical finding of the base comes first, in the gate's order, then the rest."""
    out = [
        "### Changes to review",
        "",
        "Rules, waivers, the policy selection, signatures or claims changed: each can hide a "
        "finding without fixing it. Those that clear the gravest findings come first. Once "
        "a maintainer has read them, they are let through by an approving review of this "
        "commit in the example workflow, or by `--accept-change ID` with each id as printed "
        "(docs/ci.md, section 3).",
        "",
        "| change | accepted | what |",
        "|---|---|---|",
    ]
    routine_rows = routine_chars = grave_chars = 0
    cut = grave_cut = new_grave_cut = 0
    ordered = [c for c in review if _grave(c)] + [c for c in review if not _grave(c)]
    for change in ordered:
        accepted = "yes" if change.accepted else "**no**"
        row = f"| {for_markdown(change.id)} | {accepted} | {for_markdown(change.detail)} |"
        if _grave(change):
            if grave_chars + len(row) + 1 > GRAVE_FULL_CHARS:
                # hundreds of them: each still named, in one short row
                grade = change.gravest.value.upper() if change.gravest else ""
                row = (
                    f"| {for_markdown(change.id)} | {accepted} | it clears a {grade} finding: "
                    "its line is in `flowaudit check` |"
                )
            if grave_chars + len(row) + 1 > GRAVE_CHANGES_CHARS:
                grave_cut += 1
                continue
            grave_chars += len(row) + 1
        else:
            room = min(ROUTINE_CHANGES_CHARS, CHANGES_CHARS - grave_chars)
            # none while a grave one went unlisted: they come after every grave one
            if (
                grave_cut
                or routine_rows >= MAX_ROUTINE_CHANGES
                or routine_chars + len(row) + 1 > room
            ):
                cut += 1
                new_grave_cut += _waives_new_grave(change)
                continue
            routine_rows += 1
            routine_chars += len(row) + 1
        out.append(row)
    if grave_cut:
        out.append(
            f"\n… and **{plural(grave_cut, 'more change', 'more changes')} to review clearing "
            "a high or critical finding**, more than one comment holds: every one is in "
            "`flowaudit check` (text, JSON or SARIF)."
        )
    if cut:
        # waivers of the change's own new high findings clear none of the base's: said so
        of_base = (
            f" of the base ({new_grave_cut:,} of them covering a high or critical finding new "
            "in this change)"
            if new_grave_cut
            else ""
        )
        out.append(
            f"\n… and {plural(cut, 'more change', 'more changes')} to review, none clearing a "
            f"high or critical finding{of_base}, not listed here: every one is in "
            "`flowaudit check` (text, JSON or SARIF)."
        )
    return [*out, ""]


def _tail(result: AuditResult) -> list[str]:
    """The caveats, then the long tables (the changes to review, the findings gone), then the
    version and fingerprint."""
    out = _caveats(result)
    if result.review:
        out += _review_table(result.review)
    against = result.against
    if against is not None and against.gone:
        # what the change made go away: not failed on, but never unseen
        out += [
            f"### Gone since {for_markdown_code(against.ref)} "
            f"({plural(len(against.gone), 'finding')})",
            "",
            "| status | severity | rule | element | at the base | finding | why |",
            "|---|---|---|---|---|---|---|",
        ]
        out += [
            f"| {g.status} | {g.finding.severity.value} | {', '.join(g.finding.rule_ids)} | "
            f"{for_markdown(g.finding.element_label)} | "
            f"{for_markdown_code(g.finding.location) if g.finding.location else '(map)'} | "
            f"{for_markdown(g.finding.message)} | {for_markdown(g.reason)} |"
            for g in against.gone
        ]
        out.append("")
    out.append(
        f"<sub>flowaudit {result.tool_version} · fingerprint `{result.fingerprint[:16]}`</sub>"
    )
    return out


def render_markdown(
    result: AuditResult,
    fail_on: Severity,
    summarise_above: int = MAX_ROWS,
    causes: Sequence[Cause] | None = None,
) -> str:
    """The summary; grouped by cause past ``summarise_above`` findings (``report
    --summarise-above``: a report summarised in HTML is summarised here too) or past
    :data:`MAX_ROWS`, whichever is fewer. ``causes``: the findings already grouped (the
    report's registers hold them), else grouped here when needed."""
    failing = result.failing(fail_on)
    verdict = "❌ FAIL" if result.fails(fail_on) else "✅ PASS"
    counts = result.counts()
    summarised = len(result.findings) > min(summarise_above, MAX_ROWS)
    if not summarised:
        causes = []
    elif causes is None:
        causes = group_by_cause(result)
    out = [
        f"## flowaudit: {verdict}",
        "",
        for_markdown(summary_in_words(result, fail_on)),
        "",
    ]
    if result.against is not None:
        # the gate's verdict, which the heading and the exit code follow under --base
        out[2:2] = [f"**{for_markdown(gate_verdict(result, result.against, fail_on))}**", ""]
    critical = [c for c in causes if c.severity is Severity.CRITICAL]
    if critical:
        findings = sum(c.count for c in critical)
        out += [
            f"**Critical problems** ({plural(findings, 'critical finding')} from "
            f"{plural(len(critical), 'cause')}):",
            "",
            *(f"- {for_markdown(s)}" for s in critical_sentences(critical, CRITICAL_SENTENCES)),
            "",
        ]
    if summarised:
        failing_ids = {id(f) for f in failing}
        out += _top_causes(result, [c for c in causes if id(c.findings[0]) in failing_ids])
    elif result.gate_failing(fail_on):
        # under --base, what the change adds: the findings that decide the verdict
        out += _top_findings(result, result.gate_failing(fail_on))
    out += [
        "| " + " | ".join(s.value for s in Severity) + " | waived |",
        "|" + "---:|" * (len(Severity) + 1),
        "| " + " | ".join(f"{counts[s]:,}" for s in Severity) + f" | {len(result.waived):,} |",
        "",
    ]
    tail = _tail(result)
    # Room for the table: what is left once the rest and its closing line are written.
    budget = MAX_CHARS - sum(len(line) + 1 for line in [*out, *tail]) - 400
    if summarised:
        out += _table(
            [
                f"### Findings by cause ({plural(len(causes), 'cause')})",
                "",
                "| cause | severity | rule (code) | findings | cause and what is wrong | example |",
                "|---|---|---|---:|---|---|",
            ],
            _cause_rows(causes[:MAX_ROWS]),
            budget,
            "cause",
            len(causes),
        )
    elif result.findings:
        out += _table(
            [
                "### All findings",
                "",
                "| id | severity | rule | element | where | finding |",
                "|---|---|---|---|---|---|",
            ],
            _finding_rows(result),
            budget,
            "finding",
            len(result.findings),
        )
    return _fit("\n".join([*out, *tail]) + "\n")


#: The room first kept for the line saying what a cut summary left out (more if it needs it).
CUT_NOTE_CHARS = 400


def _fit(text: str) -> str:
    """The text, or its whole lines up to :data:`MAX_CHARS` and a line saying it was cut and
    what it cut (only texts from the map, each up to --max-text long, can make the fixed parts
    grow): the rows of the table the cut falls in, the sections after it, the caveats and the
    version line, so that nothing goes unsaid (attack review 2026-12-03s, problem 10)."""
    if len(text) <= MAX_CHARS:
        return text
    kept = text[: MAX_CHARS - CUT_NOTE_CHARS]
    while True:
        kept = kept[: kept.rfind("\n")]
        said = _cut_words(kept, text[len(kept) :])
        note = f"\n\n… cut to fit one comment: {said}{WHERE_ALL}.\n"
        if len(kept) + len(note) <= MAX_CHARS:
            return kept + note


def _heading(line: str) -> str:
    """A section's heading as the cut line names it: its words, at most 100 characters."""
    words = line.removeprefix("### ")
    return "“" + (words if len(words) <= 100 else words[:100] + " …") + "”"


def _cut_words(kept: str, dropped: str) -> str:
    """What ``dropped`` holds, in words, each part followed by "; ": the rows left of the
    table the cut falls in, the sections cut whole, the caveats and the version line."""
    parts: list[str] = []
    lines = dropped.split("\n")
    last = next((line for line in reversed(kept.split("\n")) if line.startswith("### ")), None)
    rows = 0
    for line in lines:
        if line.startswith("### "):
            break
        rows += line.startswith("| ")
    if rows and last is not None:
        parts.append(f"{plural(rows, 'more row')} of {_heading(last)}")
    sections = [_heading(line) for line in lines if line.startswith("### ")]
    if sections:
        parts.append(plural(len(sections), "section") + " (" + ", ".join(sections) + ")")
    caveats = sum(line.startswith(("- ⚠️", "- Override:")) for line in lines)
    if caveats:
        parts.append(plural(caveats, "warning or caveat line", "warning and caveat lines"))
    if any(line.startswith("<sub>flowaudit ") for line in lines):
        parts.append("the version and fingerprint line")
    return "".join(f"{part}; " for part in parts) if parts else ""
