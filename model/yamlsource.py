"""Safe YAML/JSON parsing into plain data plus a table of positions.

One reader: libyaml's C parser (through PyYAML) produces *events*, never objects, and our
walk turns them into dicts, lists and scalars. No tag can build an object: plain scalars are
typed by the YAML 1.2 core schema here (``NO`` stays the string "NO"), and the walk refuses
duplicate keys, complex keys, unknown tags and recursive aliases, and bounds alias expansion,
nesting depth and node count. Every refusal is a located Problem, never a traceback.

JSON files are read by the json module; their positions are found by scanning the text along
a path only when a problem or finding must be located. YAML positions are kept as character
offsets and turned into line and column only when asked for.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, count, islice, repeat
from json.scanner import make_scanner
from operator import add, indexOf
from typing import Any, NamedTuple, TypeAlias

from yaml import CSafeDumper, MarkedYAMLError, SafeDumper, YAMLError
from yaml import dump as yaml_dump
from yaml._yaml import CParser
from yaml.events import (
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.representer import SafeRepresenter

from flowaudit.model.discovery import read_regular
from flowaudit.model.problems import InputError, Position, Problem

PathKey = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
#: Tags a scalar may carry: the core schema's, plus what YAML 1.1 made of a plain "=", "<<"
#: and dates (read as strings). "!" is the non-specific tag: a quoted-like string.
_SCALAR_TAGS = frozenset(
    f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "value")
) | {f"{_CORE}merge", "!"}
_MAPPING_TAGS = frozenset({f"{_CORE}map", "!"})
_SEQUENCE_TAGS = frozenset({f"{_CORE}seq", "!"})


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


Offsets: TypeAlias = "array[int]"  # int64: 8 bytes an entry, no int objects
Located = tuple[Any, dict[int, Offsets]]
"""Data as read by the YAML reader, and for each of its collections (by id) the offset of
each key or item in order: enough to find any path's position later."""


class ParsedDocument:
    """A parsed file: its data and where each path into it starts.

    Where things are is kept as cheaply as the walk can: per collection, the character offset
    of each key or item. A path becomes a line and column only when a problem or finding must
    be located; for JSON only the collections on that path are scanned (``_JsonLocator``)."""

    def __init__(
        self,
        file: str,
        data: Any,
        located: Located | None = None,
        text: str = "",
        limits: Limits | None = None,
    ) -> None:
        self.file = file
        self.data = data
        self._located = located
        self._text = text
        self._limits = limits
        #: line starts, or (LF-only text) the line at the start of each block of text
        self._line_starts: Offsets | None = None
        self._lf_only = False
        self._key_index: dict[int, dict[str, int]] = {}
        #: elements' paths walked: the node reached, its offset, whether all of it was there
        self._bases: dict[PathKey, tuple[Any, int | None, bool]] = {}
        #: by a key of the root mapping: its list's items and their offsets (``_element``)
        self._lists: dict[Any, tuple[list[Any], Offsets]] = {}
        self._json_locator: _JsonLocator | None = None
        #: The length of the longest key or text (None: not measured), so that a map's
        #: text limit needs no second walk of the data when nothing comes near it.
        self.longest_text: int | None = None
        #: JSON: the first keys of objects nested in elements (None: not known)
        self.nested_first_keys: set[str] | None = None

    def may_hold(self, needle: str) -> bool:
        """Whether a string of the document may hold ``needle``: False only where its text is
        known and holds neither the needle nor an escape (a backslash) that could write it."""
        return not self._text or needle in self._text or "\\" in self._text

    def _table(self) -> Located:
        if self._located is None:  # JSON: every collection located, for the positions table
            self._located = self.data, self._json().table(self.data)
        return self._located

    def _json(self) -> _JsonLocator:
        if self._json_locator is None:
            self._json_locator = _JsonLocator(self._text, self.data, self.nested_first_keys)
        return self._json_locator

    def _line_column(self, offset: int) -> tuple[int, int]:
        text = self._text
        if self._line_starts is None:
            # LF only: the line at the start of each 1 kB block, so a position costs counting
            # the breaks in one block (in C), not a table of every line's start (0.55 s at
            # 100k flows, whatever few positions are asked for)
            self._lf_only = "\r" not in text
            self._line_starts = _block_lines(text) if self._lf_only else line_starts(text)
        if self._lf_only:
            block = offset >> _LINE_BLOCK_BITS
            line = self._line_starts[block] + text.count("\n", block << _LINE_BLOCK_BITS, offset)
            return line, offset - text.rfind("\n", 0, offset)
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _offset(self, path: PathKey) -> int | None:
        """The offset of ``path``, or of its closest located ancestor (None: the root)."""
        if self._located is None:  # JSON: only the collections on the path are scanned
            return self._json().offset(path)
        return self._walk(self._located[0], None, path)[1]

    def _walk(self, node: Any, found: int | None, path: PathKey) -> tuple[Any, int | None, bool]:
        """From ``node`` (at offset ``found``) down ``path``: the node reached, its offset (or
        its closest located ancestor's) and whether the whole path was there."""
        children = self._table()[1]
        for part in path:
            offsets = children.get(id(node))
            if offsets is None:
                return node, found, False
            if isinstance(node, dict):
                if part not in node:
                    return node, found, False
                index = self._index_of(node, part)
                node = node[part]
            elif isinstance(node, list) and type(part) is int and 0 <= part < len(node):
                index = part
                node = node[part]
            else:
                return node, found, False
            if index >= len(offsets):  # pragma: no cover - every key and item is recorded
                return node, found, False
            found = offsets[index]
        return node, found, True

    def line_column_under(self, base: PathKey, fields: PathKey) -> tuple[int, int]:
        """``line_column((*base, *fields))``, the walk down to ``base`` (an element) taken
        once for all of its fields: most findings name a field of an element."""
        if self._located is None:  # JSON: the locator, asked directly (a finding's step)
            offset = (self._json_locator or self._json()).offset(
                (*base, *fields) if fields else base
            )
            return (1, 1) if offset is None else self._line_column(offset)
        walked = self._element(base) if len(base) == 2 else None
        if not fields:
            if walked is None:
                return self.line_column(base)
            found = walked[1]
            return (1, 1) if found is None else self._line_column(found)
        if walked is None:
            walked = self._bases.get(base)
            if walked is None:
                walked = self._bases[base] = self._walk(self._located[0], None, base)
        node, found, whole = walked
        if whole:
            # _walk's steps inlined, a mapping's key found by indexOf (in C, no list of its
            # keys): this runs for nearly every finding, 166,000 on the 100k-flow hub map
            children = self._located[1]
            for part in fields:
                offsets = children.get(id(node))
                if offsets is None:
                    break
                if type(node) is dict:
                    if part not in node:
                        break
                    index = indexOf(node, part) if len(node) <= 16 else self._index_of(node, part)
                    node = node[part]
                elif type(node) is list and type(part) is int and 0 <= part < len(node):
                    index = part
                    node = node[part]
                else:
                    break
                if index >= len(offsets):  # pragma: no cover - every key and item is recorded
                    break
                found = offsets[index]
        return (1, 1) if found is None else self._line_column(found)

    def _element(self, base: PathKey) -> tuple[Any, int | None, bool] | None:
        """``_walk`` to an item of a root collection's list (``("flows", 12)``), read from
        that list's items and offsets, found once per list: one step for each of the 100,000
        findings located on a flow (None: not such a path, ask the walk)."""
        collection, index = base
        listed = self._lists.get(collection)
        if listed is None:
            listed = self._lists[collection] = self._root_list(collection)
        items, offsets = listed
        if type(index) is not int or not 0 <= index < len(items):
            return None
        return items[index], offsets[index], True

    def _root_list(self, key: Any) -> tuple[list[Any], Offsets]:
        """The list under ``key`` of the root mapping and its items' offsets (none: not such
        a list, or not located item by item)."""
        assert self._located is not None
        node, _, whole = self._walk(self._located[0], None, (key,))
        offsets = self._located[1].get(id(node))
        if not whole or type(node) is not list or offsets is None or len(offsets) != len(node):
            return [], array("q")
        return node, offsets

    def _index_of(self, mapping: dict[str, Any], key: Any) -> int:
        if len(mapping) <= 16:
            return indexOf(mapping, key)
        index = self._key_index.get(id(mapping))
        if index is None:
            index = self._key_index[id(mapping)] = {k: i for i, k in enumerate(mapping)}
        return index[key]

    @property
    def positions(self) -> Mapping[PathKey, Position]:
        """Every located path and its position (built on request: for tests and tools)."""
        node, children = self._table()
        table: dict[PathKey, Position] = {}
        stack: list[tuple[Any, PathKey]] = [(node, ())]
        while stack:
            node, path = stack.pop()
            offsets = children.get(id(node))
            if offsets is None:
                continue
            parts: Any = node if isinstance(node, dict) else range(len(node))
            items = node.values() if isinstance(node, dict) else node
            for part, child, offset in zip(parts, items, offsets, strict=False):
                table[(*path, part)] = Position(*self._line_column(offset))
                stack.append((child, (*path, part)))
        return table

    def position(self, path: PathKey) -> Position:
        """The position of ``path``, or of its closest located ancestor."""
        return Position(*self.line_column(path))

    def line_column(self, path: PathKey) -> tuple[int, int]:
        """``position`` as a pair: findings are located by the ten thousand."""
        offset = self._offset(path)
        return (1, 1) if offset is None else self._line_column(offset)


