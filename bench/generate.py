"""Synthetic data maps for the scale benchmark, deterministic by seed.

A map of N flows has N / 10 parties with a realistic mix of countries (UK, EEA, adequate,
third countries), kinds and roles, one agreement per party (most signed, some drafts,
expired, of the wrong kind or missing), transfer agreements for third countries, a dotted
category taxonomy, and flows outbound, inbound, internal and onward. Roughly one flow in
five breaks a rule, as in a real inventory. Written as block-style YAML (as people write
maps) and as JSON (as inventory tools export them), with the same content.

    python bench/generate.py --flows 10000 --out /tmp/maps          # map_10000.yaml/.json
    python bench/generate.py --flows 1000 --seed 7 --formats yaml --out .
    python bench/generate.py --flows 5000 --shape dense --out /tmp/maps  # dense_5000.*

Both formats go to the same folder by default (the bench times each). A folder is one map to
flowaudit, so a folder holding both is the same map twice: pass one file
(``flowaudit check /tmp/maps/map_10000.yaml``), or write one format with ``--formats yaml``.

Shapes: ``mixed`` (above, written map_N), ``dense`` (dense_N: systems that send to each
other, as a Fides export converted by ``flowaudit import fides`` looks: every party gets
three declarations from the organisation and two flows to other parties, so most of the
map is onward chains), ``fides`` (fides_N: the same, all in the UK with broad categories,
so chains never stop and nothing is found) and ``hub`` (hub_N: a few hubs that nearly
every flow passes through, the shape that defeated the full diagram).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from typing import Any

CATEGORIES = [
    ("contact", "Contact details"),
    ("contact.name", "Name"),
    ("contact.email", "Work email"),
    ("contact.phone", "Phone"),
    ("contact.address", "Postal address"),
    ("contact.organisation", "Organisation"),
    ("network", "Network data"),
    ("network.ip_address", "IP address"),
    ("network.device_id", "Device id"),
    ("billing", "Billing"),
    ("billing.invoice", "Invoices"),
    ("billing.payment_card", "Payment card"),
    ("support", "Support tickets"),
    ("support.recording", "Call recording"),
    ("credentials", "Credentials"),
    ("credentials.username", "User name"),
    ("hr", "Staff records"),
    ("hr.payroll", "Payroll"),
    ("hr.health", "Occupational health"),
    ("usage", "Usage data"),
    ("usage.analytics", "Analytics events"),
]
LEAF_CATEGORIES = [c for c, _ in CATEGORIES if "." in c]
SUBJECTS = ["customer_staff", "website_visitors", "job_applicants", "callers", "employees"]
PURPOSES = [
    "service_provision",
    "customer_support",
    "orders_and_billing",
    "marketing",
    "security",
    "recruitment",
    "payroll",
    "analytics",
]
# Country weights: UK-heavy, then EEA, adequate countries, then third countries.
COUNTRIES = [
    ("GB", 40),
    ("IE", 8),
    ("DE", 8),
    ("FR", 5),
    ("NL", 5),
    ("SE", 2),
    ("NO", 2),
    ("CH", 2),
    ("JP", 2),
    ("CA", 2),
    ("US", 16),
    ("IN", 5),
    ("BR", 2),
    ("ZA", 1),
]
KINDS = [
    "hosting",
    "service_provider",
    "isp",
    "payment_processor",
    "helpdesk",
    "analytics",
    "marketing",
    "training_supplier",
    "procurement_vendor",
    "customer",
]
ADEQUATE = {"GB", "IE", "DE", "FR", "NL", "SE", "NO", "CH", "JP", "CA"}
ROLE_AGREEMENT = {
    "processor": "art28_dpa",
    "controller": "data_sharing_agreement",
    "joint_controller": "art26_joint",
}


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def build_map(flows: int, seed: int = 1) -> dict[str, Any]:
    """The map as plain data (the same for YAML and JSON)."""
    rng = random.Random(seed)
    n_parties = max(flows // 10, 2)
    n_systems = max(flows // 100, 3)
    organisation = {
        "id": "org",
        "name": "Synthetic Org Ltd",
        "country": "GB",
        "regime": "UK",
        # the notice's clauses, one per purpose: every flow's notice: is checked against them
        "notice_clauses": [f"N-{p.upper().replace('_', '-')}" for p in PURPOSES],
    }
    parties: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    party_agreement: dict[str, str | None] = {}
    party_transfer: dict[str, tuple[str, str | None]] = {}
    profile: dict[str, list[str]] = {}
    for number in range(1, n_parties + 1):
        party_id = f"party-{number:06d}"
        country = _weighted(rng, COUNTRIES)
        role = _weighted(rng, [("processor", 70), ("controller", 25), ("joint_controller", 5)])
        party: dict[str, Any] = {
            "id": party_id,
            "name": f"Supplier {number} {country}",
            "kind": rng.choice(KINDS),
            "country": country,
            "role": role,
        }
        if country == "US" and rng.random() < 0.4:
            party["listed_under"] = ["uk_extension"]
        parties.append(party)
        profile[party_id] = sorted(rng.sample(LEAF_CATEGORIES, 4))
        if rng.random() < 0.92:
            agreement_id = f"agr-{number:06d}"
            kind = ROLE_AGREEMENT[role] if rng.random() < 0.95 else "other"
            status = _weighted(rng, [("signed", 94), ("draft", 4), ("unknown", 2)])
            year = rng.randint(2018, 2025)
            agreement: dict[str, Any] = {
                "id": agreement_id,
                "kind": kind,
                "parties": ["org", party_id],
                "status": status,
                "signed_on": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "categories": sorted({c.split(".")[0] for c in profile[party_id]}),
            }
            if rng.random() < 0.04:
                agreement["expires_on"] = f"{year + rng.randint(1, 3)}-06-30"
            agreements.append(agreement)
            party_agreement[party_id] = agreement_id
        else:
            party_agreement[party_id] = None
        if country not in ADEQUATE:
            if country == "US" and "listed_under" in party:
                party_transfer[party_id] = ("uk_extension", None)
            elif rng.random() < 0.85:
                transfer_id = f"idta-{number:06d}"
                agreements.append(
                    {
                        "id": transfer_id,
                        "kind": "idta",
                        "parties": ["org", party_id],
                        "status": "signed",
                        "signed_on": "2023-03-01",
                    }
                )
                party_transfer[party_id] = ("idta", transfer_id)
            else:
                party_transfer[party_id] = (
                    rng.choice(["privacy_shield_eu_us", "consent_by_providing_data"]),
                    None,
                )
    systems = [
        {
            "id": f"sys-{number:05d}",
            "name": f"System {number}",
            "owner": "org",
            "country": rng.choice(["GB", "GB", "GB", "IE"]),
            "categories": sorted(rng.sample(LEAF_CATEGORIES, 3)),
            "encrypted_at_rest": rng.random() < 0.95,
        }
        for number in range(1, n_systems + 1)
    ]
    assessments = [
        {"id": "lia-marketing", "kind": "legitimate_interests", "completed_on": "2024-02-01"},
        {"id": "lia-security", "kind": "legitimate_interests", "completed_on": "2023-09-15"},
    ]
    consent_records = [
        {"id": "consent-newsletter", "purposes": ["marketing"], "method": "double opt-in form"}
    ]
    flow_list: list[dict[str, Any]] = []
    for number in range(1, flows + 1):
        party = rng.choice(parties)
        party_id = party["id"]
        system_id = rng.choice(systems)["id"]
        direction = _weighted(rng, [("out", 72), ("in", 20), ("internal", 5), ("onward", 3)])
        if direction == "out":
            source, target = rng.choice(["org", system_id]), party_id
        elif direction == "in":
            source, target = party_id, system_id
        elif direction == "internal":
            source, target = "org", system_id
        else:
            source, target = party_id, rng.choice(parties)["id"]
        purpose = rng.choice(PURPOSES)
        basis = _weighted(
            rng,
            [("contract", 70), ("legitimate_interests", 14), ("consent", 8), ("billing", 2)],
        )
        flow: dict[str, Any] = {
            "id": f"flow-{number:07d}",
            "from": source,
            "to": target,
            "categories": sorted(
                rng.sample(profile[party_id], rng.randint(1, 3))
                if rng.random() < 0.97
                else rng.sample(LEAF_CATEGORIES, rng.randint(1, 4))
            ),
            "subjects": sorted(rng.sample(SUBJECTS, rng.randint(1, 2))),
            "purpose": purpose,
        }
        if rng.random() < 0.99:
            flow["basis"] = basis
        if basis == "legitimate_interests" and rng.random() < 0.9:
            flow["assessment"] = rng.choice(assessments)["id"]
        if basis == "consent" and rng.random() < 0.9:
            flow["consent_record"] = "consent-newsletter"
        if target.startswith("party-") and direction == "out":
            agreement_id = party_agreement[target]
            if agreement_id is not None:
                flow["agreement"] = agreement_id
            if target in party_transfer:
                mechanism, evidence = party_transfer[target]
                flow["transfer_mechanism"] = mechanism
                if evidence is not None:
                    flow["transfer_agreement"] = evidence
        flow["encrypted_in_transit"] = rng.random() < 0.97
        flow["notice"] = f"N-{purpose.upper().replace('_', '-')}"
        flow_list.append(flow)
    return {
        "organisation": organisation,
        "parties": parties,
        "systems": systems,
        "categories": [{"id": c, "name": name} for c, name in CATEGORIES],
        "subjects": [{"id": s, "name": s.replace("_", " ").title()} for s in SUBJECTS],
        "purposes": [{"id": p, "name": p.replace("_", " ").title()} for p in PURPOSES],
        "agreements": agreements,
        "assessments": assessments,
        "consent_records": consent_records,
        "flows": flow_list,
    }


def build_dense(flows: int, seed: int = 1) -> dict[str, Any]:
    """Parties that send to each other: 3 flows in from the organisation and 2 onward flows
    out per party, with countries mixed (a tenth of the onward hops cross to a third country
    without a mechanism), so the onward rule follows long chains through cycles."""
    rng = random.Random(seed)
    data = build_map(10, seed)
    n_parties = max(flows // 5, 3)
    parties = []
    agreements = []
    for number in range(1, n_parties + 1):
        country = _weighted(rng, COUNTRIES)
        party_id = f"sys-{number:06d}"
        parties.append(
            {
                "id": party_id,
                "name": f"System {number} {country}",
                "kind": rng.choice(KINDS[:7]),
                "country": country,
                "role": "processor",
            }
        )
        agreements.append(
            {
                "id": f"agr-{number:06d}",
                "kind": "art28_dpa",
                "parties": ["org", party_id],
                "status": "signed",
                "signed_on": "2024-01-15",
            }
        )
    flow_list: list[dict[str, Any]] = []

    def add(source: str, target: str, categories: list[str], agreement: str | None) -> None:
        flow: dict[str, Any] = {
            "id": f"flow-{len(flow_list) + 1:07d}",
            "from": source,
            "to": target,
            "categories": categories,
            "subjects": ["customer_staff"],
            "purpose": "service_provision",
            "basis": "contract",
            "encrypted_in_transit": True,
            "notice": "N-SERVICE-PROVISION",
        }
        if agreement is not None:
            flow["agreement"] = agreement
        flow_list.append(flow)

    for number, party in enumerate(parties, start=1):
        for _ in range(3):
            add("org", party["id"], sorted(rng.sample(LEAF_CATEGORIES, 2)), f"agr-{number:06d}")
    for party in parties:
        for _ in range(2):
            other = rng.choice(parties)
            categories = sorted(rng.sample(LEAF_CATEGORIES, 6))
            add(party["id"], other["id"], categories, None)
    return {
        **data,
        "parties": parties,
        "systems": [],
        "agreements": agreements,
        "flows": flow_list[:flows] if flows >= 15 else flow_list,
    }


def build_hub(flows: int, seed: int = 1) -> dict[str, Any]:
    """The mixed map with nearly every flow routed through five hubs (a CRM, a data
    warehouse, a cloud host...): few nodes with thousands of edges each."""
    data = build_map(flows, seed)
    rng = random.Random(seed + 1)
    hubs = [p["id"] for p in data["parties"][:5]]
    systems = [s["id"] for s in data["systems"][:3]]
    for flow in data["flows"]:
        if flow["to"].startswith("party-") and rng.random() < 0.9:
            flow["to"] = rng.choice(hubs)
            flow.pop("agreement", None)
            flow.pop("transfer_mechanism", None)
            flow.pop("transfer_agreement", None)
        if flow["from"].startswith("party-") and rng.random() < 0.9:
            flow["from"] = rng.choice(hubs)
        if flow["to"].startswith("sys-"):
            flow["to"] = rng.choice(systems)
    return data


def build_fides(flows: int, seed: int = 1) -> dict[str, Any]:
    """The dense map as a Fides export converted by ``flowaudit import fides`` looks when all
    is well: every party in the UK, every system-to-system flow declaring broad categories, so
    chains never narrow to nothing and nothing is reported (the map on which the onward rule
    took 94% of a 23.9 s run)."""
    data = build_dense(flows, seed)
    tops = sorted({c.split(".")[0] for c, _ in CATEGORIES})
    for party in data["parties"]:
        party.update(country="GB", kind="hosting")
    for flow in data["flows"]:
        if flow["from"] != "org":
            flow["categories"] = tops
    return data


SHAPES = {
    "mixed": ("map", build_map),
    "dense": ("dense", build_dense),
    "fides": ("fides", build_fides),
    "hub": ("hub", build_hub),
}


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text in ("NO", "YES", "ON", "OFF", "true", "false", "null", "") or text[:1].isdigit():
        return json.dumps(text)
    return text


def to_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML as a person would write it: one key a line, inline lists."""
    lines = ["# Synthetic map made by bench/generate.py; do not edit."]
    for section, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{section}:")
            lines.extend(f"  {key}: {_yaml_scalar(item)}" for key, item in value.items())
            lines.append("")
            continue
        lines.append(f"{section}:")
        for element in value:
            prefix = "  - "
            for key, item in element.items():
                if isinstance(item, list):
                    text = "[" + ", ".join(_yaml_scalar(v) for v in item) + "]"
                else:
                    text = _yaml_scalar(item)
                lines.append(f"{prefix}{key}: {text}")
                prefix = "    "
        lines.append("")
    return "\n".join(lines)


