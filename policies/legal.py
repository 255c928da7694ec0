"""The dated legal table: transfer mechanisms, adequacy and lawful bases, read from YAML.

Facts of law live in policies/legal/*.yaml with their sources; this module only gives them
types and the date arithmetic every check needs.
"""

from __future__ import annotations

import fnmatch
import re
import typing
from collections.abc import Callable, Collection, Iterable
from datetime import date
from functools import cached_property
from importlib import resources
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from flowaudit.model.loader import validation_problems
from flowaudit.model.problems import OPTIONS, InputError, Problem
from flowaudit.model.schema import Art9Kind, ConsentRecord, MarketingChannel
from flowaudit.model.yamlsource import parse_text

#: How rules and table sources cite the GDPR: written for a UK exporter from 2021, with
#: "UK GDPR / GDPR" where a row serves both regimes. Only a citation of an article (its
#: number follows) is rewritten, never other words that happen to say "UK GDPR", nor a map's
#: name cut just after "UK GDPR Art." (attack review 2026-12-03t, problem 4).
WRITTEN_CITATION = re.compile(r"\bUK GDPR(?: / GDPR)?(?= Art\. \d)")

#: A citation of an article as rules, messages and table sources write it: with the GDPR
#: named ("UK GDPR Art. 28(3)", "GDPR Art. 44-46", "UK GDPR / GDPR Art. 33(1)": ``gdpr``) or
#: bare ("an Art. 28 contract", "(Art. 5(1)(e))"), the article with its points or a range
#: (``article``: "28(3)(a)", "44-46", "21(2)-(4)", "13/14").
CITATION = re.compile(
    r"(?P<gdpr>\b(?:UK GDPR(?: / GDPR)?|GDPR) )?"
    r"Art\. (?P<article>\d+(?:/\d+)?(?:\([0-9A-Za-z]+\))*(?:-\d*(?:\([0-9A-Za-z]+\))*)?)"
    r"(?![\w/(])"
)
#: The word before a bare citation, past a parenthesis after it ("revFADP (SR 235.1) Art. 17"):
#: one with a capital or a digit names another instrument ("revFADP", "FADO", "UWG",
#: "Directive", "2016/679"), and the citation is of that instrument, not of the GDPR.
_WORD_BEFORE = re.compile(r"(?:^|[\s(])(?P<word>[^\s()]+) (?:\([^()]*\) )?$")
_SEPARATORS = (", ", "; ", " and ", ", and ")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reading(_Row):
    """How a row that serves several regimes reads for the organisations of one of them, where
    that regime's law words it otherwise: its own source (an EU organisation's bases rest on
    the GDPR, on EUR-Lex, not on UK GDPR and the ICO's guidance), notes, what a pass on it
    takes on trust (``claimed``: Art. 9(2)(g) rests on Union or Member State law, not on DPA
    2018 Sch. 1) and why no data sharing agreement is expected (``sharing_source``). Each
    field left out reads as the row's own (auditor review 2026-12-03r, problem 3)."""

    source: str | None = None
    url: str | None = None
    notes: str | None = None
    claimed: str | None = None
    claimed_of_public_authority: str | None = None
    sharing_source: str | None = None


class _Readable(_Row):
    """A row with readings for other regimes (``read_for``): ``read_as(regime)`` is the row as
    that regime's organisations read it, which ``flowaudit law``, the passes' notes and the
    report's legal table print."""

    read_for: dict[str, Reading] = {}
    _readings: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _readings_of_fields_the_row_has(self) -> Self:
        fields = type(self).model_fields
        for regime, reading in self.read_for.items():
            given = reading.model_dump(exclude_none=True)  # a dumped row spells out the None
            unknown = sorted(name for name in given if name not in fields)
            if unknown:
                raise ValueError(
                    f"read_for {regime} sets {', '.join(unknown)}, which the row does not have"
                )
        return self

    def read_as(self, regime: str) -> Self:
        """The row as the organisations of ``regime`` read it: its own fields, with those of
        its reading for the regime in their place (the row itself where it has none). Made
        once per regime (a check asks it per flow)."""
        reading = self.read_for.get(regime)
        if reading is None:
            return self
        read = self._readings.get(regime)
        if read is None:
            read = self._readings[regime] = self.model_copy(
                update=reading.model_dump(exclude_none=True)
            )
        return typing.cast(Self, read)


class _Sourced(_Readable):
    """A row of law: where it comes from (``source``, ``url``) and notes on its reading."""

    notes: str | None = None
    source: str
    url: str | None = None


class _Weighed(_Sourced):
    """A row whose reading may be UNCONFIRMED: printed with every verdict that relies on it."""

    unconfirmed: bool | list[str] = False
    """True: the row's reading is UNCONFIRMED as a whole. A list names the fields that are
    (``[valid_from]``: a start date not checked): a verdict relies on the mark only where it
    turns on one of them (``doubts``), so a verdict decided by the row's ``exporters`` or by
    its end date does not carry the mark of its start (DPO review 2026-12-02i, problem 5)."""

    @model_validator(mode="after")
    def _unconfirmed_names_fields(self) -> _Weighed:
        if isinstance(self.unconfirmed, list):
            known = set(type(self).model_fields) - {"unconfirmed"}
            unknown = [name for name in self.unconfirmed if name not in known]
            if unknown or not self.unconfirmed:
                raise ValueError(
                    f"unconfirmed names fields of the row ({', '.join(sorted(known))}); "
                    f"got {self.unconfirmed}"
                )
        return self

    def doubts(self, turned_on: Iterable[str] | None = None) -> bool:
        """Whether a verdict that turned on the fields ``turned_on`` of this row (None: on the
        row as a whole, as a pass that rests on it does) relies on an UNCONFIRMED part of it."""
        if isinstance(self.unconfirmed, bool):
            return self.unconfirmed
        return turned_on is None or not set(self.unconfirmed).isdisjoint(turned_on)


class Dated(_Weighed):
    """A row that applies from ``valid_from`` (inclusive) until ``invalid_from`` (exclusive)."""

    valid_from: date | None = None
    invalid_from: date | None = None

    def in_force(self, on: date) -> bool:
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.invalid_from is None or on < self.invalid_from

    def dates_deciding(self, on: date) -> tuple[str, ...]:
        """The dates whether the row is in force on ``on`` turns on: the one it falls outside,
        or both where it is in force."""
        if self.valid_from is not None and on < self.valid_from:
            return ("valid_from",)
        if self.invalid_from is not None and on >= self.invalid_from:
            return ("invalid_from",)
        return ("valid_from", "invalid_from")


class ContestedDay(_Row):
    """A day on which a dated field of a row reads otherwise in the law's own text than in
    the table (FACTS.md's reading, which verdicts follow): a verdict that turns on that field
    and falls on ``day`` carries the UNCONFIRMED mark with ``reading`` and its source, on that
    day only. ``day`` is the date a verdict compares with the field: the audit date for
    ``valid_from``/``invalid_from``, an agreement's ``signed_on`` for ``new_contracts_until``
    (DPO review 2026-12-03j, problems 1-3)."""

    field: str
    day: date
    reading: str
    """The other reading of the day, and why the text allows it."""
    source: str
    url: str | None = None


class Contestable(Dated):
    """A dated row whose boundary days may be contested (``contested``): the transfer check
    reads them, ``flowaudit law`` and the report's legal table print them."""

    contested: list[ContestedDay] = []

    @model_validator(mode="after")
    def _contested_days_of_date_fields(self) -> Contestable:
        for entry in self.contested:
            value = getattr(self, entry.field, None) if entry.field != "contested" else None
            if not isinstance(value, date):
                raise ValueError(f"contested names '{entry.field}', not a date the row sets")
            if abs((entry.day - value).days) > 1:
                raise ValueError(
                    f"contested {entry.field} {entry.day} is not the boundary of {value} "
                    "(the day itself or the day before or after)"
                )
        return self

    def contested_on(self, compared: dict[str, date]) -> tuple[ContestedDay, ...]:
        """The contested days of the fields in ``compared`` that fall on the date each is
        compared with (a field absent: the verdict does not turn on it)."""
        return tuple(c for c in self.contested if compared.get(c.field) == c.day)

    def contested_in_force(
        self, on: date, fields: Iterable[str] | None = None
    ) -> tuple[ContestedDay, ...]:
        """The contested days on which whether the row is in force on ``on`` turns, of the
        dates ``fields`` (None: both)."""
        dates = ("valid_from", "invalid_from") if fields is None else fields
        return self.contested_on(dict.fromkeys(dates, on))


class Counterpart(_Weighed):
    """An article of a regime's own law that sets the duty the GDPR articles ``gdpr`` set, as
    the rules cite them (``Art. 28(3)``): a finding, a rule's references and the record of
    processing of an organisation of that regime cite ``cites`` in their place (auditor review
    2026-12-03o, problem 2; DPO review 2026-12-02i, problem 4)."""

    gdpr: list[str]
    """The GDPR articles, each written as a citation of one ("Art. 5(1)(e)", "Art. 44-46"):
    only that article is replaced, not its points ("Art. 7(1)" is not "Art. 7")."""
    cites: str
    """The regime's own article, instrument named ("revFADP Art. 6(4)")."""
    standard: str | None = None
    """Where a rule judges what the GDPR article asks in more detail than the regime's own
    (the terms of a processor contract Art. 28(3) lists; revFADP Art. 9 lists none), what a
    finding of that rule says: the detail is the GDPR's standard the rule follows."""

    @model_validator(mode="after")
    def _articles_are_citations(self) -> Counterpart:
        for article in self.gdpr:
            if CITATION.fullmatch(article) is None or article.startswith(("GDPR", "UK")):
                raise ValueError(f"gdpr: '{article}' is not a bare citation ('Art. 28(3)')")
        return self


