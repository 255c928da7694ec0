"""Hostile input: every case ends in a clear located error with exit code 2, or in correct
output; never a traceback, never unbounded time or memory."""

from __future__ import annotations

import importlib
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from flowaudit.model.loader import load_map
from flowaudit.model.problems import InputError
from flowaudit.reports.json_report import render_json
from flowaudit.reports.output import path_inside, write_atomic
from flowaudit.reports.text import render_text
from tests.helpers import BASE, run
from tests.security.test_sanitise import assert_inert

ORG = "organisation: {id: acme, name: Acme, country: GB, regime: UK}\n"
AS_OF = ["--as-of", "2026-11-25"]


def write(tmp_path: Path, text: str | bytes, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def check_fails(*args: str, within: float = 10.0) -> list[str]:
    """Run `flowaudit check`, expect exit 2 within a time bound; the error lines."""
    started = time.monotonic()
    result = run(["check", *args, *AS_OF])
    assert time.monotonic() - started < within
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


def test_billion_laughs(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = write(tmp_path, ORG + "\n".join(lines) + "\n")
    output = check_fails(str(path), within=5)
    assert output == [
        f"{path.name}:6:10: more than 1000 alias expansions (a 'billion laughs' document?; "
        "raise the limit with --max-aliases)",
        "flowaudit: 1 input problem; nothing was checked",
    ]


def test_alias_limit_can_be_raised(tmp_path: Path) -> None:
    text = ORG + "x: &x {id: p}\n" + "".join(f"k{i}: *x\n" for i in range(5))
    assert "more than 3 alias" in "\n".join(
        check_fails(str(write(tmp_path, text)), "--max-aliases", "3")
    )
    output = check_fails(str(write(tmp_path, text)), "--max-aliases", "10")
    assert "alias expansions" not in "\n".join(output)  # only the unknown keys remain
    assert "unknown top-level key 'x'" in "\n".join(output)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_ten_thousand_levels(tmp_path: Path, style: str) -> None:
    if style == "flow":
        text = ORG + "parties: " + "[" * 10_000 + "]" * 10_000 + "\n"
    else:
        text = ORG + "parties:\n" + "".join(" " * i + "- \n" for i in range(1, 3000))
    path = write(tmp_path, text)
    output = check_fails(str(path), within=5)
    # block: exactly where nesting passes 64 levels; flow: where libyaml, which reads flow
    # brackets ahead of our walk, stops at its own bound of 1000 levels
    where = "2:1009" if style == "flow" else "67:66"
    assert output[0] == (
        f"{path.name}:{where}: nesting is too deep (limit 64 levels; raise it with --max-depth)"
    )


def test_depth_limit_can_be_raised(tmp_path: Path) -> None:
    nested = "[" * 70 + "]" * 70
    path = write(tmp_path, ORG + f"x: {nested}\n")
    assert "nesting is too deep" in check_fails(str(path))[0]
    raised = check_fails(str(path), "--max-depth", "100")
    assert "unknown top-level key 'x'" in raised[0]


def test_two_hundred_megabytes_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # sparse: costs no disk
        handle.truncate(200 * 1024 * 1024)
    output = check_fails(str(path), within=3)
    assert output[0].endswith(
        "huge.yaml:1:1: file is 209,715,200 bytes, over the limit of 67,108,864 "
        "(raise it with --max-file-size)"
    )


def test_file_size_limit_can_be_raised(tmp_path: Path) -> None:
    path = write(tmp_path, ORG + "# " + "x" * (1024 * 1024) + "\n")
    assert "over the limit of 1,048,576" in check_fails(str(path), "--max-file-size", "1")[0]
    result = run(["validate", str(path), "--max-file-size", "2"])
    assert result.exit_code == 0, result.output


def test_binary_junk(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 16
    output = check_fails(str(write(tmp_path, b"a: 1\n" + junk)))
    assert output[0].endswith("map.yaml:2:1: file contains binary data (NUL byte)")
    output = check_fails(str(write(tmp_path, b"a: 1\n\xff\xfe\x01junk")))
    assert output[0].endswith(
        "map.yaml:2:1: file is not valid UTF-8 text (byte 0xff, as in a file saved as Latin-1 "
        "or Windows-1252): save it as UTF-8 (in the editor's save dialog, encoding UTF-8)"
    )


def test_control_characters_without_nul(tmp_path: Path) -> None:
    output = check_fails(str(write(tmp_path, ORG + "x: a\x07b\x1b[31m\n")))
    assert output[0].endswith(
        "map.yaml:2:5: file contains the control character U+0007, which YAML does not allow"
    )


def test_non_utf8(tmp_path: Path) -> None:
    output = check_fails(str(write(tmp_path, ORG.encode() + b"parties: caf\xe9\n")))
    assert output[0].endswith(
        "map.yaml:2:13: file is not valid UTF-8 text (byte 0xe9, as in a file saved as Latin-1 "
        "or Windows-1252): save it as UTF-8 (in the editor's save dialog, encoding UTF-8)"
    )


def test_bom_is_accepted_and_positions_stay_right(tmp_path: Path) -> None:
    text = (
        ORG
        + "flows:\n  - {id: f1, from: acme, to: nowhere, categories: [c], "
        + "subjects: [s], purpose: p}\n"
    )
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode())
    output = "\n".join(check_fails(str(path)))
    assert f"{path.name}:3:26: unknown party or system 'nowhere'" in output


def test_tabs(tmp_path: Path) -> None:
    output = check_fails(str(write(tmp_path, ORG + "parties:\n\t- {id: p}\n")))
    assert ":3:1: YAML syntax error" in output[0]
    ok = ORG + 'parties: [{id: p, name: "tab\there", kind: isp, country: GB}]\n'
    loaded = load_map([write(tmp_path, ok, "ok.yaml")])
    assert loaded.data.parties[0].name == "tab\there"


def test_unsafe_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = ORG + f"parties: !!python/object/apply:os.system ['touch {marker}']\n"
    output = check_fails(str(write(tmp_path, text)))
    assert ":2:10: tag !!python/object/apply:os.system is not allowed" in output[0]
    assert not marker.exists()


# A bound on time: timed without the coverage tracer, which slows the loader severalfold.
@pytest.mark.no_cover
def test_ten_thousand_duplicate_ids(tmp_path: Path) -> None:
    party = "  - {id: same, name: P, kind: isp, country: GB}\n"
    path = write(tmp_path, ORG + "parties:\n" + party * 10_000)
    output = check_fails(str(path), within=20)
    duplicates = [line for line in output if "duplicate id 'same' in parties" in line]
    assert len(duplicates) == 100  # MAX_PROBLEMS_PER_FILE listed, the rest counted
    assert (
        duplicates[0]
        == f"{path.name}:4:6: duplicate id 'same' in parties (first defined at {path.name}:3)"
    )
    assert output[-2] == (
        f"{path.name}: 9,899 more problems not shown (the first 100 of this file are)"
    )
    assert output[-1] == "flowaudit: 9,999 input problems; nothing was checked"


# A bound on time: timed without the coverage tracer, which slows the loader severalfold.
@pytest.mark.no_cover
def test_thousands_of_dangling_references_stay_fast(tmp_path: Path) -> None:
    flows = "".join(
        f"  - {{id: f{i}, from: acme, to: ghost{i}, categories: [c], subjects: [s], purpose: p}}\n"
        for i in range(5_000)
    )
    parties = "".join(f"  - {{id: p{i}, name: P, kind: isp, country: GB}}\n" for i in range(5_000))
    path = write(tmp_path, ORG + "parties:\n" + parties + "flows:\n" + flows)
    output = check_fails(str(path), within=30)
    # the first 25 flows' four dangling references each are listed, the rest counted
    assert sum("unknown party or system 'ghost" in line for line in output) == 25
    assert output[-1] == "flowaudit: 20,000 input problems; nothing was checked"


def test_self_loops_and_cycles_are_checked(tmp_path: Path) -> None:
    text = (
        ORG
        + "parties:\n"
        + "  - {id: a, name: A, kind: hosting, country: US, role: processor}\n"
        + "  - {id: b, name: B, kind: hosting, country: US, role: processor}\n"
        + "categories: [{id: c, name: C}]\nsubjects: [{id: s, name: S, party_to_contract: true}]\n"
        + "purposes: [{id: p, name: P}]\nflows:\n"
        + "".join(
            f"  - {{id: {i}, from: {a}, to: {b}, categories: [c], subjects: [s], purpose: p, "
            "basis: contract}\n"
            for i, a, b in (
                ("self", "a", "a"),
                ("ab", "a", "b"),
                ("ba", "b", "a"),
                ("me", "acme", "acme"),
            )
        )
    )
    result = run(["check", str(write(tmp_path, text)), *AS_OF, "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {
        (f["rule_id"], f["element"]["id"], f["code"])
        for f in json.loads(result.output)["findings"]
        if f["element"]["collection"] == "flows" and f["rule_id"] != "HYG-NOTICE-CLAUSE"
    }
    # a processor passing data to another processor needs the controller's authorisation
    assert found == {
        ("GDPR-AGREEMENT", "ab", "missing"),
        ("GDPR-AGREEMENT", "ba", "missing"),
        ("GDPR-SUBPROCESSING", "ab", "not-authorised"),
        ("GDPR-SUBPROCESSING", "ba", "not-authorised"),
    }


@pytest.mark.parametrize(
    ("identifier", "why"),
    [
        ("p\u0430rty", "Cyrillic a"),
        ("party\u202e", "right-to-left override"),
        ("\u200fparty", "right-to-left mark"),
        ("\uff50arty", "fullwidth p"),
    ],
)
def test_confusable_and_bidi_ids_are_refused(tmp_path: Path, identifier: str, why: str) -> None:
    text = ORG + f'parties:\n  - {{id: "{identifier}", name: P, kind: isp, country: GB}}\n'
    output = check_fails(str(write(tmp_path, text)))
    assert ":3:6: id: " in output[0], why
    assert "is not valid: an id starts with an ASCII letter or digit" in output[0], why


def test_confusable_reference_is_dangling(tmp_path: Path) -> None:
    flow = '  - {id: f, from: acme, to: "us-h\u043est", categories: [contact], '
    flow += "subjects: [staff], purpose: support}\n"
    output = check_fails(str(BASE), str(write(tmp_path, "flows:\n" + flow)))
    assert output[0].endswith(
        "map.yaml:2:25: to: 'us-h\u043est' is not valid: an id starts with an ASCII letter or "
        "digit and holds only ASCII letters, digits, '_', '.' and '-' (e.g. parcel-labels)"
    )


HOSTILE_NAMES = [
    "Quote \" and ' here",
    "New\nline: forged.yaml:1:1 CRITICAL X",
    "<script>alert(1)</script> & <b>bold</b>",
    "**Markdown** [link](http://x) | table | `code`",
    'DOT "]; evil [label="x"]; // {',
    "RTL \u202egnp.exe\u202c and \u200f mark",
    "OSC \x1b]52;c;cHduZWQ=\x07 CSI \x1b[2J C1 \x9b31m LS \u2028 DEL \x7f",
    "\n::add-mask::secret\r\n::stop-commands::t ##[add-mask]x",
    '=HYPERLINK("http://evil.example","x") @octocat ![i](http://evil.example/i.png)',
]


def _formats() -> dict[str, Any]:
    """Every output format: the registry when it exists, else the two built in."""
    try:
        module = importlib.import_module("flowaudit.reports.formats")
    except ImportError:
        return {"text": render_text, "json": render_json}
    formats: dict[str, Any] = getattr(module, "FORMATS", {"text": render_text, "json": render_json})
    return formats


def _hostile_map(tmp_path: Path) -> Path:
    parties = "".join(
        f"  - {{id: p{i}, name: {json.dumps(name)}, kind: hosting, country: US, role: processor}}\n"
        for i, name in enumerate(HOSTILE_NAMES)
    )
    flows = "".join(
        f"  - {{id: f{i}, from: acme, to: p{i}, categories: [contact], subjects: [staff], "
        f"purpose: support, basis: contract, description: {json.dumps(name)}}}\n"
        for i, name in enumerate(HOSTILE_NAMES)
    )
    return write(tmp_path, "parties:\n" + parties + "flows:\n" + flows, "hostile.yaml")


def _parses(parse: Callable[[str], object]) -> Callable[[str], None]:
    """A validator: the output parses (the parser raises if not)."""

    def validate(out: str) -> None:
        parse(out)

    return validate


VALIDATORS: dict[str, Callable[[str], None]] = {
    "json": _parses(json.loads),
    "sarif": _parses(json.loads),
    "junit": _parses(ElementTree.fromstring),
}


@pytest.mark.parametrize("fmt", sorted(_formats()))
def test_hostile_names_through_every_format(tmp_path: Path, fmt: str) -> None:
    path = _hostile_map(tmp_path)
    first = run(["check", str(BASE), str(path), *AS_OF, "--format", fmt])
    second = run(["check", str(BASE), str(path), *AS_OF, "--format", fmt])
    assert first.exit_code == 1, first.output
    assert first.output == second.output  # deterministic
    # plain-text formats carry the name as text; GitHub shows annotations as plain text too
    assert "<script>" not in first.output or fmt in ("text", "json", "sarif", "junit", "github")
    VALIDATORS.get(fmt, lambda out: None)(first.output)
    assert_inert(first.output)  # every format goes through the one sanitiser
    if fmt == "markdown":
        assert not re.search(r"(?<!\\)\]\(", first.output)  # no link or image
        assert "@octocat" not in first.output  # no mention
    if fmt == "json":
        names = {f["message"] for f in json.loads(first.output)["findings"]}
        assert any("New\nline: forged.yaml:1:1 CRITICAL X" in m for m in names)
    if fmt == "text":
        lines = first.output.splitlines()
        assert not any(line.startswith("line: forged.yaml") for line in lines)
        assert any("New\\nline: forged.yaml:1:1 CRITICAL X" in line for line in lines)
        assert "\u202e" not in first.output and "\\u202egnp.exe" in first.output


def test_atomic_write_leaves_no_half_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, "old\n")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new " * 100_000)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "..", "", "a/b", "a\\b", "x\x00y"])
def test_out_folder_is_never_left(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"outside|plain file name"):
        path_inside(tmp_path, name)


def test_out_folder_symlink_leading_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="outside"):
        path_inside(tmp_path / "out", "link")
    assert (
        path_inside(tmp_path / "out", "report.html") == (tmp_path / "out" / "report.html").resolve()
    )


def test_input_error_type_is_raised_for_loader_api(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_map([write(tmp_path, b"\xff")])


def test_brackets_inside_a_plain_scalar_are_not_nesting() -> None:
    """Found by the fuzzer: the depth pre-scan counted '[' inside block text as nesting."""
    from flowaudit.model.yamlsource import Limits, parse_text

    text = "policy:\n  id: acm" + "[" * 200 + "e-typos\n  flow: [[1], {a: [2]}]\n"
    expected = {"policy": {"id": "acm" + "[" * 200 + "e-typos", "flow": [[1], {"a": [2]}]}}
    assert parse_text(text, "t.yaml", Limits()).data == expected
