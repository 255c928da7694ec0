"""Regression tests for the attacker review of 2026-12-02 (items 4-7, 9, 12-14): every input
string reaches stderr through the sanitiser, oversized integers, exponential onward chains,
backtracking ignore patterns and endless error lists are located input errors (exit 2), the
report folder holds only what this run wrote, invisible characters are shown, and Graphviz
expands no escape sequence from input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flowaudit.reports.sanitise import for_csv_cell, for_json, for_markdown, for_terminal
from tests.helpers import FIXTURES, audit_files, require_tool, run
from tests.security.test_baseline_attacks import Repo

EVIL = "systems\n::error title=flowaudit::flowaudit PASS - reviewed\n::add-mask::FAIL\n\r.yaml"


def _no_forged_line(text: str) -> None:
    """No raw CR, and no line that starts a GitHub Actions workflow command."""
    assert "\r" not in text
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


def test_a_map_file_renamed_to_a_workflow_command_forges_no_line_on_stderr(tmp_path: Path) -> None:
    """Item 7: the change id of a map file gone holds the base's file path: a pull request
    that renamed systems.yaml to a name with line breaks and ``::error`` (merged as the
    base), then back, made gate_notes print raw workflow commands on stderr."""
    require_tool("git")
    repo = Repo(tmp_path / "repo")
    (repo.root / "data-map" / "systems.yaml").rename(repo.root / "data-map" / EVIL)
    repo.commit("rename to a workflow command")
    (repo.root / "data-map" / EVIL).rename(repo.root / "data-map" / "systems.yaml")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    # the id percent-encodes what a shell or a terminal would read (attack review i, E)
    shown = "data-map/systems%0A::error%20title%3Dflowaudit::flowaudit%20PASS%20-%20reviewed%0A"
    # said once, in the text printed (auditor review 2026-12-02f, problem 9)
    assert f"change to review: map-file-gone:{shown}" in result.stdout
    _no_forged_line(result.stderr)
    _no_forged_line(result.stdout)


def test_a_long_list_of_bad_parties_lists_a_hundred_problems_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """Item 14: each wrong element of a one-line list was located (a search of that line)
    and printed: 2 MB gave a million error lines in 66 s. Now the first 100 problems of the
    file are listed and the rest counted, without locating them."""
    items = 100_000
    (tmp_path / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"
        f"parties: [{','.join(['a'] * items)}]\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    result = run(["validate", str(tmp_path)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 100 + 2  # MAX_PROBLEMS_PER_FILE
    assert lines[0].endswith(
        "map.yaml:2:11: value: Input should be a valid dictionary or instance of Party"
    )
    assert lines[-2].endswith(
        f"map.yaml: {items - 100:,} more problems not shown (the first 100 of this file are)"
    )
    assert lines[-1] == f"flowaudit: {items:,} input problems; nothing was checked"
    assert elapsed < 10, elapsed  # 3.3 s before, 0.7 s after (quadratic: 66 s at 1M)


HUGE = "9" * 5_000


@pytest.mark.parametrize("kind", ["map", "yaml", "policy", "config"])
def test_an_integer_of_five_thousand_digits_is_a_located_input_error(
    tmp_path: Path, kind: str
) -> None:
    """Item 6: json.loads and tomllib convert integers with int(), which refuses more than
    4,300 digits (CVE-2020-10735) with a ValueError: exit 3, "internal error". Now the digit
    run is found (on the error path only) and located."""
    map_file = tmp_path / "map.json"
    organisation = '{"id": "acme", "name": "Acme", "country": "GB", "regime": "UK"}'
    big = HUGE if kind == "map" else ""
    map_file.write_text(f'{{"organisation": {organisation},\n "parties": [{big}]}}\n')
    args = ["check", str(map_file), "--as-of", "2026-11-25"]
    if kind == "policy":
        policy = tmp_path / "house.json"
        policy.write_text(f'{{"policy": {{"id": "house", "title": "H"}},\n  "rules": {HUGE}}}\n')
        args += ["--policies", str(policy)]
        where = "house.json:2:12"
    elif kind == "config":
        config = tmp_path / "gate.toml"
        config.write_text(f"[check]\nfail_on = {HUGE[:2]}_{HUGE[2:]}\n")
        args += ["--config", str(config)]
        where = "gate.toml:2:11"
    elif kind == "yaml":  # the YAML reader's int() (attack review 2026-12-02d, 8)
        map_file.unlink()
        yaml_map = tmp_path / "map.yaml"
        yaml_map.write_text(f"organisation: {organisation}\nparties:\n  - {HUGE}\n")
        args[1] = str(yaml_map)
        where = "map.yaml:3:5"
    else:
        where = "map.json:2:14"
    result = run(args)
    assert result.exit_code == 2, result.output
    assert f"{where}: a number of 5,000 digits: numbers may have at most 4,300" in result.stderr
    assert "internal error" not in result.output


ONWARD_ONLY = FIXTURES / "transfers" / "onward-only-policy.yaml"


def _layered_map(categories: int, layers: int) -> str:
    """The attacker's map: the organisation sends K categories to p0; between each layer of
    parties, K flows each carry all categories but one; the last party sends all to the US.
    Every subset of up to ``layers`` dropped categories is a distinct state of the search."""
    cats = [f"c{i:02d}" for i in range(categories)]
    every = ", ".join(cats)
    flow = "subjects: [customers], purpose: ops, basis: contract}"
    lines = [
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}",
        "categories:",
        *(f"  - {{id: {c}, name: Cat {c}}}" for c in cats),
        "subjects:\n  - {id: customers, name: Customers}",
        "purposes:\n  - {id: ops, name: Operations}",
        "parties:",
        *(f"  - {{id: p{i}, name: P{i}, kind: hosting, country: GB}}" for i in range(layers + 1)),
        "  - {id: bad, name: Bad Co, kind: hosting, country: US}",
        "flows:",
        f"  - {{id: start, from: acme, to: p0, categories: [{every}], {flow}",
    ]
    for layer in range(layers):
        for j, dropped in enumerate(cats):
            kept = ", ".join(c for c in cats if c != dropped)
            lines.append(
                f"  - {{id: f{layer}-{j}, from: p{layer}, to: p{layer + 1}, "
                f"categories: [{kept}], {flow}"
            )
    lines.append(f"  - {{id: last, from: p{layers}, to: bad, categories: [{every}], {flow}")
    return "\n".join(lines) + "\n"


def test_onward_chains_with_exponentially_many_category_sets_are_followed_one_category_at_a_time(
    tmp_path: Path,
) -> None:
    """Item 4: GDPR-ONWARD's search once kept the set of categories a chain still carries as
    its state, and this 29 KB map made those sets exponential: 90 s and 727 MB. The search
    now follows one category at a time (a narrowing is a union over the categories carried),
    so the same map is judged in a moment: the US hop's one finding, on the hop's own flow."""
    (tmp_path / "map.yaml").write_text(_layered_map(20, 7), encoding="utf-8")
    started = time.perf_counter()
    result = audit_files(
        tmp_path / "map.yaml", policies=(), user_policies=[ONWARD_ONLY], base=False
    )
    assert time.perf_counter() - started < 20  # a hang guard: it took 90 s before the budget
    assert [(f.rule_id, f.element[1], f.path[-2:]) for f in result.findings] == [
        ("TEST-ONWARD", "last", ("p7", "bad"))
    ]
    assert "; the organisation's data reaching it: " in result.findings[0].message
    assert ", from its flow start; the shortest way: acme (GB) -> p0 (GB) -> " in (
        result.findings[0].message
    )


def _wide_map(categories: int) -> str:
    """The organisation sends K categories to p0, which passes them all on to p1 and p1 to the
    US: the search follows K categories over each link."""
    cats = [f"c{i:03d}" for i in range(categories)]
    every = ", ".join(cats)
    flow = f"categories: [{every}], subjects: [customers], purpose: ops, basis: contract}}"
    return (
        "\n".join(
            [
                "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}",
                "categories:",
                *(f"  - {{id: {c}, name: Cat {c}}}" for c in cats),
                "subjects:\n  - {id: customers, name: Customers}",
                "purposes:\n  - {id: ops, name: Operations}",
                "parties:",
                "  - {id: p0, name: P0, kind: hosting, country: GB}",
                "  - {id: p1, name: P1, kind: hosting, country: GB}",
                "  - {id: bad, name: Bad Co, kind: hosting, country: US}",
                "flows:",
                f"  - {{id: start, from: acme, to: p0, {flow}",
                f"  - {{id: on, from: p0, to: p1, {flow}",
                f"  - {{id: last, from: p1, to: bad, {flow}",
            ]
        )
        + "\n"
    )


def test_the_onward_search_stops_at_its_budget_with_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search's work is bounded (1 step per category per link, a base plus 100 per flow):
    past it, a located input error, never a silent pass. The budget is a limit, not a verdict:
    at the default base the same map is judged, the US hop reported."""
    (tmp_path / "map.yaml").write_text(_wide_map(400), encoding="utf-8")
    monkeypatch.setenv("FLOWAUDIT_ONWARD_BUDGET", "1")
    stopped = run(["check", str(tmp_path), "--as-of", "2026-11-25"])
    assert stopped.exit_code == 2, stopped.output
    assert stopped.stderr.splitlines()[0].endswith(
        "map.yaml:412:37: GDPR-ONWARD: following the onward chains of the organisation's flows "
        "takes more than 301 steps (a step: one category over one link; raise "
        "FLOWAUDIT_ONWARD_BUDGET)"
    )
    monkeypatch.delenv("FLOWAUDIT_ONWARD_BUDGET")
    judged = audit_files(
        tmp_path / "map.yaml", policies=(), user_policies=[ONWARD_ONLY], base=False
    )
    assert [(f.rule_id, f.element[1]) for f in judged.findings] == [("TEST-ONWARD", "last")]


