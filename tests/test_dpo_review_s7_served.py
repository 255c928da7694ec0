"""A controller the organisation serves as processor decides its purposes only for its own
data, and a purpose another party decides is never the organisation's collection (DPO
review s7, problems 1 and 2).

- m2: an affiliate's sign-ups for MarketHub's own promotions (``controller: jc``) into a
  store at MarketHub's host that also holds the shop's subscribers were read as the shop's
  inbound collection (a false CRITICAL transfer, HIGH consent, MEDIUM opt-out, MarketHub's
  members on the shop's Art. 30(1) record); n10 (DPO review s6), without the shop's flow
  into the store, is the control.
- m3d, m3b, m3: Storefront, the shop's platform, gives the shop's own customers to the
  courier (or to BigCo) for BigCo's gift campaign, BigCo being a client the shop serves as
  processor: no Art. 28(10) finding (m3d), a contract finding instead (m3b), and a row of
  the shop's Art. 30(1) record (m3). m4 and m4b, BigCo's gift recipients for BigCo's
  purpose, are the controls.

The scenarios are the reviewer's own (/tmp/dpo7): the shop example with its scenario.yaml.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from flowaudit.reports.ropa import build_ropa
from tests.helpers import GitRepo, audit_folder, run_gate, shop_scenario

FIXTURES = Path(__file__).parent / "fixtures"
DPO = FIXTURES / "dpo_s7"
AS_OF = ["--as-of", "2026-11-25"]


def _dpo(tmp_path: Path, name: str, folder: Path = FIXTURES / "dpo_s7") -> Path:
    return shop_scenario(tmp_path / name, folder / f"{name}.yaml")


def _found(folder: Path) -> list[tuple[str, str, str, str]]:
    """(rule ids, code, severity, element) of every finding, in report order."""
    return [
        (" + ".join(f.rule_ids), f.code, f.severity.value, "/".join(f.element))
        for f in audit_folder(folder).findings
    ]


def _rows(folder: Path) -> list[str]:
    return [row.purpose_id for row in build_ropa(audit_folder(folder)).rows]


PROCESSOR_MEDIUMS = [
    ("GDPR-BREACH", "processor-no-controller-notice", "medium", "organisation/shopwave"),
    ("GDPR-PROCESSOR", "no-processor-record", "medium", "organisation/shopwave"),
]


# DPO review s7, problem 1


def test_problem_1_a_third_partys_flow_for_another_controllers_purpose_is_not_ours(
    tmp_path: Path,
) -> None:
    """m2: the store also holding the shop's subscribers (jc-send) no longer makes the
    affiliate's sign-ups for MarketHub's purpose the shop's collection: only the 5 findings
    the reviewer signed, none on aff-signups, and MarketHub's members off the record."""
    m2 = _dpo(tmp_path, "m2")
    assert _found(m2) == [
        ("GDPR-TRANSFER", "no-mechanism", "critical", "flows/jc-send"),
        ("GDPR-BASIS + PECR-MARKETING-CONSENT", "purpose-not-consented", "high", "flows/jc-send"),
        ("GDPR-BASIS + PECR-MARKETING-CONSENT", "purpose-not-consented", "high", "flows/sw-promo"),
        ("GDPR-SUBPROCESSING", "not-authorised", "high", "flows/jc-send"),
        ("GDPR-RETENTION", "not-recorded", "medium", "systems/p2-mailer"),
    ]
    result = audit_folder(m2)
    assert result.facts.flow("aff-signups").direction == "onward"
    assert result.facts.flow("jc-send").direction == "onward"
    assert "aff-signups" in result.facts.held_as_controller
    assert "hub_promos" not in _rows(m2)
    # the control, n10 (DPO review s6): unchanged
    n10 = _dpo(tmp_path, "n10", FIXTURES / "dpo_s6")
    assert _found(n10) == [
        ("GDPR-BASIS + PECR-MARKETING-CONSENT", "purpose-not-consented", "high", "flows/sw-promo")
    ]
    assert "aff-signups" in audit_folder(n10).facts.held_as_controller


