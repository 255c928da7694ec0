"""The data-map format: pydantic v2 models, every field named, no unknown field accepted.

A misspelt key such as ``agrement:`` must never pass silently (it would hide a missing
agreement), so every model forbids extra fields. Free text fields that the checks judge
(``basis``, ``transfer_mechanism``) are strings here: whether a value is lawful is a finding
of a check against the legal table, not a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from flowaudit.model.invisible import BLANK_PRINTABLE

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
#: A cookie is recorded under its real name, and analytics and advertising cookies start with
#: '_' (``_ga``, ``_fbp``, ``__Secure-3PSID``). A cookie's id is never a node, a reference, a
#: file name or a command-line argument, only text in a message (which the sanitiser escapes
#: for every output), so it may start with '_' too; '.' and '-' stay refused at the start.
_COOKIE_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"
_CATEGORY_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"
_KIND_PATTERN = r"^[a-z][a-z0-9_]*$"
#: A policy rule's id: upper-case words joined by '-', at least two (the policy schema's).
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"


#: Names people write for the United Kingdom or a part of it that ISO 3166-1 does not list
#: (lowercase): each is GB, as 'UK' is.
_GB_NAMES = frozenset(
    {"uk", "great britain", "britain", "england", "scotland", "wales", "northern ireland"}
)


def _country_meant(text: str) -> str | None:
    """The alpha-2 code of the country ``text`` names, where it is a country's name, its
    alpha-3 code or its alpha-2 code in lower case (``India``, ``USA``, ``de``): what a
    newcomer writes instead of the code (newcomer review s18). None where it names none."""
    if text.strip().lower() in _GB_NAMES:
        return "GB"
    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return str(found.alpha_2)


def _check_country(code: str) -> str:
    if code == "UK":
        raise ValueError("'UK' is not an ISO 3166-1 alpha-2 code; the United Kingdom is 'GB'")
    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        meant = _country_meant(code) if len(code) <= 100 else None
        if meant is not None:
            raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code: write '{meant}'")
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. GB, IE, US)")
    return code


def is_country(code: str) -> bool:
    """Whether ``code`` is a country code a map accepts (an importer checks before writing)."""
    try:
        _check_country(code)
    except ValueError:
        return False
    return True


Identifier = Annotated[str, Field(pattern=_ID_PATTERN, max_length=200)]
CategoryId = Annotated[str, Field(pattern=_CATEGORY_PATTERN, max_length=200)]
Country = Annotated[str, AfterValidator(_check_country)]
PartyKindName = Annotated[str, Field(pattern=_KIND_PATTERN, max_length=100)]


#: Characters that show nothing but are not whitespace to ``str.strip()`` (format characters,
#: category Cf, are found by category): the sanitiser escapes the same ones.
_INVISIBLE = BLANK_PRINTABLE


def visible(text: str) -> str:
    """``text`` without whitespace and the characters that render as nothing (zero-width and
    other format characters, fillers, joiners): what a reader of the owner or reason sees."""
    return "".join(
        c
        for c in text
        if not c.isspace() and c not in _INVISIBLE and unicodedata.category(c) not in ("Cf", "Cc")
    )


#: A printable ASCII character other than the space: a text holding one shows something.
_SHOWN_ASCII = re.compile(r"[!-~]")


def shows_anything(text: str) -> bool:
    """Whether ``visible(text)`` is not empty, answered at the first printable ASCII
    character (in C) for the texts that have one, nearly all: flows are checked by the
    hundred thousand."""
    return _SHOWN_ASCII.search(text) is not None or bool(visible(text))


def _check_not_blank(text: str) -> str:
    if not shows_anything(text):
        raise ValueError(
            "must not be blank (invisible characters do not count): an accepted risk or a "
            "changed rule needs a named owner and a real reason"
        )
    return text


#: Text that must say something: an accepted risk with a blank owner is owned by nobody.
NonBlank = Annotated[
    str, AfterValidator(_check_not_blank), Field(min_length=1, json_schema_extra={"pattern": r"\S"})
]


#: Words and phrases that answer a record's question with "nothing" (``opt_out: none``,
#: ``no``, ``n/a``, ``not applicable``): compared with what a reader sees, folded
#: (``_skeleton``: compatibility forms, case, accents, look-alike letters) to its letters and
#: digits alone, so ``N/A.``, ``n.a.``, ``(none)``, a fullwidth ``NONE`` and ``-- none --``
#: are the words they read as (attack review 2026-12-02i, C).
PLACEHOLDERS = frozenset(
    {
        "none",
        "noneyet",
        "no",
        "na",
        "nil",
        "null",
        "tbc",
        "tbd",
        "tba",
        "todo",
        "unknown",
        "nothing",
        "notapplicable",
        "notknown",
        "nk",
        "notrecorded",
        "notyet",
        "pending",
        "false",
        "0",
        "nooptout",
        "tobeconfirmed",
        "tobedecided",
        "tobeadded",
        "tobeagreed",
        "placeholder",
        "empty",
        "blank",
        "unset",
        "undefined",
        "missing",
        "xxx",
    }
)

#: Letters of other scripts that read as Latin ones (a Cyrillic o, a Greek omicron): folded into
#: the skeleton a placeholder is compared by. Cyrillic and Greek text is read as it is
#: otherwise; a word that mixes them with Latin letters is refused (``_mixed_script``).
_LOOK_ALIKE = str.maketrans(
    {
        **dict.fromkeys("\u0430\u03b1", "a"),
        **dict.fromkeys("\u0432\u03b2", "b"),
        **dict.fromkeys("\u0441\u03f2", "c"),
        **dict.fromkeys("\u0501", "d"),
        **dict.fromkeys("\u0435\u03b5\u0454", "e"),
        **dict.fromkeys("\u04bb\u043d", "h"),  # a capital EN reads as H
        **dict.fromkeys("\u0456\u03b9\u0457", "i"),
        **dict.fromkeys("\u0458", "j"),
        **dict.fromkeys("\u043a\u03ba", "k"),
        **dict.fromkeys("\u04cf", "l"),
        **dict.fromkeys("\u043c", "m"),
        **dict.fromkeys("\u043f\u03b7", "n"),
        **dict.fromkeys("\u043e\u03bf\u03c3", "o"),
        **dict.fromkeys("\u0440\u03c1", "p"),
        **dict.fromkeys("\u051b", "q"),
        **dict.fromkeys("\u0455", "s"),
        **dict.fromkeys("\u0442\u03c4", "t"),
        **dict.fromkeys("\u03c5", "u"),
        **dict.fromkeys("\u03bd\u0475", "v"),
        **dict.fromkeys("\u051d\u03c9", "w"),
        **dict.fromkeys("\u0445\u03c7", "x"),
        **dict.fromkeys("\u0443\u03b3", "y"),
    }
)

#: Look-alikes read only where a text is read for its words (``read_as_latin``), not in the
#: placeholder skeleton: Latin letters of other shapes (a dotless i, a Latin iota, small
#: capitals) and letters of other scripts that draw as Latin ones (Armenian, Cherokee,
#: Lisu), from attack review 2026-12-03p, problem 2, and their nearest kin.
_LOOK_ALIKE_WORDS = {
    **{ord(c): "i" for c in "\u0131\u0269\u026a\u1d09"},
    **{ord(c): "u" for c in "\u1d1c\u057d\u028b"},
    **{ord(c): "o" for c in "\u1d0f\u0585\u03bf"},
    **{ord(c): "a" for c in "\u1d00\u0251"},
    **{ord(c): "e" for c in "\u1d07"},
    **{ord(c): "n" for c in "\u0578\u0274"},
    **{ord(c): "h" for c in "\u0570\u029c"},
    **{ord(c): "s" for c in "\ua731"},
    **{ord(c): "r" for c in "\u0280"},
    **{ord(c): "l" for c in "\u029f\u0196\u0142\u026b"},
    **{ord(c): "P" for c in "\u13e2\ua4d1"},
    **{ord(c): "C" for c in "\u13df\ua4da"},
    **{ord(c): "S" for c in "\u13da\ua4e2"},
    **{ord(c): "T" for c in "\u13a2\ua4d4"},
    **{ord(c): "H" for c in "\u13bb\ua4e7"},
    **{ord(c): "M" for c in "\u13b7\ua4df"},
    **{ord(c): "E" for c in "\u13ac\ua4f0"},
    **{ord(c): "A" for c in "\u13aa\ua4ee"},
    **{ord(c): "D" for c in "\u13a0\ua4d3"},
    **{ord(c): "K" for c in "\u13e6\ua4d7"},
    **{ord(c): "B" for c in "\u13f4\ua4d0"},
    **{ord(c): "R" for c in "\u13a1\ua4e3"},
    **{ord(c): "W" for c in "\u13b3\ua4ea"},
    **{ord(c): "L" for c in "\u13de\ua4e1"},
    **{ord(c): "N" for c in "\ua4e0"},
    **{ord(c): "O" for c in "\ua4f3"},
    **{ord(c): "U" for c in "\ua4f4"},
}

#: The same, capitals too (a Cyrillic capital ER reads as P), for reading with case kept.
_LOOK_ALIKE_CASED = {
    **_LOOK_ALIKE,
    **_LOOK_ALIKE_WORDS,
    **{
        ord(chr(code).upper()): str(latin).upper()
        for code, latin in _LOOK_ALIKE.items()
        if len(chr(code).upper()) == 1 and chr(code).upper() != chr(code)
    },
}

_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def read_as_latin(text: str) -> str:
    """A text as its reader sees it, for reading words in it (``Pupils`` however it is
    spelt): compatibility forms folded (fullwidth, mathematical letters), accents and
    invisible format characters (a soft hyphen, a zero-width space) dropped, look-alike
    Cyrillic and Greek letters read as the Latin ones; case kept. ASCII text is returned as
    it is."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    # every mark that draws nothing by itself (category Mn, whatever its combining class:
    # the grapheme joiner and the variation selectors are class 0), every format character
    # and every printable blank (the Hangul fillers): "Pu\u034fpils" reads "Pupils" (attack
    # review 2026-12-03p, problem 2)
    kept = "".join(
        c
        for c in decomposed
        if c not in BLANK_PRINTABLE and unicodedata.category(c) not in _UNSEEN_CATEGORIES
    )
    return kept.translate(_LOOK_ALIKE_CASED)


