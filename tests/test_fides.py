"""flowaudit import fides: three systems in Fides' format import, load and check."""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.model.fides import import_fides
from flowaudit.model.loader import load_map
from tests.helpers import FIXTURES, run

FIDES = FIXTURES / "fides"


def test_own_systems_stay_internal_and_vendors_become_parties() -> None:
    imported = import_fides(str(FIDES), "GB", "UK")
    data = imported.data
    assert [p["id"] for p in data["parties"]] == ["payments_vendor"]
    assert [(s["id"], s["owner"]) for s in data["systems"]] == [
        ("demo_analytics_system", "default_organization"),
        ("demo_marketing_system", "default_organization"),
    ]
    vendor = data["parties"][0]
    assert (vendor["country"], vendor["role"], vendor["placeholder"]) == ("US", "processor", False)
    assert [f["id"] for f in data["flows"]] == [
        "demo_analytics_system-1",
        "demo_marketing_system-1",
        "payments_vendor-1",
        "demo_marketing_system-to-demo_analytics_system",
        "demo_marketing_system-to-payments_vendor",
    ]
    # categories of the referenced dataset join the declaration's own
    assert data["flows"][0]["categories"] == [
        "system.operations",
        "user.contact",
        "user.contact.address.state",
        "user.contact.email",
        "user.device.cookie_id",
        "user.name",
        "user.unique_id",
    ]
    payments = data["flows"][2]
    assert payments["categories"] == ["user.contact.email", "user.financial.credit_card"]
    assert payments["basis"] == "contract"
    assert {a["status"] for a in data["agreements"]} == {"unknown"}
    # subjects keep their link to the shared vocabulary, as categories do
    assert data["subjects"] and all(s["fides_key"] == s["id"] for s in data["subjects"])
    assert "system demo_analytics_system: field 'administrating_department' not carried over" in (
        imported.notes
    )
    assert any("Fides policy entries are not carried over" in note for note in imported.notes)


def test_current_fides_fields_are_read() -> None:
    imported = import_fides(str(FIXTURES / "fides-current"), "GB", "UK")
    data = imported.data
    organisation = data["organisation"]
    assert organisation["dpo"] == {
        "name": "DataPro Tection",
        "email": "dpo@demo_company.com",
        "phone": "+1 555 555 5555",
        "address": "123 demo street, New York, NY, USA",
    }
    assert organisation["contact"]["name"] == "Con Troller"
    assert organisation["representative"]["name"] == "Rep Resentative"
    crm = data["parties"][0]
    assert (crm["id"], crm["role"], crm["country"]) == ("crm_vendor", "processor", "US")
    assert [s["id"] for s in data["systems"]] == ["web_shop"]
    agreement = data["agreements"][0]
    assert (agreement["evidence"], agreement["status"]) == (
        "https://crm.example/dpa.pdf",
        "unknown",
    )
    flows = {f["id"]: f for f in data["flows"]}
    assert flows["crm_vendor-1"]["transfer_mechanism"] == "uk_addendum"
    assert flows["web_shop-to-crm_vendor"]["transfer_mechanism"] == "uk_addendum"
    # a declaration whose categories come only from its dataset is no longer dropped
    assert flows["web_shop-1"]["categories"] == [
        "system.operations",
        "user.contact.address.state",
        "user.contact.email",
        "user.name",
        "user.unique_id",
    ]
    assert flows["web_shop-2"]["basis"] == "legitimate_interests"
    assert sorted(imported.notes)[:4] == [
        "Fides records no signed agreements: every agreement is imported with status unknown",
        "flow web_shop -> crm_vendor: Fides records no subjects or purpose on egress; all "
        "subjects and the first purpose were assumed",
        "organization default_organization: field 'security_policy' not carried over",
        "system crm_vendor: field 'exempt_from_privacy_regulations' not carried over",
    ]
    eu = import_fides(str(FIXTURES / "fides-current"), "IE", "EU").data
    assert eu["flows"][0]["transfer_mechanism"] == "eu_scc_2021"


def test_imported_map_loads_and_checks_with_findings_not_errors(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    result = run(["import", "fides", str(FIDES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "1 party, 2 systems, 5 flows" in result.output
    assert out.read_text().startswith("# Imported from Fides manifests by flowaudit.")
    assert len(load_map([out]).data.flows) == 5
    checked = run(["check", str(out), "--as-of", "2026-11-25"])
    assert checked.exit_code == 1, checked.output
    assert (
        "CRITICAL GDPR-TRANSFER flows/demo_marketing_system-to-payments_vendor:"
    ) in checked.output
    # one agreement of unknown status linked by two flows: one finding naming both (DPO
    # review s18, problem 3)
    assert (
        "agreement 'payments_vendor-agreement' (linked by flows payments_vendor-1, "
        "demo_marketing_system-to-payments_vendor) is recorded with status unknown"
    ) in checked.output


def test_not_a_fides_folder_exits_2(tmp_path: Path) -> None:
    assert run(["import", "fides", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "x.yml").write_text("dataset: []\n")
    result = run(["import", "fides", str(tmp_path), "--out", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert "no Fides system manifests found" in result.output


def test_a_system_sending_to_itself_is_skipped_with_a_note(tmp_path: Path) -> None:
    """Attack review 2026-12-03w, problem 2: a flow from a store into itself is refused by the
    loader, so a Fides system whose egress names itself imports no such flow (the map would
    not load); the note says it was skipped, and the imported map loads."""
    folder = tmp_path / "fides"
    shutil.copytree(FIXTURES / "fides-current", folder)
    systems = folder / "systems.yml"
    text = systems.read_text(encoding="utf-8")
    egress = "      - {fides_key: crm_vendor, type: system}\n"
    assert egress in text
    systems.write_text(
        text.replace(egress, egress + "      - {fides_key: web_shop, type: system}\n", 1),
        encoding="utf-8",
    )
    imported = import_fides(str(folder), "GB", "UK")
    assert "system web_shop: egress to itself skipped" in imported.notes
    assert not [f for f in imported.data["flows"] if f["from"] == f["to"]]
    out = tmp_path / "map.yaml"
    assert run(["import", "fides", str(folder), "--out", str(out)]).exit_code == 0
    assert run(["check", str(out), "--as-of", "2026-11-25"]).exit_code == 1
