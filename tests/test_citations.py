"""Findings cite the law that binds the exporter on the audit date: "UK GDPR Art. N" for a UK
exporter from 2021-01-01, "GDPR Art. N" (Regulation (EU) 2016/679) for an EU exporter and for
a UK one before 2021, when the GDPR applied in the UK; never another regime's own law."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

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
        ["GDPR Art. 30(2)"],  # the processor's record: Art. 30(2) alone
    ]
    # a rule's UK-only references (the ICO's code, the DUAA) are not the EU exporter's law
    agreement = result.rule("GDPR-AGREEMENT")
    assert "ICO Data Sharing Code" in agreement.references.legal
    assert result.legal_references(agreement) == [
        "GDPR Art. 28(3)",
        "GDPR Art. 28(4)",  # a sub-processor's contract (DPO review verdict2-s17, problem 3)
        "GDPR Art. 28(9)",
        "GDPR Art. 26",
    ]


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
    # each citation sits in a nowrap span (auditor review s21)
    assert (
        '<strong>Law:</strong> GDPR <span class="cite">Art. 13</span>; '
        'GDPR <span class="cite">Art. 14</span> '
    ) in html
    assert "UK GDPR" not in html
    record = run(["ropa", str(EU), "--as-of", "2026-11-25", "--format", "md"])
    assert record.output.startswith("# Record of processing activities (GDPR Art. 30(1))\n")


SWISS_MAP = """\
organisation: {id: acme, name: Acme AG, country: CH, regime: CH}
parties:
  - {id: host, name: Host AG, kind: hosting, country: CH, role: processor}
  - {id: client, name: Client AG, kind: customer, country: CH, role: controller}
categories: [{id: contact, name: Contact}]
subjects: [{id: customers, name: Customers}]
purposes: [{id: club, name: Club}, {id: hosting, name: Hosting for clients}]
flows:
  - {id: f, from: acme, to: host, categories: [contact], subjects: [customers], purpose: club}
  - {id: in, from: client, to: acme, categories: [contact], subjects: [customers],
     purpose: hosting, recipient_role: processor}