#: Unicode categories of characters that draw nothing of their own in a word: nonspacing and
#: enclosing marks, format characters.
_UNSEEN_CATEGORIES = frozenset(("Mn", "Me", "Cf"))


def _skeleton(text: str) -> str:
    """What a text reads as, for comparing with ``PLACEHOLDERS``: compatibility forms folded
    (fullwidth, mathematical letters), accents and other combining marks dropped, case
    folded, look-alike letters of other scripts read as the Latin ones, and only letters and
    digits kept."""
    if text.isascii():  # nearly every record: nothing to fold but case (in C)
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c for c in bare.translate(_LOOK_ALIKE) if c.isalnum())


#: What an ASCII text's skeleton leaves out: all but letters and digits.
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


#: A word: letters only (no digit, no underscore).
_WORD = re.compile(r"[^\W\d_]+")


def _mixed_script(text: str) -> str | None:
    """The first word of ``text`` that spells with Latin letters and Cyrillic or Greek ones
    together (``none`` spelt with a Cyrillic o): a spoofing sign, never a spelling."""
    for found in _WORD.finditer(unicodedata.normalize("NFKC", text)):
        word = found.group()
        scripts = {
            script
            for c in word
            for script in _SCRIPTS
            if unicodedata.name(c, "").startswith(script + " ")
        }
        if "LATIN" in scripts and len(scripts) > 1:
            return word
    return None


def _check_recorded(text: str) -> str:
    return _check_said(
        text,
        "a record that clears a finding must say what it records",
        "leave the field out when nothing is recorded",
    )


def _check_said(text: str, must: str, instead: str) -> str:
    """``text`` if it says something: not blank (invisible characters do not count), no
    placeholder, one script per word; else a ValueError in words of ``must`` and
    ``instead`` (what to write when there is nothing to say)."""
    shown = visible(text)
    if not shown:
        raise ValueError(f"must not be blank (invisible characters do not count): {must}")
    skeleton = _skeleton(shown)
    if skeleton in PLACEHOLDERS or not (
        skeleton or any(c.isalnum() for c in unicodedata.normalize("NFKC", shown))
    ):
        raise ValueError(f"'{shown}' says nothing is recorded: {must}; {instead}")
    mixed = None if text.isascii() else _mixed_script(text)
    if mixed is not None:
        raise ValueError(
            f"'{mixed}' mixes Latin letters with Cyrillic or Greek ones in one word, which "
            "makes one word look like another: write each word in one script"
        )
    return text


#: A record whose presence clears findings (how people opt out, a permission, a processor's
#: record): text that shows nothing would clear them by saying nothing (attack review
#: 2026-12-02g, 3), and so would a placeholder that says there is none (``opt_out: none``, a
#: pass on a HIGH: DPO review 2026-12-02h, problem 9). Checked as ``NonBlank`` is, with words
#: for a record.
Recorded = Annotated[
    str, AfterValidator(_check_recorded), Field(min_length=1, json_schema_extra={"pattern": r"\S"})
]


