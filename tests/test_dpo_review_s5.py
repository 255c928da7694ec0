"""DPO review s5 (DPO review of 2026-12-03, round s5), problems 1 and 3: a third party's
flow into a store the organisation's processor holds for it was judged by no rule where the
sender is a controller the organisation serves as processor (any client with one
``recipient_role: processor`` flow to it), or where the flow names ``processor``.

1. On the shipped Concero map, school staff's tickets written straight into Concero's
   Zendesk portal (a client Concero serves as processor for its server work) dropped a
   CRITICAL transfer and a HIGH basis finding that the same flow from the SMEs gives. The
   flow is Concero's collection, judged as such.
3. A corporate client uploading its gift list into the shop's order database with its true
   role (``recipient_role: processor``) passed with 0 findings: no Art. 30(2) record entry,
   no breach notice owed to the client. It is the shop processing for the client.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, concero_with, located_findings, shop_scenario

SCENARIOS = Path(__file__).parent / "fixtures" / "dpo_s5"

TICKETS = """flows:
  - id: tickets-by-web-form
    from: customer-schools
    to: helpdesk
    categories: [contact.name, contact.email, support, credentials]
    subjects: [customer_staff]
    purpose: sla_support
    encrypted_in_transit: true
    notice: N-HELPDESK
"""


def test_problem_1_a_served_schools_tickets_into_the_helpdesk_are_concero_s(
    tmp_path: Path,
) -> None:
    result = audit_folder(concero_with(tmp_path, TICKETS))
    facts = result.facts.flow("tickets-by-web-form")
    assert (facts.direction, facts.recipient.id) == ("inbound", "concero")
    assert [
        (rules, code, line)
        for rules, code, element, _, line, _ in located_findings(result)
        if element == "flows/tickets-by-web-form"
    ] == [
        ("GDPR-TRANSFER + CONCERO-TRANSFER", "no-mechanism", 2),
        ("GDPR-BASIS", "missing", 2),
    ]


def test_problem_3_a_clients_upload_said_processor_is_the_shop_processing_for_it(
    tmp_path: Path,
) -> None:
    result = audit_folder(shop_scenario(tmp_path / "i3", SCENARIOS / "i3.yaml"))
    facts = result.facts.flow("bigco-upload")
    assert (facts.direction, facts.recipient.id) == ("inbound", "shopwave")
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-BREACH", "processor-no-controller-notice", "organisation/shopwave"),
        ("GDPR-PROCESSOR", "no-processor-record", "organisation/shopwave"),
        ("HYG-STORE-CONTENTS", "more-than-declared", "flows/bigco-upload"),
    ]
