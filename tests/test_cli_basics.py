"""check, validate and schema on the shipped Concero map through the real CLI: exit codes and
the first facts a user reads. (Added with the DPO commands so the coverage gate holds.)"""

from __future__ import annotations

import json

import pytest

from tests.helpers import run

AS_OF = ["--as-of", "2026-11-25"]


def test_check_text_on_concero_fails_with_53_findings() -> None:
    result = run(["check", *AS_OF])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-2] == (
        "Concero Technology Services as of 2026-11-25: 53 findings (3 critical, 15 high, "
        "31 medium, 4 low, 0 info), 0 waived; 185 checks passed; 43 rules."
    )
    assert lines[-1] == "FAIL: 53 findings at or above low."
    # the shipped map reads <flowaudit>/..., never an install path
    assert ".venv" not in result.stdout and "site-packages" not in result.stdout
    assert (
        "<flowaudit>/model/concero/flows.yaml:194:5 CRITICAL GDPR-TRANSFER + CONCERO-TRANSFER "
        "(N-LOCATION, N-ABROAD) flows/hosting-us: EU-US Privacy "
        "Shield is invalid since 2020-07-16"
    ) in result.stdout


def test_check_json_summary_and_fail_on() -> None:
    result = run(["check", *AS_OF, "--format", "json", "--fail-on", "critical"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"] == {
        "by_severity": {"critical": 3, "high": 15, "info": 0, "low": 4, "medium": 31},
        "fail_on": "critical",
        "failing": 3,
        "findings": 53,
        "passed": 185,
        "verdict": "fail",
        "waived": 0,
    }
    hosting_us = next(
        f
        for f in document["findings"]
        if f["element"]["id"] == "hosting-us" and f["rule_id"] == "GDPR-TRANSFER"
    )
    location = hosting_us["location"]
    assert location["file"].endswith("concero/flows.yaml")
    assert (location["line"], location["column"]) == (194, 5)


def test_validate_and_schema() -> None:
    validate = run(["validate"])
    assert validate.exit_code == 0
    assert validate.stdout == (
        "Concero Technology Services: valid map of 14 parties, 11 systems, 21 flows, "
        "9 agreements in 5 files.\n"
    )
    schema = json.loads(run(["schema"]).stdout)
    assert schema["$id"] == "https://flowaudit.invalid/schemas/map.json"
    assert "flows" in schema["properties"]
    policies = json.loads(run(["schema", "--policies"]).stdout)
    assert policies["title"] == "PolicyFile"


def test_version_without_importing_the_engine() -> None:
    """--version answers from a literal, before pydantic, networkx or the checks load."""
    import subprocess
    import sys
    from importlib.metadata import version

    import flowaudit

    assert flowaudit.__version__ == version("flowaudit")
    probe = (
        "import sys; from flowaudit.entry import main; main(['--version']); "
        "print(sorted(m for m in ('pydantic', 'networkx', 'jinja2', 'click', "
        "'flowaudit.cli') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == f"flowaudit, version {flowaudit.__version__}\n[]\n"


def test_entry_point_hands_everything_but_version_to_the_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flowaudit.entry import main

    main(["--version"])
    assert capsys.readouterr().out.startswith("flowaudit, version ")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate"])
    assert exit_info.value.code == 0
    assert "valid map of" in capsys.readouterr().out
