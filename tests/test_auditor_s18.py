"""Auditor review s18: the printed report, the SARIF and the registers read as an auditor does.

- SARIF: a finding that groups several flows (one legitimate interests assessment per
  purpose; a subject's flows resting on contract) located only its first flow; each flow it
  groups is now a related location at its own file:line, at most RELATED_LOCATIONS_LIMIT,
  with how many were left out.
- The printed contents had no page numbers: each section and each rule now says its page,
  the page its heading is on.
- A summarised register's table of rules counts a finding several rules establish in each
  of their rows, so the rows added up to more than the summary's total (the 10,000-flow hub
  map: 5,787 high against 5,765) and nothing said why; a last row counts each finding once,
  and a sentence says by how much the rows exceed it.
- A sentence introducing a table ("Flows between the groups drawn above", the adequacy
  table's) ended a page with its table overleaf; it keeps with the table's first rows.
- The legend's "rounded box, double border" all but touched both sides of its box, and the
  trust boundaries' words touched their box's left side.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.loader import Location, shipped_map_dir
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import (
    _boundary_sample,
    diagram_dot,
    legend_text_width,
)
from flowaudit.reports.html import render_html
from flowaudit.reports.sarif import RELATED_LOCATIONS_LIMIT, _related, _result
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool, run

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
CONCERO = str(shipped_map_dir())
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def _flow_line(flow_id: str) -> int:
    """The line of the shipped flows.yaml that opens the flow ``flow_id`` (``- id: ...``)."""
    lines = (shipped_map_dir() / "flows.yaml").read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if line == f"  - id: {flow_id}"]
    return number


# --- SARIF: every flow of a grouped finding located --------------------------------------


def _sarif(*args: str) -> dict[str, Any]:
    result = run(["check", *args, "--as-of", "2026-11-25", "--format", "sarif"])
    assert result.exit_code == 1, result.output
    document: dict[str, Any] = json.loads(result.output)
    jsonschema.validate(document, SCHEMA)
    return document


def test_each_flow_of_a_grouped_finding_is_a_related_location_at_its_line() -> None:
    (sarif_run,) = _sarif(CONCERO)["runs"]
    results = {r["properties"]["findingId"]: r for r in sarif_run["results"]}
    assessment = results["F-a021f52f31"]  # one LIA for web_development: two flows
    flows_uri = assessment["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert flows_uri.endswith("model/concero/flows.yaml")
    assert assessment["ruleId"] == "GDPR-BASIS"
    assert assessment["properties"]["flows"] == ["third-party-insights", "website-visits"]
    assert [
        (
            r["id"],
            r["message"]["text"],
            r["logicalLocations"][0]["fullyQualifiedName"],
            r["physicalLocation"]["artifactLocation"]["uri"],
            r["physicalLocation"]["region"]["startLine"],
            r["physicalLocation"]["region"]["startColumn"],
        )
        for r in assessment["relatedLocations"]
    ] == [
        (
            0,
            "flows/third-party-insights",
            "flows/third-party-insights",
            flows_uri,
            _flow_line("third-party-insights"),
            5,
        ),
        (
            1,
            "flows/website-visits",
            "flows/website-visits",
            flows_uri,
            _flow_line("website-visits"),
            5,
        ),
    ]
    assert _flow_line("website-visits") == 179
    # the subject's finding: 13 flows rest on contract for staff who are not party to it
    staff = results["F-c3c93ecd60"]
    assert staff["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "model/concero/taxonomy.yaml"
    )
    uris = {r["physicalLocation"]["artifactLocation"]["uri"] for r in staff["relatedLocations"]}
    assert uris == {flows_uri}
    related = staff["relatedLocations"]
    assert len(related) == 13
    assert [r["logicalLocations"][0]["name"] for r in related] == staff["properties"]["flows"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [
        _flow_line(flow) for flow in staff["properties"]["flows"]
    ]
    assert [r["id"] for r in related] == list(range(13))
    # a finding that groups no flows has no related location, and none says it left any out
    for result in sarif_run["results"]:
        flows = result["properties"].get("flows")
        assert ("relatedLocations" in result) == bool(flows), result["properties"]
        assert "relatedLocationsLeftOut" not in result["properties"]


def _finding(flows: tuple[str, ...]) -> Finding:
    return Finding(
        "GDPR-BASIS",
        Severity.HIGH,
        "contract-not-party",
        "message",
        ("subjects", "staff"),
        (),
        Location("map.yaml", 3, 5),
        flows=flows,
    )


def test_related_locations_stop_at_the_limit_and_say_how_many_were_left_out() -> None:
    flows = tuple(f"flow-{n:04d}" for n in range(RELATED_LOCATIONS_LIMIT + 37))
    lines = {flow: 10 + n for n, flow in enumerate(flows)}

    def locate(flow_id: str) -> Location | None:
        return Location("map.yaml", lines[flow_id], 3)

    related, left_out = _related(_finding(flows), locate)
    assert RELATED_LOCATIONS_LIMIT == 100  # code scanning shows 100 locations of a result
    assert left_out == 37
    assert [r["id"] for r in related] == list(range(100))
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == list(range(10, 110))
    result = _result(_finding(flows), 0, locate)
    assert len(result["relatedLocations"]) == 100
    assert result["properties"]["relatedLocationsLeftOut"] == 37
    assert result["properties"]["flows"] == list(flows)  # every flow, still


def test_a_flow_the_source_map_cannot_place_is_named_without_a_line() -> None:
    related, left_out = _related(_finding(("gone",)), lambda _: None)
    assert left_out == 0
    assert related == [
        {
            "id": 0,
            "message": {"text": "flows/gone"},
            "logicalLocations": [
                {"name": "gone", "fullyQualifiedName": "flows/gone", "kind": "element"}
            ],
        }
    ]


def test_a_hostile_flow_id_is_plain_text_in_a_related_location() -> None:
    related, _ = _related(_finding(("[x](https://evil.example){0}",)), lambda _: None)
    assert related[0]["message"]["text"] == r"flows/\[x\](https://evil.example){{0}}"


# --- the printed contents: a page for each section and each rule -------------------------

SECTIONS = {
    "Summary": "summary",
    "Scope, method and limits": "scope",
    "Findings register": "register",
    "Data-flow diagram": "diagram",
    "Rules, findings and evidence": "findings",
    "International transfers register": "transfers",
    "Processors and vendors register": "processors",
    "Waivers and overrides": "waivers",
    "Agreements register": "agreements",
    "Legal table used": "legal",
    "Sign-off": "signoff",
}


@pytest.mark.xdist_group(REPORT_PDF)
def test_the_contents_give_the_page_of_each_section_and_each_rule(
    report_pdf: Path, report_pdf_layout: Any, shipped: AuditResult
) -> None:
    pdftotext = require_tool("pdftotext")
    cover = subprocess.run(
        [pdftotext, "-layout", "-f", "1", "-l", "1", str(report_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # where each anchor is, as WeasyPrint laid the PDF out: the page its heading starts on
    page_of: dict[str, int] = {}
    for number, page in enumerate(report_pdf_layout.pages, 1):
        for anchor in page.anchors:  # a section over several pages: each lists its anchor
            page_of.setdefault(anchor, number)
    listed = {
        title: int(page) for title, page in re.findall(r"^ *\d+\. (.+?) \.{3,} (\d+)$", cover, re.M)
    }
    assert listed == {title: page_of[anchor] for title, anchor in SECTIONS.items()}
    assert listed["Summary"] == 2 and listed["Sign-off"] == len(report_pdf_layout.pages)
    rules = dict(re.findall(r"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) \.{3,} (\d+)", cover))
    assert set(rules) == {rule.id for rule in shipped.rules}
    assert len(rules) == 52
    assert {rule: int(page) for rule, page in rules.items()} == {
        rule: page_of[f"rule-{rule}"] for rule in rules
    }
    assert rules["CONCERO-PUPILS"] == str(listed["Rules, findings and evidence"])
    assert len(report_pdf_layout.pages) == 63  # the contents fit the cover page


def test_the_rule_contents_are_on_paper_only() -> None:
    css = (ROOT / "reports" / "templates" / "report.css").read_text(encoding="utf-8")
    screen, print_css = css.split("@media print {", 1)
    assert "ul.toc-rules { display: none; }" in screen
    assert "ul.toc-rules { display: block; columns: 3;" in print_css
    assert 'nav a::after { content: leader(".") " " target-counter(attr(href), page); }' in (
        print_css
    )


# --- the register's table of rules adds up -----------------------------------------------


class _Counts(HTMLParser):
    """The summarised register's table of rules: each row's cells as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "rule-counts") in attrs:
            self._in = True
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in = False
        elif self._in and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_table_of_rules_ends_with_every_finding_counted_once(shipped: AuditResult) -> None:
    html = render_html(shipped, Severity.LOW, summarise_above=0)
    parser = _Counts()
    parser.feed(html)
    header, *rows, last = parser.rows
    assert header == [
        "rule", "critical", "high", "medium", "low", "info", "waived", "total", "causes",
    ]  # fmt: skip
    assert last[0] == "All findings, each counted once"
    assert last[1:8] == ["3", "11", "39", "4", "0", "0", "57"]
    further = sum(len(f.also) for f in shipped.findings)
    merged = sum(1 for f in shipped.findings if f.also)
    assert (further, merged) == (12, 10)
    assert sum(int(row[7]) for row in rows) == 57 + further
    for column in range(1, 6):  # each severity's rows exceed its total by its merged findings
        severity = list(Severity)[column - 1]
        extra = sum(len(f.also) for f in shipped.findings if f.severity is severity)
        assert sum(int(row[column]) for row in rows) == int(last[column]) + extra
    assert (
        "10 findings are established by more than one rule and counted in the row of each "
        "(each rule's section lists them), so the rule rows add up to 69 findings; the last "
        "row counts each finding once, as the summary does: 57."
    ) in html


