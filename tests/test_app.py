"""The application layer: one way to audit for the CLI, the bench and the tests, exit codes
decided there, and one place where an input error becomes exit code 2."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flowaudit import app
from flowaudit.cli import cli
from flowaudit.policies.schema import Severity

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
BASE = FIXTURES / "base" / "acme.yaml"
AS_OF = date(2026, 11, 25)
CONCERO = ROOT / "model" / "concero"


def run(args: list[str]) -> Result:
    """The command line in-process, as a user calls it."""
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_check_decides_the_exit_code_by_the_threshold() -> None:
    def request(paths: list[str], fail_on: Severity) -> app.CheckRequest:
        return app.CheckRequest(app.AuditRequest(paths, AS_OF), fail_on, fail_on_given=True)

    concero = app.check(request([], Severity.LOW))
    assert concero.baseline is None
    assert concero.threshold is Severity.LOW
    assert concero.result.failing(Severity.CRITICAL)
    assert (concero.fails, concero.exit_code) == (True, app.EXIT_FINDINGS)
    acme = app.check(request([str(BASE)], Severity.LOW))
    assert not acme.result.failing(Severity.LOW)
    assert (acme.fails, acme.exit_code) == (False, app.EXIT_OK)


def test_check_writes_the_outputs_it_is_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    request = app.CheckRequest(
        app.AuditRequest([BASE], AS_OF), Severity.LOW, outputs=[("json", str(target))]
    )
    app.check(request)
    assert '"format_version"' in target.read_text(encoding="utf-8")


def test_audit_of_the_shipped_map_is_what_check_prints() -> None:
    result = app.audit(app.AuditRequest([], AS_OF))
    printed = run(["check", "--as-of", "2026-11-25", "--format", "json"])
    assert printed.exit_code == 1
    assert f'"id": "{result.findings[0].finding_id}"' in printed.output


def test_diff_of_a_map_with_itself_finds_nothing_and_exits_0() -> None:
    outcome = app.diff(app.DiffRequest(str(BASE), str(BASE), AS_OF, Severity.LOW))
    assert outcome.baseline.new == ()
    assert outcome.exit_code == app.EXIT_OK
    worse = app.diff(app.DiffRequest(str(BASE), str(CONCERO), AS_OF, Severity.LOW))
    assert worse.baseline.new
    assert worse.exit_code == app.EXIT_FINDINGS


def test_report_writes_its_folder_and_exits_like_check(tmp_path: Path) -> None:
    request = app.ReportRequest(
        app.AuditRequest([], AS_OF), Severity.LOW, str(tmp_path), diagram="none"
    )
    steps: list[str] = []
    outcome = app.report(request, steps.append)
    assert outcome.written == tuple(
        str(tmp_path / name)
        for name in (
            "report.html",
            "findings.csv",
            "passed.csv",
            "transfers.csv",
            "processors.csv",
            "agreements.csv",
            "warnings.csv",
            "diagram-groups.csv",  # a header alone: not grouped (report review s17)
            "report.md",
        )
    )
    assert all(Path(path).stat().st_size > 0 for path in outcome.written)
    assert outcome.exit_code == app.EXIT_FINDINGS
    assert steps[0] == "reading the map and running the rules"


def test_bad_input_raises_one_error_type_with_located_problems() -> None:
    with pytest.raises(app.InputError) as raised:
        app.audit(app.AuditRequest(["/nonexistent"], AS_OF))
    assert [str(p) for p in raised.value.problems] == ["/nonexistent:1:1: no such file or folder"]
    with pytest.raises(app.InputError) as required:
        app.audit(app.AuditRequest([str(BASE)], AS_OF, required=["nosuch"]))
    assert [str(p) for p in required.value.problems] == [
        "command line: --require-policy nosuch: no shipped policy has this id, and no "
        "--policies was given: name the folder that holds the policy with --policies DIR"
    ]
    with pytest.raises(
        app.UsageError, match=r"^no rule gdpr-transfr \(did you mean 'GDPR-TRANSFER'"
    ):
        app.rule("gdpr-transfr")


def test_closed_vocabulary_is_refused_unless_a_test_asks_to_reach_the_rule() -> None:
    bad = FIXTURES / "checks" / "lawful_basis" / "bad.yaml"
    with pytest.raises(app.InputError, match="unknown basis 'because'"):
        app.audit(app.AuditRequest([BASE, bad], AS_OF))
    result = app.audit(
        app.AuditRequest([BASE, bad], AS_OF, policies=["uk-gdpr"], closed_vocabulary=False)
    )
    unknown = [
        f.element[1] for f in result.findings if (f.rule_id, f.code) == ("GDPR-BASIS", "unknown")
    ]
    assert unknown == ["made-up"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check", "/nonexistent"],
            "/nonexistent:1:1: no such file or folder\n"
            "flowaudit: 1 input problem; nothing was checked\n",
        ),
        (
            ["trace", "contact.emial"],
            "flowaudit: 'contact.emial' is neither a data category "
            "nor a data subject of the map (did you mean 'contact.email'?); no map was named, "
            "so the shipped Concero map was read: name yours after the id "
            "(flowaudit trace ID PATH)\n",
        ),
        (["diagram", "--format", "png"], "flowaudit: --format png needs --out FILE\n"),
        (["ropa", "--format", "xlsx"], "flowaudit: --format xlsx needs --out FILE.xlsx\n"),
        (
            ["explain", "GDPR-TRANSFR"],
            "flowaudit: no rule GDPR-TRANSFR (did you mean "
            "'GDPR-TRANSFER'?); see `flowaudit rules`\n",
        ),
        (
            ["init", "x", "--country", "XX"],
            "flowaudit init: --country: 'XX' is not an ISO "
            "3166-1 alpha-2 country code (e.g. GB, IE, US)\n",
        ),
        (
            ["check", "--output", "json=/proc/x"],
            "flowaudit: cannot write /proc/x: no file can be created there\n",
        ),
    ],
)
def test_every_input_error_exits_2_through_the_one_handler(args: list[str], message: str) -> None:
    result = run(args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def _imports(path: Path) -> set[str]:
    """Every name a module imports, as ``module.name`` (and ``module`` for plain imports)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