class Jurisdiction(_Row):
    id: str
    name: str
    countries: list[str]
    cited_as: str
    """How findings name the GDPR for exporters following this regime ("UK GDPR", "GDPR")."""
    area: str = "its jurisdiction"
    """How findings name the area the regime covers ("the UK", "the EEA"): "sends it to
    Dragon Ads Ltd in CN, outside the UK" (lawyer review s10, problem 3)."""
    cited_as_source: str
    not_binding: list[str] = []
    """Starts of references to another regime's own law, left out of this regime's findings."""
    regulator: str = "your supervisory authority"
    """Who an organisation of this regime reports breaches to and people complain to, as the
    starter map's comments name it (the ICO for the UK; an EU organisation's own supervisory
    authority: auditor review 2026-12-03o, problem 8)."""
    regulator_source: str | None = None
    modelled_from: date | None = None
    """The first audit date the tables model this regime's own law for, where it is later
    than the table's own (the CH regime: the revFADP, in force 2023-09-01): a run dated
    before it warns that the duties that law sets are not judged; transfers are, by the
    table's dated rows (auditor review 2026-12-03p, problem 6)."""
    modelled_from_source: str | None = None
    before_modelled: str | None = None
    """What the law was before ``modelled_from``, said in the warning of a run dated then."""
    assessment_names: dict[str, str] = {}
    """How a finding names an assessment kind of the map (``transfer_risk``) to this
    regime's organisations: the EU's Clause 14 "transfer impact assessment", the UK's
    "transfer risk assessment" (DPO review 2026-12-03p, problem 7). A kind not listed is
    named from its id ("legitimate interests assessment")."""
    assessment_names_source: str | None = None
    not_judged: dict[str, str] = {}
    """Sections of the table (``lawful_bases``, ``art9_conditions``) whose rules do not judge
    this regime's organisations, with what its own law has instead: `law` says so under the
    section, which it lists all the same (a Swiss reader saw the GDPR's Art. 6(1) list as
    Swiss law)."""
    own_articles: list[str] = []
    """Articles of this regime's version of the GDPR that the EU's Regulation does not have
    (the UK's Art. 6(1)(ea), 46(1A), inserted by the DUAA 2025), as "Art. 46(1A)": a citation
    of one, or of a point within it, is never worded as another regime's GDPR ("GDPR Art.
    46(1A)" named an article that does not exist), and another regime's findings leave a
    reference to it out, as they leave out ``not_binding`` law (lawyer review s17, problem
    1)."""
    own_articles_source: str | None = None
    counterparts: list[Counterpart] = []
    """The articles of this regime's own law that set the duty a GDPR article the rules cite
    sets (the CH regime: the revFADP's). From ``modelled_from`` on, a finding's message, a
    rule's references and the record of processing of this regime's organisations cite the
    regime's article in the GDPR's place (``LegalTable.citer``); a GDPR article with none
    (Art. 26, Art. 5(2)) keeps its citation, named as the GDPR's where it follows one that
    was replaced. Each row has its source."""

    @model_validator(mode="after")
    def _one_counterpart_per_article(self) -> Jurisdiction:
        articles = [article for row in self.counterparts for article in row.gdpr]
        twice = sorted({article for article in articles if articles.count(article) > 1})
        if twice:
            raise ValueError(f"counterparts: more than one row for {', '.join(twice)}")
        return self

    def counterpart_table(self) -> dict[str, str]:
        """The article numbers of the GDPR ("28(3)") by the citation that replaces them."""
        return {
            article.removeprefix("Art. "): row.cites
            for row in self.counterparts
            for article in row.gdpr
        }


class Instrument(Dated):
    """A law or code the rules cite that came into force after the first modelled day: a
    finding dated before ``valid_from`` leaves out every reference that starts with one of
    ``cites`` (it was not law yet), as ``not_binding`` leaves out another regime's law."""

    id: str
    cites: list[str]
    destinations: list[str] | None = None
    """The countries the instrument is about (an adequacy regulation for one country: SI
    2023/1028, the United States): a finding about a flow to another country does not cite
    it, as it says nothing of that transfer (lawyer review s20, problem 2: a UK exporter's
    transfer to Monaco cited the UK-US data bridge). Left out: about any destination."""


class Period(Dated):
    """A span in which one regime's exporters followed another regime's table (the UK in the
    EU until the end of the transition period), its ``countries`` counted inside it."""

    id: str
    regime: str
    follows: str
    countries: list[str]


class Ground(_Row):
    """One ground a derogation rests on (an Art. 49(1) point), with its source."""

    id: str
    name: str
    source: str
    regulator_informed: bool = False
    """The ground needs the regulator informed of the transfer (Art. 49(1) second
    subparagraph): the flow records where that notification is kept."""
    subjects_informed: bool = False
    """The ground needs the data subject informed of the transfer and of the compelling
    legitimate interests pursued, besides the Art. 13/14 information (Art. 49(1) second
    subparagraph): the flow records where that is shown (``subjects_informed``)."""
    assessment: str | None = None
    """The kind of assessment the ground needs on file, linked from the flow (the second
    subparagraph's assessment of all the circumstances, documented under Art. 49(6))."""
    party_to_contract: bool = False
    """The ground is a contract with the person (Art. 49(1)(b)): a flow about people the map
    records as not party to it (``party_to_contract: false``) does not meet it."""


class Instead(_Row):
    """What an exporter a mechanism does not serve uses instead: another mechanism of the
    table, named only on an audit date it can be concluded (in force, before any cut-off for
    new contracts), and what the exporter does with it, after "a UK exporter"."""

    mechanism: str
    says: str


class Mechanism(Contestable):
    """A transfer mechanism (or something offered as one that is not)."""

    id: str
    name: str
    exporters: list[str]
    destinations: list[str] = []
    requires_listing: str | None = None
    agreement_kinds: list[str] = []
    new_contracts_until: date | None = None
    intra_group_only: bool = False
    requires_assessment: str | None = None
    assessment_required_from: date | None = None
    assessment_not_before: date | None = None
    """The earliest day an assessment answering this mechanism can be completed: one made
    before it cannot account for what the mechanism's assessment must weigh (Schrems II)."""
    requires_explicit_consent: bool = False
    flag_sensitive: bool = False
    routine: bool = True
    grounds: list[Ground] = []
    """A derogation's grounds: a flow using it names one (``derogation``)."""
    is_mechanism: bool = True
    for_other_exporters: dict[str, list[Instead]] = {}
    """Per regime the mechanism does not serve, how that regime's exporters get the same
    protection: what the finding that refuses it tells them to do instead, each way naming a
    row of the table, said only where that row is open to a new contract on the audit date
    (no UK Addendum before 2022-03-21: DPO review 2026-12-02i, problem 6)."""

    text_from: date | None = None
    """The day the instrument's text existed in its final form (published, or laid before
    Parliament), where that is before ``valid_from``: a contract concluded on the text from
    that day is a contract on the instrument, a safeguard from ``valid_from`` on; only one
    signed before it cannot be one (DPO review 2026-12-03r, problem 1). None: ``valid_from``."""
    text_from_source: str | None = None
    """Where ``text_from`` comes from (the Official Journal, the instrument's own words)."""

    answers_to: list[str] = []
    """Rows of the same instrument for other exporters that this row serves for its own (the
    2021 EU SCCs the FDPIC recognised, a Swiss exporter's row ``ch_scc_2021``): a flow of
    these exporters that records one of them is judged under this row, and its record is
    right, not another row's label (DPO review 2026-12-03l, problem 8)."""

    @model_validator(mode="after")
    def _text_before_force(self) -> Mechanism:
        if (self.text_from is None) != (self.text_from_source is None):
            raise ValueError("text_from and text_from_source go together")
        if self.text_from is not None and (
            self.valid_from is None or self.text_from > self.valid_from
        ):
            raise ValueError("text_from is a day on or before the row's valid_from")
        return self

    @property
    def concluded_from(self) -> tuple[date, str] | None:
        """The first day a contract on the instrument can be concluded, and its source: the
        day its text existed, else the row's first day (None: no first day)."""
        if self.text_from is not None and self.text_from_source is not None:
            return self.text_from, self.text_from_source
        if self.valid_from is not None:
            return self.valid_from, self.source
        return None

    def open_to_new_contracts(self, on: date) -> bool:
        """Whether a new contract could rest on the mechanism on ``on``: in force, and on or
        before its last day for new contracts."""
        cutoff = self.new_contracts_until
        return self.in_force(on) and (cutoff is None or on <= cutoff)


class StaffDataScope(_Weighed):
    """What an adequacy for listed importers covers of the organisation's own staff's data
    only, that a map cannot show: a DPF listing covers human resources data only where the
    importer's certification does (``claimed``, after "applies to staff (HR) data"). A pass
    on the row for a flow about the organisation's own employees says it takes that on trust
    (law review 2026-12-03y, problem 4)."""

    claimed: str


class Adequacy(Contestable):
    """Destinations an exporter may send to with no further mechanism."""

    id: str
    exporter: str
    destinations: list[str]
    requires_listing: str | None = None
    flag_sensitive: bool = False
    claimed: str | None = None
    """What the adequacy covers only, that a map cannot show (Canada's: importers subject to
    PIPEDA), as a lawful basis's ``claimed``: a pass resting on the row says it takes that on
    trust, as an ASSUMED fact."""
    hr_data: StaffDataScope | None = None
    """What the adequacy covers of the organisation's own staff's (HR) data only, with its
    own source and mark: a pass resting on the row for a flow about its employees takes it on
    trust, as an ASSUMED fact."""
    not_a_transfer: str | None = None
    """Set on a row that is no adequacy decision: the law says that sending to its
    destinations on its dates is no transfer to a third country (the EU-UK Trade and
    Cooperation Agreement's bridge, Art. FINPROV.10A(1)); the words name that provision. The
    transfer rule passes such a flow as on adequacy; ``law`` lists the row with what is no
    restricted transfer, and the record of processing and the transfers register say "no
    restricted transfer (<words>)", not "adequacy" (law review 2026-12-03y, problem 5)."""
    not_for_kinds: list[str] = []
    """Importer kinds (shell-style patterns, ``*government*``) the map can show the adequacy
    does not cover (Canada's covers no public body): a transfer to one rests on no adequacy
    (attack review 2026-12-03p, problem 5)."""

    def excludes_kind(self, kind: str) -> bool:
        """Whether the adequacy does not cover an importer of this kind."""
        word = kind.lower()
        return any(fnmatch.fnmatchcase(word, pattern) for pattern in self.not_for_kinds)

    def excluded_words(self, country: str, kind: str) -> str:
        """What a finding of no adequacy adds where the row does not cover the importer's
        kind: said alike by the transfer and the onward rule."""
        return (
            f"; the adequacy of {country} ('{self.id}') applies "
            f"{self.claimed or 'to some importers only'}, and the importer is recorded as "
            f"kind '{kind}'"
        )

    def fields_excluding(self, on: date) -> tuple[str, ...]:
        """The fields a verdict that this row gives no adequacy on ``on`` turns on: the date
        it falls outside, else (in force, the importer not listed) its listing. (A finding
        that names the listing as the way to adequacy relies on the row in force too: it adds
        the row's mark itself, ``doubts()``.)"""
        if not self.in_force(on):
            return self.dates_deciding(on)
        return ("requires_listing",)


