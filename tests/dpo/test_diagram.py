"""reports/diagram.py: DOT structure (clusters, colours, legend), views, escaping, rendering."""

from __future__ import annotations

import dataclasses
import re
import struct
from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.schema import Severity
from flowaudit.reports import diagram as diagram_module
from flowaudit.reports.diagram import (
    GRADES,
    OWNS,
    TIMES,
    GraphvizMissing,
    View,
    ViewError,
    _drawing,
    diagram_dot,
    key_rows,
    render,
    short_categories,
)
from tests.dpo.dot import attributes, read
from tests.helpers import FIXTURES, audit_files, require_tool

AS_OF = date(2026, 11, 25)
ESCAPING = FIXTURES / "dpo" / "escaping.yaml"
REFERENCES = FIXTURES / "dpo" / "references.yaml"

#: Concero flows with findings as of 2026-11-25 (see `flowaudit check --as-of 2026-11-25`).
CONCERO_RED = {
    "helpdesk-tickets": ("CONCERO-PUPILS, CONCERO-TRANSFER, GDPR-AGREEMENT, GDPR-TRANSFER"),
    "isp-provisioning": "GDPR-AGREEMENT",
    "mis-third-party-support": "CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR",
    "call-recording": "GDPR-BASIS",
    "installation-helper": "GDPR-AGREEMENT",
    "school-server-work": (
        "CONCERO-NETWORK-PERMISSION, CONCERO-PUPILS, GDPR-AGREEMENT, GDPR-PROCESSOR"
    ),
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
    "hosting-us": "CONCERO-TRANSFER, GDPR-AGREEMENT, GDPR-TRANSFER",
    "hosting-eea": "GDPR-AGREEMENT",
    "hosting-uk": "GDPR-AGREEMENT",
    "marketing-contacts": "CONCERO-MARKETING-CONSENT, GDPR-BASIS",
    # named by the high GDPR-BASIS finding on subjects/customer_staff (they rest on contract
    # for people not party to it): no finding of their own, yet not clean (auditor review
    # 2026-12-02f, problem 1)
    "collect-school-contacts": "GDPR-BASIS",
    "collect-sme-contacts": "GDPR-BASIS",
    "portal-updates": "GDPR-BASIS",
    "orders-and-billing": "GDPR-BASIS",
}
CONCERO_CRITICAL = {"helpdesk-tickets", "hosting-us", "school-server-work"}
#: Flows whose worst open finding is medium: none. The six whose own worst is medium (a
#: missing agreement with a placeholder supplier: hosting-eea, hosting-uk, installation-helper,
#: isp-provisioning, procurement-quotes, training-accreditation) are named by the high
#: GDPR-BASIS finding on subjects/customer_staff, which they take.
CONCERO_MEDIUM: set[str] = set()
CONCERO_GREY = {"job-applications"}


@pytest.fixture(scope="module")
def concero() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def flow_edges(source: str) -> dict[str, dict[str, str]]:
    return {
        e["id"].removeprefix("flow:"): e
        for e in read(source).edges
        if e.get("id", "").startswith("flow:") and not e["id"].endswith(":head")
    }


def label_lines(edge: dict[str, str]) -> list[str]:
    return edge["label"].split("\\n")


def test_one_cluster_per_jurisdiction_or_country(concero: AuditResult) -> None:
    dot = read(diagram_dot(concero))
    assert set(dot.clusters) == {"cluster_UK", "cluster_EU", "cluster_US"}
    assert sorted(dot.clusters["cluster_EU"]) == ["eea-hosting", "eea-servers"]
    assert sorted(dot.clusters["cluster_US"]) == ["helpdesk", "us-hosting", "us-servers", "zendesk"]
    assert "concero" in dot.clusters["cluster_UK"]
    assert len(dot.clusters["cluster_UK"]) == 20


def test_cluster_borders_say_how_far_each_boundary_is_trusted(concero: AuditResult) -> None:
    source = diagram_dot(concero)
    assert (
        'label="United Kingdom (UK GDPR, DPA 2018, DUAA 2025)\\nexporter\'s jurisdiction"' in source
    )
    assert 'label="European Economic Area (GDPR)\\nadequate on the audit date"' in source
    assert 'label="United States (US)\\nadequate for listed importers only"' in source


