"""Every kind of bad input is reported at file:line:col with exit code 2, all at once."""

from __future__ import annotations

import dataclasses
import inspect
import textwrap
from pathlib import Path

import pytest

from flowaudit.model.loader import Location, load_map
from flowaudit.model.problems import InputError
from tests.helpers import BASE, run

ORG = """\
organisation: {id: acme, name: Acme, country: GB, regime: UK}
"""


def write(tmp_path: Path, text: str, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_map(list(paths))
    return [str(p) for p in caught.value.problems]


def validate(*paths: Path) -> tuple[int, str]:
    result = run(["validate", *map(str, paths)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            ORG + "parties:\n  - {id: a, name: A, kind: isp, country: GB\n",
            ":4:1: YAML syntax error: while parsing a flow mapping did not find expected ',' or "
            "'}' (it began at line 3, column 5)",
            id="yaml-syntax",
        ),
        pytest.param(
            ORG + "flows:\n  - id: f\n    from: acme\n    to: acme\n    agrement: x\n",
            ":6:5: unknown field 'agrement' (did you mean 'agreement'?)",
            id="misspelt-field",
        ),
        pytest.param(
            ORG + "parties:\n  - id: p\n    name: P\n    country: GB\n",
            ":3:5: missing required field 'kind'",
            id="missing-field",
        ),
        pytest.param(
            ORG
            + "systems:\n  - {id: s, name: S, owner: acme, country: GB, retention_days: soon}\n",
            ":3:",
            id="wrong-type",
        ),
        pytest.param(
            ORG + "parties:\n  - id: p\n    name: P\n    name: Q\n    kind: isp\n    country: GB\n",
            ":5:5: duplicate key 'name' (first defined at line 4)",
            id="duplicate-key",
        ),
        pytest.param(
            ORG + "parties:\n  - {id: p, name: P, kind: isp, country: GB}\n"
            "  - {id: p, name: Q, kind: isp, country: GB}\n",
            ":4:6: duplicate id 'p' in parties",
            id="duplicate-id",
        ),
        pytest.param(
            ORG + "agreements:\n  - {id: a, kind: art28_dpa, parties: [acme, nobody], "
            "status: signed}\n",
            ":3:46: unknown party 'nobody'",
            id="dangling-reference",
        ),
        pytest.param(
            ORG + "agreements:\n  - id: a\n    kind: art28_dpa\n    parties: [acme, acme]\n"
            "    status: signed\n    signed_on: 2024-02-30\n",
            ":7:5: signed_on:",
            id="bad-date",
        ),
        pytest.param(
            ORG + "parties:\n  - {id: p, name: P, kind: isp, country: XX}\n",
            ":3:33: country: 'XX' is not an ISO 3166-1 alpha-2 country code",
            id="bad-country",
        ),
        pytest.param(
            ORG + "parties:\n  - {id: p, name: P, kind: isp, country: UK}\n",
            "the United Kingdom is 'GB'",
            id="uk-is-gb",
        ),
        pytest.param(
            ORG + "parties: !!python/object/apply:os.system ['echo pwned']\n",
            ":2:10: tag !!python/object/apply:os.system is not allowed",
            id="unsafe-tag",
        ),
        pytest.param(
            ORG + "partys: []\n",
            ":2:1: unknown top-level key 'partys' (did you mean 'parties'?)",
            id="unknown-top-level-key",
        ),
        pytest.param(
            "- just\n- a list\n", ":1:1: a map file must be a mapping", id="not-a-mapping"
        ),
        pytest.param(
            ORG + ORG,
            ":2:1: duplicate key 'organisation' (first defined at line 1)",
            id="duplicate-organisation-key",
        ),
        # auditor review 2026-12-03o, problem 14: "Input should be a valid list" showed no fix
        pytest.param(
            ORG + "parties:\n  - id: p\n    name: P\n    kind: isp\n    country: US\n"
            "    listed_under: eu_us_dpf\n",
            "map.yaml:7:5: listed_under: 'eu_us_dpf' is one value where a list is wanted: write"
            " listed_under: [eu_us_dpf]\n",
            id="one-value-for-a-list",
        ),
    ],
)
def test_bad_input_exits_2_at_file_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    code, output = validate(path)
    assert code == 2, output
    assert "Traceback" not in output
    assert f"{path}" in output or "map.yaml" in output
    assert expected in output, output


