"""Dated boundaries against shared/legal/FACTS.md: law review y (law review 2026-12-03y),
problems 3, 4 and 5.

3. ``law --as-of`` listed the old SCCs as "valid on the day" after their last day for new
   contracts with no word of it: every mechanism row now says its last day for new contracts
   (and, after it, that only existing contracts rest on it), and the JSON row carries
   ``new_contracts_until`` and ``text_from``.
4. Staff (HR) data to an importer listed under the EU-US DPF, the UK Extension or the
   Swiss-US DPF passed with no word that its certification must cover HR data: the pass now
   rests on an ASSUMED fact (the row's ``hr_data``, UNCONFIRMED), as Canada's PIPEDA pass
   does; it never fails.
5. The EU-UK TCA bridge (2021-01-01 to 2021-06-27) was listed and recorded as adequacy: it is
   no restricted transfer (TCA Art. FINPROV.10A(1)); the pass stays.

The maps are the reviewer's base map (/tmp/law-y/s1/map.yaml) with the fields each scenario
names, written here.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.registers import build_registers
from flowaudit.reports.ropa import build_ropa
from tests.helpers import run

OLD_SCC_UK = (
    "  eu_scc_old_uk: Old EU Standard Contractual Clauses used by UK exporters [until 2024-03-20]"
)
OLD_SCC_EU = "  eu_scc_old: EU Standard Contractual Clauses (2001/2004/2010) [until 2022-12-26]"


def _map(
    folder: Path,
    *,
    org: str = "{id: acme, name: Acme Ltd, country: GB, regime: UK}",
    country: str = "US",
    listed: str = "[uk_extension]",
    subject: str = "{id: employees, name: Employees, employees: true}",
    flow_extra: str = "",
) -> Path:
    """The reviewer's base map, with the organisation, the importer's country and listing
    and the subject each scenario changes."""
    folder.mkdir()
    (folder / "map.yaml").write_text(
        f"""organisation: {org}
parties:
- {{id: uscloud, name: US Cloud Inc, kind: hr_software, country: {country}, role: processor,
   listed_under: {listed}}}
categories: [{{id: staff, name: Staff records}}]
subjects:
- {subject}
purposes: [{{id: hr, name: HR}}]
flows:
- {{id: hr-to-us, from: acme, to: uscloud, categories: [staff], subjects: [employees],
   purpose: hr, basis: contract, agreement: dpa, encrypted_in_transit: true{flow_extra}}}
agreements:
- {{id: dpa, kind: art28_dpa, parties: [acme, uscloud], status: signed,
   signed_on: 2018-06-01, categories: [staff], evidence: file}}
