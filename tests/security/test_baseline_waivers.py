"""Waivers bound to what they were approved for (attacker review 2026-12-02, items 2 and 8):
a waiver of the base that covers another problem in the pull request is a change to review,
and a waiver naming a secondary rule of a merged finding waives nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import line_of, require_tool, run
from tests.security.test_baseline_attacks import Repo
from tests.security.test_baseline_claims import CN_WAREHOUSE, SHOP_ORDERS, Shop

AS_OF = "2026-11-25"


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    require_tool("git")
    return Shop(tmp_path / "repo")


W_CHECKOUT = """
waivers:
  - id: w-checkout
    rule: GDPR-TRANSFER
    element: flows/checkout
    owner: Priya Shah, privacy lead
    justification: IDTA with the platform being signed
    approved_on: 2026-11-01
    expires_on: 2027-04-30
"""


def _append(shop: Shop, name: str, text: str) -> None:
    path = shop.root / "map" / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_waiver_of_the_base_covering_a_new_destination_is_a_change_to_review(
    shop: Shop,
) -> None:
    shop.allow_critical_waivers()
    _append(shop, "flows.yaml", W_CHECKOUT)
    shop.commit()
    assert shop.gate().exit_code == 0
    _append(shop, "systems.yaml", CN_WAREHOUSE)
    # the orders go to the warehouse instead: the store they went to is gone too (left in
    # the map, no flow would fill it: a new HYG-STORE-SOURCE finding, DPO review 2026-12-03u,
    # problem 4)
    shop.edit("systems.yaml", SHOP_ORDERS, "")
    shop.edit("flows.yaml", "    to: shop-orders\n", "    to: cn-warehouse\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    line = line_of(shop.root / "map" / "flows.yaml", "    rule: GDPR-TRANSFER")
    assert (
        "change to review: waiver-covers-new:w-checkout: waiver 'w-checkout' now covers a "
        "finding it did not cover at the base: no-mechanism: transfer from UK to CN "
        "(Fulfilment warehouse) has no adequacy on 2026-11-25 and no transfer mechanism (at "
        "the base it covered no-mechanism: transfer from UK to US (Order database on the "
        "platform) has no adequacy on 2026-11-25 and no transfer mechanism; US is adequate "
        "only for importers listed under uk_extension)"
    ) in result.output
    assert f"[map/flows.yaml:{line}:5]" in result.output
    assert "0 new findings (0 at or above low)" in result.output
    accepted = shop.gate(
        "--accept-change",
        result.pinned("waiver-covers-new:w-checkout"),
        "--accept-change",
        result.pinned("claim-changed:systems/cn-warehouse"),  # its encrypted_at_rest
    )
    assert accepted.exit_code == 0, accepted.output


def test_a_waiver_that_matched_nothing_at_the_base_and_now_covers_is_a_change_to_review(
    shop: Shop,
) -> None:
    """A dormant waiver planted in one pull request, woken by the next."""
    shop.allow_critical_waivers()
    _append(shop, "flows.yaml", W_CHECKOUT.replace("flows/checkout", "flows/parcel-labels"))
    shop.commit()
    _append(shop, "systems.yaml", CN_WAREHOUSE)
    shop.edit("flows.yaml", "    to: parcelrun\n", "    to: cn-warehouse\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: waiver-covers-new:w-checkout: waiver 'w-checkout' now covers a "
        "finding it did not cover at the base: no-mechanism: transfer from UK to CN "
        "(Fulfilment warehouse) has no adequacy on 2026-11-25 and no transfer mechanism (at "
        "the base it covered nothing)"
    ) in result.output


def test_the_same_waived_finding_is_no_change_to_review(shop: Shop) -> None:
    _append(shop, "flows.yaml", W_CHECKOUT)
    shop.commit()
    shop.edit("flows.yaml", "    purpose: orders\n", "    purpose: orders\n    description: x\n")
    result = shop.gate()
    assert result.exit_code == 0, result.output
    assert "0 changes to review" in result.output


WAIVER_OF = """\
waivers:
  - id: w-notice-wording
    rule: {rule}
    element: flows/marketing-contacts
    owner: Jane Doe, DPO
    justification: Notice wording under review
    approved_on: 2026-11-01
    expires_on: 2027-03-31
