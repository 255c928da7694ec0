"""Auditor review s18, the two items it left open, read in the PDF and HTML report.

- A finding that groups several flows (one legitimate interests assessment per purpose, a
  subject's flows resting on contract) gave, in the "where" column of the register and of
  its rule section, only its own location: the other flows were names in its message.
  SARIF's related locations and the JSON's ``flows`` had every one. The rule section's cell
  now gives each grouped flow at its own line:col under its file, at most
  ``checks.base.LIST_LIMIT`` (20, as the message names them) then a count; the register's,
  which names each problem in short, counts them and points at that section.
- The key to the numbered flows described each flow's worst finding but gave no id to cite
  it by: it now gives the finding's id, linked to its row of the register.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from html import escape
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.base import LIST_LIMIT
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import View, _drawing, diagram_dot, key_rows
from flowaudit.reports.html import render_html
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.places import FlowPlaces, flow_places
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool, run

AS_OF = date(2026, 11, 25)
FLOWS_YAML = "model/concero/flows.yaml"


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


@pytest.fixture(scope="module")
def html(shipped: AuditResult) -> str:
    return render_html(shipped, Severity.LOW)


def _finding(result: AuditResult, finding_id: str) -> Finding:
    (finding,) = [f for f in result.findings if f.finding_id == finding_id]
    return finding


def _flow_line(flow_id: str) -> int:
    """The line of the shipped flows.yaml that opens the flow ``flow_id`` (``- id: ...``)."""
    lines = (shipped_map_dir() / "flows.yaml").read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if line == f"  - id: {flow_id}"]
    return number


# --- the "where" of a grouped finding: every flow, at its own line -----------------------

CONTRACT_FLOWS = (
    "collect-school-contacts",
    "collect-sme-contacts",
    "helpdesk-tickets",
    "hosting-eea",
    "hosting-uk",
    "hosting-us",
    "installation-helper",
    "isp-provisioning",
    "mis-third-party-support",
    "orders-and-billing",
    "portal-updates",
    "procurement-quotes",
    "training-accreditation",
)


def _file(place: str) -> str:
    """The file of a location as the shipped map's are given (the path it was loaded from)."""
    return place.rsplit(":", 2)[0]


def test_a_subjects_finding_places_each_of_its_thirteen_flows(shipped: AuditResult) -> None:
    finding = _finding(shipped, "F-c3c93ecd60")  # staff not party to the contract
    assert finding.flows == CONTRACT_FLOWS
    places = flow_places(shipped, finding)
    assert places is not None
    (flows_file,) = {file for file, _ in places.files}
    assert flows_file.endswith(FLOWS_YAML)
    assert places == FlowPlaces(
        total=13,
        files=((flows_file, tuple((f"{_flow_line(f)}:5", f) for f in CONTRACT_FLOWS)),),
        more=0,
    )
    # the lines read from flows.yaml itself: the first and the last, as printed
    assert places.files[0][1][0] == ("8:5", "collect-school-contacts")
    assert places.files[0][1][-1] == ("135:5", "training-accreditation")


def _where_cells(html: str, finding_id: str) -> list[str]:
    """The "where" cells of ``finding_id``'s rows: its register row, its rule section's."""
    register = re.search(
        rf'<tr id="{finding_id}">(?:<td.*?</td>){{4}}<td class="mono">(.*?)</td>', html
    )
    section = re.search(
        rf'href="#{finding_id}">{finding_id}</a>.*?</td><td class="mono">(.*?)</td>', html
    )
    assert register is not None and section is not None
    return [register.group(1), section.group(1)]


def test_the_where_cell_lists_each_grouped_flow_under_its_file(
    shipped: AuditResult, html: str
) -> None:
    finding = _finding(shipped, "F-c3c93ecd60")
    assert finding.location is not None
    own = str(finding.location)
    assert own.endswith("model/concero/taxonomy.yaml:60:5")
    folder, _, name = _file(own).rpartition("/")
    # breakable after each '/'; the shipped map's path is "<flowaudit>/model/concero/..."
    head = "/<wbr>".join(escape(folder).split("/")) + "/<wbr>"
    flows = "".join(
        f' <span class="gf">{_flow_line(f)}:5 {"-<wbr>".join(f.split("-"))}</span>'
        for f in CONTRACT_FLOWS
    )
    own_cell = f'{head}<span class="loc">{name}:60:5</span>'
    expected = (
        f'{own_cell}<span class="grouped-flows"> <br>13 grouped flows: <br>'
        f'{head}<span class="loc">flows.yaml</span>{flows}</span>'
    )
    # the register names each problem in short: it counts the flows and points at the
    # rule's section, which places each one
    in_short = (
        f'{own_cell}<span class="grouped-flows"> <br><a href="#rule-GDPR-BASIS">13 grouped '
        "flows</a>, each placed in its rule&#39;s section</span>"
    )
    assert _where_cells(html, "F-c3c93ecd60") == [in_short, expected]


