"""Safe YAML/JSON parsing into plain data plus a table of positions.

The reference backend *composes* (never constructs) the document with ruamel.yaml under
YAML 1.2, so no tag can build an object and ``NO`` stays the string "NO". Our own walk turns
the node tree into dicts, lists and scalars, records where every key and item starts,
reports duplicate keys and unknown tags, and bounds alias expansion and nesting depth.

The fast backend (model/fastyaml.py, rapidyaml) reads plain documents about ten times
faster with the same data and positions, and hands everything else to the reference. Set
``FLOWAUDIT_YAML_BACKEND=ruamel`` to use the reference alone.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from flowaudit.model import fastyaml
from flowaudit.model.discovery import read_regular
from flowaudit.model.problems import InputError, Position, Problem

PathKey = tuple[str | int, ...]

#: "fast": rapidyaml for plain documents, ruamel for the rest; "ruamel": the reference only.
BACKENDS = ("fast", "ruamel")

_CORE = "tag:yaml.org,2002:"
# "value" and "merge" are what YAML 1.1 made of a plain "=" and "<<": read as strings.
_SCALAR_TAGS = {
    f"{_CORE}{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")
}


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from costing unbounded time or memory."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_alias_expansions: int = 1000
    max_nodes: int = 20_000_000
    #: Longest name, id, key or text, in characters: a text is printed with every finding
    #: about its element, so its length bounds how much output a small input can cause.
    max_text: int = 10_000


@dataclass
class ParsedDocument:
    """A parsed file: its data and where each path into it starts."""

    file: str
    data: Any
    positions: Mapping[PathKey, Position] = field(default_factory=dict)

    def position(self, path: PathKey) -> Position:
        """The position of ``path``, or of its closest located ancestor."""
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Position(1, 1))


def read_text(path: str, display: str, limits: Limits) -> str:
    """Read a regular file as UTF-8 text (a BOM is allowed), refusing oversized or binary
    files and anything that is not a regular file (model/discovery.py opens it)."""
    return decode_text(read_regular(path, display, limits.max_file_bytes), display)


def decode_text(raw: bytes, display: str) -> str:
    """Bytes of a map or policy file as text: UTF-8 (a BOM is allowed), no binary data."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        column = len(raw[raw.rfind(b"\n", 0, nul) + 1 : nul].decode("utf-8", "replace")) + 1
        raise InputError([Problem(display, line, column, "file contains binary data (NUL byte)")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(display, line, column, "file is not valid UTF-8 text")]) from None
    control = (_NOT_PRINTABLE_ASCII if text.isascii() else _NOT_PRINTABLE).search(text)
    if control is not None:
        line, column = _line_col(text, control.start())
        raise InputError(
            [
                Problem(
                    display,
                    line,
                    column,
                    f"file contains the control character U+{ord(control.group()):04X}, "
                    "which YAML does not allow",
                )
            ]
        )
    return text


# YAML's printable set (1.2, 5.1), the same the reference reader enforces.
_NOT_PRINTABLE_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def default_backend() -> str:
    """The backend in use: FLOWAUDIT_YAML_BACKEND if set to a known one, else "fast"."""
    chosen = os.environ.get("FLOWAUDIT_YAML_BACKEND", "fast")
    return chosen if chosen in BACKENDS else "fast"


def parse_text(
    text: str, display: str, limits: Limits | None = None, backend: str | None = None
) -> ParsedDocument:
    """Parse YAML 1.2 (JSON included) into plain data and positions, or raise InputError."""
    limits = limits or Limits()
    if (backend or default_backend()) == "fast":
        parsed = fastyaml.parse_fast(text, resolve_plain, limits.max_depth, limits.max_nodes)
        if parsed is not None:
            return ParsedDocument(display, parsed[0], parsed[1])
    return parse_reference(text, display, limits)