def line_starts(text: str) -> Offsets:
    """The offset where each line starts; YAML 1.2 breaks lines at LF, CRLF and a lone CR."""
    starts = array("q", [0])
    if "\r" in text:
        starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        return starts
    # Only LF: each line's start from the lengths of the lines before it, in C (a Python
    # step per line costs a second on a 2-million-line map), a slice at a time so the lines'
    # copies never all exist at once.
    for begin in range(0, len(text), _LINE_CHUNK):
        lines = text[begin : begin + _LINE_CHUNK].split("\n")
        del lines[-1]  # the text after the chunk's last LF: not a line start in this chunk
        starts.extend(map(add, accumulate(map(len, lines)), count(begin + 1)))
    return starts


_LINE_CHUNK = 1 << 20
_LINE_BLOCK_BITS = 10
_LINE_BLOCK = 1 << _LINE_BLOCK_BITS


def _block_lines(text: str) -> Offsets:
    """For an LF-only text, the line number at the start of each block of ``_LINE_BLOCK``
    characters (the breaks counted in C, a block at a time)."""
    starts = range(0, len(text), _LINE_BLOCK)
    ends = range(_LINE_BLOCK, len(text) + _LINE_BLOCK, _LINE_BLOCK)
    return array("q", accumulate(map(text.count, repeat("\n"), starts, ends), initial=1))


