"""Import Fides manifests (ethyca/fides, fideslang) into a flowaudit map.

A Fides system is the organisation's own (a flowaudit system it owns) unless it names a
vendor or sends data to a third country (then a party, with an agreement of status
``unknown`` whose evidence is ``dpa_location`` where given, and a transfer mechanism from
``legal_basis_for_transfers``). Each privacy declaration is a flow whose categories include
those of the datasets it references; egress/ingress between systems become flows. The
organisation's controller, DPO and representative contacts carry over. Every field the import
does not read is noted, never silently dropped or invented.
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


#: fideslang ``legal_basis_for_transfers`` values to flowaudit mechanism ids, by regime
#: (a UK exporter uses the EU SCCs with the UK Addendum); None: adequacy, nothing to name.
TRANSFER_BASES: dict[str, dict[str, str | None]] = {
    "adequacy decision": {"UK": None, "EU": None, "CH": None},
    "sccs": {"UK": "uk_addendum", "EU": "eu_scc_2021", "CH": "eu_scc_2021"},
    "standard contractual clauses": {"UK": "uk_addendum", "EU": "eu_scc_2021", "CH": "eu_scc_2021"},
    "bcrs": {"UK": "bcr", "EU": "bcr", "CH": "bcr"},
    "binding corporate rules": {"UK": "bcr", "EU": "bcr", "CH": "bcr"},
}
#: Fields each Fides element has that the import reads; every other field is noted.
SYSTEM_FIELDS = {
    "fides_key",
    "name",
    "description",
    "third_country_transfers",
    "data_responsibility_title",
    "responsibility",
    "privacy_declarations",
    "egress",
    "ingress",
    "legal_basis_for_transfers",
    "dpa_location",
    "vendor_id",
}
DECLARATION_FIELDS = {
    "name",
    "data_categories",
    "data_use",
    "data_subjects",
    "legal_basis_for_processing",
    "dataset_references",
}
ORGANISATION_FIELDS = {
    "fides_key",
    "name",
    "description",
    "controller",
    "data_protection_officer",
    "representative",
}


def _dropped(what: str, item: dict[str, Any], read: set[str], notes: list[str]) -> None:
    """A note for every field of ``item`` that the import does not read."""
    for name in sorted(set(item) - read):
        if item[name] not in (None, [], {}, ""):
            notes.append(f"{what}: field '{name}' not carried over")


def _dataset_categories(datasets: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Every data category a dataset declares, at any level (dataset, collection, field,
    nested field), by dataset key."""
    found: dict[str, set[str]] = {}

    def walk(node: Any, into: set[str]) -> None:
        if isinstance(node, dict):
            for category in node.get("data_categories") or []:
                into.add(_category(str(category)))
            for child in (node.get("collections") or []) + (node.get("fields") or []):
                walk(child, into)

    for dataset in datasets:
        categories: set[str] = set()
        walk(dataset, categories)
        found[str(dataset.get("fides_key"))] = categories
    return found


