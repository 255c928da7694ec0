"""``flowaudit law``: the legal table in force on a date for one regime, each row with its
source, so an auditor can see what a verdict relied on. Rows no primary source confirmed carry
an UNCONFIRMED mark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flowaudit.model.problems import plural
from flowaudit.policies.legal import (
    Adequacy,
    Art9Condition,
    Art10Condition,
    Contestable,
    Dated,
    LegalTable,
    MarketingChannelRow,
    Mechanism,
    StaffDataScope,
)
from flowaudit.reports.sanitise import for_json, for_terminal

FIRST_DAY = date(2018, 5, 25)


def span(row: Dated | None) -> str:
    """When a row applies, its last day inclusive (the table stores the first day it does not);
    None: a row with no dates."""
    parts = []
    if row is None:
        return "throughout (no start or end in the table)"
    if row.valid_from is not None:
        parts.append(f"from {row.valid_from}")
    if row.invalid_from is not None:
        parts.append(f"until {row.invalid_from - timedelta(days=1)}")
    return " ".join(parts) or "throughout (no start or end in the table)"


def contested_days(row: Contestable, on: date) -> list[dict[str, Any]]:
    """A row's contested days as plain data, each with the other reading and its source, and
    whether a verdict dated ``on`` about whether the row is in force falls on it (``today``:
    for ``new_contracts_until``, a contract signed on the day is what turns on it)."""
    today = set(row.contested_in_force(on))
    return [
        {
            "field": c.field,
            "day": c.day.isoformat(),
            "reading": c.reading,
            "source": c.source,
            "url": c.url,
            "today": c in today,
        }
        for c in row.contested
    ]


def law_in_force(legal: LegalTable, regime: str, on: date) -> dict[str, Any]:
    """The rows in force for a regime's exporters on a date, as plain data."""
    period = legal.period_of(regime, on)
    table = legal.effective_regime(regime, on)

    def row(item: Any, what: str, **extra: Any) -> dict[str, Any]:
        # a row serving several regimes, as this regime's organisations read it (its own
        # source and link: an EU organisation was shown UK GDPR, legislation.gov.uk and DPA
        # 2018 Sch. 1; auditor review 2026-12-03r, problem 3)
        read = getattr(item, "read_as", None)
        if read is not None:
            item = read(regime)
        data = {
            "id": item.id,
            "what": what,
            "in_force": span(item)
            if isinstance(item, Dated)
            else "throughout (no start or end in the table)",
            "source": item.source,
            "url": getattr(item, "url", None),
            "unconfirmed": bool(getattr(item, "unconfirmed", False)),
            **extra,
        }
        if isinstance(item, Contestable) and item.contested:
            data["contested"] = contested_days(item, on)
        return data

    # a row whose being in force on the day is contested (the old EU SCCs on 2022-12-27) is
    # listed on that day too, marked: the law's own text may keep it in force
    adequacy = [
        row(
            a,
            ", ".join(a.destinations)
            + (f" (importers listed under {a.requires_listing})" if a.requires_listing else "")
            + (f" ({a.claimed}: a pass takes it on trust)" if a.claimed else ""),
            # what a listing covers of staff data (law review 2026-12-03y, problem 4)
            **({"hr_data": _hr_data(a.hr_data)} if a.hr_data is not None else {}),
        )
        for a in legal.transfers.adequacy
        if a.exporter == table
        and a.not_a_transfer is None
        and (a.in_force(on) or a.contested_in_force(on))
    ]
    # a row that makes sending somewhere no transfer to a third country (the TCA bridge) is
    # no adequacy: listed with what is no restricted transfer (law review 2026-12-03y, 5)
    bridges = [
        a
        for a in legal.transfers.adequacy
        if a.exporter == table and a.not_a_transfer is not None and a.in_force(on)
    ]
    # every mechanism row says its last day for new contracts and the day its text existed
    # (null where the table has none): the old SCCs were listed as "valid on the day" after
    # their cut-off with no word of it (law review 2026-12-03y, problem 3)
    mechanisms = [
        row(
            m,
            m.name,
            new_contracts_until=_day(m.new_contracts_until),
            text_from=_day(m.text_from),
        )
        for m in legal.transfers.mechanisms
        if m.is_mechanism and table in m.exporters and (m.in_force(on) or m.contested_in_force(on))
    ]
    bases = [row(b, b.name) for b in legal.bases.bases if regime in b.regimes and b.in_force(on)]
    # the conditions a flow on recognised legitimate interests names, while that basis is open
    needing = [b for b in legal.bases.bases if b.requires_recognised_condition]
    recognised = [
        row(c, c.name, in_force=f"with {b.id}, {span(b)}")
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

    # the ids a flow's art9_condition takes (a newcomer found them only in validate's
    # errors: auditor review 2026-12-02f, problem 4); every regime has each ground
    def condition(c: Art9Condition | Art10Condition) -> dict[str, Any]:
        needs = regime in c.requires_policy_document
        return row(c, c.name + (" (needs an appropriate policy document)" if needs else ""))

    art9 = [condition(c) for c in legal.bases.art9_conditions]
    art10 = [condition(c) for c in legal.bases.art10_conditions if regime in c.regimes]
    consent = [row(r, r.shown) for r in legal.consent_requirements]
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
            "in_force": f"with {b.id}, {span(b)}",
            "source": limit.read_as(regime).source,
            "url": limit.read_as(regime).url,
            "unconfirmed": bool(limit.unconfirmed),
        }
        for b in legal.bases.bases
        if regime in b.regimes and b.in_force(on)
        for limit in b.not_for_purposes
    ]
    # the public-authority bar (Art. 6(1) second subparagraph) on each basis it bars: a HIGH
    # finding rests on it, and the report sends its reader here for every row (auditor review
    # 2026-12-03s, problem 7)
    authority_bars = []
    for b in legal.bases.bases:
        bar = b.barred_to_public_authority(regime)
        if bar is None or regime not in b.regimes or not b.in_force(on):
            continue
        read = bar.read_as(regime)
        notes = f"; {read.notes}" if read.notes else ""
        authority_bars.append(
            {
                "id": f"{b.id} not for public authorities",
                "what": (
                    f"{b.name} does not apply to processing by public authorities in the "
                    f"performance of their tasks (an organisation that says public_authority: "
                    f"true): {read.instead} instead{notes}"
                ),
                "in_force": f"with {b.id}, {span(b)}",
                "source": read.source,
                "url": read.url,
                "unconfirmed": bool(read.unconfirmed),
            }
        )
    # what PECR asks of direct marketing by each channel, for a regime whose law it is (a
    # flow's channel; DPO review 2026-12-03u, problem 1)
    channels = [
        row(c, channel_words(c)) for c in legal.bases.marketing_channels if regime in c.regimes
    ]
    # the subject access deadline of the regime's law (DPO review 2026-12-03o, problem 2)
    access = legal.dsar_deadline(regime, on)
    dsar = [row(access, access.name)] if access is not None else []
    # what a privacy notice must say, as this regime's law asks it (DPO review 2026-12-03o,
    # problem 3): the GDPR's items for UK and EU, revFADP Art. 19's for CH
    notice = []
    for item in legal.bases.notice_items:
        asked = item.asked(regime, on)
        if asked is None:
            continue
        when = ASKED_WHEN[item.applies_if]
        what = f"{asked[0]} (notice_content: {item.id}; asked {when})"
        law = next((law for law in item.elsewhere if law.regime == regime), None)
        notice.append(row(item, what) if law is None else row(law, what))
    # the regime's own articles its findings cite in the GDPR's place (CH: the revFADP's),
    # each with its source and mark: the findings cite them bare (auditor review
    # 2026-12-03s, problem 2); a regime citing the GDPR has no such section
    first = legal.jurisdiction(table).modelled_from
    counterparts = [
        {
            "id": row.cites,
            "what": "cited in place of the GDPR's " + ", ".join(row.gdpr),
            "in_force": f"from {first}" if first else "throughout (no start or end in the table)",
            "source": row.source,
            "url": row.url,
            "unconfirmed": bool(row.unconfirmed),
        }
        for row in legal.counterparts_cited(regime, on)
    ]
    # what no Art. 49 derogation carries, whatever the flow says (auditor-facing: the rows
    # the transfer rule's derogation-for-storage and derogation-to-processor rest on were
    # printed by no command)
    refusals = legal.transfers
    derogation_limits = [
        row(limit, what)
        for limit, what in (
            (
                refusals.storage_abroad,
                "no derogation carries data kept in a store abroad held for the organisation "
                "(its own or its processor's): a systematic transfer",
            ),
            (
                refusals.derogation_to_processor,
                "the contract grounds (Art. 49(1)(b), (c)) do not carry a transfer to the "
                "organisation's own processor: not necessary for the contract",
            ),
            (
                refusals.public_powers,
                "explicit consent, the contract grounds and compelling legitimate interests "
                "are not open to a public authority in the exercise of its public powers "
                "(Art. 49(3))",
            ),
        )
        if limit is not None
    ]
    own = legal.transfers.same_legal_person
    not_transfers = (
        [row(own, "data a party sends to its own store abroad: one legal person, no importer")]
        if own is not None
        else []
    ) + [
        row(b, f"{', '.join(b.destinations)}: no restricted transfer ({b.not_a_transfer})")
        for b in bridges
    ]
    return {
        "format_version": 1,
        "regime": regime,
        # sections whose rules do not judge this regime's organisations, said under each
        "not_judged": dict(legal.jurisdiction(regime).not_judged),
        # before the regime's own law is modelled (CH before 2023-09-01): what is judged then
        "partly_modelled": legal.partly_modelled(regime, on),
        "as_of": on.isoformat(),
        "modelled": on >= FIRST_DAY,
        "follows": table,
        "period": row(period, period.notes or period.id) if period is not None else None,
        "inside": sorted(legal.inside(table, on).union(*(b.destinations for b in bridges))),
        "sections": {
            "not_transfers": not_transfers,
            "adequacy": adequacy,
            "mechanisms": mechanisms,
            **({"derogation_limits": derogation_limits} if derogation_limits else {}),
            "lawful_bases": bases,
            "public_authority_bars": authority_bars,
            # only while a basis that needs one is open (the UK's, from 2026-02-05)
            **({"recognised_conditions": recognised} if recognised else {}),
            "duties": duties,
            "art9_conditions": art9,
            "art10_conditions": art10,
            "basis_limits": limits,
            "consent_requirements": consent,
            **({"marketing_channels": channels} if channels else {}),
            "child_consent_age": children,
            "dsar_deadline": dsar,
            "notice_items": notice,
            **({"counterparts": counterparts} if counterparts else {}),
        },
    }


