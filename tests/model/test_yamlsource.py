"""The YAML reader: YAML 1.2 data, positions, and a located problem for everything refused."""

from __future__ import annotations

import json

import pytest

from flowaudit.model.problems import InputError, Position
from flowaudit.model.yamlsource import (
    Limits,
    ParsedDocument,
    decode_text,
    dump_yaml,
    parse_json,
    parse_stream,
    parse_text,
    resolve_plain,
)


def problems(text: str, limits: Limits | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_text(text, "m.yaml", limits)
    return [str(p) for p in caught.value.problems]


def test_yaml_12_core_schema() -> None:
    text = (
        "country: NO\nyes_: yes\non_: on\nt: true\nf: False\nn: ~\ne:\nd: 2024-01-31\n"
        "i: 0x1F\nb: 0b101\no: 0o17\nold_octal: 017\nu: 1_000\nfl: 1.5e3\ninf: -.inf\n"
        "q: '0x1F'\neq: =\nmerge: <<\nplus: +12\nexp: 1e3\n"
    )
    data = parse_text(text, "m.yaml").data
    assert data == {
        "country": "NO",
        "yes_": "yes",
        "on_": "on",
        "t": True,
        "f": False,
        "n": None,
        "e": None,
        "d": "2024-01-31",
        "i": 31,
        "b": "0b101",  # YAML 1.1 binary: a string in 1.2
        "o": 15,
        "old_octal": 17,  # YAML 1.1 octal: decimal in 1.2
        "u": "1_000",  # YAML 1.1 digit separators: a string in 1.2
        "fl": 1500.0,
        "inf": float("-inf"),
        "q": "0x1F",
        "eq": "=",
        "merge": "<<",
        "plus": 12,
        "exp": 1000.0,
    }


def test_non_specific_tag_makes_a_string_and_core_tags_are_honoured() -> None:
    text = "a: ! 12\nb: !!str 12\nc: !!int '12'\nd: !!float 1\ne: !!null ''\nf: !!bool true\n"
    assert parse_text(text, "m.yaml").data == {
        "a": "12",
        "b": "12",
        "c": 12,
        "d": 1.0,
        "e": None,
        "f": True,
    }
    assert problems("a: !!int twelve\n") == ["m.yaml:1:4: 'twelve' is not a valid !!int"]


def test_plain_scalars_starting_with_indicators() -> None:
    assert parse_text("?foo: -bar\nx: [a?b, -c]\n", "m.yaml").data == {
        "?foo": "-bar",
        "x": ["a?b", "-c"],
    }


def test_positions_of_keys_and_items() -> None:
    text = (
        "flows:\n"
        "  - id: a\n"
        "    categories: [x, 'y']\n"
        "  - {id: b, to: c}\n"
        '  -   "q"\n'
        "name: >-\n  folded\n  text\n"
    )
    document = parse_text(text, "m.yaml")
    assert document.data["name"] == "folded text"
    expected = {
        ("flows",): Position(1, 1),
        ("flows", 0): Position(2, 5),
        ("flows", 0, "id"): Position(2, 5),
        ("flows", 0, "categories"): Position(3, 5),
        ("flows", 0, "categories", 0): Position(3, 18),
        ("flows", 0, "categories", 1): Position(3, 21),
        ("flows", 1): Position(4, 5),
        ("flows", 1, "id"): Position(4, 6),
        ("flows", 1, "to"): Position(4, 13),
        ("flows", 2): Position(5, 7),
        ("name",): Position(6, 1),
    }
    assert dict(document.positions) == expected
    assert document.position(("flows", 1, "to", "deeper")) == Position(4, 13)
    assert document.position(("flows", 7)) == Position(1, 1)  # "flows" itself
    assert document.position(("flows", "x")) == Position(1, 1)
    assert document.position(("missing",)) == Position(1, 1)


def test_positions_in_a_large_mapping() -> None:
    text = "".join(f"k{i}: {i}\n" for i in range(100))
    document = parse_text(text, "m.yaml")
    assert document.position(("k73",)) == Position(74, 1)
    assert document.position(("k7",)) == Position(8, 1)


def test_crlf_bom_and_unicode_columns() -> None:
    text = decode_text("\ufeffa: ø\r\nbé: [ü, x]\r\nc: 1\r\nd: 2\n".encode(), "m.yaml")
    document = parse_text(text, "m.yaml")
    assert document.data == {"a": "ø", "bé": ["ü", "x"], "c": 1, "d": 2}
    assert document.positions[("bé", 1)] == Position(2, 9)
    assert document.positions[("d",)] == Position(4, 1)


def test_a_line_break_by_cr_alone_is_refused_in_json_too() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"a": 1,\r "b": 2}\n', "m.json")
    assert [str(p) for p in caught.value.problems] == [
        "m.json:1:9: a line break by CR alone (not CR LF): git and code review show the lines "
        "it separates as one, so a reviewer would not see what follows it; use LF or CR LF "
        "line breaks"
    ]


