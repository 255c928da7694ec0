"""``flowaudit report``: the auditors' HTML report (and its Markdown summary) in one folder."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import click

from flowaudit.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    REQUIRE_POLICY_OPTION,
    audit,
    audit_date,
    audit_options,
    fail_input,
    map_options,
)
from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import (
    DOT_TIMEOUT,
    FULL_LIMIT,
    Choice,
    PrintPage,
    draw_for_report,
    print_pages,
)
from flowaudit.reports.html import LIST_LIMIT, SUMMARISE_ABOVE, Changes, render_html
from flowaudit.reports.output import write_atomic
from flowaudit.reports.sanitise import for_terminal


def progress(message: str) -> None:
    """A step of a long run on standard error, for a person at a terminal only (never in CI
    logs or pipes, where the output must stay what the command documents)."""
    if sys.stderr.isatty():
        click.echo(f"flowaudit: {message}", err=True)


@click.command()
@map_options
@audit_options
@REQUIRE_POLICY_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="flowaudit-report",
    show_default=True,
    help="Folder to write report.html and report.md into.",
)
@click.option(
    "--diagram",
    "diagram_choice",
    type=click.Choice(["auto", "full", "country", "kind", "none"]),
    default="auto",
    show_default=True,
    help=f"The diagram: every flow (full), grouped by country or kind, or none; auto draws "
    f"every flow up to {FULL_LIMIT} flows, else groups by country. Graphviz gets "
    f"{DOT_TIMEOUT:g} s per layout, then a coarser view is drawn (the report says so).",
)
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="Also write report.pdf (A4, page numbers, running header; needs flowaudit[pdf]).",
)
@click.option(
    "--summarise-above",
    "summarise_above",
    type=click.IntRange(min=0),
    default=SUMMARISE_ABOVE,
    show_default=True,
    metavar="N",
    help=f"Past N findings or passed checks, the report summarises each long list: counts "
    f"by rule and severity, every critical finding, the first {LIST_LIMIT} others of each "
    "rule, and a sentence saying how many more; the complete registers are the CSV files "
    "written beside it (findings.csv, passed.csv, transfers.csv, processors.csv, "
    "agreements.csv).",
)
@click.option(
    "--base",
    "base_ref",
    metavar="GIT_REF",
    help="Say in the summary what changed against the map at this git revision (judged by "
    "its own rules, as check --base does); exit like check --base.",
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
    required_policies: tuple[str, ...],
    out_dir: str,
    diagram_choice: Choice,
    pdf: bool,
    summarise_above: int,
    base_ref: str | None,
    timestamp: bool,
) -> None:
    """Write the self-contained HTML report and a Markdown summary into --out.

    Exits like check: 1 when findings at or above --fail-on remain (the report is written
    first), 0 otherwise, 2 on bad input.
    """
    progress("reading the map and running the rules")
    try:
        result = audit(paths, audit_date(as_of), policy_paths, limits, required_policies)
    except InputError as error:
        fail_input(error)
    threshold = Severity(fail_on)
    changes = None
    baseline = None
    if base_ref is not None:
        from flowaudit.gate import against_base

        progress(f"auditing the map at {for_terminal(base_ref)} by its own rules")
        try:
            baseline = against_base(
                base_ref, paths, result, policy_paths, limits, required_policies
            )
        except InputError as error:
            fail_input(error)
        result = replace(result, review=baseline.review)
        changes = Changes(base_ref, baseline.summary(threshold), baseline.new, baseline.review)
    progress(f"drawing the diagram ({len(result.loaded.data.flows):,} flows)")
    drawn = draw_for_report(result, diagram_choice)
    pages: list[PrintPage] = []
    if pdf:
        progress("laying out the diagram's pages for paper")
        pages = print_pages(result, drawn)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") if timestamp else None
    html_path = os.path.join(out_dir, "report.html")
    progress("writing the report")
    html = render_html(
        result,
        threshold,
        drawn.svg,
        drawn.note,
        generated,
        drawn.rows,
        drawn.view,
        drawn.key,
        changes,
        pages,
        summarise_above,
    )
    write_atomic(html_path, html)
    written = [html_path]
    from flowaudit.reports.registers import build_registers
    from flowaudit.reports.side_files import side_files

    for name, text in side_files(result, build_registers(result)).items():
        side_path = os.path.join(out_dir, name)
        write_atomic(side_path, text)
        written.append(side_path)
    if pdf:
        progress("writing the PDF")
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
    if baseline is not None:
        click.echo(f"Against {for_terminal(base_ref)}: {baseline.summary(threshold)}.", err=True)
        sys.exit(EXIT_FINDINGS if baseline.fails(threshold) else EXIT_OK)
    sys.exit(EXIT_FINDINGS if result.failing(threshold) else EXIT_OK)