class _JsonLocator:
    """Offsets of the keys and items of a JSON text, found by scanning it along a path.

    Only the collections on a located path are scanned, each only as far as the key or item
    asked for, and what was scanned is remembered; the values passed over are skipped by the
    json module's own scanner (in C), so locating a finding never reads the whole text again
    as YAML. Offsets are those the YAML reader gives the same text: a key's opening quote, an
    item's first character."""

    def __init__(
        self, text: str, data: Any = None, nested_first_keys: set[str] | None = None
    ) -> None:
        self.text = text
        #: the first keys of objects nested in elements, as the json module read them
        self.nested_first_keys = nested_first_keys
        #: the json module's reading of the text (None: not given), to find a key directly
        self.data = data
        # the json module's C scanner (typeshed types its argument as the scanner itself)
        self.scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
        #: by a collection's offset: the members scanned so far (a key's (key offset, value
        #: offset), or an item's offset) and where scanning goes on (-1: at the end)
        self.members: dict[int, _Scanned] = {}
        #: by a path of at most two parts: what ``_walk`` found along it
        self.heads: dict[PathKey, tuple[int | None, int, Any, bool]] = {}
        #: by an item's offset in an indexed list: where the next item starts
        self.bounds: dict[int, int] = {}
        #: by a root key: its indexed list's item offsets and items (most findings are on
        #: an element of one, located from these with no walk)
        self.lists: dict[str | int, tuple[Offsets, list[Any]]] = {}
        self._plain_text: bool | None = None  # whether the text has no \\u escape

    def _scanned(self, start: int) -> _Scanned | None:
        scanned = self.members.get(start)
        if scanned is None:
            opening = self.text[start : start + 1]
            if opening == "{":
                scanned = _Scanned({}, None)
            elif opening == "[":
                scanned = _Scanned(None, array("q"))
            else:
                return None
            first = _JSON_SPACE.match(self.text, start + 1).end()  # type: ignore[union-attr]
            if self.text[first : first + 1] in ("}", "]"):  # empty
                scanned.end = first + 1
            else:
                scanned.next = first
            self.members[start] = scanned
        return scanned

    def _scan_on(self, scanned: _Scanned, until: str | int | None) -> None:
        """Scan a collection's members on, up to the key (or item index) ``until`` (None:
        to its end). The value of the member reached is skipped only when scanning goes on
        past it: a later path may scan into it first."""
        text, scan = self.text, self.scan
        at = scanned.next
        if scanned.pending >= 0:
            at = self._past(scanned, scanned.pending)
            scanned.pending = -1
        keys, items = scanned.keys, scanned.items
        while at >= 0:
            if keys is not None:
                key_at = at
                key, at = scan(text, at)
                at = _COLON(text, at).end()  # type: ignore[union-attr]
                keys[key] = (key_at, at)
                reached = key == until
            else:
                assert items is not None
                items.append(at)
                reached = until is not None and len(items) > until  # type: ignore[operator]
            if reached:
                scanned.pending = at
                break
            at = self._past(scanned, at)
        scanned.next = at

    def _past(self, scanned: _Scanned, value: int) -> int:
        """The offset of the member after the value at ``value`` (-1: the collection ends,
        and its end is noted)."""
        inner = self.members.get(value)
        # a value scanned to its end is known; else the json module's scanner finds the end
        # (in C) faster than scanning on member by member
        end = inner.end if inner is not None and inner.end >= 0 else self.scan(self.text, value)[1]
        following = _COMMA(self.text, end)
        if following is not None:
            return following.end()
        scanned.end = _JSON_SPACE.match(self.text, end).end() + 1  # type: ignore[union-attr]
        return -1

    def offset(self, path: PathKey) -> int | None:
        """The offset of ``path``, or of its closest located ancestor (None: the root)."""
        if 2 <= len(path) <= 4:
            listed = self.lists.get(path[0])
            if listed is not None:
                if len(path) == 4:
                    at = self._in_inner_list(listed, path[1], path[2], path[3])
                else:
                    at = self._in_list(listed, path[1], path[2] if len(path) == 3 else None)
                if at is not None:
                    return at
        # where the first two parts lead (a collection's element) is remembered: findings
        # about one element are located from there
        head = path[:2]
        start = self.heads.get(head)
        if start is None:
            root = _JSON_SPACE.match(self.text).end()  # type: ignore[union-attr]
            start = self.heads[head] = self._walk(head, root, None, self.data)
            if len(head) == 2 and type(head[1]) is int and head[0] not in self.lists:
                self._note_list(root, head[0])
        found, node, value, whole = start
        if whole and len(path) > 2:
            stop = self.bounds.get(node)
            if len(path) == 3 and stop is not None and type(value) is dict:
                # one field of an element of an indexed list (most findings): its key is
                # searched for in the element's text, with nothing noted on the way
                field = path[2]
                if field not in value:  # a missing field: the element's place
                    return found
                if _flat(value):
                    at = self._search_key(node, stop, field)  # type: ignore[arg-type]
                    if at is not None:
                        return at
            found = self._walk(path[2:], node, found, value)[0]
        return found

    def _in_list(self, listed: tuple[Offsets, list[Any]], index: Any, field: Any) -> int | None:
        """``offset`` of an item of an indexed root list or (``field`` not None) of one of
        its fields, as the walk finds it (None: ask the walk): the item's place for a
        missing field, else its key searched for in the item's text, up to the next item."""
        items, values = listed
        if type(index) is not int or not 0 <= index < len(items):
            return None
        if field is None:
            return items[index]
        if index == len(items) - 1:
            return None
        value = values[index]
        if type(value) is not dict:
            return None
        if field not in value:
            return items[index]
        if not _flat(value):
            return None
        return self._search_key(items[index], items[index + 1], field)

    def _in_inner_list(
        self, listed: tuple[Offsets, list[Any]], index: Any, field: Any, position: Any
    ) -> int | None:
        """``offset`` of an item of a short list of scalars that is a field of an item of an
        indexed root list (a flow's ``categories``, 0): the field's key searched for as
        ``_in_list`` does, then the list's items skipped by the json module's scanner, as the
        walk's scan skips them, with nothing noted on the way (None: ask the walk). The walk
        made a scan record of the item and of the list for each: 18 us a finding, 23,000 of
        them on the 100k-flow hub map."""
        items, values = listed
        if type(index) is not int or not 0 <= index < len(items) - 1:
            return None
        value = values[index]
        if type(value) is not dict or type(field) is not str or type(position) is not int:
            return None
        inner = value.get(field)
        if (
            type(inner) is not list
            or not 0 <= position < len(inner) < _INDEXED_LIST
            or not _flat(value)
        ):
            return None
        match = self._key_match(items[index], items[index + 1], field)
        if match is None:
            return None
        text = self.text
        at = match.end()
        if text[at : at + 1] != "[":  # pragma: no cover - the data says it is a list
            return None
        at = _JSON_SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
        for _ in range(position):
            following = _COMMA(text, self.scan(text, at)[1])
            if following is None:  # pragma: no cover - the data says the item is there
                return None
            at = following.end()
        return at

    def _note_list(self, root: int, key: Any) -> None:
        """Remember the root list under ``key`` for ``_in_list`` once it is indexed."""
        data = self.data
        scanned = self.members.get(root)
        if type(data) is not dict or scanned is None or scanned.keys is None:
            return
        value = data.get(key)
        place = scanned.keys.get(key)
        if type(value) is not list or place is None:
            return
        listed = self.members.get(place[1])
        if listed is not None and listed.indexed and listed.items is not None:
            self.lists[key] = (listed.items, value)

    def _walk(
        self, path: PathKey, node: int, found: int | None, value: Any
    ) -> tuple[int | None, int, Any, bool]:
        """From the value at ``node`` (``value`` as the json module read it; None: unknown)
        along ``path``: the offset of the last part found, where its value starts, that
        value, and whether every part was found."""
        for part in path:
            scanned = self._scanned(node)
            if scanned is None:
                return found, node, value, False
            if scanned.keys is not None:
                if type(part) is not str:
                    break
                if part not in scanned.keys and scanned.next >= 0:
                    if type(value) is dict:  # the data says whether the key is there
                        if part not in value:  # (a finding about a missing field)
                            return found, node, value, False
                        if _flat(value):
                            self._find_key(node, scanned, part)
                    if part not in scanned.keys:
                        self._scan_on(scanned, part)
                if part not in scanned.keys:
                    return found, node, value, False
                found, node = scanned.keys[part]
                value = value.get(part) if type(value) is dict else None
            else:
                items = scanned.items
                assert items is not None
                if type(part) is not int or part < 0:
                    return found, node, value, False
                if (
                    part >= len(items)
                    and scanned.next >= 0
                    and (type(value) is not list or not self._index_items(node, scanned, value))
                ):
                    self._scan_on(scanned, part)
                items = scanned.items  # a new array if the list was indexed
                assert items is not None
                if part >= len(items):
                    return found, node, value, False
                found = node = items[part]
                if scanned.indexed and part + 1 < len(items):
                    # the item's keys are searched for up to the next item's start
                    self.bounds[node] = items[part + 1]
                value = value[part] if type(value) is list and part < len(value) else None
        return found, node, value, True

    def _index_items(self, start: int, scanned: _Scanned, items: list[Any]) -> bool:
        """Note the offset of every item of the long list at ``start`` at once, without
        scanning the items (each scan builds the item again), when the text lets a search
        find them (in C): every item an object whose first key is one plain word (``id``),
        no object inside an item opening with that key, and no ``\\u`` escape in the text
        (a key written with one would not be found). Such an object's opening ``{"id":``
        cannot be text inside a string, so the first matches from the list's start are
        its items, in order. False: the list is left to the scan."""
        if len(items) < _INDEXED_LIST or scanned.items or scanned.pending >= 0:
            return False
        first = items[0]
        if type(first) is not dict or not first:
            return False
        key = next(iter(first))
        if not _PLAIN_KEY.fullmatch(key) or not self._no_unicode_escape():
            return False
        if not self._items_open_with(items, key):
            return False
        pattern = _object_opening(key)
        offsets = array(
            "q", (match.start() for match in islice(pattern.finditer(self.text, start), len(items)))
        )
        if len(offsets) != len(items) or offsets[0] != scanned.next:
            return False  # pragma: no cover - the conditions above make these hold
        last_end = self.scan(self.text, offsets[-1])[1]
        closing = _JSON_SPACE.match(self.text, last_end).end()  # type: ignore[union-attr]
        if self.text[closing : closing + 1] != "]":  # pragma: no cover - as above
            return False
        scanned.items = offsets
        scanned.next = -1
        scanned.end = closing + 1
        scanned.indexed = True
        return True

    def _items_open_with(self, items: list[Any], key: str) -> bool:
        """Whether every item opens with ``key`` and no object inside an item does: for a
        root collection, from the first keys the read noted; else by a walk of the items."""
        root = self.data
        if (
            self.nested_first_keys is not None
            and type(root) is dict
            and any(items is collection for collection in root.values())
        ):
            return key not in self.nested_first_keys and all(
                type(item) is dict and next(iter(item), None) == key for item in items
            )
        return _opened_by(items, key)

    def _no_unicode_escape(self) -> bool:
        if self._plain_text is None:
            self._plain_text = "\\u" not in self.text
        return self._plain_text

    def _find_key(self, start: int, scanned: _Scanned, key: str) -> None:
        """Note where ``key`` of the object at ``start`` is by searching the text for it (in
        C) rather than scanning the members before it. Only for an object whose values hold
        no object (``_flat``): every key written inside it is then its own. A match is a key
        when its quote is not escaped (a closing quote cannot be followed by text); a key
        written with other escapes is not found, and is left to the scan."""
        stop = scanned.end if scanned.end >= 0 else self.bounds.get(start, -1)
        if stop < 0:
            stop = scanned.end = self.scan(self.text, start)[1]
        match = self._key_match(start, stop, key)
        if match is not None:
            scanned.keys[key] = (match.start(), match.end())  # type: ignore[index]

    def _search_key(self, start: int, stop: int, key: str) -> int | None:
        """The offset of ``key`` in the flat object written between ``start`` and ``stop``
        (None: not found by a search; see ``_find_key``)."""
        match = self._key_match(start, stop, key)
        return None if match is None else match.start()

    def _key_match(self, start: int, stop: int, key: str) -> re.Match[str] | None:
        text = self.text
        search = _key_pattern(key).search
        match = search(text, start, stop)
        while match is not None and text[match.start() - 1] == "\\":
            match = search(text, match.start() + 1, stop)
        return match

    def table(self, data: Any) -> dict[int, Offsets]:
        """The offsets of every collection of ``data`` (the json module's reading of the
        text), keyed as the YAML reader keys them: for the positions table."""
        children: dict[int, Offsets] = {}
        stack = [(data, _JSON_SPACE.match(self.text).end())]  # type: ignore[union-attr]
        while stack:
            node, start = stack.pop()
            scanned = self._scanned(start)
            if scanned is None:
                continue
            self._scan_on(scanned, None)
            if scanned.keys is not None:
                keys = scanned.keys
                children[id(node)] = array("q", (keys[key][0] for key in node))
                stack.extend(
                    (value, keys[key][1])
                    for key, value in node.items()
                    if isinstance(value, dict | list)
                )
            else:
                assert scanned.items is not None
                children[id(node)] = scanned.items
                stack.extend(
                    (value, at)
                    for value, at in zip(node, scanned.items, strict=True)
                    if isinstance(value, dict | list)
                )
        return children


