"""Import Fides manifests (ethyca/fides, fideslang) into a flowaudit map.

Each Fides system becomes a party that the organisation sends data to, one flow per privacy
declaration (categories, subjects, data use as purpose); egress/ingress between systems
become flows between those parties. Fides records no agreements and no transfer mechanisms,
so each party gets an agreement of status ``unknown`` and the checks show the gap; what
cannot be carried over is listed, never invented.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import pycountry

from flowaudit.model.discovery import discover, display_path
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.yamlsource import ParsedDocument, parse_file

#: fideslang legal bases (``legal_basis_for_processing``) to flowaudit basis ids.
LEGAL_BASES = {
    "consent": "consent",
    "contract": "contract",
    "legal obligations": "legal_obligation",
    "legal obligation": "legal_obligation",
    "vital interests": "vital_interests",
    "public interest": "public_task",
    "legitimate interests": "legitimate_interests",
}
ROLES = {
    "controller": "controller",
    "processor": "processor",
    "joint controller": "joint_controller",
}


@dataclass
class FidesImport:
    """The converted map data and what could not be carried over."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _key(value: str) -> str:
    """A Fides key as a flowaudit id (ids allow letters, digits, _ . -)."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", value).strip("_.-") or "unnamed"


def _category(value: str) -> str:
    return re.sub(r"[^a-z0-9_.]", "_", value.lower()).strip(".")


def _country(alpha3: str) -> str | None:
    found = pycountry.countries.get(alpha_3=alpha3.upper())
    return found.alpha_2 if found is not None else None


#: The shape of the Fides fields read here: "text", "texts" (a list of text), or a nested
#: shape for a list of mappings. Fields not named are not read, so any value passes.
_Shape = dict[str, Any]
_DECLARATION: _Shape = {
    "name": "text",
    "data_use": "text",
    "data_categories": "texts",
    "data_subjects": "texts",
    "legal_basis_for_processing": "text",
}
_LINK: _Shape = {"fides_key": "text"}
_SYSTEM: _Shape = {
    "fides_key": "text",
    "name": "text",
    "description": "text",
    "data_responsibility_title": "text",
    "third_country_transfers": "texts",
    "privacy_declarations": _DECLARATION,
    "egress": _LINK,
    "ingress": _LINK,
}
_MANIFEST: _Shape = {
    "system": _SYSTEM,
    "organization": {"fides_key": "text", "name": "text"},
    "dataset": {},
    "policy": {},
    "data_use": {},
    "data_category": {},
    "data_subject": {},
}


def _shape_problems(document: ParsedDocument) -> list[Problem]:
    """Located problems for every value of the wrong kind in a manifest (``system: 5``,
    ``egress: 5``, a declaration that is a string...), so the import never trips on one."""
    problems: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        position = document.position(path)
        problems.append(Problem(document.file, position.line, position.column, message))

    def mappings(value: Any, shape: _Shape, path: tuple[str | int, ...], what: str) -> None:
        if not isinstance(value, list):
            problem(path, f"'{what}' must be a list of mappings, not {_kind_of(value)}")
            return
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                problem((*path, index), f"each '{what}' entry must be a mapping")
                continue
            fields(item, shape, (*path, index))

    def fields(item: dict[str, Any], shape: _Shape, path: tuple[str | int, ...]) -> None:
        for name, expected in shape.items():
            value = item.get(name)
            if value is None:
                continue
            here = (*path, name)
            if expected == "text":
                if not isinstance(value, str | int | float) or isinstance(value, bool):
                    problem(here, f"'{name}' must be text, not {_kind_of(value)}")
            elif expected == "texts":
                if not isinstance(value, list):
                    problem(here, f"'{name}' must be a list of text, not {_kind_of(value)}")
                else:
                    for index, entry in enumerate(value):
                        if not isinstance(entry, str | int | float) or isinstance(entry, bool):
                            problem((*here, index), f"each '{name}' entry must be text")
            else:
                mappings(value, expected, here, name)

    data = document.data
    if data is None:
        return problems
    if not isinstance(data, dict):
        problem((), "a Fides manifest must be a mapping (system:, organization:, ...)")
        return problems
    for name, shape in _MANIFEST.items():
        if data.get(name) is not None:
            mappings(data[name], shape, (name,), name)
    return problems


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _documents(folder: str) -> list[ParsedDocument]:
    if not os.path.isdir(folder):
        raise InputError([Problem(display_path(folder), 1, 1, "not a folder of Fides manifests")])
    problems: list[Problem] = []
    documents: list[ParsedDocument] = []
    # Manifests in any letter case and subfolder; other files (fides.toml) are not ours.
    for path in discover([folder], report_others=False):
        try:
            document = parse_file(path, display_path(path))
        except InputError as error:
            problems.extend(error.problems)
            continue
        problems.extend(_shape_problems(document))
        documents.append(document)
    if problems:
        raise InputError(problems)
    return documents


def import_fides(folder: str, country: str, regime: str) -> FidesImport:
    """Convert every manifest in a folder; raises InputError on unreadable manifests."""
    systems: list[dict[str, Any]] = []
    organisation: dict[str, Any] | None = None
    notes: list[str] = []
    for document in _documents(folder):
        data = document.data if isinstance(document.data, dict) else {}
        for item in data.get("system") or []:
            if isinstance(item, dict) and "fides_key" in item:
                systems.append(item)
        for item in data.get("organization") or []:
            if isinstance(item, dict) and organisation is None:
                organisation = item
        for key in ("dataset", "policy", "data_use", "data_category", "data_subject"):
            if data.get(key):
                notes.append(
                    f"{document.file}: Fides {key} entries are not carried over "
                    "(datasets, deny-policies and taxonomy extensions have no "
                    "flowaudit equivalent; write policies as flowaudit rules)"
                )
    if not systems:
        raise InputError([Problem(display_path(folder), 1, 1, "no Fides system manifests found")])
    org_id = _key(str((organisation or {}).get("fides_key", "organisation")))
    result: dict[str, Any] = {
        "organisation": {
            "id": org_id,
            "name": str((organisation or {}).get("name", "Imported organisation")),
            "country": country,
            "regime": regime,
            "description": "Imported from Fides manifests; country and regime given on import.",
        },
        "parties": [],
        "categories": [],
        "subjects": [],
        "purposes": [],
        "flows": [],
        "agreements": [],
    }
    categories: set[str] = set()
    subjects: set[str] = set()
    purposes: set[str] = set()
    declared: dict[str, set[str]] = {}
    for system in sorted(systems, key=lambda s: str(s["fides_key"])):
        party_id = _key(str(system["fides_key"]))
        transfers = [
            c for c in (_country(str(x)) for x in system.get("third_country_transfers") or []) if c
        ]
        role = ROLES.get(str(system.get("data_responsibility_title", "")).lower())
        party: dict[str, Any] = {
            "id": party_id,
            "name": str(system.get("name", party_id)),
            "kind": "service_provider",
            "country": transfers[0] if transfers else country,
            "placeholder": not transfers,
            "description": (
                str(system.get("description", "")) + " Country not in the Fides "
                "manifest: the organisation's country is assumed."
            ).strip()
            if not transfers
            else str(system.get("description", "")),
        }
        if role:
            party["role"] = role
        else:
            notes.append(f"system {party_id}: no data_responsibility_title, role left unrecorded")
        result["parties"].append(party)
        result["agreements"].append(
            {
                "id": f"{party_id}-agreement",
                "kind": "art28_dpa" if role == "processor" else "other",
                "parties": [org_id, party_id],
                "status": "unknown",
                "description": "Fides records no agreements: evidence to be collected.",
            }
        )
        declared[party_id] = set()
        for index, declaration in enumerate(system.get("privacy_declarations") or []):
            cats = sorted({_category(str(c)) for c in declaration.get("data_categories") or []})
            subs = sorted({_key(str(s)) for s in declaration.get("data_subjects") or []})
            use = _key(str(declaration.get("data_use", "unspecified")))
            if not cats or not subs:
                notes.append(
                    f"system {party_id}: declaration {index + 1} has no categories or "
                    "subjects and was skipped"
                )
                continue
            categories.update(cats)
            subjects.update(subs)
            purposes.add(use)
            declared[party_id].update(cats)
            flow: dict[str, Any] = {
                "id": f"{party_id}-{index + 1}",
                "from": org_id,
                "to": party_id,
                "categories": cats,
                "subjects": subs,
                "purpose": use,
                "agreement": f"{party_id}-agreement",
                "description": str(declaration.get("name", "")),
            }
            basis = LEGAL_BASES.get(str(declaration.get("legal_basis_for_processing", "")).lower())
            if basis:
                flow["basis"] = basis
            result["flows"].append(flow)
    known = {p["id"] for p in result["parties"]}
    edges: set[tuple[str, str]] = set()
    for system in systems:
        me = _key(str(system["fides_key"]))
        for direction in ("egress", "ingress"):
            for link in system.get(direction) or []:
                other = _key(str(link.get("fides_key", ""))) if isinstance(link, dict) else ""
                if other not in known:
                    notes.append(f"system {me}: {direction} to unknown system '{other}' skipped")
                    continue
                edges.add((me, other) if direction == "egress" else (other, me))
    for source, target in sorted(edges):
        carried = sorted(declared.get(source, set()) & declared.get(target, set())) or sorted(
            declared.get(source, set())
        )
        if not carried:
            notes.append(f"flow {source} -> {target}: the sender declares no categories; skipped")
            continue
        result["flows"].append(
            {
                "id": f"{source}-to-{target}",
                "from": source,
                "to": target,
                "categories": carried,
                "subjects": sorted(subjects),
                "purpose": sorted(purposes)[0],
                "description": "Fides egress/ingress; subjects and purpose not recorded by Fides.",
            }
        )
        notes.append(
            f"flow {source} -> {target}: Fides records no subjects or purpose on "
            "egress; all subjects and the first purpose were assumed"
        )
    result["categories"] = [{"id": c, "name": c, "fides_key": c} for c in sorted(categories)]
    result["subjects"] = [{"id": s, "name": s} for s in sorted(subjects)]
    result["purposes"] = [{"id": p, "name": p} for p in sorted(purposes)]
    notes.append(
        "Fides has no agreements or transfer mechanisms: every agreement is imported "
        "with status unknown, and no flow names a transfer mechanism"
    )
    return FidesImport(result, notes)
