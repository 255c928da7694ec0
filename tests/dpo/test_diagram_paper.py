"""The diagram at scale and on paper: label geometry, the bounded grouped views, the PDF split.

Geometry is read from Graphviz's own layout (``dot -Tjson``): where it put every label and
every cluster's bounding box, so a label crossing a border fails here, not only in a picture.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import plural
from flowaudit.reports.diagram import (
    GROUP_LIMIT,
    MIN_SCALE,
    PAGE_HEIGHT_PT,
    PAGE_WIDTH_PT,
    View,
    _drawing,
    diagram_dot,
    draw_for_report,
    print_pages,
    svg_size,
)
from tests.conftest import REPORT_PDF
from tests.dpo.dot import read
from tests.helpers import audit_paths as audit
from tests.helpers import require_tool
from tests.synthetic import write_synthetic_map

AS_OF = date(2026, 11, 25)
Box = tuple[float, float, float, float]

pytestmark = pytest.mark.needs_dot


def layout(source: str) -> dict[str, Any]:
    """Graphviz's layout of DOT source, as its JSON output."""
    dot = require_tool("dot")
    done = subprocess.run([dot, "-Tjson"], input=source.encode(), capture_output=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def text_boxes(operations: list[dict[str, Any]]) -> list[Box]:
    """The boxes of the text a label draws (xdot ``T`` operations; y grows upwards)."""
    size = 14.0
    boxes = []
    for op in operations:
        if op["op"] == "F":
            size = float(op["size"])
        elif op["op"] == "T":
            x, y = op["pt"]
            width = float(op["width"])
            left = {"l": x, "c": x - width / 2, "r": x - width}[op["align"]]
            boxes.append((left, y - 0.25 * size, left + width, y + 0.8 * size))
    return boxes


def label_crossings(graph: dict[str, Any]) -> list[str]:
    """Every edge label not wholly inside the cluster holding both its ends, or not wholly
    outside a cluster it does not belong to (a label over a border)."""
    clusters: dict[str, tuple[Box, set[int]]] = {}
    for obj in graph.get("objects", []):
        if obj.get("name", "").startswith("cluster") and "bb" in obj:
            a, b, c, d = map(float, obj["bb"].split(","))
            clusters[obj["name"]] = ((a, b, c, d), set(obj.get("nodes", [])))
    names = {obj["_gvid"]: obj["name"] for obj in graph["objects"]}
    bad = []
    for edge in graph.get("edges", []):
        home = {
            name
            for name, (_, members) in clusters.items()
            if edge["tail"] in members and edge["head"] in members
        }
        for key in ("_ldraw_", "_hldraw_", "_tldraw_", "_xldraw_"):
            for x0, y0, x1, y1 in text_boxes(edge.get(key, [])):
                for name, ((a0, b0, a1, b1), _) in clusters.items():
                    inside = a0 <= x0 and x1 <= a1 and b0 <= y0 and y1 <= b1
                    outside = x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0
                    if (name in home and not inside) or (name not in home and not outside):
                        bad.append(f"{names[edge['tail']]} -> {names[edge['head']]} on {name}")
    return bad


def size_of(graph: dict[str, Any]) -> tuple[float, float]:
    _, _, width, height = map(float, graph["bb"].split(","))
    return width, height


@pytest.fixture(scope="module")
def concero() -> AuditResult:
    return audit([], AS_OF)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """A generated map of 60 flows over a dozen countries: drawn in full, too big for a page."""
    folder = write_synthetic_map(tmp_path_factory.mktemp("medium"), 30, 60, seed=2)
    return audit([str(folder)], AS_OF)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """A generated map of 10,000 flows."""
    folder = write_synthetic_map(tmp_path_factory.mktemp("big"), 1000, 10_000, seed=1)
    return audit([str(folder)], AS_OF)


@pytest.fixture(scope="module")
def big_view(big: AuditResult) -> Callable[[str], str]:
    """The DOT source of the 10,000-flow map's grouped view by country or kind, drawn once per
    grouping for the three tests that read it (0.6 s each)."""

    @functools.cache
    def source(group_by: str) -> str:
        return diagram_dot(big, View(group_by=group_by))  # type: ignore[arg-type]

    return source


def test_the_label_checker_sees_a_label_on_a_border() -> None:
    def graph(x: float) -> dict[str, Any]:
        text = {"op": "T", "pt": [x, 50.0], "align": "c", "width": 60.0, "text": "label"}
        return {
            "objects": [
                {"_gvid": 0, "name": "cluster_a", "bb": "0,0,100,100", "nodes": [1, 2]},
                {"_gvid": 1, "name": "a"},
                {"_gvid": 2, "name": "b"},
                {"_gvid": 3, "name": "c"},
            ],
            "edges": [{"tail": 1, "head": 3, "_ldraw_": [{"op": "F", "size": 9.0}, text]}],
        }

    assert label_crossings(graph(100.0)) == ["a -> c on cluster_a"]  # astride the border
    assert label_crossings(graph(200.0)) == []  # outside the cluster it is not in
    inner = graph(50.0)
    inner["edges"][0]["head"] = 2
    assert label_crossings(inner) == []  # inside the cluster holding both ends
    inner["edges"][0]["_ldraw_"][1]["pt"] = [200.0, 50.0]
    assert label_crossings(inner) == ["a -> b on cluster_a"]  # outside its own cluster


@pytest.mark.parametrize("group_by", [None, "country", "kind"])
def test_no_label_crosses_a_cluster_border_on_the_shipped_map(
    concero: AuditResult, group_by: str | None
) -> None:
    graph = layout(diagram_dot(concero, View(group_by=group_by)))  # type: ignore[arg-type]
    assert label_crossings(graph) == []


@pytest.mark.parametrize("group_by", [None, "country", "kind"])
def test_no_label_crosses_a_cluster_border_on_a_generated_map(
    medium: AuditResult, group_by: str | None
) -> None:
    graph = layout(diagram_dot(medium, View(group_by=group_by)))  # type: ignore[arg-type]
    assert len(graph["objects"]) > 20  # a real test: many nodes, clusters and edges
    assert label_crossings(graph) == []


@pytest.mark.heavy
@pytest.mark.xdist_group("big_map")  # one worker builds the 10,000-flow audit, once
def test_the_10k_country_view_is_bounded_and_readable(big_view: Callable[[str], str]) -> None:
    source = big_view("country")
    dot = read(source)
    groups = [e for e in dot.edges if e.get("id", "").startswith("group:")]
    drawn = {e["id"] for e in groups if not e["id"].endswith(":head")}
    # At most: to and from each of GROUP_LIMIT groups and up to five "other" groups, plus
    # our own systems' loop. (Before: 110 edges, every country to every country.)
    assert len(drawn) <= 2 * (GROUP_LIMIT + 5) + 1
    nodes = {n for members in dot.clusters.values() for n in members}
    assert len(nodes) <= GROUP_LIMIT + 5 + 1
    assert any(n.startswith("@group/other/") for n in nodes)  # the rest folded, by level
    assert "onward flows between other groups" in source  # what is not drawn is said
    graph = layout(source)
    width, height = size_of(graph)
    assert width <= 1500 and height <= 1100, (width, height)  # was 3,731 x 2,722 pt
    assert label_crossings(graph) == []


@pytest.mark.heavy
@pytest.mark.xdist_group("big_map")
def test_the_grouped_views_put_the_organisation_left_and_trust_in_columns(
    big_view: Callable[[str], str],
) -> None:
    graph = layout(big_view("country"))
    x = {
        obj["name"]: float(obj["pos"].split(",")[0])
        for obj in graph["objects"]
        if "pos" in obj and obj["name"].startswith(("@group/", "synth"))
    }
    adequate = [x[n] for n in x if n.split("/")[-1] in {"IE", "DE", "FR", "NL", "CA", "JP", "CH"}]
    adequate += [x[n] for n in x if n == "@group/other/adequate"]
    third = [x[n] for n in x if n.split("/")[-1] in {"US", "IN", "BR", "third", "listed"}]
    assert adequate and third
    assert x["synth"] < x["@group/country/GB"] < min(adequate)
    assert max(adequate) < min(third)


def test_a_small_map_prints_its_diagram_on_one_readable_page(tmp_path: Path) -> None:
    result = audit([str(write_synthetic_map(tmp_path, 3, 4, seed=2))], AS_OF)
    drawn = draw_for_report(result)
    assert drawn.svg is not None
    pages = print_pages(result, drawn)
    assert len(pages) == 1 and pages[0].title == ""  # the drawing itself, no split
    assert pages[0].scale >= MIN_SCALE
    assert (pages[0].width_pt, pages[0].height_pt) == pytest.approx(
        tuple(side * pages[0].scale for side in svg_size(drawn.svg))
    )
    assert f'width="{pages[0].width_pt:.1f}pt"' in pages[0].svg  # sized for paper


def test_the_shipped_map_is_too_big_for_one_page_and_prints_an_overview_in_parts(
    concero: AuditResult,
) -> None:
    """Concero's full diagram is 1,810 x 1,340 pt: on one landscape page its node text would
    print at 3.3 pt. It was split into a legend, an overview in two parts and a page per
    trust boundary (8 pages), then into one overview page at 5.4 pt (report review s17); it
    now prints as the overview grouped by country in two parts, each with its legend, every
    page at 7 pt or more (print review s17, problem 2)."""
    pages = print_pages(concero, draw_for_report(concero))
    assert [p.title.split(":")[0] for p in pages] == [
        "Overview by country, part 1 of 2",
        "Overview by country, part 2 of 2",
    ]
    for page in pages:
        assert page.overview and page.scale >= MIN_SCALE, page.title
        assert "critical finding" in page.svg  # each part carries its legend
        assert "Trust boundary" not in page.title


def test_a_map_too_big_for_a_page_prints_its_overview_in_readable_parts(
    medium: AuditResult,
) -> None:
    drawn = draw_for_report(medium)
    assert drawn.view == "full" and drawn.svg is not None
    width, height = svg_size(drawn.svg)
    assert min(PAGE_WIDTH_PT / width, PAGE_HEIGHT_PT / height) < MIN_SCALE  # too small whole
    pages = print_pages(medium, drawn)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.title.startswith(f"Overview by country, part {number} of {len(pages)}: ")
        assert page.overview and page.scale >= MIN_SCALE, page.title  # node text at 7 pt+
        assert page.width_pt <= PAGE_WIDTH_PT + 0.1 and page.height_pt <= PAGE_HEIGHT_PT + 0.1
        assert label_crossings(layout(page.dot)) == [], page.title
        # a full diagram's report has no table of groups: the flows a part leaves out are
        # in the key to the numbered flows and in diagram.svg
        assert "see the table of groups" not in page.dot
    notes = [re.findall(r"are not drawn: see [^<]*", page.dot) for page in pages]
    assert ["are not drawn: see the key below and diagram.svg"] in notes


@pytest.mark.heavy
@pytest.mark.xdist_group(REPORT_PDF)
def test_the_pdf_prints_the_overview_in_place_of_the_boundary_pages(
    report_pdf: Path,
) -> None:
    """Concero's report on paper (rendered once for the PDF tests): its full diagram, at 3 pt
    on one page, was split into an overview and a page per trust boundary, 8 landscape pages
    for 21 flows; it is now the one overview page, grouped by country, naming diagram.svg
    beside the report for every flow (report review s17, problem 4), in two readable parts
    (print review s17, problem 2). No page says "Trust boundary", and the caption says
    nothing of boundary pages (that split is gone)."""
    pdftotext = require_tool("pdftotext")
    from pypdf import PdfReader

    reader = PdfReader(report_pdf)
    sizes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    overview = []
    for number, size in enumerate(sizes, start=1):
        if size != (842, 595):
            continue
        plain = subprocess.run(
            [pdftotext, "-f", str(number), "-l", str(number), str(report_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Trust boundary: " not in plain, number
        if "is drawn in diagram.svg beside this report" in " ".join(plain.split()):
            overview.append(number)
    assert len(overview) == 2 and overview[1] == overview[0] + 1
    html = (report_pdf.parent / "report.html").read_text(encoding="utf-8")
    assert "The page of the organisation's own boundary" not in html
    assert html.count("is drawn in diagram.svg beside this report") == 2


WORD = re.compile(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)<')


def _words(bbox_html: str) -> list[tuple[str, str, str]]:
    """(top, bottom, text) of every word pdftotext -bbox found."""
    return WORD.findall(bbox_html)


def test_a_small_maps_few_onward_flows_are_drawn_unlabelled(medium: AuditResult) -> None:
    source = diagram_dot(medium, View(group_by="country"))
    onward = [
        e
        for e in read(source).edges
        if e.get("id", "").startswith("group:")
        and not e["id"].endswith(":head")
        and "synth" not in (e["tail"], e["head"])
    ]
    assert len(onward) == 1  # between two countries, not through the organisation
    assert onward[0]["constraint"] == "false" and "label" not in onward[0]
    assert "onward flows between other groups" not in source  # nothing left out


@pytest.mark.heavy
@pytest.mark.xdist_group("big_map")  # with the other readers of ``big``: built once, not per worker
@pytest.mark.parametrize("group_by", ["country", "kind"])
def test_the_10k_grouped_views_print_readably_split_by_trust_boundary(
    big: AuditResult, big_view: Callable[[str], str], group_by: str
) -> None:
    """The 10k grouped view printed at 4.7 pt on one page; it now prints on pages of whole
    trust boundaries, each at 7 pt or more, every group drawn on exactly one page."""
    drawn = draw_for_report(big, group_by)  # type: ignore[arg-type]
    assert drawn.view == group_by and drawn.svg is not None
    width, height = svg_size(drawn.svg)
    assert min(PAGE_WIDTH_PT / width, PAGE_HEIGHT_PT / height) < MIN_SCALE  # too small whole
    pages = print_pages(big, drawn)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.title == f"Grouped by {group_by}, part {number} of {len(pages)}"
        assert "grouped by " + group_by + ": " in page.dot  # the drawing names its boundaries
        assert page.node_text_pt >= 7.0, page.title
        assert page.width_pt <= PAGE_WIDTH_PT + 0.1 and page.height_pt <= PAGE_HEIGHT_PT + 0.1
    whole = {n for members in read(big_view(group_by)).clusters.values() for n in members}
    drawn_on = [
        {n for members in read(page.dot).clusters.values() for n in members} for page in pages
    ]
    groups = {n for n in whole if n.startswith("@group/")}
    assert groups and all(sum(n in on_page for on_page in drawn_on) == 1 for n in groups), (
        "every group on exactly one page"
    )
    assert all("synth" in on_page for on_page in drawn_on)  # the organisation on every page
    # auditor review 2026-12-03o, problem 6: a flow between groups on two different parts is
    # drawn on neither, and only one part of four said anything; each part now says how many
    # flows (and pairs of groups) with one end on it it leaves out
    edges = _drawing(big, View(group_by=group_by))[2]  # type: ignore[arg-type]
    said = []
    for page, on_page in zip(pages, drawn_on, strict=True):
        cut = [
            e
            for e in edges
            if "synth" not in (e.source, e.target)
            and (e.source in on_page) != (e.target in on_page)
        ]
        notes = re.findall(r"flows between a group on this part[^<]*", page.dot)
        said.append(bool(notes))
        assert notes == (
            [
                "flows between a group on this part and one on another part"
                f" ({plural(sum(len(e.flows) for e in cut), 'flow')},"
                f" {plural(len(cut), 'pair')} of groups) are not drawn: see the table of groups"
            ]
            if cut
            else []
        ), page.title
    assert any(said)
