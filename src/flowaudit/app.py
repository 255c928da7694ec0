"""The application layer: what each command does, as typed functions over model, policies,
checks and reports, returning results and the exit code they call for.

The CLI, the bench and the tests call these functions; none of them assembles a loader,
policies and the engine by hand or decides an exit code on its own, so the three always
audit the same way. Nothing here parses arguments or prints.

Bad input of any kind raises :class:`InputError` (a wrong argument raises its subclass
:class:`UsageError`); the CLI turns it into exit code 2, with every problem located, in one
place.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from flowaudit.checks.baseline import Baseline, compare
from flowaudit.checks.engine import run_audit
from flowaudit.checks.result import FINDING_ID, Against, AuditResult
from flowaudit.config import (
    GateConfig,
    config_change,
    default_config_path,
    fail_on_level,
    load_config,
)
from flowaudit.model.diff import MapDiff, diff_maps
from flowaudit.model.discovery import display_path
from flowaudit.model.loader import LoadedMap, load_map, shipped_map_dir
from flowaudit.model.problems import OPTIONS, InputError, Problem, did_you_mean
from flowaudit.model.yamlsource import Limits
from flowaudit.policies.clauses import shipped_clause_tables
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import LAW_POLICIES, PolicySet, load_policies, shipped_policy_names
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import DOT_TIMEOUT, PDF_TIMEOUT, SUMMARISE_ABOVE
from flowaudit.reports.formats import render_pieces
from flowaudit.reports.output import OutputError, OutputSet, refuse_linked_folder, write_atomic
from flowaudit.reports.sarif import DEFAULT_MAX_RESULTS
from flowaudit.starter import InitError, InitRequest, Started, start

if TYPE_CHECKING:
    from flowaudit.policies.schema import RuleBase
    from flowaudit.reports.diagram import Choice
    from flowaudit.reports.ropa import Ropa
    from flowaudit.reports.trace import Trace

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "AuditOutcome",
    "AuditRequest",
    "CheckRequest",
    "Diagram",
    "DiagramRequest",
    "DiffOutcome",
    "DiffRequest",
    "Imported",
    "InitRequest",
    "InputError",
    "ReportOutcome",
    "ReportRequest",
    "Started",
    "TraceRequest",
    "UsageError",
    "all_policies",
    "audit",
    "check",
    "diagram",
    "diff",
    "import_fides",
    "import_ropa",
    "init",
    "law",
    "load",
    "policy_names",
    "report",
    "ropa",
    "rule",
    "trace",
]

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(InputError):
    """A wrong argument or option rather than a wrong file: one line, located by the option
    it names, and exit code 2 like every other input error."""

    def __init__(self, message: str, command: str = "flowaudit") -> None:
        super().__init__([])
        self.message = message
        #: Who says it: ``flowaudit``, or ``flowaudit init`` for the command's own checks.
        self.command = command
        self.args = (message,)

    def __str__(self) -> str:
        return self.message


def exit_code(fails: bool) -> int:
    """1 when something at or above the threshold fails the run, else 0."""
    return EXIT_FINDINGS if fails else EXIT_OK


@dataclass(frozen=True)
class AuditRequest:
    """One audit: a map (none given: the shipped Concero map), on a date, by policies."""

    paths: Sequence[str | os.PathLike[str]]
    as_of: date
    #: Folders or files of the user's own policy rules.
    policy_paths: Sequence[str | os.PathLike[str]] = ()
    limits: Limits = field(default_factory=Limits)
    #: Policies that apply whatever the map selects (a shipped name or a user policy's id).
    required: Sequence[str] = ()
    #: The settings file whose ``require_policies`` are among ``required``: a policy it names
    #: that is not found is located at its line, not at the command line.
    settings: GateConfig | None = None
    #: The shipped policies to load *instead of* the law plus the map's selection: a test
    #: that runs one rule kind's policy alone passes ``()``.
    policies: Sequence[str] | None = None
    #: Refuse values outside the legal table's closed lists (bases, Art. 9 conditions,
    #: transfer mechanisms) as input errors, as every command does. False lets them through
    #: to the rules, so a test can reach a rule's own guard against them.
    closed_vocabulary: bool = True
    #: Show a map file outside the working folder from the folder its argument was named in
    #: (``acme/flows.yaml`` for ``/srv/maps/acme``); False: absolute, as the gate's base side
    #: needs to map its temporary copy back to ``REF:path``.
    from_arguments: bool = True
    #: Skip the input checks on names a later release may withdraw (a waiver's unknown rule
    #: id, an ``organisation.policies`` id no shipped policy has): the gate's base side, so a
    #: base valid under an older release does not make every pull request exit 2, including
    #: the one that fixes it (attack review s10, problem 3). HEAD keeps the input errors.
    lenient_references: bool = False


def load(
    paths: Sequence[str | os.PathLike[str]],
    limits: Limits | None = None,
    closed_vocabulary: bool = True,
    from_arguments: bool = True,
) -> LoadedMap:
    """The map at paths, or the shipped Concero map when none is given; raises InputError."""
    vocabulary = load_legal_table().vocabulary() if closed_vocabulary else None
    return load_map(
        list(paths) or [shipped_map_dir()],
        limits or Limits(),
        vocabulary,
        from_arguments,
        # a selected notice policy's clause ids are a closed vocabulary of the map's notice:
        shipped_clause_tables() if closed_vocabulary else None,
    )


def policy_names(selected: Sequence[str], required: Sequence[str] = ()) -> list[str]:
    """The shipped policies to load: the law, the map's selection, the required ones."""
    names = list(LAW_POLICIES)
    shipped = shipped_policy_names()
    for name in (*selected, *required):
        if name not in names and name in shipped:
            names.append(name)
    return names


