"""The PR gate against the attack review of 2026-12-03x: each problem let a finding, or the
mark that a pass rests on a guess, vanish with no change to review. Each test failed before
its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate

AS_OF = "2026-11-25"


def _changes(result: GateResult) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("change to review")]


class Repo(GitRepo):
    """A map under data-map/ of a git repository; ``gate`` audits it against HEAD."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, root / "data-map")

    def start(self) -> None:
        self.git("init", "-q")
        self.commit("base")

    def append(self, name: str, text: str) -> None:
        path = self.files / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def edit_flow(self, flow: str, old: str, new: str) -> None:
        """Change ``old`` to ``new`` inside one flow's block of flows.yaml."""
        path = self.files / "flows.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index(f"  - id: {flow}\n")
        end = text.find("\n\n", start)
        end = len(text) if end < 0 else end
        block = text[start:end]
        assert old in block, f"{old!r} not in {flow}"
        path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")

    def gate(self, *extra: str) -> GateResult:
        return run_gate(
            [
                "check",
                str(self.files),
                "--as-of",
                AS_OF,
                "--fail-on",
                "low",
                "--base",
                "HEAD",
                *extra,
            ]
        )


# --- problem 1: a flow read as a return to its controller by a purpose edit -------------

BRAND_INTAKE = """
  - id: brand-orders
    from: brandco
    to: shopwave
    categories: [contact.name, contact.address]
    subjects: [brand_customers]
    purpose: delivery
    recipient_role: processor
    agreement: brandco-dpa
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""
BRAND_SWAP = """
  - id: brand-list-swap
    from: shopwave
    to: brandco
    categories: [contact.name, contact.address]
    subjects: [brand_customers]
    purpose: customer_service
    basis: legal_obligation
    encrypted_in_transit: true
"""


def _brand_shop(root: Path, swap: str = BRAND_SWAP) -> Repo:
    """``init --example shop`` with BrandCo, a controller whose customers' orders Shopwave
    fulfils as its processor (the intake, for delivery), and Shopwave's own disclosure of
    them back to BrandCo for customer service (the review's a4 map): its LOW
    HYG-NOTICE-CLAUSE stands at the base."""
    repo = Repo(root)
    assert run(["init", str(repo.files), "--example", "shop"]).exit_code == 0
    repo.edit(
        "taxonomy.yaml",
        "subjects:\n",
        "subjects:\n  - {id: brand_customers, name: Customers of BrandCo, fides_key: customer}\n",
    )
    repo.append(
        "organisation.yaml",
        "\n  - id: brandco\n    name: BrandCo Ltd\n    kind: retailer\n    country: GB\n"
        "    role: controller\n    description: A brand whose web orders the shop fulfils.\n"
        "    notice: PN-RECIPIENTS\n",
    )
    repo.edit(
        "agreements.yaml",
        "agreements:\n",
        "agreements:\n  - id: brandco-dpa\n    kind: art28_dpa\n    parties: [brandco, shopwave]\n"
        "    status: signed\n    signed_on: 2026-01-10\n    evidence: contracts/brandco-dpa.pdf\n"
        "    categories: [contact]\n    purposes: [delivery, customer_service]\n\n",
    )
    repo.append("flows.yaml", BRAND_INTAKE + swap)
    repo.start()
    return repo


SWAP_LOW = "LOW HYG-NOTICE-CLAUSE flows/brand-list-swap"
RETURN_CLEARS = (
    "it can clear findings (those of rules that set a return to the controller aside "
    "({rules}), and its Art. 28 contract, data sharing and lawful basis ones (the "
    "controller's to answer for)) without anything else changing"
)


@pytest.mark.parametrize(
    ("flow", "old", "new", "why"),
    [
        # the review's a4 b: the controller's intake, another flow, now gives the purpose
        (
            "brand-orders",
            "purpose: delivery",
            "purpose: customer_service",
            "flows/brand-orders's purpose 'customer_service' (was 'delivery')",
        ),
        # a4 a: the disclosure's own purpose made one the intake gives
        (
            "brand-list-swap",
            "purpose: customer_service",
            "purpose: delivery",
            "its purpose 'delivery' (was 'customer_service')",
        ),
    ],
)
def test_a_purpose_edit_that_makes_a_flow_a_return_is_a_reclassification(
    tmp_path: Path, flow: str, old: str, new: str, why: str
) -> None:
    """Attack review 2026-12-03x, problem 1a: one ``purpose:`` line (the disclosure's, or its
    controller's intake's) made Shopwave's disclosure to BrandCo read as a return of
    BrandCo's own data (MapFacts.returned, inferred), its LOW HYG-NOTICE-CLAUSE went as
    fixed and the gate said PASS with 0 changes to review. The reading is compared between
    base and HEAD: a flow newly read as a return is ``reclassified:flows/ID``, saying why
    and naming what it clears, the low finding included."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo")
    assert SWAP_LOW in repo.gate().output
    repo.edit_flow(flow, old, new)
    purpose = new.split(": ")[1] if flow == "brand-list-swap" else "customer_service"
    result = repo.gate()
    assert result.exit_code == 1, result.output
    # the disclosure's own purpose edited: its legal obligation is now claimed for another
    # purpose, a claim of its own (the law sets the purpose, Art. 6(3); gate review s18)
    claim = (
        [
            "change to review: claim-changed:flows/brand-list-swap: flows/brand-list-swap now "
            "claims basis 'legal_obligation' for a flow now for the purpose 'delivery' (was "
            "'customer_service'): it can clear findings (the lawful basis one: Legal "
            "obligation, Art. 6(1)(c) applies only where a law the organisation is subject to "
            "requires this processing (Art. 6(1)(c), 6(3); the map does not name the law); "
            "and the data sharing agreement and processor ones: no agreement is expected of a "
            "disclosure the law requires) and the map cannot show it is true"
        ]
        if flow == "brand-list-swap"
        else []
    )
    assert _changes(result) == [
        "change to review: reclassified:flows/brand-list-swap: flows/brand-list-swap is now "
        "described as giving brandco back its own data, as its processor (inferred, no "
        f"on_behalf_of says so: its purpose '{purpose}' is one brandco gives the "
        f"organisation; {why}): "
        + RETURN_CLEARS.format(rules="HYG-NOTICE-CLAUSE")
        + "; with it goes: LOW HYG-NOTICE-CLAUSE on flows/brand-list-swap (no-notice)",
        *claim,
    ], result.output
    accepting = ["--accept-change", result.pinned("reclassified:flows/brand-list-swap")]
    if claim:
        accepting += ["--accept-change", result.pinned("claim-changed:flows/brand-list-swap")]
    accepted = repo.gate(*accepting)
    assert accepted.exit_code == 0, accepted.output


