"""The engine that applies policies to a map on an audit date and yields findings.

One module per rule kind; ``checks.registry`` lists them explicitly.
"""

# The folder checks/ is installed as flowaudit.checks; imported as plain "checks" (the repository
# root on sys.path) every module would load a second time under another name, with its own
# classes, and isinstance checks across the two copies would silently fail.
if __name__ != "flowaudit.checks":  # pragma: no cover - only a misconfigured path gets here
    raise ImportError(
        f"import flowaudit.checks, not {__name__}: install the package "
        "(pip install -e . --config-settings editable_mode=strict, or nox -s dev)"
    )
