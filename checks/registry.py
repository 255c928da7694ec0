"""The explicit list of rule kinds and the check that evaluates each. No import magic:
adding a check means adding a line here (and the meta-test fails until it is documented
and tested)."""

from __future__ import annotations

from typing import Any

from flowaudit.checks import agreement, lawful_basis, transfer
from flowaudit.checks.base import Check

CHECKS: dict[str, Check[Any]] = {
    check.kind: check
    for check in (
        agreement.CHECK,
        lawful_basis.CHECK,
        transfer.CHECK,
    )
}