""",
        encoding="utf-8",
    )
    return folder


def _audit(folder: Path, as_of: str) -> AuditResult:
    return audit(AuditRequest([folder], date.fromisoformat(as_of), []))


def _lines(*args: str) -> list[str]:
    result = run(["law", *args])
    assert result.exit_code == 0
    return result.output.splitlines()


# problem 3: the last day for new contracts, on every date


def test_law_says_the_uk_old_sccs_last_day_for_new_contracts_before_and_after_it() -> None:
    """Law review y, problem 3: on and before 2022-09-21 the row says the day; from the day
    after, that only contracts signed by then rest on it."""
    assert f"{OLD_SCC_UK} [new contracts until 2022-09-21]" in _lines(
        "--regime", "UK", "--as-of", "2022-09-21"
    )
    for day in ("2022-09-22", "2022-10-01"):
        assert (
            f"{OLD_SCC_UK} [existing contracts only: no new contract after 2022-09-21]"
        ) in _lines("--regime", "UK", "--as-of", day)


def test_law_says_the_eu_old_sccs_last_day_for_new_contracts_before_and_after_it() -> None:
    """Law review y, problem 3: the EU cut-off (2021-09-27) was said only inside the
    "contested day" note."""
    assert f"{OLD_SCC_EU} [new contracts until 2021-09-27]" in _lines(
        "--regime", "EU", "--as-of", "2021-09-27"
    )
    assert (f"{OLD_SCC_EU} [existing contracts only: no new contract after 2021-09-27]") in _lines(
        "--regime", "EU", "--as-of", "2021-09-28"
    )


def test_law_leaves_a_mechanism_with_no_cutoff_as_it_was() -> None:
    """Law review y, problem 3: a row with no last day for new contracts says none."""
    lines = _lines("--regime", "UK", "--as-of", "2022-10-01")
    assert "  idta: UK International Data Transfer Agreement [from 2022-03-21]" in lines


def test_law_json_gives_each_mechanism_its_cutoff_and_the_day_its_text_existed() -> None:
    """Law review y, problem 3: ``new_contracts_until`` and ``text_from`` on every mechanism
    row, null where the table has none."""
    result = run(["law", "--regime", "UK", "--as-of", "2022-10-01", "--format", "json"])
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.output)["sections"]["mechanisms"]}
    assert (rows["eu_scc_old_uk"]["new_contracts_until"], rows["eu_scc_old_uk"]["text_from"]) == (
        "2022-09-21",
        None,
    )
    assert (rows["idta"]["new_contracts_until"], rows["idta"]["text_from"]) == (None, "2022-02-02")
    assert rows["eu_scc_old_uk"]["in_force"] == "until 2024-03-20"


# problem 4: staff (HR) data on a DPF listing


#: Where the DPF's HR-data rule is (Decision 2023/1795, Annex I).
PRINCIPLES = "Supplemental Principles 6 (Self-Certification) and 9 (Human Resources Data)"


def _staff_fact(row: str, source: str, hr_source: str) -> str:
    return (
        f"the adequacy of US ('{row}', {source}) applies to the organisation's own staff's "
        "(HR) data only where the importer's certification covers HR data (human resources "
        "data collected in the context of the employment relationship), to be verified on the "
        f"Data Privacy Framework List, which the map cannot show (UNCONFIRMED, {hr_source})"
    )


UK_EXT = _staff_fact(
    "uk-us-extension",
    "The Data Protection (Adequacy) (United States of America) Regulations 2023, SI 2023/1028",
    "SI 2023/1028 (on the importer's EU-US DPF certification); Commission Implementing "
    f"Decision (EU) 2023/1795, Annex I, {PRINCIPLES}",
)


def test_uk_staff_data_on_the_uk_extension_passes_on_an_assumed_hr_certification(
    tmp_path: Path,
) -> None:
    """Law review y, problem 4 (uk-staff-contract-employees-flag): the transfer passes, on the
    ASSUMED fact that the certification covers HR data, which says it is UNCONFIRMED (not in
    FACTS.md) with its source; the row itself (SI 2023/1028) is not marked, so the record of
    processing does not call it unconfirmed by any primary source."""
    folder = _map(tmp_path / "uk")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 1  # the base map's own findings (notice clause, rights ...)
    lines = result.output.splitlines()
    assert f"Passed on an ASSUMED fact: {UK_EXT}: 1 check (GDPR-TRANSFER flows/hr-to-us)" in lines
    assert not any(line.startswith("Passed on an UNCONFIRMED") for line in lines)
    audited = _audit(folder, "2026-11-25")
    assert not [f for f in audited.findings if f.rule_id == "GDPR-TRANSFER"]
    passed = [e for e in audited.passed if e.rule_id == "GDPR-TRANSFER"]
    assert [(e.element, e.assumed, e.unconfirmed) for e in passed] == [
        (("flows", "hr-to-us"), (UK_EXT,), ())
    ]
    # the transfers register does not print the listing as unconditional
    row = build_registers(audited).transfers[0]
    assert (row.mechanism, row.status, row.condition_assumed, row.unconfirmed) == (
        "adequacy",
        "valid",
        UK_EXT,
        (),
    )
    assert build_ropa(audited).rows[0].cells["safeguards"] == (
        "US: adequacy for importers listed under uk_extension only (The Data Protection "
        "(Adequacy) (United States of America) Regulations 2023, SI 2023/1028)",
    )


def test_eu_and_swiss_staff_data_on_their_dpf_listing_pass_on_the_same_assumed_fact(
    tmp_path: Path,
) -> None:
    """Law review y, problem 4: the EU-US DPF (eu-us-dpf) and the Swiss-US DPF likewise."""
    eu = _map(
        tmp_path / "eu",
        org="{id: acme, name: Acme Ltd, country: DE, regime: EU, complaints_procedure: true}",
        listed="[eu_us_dpf]",
    )
    ch = _map(
        tmp_path / "ch",
        org="{id: acme, name: Acme Ltd, country: CH, regime: CH}",
        listed="[swiss_us_dpf]",
    )
    cases = [
        (
            eu,
            "2023-07-10",
            "eu-us-dpf",
            "Commission Implementing Decision (EU) 2023/1795",
            f"Commission Implementing Decision (EU) 2023/1795, Annex I, {PRINCIPLES}",
        ),
        (
            ch,
            "2026-11-25",
            "ch-us-dpf",
            "Swiss Federal Council decision of 14 August 2024 (amendment of the Data "
            "Protection Ordinance, Annex 1, in force 15 September 2024)",
            f"Swiss-U.S. Data Privacy Framework Principles, {PRINCIPLES}",
        ),
    ]
    for folder, as_of, row, source, hr_source in cases:
        audited = _audit(folder, as_of)
        passed = [e for e in audited.passed if e.rule_id == "GDPR-TRANSFER"]
        assert [(e.element, e.assumed, e.unconfirmed) for e in passed] == [
            (("flows", "hr-to-us"), (_staff_fact(row, source, hr_source),), ())
        ]


def test_staff_read_from_the_subjects_name_is_staff_and_customer_staff_are_not(
    tmp_path: Path,
) -> None:
    """Law review y, problem 4: subjects read as the organisation's staff (``own_staff``:
    "Employees" unsaid) rest on the same fact; a customer's staff, or staff said not to be the
    organisation's (``employees: false``), pass with no word, as before."""
    read = _map(tmp_path / "read", subject="{id: employees, name: Employees}")
    assert [
        e.assumed for e in _audit(read, "2026-11-25").passed if e.rule_id == "GDPR-TRANSFER"
    ] == [(UK_EXT,)]
    for name, subject in (
        ("customer", "{id: employees, name: Customer staff}"),
        ("said-not", "{id: employees, name: Employees, employees: false}"),
    ):
        folder = _map(tmp_path / name, subject=subject)
        passed = [e for e in _audit(folder, "2026-11-25").passed if e.rule_id == "GDPR-TRANSFER"]
        assert [(e.element, e.assumed, e.unconfirmed) for e in passed] == [
            (("flows", "hr-to-us"), (), ())
        ]