def test_half_a_surrogate_pair_in_json_is_refused_where_it_stands() -> None:
    """A lone surrogate escape is no character: no output can carry it and condition rules
    failed on it (attack review 2026-12-02c, 12). A whole pair is an ordinary character."""
    with pytest.raises(InputError) as caught:
        parse_json('{"name": "A\\ud800B", "x": 1}\n', "m.json")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 14)  # the escape after "A"
    assert "invalid Unicode character escape" in problem.message
    assert parse_json('{"name": "A\\ud83d\\ude00B"}\n', "m.json").data == {"name": "A\U0001f600B"}


def test_a_line_break_by_cr_alone_is_refused_where_it_stands() -> None:
    """A CR alone breaks a YAML line but not a git or review line: ``# note\rkey: value``
    shows a reviewer a comment and gives the loader a field (attack review 2026-12-02b)."""
    assert problems("a: 1\r\nb: 2 # TODO\r  c: 3\n") == [
        "m.yaml:2:12: a line break by CR alone (not CR LF): git and code review show the lines "
        "it separates as one, so a reviewer would not see what follows it; use LF or CR LF "
        "line breaks"
    ]


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_yaml_11_line_breaks_are_ordinary_characters(char: str) -> None:
    """NEL, LS and PS are line breaks to libyaml (YAML 1.1), plain characters in YAML 1.2."""
    text = f"a{char}b: x{char}y # note{char}z\nc: 'q{char}r'\nd: 1\n"
    document = parse_text(text, "m.yaml")
    assert document.data == {f"a{char}b": f"x{char}y", "c": f"q{char}r", "d": 1}
    assert document.position(("d",)) == Position(3, 1)


def test_every_duplicate_key_is_reported_located() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    assert problems(text) == [
        "m.yaml:4:3: duplicate key 'c' (first defined at line 3); YAML keeps only one of them",
        "m.yaml:5:1: duplicate key 'a' (first defined at line 1); YAML keeps only one of them",
    ]


