"""Lawyer review s21, international transfers (2026-12-05): scenarios of Chapter V of the UK
GDPR and the GDPR, with the dates of shared/legal/FACTS.md on either side, beyond those of
tests/regime_s17_cases.py and tests/lawyer_s18/s19/s20_cases.py: each mechanism recorded by
an exporter it does not serve (the EU-US DPF, the UK Extension, the Swiss-US DPF and the
Swiss-US Shield, the old EU SCCs of each regime, the IDTA for a Swiss exporter); the dated
edges not tested before (the old EU SCCs for a UK exporter on the EU's last day, the UK
Extension and the Swiss-US DPF recorded a day early, the 2021 EU SCCs used by a UK exporter
before the Addendum, Korea and the Faroe Islands in the transition period, Iceland on
either side of 2021-01-01, Gibraltar under the TCA bridge); the transfer agreement's own
dates (expired, not yet signed, between the wrong parties) and the assessment's (before and
on the day of Schrems II; the UK's data protection test recorded not met, or met before it
applied); a lawful transfer recording a safeguard struck down since; Art. 49 grounds that
reach and do not; processors as exporters under another regime than the organisation's
(an EU organisation's UK processor, a UK organisation's German processor, a Swiss
organisation's German processor) with the mechanisms each may use; and the open question of
the last session: an EU-established host sending out of the store it holds for a UK
organisation, to a party that organisation engaged itself, exports under the EU's law, as a
processor writing into another's store does (gate review s20). Each is a small map built on
the base of tests/regime_s17_cases.py; tests/test_lawyer_s21_tx.py runs them.
"""

from __future__ import annotations

from typing import Any

from tests.regime_s17_cases import (
    ART49,
    CRIT_NO_MECH,
    INVALID,
    TO,
    WRONG_EXPORTER,
    Expect,
    Scenario,
    T,
    dpa,
    flow,
    importer,
    risk,
    transfer_agreement,
)

SCEN: list[Scenario] = []


def add(*scenarios: Scenario) -> None:
    SCEN.extend(scenarios)


def _at(code: str, field: str = "transfer_mechanism", element: str = "flows/f1") -> Expect:
    return Expect("GDPR-TRANSFER", code, "critical", element, field)


NOT_APPLICABLE = Expect(
    "GDPR-TRANSFER", "recorded-safeguard-not-applicable", "medium", "flows/f1", "transfer_mechanism"
)


def _contract(
    regime: str,
    as_of: str,
    country: str,
    mechanism: str,
    kind: str,
    signed: str,
    assessed: str | None,
    **more: Any,
) -> dict[str, Any]:
    """The fields of a scenario resting on a contract safeguard: the importer, the signed
    agreement, the assessment (when ``assessed``) and the flow naming them."""
    test = more.pop("data_protection_test", None)
    tra = (
        ()
        if assessed is None
        else (risk(assessed, **({} if test is None else {"data_protection_test": test})),)
    )
    ta = more.pop("ta", None) or transfer_agreement(kind, signed)
    return {
        "regime": regime,
        "as_of": as_of,
        "rules": T,
        "parties": (more.pop("party", None) or importer(country),),
        "agreements": (dpa(), ta),
        "assessments": tra,
        "flows": (
            flow(
                transfer_mechanism=mechanism,
                transfer_agreement="ta",
                assessments=["tra"] if assessed is not None else None,
            ),
        ),
        **more,
    }


