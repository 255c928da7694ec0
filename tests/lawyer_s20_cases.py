"""Lawyer review s20 (2026-12-04): scenarios of the dated law in shared/legal/FACTS.md and the
notice beyond tests/regime_s17_cases.py, tests/lawyer_s18_cases.py and
tests/lawyer_s19_cases.py: every adequacy decision FACTS.md lists, for the UK's own list and
the EU's, with their scope limits (Canada for PIPEDA-covered organisations, the US for listed
importers, Japan's business operators) and the places the two lists differ (Gibraltar,
Monaco, the Faroe Islands, the EEA states outside the EU, the overseas territories); Japan
before and after its decision for a UK exporter still inside the EU regime; the assessment
Schrems II asks from 2020-07-16 for the old EU SCCs and BCRs; which exporter may use the IDTA,
the UK Addendum and the EU SCCs; the Art. 49 derogations and where they do not reach
(storage abroad, a processor, no ground, the compelling-interests conditions); the UK
Extension's sensitive categories; Art. 9 conditions by purpose; combinations (a special
category flow that is both international and onward; a joint controller or an independent
controller abroad); PECR by channel and subscriber; the notice's own promises under the
concero-notice policy; Switzerland as exporter. Each is a small map built on the base of
tests/regime_s17_cases.py, an audit date and the verdict a lawyer would sign;
tests/test_lawyer_s20.py runs them.
"""

from __future__ import annotations

from typing import Any

from tests.regime_s17_cases import (
    ART49,
    CRIT_NO_MECH,
    EXPLICIT,
    HEALTH,
    LIA,
    MARKETING,
    TO,
    WRONG_EXPORTER,
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


NOT_INFORMED = Expect(
    "GDPR-TRANSFER", "consent-not-informed", "critical", "flows/f1", "consent_record"
)
NOT_CONSENT = Expect("PECR-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis")
ART9 = ("GDPR-ART9",)
PECR = ("PECR-MARKETING-CONSENT",)
AGR = ("GDPR-AGREEMENT",)


def _adequate(name: str, regime: str, country: str, law: str, **more: Any) -> Scenario:
    return Scenario(name, regime, "2026-06-01", T, parties=(importer(country),), law=law, **more)


def _not_adequate(name: str, regime: str, country: str, law: str, **more: Any) -> Scenario:
    return Scenario(
        name,
        regime,
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer(country),),
        law=law,
        **more,
    )


# --- the UK's Sch. 21 list, each state FACTS.md names that earlier rounds did not ------------
SCH21 = "DPA 2018 Sch. 21 (FACTS.md, Adequacy: UK, from 2021-01-01)"
add(
    _adequate("uk-andorra-2026", "UK", "AD", SCH21),
    _adequate("uk-argentina-2026", "UK", "AR", SCH21),
    _adequate("uk-guernsey-2026", "UK", "GG", SCH21),
    _adequate("uk-isle-of-man-2026", "UK", "IM", SCH21),
    _adequate("uk-israel-2026", "UK", "IL", SCH21),
    _adequate("uk-jersey-2026", "UK", "JE", SCH21),
    _adequate("uk-uruguay-2026", "UK", "UY", SCH21),
    _adequate(
        "uk-faroe-2026",
        "UK",
        "FO",
        "DPA 2018 Sch. 21: Faroe Islands, UNCONFIRMED in FACTS.md (the pass carries the mark)",
    ),
    _adequate("uk-canada-commercial-2026", "UK", "CA", "Sch. 21: Canada (PIPEDA)"),
    _adequate("uk-norway-2026", "UK", "NO", "Sch. 21: the EEA states, Norway included"),
    _adequate("uk-liechtenstein-2026", "UK", "LI", "Sch. 21: the EEA states, Liechtenstein"),
    _adequate("uk-iceland-2026", "UK", "IS", "Sch. 21: the EEA states, Iceland"),
    _adequate(
        "uk-reunion-2026",
        "UK",
        "RE",
        "Réunion is France (TFEU Art. 349, 355(1)): inside the EEA states of Sch. 21",
    ),
    _not_adequate(
        "uk-monaco-2026",
        "UK",
        "MC",
        "Monaco is on no list FACTS.md gives for a UK exporter: an Art. 46 mechanism needed",
        never=("SI 2023/1028",),
        cites=("UK GDPR Art. 44-46", "UK GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
    ),
    _not_adequate(
        "uk-french-polynesia-2026",
        "UK",
        "PF",
        "French Polynesia is an overseas country (TFEU Art. 355(2)), not part of the EU: "
        "Sch. 21's EEA states do not cover it",
        never=("SI 2023/1028",),
        cites=("UK GDPR Art. 44-46", "UK GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
    ),
    _not_adequate(
        "uk-brazil-2026-01-26",
        "UK",
        "BR",
        "Brazil is adequate for EU exporters from 2026-01-26 (Decision 2026/179); no UK "
        "regulations name it (FACTS.md, Adequacy: UK)",
        never=("SI 2023/1028",),
        cites=("UK GDPR Art. 44-46", "UK GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
    ),
)
# a Canadian public body is outside PIPEDA: Canada's adequacy does not reach it
CA_AGENCY = {**importer("CA", role="controller"), "kind": "federal_agency"}
add(
    Scenario(
        "uk-canada-federal-agency",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(CA_AGENCY,),
        agreements=(dpa(kind="data_sharing_agreement"),),
        law="FACTS.md: Canada (PIPEDA) only; a federal agency is outside PIPEDA",
    ),
    Scenario(
        "eu-canada-federal-agency",
        "EU",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(CA_AGENCY,),
        agreements=(dpa(kind="data_sharing_agreement"),),
        law="Decision 2002/2/EC: PIPEDA-covered organisations only",
    ),
)

# --- the EU's list --------------------------------------------------------------------------
EULIST = "Commission adequacy list (FACTS.md, Adequacy: EU)"
add(
    _adequate("eu-andorra-2026", "EU", "AD", EULIST),
    _adequate("eu-argentina-2026", "EU", "AR", EULIST),
    _adequate("eu-faroe-2026", "EU", "FO", EULIST + ": the Faroe Islands (not UNCONFIRMED here)"),
    _adequate("eu-guernsey-2026", "EU", "GG", EULIST),
    _adequate("eu-israel-2026", "EU", "IL", EULIST),
    _adequate("eu-isle-of-man-2026", "EU", "IM", EULIST),
    _adequate("eu-jersey-2026", "EU", "JE", EULIST),
    _adequate("eu-new-zealand-2026", "EU", "NZ", EULIST),
    _adequate("eu-switzerland-2026", "EU", "CH", EULIST),
    _adequate("eu-uruguay-2026", "EU", "UY", EULIST),
    _adequate("eu-canada-commercial-2026", "EU", "CA", EULIST + ": Canada (PIPEDA)"),
    _adequate("eu-uk-2026", "EU", "GB", "Decision 2021/1772 as renewed to 2031-12-27"),
    _not_adequate("eu-monaco-2026", "EU", "MC", "Monaco is not on the EU's list in FACTS.md"),
    _not_adequate("eu-india-2026", "EU", "IN", "India is not on the EU's list in FACTS.md"),
    Scenario(
        "eu-to-norway-2026",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("NO"),),
        no_transfer=True,
        law="Norway is an EEA state: inside the GDPR's area, no restricted transfer",
    ),
    Scenario(
        "eu-to-aland-2026",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("AX"),),
        no_transfer=True,
        law="the Åland Islands are Finland (TFEU Art. 355(4)): no restricted transfer",
    ),
)

# --- a UK exporter inside the EU regime (to 2020-12-31): the EU's Japan decision's day ------
add(
    Scenario(
        "uk-japan-2019-01-22-member",
        "UK",
        "2019-01-22",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("JP"),),
        law="a UK exporter followed the EU's table as a member state; Japan adequate from "
        "2019-01-23 (Decision 2019/419): not yet",
    ),
    Scenario(
        "uk-japan-2019-01-23-member",
        "UK",
        "2019-01-23",
        T,
        parties=(importer("JP"),),
        law="Decision 2019/419 applied to a UK exporter as a member state from 2019-01-23",
    ),
    Scenario(
        "uk-to-germany-2020-01-31-member",
        "UK",
        "2020-01-31",
        T,
        parties=(importer("DE"),),
        no_transfer=True,
        law="the UK's last day as a member state: UK->EEA no restricted transfer",
    ),
    Scenario(
        "uk-to-germany-2020-02-01-transition",
        "UK",
        "2020-02-01",
        T,
        parties=(importer("DE"),),
        no_transfer=True,
        law="the first day of the transition period: still no restricted transfer "
        "(Withdrawal Agreement Art. 126-127)",
    ),
    Scenario(
        "uk-to-germany-2021-01-01-sch21",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("DE"),),
        law="from 2021-01-01 a restricted transfer, adequate under DPA 2018 Sch. 21",
    ),
)

