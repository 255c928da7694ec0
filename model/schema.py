"""The data-map format: pydantic v2 models, every field named, no unknown field accepted.

A misspelt key such as ``agrement:`` must never pass silently (it would hide a missing
agreement), so every model forbids extra fields. Free text fields that the checks judge
(``basis``, ``transfer_mechanism``) are strings here: whether a value is lawful is a finding
of a check against the legal table, not a syntax error.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
_CATEGORY_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"


def _check_country(code: str) -> str:
    if code == "UK":
        raise ValueError("'UK' is not an ISO 3166-1 alpha-2 code; the United Kingdom is 'GB'")
    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. GB, IE, US)")
    return code


Identifier = Annotated[str, Field(pattern=_ID_PATTERN, max_length=200)]
CategoryId = Annotated[str, Field(pattern=_CATEGORY_PATTERN, max_length=200)]
Country = Annotated[str, AfterValidator(_check_country)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Regime(StrEnum):
    """The data-protection regime an exporter answers to."""

    UK = "UK"
    EU = "EU"
    CH = "CH"


class Role(StrEnum):
    """The role a party plays for a processing activity."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"
    JOINT_CONTROLLER = "joint_controller"


class PartyKind(StrEnum):
    """What kind of organisation a party is; policies match on it."""

    ORGANISATION = "organisation"
    CUSTOMER = "customer"
    ISP = "isp"
    TRAINING_SUPPLIER = "training_supplier"
    PROCUREMENT_VENDOR = "procurement_vendor"
    PAYMENT_PROCESSOR = "payment_processor"
    MIS_SUPPORT = "mis_support"
    INSTALLER = "installer"
    HOSTING = "hosting"
    HELPDESK = "helpdesk"
    PRODUCT_PARTNER = "product_partner"
    SERVICE_PROVIDER = "service_provider"
    ANALYTICS = "analytics"
    MARKETING = "marketing"
    DATA_BROKER = "data_broker"
    REGULATOR = "regulator"
    OTHER = "other"


class AgreementKind(StrEnum):
    """The contract or arrangement an agreement is."""

    ART28_DPA = "art28_dpa"
    DATA_SHARING_AGREEMENT = "data_sharing_agreement"
    ART26_JOINT = "art26_joint"
    IDTA = "idta"
    UK_ADDENDUM = "uk_addendum"
    EU_SCC_2021 = "eu_scc_2021"
    EU_SCC_OLD = "eu_scc_old"
    BCR = "bcr"
    CUSTOMER_CONTRACT = "customer_contract"
    OTHER = "other"


class AgreementStatus(StrEnum):
    """How far the evidence for an agreement goes."""

    SIGNED = "signed"
    DRAFT = "draft"
    UNKNOWN = "unknown"


class AssessmentKind(StrEnum):
    """Assessments a flow can point at."""

    LIA = "legitimate_interests"
    TRANSFER_RISK = "transfer_risk"
    DPIA = "dpia"


class BreachProcedure(_Strict):
    """How the organisation handles personal data breaches (Art. 33)."""

    log: str | None = Field(
        default=None, description="Where the Art. 33(5) breach log is kept (a link or place)."
    )
    notify_within_hours: int | None = Field(
        default=None, ge=0, description="Hours the procedure allows before telling the regulator."
    )
    notifies_controllers: bool | None = Field(
        default=None,
        description="As a processor, tells the controller without undue delay (Art. 33(2)).",
    )
    evidence: str | None = None


class CookiePurpose(StrEnum):
    """Why a cookie or similar technology is set (PECR reg. 6 and Sch. A1)."""

    STRICTLY_NECESSARY = "strictly_necessary"
    ANALYTICS = "analytics"
    FUNCTIONALITY = "functionality"
    ADVERTISING = "advertising"
    OTHER = "other"