def _flat(mapping: dict[str, Any]) -> bool:
    """Whether no value of a JSON object is or holds an object (a list of scalars may)."""
    for item in mapping.values():
        kind = type(item)
        if kind is dict:
            return False
        if kind is list:
            for inner in item:
                if type(inner) is dict or type(inner) is list:
                    return False
    return True


@lru_cache(maxsize=512)
def _key_pattern(key: str) -> re.Pattern[str]:
    """A key as json.dumps writes it, with the colon and space after it."""
    return re.compile(re.escape(json.dumps(key)) + r"[ \t\n\r]*:[ \t\n\r]*")


class _Scanned:
    """How far a JSON collection has been scanned: its keys or its items, and where the
    scan goes on."""

    __slots__ = ("end", "indexed", "items", "keys", "next", "pending")

    def __init__(self, keys: dict[str, tuple[int, int]] | None, items: Offsets | None) -> None:
        self.keys = keys
        self.items = items
        self.next = -1  # the next member's offset; -1: none (>= 0 with ``pending``: maybe)
        self.pending = -1  # the value of the last member scanned, not yet skipped
        self.end = -1  # past the closing bracket, once known
        self.indexed = False  # a list whose items were all found at once (_index_items)


#: Lists at least this long have their items found by a search (``_index_items``) rather
#: than scanned one by one.
_INDEXED_LIST = 64
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=64)
def _object_opening(key: str) -> re.Pattern[str]:
    """An object's opening brace and its first key, a plain word (``{"id":``)."""
    return re.compile(r'\{[ \t\n\r]*"' + key + r'"[ \t\n\r]*:')


def _opened_by(items: list[Any], key: str) -> bool:
    """Whether every item is an object whose first key is ``key`` and no object inside
    an item (at any depth) has ``key`` first: then the objects opening with ``key`` from
    the list's start are its items."""
    inner: list[Any] = []
    push = inner.append
    for item in items:
        if type(item) is not dict or next(iter(item), None) != key:
            return False
        for value in item.values():
            kind = type(value)
            if kind is dict or kind is list:
                push(value)
    while inner:
        value = inner.pop()
        if type(value) is dict:
            if next(iter(value), None) == key:
                return False
            values: Any = value.values()
        else:
            values = value
        for item in values:
            kind = type(item)
            if kind is dict or kind is list:
                push(item)
    return True


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*").match
#: between members: a comma and the space around it (no match: the collection ends)
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*").match


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_col(text: str, offset: int, starts: Offsets | None = None) -> tuple[int, int]:
    """Line and column (from 1) of ``offset``; ``starts``: the text's line starts when the
    caller locates many offsets (each call would otherwise scan the whole text again)."""
    if starts is None:
        starts = line_starts(text)
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


#: A run of digits (TOML allows '_' between them) long enough to be past Python's limit.
_DIGIT_RUN = re.compile(r"[0-9][0-9_]*")


def long_number_problem(text: str, display: str) -> Problem | None:
    """Where ``text`` holds an integer with more digits than Python converts (4,300 by
    default, CVE-2020-10735), as a located problem; None when it holds none. Called only once
    a parser's int() refused one: the search costs a scan of the text."""
    limit = sys.get_int_max_str_digits()
    for match in _DIGIT_RUN.finditer(text):
        digits = len(match.group()) - match.group().count("_")
        if limit and digits > limit:
            line, column = _line_col(text, match.start())
            return Problem(
                display,
                line,
                column,
                f"a number of {digits:,} digits: numbers may have at most {limit:,}",
            )
    return None


#: Byte-order marks of Unicode encodings other than UTF-8, longest first (UTF-32's little-endian
#: mark begins with UTF-16's), each with its name.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
#: What to do with a file that is not UTF-8.
_SAVE_AS_UTF8 = "save it as UTF-8 (in the editor's save dialog, encoding UTF-8)"