def test_dangling_reference_names_what_is_unknown(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ORG
        + """\
parties:
  - {id: isp-1, name: ISP, kind: isp, country: GB}
flows:
  - id: f
    from: acme
    to: isp-2
    categories: [contact]
    subjects: [staff]
    purpose: support
""",
    )
    problems = problems_of(path)
    assert problems == [
        f"{path.name}:7:5: unknown party or system 'isp-2' (did you mean 'isp-1'?)",
        f"{path.name}:8:18: unknown data category 'contact' "
        "(no data category is defined in the map)",
        f"{path.name}:9:16: unknown data subject 'staff' (no data subject is defined in the map)",
        f"{path.name}:10:5: unknown purpose 'support' (no purpose is defined in the map)",
    ]


def test_no_is_norway_not_false(tmp_path: Path) -> None:
    path = write(tmp_path, ORG + "parties:\n  - {id: p, name: P, kind: isp, country: NO}\n")
    loaded = load_map([path])
    assert loaded.data.parties[0].country == "NO"


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    first = write(
        tmp_path, ORG + "parties:\n  - {id: p, name: P, kind: isp, country: ZZ}\n", "a.yaml"
    )
    second = write(tmp_path, "flows: [\n", "b.yaml")
    code, output = validate(tmp_path)
    assert code == 2
    # outside the working folder: shown from the folder the map folder was named in
    assert f"{tmp_path.name}/{first.name}:3:33: country:" in output
    assert f"{tmp_path.name}/{second.name}:2:1: YAML syntax error" in output
    assert str(tmp_path) not in output
    # and that b.yaml, unread, leaves the references unchecked
    assert f"{tmp_path.name}/{second.name}:1:1: references to ids were not checked" in output
    assert "3 input problems" in output


def test_missing_organisation_and_missing_paths(tmp_path: Path) -> None:
    path = write(tmp_path, "parties: []\n")
    assert any("no 'organisation:'" in p for p in problems_of(path))
    code, output = validate(tmp_path / "nowhere")
    assert code == 2 and "no such file or folder" in output
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = validate(empty)
    assert code == 2 and "folder has no .yaml" in output


def test_json_maps_load_with_positions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"organisation": {"id": "acme", "name": "Acme", "country": "GB",\n'
        ' "regime": "UK", "colour": "red"}}\n',
        "map.json",
    )
    assert problems_of(path) == [
        f"{path.name}:2:18: unknown field 'colour' (did you mean 'country'?)"
    ]


def test_non_utf8_bom_and_nul(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(ORG.encode() + b"# caf\xe9\n")
    assert problems_of(bad) == [
        f"{bad.name}:2:6: file is not valid UTF-8 text (byte 0xe9, as in a file saved as "
        "Latin-1 or Windows-1252): save it as UTF-8 (in the editor's save dialog, encoding UTF-8)"
    ]
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + ORG.encode())
    assert load_map([bom]).organisation.id == "acme"
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(ORG.encode() + b"x: \x00\n")
    assert problems_of(nul) == [f"{nul.name}:2:4: file contains binary data (NUL byte)"]


def test_valid_map_summary() -> None:
    code, output = validate(BASE)
    assert code == 0
    assert (
        output == "Acme Ltd: valid map of 9 parties, 2 systems, 0 flows, 0 agreements in 1 file.\n"
    )


