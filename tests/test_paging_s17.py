"""Paging review s17: the shipped report's pages as printed.

- Item 1: a continuation page of a rule's findings table said "element where finding
  waiver" and nothing of whose findings they were; the header repeats on every page with a
  first row naming the rule, and a rule's heading, text and references are one block kept
  with the start of its table.
- Item 2: the findings register began with one row at the foot of page 5; its heading, note
  and first three rows stay together.
- Item 3: the diagram legend's "adequate for listed importers only" ran past its sample
  box; the box is at least as wide as its widest line (longer labels wrap) in a face wider
  than the Helvetica Graphviz measured it in.
"""

from __future__ import annotations

import math
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import (
    LEGEND_CHAR_EM,
    LEGEND_POINT_SIZE,
    LEGEND_WRAP,
    _boundary_sample,
    diagram_dot,
    legend_text_width,
    render,
)
from flowaudit.reports.html import render_html
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool, without_cite_spans

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 25)
SECTION = re.compile(r'<section class="rule ([a-z]+)" id="rule-([^"]+)">(.*?)</section>', re.S)


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def _print_css() -> str:
    css = (ROOT / "reports" / "templates" / "report.css").read_text(encoding="utf-8")
    return css.split("@media print {", 1)[1]


# --- item 1: the rule sections ----------------------------------------------------------


def test_the_print_css_repeats_the_header_and_keeps_a_rule_head_with_its_table() -> None:
    css = _print_css()
    assert "thead { display: table-header-group; }" in css
    assert ".rule-head { break-inside: avoid; break-after: avoid; }" in css
    assert ".rule-head + p.rule-fix, p.rule-count { break-after: avoid; }" in css
    # the widths are on the col elements: the header's first row spans every column
    for col, width in (("element", 18), ("where", 28), ("finding", 42), ("waiver", 12)):
        assert f"table.rule-findings col.{col} {{ width: {width}%; }}" in css
    assert "table.rule-findings th:nth-child" not in css


def test_each_findings_table_names_its_rule_in_its_repeating_header(
    shipped: AuditResult,
) -> None:
    html = without_cite_spans(render_html(shipped, Severity.LOW))
    sections = SECTION.findall(html)
    with_table = [(rule, body) for _, rule, body in sections if "rule-findings" in body]
    assert len(with_table) >= 20  # the shipped map's failing rules
    titles = {r.id: r.title for r in shipped.rules}
    for rule, body in with_table:
        # heading, rationale and references in one block, closed before the table
        assert body.startswith('\n<div class="rule-head"><h3>'), rule
        head = body.split("</div>", 1)[0]
        assert f" {rule}: " in head and '<p class="refs">' in head, rule
        assert "<table" not in head, rule
        thead = body.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert thead == (
            f'<tr class="rule-of"><th colspan="4">Findings of <span class="mono">{rule}</span>: '
            f"{escape(titles[rule])}</th></tr>\n"
            "<tr><th>element</th><th>where</th><th>finding</th><th>waiver</th></tr>"
        ), rule
        assert (
            '<colgroup><col class="element"><col class="where"><col class="finding">'
            '<col class="waiver"></colgroup>'
        ) in body


def _page_texts(pdf: Path) -> list[str]:
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


@pytest.mark.heavy
@pytest.mark.xdist_group(REPORT_PDF)
def test_every_printed_page_of_a_findings_table_names_its_rule(report_pdf: Path) -> None:
    """Before: 16 pages of the shipped report as of 2026-12-04 (22, 24-26, 28-35, 37, 38,
    43) began with the bare "element where finding waiver"."""
    header = "element where finding waiver"
    pages = [p for p in _page_texts(report_pdf) if header in p]
    assert len(pages) >= 25
    for page in pages:
        for at in [m.start() for m in re.finditer(header, page)]:
            before = page[:at]
            named = re.search(r"Findings of ([A-Z0-9-]+): [^:]*$", before)
            assert named, page[: at + len(header)][-200:]
    # a rule's heading is never the last thing on its page: its table starts under it
    for page in pages:
        for rule in re.findall(r"(?:fail|waived) ?([A-Z][A-Z0-9-]+): ", page):
            assert f"Findings of {rule}:" in page, rule