# --- 1. certification frameworks recorded by an exporter they do not serve --------------------
add(
    Scenario(
        "uk-records-eu-us-dpf-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["eu_us_dpf"]),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="the EU-US DPF: exporter EU only (FACTS.md); a UK exporter needs the UK Extension",
    ),
    Scenario(
        "eu-records-uk-extension-2024",
        "EU",
        "2024-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["uk_extension"]),),
        flows=(flow(transfer_mechanism="uk_extension"),),
        law="the UK Extension: exporter UK only (FACTS.md, SI 2023/1028)",
    ),
    Scenario(
        "uk-records-swiss-us-dpf-2025",
        "UK",
        "2025-01-10",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["swiss_us_dpf"]),),
        flows=(flow(transfer_mechanism="swiss_us_dpf"),),
        law="the Swiss-US DPF: exporter CH only (FACTS.md)",
    ),
    Scenario(
        "ch-records-eu-us-dpf-2025",
        "CH",
        "2025-01-10",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["eu_us_dpf"]),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="the EU-US DPF: exporter EU only; a Swiss exporter needs the Swiss-US DPF",
    ),
    Scenario(
        "eu-records-swiss-us-shield-2019",
        "EU",
        "2019-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["privacy_shield_swiss_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_swiss_us"),),
        law="the Swiss-US Privacy Shield: exporter CH only (FACTS.md)",
    ),
    Scenario(
        "ch-records-eu-us-shield-2019",
        "CH",
        "2019-06-01",
        T,
        expect=(WRONG_EXPORTER,),
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_eu_us"),),
        law="the EU-US Privacy Shield: exporters EU and UK (FACTS.md), not CH",
    ),
    Scenario(
        "uk-records-uk-extension-2023-10-11",
        "UK",
        "2023-10-11",
        T,
        expect=(INVALID,),
        parties=(importer("US", listed=["uk_extension"]),),
        flows=(flow(transfer_mechanism="uk_extension"),),
        law="the UK Extension from 2023-10-12 (SI 2023/1028): recorded a day early",
    ),
    Scenario(
        "uk-records-uk-extension-2023-10-12",
        "UK",
        "2023-10-12",
        T,
        parties=(importer("US", listed=["uk_extension"]),),
        flows=(flow(transfer_mechanism="uk_extension"),),
        law="the UK Extension from 2023-10-12 (SI 2023/1028), importer listed",
    ),
    Scenario(
        "ch-records-swiss-us-dpf-2024-09-14",
        "CH",
        "2024-09-14",
        T,
        expect=(INVALID,),
        parties=(importer("US", listed=["swiss_us_dpf"]),),
        flows=(flow(transfer_mechanism="swiss_us_dpf"),),
        law="the Swiss-US DPF from 2024-09-15: recorded a day early",
    ),
    Scenario(
        "eu-records-dpf-2023-07-09",
        "EU",
        "2023-07-09",
        T,
        expect=(INVALID,),
        parties=(importer("US", listed=["eu_us_dpf"]),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="the EU-US DPF from 2023-07-10 (Decision 2023/1795): recorded a day early",
    ),
    Scenario(
        "eu-records-dpf-importer-not-listed",
        "EU",
        "2024-06-01",
        T,
        expect=(_at("importer-not-listed"),),
        parties=(importer("US"),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="the EU-US DPF only for importers listed on the DPF list (FACTS.md)",
    ),
    Scenario(
        "uk-records-uk-extension-importer-not-listed",
        "UK",
        "2024-06-01",
        T,
        expect=(_at("importer-not-listed"),),
        parties=(importer("US", listed=["eu_us_dpf"]),),
        flows=(flow(transfer_mechanism="uk_extension"),),
        law="the UK Extension needs the importer listed for the UK Extension, not the DPF alone",
    ),
    Scenario(
        "uk-records-uk-extension-to-canada",
        "UK",
        "2024-06-01",
        T,
        expect=(_at("wrong-destination"),),
        parties=(importer("IN", listed=["uk_extension"]),),
        flows=(flow(transfer_mechanism="uk_extension"),),
        law="the UK Extension is an adequacy for the United States only (SI 2023/1028)",
    ),
    Scenario(
        "uk-privacy-shield-listed-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["privacy_shield_eu_us"]),),
        law="Privacy Shield invalid since 2020-07-16 (C-311/18, binding the UK as retained case "
        "law): a listing is no adequacy under the UK's own table either",
    ),
)

# --- 2. the old EU SCCs, each regime's row, and the 2021 SCCs for a UK exporter -------------
OLD = "eu_scc_old"
add(
    Scenario(
        "uk-old-scc-2022-12-27-eu-ended-uk-not",
        **_contract("UK", "2022-12-27", "IN", "eu_scc_old_uk", OLD, "2021-06-01", "2021-06-01"),
        law="old EU SCCs: EU exporters to 2022-12-27, UK exporters to 2024-03-21 (FACTS.md)",
    ),
    Scenario(
        "eu-records-old-scc-uk-row",
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "recorded-under-other-row",
                "low",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        **_contract("EU", "2022-06-01", "IN", "eu_scc_old_uk", OLD, "2021-06-01", "2021-06-01"),
        law="the old EU SCCs' UK row (to 2024-03-21) serves UK exporters; an EU exporter's "
        "contract on the same clauses, signed before 2021-09-27, is judged under the EU row "
        "(valid to 2022-12-27): lawful, the record names the other regime's row",
    ),
    Scenario(
        "eu-old-scc-signed-2021-09-26-2022-12-26",
        **_contract("EU", "2022-12-26", "IN", OLD, OLD, "2021-09-26", "2021-09-01"),
        law="old EU SCCs signed before 2021-09-27, valid to 2022-12-27 (Decision 2021/914 art. 4)",
    ),
    Scenario(
        "uk-eu-scc-2021-alone-2021-07-01",
        expect=(WRONG_EXPORTER,),
        **_contract(
            "UK", "2021-07-01", "IN", "eu_scc_2021", "eu_scc_2021", "2021-06-30", "2021-06-30"
        ),
        law="the 2021 EU SCCs serve EU exporters (FACTS.md); a UK exporter had the old SCCs "
        "until the IDTA and the Addendum from 2022-03-21",
    ),
    Scenario(
        "ch-records-idta",
        expect=(WRONG_EXPORTER,),
        **_contract("CH", "2024-06-01", "IN", "idta", "idta", "2024-01-01", "2024-01-01"),
        law="the IDTA serves UK exporters only (FACTS.md)",
    ),
    Scenario(
        "eu-scc-2021-no-tia-2026",
        expect=(Expect("GDPR-TRANSFER", "no-transfer-assessment", "critical", "flows/f1"),),
        **_contract("EU", "2026-06-01", "IN", "eu_scc_2021", "eu_scc_2021", "2024-01-01", None),
        law="the 2021 EU SCCs need a transfer impact assessment (FACTS.md; Clause 14)",
    ),
    Scenario(
        "eu-scc-2021-tia-2024",
        **_contract(
            "EU", "2026-06-01", "IN", "eu_scc_2021", "eu_scc_2021", "2024-01-01", "2024-01-01"
        ),
        law="the 2021 EU SCCs signed, with a transfer impact assessment",
    ),
)

# --- 3. the transfer agreement's own dates and parties ------------------------------------------
IDTA_2024 = transfer_agreement("idta", "2024-01-01")
add(
    Scenario(
        "uk-idta-expired-day-before",
        expect=(_at("mechanism-agreement-expired", "transfer_agreement"),),
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "",
            "2024-01-01",
            data_protection_test=True,
            ta={**IDTA_2024, "expires_on": "2026-05-31"},
        ),
        law="an IDTA that expired before the audit date is no safeguard on it",
    ),
    Scenario(
        "uk-idta-expires-on-audit-date",
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "",
            "2024-01-01",
            data_protection_test=True,
            ta={**IDTA_2024, "expires_on": "2026-06-01"},
        ),
        law="expires_on is the agreement's last day in force (docs/map-format.md): it fails "
        "the day after",
    ),
    Scenario(
        "uk-idta-expires-day-after",
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "",
            "2024-01-01",
            data_protection_test=True,
            ta={**IDTA_2024, "expires_on": "2026-06-02"},
        ),
        law="an IDTA in force on the audit date, expiring the next day",
    ),
    Scenario(
        "uk-idta-signed-day-after-audit",
        expect=(_at("mechanism-agreement-not-yet-signed", "transfer_agreement"),),
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "2026-06-02",
            "2024-01-01",
            data_protection_test=True,
        ),
        law="an IDTA signed after the audit date was no safeguard on it",
    ),
    Scenario(
        "uk-idta-signed-on-audit-date",
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "2026-06-01",
            "2024-01-01",
            data_protection_test=True,
        ),
        law="an IDTA signed on the audit date is in force on it",
    ),
    Scenario(
        "uk-idta-wrong-parties",
        expect=(_at("mechanism-agreement-wrong-parties", "transfer_agreement"),),
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "",
            "2024-01-01",
            data_protection_test=True,
            ta=transfer_agreement("idta", "2024-01-01", ("acme", "other")),
            parties=(importer("IN"), importer("IN", pid="other", name="Other Pvt")),
        ),
        law="the IDTA must be between the exporter and this importer",
    ),
    Scenario(
        "uk-idta-tra-2020-07-15",
        expect=(Expect("GDPR-TRANSFER", "assessment-outdated", "high", "flows/f1", "assessments"),),
        **_contract("UK", "2024-06-01", "IN", "idta", "idta", "2022-04-01", "2020-07-15"),
        law="an assessment before Schrems II (2020-07-16) is not the one the IDTA needs",
    ),
    Scenario(
        "uk-idta-tra-2020-07-16",
        **_contract("UK", "2024-06-01", "IN", "idta", "idta", "2022-04-01", "2020-07-16"),
        law="an assessment made on the day of Schrems II, before the IDTA was signed",
    ),
    Scenario(
        "uk-idta-test-met-recorded-before-2026",
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "idta",
            "idta",
            "2024-01-01",
            "2025-11-01",
            data_protection_test=True,
        ),
        law="an assessment made before 2026-02-05 that records the data protection test judged "
        "met (Art. 46(1A); FACTS.md IDTA row)",
    ),
    Scenario(
        "uk-addendum-test-not-met",
        expect=(
            Expect(
                "GDPR-TRANSFER", "data-protection-test-not-met", "high", "flows/f1", "assessments"
            ),
        ),
        **_contract(
            "UK",
            "2026-06-01",
            "IN",
            "uk_addendum",
            "uk_addendum",
            "2024-01-01",
            "2026-03-01",
            data_protection_test=False,
        ),
        law="from 2026-02-05 the exporter must consider the data protection test met (Art. "
        "46(1A), DUAA s.85): recorded not met, the Addendum does not carry the transfer",
    ),
    Scenario(
        "eu-scc-2021-dpt-false-not-asked",
        **_contract(
            "EU",
            "2026-06-01",
            "IN",
            "eu_scc_2021",
            "eu_scc_2021",
            "2024-01-01",
            "2026-03-01",
            data_protection_test=False,
        ),
        law="the UK's data protection test binds UK exporters only (Art. 46(1A) UK GDPR)",
    ),
)

