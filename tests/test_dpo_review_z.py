"""Whose processing a party's flow is: DPO review z, problems 1 and 2 (DPO review 2026-12-03z).

1. A "both" flow (the same people reach its sender as a controller, or for another
   controller, and otherwise) was never asked the organisation's lawful basis and was kept
   off its Art. 30(1) record, even where its other side is the organisation's own data: a
   US backup of Shopwave's customers by its processor CloudOne passed with BackupTwo on no
   record (z1a), or carried a CRITICAL on no row (z1b, z1d, z1e). Now, where the other side
   includes the organisation's own data, the flow is asked the basis and recorded on 30(1),
   as z1c (no partner list) always was; where it is only a controller's chain (y3c, n2e),
   nothing changes.
2. A joint controller's flow for a second joint purpose (the newsletter) of people it got
   under the first (orders) was read as its own, unless the newsletter purpose named it in
   ``joint_controllers`` (z4a against z4b). The joint purposes are now read per joint
   controller: every purpose of a joint controller flow into it (and those naming it).
   DPO review s2, problem 2 then kept the people per joint purpose: z4a's newsletter is joint
   about its subscribers only, so jc-host-cross (customers) is MarketHub's own again; z4b,
   whose newsletter names MarketHub, is joint about anyone and keeps the verdict.

The scenarios are the reviewer's, verbatim (/tmp/dpo-z/<name>/scenario.yaml, in
tests/fixtures/dpo_z/): the shop example with one file, scenario.yaml, added; z4b is z4a
with ``joint_controllers: [jc]`` on the newsletter purpose, as the reviewer made it.
"""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import RopaRow, build_ropa
from tests.helpers import SHOP_ORDERS_SAFEGUARD, audit_folder, located_findings, run, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_z"

ORDERS_SAFEGUARD = SHOP_ORDERS_SAFEGUARD
ORDERS_RECIPIENTS = (
    "Storefront Commerce Inc. (processor, US)",
    "CloudOne Ltd (processor, GB)",
    "BackupTwo Inc (processor, US)",
)
NO_SAFEGUARD = "no adequacy on 2026-11-25 and no transfer mechanism"
TRANSFER_TEXT = (
    "transfer from UK to US (BackupTwo Inc) has no adequacy on 2026-11-25 and no transfer "
    "mechanism; US is adequate only for importers listed under uk_extension"
)


def _folder(tmp_path: Path, name: str) -> Path:
    source = "z4a" if name == "z4b" else name
    folder = shop_scenario(tmp_path / name, SCENARIOS / f"{source}.yaml")
    if name == "z4b":  # the newsletter purpose names MarketHub as joint controller
        taxonomy = folder / "taxonomy.yaml"
        text = taxonomy.read_text(encoding="utf-8")
        anchor = "  - id: newsletter\n"
        assert text.count(anchor) == 1
        head, tail = text.split(anchor)
        first, rest = tail.split("\n", 1)
        taxonomy.write_text(
            f"{head}{anchor}{first}\n    joint_controllers: [jc]\n{rest}", encoding="utf-8"
        )
    return folder


def _scenario(tmp_path: Path, name: str) -> AuditResult:
    return audit_folder(_folder(tmp_path, name))


def _exit_code(tmp_path: Path, name: str) -> int:
    return run(["check", str(_folder(tmp_path / "cli", name)), "--as-of", "2026-11-25"]).exit_code


def _warnings(result: AuditResult, tmp_path: Path) -> list[str]:
    return [w.replace(f"{tmp_path}/", "") for w in result.warnings if "flow '" in w]


def _row(result: AuditResult, purpose: str) -> RopaRow:
    (row,) = [row for row in build_ropa(result).rows if row.purpose_id == purpose]
    return row


def _id(result: AuditResult, flow: str, rule: str) -> str:
    """The id of a rule's finding on a flow, as the record's findings cell opens."""
    (found,) = [f for f in result.findings if f.element == ("flows", flow) and rule in f.rule_ids]
    return found.finding_id


