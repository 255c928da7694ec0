"""The policy language: a rule file is data, validated by these models (and the JSON Schema
made from them). Each rule kind names what it requires; checks/ holds how it is evaluated.
Nothing in a policy file is ever executed.
"""

from __future__ import annotations

import fnmatch
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from flowaudit.model.schema import (
    RULE_ID_PATTERN,
    WHOLE_NUMBER,
    AgreementKind,
    MarketingChannel,
    NonBlank,
    Regime,
    Role,
    WholeNumber,
)


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


class Selector(_Strict):
    """Hierarchical matching like Fides' policy rules: a value covers itself and its children.

    ANY: the element carries something covered by a value; ALL: every value covers something
    carried; NONE: nothing carried is covered; OTHER: something carried is not covered.
    """

    matches: Literal["ANY", "ALL", "NONE", "OTHER"] = "ANY"
    values: list[str] = Field(min_length=1)


class Match(_Strict):
    """Which flows (and stores) a rule applies to; every condition given must hold."""

    except_notice: list[str] = Field(
        default=[],
        description=(
            "Flows declared by these notice clauses are not matched: the notice's own "
            "carve-outs (e.g. N-MIS, N-INSTALL for the sharing-permission promise)."
        ),
    )

    except_into: list[str] = Field(
        default=[],
        description=(
            "Flows into these stores (system ids) are not matched: the store the notice lets "
            "hold the data (the helpdesk that receives tickets with passwords). A flow out of "
            "it is matched whatever clause it cites."
        ),
    )

    except_returned: bool = Field(
        default=False,
        description=(
            "true: flows by which the organisation gives a controller back the data it holds "
            "as that controller's processor (made for it alone, by on_behalf_of or as inferred, "
            "and received by it) are not matched: returning a controller's data to it is no "
            "disclosure or sharing (ICO Data Sharing Code; Art. 28(3)(a), 28(3)(g)), and the "
            "controller's notice, not the organisation's, covers it (Art. 13, 14). For the "
            "rules on sharing and on the organisation's own notice; the rules that bind a "
            "processor (security, transfers, its contract) leave it false."
        ),
    )

    directions: list[Direction] = Field(
        default=[],
        description=(
            "outbound: the organisation's flows to another party, and the flows its "
            "processors make for it to another party (not given to a controller nor set "
            "aside as another's own): its processing, made by its processor, bound by its "
            "promises (attack review s6, problem 5); inbound, internal, onward: as the map's "
            "ends say."
        ),
    )
    except_processor_sent: bool = Field(
        default=False,
        description=(
            "true: the flows the organisation's processors make for it, which `outbound` "
            "matches as the organisation's own, are not matched: for a rule whose problem "
            "on a processor's flow another rule finds on the whole chain (a forbidden "
            "recipient, CONCERO-NO-SALE-ONWARD), so that one problem is one finding."
        ),
    )
    recipient_kinds: list[str] = []
    recipient_roles: list[Role] = []
    recipient_countries: list[str] = []
    categories: Selector | list[str] | None = Field(
        default=None, description="A list means ANY; or {matches: ANY|ALL|NONE|OTHER, values}."
    )
    subjects: Selector | list[str] | None = None
    purposes: list[str] = []
    stores: list[str] = []
    from_stores_holding: list[str] = Field(
        default=[],
        description=(
            "Only flows out of a store that holds any of these categories (or a narrower one), "
            "as the store declares or its flows show (whatever it declares), or out of a store "
            "such a store's flows fill (any chain of stores): what a system keeps, followed out "
            "of it and its copies "
            "(the number kept alongside a call recording, N-PHONE); and flows out of a party "
            "that reads such a store's data out of it or writes it in, for each category "
            "about each group of people no other party brings in (callers' numbers read into "
            "the organisation, or sent by it when it has them only from its calls). A "
            "flow-only condition: it selects no store."
        ),
    )
    into: Literal["stores", "parties"] | None = Field(
        default=None,
        description=(
            "Only flows that end at a store (a system: data copied onto equipment) or at a "
            "party (data handled by an organisation)."
        ),
    )


#: A rule's tables by finding code (exact codes or patterns), and the most entries each may
#: hold: every finding's code is matched against each pattern, and an override's line prints
#: them all. 300,000 patterns took 65 s and printed one line of megabytes (attack review
#: 2026-12-02g, 5); the shipped rules use at most 10.
CODE_TABLES: tuple[str, ...] = (
    "code_severity",
    "code_references",
    "organisation_references",
    "code_fix",
    "unsaid_elsewhere",
    "moot_beside",
)
MAX_CODE_ENTRIES = 200


#: The longest a rule may look ahead of the audit date (an agreement's expiry, a waiver's
#: end): bounded, so that every date the checks compute stays in range.
LONGEST_WINDOW_DAYS = 3660

#: The last audit date the checks can compute with: a window from it still ends by the last
#: date Python holds (``--as-of 9999-12-31`` was an internal error: attack review
#: 2026-12-02i, B).
LAST_AUDIT_DAY = date.max - timedelta(days=LONGEST_WINDOW_DAYS)