# --- item 2: the findings register -------------------------------------------------------


def test_the_register_keeps_its_heading_note_and_first_rows_together() -> None:
    css = _print_css()
    assert "p.register-intro { break-after: avoid; }" in css
    assert (
        "table.register tbody tr:nth-child(2), table.register tbody tr:nth-child(3) "
        "{ break-before: avoid; }"
    ) in css


@pytest.mark.heavy
@pytest.mark.xdist_group(REPORT_PDF)
def test_the_printed_register_starts_with_three_rows_under_its_heading(
    report_pdf: Path,
) -> None:
    """Before: "Findings register" and one row at the foot of page 5."""
    (page,) = [p for p in _page_texts(report_pdf) if "Findings register Every finding" in p]
    after = page.split("Findings register Every finding", 1)[1]
    assert len(re.findall(r"\bF-[0-9a-f]{10}\b", after)) >= 3, after[:400]


# --- item 3: the legend's trust-boundary samples -----------------------------------------

LISTED = "adequate for listed importers only"
CELL = re.compile(r'<TD([^>]*)><FONT COLOR="[^"]+">([^<]*(?:<BR ALIGN="LEFT"/>[^<]*)*)</FONT></TD>')


def _needed(lines: list[str]) -> float:
    """The widest line at the legend's size, each character LEGEND_CHAR_EM of it."""
    return max(len(line) for line in lines) * LEGEND_CHAR_EM * LEGEND_POINT_SIZE


def test_the_listed_sample_box_is_as_wide_as_its_text_in_the_dot_source(
    shipped: AuditResult,
) -> None:
    dot = diagram_dot(shipped)
    assert f'<FONT POINT-SIZE="{LEGEND_POINT_SIZE}"><TABLE' in dot  # the legend's size
    cells = [(a, body) for a, body in CELL.findall(dot) if "importers only" in body]
    assert len(cells) == 1, cells
    attributes, body = cells[0]
    lines = body.split('<BR ALIGN="LEFT"/>')
    assert lines == [LISTED]  # one line: 34 characters
    width = int(re.search(r'WIDTH="(\d+)"', attributes).group(1))  # type: ignore[union-attr]
    assert width >= _needed(lines) == pytest.approx(34 * 0.6 * 9)
    assert width == math.ceil(34 * 0.6 * 9) + 4  # 188 pt; Graphviz drew it 158 pt wide


@pytest.mark.parametrize(
    "text",
    [
        LISTED,
        "territory of the law applied; the organisation is established outside it",
        "adequate under a condition the map cannot show",
        "exporter's jurisdiction",
    ],
)
def test_every_boundary_sample_is_as_wide_as_its_widest_line(text: str) -> None:
    cell = _boundary_sample(text, "#e69500", "dashed")
    ((attributes, body),) = CELL.findall(cell)
    lines = body.split('<BR ALIGN="LEFT"/>')
    assert " ".join(lines) == text
    assert all(len(line) <= LEGEND_WRAP or " " not in line for line in lines)
    width = int(re.search(r'WIDTH="(\d+)"', attributes).group(1))  # type: ignore[union-attr]
    assert width >= _needed(lines)
    assert legend_text_width(lines) >= _needed(lines)


def test_the_drawn_listed_box_is_as_wide_as_the_dot_source_says(shipped: AuditResult) -> None:
    require_tool("dot")
    svg = render(diagram_dot(shipped), "svg").decode("utf-8")
    match = re.search(
        r'<polygon fill="none" stroke="#e69500"[^>]*points="([^"]+)"/>\s*'
        r'<text text-anchor="start"[^>]*>adequate for listed importers only</text>',
        svg,
    )
    assert match, "no sample box for the listed boundary"
    xs = [float(point.split(",")[0]) for point in match.group(1).split()]
    assert max(xs) - min(xs) >= _needed([LISTED])