def test_a_backtracking_ignore_pattern_is_refused_at_its_line(tmp_path: Path) -> None:
    """Item 5: pathspec matches with backtracking regexes; ``a*a*a*...b`` against a
    200-character file name hung the run (6 stars: over 100 s). A part of a pattern with
    more than two ``*`` is refused, located at the third."""
    shop = tmp_path / "map"
    shop.mkdir()
    (shop / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n", encoding="utf-8"
    )
    (shop / ("a" * 200 + ".yaml")).write_text("", encoding="utf-8")
    (shop / ".flowauditignore").write_text(
        "# drafts\n**/drafts/**/*.md\nnotes/a*b*.txt\n" + "a*" * 12 + "b\n", encoding="utf-8"
    )
    started = time.perf_counter()
    result = run(["validate", str(shop)])
    assert time.perf_counter() - started < 10
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"map/.flowauditignore:4:6: pattern '{'a*' * 12}b' has 12 '*' wildcards in one "
        "path part; at most 2 are allowed",
        "flowaudit: 1 input problem; nothing was checked",
    ]


def test_ignore_patterns_with_two_stars_a_part_still_ignore(tmp_path: Path) -> None:
    """The bound leaves the usual patterns alone (``**`` parts, two stars in a name)."""
    shop = tmp_path / "map"
    (shop / "notes").mkdir(parents=True)
    (shop / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n", encoding="utf-8"
    )
    (shop / "notes" / "a-to-b.txt").write_text("x", encoding="utf-8")
    (shop / ".flowauditignore").write_text("notes/**/a*b*.txt\n", encoding="utf-8")
    result = run(["validate", str(shop)])
    assert result.exit_code == 0, result.output


