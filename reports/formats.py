"""Every output format of ``flowaudit check``, by name: one renderer of (result, fail_on)."""

from __future__ import annotations

from collections.abc import Callable

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.github import render_github
from flowaudit.reports.json_report import render_json
from flowaudit.reports.junit import render_junit
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.sarif import render_sarif
from flowaudit.reports.text import render_text

Renderer = Callable[[AuditResult, Severity], str]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}
