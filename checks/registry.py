"""The explicit list of rule kinds and the check that evaluates each. No import magic:
adding a check means adding a line here (and the meta-test fails until it is documented
and tested)."""

from __future__ import annotations

from typing import Any

from flowaudit.checks import (
    agreement,
    agreement_evidence,
    agreement_expiry,
    breach,
    categories_allowed,
    condition,
    consent_required,
    cookies,
    criminal_offence,
    declared_only,
    encryption,
    fields_required,
    forbidden,
    lawful_basis,
    notice_content,
    onward,
    processor_duties,
    record_evidence,
    retention,
    rights,
    special_category,
    subprocessing,
    transfer,
    waiver,
)
from flowaudit.checks.base import Check

CHECKS: dict[str, Check[Any]] = {
    check.kind: check
    for check in (
        agreement.CHECK,
        lawful_basis.CHECK,
        transfer.CHECK,
        categories_allowed.CHECK,
        forbidden.CHECK,
        consent_required.CHECK,
        retention.CHECK,
        encryption.CHECK,
        declared_only.CHECK,
        fields_required.CHECK,
        condition.CHECK,
        onward.CHECK,
        subprocessing.CHECK,
        processor_duties.CHECK,
        special_category.CHECK,
        agreement_expiry.CHECK,
        agreement_evidence.CHECK,
        record_evidence.CHECK,
        rights.CHECK,
        waiver.CHECK,
        breach.CHECK,
        cookies.CHECK,
        criminal_offence.CHECK,
        notice_content.CHECK,
    )
}
