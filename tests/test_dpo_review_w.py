"""DPO review 2026-12-03w, problems 5, 7 and 8: the records of processing (Art. 30) and the
transfer rule's word on an assumed home country, on the shipped Concero map."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from flowaudit.reports.registers import build_registers
from flowaudit.reports.ropa import build_ropa
from tests.helpers import run


def _shipped() -> AuditResult:
    return audit(AuditRequest([shipped_map_dir()], date(2026, 11, 25)))


IE_ADEQUACY = (
    "IE: adequacy (DPA 2018 Sch. 21 paras 4-5 (inserted by SI 2019/419); kept by DUAA 2025 Sch. 9)"
)


def test_w8_the_processor_record_gives_irelands_adequacy_as_the_controller_record_does() -> None:
    """Problem 8: the Art. 30(2) row for the schools listed IE as a third country with no
    safeguard, while the Art. 30(1) sla_support row gave its adequacy for the same flow
    (hosting-eea): both records now give it through one function."""
    ropa = build_ropa(_shipped())
    (school,) = [r for r in ropa.processor_rows if r.purpose_id == "customer-schools"]
    (support,) = [r for r in ropa.rows if r.purpose_id == "sla_support"]
    assert "IE" in school.cells["third_countries"]
    assert IE_ADEQUACY in school.cells["safeguards"]
    assert IE_ADEQUACY in support.cells["safeguards"]
    assert [s for s in school.cells["safeguards"] if s.startswith("IE")] == [IE_ADEQUACY]


SHOP = Path(__file__).parent.parent / "model" / "examples" / "shop"


def _shop_with_payfast(tmp_path: Path, country: str) -> Path:
    """Scenario s8 (s8us): the shop's payment processor with an assumed home country."""
    folder = tmp_path / "shop"
    shutil.copytree(SHOP, folder)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    old = "    country: IE\n"
    assert text.count(old) == 1
    organisation.write_text(
        text.replace(
            old,
            f"    country: {country}\n"
            "    assumed: {country: the processor's country is not known}\n",
        ),
        encoding="utf-8",
    )
    return folder


def test_w5_no_transfer_on_an_assumed_home_country_is_a_pass_on_an_assumed_fact(
    tmp_path: Path,
) -> None:
    """Problem 5 (s8): card data to a payment processor whose GB country is only assumed
    passed in silence, with no GDPR-TRANSFER entry at all, and the record gave GB as fact.
    Now the transfer rule's pass says it rests on the assumed country, the transfers register
    still lists no transfer, and the record marks the country; with the assumed country US
    (s8us) the finding names the assumption as before."""
    folder = _shop_with_payfast(tmp_path, "GB")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if "payfast" in line] == [
        "Passed on an ASSUMED fact: payfast country GB (the processor's country is not known), "
        "so no restricted transfer, to be verified: 2 checks (GDPR-TRANSFER flows/card-payment, "
        "GDPR-TRANSFER flows/refunds)"
    ]
    audited = audit(AuditRequest([folder], date(2026, 11, 25)))
    fact = (
        "payfast country GB (the processor's country is not known), so no restricted "
        "transfer, to be verified"
    )
    assert [
        (e.rule_id, e.element[1])
        for e in audited.passed
        if e.rule_id == "GDPR-TRANSFER" and e.assumed == (fact,)
    ] == [("GDPR-TRANSFER", "card-payment"), ("GDPR-TRANSFER", "refunds")]
    transfers = [row.flow.id for row in build_registers(audited).transfers]
    assert "card-payment" not in transfers and "refunds" not in transfers
    (payments,) = [r for r in build_ropa(audited).rows if r.purpose_id == "payments"]
    assert "Payfast Payments Ltd (controller, GB [ASSUMED])" in payments.cells["recipients"]
    assert payments.cells["third_countries"] == ()
    abroad = run(["check", str(_shop_with_payfast(tmp_path / "us", "US")), "--as-of", "2026-11-25"])
    assert abroad.exit_code == 1
    assert "(destination assumed US, to be verified: the processor's country is not known)" in (
        abroad.stdout
    )
    assert "so no restricted transfer" not in abroad.stdout


