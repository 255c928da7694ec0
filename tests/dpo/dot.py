"""A small reader for the DOT flowaudit writes: clusters and their nodes, edges and attributes.

It relies on the layout graphviz' Python package gives (one statement per line), which the
diagram module guarantees by building the source with it."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATTRIBUTE = re.compile(r'(?<![A-Za-z_])([a-z]+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def attributes(line: str) -> dict[str, str]:
    """The attributes of one DOT statement, unquoted (escapes kept as written)."""
    body = line[line.index("[") + 1 : line.rindex("]")] if "[" in line else ""
    return {name: value.strip('"') for name, value in _ATTRIBUTE.findall(body)}


@dataclass
class Dot:
    clusters: dict[str, list[str]]  # cluster name -> node ids (the node's id attribute)
    edges: list[dict[str, str]]  # attributes, plus "tail" and "head"
    graph: dict[str, str]


def read(source: str) -> Dot:
    clusters: dict[str, list[str]] = {}
    edges: list[dict[str, str]] = []
    graph: dict[str, str] = {}
    current: str | None = None
    for raw in source.splitlines():
        line = raw.strip()
        opened = re.match(r"subgraph (cluster_\S+) \{", line)
        if opened:
            current = opened.group(1)
            clusters[current] = []
        elif line == "}":
            current = None
        elif line.startswith("graph ["):
            graph = attributes(line)
        elif re.match(r'("[^"]*"|\S+) -> ("[^"]*"|\S+)', line):
            match = re.match(r'("[^"]*"|\S+) -> ("[^"]*"|\S+)', line)
            assert match is not None
            edge = attributes(line)
            edge["tail"], edge["head"] = match.group(1).strip('"'), match.group(2).strip('"')
            edges.append(edge)
        elif current is not None and 'id="node:' in line:
            clusters[current].append(attributes(line)["id"].removeprefix("node:"))
    return Dot(clusters, edges, graph)
