"""Representative: an organisation established outside the territory of the law it is judged
under (a US company whose map is judged under the UK's law because it offers goods or services
to, or monitors, people there, Art. 3(2)) designates in writing a representative in that territory
(Art. 27(1)), unless its processing is occasional, excludes large-scale special category and
criminal offence data and is unlikely to result in a risk (Art. 27(2)(a)), or it is a public
authority or body (Art. 27(2)(b)). The duty, its regimes and their territories are the legal
table's (duties: representative).
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome, short, summary_of
from flowaudit.policies.schema import RepresentativeRule

SUMMARY = summary_of(__doc__)


def evaluate(ctx: Context, rule: RepresentativeRule) -> Outcome:
    outcome = Outcome()
    organisation = ctx.index.organisation
    regime = organisation.regime.value
    duty = ctx.legal.duties.get("representative")
    if duty is None or not duty.applies(regime, ctx.as_of):
        return outcome
    established = ctx.legal.jurisdiction_of_country.get(organisation.country)
    if established == regime:  # established in the territory: Art. 27 does not apply
        return outcome
    element = ("organisation", organisation.id)
    outcome.evaluated.append(element)
    read = duty.read_as(regime)  # an EU organisation's row cites the GDPR, on EUR-Lex
    unconfirmed = (f"{read.id} ({read.source})",) if read.unconfirmed else ()
    if organisation.representative is not None or organisation.public_authority is True:
        # designated, or a public authority or body, which Art. 27(2)(b) exempts
        if unconfirmed:
            outcome.relied[element] = unconfirmed
        return outcome
    territory = duty.territory.get(regime, "the territory")
    cited = ctx.legal.jurisdiction(regime).cited_as
    outcome.fail(
        element,
        "no-representative",
        f"{short(organisation.name)} is established in {organisation.country}, outside "
        f"{territory}, yet is judged under {cited}, which binds it where it offers goods or "
        f"services to, or monitors, people in {territory} (UK GDPR Art. 3(2)): it must "
        f"designate in writing a representative in {territory} (UK GDPR Art. 27(1)), unless "
        "its processing is occasional, excludes large-scale special category and criminal "
        "offence data and is unlikely to result in a risk (UK GDPR Art. 27(2)(a)); none is "
        "recorded",
        ("representative",),
        unconfirmed=unconfirmed,
    )
    return outcome


CHECK = Check(RepresentativeRule, SUMMARY, evaluate, duties=("representative",))
