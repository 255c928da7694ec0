"""The record of processing: every fact the map states, both Art. 30 records, flagged
safeguards and open findings per row, and the CSV, HTML and xlsx exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import (
    COLUMNS,
    PROCESSOR_COLUMNS,
    build_ropa,
    render_csv,
    render_html,
    render_markdown,
)
from flowaudit.reports.ropa_xlsx import CONTROLLER_SHEET, PROCESSOR_SHEET, render_xlsx
from tests.helpers import audit_files, concero_with, run

SHOP = Path(__file__).parent.parent.parent / "model" / "examples" / "shop"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def shop() -> AuditResult:
    return audit(AuditRequest([str(SHOP)], AS_OF))


@pytest.fixture(scope="module")
def concero() -> AuditResult:
    return audit(AuditRequest([], AS_OF))


def _row(result: AuditResult, purpose: str) -> dict[str, str]:
    row = next(r for r in build_ropa(result).rows if r.purpose_id == purpose)
    return {title: row.text(key) for key, title in COLUMNS}


def test_the_map_states_every_ropa_fact(shop: AuditResult) -> None:
    payments = _row(shop, "payments")
    assert payments["Business function"] == "Finance"
    assert payments["Rights available"] == "access; rectification"
    assert payments["Automated decisions or profiling"] == (
        "Payfast scores each card payment for fraud and may refuse it (Art. 22)"
    )
    assert payments["DPIA"] == "DPIA-2024-02 card payments"
    assert payments["Source of the data"] == "Customers, at checkout"
    assert payments["Retention"] == "Six years after the order (HMRC)"
    assert payments["Open findings"] == ""
    facts = dict(build_ropa(shop).facts)
    assert facts["Controller"] == "Shopwave Ltd"
    assert facts["Controller contact email"] == "hello@shopwave.example"
    assert facts["Data protection officer name"] == "Priya Shah (privacy lead)"
    assert facts["Representative name"] == ""
    assert facts["Privacy notice"] == "https://shopwave.example/privacy"
    assert (facts["Record version"], facts["Record owner"], facts["Next review"]) == (
        "1.3",
        "Priya Shah, privacy lead",
        "2027-03-01",
    )


def test_purpose_facts_reach_their_columns(tmp_path: Path) -> None:
    extra = tmp_path / "map.yaml"
    extra.write_text(
        """\
parties:
  - {id: partner, name: Partner Shop, kind: retailer, country: GB, role: joint_controller}
purposes:
  - id: fraud
    name: Preventing fraud
    joint_controllers: [partner]
    legitimate_interest: Stopping stolen cards being used
    art9_condition: none
    art10_condition: DPA 2018 Sch. 1 para 10
flows:
  - {id: f, from: acme, to: partner, categories: [contact], subjects: [staff], purpose: fraud,
     basis: legitimate_interests}
