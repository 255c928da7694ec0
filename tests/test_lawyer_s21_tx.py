"""Lawyer review s21, international transfers (2026-12-05): the scenarios of
tests/lawyer_s21_tx_cases.py, each with the exact findings (rule, code, severity, element,
file:line) a lawyer would sign, or a pass; and the two fixes of the review pinned apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lawyer_s21_tx_cases import SCEN
from tests.regime_s17_cases import Scenario
from tests.scenarios import assert_verdict, audit_scenario


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_scenarios_have_unique_names_apart_from_earlier_reviews() -> None:
    from tests.lawyer_s18_cases import SCEN as S18
    from tests.lawyer_s19_cases import SCEN as S19
    from tests.lawyer_s20_cases import SCEN as S20
    from tests.regime_s17_cases import SCEN as S17

    names = [s.name for s in SCEN]
    assert len(names) >= 70
    assert len(set(names)) == len(names)
    assert not set(names) & {s.name for s in [*S17, *S18, *S19, *S20]}


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path)


@pytest.mark.parametrize(
    ("name", "exporter", "regime"),
    [
        ("uk-de-host-store-to-us-uk-extension-own-contract", "host", "EU"),
        ("uk-de-host-store-to-us-eu-dpf-own-contract", "host", "EU"),
        ("eu-gb-host-store-to-us-uk-extension-own-contract", "host", "UK"),
        # one regime: the organisation's own export, as before
        ("uk-gb-host-store-to-us-uk-extension-own-contract", "acme", "UK"),
        # the host's own sub-processor: its export, as lawyer review s18 pinned
        ("uk-de-host-store-to-us-uk-extension-host-contract", "host", "EU"),
    ],
)
def test_a_host_of_another_regime_exports_what_it_sends_out_of_its_store(
    name: str, exporter: str, regime: str, tmp_path: Path
) -> None:
    """Lawyer review s21 (the question the s20 close left open): a host sending out of the
    store it holds for the organisation, to a party the organisation engaged itself, was read
    as the organisation, and so was the exporter: a German host's transfer to a US courier
    listed under the UK Extension only passed as the UK organisation's. The contract is the
    organisation's; the export is the host's where it is established under another regime
    (Art. 44 binds processors), as a processor writing into another's store (gate s20)."""
    from flowaudit.checks.base import Context
    from flowaudit.checks.transfer import exporter_regime, exporting_party
    from flowaudit.policies.legal import load_legal_table

    result, _ = audit_scenario(_by_name(name), tmp_path)
    facts = result.facts
    ctx = Context(facts, load_legal_table())
    hop = next(f for f in facts.index.data.flows if f.id == "to-courier")
    assert exporting_party(ctx, hop) == exporter
    assert exporter_regime(ctx, hop) == regime


def test_a_safeguard_that_cannot_serve_the_transfer_is_a_fault_of_the_record(
    tmp_path: Path,
) -> None:
    """Lawyer review s21: an adequate transfer whose record names a framework for another
    destination (the EU-US DPF for a Japanese importer) passed silently, while a struck-down
    one was a medium record fault. Lawful, so one medium finding of the record, not of the
    transfer; the transfers register says the record is to correct."""
    from flowaudit.checks.transfer import NOT_APPLICABLE, RECORD_FAULTS, RECORD_ONLY

    assert NOT_APPLICABLE in RECORD_FAULTS
    assert RECORD_ONLY[NOT_APPLICABLE] == "record to correct"
    result, _ = audit_scenario(_by_name("eu-to-japan-records-eu-dpf"), tmp_path)
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.code == NOT_APPLICABLE
    assert "covers transfers to US only" in finding.message
    assert "rests on adequacy" in finding.message
    assert "remove transfer_mechanism" in finding.message


def test_art49_3_is_a_row_of_the_legal_table_that_law_prints() -> None:
    """Lawyer review s21: Art. 49(3) closes explicit consent, the contract grounds and
    compelling legitimate interests to a public authority exercising its public powers; a
    council's transfer on a resident's explicit consent passed. The bar is data (the legal
    table's ``public_powers``, UNCONFIRMED: FACTS.md does not state it) and ``law`` prints it
    with the other limits of the derogations."""
    from flowaudit.policies.legal import load_legal_table
    from tests.helpers import run

    row = load_legal_table().transfers.public_powers
    assert row is not None
    assert row.mechanisms == ["art49_explicit_consent"]
    assert row.derogations == ["art49_derogation"]
    assert row.grounds == ["contract_with_subject", "contract_for_subject", "compelling_interests"]
    assert row.bases == ["public_task"]
    assert row.doubts()
    result = run(["law", "--regime", "UK"])
    assert result.exit_code == 0, result.output
    assert (
        "derogation-not-for-public-powers [UNCONFIRMED]: explicit consent, the contract "
        "grounds and compelling legitimate interests are not open to a public authority in "
        "the exercise of its public powers (Art. 49(3))"
    ) in result.output


def test_a_public_powers_row_naming_an_unknown_ground_is_refused() -> None:
    """The table refuses a ``public_powers`` row naming a ground no listed derogation has."""
    from flowaudit.policies.legal import TransferTable, load_legal_table

    table = load_legal_table().transfers
    data = table.model_dump(mode="json", exclude_none=True)
    data["public_powers"]["grounds"] = ["contract_with_subject", "made_public"]
    with pytest.raises(ValueError, match=r"public_powers names grounds \['made_public'\]"):
        TransferTable.model_validate(data)