def test_edges_are_graded_by_their_worst_open_finding(concero: AuditResult) -> None:
    edges = flow_edges(diagram_dot(concero))
    assert set(edges) == set(CONCERO_RED) | CONCERO_GREY
    grades = {
        flow: next(g for g, look in GRADES.items() if look.colour == e["color"])
        for flow, e in edges.items()
    }
    assert {f for f, g in grades.items() if g == "critical"} == CONCERO_CRITICAL
    assert {f for f, g in grades.items() if g == "medium"} == CONCERO_MEDIUM
    assert {f for f, g in grades.items() if g == "high"} == (
        set(CONCERO_RED) - CONCERO_CRITICAL - CONCERO_MEDIUM
    )
    assert {f for f, g in grades.items() if g == "ok"} == CONCERO_GREY
    # the full category list, subjects and findings stay in the tooltip
    assert (
        "categories: contact.name, contact.email, contact.organisation, contact.phone, "
        "contact.address, support, username, credentials.password"
        in edges["helpdesk-tickets"]["tooltip"]
    )
    assert (
        'GDPR-TRANSFER + CONCERO-TRANSFER: \\"By providing your data'
        in edges["helpdesk-tickets"]["tooltip"]
    )


def test_a_graded_edge_has_exact_attributes_and_a_numbered_label(concero: AuditResult) -> None:
    """Pupil data: the critical flow is thick, solid, dark red, labelled with its number in
    the key and whose data it carries, never with rule ids."""
    edge = flow_edges(diagram_dot(concero))["school-server-work"]
    assert {k: v for k, v in edge.items() if "tooltip" not in k} == {
        "tail": "customer-schools",
        "head": "concero",
        "label": "[9] customer staff, pupils +2",
        "color": "#8b0000",
        "style": "solid",
        "penwidth": "4",
        "id": "flow:school-server-work",
    }
    assert edge["tooltip"].startswith("[9] flow school-server-work: customer-schools -> concero")
    edges = flow_edges(diagram_dot(concero))
    assert edges["collect-school-contacts"]["label"] == "[1] customer staff"
    assert (  # high: the finding on subjects/customer_staff names it
        edges["collect-school-contacts"]["color"],
        edges["collect-school-contacts"]["style"],
        edges["collect-school-contacts"]["penwidth"],
    ) == ("#d55e00", "solid", "2.2")
    assert "(via subjects/customer_staff)" in edges["collect-school-contacts"]["tooltip"]
    isp = edges["isp-provisioning"]  # its own finding is medium; the subject's is high
    assert (isp["color"], isp["style"], isp["penwidth"]) == ("#d55e00", "solid", "2.2")
    job = edges["job-applications"]
    assert (job["style"], job["penwidth"]) == ("solid", "1")
    calls = edges["call-recording"]
    assert (calls["color"], calls["style"], calls["penwidth"]) == ("#d55e00", "solid", "2.2")
    assert not any("GDPR-" in e.get("label", "") for e in edges.values())


def test_medium_and_low_findings_draw_a_dashed_amber_edge(concero: AuditResult) -> None:
    """The grade follows the worst open finding: call recording's one high finding, made
    medium (or low), turns its edge from solid vermilion to dashed amber."""
    for severity in (Severity.MEDIUM, Severity.LOW):
        findings = tuple(
            dataclasses.replace(f, severity=severity)
            if f.element == ("flows", "call-recording")
            else f
            for f in concero.findings
        )
        edge = flow_edges(diagram_dot(dataclasses.replace(concero, findings=findings)))[
            "call-recording"
        ]
        assert (edge["color"], edge["style"], edge["penwidth"]) == ("#e69f00", "dashed", "2")


