"""Characters that Python calls printable yet that render as nothing: the Hangul fillers, the
combining grapheme joiner, the Khmer inherent vowels, the Mongolian free variation selectors,
the variation selectors (which can carry arbitrary hidden bytes, one per character) and the
blank Braille pattern. One list for the two places that must agree on it: a waiver's owner
and reason must show something (model.schema), and every string from input is escaped before
output (reports.sanitise). Format characters (category Cf) are found by category there."""

from __future__ import annotations

#: As a regular-expression character class body (ranges included).
BLANK_PRINTABLE_CLASS = (
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef"
)

#: The same characters, each one.
BLANK_PRINTABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
    + "".join(map(chr, range(0x180B, 0x1810)))
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