# --- 4. a lawful transfer recording a safeguard that is not its ground ----------------------
add(
    Scenario(
        "uk-us-listed-records-privacy-shield-2024",
        "UK",
        "2024-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "recorded-safeguard-invalid",
                "medium",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        parties=(importer("US", listed=["uk_extension", "privacy_shield_eu_us"]),),
        flows=(flow(transfer_mechanism="privacy_shield_eu_us"),),
        law="lawful on the UK Extension (listed), but the record names the Privacy Shield, "
        "invalid since 2020-07-16: a fault of the record (Art. 30(1)(e), 13(1)(f))",
    ),
    Scenario(
        "eu-to-japan-records-eu-dpf",
        "EU",
        "2026-06-01",
        T,
        expect=(NOT_APPLICABLE,),
        parties=(importer("JP"),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="the DPF is for US importers; Japan is adequate (lawful), but the record and the "
        "notice name a framework that cannot reach it (Art. 30(1)(e), 13(1)(f))",
        cites=("GDPR Art. 30(1)(e)", "GDPR Art. 13(1)(f)"),
        never=("C-311/18",),
    ),
    Scenario(
        "uk-to-switzerland-records-eu-scc-2021",
        "UK",
        "2026-06-01",
        T,
        expect=(NOT_APPLICABLE,),
        parties=(importer("CH"),),
        agreements=(dpa(), transfer_agreement("eu_scc_2021", "2024-01-01")),
        flows=(flow(transfer_mechanism="eu_scc_2021", transfer_agreement="ta"),),
        law="Switzerland adequate for the UK (Sch. 21); the 2021 EU SCCs alone serve no UK "
        "exporter: the record names no safeguard of its own",
    ),
    Scenario(
        "uk-to-japan-records-idta-in-place",
        **_contract(
            "UK",
            "2026-06-01",
            "JP",
            "idta",
            "idta",
            "2024-01-01",
            "2026-03-01",
            data_protection_test=True,
        ),
        law="Japan adequate; an IDTA in place besides it is no fault",
    ),
    Scenario(
        "eu-to-us-listed-records-scc-in-place",
        **_contract(
            "EU",
            "2026-06-01",
            "US",
            "eu_scc_2021",
            "eu_scc_2021",
            "2024-01-01",
            "2024-01-01",
            party=importer("US", listed=["eu_us_dpf"]),
        ),
        law="a DPF-listed importer with the 2021 SCCs also signed: lawful, the record is true",
    ),
    Scenario(
        "uk-to-us-listed-records-eu-dpf",
        "UK",
        "2024-06-01",
        T,
        expect=(
            Expect(
                "GDPR-TRANSFER",
                "recorded-under-other-row",
                "low",
                "flows/f1",
                "transfer_mechanism",
            ),
        ),
        parties=(importer("US", listed=["eu_us_dpf", "uk_extension"]),),
        flows=(flow(transfer_mechanism="eu_us_dpf"),),
        law="lawful on the UK Extension (listed); the record names the EU exporters' row",
    ),
)

# --- 5. adequacy and the EU regime by date and territory, not tested before -----------------
add(
    Scenario(
        "uk-to-iceland-2020-12-31",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("IS"),),
        no_transfer=True,
        law="the transition period: the UK inside the EU regime, Iceland an EEA state (no "
        "restricted transfer; Withdrawal Agreement Art. 126-127)",
    ),
    Scenario(
        "uk-to-iceland-2021-01-01",
        "UK",
        "2021-01-01",
        T,
        parties=(importer("IS"),),
        law="UK adequacy for the EEA states from 2021-01-01 (DPA 2018 Sch. 21)",
    ),
    Scenario(
        "uk-faroe-2020-12-31-eu-period",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("FO"),),
        law="in the transition period the EU's adequacy decision for the Faroe Islands served "
        "UK exporters (FACTS.md, periods)",
    ),
    Scenario(
        "uk-jersey-2020-12-31-eu-period",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("JE"),),
        law="in the transition period the EU's adequacy decision for Jersey served UK exporters",
    ),
    Scenario(
        "uk-korea-2020-12-31-eu-period",
        "UK",
        "2020-12-31",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("KR"),),
        law="South Korea: EU adequacy only from 2021-12-17, UK from 2022-12-19: none in 2020",
    ),
    Scenario(
        "uk-canada-2020-12-31-eu-period",
        "UK",
        "2020-12-31",
        T,
        parties=(importer("CA"),),
        law="Canada (PIPEDA) under the EU's decision in the transition period",
    ),
    Scenario(
        "eu-gibraltar-2021-01-01-tca",
        "EU",
        "2021-01-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("GI"),),
        law="the TCA bridge (FACTS.md: EU->UK, 2021-01-01 to 2021-06-27) and the EU's UK "
        "decision do not reach Gibraltar; the EU has no adequacy for it",
    ),
    Scenario(
        "eu-to-gb-2021-01-01-tca",
        "EU",
        "2021-01-01",
        T,
        parties=(importer("GB"),),
        law="EU->UK on the TCA bridge's first day (FACTS.md)",
    ),
    Scenario(
        "eu-to-gb-2020-12-31-transition",
        "EU",
        "2020-12-31",
        T,
        parties=(importer("GB"),),
        no_transfer=True,
        law="the transition period's last day: the UK inside the EU regime",
    ),
    Scenario(
        "eu-to-new-caledonia",
        "EU",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("NC"),),
        law="New Caledonia is an overseas country or territory (TFEU Art. 355(2)), not the EU",
    ),
    Scenario(
        "eu-to-guadeloupe",
        "EU",
        "2026-06-01",
        T,
        parties=(importer("GP"),),
        no_transfer=True,
        law="Guadeloupe is an outermost region, part of France and the EU (TFEU Art. 349)",
    ),
    Scenario(
        "uk-to-greenland",
        "UK",
        "2026-06-01",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("GL"),),
        law="Greenland is outside the EEA (an OCT of Denmark): no UK adequacy",
    ),
    Scenario(
        "eu-to-switzerland-2018-06-01",
        "EU",
        "2018-06-01",
        T,
        parties=(importer("CH"),),
        law="the EU's decision for Switzerland (2000/518/EC) kept by GDPR Art. 45(9)",
    ),
    Scenario(
        "uk-to-us-listed-2023-10-11-records-nothing",
        "UK",
        "2023-10-11",
        T,
        expect=(CRIT_NO_MECH,),
        parties=(importer("US", listed=["eu_us_dpf", "uk_extension"]),),
        law="a US importer listed for both frameworks: a UK exporter has no adequacy the day "
        "before 2023-10-12",
    ),
)