def test_organisation_defined_in_two_files(tmp_path: Path) -> None:
    write(tmp_path, ORG, "a.yaml")
    second = write(tmp_path, ORG, "b.yaml")
    folder = tmp_path.name
    assert problems_of(tmp_path) == [
        f"{folder}/{second.name}:1:1: organisation is defined more than once: a folder is one "
        f"map, and {folder}/a.yaml and {folder}/{second.name} both define the organisation "
        "(pass one file, or keep the organisation in one of them)"
    ]


def test_a_folder_of_two_generated_maps_says_why_first(tmp_path: Path) -> None:
    """bench/generate.py wrote a map as YAML and JSON into one folder; checking the folder
    gave 12,217 duplicates with no word of why (review 2026-12-02d, problem 7). The first
    problem now says that a folder is one map; the generator's help and note say to pass one
    file, and --formats writes one format."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
    both = tmp_path / "both"
    done = subprocess.run(
        [sys.executable, str(script), "--flows", "50", "--shape", "hub", "--out", str(both)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(p.name for p in both.iterdir()) == ["hub_50.json", "hub_50.yaml"]
    assert done.stderr == (
        "note: a folder is one map to flowaudit, and each of these 2 files is a whole map: "
        "pass one file to flowaudit check (one format: --formats yaml)\n"
    )
    found = problems_of(both)
    assert found[0] == (
        "both/hub_50.yaml:2:1: organisation is defined more than once: a folder is one map, "
        "and both/hub_50.json and both/hub_50.yaml both define the organisation (pass one "
        "file, or keep the organisation in one of them)"
    )
    assert sum("defined more than once" in line for line in found) == 1
    one = tmp_path / "one"
    subprocess.run(
        [sys.executable, str(script), "--flows", "50", "--formats", "yaml", "--out", str(one)],
        capture_output=True,
        check=True,
    )
    assert [p.name for p in one.iterdir()] == ["map_50.yaml"]
    assert load_map([one]).data.flows
    usage = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=True
    )
    assert "a folder is one map to flowaudit" in " ".join(usage.stdout.split())


def test_folded_and_literal_scalars_are_plain_text(tmp_path: Path) -> None:
    from flowaudit.model.yamlsource import parse_text

    data = parse_text("a: >-\n  one two\n  three\nb: |\n  x\n  y\n", "t.yaml").data
    assert data == {"a": "one two three", "b": "x\ny\n"}


def test_location_init_takes_every_field_in_order_and_stays_frozen() -> None:
    """Location is made by an __init__ of its own (cheaper than a frozen dataclass's)."""
    parameters = list(inspect.signature(Location.__init__).parameters)[1:]
    assert parameters == [field.name for field in dataclasses.fields(Location)]
    location = Location("m.yaml", 3, 7)
    assert (location.file, location.line, location.column) == ("m.yaml", 3, 7)
    assert location == Location("m.yaml", 3, 7) != Location("m.yaml", 3, 8)
    assert hash(location) == hash(dataclasses.replace(location))
    assert str(location) == "m.yaml:3:7"
    with pytest.raises(dataclasses.FrozenInstanceError):
        location.line = 4  # type: ignore[misc]


def test_a_stray_file_does_not_hide_reference_errors_and_an_unreadable_one_says_so(
    tmp_path: Path,
) -> None:
    """A README in the map folder hid every unknown-party error, and a JSON file with a syntax
    error hid them with no word of it (auditor's review 2026-12-02d, problem 4). A file that
    is no map file defines nothing: references are checked. A map file that cannot be read
    might define an id: references are not checked, and the run says why."""
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme, country: GB, regime: UK}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: staff, name: Staff}]\n"
        "purposes: [{id: support, name: Support}]\n"
        "flows:\n"
        "  - {id: f, from: acme, to: nobody, categories: [contact], subjects: [staff],"
        " purpose: support}\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text("# notes\n", encoding="utf-8")
    result = run(["validate", str(folder)])
    assert result.exit_code == 2
    assert "map/map.yaml:6:25: unknown party or system 'nobody' (known: acme)" in result.output
    (folder / "README.md").unlink()
    (folder / "extra.json").write_text('{"parties": [\n', encoding="utf-8")
    result = run(["validate", str(folder)])
    assert result.exit_code == 2
    assert "unknown party or system" not in result.output
    assert (
        "map/extra.json:1:1: references to ids were not checked, nor values of the legal "
        "table's lists (a lawful basis, a transfer mechanism, an Art. 9 condition...) in the "
        "other files: this map file could not be read, and an id it defines would be unknown; "
        "both are checked once it is fixed"
    ) in result.output


