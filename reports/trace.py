"""``trace``: every party and store a data category or a data subject reaches, with the path,
as text for a DPO or as JSON.

It reads the map's facts (the taxonomy and the shared reachability of model/paths.py, the same
that the onward rule and the diagram's views use) and never re-derives them; the CLI only
parses the arguments and prints what ``render_trace`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flowaudit.model.facts import MapFacts
from flowaudit.model.paths import Path
from flowaudit.model.problems import did_you_mean, plural
from flowaudit.policies.legal import LegalTable
from flowaudit.reports.bounds import TRACE_PATH_LINKS
from flowaudit.reports.sanitise import for_json, for_terminal


class TraceError(ValueError):
    """The query names nothing the map has, or names a category and a subject at once."""


@dataclass(frozen=True)
class Trace:
    """Where one category or subject goes: a shortest path to each place it reaches."""

    facts: MapFacts
    what: str
    category: str | None
    subject: str | None
    through_owners: bool
    paths: list[Path]
    home: frozenset[str]
    """The countries of the exporter's jurisdiction."""

    @property
    def countries(self) -> list[str]:
        return sorted({p.country for p in self.paths})

    @property
    def outside(self) -> list[str]:
        """The countries reached outside the exporter's jurisdiction."""
        return [c for c in self.countries if c not in self.home]


def trace(
    facts: MapFacts,
    legal: LegalTable,
    what: str,
    *,
    as_kind: Literal["category", "subject"] | None = None,
    through_owners: bool = True,
) -> Trace:
    """Trace a category or subject id through the map (``as_kind`` decides an id that is
    both); flows that only may carry it are followed too. Raises TraceError for an id the
    map does not declare, or one that is both without ``as_kind``."""
    taxonomy = facts.taxonomy
    is_category = what in taxonomy.categories and as_kind != "subject"
    is_subject = what in taxonomy.subjects and as_kind != "category"
    if is_category and is_subject:
        raise TraceError(f"'{what}' is both a data category and a data subject; add --as")
    if not (is_category or is_subject):
        hint = did_you_mean(what, [*taxonomy.categories, *taxonomy.subjects])
        raise TraceError(f"'{what}' is neither a data category nor a data subject of the map{hint}")
    category = what if is_category else None
    subject = what if is_subject else None
    paths = facts.reachability.reach(category, subject, through_owners=through_owners, may=True)
    regime = facts.index.organisation.regime.value
    home = frozenset(legal.jurisdiction(regime).countries)
    return Trace(facts, what, category, subject, through_owners, paths, home)


def render_trace(found: Trace, fmt: Literal["text", "json"] = "text") -> str:
    """The trace as text (terminal-safe) or as JSON (format_version 1)."""
    return _json(found) if fmt == "json" else _text(found)


def _json(found: Trace) -> str:
    nodes = found.facts.index.nodes
    document = {
        "format_version": 1,
        "query": {
            "category": found.category,
            "subject": found.subject,
            "through_owners": found.through_owners,
        },
        "organisation": found.facts.index.organisation.id,
        "countries": found.countries,
        "outside_jurisdiction": found.outside,
        "path_limit": TRACE_PATH_LINKS,
        "reached": [
            {
                "node": p.target,
                "name": nodes[p.target].name,
                "kind": nodes[p.target].kind,
                "country": p.country,
                "outside_jurisdiction": p.country not in found.home,
                "length": len(p),
                "path": [
                    {"node": h.node, "country": h.country, "link": h.link, "flow": h.flow}
                    for h in p.tail(TRACE_PATH_LINKS)
                ],
                "path_cut": max(0, len(p) - TRACE_PATH_LINKS),
            }
            for p in found.paths
        ],
    }
    return for_json(document)


def _hop_text(path: Path) -> str:
    """The path as arrows; past ``TRACE_PATH_LINKS`` links, its start, how many links are not
    shown and the last ones, from a place listed before it whose path is the rest."""
    hops = path.tail(TRACE_PATH_LINKS)
    parts = []
    cut = len(path) - TRACE_PATH_LINKS
    if cut > 0:
        start = path.start
        parts.append(
            f"{start.node} ({start.country}) … {plural(cut, 'link')} not shown: the path of "
            f"{hops[0].node} above …"
        )
    parts.append(f"{hops[0].node} ({hops[0].country})")
    for hop in hops[1:]:
        if hop.link == "flow":
            arrow = f"-[{hop.flow}]->"
        elif hop.link == "may":
            arrow = f"-[{hop.flow}, may carry]->"
        else:
            arrow = "-(held by)->"
        parts.append(f"{arrow} {hop.node} ({hop.country})")
    return " ".join(parts)


def _start_text(found: Trace, path: Path) -> str:
    """Why a place is a starting point of the trace."""
    node_id = path.start.node
    if path.start.link == "origin":
        return "starts here: sends it, and no flow of the map brings it here"
    if path.start.link == "returned":
        return (
            "starts here: the organisation sends it; flows bring it back here only from places"
            " that its own flows feed"
        )
    if path.start.link == "cycle":
        return (
            "starts here: sends it, and flows bring it here only round a cycle that no other"
            " place of the map feeds (the trace starts the cycle at its first sender by id)"
        )
    system = found.facts.index.systems[node_id]
    category = found.category
    taxonomy = found.facts.taxonomy
    declared = [c for c in system.categories if category and taxonomy.related(category, c)]
    what = f" ({', '.join(declared)})" if declared else ""
    return f"stored here: the system declares it{what}"


def _text(found: Trace) -> str:
    taxonomy = found.facts.taxonomy
    nodes = found.facts.index.nodes
    shown = for_terminal(found.what)
    if found.category is not None:
        label, kind = taxonomy.categories[found.category].name, "data category"
    else:
        label, kind = taxonomy.subjects[found.what].name, "data subject"
    label = for_terminal(label)
    countries = found.countries
    outside = found.outside
    lines = []
    if not found.paths:
        lines.append(f"{shown} ({label}, {kind}): no flow or system of the map carries it.")
    else:
        starts = sum(1 for p in found.paths if len(p) == 0)
        lines.append(
            f"{shown} ({label}, {kind}) reaches {plural(len(found.paths), 'place')} in "
            f"{len(countries)} countr{'y' if len(countries) == 1 else 'ies'} "
            f"({', '.join(countries)}) from {starts} starting "
            f"point{'s' if starts != 1 else ''}."
        )
        maybe = sum(1 for p in found.paths if p.may)
        if maybe:
            lines.append(
                f"{maybe} of them only through flows that may carry it (may_carry), marked "
                "'may carry'."
            )
        regime = found.facts.index.organisation.regime.value
        lines.append(
            f"Outside the exporter's jurisdiction ({regime}): {', '.join(outside)}."
            if outside
            else f"All within the exporter's jurisdiction ({regime})."
        )
        cut = sum(1 for p in found.paths if len(p) > TRACE_PATH_LINKS)
        if cut:
            lines.append(
                f"{plural(cut, 'path')} longer than {TRACE_PATH_LINKS} links "
                f"{'is' if cut == 1 else 'are'} shown by {'its' if cut == 1 else 'their'} start "
                f"and last {TRACE_PATH_LINKS} links, from a place listed above: its path is "
                "the rest."
            )
        for path in found.paths:
            node = nodes[path.target]
            lines.append("")
            lines.append(f"{path.country}  {node.id}: {for_terminal(node.name)} ({node.kind})")
            if len(path) == 0:
                lines.append(f"    {for_terminal(_start_text(found, path))}")
            else:
                lines.append(f"    {for_terminal(_hop_text(path))}")
    return "\n".join(lines) + "\n"
