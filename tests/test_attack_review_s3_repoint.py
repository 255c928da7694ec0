"""The attack review of 2026-12-03s3, problem 1 (cited as "attack review s3, problem 1"): a
lead broker (``role: controller``) whose flow goes into the newsletter list that Shopwave's
processor (Storefront) holds for it was read as "onward", then as the broker's own
processing, judged by no rule and named on no Art. 30(1) row. Re-pointing the broker's sale
there while deleting Shopwave's own flow of the same leads took a HIGH consent finding away
with exit 0 and nothing to review. The flow is now inbound, the organisation's collection
(``MapIndex.flow_facts``), and the gate names a re-pointed flow set aside
(``reclassified``) and a removed flow whose target a re-pointed flow takes over
(``removed-unconfirmed``). Each test failed before its fix, except the last, which shows
what must stay as it was, and the last (a served controller's flow stays as it was read)."""

from __future__ import annotations

from pathlib import Path

from flowaudit.model.schema import Role
from tests.helpers import GateResult, GitRepo, audit_folder, require_tool, run, run_gate

AS_OF = "2026-11-25"

#: The repro's base (branch ``base-e2``): the broker sells to Payfast, a controller, and the
#: organisation loads the bought leads into its newsletter list itself.
AGENCY = """parties:
  - id: leadgen
    name: LeadGen Agency Ltd
    kind: marketing_agency
    country: GB
    role: controller
    description: A lead broker.
    notice: PN-RECIPIENTS

flows:
  - id: leadgen-sale
    from: leadgen
    to: payfast
    categories: [contact.name, contact.email]
    subjects: [subscribers]
    purpose: newsletter
    basis: consent
    notice: PN-MARKETING

  - id: bought-leads
    from: shopwave
    to: newsletter-list
    categories: [contact.name, contact.email]
    subjects: [subscribers]
    purpose: newsletter
    basis: consent
    agreement: storefront-dpa
    encrypted_in_transit: true
    notice: PN-MARKETING
    description: Leads bought from LeadGen, loaded into the newsletter list.
"""
BOUGHT_LEADS = AGENCY[AGENCY.index("\n  - id: bought-leads") :]
#: The repro's PR (branch ``atk-e2``): bought-leads deleted, the sale re-pointed to the list.
AGENCY_HEAD = AGENCY.replace(BOUGHT_LEADS, "\n").replace("to: payfast", "to: newsletter-list")

CONSENT = (
    "m/agency.yaml:11:5 HIGH GDPR-BASIS + PECR-MARKETING-CONSENT flows/leadgen-sale: consent is "
    "the basis but no consent record shows how it was obtained"
)
OPT_OUT = (
    "m/agency.yaml:11:5 MEDIUM PECR-MARKETING-OPT-OUT flows/leadgen-sale: LeadGen Agency Ltd "
    "(controller) → Shopwave Ltd (controller): no record shows that each marketing email gives "
    "a valid address"
)
REMOVED = (
    "change to review: removed-unconfirmed:GDPR-BASIS:flows/bought-leads:no-consent-record: "
    "high GDPR-BASIS + PECR-MARKETING-CONSENT on flows/bought-leads (no-consent-record) went "
    "with its element, and the change re-points flows/leadgen-sale to its target "
    "newsletter-list: confirm that the processing stopped rather than was renamed and "
    "described away (it said: consent is the basis but no consent record shows how it was "
    "obtained)"
)
RECLASSIFIED = (
    "change to review: reclassified:flows/leadgen-sale: flows/leadgen-sale is now described as "
    "made by leadgen on its own account, not as the organisation's processing (leadgen is a "
    "controller and none of the organisation's processors; re-pointed: leadgen → payfast at "
    "the base): it can clear findings (its lawful basis, agreement, notice content, transfer, "
    "onward and policy ones, and its row on the Art. 30(1) record: read as the other "
    "controller's duties, not the organisation's) without anything else changing"
)