def _contact(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    return {k: str(value[k]) for k in ("name", "email", "phone", "address") if value.get(k)}


def _role(system: dict[str, Any]) -> str | None:
    """The role from ``responsibility`` (current Fides, a list) or the older
    ``data_responsibility_title``."""
    values = system.get("responsibility") or [system.get("data_responsibility_title", "")]
    if isinstance(values, str):
        values = [values]
    roles = [ROLES.get(str(v).lower().replace("-", " ")) for v in values]
    return next((r for r in roles if r), None)


def _is_external(system: dict[str, Any]) -> bool:
    """A Fides system is the organisation's own unless it names a vendor or sends data to a
    third country, which only a system run by another organisation abroad does."""
    return bool(system.get("vendor_id") or system.get("third_country_transfers"))


def import_fides(folder: str, country: str, regime: str) -> FidesImport:
    """Convert every manifest in a folder; raises InputError on unreadable manifests."""
    systems: list[dict[str, Any]] = []
    datasets: list[dict[str, Any]] = []
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
        for item in data.get("dataset") or []:
            if isinstance(item, dict) and "fides_key" in item:
                datasets.append(item)
        for key in ("policy", "data_use", "data_category", "data_subject"):
            if data.get(key):
                notes.append(
                    f"{document.file}: Fides {key} entries are not carried over "
                    "(deny-policies and taxonomy extensions have no flowaudit equivalent; "
                    "write policies as flowaudit rules)"
                )
    if not systems:
        raise InputError([Problem(display_path(folder), 1, 1, "no Fides system manifests found")])
    org = organisation or {}
    org_id = _key(str(org.get("fides_key", "organisation")))
    result: dict[str, Any] = {
        "organisation": {
            "id": org_id,
            "name": str(org.get("name", "Imported organisation")),
            "country": country,
            "regime": regime,
            "description": str(org.get("description") or "Imported from Fides manifests")
            + "; country and regime given on import.",
        },
        "parties": [],
        "systems": [],
        "categories": [],
        "subjects": [],
        "purposes": [],
        "flows": [],
        "agreements": [],
    }
    for fides_name, ours in (
        ("controller", "contact"),
        ("data_protection_officer", "dpo"),
        ("representative", "representative"),
    ):
        contact = _contact(org.get(fides_name))
        if contact:
            result["organisation"][ours] = contact
    if organisation is not None:
        _dropped(f"organization {org_id}", organisation, ORGANISATION_FIELDS, notes)
    in_datasets = _dataset_categories(datasets)
    categories: set[str] = set()
    subjects: set[str] = set()
    purposes: set[str] = set()
    declared: dict[str, set[str]] = {}
    mechanisms: dict[str, str] = {}
    for system in sorted(systems, key=lambda s: str(s["fides_key"])):
        node_id = _key(str(system["fides_key"]))
        _dropped(f"system {node_id}", system, SYSTEM_FIELDS, notes)
        transfers = [
            c for c in (_country(str(x)) for x in system.get("third_country_transfers") or []) if c
        ]
        description = str(system.get("description", ""))
        if not _is_external(system):
            result["systems"].append(
                {
                    "id": node_id,
                    "name": str(system.get("name", node_id)),
                    "owner": org_id,
                    "country": country,
                    "placeholder": True,
                    "description": (
                        description + " The organisation's own system (Fides names no vendor "
                        "and no third-country transfer); its country is assumed."
                    ).strip(),
                }
            )
        else:
            role = _role(system)
            party: dict[str, Any] = {
                "id": node_id,
                "name": str(system.get("name", node_id)),
                "kind": "service_provider",
                "country": transfers[0] if transfers else country,
                "placeholder": not transfers,
                "description": description
                if transfers
                else (
                    description + " Country not in the Fides manifest: the organisation's "
                    "country is assumed."
                ).strip(),
            }
            if role:
                party["role"] = role
            else:
                notes.append(f"system {node_id}: no responsibility, role left unrecorded")
            result["parties"].append(party)
            agreement: dict[str, Any] = {
                "id": f"{node_id}-agreement",
                "kind": "art28_dpa" if role == "processor" else "other",
                "parties": [org_id, node_id],
                "status": "unknown",
                "description": "Fides records no signed agreements: evidence to be collected.",
            }
            if system.get("dpa_location"):
                agreement["evidence"] = str(system["dpa_location"])
                agreement["description"] = (
                    "Fides gives where the DPA is kept (dpa_location); status unknown until "
                    "someone confirms it is signed."
                )
            result["agreements"].append(agreement)
            for basis in system.get("legal_basis_for_transfers") or []:
                row = TRANSFER_BASES.get(str(basis).lower())
                mechanism = row.get(regime) if row else None
                if mechanism:
                    mechanisms[node_id] = mechanism
                elif row is None:
                    notes.append(
                        f"system {node_id}: legal_basis_for_transfers '{basis}' has no "
                        "flowaudit mechanism; not carried over"
                    )
        declared[node_id] = set()
        for index, declaration in enumerate(system.get("privacy_declarations") or []):
            _dropped(
                f"system {node_id} declaration {index + 1}", declaration, DECLARATION_FIELDS, notes
            )
            cats = {_category(str(c)) for c in declaration.get("data_categories") or []}
            for reference in declaration.get("dataset_references") or []:
                if str(reference) in in_datasets:
                    cats |= in_datasets[str(reference)]
                else:
                    notes.append(
                        f"system {node_id}: declaration {index + 1} references unknown "
                        f"dataset '{reference}'"
                    )
            subs = sorted({_key(str(s)) for s in declaration.get("data_subjects") or []})
            use = _key(str(declaration.get("data_use", "unspecified")))
            if not cats or not subs:
                notes.append(
                    f"system {node_id}: declaration {index + 1} has no categories or "
                    "subjects (nor a dataset with categories) and was skipped"
                )
                continue
            categories.update(cats)
            subjects.update(subs)
            purposes.add(use)
            declared[node_id].update(cats)
            flow: dict[str, Any] = {
                "id": f"{node_id}-{index + 1}",
                "from": org_id,
                "to": node_id,
                "categories": sorted(cats),
                "subjects": subs,
                "purpose": use,
                "description": str(declaration.get("name", "")),
            }
            if _is_external(system):
                flow["agreement"] = f"{node_id}-agreement"
            if node_id in mechanisms:
                flow["transfer_mechanism"] = mechanisms[node_id]
            basis = LEGAL_BASES.get(str(declaration.get("legal_basis_for_processing", "")).lower())
            if basis:
                flow["basis"] = basis
            result["flows"].append(flow)
    known = {p["id"] for p in result["parties"]} | {s["id"] for s in result["systems"]}
    external = {p["id"] for p in result["parties"]}
    edges: set[tuple[str, str]] = set()
    for system in systems:
        me = _key(str(system["fides_key"]))
        for direction in ("egress", "ingress"):
            for link in system.get(direction) or []:
                other = _key(str(link.get("fides_key", ""))) if isinstance(link, dict) else ""
                if other not in known:
                    notes.append(f"system {me}: {direction} to unknown system '{other}' skipped")
                    continue
                if other == me:  # a store into itself is refused (attack review w, problem 2)
                    notes.append(f"system {me}: {direction} to itself skipped")
                    continue
                edges.add((me, other) if direction == "egress" else (other, me))
    for source, target in sorted(edges):
        carried = sorted(declared.get(source, set()) & declared.get(target, set())) or sorted(
            declared.get(source, set())
        )
        if not carried:
            notes.append(f"flow {source} -> {target}: the sender declares no categories; skipped")
            continue
        edge: dict[str, Any] = {
            "id": f"{source}-to-{target}",
            "from": source,
            "to": target,
            "categories": carried,
            "subjects": sorted(subjects),
            "purpose": sorted(purposes)[0],
            "description": "Fides egress/ingress; subjects and purpose not recorded by Fides.",
        }
        if target in external:
            edge["agreement"] = f"{target}-agreement"
            if target in mechanisms:
                edge["transfer_mechanism"] = mechanisms[target]
        result["flows"].append(edge)
        notes.append(
            f"flow {source} -> {target}: Fides records no subjects or purpose on "
            "egress; all subjects and the first purpose were assumed"
        )
    result["categories"] = [{"id": c, "name": c, "fides_key": c} for c in sorted(categories)]
    result["subjects"] = [{"id": s, "name": s, "fides_key": s} for s in sorted(subjects)]
    result["purposes"] = [{"id": p, "name": p} for p in sorted(purposes)]
    notes.append(
        "Fides records no signed agreements: every agreement is imported with status unknown"
    )
    return FidesImport(result, notes)