""",
        encoding="utf-8",
    )
    row = _row(audit_files(extra), "fraud")
    assert row["Joint controller"] == "Partner Shop"
    assert row["Legitimate interest pursued"] == "Stopping stolen cards being used"
    assert row["Art. 10 condition"] == "DPA 2018 Sch. 1 para 10"
    # each open finding leads with its id, as the findings register names it (auditor
    # review 2026-12-03y, problem 1)
    assert row["Open findings"].startswith("F-192abd4ce1 GDPR-AGREEMENT (high, flows/f): ")


def test_invalid_safeguards_are_flagged_and_rows_link_their_findings(
    concero: AuditResult,
) -> None:
    sla = _row(concero, "sla_support")
    assert (
        "US: EU-US Privacy Shield (flow hosting-us) [NOT VALID on 2026-11-25: invalid "
        in (sla["Safeguards for transfers"])
    )
    assert (
        "GDPR-TRANSFER (critical, flows/hosting-us): EU-US Privacy Shield is invalid since "
        "2020-07-16" in sla["Open findings"]
    )
    helpdesk = _row(concero, "customer_support")["Safeguards for transfers"]
    assert "[NOT VALID: not a transfer mechanism]" in helpdesk


def test_processor_record_lists_each_controller_processed_for(concero: AuditResult) -> None:
    rows = build_ropa(concero).processor_rows
    assert [r.purpose_id for r in rows] == ["customer-schools"]
    row = {title: rows[0].text(key) for key, title in PROCESSOR_COLUMNS}
    assert row["Controller (processing on its behalf)"] == "Customer schools (GB)"
    assert row["Categories of processing"] == "Support as outlined in the SLA"
    assert row["Data subjects"] == (
        "Staff of customer schools and businesses; Pupils; Students; Parents"
    )
    # read from whose data a flow carries, as GDPR-PROCESSOR names them: Zendesk first (DPO
    # review w, problem 3: chosen by purpose id, the record left it out); its assumed US is
    # not given beside the hosts' US
    assert row["Sub-processors"].startswith(
        "Zendesk, Inc. (US [ASSUMED], flow helpdesk-tickets); Third-party MIS support firm "
        "(not named) (GB [ASSUMED], "
    )
    assert row["Third countries"] == "US; IE"
    assert "CONCERO-PUPILS (critical, flows/school-server-work)" in row["Open findings"]
    processor_csv = run(
        ["ropa", "--as-of", "2026-11-25", "--format", "csv", "--record", "processor"]
    )
    table = list(csv.reader(io.StringIO(processor_csv.stdout.removeprefix("\ufeff"))))
    assert table[0] == [title for _, title in PROCESSOR_COLUMNS]
    assert len(table) == 2


HOSTILE = """\
purposes:
  - {id: evil, name: "=HYPERLINK(\\"http://x.invalid\\",\\"click\\")", business_function: "+1-2",
     source: "@SUM(A1)", retention: "-5 days", dpia: "Café résumé"}