def test_grades_differ_in_line_style_or_width_not_only_in_colour() -> None:
    """Printed in greyscale or seen without red-green vision, every grade still reads apart."""
    looks = [(look.style, look.width, look.arrowhead) for look in GRADES.values()]
    assert len(set(looks)) == len(looks)
    assert GRADES["critical"].width > GRADES["high"].width > GRADES["ok"].width
    assert GRADES["medium"].style == "dashed" and GRADES["waived"].style == "dotted"
    assert len({look.colour for look in GRADES.values()}) == len(GRADES)


def test_cross_border_edges_name_the_mechanism_and_its_validity(concero: AuditResult) -> None:
    """Read from the transfer rules' findings: Privacy Shield is not valid on the audit date,
    the EEA rests on adequacy; the label sits in the importer's cluster, not across borders."""
    source = diagram_dot(concero)
    dot = read(source)
    assert "@label/flow/hosting-us" not in dot.clusters["cluster_US"]  # not a map node
    label = next(line for line in source.splitlines() if 'id="label:flow:hosting-us"' in line)
    assert 'label="[16] customer staff\\nEU-US Privacy Shield: NOT\\nvalid on 2026-11-25"' in label
    assert 'fontcolor="#8b0000"' in label
    us = source[
        source.index("subgraph cluster_US") : source.index("}", source.index("subgraph cluster_US"))
    ]
    assert '"@label/flow/hosting-us"' in us
    eea = next(line for line in source.splitlines() if 'id="label:flow:hosting-eea"' in line)
    assert 'label="[17] customer staff\\nadequacy: valid on 2026-11-25"' in eea
    segments = {(e["tail"], e["head"]): e for e in dot.edges if "hosting-us" in e.get("id", "")}
    assert set(segments) == {
        ("concero", "@label/flow/hosting-us"),
        ("@label/flow/hosting-us", "us-servers"),
    }
    assert segments[("concero", "@label/flow/hosting-us")]["arrowhead"] == "none"
    rows = {row.flow: row for row in key_rows(concero, _drawing(concero, View())[2])}
    assert rows["hosting-us"].transfer == "EU-US Privacy Shield: NOT valid on 2026-11-25"
    assert rows["isp-provisioning"].transfer == ""
    assert View().group_by is None
    as_of_2019 = audit(AuditRequest([], date(2019, 6, 1)))
    old = next(
        line
        for line in diagram_dot(as_of_2019).splitlines()
        if 'id="label:flow:hosting-us"' in line
    )
    assert "EU-US Privacy Shield: valid on\\n2019-06-01" in old


def legend_entries(source: str) -> set[str]:
    """The legend's entries: texts of the legend standing alone in a cell of the label."""
    known = [look.legend for look in GRADES.values()] + [OWNS.legend]
    known += [entry[0] for entry in diagram_module._FAMILIES.values()]
    known += [entry[0] for entry in diagram_module._BOUNDARIES.values()]
    known += ["flow number: see the key", "placeholder: not named in the map"]
    legend = source[source.index("<<TABLE") : source.index("Key to the numbered flows")]
    found = {text for text in known if f">{text}<" in legend}
    return found | ({"crosses a border"} if ">crosses a border: " in legend else set())


def test_legend_lists_only_what_is_drawn(concero: AuditResult) -> None:
    assert legend_entries(diagram_dot(concero)) == {
        "critical finding",
        "high finding",
        "no finding",
        OWNS.legend,
        "flow number: see the key",
        "crosses a border",
        "organisation (exporter)",
        "system / store",
        "customer",
        "supplier / service provider",
        "partner / other recipient",
        "placeholder: not named in the map",
        "exporter's jurisdiction",
        "adequate on the audit date",
        "adequate for listed importers only",
    }
    # the zendesk view draws one critical transfer and no passing flow
    assert legend_entries(diagram_dot(concero, View(party="zendesk"))) == {
        "critical finding",
        OWNS.legend,
        "flow number: see the key",
        "crosses a border",
        "organisation (exporter)",
        "system / store",
        "supplier / service provider",
        "placeholder: not named in the map",
        "exporter's jurisdiction",
        "adequate for listed importers only",
    }
    assert "cluster_legend" not in diagram_dot(concero)  # the legend takes no part in layout


