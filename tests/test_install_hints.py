"""Every install hint names a source the user controls (newcomer review 2026-12-02b, N6): no
package index serves ``flowaudit``, so ``pip install 'flowaudit[pdf]'`` installs whatever a
stranger registers under that name, the very thing the example workflow warns about."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from flowaudit.reports.pdf import WEASYPRINT
from tests.helpers import run

ROOT = Path(__file__).parent.parent


def test_the_pdf_hint_names_weasyprint_with_the_extras_lower_bound() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["optional-dependencies"]["pdf"] == [WEASYPRINT]


def test_report_pdf_without_weasyprint_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    out = tmp_path / "out"
    result = run(["report", "--out", str(out), "--pdf", "--diagram", "none"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "flowaudit: PDF output needs WeasyPrint: pip install 'weasyprint>=62' in flowaudit's "
        "environment, or reinstall flowaudit with its pdf extra from the source you installed "
        "it from (in a clone: pip install '.[pdf]'); not 'flowaudit[pdf]' from a package "
        "index, which does not serve flowaudit (and, on Debian, the system package "
        "libpango-1.0-0) (ModuleNotFoundError: "
    )
    assert (out / "report.html").is_file() and not (out / "report.pdf").exists()


def _texts() -> dict[str, str]:
    """Every shipped source, help text and document a user reads."""
    files = [
        *ROOT.glob("*.md"),
        *ROOT.glob("docs/*.md"),
        *ROOT.glob("docs/*.yml"),
        *ROOT.glob("src/flowaudit/*.py"),
        *ROOT.glob("reports/*.py"),
        *ROOT.glob("checks/*.py"),
        *ROOT.glob("model/*.py"),
        *ROOT.glob("policies/*.py"),
    ]
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}


def test_no_message_or_document_hints_at_installing_flowaudit_from_an_index() -> None:
    """``flowaudit[pdf]`` and ``pip install flowaudit`` appear only where they are warned
    against; the SARIF tool does not point at a PyPI page nobody owns."""
    bad = re.compile(
        r"pip install\s+['\"]?flowaudit\b(?![\s'\"]*@)|pypi\.org/project/flowaudit|flowaudit\[pdf\]"
    )
    warned = re.compile(r"\b(not|never)\b", re.IGNORECASE)
    found = []
    for name, text in _texts().items():
        lines = text.splitlines()
        for number, line in enumerate(lines):
            # a warning against it may start on the line before ("Not\n`pip install ...`")
            context = " ".join(lines[max(0, number - 1) : number + 1])
            if bad.search(line) and not warned.search(context):
                found.append((name, line.strip()))
    assert found == []
