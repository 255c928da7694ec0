"""Auditor review s21: the report as an outside auditor prints and reads it, from a browser's
print of report.html as well as ``report --pdf``, and at 10,000 flows."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import nowrap_citations, render_html
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.pdf import whole_citations
from flowaudit.reports.summary import WarningGroup, warning_groups
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool, run

SPAN = '<span class="cite">{}</span>'

# --- 1. a citation is kept whole in a browser's print of report.html --------------------


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            "<td>not an Art. 49(1)(a) explicit consent</td>",
            f"<td>not an {SPAN.format('Art. 49(1)(a)')} explicit consent</td>",
        ),
        (
            "UK GDPR Art. 44-46; revFADP Art. 9(1)-(2); Arts. 13 and 14",
            f"UK GDPR {SPAN.format('Art. 44-46')}; revFADP {SPAN.format('Art. 9(1)-(2)')}; "
            f"{SPAN.format('Arts. 13')} and 14",
        ),
        (
            "PECR Sch. A1 para 5; DPA 2018 s.164A; PCI DSS v4.0 Req. 3.3.1",
            f"PECR {SPAN.format('Sch. A1')} {SPAN.format('para 5')}; DPA 2018 "
            f"{SPAN.format('s.164A')}; PCI DSS v4.0 {SPAN.format('Req. 3.3.1')}",
        ),
        (
            "(inserted by SI 2019/419); CJEU C-311/18",
            f"(inserted by {SPAN.format('SI 2019/419')}); CJEU {SPAN.format('C-311/18')}",
        ),
        # an attribute, the head, a drawing and a comment are passed over whole
        (
            '<head><title>Art. 5</title></head><td title="Art. 28(3)">x</td>'
            "<svg><text>Art. 5</text></svg><!-- Art. 5 -->",
            '<head><title>Art. 5</title></head><td title="Art. 28(3)">x</td>'
            "<svg><text>Art. 5</text></svg><!-- Art. 5 -->",
        ),
        # escaped markup around a citation stays escaped, and only the citation is wrapped
        ("&lt;b&gt;Art. 5&lt;/b&gt;", f"&lt;b&gt;{SPAN.format('Art. 5')}&lt;/b&gt;"),
        # no citation: a word ending in an abbreviation, another case, a bare sub-part
        (
            "the record says. 3 flows; items. 5 more; art. 5; no citation (1)(a) here",
            "the record says. 3 flows; items. 5 more; art. 5; no citation (1)(a) here",
        ),
    ],
)
def test_a_citation_in_the_html_is_wrapped_whole_and_nothing_else(html: str, kept: str) -> None:
    assert nowrap_citations(html) == kept


def test_the_pdfs_input_takes_the_spans_off_and_keeps_the_citation_by_its_characters() -> None:
    """WeasyPrint broke a line a word early before an unbreakable span ("recipient" alone,
    then "acts as processor (an Art. 28"): the PDF keeps the s20 characters instead."""
    html = nowrap_citations("<p>acts as processor (an Art. 28(3)(a) contract), SI 2019/419</p>")
    assert whole_citations(html) == (
        "<p>acts as processor (an Art.\u00a028(3)\u2060(a) contract), SI\u00a02019/\u2060419</p>"
    )


@pytest.mark.xdist_group(REPORT_PDF)
def test_the_shipped_html_wraps_its_citations_and_its_text_reads_as_written(
    report_pdf: Path,
) -> None:
    html = (report_pdf.parent / "report.html").read_text(encoding="utf-8")
    assert f"not an {SPAN.format('Art. 49(1)(a)')} explicit consent" in html
    assert ".cite { white-space: nowrap; }" in html
    head = html[: html.index("</head>")]
    assert 'class="cite"' not in head
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        assert 'class="cite"' not in svg
    text = re.sub(r"<[^>]+>", "", html[html.index("<body") :])
    assert "not an Art. 49(1)(a) explicit consent" in text
    assert "\u2060" not in html and "\u00a0" not in html


@pytest.mark.heavy
@pytest.mark.needs_browser
@pytest.mark.xdist_group(REPORT_PDF)
def test_a_browsers_print_of_the_shipped_html_cuts_no_citation(
    report_pdf: Path, tmp_path: Path
) -> None:
    """Chromium's print of report.html cut 31 citations before (25 "Art." / "49(1)(a)",
    6 "Art. 5(1)" / "(e)"); every rule keeps its Law line."""
    chromium = require_tool("chromium")
    pdftotext = require_tool("pdftotext")
    printed = tmp_path / "browser.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            (report_pdf.parent / "report.html").as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    text = subprocess.run(
        [pdftotext, str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    abbreviation = r"\b(?:Arts?|regs?|ss?|Sch|Req)\."
    assert re.findall(rf".{{0,40}}{abbreviation}\s*\n\s*\d.{{0,10}}", text) == []
    sub_part = rf"{abbreviation}\s?\d+[A-Za-z]?(?:\([0-9a-z]+\))*\n\([0-9a-z]+\)"
    assert re.findall(sub_part, text) == []
    assert re.findall(r"\bSI\n\d|\bC-\n\d", text) == []
    assert "not an Art. 49(1)(a) explicit consent" in text.replace("\n", " ")
    assert len(re.findall(r"\bLaw: ", text)) == 52
    pages = text.split("\f")[:-1]
    assert len(pages) > 50
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page, number
        assert "flowaudit 0.1.0 · data-flow audit" in page, number


# --- 2. warnings that say the same of different elements print once ----------------------

AS_OF = date(2026, 11, 25)


def _both(flow: str, line: int, party: str, more: int) -> str:
    return (
        f"hub.json:{line}:3: flow '{flow}' moves what reaches {party} both as processor for "
        f"another controller (flows flow-1, flow-2, and {more} more) and as the "
        "organisation's data (flows flow-3), so whose processing it is cannot be told: it "
        "is judged as the organisation's own processing (the worse case), by the transfer, "
        "onward, Art. 28, lawful basis and notice rules, and it is recorded on its Art. 30(1) "
        "record; say whose processing this is (split it into one flow per capacity)"
    )


HEALTH = (
    "shop.yaml:8:4: data category 'hr.health' (Occupational health) reads as "
    "special-category data (the word 'health' in its id; UK GDPR Art. 9(1)), but the map "
    "does not mark it"
)


def test_warnings_differing_only_in_element_place_lists_and_numbers_are_one_kind() -> None:
    warnings = [
        _both("flow-0000116", 26260, "Supplier 5 IN", 8),
        _both("flow-0000131", 26509, "Supplier 3 US", 9),
        HEALTH,
        *(_both(f"flow-{n:07d}", 27000 + n, "Supplier 5 IN", n) for n in range(200, 212)),
    ]
    assert warning_groups(warnings) == [
        WarningGroup(
            first=warnings[0],
            count=13,
            others=tuple(f"'flow-{n:07d}'" for n in range(200, 210)),
        ),
        WarningGroup(first=warnings[1], count=1, others=()),
        WarningGroup(first=HEALTH, count=1, others=()),
    ]
    assert [group.more for group in warning_groups(warnings)] == [2, 0, 0]
    # a warning with no quoted id is named by its place
    assert warning_groups(["a.yaml:1:2: no id here", "a.yaml:3:4: no id here"]) == [
        WarningGroup(first="a.yaml:1:2: no id here", count=2, others=("a.yaml:3:4",))
    ]


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def _summary_paragraphs(html: str) -> list[str]:
    summary = html.split('<h2 id="summary"', 1)[1].split('<h2 id="scope"', 1)[0]
    said = [
        unescape(re.sub(r"<[^>]+>", "", paragraph))
        for paragraph in re.findall(r'<p class="(?:warning|note [^"]*)">(.*?)</p>', summary, re.S)
    ]
    # the shipped map's ASSUMED passes follow the warnings, as they always did
    return [line for line in said if not line.startswith("ASSUMED ")]


def test_the_summary_prints_each_kind_of_warning_once_with_how_many_more(
    shipped: AuditResult,
) -> None:
    """The hub 10,000-flow summary printed 15 near-identical warnings over 2.5 pages."""
    warnings = (
        *(_both(f"flow-{n:07d}", 100 + n, "Supplier 3 US", n) for n in range(1, 14)),
        HEALTH,
        "hub.json:5:4: party '<b>x</b>' is recorded as a joint controller",
        "hub.json:6:4: party 'p-2' is recorded as a joint controller",
    )
    html = render_html(replace(shipped, warnings=warnings), Severity.LOW)
    assert _summary_paragraphs(html) == [
        "16 warnings, of 3 kinds: each kind is printed once below, then how many more say "
        "the same of another element; every warning is in warnings.csv beside this report.",
        f"Warning: {warnings[0]}",
        "… and 12 more warnings like it, each about another element: 'flow-0000002', "
        "'flow-0000003', 'flow-0000004', 'flow-0000005', 'flow-0000006', 'flow-0000007', "
        "'flow-0000008', 'flow-0000009', 'flow-0000010', 'flow-0000011', and 2 more.",
        f"Warning: {HEALTH}",
        "Warning: hub.json:5:4: party '<b>x</b>' is recorded as a joint controller",
        "… and 1 more warning like it, each about another element: 'p-2'.",
    ]
    assert "&#39;&lt;b&gt;x&lt;/b&gt;&#39; is recorded" in html  # escaped, as every input
    markdown = render_markdown(replace(shipped, warnings=warnings), Severity.LOW)
    lines = [line for line in markdown.splitlines() if line.startswith("- ⚠️ Warning:")]
    assert len(lines) == 3
    assert lines[0].endswith(
        "(and 12 more warnings like it, each about another element: 'flow-0000002', "
        "'flow-0000003', 'flow-0000004', 'flow-0000005', 'flow-0000006', 'flow-0000007', "
        "'flow-0000008', 'flow-0000009', 'flow-0000010', 'flow-0000011', and 2 more)"
    )
    assert lines[1] == f"- ⚠️ Warning: {HEALTH}"


def test_past_15_kinds_the_summary_counts_the_warnings_and_kinds_left(
    shipped: AuditResult,
) -> None:
    warnings = (
        *(f"m.yaml:{n}:1: kind {chr(65 + n)} of warning about 'e-{n}'" for n in range(18)),
        "m.yaml:99:1: kind A of warning about 'e-99'",
    )
    html = render_html(replace(shipped, warnings=warnings), Severity.LOW)
    said = _summary_paragraphs(html)
    assert said[0].startswith("19 warnings, of 18 kinds:")
    assert said[1:3] == [
        f"Warning: {warnings[0]}",
        "… and 1 more warning like it, each about another element: 'e-99'.",
    ]
    assert len([line for line in said if line.startswith("Warning:")]) == 15
    assert said[-1] == (
        "… and 3 more warnings of 3 more kinds: every one is in warnings.csv beside this "
        "report, and in the output of flowaudit check."
    )


def test_a_map_whose_warnings_all_differ_prints_them_as_before(shipped: AuditResult) -> None:
    warnings = ("m.yaml:1:1: one thing", "m.yaml:2:1: another thing")
    said = _summary_paragraphs(render_html(replace(shipped, warnings=warnings), Severity.LOW))
    assert said == ["Warning: m.yaml:1:1: one thing", "Warning: m.yaml:2:1: another thing"]


# --- 3. every printed page names the version that wrote it -------------------------------


def _margin_box(html: str, name: str) -> str:
    """The text of an ``@page`` margin box as a CSS parser reads the report's stylesheet
    (the last declaration wins)."""
    import tinycss2

    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    said = ""
    for rule in tinycss2.parse_stylesheet(style, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "page":
            continue
        if any(token.type != "whitespace" for token in rule.prelude):
            continue
        for box in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
            if box.type != "at-rule" or box.lower_at_keyword != name:
                continue
            for declaration in tinycss2.parse_blocks_contents(box.content):
                if declaration.type == "declaration" and declaration.lower_name == "content":
                    said = "".join(
                        t.value if t.type == "string" else f"<{t.type}>"
                        for t in declaration.value
                        if t.type != "whitespace"
                    )
    return said


def test_the_footer_of_every_page_names_flowauditsversion(shipped: AuditResult) -> None:
    html = render_html(shipped, Severity.LOW)
    assert _margin_box(html, "bottom-left") == f"flowaudit {shipped.tool_version} · data-flow audit"
    assert _margin_box(html, "bottom-right").startswith("Page ")


@pytest.mark.xdist_group(REPORT_PDF)
def test_every_page_of_the_shipped_pdf_has_its_date_fingerprint_version_and_number(
    report_pdf: Path,
) -> None:
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(report_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 63
    for number, page in enumerate(pages, start=1):
        assert "flowaudit 0.1.0 · data-flow audit" in page, number
        assert re.search(rf"Page {number} of 63\b", page), number
        if number > 1:  # the cover says them in its own words
            assert re.search(
                r"Concero Technology Services · data-flow audit as of 2026-11-25 · "
                r"fingerprint [0-9a-f]{16}",
                page,
            ), number


# --- 4. the side files are written in pieces, never whole in memory -----------------------


def test_the_side_files_are_made_in_pieces_of_rows_that_join_to_the_same_text(
    shipped: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hub 100,000-flow findings.csv (59 MB) held whole was the report's peak of memory,
    1,125 MiB; written in pieces it is not (auditor review s21)."""
    from flowaudit.reports import side_files as module
    from flowaudit.reports.registers import build_registers

    registers = build_registers(shipped)
    whole = module.side_files(shipped, registers)
    monkeypatch.setattr(module, "CSV_PIECE_ROWS", 10)
    pieces = module.side_file_pieces(shipped, registers)
    assert list(pieces) == list(whole)
    findings = list(pieces["findings.csv"])
    # 57 findings: the header and rows 1-10, then 10 rows a piece, then the last 7
    assert [piece.count("\r\n") for piece in findings] == [11, 10, 10, 10, 10, 7]
    assert findings[0].startswith("id,severity,rules,code,element,flow,parties,location,")
    assert "".join(findings) == whole["findings.csv"]
    for name in whole:
        if name != "findings.csv":
            assert "".join(pieces[name]) == whole[name], name


def test_the_report_writes_each_side_file_from_its_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowaudit.reports import output, side_files

    monkeypatch.setattr(side_files, "CSV_PIECE_ROWS", 10)
    written: list[int] = []
    write = output._write

    def counted(stream: object, data: bytes) -> None:
        written.append(data.count(b"\r\n"))
        write(stream, data)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "_write", counted)
    out = tmp_path / "out"
    done = run(["report", "--as-of", "2026-11-25", "--diagram", "none", "--out", str(out)])
    assert done.exit_code == 1
    assert written[1:7] == [11, 10, 10, 10, 10, 7]  # findings.csv, after report.html
    text = (out / "findings.csv").read_bytes()
    assert text.count(b"\r\n") == 58 and text.startswith(b"id,severity,")
