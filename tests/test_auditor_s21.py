"""Auditor review s21: the report as an outside auditor prints and reads it, from a browser's
print of report.html as well as ``report --pdf``, and at 10,000 flows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from flowaudit.reports.html import nowrap_citations
from flowaudit.reports.pdf import whole_citations
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool

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
    assert re.search(r"Page 1 of \d+", text)
