"""The diagram, trace and ropa commands through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import BASE, FIXTURES, require_tool, run, write_line_of_parties

CHAIN = FIXTURES / "dpo" / "chain.yaml"
AMBIGUOUS = FIXTURES / "dpo" / "ambiguous.yaml"
AS_OF = ["--as-of", "2026-11-25"]


def test_diagram_dot_to_a_file_matches_the_committed_docs(tmp_path: Path) -> None:
    out = tmp_path / "concero.dot"
    result = run(["diagram", *AS_OF, "--format", "dot", "--out", str(out)])
    assert result.exit_code == 0
    docs = Path(__file__).resolve().parents[2] / "docs" / "concero-diagram.dot"
    assert out.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8")


@pytest.mark.needs_dot
def test_diagram_svg_to_stdout_and_png_to_a_file(tmp_path: Path) -> None:
    require_tool("dot")
    svg = run(["diagram", *AS_OF, "--party", "zendesk"])
    assert svg.exit_code == 0
    assert svg.stdout.startswith("<?xml")
    assert 'id="flow:helpdesk&#45;tickets"' in svg.stdout  # dot escapes '-' in SVG
    png = tmp_path / "map.png"
    result = run(["diagram", *AS_OF, "--group-by", "country", "--format", "png", "--out", str(png)])
    assert result.exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.needs_dot
def test_diagram_format_comes_from_the_out_suffix(tmp_path: Path) -> None:
    """``--out map.png`` writes a PNG (it once wrote SVG into it); ``--format`` still wins."""
    require_tool("dot")
    magic = {
        "map.png": b"\x89PNG\r\n\x1a\n",
        "map.pdf": b"%PDF-",
        "map.svg": b"<?xml",
        "map.dot": b"digraph",
        "map.gv": b"digraph",
        "MAP.PNG": b"\x89PNG\r\n\x1a\n",
    }
    for name, start in magic.items():
        out = tmp_path / name
        result = run(["diagram", *AS_OF, "--party", "zendesk", "--out", str(out)])
        assert result.exit_code == 0, (name, result.stderr)
        assert out.read_bytes().startswith(start), name
    forced = tmp_path / "forced.png"
    assert run(["diagram", *AS_OF, "--format", "svg", "--out", str(forced)]).exit_code == 0
    assert forced.read_bytes().startswith(b"<?xml")


@pytest.mark.needs_dot
def test_diagram_pdf_holds_the_key_and_the_transfer_labels(tmp_path: Path) -> None:
    require_tool("dot")
    pdftotext = require_tool("pdftotext")
    out = tmp_path / "map.pdf"
    assert run(["diagram", *AS_OF, "--format", "pdf", "--out", str(out)]).exit_code == 0
    text = subprocess.run(
        [pdftotext, "-layout", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Key to the numbered flows" in text
    assert "EU-US Privacy Shield: NOT" in text
    assert "Customer schools → Concero Technology Services" in text


def test_diagram_unknown_out_suffix_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "map.txt"
    result = run(["diagram", *AS_OF, "--out", str(out)])
    assert result.exit_code == 2
    assert "cannot tell the format from --out" in result.stderr
    assert "(.svg, .png, .pdf, .dot, .gv) or --format" in result.stderr
    assert not out.exists()
    pdf = run(["diagram", "--format", "pdf"])
    assert pdf.exit_code == 2
    assert "--format pdf needs --out FILE" in pdf.stderr


def test_diagram_without_dot_writes_dot_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    out = tmp_path / "map.svg"
    result = run(["diagram", *AS_OF, "--out", str(out)])
    assert result.exit_code == 0
    assert not out.exists()
    assert (tmp_path / "map.dot").read_text(encoding="utf-8").startswith("digraph flowaudit {")
    assert "SVG and PNG need Graphviz's 'dot' program" in result.stderr
    assert "Debian/Ubuntu package 'graphviz'" in result.stderr
    assert f"render it with: dot -Tsvg {tmp_path / 'map.dot'} -o {out}" in result.stderr
    to_stdout = run(["diagram", *AS_OF])
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout.startswith("digraph flowaudit {")
    assert "wrote the DOT source to standard output" in to_stdout.stderr


def test_diagram_usage_errors_exit_2() -> None:
    png = run(["diagram", "--format", "png"])
    assert png.exit_code == 2
    assert "--format png needs --out FILE" in png.stderr
    unknown = run(["diagram", "--format", "dot", "--party", "zendesc"])
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "flowaudit: unknown party or system 'zendesc' (did you mean 'zendesk'?)\n"
    )


def test_diagram_of_an_empty_view_warns() -> None:
    result = run(["diagram", "--format", "dot", "--category", "web", "--subject", "pupils"])
    assert result.exit_code == 0
    assert "no flow matches this view; the diagram is empty" in result.stderr


def test_diagram_bad_map_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("parties: [\n", encoding="utf-8")
    result = run(["diagram", "--format", "dot", str(bad)])
    assert result.exit_code == 2
    assert "nothing was checked" in result.stderr


def test_trace_text_shows_a_three_hop_path_with_countries() -> None:
    result = run(["trace", "contact.email", "--flows-only", str(BASE), str(CHAIN)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "contact.email (Email, data category) reaches 6 places in 3 countries (DE, GB, IN) "
        "from 2 starting points.",
        "Outside the exporter's jurisdiction (UK): DE, IN.",
    ]
    assert (
        "IN  in-vendor: Indian Vendor (service_provider)\n"
        "    acme (GB) -[to-proc]-> uk-proc (GB) -[proc-to-de]-> de-host (DE) "
        "-[de-to-in]-> in-vendor (IN)\n"
    ) in result.stdout
    assert "starts here: sends it, and no flow of the map brings it here" in result.stdout


def test_trace_json_through_owners(tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    result = run(
        ["trace", "contact.email", "--format", "json", "--out", str(out), str(BASE), str(CHAIN)]
    )
    assert result.exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["query"] == {
        "category": "contact.email",
        "subject": None,
        "through_owners": True,
    }
    assert document["countries"] == ["DE", "GB", "IN"]
    assert document["outside_jurisdiction"] == ["DE", "IN"]
    vendor = next(r for r in document["reached"] if r["node"] == "in-vendor")
    assert vendor["length"] == 5
    assert vendor["outside_jurisdiction"] is True
    assert [(h["node"], h["link"], h["flow"]) for h in vendor["path"]] == [
        ("uk-ctrl", "origin", None),
        ("acme-db", "flow", "collect"),
        ("acme", "owner", None),
        ("uk-proc", "flow", "to-proc"),
        ("de-host", "flow", "proc-to-de"),
        ("in-vendor", "flow", "de-to-in"),
    ]


def test_trace_cuts_a_long_path_to_its_start_and_last_links(tmp_path: Path) -> None:
    """Attack review 2026-12-03k, problem 2: on a chain every place's whole path was printed,
    168 MB of text for 4,000 parties in a line. A path of up to 12 links is printed whole; a
    longer one by its start, how many links are cut and its last 12, from the place listed
    above whose path is the rest."""
    line = write_line_of_parties(tmp_path, 14)
    result = run(["trace", "contact.email", "--flows-only", str(BASE), str(line)])
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[:3] == [
        "contact.email (Email, data category) reaches 15 places in 1 country (GB) "
        "from 1 starting point.",
        "All within the exporter's jurisdiction (UK).",
        "2 paths longer than 12 links are shown by their start and last 12 links, from a place "
        "listed above: its path is the rest.",
    ]
    whole = " ".join(f"-[f{i}]-> p{i} (GB)" for i in range(12))
    assert f"GB  p11: P11 (hosting)\n    acme (GB) {whole}\n" in text
    tail = " ".join(f"-[f{i}]-> p{i} (GB)" for i in range(2, 14))
    assert (
        "GB  p13: P13 (hosting)\n"
        f"    acme (GB) … 2 links not shown: the path of p1 above … p1 (GB) {tail}\n"
    ) in text
    assert "    acme (GB) … 1 link not shown: the path of p0 above … p0 (GB) -[f1]-> p1" in text


def test_trace_output_grows_with_a_chain_not_its_square(tmp_path: Path) -> None:
    """Attack review 2026-12-03k, problem 2: no line of the text and no JSON path holds more
    than 12 links, whatever the chain's length (the JSON of 4,000 parties in a line was 1 GB,
    4.6 GB of memory); the JSON's path_cut says how many links come before its first hop,
    whose own entry has them, so the whole path can be rebuilt."""
    line = write_line_of_parties(tmp_path, 300)
    text = run(["trace", "contact.email", "--flows-only", str(BASE), str(line)]).stdout
    assert max(row.count("->") for row in text.splitlines()) == 12
    assert len(text) < 300 * 400
    data = json.loads(
        run(
            ["trace", "contact.email", "--flows-only", "--format", "json", str(BASE), str(line)]
        ).stdout
    )
    assert data["path_limit"] == 12
    reached = {entry["node"]: entry for entry in data["reached"]}
    assert [
        (reached[n]["length"], reached[n]["path_cut"], len(reached[n]["path"]))
        for n in ("acme", "p10", "p11", "p12", "p299")
    ] == [(0, 0, 1), (11, 0, 12), (12, 0, 13), (13, 1, 13), (300, 288, 13)]
    for entry in data["reached"]:
        assert entry["path_cut"] + len(entry["path"]) - 1 == entry["length"]
    last = reached["p299"]
    assert last["path"][0] == {"node": "p287", "country": "GB", "link": "flow", "flow": "f287"}
    rebuilt = last["path"]
    while reached[rebuilt[0]["node"]]["path_cut"]:
        rebuilt = reached[rebuilt[0]["node"]]["path"] + rebuilt[1:]
    rebuilt = reached[rebuilt[0]["node"]]["path"] + rebuilt[1:]
    assert [(h["node"], h["link"], h["flow"]) for h in rebuilt] == [
        ("acme", "origin", None),
        *((f"p{i}", "flow", f"f{i}") for i in range(300)),
    ]


def test_trace_pupils_on_concero() -> None:
    """Recorded flows and flows that only may carry pupil data (tickets, MIS support): the
    second kind is what shows the schools' data reaching Zendesk in the US."""
    result = run(["trace", "pupils"])
    assert result.exit_code == 0
    assert result.stdout == (
        "pupils (Pupils, data subject) reaches 11 places in 3 countries (GB, IE, US) "
        "from 1 starting point.\n"
        "9 of them only through flows that may carry it (may_carry), marked 'may carry'.\n"
        "Outside the exporter's jurisdiction (UK): IE, US.\n"
        "\n"
        "GB  customer-schools: Customer schools (customer)\n"
        "    starts here: sends it, and no flow of the map brings it here\n"
        "\n"
        "GB  concero: Concero Technology Services (organisation)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB)\n"
        "\n"
        "IE  eea-servers: EEA servers (system)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-eea, "
        "may carry]-> eea-servers (IE)\n"
        "\n"
        "US  helpdesk: Concero Zendesk portal (system)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) "
        "-[helpdesk-tickets, may carry]-> helpdesk (US)\n"
        "\n"
        "GB  mis-support: Third-party MIS support firm (not named) (mis_support)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) "
        "-[mis-third-party-support, may carry]-> mis-support (GB)\n"
        "\n"
        "GB  uk-servers: UK servers (system)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-uk, "
        "may carry]-> uk-servers (GB)\n"
        "\n"
        "US  us-servers: US servers (system)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-us, "
        "may carry]-> us-servers (US)\n"
        "\n"
        "IE  eea-hosting: EEA hosting provider (not named) (hosting)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-eea, "
        "may carry]-> eea-servers (IE) -(held by)-> eea-hosting (IE)\n"
        "\n"
        "GB  uk-hosting: UK hosting provider (not named) (hosting)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-uk, "
        "may carry]-> uk-servers (GB) -(held by)-> uk-hosting (GB)\n"
        "\n"
        "US  us-hosting: US hosting provider (not named) (hosting)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) -[hosting-us, "
        "may carry]-> us-servers (US) -(held by)-> us-hosting (US)\n"
        "\n"
        "US  zendesk: Zendesk, Inc. (helpdesk)\n"
        "    customer-schools (GB) -[school-server-work]-> concero (GB) "
        "-[helpdesk-tickets, may carry]-> helpdesk (US) -(held by)-> zendesk (US)\n"
    )


