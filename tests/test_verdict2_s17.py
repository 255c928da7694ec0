"""DPO review verdict2-s17: what was left open by dpo-s17 and regime-s17.

- Problem 1: CONCERO-SERVER-LOCATION read a recipient whose role the map does not record as
  "not a processor", so it passed the ISP, the MIS support firm, the installer and the
  payment processor whatever their (assumed) country. A role left unrecorded may be any: a
  pass must hold for each role. Where it holds for each only as far as the assumed country
  does, the pass is listed under "Passed on an ASSUMED fact" (as CONCERO-TRANSFER's passes on
  the same country are); where it holds for some roles only, the flow is not judged (the
  verdict turns on a fact the map does not record), never a pass.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import audit_folder, concero_with, run

SERVER = "CONCERO-SERVER-LOCATION"


# -- problem 1: an unrecorded role is any role --------------------------------------------


def test_shipped_server_location_passes_on_unrecorded_roles_say_assumed() -> None:
    out = run(["check", "--as-of", "2026-11-25"])
    assert out.exit_code == 1
    lines = [
        line
        for line in out.output.splitlines()
        if line.startswith("Passed on an ASSUMED fact:") and f"({SERVER} " in line
    ]
    assert lines == [
        "Passed on an ASSUMED fact: helpdesk country US (the notice does not state the Zendesk "
        f"hosting region): 1 check ({SERVER} flows/helpdesk-tickets)",
        "Passed on an ASSUMED fact: installer country GB (the notice names neither the "
        f"installation helpers nor their country): 1 check ({SERVER} flows/installation-helper)",
        "Passed on an ASSUMED fact: isp country GB (the notice names neither the ISPs nor where "
        f"they are): 1 check ({SERVER} flows/isp-provisioning)",
        "Passed on an ASSUMED fact: mis-support country GB (the notice names neither the MIS "
        f"support firm nor its country): 1 check ({SERVER} flows/mis-third-party-support)",
        "Passed on an ASSUMED fact: payment-processor country GB (the notice names neither the "
        f"payment processor nor its country): 1 check ({SERVER} flows/card-payments)",
    ]
    assert "FAIL: 57 findings at or above low." in out.output.splitlines()
    assert not [line for line in out.output.splitlines() if f"{SERVER} did not judge" in line]


def test_shipped_server_location_verdict_is_unchanged() -> None:
    result = audit_folder(Path(__file__).parent.parent / "model" / "concero")
    assert [f for f in result.findings if f.rule_id == SERVER] == []
    passed = {e.element[1] for e in result.passed if e.rule_id == SERVER}
    assert {
        "card-payments",
        "isp-provisioning",
        "installation-helper",
        "mis-third-party-support",
    } <= passed
    assert len(result.findings) == 57


_CA_PARTY = """
parties:
  - id: ca-support
    name: Canadian support firm
    kind: mis_support
    country: CA
{role}    notice: N-MIS

flows:
  - id: ca-support-calls
    from: concero
    to: ca-support
    categories: [contact.name]
    subjects: [customer_staff]
    purpose: sla_support
    basis: contract
    encrypted_in_transit: true
    notice: N-MIS
"""


def _server_lines(tmp_path: Path, role: str) -> tuple[list[str], list[str]]:
    folder = concero_with(tmp_path, _CA_PARTY.format(role=role))
    out = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert out.exit_code == 1
    lines = out.output.splitlines()
    return (
        [line for line in lines if f"{SERVER} (N-LOCATION) flows/ca-support-calls" in line],
        [line for line in lines if line.startswith(f"Judged in part: {SERVER}")],
    )


def test_a_recorded_country_outside_the_notice_with_no_role_is_not_judged(
    tmp_path: Path,
) -> None:
    """A firm in Canada (recorded, not assumed) whose role is unrecorded: a processor there
    breaks N-LOCATION, a controller does not. Before: a silent pass."""
    findings, partial = _server_lines(tmp_path, "")
    assert findings == []
    assert partial == [
        f"Judged in part: {SERVER} did not judge 1 element (the recipient's role is not "
        "recorded and the verdict turns on it)."
    ]
    result = audit_folder(concero_with(tmp_path / "again", _CA_PARTY.format(role="")))
    assert ("flows", "ca-support-calls") not in {
        e.element for e in result.passed if e.rule_id == SERVER
    }


def test_the_same_firm_recorded_as_processor_fails_and_as_controller_passes(
    tmp_path: Path,
) -> None:
    findings, partial = _server_lines(tmp_path / "p", "    role: processor\n")
    assert partial == []
    assert [line.split(" MEDIUM ", 1)[1] for line in findings] == [
        f"{SERVER} (N-LOCATION) flows/ca-support-calls: puts the data on a server, or with a "
        "processor, outside the UK, the EEA and the USA, the only places the notice says its "
        "servers are (N-LOCATION): the notice names the wrong countries"
    ]
    assert findings[0].startswith("concero/zz-extra.yaml:11:5 ")
    findings, partial = _server_lines(tmp_path / "c", "    role: controller\n")
    assert (findings, partial) == ([], [])
