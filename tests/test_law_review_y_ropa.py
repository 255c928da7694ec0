"""Law review 2026-12-03y, problems 2 and 6: the record of processing's "Safeguards for
transfers" cell.

Problem 2: the cell named as the safeguard, unflagged, a mechanism that ``check`` holds CRITICAL
and the transfers register NOT VALID (not open to the exporter's regime, a contract signed
after the last day for new contracts or before the text existed, an importer listing
missing); a mechanism not yet in force was said "invalid". The cell now takes validity from
the register's verdict (the transfer rules' findings) and says the finding's reason, in every
format. Problem 6: on a contested day the cell said the row "no primary source has
confirmed"; it now says the field, the day and the other reading, as ``check`` does.

Each map is the review's base map (/tmp/law-y/s1) with only the fields its scenario names.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flowaudit.reports.registers import transfer_rows
from flowaudit.reports.ropa import build_ropa
from flowaudit.reports.ropa_xlsx import CONTROLLER_SHEET
from tests.helpers import audit_paths, run

BASE = """\
organisation: {{id: acme, name: Acme Ltd, country: {org_country}, regime: {regime}}}
parties:
  - {{id: uscloud, name: US Cloud Inc, kind: hr_software, country: {country},
     role: processor{listed}}}
categories: [{{id: staff, name: Staff records}}]
subjects: [{{id: employees, name: Employees, party_to_contract: true}}]
purposes: [{{id: hr, name: HR}}]
flows:
  - {{id: hr-to-us, from: acme, to: uscloud, categories: [staff], subjects: [employees],
     purpose: hr, basis: contract, agreement: dpa, encrypted_in_transit: true,
     transfer_mechanism: {mechanism}{contract}}}
agreements:
  - {{id: dpa, kind: art28_dpa, parties: [acme, uscloud], status: signed,
     signed_on: 2018-06-01, categories: [staff], evidence: file}}
{agreement}"""

CONTRACT = ", transfer_agreement: ta, assessments: [tra]"

AGREEMENT = """\
  - {{id: ta, kind: {kind}, parties: [acme, uscloud], status: signed, signed_on: {signed},
     evidence: x}}
assessments:
  - {{id: tra, kind: transfer_risk, completed_on: {assessed}, evidence: x}}
