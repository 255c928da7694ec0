"""Fides against flowaudit on the same manifests: generate them, run both, time both.

Fides (ethyca-fides) evaluates a Fides policy against the privacy declarations of the
systems in a folder of manifests (``fides --local evaluate``: no server, no database).
flowaudit converts the same folder (``flowaudit import fides``) and checks the map
(``flowaudit check``): its GDPR rules over every flow, declarations and system-to-system
egress alike, plus the Fides policy's rule written as a flowaudit ``forbidden`` rule.

The manifests: N systems, each run by a vendor (``vendor_id``, ``responsibility:
[Processor]``, ``dpa_location``), so that the import makes them parties and their egress
onward flows; each with 3 privacy declarations and 2 egress links to other systems. One
system in ten uses contact data for marketing, which the Fides policy (the demo policy's
"Reject Direct Marketing" rule) rejects. All systems are in the UK by default, as in the
issue's measurement (the onward rule then follows every chain and finds nothing);
``--abroad-every 10`` makes every tenth system transfer to the US under SCCs (whose UK
Addendum is not recorded as signed: thousands of onward and transfer findings). Deterministic
by ``--seed``.

    python bench/fides_compare.py generate --systems 1000 --out /tmp/fides-compare
    python bench/fides_compare.py run --systems 1000 --fides /path/to/venv/bin/fides
    nox -s fides-compare -- --systems 1000 --runs 3

``generate`` writes ``OUT/manifests/`` (systems, organisation and Fides policy: the folder
both tools read), ``OUT/flowaudit-policy.yaml`` (the Fides rule for flowaudit),
``OUT/.fides/fides.toml`` (local mode, no server) and ``OUT/flowaudit.sh`` (import then
check: one process tree to time). ``run`` also times the two, A B A B, whole processes,
and prints wall and CPU seconds, the ratio per pair and the findings of each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

#: The Fides taxonomy keys used (all in fideslang's default taxonomy).
CATEGORIES = [
    "user.contact.email",
    "user.contact.phone_number",
    "user.contact.address",
    "user.name",
    "user.device.cookie_id",
    "user.device.ip_address",
    "user.unique_id",
    "user.financial.bank_account",
    "user.location.imprecise",
    "system.operations",
]
USES = ["essential.service", "analytics.reporting", "marketing.advertising"]
SUBJECTS = ["customer", "employee"]
POLICY_KEY = "compare_privacy_policy"
ORGANISATION_KEY = "default_organization"
AS_OF = "2026-11-25"

#: The demo policy's rule, as Fides and as flowaudit state it.
FIDES_POLICY: dict[str, Any] = {
    "policy": [
        {
            "fides_key": POLICY_KEY,
            "name": "Comparison privacy policy",
            "description": "The demo policy's rule: no contact data for direct marketing.",
            "rules": [
                {
                    "name": "Reject Direct Marketing",
                    "description": "Disallow using any user contact info for marketing.",
                    "data_categories": {"matches": "ANY", "values": ["user.contact"]},
                    "data_uses": {"matches": "ANY", "values": ["marketing.advertising"]},
                    "data_subjects": {"matches": "ANY", "values": ["customer"]},
                }
            ],
        }
    ]
}
FLOWAUDIT_POLICY: dict[str, Any] = {
    "policy": {
        "id": "fides-compare",
        "title": "The Fides comparison policy, as a flowaudit rule",
    },
    "rules": [
        {
            "id": "COMPARE-REJECT-DIRECT-MARKETING",
            "kind": "forbidden",
            "title": "No user contact data for direct marketing",
            "severity": "high",
            "rationale": "The Fides policy's rule, for a like-for-like comparison.",
            "references": {"notice": [], "legal": []},
            "fix": "Stop using contact data for advertising.",
            "match": {
                "directions": ["outbound"],
                "purposes": ["marketing.advertising"],
                "subjects": {"matches": "ANY", "values": ["customer"]},
            },
            "categories": ["user.contact"],
        }
    ],
}
FIDES_TOML = """\
# Local mode: fides evaluates the manifests without a server or a database.
[cli]
local_mode = true
analytics_id = "flowaudit-fides-compare"

