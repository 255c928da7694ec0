"""``flowaudit law``: the legal table in force on a date for one regime, each row with its
source, so an auditor can see what a verdict relied on. Rows no primary source confirmed carry
an UNCONFIRMED mark."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flowaudit.policies.legal import Dated, LegalTable
from flowaudit.reports.sanitise import for_json, for_terminal

FIRST_DAY = date(2018, 5, 25)


def _span(row: Dated) -> str:
    """When a row applies, its last day inclusive (the table stores the first day it does not)."""
    parts = []
    if row.valid_from is not None:
        parts.append(f"from {row.valid_from}")
    if row.invalid_from is not None:
        parts.append(f"until {row.invalid_from - timedelta(days=1)}")
    return " ".join(parts) or "throughout (no start or end in the table)"


def law_in_force(legal: LegalTable, regime: str, on: date) -> dict[str, Any]:
    """The rows in force for a regime's exporters on a date, as plain data."""
    period = legal.period_of(regime, on)
    table = legal.effective_regime(regime, on)

    def row(item: Any, what: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": item.id,
            "what": what,
            "in_force": _span(item)
            if isinstance(item, Dated)
            else "throughout (no start or end in the table)",
            "source": item.source,
            "url": getattr(item, "url", None),
            "unconfirmed": bool(getattr(item, "unconfirmed", False)),
            **extra,
        }

    adequacy = [
        row(
            a,
            ", ".join(a.destinations)
            + (f" (importers listed under {a.requires_listing})" if a.requires_listing else ""),
        )
        for a in legal.transfers.adequacy
        if a.exporter == table and a.in_force(on)
    ]
    mechanisms = [
        row(m, m.name)
        for m in legal.transfers.mechanisms
        if m.is_mechanism and table in m.exporters and m.in_force(on)
    ]
    bases = [row(b, b.name) for b in legal.bases.bases if regime in b.regimes and b.in_force(on)]
    # the conditions a flow on recognised legitimate interests names, while that basis is open
    needing = [b for b in legal.bases.bases if b.requires_recognised_condition]
    recognised = [
        row(c, c.name, in_force=f"with {b.id}, {_span(b)}")
        for b in needing
        if regime in b.regimes and b.in_force(on)
        for c in legal.bases.recognised_conditions
    ]
    duties = [row(d, d.name) for d in legal.bases.duties if d.applies(regime, on)]
    test = legal.transfers.data_protection_test
    if test is not None and table in test.exporters and test.in_force(on):
        # the transfer rule's own dated duty (UK GDPR Art. 46(1A)): a verdict relies on it
        duties.append(
            row(
                test,
                "the exporter judges the data protection test met for transfers under "
                + ", ".join(test.mechanisms),
            )
        )
    art10 = [
        row(
            c,
            c.name
            + (
                " (needs an appropriate policy document)"
                if regime in c.requires_policy_document
                else ""
            ),
        )
        for c in legal.bases.art10_conditions
        if regime in c.regimes
    ]
    consent = [
        row(r, f"{r.field}: {str(r.invalid_if).lower()} (it {r.says})")
        for r in legal.consent_requirements
    ]
    child_age = legal.child_consent_ages.get(regime)
    children = (
        [
            row(
                child_age,
                f"below {child_age.age}, a child's consent to an online service offered directly "
                "to them is given or authorised by the holder of parental responsibility",
            )
        ]
        if child_age is not None
        else []
    )
    limits = [
        {
            "id": f"{b.id} not for {limit.purpose}",
            "what": f"{b.name} is not open for the purpose '{limit.purpose}': {limit.why}",
            "in_force": f"with {b.id}, {_span(b)}",
            "source": limit.source,
            "url": limit.url,
            "unconfirmed": limit.unconfirmed,
        }
        for b in legal.bases.bases
        if regime in b.regimes and b.in_force(on)
        for limit in b.not_for_purposes
    ]
    return {
        "format_version": 1,
        "regime": regime,
        "as_of": on.isoformat(),
        "modelled": on >= FIRST_DAY,
        "follows": table,
        "period": row(period, period.notes or period.id) if period is not None else None,
        "inside": sorted(legal.inside(table, on)),
        "sections": {
            "adequacy": adequacy,
            "mechanisms": mechanisms,
            "lawful_bases": bases,
            # only while a basis that needs one is open (the UK's, from 2026-02-05)
            **({"recognised_conditions": recognised} if recognised else {}),
            "duties": duties,
            "art10_conditions": art10,
            "basis_limits": limits,
            "consent_requirements": consent,
            "child_consent_age": children,
        },
    }


TITLES = {
    "adequacy": "Adequacy (no further mechanism needed)",
    "mechanisms": "Transfer mechanisms valid on the day",
    "lawful_bases": "Art. 6(1) lawful bases",
    "recognised_conditions": "Annex 1 conditions of recognised legitimate interests (Art. 6(5))",
    "duties": "Dated duties that apply",
    "art10_conditions": "Art. 10 conditions (criminal offence data)",
    "basis_limits": "Purposes a lawful basis is never open for",
    "consent_requirements": "What a consent record may state that shows consent not valid",
    "child_consent_age": "Children's consent (Art. 8(1))",
}


def render_law_text(law: dict[str, Any]) -> str:
    """One block per section; every text through the terminal sanitiser (the table is data)."""
    return "\n".join(for_terminal(line) for line in _law_lines(law)) + "\n"


def _law_lines(law: dict[str, Any]) -> list[str]:
    lines = [f"Law in force on {law['as_of']} for {law['regime']} exporters and controllers"]
    if not law["modelled"]:
        lines.append(f"NOTE: dates before {FIRST_DAY} are not modelled (the GDPR applied then).")
    period = law["period"]
    if period is not None:
        lines.append(
            f"Period {period['id']}: {period['what']}; {law['regime']} exporters follow the "
            f"{law['follows']} table ({period['source']})"
        )
    lines.append(f"No restricted transfer within: {', '.join(law['inside'])}")
    for key, rows in law["sections"].items():
        lines += ["", f"{TITLES[key]}:"]
        if not rows:
            lines.append("  (none)")
        for item in rows:
            mark = " [UNCONFIRMED]" if item["unconfirmed"] else ""
            lines.append(f"  {item['id']}{mark}: {item['what']} [{item['in_force']}]")
            link = f" <{item['url']}>" if item["url"] else ""
            lines.append(f"      source: {item['source']}{link}")
    return lines


def render_law_json(law: dict[str, Any]) -> str:
    return for_json(law)
