"""Processor chains: DPO review w, problems 1, 2 and 3 (DPO review 2026-12-03w).

1. Below the organisation's own sub-processor (school → Shopwave (processor) → CloudOne →
   BackupTwo → ArchiveThree GmbH, every hop contracted, scenario s5b), the hops were asked an
   Art. 6 basis of Shopwave's own and recorded on its Art. 30(1) record; the Art. 30(2) row
   stopped at the first sub-processor. The school's data is processed on the school's
   instructions all the way down (Art. 28(3)(a), 28(4), 29): ``MapFacts.processed_for``.
2. GDPR-PROCESSOR named Shopwave as its own unauthorised sub-processor after following Acme's
   payroll through Beta (an independent controller) and back, on category alone (s6).
3. The Art. 30(2) record chose sub-processors by purpose id, not by whose data a flow carries
   (s1: a mailer of the organisation's own customers listed for Acme; the shipped map: Zendesk
   left out, which the check names): the record and the check read one walk
   (``MapFacts.carrying``).

The scenarios are the reviewer's, verbatim: the shop example (``flowaudit init --example
shop``, which checks clean) with one file, scenario.yaml, added.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import build_ropa
from tests.helpers import audit_paths, located_findings

SHOP = Path(__file__).parent.parent / "model" / "examples" / "shop"
AS_OF = date(2026, 11, 25)

#: The reviewer's scenario files, verbatim (/tmp/dpo-sc/<name>/scenario.yaml).
SCENARIOS = Path(__file__).parent / "fixtures" / "dpo-w"
S5B = (SCENARIOS / "s5b.yaml").read_text(encoding="utf-8")
S6 = (SCENARIOS / "s6.yaml").read_text(encoding="utf-8")
S1 = (SCENARIOS / "s1.yaml").read_text(encoding="utf-8")


def _scenario(tmp_path: Path, text: str, name: str = "sc") -> AuditResult:
    folder = tmp_path / name
    shutil.copytree(SHOP, folder)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return audit(AuditRequest([str(folder)], AS_OF))


#: The two findings every processor scenario of the shop example has: no breach notice to the
#: controller, no Art. 30(2) record (neither is the chain's).
PROCESSOR_BASELINE = [
    (
        "GDPR-BREACH",
        "processor-no-controller-notice",
        "organisation/shopwave",
        "organisation.yaml",
        15,
        3,
    ),
    (
        "GDPR-PROCESSOR",
        "no-processor-record",
        "organisation/shopwave",
        "organisation.yaml",
        7,
        1,
    ),
]


def test_hops_below_the_sub_processor_are_processing_for_the_school(tmp_path: Path) -> None:
    """DPO review w, problem 1 (s5b): no GDPR-BASIS on p1-to-p2 or p2-to-p3 (the school's
    basis governs them), only the two processor findings the shop has as any processor; the
    fact says whom each hop is for."""
    result = _scenario(tmp_path, S5B)
    assert located_findings(result) == PROCESSOR_BASELINE
    facts = result.facts
    flows = facts.index.flows
    assert [facts.processed_for(flows[f]) for f in ("to-p1", "p1-to-p2", "p2-to-p3")] == [
        ("school",),
        ("school",),
        ("school",),
    ]
    assert facts.processed_for(flows["school-in"]) == ()  # the intake: received, not made


def test_the_chain_is_on_the_processor_record_with_its_transfer_to_germany(
    tmp_path: Path,
) -> None:
    """DPO review w, problems 1 and 3(c) (s5b): the school's pupil data has no row on the
    Art. 30(1) record; the Art. 30(2) row names every sub-processor down the chain, the
    transfer to Germany and its safeguard."""
    ropa = build_ropa(_scenario(tmp_path, S5B))
    assert "school_it" not in [row.purpose_id for row in ropa.rows]
    (school,) = ropa.processor_rows
    assert school.cells["subprocessors"] == (
        "CloudOne Ltd (GB, flow to-p1)",
        "BackupTwo Ltd (GB, flow p1-to-p2)",
        "ArchiveThree GmbH (DE, flow p2-to-p3)",
    )
    assert school.cells["third_countries"] == ("DE",)
    (safeguard,) = school.cells["safeguards"]
    assert safeguard.startswith("DE: adequacy (DPA 2018 Sch. 21 paras 4-5")
    assert school.cells["flows"] == ("school-in", "to-p1", "p1-to-p2", "p2-to-p3")


def test_a_gap_in_the_chain_is_one_finding_and_no_basis_is_asked(tmp_path: Path) -> None:
    """DPO review w, problem 1 (s5: the middle hop has no contract): the one combined finding
    on the engaging hop stays; the two GDPR-BASIS findings are gone."""
    s5 = S5B.replace(
        "  - {id: p2-dpa, kind: art28_dpa, parties: [p1, p2], status: signed, signed_on: "
        "2024-01-01, categories: [pupil_records], allows_subprocessing: true, evidence: signed}\n",
        "",
    ).replace(" agreement: p2-dpa,", "")
    result = _scenario(tmp_path, s5)
    assert located_findings(result) == [
        (
            "GDPR-AGREEMENT + GDPR-SUBPROCESSING",
            "missing",
            "flows/p1-to-p2",
            "scenario.yaml",
            19,
            5,
        ),
        *PROCESSOR_BASELINE,
    ]


def test_a_sub_processor_that_also_holds_the_organisations_own_data_is_judged_on_it(
    tmp_path: Path,
) -> None:
    """The fact follows whose data a hop carries, not the chain alone: CloudOne also hosts
    Shopwave's own customers' data, and sends it on; that hop is Shopwave's own processing,
    while the pupils' hop stays the school's. Its basis is the one Shopwave's own flow to
    CloudOne names for the purpose (Art. 28(3)(a), 29; lawyer review s17, problem 2: the
    hop itself was asked one, a HIGH "missing"): without it, that flow is the finding."""
    extra = (
        "  - {id: own-to-p1, from: shopwave, to: p1, categories: [contact.name], subjects:"
        " [customers], purpose: school_it, basis: contract, agreement: p1-dpa,"
        " encrypted_in_transit: true, notice: PN-PURPOSES}\n"
        "  - {id: own-p1-to-p2, from: p1, to: p2, categories: [contact.name], subjects:"
        " [customers], purpose: school_it, agreement: p2-dpa, encrypted_in_transit: true,"
        " notice: PN-PURPOSES}\n"
    )
    result = _scenario(tmp_path, S5B + extra)
    flows = result.facts.index.flows
    assert result.facts.processed_for(flows["own-p1-to-p2"]) == ()
    assert result.facts.processed_for(flows["p1-to-p2"]) == ("school",)
    assert [f for f in located_findings(result) if f[0] == "GDPR-BASIS"] == []
    unfounded = _scenario(tmp_path, S5B + extra.replace(" basis: contract,", ""), "unfounded")
    assert [f for f in located_findings(unfounded) if f[0] == "GDPR-BASIS"] == [
        ("GDPR-BASIS", "missing", "flows/own-to-p1", "scenario.yaml", 22, 5),
    ]


def test_the_organisation_is_never_its_own_sub_processor(tmp_path: Path) -> None:
    """DPO review w, problem 2 (s6): Acme's payroll given to Beta (an independent controller)
    is the one disclosure finding; Beta's own customers' payroll sent to Shopwave does not make
    Shopwave Acme's unauthorised sub-processor."""
    result = _scenario(tmp_path, S6)
    assert located_findings(result) == [
        (
            "GDPR-PROCESSOR",
            "disclosure-outside-instructions",
            "flows/acme-data-to-beta",
            "scenario.yaml",
            17,
            45,
        ),
        *PROCESSOR_BASELINE,
    ]
    assert [c.flow.id for c in result.facts.carrying("acme")] == ["acme-data-to-beta"]


