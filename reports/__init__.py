"""Renderers: each reads one AuditResult and returns text; nothing here opens a map."""

# The folder reports/ is installed as flowaudit.reports; imported as plain "reports" (the repository
# root on sys.path) every module would load a second time under another name, with its own
# classes, and isinstance checks across the two copies would silently fail.
if __name__ != "flowaudit.reports":  # pragma: no cover - only a misconfigured path gets here
    raise ImportError(
        f"import flowaudit.reports, not {__name__}: install the package "
        "(pip install -e . --config-settings editable_mode=strict, or nox -s dev)"
    )
