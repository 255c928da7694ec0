"""Lawyer review s17 (2026-12-04): scenarios of the dated law in shared/legal/FACTS.md, each a
small map, an audit date and the verdict a lawyer would sign: the exact findings of the rules
it is about (rule, code, severity, element, the line of the field it is located at), or a pass.

The maps are built from one base (an organisation of the scenario's regime, one importer, one
flow) with the scenario's own fields, so each case states only what the law turns on; the
dates sit on both sides of each legal date FACTS.md gives. tests/test_regime_s17.py runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

#: Where an organisation of each regime is established.
HOME = {"UK": "GB", "EU": "DE", "CH": "CH"}

NOTICE_CONTENT = {
    "controller_identity": "Acme, privacy@acme.example",
    "purposes_and_bases": "support under contract",
    "legitimate_interests": "none",
    "recipients": "our suppliers",
    "transfer_safeguards": "the safeguards named in our notice",
    "retention": "two years",
    "rights": "access, rectification, erasure, restriction, objection and portability",
    "withdraw_consent": "email us",
    "complaint": "you may complain to the regulator",
    "statutory_or_contractual": "needed for the contract",
    "categories_obtained": "none",
    "source_of_data": "you",
}


@dataclass(frozen=True)
class Expect:
    """One finding: rule, code, severity, element (collection/id) and the field of the element
    it is located at (its line: ``field`` of the element's block, or the block's ``- id:``
    line when None)."""

    rule: str
    code: str
    severity: str
    element: str
    field: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    regime: str
    as_of: str
    rules: tuple[str, ...]
    expect: tuple[Expect, ...] = ()
    parties: tuple[dict[str, Any], ...] = ()
    flows: tuple[dict[str, Any], ...] = ()
    agreements: tuple[dict[str, Any], ...] = ()
    assessments: tuple[dict[str, Any], ...] = ()
    consent_records: tuple[dict[str, Any], ...] = ()
    categories: tuple[dict[str, Any], ...] = ()
    subjects: tuple[dict[str, Any], ...] = ()
    purposes: tuple[dict[str, Any], ...] = ()
    organisation: dict[str, Any] = field(default_factory=dict)
    systems: tuple[dict[str, Any], ...] = ()
    no_transfer: bool = False  # no restricted transfer at all: no transfer rule judges it
    law: str = ""  # FACTS.md's row the verdict rests on
    # the exact legal references ("Law:") of the first finding, as the report cites them
    cites: tuple[str, ...] | None = None
    # words no finding's message or references may hold (another regime's own article)
    never: tuple[str, ...] = ()
    # the notice clause ids the map cites in place of the base's PN-WHO and PN-RECIPIENTS:
    # a map selecting the concero-notice policy cites that notice's clauses (N-WHO ...)
    clauses: tuple[str, str] = ("PN-WHO", "PN-RECIPIENTS")
    # accepted risks (lawyer review s21: a waiver's dates judged on either side)
    waivers: tuple[dict[str, Any], ...] = ()


def importer(
    country: str,
    role: str = "processor",
    listed: list[str] | None = None,
    pid: str = "importer",
    name: str = "Importer Corp",
) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": pid,
        "name": name,
        "kind": "hosting",
        "country": country,
        "role": role,
        "notice": "PN-RECIPIENTS",
    }
    if listed:
        party["listed_under"] = listed
    return party


def dpa(
    between: tuple[str, str] = ("acme", "importer"),
    signed: str = "2018-06-01",
    aid: str = "dpa",
    kind: str = "art28_dpa",
    **more: Any,
) -> dict[str, Any]:
    return {
        "id": aid,
        "kind": kind,
        "parties": list(between),
        "status": "signed",
        "signed_on": signed,
        "categories": ["contact", "health", "criminal"],
        "evidence": f"{aid}.pdf",
        **more,
    }


def transfer_agreement(
    kind: str, signed: str, between: tuple[str, str] = ("acme", "importer"), aid: str = "ta"
) -> dict[str, Any]:
    return dpa(between, signed, aid, kind)


def risk(completed: str, aid: str = "tra", **more: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "kind": "transfer_risk",
        "completed_on": completed,
        "evidence": f"{aid}.pdf",
        **more,
    }


def flow(
    fid: str = "f1",
    source: str = "acme",
    target: str = "importer",
    agreement: str | None = "dpa",
    **more: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": fid,
        "from": source,
        "to": target,
        "categories": ["contact.name"],
        "subjects": ["customers"],
        "purpose": "support",
        "basis": "contract",
    }
    if agreement is not None:
        data["agreement"] = agreement
    data.update({"encrypted_in_transit": True, "notice": "PN-RECIPIENTS"})
    for key, value in more.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def map_text(s: Scenario) -> str:
    """The scenario's map as YAML text."""
    organisation: dict[str, Any] = {
        "id": "acme",
        "name": "Acme",
        "country": HOME[s.regime],
        "regime": s.regime,
        "dsar_days": 28,
        "breach_procedure": {"log": "https://acme.example/breach", "notify_within_hours": 48},
        "notice_content": NOTICE_CONTENT,
        "notice": "PN-WHO",
        "notice_clauses": ["PN-WHO", "PN-RECIPIENTS"],
        "complaints_procedure": True,
    }
    if s.regime == "CH":
        organisation.pop("complaints_procedure")
    for key, value in s.organisation.items():
        if value is None:
            organisation.pop(key, None)
        else:
            organisation[key] = value
    categories = [
        {"id": "contact", "name": "Contact"},
        {"id": "contact.name", "name": "Name"},
        {"id": "contact.email", "name": "Email"},
        *s.categories,
    ]
    subjects = list(s.subjects) or [
        {"id": "customers", "name": "Customers", "party_to_contract": True}
    ]
    purposes = [
        {"id": "support", "name": "Customer support", "notice": "PN-RECIPIENTS"},
        *s.purposes,
    ]
    known = {c["id"] for c in categories}
    agreements = [
        {**a, "categories": [c for c in a["categories"] if c in known]}
        for a in (s.agreements or (dpa(),))
    ]
    document: dict[str, Any] = {
        "organisation": organisation,
        "parties": list(s.parties) or [importer("US")],
        "categories": categories,
        "subjects": subjects,
        "purposes": purposes,
        "agreements": agreements,
        "flows": list(s.flows) or [flow()],
    }
    if s.systems:
        document["systems"] = list(s.systems)
    if s.assessments:
        document["assessments"] = list(s.assessments)
    if s.consent_records:
        document["consent_records"] = list(s.consent_records)
    if s.waivers:
        document["waivers"] = list(s.waivers)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=200)
    who, recipients = s.clauses
    return text.replace("PN-WHO", who).replace("PN-RECIPIENTS", recipients)