# --- Schrems II's assessment (from 2020-07-16) for the old EU SCCs and BCRs -------------------
OLD_SCC = {
    "parties": (importer("IN"),),
    "agreements": (dpa(), transfer_agreement("eu_scc_old", "2019-01-10")),
    "flows": (flow(transfer_mechanism="eu_scc_old", transfer_agreement="ta"),),
}
add(
    Scenario(
        "eu-old-scc-no-assessment-2020-07-15",
        "EU",
        "2020-07-15",
        T,
        **OLD_SCC,
        law="before Schrems II the old SCCs carried a transfer without an assessment of the "
        "importer's law",
    ),
    Scenario(
        "eu-old-scc-no-assessment-2020-07-16",
        "EU",
        "2020-07-16",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        **OLD_SCC,
        law="from Schrems II (CJEU C-311/18, 2020-07-16) SCCs need an assessment of the "
        "importer's law",
    ),
    Scenario(
        "uk-old-scc-no-assessment-2020-07-16-transition",
        "UK",
        "2020-07-16",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        **OLD_SCC,
        law="a UK exporter in the transition period followed the EU's row: the same "
        "assessment from 2020-07-16",
    ),
    Scenario(
        "eu-old-scc-pre-schrems-assessment-2021",
        "EU",
        "2021-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "assessment-outdated", "high", "flows/f1", "assessments"),),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("eu_scc_old", "2019-01-10")),
        assessments=(risk("2019-06-01"),),
        flows=(
            flow(transfer_mechanism="eu_scc_old", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="an assessment completed before Schrems II cannot be the assessment the judgment "
        "asks (transfers.yaml, assessment_not_before)",
    ),
)

# --- who may use which instrument: IDTA, Addendum, EU SCCs ------------------------------------
IN_IMPORTER = (importer("IN"),)
add(
    Scenario(
        "eu-idta-recorded",
        "EU",
        "2024-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("idta", "2023-06-01")),
        assessments=(risk("2023-06-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="the IDTA is a UK instrument (DPA 2018 s.119A): no safeguard for an EU exporter",
    ),
    Scenario(
        "eu-uk-addendum-recorded",
        "EU",
        "2024-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("uk_addendum", "2023-06-01")),
        assessments=(risk("2023-06-01"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="the UK Addendum is a UK instrument: no safeguard for an EU exporter",
    ),
    Scenario(
        "uk-idta-no-assessment-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("idta", "2023-06-01")),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta"),),
        law="FACTS.md: the IDTA needs a transfer risk assessment",
    ),
    Scenario(
        "uk-idta-draft-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "mechanism-agreement-unsigned",
                "critical",
                "flows/f1",
                "transfer_agreement",
            ),
        ),
        parties=IN_IMPORTER,
        agreements=(dpa(), {**transfer_agreement("idta", "2023-06-01"), "status": "draft"}),
        assessments=(risk("2023-06-01"),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="a contract safeguard must be signed (Art. 46(2)): a draft IDTA carries nothing",
    ),
    Scenario(
        "uk-addendum-signed-2022-02-10",
        "UK",
        "2022-04-01",
        T,
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("uk_addendum", "2022-02-10")),
        assessments=(risk("2022-02-10"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="the Addendum's text laid 2022-02-02, in force 2022-03-21: a contract signed in "
        "between holds from the 21st",
    ),
    Scenario(
        "eu-scc-2021-to-us-unlisted-2026",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("US"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2024-01-10")),
        assessments=(risk("2024-01-10"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="an unlisted US importer: the 2021 SCCs with a transfer impact assessment",
    ),
    Scenario(
        "uk-idta-to-us-unlisted-2026",
        "UK",
        "2026-06-01",
        T,
        parties=(importer("US"),),
        agreements=(dpa(), transfer_agreement("idta", "2024-01-10")),
        assessments=(risk("2026-03-01", data_protection_test=True),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessments=["tra"]),),
        law="an unlisted US importer: the IDTA with a transfer risk assessment judging the "
        "data protection test (from 2026-02-05)",
    ),
)

# --- Art. 49: where the derogations do not reach --------------------------------------------
CONTROLLER_IN = (importer("IN", role="controller"),)
SHARING = (dpa(kind="data_sharing_agreement"),)
STORE_IN = {
    "id": "backup",
    "name": "Backups in India",
    "owner": "importer",
    "country": "IN",
    "categories": ["contact.name"],
    "subjects": ["customers"],
    "retention_days": 365,
    "encrypted_at_rest": True,
    "notice": "PN-RECIPIENTS",
}
add(
    Scenario(
        "uk-art49-legal-claims-occasional",
        "UK",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(transfer_mechanism="art49_derogation", derogation="legal_claims", occasional=True),
        ),
        law="Art. 49(1)(e), an occasional transfer for legal claims (EDPB 2/2018 s. 2.5)",
    ),
    Scenario(
        "uk-art49-no-ground",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "derogation-no-ground",
                "critical",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(flow(transfer_mechanism="art49_derogation", occasional=True),),
        law="an Art. 49 derogation must name the ground it rests on",
    ),
    Scenario(
        "uk-art49-contract-to-processor",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "derogation-to-processor", "critical", "flows/f1", "derogation"
            ),
        ),
        parties=(importer("IN"),),
        flows=(
            flow(
                transfer_mechanism="art49_derogation",
                derogation="contract_with_subject",
                occasional=True,
            ),
        ),
        law="a controller's choice of a processor abroad is not necessary for the contract "
        "with the person (EDPB 2/2018 s. 2.2.2)",
    ),
    Scenario(
        "eu-art49-compelling-not-informed",
        "EU",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "derogation-conditions-unmet", "critical", "flows/f1", "derogation"
            ),
        ),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation",
                derogation="compelling_interests",
                occasional=True,
            ),
        ),
        law="Art. 49(1) second subparagraph: the regulator and the person informed, an "
        "assessment documented (Art. 49(6))",
    ),
    Scenario(
        "uk-art49-consent-to-storage-abroad",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect("GDPR-TRANSFER", "derogation-for-storage", "critical", "flows/f1", "occasional"),
        ),
        parties=(importer("IN"),),
        systems=(STORE_IN,),
        consent_records=(ART49,),
        flows=(
            flow(
                "f1",
                "acme",
                "backup",
                "dpa",
                transfer_mechanism="art49_explicit_consent",
                occasional=True,
                consent_record="c49",
            ),
        ),
        law="data held abroad is transferred in the regular course of business: systematic, "
        "no derogation carries it (FACTS.md, Art. 49: never a routine mechanism)",
    ),
    Scenario(
        "uk-art49-consent-no-risks",
        "UK",
        "2026-06-01",
        T,
        expect=(NOT_INFORMED,),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=({**ART49, "risks_explained": False},),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="FACTS.md: Art. 49 consent must state the risks",
    ),
    Scenario(
        "uk-art49-consent-other-country",
        "UK",
        "2026-06-01",
        T,
        expect=(NOT_INFORMED,),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=({**ART49, "countries": ["PK"]},),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="FACTS.md: Art. 49 consent must name the country",
    ),
    Scenario(
        "uk-consent-by-providing-data",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "not-a-mechanism", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(flow(transfer_mechanism="consent_by_providing_data"),),
        law="FACTS.md: 'consent by providing your data' is not valid consent and not a "
        "mechanism (Art. 7, 49(1)(a))",
    ),
)

