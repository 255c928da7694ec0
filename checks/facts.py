"""The facts of one audit: the map's facts (model/facts.py) plus what depends on the audit
date and the policy, such as the state of each agreement on that date.

The engine builds them once per audit, the checks read them through their Context, and the
result carries them for the reports: an agreement the expiry rule calls expiring (with the
policy's window, overrides included) is the agreement the report calls expiring soon.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property

from flowaudit.model.facts import MapFacts
from flowaudit.model.loader import LoadedMap
from flowaudit.model.schema import Agreement, AgreementStatus, Flow
from flowaudit.policies.schema import AgreementExpiryRule, RuleBase, WaiverRule


def not_yet_in_force(agreement: Agreement, as_of: date) -> bool:
    """Signed after the audit date."""
    return agreement.signed_on is not None and agreement.signed_on > as_of


def expired(agreement: Agreement, as_of: date) -> bool:
    """Expired before the audit date (an agreement is in force on its expiry day)."""
    return agreement.expires_on is not None and agreement.expires_on < as_of


def expiring(agreement: Agreement, as_of: date, within_days: int | None) -> bool:
    """A signed agreement that expires on the audit date or within ``within_days`` after it
    (None: no window, nothing is expiring)."""
    return (
        within_days is not None
        and agreement.status is AgreementStatus.SIGNED
        and agreement.expires_on is not None
        and as_of <= agreement.expires_on <= as_of + timedelta(days=within_days)
    )


def agreement_state(agreement: Agreement, as_of: date, within_days: int | None) -> str:
    """in force, expiring soon, expired, not yet in force, draft or unknown: the words of
    the agreement and expiry rules, with the expiry rule's window."""
    if agreement.status is AgreementStatus.UNKNOWN:
        return "unknown"
    if agreement.status is AgreementStatus.DRAFT:
        return "draft"
    if not_yet_in_force(agreement, as_of):
        return "not yet in force"
    if expired(agreement, as_of):
        return "expired"
    if expiring(agreement, as_of, within_days):
        return "expiring soon"
    return "in force"


def expiry_window(rules: Iterable[RuleBase]) -> int | None:
    """The expiry window in days of the first enabled agreement_expiry rule (overrides
    applied), or None when no rule warns of expiry."""
    return next(
        (r.within_days for r in rules if isinstance(r, AgreementExpiryRule) and r.enabled),
        None,
    )


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    if year > date.max.year:
        return date.max
    month = month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def waiver_cap(rules: Iterable[RuleBase]) -> int | None:
    """How many months after its approval a waiver may cover findings: the first enabled
    waiver rule's ``max_months`` (overrides applied; the rule that settles waivers), or None
    when no rule caps them."""
    return next((r.max_months for r in rules if isinstance(r, WaiverRule) and r.enabled), None)


class AuditFacts(MapFacts):
    """The map's facts on one audit date under one policy."""

    def __init__(
        self,
        loaded: LoadedMap,
        as_of: date,
        within_days: int | None = None,
        waiver_months: int | None = None,
    ) -> None:
        super().__init__(loaded)
        self.as_of = as_of
        self.expiry_window = within_days
        self.waiver_months = waiver_months

    @classmethod
    def build(cls, loaded: LoadedMap, rules: Iterable[RuleBase], as_of: date) -> AuditFacts:
        """The facts of an audit of ``loaded`` under ``rules`` on ``as_of``."""
        rules = tuple(rules)
        return cls(loaded, as_of, expiry_window(rules), waiver_cap(rules))

    @cached_property
    def waiver_cover_ends(self) -> dict[str, date]:
        """Per waiver id, the last day it can cover a finding: its expiry, or, where it claims
        more than the waiver rule's ``max_months`` after its approval, that cap (9999-12-31
        buys a year, not forever). The waiver rule covers findings until then and the
        waivers register says so (DPO review 2026-12-03p, problem 5: the register showed the
        claimed expiry, and called a waiver past its cap one that "matches nothing")."""
        months = self.waiver_months
        return {
            w.id: w.expires_on
            if months is None
            else min(w.expires_on, add_months(w.approved_on, months))
            for w in self.loaded.data.waivers
        }

    @cached_property
    def agreement_states(self) -> dict[str, str]:
        """Per agreement id, its state on the audit date (see ``agreement_state``)."""
        return {
            a.id: agreement_state(a, self.as_of, self.expiry_window)
            for a in self.loaded.data.agreements
        }

    def agreement_state(self, agreement: Agreement) -> str:
        return self.agreement_states[agreement.id]

    def flow_agreement_state(self, flow: Flow) -> str | None:
        """The state of the agreement a flow names (None: it names none, or an unknown id)."""
        return self.agreement_states.get(flow.agreement or "")

    def transfer_agreement_state(self, flow: Flow) -> str | None:
        """The state of the transfer agreement a flow names (None: none or an unknown id)."""
        return self.agreement_states.get(flow.transfer_agreement or "")
