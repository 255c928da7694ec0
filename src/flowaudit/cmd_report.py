"""``flowaudit report``: the auditors' HTML report (and its Markdown summary) in one folder."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from typing import Any

import click

from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import InputError
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
    except diagram.DotNotFound as error:
        return None, str(error)
    return svg, None


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="flowaudit-report",
    show_default=True,
    help="Folder to write report.html and report.md into.",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Audit date (YYYY-MM-DD); default today.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="low",
    show_default=True,
    help="The severity the verdict is judged at.",
)
@click.option(
    "--policies",
    "policy_paths",
    multiple=True,
    type=click.Path(),
    help="A folder or file of your own policy rules (repeatable).",
)
@click.option(
    "--timestamp",
    is_flag=True,
    help="Print the generation time in the report (makes it non-reproducible).",
)
def report(
    paths: tuple[str, ...],
    out_dir: str,
    as_of: Any,
    fail_on: str,
    policy_paths: tuple[str, ...],
    timestamp: bool,
) -> None:
    """Write the self-contained HTML report and a Markdown summary into --out."""
    from flowaudit.cli import audit, fail_input

    audit_date: date = as_of.date() if as_of is not None else date.today()
    try:
        result = audit(paths, audit_date, policy_paths)
    except InputError as error:
        fail_input(error)
    threshold = Severity(fail_on)
    svg, note = diagram_for(result)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") if timestamp else None
    html_path = os.path.join(out_dir, "report.html")
    write_atomic(html_path, render_html(result, threshold, svg, note, generated))
    written = [html_path]
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