# --- the UK Extension's sensitive categories --------------------------------------------------
GENETIC = {"id": "dna", "name": "DNA results", "special_category": True, "art9_kind": "genetic"}
ORIENTATION = {
    "id": "orientation",
    "name": "Sexual orientation",
    "special_category": True,
    "art9_kind": "sexual_orientation",
}
SEX_LIFE = {
    "id": "sexlife",
    "name": "Sex life notes",
    "special_category": True,
    "art9_kind": "sex_life",
}
US_LISTED = importer("US", listed=["uk_extension"])


def _bridge(category: dict[str, Any], flagged: bool) -> dict[str, Any]:
    more: dict[str, Any] = {"flagged_sensitive": True} if flagged else {}
    return {
        "parties": (US_LISTED,),
        "categories": (category,),
        "consent_records": (EXPLICIT,),
        "flows": (
            flow(
                categories=[category["id"]],
                art9_condition="explicit_consent",
                consent_record="cr",
                **more,
            ),
        ),
    }


add(
    Scenario(
        "uk-us-extension-genetic-unflagged",
        "UK",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "sensitive-not-flagged", "critical", "flows/f1"),),
        **_bridge(GENETIC, False),
        cites=(
            "UK GDPR Art. 44-46",
            "UK GDPR Art. 49",
            "CJEU C-311/18 (Schrems II)",
            "SI 2023/1028",
        ),
        law="UK Extension: genetic data must be identified to the importer as sensitive "
        "(SI 2023/1028; ICO)",
    ),
    Scenario(
        "uk-us-extension-genetic-flagged",
        "UK",
        "2026-06-01",
        T,
        **_bridge(GENETIC, True),
        law="UK Extension: genetic data flagged",
    ),
    Scenario(
        "uk-us-extension-orientation-unflagged",
        "UK",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "sensitive-not-flagged", "critical", "flows/f1"),),
        **_bridge(ORIENTATION, False),
        law="UK Extension: sexual orientation must be flagged",
    ),
    Scenario(
        "uk-us-extension-sex-life-no-flag-needed",
        "UK",
        "2026-06-01",
        T,
        **_bridge(SEX_LIFE, False),
        law="sex life is inside the DPF's own 'sensitive information': no flag needed (ICO)",
    ),
)

# --- Art. 9 conditions by purpose ------------------------------------------------------------
APD = {"appropriate_policy_document": "https://acme.example/apd"}


def _art9(condition: str, country: str = "GB", **more: Any) -> dict[str, Any]:
    return {
        "parties": (importer(country),),
        "categories": (HEALTH,),
        "flows": (flow(categories=["health"], art9_condition=condition, **more),),
    }


add(
    Scenario(
        "uk-health-vital-interests",
        "UK",
        "2026-06-01",
        ART9,
        **_art9("vital_interests"),
        law="Art. 9(2)(c): vital interests, no Sch. 1 condition or policy document",
    ),
    Scenario(
        "uk-health-legal-claims",
        "UK",
        "2026-06-01",
        ART9,
        **_art9("legal_claims"),
        law="Art. 9(2)(f): legal claims, no Sch. 1 condition or policy document",
    ),
    Scenario(
        "uk-health-substantial-public-interest-no-policy",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-policy-document", "high", "flows/f1", "art9_condition"),),
        **_art9("substantial_public_interest"),
        law="Art. 9(2)(g) in the UK: a DPA 2018 Sch. 1 Part 2 condition and an appropriate "
        "policy document",
    ),
    Scenario(
        "uk-health-substantial-public-interest-policy",
        "UK",
        "2026-06-01",
        ART9,
        organisation=APD,
        **_art9("substantial_public_interest"),
        law="Art. 9(2)(g) with the appropriate policy document",
    ),
    Scenario(
        "eu-health-substantial-public-interest",
        "EU",
        "2026-06-01",
        ART9,
        **_art9("substantial_public_interest", "DE"),
        law="Art. 9(2)(g) rests on Union or Member State law, taken on trust; no UK policy "
        "document",
        never=("DPA 2018",),
    ),
    Scenario(
        "uk-health-care",
        "UK",
        "2026-06-01",
        ART9,
        **_art9("health_social_care"),
        law="Art. 9(2)(h) (DPA 2018 Sch. 1 para 2): no policy document asked",
    ),
    Scenario(
        "uk-ordinary-data-with-condition",
        "UK",
        "2026-06-01",
        ART9,
        expect=(
            Expect(
                "GDPR-ART9", "condition-on-ordinary-data", "medium", "flows/f1", "art9_condition"
            ),
        ),
        parties=(importer("GB"),),
        flows=(flow(art9_condition="vital_interests"),),
        law="an Art. 9 condition on data the map does not mark special: the record is wrong",
    ),
)

# --- combinations: special category, international and onward at once -----------------------
US_HOST = importer("US", pid="host", name="US Host Inc", listed=["uk_extension"])
IN_SUB = importer("IN", pid="sub", name="Indian Sub Pvt")
US_SUB = importer("US", pid="sub", name="US Sub Inc", listed=["uk_extension"])
GB_PROC = importer("GB", pid="proc", name="GB Processor Ltd")
DE_PROC = importer("DE", pid="proc", name="DE Processor GmbH")


def _chain(
    first: dict[str, Any],
    second: dict[str, Any],
    categories: tuple[dict[str, Any], ...] = (HEALTH,),
    data: str = "health",
    **hop: Any,
) -> dict[str, Any]:
    a, b = first["id"], second["id"]
    condition: dict[str, Any] = {}
    if data == "health":
        condition = {"art9_condition": "explicit_consent", "consent_record": "cr"}
    return {
        "parties": (first, second),
        "categories": categories,
        "consent_records": (EXPLICIT,),
        "agreements": (
            dpa(("acme", a), "2024-06-01", "dpa", allows_subprocessing=True),
            dpa((a, b), "2024-06-01", "subdpa"),
        ),
        "flows": (
            flow(target=a, categories=[data], **condition),
            flow("to-sub", a, b, "subdpa", basis=None, categories=[data], **hop),
        ),
    }


add(
    Scenario(
        "uk-health-us-host-onward-india",
        "UK",
        "2026-06-01",
        (*TO, *ART9),
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-sub"),),
        **_chain(US_HOST, IN_SUB),
        law="health data under the UK Extension to a listed host (no flag needed), onward "
        "from the US to India with no safeguard (Art. 44: onward transfers)",
    ),
    Scenario(
        "uk-health-us-host-onward-us-listed",
        "UK",
        "2026-06-01",
        (*TO, *ART9),
        **_chain(US_HOST, US_SUB),
        law="health data to a listed US host, its sub-processor in the US: no new border",
    ),
    Scenario(
        "uk-genetic-us-host-unflagged-onward-us",
        "UK",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-TRANSFER", "sensitive-not-flagged", "critical", "flows/f1"),),
        **_chain(US_HOST, US_SUB, (GENETIC,), "dna"),
        law="genetic data unflagged to a listed host: the first transfer fails (one finding); "
        "the hop inside the US crosses no border",
    ),
    Scenario(
        "uk-health-gb-processor-to-korea-2022-12-18",
        "UK",
        "2022-12-18",
        (*TO, *ART9),
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_chain(GB_PROC, importer("KR", pid="sub", name="KR Sub Co")),
        law="a UK processor's hop to Korea before the UK's regulations (2022-12-19)",
    ),
    Scenario(
        "uk-health-gb-processor-to-korea-2022-12-19",
        "UK",
        "2022-12-19",
        (*TO, *ART9),
        **_chain(GB_PROC, importer("KR", pid="sub", name="KR Sub Co")),
        law="SI 2022/1213: Korea adequate for UK exporters from 2022-12-19",
    ),
    Scenario(
        "uk-health-de-processor-to-japan",
        "UK",
        "2026-06-01",
        (*TO, *ART9),
        **_chain(DE_PROC, importer("JP", pid="sub", name="JP Sub KK")),
        law="UK->DE adequate (Sch. 21); the German processor's hop to a Japanese business "
        "operator is adequate under both lists",
    ),
    Scenario(
        "eu-health-gb-processor-to-us-unlisted",
        "EU",
        "2026-06-01",
        (*TO, *ART9),
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_chain(GB_PROC, importer("US", pid="sub", name="US Sub Inc")),
        law="EU->GB adequate (renewed decision); the UK processor's hop to an unlisted US "
        "sub-processor is a UK exporter's with no mechanism",
    ),
)