def test_the_legend_says_what_each_shape_looks_like(concero: AuditResult) -> None:
    """Auditor review 2026-12-03o, problem 10: the legend drew every kind of node as the same
    rectangle with Graphviz's shape name in it ("component", "tab"), which tells a reader
    nothing. Each sample now says in words what the shape looks like, in the kind's fill."""
    legend = diagram_dot(concero).split("<B>Parties and stores</B>", 1)[1].split("</TABLE>")[0]
    rows = re.findall(r"<TR><TD ([^>]*)>([^<]*)</TD><TD [^>]*>([^<]*)</TD></TR>", legend)
    assert rows == [
        (
            'BGCOLOR="#d2e3fc" BORDER="1" COLOR="#9e9e9e" WIDTH="141"',
            "rounded box, double border",
            "organisation (exporter)",
        ),
        # each sample sized for its words in a print's face (auditor review s18)
        (
            'BGCOLOR="#e6f4ea" BORDER="1" COLOR="#9e9e9e" WIDTH="81"',
            "drum (cylinder)",
            "system / store",
        ),
        (
            'BGCOLOR="#fef7e0" BORDER="1" COLOR="#9e9e9e" WIDTH="103"',
            "house (pointed top)",
            "customer",
        ),
        (
            'BGCOLOR="#f1f3f4" BORDER="1" COLOR="#9e9e9e" WIDTH="119"',
            "box, 2 small tabs left",
            "supplier / service provider",
        ),
        (
            'BGCOLOR="#fce8e6" BORDER="1" COLOR="#9e9e9e" WIDTH="22"',
            "oval",
            "partner / other recipient",
        ),
        ('BORDER="1" STYLE="dashed"', "dashed", "placeholder: not named in the map"),
        ('BORDER="2" COLOR="#d55e00"', "border", "findings on the party or store"),
    ]
    grouped = diagram_dot(concero, View(group_by="country"))
    assert ">folder (tab on top)</TD>" in grouped  # the group nodes' shape, "tab"
    for name in ("cylinder<", ">component<", ">tab<", ">ellipse<", ">box<", ">house<"):
        assert name not in grouped and name not in diagram_dot(concero), name


def test_the_key_lists_every_numbered_flow_with_names(concero: AuditResult) -> None:
    source = diagram_dot(concero)
    assert "Key to the numbered flows" in source
    rows = key_rows(concero, _drawing(concero, View())[2])
    assert [row.number for row in rows] == list(range(1, 22))
    nine = rows[8]
    assert (nine.flow, nine.source, nine.target) == (
        "school-server-work",
        "Customer schools",
        "Concero Technology Services",
    )
    assert nine.subjects == "Staff of customer schools and businesses, Pupils, Students, Parents"
    assert nine.categories == "All data held on a customer's network"
    assert nine.grade == "critical"
    assert nine.worst.startswith("critical: ") and nine.worst.endswith(
        "(CONCERO-PUPILS); 3 more rules"
    )
    assert rows[0].grade == "high" and rows[0].worst.endswith(
        "(GDPR-BASIS, on subjects/customer_staff)"
    )
    assert [r.flow for r in rows if r.worst == "no finding"] == ["job-applications"]
    report_view = diagram_module._emit(concero, View(), *_drawing(concero, View()), key=False)
    assert "Key to the numbered flows" not in report_view


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


def test_waived_findings_draw_a_dotted_blue_edge_and_open_ones_keep_their_grade(
    concero: AuditResult,
) -> None:
    all_waived = flow_edges(diagram_dot(waive(concero, "school-server-work")))["school-server-work"]
    assert (all_waived["color"], all_waived["style"], all_waived["arrowhead"]) == (
        GRADES["waived"].colour,
        "dotted",
        "empty",
    )
    assert "CONCERO-PUPILS (waived): " in all_waived["tooltip"]
    partly = flow_edges(diagram_dot(waive(concero, "school-server-work", "CONCERO-PUPILS")))
    assert partly["school-server-work"]["color"] == GRADES["high"].colour
    legend = diagram_dot(waive(concero, "school-server-work"))
    assert GRADES["waived"].legend in legend_entries(legend)


