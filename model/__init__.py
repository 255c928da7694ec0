"""The data map: what personal data flows exist, as validated data with a source map.

Nothing here knows about policies or findings; checks and reports build on it.
"""

# The folder model/ is installed as flowaudit.model; imported as plain "model" (the repository
# root on sys.path) every module would load a second time under another name, with its own
# classes, and isinstance checks across the two copies would silently fail.
if __name__ != "flowaudit.model":  # pragma: no cover - only a misconfigured path gets here
    raise ImportError(
        f"import flowaudit.model, not {__name__}: install the package "
        "(pip install -e . --config-settings editable_mode=strict, or nox -s dev)"
    )