"""


def _map(
    tmp_path: Path,
    mechanism: str,
    *,
    eu: bool = False,
    country: str = "IN",
    listed: str = "",
    signed: str = "",
    assessed: str = "",
) -> Path:
    """The review's base map with the scenario's fields: the transfer's mechanism, the
    exporter's regime, the importer's country and listing, and the contract on it."""
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "map.yaml").write_text(
        BASE.format(
            org_country="DE" if eu else "GB",
            regime="EU" if eu else "UK",
            country=country,
            listed=f", listed_under: [{listed}]" if listed else "",
            mechanism=mechanism,
            contract=CONTRACT if signed else "",
            agreement=AGREEMENT.format(kind=mechanism, signed=signed, assessed=assessed)
            if signed
            else "",
        ),
        encoding="utf-8",
    )
    return folder


def _safeguards(folder: Path, as_of: str) -> str:
    """The record's "Safeguards for transfers" cell of the one purpose, as the CSV gives it,
    after checking that the register holds the transfer NOT VALID and ``check`` CRITICAL."""
    result = audit_paths([str(folder)], date.fromisoformat(as_of))
    (row,) = transfer_rows(result, result.facts.index)
    assert row.status == "NOT VALID"
    assert [f.severity.value for f in row.findings] == ["critical"]
    out = run(["ropa", str(folder), "--as-of", as_of, "--format", "csv"])
    (line,) = csv.DictReader(io.StringIO(out.output.removeprefix("\ufeff")))
    return line["Safeguards for transfers"]


# (a) a mechanism not open to the exporter's regime
def test_problem_2a_a_uk_exporter_on_the_eu_dpf_is_flagged_not_available(
    tmp_path: Path,
) -> None:
    folder = _map(tmp_path, "eu_us_dpf", country="US", listed="eu_us_dpf")
    assert _safeguards(folder, "2024-01-01") == (
        "US: EU-US Data Privacy Framework (flow hr-to-us) [NOT VALID on 2024-01-01: not "
        "available to a UK exporter]"
    )


def test_problem_2a_the_flag_is_the_same_in_markdown_html_csv_and_xlsx(tmp_path: Path) -> None:
    folder = _map(tmp_path, "eu_us_dpf", country="US", listed="eu_us_dpf")
    cell = (
        "US: EU-US Data Privacy Framework (flow hr-to-us) [NOT VALID on 2024-01-01: not "
        "available to a UK exporter]"
    )
    assert _safeguards(folder, "2024-01-01") == cell
    ropa = ["ropa", str(folder), "--as-of", "2024-01-01", "--format"]
    markdown = run([*ropa, "md"]).output
    assert (
        "| US: EU-US Data Privacy Framework (flow hr-to-us) \\[NOT VALID on 2024-01-01: not "
        "available to a UK exporter\\] |"
    ) in markdown
    html = run([*ropa, "html"]).output
    assert f"<td>{cell}</td>" in html
    out = tmp_path / "ropa.xlsx"
    assert run([*ropa, "xlsx", "--out", str(out)]).exit_code == 0
    sheet = load_workbook(out)[CONTROLLER_SHEET]
    values = [c.value for line in sheet.iter_rows() for c in line]
    assert cell in values


def test_problem_2a_an_importer_not_listed_is_flagged(tmp_path: Path) -> None:
    """The UK Extension recorded for an importer listed under the EU DPF only."""
    folder = _map(tmp_path, "uk_extension", country="US", listed="eu_us_dpf")
    assert _safeguards(folder, "2024-01-01") == (
        'US: UK Extension to the EU-US DPF ("UK-US data bridge") (flow hr-to-us) [NOT VALID on '
        "2024-01-01: importer not listed under uk_extension]"
    )


# (b) a contract signed after the last day for new contracts
def test_problem_2b_old_sccs_signed_after_the_uk_cut_off_are_flagged_with_its_day(
    tmp_path: Path,
) -> None:
    """The UK exporter records the EU row's old SCCs: the cut-off is the UK row's, the one
    the check judges them under (2022-09-21), not the EU row's (2021-09-27)."""
    folder = _map(tmp_path, "eu_scc_old", country="US", signed="2022-09-22", assessed="2021-01-10")
    assert _safeguards(folder, "2022-10-01") == (
        "US: EU Standard Contractual Clauses (2001/2004/2010) (flow hr-to-us) [NOT VALID on "
        "2022-10-01: contract signed after the last day for new contracts, 2022-09-21]; "
        "transfer risk assessment tra, completed 2021-01-10, x (flow hr-to-us)"
    )


def test_problem_2b_old_sccs_signed_after_the_eu_cut_off_are_flagged_with_its_day(
    tmp_path: Path,
) -> None:
    folder = _map(tmp_path, "eu_scc_old", eu=True, signed="2021-09-28", assessed="2020-08-01")
    assert _safeguards(folder, "2021-10-01") == (
        "IN: EU Standard Contractual Clauses (2001/2004/2010) (flow hr-to-us) [NOT VALID on "
        "2021-10-01: contract signed after the last day for new contracts, 2021-09-27]; "
        "transfer impact assessment tra, completed 2020-08-01, x (flow hr-to-us)"
    )


# (c) the 2021 EU SCCs alone for a UK exporter; contracts signed before the text existed
def test_problem_2c_a_uk_exporter_on_the_2021_eu_sccs_alone_is_flagged(tmp_path: Path) -> None:
    folder = _map(tmp_path, "eu_scc_2021", signed="2021-07-01", assessed="2021-07-01")
    assert _safeguards(folder, "2022-04-01") == (
        "IN: EU Standard Contractual Clauses (2021) (flow hr-to-us) [NOT VALID on 2022-04-01: "
        "not available to a UK exporter]; "
        "transfer risk assessment tra, completed 2021-07-01, x (flow hr-to-us)"
    )