class RuleBase(_Strict):
    """What every rule says about itself."""

    id: Annotated[str, Field(pattern=RULE_ID_PATTERN)]
    kind: str
    title: str
    severity: Severity
    rationale: str
    references: References
    fix: str
    enabled: bool = True
    examples: Examples | None = None
    code_severity: dict[str, Severity] = Field(
        default={},
        description=(
            "Severity per finding code where the law's force differs within one rule, e.g. "
            "unknown-status: medium (an evidence gap) beside the rule's high for a missing "
            "contract."
        ),
    )
    code_references: dict[str, list[str]] = Field(
        default={},
        description=(
            "Legal references per finding code (an exact code, else the first pattern that "
            "matches, e.g. sharing-*) where one rule's codes rest on different law: a "
            "processor's missing contract on Art. 28(3), a controller's missing sharing "
            "agreement on the ICO Data Sharing Code. A code with no entry cites the rule's "
            "references; the audit's regime and date then decide which of them apply. An "
            "entry CASE:CODE (a pattern too, e.g. subprocessor:*) goes first for the findings "
            "the check cites as that case: GDPR-AGREEMENT's subprocessor, a processor's hop "
            "to its sub-processor (Art. 28(4))."
        ),
    )
    organisation_references: dict[str, list[str]] = Field(
        default={},
        description=(
            "Per finding code, as code_references (an exact code or pattern, or CASE:CODE), "
            "the organisation's own duty on the same finding, cited beside the finding's law "
            "and always as the organisation's regime has it, even where the finding's flow is "
            "under another regime's law: on GDPR-AGREEMENT's subprocessor hop (a processor's "
            "hop to its sub-processor with no contract, the processor's Art. 28(4) under the "
            "law of its establishment), the term the organisation's contract with that "
            "processor must hold, binding it to Art. 28(2) and 28(4) (Art. 28(3)(d))."
        ),
    )
    regimes: list[Regime] | None = Field(
        default=None,
        min_length=1,
        description=(
            "The regimes whose law the rule states (PECR binds organisations under the UK "
            "regime only). Under another regime the rule judges nothing: what it would have "
            "found is an info finding saying so, with other_regimes' words on the law that "
            "applies instead. None: every regime."
        ),
    )
    other_regimes: dict[Regime, NonBlank] = Field(
        default={},
        description=(
            "With regimes: per other regime, what an organisation under it follows instead, "
            "e.g. EU: 'the ePrivacy Directive Art. 13 as its Member State enacted it, which "
            "flowaudit does not model'."
        ),
    )
    unsaid_elsewhere: dict[str, Literal["every_flow", "no_third_party"]] = Field(
        default={},
        description=(
            "With regimes: finding codes that say only that a record this rule's law asks for "
            "is missing (no Art. 6 basis named, no Art. 9 condition), which an organisation "
            "under another regime has no call to record. There they give no finding, on "
            "every_flow or, with no_third_party, on a flow to the organisation itself or to "
            "its processors only (a disclosure to another party keeps its info finding); the "
            "rule's not-judged statement says once that it did not judge."
        ),
    )
    moot_beside: dict[str, list[NonBlank]] = Field(
        default={},
        description=(
            "Per finding code (an exact code, else the first pattern that matches): facts "
            "another rule establishes (e.g. sold-on, a sale a notice forbids outright) beside "
            "which such a finding is not reported, on the same element, where that finding is "
            "graver: what this rule asks for (a permission, a data sharing agreement) cannot "
            "cure what the other forbids, and asking for it reads as if it could (DPO review "
            "2026-12-03u, problem 11). A finding merged from several rules goes only where "
            "every one of them yields to the fact."
        ),
    )
    code_fix: dict[str, str] = Field(
        default={},
        description=(
            "How to fix a finding of one code (an exact code, else the first pattern that "
            "matches), where the rule's fix would tell the reader to do what the finding shows "
            "done: a flow already on consent told to set a basis, a processor already recorded "
            "told to record the role. A code with no entry is fixed as the rule's fix says; "
            "every report that prints a finding's fix prints this one. An entry CASE:CODE "
            "goes first for the findings the check cites as that case (see code_references)."
        ),
    )
    regime_fix: dict[Regime, NonBlank] = Field(
        default={},
        description=(
            "How to fix the rule's findings for an organisation under one regime, where the "
            "rule's fix names another regime's ways (GDPR-TRANSFER's UK and EU mechanisms, "
            "which a Swiss exporter cannot use): per regime, the fix in place of ``fix``. A "
            "code's own fix (code_fix) still goes first."
        ),
    )

    #: What a kind without ``match`` judges, for the error that refuses a ``match`` on it.
    judges: ClassVar[str] = "the whole map"
    #: What a rule of this kind covers, said where it applied to nothing (the report's n/a)
    #: when "nothing in the map falls under it" could read wider than the rule is: empty for
    #: most kinds. ``covers_elsewhere``: (a kind, what a rule of it judges that this one
    #: does not), the report naming the audit's rules of that kind (review 2026-12-02d, 11).
    covers: ClassVar[str] = ""
    covers_elsewhere: ClassVar[tuple[str, str] | None] = None
    #: The most rules of this kind one audit's policies may define (None: no limit), for a
    #: kind each rule of which is a costly search of the whole map.
    most_per_audit: ClassVar[int | None] = None

    def vocabulary(self) -> tuple[list[str], list[str]]:
        """The data subjects and categories this rule names: each must exist in the map."""
        return [], []


