"""Lawyer review s21 (2026-12-05, lawful basis and everything but transfers): scenarios of the
dated law in shared/legal/FACTS.md and the notice's promises not covered by
tests/regime_s17_cases.py and tests/lawyer_s18/s19/s20_cases.py: recognised legitimate
interests (its condition, its date, a public authority, a UK organisation still in the EU);
consent (specific to its purpose, a pre-ticked box, a child on either side of 13 before and
after 2021); Art. 9 conditions whose purpose does and does not fit, special category data that
is also marketing; Art. 10 conditions with and without the policy document; PECR by channel,
subscriber and each condition of the soft opt-in that a map can show; processors,
sub-processors and joint controllers with and without their documents; retention, rights,
breach; waivers on either side of their dates; the notice's promises. Each is a small map built
on the base of tests/regime_s17_cases.py, an audit date and the verdict a lawyer would sign;
tests/test_lawyer_s21_basis.py runs them.
"""

from __future__ import annotations

from typing import Any

from tests.lawyer_s20_cases import CLAUSES, FAX, NOTICE_ORG, PHONE
from tests.regime_s17_cases import (
    CRIMINAL,
    EXPLICIT,
    HEALTH,
    LIA,
    MARKETING,
    Expect,
    Scenario,
    dpa,
    flow,
    importer,
    subscribers,
)

SCEN: list[Scenario] = []


def add(*scenarios: Scenario) -> None:
    SCEN.extend(scenarios)


BASIS = ("GDPR-BASIS",)
ART9 = ("GDPR-ART9",)
ART10 = ("GDPR-ART10",)
PECR = ("PECR-MARKETING-CONSENT",)
AGR = ("GDPR-AGREEMENT",)
SUB = ("GDPR-SUBPROCESSING",)
GB = importer("GB")
APD = {"appropriate_policy_document": "https://acme.example/apd"}
CONSENT = {
    "id": "cr",
    "method": "unticked box, wording and time stored",
    "purposes": ["support"],
    "affirmative_act": True,
    "bundled_with_terms": False,
    "evidence": "consent log",
}
RESEARCH = {"id": "research", "name": "Product research", "notice": "PN-RECIPIENTS"}
RLI = {"basis": "recognised_legitimate_interests", "recognised_condition": "crime"}


def _send(
    channel: str | None, kind: str, category: str = "contact.email", **more: Any
) -> dict[str, Any]:
    """A marketing flow by ``channel`` to subscribers of ``kind`` on legitimate interests with
    an assessment and an opt-out (each overridable; None drops a field)."""
    fields: dict[str, Any] = {
        "categories": [category],
        "subjects": ["people"],
        "purpose": "marketing",
        "basis": "legitimate_interests",
        "assessment": "lia",
        "opt_out": "unsubscribe link",
        "channel": channel,
        **more,
    }
    return {
        "parties": (GB,),
        "purposes": (MARKETING,),
        "subjects": subscribers(kind),
        "assessments": (LIA,),
        "categories": (PHONE, FAX),
        "flows": (flow(**fields),),
    }


# --- Art. 6: recognised legitimate interests, consent specific to its purpose ----------------
add(
    Scenario(
        "uk-rli-no-condition-2026-02-05",
        "UK",
        "2026-02-05",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-recognised-condition", "high", "flows/f1", "basis"),),
        parties=(GB,),
        flows=(flow(basis="recognised_legitimate_interests"),),
        law="Art. 6(1)(ea) from 2026-02-05 (DUAA s.70), open only on an Annex 1 condition "
        "(Art. 6(5))",
    ),
    Scenario(
        "uk-rli-safeguarding-2026-06-01",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(GB,),
        flows=(
            flow(
                basis="recognised_legitimate_interests",
                recognised_condition="safeguarding_vulnerable_individuals",
            ),
        ),
        law="Art. 6(1)(ea) with an Annex 1 condition needs no balancing test (no LIA)",
    ),
    Scenario(
        "uk-rli-public-authority",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "public-authority", "high", "flows/f1", "basis"),),
        organisation={"public_authority": True},
        parties=(GB,),
        flows=(flow(**RLI),),
        law="Art. 6(1) second subparagraph as amended by DUAA s.70: (ea) and (f) not for a "
        "public authority's tasks",
    ),
    Scenario(
        "uk-rli-2020-06-01-member-state",
        "UK",
        "2020-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "not-available", "high", "flows/f1", "basis"),),
        parties=(GB,),
        flows=(flow(**RLI),),
        law="no Art. 6(1)(ea) before 2026-02-05, least of all while the UK was in the EU",
    ),
    Scenario(
        "uk-consent-pre-ticked",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        parties=(GB,),
        consent_records=({**CONSENT, "affirmative_act": False},),
        flows=(flow(basis="consent", consent_record="cr"),),
        law="a pre-ticked box is no consent (Art. 4(11), Recital 32; FACTS.md: a clear "
        "affirmative act)",
    ),
    Scenario(
        "uk-consent-record-for-other-purpose",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(
            Expect("GDPR-BASIS", "purpose-not-consented", "high", "flows/f1", "consent_record"),
        ),
        parties=(GB,),
        purposes=(RESEARCH,),
        consent_records=(CONSENT,),
        flows=(flow(purpose="research", basis="consent", consent_record="cr"),),
        law="consent is specific (Art. 4(11), 6(1)(a) 'for one or more specific purposes'; "
        "FACTS.md): a record of consent to support is none to research",
    ),
    Scenario(
        "uk-consent-record-for-this-purpose",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(GB,),
        purposes=(RESEARCH,),
        consent_records=({**CONSENT, "purposes": ["support", "research"]},),
        flows=(flow(purpose="research", basis="consent", consent_record="cr"),),
        law="consent recorded for the flow's purpose",
    ),
    Scenario(
        "uk-vital-interests-basis",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(GB,),
        flows=(flow(basis="vital_interests"),),
        law="Art. 6(1)(d) is on the closed list (its limits taken on trust, said so)",
    ),
    Scenario(
        "uk-legal-obligation-basis",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(GB,),
        flows=(flow(basis="legal_obligation"),),
        law="Art. 6(1)(c) is on the closed list",
    ),
    Scenario(
        "uk-no-basis",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "missing", "high", "flows/f1"),),
        parties=(GB,),
        flows=(flow(basis=None),),
        law="every flow names an Art. 6(1) basis",
    ),
)

