"""The dated legal table: transfer mechanisms, adequacy and lawful bases, read from YAML.

Facts of law live in policies/legal/*.yaml with their sources; this module only gives them
types and the date arithmetic every check needs.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from flowaudit.model.loader import validation_problems
from flowaudit.model.problems import InputError
from flowaudit.model.yamlsource import parse_text


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dated(_Row):
    """A row that applies from ``valid_from`` (inclusive) until ``invalid_from`` (exclusive)."""

    valid_from: date | None = None
    invalid_from: date | None = None
    unconfirmed: bool = False
    source: str

    def in_force(self, on: date) -> bool:
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.invalid_from is None or on < self.invalid_from


class Jurisdiction(_Row):
    id: str
    name: str
    countries: list[str]


class Mechanism(Dated):
    """A transfer mechanism (or something offered as one that is not)."""

    id: str
    name: str
    exporters: list[str]
    destinations: list[str] = []
    requires_listing: str | None = None
    agreement_kinds: list[str] = []
    new_contracts_until: date | None = None
    intra_group_only: bool = False
    routine: bool = True
    is_mechanism: bool = True
    notes: str | None = None


class Adequacy(Dated):
    """Destinations an exporter may send to with no further mechanism."""

    id: str
    exporter: str
    destinations: list[str]
    requires_listing: str | None = None
    notes: str | None = None


class LawfulBasis(Dated):
    id: str
    name: str
    regimes: list[str]
    requires_consent_record: bool = False
    requires_assessment: str | None = None
    requires_party_to_contract: bool = False
    source: str


class NotABasis(_Row):
    id: str
    why: str
    fix: str


class TransferTable(_Row):
    jurisdictions: list[Jurisdiction]
    mechanisms: list[Mechanism]
    adequacy: list[Adequacy]


class Art9Condition(_Row):
    id: str
    name: str
    source: str


class Duty(Dated):
    """A duty of the law that binds controllers under some regimes only, from a date."""

    id: str
    name: str
    regimes: list[str]


class DutiesTable(_Row):
    duties: list[Duty]


class BasesTable(_Row):
    bases: list[LawfulBasis]
    not_bases: list[NotABasis]
    art9_conditions: list[Art9Condition]


class LegalTable:
    """Both tables with the lookups checks use."""

    def __init__(
        self, transfers: TransferTable, bases: BasesTable, duties: DutiesTable | None = None
    ) -> None:
        self.transfers = transfers
        self.bases = bases
        self.duties = {d.id: d for d in (duties.duties if duties is not None else [])}
        self.mechanisms = {m.id: m for m in transfers.mechanisms}
        self.lawful_bases = {b.id: b for b in bases.bases}
        self.not_bases = {n.id: n for n in bases.not_bases}
        self.art9_conditions = {c.id: c for c in bases.art9_conditions}

    def vocabulary(self) -> dict[str, list[str]]:
        """The closed vocabularies of a map's fields, for validation: every basis the table
        knows (and the words it knows are no basis, which the checks explain), every mechanism
        (valid or not), every self-certification list, every Art. 9 condition."""
        return {
            "basis": [*self.lawful_bases, *self.not_bases],
            "transfer_mechanism": list(self.mechanisms),
            "listed_under": sorted(
                {m.requires_listing for m in self.transfers.mechanisms if m.requires_listing}
                | {a.requires_listing for a in self.transfers.adequacy if a.requires_listing}
            ),
            "art9_condition": list(self.art9_conditions),
        }

    def duty_applies(self, duty_id: str, regime: str, on: date) -> Duty | None:
        """The duty if it binds an organisation under ``regime`` on a date, else None."""
        duty = self.duties.get(duty_id)
        if duty is None or regime not in duty.regimes or not duty.in_force(on):
            return None
        return duty

    @cached_property
    def jurisdiction_of_country(self) -> dict[str, str]:
        return {c: j.id for j in self.transfers.jurisdictions for c in j.countries}

    def jurisdiction(self, regime: str) -> Jurisdiction:
        return next(j for j in self.transfers.jurisdictions if j.id == regime)

    def adequacy_for(
        self, exporter: str, country: str, on: date, listings: list[str]
    ) -> tuple[Adequacy | None, Adequacy | None]:
        """(row that makes ``country`` adequate, row that would if the importer were listed)."""
        unlisted: Adequacy | None = None
        for row in self.transfers.adequacy:
            if row.exporter != exporter or country not in row.destinations or not row.in_force(on):
                continue
            if row.requires_listing is None or row.requires_listing in listings:
                return row, None
            unlisted = row
        return None, unlisted


def _load(name: str, model: type[_Row]) -> Any:
    resource = resources.files("flowaudit.policies").joinpath("legal", name)
    display = f"<flowaudit>/policies/legal/{name}"
    document = parse_text(resource.read_text(encoding="utf-8"), display)
    try:
        return model.model_validate(document.data)
    except ValidationError as error:  # pragma: no cover - the shipped table is tested
        raise InputError(validation_problems(error, document, (), model)) from None


def load_legal_table() -> LegalTable:
    """The shipped legal table."""
    return LegalTable(
        _load("transfers.yaml", TransferTable),
        _load("bases.yaml", BasesTable),
        _load("duties.yaml", DutiesTable),
    )