def test_graphviz_escapes_in_an_organisation_name_are_drawn_as_written(tmp_path: Path) -> None:
    """Item 13: Graphviz expands ``\\G`` (the graph's name), ``\\N``, ``\\E``, ``\\T``,
    ``\\H``, ``\\L`` in HTML-like labels: an organisation named ``Acme \\G`` was drawn as
    "Acme flowaudit" in the diagram's title, since ``_h()`` did not double backslashes."""
    require_tool("dot")
    shop = tmp_path / "map"
    assert run(["init", str(shop), "--example", "shop"]).exit_code == 0
    organisation = shop / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  name: "))
    organisation.write_text(
        text.replace(name, '  name: "Shop \\\\G \\\\N \\\\L Ltd"', 1), encoding="utf-8"
    )
    svg = tmp_path / "d.svg"
    result = run(["diagram", str(shop), "--out", str(svg), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    drawn = svg.read_text(encoding="utf-8")
    assert "Shop \\G \\N \\L Ltd" in drawn
    assert "Shop flowaudit" not in drawn


INVISIBLE = "a\u200bb\u2060c\u00add\u3164e\U000e0041\ufeff\u180ef"


def test_invisible_characters_are_shown_escaped_in_every_channel() -> None:
    """Item 12: zero-width space, word joiner, soft hyphen, Hangul filler and tag characters
    (format characters, Cf, and blank letters) passed raw: two names that read the same
    could differ. They are now shown like the bidi controls, and JSON keeps their values."""
    shown = "a\\u200bb\\u2060c\\xadd\\u3164e\\U000e0041\\ufeff\\u180ef"
    assert for_terminal(INVISIBLE) == shown
    assert for_terminal("\u3164") == "\\u3164"  # the fast path takes printable text
    assert for_csv_cell(INVISIBLE) == shown
    document = for_json({"name": INVISIBLE})
    assert document.isascii() or not any(c in document for c in INVISIBLE if not c.isalpha())
    assert "\\udb40\\udc41" in document  # a tag character: its UTF-16 pair, as JSON has it
    assert json.loads(document) == {"name": INVISIBLE}


def test_markdown_from_input_makes_no_emphasis_emoji_or_reference() -> None:
    """Item 12: ``~~strike~~``, ``**bold**``, ``_x_``, ``:white_check_mark:``, ``#1``,
    ``owner/repo#1`` and ``GH-12`` worked in Markdown reports and comments."""
    text = "~~db~~ **Inc** _x_ :white_check_mark: :+1: #1 owner/repo#1 GH-12 flows.yaml:49:5"
    assert for_markdown(text) == (
        "\\~\\~db\\~\\~ \\*\\*Inc\\*\\* \\_x\\_ :&#8203;white_check_mark: :&#8203;+1: "
        "#&#8203;1 owner/repo#&#8203;1 GH&#8203;-12 flows.yaml:49:5"
    )
    # inside a word '_' opens no emphasis: ids keep their spelling
    assert for_markdown("art49_derogation payment_card") == "art49_derogation payment_card"


def test_an_invisible_character_in_a_name_reaches_no_output_raw(tmp_path: Path) -> None:
    """The same through the CLI: an organisation name with a zero-width space and a tag
    character, in the text and Markdown formats."""
    shop = tmp_path / "map"
    assert run(["init", str(shop), "--example", "shop"]).exit_code == 0
    organisation = shop / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  name: "))
    organisation.write_text(
        text.replace(name, '  name: "Shop\\u200b\\U000E0041 Ltd"', 1), encoding="utf-8"
    )
    for fmt in ("text", "markdown", "github", "sarif", "json"):
        result = run(["check", str(shop), "--as-of", "2026-11-25", "--format", fmt])
        assert result.exit_code in (0, 1), result.output
        assert "\u200b" not in result.output and "\U000e0041" not in result.output, fmt
        if fmt == "text":
            assert "Shop\\u200b\\U000e0041 Ltd" in result.output


def _shop(tmp_path: Path) -> Path:
    shop = tmp_path / "map"
    assert run(["init", str(shop), "--example", "shop"]).exit_code == 0
    return shop


def test_the_report_folder_holds_only_what_this_run_wrote(tmp_path: Path) -> None:
    """Item 9: a forged report.md stayed when the run failed, a stale report.pdf stayed
    without --pdf, and the CI artifact uploaded the whole folder. The files a report writes
    are removed first; other files are left alone and named; a folder with a report file's
    name is an output error."""
    shop = _shop(tmp_path)
    out = tmp_path / "fr"
    out.mkdir()
    (out / "report.md").write_text("flowaudit PASS (forged)", encoding="utf-8")
    (out / "report.pdf").write_text("stale", encoding="utf-8")
    (out / "extra.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (out / "agreements.csv").mkdir()
    blocked = run(["report", str(shop), "--out", str(out), "--diagram", "none"])
    assert blocked.exit_code == 2, blocked.output
    assert "agreements.csv: is a folder, where the report writes a file" in blocked.stderr
    (out / "agreements.csv").rmdir()
    # a run that fails on its input leaves none of the report's files behind
    (out / "report.md").write_text("flowaudit PASS (forged)", encoding="utf-8")
    (shop / "broken.yaml").write_text("parties: [a]\n", encoding="utf-8")
    failed = run(["report", str(shop), "--out", str(out), "--diagram", "none"])
    assert failed.exit_code == 2, failed.output
    assert sorted(p.name for p in out.iterdir()) == ["extra.html"]
    (shop / "broken.yaml").unlink()
    done = run(["report", str(shop), "--out", str(out), "--diagram", "none"])
    assert done.exit_code in (0, 1), done.output
    names = sorted(p.name for p in out.iterdir())
    assert "report.pdf" not in names and "extra.html" in names
    assert "forged" not in (out / "report.md").read_text(encoding="utf-8")
    assert (
        "also holds what flowaudit did not write (left alone; upload the report's files by "
        "name): extra.html" in done.stderr
    )


def test_the_workflow_uploads_the_report_files_by_name() -> None:
    """Item 9: the example workflow's artifact names the report's files, not the folder."""
    workflow = (Path(__file__).parents[2] / "docs" / "github-actions.yml").read_text("utf-8")
    assert "path: flowaudit-report/\n" not in workflow
    assert "flowaudit-report/report.html" in workflow


def test_a_full_disk_or_a_closed_pipe_on_standard_output_is_an_output_error() -> None:
    """A report printed to a full disk was an internal error (exit 3), and JSON printed into
    a closed pipe ended with the audit's exit 1 and nothing said (attack review 2026-12-02e,
    hole 4): CI would read a cut report as the whole. Both are output errors: exit 2, said."""
    command = [sys.executable, "-m", "flowaudit", "check", "--as-of", "2026-11-25"]
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run(
            [*command, "--format", "json"],
            check=False,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "flowaudit: cannot write standard output: No space left on device"
    )
    child = subprocess.Popen(
        [*command, "--format", "sarif"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(10)
    child.stdout.close()
    assert child.wait(timeout=60) == 2
    assert child.stderr.read().decode().strip() == (
        "flowaudit: cannot write standard output: Broken pipe"
    )