# DPO review s7, problem 2


def test_problem_2_the_shops_customers_for_a_served_clients_purpose_infringe(
    tmp_path: Path,
) -> None:
    """m3d (a signed contract between the processors) and m3b (none): one Art. 28(10) HIGH
    on sf-to-courier, no contract finding, and no "BigCo staff gifts" row of the shop's
    Art. 30(1) record."""
    for name in ("m3d", "m3b"):
        folder = _dpo(tmp_path, name)
        assert _found(folder) == [
            ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "high", "flows/sf-to-courier"),
            *PROCESSOR_MEDIUMS,
        ], name
        result = audit_folder(folder)
        assert result.facts.outside_instructions == frozenset({"sf-to-courier"}), name
        assert "bigco_gifts" not in _rows(folder), name


def test_problem_2_the_shops_customers_given_to_the_served_client_are_off_the_record(
    tmp_path: Path,
) -> None:
    """m3: the Art. 28(10) HIGH on sf-to-bigco stays (signed); the row goes, as n4b's did."""
    m3 = _dpo(tmp_path, "m3")
    assert _found(m3) == [
        ("GDPR-SUBPROCESSING", "disclosure-outside-instructions", "high", "flows/sf-to-bigco"),
        *PROCESSOR_MEDIUMS,
    ]
    assert audit_folder(m3).facts.outside_instructions == frozenset({"sf-to-bigco"})
    assert "bigco_gifts" not in _rows(m3)


def test_problem_2_the_clients_own_data_for_its_purpose_stays_exempt(tmp_path: Path) -> None:
    """m4 and m4b, the controls: BigCo's gift recipients for BigCo's purpose are processed
    on BigCo's instructions down the chain; no Art. 28(10) finding, no Art. 30(1) row."""
    m4 = _dpo(tmp_path, "m4")
    assert _found(m4) == PROCESSOR_MEDIUMS
    m4b = _dpo(tmp_path, "m4b")
    # the platform's labels to the courier the shop engaged itself under parcelrun-dpa ask
    # no platform-courier contract (lawyer review s12, problem 4)
    assert _found(m4b) == [
        *PROCESSOR_MEDIUMS,
        ("HYG-STORE-CONTENTS", "more-than-declared", "medium", "flows/gift-store"),
    ]
    for folder in (m4, m4b):
        assert audit_folder(folder).facts.outside_instructions == frozenset()
        assert "bigco_gifts" not in _rows(folder)


def test_problem_2_giving_the_shops_customers_to_the_clients_purpose_in_a_pr(
    tmp_path: Path,
) -> None:
    """The gate (/tmp/dpo7/gate): m4b, then sf-labels' subjects changed from the gift
    recipients to the shop's customers. It gave only the contract finding's code change and
    no change to review; now a new Art. 28(10) finding and a change to review."""
    root = tmp_path / "repo"
    folder = _dpo(root, "m4b")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "scenario.yaml",
        "categories: [contact.name, contact.address], subjects: [gift_recipients], "
        "purpose: bigco_gifts, basis: contract, agreement: parcelrun-dpa",
        "categories: [contact.name, contact.address], subjects: [customers], "
        "purpose: bigco_gifts, basis: contract, agreement: parcelrun-dpa",
    )
    result = run_gate(["check", str(folder), *AS_OF, "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("change to review: reclassified:flows/sf-labels") for line in lines
    ), result.stdout
    assert any(
        line.startswith(
            "FAIL: 1 new finding at or above low against HEAD: GDPR-SUBPROCESSING "
            "flows/sf-labels (purpose-outside-instructions); 1 change to review not "
            "accepted: reclassified:flows/sf-labels"
        )
        for line in lines
    ), result.stdout