def unknown_selected_policies(loaded: LoadedMap, defined: Iterable[str] = ()) -> list[Problem]:
    """A located problem at each item of the map's ``organisation.policies`` that names no
    shipped policy, unless a ``--policies`` file defines it (``defined``): the list selects
    shipped policies, and one's own policy is loaded by --policies. The id was refused at
    ``(policies):1:1``, with no word of --policies, and ``validate`` passed the map (newcomer
    review s9, problem 2)."""
    shipped = shipped_policy_names()
    own = set(defined)
    organisation = loaded.organisation
    problems = []
    for number, name in enumerate(organisation.policies):
        if name in shipped or name in own:
            continue
        problems.append(
            loaded.sources.problem(
                ("organisation", organisation.id),
                ("policies", number),
                f"policies names '{name}': no shipped policy has this id; a policy of your own "
                "is loaded with --policies DIR and needs no entry here; shipped: "
                f"{', '.join(shipped)}{did_you_mean(name, shipped)}",
            )
        )
    return problems


def unknown_waived_rules(loaded: LoadedMap, policies: PolicySet) -> list[Problem]:
    """A located problem at the ``rule`` of each waiver that names a rule no policy has,
    loaded or shipped, with the nearest id: a misspelt rule was reported by HYG-WAIVER as a
    waiver that "matches no finding", as if the rule existed (newcomer review s9, problem
    3). A waiver of a shipped rule the map does not select stays HYG-WAIVER's to judge."""
    loaded_ids = {rule.id for rule in policies.rules}
    strays = [w for w in loaded.data.waivers if w.rule not in loaded_ids]
    if not strays:
        return []  # the shipped policies are read only when a waiver names another rule
    shipped = all_policies()
    known = loaded_ids | {rule.id for rule in shipped.rules}
    # a waiver of a house rule read by a command given no --policies (diagram, ropa, trace
    # after `check --policies`): the nearest shipped rule was the only hint, a newcomer's
    # waiver of DENT-ENCRYPTED was told "did you mean 'CONCERO-ENCRYPT'?" (newcomer review
    # s20); with no policy of one's own loaded, the message says where the rule comes from,
    # naming the commands that take --policies (trace and validate take none, and read no
    # waiver: newcomer review s21 tried `trace --policies`, as "every command" had said)
    own = set(policies.origin.values()) - set(shipped.origin.values())
    hint = (
        ""
        if own
        else "; if it is a rule of a policy of your own, name that policy's file or folder "
        "with --policies (check, report, diagram, ropa and diff read waivers and take it)"
    )
    problems = []
    for waiver in strays:
        if waiver.rule in known:
            continue
        problems.append(
            loaded.sources.problem(
                ("waivers", waiver.id),
                ("rule",),
                f"unknown rule '{waiver.rule}': no loaded or shipped policy has a rule of this "
                f"id{did_you_mean(waiver.rule, sorted(known))}{hint}",
            )
        )
    return problems


