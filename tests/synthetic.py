"""A synthetic data map of any size, for the readability and speed of big diagrams.

``synthetic_map(1000, 3000, seed=1)`` gives a valid map (same seed, same map) with parties of
every kind spread over a dozen countries, systems, agreements and flows that break some rules,
so a grouped diagram has red and grey edges. Run as a script to write it as JSON:

    python -m tests.synthetic 1000 3000 /tmp/big-map
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from flowaudit.model.schema import PartyKind

COUNTRIES = ("GB", "GB", "GB", "IE", "DE", "FR", "NL", "US", "US", "IN", "CA", "JP", "CH", "BR")
CATEGORIES = (
    "contact",
    "contact.name",
    "contact.email",
    "contact.phone",
    "payment",
    "payment.card",
    "support",
    "network.ip_address",
    "health",
)
SUBJECTS = ("staff", "visitors", "applicants")
PURPOSES = ("support", "billing", "hosting", "marketing", "analytics")
BASES = ("contract", "contract", "contract", "legitimate_interests", "consent", "billing")
KINDS = tuple(k.value for k in PartyKind if k is not PartyKind.ORGANISATION)


def synthetic_map(n_parties: int, n_flows: int, seed: int) -> dict[str, Any]:
    """Map data (one document) with ``n_parties`` parties and ``n_flows`` flows."""
    rng = random.Random(seed)
    parties = [
        {
            "id": f"party-{i:05d}",
            "name": f"Party {i} {rng.choice(['Ltd', 'GmbH', 'Inc.', 'SAS', 'BV'])}",
            "kind": rng.choice(KINDS),
            "country": rng.choice(COUNTRIES),
            "role": rng.choice(["processor", "processor", "controller"]),
        }
        for i in range(n_parties)
    ]
    # Onward flows go to a few big sub-processors: hosting in the US, Ireland and the UK.
    hosts = [p for p in parties if p["kind"] == "hosting"][:9]
    for number, host in enumerate(hosts):
        host["country"] = ("US", "IE", "GB")[number % 3]
    owners = ["synth", *(p["id"] for p in parties)]
    systems = []
    for i in range(max(1, n_parties // 10)):
        owner = "synth" if i % 2 == 0 else rng.choice(owners)
        country = (
            "GB" if owner == "synth" else next(p for p in parties if p["id"] == owner)["country"]
        )
        systems.append(
            {
                "id": f"system-{i:04d}",
                "name": f"System {i}",
                "owner": owner,
                "country": country,
                "categories": sorted(rng.sample(CATEGORIES[:4], 2)),
                "subjects": ["staff"],
                "encrypted_at_rest": rng.random() < 0.9,
            }
        )
    agreements = [
        {
            "id": f"dpa-{party['id']}",
            "kind": "art28_dpa" if party["role"] == "processor" else "data_sharing_agreement",
            "parties": ["synth", party["id"]],
            "status": "signed" if rng.random() < 0.8 else "unknown",
            "signed_on": "2024-01-15",
            "categories": ["contact", "payment", "support"],
        }
        for party in parties
        if rng.random() < 0.7
    ]
    agreed = {a["parties"][1]: a["id"] for a in agreements}
    party_ids = [p["id"] for p in parties]
    customers = [p["id"] for p in parties if p["kind"] == "customer"] or party_ids
    own_systems = [s["id"] for s in systems if s["owner"] == "synth"]
    other_nodes = [*party_ids, *(s["id"] for s in systems if s["owner"] != "synth")]
    subprocessors = [p["id"] for p in hosts] or party_ids
    flows = []
    for i in range(n_flows):
        # Shaped like a real map: mostly ours to others, some inbound, a few onward hops.
        draw = rng.random()
        if draw < 0.75:
            source, target = rng.choice(["synth", *own_systems]), rng.choice(other_nodes)
        elif draw < 0.95:
            source, target = rng.choice(customers), rng.choice(own_systems)
        else:
            source, target = rng.choice(party_ids), rng.choice(subprocessors)
        flow: dict[str, Any] = {
            "id": f"flow-{i:05d}",
            "from": source,
            "to": target,
            "categories": sorted(rng.sample(CATEGORIES, rng.randint(1, 3))),
            "subjects": sorted(rng.sample(SUBJECTS, rng.randint(1, 2))),
            "purpose": rng.choice(PURPOSES),
            "basis": rng.choice(BASES),
            "encrypted_in_transit": True,
        }
        if target in agreed:
            flow["agreement"] = agreed[target]
        if rng.random() < 0.3:
            flow["transfer_mechanism"] = rng.choice(["idta", "privacy_shield_eu_us"])
        flows.append(flow)
    return {
        "organisation": {"id": "synth", "name": "Synthetic Ltd", "country": "GB", "regime": "UK"},
        "parties": parties,
        "systems": systems,
        "categories": [
            {"id": c, "name": c.replace(".", " "), "special_category": c == "health"}
            for c in sorted({*CATEGORIES, "network"})
        ],
        "subjects": [{"id": s, "name": s.title()} for s in SUBJECTS],
        "purposes": [{"id": p, "name": p.title()} for p in PURPOSES],
        "agreements": agreements,
        "flows": flows,
    }


def write_synthetic_map(folder: Path, n_parties: int, n_flows: int, seed: int = 1) -> Path:
    """Write the synthetic map as ``folder/map.json`` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    data = synthetic_map(n_parties, n_flows, seed)
    (folder / "map.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return folder


if __name__ == "__main__":  # pragma: no cover - a command-line helper
    parties, flows, target = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    print(write_synthetic_map(target, parties, flows))