# --- children: the UK's 13 before and after the UK left the EU --------------------------------
PUPILS = {"id": "learners", "name": "Learners", "children": True}
LEARNING = {"id": "homework", "name": "Online homework app", "notice": "PN-RECIPIENTS"}


def _kids(min_age: int, parental: bool = False, **record: Any) -> dict[str, Any]:
    consent = {**CONSENT, "purposes": ["homework"], **record}
    if parental:
        consent["parental_authorisation"] = True
    return {
        "parties": (GB,),
        "subjects": ({**PUPILS, "min_age": min_age},),
        "consent_records": (consent,),
        "purposes": (LEARNING,),
        "flows": (
            flow(subjects=["learners"], purpose="homework", basis="consent", consent_record="cr"),
        ),
    }


CHILD = Expect("GDPR-BASIS", "child-consent", "high", "flows/f1", "consent_record")
add(
    Scenario(
        "uk-child-14-2020-06-01",
        "UK",
        "2020-06-01",
        BASIS,
        **_kids(14),
        law="DPA 2018 s.9 set 13 for the UK from 2018-05-25, while it was still in the EU",
    ),
    Scenario(
        "uk-child-12-2020-06-01",
        "UK",
        "2020-06-01",
        BASIS,
        expect=(CHILD,),
        **_kids(12),
        law="under 13: the holder of parental responsibility consents (Art. 8(1), DPA 2018 s.9)",
    ),
    Scenario(
        "uk-child-12-2021-01-01",
        "UK",
        "2021-01-01",
        BASIS,
        expect=(CHILD,),
        **_kids(12),
        law="UK GDPR Art. 8(1) with DPA 2018 s.9 from 2021-01-01",
    ),
    Scenario(
        "uk-child-13-2021-01-01",
        "UK",
        "2021-01-01",
        BASIS,
        **_kids(13),
        law="13 and over consent themselves (DPA 2018 s.9)",
    ),
    Scenario(
        "uk-child-12-parent-bundled",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        **_kids(12, parental=True, bundled_with_terms=True),
        law="a parent's consent bundled with the terms is no more valid than anyone's (Art. 7(4))",
    ),
)

# --- Art. 9: the condition and the purpose; special category data that is also marketing -----
EXPLICIT_RESEARCH = {**EXPLICIT, "purposes": ["research"]}
add(
    Scenario(
        "uk-health-explicit-consent-other-purpose",
        "UK",
        "2026-06-01",
        ART9,
        expect=(
            Expect("GDPR-ART9", "purpose-not-consented", "high", "flows/f1", "consent_record"),
        ),
        parties=(GB,),
        categories=(HEALTH,),
        purposes=(RESEARCH,),
        consent_records=(EXPLICIT,),
        flows=(
            flow(
                purpose="research",
                basis="legitimate_interests",
                assessment="lia",
                categories=["health"],
                art9_condition="explicit_consent",
                consent_record="cr",
            ),
        ),
        assessments=(LIA,),
        law="explicit consent 'for one or more specified purposes' (Art. 9(2)(a)): consent to "
        "support is none to research",
    ),
    Scenario(
        "uk-health-explicit-consent-this-purpose",
        "UK",
        "2026-06-01",
        ART9,
        parties=(GB,),
        categories=(HEALTH,),
        purposes=(RESEARCH,),
        consent_records=(EXPLICIT_RESEARCH,),
        flows=(
            flow(
                purpose="research",
                basis="consent",
                categories=["health"],
                art9_condition="explicit_consent",
                consent_record="cr",
            ),
        ),
        law="Art. 9(2)(a) explicit consent for the flow's purpose, recorded",
    ),
    Scenario(
        "uk-health-research-no-policy-document",
        "UK",
        "2026-06-01",
        ART9,
        parties=(GB,),
        categories=(HEALTH,),
        purposes=(RESEARCH,),
        flows=(
            flow(
                purpose="research",
                categories=["health"],
                art9_condition="archiving_research_statistics",
            ),
        ),
        law="Art. 9(2)(j) with DPA 2018 Sch. 1 para 4: no appropriate policy document asked",
    ),
    Scenario(
        "uk-health-public-health-no-policy-document",
        "UK",
        "2026-06-01",
        ART9,
        parties=(GB,),
        categories=(HEALTH,),
        flows=(flow(categories=["health"], art9_condition="public_health"),),
        law="Art. 9(2)(i) with DPA 2018 Sch. 1 para 3: no appropriate policy document asked",
    ),
    Scenario(
        "uk-health-made-public",
        "UK",
        "2026-06-01",
        ART9,
        parties=(GB,),
        categories=(HEALTH,),
        flows=(flow(categories=["health"], art9_condition="made_public"),),
        law="Art. 9(2)(e): a pass that takes 'manifestly made public' on trust",
    ),
    Scenario(
        "uk-health-not-for-profit-to-controller",
        "UK",
        "2026-06-01",
        ART9,
        expect=(
            Expect("GDPR-ART9", "disclosed-outside-body", "high", "flows/f1", "art9_condition"),
        ),
        parties=(importer("GB", role="controller"),),
        agreements=(dpa(kind="data_sharing_agreement"),),
        categories=(HEALTH,),
        flows=(flow(categories=["health"], art9_condition="not_for_profit_body"),),
        law="Art. 9(2)(d): not disclosed outside the body without the people's consent",
    ),
    Scenario(
        "uk-health-not-for-profit-to-processor",
        "UK",
        "2026-06-01",
        ART9,
        parties=(GB,),
        categories=(HEALTH,),
        flows=(flow(categories=["health"], art9_condition="not_for_profit_body"),),
        law="Art. 9(2)(d): the body's processor acts on its instructions (no disclosure)",
    ),
    Scenario(
        "uk-biometric-no-condition",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/f1"),),
        parties=(GB,),
        categories=(
            {
                "id": "face",
                "name": "Face scans",
                "special_category": True,
                "art9_kind": "biometric",
            },
        ),
        flows=(flow(categories=["face"]),),
        law="Art. 9(1): biometric data for identification needs a condition",
    ),
    Scenario(
        "uk-health-marketing-explicit-consent",
        "UK",
        "2026-06-01",
        (*ART9, *PECR),
        parties=(GB,),
        categories=(HEALTH,),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        consent_records=({**EXPLICIT, "purposes": ["marketing"]},),
        flows=(
            flow(
                categories=["contact.email", "health"],
                subjects=["people"],
                purpose="marketing",
                basis="consent",
                consent_record="cr",
                art9_condition="explicit_consent",
                opt_out="unsubscribe link",
                channel="email",
            ),
        ),
        law="marketing by health condition: explicit consent (Art. 9(2)(a)) that is also the "
        "consent PECR reg. 22 asks",
    ),
    Scenario(
        "uk-health-marketing-soft-opt-in-no-condition",
        "UK",
        "2026-06-01",
        (*ART9, *PECR),
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/f1"),),
        parties=(GB,),
        categories=(HEALTH,),
        purposes=(MARKETING,),
        subjects=subscribers("individual"),
        assessments=(LIA,),
        flows=(
            flow(
                categories=["contact.email", "health"],
                subjects=["people"],
                purpose="marketing",
                basis="legitimate_interests",
                assessment="lia",
                soft_opt_in=True,
                opt_out="unsubscribe link",
                channel="email",
            ),
        ),
        law="the soft opt-in answers PECR, not Art. 9: health data used for marketing still "
        "needs an Art. 9(2) condition",
    ),
)