class PurposeLimit(_Weighed):
    """A purpose a lawful basis is not open for (direct marketing is not necessary for
    performing a contract): a flow with that purpose on that basis fails with ``code``."""

    purpose: str
    """The purpose id, as maps and policies name it (``marketing``)."""
    code: str
    why: str


class PublicAuthorityBar(_Weighed):
    """A basis that does not apply to processing by public authorities in the performance of
    their tasks (Art. 6(1) second subparagraph): a flow of an organisation recorded as one
    (``public_authority: true``) on it is a wrong basis, unless the processing is outside its
    tasks, which the map cannot show (DPO review 2026-12-03r, problem 3; auditor review
    2026-12-03r, problem 4)."""

    regimes: list[str]
    instead: str
    """The basis a public authority's tasks rest on instead, as the finding names it."""
    words: list[str] = []
    """Words of an organisation's id or name that read as a public authority's (academy,
    council): one that says nothing of ``public_authority`` is warned of, not judged."""


class LawfulBasis(Dated):
    id: str
    name: str
    regimes: list[str]
    not_for_purposes: list[PurposeLimit] = []
    """Purposes the basis is never open for, each with its source."""
    requires_consent_record: bool = False
    children_need_parental_authorisation: bool = False
    """Consent for children's data is given or authorised by the holder of parental
    responsibility (Art. 8(1)), below the regime's age (``child_consent_ages``)."""
    requires_assessment: str | None = None
    requires_party_to_contract: bool = False
    requires_recognised_condition: bool = False
    """Art. 6(1)(ea): a flow names a condition of Annex 1 (``recognised_conditions``)."""
    sharing_agreement_expected: bool = True
    """False: a flow on this basis to an independent controller is a disclosure the law
    requires, made on the law's terms; no data sharing agreement is expected of it."""
    sharing_source: str | None = None
    """Why no agreement is expected, with its source: printed on the passes it gives."""
    claimed: str | None = None
    """What the basis needs that a map cannot show (a life at stake, a task laid down by
    law), as an Art. 9 condition's ``claimed``: a pass on it says it takes that on trust."""
    claimed_of_public_authority: str | None = None
    """``claimed`` as a pass words it for an organisation recorded as a public authority
    (``public_authority: true``): what its own task needs, not what a private company rarely
    has (DPO review 2026-12-03s, problem 6)."""
    not_for_public_authorities: PublicAuthorityBar | None = None
    """Not for a public authority's processing in the performance of its tasks."""

    def barred_to_public_authority(self, regime: str) -> PublicAuthorityBar | None:
        """The bar on a public authority under ``regime``, if the basis has one there."""
        bar = self.not_for_public_authorities
        return bar if bar is not None and regime in bar.regimes else None

    def limit_for(self, purpose: str) -> PurposeLimit | None:
        """The row saying this basis is never open for ``purpose``, if any."""
        return next((limit for limit in self.not_for_purposes if limit.purpose == purpose), None)


class RecognisedCondition(_Weighed):
    """A condition of UK GDPR Annex 1 under which recognised legitimate interests (Art.
    6(1)(ea)) is open (Art. 6(5)); a closed list."""

    id: str
    name: str


class Art14Exemption(_Weighed):
    """A ground of Art. 14(5) on which the information Art. 14(1)-(4) asks need not be given
    for data obtained from others, named by the flow that brings it (``art14_exemption``):
    a closed list, for ``regimes``. ``claimed``: what a notice-content pass that rests on it
    takes on trust, which the map cannot show (DPO review 2026-12-03u, problem 10)."""

    id: str
    name: str
    regimes: list[str]
    claimed: str
    only_with_bases: list[str] = []
    """The lawful bases on which a flow claiming the ground is credible; on any other (or on
    none) the ground is not honoured and the Art. 14 duty stays. Empty: honoured on any basis.
    Art. 14(5)(c) is for data a law expressly lays down obtaining, processed to comply with
    that law or in a task it sets (Art. 6(1)(c), (e)): a positive list, since the excluding
    one (legitimate interests, consent) let the same broker leads through on ``contract``
    (DPO review v, point 4; DPO review w, problem 6)."""
    only_with: str | None = None
    """Why, in words a warning gives after "on the basis '...'"."""

    def honoured_on(self, basis: str | None) -> bool:
        """Whether a flow on ``basis`` may rely on the ground (``only_with_bases``)."""
        return not self.only_with_bases or basis in self.only_with_bases

    @model_validator(mode="after")
    def _why_where_only_with(self) -> Art14Exemption:
        if bool(self.only_with_bases) != (self.only_with is not None):
            raise ValueError("an Art. 14(5) ground says why exactly where it names only_with_bases")
        return self


class ConsentRequirement(_Sourced):
    """Something valid consent needs that a consent record may state (``field``, a fact of
    the record): a record stating ``invalid_if`` shows consent that is not valid, wherever a
    record is relied on (Art. 6(1)(a), Art. 9(2)(a), the Art. 10 consent condition, Art.
    49(1)(a), a notice's promise of opt-in). A record that leaves the fact unstated is not
    judged on it."""

    id: str
    field: str
    invalid_if: bool | None = None
    """The value of a yes/no fact that shows consent not valid."""
    invalid_from: bool = False
    """True: the fact is a date (``withdrawn_on``), and from that day on the record shows no
    valid consent; before it, it does (Art. 7(3): withdrawal does not undo what went before).
    Left unstated, it is no fact taken on trust: the consent was not withdrawn."""
    says: str
    """What the record shows, after "it" ("records no clear affirmative act"); ``{date}``
    stands for the date of an ``invalid_from`` fact."""

    @model_validator(mode="after")
    def _a_fact_of_the_record(self) -> ConsentRequirement:
        if self.field not in ConsentRecord.model_fields:
            raise ValueError(f"'{self.field}' is not a field of a consent record")
        if (self.invalid_if is None) == (not self.invalid_from):
            raise ValueError("a consent requirement has invalid_if or invalid_from: true")
        return self

    @property
    def shown(self) -> str:
        """The row as the law listing prints it: the fact and the value that shows consent
        not valid, then what it shows."""
        if self.invalid_from:
            return f"{self.field}: on or before the audit date (it {self.said('that date')})"
        return f"{self.field}: {str(self.invalid_if).lower()} (it {self.says})"

    def said(self, on: str) -> str:
        """What the record shows, with the date of an ``invalid_from`` fact."""
        return self.says.replace("{date}", on)

    def shows_invalid(self, value: object, as_of: date) -> bool:
        """Whether a record's value of the fact shows consent not valid on the audit date."""
        if self.invalid_from:
            return isinstance(value, date) and value <= as_of
        return value is self.invalid_if


class MarketingChannelRow(_Weighed):
    """What PECR asks of direct marketing by one channel (a flow's ``channel``): the consent
    of individual subscribers (electronic mail, faxes), of every subscriber (automated calls),
    or none (live calls; post and in person are outside PECR). ``requirement`` is what a
    finding on a flow not resting on consent says is required; ``claimed`` what a pass takes
    on trust; ``read_when_unsaid``: the row a marketing flow recording no channel is read by
    (DPO review 2026-12-03u, problem 1)."""

    id: str
    channel: MarketingChannel
    name: str
    regimes: list[str]
    consent: Literal["individual", "every", "none"]
    soft_opt_in: bool = False
    """The soft opt-in of reg. 22(3) stands in for consent (electronic mail only)."""
    read_when_unsaid: bool = False
    requirement: str | None = None
    claimed: str | None = None
    reached_by: list[str] | None = None
    """The kinds of contact data (the table's ``contact_data`` ids) by which the channel
    reaches people: a flow declaring it while the data it carries reads only as other kinds
    (``channel: post`` on email addresses alone) is not judged by it (DPO review v, point
    2). None: any data (marketing in person)."""
    corporate_claimed: str | None = None
    """Where a channel that asks an individual subscriber's consent still protects corporate
    subscribers another way (faxes: none to one that objected, none to a number on the Fax
    Preference Service register, PECR reg. 20(1)(b)-(c)): what a pass on marketing to
    corporate subscribers by it takes on trust, which the map cannot show. Such a flow is
    judged, not left outside the rule (DPO review v, point 3: a fax to a corporate subscriber
    read "n/a")."""

    @model_validator(mode="after")
    def _requirement_where_consent_is_asked(self) -> MarketingChannelRow:
        if (self.requirement is None) != (self.consent == "none"):
            raise ValueError("a channel row has a requirement exactly where it asks consent")
        if self.soft_opt_in and self.consent != "individual":
            raise ValueError("the soft opt-in stands in for an individual subscriber's consent")
        if self.corporate_claimed is not None and self.consent != "individual":
            raise ValueError(
                "corporate_claimed is for a channel that asks an individual subscriber's "
                "consent: one asking every subscriber's, or none, judges corporate ones already"
            )
        return self


