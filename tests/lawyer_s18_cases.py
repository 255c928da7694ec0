"""Lawyer review s18 (2026-12-04): more scenarios of the dated law in shared/legal/FACTS.md
and the notice, beyond tests/regime_s17_cases.py: hops a processor (or a client the
organisation serves) makes inside a third country, Swiss revFADP Art. 16/17 cases, the old
SCCs' and the UK's transition days, adequacy decisions' own dates (the EU's decision for the
UK and its extension and renewal; Brazil for the EU but not the UK), the UK Extension for
listed and unlisted importers, the PECR soft opt-in, children's data in schools, Art. 9
conditions, Art. 28(2) authorisation, and the Art. 28(4) contract on a processor's hop sent
under another regime. Each is a small map built on the same base (tests/regime_s17_cases.py),
an audit date and the verdict a lawyer would sign; tests/test_lawyer_s18.py runs them.
"""

from __future__ import annotations

from typing import Any

from tests.regime_s17_cases import (
    CRIT_NO_MECH,
    EXPLICIT,
    HEALTH,
    INVALID,
    LIA,
    MARKETING,
    Expect,
    Scenario,
    T,
    dpa,
    flow,
    importer,
    risk,
    subscribers,
    transfer_agreement,
)

SCEN: list[Scenario] = []


def add(*scenarios: Scenario) -> None:
    SCEN.extend(scenarios)


# --- hops inside a third country: a processor's (or a served client's) onward flow ------------
US_HOST = importer("US", pid="host", name="US Host Inc", listed=["uk_extension"])
US_COURIER = importer("US", pid="courier", name="US Courier Inc")
CLIENT = {
    "id": "client",
    "name": "Client Ltd",
    "kind": "business_customer",
    "country": "GB",
    "role": "controller",
    "notice": "PN-RECIPIENTS",
}
CLIENT_JOB = {
    "id": "client_orders",
    "name": "Client's order fulfilment",
    "controller": "client",
    "notice": "PN-RECIPIENTS",
}
ON_US_SOIL = (
    dpa(("acme", "host"), "2024-06-01", "hostdpa", allows_subprocessing=True),
    dpa(("host", "courier"), "2024-06-01", "courierdpa"),
)
add(
    Scenario(
        "uk-us-host-to-us-courier-onward",
        "UK",
        "2026-06-01",
        T,
        parties=(US_HOST, US_COURIER),
        agreements=ON_US_SOIL,
        flows=(
            flow(target="host", agreement="hostdpa"),
            flow("to-courier", "host", "courier", "courierdpa", basis=None),
        ),
        law="a UK exporter's transfer to a UK Extension importer; the importer's hop to a "
        "courier in the same third country is no new restricted transfer (UK GDPR Art. 44: "
        "onward transfers are to another third country)",
    ),
    Scenario(
        "uk-us-host-unlisted-to-us-courier",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", pid="host", name="US Host Inc"), US_COURIER),
        agreements=ON_US_SOIL,
        flows=(
            flow(target="host", agreement="hostdpa"),
            flow("to-courier", "host", "courier", "courierdpa", basis=None),
        ),
        law="the export is the UK organisation's flow to the unlisted US host (no mechanism); "
        "the host's hop to the courier in the US is not a second export",
    ),
    Scenario(
        "uk-served-client-us-host-to-us-courier",
        "UK",
        "2026-06-01",
        T,
        parties=(CLIENT, US_HOST, US_COURIER),
        purposes=(CLIENT_JOB,),
        agreements=(
            dpa(("client", "acme"), "2024-06-01", "clientdpa", allows_subprocessing=True),
            *ON_US_SOIL,
        ),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="client_orders",
            ),
            flow(
                "f1",
                "acme",
                "host",
                "hostdpa",
                basis=None,
                purpose="client_orders",
                on_behalf_of=["client"],
            ),
            flow(
                "to-courier", "host", "courier", "courierdpa", basis=None, purpose="client_orders"
            ),
        ),
        law="a UK processor's transfer for its client to a UK Extension importer; the host's "
        "hop to the courier in the US is no restricted transfer of the UK processor",
    ),
    Scenario(
        "uk-served-client-unlisted-host",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(CLIENT, importer("US", pid="host", name="US Host Inc"), US_COURIER),
        purposes=(CLIENT_JOB,),
        agreements=(
            dpa(("client", "acme"), "2024-06-01", "clientdpa", allows_subprocessing=True),
            *ON_US_SOIL,
        ),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="client_orders",
            ),
            flow(
                "f1",
                "acme",
                "host",
                "hostdpa",
                basis=None,
                purpose="client_orders",
                on_behalf_of=["client"],
            ),
            flow(
                "to-courier", "host", "courier", "courierdpa", basis=None, purpose="client_orders"
            ),
        ),
        law="a UK processor exporting its client's data is the exporter (UK GDPR Art. 44, "
        "'controller or processor'): no mechanism to the unlisted US host",
    ),
    Scenario(
        "uk-us-host-to-indian-courier",
        "UK",
        "2026-06-01",
        ("GDPR-TRANSFER", "GDPR-ONWARD"),
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-courier"),),
        parties=(US_HOST, importer("IN", pid="courier", name="IN Courier Pvt")),
        agreements=ON_US_SOIL,
        flows=(
            flow(target="host", agreement="hostdpa"),
            flow("to-courier", "host", "courier", "courierdpa", basis=None),
        ),
        law="an onward transfer to another third country is within UK GDPR Art. 44: no "
        "adequacy for India and no onward safeguard recorded on the host's hop",
    ),
)