# --- Art. 10 (DPA 2018 Sch. 1) ----------------------------------------------------------------
NO_APD = Expect("GDPR-ART10", "no-policy-document", "high", "flows/f1", "art10_condition")
add(
    Scenario(
        "uk-criminal-safeguarding-no-policy",
        "UK",
        "2026-06-01",
        ART10,
        expect=(NO_APD,),
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="safeguarding_children"),),
        law="Sch. 1 para 18 is a Part 2 condition: appropriate policy document (para 5)",
    ),
    Scenario(
        "uk-criminal-safeguarding-with-policy",
        "UK",
        "2026-06-01",
        ART10,
        organisation=APD,
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="safeguarding_children"),),
        law="Sch. 1 para 18 with the policy document",
    ),
    Scenario(
        "uk-criminal-unlawful-acts-no-policy",
        "UK",
        "2026-06-01",
        ART10,
        expect=(NO_APD,),
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="preventing_unlawful_acts"),),
        law="Sch. 1 para 10 with para 5: appropriate policy document",
    ),
    Scenario(
        "uk-criminal-statutory-no-policy",
        "UK",
        "2026-06-01",
        ART10,
        expect=(NO_APD,),
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="statutory_purposes"),),
        law="Sch. 1 para 6 extended by para 36: the policy document stays",
    ),
    Scenario(
        "uk-criminal-official-authority",
        "UK",
        "2026-06-01",
        ART10,
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="official_authority"),),
        law="Art. 10's first limb needs no Sch. 1 condition (taken on trust, said so)",
    ),
    Scenario(
        "uk-criminal-consent-no-record",
        "UK",
        "2026-06-01",
        ART10,
        expect=(Expect("GDPR-ART10", "no-consent-record", "high", "flows/f1"),),
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="consent"),),
        law="Sch. 1 para 29 consent must be shown (Art. 7(1))",
    ),
    Scenario(
        "uk-criminal-consent-other-purpose",
        "UK",
        "2026-06-01",
        ART10,
        expect=(
            Expect("GDPR-ART10", "purpose-not-consented", "high", "flows/f1", "consent_record"),
        ),
        parties=(GB,),
        categories=(CRIMINAL,),
        purposes=(RESEARCH,),
        consent_records=(CONSENT,),
        flows=(
            flow(
                purpose="research",
                categories=["criminal"],
                art10_condition="consent",
                consent_record="cr",
            ),
        ),
        law="consent given for support is no consent to research on criminal data",
    ),
    Scenario(
        "uk-criminal-2020-06-01-sch1",
        "UK",
        "2020-06-01",
        ART10,
        expect=(NO_APD,),
        parties=(GB,),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"], art10_condition="employment"),),
        law="DPA 2018 Sch. 1 applied to UK controllers from 2018-05-25, in the EU period too",
    ),
)

