"""reports/ropa.py: one row per purpose with the Art. 30 columns; empty where the map is silent."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import (
    COLUMNS,
    build_ropa,
    render_csv,
    render_html,
    render_markdown,
)
from tests.helpers import FIXTURES, audit_files

TITLES = [
    "Business function",
    "Purpose of processing",
    "Joint controller",
    "Data subjects",
    "Personal data categories",
    "Recipients",
    "Processor contracts and agreements",
    "Third countries",
    "Safeguards for transfers",
    "Retention",
    "Security measures",
    "Art. 6 lawful basis",
    "Art. 9 condition",
    "Art. 10 condition",
    "Legitimate interest pursued",
    "Legitimate interests assessment",
    "Rights available",
    "Automated decisions or profiling",
    "Source of the data",
    "Consent records",
    "Location of the data",
    "DPIA",
    "Flows in the map",
    "Notice clauses",
    "Open findings",
]


@pytest.fixture(scope="module")
def concero() -> AuditResult:
    return audit(AuditRequest([], date(2026, 11, 25)))


def csv_rows(result: AuditResult) -> dict[str, dict[str, str]]:
    text = render_csv(build_ropa(result))
    assert text.startswith("\ufeff"), "Excel reads accents right only with a byte-order mark"
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert reader.fieldnames == TITLES
    return {row["Purpose of processing"]: row for row in reader}


def test_one_row_per_purpose_with_the_art30_columns(concero: AuditResult) -> None:
    assert [title for _, title in COLUMNS] == TITLES
    rows = csv_rows(concero)
    assert len(rows) == 15 == len(concero.loaded.data.purposes)
    assert list(rows)[:2] == [
        "Support as outlined in the SLA (sla_support)",
        "Contractual obligations to the customer (contractual_obligations)",
    ]
    # never in the map: always empty, never invented
    for row in rows.values():
        for silent in ("Business function", "Rights available", "Automated decisions or profiling"):
            assert row[silent] == ""


def test_concero_rows_carry_the_facts_of_the_map(concero: AuditResult) -> None:
    rows = csv_rows(concero)
    sla = rows["Support as outlined in the SLA (sla_support)"]
    # the school-server work is done as the schools' processor: on the Art. 30(2) record only
    # (DPO review v, point 1)
    assert sla["Data subjects"] == "Staff of customer schools and businesses"
    assert sla["Third countries"] == "US; IE"
    assert sla["Safeguards for transfers"] == (
        "US: EU-US Privacy Shield (flow hosting-us) [NOT VALID on 2026-11-25: invalid since "
        "2020-07-16]; "
        "IE: adequacy (DPA 2018 Sch. 21 paras 4-5 (inserted by SI 2019/419); "
        "kept by DUAA 2025 Sch. 9)"
    )
    assert sla["Recipients"].startswith(
        "Third-party MIS support firm (not named) (role not recorded, GB [ASSUMED]); "
        "US hosting provider (not named) (processor, US)"
    )
    assert sla["Art. 6 lawful basis"] == ("Performance of a contract, Art. 6(1)(b)")
    assert sla["Source of the data"] == ""  # the schools send only as controllers to processor
    assert sla["Location of the data"] == "US servers (US); EEA servers (IE); UK servers (GB)"
    calls = rows["Call recording for training and monitoring (call_monitoring)"]
    assert calls["Retention"] == (
        "Call recordings: 30 days (Training and monitoring; kept longer only while an issue "
        "is open (N-PHONE).)"
    )
    assert calls["Security measures"] == (
        "encrypted in transit (every flow); encrypted at rest: Call recordings; "
        "certified: ISO 9001, ISO 27001"
    )
    assert calls["Art. 6 lawful basis"] == "Legitimate interests, Art. 6(1)(f)"
    assert calls["Legitimate interests assessment"] == ""  # none on file: a gap, not "none"
    billing = rows["Orders, billing and payments (orders_billing)"]
    assert billing["Art. 6 lawful basis"] == (
        "billing (as recorded) (flows card-payments); "
        "Performance of a contract, Art. 6(1)(b) (flows orders-and-billing)"
    )
    web = rows["Developing and reviewing web services (web_development)"]
    assert web["Security measures"].startswith("encrypted in transit: flows website-visits;")
    unused = rows["Identifying service users (identify_service_users)"]
    assert {k: v for k, v in unused.items() if v} == {
        "Purpose of processing": "Identifying service users (identify_service_users)",
        "Notice clauses": "N-PURPOSE",
    }


def test_links_to_agreements_assessments_and_consent_records() -> None:
    extra = FIXTURES / "dpo" / "ropa-links.yaml"
    rows = csv_rows(audit_files(extra))
    row = rows["Support (support)"]
    assert row["Processor contracts and agreements"] == (
        # flow to-de gives the data to a joint controller: an Art. 28 contract does not
        # cover that, and the record says so (lawyer review s7, problem 3)
        "dpa-1 (art28_dpa, signed, https://example.invalid/dpa-1.pdf) (an Art. 28 contract: "
        "it does not cover the disclosure to a controller on flow to-de); idta-1 (idta, signed)"
    )
    assert row["Legitimate interests assessment"] == (
        "lia-1, completed 2025-03-01, https://example.invalid/lia.pdf"
    )
    assert row["DPIA"] == "dpia-1"
    # written as free text, not a condition id of the legal table: said so (auditor review
    # 2026-12-03g, problem 9)
    assert row["Art. 9 condition"] == "Art. 9(2)(h) health or social care (as recorded)"
    assert row["Joint controller"] == "German Host"
    assert (
        row["Personal data categories"]
        == "Email (contact.email); Health (health, special category)"
    )
    assert row["Security measures"] == (
        "encrypted in transit: flows to-de; not encrypted in transit: flows to-in"
    )
    assert row["Third countries"] == "DE; IN"
    assert row["Safeguards for transfers"] == (
        "DE: adequacy (DPA 2018 Sch. 21 paras 4-5 (inserted by SI 2019/419); "
        "kept by DUAA 2025 Sch. 9); "
        # the CRITICAL "no transfer risk assessment" holds the transfer unlawful: the cell
        # says so, as the transfers register does (law review y, problem 2)
        "IN: UK International Data Transfer Agreement (flow to-in) [NOT VALID on 2026-11-25: "
        "no transfer risk assessment on file]"
    )
    marketing = rows["Marketing (marketing)"]
    assert marketing["Consent records"] == (
        "consent-1 (web form opt-in, explicit, https://example.invalid/form)"
    )


def test_art10_from_the_flows_and_no_processor_as_a_source() -> None:
    """Review 2026-12-02d, 6, on the newcomer's map (a hospice charity): the Art. 10 column
    was empty although flow dbs-checks records its condition (Art. 9 was filled from the
    flows), and the payroll bureau, the charity's processor, was "the source of the data"
    because it files the RTI returns for it (flow payroll-rti)."""
    result = audit(AuditRequest([str(FIXTURES / "dpo" / "hopewell")], date(2026, 11, 25)))
    flows = {flow.id: flow for flow in result.loaded.data.flows}
    assert flows["dbs-checks"].art10_condition == "employment"
    assert flows["payroll-rti"].source == "paynorth"
    assert {p.id: p.role.value for p in result.loaded.data.parties if p.role}["paynorth"] == (
        "processor"
    )
    rows = csv_rows(result)
    payroll = rows["Paying staff (payroll)"]
    # the conditions by the legal table's names, as the basis column names bases, not the
    # raw ids (auditor review 2026-12-03g, problem 9)
    assert payroll["Art. 9 condition"] == "Art. 9(2)(b) employment, social security"
    assert payroll["Art. 10 condition"] == (
        "Employment, social security and social protection (DPA 2018 Sch. 1 para 1)"
    )
    assert payroll["Source of the data"] == ""
    assert "payroll-rti" in payroll["Flows in the map"].split("; ")
    # HMRC still receives the data, through the processor
    assert "HM Revenue & Customs (controller, GB)" in payroll["Recipients"].split("; ")
    fundraising = rows["Recording donations and claiming Gift Aid (fundraising)"]
    assert fundraising["Art. 10 condition"] == ""
    markdown = render_markdown(build_ropa(result))
    header = next(line for line in markdown.splitlines() if line.startswith("| Business"))
    row = next(line for line in markdown.splitlines() if "Paying staff" in line)
    cells = dict(zip(header.split(" | "), row.split(" | "), strict=True))
    assert cells["Art. 10 condition"] == (
        "Employment, social security and social protection (DPA 2018 Sch. 1 para 1)"
    )
    assert cells["Source of the data"] == ""


def test_a_source_that_is_not_a_processor_is_kept(tmp_path: Path) -> None:
    """Only the organisation's processors are left out: data a controller sends in (a
    referral from another party) still names its source."""
    hopewell = FIXTURES / "dpo" / "hopewell"
    referral = tmp_path / "referral.yaml"
    referral.write_text(
        "parties:\n"
        "  - {id: gp, name: Riverside Surgery, kind: gp_practice, country: GB,"
        " role: controller}\n"
        "flows:\n"
        "  - {id: gp-referral, from: gp, to: hopewell, categories: [contact.name],"
        " subjects: [staff], purpose: payroll, basis: legal_obligation}\n",
        encoding="utf-8",
    )
    result = audit(AuditRequest([str(hopewell), str(referral)], date(2026, 11, 25)))
    row = csv_rows(result)["Paying staff (payroll)"]
    assert row["Source of the data"] == ("Riverside Surgery")


def test_markdown_is_a_table_with_pipes_escaped() -> None:
    text = render_markdown(build_ropa(audit_files(FIXTURES / "dpo" / "escaping.yaml")))
    lines = text.splitlines()
    assert lines[0] == "# Record of processing activities (UK GDPR Art. 30(1))"
    assert lines[5] == "| " + " | ".join(TITLES) + " |"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 4  # header, rule, purposes support, marketing, profiling, scripted
    assert all(line.count(" | ") == len(TITLES) - 1 for line in table[2:])
    assert "<script>" not in text
    assert "\\<script\\>alert(1)\\</script\\> &amp; co \\| pipe (scripted)" in text


def test_html_escapes_map_text() -> None:
    html = render_html(build_ropa(audit_files(FIXTURES / "dpo" / "escaping.yaml")))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co | pipe (scripted)" in html
    assert (
        "<li>Evil &#34;Quote&#34; \\N back\\slash &lt;b&gt;bold&lt;/b&gt; (processor, FR)</li>"
        in html
    )
    assert html.count('<tr id="activity-') == 4


def test_a_recorded_safeguard_not_in_place_says_so_and_what_the_transfer_rests_on(
    tmp_path: Path,
) -> None:
    """An IDTA named for a transfer to the EEA (adequate) with no IDTA and no risk assessment
    on file: the safeguards cell says it is not in place and names the adequacy, instead of
    "DE: UK International Data Transfer Agreement (flow idta-named)" as if it were in place
    (DPO review 2026-12-02g, problem 3, scenario s37e). One in place prints as before."""
    named = tmp_path / "named.yaml"
    named.write_text(
        "agreements:\n"
        "  - {id: de-idta, kind: idta, parties: [acme, de-host], status: signed,"
        " signed_on: 2024-01-01, categories: [contact]}\n"
        "assessments:\n"
        "  - {id: de-tra, kind: transfer_risk, completed_on: 2026-03-01}\n"
        "purposes:\n"
        "  - {id: hosting, name: Hosting}\n"
        "flows:\n"
        "  - {id: idta-named, from: acme, to: de-host, categories: [contact], subjects: [staff],"
        " purpose: support, basis: contract, transfer_mechanism: idta}\n"
        "  - {id: idta-real, from: acme, to: de-host, categories: [contact], subjects: [staff],"
        " purpose: hosting, basis: contract, transfer_mechanism: idta,"
        " transfer_agreement: de-idta, assessments: [de-tra]}\n",
        encoding="utf-8",
    )
    result = audit_files(named)
    assert [
        (f.element, f.code, f.severity.value)
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER"
    ] == [(("flows", "idta-named"), "recorded-safeguard-not-in-place", "medium")]
    rows = csv_rows(result)
    assert rows["Support (support)"]["Safeguards for transfers"] == (
        "DE: UK International Data Transfer Agreement (flow idta-named) [NOT IN PLACE on "
        "2026-11-25: see the findings; the transfer rests on adequacy (DPA 2018 Sch. 21 paras "
        "4-5 (inserted by SI 2019/419); kept by DUAA 2025 Sch. 9)]"
    )
    assert rows["Hosting (hosting)"]["Safeguards for transfers"] == (
        "DE: UK International Data Transfer Agreement (flow idta-real); "
        "transfer risk assessment de-tra, completed 2026-03-01 (flow idta-real)"
    )


def test_an_assessment_is_marked_under_a_purpose_it_does_not_weigh(tmp_path: Path) -> None:
    """Auditor review 2026-12-03g, problem 9: the record listed an LIA written for
    fundraising as the "Legitimate interests assessment" of Gift Aid, while the check said it
    weighs only fundraising. It is still listed (the flow links it) and says it does not
    weigh this purpose; under the purpose it weighs it reads as before."""
    extra = tmp_path / "lia.yaml"
    extra.write_text(
        "assessments:\n"
        "  - {id: lia-f, kind: legitimate_interests, completed_on: 2025-03-01,"
        " evidence: LIA.docx, purposes: [support]}\n"
        "flows:\n"
        "  - {id: for-support, from: acme, to: acme-db, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: legitimate_interests, assessment: lia-f}\n"
        "  - {id: for-marketing, from: acme, to: acme-db, categories: [contact.email],"
        " subjects: [staff], purpose: marketing, basis: legitimate_interests, assessment: lia-f}\n",
        encoding="utf-8",
    )
    rows = csv_rows(audit_files(extra))
    assert rows["Support (support)"]["Legitimate interests assessment"] == (
        "lia-f, completed 2025-03-01, LIA.docx"
    )
    assert rows["Marketing (marketing)"]["Legitimate interests assessment"] == (
        "lia-f, completed 2025-03-01, LIA.docx (linked, but it weighs only support, not this"
        " purpose)"
    )


OWN_STORES_ABROAD = """\
parties:
systems:
  - {id: in-files, name: Indian branch files, owner: acme, country: IN, categories: [contact]}
  - {id: de-files, name: German branch files, owner: acme, country: DE, categories: [contact]}
