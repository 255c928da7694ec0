"""The fast path for plain documents: rapidyaml (C++) parses, a tight walk builds the data.

ruamel.yaml (pure Python) is the reference: correct and exact, but about 1 MB/s. This path
reads the same documents about ten times faster and gives the same data and the same
positions. It only *vouches* for plain documents: whenever a file holds anything it does not
model exactly (a syntax error, tags, anchors or aliases, duplicate or complex keys, exotic
line breaks or control characters, a block scalar or an empty item inside a list, more
nesting or nodes than the limits allow), :func:`parse_fast` returns None and the caller uses
the reference, which then reports every problem with its wording and location. So the fast
path can only make a run quicker, never change what it says; a differential test and the
fuzz target hold the two backends to that.

Positions: rapidyaml's Python API gives every key and scalar as a memoryview into the source
buffer but no offset. The offset is the view's buffer address minus the buffer's; CPython
keeps that address at a fixed place in the memoryview object, found by a probe at import
and checked again on every key (its text must be at that offset), so a wrong offset can
only make the path decline, never report a wrong line.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from itertools import accumulate
from typing import Any

from flowaudit.model.problems import Position

try:  # pragma: no branch - rapidyaml is a dependency; without it the reference still works
    import ryml
    from ryml import _ryml
except ImportError:  # pragma: no cover
    ryml = None

PathKey = tuple[str | int, ...]


def _probe_view_address_offset() -> int | None:
    """Where CPython keeps a memoryview's buffer address inside the object, or None."""
    probe = bytearray(b"0123456789abcdef")
    address = ctypes.addressof(ctypes.c_char.from_buffer(probe))
    view = memoryview(probe)[5:]
    for offset in range(16, 200, 8):
        if ctypes.c_void_p.from_address(id(view) + offset).value == address + 5:
            view2 = memoryview(probe)[9:]
            if ctypes.c_void_p.from_address(id(view2) + offset).value == address + 9:
                return offset
    return None  # pragma: no cover - another Python implementation


_VIEW_OFFSET = _probe_view_address_offset() if ryml is not None else None
AVAILABLE = ryml is not None and _VIEW_OFFSET is not None

