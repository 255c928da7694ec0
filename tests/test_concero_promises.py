"""Concero's promises against maps a DPO extends: the shipped map with one file added, as a
hidden scenario would write it (DPO review 2026-12-03l)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import EXTRA, concero_with, run


def _check_with(tmp_path: Path, extra: str) -> list[tuple[str, tuple[str, ...], str, str]]:
    """The findings on the elements the extra file adds: (element, rules, severity, code)."""
    folder = concero_with(tmp_path, extra)
    result = run(["check", str(folder), "--as-of", "2026-11-25", "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    return [
        (
            f"{f['element']['collection']}/{f['element']['id']}",
            (f["rule_id"], *f["also_rules"]),
            f["severity"],
            f["code"],
        )
        for f in findings
        if f["location"] and EXTRA in f["location"]["file"]
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "advertising",
        "advertiser",
        "ad_network",
        "adtech",
        "list_broker",
        "list_rental",
        "data_brokerage",
        "advertising_agency",
        "data_seller",
        "lead_generation",
        # attack review 2026-12-03o, problem 9
        "data_broking",
        "list_broking",
        "data_sales",
        "data_trader",
        "ad_tech",
        "adnetwork",
        "ad_exchange",
    ],
)
def test_an_ad_network_is_a_broken_no_sale_promise_whatever_kind_word_it_has(
    tmp_path: Path, kind: str
) -> None:
    """Problem 4: "we never sell it on for marketing or advertising purposes" (N-SHARE); an
    ad network of kind `advertising` got no CONCERO-NO-SALE* finding, only `marketing` did;
    nor did a broker of kind `list_broker` or `list_rental` (attack review 2026-12-03l, 3)."""
    found = _check_with(
        tmp_path,
        f"""\
parties:
  - {{id: adnet, name: AdReach Ltd, kind: {kind}, country: GB, role: controller}}
purposes:
  - {{id: audience_matching, name: Matching contacts to ad audiences, notice: N-SHARE}}
flows:
  - {{id: ad-upload, from: concero, to: adnet, categories: [contact.email],
     subjects: [customer_staff], purpose: audience_matching, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-SHARE}}
""",
    )
    # the purpose the notice never declared is the same broken promise: one finding
    assert (
        "flows/ad-upload",
        ("CONCERO-NO-SALE-RECIPIENT", "CONCERO-DECLARED"),
        "critical",
        "broker-or-advertiser",
    ) in found


def test_one_sale_to_a_broker_is_one_critical_finding(tmp_path: Path) -> None:
    """Problem 13: the forbidden purpose `sale`, the recipient's kind `data_broker` and the
    purpose the notice does not declare are one broken promise: one finding citing the three
    rules, not two criticals and a medium."""
    found = _check_with(
        tmp_path,
        """\
parties:
  - {id: broker, name: ListCo Ltd, kind: data_broker, country: GB, role: controller}
purposes:
  - {id: sale, name: Sale of contact lists, notice: N-SHARE}
flows:
  - {id: sell, from: concero, to: broker, categories: [contact.email],
     subjects: [customer_staff], purpose: sale, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-SHARE}
""",
    )
    sale = [f for f in found if f[0] == "flows/sell" and f[2] == "critical"]
    assert sale == [
        (
            "flows/sell",
            ("CONCERO-NO-SALE", "CONCERO-NO-SALE-RECIPIENT", "CONCERO-DECLARED"),
            "critical",
            "purpose",
        )
    ]
    # the undeclared purpose is the same broken promise, not a medium finding beside it
    assert not [f for f in found if f[0] == "flows/sell" and f[1][0] == "CONCERO-DECLARED"]


def test_passwords_sent_out_of_the_helpdesk_under_its_own_clause_are_found(
    tmp_path: Path,
) -> None:
    """Problem 5: a flow from the helpdesk store carrying passwords, labelled N-HELPDESK,
    escaped CONCERO-HELPDESK-CREDENTIALS by its label; only the flows into the helpdesk are
    the clause's carve-out."""
    found = _check_with(
        tmp_path,
        """\
parties:
  - {id: contractor, name: Support Contractor Ltd, kind: contractor, country: GB,
     role: processor}
flows:
  - {id: tickets-to-contractor, from: helpdesk, to: contractor,
     categories: [contact.name, credentials.password], subjects: [customer_staff],
     purpose: customer_support, encrypted_in_transit: true, notice: N-HELPDESK}
""",
    )
    assert (
        "flows/tickets-to-contractor",
        ("CONCERO-HELPDESK-CREDENTIALS",),
        "high",
        "category",
    ) in found


