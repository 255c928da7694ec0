"""Whose processing a party's flow is, when its data reaches it in several capacities: DPO
review y, problems 1 to 4 (DPO review 2026-12-03y).

1. A flow part of whose data reaches its sender as a controller ("both") was set aside whole:
   a US backup of Shopwave's own customers (y1b) and of the school's chain (y2, y3b, y3e)
   passed. Now "both" is only the same people reaching the sender in both capacities (y3c),
   judged by the transfer, onward and Art. 28 rules as the organisation's or its chain's
   (the worse case); different people in different capacities is "split", judged for the
   part that is the organisation's or its chain's. ``held_as_controller`` holds "own" (and
   "for another") flows only.
2. A joint controller's onward flow for the joint purpose is the joint processing (y6), not
   its own: judged; one for a purpose of its own (y6b, the control) is not.
3. A flow between another controller's processor and its sub-processor, in which Shopwave
   takes no part (y5, y5c), is that controller's processing ("for another"): off the rules and
   Shopwave's Art. 30(1) record.
4. A flow the organisation itself sends mixing a controller's people with its own (y7b, y7a) is
   warned as "mixed", the controller's people kept off the Art. 30(1) record.

The scenarios are the reviewer's, verbatim (/tmp/dpo-y/<name>/scenario.yaml, in
tests/fixtures/dpo_y/): the shop example with one file, scenario.yaml, added. y6b is y6 with
the hosting flow for a purpose of MarketHub's own (hub_analytics), the control problem 2 asks.
"""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import build_ropa
from tests.helpers import (
    SHOP_ORDERS_SAFEGUARD,
    SHOP_PROCESSOR_BASELINE,
    audit_folder,
    located_findings,
    run,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_y"

BASELINE = SHOP_PROCESSOR_BASELINE

ORDERS_SAFEGUARD = SHOP_ORDERS_SAFEGUARD

IDTA_NOT_IN_PLACE = (
    "UK International Data Transfer Agreement needs a signed idta agreement linked as "
    "transfer_agreement; UK International Data Transfer Agreement needs a transfer risk "
    "assessment on file on the audit date, 2026-11-25; link it in assessments"
)


def _folder(tmp_path: Path, name: str) -> Path:
    return shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")


def _scenario(tmp_path: Path, name: str) -> AuditResult:
    return audit_folder(_folder(tmp_path, name))


def _exit_code(tmp_path: Path, name: str) -> int:
    return run(["check", str(_folder(tmp_path / "cli", name)), "--as-of", "2026-11-25"]).exit_code


def _warnings(result: AuditResult, tmp_path: Path) -> list[str]:
    return [w.replace(f"{tmp_path}/", "") for w in result.warnings]


def test_problem_1_own_customers_in_a_flow_with_a_controllers_data_keep_their_transfer(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 1(a) (y1b): CloudOne backs up Shopwave's customers (as its
    processor) and the pupils of the school app it runs as a controller in one flow to a US
    host with no safeguard. Before: 0 findings, PASS, exit 0. Now the CRITICAL transfer
    stands, the basis question is the customers' (contract, so no GDPR-BASIS for the pupils),
    and the orders row lists BackupTwo and the unsafeguarded transfer without the pupils."""
    result = _scenario(tmp_path, "y1b")
    held = result.facts.capacity["p1-backup-all"]
    assert (held.kind, held.held, held.ours, held.chain_categories) == (
        "split",
        ("pupils",),
        True,
        ("pupil_records",),
    )
    assert "p1-backup-all" not in result.facts.held_as_controller
    assert "p1-backup-all" not in result.facts.basis_not_ours
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup-all", "scenario.yaml", 17, 5),
    ]
    assert _warnings(result, tmp_path) == [
        "y1b/scenario.yaml:17:5: flow 'p1-backup-all' carries both what reaches CloudOne Ltd "
        "as a controller (pupils, brought by flows school-app) and other data (brought by "
        "flows own-to-p1): it is judged as the organisation's own processing for the other "
        "data, and pupils, pupil_records are kept off its Art. 30(1) record; split it into "
        "one flow per capacity"
    ]
    (orders,) = [row for row in build_ropa(result).rows if row.purpose_id == "orders"]
    assert orders.cells["subjects"] == ("Customers",)
    assert "Pupil records (pupil_records)" not in orders.cells["categories"]
    assert orders.cells["recipients"] == (
        "Storefront Commerce Inc. (processor, US)",
        "CloudOne Ltd (processor, GB)",
        "BackupTwo Inc (processor, US)",
    )
    assert orders.cells["flows"] == ("checkout", "own-to-p1", "p1-backup-all")
    assert orders.cells["safeguards"] == (
        ORDERS_SAFEGUARD,
        "US: NO SAFEGUARD for 1 transfer (flow p1-backup-all): no adequacy on 2026-11-25 and "
        "no transfer mechanism",
    )
    assert _exit_code(tmp_path, "y1b") == 1


def test_problem_1_control_separate_flows_unchanged(tmp_path: Path) -> None:
    """DPO review y, problem 1, control y1a (signed): separate backups, the customers' one
    CRITICAL, the pupils' one CloudOne's own ("own", set aside)."""
    result = _scenario(tmp_path, "y1a")
    assert result.facts.capacity["p1-backup-pupils"].kind == "own"
    assert "p1-backup-pupils" in result.facts.held_as_controller
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup-own", "scenario.yaml", 18, 5),
    ]
    assert _warnings(result, tmp_path) == []


def test_problem_1_the_schools_chain_in_a_flow_with_a_sub_processors_own_data_is_judged(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 1(b) (y2): CloudOne, Shopwave's sub-processor for the school's
    pupils and a controller of a referral list, backs both up in one flow to the US under an
    IDTA that is not signed. Before: no transfer finding, and the 30(2) row named the IDTA
    with no finding beside it. Now the CRITICAL stands, on the school's 30(2) row; the flow
    is on no 30(1) row and its basis is not asked (the chain's part is the school's)."""
    result = _scenario(tmp_path, "y2")
    held = result.facts.capacity["p1-backup-all"]
    assert (held.kind, held.items, held.held, held.controllers, held.ours) == (
        "split",
        ("pupils",),
        ("customers",),
        ("school",),
        False,
    )
    assert "p1-backup-all" in result.facts.basis_not_ours
    assert "p1-backup-all" not in result.facts.others_own_flows
    assert located_findings(result) == [
        (
            "GDPR-TRANSFER",
            "no-mechanism-agreement",
            "flows/p1-backup-all",
            "scenario.yaml",
            20,
            5,
        ),
        *BASELINE,
    ]
    (critical,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert critical.message == IDTA_NOT_IN_PLACE
    assert _warnings(result, tmp_path) == [
        "y2/scenario.yaml:20:5: flow 'p1-backup-all' carries both what reaches CloudOne Ltd as "
        "a controller (customers, brought by flows referral-list) and Oak School's data "
        "(pupils, brought by flows to-p1): it is judged as Oak School's processing by the "
        "organisation's sub-processors (its transfers, onward hops and Art. 28 contract), its "
        "lawful basis and notice are not asked of the organisation, and it is not recorded on "
        "its Art. 30(1) record; split it into one flow per capacity"
    ]
    ropa = build_ropa(result)
    assert all("p1-backup-all" not in row.cells["flows"] for row in ropa.rows)
    (school,) = ropa.processor_rows
    assert school.cells["subprocessors"] == (
        "CloudOne Ltd (GB, flow to-p1)",
        "BackupTwo Inc (US, flow p1-backup-all)",
    )
    # the CRITICAL flags the IDTA in the cell too (law review y, problem 2)
    assert school.cells["safeguards"] == (
        "US: UK International Data Transfer Agreement (flow p1-backup-all) [NOT VALID on "
        "2026-11-25: no signed transfer agreement linked; no transfer risk assessment on file]",
    )
    assert school.cells["findings"] == (
        f"{_id(result, 'p1-backup-all')} GDPR-TRANSFER (critical, flows/p1-backup-all): "
        f"{IDTA_NOT_IN_PLACE}",
    )
    assert _exit_code(tmp_path, "y2") == 1


def _id(result: AuditResult, flow: str) -> str:
    """The id of the GDPR-TRANSFER finding on a flow, as the record's findings cell opens."""
    (finding,) = [
        f for f in result.findings if f.rule_id == "GDPR-TRANSFER" and f.element == ("flows", flow)
    ]
    return finding.finding_id


def test_problem_1_a_mid_chain_hop_mixing_its_own_clients_is_judged_for_the_chain(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 1(c) (y3b, y3e): BackupTwo, the school's third-tier
    sub-processor, sends its own tutoring clients and the school's pupils in one hop. y3b (US,
    IDTA unsigned): the CRITICAL stands and is on the 30(2) row beside the IDTA. y3e (GB, no
    contract): the HIGH GDPR-AGREEMENT stands, as at d10c24a. Control y3a (separate flows,
    signed): unchanged."""
    y3b = _scenario(tmp_path, "y3b")
    assert y3b.facts.capacity["p2-to-p3"].kind == "split"
    assert located_findings(y3b) == [
        ("GDPR-TRANSFER", "no-mechanism-agreement", "flows/p2-to-p3", "scenario.yaml", 24, 5),
        *BASELINE,
    ]
    (school,) = build_ropa(y3b).processor_rows
    # the CRITICAL flags the IDTA in the cell too (law review y, problem 2)
    assert school.cells["safeguards"] == (
        "US: UK International Data Transfer Agreement (flow p2-to-p3) [NOT VALID on "
        "2026-11-25: no signed transfer agreement linked; no transfer risk assessment on file]",
    )
    assert school.cells["findings"] == (
        f"{_id(y3b, 'p2-to-p3')} GDPR-TRANSFER (critical, flows/p2-to-p3): {IDTA_NOT_IN_PLACE}",
    )
    y3e = _scenario(tmp_path, "y3e")
    assert located_findings(y3e) == [
        ("GDPR-AGREEMENT", "missing", "flows/p2-to-p3", "scenario.yaml", 24, 5),
        *BASELINE,
    ]
    (agreement,) = [f for f in y3e.findings if f.rule_id == "GDPR-AGREEMENT"]
    assert agreement.message == (
        "BackupTwo Ltd (processor) → ArchiveThree Ltd (sub-processor): an Art. 28 contract is "
        "required; none is linked"
    )
    y3a = _scenario(tmp_path, "y3a")
    assert located_findings(y3a) == [
        ("GDPR-TRANSFER", "no-mechanism-agreement", "flows/p2-to-p3", "scenario.yaml", 24, 5),
        *BASELINE,
    ]
    assert _exit_code(tmp_path, "y3b") == 1
    assert _exit_code(tmp_path, "y3e") == 1


def test_problem_1_the_same_people_in_both_capacities_are_judged_as_the_chains(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 1(d) (y3c): BackupTwo holds pupils both as the school's
    sub-processor and as a controller; its pupil flow to the US has no mechanism. Before: no
    finding, and the 30(2) row said NO SAFEGUARD with the findings cell empty. Now the
    transfer is judged as the chain's (the worse case), the warning stays, and the record and
    the check agree."""
    result = _scenario(tmp_path, "y3c")
    assert result.facts.capacity["p2-to-p3"].kind == "both"
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p2-to-p3", "scenario.yaml", 24, 5),
        *BASELINE,
    ]
    assert _warnings(result, tmp_path) == [
        "y3c/scenario.yaml:24:5: flow 'p2-to-p3' moves what reaches BackupTwo Ltd both as a "
        "controller (flows tutees-in) and otherwise (flows p1-to-p2), so whose processing it "
        "is cannot be told: its transfers, onward hops and Art. 28 contract are judged as the "
        "organisation's or its processors' (the worse case), its lawful basis and notice are "
        "not asked, and it is not recorded on its Art. 30(1) record; say whose processing "
        "this is (split it into one flow per capacity)"
    ]
    (school,) = build_ropa(result).processor_rows
    assert school.cells["safeguards"] == (
        "US: NO SAFEGUARD for 1 transfer (flow p2-to-p3): no adequacy on 2026-11-25 and no "
        "transfer mechanism",
    )
    assert school.cells["findings"] == (
        f"{_id(result, 'p2-to-p3')} GDPR-TRANSFER (critical, flows/p2-to-p3): transfer from "
        "UK to US (ArchiveThree Inc) "
        "has no adequacy on 2026-11-25 and no transfer mechanism; US is adequate only for "
        "importers listed under uk_extension",
    )
    assert _exit_code(tmp_path, "y3c") == 1


def test_problem_2_a_joint_controllers_hosting_for_the_joint_purpose_is_judged(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 2 (y6): MarketHub, joint controller of the storefront, hosts the
    joint customers in the US for the joint purpose (orders), no safeguard. Before: 0
    findings, PASS, exit 0. Now judged as the joint processing, as at d10c24a: the CRITICAL
    transfer and the HIGH basis, and BackupTwo with the unsafeguarded transfer on the orders
    row."""
    result = _scenario(tmp_path, "y6")
    assert "jc-host" not in result.facts.capacity
    assert "jc-host" not in result.facts.held_as_controller
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host", "scenario.yaml", 9, 5),
        ("GDPR-BASIS", "missing", "flows/jc-host", "scenario.yaml", 9, 5),
    ]
    assert _warnings(result, tmp_path) == []
    (orders,) = [row for row in build_ropa(result).rows if row.purpose_id == "orders"]
    assert orders.cells["recipients"] == (
        "Storefront Commerce Inc. (processor, US)",
        "MarketHub Ltd (joint_controller, GB)",
        "BackupTwo Inc (processor, US)",
    )
    assert orders.cells["flows"] == ("checkout", "to-jc", "jc-host")
    assert orders.cells["safeguards"] == (
        ORDERS_SAFEGUARD,
        "US: NO SAFEGUARD for 1 transfer (flow jc-host): no adequacy on 2026-11-25 and no "
        "transfer mechanism",
    )
    assert _exit_code(tmp_path, "y6") == 1


def test_problem_2_control_a_joint_controllers_own_purpose_is_its_own(tmp_path: Path) -> None:
    """DPO review y, problem 2, control (y6b): the same hosting flow for MarketHub's own
    analytics (a purpose that is not the joint one) is MarketHub's own: set aside, on no
    30(1) row, PASS."""
    result = _scenario(tmp_path, "y6b")
    assert result.facts.capacity["jc-host"].kind == "own"
    assert "jc-host" in result.facts.held_as_controller
    assert located_findings(result) == []
    ropa = build_ropa(result)
    assert "hub_analytics" not in [row.purpose_id for row in ropa.rows]
    assert all("jc-host" not in row.cells["flows"] for row in ropa.rows)
    assert _exit_code(tmp_path, "y6b") == 0


def test_problem_3_another_controllers_processor_chain_is_not_the_organisations(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 3 (y5c, y5): CloudOne is the school's own processor and backs the
    pupils up to a US host; Shopwave sends it nothing (y5c) or only its own customers (y5).
    Before: CRITICAL GDPR-TRANSFER and HIGH GDPR-BASIS on Shopwave and a "School IT service"
    row on its 30(1) record. Now the backup is the school's processing ("for another"): no
    finding, no 30(1) row, exit 0."""
    for name in ("y5c", "y5"):
        result = _scenario(tmp_path, name)
        assert result.facts.capacity["p1-backup-pupils"].kind == "for another"
        assert "p1-backup-pupils" in result.facts.held_as_controller
        assert located_findings(result) == []
        assert _warnings(result, tmp_path) == []
        ropa = build_ropa(result)
        assert "school_it" not in [row.purpose_id for row in ropa.rows]
        assert ropa.processor_rows == ()
        assert _exit_code(tmp_path, name) == 0
    (orders,) = [row for row in build_ropa(result).rows if row.purpose_id == "orders"]
    assert orders.cells["flows"] == ("checkout", "own-to-p1")


def test_problem_4_the_organisations_own_flow_mixing_a_controllers_people_is_warned(
    tmp_path: Path,
) -> None:
    """DPO review y, problem 4 (y7b, y7a): Shopwave itself sends the school's pupils (held as
    its processor) and its own customers in one flow to a US host. The CRITICAL transfer and
    the HIGH basis stand (for the customers' part), as before; now the flow is warned as
    "mixed" and the pupils and their records are kept off the 30(1) row (they are on the
    school's 30(2) row), with on_behalf_of (y7a, set aside) as without it (y7b)."""
    for name in ("y7b", "y7a"):
        result = _scenario(tmp_path, name)
        held = result.facts.capacity["to-p1-all"]
        assert (held.kind, held.items, held.controllers, held.chain_categories) == (
            "mixed",
            ("pupils",),
            ("school",),
            ("pupil_records",),
        )
        assert located_findings(result) == [
            ("GDPR-TRANSFER", "no-mechanism", "flows/to-p1-all", "scenario.yaml", 15, 5),
            ("GDPR-BASIS", "missing", "flows/to-p1-all", "scenario.yaml", 15, 5),
            *BASELINE,
        ]
        assert _warnings(result, tmp_path)[-1] == (
            f"{name}/scenario.yaml:15:5: flow 'to-p1-all' carries both Oak School's data "
            "(pupils, brought by flows school-in) and the organisation's own data: it is "
            "judged as the organisation's own processing, and pupils, pupil_records are kept "
            "off its Art. 30(1) record; split it: part of it is Oak School's processing"
        )
        ropa = build_ropa(result)
        (school_it,) = [row for row in ropa.rows if row.purpose_id == "school_it"]
        assert school_it.cells["subjects"] == ("Customers",)
        assert school_it.cells["categories"] == (
            "Name (contact.name)",
            "Email address (contact.email)",
        )
        (school,) = ropa.processor_rows
        assert school.cells["subjects"] == ("Pupils",)
        assert school.cells["flows"] == ("school-in", "to-p1-all")
        assert _exit_code(tmp_path, name) == 1