ASSEMBLY = {
    "flowaudit.checks.engine.run_audit",
    "flowaudit.model.loader.load_map",
    "flowaudit.policies.loader.load_policies",
}
CLI_MODULES = sorted(
    path
    for path in (ROOT / "src" / "flowaudit").glob("*.py")
    if path.name == "cli.py" or path.name.startswith("cmd_")
)


@pytest.mark.parametrize(
    "path",
    [
        *CLI_MODULES,
        ROOT / "bench" / "run.py",
        *(p for p in (ROOT / "tests" / "conftest.py", ROOT / "tests" / "helpers.py") if p.exists()),
    ],
    ids=lambda path: path.name,
)
def test_no_caller_assembles_loader_policies_and_engine_by_hand(path: Path) -> None:
    assert _imports(path) & ASSEMBLY == set()


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda path: path.name)
def test_commands_exit_only_with_the_code_the_application_decided(path: Path) -> None:
    """No command prints an input error and exits by itself: it raises, and cli.py's one
    handler says it and exits 2. A command's sys.exit takes an outcome's exit code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exits = [
        ast.unparse(node.args[0]) if node.args else ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "ctx.exit")
    ]
    allowed = {"outcome.exit_code", "EXIT_INPUT", "EXIT_INTERNAL"}
    assert set(exits) <= allowed
    if path.name != "cli.py":
        assert set(exits) <= {"outcome.exit_code"}
    else:
        assert exits.count("EXIT_INPUT") == 1


def test_diagram_draws_the_view_and_refuses_one_that_names_nothing() -> None:
    notes: list[str] = []
    request = app.DiagramRequest(app.AuditRequest([], AS_OF), "dot", party="helpdesk")
    drawn = app.diagram(request, notes.append)
    assert isinstance(drawn.content, str)
    assert drawn.content.startswith("digraph")
    assert (drawn.missing, notes) == (None, [])
    with pytest.raises(app.UsageError, match=r"^unknown party or system 'nosuch'$"):
        app.diagram(app.DiagramRequest(app.AuditRequest([], AS_OF), "dot", party="nosuch"))


def test_import_writes_the_map_headed_by_what_was_not_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "fides-map.yaml"
    imported = app.import_fides(str(FIXTURES / "fides"), str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported from Fides manifests by flowaudit. Not carried over:\n")
    assert [f"# - {note}" for note in imported.notes] == text.splitlines()[
        1 : 1 + len(imported.notes)
    ]
    loaded = app.load([out])
    assert len(loaded.data.flows) == len(imported.data["flows"]) == 5


def test_diagram_falls_back_to_a_coarser_view_then_to_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphviz out of time: the next coarser view, said as it is decided; no coarser view
    left: a usage error; Graphviz missing: the DOT source, and why."""
    from flowaudit.reports import diagram as drawing

    layouts: list[str] = []

    def slow(source: str, fmt: str, timeout: float) -> bytes:
        layouts.append(source)
        raise drawing.GraphvizTimeout(f"Graphviz took longer than {timeout:g} s")

    monkeypatch.setattr(drawing, "render", slow)
    notes: list[str] = []
    request = app.DiagramRequest(app.AuditRequest([], AS_OF), "svg", group_by="none", timeout=5)
    with pytest.raises(app.UsageError, match=r"lay it out without a limit$"):
        app.diagram(request, notes.append)
    assert notes == [
        "Graphviz took longer than 5 s; drawing it grouped by country",
        "Graphviz took longer than 5 s; drawing it grouped by kind",
    ]
    assert len(layouts) == len(set(layouts)) == 3  # every view, kind the last, tried once

    def missing(source: str, fmt: str, timeout: float) -> bytes:
        raise drawing.GraphvizMissing("no dot here")

    monkeypatch.setattr(drawing, "render", missing)
    drawn = app.diagram(request)
    assert drawn.missing == "no dot here"
    assert isinstance(drawn.content, str) and drawn.content.startswith("digraph")


def test_trace_is_a_thin_call_and_a_wrong_id_is_a_usage_error() -> None:
    found = app.trace(app.TraceRequest([], "contact.email"))
    assert (found.category, found.subject, found.through_owners) == ("contact.email", None, True)
    assert found.paths
    with pytest.raises(app.UsageError, match=r"did you mean 'contact\.email'\?\); no map"):
        app.trace(app.TraceRequest([], "contact.emial"))