def _whole_number(value: Any) -> Any:
    """``dsar_days: true`` is not 1, nor ``min_age: "13"`` or ``13.0`` 13: a number is taken
    only as written, a whole number in the map's own syntax (pydantic would coerce a yes/no
    flag, a text of digits or a float with no fraction into one; attack review 2026-12-03r,
    problem 3: ``min_age: true`` was read as an age of 1)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        if not re.fullmatch(r"\s*[-+]?\d+\s*", value):
            # no number at all: the loader's words for it ("'soon' is not a whole number
            # of days (e.g. 28)"), which name the unit of the field
            raise PydanticCustomError("int_parsing", "not a whole number")
        raise ValueError(f"expected a whole number, not the text {value!r}: write it unquoted")
    shown = str(value).lower() if isinstance(value, bool) else repr(value)
    raise ValueError(f"expected a whole number, not {shown}")


def _flag(value: Any) -> Any:
    """``encrypted_at_rest: 1`` is not true: a yes/no flag is taken only as written."""
    if value is not None and not isinstance(value, bool):
        raise ValueError(f"expected true or false, not {value!r}")
    return value


#: Numbers and flags as written. Checked on these fields alone: a check on every field of
#: every element (a validator for "*") cost a quarter of loading a large map. (The bound sits
#: inside the type: on the field, pydantic would not carry it into the JSON Schema.)
NonNegative = Annotated[int, Field(ge=0), BeforeValidator(_whole_number)]
Positive = Annotated[int, Field(ge=1), BeforeValidator(_whole_number)]
#: A whole number as written (a policy's periods and limits): its bounds on the field, or,
#: for an optional one, in the type before this validator (``Annotated[int, Field(ge=0),
#: WHOLE_NUMBER]``), where the JSON Schema carries them.
WHOLE_NUMBER = BeforeValidator(_whole_number)
WholeNumber = Annotated[int, WHOLE_NUMBER]
#: An age in years: a whole number from 0 to 130.
Age = Annotated[int, Field(ge=0, le=130), BeforeValidator(_whole_number)]
Flag = Annotated[bool, BeforeValidator(_flag)]

#: The special categories of Art. 9(1), as a map names them on a category (``art9_kind``).
Art9Kind = Literal[
    "racial_or_ethnic_origin",
    "political_opinions",
    "religious_or_philosophical_beliefs",
    "trade_union_membership",
    "genetic",
    "biometric",
    "health",
    "sex_life",
    "sexual_orientation",
]


#: An absent list is a new empty list (``default_factory``): a ``default=[]`` is deep-copied for
#: every element that leaves it out (133,000 copies at 100k flows). The schema still says so.
_EMPTY: JsonDict = {"default": []}


def _check_assumed(text: str) -> str:
    return _check_said(
        text,
        "an assumed fact must say why it is assumed",
        "delete the line only when the fact is verified",
    )


#: Why a fact is only assumed (``assumed:``): a blank reason read as no mark at all, so a pass
#: on an assumed country was reported as a certain one and the record lost its [ASSUMED]
#: mark (attack review 2026-12-03x, problem 2). Checked as ``Recorded`` is.
AssumedWhy = Annotated[
    str, AfterValidator(_check_assumed), Field(min_length=1, json_schema_extra={"pattern": r"\S"})
]


def _assumed_field() -> Any:
    """The ``assumed`` field parties and systems share: facts recorded but not known."""
    return Field(
        default_factory=dict,
        json_schema_extra=_EMPTY,
        description=(
            "Facts recorded here that are assumed, not known, each with why (e.g. country: the "
            "hosting region is not stated): a finding that rests on one says it is assumed and "
            "is to be verified."
        ),
        examples=[{"country": "the hosting region is not stated in the notice"}],
    )


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


#: The facts a map may mark as assumed (``assumed:``): those a check's verdict turns on. A
#: system may mark its country, its retention period and its encryption at rest: facts of a
#: provider's store that a DPO often has only on the provider's word (DPO review s17,
#: problem 3); a pass that rests on one says so, as on an assumed country.
SystemAssumedFact = Literal["country", "retention_days", "encrypted_at_rest"]
#: A party may also mark its listing (``listed_under``) as assumed: a placeholder importer
#: recorded as listed on the notice's word (a transfer finding says "listing assumed").
PartyAssumedFact = Literal["country", "listed_under"]

#: How a marketing flow reaches people, as PECR tells them apart (SI 2003/2426 regs 19-22):
#: electronic mail (email, a text or picture message, a voicemail left to be collected), an
#: automated call, a fax, a live call by a person; post and in person are outside PECR. The
#: legal table's ``marketing_channels`` says what each needs (DPO review 2026-12-03u, 1).
MarketingChannel = Literal[
    "email", "sms", "voicemail", "automated_call", "fax", "live_call", "post", "in_person"
]


class PartyKind(StrEnum):
    """Kinds of organisation with a known meaning (reports group and draw them); any other
    kind a map names is allowed too, and policies match on the kind as written."""

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


class Contact(_Strict):
    """Who to contact and how: a controller's, DPO's or representative's details (Art. 30)."""

    name: str = Field(description="A person or office.", examples=["Data Protection Officer"])
    email: str | None = Field(
        default=None, description="Email address.", examples=["privacy@example.co.uk"]
    )
    phone: str | None = Field(default=None, description="Phone number.", examples=["0113 496 0000"])
    address: str | None = Field(
        default=None, description="Postal address.", examples=["1 High Street, Leeds LS1 1AA"]
    )
    country: Country | None = Field(
        default=None,
        description=(
            "Where the contact is established (ISO 3166-1 alpha-2): a representative must be "
            "established in the territory whose law it represents the organisation under "
            "(Art. 27(3))."
        ),
        examples=["GB"],
    )


class BreachProcedure(_Strict):
    """How the organisation handles personal data breaches (Art. 33)."""

    log: Recorded | None = Field(
        default=None,
        description="Where the Art. 33(5) breach log is kept (a link or place).",
        examples=["https://intranet.example/breach-log"],
    )
    notify_within_hours: NonNegative | None = Field(
        default=None,
        description="Hours the procedure allows before telling the regulator.",
        examples=[48],
    )
    notifies_controllers: Flag | None = Field(
        default=None,
        description="As a processor, tells the controller without undue delay (Art. 33(2)).",
        examples=[True],
    )
    evidence: str | None = Field(
        default=None, description="Where the procedure is written down.", examples=["ISMS-07"]
    )


class CookiePurpose(StrEnum):
    """Why a cookie or similar technology is set (PECR reg. 6 and Sch. A1)."""

    STRICTLY_NECESSARY = "strictly_necessary"
    ANALYTICS = "analytics"
    FUNCTIONALITY = "functionality"
    ADVERTISING = "advertising"
    OTHER = "other"


class Cookie(_Strict):
    """A cookie (or pixel, local storage...) a website or app sets on a visitor's device."""

    id: Annotated[str, Field(pattern=_COOKIE_PATTERN, max_length=200)] = Field(
        description="The cookie's name as the browser sees it; it may start with '_'.",
        examples=["_ga"],
    )
    purpose: CookiePurpose = Field(description="Why it is set.", examples=["analytics"])
    consent: Flag | None = Field(
        default=None, description="Set only after opt-in consent.", examples=[True]
    )
    clear_information: Flag | None = Field(
        default=None,
        description="Visitors get clear and comprehensive information about it.",
        examples=[True],
    )
    opt_out: Flag | None = Field(
        default=None, description="Visitors can easily object.", examples=[True]
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Google Analytics"]
    )


class DatedLack(_Strict):
    """Something a notice lacks from a date on: a safeguard it names that a court struck
    down, a duty that began after it was written."""

    since: date = Field(description="The first day it is lacking.", examples=["2020-07-16"])
    lacks: str = Field(
        description="What the notice lacks from that day.",
        examples=["a valid safeguard for the US transfers"],
    )


class NoticeStatement(_Strict):
    """What a notice says on an item it covers only in part: its words and what it lacks, so
    a finding says what is missing instead of that nothing is said."""

    says: str = Field(
        description="What the notice says on the item (short quotes, with its lines).",
        examples=["transfers to the US under Privacy Shield (line 126)"],
    )
    lacks: str = Field(
        description="What the item requires that the notice does not give.",
        examples=["how to get a copy of the safeguards"],
    )
    lacks_since: list[DatedLack] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "What the notice lacks only from a date (the law or a decision changed under "
            "it): said on audit dates from then on, after `lacks`."
        ),
        examples=[[{"since": "2020-07-16", "lacks": "a valid safeguard for the US transfers"}]],
    )