# --- PECR by channel and subscriber; the soft opt-in's conditions the map shows ---------------
NOT_CONSENT = Expect("PECR-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis")
PARTNERS = ({"id": "people", "name": "Partnerships we supply"},)
SCOTS = ({"id": "people", "name": "Scottish partnerships we supply"},)
MKT_CONSENT = {**CONSENT, "purposes": ["marketing"]}
add(
    Scenario(
        "uk-pecr-email-partnerships-by-name",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **{**_send("email", "individual"), "subjects": PARTNERS},
        law="FACTS.md: sole traders and partnerships need consent (individual subscribers)",
    ),
    Scenario(
        "uk-pecr-email-scottish-partnerships-by-name",
        "UK",
        "2026-06-01",
        PECR,
        **{**_send("email", "individual"), "subjects": SCOTS},
        law="a Scottish partnership is a legal person: a corporate subscriber (PECR reg. 2(1))",
    ),
    Scenario(
        "uk-pecr-voicemail-individual-no-consent",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("voicemail", "individual", "contact.phone"),
        law="voicemail is electronic mail (reg. 2(1)): reg. 22 consent",
    ),
    Scenario(
        "uk-pecr-voicemail-soft-opt-in",
        "UK",
        "2026-06-01",
        PECR,
        **_send("voicemail", "individual", "contact.phone", soft_opt_in=True),
        law="reg. 22(3) soft opt-in is open for electronic mail, voicemail included",
    ),
    Scenario(
        "uk-pecr-fax-soft-opt-in-individual",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("fax", "individual", "contact.fax", soft_opt_in=True),
        law="reg. 20(1)(a): faxes to individuals need prior consent; no soft opt-in for faxes",
    ),
    Scenario(
        "uk-pecr-fax-corporate",
        "UK",
        "2026-06-01",
        PECR,
        **_send("fax", "corporate", "contact.fax"),
        law="reg. 20: no consent asked of corporate subscribers (FPS screening on trust)",
    ),
    Scenario(
        "uk-pecr-automated-call-individual-consent",
        "UK",
        "2026-06-01",
        PECR,
        **{
            **_send("automated_call", "individual", "contact.phone"),
            "consent_records": (MKT_CONSENT,),
            "flows": (
                flow(
                    categories=["contact.phone"],
                    subjects=["people"],
                    purpose="marketing",
                    basis="consent",
                    consent_record="cr",
                    opt_out="press 9",
                    channel="automated_call",
                ),
            ),
        },
        law="reg. 19: automated calls on the subscriber's prior consent",
    ),
    Scenario(
        "uk-pecr-automated-call-soft-opt-in",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send("automated_call", "individual", "contact.phone", soft_opt_in=True),
        law="reg. 19: no soft opt-in for automated calls",
    ),
    Scenario(
        "uk-pecr-in-person",
        "UK",
        "2026-06-01",
        PECR,
        **_send("in_person", "individual", "contact.name"),
        law="marketing in person is outside PECR",
    ),
    Scenario(
        "uk-pecr-sms-soft-opt-in-no-opt-out",
        "UK",
        "2026-06-01",
        PECR,
        expect=(Expect("PECR-MARKETING-CONSENT", "soft-opt-in-incomplete", "high", "flows/f1"),),
        **_send("sms", "individual", "contact.phone", soft_opt_in=True, opt_out=None),
        law="reg. 22(3)(c): a simple means of refusing in every message",
    ),
    Scenario(
        "uk-pecr-email-soft-opt-in-to-another-controller",
        "UK",
        "2026-06-01",
        PECR,
        expect=(
            Expect(
                "PECR-MARKETING-CONSENT", "soft-opt-in-not-own", "high", "flows/f1", "soft_opt_in"
            ),
        ),
        **{
            **_send("email", "individual", soft_opt_in=True),
            "parties": (importer("GB", role="controller"),),
            "agreements": (dpa(kind="data_sharing_agreement"),),
        },
        law="reg. 22(3): the soft opt-in covers the sender's own similar products only, never "
        "a list given to another organisation for its marketing",
    ),
    Scenario(
        "uk-pecr-email-consent-pre-ticked",
        "UK",
        "2026-06-01",
        (*BASIS, *PECR),
        expect=(Expect("GDPR-BASIS", "consent-not-valid", "high", "flows/f1", "consent_record"),),
        **{
            **_send("email", "individual"),
            "consent_records": ({**MKT_CONSENT, "affirmative_act": False},),
            "flows": (
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
        },
        law="PECR consent is UK GDPR consent (reg. 2(3)): a pre-ticked box is none",
    ),
    Scenario(
        "uk-pecr-email-consent-for-other-purpose",
        "UK",
        "2026-06-01",
        (*BASIS, *PECR),
        expect=(
            Expect("GDPR-BASIS", "purpose-not-consented", "high", "flows/f1", "consent_record"),
        ),
        **{
            **_send("email", "individual"),
            "consent_records": (CONSENT,),
            "flows": (
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
        },
        law="consent to support emails is no consent to marketing emails (specific, Art. 4(11))",
    ),
    Scenario(
        "uk-pecr-email-no-channel-individual",
        "UK",
        "2026-06-01",
        PECR,
        expect=(NOT_CONSENT,),
        **_send(None, "individual"),
        law="a marketing flow with no channel is read as email (reg. 22)",
    ),
    Scenario(
        "eu-pecr-sms-individual",
        "EU",
        "2026-06-01",
        PECR,
        expect=(Expect("PECR-MARKETING-CONSENT", "other-regime", "info", "flows/f1", "basis"),),
        **{**_send("sms", "individual", "contact.phone"), "parties": (importer("DE"),)},
        law="PECR binds UK senders only",
    ),
)

# --- processors, sub-processors, joint controllers --------------------------------------------
PROC = importer("GB", pid="proc", name="GB Processor Ltd")
SUBP = importer("GB", pid="sub", name="GB Sub Ltd")
SUB2 = importer("GB", pid="sub2", name="GB Sub Two Ltd")
JOINT = importer("GB", role="joint_controller")
add(
    Scenario(
        "uk-processor-no-contract",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "missing", "high", "flows/f1"),),
        parties=(GB,),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(flow(agreement=None),),
        law="Art. 28(3): a processor is bound by a contract (FACTS.md: mandatory)",
    ),
    Scenario(
        "uk-processor-contract-draft",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "draft", "high", "flows/f1", "agreement"),),
        parties=(GB,),
        agreements=({**dpa(), "status": "draft"},),
        law="a draft binds no processor (Art. 28(3), 28(9): in writing, concluded)",
    ),
    Scenario(
        "uk-processor-contract-status-unknown",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "unknown-status", "medium", "flows/f1", "agreement"),),
        parties=(GB,),
        agreements=({**dpa(), "status": "unknown"},),
        law="a contract whose existence cannot be shown: evidence to collect (medium)",
    ),
    Scenario(
        "uk-processor-contract-last-day",
        "UK",
        "2026-06-01",
        AGR,
        parties=(GB,),
        agreements=(dpa(expires_on="2026-06-01"),),
        law="an agreement is in force on its last day (expires_on is the last day in force)",
    ),
    Scenario(
        "uk-processor-on-joint-arrangement",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "wrong-kind", "high", "flows/f1", "agreement"),),
        parties=(GB,),
        agreements=(dpa(kind="art26_joint"),),
        law="an Art. 26 arrangement is no Art. 28 contract: a processor needs the latter",
    ),
    Scenario(
        "uk-processor-contract-other-parties",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "wrong-parties", "high", "flows/f1", "agreement"),),
        parties=(GB, importer("GB", pid="other", name="Other Ltd")),
        agreements=(dpa(("acme", "other")),),
        law="the contract must bind the processor that gets the data (Art. 28(3))",
    ),
    Scenario(
        "uk-joint-controller-draft-arrangement",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "joint-draft", "high", "flows/f1", "agreement"),),
        parties=(JOINT,),
        agreements=({**dpa(kind="art26_joint"), "status": "draft"},),
        law="Art. 26(1): the arrangement must be in place, not in draft",
    ),
    Scenario(
        "uk-joint-controller-on-sharing-agreement",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "joint-wrong-kind", "high", "flows/f1", "agreement"),),
        parties=(JOINT,),
        agreements=(dpa(kind="data_sharing_agreement"),),
        law="Art. 26: joint controllers set out their respective responsibilities in an "
        "arrangement; a data sharing agreement between independent controllers is not it",
    ),
    Scenario(
        "uk-joint-controller-by-purpose",
        "UK",
        "2026-06-01",
        AGR,
        expect=(Expect("GDPR-AGREEMENT", "joint-missing", "high", "flows/f1"),),
        parties=(importer("GB", role="controller"),),
        purposes=(
            {
                "id": "events",
                "name": "Joint events",
                "notice": "PN-RECIPIENTS",
                "joint_controllers": ["importer"],
            },
        ),
        agreements=(dpa(kind="data_sharing_agreement"),),
        flows=(flow(purpose="events", agreement=None, recipient_role="joint_controller"),),
        law="a purpose decided jointly (Art. 26(1)): the arrangement is owed",
    ),
    Scenario(
        "uk-controller-one-off-disclosure",
        "UK",
        "2026-06-01",
        AGR,
        parties=(importer("GB", role="controller"),),
        agreements=(dpa(aid="other", kind="customer_contract"),),
        flows=(
            flow(agreement=None, occasional=True, basis="legitimate_interests", assessment="lia"),
        ),
        assessments=(LIA,),
        law="a one-off disclosure to an independent controller: no data sharing agreement "
        "expected (ICO Data Sharing Code; UNCONFIRMED row)",
    ),
    Scenario(
        "uk-sub-sub-processor-chain-authorised",
        "UK",
        "2026-06-01",
        SUB,
        parties=(PROC, SUBP, SUB2),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
            dpa(("proc", "sub"), "2024-06-01", "subdpa", allows_subprocessing=True),
            dpa(("sub", "sub2"), "2024-06-01", "sub2dpa"),
        ),
        flows=(
            flow(target="proc"),
            flow("to-sub", "proc", "sub", "subdpa", basis=None),
            flow("to-sub2", "sub", "sub2", "sub2dpa", basis=None),
        ),
        law="Art. 28(2), 28(4): authorisation down the chain, each link allowing it",
    ),
    Scenario(
        "uk-sub-sub-processor-middle-not-authorised",
        "UK",
        "2026-06-01",
        SUB,
        expect=(Expect("GDPR-SUBPROCESSING", "not-authorised", "high", "flows/to-sub2"),),
        parties=(PROC, SUBP, SUB2),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
            dpa(("sub", "sub2"), "2024-06-01", "sub2dpa"),
        ),
        flows=(
            flow(target="proc"),
            flow("to-sub", "proc", "sub", "subdpa", basis=None),
            flow("to-sub2", "sub", "sub2", "sub2dpa", basis=None),
        ),
        law="Art. 28(4): the sub-processor's contract does not let it engage another",
    ),
    Scenario(
        "uk-sub-processor-authorisation-in-draft",
        "UK",
        "2026-06-01",
        SUB,
        expect=(Expect("GDPR-SUBPROCESSING", "not-authorised", "high", "flows/to-sub"),),
        parties=(PROC, SUBP),
        agreements=(
            {**dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True), "status": "draft"},
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", "subdpa", basis=None)),
        law="Art. 28(2): prior written authorisation; a draft authorises nothing",
    ),
    Scenario(
        "uk-sub-processor-authorisation-expired",
        "UK",
        "2026-06-01",
        SUB,
        expect=(Expect("GDPR-SUBPROCESSING", "not-authorised", "high", "flows/to-sub"),),
        parties=(PROC, SUBP),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True, expires_on="2026-05-31"),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", "subdpa", basis=None)),
        law="Art. 28(2): an authorisation in a contract that ended the day before authorises "
        "nothing on the audit date",
    ),
    Scenario(
        "uk-sub-processor-authorisation-last-day",
        "UK",
        "2026-06-01",
        SUB,
        parties=(PROC, SUBP),
        agreements=(
            dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True, expires_on="2026-06-01"),
            dpa(("proc", "sub"), "2024-06-01", "subdpa"),
        ),
        flows=(flow(target="proc"), flow("to-sub", "proc", "sub", "subdpa", basis=None)),
        law="Art. 28(2): the contract is in force on its last day, and so is its authorisation",
    ),
)