"""


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    extra = tmp_path / "map.yaml"
    extra.write_text(HOSTILE, encoding="utf-8")
    text = render_csv(build_ropa(audit_files(extra)))
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    evil = next(r for r in rows if r["Purpose of processing"].endswith("(evil)"))
    assert evil["Purpose of processing"] == '\'=HYPERLINK("http://x.invalid","click") (evil)'
    assert evil["Business function"] == "'+1-2"
    assert evil["Source of the data"] == "'@SUM(A1)"
    assert evil["Retention"] == "'-5 days"
    assert evil["DPIA"] == "Café résumé"
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_xlsx_is_the_ico_layout_with_text_cells_and_same_bytes(
    tmp_path: Path, shop: AuditResult
) -> None:
    extra = tmp_path / "map.yaml"
    extra.write_text(HOSTILE, encoding="utf-8")
    record = build_ropa(audit_files(extra))
    data = render_xlsx(record)
    assert data == render_xlsx(record), "two runs give the same bytes"
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [CONTROLLER_SHEET, PROCESSOR_SHEET]
    sheet = workbook[CONTROLLER_SHEET]
    assert sheet["A1"].value.startswith("Record of processing activities (UK GDPR Art. 30(1))")
    assert (sheet["A3"].value, sheet["B3"].value) == ("Controller", "Acme Ltd")
    header = 3 + len(record.facts) + 1
    titles = [sheet.cell(row=header, column=i + 1).value for i in range(len(COLUMNS))]
    assert titles == [title for _, title in COLUMNS]
    evil = next(
        n
        for n in range(header + 1, sheet.max_row + 1)
        if str(sheet.cell(row=n, column=2).value).endswith("(evil)")
    )
    cell = sheet.cell(row=evil, column=2)
    assert cell.value == '=HYPERLINK("http://x.invalid","click") (evil)'
    assert cell.data_type == "s", "stored as text, not as a formula"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 8  # A3 in the OOXML paper size table
    shop_record = build_ropa(shop)
    shop_book = load_workbook(io.BytesIO(render_xlsx(shop_record)))
    # the shop processes for no one: its processor sheet says so, with no empty table (see
    # test_xlsx_processor_sheet_of_a_controller_processing_for_no_one_says_so)
    processor = shop_book[PROCESSOR_SHEET]
    assert processor["A3"].value == "The map records no processing on behalf of another controller."


def test_xlsx_processor_sheet_names_the_processor_and_its_controllers(
    concero: AuditResult,
) -> None:
    """Auditor review 2026-12-03o, problem 3: the Art. 30(2) sheet labelled the organisation
    "Controller", with "Controller contact" rows, where it is the processor. The sheet now
    names it the processor and, below, each controller it acts for (Art. 30(2)(a)); the
    Art. 30(1) sheet still names it the controller."""
    book = load_workbook(io.BytesIO(render_xlsx(build_ropa(concero))))
    processor = book[PROCESSOR_SHEET]
    head = [
        (processor.cell(row=n, column=1).value, processor.cell(row=n, column=2).value)
        for n in range(1, 14)
    ]
    # each controller's contact details (Art. 30(2)(a)) have a row, empty where the map has
    # none; the processor's are Concero's own from the notice (DPO review w, problem 7)
    assert head == [
        ("Record of processing activities (UK GDPR Art. 30(2)): processor", None),
        (None, None),
        ("Processor", "Concero Technology Services"),
        ("Controllers it processes for", "Customer schools (GB)"),
        ("Contact of Customer schools", None),
        ("Country", "GB"),
        ("Regime", "UK"),
        (
            "Description",
            "IT services for schools and SMEs, Wolverhampton (UK company 06673066)",
        ),
        ("Processor contact name", "Concero Technology Services"),
        ("Processor contact email", "enquiries@concerouk.com"),
        ("Processor contact phone", "0333 111 0004"),
        ("Processor contact address", "303 Tettenhall Road, Wolverhampton, WV6 0LB"),
        ("Data protection officer name", None),
    ]
    labels = [processor.cell(row=n, column=1).value for n in range(1, processor.max_row + 1)]
    assert not [label for label in labels if label and label.startswith("Controller contact")]
    controller = book[CONTROLLER_SHEET]
    assert (controller["A3"].value, controller["B3"].value) == (
        "Controller",
        "Concero Technology Services",
    )
    assert controller["A7"].value == "Controller contact name"


def test_xlsx_needs_an_output_file(tmp_path: Path) -> None:
    refused = run(["ropa", "--format", "xlsx"])
    assert refused.exit_code == 2
    assert "--format xlsx needs --out FILE.xlsx" in refused.output
    out = tmp_path / "ropa.xlsx"
    assert run(["ropa", "--format", "xlsx", "--out", str(out)]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_html_prints_every_column_landscape_on_a3(concero: AuditResult) -> None:
    html = render_html(build_ropa(concero))
    assert "@page { size: A3 landscape; margin: 8mm; }" in html
    assert "table.record { width: 100%; table-layout: fixed; }" in html
    assert html.count('<th scope="col">') == len(COLUMNS) + len(PROCESSOR_COLUMNS)
    assert "Processor record (Art. 30(2))" in html
    assert '<tr id="controller-customer-schools">' in html


def _xlsx_values(tmp_path: Path, name: str, business_function: str) -> list[str]:
    """Every cell of the ROPA workbook's controller sheet, for a purpose named ``name`` with
    ``business_function`` (both YAML double-quoted text, escapes included)."""
    extra = tmp_path / "map.yaml"
    extra.write_text(
        f'purposes:\n  - {{id: ctl, name: "{name}", business_function: "{business_function}"}}\n',
        encoding="utf-8",
    )
    workbook = load_workbook(io.BytesIO(render_xlsx(build_ropa(audit_files(extra)))))
    return [str(c.value) for row in workbook[CONTROLLER_SHEET].iter_rows() for c in row]


def test_xlsx_takes_control_characters_shown_not_raw(tmp_path: Path) -> None:
    values = _xlsx_values(tmp_path, "Red \\e[31m alert", "a\\x07b")
    assert "Red \\x1b[31m alert (ctl)" in values
    assert "a\\x07b" in values


def test_xlsx_shows_a_carriage_return_and_invisible_characters_too(tmp_path: Path) -> None:
    """A raw CR and a zero-width space reached the cell XML (legal XML, so not caught by
    openpyxl's illegal-character check) while every other output escapes them (attack
    review 2026-12-02i, side note)."""
    values = _xlsx_values(tmp_path, "Over\\rwritten", "a\\u200bb")
    assert "Over\\rwritten (ctl)" in values
    assert "a\\u200bb" in values


def test_an_xlsx_cell_never_drops_a_fact_in_silence() -> None:
    """Attack review 2026-12-03l, problem 4: Excel holds 32,767 characters in a cell, and
    openpyxl cut the rest without a word: four supplier names of 9,000 characters pushed a
    Russian data broker out of the Recipients cell. Each fact is shortened past 1,000
    characters, saying so; facts that still do not fit are counted in a last line."""
    from flowaudit.reports.ropa_xlsx import CELL_LIMIT, _fitted

    names = [f"Supplier{i} " * 900 for i in range(4)]
    cell = _fitted([*names, "ListCo OOO (data broker, RU)"])
    assert len(cell) <= CELL_LIMIT
    lines = cell.split("\n")
    assert lines[-1] == "ListCo OOO (data broker, RU)"
    assert lines[0].endswith(f"... ({len(names[0]) - 1000:,} more characters)")
    many = _fitted([f"{i:04d} " + "x" * 995 for i in range(40)])
    assert len(many) <= CELL_LIMIT
    assert many.split("\n")[-1] == (
        "... and 8 more not shown (an Excel cell holds 32,767 characters): see the CSV or "
        "Markdown record"
    )
    assert many.split("\n")[-2].startswith("0031 ")


def test_xlsx_processor_sheet_of_a_controller_processing_for_no_one_says_so(
    shop: AuditResult,
) -> None:
    """Auditor review 2026-12-03p, problem 9: a controller that processes for no one got a
    "Processor record" sheet naming it ``Processor`` with its contact rows above an empty
    table, where the Markdown says "The map records no processing on behalf of another
    controller". The sheet now says that, and nothing else."""
    record = build_ropa(shop)
    assert record.processor_rows == ()
    processor = load_workbook(io.BytesIO(render_xlsx(record)))[PROCESSOR_SHEET]
    cells = [
        (cell.coordinate, cell.value)
        for row in processor.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert cells == [
        ("A1", "Record of processing activities (UK GDPR Art. 30(2)): processor"),
        ("A3", "The map records no processing on behalf of another controller."),
    ]


def test_the_record_keeps_the_assumed_marks_of_a_country_and_a_condition(
    concero: AuditResult, tmp_path: Path
) -> None:
    """Auditor review 2026-12-03p, problem 13: the transfers register prints Concero's
    helpdesk destination "US ASSUMED" and Canada's adequacy "condition ASSUMED", but the
    record gave "Third countries = US", "Location of the data = Concero Zendesk portal (US)"
    and "CA: adequacy (Commission Decision 2002/2/EC (PIPEDA-covered organisations))" flat."""
    support = _row(concero, "customer_support")
    assert support["Third countries"] == "US [ASSUMED]"
    assert support["Location of the data"] == "Concero Zendesk portal (US, ASSUMED)"
    canada = tmp_path / "canada.yaml"
    canada.write_text(
        "organisation: {id: ceol, name: Ceol Teoranta, country: IE, regime: EU, dsar_days: 28}\n"
        "parties:\n"
        "  - {id: maple, name: Maple Mail Inc., kind: email, country: CA, role: processor}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: customers, name: Customers, party_to_contract: true}]\n"
        "purposes: [{id: newsletter, name: Newsletter}]\n"
        "flows:\n"
        "  - {id: newsletter-list, from: ceol, to: maple, categories: [contact],"
        " subjects: [customers], purpose: newsletter, basis: contract}\n",
        encoding="utf-8",
    )
    row = _row(audit_files(canada, as_of="2026-11-25", base=False), "newsletter")
    assert row["Third countries"] == "CA"
    assert row["Safeguards for transfers"] == (
        "CA: adequacy (Commission Decision 2002/2/EC (PIPEDA-covered organisations))"
        " [condition ASSUMED: applies only to an importer subject to PIPEDA for this data (an"
        " organisation handling it in the course of commercial activity; not a public body, nor"
        " data PIPEDA does not cover), which the map cannot show]"
    )


SWISS_RECORD = (
    "organisation: {id: alp, name: Alpenblick AG, country: CH, regime: CH, dsar_days: 30}\n"
    "parties:\n"
    "  - {id: mailus, name: MailBlast Inc., kind: email, country: US, role: processor,"
    " listed_under: [swiss_us_dpf]}\n"
    "categories: [{id: contact, name: Contact}]\n"
    "subjects: [{id: patients, name: Patients}]\n"
    "purposes: [{id: reminders, name: Reminders}, {id: billing, name: Billing}]\n"
    "flows:\n"
    "  - {id: reminder-list, from: alp, to: mailus, categories: [contact],"
    " subjects: [patients], purpose: reminders}\n"
)
GDPR_ONLY = [
    "Art. 6 lawful basis",
    "Art. 9 condition",
    "Art. 10 condition",
    "Legitimate interest pursued",
    "Legitimate interests assessment",
]


def test_a_swiss_record_leaves_out_the_columns_revfadp_art_12_2_does_not_ask(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03s, problem 9: the Swiss record of processing, headed "revFADP
    Art. 12(2)", kept five GDPR-only columns (Art. 6 lawful basis, Art. 9 and Art. 10
    conditions, legitimate interest pursued, legitimate interests assessment), empty for a
    Swiss map and read as gaps. Art. 12(2) asks none of them (the legal table's CH
    jurisdiction does not judge the GDPR's Art. 6(1) and 9(2) lists, and has no Art. 10
    condition): they are left out of the md, csv, html and xlsx record; one a Swiss map fills
    anyway is kept, named the GDPR's. A UK record keeps every column."""
    swiss = tmp_path / "swiss" / "map.yaml"
    swiss.parent.mkdir()
    swiss.write_text(SWISS_RECORD, encoding="utf-8")
    ropa = build_ropa(audit_files(swiss, base=False))
    kept = [title for key, title in COLUMNS if title not in GDPR_ONLY]
    assert [title for _, title in ropa.columns] == kept
    header = render_csv(ropa).lstrip("\ufeff").splitlines()[0]
    assert header == ",".join(kept)
    html = render_html(ropa)
    assert "Legitimate interest" not in html and "Art. 6 lawful basis" not in html
    # the controller's table only: the map records no processing for another controller
    assert html.count('<th scope="col">') == len(kept)
    sheet = load_workbook(io.BytesIO(render_xlsx(ropa)))[CONTROLLER_SHEET]
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v]
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == kept[0])
    assert [v for v in header_row if v] == kept
    assert not set(GDPR_ONLY) & set(values)
    out = tmp_path / "swiss.md"
    assert run(["ropa", str(swiss.parent), "--format", "md", "--out", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Record of processing activities (revFADP Art. 12(2))"
    assert lines[5] == "| " + " | ".join(kept) + " |"
    # a basis the Swiss map records anyway is not dropped: its column says whose law asks it
    swiss.write_text(
        SWISS_RECORD.replace("purpose: reminders}", "purpose: reminders, basis: consent}"),
        encoding="utf-8",
    )
    filled = build_ropa(audit_files(swiss, base=False))
    named = [title for _, title in filled.columns if title not in kept]
    assert named == ["Art. 6 lawful basis (the GDPR's; not asked by revFADP Art. 12(2))"]
    # a UK record is unchanged: every column, in the ICO template's order
    british = tmp_path / "uk.yaml"
    british.write_text(
        SWISS_RECORD.replace("country: CH, regime: CH", "country: GB, regime: UK"),
        encoding="utf-8",
    )
    assert build_ropa(audit_files(british, base=False)).columns == COLUMNS


def test_the_records_us_adequacy_says_listed_importers_only(tmp_path: Path) -> None:
    """Auditor review 2026-12-03s, problem 12: the record's "Safeguards for transfers" for the
    US said "US: adequacy (...)", though the UK Extension and the Swiss-US DPF cover listed
    importers only (FACTS.md). The cell names the listing, as the finding and the legal table
    do; an adequacy for a whole country (the EEA) is as before."""
    swiss = tmp_path / "swiss.yaml"
    swiss.write_text(SWISS_RECORD, encoding="utf-8")
    row = next(r for r in build_ropa(audit_files(swiss, base=False)).rows)
    assert row.text("safeguards") == (
        "US: adequacy for importers listed under swiss_us_dpf only (Swiss Federal Council"
        " decision of 14 August 2024 (amendment of the Data Protection Ordinance, Annex 1, in"
        " force 15 September 2024))"
    )
    british = tmp_path / "uk.yaml"
    british.write_text(
        SWISS_RECORD.replace("country: CH, regime: CH", "country: GB, regime: UK")
        .replace("swiss_us_dpf", "uk_extension")
        .replace("purpose: reminders}", "purpose: reminders, basis: contract}"),
        encoding="utf-8",
    )
    row = next(r for r in build_ropa(audit_files(british, base=False)).rows)
    assert row.text("safeguards") == (
        "US: adequacy for importers listed under uk_extension only (The Data Protection"
        " (Adequacy) (United States of America) Regulations 2023, SI 2023/1028)"
    )


def test_processing_as_processor_is_on_the_art30_2_record_only(
    concero: AuditResult, tmp_path: Path
) -> None:
    """DPO review v, point 1: the Art. 30(1) record (the controller's) listed the school-server
    work Concero does as the schools' processor, with pupils and the schools' network data,
    under "Support as outlined in the SLA". It is on the Art. 30(2) record only; the row keeps
    Concero's own processing for the purpose (staff contacts to its hosts and MIS firm), and
    a purpose with only processing as processor has no controller's row, in every format."""
    ropa = build_ropa(concero)
    sla = _row(concero, "sla_support")
    assert sla["Flows in the map"] == "mis-third-party-support; hosting-us; hosting-eea; hosting-uk"
    assert sla["Data subjects"] == "Staff of customer schools and businesses"
    assert "customer_network" not in sla["Personal data categories"]
    assert "flows/school-server-work" not in sla["Open findings"]
    controller_flows = {f for row in ropa.rows for f in row.cells["flows"]}
    (school,) = ropa.processor_rows
    assert school.cells["flows"][0] == "school-server-work"
    assert "school-server-work" not in controller_flows
    markdown = render_markdown(ropa)
    controller_part, processor_part = markdown.split("## Record of processing as processor")
    assert "school-server-work" not in controller_part
    assert "| Customer schools (GB) | Support as outlined in the SLA |" in processor_part
    # a purpose whose only flow is the intake: no row on the controller's record, one on the
    # processor's; in HTML and xlsx too
    extra = (
        "purposes:\n  - {id: recovery, name: Server recovery for schools, notice: N-PURPOSE}\n"
        "flows:\n  - {id: recovery-intake, from: customer-schools, to: concero,"
        " categories: [customer_network], subjects: [pupils], purpose: recovery,"
        " recipient_role: processor, encrypted_in_transit: true, notice: N-INSTALL}\n"
    )
    result = audit(AuditRequest([concero_with(tmp_path, extra)], date(2026, 11, 25)))
    record = build_ropa(result)
    assert "recovery" not in [row.purpose_id for row in record.rows]
    assert next(row.purpose_id for row in record.rows) == "sla_support"
    (school,) = record.processor_rows
    assert school.cells["processing"] == (
        "Support as outlined in the SLA",
        "Server recovery for schools",
    )
    html = render_html(record)
    assert html.count("Server recovery for schools") == 1
    book = load_workbook(io.BytesIO(render_xlsx(record)))
    cells = {
        name: [str(c) for row in book[name].iter_rows(values_only=True) for c in row if c]
        for name in (CONTROLLER_SHEET, PROCESSOR_SHEET)
    }
    assert not any("Server recovery for schools" in c for c in cells[CONTROLLER_SHEET])
    assert any("Server recovery for schools" in c for c in cells[PROCESSOR_SHEET])


#: The shipped map's HIGH finding on a subject: contract is not open to customers' staff.
CONTRACT_OUTSIDERS = (
    "F-c3c93ecd60 GDPR-BASIS (high, via subjects/customer_staff): Staff of customer schools "
    "and businesses are not party to the contract, yet 13 flows rest on contract (Art. "
    "6(1)(b)) for them (collect-school-contacts, collect-sme-contacts, helpdesk-tickets, "
    "hosting-eea, hosting-uk, hosting-us, installation-helper, isp-provisioning, "
    "mis-third-party-support, orders-and-billing, portal-updates, procurement-quotes, "
    "training-accreditation): use legitimate interests (Art. 6(1)(f)) with a legitimate "
    "interests assessment, or record party_to_contract: true where they are the customer"
)


def test_a_finding_on_a_subject_is_open_on_the_rows_of_the_flows_it_judges(
    concero: AuditResult, tmp_path: Path
) -> None:
    """Auditor review 2026-12-03y, problem 1: the record keyed findings by element, so the HIGH
    finding on subjects/customer_staff (13 flows cannot rest on contract) reached no row, and
    the rows giving "Performance of a contract, Art. 6(1)(b)" as the basis of those flows said
    nothing was open (fraud_and_accuracy's cell was empty). Each row whose flows the finding
    judges names it, once, marked "via" its element, in CSV, Markdown, HTML and xlsx alike;
    a row with none of its flows does not."""
    ropa = build_ropa(concero)
    fraud = _row(concero, "fraud_and_accuracy")
    assert fraud["Flows in the map"] == "portal-updates"
    assert fraud["Art. 6 lawful basis"] == "Performance of a contract, Art. 6(1)(b)"
    assert fraud["Open findings"] == CONTRACT_OUTSIDERS
    named = {row.purpose_id: row.cells["findings"].count(CONTRACT_OUTSIDERS) for row in ropa.rows}
    # the seven rows whose basis is contract for the staff, each once (contractual_obligations
    # has four of the 13 flows)
    assert {purpose for purpose, count in named.items() if count} == {
        "sla_support",
        "contractual_obligations",
        "customer_support",
        "orders_billing",
        "fraud_and_accuracy",
        "training_accreditation",
        "procurement",
    }
    assert set(named.values()) == {0, 1}
    # a finding on the row's own flow names its id too, unmarked
    assert _row(concero, "customer_support")["Open findings"].startswith(
        "F-27ac6164a2 GDPR-TRANSFER (critical, flows/helpdesk-tickets): "
    )
    csv_text = run(["ropa", "--as-of", "2026-11-25", "--format", "csv"]).stdout
    table = csv.DictReader(io.StringIO(csv_text.removeprefix("\ufeff")))
    csv_fraud = next(
        r for r in table if r["Purpose of processing"].endswith("(fraud_and_accuracy)")
    )
    assert csv_fraud["Open findings"] == CONTRACT_OUTSIDERS
    markdown_row = next(
        line for line in render_markdown(ropa).splitlines() if "(fraud_and_accuracy)" in line
    )
    assert markdown_row.endswith(f"| portal-updates | N-PURPOSE; N-ACCESS | {CONTRACT_OUTSIDERS} |")
    # the Art. 30(2) row lists Concero's flows done for the schools, five of which it judges
    (school,) = ropa.processor_rows
    assert school.cells["findings"].count(CONTRACT_OUTSIDERS) == 1
    controller_html, processor_html = render_html(ropa).split("<h2>Processor record")
    assert controller_html.count(CONTRACT_OUTSIDERS) == 7
    assert processor_html.count(CONTRACT_OUTSIDERS) == 1
    book = load_workbook(io.BytesIO(render_xlsx(ropa)))
    sheet = book[CONTROLLER_SHEET]
    fraud_cells = next(
        row
        for row in sheet.iter_rows(values_only=True)
        if str(row[1]).endswith("(fraud_and_accuracy)")
    )
    assert fraud_cells[-1] == CONTRACT_OUTSIDERS


def test_the_markdown_record_gives_contact_emails_as_recorded() -> None:
    """Auditor review 2026-12-03y, problem 8: the Markdown record wrote the controller's and
    processor's contact email as "enquiries@&#8203;concerouk.com" (Art. 30(1)(a), 30(2)(a)),
    which does not work copied. Each is a code span, the address exact, which GitHub makes
    no link or mention of; no address in the record carries the entity."""
    markdown = run(["ropa", "--as-of", "2026-11-25"]).stdout
    lines = markdown.splitlines()
    assert "- Controller contact email: `enquiries@concerouk.com`" in lines
    assert "- Processor contact email: `enquiries@concerouk.com`" in lines
    assert "@&#8203;" not in markdown