"""


def test_a_swiss_organisations_references_and_record_cite_the_revfadp(tmp_path: Path) -> None:
    """Auditor review 2026-12-03o, problem 2; DPO review 2026-12-02i, problem 4: the EU GDPR
    does not bind a Swiss organisation. Its rule references (JSON, SARIF, per finding) cite
    the revFADP article that sets the same duty (Art. 9 for Art. 28, Art. 16-17 for Art.
    44-49), keeping the GDPR's where the revFADP has none (Art. 26); its record of processing
    is headed by revFADP Art. 12(2) and 12(3), not GDPR Art. 30, in Markdown, HTML and both
    xlsx sheets (the CSV has no heading, only columns)."""
    from openpyxl import load_workbook

    folder = tmp_path / "swiss"
    folder.mkdir()
    (folder / "map.yaml").write_text(SWISS_MAP, encoding="utf-8")
    args = [str(folder), "--as-of", "2026-11-25"]
    outcome = run(["check", *args, "--format", "json"])
    rules = {r["id"]: r["references"]["legal"] for r in json.loads(outcome.output)["rules"]}
    assert rules["GDPR-AGREEMENT"] == [
        "revFADP Art. 9(1)-(2)",
        "revFADP Art. 9(3)",  # Art. 28(4)'s counterpart: a sub-processor's contract
        "GDPR Art. 26",
    ]
    assert rules["GDPR-TRANSFER"] == [
        "revFADP Art. 16",
        "revFADP Art. 17",
        "CJEU C-311/18 (Schrems II)",
    ]
    assert rules["GDPR-RETENTION"] == ["revFADP Art. 6(4)"]
    # a rule that states another regime's law, not judged here, keeps its GDPR references
    assert rules["GDPR-BASIS"] == ["GDPR Art. 6(1)", "GDPR Art. 7(1)"]
    sarif = json.loads(run(["check", *args, "--format", "sarif"]).output)["runs"][0]
    legal = {d["id"]: d["properties"]["legal"] for d in sarif["tool"]["driver"]["rules"]}
    assert legal["GDPR-PROCESSOR"] == [
        "revFADP Art. 9(3)",
        "revFADP Art. 12(3)",
        "revFADP Art. 9(1)-(2)",
    ]
    assert legal["GDPR-BREACH"] == [
        "GDPR Art. 33(1)",
        "GDPR Art. 33(2)",
        "GDPR Art. 33(5)",
    ]  # UK, EU
    result = audit_files(folder / "map.yaml", base=False)
    missing = next(f for f in result.findings if f.rule_id == "GDPR-AGREEMENT")
    assert result.references_of(missing)[1] == ["revFADP Art. 9(1)-(2)"]
    record = run(["ropa", *args, "--format", "md"]).output
    assert record.startswith("# Record of processing activities (revFADP Art. 12(2))\n")
    assert "\n## Record of processing as processor (revFADP Art. 12(3))\n" in record
    assert "Art. 30(1)" not in record and "Art. 30(2)" not in record
    html = run(["ropa", *args, "--format", "html"]).output
    assert "<h1>Record of processing activities (revFADP Art. 12(2))</h1>" in html
    assert "<h2>Controller record (revFADP Art. 12(2))</h2>" in html
    assert "<h2>Processor record (revFADP Art. 12(3))</h2>" in html
    assert "Art. 30(1)" not in html and "Art. 30(2)" not in html
    assert (
        run(["ropa", *args, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")]).exit_code == 0
    )
    workbook = load_workbook(tmp_path / "r.xlsx")
    assert [sheet["A1"].value for sheet in workbook] == [
        "Record of processing activities (revFADP Art. 12(2)): controller",
        "Record of processing activities (revFADP Art. 12(3)): processor",
    ]


def test_a_uk_and_an_eu_record_keep_their_headings(tmp_path: Path) -> None:
    """The record of a UK and of an EU organisation is headed as before: Art. 30 of the UK
    GDPR or the GDPR, the processor's section by bare Art. 30(2)."""
    for regime, country, law in (("UK", "GB", "UK GDPR"), ("EU", "IE", "GDPR")):
        folder = tmp_path / regime
        folder.mkdir()
        text = SWISS_MAP.replace("country: CH, regime: CH", f"country: {country}, regime: {regime}")
        (folder / "map.yaml").write_text(text, encoding="utf-8")
        record = run(["ropa", str(folder), "--as-of", "2026-11-25", "--format", "md"]).output
        assert record.startswith(f"# Record of processing activities ({law} Art. 30(1))\n")
        assert "\n## Record of processing as processor (Art. 30(2))\n" in record


def _law_lines(on: date) -> dict[str, str]:
    """Each finding of the shipped map on ``on``: 'RULE element [code]' -> its Law line."""
    result = audit([], on)
    return {
        f"{f.rule_id} {f.element[1]} [{f.code}]": "; ".join(result.references_of(f)[1])
        for f in result.findings
    }


