"""A `notice:` clause id is checked against the notice's clauses: the organisation's
`notice_clauses` and the clause table of a shipped notice policy the map selects; a map that
cites clauses but lists none is warned once (auditor review 2026-12-03g, problem 2)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import run

_MAP = """\
organisation:
  id: acme
  name: Acme Ltd
  country: GB
  regime: UK
  notice: PN-WHO
{clauses}\
parties:
  - {{id: mailer, name: Mailer Ltd, kind: email, country: GB, role: processor, notice: PN-SHARE}}
categories: [{{id: contact, name: Contact}}]
subjects: [{{id: customers, name: Customers}}]
purposes: [{{id: news, name: News, notice: PN-PURPOSES}}]
flows:
  - {{id: a, from: acme, to: mailer, categories: [contact], subjects: [customers], purpose: news,
     basis: consent, notice: PN-PURPOSE}}
  - {{id: b, from: acme, to: mailer, categories: [contact], subjects: [customers], purpose: news,
     basis: consent, notice: PN-SHARE}}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder, so that outputs name files as `map/...`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_misspelt_clause_of_the_shipped_map_is_refused_at_its_line(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2: Concero with `notice: N-LOCATON` at
    flows.yaml:205 gave the same 57 findings, with no word; its clause table
    (policies/clauses/concero-notice.yaml) comes with the concero-notice policy it selects."""
    shutil.copytree(shipped_map_dir(), here / "concero")
    flows = here / "concero" / "flows.yaml"
    lines = flows.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[204] == "    notice: N-LOCATION\n"
    lines[204] = "    notice: N-LOCATON\n"
    flows.write_text("".join(lines), encoding="utf-8")
    result = run(["validate", "concero"])
    assert result.exit_code == 2
    assert result.stderr == (
        "concero/flows.yaml:205:5: unknown notice clause 'N-LOCATON' (did you mean "
        "'N-LOCATION'?)\nflowaudit: 1 input problem; nothing was checked\n"
    )
    # with no close clause, the clause ids are too many to list: the problem names the id
    lines[204] = "    notice: PN-TYPO-NOT-IN-ANY-NOTICE\n"
    flows.write_text("".join(lines), encoding="utf-8")
    result = run(["check", "concero", "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "concero/flows.yaml:205:5: unknown notice clause 'PN-TYPO-NOT-IN-ANY-NOTICE'"
    )


def test_the_shipped_map_cites_only_clauses_of_its_notice() -> None:
    """auditor review 2026-12-03g, problem 2: the check holds on Concero as shipped, and gives
    it no warning of unlisted clauses."""
    result = run(["check", "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assert "notice_clauses" not in result.output
    assert result.output.endswith("FAIL: 57 findings at or above low.\n")


def test_the_organisations_clause_list_checks_every_notice(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2: a map lists its notice's clauses on the
    organisation; every `notice:` (organisation, party, purpose, flow) must name one."""
    (here / "map").mkdir()
    clauses = "  notice_clauses: [PN-WHO, PN-PURPOSES, PN-SHARE]\n"
    (here / "map" / "map.yaml").write_text(
        _MAP.format(clauses=clauses).replace("notice: PN-WHO", "notice: PN-WHOM"),
        encoding="utf-8",
    )
    result = run(["validate", "map"])
    assert result.exit_code == 2
    assert result.stderr == (
        "map/map.yaml:6:3: unknown notice clause 'PN-WHOM' (did you mean 'PN-WHO'?)\n"
        "map/map.yaml:15:22: unknown notice clause 'PN-PURPOSE' (did you mean "
        "'PN-PURPOSES'?)\n"
        "flowaudit: 2 input problems; nothing was checked\n"
    )
    (here / "map" / "map.yaml").write_text(_MAP.format(clauses=clauses), encoding="utf-8")
    assert run(["validate", "map"]).stderr.startswith(
        "map/map.yaml:15:22: unknown notice clause 'PN-PURPOSE' (did you mean"
    )


def test_an_unknown_clause_far_from_every_clause_lists_the_few_there_are(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2: with no close clause, a short list is shown."""
    (here / "map").mkdir()
    text = _MAP.format(clauses="  notice_clauses: [PN-WHO, PN-PURPOSES, PN-SHARE]\n")
    (here / "map" / "map.yaml").write_text(
        text.replace("notice: PN-PURPOSE}", "notice: section-7}"), encoding="utf-8"
    )
    assert run(["validate", "map"]).stderr.splitlines()[0] == (
        "map/map.yaml:15:22: unknown notice clause 'section-7' (known: PN-PURPOSES, PN-SHARE, "
        "PN-WHO)"
    )


def test_a_map_that_lists_no_clauses_is_told_once(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2: with no clause list the ids are checked against
    nothing: one warning, at the first citation, not one per element; validation passes."""
    (here / "map").mkdir()
    (here / "map" / "map.yaml").write_text(_MAP.format(clauses=""), encoding="utf-8")
    assert run(["validate", "map"]).exit_code == 0
    result = run(["check", "map", "--as-of", "2026-11-25"])
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: 5 elements of the map cite a notice clause (notice:, the first at "
        "map/map.yaml:6:3), but the map lists no clauses of its notice, so a misspelt clause "
        "id passes HYG-NOTICE-CLAUSE: list the notice's clause ids in the organisation's "
        "notice_clauses, and each notice: is checked against them"
    ]


def test_no_warning_without_a_citation(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2: a map citing no clause has nothing to be told
    (HYG-NOTICE-CLAUSE says what it lacks, flow by flow)."""
    (here / "map").mkdir()
    text = re.sub(r"(?m)^  notice: PN-WHO\n|, notice: PN-[A-Z]+", "", _MAP.format(clauses=""))
    (here / "map" / "map.yaml").write_text(text, encoding="utf-8")
    result = run(["check", "map", "--as-of", "2026-11-25"])
    assert "notice_clauses" not in result.output, result.output
    assert "HYG-NOTICE-CLAUSE flows/a" in result.output  # the rule is there, and says so


def test_a_selected_notice_policys_table_is_the_notice_s_clauses(here: Path) -> None:
    """auditor review 2026-12-03g, problem 2, and attack review 2026-12-03k, problem 6: the
    clause table of the notice policy the map selects (concero-notice) is the notice's
    clauses; an id the organisation adds in notice_clauses is refused there, and a flow
    citing it is no longer known: a map could add a clause the notice does not have."""
    (here / "map").mkdir()
    text = _MAP.format(clauses="  policies: [concero-notice]\n  notice_clauses: [PN-EXTRA]\n")
    text = text.replace("PN-WHO", "N-WHO").replace("PN-SHARE", "N-SHARE")
    (here / "map" / "map.yaml").write_text(
        text.replace("PN-PURPOSES", "PN-EXTRA"), encoding="utf-8"
    )
    lines = run(["validate", "map"]).stderr.splitlines()
    assert lines[0] == (
        "map/map.yaml:8:20: notice clause 'PN-EXTRA' is not a clause of the notice the map "
        "selects (concero-notice's clause table)"
    )
    assert "unknown notice clause 'PN-EXTRA'" in "\n".join(lines[1:])
    assert lines[-1] == f"flowaudit: {len(lines) - 1} input problems; nothing was checked"