def test_staff_data_to_an_importer_not_listed_is_still_critical(tmp_path: Path) -> None:
    """Law review y, problem 4: the HR reservation rides only on a pass; an importer not
    listed stays CRITICAL "no adequacy ... no transfer mechanism", with no HR word."""
    folder = _map(tmp_path / "unlisted", listed="[]")
    findings = [f for f in _audit(folder, "2026-11-25").findings if f.rule_id == "GDPR-TRANSFER"]
    assert [(f.code, f.severity.value) for f in findings] == [("no-mechanism", "critical")]
    assert "HR" not in findings[0].message


def test_law_lists_the_hr_data_reservation_on_each_dpf_adequacy_row() -> None:
    """Law review y, problem 4: the fact is data of the legal table, with its source, URL and
    UNCONFIRMED mark, printed by ``law``."""
    lines = _lines("--regime", "UK", "--as-of", "2026-11-25")
    at = lines.index(
        "  uk-us-extension: US (importers listed under uk_extension) [from 2023-10-12]"
    )
    assert lines[at + 2] == (
        "      staff (HR) data [UNCONFIRMED]: only where the importer's certification covers HR "
        "data (human resources data collected in the context of the employment relationship), "
        "to be verified on the Data Privacy Framework List: a pass on it for the organisation's "
        "own employees takes it on trust (SI 2023/1028 (on the importer's EU-US DPF "
        "certification); Commission Implementing Decision (EU) 2023/1795, Annex I, "
        "Supplemental Principles 6 (Self-Certification) and 9 (Human Resources Data)) "
        "<https://www.legislation.gov.uk/uksi/2023/1028/made>"
    )
    for regime, row in (("EU", "eu-us-dpf"), ("CH", "ch-us-dpf")):
        result = run(["law", "--regime", regime, "--as-of", "2026-11-25", "--format", "json"])
        rows = {r["id"]: r for r in json.loads(result.output)["sections"]["adequacy"]}
        assert rows[row]["hr_data"]["unconfirmed"] is True
        assert (
            "Supplemental Principles 6 (Self-Certification) and 9"
            in (rows[row]["hr_data"]["source"])
        )