def test_findings_on_a_party_give_its_node_a_graded_border(concero: AuditResult) -> None:
    on_party = dataclasses.replace(
        concero.findings[0], element=("parties", "zendesk"), rule_id="HYGIENE-TEST"
    )
    result = dataclasses.replace(concero, findings=(*concero.findings, on_party))
    line = next(line for line in diagram_dot(result).splitlines() if 'id="node:zendesk"' in line)
    assert f'color="{GRADES[on_party.severity.value].colour}"' in line
    assert "HYGIENE-TEST: " in line


def test_dot_is_byte_deterministic(concero: AuditResult) -> None:
    again = audit(AuditRequest([], AS_OF))
    assert diagram_dot(concero) == diagram_dot(again)
    view = View(group_by="country")
    assert diagram_dot(concero, view) == diagram_dot(again, view)


def test_names_are_escaped_for_dot_and_never_read_as_html() -> None:
    source = diagram_dot(audit_files(ESCAPING))
    assert 'label="Evil \\"Quote\\" \\\\N back\\\\slash\\n<b>bold</b>\\nother · FR"' in source
    assert 'label="<x>\\nother · GB"' in source
    # the one HTML-like label is the title, legend and key: map text in it is escaped
    assert source.count("label=<") == 1
    key = source[source.index("label=<") :]
    # backslashes doubled: Graphviz expands \N, \G... in HTML-like labels too
    assert "Evil &quot;Quote&quot; \\\\N back\\\\slash &lt;b&gt;bold&lt;/b&gt;" in key
    assert "<b>" not in key and "<x>" not in key


@pytest.mark.needs_dot
def test_escaped_names_render_literally() -> None:
    require_tool("dot")
    svg = render(diagram_dot(audit_files(ESCAPING)), "svg").decode("utf-8")
    assert "Evil &quot;Quote&quot; \\N back\\slash" in svg
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg
    assert "&lt;x&gt;" in svg


def test_character_references_in_names_are_written_as_text_for_dot() -> None:
    """Attack review 2026-12-03u, problem 1: Graphviz decodes ``&#8238;`` and ``&#10;`` in a
    string label or tooltip, so a party name drew a raw right-to-left override and forged a
    line in its node. Map text's ``&`` is written ``&amp;``, which Graphviz shows as ``&``."""
    source = diagram_dot(audit_files(REFERENCES))
    assert (
        'label="Zen&amp;#8238;cni\\n&amp;#x1b;[31mRED&amp;#10;forged\\n&amp;#92;N &amp;amp; co'
        in (source)
    )
    assert (
        'tooltip="Zen&amp;#8238;cni &amp;#x1b;[31mRED&amp;#10;forged &amp;#92;N &amp;amp; co'
        in (source)
    )
    assert re.findall("&#", source.replace("&amp;#", "")) == []


@pytest.mark.needs_dot
def test_character_references_in_names_render_literally() -> None:
    require_tool("dot")
    svg = render(diagram_dot(audit_files(REFERENCES)), "svg").decode("utf-8")
    assert "\u202e" not in svg and "\x1b" not in svg
    assert "Zen&amp;#8238;cni &amp;#x1b;[31mRED&amp;#10;forged" in svg
    assert "&amp;amp; co" in svg