class Organisation(_Strict):
    """The exporter whose map this is (the controller the notice speaks for)."""

    id: Identifier = Field(description="Short id; flows name it in from/to.", examples=["shopwave"])
    name: str = Field(description="Legal name.", examples=["Shopwave Ltd"])
    country: Country = Field(
        description="ISO 3166-1 alpha-2 code of where it is established (the UK is GB).",
        examples=["GB"],
    )
    regime: Regime = Field(
        description="The data-protection law it answers to: UK, EU or CH.", examples=["UK"]
    )
    description: str | None = Field(
        default=None, description="What it does, for readers.", examples=["Online homeware shop"]
    )
    certifications: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "Security certifications held (a transfer list such as uk_extension is no "
            "certification: record it as listed_under)."
        ),
        examples=[["ISO 27001"]],
    )
    listed_under: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "Self-certification lists the organisation is on (e.g. uk_extension, eu_us_dpf): "
            "a customer that sends it data from the UK, the EEA or Switzerland transfers it "
            "to a listed importer."
        ),
        examples=[["uk_extension"]],
    )
    notice: str | None = Field(
        default=None,
        description="Id of the privacy-notice clause this element comes from.",
        examples=["PN-WHO"],
    )
    notice_clauses: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "The ids of the privacy notice's clauses: every `notice:` in the map must name one "
            "(a shipped notice policy it selects brings its own clause table)."
        ),
        examples=[["PN-WHO", "PN-PURPOSES", "PN-SHARING"]],
    )
    dsar_days: Positive | None = Field(
        default=None,
        description="Days taken to answer a subject access request (the law allows a month).",
        examples=[30],
    )
    complaints_procedure: Flag | None = Field(
        default=None,
        description="Whether people can complain to it first (required from 2026-06-19, DUAA).",
        examples=[True],
    )
    processor_record: Recorded | None = Field(
        default=None,
        description="Where the Art. 30(2) record of processing done for controllers is kept.",
        examples=["dpo/art30-2-record.xlsx"],
    )
    policies: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Shipped policy sets applied besides the law, e.g. concero-notice.",
        examples=[["concero-notice"]],
    )
    contact: Contact | None = Field(
        default=None,
        description="The controller's contact details for the record of processing.",
        examples=[{"name": "Shopwave Ltd", "email": "hello@shopwave.example"}],
    )
    dpo: Contact | None = Field(
        default=None,
        description="The data protection officer, where there is one (Art. 37).",
        examples=[{"name": "Sam Patel", "email": "dpo@shopwave.example"}],
    )
    representative: Contact | None = Field(
        default=None,
        description="The UK or EU representative of a controller established outside (Art. 27).",
        examples=[{"name": "EU Rep Ltd", "address": "Dublin, Ireland"}],
    )
    notice_url: str | None = Field(
        default=None,
        description="Where the privacy notice is published.",
        examples=["https://shopwave.example/privacy"],
    )
    record_version: str | None = Field(
        default=None, description="Version of the record of processing.", examples=["2.1"]
    )
    record_owner: str | None = Field(
        default=None,
        description="Who keeps the record of processing up to date.",
        examples=["Sam Patel, DPO"],
    )
    record_review_on: date | None = Field(
        default=None,
        description="When the record is next reviewed (YYYY-MM-DD).",
        examples=["2027-03-01"],
    )
    group: str | None = Field(
        default=None,
        description="The corporate group the organisation belongs to (binding corporate rules).",
        examples=["Acme Group"],
    )
    public_authority: Flag | None = Field(
        default=None,
        description=(
            "Whether it is a public authority in the GDPR's sense (a state school or academy, "
            "a council, an NHS body; UK: DPA 2018 s.7): legitimate interests does not apply "
            "to its processing in the performance of its tasks (Art. 6(1) second "
            "subparagraph). A private practice holding an NHS contract (a GP or dental "
            "practice) is not decided by flowaudit (FACTS.md is silent): record it as your "
            "legal advice says; unsaid, a name reading as one is warned of and taken as not "
            "one, the pass saying so."
        ),
        examples=[True],
    )
    breach_procedure: BreachProcedure | None = Field(
        default=None,
        description="How breaches are logged and notified (Art. 33).",
        examples=[{"log": "breach-log.xlsx", "notify_within_hours": 72}],
    )
    appropriate_policy_document: Recorded | None = Field(
        default=None,
        description="Where the DPA 2018 Sch. 1 appropriate policy document is kept.",
        examples=["https://intranet.example/apd"],
    )
    notice_content: dict[str, str | NoticeStatement | None] | None = Field(
        default=None,
        description="What the privacy notice says per Art. 13/14 item (policies/legal/bases.yaml"
        " notice_items): its words; {says, lacks} where it covers the item only in part; null"
        " where it is silent.",
        examples=[
            {
                "retention": "six years after the contract ends",
                "rights": {"says": "objection and erasure", "lacks": "access, portability"},
                "withdraw_consent": None,
            }
        ],
    )


class Party(_Strict):
    """Another organisation that sends or receives personal data."""

    id: Identifier = Field(
        description="Short id; flows name it in from/to.", examples=["parcelrun"]
    )
    name: str = Field(description="Legal or trading name.", examples=["ParcelRun Ltd"])
    kind: PartyKindName = Field(
        description=(
            "What kind of organisation it is, in one lowercase word of your own; policies "
            "match on it. Known kinds: " + ", ".join(k.value for k in PartyKind) + "."
        ),
        examples=["courier"],
    )
    country: Country = Field(
        description="ISO 3166-1 alpha-2 code of where it processes the data.", examples=["GB"]
    )
    role: Role | None = Field(
        default=None,
        description="Its role for the data it gets: controller, processor or joint_controller.",
        examples=["processor"],
    )
    placeholder: Flag = Field(
        default=False,
        description="True while the party is not yet identified (the notice does not name it).",
        examples=[False],
    )
    assumed: dict[PartyAssumedFact, AssumedWhy] = _assumed_field()
    description: str | None = Field(
        default=None, description="What it does with the data.", examples=["Delivers parcels"]
    )
    listed_under: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Self-certification lists the importer is on (e.g. uk_extension, eu_us_dpf).",
        examples=[["uk_extension"]],
    )
    approved_supplier: Flag | None = Field(
        default=None,
        description="Whether it passed supplier due diligence (policies can require it).",
        examples=[True],
    )
    notice: str | None = Field(
        default=None,
        description="Id of the privacy-notice clause this element comes from.",
        examples=["PN-RECIPIENTS"],
    )
    group: str | None = Field(
        default=None,
        description="The corporate group the party belongs to (binding corporate rules).",
        examples=["Acme Group"],
    )
    contact: Contact | None = Field(
        default=None,
        description=(
            "A controller's contact details, for the record the organisation keeps as its "
            "processor (Art. 30(2)(a) asks the name and contact details of each controller)."
        ),
        examples=[{"name": "School office", "email": "office@school.example"}],
    )


