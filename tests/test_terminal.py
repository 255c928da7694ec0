"""check's text for a person: grouped, wrapped to 100 columns, coloured only on a terminal."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from flowaudit import cli as cli_module
from flowaudit.app import AuditRequest, audit
from flowaudit.policies.schema import Severity
from flowaudit.reports.text import render_terminal
from tests.helpers import BASE, FIXTURES, run

AGREEMENT_BAD = FIXTURES / "checks" / "agreement" / "bad.yaml"
ARGS = ["check", str(BASE), str(AGREEMENT_BAD), "--as-of", "2026-11-25"]


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(" ")]


def test_group_by_severity_puts_findings_under_counted_headings() -> None:
    result = run([*ARGS, "--group-by", "severity"])
    assert result.exit_code == 1
    headings = _headings(result.output)
    # 7 high: missing or failing Art. 28 contracts; 3 medium: an agreement of unknown status
    # (an evidence gap) and Acme's two processor duties (it is UK Controller's processor)
    assert headings[:3] == ["HIGH (7)", "MEDIUM (2)", "LOW (8)"]
    assert headings[-1] == "FAIL: 17 findings at or above low."
    assert all(len(line) <= 100 for line in result.output.splitlines())


def test_group_by_rule_and_flow() -> None:
    by_rule = _headings(run([*ARGS, "--group-by", "rule"]).output)
    assert by_rule[:3] == ["GDPR-AGREEMENT (8)", "GDPR-PROCESSOR (1)", "HYG-NOTICE-CLAUSE (8)"]
    by_flow = _headings(run([*ARGS, "--group-by", "flow"]).output)
    assert by_flow[0].startswith("flows/") and by_flow[0].endswith(" (2)")
    assert "(not a flow) (1)" in by_flow  # Acme's Art. 30(2) record is the organisation's


def test_summary_counts_per_rule_and_the_worst_elements() -> None:
    lines = run([*ARGS, "--summary"]).output.splitlines()
    assert lines[0].split() == ["rule", "critical", "high", "medium", "low", "info"]
    assert lines[1].split() == ["GDPR-AGREEMENT", "0", "7", "1", "0", "0"]
    assert lines[2].split() == ["GDPR-PROCESSOR", "0", "0", "1", "0", "0"]
    assert lines[3].split() == ["HYG-NOTICE-CLAUSE", "0", "0", "0", "8", "0"]
    assert "Worst elements" in lines
    worst = lines[lines.index("Worst elements") + 1 :]
    assert worst[0].startswith("  flows/") and worst[0].endswith(": 2 findings, worst high")


def test_no_input_can_start_a_line_and_long_text_wraps() -> None:
    hostile = FIXTURES / "hostile" / "xss.yaml"
    text = run(["check", str(hostile), "--as-of", "2026-11-25", "--group-by", "flow"]).output
    for line in text.splitlines():
        assert len(line) <= 100
        assert not line.lstrip().startswith("::")
    assert "\x1b" not in text


def test_colour_only_on_request() -> None:
    result = audit(AuditRequest([str(BASE), str(AGREEMENT_BAD)], date(2026, 11, 25)))
    plain = render_terminal(result, Severity.LOW)
    coloured = render_terminal(result, Severity.LOW, colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[31mHIGH (7)\x1b[0m" in coloured
    assert coloured.rstrip("\n").endswith("\x1b[1mFAIL: 17 findings at or above low.\x1b[0m")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_a_terminal_gets_the_grouped_layout_and_no_color_is_honoured(
    monkeypatch: pytest.MonkeyPatch, no_color: str | None, coloured: bool
) -> None:
    monkeypatch.setattr(cli_module.sys, "stdout", _Terminal())
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    result = audit(AuditRequest([str(BASE), str(AGREEMENT_BAD)], date(2026, 11, 25)))
    text = cli_module._printed("text", result, Severity.LOW, None, False)
    assert _headings(text.replace("\x1b[31m", "").replace("\x1b[0m", ""))[0] == "HIGH (7)"
    assert ("\x1b[" in text) is coloured


def test_without_a_terminal_text_stays_one_line_per_finding() -> None:
    lines = run(ARGS).output.splitlines()
    assert " HIGH GDPR-AGREEMENT " in lines[0]
    assert not any(line.startswith("HIGH (") for line in lines)


def test_wrapping_never_starts_a_line_with_a_workflow_command(tmp_path: Path) -> None:
    """Text escaped once, then wrapped, must not put `::` at the start of a line."""
    text = BASE.read_text(encoding="utf-8")
    assert "name: Acme Ltd" in text
    hostile = tmp_path / "acme.yaml"
    hostile.write_text(
        text.replace("name: Acme Ltd", "name: Acme " + "see ::error::pwned " * 4, 1),
        encoding="utf-8",
    )
    for group in ("rule", "flow", "severity"):
        args = ["check", str(hostile), str(AGREEMENT_BAD), "--as-of", "2026-11-25"]
        output = run([*args, "--group-by", group])
        assert output.exit_code in (1, 2), output.output
        for line in output.output.splitlines():
            assert not line.lstrip().startswith("::"), line
