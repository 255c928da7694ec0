"""Parties that are both processor and controller: DPO review x, problems 1 to 3
(DPO review 2026-12-03x).

1. A sub-processor (CloudOne) that is also an independent controller of other data had its
   own flows of that data judged and recorded as Shopwave's (n2: false HIGH GDPR-BASIS and
   CRITICAL GDPR-TRANSFER on p1-own-crm; n2e: a false Art. 30(1) row "School IT service"
   with the school's public task as Shopwave's basis). Whose data a party holds is read from
   the role on the flows that brought it (``MapFacts.capacity``), not from its role.
2. Another controller's own flows went on Shopwave's Art. 30(1) record and were judged by the
   transfer rule as its transfers (n2c): the record, the transfer rule and the onward rule
   read ``MapFacts.held_as_controller``, the part of ``others_own_flows`` the basis, agreement
   and notice rules skip that is not a processor's disclosure.
3. One sub-processor flow carrying the school's pupils and Shopwave's customers (n1b) put the
   pupils on Shopwave's 30(1) record with no warning: warned, pupils kept off the 30(1) row.

The scenarios are the reviewer's, verbatim (/tmp/dpo-x/<name>/scenario.yaml): the shop example
with one file, scenario.yaml, added.
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
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo-x"

BASELINE = SHOP_PROCESSOR_BASELINE

ORDERS_SAFEGUARD = SHOP_ORDERS_SAFEGUARD


def _scenario(tmp_path: Path, name: str) -> AuditResult:
    return audit_folder(shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml"))


def _warnings(result: AuditResult, tmp_path: Path) -> list[str]:
    return [w.replace(f"{tmp_path}/", "") for w in result.warnings]


def test_a_sub_processors_own_flow_of_its_own_data_is_not_the_organisations(
    tmp_path: Path,
) -> None:
    """DPO review x, problem 1(a) (n2): CloudOne, Shopwave's sub-processor for the school's
    pupils, backs up the referral list it holds as a controller; no GDPR-BASIS and no
    GDPR-TRANSFER on p1-own-crm, which is not on Shopwave's 30(1) record. The pupils' backup
    stays the school's chain: its transfer judged, on the school's 30(2) row."""
    result = _scenario(tmp_path, "n2")
    facts = result.facts
    assert facts.capacity["p1-own-crm"].kind == "own"
    assert "p1-own-crm" in facts.others_own_flows
    assert "p1-own-crm" in facts.held_as_controller
    assert facts.processed_for(facts.index.flows["p1-backup-pupils"]) == ("school",)
    assert located_findings(result) == [
        (
            "GDPR-TRANSFER",
            "no-mechanism-agreement",
            "flows/p1-backup-pupils",
            "scenario.yaml",
            20,
            5,
        ),
        *BASELINE,
    ]
    assert _warnings(result, tmp_path) == []
    ropa = build_ropa(result)
    assert "school_it" not in [row.purpose_id for row in ropa.rows]
    (orders,) = [row for row in ropa.rows if row.purpose_id == "orders"]
    assert orders.cells["recipients"] == (
        "Storefront Commerce Inc. (processor, US)",
        "CloudOne Ltd (controller, GB)",
    )
    assert orders.cells["flows"] == ("checkout", "referral-list")
    assert orders.cells["safeguards"] == (ORDERS_SAFEGUARD,)
    (school,) = ropa.processor_rows
    assert school.cells["subprocessors"] == (
        "CloudOne Ltd (GB, flow to-p1)",
        "BackupTwo Inc (US, flow p1-backup-pupils)",
    )


def test_a_flow_of_data_held_in_two_capacities_is_warned_and_not_the_organisations(
    tmp_path: Path,
) -> None:
    """DPO review x, problem 1(b) (n2e): the pupils reach CloudOne both from the school as
    its own app provider (controller, school-app) and from Shopwave as sub-processor (to-p1);
    its backup is the school's or CloudOne's, never Shopwave's: no GDPR-BASIS, no 30(1) row
    with the school's public task, and a warning at the flow saying whose it is is unsaid.
    Since DPO review y, problem 1, the flow's transfer, onward hop and Art. 28 contract are
    judged as the chain's (the worse case): it is in ``basis_not_ours``, no longer in
    ``held_as_controller`` (its GB backup host gives no finding)."""
    result = _scenario(tmp_path, "n2e")
    facts = result.facts
    assert facts.capacity["p1-backup-pupils"].kind == "both"
    assert "school-app" in facts.held_as_controller
    assert "p1-backup-pupils" not in facts.held_as_controller
    assert "p1-backup-pupils" in facts.basis_not_ours
    assert located_findings(result) == BASELINE
    assert _warnings(result, tmp_path) == [
        "n2e/scenario.yaml:19:5: flow 'p1-backup-pupils' moves what reaches CloudOne Ltd both "
        "as a controller (flows school-app) and otherwise (flows to-p1), so whose processing "
        "it is cannot be told: its transfers, onward hops and Art. 28 contract are judged as "
        "the organisation's or its processors' (the worse case), its lawful basis and notice "
        "are not asked, and it is not recorded on its Art. 30(1) record; say whose processing "
        "this is (split it into one flow per capacity)"
    ]
    ropa = build_ropa(result)
    assert "school_it" not in [row.purpose_id for row in ropa.rows]
    assert all("school-app" not in row.cells["flows"] for row in ropa.rows)
    assert all(not any("Public task" in basis for basis in row.cells["basis"]) for row in ropa.rows)


def test_another_controllers_own_export_is_not_the_organisations_transfer_nor_on_its_record(
    tmp_path: Path,
) -> None:
    """DPO review x, problem 2 (n2c): CloudOne, only a controller, backs its list up to its
    US processor; before, a CRITICAL GDPR-TRANSFER and BackupTwo with the IDTA on Shopwave's
    30(1) row "Taking and fulfilling orders". Neither the transfer rule nor the onward rule
    judges the hop now (the onward rule reported it as soon as the transfer rule stopped)."""
    result = _scenario(tmp_path, "n2c")
    assert located_findings(result) == BASELINE
    assert _warnings(result, tmp_path) == []
    (orders,) = [row for row in build_ropa(result).rows if row.purpose_id == "orders"]
    assert orders.cells["recipients"] == (
        "Storefront Commerce Inc. (processor, US)",
        "CloudOne Ltd (controller, GB)",
    )
    assert orders.cells["safeguards"] == (ORDERS_SAFEGUARD,)
    assert orders.cells["flows"] == ("checkout", "referral-list")


def test_a_flow_mixing_a_controllers_data_and_the_organisations_is_warned(
    tmp_path: Path,
) -> None:
    """DPO review x, problem 3 (n1b): one backup of the school's pupils and Shopwave's
    customers is judged as Shopwave's (its GDPR-BASIS stands, for the customers' part), but
    says so at the flow, and the pupils and their records stay off the 30(1) row (they are
    on the school's 30(2) row)."""
    result = _scenario(tmp_path, "n1b")
    assert result.facts.capacity["p1-backup-all"].kind == "mixed"
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup-all", "scenario.yaml", 19, 5),
        ("GDPR-BASIS", "missing", "flows/p1-backup-all", "scenario.yaml", 19, 5),
        (
            "GDPR-PROCESSOR",
            "subprocessor-not-authorised",
            "flows/school-in",
            "scenario.yaml",
            16,
            145,
        ),
        *BASELINE,
    ]
    assert _warnings(result, tmp_path) == [
        "n1b/scenario.yaml:19:5: flow 'p1-backup-all' carries both Oak School's data (pupils, "
        "brought by flows to-p1) and other data (brought by flows own-to-p1): it is judged as "
        "the organisation's own processing, and pupils, pupil_records are kept off its "
        "Art. 30(1) record; split it: part of it is Oak School's processing"
    ]
    ropa = build_ropa(result)
    (school_it,) = [row for row in ropa.rows if row.purpose_id == "school_it"]
    assert school_it.cells["subjects"] == ("Customers",)
    assert school_it.cells["categories"] == ("Name (contact.name)", "Email address (contact.email)")
    assert school_it.cells["flows"] == ("p1-backup-all",)
    (school,) = ropa.processor_rows
    assert school.cells["subjects"] == ("Pupils",)
    assert school.cells["flows"] == ("school-in", "to-p1", "p1-backup-all")