def line_of_field(text: str, element: str, field_name: str | None) -> int:
    """The line of an element's field in the map text (its ``- id:`` line when None; for
    the organisation, the ``organisation:`` line or its field)."""
    lines = text.splitlines()
    collection, ident = element.split("/", 1)
    if collection == "organisation":
        start = lines.index("organisation:")
        if field_name is None:
            return start + 1
        indent = "  "
        for part in field_name.split("."):  # a nested field: notice_content.source_of_data
            for number in range(start, len(lines)):
                if lines[number].startswith(f"{indent}{part}:"):
                    start = number
                    break
            else:
                raise AssertionError(f"organisation has no {field_name}")
            indent += "  "
        return start + 1
    start = lines.index(f"{collection}:")
    for number in range(start, len(lines)):
        if lines[number] == f"- id: {ident}":
            if field_name is None:
                return number + 1
            for later in range(number + 1, len(lines)):
                if lines[later].startswith("- ") or not lines[later].startswith(" "):
                    break
                if lines[later].startswith(f"  {field_name}:"):
                    return later + 1
            raise AssertionError(f"{element} has no {field_name}")
    raise AssertionError(f"{element} not in the map")


US_DPF = importer("US", listed=["eu_us_dpf"])
SCEN: list[Scenario] = []


def add(*scenarios: Scenario) -> None:
    SCEN.extend(scenarios)


T = ("GDPR-TRANSFER",)
CRIT_NO_MECH = Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/f1")
#: The transfer rule's and the onward rule's findings, and three expectations the lawyer
#: reviews' scenario files share (tests/lawyer_s18/s19/s20/s21_tx_cases.py).
TO = ("GDPR-TRANSFER", "GDPR-ONWARD")
WRONG_EXPORTER = Expect(
    "GDPR-TRANSFER", "wrong-exporter", "critical", "flows/f1", "transfer_mechanism"
)
INVALID = Expect("GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism")