class ContactData(_Row):
    """A kind of contact data by which marketing reaches people (a postal address, an email
    address, a phone number), as a map's category shows it: by its ``fides_keys`` (the
    fideslang key or one under it), else by ``words`` whole in its id or name once the
    ``unless`` phrases are taken out ("email address" is no postal address). Read so that a
    marketing flow's declared channel can be checked against what it carries (DPO review v,
    point 2)."""

    id: str
    name: str
    fides_keys: list[str] = []
    words: list[str] = []
    unless: list[str] = []


class ChildConsentAge(_Weighed):
    """Under a regime, the age below which a child cannot consent to an information society
    service offered directly to them: the holder of parental responsibility gives or
    authorises it (Art. 8(1))."""

    id: str
    regime: str
    age: int
    country: str | None = None
    """The state that set the age (ISO code), for an organisation of that country; none: the
    regime's own age, for a country with no row (the GDPR's 16). DPO review 2026-12-03r,
    problem 2: the Member States' ages under Art. 8(1) second subparagraph."""


class OneOffSharing(_Weighed):
    """A disclosure to an independent controller that the map marks occasional (one-off, not
    routine or systematic): no data sharing agreement is expected of it, the code's agreements
    being for routine sharing. Printed on the passes it gives."""

    id: str


class ControllerSharing(_Weighed):
    """A flow to an independent controller of an organisation the ICO Data Sharing Code does
    not bind on the audit date: no agreement is required (Art. 26 asks one of joint
    controllers only), so none is a finding; the pass names the row, as its regime reads it
    (DPO review 2026-12-03s, problem 2)."""

    id: str


class NotABasis(_Row):
    id: str
    why: str
    fix: str


class SensitiveList(_Sourced):
    """The data an exporter must identify to the importer as sensitive where a row says
    ``flag_sensitive`` (the UK Extension): Art. 9(1) kinds and ``criminal_offence``."""

    kinds: list[str]


class DataProtectionTest(Dated):
    """A regime's duty, from ``valid_from``, that the exporter itself judge the transfers it
    makes under the listed mechanisms to meet a test (UK GDPR Art. 46(1A)(a)(ii), the "data
    protection test", from 2026-02-05): an assessment completed before that day shows the
    judgement only where it records it (``data_protection_test: true`` on the assessment)."""

    id: str
    exporters: list[str]
    mechanisms: list[str]

    def applies(self, exporter: str, mechanism: str, on: date) -> bool:
        return exporter in self.exporters and mechanism in self.mechanisms and self.in_force(on)


class SameLegalPerson(_Weighed):
    """No restricted transfer where the sender and the receiver are one legal person (an
    organisation's own store abroad): a transfer needs an importer distinct from the exporter.
    A host or provider that holds the data there is that importer, named as the store's owner."""

    id: str


class StorageAbroad(_Weighed):
    """Data kept in a store abroad (a system outside the exporter's jurisdiction: a host's
    servers, a backup) rests there continuously for as long as it is held: a systematic
    transfer, never an occasional one. The listed mechanisms, for occasional, non-routine
    transfers only (Art. 49), cannot carry a flow into such a store, whatever the flow says
    of itself (``occasional: true``): attack review s9, problem 2."""

    id: str
    mechanisms: list[str]

    @model_validator(mode="before")
    @classmethod
    def _no_excepted_grounds(cls, data: Any) -> Any:
        # ``except_grounds`` (grounds the refusal did not reach, such as legal claims) was
        # removed: into a store held for the organisation the map cannot tell one case's files
        # from routine hosting relabelled with a ground (lawyer review s12, problem 1), so a
        # listed ground re-opened that hole, and no row has listed one since (DPO review s17,
        # problem 4). A table that still names it is refused with the reason, not as a typo.
        if isinstance(data, dict) and ({"except_grounds", "except_source"} & data.keys()):
            raise ValueError(
                "storage_abroad: except_grounds and except_source were removed (DPO review "
                "s17): no derogation ground carries data into a store abroad held for the "
                "organisation, since the map cannot tell one case's files from routine "
                "hosting (lawyer review s12, problem 1); a disclosure for legal claims goes "
                "to the party (counsel, a court), not into such a store; delete the fields"
            )
        return data


class DerogationToProcessor(_Weighed):
    """The contract derogations (Art. 49(1)(b), (c)) need the transfer to be necessary for
    the contract with the person; engaging a processor abroad is the controller's choice, not
    necessary for it (EDPB Guidelines 2/2018 s. 2.2.2). The listed grounds of the listed
    mechanisms cannot carry a transfer to the organisation's processor: lawyer review s10,
    problem 1 (routine hosting in India passed on "contract necessity" when the flow went to
    the processor party rather than its store)."""

    id: str
    mechanisms: list[str]
    grounds: list[str]


class PublicPowers(_Weighed):
    """Art. 49(3): explicit consent (Art. 49(1)(a)), the contract grounds ((b), (c)) and the
    compelling legitimate interests (second subparagraph) do not apply to activities of
    public authorities in the exercise of their public powers. The listed ``mechanisms``
    are closed to such a transfer as a whole; of the ``derogations`` (mechanisms with
    grounds), the listed ``grounds`` are. The map shows the exercise of public powers by an
    organisation marked ``public_authority: true`` on a flow resting on one of ``bases``
    (public task: Art. 6(1)(e)), the exporter being that organisation (lawyer review s21: a
    council's transfer on a person's explicit consent passed)."""

    id: str
    mechanisms: list[str]
    derogations: list[str]
    grounds: list[str]
    bases: list[str]


class Territory(_Row):
    """A territory with an ISO 3166-1 code of its own that is part of a state and of the
    area the state is listed for: an EU outermost region (Réunion, RE: TFEU Art. 355(1)) or
    the Åland Islands (AX: Art. 355(4)), where the Union's law, the GDPR included, applies as
    in the rest of the state. The table counts it wherever its state is listed, as it is
    built: in a jurisdiction's ``countries``, a period's ``countries`` and an adequacy row's
    ``destinations`` (attack review 2026-12-03s, problem 11: a German exporter's processor
    in Réunion was a third country with no adequacy, CRITICAL)."""

    id: str
    name: str
    part_of: str
    source: str
    url: str | None = None
    notes: str | None = None


def _with_territories(table: Any) -> Any:
    """The raw table with each territory's code added, once, to every list of countries
    (a jurisdiction's, a period's) and of adequacy destinations that names its state."""
    if not isinstance(table, dict) or not isinstance(table.get("territories"), list):
        return table
    within: dict[str, list[str]] = {}
    for row in table["territories"]:
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            within.setdefault(str(row.get("part_of")), []).append(row["id"])

    def grown(codes: Any) -> Any:
        if not isinstance(codes, list):
            return codes
        added = [t for code in codes for t in within.get(str(code), ()) if t not in codes]
        return [*codes, *dict.fromkeys(added)]

    built = dict(table)
    for section, field in (
        ("jurisdictions", "countries"),
        ("periods", "countries"),
        ("adequacy", "destinations"),
    ):
        rows = built.get(section)
        if isinstance(rows, list):
            built[section] = [
                {**row, field: grown(row[field])} if isinstance(row, dict) and field in row else row
                for row in rows
            ]
    return built


class TransferTable(_Row):
    modelled_from: date
    """The first audit date the tables model (the GDPR applied); earlier dates are refused."""
    modelled_from_source: str
    jurisdictions: list[Jurisdiction]
    instruments: list[Instrument] = []
    sensitive_to_flag: SensitiveList | None = None
    data_protection_test: DataProtectionTest | None = None
    same_legal_person: SameLegalPerson | None = None
    storage_abroad: StorageAbroad | None = None
    derogation_to_processor: DerogationToProcessor | None = None
    public_powers: PublicPowers | None = None
    periods: list[Period] = []
    territories: list[Territory] = []
    """Territories counted wherever their state is listed (``_with_territories``)."""
    mechanisms: list[Mechanism]
    adequacy: list[Adequacy]

    @model_validator(mode="before")
    @classmethod
    def _territories_counted(cls, data: Any) -> Any:
        return _with_territories(data)

    @model_validator(mode="after")
    def _territories_of_listed_states(self) -> TransferTable:
        states = {c for j in self.jurisdictions for c in j.countries}
        ids = [t.id for t in self.territories]
        for territory in self.territories:
            if territory.part_of not in states or territory.part_of in ids:
                raise ValueError(
                    f"territory {territory.id}: part_of '{territory.part_of}' is no state "
                    "a jurisdiction of the table lists"
                )
            if ids.count(territory.id) > 1:
                raise ValueError(f"territory {territory.id} is listed twice")
        return self

    @model_validator(mode="after")
    def _instead_names_rows(self) -> TransferTable:
        known = {m.id for m in self.mechanisms}
        rows = {m.id: m for m in self.mechanisms}
        for mechanism in self.mechanisms:
            for name in mechanism.answers_to:
                other = rows.get(name)
                if other is None or set(other.exporters) & set(mechanism.exporters):
                    raise ValueError(
                        f"{mechanism.id}: answers_to names '{name}', not a mechanism of the "
                        "table for other exporters"
                    )
        if self.storage_abroad is not None:
            for name in self.storage_abroad.mechanisms:
                row = rows.get(name)
                if row is None or row.routine:
                    raise ValueError(
                        f"storage_abroad names '{name}', not a mechanism of the table for "
                        "occasional transfers only (routine: false)"
                    )
        if self.derogation_to_processor is not None:
            refusal = self.derogation_to_processor
            for name in refusal.mechanisms:
                carrier = rows.get(name)
                if carrier is None or carrier.routine:
                    raise ValueError(
                        f"derogation_to_processor names '{name}', not a mechanism of the "
                        "table for occasional transfers only (routine: false)"
                    )
                unknown = set(refusal.grounds) - {g.id for g in carrier.grounds}
                if unknown:
                    raise ValueError(
                        f"derogation_to_processor names grounds {sorted(unknown)}, not "
                        f"grounds of '{name}'"
                    )
        if self.public_powers is not None:
            closed = self.public_powers
            for name in [*closed.mechanisms, *closed.derogations]:
                carrier = rows.get(name)
                if carrier is None or carrier.routine:
                    raise ValueError(
                        f"public_powers names '{name}', not a mechanism of the table for "
                        "occasional transfers only (routine: false)"
                    )
            offered = {g.id for name in closed.derogations for g in rows[name].grounds}
            unknown = set(closed.grounds) - offered
            if unknown:
                raise ValueError(
                    f"public_powers names grounds {sorted(unknown)}, not grounds of "
                    f"{', '.join(closed.derogations)}"
                )
        for mechanism in self.mechanisms:
            for regime, ways in mechanism.for_other_exporters.items():
                for way in ways:
                    if way.mechanism not in known:
                        raise ValueError(
                            f"{mechanism.id}: for_other_exporters {regime} names "
                            f"'{way.mechanism}', not a mechanism of the table"
                        )
        return self


