"""Sessions: tests (with coverage), lint (ruff + mypy --strict), bench, docs, audit."""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

PYTHON = "3.11"


def _python_for_tests() -> str:
    """The interpreter the suite runs on: a Python 3.12 when this machine has one, else
    PYTHON. From 3.12, coverage measures lines through sys.monitoring (COVERAGE_CORE=sysmon)
    instead of a trace function on every line: the suite took 103 s under 3.11's tracer and
    74 s under 3.12 (2 workers, same tests, same 96.67%). flowaudit still supports 3.11: lint
    runs mypy and ruff for 3.11, and the bench and the README's command use python3.

    pyenv's shim answers to ``python3.12`` even when that version is not selected (and then
    fails), so the candidate is asked to run, and pyenv's own copy is tried by its path."""
    candidates = ["python3.12"]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(root, "versions", "3.12.*", "bin", "python3.12")))
    for candidate in candidates:
        try:
            subprocess.run(
                [candidate, "-c", "import venv"], check=True, capture_output=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return candidate
    return PYTHON


TEST_PYTHON = _python_for_tests()


@nox.session(python=TEST_PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite against a real (non-editable) install, >= 90% coverage.

    Tests run in parallel, one worker per core (pytest-xdist; ``-- -n 0`` for one process);
    pytest-cov combines the workers' coverage before the gate. Tests marked with one
    ``xdist_group`` share a worker, so a module fixture they share is built once.
    """
    # The package is built in this venv (no build isolation): pip otherwise sets up a fresh
    # environment with setuptools and wheel for every install, 2.4 s of the session's CPU.
    session.install("setuptools>=68", "wheel")
    session.install("--no-build-isolation", ".[test]")
    session.run(
        "pytest",
        "-n",
        "auto",
        "--dist",
        "loadgroup",
        "--cov=flowaudit",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=90",
        *session.posargs,
        env={"COVERAGE_CORE": "sysmon"} if TEST_PYTHON != PYTHON else {},
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff on the sources and mypy --strict on the installed package."""
    session.install(".[lint,test]")
    session.run(
        "ruff",
        "check",
        "src",
        "model",
        "policies",
        "checks",
        "reports",
        "tests",
        "noxfile.py",
    )
    session.run(
        "ruff",
        "format",
        "--check",
        "src",
        "model",
        "policies",
        "checks",
        "reports",
        "noxfile.py",
    )
    # mypy reads the installed package: the source folders map onto flowaudit.* only there.
    config = str(Path("pyproject.toml").resolve())
    session.chdir(session.create_tmp())
    session.run("mypy", "--strict", "--config-file", config, "-p", "flowaudit")


@nox.session(python=PYTHON, venv_backend="none")
def dev(session: nox.Session) -> None:
    """A developer's .venv: a strict editable install, so edits to model/ policies/ checks/
    reports/ take effect at once and mypy and editors resolve flowaudit.* to these folders.

    setuptools' strict editable mode builds a tree of links under build/ that mirrors the
    installed layout (model/ as flowaudit/model/), instead of a path hook editors cannot read.
    """
    session.run("python3", "-m", "venv", ".venv")
    session.run(
        ".venv/bin/pip",
        "install",
        "--config-settings",
        "editable_mode=strict",
        "-e",
        ".[test,lint,pdf]",
        external=True,
    )
    session.log(
        "ready: .venv/bin/pytest, .venv/bin/mypy --strict -p flowaudit, .venv/bin/flowaudit"
    )


@nox.session(python=PYTHON)
def audit(session: nox.Session) -> None:
    """Run flowaudit check on the shipped Concero map."""
    session.install(".")
    session.run("flowaudit", "check", *session.posargs, success_codes=[0, 1])


DOCS_AS_OF = "2026-11-25"


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Regenerate the generated docs: rules, clause table, schemas, map-format.md's field
    tables, the Concero diagram.

    The diagram's date is fixed so the committed files change only when the map, the rules
    or the drawing change; tests fail when any generated file is stale.
    """
    session.install(".")
    session.run("flowaudit", "rules", "--format", "md", "--out", "docs/rules.md")
    session.run("flowaudit", "rules", "--clauses", "--out", "docs/clauses.md")
    for kind, flag in (("map", ()), ("policy", ("--policies",))):
        with open(f"docs/schemas/{kind}.schema.json", "w", encoding="utf-8") as out:
            session.run("flowaudit", "schema", *flag, stdout=out)
    session.run("flowaudit", "schema", "--format", "md", "--update", "docs/map-format.md")
    for fmt in ("dot", "svg"):
        session.run(
            "flowaudit",
            "diagram",
            "--as-of",
            DOCS_AS_OF,
            "--format",
            fmt,
            "--out",
            f"docs/concero-diagram.{fmt}",
        )


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Fuzz the map loader with atheris: `nox -s fuzz -- SECONDS` (default 60)."""
    session.install(".[fuzz]")
    seconds = session.posargs[0] if session.posargs else "60"
    corpus = Path(session.create_tmp()) / "fuzz-corpus"
    corpus.mkdir(exist_ok=True)
    seeds = [str(p) for p in (Path("tests/fixtures"), Path("model/concero")) if p.is_dir()]
    seed_dirs = sorted({str(f.parent) for s in seeds for f in Path(s).rglob("*.yaml")})
    session.run(
        "python",
        "fuzz/fuzz_loader.py",
        f"-max_total_time={seconds}",
        f"-artifact_prefix={corpus}/crash-",
        str(corpus),
        *seed_dirs,
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Scale benchmark: synthetic maps of 1k, 10k, 100k flows; `-- --sizes 1000 10000`."""
    session.install(".")
    session.run("python", "bench/run.py", *session.posargs)


FIDES_VERSION = "2.78.2"


@nox.session(name="fides-compare", python=PYTHON)
def fides_compare(session: nox.Session) -> None:
    """Fides' `fides --local evaluate` against `flowaudit import fides` + `check` on the same
    generated manifests: `nox -s fides-compare -- --systems 1000 --runs 3`.

    Fides lives in a venv of its own (its pins clash with ours): FIDES_VENV, default
    .nox/fides-VERSION, created on first use and reused after. Not part of tests or CI.
    """
    session.install(".")
    venv = Path(os.environ.get("FIDES_VENV", f".nox/fides-{FIDES_VERSION}")).resolve()
    fides = venv / "bin" / "fides"
    if not fides.exists():
        session.run("python3", "-m", "venv", str(venv), external=True)
        session.run(
            str(venv / "bin" / "pip"), "install", f"ethyca-fides=={FIDES_VERSION}", external=True
        )
    session.run(
        "python",
        "bench/fides_compare.py",
        "run",
        "--fides",
        str(fides),
        "--flowaudit",
        str(Path(session.bin) / "flowaudit"),
        *session.posargs,
    )