def test_no_sentence_on_double_counting_where_no_finding_has_two_rules(
    shipped: AuditResult,
) -> None:
    from dataclasses import replace

    single = replace(shipped, findings=[f for f in shipped.findings if not f.also])
    html = render_html(single, Severity.LOW, summarise_above=0)
    assert "counted-again" not in html
    parser = _Counts()
    parser.feed(html)
    *_, rows_last = parser.rows
    assert rows_last[7] == str(len(single.findings))


# --- a table's introducing sentence keeps with the table ---------------------------------


def test_a_tables_introducing_sentence_keeps_with_its_first_rows(shipped: AuditResult) -> None:
    css = (ROOT / "reports" / "templates" / "report.css").read_text(encoding="utf-8")
    print_css = css.split("@media print {", 1)[1]
    assert "p.table-intro { break-after: avoid; }" in print_css
    assert "p.table-intro + table tbody tr:nth-child(2) { break-before: avoid; }" in print_css
    html = render_html(shipped, Severity.LOW, summarise_above=0)
    intros = re.findall(r'<p class="muted table-intro">(.*?)</p>\s*<table class="([a-z-]+)', html)
    assert [table for _, table in intros] == ["index", "index", "legal"]
    assert intros[2][0].startswith("The UK exporter's rows")
    template = (ROOT / "reports" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    assert re.search(
        r'<p class="muted table-intro">Flows between the groups drawn above[^\n]*\n'
        r'<table class="group-flows">',
        template,
    )


@pytest.mark.xdist_group(REPORT_PDF)
def test_the_adequacy_heading_shares_its_page_with_its_first_row(report_pdf: Path) -> None:
    pdftotext = require_tool("pdftotext")
    pages = subprocess.run(
        [pdftotext, "-layout", str(report_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    (page,) = [p for p in pages if "Adequacy for the countries in the map" in p]
    assert "uk-eea" in page


# --- the legend's sample boxes -----------------------------------------------------------


def test_a_place_samples_box_leaves_room_around_its_words(shipped: AuditResult) -> None:
    dot = diagram_dot(shipped)
    cell = re.search(r"<TD([^>]*)>rounded box, double border</TD>", dot)
    assert cell is not None
    width = legend_text_width(["rounded box, double border"])
    assert width == 141  # DejaVu Sans draws the words 125.5 pt wide at 9 pt
    assert f' WIDTH="{width}"' in cell.group(1)
    for sample in ("drum (cylinder)", "house (pointed top)", "oval"):
        found = re.search(rf"<TD([^>]*)>{re.escape(sample)}</TD>", dot)
        assert found is not None
        assert f' WIDTH="{legend_text_width([sample])}"' in found.group(1)


def test_a_boundary_samples_words_stand_clear_of_its_left_side() -> None:
    cell = _boundary_sample("adequate for listed importers only", "#e69f00", "dashed")
    # the block of lines centred in the box, each line flush left within it
    assert ' ALIGN="center" BALIGN="left"' in cell
    assert "CELLPADDING" not in cell  # a taller row would make the legend taller
    assert f' WIDTH="{legend_text_width(["adequate for listed importers only"]) + 4}"' in cell