# --- retention, rights, breach ------------------------------------------------------------------
STORE = {
    "id": "crm",
    "name": "CRM",
    "owner": "importer",
    "country": "GB",
    "categories": ["contact.name"],
    "encrypted_at_rest": True,
}
RET = ("GDPR-RETENTION",)
RIGHTS = ("GDPR-RIGHTS",)
BREACH = ("GDPR-BREACH",)
add(
    Scenario(
        "uk-store-retention-no-justification",
        "UK",
        "2026-06-01",
        RET,
        expect=(
            Expect("GDPR-RETENTION", "no-justification", "medium", "systems/crm", "retention_days"),
        ),
        parties=(GB,),
        systems=({**STORE, "retention_days": 730},),
        flows=(flow(target="crm"),),
        law="Art. 5(1)(e): a period nobody justifies is no better than none",
    ),
    Scenario(
        "uk-dsar-29-days",
        "UK",
        "2026-06-01",
        RIGHTS,
        expect=(
            Expect("GDPR-RIGHTS", "dsar-too-slow", "medium", "organisation/acme", "dsar_days"),
        ),
        organisation={"dsar_days": 29},
        parties=(GB,),
        law="one calendar month (Art. 12(3)): a request made on 1 February is due on 1 March, "
        "28 days later (29 in a leap year)",
    ),
    Scenario(
        "uk-dsar-32-days",
        "UK",
        "2026-06-01",
        RIGHTS,
        expect=(
            Expect("GDPR-RIGHTS", "dsar-always-late", "high", "organisation/acme", "dsar_days"),
        ),
        organisation={"dsar_days": 32},
        parties=(GB,),
        law="32 days is late whatever the month (Art. 12(3))",
    ),
    Scenario(
        "uk-complaints-procedure-false",
        "UK",
        "2026-12-01",
        RIGHTS,
        expect=(
            Expect(
                "GDPR-RIGHTS",
                "no-complaints-procedure",
                "medium",
                "organisation/acme",
                "complaints_procedure",
            ),
        ),
        organisation={"complaints_procedure": False},
        parties=(GB,),
        law="DPA 2018 s.164A from 2026-06-19: 'false' is no procedure",
    ),
    Scenario(
        "uk-breach-no-log",
        "UK",
        "2026-06-01",
        BREACH,
        expect=(
            Expect("GDPR-BREACH", "no-log", "medium", "organisation/acme", "breach_procedure"),
        ),
        organisation={"breach_procedure": {"notify_within_hours": 24}},
        parties=(GB,),
        law="Art. 33(5): every breach documented",
    ),
)


