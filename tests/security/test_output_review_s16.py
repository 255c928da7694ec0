"""Output review s16: the SARIF result limit, SARIF placeholders, output sets written
together or not at all, and waivers that say which word is wrong.

Each test failed before its fix (on 91b7c8e): a SARIF run had every result (180,000 on a
dense map, which code scanning rejects past 25,000), a name ``{0}`` in the map was a SARIF
placeholder, ``check --output`` wrote the first file of a run whose second failed, the
report kept some files of a failed run (and a PDF renderer fault was exit 3), a waiver of a
wrong code said only "matches no finding", and a waiver's unknown collection had no hint.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flowaudit.reports import output
from tests.helpers import BASE, FIXTURES, GitRepo, run, run_gate

#: the official OASIS schema (a copy of shared/schemas/sarif-schema-2.1.0.json)
SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())
AS_OF = "2026-11-25"
WAIVED = FIXTURES / "cli" / "waived.yaml"


def sarif_of(*args: str, code: int = 1) -> tuple[dict[str, Any], str]:
    result = run(["check", "--as-of", AS_OF, "--format", "sarif", *args])
    assert result.exit_code == code, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    return document, result.stderr


# --- problem 1: --sarif-max-results -----------------------------------------------------


def test_sarif_keeps_the_most_severe_and_says_how_many_it_left_out() -> None:
    document, stderr = sarif_of("--sarif-max-results", "14")
    (sarif_run,) = document["runs"]
    results = sarif_run["results"]
    assert len(results) == 14
    severities = [r["properties"]["severity"] for r in results]
    # the shipped map: 3 critical, 11 high, 39 medium, 4 low (57)
    assert severities == ["critical"] * 3 + ["high"] * 11
    assert sarif_run["properties"]["resultsLeftOut"] == 43
    assert sarif_run["properties"]["resultsTotal"] == 57
    (notification,) = sarif_run["invocations"][0]["toolExecutionNotifications"]
    note = (
        "43 of 57 results were left out of this SARIF run (--sarif-max-results 14; GitHub "
        "code scanning shows at most 5,000 of a run and rejects more than 25,000): it keeps "
        "the 14 most severe; left out: 39 medium, 4 low. Every finding is in the "
        "text, JSON and Markdown output"
    )
    assert notification["message"]["text"] == note
    assert notification["level"] == "warning"
    assert f"flowaudit: note: {note}." in stderr.splitlines()


def test_sarif_limit_is_deterministic_and_the_default_keeps_a_small_run_whole() -> None:
    first, _ = sarif_of("--sarif-max-results", "20")
    second, _ = sarif_of("--sarif-max-results", "20")
    assert first["runs"][0]["results"] == second["runs"][0]["results"]
    whole, stderr = sarif_of()
    assert len(whole["runs"][0]["results"]) == 57
    assert "resultsLeftOut" not in whole["runs"][0]["properties"]
    assert "left out" not in stderr
    unlimited, _ = sarif_of("--sarif-max-results", "0")
    assert len(unlimited["runs"][0]["results"]) == 57


def test_sarif_limit_applies_to_an_output_file_too(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    result = run(
        ["check", "--as-of", AS_OF, "--sarif-max-results", "1", "--output", f"sarif={target}"]
    )
    assert result.exit_code == 1
    document = json.loads(target.read_text())
    jsonschema.validate(document, SCHEMA)
    assert [r["properties"]["severity"] for r in document["runs"][0]["results"]] == ["critical"]
    assert "56 of 57 results were left out" in result.stderr


# --- problem 2: braces are no placeholders ------------------------------------------------


def test_sarif_message_braces_from_the_map_are_escaped(tmp_path: Path) -> None:
    base = tmp_path / "acme.yaml"
    base.write_text(
        BASE.read_text().replace("name: UK Processor", "name: '{0} UK {{1}} Processor }'")
    )
    document, _ = sarif_of(str(base), str(WAIVED), code=0)
    texts = [r["message"]["text"] for r in document["runs"][0]["results"]]
    assert any("→ {{0}} UK {{{{1}}}} Processor }} (processor)" in text for text in texts)
    for text in texts:
        # every brace is doubled: no placeholder survives for a viewer to fill
        assert "{" not in text.replace("{{", "") and "}" not in text.replace("}}", "")


# --- problem 3: output sets ---------------------------------------------------------------


def test_check_outputs_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    good = tmp_path / "good.sarif"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run(
        [
            "check",
            "--as-of",
            AS_OF,
            "--output",
            f"sarif={good}",
            "--output",
            f"json={blocker}/x.json",
        ]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"flowaudit: cannot write {blocker}/x.json: a part of the path is a file, not a "
        "folder; none of the 2 files of this run was written"
    )
    assert not good.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_check_outputs_naming_one_file_twice_is_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "out"
    result = run(
        ["check", "--as-of", AS_OF, "--output", f"sarif={target}", "--output", f"json={target}"]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"flowaudit: cannot write {target}: another output of this run names the same file; "
        "none of the 2 files of this run was written"
    )
    assert not target.exists()


def test_a_full_disk_half_way_through_a_report_writes_none_of_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("stale")
    calls: list[int] = []
    real = output._write

    def full(stream: Any, data: bytes) -> None:
        calls.append(1)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(stream, data)

    monkeypatch.setattr(output, "_write", full)
    result = run(["report", "--as-of", AS_OF, "--out", str(out), "--diagram", "none"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1].endswith(
        "no space left on the device; none of the 9 files of this run was written"
    )
    assert sorted(os.listdir(out)) == []


def test_a_pdf_renderer_fault_keeps_the_other_files_and_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowaudit.reports import pdf

    class Broken:
        def __init__(self, **kwargs: Any) -> None:
            raise AssertionError("boom in the layout")

    monkeypatch.setattr(pdf, "_weasyprint", lambda: Broken)
    out = tmp_path / "report"
    result = run(["report", "--as-of", AS_OF, "--out", str(out), "--diagram", "none", "--pdf"])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == (
        "flowaudit: the PDF renderer (WeasyPrint) failed: AssertionError: boom in the layout; "
        "report.pdf was not written; the other 9 files of this run were written and kept: "
        "report.html, findings.csv, passed.csv, transfers.csv, processors.csv, "
        "agreements.csv, warnings.csv, diagram-groups.csv, report.md"
    )
    assert sorted(os.listdir(out)) == [
        "agreements.csv",
        "diagram-groups.csv",
        "findings.csv",
        "passed.csv",
        "processors.csv",
        "report.html",
        "report.md",
        "transfers.csv",
        "warnings.csv",
    ]


# --- problem 4: a waiver says which word is wrong -----------------------------------------


def test_a_waiver_of_a_wrong_code_names_the_findings_code(tmp_path: Path) -> None:
    waiver = tmp_path / "waived.yaml"
    waiver.write_text(WAIVED.read_text().replace("code: draft", "code: drafted"))
    result = run(["check", "--as-of", AS_OF, str(BASE), str(waiver)])
    assert result.exit_code == 1
    assert (
        "waived.yaml:10:5 HIGH HYG-WAIVER waivers/draft-accepted: waiver matches no "
        "finding of GDPR-AGREEMENT on flows/to-processor with code drafted: the finding of "
        "GDPR-AGREEMENT there has code draft (did you mean 'draft'?); correct the code, or "
        "name none to waive the whole finding"
    ) in result.stdout.splitlines()


def test_a_waiver_of_a_wrong_rule_names_the_rule_of_the_finding(tmp_path: Path) -> None:
    waiver = tmp_path / "waived.yaml"
    waiver.write_text(WAIVED.read_text().replace("rule: GDPR-AGREEMENT", "rule: GDPR-TRANSFER"))
    result = run(["check", "--as-of", AS_OF, str(BASE), str(waiver)])
    assert result.exit_code == 1
    assert (
        "waived.yaml:8:5 HIGH HYG-WAIVER waivers/draft-accepted: waiver matches no "
        "finding of GDPR-TRANSFER on flows/to-processor: the findings there are of "
        "GDPR-AGREEMENT; correct the rule, or remove the waiver"
    ) in result.stdout.splitlines()


def test_a_waivers_unknown_collection_suggests_the_nearest(tmp_path: Path) -> None:
    waiver = tmp_path / "waived.yaml"
    waiver.write_text(
        WAIVED.read_text().replace("element: flows/to-processor", "element: flow/to-processor")
    )
    result = run(["check", "--as-of", AS_OF, str(BASE), str(waiver)])
    assert result.exit_code == 2
    assert (
        "waived.yaml:9:5: unknown collection 'flow' in element 'flow/to-processor' (did you "
        "mean 'flows'?)"
    ) in result.stderr.splitlines()


# --- problem 5: a flow moved into a version-control folder ------------------------------

US_FLOW = (
    "  - {id: to-us, from: acme, to: us-host, categories: [contact.email], subjects: [staff], "
    "purpose: support, basis: contract, notice: N-TEST}\n"
)
UK_FLOW = (
    "  - {id: to-uk, from: acme, to: uk-proc, categories: [contact.email], subjects: [staff], "
    "purpose: support, basis: contract, notice: N-TEST}\n"
)


@pytest.mark.parametrize("folder", [".svn", ".hg", ".svn/pristine"])
def test_a_flow_moved_into_a_vcs_folder_is_refused(tmp_path: Path, folder: str) -> None:
    """A pull request moved a CRITICAL US transfer from flows.yaml into data-map/.svn/
    (a folder git commits like any other, and the walk skipped): the gate said "REMOVED",
    PASS, 0 changes to review, exit 0, while the diff showed the flow moved, not deleted."""
    repo = GitRepo(tmp_path, tmp_path / "data-map")
    repo.files.mkdir()
    (repo.files / "org.yaml").write_text(BASE.read_text())
    (repo.files / "flows.yaml").write_text("flows:\n" + US_FLOW + UK_FLOW)
    repo.git("init", "-q")
    repo.commit("base")
    (repo.files / "flows.yaml").write_text("flows:\n" + UK_FLOW)
    hidden = repo.files / folder
    hidden.mkdir(parents=True)
    (hidden / "flows.yaml").write_text("flows:\n" + US_FLOW)
    repo.commit("head")
    result = run_gate(
        [
            "check",
            str(repo.files),
            "--as-of",
            AS_OF,
            "--fail-on",
            "critical",
            "--base",
            "HEAD~1",
        ]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0].endswith(
        f"data-map/{folder}/flows.yaml:1:1: a map file inside the version-control folder "
        f"{folder.split('/', maxsplit=1)[0]}/, which is never read: move it out of that folder (or "
        "delete it)"
    )


SET_WRITER = """
import signal, sys, time
from flowaudit.reports import output

signal.signal(signal.SIGINT, signal.default_int_handler)
real = output._write
calls = []

def slow(stream, data):
    calls.append(1)
    real(stream, data)
    if len(calls) == 2:  # the second file: the first is staged
        stream.flush()
        print("writing", flush=True)
        time.sleep(60)

output._write = slow
with output.OutputSet(2) as files:
    files.add(sys.argv[1] + "/a.json", "x" * 1000)
    files.add(sys.argv[1] + "/b.json", ["y" * 10, "z" * 10])
    files.commit()
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_a_set_is_written_leaves_no_file(tmp_path: Path, signum: int) -> None:
    """SIGTERM while the second file of a run was written killed the process before the
    first file's temp file was removed (the signal was turned into an exception only while
    one file was written)."""
    child = subprocess.Popen(
        [sys.executable, "-c", SET_WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        assert len(os.listdir(tmp_path)) == 2  # two temp files while writing
        child.send_signal(signum)
        code = child.wait(timeout=30)
    finally:
        child.kill()
        child.wait()
    assert code != 0
    if signum == signal.SIGTERM:
        assert code == -signal.SIGTERM
    assert os.listdir(tmp_path) == []
