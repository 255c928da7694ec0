"""Transfer verdicts a data-protection lawyer struck (reviews/scenarios-2026-12-02b.md), each
asserted exactly on a small map: the finding (rule, code, element, severity, message) in the
bad case and the pass in the good one."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult, Evaluation
from tests.helpers import FIXTURES, audit_files

HERE = FIXTURES / "transfers"
TRANSFER_RULES = ("GDPR-TRANSFER", "GDPR-ONWARD", "TEST-ONWARD")


def _found(result: AuditResult) -> list[tuple[str, str, str, str, str]]:
    """(rule, code, element, severity, message) of the transfer rules' findings."""
    return [
        (f.rule_id, f.code, f.element[1], f.severity.value, f.message)
        for f in result.findings
        if f.rule_id in TRANSFER_RULES
    ]


def _passed(result: AuditResult) -> list[Evaluation]:
    return [p for p in result.passed if p.rule_id in TRANSFER_RULES]


def _audit(name: str, as_of: str, **options: object) -> AuditResult:
    return audit_files(HERE / f"{name}.yaml", as_of=as_of, **options)  # type: ignore[arg-type]


def _flow(element: str) -> tuple[str, str]:
    return ("flows", element)


# -- rank 2: the Swiss-US DPF is adequacy for listed importers -----------------------------


def test_a_swiss_exporter_sends_to_a_swiss_us_dpf_listed_importer_by_adequacy_from_2024_09_15() -> (
    None
):
    """The Federal Council added the US, for certified companies, to DPO Annex 1 from
    2024-09-15: a listed importer needs no mechanism, as under the EU and UK frameworks; an
    unlisted one is told the listing that would make the US adequate."""
    before = _audit("ch-org", "2024-09-14", base=False)
    assert _found(before) == [
        (
            "GDPR-TRANSFER",
            "no-mechanism",
            "to-listed",
            "critical",
            "transfer from CH to US (US Swiss-DPF Host) has no adequacy on 2024-09-14 and no "
            "transfer mechanism; the adequacy for importers listed under swiss_us_dpf is not "
            "in force before 2024-09-15",
        ),
        (
            "GDPR-TRANSFER",
            "no-mechanism",
            "to-unlisted",
            "critical",
            "transfer from CH to US (US Host) has no adequacy on 2024-09-14 and no transfer "
            "mechanism",
        ),
    ]
    on = _audit("ch-org", "2024-09-15", base=False)
    assert _found(on) == [
        (
            "GDPR-TRANSFER",
            "no-mechanism",
            "to-unlisted",
            "critical",
            "transfer from CH to US (US Host) has no adequacy on 2024-09-15 and no transfer "
            "mechanism; US is adequate only for importers listed under swiss_us_dpf",
        )
    ]
    # the subject "Staff" reads as the organisation's own staff: the pass takes on trust
    # that the importer's certification covers HR data (law review 2026-12-03y, problem 4)
    listed = [
        p for p in _passed(on) if p.element == _flow("to-listed") and p.rule_id == "GDPR-TRANSFER"
    ]
    assert [(p.unconfirmed, p.assumed[0].split(" (")[0]) for p in listed] == [
        ((), "the adequacy of US")
    ]
    assert "covers HR data" in listed[0].assumed[0]
    assert (
        listed[0]
        .assumed[0]
        .endswith(
            "(UNCONFIRMED, Swiss-U.S. Data Privacy Framework Principles, Supplemental Principles "
            "6 (Self-Certification) and 9 (Human Resources Data))"
        )
    )
    assert not [
        p
        for p in _passed(before)
        if p.element == _flow("to-listed") and p.rule_id == "GDPR-TRANSFER"
    ]


# -- rank 3: one contract, two labels; a mislabel is a low record-keeping finding ----------

UK_ROW = (
    "'eu_scc_old_uk' (Old EU Standard Contractual Clauses used by UK exporters; International "
    "Data Transfer Agreement and Addendum issued under DPA 2018 s.119A, Transitional "
    "Provisions; ICO guidance)"
)


