"""A legal citation is printed whole: the shipped PDF put "Art." at the end of a line and
"49(1)(a)" on the next, and "Art. 5(1)" before "(e)", 33 times (auditor review s20, left
open there). The PDF's input keeps each citation's parts together with a no-break space or
a word joiner; the text a reader copies reads the same, and the HTML report keeps its bytes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from flowaudit.reports.pdf import whole_citations
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool

NBSP = "\u00a0"
JOIN = "\u2060"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        (
            "not an Art. 49(1)(a) explicit consent",
            f"not an Art.{NBSP}49(1){JOIN}(a) explicit consent",
        ),
        ("PECR reg. 22(2); Sch. 21", f"PECR reg.{NBSP}22(2); Sch.{NBSP}21"),
        ("inserted by DUAA 2025 s.103;", f"inserted by DUAA 2025 s.{JOIN}103;"),
        ("Arts. 13 and 14", f"Arts.{NBSP}13 and 14"),
        ("GDPR Art. 5(1)(e)", f"GDPR Art.{NBSP}5(1){JOIN}(e)"),
        # markup around a citation is left as it is
        ('<td title="Art. 28(3)">x</td>', f'<td title="Art.{NBSP}28(3)">x</td>'),
        # a word that merely ends in one of the abbreviations is no citation
        ("the record says. 3 flows", "the record says. 3 flows"),
        ("items. 5 more", "items. 5 more"),
        ("no citation (1)(a) here", "no citation (1)(a) here"),
    ],
)
def test_a_citations_parts_are_kept_together(text: str, printed: str) -> None:
    assert whole_citations(text) == printed


@pytest.mark.xdist_group(REPORT_PDF)
def test_no_printed_citation_is_cut_across_lines(report_pdf: Path) -> None:
    """The shipped report as ``report --pdf`` prints it: no citation's number starts a line
    after its abbreviation ends the one before, and the copied text has plain spaces."""
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, str(report_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.findall(r".{0,40}\b(?:Arts?|regs?|ss?|Sch)\.\s*\n\s*\d.{0,10}", text) == []
    sub_part_cut = r"\b(?:Arts?|regs?|ss?|Sch)\.\s?\d+[A-Za-z]?(?:\([0-9a-z]+\))*\n\([0-9a-z]+\)"
    assert re.findall(sub_part_cut, text) == []
    assert "not an Art. 49(1)(a) explicit consent" in text.replace("\n", " ")
    assert JOIN not in text


@pytest.mark.xdist_group(REPORT_PDF)
def test_the_html_report_keeps_its_citations_as_written(report_pdf: Path) -> None:
    html = (report_pdf.parent / "report.html").read_text(encoding="utf-8")
    assert "not an Art. 49(1)(a) explicit consent" in html
    assert JOIN not in html