class _Condition(_Weighed):
    """An Art. 9(2) or Art. 10 condition: what it needs on file besides being named. A row
    whose ``claimed`` is not stated in FACTS.md says so (``unconfirmed: [claimed]``): a pass
    printing it relies on the mark (DPO review 2026-12-03p, problem 6)."""

    id: str
    name: str
    requires_policy_document: list[str] = []
    """The regimes whose law makes the condition need an appropriate policy document (in the
    UK, DPA 2018 Sch. 1 Part 4 para 39); the same requirement for Art. 9 and Art. 10."""
    source: str
    url: str | None = None
    claimed: str | None = None
    """What the condition needs that a map cannot show (the person unable to consent, a
    professional under a duty of secrecy): a pass on it says it takes that on trust."""


class Art9Condition(_Condition):
    """A condition for special-category data (Art. 9(2); in the UK, some need a DPA 2018
    Sch. 1 condition too)."""

    requires_explicit_consent: bool = False
    """Art. 9(2)(a): explicit consent, shown by a consent record marked explicit (Art. 7(1)),
    as an Art. 49(1)(a) transfer's is."""
    not_disclosed_outside: str | None = None
    """The condition's own words where it holds only if the data is not disclosed outside the
    body without the people's consent (Art. 9(2)(d)): a flow on it to another controller with
    no valid consent record fails (DPO review 2026-12-03s, problem 1)."""


class Art10Condition(_Condition):
    """A condition for criminal offence data (Art. 10; in the UK, DPA 2018 Sch. 1)."""

    requires_consent_record: bool = False
    """The condition is the person's consent (DPA 2018 Sch. 1 para 29): the controller must be
    able to show it (UK GDPR Art. 7(1)), by a consent record the flow links."""

    regimes: list[str]


class SensitiveElsewhere(_Sourced):
    """What a regime whose law has no Art. 9 or Art. 10 calls the data the special-category
    words name (Switzerland: sensitive personal data), so the warning about an unmarked
    category cites that law, not the GDPR (DPO review 2026-12-03k, problem 5)."""

    regime: str
    special: str
    """The law's words for special-category data, cited in the warning."""
    criminal: str
    """The law's words for criminal offence data."""


class SpecialWords(_Sourced):
    """Words that say a data category is one kind of data the law treats apart (an Art. 9(1)
    kind, Art. 10's criminal offence data), and what the map writes on the category to say so:
    a category that reads so but is not marked is audited as ordinary data, and is warned
    about (auditor review 2026-12-03g, problem 1)."""

    mark: str
    """What the map writes on the category: ``art9_kind: health``, ``criminal_offence: true``."""
    words: list[str]
    """Lowercase English words, matched whole in the category's id or name (a word of two
    parts matches the two words in a row)."""
    unless: list[str] = []
    """Phrases in which one of the words means something else (``health and safety``,
    ``religious education``): a word met only inside one of them is no hit."""

    @model_validator(mode="after")
    def _words_are_words(self) -> SpecialWords:
        bad = [w for w in (*self.words, *self.unless) if not re.fullmatch(r"[a-z]+(?: [a-z]+)*", w)]
        if bad or not self.words:
            raise ValueError(f"words are lowercase letters, single-spaced; got {bad}")
        kinds = [f"art9_kind: {kind}" for kind in typing.get_args(Art9Kind)]
        if self.mark not in (*kinds, "criminal_offence: true"):
            raise ValueError(
                f"mark is one of {', '.join(kinds)} or criminal_offence: true; got {self.mark}"
            )
        return self

    @property
    def criminal(self) -> bool:
        """The words say criminal offence data (Art. 10), not an Art. 9(1) kind."""
        return self.mark.startswith("criminal_offence")


class AuthorityConsent(_Sourced):
    """Consent given to a public authority (``public_authority: true``): Recital 43 says it is
    unlikely to be freely given where the authority performs its tasks, given the clear
    imbalance between it and the people it serves, so a pass on it says what it takes on
    trust (``claimed``; auditor review 2026-12-03s, problem 6)."""

    claimed: str
    """What a pass on such consent takes on trust, after "takes on trust"."""


class StaffConsent(_Sourced):
    """Consent from the organisation's own staff: unlikely to be freely given, given the
    imbalance of power (Recital 43, Art. 7(4)), so a pass on it says what it takes on trust
    (``claimed``). Subjects are its staff where the map says ``employees: true``, or, unsaid,
    where their id or name holds one of ``words`` whole and none of ``not_with`` (DPO review
    2026-12-03o, problem 6)."""

    claimed: str
    """What a pass on such consent takes on trust, after "takes on trust"."""
    words: list[str]
    """Lowercase words, whole, that say a subject is the organisation's own staff."""
    not_with: list[str] = []
    """Words that, anywhere in the id or name, say the staff are someone else's
    (``customer``: "Staff of customer schools")."""

    @model_validator(mode="after")
    def _words_are_words(self) -> StaffConsent:
        bad = [w for w in (*self.words, *self.not_with) if not re.fullmatch(r"[a-z]+", w)]
        if bad or not self.words:
            raise ValueError(f"words are single lowercase words; got {bad}")
        return self


class Duty(Dated):
    """A duty some rule enforces only where and when it applies (regime and dates)."""

    id: str
    name: str
    regimes: list[str]
    territory: dict[str, str] = {}
    """Per regime, the territory a duty is about, in words ("the UK"), where it has one (a
    representative is designated there)."""
    public_authority_exempt: list[str] = []
    """The regimes under which a public authority established outside the territory is
    spared the duty (Art. 27(2)(b) under the GDPR; under UK GDPR a public authority is a UK
    one, DPA 2018 s.7, so none established abroad is)."""

    def applies(self, regime: str, on: date) -> bool:
        return regime in self.regimes and self.in_force(on)


class LateToo(_Row):
    """Above ``after_days``, requests made in other months are answered late too (``why``,
    said after "and")."""

    after_days: int
    why: str


class DsarDeadline(Dated):
    """How long a controller under ``regimes`` has to answer a subject access request, read
    as a procedure counted in days: within ``within_days`` every request is answered in time
    (``within_why``), above ``late_after`` none is (``late``, after "late"). The rights rule
    judges by it unless the policy sets a limit of its own (DPO review 2026-12-03o, 2).
    ``late_too``: the requests a slower procedure answers late besides those ``within_why``
    names, each said only above its own number of days (DPO review 2026-12-03u, problem 5:
    a 30-day procedure was told of requests late at 31 days)."""

    id: str
    regimes: list[str]
    name: str
    within_days: int
    within_why: str
    late_too: list[LateToo] = []
    late_after: int
    late: str

    def why_late(self, days: int) -> str:
        """Why a procedure of ``days`` days, above ``within_days`` and up to ``late_after``,
        answers some requests late: ``within_why`` and what ``late_too`` says for it."""
        more = [f", and {late.why}" for late in self.late_too if days > late.after_days]
        return self.within_why + "".join(more)

    @model_validator(mode="after")
    def _late_after_within(self) -> DsarDeadline:
        if self.late_after < self.within_days:
            raise ValueError(
                f"late_after ({self.late_after}) is below within_days ({self.within_days})"
            )
        return self


NoticeCondition = Literal["always", "transfers", "consent", "legitimate_interests", "indirect"]


class NoticeLaw(Dated):
    """Another regime's law that asks a notice item, in its own article (``source``) and, where
    it asks less than the GDPR's item, its own words (``name``: the revFADP asks the purposes,
    not the lawful basis of each). A verdict on the item under that regime cites it and
    carries its UNCONFIRMED mark (DPO review 2026-12-03o, problem 3)."""

    id: str
    regime: str
    name: str | None = None


class NoticeItem(_Readable):
    """Something Art. 13 or 14 says a privacy notice must tell people, and when; ``regimes``
    the regimes whose GDPR asks it (``source``), ``elsewhere`` the other regimes' laws that
    ask it too. A regime in neither is not asked the item."""

    id: str
    name: str
    applies_if: NoticeCondition = "always"
    source: str
    url: str | None = None
    regimes: list[str] = ["UK", "EU"]
    elsewhere: list[NoticeLaw] = []

    def asked(self, regime: str, on: date | None = None) -> tuple[str, str, str | None] | None:
        """How the law of ``regime`` asks the item (on ``on``, where given): (its name, its
        source, the UNCONFIRMED mark a verdict on it carries, or None); None where that law
        does not ask it, or is not in force on the day (the revFADP before 2023-09-01: the
        1992 FADP it replaced is not modelled)."""
        if regime in self.regimes:
            return self.name, self.read_as(regime).source, None
        for law in self.elsewhere:
            if law.regime == regime:
                if on is not None and not law.in_force(on):
                    return None
                mark = f"{law.id} ({law.source})" if law.unconfirmed else None
                return law.name or self.name, law.source, mark
        return None


