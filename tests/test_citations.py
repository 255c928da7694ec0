"""Findings cite the law that binds the exporter on the audit date: "UK GDPR Art. N" for a UK
exporter from 2021-01-01, "GDPR Art. N" (Regulation (EU) 2016/679) for an EU exporter and for
a UK one before 2021, when the GDPR applied in the UK; never another regime's own law."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.policies.legal import load_legal_table
from tests.helpers import FIXTURES, audit_files, line_of, run
from tests.helpers import audit_paths as audit

EU = FIXTURES / "law" / "eu-citations.yaml"


def _found(result: AuditResult) -> list[tuple[str, str, int, str, str]]:
    return [
        (f.rule_id, f.element[1], f.location.line if f.location else 0, f.severity.value, f.message)
        for f in result.findings
    ]


def test_an_eu_exporter_is_cited_the_gdpr_not_the_uk_gdpr() -> None:
    result = audit_files(EU, base=False)
    assert _found(result) == [
        (
            "GDPR-BREACH",
            "euco",
            line_of(EU, "breach_procedure:"),
            "medium",
            "the organisation acts as a processor (for-client) but its breach procedure does "
            "not record telling the controller without undue delay (GDPR Art. 33(2))",
        ),
        (
            "GDPR-NOTICE-CONTENT",
            "euco",
            line_of(EU, "retention: null"),
            "medium",
            "the notice does not give how long data is kept, or the criteria for it "
            "(GDPR Art. 13(2)(a))",
        ),
        (
            "GDPR-PROCESSOR",
            "euco",
            line_of(EU, "organisation:"),
            "medium",
            "EU Co acts as processor for Client Ltd (for-client): the record of processing "
            "carried out for controllers (Art. 30(2)) is not recorded; set processor_record "
            "to where it is kept",
        ),
    ]
    assert [result.references_of(f)[1] for f in result.findings] == [
        ["GDPR Art. 33(1)", "GDPR Art. 33(2)", "GDPR Art. 33(5)"],
        ["GDPR Art. 13", "GDPR Art. 14"],
        ["GDPR Art. 28(2)", "GDPR Art. 28(4)", "GDPR Art. 30(2)"],
    ]
    # a rule's UK-only references (the ICO's code, the DUAA) are not the EU exporter's law
    agreement = result.rule("GDPR-AGREEMENT")
    assert "ICO Data Sharing Code (in force 5 Oct 2021)" in agreement.references.legal
    assert result.legal_references(agreement) == ["GDPR Art. 28(3)", "GDPR Art. 26"]


def test_the_uk_before_2021_is_cited_the_gdpr_and_from_2021_the_uk_gdpr() -> None:
    def notice_gap(as_of: str) -> tuple[str, list[str]]:
        result = audit([], date.fromisoformat(as_of))
        found = next(
            f
            for f in result.findings
            if f.rule_id == "GDPR-NOTICE-CONTENT"
            and f.field == ("notice_content", "withdraw_consent")
        )
        return found.message, result.references_of(found)[1]

    # 2020-12-31: the last day of the transition period (Withdrawal Agreement Art. 127)
    assert notice_gap("2020-12-31") == (
        "the notice does not give the right to withdraw consent at any time (GDPR Art. 13(2)(c))",
        ["GDPR Art. 13", "GDPR Art. 14"],
    )
    assert notice_gap("2021-01-01") == (
        "the notice does not give the right to withdraw consent at any time "
        "(UK GDPR Art. 13(2)(c))",
        ["UK GDPR Art. 13", "UK GDPR Art. 14"],
    )


def test_a_row_serving_both_regimes_is_cited_as_the_exporters_law() -> None:
    legal = load_legal_table()
    written = "UK GDPR / GDPR Art. 33(2); a firm called UK GDPR Advisers Ltd"
    assert legal.citer("UK", date(2026, 1, 1))(written) == (
        "UK GDPR Art. 33(2); a firm called UK GDPR Advisers Ltd"
    )
    assert legal.citer("EU", date(2026, 1, 1))(written) == (
        "GDPR Art. 33(2); a firm called UK GDPR Advisers Ltd"
    )


def test_reports_cite_the_rules_as_the_audit_does() -> None:
    outcome = run(["check", str(EU), "--as-of", "2026-11-25", "--format", "json"])
    assert outcome.exit_code == 1
    rules = {r["id"]: r["references"]["legal"] for r in json.loads(outcome.output)["rules"]}
    assert rules["GDPR-NOTICE-CONTENT"] == ["GDPR Art. 13", "GDPR Art. 14"]
    sarif = run(["check", str(EU), "--as-of", "2026-11-25", "--format", "sarif"])
    descriptors = json.loads(sarif.output)["runs"][0]["tool"]["driver"]["rules"]
    legal = {d["id"]: d["properties"]["legal"] for d in descriptors}
    assert legal["GDPR-BREACH"] == ["GDPR Art. 33(1)", "GDPR Art. 33(2)", "GDPR Art. 33(5)"]
    assert "UK GDPR" not in sarif.output


def test_the_html_report_and_the_record_cite_the_gdpr_for_an_eu_exporter(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert run(["report", str(EU), "--as-of", "2026-11-25", "--out", str(out)]).exit_code == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<strong>Law:</strong> GDPR Art. 13; GDPR Art. 14 " in html
    assert "UK GDPR" not in html
    record = run(["ropa", str(EU), "--as-of", "2026-11-25", "--format", "md"])
    assert record.output.startswith("# Record of processing activities (GDPR Art. 30(1))\n")
