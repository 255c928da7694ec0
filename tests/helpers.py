"""Shared test helpers: audit fixture files, read findings as tuples, run the CLI, and require
system tools. A plain module, imported as ``tests.helpers``: conftest.py holds only pytest
fixtures and hooks, so nothing imports from it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.cli import cli
from flowaudit.model.loader import shipped_map_dir

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base" / "acme.yaml"
IN_CI = os.environ.get("CI", "").lower() == "true"


def audit_files(
    *files: Path,
    as_of: str = "2026-11-25",
    policies: Sequence[str] = ("uk-gdpr",),
    user_policies: Sequence[Path] = (),
    base: bool = True,
) -> AuditResult:
    """Audit the base organisation (unless base=False) plus fixture files by these shipped
    policies and user policy files alone (not the law plus the map's selection). Values
    outside the closed lists reach the rules, whose guards against them are tested here."""
    paths = [BASE, *files] if base else list(files)
    request = AuditRequest(
        paths, date.fromisoformat(as_of), user_policies, policies=policies, closed_vocabulary=False
    )
    return audit(request)


def hits(result: AuditResult, rule_id: str | None = None) -> list[tuple[str, str, str, int]]:
    """(rule id, element id, code, line) of every finding, optionally of one rule."""
    return [
        (f.rule_id, f.element[1], f.code, f.location.line if f.location else 0)
        for f in result.findings
        if rule_id is None or f.rule_id == rule_id
    ]


#: The shop example's map, the base of the DPO reviews' processor scenarios.
SHOP_EXAMPLE = Path(__file__).parent.parent / "model" / "examples" / "shop"

#: The two findings every processor scenario of the shop example has (neither the chain's).
SHOP_PROCESSOR_BASELINE = [
    (
        "GDPR-BREACH",
        "processor-no-controller-notice",
        "organisation/shopwave",
        "organisation.yaml",
        15,
        3,
    ),
    ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave", "organisation.yaml", 7, 1),
]

#: The safeguard the shop's Art. 30(1) orders row names for its US storefront host.
SHOP_ORDERS_SAFEGUARD = (
    "US: adequacy for importers listed under uk_extension only (The Data Protection "
    "(Adequacy) (United States of America) Regulations 2023, SI 2023/1028)"
)


def shop_scenario(folder: Path, scenario: Path) -> Path:
    """The shop example copied to ``folder`` with a review's scenario file added to it as
    scenario.yaml: the form the DPO reviewers wrote their scenarios in."""
    shutil.copytree(SHOP_EXAMPLE, folder)
    shutil.copy(scenario, folder / "scenario.yaml")
    return folder


def edit_once(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a scenario file (a review's variant of its
    map): found once, or the test is wrong about the file it edits."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path.name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def audit_folder(folder: Path, as_of: date = date(2026, 11, 25)) -> AuditResult:
    """Audit a map folder as ``check`` does by default (the law and the map's policies)."""
    return audit(AuditRequest([str(folder)], as_of))


def located_findings(result: AuditResult) -> list[tuple[str, str, str, str, int, int]]:
    """(rule ids, code, element, file, line, column) of every finding, in report order."""
    found = []
    for f in result.findings:
        assert f.location is not None
        found.append(
            (
                " + ".join(f.rule_ids),
                f.code,
                "/".join(f.element),
                Path(f.location.file).name,
                f.location.line,
                f.location.column,
            )
        )
    return found


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of needle in a file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def run(args: Sequence[str]) -> Result:
    """Run the CLI in-process (through the same entry point as the console script)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


#: A change to review's id ends with a digest of what it says (checks.baseline.pinned_id).
PIN = re.compile(r"\.[0-9a-f]{16}\b")


def unpinned(text: str) -> str:
    """``text`` with the changes' digests taken out: for tests that assert on the words."""
    return PIN.sub("", text)


def pinned(text: str, change: str) -> str:
    """The id ``text`` prints for the change ``KIND:SUBJECT``, digest included: what a
    reviewer who read it passes to --accept-change."""
    found = re.findall(re.escape(change) + PIN.pattern, text)
    assert found, f"{change} is not listed in:\n{text}"
    return str(found[0])


@dataclass(frozen=True)
class GateResult:
    """A gate's run: what it printed (``printed``, changes' digests included) and the same
    with the digests taken out (``output``, ``stdout``, ``stderr``) for the assertions on
    words; ``pinned`` gives an id as printed."""

    exit_code: int
    output: str
    stdout: str
    stderr: str
    printed: str

    def pinned(self, change: str) -> str:
        return pinned(self.printed, change)


def run_gate(args: Sequence[str]) -> GateResult:
    """``run``, for a command whose output lists changes to review."""
    result = run(args)
    return GateResult(
        result.exit_code,
        unpinned(result.output),
        unpinned(result.stdout),
        unpinned(result.stderr),
        result.output,
    )


def require_tool(name: str) -> str:
    """The path of a system tool; skip without it locally, fail without it in CI."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed"
        if IN_CI:
            pytest.fail(f"{message}, and CI=true requires it")
        pytest.skip(message)
    return found


def examples(full: int) -> int:
    """A property test's example count under the loaded Hypothesis profile: ``full`` under the
    ci profile (100 examples by default), scaled down with it on a developer's machine."""
    return max(10, full * settings.default.max_examples // 100)


def audit_paths(paths: Sequence[str], as_of: date) -> AuditResult:
    """Audit map paths (none: the shipped Concero map) as `flowaudit check` does, with the
    map's own policy selection and the closed vocabularies."""
    return audit(AuditRequest(list(paths), as_of))


@contextmanager
def untraced() -> Iterator[None]:
    """Pause the coverage tracer (when one runs) around third-party work: WeasyPrint laying out
    a PDF or pypdf reading one runs millions of Python calls that coverage traces, at two to
    three times their cost, though none is a line of flowaudit. Coverage of our own code is
    unchanged: only code called inside the block goes unrecorded, so wrap third-party calls
    only.

    The collector is paused and resumed with the same tracers (coverage's own pause), not
    stopped and started: a restarted coverage would install new tracers, and the frames
    already running (flowaudit's, around the block) would go untraced to their end."""
    import coverage

    current = coverage.Coverage.current()
    collector = getattr(current, "_collector", None)
    if collector is None or not hasattr(collector, "pause"):
        yield
        return
    collector.pause()
    try:
        yield
    finally:
        collector.resume()


@contextmanager
def weasyprint_untraced(laid_out: list[Any] | None = None) -> Iterator[None]:
    """Within the block, WeasyPrint parses and lays out the report untraced (see untraced):
    flowaudit's own PDF code (reports/pdf.py) still runs, and is measured, as it always does.
    Does nothing when WeasyPrint is missing, so the test meets that as it would without it.

    ``laid_out``, when given, receives every document WeasyPrint laid out in the block (its
    ``weasyprint.Document``, the pages and boxes the PDF was drawn from), so a test can read
    the layout of the very PDF it printed instead of laying the HTML out a second time."""
    try:
        import weasyprint
    except (ImportError, OSError):
        yield
        return
    original = weasyprint.HTML

    class UntracedHTML:
        """weasyprint.HTML, with its parse and its write_pdf run untraced."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with untraced():
                self.document = original(*args, **kwargs)
            if laid_out is not None:
                render = self.document.render  # what HTML.write_pdf calls to lay it out

                def recorded(*args: Any, **kwargs: Any) -> Any:
                    document = render(*args, **kwargs)
                    laid_out.append(document)
                    return document

                self.document.render = recorded

        def write_pdf(self, *args: Any, **kwargs: Any) -> Any:
            with untraced():
                return self.document.write_pdf(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint, "HTML", UntracedHTML)
        yield


class GitRepo:
    """A git repository a gate test commits to as a fixed author; ``edit`` changes one
    file under ``files`` (the repository's root, or the map folder in it) in place."""

    def __init__(self, root: Path, files: Path) -> None:
        self.root = root
        self.files = files

    def git(self, *args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=self.root,
            check=True,
            capture_output=True,
        )

    def commit(self, message: str = "base") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.files / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


#: The file a test adds to the shipped map (``concero_with``), named to sort last.
EXTRA = "zz-extra.yaml"


def concero_with(tmp_path: Path, extra: str) -> Path:
    """A copy of the shipped Concero map in ``tmp_path/concero`` with one file added, as a
    DPO's scenario extends it; the folder, to audit."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    (folder / EXTRA).write_text(extra, encoding="utf-8")
    return folder


def concero_repo(tmp_path: Path, extra: str) -> GitRepo:
    """The shipped map (with ``extra``, as ``concero_with`` adds it) committed in a git
    repository as the gate's base; a pull request edits its files."""
    root = tmp_path / "repo"
    folder = concero_with(root, extra)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    return repo


def review_lines(stdout: str) -> list[str]:
    """The gate's "change to review:" lines, in its order."""
    return [line for line in stdout.splitlines() if line.startswith("change to review:")]


def write_line_of_parties(folder: Path, count: int) -> Path:
    """A map file to load after BASE: acme -> p0 -> p1 -> ... -> p(count-1), parties in GB,
    each flow (f0, f1, ...) carrying contact.email of staff: the chain of attack review
    2026-12-03k, problem 2, on which every place's whole path made trace quadratic."""
    parties = "".join(
        f"  - {{id: p{i}, name: P{i}, kind: hosting, country: GB, role: controller}}\n"
        for i in range(count)
    )
    flows = "".join(
        f"  - {{id: f{i}, from: {'acme' if i == 0 else f'p{i - 1}'}, to: p{i}, "
        "categories: [contact.email], subjects: [staff], purpose: support, basis: contract}\n"
        for i in range(count)
    )
    line = folder / "line.yaml"
    line.write_text(f"parties:\n{parties}flows:\n{flows}", encoding="utf-8")
    return line


def write_onward_rules(folder: Path, count: int) -> Path:
    """A house policy file of ``count`` onward rules (HOUSE-ONWARD-0...), each a search of
    the whole map: for the tests of how many such rules an audit runs, and where."""
    rules = "".join(
        f"  - {{id: HOUSE-ONWARD-{n}, kind: onward, title: Onward {n}, severity: low,"
        " rationale: a chain rule, fix: record the chain,"
        " references: {legal: [UK GDPR Art. 44]}}\n"
        for n in range(count)
    )
    house = folder / "house.yaml"
    house.write_text(f"policy: {{id: house, title: House}}\nrules:\n{rules}", encoding="utf-8")
    return house


def without_cite_spans(html: str) -> str:
    """report.html with the nowrap span around each legal citation taken off (reports/html.py
    ``nowrap_citations``, auditor review s21; tests/test_auditor_s21.py holds the spans
    exactly), for tests that match the report's other markup around a citation."""
    import re

    return re.sub(r'<span class="cite">([^<]*)</span>', r"\1", html)
