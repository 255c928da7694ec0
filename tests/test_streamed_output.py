"""JSON and SARIF written in pieces (``json_pieces``, ``write_atomic`` of an iterable): the bytes
are those of the whole document written at once, and a failure mid-way leaves nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowaudit.checks.result import Against, AuditResult, ReviewChange
from flowaudit.policies.schema import Severity
from flowaudit.reports import github, junit, output, sanitise
from flowaudit.reports import text as text_report
from flowaudit.reports.json_report import json_report_pieces, render_json, result_dict
from flowaudit.reports.output import OutputError, write_atomic
from flowaudit.reports.sanitise import Streamed, for_json, json_pieces, materialised
from flowaudit.reports.sarif import render_sarif, sarif_document, sarif_pieces
from tests.helpers import audit_paths, run
from tests.synthetic import synthetic_map

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
AS_OF = date(2026, 11, 25)

#: Names with what the escape pass rewrites: C0 and C1 controls, DEL, bidi and line
#: separators, format characters, workflow commands at a line's start and ``##[`` anywhere.
INJECTED = (
    "Evil\x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b31m \u202egnp.exe\u2066\u2028 del\x7f",
    "\r\n::add-mask::secret\n  ::stop-commands::token\n##[add-mask]x",
    "zero\u200bwidth \U000e0041 tag, \u3164 filler, ## [not] #",
    "::error::at the start",
)


# -- json_pieces against for_json ----------------------------------------------------------

TEXT = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(["\n", "\x7f", "\x9b", "\u202e", "\u2028", ":", "#", "[", " "]),
    ),
    max_size=12,
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT)


def _documents(streamed: bool) -> st.SearchStrategy[Any]:
    def lists(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        plain = st.lists(inner, max_size=5)
        return st.one_of(plain, plain.map(Streamed)) if streamed else plain

    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(lists(inner), st.dictionaries(TEXT, inner, max_size=4)),
        max_leaves=16,
    )


@given(_documents(streamed=True), st.integers(1, 4))
def test_pieces_join_to_the_whole_documents_text(document: Any, batch: int) -> None:
    whole = for_json(materialised(document))
    pieces = list(json_pieces(document, batch))
    assert "".join(pieces) == whole


def test_a_streamed_list_is_read_once_and_lazily() -> None:
    made: list[int] = []

    def items() -> Iterator[dict[str, int]]:
        for number in range(5):
            made.append(number)
            yield {"n": number}

    pieces = json_pieces({"b": Streamed(items()), "a": [], "c": Streamed([])}, batch=2)
    assert next(pieces) == '{\n  "a": [],\n  "b": '
    assert made == []  # nothing made before its place in the text
    assert next(pieces).startswith("[\n    {") and made == [0, 1]
    rest = "".join(pieces)
    assert made == [0, 1, 2, 3, 4]
    assert rest.endswith('\n  ],\n  "c": []\n}\n')


def test_items_orjson_refuses_are_written_as_json_dumps_does() -> None:
    # a lone surrogate (a file name that is not UTF-8) and an integer past 64 bits
    document = {"x": Streamed([{"p": "a\udcffb"}, 2**70, "\x7f"]), "y": ["\udc80"]}
    assert "".join(json_pieces(document, 1)) == for_json(materialised(document))


# -- the reports, both ways ----------------------------------------------------------------


def _injected_map(tmp_path: Path) -> Path:
    """The synthetic map (hundreds of findings) with control characters in its names."""
    data = synthetic_map(40, 300, seed=3)
    data["organisation"]["name"] = INJECTED[0]
    for number, party in enumerate(data["parties"]):
        party["name"] = f"{INJECTED[number % len(INJECTED)]} {number}"
    for number, flow in enumerate(data["flows"]):
        flow["description"] = INJECTED[number % len(INJECTED)]
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "map.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return folder


def _judged(result: AuditResult) -> AuditResult:
    """The result as ``check --base`` has it: every other finding new, changes to review."""
    review = [
        ReviewChange("rule-changed:X", "rule-changed", "X", INJECTED[1]),
        ReviewChange("waiver:Y", "waiver", "Y", "accepted", accepted=True),
    ]
    return replace(result, review=review, against=Against("main", result.findings[::2]))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AuditResult]:
    injected = _injected_map(tmp_path_factory.mktemp("streamed"))
    concero = audit_paths([], AS_OF)
    generated = audit_paths([str(injected)], AS_OF)
    assert len(generated.findings) > 200
    return {"concero": concero, "injected": generated, "judged": _judged(generated)}


@pytest.mark.parametrize("batch", [7, 2000])
@pytest.mark.parametrize("name", ["concero", "injected", "judged"])
def test_sarif_and_json_pieces_are_the_whole_documents_bytes(
    results: dict[str, AuditResult], name: str, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sanitise, "PIECE_ITEMS", batch)
    result = results[name]
    for level in (Severity.LOW, Severity.CRITICAL):
        whole = for_json(materialised(sarif_document(result, level)))
        pieces = list(sarif_pieces(result, level))
        assert "".join(pieces).encode() == whole.encode()
        assert render_sarif(result, level) == whole
        whole = for_json(result_dict(result, level))
        pieces = list(json_report_pieces(result, level))
        assert "".join(pieces).encode() == whole.encode()
        assert render_json(result, level) == whole
    if name != "concero":
        assert len(pieces) > 3  # the findings and passes came in several pieces


@pytest.mark.parametrize("name", ["concero", "injected", "judged"])
def test_text_pieces_are_the_same_lines_however_cut(
    results: dict[str, AuditResult], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = results[name]
    whole = text_report.render_text(result, Severity.LOW)
    lines = whole.split("\n")
    assert lines[-1] == "" and lines[len(result.findings)] == ""  # blank before the closing
    for batch in (1, 7, len(result.findings)):
        monkeypatch.setattr(text_report, "TEXT_PIECE_LINES", batch)
        pieces = list(text_report.text_pieces(result, Severity.LOW))
        assert "".join(pieces) == whole
        assert len(pieces) == len(result.findings) // batch + 1


@pytest.mark.parametrize("name", ["concero", "injected", "judged"])
def test_github_pieces_are_the_same_commands_however_cut(
    results: dict[str, AuditResult], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = results[name]
    whole = github.render_github(result, Severity.LOW)
    for batch in (1, 7, 100_000):
        monkeypatch.setattr(github, "GITHUB_PIECE_LINES", batch)
        assert "".join(github.github_pieces(result, Severity.LOW)) == whole
    lines = whole.splitlines()
    if name == "judged":  # the change's own findings first, then the existing ones
        titles = [line.split("title=", 1)[1] for line in lines if "file=" in line]
        new = [i for i, title in enumerate(titles) if title.startswith("(new)")]
        existing = [i for i, title in enumerate(titles) if "existing)" in title.split("::")[0]]
        assert new and existing and max(new) < min(existing)
    if name != "concero":
        assert lines[0].startswith("::notice title=flowaudit::")  # past the cap, counted first


def _as_elementtree_writes_it(text: str) -> str:
    """The document ElementTree writes for ``text``'s tree, indented whole at once."""
    root = ET.fromstring(text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize("name", ["concero", "injected", "judged", "warned"])
def test_junit_pieces_are_what_elementtree_writes_for_the_whole_tree(
    results: dict[str, AuditResult], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = results.get(name) or replace(
        results["concero"], warnings=("a <policy> warning & more",), review=()
    )
    for batch in (1, 7, 100_000):
        monkeypatch.setattr(junit, "JUNIT_PIECE_CASES", batch)
        pieces = list(junit.junit_pieces(result, Severity.LOW))
        whole = "".join(pieces)
        assert whole == _as_elementtree_writes_it(whole)
        root = ET.fromstring(whole)
        cases = root.findall("testsuite/testcase")
        assert int(root.get("tests", "")) == len(cases)
        assert int(root.get("failures", "")) == len(root.findall("testsuite/testcase/failure"))
        assert int(root.get("skipped", "")) == len(root.findall("testsuite/testcase/skipped"))
        if batch == 1:  # a piece per case of each suite, and the head and the end
            assert len(pieces) >= len(cases)
    suites = {suite.get("name", "").split(":")[0]: suite for suite in root.iter("testsuite")}
    if name == "warned":
        warned = suites["flowaudit"].find("properties/property")
        assert warned is not None and warned.get("value") == "a <policy> warning & more"
    if name == "judged":
        assert "changes to review" in whole and "existing at main" in whole
    # a rule that evaluated nothing is an empty suite, written as ElementTree writes one
    assert any(len(suite) == 0 for suite in suites.values()) or name != "concero"


def test_the_streamed_sarif_of_injected_names_validates_and_is_inert(
    results: dict[str, AuditResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.security.test_sanitise import assert_inert

    monkeypatch.setattr(sanitise, "PIECE_ITEMS", 5)
    for name in ("injected", "judged"):
        text = render_sarif(results[name], Severity.LOW)
        assert_inert(text)
        # escaped, kept (SARIF's own escape of square brackets in a message, §3.11.6)
        assert "\\u202egnp.exe" in text and "##\\\\[add-mask\\\\]" in text
        document = json.loads(text)
        jsonschema.validate(document, SCHEMA)
        # a name's "[not]" cannot open an embedded link in a SARIF message: escaped
        messages = [r["message"]["text"] for r in document["runs"][0]["results"]]
        assert any("## \\[not\\] #" in m for m in messages)
        assert not any("[not]" in m.replace("\\[not\\]", "") for m in messages)
        states = {r.get("baselineState") for r in document["runs"][0]["results"]}
        assert states == ({None} if name == "injected" else {"new", "unchanged", None})
        report = render_json(results[name], Severity.LOW)
        assert_inert(report)
        assert json.loads(report)["organisation"]["name"] == INJECTED[0]


def test_check_writes_and_prints_the_same_bytes(tmp_path: Path) -> None:
    folder = _injected_map(tmp_path)
    audited = audit_paths([str(folder)], AS_OF)  # the same audit for the three formats
    for fmt in ("sarif", "json", "text"):
        target = tmp_path / f"out.{fmt}"
        args = ["check", str(folder), "--as-of", "2026-11-25", "--format", fmt]
        printed = run([*args, "--output", f"{fmt}={target}"])
        assert printed.exit_code == 1
        assert target.read_bytes() == printed.stdout_bytes
        render = {"sarif": render_sarif, "json": render_json, "text": text_report.render_text}[fmt]
        assert printed.output == render(audited, Severity.LOW)


# -- write_atomic of pieces ----------------------------------------------------------------


def test_pieces_of_text_and_bytes_are_written_in_order(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, iter(["{", b'"a": ', "\u00e9", b"}\n"]))
    assert target.read_bytes() == '{"a": \u00e9}\n'.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_an_error_while_the_pieces_are_made_leaves_the_old_file_and_no_temp(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.sarif"
    write_atomic(target, "old\n")

    def pieces() -> Iterator[str]:
        yield "new " * 1000
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, pieces())
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif"]


def test_a_full_disk_on_a_later_piece_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[bytes] = []

    def fills(stream: object, data: bytes) -> None:
        if written:
            raise OSError(28, "No space left on device")
        written.append(data)

    monkeypatch.setattr(output, "_write", fills)
    target = tmp_path / "out.json"
    with pytest.raises(OutputError, match="no space left on the device"):
        write_atomic(target, iter(["first", "second"]))
    assert written == [b"first"]
    assert list(tmp_path.iterdir()) == []
