"""Attack review s7, problem 2: re-pointing the only flow into a processor's store so that a
controller sends it makes the store "another controller's" (``MapFacts.others_stores``), and
the store rules pass over it; its encryption and retention findings went with a line that
named only the flow's, and once that line was accepted the gate passed. The store is now a
change to review of its own, naming its findings."""

from __future__ import annotations

import subprocess
from pathlib import Path

from flowaudit.reports.ropa import build_ropa
from tests.helpers import GitRepo, audit_folder, concero_with, edit_once, run, run_gate


def test_problem_2_a_store_newly_left_to_another_controller_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    folder = concero_with(root, "")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "flows.yaml",
        "  - id: hosting-eea\n    from: concero\n",
        "  - id: hosting-eea\n    from: customer-schools\n",
    )
    result = run_gate(["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert (
        "change to review: reclassified:systems/eea-servers: systems/eea-servers is now "
        "described with owner eea-hosting, every flow into or out of it now another "
        "controller's own processing, so read as holding nothing for the organisation: the "
        "store rules no longer judge it: it can clear findings (the store's own: what it "
        "holds, its retention, security and source) without anything else changing; with it "
        "goes: MEDIUM CONCERO-ENCRYPT on systems/eea-servers (rest-unknown), MEDIUM "
        "GDPR-RETENTION on systems/eea-servers (not-recorded)"
    ) in result.stdout.splitlines()


HOST_SELLS = """parties:
  - {id: adpartner, name: Ad partner, kind: partner, country: GB, role: controller}
purposes:
  - {id: advertising, name: Advertising, controller: adpartner}
flows:
  - id: host-sells
    from: us-hosting
    to: adpartner
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
    purpose: advertising
    encrypted_in_transit: true
"""


def test_problem_1_the_promise_not_to_sell_still_judges_a_processors_sale(
    tmp_path: Path,
) -> None:
    """Attack review s7, problem 1: naming the advertiser the purpose's controller made the
    processor's sale of Concero's customers' staff data one Art. 28(10) HIGH; N-SHARE ("we
    never sell it on for marketing or advertising") binds the whole chain, and the CRITICAL
    stays beside it."""
    result = audit_folder(concero_with(tmp_path, HOST_SELLS))
    assert [
        (f.rule_id, f.code, f.severity.value)
        for f in result.findings
        if f.element == ("flows", "host-sells")
    ] == [
        ("CONCERO-NO-SALE", "purpose", "critical"),
        ("GDPR-SUBPROCESSING", "disclosure-outside-instructions", "high"),
    ]


def test_problem_5_a_capacity_warning_names_no_empty_list_of_flows(tmp_path: Path) -> None:
    """Attack review s7, problem 5: with the CRM given to the website providers, the
    warning said the other data was "brought by flows )"; what reaches the sender by no
    recorded flow is said so."""
    folder = concero_with(tmp_path, "")
    edit_once(
        folder / "systems.yaml",
        "    name: Customer records\n    owner: concero\n",
        "    name: Customer records\n    owner: web-service-providers\n",
    )
    [warning] = [w for w in audit_folder(folder).warnings if "'third-party-insights' carries" in w]
    assert "and other data (brought by no recorded flow): it is judged" in warning
    assert "flows )" not in warning


BROKER = """parties:
  - id: offshore-broker
    name: Offshore lead broker
    kind: procurement_vendor
    country: GB
    role: controller
    placeholder: true
    description: Quotes and takes orders on the customer's behalf.
    notice: N-PROCURE
"""


def test_problem_3_a_permission_naming_the_old_recipient_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """Attack review s7, problem 3: procurement-quotes re-pointed to another recipient kept
    CONCERO-SHARE-PERMISSION passed on a permission written for the old one; with
    ``--fail-on high`` nothing was put to review."""
    root = tmp_path / "repo"
    folder = concero_with(root, BROKER)
    edit_once(
        folder / "flows.yaml",
        "    purpose: procurement\n",
        "    purpose: procurement\n    permission: 'Signed order form, clause 4: the customer "
        "permits sharing with Approved procurement supplier Ltd (UK) for quotes'\n",
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(
        "flows.yaml",
        "    to: procurement-supplier\n    categories: [contact.name, contact.email, contact.phone",
        "    to: offshore-broker\n    categories: [contact.name, contact.email, contact.phone",
    )
    result = run_gate(
        ["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]
    )
    assert result.exit_code == 1, result.printed
    assert (
        "change to review: record-names-repointed:flows/procurement-quotes:"
        "CONCERO-SHARE-PERMISSION: flows/procurement-quotes is re-pointed (concero → "
        "procurement-supplier at the base, concero → offshore-broker now), and its pass of "
        "CONCERO-SHARE-PERMISSION rests on a record taken to name who receives the data and "
        "where it goes (N-SHARE), written for its old ends: confirm that the record names the "
        "new ones"
    ) in result.stdout.splitlines()


def test_problem_4_a_served_controller_cannot_decide_the_organisations_own_marketing(
    tmp_path: Path,
) -> None:
    """Attack review s7, problem 4: ``controller: customer-schools`` (a controller Concero
    serves as processor) on the purpose of Concero's own marketing to the staff contacts it
    collects itself loaded with no word. A served controller decides the organisation's
    flows about the people it entrusts, not about the organisation's own."""
    folder = concero_with(
        tmp_path,
        "purposes:\n  - {id: school_comms, name: School comms, controller: customer-schools}\n",
    )
    edit_once(folder / "flows.yaml", "    purpose: marketing\n", "    purpose: school_comms\n")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    [error] = [line for line in result.output.splitlines() if "decided by" in line]
    assert error.startswith(
        "concero/flows.yaml:243:5: purpose 'school_comms' is decided by 'customer-schools' "
        "alone (its controller), but this flow of the organisation's"
    )


def test_attack_s8_renaming_the_party_a_permission_names_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """Attack review s8, problems 1 and 2: the permission names BT plc; the PR renames the
    ISP party to another company, the flow untouched, and N-ISP and N-SHARE kept passing on
    a record naming BT plc, exit 0 under ``--fail-on high``."""
    root = tmp_path / "repo"
    folder = concero_with(root, "")
    edit_once(
        folder / "organisation.yaml",
        "name: Internet service provider (not named in the notice)",
        "name: BT plc",
    )
    edit_once(
        folder / "flows.yaml",
        "  - id: isp-provisioning\n",
        "  - id: isp-provisioning\n    permission: 'order form clause 4: BT plc (GB) receives "
        "the data'\n    notification: 'order form clause 4 names BT plc as the ISP'\n",
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit("organisation.yaml", "name: BT plc", "name: CheapNet Hosting Ltd")
    result = run_gate(
        ["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]
    )
    assert result.exit_code == 1, result.printed
    reviews = [line for line in result.stdout.splitlines() if "record-names-repointed" in line]
    assert [line.split(": ")[1] for line in reviews if line.startswith("change to review")] == [
        "record-names-repointed:flows/isp-provisioning:CONCERO-ISP-TOLD",
        "record-names-repointed:flows/isp-provisioning:CONCERO-SHARE-PERMISSION",
    ]
    assert (
        "flows/isp-provisioning's recipient is described anew (the party's name, kind or "
        "country), and its pass of CONCERO-ISP-TOLD rests on a record taken to name"
    ) in result.stdout


ROGUE_HOST = """purposes:
  - {id: advertising, name: Advertising}
systems:
  - {id: host-ads-db, name: US host's own audience database, owner: us-hosting, country: US,
     categories: [contact.name, contact.email], subjects: [customer_staff]}
flows:
  - id: host-sells
    from: us-hosting
    to: host-ads-db
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
    purpose: advertising
    encrypted_in_transit: true
"""


def test_dpo_s8_problem_2_a_rogue_processors_own_use_is_outside_instructions_unsaid_too(
    tmp_path: Path,
) -> None:
    """DPO review s8, problem 2: Concero's US host puts the customers' staff contacts into
    its own audience database for advertising, a purpose none of Concero's that names no
    controller. It was asked Concero's lawful basis, notice clause, retention and encryption
    and put on Concero's Art. 30(1) record; as with the purpose's controller named, it is
    the CRITICAL broken promise and the Art. 28(10) HIGH, nothing else."""
    result = audit_folder(concero_with(tmp_path, ROGUE_HOST))
    assert "host-sells" in result.facts.outside_instructions
    assert [
        (f.rule_id, f.code, f.severity.value)
        for f in result.findings
        if f.element in (("flows", "host-sells"), ("systems", "host-ads-db"))
    ] == [
        ("CONCERO-NO-SALE", "purpose", "critical"),
        ("GDPR-SUBPROCESSING", "purpose-outside-instructions", "high"),
    ]
    assert "advertising" not in [row.purpose_id for row in build_ropa(result).rows]
