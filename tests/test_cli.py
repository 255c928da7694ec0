"""The CLI through its real entry points: exit codes, formats, the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from flowaudit.cli import main
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import BASE, FIXTURES, run

AGREEMENT_BAD = FIXTURES / "checks" / "agreement" / "bad.yaml"
CLEAN = FIXTURES / "cli" / "clean.yaml"


def test_clean_map_exits_0_and_says_pass() -> None:
    result = run(["check", str(BASE), str(CLEAN), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("PASS: 0 findings at or above low.\n")


def test_findings_exit_1_and_fail_on_raises_the_bar() -> None:
    args = ["check", str(BASE), str(AGREEMENT_BAD), "--as-of", "2026-11-25"]
    assert run(args).exit_code == 1
    assert run([*args, "--fail-on", "critical"]).exit_code == 0


def test_text_lines_are_file_line_col_severity_rule() -> None:
    result = run(["check", str(BASE), str(AGREEMENT_BAD), "--as-of", "2026-11-25"])
    first = result.output.splitlines()[0]
    assert first.startswith(
        f"{AGREEMENT_BAD.relative_to(Path.cwd())}:"
        if AGREEMENT_BAD.is_relative_to(Path.cwd())
        else str(AGREEMENT_BAD)
    )
    assert (
        # the missing contract is also the missing authorisation of the one sub-processor
        # the staff contacts, which Acme gets only as UK Controller's processor, reach along
        # seven flows: one finding (DPO review 2026-12-03l, problem 1)
        " HIGH GDPR-AGREEMENT + GDPR-PROCESSOR flows/acme-as-processor: UK Controller "
        "(controller) → Acme Ltd (processor): an Art. 28 contract is required; none is linked; "
        "it must authorise the sub-processor the controller's data reaches (Art. 28(2)): UK "
        "Processor (no-agreement, unknown-status, draft, expired, wrong-kind, not-covered, "
        "wrong-parties)"
    ) in first


def test_json_format_is_stable_and_complete() -> None:
    result = run(
        ["check", str(BASE), str(AGREEMENT_BAD), "--as-of", "2026-11-25", "--format", "json"]
    )
    data = json.loads(result.output)
    assert data["format_version"] == 1
    assert data["as_of"] == "2026-11-25"
    assert data["summary"]["verdict"] == "fail"
    assert data["summary"]["by_severity"]["high"] == 7
    # the unknown-status agreement (an evidence gap) and Acme's Art. 30(2) processor record
    # (breach notice to the controller is GDPR-BREACH's, one finding)
    assert data["summary"]["by_severity"]["medium"] == 2
    assert data["summary"]["by_severity"]["low"] == 8  # HYG-NOTICE-CLAUSE: no flow cites a clause
    assert len(data["findings"]) == 17
    assert data["warnings"] == []
    first = data["findings"][0]
    assert set(first) == {
        "id",
        "rule_id",
        "also_rules",
        "severity",
        "code",
        "message",
        "element",
        "field",
        "location",
        "path",
        "waiver",
        # the sub-processor flows the controller's contract must authorise (fix-subproc-s20)
        "flows",
    }
    assert first["element"] == {"collection": "flows", "id": "acme-as-processor"}
    assert first["flows"] == [
        "acme-as-processor",
        "no-agreement",
        "unknown-status",
        "draft",
        "expired",
        "wrong-kind",
        "not-covered",
        "wrong-parties",
    ]
    assert len(data["fingerprint"]) == 64
    again = run(
        ["check", str(BASE), str(AGREEMENT_BAD), "--as-of", "2026-11-25", "--format", "json"]
    )
    assert again.output == result.output


def test_usage_errors_exit_2() -> None:
    assert run(["check", "--as-of", "yesterday"]).exit_code == 2
    assert run(["check", "--fail-on", "severe"]).exit_code == 2
    assert run(["frobnicate"]).exit_code == 2


@pytest.mark.parametrize(
    ("command", "written", "why"),
    [
        ("check", "2026-02-30", "February 2026 has 28 days"),
        ("check", "2026-04-31", "April 2026 has 30 days"),
        ("check", "2026-13-01", "there is no month 13"),
        ("law", "2025-02-29", "February 2025 has 28 days"),
    ],
)
def test_an_as_of_day_that_does_not_exist_is_called_so(
    command: str, written: str, why: str
) -> None:
    """2026-02-30 matches YYYY-MM-DD: the error says the day does not exist, not that the
    format is wrong (review 2026-12-02d, problem 10)."""
    result = run([command, "--as-of", written])
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for '--as-of': '{written}': that day does not exist ({why})\n"
    ) in result.output
    assert "does not match the format" not in result.output
    assert run(["check", str(BASE), "--as-of", "2024-02-29"]).exit_code in (0, 1)


def test_a_map_day_that_does_not_exist_is_called_so(tmp_path: Path) -> None:
    """A map's date written YYYY-MM-DD that names no day gets --as-of's wording, located,
    exit 2 (review 2026-12-02e, problem 9); a date in another format is still told the
    format."""
    records = tmp_path / "records.yaml"
    records.write_text(
        "agreements:\n"
        "  - {id: a1, kind: art28_dpa, parties: [acme, uk-proc], status: signed, "
        "signed_on: 2025-13-20}\n"
        "  - {id: a2, kind: art28_dpa, parties: [acme, uk-proc], status: signed, "
        "signed_on: 10/05/2024}\n"
        "assessments:\n"
        "  - {id: tra, kind: transfer_risk, completed_on: '2025-02-30'}\n",
        encoding="utf-8",
    )
    result = run(["validate", str(BASE), str(records)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "records.yaml:" in line]
    assert [line.split("records.yaml:", 1)[1] for line in lines] == [
        "2:73: signed_on: '2025-13-20': that day does not exist (there is no month 13)",
        "3:73: signed_on: '10/05/2024' is not a date: use YYYY-MM-DD (e.g. 2024-03-01)",
        "5:36: completed_on: '2025-02-30': that day does not exist (February 2025 has 28 days)",
    ]


def test_field_messages_name_what_is_allowed(tmp_path: Path) -> None:
    """Review 2026-12-02e, problem 12: a closed list's value with no close match, and a
    number of days written in words, got the parser's own wording ("Input should be ...",
    "unable to parse string as an integer"); "SCCs" got the list of every mechanism, not
    the rows standard contractual clauses are named by."""
    organisation = tmp_path / "organisation.yaml"
    organisation.write_text(
        BASE.read_text(encoding="utf-8").replace("dsar_days: 28", "dsar_days: one month"),
        encoding="utf-8",
    )
    flows = tmp_path / "flows.yaml"
    flows.write_text(
        "flows:\n  - {id: f1, from: acme, to: us-host, categories: [contact], subjects: [staff], "
        "purpose: support, basis: contract, transfer_mechanism: SCCs}\n",
        encoding="utf-8",
    )
    result = run(["validate", str(organisation), str(flows)])
    assert result.exit_code == 2
    assert "organisation.yaml:8:3: dsar_days: 'one month' is not a whole number of days " in (
        result.output
    )
    assert (
        "flows.yaml:2:116: unknown transfer_mechanism 'SCCs': standard contractual clauses are "
        "named by the row for the exporter: a UK exporter uses the IDTA (idta) or the EU SCCs "
        "with the UK Addendum (uk_addendum), an EU exporter the EU SCCs of 2021 (eu_scc_2021)\n"
    ) in result.output
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "policy: {id: p, title: P}\nrules:\n  - id: P-1\n    kind: forbidden\n"
        "    title: t\n    severity: urgent\n    rationale: r\n"
        "    references: {notice: [N-1]}\n    fix: f\n    match: {recipient_kinds: [isp]}\n",
        encoding="utf-8",
    )
    result = run(["check", str(BASE), "--policies", str(policy)])
    assert result.exit_code == 2
    assert (
        "policy.yaml:6:5: severity: 'urgent' is not one of critical, high, medium, low, info\n"
        in (result.output)
    )
    assert "Input should be" not in result.output


def test_bad_user_policy_path_exits_2(tmp_path: Path) -> None:
    result = run(["check", str(BASE), "--policies", str(tmp_path / "missing")])
    assert result.exit_code == 2
    # says what to do (auditor review 2026-12-03g, problem 3)
    assert (
        "missing:1:1: --policies names a file or folder that does not exist: create it (your"
        " own policy files go there), or drop the option (the shipped policies need none)"
    ) in result.output


def test_schema_validates_the_shipped_map() -> None:
    result = run(["schema"])
    schema = json.loads(result.output)
    from flowaudit.model.yamlsource import parse_file

    for path in sorted(shipped_map_dir().glob("*.yaml")):
        document = parse_file(str(path), path.name)
        jsonschema.validate(document.data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"flows": [{"id": "f", "agrement": "x"}]}, schema)


def test_policy_schema_is_printed() -> None:
    schema = json.loads(run(["schema", "--policies"]).output)
    assert "rules" in schema["properties"]


def test_main_exits_with_the_command_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(BASE)])
    assert exited.value.code == 0
    assert "valid map" in capsys.readouterr().out


def test_installed_console_script_runs_the_shipped_map() -> None:
    script = shutil.which("flowaudit", path=os.path.dirname(sys.executable)) or shutil.which(
        "flowaudit"
    )
    assert script is not None, "the flowaudit console script is not installed"
    completed = subprocess.run(
        [script, "check", "--as-of", "2026-11-25"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    assert "GDPR-TRANSFER + CONCERO-TRANSFER (N-LOCATION, N-ABROAD) flows/hosting-us" in (
        completed.stdout
    )
    broken = subprocess.run(
        [script, "validate", str(FIXTURES / "checks")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert broken.returncode == 2
    assert "Traceback" not in broken.stderr


def test_committed_schemas_are_fresh() -> None:
    docs = Path(__file__).parent.parent / "docs" / "schemas"
    assert json.loads((docs / "map.schema.json").read_text()) == json.loads(run(["schema"]).output)
    assert json.loads((docs / "policy.schema.json").read_text()) == json.loads(
        run(["schema", "--policies"]).output
    ), "run `nox -s docs`"
