"""reports/diagram.py: DOT structure (clusters, colours, legend), views, escaping, rendering."""

from __future__ import annotations

import dataclasses
import re
import struct
from datetime import date
from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.cli import audit
from flowaudit.reports import diagram as diagram_module
from flowaudit.reports.diagram import (
    AMBER,
    GREY,
    RED,
    TIMES,
    GraphvizMissing,
    View,
    ViewError,
    diagram_dot,
    render,
    short_categories,
)
from tests.conftest import FIXTURES, audit_files, require_tool
from tests.dpo.dot import read

AS_OF = date(2026, 11, 25)
ESCAPING = FIXTURES / "dpo" / "escaping.yaml"

#: Concero flows with findings as of 2026-11-25 (see `flowaudit check --as-of 2026-11-25`).
CONCERO_RED = {
    "helpdesk-tickets": (
        "CONCERO-HELPDESK-CREDENTIALS, CONCERO-PUPILS, CONCERO-TRANSFER, GDPR-AGREEMENT, "
        "GDPR-PROCESSOR, GDPR-TRANSFER"
    ),
    "isp-provisioning": "GDPR-AGREEMENT",
    "mis-third-party-support": "CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR",
    "call-recording": "GDPR-BASIS",
    "installation-helper": "GDPR-AGREEMENT",
    "school-server-work": "CONCERO-NETWORK-PERMISSION, CONCERO-PUPILS, GDPR-AGREEMENT",
    "product-introductions": (
        "CONCERO-PRODUCT-INTRO-BASIS, CONCERO-SHARE-PERMISSION, GDPR-AGREEMENT, GDPR-BASIS"
    ),
    "training-accreditation": (
        "CONCERO-SHARE-PERMISSION, CONCERO-TRAINING-AGREEMENT, GDPR-AGREEMENT"
    ),
    "procurement-quotes": "CONCERO-SHARE-PERMISSION, GDPR-AGREEMENT",
    "card-payments": "CONCERO-PAYMENT-AGREEMENT, GDPR-AGREEMENT, GDPR-BASIS",
    "third-party-insights": "CONCERO-ENCRYPT, GDPR-BASIS",
    "website-visits": "GDPR-BASIS",
    "hosting-us": (
        "CONCERO-PUPILS, CONCERO-TRANSFER, GDPR-AGREEMENT, GDPR-PROCESSOR, GDPR-TRANSFER"
    ),
    "hosting-eea": "CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR",
    "hosting-uk": "CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR",
    "marketing-contacts": "CONCERO-MARKETING-CONSENT, GDPR-BASIS",
}
CONCERO_GREY = {
    "collect-school-contacts",
    "collect-sme-contacts",
    "portal-updates",
    "orders-and-billing",
    "job-applications",
}


@pytest.fixture(scope="module")
def concero() -> AuditResult:
    return audit([], AS_OF)


def flow_edges(source: str) -> dict[str, dict[str, str]]:
    return {
        e["id"].removeprefix("flow:"): e
        for e in read(source).edges
        if e.get("id", "").startswith("flow:")
    }


def label_lines(edge: dict[str, str]) -> list[str]:
    return edge["label"].split("\\n")


def test_one_cluster_per_jurisdiction_or_country(concero: AuditResult) -> None:
    dot = read(diagram_dot(concero))
    assert set(dot.clusters) == {"cluster_UK", "cluster_EU", "cluster_US", "cluster_legend"}
    assert sorted(dot.clusters["cluster_EU"]) == ["eea-hosting", "eea-servers"]
    assert sorted(dot.clusters["cluster_US"]) == ["helpdesk", "us-hosting", "us-servers", "zendesk"]
    assert "concero" in dot.clusters["cluster_UK"]
    assert len(dot.clusters["cluster_UK"]) == 20
    assert dot.clusters["cluster_legend"] == []  # legend samples are not map nodes


def test_cluster_borders_say_how_far_each_boundary_is_trusted(concero: AuditResult) -> None:
    source = diagram_dot(concero)
    assert (
        'label="United Kingdom (UK GDPR, DPA 2018, DUAA 2025)\\nexporter\'s jurisdiction"' in source
    )
    assert 'label="European Economic Area (GDPR)\\nadequate on the audit date"' in source
    assert 'label="United States (US)\\nadequate for listed importers only"' in source


def test_red_edges_are_exactly_the_flows_with_findings(concero: AuditResult) -> None:
    edges = flow_edges(diagram_dot(concero))
    assert set(edges) == set(CONCERO_RED) | CONCERO_GREY
    red = {flow for flow, e in edges.items() if e["color"] == RED}
    assert red == set(CONCERO_RED)
    assert {flow for flow, e in edges.items() if e["color"] == GREY} == CONCERO_GREY
    for flow, rules in CONCERO_RED.items():
        assert label_lines(edges[flow])[-1] == rules, flow
        assert edges[flow]["style"] == "bold"
    assert label_lines(edges["collect-school-contacts"]) == [f"contact {TIMES}6"]
    # the full category list and the findings are in the tooltip
    assert (
        "categories: contact.name, contact.email, contact.organisation, contact.phone, "
        "contact.address, support, username, credentials.password"
        in edges["helpdesk-tickets"]["tooltip"]
    )
    assert (
        'GDPR-TRANSFER + CONCERO-TRANSFER: \\"By providing your data'
        in edges["helpdesk-tickets"]["tooltip"]
    )