def _both_warning(name: str, line: int, capacity: str) -> str:
    return (
        f"{name}/scenario.yaml:{line}:5: flow 'p1-backup' moves what reaches CloudOne Ltd both "
        f"{capacity} (flows partner-list) and as the organisation's data (flows own-to-p1), so "
        "whose processing it is cannot be told: it is judged as the organisation's own "
        "processing (the worse case), by the transfer, onward, Art. 28 and notice rules, its "
        "lawful basis being the one the organisation's own flow for purpose 'orders' names, "
        "and it is recorded on its Art. 30(1) record; say whose processing this is (split it "
        "into one flow per capacity)"
    )


def _asked_and_recorded(result: AuditResult) -> None:
    held = result.facts.capacity["p1-backup"]
    assert (held.kind, held.ours) == ("both", True)
    assert "p1-backup" not in result.facts.held_as_controller
    assert "p1-backup" not in result.facts.basis_not_ours


def test_problem_1_a_both_backup_of_own_customers_with_an_idta_is_asked_and_recorded(
    tmp_path: Path,
) -> None:
    """DPO review z, problem 1 (z1a): CloudOne backs up Shopwave's customers (as its
    processor), whom a partner also sends it as a controller, to the US under a signed IDTA
    with a TRA, and no basis. Before: PASS, exit 0, BackupTwo on no record. Now the orders
    row names BackupTwo, the IDTA and the TRA. DPO review s18: the backup, for Shopwave's
    purpose 'orders', is no longer asked a basis of its own (it was a HIGH "missing"): read as
    Shopwave's processing it rests on own-to-p1's contract (Art. 28(3)(a), 29), read as
    CloudOne's own its basis is CloudOne's duty; the warning still asks whose it is."""
    result = _scenario(tmp_path, "z1a")
    _asked_and_recorded(result)
    assert located_findings(result) == []
    assert _warnings(result, tmp_path) == [_both_warning("z1a", 16, "as a controller")]
    orders = _row(result, "orders")
    assert orders.cells["recipients"] == ORDERS_RECIPIENTS
    assert orders.cells["flows"] == ("checkout", "own-to-p1", "p1-backup")
    assert orders.cells["safeguards"] == (
        ORDERS_SAFEGUARD,
        "US: UK International Data Transfer Agreement (flow p1-backup)",
        "transfer risk assessment p2-tra, completed 2026-03-01, on file (flow p1-backup)",
    )
    assert orders.cells["findings"] == ()
    assert _exit_code(tmp_path, "z1a") == 0


def _critical_on_the_orders_row(result: AuditResult, basis: bool = True) -> None:
    """``basis``: the backup is also asked its basis (a "both" flow, partly CloudOne's own);
    plainly Shopwave's (z1c), it rests on Shopwave's own flow's (lawyer review s17, 2)."""
    orders = _row(result, "orders")
    assert orders.cells["recipients"] == ORDERS_RECIPIENTS
    assert orders.cells["flows"] == ("checkout", "own-to-p1", "p1-backup")
    assert orders.cells["safeguards"] == (
        ORDERS_SAFEGUARD,
        f"US: NO SAFEGUARD for 1 transfer (flow p1-backup): {NO_SAFEGUARD}",
    )
    transfer = (
        f"{_id(result, 'p1-backup', 'GDPR-TRANSFER')} GDPR-TRANSFER (critical, "
        f"flows/p1-backup): {TRANSFER_TEXT}"
    )
    if not basis:
        assert orders.cells["findings"][-1] == transfer
        assert not any("flows/p1-backup): no Art. 6" in cell for cell in orders.cells["findings"])
        return
    assert orders.cells["findings"][-2:] == (
        transfer,
        f"{_id(result, 'p1-backup', 'GDPR-BASIS')} GDPR-BASIS (high, flows/p1-backup): no "
        "Art. 6 lawful basis is named",
    )


