"""A finding's fix is its code's (``code_fix``) where the rule's fix would tell the reader to
do what the finding shows done (review 2026-12-02b, problem 13): a flow already on consent is
not told to set a basis, a processor already recorded is not told to record the role. Every
report that prints a fix prints the code's."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pydantic import ValidationError

from flowaudit.checks.result import AuditResult, Finding, fix_for_code
from flowaudit.policies.schema import LawfulBasisRule, Severity
from flowaudit.reports.html import render_html
from flowaudit.reports.junit import render_junit
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.rules_doc import render_explain
from flowaudit.reports.sarif import render_sarif
from tests.helpers import audit_paths, run, without_cite_spans

GENERIC_BASIS = "Set basis to one of consent"
GENERIC_AGREEMENT = "Record the recipient's role"
CONSENT_FIX = "Link the consent_record that shows how consent was obtained"
ASSESSMENT_FIX = "Complete a legitimate interests assessment"
CONTRACT_FIX = "Sign an Art. 28 contract (art28_dpa) between the controller and the processor"


@pytest.fixture(scope="module")
def shipped() -> AuditResult:
    return audit_paths([], date(2026, 11, 25))


def _one(result: AuditResult, finding_id: str) -> Finding:
    (found,) = [f for f in result.findings if f.finding_id == finding_id]
    return found


def test_the_codes_the_shipped_map_hits_have_fixes_that_start_from_the_finding(
    shipped: AuditResult,
) -> None:
    expected = {
        "F-aec5c110d7": CONSENT_FIX,  # consent named, no record (GDPR-BASIS + notice's opt-in)
        "F-66b52d348f": ASSESSMENT_FIX,  # legitimate interests named, no assessment
        "F-944091630b": "Replace the word with the Art. 6(1) basis",  # "billing"
        "F-c3c93ecd60": "Rest the listed flows on legitimate_interests",  # contract, not party
        "F-003261ff23": CONTRACT_FIX,  # the school's processor, its role recorded
    }
    for finding_id, start in expected.items():
        assert shipped.fix_of(_one(shipped, finding_id)).startswith(start), finding_id
    # a code without a fix of its own keeps the rule's (the role is not recorded: record it)
    undecided = [f for f in shipped.findings if f.code == "role-undecided"]
    assert undecided and all(shipped.fix_of(f).startswith(GENERIC_AGREEMENT) for f in undecided)
    # no finding whose basis or role the map records is told to set it
    for finding in shipped.findings:
        fix = shipped.fix_of(finding)
        if finding.rule_id == "GDPR-BASIS" and finding.code != "missing":
            assert not fix.startswith(GENERIC_BASIS), finding.finding_id
        if finding.rule_id == "GDPR-AGREEMENT" and finding.code != "role-undecided":
            assert not fix.startswith(GENERIC_AGREEMENT), finding.finding_id


def test_markdown_prints_the_codes_fix(shipped: AuditResult) -> None:
    text = render_markdown(shipped, Severity.LOW)
    top = text.split("### Top 10 findings\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    fixes = {
        re.search(r"`(F-[0-9a-f]{10})`", line).group(1): top[i + 1]  # type: ignore[union-attr]
        for i, line in enumerate(top)
        if re.match(r"\d+\. ", line)
    }
    assert fixes["F-aec5c110d7"].startswith(f"   Fix: {CONSENT_FIX}")
    assert fixes["F-003261ff23"].startswith(f"   Fix: {CONTRACT_FIX}")
    assert fixes["F-66b52d348f"].startswith(f"   Fix: {ASSESSMENT_FIX}")
    assert not [line for line in fixes.values() if GENERIC_BASIS in line]


def test_junit_prints_the_codes_fix(shipped: AuditResult) -> None:
    root = ET.fromstring(render_junit(shipped, Severity.LOW))
    (case,) = [
        c
        for c in root.iter("testcase")
        if c.get("classname") == "GDPR-BASIS" and c.get("name") == "flows/marketing-contacts"
    ]
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert f"How to fix: {CONSENT_FIX}" in failure.text
    assert GENERIC_BASIS not in failure.text
    # the notice's rule behind the same finding keeps its own fix
    (notice,) = [
        c
        for c in root.iter("testcase")
        if c.get("classname") == "CONCERO-MARKETING-CONSENT"
        and c.get("name") == "flows/marketing-contacts"
    ]
    text = notice.find("failure").text  # type: ignore[union-attr]
    assert text is not None and "How to fix: Base marketing on consent" in text


def test_html_prints_the_codes_fix_by_its_finding(shipped: AuditResult) -> None:
    html = without_cite_spans(render_html(shipped, Severity.LOW))
    section = html.split('id="rule-GDPR-BASIS"', 1)[1].split("</section>", 1)[0]
    # every GDPR-BASIS finding but the one with no basis has a fix of its own, so the rule's
    # fix is printed once above the table (for that one) and each own fix in its row
    # (five since DPO review s17: the two flows of web_development lacking one assessment
    # are one finding)
    assert section.count("<strong>How to fix:</strong>") == 1 + 5
    assert CONSENT_FIX in section and ASSESSMENT_FIX in section
    agreement = html.split('id="rule-GDPR-AGREEMENT"', 1)[1].split("</section>", 1)[0]
    assert CONTRACT_FIX in agreement


def test_sarif_rule_help_lists_the_fixes_by_code(shipped: AuditResult) -> None:
    log = json.loads(render_sarif(shipped, Severity.LOW))
    (rule,) = [r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "GDPR-BASIS"]
    assert f"- no-consent-record: {CONSENT_FIX}" in rule["help"]["text"]
    assert "**How to fix, by finding code:**" in rule["help"]["markdown"]


def test_explain_lists_the_fixes_by_code(shipped: AuditResult) -> None:
    text = render_explain(shipped.rule("GDPR-BASIS"), "uk-gdpr")
    assert "How to fix, by finding code" in text
    assert "no-consent-record: Link the consent_record" in " ".join(text.split())


def test_code_fix_matches_an_exact_code_then_the_first_pattern() -> None:
    rule = LawfulBasisRule(
        id="T-BASIS",
        kind="lawful_basis",
        title="t",
        severity=Severity.HIGH,
        rationale="r",
        references={"legal": ["x"]},  # type: ignore[arg-type]
        fix="generic",
        code_fix={"no-assessment": "exact", "no-*": "pattern"},
    )
    assert fix_for_code(rule, "no-assessment") == "exact"
    assert fix_for_code(rule, "no-consent-record") == "pattern"
    assert fix_for_code(rule, "missing") == "generic"
    with pytest.raises(ValidationError):
        LawfulBasisRule.model_validate({**rule.model_dump(), "code_fix": {"x": 1}})


def test_the_policy_schema_documents_code_fix() -> None:
    schema = json.loads(
        (Path(__file__).parents[1] / "docs" / "schemas" / "policy.schema.json").read_text(
            encoding="utf-8"
        )
    )
    assert "code_fix" in json.dumps(schema)


TRANSFER_TO_IN = """\
organisation: {{id: org, name: Org, country: {country}, regime: {regime}}}
parties:
  - {{id: devshop, name: CodeBridge, kind: it_support, country: IN, role: processor}}