def to_json(data: dict[str, Any]) -> str:
    """JSON as inventory tools export it (indented, one key a line)."""
    return json.dumps(data, indent=1) + "\n"


def map_path(folder: str, flows: int, fmt: str, shape: str = "mixed") -> str:
    """Where write_maps puts a map: map_N, dense_N or hub_N with the format's suffix."""
    return os.path.join(folder, f"{SHAPES[shape][0]}_{flows}.{fmt}")


def write_maps(
    flows: int,
    folder: str,
    seed: int = 1,
    formats: tuple[str, ...] = (),
    shape: str = "mixed",
) -> list[str]:
    """Write <shape>_<flows>.yaml and/or .json into folder; returns the paths written."""
    data = SHAPES[shape][1](flows, seed)
    os.makedirs(folder, exist_ok=True)
    written = []
    for fmt in formats or ("yaml", "json"):
        path = map_path(folder, flows, fmt, shape)
        text = to_yaml(data) if fmt == "yaml" else to_json(data)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written


#: Said when more than one file is written: each is a whole map, the folder is not one.
ONE_MAP_NOTE = (
    "note: a folder is one map to flowaudit, and each of these {count} files is a whole map: "
    "pass one file to flowaudit check (one format: --formats yaml)"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="A folder is one map to flowaudit: pass one of the files written, not --out.",
    )
    parser.add_argument("--flows", type=int, action="append", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--formats",
        nargs="+",
        help="the formats to write, yaml and/or json, spaces or commas between them "
        "(default: yaml json, as the bench needs); both into one "
        "folder are the same map twice, so pass one file to flowaudit",
    )
    parser.add_argument(
        "--format",
        choices=["yaml", "json"],
        action="append",
        help="one format to write (repeatable; as --formats)",
    )
    parser.add_argument(
        "--out",
        default=".",
        help="the folder the files are written into (a folder is one map to flowaudit: pass "
        "a file)",
    )
    parser.add_argument("--shape", choices=sorted(SHAPES), default="mixed")
    args = parser.parse_args()
    # ``--formats json,yaml`` read as one unknown choice, "json,yaml", and exited 2
    # (newcomer review s19): commas separate formats as spaces do
    given = [part for value in args.formats or () for part in value.split(",") if part]
    unknown = sorted(set(given) - {"yaml", "json"})
    if unknown:
        parser.error(
            f"argument --formats: invalid choice: {unknown[0]!r} (choose from 'yaml', 'json')"
        )
    formats = tuple(dict.fromkeys([*given, *(args.format or ())]))
    written = 0
    for flows in args.flows:
        for path in write_maps(flows, args.out, args.seed, formats, args.shape):
            print(f"{path}: {os.path.getsize(path):,} bytes")
            written += 1
    if written > 1:
        print(ONE_MAP_NOTE.format(count=written), file=sys.stderr)


if __name__ == "__main__":
    main()
