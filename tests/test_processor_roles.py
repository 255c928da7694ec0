"""A processor's onward flows and statutory returns, as the auditor's review of 2026-12-02
found them: a payroll bureau (processor) filing a return with the tax authority was called a
controller, asked for a data sharing agreement, and listed the tax authority as its
sub-processor in the processors register and the record of processing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.schema import Severity
from flowaudit.reports.law import rows_relied_on
from flowaudit.reports.registers import build_registers
from flowaudit.reports.text import render_text
from tests.helpers import FIXTURES, audit_files, audit_paths

ROLES = FIXTURES / "checks" / "agreement" / "roles.yaml"
LEGAL = load_legal_table()


def test_a_statutory_return_passes_and_says_on_which_reading() -> None:
    result = audit_files(ROLES)
    passed = {e.element[1]: e.unconfirmed for e in result.passed if e.rule_id == "GDPR-AGREEMENT"}
    for flow in ("own-return", "payroll-return"):
        (mark,) = passed[flow]
        assert mark.startswith("legal_obligation: no data sharing agreement expected (ICO Data")
    assert passed["to-payroll"] == ()  # a processor's contract is no disclosure the law requires
    text = render_text(result, Severity.LOW)
    assert (
        "Passed on an UNCONFIRMED legal row: legal_obligation: no data sharing agreement "
        "expected (ICO Data Sharing Code"
    ) in text
    assert "GDPR-AGREEMENT flows/own-return, GDPR-AGREEMENT flows/payroll-return)" in text


def test_the_tax_authority_is_no_sub_processor_of_the_payroll_bureau() -> None:
    registers = build_registers(audit_files(ROLES))
    (payroll,) = [row for row in registers.processors if row.party_id == "payroll"]
    # its own processor is; the tax authority, a controller of the return, is not
    assert payroll.sub_processors == ("UK Processor",)


def test_a_notice_promise_of_agreements_holds_whatever_the_basis(tmp_path: Path) -> None:
    """Re-basing the card payments on legal_obligation switched off the notice's promise of a
    data sharing agreement with payment processors (attack review 2026-12-02e, hole 5): the
    law expects none for a disclosure it requires; the notice promises one regardless."""
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    start = text.index("  - id: card-payments")
    end = text.index("\n\n", start)
    block = text[start:end]
    edited = (
        "\n".join(line for line in block.splitlines() if not line.strip().startswith("basis:"))
        + "\n    basis: legal_obligation\n    recipient_role: controller"
    )
    flows.write_text(text[:start] + edited + text[end:], encoding="utf-8")
    result = audit_paths([str(folder)], date(2026, 11, 25))
    (card,) = [
        f
        for f in result.findings
        if f.element == ("flows", "card-payments") and "CONCERO-PAYMENT-AGREEMENT" in f.rule_ids
    ]
    assert card.code.startswith("sharing-")
    passed = {e.rule_id for e in result.passed if e.element == ("flows", "card-payments")}
    assert "CONCERO-PAYMENT-AGREEMENT" not in passed


def test_a_one_off_disclosure_passes_on_the_tables_reading_but_not_a_notices_promise(
    tmp_path: Path,
) -> None:
    """A one-off report to the police (occasional: true) was asked for a data sharing agreement
    as good practice (DPO review 2026-12-02g, problem 8): the code's agreements are for routine
    sharing, and the pass names the legal table's row it rests on (UNCONFIRMED). A notice's
    promise of agreements (CONCERO-PAYMENT-AGREEMENT) holds however often the data goes."""
    police = tmp_path / "police.yaml"
    police.write_text(
        "parties:\n"
        "  - {id: police, name: Thames Valley Police, kind: police, country: GB,"
        " role: controller}\n"
        "flows:\n"
        "  - {id: report, from: acme, to: police, categories: [contact], subjects: [staff],"
        " purpose: support, basis: legitimate_interests, occasional: true}\n",
        encoding="utf-8",
    )
    result = audit_files(police)
    assert [f for f in result.findings if f.rule_id == "GDPR-AGREEMENT"] == []
    (passed,) = [e for e in result.passed if e.rule_id == "GDPR-AGREEMENT"]
    assert passed.element == ("flows", "report")
    assert passed.unconfirmed == (
        "one-off-sharing: no data sharing agreement expected (ICO Data Sharing Code (in force "
        "2021-10-05): data sharing agreements for routine sharing; one-off requests and "
        "emergencies decided and recorded case by case)",
    )
    # the report's "Legal table used" names the row and what it says
    (row,) = rows_relied_on(LEGAL, [], [passed.unconfirmed])[2]
    assert (row.id, row.what, row.unconfirmed, row.passes) == (
        "one-off-sharing",
        "A one-off disclosure to an independent controller (occasional: true): no data "
        "sharing agreement expected",
        True,
        1,
    )
    folder = tmp_path / "concero"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    start = text.index("  - id: card-payments")
    end = text.index("\n\n", start)
    edited = text[start:end] + "\n    occasional: true\n    recipient_role: controller"
    flows.write_text(text[:start] + edited + text[end:], encoding="utf-8")
    concero = audit_paths([str(folder)], date(2026, 11, 25))
    assert any(
        "CONCERO-PAYMENT-AGREEMENT" in f.rule_ids and f.code.startswith("sharing-")
        for f in concero.findings
        if f.element == ("flows", "card-payments")
    )
