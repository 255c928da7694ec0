"""``flowaudit report``: the auditors' HTML report (and its Markdown summary) in one folder."""

from __future__ import annotations

import math
import sys
from typing import Any

import click
from click.core import ParameterSource

from flowaudit import app
from flowaudit.common import (
    CONFIG_OPTION,
    REQUIRE_POLICY_OPTION,
    audit_date,
    audit_options,
    echo_out,
    map_options,
)
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import (
    DOT_TIMEOUT,
    LIST_LIMIT,
    PDF_TIMEOUT,
    RULE_FINDINGS_SHOWN,
    SUMMARISE_ABOVE,
)
from flowaudit.reports.diagram import FULL_LIMIT, Choice
from flowaudit.reports.sanitise import for_terminal

#: Entries of the report folder that flowaudit did not write, named on standard error.
UNKNOWN_SHOWN = 10


def progress(message: str) -> None:
    """A step of a long run on standard error, for a person at a terminal only (never in CI
    logs or pipes, where the output must stay what the command documents)."""
    if sys.stderr.isatty():
        click.echo(for_terminal(f"flowaudit: {message}"), err=True)


def _a_number(value: float) -> float:
    """--pdf-timeout's value, refused when it is no number (nan)."""
    if math.isnan(value):
        raise click.BadParameter("not a number of seconds")
    return value


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
    help="Also write report.pdf (A4, page numbers, running header; needs WeasyPrint: the pdf "
    "extra, e.g. pip install '.[pdf]' in a clone).",
)
@click.option(
    "--pdf-timeout",
    "pdf_timeout",
    # a day at most, and a number (nan passes a range's comparisons; inf overflowed the
    # timer: both were internal errors, attack review 2026-12-03m, problem 8)
    type=click.FloatRange(min=1, max=86_400),
    callback=lambda _context, _option, value: _a_number(value),
    default=PDF_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="How long the PDF may take to lay out; past it the run stops with exit 2 (the HTML "
    "report is written).",
)
@click.option(
    "--summarise-above",
    "summarise_above",
    type=click.IntRange(min=0),
    default=SUMMARISE_ABOVE,
    show_default=True,
    metavar="N",
    help=f"Past N findings or passed checks, the report summarises each long list: counts "
    f"by rule and severity, every critical finding, the first {LIST_LIMIT} causes of each "
    f"rule (its section: its {RULE_FINDINGS_SHOWN} most severe findings), and a sentence "
    "saying how many more; the complete registers are the CSV files written beside it "
    "(findings.csv, passed.csv, transfers.csv, processors.csv, agreements.csv, "
    "warnings.csv, diagram-groups.csv).",
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
@CONFIG_OPTION
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
    pdf_timeout: float,
    summarise_above: int,
    base_ref: str | None,
    timestamp: bool,
    config_path: str | None,
) -> None:
    """Write the self-contained HTML report and a Markdown summary into --out.

    Exits like check: 1 when findings at or above --fail-on remain (the report is written
    first), 0 otherwise, 2 on bad input.
    """
    request = app.ReportRequest(
        app.AuditRequest(paths, audit_date(as_of), policy_paths, limits, required_policies),
        Severity(fail_on),
        out_dir,
        diagram_choice,
        pdf,
        base_ref,
        timestamp,
        summarise_above,
        fail_on_given=click.get_current_context().get_parameter_source("fail_on")
        is not ParameterSource.DEFAULT,
        config_path=config_path,
        pdf_timeout=pdf_timeout,
    )
    outcome = app.report(request, progress)
    for path in outcome.written:
        echo_out(f"wrote {for_terminal(path)}")
    if outcome.unknown:
        shown = ", ".join(for_terminal(name) for name in outcome.unknown[:UNKNOWN_SHOWN])
        more = len(outcome.unknown) - UNKNOWN_SHOWN
        click.echo(
            f"flowaudit: note: {for_terminal(out_dir)} also holds what flowaudit did not write "
            f"(left alone; upload the report's files by name): {shown}"
            + (f" and {more:,} more" if more > 0 else ""),
            err=True,
        )
    if outcome.baseline is not None:
        summary = outcome.baseline.summary(outcome.threshold)
        click.echo(f"Against {for_terminal(base_ref)}: {summary}.", err=True)
    sys.exit(outcome.exit_code)