# --- 6. Art. 49 grounds that reach and that do not --------------------------------------------
CONTROLLER_IN = (importer("IN", role="controller"),)
SHARING = (dpa(kind="data_sharing_agreement"),)
add(
    Scenario(
        "uk-art49-vital-interests-occasional",
        "UK",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation", derogation="vital_interests", occasional=True
            ),
        ),
        law="Art. 49(1)(f): an occasional transfer to protect a person's vital interests",
    ),
    Scenario(
        "eu-art49-public-register-occasional",
        "EU",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation", derogation="public_register", occasional=True
            ),
        ),
        law="Art. 49(1)(g): an occasional transfer from a public register",
    ),
    Scenario(
        "eu-art49-contract-with-subject-occasional",
        "EU",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation",
                derogation="contract_with_subject",
                occasional=True,
            ),
        ),
        law="Art. 49(1)(b): occasional, necessary for the person's contract with the "
        "controller, to a controller (a booking passed to a hotel abroad)",
    ),
    Scenario(
        "uk-art49-derogation-routine",
        "UK",
        "2026-06-01",
        T,
        expect=(_at("derogation-not-routine"),),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(flow(transfer_mechanism="art49_derogation", derogation="legal_claims"),),
        law="Art. 49 derogations for occasional transfers only (FACTS.md): not recorded occasional",
    ),
    Scenario(
        "ch-derogation-routine-allowed",
        "CH",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(flow(transfer_mechanism="ch_derogation", derogation="legal_claims"),),
        law="revFADP Art. 17 sets no occasional-only condition (the CH row, UNCONFIRMED)",
    ),
    Scenario(
        "eu-art49-explicit-consent-no-record",
        "EU",
        "2026-06-01",
        T,
        expect=(Expect("GDPR-TRANSFER", "no-explicit-consent", "critical", "flows/f1"),),
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(flow(transfer_mechanism="art49_explicit_consent", occasional=True),),
        law="Art. 49(1)(a): explicit consent must be shown (a record)",
    ),
    Scenario(
        "uk-art49-consent-occasional-in",
        "UK",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=(ART49,),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="Art. 49(1)(a) for a UK exporter: explicit, naming recipient, country and risks, "
        "occasional",
    ),
)