# problem 5: the TCA bridge is no restricted transfer


BRIDGE = "GB: no restricted transfer (TCA Art. FINPROV.10A bridge)"


def test_law_lists_the_tca_bridge_as_no_restricted_transfer_not_adequacy() -> None:
    """Law review y, problem 5: under "Not a restricted transfer" and in "No restricted
    transfer within", not under "Adequacy"."""
    lines = _lines("--regime", "EU", "--as-of", "2021-03-01")
    assert "GB" in lines[1].removeprefix("No restricted transfer within: ").split(", ")
    heading = lines.index("Not a restricted transfer:")
    adequacy = lines.index("Adequacy (no further mechanism needed):")
    bridge = lines.index(f"  eu-uk-tca-bridge: {BRIDGE} [from 2021-01-01 until 2021-06-27]")
    assert heading < bridge < adequacy
    law = json.loads(
        run(["law", "--regime", "EU", "--as-of", "2021-03-01", "--format", "json"]).output
    )
    assert "eu-uk-tca-bridge" not in {r["id"] for r in law["sections"]["adequacy"]}
    assert [r["id"] for r in law["sections"]["not_transfers"]] == [
        "same-legal-person",
        "eu-uk-tca-bridge",
    ]
    assert "GB" in law["inside"]
    # after the bridge, the adequacy decision is adequacy, and GB a third country again
    after = _lines("--regime", "EU", "--as-of", "2021-06-28")
    assert "  eu-uk: GB [from 2021-06-28 until 2025-06-27]" in after
    assert "GB" not in after[1].split(": ", 1)[1].split(", ")