def test_one_assessment_for_a_purpose_places_both_its_flows(
    shipped: AuditResult, html: str
) -> None:
    finding = _finding(shipped, "F-a021f52f31")  # one LIA for web_development
    assert finding.element == ("flows", "third-party-insights")
    assert finding.flows == ("third-party-insights", "website-visits")
    assert _flow_line("third-party-insights") == 169 and _flow_line("website-visits") == 179
    assert finding.location is not None
    folder = _file(str(finding.location)).rpartition("/")[0]
    head = "/<wbr>".join(escape(folder).split("/")) + "/<wbr>"
    own_cell = f'{head}<span class="loc">flows.yaml:169:5</span>'
    expected = (
        f'{own_cell}<span class="grouped-flows"> <br>'
        f'2 grouped flows: <br>{head}<span class="loc">flows.yaml</span>'
        ' <span class="gf">169:5 third-<wbr>party-<wbr>insights</span>'
        ' <span class="gf">179:5 website-<wbr>visits</span></span>'
    )
    in_short = (
        f'{own_cell}<span class="grouped-flows"> <br><a href="#rule-GDPR-BASIS">2 grouped '
        "flows</a>, each placed in its rule&#39;s section</span>"
    )
    assert _where_cells(html, "F-a021f52f31") == [in_short, expected]


def test_a_finding_on_one_flow_alone_keeps_its_location_only(
    shipped: AuditResult, html: str
) -> None:
    finding = _finding(shipped, "F-66b52d348f")  # call-recording: no assessment
    assert finding.flows == ()
    assert flow_places(shipped, finding) is None
    own = replace(finding, flows=(finding.element[1],))  # its own flow, no other
    assert own.element == ("flows", "call-recording")
    assert flow_places(shipped, own) is None
    register, section = _where_cells(html, "F-66b52d348f")
    assert register == section
    assert register.endswith('<span class="loc">flows.yaml:83:5</span>')
    assert "grouped" not in register


def test_past_twenty_flows_the_cell_counts_the_rest(shipped: AuditResult) -> None:
    """23 flows: the 20 first placed, 3 counted; a flow the source map cannot place is
    named as such; an id from the input is escaped."""
    assert LIST_LIMIT == 20
    finding = _finding(shipped, "F-c3c93ecd60")
    flows = (*CONTRACT_FLOWS, "<b>gone</b>", *CONTRACT_FLOWS[:9])
    grown = replace(finding, flows=flows)
    places = flow_places(shipped, grown)
    assert places is not None
    assert (places.total, places.more) == (23, 3)
    assert [len(items) for _, items in places.files] == [13, 1, 6]
    assert places.files[1] == ("", (("", "<b>gone</b>"),))
    findings = tuple(grown if f is finding else f for f in shipped.findings)
    page = render_html(replace(shipped, findings=findings), Severity.LOW)
    (_, cell) = _where_cells(page, "F-c3c93ecd60")
    assert " <br>23 grouped flows: <br>" in cell
    assert (
        ' <span class="gf">135:5 training-<wbr>accreditation</span>'
        ' <br>not located in the input <span class="gf">&lt;b&gt;gone&lt;/<wbr>b&gt;</span> <br>'
    ) in cell
    assert cell.endswith(
        ' <span class="gf">189:5 hosting-<wbr>us</span>'
        " <br>and 3 more (each in findings.csv, column flow)</span>"
    )
    assert cell.count('class="gf"') == 20
    assert "<b>" not in cell


def test_the_grouped_flows_wrap_at_their_ids_parts_only() -> None:
    css = (Path(__file__).resolve().parents[1] / "reports/templates/report.css").read_text()
    rule = css.split("td .grouped-flows .gf {", 1)[1].split("}", 1)[0]
    assert "display: block;" in rule and "overflow-wrap: break-word;" in rule