def parse_reference(text: str, display: str, limits: Limits) -> ParsedDocument:
    """The reference backend: ruamel.yaml composes, our walker builds data and positions."""
    deep = _too_deep(text, limits.max_depth)
    if deep is not None:
        raise InputError(
            [
                Problem(
                    display,
                    *deep,
                    f"nesting is too deep (limit {limits.max_depth} levels; "
                    "raise it with --max-depth)",
                )
            ]
        )
    # "safe", not round-trip: comments are not kept, and ruamel's round-trip comment
    # handling fails on valid input ("a: #\n  b\n\n": NotImplementedError).
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReusedAnchorWarning)  # valid YAML: last one wins
            root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        start = exc.context_mark
        if exc.context and start is not None and start.line + 1 < line:
            # "expected ']', but got '<stream end>'" points past the fault: say where it began
            message += f" (it began at line {start.line + 1}, column {start.column + 1})"
        raise InputError(
            [Problem(display, line, column, f"YAML syntax error: {message}")]
        ) from None
    except YAMLError as exc:
        raise InputError([Problem(display, 1, 1, f"YAML error: {exc}")]) from None
    except RecursionError:
        line, column = _too_deep(text, 0) or (1, 1)
        raise InputError(
            [
                Problem(
                    display,
                    line,
                    column,
                    f"nesting is too deep (limit {limits.max_depth} levels; "
                    "raise it with --max-depth)",
                )
            ]
        ) from None
    except Exception as exc:  # a fault inside the YAML library is still this file's problem
        raise InputError(
            [Problem(display, 1, 1, f"YAML error: the YAML reader failed on this file ({exc!r})")]
        ) from None
    positions: dict[PathKey, Position] = {}
    document = ParsedDocument(display, None, positions)
    if root is None:
        return document
    walker = _Walker(display, limits, positions)
    document.data = walker.walk(root, (), 0)
    if walker.problems:
        raise InputError(walker.problems)
    return document


def parse_file(
    path: str, display: str, limits: Limits | None = None, backend: str | None = None
) -> ParsedDocument:
    """Read and parse one map or policy file."""
    limits = limits or Limits()
    return parse_text(read_text(path, display, limits), display, limits, backend)


# Flow brackets outside quoted strings and comments (an approximation, good for a bound).
_FLOW_TOKENS = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|#[^\n]*|[\[\]{}]""")
#: The scan below only decides when nesting is this far past the limit; closer to it, the
#: reference parses and its walker reports the exact node.
_DEPTH_MARGIN = 8


def _too_deep(text: str, max_depth: int) -> tuple[int, int] | None:
    """Where nesting clearly passes the limit, found without parsing, or None.

    ruamel.yaml's scanner is quadratic and its composer recursive in the nesting depth
    (10,000 levels take seconds, then overflow the stack), so hostile nesting is refused
    before it is parsed: flow brackets are counted outside strings and comments, block
    nesting by the stack of indentations and list dashes."""
    bound = max_depth + _DEPTH_MARGIN
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            if not _opens_flow(text, match.start(), depth):
                continue  # a bracket inside a plain block scalar (`name: a[b`) is text
            depth += 1
            if depth > bound:
                return _line_col(text, match.start())
        elif token in "]}":
            depth = max(depth - 1, 0)
    indents: list[int] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            indent = len(line) - len(stripped)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            dashes = len(re.match(r"(?:- +)*", stripped).group().split("-")) - 1  # type: ignore[union-attr]
            if len(indents) + dashes > bound:
                return _line_col(text, offset + indent)
        offset += len(line) + 1
    return None


def _opens_flow(text: str, index: int, depth: int) -> bool:
    """Whether the bracket at ``index`` can start a flow collection: first on its line, or
    after an indicator (``: - ? ,`` in block context; ``[ { , :`` inside a flow)."""
    before = index - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    if before < 0 or text[before] in "\r\n":
        return True
    return text[before] in (":-?," if depth == 0 else "[{,:")