#: When a notice item is asked, in words (the legal table's ``applies_if``).
ASKED_WHEN = {
    "always": "always",
    "transfers": "where a flow is a transfer abroad",
    "consent": "where a flow rests on consent",
    "legitimate_interests": "where a flow rests on legitimate interests",
    "indirect": "where data comes from others",
}

TITLES = {
    "not_transfers": "Not a restricted transfer",
    "adequacy": "Adequacy (no further mechanism needed)",
    "mechanisms": "Transfer mechanisms valid on the day",
    "derogation_limits": "What no Art. 49 derogation carries",
    "lawful_bases": "Art. 6(1) lawful bases",
    "public_authority_bars": (
        "Bases not open to a public authority's tasks (Art. 6(1) second subparagraph)"
    ),
    "recognised_conditions": "Annex 1 conditions of recognised legitimate interests (Art. 6(5))",
    "duties": "Dated duties that apply",
    "art9_conditions": "Art. 9(2) conditions (special category data): art9_condition",
    "art10_conditions": "Art. 10 conditions (criminal offence data): art10_condition",
    "basis_limits": "Purposes a lawful basis is never open for",
    "consent_requirements": "What a consent record may state that shows consent not valid",
    "marketing_channels": "Direct marketing by channel (PECR; a marketing flow's channel)",
    "child_consent_age": "Children's consent (Art. 8(1))",
    "dsar_deadline": "Subject access: the time to answer (dsar_days)",
    "notice_items": "What the privacy notice must say (notice_content)",
    "counterparts": "The regime's own articles cited in the GDPR's place (findings, rules' "
    "references, the record of processing)",
}


