"""The official YAML test suite (shared/yaml-test-suite) against our one YAML reader.

Every case, valid or not: no crash. A valid document either reads as exactly the data of its
in.json, or is refused with a located error for a reason listed here (our safety policy, or a
YAML 1.2 construct libyaml does not read). An invalid one is refused with a located error,
unless it is listed in ACCEPTED_INVALID (also in docs/performance.md) with the reason.

The suite lies beside the repository (../shared/yaml-test-suite, as CI lays it out): without
it the test is skipped locally and fails under CI=true.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import decode_text, parse_stream

SUITE = Path(__file__).resolve().parents[1].parent / "shared" / "yaml-test-suite"
IN_CI = os.environ.get("CI", "").lower() == "true"

#: Invalid documents the reader still accepts: libyaml (YAML 1.1) is more lenient here than
#: YAML 1.2. None of them reads a valid document differently.
ACCEPTED_INVALID = {
    "9C9N": "flow sequence lines indented less than the block around them",
    "QB6E": "quoted scalar lines indented less than the block around them",
    "9JBA": "'#' right after ']' (no space) taken as a comment",
    "CVW2": "'#' right after ',' (no space) taken as a comment",
    "SU5Z": "'#' right after a closing quote (no space) taken as a comment",
    "X4QW": "'#' right after a block scalar indicator (no space) taken as a comment",
    "DK95/01": "a tab in indentation before a continuation line",
    "Y79Y/003": "a tab before a sequence entry in a flow sequence",
    "EB22": "a directive after a document that has no '...' end marker",
    "RHX7": "a %YAML directive after a document that has no '...' end marker",
    "MUS6/00": "'%YAML 1.1#...' (a comment without a space after the version)",
    "MUS6/01": "the %YAML directive repeated for a second document",
    "G5U8": "a plain '-' alone as flow sequence entries",
    "YJV2": "a plain '-' alone as a flow sequence entry",
    "S98Z": "a leading blank line in a block scalar more indented than its first text line",
}

#: Valid YAML 1.2 that libyaml (a YAML 1.1 parser) refuses, with a located syntax error.
LIBYAML_REFUSES_VALID = {
    "an empty (omitted) mapping key, ': value'": [
        "2JQS",
        "6M2F",
        "NHX8",
        "NKF9",
        "S3PD",
        "SM9W/01",
        "UKK6/00",
        "M2N8/00",
        "CFD4",
    ],
    "a plain scalar starting with ':' in flow, or ':' right after a JSON-like key": [
        "4ABK",
        "58MP",
        "5T43",
        "FRK4",
        "DBG4",
        "HM87/00",
    ],
    "a flow mapping key spanning lines, or its ':' on a later line": [
        "4MUZ/00",
        "4MUZ/01",
        "4MUZ/02",
        "5MUD",
        "K3WX",
        "9SA2",
        "NJ66",
        "UT92",
        "VJP3/01",
    ],
    "a tab where YAML 1.2 allows one as separation or in block scalar content": [
        "6BCT",
        "6CA3",
        "96NN/00",
        "96NN/01",
        "A2M4",
        "DK95/00",
        "DK95/03",
        "DK95/04",
        "Q5MG",
        "R4YG",
        "Y79Y/001",
        "Y79Y/010",
    ],
    "reserved directives or %YAML 1.3": ["2LFX", "6LVF", "BEC7", "MUS6/05", "MUS6/06", "W4TN"],
    "bare documents after '...', a stream of only '...', or a top-level block scalar at column 0": [
        "7Z25",
        "M7A3",
        "HWV9",
        "QT73",
        "DK3J",
        "FP8R",
    ],
    "anchor names with characters libyaml does not take": ["8XYN", "W5VH"],
}
REFUSED_VALID = {case: why for why, cases in LIBYAML_REFUSES_VALID.items() for case in cases}

#: Refusals of valid YAML that are our policy (only plain data is read) or that keep a
#: document from being misread: recognised by their message, whatever the case.
POLICY_REFUSALS = (
    "is not allowed: only plain data is read",  # tags other than the core schema's
    "a mapping key must be a plain scalar",  # complex keys
    "'?' directly before text",  # libyaml would misread [?x] as a mapping
    "anchor name '&",  # libyaml would end the anchor at ':' and misread the rest
)


def _cases() -> list[str]:
    if not SUITE.is_dir():
        return ["(suite missing)"]
    return sorted(str(p.parent.relative_to(SUITE)) for p in SUITE.rglob("in.yaml"))


def _expected(case: Path) -> list[Any] | None:
    """The JSON values of in.json, one per document, or None when the case has none."""
    path = case / "in.json"
    if not path.is_file():
        return None
    text, decoder, values, at = path.read_text("utf-8"), json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return values
        value, at = decoder.raw_decode(text, at)
        values.append(value)


def _same(ours: Any, theirs: Any) -> bool:
    """Equal as data, with types: 1 is not 1.0 nor True; NaN equals NaN."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(ours, float) and isinstance(theirs, float) and math.isnan(ours):
        return math.isnan(theirs)
    return type(ours) is type(theirs) and ours == theirs


def _read(case: Path) -> tuple[list[Any] | None, InputError | None, int]:
    raw = (case / "in.yaml").read_bytes()
    try:
        text = decode_text(raw, "in.yaml")
        return parse_stream(text, "in.yaml"), None, text.count("\n") + 1
    except InputError as error:
        return None, error, raw.count(b"\n") + 1


@pytest.mark.parametrize("case_id", _cases())
def test_yaml_test_suite_case(case_id: str) -> None:
    if not SUITE.is_dir():
        message = f"the YAML test suite is not at {SUITE}"
        if IN_CI:
            pytest.fail(f"{message}, and CI=true requires it")
        pytest.skip(message)
    case = SUITE / case_id
    documents, error, lines = _read(case)  # any other exception fails the test: a crash
    if error is not None:
        assert error.problems
        for problem in error.problems:  # located inside the file
            assert problem.file == "in.yaml"
            assert 1 <= problem.line <= lines and problem.column >= 1, problem
    if (case / "error").exists():
        if case_id in ACCEPTED_INVALID:
            assert error is None, f"{case_id} is refused now: drop it from ACCEPTED_INVALID"
        else:
            assert error is not None, f"{case_id} is invalid YAML and was accepted"
        return
    if error is not None:
        message = str(error.problems[0])
        assert case_id in REFUSED_VALID or any(p in message for p in POLICY_REFUSALS), message
        return
    assert case_id not in REFUSED_VALID, f"{case_id} reads now: drop it from the refused list"
    expected = _expected(case)
    if expected is not None:
        assert documents is not None
        assert len(documents) == len(expected)
        for ours, theirs in zip(documents, expected, strict=True):
            assert _same(ours, theirs), (ours, theirs)


def test_the_lists_name_real_cases() -> None:
    if not SUITE.is_dir():
        pytest.skip("the YAML test suite is missing (the case test says so under CI)")
    cases = set(_cases())
    assert set(ACCEPTED_INVALID) <= cases
    assert set(REFUSED_VALID) <= cases
    assert all((SUITE / case / "error").exists() for case in ACCEPTED_INVALID)
    assert not any((SUITE / case / "error").exists() for case in REFUSED_VALID)