def test_trace_a_store_that_declares_the_data() -> None:
    result = run(["trace", "contact.email"])
    assert (
        "GB  billing: Orders and billing (system)\n"
        "    stored here: the system declares it (contact)\n"
    ) in result.stdout


def test_trace_says_how_a_cycle_with_no_way_in_starts() -> None:
    """Auditor review 2026-12-03g, problem 8: `trace` called a place on a cycle one that "no
    flow of the map brings it here" and hid the hop into it; the organisation that sends the
    data is the start, and a cycle nothing feeds says so."""
    cycle = FIXTURES / "dpo" / "cycle.yaml"
    recording = run(["trace", "recording", str(BASE), str(cycle)])
    assert recording.exit_code == 0
    assert recording.stdout.split("\n\n", 1)[1] == (
        "GB  acme: Acme Ltd (organisation)\n"
        "    starts here: sends it, and no flow of the map brings it here\n"
        "\n"
        "GB  abacus: Abacus Checks (dbs_umbrella)\n"
        "    acme (GB) -[to-checks]-> abacus (GB)\n"
        "\n"
        "GB  recordings: Call recordings (system)\n"
        "    acme (GB) -[to-checks]-> abacus (GB) -[checks-back]-> recordings (GB)\n"
    )
    payment = run(["trace", "payment", str(BASE), str(cycle)])
    assert (
        "GB  abacus: Abacus Checks (dbs_umbrella)\n"
        "    starts here: sends it, and flows bring it here only round a cycle that no other"
        " place of the map feeds (the trace starts the cycle at its first sender by id)\n"
    ) in payment.stdout
    data = json.loads(run(["trace", "payment", str(BASE), str(cycle), "--format", "json"]).stdout)
    assert data["reached"][0]["path"] == [
        {"country": "GB", "flow": None, "link": "cycle", "node": "abacus"}
    ]