class System(_Strict):
    """A system or store where personal data rests."""

    id: Identifier = Field(description="Short id; flows name it in from/to.", examples=["crm"])
    name: str = Field(description="What people call it.", examples=["Customer records"])
    owner: Identifier = Field(
        description=(
            "The organisation or party that runs it. A flow from or to the system counts as "
            "sent or received by its owner (agreements must name the owner)."
        ),
        examples=["shopwave"],
    )
    country: Country = Field(
        description="ISO 3166-1 alpha-2 code of where the data is stored.", examples=["GB"]
    )
    categories: list[CategoryId] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Data categories it holds.",
        examples=[["contact", "orders"]],
    )
    subjects: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Whose data it holds.",
        examples=[["customers"]],
    )
    retention_days: NonNegative | None = Field(
        default=None, description="How long data is kept, in days.", examples=[2190]
    )
    retention_justification: Recorded | None = Field(
        default=None,
        description="Why that long.",
        examples=["Six years after the order (HMRC)"],
    )
    encrypted_at_rest: Flag | None = Field(
        default=None, description="Whether stored data is encrypted.", examples=[True]
    )
    description: str | None = Field(
        default=None, description="What it is for.", examples=["Orders and customer accounts"]
    )
    notice: str | None = Field(
        default=None,
        description="Id of the privacy-notice clause this element comes from.",
        examples=["PN-RETENTION"],
    )
    placeholder: Flag = Field(
        default=False,
        description="True while the system is not yet identified or located.",
        examples=[False],
    )
    assumed: dict[SystemAssumedFact, AssumedWhy] = _assumed_field()

    @field_validator("assumed")
    @classmethod
    def _assumed_recorded(cls, assumed: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        # an assumed retention or encryption marks a value the map records: with none the
        # mark assumes nothing, and the check fails the store as not recorded
        for name in ("retention_days", "encrypted_at_rest"):
            if name in assumed and info.data.get(name) is None:
                raise ValueError(
                    f"{name} is marked assumed but not recorded: record the value assumed "
                    f"({name}: ...), or delete the mark"
                )
        return assumed

    protection: str | None = Field(
        default=None,
        description=(
            "How the secrets it holds (passwords received in tickets) are protected beyond "
            "encryption at rest, and where that is documented: redaction on arrival, a password "
            "vault (Art. 32). A policy may require it of stores holding such categories."
        ),
        examples=["Zendesk redaction on arrival (runbook/helpdesk-redaction.md)"],
    )
    cookies: list[Cookie] | None = Field(
        default=None,
        description="Cookies and similar technologies a website or app sets (null: unknown).",
        examples=[[{"id": "_ga", "purpose": "analytics", "opt_out": True}]],
    )


class DataCategory(_Strict):
    """A kind of personal data; ids are dotted, a parent covers its children."""

    id: CategoryId = Field(
        description="Dotted lowercase id; a parent covers its children.",
        examples=["contact.email"],
    )
    name: str = Field(description="What people call it.", examples=["Email address"])
    sensitive: Flag = Field(
        default=False,
        description="Needs extra care though not special category (card data, passwords).",
        examples=[False],
    )
    special_category: Flag = Field(
        default=False,
        description=(
            "Art. 9 special category data (health, ethnicity, beliefs, ...). Implied by "
            "art9_kind: a category of an Art. 9(1) kind is special category data whatever "
            "this flag says."
        ),
        examples=[False],
    )
    declared: Flag = Field(
        default=True,
        description="False for data the notice does not declare (rules flag flows of it).",
        examples=[True],
    )
    fides_key: str | None = Field(
        default=None,
        description="The matching fideslang data category, the shared vocabulary.",
        examples=["user.contact.email"],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Work email only"]
    )
    criminal_offence: Flag = Field(
        default=False,
        description="Criminal convictions and offences data (Art. 10).",
        examples=[False],
    )
    art9_kind: Art9Kind | None = Field(
        default=None,
        description=(
            "Which Art. 9(1) category special category data is (health, genetic, ...): some "
            "transfer duties name only some of them (the UK Extension's sensitive data). "
            "Setting it makes the category special category data (special_category: true)."
        ),
        examples=["health"],
    )

    @model_validator(mode="before")
    @classmethod
    def _kind_makes_it_special(cls, data: Any) -> Any:
        """An Art. 9(1) kind is special category data whatever the flag says (UK GDPR Art.
        9(1)): the one place that decides it, so every check, report and export that reads
        ``special_category`` sees a health category as special (DPO review 2026-12-02b,
        problem 1)."""
        if (
            isinstance(data, dict)
            and data.get("art9_kind") is not None
            and data.get("special_category", False) is False  # (a bad value stays refused)
        ):
            return {**data, "special_category": True}
        return data


class DataSubject(_Strict):
    """Whose data it is."""

    id: Identifier = Field(description="Short id; flows name it.", examples=["customers"])
    name: str = Field(description="Who they are.", examples=["Customers"])
    fides_key: str | None = Field(
        default=None,
        description="The matching fideslang data subject, the shared vocabulary.",
        examples=["customer"],
    )
    party_to_contract: Flag | None = Field(
        default=None,
        description=(
            "Whether these people are party to the contract (or ask for one): Art. 6(1)(b) is "
            "open only then. Staff of a corporate or school customer are not."
        ),
        examples=[False],
    )
    children: Flag | None = Field(
        default=None,
        description=(
            "These people are children: a flow resting on consent that carries their data "
            "needs a consent record with parental_authorisation: true (Art. 8(1); in the UK, "
            "DPA 2018 s.9), unless min_age says they are all old enough to consent themselves."
        ),
        examples=[True],
    )
    employees: Flag | None = Field(
        default=None,
        description=(
            "These people are the organisation's own employees or workers: their consent is "
            "unlikely to be freely given, given the imbalance of power (Recital 43, Art. "
            "7(4)), and a pass on consent about them says it takes that on trust. Unsaid: read "
            "from the subject's id or name (employees, staff, ...; not customer staff)."
        ),
        examples=[True],
    )
    subscriber: Literal["individual", "corporate"] | None = Field(
        default=None,
        description=(
            "For marketing email (PECR reg. 22): individual subscribers (consumers, sole "
            "traders, partnerships) must have consented, or be on the soft opt-in; corporate "
            "subscribers (staff at a company's address, LLPs, partnerships in Scotland) need "
            "neither. Unsaid: not judged."
        ),
        examples=["individual"],
    )
    min_age: Age | None = Field(
        default=None,
        description=(
            "The youngest of them, in years: children all at or over the regime's age of "
            "consent to online services (13 in the UK) may give it themselves."
        ),
        examples=[16],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["People who ordered online"]
    )


class Purpose(_Strict):
    """Why data is processed: one processing activity of the record of processing."""

    id: Identifier = Field(description="Short id; flows name it.", examples=["delivery"])
    name: str = Field(description="The purpose in plain words.", examples=["Delivering orders"])
    is_a: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "Broader purposes this one is a kind of, as rules and the law name them: a "
            "newsletter is marketing (is_a: [marketing]), so the marketing rules (PECR, "
            "consent, no marketing on contract) apply to it. Each is a purpose the map "
            "declares or one the law's tables name (marketing)."
        ),
        examples=[["marketing"]],
    )
    declared: Flag = Field(
        default=True,
        description="False for a purpose the notice does not declare.",
        examples=[True],
    )
    online_service: Flag | None = Field(
        default=None,
        description=(
            "Whether the purpose is an online (information society) service offered to the "
            "people whose data it uses. Art. 8 (a child's consent given or authorised by a "
            "parent below the age in the law) applies only to such a service: false for a "
            "school canteen or a paper form. Unsaid: taken to be one."
        ),
        examples=[False],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Labels for the courier"]
    )
    notice: str | None = Field(
        default=None,
        description="Id of the privacy-notice clause this element comes from.",
        examples=["PN-PURPOSES"],
    )
    business_function: str | None = Field(
        default=None,
        description="The business function that does the processing (ICO template).",
        examples=["Fulfilment"],
    )
    joint_controllers: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Parties that decide this processing jointly with you (Art. 26).",
        examples=[["partner-shop"]],
    )
    controller: Identifier | None = Field(
        default=None,
        description=(
            "The party that alone decides this purpose, where it is not you: another "
            "controller's own purpose (a marketplace's own promotions), which a processor of "
            "yours may pursue as a controller in its own right. Its flows of data that reach "
            "it by no flow of yours are set aside as its own; your data used for it is an "
            "Art. 28(10) finding."
        ),
        examples=["markethub"],
    )
    legitimate_interest: str | None = Field(
        default=None,
        description="The legitimate interest pursued, where that is the lawful basis.",
        examples=["Preventing fraud on card payments"],
    )
    rights: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Data subject rights available for this processing.",
        examples=[["access", "rectification", "erasure", "objection"]],
    )
    automated_decisions: str | None = Field(
        default=None,
        description=(
            "Automated decision-making or profiling (Art. 22), or 'none': for the record of "
            "processing only (Art. 22 is not judged)."
        ),
        examples=["none"],
    )
    retention: str | None = Field(
        default=None,
        description="How long data for this purpose is kept, and why.",
        examples=["Six years after the order (HMRC)"],
    )
    source: str | None = Field(
        default=None,
        description="Where the data comes from when not from the person (Art. 14).",
        examples=["Customers, at checkout"],
    )
    art9_condition: str | None = Field(
        default=None,
        description="Art. 9(2) condition (and DPA 2018 Schedule 1 condition) for special data.",
        examples=["Art. 9(2)(b) employment; DPA 2018 Sch. 1 para 1"],
    )
    art10_condition: str | None = Field(
        default=None,
        description="Condition for criminal offence data (Art. 10; DPA 2018 Schedule 1).",
        examples=["DPA 2018 Sch. 1 para 10 (preventing crime)"],
    )
    dpia: str | None = Field(
        default=None,
        description="Reference of the data protection impact assessment, if one was done.",
        examples=["DPIA-2024-03"],
    )