def test_a_finding_never_cites_an_instrument_not_yet_in_force_on_the_audit_date() -> None:
    """Each instrument's first day is a row of the legal table with its source: the day
    before it a finding leaves the instrument out, from that day it cites it."""
    legal = load_legal_table()
    first_days = {i.id: i.valid_from for i in legal.transfers.instruments}
    assert first_days == {
        "ico-age-appropriate-design-code": date(2020, 9, 2),
        "schrems-ii": date(2020, 7, 16),
        "ico-data-sharing-code": date(2021, 10, 5),
        "uk-us-adequacy-regulations": date(2023, 10, 12),
        "duaa-2025": date(2025, 6, 19),
        "duaa-recognised-legitimate-interests": date(2026, 2, 5),
        "duaa-complaints": date(2026, 6, 19),
        "duaa-cookie-exemptions": date(2026, 2, 5),
        "pci-dss-v4": date(2022, 3, 31),
        "pci-dss-v3-2-1": None,  # cited from the first day, until its retirement
        # consent and contract findings (DPO review 2026-12-02d, problems 1 and 4)
        "planet49": date(2019, 10, 1),
        "edpb-guidelines-2-2019": date(2019, 10, 8),
    }
    written = [
        "ICO Age appropriate design code",
        "CJEU C-311/18 (Schrems II)",
        "ICO Data Sharing Code",
        "SI 2023/1028",
        "DUAA 2025 s.70",
        "UK GDPR Art. 6(1)(ea)",
        "DUAA 2025 s.103",
        "DPA 2018 s.164A",
        "DUAA 2025 s.112",
        "PECR Sch. A1 para 5",
        "UK GDPR Art. 28(3)",
    ]
    cited = legal.cited_references
    assert cited(written, "UK", date(2019, 6, 1)) == ["GDPR Art. 28(3)"]
    assert cited(written, "UK", date(2021, 10, 4)) == [
        "ICO Age appropriate design code",
        "CJEU C-311/18 (Schrems II)",
        "UK GDPR Art. 28(3)",
    ]
    assert cited(written, "UK", date(2021, 10, 5))[2] == "ICO Data Sharing Code"
    assert "SI 2023/1028" not in cited(written, "UK", date(2023, 10, 11))
    assert "SI 2023/1028" in cited(written, "UK", date(2023, 10, 12))
    assert cited(written, "UK", date(2026, 2, 4))[-1:] == ["UK GDPR Art. 28(3)"]
    assert cited(written, "UK", date(2026, 2, 5)) == [
        *written[:6],
        "DUAA 2025 s.112",
        "PECR Sch. A1 para 5",
        "UK GDPR Art. 28(3)",
    ]
    assert cited(written, "UK", date(2026, 6, 19)) == written
    # an EU exporter is never cited the UK's own law, Art. 6(1)(ea) included
    assert cited(written, "EU", date(2026, 11, 25)) == [
        "CJEU C-311/18 (Schrems II)",
        "GDPR Art. 28(3)",
    ]


def test_the_shipped_maps_2019_findings_cite_no_later_law() -> None:
    laws = _law_lines(date(2019, 6, 1))
    later = ("DUAA", "ICO Data Sharing Code", "ICO Age appropriate", "SI 2023/1028", "C-311/18")
    assert [k for k, law in laws.items() if any(word in law for word in later)] == []
    assert laws["GDPR-TRANSFER helpdesk-tickets [not-a-mechanism]"] == (
        "GDPR Art. 44-46; GDPR Art. 49"
    )


def test_agreement_findings_cite_the_law_of_the_recipients_role() -> None:
    """A processor is owed an Art. 28 contract (28(3), in writing 28(9)): no Art. 26, no data
    sharing code; a controller a sharing agreement under the code; an unrecorded role both
    options; basis findings cite DUAA s.70 only about recognised legitimate interests."""
    laws = _law_lines(date(2026, 11, 25))
    art28 = "UK GDPR Art. 28(3); UK GDPR Art. 28(9)"
    either = "UK GDPR Art. 28(3); ICO Data Sharing Code"
    assert {k: v for k, v in laws.items() if k.startswith("GDPR-AGREEMENT")} == {
        # the missing contract is also the sub-processors it must authorise (GDPR-PROCESSOR)
        "GDPR-AGREEMENT school-server-work [missing]": (
            f"{art28}; UK GDPR Art. 28(2); UK GDPR Art. 28(4)"
        ),
        # the sharing promise's request for the role joins it, citing the notice's duty to
        # name recipients too
        "GDPR-AGREEMENT card-payments [role-undecided]": f"{either}; UK GDPR Art. 13(1)(e)",
        "GDPR-AGREEMENT helpdesk-tickets [unknown-status]": art28,
        "GDPR-AGREEMENT hosting-eea [unknown-status]": art28,
        "GDPR-AGREEMENT hosting-uk [unknown-status]": art28,
        "GDPR-AGREEMENT hosting-us [unknown-status]": art28,
        "GDPR-AGREEMENT installation-helper [role-undecided]": either,
        "GDPR-AGREEMENT isp-provisioning [role-undecided]": f"{either}; UK GDPR Art. 13(1)(e)",
        "GDPR-AGREEMENT product-introductions [sharing-missing]": "ICO Data Sharing Code",
        "GDPR-AGREEMENT procurement-quotes [sharing-unknown-status]": "ICO Data Sharing Code",
        "GDPR-AGREEMENT training-accreditation [sharing-missing]": (
            "ICO Data Sharing Code; UK GDPR Art. 13(1)(e)"
        ),
    }
    # the MIS firm's unrecorded role is the processor duty's finding, citing both rules
    assert laws["GDPR-PROCESSOR mis-third-party-support [subprocessor-not-authorised]"] == (
        "UK GDPR Art. 28(2); UK GDPR Art. 28(4); " + art28
    )
    basis = {k: v for k, v in laws.items() if k.startswith("GDPR-BASIS")}
    assert [k for k, v in basis.items() if "s.70" in v or "(ea)" in v] == []
    assert basis["GDPR-BASIS card-payments [not-a-basis]"] == "UK GDPR Art. 6(1)"
    assert basis["GDPR-BASIS call-recording [no-assessment]"] == "UK GDPR Art. 6(1)(f)"