def test_an_independent_controllers_own_processor_is_not_the_sub_processor(
    tmp_path: Path,
) -> None:
    """DPO review w, problem 2: past a controller recipient the data is its own. Beta sends
    payroll on to its own bureau mailer; the walk from Acme stops at Beta, so the mailer is
    no sub-processor Acme must authorise."""
    extra = (
        "  - {id: beta-to-mailer, from: beta, to: mailer, categories: [payroll], subjects:"
        " [acme_employees], purpose: payroll_service, recipient_role: processor,"
        " encrypted_in_transit: true, notice: PN-PURPOSES}\n"
    )
    party = (
        "  - {id: mailer, name: Mailer Ltd, kind: email, country: GB, role: processor,"
        " description: Beta's mailer}\n"
    )
    text = S6.replace("subjects:\n", party + "subjects:\n", 1) + extra
    result = _scenario(tmp_path, text)
    assert [c.flow.id for c in result.facts.carrying("acme")] == ["acme-data-to-beta"]
    assert [f for f in located_findings(result) if f[2] == "flows/acme-sends-payroll"] == []


def test_a_flow_about_other_people_carries_no_controllers_data_on_category_alone(
    tmp_path: Path,
) -> None:
    """DPO review w, problem 2: Shopwave sends Beta's customers' payroll, for Beta, to its
    payroll printer. Payroll is a category Acme entrusts too, but the flow is about no one
    Acme's data is about: the printer is Beta's sub-processor (GDPR-PROCESSOR names it for
    Beta), not Acme's."""
    extra = (
        "  - {id: beta-to-printer, from: shopwave, to: printer, categories: [payroll],"
        " subjects: [customers], purpose: payroll_service, on_behalf_of: [beta],"
        " recipient_role: processor, encrypted_in_transit: true, notice: PN-PURPOSES}\n"
    )
    party = (
        "  - {id: printer, name: PrintCo Ltd, kind: print, country: GB, role: processor,"
        " description: payslip printer}\n"
    )
    text = S6.replace("subjects:\n", party + "subjects:\n", 1) + extra
    result = _scenario(tmp_path, text)
    assert [c.flow.id for c in result.facts.carrying("acme")] == ["acme-data-to-beta"]
    assert [c.flow.id for c in result.facts.carrying("beta")] == ["beta-to-printer"]
    unauthorised = [f for f in result.findings if f.code == "subprocessor-not-authorised"]
    assert [(f.element, f.message) for f in unauthorised] == [
        (
            ("flows", "beta-sends-payroll"),
            "Beta Ltd (controller) → Shopwave Ltd (processor): the controller's data reaches "
            "the sub-processor PrintCo Ltd (beta-to-printer); Beta Ltd must authorise it in a "
            "signed Art. 28 contract with Shopwave Ltd that allows sub-processing (Art. 28(2)); "
            "none does",
        )
    ]