def decode_text(raw: bytes, display: str) -> str:
    """Bytes of a map or policy file as text: UTF-8 (a BOM is allowed), no binary data."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            # a text file saved in another Unicode encoding (Windows editors offer "Unicode",
            # UTF-16): said as such, with what to do, not as binary data (newcomer review s18)
            raise InputError(
                [Problem(display, 1, 1, f"file is {encoding} text, not UTF-8: {_SAVE_AS_UTF8}")]
            )
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
        raise InputError(
            [
                Problem(
                    display,
                    line,
                    column,
                    f"file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x}, as in a file "
                    f"saved as Latin-1 or Windows-1252): {_SAVE_AS_UTF8}",
                )
            ]
        ) from None
    if not raw.isascii():
        control = _NOT_PRINTABLE.search(text)
    elif raw.translate(None, _PRINTABLE_ASCII_BYTES):  # bytes left: not all printable
        control = _NOT_PRINTABLE_ASCII.search(text)
    else:  # deleting the printable bytes in C: a tenth of the search's time on a 31 MB map
        control = None
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


# YAML's printable set (1.2, 5.1).
_PRINTABLE_ASCII_BYTES = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])
_NOT_PRINTABLE_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def parse_text(text: str, display: str, limits: Limits | None = None) -> ParsedDocument:
    """Parse one YAML 1.2 document (JSON included) into data and positions, or raise
    InputError with every problem located."""
    reader = _Reader(display, text, limits or Limits(), 1)
    data = reader.run()
    document = ParsedDocument(display, data, (data, reader.children), text)
    document.longest_text = reader.longest
    return document


def parse_stream(text: str, display: str, limits: Limits | None = None) -> list[Any]:
    """Every document of a YAML stream, as data (the conformance suite reads streams)."""
    return _Reader(display, text, limits or Limits(), None).documents()


def parse_json(text: str, display: str, limits: Limits | None = None) -> ParsedDocument:
    """A JSON file through the json module; duplicate keys, NaN and nesting past the limit
    are refused, located by the YAML reader, which also finds positions when asked."""
    limits = limits or Limits()
    # A CR alone hides what follows it from a diff's reader (as in YAML), and half of a
    # UTF-16 pair is no character (no output can carry it, libraries downstream fail on it):
    # the YAML reader refuses either where it stands.
    if ("\r" in text and _LONE_CR.search(text) is not None) or (
        "\\u" in text and _LONE_SURROGATE.search(text) is not None
    ):
        return parse_text(text, display, limits)
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        at, fix = json_fix(text, exc.pos, exc.msg)
        line, column = _line_col(text, at)
        raise InputError(
            [Problem(display, line, column, f"JSON syntax error: {exc.msg}{fix}")]
        ) from None
    except (_NotPlainJSON, RecursionError):
        return parse_text(text, display, limits)  # the YAML reader says where, and why
    except ValueError:  # int() refused a number of too many digits
        problem = long_number_problem(text, display)
        if problem is None:
            raise
        raise InputError([problem]) from None
    bounds = _json_bounds(data, limits.max_depth)
    if bounds.too_deep:
        return parse_text(text, display, limits)
    document = ParsedDocument(display, data, None, text, limits)
    document.longest_text = bounds.longest
    document.nested_first_keys = bounds.nested_first_keys
    return document


#: JSON's own words for a literal that other languages (and YAML) spell otherwise.
_JSON_LITERALS = {
    "True": "true",
    "False": "false",
    "None": "null",
    "Null": "null",
    "NULL": "null",
    "TRUE": "true",
    "FALSE": "false",
    "yes": "true",
    "no": "false",
}


def json_fix(text: str, pos: int, msg: str) -> tuple[int, str]:
    """Where a JSON syntax error is to be fixed, and what to write, from the json module's
    message and position: "Expecting value" at a ']' after a comma is a trailing comma,
    to be taken out at the comma. A newcomer converting part of a YAML map to JSON by hand
    got "JSON syntax error: Expecting value" and no fix (newcomer review s21)."""
    before = len(text[:pos].rstrip())
    previous = text[before - 1] if before else ""
    here = text[pos : pos + 1]
    word = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[pos : pos + 40])
    if msg == "Expecting value" or msg.startswith("Expecting property name"):
        if previous == "," and here in ("]", "}"):
            return before - 1, (
                f": JSON allows no comma before '{here}': take out this comma (a comma "
                "separates two items, and none follows it)"
            )
        if here == "'":
            return pos, ': JSON strings and keys take double quotes ("), not single ones'
        if text.startswith(("//", "/*", "#"), pos):
            return pos, (
                ": JSON has no comments: take it out, or write the file as YAML (.yaml), "
                "whose comments start with #"
            )
        if word is not None and msg.startswith("Expecting property name"):
            return pos, f': a key is text in double quotes: write "{word.group()}"'
        if word is not None:
            literal = _JSON_LITERALS.get(word.group())
            if literal is not None:
                return pos, f": JSON writes this value {literal}, in lower case"
            return pos, (
                ': text is written in double quotes in JSON ("..."); true, false, null and '
                "numbers are not"
            )
        if not here:
            return pos, ": the file ends where a value is expected: is it cut short?"
    if msg.startswith("Expecting ',' delimiter"):
        return pos, (
            ": a comma is missing between the item before this one and this one (JSON "
            "separates the items of a list or an object with commas)"
        )
    if msg.startswith("Expecting ':' delimiter"):
        return pos, ": a key is followed by ':' and its value"
    if msg.startswith("Invalid control character"):
        return pos, (
            ": a JSON string cannot hold a line break or a tab as it is: write it as \\n or "
            "\\t, or close the string's double quote on its line"
        )
    if msg.startswith("Unterminated string"):
        return pos, ": the string that starts here has no closing double quote"
    if msg.startswith("Invalid \\escape"):
        return pos, (
            ': a backslash in a JSON string starts an escape (\\n, \\", \\u00e9): write a '
            "backslash itself as \\\\ (a Windows path C:\\\\maps)"
        )
    if msg == "Extra data":
        return pos, (
            ": a JSON file holds one value, and it ended before this: a '}' or ']' too many "
            "before here, or a second object that belongs inside the first"
        )
    return pos, ""


def parse_file(path: str, display: str, limits: Limits | None = None) -> ParsedDocument:
    """Read and parse one map or policy file: ``.json`` by the json module, else YAML."""
    limits = limits or Limits()
    return parse_bytes(read_regular(path, display, limits.max_file_bytes), path, display, limits)


def parse_bytes(raw: bytes, path: str, display: str, limits: Limits) -> ParsedDocument:
    """Parse the bytes read from a map or policy file at ``path`` (its name decides the
    format): a caller that also fingerprints the file hashes the very bytes parsed, read once."""
    text = decode_text(raw, display)
    if path.lower().endswith(".json"):
        return parse_json(text, display, limits)
    return parse_text(text, display, limits)


class _NotPlainJSON(ValueError):
    """JSON the json module would read differently from YAML (duplicates, NaN)."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _NotPlainJSON("duplicate key")
    return result


def _no_constant(name: str) -> Any:
    raise _NotPlainJSON(name)


class _JsonBounds(NamedTuple):
    """What one walk of JSON data finds out about it."""

    too_deep: bool
    longest: int
    #: the first key of every object nested in an element (three or more levels down), for
    #: ``_JsonLocator._index_items``: an object opening with a key that no such object opens
    #: with cannot be mistaken for an element of a root collection
    nested_first_keys: set[str]


def _json_bounds(data: Any, max_depth: int) -> _JsonBounds:
    """Whether JSON data nests past the limit, the length of its longest key or string (the
    loader's text limit then needs no walk of its own) and the first keys of nested objects:
    one walk, level by level."""
    longest = 0
    level = [data]
    depth = 0
    nested_first_keys: set[str] = set()
    while level:
        below: list[Any] = []
        push = below.append
        nested = depth >= _NESTED_DEPTH
        for value in level:
            if type(value) is dict:
                if value:
                    longest = max(longest, *map(len, value))
                    if nested:
                        nested_first_keys.add(next(iter(value)))
                items: Any = value.values()
            elif type(value) is list:
                items = value
            else:
                continue
            for item in items:
                kind = type(item)
                if kind is str:
                    if len(item) > longest:  # noqa: PLR1730 - a call per string costs more
                        longest = len(item)
                elif kind is dict or kind is list:
                    push(item)
        if below and depth >= max_depth:
            return _JsonBounds(True, longest, nested_first_keys)
        depth += 1
        level = below
    return _JsonBounds(False, longest, nested_first_keys)