class Cookie(_Strict):
    """A cookie (or pixel, local storage...) a website or app sets on a visitor's device."""

    id: Identifier
    purpose: CookiePurpose
    consent: bool | None = Field(default=None, description="Set only after opt-in consent.")
    clear_information: bool | None = Field(
        default=None, description="Visitors get clear and comprehensive information about it."
    )
    opt_out: bool | None = Field(default=None, description="Visitors can easily object.")
    description: str | None = None


class Organisation(_Strict):
    """The exporter whose map this is (the controller the notice speaks for)."""

    id: Identifier
    name: str
    country: Country
    regime: Regime
    description: str | None = None
    certifications: list[str] = []
    notice: str | None = None
    dsar_days: int | None = Field(default=None, ge=1)
    complaints_procedure: bool | None = None
    group: str | None = Field(
        default=None,
        description="The corporate group the organisation belongs to (binding corporate rules).",
    )
    breach_procedure: BreachProcedure | None = None
    appropriate_policy_document: str | None = Field(
        default=None,
        description="Where the DPA 2018 Sch. 1 appropriate policy document is kept.",
    )
    notice_content: dict[str, str | None] | None = Field(
        default=None,
        description="What the privacy notice says per Art. 13/14 item (policies/legal/bases.yaml"
        " notice_items): its words, or null where the notice is silent.",
    )
    policies: list[str] = Field(
        default=[],
        description="Shipped policy sets applied besides the law, e.g. concero-notice.",
    )


class Party(_Strict):
    """Another organisation that sends or receives personal data."""

    id: Identifier
    name: str
    kind: PartyKind
    country: Country
    role: Role | None = None
    placeholder: bool = False
    description: str | None = None
    listed_under: list[str] = Field(
        default=[],
        description="Self-certification lists the importer is on (e.g. uk_extension, eu_us_dpf).",
    )
    approved_supplier: bool | None = None
    notice: str | None = None
    group: str | None = Field(
        default=None,
        description="The corporate group the party belongs to (binding corporate rules).",
    )


class System(_Strict):
    """A system or store where personal data rests."""

    id: Identifier
    name: str
    owner: Identifier
    country: Country
    categories: list[CategoryId] = []
    subjects: list[Identifier] = []
    retention_days: int | None = Field(default=None, ge=0)
    retention_justification: str | None = None
    encrypted_at_rest: bool | None = None
    description: str | None = None
    notice: str | None = None
    placeholder: bool = False
    cookies: list[Cookie] | None = Field(
        default=None,
        description="Cookies and similar technologies a website or app sets (null: unknown).",
    )


class DataCategory(_Strict):
    """A kind of personal data; ids are dotted, a parent covers its children."""

    id: CategoryId
    name: str
    sensitive: bool = False
    special_category: bool = False
    criminal_offence: bool = Field(
        default=False, description="Criminal convictions and offences data (Art. 10)."
    )
    declared: bool = True
    fides_key: str | None = None
    description: str | None = None


class DataSubject(_Strict):
    """Whose data it is."""

    id: Identifier
    name: str
    description: str | None = None


class Purpose(_Strict):
    """Why data is processed."""

    id: Identifier
    name: str
    declared: bool = True
    description: str | None = None
    notice: str | None = None