def test_a_basis_not_yet_available_cites_the_provision_that_brings_it_once_in_force() -> None:
    from flowaudit.checks.result import references_for_code

    legal = load_legal_table()
    rule = next(r for r in app_rules() if r.id == "GDPR-BASIS")
    written = references_for_code(rule, "not-available")
    assert legal.cited_references(written, "UK", date(2026, 2, 5)) == [
        "UK GDPR Art. 6(1)",
        "UK GDPR Art. 6(1)(ea)",
        "DUAA 2025 s.70",
    ]
    assert legal.cited_references(written, "UK", date(2026, 2, 4)) == ["UK GDPR Art. 6(1)"]
    assert legal.cited_references(written, "EU", date(2026, 2, 5)) == ["GDPR Art. 6(1)"]
    assert references_for_code(rule, "missing") == ["UK GDPR Art. 6(1)"]


def app_rules() -> list[Any]:
    from flowaudit import app

    return list(app.all_policies().rules)


def test_a_swiss_reports_rule_texts_cite_as_its_findings_do(tmp_path: Path) -> None:
    """Auditor review 2026-12-03s, problem 1: a Swiss finding said "a revFADP Art. 9(1)-(2)
    contract is required" and its How to fix, one line below, "Sign an Art. 28 contract"; the
    rule cards' rationale cited bare GDPR articles ("(Art. 12(3))") beside revFADP ones. The
    rules' titles, rationale and fixes now pass through the same citer, every GDPR article
    they keep named as the GDPR's, in every report (HTML rule cards, SARIF rule help,
    Markdown fixes); UK and EU rules are the policies' own."""
    folder = tmp_path / "swiss"
    folder.mkdir()
    (folder / "map.yaml").write_text(SWISS_MAP, encoding="utf-8")
    args = [str(folder), "--as-of", "2026-11-25"]
    result = audit_files(folder / "map.yaml", base=False)
    agreement = result.rule("GDPR-AGREEMENT")
    assert agreement.code_fix["missing"].startswith(
        "Sign a revFADP Art. 9(1)-(2) contract (art28_dpa) between"
    )
    rights = result.rule("GDPR-RIGHTS")
    assert "within one calendar month of receipt (GDPR Art. 12(3))" in " ".join(
        rights.rationale.split()
    )
    missing = next(f for f in result.findings if f.rule_id == "GDPR-AGREEMENT")
    assert "a revFADP Art. 9(1)-(2) contract is required" in missing.message
    assert result.fix_of(missing).startswith("Sign a revFADP Art. 9(1)-(2) contract")
    out = tmp_path / "rep"
    assert run(["report", *args, "--out", str(out)]).exit_code == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        '<strong>How to fix:</strong> Sign a revFADP <span class="cite">Art. 9(1)-(2)</span> '
        "contract (art28_dpa)"
    ) in html
    assert "Sign an Art. 28" not in html and 'Sign an <span class="cite">Art. 28' not in html
    # the method's limits name the GDPR's DPIA article as the GDPR's
    assert 'impact assessment (GDPR <span class="cite">Art. 35</span>)' in html
    assert 'against GDPR <span class="cite">Art. 35(3)</span>' in html
    sarif = json.loads(run(["check", *args, "--format", "sarif"]).output)["runs"][0]
    helps = {d["id"]: d["help"]["text"] for d in sarif["tool"]["driver"]["rules"]}
    assert "\n- missing: Sign a revFADP Art. 9(1)-(2) contract" in helps["GDPR-AGREEMENT"]
    markdown = run(["check", *args, "--format", "markdown"]).output
    assert "Fix: Sign a revFADP Art. 9(1)-(2) contract (art28_dpa)" in markdown
    assert "Sign an Art. 28" not in markdown + sarif["tool"]["driver"]["rules"].__repr__()
    # the same map under the UK and the EU regimes: the policies' texts, unchanged
    for regime, country in (("UK", "GB"), ("EU", "IE")):
        other = tmp_path / f"{regime}.yaml"
        other.write_text(
            SWISS_MAP.replace("country: CH, regime: CH", f"country: {country}, regime: {regime}"),
            encoding="utf-8",
        )
        shown = audit_files(other, base=False)
        assert shown.rules == tuple(app_rules_of(shown))
        assert shown.rule("GDPR-AGREEMENT").code_fix["missing"].startswith("Sign an Art. 28 ")