# --- joint and independent controllers abroad: the agreement is not a transfer mechanism -----
add(
    Scenario(
        "uk-joint-controller-in-india-no-mechanism",
        "UK",
        "2026-06-01",
        (*T, *AGR),
        expect=(CRIT_NO_MECH,),
        parties=(importer("IN", role="joint_controller"),),
        agreements=(dpa(kind="art26_joint"),),
        law="an Art. 26 arrangement shares responsibilities; it is no Art. 46 safeguard",
    ),
    Scenario(
        "uk-controller-in-us-listed-sharing",
        "UK",
        "2026-06-01",
        (*T, *AGR),
        parties=(importer("US", role="controller", listed=["uk_extension"]),),
        agreements=SHARING,
        law="a controller-to-controller disclosure to a UK Extension importer with a data "
        "sharing agreement (ICO Data Sharing Code)",
    ),
    Scenario(
        "uk-processor-on-sharing-agreement",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "wrong-kind", "high", "flows/f1", "agreement"),),
        parties=(importer("GB"),),
        agreements=SHARING,
        law="FACTS.md problem 4: a processor needs an Art. 28 contract, not a data sharing "
        "agreement",
    ),
    Scenario(
        "uk-controller-on-art28-dpa",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "sharing-wrong-kind", "low", "flows/f1", "agreement"),),
        parties=(importer("GB", role="controller"),),
        law="an Art. 28 contract does not make an independent controller's receipt a processor's",
    ),
)

# --- PECR by channel and subscriber ------------------------------------------------------------
PHONE = {"id": "contact.phone", "name": "Phone number"}
FAX = {"id": "contact.fax", "name": "Fax number"}


def _send(channel: str, kind: str, category: str = "contact.email", **more: Any) -> dict[str, Any]:
    return {
        "parties": (importer("GB"),),
        "purposes": (MARKETING,),
        "subjects": subscribers(kind),
        "assessments": (LIA,),
        "categories": (PHONE, FAX),
        "flows": (
            flow(
                categories=[category],
                subjects=["people"],
                purpose="marketing",
                basis="legitimate_interests",
                assessment="lia",
                opt_out="unsubscribe link",
                channel=channel,
                **more,
            ),
        ),
    }


add(
    Scenario(
        "uk-pecr-automated-call-corporate",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("automated_call", "corporate", "contact.phone"),
        law="PECR reg. 19: automated calls need every subscriber's consent, corporate too",
    ),
    Scenario(
        "uk-pecr-fax-individual",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("fax", "individual", "contact.fax"),
        law="PECR reg. 20(1)(a): faxes to individual subscribers need consent",
    ),
    Scenario(
        "uk-pecr-live-call-individual",
        "UK",
        "2026-06-01",
        PECR,
        **_send("live_call", "individual", "contact.phone"),
        law="PECR reg. 21: live calls need no consent (TPS screening taken on trust)",
    ),
    Scenario(
        "uk-pecr-email-sole-traders-by-name",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **{
            **_send("email", "individual"),
            "subjects": ({"id": "people", "name": "Sole traders"},),
        },
        law="FACTS.md: sole traders need consent for email (individual subscribers)",
    ),
    Scenario(
        "uk-pecr-email-llp-by-name",
        "UK",
        "2026-06-01",
        PECR,
        **{
            **_send("email", "corporate"),
            "subjects": ({"id": "people", "name": "Limited liability partnerships"},),
        },
        law="an LLP is a corporate subscriber (PECR reg. 2(1)): no consent needed",
    ),
)

# --- lawyer review s20, problem 1: a processor's hop rests on the controller's condition -----
CRIMINAL = {"id": "criminal", "name": "DBS check results", "criminal_offence": True}
add(
    Scenario(
        "uk-health-chain-no-condition-once",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/f1"),),
        **{
            **_chain(GB_PROC, importer("GB", pid="sub", name="GB Sub Ltd")),
            "flows": (
                flow(target="proc", categories=["health"]),
                flow("to-sub", "proc", "sub", "subdpa", basis=None, categories=["health"]),
            ),
        },
        law="one problem, one finding: the controller's flow names no Art. 9 condition; its "
        "processor's hop acts on that flow's instructions and is not a second finding",
    ),
    Scenario(
        "uk-criminal-chain-condition-on-our-flow",
        "UK",
        "2026-06-01",
        ("GDPR-ART10",),
        organisation=APD,
        **{
            **_chain(GB_PROC, importer("GB", pid="sub", name="GB Sub Ltd"), (CRIMINAL,), "x"),
            "flows": (
                flow(target="proc", categories=["criminal"], art10_condition="employment"),
                flow("to-sub", "proc", "sub", "subdpa", basis=None, categories=["criminal"]),
            ),
        },
        law="the processor's hop rests on the controller's Art. 10 condition (Art. 28(3)(a), "
        "29; DPA 2018 Sch. 1 para 1 with the policy document)",
    ),
    Scenario(
        "uk-health-hop-carries-more-than-given",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/to-sub"),),
        **{
            **_chain(GB_PROC, importer("GB", pid="sub", name="GB Sub Ltd")),
            "flows": (
                flow(target="proc"),
                flow("to-sub", "proc", "sub", "subdpa", basis=None, categories=["health"]),
            ),
        },
        law="health data the controller's flow never gave the processor: the hop is where the "
        "map records it, and it needs an Art. 9 condition",
    ),
)

# --- Switzerland as exporter (FACTS.md has no Swiss adequacy table: the rows are UNCONFIRMED) --
add(
    Scenario(
        "ch-canada-federal-agency",
        "CH",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(CA_AGENCY,),
        agreements=SHARING,
        law="Annex 1 lists Canada for the private sector under PIPEDA only (UNCONFIRMED)",
    ),
    Scenario(
        "ch-monaco-2026",
        "CH",
        "2026-06-01",
        T,
        parties=(importer("MC"),),
        law="FADO Annex 1 lists Monaco (UNCONFIRMED; Monaco is on no UK or EU list)",
    ),
    _not_adequate(
        "ch-brazil-2026",
        "CH",
        "BR",
        "Brazil's adequacy is the EU's (Decision 2026/179): no Swiss row; conservative",
    ),
    _not_adequate(
        "ch-korea-2026",
        "CH",
        "KR",
        "FACTS.md records no Swiss adequacy for Korea: conservative, a safeguard needed",
    ),
    Scenario(
        "ch-scc-2021-no-assessment",
        "CH",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2024-01-10")),
        flows=(flow(transfer_mechanism="ch_scc_2021", transfer_agreement="ta"),),
        law="the FDPIC-recognised SCCs with the exporter's assessment of the importer's law "
        "(UNCONFIRMED row)",
    ),
    Scenario(
        "ch-swiss-us-dpf-listed-2026",
        "CH",
        "2026-06-01",
        T,
        parties=(importer("US", listed=["swiss_us_dpf"]),),
        law="Swiss-US DPF, listed importer, from 2024-09-15 (FACTS.md)",
    ),
    Scenario(
        "ch-swiss-us-dpf-and-uk-extension-listed",
        "CH",
        "2026-06-01",
        T,
        parties=(importer("US", listed=["uk_extension", "eu_us_dpf", "swiss_us_dpf"]),),
        law="an importer listed under all three frameworks: the Swiss one carries the Swiss "
        "exporter",
    ),
)

# --- the notice's own promises (policy concero-notice on a small map) ---------------------------
NOTICE_ORG = {"policies": ["concero-notice"]}
CLAUSES = ("N-WHO", "N-SHARE")  # the notice's own clause ids (shared/notice/CLAUSES.md)
ADDRESS = {"id": "contact.address", "name": "Work address"}
IP = {"id": "network", "name": "Network"}
IP_ADDRESS = {"id": "network.ip_address", "name": "IP addresses"}


