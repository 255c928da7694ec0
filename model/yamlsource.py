"""Safe YAML/JSON parsing into plain data plus a table of positions.

The document is *composed* (never constructed) by ruamel.yaml under YAML 1.2, so no tag can
build an object and ``NO`` stays the string "NO". Our own walk turns the node tree into
dicts, lists and scalars, records where every key and item starts, reports duplicate keys
and unknown tags, and bounds alias expansion and nesting depth.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flowaudit.model.problems import InputError, Position, Problem

PathKey = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from costing unbounded time or memory."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_alias_expansions: int = 1000
    max_nodes: int = 20_000_000


@dataclass
class ParsedDocument:
    """A parsed file: its data and where each path into it starts."""

    file: str
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)

    def position(self, path: PathKey) -> Position:
        """The position of ``path``, or of its closest located ancestor."""
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), Position(1, 1))


def read_text(path: str, display: str, limits: Limits) -> str:
    """Read a file as UTF-8 text (a BOM is allowed), refusing oversized or binary files."""
    size = os.path.getsize(path)
    if size > limits.max_file_bytes:
        raise InputError(
            [
                Problem(
                    display,
                    1,
                    1,
                    f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
                    "(raise it with --max-file-size)",
                )
            ]
        )
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(display, line, column, "file is not valid UTF-8 text")]) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise InputError([Problem(display, line, column, "file contains binary data (NUL byte)")])
    return text


def parse_text(text: str, display: str, limits: Limits | None = None) -> ParsedDocument:
    """Parse YAML 1.2 (JSON included) into plain data and positions, or raise InputError."""
    limits = limits or Limits()
    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 2)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise InputError(
            [Problem(display, line, column, f"YAML syntax error: {message}")]
        ) from None
    except YAMLError as exc:
        raise InputError([Problem(display, 1, 1, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(display, 1, 1, f"nesting is too deep (limit {limits.max_depth} levels)")]
        ) from None
    document = ParsedDocument(display, None)
    if root is None:
        return document
    walker = _Walker(display, limits, document.positions)
    document.data = walker.walk(root, (), 0)
    if walker.problems:
        raise InputError(walker.problems)
    return document


def parse_file(path: str, display: str, limits: Limits | None = None) -> ParsedDocument:
    """Read and parse one map or policy file."""
    limits = limits or Limits()
    return parse_text(read_text(path, display, limits), display, limits)


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
            self._problem(node, f"nesting is too deep (limit {self.limits.max_depth} levels)")
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
                            "(a 'billion laughs' document?)",
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
        value = node.value
        if isinstance(node, ScalarNode) and node.style == ">":
            # ruamel's round-trip composer marks each fold of a folded scalar with a BEL
            value = value.replace("\a", "")
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


def _short(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _scalar(tag: str, value: str) -> Any:
    """Plain values under the YAML 1.2 core schema; timestamps stay strings for pydantic."""
    kind = tag[len(_CORE) :]
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        text = value.replace("_", "")
        if text.startswith(("0o", "0x")):
            return int(text, 0)
        return int(text)
    if kind == "float":
        lowered = value.lower()
        if lowered in (".inf", "+.inf"):
            return float("inf")
        if lowered == "-.inf":
            return float("-inf")
        if lowered == ".nan":
            return float("nan")
        return float(value)
    return value