def audit(request: AuditRequest, loaded: LoadedMap | None = None) -> AuditResult:
    """Load the map (unless ``loaded`` is the map already read from ``request.paths``, as
    the bench times the two stages apart) and its policies, and run the rules on the date;
    raises InputError.

    ``request.required`` names policies (shipped, or the id of one under ``policy_paths``)
    that apply whatever the map's ``policies:`` selection says: CI pins them, the map cannot
    drop them."""
    legal = load_legal_table()
    legal.refuse_unmodelled(request.as_of)
    if loaded is None:
        loaded = load(
            request.paths, request.limits, request.closed_vocabulary, request.from_arguments
        )
    names = (
        list(request.policies)
        if request.policies is not None
        else policy_names(loaded.organisation.policies, request.required)
    )
    policies = load_policies(names, request.policy_paths, request.limits)
    if request.policies is None and not request.lenient_references:
        unknown = unknown_selected_policies(loaded, policies.origin.values())
        if unknown:
            raise InputError(unknown)
    unknown = [] if request.lenient_references else unknown_waived_rules(loaded, policies)
    if unknown:
        raise InputError(unknown)
    missing = [
        name
        for name in request.required
        if name not in shipped_policy_names() and name not in policies.origin.values()
    ]
    if missing:
        raise InputError([_not_found(request, name) for name in missing])
    return run_audit(loaded, policies, legal, request.as_of)


def _not_found(request: AuditRequest, name: str) -> Problem:
    """A required policy that is neither shipped nor under ``--policies``, located where it
    was required, with the fix: a name from ``.flowaudit.toml`` was blamed on a
    ``--require-policy`` the command line never gave, with no word of ``--policies``
    (auditor review 2026-12-03y, problem 5)."""
    if request.policy_paths:
        given = ", ".join(str(path) for path in request.policy_paths)
        why = (
            f"no shipped policy and no policy under --policies {given} has this id: check the id "
            "under its file's policy: header, or name the folder that holds it with --policies DIR"
        )
    else:
        why = (
            "no shipped policy has this id, and no --policies was given: name the folder "
            "that holds the policy with --policies DIR"
        )
    settings = request.settings
    if settings is not None and settings.path is not None and name in settings.require_policies:
        where = display_path(settings.path)
        return Problem(where, settings.require_line, 1, f"require_policies names '{name}': {why}")
    return Problem(OPTIONS, 1, 1, f"--require-policy {name}: {why}")


# --- check: the CI gate --------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRequest:
    """What ``flowaudit check`` was asked: an audit, the level that fails, the settings file
    and (with ``base_ref``) the baseline to judge the change against."""

    audit: AuditRequest
    fail_on: Severity
    fail_on_given: bool = False  # --fail-on on the command line, not its default
    config_path: str | None = None
    base_ref: str | None = None
    accepted: Sequence[str] = ()
    accept_all: bool = False
    #: (format, file) pairs to write besides what is printed.
    outputs: Sequence[tuple[str, str]] = ()
    #: SARIF keeps this many results, the most severe (0: all).
    sarif_max_results: int = DEFAULT_MAX_RESULTS


@dataclass(frozen=True)
class AuditOutcome:
    """The audit (with its changes to review), the comparison with the base if any, and the
    level that fails."""

    result: AuditResult
    baseline: Baseline | None
    threshold: Severity

    @property
    def fails(self) -> bool:
        return self.result.fails(self.threshold)

    @property
    def exit_code(self) -> int:
        return exit_code(self.fails)


