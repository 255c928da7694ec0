"""What must be: declarative policy files and the dated legal table, as data."""

# The folder policies/ is installed as flowaudit.policies; imported as plain "policies" (the
# repository root on sys.path) every module would load a second time under another name, with
# its own classes, and isinstance checks across the two copies would silently fail.
if __name__ != "flowaudit.policies":  # pragma: no cover - only a misconfigured path gets here
    raise ImportError(
        f"import flowaudit.policies, not {__name__}: install the package "
        "(pip install -e . --config-settings editable_mode=strict, or nox -s dev)"
    )
