"""Print review s17: the shipped report read page by page as printed.

- Problem 2: the overview page printed the diagram's text at 5.4 pt (its legend at 4.8 pt),
  under the 7 pt floor; it prints in two parts, every text on every landscape page at 7 pt
  or more, measured on the PDF itself.
- The key's caption ("Key to the numbered flows") stood alone at the foot of a page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPORT_PDF
from tests.helpers import require_tool

PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">(.*?)</page>', re.S)
WORD = re.compile(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)<')
#: The running footer ("Page N of M") is set at 8 pt (report.css, @bottom-right).
FOOTER_PT = 8.0


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, str]]]]:
    """Each page's width, height and words, each word with its box's height (pdftotext)."""
    pdftotext = require_tool("pdftotext")
    boxes = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(w), float(h), [(float(b) - float(a), t) for a, b, t in WORD.findall(body)])
        for w, h, body in PAGE.findall(boxes)
    ]


def printed_sizes(words: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Every word's printed size in points: its box's height over that of the footer's
    "Page", which prints at FOOTER_PT (a box is the font's ascent to descent, so the ratio is
    the font's size whatever the font)."""
    page = [height for height, text in words if text == "Page"]
    assert page, "no footer on the page"
    per_point = page[-1] / FOOTER_PT
    return sorted((round(height / per_point, 2), text) for height, text in words)


def test_printed_sizes_read_the_footer_at_8pt() -> None:
    words = [(9.31, "Page"), (9.31, "1"), (6.5, "small"), (18.62, "big")]
    assert printed_sizes(words) == [(5.59, "small"), (8.0, "1"), (8.0, "Page"), (16.0, "big")]


@pytest.mark.heavy
@pytest.mark.xdist_group(REPORT_PDF)
def test_every_text_on_the_diagram_pages_prints_at_7pt_or_more(report_pdf: Path) -> None:
    """Before: the one overview page's smallest text (its legend) printed at 4.84 pt and its
    node text at 5.38 pt. Now each of the two parts is scaled so that its smallest text (the
    legend and the flow labels, 9 pt as laid out) prints at 7 pt or more: 7.02 pt on part 1."""
    landscape = [(n, words) for n, (w, h, words) in enumerate(_pages(report_pdf), 1) if w > h]
    overview = [
        n
        for n, words in landscape
        if "diagram.svg" in [t for _, t in words] and "Overview" in [t for _, t in words]
    ]
    assert len(overview) == 2, overview  # the overview in two parts
    for number, words in landscape:
        smallest = printed_sizes(words)[0]
        assert smallest[0] >= 7.0, (number, smallest)


@pytest.mark.heavy
@pytest.mark.xdist_group(REPORT_PDF)
def test_the_keys_caption_shares_its_page_with_the_first_row(report_pdf: Path) -> None:
    """"Key to the numbered flows" stood alone at the foot of the second overview part's
    page, its rows on the next page."""
    pages = [" ".join(t for _, t in words) for _, _, words in _pages(report_pdf)]
    (page,) = [p for p in pages if "Key to the numbered flows" in p]
    assert "collect-school-" in page  # flow 1's name, the key's first row