# --- waivers: in date on their last day, not the day after; at most a year -------------------
def _waived(approved: str, expires: str) -> dict[str, Any]:
    return {
        "parties": (GB,),
        "agreements": (dpa(aid="other", kind="customer_contract"),),
        "flows": (flow(agreement=None),),
        "waivers": (
            {
                "id": "w1",
                "rule": "GDPR-AGREEMENT",
                "element": "flows/f1",
                "owner": "Sam Patel, DPO",
                "justification": "contract being signed",
                "approved_on": approved,
                "expires_on": expires,
            },
        ),
    }


WAIVER = ("HYG-WAIVER",)
add(
    Scenario(
        "uk-waiver-last-day",
        "UK",
        "2026-06-01",
        WAIVER,
        expect=(Expect("HYG-WAIVER", "expiring", "info", "waivers/w1", "expires_on"),),
        **_waived("2026-01-01", "2026-06-01"),
        law="a waiver holds on its expires_on day (its last day)",
    ),
    Scenario(
        "uk-waiver-expired-day-before",
        "UK",
        "2026-06-01",
        WAIVER,
        expect=(Expect("HYG-WAIVER", "expired", "high", "waivers/w1", "expires_on"),),
        **_waived("2026-01-01", "2026-05-31"),
        law="an expired waiver accepts no risk (accountability, Art. 5(2))",
    ),
    Scenario(
        "uk-waiver-over-a-year",
        "UK",
        "2026-06-01",
        WAIVER,
        expect=(Expect("HYG-WAIVER", "too-long", "high", "waivers/w1", "expires_on"),),
        **_waived("2026-01-01", "2027-01-02"),
        law="a waiver is at most 12 months long (the waiver rule's max_months)",
    ),
    Scenario(
        "uk-waiver-approved-after-audit",
        "UK",
        "2026-06-01",
        WAIVER,
        expect=(Expect("HYG-WAIVER", "not-yet-approved", "high", "waivers/w1", "approved_on"),),
        **_waived("2026-06-02", "2026-12-01"),
        law="a waiver approved after the audit date accepted nothing on it",
    ),
)

# --- cookies (PECR reg. 6; the DUAA's analytics exemption from 2026-02-05, UNCONFIRMED) -------
COOKIES = ("PECR-COOKIES",)


def _site(*cookies: dict[str, Any]) -> dict[str, Any]:
    site = {
        "id": "site",
        "name": "Website",
        "owner": "acme",
        "country": "GB",
        "categories": ["contact.name"],
        "subjects": ["customers"],
        "retention_days": 365,
        "retention_justification": "one year",
        "encrypted_at_rest": True,
        "notice": "PN-RECIPIENTS",
        "cookies": list(cookies),
    }
    return {
        "parties": (GB,),
        "systems": (site,),
        "flows": (flow(), flow("visit", "acme", "site", None)),
    }


NO_COOKIE_CONSENT = Expect("PECR-COOKIES", "no-consent", "medium", "systems/site", "cookies[0]")
add(
    Scenario(
        "uk-functionality-cookie-no-consent-2026",
        "UK",
        "2026-06-01",
        COOKIES,
        expect=(NO_COOKIE_CONSENT,),
        **_site(
            {"id": "lang", "purpose": "functionality", "clear_information": True, "opt_out": True}
        ),
        law="FACTS.md names the DUAA exemption for analytics only: other cookies still need "
        "consent (PECR reg. 6), the tool stays conservative",
    ),
    Scenario(
        "uk-analytics-cookie-no-opt-out-2026",
        "UK",
        "2026-06-01",
        COOKIES,
        expect=(
            Expect("PECR-COOKIES", "exemption-conditions", "medium", "systems/site", "cookies[0]"),
        ),
        **_site({"id": "_ga", "purpose": "analytics", "clear_information": True}),
        law="the analytics exemption needs clear information and an opt-out (DUAA s.112)",
    ),
    Scenario(
        "uk-advertising-cookie-consent",
        "UK",
        "2026-06-01",
        COOKIES,
        **_site({"id": "ads", "purpose": "advertising", "consent": True}),
        law="PECR reg. 6: set only after consent",
    ),
    Scenario(
        "uk-strictly-necessary-cookie",
        "UK",
        "2026-06-01",
        COOKIES,
        **_site({"id": "session", "purpose": "strictly_necessary"}),
        law="PECR reg. 6(4): strictly necessary storage needs no consent",
    ),
    Scenario(
        "uk-analytics-cookie-2025-no-consent",
        "UK",
        "2025-06-01",
        COOKIES,
        expect=(NO_COOKIE_CONSENT,),
        **_site({"id": "_ga", "purpose": "analytics", "clear_information": True, "opt_out": True}),
        law="before the DUAA exemption analytics cookies needed consent (PECR reg. 6)",
    ),
)