class BasesTable(_Row):
    bases: list[LawfulBasis]
    not_bases: list[NotABasis]
    recognised_conditions: list[RecognisedCondition] = []
    art9_conditions: list[Art9Condition]
    art10_conditions: list[Art10Condition] = []
    special_category_words: list[SpecialWords] = []
    sensitive_elsewhere: list[SensitiveElsewhere] = []
    duties: list[Duty] = []
    notice_items: list[NoticeItem] = []
    art14_exemptions: list[Art14Exemption] = []
    dsar_deadlines: list[DsarDeadline] = []
    consent_requirements: list[ConsentRequirement] = []
    marketing_channels: list[MarketingChannelRow] = []
    contact_data: list[ContactData] = []
    child_consent_ages: list[ChildConsentAge] = []
    staff_consent: StaffConsent | None = None
    authority_consent: AuthorityConsent | None = None
    one_off_sharing: OneOffSharing | None = None
    controller_sharing: ControllerSharing | None = None

    @model_validator(mode="after")
    def _one_child_consent_age_per_country(self) -> BasesTable:
        keys = [(row.regime, row.country) for row in self.child_consent_ages]
        twice = sorted({f"{r} {c or '(default)'}" for r, c in keys if keys.count((r, c)) > 1})
        if twice:
            raise ValueError(f"child_consent_ages: more than one row for {', '.join(twice)}")
        return self

    @model_validator(mode="after")
    def _one_row_per_marketing_channel(self) -> BasesTable:
        channels = [row.channel for row in self.marketing_channels]
        twice = sorted({channel for channel in channels if channels.count(channel) > 1})
        if twice:
            raise ValueError(f"marketing_channels: more than one row for {', '.join(twice)}")
        missing = [c for c in typing.get_args(MarketingChannel) if c not in channels]
        if self.marketing_channels and missing:
            raise ValueError(f"marketing_channels: no row for {', '.join(missing)}")
        kinds = {kind.id for kind in self.contact_data}
        unknown = sorted(
            {k for row in self.marketing_channels for k in row.reached_by or () if k not in kinds}
        )
        if unknown:
            raise ValueError(f"marketing_channels: reached_by names no contact_data row: {unknown}")
        unsaid = [row.id for row in self.marketing_channels if row.read_when_unsaid]
        if self.marketing_channels and len(unsaid) != 1:
            raise ValueError(
                f"marketing_channels: one row is read_when_unsaid; got {unsaid or 'none'}"
            )
        return self

    @model_validator(mode="after")
    def _one_dsar_deadline_per_regime(self) -> BasesTable:
        regimes = [regime for row in self.dsar_deadlines for regime in row.regimes]
        twice = sorted({regime for regime in regimes if regimes.count(regime) > 1})
        if twice:
            raise ValueError(f"dsar_deadlines: more than one row for {', '.join(twice)}")
        return self


