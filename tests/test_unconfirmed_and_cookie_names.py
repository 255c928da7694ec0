"""The legal scenario review of 2026-12-02 (reviews/scenarios-2026-12-02b.md): a check that
passes on a legal row no primary source confirmed says so in every report, not only in JSON
(rank 11); a cookie is recorded under its real name, ``_ga`` included (rank 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.text import render_text
from tests.helpers import FIXTURES, audit_files, run

FOLDER = FIXTURES / "checks" / "unconfirmed"
MAP = FOLDER / "map.yaml"
COOKIE_ROW = (
    "cookie_analytics_exemption (DUAA 2025 s.112 and Sch. 12 (PECR Sch. A1), commenced by "
    "SI 2026/82 reg. 2(w))"
)
FAROE_ROW = "uk-faroe (DPA 2018 Sch. 21 para 5)"
COOKIE_LINE = (
    f"Passed on an UNCONFIRMED legal row: {COOKIE_ROW}: 1 check (TEST-COOKIES systems/website)"
)
FAROE_LINE = f"Passed on an UNCONFIRMED legal row: {FAROE_ROW}: 1 check (TEST-TRANSFER flows/to-fo)"


def _audit(as_of: str) -> AuditResult:
    return audit_files(MAP, as_of=as_of, policies=(), user_policies=[FOLDER / "policy.yaml"])


def test_passes_on_unconfirmed_rows_are_named_in_text_markdown_and_html() -> None:
    result = _audit("2026-02-05")
    assert result.findings == ()
    assert [(e.rule_id, e.element, e.unconfirmed) for e in result.passed] == [
        ("TEST-COOKIES", ("systems", "website"), (COOKIE_ROW,)),
        ("TEST-TRANSFER", ("flows", "to-fo"), (FAROE_ROW,)),
    ]
    text = render_text(result, Severity.LOW).splitlines()
    assert text[-3:] == [COOKIE_LINE, FAROE_LINE, "PASS: 0 findings at or above low."]
    markdown = render_markdown(result, Severity.LOW).splitlines()
    assert [line for line in markdown if "UNCONFIRMED" in line] == [
        f"- ⚠️ {COOKIE_LINE}",
        f"- ⚠️ {FAROE_LINE}",
    ]
    html = render_html(result, Severity.LOW)
    assert html.count('<p class="warning"><span class="unconfirmed">UNCONFIRMED</span>') == 2
    # the row's citations each sit in a nowrap span in the HTML (auditor review s21)
    assert (
        "Passed on an UNCONFIRMED legal row: uk-faroe (DPA 2018 "
        '<span class="cite">Sch. 21</span> <span class="cite">para 5</span>): 1 check '
        "(TEST-TRANSFER flows/to-fo)</p>"
    ) in html


def test_a_pass_on_confirmed_rows_only_adds_no_line() -> None:
    onward = FIXTURES / "checks" / "onward"
    result = audit_files(onward / "good.yaml", policies=(), user_policies=[onward / "policy.yaml"])
    assert result.findings == ()
    assert [(e.rule_id, e.element, e.unconfirmed) for e in result.passed] == [
        ("TEST-ONWARD", ("flows", "to-proc"), ())
    ]
    assert "UNCONFIRMED" not in render_text(result, Severity.LOW)


def test_the_day_before_the_exemption_the_finding_keeps_its_conditions_and_mark() -> None:
    result = _audit("2026-02-04")
    assert [
        (f.rule_id, f.element, f.code, f.location.line if f.location else 0)
        for f in result.findings
    ] == [("TEST-COOKIES", ("systems", "website"), "no-consent", 13)]
    (finding,) = result.findings
    assert finding.message == (
        "analytics cookie '_ga' is set without opt-in consent (Privacy and Electronic "
        "Communications (EC Directive) Regulations 2003 (SI 2003/2426) reg. 6); from 2026-02-05 "
        "(commencement date UNCONFIRMED) an analytics cookie needs none if visitors get clear "
        "information about it and a simple way to object"
    )
    assert finding.unconfirmed == (COOKIE_ROW,)
    assert render_text(result, Severity.LOW).splitlines()[-2:] == [
        FAROE_LINE,
        "FAIL: 1 finding at or above low.",
    ]


def _write(tmp_path: Path, cookie: str, party: str = "p") -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(
        "organisation: {id: acme, name: Acme, country: GB, regime: UK}\n"
        f"parties: [{{id: '{party}', name: P, kind: isp, country: GB}}]\n"
        "categories: [{id: contact, name: Contact}]\n"
        "systems:\n"
        "  - id: website\n"
        "    name: Website\n"
        "    owner: acme\n"
        "    country: GB\n"
        "    categories: [contact]\n"
        f"    cookies: [{{id: '{cookie}', purpose: advertising}}]\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("cookie", ["_ga", "_fbp", "__Secure-3PSID", "_ga_X1Y2"])
def test_a_cookie_is_recorded_under_its_real_name(tmp_path: Path, cookie: str) -> None:
    result = run(["check", str(_write(tmp_path, cookie)), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.output
    assert (
        f"map.yaml:10:15 MEDIUM PECR-COOKIES systems/website: advertising cookie '{cookie}' is "
        "set without opt-in consent"
    ) in result.output


@pytest.mark.parametrize("cookie", ["-ga", ".ga", "", "_g a"])
def test_a_cookie_name_still_cannot_start_with_a_dot_or_dash(tmp_path: Path, cookie: str) -> None:
    result = run(["check", str(_write(tmp_path, cookie)), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert (
        f"map.yaml:10:16: cookies.0.id: '{cookie}' is not valid: a cookie's id is its "
        "name: ASCII letters, digits, '_', '.' and '-', starting with a letter, a digit or '_' "
        "(e.g. _ga)"
    ) in result.output, result.output


def test_other_ids_still_start_with_a_letter_or_digit(tmp_path: Path) -> None:
    # a party id is a node, a reference and a file-name part: '_' at its start stays refused
    result = run(["check", str(_write(tmp_path, "_ga", party="_p")), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "'_p' is not valid: an id starts with an ASCII letter or digit" in result.output
