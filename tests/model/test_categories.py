"""A category's Art. 9(1) kind makes it special category data in one place, the model, so
that every check, report and export reading ``special_category`` agrees (DPO review
2026-12-02b, problem 1)."""

from __future__ import annotations

import pytest

from flowaudit.model.schema import DataCategory
from flowaudit.model.taxonomy import Taxonomy


@pytest.mark.parametrize("flag", [None, False, True])
def test_an_art9_kind_makes_the_category_special_whatever_the_flag_says(flag: bool | None) -> None:
    given: dict[str, object] = {"id": "recruitment.health", "name": "Health", "art9_kind": "health"}
    if flag is not None:
        given["special_category"] = flag
    assert DataCategory.model_validate(given).special_category is True


def test_no_kind_leaves_the_flag_as_written() -> None:
    category = DataCategory.model_validate({"id": "contact", "name": "Contact"})
    assert category.special_category is False


def test_a_bad_flag_is_still_refused_beside_a_kind() -> None:
    with pytest.raises(ValueError, match="expected true or false"):
        DataCategory.model_validate(
            {"id": "x", "name": "X", "art9_kind": "health", "special_category": "yes"}
        )


def test_one_relation_to_special_categories_for_every_check() -> None:
    """Is it such data (under or equal), may it carry such data (above), or neither: the one
    definition the special-category and transfer checks read (problem 14)."""
    special = ["support.health", "hr.health"]
    assert Taxonomy.relation("support.health", special) == ()
    assert Taxonomy.relation("support.health.notes", special) == ()
    assert Taxonomy.relation("support", special) == ("support.health",)
    assert Taxonomy.relation("contact", special) is None
    assert Taxonomy.related_to(["contact", "hr", "support.health"], special) == [
        ("hr", ("hr.health",)),
        ("support.health", ()),
    ]