def _hr_data(scope: StaffDataScope) -> dict[str, Any]:
    """An adequacy row's ``hr_data`` as plain data (law review 2026-12-03y, problem 4)."""
    return {
        "claimed": scope.claimed,
        "source": scope.source,
        "url": scope.url,
        "unconfirmed": bool(scope.unconfirmed),
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _cutoff(item: dict[str, Any], as_of: str) -> str:
    """A mechanism row's last day for new contracts, said on every date: after it, the row
    serves only contracts signed by then (law review 2026-12-03y, problem 3)."""
    last = item.get("new_contracts_until")
    if last is None:
        return ""
    if as_of > last:  # ISO dates compare as text
        return f" [existing contracts only: no new contract after {last}]"
    return f" [new contracts until {last}]"


def render_law_text(law: dict[str, Any]) -> str:
    """One block per section; every text through the terminal sanitiser (the table is data)."""
    return "\n".join(for_terminal(line) for line in _law_lines(law)) + "\n"


def _law_lines(law: dict[str, Any]) -> list[str]:
    lines = [f"Law in force on {law['as_of']} for {law['regime']} exporters and controllers"]
    if not law["modelled"]:
        lines.append(f"NOTE: dates before {FIRST_DAY} are not modelled (the GDPR applied then).")
    if law.get("partly_modelled"):
        lines.append(f"NOTE: {law['partly_modelled']}.")
    period = law["period"]
    if period is not None:
        lines.append(
            f"Period {period['id']}: {period['what']}; {law['regime']} exporters follow the "
            f"{law['follows']} table ({period['source']})"
        )
    lines.append(f"No restricted transfer within: {', '.join(law['inside'])}")
    not_judged = law.get("not_judged", {})
    for key, rows in law["sections"].items():
        lines += ["", f"{TITLES[key]}:"]
        if key in not_judged:
            lines.append(f"  (not judged for {law['regime']}: {not_judged[key]})")
        if not rows:
            lines.append("  (none)")
        for item in rows:
            contested = item.get("contested", [])
            today = [c for c in contested if c["today"]]
            mark = " [UNCONFIRMED]" if item["unconfirmed"] else ""
            if today:
                mark += f" [UNCONFIRMED on {law['as_of']}: whether it is in force is contested]"
            cutoff = _cutoff(item, law["as_of"])
            lines.append(f"  {item['id']}{mark}: {item['what']} [{item['in_force']}]{cutoff}")
            link = f" <{item['url']}>" if item["url"] else ""
            lines.append(f"      source: {item['source']}{link}")
            hr = item.get("hr_data")
            if hr is not None:
                unconfirmed = " [UNCONFIRMED]" if hr["unconfirmed"] else ""
                hr_link = f" <{hr['url']}>" if hr["url"] else ""
                lines.append(
                    f"      staff (HR) data{unconfirmed}: {hr['claimed']}: a pass on it for the "
                    f"organisation's own employees takes it on trust ({hr['source']}){hr_link}"
                )
            lines.extend(
                f"      contested day, UNCONFIRMED: {c['field']} {c['day']}: {c['reading']} "
                f"({c['source']})"
                for c in contested
            )
    return lines


def render_law_json(law: dict[str, Any]) -> str:
    return for_json(law)


@dataclass(frozen=True)
class RowRelied:
    """A row of the legal table a verdict relied on, other than a mechanism or an adequacy
    row, as the report's "Legal table used" prints it."""

    id: str
    what: str
    in_force: str
    source: str
    unconfirmed: bool
    findings: int
    passes: int
    named_by: tuple[str, ...] = ()
    """Printed rows whose notes name this one (the data protection test's, by the IDTA)."""

    @property
    def relied_by(self) -> str:
        """Who relied on the row, in words: "2 findings, 4,778 passes"."""
        said = []
        if self.findings:
            said.append(plural(self.findings, "finding"))
        if self.passes:
            said.append(plural(self.passes, "pass", "passes"))
        if self.named_by:
            said.append(f"named by the notes of {', '.join(self.named_by)}")
        return ", ".join(said)


def _catalogue(legal: LegalTable) -> dict[str, tuple[object, str, str]]:
    """Every row a verdict's mark can name, by the words the mark starts with (the row's id;
    a basis's purpose limit "contract not for marketing"): (the row, what it says, when it
    applies)."""
    rows: dict[str, tuple[object, str, str]] = {}
    transfers = legal.transfers
    for mechanism in transfers.mechanisms:
        rows[mechanism.id] = (mechanism, mechanism.name, span(mechanism))
    for adequacy in transfers.adequacy:
        rows[adequacy.id] = (adequacy, ", ".join(adequacy.destinations), span(adequacy))
    own = transfers.same_legal_person
    if own is not None:
        rows[own.id] = (own, "no restricted transfer to a party's own store", span(None))
    for refusal in (
        transfers.storage_abroad,
        transfers.derogation_to_processor,
        transfers.public_powers,
    ):
        if refusal is not None:
            rows[refusal.id] = (refusal, refusal.notes or refusal.id, span(None))
    test = transfers.data_protection_test
    if test is not None:
        rows[test.id] = (test, _test_words(test.mechanisms), span(test))
    for instrument in transfers.instruments:
        rows[instrument.id] = (instrument, instrument.notes or instrument.id, span(instrument))
    for period in transfers.periods:
        rows[period.id] = (period, period.notes or period.id, span(period))
    bases = legal.bases
    for basis in bases.bases:
        rows[basis.id] = (basis, basis.name, span(basis))
        for limit in basis.not_for_purposes:
            rows[f"{basis.id} not for {limit.purpose}"] = (
                limit,
                f"{basis.name} is not open for the purpose '{limit.purpose}': {limit.why}",
                f"with {basis.id}, {span(basis)}",
            )
    for duty in bases.duties:
        rows[duty.id] = (duty, duty.name, span(duty))
    for age in bases.child_consent_ages:
        rows[age.id] = (
            age,
            f"below {age.age}, a child's consent to an online service offered directly to them "
            "is given or authorised by the holder of parental responsibility",
            span(None),
        )
    for item in bases.notice_items:
        for law in item.elsewhere:
            rows[law.id] = (law, law.name or item.name, span(None))
    for access in bases.dsar_deadlines:
        rows[access.id] = (access, access.name, span(None))
    if bases.one_off_sharing is not None:
        rows[bases.one_off_sharing.id] = (
            bases.one_off_sharing,
            "A one-off disclosure to an independent controller (occasional: true)",
            span(None),
        )
    for recognised in bases.recognised_conditions:
        rows[recognised.id] = (recognised, recognised.name, span(None))
    for condition in (*bases.art9_conditions, *bases.art10_conditions):
        rows[condition.id] = (condition, condition.name, span(None))
    for channel in bases.marketing_channels:
        rows[channel.id] = (channel, channel_words(channel), span(None))
    for requirement in bases.consent_requirements:
        rows[requirement.id] = (
            requirement,
            requirement.shown,
            span(None),
        )
    return rows


def channel_words(row: MarketingChannelRow) -> str:
    """What PECR asks of marketing by one channel, as the law listing and the report's legal
    table print it."""
    needs = {
        "individual": "an individual subscriber's prior consent"
        + (", or the soft opt-in of reg. 22(3)" if row.soft_opt_in else ""),
        "every": "every subscriber's prior consent, individual or corporate",
        "none": "no consent under PECR",
    }[row.consent]
    unsaid = " (read for a marketing flow with no channel)" if row.read_when_unsaid else ""
    notes = f"; {row.notes}" if row.notes else ""
    return f"channel: {row.channel}, marketing by {row.name}: {needs}{unsaid}{notes}"


def _test_words(mechanisms: Iterable[str]) -> str:
    return "the exporter judges the data protection test met for transfers under " + ", ".join(
        mechanisms
    )


def _split_mark(mark: str) -> tuple[str, str]:
    """A mark as findings and passes write it, "ROW-ID[ words] (SOURCE)": (what precedes
    the source, the source), the source being the last bracketed part (which may hold
    brackets of its own)."""
    if not mark.endswith(")"):
        return mark, ""
    depth = 0
    for i in range(len(mark) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(mark[i], 0)
        if depth == 0:
            return mark[:i].rstrip(), mark[i + 1 : -1]
    return mark, ""


def rows_relied_on(
    legal: LegalTable,
    findings: Iterable[tuple[str, ...]],
    passes: Iterable[tuple[str, ...]],
) -> tuple[list[Mechanism], list[Adequacy], list[RowRelied]]:
    """The rows of the legal table that the marks of the findings and of the passes name
    (every row a verdict relied on that no primary source confirmed: ``unconfirmed``), in
    the table's order: mechanism rows, adequacy rows (any exporter's), and the others with
    how many findings and passes relied on each. A mark naming no row of the table is
    kept as a row of its own, as the mark says it."""
    counts: Counter[tuple[str, int]] = Counter()
    for which, marks in ((0, findings), (1, passes)):
        for mark_set in marks:
            for mark in mark_set:
                counts[(mark, which)] += 1
    catalogue = _catalogue(legal)
    keys = sorted(catalogue, key=len, reverse=True)  # the longest id the words start with
    named: dict[tuple[str, str], list[int]] = {}  # (row id, words after it): counts
    sources: dict[tuple[str, str], str] = {}
    for (mark, which), count in counts.items():
        head, source = _split_mark(mark)
        key = next(
            (k for k in keys if head == k or (head.startswith(k) and head[len(k)] in ": ")),
            head,
        )
        name = (key, head[len(key) :].lstrip(": "))
        named.setdefault(name, [0, 0])[which] += count
        sources[name] = source
    order = {key: i for i, key in enumerate(catalogue)}
    mechanisms: dict[str, Mechanism] = {}
    adequacy: dict[str, Adequacy] = {}
    others: list[tuple[int, RowRelied]] = []
    for (key, extra), (in_findings, in_passes) in named.items():
        source = sources[(key, extra)]
        entry = catalogue.get(key)
        if entry is None:
            relied = RowRelied(key, "", "", source, True, in_findings, in_passes)
            others.append((len(order), relied))
            continue
        row, what, span = entry
        if isinstance(row, Mechanism):
            mechanisms[key] = row
        elif isinstance(row, Adequacy):
            adequacy[key] = row
        else:
            # every mark names a row no primary source confirmed (the findings' and passes'
            # ``unconfirmed``): the summary's UNCONFIRMED lines say the same
            relied = RowRelied(
                key,
                f"{what}: {extra}" if extra else what,
                span,
                source or str(getattr(row, "source", "")),
                True,
                in_findings,
                in_passes,
            )
            others.append((order[key], relied))
    return (
        [mechanisms[k] for k in sorted(mechanisms, key=order.__getitem__)],
        [adequacy[k] for k in sorted(adequacy, key=order.__getitem__)],
        [row for _, row in sorted(others, key=lambda o: o[0])],
    )


def test_row(legal: LegalTable, mechanisms: Iterable[Mechanism]) -> RowRelied | None:
    """The data protection test's row as "Legal table used" prints it beside the printed
    mechanisms it reads on, whose notes name it; None when it reads on none of them."""
    test = legal.transfers.data_protection_test
    if test is None:
        return None
    reading = tuple(m.id for m in mechanisms if m.id in test.mechanisms)
    if not reading:
        return None
    return RowRelied(
        test.id,
        _test_words(test.mechanisms),
        span(test),
        test.source,
        bool(test.unconfirmed),
        0,
        0,
        reading,
    )
