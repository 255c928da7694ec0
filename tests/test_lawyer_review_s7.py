"""Lawyer review s7, problem 1: the shop gives its customers to a marketplace for the
marketplace's own promotions (a purpose whose ``controller`` is the marketplace) and claims
the soft opt-in. PECR reg. 22(3)(b) covers only the sender's own similar products and
services, and the map itself says the marketing is the marketplace's: the claim passed, as
"assumed". It is now a HIGH PECR-MARKETING-CONSENT saying why; the same flow for the shop's
own purpose keeps resting on the soft opt-in (the control)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, edit_once, located_findings, run, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "lawyer_s7"
SCENARIO = SCENARIOS / "d1c.yaml"


def _d1c(tmp_path: Path) -> Path:
    folder = shop_scenario(tmp_path / "d1c", SCENARIO)
    edit_once(
        folder / "taxonomy.yaml",
        "party_to_contract: true}",
        "party_to_contract: true, subscriber: individual}",
    )
    return folder


def test_problem_1_the_soft_opt_in_does_not_cover_another_partys_marketing(
    tmp_path: Path,
) -> None:
    result = audit_folder(_d1c(tmp_path))
    on_flow = [f for f in result.findings if f.element == ("flows", "sw-give")]
    assert [(f.rule_id, f.code, f.severity.value) for f in on_flow] == [
        ("PECR-MARKETING-CONSENT", "soft-opt-in-not-own", "high"),
        ("GDPR-AGREEMENT", "sharing-missing", "low"),
    ]
    assert on_flow[0].message == (
        "rests on the soft opt-in, but the purpose 'hub_promos' is decided by MarketHub Ltd "
        "(its controller): the soft opt-in covers only the organisation's own similar "
        "products and services (PECR reg. 22(3)(b)) and cannot be passed on; giving the "
        "details to MarketHub Ltd for its own marketing needs the subscriber's consent "
        "naming it (PECR reg. 22(2); UK GDPR Art. 4(11), 7)"
    )
    assert ("scenario.yaml", 9) in [(row[3], row[4]) for row in located_findings(result)]


def test_problem_1_control_the_shops_own_marketing_rests_on_its_soft_opt_in(
    tmp_path: Path,
) -> None:
    folder = _d1c(tmp_path)
    edit_once(folder / "scenario.yaml", " controller: jc,", "")
    result = audit_folder(folder)
    assert [f.code for f in result.findings if f.rule_id == "PECR-MARKETING-CONSENT"] == []


def test_problem_2_a_processor_intake_into_the_organisations_own_list_is_warned(
    tmp_path: Path,
) -> None:
    """Lawyer review s7, problem 2: a broker's leads written "as its processor" into the
    newsletter list the shop fills itself for its own newsletter: the map cannot be both,
    and nothing said so. A warning at the flow's recipient_role now does."""
    folder = shop_scenario(tmp_path / "x3", SCENARIOS / "x3.yaml")
    [warning] = [w for w in audit_folder(folder).warnings if "'bought-leads' says" in w]
    assert warning.endswith(
        "scenario.yaml:9:60: flow 'bought-leads' says LeadGen Ltd gives its data to the "
        "organisation as its processor (recipient_role: processor), into 'newsletter-list', "
        "which the organisation fills itself for the same purpose 'newsletter': the same "
        "store cannot hold them for LeadGen Ltd's purpose and the organisation's own; it is "
        "read as written (the organisation LeadGen Ltd's processor, on its Art. 30(2) "
        "record); if the organisation uses the data for its own purpose, remove "
        "recipient_role (its collection from LeadGen Ltd, Art. 14), else keep LeadGen Ltd's "
        "data in a store of its own"
    )
    edit_once(folder / "scenario.yaml", "recipient_role: processor, ", "")
    assert not [w for w in audit_folder(folder).warnings if "'bought-leads' says" in w]


def test_dpo_s8_problem_1_a_disclosure_to_a_controller_cannot_rest_on_the_soft_opt_in(
    tmp_path: Path,
) -> None:
    """DPO review s8, problem 1 (attack review s8, problem 3): the same disclosure said by
    the flow's ``recipient_role: controller`` instead of the purpose's controller passed on
    the soft opt-in as "assumed"; which of the two fields the map fills must not decide."""
    folder = shop_scenario(tmp_path / "b1", SCENARIOS / "b1-dpo-s8.yaml")
    edit_once(
        folder / "taxonomy.yaml",
        "party_to_contract: true}",
        "party_to_contract: true, subscriber: individual}",
    )
    [finding] = [f for f in audit_folder(folder).findings if f.rule_id == "PECR-MARKETING-CONSENT"]
    assert (finding.element, finding.code) == (("flows", "sw-give"), "soft-opt-in-not-own")
    assert finding.message.startswith(
        "rests on the soft opt-in, but the flow gives the data to MarketHub Ltd as a "
        "controller: the soft opt-in covers only the organisation's own similar products"
    )