# Anything outside YAML's printable set, line breaks other than \n and \r\n (which the
# reference counts as lines too), or tabs (indentation rules differ): the reference decides.
_DECLINE_TEXT = re.compile(
    "[^\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


_PLUS_ONE = (1).__add__

_DECLINE_ASCII = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")

# Text after a closing bracket on its line that is not another closing bracket, a comma or a
# comment: rapidyaml drops it ("{a: 1} b: 2" reads as {a: 1}), the reference refuses it. A
# bracket inside a quoted or block-context plain scalar matches too; such rare documents
# merely go to the reference.
_AFTER_FLOW_END = re.compile(r"[\]}] *[^\s,\]}#]")


# YAML 1.2 lets "?x" and ":x" start a plain scalar inside flow collections; the reference
# (ruamel.yaml) refuses them there. Rare in maps: let the reference decide.
# Indicators cannot start a plain scalar at all; rapidyaml tolerates some ("a: }").
_ODD_PLAIN_START = frozenset(bytes([c]) for c in b"?:[]{},#&*!|>'\"%@` ")
# A plain scalar never starts or ends with a space: rapidyaml yields one only from a
# malformed document (a line indented one column too far after a flow item, say).
_ODD_PLAIN_END = b" "
# Nor does it hold " #", which starts a comment; rapidyaml keeps it inside a flow mapping.
_COMMENT = b" #"
# Inside a flow collection a plain scalar cannot hold a flow indicator; rapidyaml reads
# "{purpose: support}}" as the value "support}".
_FLOW_INDICATOR = re.compile(rb"[\[\]{},]").search


def _odd_plain(raw: bytes, flow: bool) -> bool:
    """Whether a plain scalar (key or value) as rapidyaml gives it is one the reference would
    read differently or refuse. Asked once per distinct scalar and context (results cached)."""
    return (
        raw[:1] in _ODD_PLAIN_START
        or raw.endswith(_ODD_PLAIN_END)
        or _COMMENT in raw
        or (flow and _FLOW_INDICATOR(raw) is not None)
    )


# "key: >-" and nothing else on the line but a comment: rapidyaml reads "key: > text" as an
# empty block scalar, the reference refuses it.
_BLOCK_HEADER = re.compile(rb" *: +[|>](?:[1-9][+-]?|[+-][1-9]?)?(?: +#[^\n]*)? *\r?(?:\n|\Z)")


def _block_header_alone(source: bytes, after_key: int) -> bool:
    """Whether a block scalar's header line holds only the indicator (and a comment)."""
    return _BLOCK_HEADER.match(source, after_key) is not None


_KEY_COLON = re.compile(rb" *:").match


def _colon_follows(source: bytes, key_end: int) -> bool:
    """Whether a flow-mapping key's ":" follows on its line: "{a\n: b}" is refused by the
    reference, read by rapidyaml. (Most keys have it right away: no regex for those.)"""
    return source.startswith(b":", key_end) or _KEY_COLON(source, key_end) is not None


class _Decline(Exception):
    """The document has something only the reference models exactly."""


class PositionTable(Mapping[PathKey, Position]):
    """Path -> position for a document read by the fast path.

    Offsets are kept per container (``id(container)`` -> {key: offset} or [offset, ...]),
    which is much cheaper to build than a tuple per key, and turned into line:col only when
    asked. The containers are the document's own data, which nothing mutates."""

    __slots__ = ("_line_starts", "_root", "_side", "_source")

    def __init__(self, root: Any, side: dict[int, Any], source: bytes) -> None:
        self._root = root
        self._side = side
        self._source = source
        self._line_starts: list[int] | None = None

    def _offset(self, path: PathKey) -> int | None:
        node, offset = self._root, None
        for part in path:
            table = self._side.get(id(node))
            if table is None:
                return None
            if isinstance(node, dict):
                offset = table.get(part) if isinstance(part, str) else None
                if offset is None:
                    return None
                node = node[part]
            else:
                if not isinstance(part, int) or not 0 <= part < len(table):
                    return None
                offset = table[part]
                node = node[part]
        return offset

    def __getitem__(self, path: PathKey) -> Position:
        offset = self._offset(path)
        if offset is None:
            raise KeyError(path)
        return self._position(offset)

    def get(self, path: PathKey, default: Any = None) -> Any:
        offset = self._offset(path)
        return default if offset is None else self._position(offset)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._offset(path) is not None

    def __iter__(self) -> Iterator[PathKey]:
        stack: list[tuple[Any, PathKey]] = [(self._root, ())]
        while stack:
            node, path = stack.pop()
            if id(node) not in self._side:
                continue
            parts = node if isinstance(node, dict) else range(len(node))
            for part in parts:
                yield (*path, part)
                stack.append((node[part], (*path, part)))

    def __len__(self) -> int:
        return sum(len(table) for table in self._side.values())

    def _position(self, offset: int) -> Position:
        starts = self._line_starts
        if starts is None:  # built once, at C speed: a map of 100,000 flows has 2M lines
            lengths = map(_PLUS_ONE, map(len, self._source.split(b"\n")))
            starts = self._line_starts = [0, *accumulate(lengths)]
        line = bisect_right(starts, offset)
        segment = self._source[starts[line - 1] : offset]
        column = len(segment) if segment.isascii() else len(segment.decode("utf-8", "replace"))
        return Position(line, column + 1)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml's C++ error handler prints to file descriptor 2 before raising; the
    reference reports the error properly, so silence that print."""
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no stderr at all
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


if AVAILABLE:
    _TYPE, _KEY, _VAL = _ryml.Tree_type, _ryml.Tree_key, _ryml.Tree_val
    _FIRST, _NEXT = _ryml.Tree_first_child, _ryml.Tree_next_sibling
    _NONE = ryml.NONE
    _MAP, _SEQ, _VALNIL = ryml.MAP, ryml.SEQ, ryml.VALNIL
    _KEY_QUOTED = ryml.KEY_SQUO | ryml.KEY_DQUO
    _VAL_QUOTED = ryml.VAL_SQUO | ryml.VAL_DQUO
    _VAL_BLOCK_SCALAR = ryml.VAL_LITERAL | ryml.VAL_FOLDED
    _VAL_STRING = _VAL_QUOTED | _VAL_BLOCK_SCALAR
    _KEY_SPECIAL = (
        ryml.KEYTAG | ryml.KEYANCH | ryml.KEYREF | ryml.KEYNIL | ryml.KEY_LITERAL | ryml.KEY_FOLDED
    )
    _VAL_SPECIAL = ryml.VALTAG | ryml.VALANCH | ryml.VALREF
    _SPECIAL = _KEY_SPECIAL | _VAL_SPECIAL
    _BLOCK = ryml.BLOCK
    _STREAM = ryml.STREAM
    _DOC = ryml.DOC


def parse_fast(
    text: str,
    resolve: Any,
    max_depth: int,
    max_nodes: int,
) -> tuple[Any, PositionTable] | None:
    """(data, positions) for a plain document, or None when the reference must decide.

    ``resolve(value) -> python value`` types a plain scalar exactly as the reference does.
    """
    if not AVAILABLE or "\t" in text or text.startswith("%") or "\n%" in text:
        return None  # tabs and directives (%YAML 1.1 changes what NO means): the reference
    if (_DECLINE_ASCII if text.isascii() else _DECLINE_TEXT).search(text):
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    if _AFTER_FLOW_END.search(text) or text.startswith("...") or "\n..." in text:
        return None  # (a document end marker: rapidyaml reads on past one at the start)
    source = text.encode("utf-8")
    if not source.strip():
        return None  # empty or blank: trivial for the reference, and positions differ
    is_json = text.lstrip().startswith(("{", "["))
    if is_json:
        # A flow-style document is vouched for only when it is JSON: rapidyaml accepts flow
        # oddities (plain scalars with quotes, missing commas) that the reference rejects.
        try:
            json.loads(text)
        except ValueError:
            return None

    buffer = bytearray(source)
    tree = ryml.Tree()
    try:
        with _quiet_stderr():
            _ryml.parse_substr(buffer, tree)
    except Exception:  # any parser complaint: the reference reports it
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small containers: no collections while building them
    try:
        return _Walk(tree, buffer, source, resolve, max_depth, max_nodes, is_json).run()
    except (_Decline, RecursionError, ValueError):  # UnicodeDecodeError is a ValueError
        return None
    finally:
        if was_enabled:
            gc.enable()


class _Walk:
    """One document: rapidyaml's tree to dicts, lists and scalars plus byte offsets.

    The loops are written flat (locals, no helper calls per node): they run once per key
    and item of maps with millions of them."""

    def __init__(
        self,
        tree: Any,
        buffer: bytearray,
        source: bytes,
        resolve: Any,
        max_depth: int,
        max_nodes: int,
        is_json: bool = False,
    ) -> None:
        self.handle = tree.this  # the raw SWIG handle: several times faster calls
        self.tree = tree
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
        self.source = source
        self.resolve = resolve
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.side: dict[int, Any] = {}
        # Plain scalars already read, per context (block or flow: what is valid differs).
        self.keys: dict[bytes, str] = {}
        self.plain: dict[bytes, Any] = {}
        self.flow_keys: dict[bytes, str] = {}
        self.flow_plain: dict[bytes, Any] = {}
        # JSON (already checked by the json module) needs no flow-syntax checks of its own.
        self.check_flow_keys = not is_json

    def run(self) -> tuple[Any, PositionTable]:
        handle = self.handle
        root = self.tree.root_id()
        kind = _TYPE(handle, root)
        if kind & _STREAM == _STREAM:
            first = _FIRST(handle, root)
            if first == _NONE or _NEXT(handle, first) != _NONE:
                raise _Decline  # no document, or several: the reference words it
            root = first
            kind = _TYPE(handle, root)
        if kind & _SPECIAL or not kind & (_MAP | _SEQ):
            raise _Decline  # a lone scalar or a tagged root: not a map file
        data = self._map(root, 0) if kind & _MAP else self._seq(root, 0)
        if self.nodes > self.max_nodes:
            raise _Decline
        return data, PositionTable(data, self.side, self.source)

    def _scalar(self, node: int, kind: int, flow: bool) -> Any:
        view = _VAL(self.handle, node)
        if view is None:
            raise _Decline
        raw = view.tobytes()
        if kind & _VAL_STRING:
            return raw.decode("utf-8")
        plain = self.flow_plain if flow else self.plain
        value = plain.get(raw, plain)
        if value is plain:
            if _odd_plain(raw, flow):
                raise _Decline
            value = self.resolve(raw.decode("utf-8"))
            if len(raw) < 40:
                plain[raw] = value
        return value

    def _map(self, node: int, depth: int) -> dict[str, Any]:
        if depth > self.max_depth:
            raise _Decline  # the reference reports the limit, located
        handle, source, resolve, base = self.handle, self.source, self.resolve, self.base
        flow = not _TYPE(handle, node) & _BLOCK
        check_key_end = flow and self.check_flow_keys
        keys = self.flow_keys if flow else self.keys
        plain = self.flow_plain if flow else self.plain
        read = ctypes.c_void_p.from_address
        view_offset = _VIEW_OFFSET or 0
        deeper = depth + 1
        scalar_too_deep = deeper > self.max_depth
        result: dict[str, Any] = {}
        offsets: dict[str, int] = {}
        self.side[id(result)] = offsets
        count = 1
        child = _FIRST(handle, node)
        while child != _NONE:
            kind = _TYPE(handle, child)
            if kind & _SPECIAL:
                raise _Decline
            key_view = _KEY(handle, child)
            if key_view is None:
                raise _Decline
            raw = key_view.tobytes()
            if kind & _KEY_QUOTED:
                key = raw.decode("utf-8")  # never cached: a quoted key may hold anything
            else:
                key = keys.get(raw)
                if key is None:
                    if _odd_plain(raw, flow):
                        raise _Decline
                    key = keys[raw] = raw.decode("utf-8")
            if key in result:
                raise _Decline  # duplicate key: the reference reports every one, located
            offset = int(read(id(key_view) + view_offset).value or 0) - base
            if kind & _KEY_QUOTED:
                offset -= 1
                if not 0 <= offset < len(source) or source[offset] not in b"'\"":
                    raise _Decline
                if check_key_end and not _colon_follows(
                    source, source.find(source[offset : offset + 1], offset + 1) + 1
                ):
                    raise _Decline
            elif (
                not raw
                or not source.startswith(raw, offset)
                or (check_key_end and not _colon_follows(source, offset + len(raw)))
            ):
                raise _Decline
            offsets[key] = offset
            if kind & _MAP:
                result[key] = self._map(child, deeper)
            elif kind & _SEQ:
                result[key] = self._seq(child, deeper)
            else:
                count += 1
                if scalar_too_deep:
                    raise _Decline
                if kind & _VAL_BLOCK_SCALAR and (
                    kind & _KEY_QUOTED or not _block_header_alone(source, offset + len(raw))
                ):
                    raise _Decline
                view = _VAL(handle, child)
                if view is None:
                    raise _Decline
                raw = view.tobytes()
                if kind & _VAL_BLOCK_SCALAR and raw[:1] == b"\n":
                    raise _Decline  # leading blank lines: the reference has rules of its own
                if kind & _VAL_STRING:
                    result[key] = raw.decode("utf-8")
                else:
                    value = plain.get(raw, plain)
                    if value is plain:
                        if _odd_plain(raw, flow):
                            raise _Decline
                        value = resolve(raw.decode("utf-8"))
                        if len(raw) < 40:
                            plain[raw] = value
                    result[key] = value
            child = _NEXT(handle, child)
        self.nodes += count
        return result

    def _seq(self, node: int, depth: int) -> list[Any]:
        if depth > self.max_depth:
            raise _Decline
        handle, source = self.handle, self.source
        base = self.base
        flow = not _TYPE(handle, node) & _BLOCK
        read = ctypes.c_void_p.from_address
        view_offset = _VIEW_OFFSET or 0
        deeper = depth + 1
        scalar_too_deep = deeper > self.max_depth
        items: list[Any] = []
        offsets: list[int] = []
        self.side[id(items)] = offsets
        count = 1
        child = _FIRST(handle, node)
        while child != _NONE:
            kind = _TYPE(handle, child)
            if kind & (_SPECIAL | _SEQ | _VAL_BLOCK_SCALAR | _VALNIL):
                raise _Decline  # nested lists, block scalars and empty items: rare here
            if kind & _MAP:
                first = _FIRST(handle, child)
                if first == _NONE or _TYPE(handle, first) & _SPECIAL:
                    raise _Decline
                key_view = _KEY(handle, first)
                if key_view is None:
                    raise _Decline
                offset = int(read(id(key_view) + view_offset).value or 0) - base
                if _TYPE(handle, first) & _KEY_QUOTED:
                    offset -= 1
                if kind & _BLOCK:  # "- key: ..." starts at its first key
                    dash = source.rfind(b"-", 0, max(offset, 0))
                    if dash < 0 or source[dash + 1 : offset].strip(b" "):
                        raise _Decline
                else:  # a flow mapping starts at its brace
                    brace = source.rfind(b"{", 0, max(offset, 0))
                    if brace < 0 or source[brace + 1 : offset].strip():
                        raise _Decline
                    offset = brace
                offsets.append(offset)
                items.append(self._map(child, deeper))
            else:
                count += 1
                if scalar_too_deep:
                    raise _Decline
                view = _VAL(handle, child)
                if view is None:
                    raise _Decline
                raw = view.tobytes()
                offset = int(read(id(view) + view_offset).value or 0) - base
                if kind & _VAL_QUOTED:
                    offset -= 1
                    if not 0 <= offset < len(source) or source[offset] not in b"'\"":
                        raise _Decline
                elif not raw or not source.startswith(raw, offset):
                    raise _Decline
                offsets.append(offset)
                items.append(self._scalar(child, kind, flow))
            child = _NEXT(handle, child)
        self.nodes += count
        return items
