"""The PR gate against the attack review of 2026-12-03y: a flow newly read as not the
organisation's own processing (another controller's own export, a return to its controller)
took its findings with it and no change to review said so, or the change that did named the
wrong cause. The gate compares the sets the map's facts give at the base and at HEAD
(``others_own_flows``, ``held_as_controller``, ``returned``, ``processed_for``), whatever
puts a flow in them. Each test failed before its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool
from tests.security.test_gate_attack_x import (
    BRAND_SWAP,
    NETWORK_COPY,
    RETURN_CLEARS,
    Repo,
    _brand_shop,
    _changes,
)

# --- problem 2: a flow new to the map read as a return, or as made for a controller -----


def test_a_renamed_flow_read_as_a_return_is_a_reclassification(tmp_path: Path) -> None:
    """Attack review 2026-12-03y, problem 2a (b7b): the disclosure renamed and given the
    intake's purpose (and its encryption claim dropped) was read as a return of BrandCo's
    own data: its LOW went as "removed", and the gate said PASS with 0 changes to review,
    where the same edit without the rename is a reclassification. A flow absent at the base
    is compared too."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo")
    repo.edit_flow("brand-list-swap", "    encrypted_in_transit: true\n", "")
    repo.edit_flow("brand-list-swap", "purpose: customer_service", "purpose: delivery")
    repo.edit_flow("brand-list-swap", "id: brand-list-swap", "id: brand-list-return")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        "change to review: reclassified:flows/brand-list-return: flows/brand-list-return is "
        "now described as giving brandco back its own data, as its processor (inferred, no "
        "on_behalf_of says so: its purpose 'delivery' is one brandco gives the organisation; "
        "a flow new to the map): " + RETURN_CLEARS.format(rules="HYG-NOTICE-CLAUSE")
    ], result.output


def test_a_new_flow_read_as_a_return_names_the_rules_it_leaves(tmp_path: Path) -> None:
    """Attack review 2026-12-03y, problem 2b (b8): on the shipped map, a new copy of a
    school's network data sent to the school for the school's own intake purpose
    (sla_support) was read as a return: the HIGH CONCERO-INSTALL-OFFSITE (N-INSTALL) it
    would have had was never reported, and no line said why. The reading is its own
    change, naming the rules it sets aside."""
    require_tool("git")
    repo = Repo(tmp_path / "repo")
    shutil.copytree(shipped_map_dir(), repo.files)
    repo.start()
    (repo.files / "zz-extra.yaml").write_text(
        NETWORK_COPY.replace("purpose: contractual_obligations", "purpose: sla_support"),
        encoding="utf-8",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result)[-1] == (
        "change to review: reclassified:flows/network-copy-to-school: "
        "flows/network-copy-to-school is now described as giving customer-schools back its "
        "own data, as its processor (inferred, no on_behalf_of says so: its purpose "
        "'sla_support' is one customer-schools gives the organisation; a flow new to the "
        "map): "
        + RETURN_CLEARS.format(
            rules="CONCERO-INSTALL-OFFSITE, CONCERO-SHARE-PERMISSION, HYG-NOTICE-CLAUSE"
        )
    ), result.output
    assert [line.split(": ")[1] for line in _changes(result)] == [
        "claim-changed:flows/network-copy-to-school",
        "notice-exempts:flows/network-copy-to-school",
        "reclassified:flows/network-copy-to-school",
    ], result.output


def test_a_new_flow_whose_on_behalf_of_says_so_is_its_claim_alone(tmp_path: Path) -> None:
    """Problem 2, the limit: a new flow that says ``on_behalf_of: [brandco]`` makes the
    claim the gate lists (a new element's claims included); the reading it says is not
    listed again as a reclassification."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo", "")
    repo.append(
        "flows.yaml",
        BRAND_SWAP.replace(
            "    purpose: customer_service\n    basis:",
            "    purpose: delivery\n    on_behalf_of: [brandco]\n    basis:",
        ),
    )
    result = repo.gate()
    assert [line.split(": ")[1] for line in _changes(result)] == [
        "claim-changed:flows/brand-list-swap"
    ], result.output
