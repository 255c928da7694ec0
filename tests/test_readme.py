"""The README shows real output: its excerpts must match what the commands print today."""

from __future__ import annotations

from pathlib import Path

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _block(command: str) -> list[str]:
    start = README.index(f"$ {command}\n") + len(command) + 3
    return README[start : README.index("```", start)].rstrip("\n").splitlines()


def test_check_excerpt_matches_the_real_output() -> None:
    output = run(["check", str(shipped_map_dir()), "--as-of", "2026-11-25"]).output
    actual = [line.split("concero/", 1)[-1] for line in output.splitlines()]
    shown = [
        line.split("concero/", 1)[-1]
        for line in _block("flowaudit check model/concero --as-of 2026-11-25")
        if line != "..."
    ]
    for line in shown:
        assert line in actual, line
    positions = [actual.index(line) for line in shown]
    assert positions == sorted(positions), "the excerpt shows the lines out of order"


def test_trace_excerpt_matches_the_real_output() -> None:
    output = run(["trace", "pupils"]).output.rstrip("\n").splitlines()
    assert _block("flowaudit trace pupils") == output


DOCS = Path(__file__).parent.parent / "docs"


def test_the_ci_page_exists_and_is_linked_from_the_readme_and_the_first_map() -> None:
    """A newcomer looking for the CI page found four places to read and no docs/ci.md
    (auditor review 2026-12-02f, problem 4)."""
    page = (DOCS / "ci.md").read_text(encoding="utf-8")
    assert "(docs/ci.md)" in README
    assert "(ci.md)" in (DOCS / "first-map.md").read_text(encoding="utf-8")
    for needed in (
        "--base",
        "--accept-change",
        "--accept-reviewed-changes",
        "sarif",
        "junit",
        "markdown",
        "github",
        ".flowaudit.toml",
        "require_policies",
        "fail_on",
        "github-actions.yml",
    ):
        assert needed in page, needed
    for code in range(4):
        assert f"| {code} |" in page, code  # each exit code in the table


def test_every_option_the_ci_page_names_is_an_option_of_check() -> None:
    page = (DOCS / "ci.md").read_text(encoding="utf-8")
    options = set(run(["check", "--help"]).output.split())
    named = {word.split("=")[0] for word in page.replace("`", " ").split() if word[:2] == "--"}
    assert named and {o.rstrip(".,:;)") for o in named} <= {o.rstrip(",") for o in options}


def test_the_readme_says_diff_takes_folders_and_the_memory_measured() -> None:
    """`flowaudit diff main pr2` fails: diff takes two map folders, not git refs; and a
    100,000-flow check peaks at 832-967 MB, not "under 700 MB" (review 2026-12-02f)."""
    assert "(or `flowaudit diff BASE HEAD`)" not in README
    assert (
        "`flowaudit diff BASE HEAD` does the\n  same for two map folders or files, not git refs"
        in (README)
    )
    assert "700 MB" not in README and "under 1 GB of memory" in README


def test_the_dpia_is_named_among_what_is_not_modelled() -> None:
    """Auditor review 2026-12-03g, problem 4: a DPIA (Art. 35) was neither checked nor named
    in the limits; docs/rules.md's "Not modelled" list (generated) and the README's limits
    name it with what to do instead."""
    rules = (DOCS / "rules.md").read_text(encoding="utf-8")
    not_modelled = rules.split("Not modelled (a finding never rests on these):", 1)[1]
    entry = not_modelled.split("- data protection impact assessments (Art. 35):", 1)[1]
    assert "no rule asks whether processing needs one" in entry
    assert "record each DPIA done as an assessment (`kind: dpia`" in " ".join(entry.split())
    assert "whether processing needs a data protection impact assessment, Art. 35)" in " ".join(
        README.split()
    )
    assert "and record each one done as an assessment `kind: dpia` named in the purpose's" in (
        " ".join(README.split())
    )


def test_an_establishment_under_another_regime_is_named_among_what_is_not_modelled() -> None:
    """Auditor review 2026-12-03h, problem 9: a UK trust's Lyon branch (Art. 3(1): processing
    in the context of an EU establishment) was not mentioned; "Not modelled" named only Art.
    3(2). docs/rules.md's list (generated from reports/rules_doc.py) and the README's limits
    say the map models one organisation under one regime, an establishment elsewhere needing
    a map of its own."""
    rules = (DOCS / "rules.md").read_text(encoding="utf-8")
    not_modelled = rules.split("Not modelled (a finding never rests on these):", 1)[1]
    entry = " ".join(not_modelled.split("- Art. 3(1):", 1)[1].split("\n- ", 1)[0].split())
    assert entry == (
        "an establishment in another regime's territory (a UK organisation's branch or office"
        " in the EU) is not judged under that regime: the map models one organisation under one"
        " regime, and processing in the context of an establishment elsewhere needs a map of"
        " its own with that establishment's `regime`;"
    )
    assert (
        "Art. 3(1) for an establishment under another regime, such as a UK organisation's EU"
        " branch: it needs a map of its own;"
    ) in " ".join(README.split())


def test_solely_automated_decisions_are_named_among_what_is_not_modelled() -> None:
    """DPO review 2026-12-03u, problem 9: a purpose recording a solely automated refusal of
    credit (`automated_decisions`) passed with 0 findings, and nothing said that Art. 22 is
    not judged. docs/rules.md's "Not modelled" list (generated from reports/rules_doc.py) says
    so, and what the field is used for (the record of processing's column, read by no rule);
    the README's limits name it."""
    rules = (DOCS / "rules.md").read_text(encoding="utf-8")
    not_modelled = rules.split("Not modelled (a finding never rests on these):", 1)[1]
    entry = " ".join(
        not_modelled.split("- solely automated decisions", 1)[1].split("\n- ", 1)[0].split()
    )
    assert entry.startswith("with legal or similarly significant effects (Art. 22): no rule")
    assert "an Art. 22(2) ground" in entry and "the Art. 22(3) safeguards" in entry
    assert "Art. 13(2)(f)/14(2)(g)" in entry
    assert (
        "a purpose's `automated_decisions` is free text, printed in the record of processing's"
        ' "Automated decisions or profiling" column (Art. 30 and the ICO\'s template) and read'
        " by no rule"
    ) in entry
    assert "solely automated decisions, Art. 22;" in " ".join(README.split())
