"""pytest fixtures and hooks only; the shared helpers are in tests/helpers.py."""