def test_a_uk_exporters_old_sccs_pass_under_either_label_while_the_contract_is_valid() -> None:
    """The same old-SCC contract (signed 2020) is valid for a UK exporter until 2024-03-20
    (FACTS 22-23, 111-113, "valid until 2024-03-21" read as the first invalid day, as for the
    Privacy Shield): it passes on every date up to then under the UK exporters' row, in 2020
    (when the UK followed the EU's table) as from 2021; under the EU exporters' row it passes
    too, with a low finding from 2021 that names the row to record. From 2024-03-21 it fails,
    once, under either label."""
    for as_of in ("2020-06-01", "2021-06-01", "2024-03-20"):
        result = _audit("old-sccs-labels", as_of)
        assert Evaluation("GDPR-TRANSFER", _flow("as-uk-row"), ()) in _passed(result), as_of
    # before it was signed the contract is not concluded: that alone, under either label (no
    # cut-off of a row it is judged by on that date, nor the other regime's label)
    not_yet = (
        "transfer agreement 'old-scc' is signed on 2020-01-10, after the audit date 2019-06-01"
    )
    assert _found(_audit("old-sccs-labels", "2019-06-01")) == [
        ("GDPR-TRANSFER", "mechanism-agreement-not-yet-signed", element, "critical", not_yet)
        for element in ("as-eu-row", "as-uk-row")
    ]
    early = _audit("old-sccs-labels", "2020-06-01")
    assert _found(early) == []
    assert Evaluation("GDPR-TRANSFER", _flow("as-eu-row"), ()) in _passed(early)
    for as_of in ("2021-06-01", "2024-03-20"):
        assert _found(_audit("old-sccs-labels", as_of)) == [
            (
                "GDPR-TRANSFER",
                "recorded-under-other-row",
                "as-eu-row",
                "low",
                "recorded as 'eu_scc_old' (EU Standard Contractual Clauses (2001/2004/2010), the "
                f"EU exporters' row); for a UK exporter on {as_of} the row is {UK_ROW}, which "
                "judges the same clauses: record transfer_mechanism: eu_scc_old_uk",
            )
        ]
    invalid = (
        "Old EU Standard Contractual Clauses used by UK exporters is invalid since 2024-03-21 "
        "(International Data Transfer Agreement and Addendum issued under DPA 2018 s.119A, "
        "Transitional Provisions; ICO guidance)"
    )
    assert _found(_audit("old-sccs-labels", "2024-03-21")) == [
        (
            "GDPR-TRANSFER",
            "mechanism-invalid",
            "as-eu-row",
            "critical",
            f"{invalid} (recorded as 'eu_scc_old', the EU exporters' row for the same clauses)",
        ),
        ("GDPR-TRANSFER", "mechanism-invalid", "as-uk-row", "critical", invalid),
    ]


def test_a_uk_exporter_naming_the_eu_dpf_for_a_uk_extension_importer_is_a_low_finding() -> None:
    """The other mislabel, treated the same way: the transfer is lawful by the UK Extension's
    adequacy; the record names the EU exporters' framework. Naming the UK Extension passes."""
    result = _audit("listed-importer-records", "2024-06-01")
    dpf = [f for f in _found(result) if f[2] == "names-eu-dpf"]
    assert dpf == [
        (
            "GDPR-TRANSFER",
            "recorded-under-other-row",
            "names-eu-dpf",
            "low",
            "recorded as 'eu_us_dpf' (EU-US Data Privacy Framework, the EU exporters' row); for "
            "a UK exporter on 2024-06-01 the row is 'uk_extension' (UK Extension to the EU-US "
            'DPF ("UK-US data bridge"); The Data Protection (Adequacy) (United States of '
            "America) Regulations 2023, SI 2023/1028), under which the importer is listed: "
            "record transfer_mechanism: uk_extension",
        )
    ]
    (finding,) = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER" and f.element[1] == "names-eu-dpf"
    ]
    assert result.references_of(finding)[1] == ["UK GDPR Art. 30(1)(e)"]
    assert Evaluation("GDPR-TRANSFER", _flow("names-extension"), ()) in _passed(result)


# -- rank 7: Privacy Shield named in 2024 for a lawful (listed) importer -------------------


