"""A map outside the working folder is shown from the folder it was named in, in every format
(issue #15 point 7): ``flowaudit check /srv/maps/acme`` reads ``acme/flows.yaml``, a file
argument ``/tmp/x/map.json`` reads ``map.json``; never the absolute path of the copy."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from flowaudit.model.discovery import discover_all, display_path
from tests.helpers import FIXTURES, line_of, require_tool, run, weasyprint_untraced

MAP = FIXTURES / "paths" / "uk-us-subprocessor.yaml"
BASE = FIXTURES / "base" / "acme.yaml"


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A map folder ``srv/maps/acme`` outside the working folder (which is ``work``)."""
    folder = tmp_path / "srv" / "maps" / "acme"
    folder.mkdir(parents=True)
    shutil.copy(BASE, folder / "acme.yaml")
    shutil.copy(MAP, folder / "flows.yaml")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


def test_display_path_outside_the_working_folder(outside: Path) -> None:
    flows = outside / "flows.yaml"
    assert display_path(flows, outside) == "acme/flows.yaml"
    assert display_path(flows, flows) == "flows.yaml"
    assert display_path(flows, str(outside) + os.sep) == "acme/flows.yaml"
    assert display_path(flows) == str(flows)  # no argument to show it from: absolute
    os.chdir(outside.parent)
    assert display_path(flows, outside) == "acme/flows.yaml"  # inside: from the working folder
    os.chdir(outside)
    assert display_path(flows, outside) == "flows.yaml"


def test_two_files_that_would_read_the_same_are_shown_absolute(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(BASE, tmp_path / "a" / "map.yaml")
    shutil.copy(MAP, tmp_path / "b" / "map.yaml")
    found = discover_all([tmp_path / "a" / "map.yaml", tmp_path / "b" / "map.yaml"])
    assert sorted(found.display.values()) == [
        str(tmp_path / "a" / "map.yaml"),
        str(tmp_path / "b" / "map.yaml"),
    ]
    found = discover_all([tmp_path / "a", tmp_path / "b"])  # folders keep their names
    assert sorted(found.display.values()) == ["a/map.yaml", "b/map.yaml"]


FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_check_format_shows_the_map_from_its_folder(
    outside: Path, output_format: str
) -> None:
    line = line_of(outside / "flows.yaml", "id: to-subprocessor")
    outcome = run(["check", str(outside), "--as-of", "2026-11-25", "--format", output_format])
    assert outcome.exit_code == 1
    assert str(outside.parent) not in outcome.output
    if output_format == "json":
        findings = json.loads(outcome.output)["findings"]
        hop = [f for f in findings if f["rule_id"] == "GDPR-TRANSFER"]
        assert [f["location"]["file"] for f in hop] == ["acme/flows.yaml"]
        assert hop[0]["location"]["line"] == line
    elif output_format == "sarif":
        results = json.loads(outcome.output)["runs"][0]["results"]
        hop = [r for r in results if r["ruleId"] == "GDPR-TRANSFER"]
        location = hop[0]["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "acme/flows.yaml", "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == line
    elif output_format == "github":
        assert f"file=acme/flows.yaml,line={line}," in outcome.output
    else:
        assert f"acme/flows.yaml:{line}:" in outcome.output


def test_a_file_argument_is_shown_by_its_name(outside: Path) -> None:
    outcome = run(
        ["check", str(outside / "acme.yaml"), str(outside / "flows.yaml"), "--as-of", "2026-11-25"]
    )
    assert outcome.exit_code == 1
    line = line_of(outside / "flows.yaml", "id: to-subprocessor")
    assert f"flows.yaml:{line}:" in outcome.output
    assert str(outside) not in outcome.output


def test_the_report_and_its_pdf_show_the_map_from_its_folder(outside: Path) -> None:
    out = outside.parent / "out"
    outcome = run(
        ["report", str(outside), "--as-of", "2026-11-25", "--diagram", "none", "--out", str(out)]
    )
    assert outcome.exit_code == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    line = line_of(outside / "flows.yaml", "id: to-subprocessor")
    # wraps at '/' (<wbr>), never inside file:line:col (auditor review 2026-12-03g, 10)
    assert f'acme/<wbr><span class="loc">flows.yaml:{line}:' in html
    assert '<td class="mono">acme/<wbr>flows.yaml</td>' in html  # the inputs table
    assert str(outside.parent) not in html
    for name in ("report.md", "findings.csv"):
        text = (out / name).read_text(encoding="utf-8")
        assert f"acme/flows.yaml:{line}:" in text, name
        assert str(outside.parent) not in text, name


def test_the_pdf_shows_the_map_from_its_folder_and_repeats_its_bytes(outside: Path) -> None:
    """Also the PDF's determinism: the same audit gives the same bytes, the diagram's drawing
    included (the 44-page Concero report was laid out twice for this before)."""
    pytest.importorskip("weasyprint")
    pdftotext = require_tool("pdftotext")
    require_tool("dot")
    pdfs = []
    for out in (outside.parent / "out", outside.parent / "again"):
        with weasyprint_untraced():
            outcome = run(
                ["report", str(outside), "--as-of", "2026-11-25", "--pdf", "--out", str(out)]
            )
        assert outcome.exit_code == 1, outcome.output
        pdfs.append((out / "report.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    text = subprocess.run(
        [pdftotext, str(outside.parent / "out" / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(re.findall(r"acme/\s*flows\.yaml:", text)) >= 3  # a cell may wrap the path
    assert str(outside.parent) not in text
    assert "Overview grouped by country" in text  # the diagram's page (report review s17)