# --- 7. processors exporting under another regime than the organisation's -------------------
GB_PROC = importer("GB", pid="proc", name="GB Proc Ltd")
DE_PROC = importer("DE", pid="proc", name="DE Proc GmbH")
CH_PROC = importer("CH", pid="proc", name="CH Proc AG")


def _hop(
    first: dict[str, Any],
    second: dict[str, Any],
    *more_agreements: dict[str, Any],
    tras: tuple[dict[str, Any], ...] = (),
    **hop: Any,
) -> dict[str, Any]:
    """The organisation's processor ``first`` and its sub-processor ``second``, the hop
    (``to-sub``) carrying ``hop``'s fields."""
    return {
        "parties": (first, second),
        "agreements": (
            dpa(("acme", first["id"]), "2024-06-01", "dpa", allows_subprocessing=True),
            dpa((first["id"], second["id"]), "2024-06-01", "subdpa"),
            *more_agreements,
        ),
        "assessments": tras,
        "flows": (
            flow(target=first["id"]),
            flow("to-sub", first["id"], second["id"], "subdpa", basis=None, **hop),
        ),
    }


IN_SUB = importer("IN", pid="sub", name="IN Sub Pvt")
SUB_TA = ("proc", "sub")
ON_HOP = {"transfer_agreement": "ta", "assessments": ["tra"]}
add(
    Scenario(
        "eu-gb-processor-to-us-uk-extension",
        "EU",
        "2026-06-01",
        TO,
        **_hop(GB_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["uk_extension"])),
        law="an EU organisation's UK processor exports as a UK exporter: the UK Extension "
        "serves it (SI 2023/1028)",
    ),
    Scenario(
        "eu-gb-processor-to-india-idta",
        "EU",
        "2026-06-01",
        TO,
        **_hop(
            GB_PROC,
            IN_SUB,
            transfer_agreement("idta", "2024-06-01", SUB_TA),
            tras=(risk("2026-03-01", data_protection_test=True),),
            transfer_mechanism="idta",
            **ON_HOP,
        ),
        law="the UK processor's IDTA, with its risk assessment and the data protection test",
    ),
    Scenario(
        "eu-gb-processor-to-india-eu-scc-alone",
        "EU",
        "2026-06-01",
        TO,
        expect=(_at("wrong-exporter", element="flows/to-sub"),),
        **_hop(
            GB_PROC,
            IN_SUB,
            transfer_agreement("eu_scc_2021", "2024-06-01", SUB_TA),
            tras=(risk("2026-03-01", data_protection_test=True),),
            transfer_mechanism="eu_scc_2021",
            **ON_HOP,
        ),
        law="a UK exporter uses the 2021 EU SCCs only with the UK Addendum (FACTS.md)",
    ),
    Scenario(
        "uk-de-processor-to-india-eu-scc",
        "UK",
        "2026-06-01",
        TO,
        **_hop(
            DE_PROC,
            IN_SUB,
            transfer_agreement("eu_scc_2021", "2024-06-01", SUB_TA),
            tras=(risk("2024-06-01"),),
            transfer_mechanism="eu_scc_2021",
            **ON_HOP,
        ),
        law="a UK organisation's German processor exports under the GDPR: the 2021 SCCs with "
        "a transfer impact assessment (no UK data protection test asked of it)",
    ),
    Scenario(
        "uk-de-processor-to-india-idta",
        "UK",
        "2026-06-01",
        TO,
        expect=(_at("wrong-exporter", element="flows/to-sub"),),
        **_hop(
            DE_PROC,
            IN_SUB,
            transfer_agreement("idta", "2024-06-01", SUB_TA),
            tras=(risk("2026-03-01", data_protection_test=True),),
            transfer_mechanism="idta",
            **ON_HOP,
        ),
        law="the IDTA serves UK exporters; the German processor exports under the GDPR",
    ),
    Scenario(
        "ch-de-processor-to-us-eu-dpf",
        "CH",
        "2026-06-01",
        TO,
        **_hop(DE_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["eu_us_dpf"])),
        law="a Swiss organisation's German processor exports under the GDPR: the EU-US DPF",
    ),
    Scenario(
        "eu-ch-processor-to-us-swiss-dpf",
        "EU",
        "2026-06-01",
        TO,
        **_hop(CH_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["swiss_us_dpf"])),
        law="an EU organisation's Swiss processor exports under Swiss law: the Swiss-US DPF",
    ),
    Scenario(
        "eu-ch-processor-to-us-eu-dpf-only",
        "EU",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-sub"),),
        **_hop(CH_PROC, importer("US", pid="sub", name="US Sub Inc", listed=["eu_us_dpf"])),
        law="a Swiss exporter's US importer must be listed under the Swiss-US DPF",
    ),
    Scenario(
        "uk-us-processor-to-india-onward",
        "UK",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-sub"),),
        **_hop(importer("US", pid="proc", name="US Proc Inc", listed=["uk_extension"]), IN_SUB),
        law="UK->US on the UK Extension; the US importer's onward hop to India needs its own "
        "safeguard (Art. 44: onward transfers)",
    ),
    Scenario(
        "uk-in-processor-idta-onward-japan-business",
        "UK",
        "2026-06-01",
        TO,
        **_hop(
            importer("IN", pid="proc", name="IN Proc Pvt"),
            importer("JP", pid="sub", name="JP Sub KK"),
            transfer_agreement("idta", "2024-06-01", ("acme", "proc")),
            tras=(risk("2026-03-01", data_protection_test=True),),
        )
        | {
            "flows": (
                flow(target="proc", transfer_mechanism="idta", **ON_HOP),
                flow("to-sub", "proc", "sub", "subdpa", basis=None),
            )
        },
        law="the IDTA to India; the onward hop to a Japanese business adequate for the UK",
    ),
    Scenario(
        "uk-ca-processor-onward-us-unlisted",
        "UK",
        "2026-06-01",
        TO,
        expect=(Expect("GDPR-ONWARD", "third-country", "critical", "flows/to-sub"),),
        **_hop(
            importer("CA", pid="proc", name="CA Proc Inc"),
            importer("US", pid="sub", name="US Sub Inc"),
        ),
        law="Canada adequate (PIPEDA); the Canadian importer's hop to an unlisted US importer "
        "needs a safeguard",
    ),
    Scenario(
        "eu-jp-processor-onward-korea",
        "EU",
        "2026-06-01",
        TO,
        **_hop(
            importer("JP", pid="proc", name="JP Proc KK"),
            importer("KR", pid="sub", name="KR Sub Co"),
        ),
        law="EU->JP and JP->KR: both adequate for the EU (Decisions 2019/419, 2022/254)",
    ),
)

