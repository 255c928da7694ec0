"""bench/fides_compare.py: the manifests it generates are what Fides and our import read.

Runs without Fides installed: the comparison's timing needs Fides (`nox -s fides-compare`);
what is checked here is that both tools are given the work the docs say they are.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import yaml

from tests.helpers import run

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "fides_compare.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fides_compare", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fides_compare", module)
    spec.loader.exec_module(module)
    return module


compare = _module()


def test_each_system_has_three_declarations_and_two_egress_to_other_systems() -> None:
    systems = compare.build_systems(20, seed=3)
    assert [s["fides_key"] for s in systems] == [f"system_{n:05d}" for n in range(1, 21)]
    keys = {s["fides_key"] for s in systems}
    for system in systems:
        assert [d["data_use"] for d in system["privacy_declarations"]] == compare.USES
        targets = [e["fides_key"] for e in system["egress"]]
        assert len(set(targets)) == 2 and system["fides_key"] not in targets
        assert set(targets) <= keys
        assert system["vendor_id"] and system["responsibility"] == ["Processor"]
        assert "third_country_transfers" not in system
        for declaration in system["privacy_declarations"]:
            assert set(declaration["data_categories"]) <= set(compare.CATEGORIES)
    # contact data for marketing, which the policy rejects: systems 10 and 20 only
    marketing = {s["fides_key"]: s["privacy_declarations"][2]["data_categories"] for s in systems}
    offending = sorted(
        k for k, c in marketing.items() if any(x.startswith("user.contact") for x in c)
    )
    assert offending == ["system_00010", "system_00020"]
    # deterministic by seed, and --abroad-every sends every Nth system to the US
    assert compare.build_systems(20, seed=3) == systems
    abroad = compare.build_systems(20, seed=3, abroad_every=10)
    assert [s["fides_key"] for s in abroad if s.get("third_country_transfers") == ["USA"]] == [
        "system_00005",
        "system_00015",
    ]


def test_import_reads_the_manifests_and_check_finds_the_policy_violations(
    tmp_path: Path,
) -> None:
    manifests = compare.write_comparison(tmp_path, 20, seed=3)
    assert sorted(p.name for p in manifests.iterdir()) == [
        "organization.yml",
        "policy.yml",
        "systems.yml",
    ]
    policy = yaml.safe_load((manifests / "policy.yml").read_text())["policy"][0]
    assert policy["fides_key"] == compare.POLICY_KEY
    assert "local_mode = true" in (tmp_path / ".fides" / "fides.toml").read_text()

    out = tmp_path / "map.yaml"
    imported = run(["import", "fides", str(manifests), "--out", str(out)])
    assert imported.exit_code == 0, imported.output
    # 3 declarations and 2 egress flows per system, every system a vendor's (a party)
    assert "wrote" in imported.output and "20 parties, 0 systems, 100 flows" in imported.output

    checked = run(
        [
            "check",
            str(out),
            "--as-of",
            compare.AS_OF,
            "--policies",
            str(tmp_path / "flowaudit-policy.yaml"),
        ]
    )
    assert checked.exit_code == 1, checked.output
    rule = "COMPARE-REJECT-DIRECT-MARKETING"
    assert sorted(
        line.split(" ")[3] for line in checked.output.splitlines() if f" {rule} " in line
    ) == [
        "flows/system_00010-3:",
        "flows/system_00020-3:",
    ]
    assert compare.count_flowaudit(checked.output) > 2
    assert "GDPR-ONWARD" not in checked.output  # all in the UK: the chains find nothing


#: The end of `fides --local evaluate` (2.78.2) on the 20 systems above: two violations.
FIDES_OUTPUT = """\
Executing Policy evaluation(s)...
{ 'fides_key': '6d3b9d96_c9b2_436c_9aba_cd954cbbc9ea',
  'message': None,
  'status': 'FAIL',
  'violations': [ { 'detail': 'Declaration (marketing.advertising at system '
                              '10) of system (system_00010) failed rule '
                              '(Reject Direct Marketing) from policy '
                              '(compare_privacy_policy). Violated usage of '
                              'data categories (user.contact.email) for data '
                              'uses (marketing.advertising) and subjects '
                              '(customer)',
                    'violating_attributes': { 'data_categories': [ 'user.contact.email'],
                                              'data_subjects': ['customer'],
                                              'data_uses': [ 'marketing.advertising']}},
                  { 'detail': 'Declaration (marketing.advertising at system '
                              '20) of system (system_00020) failed rule '
                              '(Reject Direct Marketing) from policy '
                              '(compare_privacy_policy). Violated usage of '
                              'data categories (user.contact.email) for data '
                              'uses (marketing.advertising) and subjects '
                              '(customer)',
                    'violating_attributes': { 'data_categories': [ 'user.contact.email'],
                                              'data_subjects': ['customer'],
                                              'data_uses': [ 'marketing.advertising']}}]}
"""


def test_findings_are_counted_from_each_tools_output() -> None:
    assert compare.count_fides(FIDES_OUTPUT) == 2
    assert compare.count_fides("Evaluation passed!") == 0
    assert compare.count_flowaudit("x\nOrg as of 2026-11-25: 7 findings (1 critical)\n") == 7
    assert compare.count_flowaudit("Org as of 2026-11-25: 23,105 findings (0 critical") == 23105
    assert compare.count_flowaudit("no summary") == 0
    assert compare.fides_command("fides")[1:4] == ["--local", "evaluate", "manifests"]
    script = compare.flowaudit_command("flowaudit")[2]
    assert "import fides manifests" in script and "--policies flowaudit-policy.yaml" in script


def test_a_large_import_prints_twenty_notes_and_says_where_the_rest_are(tmp_path: Path) -> None:
    """5 notes a system: 20 systems give 100+, of which stderr shows 20 and a pointer."""
    manifests = compare.write_comparison(tmp_path, 20, seed=3)
    out = tmp_path / "map.yaml"
    imported = run(["import", "fides", str(manifests), "--out", str(out)])
    assert imported.exit_code == 0
    notes = [line for line in imported.stderr.splitlines() if line.startswith("note: ")]
    header = [line for line in out.read_text().splitlines() if line.startswith("# - ")]
    assert len(header) > 21
    assert notes[:20] == [f"note: {line[4:]}" for line in header[:20]]
    assert notes[20:] == [f"note: ... and {len(header) - 20} more, all listed at the top of {out}"]