def test_party_view_shows_the_party_its_stores_and_neighbours(concero: AuditResult) -> None:
    source = diagram_dot(concero, View(party="zendesk"))
    dot = read(source)
    nodes = sorted(n for members in dot.clusters.values() for n in members)
    assert nodes == ["concero", "helpdesk", "zendesk"]
    assert set(flow_edges(source)) == {"helpdesk-tickets"}
    assert ">party zendesk and its neighbours</FONT>" in source


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
    assert "no flow matches this view</FONT>" in source


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
    edges = {
        e["id"]: e
        for e in dot.edges
        if e.get("id", "").startswith("group:") and not e["id"].endswith(":head")
    }
    assert set(edges) == {
        "group:concero->@group/country/GB",
        "group:concero->@group/country/IE",
        "group:concero->@group/country/US",
        "group:@group/country/GB->concero",
        "group:concero->concero",  # ours to our own systems
    }
    # Both directions of a pair pass through one label node inside the group's cluster, so
    # no count floats across a border; flows into the organisation are laid out from it
    # (dir=back), so it stays left of every group.
    inbound = edges["group:@group/country/GB->concero"]
    assert (inbound["tail"], inbound["head"], inbound["dir"]) == (
        "concero",
        "@label/group/@group/country/GB",
        "back",
    )
    # the 3 inbound flows with no finding of their own are named by the one on customer staff
    assert 'label="→ 8 flows, 8 with findings\\n← 5 flows, 5 with findings"' in source
    assert "label" not in edges["group:concero->concero"]  # counted in our node instead
    to_us = edges["group:concero->@group/country/US"]
    assert to_us["head"] == "@label/group/@group/country/US"
    assert 'label="→ 2 flows, 2 with findings"' in source  # no rule ids on edges
    assert to_us["color"] == GRADES["critical"].colour
    assert to_us["penwidth"] == "5"  # critical width, plus one for two flows
    # Columns by trust: home groups next to us, adequate ones two ranks on, the rest four.
    assert [edges[f"group:concero->@group/country/{c}"]["minlen"] for c in ["GB", "IE", "US"]] == [
        "1",
        "3",
        "5",
    ]
    assert (
        'label="Concero Technology\\nServices\\nexporter · GB\\nwith 7 own systems\\n'
        '5 flows among them, 4 with findings"' in source  # one via customer staff
    )
    # the Zendesk portal is placed in the US on an assumed country (auditor review
    # 2026-12-03g, problem 5)
    assert 'label="United States (US)\\n2 parties, 2 systems · 1 with country assumed"' in source