def test_the_processor_record_lists_no_mailer_of_the_organisations_own_customers(
    tmp_path: Path,
) -> None:
    """DPO review w, problem 3(a) (s1): MailCo gets only Shopwave's own customers, under a
    purpose id the payroll intake shares: it is on the Art. 30(1) row, not Acme's 30(2) row."""
    ropa = build_ropa(_scenario(tmp_path, S1))
    (acme,) = ropa.processor_rows
    assert acme.cells["subprocessors"] == ()
    assert acme.cells["flows"] == ("acme-sends-payroll", "payslips-back-to-acme")
    (payroll,) = [row for row in ropa.rows if row.purpose_id == "payroll_service"]
    assert payroll.cells["recipients"] == ("MailCo Ltd (processor, GB)",)
    assert payroll.cells["flows"] == ("own-customers-to-mailco",)


def test_the_shipped_processor_record_names_the_sub_processors_the_check_names() -> None:
    """DPO review w, problem 3(b): the Art. 30(2) row for the schools lists Zendesk (which
    GDPR-PROCESSOR names) beside the hosting providers, and the MIS firm whose role is not
    recorded (its own GDPR-PROCESSOR finding); the shipped verdict stays 57 findings."""
    result = audit_paths([], AS_OF)
    assert len(result.findings) == 57
    (schools,) = build_ropa(result).processor_rows
    assert schools.cells["subprocessors"] == (
        "Zendesk, Inc. (US [ASSUMED], flow helpdesk-tickets)",
        "Third-party MIS support firm (not named) (GB [ASSUMED], flow mis-third-party-support; "
        "role not"
        " recorded)",
        "US hosting provider (not named) (US, flow hosting-us)",
        "EEA hosting provider (not named) (IE, flow hosting-eea)",
        "UK hosting provider (not named) (GB, flow hosting-uk)",
    )
    (named,) = [
        f
        for f in result.findings
        if f.element == ("flows", "school-server-work") and "GDPR-PROCESSOR" in f.rule_ids
    ]
    assert "it must authorise the 4 sub-processors the controller's data may reach" in (
        named.message
    )
    for flow in ("helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk"):
        assert f"({flow})" in named.message
        assert any(f"flow {flow})" in cell for cell in schools.cells["subprocessors"])
    # the hosts' US is certain: Zendesk's assumed US is not given beside it
    assert schools.cells["third_countries"] == ("US", "IE")
    assert schools.cells["safeguards"][2] == (
        "IE: adequacy (DPA 2018 Sch. 21 paras 4-5 (inserted by SI 2019/419); kept by DUAA 2025"
        " Sch. 9)"
    )


def test_a_transfer_down_the_chain_is_still_judged_and_recorded(tmp_path: Path) -> None:
    """DPO review w, problem 1: the chain is the school's processing, but the transfer rules
    still bind it. With ArchiveThree in the US (no adequacy, no mechanism), the GDPR-TRANSFER
    finding on p2-to-p3 stays, no GDPR-BASIS is asked, and the Art. 30(2) row says the
    transfer has no safeguard."""
    text = S5B.replace(
        "name: ArchiveThree GmbH, kind: hosting, country: DE",
        "name: ArchiveThree Inc, kind: hosting, country: US",
    )
    result = _scenario(tmp_path, text)
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p2-to-p3", "scenario.yaml", 21, 5),
        *PROCESSOR_BASELINE,
    ]
    (school,) = build_ropa(result).processor_rows
    assert school.cells["third_countries"] == ("US",)
    assert school.cells["safeguards"] == (
        "US: NO SAFEGUARD for 1 transfer (flow p2-to-p3): no adequacy on 2026-11-25 and no "
        "transfer mechanism",
    )
