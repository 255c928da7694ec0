"""perf-yaml-s20: the cheaper ways of locating and reading give what the slower ones gave.

A finding on an element of a root list (``("flows", 12)``) of a YAML map is located from
that list's items and offsets, found once per list, instead of a walk from the root; a map
file is read in one piece instead of a megabyte at a time. Each is compared here with the
walk (``line_column``, ``positions``) or with the bytes on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowaudit.model.discovery import read_regular
from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import Limits, PathKey, parse_text

_MAP = """\
organisation: {id: org, name: Org}
flows:
  - id: f0
    categories: [a, b]
  -   id: f1
      may_carry:
        categories:
          - x
  - plain item
  - [nested, list]
parties: []
notes:
  first: 1
  second: {deep: [1, 2]}
"""


def _paths(data: object, path: PathKey = ()) -> list[PathKey]:
    found: list[PathKey] = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


def test_an_element_and_its_fields_are_located_as_the_walk_locates_them() -> None:
    document = parse_text(_MAP, "map.yaml")
    walked = parse_text(_MAP, "map.yaml")  # its own caches: only ever walked
    paths = _paths(document.data)
    # paths that are not there: past a list's end, a key or a field no element has, a
    # string index, a root key that is no list
    paths += [
        ("flows", 9),
        ("flows", -1),
        ("flows", "0"),
        ("flows", 0, "missing"),
        ("flows", 2, "id"),
        ("notes", "first"),
        ("notes", "second", "deep", 1),
        ("parties", 0),
        ("parties", 0, "id"),
        ("nothing", 0),
        ("organisation", "id"),
    ]
    assert len(paths) > 30
    for path in paths:
        expected = walked.line_column(path)
        for split in range(len(path) + 1):
            base, fields = path[:split], path[split:]
            if not base:
                continue
            assert document.line_column_under(base, fields) == expected, (base, fields)
    assert document.line_column_under(("flows", 1), ()) == (5, 7)  # its first key
    assert document.line_column_under(("flows", 1), ("may_carry", "categories", 0)) == (8, 13)
    assert document.line_column_under(("flows", 9), ("id",)) == (2, 1)  # the list's key


def test_a_root_list_is_located_item_by_item_whatever_the_root() -> None:
    document = parse_text("- a\n- {b: 1}\n", "list.yaml")
    assert document.line_column_under((1, "b"), ()) == (2, 4)
    assert document.line_column_under((0,), ()) == (1, 3)
    scalar = parse_text("just text\n", "scalar.yaml")
    assert scalar.line_column_under(("flows", 0), ("id",)) == (1, 1)


def test_a_file_is_read_whole_in_one_piece(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    content = b"".join(b"# line %07d\n" % number for number in range(300_000))  # 4 MB
    path.write_bytes(content)
    assert len(content) > 3 << 20
    assert read_regular(str(path), "big.yaml", Limits.max_file_bytes) == content
    assert read_regular(str(path), "big.yaml", len(content)) == content
    with pytest.raises(InputError) as caught:
        read_regular(str(path), "big.yaml", len(content) - 1)
    assert "over the limit" in caught.value.problems[0].message
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    assert read_regular(str(empty), "empty.yaml", 10) == b""


def test_a_file_longer_than_its_stated_size_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A size that understates the file (0, as for a file still being written or one under
    /proc): the reads go on to its end, a megabyte at a time, and past the limit refuse it."""
    path = tmp_path / "grown.yaml"
    content = b"y" * ((3 << 20) + 7)
    path.write_bytes(content)
    real_fstat = os.fstat

    def understated(descriptor: int) -> os.stat_result:
        fields = list(real_fstat(descriptor))
        fields[6] = 0  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", understated)
    assert read_regular(str(path), "grown.yaml", len(content)) == content
    with pytest.raises(InputError) as caught:
        read_regular(str(path), "grown.yaml", len(content) - 1)
    assert "over the limit" in caught.value.problems[0].message
