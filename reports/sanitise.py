"""One sanitiser for every output channel: text from input (ids, names, keys, messages, file
paths) passes through here before it reaches a terminal, a CI log, a pull-request comment, a
spreadsheet, a diagram or a machine-readable report.

Why: whoever opens a pull request to the map repository writes the names, keys and file names
flowaudit echoes. Printed raw, they could forge output lines, rewrite a terminal (ESC, CSI and
OSC sequences, C1 controls), reorder what a reviewer sees (bidirectional overrides, "Trojan
Source"), run GitHub Actions workflow commands (a line starting with ``::``, or ``##[`` anywhere
in a line, the runner's older syntax), turn a spreadsheet cell into a formula, or a comment into
links, images and @-mentions.

Everything is built on :func:`escape`, which shows each unsafe character visibly (``\\n``,
``\\x1b``, ``\\u202e``) and breaks workflow-command starters. Each channel adds its own syntax
on top: :func:`for_terminal`, :func:`for_markdown`, :func:`for_csv_cell`, :func:`for_uri`,
:func:`for_dot`, :func:`for_json`, :func:`for_html`, :func:`for_css_string`. XML and HTML
writers escape their markup themselves (ElementTree, Jinja2's autoescape) once :func:`escape`
has run. The output never depends on the environment: the same input gives the same bytes in
and out of GitHub Actions.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import secrets
import textwrap
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, cast
from urllib.parse import quote

import orjson
from markupsafe import Markup

from flowaudit.model.invisible import BLANK_PRINTABLE_CLASS

#: C0 controls (LF, CR, TAB and ESC among them), DEL, C1 controls (U+009B is a one-character
#: CSI to many terminals), the line and paragraph separators, and the bidirectional controls
#: (marks, embeddings, overrides, isolates) that make a terminal or a browser reorder text;
#: U+FFFE, U+FFFF, which XML forbids even escaped; and lone surrogates, which is how Python
#: hands over a file name that is not UTF-8 (no UTF-8 writer could encode them).
#: Then every format character (Unicode category Cf, as of Unicode 15): invisible ones such
#: as the zero-width space U+200B, word joiner U+2060, soft hyphen U+00AD and the tag
#: characters U+E0000-U+E007F make two names that read the same differ, or hide text.
#: And the characters Python calls printable that show as nothing (model.invisible: the Hangul
#: fillers, variation selectors, which can carry hidden bytes, the blank Braille pattern...),
#: so a "name" of them reads as nothing or hides text (checked apart: _PRINTABLE_UNSAFE).
_FORMAT = (
    "\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200d"
    "\u2060-\u2065\u206a-\u206f\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
_BLANK_LETTERS = BLANK_PRINTABLE_CLASS
_BEYOND_C0 = (
    "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    f"\ufeff\ufffe\uffff\ud800-\udfff{_FORMAT}{_BLANK_LETTERS}"
)
UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
#: The printable characters the sets hold: text holding none of them may take the fast path.
_PRINTABLE_UNSAFE = re.compile(f"[{_BLANK_LETTERS}]")
#: What json.dumps leaves raw: it escapes C0 controls inside strings itself, and its own
#: line feeds (indentation) must stay.
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
#: What starts a GitHub Actions workflow command: ``::`` at the start of a line (after spaces),
#: or the older ``##[`` anywhere in a line. Input never starts a line except where it starts a
#: whole output line (a file path, an organisation name), since its line breaks are escaped.
_COMMAND = re.compile(r"^(\s*):(?=:)|#(?=#\[)")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(char: str) -> str:
    """``\\n``, ``\\x1b``, ``\\u202e``: how Python would write the character in a string."""
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_escape(char: str) -> str:
    """The JSON escape of a character: decodes to the very same character (a character
    beyond U+FFFF, a tag character say, as its UTF-16 surrogate pair, as JSON has it)."""
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape(
    text: str, form: Callable[[str], str] = _visible, unsafe: re.Pattern[str] = UNSAFE
) -> str:
    """The core: every ``unsafe`` character written by ``form`` (visibly, by default), and
    the first character of a workflow-command starter written the same way, so neither a
    terminal nor a CI runner acts on text from input."""
    if (
        text.isprintable()
        and "::" not in text
        and "##[" not in text
        and (unsafe is UNSAFE or unsafe is _UNSAFE_IN_JSON)
        and (text.isascii() or _PRINTABLE_UNSAFE.search(text) is None)
    ):
        # Printable text holds no unsafe character (every one of both sets is a control, a
        # format or separator character, a surrogate or a noncharacter, none printable, but
        # for the blank printable ones searched for in non-ASCII text: a test holds this for
        # every code point) and, without "::" or "##[", no command starter: most ids and
        # messages are this (a message naming "A → B" too), and the two regex passes cost a
        # second on a 100,000-flow map.
        return text
    text = unsafe.sub(lambda match: form(match.group()), text)
    return _COMMAND.sub(lambda match: (match.group(1) or "") + form(match.group()[-1]), text)


def break_commands(line: str) -> str:
    """A line a renderer composed (wrapping input text, say) with no workflow-command starter
    at its start: input escaped once can still start a line where a wrap breaks it."""
    return _COMMAND.sub(lambda match: (match.group(1) or "") + _visible(match.group()[-1]), line)


def for_terminal(text: object) -> str:
    """One line of plain text (stdout, stderr, text reports, YAML comments)."""
    return escape(str(text))


def wrapped_for_terminal(text: object, width: int, indent: str = "") -> str:
    """Plain text folded to one paragraph, escaped and wrapped to ``width`` with every line
    indented by ``indent``: wrapping can start a line with input that was mid-text when it
    was escaped (`` ::error::`` after a long word), so each line is broken of workflow
    commands as well (gate review s20: a policy's ``organisation_references`` printed by
    ``explain`` started a line ``  ::error::z``)."""
    lines = textwrap.wrap(
        escape(" ".join(str(text).split())),
        width,
        initial_indent=indent,
        subsequent_indent=indent,
    )
    return "\n".join(break_commands(line) for line in lines)


#: Markdown syntax that could make input a link, an image, inline HTML, a code span, a table
#: break or an escape of our own escapes (CommonMark: any ASCII punctuation may be escaped).
_MARKDOWN = re.compile(r"[\\`\[\]!<>|]")
#: The same but backticks: a code span's content is literal, so it can hold no link either.
_MARKDOWN_BUT_CODE = re.compile(r"[\\\[\]!<>|]")
#: GitHub turns ``@name`` into a mention (a notification) and bare URLs into links; a
#: zero-width space written as an entity (as Renovate does) keeps the text and breaks both.
_MENTION_OR_LINK = re.compile(r"@(?=\w)|(?<=:)(?=//)|(?<=\bwww)(?=\.)", re.IGNORECASE)
#: Outside code spans: emphasis and strikethrough (``*``, ``~``, and ``_`` where it is not
#: inside a word, the only place CommonMark lets it open or close emphasis), escaped; and
#: ``$``, which opens GitHub's math (``$...$``, ``$$...$$``, ``$`...`$`` around a code span):
#: a name such as ``$PASS^{0}_{findings}$`` rendered as typeset math in a job summary or a
#: pull-request comment (gate review s21); GitHub's documented escape is ``\$``.
_EMPHASIS = re.compile(r"[*~$]|(?<![^\W_])_|_(?![^\W_])")
#: Outside code spans: GitHub turns ``:name:`` into an emoji and ``#1``, ``owner/repo#1``,
#: ``GH-1`` into references to issues after Markdown is parsed (a backslash does not stop
#: it): broken by the same zero-width space. An emoji name holds a letter or '_' (a
#: file:line:col does not), but for four.
_EMOJI_OR_REFERENCE = re.compile(
    r"(?<=#)(?=\d)|(?<=\bGH)(?=-\d)|(?<=:)(?=(?:[\w+-]*[a-z_][\w+-]*|100|1234|[+-]1):)",
    re.IGNORECASE,
)


def _outside_code(text: str) -> str:
    """Text outside code spans made inert: no emphasis, emoji or reference."""
    text = _EMPHASIS.sub(lambda match: "\\" + match.group(), text)
    return _EMOJI_OR_REFERENCE.sub("&#8203;", text)


def for_markdown(text: object, code_spans: bool = False) -> str:
    """Inert Markdown for a table cell or a sentence: no link, image, mention, HTML, code
    span, table break, emphasis, emoji or issue reference from input; one line.
    ``code_spans`` keeps backtick code spans (a policy's help text uses them), which are
    inert too, their content literal."""
    escaped = escape(str(text)).replace("&", "&amp;")
    syntax = _MARKDOWN_BUT_CODE if code_spans else _MARKDOWN
    escaped = syntax.sub(lambda match: "\\" + match.group(), escaped)
    escaped = _code_spans_kept(escaped) if code_spans else _outside_code(escaped)
    return _MENTION_OR_LINK.sub(lambda match: match.group() + "&#8203;", escaped)


def _code_spans_kept(text: str) -> str:
    """``text`` made inert outside its code spans, paired as CommonMark pairs them: a run of
    N backticks opens a span that only the next run of exactly N closes; a run no such run
    follows is literal, and the text after it is outside. Pairing backticks one by one took
    `` `x **b** #1`` `` for a span, which a run of two does not close, so its emphasis and
    issue reference stayed live (attack review 2026-12-03u, problem 5)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    kept: list[str] = []
    outside = 0  # where the text outside spans resumes
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect.bisect_right(same, index)
        if after == len(same):  # nothing closes it: literal backticks, outside text
            index += 1
            continue
        close = same[after]
        kept.append(_outside_code(text[outside:start]))
        kept.append(text[start : runs[close][1]])  # the span, literal
        outside = runs[close][1]
        index = close + 1
    kept.append(_outside_code(text[outside:]))
    return "".join(kept)


def for_markdown_code(text: object) -> str:
    """A code span holding ``text`` as written, for a location: inside one GitHub makes no
    emoji (a line 100 reads ``:100:``), reference, emphasis, link or HTML, so the text needs
    no zero-width space and a path copied from it is exact. Its fence is longer than any run
    of backticks in the text; a pipe is escaped, as a table cell needs even in a span."""
    content = escape(str(text)).replace("|", "\\|")
    fence = "`" * (max(map(len, _BACKTICKS.findall(content)), default=0) + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


_BACKTICKS = re.compile("`+")

#: An email address as a record's contact details give one (no backtick, pipe or space).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def for_markdown_with_addresses(text: object) -> str:
    """``for_markdown``, but each email address in a code span: inside one GitHub makes no
    mention or link of it either, and the address is copied as recorded. ``for_markdown``
    broke it with a zero-width space entity ("enquiries@&#8203;concerouk.com"), and the
    contact email the record of processing gives (Art. 30(1)(a), 30(2)(a)) did not work
    copied (auditor review 2026-12-03y, problem 8)."""
    raw = str(text)
    parts: list[str] = []
    last = 0
    for match in _EMAIL.finditer(raw):
        parts.append(for_markdown(raw[last : match.start()]))
        parts.append(for_markdown_code(match.group()))
        last = match.end()
    parts.append(for_markdown(raw[last:]))
    return "".join(parts)


#: A spreadsheet reads a cell starting with these as a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_csv_cell(text: object) -> str:
    """A CSV cell a spreadsheet shows as text: controls escaped and, as OWASP advises, a
    cell that would start a formula prefixed with a single quote, leading whitespace
    included (a spreadsheet may trim " =1+1" into a formula). (The csv module quotes
    separators and double quotes.)"""
    raw = text if type(text) is str else str(text)
    if not raw:  # an empty cell (a third of a 100k-flow report's 4 million)
        return raw
    escaped = escape(raw)
    if raw[0] in _FORMULA_START:
        return "'" + escaped
    if not raw[0].isspace():  # nothing for lstrip to take: the test above said it all
        return escaped
    formula = raw.lstrip().startswith(_FORMULA_START)
    return "'" + escaped if formula else escaped


@lru_cache(maxsize=1024)  # one per input file, asked once per finding (127,000 at hub 100k)
def for_uri(path: str) -> str:
    """A file path as a relative URI reference (SARIF artifactLocation.uri): this system's
    separators made ``/`` and everything but unreserved characters and ``/`` percent-encoded
    (RFC 3986), controls included. A backslash is a separator on Windows only: elsewhere it
    is a character of a file name, ``%5C``, never a folder that does not exist (attack review
    2026-12-03l, 7). A file name that is not UTF-8 keeps its own bytes (``%FF``)."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(path, safe="/", errors="surrogateescape")


def for_dot(text: object) -> str:
    """One line of a Graphviz label, before ``graphviz.escape`` doubles its backslashes:
    whitespace runs (line breaks included) folded to one space, other controls escaped."""
    return escape(" ".join(str(text).split()))


#: What a CSS string may hold as written: ASCII letters, digits, the space and punctuation with
#: no meaning inside a string or around it. Everything else is a hex escape.
_CSS_AS_WRITTEN = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !#$%()*+,-./:=?@[]^_|~"
)


def for_css_string(text: object) -> str:
    """The content of a double-quoted CSS string (``content: "..."`` in a stylesheet inside
    ``<style>``) holding the text as :func:`escape` shows it. Every character but ASCII
    letters, digits and inert punctuation is a CSS hex escape followed by the space that ends
    it (``\\22 `` for a double quote, ``\\5C `` for a backslash, ``\\3C `` for ``<``): the
    string cannot end early, no ``</style>`` can close the block (HTML reads no escape inside
    it, so the ``<`` itself must not be there), and an accented letter reads the same in any
    renderer whatever the encoding it assumes."""
    return "".join(
        char if char in _CSS_AS_WRITTEN else f"\\{ord(char):X} " for char in escape(str(text))
    )


def for_html(value: Any) -> Any:
    """Jinja2's ``finalize`` for every ``{{ ... }}``: the text of a value (a string, or an
    object such as a location whose ``str`` carries a file name) is escaped here, then
    autoescaped by Jinja2; Markup (our own stylesheet, Graphviz's SVG built from escaped
    labels) and None pass unchanged."""
    if value is None or isinstance(value, Markup):
        return value
    text = escape(str(value))
    if len(text) > HTML_TEXT_LIMIT:
        # what a reader can take in from one cell, and what the PDF can lay out: a name of
        # 10,000 letters in every row it is named made a report of 131 pages and kept
        # `report --pdf` busy for minutes (attack review 2026-12-03l, 1); cut, saying so
        text = (
            f"{text[:HTML_TEXT_LIMIT]}... [{len(text) - HTML_TEXT_LIMIT:,} more characters "
            "cut here; the JSON and text outputs hold the whole text]"
        )
    if _LONG_RUN.search(text) is None:
        return text
    return _with_breaks(text)


#: The most characters of one value the HTML report (and so the PDF) shows: the longest
#: finding message on the shipped and bench maps is under 1,000 characters.
HTML_TEXT_LIMIT = 2_000


#: A run of characters with no break opportunity long enough to cost a renderer dear: Pango
#: lays out a word of thousands of letters in time that grows with its square (attack review
#: 2026-12-03l, 1: two party names of 9,990 letters kept `report --pdf` busy past 100 s).
_LONG_RUN = re.compile(r"[^\s<>&/_.-]{160,}")
#: Where such a run may break: every this many characters.
_BREAK_EVERY = 40


def _with_breaks(text: str) -> Markup:
    """Escaped text with a ``<wbr>`` every ``_BREAK_EVERY`` characters of each long run: it
    wraps inside the run, and the renderer measures short pieces, not one word of
    thousands of letters. The characters are the same, and so is what a reader copies."""
    pieces: list[str] = []
    at = 0
    for run in _LONG_RUN.finditer(text):
        pieces.append(text[at : run.start()])
        word = run.group()
        pieces.extend(word[i : i + _BREAK_EVERY] + "\0" for i in range(0, len(word), _BREAK_EVERY))
        at = run.end()
    pieces.append(text[at:])
    return Markup("<wbr>").join(Markup.escape(part) for part in "".join(pieces).split("\0"))


def breakable(value: Any, after: str = "/") -> Markup:
    """Text for an HTML table cell, escaped as :func:`for_html` does, with a ``<wbr>`` after
    each ``after`` character: a file path (or a location, ``path:line:col``) wraps at its
    '/', an id such as ``data_sharing_agreement`` at its '_', instead of widening its column
    and squeezing the others (browsers and WeasyPrint never break there on their own)."""
    text = escape(str(value))
    for separator in after:
        text = text.replace(separator, separator + "\0")
    parts = text.split("\0")
    return Markup("<wbr>").join(
        _with_breaks(part) if _LONG_RUN.search(part) else Markup.escape(part) for part in parts
    )


def breakable_location(value: Any) -> Markup:
    """A location (``path:line:col``) for an HTML table cell: it may break after each '/' of
    its path and never inside its last part, which is kept whole in a ``loc`` span (CSS
    ``white-space: nowrap``): a break after a colon printed ``systems.yaml:31:`` on one line
    and ``46`` on the next (auditor review 2026-12-03g, problem 10)."""
    head, slash, last = str(value).rpartition("/")
    start = breakable(head + slash) if slash else Markup("")
    return start + Markup('<span class="loc">{}</span>').format(escape(last))


#: Every ASCII byte: deleted from UTF-8 text, what is left is its non-ASCII characters.
_ASCII_BYTES = bytes(range(0x80))
_COMMAND_AT_START = re.compile(rb"\s*::")


def _plain_json(data: bytes) -> bool:
    """Whether JSON text (UTF-8) holds nothing :func:`escape` would change: no DEL (the one
    unsafe ASCII character json leaves raw), no ``##[``, no ``::`` starting it, and no unsafe
    character among its non-ASCII ones. Tested in C over the bytes: a 120 MB report's two
    regex passes took 3 s, and nearly every report is plain."""
    if b"\x7f" in data or b"##[" in data or _COMMAND_AT_START.match(data):
        return False
    rest = data.translate(None, _ASCII_BYTES)  # whole UTF-8 sequences: no ASCII byte in one
    return not rest or _UNSAFE_IN_JSON.search(rest.decode("utf-8")) is None


_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def for_json(document: Any) -> str:
    """JSON (indented, keys sorted) whose strings keep their exact values but whose bytes
    carry no raw control, bidi or line-separator character and no ``##[``: json.dumps leaves
    C1 controls, DEL and bidi controls raw, and a JSON report is often printed to a CI log.

    Written by orjson (json.dumps with an indent runs in Python: 5.5 s for a 100,000-flow
    hub map's report, orjson 0.5 s), which writes the very text json.dumps(indent=2,
    sort_keys=True, ensure_ascii=False) does for the documents reports build (strings,
    integers, booleans, null; a test holds the two equal); json.dumps where orjson refuses
    (a lone surrogate from a file name that is not UTF-8, an integer past 64 bits)."""
    try:
        data = orjson.dumps(document, option=_JSON_OPTIONS)
    except orjson.JSONEncodeError:
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    else:
        text = data.decode("utf-8")
        if _plain_json(data):
            return text + "\n"
    # Outside strings json.dumps writes only ASCII structure and never '#': every match
    # below is inside a string, and its JSON escape decodes to the same character.
    return escape(text, _json_escape, _UNSAFE_IN_JSON) + "\n"


class Streamed:
    """A list in a document given to :func:`json_pieces` whose items are made one at a time
    (a generator, say): each is dumped, then dropped, so the document is never whole in
    memory, neither as Python data nor as text."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def materialised(document: Any) -> Any:
    """``document`` with each Streamed list made a list: the whole document, as for_json
    takes it (tests compare the two ways of writing it)."""
    if isinstance(document, Streamed):
        return [materialised(item) for item in document.items]
    if isinstance(document, dict):
        return {key: materialised(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [materialised(item) for item in document]
    return document


#: How many items of a Streamed list make one piece (SARIF results: 2 to 3 MB).
PIECE_ITEMS = 2000


def _listed(value: Any) -> list[Any]:
    """A Streamed list inside an item of another, dumped with the item: made a list."""
    if isinstance(value, Streamed):
        return list(value.items)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumped(value: Any) -> bytes | str:
    """``value`` as for_json writes it, before the escape pass: orjson's bytes, or
    json.dumps' text where orjson refuses (a lone surrogate, an integer past 64 bits)."""
    try:
        return orjson.dumps(value, option=_JSON_OPTIONS, default=_listed)
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=_listed)


def _escaped(text: bytes | str) -> str:
    """One piece of JSON text through for_json's escape pass. Exact piece by piece: every
    match of the pass lies inside a JSON string (outside them JSON text is ASCII structure,
    with no '#'), a piece never splits a string, and no piece starts with spaces and ``::``
    (each starts with ``{``, ``[``, an item or a line break before ``]``)."""
    if isinstance(text, bytes):
        if _plain_json(text):
            return text.decode("utf-8")
        text = text.decode("utf-8")
    return escape(text, _json_escape, _UNSAFE_IN_JSON)


def _skeleton(value: Any, token: str, found: list[Streamed]) -> Any:
    """``value`` with each Streamed list replaced by the string ``token-N``."""
    if isinstance(value, Streamed):
        found.append(value)
        return f"{token}-{len(found) - 1}"
    if isinstance(value, dict):
        return {key: _skeleton(item, token, found) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_skeleton(item, token, found) for item in value]
    return value


#: How many items of a Streamed list one orjson call dumps: a call per item cost 0.4 s more
#: of a 100,000-flow hub map's report (327,000 items), and a call per piece of 2,000 kept
#: so many dicts alive that the cyclic collector walked them again and again (perf-out
#: s19); a few dozen live dicts are neither.
DUMP_ITEMS = 32


def _items(streamed: Streamed, indent: int, batch: int) -> Iterator[str]:
    """A Streamed list as JSON text whose items stand at ``indent`` spaces, ``batch`` items
    to a piece, dumped ``DUMP_ITEMS`` at a time (``_dumped_run``) and re-indented to their
    depth (JSON strings never hold a raw line feed, so every line feed is a line break of
    the layout)."""
    pad = " " * indent
    separator = ",\n" + pad
    lead = "[\n" + pad
    pieces: list[bytes | str] = []
    run: list[Any] = []
    in_piece = 0
    for item in streamed.items:
        run.append(item)
        in_piece += 1
        if len(run) == DUMP_ITEMS or in_piece == batch:
            pieces += _dumped_run(run, pad)
            run = []
            if in_piece == batch:
                yield _joined(lead, pieces, separator)
                pieces, lead, in_piece = [], separator, 0
    if run:
        pieces += _dumped_run(run, pad)
    if pieces:
        yield _joined(lead, pieces, separator)
        lead = separator
    yield "[]" if lead != separator else "\n" + pad[2:] + "]"


def _dumped_run(run: list[Any], pad: str) -> list[bytes | str]:
    """Items of a list, each as :func:`_dumped` writes it re-indented to ``pad``, the
    separators between them: one orjson call for the whole run (its items stand at two
    spaces in the list it writes, so two fewer are added; the list's brackets are cut
    off), or, where orjson refuses one, each dumped alone."""
    try:
        data = orjson.dumps(run, option=_JSON_OPTIONS, default=_listed)
    except orjson.JSONEncodeError:
        pieces: list[bytes | str] = []
        for item in run:
            dumped = _dumped(item)
            if isinstance(dumped, bytes):
                pieces.append(dumped.replace(b"\n", b"\n" + pad.encode("ascii")))
            else:
                pieces.append(dumped.replace("\n", "\n" + pad))
        return pieces
    # b"[\n  ITEM,\n  ITEM\n]": the items and their separators, then at ``pad``
    return [data[4:-2].replace(b"\n", b"\n" + pad[2:].encode("ascii"))]


def _joined(lead: str, pieces: list[bytes | str], separator: str) -> str:
    """``lead`` then the pieces with ``separator`` between, escaped: bytes while every piece
    is (the fast check in C), text when one came from json.dumps."""
    if all(isinstance(piece, bytes) for piece in pieces):
        data = separator.encode("ascii").join(cast(list[bytes], pieces))
        return lead + _escaped(data)
    text = separator.join(
        piece.decode("utf-8") if isinstance(piece, bytes) else piece for piece in pieces
    )
    return lead + _escaped(text)


def json_pieces(document: Any, batch: int | None = None) -> Iterator[str]:
    """The text :func:`for_json` writes for ``document`` (its Streamed lists read as lists),
    in pieces: the document around the Streamed lists, dumped once with a placeholder in
    each, then each list's items ``batch`` at a time. Every piece has passed the same escape
    and the pieces joined are for_json's text byte for byte (a test holds it)."""
    batch = batch or PIECE_ITEMS
    # a placeholder no input can hold: the text is the same whatever it is
    token = f"flowaudit-streamed-{secrets.token_hex(16)}"
    found: list[Streamed] = []
    skeleton = _dumped(_skeleton(document, token, found))
    text = skeleton.decode("utf-8") if isinstance(skeleton, bytes) else skeleton
    del skeleton
    # the placeholders in the order the text has them (keys sorted), not the document's
    placeholder = re.compile(f'"{token}-([0-9]+)"')
    start = 0
    for match in placeholder.finditer(text):
        at = match.start()
        line = end = text.rfind("\n", 0, at) + 1
        while text[end] == " ":
            end += 1
        # the placeholder's line (a key, or an item of a list) is one level above the items
        yield _escaped(text[start:at])
        yield from _items(found[int(match.group(1))], end - line + 2, batch)
        start = match.end()
    yield _escaped(text[start:]) + "\n"