def test_privacy_shield_named_for_a_uk_extension_importer_is_a_medium_finding() -> None:
    """FACTS problem 1: the transfer is lawful by the UK Extension, but the record (and the
    notice) cite a safeguard struck down on 2020-07-16 (Art. 30(1)(e), Art. 13(1)(f))."""
    result = _audit("listed-importer-records", "2024-06-01")
    shield = [f for f in _found(result) if f[2] == "names-shield"]
    assert shield == [
        (
            "GDPR-TRANSFER",
            "recorded-safeguard-invalid",
            "names-shield",
            "medium",
            "the record names EU-US Privacy Shield ('privacy_shield_eu_us') as the safeguard, "
            "invalid since 2020-07-16 (Commission Implementing Decision (EU) 2016/1250; CJEU "
            "C-311/18, judgment of 16 July 2020); the transfer rests on adequacy for importers "
            "listed under uk_extension (The Data Protection (Adequacy) (United States of "
            "America) Regulations 2023, SI 2023/1028): record transfer_mechanism: "
            "uk_extension, and name that safeguard in the notice",
        )
    ]
    (finding,) = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER" and f.element[1] == "names-shield"
    ]
    assert result.references_of(finding)[1] == [
        "UK GDPR Art. 30(1)(e)",
        "UK GDPR Art. 13(1)(f)",
        "CJEU C-311/18 (Schrems II)",
    ]
    assert Evaluation("GDPR-TRANSFER", _flow("names-extension"), ()) in _passed(result)


# -- rank 8: one problem, one finding ------------------------------------------------------

HOP = (
    "transfer from UK to US (US Host) has no adequacy on 2024-06-01 and no transfer mechanism; "
    "US is adequate only for importers listed under uk_extension"
)


def test_a_hops_missing_mechanism_is_one_finding_on_the_hops_own_flow() -> None:
    """The processor's flow to its US sub-processor has no mechanism: the transfer rule
    reports it there, and the onward rule does not repeat it on Acme's flow. With the hop's
    IDTA the chain passes both rules."""
    result = _audit("onward-hop", "2024-06-01")
    assert _found(result) == [("GDPR-TRANSFER", "no-mechanism", "hop", "critical", HOP)]
    good = _audit("onward-hop-idta", "2024-06-01")
    assert _found(good) == []
    assert _passed(good) == [
        Evaluation("GDPR-ONWARD", _flow("to-proc"), ()),
        Evaluation("GDPR-TRANSFER", _flow("hop"), ()),
    ]


def test_the_onward_rule_still_reports_a_hop_no_other_rule_reports() -> None:
    """A policy with the onward rule alone: the chain's finding is the only one, so it stays,
    on the hop's own flow."""
    result = _audit(
        "onward-hop", "2024-06-01", policies=(), user_policies=[HERE / "onward-only-policy.yaml"]
    )
    assert _found(result) == [
        (
            "TEST-ONWARD",
            "third-country",
            "hop",
            "critical",
            "hop 'hop': "
            + HOP
            + "; the organisation's data reaching it: contact, from its flow to-proc; the "
            "shortest way: acme (GB) -> uk-proc (GB) -> us-host (US)",
        )
    ]


def test_the_day_before_a_mechanism_exists_is_one_finding_not_two() -> None:
    """An IDTA signed on the day the IDTA came into force, audited the day before: the
    agreement signed later is the instrument's not existing yet, one finding; on the day the
    transfer passes."""
    before = _audit("idta-first-day", "2022-03-20")
    assert [f for f in _found(before) if f[2] == "idta"] == [
        (
            "GDPR-TRANSFER",
            "mechanism-invalid",
            "idta",
            "critical",
            "UK International Data Transfer Agreement is not in force before 2022-03-21; "
            "transfer agreement 'idta-0321' is signed on 2022-03-21, after the audit date "
            "2022-03-20",
        )
    ]
    on = _audit("idta-first-day", "2022-03-21")
    assert _found(on) == []
    assert Evaluation("GDPR-TRANSFER", _flow("idta"), ()) in _passed(on)


# -- wording 12(a), (b), (e) ---------------------------------------------------------------


def test_a_uk_exporter_before_2021_is_called_uk_then_under_eu_law_not_eu() -> None:
    """Before 2021 a UK exporter followed the EU's table: findings still call it the UK."""
    result = _audit("idta-first-day", "2019-01-22")
    assert _found(result) == [
        (
            "GDPR-TRANSFER",
            "wrong-exporter",
            "idta",
            "critical",
            "UK International Data Transfer Agreement is not available to Acme Ltd (GB), a UK "
            "exporter (then under EU law), on 2019-01-22; it is not in force before 2022-03-21",
        ),
        (
            "GDPR-TRANSFER",
            "no-mechanism",
            "to-jp",
            "critical",
            "transfer from UK (then under EU law) to JP (Japan Host) has no adequacy on "
            "2019-01-22 and no transfer mechanism",
        ),
    ]
    # the pass on Japan's adequacy takes its scope (APPI business operators, Decision
    # 2019/419 Art. 1(1); UNCONFIRMED) on trust (lawyer review s18)
    (to_jp,) = [
        p
        for p in _passed(_audit("idta-first-day", "2019-01-23"))
        if (p.rule_id, p.element) == ("GDPR-TRANSFER", _flow("to-jp"))
    ]
    assert to_jp.unconfirmed == (
        "eu-jp (Commission Implementing Decision (EU) 2019/419, Art. 1(1) and recital 10)",
    )
    assert [a.split(" applies ")[0] for a in to_jp.assumed] == [
        "the adequacy of JP ('eu-jp', Commission Implementing Decision (EU) 2019/419, "
        "Art. 1(1) and recital 10)"
    ]