class ScopedRule(RuleBase):
    """A rule whose check judges only what its ``match`` selects. Kinds that judge the whole
    map (the organisation's records, every agreement, every waiver) take no ``match``: there
    it would be silently ignored, so the schema refuses it."""

    match: Match = Match()

    def vocabulary(self) -> tuple[list[str], list[str]]:
        subjects: list[str] = []
        categories: list[str] = []
        for selector, into in (
            (self.match.subjects, subjects),
            (self.match.categories, categories),
        ):
            if isinstance(selector, Selector):
                into.extend(selector.values)
            elif selector is not None:
                into.extend(selector)
        # the categories a store must hold to have its flows out matched (DPO review s18)
        categories.extend(self.match.from_stores_holding)
        return subjects, categories


class AgreementRule(ScopedRule):
    """A flow to another party needs an agreement in force, of the kind its role needs."""

    kind: Literal["agreement"]
    compelled_exempt: bool = Field(
        default=True,
        description=(
            "A flow to an independent controller on a basis the legal table says needs no "
            "sharing agreement (a disclosure the law requires), or marked occasional (a "
            "one-off disclosure, the table's one_off_sharing), is not judged; false for a "
            "promise of agreements that holds whatever the basis (a notice's)."
        ),
    )
    required_kinds: dict[Role, list[AgreementKind]] = {
        Role.PROCESSOR: [AgreementKind.ART28_DPA],
        Role.CONTROLLER: [AgreementKind.DATA_SHARING_AGREEMENT],
        Role.JOINT_CONTROLLER: [AgreementKind.ART26_JOINT],
    }


class LawfulBasisRule(ScopedRule):
    """Every flow names an Art. 6 basis from the legal table, with the records it needs."""

    kind: Literal["lawful_basis"]


class TransferRule(ScopedRule):
    """A flow leaving the exporter's jurisdiction needs adequacy or a valid mechanism."""

    kind: Literal["transfer"]


def one_step_lower(severity: Severity) -> Severity:
    """The severity of a risk to confirm by default: one step below that of a recorded
    breach (info stays info)."""
    lower = max(severity.rank - 1, 0)
    return next(s for s in Severity if s.rank == lower)


class _JudgesMayCarry(ScopedRule):
    """A kind whose check also judges what a flow only may carry (``may_carry``), with codes
    of their own (``may-...``): a risk to confirm, rated one step below the rule's severity
    unless ``code_severity`` says otherwise (as a forbidden rule's ``may-subject``)."""

    code_severity: dict[str, Severity] = Field(
        default={},
        validate_default=True,
        description=(
            "Severity per finding code; may-* (what a flow only may carry: a risk to confirm) is "
            "one step below the rule's severity unless set here."
        ),
    )

    @field_validator("code_severity")
    @classmethod
    def _may_is_a_step_lower(
        cls, value: dict[str, Severity], info: ValidationInfo
    ) -> dict[str, Severity]:
        severity = info.data.get("severity")
        if not isinstance(severity, Severity) or "may-*" in value:
            return value  # (an exact may- code the policy rates wins over the pattern)
        return {**value, "may-*": one_step_lower(severity)}


class CategoriesAllowedRule(_JudgesMayCarry):
    """Matched flows carry only the allowed categories (a parent allows its children)."""

    kind: Literal["categories_allowed"]
    allowed: list[str] = Field(min_length=1)
    more_with: Literal["permission"] | None = Field(
        default=None,
        description=(
            "A flow that records this field may carry more than the allowed categories: for "
            "a promise that allows more with the customer's permission (N-MIS: \"if we need "
            'to share anything more, we will always seek your permission first"). The '
            "record's text is taken to cover what the flow carries beyond, and the pass says "
            "so (listed as resting on an assumed fact)."
        ),
    )
    judge_may_carry: bool = Field(
        default=True,
        description=(
            "Whether what a flow only may carry (may_carry) is judged too; false for a promise "
            "about what is recorded beside the data, not inside it."
        ),
    )

    def vocabulary(self) -> tuple[list[str], list[str]]:
        subjects, categories = super().vocabulary()
        return subjects, [*categories, *self.allowed]


#: A forbidden rule's code for a category carried (or held) that includes a forbidden one
#: without being one (``payment``, which includes ``payment.card.security_code``).
FORBIDDEN_IN_PARENT = "may-category-in-parent"