def test_legend_shows_shapes_boundaries_and_edge_colours(concero: AuditResult) -> None:
    source = diagram_dot(concero)
    legend_ids = set(re.findall(r'id="(legend:[^"]+)"', source))
    assert legend_ids == {
        "legend:organisation",
        "legend:system",
        "legend:customer",
        "legend:supplier",
        "legend:partner",
        "legend:placeholder",
        "legend:boundary:home",
        "legend:boundary:adequate",
        "legend:boundary:listed",
        "legend:edge:finding",
        "legend:edge:waived",
        "legend:edge:ok",
        "legend:edge:owns",
    }


def test_owner_edges_link_stores_to_the_party_holding_them(concero: AuditResult) -> None:
    owns = {
        (e["tail"], e["head"])
        for e in read(diagram_dot(concero)).edges
        if "owns:" in e.get("id", "")
    }
    assert owns == {
        ("zendesk", "helpdesk"),
        ("us-hosting", "us-servers"),
        ("eea-hosting", "eea-servers"),
        ("uk-hosting", "uk-servers"),
    }


@dataclasses.dataclass(frozen=True)
class WaivedFinding(Finding):
    """A finding a waiver covers, as the waiver stage will mark it."""

    waived: bool = True


def waive(result: AuditResult, flow: str, rule: str | None = None) -> AuditResult:
    findings = tuple(
        WaivedFinding(**{f.name: getattr(finding, f.name) for f in dataclasses.fields(Finding)})
        if finding.element == ("flows", flow) and rule in (None, finding.rule_id)
        else finding
        for finding in result.findings
    )
    return dataclasses.replace(result, findings=findings)


def test_waived_findings_turn_an_edge_amber_and_open_ones_keep_it_red(
    concero: AuditResult,
) -> None:
    all_waived = flow_edges(diagram_dot(waive(concero, "hosting-us")))["hosting-us"]
    assert all_waived["color"] == AMBER
    assert all_waived["style"] == "dashed"
    assert (
        label_lines(all_waived)[-1]
        == "waived: CONCERO-PUPILS, CONCERO-TRANSFER, GDPR-AGREEMENT, GDPR-PROCESSOR, "
        "GDPR-TRANSFER"
    )
    assert "GDPR-TRANSFER + CONCERO-TRANSFER (waived): " in all_waived["tooltip"]
    partly = flow_edges(diagram_dot(waive(concero, "hosting-us", "GDPR-TRANSFER")))["hosting-us"]
    assert partly["color"] == RED
    assert label_lines(partly)[-1] == "CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR"


def test_findings_on_a_party_give_its_node_a_red_border(concero: AuditResult) -> None:
    on_party = dataclasses.replace(
        concero.findings[0], element=("parties", "zendesk"), rule_id="HYGIENE-TEST"
    )
    result = dataclasses.replace(concero, findings=(*concero.findings, on_party))
    line = next(line for line in diagram_dot(result).splitlines() if 'id="node:zendesk"' in line)
    assert 'color="#c62828"' in line
    assert "HYGIENE-TEST: " in line


def test_dot_is_byte_deterministic(concero: AuditResult) -> None:
    again = audit([], AS_OF)
    assert diagram_dot(concero) == diagram_dot(again)
    view = View(group_by="country")
    assert diagram_dot(concero, view) == diagram_dot(again, view)


def test_names_are_escaped_for_dot_and_never_read_as_html() -> None:
    source = diagram_dot(audit_files(ESCAPING))
    assert 'label="Evil \\"Quote\\" \\\\N back\\\\slash\\n<b>bold</b>\\nother · FR"' in source
    assert 'label="<x>\\nother · GB"' in source
    assert "label=<" not in source


@pytest.mark.needs_dot
def test_escaped_names_render_literally() -> None:
    require_tool("dot")
    svg = render(diagram_dot(audit_files(ESCAPING)), "svg").decode("utf-8")
    assert "Evil &quot;Quote&quot; \\N back\\slash" in svg
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg
    assert "&lt;x&gt;" in svg


def test_party_view_shows_the_party_its_stores_and_neighbours(concero: AuditResult) -> None:
    source = diagram_dot(concero, View(party="zendesk"))
    dot = read(source)
    nodes = sorted(n for members in dot.clusters.values() for n in members)
    assert nodes == ["concero", "helpdesk", "zendesk"]
    assert set(flow_edges(source)) == {"helpdesk-tickets"}
    assert "party zendesk and its neighbours" in dot.graph["label"]


def test_category_subject_and_findings_views(concero: AuditResult) -> None:
    assert set(flow_edges(diagram_dot(concero, View(category="credentials")))) == {
        "helpdesk-tickets"
    }
    assert set(flow_edges(diagram_dot(concero, View(subject="pupils")))) == {"school-server-work"}
    assert set(flow_edges(diagram_dot(concero, View(findings_only=True)))) == set(CONCERO_RED)
    # views combine: findings-only flows carrying web data
    assert set(flow_edges(diagram_dot(concero, View(category="web", findings_only=True)))) == {
        "website-visits",
        "third-party-insights",
    }