class MayCarry(_Strict):
    """What a flow may carry without being meant to (free text in a ticket, remote support on
    a customer's system): kept apart from what it carries, judged as a risk."""

    categories: list[CategoryId] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Categories it may carry.",
        examples=[["customer_network"]],
    )
    subjects: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Whose data it may carry.",
        examples=[["pupils"]],
    )
    reason: str | None = Field(
        default=None,
        description=(
            "Why it may carry them, for readers. Flows giving the same reason share one risk "
            "(tickets, then the servers that host them): one finding names them all."
        ),
        examples=["tickets take any text school staff submit"],
    )


#: The flow fields that record evidence a promise was kept (where a permission, a notification
#: or an opt-out is kept; a consent record, an agreement, an assessment): the only fields a
#: fields_required rule's ``satisfied_by`` may name. A flag (``encrypted_in_transit``) or a
#: descriptive field (``notice``, ``basis``, ``description``) says nothing of the promise and
#: would switch the rule off unseen (auditor review s6, problem 3).
EVIDENCE_FIELDS: tuple[str, ...] = (
    "permission",
    "notification",
    "opt_out",
    "regulator_informed",
    "subjects_informed",
    "consent_record",
    "agreement",
    "transfer_agreement",
    "assessment",
    "assessments",
)
#: Of :data:`EVIDENCE_FIELDS`, those of free text: flowaudit cannot read what the record says
#: (whom it names, where), so a pass resting on one takes its words on trust (lawyer review
#: s6, problem 4; auditor review s6, problem 5).
TEXT_EVIDENCE: tuple[str, ...] = EVIDENCE_FIELDS[:5]


