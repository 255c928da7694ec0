"""The organisation's processors' own processing, and the organisation's own collections.

- DPO review s3, problem 1 (DPO review 2026-12-03s3): a party that is one of the
  organisation's processors (MarketHub runs Shopwave's order desk; ParcelRun is its courier)
  and sends, to its own processor, people no flow of the organisation or its chain brings it,
  for a purpose none of the organisation's processing uses, processes as a controller in its
  own right (EDPB Guidelines 07/2020, paras 80-84). Judged as the organisation's, Shopwave
  failed on MarketHub's own US transfer, its legitimate interests, its PECR consent and its
  sub-processing, and its Art. 30(1) record listed MarketHub's members and ParcelRun's
  drivers. The reviewer's maps are /tmp/dpo3/n4c, n4d, n4 and n1 (the shop example plus one
  scenario file, verbatim below).
- DPO review s3, problem 3: an own collection recorded with no lawful basis was read as the
  controller's data (Art. 28(10) on LearnLoop's own sign-up; CONCERO-PUPILS calling Concero's
  own pupil log-ins the school's processing), while GDPR-BASIS asks the organisation's own
  basis of the same flow (/tmp/dpo3/n3, n6).
- Attack review s3, problem 2 (attack review 2026-12-03s3): one own collection (branch a1) or
  one inbound flow "in its own right" (branch e1) took the school's sub-processors out of the
  Art. 28 findings on plain ``check``.

Each test failed before its fix, except those that show what must stay as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.checks.result import AuditResult
from tests.helpers import (
    GateResult,
    GitRepo,
    audit_folder,
    concero_with,
    located_findings,
    require_tool,
    run,
    run_gate,
    shop_scenario,
)

AS_OF = ["--as-of", "2026-11-25"]

LEARNLOOP = Path(__file__).parent / "fixtures" / "review_s2_own" / "learnloop"

# --- DPO review s3, problem 1: the reviewer's scenario files, verbatim ---------------------

#: /tmp/dpo3/n4c: MarketHub, Shopwave's order desk (its processor), sends its own members to
#: its own US host for its own promotions.
N4C = """subjects:
  - {id: hub_members, name: MarketHub members, fides_key: customer, party_to_contract: true, subscriber: individual}