def test_record_and_register_say_the_tca_bridge_is_no_restricted_transfer(
    tmp_path: Path,
) -> None:
    """Law review y, problem 5 (uk-bridge): a German exporter's processor in GB on
    2021-03-01; the pass stays."""
    folder = _map(
        tmp_path / "bridge",
        org="{id: acme, name: Acme Ltd, country: DE, regime: EU, complaints_procedure: true}",
        country="GB",
        listed="[]",
    )
    audited = _audit(folder, "2021-03-01")
    assert [e.element for e in audited.passed if e.rule_id == "GDPR-TRANSFER"] == [
        ("flows", "hr-to-us")
    ]
    row = build_registers(audited).transfers[0]
    assert (row.mechanism, row.status) == (
        "no restricted transfer (TCA Art. FINPROV.10A bridge)",
        "valid",
    )
    assert build_ropa(audited).rows[0].cells["safeguards"] == (BRIDGE,)
    result = run(["ropa", str(folder), "--as-of", "2021-03-01", "--format", "csv"])
    record = next(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert record["Safeguards for transfers"] == BRIDGE
    # on the adequacy decision's first day, the record says adequacy again
    later = build_ropa(_audit(folder, "2021-06-28")).rows[0].cells["safeguards"]
    assert later == ("GB: adequacy (Commission Implementing Decision (EU) 2021/1772)",)


def test_a_safeguard_recorded_during_the_tca_bridge_is_said_not_needed_not_adequacy(
    tmp_path: Path,
) -> None:
    """Law review y, problem 5: a flow to GB during the bridge that records the 2021 SCCs,
    not in place, is a fault of the record that names the bridge, not adequacy, as what the
    transfer rests on."""
    folder = _map(
        tmp_path / "bridge-scc",
        org="{id: acme, name: Acme Ltd, country: DE, regime: EU, complaints_procedure: true}",
        country="GB",
        listed="[]",
        flow_extra=", transfer_mechanism: eu_scc_2021",
    )
    findings = [f for f in _audit(folder, "2021-03-01").findings if f.rule_id == "GDPR-TRANSFER"]
    assert [(f.code, f.severity.value) for f in findings] == [
        ("recorded-safeguard-not-in-place", "medium")
    ]
    assert findings[0].message.endswith(
        "; the transfer rests on the TCA Art. FINPROV.10A bridge (no restricted transfer) "
        "(EU-UK Trade and Cooperation Agreement Art. FINPROV.10A (OJ L 444, 31.12.2020), later "
        "Art. 782): remove transfer_mechanism (no restricted transfer needs none), or put the "
        "safeguard in place, and name the safeguard the transfer rests on in the notice"
    )
    # on the bridge's last day the 2021 SCCs are in force: the record says the safeguard is
    # not in place and that the transfer needs none, not "rests on adequacy"
    cell = build_ropa(_audit(folder, "2021-06-27")).rows[0].cells["safeguards"]
    assert cell == (
        "GB: EU Standard Contractual Clauses (2021) (flow hr-to-us) [NOT IN PLACE on "
        "2021-06-27: see the findings; no restricted transfer (TCA Art. FINPROV.10A bridge)]",
    )


def test_staff_data_resting_on_its_own_idta_carries_no_hr_reservation(tmp_path: Path) -> None:
    """Law review y, problem 4: biometric staff data not flagged to a UK Extension importer
    rests on the flow's own IDTA, in place, not on the listing: its pass carries no word of
    the listing's HR scope; the same flow without biometric data rests on the listing and
    does."""
    passes = []
    for kind in (", art9_kind: biometric", ""):
        folder = tmp_path / f"idta{len(passes)}"
        folder.mkdir()
        (folder / "map.yaml").write_text(
            f"""organisation: {{id: acme, name: Acme Ltd, country: GB, regime: UK}}
parties:
- {{id: uscloud, name: US Cloud Inc, kind: hr_software, country: US, role: processor,
   listed_under: [uk_extension]}}
categories: [{{id: staff, name: Staff records{kind}}}]
subjects: [{{id: employees, name: Employees, employees: true}}]
purposes: [{{id: hr, name: HR}}]
flows:
- {{id: hr-to-us, from: acme, to: uscloud, categories: [staff], subjects: [employees],
   purpose: hr, basis: contract, agreement: dpa, encrypted_in_transit: true,
   transfer_mechanism: idta, transfer_agreement: idta1, assessments: [tra]}}
agreements:
- {{id: dpa, kind: art28_dpa, parties: [acme, uscloud], status: signed,
   signed_on: 2018-06-01, categories: [staff], evidence: file}}
- {{id: idta1, kind: idta, parties: [acme, uscloud], status: signed, signed_on: 2023-01-10,
   categories: [staff], evidence: file}}
assessments: [{{id: tra, kind: transfer_risk, completed_on: 2023-01-05, evidence: file}}]
""",
            encoding="utf-8",
        )
        audited = _audit(folder, "2025-06-01")
        assert not [f for f in audited.findings if f.rule_id == "GDPR-TRANSFER"]
        passes.append([e.assumed for e in audited.passed if e.rule_id == "GDPR-TRANSFER"])
    assert passes == [[()], [(UK_EXT,)]]
