"""flowaudit: audit personal data flows against a privacy notice and the law."""

#: The release; pyproject.toml's version must match (a test checks). A literal, not
#: importlib.metadata, which costs a tenth of a second at every start.
__version__ = "0.1.0"