@pytest.mark.parametrize(
    ("mechanism", "eu", "signed", "as_of", "name", "text_from", "assessment"),
    [
        (
            "idta",
            False,
            "2022-01-15",
            "2022-04-01",
            "UK International Data Transfer Agreement",
            "2022-02-02",
            "transfer risk assessment",
        ),
        (
            "eu_scc_2021",
            True,
            "2021-06-06",
            "2021-07-01",
            "EU Standard Contractual Clauses (2021)",
            "2021-06-07",
            "transfer impact assessment",
        ),
    ],
)
def test_problem_2c_a_contract_signed_before_the_text_existed_is_flagged(
    tmp_path: Path,
    mechanism: str,
    eu: bool,
    signed: str,
    as_of: str,
    name: str,
    text_from: str,
    assessment: str,
) -> None:
    folder = _map(tmp_path, mechanism, eu=eu, signed=signed, assessed="2021-06-01")
    assert _safeguards(folder, as_of) == (
        f"IN: {name} (flow hr-to-us) [NOT VALID on {as_of}: contract signed before the text "
        f"existed, {text_from}]; {assessment} tra, completed 2021-06-01, x (flow hr-to-us)"
    )


# (d) a mechanism not yet in force is not "invalid"
def test_problem_2d_a_mechanism_not_yet_in_force_says_so(tmp_path: Path) -> None:
    folder = _map(tmp_path, "idta", signed="2022-03-01", assessed="2022-03-01")
    assert _safeguards(folder, "2022-03-20") == (
        "IN: UK International Data Transfer Agreement (flow hr-to-us) [NOT VALID on "
        "2022-03-20: not in force before 2022-03-21]; "
        "transfer risk assessment tra, completed 2022-03-01, x (flow hr-to-us)"
    )


def test_problem_2_the_uk_row_of_old_sccs_recorded_under_the_eu_row_is_not_flagged(
    tmp_path: Path,
) -> None:
    """The converse: a UK exporter's old SCCs recorded as the EU row, in 2023, after the EU
    row's end (2022-12-27) and before the UK row's (2024-03-21), are valid under the UK row
    (the register says "valid (record to correct)"): the cell flagged them "invalid since
    2022-12-27" from the recorded row's dates alone."""
    folder = _map(tmp_path, "eu_scc_old", country="US", signed="2022-09-21", assessed="2022-09-01")
    result = audit_paths([str(folder)], date(2023, 6, 1))
    (row,) = transfer_rows(result, result.facts.index)
    assert row.status == "valid (record to correct)"
    (record,) = build_ropa(result).rows
    assert record.text("safeguards") == (
        "US: EU Standard Contractual Clauses (2001/2004/2010) (flow hr-to-us); "
        "transfer risk assessment tra, completed 2022-09-01, x (flow hr-to-us)"
    )


CONTESTED_END = (
    "[UNCONFIRMED: rests on a contested day of the legal row eu_scc_old, invalid_from "
    "2022-12-27: Decision 2021/914 Art. 4(4) keeps contracts on the old clauses as appropriate "
    'safeguards "until 27 December 2022", which may include that day (last valid day '
    "2022-12-27); FACTS.md reads the date as the first invalid day (Commission Implementing "
    "Decision (EU) 2021/914, art. 4(4))]"
)


def test_problem_6_a_contested_day_names_the_field_the_day_and_the_other_reading(
    tmp_path: Path,
) -> None:
    """eu_scc_old is sourced to Decision 2021/914: on 2022-12-27 only its invalid_from is
    contested, and the cell says that, never "which no primary source has confirmed"."""
    folder = _map(tmp_path, "eu_scc_old", eu=True, signed="2021-09-27", assessed="2020-08-01")
    cell = _safeguards(folder, "2022-12-27")
    assert cell == (
        "IN: EU Standard Contractual Clauses (2001/2004/2010) (flow hr-to-us) [NOT VALID on "
        f"2022-12-27: invalid since 2022-12-27] {CONTESTED_END}; "
        "transfer impact assessment tra, completed 2020-08-01, x (flow hr-to-us)"
    )
    assert "no primary source" not in cell