def app_rules_of(result: AuditResult) -> list[Any]:
    """The rules of the policies an audit ran, as the policy files word them."""
    shipped = {rule.id: rule for rule in app_rules()}
    return [shipped[rule.id] for rule in result.rules]


def test_a_swiss_reports_legal_table_lists_the_revfadp_rows_it_cites_marked(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03s, problem 2: the counterpart rows behind a Swiss finding's
    "revFADP Art. 9(1)-(2)" are UNCONFIRMED, and no output showed the mark. "Legal table
    used" lists each row its findings or its rules' passes cite, with the mark, the GDPR
    articles it replaces, its source and who relied on it; the finding lines carry no mark
    of it. A UK report lists no such row."""
    from flowaudit.reports.html import counterparts_relied_on

    folder = tmp_path / "swiss"
    folder.mkdir()
    (folder / "map.yaml").write_text(SWISS_MAP, encoding="utf-8")
    result = audit_files(folder / "map.yaml", base=False)
    rows = {row.id: row for row in counterparts_relied_on(result)}
    contract = rows["revFADP Art. 9(1)-(2)"]
    assert contract.unconfirmed
    assert contract.what.startswith("cited in place of the GDPR's Art. 28, Art. 28(3),")
    assert contract.source.startswith("revFADP (SR 235.1) Art. 9(1) (processing assigned")
    cites = [f for f in result.findings if "revFADP Art. 9(1)-(2)" in f.message]
    assert contract.findings == len(cites) >= 1
    # "revFADP Art. 12(2)" is not cited by "revFADP Art. 12(2)(c)" alone
    if "revFADP Art. 12(2)" in rows:
        assert any("revFADP Art. 12(2)" in result.legal_references(r) for r in result.rules)
    assert all("UNCONFIRMED" not in f.message for f in cites)
    out = tmp_path / "rep"
    assert run(["report", str(folder), "--as-of", "2026-11-25", "--out", str(out)]).exit_code == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    legal = html.split('<h2 id="legal">Legal table used</h2>', 1)[1]
    assert (
        '<td class="mono">revFADP <span class="cite">Art. 9(1)-(2)</span> '
        '<span class="unconfirmed">UNCONFIRMED</span></td><td>cited in place of the '
        'GDPR&#39;s <span class="cite">Art. 28</span>, <span class="cite">Art. 28(3)</span>'
    ) in legal
    uk = tmp_path / "uk.yaml"
    uk.write_text(SWISS_MAP.replace("country: CH, regime: CH", "country: GB, regime: UK"))
    assert counterparts_relied_on(audit_files(uk, base=False)) == []


def test_map_texts_are_kept_when_written_with_an_escape_and_looked_for_only_then(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03s, problem 12: the kept texts are looked for by one search of
    the map files' text (a 100k-flow UK map was dumped whole for them, 0.6 s), so a name
    written with an escape ("\\x41rt.") must still be found: a backslash sends the search to
    the map's data."""
    from flowaudit.checks.engine import _texts_of
    from flowaudit.model.loader import load_map

    escaped = tmp_path / "eu.yaml"
    escaped.write_text(
        "organisation: {id: acme, name: Acme GmbH, country: DE, regime: EU}\n"
        'parties:\n  - {id: host, name: "UK GDPR \\x41rt. 27 Representative Ltd", kind: hosting,'
        " country: DE, role: processor}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: customers, name: Customers}]\n"
        "purposes: [{id: club, name: Club}]\n"
        "flows:\n  - {id: f, from: acme, to: host, categories: [contact], subjects: [customers],"
        " purpose: club}\n",
        encoding="utf-8",
    )
    result = audit_files(escaped, base=False)
    missing = next(f for f in result.findings if f.rule_id == "GDPR-AGREEMENT")
    assert missing.message.startswith(
        "Acme GmbH (controller) → UK GDPR Art. 27 Representative Ltd (processor): an Art. 28"
    )
    loaded = load_map([escaped], vocabulary=load_legal_table().vocabulary())
    assert loaded.sources.may_hold("Art.")
    assert "UK GDPR Art. 27 Representative Ltd" in _texts_of(loaded)
    plain = tmp_path / "plain.yaml"
    plain.write_text(escaped.read_text(encoding="utf-8").replace("UK GDPR \\x41rt. 27 ", ""))
    loaded = load_map([plain], vocabulary=load_legal_table().vocabulary())
    assert not loaded.sources.may_hold("Art.")
    assert _texts_of(loaded) == []


def _swiss_map_citing(count: int) -> str:
    """A Swiss map with one processor and no contract, whose categories' descriptions cite
    ``count`` articles."""
    categories = "\n".join(
        f"  - {{id: c{n}, name: C{n}, description: see Art. {n} of the rules}}"
        for n in range(count)
    )
    return (
        "organisation: {id: acme, name: Acme AG, country: CH, regime: CH}\n"
        "parties:\n  - {id: host, name: Host AG, kind: hosting, country: CH, role: processor}\n"
        f"categories:\n{categories}\n"
        "subjects: [{id: customers, name: Customers}]\n"
        "purposes: [{id: club, name: Club}]\n"
        "flows:\n  - {id: f, from: acme, to: host, categories: [c1], subjects: [customers],"
        " purpose: club}\n"
    )


def test_a_map_citing_articles_too_often_is_told_its_findings_keep_the_rules_words(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03t, problem 1: past KEPT_TEXTS_LIMIT texts of the map that
    cite an article, a Swiss finding reads "an Art. 28 contract", as the rule wrote it, and
    nothing said why. The run now warns, once; at the limit it rewords and does not warn."""
    from flowaudit.policies.legal import KEPT_TEXTS_LIMIT

    for count, reworded in ((KEPT_TEXTS_LIMIT, True), (KEPT_TEXTS_LIMIT + 1, False)):
        path = tmp_path / f"map-{count}.yaml"
        path.write_text(_swiss_map_citing(count), encoding="utf-8")
        result = audit_files(path, base=False)
        [agreement] = [f for f in result.findings if f.rule_id == "GDPR-AGREEMENT"]
        said = [w for w in result.warnings if "texts of the map" in w]
        if reworded:
            assert "a revFADP Art. 9(1)-(2) contract is required" in agreement.message
            assert said == []
        else:
            assert "an Art. 28 contract is required" in agreement.message
            assert said == [
                f"{count} texts of the map (names, descriptions, notes) cite an article "
                f'("Art. ..."), more than {KEPT_TEXTS_LIMIT} a message is searched for, so '
                "findings cite the articles as the rules write them (the GDPR's), not as the "
                "organisation's regime cites them; the rules' references still do: write "
                "fewer citations into the map's names and notes"
            ]