def test_an_eu_organisation_is_an_eu_exporter_and_controller() -> None:
    result = audit_files(FIXTURES / "law" / "eu-org.yaml", as_of="2026-11-25", base=False)
    messages = {(f.rule_id, f.element[1]): f.message for f in result.findings}
    assert messages["GDPR-TRANSFER", "to-in-idta"] == (
        "UK International Data Transfer Agreement is not available to EU Co (IE), an EU "
        "exporter, on 2026-11-25"
    )
    assert messages["GDPR-BASIS", "to-gb"] == (
        "Recognised legitimate interests, Art. 6(1)(ea) exists in UK law only (Data (Use and "
        "Access) Act 2025 s.70, commenced by SI 2026/82 reg. 2(c)); it is never available to an "
        "EU controller"
    )  # UK law only, never "(from 2026-02-05)" for an EU controller (review 12(c))
    assert not [m for m in messages.values() if " a EU " in m]


def _sharing(path: Path, as_of: str) -> list[str]:
    result = audit_files(path, as_of=as_of)
    return [f.message for f in result.findings if f.code == "sharing-missing"]


def test_a_controller_to_controller_finding_cites_the_data_sharing_code_once_in_force() -> None:
    """The ICO Data Sharing Code came into force on 2021-10-05 (the instruments table): it is
    the only source of the finding, so before that day there is none (DPO review 2026-12-03s,
    problem 2: no agreement is required between independent controllers), and from it the
    finding cites the code."""
    c2c = HERE / "c2c.yaml"
    said = (
        "Acme Ltd (controller) → UK Controller (independent controller): a data sharing "
        "agreement is good practice (ICO Data Sharing Code); none is linked"
    )
    assert _sharing(c2c, "2021-10-04") == []
    assert _sharing(c2c, "2019-06-01") == []
    assert _sharing(c2c, "2021-10-05") == [said]


# -- an auditor's review (A6): a struck-down mechanism is one finding ----------------------


def test_a_struck_down_mechanism_is_one_finding_not_three_and_never_asks_for_its_listing() -> None:
    """Privacy Shield named after 2020-07-16 for an unlisted importer in India gave three
    criticals (invalid, not listed, wrong destination) and advised listing the importer under
    the dead framework. One problem: the transfer needs another mechanism; the message says
    the Shield never covered India. On 2019-06-01 the unlisted importer and the wrong
    destination are the problems: for India both, in one finding (one transfer without its
    safeguard; DPO review 2026-12-02g, problem 4)."""
    shield = (
        "EU-US Privacy Shield is invalid since 2020-07-16 (Commission Implementing Decision "
        "(EU) 2016/1250; CJEU C-311/18, judgment of 16 July 2020)"
    )
    assert _found(_audit("dead-shield", "2026-11-25")) == [
        (
            "GDPR-TRANSFER",
            "mechanism-invalid",
            "shield-in",
            "critical",
            shield + "; it covered only transfers to US",
        ),
        ("GDPR-TRANSFER", "mechanism-invalid", "shield-us", "critical", shield),
    ]
    before = {
        (code, element, message)
        for _, code, element, _, message in _found(_audit("dead-shield", "2019-06-01"))
    }
    assert before == {
        (
            "importer-not-listed",
            "shield-us",
            "US Host (the importer) is not marked as listed under privacy_shield_eu_us: check "
            "that the list it names shows the importer; if it does, record listed_under on the "
            "party; if not, rest the transfer on another safeguard",
        ),
        (
            "wrong-destination",
            "shield-in",
            "EU-US Privacy Shield covers transfers to US, not IN; Indian Vendor (the importer) "
            "is not marked as listed under privacy_shield_eu_us: check that the list it names "
            "shows the importer; if it does, record listed_under on the party; if not, rest the "
            "transfer on another safeguard",
        ),
    }


