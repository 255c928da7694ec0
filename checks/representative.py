"""Representative: an organisation established outside the territory of the law it is judged
under (a US company whose map is judged under the UK's law because it offers goods or services
to, or monitors, people there, Art. 3(2)) designates in writing a representative in that territory
(Art. 27(1)), unless its processing is occasional, excludes large-scale special category and
criminal offence data and is unlikely to result in a risk (Art. 27(2)(a)), or it is a public
authority or body its regime spares (Art. 27(2)(b)). The representative is established in the
territory (Art. 27(3)) and can be addressed (Art. 27(4), 30(1)(a)). The duty, its regimes and
their territories are the legal table's (duties: representative).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, short, summary_of
from flowaudit.policies.schema import RepresentativeRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: RepresentativeRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    # the law in force on the audit date: before 2021 a UK map is judged under the GDPR, whose
    # representative is one in the Union, UK included (DPO review s2, problem 5)
    regime = ctx.legal.effective_regime(organisation.regime.value, ctx.as_of)
    duty = ctx.legal.duties.get("representative")
    if duty is None or not duty.applies(regime, ctx.as_of):
        return outcome
    inside = ctx.legal.inside(regime, ctx.as_of)
    if organisation.country in inside:  # established there: no Art. 27
        return outcome
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    read = duty.read_as(regime)  # an EU organisation's row cites the GDPR, on EUR-Lex
    unconfirmed = (f"{read.id} ({read.source})",) if read.unconfirmed else ()
    territory = duty.territory.get(regime, "the territory")
    name = short(organisation.name)
    representative = organisation.representative
    if representative is None:
        if organisation.public_authority is True and regime in duty.public_authority_exempt:
            # a public authority or body, which Art. 27(2)(b) spares
            if unconfirmed:
                outcome.relied[element] = unconfirmed
            return outcome
        cited = ctx.legal.jurisdiction(regime).cited_as  # the effective regime's name
        # under UK GDPR a public authority is a UK one (DPA 2018 s.7): said, not spared
        # (DPO review z, problem 5)
        authority = (
            f"; as an authority established outside {territory} it is no public authority "
            "that Art. 27(2)(b) spares"
            if organisation.public_authority is True
            else ""
        )
        outcome.fail(
            element,
            "no-representative",
            f"{name} is established in {organisation.country}, outside {territory}, yet is "
            f"judged under {cited}, which binds it where it offers goods or services to, or "
            f"monitors, people in {territory} (UK GDPR Art. 3(2)): it must designate in writing "
            f"a representative in {territory} (UK GDPR Art. 27(1)), unless its processing is "
            "occasional, excludes large-scale special category and criminal offence data and "
            "is unlikely to result in a risk (UK GDPR Art. 27(2)(a)); none is recorded"
            f"{authority}",
            ("representative",),
            unconfirmed=unconfirmed,
        )
        return outcome
    # a representative on record must be one in law: established in the territory (Art.
    # 27(3)) and reachable by the regulator and by people (Art. 27(4), 30(1)(a)); a New York
    # address or a bare name passed (DPO review z, problem 4)
    gaps: list[str] = []
    field: tuple[str, ...] = ("representative",)
    if representative.country is None:
        gaps.append(f"records no country: Art. 27(3) asks one established in {territory}")
    elif representative.country not in inside:
        gaps.append(
            f"is established in {representative.country}: Art. 27(3) asks one established in "
            f"{territory}"
        )
        field = ("representative", "country")
    if not (representative.email or representative.phone or representative.address):
        gaps.append(
            "records no contact details (email, phone or address), by which the regulator "
            "and people address it (UK GDPR Art. 27(4)) and the record names it (UK GDPR Art. "
            "30(1)(a))"
        )
    if gaps:
        outcome.fail(
            element,
            "representative-not-in-order",
            f"{name} is established in {organisation.country}, outside {territory}; its "
            f"representative {short(representative.name)} " + " and ".join(gaps),
            field,
            unconfirmed=unconfirmed,
        )
    elif unconfirmed:
        outcome.relied[element] = unconfirmed
    return outcome


CHECK = Check(RepresentativeRule, SUMMARY, evaluate, duties=("representative",))