@pytest.mark.parametrize(
    "kind", ["data_broker", "data_brokerage", "advertising_agency", "data_broking", "ad_exchange"]
)
def test_a_broker_reached_through_a_partner_is_a_broken_no_sale_promise(
    tmp_path: Path, kind: str
) -> None:
    """Attack review 2026-12-03m, problem 1: the chain rule matched exact kind words, so a
    broker of kind `data_brokerage` reached through the product partner got no CRITICAL
    while one of kind `data_broker` did; its kinds are patterns now (`*broker*`)."""
    found = _check_with(
        tmp_path,
        f"""\
parties:
  - {{id: brokerco, name: BrokerCo Ltd, kind: {kind}, country: GB, role: controller}}
flows:
  - {{id: partner-resells, from: product-partner, to: brokerco,
     categories: [contact.name, contact.email], subjects: [customer_staff],
     purpose: product_introductions}}
""",
    )
    assert (
        "flows/partner-resells",
        ("CONCERO-NO-SALE-ONWARD",),
        "critical",
        "forbidden-recipient",
    ) in found


def test_a_new_contact_detail_is_not_declared_by_being_filed_under_contact(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03m, problem 4: the notice's list declared `contact` as a whole,
    so a date of birth filed as `contact.date_of_birth` passed as declared; N-COLLECT names
    each contact detail (a work address, no date of birth)."""
    found = _check_with(
        tmp_path,
        """\
categories:
  - {id: contact.date_of_birth, name: Date of birth}
flows:
  - {id: birthdays, from: customer-schools, to: crm, categories: [contact.date_of_birth],
     subjects: [customer_staff], purpose: customer_support, basis: legitimate_interests,
     encrypted_in_transit: true, notice: N-COLLECT}
""",
    )
    assert ("flows/birthdays", ("CONCERO-DECLARED",), "medium", "category") in found


def _locations(found: list[tuple[str, tuple[str, ...], str, str]]) -> list[tuple[str, str, str]]:
    return [(f[0], f[2], f[3]) for f in found if "CONCERO-SERVER-LOCATION" in f[1]]


def test_a_server_outside_the_notices_countries_is_a_broken_location_promise(
    tmp_path: Path,
) -> None:
    """DPO review 2026-12-03u, problem 8 (scenario p12): the notice says the servers are in
    the UK, the EEA and the USA (N-LOCATION); a store moved to Canada (adequate, so lawful)
    gave no finding. Now: a store in Canada and a processor in India, each one medium
    finding on the flow that puts the data there; a store in Réunion (France, so the EEA)
    and an independent controller's own premises in Canada are no broken promise."""
    found = _check_with(
        tmp_path,
        """\
parties:
  - {id: ca-hosting, name: Maple Hosting Inc, kind: hosting, country: CA, role: processor}
  - {id: in-support, name: Chennai Support Pvt Ltd, kind: support, country: IN, role: processor}
  - {id: re-hosting, name: Hébergement Réunion SAS, kind: hosting, country: RE, role: processor}
  - {id: ca-partner, name: Maple Training Inc, kind: training, country: CA, role: controller}
systems:
  - {id: ca-servers, name: Canadian servers, owner: ca-hosting, country: CA,
     categories: [contact], subjects: [customer_staff], notice: N-LOCATION}
  - {id: re-servers, name: Réunion servers, owner: re-hosting, country: RE,
     categories: [contact], subjects: [customer_staff], notice: N-LOCATION}
flows:
  - {id: hosting-ca, from: concero, to: ca-servers, categories: [contact.email],
     subjects: [customer_staff], purpose: customer_support, basis: contract,
     encrypted_in_transit: true, notice: N-LOCATION}
  - {id: support-in, from: concero, to: in-support, categories: [contact.email],
     subjects: [customer_staff], purpose: customer_support, basis: contract,
     encrypted_in_transit: true, notice: N-LOCATION}
  - {id: hosting-re, from: concero, to: re-servers, categories: [contact.email],
     subjects: [customer_staff], purpose: customer_support, basis: contract,
     encrypted_in_transit: true, notice: N-LOCATION}
  - {id: training-ca, from: concero, to: ca-partner, categories: [contact.email],
     subjects: [customer_staff], purpose: customer_support, basis: contract,
     encrypted_in_transit: true, notice: N-LOCATION}
""",
    )
    assert _locations(found) == [
        ("flows/hosting-ca", "medium", "outside-notice-countries"),
        ("flows/support-in", "medium", "outside-notice-countries"),
    ]


def test_the_shipped_map_keeps_its_servers_where_the_notice_says() -> None:
    """DPO review 2026-12-03u, problem 8: the shipped stores are in GB, IE and the US, so the
    new promise adds no finding (57 stay) and passes the flows to the servers."""
    from datetime import date

    from tests.helpers import audit_paths

    result = audit_paths([], date(2026, 11, 25))
    assert not [f for f in result.findings if "CONCERO-SERVER-LOCATION" in f.rule_ids]
    assert len(result.findings) == 57
    passed = {e.element[1] for e in result.passed if e.rule_id == "CONCERO-SERVER-LOCATION"}
    assert {"hosting-eea", "hosting-uk", "hosting-us", "helpdesk-tickets"} <= passed


def test_the_notices_server_countries_are_the_uk_the_eea_and_the_usa_of_the_legal_table() -> None:
    """The rule writes the notice's list out (a CEL expression reads no table): it must stay
    the UK's and the EU jurisdiction's countries, the territories part of them, and the US."""
    import re

    from flowaudit.policies.legal import load_legal_table
    from flowaudit.policies.loader import load_policies
    from flowaudit.policies.schema import ConditionRule

    legal = load_legal_table()
    regimes = {j.id: set(j.countries) for j in legal.transfers.jurisdictions}
    eea = regimes["EU"] | {t.id for t in legal.transfers.territories if t.part_of in regimes["EU"]}
    (rule,) = [
        r for r in load_policies(["concero-notice"]).rules if r.id == "CONCERO-SERVER-LOCATION"
    ]
    assert isinstance(rule, ConditionRule)
    listed = re.search(r"recipient\.country in \[([^\]]*)\]", rule.expression)
    assert listed is not None
    assert set(re.findall(r'"([A-Z]{2})"', listed.group(1))) == regimes["UK"] | eea | {"US"}


def test_a_sale_forbidden_outright_is_not_asked_for_a_permission_or_an_agreement(
    tmp_path: Path,
) -> None:
    """DPO review 2026-12-03u, problem 11 (scenario p10): a sale to a broker got, besides its
    critical, a medium asking for the customer's permission (N-SHARE has no permission
    exception for a sale) and a low recommending a data sharing agreement: neither cures a
    sale the notice forbids outright ("we never sell it on"), and both read as if they could.
    Decided: not reported beside the critical (moot_beside), not joined into it, which would
    put the same advice in the critical's words. The missing consent record (GDPR-BASIS), a
    duty of the law whatever the notice says, stays."""
    found = _check_with(
        tmp_path,
        """\
parties:
  - {id: broker, name: List Broker Ltd, kind: data_broker, country: GB, role: controller}
purposes:
  - {id: sale, name: Selling our contact list, notice: N-SHARE}
flows:
  - {id: list-rental, from: concero, to: broker, categories: [contact.name, contact.email],
     subjects: [customer_staff], purpose: sale, basis: consent,
     encrypted_in_transit: true, notice: N-SHARE}
""",
    )
    on_sale = [(f[1], f[2], f[3]) for f in found if f[0] == "flows/list-rental"]
    assert on_sale == [
        (
            ("CONCERO-NO-SALE", "CONCERO-NO-SALE-RECIPIENT", "CONCERO-DECLARED"),
            "critical",
            "purpose",
        ),
        (("GDPR-BASIS",), "high", "no-consent-record"),
    ]


def test_a_server_location_verdict_on_an_assumed_country_says_assumed(tmp_path: Path) -> None:
    """DPO review v, point 4: CONCERO-SERVER-LOCATION passed the helpdesk flow on the
    helpdesk's country US, which the map marks assumed, in silence, where the transfer
    rules' verdicts on the same fact say ASSUMED. Now the pass rests on an ASSUMED fact in
    every report, a finding on an assumed country says so, and a pass that holds whatever
    the country (a recipient whose recorded role the rule leaves out: the product partner, a
    controller, whose country GB is assumed too) is not marked. A recipient whose role is
    not recorded may be a processor, so its pass rests on the assumed country (DPO review
    verdict2-s17, problem 1: the payment processor, ISP, MIS support firm and installer;
    exact lines in tests/test_verdict2_s17.py)."""
    result = run(["check", "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assumed = [line for line in result.stdout.splitlines() if "CONCERO-SERVER-LOCATION" in line]
    assert assumed[0] == (
        "Passed on an ASSUMED fact: helpdesk country US (the notice does not state the Zendesk "
        "hosting region): 1 check (CONCERO-SERVER-LOCATION flows/helpdesk-tickets)"
    )
    assert len(assumed) == 5
    assert not [line for line in assumed if "product-partner" in line]
    folder = concero_with(
        tmp_path,
        """\
parties:
  - {id: ca-hosting, name: Maple Hosting Inc, kind: hosting, country: CA, role: processor,
     assumed: {country: the notice names no Canadian host}}
flows:
  - {id: hosting-ca, from: concero, to: ca-hosting, categories: [contact.email],
     subjects: [customer_staff], purpose: customer_support, basis: contract,
     encrypted_in_transit: true, notice: N-LOCATION}
""",
    )
    checked = run(["check", str(folder), "--as-of", "2026-11-25", "--format", "json"])
    (finding,) = [
        f
        for f in json.loads(checked.stdout)["findings"]
        if f["rule_id"] == "CONCERO-SERVER-LOCATION"
    ]
    assert finding["element"] == {"collection": "flows", "id": "hosting-ca"}
    assert finding["message"] == (
        "puts the data on a server, or with a processor, outside the UK, the EEA and the USA, "
        "the only places the notice says its servers are (N-LOCATION): the notice names the "
        "wrong countries (ASSUMED, to be verified: ca-hosting country CA (the notice names no "
        "Canadian host))"
    )


_SECOND_ISP = """\
parties:
  - {id: isp-two, name: FibreTwo Ltd, kind: isp, country: GB, description: a second ISP}
agreements:
  - {id: isp-two-dpa, kind: art28_dpa, parties: [concero, isp-two], status: signed,
     signed_on: 2025-01-01, categories: [contact, network], allows_subprocessing: false,
     evidence: Contracts/FibreTwo DPA.pdf}
flows:
  - {id: isp-two-provisioning, from: concero, to: isp-two, recipient_role: %s,
     categories: [contact.name, contact.address, network.ip_address],
     subjects: [customer_staff], purpose: contractual_obligations, basis: contract,
     agreement: isp-two-dpa, encrypted_in_transit: true, notice: N-ISP%s}
"""


def test_an_isp_acting_as_processor_still_owes_the_customer_its_name(tmp_path: Path) -> None:
    """N-ISP ("you will always be informed of which ISP") holds whatever the ISP's role: an
    ISP recorded as Concero's processor, with no record of the customer being told, broke a
    promise no rule checked (DPO review s2, part 1)."""
    found = _check_with(tmp_path, _SECOND_ISP % ("processor", ""))
    assert [f for f in found if f[0] == "flows/isp-two-provisioning"] == [
        ("flows/isp-two-provisioning", ("CONCERO-ISP-TOLD",), "medium", "no-notification"),
    ]


@pytest.mark.parametrize(
    "record",
    [
        "notification: welcome email naming the ISP (CRM/Onboarding)",
        # an explicit permission naming the ISP tells the customer of it too
        "permission: signed order form naming the ISP and where (Drive/Orders)",
    ],
)
def test_an_isp_the_customer_was_told_of_passes(tmp_path: Path, record: str) -> None:
    found = _check_with(tmp_path, _SECOND_ISP % ("processor", f", {record}"))
    assert [f for f in found if f[0] == "flows/isp-two-provisioning"] == []


def test_being_told_of_a_controller_isp_is_no_permission_to_share(tmp_path: Path) -> None:
    """The notification N-ISP asks for keeps that promise only: N-SHARE's explicit
    permission is still asked of an ISP acting as controller (DPO review s3, problem 2: one
    field for both let a welcome email pass the permission promise)."""
    told = ", notification: welcome email naming the ISP (CRM/Onboarding)"
    found = _check_with(tmp_path, _SECOND_ISP % ("controller", told))
    assert [f for f in found if f[0] == "flows/isp-two-provisioning" and f[2] == "medium"] == [
        ("flows/isp-two-provisioning", ("CONCERO-SHARE-PERMISSION",), "medium", "no-permission"),
    ]


def test_an_isp_acting_as_controller_is_one_finding_for_both_promises(tmp_path: Path) -> None:
    """N-SHARE's permission and N-ISP's notification ask for one record: one finding citing
    both, the two parties named once."""
    folder = concero_with(tmp_path, _SECOND_ISP % ("controller", ""))
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    [line] = [x for x in result.stdout.splitlines() if " MEDIUM " in x and "isp-two" in x]
    assert line.endswith(
        "MEDIUM CONCERO-SHARE-PERMISSION + CONCERO-ISP-TOLD (N-SHARE, N-ISP) "
        "flows/isp-two-provisioning: Concero Technology Services (controller) → FibreTwo Ltd "
        "(independent controller): no record shows the customer's explicit permission naming "
        "who receives the data and where it goes (N-SHARE); record where it is kept; no record "
        "shows the customer was told which ISP receives their data (N-ISP); record in "
        "notification where the notice naming it is kept"
    )