def _line_col(text: str, index: int) -> tuple[int, int]:

    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Walker:
    """Turns a composed node tree into data, collecting every problem on the way."""

    def __init__(self, display: str, limits: Limits, positions: dict[PathKey, Position]) -> None:
        self.display = display
        self.limits = limits
        self.positions = positions
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias_expansions = 0
        self.nodes = 0

    def _problem(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.display, mark.line + 1, mark.column + 1, message))

    def walk(self, node: Node, path: PathKey, depth: int) -> Any:
        self.nodes += 1
        if depth > self.limits.max_depth:
            self._problem(
                node,
                f"nesting is too deep (limit {self.limits.max_depth} levels; "
                "raise it with --max-depth)",
            )
            return None
        if self.nodes > self.limits.max_nodes:
            if self.nodes == self.limits.max_nodes + 1:
                self._problem(node, f"document has more than {self.limits.max_nodes:,} nodes")
            return None
        if not isinstance(node, ScalarNode):
            if id(node) in self.seen:
                self.alias_expansions += 1
                if self.alias_expansions > self.limits.max_alias_expansions:
                    if self.alias_expansions == self.limits.max_alias_expansions + 1:
                        self._problem(
                            node,
                            f"more than {self.limits.max_alias_expansions} alias expansions "
                            "(a 'billion laughs' document?; raise the limit with "
                            "--max-aliases)",
                        )
                    return None
            self.seen.add(id(node))
        tag = str(node.tag)
        if isinstance(node, MappingNode):
            if tag != f"{_CORE}map":
                self._problem(node, f"tag {_short(tag)} is not allowed: only plain data is read")
                return None
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if tag != f"{_CORE}seq":
                self._problem(node, f"tag {_short(tag)} is not allowed: only plain data is read")
                return None
            items = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                mark = item.start_mark
                self.positions[item_path] = Position(mark.line + 1, mark.column + 1)
                items.append(self.walk(item, item_path, depth + 1))
            return items
        if tag not in _SCALAR_TAGS:
            self._problem(node, f"tag {_short(tag)} is not allowed: only plain data is read")
            return None
        value = str(node.value)
        if getattr(node, "style", None) == ">":  # rt mode marks fold points with BEL
            value = value.replace("\a", "")
        if _SURROGATE.search(value):  # JSON-style "\ud83d\ude00" escapes: one character
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            if "\ufffd" in value:
                self._problem(node, "string has an unpaired surrogate escape (\\uD800-\\uDFFF)")
                return None
        return _scalar(tag, value)

    def _mapping(self, node: MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, "a mapping key must be a plain scalar")
                continue
            key = str(key_node.value)
            mark = key_node.start_mark
            if key in first_seen:
                self._problem(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first_seen[key]}); "
                    "YAML keeps only one of them",
                )
                continue
            first_seen[key] = mark.line + 1
            key_path = (*path, key)
            self.positions[key_path] = Position(mark.line + 1, mark.column + 1)
            result[key] = self.walk(value_node, key_path, depth + 1)
        return result


_SURROGATE = re.compile("[\ud800-\udfff]")


def _short(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


# The reference composer's own implicit resolvers for YAML 1.2, by first character: the
# fast backend types plain scalars with exactly these, in the same order.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    key: list(resolvers)
    for key, resolvers in VersionedResolver(version=(1, 2)).versioned_resolver.items()
    if key is not None
}


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar typed exactly as the reference composer tags it."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            if tag not in _SCALAR_TAGS:
                raise ValueError(f"plain scalar {value!r} resolves to {tag}")
            return _scalar(str(tag), value)
    return value


def _scalar(tag: str, value: str) -> Any:
    """Plain values under the YAML 1.2 core schema; timestamps stay strings for pydantic.

    A value the resolver calls a number but Python cannot read stays the string it was, for
    the schema to judge: reading a file never fails on a number."""
    kind = tag[len(_CORE) :]
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    try:
        if kind == "int":
            return _integer(value)
        if kind == "float":
            return _float(value)
    except ValueError:
        return value
    return value


def _integer(value: str) -> int:
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in "+-" else text
    bases = {"0x": 16, "0o": 8, "0b": 2}
    if body[:2] in bases:
        return sign * int(body[2:], bases[body[:2]])
    return sign * int(body)


def _float(value: str) -> float:
    lowered = value.lower()
    if lowered in (".inf", "+.inf"):
        return float("inf")
    if lowered == "-.inf":
        return float("-inf")
    if lowered == ".nan":
        return float("nan")
    return float(value.replace("_", ""))