# --- Swiss exporter: revFADP Art. 16 adequacy (Annex 1) and Art. 17 exceptions ----------------
CH_CONSENT = {
    "id": "c17",
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
        "ch-to-gb-2024",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("GB"),),
        law="the UK is on the Swiss Annex 1 list (FADO Annex 1, UNCONFIRMED)",
    ),
    Scenario(
        "ch-to-in-no-mechanism",
        "CH",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("IN"),),
        law="revFADP Art. 16(1): India is not on Annex 1, and no Art. 16(2) guarantee",
    ),
    Scenario(
        "ch-to-us-uk-extension-only",
        "CH",
        "2024-10-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["uk_extension"]),),
        law="the UK Extension serves UK exporters only",
    ),
    Scenario(
        "ch-scc-2021-with-tia",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2023-01-10")),
        assessments=(risk("2023-01-10"),),
        flows=(
            flow(transfer_mechanism="ch_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="revFADP Art. 16(2)(d): the EU SCCs the FDPIC recognised (UNCONFIRMED row)",
    ),
    Scenario(
        "ch-eu-scc-recorded-as-eu",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2023-01-10")),
        assessments=(risk("2023-01-10"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="a Swiss exporter recording the EU SCCs is judged by the FDPIC-recognised row",
    ),
    Scenario(
        "ch-express-consent-routine",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=(CH_CONSENT,),
        flows=(flow(transfer_mechanism="ch_explicit_consent", consent_record="c17"),),
        law="revFADP Art. 17(1)(a): express consent; the text sets no occasional condition",
    ),
    Scenario(
        "ch-contract-exception",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        flows=(flow(transfer_mechanism="ch_derogation", derogation="contract_with_subject"),),
        law="revFADP Art. 17(1)(b)(1): directly connected with a contract with the person",
    ),
    Scenario(
        "ch-art49-recorded-routine",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=(CH_CONSENT,),
        flows=(flow(transfer_mechanism="art49_explicit_consent", consent_record="c17"),),
        law="a Swiss exporter recording Art. 49(1)(a) is judged under revFADP Art. 17(1)(a)",
    ),
    Scenario(
        "ch-to-ca-private",
        "CH",
        "2024-06-01",
        T,
        parties=(importer("CA"),),
        law="Canada (private sector, PIPEDA) on Annex 1 (UNCONFIRMED), the condition assumed",
    ),
)


# --- transition days: old SCCs, the IDTA and Addendum, the UK's transition period -------------
def _scc(mechanism: str, kind: str, signed: str, assessed: str | None = None) -> dict[str, Any]:
    return {
        "agreements": (dpa(), transfer_agreement(kind, signed)),
        "assessments": (risk(assessed or signed),),
        "flows": (
            flow(transfer_mechanism=mechanism, transfer_agreement="ta", assessments=["tra"]),
        ),
    }


add(
    Scenario(
        "eu-old-scc-signed-2021-09-27",
        "EU",
        "2022-03-01",
        T,
        parties=(importer("IN"),),
        law="no new contracts on the old EU SCCs after 2021-09-27: one signed that day is "
        "FACTS.md's last (the Decision's 'before 27 September' contested, UNCONFIRMED)",
        **_scc("eu_scc_old", "eu_scc_old", "2021-09-27"),
    ),
    Scenario(
        "uk-old-scc-signed-2022-09-21",
        "UK",
        "2024-03-20",
        T,
        parties=(importer("IN"),),
        law="UK exporters: old SCCs concluded on or before 2022-09-21 usable to 2024-03-21",
        **_scc("eu_scc_old_uk", "eu_scc_old", "2022-09-21"),
    ),
    Scenario(
        "uk-old-scc-signed-2022-01-10-after-eu-cutoff",
        "UK",
        "2022-06-01",
        T,
        parties=(importer("IN"),),
        law="the EU's 2021-09-27 cut-off does not bind a UK exporter, whose is 2022-09-21",
        **_scc("eu_scc_old_uk", "eu_scc_old", "2022-01-10"),
    ),
    Scenario(
        "uk-addendum-2022-03-20",
        "UK",
        "2022-03-20",
        T,
        expect=(INVALID,),
        parties=(importer("IN"),),
        law="UK Addendum from 2022-03-21: not yet",
        agreements=(
            dpa(),
            transfer_agreement("eu_scc_2021", "2022-03-01", aid="scc"),
            transfer_agreement("uk_addendum", "2022-03-01"),
        ),
        assessments=(risk("2022-03-01"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
    ),
    Scenario(
        "uk-addendum-2022-03-21",
        "UK",
        "2022-03-21",
        T,
        parties=(importer("IN"),),
        law="UK Addendum from 2022-03-21",
        agreements=(
            dpa(),
            transfer_agreement("eu_scc_2021", "2022-03-01", aid="scc"),
            transfer_agreement("uk_addendum", "2022-03-01"),
        ),
        assessments=(risk("2022-03-01"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
    ),
    Scenario(
        "uk-transition-2020-12-31-eu-scc-old",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("IN"),),
        law="in the transition period a UK exporter followed the EU's table: the old EU SCCs, "
        "with an assessment since Schrems II",
        **_scc("eu_scc_old", "eu_scc_old", "2019-01-10", "2020-09-01"),
    ),
    Scenario(
        "uk-transition-2020-12-31-no-assessment",
        "UK",
        "2020-12-31",
        T,
        expect=(Expect("GDPR-TRANSFER", "assessment-outdated", "high", "flows/f1", "assessments"),),
        parties=(importer("IN"),),
        law="an assessment made before Schrems II (2020-07-16) cannot weigh the importer's law",
        **_scc("eu_scc_old", "eu_scc_old", "2019-01-10", "2019-01-10"),
    ),
)

# --- adequacy decisions with their own dates -----------------------------------------------
add(
    Scenario(
        "eu-uk-adequacy-2025-06-27",
        "EU",
        "2025-06-27",
        T,
        parties=(importer("GB"),),
        law="EU adequacy for the UK, Decision 2021/1772, to 2025-06-27",
    ),
    Scenario(
        "eu-uk-adequacy-extension-2025-06-28",
        "EU",
        "2025-06-28",
        T,
        parties=(importer("GB"),),
        law="EU adequacy for the UK extended to 2025-12-27 (FACTS.md; number UNCONFIRMED)",
    ),
    Scenario(
        "eu-uk-adequacy-renewal-2025-12-28",
        "EU",
        "2025-12-28",
        T,
        parties=(importer("GB"),),
        law="EU adequacy for the UK renewed to 2031-12-27 (FACTS.md; number UNCONFIRMED)",
    ),
    Scenario(
        "uk-brazil-2026-06-01",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("BR"),),
        law="Brazil's adequacy is the EU's (Decision 2026/179), not the UK's",
    ),
    Scenario(
        "uk-japan-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("JP"),),
        law="UK adequacy for Japan from 2021-01-01 (DPA 2018 Sch. 21)",
    ),
    Scenario(
        "uk-japan-2020-12-31-eu-period",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("JP"),),
        law="in the transition period the EU's Japan decision (from 2019-01-23) served UK "
        "exporters",
    ),
    Scenario(
        "uk-korea-2021-12-17-eu-only",
        "UK",
        "2021-12-17",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("KR"),),
        law="the EU's Korea decision (2021-12-17) is not the UK's, whose is from 2022-12-19",
    ),
    Scenario(
        "uk-gibraltar-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("GI"),),
        law="UK adequacy for Gibraltar from 2021-01-01 (DPA 2018 Sch. 21)",
    ),
    Scenario(
        "eu-us-dpf-unlisted-2024",
        "EU",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US"),),
        law="the EU-US DPF covers listed importers only",
    ),
    Scenario(
        "uk-us-extension-unlisted-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US"),),
        law="the UK Extension covers listed importers only",
    ),
    Scenario(
        "uk-us-extension-criminal-unflagged",
        "UK",
        "2024-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "sensitive-not-flagged", "critical", "flows/f1"),),
        parties=(importer("US", listed=["uk_extension"]),),
        organisation={"appropriate_policy_document": "https://acme.example/apd"},
        categories=({"id": "criminal", "name": "DBS check results", "criminal_offence": True},),
        flows=(flow(categories=["criminal"], art10_condition="employment"),),
        law="UK Extension: criminal offence data must be flagged (SI 2023/1028; ICO)",
    ),
    Scenario(
        "uk-us-extension-criminal-flagged",
        "UK",
        "2024-06-01",
        T,
        parties=(importer("US", listed=["uk_extension"]),),
        organisation={"appropriate_policy_document": "https://acme.example/apd"},
        categories=({"id": "criminal", "name": "DBS check results", "criminal_offence": True},),
        flows=(
            flow(categories=["criminal"], art10_condition="employment", flagged_sensitive=True),
        ),
        law="UK Extension: criminal offence data flagged as sensitive",
    ),
)

# --- DUAA 2025: the analytics cookie exemption (PECR Sch. A1), commencement UNCONFIRMED -------
ANALYTICS = {"id": "_ga", "purpose": "analytics", "clear_information": True, "opt_out": True}
SITE = {
    "id": "site",
    "name": "Website",
    "owner": "acme",
    "country": "GB",
    "categories": ["contact.name"],
    "subjects": ["customers"],
    "retention_days": 365,
    "encrypted_at_rest": True,
    "notice": "PN-RECIPIENTS",
    "cookies": [ANALYTICS],
}
COOKIE = ("PECR-COOKIES",)
add(
    Scenario(
        "uk-analytics-cookie-exemption-2026-02-04",
        "UK",
        "2026-02-04",
        COOKIE,
        expect=(Expect("PECR-COOKIES", "no-consent", "medium", "systems/site", "cookies[0]"),),
        parties=(importer("GB"),),
        systems=(SITE,),
        flows=(flow(), flow("visit", "acme", "site", None)),
        law="PECR reg. 6: analytics cookies need consent before the DUAA's exemption",
    ),
    Scenario(
        "uk-analytics-cookie-exemption-2026-02-05",
        "UK",
        "2026-02-05",
        COOKIE,
        parties=(importer("GB"),),
        systems=(SITE,),
        flows=(flow(), flow("visit", "acme", "site", None)),
        law="PECR Sch. A1 (DUAA 2025 s.112): analytics with clear information and an opt-out "
        "(commencement UNCONFIRMED)",
    ),
)

# --- PECR soft opt-in (reg. 22(3)) -------------------------------------------------------------
SOFT = flow(
    categories=["contact.email"],
    subjects=["people"],
    purpose="marketing",
    basis="legitimate_interests",
    assessment="lia",
    opt_out="unsubscribe link",
    channel="email",
    soft_opt_in=True,
)
PECR = ("PECR-MARKETING-CONSENT",)
PHONE = {"id": "contact.phone", "name": "Mobile number"}
add(
    Scenario(
        "uk-pecr-soft-opt-in-individual",
        "UK",
        "2026-06-01",
        PECR,
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        flows=(SOFT,),
        law="PECR reg. 22(3): the soft opt-in for individual subscribers (conditions on trust)",
    ),
    Scenario(
        "uk-pecr-soft-opt-in-sms",
        "UK",
        "2026-06-01",
        PECR,
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        categories=(PHONE,),
        flows=({**SOFT, "channel": "sms", "categories": ["contact.phone"]},),
        law="PECR reg. 22(3): texts are electronic mail, the soft opt-in applies",
    ),
    Scenario(
        "uk-pecr-soft-opt-in-automated-call",
        "UK",
        "2026-06-01",
        PECR,
        expect=(Expect("PECR-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        categories=(PHONE,),
        flows=({**SOFT, "channel": "automated_call", "categories": ["contact.phone"]},),
        law="PECR reg. 19: automated calls need consent; no soft opt-in",
    ),
    Scenario(
        "uk-pecr-sms-corporate",
        "UK",
        "2026-06-01",
        PECR,
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("corporate"),
        assessments=(LIA,),
        categories=(PHONE,),
        flows=({**SOFT, "channel": "sms", "soft_opt_in": False, "categories": ["contact.phone"]},),
        law="PECR reg. 22 protects individual subscribers only",
    ),
)

# --- children's data in schools ----------------------------------------------------------------
SCHOOL = {
    "id": "school",
    "name": "Hilltop Primary",
    "kind": "school",
    "country": "GB",
    "role": "controller",
    "notice": "PN-RECIPIENTS",
}
PUPILS = {"id": "pupils", "name": "Pupils", "children": True, "party_to_contract": False}
SCHOOL_JOB = {
    "id": "school_it",
    "name": "School network support",
    "controller": "school",
    "notice": "PN-RECIPIENTS",
}
AGR = ("GDPR-AGREEMENT",)
add(
    Scenario(
        "uk-school-pupils-processor-no-contract",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/intake"),),
        parties=(SCHOOL, importer("GB")),
        subjects=(
            {"id": "customers", "name": "Customers", "party_to_contract": True},
            PUPILS,
        ),
        purposes=(SCHOOL_JOB,),
        flows=(
            flow(),
            flow(
                "intake",
                "school",
                "acme",
                None,
                recipient_role="processor",
                subjects=["pupils"],
                purpose="school_it",
                basis="public_task",
            ),
        ),
        law="a processor of pupils' data needs an Art. 28 contract with the school (FACTS.md, "
        "Children; problem 6)",
    ),
    Scenario(
        "uk-school-pupils-processor-contract",
        "UK",
        "2026-06-01",
        AGR,
        parties=(SCHOOL, importer("GB")),
        subjects=(
            {"id": "customers", "name": "Customers", "party_to_contract": True},
            PUPILS,
        ),
        purposes=(SCHOOL_JOB,),
        agreements=(dpa(), dpa(("school", "acme"), "2024-06-01", "schooldpa")),
        flows=(
            flow(),
            flow(
                "intake",
                "school",
                "acme",
                "schooldpa",
                recipient_role="processor",
                subjects=["pupils"],
                purpose="school_it",
                basis="public_task",
            ),
        ),
        law="an Art. 28 contract with the school in place",
    ),
    Scenario(
        "uk-child-consent-no-parent",
        "UK",
        "2026-06-01",
        ("GDPR-BASIS",),
        expect=(Expect("GDPR-BASIS", "child-consent", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        subjects=({"id": "kids", "name": "Young users", "children": True, "min_age": 10},),
        consent_records=(EXPLICIT,),
        flows=(flow(subjects=["kids"], basis="consent", consent_record="cr"),),
        law="UK GDPR Art. 8(1), DPA 2018 s.9: under 13 consent by a parent",
    ),
    Scenario(
        "uk-child-consent-13",
        "UK",
        "2026-06-01",
        ("GDPR-BASIS",),
        parties=(importer("GB"),),
        subjects=({"id": "kids", "name": "Young users", "children": True, "min_age": 13},),
        consent_records=(EXPLICIT,),
        flows=(flow(subjects=["kids"], basis="consent", consent_record="cr"),),
        law="UK: at 13 a child consents to an online service itself (DPA 2018 s.9)",
    ),
    Scenario(
        "eu-de-child-consent-13",
        "EU",
        "2026-06-01",
        ("GDPR-BASIS",),
        expect=(Expect("GDPR-BASIS", "child-consent", "high", "flows/f1", "consent_record"),),
        parties=(importer("DE"),),
        subjects=({"id": "kids", "name": "Young users", "children": True, "min_age": 13},),
        consent_records=(EXPLICIT,),
        flows=(flow(subjects=["kids"], basis="consent", consent_record="cr"),),
        law="Germany keeps the GDPR's 16 (Art. 8(1))",
    ),
)

# --- Art. 9 conditions -------------------------------------------------------------------------
A9 = ("GDPR-ART9",)
STAFF = {"id": "staff", "name": "Our staff", "employees": True, "party_to_contract": True}
add(
    Scenario(
        "uk-health-employment-with-policy",
        "UK",
        "2026-06-01",
        A9,
        organisation={"appropriate_policy_document": "https://acme.example/apd"},
        parties=(importer("GB"),),
        subjects=(STAFF,),
        categories=(HEALTH,),
        flows=(
            flow(
                subjects=["staff"],
                categories=["health"],
                art9_condition="employment_social_security",
            ),
        ),
        law="Art. 9(2)(b) with DPA 2018 Sch. 1 para 1 and an appropriate policy document",
    ),
    Scenario(
        "uk-health-employment-no-policy",
        "UK",
        "2026-06-01",
        A9,
        expect=(Expect("GDPR-ART9", "no-policy-document", "high", "flows/f1", "art9_condition"),),
        parties=(importer("GB"),),
        subjects=(STAFF,),
        categories=(HEALTH,),
        flows=(
            flow(
                subjects=["staff"],
                categories=["health"],
                art9_condition="employment_social_security",
            ),
        ),
        law="DPA 2018 Sch. 1 para 1(1)(b), Part 4: an appropriate policy document",
    ),
    Scenario(
        "eu-health-employment-no-policy-needed",
        "EU",
        "2026-06-01",
        A9,
        parties=(importer("DE"),),
        subjects=(STAFF,),
        categories=(HEALTH,),
        flows=(
            flow(
                subjects=["staff"],
                categories=["health"],
                art9_condition="employment_social_security",
            ),
        ),
        law="GDPR Art. 9(2)(b): Member State law, no DPA 2018 policy document",
        never=("DPA 2018",),
    ),
    Scenario(
        "uk-health-consent-not-explicit",
        "UK",
        "2026-06-01",
        A9,
        expect=(Expect("GDPR-ART9", "no-explicit-consent", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        categories=(HEALTH,),
        consent_records=({**EXPLICIT, "explicit": False},),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        law="Art. 9(2)(a) needs explicit consent",
    ),
    Scenario(
        "ch-health-no-condition-not-judged",
        "CH",
        "2024-06-01",
        A9,
        parties=(importer("CH"),),
        categories=(HEALTH,),
        flows=(flow(categories=["health"]),),
        law="the revFADP has no Art. 9(2) list (Art. 5(c), 30-31)",
    ),
)

# --- Art. 28(2): sub-processors only with authorisation ---------------------------------------
SUBP = ("GDPR-SUBPROCESSING",)
PROC = importer("GB", pid="proc", name="Proc Ltd")
add(
    Scenario(
        "uk-sub-processor-not-authorised",
        "UK",
        "2026-06-01",
        SUBP,
        expect=(Expect("GDPR-SUBPROCESSING", "not-authorised", "high", "flows/to-sub"),),
        parties=(PROC, importer("GB", pid="sub", name="Sub Ltd")),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01"),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", "subdpa", basis=None)),
        law="Art. 28(2): no sub-processor without the controller's prior authorisation",
    ),
    Scenario(
        "uk-sub-processor-authorised",
        "UK",
        "2026-06-01",
        SUBP,
        parties=(PROC, importer("GB", pid="sub", name="Sub Ltd")),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", "subdpa", basis=None)),
        law="Art. 28(2): general written authorisation given",
    ),
)

# --- GDPR-AGREEMENT on a processor's hop sent under another regime ----------------------------
EU_PROC = importer("DE", pid="euproc", name="EU Proc GmbH")
add(
    Scenario(
        "uk-map-de-processor-sub-no-contract",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-sub"),),
        parties=(EU_PROC, importer("FR", pid="sub", name="FR Sub SAS")),
        agreements=(dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", None, basis=None)),
        law="the German processor owes its sub-processor contract under GDPR Art. 28(4) "
        "(established in the EU, Art. 3(1))",
        cites=("GDPR Art. 28(4)", "GDPR Art. 28(9)", "UK GDPR Art. 28(3)(d)"),
        never=("UK GDPR Art. 28(4)", "UK GDPR Art. 28(9)"),
    ),
    Scenario(
        "eu-map-uk-processor-sub-no-contract",
        "EU",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-sub"),),
        parties=(
            importer("GB", pid="ukproc", name="UK Proc Ltd"),
            importer("GB", pid="sub", name="Sub Ltd"),
        ),
        agreements=(dpa(("acme", "ukproc"), "2024-06-01", allows_subprocessing=True),),
        flows=(flow(target="ukproc"), flow("to-sub", "ukproc", "sub", None, basis=None)),
        law="the UK processor owes its sub-processor contract under UK GDPR Art. 28(4)",
        cites=("UK GDPR Art. 28(4)", "UK GDPR Art. 28(9)", "GDPR Art. 28(3)(d)"),
    ),
    Scenario(
        "ch-map-de-processor-sub-no-contract",
        "CH",
        "2024-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-sub"),),
        parties=(EU_PROC, importer("FR", pid="sub", name="FR Sub SAS")),
        agreements=(dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", None, basis=None)),
        law="a Swiss organisation's German processor owes GDPR Art. 28(4), not revFADP Art. 9(3)",
        cites=("GDPR Art. 28(4)", "GDPR Art. 28(9)", "revFADP Art. 9(3)"),
        never=("revFADP Art. 9(1)", "UK GDPR"),
    ),
    Scenario(
        "uk-map-gb-processor-sub-no-contract",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-sub"),),
        parties=(PROC, importer("FR", pid="sub", name="FR Sub SAS")),
        agreements=(dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", None, basis=None)),
        law="the control: a UK processor in a UK map owes UK GDPR Art. 28(4)",
        cites=("UK GDPR Art. 28(4)", "UK GDPR Art. 28(9)", "UK GDPR Art. 28(3)(d)"),
    ),
    Scenario(
        "uk-map-us-processor-sub-no-contract",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-courier"),),
        parties=(US_HOST, US_COURIER),
        agreements=(dpa(("acme", "host"), "2024-06-01", "hostdpa", allows_subprocessing=True),),
        flows=(
            flow(target="host", agreement="hostdpa"),
            flow("to-courier", "host", "courier", None, basis=None),
        ),
        law="a US processor is bound by the UK controller's contract terms (UK GDPR Art. "
        "28(3)(d), 28(4)), under no modelled law of its own: the organisation's law is cited",
        cites=("UK GDPR Art. 28(4)", "UK GDPR Art. 28(9)", "UK GDPR Art. 28(3)(d)"),
    ),
)

# --- a served client's own export, and a client abroad ---------------------------------------
add(
    Scenario(
        "uk-served-client-own-us-courier",
        "UK",
        "2026-06-01",
        T,
        no_transfer=True,
        parties=(CLIENT, US_COURIER),
        purposes=(CLIENT_JOB,),
        agreements=(
            dpa(("client", "acme"), "2024-06-01", "clientdpa"),
            dpa(("client", "courier"), "2024-06-01", "ccdpa"),
        ),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="client_orders",
            ),
            flow("f1", "client", "courier", "ccdpa", purpose="client_orders"),
        ),
        law="the client's own flow to its US courier is the client's export (it is the "
        "controller and exporter), not the organisation's",
    ),
    Scenario(
        "uk-served-us-client-us-host",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(
            {**CLIENT, "country": "US", "name": "Client Inc"},
            importer("US", pid="host", name="US Host Inc"),
        ),
        purposes=(CLIENT_JOB,),
        agreements=(
            dpa(("client", "acme"), "2024-06-01", "clientdpa", allows_subprocessing=True),
            dpa(("acme", "host"), "2024-06-01", "hostdpa"),
        ),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="client_orders",
            ),
            flow(
                "f1",
                "acme",
                "host",
                "hostdpa",
                basis=None,
                purpose="client_orders",
                on_behalf_of=["client"],
            ),
        ),
        law="a UK processor sending its US client's data to its own US sub-processor makes "
        "a restricted transfer (UK GDPR Art. 3(1), 44)",
    ),
)

# --- the same, where the sub-processor engaged with no contract passes the data on ------------
add(
    Scenario(
        "uk-map-de-processor-sub-no-contract-passes-on",
        "UK",
        "2026-06-01",
        ("GDPR-AGREEMENT", "GDPR-SUBPROCESSING"),
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/to-sub"),),
        parties=(
            EU_PROC,
            importer("FR", pid="sub", name="FR Sub SAS"),
            importer("FR", pid="sub2", name="FR Backup SAS"),
        ),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("sub", "sub2"), "2024-06-01", "sub2dpa"),
        ),
        flows=(
            flow(target="euproc"),
            flow("to-sub", "euproc", "sub", None, basis=None),
            flow("to-sub2", "sub", "sub2", "sub2dpa", basis=None),
        ),
        law="one problem: the German processor's missing Art. 28(4) contract, which also leaves "
        "the sub-processor no authorisation to engage another (Art. 28(2)): GDPR, its law",
        cites=("GDPR Art. 28(4)", "GDPR Art. 28(9)", "GDPR Art. 28(2)", "UK GDPR Art. 28(3)(d)"),
        never=("UK GDPR Art. 28(4)", "UK GDPR Art. 28(2)"),
    ),
)