def _settings(
    request: AuditRequest, fail_on: Severity, fail_on_given: bool, config_path: str | None
) -> tuple[str, GateConfig, Severity, tuple[str, ...]]:
    """The gate's settings file as ``check`` and ``report`` both read it: its path, what it
    says, the level that fails and the policies required (the command line's, then its)."""
    settings = config_path or default_config_path([str(path) for path in request.paths])
    config = load_config(settings, explicit=config_path is not None)
    threshold = fail_on_level(config, fail_on, fail_on_given)
    required = tuple(dict.fromkeys([*request.required, *config.require_policies]))
    return settings, config, threshold, required


def check(request: CheckRequest) -> AuditOutcome:
    """Settings file, audit, the comparison with the base (given a ref) and the files asked
    for with ``outputs``; raises InputError."""
    from flowaudit.gate import against_base

    paths = [str(path) for path in request.audit.paths]
    settings, config, threshold, required = _settings(
        request.audit, request.fail_on, request.fail_on_given, request.config_path
    )
    result = audit(replace(request.audit, required=required, settings=config))
    outcome = AuditOutcome(result, None, threshold)
    if request.base_ref is not None:
        accepted: Sequence[str] | bool = request.accept_all or request.accepted
        baseline = against_base(
            request.base_ref,
            paths,
            result,
            [str(path) for path in request.audit.policy_paths],
            request.audit.limits,
            request.audit.required,
            accepted,
            config,
            settings,
        )
        judged = replace(
            result,
            review=baseline.review,
            against=Against(request.base_ref, baseline.new, baseline.gone),
        )
        outcome = AuditOutcome(judged, baseline, threshold)
    with OutputSet(len(request.outputs)) as files:
        for name, target in request.outputs:
            pieces = render_pieces(
                name, outcome.result, outcome.threshold, request.sarif_max_results
            )
            files.add(target, pieces)
        files.commit()
    return outcome


# --- diff: two maps ------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRequest:
    """Two maps, each audited by its own map, waivers, policy selection and settings file
    (``.flowaudit.toml``, as check reads it)."""

    base: str
    head: str
    as_of: date
    fail_on: Severity
    policy_paths: Sequence[str] = ()
    #: The policy files the base is audited with; default: ``policy_paths``.
    base_policy_paths: Sequence[str] = ()
    required: Sequence[str] = ()
    #: Changes to review a reviewer accepted, or True for all of them.
    accepted: Sequence[str] | bool = ()
    #: One settings file for both sides; default: each side's own, when it has one.
    config_path: str | None = None
    fail_on_given: bool = False  # --fail-on on the command line, not its default


@dataclass(frozen=True)
class DiffOutcome:
    """Elements added, removed and changed; findings new and gone; the level that fails."""

    changes: MapDiff
    baseline: Baseline
    threshold: Severity

    @property
    def exit_code(self) -> int:
        return exit_code(self.baseline.fails(self.threshold))


def diff(request: DiffRequest) -> DiffOutcome:
    """Audit both maps and compare them; a change to the settings file between them is a
    change to review; raises InputError."""
    head_config = load_config(
        request.config_path or default_config_path([request.head]),
        explicit=request.config_path is not None,
    )
    base_config = (
        head_config
        if request.config_path is not None
        else load_config(default_config_path([request.base]), explicit=False)
    )

    def side(
        path: str, policy_paths: Sequence[str], config: GateConfig, lenient: bool
    ) -> AuditResult:
        required = list(dict.fromkeys([*request.required, *config.require_policies]))
        return audit(
            AuditRequest(
                [path],
                request.as_of,
                policy_paths,
                required=required,
                settings=config,
                lenient_references=lenient,
            )
        )

    # the base leniently, as the gate reads it (attack review s10, problem 3)
    before = side(
        request.base, request.base_policy_paths or request.policy_paths, base_config, True
    )
    after = side(request.head, request.policy_paths, head_config, False)
    threshold = fail_on_level(head_config, request.fail_on, request.fail_on_given)
    change = config_change(base_config, head_config)
    baseline = compare(before, after, request.accepted, [] if change is None else [change])
    return DiffOutcome(diff_maps(before.loaded.data, after.loaded.data), baseline, threshold)


