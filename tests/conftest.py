"""pytest fixtures and hooks only; the shared helpers are in tests/helpers.py."""

from __future__ import annotations

import os

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
