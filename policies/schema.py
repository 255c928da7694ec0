"""The policy language: a rule file is data, validated by these models (and the JSON Schema
made from them). Each rule kind names what it requires; checks/ holds how it is evaluated.
Nothing in a policy file is ever executed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from flowaudit.model.schema import AgreementKind, Role
from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How bad a finding is; --fail-on compares against this order."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class References(_Strict):
    """Where a rule comes from: notice clause ids and legal articles."""

    notice: list[str] = []
    legal: list[str] = []


class Examples(_Strict):
    """A compliant and a non-compliant YAML snippet, shown by ``flowaudit explain``."""

    compliant: str
    non_compliant: str


Direction = Literal["outbound", "inbound", "internal", "onward"]


class Match(_Strict):
    """Which flows a rule applies to; every list given must match (empty lists match all)."""

    directions: list[Direction] = []
    recipient_kinds: list[str] = []
    recipient_roles: list[Role] = []
    recipient_countries: list[str] = []
    categories: list[str] = Field(
        default=[], description="Flows carrying any of these categories (or their children)."
    )
    subjects: list[str] = []
    purposes: list[str] = []
    stores: list[str] = []


class RuleBase(_Strict):
    """What every rule says about itself."""

    id: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")]
    kind: str
    title: str
    severity: Severity
    rationale: str
    references: References
    fix: str
    match: Match = Match()
    enabled: bool = True
    examples: Examples | None = None


class AgreementRule(RuleBase):
    """A flow to another party needs an agreement in force, of the kind its role needs."""

    kind: Literal["agreement"]
    required_kinds: dict[Role, list[AgreementKind]] = {
        Role.PROCESSOR: [AgreementKind.ART28_DPA],
        Role.CONTROLLER: [AgreementKind.DATA_SHARING_AGREEMENT],
        Role.JOINT_CONTROLLER: [AgreementKind.ART26_JOINT],
    }


class LawfulBasisRule(RuleBase):
    """Every flow names an Art. 6 basis from the legal table, with the records it needs."""

    kind: Literal["lawful_basis"]


class TransferRule(RuleBase):
    """A flow leaving the exporter's jurisdiction needs adequacy or a valid mechanism."""

    kind: Literal["transfer"]


RULE_MODELS: dict[str, type[RuleBase]] = {
    "agreement": AgreementRule,
    "lawful_basis": LawfulBasisRule,
    "transfer": TransferRule,
}

Rule = Annotated[AgreementRule | LawfulBasisRule | TransferRule, Field(discriminator="kind")]


class PolicyInfo(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    title: str
    description: str | None = None


class PolicyFile(_Strict):
    """One policy file."""

    policy: PolicyInfo
    rules: list[Rule] = []


def policy_json_schema() -> dict[str, object]:
    """The JSON Schema of one policy file."""
    schema = PolicyFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://flowaudit.invalid/schemas/policy.json"
    return schema
