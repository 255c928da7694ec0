"""Claims the map makes that clear findings and that nothing in the repository can show
(attacker review 2026-12-02, items 1 and 3): an importer's certification, an Art. 49
derogation, a policy document kept elsewhere... Each one that is new, or says something new,
is a change to review, as a newly signed agreement is.

Setup as in the review: the shop example in a git repository, its US platform ``storefront``
not listed under the UK Extension at the base.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.baseline import CLAIMS
from flowaudit.model.schema import COLLECTIONS, Organisation
from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate

AS_OF = "2026-11-25"

CN_WAREHOUSE = """
  - id: cn-warehouse
    name: Fulfilment warehouse
    owner: storefront
    country: CN
    categories: [contact, orders, payment.invoice]
    subjects: [customers]
    retention_days: 2190
    retention_justification: Six years after the order (HMRC)
    encrypted_at_rest: true
"""
# the shop example's order store, as a test drops it once no flow fills it
SHOP_ORDERS = (
    "  - id: shop-orders\n"
    "    name: Order database on the platform\n"
    "    owner: storefront\n"
    "    country: US\n"
    "    categories: [contact, orders, payment.invoice]\n"
    "    subjects: [customers]\n"
    "    retention_days: 2190\n"
    "    retention_justification: Six years after the order (Companies Act 2006 s. 388, HMRC).\n"
    "    encrypted_at_rest: true\n"
    "    notice: PN-RETENTION\n"
    "\n"
)


class Shop(GitRepo):
    def __init__(self, root: Path) -> None:
        super().__init__(root, root / "map")
        root.mkdir()
        result = run(["init", str(root / "map"), "--example", "shop"])
        assert result.exit_code == 0, result.output
        self.edit(
            "organisation.yaml", "    listed_under: [uk_extension]\n", "    listed_under: []\n"
        )
        self.git("init", "-q")
        self.commit()

    def allow_critical_waivers(self) -> None:
        """Commit a house policy letting a waiver cover a critical finding (none does by
        default: DPO review 2026-12-03o, problem 5); the gate then reads it at both sides."""
        from tests.security.test_baseline_attacks import ALLOW_CRITICAL_WAIVERS

        (self.root / "policies").mkdir()
        (self.root / "policies" / "house.yaml").write_text(
            "policy: {id: house-waivers, title: House waivers}\nrules: []\n"
            + ALLOW_CRITICAL_WAIVERS,
            encoding="utf-8",
        )
        self.commit()

    def gate(self, *extra: str) -> GateResult:
        policies = self.root / "policies"
        chosen = ["--policies", str(policies)] if policies.is_dir() else []
        return run_gate(
            ["check", str(self.root / "map"), "--base", "HEAD", "--as-of", AS_OF, *chosen, *extra]
        )


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    require_tool("git")
    return Shop(tmp_path / "repo")


def test_the_unchanged_shop_passes_the_gate(shop: Shop) -> None:
    result = shop.gate()
    assert result.exit_code == 0, result.output  # storefront's 2 findings are not new
    assert "0 new findings (0 at or above low)" in result.output
    assert "0 changes to review" in result.output


def test_listing_an_importer_under_the_uk_extension_is_a_change_to_review(shop: Shop) -> None:
    shop.edit("organisation.yaml", "    listed_under: []\n", "    listed_under: [uk_extension]\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:parties/storefront: parties/storefront now claims "
        "listed_under adds [uk_extension]: it can clear findings and the map cannot show it "
        "is true" in result.output
    )
    assert "2 gone (2 fixed, 0 removed, 0 waived, 0 rule changed)" in result.output
    accepted = shop.gate("--accept-change", result.pinned("claim-changed:parties/storefront"))
    assert accepted.exit_code == 0, accepted.output
    assert "1 change to review (1 accepted)" in accepted.output


def test_a_routine_derogation_to_china_fails_the_gate(shop: Shop) -> None:
    """Review item 1: every order re-pointed to a Chinese warehouse under an Art. 49
    derogation, declared ``occasional``: without a ground it is a new critical finding; with
    one it is a claim a person must check."""
    systems = shop.root / "map" / "systems.yaml"
    systems.write_text(systems.read_text(encoding="utf-8") + CN_WAREHOUSE, encoding="utf-8")
    # the orders go to the warehouse instead: the store they went to is gone too (left in
    # the map, no flow would fill it: a new HYG-STORE-SOURCE finding, DPO review 2026-12-03u,
    # problem 4)
    shop.edit("systems.yaml", SHOP_ORDERS, "")
    shop.edit(
        "flows.yaml",
        "    to: shop-orders\n",
        "    to: cn-warehouse\n    transfer_mechanism: art49_derogation\n    occasional: true\n",
    )
    bare = shop.gate()
    assert bare.exit_code == 1, bare.output
    assert "1 new finding (1 at or above low)" in bare.output
    assert "derogation: one of contract_with_subject, contract_for_subject" in bare.output
    shop.edit(
        "flows.yaml",
        "    occasional: true\n",
        "    occasional: true\n    derogation: contract_with_subject\n",
    )  # not legal_claims: a one-off legal-claims transfer may rest in a store abroad
    # (lawyer review s10, problem 2); the routine orders' ground is contract necessity
    result = shop.gate()
    assert result.exit_code == 1, result.output
    # with a ground, still a new CRITICAL: the warehouse is a store held for the shop abroad,
    # a systematic transfer no derogation carries (attack review s9, problem 2)
    assert "1 new finding (1 at or above low)" in result.output
    assert (
        "CRITICAL GDPR-TRANSFER flows/checkout: Fulfilment warehouse ('cn-warehouse') is a "
        "store of Storefront Commerce Inc. in CN: data kept on servers abroad rests there for "
        "as long as it is held, a systematic transfer, not an occasional one" in result.output
    )
    assert (
        "change to review: claim-changed:flows/checkout: flows/checkout now claims "
        "transfer_mechanism 'art49_derogation' (was unsaid); occasional true (was unsaid); "
        "derogation 'contract_with_subject' (was unsaid): it can clear findings and the map "
        "cannot show it is true" in result.output
    )
    assert (
        "change to review: claim-changed:systems/cn-warehouse: systems/cn-warehouse now claims "
        "encrypted_at_rest true (was unsaid)" in result.output
    )
    flows = (shop.root / "map" / "flows.yaml").read_text(encoding="utf-8").splitlines()
    line = flows.index("    transfer_mechanism: art49_derogation") + 1
    assert f"[map/flows.yaml:{line}:5]" in result.output


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        (
            "organisation.yaml",
            "  dsar_days: 28\n",
            "  dsar_days: 28\n  appropriate_policy_document: intranet/apd.pdf\n",
            "organisation/shopwave now claims appropriate_policy_document 'intranet/apd.pdf' "
            "(was unsaid)",
        ),
        (
            "organisation.yaml",
            "  dsar_days: 28\n",
            "  dsar_days: 28\n  processor_record: dpo/art30-2.xlsx\n",
            "organisation/shopwave now claims processor_record 'dpo/art30-2.xlsx' (was unsaid)",
        ),
        (
            "organisation.yaml",
            "notify_within_hours: 48}",
            "notify_within_hours: 24, notifies_controllers: true}",
            "organisation/shopwave now claims breach_procedure.notify_within_hours 24 (was 48); "
            "breach_procedure.notifies_controllers true (was unsaid)",
        ),
        (
            "organisation.yaml",
            "  dsar_days: 28\n",
            "  dsar_days: 20\n",
            "organisation/shopwave now claims dsar_days 20 (was 28)",
        ),
        (
            "organisation.yaml",
            "    retention: order records six years; marketing until you unsubscribe\n",
            "    retention: order records six years\n",
            "organisation/shopwave now claims notice_content.retention 'order records six years' "
            "(was 'order records six years; marketing until you unsubscribe')",
        ),
        (
            "organisation.yaml",
            "    listed_under: []\n",
            "    listed_under: []\n    approved_supplier: true\n    group: Shopwave Group\n",
            "parties/storefront now claims approved_supplier true (was unsaid); group "
            "'Shopwave Group' (was unsaid)",
        ),
        (
            "flows.yaml",
            "    agreement: storefront-dpa\n",
            "    agreement: storefront-dpa\n    flagged_sensitive: true\n"
            "    permission: order form section 4\n    opt_out: unsubscribe link\n",
            "flows/checkout now claims flagged_sensitive true (was unsaid); permission "
            "'order form section 4' (was unsaid); opt_out 'unsubscribe link' (was unsaid)",
        ),
        (
            "taxonomy.yaml",
            "{id: subscribers, name: Newsletter subscribers, fides_key: customer, "
            "subscriber: individual}",
            "{id: subscribers, name: Newsletter subscribers, fides_key: customer, "
            "subscriber: individual, party_to_contract: true}",
            "subjects/subscribers now claims party_to_contract true (was unsaid)",
        ),
    ],
)
def test_each_claim_is_a_change_to_review(
    shop: Shop, name: str, old: str, new: str, said: str
) -> None:
    shop.edit(name, old, new)
    result = shop.gate()
    assert result.exit_code == 1, result.output
    label = said.split(" now claims", maxsplit=1)[0]
    assert f"change to review: claim-changed:{label}: {said}: it can clear findings" in (
        result.output
    )


def test_withdrawing_a_claim_is_no_change_to_review(shop: Shop) -> None:
    """Saying less never clears a finding: the findings it brings are new, nothing to review."""
    shop.edit("flows.yaml", "    encrypted_in_transit: true\n", "")
    shop.edit("organisation.yaml", "  complaints_procedure: true\n", "")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert "0 changes to review" in result.output
    assert "1 new finding (1 at or above low)" in result.output
    assert "MEDIUM GDPR-RIGHTS organisation/shopwave" in result.output


def test_every_claim_names_a_field_of_the_schema() -> None:
    """The one list of claims (checks/baseline.py CLAIMS) holds to the schema: a field
    renamed there cannot silently stop being a change to review."""
    for collection, paths in CLAIMS.items():
        model = Organisation if collection == "organisation" else COLLECTIONS[collection]
        for path in paths:
            name = path.split("[")[0].split(".")[0]
            assert name in model.model_fields, f"{collection}: {path}"
            field = path.split("[].")[-1] if "[]." in path else path.partition(".")[2]
            if field and field != "*":
                annotation = str(model.model_fields[name].annotation)
                nested = next(
                    m for m in (*COLLECTIONS.values(), *_nested()) if m.__name__ in annotation
                )
                assert field in nested.model_fields, f"{collection}: {path}"


def _nested() -> tuple[type, ...]:
    from flowaudit.model.schema import BreachProcedure, Contact, Cookie

    return (BreachProcedure, Contact, Cookie)


def test_the_documented_changes_to_review_follow_the_gate_order() -> None:
    """docs/security.md lists the kinds of change in the order the gate lists them."""
    from flowaudit.checks.baseline import REVIEW_ORDER

    text = (Path(__file__).parent.parent.parent / "docs" / "security.md").read_text("utf-8")
    rows = [ln for ln in text.splitlines() if ln.startswith("   | `")]
    documented = [
        kind.split(":")[0].strip()
        for row in rows
        for kind in row.split("|")[1].replace("`", "").split(", ")
        if ":" in kind
    ]
    assert documented == list(REVIEW_ORDER)


OPTIN_EVIDENCE = "    evidence: Platform consent log export (monthly, Drive/Consent)\n"


@pytest.mark.parametrize(
    ("head", "said"),
    [
        ("", "no longer records it"),
        ("    withdrawn_on: 2026-12-01\n", "now records it withdrawn on 2026-12-01"),
    ],
)
def test_undoing_a_consent_withdrawal_is_a_change_to_review(
    shop: Shop, head: str, said: str
) -> None:
    """DPO review 2026-12-03o, withdrawn consent: a record withdrawn on 2026-06-01 fails the
    newsletter flow (consent-not-valid, Art. 7(3)); removing its withdrawn_on, or moving it
    after the audit date, clears that finding on the map's word alone, so it is a change to
    review that says so, with the high finding it clears folded in."""
    withdrawn = OPTIN_EVIDENCE + "    withdrawn_on: 2026-06-01\n"
    shop.edit("agreements.yaml", OPTIN_EVIDENCE, withdrawn)
    shop.commit()
    assert "consent-not-valid" in shop.gate("--format", "json").output
    shop.edit("agreements.yaml", withdrawn, OPTIN_EVIDENCE + head)
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: consent-record-changed:newsletter-optin: consent record "
        f"'newsletter-optin' was withdrawn on 2026-06-01 and {said}: flows relying on it count "
        "as consented again (evidence: Platform consent log export (monthly, Drive/Consent)): "
        "it can clear findings without anyone producing the document" in result.output
    )
    assert "with it goes: HIGH GDPR-BASIS" in result.output
    accepted = shop.gate(
        "--accept-change", result.pinned("consent-record-changed:newsletter-optin")
    )
    assert accepted.exit_code == 0, accepted.output


def test_withdrawing_consent_earlier_is_no_withdrawal_undone(shop: Shop) -> None:
    """Moving a withdrawal earlier clears nothing: the record's change is listed as any other
    change to a consent record, not as a withdrawal undone."""
    shop.edit("agreements.yaml", OPTIN_EVIDENCE, OPTIN_EVIDENCE + "    withdrawn_on: 2026-12-01\n")
    shop.commit()
    shop.edit("agreements.yaml", "withdrawn_on: 2026-12-01", "withdrawn_on: 2026-06-01")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "consent-record-changed:newsletter-optin: consent record 'newsletter-optin' now "
        "records other facts" in result.output
    )
    assert "1 new finding" in result.output


NEWSLETTER_ON_CONSENT = (
    "    basis: consent\n"
    "    consent_record: newsletter-optin\n"
    "    opt_out: unsubscribe link and reply address in every email\n"
)
NEWSLETTER_ON_LI = (
    "    basis: legitimate_interests\n"
    "    opt_out: unsubscribe link and reply address in every email\n"
)


def test_saying_a_marketing_flows_channel_is_a_change_to_review(shop: Shop) -> None:
    """DPO review 2026-12-03u, problem 1: a marketing flow's channel decides what PECR asks
    (post: nothing), so saying one clears the high consent finding a flow with no channel,
    read as email, had at the base. It is a claim the map cannot show: a change to review,
    named with the finding it clears, let through only once accepted. Since DPO review v,
    point 3, 'post' said of a flow that carries an email address and no postal address is
    warned and judged as email: the finding stays, and the claim clears nothing."""
    shop.edit("flows.yaml", NEWSLETTER_ON_CONSENT, NEWSLETTER_ON_LI)
    # the list holds phone numbers too, so a call can reach its people; no postal address
    with_phone = "    categories: [contact.name, contact.email, contact.phone]\n"
    shop.edit("flows.yaml", "    categories: [contact.name, contact.email]\n", with_phone)
    shop.edit("systems.yaml", "    categories: [contact.name, contact.email]\n", with_phone)
    shop.commit("the newsletter on legitimate interests")
    base = shop.gate()
    assert "0 changes to review" in base.output, base.output
    shop.edit(
        "flows.yaml",
        "    basis: legitimate_interests\n",
        "    basis: legitimate_interests\n    channel: post\n",
    )
    relabelled = shop.gate()  # a claim still, to review; one that clears nothing
    assert relabelled.exit_code == 1, relabelled.output
    assert "0 new findings (0 at or above low), 0 gone (0 fixed," in relabelled.output
    assert (
        "claim-changed:flows/newsletter-signup: flows/newsletter-signup now claims channel "
        "'post' (was unsaid): it can clear findings (marketing ones read by channel: consent "
        "under the UK's PECR regs 19-22, and what each message must offer to stop it) and the "
        "map cannot show it is true (NOT ACCEPTED)"
    ) in " ".join(relabelled.output.split())
    shop.edit("flows.yaml", "    channel: post\n", "    channel: live_call\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:flows/newsletter-signup: flows/newsletter-signup now "
        "claims channel 'live_call' (was unsaid): it can clear findings (marketing ones read "
        "by channel: consent under the UK's PECR regs 19-22, and what each message must offer "
        "to stop it) and the map cannot show it is true; with it goes: HIGH "
        "PECR-MARKETING-CONSENT on flows/newsletter-signup (not-consent)"
    ) in " ".join(result.output.split())
    assert "0 new findings (0 at or above low), 1 gone (1 fixed," in result.output
    accepted = shop.gate("--accept-change", result.pinned("claim-changed:flows/newsletter-signup"))
    assert accepted.exit_code == 0, accepted.output
    assert "1 change to review (1 accepted)" in accepted.output
    shop.edit("flows.yaml", "    channel: live_call\n", "    channel: post\n")
    # one channel for another is a change to review too: sms -> live_call clears the finding
    shop.edit("flows.yaml", "    channel: post\n", "    channel: sms\n")
    shop.commit("the newsletter by text message")
    shop.edit("flows.yaml", "    channel: sms\n", "    channel: live_call\n")
    moved = shop.gate()
    assert moved.exit_code == 1, moved.output
    assert (
        "flows/newsletter-signup now claims channel 'live_call' (was 'sms'): it can clear findings"
    ) in " ".join(moved.output.split())