# --- more: an EU processor's onward transfer for a UK map, the express consent, opt-out ------
add(
    Scenario(
        "uk-map-de-processor-to-us-dpf",
        "UK",
        "2026-06-01",
        T,
        parties=(EU_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["eu_us_dpf"])),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("euproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", "subdpa", basis=None)),
        law="the German processor exports under the GDPR: the EU-US DPF serves it",
    ),
    Scenario(
        "uk-map-de-processor-to-us-uk-extension-only",
        "UK",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        parties=(EU_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["uk_extension"])),
        agreements=(
            dpa(("acme", "euproc"), "2024-06-01", allows_subprocessing=True),
            dpa(("euproc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="euproc"), flow("to-sub", "euproc", "sub", "subdpa", basis=None)),
        law="the UK Extension serves UK exporters; the German processor is an EU exporter",
        cites=("GDPR Art. 44-46", "GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
    ),
    Scenario(
        "ch-express-consent-not-explicit",
        "CH",
        "2024-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "no-explicit-consent", "critical", "flows/f1", "consent_record"
            ),
        ),
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=({**CH_CONSENT, "explicit": False},),
        flows=(flow(transfer_mechanism="ch_explicit_consent", consent_record="c17"),),
        law="revFADP Art. 17(1)(a): the consent must be express",
    ),
    Scenario(
        "uk-pecr-soft-opt-in-no-opt-out",
        "UK",
        "2026-06-01",
        PECR,
        expect=(Expect("PECR-MARKETING-CONSENT", "soft-opt-in-incomplete", "high", "flows/f1"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        flows=({k: v for k, v in SOFT.items() if k != "opt_out"},),
        law="PECR reg. 22(3)(c): a simple way to refuse at collection and in every message",
    ),
)

# --- old SCCs recorded under the EU's name by a UK exporter; sharing; contract basis ----------
add(
    Scenario(
        "uk-2021-old-scc-recorded-as-eu",
        "UK",
        "2021-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "recorded-under-other-row", "low", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=(importer("IN"),),
        law="the old EU SCCs stay a UK exporter's safeguard from 2021 (ICO transitional "
        "provisions): recorded under the EU exporters' row, a LOW to re-record, not a CRITICAL",
        **_scc("eu_scc_old", "eu_scc_old", "2019-01-10", "2020-09-01"),
    ),
    Scenario(
        "uk-controller-sharing-no-agreement",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "sharing-missing", "low", "flows/f1"),),
        parties=(importer("GB", role="controller"),),
        flows=(flow(agreement=None),),
        law="a data sharing agreement between controllers is good practice, not a legal "
        "requirement (FACTS.md, Roles; ICO Data Sharing Code)",
    ),
    Scenario(
        "uk-contract-basis-customer-staff",
        "UK",
        "2026-06-01",
        ("GDPR-BASIS",),
        parties=(importer("GB"),),
        expect=(
            Expect(
                "GDPR-BASIS",
                "contract-not-party",
                "high",
                "subjects/customers",
                "party_to_contract",
            ),
        ),
        subjects=({"id": "customers", "name": "Customer staff", "party_to_contract": False},),
        law="Art. 6(1)(b) only where the person is party to the contract (FACTS.md, Roles; ICO)",
    ),
)