class Flow(_Strict):
    """Personal data moving from one party or system to another."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier
    source: Identifier = Field(alias="from")
    target: Identifier = Field(alias="to")
    categories: list[CategoryId] = Field(min_length=1)
    subjects: list[Identifier] = Field(min_length=1)
    purpose: Identifier
    basis: str | None = Field(
        default=None, description="Art. 6(1) lawful basis, e.g. contract, consent."
    )
    recipient_role: Role | None = None
    agreement: Identifier | None = None
    transfer_mechanism: str | None = None
    transfer_agreement: Identifier | None = None
    consent_record: Identifier | None = None
    assessment: Identifier | None = None
    assessments: list[Identifier] = Field(
        default=[],
        description="Further assessments on file for the flow, e.g. a transfer risk assessment.",
    )
    flagged_sensitive: bool | None = Field(
        default=None,
        description="The importer is told which data is sensitive (UK Extension to the DPF).",
    )
    art9_condition: str | None = None
    art10_condition: str | None = Field(
        default=None, description="Art. 10 condition (DPA 2018 Sch. 1) for criminal offence data."
    )
    opt_out: str | None = Field(
        default=None,
        description="How people unsubscribe or object to marketing (PECR regs 22-23, Art. 21(3)).",
    )
    permission: str | None = None
    encrypted_in_transit: bool | None = None
    occasional: bool = False
    notice: str | None = None
    description: str | None = None

    @property
    def assessment_ids(self) -> list[str]:
        """Every assessment the flow links, ``assessment`` first."""
        first = [self.assessment] if self.assessment is not None else []
        return [*first, *self.assessments]


class Agreement(_Strict):
    """A contract or arrangement between parties, with its evidence."""

    id: Identifier
    kind: AgreementKind
    parties: list[Identifier] = Field(min_length=2)
    status: AgreementStatus
    signed_on: date | None = None
    expires_on: date | None = None
    categories: list[CategoryId] = []
    purposes: list[Identifier] = []
    allows_subprocessing: bool | None = None
    on_behalf_of: list[Identifier] = Field(
        default=[],
        description="Controllers a party signed this transfer agreement for (e.g. a processor's"
        " IDTA with its sub-processor): a documented chain from the exporter to the importer.",
    )
    evidence: str | None = None
    description: str | None = None


class ConsentRecord(_Strict):
    """How and where consent was obtained for a purpose."""

    id: Identifier
    purposes: list[Identifier] = []
    method: str
    explicit: bool = False
    recipients: list[Identifier] = Field(
        default=[], description="Parties the consent names (Art. 49(1)(a) transfers)."
    )
    countries: list[Country] = Field(
        default=[], description="Countries the consent names (Art. 49(1)(a) transfers)."
    )
    risks_explained: bool | None = Field(
        default=None,
        description="The person was told the risks of a transfer without safeguards.",
    )
    evidence: str | None = None
    description: str | None = None


class Assessment(_Strict):
    """A legitimate-interests, transfer-risk or impact assessment on file."""

    id: Identifier
    kind: AssessmentKind
    completed_on: date | None = None
    evidence: str | None = None
    description: str | None = None


class Waiver(_Strict):
    """An accepted risk: a finding of one rule on one element, owned, justified and dated."""

    id: Identifier
    rule: str
    element: str = Field(
        pattern=r"^[a-z_]+/[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="collection/id of the element, e.g. flows/hosting-us",
    )
    code: str | None = Field(default=None, description="Only findings with this code.")
    owner: str
    justification: str = Field(min_length=1)
    approved_on: date
    expires_on: date


class DataMap(_Strict):
    """A whole data map: what one file may hold, and what the loader merges all files into."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"title": "flowaudit data map"},
    )

    organisation: Organisation | None = None
    parties: list[Party] = []
    systems: list[System] = []
    categories: list[DataCategory] = []
    subjects: list[DataSubject] = []
    purposes: list[Purpose] = []
    flows: list[Flow] = []
    agreements: list[Agreement] = []
    consent_records: list[ConsentRecord] = []
    assessments: list[Assessment] = []
    waivers: list[Waiver] = []


#: The top-level collections of a map file and the model of one element of each.
COLLECTIONS: dict[str, type[_Strict]] = {
    "parties": Party,
    "systems": System,
    "categories": DataCategory,
    "subjects": DataSubject,
    "purposes": Purpose,
    "flows": Flow,
    "agreements": Agreement,
    "consent_records": ConsentRecord,
    "assessments": Assessment,
    "waivers": Waiver,
}


def map_json_schema() -> dict[str, object]:
    """The JSON Schema of one map file, for editors (yaml-language-server) and validation."""
    schema = DataMap.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://flowaudit.invalid/schemas/map.json"
    properties = schema.setdefault("properties", {})
    assert isinstance(properties, dict)
    properties["$schema"] = {"type": "string", "description": "Editor hint; ignored."}
    return schema
