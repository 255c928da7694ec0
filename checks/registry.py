"""The explicit list of checks, one per rule kind. No import magic: adding a rule kind means
its model in ``policies.schema.RULE_KINDS`` and its check module on a line here; a test fails
until the kinds here and there are the same, each exactly once (and the meta-tests until it is
documented and tested). A check names no kind of its own: it takes it from its rule model."""

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
    representative,
    retention,
    rights,
    special_category,
    store_contents,
    store_source,
    subprocessing,
    transfer,
    waiver,
)
from flowaudit.checks.base import Check

#: Every check, in the order of ``RULE_KINDS``.
REGISTERED: tuple[Check[Any], ...] = (
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
    store_contents.CHECK,
    store_source.CHECK,
    representative.CHECK,
)

#: The check of each rule kind.
CHECKS: dict[str, Check[Any]] = {check.kind: check for check in REGISTERED}
