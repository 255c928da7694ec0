"""The PR gate against attack review s17 (gate-s17): a new disclosure slipped past review on
"legal obligation", the gate's and the Art. 26 grouping's quadratic loops, SARIF's unbounded
``properties.gone``, and the holes the attack found in the pull request's own files and in
the outputs. Each test failed before its fix (the timing ones give the same verdict as the
loops they replaced)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import SHOP_EXAMPLE, GitRepo, require_tool, run_gate

AS_OF = "2026-11-25"

BROKER = """  - id: databroker
    name: Data Broker Ltd
    kind: data_broker
    country: GB
    role: controller
    description: buys customer lists
    notice: PN-RECIPIENTS

"""

SHARE = """
  - id: share-with-broker
    from: shopwave
    to: databroker
    categories: [contact.name, contact.email, orders]
    subjects: [customers]
    purpose: bookkeeping
    basis: {basis}
    notice: PN-RECIPIENTS
"""


def _shop_repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    require_tool("git")
    folder = tmp_path / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    repo = GitRepo(tmp_path, folder)
    repo.git("init", "-q")
    repo.commit()
    return repo, folder


def _add_broker_flow(folder: Path, basis: str) -> None:
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("parties:\n", "parties:\n" + BROKER, 1), "utf-8")
    with (folder / "flows.yaml").open("a", encoding="utf-8") as flows:
        flows.write(SHARE.format(basis=basis))


def test_a_new_disclosure_on_legal_obligation_is_a_claim_to_review(tmp_path: Path) -> None:
    """Problem d: a flow added to a new recipient (a data broker) on legal_obligation passed
    the lawful basis rule on trust and the agreement rule by the basis alone: PASS, exit 0,
    0 changes to review, where the same flow on any other basis failed. The basis is a claim
    the map cannot show (no law is named): a change to review naming what it clears."""
    repo, folder = _shop_repo(tmp_path)
    _add_broker_flow(folder, "legal_obligation")
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:flows/share-with-broker: flows/share-with-broker now "
        "claims basis 'legal_obligation' (was unsaid): it can clear findings (the lawful basis "
        "one: Legal obligation, Art. 6(1)(c) applies only where a law the organisation is "
        "subject to requires this processing (Art. 6(1)(c), 6(3); the map does not name the "
        "law); and the data sharing agreement and processor ones: no agreement is expected of "
        "a disclosure the law requires) and the map cannot show it is true"
    ) in " ".join(result.output.split())
    assert "0 new findings" in result.output


def test_a_new_flow_on_contract_is_no_claim(tmp_path: Path) -> None:
    """Problem d, the other side: a basis whose ground the map judges (contract, with the
    people party to it) is the map's description, not a claim: the new flow fails on its own
    finding (no sharing agreement) and adds no change to review."""
    repo, folder = _shop_repo(tmp_path)
    _add_broker_flow(folder, "contract")
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "claim-changed" not in result.output
    assert "GDPR-AGREEMENT flows/share-with-broker (sharing-missing)" in result.output