def test_separate_flows_of_each_capacity_are_judged_each_on_its_record(tmp_path: Path) -> None:
    """DPO review x, control n1 (signed): separate backups of the pupils and of Shopwave's
    own customers are not read as two capacities: no warning, each transfer judged, the
    customers' backup on the 30(1) row, the pupils' on the school's 30(2) row."""
    result = _scenario(tmp_path, "n1")
    assert result.facts.capacity == {}
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup-own", "scenario.yaml", 20, 5),
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup-pupils", "scenario.yaml", 19, 5),
        *BASELINE,
    ]
    assert _warnings(result, tmp_path) == []
    ropa = build_ropa(result)
    (orders,) = [row for row in ropa.rows if row.purpose_id == "orders"]
    assert orders.cells["flows"] == ("checkout", "own-to-p1", "p1-backup-own")
    (school,) = ropa.processor_rows
    assert school.cells["flows"] == ("school-in", "to-p1", "p1-backup-pupils")


def test_a_store_fed_by_an_independent_controller_is_a_collection_its_export_its_own(
    tmp_path: Path,
) -> None:
    """DPO review x, n5 (signed but for problem 2): CloudOne, a controller, backs its list up
    to its US processor (no longer a CRITICAL GDPR-TRANSFER on Shopwave) and sends referral
    results into Shopwave's store: a collection from a third party, its basis asked."""
    result = _scenario(tmp_path, "n5")
    assert located_findings(result) == [
        ("GDPR-BASIS", "missing", "flows/referral-back", "scenario.yaml", 21, 5),
        *BASELINE,
    ]
    (orders,) = [row for row in build_ropa(result).rows if row.purpose_id == "orders"]
    assert orders.cells["flows"] == ("checkout", "referral-list", "referral-back")
    assert orders.cells["safeguards"] == (ORDERS_SAFEGUARD,)
