"""Print review s17: the shipped report read page by page as printed.

- Problem 2: the overview page printed the diagram's text at 5.4 pt (its legend at 4.8 pt),
  under the 7 pt floor; it prints in two parts, every text on every landscape page at 7 pt
  or more, measured on the PDF itself.
- The key's caption ("Key to the numbered flows") stood alone at the foot of a page.
- Problem 4: each rule's list of passed elements in a summarised report printed 25 elements,
  each with its note, about half a page per rule on the 100,000-flow hub map; it prints
  RULE_PASSES_SHOWN, then how many more and that passed.csv holds every pass.
"""

from __future__ import annotations

import csv
import html as markup
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from flowaudit.reports.bounds import RULE_PASSES_SHOWN
from flowaudit.reports.side_files import PASSED_CSV
from tests.conftest import REPORT_PDF
from tests.helpers import require_tool, run, without_cite_spans
from tests.synthetic import write_synthetic_map

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
    """ "Key to the numbered flows" stood alone at the foot of the second overview part's
    page, its rows on the next page."""
    pages = [" ".join(t for _, t in words) for _, _, words in _pages(report_pdf)]
    (page,) = [p for p in pages if "Key to the numbered flows" in p]
    assert "collect-school-" in page  # flow 1's name, the key's first row


# --- problem 4: the passed elements of a summarised rule section --------------------------


def _report(folder: Path, *summarise: str) -> Path:
    data = write_synthetic_map(folder / "map", 15, 60) / "map.json"
    out = folder / "report"
    result = run(
        [
            "report",
            str(data),
            "--as-of",
            "2026-11-25",
            "--diagram",
            "none",
            *summarise,
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 1, result.output
    return out


#: An element at the start of the list or after its separator (a note in brackets may hold
#: commas of its own).
ELEMENT = re.compile(
    r"(?:^|, )((?:flows|systems|organisation|subjects|parties|purposes|agreements)/[^\s,()]+)"
)
SECTION = re.compile(r'<section class="rule [a-z]+" id="rule-([^"]+)">(.*?)</section>', re.S)
EVIDENCE = re.compile(
    r'<p class="evidence"><strong>Passed on ([0-9,]+) elements?:</strong> '
    r'<span class="mono">([^<]*)</span>(.*?)</p>',
    re.S,
)


def _evidence(html: str) -> list[tuple[str, str, str, str]]:
    """(rule, count, elements shown, what follows them) of each rule section with passes."""
    found = []
    for rule, body in SECTION.findall(html):
        evidence = EVIDENCE.search(body)
        if evidence is not None:
            found.append((rule, *evidence.groups()))
    return found


def test_a_summarised_rule_section_prints_its_first_passes_and_points_at_passed_csv(
    tmp_path: Path,
) -> None:
    out = _report(tmp_path, "--summarise-above", "50")
    html = (out / "report.html").read_text(encoding="utf-8")
    with (out / PASSED_CSV).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    per_rule: dict[str, list[str]] = {}
    for row in rows:
        per_rule.setdefault(row["rule"], []).append(row["element"])
    sections = _evidence(html)
    assert sections
    cut = 0
    for rule, total, shown, rest in sections:
        count = int(total.replace(",", ""))
        assert count == len(per_rule[rule]), rule  # the count is passed.csv's lines of the rule
        elements = ELEMENT.findall(markup.unescape(shown))
        assert len(elements) == min(count, RULE_PASSES_SHOWN), rule
        assert elements == per_rule[rule][: len(elements)], rule  # its first passes, in order
        if count > RULE_PASSES_SHOWN:
            cut += 1
            assert rest == (
                f' <span class="muted">and {count - RULE_PASSES_SHOWN:,} more; every pass is a '
                f'line of <span class="mono">passed.csv</span> beside this report (its '
                f'<span class="mono">rule</span> column names <span class="mono">{rule}</span>).'
                "</span>"
            ), rule
        else:
            assert rest == "", rule
    assert cut, "no rule's passes were cut: the fixture tests nothing"


def test_an_unsummarised_report_lists_every_pass_of_each_rule(tmp_path: Path) -> None:
    out = _report(tmp_path)
    html = without_cite_spans((out / "report.html").read_text(encoding="utf-8"))
    with (out / PASSED_CSV).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sections = _evidence(html)
    assert sections
    listed = sum(len(ELEMENT.findall(markup.unescape(shown))) for _, _, shown, _ in sections)
    assert listed == len(rows)
    assert "every pass is a line of" not in html


# --- a location too wide for its column ----------------------------------------------------


@pytest.mark.heavy
def test_a_long_location_fits_its_column_in_the_rule_sections(tmp_path: Path) -> None:
    """On the 100,000-flow hub map's PDF "hub_100000.json:277519:3" (kept whole: a location
    never breaks inside file:line:col) ran out of the rule sections' "where" column into the
    finding beside it. A map file named so that its locations are as long (25 characters and
    more) now prints them inside the column."""
    pytest.importorskip("weasyprint")
    from flowaudit.policies.schema import Severity
    from flowaudit.reports.html import render_html
    from tests.helpers import audit_paths
    from tests.test_report_print import overflows

    source = write_synthetic_map(tmp_path / "map", 15, 60) / "map.json"
    long_name = source.with_name("hub_1000000000.json")
    source.rename(long_name)
    result = audit_paths([str(long_name)], date(2026, 11, 25))
    assert result.findings
    widest = max(len(str(f.location).rpartition("/")[2]) for f in result.findings)
    assert widest >= 25
    html = render_html(result, Severity.LOW, summarise_above=50)
    section = html.split('<h2 id="findings">', 1)[1].split('<h2 id="transfers">', 1)[0]
    assert "hub_1000000000.json:" in section
    past = [line for line in overflows(html) if "hub_1000000000.json" in line]
    assert past == []
