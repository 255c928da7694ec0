"""How much of a long list the report prints, how long a message in a row may be, and how
long a layout may take (constants and one pure function, light to import: the CLI's options
read them at start-up)."""

from __future__ import annotations

SUMMARISE_ABOVE = 500
"""A report with more findings or passed checks than this is summarised (``report
--summarise-above``): each long list shows counts and its first ``LIST_LIMIT`` rows, every
critical finding still listed, and points at the CSV files beside the report for the rest."""

LIST_LIMIT = 25
"""How many rows of a summarised list are shown: the most severe first, then in the
register's own (stable) order."""

RULE_FINDINGS_SHOWN = 5
"""How many findings, the most severe first, a summarised report's section of one rule
prints in its table, each message cut to ``RULE_MESSAGE_LIMIT`` characters; the section keeps
the rule's rationale, its notice, law and policy references, its counts by severity, and
points at findings.csv for every finding. At 25 per rule, with each one's message and fix in
full, the rule sections of the 100,000-flow hub map took 72 pages of its PDF (report review
s17, problem 2)."""

RULE_PASSES_SHOWN = 5
"""How many of a rule's passed elements a summarised report's section of that rule prints,
then how many more and where every one is (passed.csv beside the report, its rule column
naming the rule). At ``LIST_LIMIT`` (25), each with its UNCONFIRMED or ASSUMED note, the
list took about half a page per rule on the 100,000-flow hub map (print review s17,
problem 4)."""

RULE_MESSAGE_LIMIT = 300
"""A finding's message in a summarised rule section's table is cut to about this many
characters (an onward chain's finding names 20 flows; its full text is in findings.csv)."""

CRITICAL_CAUSES_LIMIT = 100
"""How many critical causes of one rule and problem a summarised report lists, the largest
first; the rest are counted (every one is in findings.csv): a dense 10,000-flow map had 494
importers without a mechanism, 25 pages of one-line causes."""

DOT_TIMEOUT = 30.0
"""Seconds Graphviz may take for one layout before the report falls back to a coarser view."""

PDF_TIMEOUT = 600.0
"""Seconds WeasyPrint may take to lay out one report (``report --pdf-timeout``): a 10,000-flow
map's report takes 10 to 15 s on a 2-core machine; a map of a few names of 10,000 letters
each took minutes (attack review 2026-12-03l, 1), which a CI step must not wait for."""

WARNINGS_SHOWN = 15
"""How many warnings the report's summary prints, then how many more and where they are: the
100,000-flow hub map's 1,333 warnings (one per flow to a hub that moves both a client's data
and the organisation's) filled pages 2 to 181 of its PDF before the first table (onboarding
review s16, problem 5). Every one is in warnings.csv beside the report."""

GROUP_ROWS_SHOWN = 30
"""How many rows of the grouped diagram's table of flows between groups (country or kind)
the report prints, the most flows first, then how many more and where they are: the dense
100,000-flow map's table ran to 9 pages of its PDF (report review s17, problem 1). Every row
is in diagram-groups.csv beside the report."""

SET_ASIDE_SHOWN = 50
"""How many flows set aside as another controller's own processing the report's scope lists
(flow, party, why), then how many more: on a 100k-flow map they may be thousands."""

MESSAGE_LIMIT = 160
"""A finding's message in a register row is cut to about this many characters (its full text
is in its rule's section and in every machine-readable output)."""

KEY_MESSAGE_LIMIT = 90
"""A flow's worst finding in the diagram's key is cut to about this many characters."""


TRACE_PATH_LINKS = 12
"""How many links of a path ``trace`` prints: a longer path gives its start (text) and its last
links from a place listed before it, whose own path is the rest. Whole paths grow with the
square of a chain's length (4,000 parties in a line: 168 MB of text, 1 GB of JSON), these with
its length (attack review 2026-12-03k, problem 2)."""


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` whole up to ``limit`` characters, else cut at the last word boundary before
    it with an ellipsis: a register row names the problem, its rule section says all of it.
    A text with no space in its first half is cut mid-word (a long id must not empty it)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-(") + "…"
