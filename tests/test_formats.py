"""CI formats: SARIF against the official schema, JUnit, GitHub commands, Markdown, --output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import BASE, FIXTURES, run

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
CONCERO = str(shipped_map_dir())
WAIVED = [str(BASE), str(FIXTURES / "cli" / "waived.yaml")]


def output(*args: str) -> str:
    result = run(["check", *args, "--as-of", "2026-11-25"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_sarif_of_concero_validates_and_locates_every_result() -> None:
    sarif = json.loads(output(CONCERO, "--format", "sarif"))
    jsonschema.validate(sarif, SCHEMA)
    (sarif_run,) = sarif["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert len(rules) == 52
    transfer = next(r for r in rules if r["id"] == "GDPR-TRANSFER")
    assert "Schrems II" in transfer["help"]["text"]
    assert transfer["properties"]["notice"] == []  # a law rule cites only law
    results = sarif_run["results"]
    assert len(results) == 57
    shield = next(r for r in results if "Privacy Shield" in r["message"]["text"])
    assert shield["ruleId"] == "GDPR-TRANSFER"
    assert shield["properties"]["alsoRules"] == ["CONCERO-TRANSFER"]
    for result in results:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] == region["startLine"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    shield = next(r for r in results if "Privacy Shield" in r["message"]["text"])
    assert shield["level"] == "error"
    assert shield["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "model/concero/flows.yaml"
    )


def test_sarif_waived_findings_are_suppressions() -> None:
    sarif = json.loads(output(*WAIVED, "--format", "sarif"))
    jsonschema.validate(sarif, SCHEMA)
    (result,) = sarif["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "external"
    assert "Jane Doe, DPO" in result["suppressions"][0]["justification"]


def test_junit_parses_with_expected_counts() -> None:
    root = ET.fromstring(output(CONCERO, "--format", "junit"))
    cases = root.findall("./testsuite/testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(root.get("tests", "")) == len(cases)
    # (rule, element) pairs failing: a merged finding fails each rule behind it
    assert int(root.get("failures", "")) == len(failed) == 64
    assert len(root.findall("testsuite")) == 52
    shield = next(
        c
        for c in failed
        if c.get("classname") == "GDPR-TRANSFER" and c.get("name") == "flows/hosting-us"
    )
    failure = shield.find("failure")
    assert failure is not None and failure.get("type") == "critical"
    assert "flows.yaml:201:5: critical mechanism-invalid" in (failure.text or "")
    passed = [c for c in cases if len(c) == 0]
    assert len(passed) == len(cases) - 64


def test_junit_waived_is_skipped() -> None:
    root = ET.fromstring(output(*WAIVED, "--format", "junit"))
    skipped = root.findall("./testsuite/testcase/skipped")
    assert len(skipped) == 1 and root.get("skipped") == "1" and root.get("failures") == "0"


def test_github_workflow_commands_escape_and_locate() -> None:
    lines = output(CONCERO, "--format", "github").splitlines()
    shield = next(line for line in lines if "Privacy Shield" in line)
    assert shield.startswith("::error file=")
    assert (
        ",line=201,col=5,title=GDPR-TRANSFER + CONCERO-TRANSFER (critical)::flows/hosting-us: EU-US"
        in shield
    )
    assert lines[-1] == (
        "flowaudit FAIL: 57 findings at or above low, 0 waived, 225 checks passed."
    )
    hostile = output(str(FIXTURES / "hostile" / "xss.yaml"), "--format", "github")
    for line in hostile.splitlines():
        assert "\n" not in line
        assert line.startswith(("::", "flowaudit "))


def test_github_shows_an_override_before_the_findings_that_would_hide_it() -> None:
    """GitHub annotates the first 10 errors, 10 warnings and 10 notices of a step, in the order
    printed: a rule switched off must not fall behind the map's 43 medium findings (warnings),
    and a notice first says that the rest are in the log."""
    lines = output(
        CONCERO, "--policies", str(FIXTURES / "facts" / "expiry-off.yaml"), "--format", "github"
    ).splitlines()
    kinds = [line[2 : line.index(" ")] for line in lines if line.startswith("::")]
    assert (kinds.count("error"), kinds.count("warning"), kinds.count("notice")) == (14, 40, 5)
    assert lines[0] == (
        "::notice title=flowaudit::14 errors, 40 warnings, 4 notices: GitHub annotates the "
        "first 10 of each kind in a step (changes to review and overrides first, then "
        "findings, most severe first); every one is in this log, and in the SARIF report when "
        "it is uploaded"
    )
    assert lines[1].startswith(
        "::warning title=flowaudit override of HYG-AGREEMENT-EXPIRY::HYG-AGREEMENT-EXPIRY "
        "switched off"
    )
    assert all("title=flowaudit" not in line for line in lines[2:-1])  # then the findings
    few = output(*WAIVED, "--format", "github")  # under the cap: no notice
    assert "::notice title=flowaudit::" not in few


def test_auto_picks_github_under_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    # (the map cites a notice clause and lists none: a warning comes first; auditor review
    # 2026-12-03g, problem 2)
    assert output(*WAIVED, "--format", "auto").splitlines()[-1].startswith("flowaudit PASS")
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert "as of 2026-11-25" in output(*WAIVED, "--format", "auto")


def test_markdown_is_a_clean_table() -> None:
    text = output(CONCERO, "--format", "markdown")
    assert text.startswith("## flowaudit: ❌ FAIL\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[2].startswith("| id | severity | rule | element | where | finding |")
    assert len(rows) == 3 + 57
    top = text.split("### Top 10 findings\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(top) == 30  # ten findings, each with its fix and its law
    assert top[0].startswith("1. **critical** `F-")
    assert top[1].startswith("   Fix: ") and top[2].startswith("   Law: ")
    assert "\nThe data map of Concero Technology Services (21 flows" in text
    for row in rows:
        assert row.count(" | ") == row.count("|") - 2 - row.count("\\|")
    hostile = output(str(FIXTURES / "hostile" / "xss.yaml"), "--format", "markdown")
    assert "<script>" not in hostile and "\\<script\\>" in hostile


def test_several_outputs_at_once(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "sub" / "out.xml"
    text = output(CONCERO, "--output", f"sarif={sarif}", "--output", f"junit={junit}")
    assert "FAIL: 57 findings" in text
    jsonschema.validate(json.loads(sarif.read_text()), SCHEMA)
    ET.fromstring(junit.read_text())
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out.sarif", "out.xml", "sub"]


@pytest.mark.parametrize("value", ["pdf=x.pdf", "sarif", "sarif="])
def test_bad_output_option_is_a_usage_error(value: str) -> None:
    result = run(["check", CONCERO, "--output", value])
    assert result.exit_code == 2
    assert "is not FORMAT=FILE" in result.output


@pytest.mark.parametrize("name", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_every_format_is_deterministic(name: str) -> None:
    assert output(CONCERO, "--format", name) == output(CONCERO, "--format", name)


def test_pre_commit_hooks_and_workflow_example_are_valid_yaml() -> None:
    from flowaudit.model.yamlsource import parse_text

    root = Path(__file__).parent.parent
    hooks = parse_text((root / ".pre-commit-hooks.yaml").read_text(), "hooks").data
    assert [hook["id"] for hook in hooks] == ["flowaudit-validate", "flowaudit-check"]
    for hook in hooks:
        assert hook["entry"].split()[0] == "flowaudit"
        assert run([*hook["entry"].split()[1:], CONCERO]).exit_code in (0, 1)
    workflow = parse_text((root / "docs" / "github-actions.yml").read_text(), "wf").data
    steps = workflow["jobs"]["audit"]["steps"]
    assert any("upload-sarif" in step.get("uses", "") for step in steps)
    assert any("flowaudit report" in step.get("run", "") for step in steps)


def test_junit_stays_well_formed_with_control_characters_in_names(tmp_path: Path) -> None:
    hostile = tmp_path / "ctrl.yaml"
    hostile.write_text(
        'parties:\n  - {id: odd, name: "Odd\\e\\vCo\\x01", kind: hosting, country: GB, '
        "role: processor}\nflows:\n  - {id: f, from: acme, to: odd, categories: [contact], "
        "subjects: [staff], purpose: support, basis: contract}\n"
    )
    text = output(str(BASE), str(hostile), "--format", "junit")
    root = ET.fromstring(text)
    failure = next(c for c in root.iter("failure") if "Odd" in (c.get("message") or ""))
    assert "Odd\\x1b\\x0bCo\\x01" in (failure.get("message") or "")  # shown, not lost


def test_the_markdown_summary_caps_each_kind_of_caveat_and_keeps_its_fingerprint() -> None:
    """Attack review 2026-12-03p, problem 6: 300 ASSUMED notes filled the summary (one GitHub
    comment), cutting the other caveats and the fingerprint. Each kind of caveat shows at most
    MAX_CAVEATS lines, then how many more."""
    from flowaudit.reports.markdown import MAX_CAVEATS, _capped

    lines = [f"- ⚠️ note {n}" for n in range(MAX_CAVEATS + 5)]
    assert _capped(lines, "passes on ASSUMED facts") == [
        *lines[:MAX_CAVEATS],
        "- ⚠️ … and 5 more passes on ASSUMED facts: every one is in `flowaudit check` (text "
        "or JSON)",
    ]
    assert _capped(lines[:MAX_CAVEATS], "warnings") == lines[:MAX_CAVEATS]


_SWISS_CLINIC = """\
organisation: {id: clinic, name: Praxis AG, country: CH, regime: CH, dsar_days: 30}
parties:
  - {id: lab, name: Labor AG, kind: laboratory, country: CH, role: processor}