def _party(kind: str, role: str = "processor", **more: Any) -> dict[str, Any]:
    return {**importer("GB", role=role), "kind": kind, **more}


add(
    Scenario(
        "uk-notice-isp-gets-email",
        "UK",
        "2026-06-01",
        ("CONCERO-ISP-CATEGORIES",),
        expect=(
            Expect("CONCERO-ISP-CATEGORIES", "not-allowed", "high", "flows/f1", "categories[0]"),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("isp"),),
        categories=(IP, IP_ADDRESS, ADDRESS),
        flows=(flow(categories=["contact.email", "contact.name"], notification="order form"),),
        law="N-ISP: ISPs get name, address and IP addresses only",
    ),
    Scenario(
        "uk-notice-isp-name-address-ip",
        "UK",
        "2026-06-01",
        ("CONCERO-ISP-CATEGORIES", "CONCERO-ISP-TOLD"),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("isp"),),
        categories=(IP, IP_ADDRESS, ADDRESS),
        flows=(
            flow(
                categories=["contact.name", "contact.address", "network.ip_address"],
                notification="order form names the ISP",
            ),
        ),
        law="N-ISP: the three categories the notice names, the customer told which ISP",
    ),
    Scenario(
        "uk-notice-isp-not-told",
        "UK",
        "2026-06-01",
        ("CONCERO-ISP-TOLD",),
        expect=(Expect("CONCERO-ISP-TOLD", "no-notification", "medium", "flows/f1"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("isp"),),
        categories=(IP, IP_ADDRESS, ADDRESS),
        flows=(flow(categories=["contact.name"]),),
        law="N-ISP: 'you will always be informed of which ISP'",
    ),
    Scenario(
        "uk-notice-mis-support-address",
        "UK",
        "2026-06-01",
        ("CONCERO-MIS-CONTACT",),
        expect=(Expect("CONCERO-MIS-CONTACT", "not-allowed", "high", "flows/f1", "categories[0]"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("mis_support"),),
        categories=(ADDRESS,),
        flows=(flow(categories=["contact.address", "contact.name"]),),
        law="N-MIS: one business contact only; more needs permission",
    ),
    Scenario(
        "uk-notice-mis-support-address-permitted",
        "UK",
        "2026-06-01",
        ("CONCERO-MIS-CONTACT",),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("mis_support"),),
        categories=(ADDRESS,),
        flows=(
            flow(
                categories=["contact.name", "contact.address"],
                permission="customer's email of 2026-05-01",
            ),
        ),
        law="N-MIS: 'if we need to share anything more, we will always seek your permission'",
    ),
    Scenario(
        "uk-notice-procurement-unapproved",
        "UK",
        "2026-06-01",
        ("CONCERO-PROCURE-APPROVED",),
        expect=(Expect("CONCERO-PROCURE-APPROVED", "not-approved", "medium", "flows/f1"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("procurement_vendor"),),
        law="N-PROCURE: approved suppliers only",
    ),
    Scenario(
        "uk-notice-procurement-approved",
        "UK",
        "2026-06-01",
        ("CONCERO-PROCURE-APPROVED",),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("procurement_vendor", approved_supplier=True),),
        law="N-PROCURE: an approved supplier",
    ),
    Scenario(
        "uk-notice-marketing-corporate-no-opt-in",
        "UK",
        "2026-06-01",
        ("CONCERO-MARKETING-CONSENT", *PECR),
        expect=(Expect("CONCERO-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_send("email", "corporate"),
        law="PECR asks no consent for corporate subscribers, but N-MARKETING promises opt-in "
        "for all: the stricter promise binds (FACTS.md, PECR)",
    ),
    Scenario(
        "uk-notice-sale",
        "UK",
        "2026-06-01",
        ("CONCERO-NO-SALE",),
        expect=(Expect("CONCERO-NO-SALE", "purpose", "critical", "flows/f1", "purpose"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("GB", role="controller"),),
        purposes=({"id": "sale", "name": "Sale of contact lists", "notice": "PN-RECIPIENTS"},),
        agreements=SHARING,
        flows=(flow(purpose="sale", basis="consent"),),
        law="N-SHARE: 'we never sell it on for marketing or advertising purposes'",
    ),
    Scenario(
        "uk-notice-server-in-canada",
        "UK",
        "2026-06-01",
        ("CONCERO-SERVER-LOCATION", *T),
        expect=(
            Expect("CONCERO-SERVER-LOCATION", "outside-notice-countries", "medium", "flows/f1"),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("CA"),),
        law="N-LOCATION: servers in the UK, EEA and USA; Canada is adequate (lawful) but not "
        "what the notice told people",
    ),
    Scenario(
        "uk-notice-payment-processor-no-agreement",
        "UK",
        "2026-06-01",
        ("CONCERO-PAYMENT-AGREEMENT", *AGR),
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/f1"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("payment_processor"),),
        flows=(flow(agreement=None),),
        law="N-THIRDPARTY: data sharing agreements with payment processors; as a processor an "
        "Art. 28 contract (FACTS.md problem 4)",
    ),
    Scenario(
        "uk-notice-training-supplier-no-agreement",
        "UK",
        "2026-06-01",
        ("CONCERO-TRAINING-AGREEMENT", *AGR),
        expect=(Expect("GDPR-AGREEMENT", "sharing-missing", "low", "flows/f1"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("training_supplier", role="controller"),),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(flow(agreement=None),),
        law="N-CURRICULUM: training suppliers are independent controllers; a data sharing "
        "agreement is good practice (ICO Data Sharing Code)",
    ),
    Scenario(
        "uk-notice-unencrypted-flow",
        "UK",
        "2026-06-01",
        ("CONCERO-ENCRYPT",),
        expect=(
            Expect("CONCERO-ENCRYPT", "transit-plain", "high", "flows/f1", "encrypted_in_transit"),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("GB"),),
        flows=(flow(encrypted_in_transit=False),),
        law="N-ENCRYPT: all data transported encrypted",
    ),
)

# --- children: an EU organisation's own state's age (Art. 8(1); rows UNCONFIRMED) -------------
CHILD_CONSENT = {
    "id": "cr",
    "method": "web form tick box",
    "purposes": ["homework"],
    "affirmative_act": True,
    "bundled_with_terms": False,
    "evidence": "forms",
}
LEARNING = {"id": "homework", "name": "Online homework help", "notice": "PN-RECIPIENTS"}


def _learners(country: str, min_age: int) -> dict[str, Any]:
    return {
        "organisation": {"country": country},
        "parties": (importer(country),),
        "subjects": ({"id": "learners", "name": "Learners", "min_age": min_age},),
        "consent_records": (CHILD_CONSENT,),
        "purposes": (LEARNING,),
        "flows": (
            flow(subjects=["learners"], purpose="homework", basis="consent", consent_record="cr"),
        ),
    }


CHILD = Expect("GDPR-BASIS", "child-consent", "high", "flows/f1", "consent_record")
add(
    Scenario(
        "eu-fr-child-14",
        "EU",
        "2026-06-01",
        ("GDPR-BASIS",),
        expect=(CHILD,),
        **_learners("FR", 14),
        law="France set 15 under Art. 8(1) (UNCONFIRMED row): a 14-year-old needs the parent",
    ),
    Scenario(
        "eu-fr-child-15",
        "EU",
        "2026-06-01",
        ("GDPR-BASIS",),
        **_learners("FR", 15),
        law="France: 15 consents to online services (UNCONFIRMED row)",
    ),
    Scenario(
        "eu-ie-child-15",
        "EU",
        "2026-06-01",
        ("GDPR-BASIS",),
        expect=(CHILD,),
        **_learners("IE", 15),
        law="Ireland kept 16 (UNCONFIRMED row)",
    ),
    Scenario(
        "uk-child-13-no-flag",
        "UK",
        "2026-06-01",
        ("GDPR-BASIS",),
        **_learners("GB", 13),
        law="UK: 13 consents to online services (DPA 2018 s.9)",
    ),
)

# --- more dated edges: BCRs and Schrems II, the Addendum's data protection test ----------------
BCR_GROUP = {
    "organisation": {"group": "acme-group"},
    "parties": ({**importer("IN"), "group": "acme-group"},),
    "agreements": (dpa(), transfer_agreement("bcr", "2019-01-10")),
    "flows": (flow(transfer_mechanism="bcr", transfer_agreement="ta"),),
}
add(
    Scenario(
        "uk-bcr-no-assessment-2020-07-15",
        "UK",
        "2020-07-15",
        T,
        **BCR_GROUP,
        law="BCRs inside the group before Schrems II: no assessment yet asked",
    ),
    Scenario(
        "uk-bcr-no-assessment-2020-07-16",
        "UK",
        "2020-07-16",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        **BCR_GROUP,
        law="from Schrems II an Art. 46 safeguard, BCRs included, needs the assessment",
    ),
    Scenario(
        "uk-addendum-test-not-recorded-2026-02-05",
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
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("uk_addendum", "2024-01-10")),
        assessments=(risk("2024-01-10"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="FACTS.md: from 2026-02-05 the exporter judges the data protection test for the "
        "Addendum as for the IDTA (Art. 46(1A))",
    ),
    Scenario(
        "uk-addendum-test-2026-02-04",
        "UK",
        "2026-02-04",
        T,
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("uk_addendum", "2024-01-10")),
        assessments=(risk("2024-01-10"),),
        flows=(
            flow(transfer_mechanism="uk_addendum", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="the day before the data protection test applies",
    ),
    Scenario(
        "eu-scc-2021-assessment-no-dpt-needed",
        "EU",
        "2026-06-01",
        T,
        parties=IN_IMPORTER,
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2024-01-10")),
        assessments=(risk("2024-01-10"),),
        flows=(
            flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta", assessments=["tra"]),
        ),
        law="the data protection test is UK law (Art. 46(1A)): not asked of an EU exporter",
        never=("46(1A)",),
    ),
)

# --- PECR: post and in person; the soft opt-in for a corporate list ---------------------------
add(
    Scenario(
        "uk-pecr-post-individual",
        "UK",
        "2026-06-01",
        PECR,
        **{**_send("post", "individual", "contact.address"), "categories": (ADDRESS,)},
        law="PECR does not reach marketing by post: no consent under PECR",
    ),
    Scenario(
        "uk-pecr-sms-individual-no-consent",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("sms", "individual", "contact.phone"),
        law="PECR reg. 22: texts are electronic mail; individuals need consent or soft opt-in",
    ),
)

# --- more chains across borders: a Swiss or Indian processor's hop, and dated listings --------
add(
    Scenario(
        "uk-ch-processor-to-us-unlisted",
        "UK",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_chain(
            importer("CH", pid="proc", name="CH Proc AG"),
            importer("US", pid="sub", name="US Sub Inc"),
            (),
            "contact.name",
        ),
        law="UK->CH adequate (Sch. 21); the Swiss processor's hop to an unlisted US importer is "
        "a Swiss exporter's transfer with no safeguard",
    ),
    Scenario(
        "uk-ch-processor-to-us-swiss-listed",
        "UK",
        "2026-06-01",
        TO,
        **_chain(
            importer("CH", pid="proc", name="CH Proc AG"),
            importer("US", pid="sub", name="US Sub Inc", listed=["swiss_us_dpf"]),
            (),
            "contact.name",
        ),
        law="the Swiss processor's hop to a Swiss-US DPF importer (from 2024-09-15)",
    ),
    Scenario(
        "uk-in-processor-idta-onward-us-listed",
        "UK",
        "2026-06-01",
        TO,
        **{
            **_chain(
                importer("IN", pid="proc", name="IN Proc Pvt"),
                importer("US", pid="sub", name="US Sub Inc", listed=["uk_extension"]),
                (),
                "contact.name",
            ),
            "agreements": (
                dpa(("acme", "proc"), "2024-06-01", "dpa", allows_subprocessing=True),
                dpa(("proc", "sub"), "2024-06-01", "subdpa"),
                transfer_agreement("idta", "2024-06-01", ("acme", "proc")),
            ),
            "assessments": (risk("2026-03-01", data_protection_test=True),),
            "flows": (
                flow(
                    target="proc",
                    transfer_mechanism="idta",
                    transfer_agreement="ta",
                    assessments=["tra"],
                ),
                flow("to-sub", "proc", "sub", "subdpa", basis=None),
            ),
        },
        law="the IDTA to India; the Indian importer's onward hop to a US importer adequate "
        "for the UK (UK Extension listing)",
    ),
    Scenario(
        "uk-us-both-listed-2023-07-10",
        "UK",
        "2023-07-10",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["eu_us_dpf", "uk_extension"]),),
        law="the EU-US DPF started 2023-07-10 for EU exporters; the UK Extension only on "
        "2023-10-12 (SI 2023/1028)",
    ),
    Scenario(
        "eu-us-both-listed-2023-07-10",
        "EU",
        "2023-07-10",
        T,
        parties=(importer("US", listed=["eu_us_dpf", "uk_extension"]),),
        law="Decision 2023/1795 from 2023-07-10",
    ),
    Scenario(
        "uk-japan-adequate-idta-recorded-no-assessment",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "recorded-safeguard-not-in-place",
                "medium",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        parties=(importer("JP"),),
        agreements=(dpa(), transfer_agreement("idta", "2024-01-10")),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta"),),
        law="Japan is adequate (Sch. 21): the transfer is lawful, but the record names an IDTA "
        "whose assessment is not on file (Art. 30(1)(e))",
    ),
)

# --- one consent record for Art. 9(2)(a) and Art. 49(1)(a) at once ------------------------------
add(
    Scenario(
        "eu-health-art49-consent-occasional",
        "EU",
        "2026-06-01",
        (*T, *ART9),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        categories=(HEALTH,),
        consent_records=(ART49,),
        flows=(
            flow(
                categories=["health"],
                art9_condition="explicit_consent",
                consent_record="c49",
                transfer_mechanism="art49_explicit_consent",
                occasional=True,
            ),
        ),
        law="explicit consent naming the recipient, country and risks carries both Art. "
        "9(2)(a) and an occasional Art. 49(1)(a) transfer",
    ),
    Scenario(
        "uk-health-art49-consent-bundled",
        "UK",
        "2026-06-01",
        (*T, *ART9),
        expect=(
            Expect("GDPR-TRANSFER", "consent-not-valid", "critical", "flows/f1", "consent_record"),
        ),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        categories=(HEALTH,),
        consent_records=({**ART49, "bundled_with_terms": True},),
        flows=(
            flow(
                categories=["health"],
                art9_condition="explicit_consent",
                consent_record="c49",
                transfer_mechanism="art49_explicit_consent",
                occasional=True,
            ),
        ),
        law="a consent bundled with the terms is no consent (Art. 7(4)): neither Art. 9(2)(a) "
        "nor Art. 49(1)(a) holds; one record, one problem",
    ),
)

# --- an EU-regime organisation established outside the EU: Art. 27 ----------------------------
REP = ("GDPR-REPRESENTATIVE",)
add(
    Scenario(
        "eu-us-org-no-representative",
        "EU",
        "2026-06-01",
        REP,
        expect=(Expect("GDPR-REPRESENTATIVE", "no-representative", "medium", "organisation/acme"),),
        organisation={"country": "US"},
        parties=(importer("DE"),),
        law="GDPR Art. 27: a controller outside the Union subject to the GDPR names a "
        "representative in the Union",
    ),
    Scenario(
        "eu-us-org-representative-in-ie",
        "EU",
        "2026-06-01",
        REP,
        organisation={
            "country": "US",
            "representative": {
                "name": "Rep Ltd",
                "email": "rep@rep.example",
                "address": "1 Dublin Road",
                "country": "IE",
            },
        },
        parties=(importer("DE"),),
        law="GDPR Art. 27: a representative established in a Member State",
    ),
    Scenario(
        "eu-us-org-representative-in-gb",
        "EU",
        "2026-06-01",
        REP,
        expect=(
            Expect(
                "GDPR-REPRESENTATIVE",
                "representative-not-in-order",
                "medium",
                "organisation/acme",
                "representative.country",
            ),
        ),
        organisation={
            "country": "US",
            "representative": {
                "name": "Rep Ltd",
                "email": "rep@rep.example",
                "address": "1 London Road",
                "country": "GB",
            },
        },
        parties=(importer("DE"),),
        law="GDPR Art. 27(3): the representative must be established in a Member State; the "
        "UK is not one since 2021",
    ),
    Scenario(
        "eu-dsar-30-days",
        "EU",
        "2026-06-01",
        ("GDPR-RIGHTS",),
        expect=(
            Expect("GDPR-RIGHTS", "dsar-too-slow", "medium", "organisation/acme", "dsar_days"),
        ),
        organisation={"dsar_days": 30},
        parties=(importer("DE"),),
        law="Art. 12(3): one calendar month; a request received on 31 January is due on 28 "
        "February, so 30 days is late for some requests",
    ),
)

# --- further probes: the EU's DPF asks no flag; a public authority's bases; cookies; coverage ---
BASIS = ("GDPR-BASIS",)
ANALYTICS = {"id": "_ga", "purpose": "analytics", "clear_information": True, "opt_out": True}
SITE = {
    "id": "site",
    "name": "Website",
    "owner": "acme",
    "country": "DE",
    "categories": ["contact.name"],
    "subjects": ["customers"],
    "retention_days": 365,
    "encrypted_at_rest": True,
    "notice": "PN-RECIPIENTS",
    "cookies": [ANALYTICS],
}
add(
    Scenario(
        "eu-dpf-genetic-no-flag-asked",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("US", listed=["eu_us_dpf"]),),
        categories=(GENETIC,),
        consent_records=(EXPLICIT,),
        flows=(flow(categories=["dna"], art9_condition="explicit_consent", consent_record="cr"),),
        law="the flag for genetic data is the UK Extension's (SI 2023/1028), not the EU DPF's",
        never=("SI 2023/1028", "UK Extension"),
    ),
    Scenario(
        "eu-gb-processor-to-us-eu-dpf-only",
        "EU",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_chain(
            GB_PROC,
            importer("US", pid="sub", name="US Sub Inc", listed=["eu_us_dpf"]),
            (),
            "contact.name",
        ),
        law="the UK processor's hop is a UK exporter's: the US is adequate for it only for "
        "UK Extension participants (SI 2023/1028)",
    ),
    Scenario(
        "uk-public-authority-legitimate-interests",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "public-authority", "high", "flows/f1", "basis"),),
        organisation={"public_authority": True},
        parties=(importer("GB"),),
        assessments=(LIA,),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="Art. 6(1) second subparagraph: legitimate interests not for public authorities "
        "performing their tasks",
    ),
    Scenario(
        "uk-contract-for-marketing",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "not-necessary-for-contract", "high", "flows/f1", "basis"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        flows=(flow(purpose="marketing", basis="contract"),),
        law="direct marketing is not necessary for a contract with the person (Art. 6(1)(b); "
        "EDPB Guidelines 2/2019)",
    ),
    Scenario(
        "uk-dpa-not-covering-health",
        "UK",
        "2026-06-01",
        AGR,
        expect=(
            Expect("GDPR-AGREEMENT", "categories-not-covered", "high", "flows/f1", "categories"),
        ),
        parties=(importer("GB"),),
        categories=(HEALTH,),
        agreements=({**dpa(), "categories": ["contact"]},),
        consent_records=(EXPLICIT,),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        law="the Art. 28 contract must cover the data processed (Art. 28(3): the type of "
        "personal data)",
    ),
    Scenario(
        "eu-analytics-cookie-no-exemption",
        "EU",
        "2026-06-01",
        ("PECR-COOKIES",),
        expect=(Expect("PECR-COOKIES", "not-judged", "info", "systems/site", "cookies[0]"),),
        parties=(importer("DE"),),
        systems=(SITE,),
        flows=(flow(), flow("visit", "acme", "site", None)),
        law="the DUAA's analytics exemption is UK law (PECR Sch. A1): an EU site follows its "
        "state's enactment of ePrivacy Directive Art. 5(3), which the tool does not model and "
        "says so (info), never passing it on the UK's exemption",
    ),
)

# --- more of the notice's promises ------------------------------------------------------------
CREDENTIALS = {"id": "credentials", "name": "User names and passwords", "sensitive": True}
PRODUCT_INTRO = {
    "id": "product_introductions",
    "name": "Product introductions",
    "notice": "N-CURRICULUM",
}
add(
    Scenario(
        "uk-notice-pupils-in-a-flow",
        "UK",
        "2026-06-01",
        ("CONCERO-PUPILS",),
        expect=(Expect("CONCERO-PUPILS", "subject", "critical", "flows/f1", "subjects[0]"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("GB"),),
        subjects=(
            {"id": "customers", "name": "Customers", "party_to_contract": True},
            {"id": "pupils", "name": "Pupils", "children": True, "party_to_contract": False},
        ),
        flows=(flow(subjects=["pupils"], basis="legitimate_interests"),),
        law="N-PUPILS: 'absolutely no data on your pupils, students and parents'",
    ),
    Scenario(
        "uk-notice-credentials-to-contractor",
        "UK",
        "2026-06-01",
        ("CONCERO-HELPDESK-CREDENTIALS",),
        expect=(
            Expect("CONCERO-HELPDESK-CREDENTIALS", "category", "high", "flows/f1", "categories[0]"),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("GB"),),
        categories=(CREDENTIALS,),
        flows=(flow(categories=["credentials"]),),
        law="N-HELPDESK: passwords received in tickets never flow on (Art. 32(1))",
    ),
    Scenario(
        "uk-notice-installer-gets-ip",
        "UK",
        "2026-06-01",
        ("CONCERO-INSTALL-HELPER",),
        expect=(
            Expect("CONCERO-INSTALL-HELPER", "not-allowed", "high", "flows/f1", "categories[0]"),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(_party("installer"),),
        categories=(IP, IP_ADDRESS),
        flows=(flow(categories=["network.ip_address", "contact.name"]),),
        law="N-INSTALL: a helping third party gets contact details only",
    ),
    Scenario(
        "uk-notice-product-intro-legitimate-interests",
        "UK",
        "2026-06-01",
        ("CONCERO-PRODUCT-INTRO-BASIS",),
        expect=(Expect("CONCERO-PRODUCT-INTRO-BASIS", "not-consent", "high", "flows/f1", "basis"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=(importer("GB", role="controller"),),
        purposes=(PRODUCT_INTRO,),
        agreements=SHARING,
        assessments=(LIA,),
        flows=(
            flow(purpose="product_introductions", basis="legitimate_interests", assessment="lia"),
        ),
        law="N-CURRICULUM with N-SHARE and N-MARKETING: introductions only with explicit "
        "permission and opt-in, not on legitimate interests however assessed",
    ),
)

# --- the UK's own law not asked of an EU organisation --------------------------------------------
add(
    Scenario(
        "eu-controller-sharing-no-agreement",
        "EU",
        "2026-06-01",
        AGR,
        parties=(importer("FR", role="controller"),),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(flow(agreement=None),),
        law="the ICO Data Sharing Code is the UK's; the GDPR asks no agreement between "
        "independent controllers (FACTS.md, roles: good practice, not a legal requirement)",
        never=("ICO",),
    ),
    Scenario(
        "eu-public-authority-legitimate-interests",
        "EU",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "public-authority", "high", "flows/f1", "basis"),),
        organisation={"public_authority": True},
        parties=(importer("DE"),),
        assessments=(LIA,),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="GDPR Art. 6(1) second subparagraph binds EU public authorities too",
        never=("DPA 2018", "UK GDPR"),
    ),
    Scenario(
        "eu-criminal-member-state-law",
        "EU",
        "2026-06-01",
        ("GDPR-ART10",),
        parties=(importer("DE"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="member_state_law"),),
        law="GDPR Art. 10: authorised by Union or Member State law (taken on trust)",
    ),
)

# --- chains where the UK's and the EU's lists differ (Gibraltar) ------------------------------
GI_SUB = importer("GI", pid="sub", name="GI Sub Ltd")
add(
    Scenario(
        "uk-de-processor-to-gibraltar",
        "UK",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_chain(DE_PROC, GI_SUB, (), "contact.name"),
        law="Gibraltar is adequate for the UK (Sch. 21) but on no EU list: the German "
        "processor, an EU exporter (GDPR Art. 44 binds processors), needs a safeguard",
    ),
    Scenario(
        "eu-gb-processor-to-gibraltar",
        "EU",
        "2026-06-01",
        TO,
        **_chain(GB_PROC, GI_SUB, (), "contact.name"),
        law="EU->GB adequate; the UK processor's hop to Gibraltar is a UK exporter's, adequate "
        "under DPA 2018 Sch. 21",
    ),
    Scenario(
        "eu-jp-processor-onward-us-unlisted",
        "EU",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-sub"),),
        **_chain(
            importer("JP", pid="proc", name="JP Proc KK"),
            importer("US", pid="sub", name="US Sub Inc"),
            (),
            "contact.name",
        ),
        law="EU->JP adequate (Decision 2019/419); the Japanese importer's onward hop to an "
        "unlisted US importer needs its own safeguard (Art. 44: onward transfers)",
    ),
)

# --- N-PHONE on a small map: 30 days, the number only --------------------------------------------
CALLS = (
    {"id": "communications", "name": "Communications"},
    {"id": "communications.call_recording", "name": "Call recordings"},
    PHONE,
)


def _recordings(days: int, categories: list[str]) -> dict[str, Any]:
    store = {
        "id": "recordings",
        "name": "Call recordings",
        "owner": "acme",
        "country": "GB",
        "categories": categories,
        "subjects": ["customers"],
        "retention_days": days,
        "retention_justification": "quality and dispute handling",
        "encrypted_at_rest": True,
        "notice": "N-PHONE",
    }
    return {
        "parties": (importer("GB"),),
        "categories": CALLS,
        "systems": (store,),
        "flows": (
            flow(),
            flow("record", "acme", "recordings", None, categories=categories, purpose="support"),
        ),
    }


PHONE_RULES = ("CONCERO-PHONE-RETENTION", "CONCERO-PHONE-NUMBER-ONLY")
add(
    Scenario(
        "uk-notice-recordings-30-days-number-only",
        "UK",
        "2026-06-01",
        PHONE_RULES,
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_recordings(30, ["communications.call_recording", "contact.phone"]),
        law="N-PHONE: recordings kept 30 days, only the phone number alongside",
    ),
    Scenario(
        "uk-notice-recordings-with-email",
        "UK",
        "2026-06-01",
        PHONE_RULES,
        expect=(
            Expect(
                "CONCERO-PHONE-NUMBER-ONLY",
                "not-allowed",
                "medium",
                "flows/record",
                "categories[0]",
            ),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_recordings(30, ["contact.email", "communications.call_recording"]),
        law="N-PHONE: 'only the telephone number is kept alongside the recording'",
    ),
    Scenario(
        "uk-notice-recordings-90-days",
        "UK",
        "2026-06-01",
        PHONE_RULES,
        expect=(
            Expect(
                "CONCERO-PHONE-RETENTION",
                "too-long",
                "medium",
                "systems/recordings",
                "retention_days",
            ),
        ),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_recordings(90, ["communications.call_recording", "contact.phone"]),
        law="N-PHONE: 30 days; the law sets no period (FACTS.md), the notice's promise binds",
    ),
)

# --- card security codes in recordings: the PCI DSS version in force on the audit date ----------
CARD = (
    {"id": "payment", "name": "Payment"},
    {"id": "payment.card", "name": "Card"},
    {"id": "payment.card.security_code", "name": "Card security code"},
)


def _codes_recorded() -> dict[str, Any]:
    found = _recordings(30, ["communications.call_recording", "contact.phone"])
    return {
        **found,
        "categories": (*CALLS, *CARD),
        "flows": (
            flow(),
            flow(
                "record",
                "acme",
                "recordings",
                None,
                categories=["payment.card.security_code", "communications.call_recording"],
            ),
        ),
    }


CODES = Expect("CONCERO-CALL-CARD-CODES", "category", "high", "flows/record", "categories[0]")
PCI = ("UK GDPR Art. 5(1)(c)", "UK GDPR Art. 32(1)")
add(
    Scenario(
        "uk-notice-card-codes-2022-03-30",
        "UK",
        "2022-03-30",
        ("CONCERO-CALL-CARD-CODES",),
        expect=(CODES,),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_codes_recorded(),
        cites=(*PCI, "PCI DSS v3.2.1 Req. 3.2.2"),
        law="before PCI DSS v4.0 (2022-03-31) only v3.2.1 Req. 3.2.2 applied",
    ),
    Scenario(
        "uk-notice-card-codes-2024-03-31",
        "UK",
        "2024-03-31",
        ("CONCERO-CALL-CARD-CODES",),
        expect=(CODES,),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_codes_recorded(),
        cites=(*PCI, "PCI DSS v4.0 Req. 3.3.1", "PCI DSS v3.2.1 Req. 3.2.2"),
        law="v3.2.1's last day (retired 2024-03-31): both versions in force",
    ),
    Scenario(
        "uk-notice-card-codes-2024-04-01",
        "UK",
        "2024-04-01",
        ("CONCERO-CALL-CARD-CODES",),
        expect=(CODES,),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_codes_recorded(),
        cites=(*PCI, "PCI DSS v4.0 Req. 3.3.1"),
        law="from 2024-04-01 v4.0 alone (FACTS.md: PCI DSS 3.3.1, audio recordings included)",
    ),
)

# --- problem 1's bound: a hop rests on what the organisation gave that processor ----------------
PROC_B = importer("GB", pid="procb", name="GB Processor B Ltd")
add(
    Scenario(
        "uk-health-other-processors-hop",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/to-sub"),),
        parties=(GB_PROC, PROC_B, importer("GB", pid="sub", name="GB Sub Ltd")),
        categories=(HEALTH,),
        consent_records=(EXPLICIT,),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", "dpa"),
            dpa(("acme", "procb"), "2024-06-01", "dpab", allows_subprocessing=True),
            dpa(("procb", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(
            flow(
                target="proc",
                categories=["health"],
                art9_condition="explicit_consent",
                consent_record="cr",
            ),
            flow("f2", target="procb", agreement="dpab"),
            flow("to-sub", "procb", "sub", "subdpa", basis=None, categories=["health"]),
        ),
        law="health data the organisation gave one processor under explicit consent does not "
        "cover another processor's hop of health data it never got from the organisation",
    ),
)
add(
    Scenario(
        "uk-health-hop-may-carry-more-than-given",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "may-no-condition", "medium", "flows/to-sub", "may_carry[0]"),),
        **{
            **_chain(GB_PROC, importer("GB", pid="sub", name="GB Sub Ltd")),
            "flows": (
                flow(target="proc"),
                flow(
                    "to-sub",
                    "proc",
                    "sub",
                    "subdpa",
                    basis=None,
                    may_carry={"categories": ["health"]},
                ),
            ),
        },
        law="a hop that may carry health data the organisation never gave the processor is a "
        "risk to confirm on the hop; the controller's flow names no condition for it",
    ),
)

# --- three problems on one flow are three findings, none repeated ------------------------------
add(
    Scenario(
        "uk-health-to-india-no-contract-no-condition-no-mechanism",
        "UK",
        "2026-06-01",
        (*T, *ART9, *AGR, *BASIS),
        expect=(
            CRIT_NO_MECH,
            Expect("GDPR-AGREEMENT", "missing", "high", "flows/f1"),
            Expect("GDPR-ART9", "no-condition", "high", "flows/f1"),
        ),
        parties=(importer("IN"),),
        categories=(HEALTH,),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(flow(agreement=None, categories=["health"]),),
        law="Art. 28(3) (no processor contract), Art. 44-46 (no adequacy or safeguard for "
        "India) and Art. 9(1) (no condition): three problems, each once",
    ),
)
