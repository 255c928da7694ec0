"""Attack review s12: the gate's checks on a deleted flow looked only inside the one pull
request that deletes it. Split in two, the data recorded elsewhere (or the store's
declaration rewritten, or another flow filling the store) in the first, the flow deleted in
the second, each passed ``--fail-on high`` with exit 0 and nothing to review, and the
CRITICAL transfer to the US backup store went as a plain REMOVED. Attack review s13: the
same for a flow to a party, a store of the party's recorded in its place."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import concero_repo, review_lines, run_gate

EXTRA = (Path(__file__).parent / "fixtures" / "attack_s10" / "us-backup.yaml").read_text(
    encoding="utf-8"
)
BACKUP_FLOW = EXTRA.split("flows:\n")[1]
BACKUP_STORE = EXTRA.split("systems:\n")[1].split("\n\n")[0] + "\n"
GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]
ITEM = "removed-unconfirmed:GDPR-TRANSFER:flows/backup-us:mechanism-invalid"
ARCHIVE = """  - id: us-archive
    name: US ticket archive
    owner: us-hosting
    country: US
    categories: [contact]
    subjects: [customer_staff]

"""


def test_problem_1_the_data_declared_in_another_store_first_then_the_flow_deleted(
    tmp_path: Path,
) -> None:
    """t2: pull request 1 records a second store of the US host declaring the staff's
    contact data (filled by no flow); pull request 2 deletes the flow and its store."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", "systems:\n", "systems:\n" + ARCHIVE)
    repo.commit("pull request 1")
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit("zz-extra.yaml", BACKUP_STORE, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    [line] = [line for line in review_lines(result.stdout) if ITEM in line]
    assert (
        "the data it carried is still recorded in systems/us-archive (US), which takes the "
        "place of systems/us-backup of the base (it declares data the flow carried that no "
        "flow writes into it)"
    ) in line


def test_problem_2_the_declaration_rewritten_first_then_the_flow_deleted(
    tmp_path: Path,
) -> None:
    """t7: pull request 1 says the store holds logs about callers (one MEDIUM while the flow
    still writes contact data into it); pull request 2 deletes the flow, the store kept."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit(
        "zz-extra.yaml",
        "    categories: [contact.name, contact.email]\n    subjects: [customer_staff]\n\nflows:",
        "    categories: [logs]\n    subjects: [callers]\n\nflows:",
    )
    repo.commit("pull request 1")
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    [line] = [line for line in review_lines(result.stdout) if ITEM in line]
    assert (
        "the store it filled, systems/us-backup (US), is still in the map: confirm the data "
        "the flow carried was erased from it"
    ) in line


def test_control_the_flow_deleted_with_its_store_and_the_data_nowhere_else(
    tmp_path: Path,
) -> None:
    """The flow and its store deleted, the data declared nowhere new: stopped and erased,
    a plain REMOVED, exit 0 under high."""
    repo = concero_repo(tmp_path, EXTRA)
    repo.edit("zz-extra.yaml", BACKUP_FLOW, "")
    repo.edit("zz-extra.yaml", BACKUP_STORE, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert not [line for line in review_lines(result.stdout) if ITEM in line], result.printed
    assert result.exit_code == 0, result.printed


PARTNER_LIST = """
  - id: partner-contacts
    name: Product partner's contact list
    owner: product-partner
    country: GB
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
"""
INTRODUCTIONS = """  - id: product-introductions
    from: concero
    to: product-partner
    categories: [contact.name, contact.email, contact.organisation]
    subjects: [customer_staff]
    purpose: product_introductions
    encrypted_in_transit: true
    notice: N-CURRICULUM
    description: The notice names no basis (consent, or legitimate interests with an assessment).

"""


def test_attack_s13_a_flow_to_a_party_deleted_while_a_store_of_the_party_holds_its_data(
    tmp_path: Path,
) -> None:
    """Attack review s13, problem 2 (G1), on the shipped map: the product partner's contact
    list recorded and the flow that gave it Concero's customers' staff deleted. The HIGH on
    the flow (no lawful basis) went as REMOVED, exit 0: the map says the partner still holds
    the data the flow gave it, which a person confirms was erased."""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", INTRODUCTIONS, "")
    (repo.files / "systems.yaml").write_text(
        (repo.files / "systems.yaml").read_text(encoding="utf-8") + PARTNER_LIST,
        encoding="utf-8",
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    lines = [
        line
        for line in review_lines(result.stdout)
        if "removed-unconfirmed:GDPR-BASIS:flows/product-introductions" in line
    ]
    assert (
        lines
        and (
            "the data it carried is still recorded in systems/partner-contacts (GB), held by "
            "product-partner, which the flow gave the data to; confirm it was erased"
        )
        in lines[0]
    ), result.printed


def test_attack_s13_control_the_flow_to_a_party_deleted_alone_is_removed(
    tmp_path: Path,
) -> None:
    """Attack review s13, F: the flow to the partner deleted with nothing recording the data
    with it: the sharing stopped, a plain REMOVED, exit 0."""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", INTRODUCTIONS, "")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert not [line for line in review_lines(result.stdout) if "product-introductions" in line]