class LegalTable:
    """Both tables with the lookups checks use."""

    def __init__(self, transfers: TransferTable, bases: BasesTable) -> None:
        self.transfers = transfers
        self.bases = bases
        self.mechanisms = {m.id: m for m in transfers.mechanisms}
        self.lawful_bases = {b.id: b for b in bases.bases}
        self.not_bases = {n.id: n for n in bases.not_bases}
        self.recognised_conditions = {c.id: c for c in bases.recognised_conditions}
        self.art14_exemptions = {e.id: e for e in bases.art14_exemptions}
        self.art9_conditions = {c.id: c for c in bases.art9_conditions}
        self.art10_conditions = {c.id: c for c in bases.art10_conditions}
        self.duties = {d.id: d for d in bases.duties}
        self.consent_requirements = tuple(bases.consent_requirements)
        #: what PECR asks of each marketing channel, and the row read where a flow says none
        self.marketing_channels = {row.channel: row for row in bases.marketing_channels}
        self.unsaid_marketing_channel = next(
            (row for row in bases.marketing_channels if row.read_when_unsaid), None
        )
        #: each regime's own age (a country with no row of its own)
        self.child_consent_ages = {
            row.regime: row for row in bases.child_consent_ages if row.country is None
        }
        self._child_consent_by_country = {
            (row.regime, row.country): row
            for row in bases.child_consent_ages
            if row.country is not None
        }
        # answers to pure questions about these (immutable) tables, asked once per flow
        self._inside: dict[tuple[str, date], frozenset[str]] = {}
        self._rows_about: dict[tuple[str, str], tuple[Adequacy, ...]] = {}
        self._not_yet: dict[date, tuple[str, ...]] = {}
        self._counterparts: dict[str, dict[str, str]] = {}  # by regime: its own law's articles

    @cached_property
    def child_consent_ceiling(self) -> int:
        """The highest age of consent for children any row sets (the GDPR's 16): a child at
        or above it consents under every regime and state."""
        return max((row.age for row in self.bases.child_consent_ages), default=0)

    def child_consent_age(self, regime: str, country: str) -> ChildConsentAge | None:
        """The age below which a child cannot consent to an online service offered to them,
        for an organisation of ``country`` under ``regime``: the age its state set, else the
        regime's (None: the regime's law sets none). The organisation's country is the
        reading (DPO review 2026-12-03r, problem 2); a territory part of a state (Réunion,
        Åland: the table's ``territories``) reads its state's (attack review 2026-12-03s,
        problem 11)."""
        code = country.upper()
        state = self.state_of_territory.get(code, code)
        own = self._child_consent_by_country.get((regime, state))
        return own if own is not None else self.child_consent_ages.get(regime)

    @cached_property
    def state_of_territory(self) -> dict[str, str]:
        """The state each territory of the table is part of (RE: FR, AX: FI)."""
        return {t.id: t.part_of for t in self.transfers.territories}

    def vocabulary(self) -> dict[str, Collection[str]]:
        """The closed vocabularies of a map's fields, for validation: every basis the table
        knows (and the words it knows are no basis, which the checks explain), every mechanism
        (valid or not), every self-certification list, every Art. 9 condition, every Art. 10
        condition of any regime (the rule judges whether the organisation's regime has it),
        every Annex 1 condition of recognised legitimate interests, every notice item (the
        keys of ``notice_content``), and the purposes the table names (``marketing``): a
        purpose's ``is_a`` names one of them or a purpose the map declares."""
        return {
            "basis": [*self.lawful_bases, *self.not_bases],
            "transfer_mechanism": list(self.mechanisms),
            "notice_mechanisms": list(self.mechanisms),
            "listed_under": sorted(
                {m.requires_listing for m in self.transfers.mechanisms if m.requires_listing}
                | {a.requires_listing for a in self.transfers.adequacy if a.requires_listing}
            ),
            # with each condition's meaning: a wrong one is told the grounds, not a guess
            # from its spelling (auditor review 2026-12-03g, problem 11)
            "art9_condition": {c.id: c.name for c in self.art9_conditions.values()},
            "art10_condition": list(self.art10_conditions),
            "recognised_condition": list(self.recognised_conditions),
            "art14_exemption": {e.id: e.name for e in self.art14_exemptions.values()},
            "notice_content": [item.id for item in self.bases.notice_items],
            "law_purposes": sorted(
                {limit.purpose for basis in self.bases.bases for limit in basis.not_for_purposes}
            ),
        }

    def refuse_unmodelled(self, on: date, given_as: str = "--as-of") -> None:
        """Raise an input error for an audit date before the first day the tables model:
        a verdict on it would rest on law the tables do not hold (the UK's adequacy before
        the GDPR applied, say), so it is refused rather than reported."""
        first = self.transfers.modelled_from
        if on < first:
            raise InputError(
                [
                    Problem(
                        OPTIONS,
                        1,
                        1,
                        f"{given_as} {on.isoformat()}: audit dates before {first.isoformat()} "
                        "are not modelled (the law tables start when the GDPR applied, "
                        f"{self.transfers.modelled_from_source}); "
                        f"give {first.isoformat()} or later",
                    )
                ]
            )

    def citer(
        self,
        regime: str,
        on: date,
        *,
        own_law: bool = True,
        kept: Callable[[], Collection[str]] | None = None,
        named: bool = False,
    ) -> Callable[[str], str]:
        """A function that words a citation as an exporter of ``regime`` reads it on ``on``:
        "UK GDPR Art. 13" becomes "GDPR Art. 13" for an EU exporter, or a UK one before
        2021-01-01, when Regulation (EU) 2016/679 applied in the UK (the table's periods).

        For a regime whose own law the table gives ``counterparts`` (CH: the revFADP), in force
        on ``on``, a GDPR article it maps is cited as the regime's own ("an Art. 28 contract" is
        "a revFADP Art. 9(1)-(2) contract"), unless ``own_law`` is False (a not-judged finding
        quoting what another regime's law would say). ``kept`` gives the texts that came from
        the input (the map's names and notes): a citation inside one of them is never
        rewritten, under any regime; it is asked for only when a text holds a citation the
        regime words otherwise. ``named``: for such a regime, every GDPR article a text
        cites that its law does not replace is named as the GDPR's ("(Art. 12(3))" is
        "(GDPR Art. 12(3))"), for a rule's own texts, read beside the revFADP's articles;
        other regimes' texts are worded as without it."""
        cited_as = self.cited_as(regime, on)
        # the articles only the UK's GDPR has keep its name under any other regime: "UK GDPR
        # Art. 46(1A)" is never "GDPR Art. 46(1A)" (lawyer review s17, problem 1)
        effective = self.effective_regime(regime, on)
        foreign = tuple(
            article
            for other, articles in self.own_articles.items()
            if other != effective
            for article in articles
        )
        if self.cites_own_law(regime, on) and (own_law or named):
            own = self.jurisdiction(effective)
            table = self._counterparts.get(own.id)
            if table is None:
                table = self._counterparts[own.id] = own.counterpart_table()
            return _OwnLawCiter(cited_as, table if own_law else {}, kept, named, foreign)
        # read as a UK exporter reads it, a text changes only where it writes "UK GDPR / GDPR"
        written = "UK GDPR / GDPR" if cited_as == "UK GDPR" else "UK GDPR"
        return _WrittenCiter(cited_as, written, kept, foreign)

    def cites_own_law(self, regime: str, on: date) -> bool:
        """Whether ``regime``'s organisations are cited their own law's articles in the GDPR's
        place on ``on`` (the jurisdiction's ``counterparts``, in force)."""
        own = self.jurisdiction(self.effective_regime(regime, on))
        return bool(own.counterparts) and (own.modelled_from is None or on >= own.modelled_from)

    def counterparts_cited(self, regime: str, on: date) -> list[Counterpart]:
        """The rows of ``regime``'s own law that its organisations are cited in the GDPR's
        place on ``on`` (none for a regime citing the GDPR): what `law` and the report's
        "Legal table used" list, each with its source and UNCONFIRMED mark (auditor review
        2026-12-03s, problem 2)."""
        if not self.cites_own_law(regime, on):
            return []
        return list(self.jurisdiction(self.effective_regime(regime, on)).counterparts)

    def standard_followed(self, regime: str, on: date, article: str) -> str | None:
        """What a finding on the detail of a GDPR ``article`` ("Art. 28(3)") says to an
        organisation of ``regime`` whose own law, in force on ``on``, sets the duty but not the
        detail (the counterpart's ``standard``), or None."""
        cited = self.counterparts_cited(regime, on)
        row = next((row for row in cited if article in row.gdpr), None)
        return row.standard if row is not None else None

    @cached_property
    def own_articles(self) -> dict[str, tuple[str, ...]]:
        """By regime, the article numbers ("46(1A)") only its version of the GDPR has."""
        return {
            j.id: tuple(a.removeprefix("Art. ") for a in j.own_articles)
            for j in self.transfers.jurisdictions
            if j.own_articles
        }

    def others_articles(self, regime: str) -> tuple[str, ...]:
        """The citations of articles that exist only in another regime's GDPR, as the rules
        write them ("UK GDPR Art. 46(1A)"): a finding under ``regime`` leaves such a
        reference out, and never words one as its own GDPR's."""
        return tuple(
            f"{self.jurisdiction(other).cited_as} Art. {article}"
            for other, articles in self.own_articles.items()
            if other != regime
            for article in articles
        )

    def cited_as(self, regime: str, on: date) -> str:
        """How an exporter of ``regime`` names the GDPR on ``on`` ("UK GDPR", "GDPR")."""
        return self.jurisdiction(self.effective_regime(regime, on)).cited_as

    def cited_references(
        self,
        references: list[str],
        regime: str,
        on: date,
        own_law: bool = True,
        destination: str | None = None,
    ) -> list[str]:
        """A rule's legal references as a finding for ``regime`` on ``on`` cites them: the
        GDPR named as it applied, or by the regime's own article that sets the same duty
        (``counterparts``: a Swiss organisation's, unless ``own_law`` is False, for a rule that
        does not judge the regime and states another's law), references to another regime's
        own law left out, and so are references to an instrument not yet in force on ``on``
        (the table's ``instruments``), and, for a finding about a flow to ``destination``,
        to an instrument about other countries only (``Instrument.destinations``)."""
        cite = self.citer(regime, on, own_law=own_law)
        left_out = (
            *self.jurisdiction(regime).not_binding,
            *self.others_articles(self.effective_regime(regime, on)),
            *self.not_yet_in_force(on),
            *self.not_about(destination),
        )
        return list(dict.fromkeys(cite(ref) for ref in references if not ref.startswith(left_out)))

    def not_about(self, destination: str | None) -> tuple[str, ...]:
        """The starts of references to instruments about other destinations than
        ``destination`` only (none where the destination is unknown: every one is kept)."""
        if destination is None:
            return ()
        return tuple(
            start
            for instrument in self.transfers.instruments
            if instrument.destinations is not None and destination not in instrument.destinations
            for start in instrument.cites
        )

    def not_yet_in_force(self, on: date) -> tuple[str, ...]:
        """The starts of references to instruments that are not in force on ``on``."""
        known = self._not_yet.get(on)
        if known is None:
            known = self._not_yet[on] = tuple(
                start
                for instrument in self.transfers.instruments
                if not instrument.in_force(on)
                for start in instrument.cites
            )
        return known

    def partly_modelled(self, regime: str, on: date) -> str | None:
        """What a run says where a regime's own law is modelled only from a later day than the
        table (CH: the revFADP, from 2023-09-01): its transfer rows, dated as FACTS.md dates
        them (the Swiss-US Privacy Shield to 2020-09-08), still judge; the rows citing the
        later law (subject access, the notice's items) do not, and the 1992 law is not
        modelled. None otherwise (auditor review 2026-12-03p, problem 6)."""
        own = self.jurisdiction(regime)
        if own.modelled_from is None or on >= own.modelled_from:
            return None
        before = f": {own.before_modelled}" if own.before_modelled else ""
        return (
            f"the audit date {on.isoformat()} is before {own.modelled_from.isoformat()}, when "
            f"the {regime} law the tables model came into force ({own.modelled_from_source})"
            f"{before}; transfers are judged by the table's dated rows, and the duties that "
            "law sets (subject access, what a notice says) are not judged"
        )

    def dsar_deadline(self, regime: str, on: date | None = None) -> DsarDeadline | None:
        """The subject access deadline of ``regime``'s law (in force on ``on``, where given),
        if the table has one."""
        return next(
            (
                row
                for row in self.bases.dsar_deadlines
                if regime in row.regimes and (on is None or row.in_force(on))
            ),
            None,
        )

    def duty_applies(self, duty_id: str, regime: str, on: date) -> Duty | None:
        """The duty if it binds an organisation under ``regime`` on a date, else None."""
        duty = self.duties.get(duty_id)
        return duty if duty is not None and duty.applies(regime, on) else None

    @cached_property
    def jurisdiction_of_country(self) -> dict[str, str]:
        return {c: j.id for j in self.transfers.jurisdictions for c in j.countries}

    def jurisdiction(self, regime: str) -> Jurisdiction:
        return next(j for j in self.transfers.jurisdictions if j.id == regime)

    def assessment_named(self, regime: str, kind: str) -> str:
        """An assessment kind of the map (``transfer_risk``) in the words of ``regime``'s law
        (the jurisdiction's ``assessment_names``), else in the kind's own words."""
        named = self.jurisdiction(regime).assessment_names.get(kind)
        return named if named is not None else f"{kind.replace('_', ' ')} assessment"

    def period_of(self, regime: str, on: date) -> Period | None:
        """The period in force on ``on`` in which ``regime``'s exporters follow another table."""
        return next(
            (p for p in self.transfers.periods if p.regime == regime and p.in_force(on)), None
        )

    def effective_regime(self, regime: str, on: date) -> str:
        """Whose table an exporter of ``regime`` follows on ``on`` (UK before 2021: EU)."""
        period = self.period_of(regime, on)
        return period.follows if period is not None else regime

    def inside(self, regime: str, on: date) -> frozenset[str]:
        """The countries an exporter following ``regime`` may send to with no transfer at all:
        its jurisdiction plus the countries a period in force counts inside it. (Remembered:
        the transfer rule asks once per flow.)"""
        key = (regime, on)
        known = self._inside.get(key)
        if known is None:
            countries = set(self.jurisdiction(regime).countries)
            for period in self.transfers.periods:
                if period.follows == regime and period.in_force(on):
                    countries.update(period.countries)
            known = self._inside[key] = frozenset(countries)
        return known

    def rows_about(self, exporter: str, country: str) -> tuple[Adequacy, ...]:
        """Every adequacy row for an exporter and destination, whatever its dates: a verdict
        on that transfer relies on each of them (a date of one may decide it). Remembered."""
        key = (exporter, country)
        known = self._rows_about.get(key)
        if known is None:
            known = self._rows_about[key] = tuple(
                row
                for row in self.transfers.adequacy
                if row.exporter == exporter and country in row.destinations
            )
        return known

    def doubted_absence(self, exporter: str, country: str, on: date) -> tuple[Adequacy, ...]:
        """The adequacy rows about a destination whose UNCONFIRMED part decided that none of
        them applies on ``on`` (for an importer none covers): a verdict of no adequacy relies
        on those, not on a row left out by a confirmed date or listing."""
        return tuple(
            row
            for row in self.rows_about(exporter, country)
            if row.doubts(row.fields_excluding(on))
        )

    def adequacy_for(
        self, exporter: str, country: str, on: date, listings: list[str]
    ) -> tuple[Adequacy | None, Adequacy | None]:
        """(row that makes ``country`` adequate, row that would if the importer were listed)."""
        unlisted: Adequacy | None = None
        for row in self.rows_about(exporter, country):  # the table's rows, in its order
            if not row.in_force(on):
                continue
            if row.requires_listing is None or row.requires_listing in listings:
                return row, None
            unlisted = row
        return None, unlisted


#: How many texts of a map that cite an article (names, notes) a citer keeps unchanged in
#: messages it rewords (``_KeptTexts``): beyond it, messages are not reworded. With it, the
#: work a message costs is at most this many passes over it (``_KeptTexts.covering``).
KEPT_TEXTS_LIMIT = 64

#: How many reworded messages a citer remembers: a rule's message repeats on every flow it
#: judges alike (a house policy's fixed ``message:``), and is then worded once.
_REMEMBERED = 1024


def _gdpr_named(text: str, cited_as: str) -> str:
    """``text`` with "UK GDPR" worded as the regime names the GDPR, nothing else changed."""
    return WRITTEN_CITATION.sub(cited_as, text) if "UK GDPR" in text else text


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


