"""The report at scale: past --summarise-above the long lists are bounded, say how many more
there are and where they are, every critical finding is still listed, and the CSV files
beside the report hold every row; a small map renders exactly as before."""

from __future__ import annotations

import csv
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import LIST_LIMIT
from flowaudit.reports.html import render_html
from tests.helpers import require_tool, run, weasyprint_untraced
from tests.synthetic import write_synthetic_map


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_map(tmp_path_factory.mktemp("scale"), 15, 60) / "map.json"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_small_map_is_not_summarised() -> None:
    result = audit(AuditRequest([], date(2026, 11, 25)))
    html = render_html(result, Severity.LOW)
    assert html == render_html(result, Severity.LOW, summarise_above=10**9)
    assert "more findings" not in html and "findings.csv" not in html
    assert html.count('<tr id="F-') == len(result.findings)


def test_a_map_past_the_threshold_gets_bounded_tables_and_the_side_files(
    generated: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    outcome = run(
        [
            "report",
            str(generated),
            "--as-of",
            "2026-11-25",
            "--diagram",
            "none",
            "--summarise-above",
            "50",
            "--out",
            str(out),
        ]
    )
    assert outcome.exit_code == 1
    for name in ("findings", "passed", "transfers", "processors", "agreements"):
        assert f"wrote {out / name}.csv" in outcome.output
    findings = _rows(out / "findings.csv")
    result = audit(AuditRequest([str(generated)], date(2026, 11, 25)))
    assert [row["id"] for row in findings] == [f.finding_id for f in result.findings]
    assert len(findings) > 100  # well past the threshold
    html = (out / "report.html").read_text(encoding="utf-8")
    # The register lists at most LIST_LIMIT findings per rule and says how many more.
    listed = re.findall(r'<tr id="(F-[0-9a-f]+)">', html)
    per_rule: dict[str, int] = {}
    for row in findings:
        if row["id"] in listed:
            first_rule = row["rules"].split(" + ")[0]
            per_rule[first_rule] = per_rule.get(first_rule, 0) + 1
    assert per_rule and max(per_rule.values()) <= LIST_LIMIT
    more = len(findings) - len(listed)
    assert more > 0
    assert f"and {more:,} more findings not listed in this table" in html
    assert 'every one is in <span class="mono">findings.csv</span> beside this report' in html
    # Every critical finding is still in the report, one per line.
    critical = [row["id"] for row in findings if row["severity"] == "critical"]
    assert critical
    block = html.split('id="every-critical"', 1)[1].split("</p>", 2)[1]
    assert re.findall(r"F-[0-9a-f]{10}", block) == critical
    # Each rule section shows its first findings and says how many more.
    assert re.search(r"and [\d,]+ more findings of this rule", html)
    # The evidence lists are summarised and point at passed.csv, which lists every pass.
    passed = _rows(out / "passed.csv")
    assert len(passed) == len(result.passed)
    assert 'every one is listed in <span class="mono">passed.csv</span>' in html


@pytest.mark.heavy
def test_the_pdf_of_a_summarised_report_has_pages_registers_and_evidence(
    generated: Path, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    pdftotext = require_tool("pdftotext")
    out = tmp_path / "out"
    with weasyprint_untraced():
        run(
            [
                "report",
                str(generated),
                "--as-of",
                "2026-11-25",
                "--diagram",
                "none",
                "--summarise-above",
                "50",
                "--pdf",
                "--out",
                str(out),
            ]
        )
    text = subprocess.run(
        [pdftotext, "-layout", str(out / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.count("\f")
    assert re.search(rf"Page 2 of {pages}\b", text)
    for heading in (
        "Findings register",
        "Every critical finding",
        "International transfers register",
        "Processors and vendors register",
        "Agreements register",
        "Sign-off",
    ):
        assert heading in text, heading
    assert re.search(r"Passed on [\d,]+ elements?:", text)
    assert "more findings not listed in this table" in text
    assert "findings.csv" in text and "passed.csv" in text