# --- Japan's adequacy: business operators under the APPI only (Decision 2019/419 Art. 1(1)) ---
add(
    Scenario(
        "eu-japan-ministry-2024",
        "EU",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=({**importer("JP"), "kind": "government_ministry"},),
        law="Japan's adequacy covers APPI business operators, not the public sector "
        "(Decision 2019/419 Art. 1(1), recital 10; the condition UNCONFIRMED)",
    ),
    Scenario(
        "uk-japan-ministry-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=({**importer("JP"), "kind": "government_ministry"},),
        law="the UK's Japan adequacy is the EU decision carried over (DPA 2018 Sch. 21): the "
        "same scope",
    ),
    Scenario(
        "uk-japan-business-2024",
        "UK",
        "2024-06-01",
        T,
        parties=(importer("JP"),),
        law="a Japanese business operator: adequate, the APPI condition taken on trust",
    ),
)
add(
    Scenario(
        "uk-us-host-to-japanese-ministry-onward",
        "UK",
        "2026-06-01",
        ("GDPR-ONWARD",),
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-courier"),),
        parties=(
            US_HOST,
            {**importer("JP", pid="courier", name="JP Ministry"), "kind": "ministry"},
        ),
        agreements=ON_US_SOIL,
        flows=(
            flow(target="host", agreement="hostdpa"),
            flow("to-courier", "host", "courier", "courierdpa", basis=None),
        ),
        law="an onward transfer to a Japanese public body rests on no adequacy (Decision "
        "2019/419 Art. 1(1)), as the direct transfer",
    ),
)