def test_an_on_behalf_of_that_comes_to_hold_is_a_reclassification_too(tmp_path: Path) -> None:
    """Problem 1, the attacker's next try: the disclosure says ``on_behalf_of: [brandco]`` at
    the base, set aside there (its purpose is not one BrandCo gives, so its finding stands),
    and the change edits only the intake's purpose so that the unchanged claim now holds. No
    claim changed, so the reading is compared: its own reclassification."""
    require_tool("git")
    swap = BRAND_SWAP.replace("    basis:", "    on_behalf_of: [brandco]\n    basis:")
    repo = _brand_shop(tmp_path / "repo", swap)
    assert SWAP_LOW in repo.gate().output
    repo.edit_flow("brand-orders", "purpose: delivery", "purpose: customer_service")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        "change to review: reclassified:flows/brand-list-swap: flows/brand-list-swap is now "
        "described as giving brandco back its own data, as its processor (as its "
        "on_behalf_of says, which now holds; flows/brand-orders's purpose 'customer_service' "
        "(was 'delivery')): "
        + RETURN_CLEARS.format(rules="HYG-NOTICE-CLAUSE")
        + "; with it goes: LOW HYG-NOTICE-CLAUSE on flows/brand-list-swap (no-notice)"
    ], result.output


def test_a_return_said_by_on_behalf_of_is_its_claim_alone(tmp_path: Path) -> None:
    """Problem 1, the limit: ``on_behalf_of: [brandco]`` added to the disclosure is the
    claim the map makes (``claim-changed``); the gate does not list the same reading again
    as a reclassification."""
    require_tool("git")
    repo = _brand_shop(tmp_path / "repo")
    repo.edit_flow(
        "brand-list-swap",
        "    purpose: customer_service\n    basis:",
        "    purpose: delivery\n    on_behalf_of: [brandco]\n    basis:",
    )
    result = repo.gate()
    assert [line.split(": ")[1] for line in _changes(result)] == [
        "claim-changed:flows/brand-list-swap"
    ], result.output


NETWORK_COPY = """flows:
  - id: network-copy-to-school
    from: concero
    to: customer-schools
    categories: [customer_network]
    subjects: [pupils, students, parents]
    purpose: contractual_obligations
    basis: legal_obligation
    encrypted_in_transit: true
    notice: N-INSTALL
"""