def test_duplicate_keys_name_their_first_line_when_keys_and_duplicates_interleave() -> None:
    """The key positions of a mapping are indexed at its first duplicate and extended by the
    keys added after it; a tagged key takes the reader's general path, a plain one its short
    path, and a mapping whose value was dropped must not lend its index to another."""
    text = (
        "a: 1\nb: 2\na: 3\nc: 4\nc: 5\nb: 6\n!!str d: 7\nd: 8\ne:\n  a: 1\n  a: 2\n"
        "a:\n  x: 1\n  x: 2\nf:\n  x: 1\n  y: 2\n  y: 3\n  x: 4\n"
    )
    assert problems(text) == [
        f"m.yaml:{line}:{column}: duplicate key '{key}' (first defined at line {first}); "
        "YAML keeps only one of them"
        for line, column, key, first in [
            (3, 1, "a", 1),
            (5, 1, "c", 4),
            (6, 1, "b", 2),
            (8, 1, "d", 7),
            (11, 3, "a", 10),
            (12, 1, "a", 1),
            (14, 3, "x", 13),
            (18, 3, "y", 17),
            (19, 3, "x", 16),
        ]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object/apply:os.system ['true']\n", "m.yaml:1:4: tag !!python/"),
        ("a:\n  - !custom x\n", "m.yaml:2:5: tag !custom is not allowed"),
        ("a: !!binary aGk=\n", "m.yaml:1:4: tag !!binary is not allowed"),
        ("a: !!set {x}\n", "m.yaml:1:4: tag !!set is not allowed"),
        ("a: !<tag:example.com,2000:x> 1\n", "m.yaml:1:4: tag tag:example.com,2000:x is not"),
        ("? [a]\n: 1\n", "m.yaml:1:3: a mapping key must be a plain scalar"),
        ("a: *nowhere\n", "m.yaml:1:4: alias *nowhere names no anchor defined before it"),
        ("a: &r [*r]\n", "m.yaml:1:8: alias *r refers to a collection that contains it"),
        ("a: 1\n---\nb: 2\n", "m.yaml:2:1: a second YAML document starts here"),
        ("a: [1, 2\nb: 3\n", "m.yaml:2:2: YAML syntax error: while parsing a flow sequence"),
        ("a:\n\t- 1\n", "m.yaml:2:1: YAML syntax error"),
        ('a: "\\ud800"\n', "m.yaml:1:7: YAML syntax error"),
    ],
)
def test_refusals_are_located(text: str, expected: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(expected)


def test_unclosed_flow_says_where_it_began() -> None:
    (problem,) = problems("a: [1, 2\n\n\n")
    assert problem.endswith("(it began at line 1, column 4)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "flows:\n  - id: a\n\tfrom: b\n",
            "m.yaml:3:1: YAML syntax error: while scanning a plain scalar found a tab character "
            "that violates indentation (it began at line 2, column 9); YAML indents with spaces, "
            "not tabs",
        ),
        (
            "organisation:\n    id: a\n    name: x\n\n  # the country\n  country: GB\n",
            "m.yaml:6:3: YAML syntax error: while parsing a block mapping did not find expected "
            "key (it began at line 1, column 1); check this line's indentation against line 3",
        ),
        (
            "flows:\n  - id: a\n    from: b\n   to: c\n",
            "m.yaml:4:4: YAML syntax error: while parsing a block collection did not find "
            "expected '-' indicator (it began at line 2, column 3); check this line's "
            "indentation against line 3",
        ),
        (
            "flows:\n  - id: a\n    from: b\n      to: c\n",
            "m.yaml:4:9: YAML syntax error: mapping values are not allowed in this context; "
            "check this line's indentation against line 3, or quote a value with ': '",
        ),
    ],
)
def test_common_syntax_errors_get_a_plain_hint(text: str, expected: str) -> None:
    """libyaml's wording keeps its position and gains a hint a newcomer can act on: tabs,
    and which line to compare a wrongly indented one with (review 2026-12-02d, problem 10)."""
    assert problems(text) == [expected]


def test_aliases_share_data_and_are_bounded() -> None:
    text = "a: &a [1, 2]\nb: [*a, *a, *a]\nk: &k key\n*k : v\n"
    assert parse_text(text, "m.yaml").data == {
        "a": [1, 2],
        "b": [[1, 2]] * 3,
        "k": "key",
        "key": "v",
    }
    (problem,) = problems(text, Limits(max_alias_expansions=2))
    assert problem.startswith("m.yaml:2:13: more than 2 alias expansions")  # the third alias


def test_billion_laughs_is_stopped_early() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (problem,) = problems("\n".join(lines) + "\n")
    assert problem.startswith("m.yaml:5:")  # 9 + 90 + 819 expansions, then a4 passes 1000
    assert "more than 1000 alias expansions" in problem


def test_node_limit() -> None:
    (problem,) = problems("a: [1, 2, [3]]\n", Limits(max_nodes=4))
    assert problem == "m.yaml:1:11: document has more than 4 nodes"
    (problem,) = problems("a: &a [1, 2]\nb: *a\n", Limits(max_nodes=5))
    assert problem == "m.yaml:2:4: document has more than 5 nodes"


def test_depth_limit_is_located() -> None:
    text = "a: " + "[" * 5 + "]" * 5 + "\n"
    assert parse_text(text, "m.yaml", Limits(max_depth=5)).data == {"a": [[[[[]]]]]}
    (problem,) = problems(text, Limits(max_depth=3))
    assert problem.startswith("m.yaml:1:7: nesting is too deep (limit 3 levels")


