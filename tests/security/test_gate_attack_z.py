"""The PR gate against the attack review of 2026-12-03z: the new representative rule
(GDPR-REPRESENTATIVE, Art. 27) could be cleared by a one-line claim (a representative, or
`public_authority: true`) with nothing to review, and the lines for an organisation's
country and a subject's `employees` flag did not name what they clear. Each test failed
before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import GitRepo, require_tool, run_gate

AS_OF = "2026-11-25"
US_ORG = "organisation: {id: smile, name: Smile Dental LLC, country: US, regime: UK}\n"


def _gate(tmp_path: Path, head: str, base: str = US_ORG) -> tuple[int, str]:
    require_tool("git")
    repo = GitRepo(tmp_path, tmp_path)
    repo.git("init", "-q")
    (tmp_path / "map.yaml").write_text(base, encoding="utf-8")
    repo.commit()
    (tmp_path / "map.yaml").write_text(head, encoding="utf-8")
    repo.commit("head")
    result = run_gate(["check", str(tmp_path / "map.yaml"), "--base", "HEAD~1", "--as-of", AS_OF])
    return result.exit_code, result.output


def test_a_representative_stated_is_a_claim_to_review(tmp_path: Path) -> None:
    """Attack review z, problem 1: `representative:` added (any name, any place) cleared the
    MEDIUM GDPR-REPRESENTATIVE with PASS and 0 changes: it is a claim to review, saying what
    it clears."""
    code, output = _gate(
        tmp_path,
        US_ORG.replace(
            "regime: UK}",
            "regime: UK, representative: {name: X Rep, email: x@example.invalid, country: GB}}",
        ),
    )
    assert code == 1, output
    assert (
        "change to review: claim-changed:organisation/smile: organisation/smile now claims "
        "representative.name 'X Rep' (was unsaid); representative.country 'GB' (was unsaid); "
        "representative.email 'x@example.invalid' (was unsaid): it can clear findings (the "
        "representative one (Art. 27: designated, established in the territory, reachable)) "
        "and the map cannot show it is true"
    ) in output


def test_public_authority_stated_is_a_reclassification_to_review(tmp_path: Path) -> None:
    """Attack review z, problem 1: `public_authority: true` stated where it was unsaid was
    listed only when withdrawn: it is now a reclassification naming the representative
    rule (Art. 27(2)(b)) among what it can clear."""
    code, output = _gate(
        tmp_path,
        US_ORG.replace("regime: UK}", "regime: EU}").replace(
            "regime: EU}", "regime: EU, public_authority: true}"
        ),
        base=US_ORG.replace("regime: UK}", "regime: EU}"),
    )
    assert code == 1, output
    assert (
        "change to review: reclassified:organisation/smile: organisation/smile is now "
        "described with public_authority true (was unsaid): it can clear findings (those of a "
        "public authority's legitimate interests (Art. 6(1)), and the representative one "
        "(Art. 27(2)(b))) without anything else changing"
    ) in output


@pytest.mark.parametrize(
    ("field", "clears"),
    [
        (
            "country: GB",
            "transfer, special-category, criminal-offence or forbidden-recipient ones, and the "
            "representative one (Art. 27)",
        ),
    ],
)
def test_the_organisations_country_says_it_clears_the_representative_one(
    tmp_path: Path, field: str, clears: str
) -> None:
    """Attack review z, problem 2: moving the organisation from US to GB cleared the
    GDPR-REPRESENTATIVE finding; its line now says it can."""
    code, output = _gate(tmp_path, US_ORG.replace("country: US", field))
    assert code == 1, output
    assert (
        "reclassified:organisation/smile: organisation/smile is now described with country "
        f"'GB' (was 'US'): it can clear findings ({clears}) without anything else changing"
    ) in output


def test_employees_stated_says_it_clears_contract_ones(tmp_path: Path) -> None:
    """Attack review z, problem 2: `employees: true` on a subject on contract clears its
    HIGH GDPR-BASIS (employees are party to their employment contract); the line had said it
    clears none."""
    base = US_ORG.replace("country: US", "country: GB") + (
        "categories: [{id: pay, name: Pay}]\n"
        "subjects: [{id: crew, name: Crew}]\n"
        "purposes: [{id: payroll, name: Payroll}]\n"
        "flows:\n"
        "  - {id: pay-crew, from: smile, to: smile, categories: [pay], subjects: [crew], "
        "purpose: payroll, basis: contract}\n"
    )
    code, output = _gate(
        tmp_path,
        base.replace("{id: crew, name: Crew}", "{id: crew, name: Crew, employees: true}"),
        base,
    )
    assert code == 1, output
    assert (
        "subjects/crew is now described with employees true (was unsaid): it can clear "
        "findings (contract ones where it says true (employees are party to their employment "
        "contract, Art. 6(1)(b)), and the notes on staff consent (Recital 43, Art. 7(4)) that "
        "say what a pass takes on trust) without anything else changing"
    ) in output


HELPER_ROTA = """
  - id: helper-rota
    from: shopwave
    to: shop-orders
    categories: [contact.name, contact.phone]
    subjects: [customers, helpers]
    purpose: orders
    basis: contract
    agreement: storefront-dpa
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""
AGENCY_ROTA = """
  - id: agency-rota
    from: agency
    to: shopwave
    recipient_role: processor
    categories: [contact.name, contact.phone]
    subjects: [helpers]
    purpose: orders
    agreement: storefront-dpa
    encrypted_in_transit: true
"""


def test_a_flow_newly_mixed_is_a_reclassification_naming_the_controller(tmp_path: Path) -> None:
    """Attack review z, problem 2d: a new intake from a temp agency, as its processor, made
    the organisation's own rota flow "mixed": the helpers left its contract question (a
    HIGH GDPR-BASIS went) and its Art. 30(1) row with no change naming why. The flow is a
    reclassification naming the controller, and the gone HIGH points to it."""
    require_tool("git")
    map_dir = tmp_path / "map"
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    assert run_gate(["init", str(map_dir), "--example", "shop"]).exit_code == 0
    repo.edit(
        "taxonomy.yaml",
        "  - {id: subscribers, name: Newsletter subscribers, fides_key: customer, "
        "subscriber: individual}\n",
        "  - {id: subscribers, name: Newsletter subscribers, fides_key: customer, "
        "subscriber: individual}\n  - {id: helpers, name: Weekend helpers}\n",
    )
    repo.edit(
        "organisation.yaml",
        "\nparties:\n",
        "\nparties:\n  - {id: agency, name: Temp "
        "Agency Ltd, kind: vendor, role: controller, country: GB, notice: PN-RECIPIENTS}\n",
    )
    with (map_dir / "flows.yaml").open("a", encoding="utf-8") as flows:
        flows.write(HELPER_ROTA)
    repo.commit()
    with (map_dir / "flows.yaml").open("a", encoding="utf-8") as flows:
        flows.write(AGENCY_ROTA)
    repo.commit("head")
    result = run_gate(["check", str(map_dir), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "reclassified:flows/helper-rota: flows/helper-rota is now described as not wholly the "
        "organisation's processing to judge (it carries helpers, which reach the organisation "
        "only as the processor of agency, beside its own data): it can clear findings (its "
        "lawful basis ones, and its row on the Art. 30(1) record"
    ) in result.output
    assert (
        "fixed-unconfirmed:GDPR-BASIS:subjects/helpers:contract-not-party: high GDPR-BASIS on "
        "subjects/helpers (contract-not-party) is gone as fixed, and the flow it judged is now "
        "described otherwise (reclassified:flows/helper-rota)"
    ) in result.output
