"""The command line: thin glue from arguments to model, checks and reports.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 invalid input or usage;
3 an internal error (a bug: please report it).
"""

from __future__ import annotations

__all__ = ["cli", "main"]

import contextlib
import errno
import importlib
import io
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import click
from click.core import ParameterSource

from flowaudit import __version__, app
from flowaudit.app import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    AuditRequest,
    CheckRequest,
    InputError,
    UsageError,
)
from flowaudit.checks.baseline import unpinned_id
from flowaudit.checks.result import AuditResult
from flowaudit.common import (
    CONFIG_OPTION,
    ECHO_PIECE,
    REQUIRE_POLICY_OPTION,
    audit_date,
    audit_options,
    echo_out,
    echo_piece,
    map_options,
    standard_output,
)
from flowaudit.model.discovery import IGNORE_FILE
from flowaudit.model.problems import plural
from flowaudit.model.schema import map_json_schema
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.schema import Severity
from flowaudit.reports.formats import FORMAT_ALIASES, FORMATS, render_pieces
from flowaudit.reports.output import OutputError, write_atomic
from flowaudit.reports.sanitise import for_terminal
from flowaudit.reports.sarif import (
    DEFAULT_MAX_RESULTS,
    gone_left_out_note,
    kept_gone,
    kept_results,
    left_out_note,
)
from flowaudit.reports.text import MAX_WIDTH, GroupBy, render_terminal


def fail_input(error: InputError) -> None:
    """Print an input error: a wrong argument in one line, or every problem of the input at
    file:line:col and their count (through the sanitiser: file names, keys and values in the
    messages come from the input)."""
    if isinstance(error, UsageError):
        click.echo(for_terminal(f"{error.command}: {error.message}"), err=True)
        return
    for problem in error.problems:
        click.echo(for_terminal(problem), err=True)
    count = error.count
    click.echo(
        f"flowaudit: {count:,} input problem{'s' if count != 1 else ''}; nothing was checked",
        err=True,
    )


#: The commands defined outside this module, by name: each module is imported when its
#: command runs (or --help lists it), so ``check`` does not load what the others need
#: (Jinja2, Graphviz, the record of processing...).
_ELSEWHERE = {
    "diagram": ("flowaudit.cmd_dpo", "diagram"),
    "diff": ("flowaudit.cmd_ci", "diff"),
    "explain": ("flowaudit.cmd_rules", "explain"),
    "import": ("flowaudit.cmd_ci", "import_group"),
    "init": ("flowaudit.cmd_init", "init"),
    "law": ("flowaudit.cmd_law", "law"),
    "report": ("flowaudit.cmd_report", "report"),
    "ropa": ("flowaudit.cmd_dpo", "ropa"),
    "rules": ("flowaudit.cmd_rules", "rules"),
    "trace": ("flowaudit.cmd_dpo", "trace"),
}