@pytest.mark.parametrize("levels", [100, 10_000])
def test_deep_nesting_is_a_located_error(levels: int) -> None:
    (problem,) = problems("a: " + "[" * levels + "]" * levels + "\n")
    # past libyaml's own bound of 1000 levels, libyaml stops first, further on
    assert problem.startswith("m.yaml:1:68: " if levels == 100 else "m.yaml:1:1003: ")
    assert problem.endswith("nesting is too deep (limit 64 levels; raise it with --max-depth)")
    (problem,) = problems("a: " + "[" * 2000 + "]" * 2000 + "\n", Limits(max_depth=5000))
    assert problem == "m.yaml:1:1003: nesting is too deep (the YAML parser reads at most 1000)"


def test_a_fault_inside_the_yaml_library_is_a_located_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: object) -> None:
        raise NotImplementedError("overlap in comment")

    monkeypatch.setattr("flowaudit.model.yamlsource._Reader._documents", broken)
    (problem,) = problems("a: 1\n")
    assert problem == (
        "m.yaml:1:1: YAML error: the YAML reader failed on this file "
        "(NotImplementedError('overlap in comment'))"
    )


def test_valid_yaml_the_old_reader_choked_on() -> None:
    document = parse_text("c: &x 1\nd: &x 2\na: # why\n  b\n\n", "m.yaml")
    assert document.data == {"c": 1, "d": 2, "a": "b"}


def test_streams_read_every_document() -> None:
    assert parse_stream("a: 1\n---\n- b\n...\n--- !!str\n", "s.yaml") == [{"a": 1}, ["b"], ""]
    assert parse_stream("", "s.yaml") == []


def test_json_through_the_json_module_located_on_request() -> None:
    text = '{\n  "flows": [\n    {"id": "a", "to": "b"}\n  ],\n  "n": 1.5\n}\n'
    document = parse_json(text, "m.json")
    assert document.data == {"flows": [{"id": "a", "to": "b"}], "n": 1.5}
    assert document.position(("flows", 0, "to")) == Position(3, 17)


def test_json_positions_scan_along_the_path() -> None:
    text = '{"a" : [ 1, {"b": "}\\"]", "c": [true, {"d": null}]}],\n\t"e": {}}'
    document = parse_json(text, "m.json")
    assert document.position(("a", 1, "c", 1, "d")) == Position(1, text.index('"d"') + 1)
    assert document.position(("a", 1, "c", 0)) == Position(1, text.index("true") + 1)
    # a path that leaves the data: its closest located ancestor
    assert document.position(("a", 1, "zz", 3)) == Position(1, text.index("{", 1) + 1)
    assert document.position(("a", 7)) == Position(1, 2)
    assert document.position(("e", 0)) == Position(2, 2)
    assert document.position(()) == Position(1, 1)
    # scanned in part, then past: a later key of the outer object, then an earlier item
    later = parse_json('{"a": [{"x": [1, 2]}, 3], "b": {}, "c": 4}', "m.json")
    assert later.position(("a", 0, "x", 0)) == Position(1, 15)
    assert later.position(("c",)) == Position(1, 36)
    assert later.position(("b", "q")) == Position(1, 27)
    assert later.position(("a", 1)) == Position(1, 23)


def _indexed_lists(document: ParsedDocument) -> int:
    """How many lists of a JSON document had their items found by a search."""
    locator = document._json_locator
    return 0 if locator is None else sum(s.indexed for s in locator.members.values())


@pytest.mark.parametrize(
    ("item", "indexed"),
    [
        ({"id": "f", "to": "x", "notes": '{"id": "g", "to": "y"}'}, 1),  # an opening in a text
        ({"id": "f", "to": "x", "may": {"id": "g"}}, 0),  # an object inside opening with id
        ({"id": "f", "to": "x", "may": {"to": "g"}}, 1),
        ({"id": "é", "to": "x"}, 0),  # written as \u00e9: a \u escape in the text
        ({"to": "x", "id": "f"}, 1),  # another first key, the same for every item
    ],
)
@pytest.mark.parametrize("inside", [(), ("in",)])
def test_long_json_lists_have_their_items_found_by_a_search(
    item: dict[str, object], indexed: int, inside: tuple[str, ...]
) -> None:
    """A long list whose items all open with one plain key has every item's offset found
    by one search instead of a scan of each item; where a search could be misled (an object
    inside an item opening with that key, a key written with an escape) the items are
    scanned. Either way, positions are the YAML reader's. (A root collection's items are
    judged from what the read noted, a list deeper down by a walk of its items.)"""
    data: dict[str, object] = {"items": [item] * 70, "after": [{"id": "z"}] * 3}
    for key in inside:
        data = {key: data}
    text = json.dumps(data, indent=1)
    expected = parse_text(text, "m.json").positions
    document = parse_json(text, "m.json")
    for path in (("items", 69, "to"), ("items", 0), ("items", 35, "to"), ("after", 2, "id")):
        assert document.position((*inside, *path)) == expected[(*inside, *path)], path
    assert _indexed_lists(document) == indexed
    assert parse_json(text, "m.json").positions == expected