# --- report: the auditors' folder ----------------------------------------------------------


@dataclass(frozen=True)
class ReportRequest:
    """``flowaudit report``: the audit, the level that fails, and what to write where."""

    audit: AuditRequest
    fail_on: Severity
    out_dir: str
    diagram: Choice = "auto"
    pdf: bool = False
    #: Say what changed against the map at this git revision, and exit as the gate does.
    base_ref: str | None = None
    #: Print the generation time (makes the report non-reproducible).
    timestamp: bool = False
    #: Past this many findings or passed checks the report summarises its long lists.
    summarise_above: int = SUMMARISE_ABOVE
    fail_on_given: bool = False  # --fail-on on the command line, not its default
    #: The gate's settings file, read as check reads it (None: .flowaudit.toml by the map).
    config_path: str | None = None
    #: Seconds WeasyPrint may take to lay out the PDF.
    pdf_timeout: float = PDF_TIMEOUT


@dataclass(frozen=True)
class ReportOutcome:
    """The comparison with the base, the level that fails, whether the audit fails it (as
    check judges it) and the files written. Not the audit itself: the report lets it go
    before WeasyPrint lays out the PDF (at 100,000 flows the audit holds 730 MB, the layout
    430 MB more: together they peaked at 1.2 GB)."""

    baseline: Baseline | None
    threshold: Severity
    fails: bool
    written: tuple[str, ...] = ()
    #: Files in the folder that flowaudit does not write: left alone, named in a note.
    unknown: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.fails)


def _quiet(message: str) -> None:
    """No progress to show."""


#: Every file ``report`` may write into its folder.
REPORT_FILES = (
    "report.html",
    "report.md",
    "report.pdf",
    "agreements.csv",
    "findings.csv",
    "passed.csv",
    "processors.csv",
    "transfers.csv",
    "warnings.csv",
    "diagram-groups.csv",
    "diagram.svg",
)


def clear_report_folder(out_dir: str) -> tuple[str, ...]:
    """Remove the files a report writes from ``out_dir`` before a run writes any, so that the
    folder never mixes this run's files with stale or planted ones (a report.md committed in a
    pull request, the report.pdf of an earlier run with --pdf, the report of a run that then
    failed); return the names of the other entries, which are never touched. An entry with a
    report file's name that is not a file (a folder) is an output error."""
    try:
        entries = sorted(os.listdir(out_dir))
    except FileNotFoundError:
        return ()
    except OSError as error:
        raise OutputError(out_dir, error.strerror or str(error)) from None
    for name in REPORT_FILES:
        if name not in entries:
            continue
        path = os.path.join(out_dir, name)
        if os.path.isdir(path) and not os.path.islink(path):
            raise OutputError(path, "is a folder, where the report writes a file")
        try:
            os.unlink(path)
        except OSError as error:
            raise OutputError(path, error.strerror or str(error)) from None
    return tuple(name for name in entries if name not in REPORT_FILES)