categories: [{{id: contact, name: Contact}}]
subjects: [{{id: customers, name: Customers, party_to_contract: true}}]
purposes: [{{id: support, name: Support}}]
flows:
  - {{id: remote, from: org, to: devshop, categories: [contact], subjects: [customers],
     purpose: support, basis: contract}}
"""


def test_the_transfer_fix_names_the_routes_of_the_exporters_regime(tmp_path: Path) -> None:
    """Auditor review 2026-12-03s, problem 10: GDPR-TRANSFER's fix offered a Swiss exporter
    only UK and EU routes ("the IDTA or UK Addendum (UK), the 2021 SCCs (EU), or the UK
    Extension / DPF"). The rule's regime_fix gives each regime its own, naming the mechanism
    rows the legal table has for its exporters (for CH: the Swiss-US DPF, the SCCs the FDPIC
    recognises, revFADP Art. 17 exceptions); every report that prints the fix prints it, and
    a UK organisation's fix is as before."""
    fixes = {}
    for country, regime in (("GB", "UK"), ("IE", "EU"), ("CH", "CH")):
        folder = tmp_path / regime
        folder.mkdir()
        (folder / "map.yaml").write_text(
            TRANSFER_TO_IN.format(country=country, regime=regime), encoding="utf-8"
        )
        result = audit_paths([str(folder)], date(2026, 11, 25))
        (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
        assert finding.severity is Severity.CRITICAL
        fixes[regime] = result.fix_of(finding)
        rule = result.rule("GDPR-TRANSFER")
        assert result.fix_under(rule, finding) == fixes[regime]
        sarif = json.loads(render_sarif(result, Severity.LOW))
        (described,) = [
            r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "GDPR-TRANSFER"
        ]
        assert f"How to fix: {fixes[regime]}" in described["help"]["text"]
        html = without_cite_spans(render_html(result, Severity.LOW))
        section = html.split('id="rule-GDPR-TRANSFER"', 1)[1].split("</section>", 1)[0]
        assert f"<strong>How to fix:</strong> {fixes[regime]}</p>" in section.replace("&#39;", "'")
        assert f"   Fix: {fixes[regime]}" in render_markdown(result, Severity.LOW).replace(
            "\\[", "["
        ).replace("\\]", "]")
    assert fixes["UK"].startswith(
        "Use a mechanism valid today for the exporter: the IDTA or UK Addendum (UK), the 2021"
        " SCCs (EU), or the UK Extension / DPF"
    )
    assert fixes["CH"] == (
        "Use a way revFADP Art. 16-17 allows today for a Swiss exporter: the Swiss-US Data"
        " Privacy Framework for an importer that is listed (set listed_under: [swiss_us_dpf] on"
        " the party), the EU standard contractual clauses (2021) the FDPIC recognises, with the"
        " Swiss adaptations (ch_scc_2021), or binding corporate rules (ch_bcr), with the signed"
        " agreement linked as transfer_agreement and the transfer impact assessment on file, or,"
        " for an occasional transfer, a revFADP Art. 17 exception (ch_explicit_consent,"
        " ch_derogation); `flowaudit law --regime CH` lists them."
    )
    assert "IDTA" not in fixes["CH"] and "UK" not in fixes["CH"]
    assert "IDTA" not in fixes["EU"] and "UK Extension" not in fixes["EU"]
    # every mechanism id the fixes name is a row of the table open to that regime's exporters
    for regime in ("EU", "CH"):
        shown = run(["law", "--as-of", "2026-11-25", "--regime", regime, "--format", "json"])
        rows = {row["id"] for row in json.loads(shown.output)["sections"]["mechanisms"]}
        named = set(re.findall(r"\b(?:ch|eu)_[a-z0-9_]+\b", fixes[regime]))
        assert named and named <= rows, (regime, named - rows)


LATE_DSAR = """\
organisation: {{id: org, name: Org, country: {country}, regime: {regime}, dsar_days: 35}}
"""


def test_the_rights_fix_asks_the_complaints_procedure_of_a_uk_organisation_only(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03u, problem 9: GDPR-RIGHTS told a German shop to "record
    complaints_procedure true on the organisation once the procedure exists", a duty of UK law
    only (DPA 2018 s.164A) that its rationale says an EU or Swiss organisation is not asked
    for. Its regime_fix gives the EU and CH their own deadline and nothing more."""
    fixes = {}
    for country, regime in (("GB", "UK"), ("DE", "EU"), ("CH", "CH")):
        folder = tmp_path / regime
        folder.mkdir()
        (folder / "map.yaml").write_text(
            LATE_DSAR.format(country=country, regime=regime), encoding="utf-8"
        )
        result = audit_paths([str(folder)], date(2026, 11, 25))
        late = [f for f in result.findings if f.rule_id == "GDPR-RIGHTS" and "dsar" in f.code]
        assert late, regime
        fixes[regime] = result.fix_of(late[0])
    assert "complaints_procedure" in fixes["UK"]
    assert fixes["EU"] == (
        "Answer subject access requests within one calendar month of receipt (Art. 12(3)):"
        " record dsar_days: 28, which fits every month."
    )
    assert fixes["CH"] == (
        "Answer subject access requests within 30 days (revFADP Art. 25(7)): record"
        " dsar_days: 30 or fewer."
    )