def test_problem_1_a_both_backup_with_no_mechanism_is_on_the_orders_row(tmp_path: Path) -> None:
    """DPO review z, problem 1 (z1b): as z1a with no transfer mechanism. Before: the
    CRITICAL alone, on no row of the record. Now the CRITICAL on the orders row; no basis is
    asked of the backup, as of the control z1c (plainly Shopwave's): for Shopwave's purpose,
    it rests on Shopwave's own flow's basis (lawyer review s17, problem 2; DPO review s18:
    it was a HIGH "missing" here)."""
    result = _scenario(tmp_path, "z1b")
    _asked_and_recorded(result)
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup", "scenario.yaml", 16, 5),
    ]
    assert _warnings(result, tmp_path) == [_both_warning("z1b", 16, "as a controller")]
    _critical_on_the_orders_row(result, basis=False)
    assert _exit_code(tmp_path, "z1b") == 1


def test_problem_1_control_the_same_backup_with_no_partner_list(tmp_path: Path) -> None:
    """DPO review z, problem 1, control z1c (signed): no partner list, so plainly Shopwave's:
    the same CRITICAL, on the orders row, and no capacity or warning. No basis is asked of
    CloudOne's backup: plainly Shopwave's data, moved by its processor to a sub-processor
    for Shopwave's purpose, rests on the basis Shopwave's own flow names (Art. 28(3)(a), 29;
    lawyer review s17, problem 2: it was a HIGH "missing"); nor, since DPO review s18, of the
    "both" flows of z1a, z1b, z1d and z1e, whose data is partly CloudOne's own."""
    result = _scenario(tmp_path, "z1c")
    assert "p1-backup" not in result.facts.capacity
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup", "scenario.yaml", 15, 5),
    ]
    assert _warnings(result, tmp_path) == []
    _critical_on_the_orders_row(result, basis=False)
    assert _exit_code(tmp_path, "z1c") == 1


def test_problem_1_plainly_own_people_on_a_both_flow_keep_basis_and_record(
    tmp_path: Path,
) -> None:
    """DPO review z, problem 1 (z1d): as z1b, with subscribers, who reach CloudOne only by
    Shopwave's processor flow, on the same flow. Before: BackupTwo off the orders row. Now
    on it, with the subscribers; the subscribers' contract question stays (own-to-p1's), and
    the backup is asked no basis of its own (DPO review s18)."""
    result = _scenario(tmp_path, "z1d")
    _asked_and_recorded(result)
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup", "scenario.yaml", 16, 5),
        ("GDPR-BASIS", "contract-not-party", "subjects/subscribers", "taxonomy.yaml", 19, 5),
    ]
    assert _warnings(result, tmp_path) == [_both_warning("z1d", 16, "as a controller")]
    _critical_on_the_orders_row(result, basis=False)
    assert _row(result, "orders").cells["subjects"] == ("Customers", "Newsletter subscribers")
    assert _exit_code(tmp_path, "z1d") == 1


def test_problem_1_a_both_flow_with_another_controllers_processor_list(tmp_path: Path) -> None:
    """DPO review z, problem 1 (z1e): as z1b with the partner list sent to CloudOne as
    processor ("another"): the same verdict and record, the warning naming that capacity."""
    result = _scenario(tmp_path, "z1e")
    _asked_and_recorded(result)
    assert located_findings(result) == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/p1-backup", "scenario.yaml", 16, 5),
    ]
    assert _warnings(result, tmp_path) == [
        _both_warning("z1e", 16, "as processor for another controller")
    ]
    _critical_on_the_orders_row(result, basis=False)
    assert _exit_code(tmp_path, "z1e") == 1