# --- Gibraltar for an EU exporter; texts signed before they existed; the Addendum alone ------
BEFORE_TEXT = Expect(
    "GDPR-TRANSFER", "signed-before-available", "critical", "flows/f1", "transfer_agreement"
)
add(
    Scenario(
        "eu-gibraltar-2021-07-01",
        "EU",
        "2021-07-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("GI"),),
        law="no EU adequacy decision covers Gibraltar (the UK's, Decision 2021/1772, does not; "
        "the TCA bridge did not apply to it): a third country for an EU exporter from 2021",
    ),
    Scenario(
        "eu-gibraltar-2020-06-01",
        "EU",
        "2020-06-01",
        T,
        no_transfer=True,
        parties=(importer("GI"),),
        law="Gibraltar under EU law with the UK until 2020-12-31 (TFEU Art. 355(3); Withdrawal "
        "Agreement Art. 3(1)(b)): no restricted transfer",
    ),
    Scenario(
        "uk-idta-signed-before-text",
        "UK",
        "2022-06-01",
        T,
        expect=(BEFORE_TEXT,),
        parties=(importer("IN"),),
        law="the IDTA's text was laid on 2022-02-02: a contract dated 2022-01-10 is not one",
        **_scc("idta", "idta", "2022-01-10", "2022-01-10"),
    ),
    Scenario(
        "eu-scc-2021-signed-before-publication",
        "EU",
        "2021-09-01",
        T,
        expect=(BEFORE_TEXT,),
        parties=(importer("IN"),),
        law="the 2021 SCCs were published on 2021-06-07 (OJ L 199): a contract dated 2021-06-05 "
        "is not one",
        **_scc("eu_scc_2021", "eu_scc_2021", "2021-06-05", "2021-06-05"),
    ),
    Scenario(
        "uk-addendum-alone",
        "UK",
        "2023-06-01",
        T,
        parties=(importer("IN"),),
        law="the Addendum may incorporate the EU SCCs by reference (its Table 2): no separate "
        "SCC contract is needed",
        **_scc("uk_addendum", "uk_addendum", "2022-06-01"),
    ),
)
add(
    Scenario(
        "uk-served-client-no-authorisation",
        "UK",
        "2026-06-01",
        ("GDPR-PROCESSOR", "GDPR-SUBPROCESSING"),
        expect=(
            Expect(
                "GDPR-PROCESSOR", "subprocessor-not-authorised", "high", "flows/intake", "agreement"
            ),
            Expect("GDPR-PROCESSOR", "no-processor-record", "medium", "organisation/acme"),
        ),
        parties=(CLIENT, US_HOST, US_COURIER),
        purposes=(CLIENT_JOB,),
        agreements=(dpa(("client", "acme"), "2024-06-01", "clientdpa"), *ON_US_SOIL),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="client_orders",
            ),
            flow(
                "f1",
                "acme",
                "host",
                "hostdpa",
                basis=None,
                purpose="client_orders",
                on_behalf_of=["client"],
            ),
            flow(
                "to-courier", "host", "courier", "courierdpa", basis=None, purpose="client_orders"
            ),
        ),
        law="Art. 28(2): the client must authorise the organisation's US host and, down the "
        "chain, its courier (one finding on the client's intake naming both); the host's hop "
        "in the US is no export of the organisation's",
    ),
)