categories: [{id: clinical, name: Clinical notes, art9_kind: health}]
subjects: [{id: patients, name: Patients}]
purposes: [{id: care, name: Care}]
agreements:
  - id: dpa
    kind: art28_dpa
    parties: [clinic, lab]
    status: signed
    signed_on: 2024-01-01
    categories: [clinical]
flows:
  - id: tests
    from: clinic
    to: lab
    categories: [clinical]
    subjects: [patients]
    purpose: care
    agreement: dpa
"""
_NOT_JUDGED = [
    "GDPR-BASIS",
    "GDPR-ART9",
    "GDPR-BREACH",
    "GDPR-REPRESENTATIVE",
    "GDPR-ART10",
    "PECR-MARKETING-CONSENT",
]


def test_text_and_json_say_once_which_rules_were_not_judged_for_the_regime(
    tmp_path: Path,
) -> None:
    """DPO review 2026-12-03s, problem 4: a Swiss organisation's `check` in text (the CI
    default) and JSON said nowhere that the rules of the UK and EU law were not judged, which
    Markdown, SARIF and the report say; JSON listed GDPR-BASIS as plainly enabled. The text
    now says it once, in the Markdown's words (reports/summary.py), and JSON names the rules
    in its summary and says why on each; a UK map has neither."""
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(_SWISS_CLINIC, encoding="utf-8")
    text = output(str(clinic))
    said = (
        f"Not judged: 6 rules ({', '.join(_NOT_JUDGED)}: the law of another regime than the "
        "organisation's, CH)."
    )
    assert [line for line in text.splitlines() if "not judged" in line.lower()] == [said]
    data = json.loads(output(str(clinic), "--format", "json"))
    assert data["summary"]["not_judged"] == _NOT_JUDGED
    why = {rule["id"]: rule["not_judged"] for rule in data["rules"] if rule["not_judged"]}
    assert list(why) == _NOT_JUDGED
    assert why["GDPR-BASIS"].startswith(
        "not judged: GDPR-BASIS states the law of the UK and EU regimes, and the organisation "
        "is under the CH regime. It follows the revFADP"
    )
    markdown = output(str(clinic), "--format", "markdown")
    assert f"6 not judged ({', '.join(_NOT_JUDGED)}: the law of another regime" in markdown
    uk = json.loads(output(CONCERO, "--format", "json"))
    assert uk["summary"]["not_judged"] == []
    assert all(rule["not_judged"] is None for rule in uk["rules"])
    assert "Not judged" not in output(CONCERO)
