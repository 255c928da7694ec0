"""Fides-style hierarchical matching: ANY, ALL, NONE, OTHER over dotted category ids."""

from datetime import date

import pytest

from flowaudit.checks.base import Context
from flowaudit.checks.facts import AuditFacts
from flowaudit.model.loader import load_map
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.schema import Selector
from tests.helpers import BASE


@pytest.fixture(scope="module")
def context() -> Context:
    loaded = load_map([BASE])
    return Context(AuditFacts(loaded, date(2026, 11, 25)), load_legal_table())


@pytest.mark.parametrize(
    ("matches", "values", "carried", "expected"),
    [
        ("ANY", ["contact"], ["contact.email"], True),
        ("ANY", ["contact.email"], ["contact"], False),  # a parent is not within its child
        ("ANY", ["contact"], ["contactless"], False),  # prefix of the id, not of the path
        ("ALL", ["contact", "payment"], ["contact.name", "payment"], True),
        ("ALL", ["contact", "payment"], ["contact.name"], False),
        ("NONE", ["health"], ["contact", "payment"], True),
        ("NONE", ["health"], ["contact", "health"], False),
        ("OTHER", ["contact"], ["contact.name", "contact.email"], False),
        ("OTHER", ["contact"], ["contact.name", "payment"], True),
    ],
)
def test_selector_semantics(
    context: Context, matches: str, values: list[str], carried: list[str], expected: bool
) -> None:
    selector = Selector(matches=matches, values=values)  # type: ignore[arg-type]
    assert context.selects(selector, carried) is expected


def test_a_plain_list_means_any_and_none_matches_everything(context: Context) -> None:
    assert context.selects(["contact"], ["contact.email"]) is True
    assert context.selects(None, []) is True