def report(request: ReportRequest, progress: Callable[[str], None] = _quiet) -> ReportOutcome:
    """Write report.html and report.md (and report.pdf) into ``request.out_dir``; raises
    InputError (and UsageError when the PDF renderer is not installed, after the HTML is
    written). ``progress`` hears each long step, for a person at a terminal."""
    from flowaudit.reports.diagram import draw_for_report, pages_for_paper
    from flowaudit.reports.html import Changes, render_html
    from flowaudit.reports.markdown import render_markdown
    from flowaudit.reports.sanitise import for_terminal

    refuse_linked_folder(request.out_dir)
    unknown = clear_report_folder(request.out_dir)
    progress("reading the map and running the rules")
    # the settings file as check reads it: the auditors' report applies the policies the
    # gate pins and fails at the gate's level (attack review 2026-12-02b, hole 9)
    settings, config, threshold, required = _settings(
        request.audit, request.fail_on, request.fail_on_given, request.config_path
    )
    result = audit(replace(request.audit, required=required, settings=config))
    changes = None
    baseline = None
    if request.base_ref is not None:
        from flowaudit.gate import against_base

        progress(f"auditing the map at {for_terminal(request.base_ref)} by its own rules")
        baseline = against_base(
            request.base_ref,
            [str(path) for path in request.audit.paths],
            result,
            [str(path) for path in request.audit.policy_paths],
            request.audit.limits,
            request.audit.required,
            (),
            config,
            settings,
        )
        result = replace(
            result,
            review=baseline.review,
            against=Against(request.base_ref, baseline.new, baseline.gone),
        )
        changes = Changes(
            request.base_ref,
            baseline.summary(threshold),
            baseline.new,
            baseline.review,
            baseline.gone,
        )
    progress(f"drawing the diagram ({len(result.loaded.data.flows):,} flows)")
    drawn = draw_for_report(result, request.diagram)
    # with or without --pdf: a browser prints the HTML too (auditor review 2026-12-03y, 2)
    progress("laying out the diagram's pages for paper")
    pages, unprinted = pages_for_paper(result, drawn)
    note = " ".join(part for part in (drawn.note, unprinted) if part) or None
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") if request.timestamp else None
    html_path = os.path.join(request.out_dir, "report.html")
    progress("writing the report")
    from flowaudit.reports.registers import build_registers

    registers = build_registers(result)  # one build for the HTML and the side files
    html = render_html(
        result,
        threshold,
        drawn.svg,
        note,
        generated,
        drawn.rows,
        drawn.view,
        drawn.key,
        changes,
        pages,
        request.summarise_above,
        registers,
    )
    from flowaudit.reports.side_files import side_file_pieces

    # each CSV made while it is written: the hub 100,000-flow findings.csv held whole was
    # the report's peak of memory (auditor review s21)
    sides: dict[str, str | Iterable[str]] = dict(
        side_file_pieces(result, registers, drawn.view, drawn.rows)
    )
    if drawn.svg is not None:
        # the drawing as on screen, every flow: on paper a full diagram too small to read on
        # a page is the overview with a pointer here (report review s17, problem 4)
        from flowaudit.reports.diagram import DIAGRAM_SVG

        sides[DIAGRAM_SVG] = drawn.svg
    md_path = os.path.join(request.out_dir, "report.md")
    # the run's files are written together or not at all (output review s16, problem 3)
    with OutputSet(2 + len(sides) + int(request.pdf)) as files:
        files.add(html_path, html)
        for name, text in sides.items():
            files.add(os.path.join(request.out_dir, name), text)
        files.add(
            md_path, render_markdown(result, threshold, request.summarise_above, registers.causes)
        )
        fails = AuditOutcome(result, baseline, threshold).fails
        # Everything the PDF needs is in the HTML: let the audit go before WeasyPrint lays it
        # out, so the two never hold memory at once.
        del result, registers, drawn, pages, changes, sides
        gc.collect()  # the audit's objects refer to each other: free them now
        if request.pdf:
            progress("writing the PDF")
            from flowaudit.reports.pdf import PdfFailed, PdfTooSlow, PdfUnavailable, render_pdf

            pdf_path = os.path.join(request.out_dir, "report.pdf")
            try:
                document = render_pdf(html, request.pdf_timeout)
            except (PdfUnavailable, PdfTooSlow, PdfFailed) as error:
                files.count -= 1  # the others are kept, and said
                kept = files.commit()
                names = ", ".join(os.path.basename(path) for path in kept)
                raise UsageError(
                    f"{error}; report.pdf was not written; the other {len(kept)} files of "
                    f"this run were written and kept: {names}"
                ) from None
            files.add(pdf_path, document)
        written = files.commit()
    return ReportOutcome(baseline, threshold, fails, written, unknown)


# --- diagram -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiagramRequest:
    """``flowaudit diagram``: the audit, what to draw, in which format, how long Graphviz
    may take."""

    audit: AuditRequest
    fmt: str
    party: str | None = None
    category: str | None = None
    subject: str | None = None
    findings_only: bool = False
    #: auto, none, kind or country.
    group_by: str = "auto"
    timeout: float = DOT_TIMEOUT