"""


def _concero_with_waiver(tmp_path: Path, rule: str) -> tuple[Path, Path]:
    folder = tmp_path / "data-map"
    shutil.copytree(shipped_map_dir(), folder)
    waivers = folder / "waivers.yaml"
    waivers.write_text(WAIVER_OF.format(rule=rule), encoding="utf-8")
    return folder, waivers


def test_a_waiver_of_a_secondary_rule_does_not_waive_the_merged_finding(tmp_path: Path) -> None:
    """Review item 8: CONCERO-MARKETING-CONSENT (the notice's promise) seconds GDPR-BASIS (the
    law, which leads) on flows/marketing-contacts; waiving the notice rule must not silence
    the law. (The merged transfer finding this test waived before is critical, which no
    waiver covers: DPO review 2026-12-03o, problem 5.)"""
    folder, waivers = _concero_with_waiver(tmp_path, "CONCERO-MARKETING-CONSENT")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    (merged,) = [
        ln
        for ln in result.output.splitlines()
        if "HIGH GDPR-BASIS + CONCERO-MARKETING-CONSENT (N-MARKETING, N-PURPOSE) "
        "flows/marketing-contacts:" in ln
    ]
    assert "[waived" not in merged
    assert (
        f"waivers.yaml:{line_of(waivers, 'rule:')}:5 HIGH HYG-WAIVER waivers/w-notice-wording: "
        "waiver of CONCERO-MARKETING-CONSENT on flows/marketing-contacts covers nothing: "
        "CONCERO-MARKETING-CONSENT only seconds the finding there, which GDPR-BASIS + "
        "CONCERO-MARKETING-CONSENT establish (high); a waiver of it names its leading rule, "
        "GDPR-BASIS"
    ) in result.output
    # the map's findings stay; the waiver adds its own finding
    assert "58 findings (3 critical, 12 high, 39 medium, 4 low, 0 info), 0 waived" in (
        result.output
    )
    document = json.loads(run(["check", str(folder), "--as-of", AS_OF, "--format", "json"]).output)
    (finding,) = [
        f
        for f in document["findings"]
        if f["element"] == {"collection": "flows", "id": "marketing-contacts"}
        and f["rule_id"] == "GDPR-BASIS"
    ]
    assert (finding["also_rules"], finding["waiver"]) == (["CONCERO-MARKETING-CONSENT"], None)


def test_a_waiver_of_the_leading_rule_waives_the_merged_finding(tmp_path: Path) -> None:
    folder, _ = _concero_with_waiver(tmp_path, "GDPR-BASIS")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "56 findings (3 critical, 10 high, 39 medium, 4 low, 0 info), 1 waived" in (
        result.output
    )
    assert "HYG-WAIVER" not in result.output


def test_no_waiver_covers_a_critical_finding(tmp_path: Path) -> None:
    """DPO review 2026-12-03o, problem 5: a waiver in date of a transfer with no Chapter V
    ground (Privacy Shield, invalid since 2020-07-16) turned the run to PASS; a transfer with
    no ground is unlawful on every day it runs, and accepting the risk does not change that.
    The finding stays open and the waiver is reported where it is written."""
    folder, waivers = _concero_with_waiver(tmp_path, "GDPR-TRANSFER")
    waivers.write_text(
        waivers.read_text(encoding="utf-8").replace("flows/marketing-contacts", "flows/hosting-us"),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "58 findings (3 critical, 12 high, 39 medium, 4 low, 0 info), 0 waived" in (
        result.output
    )
    assert (
        f"waivers.yaml:{line_of(waivers, 'rule:')}:5 HIGH HYG-WAIVER waivers/w-notice-wording: "
        "waiver of GDPR-TRANSFER on flows/hosting-us covers nothing: the finding there is "
        "critical, and a waiver accepts findings up to high only; fix the finding (a risk "
        "acceptance does not make the processing lawful)"
    ) in result.output


def test_the_gate_says_what_a_new_waiver_hides(tmp_path: Path) -> None:
    """Under --base the waiver's review line names what it covers: a waiver of the notice
    rule covers nothing (and is a new HYG-WAIVER finding), one of the law names the law."""
    require_tool("git")
    repo = Repo(tmp_path / "repo")
    waivers = repo.root / "data-map" / "waivers.yaml"
    waivers.write_text(WAIVER_OF.format(rule="CONCERO-MARKETING-CONSENT"), encoding="utf-8")
    secondary = repo.gate()
    assert secondary.exit_code == 1, secondary.output
    assert (
        "change to review: waiver-added:w-notice-wording: new waiver of "
        "CONCERO-MARKETING-CONSENT on flows/marketing-contacts until 2027-03-31, owner 'Jane "
        "Doe, DPO': Notice wording under review; it covers nothing\n"
    ) in secondary.output
    assert "1 new finding (1 at or above low)" in secondary.output
    waivers.write_text(WAIVER_OF.format(rule="GDPR-BASIS"), encoding="utf-8")
    leading = repo.gate()
    assert leading.exit_code == 1, leading.output
    assert (
        "change to review: waiver-added:w-notice-wording: new waiver of GDPR-BASIS on "
        "flows/marketing-contacts until 2027-03-31, owner 'Jane Doe, DPO': Notice wording "
        "under review; it covers GDPR-BASIS + CONCERO-MARKETING-CONSENT (high) "
        "no-consent-record: consent is the basis but no consent record shows how it was "
        "obtained"
    ) in leading.output
    assert "0 new findings (0 at or above low)" in leading.output
