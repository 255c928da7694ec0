"""pytest fixtures and hooks only; the shared helpers are in tests/helpers.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.helpers import IN_CI, run, weasyprint_untraced

# Property tests: the full example counts under CI=true (and with HYPOTHESIS_PROFILE=ci), a
# fifth of them on a developer's machine, where the suite is run many times a day. Tests that
# set their own count scale it with tests.helpers.examples().
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=20)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own collection hook
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _heavy_first(items)
    _group_for_xdist(config, items)


def _heavy_first(items: list[pytest.Item]) -> None:
    """Tests marked ``heavy`` (a PDF rendered, a browser started, thousands of generated
    inputs) run first, in collection order, the rest after them in theirs. pytest-xdist hands
    out tests in this order, so the longest start while the quick ones can fill in around
    them, instead of one worker finishing a 15-second render after the other has gone idle."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def _group_for_xdist(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` group again under pytest 9.2: pytest-xdist (3.8) marks an
    ``xdist_group`` test by rewriting ``item._nodeid`` to ``id@group``, which pytest 9.2 no
    longer reads (it keeps a structured ``_id``), so each grouped test went to any worker and
    its module fixture was built on both (the report PDF twice). pytest-xdist issue #1386;
    this does what its fix does, and nothing once xdist's own suffix shows in the node id."""
    if not getattr(config.option, "loadgroup", False):  # set in xdist workers only
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # an older pytest: xdist's own rewrite works there
        return
    for item in items:
        wanted = item.__dict__.get("_nodeid")
        if isinstance(wanted, str) and "@" in wanted and item.nodeid != wanted:
            item._id = NodeId.parse(wanted)  # type: ignore[attr-defined]


#: The xdist group of every test that reads ``report_pdf``: on one worker, it is rendered once.
REPORT_PDF = "report_pdf"


@pytest.fixture(scope="session")
def printed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The Concero report as PDF (``report --pdf``), rendered once, and the layout WeasyPrint
    drew it from: see ``report_pdf`` and ``report_pdf_layout``."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # pragma: no cover
        if IN_CI:
            pytest.fail("WeasyPrint is not installed, and CI=true requires it")
        pytest.skip("WeasyPrint is not installed")
    folder = tmp_path_factory.mktemp("report")
    laid_out: list[Any] = []
    with weasyprint_untraced(laid_out):
        result = run(["report", "--as-of", "2026-11-25", "--out", str(folder), "--pdf"])
    assert result.exit_code in (0, 1), result.output
    pdf = folder / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert len(laid_out) == 1  # one layout, the one report.pdf was written from
    return pdf, laid_out[0]


@pytest.fixture(scope="session")
def report_pdf(printed_report: tuple[Path, Any]) -> Path:
    """The Concero report as PDF (``report --pdf``), rendered once for the tests that read it:
    the registers, the page numbers, the pages as pictures, the diagram's boundary pages.
    WeasyPrint takes seconds for it; mark each test ``xdist_group(REPORT_PDF)``."""
    return printed_report[0]


@pytest.fixture(scope="session")
def report_pdf_layout(printed_report: tuple[Path, Any]) -> Any:
    """The ``weasyprint.Document`` that ``report_pdf`` was written from: its pages and boxes
    as WeasyPrint laid them out for that PDF, for tests of the layout itself (a table past the
    text block), which would otherwise lay the same HTML out again (3.5 s). Mark each test
    ``xdist_group(REPORT_PDF)``."""
    return printed_report[1]