# --- 8. a host sending out of the store it holds for the organisation (open question s20) ---
DE_HOST = importer("DE", pid="host", name="DE Host GmbH")
GB_HOST = importer("GB", pid="host", name="GB Host Ltd")


def _store(
    regime: str,
    host: dict[str, Any],
    courier: dict[str, Any],
    own: bool = True,
    **hop: Any,
) -> dict[str, Any]:
    """The organisation's host ``host`` keeps a store (``crm``) for it in its own country;
    out of it a flow (``to-courier``) reaches ``courier``, under the organisation's own
    contract with the courier (``own``) or the host's."""
    crm = {
        "id": "crm",
        "name": "Customer records",
        "owner": host["id"],
        "country": host["country"],
        "retention_days": 365,
        "encrypted_at_rest": True,
    }
    courier_contract = ("acme", courier["id"]) if own else (host["id"], courier["id"])
    return {
        "regime": regime,
        "as_of": "2026-06-01",
        "rules": TO,
        "parties": (host, courier),
        "systems": (crm,),
        "agreements": (
            dpa(("acme", host["id"]), "2024-06-01", "hostdpa", allows_subprocessing=True),
            dpa(courier_contract, "2024-06-01", "courierdpa"),
        ),
        "flows": (
            flow(target="crm", agreement="hostdpa"),
            flow(
                "to-courier",
                "crm",
                courier["id"],
                "courierdpa",
                basis="contract" if own else None,
                **hop,
            ),
        ),
    }