# --- UK exporter: Privacy Shield, the UK Extension, South Korea, the IDTA, old SCCs -----------
add(
    Scenario(
        "uk-privacy-shield-2020-07-15",
        "UK",
        "2020-07-15",
        T,
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_eu_us"),),
        law="EU-US Privacy Shield, EU and UK exporters, to 2020-07-16 (CJEU C-311/18)",
    ),
    Scenario(
        "uk-privacy-shield-2020-07-16",
        "UK",
        "2020-07-16",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_eu_us"),),
        law="Privacy Shield invalid from 2020-07-16 (Schrems II)",
    ),
    Scenario(
        "uk-extension-2023-10-11",
        "UK",
        "2023-10-11",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["uk_extension"]),),
        law="UK Extension from 2023-10-12 (SI 2023/1028): not yet",
    ),
    Scenario(
        "uk-extension-2023-10-12",
        "UK",
        "2023-10-12",
        T,
        parties=(importer("US", listed=["uk_extension"]),),
        law="UK Extension from 2023-10-12 (SI 2023/1028)",
    ),
    Scenario(
        "uk-us-dpf-listing-only-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(US_DPF,),
        law="the EU-US DPF serves EU exporters only; a UK exporter needs the UK Extension",
    ),
    Scenario(
        "uk-korea-2022-12-18",
        "UK",
        "2022-12-18",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("KR"),),
        law="UK adequacy for South Korea from 2022-12-19 (SI 2022/1213): not yet",
    ),
    Scenario(
        "uk-korea-2022-12-19",
        "UK",
        "2022-12-19",
        T,
        parties=(importer("KR"),),
        law="UK adequacy for South Korea from 2022-12-19 (SI 2022/1213)",
    ),
    Scenario(
        "uk-idta-2022-03-20",
        "UK",
        "2022-03-20",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("idta", "2022-03-01")),
        assessments=(risk("2022-03-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="UK IDTA from 2022-03-21: not yet",
    ),
    Scenario(
        "uk-idta-2022-03-21",
        "UK",
        "2022-03-21",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("idta", "2022-03-01")),
        assessments=(risk("2022-03-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="UK IDTA from 2022-03-21",
    ),
    Scenario(
        "uk-old-scc-2024-03-20",
        "UK",
        "2024-03-20",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2022-09-01")),
        assessments=(risk("2022-09-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old_uk", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="old EU SCCs used by UK exporters, concluded by 2022-09-21, usable to 2024-03-21",
    ),
    Scenario(
        "uk-old-scc-2024-03-21",
        "UK",
        "2024-03-21",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2022-09-01")),
        assessments=(risk("2022-09-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old_uk", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="old EU SCCs for UK exporters end on 2024-03-21",
    ),
    Scenario(
        "uk-old-scc-signed-2022-09-22",
        "UK",
        "2023-01-10",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "signed-after-cutoff", "critical", "flows/f1", "transfer_agreement"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2022-09-22")),
        assessments=(risk("2022-09-22"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old_uk", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="no new contracts on the old SCCs for UK exporters after 2022-09-21",
    ),
    Scenario(
        "uk-idta-test-2026-02-04",
        "UK",
        "2026-02-04",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("idta", "2025-06-01")),
        assessments=(risk("2025-06-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="the data protection test (Art. 46(1A)) from 2026-02-05: not yet",
    ),
    Scenario(
        "uk-idta-test-2026-02-05",
        "UK",
        "2026-02-05",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "data-protection-test-not-recorded",
                "medium",
                "flows/f1",
                "assessments",
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("idta", "2025-06-01")),
        assessments=(risk("2025-06-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="the data protection test (UK GDPR Art. 46(1A), DUAA s.85) from 2026-02-05",
        cites=("UK GDPR Art. 46(1A)", "UK GDPR Art. 5(2)", "DUAA 2025 s.85"),
    ),
    Scenario(
        "uk-to-eea-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("DE"),),
        law="UK adequacy for the EEA from 2021-01-01 (DPA 2018 Sch. 21)",
    ),
)

# --- EU exporter: the DPF, old and new SCCs, the UK, Japan, Korea, Brazil ---------------------
add(
    Scenario(
        "eu-dpf-2023-07-09",
        "EU",
        "2023-07-09",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(US_DPF,),
        law="EU-US DPF from 2023-07-10 (Decision 2023/1795): not yet",
    ),
    Scenario(
        "eu-dpf-2023-07-10",
        "EU",
        "2023-07-10",
        T,
        parties=(US_DPF,),
        law="EU-US DPF from 2023-07-10 (Decision 2023/1795)",
    ),
    Scenario(
        "eu-uk-extension-listing-only",
        "EU",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["uk_extension"]),),
        law="the UK Extension serves UK exporters only",
    ),
    Scenario(
        "eu-old-scc-2022-12-26",
        "EU",
        "2022-12-26",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2021-09-01")),
        assessments=(risk("2021-09-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="old EU SCCs valid to 2022-12-27 (Decision 2021/914 art. 4)",
    ),
    Scenario(
        "eu-old-scc-2022-12-27",
        "EU",
        "2022-12-27",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2021-09-01")),
        assessments=(risk("2021-09-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="old EU SCCs invalid from 2022-12-27",
    ),
    Scenario(
        "eu-old-scc-signed-2021-09-28",
        "EU",
        "2022-03-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "signed-after-cutoff", "critical", "flows/f1", "transfer_agreement"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2021-09-28")),
        assessments=(risk("2021-09-28"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="no new contracts on the old EU SCCs after 2021-09-27",
    ),
    Scenario(
        "eu-scc-2021-06-26",
        "EU",
        "2021-06-26",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2021-06-20")),
        assessments=(risk("2021-06-20"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="EU SCCs 2021 from 2021-06-27: not yet",
    ),
    Scenario(
        "eu-scc-2021-06-27",
        "EU",
        "2021-06-27",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2021-06-20")),
        assessments=(risk("2021-06-20"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="EU SCCs 2021 from 2021-06-27 (Decision 2021/914)",
    ),
    Scenario(
        "eu-uk-bridge-2021-06-27",
        "EU",
        "2021-06-27",
        T,
        parties=(importer("GB"),),
        law="EU->UK: the TCA bridge to 2021-06-27",
    ),
    Scenario(
        "eu-uk-adequacy-2021-06-28",
        "EU",
        "2021-06-28",
        T,
        parties=(importer("GB"),),
        law="EU adequacy for the UK from 2021-06-28 (Decision 2021/1772)",
    ),
    Scenario(
        "eu-japan-2019-01-22",
        "EU",
        "2019-01-22",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("JP"),),
        law="EU adequacy for Japan from 2019-01-23 (Decision 2019/419): not yet",
    ),
    Scenario(
        "eu-japan-2019-01-23",
        "EU",
        "2019-01-23",
        T,
        parties=(importer("JP"),),
        law="EU adequacy for Japan from 2019-01-23",
    ),
    Scenario(
        "eu-korea-2021-12-16",
        "EU",
        "2021-12-16",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("KR"),),
        law="EU adequacy for South Korea from 2021-12-17 (Decision 2022/254): not yet",
    ),
    Scenario(
        "eu-korea-2021-12-17",
        "EU",
        "2021-12-17",
        T,
        parties=(importer("KR"),),
        law="EU adequacy for South Korea from 2021-12-17",
    ),
    Scenario(
        "eu-brazil-2026-01-25",
        "EU",
        "2026-01-25",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("BR"),),
        law="EU adequacy for Brazil from 2026-01-26 (Decision 2026/179, UNCONFIRMED): not yet",
    ),
    Scenario(
        "eu-brazil-2026-01-26",
        "EU",
        "2026-01-26",
        T,
        parties=(importer("BR"),),
        law="EU adequacy for Brazil from 2026-01-26 (UNCONFIRMED)",
    ),
)

# --- Swiss exporter: the Swiss-US Privacy Shield and DPF --------------------------------------
add(
    Scenario(
        "ch-privacy-shield-2020-09-07",
        "CH",
        "2020-09-07",
        T,
        parties=(importer("US", listed=["privacy_shield_swiss_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_swiss_us"),),
        law="Swiss-US Privacy Shield to 2020-09-08 (FDPIC)",
    ),
    Scenario(
        "ch-privacy-shield-2020-09-08",
        "CH",
        "2020-09-08",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "mechanism-invalid", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("US", listed=["privacy_shield_swiss_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_swiss_us"),),
        law="Swiss-US Privacy Shield not adequate from 2020-09-08",
    ),
    Scenario(
        "ch-swiss-us-dpf-2024-09-14",
        "CH",
        "2024-09-14",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["swiss_us_dpf"]),),
        law="Swiss-US DPF from 2024-09-15: not yet",
    ),
    Scenario(
        "ch-swiss-us-dpf-2024-09-15",
        "CH",
        "2024-09-15",
        T,
        parties=(importer("US", listed=["swiss_us_dpf"]),),
        law="Swiss-US DPF from 2024-09-15",
    ),
    Scenario(
        "ch-eu-dpf-listing-only",
        "CH",
        "2024-10-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(US_DPF,),
        law="the EU-US DPF does not serve Swiss exporters",
    ),
)

# --- Roles: a processor's hop under another regime (problem 1), its basis (problem 2) ---------
SUB = importer("US", pid="sub", name="US Sub Inc")
UK_PROC = importer("GB", pid="ukproc", name="UK Proc Ltd")
EU_PROC = importer("DE", pid="euproc", name="EU Proc GmbH")
add(
    Scenario(
        "eu-map-uk-processor-idta-test-not-met",
        "EU",
        "2026-11-25",
        ("GDPR-TRANSFER", "GDPR-BASIS"),
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "data-protection-test-not-met",
                "high",
                "flows/to-sub",
                "assessments",
            ),
        ),
        parties=(UK_PROC, SUB),
        agreements=(
            dpa(("acme", "ukproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("ukproc", "sub"), "2024-06-01", "subdpa"),
            transfer_agreement("idta", "2024-06-01", ("ukproc", "sub")),
        ),
        assessments=(risk("2026-03-01", data_protection_test=False),),
        flows=(
            flow(target="ukproc"),
            flow(
                "to-sub",
                "ukproc",
                "sub",
                "subdpa",
                basis=None,
                transfer_mechanism="idta",
                transfer_agreement="ta",
                assessments=["tra"],
            ),
        ),
        law="a UK processor's onward transfer is a UK exporter's: UK GDPR Art. 46(1A)",
        cites=("UK GDPR Art. 46(1A)", "UK GDPR Art. 44", "DUAA 2025 s.85"),
    ),
    Scenario(
        "uk-map-eu-processor-no-mechanism",
        "UK",
        "2026-06-01",
        ("GDPR-TRANSFER",),
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        parties=(EU_PROC, SUB),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("euproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", "subdpa", basis=None)),
        law="an EU processor's onward transfer is an EU exporter's: GDPR Art. 44-46, 49",
        cites=("GDPR Art. 44-46", "GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
        never=("SI 2023/1028", "UK GDPR"),
    ),
    Scenario(
        "eu-map-sub-processor-hop-no-basis",
        "EU",
        "2026-11-25",
        ("GDPR-BASIS",),
        parties=(EU_PROC, importer("FR", pid="sub", name="FR Sub SAS")),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("euproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", "subdpa", basis=None)),
        law="a processor acts on the controller's basis (Art. 28(3)(a), 29): the controller's "
        "flow carries it",
    ),
    Scenario(
        "eu-map-controller-flow-no-basis",
        "EU",
        "2026-11-25",
        ("GDPR-BASIS",),
        expect=(Expect("GDPR-BASIS", "missing", "high", "flows/f1"),),
        parties=(EU_PROC, importer("FR", pid="sub", name="FR Sub SAS")),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("euproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(
            flow(target="euproc", basis=None),
            flow("to-sub", "euproc", "sub", "subdpa", basis=None),
        ),
        law="the controller's own flow must name its Art. 6 basis",
    ),
    Scenario(
        "uk-map-sub-hop-purpose-only-there",
        "UK",
        "2026-11-25",
        ("GDPR-BASIS", "GDPR-SUBPROCESSING"),
        expect=(
            Expect(
                "GDPR-SUBPROCESSING",
                "purpose-outside-instructions",
                "high",
                "flows/to-sub",
                "purpose",
            ),
        ),
        parties=(UK_PROC, importer("GB", pid="sub", name="Sub Ltd")),
        purposes=({"id": "analytics", "name": "Service analytics", "notice": "PN-RECIPIENTS"},),
        agreements=(
            dpa(("acme", "ukproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("ukproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(
            flow(target="ukproc"),
            flow("to-sub", "ukproc", "sub", "subdpa", basis=None, purpose="analytics"),
        ),
        law="a processor's use for a purpose none of the controller's is outside its "
        "instructions (Art. 28(10)): the sub-processing rule's finding, no basis asked",
    ),
)

# --- DUAA 2025: recognised legitimate interests, the complaints procedure ---------------------
RLI = {"basis": "recognised_legitimate_interests", "recognised_condition": "crime"}
add(
    Scenario(
        "uk-recognised-li-2026-02-04",
        "UK",
        "2026-02-04",
        ("GDPR-BASIS",),
        expect=(Expect("GDPR-BASIS", "not-available", "high", "flows/f1", "basis"),),
        parties=(importer("GB"),),
        flows=(flow(**RLI),),
        law="Art. 6(1)(ea) from 2026-02-05 (DUAA s.70, SI 2026/82): not yet",
    ),
    Scenario(
        "uk-recognised-li-2026-02-05",
        "UK",
        "2026-02-05",
        ("GDPR-BASIS",),
        parties=(importer("GB"),),
        flows=(flow(**RLI),),
        law="Art. 6(1)(ea) from 2026-02-05",
    ),
    Scenario(
        "eu-recognised-li",
        "EU",
        "2026-06-01",
        ("GDPR-BASIS",),
        expect=(Expect("GDPR-BASIS", "not-available", "high", "flows/f1", "basis"),),
        parties=(importer("DE"),),
        flows=(flow(**RLI),),
        law="Art. 6(1)(ea) is UK law only",
        never=("GDPR Art. 6(1)(ea)",),
    ),
    Scenario(
        "uk-complaints-2026-06-18",
        "UK",
        "2026-06-18",
        ("GDPR-RIGHTS",),
        organisation={"complaints_procedure": None},
        parties=(importer("GB"),),
        law="complaints procedure from 2026-06-19 (DUAA s.103): not yet",
    ),
    Scenario(
        "uk-complaints-2026-06-19",
        "UK",
        "2026-06-19",
        ("GDPR-RIGHTS",),
        expect=(Expect("GDPR-RIGHTS", "no-complaints-procedure", "medium", "organisation/acme"),),
        organisation={"complaints_procedure": None},
        parties=(importer("GB"),),
        law="complaints procedure from 2026-06-19 (DPA 2018 s.164A)",
    ),
    Scenario(
        "eu-complaints-2026-06-19",
        "EU",
        "2026-06-19",
        ("GDPR-RIGHTS",),
        organisation={"complaints_procedure": None},
        parties=(importer("DE"),),
        law="the complaints duty binds controllers under UK law only",
    ),
)

# --- Art. 9 and Art. 10 conditions ------------------------------------------------------------
HEALTH = {"id": "health", "name": "Health notes", "special_category": True, "art9_kind": "health"}
CRIMINAL = {"id": "criminal", "name": "DBS check results", "criminal_offence": True}
EXPLICIT = {
    "id": "cr",
    "method": "signed form",
    "purposes": ["support"],
    "explicit": True,
    "affirmative_act": True,
    "bundled_with_terms": False,
    "evidence": "forms",
}
add(
    Scenario(
        "uk-health-no-condition",
        "UK",
        "2026-06-01",
        ("GDPR-ART9",),
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/f1"),),
        parties=(importer("GB"),),
        categories=(HEALTH,),
        flows=(flow(categories=["health"]),),
        law="Art. 9(1): special category data needs an Art. 9(2) condition",
    ),
    Scenario(
        "uk-health-explicit-consent",
        "UK",
        "2026-06-01",
        ("GDPR-ART9",),
        parties=(importer("GB"),),
        categories=(HEALTH,),
        consent_records=(EXPLICIT,),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        law="Art. 9(2)(a) explicit consent, recorded",
    ),
    Scenario(
        "uk-criminal-employment-with-policy",
        "UK",
        "2026-06-01",
        ("GDPR-ART10",),
        organisation={"appropriate_policy_document": "https://acme.example/apd"},
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="employment"),),
        law="Art. 10 condition from DPA 2018 Sch. 1 para 1 with an appropriate policy document",
    ),
    Scenario(
        "uk-criminal-employment-no-policy",
        "UK",
        "2026-06-01",
        ("GDPR-ART10",),
        expect=(Expect("GDPR-ART10", "no-policy-document", "high", "flows/f1", "art10_condition"),),
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="employment"),),
        law="most Sch. 1 conditions need an appropriate policy document",
    ),
    Scenario(
        "eu-criminal-uk-condition",
        "EU",
        "2026-06-01",
        ("GDPR-ART10",),
        expect=(Expect("GDPR-ART10", "unknown-condition", "high", "flows/f1", "art10_condition"),),
        parties=(importer("DE"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="employment"),),
        law="a DPA 2018 Sch. 1 condition is UK law: an EU controller rests on Union or "
        "Member State law (Art. 10)",
        never=("DPA 2018",),
    ),
)

# --- Joint controllers (Art. 26) --------------------------------------------------------------
add(
    Scenario(
        "uk-joint-controller-no-arrangement",
        "UK",
        "2026-06-01",
        ("GDPR-AGREEMENT",),
        expect=(Expect("GDPR-AGREEMENT", "joint-missing", "high", "flows/f1"),),
        parties=(importer("GB", role="joint_controller"),),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(flow(agreement=None),),
        law="joint controllers must have an Art. 26 arrangement",
    ),
    Scenario(
        "uk-joint-controller-arrangement",
        "UK",
        "2026-06-01",
        ("GDPR-AGREEMENT",),
        parties=(importer("GB", role="joint_controller"),),
        agreements=(dpa(kind="art26_joint"),),
        flows=(flow(),),
        law="an Art. 26 arrangement in place",
    ),
)

# --- PECR (UK law): email marketing to individual and corporate subscribers -------------------
LIA = {
    "id": "lia",
    "kind": "legitimate_interests",
    "completed_on": "2024-01-01",
    "evidence": "lia.pdf",
}
MARKETING = {"id": "marketing", "name": "Email marketing", "notice": "PN-RECIPIENTS"}
NEWS = flow(
    categories=["contact.email"],
    subjects=["people"],
    purpose="marketing",
    basis="legitimate_interests",
    assessment="lia",
    opt_out="unsubscribe link",
    channel="email",
)


def subscribers(kind: str) -> tuple[dict[str, Any], ...]:
    return ({"id": "people", "name": "Mailing list", "subscriber": kind},)


add(
    Scenario(
        "uk-pecr-email-individual-no-consent",
        "UK",
        "2026-06-01",
        ("PECR-MARKETING-CONSENT",),
        expect=(Expect("PECR-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        flows=(NEWS,),
        law="PECR reg. 22: individual subscribers' consent or the soft opt-in",
    ),
    Scenario(
        "uk-pecr-email-corporate",
        "UK",
        "2026-06-01",
        ("PECR-MARKETING-CONSENT",),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("corporate"),
        assessments=(LIA,),
        flows=(NEWS,),
        law="PECR: email to corporate subscribers needs no consent",
    ),
    Scenario(
        "eu-pecr-email-individual",
        "EU",
        "2026-06-01",
        ("PECR-MARKETING-CONSENT",),
        expect=(Expect("PECR-MARKETING-CONSENT", "other-regime", "info", "flows/f1", "basis"),),
        parties=(importer("DE"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        flows=(NEWS,),
        law="PECR binds UK senders only: not judged for an EU organisation",
    ),
)

# --- Art. 49 derogations (problem 3: a pass on them rests on an assumed fact) -----------------
ART49 = {
    "id": "c49",
    "method": "signed form",
    "purposes": ["support"],
    "explicit": True,
    "affirmative_act": True,
    "bundled_with_terms": False,
    "evidence": "forms",
    "recipients": ["importer"],
    "countries": ["IN"],
    "risks_explained": True,
}
add(
    Scenario(
        "eu-art49-explicit-consent-occasional",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=(ART49,),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="Art. 49(1)(a), occasional only (EDPB Guidelines 2/2018): passes on trust",
    ),
    Scenario(
        "uk-art49-explicit-consent-routine",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "derogation-not-routine",
                "critical",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=(ART49,),
        flows=(flow(transfer_mechanism="art49_explicit_consent", consent_record="c49"),),
        law="Art. 49 is never a routine mechanism",
    ),
)

# --- more dated periods and regimes -----------------------------------------------------------
add(
    Scenario(
        "eu-to-gb-2020-06-01-member-period",
        "EU",
        "2020-06-01",
        T,
        no_transfer=True,
        parties=(importer("GB"),),
        law="the UK inside the EU until 2020-12-31 (Withdrawal Agreement Art. 126-127): no "
        "restricted transfer",
    ),
    Scenario(
        "uk-us-extension-health-no-flag-needed",
        "UK",
        "2026-06-01",
        T,
        parties=(importer("US", listed=["uk_extension"]),),
        categories=(HEALTH,),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        consent_records=(EXPLICIT,),
        law="UK Extension: health data is inside the DPF's 'sensitive' and needs no flag (ICO)",
    ),
    Scenario(
        "uk-us-extension-biometric-unflagged",
        "UK",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "sensitive-not-flagged", "critical", "flows/f1"),),
        parties=(importer("US", listed=["uk_extension"]),),
        categories=(
            {
                "id": "face",
                "name": "Face scans",
                "special_category": True,
                "art9_kind": "biometric",
            },
        ),
        flows=(flow(categories=["face"], art9_condition="explicit_consent", consent_record="cr"),),
        consent_records=(EXPLICIT,),
        law="UK Extension: biometric data must be flagged to the importer as sensitive "
        "(SI 2023/1028; ICO)",
    ),
    Scenario(
        "ch-to-de-2024",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("DE"),),
        law="Swiss exporter to the EEA: adequate (Federal Council)",
    ),
    Scenario(
        "uk-eu-scc-without-addendum",
        "UK",
        "2024-06-01",
        T,
        expect=(
            Expect("GDPR-TRANSFER", "wrong-exporter", "critical", "flows/f1", "transfer_mechanism"),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2023-06-01")),
        assessments=(risk("2023-06-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="a UK exporter uses the EU SCCs only with the UK Addendum (from 2022-03-21)",
    ),
    Scenario(
        "eu-map-uk-processor-addendum-test-met",
        "EU",
        "2026-11-25",
        T,
        parties=(UK_PROC, importer("IN", pid="sub", name="IN Sub Pvt")),
        agreements=(
            dpa(("acme", "ukproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("ukproc", "sub"), "2024-06-01", "subdpa"),
            transfer_agreement("uk_addendum", "2024-06-01", ("ukproc", "sub")),
        ),
        assessments=(risk("2026-03-01", data_protection_test=True),),
        flows=(
            flow(target="ukproc"),
            flow(
                "to-sub",
                "ukproc",
                "sub",
                "subdpa",
                basis=None,
                transfer_mechanism="uk_addendum",
                transfer_agreement="ta",
                assessments=["tra"],
            ),
        ),
        law="a UK processor's onward transfer on the UK Addendum, test judged met",
    ),
)

# --- Art. 14: data from others, and the Art. 14(5) grounds (UNCONFIRMED rows) ----------------
HR = {
    "id": "hr",
    "name": "HR system",
    "owner": "acme",
    "retention_days": 2190,
    "retention_justification": "six years (tax records)",
    "encrypted_at_rest": True,
}
NO_SOURCE = {
    "notice_content": {**NOTICE_CONTENT, "categories_obtained": None, "source_of_data": None}
}
AUTHORITY = importer("GB", role="controller", pid="hmrc", name="HM Revenue and Customs")
CODES = flow(
    source="hmrc",
    target="hr",
    agreement=None,
    subjects=["staff"],
    purpose="paye",
    basis="legal_obligation",
    notice=None,
)
STAFF = ({"id": "staff", "name": "Our employees", "party_to_contract": True},)
PAYE = ({"id": "paye", "name": "Operating PAYE", "notice": "PN-RECIPIENTS"},)
NOTICE = ("GDPR-NOTICE-CONTENT",)


def _art14() -> tuple[Expect, ...]:
    return tuple(
        Expect(
            "GDPR-NOTICE-CONTENT",
            "item-missing",
            "medium",
            "organisation/acme",
            f"notice_content.{item}",
        )
        for item in ("categories_obtained", "source_of_data")
    )


add(
    Scenario(
        "uk-art14-data-from-hmrc-no-ground",
        "UK",
        "2026-06-01",
        NOTICE,
        expect=_art14(),
        organisation=NO_SOURCE,
        parties=(AUTHORITY,),
        systems=({**HR, "country": "GB"},),
        subjects=STAFF,
        purposes=PAYE,
        agreements=(dpa(("acme", "hmrc"), aid="x", kind="other"),),
        flows=(CODES,),
        law="Art. 14(1)(d), 14(2)(f): data not obtained from the person",
    ),
    Scenario(
        "uk-art14-obtained-by-law",
        "UK",
        "2026-06-01",
        NOTICE,
        organisation=NO_SOURCE,
        parties=(AUTHORITY,),
        systems=({**HR, "country": "GB"},),
        subjects=STAFF,
        purposes=PAYE,
        agreements=(dpa(("acme", "hmrc"), aid="x", kind="other"),),
        flows=({**CODES, "art14_exemption": "obtained_by_law"},),
        law="Art. 14(5)(c) on a legal obligation (UNCONFIRMED row)",
    ),
    Scenario(
        "uk-art14-obtained-by-law-on-contract",
        "UK",
        "2026-06-01",
        NOTICE,
        expect=_art14(),
        organisation=NO_SOURCE,
        parties=(AUTHORITY,),
        systems=({**HR, "country": "GB"},),
        subjects=STAFF,
        purposes=PAYE,
        agreements=(dpa(("acme", "hmrc"), aid="x", kind="other"),),
        flows=({**CODES, "basis": "contract", "art14_exemption": "obtained_by_law"},),
        law="Art. 14(5)(c) only with a legal obligation or public task basis",
    ),
    Scenario(
        "eu-art14-data-from-authority-no-ground",
        "EU",
        "2026-06-01",
        NOTICE,
        expect=_art14(),
        organisation=NO_SOURCE,
        parties=(importer("DE", role="controller", pid="hmrc", name="Finanzamt"),),
        systems=({**HR, "country": "DE"},),
        subjects=STAFF,
        purposes=PAYE,
        agreements=(dpa(("acme", "hmrc"), aid="x", kind="other"),),
        flows=(CODES,),
        law="GDPR Art. 14(1)(d), 14(2)(f)",
        never=("UK GDPR",),
    ),
)