#: The depth of objects nested in an element of a root collection (root, list, element).
_NESTED_DEPTH = 3


class _Stop(Exception):
    """A problem after which the rest of the stream is not read (limits, a second document)."""


_QMARK_BEFORE_TEXT = re.compile(r"\?[^\s?]")
_LONE_CR = re.compile(r"\r(?!\n)")
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_AFTER_ANCHOR = frozenset(" \t\r\n,[]{}")
#: libyaml refuses flow nesting past this many levels, before our walk sees it.
_LIBYAML_MAX_DEPTH = 1000

_SKIP = object()  # the value of a refused key (duplicate or complex): read, then dropped
#: Distinct scalar texts the reader remembers before it starts afresh: a map repeats a few
#: thousand texts (keys, countries, categories) millions of times; ids are seen once.
_SEEN_MAX = 1 << 16


class _Anchor:
    """What an anchor names: its value, its text as a key, and what expanding it costs."""

    __slots__ = ("expansions", "key", "nodes", "value")

    def __init__(self, value: Any, key: str | None, nodes: int, expansions: int) -> None:
        self.value = value
        self.key = key
        self.nodes = nodes
        self.expansions = expansions


class _Reader:
    """Reads libyaml's events into data and the offsets of keys and items, collecting
    problems."""

    def __init__(self, display: str, text: str, limits: Limits, max_documents: int | None):
        self.display = display
        self.text = text
        self.limits = limits
        self.max_documents = max_documents
        self.problems: list[Problem] = []
        self.children: dict[int, Offsets] = {}
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.expansions = 0
        self.restore: dict[int, str] | None = None
        self.qmark = False
        self.longest = 0  # the longest scalar's text (a key or value), for the text limit
        self.texts: dict[str, str] = {}
        self.plain: dict[str, Any] = {}
        self._starts: Offsets | None = None
        self._key_positions: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}

    def _problem(self, offset: int, message: str) -> None:
        line, column = self._line_col(offset)
        self.problems.append(Problem(self.display, line, column, message))

    def _line_col(self, offset: int) -> tuple[int, int]:
        # A file can hold thousands of problems: its line starts are found once, at the first.
        if self._starts is None:
            self._starts = line_starts(self.text)
        return _line_col(self.text, offset, self._starts)

    def run(self) -> Any:
        documents = self.documents()
        return documents[0] if documents else None

    def documents(self) -> list[Any]:
        found: list[Any] = []
        try:
            for data in self._documents():
                found.append(data)
        except _Stop:
            pass
        except MarkedYAMLError as exc:
            self.problems.append(self._syntax_problem(exc))
        except ReaderError as exc:  # a character YAML does not allow (decode_text finds most)
            line, column = self._line_col(min(max(exc.position, 0), len(self.text)))
            self.problems.append(Problem(self.display, line, column, f"YAML error: {exc.reason}"))
        except YAMLError as exc:  # pragma: no cover - libyaml reports with marks
            self.problems.append(Problem(self.display, 1, 1, f"YAML error: {exc}"))
        except RecursionError:  # pragma: no cover - the walk keeps its own stack
            self.problems.append(Problem(self.display, 1, 1, "YAML error: nesting is too deep"))
        except ValueError as exc:  # int() refused a number of too many digits (CVE-2020-10735)
            self.problems.append(
                long_number_problem(self.text, self.display)
                or Problem(
                    self.display, 1, 1, f"YAML error: the YAML reader failed on this file ({exc!r})"
                )
            )
        except Exception as exc:  # a fault inside the YAML library is still this file's problem
            self.problems.append(
                Problem(
                    self.display,
                    1,
                    1,
                    f"YAML error: the YAML reader failed on this file ({exc!r})",
                )
            )
        if self.problems:
            raise InputError(self.problems)
        return found

    def _syntax_problem(self, exc: MarkedYAMLError) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        line, column = self._line_col(mark.index) if mark is not None else (1, 1)
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own bound: 1000 levels
            limit = self.limits.max_depth
            return Problem(
                self.display,
                line,
                column,
                f"nesting is too deep (limit {limit} levels; raise it with --max-depth)"
                if limit < _LIBYAML_MAX_DEPTH
                else f"nesting is too deep (the YAML parser reads at most {_LIBYAML_MAX_DEPTH})",
            )
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        start = exc.context_mark
        if exc.context and start is not None:
            began = self._line_col(start.index)
            if began[0] < line:
                # "expected ']', but got '<stream end>'" points past the fault: where it began
                message += f" (it began at line {began[0]}, column {began[1]})"
        hint = _syntax_hint(str(exc.problem or ""), _line_above(self.text, line))
        if not hint and _char_at(self.text, line, column) == "\t":
            # libyaml says only "found character that cannot start any token" of a tab
            # indenting a key (newcomer review s9, problem 6)
            hint = (
                "; the character is a tab: YAML indents with spaces only; replace the tab "
                "with spaces"
            )
        return Problem(self.display, line, column, f"YAML syntax error: {message}{hint}")

    def _documents(self) -> Iterator[Any]:
        text = self.text
        if "\r" in text:
            lone = _LONE_CR.search(text)
            if lone is not None:
                # YAML breaks a line at a CR alone; git, diffs and code review do not, so
                # text after it would read as part of the line before, a comment included
                # (attack review 2026-12-02b, hole 8)
                self._problem(
                    lone.start(),
                    "a line break by CR alone (not CR LF): git and code review show the lines "
                    "it separates as one, so a reviewer would not see what follows it; use LF "
                    "or CR LF line breaks",
                )
                raise _Stop
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            text = self._hide_yaml11_breaks(text)
        last_line = text[max(text.rfind("\n"), text.rfind("\r")) + 1 :]
        if last_line and not last_line.strip(" \t"):
            # libyaml drops a last line of blanks without a line break from a block scalar
            text += "\n"
        self.qmark = _QMARK_BEFORE_TEXT.search(text) is not None
        parser = CParser(text)
        count = 0
        try:
            parser.get_event()  # the stream start
            while True:
                event: Any = parser.get_event()
                if type(event) is not DocumentStartEvent:
                    return  # the stream end
                count += 1
                if self.max_documents is not None and count > self.max_documents:
                    self._problem(
                        getattr(event.start_mark, "index", 0),
                        "a second YAML document starts here; a map or policy file holds one",
                    )
                    raise _Stop
                self.anchors.clear()
                yield self._document(parser)
                parser.get_event()  # the document end
        finally:
            parser.dispose()

    def _hide_yaml11_breaks(self, text: str) -> str:
        """NEL, LS and PS break lines in YAML 1.1 (libyaml) but are ordinary characters in
        YAML 1.2: libyaml reads private-use stand-ins (one character each, so offsets hold)
        and the scalars get the real characters back."""
        spare = (chr(code) for code in range(0xF8FF, 0xE000, -1) if chr(code) not in text)
        hidden = {ord(char): next(spare) for char in ("\x85", "\u2028", "\u2029")}
        self.restore = {ord(stand_in): chr(real) for real, stand_in in hidden.items()}
        return text.translate(hidden)

    def _document(self, parser: CParser) -> Any:
        """The data of one document: events until its root node closes.

        The hot loop of every load (a few million events at 100k flows): the open
        collection's state lives in locals, and offsets are read only for keys and items."""
        children = self.children
        anchors = self.anchors
        max_depth = self.limits.max_depth
        max_nodes = self.limits.max_nodes
        get_event = parser.get_event
        resolve = resolve_plain
        maybe_typed = _MAYBE_TYPED
        restore = self.restore
        qmark = self.qmark
        # The open collection (none yet), and the ones around it on the stack.
        stack: list[tuple[Any, bool, Offsets, Any, str | None, int, int, int]] = []
        container: Any = None
        is_map = False
        offsets = array("q")  # of the open collection's keys or items, in order
        key: Any = None  # in a mapping: the key whose value comes next, None before a key
        anchor: str | None = None
        start = 0
        nodes = self.nodes
        longest = self.longest
        texts = self.texts  # keys and quoted scalars seen: each text once
        texts_get = texts.get
        plain = self.plain  # plain scalars seen, and what they mean
        plain_get = plain.get
        while True:
            event: Any = get_event()  # typed Event | None; libyaml's events carry more
            kind = type(event)
            key_text: str | None
            if kind is ScalarEvent:
                nodes += 1
                text: str = event.value
                if restore is not None:
                    text = text.translate(restore)
                if event.tag is None and event.anchor is None:
                    # The common case, kept short: an untagged, unanchored scalar. A text
                    # seen before is looked up (its length was measured then, and the
                    # data shares one copy of it); a new one is measured and remembered.
                    if qmark and not event.style:
                        self._check_question_mark(event.start_mark.index)
                    if is_map and key is None:  # a key: only its text is kept
                        seen = texts_get(text)
                        if seen is None:
                            if len(text) > longest:
                                longest = self.longest = len(text)
                            if len(texts) >= _SEEN_MAX:
                                texts.clear()
                            texts[text] = text
                        else:
                            text = seen
                        if text in container:
                            self._duplicate_key(container, offsets, text, event.start_mark.index)
                            key = _SKIP
                        else:
                            key = text
                            offsets.append(event.start_mark.index)
                        continue
                    value: Any
                    if event.style:  # quoted: text
                        value = texts_get(text)
                        if value is None:
                            if len(text) > longest:
                                longest = self.longest = len(text)
                            if len(texts) >= _SEEN_MAX:
                                texts.clear()
                            value = texts[text] = text
                    else:  # plain: typed by the core schema
                        value = plain_get(text, _SKIP)
                        if value is _SKIP:
                            if len(text) > longest:
                                longest = self.longest = len(text)
                            if len(plain) >= _SEEN_MAX:
                                plain.clear()
                            value = plain[text] = (
                                resolve(text) if not text or text[0] in maybe_typed else text
                            )
                    if is_map:
                        if key is not _SKIP:
                            container[key] = value
                        key = None
                    elif container is None:
                        self.nodes = nodes
                        return value
                    else:
                        offsets.append(event.start_mark.index)
                        container.append(value)
                    continue
                if len(text) > longest:
                    longest = self.longest = len(text)
                if event.tag is None:
                    # a quoted scalar is text; so is a key (only its text is kept), unless
                    # an anchor names it for use as a value
                    if event.style or (is_map and key is None and event.anchor is None):
                        value = text
                    else:
                        value = resolve(text) if not text or text[0] in maybe_typed else text
                else:
                    value = self._tagged_scalar(event.tag, text, event.start_mark.index)
                key_text = text
                if qmark and not event.style:
                    self._check_question_mark(event.start_mark.index)
                if event.anchor is not None:
                    self._check_anchor(event.anchor, event.start_mark.index)
                    anchors[event.anchor] = _Anchor(value, text, 0, 0)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = container
                children[id(value)] = offsets
                closed_start = start
                closed_anchor = anchor
                container, is_map, offsets, key, anchor, start, nodes_at, expansions_at = (
                    stack.pop()
                )
                if closed_anchor is not None:
                    self.open_anchors.discard(closed_anchor)
                    anchors[closed_anchor] = _Anchor(
                        value, None, nodes - nodes_at, self.expansions - expansions_at
                    )
                if container is None:
                    self.nodes = nodes
                    return value
                if not is_map:
                    offsets.append(closed_start)
                    container.append(value)
                elif key is None:
                    self._problem(closed_start, "a mapping key must be a plain scalar")
                    key = _SKIP
                else:
                    if key is not _SKIP:
                        container[key] = value
                    key = None
                continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                offset = event.start_mark.index
                if nodes > max_nodes:
                    self._problem(offset, f"document has more than {max_nodes:,} nodes")
                    raise _Stop
                if len(stack) > max_depth:
                    self._problem(
                        offset,
                        f"nesting is too deep (limit {max_depth} levels; "
                        "raise it with --max-depth)",
                    )
                    raise _Stop
                opening_map = kind is MappingStartEvent
                tag = event.tag
                if tag is not None and tag not in (
                    _MAPPING_TAGS if opening_map else _SEQUENCE_TAGS
                ):
                    self._refused_tag(tag, offset)
                stack.append(
                    (container, is_map, offsets, key, anchor, start, nodes, self.expansions)
                )
                container = {} if opening_map else []
                is_map = opening_map
                offsets = array("q")
                key = None
                anchor = event.anchor
                start = offset
                if anchor is not None:
                    self._check_anchor(anchor, offset)
                    self.open_anchors.add(anchor)
                    anchors.pop(anchor, None)
                continue
            else:  # an alias
                nodes += 1
                self.nodes = nodes
                value, key_text = self._alias(event.anchor, event.start_mark.index)
                nodes = self.nodes
            # a scalar or an alias: the root, an item, a key or a value
            if container is None:
                self.nodes = nodes
                return value
            if not is_map:
                offsets.append(event.start_mark.index)
                container.append(value)
            elif key is None:  # this node is a key
                if key_text is None:
                    self._problem(event.start_mark.index, "a mapping key must be a plain scalar")
                    key = _SKIP
                elif key_text in container:
                    self._duplicate_key(container, offsets, key_text, event.start_mark.index)
                    key = _SKIP
                else:
                    key = key_text
                    offsets.append(event.start_mark.index)
            else:
                if key is not _SKIP:
                    container[key] = value
                key = None

    def _duplicate_key(
        self, mapping: dict[str, Any], offsets: Offsets, key: str, offset: int
    ) -> None:
        """Report a key the mapping already holds, with the line of its first definition
        (``offsets`` holds each kept key's offset, in the mapping's order).

        Each mapping with a duplicate gets an index of its keys' positions, extended by the
        keys added since (a dict keeps insertion order, and keys are only ever added): a
        search of the keys for each duplicate made a file of many duplicates quadratic
        (20,000 took 4 minutes)."""
        kept = self._key_positions.get(id(mapping))
        if kept is None:  # kept[0] keeps the mapping alive, so its id is never reused
            kept = self._key_positions[id(mapping)] = (mapping, {})
        positions = kept[1]
        if key not in positions:
            last = len(mapping) - 1
            added = islice(reversed(mapping), len(mapping) - len(positions))
            for back, name in enumerate(added):
                positions[name] = last - back
        first = self._line_col(offsets[positions[key]])[0]
        self._problem(
            offset,
            f"duplicate key '{key}' (first defined at line {first}); YAML keeps only one of them",
        )

    def _check_question_mark(self, offset: int) -> None:
        """libyaml reads ``?`` directly before text (``[?x]``, ``{?x: y}``) as a key
        indicator; YAML 1.2 reads it as part of the text. Refused rather than misread."""
        if offset > 0 and self.text[offset - 1] == "?":
            self._problem(
                offset - 1,
                "'?' directly before text is read differently by YAML versions; "
                "quote the text or put a space after '?'",
            )

    def _check_anchor(self, name: str, offset: int) -> None:
        """libyaml ends an anchor name at ':' (``&a:b``), YAML 1.2 does not: refused rather
        than misread."""
        at = self.text.find("&" + name, offset)
        after = at + 1 + len(name)
        if at >= 0 and after < len(self.text) and self.text[after] not in _AFTER_ANCHOR:
            self._problem(
                at,
                f"anchor name '&{name}{self.text[after]}...' has a character this reader does "
                "not take in an anchor name; use letters, digits, '-' and '_'",
            )

    def _tagged_scalar(self, tag: str, text: str, offset: int) -> Any:
        if tag not in _SCALAR_TAGS:
            self._refused_tag(tag, offset)
            return None
        if tag in ("!", f"{_CORE}str"):
            return text
        value = _tagged(tag, text)
        if value is _SKIP:
            self._problem(offset, f"{text!r} is not a valid {_short(tag)}")
            return None
        return value

    def _alias(self, name: str, offset: int) -> tuple[Any, str | None]:
        anchor = self.anchors.get(name)
        if anchor is None:
            if name in self.open_anchors:
                self._problem(offset, f"alias *{name} refers to a collection that contains it")
            else:
                self._problem(offset, f"alias *{name} names no anchor defined before it")
            return None, None
        if anchor.key is None:  # a collection: counted as one expansion plus those inside it
            self.expansions += 1 + anchor.expansions
            self.nodes += anchor.nodes
            limit = self.limits.max_alias_expansions
            if self.expansions > limit:
                self._problem(
                    offset,
                    f"more than {limit} alias expansions (a 'billion laughs' document?; "
                    "raise the limit with --max-aliases)",
                )
                raise _Stop
            if self.nodes > self.limits.max_nodes:
                self._problem(offset, f"document has more than {self.limits.max_nodes:,} nodes")
                raise _Stop
        return anchor.value, anchor.key

    def _refused_tag(self, tag: str, offset: int) -> None:
        self._problem(offset, f"tag {_short(tag)} is not allowed: only plain data is read")