def test_trace_nothing_carries_it() -> None:
    result = run(["trace", "health", str(BASE), str(CHAIN)])
    assert result.exit_code == 0
    assert (
        result.stdout
        == "health (Health, data category): no flow or system of the map carries it.\n"
    )


def test_trace_unknown_and_ambiguous_ids_exit_2() -> None:
    unknown = run(["trace", "pupil"])
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "flowaudit: 'pupil' is neither a data category nor a data subject of the map "
        "(did you mean 'pupils'?); no map was named, so the shipped Concero map was read: "
        "name yours after the id (flowaudit trace ID PATH)\n"
    )
    # the one "did you mean" of the loader: a dotted id is found by its last part too; a
    # map that was named is not said to be the shipped one
    leaf = run(["trace", "card", str(shipped_map_dir())])
    assert leaf.exit_code == 2
    assert leaf.stderr.endswith("(did you mean 'payment.card'?)\n")
    ambiguous = run(["trace", "pupils", str(BASE), str(AMBIGUOUS)])
    assert ambiguous.exit_code == 2
    assert "'pupils' is both a data category and a data subject; add --as" in ambiguous.stderr
    as_category = run(["trace", "pupils", "--as", "category", str(BASE), str(AMBIGUOUS)])
    assert as_category.exit_code == 0
    assert as_category.stdout.startswith("pupils (Pupil records, data category) reaches 2 places")


