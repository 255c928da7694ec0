"""Where each flow a grouped finding judges stands in the input: one reading for the HTML
and PDF report's "where" cell and the Markdown summary's, bounded as the finding's message is."""

from __future__ import annotations

from dataclasses import dataclass

from flowaudit.checks.base import LIST_LIMIT as FLOWS_LISTED
from flowaudit.checks.result import AuditResult, Finding

__all__ = ["FLOWS_LISTED", "FlowPlaces", "flow_places"]


@dataclass(frozen=True)
class FlowPlaces:
    """Where each flow a grouped finding judges stands in the input, for its "where" cell:
    ``files`` holds each run of flows in one file as (file, ((line:col, flow id), ...)),
    in the finding's order (a flow the source map cannot place: file and line:col empty);
    ``more`` counts the flows past ``FLOWS_LISTED`` (checks.base.listed's bound, which the
    finding's message keeps too)."""

    total: int
    files: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    more: int


def flow_places(result: AuditResult, finding: Finding) -> FlowPlaces | None:
    """The places of the flows ``finding`` groups (``Finding.flows``: one legitimate
    interests assessment per purpose, a subject's flows resting on contract), at most
    ``FLOWS_LISTED`` then a count; None when it groups none beyond its own flow. The "where"
    cell gave only the finding's own location, the first flow's or its element's: the
    other flows were names in the message, SARIF's related locations placed each one
    (auditor review s18, left open; auditor2 s18)."""
    flows = finding.flows
    if not flows or (flows == (finding.element[1],) and finding.element[0] == "flows"):
        return None
    sources = result.loaded.sources
    files: list[tuple[str, list[tuple[str, str]]]] = []
    for flow_id in flows[:FLOWS_LISTED]:
        place = sources.locate(("flows", flow_id))
        file, at = (place.file, f"{place.line}:{place.column}") if place else ("", "")
        if not files or files[-1][0] != file:
            files.append((file, []))
        files[-1][1].append((at, flow_id))
    return FlowPlaces(
        total=len(flows),
        files=tuple((file, tuple(items)) for file, items in files),
        more=max(0, len(flows) - FLOWS_LISTED),
    )
