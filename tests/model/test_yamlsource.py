"""The YAML reader, for each backend: same data, same positions, same located problems."""

from __future__ import annotations

import pytest

from flowaudit.model import fastyaml
from flowaudit.model.problems import InputError, Position
from flowaudit.model.yamlsource import (
    Limits,
    decode_text,
    parse_reference,
    parse_text,
    resolve_plain,
)

BACKENDS = ["fast", "ruamel"]


def problems(text: str, backend: str, limits: Limits | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_text(text, "m.yaml", limits, backend)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("backend", BACKENDS)
def test_yaml_12_scalars(backend: str) -> None:
    text = (
        "country: NO\nyes_: yes\non_: on\nt: true\nf: False\nn: ~\ne:\nd: 2024-01-31\n"
        "i: 0x1F\nb: 0b101\no: 0o17\nu: 1_000\nfl: 1.5e3\ninf: -.inf\nq: '0x1F'\neq: =\n"
    )
    data = parse_text(text, "m.yaml", backend=backend).data
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
        "b": 5,
        "o": 15,
        "u": 1000,
        "fl": 1500.0,
        "inf": float("-inf"),
        "q": "0x1F",
        "eq": "=",
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_positions_of_keys_and_items(backend: str) -> None:
    text = (
        "flows:\n"
        "  - id: a\n"
        "    categories: [x, 'y']\n"
        "  - {id: b, to: c}\n"
        '  -   "q"\n'
        "name: >-\n  folded\n  text\n"
    )
    document = parse_text(text, "m.yaml", backend=backend)
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
    assert document.position(("missing",)) == Position(1, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_crlf_bom_and_unicode_columns(backend: str) -> None:
    text = decode_text("\ufeffa: ø\r\nbé: [ü, x]\r\n".encode(), "m.yaml")
    document = parse_text(text, "m.yaml", backend=backend)
    assert document.data == {"a": "ø", "bé": ["ü", "x"]}
    assert document.positions[("bé", 1)] == Position(2, 9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_duplicate_key_is_reported_located(backend: str) -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    assert problems(text, backend) == [
        "m.yaml:4:3: duplicate key 'c' (first defined at line 3); YAML keeps only one of them",
        "m.yaml:5:1: duplicate key 'a' (first defined at line 1); YAML keeps only one of them",
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object/apply:os.system ['true']\n", "m.yaml:1:4: tag !!python/"),
        ("a:\n  - !custom x\n", "m.yaml:2:5: tag !custom is not allowed"),
        ("a: !!binary aGk=\n", "m.yaml:1:4: tag !!binary is not allowed"),
    ],
)
def test_unsafe_and_unknown_tags_are_refused_located(
    backend: str, text: str, expected: str
) -> None:
    (problem,) = problems(text, backend)
    assert problem.startswith(expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_alias_expansion_limit(backend: str) -> None:
    text = "a: &a [1, 2]\nb: [*a, *a, *a]\n"
    assert parse_text(text, "m.yaml", backend=backend).data["b"] == [[1, 2]] * 3
    (problem,) = problems(text, backend, Limits(max_alias_expansions=2))
    assert problem.startswith("m.yaml:1:4: more than 2 alias expansions")  # the anchor


@pytest.mark.parametrize("backend", BACKENDS)
def test_depth_limit_is_located(backend: str) -> None:
    text = "a: " + "[" * 5 + "]" * 5 + "\n"
    assert parse_text(text, "m.yaml", Limits(max_depth=6), backend).data == {"a": [[[[[]]]]]}
    (problem,) = problems(text, backend, Limits(max_depth=3))
    assert problem.startswith("m.yaml:1:7: nesting is too deep (limit 3 levels")


@pytest.mark.parametrize("backend", BACKENDS)
def test_ten_thousand_levels_is_a_located_error(backend: str) -> None:
    text = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    (problem,) = problems(text, backend)
    assert problem.startswith("m.yaml:1:")
    assert "nesting is too deep (limit 64 levels; raise it with --max-depth)" in problem


@pytest.mark.parametrize("backend", BACKENDS)
def test_syntax_error_is_located(backend: str) -> None:
    (problem,) = problems("a: [1, 2\nb: 3\n", backend)
    assert problem.startswith("m.yaml:2:")
    assert "YAML syntax error" in problem


@pytest.mark.parametrize("backend", BACKENDS)
def test_value_after_a_comment_line_then_a_blank_line(
    backend: str, recwarn: pytest.WarningsRecorder
) -> None:
    """Valid YAML on which ruamel's round-trip mode raised NotImplementedError (fuzzer);
    a reused anchor is valid too and must not print a Python warning."""
    document = parse_text("c: &x 1\nd: &x 2\na: # why\n  b\n\n", "m.yaml", None, backend)
    assert document.data == {"a": "b", "c": 1, "d": 2}
    assert not recwarn.list


def test_a_fault_inside_the_yaml_library_is_a_located_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: object, text: str) -> None:
        raise NotImplementedError("overlap in comment")

    monkeypatch.setattr("ruamel.yaml.YAML.compose", broken)
    (problem,) = problems("a: 1\n", "ruamel")
    assert problem == (
        "m.yaml:1:1: YAML error: the YAML reader failed on this file "
        "(NotImplementedError('overlap in comment'))"
    )


def test_fast_path_vouches_for_plain_maps_and_declines_the_rest() -> None:
    plain = "flows:\n  - {id: a, categories: [x]}\n"
    assert fastyaml.parse_fast(plain, resolve_plain, 64, 1000) is not None
    for special in (
        "a: &x 1\nb: *x\n",  # aliases
        "a: !t 1\n",  # tags
        "a: 1\na: 2\n",  # duplicate keys
        "a:\n\t- 1\n",  # tabs
        "%YAML 1.1\n---\na: NO\n",  # directives change scalar meaning
        "a: 1\rb: 2\n",  # a lone carriage return is a line break to the reference
        "a: [1\n",  # syntax error
        "- [1, 2]\n",  # nested lists
        "- |\n  text\n",  # block scalar item
        "a: 1\n---\nb: 2\n",  # several documents
        "just a scalar\n",
        "a: \x85\n",  # NEL
    ):
        assert fastyaml.parse_fast(special, resolve_plain, 64, 1000) is None, special
    nested = "a: [[[1]]]\n"
    assert fastyaml.parse_fast(nested, resolve_plain, 2, 1000) is None
    assert fastyaml.parse_fast("a: [1, 2, 3]\n", resolve_plain, 64, 2) is None


def test_fast_and_reference_agree_on_the_shipped_map() -> None:
    from flowaudit.model.loader import shipped_map_dir

    for path in sorted(shipped_map_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = fastyaml.parse_fast(text, resolve_plain, 64, 10**6)
        reference = parse_reference(text, path.name, Limits())
        assert fast is not None, path
        assert fast[0] == reference.data
        assert dict(fast[1].items()) == dict(reference.positions)
        assert len(fast[1]) == len(reference.positions)
        assert ("flows", 0) in fast[1] or ("flows", 0) not in reference.positions
        assert "not a path" not in fast[1]
        with pytest.raises(KeyError):
            fast[1][("no", "such", "path")]


def test_backend_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowaudit.model.yamlsource import default_backend

    monkeypatch.setenv("FLOWAUDIT_YAML_BACKEND", "ruamel")
    assert default_backend() == "ruamel"
    monkeypatch.setenv("FLOWAUDIT_YAML_BACKEND", "bogus")
    assert default_backend() == "fast"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("-0x1F", -31), ("+0o7", 7), ("-0b11", -3), ("._5", 0.5), ("1__0", 10), ("0x_1F", 31)],
)
def test_odd_numbers_never_crash(value: str, expected: object) -> None:
    assert resolve_plain(value) == expected