def test_group_by_kind_clusters_per_trust_level(concero: AuditResult) -> None:
    dot = read(diagram_dot(concero, View(group_by="kind")))
    assert set(dot.clusters) == {
        "cluster_trust_home",
        "cluster_trust_adequate",
        "cluster_trust_listed",
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


def test_a_groups_loop_is_counted_in_the_groups_node(tmp_path: Path) -> None:
    """Auditor review 2026-12-03g, problem 13: in a grouped diagram the loop of a country
    group (flows between two of its parties: a payroll bureau filing with the tax office)
    said nothing, where every other group edge says "N flows, M with findings". The group's
    node counts them, as the organisation's node counts its own systems' loop."""
    extra = tmp_path / "loop.yaml"
    extra.write_text(
        "flows:\n"
        "  - {id: to-proc, from: acme, to: uk-proc, categories: [contact], subjects: [staff],"
        " purpose: support, basis: contract}\n"
        "  - {id: proc-to-ctrl, from: uk-proc, to: uk-ctrl, categories: [contact],"
        " subjects: [staff], purpose: support, basis: contract}\n"
        "  - {id: ctrl-to-broker, from: uk-ctrl, to: broker, categories: [contact],"
        " subjects: [staff], purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    result = audit_files(extra)
    source = diagram_dot(result, View(group_by="country"))
    label = re.search(r'"@group/country/GB" \[label="([^"]*)"', source)
    assert label is not None
    # (the controller's own onward flow to the broker is its duty, no finding of ours: DPO
    # review 2026-12-03n, problem 1; the processor's disclosure to it is one)
    assert label[1].split("\\n")[-2:] == ["2 flows among them", "1 with findings"]
    # the loop is drawn, with no label of its own (its tooltip names it)
    [loop] = [
        e for e in read(source).edges if e["id"] == "group:@group/country/GB->@group/country/GB"
    ]
    assert "label" not in loop
    # a group with no loop says nothing of one
    us = re.search(r'"@group/country/US" \[label="([^"]*)"', source)
    assert us is not None and "among them" not in us[1]


RIVERSIDE = FIXTURES / "report" / "riverside"


def test_an_onward_flow_between_two_groups_is_counted_where_it_lands() -> None:
    """Auditor review 2026-12-03h, problem 6: in the Riverside trust's overview the United
    Kingdom group's flow to Switzerland (ScholarSoft's backups at Alpenhost) had no count
    label, and it was drawn across the heading of the Swiss cluster. It now ends at a label
    inside that cluster, which counts it and names the sender, and the Swiss group stands
    in the adequate column (right of the UK group), as a group the organisation sends to
    does."""
    result = audit(AuditRequest([str(RIVERSIDE)], AS_OF))
    source = diagram_dot(result, View(group_by="country"))
    dot = read(source)
    label = "@label/onward/@group/country/GB->@group/country/CH"
    swiss = source.split("subgraph cluster_CH {", 1)[1].split("}", 1)[0]
    assert f'"{label}" [label="→ 1 flow\\nfrom United Kingdom (GB)"' in swiss
    edges = {e["id"]: e for e in dot.edges if "id" in e}
    tail = edges["group:@group/country/GB->@group/country/CH"]
    head = edges["group:@group/country/GB->@group/country/CH:head"]
    assert (tail["tail"], tail["head"], tail["constraint"], tail["arrowhead"]) == (
        "@group/country/GB",
        label,
        "false",
        "none",
    )
    assert (head["tail"], head["head"]) == (label, "@group/country/CH")
    # held in the adequate column by an invisible edge from the organisation to the label
    [anchor] = [e for e in dot.edges if e.get("style") == "invis"]
    assert (anchor["tail"], anchor["head"], anchor["minlen"]) == (
        "riverside-learning-trust",
        label,
        "3",
    )
    plain = render(source, "plain").decode("utf-8")
    x = {
        name.strip('"'): float(at)
        for name, at in re.findall(r'^node ("[^"]+"|\S+) ([\d.]+) ', plain, re.M)
    }
    assert x["@group/country/GB"] < x[label] < x["@group/country/CH"]


def test_an_onward_flow_within_one_boundary_is_counted_beside_its_edge(tmp_path: Path) -> None:
    """Auditor review 2026-12-03h, problem 6: in the kind view an onward flow between two
    groups of one trust boundary had no count either; it gets one placed beside the edge
    after the layout (an xlabel), which moves no group."""
    extra = tmp_path / "onward.yaml"
    extra.write_text(
        "flows:\n"
        "  - {id: to-proc, from: acme, to: uk-proc, categories: [contact], subjects: [staff],"
        " purpose: support, basis: contract}\n"
        "  - {id: proc-to-ctrl, from: uk-proc, to: uk-ctrl, categories: [contact],"
        " subjects: [staff], purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    dot = read(diagram_dot(audit_files(extra), View(group_by="kind")))
    [onward] = [
        e
        for e in dot.edges
        if e.get("id") == "group:@group/kind/home/hosting->@group/kind/home/training_supplier"
    ]
    assert (onward["constraint"], onward["xlabel"]) == ("false", "1 flow\\n1 with findings")
    assert "label" not in onward


OWN_KINDS = """\
organisation: {id: scoil, name: Scoil Bhride, country: IE, regime: EU, dsar_days: 28}
parties:
  - {id: mis, name: ClassLedger Ltd, kind: mis, country: IE, role: processor}
  - {id: insurer, name: TripCover DAC, kind: insurer, country: IE, role: controller}
  - {id: friend, name: Parents' Association, kind: association, country: IE}
  - {id: host, name: GreenHost, kind: hosting, country: IE, role: controller}
categories: [{id: contact, name: Contact}]
subjects: [{id: parents, name: Parents}]
purposes: [{id: admin, name: Admin}]
flows:
  - {id: to-mis, from: scoil, to: mis, categories: [contact], subjects: [parents], purpose: admin}
  - {id: to-insurer, from: scoil, to: insurer, categories: [contact], subjects: [parents],
     purpose: admin}
  - {id: to-friend, from: scoil, to: friend, categories: [contact], subjects: [parents],
     purpose: admin}
  - {id: to-host, from: scoil, to: host, categories: [contact], subjects: [parents],
     purpose: admin}
"""


def test_a_kind_of_the_maps_own_words_is_shaped_by_the_partys_role(tmp_path: Path) -> None:
    """Auditor review 2026-12-03r, problem 5: the diagram shaped a party by a fixed list of
    Concero's kinds, so an Irish school's MIS supplier and video tool, processors with kinds
    of its own words ('mis', 'video_conferencing'), were drawn as "other party" beside
    GreenHost ('hosting') drawn as a supplier. A kind not on the list is now shaped by the
    party's role (a processor: supplier; a controller: other recipient); one with no role is
    still "other party"; a kind on the list keeps its shape whatever the role. docs/dpo.md
    gives the list and the rule."""
    path = tmp_path / "map.yaml"
    path.write_text(OWN_KINDS, encoding="utf-8")
    dot = diagram_dot(audit_files(path, base=False))
    shapes = {
        attrs["id"].removeprefix("node:"): attrs["shape"]
        for attrs in (attributes(line) for line in dot.splitlines() if 'id="node:' in line)
    }
    assert shapes == {
        "scoil": "box",
        "mis": "component",  # processor: supplier / service provider
        "insurer": "ellipse",  # controller: partner / other recipient
        "friend": "box",  # no role recorded: other party
        "host": "component",  # 'hosting' is on the list: a supplier, whatever its role
    }
    legend = dot.split("<B>Parties and stores</B>", 1)[1].split("</TABLE>")[0]
    assert ">supplier / service provider<" in legend
    assert ">partner / other recipient<" in legend
    assert ">other party<" in legend


def test_a_standalone_grouped_diagram_lists_the_onward_flows_it_does_not_draw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Auditor review 2026-12-03r, problem 6: the standalone `diagram` of a big map said
    "onward flows between other groups (3,027 flows, 73 pairs of groups) are not drawn: see
    the table of groups", a table only `report` prints: the SVG an auditor is given had no
    trace of them. It now lists the undrawn pairs (the first HIDDEN_LISTED,
    with the most flows, then a count naming the report), beside the legend so the page keeps
    its height; the report's drawing, with its table of groups under
    it, keeps pointing there."""
    from tests.synthetic import write_synthetic_map

    folder = write_synthetic_map(tmp_path, 100, 1000, seed=1)
    result = audit(AuditRequest([str(folder)], AS_OF))
    view = View(group_by="country")
    edges = _drawing(result, view)[2]
    onward = [e for e in edges if "synth" not in (e.source, e.target)]
    assert len(onward) == 16 and sum(len(e.flows) for e in onward) == 49
    dot = diagram_dot(result, view)
    assert re.findall(r"onward flows between other groups[^<]*", dot) == [
        "onward flows between other groups (49 flows, 16 pairs of groups) are not drawn:"
        " listed beside the legend"
    ]
    table = dot.split("<B>Onward flows between other groups, not drawn</B>", 1)[1]
    rows = re.findall(
        r'<TR><TD ALIGN="left" BALIGN="left">([^<]*)</TD><TD ALIGN="left" BALIGN="left">'
        r'([^<]*)</TD><TD ALIGN="right">([\d,]+)</TD><TD ALIGN="right">([\d,]+)</TD>',
        table,
    )
    assert len(rows) == diagram_module.HIDDEN_LISTED == 8  # the pairs with the most flows
    counts = sorted((len(e.flows) for e in onward), reverse=True)
    assert [int(row[2]) for row in rows] == counts[:8]
    rest = sum(counts[8:])
    assert (
        f"… and 8 more pairs ({rest} flows): flowaudit report lists every pair in its table"
        " of groups"
    ) in table
    monkeypatch.setattr(diagram_module, "HIDDEN_LISTED", 16)
    every = diagram_dot(result, view).split("<B>Onward flows between other groups, not drawn")[1]
    assert "flowaudit report lists every pair" not in every  # all 16 listed: nothing cut
    assert (
        sum(int(n) for n in re.findall(r'<TD ALIGN="right">([\d,]+)</TD><TD ALIGN="right">', every))
        == 49
    )
    # the report's drawing (key=False) has its table of groups under it, and says so
    report_dot = diagram_module._emit(result, view, *_drawing(result, view), key=False)
    assert "see the table of groups" in report_dot
    assert "Onward flows between other groups, not drawn" not in report_dot