#: A brand Shopwave serves as processor (its intake says so), writing its customers straight
#: into the newsletter list: its own data down Shopwave's chain, not Shopwave's collection.
BRANDCO = """parties:
  - {id: brandco, name: BrandCo Ltd, kind: customer, country: GB, role: controller, description: A brand whose orders Shopwave fulfils as its processor., notice: PN-RECIPIENTS}
systems:
  - {id: brand-orders-db, name: BrandCo orders, owner: shopwave, country: GB, categories: [contact.name, contact.address], subjects: [brand_customers], retention_days: 90, retention_justification: claims, encrypted_at_rest: true, notice: PN-RETENTION}
subjects:
  - {id: brand_customers, name: BrandCo's customers, party_to_contract: true}
flows:
  - {id: brand-orders, from: brandco, to: brand-orders-db, categories: [contact.name, contact.address], subjects: [brand_customers], purpose: delivery, recipient_role: processor, encrypted_in_transit: true, notice: PN-RECIPIENTS}
  - {id: brand-signups, from: brandco, to: newsletter-list, categories: [contact.name], subjects: [brand_customers], purpose: delivery, basis: contract, encrypted_in_transit: true, notice: PN-RECIPIENTS}
"""  # noqa: E501


def _changes(result: GateResult) -> list[str]:
    """The lines that list a change to review, digests taken out."""
    return [line for line in result.output.splitlines() if line.startswith("change to review:")]


def _shop(tmp_path: Path, agency: str) -> tuple[GitRepo, Path]:
    """The shipped shop example with ``agency.yaml``, committed as the base."""
    require_tool("git")
    map_dir = tmp_path / "m"
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    assert run_gate(["init", str(map_dir), "--example", "shop"]).exit_code == 0
    (map_dir / "agency.yaml").write_text(agency, encoding="utf-8")
    repo.commit()
    return repo, map_dir


def _gate(map_dir: Path, *accept: str) -> GateResult:
    args = ["check", str(map_dir), "--base", "HEAD~1", "--as-of", AS_OF]
    for change in accept:
        args += ["--accept-change", change]
    return run_gate(args)