US_COURIER_UKX = importer("US", pid="courier", name="US Courier Inc", listed=["uk_extension"])
US_COURIER_DPF = importer("US", pid="courier", name="US Courier Inc", listed=["eu_us_dpf"])
US_COURIER_BOTH = importer(
    "US", pid="courier", name="US Courier Inc", listed=["eu_us_dpf", "uk_extension"]
)
HOST_EXPORTS = (
    "the German host sends the data out of Germany: Chapter V binds processors (Art. 44) and "
    "a processor established in the EU is an exporter under the GDPR (Art. 3(1)), whoever "
    "signed the courier's contract; as for a processor writing into another's store (gate "
    "review s20)"
)
add(
    Scenario(
        "uk-de-host-store-to-us-uk-extension-own-contract",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-courier"),),
        **_store("UK", DE_HOST, US_COURIER_UKX),
        law=HOST_EXPORTS + ": the UK Extension does not serve an EU exporter",
        cites=("GDPR Art. 44-46", "GDPR Art. 49", "CJEU C-311/18 (Schrems II)"),
    ),
    Scenario(
        "uk-de-host-store-to-us-eu-dpf-own-contract",
        **_store("UK", DE_HOST, US_COURIER_DPF),
        law=HOST_EXPORTS + ": the EU-US DPF serves it",
    ),
    Scenario(
        "uk-de-host-store-to-us-both-listed-own-contract",
        **_store("UK", DE_HOST, US_COURIER_BOTH),
        law=HOST_EXPORTS + ": listed under both frameworks",
    ),
    Scenario(
        "uk-de-host-store-to-us-uk-extension-host-contract",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-courier"),),
        **_store("UK", DE_HOST, US_COURIER_UKX, own=False),
        law="the German host's own sub-processor: an EU exporter's transfer (lawyer s18)",
    ),
    Scenario(
        "uk-gb-host-store-to-us-uk-extension-own-contract",
        **_store("UK", GB_HOST, US_COURIER_UKX),
        law="a UK host in the UK organisation's map: one regime, the UK Extension serves",
    ),
    Scenario(
        "uk-gb-host-store-to-us-eu-dpf-own-contract",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-courier"),),
        **_store("UK", GB_HOST, US_COURIER_DPF),
        law="a UK exporter's US importer must be listed for the UK Extension",
    ),
    Scenario(
        "eu-gb-host-store-to-us-uk-extension-own-contract",
        **_store("EU", GB_HOST, US_COURIER_UKX),
        law="an EU organisation's UK host sends out of the UK: a UK exporter (UK GDPR Art. 3(1), "
        "44), the UK Extension serves it",
    ),
    Scenario(
        "eu-gb-host-store-to-us-eu-dpf-own-contract",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-courier"),),
        **_store("EU", GB_HOST, US_COURIER_DPF),
        law="the UK host exports under UK law: the EU-US DPF alone does not serve it",
        cites=(
            "UK GDPR Art. 44-46",
            "UK GDPR Art. 49",
            "CJEU C-311/18 (Schrems II)",
            "SI 2023/1028",
        ),
    ),
    Scenario(
        "uk-de-host-store-to-india-idta-own",
        expect=(_at("wrong-exporter", element="flows/to-courier"),),
        **_store(
            "UK",
            DE_HOST,
            importer("IN", pid="courier", name="IN Courier Pvt"),
            transfer_mechanism="idta",
            transfer_agreement="ta",
            assessments=["tra"],
        )
        | {
            "agreements": (
                dpa(("acme", "host"), "2024-06-01", "hostdpa", allows_subprocessing=True),
                dpa(("acme", "courier"), "2024-06-01", "courierdpa"),
                transfer_agreement("idta", "2024-06-01", ("acme", "courier")),
            ),
            "assessments": (risk("2026-03-01", data_protection_test=True),),
        },
        law=HOST_EXPORTS + ": the IDTA serves UK exporters only",
    ),
)