def test_a_field_under_an_element_is_where_its_whole_path_is() -> None:
    """``line_column_under`` walks down to an element once for all its fields: every key,
    item, missing field and path that leaves the data lands where ``line_column`` of the
    whole path puts it, whichever is asked first."""
    from flowaudit.model.yamlsource import parse_text

    text = textwrap.dedent(
        """\
        flows:
          - id: a
            to: b
            categories: [x, y]
            nested: {deep: [1, {k: v}]}
          - id: c
            to: d
        """
    )
    bases = [("flows", 0), ("flows", 1), ("flows", 5), ("nowhere",), ("flows",)]
    fields = [(), ("to",), ("categories", 1), ("nested", "deep", 1, "k"), ("absent",), (7,)]
    for base in bases:
        for field in fields:
            whole = parse_text(text, "m.yaml")
            under = parse_text(text, "m.yaml")
            under.line_column_under(base, ("id",))  # the element's walk, kept
            assert under.line_column_under(base, field) == whole.line_column((*base, *field))
    assert parse_text(text, "m.yaml").line_column_under(("flows", 0), ("categories", 1)) == (4, 21)


def test_a_purpose_that_is_a_kind_of_itself_is_refused_at_its_is_a(tmp_path: Path) -> None:
    """An is_a cycle says nothing a rule can use, and validate accepted it without a word
    (attack review 2026-12-03j, note under problem 5)."""
    path = write(
        tmp_path,
        ORG
        + """\
purposes:
  - {id: updates, name: Updates, is_a: [outreach]}
  - {id: outreach, name: Outreach, is_a: [marketing, updates]}
  - {id: marketing, name: Marketing}
""",
    )
    assert problems_of(path) == [
        f"{path.name}:3:41: purpose 'updates' is a kind of itself through is_a "
        "(updates -> outreach -> updates): say which is the broader purpose"
    ]


def test_an_is_a_chain_deeper_than_the_limit_is_refused_quickly(tmp_path: Path) -> None:
    """A chain of 4,000 purposes by is_a took 41 s to validate (the cycle search was cubic)
    and made every purpose's closure quadratic (attack review 2026-12-03k, problem 3): the
    chain is refused at its first purpose, and the walk is linear (a chain of 20,000)."""
    from flowaudit.model.taxonomy import MAX_IS_A_DEPTH

    lines = [f"  - {{id: p{n}, name: P{n}, is_a: [p{n + 1}]}}" for n in range(20_000)]
    lines.append("  - {id: p20000, name: Last}")
    path = write(tmp_path, ORG + "purposes:\n" + "\n".join(lines) + "\n")
    assert problems_of(path) == [
        f"{path.name}:3:24: purpose 'p0' is a kind of a kind of ... 20001 purposes deep "
        f"through is_a; at most {MAX_IS_A_DEPTH}: name the broader purpose the rules know "
        "(marketing) directly"
    ]


