"""Transfer: a flow from an exporter inside a regime (UK, EU, CH) to a recipient or store
outside its jurisdiction, where the destination is not adequate on the audit date, needs a
mechanism from the legal table that is valid for that exporter on that date. Listed-importer
mechanisms (DPF, UK Extension) pass only for importers marked as listed; Art. 49 derogations
and "consent by providing data" never pass as a routine mechanism.
"""

from __future__ import annotations

from flowaudit.checks.base import Check, Context, Outcome
from flowaudit.model.schema import AgreementStatus
from flowaudit.policies.schema import TransferRule

SUMMARY = __doc__.split("\n\n")[0].replace("\n", " ") if __doc__ else ""


def evaluate(ctx: Context, rule: TransferRule) -> Outcome:
    outcome = Outcome()
    index = ctx.index
    legal = ctx.legal
    as_of = ctx.as_of
    for flow in ctx.matching_flows(rule):
        source = index.nodes[flow.source]
        exporter_party = index.nodes[source.party_id]
        exporter = (
            index.organisation.regime.value
            if index.is_organisation(source.party_id)
            else legal.jurisdiction_of_country.get(exporter_party.country)
        )
        if exporter is None:
            continue  # the sender answers to no regime in the table: not its transfer to judge
        destination = index.nodes[flow.target]
        country = destination.country
        element = ("flows", flow.id)
        if country in legal.jurisdiction(exporter).countries:
            continue
        outcome.evaluated.append(element)
        importer = index.parties.get(destination.party_id)
        listings = importer.listed_under if importer is not None else []
        adequate, unlisted = legal.adequacy_for(exporter, country, as_of, listings)
        if adequate is not None:
            continue
        where = ("transfer_mechanism",)
        if flow.transfer_mechanism is None:
            hint = (
                (
                    f"; {country} is adequate only for importers listed under "
                    f"{unlisted.requires_listing}"
                )
                if unlisted
                else ""
            )
            outcome.fail(
                element,
                "no-mechanism",
                f"transfer from {exporter} to {country} ({destination.name}) has no "
                f"adequacy on {as_of} and no transfer mechanism{hint}",
                where,
            )
            continue
        mechanism = legal.mechanisms.get(flow.transfer_mechanism)
        if mechanism is None:
            known = ", ".join(legal.mechanisms)
            outcome.fail(
                element,
                "unknown-mechanism",
                f"'{flow.transfer_mechanism}' is not a transfer mechanism in the legal "
                f"table; known: {known}",
                where,
            )
            continue
        if not mechanism.is_mechanism:
            outcome.fail(
                element,
                "not-a-mechanism",
                f"{mechanism.name} is not a transfer mechanism: {mechanism.notes}",
                where,
            )
            continue
        if not mechanism.routine and not flow.occasional:
            outcome.fail(
                element,
                "derogation-not-routine",
                f"{mechanism.name} is for occasional transfers only, never a routine mechanism",
                where,
            )
        if exporter not in mechanism.exporters:
            outcome.fail(
                element,
                "wrong-exporter",
                f"{mechanism.name} is not available to a {exporter} exporter",
                where,
            )
            continue
        if not mechanism.in_force(as_of):
            if mechanism.invalid_from is not None and as_of >= mechanism.invalid_from:
                why = f"invalid since {mechanism.invalid_from} ({mechanism.source})"
            else:
                why = f"not in force before {mechanism.valid_from}"
            outcome.fail(element, "mechanism-invalid", f"{mechanism.name} is {why}", where)
        if mechanism.destinations and country not in mechanism.destinations:
            outcome.fail(
                element,
                "wrong-destination",
                f"{mechanism.name} covers transfers to {', '.join(mechanism.destinations)}, "
                f"not {country}",
                where,
            )
        if mechanism.requires_listing and mechanism.requires_listing not in listings:
            outcome.fail(
                element,
                "importer-not-listed",
                f"{destination.name} is not marked as listed under "
                f"{mechanism.requires_listing} (set listed_under on the party)",
                where,
            )
        if mechanism.agreement_kinds:
            evidence = index.agreements.get(flow.transfer_agreement or "")
            if evidence is None or evidence.kind.value not in mechanism.agreement_kinds:
                outcome.fail(
                    element,
                    "no-mechanism-agreement",
                    f"{mechanism.name} needs a signed "
                    f"{' or '.join(mechanism.agreement_kinds)} agreement linked as "
                    "transfer_agreement",
                    ("transfer_agreement",),
                )
            elif evidence.status is not AgreementStatus.SIGNED:
                outcome.fail(
                    element,
                    "mechanism-agreement-unsigned",
                    f"transfer agreement '{evidence.id}' has status {evidence.status.value}",
                    ("transfer_agreement",),
                )
            elif evidence.expires_on is not None and evidence.expires_on < as_of:
                outcome.fail(
                    element,
                    "mechanism-agreement-expired",
                    f"transfer agreement '{evidence.id}' expired on {evidence.expires_on}",
                    ("transfer_agreement",),
                )
    return outcome


CHECK = Check[TransferRule]("transfer", SUMMARY, evaluate)