def test_a_controllers_flow_into_the_processors_store_is_judged_as_collection(
    tmp_path: Path,
) -> None:
    """Attack review s3, problem 1 (root cause, plain ``check``): the broker's flow into the
    newsletter list Storefront holds for Shopwave had no finding and no pass. It is now the
    organisation's collection: consent and PECR opt-out are asked of it, worded as data
    LeadGen gives Shopwave, and no Art. 28 contract is asked of LeadGen with Shopwave's
    processor (it has none to sign: Storefront acts for Shopwave under storefront-dpa)."""
    _, map_dir = _shop(tmp_path, AGENCY_HEAD)
    result = run(["check", str(map_dir), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "flows/leadgen-sale" in line]
    assert len(lines) == 2, lines
    assert lines[0] == CONSENT
    assert lines[1].startswith(OPT_OUT)
    assert "GDPR-AGREEMENT flows/leadgen-sale" not in result.output
    assert (
        "Shopwave Ltd as of 2026-11-25: 2 findings (0 critical, 1 high, 1 medium, 0 low, "
        "0 info), 0 waived; 55 checks passed; 23 rules."
    ) in result.output


def test_the_broker_is_a_source_on_the_newsletter_row(tmp_path: Path) -> None:
    """Attack review s3, problem 1 (Art. 30(1), Art. 14(2)(f)): ``ropa`` named LeadGen
    nowhere. The newsletter row now lists it as a source and the flow among its flows, and
    Storefront once, as the processor it is, not again as a recipient of unrecorded role."""
    _, map_dir = _shop(tmp_path, AGENCY_HEAD)
    result = run(["ropa", str(map_dir), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| Marketing |")]
    assert len(rows) == 1, rows
    row = rows[0]
    assert "| Customers, at sign-up; LeadGen Agency Ltd |" in row
    assert "| leadgen-sale; newsletter-signup |" in row
    assert "| Storefront Commerce Inc. (processor, US) |" in row
    assert "role not recorded" not in row


def test_repointing_a_sale_into_the_list_while_removing_our_flow_fails(tmp_path: Path) -> None:
    """Attack review s3, problem 1 (the repro, base ``base-e2``, PR ``atk-e2``): gate exit 0,
    "0 changes to review", the HIGH consent finding gone as "removed". Now the re-pointed
    flow's own findings are new, and the removed flow's HIGH, whose target the re-pointed
    flow took over, is ``removed-unconfirmed``; exit 1."""
    repo, map_dir = _shop(tmp_path, AGENCY)
    (map_dir / "agency.yaml").write_text(AGENCY_HEAD, encoding="utf-8")
    repo.commit("leads: LeadGen uploads straight into the list")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [REMOVED]
    assert "    (NOT ACCEPTED), said at [m/agency.yaml:11:5]" in result.output
    assert f"{CONSENT} [new]" in result.output
    assert (
        "FAIL: 2 new findings at or above low against HEAD~1: GDPR-BASIS + "
        "PECR-MARKETING-CONSENT flows/leadgen-sale (no-consent-record), PECR-MARKETING-OPT-OUT "
        "flows/leadgen-sale (no-opt-out); 1 change to review not accepted: "
        "removed-unconfirmed:GDPR-BASIS:flows/bought-leads:no-consent-record."
    ) in result.output
    assert (
        "Against HEAD~1: 2 new findings (2 at or above low), 2 gone (0 fixed, 2 removed, "
        "0 waived, 0 rule changed); 1 change to review (0 accepted)."
    ) in result.output


def test_a_flow_set_aside_at_both_ends_but_repointed_is_reclassified(tmp_path: Path) -> None:
    """Attack review s3, problem 1 (the gate compared set membership only): a flow already
    another controller's own at the base kept its place whatever it then pointed at, with
    nothing to review. Re-pointed (here from Payfast to ParcelRun), it is now
    ``reclassified`` with its base ends named; accepted, exit 0."""
    repo, map_dir = _shop(tmp_path, AGENCY)
    repo.edit("agency.yaml", "to: payfast", "to: parcelrun")
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [RECLASSIFIED]
    assert "    (NOT ACCEPTED), said at [m/agency.yaml:11:5]" in result.output
    accepted = _gate(map_dir, result.pinned("reclassified:flows/leadgen-sale"))
    assert accepted.exit_code == 0, accepted.output
    assert "1 change to review (1 accepted)." in accepted.output


def test_an_unchanged_controllers_own_flow_stays_quiet(tmp_path: Path) -> None:
    """Attack review s3, problem 1 (what must stay): the broker's own sale to Payfast, a
    controller, is its own processing and unchanged between base and head: no change to
    review, no finding on it, exit 1 only for the existing findings it never was."""
    repo, map_dir = _shop(tmp_path, AGENCY)
    repo.edit("agency.yaml", "description: A lead broker.", "description: A lead broker (UK).")
    repo.commit("head")
    result = _gate(map_dir)
    assert _changes(result) == []
    assert "flows/leadgen-sale" not in result.output
    assert result.exit_code == 0, result.output


def test_the_flow_is_inbound_to_the_organisation_and_no_others_own(tmp_path: Path) -> None:
    """Attack review s3, problem 1 (``MapIndex.flow_facts``): the flow was "onward" to
    Storefront as processor, so ``held_as_controller`` read it as LeadGen's own. It is
    inbound, to Shopwave, with no recipient role of its own; Shopwave's own flow into the
    same list is still outbound to its processor."""
    _, map_dir = _shop(tmp_path, AGENCY_HEAD)
    facts = audit_folder(map_dir).facts
    sale = facts.flow("leadgen-sale")
    assert (sale.direction, sale.recipient.id, sale.role, sale.sender) == (
        "inbound",
        "shopwave",
        None,
        "leadgen",
    )
    signup = facts.flow("newsletter-signup")
    assert (signup.direction, signup.recipient.id, signup.role) == (
        "outbound",
        "storefront",
        Role.PROCESSOR,
    )
    assert "leadgen-sale" not in facts.held_as_controller
    assert "leadgen-sale" not in facts.others_own_flows


def test_a_served_controllers_flow_into_the_chain_is_judged_in_the_role_it_names(
    tmp_path: Path,
) -> None:
    """Attack review s3, problem 1, as DPO review s5, problem 1 reads it: a controller
    Shopwave serves as processor (BrandCo, by ``recipient_role: processor`` on its intake)
    writing into the list Storefront holds for Shopwave gives the data to Shopwave, in the
    role the flow names. Set aside for every such client as its own data down the chain, a
    school's staff's tickets written straight into Concero's helpdesk were judged by no rule.
    Naming no role, it is Shopwave's collection; naming ``processor``, Shopwave processing
    for BrandCo."""
    _, map_dir = _shop(tmp_path, AGENCY)
    (map_dir / "brandco.yaml").write_text(BRANDCO, encoding="utf-8")
    sale = audit_folder(map_dir).facts.flow("brand-signups")
    assert (sale.direction, sale.recipient.id, sale.role) == ("inbound", "shopwave", None)
    said = BRANDCO.replace(
        "purpose: delivery, basis: contract,", "purpose: delivery, recipient_role: processor,"
    )
    assert said != BRANDCO
    (map_dir / "brandco.yaml").write_text(said, encoding="utf-8")
    sale = audit_folder(map_dir).facts.flow("brand-signups")
    assert (sale.direction, sale.recipient.id, sale.role) == (
        "inbound",
        "shopwave",
        Role.PROCESSOR,
    )
