"""A processor's onward flows and statutory returns, as the auditor's review of 2026-12-02
found them: a payroll bureau (processor) filing a return with the tax authority was called a
controller, asked for a data sharing agreement, and listed the tax authority as its
sub-processor in the processors register and the record of processing."""

from __future__ import annotations

from flowaudit.policies.schema import Severity
from flowaudit.reports.registers import build_registers
from flowaudit.reports.text import render_text
from tests.helpers import FIXTURES, audit_files

ROLES = FIXTURES / "checks" / "agreement" / "roles.yaml"


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
