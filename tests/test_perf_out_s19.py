"""perf-out-s19: the cheaper ways of locating and writing give what the slower ones gave.

Locating an item of a list field of an element (``("flows", 3, "categories", 1)``) takes a
search and the json scanner's skips instead of the walk's scan records; the rules' verdicts
read each distinct (rule, code) once instead of every finding. (Batched JSON dumping was
tried and reverted: the tests that JSON pieces refused by orjson are written as before
stay, as regression tests of json_pieces.)"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from flowaudit.model.yamlsource import Limits, _JsonLocator, parse_json
from flowaudit.reports.sanitise import Streamed, for_json, json_pieces, materialised
from flowaudit.reports.summary import judged_nothing, partly_judged, rule_verdicts
from tests.helpers import audit_paths


def _flows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"f{number}",
            "from": "a",
            "to": "b",
            # "categories" also written inside a string, and lists of 0 to 3 items
            "description": 'says "categories": [1, 2]' if number % 3 == 0 else "x",
            "categories": [f"c{index}" for index in range(number % 4)],
            "nested": {"categories": ["no"]} if number % 5 == 0 else "flat",
        }
        for number in range(count)
    ]


def _walked(text: str, path: tuple[str | int, ...]) -> int | None:
    """The offset the walk gives, with no indexed root list to shortcut it."""
    data = json.loads(text)
    locator = _JsonLocator(text, data)
    locator.lists = _NoLists()
    return locator.offset(path)


class _NoLists(dict[Any, Any]):
    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


@pytest.mark.parametrize("indent", [None, 1, 4])
def test_a_list_item_of_an_element_is_where_the_walk_finds_it(indent: int | None) -> None:
    text = json.dumps({"flows": _flows(90)}, indent=indent)
    document = parse_json(text, "map.json", Limits())
    checked = 0
    for number in range(90):
        for index in range(-1, 5):
            path: tuple[str | int, ...] = ("flows", number, "categories", index)
            # the first asks fill the indexed list; every ask must match the walk
            got = document.line_column_under(("flows", number), ("categories", index))
            walked = _walked(text, path)
            assert walked is not None
            assert got == document._line_column(walked), path
            checked += 1
    assert checked == 540


def test_a_list_item_is_the_items_first_character() -> None:
    text = json.dumps({"flows": _flows(70)}, indent=2)
    document = parse_json(text, "map.json", Limits())
    document.line_column_under(("flows", 0), ())  # the root list indexed
    line, column = document.line_column_under(("flows", 7), ("categories", 2))
    assert text.splitlines()[line - 1][column - 1 :].startswith('"c2"')


def test_a_batch_orjson_refuses_is_written_item_by_item() -> None:
    # a lone surrogate (a file name that is not UTF-8) and an integer past 64 bits in the
    # middle of batches of three: each batch that holds one is dumped item by item
    items = [{"n": 1}, {"p": "a\udcffb"}, {"n": 2}, 2**70, "\x7f", [], {}, {"q": [1, {}]}]
    document = {"x": Streamed(items), "y": {"z": Streamed(items)}}
    for batch in (1, 2, 3, 8, 100):
        assert "".join(json_pieces(document, batch)) == for_json(materialised(document))


def test_an_empty_streamed_list_and_a_full_last_batch() -> None:
    document = {"a": Streamed([]), "b": Streamed([{"k": n} for n in range(6)])}
    assert "".join(json_pieces(document, 3)) == for_json(materialised(document))


def test_the_verdicts_read_of_distinct_rules_and_codes_are_those_of_each_finding() -> None:
    result = audit_paths([], date(2026, 11, 25))
    # the verdicts as they were read, finding by finding
    active: dict[str, list[bool]] = {}
    waived: set[str] = set()
    for finding in result.findings:
        for rule_id in finding.rule_ids:
            if finding.waived:
                waived.add(rule_id)
            else:
                active.setdefault(rule_id, []).append(finding.not_judged)
    verdicts = rule_verdicts(result)
    for rule in result.rules:
        notes = active.get(rule.id)
        if rule.enabled and notes:
            assert verdicts[rule.id] == ("not_judged" if all(notes) else "fail"), rule.id
        elif rule.enabled and rule.id in waived:
            assert verdicts[rule.id] == "waived", rule.id
    assert sorted(set(verdicts.values())) == ["fail", "n/a", "not_judged", "pass"]
    applied = {r for f in result.findings for r in f.rule_ids if not f.not_judged}
    applied |= {e.rule_id for e in result.passed}
    assert set(partly_judged(result)) <= applied
    assert not set(judged_nothing(result)) & applied