# --- the key to the numbered flows: the worst finding's id --------------------------------


def test_the_key_gives_each_flows_worst_finding_id(shipped: AuditResult) -> None:
    rows = key_rows(shipped, _drawing(shipped, View())[2])
    ids = {f.finding_id for f in shipped.findings}
    assert [r.finding for r in rows[:4]] == [
        "F-c3c93ecd60",
        "F-c3c93ecd60",
        "F-c3c93ecd60",
        "F-27ac6164a2",
    ]
    for row in rows:
        if row.worst == "no finding":
            assert row.finding == ""
            continue
        assert row.finding in ids
        worst = _finding(shipped, row.finding)
        assert row.worst.startswith(f"{worst.severity.value}: ")
        assert f"({worst.rule_id}" in row.worst
    assert [r.flow for r in rows if not r.finding] == ["job-applications"]


def test_the_reports_key_links_each_id_to_its_register_row(tmp_path: Path) -> None:
    assert run(["report", "--as-of", "2026-11-25", "--out", str(tmp_path)]).exit_code == 1
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    key = html.split('<table class="diagram-key">', 1)[1].split("</table>", 1)[0]
    first = key.split("<tbody>", 1)[1].split("</tr>", 1)[0]  # row 1
    assert (
        '<td class="grade-high"><a class="mono fid" href="#F-c3c93ecd60">F-c3c93ecd60</a> '
        "high: Staff of customer schools"
    ) in first
    linked = re.findall(r'<a class="mono fid" href="#(F-[0-9a-f]{10})">\1</a>', key)
    assert len(linked) == 20  # 21 numbered flows, one with no finding
    for finding_id in set(linked):
        assert f'<tr id="{finding_id}">' in html


def test_the_diagrams_own_key_gives_the_id_above_the_text(shipped: AuditResult) -> None:
    source = diagram_dot(shipped)
    assert '<FONT COLOR="#d55e00">F-c3c93ecd60<BR ALIGN="LEFT"/>high: ' in source


@pytest.mark.xdist_group(REPORT_PDF)
def test_the_key_with_its_ids_keeps_its_three_pages(report_pdf: Path) -> None:
    pdftotext = require_tool("pdftotext")
    pages = subprocess.run(
        [pdftotext, "-layout", str(report_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert len([p for p in pages if p.strip()]) == 63
    keyed = [
        n
        for n, p in enumerate(pages, 1)
        if re.search(r"F-[0-9a-f]{10} (high|critical|medium|low):", p)
    ]
    assert keyed == [18, 19, 20]
    grouped = [n for n, p in enumerate(pages, 1) if "13 grouped flows" in p]
    assert len(grouped) == 2  # the register's row and the rule section's
    (placed,) = [p for p in pages if "13 grouped flows:" in p]  # the rule section's
    lines = [" 8:5 collect-school-", " 135:5 training-"]
    assert all(line in placed for line in lines)


def test_the_markdown_summary_places_each_grouped_flow_too(shipped: AuditResult) -> None:
    """The Markdown summary (a pull request's comment) gave a grouped finding only its first
    flow's place; it now places each, as the HTML does, and past 20 counts the rest; an id
    from the input stays in a code span, a pipe escaped."""
    text = render_markdown(shipped, Severity.LOW)
    (row,) = [line for line in text.splitlines() if line.startswith("| `F-a021f52f31` |")]
    assert row.split(" | ")[4].endswith(
        "flows.yaml:169:5`; 2 grouped flows: `<flowaudit>/model/concero/flows.yaml` "
        "169:5 `third-party-insights`, 179:5 `website-visits`"
    )
    finding = _finding(shipped, "F-c3c93ecd60")
    grown = replace(finding, flows=(*CONTRACT_FLOWS, "a|b", *CONTRACT_FLOWS[:9]))
    findings = tuple(grown if f is finding else f for f in shipped.findings)
    text = render_markdown(replace(shipped, findings=findings), Severity.LOW)
    (row,) = [line for line in text.splitlines() if line.startswith("| `F-c3c93ecd60` |")]
    assert "; 23 grouped flows: `<flowaudit>/model/concero/flows.yaml` 8:5 " in row
    assert "135:5 `training-accreditation`; not located: `a\\|b`; `<flowaudit>/" in row
    assert row.count("`collect-school-contacts`") == 2
    assert "; and 3 more (findings.csv) |" in row