flows:
  - {id: to-in-files, from: acme, to: in-files, categories: [contact], subjects: [staff],
     purpose: support, basis: contract}
  - {id: to-de-files, from: acme, to: de-files, categories: [contact], subjects: [staff],
     purpose: support, basis: contract}
  - {id: to-vendor, from: acme, to: in-vendor, categories: [contact], subjects: [staff],
     purpose: support, basis: contract}
"""


def test_an_own_store_abroad_is_no_third_country_transfer(tmp_path: Path) -> None:
    """Auditor review 2026-12-03o, problem 4: the record listed the organisation's own store
    abroad as a third-country transfer, with an adequacy safeguard (to an adequate country)
    or an empty one (to India), where check, the transfers register and map-format.md say it
    is none (one legal person, the legal table's same_legal_person). Only the transfer to
    another party is listed now; the stores' countries stay under
    "Location of the data"."""
    extra = tmp_path / "own-stores.yaml"
    extra.write_text(OWN_STORES_ABROAD, encoding="utf-8")
    result = audit_files(extra)
    row = csv_rows(result)["Support (support)"]
    assert row["Third countries"] == "IN"
    # the one transfer, to the vendor, has no safeguard, and says so (auditor review
    # 2026-12-03u, problem 10); the own stores abroad are no transfer
    assert row["Safeguards for transfers"] == (
        "IN: NO SAFEGUARD for 1 transfer (flow to-vendor): no adequacy on 2026-11-25 and no"
        " transfer mechanism"
    )
    assert row["Flows in the map"] == "to-in-files; to-de-files; to-vendor"
    assert row["Location of the data"] == "Indian branch files (IN); German branch files (DE)"


def test_a_transfers_safeguard_is_the_exporters_and_a_transfer_with_none_is_said(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03u, problems 7 and 10. (7) A Swiss party's flow to France was
    given the UK's adequacy text beside the Swiss row's UNCONFIRMED mark: the cell now gives
    the Swiss exporter's row, as the transfer rules judge it, and names the exporter. (10) A
    transfer with no safeguard at all got nothing in the cell, so a country with one valid
    transfer and many unsafeguarded ones read as covered: each such country is now counted,
    with its flows."""
    path = tmp_path / "map.yaml"
    path.write_text(
        "parties:\n"
        "  - {id: ch-proc, name: Swiss Processor, kind: hosting, country: CH, role: processor}\n"
        "  - {id: fr-proc, name: French Processor, kind: hosting, country: FR, role: processor}\n"
        "purposes:\n"
        "  - {id: hosting, name: Hosting}\n"
        "flows:\n"
        "  - {id: to-ch, from: acme, to: ch-proc, categories: [contact], subjects: [staff],"
        " purpose: hosting, basis: contract}\n"
        "  - {id: ch-to-fr, from: ch-proc, to: fr-proc, categories: [contact], subjects: [staff],"
        " purpose: hosting, basis: contract}\n"
        + "".join(
            f"  - {{id: to-in-{i}, from: acme, to: in-vendor, categories: [contact],"
            " subjects: [staff], purpose: hosting, basis: contract}\n"
            for i in range(7)
        ),
        encoding="utf-8",
    )
    result = audit_files(path)
    no_mechanism = sorted(
        f.element[1]
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER" and f.code == "no-mechanism"
    )
    assert no_mechanism == [f"to-in-{i}" for i in range(7)]
    cell = csv_rows(result)["Hosting (hosting)"]["Safeguards for transfers"]
    entries = cell.split("; ")
    french = [e for e in entries if e.startswith("FR:")]
    assert len(french) == 1 and "DPA 2018" not in french[0], cell
    assert "(exporter Swiss Processor, under CH law, flow ch-to-fr)" in french[0]
    assert (
        "IN: NO SAFEGUARD for 7 transfers (flow to-in-0, to-in-1, to-in-2, to-in-3, to-in-4,"
        " and 2 more): no adequacy on 2026-11-25 and no transfer mechanism"
    ) in entries
