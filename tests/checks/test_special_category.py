"""Categories that read as special-category or criminal offence data but are not marked: a
located warning naming the word and the mark (auditor review 2026-12-03g, problem 1). The
rule's findings are in tests/cases/special_category.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.policies.legal import SpecialWords, load_legal_table
from tests.helpers import audit_files, run

_ORGANISATION = "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}\n"


def _warnings(
    tmp_path: Path, categories: str, policies: tuple[str, ...] = ("uk-gdpr",)
) -> list[str]:
    path = tmp_path / "map.yaml"
    path.write_text(f"{_ORGANISATION}categories:\n{categories}", encoding="utf-8")
    return [
        w
        for w in audit_files(path, base=False, policies=policies).warnings
        if "reads as" in w and "data category" in w
    ]


def test_an_unmarked_health_category_is_warned_about_at_its_line(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 1: 'Mental health information' with no art9_kind
    was audited as ordinary data and GDPR-ART9 went n/a, with no word."""
    warnings = _warnings(tmp_path, "  - {id: notes, name: Mental health information}\n")
    assert warnings == [
        "map.yaml:3:17: data category 'notes' (Mental health information) reads "
        "as special-category data (the word 'health' in its name; UK GDPR Art. 9(1)), but the "
        "map does not mark it, so the rules audit it as ordinary data: if it is "
        "special-category data, add `art9_kind: health` to the category; if it is not, say "
        "`special_category: false`"
    ]


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ("{id: hr.health, name: Occupational health}", "health"),  # the bench's category
        ("{id: mental_health, name: Notes}", "health"),  # '_' splits words
        ("{id: clients, name: Client ethnicity}", "ethnicity"),
        ("{id: union, name: Trade union membership}", "trade union"),  # two words in a row
        ("{id: staff.faith, name: Staff}", "faith"),
        ("{id: access, name: Fingerprints for the door}", "fingerprints"),
        ("{id: vetting, name: DBS certificates}", "dbs"),  # Art. 10
        # the commonest health data a school or employer holds (DPO review 2026-12-03k, 2)
        ("{id: absence, name: Sickness absence records}", "sickness"),
        ("{id: diet, name: Allergies and dietary requirements}", "allergies"),
        ("{id: sen, name: SEN support plan}", "sen"),
        ("{id: plans, name: EHCP documents}", "ehcp"),
        # a phrase that excuses a word leaves the others read (health, after safety)
        ("{id: hs, name: Health and safety incidents and health notes}", "health"),
        # a person's health check, and a name written in CamelCase (attack review
        # 2026-12-03k, problem 7)
        ("{id: ohc, name: Occupational health check results}", "health"),
        ("{id: history, name: MedicalHistory}", "medical"),
    ],
)
def test_the_words_of_the_legal_table_are_read_whole(tmp_path: Path, line: str, word: str) -> None:
    """auditor review 2026-12-03g, problem 1: each kind's words, whole, in the id or name."""
    (warning,) = _warnings(tmp_path, f"  - {line}\n")
    assert f"(the word '{word}' in its " in warning


@pytest.mark.parametrize(
    "line",
    [
        "{id: healthcheck, name: Healthcheck service logs}",  # one word: no health data
        "{id: monitoring, name: Service healthchecks}",
        "{id: eu_residency, name: European Union residency}",  # 'union', not 'trade union'
        "{id: contact, name: Contact details}",
        "{id: health, name: Health, art9_kind: health}",  # marked
        "{id: health, name: Health, special_category: true}",  # marked
        "{id: health, name: Health and safety training dates, special_category: false}",  # said
        "{id: dbs, name: DBS checks, criminal_offence: true}",
        "{id: dbs, name: DBS reference numbers, criminal_offence: false}",
        # words that mean something else in these phrases (DPO review 2026-12-03k, 7)
        "{id: hs, name: Health and safety training records}",
        "{id: telemetry, name: Device health telemetry}",
        "{id: re, name: Religious education timetable}",
        "{id: races, name: Charity race entries}",
        "{id: uni, name: Medicine course applications}",
        "{id: behaviour, name: Behaviour offences log}",
    ],
)
def test_no_warning_without_a_whole_word_or_with_a_mark(tmp_path: Path, line: str) -> None:
    """auditor review 2026-12-03g, problem 1: 'healthcheck' is not the word 'health', and a
    category the map marks, or says is not such data, is left alone."""
    assert _warnings(tmp_path, f"  - {line}\n") == []