class _KeptTexts:
    """The input's texts (the map's names and notes) that hold a whole citation, which a citer
    never rewrites where a message quotes them: asked once, on the first message that holds a
    citation the citer would reword (most maps have none).

    A citation of a message is kept only where it lies inside one occurrence of such a text,
    and that occurrence is bounded as a citation is: not inside a longer word or number. A
    map text "Art. 2" or "Art." does not keep the rule's own "Art. 28" (attack review
    2026-12-03s, problem 7). The work is linear in the message: each kept text that holds
    one of the message's citations is looked for once, and its occurrences are walked beside
    the citations in one pass, never each against each (a 10 KB message with 64 kept texts
    took 1.3 s: problem 3); ``work`` counts the steps."""

    def __init__(self, kept: Callable[[], Collection[str]] | None) -> None:
        self._kept = kept
        self._texts: tuple[str, ...] | None = None
        self._holding: dict[str, tuple[str, ...]] = {}
        self.work = 0
        """Occurrences looked at and citations compared with them, over every message."""

    def texts(self) -> tuple[str, ...]:
        """The input's texts that hold a whole citation, each once."""
        if self._texts is None:
            found = self._kept() if self._kept is not None else ()
            # a text that is one citation and nothing else ("Art. 28") is not kept: it cannot
            # be told from the rule's own identical citation, which it would keep unreworded
            # (attack review 2026-12-03t, problem 2); such a text reworded loses no name
            texts = dict.fromkeys(
                t
                for t in found
                if "Art." in t and CITATION.search(t) and CITATION.fullmatch(t.strip()) is None
            )
            self._texts = tuple(texts)
            holding: dict[str, list[str]] = {}
            for text in self._texts:
                for citation in dict.fromkeys(m.group() for m in CITATION.finditer(text)):
                    holding.setdefault(citation, []).append(text)
            self._holding = {citation: tuple(t) for citation, t in holding.items()}
        return self._texts

    def within_limit(self) -> bool:
        """Whether messages are reworded at all: not where the map's own words cite articles
        in more than ``KEPT_TEXTS_LIMIT`` texts (5,000 processors named "Art. 28 ..." took a
        check from 1 s to 11 s). Such a map's messages cite the GDPR article the rule
        follows; the rules' references still cite the regime's own."""
        return len(self.texts()) <= KEPT_TEXTS_LIMIT

    def covering(self, text: str, matches: list[re.Match[str]]) -> list[bool]:
        """For each citation of ``text`` (``matches``, in the text's order), whether it lies
        inside an occurrence of a kept text bounded as a citation is."""
        kept = [False] * len(matches)
        if not self.texts():
            return kept
        wanted: dict[str, list[int]] = {}  # a kept text: the citations it may hold
        for i, match in enumerate(matches):
            for holder in self._holding.get(match.group(), ()):
                wanted.setdefault(holder, []).append(i)
        for holder, positions in wanted.items():
            size = len(holder)
            first, last = matches[positions[0]], matches[positions[-1]]
            starts = self._occurrences(text, holder, first.end() - size, last.start() + size)
            # both in the text's order: the latest occurrence starting at or before a
            # citation is the one reaching furthest past it (all have one length)
            j = 0
            for i in positions:
                start, end = matches[i].span()
                while j < len(starts) and starts[j] <= start:
                    j += 1
                if j and starts[j - 1] + size >= end:
                    kept[i] = True
            self.work += len(starts) + len(positions)
        return kept

    @staticmethod
    def _occurrences(text: str, holder: str, low: int, high: int) -> list[int]:
        """Where ``holder`` occurs in ``text`` between ``low`` and ``high``, bounded as a
        citation is: a word or number it starts or ends with is not part of a longer one."""
        starts = []
        size = len(holder)
        check_before, check_after = _word(holder[0]), _word(holder[-1])
        start = text.find(holder, max(low, 0), high)
        while start >= 0:
            end = start + size
            if not (check_before and start and _word(text[start - 1])) and not (
                check_after and end < len(text) and _word(text[end])
            ):
                starts.append(start)
            start = text.find(holder, start + 1, high)
        return starts


def kept_texts_over_limit(cite: Callable[[str], str]) -> int | None:
    """How many of the map's texts cite an article, where a citer asked for them found more
    than ``KEPT_TEXTS_LIMIT`` and so left its messages as the rules wrote them; None
    otherwise. A run says so once (attack review 2026-12-03t, problem 1: nothing said why a
    Swiss finding read "an Art. 28 contract")."""
    kept = getattr(cite, "kept", None)
    if not isinstance(kept, _KeptTexts) or kept._texts is None:
        return None  # never asked: no message held a citation it would reword
    return None if kept.within_limit() else len(kept._texts)


class _WrittenCiter:
    """A citer that only names the GDPR as the regime cites it ("UK GDPR Art. 13" is "GDPR
    Art. 13" for an EU organisation), never inside the map's own words: a party named "UK
    GDPR Art. 27 Representative Ltd" keeps its name (attack review 2026-12-03s, problem 12),
    by the same kept texts and bounds as a Swiss citer's."""

    def __init__(
        self,
        cited_as: str,
        written: str,
        kept: Callable[[], Collection[str]] | None,
        foreign: tuple[str, ...] = (),
    ) -> None:
        self.cited_as = cited_as
        self.written = written
        self.kept = _KeptTexts(kept) if kept is not None else None
        self.foreign = foreign

    def __call__(self, text: str) -> str:
        # most texts cite nothing: a substring test (in C) spares them the regex
        if self.written not in text:
            return text
        kept = self.kept
        foreign = self.foreign
        if (kept is None or not kept.texts() or not kept.within_limit()) and not foreign:
            return WRITTEN_CITATION.sub(self.cited_as, text)
        written = list(WRITTEN_CITATION.finditer(text))
        cited = [CITATION.match(text, w.start()) for w in written]
        whole = [c for c in cited if c is not None]
        inside: set[int] = set()
        if kept is not None and kept.texts() and kept.within_limit():
            covered = kept.covering(text, whole)
            inside = {c.start() for c, k in zip(whole, covered, strict=True) if k}
        if foreign:  # another regime's own article keeps that regime's name
            inside.update(c.start() for c in whole if _one_of(c["article"], foreign))
        return WRITTEN_CITATION.sub(
            lambda w: w.group() if w.start() in inside else self.cited_as, text
        )


def _one_of(article: str, articles: tuple[str, ...]) -> bool:
    """Whether a cited article ("46(1A)(a)(ii)") is one of ``articles`` ("46(1A)") or a
    point within one."""
    return any(article == a or article.startswith(f"{a}(") for a in articles)


def _article_for(before: str, cited: str) -> str:
    """The words before a bare citation, their article made to suit the citation now in its
    place: "an Art. 28 contract" is "a revFADP Art. 9(1)-(2) contract", "an Art. 9
    condition" is "a GDPR Art. 9 condition"."""
    if before.endswith(("an ", "An ")) and (len(before) == 3 or not before[-4].isalnum()):
        word = "an " if cited[0].lower() in "aeiou" else "a "
        return before[:-3] + (word.capitalize() if before[-3] == "A" else word)
    return before


class _OwnLawCiter:
    """A citer for a regime with its own law's counterparts of GDPR articles (``citer``).
    ``named``: every GDPR article a text cites and the regime's law does not replace is named
    as the GDPR's, for texts read apart from any citation of the regime's own (a rule's
    rationale and fix beside a finding citing the revFADP: auditor review 2026-12-03s,
    problem 1)."""

    def __init__(
        self,
        cited_as: str,
        table: dict[str, str],
        kept: Callable[[], Collection[str]] | None,
        named: bool = False,
        foreign: tuple[str, ...] = (),
    ) -> None:
        self.cited_as = cited_as
        self.table = table
        self.kept = _KeptTexts(kept)
        self.named = named
        self.foreign = foreign  # articles only another regime's GDPR has: never renamed
        self._context = True  # whose article a bare citation is, as the text was written
        self._done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if "Art." not in text:
            return text
        done = self._done.get(text)
        if done is not None:
            return done
        matches = list(CITATION.finditer(text))
        if not self.named and not any(m["gdpr"] or m["article"] in self.table for m in matches):
            return text  # nothing this regime cites otherwise
        if not matches:
            return text
        if len(self._done) >= _REMEMBERED:
            self._done.clear()
        done = self._done[text] = self._reworded(text, matches)
        return done

    def _reworded(self, text: str, matches: list[re.Match[str]]) -> str:
        self._context = True  # a text starts citing the GDPR (bare: "(Art. 5(1)(e))")
        if not self.kept.within_limit():
            return _gdpr_named(text, self.cited_as)
        inside = self.kept.covering(text, matches)
        cited = [
            (match, None if kept else self._whose(text, match))
            for match, kept in zip(matches, inside, strict=True)
        ]
        # where the text cites an article of the regime's own law, every GDPR article it
        # still cites is named as the GDPR's: "(Art. 7)" beside "revFADP Art. 17(1)(a)"
        # would read as the revFADP's
        named_all = self.named or any(gdpr and m["article"] in self.table for m, gdpr in cited)
        parts: list[str] = []
        pos = 0
        last: str | None = None  # the regime's article just written, to say it once in a list
        for match, gdpr in cited:
            if gdpr is None or (self.foreign and _one_of(match["article"], self.foreign)):
                continue  # inside a name or note of the map (input), or another's own law
            if not gdpr:
                last = None
                continue
            start, end = match.span()
            named = match["gdpr"] is not None
            article = match["article"]
            counterpart = self.table.get(article)
            between = text[pos:start]
            if counterpart is None:
                if named or named_all:  # the GDPR named as the regime cites it
                    written = f"{self.cited_as} Art. {article}"
                    parts += [between if named else _article_for(between, written), written]
                    pos = end
                last = None
                continue
            if counterpart == last and between in _SEPARATORS:
                pos = end  # "(Art. 28(3)(a), Art. 29)": one article of the regime's law, once
                continue
            if not named:
                between = _article_for(between, counterpart)
            parts += [between, counterpart]
            pos = end
            last = counterpart
        parts.append(text[pos:])
        return "".join(parts)

    def _whose(self, text: str, match: re.Match[str]) -> bool:
        """Whether a citation in ``text`` is of the GDPR (True) or of another instrument
        (False: "revFADP Art. 19", "FADO Art. 18", or bare after one, "revFADP Art. 17(1)(a),
        Art. 6(6)"). Called in the text's order: a bare citation is of the instrument the one
        before it was."""
        start = match.start()
        if match["gdpr"] is not None:
            self._context = True
        else:
            before = _WORD_BEFORE.search(text, max(0, start - 80), start)
            word = before["word"] if before is not None else ""
            if word[-1:] not in ",;:." and any(c.isupper() or c.isdigit() for c in word):
                self._context = False  # "revFADP Art. 19", "FADO Art. 18": not the GDPR's
        return self._context


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
    )
