"""pytest fixtures and hooks only; the shared helpers are in tests/helpers.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests: the full example counts under CI=true (and with HYPOTHESIS_PROFILE=ci), a
# fifth of them on a developer's machine, where the suite is run many times a day. Tests that
# set their own count scale it with tests.helpers.examples().
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=20)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``heavy`` (a PDF rendered, a browser started, thousands of generated
    inputs) run first, in collection order, the rest after them in theirs. pytest-xdist hands
    out tests in this order, so the longest start while the quick ones can fill in around
    them, instead of one worker finishing a 15-second render after the other has gone idle."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