class _Group(click.Group):
    """The command group, and the one place where an input error becomes exit code 2: bad
    input or a wrong argument (InputError, from flowaudit.app and below), or a report that
    cannot be written (a folder or a device in the way, no permission, a full disk), or input
    nested too deeply for Python to walk. Commands defined elsewhere load when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _ELSEWHERE:
            module, name = _ELSEWHERE[cmd_name]
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InputError, OutputError, RecursionError) as error:
            _fail(error)


def _fail(error: InputError | OutputError | RecursionError) -> NoReturn:
    """The one place an input or output error is said and becomes exit code 2."""
    if isinstance(error, InputError):
        fail_input(error)
    elif isinstance(error, OutputError):
        click.echo(for_terminal(f"flowaudit: {error}"), err=True)
    else:
        click.echo("flowaudit: input is nested too deeply to process", err=True)
    sys.exit(EXIT_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flowaudit")
def cli() -> None:
    """Audit personal data flows against a privacy notice and the law.

    With no PATH, the commands read the data map of Concero Technology Services that ships
    with flowaudit.
    """


def _parse_outputs(
    context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    """FORMAT=FILE pairs, refused as a usage error (exit 2) when malformed."""
    pairs: list[tuple[str, str]] = []
    for value in values:
        name, _, target = value.partition("=")
        name = FORMAT_ALIASES.get(name, name)
        if name not in FORMATS or not target:
            raise click.BadParameter(
                f"'{value}' is not FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}"
            )
        pairs.append((name, target))
    return pairs


@cli.command()
@map_options
@audit_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*FORMATS, *FORMAT_ALIASES, "auto"]),
    default="text",
    show_default=True,
    help="What to print; auto is github under GitHub Actions, else text.",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT=FILE",
    callback=_parse_outputs,
    help="Also write FORMAT to FILE (repeatable), e.g. --output sarif=flowaudit.sarif.",
)
@click.option(
    "--sarif-max-results",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_RESULTS,
    show_default=True,
    metavar="N",
    help="SARIF keeps the N most severe results (changes to review first, then critical "
    "to info) and says how many it left out; GitHub code scanning shows 5,000 results of a "
    "run and rejects a run of more than 25,000. 0: keep every result.",
)
@click.option(
    "--group-by",
    type=click.Choice(["severity", "rule", "flow"]),
    default=None,
    help="Text for a person: findings grouped under headings, wrapped to 100 columns "
    "(the default on a terminal, by severity).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Text: counts per rule and severity and the worst elements instead of every finding.",
)
@click.option(
    "--base",
    "base_ref",
    metavar="GIT_REF",
    help="Fail only on what the change adds since this git revision: new findings, and "
    "changes to review (rules, waivers, policy selection, signatures). The base is audited "
    "by its own rules.",
)
@REQUIRE_POLICY_OPTION
@click.option(
    "--accept-change",
    "accepted_changes",
    multiple=True,
    metavar="ID",
    help="With --base: a change to review that a reviewer accepted, by its id as printed "
    "(KIND:SUBJECT.DIGEST, e.g. rule-changed:GDPR-TRANSFER.3f9c0a1b2d4e5f60: the digest is "
    "of what the change says and of the map and policy files it was read in, so after a "
    "later push the id accepts nothing; repeatable).",
)
@click.option(
    "--accept-reviewed-changes",
    is_flag=True,
    help="With --base: every change to review was reviewed; only new findings fail.",
)
@CONFIG_OPTION
def check(
    paths: tuple[str, ...],
    limits: Limits,
    as_of: Any,
    fail_on: str,
    policy_paths: tuple[str, ...],
    output_format: str,
    outputs: list[tuple[str, str]],
    sarif_max_results: int,
    group_by: GroupBy | None,
    summary: bool,
    base_ref: str | None,
    required_policies: tuple[str, ...],
    accepted_changes: tuple[str, ...],
    accept_reviewed_changes: bool,
    config_path: str | None,
) -> None:
    """Check a data map (files or folders) against the policies; exit 1 on findings."""
    source = click.get_current_context().get_parameter_source("fail_on")
    request = CheckRequest(
        AuditRequest(paths, audit_date(as_of), policy_paths, limits, required_policies),
        fail_on=Severity(fail_on),
        fail_on_given=source is not ParameterSource.DEFAULT,
        config_path=config_path,
        base_ref=base_ref,
        accepted=accepted_changes,
        accept_all=accept_reviewed_changes,
        outputs=outputs,
        sarif_max_results=sarif_max_results,
    )
    outcome = app.check(request)
    output_format = FORMAT_ALIASES.get(output_format, output_format)
    if output_format == "auto":
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    # in the renderer's pieces, each cut to a MiB at most (ECHO_PIECE)
    with standard_output():
        pieces = _printed_pieces(
            output_format, outcome.result, outcome.threshold, group_by, summary, sarif_max_results
        )
        for printed in pieces:
            for start in range(0, len(printed), ECHO_PIECE):
                echo_piece(printed[start : start + ECHO_PIECE])
    if output_format == "sarif" or any(name == "sarif" for name, _ in outputs):
        kept = kept_results(outcome.result, sarif_max_results)
        if kept.left_out_count:
            click.echo(f"flowaudit: note: {left_out_note(kept, sarif_max_results)}.", err=True)
        gone = kept_gone(outcome.result.against, sarif_max_results)
        if gone.left_out_count:
            note = gone_left_out_note(gone, sarif_max_results)
            click.echo(f"flowaudit: note: {note}.", err=True)
    for note in gate_notes(outcome, request, listed=output_format == "text"):
        click.echo(note, err=True)
    sys.exit(outcome.exit_code)


def gate_notes(outcome: app.AuditOutcome, request: CheckRequest, listed: bool = False) -> list[str]:
    """What the gate says on stderr after the report: the comparison in one line, each
    change to review not accepted (unless ``listed``: the text printed lists each already,
    with where it is said), and accepted ids that name nothing (a typo)."""
    baseline = outcome.baseline
    if baseline is None:
        return []
    notes = [f"Against {for_terminal(request.base_ref)}: {baseline.summary(outcome.threshold)}."]
    if not listed:
        notes += [
            f"change to review: {for_terminal(c.id)}: {for_terminal(c.detail)}"
            for c in baseline.unaccepted
        ]
    reviewed = {change.id for change in baseline.review}
    for name in request.accepted:
        if name in reviewed:
            continue
        subject = unpinned_id(name)
        reading = [c.id for c in baseline.review if unpinned_id(c.id) == subject]
        if reading:  # the subject alone, or a digest of what the change said before
            notes.append(
                f"note: --accept-change {for_terminal(name)} does not say what was read: "
                f"the change reads now as {for_terminal(reading[0])}; pass that id once "
                "you have read it"
            )
        else:
            notes.append(f"note: --accept-change {for_terminal(name)} names no change to review")
    if baseline.unaccepted:
        notes.append(
            "Once reviewed, let them through with --accept-change ID, the id as printed, "
            "digest included (or --accept-reviewed-changes)."
        )
    return notes


def _printed(
    output_format: str,
    result: AuditResult,
    threshold: Severity,
    group_by: GroupBy | None,
    summary: bool,
) -> str:
    """What check prints, whole (:func:`_printed_pieces` joined)."""
    return "".join(_printed_pieces(output_format, result, threshold, group_by, summary))


def _printed_pieces(
    output_format: str,
    result: AuditResult,
    threshold: Severity,
    group_by: GroupBy | None,
    summary: bool,
    sarif_max_results: int = DEFAULT_MAX_RESULTS,
) -> Iterable[str]:
    """What check prints, in pieces: the format asked for (text, JSON and SARIF made a few
    thousand findings at a time); text for a person on a terminal, or when --group-by or
    --summary asks for it, grouped, wrapped and (unless NO_COLOR) coloured."""
    on_terminal = sys.stdout.isatty()
    if output_format != "text" or not (on_terminal or group_by or summary):
        return render_pieces(output_format, result, threshold, sarif_max_results)
    text = render_terminal(
        result,
        threshold,
        group_by=group_by or "severity",
        summary=summary,
        width=shutil.get_terminal_size((MAX_WIDTH, 24)).columns if on_terminal else MAX_WIDTH,
        colour=on_terminal and not os.environ.get("NO_COLOR"),
    )
    return (text,)


@cli.command()
@map_options
def validate(paths: tuple[str, ...], limits: Limits) -> None:
    """Validate a data map alone: syntax, fields, ids and references."""
    loaded = app.load(paths, limits)
    # a name in organisation.policies every check would refuse (newcomer review s9, problem 2)
    unknown = app.unknown_selected_policies(loaded)
    if unknown:
        raise InputError(unknown)
    data = loaded.data
    # The fingerprint counts .flowauditignore too (it shapes what is read); it holds no data.
    map_files = [f for f in loaded.files if os.path.basename(f.path) != IGNORE_FILE]
    echo_out(
        f"{for_terminal(loaded.organisation.name)}: valid map of "
        f"{plural(len(data.parties), 'party', 'parties')}, "
        f"{plural(len(data.systems), 'system')}, {plural(len(data.flows), 'flow')}, "
        f"{plural(len(data.agreements), 'agreement')} in {plural(len(map_files), 'file')}."
    )


@cli.command()
@click.option(
    "--policies",
    "for_policies",
    is_flag=True,
    help="Print the JSON Schema of policy files instead of map files.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "md"]),
    default="json",
    show_default=True,
    help="md: the map's field reference (each field's meaning, values and example) as "
    "docs/map-format.md gives it.",
)
@click.option(
    "--update",
    "update_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --format md: rewrite the field tables of this page (docs/map-format.md) "
    "between their markers.",
)
def schema(for_policies: bool, output_format: str, update_path: str | None) -> None:
    """Print the JSON Schema of the map format (for editors and validation)."""
    if output_format == "md" or update_path is not None:
        _field_reference(for_policies, output_format, update_path)
        return
    if for_policies:
        from flowaudit.policies.schema import policy_json_schema

        document = policy_json_schema()
    else:
        document = map_json_schema()
    echo_out(json.dumps(document, indent=2, sort_keys=True))


def _field_reference(for_policies: bool, output_format: str, update_path: str | None) -> None:
    """``schema --format md``: the map's field reference, printed or written into a page."""
    from flowaudit import field_reference

    if for_policies or output_format != "md":
        raise click.UsageError("--format md and --update are for the map's schema only")
    if update_path is None:
        echo_out(field_reference.markdown(), nl=False)
        return
    try:
        with open(update_path, encoding="utf-8") as page:
            text = page.read()
        updated = field_reference.update(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise click.UsageError(f"{update_path}: {error}") from error
    if updated != text:
        write_atomic(update_path, updated)
    click.echo(
        f"flowaudit: {'updated' if updated != text else 'unchanged'}: {update_path}", err=True
    )


class _ClosedStandardOutput(io.TextIOBase):
    """Standard output for a process started without one (``flowaudit --help >&-``: Python
    sets ``sys.stdout`` to None, and click's echo then writes nothing and the command exits
    0): every write fails, so what click prints is an output error like the commands' own."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; turns any unexpected error into exit code 3, not a traceback."""
    if sys.stdout is None:
        sys.stdout = _ClosedStandardOutput()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="flowaudit")
    except SystemExit:
        raise
    except OSError as error:
        if not (_raised_by_echo(error) or _standard_output_failed()):
            _internal_error(error)
        # click's own output (--help) on a full or broken standard output
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        _fail(OutputError("standard output", error.strerror or str(error)))
    except Exception as error:  # pragma: no cover - a bug by definition
        _internal_error(error)


def _raised_by_echo(error: OSError) -> bool:
    """Whether ``error`` came from click writing what it prints (``--help``): the commands'
    own output goes through flowaudit.common.standard_output, which says so itself."""
    trace = error.__traceback__
    while trace is not None:
        code = trace.tb_frame
        if code.f_code.co_name == "echo" and code.f_globals.get("__name__") == "click.utils":
            return True
        trace = trace.tb_next
    return False


def _standard_output_failed() -> bool:
    """Whether standard output is what failed: what it holds cannot be flushed (a write to
    it failed and is still there). It is then set to the null device, so that nothing more
    fails at exit."""
    if sys.stdout is None:
        return False
    try:
        sys.stdout.flush()
    except OSError:
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        return True
    return False


def _internal_error(error: Exception) -> NoReturn:
    """A bug: said in two lines on stderr, exit 3."""
    message = f"flowaudit: internal error: {type(error).__name__}: {error}"
    click.echo(for_terminal(message), err=True)
    click.echo("Please report this with the input that caused it.", err=True)
    sys.exit(EXIT_INTERNAL)