[user]
analytics_opt_out = true
"""


def system_key(number: int) -> str:
    return f"system_{number:05d}"


def build_systems(systems: int, seed: int = 1, abroad_every: int = 0) -> list[dict[str, Any]]:
    """N vendor systems: 3 declarations and 2 egress links to other systems each; with
    ``abroad_every`` N, every Nth system (from the N/2th) transfers to the US under SCCs."""
    if systems < 3:
        raise ValueError("at least 3 systems, so that each can send to two others")
    rng = random.Random(seed)
    result = []
    for number in range(1, systems + 1):
        others: list[int] = []
        while len(others) < 2:  # two other systems, drawn in constant time
            other = rng.randint(1, systems)
            if other != number and other not in others:
                others.append(other)
        declarations = []
        for use in USES:
            categories = sorted(rng.sample(CATEGORIES, 3))
            if use == "marketing.advertising":
                # Fides' rule fires on contact data for marketing: one system in ten.
                categories = [c for c in categories if not c.startswith("user.contact")]
                if number % 10 == 0:
                    categories.append("user.contact.email")
                categories = sorted(set(categories) or {"user.device.cookie_id"})
            declarations.append(
                {
                    "name": f"{use} at system {number}",
                    "data_categories": categories,
                    "data_use": use,
                    "data_subjects": [rng.choice(SUBJECTS)] if use != USES[2] else ["customer"],
                    "legal_basis_for_processing": "Contract"
                    if use == "essential.service"
                    else "Legitimate interests",
                }
            )
        system: dict[str, Any] = {
            "fides_key": system_key(number),
            "name": f"System {number}",
            "description": f"Vendor system {number}.",
            "system_type": "Service",
            "vendor_id": f"vendor-{number:05d}",
            "responsibility": ["Processor"],
            "dpa_location": f"https://vendors.example/{number:05d}/dpa.pdf",
            "egress": [{"fides_key": system_key(n), "type": "system"} for n in others],
            "privacy_declarations": declarations,
        }
        if abroad_every and number % abroad_every == abroad_every // 2:
            system["third_country_transfers"] = ["USA"]
            system["legal_basis_for_transfers"] = ["SCCs"]
        result.append(system)
    return result


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=100)


def write_comparison(out: Path, systems: int, seed: int = 1, abroad_every: int = 0) -> Path:
    """Write the manifests, both policies, the Fides config and the flowaudit script;
    returns the manifests folder."""
    manifests = out / "manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    (manifests / "systems.yml").write_text(
        _dump({"system": build_systems(systems, seed, abroad_every)}), encoding="utf-8"
    )
    (manifests / "organization.yml").write_text(
        _dump(
            {
                "organization": [
                    {
                        "fides_key": ORGANISATION_KEY,
                        "name": "Comparison Organisation",
                        "description": "The organisation whose vendors these are.",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    (manifests / "policy.yml").write_text(_dump(FIDES_POLICY), encoding="utf-8")
    (out / "flowaudit-policy.yaml").write_text(_dump(FLOWAUDIT_POLICY), encoding="utf-8")
    (out / ".fides").mkdir(exist_ok=True)
    (out / ".fides" / "fides.toml").write_text(FIDES_TOML, encoding="utf-8")
    return manifests


def fides_command(fides: str) -> list[str]:
    """Fides' local evaluation of the manifests against the policy (run in OUT)."""
    return [fides, "--local", "evaluate", "manifests", "--fides-key", POLICY_KEY]


def flowaudit_command(flowaudit: str) -> list[str]:
    """Import then check, as one process tree (run in OUT)."""
    script = (
        f"{shlex.quote(flowaudit)} import fides manifests --out map.yaml >/dev/null && "
        f"exec {shlex.quote(flowaudit)} check map.yaml --as-of {AS_OF} "
        "--policies flowaudit-policy.yaml"
    )
    return ["sh", "-c", script]


