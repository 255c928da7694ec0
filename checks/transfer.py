"""Transfer: a flow from an exporter inside a regime (UK, EU, CH) to a recipient or store
outside its jurisdiction, where the destination is not adequate on the audit date, needs a
mechanism from the legal table that is valid for that exporter on that date. Listed-importer
mechanisms (DPF, UK Extension) pass only for importers marked as listed; Art. 49 derogations
and "consent by providing data" never pass as a routine mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.schema import AgreementStatus, Flow
from flowaudit.policies.schema import TransferRule

SUMMARY = summary_of(__doc__)


@dataclass(frozen=True)
class TransferProblem:
    code: str
    message: str
    field: tuple[str | int, ...] = ("transfer_mechanism",)


def exporter_regime(ctx: Context, flow: Flow) -> str | None:
    """The regime the sender of a flow answers to, or None (not ours to judge)."""
    index = ctx.index
    source = index.nodes[flow.source]
    if index.is_organisation(source.party_id):
        return index.organisation.regime.value
    return ctx.legal.jurisdiction_of_country.get(index.nodes[source.party_id].country)


def judge_transfer(ctx: Context, flow: Flow) -> list[TransferProblem] | None:
    """None when the flow is no restricted transfer; else its problems (empty: lawful)."""
    index = ctx.index
    legal = ctx.legal
    as_of = ctx.as_of
    exporter = exporter_regime(ctx, flow)
    if exporter is None:
        return None
    destination = index.nodes[flow.target]
    country = destination.country
    if country in legal.jurisdiction(exporter).countries:
        return None
    importer = index.parties.get(destination.party_id)
    listings = importer.listed_under if importer is not None else []
    adequate, unlisted = legal.adequacy_for(exporter, country, as_of, listings)
    if adequate is not None:
        return []
    if flow.transfer_mechanism is None:
        hint = (
            (f"; {country} is adequate only for importers listed under {unlisted.requires_listing}")
            if unlisted
            else ""
        )
        return [
            TransferProblem(
                "no-mechanism",
                f"transfer from {exporter} to {country} ({destination.name}) "
                f"has no adequacy on {as_of} and no transfer mechanism{hint}",
            )
        ]
    mechanism = legal.mechanisms.get(flow.transfer_mechanism)
    if mechanism is None:
        return [
            TransferProblem(
                "unknown-mechanism",
                f"'{flow.transfer_mechanism}' is not a transfer mechanism in the "
                f"legal table; known: {', '.join(legal.mechanisms)}",
            )
        ]
    if not mechanism.is_mechanism:
        return [
            TransferProblem(
                "not-a-mechanism",
                f"{mechanism.name} is not a transfer mechanism: {mechanism.notes}",
            )
        ]
    if exporter not in mechanism.exporters:
        return [
            TransferProblem(
                "wrong-exporter", f"{mechanism.name} is not available to a {exporter} exporter"
            )
        ]
    problems: list[TransferProblem] = []
    if not mechanism.routine and not flow.occasional:
        problems.append(
            TransferProblem(
                "derogation-not-routine",
                f"{mechanism.name} is for occasional transfers only, never a routine mechanism",
            )
        )
    if not mechanism.in_force(as_of):
        if mechanism.invalid_from is not None and as_of >= mechanism.invalid_from:
            why = f"invalid since {mechanism.invalid_from} ({mechanism.source})"
        else:
            why = f"not in force before {mechanism.valid_from}"
        problems.append(TransferProblem("mechanism-invalid", f"{mechanism.name} is {why}"))
    if mechanism.destinations and country not in mechanism.destinations:
        problems.append(
            TransferProblem(
                "wrong-destination",
                f"{mechanism.name} covers transfers to {', '.join(mechanism.destinations)}, "
                f"not {country}",
            )
        )
    if mechanism.requires_listing and mechanism.requires_listing not in listings:
        problems.append(
            TransferProblem(
                "importer-not-listed",
                f"{destination.name} is not marked as listed under {mechanism.requires_listing} "
                "(set listed_under on the party)",
            )
        )
    if mechanism.agreement_kinds:
        evidence = index.agreements.get(flow.transfer_agreement or "")
        where = ("transfer_agreement",)
        if evidence is None or evidence.kind.value not in mechanism.agreement_kinds:
            problems.append(
                TransferProblem(
                    "no-mechanism-agreement",
                    f"{mechanism.name} needs a signed {' or '.join(mechanism.agreement_kinds)} "
                    "agreement linked as transfer_agreement",
                    where,
                )
            )
        elif evidence.status is not AgreementStatus.SIGNED:
            problems.append(
                TransferProblem(
                    "mechanism-agreement-unsigned",
                    f"transfer agreement '{evidence.id}' has status {evidence.status.value}",
                    where,
                )
            )
        elif evidence.expires_on is not None and evidence.expires_on < as_of:
            problems.append(
                TransferProblem(
                    "mechanism-agreement-expired",
                    f"transfer agreement '{evidence.id}' expired on {evidence.expires_on}",
                    where,
                )
            )
    return problems


def evaluate(ctx: Context, rule: TransferRule) -> Outcome:
    outcome = Outcome()
    for flow in ctx.matching_flows(rule):
        problems = judge_transfer(ctx, flow)
        if problems is None:
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        for problem in problems:
            outcome.fail(element, problem.code, problem.message, problem.field)
    return outcome


CHECK = Check[TransferRule]("transfer", SUMMARY, evaluate)