def test_a_party_exporting_from_its_own_system_is_named_as_the_exporter(tmp_path: Path) -> None:
    """A GB organisation's map where an IE processor's system sends to a US provider under
    the UK Extension: the exporter is the IE party, and the finding names it and its country
    instead of "an EU exporter" the reader cannot place (review 2026-12-02d, problem 10)."""
    path = tmp_path / "crm.yaml"
    path.write_text(
        "parties:\n"
        "  - {id: donorbase, name: Donorbase Ltd, kind: crm, country: IE, role: processor}\n"
        "systems:\n"
        "  - {id: donor-crm, name: Donor CRM, owner: donorbase, country: IE, "
        "categories: [contact], subjects: [staff], retention_days: 30, encrypted_at_rest: true}\n"
        "flows:\n"
        "  - {id: newsletter, from: donor-crm, to: us-listed, categories: [contact], "
        "subjects: [staff], purpose: support, basis: contract, transfer_mechanism: uk_extension}\n",
        encoding="utf-8",
    )
    result = audit_files(path)
    messages = [
        f.message
        for f in result.findings
        if (f.rule_id, f.code, f.element[1]) == ("GDPR-TRANSFER", "wrong-exporter", "newsletter")
    ]
    assert messages == [
        'UK Extension to the EU-US DPF ("UK-US data bridge") is not available to Donorbase Ltd '
        "(IE), an EU exporter, on 2026-11-25"
    ]


def test_a_critical_never_carries_the_data_protection_tests_unconfirmed_mark(
    tmp_path: Path,
) -> None:
    """A UK Addendum recorded with only an EU SCC agreement on file, and a 2022 assessment
    that does not record the data protection test: the missing Addendum is the critical, with
    no UNCONFIRMED mark (it relies on no unconfirmed row); the test's judgement to record is
    its own medium finding, marked with the row it relies on. Joined, the critical showed the
    test's mark (DPO review 2026-12-02h, problem 6, s38)."""
    path = tmp_path / "addendum.yaml"
    path.write_text(
        "agreements:\n"
        "  - {id: ind-scc, kind: eu_scc_2021, parties: [acme, in-vendor], status: signed, "
        "signed_on: 2022-05-01, categories: [contact]}\n"
        "assessments:\n"
        "  - {id: tra1, kind: transfer_risk, completed_on: 2022-04-01}\n"
        "flows:\n"
        "  - {id: support, from: acme, to: in-vendor, categories: [contact], subjects: [staff], "
        "purpose: support, basis: contract, transfer_mechanism: uk_addendum, "
        "transfer_agreement: ind-scc, assessments: [tra1]}\n",
        encoding="utf-8",
    )
    result = audit_files(path)
    test = result.legal.transfers.data_protection_test
    assert test is not None and test.unconfirmed
    assert [
        (f.code, f.severity.value, f.message, f.unconfirmed)
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER"
    ] == [
        (
            "no-mechanism-agreement",
            "critical",
            "UK Addendum to the EU SCCs needs a signed uk_addendum agreement linked as "
            "transfer_agreement",
            (),
        ),
        (
            "data-protection-test-not-recorded",
            "medium",
            "transfer risk assessment 'tra1' was completed on 2022-04-01, before the exporter "
            f"had to judge the data protection test met ({test.valid_from}; {test.source}), "
            "and does not record that it was: record the judgement on the assessment "
            "(data_protection_test: true), or review it",
            (f"{test.id} ({test.source})",),
        ),
    ]