def test_dpo_s8_problem_5_the_finding_offers_no_soft_opt_in_for_anothers_marketing(
    tmp_path: Path,
) -> None:
    """DPO review s8, problem 5: without the claim, the finding on the same disclosure still
    advised "or the soft opt-in of reg. 22(3)", a way out that cannot apply."""
    folder = _d1c(tmp_path)
    edit_once(folder / "scenario.yaml", " soft_opt_in: true,", "")
    [finding] = [f for f in audit_folder(folder).findings if f.rule_id == "PECR-MARKETING-CONSENT"]
    assert finding.code == "not-consent"
    assert "or the soft opt-in" not in finding.message
    assert finding.message.endswith(
        "(the soft opt-in covers only the organisation's own similar products, PECR reg. "
        "22(3)(b), not another party's marketing)"
    )


def test_dpo_s8_problem_3_a_clients_purpose_on_the_organisations_own_people_is_refused(
    tmp_path: Path,
) -> None:
    """DPO review s8, problem 3: the shop's courier flow for BigCo's gift campaign about
    BigCo's gift recipients and the shop's own customers passed with a warning, the
    customers on the Art. 30(1) record under BigCo's purpose; the customers alone were
    refused. A served client decides only for the people it entrusts: refused too, at the
    flow's purpose, naming the organisation's own people."""
    folder = shop_scenario(
        tmp_path / "a1", Path(__file__).parent / "fixtures" / "dpo_s8" / "a1.yaml"
    )
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "a1/scenario.yaml:11:139: purpose 'bigco_gifts' is decided by 'bigco' alone (its "
        "controller), but this flow of the organisation's about people 'bigco' does not "
        "entrust to it (customers), not to or from 'bigco', uses it: the organisation's own "
        "processing is for its own purposes; give the flow one of them (split it: one flow "
        "per purpose), or remove the purpose's controller"
    )
    edit_once(
        folder / "scenario.yaml",
        "subjects: [gift_recipients, customers]",
        "subjects: [gift_recipients]",
    )
    # about the client's people alone, it is the organisation's processing for the client
    assert [(f.rule_id, f.code) for f in audit_folder(folder).findings] == [
        ("GDPR-BREACH", "processor-no-controller-notice"),
        ("GDPR-PROCESSOR", "no-processor-record"),
    ]


def test_problem_3_the_record_does_not_put_an_art28_contract_forward_for_a_disclosure(
    tmp_path: Path,
) -> None:
    """Lawyer review s7, problem 3: the shop's disclosure to the marketplace for its own
    promotions links the marketplace's Art. 28 contract. `check` warns of the link; the
    Art. 30(1) record showed the contract bare, as the arrangement for the disclosure. It
    now says the contract does not cover it; the processor flow's row keeps it bare."""
    from flowaudit.reports.ropa import build_ropa

    folder = _d1c(tmp_path)
    edit_once(
        folder / "scenario.yaml",
        "soft_opt_in: true, encrypted_in_transit",
        "agreement: jc-dpa, encrypted_in_transit",
    )
    rows = {row.purpose_id: row for row in build_ropa(audit_folder(folder)).rows}
    assert rows["hub_promos"].cells["agreements"] == (
        "jc-dpa (art28_dpa, signed, signed) (an Art. 28 contract: it does not cover the "
        "disclosure to a controller on flow sw-give)",
    )
    assert "jc-dpa (art28_dpa, signed, signed)" in rows["orders"].cells["agreements"]


def test_dpo_s8_problem_4_the_leads_are_on_the_brokers_record_only(tmp_path: Path) -> None:
    """DPO review s8, problem 4 (lawyer review s7, problem 2): read as the warning above
    says (the broker's, on the Art. 30(2) record), the leads were also on the shop's own
    Art. 30(1) newsletter row, through the mailer flow out of the list. That flow carries
    the shop's subscribers and the broker's leads: judged as the shop's own, the leads kept
    off its record, as a flow of the organisation's own carrying a client's people is."""
    from flowaudit.reports.ropa import build_ropa

    folder = shop_scenario(tmp_path / "x3", SCENARIOS / "x3.yaml")
    result = audit_folder(folder)
    ropa = build_ropa(result)
    [newsletter] = [row for row in ropa.rows if row.purpose_id == "newsletter"]
    assert newsletter.cells["subjects"] == ("Newsletter subscribers",)
    [for_broker] = ropa.processor_rows
    assert for_broker.cells["subjects"] == ("Bought leads",)
    [warning] = [w for w in result.warnings if "'send-news' carries" in w]
    assert warning.endswith(
        "scenario.yaml:10:5: flow 'send-news' carries both LeadGen Ltd's data (leads, "
        "brought by flows bought-leads) and the organisation's own data: it is judged as the "
        "organisation's own processing, and leads are kept off its Art. 30(1) record; split "
        "it: part of it is LeadGen Ltd's processing"
    )
    # the findings are the same: the flow is still judged as the shop's own
    assert ("flows", "send-news") not in {f.element for f in result.findings}