def test_a_comma_inside_a_braced_value_is_told_to_quote_the_value(tmp_path: Path) -> None:
    """Auditor review 2026-12-03r, problem 7: in the `{id: ..., name: ...}` style first-map.md
    uses, a comma inside an unquoted value ends it, and the text after it was reported as an
    unknown field with the allowed fields listed, which said nothing of quotes. The message
    now says what happened and gives the value quoted whole (several commas: one problem, at
    the first piece; newcomer review s19: every piece was a problem of its own, each with the
    same fix, so one mistake counted as two or three)."""
    path = write(
        tmp_path,
        """\
        organisation: {id: acme, name: Acme, country: GB, regime: UK}
        purposes:
          - {id: admin, name: Enrolment, attendance and pupil records, notice: PN-1}
          - {id: trips, name: Trips, visits, and "outings", notice: PN-2}
          - {id: other, name: Other, colour: red}
        """,
    )
    fix = "with no value: a comma inside a {...} value ends the value, so the text after the comma"
    assert problems_of(path) == [
        f"{path.name}:3:34: unknown field 'attendance and pupil records' {fix} in 'name' was"
        ' read as a field; put the whole value in quotes: name: "Enrolment, attendance and'
        ' pupil records"',
        f"{path.name}:4:30: unknown field 'visits' {fix} in 'name' was read as a field; put"
        ' the whole value in quotes: name: "Trips, visits, and \\"outings\\""',
        # a key with a value is a field: told the allowed ones, as before
        f"{path.name}:5:30: unknown field 'colour'; allowed: art10_condition, art9_condition,"
        " automated_decisions, business_function, controller, declared, description, dpia, id,"
        " is_a, joint_controllers, legitimate_interest, name, notice, online_service, retention,"
        " rights, source",
    ]


#: Each whole-number field of the map, in a one-line map that writes VALUE for it.
WHOLE_NUMBER_FIELDS = {
    "min_age": ORG + "subjects:\n  - {id: kids, name: Kids, children: true, min_age: VALUE}\n",
    "retention_days": ORG
    + "systems:\n  - {id: s, name: S, owner: acme, country: GB, retention_days: VALUE}\n",
    "dsar_days": "organisation: {id: acme, name: Acme, country: GB, regime: UK, "
    "dsar_days: VALUE}\n",
    "notify_within_hours": "organisation: {id: acme, name: Acme, country: GB, regime: UK, "
    "breach_procedure: {notify_within_hours: VALUE}}\n",
}


@pytest.mark.parametrize("field", sorted(WHOLE_NUMBER_FIELDS))
@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("true", "true"),
        ('"13"', "the text '13': write it unquoted"),
        ("13.0", "13.0"),
        (".nan", "nan"),
    ],
)
def test_a_whole_number_field_takes_only_a_whole_number(
    tmp_path: Path, field: str, written: str, shown: str
) -> None:
    """Attack review 2026-12-03r, problem 3: `min_age: true` was read as an age of 1 (and
    `"13"`, `13.0` as 13) with no word, while `retention_days: true` was refused; and
    `retention_days`, `dsar_days`, `notify_within_hours` took `"13"` and `13.0` too. Every
    whole-number field of the map now refuses a flag, a text and a float, located, exit 2."""
    text = WHOLE_NUMBER_FIELDS[field].replace("VALUE", written)
    path = write(tmp_path, text)
    result = run(["check", str(path), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if f"{field}:" in ln)
    column = text.splitlines()[line - 1].index(f"{field}:") + 1
    said = "breach_procedure.notify_within_hours" if field == "notify_within_hours" else field
    assert result.output.splitlines()[:2] == [
        f"map.yaml:{line}:{column}: {said}: expected a whole number, not {shown}",
        "flowaudit: 1 input problem; nothing was checked",
    ], result.output


@pytest.mark.parametrize("field", sorted(WHOLE_NUMBER_FIELDS))
def test_a_whole_number_field_takes_a_whole_number(tmp_path: Path, field: str) -> None:
    """The other side of problem 3: 13, as written, is read as 13."""
    path = write(tmp_path, WHOLE_NUMBER_FIELDS[field].replace("VALUE", "13"))
    loaded = load_map([path])
    data = loaded.data
    read = {
        "min_age": lambda: data.subjects[0].min_age,
        "retention_days": lambda: data.systems[0].retention_days,
        "dsar_days": lambda: loaded.organisation.dsar_days,
        "notify_within_hours": lambda: loaded.organisation.breach_procedure.notify_within_hours,
    }[field]()
    assert read == 13 and type(read) is int
