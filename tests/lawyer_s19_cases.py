"""Lawyer review s19 (2026-12-04): scenarios of the dated law in shared/legal/FACTS.md and the
notice beyond tests/regime_s17_cases.py and tests/lawyer_s18_cases.py: the EU's renewed
decision for the UK on its last day and the day after, the UK's own Sch. 21 adequacy on either
side of 2021-01-01, the Privacy Shield and the BCRs (group only), the ICO Data Sharing Code's
day, agreements on their first and last days, consent withdrawn before, on and after the audit
date, legitimate interests with and without an assessment on file by then, children below and
at the UK's age, criminal offence data, sub-processing chains across borders, retention, breach
and subject-access periods, and the notice's own promises (call recordings' 30 days, the
28-day access target). Each is a small map built on the base of tests/regime_s17_cases.py, an
audit date and the verdict a lawyer would sign; tests/test_lawyer_s19.py runs them.
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


AGR = ("GDPR-AGREEMENT",)
BASIS = ("GDPR-BASIS",)
CRIMINAL = {"id": "criminal", "name": "DBS check results", "criminal_offence": True}

# --- the EU's decision for the UK: the extension's last day, the renewal's last day ----------
add(
    Scenario(
        "eu-uk-extension-2025-12-27",
        "EU",
        "2025-12-27",
        T,
        parties=(importer("GB"),),
        law="Decision 2021/1772 as extended to 2025-12-27 (FACTS.md, Adequacy: EU -> UK)",
    ),
    Scenario(
        "eu-uk-renewal-2031-12-27",
        "EU",
        "2031-12-27",
        T,
        parties=(importer("GB"),),
        law="the renewal runs to 2031-12-27 (FACTS.md, Adequacy: EU -> UK 2021-06-28 to "
        "2031-12-27)",
    ),
    Scenario(
        "eu-uk-renewal-2031-12-28",
        "EU",
        "2031-12-28",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("GB"),),
        law="after 2031-12-27 no adequacy decision for the UK is recorded: a transfer needs "
        "an Art. 46 mechanism (FACTS.md, Adequacy: EU -> UK until 2031-12-27)",
    ),
)

# --- the UK's Sch. 21 list on either side of 2021-01-01 ------------------------------------------
add(
    Scenario(
        "uk-switzerland-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("CH"),),
        law="DPA 2018 Sch. 21: Switzerland adequate for UK exporters from 2021-01-01",
    ),
    Scenario(
        "uk-switzerland-2020-12-31",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("CH"),),
        law="in the transition period the EU's decisions applied to UK exporters "
        "(Withdrawal Agreement Art. 126-127; Decision 2000/518/EC for Switzerland)",
    ),
    Scenario(
        "uk-new-zealand-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("NZ"),),
        law="DPA 2018 Sch. 21: New Zealand",
    ),
    Scenario(
        "uk-india-2020-12-31",
        "UK",
        "2020-12-31",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("IN"),),
        law="no adequacy for India under the EU's list that applied in the transition period",
    ),
    Scenario(
        "uk-to-france-2020-12-31",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("FR"),),
        no_transfer=True,
        law="UK->EEA in the transition period was no restricted transfer (FACTS.md, periods)",
    ),
    Scenario(
        "uk-to-gibraltar-2020-12-31",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("GI"),),
        no_transfer=True,
        law="Gibraltar in the transition period: inside the EU regime with the UK (TFEU Art. "
        "355(3); FACTS.md, periods), no restricted transfer; from 2021-01-01 in Sch. 21",
    ),
)

# --- Privacy Shield for an EU exporter, BCRs (intra-group only) ---------------------------------
add(
    Scenario(
        "eu-privacy-shield-listed-2020-07-15",
        "EU",
        "2020-07-15",
        T,
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        law="EU-US Privacy Shield for listed importers until 2020-07-16 (FACTS.md, mechanisms)",
    ),
    Scenario(
        "eu-privacy-shield-listed-2020-07-16",
        "EU",
        "2020-07-16",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        law="Schrems II, C-311/18, 2020-07-16: the Shield is invalid from that day",
    ),
    Scenario(
        "eu-dpf-listed-health-unflagged",
        "EU",
        "2024-06-01",
        T,
        parties=(importer("US", listed=["eu_us_dpf"]),),
        categories=(
            {
                "id": "health",
                "name": "Health notes",
                "special_category": True,
                "art9_kind": "health",
            },
        ),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        consent_records=(EXPLICIT,),
        law="the flagging of sensitive data is the UK Extension's condition (FACTS.md), not "
        "the EU-US DPF's",
    ),
)


def _bcr(org_group: str | None, importer_group: str | None) -> dict[str, Any]:
    party = importer("US")
    if importer_group:
        party["group"] = importer_group
    return {
        "organisation": {"group": org_group},
        "parties": (party,),
        "agreements": (dpa(), transfer_agreement("bcr", "2024-01-01")),
        "assessments": (risk("2026-03-01", data_protection_test=True),),
        "flows": (flow(transfer_mechanism="bcr", transfer_agreement="ta", assessment="tra"),),
    }


add(
    Scenario(
        "uk-bcr-same-group",
        "UK",
        "2026-06-01",
        T,
        **_bcr("acme-group", "acme-group"),
        law="BCRs cover transfers within the corporate group (Art. 47; FACTS.md)",
    ),
    Scenario(
        "uk-bcr-outside-group",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "not-intra-group", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        **_bcr("acme-group", "other-group"),
        law="BCRs cover transfers within one corporate group only (Art. 47; FACTS.md): a "
        "supplier outside the group is no transfer they can carry",
    ),
    Scenario(
        "eu-bcr-importer-no-group",
        "EU",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "not-intra-group", "critical", "flows/f1", "transfer_mechanism"
            ),
        ),
        **_bcr("acme-group", None),
        law="BCRs: intra-group only (Art. 47): an importer recorded in no group",
    ),
)

# --- the ICO Data Sharing Code's day (2021-10-05) and agreements' own days --------------------
add(
    Scenario(
        "uk-controller-sharing-2021-10-04",
        "UK",
        "2021-10-04",
        AGR,
        parties=(importer("GB", role="controller"),),
        flows=(flow(agreement=None),),
        law="before the ICO Data Sharing Code came into force (2021-10-05) no agreement was "
        "asked of independent controllers (FACTS.md, Lawful bases and agreements)",
    ),
    Scenario(
        "uk-controller-sharing-2021-10-05",
        "UK",
        "2021-10-05",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "sharing-missing", "low", "flows/f1"),),
        parties=(importer("GB", role="controller"),),
        flows=(flow(agreement=None),),
        law="from 2021-10-05 the code calls a data sharing agreement good practice (FACTS.md)",
    ),
    Scenario(
        "uk-dpa-signed-after-audit-date",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "not-yet-in-force", "high", "flows/f1", "agreement"),),
        parties=(importer("GB"),),
        agreements=(dpa(signed="2026-06-02"),),
        law="an Art. 28 contract signed the day after the audit date was not in force on it",
    ),
    Scenario(
        "uk-dpa-signed-on-audit-date",
        "UK",
        "2026-06-01",
        AGR,
        parties=(importer("GB"),),
        agreements=(dpa(signed="2026-06-01"),),
        law="an Art. 28 contract signed on the audit date is in force on it",
    ),
    Scenario(
        "uk-dpa-expired-day-before",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "expired", "high", "flows/f1", "agreement"),),
        parties=(importer("GB"),),
        agreements=(dpa(expires_on="2026-05-31"),),
        law="an Art. 28 contract that expired the day before the audit date covers nothing",
    ),
    Scenario(
        "uk-joint-arrangement-expired",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "joint-expired", "high", "flows/f1", "agreement"),),
        parties=(importer("GB", role="joint_controller"),),
        agreements=(dpa(kind="art26_joint", expires_on="2026-05-31"),),
        law="Art. 26: an arrangement that has lapsed is no arrangement",
    ),
)

# --- consent withdrawn (Art. 7(3)), legitimate interests with its assessment -------------------
CONSENT = {
    "id": "cr",
    "method": "web form tick box",
    "purposes": ["support"],
    "affirmative_act": True,
    "bundled_with_terms": False,
    "evidence": "forms",
}
add(
    Scenario(
        "uk-consent-withdrawn-before",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        consent_records=({**CONSENT, "withdrawn_on": "2026-05-31"},),
        flows=(flow(basis="consent", consent_record="cr"),),
        law="Art. 7(3): consent withdrawn before the audit date carries no flow after it",
    ),
    Scenario(
        "uk-consent-withdrawn-on-day",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        consent_records=({**CONSENT, "withdrawn_on": "2026-06-01"},),
        flows=(flow(basis="consent", consent_record="cr"),),
        law="Art. 7(3): withdrawn on the audit date, the consent carries nothing that day",
    ),
    Scenario(
        "uk-consent-withdrawn-after",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(importer("GB"),),
        consent_records=({**CONSENT, "withdrawn_on": "2026-06-02"},),
        flows=(flow(basis="consent", consent_record="cr"),),
        law="Art. 7(3): withdrawal does not affect the lawfulness of what went before it",
    ),
    Scenario(
        "uk-consent-bundled",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        consent_records=({**CONSENT, "bundled_with_terms": True},),
        flows=(flow(basis="consent", consent_record="cr"),),
        law="Art. 7: consent bundled with terms of service is not freely given (FACTS.md)",
    ),
    Scenario(
        "uk-consent-no-record",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-consent-record", "high", "flows/f1"),),
        parties=(importer("GB"),),
        flows=(flow(basis="consent"),),
        law="a flow on consent needs a record of how consent was obtained (FACTS.md)",
    ),
    Scenario(
        "uk-li-no-assessment",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-assessment", "high", "flows/f1"),),
        parties=(importer("GB"),),
        flows=(flow(basis="legitimate_interests"),),
        law="legitimate interests needs an assessment on file (FACTS.md)",
    ),
    Scenario(
        "uk-li-assessment-after-audit-date",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-assessment", "high", "flows/f1", "assessment"),),
        parties=(importer("GB"),),
        assessments=({**LIA, "completed_on": "2026-06-02"},),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="an assessment completed after the audit date was not on file on it",
    ),
    Scenario(
        "uk-li-assessment-on-audit-date",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(importer("GB"),),
        assessments=({**LIA, "completed_on": "2026-06-01"},),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="an assessment completed on the audit date is on file",
    ),
    Scenario(
        "uk-billing-basis",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "not-a-basis", "high", "flows/f1", "basis"),),
        parties=(importer("GB"),),
        flows=(flow(basis="billing"),),
        law="'billing' is not an Art. 6(1) basis (FACTS.md, problem 3)",
    ),
)

# --- children: the UK's age of consent to online services (13; DPA 2018 s.9) ----------------
PUPILS_ONLINE = {"id": "learners", "name": "Learners", "children": True}
LEARNING = {"id": "homework", "name": "Online homework help", "notice": "PN-RECIPIENTS"}


def _children(min_age: int, online: bool = True, parental: bool = False) -> dict[str, Any]:
    record = {**CONSENT, "purposes": ["homework"]}
    if parental:
        record["parental_authorisation"] = True
    purpose = {**LEARNING} if online else {**LEARNING, "online_service": False}
    return {
        "parties": (importer("GB"),),
        "subjects": ({**PUPILS_ONLINE, "min_age": min_age},),
        "consent_records": (record,),
        "flows": (
            flow(subjects=["learners"], purpose="homework", basis="consent", consent_record="cr"),
        ),
        "purposes": (purpose,),
    }


add(
    Scenario(
        "uk-child-12-online-no-parent",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "child-consent", "high", "flows/f1", "consent_record"),),
        **_children(12),
        law="UK GDPR Art. 8(1) with DPA 2018 s.9: under 13 a child's consent to an online "
        "service needs the holder of parental responsibility's authorisation",
    ),
    Scenario(
        "uk-child-12-online-parent",
        "UK",
        "2026-06-01",
        BASIS,
        **_children(12, parental=True),
        law="Art. 8(1): parental authorisation recorded",
    ),
    Scenario(
        "uk-child-12-offline",
        "UK",
        "2026-06-01",
        BASIS,
        **_children(12, online=False),
        law="Art. 8 applies to information society services offered directly to a child only",
    ),
)

# --- criminal offence data (Art. 10; DPA 2018 Sch. 1) ------------------------------------------
ART10 = ("GDPR-ART10",)
add(
    Scenario(
        "uk-criminal-no-condition",
        "UK",
        "2026-06-01",
        ART10,
        expect=(Expect("GDPR-ART10", "no-condition", "high", "flows/f1"),),
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"]),),
        law="criminal offence data needs an Art. 10 condition from DPA 2018 Sch. 1 (FACTS.md)",
    ),
    Scenario(
        "uk-criminal-legal-claims-no-policy",
        "UK",
        "2026-06-01",
        ART10,
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="legal_claims"),),
        law="DPA 2018 Sch. 1 para 33 (legal claims) asks no appropriate policy document: only "
        "'most conditions' do (FACTS.md)",
    ),
    Scenario(
        "uk-criminal-consent-no-policy",
        "UK",
        "2026-06-01",
        ART10,
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        consent_records=(EXPLICIT,),
        flows=(
            flow(
                categories=["criminal"],
                art10_condition="consent",
                basis="consent",
                consent_record="cr",
            ),
        ),
        law="DPA 2018 Sch. 1 para 29 (consent) asks no appropriate policy document",
    ),
    Scenario(
        "uk-criminal-served-client-hop",
        "UK",
        "2026-06-01",
        ART10,
        parties=(
            {
                "id": "client",
                "name": "Client Ltd",
                "kind": "business_customer",
                "country": "GB",
                "role": "controller",
                "notice": "PN-RECIPIENTS",
            },
            importer("GB"),
        ),
        purposes=(
            {
                "id": "vetting",
                "name": "Client's staff vetting",
                "controller": "client",
                "notice": "PN-RECIPIENTS",
            },
        ),
        categories=(CRIMINAL,),
        agreements=(
            dpa(("client", "acme"), "2024-06-01", "clientdpa", allows_subprocessing=True),
            dpa(("acme", "importer"), "2024-06-01", "dpa"),
        ),
        flows=(
            flow(
                "intake",
                "client",
                "acme",
                "clientdpa",
                recipient_role="processor",
                purpose="vetting",
                categories=["criminal"],
            ),
            flow(
                "f1",
                "acme",
                "importer",
                "dpa",
                basis=None,
                purpose="vetting",
                on_behalf_of=["client"],
                categories=["criminal"],
            ),
        ),
        law="acting as the client's processor the organisation holds no Art. 10 condition of "
        "its own: the condition is the controller's (Art. 28(3)(a), 29; FACTS.md, Roles)",
    ),
)

# --- a processor's sub-processing chain across a border ----------------------------------------
GB_PROC = importer("GB", pid="proc", name="GB Processor Ltd")
IN_SUB = importer("IN", pid="sub", name="Indian Sub Pvt")


def _chain(*extra_agreements: dict[str, Any], **hop: Any) -> dict[str, Any]:
    return {
        "parties": (GB_PROC, IN_SUB),
        "agreements": (
            dpa(("acme", "proc"), "2024-06-01", "procdpa", allows_subprocessing=True),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
            *extra_agreements,
        ),
        "flows": (
            flow("f0", "acme", "proc", "procdpa"),
            flow("f1", "proc", "sub", "subdpa", basis=None, **hop),
        ),
    }


add(
    Scenario(
        "uk-gb-processor-to-indian-sub-no-mechanism",
        "UK",
        "2026-06-01",
        ("GDPR-TRANSFER", "GDPR-ONWARD"),
        expect=(CRIT_NO_MECH,),
        **_chain(),
        law="the UK processor's hop to its Indian sub-processor is a restricted transfer "
        "(UK GDPR Art. 44, 46): no adequacy for India, no mechanism",
    ),
    Scenario(
        "uk-gb-processor-to-indian-sub-idta",
        "UK",
        "2026-06-01",
        ("GDPR-TRANSFER", "GDPR-ONWARD"),
        assessments=(risk("2026-03-01", data_protection_test=True),),
        **_chain(
            transfer_agreement("idta", "2026-03-01", ("proc", "sub")),
            transfer_mechanism="idta",
            transfer_agreement="ta",
            assessment="tra",
        ),
        law="an IDTA between the UK processor and its Indian sub-processor, with a transfer "
        "risk assessment judging the data protection test met (from 2026-02-05)",
    ),
)

# --- breach notification (Art. 33), retention (Art. 5(1)(e)), subject access (Art. 12(3)) -----
BREACH = ("GDPR-BREACH",)
RIGHTS = ("GDPR-RIGHTS",)


def _breach(hours: int) -> dict[str, Any]:
    return {
        "breach_procedure": {"log": "https://acme.example/breach", "notify_within_hours": hours}
    }


add(
    Scenario(
        "uk-breach-72-hours",
        "UK",
        "2026-06-01",
        BREACH,
        organisation=_breach(72),
        parties=(importer("GB"),),
        law="Art. 33(1): the regulator told within 72 hours of becoming aware",
    ),
    Scenario(
        "uk-breach-73-hours",
        "UK",
        "2026-06-01",
        BREACH,
        expect=(
            Expect(
                "GDPR-BREACH", "notify-too-late", "medium", "organisation/acme", "breach_procedure"
            ),
        ),
        organisation=_breach(73),
        parties=(importer("GB"),),
        law="Art. 33(1): a procedure allowing 73 hours misses the 72",
    ),
    Scenario(
        "eu-breach-96-hours",
        "EU",
        "2026-06-01",
        BREACH,
        expect=(
            Expect(
                "GDPR-BREACH", "notify-too-late", "medium", "organisation/acme", "breach_procedure"
            ),
        ),
        organisation=_breach(96),
        parties=(importer("DE"),),
        law="GDPR Art. 33(1): 72 hours for an EU controller too",
    ),
    Scenario(
        "uk-breach-no-procedure",
        "UK",
        "2026-06-01",
        BREACH,
        expect=(Expect("GDPR-BREACH", "no-procedure", "medium", "organisation/acme"),),
        organisation={"breach_procedure": None},
        parties=(importer("GB"),),
        law="Art. 33(1), 33(5): breaches recorded and notified: no procedure recorded",
    ),
    Scenario(
        "uk-dsar-28-days",
        "UK",
        "2026-06-01",
        RIGHTS,
        parties=(importer("GB"),),
        law="Art. 12(3): one calendar month; 28 days meets it in every month",
    ),
    Scenario(
        "uk-dsar-31-days",
        "UK",
        "2026-06-01",
        RIGHTS,
        expect=(
            Expect("GDPR-RIGHTS", "dsar-too-slow", "medium", "organisation/acme", "dsar_days"),
        ),
        organisation={"dsar_days": 31},
        parties=(importer("GB"),),
        law="Art. 12(3): 31 days is late for a request made in February or a 30-day month",
    ),
    Scenario(
        "ch-dsar-30-days",
        "CH",
        "2026-06-01",
        RIGHTS,
        organisation={"dsar_days": 30},
        parties=(importer("CH"),),
        law="revFADP Art. 25(7): in general within 30 days (UNCONFIRMED row)",
    ),
)

STORE = {
    "id": "crm",
    "name": "CRM",
    "owner": "acme",
    "country": "GB",
    "categories": ["contact.name"],
    "subjects": ["customers"],
    "retention_days": 730,
    "retention_justification": "two years after the last order, for warranty claims",
    "encrypted_at_rest": True,
    "notice": "PN-RECIPIENTS",
}
INTO_STORE = flow("f1", "acme", "crm", None)
add(
    Scenario(
        "uk-store-retention-set",
        "UK",
        "2026-06-01",
        ("GDPR-RETENTION",),
        systems=(STORE,),
        flows=(INTO_STORE,),
        parties=(importer("GB"),),
        law="Art. 5(1)(e): a period is recorded for the store",
    ),
    Scenario(
        "uk-store-no-retention",
        "UK",
        "2026-06-01",
        ("GDPR-RETENTION",),
        expect=(Expect("GDPR-RETENTION", "not-recorded", "medium", "systems/crm"),),
        systems=({**STORE, "retention_days": None},),
        flows=(INTO_STORE,),
        parties=(importer("GB"),),
        law="Art. 5(1)(e), Art. 30(1)(f): a store with no period recorded",
    ),
)


# --- a withdrawn consent carries no other rule either (Art. 7(3)) ------------------------------
WITHDRAWN = "2026-05-31"
add(
    Scenario(
        "uk-art9-explicit-consent-withdrawn",
        "UK",
        "2026-06-01",
        ("GDPR-ART9",),
        expect=(Expect("GDPR-ART9", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        categories=(HEALTH,),
        consent_records=({**EXPLICIT, "withdrawn_on": WITHDRAWN},),
        flows=(
            flow(categories=["health"], art9_condition="explicit_consent", consent_record="cr"),
        ),
        law="Art. 9(2)(a) with Art. 7(3): explicit consent withdrawn is no condition",
    ),
    Scenario(
        "uk-art10-consent-withdrawn",
        "UK",
        "2026-06-01",
        ART10,
        expect=(Expect("GDPR-ART10", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        categories=(CRIMINAL,),
        consent_records=({**EXPLICIT, "withdrawn_on": WITHDRAWN},),
        flows=(flow(categories=["criminal"], art10_condition="consent", consent_record="cr"),),
        law="DPA 2018 Sch. 1 para 29 with Art. 7(3): consent withdrawn is no condition",
    ),
    Scenario(
        "eu-art49-consent-withdrawn",
        "EU",
        "2026-06-01",
        T,
        expect=(
            Expect("GDPR-TRANSFER", "consent-not-valid", "critical", "flows/f1", "consent_record"),
        ),
        parties=(importer("IN", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=({**ART49, "withdrawn_on": WITHDRAWN},),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="Art. 49(1)(a) with Art. 7(3): a withdrawn consent carries no transfer",
    ),
    Scenario(
        "uk-pecr-email-consent-withdrawn",
        "UK",
        "2026-06-01",
        ("GDPR-BASIS", "PECR-MARKETING-CONSENT"),
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        consent_records=({**CONSENT, "purposes": ["marketing"], "withdrawn_on": WITHDRAWN},),
        flows=(
            flow(
                categories=["contact.email"],
                subjects=["people"],
                purpose="marketing",
                basis="consent",
                consent_record="cr",
                opt_out="unsubscribe link",
                channel="email",
            ),
        ),
        law="PECR reg. 22(2) with UK GDPR Art. 7(3) (PECR reg. 2(3)): an email to an "
        "individual on consent withdrawn",
    ),
    Scenario(
        "uk-transfer-risk-assessment-after-audit-date",
        "UK",
        "2026-06-01",
        T,
        expect=(
            Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1", "assessment"),
        ),
        parties=(importer("IN"),),
        agreements=(dpa(), transfer_agreement("idta", "2026-03-01")),
        assessments=(risk("2026-06-02", data_protection_test=True),),
        flows=(flow(transfer_mechanism="idta", transfer_agreement="ta", assessment="tra"),),
        law="a transfer risk assessment completed after the audit date was not on file on it",
    ),
    Scenario(
        "uk-li-assessment-other-purpose",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-assessment", "high", "flows/f1", "assessment"),),
        parties=(importer("GB"),),
        purposes=(MARKETING,),
        assessments=({**LIA, "purposes": ["marketing"]},),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="an assessment weighing marketing does not weigh support (Art. 6(1)(f))",
    ),
    Scenario(
        "uk-us-org-no-representative",
        "UK",
        "2026-06-01",
        ("GDPR-REPRESENTATIVE",),
        expect=(Expect("GDPR-REPRESENTATIVE", "no-representative", "medium", "organisation/acme"),),
        organisation={"country": "US"},
        parties=(importer("GB"),),
        law="UK GDPR Art. 27: a controller outside the UK under Art. 3(2) names a UK "
        "representative",
    ),
)
add(
    Scenario(
        "ch-breach-96-hours",
        "CH",
        "2026-06-01",
        BREACH,
        organisation=_breach(96),
        parties=(importer("CH"),),
        law="revFADP Art. 24(1): the FDPIC told 'as soon as possible', no 72 hours: the "
        "GDPR's Art. 33(1) does not bind a Swiss controller",
    ),
    Scenario(
        "uk-joint-arrangement-short-of-categories",
        "UK",
        "2026-06-01",
        AGR,
        expect=(
            Expect(
                "GDPR-AGREEMENT", "joint-categories-not-covered", "high", "flows/f1", "categories"
            ),
        ),
        parties=(importer("GB", role="joint_controller"),),
        categories=(CRIMINAL,),
        agreements=(dpa(kind="art26_joint", categories=["contact"]),),
        flows=(flow(categories=["contact.name", "criminal"], art10_condition="legal_claims"),),
        law="Art. 26: the arrangement must cover what the joint controllers process together",
    ),
    Scenario(
        "eu-art49-consent-names-other-recipient",
        "EU",
        "2026-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER", "consent-not-informed", "critical", "flows/f1", "consent_record"
            ),
        ),
        parties=(
            importer("IN", role="controller"),
            importer("IN", role="controller", pid="other", name="Other Corp"),
        ),
        agreements=(dpa(kind="data_sharing_agreement"),),
        consent_records=({**ART49, "recipients": ["other"]},),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="Art. 49(1)(a): consent must name the recipient (FACTS.md)",
    ),
)

# --- a processor's breach notice to its controller (Art. 33(2)); a representative (Art. 27) --
SERVED = {
    "parties": (
        {
            "id": "client",
            "name": "Client Ltd",
            "kind": "business_customer",
            "country": "GB",
            "role": "controller",
            "notice": "PN-RECIPIENTS",
        },
    ),
    "purposes": (
        {
            "id": "payroll",
            "name": "Client's payroll",
            "controller": "client",
            "notice": "PN-RECIPIENTS",
        },
    ),
    "agreements": (dpa(("client", "acme"), "2024-06-01", "clientdpa"),),
    "flows": (
        flow("f1", "client", "acme", "clientdpa", recipient_role="processor", purpose="payroll"),
    ),
}
add(
    Scenario(
        "uk-processor-tells-controllers",
        "UK",
        "2026-06-01",
        BREACH,
        organisation={
            "breach_procedure": {
                "log": "https://acme.example/breach",
                "notify_within_hours": 48,
                "notifies_controllers": True,
            },
        },
        **SERVED,
        law="Art. 33(2): a processor tells the controller without undue delay, recorded",
    ),
    Scenario(
        "uk-processor-does-not-tell-controllers",
        "UK",
        "2026-06-01",
        BREACH,
        expect=(
            Expect(
                "GDPR-BREACH",
                "processor-no-controller-notice",
                "medium",
                "organisation/acme",
                "breach_procedure",
            ),
        ),
        **SERVED,
        law="Art. 33(2): acting as a processor (FACTS.md, Roles: breach notice to the "
        "controller without undue delay), its procedure records no notice to controllers",
    ),
    Scenario(
        "uk-us-org-representative-in-uk",
        "UK",
        "2026-06-01",
        ("GDPR-REPRESENTATIVE",),
        organisation={
            "country": "US",
            "representative": {
                "name": "Rep Ltd",
                "email": "rep@example.co.uk",
                "address": "1 High St, London",
                "country": "GB",
            },
        },
        parties=(importer("GB"),),
        law="UK GDPR Art. 27(1), (3): a representative established in the UK",
    ),
    Scenario(
        "uk-us-org-representative-in-france",
        "UK",
        "2026-06-01",
        ("GDPR-REPRESENTATIVE",),
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
                "name": "Rep SARL",
                "email": "rep@example.fr",
                "address": "1 rue de la Paix, Paris",
                "country": "FR",
            },
        },
        parties=(importer("GB"),),
        law="UK GDPR Art. 27(3): the UK representative must be established in the UK; an EU "
        "representative does not serve since 2021-01-01",
    ),
)