def test_w5_a_country_that_is_a_fact_gives_no_assumed_pass(tmp_path: Path) -> None:
    """Problem 5, the other side: a recipient at home whose country is a fact is no transfer
    and no pass of the transfer rule, as before (the shipped shop: Payfast in IE is a
    transfer; the courier in GB is nothing)."""
    audited = audit(AuditRequest([SHOP], date(2026, 11, 25)))
    assert not any("no restricted transfer" in fact for e in audited.passed for fact in e.assumed)


def test_w5_the_shipped_card_payments_pass_rests_on_the_assumed_country() -> None:
    """Problem 5 on the shipped map: card-payments' "no transfer" is a pass of both transfer
    rules on the payment processor's assumed country GB, and the Art. 30(1) record marks it."""
    result = _shipped()
    assumed = {
        (e.rule_id, e.element[1]): e.assumed
        for e in result.passed
        if e.element[1] == "card-payments"
    }
    fact = (
        "payment-processor country GB (the notice names neither the payment processor nor its "
        "country), so no restricted transfer, to be verified"
    )
    assert assumed[("GDPR-TRANSFER", "card-payments")] == (fact,)
    assert assumed[("CONCERO-TRANSFER", "card-payments")] == (fact,)
    (orders,) = [r for r in build_ropa(result).rows if r.purpose_id == "orders_billing"]
    assert (
        "Payment processor (not named) (role not recorded, GB [ASSUMED])"
        in (orders.cells["recipients"])
    )


PAYROLL_CLIENT = """\
parties:
  - {id: acme, name: Acme Ltd, kind: customer, country: GB, role: controller%s}
subjects:
  - {id: acme_employees, name: Acme employees, party_to_contract: false}
categories:
  - {id: payroll, name: Payroll data}
purposes:
  - {id: payroll_service, name: Payroll bureau service, business_function: Payroll}
agreements:
  - {id: acme-dpa, kind: art28_dpa, parties: [acme, shopwave], status: signed,
     signed_on: 2024-01-01, categories: [payroll], evidence: signed}
flows:
  - {id: acme-sends-payroll, from: acme, to: shopwave, categories: [payroll],
     subjects: [acme_employees], purpose: payroll_service, recipient_role: processor,
     agreement: acme-dpa, encrypted_in_transit: true}
"""


def _shop_processing_for_acme(tmp_path: Path, acme_contact: str, own_contact: bool) -> Path:
    """Scenario s1, cut down: the shop is Acme's payroll processor."""
    folder = tmp_path / "shop"
    shutil.copytree(SHOP, folder)
    (folder / "scenario.yaml").write_text(PAYROLL_CLIENT % acme_contact, encoding="utf-8")
    if not own_contact:
        organisation = folder / "organisation.yaml"
        lines = organisation.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("  contact: ")]
        assert len(kept) == len(lines) - 1
        organisation.write_text("".join(kept), encoding="utf-8")
    return folder


def _section(markdown: str, heading: str) -> list[str]:
    """The lines of a Markdown section up to its table or the next heading."""
    lines = markdown.splitlines()
    start = lines.index(heading) + 2
    end = start
    while end < len(lines) and lines[end] and not lines[end].startswith(("#", "|")):
        end += 1
    return lines[start:end]