def test_a_high_finding_cleared_by_a_return_is_not_folded_into_a_claim(tmp_path: Path) -> None:
    """Attack review 2026-12-03x, problem 1b: on the shipped map, a copy of a school's network
    data sent back to the school had a HIGH CONCERO-INSTALL-OFFSITE; its purpose changed to
    the school's intake's (sla_support) and ``approved_supplier: true`` added to the school
    made the HIGH go inside the unrelated claim's line. It now goes with the flow's own
    reclassification, and the claim clears nothing."""
    require_tool("git")
    repo = Repo(tmp_path / "repo")
    shutil.copytree(shipped_map_dir(), repo.files)
    (repo.files / "zz-extra.yaml").write_text(NETWORK_COPY, encoding="utf-8")
    repo.start()
    high = "HIGH CONCERO-INSTALL-OFFSITE (N-INSTALL) flows/network-copy-to-school"
    assert high in repo.gate().output
    repo.edit("zz-extra.yaml", "purpose: contractual_obligations", "purpose: sla_support")
    repo.edit(
        "organisation.yaml",
        "    placeholder: true\n    description: Every school customer",
        "    placeholder: true\n    approved_supplier: true\n"
        "    description: Every school customer",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        "change to review: reclassified:flows/network-copy-to-school: "
        "flows/network-copy-to-school is now described as giving customer-schools back its "
        "own data, as its processor (inferred, no on_behalf_of says so: its purpose "
        "'sla_support' is one customer-schools gives the organisation; its purpose "
        "'sla_support' (was 'contractual_obligations')): "
        + RETURN_CLEARS.format(
            rules="CONCERO-INSTALL-OFFSITE, CONCERO-SHARE-PERMISSION, HYG-NOTICE-CLAUSE"
        )
        + "; with it goes: HIGH CONCERO-INSTALL-OFFSITE on flows/network-copy-to-school "
        "(no-permission)",
        # the flow's legal obligation now claimed for another purpose (gate review s18)
        "change to review: claim-changed:flows/network-copy-to-school: "
        "flows/network-copy-to-school now claims basis 'legal_obligation' for a flow now for "
        "the purpose 'sla_support' (was 'contractual_obligations'): it can clear findings (the "
        "lawful basis one: Legal obligation, Art. 6(1)(c) applies only where a law the "
        "organisation is subject to requires this processing (Art. 6(1)(c), 6(3); the map "
        "does not name the law); and the data sharing agreement and processor ones: no "
        "agreement is expected of a disclosure the law requires) and the map cannot show it "
        "is true",
        "change to review: claim-changed:parties/customer-schools: parties/customer-schools "
        "now claims approved_supplier true (was unsaid): it can clear findings and the map "
        "cannot show it is true",
    ], result.output


# --- problem 2: an assumed fact withdrawn, or given no reason -------------------------------

MARK = (
    "    assumed:\n      country: the notice names neither the payment processor nor its country\n"
)


def _concero(root: Path) -> Repo:
    repo = Repo(root)
    shutil.copytree(shipped_map_dir(), repo.files)
    repo.start()
    return repo


def test_an_assumed_country_deleted_is_a_claim_to_review(tmp_path: Path) -> None:
    """Attack review 2026-12-03x, problem 2: deleting the payment processor's ``assumed:
    country`` (DPO review w, problem 5) turned card-payments' pass on an assumed GB into a
    certain one and took [ASSUMED] off the record, with PASS and 0 changes to review.
    Withdrawing the mark says the fact is verified: a claim, naming the passes it rested on."""
    require_tool("git")
    repo = _concero(tmp_path / "repo")
    repo.edit("organisation.yaml", MARK, "")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        "change to review: claim-changed:parties/payment-processor: parties/payment-processor "
        "now claims country 'GB' as known (assumed at the base: 'the notice names neither the "
        "payment processor nor its country'), on which CONCERO-SERVER-LOCATION on "
        "flows/card-payments, CONCERO-TRANSFER on flows/card-payments, GDPR-TRANSFER on "
        "flows/card-payments passed: it can clear "
        "findings (a pass on an assumed fact becomes a certain one, and the records of "
        "processing lose its [ASSUMED] mark) and the map cannot show it is true"
    ], result.output
    assert "Against HEAD: 0 new findings (0 at or above low), 0 gone" in result.output
    accepted = repo.gate(
        "--accept-change", result.pinned("claim-changed:parties/payment-processor")
    )
    assert accepted.exit_code == 0, accepted.output


def test_an_assumed_reason_reworded_is_no_change(tmp_path: Path) -> None:
    """Problem 2, the limit: the fact stays marked assumed, with other words for why; the
    pass still says so, and nothing is claimed."""
    require_tool("git")
    repo = _concero(tmp_path / "repo")
    repo.edit(
        "organisation.yaml",
        "nor its country\n",
        "nor its country, and its contract is not on file\n",
    )
    result = repo.gate()
    assert result.exit_code == 0, result.output
    assert _changes(result) == [], result.output
    assert "Passed on an ASSUMED fact: payment-processor country GB" in result.output


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        (
            '""',
            "must not be blank (invisible characters do not count): an assumed fact must "
            "say why it is assumed",
        ),
        (
            '" "',
            "must not be blank (invisible characters do not count): an assumed fact must "
            "say why it is assumed",
        ),
        (
            '"\\u200b"',
            "must not be blank (invisible characters do not count): an assumed "
            "fact must say why it is assumed",
        ),
        (
            "none",
            "'none' says nothing is recorded: an assumed fact must say why it is "
            "assumed; delete the line only when the fact is verified",
        ),
    ],
)
def test_a_blank_assumed_reason_is_a_located_input_error(
    tmp_path: Path, reason: str, said: str
) -> None:
    """Problem 2: ``country: ""`` (or a space) under ``assumed:`` was read as no mark at all,
    while the YAML still showed the block. A reason that says nothing is refused at its
    line, as the other free-text fields' blanks are."""
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    path = folder / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(MARK)].count("\n") + 2
    path.write_text(
        text.replace(MARK, f"    assumed:\n      country: {reason}\n"), encoding="utf-8"
    )
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert f"organisation.yaml:{line}:7: assumed.country: {said}" in result.output
