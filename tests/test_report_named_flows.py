"""A finding on another element that condemns flows (a subject that flows rest on contract for,
though not party to it) counts on each of those flows: the diagram draws them at its severity,
its key does not say "no finding", and "Findings by flow" and "Findings by party" list it
(auditor review 2026-12-02f, problem 1). An empty index says why it is empty."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import View as DiagramView
from flowaudit.reports.diagram import _drawing, diagram_dot, key_rows
from flowaudit.reports.html import render_html
from flowaudit.reports.registers import build_registers
from flowaudit.reports.side_files import side_files
from tests.helpers import FIXTURES

#: the flows the shipped map's GDPR-BASIS finding on subjects/customer_staff names
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


@cache
def concero() -> AuditResult:
    return audit(AuditRequest([], date(2026, 11, 25)))


def staff_finding(result: AuditResult) -> Finding:
    return next(
        f
        for f in result.findings
        if f.element == ("subjects", "customer_staff") and f.rule_id == "GDPR-BASIS"
    )


def test_the_finding_records_the_flows_it_names() -> None:
    finding = staff_finding(concero())
    assert finding.flows == CONTRACT_FLOWS
    assert finding.flow_ids == CONTRACT_FLOWS
    assert ", ".join(CONTRACT_FLOWS) in finding.message  # the message names the same flows


def test_the_diagram_and_its_key_draw_every_named_flow_at_its_severity() -> None:
    result = concero()
    finding = staff_finding(result)
    edges = _drawing(result, DiagramView())[2]
    rows = {row.flow: row for row in key_rows(result, edges)}
    for flow_id in CONTRACT_FLOWS:
        row = rows[flow_id]
        assert row.worst != "no finding", flow_id
        assert row.grade in ("critical", "high"), flow_id
    # the four the auditor found drawn clean: now high, naming where the finding is
    for flow_id in ("collect-school-contacts", "collect-sme-contacts", "portal-updates"):
        assert rows[flow_id].grade == "high"
        assert "(GDPR-BASIS, on subjects/customer_staff)" in rows[flow_id].worst
        assert rows[flow_id].worst.startswith("high: Staff of customer schools")
    assert rows["orders-and-billing"].grade == "high"
    # the drawn edge takes the finding's colour, and its tooltip says where it comes from
    dot = diagram_dot(result)
    edge = re.search(r'id="flow:collect-school-contacts"', dot)
    assert edge is not None
    line = dot[dot.rfind("\n", 0, edge.start()) : dot.find("\n", edge.end())]
    assert "(via subjects/customer_staff)" in line
    clean = next(r for r in rows.values() if r.worst == "no finding")  # some flow is clean
    assert finding.flows and clean.flow not in finding.flows
    assert diagram_dot(result) == dot  # deterministic


def test_findings_by_flow_and_by_party_list_the_named_flows() -> None:
    result = concero()
    finding = staff_finding(result)
    registers = build_registers(result)
    for flow_id in CONTRACT_FLOWS:
        assert [f for f in registers.by_flow[flow_id] if f is finding] == [finding], flow_id
    # the customer schools (the sender of collect-school-contacts) and the hosts it reaches
    index = result.facts.index
    for flow_id in CONTRACT_FLOWS:
        flow = index.flows[flow_id]
        for party in {index.party_of(flow.source), index.party_of(flow.target)}:
            if party != index.organisation.id:
                assert [f for f in registers.by_party[party] if f is finding] == [finding]
    html = render_html(result, Severity.LOW)
    start = html.index("<h3>Findings by flow</h3>")
    by_flow = html[start : html.index("<h3>Findings by party</h3>")]
    marked = f'<span class="fid">{finding.finding_id}</span> (high, via subjects/customer_staff)'
    assert by_flow.count(marked) == len(CONTRACT_FLOWS)
    files = side_files(result, registers)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["findings.csv"]))}
    assert rows[finding.finding_id]["flow"] == " ".join(CONTRACT_FLOWS)
    assert "customer-schools" in rows[finding.finding_id]["parties"].split()


def test_an_empty_index_says_why(tmp_path: Path) -> None:
    """Findings only on the organisation's own store: neither index has a row, and each says
    so in words instead of showing a table of header cells."""
    store = tmp_path / "store.yaml"
    store.write_text(
        "systems:\n  - {id: files, name: Files, owner: acme, country: GB, "
        "encrypted_at_rest: true, categories: [contact], subjects: [staff]}\n"
        "flows:\n  - {id: to-files, from: acme, to: files, categories: [contact], "
        "subjects: [staff], purpose: support, basis: contract, "
        'notice: "https://acme.invalid/privacy#support"}\n'
    )
    result = audit(
        AuditRequest([str(FIXTURES / "base" / "acme.yaml"), str(store)], date(2026, 11, 25))
    )
    assert result.findings and all(f.element == ("systems", "files") for f in result.findings)
    html = render_html(result, Severity.LOW)
    section = html[html.index("<h3>Findings by flow</h3>") : html.index('id="diagram"')]
    assert "<th>flow</th>" not in section and "<th>party</th>" not in section
    assert "No finding is on a flow or names one" in section
    assert "No finding concerns another party" in section


def test_json_and_sarif_carry_the_flows_it_names() -> None:
    """The machine outputs name the flows too (noticed in session i: only the HTML report,
    the diagram and findings.csv did)."""
    from flowaudit.reports.json_report import finding_dict
    from flowaudit.reports.sarif import sarif_pieces

    result = concero()
    finding = staff_finding(result)
    assert finding_dict(finding)["flows"] == list(CONTRACT_FLOWS)
    others = [finding_dict(f) for f in result.findings if not f.flows]
    assert others and all("flows" not in data for data in others)
    sarif = json.loads("".join(sarif_pieces(result, Severity.LOW)))
    named = [
        r["properties"]["flows"] for r in sarif["runs"][0]["results"] if "flows" in r["properties"]
    ]
    # and the helpdesk's unprotected passwords the hosting flows may carry on (fix-onward-s19:
    # a finding on the store), the pupil-data risk in tickets the hosting flows may carry on
    # (mayrisk-s19), the schools' missing contract with the sub-processors it must authorise
    # (fix-subproc-s20: the schools' flow, then each sub-processor's) and the purpose's
    # missing legitimate interests assessment (DPO review s17): in the order of the results,
    # all high
    assert named == [
        ["hosting-us", "hosting-eea", "hosting-uk"],
        ["helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk"],
        ["school-server-work", "helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk"],
        ["third-party-insights", "website-visits"],
        list(CONTRACT_FLOWS),
    ]