@dataclass(frozen=True)
class Diagram:
    """The drawing in the format asked for, or its DOT source when Graphviz is missing
    (``missing`` then says so)."""

    content: str | bytes
    missing: str | None = None


def diagram(request: DiagramRequest, note: Callable[[str], None] = _quiet) -> Diagram:
    """Audit and draw: grouped by country when auto finds too many flows to draw one by one,
    a coarser view when Graphviz runs out of time; ``note`` hears each such decision as it
    is taken. Raises InputError (UsageError for a view that names nothing, a layout that
    fails or times out with no coarser view left)."""
    from flowaudit.reports.diagram import (
        COARSER,
        FULL_LIMIT,
        GraphvizFailed,
        GraphvizMissing,
        GraphvizTimeout,
        GroupBy,
        View,
        ViewError,
        diagram_dot,
        render,
    )

    result = audit(request.audit)
    flows = len(result.loaded.data.flows)
    group_by = request.group_by
    if group_by == "auto":
        filtered = any((request.party, request.category, request.subject, request.findings_only))
        many = not filtered and flows > FULL_LIMIT
        group_by = "country" if many else "none"
        if many:
            note(
                f"{flows:,} flows are too many to draw one by one; grouped by country "
                "(--group-by none draws every flow)"
            )
    grouping = None if group_by == "none" else cast("GroupBy", group_by)
    while True:
        view = View(
            request.party, request.category, request.subject, request.findings_only, grouping
        )
        try:
            source = diagram_dot(result, view)
        except ViewError as error:
            raise UsageError(str(error)) from None
        if "no flow matches this view" in source:
            note("no flow matches this view; the diagram is empty")
        if request.fmt == "dot":
            return Diagram(source)
        try:
            return Diagram(render(source, request.fmt, request.timeout))
        except GraphvizTimeout as error:
            coarser = COARSER["full" if grouping is None else grouping]
            if coarser is None:
                raise UsageError(
                    f"{error}; write --format dot and lay it out without a limit"
                ) from None
            note(f"{error}; drawing it grouped by {coarser}")
            grouping = coarser
        except GraphvizMissing as error:
            return Diagram(source, missing=str(error))
        except GraphvizFailed as error:
            raise UsageError(str(error)) from None


# --- trace ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceRequest:
    """Where a data category or a data subject of a map goes."""

    paths: Sequence[str | os.PathLike[str]]
    what: str
    limits: Limits = field(default_factory=Limits)
    #: Read ``what`` as this when an id is both a category and a subject.
    as_kind: Literal["category", "subject"] | None = None
    #: Data in a system is also held by its owner, and leaves through the owner's flows.
    through_owners: bool = True


def trace(request: TraceRequest) -> Trace:
    """Load the map and trace ``what`` through its facts (reports/trace.py does the work);
    a UsageError for an id the map does not declare, or one that is both without
    ``as_kind``."""
    from flowaudit.model.facts import MapFacts
    from flowaudit.reports.trace import TraceError
    from flowaudit.reports.trace import trace as trace_map

    loaded = load(request.paths, request.limits)
    try:
        return trace_map(
            MapFacts(loaded),
            load_legal_table(),
            request.what,
            as_kind=request.as_kind,
            through_owners=request.through_owners,
        )
    except TraceError as error:
        # with no path the shipped map was read: say so, or a newcomer's own id looks unknown
        shipped = "" if request.paths else SHIPPED_MAP_NOTE
        raise UsageError(f"{error}{shipped}") from None


#: Said after a trace error on the shipped map, read because no path was given.
SHIPPED_MAP_NOTE = (
    "; no map was named, so the shipped Concero map was read: name yours after the id "
    "(flowaudit trace ID PATH)"
)


# --- ropa ----------------------------------------------------------------------------------


def ropa(request: AuditRequest) -> Ropa:
    """The records of processing (Art. 30(1) and 30(2)) of the audited map, each row with
    its open findings; raises InputError."""
    from flowaudit.reports.ropa import build_ropa

    return build_ropa(audit(request))


