"""``flowaudit report``: the auditors' HTML report (and its Markdown summary) in one folder."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Any

import click

from flowaudit.checks.result import AuditResult
from flowaudit.common import audit, audit_date, audit_options, fail_input, map_options
from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from flowaudit.reports.output import write_atomic


def diagram_for(result: AuditResult) -> tuple[str | None, str | None]:
    """The inline SVG of the map, or why there is none."""
    try:
        from flowaudit.reports import diagram
    except ImportError:  # pragma: no cover - the diagram module ships with flowaudit
        return None, "The diagram module is not available."
    try:
        svg = diagram.render(diagram.diagram_dot(result), "svg").decode("utf-8")
    except diagram.GraphvizMissing as error:
        return None, str(error)
    return svg, None


@click.command()
@map_options
@audit_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="flowaudit-report",
    show_default=True,
    help="Folder to write report.html and report.md into.",
)
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="Also write report.pdf (A4, page numbers, running header; needs flowaudit[pdf]).",
)
@click.option(
    "--timestamp",
    is_flag=True,
    help="Print the generation time in the report (makes it non-reproducible).",
)
def report(
    paths: tuple[str, ...],
    limits: Limits,
    as_of: Any,
    fail_on: str,
    policy_paths: tuple[str, ...],
    out_dir: str,
    pdf: bool,
    timestamp: bool,
) -> None:
    """Write the self-contained HTML report and a Markdown summary into --out."""
    try:
        result = audit(paths, audit_date(as_of), policy_paths, limits)
    except InputError as error:
        fail_input(error)
    threshold = Severity(fail_on)
    svg, note = diagram_for(result)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") if timestamp else None
    html_path = os.path.join(out_dir, "report.html")
    html = render_html(result, threshold, svg, note, generated)
    write_atomic(html_path, html)
    written = [html_path]
    if pdf:
        from flowaudit.reports.pdf import PdfUnavailable, render_pdf

        try:
            document = render_pdf(html)
        except PdfUnavailable as error:
            click.echo(f"flowaudit: {error}", err=True)
            sys.exit(2)
        pdf_path = os.path.join(out_dir, "report.pdf")
        write_atomic(pdf_path, document)
        written.append(pdf_path)
    try:
        from flowaudit.reports.markdown import render_markdown
    except ImportError:  # pragma: no cover - until the Markdown renderer lands
        pass
    else:
        md_path = os.path.join(out_dir, "report.md")
        write_atomic(md_path, render_markdown(result, threshold))
        written.append(md_path)
    for path in written:
        click.echo(f"wrote {path}")
    sys.exit(0)