def test_w7_the_shipped_records_give_concero_contact_details_from_the_notice() -> None:
    """Problem 7: neither Markdown record gave the controller's or processor's contact details
    (Art. 30(1)(a), 30(2)(a)), and the processor record had no head naming the processor.
    Concero's contact is now in the map (notice lines 20-28) and both records give it; the
    processor record names the processor and its controllers, and says the schools' contact
    details are not recorded."""
    result = run(["ropa", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    contact = [
        "Contact name: Concero Technology Services",
        # in a code span, as recorded (auditor review 2026-12-03y, problem 8)
        "Contact email: `enquiries@concerouk.com`",
        "Contact phone: 0333 111 0004",
        "Contact address: 303 Tettenhall Road, Wolverhampton, WV6 0LB",
    ]
    head = [
        "Concero Technology Services",
        "Country: GB",
        "Regime: UK",
        "Description: IT services for schools and SMEs, Wolverhampton (UK company 06673066)",
    ]
    assert _section(result.stdout, "## The record") == [
        f"- Controller: {head[0]}",
        *(f"- {line}" for line in head[1:]),
        *(f"- Controller {line[0].lower()}{line[1:]}" for line in contact),
        "- As of: 2026-11-25",
    ]
    assert _section(result.stdout, "## Record of processing as processor (Art. 30(2))") == [
        f"- Processor: {head[0]}",
        "- Controllers it processes for: Customer schools (GB)",
        *(f"- {line}" for line in head[1:]),
        *(f"- Processor {line[0].lower()}{line[1:]}" for line in contact),
        "- As of: 2026-11-25",
        "- NOT RECORDED: the contact details of Customer schools (Art. 30(2)(a) asks those of "
        "each controller): record the party's contact (name, email, phone, address)",
    ]


def test_w7_a_record_without_contact_details_says_so(tmp_path: Path) -> None:
    """Problem 7: the shop with its contact removed, processing payroll for Acme, which has
    none recorded: each record says what its (a) item lacks, in Markdown and HTML."""
    folder = _shop_processing_for_acme(tmp_path, "", own_contact=False)
    result = run(["ropa", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    gaps = [line for line in result.stdout.splitlines() if "NOT RECORDED" in line]
    assert gaps == [
        "- NOT RECORDED: the controller's contact details (Art. 30(1)(a) asks the controller's "
        "name and contact details): record the organisation's contact (name, email, phone, "
        "address)",
        "- NOT RECORDED: the processor's contact details (Art. 30(2)(a) asks the processor's "
        "name and contact details): record the organisation's contact (name, email, phone, "
        "address)",
        "- NOT RECORDED: the contact details of Acme Ltd (Art. 30(2)(a) asks those of each "
        "controller): record the party's contact (name, email, phone, address)",
    ]
    assert _section(result.stdout, "## Record of processing as processor (Art. 30(2))")[:2] == [
        "- Processor: Shopwave Ltd",
        "- Controllers it processes for: Acme Ltd (GB)",
    ]
    html = run(["ropa", str(folder), "--as-of", "2026-11-25", "--format", "html"])
    assert html.exit_code == 0, html.output
    assert '<tr><th scope="row">Processor</th><td>Shopwave Ltd</td></tr>' in html.stdout
    assert '<tr><th scope="row">Contact of Acme Ltd</th><td class="empty"></td></tr>' in html.stdout
    assert html.stdout.count('<li class="invalid">NOT RECORDED: ') == 3


def test_w7_a_controllers_recorded_contact_is_on_the_processor_record(tmp_path: Path) -> None:
    """Problem 7: a controller's contact recorded on its party is given on the record kept
    as its processor (Art. 30(2)(a)), and nothing is said missing."""
    folder = _shop_processing_for_acme(
        tmp_path, ", contact: {name: Acme payroll office, email: payroll@acme.example}", True
    )
    result = run(["ropa", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert "NOT RECORDED" not in result.stdout
    section = _section(result.stdout, "## Record of processing as processor (Art. 30(2))")
    assert section[:3] == [
        "- Processor: Shopwave Ltd",
        "- Controllers it processes for: Acme Ltd (GB)",
        "- Contact of Acme Ltd: Acme payroll office, `payroll@acme.example`",
    ]