# --- import from other tools ---------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """A map converted from another tool, written to a file headed by what was not carried
    over (``notes``, one line each, as the user should also be told)."""

    data: dict[str, Any]
    notes: list[str]


def _write_imported(out_file: str, source: str, found: Imported, none_dropped: str) -> Imported:
    """The imported map, headed by what was not carried over: one sanitised YAML comment
    line per note, whatever a note quotes from the input."""
    from flowaudit.model.yamlsource import dump_yaml
    from flowaudit.reports.sanitise import for_terminal

    header = "".join(f"# - {for_terminal(note)}\n" for note in found.notes) or none_dropped
    write_atomic(
        out_file,
        f"# Imported from {source} by flowaudit. Not carried over:\n{header}"
        f"{dump_yaml(found.data)}",
    )
    return found


def import_fides(folder: str, out_file: str, country: str = "GB", regime: str = "UK") -> Imported:
    """Convert Fides manifests (systems, privacy declarations, egress/ingress) to a map file;
    raises InputError on unreadable manifests."""
    from flowaudit.model.fides import import_fides as convert

    converted = convert(folder, country.upper(), regime)
    return _write_imported(
        out_file, "Fides manifests", Imported(converted.data, converted.notes), ""
    )


def import_ropa(
    file: str, out_file: str, country: str | None = None, regime: str | None = None
) -> Imported:
    """Convert a record of processing (xlsx in the ICO layout, or CSV) to a map file, noting
    every cell it could not carry over; raises InputError on a record it cannot read."""
    from flowaudit.reports.ropa_import import import_ropa as convert

    converted = convert(file, country.upper() if country else None, regime)
    return _write_imported(
        out_file,
        "a record of processing",
        Imported(converted.data, converted.notes),
        "# (nothing: every cell was carried over)\n",
    )


# --- init ----------------------------------------------------------------------------------


def init(request: InitRequest) -> Started:
    """Start a data map (a starter map or a shipped example, its JSON Schema, an ignore
    file); a UsageError for an option that cannot be honoured, nothing written then."""
    try:
        return start(request)
    except InitError as error:
        raise UsageError(str(error), "flowaudit init") from None


# --- the law and the rules ----------------------------------------------------------------


def law(regime: str, as_of: date) -> dict[str, Any]:
    """The shipped legal table's rows in force for a regime's exporters on a date."""
    from flowaudit.reports.law import law_in_force

    table = load_legal_table()
    table.refuse_unmodelled(as_of)
    return law_in_force(table, regime, as_of)


def all_policies(policy_paths: Iterable[str] = ()) -> PolicySet:
    """Every shipped policy (the law first) and the user's; raises InputError."""
    names = [*LAW_POLICIES, *(n for n in shipped_policy_names() if n not in LAW_POLICIES)]
    return load_policies(names, list(policy_paths))


def rule(rule_id: str, policy_paths: Iterable[str] = ()) -> tuple[RuleBase, str]:
    """One rule by its id (any letter case) and the policy it comes from; a UsageError
    with the closest id when there is no such rule."""
    paths = list(policy_paths)
    policy_set = all_policies(paths)
    found = {item.id: item for item in policy_set.rules}
    chosen = found.get(rule_id.upper())
    if chosen is None:
        if FINDING_ID.fullmatch(rule_id):
            # a finding's id, as the reports print it beside its rule (DPO review s21: `explain
            # F-...` was told no shipped rule has this id, and to pass --policies)
            raise UsageError(
                f"{rule_id} is a finding's id, not a rule's: explain takes the id of a rule; "
                "the finding's rule is printed beside its id (`flowaudit check --format "
                "markdown`, or rule_id in --format json), e.g. `flowaudit explain GDPR-RIGHTS`"
            )
        hint = did_you_mean(rule_id.upper(), found)
        if not hint and not paths:
            # a rule of the user's own is known only with its policy (auditor review s2,
            # problem 5), as --require-policy says
            raise UsageError(
                f"no rule {rule_id}: no shipped rule has this id, and no --policies was given: "
                "a rule of your own needs the folder that holds its policy, --policies DIR"
            )
        raise UsageError(f"no rule {rule_id}{hint}; see `flowaudit rules`")
    return chosen, policy_set.origin.get(chosen.id, "?")