def test_trace_bad_map_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: {id: x}\n", encoding="utf-8")
    result = run(["trace", "contact", str(bad)])
    assert result.exit_code == 2


def test_ropa_csv_on_concero(tmp_path: Path) -> None:
    out = tmp_path / "ropa.csv"
    result = run(["ropa", *AS_OF, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(rows) == 1 + 15
    assert rows[0][:3] == ["Business function", "Purpose of processing", "Joint controller"]


def test_ropa_md_and_html_to_stdout() -> None:
    markdown = run(["ropa", *AS_OF])
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Record of processing activities (UK GDPR Art. 30(1))\n")
    html = run(["ropa", *AS_OF, "--format", "html"])
    assert html.exit_code == 0
    assert html.stdout.startswith("<!DOCTYPE html>")
    assert html.stdout.count('<tr id="activity-') == 15


def test_diagram_of_a_big_map_is_grouped_by_country_unless_asked(tmp_path: Path) -> None:
    from flowaudit.reports.diagram import FULL_LIMIT

    big = tmp_path / "big.yaml"
    big.write_text(
        "flows:\n"
        + "".join(
            f"  - {{id: f{n:04d}, from: acme, to: uk-proc, categories: [contact], "
            "subjects: [staff], purpose: support, basis: contract}\n"
            for n in range(FULL_LIMIT + 1)
        ),
        encoding="utf-8",
    )
    grouped = run(["diagram", str(BASE), str(big), *AS_OF, "--format", "dot"])
    assert grouped.exit_code == 0
    assert f"{FULL_LIMIT + 1} flows are too many to draw one by one" in grouped.stderr
    assert "grouped by country" in grouped.stdout and 'id="flow:f0000"' not in grouped.stdout
    full = run(["diagram", str(BASE), str(big), *AS_OF, "--format", "dot", "--group-by", "none"])
    assert full.exit_code == 0 and full.stderr == ""
    assert 'id="flow:f0000"' in full.stdout