def test_a_pass_on_the_flows_own_safeguard_does_not_rest_on_an_assumed_listing(
    tmp_path: Path,
) -> None:
    """A US importer whose UK Extension listing is assumed, criminal offence data unflagged, a
    complete IDTA: the transfer passes on the IDTA (DPO review 2026-12-02h, problem 2), so
    the pass does not rest on the assumed listing; on the bare listing it fails, saying the
    listing is assumed."""
    path = tmp_path / "idta.yaml"
    path.write_text(
        "parties:\n"
        "  - {id: us-guess, name: US Guess, kind: hosting, country: US, role: processor, "
        "listed_under: [uk_extension], assumed: {listed_under: the provider is not named}}\n"
        "categories:\n"
        "  - {id: convictions, name: Spent convictions, criminal_offence: true}\n"
        "agreements:\n"
        "  - {id: idta, kind: idta, parties: [acme, us-guess], status: signed, "
        "signed_on: 2023-01-10, categories: [convictions]}\n"
        "assessments:\n"
        "  - {id: tra, kind: transfer_risk, completed_on: 2026-03-01, data_protection_test: true}\n"
        "flows:\n"
        "  - {id: on-idta, from: acme, to: us-guess, categories: [convictions], subjects: [staff], "
        "purpose: support, basis: contract, transfer_mechanism: idta, transfer_agreement: idta, "
        "assessments: [tra]}\n"
        "  - {id: on-listing, from: acme, to: us-guess, categories: [convictions], "
        "subjects: [staff], purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    result = audit_files(path)
    assert [(p.element, p.assumed) for p in _passed(result) if p.rule_id == "GDPR-TRANSFER"] == [
        (_flow("on-idta"), ())
    ]
    assert [
        (
            f.code,
            f.element[1],
            f.message.endswith("(listing assumed, to be verified: the provider is not named)"),
        )
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER"
    ] == [("sensitive-not-flagged", "on-listing", True)]


# -- DPO review 2026-12-02i, problem 1: the Privacy Shield was adequacy for listed importers --

SHIELD = HERE / "privacy-shield-listed.yaml"
EU_SHIELD_GONE = (
    "invalid since 2020-07-16 (Commission Implementing Decision (EU) 2016/1250; CJEU C-311/18, "
    "judgment of 16 July 2020)"
)
CH_SHIELD_GONE = "invalid since 2020-09-08 (FDPIC statement of 8 September 2020)"


def _shield(regime: str, as_of: str) -> AuditResult:
    """The Shield fixture audited for an exporter of ``regime`` (UK: the base organisation)."""
    if regime == "UK":
        return audit_files(SHIELD, as_of=as_of)
    return audit_files(HERE / f"{regime.lower()}-acme.yaml", SHIELD, as_of=as_of, base=False)


def _transfer_passes(result: AuditResult) -> set[str]:
    return {p.element[1] for p in result.passed if p.rule_id == "GDPR-TRANSFER"}


def _codes(result: AuditResult) -> dict[str, str]:
    return {element: code for _rule, code, element, _severity, _message in _found(result)}


def test_a_listed_eu_us_privacy_shield_importer_needs_no_mechanism_until_schrems_ii() -> None:
    """Decision 2016/1250 was adequacy for certified importers, as the DPF is (FACTS.md: the
    Shields, the DPF and the UK Extension are certification frameworks for listed importers).
    A listed importer passes with transfer_mechanism left out, as with it recorded, for an EU
    exporter and a UK one (then under EU law) up to 2020-07-15; from 2020-07-16 both fail, the
    finding without a mechanism naming the Shield's end. Before, the flow without the field
    was a CRITICAL "no adequacy ... and no transfer mechanism" on every date (m06)."""
    for regime, words in (("UK", "UK (then under EU law)"), ("EU", "EU")):
        for as_of in ("2019-06-01", "2020-07-15"):
            result = _shield(regime, as_of)
            passed = _transfer_passes(result)
            assert {"eu-listed-none", "eu-listed-recorded"} <= passed, (regime, as_of)
            assert _codes(result) == {
                "ch-listed-none": "no-mechanism",
                "ch-listed-recorded": "wrong-exporter",
                "ch-recorded-unlisted": "wrong-exporter",
                "unlisted-none": "no-mechanism",
            }, (regime, as_of)
            (unlisted,) = [f for f in _found(result) if f[2] == "unlisted-none"]
            assert unlisted[4] == (
                f"transfer from {words} to US (US Plain Host) has no adequacy on {as_of} and no "
                "transfer mechanism; US is adequate only for importers listed under "
                "privacy_shield_eu_us"
            )
        after = _shield(regime, "2020-07-16")
        found = {f[2]: f for f in _found(after)}
        assert found["eu-listed-none"] == (
            "GDPR-TRANSFER",
            "no-mechanism",
            "eu-listed-none",
            "critical",
            f"transfer from {words} to US (US EU-Shield Host) has no adequacy on 2020-07-16 and "
            "no transfer mechanism; the adequacy for importers listed under "
            f"privacy_shield_eu_us is {EU_SHIELD_GONE}",
        )
        assert found["eu-listed-recorded"][1:] == (
            "mechanism-invalid",
            "eu-listed-recorded",
            "critical",
            f"EU-US Privacy Shield is {EU_SHIELD_GONE}",
        )
        assert not _transfer_passes(after) & {"eu-listed-none", "eu-listed-recorded"}


def test_a_listed_swiss_us_privacy_shield_importer_needs_no_mechanism_until_2020_09_08() -> None:
    """The same for a Swiss exporter and the Swiss-US Privacy Shield (start 2017-04-12,
    UNCONFIRMED, before the first modelled day; the FDPIC's statement of 2020-09-08 ends it).
    Neither Shield serves the other's exporters: the Swiss listing gives a UK or EU exporter
    no adequacy, the EU listing none to a Swiss one."""
    for as_of in ("2019-06-01", "2020-09-07"):
        result = _shield("CH", as_of)
        passed = _transfer_passes(result)
        assert {"ch-listed-none", "ch-listed-recorded"} <= passed, as_of
        assert _codes(result) == {
            "eu-listed-none": "no-mechanism",
            "eu-listed-recorded": "wrong-exporter",
            "ch-recorded-unlisted": "importer-not-listed",
            "unlisted-none": "no-mechanism",
        }, as_of
    after = {f[2]: f for f in _found(_shield("CH", "2020-09-08"))}
    assert after["ch-listed-none"][1:] == (
        "no-mechanism",
        "ch-listed-none",
        "critical",
        "transfer from CH to US (US Swiss-Shield Host) has no adequacy on 2020-09-08 and no "
        "transfer mechanism; the adequacy for importers listed under privacy_shield_swiss_us "
        f"is {CH_SHIELD_GONE}",
    )
    assert after["ch-listed-recorded"][1:] == (
        "mechanism-invalid",
        "ch-listed-recorded",
        "critical",
        f"Swiss-US Privacy Shield is {CH_SHIELD_GONE}",
    )


def test_the_shields_adequacy_rows_use_the_listing_names_map_format_documents() -> None:
    """Each Shield's adequacy row asks for the listing its mechanism row asks for, the names
    docs/map-format.md documents for listed_under; the Swiss row's start is UNCONFIRMED."""
    from flowaudit.policies.legal import load_legal_table

    legal = load_legal_table()
    rows = {row.id: row for row in legal.transfers.adequacy}
    documented = (Path(__file__).parents[1] / "docs" / "map-format.md").read_text(encoding="utf-8")
    for row_id, mechanism_id in (
        ("eu-us-privacy-shield", "privacy_shield_eu_us"),
        ("ch-us-privacy-shield", "privacy_shield_swiss_us"),
    ):
        row, mechanism = rows[row_id], legal.mechanisms[mechanism_id]
        assert row.requires_listing == mechanism.requires_listing == mechanism_id
        assert (row.valid_from, row.invalid_from) == (mechanism.valid_from, mechanism.invalid_from)
        assert f"`{mechanism_id}`" in documented
    assert rows["ch-us-privacy-shield"].unconfirmed
    assert not rows["eu-us-privacy-shield"].unconfirmed


# -- DPO review 2026-12-02i, problem 5: a row's UNCONFIRMED mark only where the verdict turns on
# -- the unconfirmed field (the Swiss-US Shield's start date) -------------------------------

SWISS_ROW = "privacy_shield_swiss_us (FDPIC statement of 8 September 2020)"
SWISS_ADEQUACY = "ch-us-privacy-shield (FDPIC statement of 8 September 2020)"


def _marks(result: AuditResult) -> dict[str, tuple[str, ...]]:
    """Per flow, the UNCONFIRMED rows its transfer finding (or pass) relies on."""
    marks = {f.element[1]: f.unconfirmed for f in result.findings if f.rule_id == "GDPR-TRANSFER"}
    for evaluation in result.passed:
        if evaluation.rule_id == "GDPR-TRANSFER":
            marks[evaluation.element[1]] = evaluation.unconfirmed
    return marks


def test_a_verdict_on_the_swiss_shields_exporters_or_end_has_no_mark_of_its_start() -> None:
    """Only the Swiss-US Shield's start (2017-04-12) is UNCONFIRMED (FACTS.md); its rows say so
    (unconfirmed: [valid_from]). "Not available to a UK exporter" turns on the row's exporters,
    "invalid since 2020-09-08" and "no adequacy" after it on its end: neither is marked (before,
    both were: scenarios i23, i16). Every verdict that turns on the row being in force keeps the
    mark: a pass on it, the conditions of the mechanism weighed (importer not listed), and a
    finding that names its listing as the way to adequacy."""
    for regime in ("UK", "EU"):
        for as_of in ("2019-06-01", "2020-09-08", "2026-11-25"):
            marks = _marks(_shield(regime, as_of))
            assert marks["ch-listed-recorded"] == (), (regime, as_of)
            assert marks["ch-recorded-unlisted"] == (), (regime, as_of)
    gone = _marks(_shield("CH", "2020-09-08"))
    assert gone["ch-listed-recorded"] == ()  # mechanism-invalid: the end date
    assert gone["ch-listed-none"] == ()  # no adequacy: the adequacy row's end date
    assert gone["ch-recorded-unlisted"] == ()
    for as_of in ("2019-06-01", "2020-09-07"):
        marks = _marks(_shield("CH", as_of))
        assert marks["ch-listed-none"] == (SWISS_ADEQUACY,), as_of  # pass on the adequacy row
        assert marks["ch-listed-recorded"] == (SWISS_ADEQUACY,), as_of
        assert marks["ch-recorded-unlisted"] == (SWISS_ROW,), as_of  # importer-not-listed
        assert marks["unlisted-none"] == (SWISS_ADEQUACY,), as_of  # "adequate only for ..."


def test_an_unconfirmed_mark_names_fields_of_its_row() -> None:
    """A row's `unconfirmed` list names its own fields; anything else is refused."""
    import pytest
    from pydantic import ValidationError

    from flowaudit.policies.legal import Mechanism

    row = {"id": "m", "name": "M", "exporters": ["CH"], "source": "s"}
    assert Mechanism.model_validate({**row, "unconfirmed": ["valid_from"]}).doubts(["valid_from"])
    assert not Mechanism.model_validate({**row, "unconfirmed": ["valid_from"]}).doubts(
        ["exporters"]
    )
    assert Mechanism.model_validate({**row, "unconfirmed": True}).doubts(["exporters"])
    for bad in (["start"], []):
        with pytest.raises(ValidationError, match="unconfirmed names fields"):
            Mechanism.model_validate({**row, "unconfirmed": bad})


def test_what_other_exporters_use_instead_names_rows_of_the_table() -> None:
    """for_other_exporters is data dated by the rows it names (DPO review 2026-12-02i,
    problem 6): a way that names no mechanism of the table is refused."""
    import pytest
    from pydantic import ValidationError

    from flowaudit.policies.legal import TransferTable, load_legal_table

    table = load_legal_table().transfers.model_dump()
    (scc,) = [m for m in table["mechanisms"] if m["id"] == "eu_scc_2021"]
    assert [way["mechanism"] for way in scc["for_other_exporters"]["UK"]] == [
        "uk_addendum",
        "idta",
        "eu_scc_old_uk",
    ]
    scc["for_other_exporters"]["UK"].append({"mechanism": "uk_sccs", "says": "uses them"})
    with pytest.raises(ValidationError, match="names 'uk_sccs', not a mechanism of the table"):
        TransferTable.model_validate(table)


def test_a_row_answers_only_to_another_exporters_row_of_the_table() -> None:
    """answers_to (DPO review 2026-12-03l, problem 8: the Swiss rows that judge a CH flow
    recorded on the EU SCCs, BCRs or Art. 49) names a mechanism of the table serving other
    exporters: an unknown row, or one the row's own exporters already use, is refused."""
    import pytest
    from pydantic import ValidationError

    from flowaudit.policies.legal import TransferTable, load_legal_table

    table = load_legal_table().transfers.model_dump()
    rows = {m["id"]: m for m in table["mechanisms"]}
    assert {m["id"]: m["answers_to"] for m in table["mechanisms"] if m["answers_to"]} == {
        "ch_scc_2021": ["eu_scc_2021"],
        "ch_bcr": ["bcr"],
        "ch_explicit_consent": ["art49_explicit_consent"],
        "ch_derogation": ["art49_derogation"],
    }
    for bad in ("eu_sccs", "swiss_us_dpf"):
        rows["ch_bcr"]["answers_to"] = [bad]
        with pytest.raises(ValidationError, match=f"answers_to names '{bad}', not a mechanism"):
            TransferTable.model_validate(table)
