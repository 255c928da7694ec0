"""A party recorded ``role: joint_controller`` that determines no purpose jointly with the
organisation (no flow between them, no purpose's ``joint_controllers`` names it): joint
control reaches only the purposes the two determine together (Art. 26(1)), so the map
contradicts itself. Its flows stay judged as the organisation's (the worse case), and a
warning at the party's role now says so and how to mend the map (closing note of
2026-12-03 s, left open: no warning was given)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, located_findings, run, shop_scenario

SCENARIO = """\
parties:
  - {id: adnet, name: AdNet Ltd, kind: advertising, country: GB, role: joint_controller}
  - {id: adhost, name: AdHost Inc, kind: hosting, country: US, role: processor}
purposes:
  - {id: ad_targeting, name: Ad targeting}
flows:
  - id: adnet-to-host
    from: adnet
    to: adhost
    categories: [contact.email]
    subjects: [customers]
    purpose: ad_targeting
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""

WARNING = (
    "Warning: shop/scenario.yaml:2:66: party 'adnet' is recorded as a joint controller, but it "
    "determines no purpose jointly with the organisation (no flow between them, no purpose "
    "names it in joint_controllers): its flows are judged as the organisation's processing "
    "(the worse case); name the joint purpose (the purpose's joint_controllers), or record "
    "its role as controller if its processing is its own"
)


def _folder(tmp_path: Path, scenario: str) -> Path:
    source = tmp_path / "scenario-source.yaml"
    source.write_text(scenario, encoding="utf-8")
    return shop_scenario(tmp_path / "shop", source)


def _warnings(folder: Path, exit_code: int) -> list[str]:
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == exit_code
    return [
        line
        for line in result.output.splitlines()
        if line.startswith("Warning:") and "joint controller" in line
    ]


def test_a_joint_controller_for_nothing_is_warned_at_its_role_and_judged_as_ours(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, SCENARIO)
    assert _warnings(folder, 1) == [WARNING]
    assert [f[:3] for f in located_findings(audit_folder(folder))] == [
        ("GDPR-TRANSFER", "no-mechanism", "flows/adnet-to-host"),
        ("GDPR-AGREEMENT", "missing", "flows/adnet-to-host"),
        ("GDPR-BASIS", "no-assessment", "flows/adnet-to-host"),
    ]


def test_a_purpose_naming_it_joint_silences_the_warning_and_sets_its_flow_aside(
    tmp_path: Path,
) -> None:
    joint = SCENARIO.replace(
        "  - {id: ad_targeting, name: Ad targeting}",
        "  - {id: ad_targeting, name: Ad targeting}\n"
        "  - {id: orders_joint, name: Joint orders, joint_controllers: [adnet]}",
    )
    folder = _folder(tmp_path, joint)
    assert _warnings(folder, 0) == []
    assert "adnet-to-host" in audit_folder(folder).facts.held_as_controller


def test_a_party_recorded_controller_is_not_warned(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SCENARIO.replace("role: joint_controller", "role: controller"))
    assert _warnings(folder, 0) == []
