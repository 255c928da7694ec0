"""Every output format of ``flowaudit check``, by name: one renderer of (result, fail_on),
and :func:`render_pieces`, which writes the big ones (JSON, SARIF, text, GitHub) in pieces."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.github import github_pieces, render_github
from flowaudit.reports.json_report import json_report_pieces, render_json
from flowaudit.reports.junit import junit_pieces, render_junit
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.sarif import DEFAULT_MAX_RESULTS, render_sarif, sarif_pieces
from flowaudit.reports.text import render_text, text_pieces

Renderer = Callable[[AuditResult, Severity], str]
PieceRenderer = Callable[[AuditResult, Severity], Iterable[str]]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}

#: Other names a format answers to: ``ropa``, ``rules`` and ``schema`` call Markdown ``md``,
#: so ``check --format md`` is Markdown too rather than a usage error (DPO review s21).
FORMAT_ALIASES: dict[str, str] = {"md": "markdown"}

#: The formats whose text is made in pieces, so that neither the document's data nor its
#: text is ever whole in memory (each as big as the audit itself at 100,000 flows); joined,
#: the pieces are the FORMATS renderer's text byte for byte.
STREAMED: dict[str, PieceRenderer] = {
    "json": json_report_pieces,
    "sarif": sarif_pieces,
    "text": text_pieces,
    "github": github_pieces,
    "junit": junit_pieces,
}


def render_pieces(
    name: str,
    result: AuditResult,
    fail_on: Severity,
    sarif_max_results: int = DEFAULT_MAX_RESULTS,
) -> Iterable[str]:
    """Format ``name``'s text, in pieces where the format streams, else whole (one piece);
    SARIF keeps its ``sarif_max_results`` most severe results (0: all)."""
    if name == "sarif":
        return sarif_pieces(result, fail_on, sarif_max_results)
    streamed = STREAMED.get(name)
    if streamed is not None:
        return streamed(result, fail_on)
    return (FORMATS[name](result, fail_on),)
