"""flowaudit: audit personal data flows against a privacy notice and the law."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flowaudit")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0.0.0"