def test_an_empty_view_says_so(concero: AuditResult) -> None:
    source = diagram_dot(concero, View(category="web", subject="pupils"))
    assert flow_edges(source) == {}
    assert "no flow matches this view" in read(source).graph["label"]


def test_unknown_ids_in_a_view_are_reported_with_a_guess(concero: AuditResult) -> None:
    with pytest.raises(
        ViewError, match="unknown party or system 'zendesc' \\(did you mean 'zendesk'\\?\\)"
    ):
        diagram_dot(concero, View(party="zendesc"))
    with pytest.raises(ViewError, match=r"unknown data category 'contact\.mail'"):
        diagram_dot(concero, View(category="contact.mail"))
    with pytest.raises(ViewError, match="unknown data subject 'pupil'"):
        diagram_dot(concero, View(subject="pupil"))


def test_group_by_country_aggregates_nodes_and_edges(concero: AuditResult) -> None:
    source = diagram_dot(concero, View(group_by="country"))
    dot = read(source)
    assert dot.clusters["cluster_UK"] == ["@group/country/GB", "concero"]
    assert dot.clusters["cluster_EU"] == ["@group/country/IE"]
    assert dot.clusters["cluster_US"] == ["@group/country/US"]
    edges = {(e["tail"], e["head"]): e for e in dot.edges if e.get("id", "").startswith("group:")}
    assert set(edges) == {
        ("concero", "@group/country/GB"),
        ("concero", "@group/country/IE"),
        ("concero", "@group/country/US"),
        ("@group/country/GB", "concero"),
        ("concero", "concero"),  # ours to our own systems
    }
    assert label_lines(edges[("concero", "concero")])[0] == "5 flows"
    to_us = edges[("concero", "@group/country/US")]
    assert label_lines(to_us)[0] == "2 flows"
    assert (
        label_lines(to_us)[-1]
        == "CONCERO-HELPDESK-CREDENTIALS, CONCERO-PUPILS, CONCERO-TRANSFER, GDPR-AGREEMENT, "
        "GDPR-PROCESSOR, GDPR-TRANSFER"
    )
    assert to_us["color"] == RED
    assert 'label="Concero Technology\\nServices\\nexporter · GB\\nwith 7 own systems"' in source
    assert 'label="United States (US)\\n2 parties, 2 systems"' in source


def test_group_by_kind_clusters_per_trust_level(concero: AuditResult) -> None:
    dot = read(diagram_dot(concero, View(group_by="kind")))
    assert set(dot.clusters) == {
        "cluster_trust_home",
        "cluster_trust_adequate",
        "cluster_trust_listed",
        "cluster_legend",
    }
    assert sorted(dot.clusters["cluster_trust_listed"]) == [
        "@group/kind/listed/helpdesk",
        "@group/kind/listed/hosting",
        "@group/kind/listed/system",
    ]
    assert "@group/kind/home/customer" in dot.clusters["cluster_trust_home"]


def test_short_categories_fold_siblings_and_cut_long_lists() -> None:
    assert (
        short_categories(["contact.name", "contact.email", "support"])
        == f"contact {TIMES}2, support"
    )
    assert short_categories(["contact.email"]) == "contact.email"
    many = [f"group{i}.item" for i in range(10)]
    assert short_categories(many, limit=30) == "group0.item, group1.item, +8 more"


def test_render_without_dot_raises_a_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(GraphvizMissing, match="Debian/Ubuntu package 'graphviz'"):
        render("digraph { a }", "svg")
    assert render("digraph { a }", "dot") == b"digraph { a }"


@pytest.mark.needs_dot
def test_png_is_really_rendered(concero: AuditResult) -> None:
    require_tool("dot")
    png = render(diagram_dot(concero), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 800 and height > 800


DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_committed_concero_diagram_is_up_to_date(concero: AuditResult) -> None:
    committed = (DOCS / "concero-diagram.dot").read_text(encoding="utf-8")
    assert committed == diagram_dot(concero), "docs/concero-diagram.dot is stale: run nox -s docs"


@pytest.mark.needs_dot
def test_committed_svg_was_rendered_from_the_committed_dot() -> None:
    require_tool("dot")
    committed = (DOCS / "concero-diagram.svg").read_text(encoding="utf-8")
    fresh = render((DOCS / "concero-diagram.dot").read_text(encoding="utf-8"), "svg").decode()

    def texts(svg: str) -> list[str]:
        # labels and titles, not coordinates: they do not depend on the Graphviz version
        return sorted(re.findall(r"<(?:text|title)[^>]*>([^<]*)</", svg))

    assert texts(committed) == texts(fresh), "docs/concero-diagram.svg is stale: run nox -s docs"


def test_module_documents_how_to_install_graphviz() -> None:
    assert "sudo apt-get install graphviz" in diagram_module.GRAPHVIZ_MISSING