def test_a_category_under_or_above_a_marked_one_is_not_warned_about(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 1: the taxonomy makes `health.notes` special (its
    parent is), and the map knows what `health` includes when a child is marked."""
    assert (
        _warnings(
            tmp_path,
            "  - {id: health, name: Health, art9_kind: health}\n"
            "  - {id: health.notes, name: Health notes}\n"
            "  - {id: wellbeing, name: Wellbeing and health}\n"
            "  - {id: wellbeing.diagnosis, name: Diagnosis, art9_kind: health}\n",
        )
        == []
    )


def test_warned_only_when_a_rule_judges_that_data(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 1: with no special-category rule in force the
    warning would speak for no rule; Art. 10's words need a criminal offence rule."""
    categories = "  - {id: notes, name: Health notes}\n  - {id: dbs, name: DBS checks}\n"
    assert _warnings(tmp_path, categories, policies=("hygiene",)) == []
    words = [w.split("(the word ")[1].split(" in")[0] for w in _warnings(tmp_path, categories)]
    assert words == ["'health'", "'dbs'"]


def test_a_swiss_organisation_is_cited_its_own_law(tmp_path: Path) -> None:
    """DPO review 2026-12-03k, problem 5: the revFADP has no Art. 9 or 10, so a Swiss
    organisation's warning names sensitive personal data (Art. 5(c)), not the GDPR."""
    path = tmp_path / "map.yaml"
    path.write_text(
        "organisation: {id: acme, name: Acme AG, country: CH, regime: CH}\ncategories:\n"
        "  - {id: notes, name: Health notes}\n  - {id: dbs, name: DBS checks}\n",
        encoding="utf-8",
    )
    laws = [
        w.split("; ", 1)[1].split("), but")[0]
        for w in audit_files(path, base=False, policies=("uk-gdpr",)).warnings
        if "reads as" in w
    ]
    assert laws == [
        "sensitive personal data, revFADP Art. 5(c)",
        "sensitive personal data (administrative or criminal proceedings or sanctions), "
        "revFADP Art. 5(c)(5)",
    ]


def test_check_prints_the_warning(tmp_path: Path) -> None:
    """auditor review 2026-12-03g, problem 1: `check` says it, located; it is no finding."""
    (tmp_path / "map.yaml").write_text(
        f"{_ORGANISATION}categories:\n  - {{id: hr.health, name: Occupational health}}\n",
        encoding="utf-8",
    )
    result = run(["check", str(tmp_path), "--as-of", "2026-11-25"])
    assert (
        "/map.yaml:3:6: data category 'hr.health' "
        "(Occupational health) reads as special-category data"
    ) in result.output
    # the three findings every bare organisation gets (breach, notice content, rights)
    assert result.output.endswith("FAIL: 3 findings at or above low.\n")


def test_the_words_are_data_with_their_source() -> None:
    """auditor review 2026-12-03g, problem 1: the words are the legal table's, each row with
    its source, and a row's mark must be one a map can write."""
    rows = load_legal_table().bases.special_category_words
    assert {row.mark for row in rows} == {
        "art9_kind: health",
        "art9_kind: biometric",
        "art9_kind: genetic",
        "art9_kind: racial_or_ethnic_origin",
        "art9_kind: religious_or_philosophical_beliefs",
        "art9_kind: political_opinions",
        "art9_kind: trade_union_membership",
        "art9_kind: sex_life",
        "art9_kind: sexual_orientation",
        "criminal_offence: true",
    }
    assert all(row.source.startswith(("UK GDPR Art. 9(1)", "UK GDPR Art. 10")) for row in rows)
    with pytest.raises(ValueError, match="mark is one of"):
        SpecialWords(mark="art9_kind: wealth", words=["money"], source="s")
    with pytest.raises(ValueError, match="lowercase letters"):
        SpecialWords(mark="art9_kind: health", words=["Health"], source="s")