#: fides evaluate prints its Evaluation as a Python dict: one 'violating_attributes' per violation.
FIDES_VIOLATION = re.compile(r"'violating_attributes':")
FLOWAUDIT_SUMMARY = re.compile(r": (\d[\d,]*) findings? \(")  # counts print as 23,105


def count_fides(output: str) -> int:
    """Violations in fides evaluate's output (one per declaration and rule it fails)."""
    return len(FIDES_VIOLATION.findall(output))


def count_flowaudit(output: str) -> int:
    """Findings in flowaudit check's text output, from its summary line."""
    found = FLOWAUDIT_SUMMARY.search(output)
    return int(found.group(1).replace(",", "")) if found else 0


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str, int]:
    """Wall and CPU seconds (user + sys of the whole process tree) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr, done.returncode


def run_comparison(out: Path, fides: str, flowaudit: str, runs: int) -> dict[str, Any]:
    """Time both, alternating, after one warm-up each; medians and per-pair ratios."""
    env = {**os.environ, "FIDES__CONFIG_PATH": str(out / ".fides" / "fides.toml")}
    commands = {"fides": fides_command(fides), "flowaudit": flowaudit_command(flowaudit)}
    figures: dict[str, dict[str, Any]] = {n: {"wall": [], "cpu": []} for n in commands}
    for name, command in commands.items():  # warm-up, and the findings
        _, _, output, code = _timed(command, out, env)
        (out / f"{name}.out").write_text(output, encoding="utf-8")
        counter = count_fides if name == "fides" else count_flowaudit
        figures[name].update(exit=code, findings=counter(output))
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu, _, _ = _timed(command, out, env)
            figures[name]["wall"].append(wall)
            figures[name]["cpu"].append(cpu)
    pairs = [
        a / b for a, b in zip(figures["fides"]["wall"], figures["flowaudit"]["wall"], strict=True)
    ]
    return {
        "commands": {n: shlex.join(c) for n, c in commands.items()},
        **{
            name: {
                "wall_median": statistics.median(f["wall"]),
                "cpu_median": statistics.median(f["cpu"]),
                "wall": f["wall"],
                "exit": f["exit"],
                "findings": f["findings"],
            }
            for name, f in figures.items()
        },
        "ratio_fides_over_flowaudit": statistics.median(pairs),
        "ratios": pairs,
    }


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("generate", "run"):
        one = sub.add_parser(name)
        one.add_argument("--systems", type=int, default=1000)
        one.add_argument("--seed", type=int, default=1)
        one.add_argument("--out", default="/tmp/fides-compare")
        one.add_argument("--abroad-every", type=int, default=0)
        if name == "run":
            one.add_argument("--fides", default="fides", help="the fides executable")
            one.add_argument("--flowaudit", default="flowaudit")
            one.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    manifests = write_comparison(out, args.systems, args.seed, args.abroad_every)
    print(f"wrote {manifests} ({args.systems} systems) and {out / 'flowaudit-policy.yaml'}")
    if args.command == "generate":
        print(
            f"in {out}: FIDES__CONFIG_PATH=.fides/fides.toml {shlex.join(fides_command('fides'))}"
        )
        print(f"in {out}: {shlex.join(flowaudit_command('flowaudit'))}")
        return
    result = run_comparison(out, args.fides, args.flowaudit, args.runs)
    for name in ("fides", "flowaudit"):
        row = result[name]
        print(
            f"{name:9} wall {row['wall_median']:.2f} s (runs {_seconds(row['wall'])}), "
            f"CPU {row['cpu_median']:.2f} s, exit {row['exit']}, findings {row['findings']}: "
            f"{result['commands'][name]}"
        )
    print(
        f"fides / flowaudit (wall, per pair): median {result['ratio_fides_over_flowaudit']:.2f} "
        f"({', '.join(f'{r:.2f}' for r in result['ratios'])})"
    )
    (out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