def _short(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


# The YAML 1.2 core schema (10.3.2): what a plain scalar means.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
#: Plain scalars whose first character can start a number, null or bool; others are strings.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(value: str) -> Any:
    """A plain (unquoted, untagged) scalar typed by the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _MAYBE_TYPED:
        return value
    if value in _NULL:
        return None
    found = _BOOL.get(value)
    if found is not None:
        return found
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    special = _SPECIAL_FLOAT.get(value)
    return value if special is None else special


def _tagged(tag: str, text: str) -> Any:
    """An explicitly tagged scalar (``!!int 12``); _SKIP when the text is not of that kind."""
    kind = tag[len(_CORE) :]
    if kind in ("timestamp", "value", "merge"):
        return text  # dates stay strings for pydantic; "=" and "<<" are YAML 1.1 leftovers
    resolved = resolve_plain(text)
    if kind == "null":
        return None if resolved is None else _SKIP
    if kind == "bool":
        return resolved if isinstance(resolved, bool) else _SKIP
    if kind == "int":
        return resolved if type(resolved) is int else _SKIP
    if kind == "float":
        if type(resolved) is int:
            return float(resolved)
        return resolved if isinstance(resolved, float) else _SKIP
    return _SKIP  # pragma: no cover - _SCALAR_TAGS lists no other kind


_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")


#: Characters that hide or reorder text in an editor or a review (controls but tab and line
#: feed, bidirectional marks, embeddings, overrides and isolates, zero-width characters, BOM):
#: a string holding one is written double-quoted with every such character escaped.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def _represent_str(self: SafeRepresenter, data: str) -> ScalarNode:
    """Quote every string the YAML 1.2 reader above would not read back as that same string
    (PyYAML resolves by YAML 1.1: it leaves ``0o17`` and ``1e3`` plain, which YAML 1.2 reads
    as numbers); double-quote one holding a YAML 1.1 line break or a hidden character."""
    if _YAML11_BREAKS.search(data) or _HIDDEN.search(data):
        # PyYAML would write them as line breaks or raw: double-quoted, escaped
        return self.represent_scalar(f"{_CORE}str", data, style='"')
    if resolve_plain(data) != data:
        return self.represent_scalar(f"{_CORE}str", data, style="'")
    return SafeRepresenter.represent_str(self, data)


def _ignore_aliases(self: SafeRepresenter, data: Any) -> bool:
    """No anchors: a list two elements share is written out twice, as a person would."""
    return True


class _Dumper(SafeDumper):
    """PyYAML's safe dumper with the quoting above, and escaping characters that hide or
    reorder text (PyYAML writes bidi controls raw under allow_unicode)."""

    represent_str = _represent_str
    ignore_aliases = _ignore_aliases

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        """Escape every hidden character: PyYAML escapes only what is outside printable
        Unicode, and bidi controls are printable to it under allow_unicode."""
        if not _HIDDEN.search(text):
            super().write_double_quoted(text, split)
            return
        allow = self.allow_unicode
        self.allow_unicode = False  # escapes all beyond ASCII in this one string
        try:
            super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = allow


class _FastDumper(CSafeDumper):
    """The same representation through libyaml's C emitter, for data with no hidden
    character (the Python emitter above is the one that can escape those): writing a
    5,000-flow imported map took seconds in the Python emitter."""

    represent_str = _represent_str
    ignore_aliases = _ignore_aliases


_Dumper.add_representer(str, _represent_str)
_FastDumper.add_representer(str, _represent_str)


def _has_hidden(data: Any) -> bool:
    """Whether any string (key or value) in plain data holds a hidden character."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _HIDDEN.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML that reads back as the same data."""
    dumper = _Dumper if _has_hidden(data) else _FastDumper
    return yaml_dump(
        data, Dumper=dumper, default_flow_style=False, sort_keys=False, allow_unicode=True
    )


def _line_above(text: str, line: int) -> int | None:
    """The number of the last line before ``line`` that holds more than blanks or a comment:
    the one a person compares a wrongly indented line with."""
    lines = text.split("\n", line - 1)[: line - 1]
    for number in range(len(lines), 0, -1):
        content = lines[number - 1].strip()
        if content and not content.startswith("#"):
            return number
    return None


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 1-based line and column of ``text`` ("" past its end)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    row = lines[line - 1]
    return row[column - 1] if 1 <= column <= len(row) else ""


def _syntax_hint(problem: str, above: int | None) -> str:
    """Plain words after libyaml's for the mistakes a person makes most: a tab, and a line
    indented differently from the block it belongs to (review 2026-12-02d, problem 10)."""
    if "tab character" in problem:
        return "; YAML indents with spaces, not tabs"
    against = f"line {above}" if above is not None else "the lines above it"
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return f"; check this line's indentation against {against}"
    if "mapping values are not allowed" in problem:
        return f"; check this line's indentation against {against}, or quote a value with ': '"
    return ""
