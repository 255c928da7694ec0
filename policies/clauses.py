"""The clause table of a notice policy: which clauses make a promise a rule must enforce."""

from __future__ import annotations

import functools
from importlib import resources

from pydantic import BaseModel, ConfigDict, TypeAdapter

from flowaudit.model.yamlsource import parse_text
from flowaudit.policies.schema import Examples


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    promise: bool
    title: str
    note: str | None = None


class ClauseTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clauses: list[Clause]


def load_clauses(policy_id: str) -> list[Clause]:
    """The clauses of a shipped notice policy, in notice order."""
    resource = resources.files("flowaudit.policies").joinpath("clauses", f"{policy_id}.yaml")
    document = parse_text(
        resource.read_text(encoding="utf-8"), f"<flowaudit>/policies/clauses/{policy_id}.yaml"
    )
    return ClauseTable.model_validate(document.data).clauses


@functools.cache
def shipped_clause_tables() -> dict[str, tuple[str, ...]]:
    """The clause ids of every shipped notice policy's clause table, by policy id: a map that
    selects the policy cites its notice by these ids (auditor review 2026-12-03g, problem 2)."""
    folder = resources.files("flowaudit.policies").joinpath("clauses")
    return {
        entry.name.removesuffix(".yaml"): tuple(
            c.id for c in load_clauses(entry.name.removesuffix(".yaml"))
        )
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    }


def load_kind_examples() -> dict[str, Examples]:
    """The shipped compliant / non-compliant example of each rule kind."""
    resource = resources.files("flowaudit.policies").joinpath("examples", "kinds.yaml")
    document = parse_text(
        resource.read_text(encoding="utf-8"), "<flowaudit>/policies/examples/kinds.yaml"
    )
    return TypeAdapter(dict[str, Examples]).validate_python(document.data)
