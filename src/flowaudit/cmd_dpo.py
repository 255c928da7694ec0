"""The DPO's commands: ``diagram`` (data-flow diagram), ``trace`` (where data goes) and
``ropa`` (the Art. 30 record of processing). Thin glue: parse, call reports/, print."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

import click

from flowaudit import app
from flowaudit.app import UsageError
from flowaudit.common import AS_OF_OPTION, POLICIES_OPTION, audit_date, echo_out, map_options
from flowaudit.model.yamlsource import Limits
from flowaudit.reports.bounds import DOT_TIMEOUT
from flowaudit.reports.diagram import FULL_LIMIT
from flowaudit.reports.output import write_atomic
from flowaudit.reports.ropa import render_csv, render_html, render_markdown
from flowaudit.reports.sanitise import for_terminal
from flowaudit.reports.trace import render_trace


def _audit_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """PATH..., the limits, --as-of and --policies (drawing has no verdict, so no --fail-on)."""
    return map_options(AS_OF_OPTION(POLICIES_OPTION(function)))


def _usage_error(message: str) -> NoReturn:
    raise UsageError(message)


#: Output formats of ``diagram`` and the suffixes that choose them when --format is not given.
FORMATS = {"svg": (".svg",), "png": (".png",), "pdf": (".pdf",), "dot": (".dot", ".gv")}


def format_for(out: str | None) -> str:
    """The format --out's suffix names (svg without --out); an unknown suffix is a usage
    error rather than SVG bytes in a file called map.png."""
    if out is None:
        return "svg"
    suffix = Path(out).suffix.lower()
    for fmt, suffixes in FORMATS.items():
        if suffix in suffixes:
            return fmt
    known = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
    _usage_error(f"cannot tell the format from --out {out!r}: use a suffix ({known}) or --format")


def _emit(content: str | bytes, out: str | None) -> None:
    """Write to --out atomically, or to standard output."""
    if out is not None:
        write_atomic(out, content)
        click.echo(f"flowaudit: wrote {for_terminal(out)}", err=True)
    else:
        echo_out(content, nl=False)


@click.command()
@_audit_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="svg, png and pdf need Graphviz's dot; dot never does. Default: from --out's "
    "suffix (.svg, .png, .pdf, .dot or .gv), else svg.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Output file; default stdout.")
@click.option("--party", help="Only this party (or system) and its neighbours.")
@click.option("--category", help="Only flows carrying this data category (or a parent/child).")
@click.option("--subject", help="Only flows carrying this data subject's data.")
@click.option("--findings-only", is_flag=True, help="Only flows with findings.")
@click.option(
    "--group-by",
    type=click.Choice(["auto", "none", "kind", "country"]),
    default="auto",
    show_default=True,
    help="Aggregate parties and systems per kind or per country; auto groups by country "
    f"when the view would draw more than {FULL_LIMIT} flows, none draws every flow.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=DOT_TIMEOUT,
    show_default=True,
    help="Seconds Graphviz may take; then a coarser view is drawn (country, then kind) and "
    "standard error says so.",
)
def diagram(
    paths: tuple[str, ...],
    limits: Limits,
    as_of: Any,
    policy_paths: tuple[str, ...],
    fmt: str | None,
    out: str | None,
    party: str | None,
    category: str | None,
    subject: str | None,
    findings_only: bool,
    group_by: str,
    timeout: float,
) -> None:
    """Draw the data-flow diagram: clusters per jurisdiction, flows numbered and graded by
    their worst finding in colour and line style, a legend of what is drawn and the key to
    the numbered flows above the drawing.

    Without Graphviz installed, the DOT source is written instead (to --out with a .dot
    suffix, or stdout) and the command still exits 0.
    """
    fmt = fmt or format_for(out)
    if fmt in ("png", "pdf") and out is None:
        _usage_error(f"--format {fmt} needs --out FILE")
    request = app.DiagramRequest(
        app.AuditRequest(paths, audit_date(as_of), policy_paths, limits),
        fmt,
        party,
        category,
        subject,
        findings_only,
        group_by,
        timeout,
    )
    drawn = app.diagram(request, _note)
    if drawn.missing is None:
        _emit(drawn.content, out)
        return
    dot_out = str(Path(out).with_suffix(".dot")) if out is not None else None
    _emit(drawn.content, dot_out)
    where = dot_out or "standard output"
    click.echo(for_terminal(f"flowaudit: {drawn.missing}."), err=True)
    later = f"dot -T{fmt} {dot_out} -o {out}" if dot_out else f"dot -T{fmt}"
    click.echo(
        for_terminal(f"flowaudit: wrote the DOT source to {where}; render it with: {later}"),
        err=True,
    )


def _note(message: str) -> None:
    """A decision the diagram took for the user, on standard error."""
    click.echo(for_terminal(f"flowaudit: {message}"), err=True)


@click.command()
@click.argument("what", metavar="CATEGORY|SUBJECT")
@map_options
@click.option(
    "--as",
    "what_kind",
    type=click.Choice(["category", "subject"]),
    help="Read CATEGORY|SUBJECT as this when an id is both.",
)
@click.option(
    "--flows-only",
    is_flag=True,
    help="Follow flows only, not a system to the party that owns it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False), help="Output file; default stdout.")
def trace(
    what: str,
    paths: tuple[str, ...],
    limits: Limits,
    what_kind: str | None,
    flows_only: bool,
    fmt: str,
    out: str | None,
) -> None:
    """Every party and store a data category or data subject reaches, with the path.

    Categories follow the hierarchy: tracing contact.email follows flows of contact.email and
    of its parent contact. Flows that only may carry the data (may_carry) are followed too, and
    marked "may carry". By default data in a system is also held by the system's owner and
    can leave through the owner's flows (--flows-only to turn this off).
    """
    request = app.TraceRequest(
        paths,
        what,
        limits,
        cast(Literal["category", "subject"] | None, what_kind),
        through_owners=not flows_only,
    )
    found = app.trace(request)
    _emit(render_trace(found, cast(Literal["text", "json"], fmt)), out)


# the short help names what the command writes: click cuts the docstring's first sentence at
# its first full stop, which "Art." is, so `flowaudit --help` listed "The records of
# processing (Art." (newcomer review s18)
@click.command(short_help="The Art. 30 records of processing, built from the map.")
@_audit_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "md", "html", "xlsx"]),
    default="md",
    show_default=True,
    help="xlsx: the ICO template's layout, both records (needs --out).",
)
@click.option(
    "--record",
    type=click.Choice(["controller", "processor"]),
    default="controller",
    show_default=True,
    help="For csv: Art. 30(1) as controller or Art. 30(2) as processor (md, html and xlsx "
    "hold both).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Output file; default stdout.")
def ropa(
    paths: tuple[str, ...],
    limits: Limits,
    as_of: Any,
    policy_paths: tuple[str, ...],
    fmt: str,
    record: str,
    out: str | None,
) -> None:
    """The records of processing (Art. 30(1) as controller, Art. 30(2) as processor), built
    from the map: one row per purpose, one per controller processed for.

    Empty cells are facts the map does not record; nothing is filled in by guesswork.
    Safeguards not valid on the date are flagged; each row lists its open findings.
    """
    if fmt == "xlsx" and out is None:
        _usage_error("--format xlsx needs --out FILE.xlsx")
    built = app.ropa(app.AuditRequest(paths, audit_date(as_of), policy_paths, limits))
    if fmt == "xlsx":
        from flowaudit.reports.ropa_xlsx import render_xlsx

        _emit(render_xlsx(built), out)
    elif fmt == "csv":
        _emit(render_csv(built, record), out)
    else:
        _emit({"md": render_markdown, "html": render_html}[fmt](built), out)
