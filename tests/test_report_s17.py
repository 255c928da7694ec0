"""Report review s17: what the printed report holds and where the rest of it is.

1. The grouped diagram's table of flows between groups prints its first GROUP_ROWS_SHOWN
   rows and says where the others are; diagram-groups.csv holds every row.
2. A summarised report's rule section keeps the rule, its references and its counts, prints
   RULE_FINDINGS_SHOWN findings and points at findings.csv for all of them.
3. An empty "Waivers and overrides" section is one line, with no page break of its own.
4. A full diagram too small to print is one overview page on paper, and diagram.svg beside
   the report holds every flow.
7. A pass on another regime's legal row says whose export it judged.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import GROUP_ROWS_SHOWN, RULE_FINDINGS_SHOWN
from flowaudit.reports.diagram import (
    DIAGRAM_SVG,
    MIN_SCALE,
    PAGE_WIDTH_PT,
    Drawn,
    GroupRow,
    draw_for_report,
    pages_for_paper,
)
from flowaudit.reports.html import render_html
from flowaudit.reports.registers import build_registers
from flowaudit.reports.side_files import GROUPS_CSV, group_rows_csv, side_files
from flowaudit.reports.text import unconfirmed_passes
from tests.helpers import require_tool, run
from tests.synthetic import write_synthetic_map

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def _css() -> str:
    return (ROOT / "reports" / "templates" / "report.css").read_text(encoding="utf-8")


# --- 3. an empty waivers section ---------------------------------------------------------


def test_an_empty_waivers_section_is_one_line_without_a_page_break(shipped: AuditResult) -> None:
    assert not shipped.waived and not shipped.overrides
    html = render_html(shipped, Severity.LOW)
    start = html.index('<h2 id="waivers"')
    section = html[start : html.index('<h2 id="agreements"')]
    assert section.splitlines() == [
        '<h2 id="waivers" class="empty-section">Waivers and overrides</h2>',
        '<p class="muted empty-section">No waivers or overrides: no risk is accepted, and no '
        "shipped rule was switched off or changed.</p>",
        "",
    ]
    # every other h2 breaks the page on paper; this class does not
    assert re.search(r"h2\.runs-on, h2\.empty-section \{ break-before: auto; \}", _css())


def test_a_waivers_section_with_rows_keeps_its_page(tmp_path: Path) -> None:
    """The one-line form is for an empty section only: a waiver's table keeps its heading."""
    html = (ROOT / "reports" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    assert "{% if not waivers and not result.overrides %}" in html
    assert '<h2 id="waivers">Waivers and overrides</h2>\n{% if waivers %}' in html


# --- 1. the table of groups --------------------------------------------------------------


def _group_rows(count: int) -> list[GroupRow]:
    return [
        GroupRow("org", f"C{n:02d}", 100 - n, n % 3, ("GDPR-TRANSFER",), "contact.email")
        for n in range(count)
    ]


def test_the_table_of_groups_prints_its_first_rows_and_the_csv_holds_every_one(
    shipped: AuditResult,
) -> None:
    rows = _group_rows(GROUP_ROWS_SHOWN + 17)
    html = render_html(shipped, Severity.LOW, "<svg></svg>", None, None, rows, "country")
    table = html[html.index('<table class="group-flows">') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr><td") == GROUP_ROWS_SHOWN
    hidden_flows = sum(r.flows for r in rows[GROUP_ROWS_SHOWN:])
    assert (
        f"&hellip; and 17 more pairs of groups ({hidden_flows:,} flows): the "
        f"{GROUP_ROWS_SHOWN} with the most flows are shown; every pair, {len(rows)} in all, "
        f'is in <span class="mono">diagram-groups.csv</span>' in html
    )
    written = list(csv.DictReader(io.StringIO(group_rows_csv("country", rows))))
    assert len(written) == GROUP_ROWS_SHOWN + 17
    assert written[-1] == {
        "view": "country",
        "from": "org",
        "to": f"C{GROUP_ROWS_SHOWN + 16:02d}",
        "flows": str(100 - GROUP_ROWS_SHOWN - 16),
        "with findings": str((GROUP_ROWS_SHOWN + 16) % 3),
        "rules with findings": "GDPR-TRANSFER",
        "categories": "contact.email",
    }


def test_a_short_table_of_groups_says_nothing_more(shipped: AuditResult) -> None:
    rows = _group_rows(GROUP_ROWS_SHOWN)
    html = render_html(shipped, Severity.LOW, "<svg></svg>", None, None, rows, "country")
    assert "more pairs of groups" not in html and "diagram-groups.csv" not in html


def test_the_groups_csv_is_a_header_alone_when_the_diagram_is_not_grouped(
    shipped: AuditResult,
) -> None:
    files = side_files(shipped, build_registers(shipped))
    assert files[GROUPS_CSV] == (
        "view,from,to,flows,with findings,rules with findings,categories\r\n"
    )


def test_the_groups_csv_sanitises_its_cells() -> None:
    rows = [GroupRow("=HYPERLINK(1)", "GB", 1, 0, (), "a\x1bb")]
    line = group_rows_csv("country", rows).splitlines()[1]
    assert not line.split(",")[1].startswith("=")
    assert "\x1b" not in line


# --- 2. the rule sections of a summarised report -----------------------------------------


@pytest.fixture(scope="module")
def summarised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("s17")
    data = write_synthetic_map(folder / "map", 15, 60) / "map.json"
    out = folder / "report"
    result = run(
        [
            "report",
            str(data),
            "--as-of",
            "2026-11-25",
            "--diagram",
            "none",
            "--summarise-above",
            "50",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 1, result.output
    return out


def test_a_summarised_rule_section_prints_a_few_findings_and_points_at_the_csv(
    summarised: Path,
) -> None:
    html = (summarised / "report.html").read_text(encoding="utf-8")
    with (summarised / "findings.csv").open(encoding="utf-8", newline="") as handle:
        findings = list(csv.DictReader(handle))
    per_rule: dict[str, int] = {}
    for row in findings:
        for rule in row["rules"].split(" + "):
            per_rule[rule] = per_rule.get(rule, 0) + 1
    sections = re.findall(
        r'<section class="rule [a-z]+" id="rule-([^"]+)">(.*?)</section>', html, re.S
    )
    failing = [(rule, body) for rule, body in sections if '<table class="rule-findings">' in body]
    assert failing
    cut = 0
    for rule, body in failing:
        total = int(re.search(r'<p class="rule-count"><strong>([0-9,]+) finding', body)[1])
        assert total == per_rule[rule], rule
        table = body[body.index('<table class="rule-findings">') :]
        shown = table[: table.index("</table>")].count("<tr><td")
        assert shown == min(total, RULE_FINDINGS_SHOWN), rule
        # every rule keeps its references
        assert "<strong>Notice:</strong>" in body and "<strong>Law:</strong>" in body
        if total > RULE_FINDINGS_SHOWN:
            cut += 1
            assert (
                f"the {RULE_FINDINGS_SHOWN} most severe are shown" in body
                and '<span class="mono">findings.csv</span> beside this report (its '
                f'<span class="mono">rules</span> column names <span class="mono">{rule}</span>)'
                in body
            ), rule
            assert f"&hellip; and {total - RULE_FINDINGS_SHOWN:,} more finding" in body
    assert cut, "no rule section was cut: the fixture tests nothing"


def test_an_unsummarised_report_prints_every_finding_in_its_rule(shipped: AuditResult) -> None:
    html = render_html(shipped, Severity.LOW)
    assert '<p class="rule-count">' not in html
    for rule in shipped.rules:
        start = html.find(f'id="rule-{rule.id}">')
        body = html[start : html.index("</section>", start)]
        expected = sum(1 for f in shipped.findings if rule.id in f.rule_ids)
        assert body.count('<a class="fid" href="#F-') == expected, rule.id


# --- 4. the diagram on paper -------------------------------------------------------------


def test_the_shipped_maps_diagram_prints_as_an_overview_in_two_readable_parts(
    shipped: AuditResult,
) -> None:
    """One overview page printed the shipped map at 5.4 pt (print review s17, problem 2): it
    prints in two parts grouped by country, each at 7 pt or more (test_print_s17 measures the
    printed text)."""
    require_tool("dot")
    drawn = draw_for_report(shipped)
    assert drawn.view == "full"
    pages, unprinted = pages_for_paper(shipped, drawn)
    assert unprinted is None
    assert [page.title for page in pages] == [
        f"Overview by country, part {n} of 2: every flow, numbered as in the key below, is "
        "drawn in diagram.svg beside this report"
        for n in (1, 2)
    ]
    for page in pages:
        assert page.overview and page.width_pt <= PAGE_WIDTH_PT
        assert page.scale >= MIN_SCALE
        # grouped by country: no numbered flow is on it
        assert "@group/country/" in page.dot
    assert pages[0].height_pt <= 420.0 and pages[1].height_pt <= 460.0


def test_the_report_folder_holds_the_full_diagram(tmp_path: Path, shipped: AuditResult) -> None:
    require_tool("dot")
    out = tmp_path / "report"
    result = run(["report", "--as-of", "2026-11-25", "--out", str(out)])
    assert result.exit_code == 1, result.output
    svg = (out / DIAGRAM_SVG).read_text(encoding="utf-8")
    drawn = draw_for_report(shipped)
    assert svg == drawn.svg
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('<div class="print-page first overview">') == 1
    assert html.count('<div class="print-page overview">') == 1
    assert html.count('<div class="print-page') == 2
    # the numbered drawing is still the screen's: the same drawing, from its <svg> element
    # on (Graphviz's XML declaration and DOCTYPE stay in diagram.svg: auditor review s20)
    assert svg.startswith("<?xml")
    assert svg[svg.index("<svg ") :] in html
    assert "<?xml" not in html


def test_a_diagram_that_prints_readably_is_printed_whole(shipped: AuditResult) -> None:
    """A full diagram that fits the page at 7 pt is one page as drawn, not the overview."""
    small = '<svg width="300pt" height="200pt" viewBox="0 0 300 200"><g></g></svg>'
    pages, unprinted = pages_for_paper(shipped, Drawn(small, "full"))
    assert unprinted is None and len(pages) == 1
    assert not pages[0].overview and pages[0].scale == 1.0
    assert pages[0].svg == small.replace("300pt", "300.0pt").replace("200pt", "200.0pt")


# --- 7. whose export a pass on a legal row judged ----------------------------------------


def test_a_pass_on_another_regimes_row_names_that_regime_and_its_exporters(
    tmp_path: Path,
) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--flows",
            "600",
            "--shape",
            "dense",
            "--out",
            str(tmp_path),
            "--formats",
            "json",
        ],
        check=True,
        capture_output=True,
    )
    result = audit(AuditRequest([tmp_path / "dense_600.json"], AS_OF))
    lines = {row.split(" (", 1)[0]: (row, total) for row, _, total in unconfirmed_passes(result)}
    row, total = lines["ch-eea"]
    assert row == (
        "ch-eea (Data Protection Ordinance (FADO, SR 235.11), Annex 1), a Swiss (revFADP) "
        "exporter's row, not the organisation's UK (UK GDPR) one, for exports by System 47 "
        "CH, System 86 CH, System 87 CH and 2 more exporters"
    )
    assert total == sum(
        1 for e in result.passed for note in e.unconfirmed if note.startswith("ch-eea (")
    )
    # the organisation's own regime's rows are not said to be another's
    assert all("exporter's row" not in r for r, _ in lines.values() if r.startswith("uk-"))