class ForbiddenRule(ScopedRule):
    """Matched flows, and stores, must not carry these categories, subjects or purposes."""

    kind: Literal["forbidden"]
    categories: list[str] = []
    subjects: list[str] = []
    purposes: list[str] = []
    include_stores: bool = True
    code_severity: dict[str, Severity] = Field(
        default={},
        description=(
            "Severity per finding code; may-category-in-parent (a flow carries, or a store "
            "holds, a category that includes a forbidden one: a risk to confirm) is one step "
            "below the rule's severity unless set here."
        ),
    )
    protect_stores: bool = Field(
        default=False,
        description=(
            "Stores that may hold the categories (include_stores false: the notice lets them) "
            "must record their protection (a system's protection: redaction, a vault). An "
            "unprotected store's finding names the flows that may carry the categories on "
            "(may_carry): one problem, not one finding per flow."
        ),
    )
    subject_consequence: str | None = Field(
        default=None,
        description=(
            "What carrying a listed subject means, said after the subjects in place of "
            "'which is forbidden' (a notice's statement it contradicts, say); where a flow only "
            "may carry them, the finding words it as a risk to confirm."
        ),
    )
    purpose_fact: str | None = Field(
        default=None,
        description=(
            "The problem a forbidden purpose establishes, shared with other rules (a condition "
            "on the recipient's kind names the same sale): one finding, citing each, where they "
            "fire on one flow."
        ),
    )
    subject_consequence_as_controller: str | None = Field(
        default=None,
        description=(
            "Said in place of subject_consequence where the map does not record that the "
            "organisation holds the subjects' data as another controller's processor: the data "
            "did not enter it only through flows with recipient_role processor (a school's "
            "network data during server work), so it holds them as a controller. Unset: "
            "subject_consequence is said whatever the role."
        ),
    )
    undecided_roles: bool = Field(
        default=False,
        description=(
            "Where match names recipient_roles: flows that meet every other condition but whose "
            "recipient's role is not recorded are judged too; what they carry of the forbidden "
            "data is then reported as role-undecided (whether the promise applies turns on the "
            "role), one fact with the agreement rule's role-undecided on the same flow. Rate it "
            "with code_severity."
        ),
    )
    children_read_as: str | None = Field(
        default=None,
        description=(
            "One of subjects that stands for children: a map subject marked children: true "
            "that the rule does not name (by id or fides_key) reads as it, and flowaudit warns "
            "that the rule does not see it (a school's pupils recorded as learners)."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _in_parent_is_a_step_lower(cls, data: Any) -> Any:
        """A category above a forbidden one (``payment`` for its card security codes) may
        carry that data: a risk to confirm, a step below a forbidden category named, as the
        special-category check grades a parent of a special category (attack review
        2026-12-03j, 2). Only a rule that forbids categories grades it; a policy's own entry
        for the code, exact or a pattern, wins."""
        if not isinstance(data, dict) or not data.get("categories"):
            return data
        table = data.get("code_severity") or {}
        if not isinstance(table, dict) or any(
            isinstance(pattern, str) and fnmatch.fnmatchcase(FORBIDDEN_IN_PARENT, pattern)
            for pattern in table
        ):
            return data
        try:
            severity = Severity(str(data.get("severity")))
        except ValueError:
            return data  # refused where it stands, by the field's own validation
        return {**data, "code_severity": {**table, FORBIDDEN_IN_PARENT: one_step_lower(severity)}}

    @model_validator(mode="after")
    def _children_among_subjects(self) -> ForbiddenRule:
        if self.children_read_as is not None and self.children_read_as not in self.subjects:
            raise ValueError(
                f"children_read_as '{self.children_read_as}' is not one of the rule's "
                f"subjects ({', '.join(self.subjects) or 'none'})"
            )
        return self

    def vocabulary(self) -> tuple[list[str], list[str]]:
        subjects, categories = super().vocabulary()
        return [*subjects, *self.subjects], [*categories, *self.categories]


_FACT = (
    "The problem this rule establishes, shared with other rules: one finding, citing each, "
    "where they fire on one flow."
)


class ConsentRequiredRule(_JudgesMayCarry):
    """Matched flows rest on consent, with a consent record on file."""

    kind: Literal["consent_required"]
    explicit: bool = False
    individual_subscribers: bool = Field(
        default=False,
        description=(
            "Only flows carrying data about subjects recorded as individual subscribers "
            "(subscriber: individual; PECR reg. 22): corporate or unsaid ones are not judged, "
            "save those individual_subscriber_words reads as individual."
        ),
    )
    individual_subscriber_words: list[str] = Field(
        default_factory=list,
        description=(
            "With individual_subscribers: whole words or phrases (lowercase, 'sole traders') "
            "by which a subject whose kind of subscriber is unsaid, named by its id or name, "
            "is taken as an individual subscriber; the finding says so."
        ),
    )
    corporate_subscriber_words: list[str] = Field(
        default_factory=list,
        description=(
            "With individual_subscribers: whole words or phrases (lowercase, 'limited "
            "liability partnership') by which a subject whose kind of subscriber is unsaid is "
            "taken as a corporate subscriber (PECR reg. 2(1)), each matched singular or plural "
            "alike, word by word ('Scottish limited partnerships'), unless an individual word "
            "is left in its id or name once these phrases are taken out; the pass says so."
        ),
    )
    by_channel: bool = Field(
        default=False,
        description=(
            "Judge each flow by its marketing channel (channel), as the legal table's "
            "marketing_channels says PECR does: whose consent it needs, if any, and whether "
            "the soft opt-in stands in for it; a flow recording none is read by the table's "
            "read_when_unsaid row, and the finding says so. The channel's requirement replaces "
            "requirement."
        ),
    )
    soft_opt_in: bool = Field(
        default=False,
        description=(
            "A flow on the soft opt-in (soft_opt_in: true, PECR reg. 22(3)) passes, with its "
            "opt_out recorded (reg. 22(3)(c)); the pass says what it takes on trust."
        ),
    )
    requirement: str = Field(
        default="the promise is consent",
        description=(
            "What a finding on a flow not resting on consent says is required (a notice's "
            "promise, or the law: 'PECR reg. 22(2) requires consent or the soft opt-in')."
        ),
    )
    fact: str | None = Field(
        default=None,
        description=(
            f"{_FACT} Named on a flow that does not rest on consent (e.g. the "
            "explicit-permission-missing of a sharing promise); a flow with no basis at all is "
            "also the law's basis-missing."
        ),
    )


class RetentionRule(ScopedRule):
    """Matched stores keep data at most ``max_days``, and say how long they keep it."""

    kind: Literal["retention"]
    # the bound inside the type: on the field of an optional one, the JSON Schema would not
    # carry it
    max_days: Annotated[int, Field(ge=0), WHOLE_NUMBER] | None = Field(
        default=None, description="Longest period allowed; none: a period must be stated."
    )
    require_justification: bool = True


class EncryptionRule(ScopedRule):
    """Stores are encrypted at rest and flows in transit (unknown counts as not shown)."""

    kind: Literal["encryption"]
    at_rest: bool = True
    in_transit: bool = True


class DeclaredOnlyRule(_JudgesMayCarry):
    """Matched flows carry only categories and purposes the notice declares."""

    kind: Literal["declared_only"]
    categories: bool = True
    purposes: bool = True
    declared_categories: dict[str, str] | None = Field(
        default=None,
        description=(
            "The notice's own list of the categories it declares: each root category id (its "
            "subcategories included) with the notice clause that declares it. Given, a category "
            "is declared only when it is or is under one of them and the map does not mark it "
            "declared: false; unset, the map's declared flag (default true) decides."
        ),
    )
    declared_purposes: dict[str, str] | None = Field(
        default=None,
        description=(
            "The notice's own list of the purposes it declares: each purpose id (the purposes "
            "that are a kind of it, is_a, included) with the notice clause that declares it. "
            "Given, a purpose is declared only when it is one of them and the map does not mark "
            "it declared: false; unset, the map's declared flag (default true) decides."
        ),
    )
    purpose_fact: str | None = Field(
        default=None,
        description=(
            "The problem an undeclared purpose establishes, shared with other rules (a "
            "forbidden purpose, a sale to a broker on the same flow): one finding, citing each."
        ),
    )


class StoreContentsRule(ScopedRule):
    """Flows into a store carry only the categories and subjects the store declares."""

    kind: Literal["store_contents"]


class StoreSourceRule(ScopedRule):
    """Matched stores holding personal data for the organisation are filled by a recorded flow."""

    kind: Literal["store_source"]


class FieldsRequiredRule(ScopedRule):
    """Matched flows record the named fields (e.g. notice, permission)."""

    kind: Literal["fields_required"]
    fields: list[str] = Field(min_length=1)
    satisfied_by: list[str] = Field(
        default=[],
        description=(
            "Flow fields any one of which, recorded, keeps the promise too: a permission that "
            "names the recipient also tells the customer of it (CONCERO-ISP-TOLD: fields "
            "[notification], satisfied_by [permission]). Never the other way round. Only "
            "evidence fields: permission, notification, opt_out, regulator_informed, "
            "subjects_informed, consent_record, agreement, transfer_agreement, assessment(s)."
        ),
    )
    record_names: NonBlank | None = Field(
        default=None,
        description=(
            "What the recorded text must name for the promise to be kept (e.g. 'who receives "
            "the data and where it goes'). flowaudit cannot read free text: a pass resting on "
            "a text field (permission, notification, opt_out, regulator_informed, "
            "subjects_informed) is listed as resting on what the record says, an ASSUMED fact."
        ),
    )
    fact: str | None = Field(default=None, description=_FACT)
    message: str | None = Field(
        default=None,
        description=(
            "What a finding says is missing, in the promise's words (default: '<field>' is not "
            "recorded), after the flow's parties. It may hold {regime} and {basis}, worded by "
            "by_regime and by_basis."
        ),
    )
    by_regime: dict[Regime, NonBlank] = Field(
        default={},
        description=(
            "What {regime} in the message says for an organisation under each regime: the law "
            "that binds it (e.g. UK: 'PECR reg. 23(b)'; EU: 'the ePrivacy Directive Art. 13 as "
            "its Member State enacted it'). Given with {regime} only, for every regime."
        ),
    )
    by_basis: dict[str, str] = Field(
        default={},
        description=(
            "What {basis} in the message says for a flow on each lawful basis (e.g. consent: "
            "', or that consent can be withdrawn as easily as it was given (UK GDPR Art. "
            "7(3))'); a basis not listed says what 'other' says, else nothing. Given with "
            "{basis} only."
        ),
    )
    message_by_channel: dict[MarketingChannel, NonBlank] = Field(
        default={},
        description=(
            "The message for a marketing flow by each channel (the flow's channel) where it "
            "reads otherwise than message: marketing by post owes no PECR address in every "
            "email, only the right to object. It may hold {regime} and {basis}, worded as in "
            "message. A flow with no channel, or one not listed, reads message."
        ),
    )
    undecided_roles: bool = Field(
        default=False,
        description=(
            "Where match names recipient_roles: flows that meet every other condition but whose "
            "recipient's role is not recorded are judged too; a missing field is then reported "
            "as role-undecided (whether the promise applies turns on the role), one fact with "
            "the agreement rule's role-undecided on the same flow. Rate it with code_severity."
        ),
    )
    one_per_recipient_purpose: bool = Field(
        default=False,
        description=(
            "One record keeps the promise for every flow from one sender to one recipient for "
            "one purpose (a permission naming who receives the data and where it goes): a "
            "missing one is one finding, at the first such flow in the map, naming the others "
            "(judged there, not passed), not one per flow. Not for role-undecided findings, "
            "which join the agreement rule's on each flow."
        ),
    )

    @model_validator(mode="after")
    def _placeholders_worded(self) -> FieldsRequiredRule:
        # a {regime} or {basis} left in a finding, or words for one the message lacks, is a
        # rule-writing mistake: refused when the policy loads
        message = self.message or ""
        for name, words in (("regime", self.by_regime), ("basis", self.by_basis)):
            if words and "{" + name + "}" not in message:
                raise ValueError(f"by_{name} words {{{name}}} in the message, which has none")
            if "{" + name + "}" in message and not words:
                raise ValueError(f"the message has {{{name}}}: say what it reads in by_{name}")
        for channel, text in self.message_by_channel.items():
            for name, words in (("regime", self.by_regime), ("basis", self.by_basis)):
                if "{" + name + "}" in text and not words:
                    raise ValueError(
                        f"the message for {channel} has {{{name}}}: say what it reads in by_{name}"
                    )
        missing = [r.value for r in Regime if self.by_regime and r not in self.by_regime]
        if missing:
            raise ValueError(
                "the message has {regime}: say what it reads under every regime "
                f"(by_regime has no {', '.join(missing)})"
            )
        return self

    def worded(
        self, regime: str, basis: str | None, channel: MarketingChannel | None = None
    ) -> str | None:
        """The message as it reads for an organisation under ``regime`` and a flow on
        ``basis`` by ``channel``: the channel's own message where the rule has one, {regime}
        and {basis} replaced (plain replacement: no other brace is read)."""
        message = self.message
        if channel is not None and channel in self.message_by_channel:
            message = self.message_by_channel[channel]
        if message is None:
            return None
        if self.by_regime:
            message = message.replace("{regime}", self.by_regime[Regime(regime)])
        if self.by_basis:
            said = self.by_basis.get(basis or "", self.by_basis.get("other", ""))
            message = message.replace("{basis}", said)
        return message


class ConditionRule(ScopedRule):
    """Matched flows satisfy a CEL expression (never Python) over flow, source, recipient."""

    kind: Literal["condition"]
    expression: str = Field(min_length=1)
    message: str
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")] = Field(
        default="false",
        description=(
            "The finding's code when the expression is false, naming the problem in JSON, "
            "SARIF and waivers (e.g. not-approved). Left out, the code is 'false' (the "
            "expression was false), which names no problem: a waiver or code_severity "
            "written for the rule must then say code: false, so name one. Not 'error' or "
            "'not-boolean', the codes of an expression that fails or gives no boolean."
        ),
    )
    fact: str | None = Field(
        default=None,
        description=(
            "The problem this rule establishes, shared with other rules (e.g. basis-missing): "
            "one finding, citing both, where both fire on one flow."
        ),
    )
    #: Where the expression is written (file, line, column), for errors found at run time.
    _expression_at: tuple[str, int, int] | None = PrivateAttr(default=None)

    @field_validator("code")
    @classmethod
    def _not_the_engines_code(cls, value: str) -> str:
        # one code for a verdict and for a broken expression would let one waiver or grade
        # cover both (attack review 2026-12-02e, hole 3)
        if value in ("error", "not-boolean"):
            raise ValueError(
                f"'{value}' is the code of an expression that fails or gives no boolean; "
                "name the problem the rule finds"
            )
        return value

    @property
    def expression_at(self) -> tuple[str, int, int] | None:
        """Where the expression is written, if it was read from a file."""
        return self._expression_at

    def located_at(self, file: str, line: int, column: int) -> None:
        """Record where the expression is written (the policy loader does)."""
        self._expression_at = (file, line, column)


class OnwardRule(ScopedRule):
    """Data that reaches a third country without a valid mechanism, or a forbidden kind of
    recipient, through a chain of flows (A -> B -> C) is judged on the whole path."""

    kind: Literal["onward"]
    forbidden_recipient_kinds: list[str] = Field(
        default=[],
        description=(
            "Kinds of recipient the data must never reach; a kind with `*` is a pattern "
            "(`*broker*`: any kind with broker in it), since kinds are the map's own words."
        ),
    )

    def forbids_kind(self, kind: str) -> bool:
        """Whether a recipient of this kind is forbidden: named, or matched by a pattern."""
        return kind in self.forbidden_recipient_kinds or any(
            "*" in pattern and fnmatch.fnmatchcase(kind, pattern)
            for pattern in self.forbidden_recipient_kinds
        )

    max_hops: WholeNumber = Field(default=10, ge=2, le=100)

    #: each is a chain search of the whole map (0.8 s on a dense 20,000-flow map): 60 copies
    #: in a pull request's policy file took check from 5 s to 53 s (attack review
    #: 2026-12-03k, problem 5); real policy sets have one to three
    most_per_audit: ClassVar[int | None] = 8


class SubprocessingRule(ScopedRule):
    """A processor passing data on to another processor needs an agreement with the
    organisation that allows sub-processing."""

    kind: Literal["subprocessing"]
    covers: ClassVar[str] = (
        "the organisation's own processors passing its data on to another processor"
    )
    covers_elsewhere: ClassVar[tuple[str, str] | None] = (
        "processor_duties",
        "where the organisation is itself a processor, the sub-processors it passes "
        "a controller's data to",
    )


class ProcessorDutiesRule(RuleBase):
    """Where the organisation is another controller's processor: sub-processors authorised
    along the path, an Art. 30(2) record, breach notice to the controller."""

    kind: Literal["processor_duties"]
    judges: ClassVar[str] = "the organisation's work as a processor: its flows and records"


class SpecialCategoryRule(_JudgesMayCarry):
    """Flows carrying special-category data name an Art. 9 condition (a flow that only may
    carry it, by a parent category or its may_carry: may-no-condition, a step lower)."""

    kind: Literal["special_category"]


class AgreementExpiryRule(RuleBase):
    """Signed agreements that expire within ``within_days`` of the audit date are flagged."""

    kind: Literal["agreement_expiry"]
    judges: ClassVar[str] = "every signed agreement in the map"
    within_days: WholeNumber = Field(
        default=60, ge=1, le=LONGEST_WINDOW_DAYS
    )  # dates stay in range


class AgreementEvidenceRule(RuleBase):
    """Agreements recorded as signed name their signing date and the signed document."""

    kind: Literal["agreement_evidence"]
    judges: ClassVar[str] = "every agreement recorded as signed"


class RecordEvidenceRule(RuleBase):
    """Assessments name their completion date and where they are kept; consent records name
    where the records of consent are kept."""

    kind: Literal["record_evidence"]
    judges: ClassVar[str] = "every assessment and consent record in the map"


class RightsRule(RuleBase):
    """Facts the organisation records about rights requests and complaints meet the law."""

    kind: Literal["rights"]
    judges: ClassVar[str] = "the organisation's records of rights requests and complaints"
    max_dsar_days: Annotated[int, Field(ge=1, le=3660), WHOLE_NUMBER] | None = Field(
        default=None,
        description=(
            "A limit of the rule's own on the days to answer a subject access request (a "
            "notice's promise of 28 days). None: the law's for the organisation's regime, from "
            "the legal table (dsar_deadlines: one calendar month under the GDPR, so 28 days "
            "for every month; 30 days under the revFADP). Above the law's limit for every "
            "request, the finding cites the law whatever this says."
        ),
    )
    max_dsar_days_why: str | None = Field(
        default=None,
        description=(
            "Why max_dsar_days is the limit, as the finding says it (a notice's own "
            "promise): without it the finding calls it the rule's limit, never the law's."
        ),
    )
    complaints_procedure: bool = Field(
        default=True,
        description=(
            "Judge the statutory complaints procedure (the legal table's duty) too; a notice's "
            "rule about its own deadline sets false, so that the law's duty is reported as the "
            "law's, not as the notice's promise."
        ),
    )


class BreachRule(RuleBase):
    """The organisation keeps a breach log, notifies within the legal limit and, where it acts
    as a processor, tells the controllers (Art. 33)."""

    kind: Literal["breach"]
    judges: ClassVar[str] = "the organisation's breach log and breach procedure"
    max_hours: WholeNumber = Field(default=72, ge=1, le=87840)


class RepresentativeRule(RuleBase):
    """An organisation established outside the territory of the law it is judged under
    records its representative there (Art. 27)."""

    kind: Literal["representative"]
    judges: ClassVar[str] = (
        "whether an organisation established outside its regime's territory records its "
        "representative there"
    )
    covers: ClassVar[str] = (
        "an organisation established outside the territory of the law it is judged under, "
        "as a US company serving people in the UK is"
    )


class CookiesRule(ScopedRule):
    """Cookies other than strictly necessary ones need consent, except those a dated
    exemption in the legal table covers (UK analytics cookies from 2026-02-05)."""

    kind: Literal["cookies"]
    # said where it applied to nothing: the easiest pass was to leave cookies out of the map
    # (auditor review 2026-12-02f, problem 7)
    covers: ClassVar[str] = (
        "the cookies recorded in the cookies: list of a store that serves the organisation's "
        "website or app (its own, or one its host, another processor or a party of unrecorded "
        "role holds, whatever flows reach it; for an EU organisation only those set without "
        "consent, other than strictly necessary ones), and the stores a policy names in "
        "match.stores; no such store records a cookie, so none was judged (cookies recorded "
        "on a store of a party recorded as a controller or joint controller are that party's "
        "own site's): list each cookie a website or app sets under its store's cookies: "
        "(with purpose and consent; [] when it sets none), or name the store in match.stores"
    )
    code_severity: dict[str, Severity] = Field(
        default={},
        validate_default=True,
        description=(
            "Severity per finding code; not-judged (a cookie of a regime whose cookie law is not "
            "modelled) is info unless set here."
        ),
    )

    @field_validator("code_severity")
    @classmethod
    def _not_judged_is_info(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        """A cookie the tool cannot judge (a regime whose cookie law it does not model) is
        reported for information, whatever the rule's severity, unless the policy says
        otherwise: it is no finding of a breach."""
        return {"not-judged": Severity.INFO, **value}


class CriminalOffenceRule(_JudgesMayCarry):
    """Flows and stores of criminal offence data name an Art. 10 condition, with the
    appropriate policy document the condition needs (a flow that only may carry it, by a
    parent category or its may_carry: may-no-condition, a step lower)."""

    kind: Literal["criminal_offence"]


class NoticeContentRule(RuleBase):
    """The privacy notice says every Art. 13/14 item that applies to the map."""

    kind: Literal["notice_content"]
    judges: ClassVar[str] = "the organisation's privacy notice against the whole map"


class WaiverRule(RuleBase):
    """Waivers are in date, approved no later than the audit date, run at most
    ``max_months`` from approval, and each one matches a finding."""

    kind: Literal["waiver"]
    judges: ClassVar[str] = "every waiver in the map"
    warn_within_days: WholeNumber = Field(default=30, ge=0, le=LONGEST_WINDOW_DAYS)
    max_months: WholeNumber = Field(
        default=12, ge=1, le=120, description="Longest a waiver may run after its approval."
    )
    max_severity: Severity = Field(
        default=Severity.HIGH,
        description=(
            "The gravest finding a waiver may accept: one naming a finding graded above it "
            "covers nothing and is reported (an unlawful transfer is unlawful on every day it "
            "runs, whoever accepts the risk)."
        ),
    )


#: Every rule kind, once, in the order the policy language lists them: the policy union, the
#: JSON Schema, ``RULE_MODELS`` and the check registry (whose test compares) derive from it.
RULE_KINDS: tuple[type[RuleBase], ...] = (
    AgreementRule,
    LawfulBasisRule,
    TransferRule,
    CategoriesAllowedRule,
    ForbiddenRule,
    ConsentRequiredRule,
    RetentionRule,
    EncryptionRule,
    DeclaredOnlyRule,
    FieldsRequiredRule,
    ConditionRule,
    OnwardRule,
    SubprocessingRule,
    ProcessorDutiesRule,
    SpecialCategoryRule,
    AgreementExpiryRule,
    AgreementEvidenceRule,
    RecordEvidenceRule,
    RightsRule,
    WaiverRule,
    BreachRule,
    CookiesRule,
    CriminalOffenceRule,
    NoticeContentRule,
    StoreContentsRule,
    StoreSourceRule,
    RepresentativeRule,
)


def kind_of(model: type[RuleBase]) -> str:
    """The kind a rule model declares (its ``kind: Literal[...]``): the one place it is named."""
    (kind,) = get_args(model.model_fields["kind"].annotation)
    return str(kind)


RULE_MODELS: dict[str, type[RuleBase]] = {kind_of(model): model for model in RULE_KINDS}

if TYPE_CHECKING:  # a union built at run time is no static type; every member is a RuleBase
    Rule = RuleBase
else:
    Rule = Annotated[Union[RULE_KINDS], Field(discriminator="kind")]  # noqa: UP007


class Override(_Strict):
    """A user's change to a shipped rule, on the record: switch it off or change severity."""

    rule: str
    enabled: bool | None = None
    severity: Severity | None = None
    set: dict[str, Any] = Field(
        default={}, description="New values for the rule's own settings, e.g. within_days: 90."
    )
    # blank or invisible text is refused, as on a waiver: a rule switched off for a reason
    # nobody can read is switched off for none (attack review 2026-12-02d, hole 6)
    justification: NonBlank
    owner: NonBlank | None = None


class PolicyInfo(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    title: str
    description: str | None = None


class PolicyFile(_Strict):
    """One policy file."""

    policy: PolicyInfo
    rules: list[Rule] = []
    overrides: list[Override] = []


def policy_json_schema() -> dict[str, object]:
    """The JSON Schema of one policy file."""
    schema = PolicyFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://flowaudit.invalid/schemas/policy.json"
    return schema