# --- the notice's promises on small maps (policy concero-notice) -------------------------------
NOTICE_RULES_MKT = ("CONCERO-MARKETING-CONSENT", *PECR)
add(
    Scenario(
        "uk-notice-soft-opt-in-individual",
        "UK",
        "2026-06-01",
        NOTICE_RULES_MKT,
        expect=(Expect("CONCERO-MARKETING-CONSENT", "not-consent", "high", "flows/f1", "basis"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **_send("email", "individual", soft_opt_in=True),
        law="PECR's soft opt-in passes, but N-MARKETING promises no marketing without opt-in: "
        "the stricter promise binds (FACTS.md, PECR)",
    ),
    Scenario(
        "uk-notice-consent-individual",
        "UK",
        "2026-06-01",
        NOTICE_RULES_MKT,
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        **{
            **_send("email", "individual"),
            "consent_records": (MKT_CONSENT,),
            "flows": (
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
        },
        law="opt-in consent recorded: PECR and N-MARKETING both kept",
    ),
    Scenario(
        "uk-notice-dsar-29-days",
        "UK",
        "2026-06-01",
        ("GDPR-RIGHTS", "CONCERO-DSAR"),
        expect=(
            Expect("GDPR-RIGHTS", "dsar-too-slow", "medium", "organisation/acme", "dsar_days"),
        ),
        organisation={**NOTICE_ORG, "dsar_days": 29},
        clauses=CLAUSES,
        parties=(GB,),
        law="N-DSAR promises 28 days",
    ),
    Scenario(
        "uk-notice-dsar-28-days",
        "UK",
        "2026-06-01",
        ("CONCERO-DSAR",),
        organisation={**NOTICE_ORG, "dsar_days": 28},
        clauses=CLAUSES,
        parties=(GB,),
        law="N-DSAR promises 28 days, stricter than the month",
    ),
    Scenario(
        "uk-notice-payment-processor-on-sharing-agreement",
        "UK",
        "2026-06-01",
        (*AGR, "CONCERO-PAYMENT-AGREEMENT"),
        expect=(Expect("GDPR-AGREEMENT", "wrong-kind", "high", "flows/f1", "agreement"),),
        organisation=NOTICE_ORG,
        clauses=CLAUSES,
        parties=({**importer("GB"), "kind": "payment_processor"},),
        agreements=(dpa(kind="data_sharing_agreement"),),
        law="FACTS.md problem 4: a payment processor acting as processor needs an Art. 28 "
        "contract, not the data sharing agreement the notice names",
    ),
)

# --- public authorities: what FACTS.md does not say stays a question -------------------------
LI_FLOW = flow(basis="legitimate_interests", assessment="lia")
add(
    Scenario(
        "uk-nhs-dental-practice-li-undecided",
        "UK",
        "2026-06-01",
        BASIS,
        organisation={"name": "Smile Dental Practice (NHS contractor)"},
        parties=(GB,),
        assessments=(LIA,),
        flows=(LI_FLOW,),
        law="a private practice holding an NHS contract: FACTS.md is silent on whether it is a "
        "public authority (DPA 2018 s.7); not judged a wrong basis, asked by a warning",
    ),
    Scenario(
        "uk-nhs-dental-practice-recorded-authority",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "public-authority", "high", "flows/f1", "basis"),),
        organisation={"name": "Smile Dental Practice (NHS contractor)", "public_authority": True},
        parties=(GB,),
        assessments=(LIA,),
        flows=(LI_FLOW,),
        law="recorded as a public authority: (f) is not for its tasks (Art. 6(1) second "
        "subparagraph)",
    ),
)

# --- a processor's backup of the organisation's special category data (left open in s20) -----
DENTAL = {"id": "health.dental", "name": "Dental notes", "art9_kind": "health"}
HEALTH_ALL = {"id": "health", "name": "Health data", "art9_kind": "health"}
add(
    Scenario(
        "uk-processor-backup-of-health-parent-category",
        "UK",
        "2026-06-01",
        (*ART9, *BASIS),
        parties=(PROC, SUBP),
        categories=(HEALTH_ALL, DENTAL),
        agreements=(
            {
                **dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
                "categories": ["contact", "health"],
            },
            {**dpa(("proc", "sub"), "2024-06-01", "subdpa"), "categories": ["contact", "health"]},
        ),
        flows=(
            flow(
                target="proc",
                categories=["contact.name", "health.dental"],
                basis="contract",
                art9_condition="health_social_care",
            ),
            flow(
                "backup", "proc", "sub", "subdpa", basis=None, categories=["contact.name", "health"]
            ),
        ),
        law="the backup is the processor's processing on the controller's instructions (Art. "
        "28(3)(a), 29): it rests on the Art. 9(2)(h) condition the controller's flow names for "
        "the health data of the purpose, whatever level of the health taxonomy the backup names",
    ),
    Scenario(
        "uk-processor-backup-of-genetic-never-given",
        "UK",
        "2026-06-01",
        ART9,
        expect=(Expect("GDPR-ART9", "no-condition", "high", "flows/backup"),),
        parties=(PROC, SUBP),
        categories=(
            HEALTH_ALL,
            DENTAL,
            {"id": "dna", "name": "DNA results", "art9_kind": "genetic"},
        ),
        agreements=(
            {
                **dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
                "categories": ["contact", "health", "dna"],
            },
            {
                **dpa(("proc", "sub"), "2024-06-01", "subdpa"),
                "categories": ["contact", "health", "dna"],
            },
        ),
        flows=(
            flow(
                target="proc",
                categories=["contact.name", "health.dental"],
                art9_condition="health_social_care",
            ),
            flow("backup", "proc", "sub", "subdpa", basis=None, categories=["contact.name", "dna"]),
        ),
        law="genetic data the organisation never gave the processor: no condition of the "
        "organisation's reaches it, and the hop is where the map records it",
    ),
)

# --- Art. 10 consent and the Art. 6 consent on one record: one problem, one finding -----------
add(
    Scenario(
        "uk-criminal-and-basis-consent-other-purpose",
        "UK",
        "2026-06-01",
        (*ART10, *BASIS),
        expect=(
            Expect("GDPR-BASIS", "purpose-not-consented", "high", "flows/f1", "consent_record"),
        ),
        parties=(GB,),
        categories=(CRIMINAL,),
        purposes=(RESEARCH,),
        consent_records=(CONSENT,),
        flows=(
            flow(
                purpose="research",
                basis="consent",
                categories=["criminal"],
                art10_condition="consent",
                consent_record="cr",
            ),
        ),
        law="one consent record for another purpose fails the basis and the Art. 10 condition "
        "alike: one finding citing both rules",
    ),
)
add(
    Scenario(
        "uk-processor-backup-of-criminal-parent-category",
        "UK",
        "2026-06-01",
        ART10,
        organisation=APD,
        parties=(PROC, SUBP),
        categories=(
            CRIMINAL,
            {"id": "criminal.dbs", "name": "DBS certificates", "criminal_offence": True},
        ),
        agreements=(
            {
                **dpa(("acme", "proc"), "2024-06-01", allows_subprocessing=True),
                "categories": ["contact", "criminal"],
            },
            {**dpa(("proc", "sub"), "2024-06-01", "subdpa"), "categories": ["contact", "criminal"]},
        ),
        flows=(
            flow(
                target="proc",
                categories=["contact.name", "criminal.dbs"],
                art10_condition="employment",
            ),
            flow(
                "backup",
                "proc",
                "sub",
                "subdpa",
                basis=None,
                categories=["contact.name", "criminal"],
            ),
        ),
        law="the processor's backup of criminal offence data rests on the Sch. 1 condition the "
        "organisation's own flow names for it (Art. 28(3)(a), 29)",
    ),
)

# --- more dated edges and combinations ---------------------------------------------------------
STAFF_SUBJECTS = ({"id": "staff", "name": "Our employees", "employees": True},)
SCHOOL = importer("GB", role="controller", pid="school", name="School")
add(
    Scenario(
        "uk-no-basis-2018-05-25",
        "UK",
        "2018-05-25",
        BASIS,
        expect=(Expect("GDPR-BASIS", "missing", "high", "flows/f1"),),
        parties=(GB,),
        flows=(flow(basis=None),),
        law="the GDPR applied from 2018-05-25 (Art. 99(2)): its first day is judged",
    ),
    Scenario(
        "uk-marketing-on-contract-corporate",
        "UK",
        "2026-06-01",
        (*BASIS, *PECR),
        expect=(Expect("GDPR-BASIS", "not-necessary-for-contract", "high", "flows/f1", "basis"),),
        **_send("email", "corporate", basis="contract", assessment=None),
        law="PECR asks nothing of corporate subscribers, but the Art. 6 basis is still owed: "
        "direct marketing is not necessary for a contract (UNCONFIRMED row, said so)",
    ),
    Scenario(
        "uk-marketing-no-basis-individual",
        "UK",
        "2026-06-01",
        (*BASIS, *PECR),
        expect=(Expect("GDPR-BASIS", "missing", "high", "flows/f1"),),
        **_send("email", "individual", basis=None, assessment=None),
        law="no basis and no consent are one problem: one finding citing both rules",
    ),
    Scenario(
        "eu-criminal-no-condition",
        "EU",
        "2026-06-01",
        ART10,
        expect=(Expect("GDPR-ART10", "no-condition", "high", "flows/f1"),),
        parties=(importer("DE"),),
        categories=(CRIMINAL,),
        flows=(flow(categories=["criminal"]),),
        law="GDPR Art. 10: an EU controller names its condition too (Member State law)",
    ),
    Scenario(
        "uk-waiver-matching-nothing",
        "UK",
        "2026-06-01",
        WAIVER,
        expect=(Expect("HYG-WAIVER", "unmatched", "high", "waivers/w1", "element"),),
        parties=(GB,),
        waivers=(
            {
                "id": "w1",
                "rule": "GDPR-AGREEMENT",
                "element": "flows/f1",
                "owner": "Sam Patel, DPO",
                "justification": "contract being signed",
                "approved_on": "2026-01-01",
                "expires_on": "2026-12-01",
            },
        ),
        law="a waiver of nothing hides the next real finding (accountability, Art. 5(2))",
    ),
    Scenario(
        "uk-li-with-a-dpia-only",
        "UK",
        "2026-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "no-assessment", "high", "flows/f1", "assessment"),),
        parties=(GB,),
        assessments=({**LIA, "kind": "dpia"},),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="a DPIA is no legitimate interests assessment (the three-part test)",
    ),
    Scenario(
        "uk-staff-consent-passes-with-note",
        "UK",
        "2026-06-01",
        BASIS,
        parties=(GB,),
        subjects=STAFF_SUBJECTS,
        consent_records=(CONSENT,),
        flows=(flow(subjects=["staff"], basis="consent", consent_record="cr"),),
        law="staff consent is unlikely but not never freely given (Recital 43): a pass that "
        "says so",
    ),
    Scenario(
        "uk-public-authority-public-task",
        "UK",
        "2026-06-01",
        BASIS,
        organisation={"public_authority": True},
        parties=(GB,),
        flows=(flow(basis="public_task"),),
        law="Art. 6(1)(e) for a public authority's task",
    ),
    Scenario(
        "uk-public-authority-li-2020-06-01",
        "UK",
        "2020-06-01",
        BASIS,
        expect=(Expect("GDPR-BASIS", "public-authority", "high", "flows/f1", "basis"),),
        organisation={"public_authority": True},
        parties=(GB,),
        assessments=(LIA,),
        flows=(flow(basis="legitimate_interests", assessment="lia"),),
        law="the bar on (f) for public authorities binds under the GDPR as under UK GDPR",
    ),
    Scenario(
        "uk-complaints-2020-06-01",
        "UK",
        "2020-06-01",
        RIGHTS,
        organisation={"complaints_procedure": None},
        parties=(GB,),
        law="no complaints-procedure duty before 2026-06-19",
    ),
    Scenario(
        "ch-dsar-31-days",
        "CH",
        "2026-06-01",
        RIGHTS,
        expect=(
            Expect("GDPR-RIGHTS", "dsar-always-late", "high", "organisation/acme", "dsar_days"),
        ),
        organisation={"dsar_days": 31},
        parties=(importer("CH"),),
        law="revFADP Art. 25(7): 30 days (UNCONFIRMED row)",
    ),
    Scenario(
        "uk-processor-breach-no-controller-notice",
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
        parties=(SCHOOL,),
        agreements=(dpa(("school", "acme")),),
        flows=(flow(source="school", target="acme", recipient_role="processor", basis=None),),
        law="Art. 33(2): a processor tells its controller without undue delay (FACTS.md, roles)",
    ),
    Scenario(
        "uk-pecr-sms-corporate-no-consent",
        "UK",
        "2026-06-01",
        PECR,
        **_send("sms", "corporate", "contact.phone"),
        law="reg. 22 protects individual subscribers only: texts to corporate ones need no consent",
    ),
)