#: z4b's findings (the newsletter names MarketHub as joint controller, about anyone); z4a,
#: whose joint newsletter is about its subscribers only, has them but jc-host-cross's
#: transfer and basis (DPO review s2, problem 2).
JOINT_FINDINGS = [
    ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-cross", "scenario.yaml", 14, 5),
    ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-news", "scenario.yaml", 13, 5),
    ("GDPR-TRANSFER", "no-mechanism", "flows/jc-host-orders", "scenario.yaml", 12, 5),
    ("GDPR-BASIS", "no-consent-record", "flows/jc-host-cross", "scenario.yaml", 14, 5),
    (
        "GDPR-BASIS + PECR-MARKETING-CONSENT",
        "no-consent-record",
        "flows/jc-host-news",
        "scenario.yaml",
        13,
        5,
    ),
    (
        "GDPR-BASIS + PECR-MARKETING-CONSENT",
        "no-consent-record",
        "flows/to-jc-news",
        "scenario.yaml",
        11,
        5,
    ),
    ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/jc-host-cross", "scenario.yaml", 14, 5),
    ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/jc-host-news", "scenario.yaml", 13, 5),
    ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/to-jc-news", "scenario.yaml", 11, 5),
]


def test_problem_2_a_joint_controllers_second_joint_purpose_reaches_only_its_own_people(
    tmp_path: Path,
) -> None:
    """DPO review z, problem 2 (z4a), as DPO review s2, problem 2 reads it: MarketHub is
    joint controller for orders (customers) and the newsletter (subscribers); it hosts the
    customers in the US for the newsletter (jc-host-cross), no mechanism. Round z read that
    as the joint processing (CRITICAL transfer, HIGH basis). Joint control for the newsletter
    about its subscribers says nothing of the customers (Art. 26(1); C-40/17 Fashion ID,
    paras 74 and 85): the map records no joint newsletter about them, so jc-host-cross is
    MarketHub's own, as its promotion to its members in DPO review s2's s1 (the same
    structure, the joint flows the other way). jc-host-news, the joint newsletter about its
    subscribers, keeps its CRITICAL on the newsletter row; where the newsletter names
    MarketHub in ``joint_controllers`` (z4b) the customers are joint too. MarketHub's own
    flow is judged by no rule, the PECR opt-out included (DPO review s2, problem 1)."""
    result = _scenario(tmp_path, "z4a")
    assert result.facts.capacity["jc-host-cross"].kind == "own"
    assert "jc-host-cross" in result.facts.held_as_controller
    assert result.facts.capacity["jc-host-own"].kind == "own"
    assert "jc-host-own" in result.facts.held_as_controller
    assert located_findings(result) == [
        row for row in JOINT_FINDINGS if row[2] != "flows/jc-host-cross"
    ]
    newsletter = _row(result, "newsletter")
    assert newsletter.cells["subjects"] == ("Newsletter subscribers",)
    assert newsletter.cells["flows"] == ("newsletter-signup", "to-jc-news", "jc-host-news")
    assert newsletter.cells["safeguards"] == (
        ORDERS_SAFEGUARD,
        f"US: NO SAFEGUARD for 1 transfer (flow jc-host-news): {NO_SAFEGUARD}",
    )
    ropa = build_ropa(result)
    assert "hub_analytics" not in [row.purpose_id for row in ropa.rows]
    assert all("jc-host-own" not in row.cells["flows"] for row in ropa.rows)
    assert all("jc-host-cross" not in row.cells["flows"] for row in ropa.rows)
    assert _exit_code(tmp_path, "z4a") == 1


def test_problem_2_control_the_newsletter_naming_the_joint_controller(tmp_path: Path) -> None:
    """DPO review z, problem 2, control z4b (signed): the newsletter purpose names MarketHub
    in ``joint_controllers``, so the newsletter is joint about anyone (for that purpose only:
    DPO review s2, problem 2): jc-host-cross is the joint processing, CRITICAL transfer and
    HIGH basis, on the newsletter row."""
    result = _scenario(tmp_path, "z4b")
    assert "jc-host-cross" not in result.facts.capacity
    assert result.facts.capacity["jc-host-own"].kind == "own"
    assert located_findings(result) == JOINT_FINDINGS
    assert _exit_code(tmp_path, "z4b") == 1
