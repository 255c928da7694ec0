"""flowaudit import fides: three systems in Fides' format import, load and check."""

from __future__ import annotations

from pathlib import Path

from flowaudit.model.fides import import_fides
from flowaudit.model.loader import load_map
from tests.conftest import FIXTURES, run

FIDES = FIXTURES / "fides"


def test_three_systems_become_parties_flows_and_unknown_agreements() -> None:
    imported = import_fides(str(FIDES), "GB", "UK")
    data = imported.data
    assert [p["id"] for p in data["parties"]] == [
        "demo_analytics_system",
        "demo_marketing_system",
        "payments_vendor",
    ]
    vendor = data["parties"][2]
    assert (vendor["country"], vendor["role"], vendor["placeholder"]) == ("US", "processor", False)
    assert [f["id"] for f in data["flows"]] == [
        "demo_analytics_system-1",
        "demo_marketing_system-1",
        "payments_vendor-1",
        "demo_marketing_system-to-demo_analytics_system",
        "demo_marketing_system-to-payments_vendor",
    ]
    payments = data["flows"][2]
    assert payments["categories"] == ["user.contact.email", "user.financial.credit_card"]
    assert payments["basis"] == "contract"
    assert {a["status"] for a in data["agreements"]} == {"unknown"}
    # subjects keep their link to the shared vocabulary, as categories do
    assert data["subjects"] and all(s["fides_key"] == s["id"] for s in data["subjects"])
    assert any("no agreements or transfer mechanisms" in note for note in imported.notes)
    assert any("Fides policy entries are not carried over" in note for note in imported.notes)


def test_imported_map_loads_and_checks_with_findings_not_errors(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    result = run(["import", "fides", str(FIDES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "3 parties, 5 flows" in result.output
    assert out.read_text().startswith("# Imported from Fides manifests by flowaudit.")
    assert len(load_map([out]).data.flows) == 5
    checked = run(["check", str(out), "--as-of", "2026-11-25"])
    assert checked.exit_code == 1, checked.output
    assert (
        "CRITICAL GDPR-TRANSFER flows/demo_marketing_system-to-payments_vendor:"
    ) in checked.output
    assert "agreement 'payments_vendor-agreement' is recorded with status unknown" in (
        checked.output
    )


def test_not_a_fides_folder_exits_2(tmp_path: Path) -> None:
    assert run(["import", "fides", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "x.yml").write_text("dataset: []\n")
    result = run(["import", "fides", str(tmp_path), "--out", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert "no Fides system manifests found" in result.output