class Flow(_Strict):
    """Personal data moving from one party or system to another."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier = Field(description="Short id of the flow.", examples=["parcel-labels"])
    source: Identifier = Field(
        alias="from",
        description="Sender: the organisation, a party or a system (then its owner sends).",
        examples=["shopwave"],
    )
    target: Identifier = Field(
        alias="to",
        description="Recipient: the organisation, a party or a system (then its owner gets it).",
        examples=["parcelrun"],
    )
    categories: list[CategoryId] = Field(
        min_length=1, description="Data categories it carries.", examples=[["contact.name"]]
    )
    subjects: list[Identifier] = Field(
        min_length=1, description="Whose data it carries.", examples=[["customers"]]
    )
    purpose: Identifier = Field(description="Why it flows (a purpose id).", examples=["delivery"])
    basis: str | None = Field(
        default=None,
        description="Art. 6(1) lawful basis, e.g. contract, consent.",
        examples=["contract"],
    )
    recipient_role: Role | None = Field(
        default=None,
        description="The recipient's role for this flow, where it differs from the party's.",
        examples=["processor"],
    )
    on_behalf_of: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "The controllers for which the organisation makes this flow as their processor (a "
            "copy of a customer's data onto its own store for the customer's job): each must "
            "send the organisation data as its processor (recipient_role: processor). Only on "
            "a flow the organisation sends; its lawfulness is then the controller's basis."
        ),
        examples=[["customer-schools"]],
    )
    agreement: Identifier | None = Field(
        default=None, description="The agreement that covers it.", examples=["parcelrun-dpa"]
    )
    transfer_mechanism: str | None = Field(
        default=None,
        description="Art. 46 or 49 mechanism for a transfer abroad, e.g. idta, eu_scc_2021.",
        examples=["idta"],
    )
    notice_mechanisms: list[str] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "The transfer mechanisms the notice names for this transfer (its promise), from the "
            "legal table: a finding on the recorded one says what the others are worth."
        ),
        examples=[["privacy_shield_eu_us", "privacy_shield_swiss_us"]],
    )
    transfer_agreement: Identifier | None = Field(
        default=None,
        description="The agreement that is the transfer mechanism (IDTA, SCCs).",
        examples=["storefront-idta"],
    )
    consent_record: Identifier | None = Field(
        default=None,
        description="How consent was obtained, where the basis is consent.",
        examples=["newsletter-optin"],
    )
    assessment: Identifier | None = Field(
        default=None,
        description="An assessment on file (legitimate interests, transfer risk, DPIA).",
        examples=["lia-fraud"],
    )
    art9_condition: str | None = Field(
        default=None,
        description="Art. 9(2) condition for special category data.",
        examples=["explicit_consent"],
    )
    recognised_condition: str | None = Field(
        default=None,
        description=(
            "The condition of UK GDPR Annex 1 a flow on recognised legitimate interests (Art. "
            "6(1)(ea)) meets (Art. 6(5); policies/legal/bases.yaml recognised_conditions), "
            "e.g. crime, safeguarding_vulnerable_individuals."
        ),
        examples=["crime"],
    )
    art14_exemption: str | None = Field(
        default=None,
        description=(
            "For data obtained from others: the ground of Art. 14(5) on which the notice need "
            "not give the Art. 14 items for it (policies/legal/bases.yaml art14_exemptions): "
            "already_informed, impossible_or_disproportionate, obtained_by_law, "
            "professional_secrecy. A claim the map cannot show: the gate reviews it. "
            "obtained_by_law is honoured only on a flow resting on legal_obligation or "
            "public_task (the table's only_with_bases): on any other basis a warning says why."
        ),
        examples=["obtained_by_law"],
    )
    may_carry: MayCarry | None = Field(
        default=None,
        description=(
            "What the flow may carry without being meant to (free text in a ticket, remote "
            "support on a customer's system), kept apart from what it carries."
        ),
        examples=[{"subjects": ["pupils"], "reason": "tickets take any text"}],
    )
    permission: Recorded | None = Field(
        default=None,
        description="The permission a policy asks for (e.g. the customer's written say-so).",
        examples=["customer_instruction"],
    )
    notification: Recorded | None = Field(
        default=None,
        description=(
            "Where the record is kept that the people were told of this recipient (the welcome "
            "email naming the ISP): information, not permission, so it never stands for "
            "`permission`; a permission that names the recipient tells them too."
        ),
        examples=["welcome email naming the ISP (CRM/Onboarding)"],
    )
    encrypted_in_transit: Flag | None = Field(
        default=None, description="Whether the data is encrypted on the way.", examples=[True]
    )
    occasional: Flag = Field(
        default=False,
        description=(
            "True for an occasional, not regular, flow (Art. 49 derogations; a one-off "
            "disclosure to an independent controller, of which no data sharing agreement is "
            "expected)."
        ),
        examples=[False],
    )
    derogation: str | None = Field(
        default=None,
        description=(
            "The Art. 49(1) ground an art49_derogation transfer rests on (policies/legal/"
            "transfers.yaml grounds), e.g. contract_with_subject, legal_claims."
        ),
        examples=["legal_claims"],
    )
    regulator_informed: str | None = Field(
        default=None,
        description=(
            "Where the record of informing the regulator of this transfer is kept, for a ground "
            "that needs it (Art. 49(1) second subparagraph: compelling legitimate interests)."
        ),
        examples=["dpo/ico-notification-2026-03.pdf"],
    )
    subjects_informed: str | None = Field(
        default=None,
        description=(
            "Where the record of informing the data subjects of this transfer and of the "
            "compelling legitimate interests pursued is kept, for a ground that needs it (Art. "
            "49(1) second subparagraph: besides the Art. 13/14 information)."
        ),
        examples=["dpo/letter-to-claimant-2026-03.pdf"],
    )
    notice: str | None = Field(
        default=None,
        description="Id of the privacy-notice clause this element comes from.",
        examples=["PN-RECIPIENTS"],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Labels printed daily"]
    )
    assessments: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Further assessments on file for the flow, e.g. a transfer risk assessment.",
        examples=[["us-tra"]],
    )
    flagged_sensitive: Flag | None = Field(
        default=None,
        description="The importer is told which data is sensitive (UK Extension to the DPF).",
        examples=[True],
    )
    art10_condition: str | None = Field(
        default=None,
        description="Art. 10 condition (DPA 2018 Sch. 1) for criminal offence data.",
        examples=["safeguarding_children"],
    )
    opt_out: Recorded | None = Field(
        default=None,
        description="How people unsubscribe or object to marketing (PECR regs 22-23, Art. 21(3)).",
        examples=["unsubscribe link in every email"],
    )
    soft_opt_in: Flag | None = Field(
        default=None,
        description=(
            "Marketing email on PECR's soft opt-in (reg. 22(3)): the details were obtained in "
            "a sale or negotiation of a sale, the messages are about similar products of yours, "
            "and a simple way to refuse was given when they were collected and is in every "
            "message. Instead of consent, for individual subscribers only."
        ),
        examples=[True],
    )
    channel: MarketingChannel | None = Field(
        default=None,
        description=(
            "How a marketing flow reaches people: email, sms (text or picture messages), "
            "voicemail, automated_call (recorded messages), fax, live_call, post, in_person. "
            "PECR judges each by its own regulation (reg. 22 electronic mail, 19 automated "
            "calls, 20 faxes, 21 live calls); post and in person are outside PECR. One flow "
            "per channel. Unsaid: taken as email, and the finding says so."
        ),
        examples=["post"],
    )

    @property
    def assessment_ids(self) -> list[str]:
        """Every assessment the flow links, ``assessment`` first."""
        first = [self.assessment] if self.assessment is not None else []
        return [*first, *self.assessments]


class Agreement(_Strict):
    """A contract or arrangement between parties, with its evidence."""

    id: Identifier = Field(description="Short id; flows name it.", examples=["parcelrun-dpa"])
    kind: AgreementKind = Field(description="What kind of agreement.", examples=["art28_dpa"])
    parties: list[Identifier] = Field(
        min_length=2,
        description="The organisation and parties bound by it.",
        examples=[["shopwave", "parcelrun"]],
    )
    status: AgreementStatus = Field(
        description="signed, draft or unknown (no evidence yet).", examples=["signed"]
    )
    signed_on: date | None = Field(
        default=None, description="Date signed (YYYY-MM-DD).", examples=["2024-03-15"]
    )
    expires_on: date | None = Field(
        default=None, description="Last day in force (YYYY-MM-DD).", examples=["2027-03-14"]
    )
    categories: list[CategoryId] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Data categories it covers.",
        examples=[["contact"]],
    )
    purposes: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Purposes it covers.",
        examples=[["delivery"]],
    )
    allows_subprocessing: Flag | None = Field(
        default=None,
        description="Whether the processor may use sub-processors.",
        examples=[False],
    )
    evidence: str | None = Field(
        default=None,
        description="Where the signed copy is kept.",
        examples=["Drive/Legal/parcelrun.pdf"],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Schedule 3 of the contract"]
    )
    on_behalf_of: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Controllers a party signed this transfer agreement for (e.g. a processor's"
        " IDTA with its sub-processor): a documented chain from the exporter to the importer.",
        examples=[["acme"]],
    )


class ConsentRecord(_Strict):
    """How and where consent was obtained for a purpose."""

    id: Identifier = Field(description="Short id; flows name it.", examples=["newsletter-optin"])
    purposes: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Purposes consented to.",
        examples=[["newsletter"]],
    )
    method: str = Field(
        description="How consent is asked and recorded.",
        examples=["Unticked box at checkout; time and wording stored"],
    )
    explicit: Flag = Field(
        default=False,
        description="Explicit consent (Art. 9(2)(a), Art. 49(1)(a)).",
        examples=[False],
    )
    evidence: str | None = Field(
        default=None, description="Where the records are.", examples=["Consent log export"]
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Renewed every two years"]
    )
    recipients: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Parties the consent names (Art. 49(1)(a) transfers).",
        examples=[["us-host"]],
    )
    countries: list[Country] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Countries the consent names (Art. 49(1)(a) transfers).",
        examples=[["US"]],
    )
    risks_explained: Flag | None = Field(
        default=None,
        description="The person was told the risks of a transfer without safeguards.",
        examples=[True],
    )
    affirmative_act: Flag | None = Field(
        default=None,
        description=(
            "Consent is given by a clear affirmative act (ticking an unticked box, signing). "
            "false: a pre-ticked box, silence or inactivity, which is no consent (Art. 4(11), "
            "Recital 32): every flow relying on the record fails. Unrecorded: not judged."
        ),
        examples=[True],
    )
    bundled_with_terms: Flag | None = Field(
        default=None,
        description=(
            "Consent is bundled with the terms of service or made a condition of the service. "
            "true: not valid consent (Art. 7(2), 7(4)): every flow relying on the record "
            "fails. Unrecorded: not judged."
        ),
        examples=[False],
    )
    withdrawn_on: date | None = Field(
        default=None,
        description=(
            "The day the consent was withdrawn (Art. 7(3)): from that day no flow can rest on "
            "the record (processing before it stays lawful); unrecorded: not withdrawn."
        ),
        examples=["2026-06-01"],
    )
    parental_authorisation: Flag | None = Field(
        default=None,
        description=(
            "Consent is given or authorised by the holder of parental responsibility: needed "
            "where a flow on consent carries data about subjects marked children (Art. 8(1); "
            "in the UK, DPA 2018 s.9)."
        ),
        examples=[True],
    )


class Assessment(_Strict):
    """A legitimate-interests, transfer-risk or impact assessment on file."""

    id: Identifier = Field(description="Short id; flows name it.", examples=["lia-fraud"])
    kind: AssessmentKind = Field(
        description="legitimate_interests, transfer_risk or dpia.",
        examples=["legitimate_interests"],
    )
    completed_on: date | None = Field(
        default=None, description="Date completed (YYYY-MM-DD).", examples=["2024-05-01"]
    )
    evidence: str | None = Field(
        default=None, description="Where it is kept.", examples=["Drive/DPO/lia-fraud.pdf"]
    )
    purposes: list[Identifier] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description=(
            "Purposes it weighs (a legitimate interests assessment weighs the interest of a "
            "purpose: Art. 6(1)(f)); a flow for another purpose (nor a kind of one listed, "
            "is_a) cannot rest on it. Empty: not judged on purposes."
        ),
        examples=[["fraud_prevention"]],
    )
    data_protection_test: Flag | None = Field(
        default=None,
        description=(
            "A transfer risk assessment records that the exporter judged the UK's data "
            "protection test met (UK GDPR Art. 46(1A)(a)(ii), from 2026-02-05): needed on an "
            "assessment completed before that day that an IDTA or UK Addendum transfer still "
            "rests on (policies/legal/transfers.yaml data_protection_test). Left out on one "
            "completed on or after it, the judgement is presumed and a pass says so (ASSUMED); "
            "false: not judged."
        ),
        examples=[True],
    )
    description: str | None = Field(
        default=None, description="Notes for readers.", examples=["Reviewed yearly"]
    )

    def on_file(self, on: date) -> bool:
        """Whether the assessment counts on an audit date: from the day it was completed, so a
        back-dated audit cannot rest on a document written later. An undated one counts (the
        record-evidence rule reports the missing date)."""
        return self.completed_on is None or self.completed_on <= on


class Waiver(_Strict):
    """An accepted risk: a finding of one rule on one element, owned, justified and dated.

    A blank owner or justification is an input error; the waiver rule judges the dates
    (approved no later than the audit date, expiring within its maximum after approval)."""

    id: Identifier = Field(description="Short id of the waiver.", examples=["w-hosting"])
    rule: str = Field(description="The rule id it waives.", examples=["GDPR-TRANSFER"])
    element: str = Field(
        pattern=r"^[a-z_]+/[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="collection/id of the element, e.g. flows/hosting-us",
        examples=["flows/hosting-us"],
    )
    code: str | None = Field(
        default=None, description="Only findings with this code.", examples=["missing"]
    )
    owner: NonBlank = Field(
        description="Who accepted the risk (not blank).", examples=["Sam Patel, DPO"]
    )
    justification: NonBlank = Field(
        description="Why the risk is accepted for now (not blank).",
        examples=["New IDTA being signed; old contract in force until then"],
    )
    approved_on: date = Field(
        description="Date approved (YYYY-MM-DD); not after the audit date.",
        examples=["2026-10-01"],
    )
    expires_on: date = Field(
        description="Last day the waiver holds (YYYY-MM-DD); at most 12 months after "
        "approved_on by default (the waiver rule's max_months).",
        examples=["2026-12-31"],
    )


class DataMap(_Strict):
    """A whole data map: what one file may hold, and what the loader merges all files into."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"title": "flowaudit data map"},
    )

    organisation: Organisation | None = Field(
        default=None,
        description="Who you are (in exactly one file of the map).",
        examples=[{"id": "shopwave", "name": "Shopwave Ltd", "country": "GB", "regime": "UK"}],
    )
    parties: list[Party] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Other organisations that send or receive personal data.",
        examples=[
            [{"id": "parcelrun", "name": "ParcelRun Ltd", "kind": "courier", "country": "GB"}]
        ],
    )
    systems: list[System] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Systems and stores where personal data rests.",
        examples=[
            [{"id": "crm", "name": "Customer records", "owner": "shopwave", "country": "GB"}]
        ],
    )
    categories: list[DataCategory] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Kinds of personal data (dotted ids).",
        examples=[[{"id": "contact.email", "name": "Email address"}]],
    )
    subjects: list[DataSubject] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Whose data it is.",
        examples=[[{"id": "customers", "name": "Customers"}]],
    )
    purposes: list[Purpose] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Why data is processed; one row each in the record of processing.",
        examples=[[{"id": "delivery", "name": "Delivering orders"}]],
    )
    flows: list[Flow] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Personal data moving from one party or system to another.",
        examples=[
            [
                {
                    "id": "labels",
                    "from": "shopwave",
                    "to": "parcelrun",
                    "categories": ["contact.name"],
                    "subjects": ["customers"],
                    "purpose": "delivery",
                }
            ]
        ],
    )
    agreements: list[Agreement] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Contracts and arrangements, with their evidence.",
        examples=[
            [
                {
                    "id": "parcelrun-dpa",
                    "kind": "art28_dpa",
                    "parties": ["shopwave", "parcelrun"],
                    "status": "signed",
                }
            ]
        ],
    )
    consent_records: list[ConsentRecord] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="How consent was obtained, per purpose.",
        examples=[[{"id": "newsletter-optin", "method": "Unticked box at checkout"}]],
    )
    assessments: list[Assessment] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Legitimate-interests, transfer-risk and impact assessments on file.",
        examples=[[{"id": "lia-fraud", "kind": "legitimate_interests"}]],
    )
    waivers: list[Waiver] = Field(
        default_factory=list,
        json_schema_extra=_EMPTY,
        description="Accepted risks: a finding of one rule on one element, owned and dated.",
        examples=[
            [
                {
                    "id": "w1",
                    "rule": "GDPR-TRANSFER",
                    "element": "flows/hosting-us",
                    "owner": "DPO",
                    "justification": "IDTA being signed",
                    "approved_on": "2026-10-01",
                    "expires_on": "2026-12-31",
                }
            ]
        ],
    )


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
    properties["$schema"] = {
        "type": "string",
        "description": "Editor hint; ignored.",
        "examples": ["../docs/schemas/map.schema.json"],
    }
    return schema