parties:
  - {id: jc, name: MarketHub Ltd, kind: marketplace, country: GB, role: controller, description: "controller of its own marketplace; here hosts Shopwave's order desk as its processor"}
  - {id: p2, name: BackupTwo Inc, kind: hosting, country: US, role: processor, description: MarketHub's US host}
purposes:
  - {id: hub_promos, name: "MarketHub own promotions", is_a: [marketing], business_function: Marketing, rights: [access], automated_decisions: none, retention: one year, source: MarketHub, notice: PN-PURPOSES}
agreements:
  - {id: jc-dpa, kind: art28_dpa, parties: [shopwave, jc], status: signed, signed_on: 2024-01-01, categories: [contact], allows_subprocessing: false, evidence: signed}
  - {id: p2-dpa, kind: art28_dpa, parties: [jc, p2], status: signed, signed_on: 2024-01-01, categories: [contact], allows_subprocessing: false, evidence: signed}
flows:
  - {id: sw-to-jc, from: shopwave, to: jc, recipient_role: processor, categories: [contact.name, contact.email], subjects: [customers], purpose: orders, basis: contract, agreement: jc-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}
  - {id: jc-promo, from: jc, to: p2, categories: [contact.name, contact.email], subjects: [hub_members], purpose: hub_promos, basis: legitimate_interests, agreement: p2-dpa, encrypted_in_transit: true, notice: PN-MARKETING}
"""  # noqa: E501

#: /tmp/dpo3/n4d: n4c without Shopwave's order desk (sw-to-jc and its contract).
N4D = "".join(
    line
    for line in N4C.splitlines(keepends=True)
    if "{id: jc-dpa," not in line and "{id: sw-to-jc," not in line
)

#: /tmp/dpo3/n4: the control. MarketHub hosts Shopwave's own customers, for Shopwave's orders,
#: in the US: Shopwave's chain.
N4 = """parties:
  - {id: jc, name: MarketHub Ltd, kind: marketplace, country: GB, role: controller, description: "controller of its own marketplace; here hosts Shopwave's order desk as its processor"}
  - {id: p2, name: BackupTwo Inc, kind: hosting, country: US, role: processor, description: MarketHub's US host}
agreements:
  - {id: jc-dpa, kind: art28_dpa, parties: [shopwave, jc], status: signed, signed_on: 2024-01-01, categories: [contact], allows_subprocessing: false, evidence: signed}
  - {id: p2-dpa, kind: art28_dpa, parties: [jc, p2], status: signed, signed_on: 2024-01-01, categories: [contact], allows_subprocessing: false, evidence: signed}
flows:
  - {id: sw-to-jc, from: shopwave, to: jc, recipient_role: processor, categories: [contact.name, contact.email], subjects: [customers], purpose: orders, basis: contract, agreement: jc-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}
  - {id: jc-host, from: jc, to: p2, categories: [contact.name, contact.email], subjects: [customers], purpose: orders, basis: contract, agreement: p2-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}
"""  # noqa: E501

#: /tmp/dpo3/n1: ParcelRun, Shopwave's courier (a processor by its role), hosts its own
#: drivers' payroll in the US.
N1 = """subjects:
  - {id: couriers, name: ParcelRun drivers, fides_key: employee, party_to_contract: true}
parties:
  - {id: p2, name: BackupTwo Inc, kind: hosting, country: US, role: processor, description: ParcelRun's US host for its own HR records}
purposes:
  - {id: pr_hr, name: ParcelRun's own payroll, business_function: HR, rights: [access], automated_decisions: none, retention: six years, source: ParcelRun, notice: PN-PURPOSES}
agreements:
  - {id: p2-dpa, kind: art28_dpa, parties: [parcelrun, p2], status: signed, signed_on: 2024-01-01, categories: [contact], allows_subprocessing: false, evidence: signed}
flows:
  - {id: pr-hr-host, from: parcelrun, to: p2, categories: [contact.name], subjects: [couriers], purpose: pr_hr, basis: contract, agreement: p2-dpa, encrypted_in_transit: true, notice: PN-PURPOSES}
"""  # noqa: E501

#: n1 with the drivers' flow for Shopwave's own purpose (delivery): the courier collecting
#: people directly for the organisation's purpose, on its instructions.
N1_DELIVERY = N1.replace("purpose: pr_hr, basis", "purpose: delivery, basis")


def _shop(tmp_path: Path, scenario: str, name: str = "shop") -> Path:
    source = tmp_path / f"{name}-scenario.yaml"
    source.write_text(scenario, encoding="utf-8")
    return shop_scenario(tmp_path / name, source)


def _ropa(folder: Path) -> str:
    result = run(["ropa", str(folder), *AS_OF])
    assert result.exit_code == 0, result.output
    return result.output


def test_dpo_s3_problem_1_a_controller_role_processor_s_own_promotions_are_its_own(
    tmp_path: Path,
) -> None:
    """n4c: MarketHub's own promotion to its own members (reaching it by no flow, for a
    purpose none of Shopwave's processing uses) is MarketHub's own processing: no finding on
    it (the CRITICAL transfer, the HIGH basis, sub-processing and PECR consent, the MEDIUM
    opt-out all went), and no row on Shopwave's Art. 30(1) record; the verdict is n4d's."""
    folder = _shop(tmp_path, N4C)
    result = audit_folder(folder)
    assert located_findings(result) == []
    assert "jc-promo" in result.facts.held_as_controller
    assert "jc-promo" in result.facts.processors_own
    assert "sw-to-jc" not in result.facts.held_as_controller
    record = _ropa(folder)
    assert "hub_promos" not in record
    assert "MarketHub members" not in record
    code = run(["check", str(folder), *AS_OF])
    assert code.exit_code == 0
    assert "0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info)" in code.output
    control = run(["check", str(_shop(tmp_path, N4D, "n4d")), *AS_OF])
    assert control.exit_code == 0
    assert "0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info)" in control.output


def test_dpo_s3_problem_1_a_processor_role_courier_s_own_payroll_is_its_own(
    tmp_path: Path,
) -> None:
    """n1: ParcelRun (role processor) hosting its own drivers' payroll in the US is its own
    processing as a controller: no CRITICAL transfer, no HIGH sub-processing, and its drivers
    are not on Shopwave's Art. 30(1) record."""
    folder = _shop(tmp_path, N1)
    result = audit_folder(folder)
    assert located_findings(result) == []
    assert "pr-hr-host" in result.facts.held_as_controller
    record = _ropa(folder)
    assert "pr_hr" not in record
    assert "ParcelRun drivers" not in record
    assert run(["check", str(folder), *AS_OF]).exit_code == 0


SHOP_US_HOST = [
    ("GDPR-TRANSFER", "no-mechanism"),
    ("GDPR-SUBPROCESSING", "not-authorised"),
]


def test_dpo_s3_problem_1_a_processor_s_flow_for_the_organisation_s_purpose_stays_ours(
    tmp_path: Path,
) -> None:
    """What must stay: the same courier flow for Shopwave's own purpose (delivery), about
    people it collects directly, and n4 (MarketHub hosting Shopwave's customers for its
    orders) are Shopwave's chain: the CRITICAL transfer and the HIGH sub-processing stay, and
    the flow is on the Art. 30(1) record."""
    for name, scenario, flow in (
        ("delivery", N1_DELIVERY, "pr-hr-host"),
        ("n4", N4, "jc-host"),
    ):
        folder = _shop(tmp_path, scenario, name)
        result = audit_folder(folder)
        assert [
            (f.rule_id, f.code, "/".join(f.element), f.severity.value) for f in result.findings
        ] == [
            ("GDPR-TRANSFER", "no-mechanism", f"flows/{flow}", "critical"),
            ("GDPR-SUBPROCESSING", "not-authorised", f"flows/{flow}", "high"),
        ], name
        assert flow not in result.facts.held_as_controller
        assert "BackupTwo Inc" in _ropa(folder)


def _repo(tmp_path: Path, scenario: str | None) -> tuple[GitRepo, Path]:
    """The shop example (with ``scenario`` as scenario.yaml) committed as the base."""
    require_tool("git")
    map_dir = tmp_path / "map"
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    assert run_gate(["init", str(map_dir), "--example", "shop"]).exit_code == 0
    if scenario is not None:
        (map_dir / "scenario.yaml").write_text(scenario, encoding="utf-8")
    repo.commit()
    return repo, map_dir


def _gate(map_dir: Path) -> GateResult:
    return run_gate(["check", str(map_dir), "--base", "HEAD~1", *AS_OF])


PR_HR_CHANGE = (
    "change to review: reclassified:flows/pr-hr-host: flows/pr-hr-host is now described as "
    "made by parcelrun on its own account, not as the organisation's processing (parcelrun, "
    "one of the organisation's processors, moves what reaches it by no recorded flow, for a "
    "purpose (pr_hr) none of the organisation's processing uses: its own processing as a "
    "controller (EDPB Guidelines 07/2020, paras 80-84){new}): it can clear findings (its "
    "lawful basis, agreement, notice content, transfer, onward and policy ones, and its row "
    "on the Art. 30(1) record: read as the other controller's duties, not the "
    "organisation's) without anything else changing{goes}"
)
GOES = (
    "; with it goes: CRITICAL GDPR-TRANSFER on flows/pr-hr-host (no-mechanism), HIGH "
    "GDPR-SUBPROCESSING on flows/pr-hr-host (not-authorised)"
)


def _changes(result: GateResult) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("change to review:")]


def test_dpo_s3_problem_1_the_gate_a_processor_flow_s_purpose_changed_to_a_new_one(
    tmp_path: Path,
) -> None:
    """The courier's flow for Shopwave's delivery at the base (CRITICAL + HIGH, judged as
    Shopwave's chain); the PR renames its purpose to a new one, pr_hr: the findings go only
    through a reclassification to review, exit 1."""
    repo, map_dir = _repo(tmp_path, N1_DELIVERY)
    (map_dir / "scenario.yaml").write_text(N1, encoding="utf-8")
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [PR_HR_CHANGE.format(new="", goes=GOES)]
    assert "    (NOT ACCEPTED), said at [map/scenario.yaml:10:5]" in result.output


def test_dpo_s3_problem_1_the_gate_a_processor_s_own_flow_created(tmp_path: Path) -> None:
    """The base with n1's drivers, host, purpose and contract but not the payroll flow; the
    PR adds the flow (claiming nothing, so that no other change is listed): a flow new to
    the map that no rule judges is the one change to review, exit 1 (at main the flow was
    judged as Shopwave's: two new findings, a CRITICAL transfer and a HIGH sub-processing)."""
    flow = next(line for line in N1.splitlines(keepends=True) if "{id: pr-hr-host," in line)
    repo, map_dir = _repo(tmp_path, N1.replace(flow, ""))
    (map_dir / "scenario.yaml").write_text(
        N1.replace("encrypted_in_transit: true, ", ""), encoding="utf-8"
    )
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [PR_HR_CHANGE.format(new="; a flow new to the map", goes="")]
    assert "0 new findings (0 at or above low), 0 gone" in result.output


# --- DPO review s3, problem 3: an own collection with no basis is still the organisation's --


def _learnloop_without_basis(tmp_path: Path) -> Path:
    """/tmp/dpo3/n3: the LearnLoop map with basis and assessment taken off teacher-signup."""
    folder = tmp_path / "learnloop"
    shutil.copytree(LEARNLOOP, folder)
    schools = folder / "schools.yaml"
    text = schools.read_text(encoding="utf-8")
    signup = text.index("  - id: teacher-signup")
    tail = text[signup:]
    for line in ("    basis: legitimate_interests\n", "    assessment: lia-newsletter\n"):
        assert line in tail
        tail = tail.replace(line, "", 1)
    schools.write_text(text[:signup] + tail, encoding="utf-8")
    return folder


def test_dpo_s3_problem_3_a_sign_up_with_no_basis_is_still_the_organisation_s_own(
    tmp_path: Path,
) -> None:
    """n3: the sign-up with no basis gets GDPR-BASIS "no Art. 6 lawful basis is named", and
    neither it nor the newsletter sent from it is called the school's data put to a purpose
    of LearnLoop's own (no Art. 28(10), no "documented instruction" of the school)."""
    folder = _learnloop_without_basis(tmp_path)
    result = audit_folder(folder)
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/school-rosters", "schools.yaml", 44, 5),
        ("GDPR-BASIS", "missing", "flows/teacher-signup", "schools.yaml", 79, 5),
        (
            "GDPR-BREACH",
            "processor-no-controller-notice",
            "organisation/learnloop-inc",
            "map.yaml",
            34,
            3,
        ),
        ("GDPR-PROCESSOR", "no-processor-record", "organisation/learnloop-inc", "map.yaml", 14, 1),
        (
            "HYG-STORE-CONTENTS",
            "more-than-declared",
            "flows/teacher-signup",
            "schools.yaml",
            83,
            16,
        ),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/teacher-signup", "schools.yaml", 79, 5),
    ]
    (basis,) = [f for f in result.findings if f.rule_id == "GDPR-BASIS"]
    assert basis.message == "no Art. 6 lawful basis is named"
    code = run(["check", str(folder), *AS_OF])
    assert code.exit_code == 1
    assert "6 findings (1 critical, 1 high, 4 medium, 0 low, 0 info)" in code.output
    assert "Art. 28(10)" not in code.output
    assert "documented instruction" not in code.output


#: /tmp/dpo3/n6: scenario 43 (Concero's own pupil log-ins into its CRM) with no basis.
PUPIL_LOGINS_NO_BASIS = """flows:
  - id: pupil-logins
    from: concero
    to: crm
    categories: [contact.name, contact.email]
    subjects: [pupils]
    purpose: identify_service_users
    encrypted_in_transit: true
    notice: N-PURPOSE
"""

CONTROLLER = (
    "Concero holds them as a controller (the map does not record this data reaching it only "
    "as the school's processor), which contradicts the notice's statement that it holds no "
    "data on pupils, students or parents (N-PUPILS); amend the notice or stop the processing "
    "(UK GDPR Art. 5(1)(a), Art. 5(2)); as their controller Concero must itself tell pupils and "
    "parents (Art. 13/14) and rest the processing on a lawful basis fit for children's data "
    "(see GDPR-BASIS)"
)


def test_dpo_s3_problem_3_concero_s_own_pupil_log_ins_with_no_basis_are_its_own(
    tmp_path: Path,
) -> None:
    """n6: pupil-logins and the CRM it fills keep the controller wording (as with a basis,
    scenario 43), and GDPR-BASIS asks Concero's own basis; school-server-work keeps the
    processor wording."""
    folder = concero_with(tmp_path, PUPIL_LOGINS_NO_BASIS)
    systems = folder / "systems.yaml"
    text = systems.read_text(encoding="utf-8")
    crm = text.index("  - id: crm")
    systems.write_text(
        text[:crm]
        + text[crm:].replace("subjects: [customer_staff]", "subjects: [customer_staff, pupils]", 1),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    pupils = {
        "/".join(f.element): f.message
        for f in result.findings
        if f.rule_id == "CONCERO-PUPILS" and f.code == "subject"
    }
    assert pupils["flows/pupil-logins"] == f"carries data about Pupils: {CONTROLLER}"
    assert pupils["systems/crm"] == f"store holds data about Pupils: {CONTROLLER}"
    assert "Concero handles them as the school's processor" in pupils["flows/school-server-work"]
    assert [
        (f.rule_id, f.code, f.message)
        for f in result.findings
        if f.element == ("flows", "pupil-logins")
    ] == [
        ("CONCERO-PUPILS", "subject", f"carries data about Pupils: {CONTROLLER}"),
        ("GDPR-BASIS", "missing", "no Art. 6 lawful basis is named"),
    ]
    assert len(result.findings) == 60  # the shipped 57, and pupil-logins' two, and the CRM's


# --- attack review s3, problem 2: the school's sub-processors stay named -------------------

SUB_PROCESSORS = (
    "it must authorise the 4 sub-processors the controller's data may reach (Art. 28(2)): "
    "Zendesk, Inc. (helpdesk-tickets), US hosting provider (not named) (hosting-us), EEA "
    "hosting provider (not named) (hosting-eea), UK hosting provider (not named) (hosting-uk)"
)
MIS = (
    "this flow may carry the controller's data (All data held on a customer's network, about "
    "Pupils, Students, Parents)"
)

#: Branch a1: Concero's own engineer notes, for sla_support, about the school's people.
ENGINEER_NOTES = """flows:
  - id: engineer-notes
    from: concero
    to: support-notes
    categories: [customer_network, contact, support, credentials]
    subjects: [customer_staff, pupils, students, parents]
    purpose: sla_support
    basis: contract
    encrypted_in_transit: true
    notice: N-INSTALL
systems:
  - id: support-notes
    name: Engineer notes
    owner: concero
    country: GB
    categories: [customer_network, contact, support, credentials]
    subjects: [customer_staff, pupils, students, parents]
    encrypted_at_rest: true
    retention_days: 30
    retention_justification: support
    notice: N-INSTALL
"""

#: Branch e1, with a purpose of Concero's own (contractual_obligations) for the inbound flow.
SCHOOL_REFERRALS = """flows:
  - id: school-referrals
    from: customer-schools
    to: crm
    categories: [customer_network]
    subjects: [pupils, students, parents]
    purpose: contractual_obligations
    basis: contract
    notice: N-INSTALL
"""


def _processor_findings(result: AuditResult) -> dict[str, str]:
    return {
        f.element[1]: f.message
        for f in result.findings
        if "GDPR-PROCESSOR" in f.rule_ids
        and f.element in (("flows", "school-server-work"), ("flows", "mis-third-party-support"))
    }


def test_attack_s3_problem_2_an_own_collection_leaves_the_school_s_sub_processors_named(
    tmp_path: Path,
) -> None:
    """a1: the own collection engineer-notes does not turn what hosting-us/eea/uk and the MIS
    support flow only may carry (the school's network data about pupils) into Concero's own
    copy: school-server-work still names the 4 sub-processors and the MIS support HIGH
    stays, as on the shipped map."""
    result = audit_folder(concero_with(tmp_path, ENGINEER_NOTES))
    found = _processor_findings(result)
    assert SUB_PROCESSORS in found["school-server-work"]
    assert MIS in found["mis-third-party-support"]
    (mis,) = [
        f
        for f in result.findings
        if f.element == ("flows", "mis-third-party-support") and "GDPR-PROCESSOR" in f.rule_ids
    ]
    assert (mis.rule_ids, mis.code, mis.severity.value) == (
        ("GDPR-PROCESSOR", "GDPR-AGREEMENT"),
        "subprocessor-not-authorised",
        "high",
    )


def test_attack_s3_problem_2_data_received_for_another_purpose_stays_on_the_chain(
    tmp_path: Path,
) -> None:
    """e1 with the inbound flow for a purpose of Concero's own (contractual_obligations):
    the school's network data it also receives in its own right for another purpose stays
    the school's along the sub-processing chain (``Entrusted.reached``), so the MIS support
    firm is again named as a sub-processor the school must authorise (at main: no finding).
    It stays off the school's data for the Art. 30 records (``categories``), as before."""
    result = audit_folder(concero_with(tmp_path, SCHOOL_REFERRALS))
    entrusted = result.facts.entrusted["customer-schools"]
    assert entrusted.reached == frozenset({"customer_network"})
    assert entrusted.categories == frozenset()
    found = _processor_findings(result)
    assert found["mis-third-party-support"].startswith(
        "Customer schools (controller) → Concero Technology Services (processor) → "
        "Third-party MIS support firm (not named) (role not recorded): this flow may carry the "
        "controller's data (All data held on a customer's network); if Third-party MIS support "
        "firm (not named) acts as a processor, Customer schools must authorise it as a "
        "sub-processor in a signed Art. 28 contract with Concero Technology Services that "
        "allows sub-processing (Art. 28(2)), and none does"
    )


def test_attack_s3_problem_2_the_shipped_map_is_unchanged() -> None:
    """The shipped map: the same 57 findings, the same sub-processor wording."""
    result = run(["check", *AS_OF])
    assert "57 findings (3 critical, 11 high, 39 medium, 4 low, 0 info)" in result.output
    assert SUB_PROCESSORS in result.output
    assert MIS in result.output
    assert result.exit_code == 1