def test_problem_6_a_contested_signing_day_on_a_valid_transfer_says_so(tmp_path: Path) -> None:
    """The contract signed on 2021-09-27, the contested last day for new contracts: the pass
    rests on FACTS.md's reading of new_contracts_until, said with the Decision's."""
    folder = _map(tmp_path, "eu_scc_old", eu=True, signed="2021-09-27", assessed="2020-08-01")
    result = audit_paths([str(folder)], date(2021, 10, 1))
    (record,) = build_ropa(result).rows
    assert record.text("safeguards") == (
        "IN: EU Standard Contractual Clauses (2001/2004/2010) (flow hr-to-us) "
        "[UNCONFIRMED: rests on a contested day of the legal row eu_scc_old, "
        "new_contracts_until 2021-09-27: Decision 2021/914 Art. 4(4) keeps only contracts "
        '"concluded before 27 September 2021", and Art. 4(2)-(3) repeal the old decisions with '
        "effect from that day, so a contract signed on 27 September 2021 may not be covered; "
        'FACTS.md says "no new contracts after 2021-09-27" (Commission Implementing Decision '
        "(EU) 2021/914, art. 4(2)-(4))]; "
        "transfer impact assessment tra, completed 2020-08-01, x (flow hr-to-us)"
    )


def test_problem_6_a_row_marked_unconfirmed_keeps_the_no_primary_source_wording(
    tmp_path: Path,
) -> None:
    """The EU's renewal of its UK adequacy decision is a row marked unconfirmed as a whole,
    not a contested day: an EU exporter's transfer to GB resting on it keeps the old wording."""
    folder = tmp_path / "map"
    folder.mkdir()
    text = BASE.format(
        org_country="DE",
        regime="EU",
        country="GB",
        listed="",
        mechanism="NONE",
        contract="",
        agreement="",
    )
    (folder / "map.yaml").write_text(
        text.replace(",\n     transfer_mechanism: NONE", ""), encoding="utf-8"
    )
    result = audit_paths([str(folder)], date(2026, 11, 25))
    (row,) = transfer_rows(result, result.facts.index)
    assert row.status == "valid"
    (record,) = build_ropa(result).rows
    assert record.text("safeguards") == (
        "GB: adequacy (Commission Implementing Decision renewing the UK adequacy decision under"
        " Regulation (EU) 2016/679 (19 December 2025)) [UNCONFIRMED: rests on the legal row"
        " eu-uk-renewal, which no primary source has confirmed]"
    )


def test_problem_2_a_waived_finding_still_flags_the_safeguard_and_names_the_waiver(
    tmp_path: Path,
) -> None:
    """A waiver accepts the finding; the safeguard is still not valid in law (Art. 46(1A)), as
    the record says of a safeguard not in place, waived or not: the flag names the waiver
    (the register says "valid (waived)")."""
    folder = _map(tmp_path, "idta", signed="2023-01-01", assessed="2026-03-01")
    path = folder / "map.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "completed_on: 2026-03-01, evidence: x}",
            "completed_on: 2026-03-01, evidence: x, data_protection_test: false}",
        )
        + "waivers:\n"
        "  - {id: w1, rule: GDPR-TRANSFER, element: flows/hr-to-us, owner: DPO,\n"
        "     justification: accepted while the test is redone, approved_on: 2026-10-01,\n"
        "     expires_on: 2026-12-31}\n",
        encoding="utf-8",
    )
    result = audit_paths([str(folder)], date(2026, 11, 25))
    (row,) = transfer_rows(result, result.facts.index)
    assert row.status == "valid (waived)"
    assert [(f.code, f.waiver.id if f.waiver else None) for f in row.findings] == [
        ("data-protection-test-not-met", "w1")
    ]
    (record,) = build_ropa(result).rows
    assert record.text("safeguards") == (
        "IN: UK International Data Transfer Agreement (flow hr-to-us) [NOT VALID on "
        "2026-11-25: data protection test recorded as not met; accepted by waiver w1] "
        "[UNCONFIRMED: rests on the legal row uk-data-protection-test, which no primary "
        "source has confirmed]; transfer risk assessment tra, completed 2026-03-01, x "
        "(flow hr-to-us)"
    )