# --- 9. Art. 49(3): derogations closed to public authorities exercising public powers -------
PUBLIC = {"public_authority": True}
add(
    Scenario(
        "uk-public-authority-art49-consent-public-task",
        "UK",
        "2026-06-01",
        T,
        expect=(_at("derogation-public-powers"),),
        organisation=PUBLIC,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=(ART49,),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent",
                occasional=True,
                consent_record="c49",
                basis="public_task",
            ),
        ),
        law="Art. 49(3): explicit consent is not open to a public authority in the exercise of "
        "its public powers",
        cites=("UK GDPR Art. 49(3)", "UK GDPR Art. 44"),
    ),
    Scenario(
        "eu-public-authority-art49-contract-public-task",
        "EU",
        "2026-06-01",
        T,
        expect=(_at("derogation-public-powers", "derogation"),),
        organisation=PUBLIC,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation",
                derogation="contract_with_subject",
                occasional=True,
                basis="public_task",
            ),
        ),
        law="Art. 49(3): the contract grounds are not open to a public authority in the "
        "exercise of its public powers",
        cites=("GDPR Art. 49(3)", "GDPR Art. 44"),
        never=("UK GDPR",),
    ),
    Scenario(
        "uk-public-authority-art49-legal-claims-public-task",
        "UK",
        "2026-06-01",
        T,
        organisation=PUBLIC,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        flows=(
            flow(
                transfer_mechanism="art49_derogation",
                derogation="legal_claims",
                occasional=True,
                basis="public_task",
            ),
        ),
        law="Art. 49(3) leaves legal claims (Art. 49(1)(e)) open to public authorities",
    ),
    Scenario(
        "uk-public-authority-art49-consent-outside-public-powers",
        "UK",
        "2026-06-01",
        T,
        organisation=PUBLIC,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=(ART49,),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent", occasional=True, consent_record="c49"
            ),
        ),
        law="Art. 49(3) bars the exercise of public powers only: a public authority's flow on "
        "a contract with the person is not one",
    ),
    Scenario(
        "uk-not-public-authority-art49-consent-public-task",
        "UK",
        "2026-06-01",
        T,
        parties=CONTROLLER_IN,
        agreements=SHARING,
        consent_records=(ART49,),
        flows=(
            flow(
                transfer_mechanism="art49_explicit_consent",
                occasional=True,
                consent_record="c49",
                basis="public_task",
            ),
        ),
        law="Art. 49(3) binds public authorities only",
    ),
)

# --- 10. the host's disclosure to a controller, out of the store it holds (DPO review s9) ----
US_PARTNER_UKX = importer(
    "US", role="controller", pid="partner", name="US Partner Inc", listed=["uk_extension"]
)
US_PARTNER_DPF = importer(
    "US", role="controller", pid="partner", name="US Partner Inc", listed=["eu_us_dpf"]
)


def _disclosure(host: dict[str, Any], partner: dict[str, Any]) -> dict[str, Any]:
    """The organisation's host discloses what it holds for it (``crm``) to a controller,
    the flow carrying the organisation's basis: the organisation's disclosure through its
    processor (Art. 28(3)(a), 29), sent by the host."""
    fields = _store("UK", host, partner)
    return {
        **fields,
        "agreements": (
            dpa(("acme", host["id"]), "2024-06-01", "hostdpa", allows_subprocessing=True),
            dpa(("acme", "partner"), "2024-06-01", "dsa", kind="data_sharing_agreement"),
        ),
        "flows": (
            flow(target="crm", agreement="hostdpa"),
            flow("to-partner", "crm", "partner", "dsa", recipient_role="controller"),
        ),
    }


add(
    Scenario(
        "uk-de-host-discloses-to-us-controller-uk-extension",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-partner"),),
        **_disclosure(DE_HOST, US_PARTNER_UKX),
        law=HOST_EXPORTS + ": the UK Extension does not serve the German host's export",
    ),
    Scenario(
        "uk-de-host-discloses-to-us-controller-eu-dpf",
        **_disclosure(DE_HOST, US_PARTNER_DPF),
        law=HOST_EXPORTS + ": the EU-US DPF serves it",
    ),
    Scenario(
        "uk-gb-host-discloses-to-us-controller-uk-extension",
        **_disclosure(GB_HOST, US_PARTNER_UKX),
        law="a UK host's disclosure for the UK organisation: a UK export, the UK Extension",
    ),
)

# --- 11. a host in a third country (no regime of its own): the organisation exports ---------
US_HOST_UKX = importer("US", pid="host", name="US Host Inc", listed=["uk_extension"])
IN_COURIER = importer("IN", pid="courier", name="IN Courier Pvt")
add(
    Scenario(
        "uk-us-host-store-to-india-own-contract-no-mechanism",
        expect=(Expect("GDPR-TRANSFER", "no-mechanism", "critical", "flows/to-courier"),),
        **_store("UK", US_HOST_UKX, IN_COURIER),
        law="a US host answers to no regime flowaudit models: the hop to the courier the UK "
        "organisation engaged itself is the organisation's export to India (the onward "
        "transfer Art. 44 speaks of), with no safeguard",
    ),
    Scenario(
        "uk-us-host-store-to-india-own-idta",
        **_store(
            "UK",
            US_HOST_UKX,
            IN_COURIER,
            transfer_mechanism="idta",
            transfer_agreement="ta",
            assessments=["tra"],
        )
        | {
            "agreements": (
                dpa(("acme", "host"), "2024-06-01", "hostdpa", allows_subprocessing=True),
                dpa(("acme", "courier"), "2024-06-01", "courierdpa"),
                transfer_agreement("idta", "2024-06-01", ("acme", "courier")),
            ),
            "assessments": (risk("2026-03-01", data_protection_test=True),),
        },
        law="the UK organisation's own IDTA with the Indian courier carries its export",
    ),
)
