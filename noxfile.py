"""Sessions: tests (with coverage), lint (ruff + mypy --strict), bench, docs, audit."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite against a real (non-editable) install, >= 90% coverage."""
    session.install(".[test]")
    session.run(
        "pytest",
        "--cov=flowaudit",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=90",
        *session.posargs,
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


@nox.session(python=PYTHON)
def audit(session: nox.Session) -> None:
    """Run flowaudit check on the shipped Concero map."""
    session.install(".")
    session.run("flowaudit", "check", *session.posargs, success_codes=[0, 1])


DOCS_AS_OF = "2026-11-25"


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Regenerate docs/concero-diagram.{dot,svg} from the shipped map (SVG needs Graphviz).

    The date is fixed so the committed diagram changes only when the map, the rules or the
    drawing change; tests/dpo/test_diagram.py fails when the committed files are stale.
    """
    session.install(".")
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