@pytest.mark.parametrize("first", ["x", {}, ["x"]])
def test_long_json_lists_of_other_items_are_scanned(first: object) -> None:
    """A long list whose first item is not an object with a key is scanned item by item."""
    text = json.dumps({"items": [first, *[{"id": n} for n in range(70)]]}, indent=1)
    expected = parse_text(text, "m.json").positions
    document = parse_json(text, "m.json")
    assert document.position(("items", 70, "id")) == expected[("items", 70, "id")]
    assert document.position(("items", 0)) == expected[("items", 0)]
    assert _indexed_lists(document) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,\n "a": 2}', "m.json:2:2: duplicate key 'a'"),
        ('{"a": [1,\n 2', "m.json:2:3: JSON syntax error: Expecting ',' delimiter"),
        ('{"a": ' + "[" * 70 + "]" * 70 + "}", "m.json:1:71: nesting is too deep"),
        ('{"a": ' + "[" * 5000 + "]" * 5000 + "}", "m.json:1:1006: nesting is too deep"),
    ],
)
def test_json_problems_are_located(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_json(text, "m.json")
    assert str(caught.value.problems[0]).startswith(expected)


def test_json_nan_is_read_as_yaml_would() -> None:
    assert parse_json('{"a": NaN}', "m.json").data == {"a": "NaN"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-0x1F", "-0x1F"),
        ("+0o7", "+0o7"),
        ("0o8", "0o8"),
        ("._5", "._5"),
        (".5", 0.5),
        ("5.", 5.0),
        ("-.INF", float("-inf")),
        ("Null", None),
        ("TRUE", True),
        ("tRUE", "tRUE"),
        ("0xFf", 255),
    ],
)
def test_odd_plain_scalars(value: str, expected: object) -> None:
    assert resolve_plain(value) == expected
    assert type(resolve_plain(value)) is type(expected)


def test_dump_reads_back_as_the_same_data() -> None:
    data = {"a": ["0o17", "1e3", "NO", "~", "", "x: y", "- z", 12, 1.5, None, True]}
    assert parse_text(dump_yaml(data), "d.yaml").data == data
    assert json.loads(json.dumps(data)) == data


def test_texts_seen_before_read_the_same_after_the_reader_forgets_them() -> None:
    """The reader remembers a bounded number of texts (typed once, measured once); past that
    bound it starts afresh: the data, the typing and the longest text must not change."""
    from flowaudit.model import yamlsource

    distinct = yamlsource._SEEN_MAX + 10
    lines = [f"- [k{i}, '{i}', {i}, true, '1', 1]" for i in range(distinct)]
    lines.append(f"- {{'{'x' * 50}': y, z: {'w' * 40}}}")  # after the bound: measured
    lines.append("- [k0, '0', 0, true, '1', 1, 017, .nan]")  # seen before the bound
    document = parse_text("\n".join(lines) + "\n", "m.yaml")
    data = document.data
    assert data[0] == ["k0", "0", 0, True, "1", 1]
    assert data[distinct - 1][:3] == [f"k{distinct - 1}", str(distinct - 1), distinct - 1]
    assert data[distinct] == {"x" * 50: "y", "z": "w" * 40}
    assert data[distinct + 1][:7] == ["k0", "0", 0, True, "1", 1, 17]
    assert document.longest_text == 50
    assert document.position((distinct + 1, 6)) == Position(distinct + 2, 30)
