"""Gate attack s20 (fix-gate-s20): a pull request owner's attempts on what s19 added (the
``left-finding`` and ``joined-finding`` reviews of grouped findings, ``undecided_roles``,
``organisation_references``, a processor's hop into another processor's store, the school
example), each with the exact outcome the gate now gives."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXTRA, concero_repo, review_lines, run_gate
from tests.test_gate2_s19 import _notes

GATE = ["--as-of", "2026-11-25", "--base", "HEAD"]

# -- 1. a flow renamed out of a grave grouped finding


def test_a_flow_renamed_out_of_customer_staff_on_contract_is_put_to_a_person(
    tmp_path: Path,
) -> None:
    """Base: staff-notes is one of the 14 flows the HIGH contract-not-party on customer staff
    judges. The pull request deletes it and adds staff-notes-2, the same flow said to be about
    job applicants (party to a contract), with its store relabelled: the finding stands on the
    13 others, so nothing went; the new flow's only finding is a MEDIUM encryption one, and
    under --fail-on high the gate passed (exit 0). Relabelled in place it is a
    ``left-finding`` (gate review 2 s19); renamed, the flow's part of the finding went with
    its element while the change adds a flow, which a flow's own HIGH finding puts to a
    person (``removed-unconfirmed``)."""
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    head = _notes("job_applicants").replace("id: staff-notes,", "id: staff-notes-2,")
    head = head.replace(", encrypted_in_transit: true", "")
    (repo.files / EXTRA).write_text(head, encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "high"])
    assert result.exit_code == 1, result.stdout
    [line] = review_lines(result.stdout)
    assert line.startswith(
        "change to review: removed-unconfirmed:GDPR-BASIS:flows/staff-notes:contract-not-party"
        ": flows/staff-notes was under HIGH GDPR-BASIS on subjects/customer_staff "
        "(contract-not-party) at the base, which stands on its other flows, and is deleted, "
        "and the change adds flows/staff-notes-2: confirm that the processing stopped rather "
        "than was renamed and described away; and the store it filled, systems/notes (GB), is "
        "still in the map, and its declaration no longer names data about customer_staff: "
        "confirm it was erased (it said: Staff of customer schools"
    ), line
    assert result.stdout.splitlines()[-1].startswith(
        "FAIL: no new findings at or above high against HEAD, but 1 change to review not "
        "accepted: removed-unconfirmed:GDPR-BASIS:flows/staff-notes:contract-not-party."
    ), result.stdout


def test_a_flow_deleted_with_its_store_and_nothing_added_is_still_nothing_to_review(
    tmp_path: Path,
) -> None:
    """Control: staff-notes deleted with its store, nothing added: the processing stopped, as
    a flow leaving a group always could (exit 0 under --fail-on low)."""
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    (repo.files / EXTRA).write_text("", encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "low"])
    assert result.exit_code == 0, result.stdout
    assert review_lines(result.stdout) == []


# -- 2. a flow relabelled out of one grouped finding while another of the same rule and code
#       already judged it


def _two_groups(first: str) -> str:
    """staff-notes about ``first`` and agency temps (not party to the contract either), and
    temp-notes about the temps alone: at the base, staff-notes is under both the customer
    staff's HIGH contract-not-party and the temps' (a group of two)."""
    return (
        "subjects:\n"
        "  - {id: temp_staff, name: Agency temps, party_to_contract: false}\n"
        "systems:\n"
        "  - {id: notes, name: Account notes, owner: concero, country: GB, categories: [contact], "
        f"subjects: [{first}, temp_staff], encrypted_at_rest: true, retention_days: 365, "
        "retention_justification: One year, notice: N-COLLECT}\n"
        "flows:\n"
        "  - {id: staff-notes, from: concero, to: notes, categories: [contact.name], "
        f"subjects: [{first}, temp_staff], purpose: sla_support, basis: contract, "
        "notice: N-PURPOSE, encrypted_in_transit: true}\n"
        "  - {id: temp-notes, from: concero, to: notes, categories: [contact.name], "
        "subjects: [temp_staff], purpose: sla_support, basis: contract, notice: N-PURPOSE, "
        "encrypted_in_transit: true}\n"
    )


def test_a_flow_left_under_another_existing_finding_of_the_same_code_is_still_asked_about(
    tmp_path: Path,
) -> None:
    """The pull request says staff-notes is about job applicants and agency temps, no longer
    customer staff: it leaves the staff's HIGH, which stands on the 13 shipped flows, and stays
    under the temps' HIGH contract-not-party, which judged it at the base too. ``_left`` let
    any finding of the same rule and code on the flow stand in for the one it left: PASS,
    exit 0 under --fail-on low. Only a finding that newly judges the flow (new, or joined and
    so reviewed itself) says the problem again."""
    repo = concero_repo(tmp_path, _two_groups("customer_staff"))
    (repo.files / EXTRA).write_text(_two_groups("job_applicants"), encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "low"])
    assert result.exit_code == 1, result.stdout
    [line] = review_lines(result.stdout)
    assert line.startswith(
        "change to review: left-finding:flows/staff-notes:GDPR-BASIS:contract-not-party: "
        "flows/staff-notes is no longer under HIGH GDPR-BASIS on subjects/customer_staff "
        "(contract-not-party), a finding that stands and judged it at the base: the flow stays "
        "in the map"
    ), line
    assert [ln for ln in result.stdout.splitlines() if ln.endswith("[new]")] == []


# -- 3. a policy's text wrapped by ``explain`` onto a line that starts a workflow command

_LONG = "a" * 90  # the longest word a 96-column line holds beside its indent and a key


def test_explain_wraps_no_policy_text_into_a_workflow_command(tmp_path: Path) -> None:
    """A house rule's ``organisation_references`` (new in s19) and rationale hold a long word,
    then `` ::error::z``: escaped as one text, the ``::`` was mid-text and left alone, and
    ``explain`` wrapped it to the start of a line, ``  ::error::z``, which a CI runner reads
    as a workflow command. A line break the YAML gives (U+2028) is folded to a space, as the
    wrapping folds every other whitespace run. Each wrapped line is now broken of commands
    (``wrapped_for_terminal`` in reports/sanitise.py)."""
    from tests.helpers import run

    policy = tmp_path / "pol" / "house.yaml"
    policy.parent.mkdir()
    policy.write_text(
        "policy: {id: house, title: House}\n"
        "rules:\n"
        "  - id: HOUSE-ENC\n"
        "    kind: condition\n"
        "    title: Encrypted\n"
        "    severity: medium\n"
        f'    rationale: "{_LONG} ::error::r"\n'
        "    references: {notice: [], legal: [UK GDPR Art. 32]}\n"
        f'    organisation_references: {{"*": ["{_LONG} ::error::z {_LONG}\\u2028::warning::w"]}}\n'
        "    fix: Encrypt it.\n"
        "    match: {recipient_kinds: [isp]}\n"
        "    expression: flow.encrypted_in_transit == false\n"
        "    message: not encrypted\n",
        encoding="utf-8",
    )
    result = run(["explain", "HOUSE-ENC", "--policies", str(policy.parent)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [ln for ln in lines if ln.lstrip().startswith("::")] == []
    assert "  \\x3a:error::r" in lines
    at = lines.index(f"  `*` {_LONG}")
    assert lines[at + 1 : at + 4] == ["  \\x3a:error::z", f"  {_LONG}", "  \\x3a:warning::w"]


def test_wrapped_for_terminal_breaks_commands_on_every_line() -> None:
    """Each line a wrap makes, at a space or inside a long word, starts no command."""
    from flowaudit.reports.sanitise import wrapped_for_terminal

    assert wrapped_for_terminal("xxxxxxxxxx ::error::a\n##[b] \x1b[2J", 14, "  ") == (
        "  xxxxxxxxxx\n  \\x3a:error::a\n  \\x23#[b]\n  \\x1b[2J"
    )
    assert wrapped_for_terminal("aaaa::error::z", 4) == "aaaa\n\\x3a:er\nror:\n:z"


# -- 4. a processor's write into another processor's store: the contract is the
#       organisation's, the export the processor's

_DRIVE = (
    "  - {id: homework-to-drive, from: learnbright, to: cloud-drive, categories: "
    "[education.attainment], subjects: [pupils], purpose: homework, basis: public_task, "
    "__LINK__encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"
)


def _school_with_drive(tmp_path: Path, link: str) -> Path:
    import shutil

    from tests.test_newcomer_s19 import SCHOOL

    folder = tmp_path / "m"
    shutil.copytree(SCHOOL, folder)
    with (folder / "flows-pupils.yaml").open("a", encoding="utf-8") as out:
        out.write(_DRIVE.replace("__LINK__", link))
    return folder


def test_linking_the_trusts_cloud_contract_leaves_the_platforms_eu_transfer_judged(
    tmp_path: Path,
) -> None:
    """LearnBright GmbH (DE, the trust's processor) writes pupils' marks into the trust's
    Nimbus drive in the US (Nimbus listed under the UK Extension only). Unlinked: CRITICAL
    GDPR-TRANSFER as an EU exporter, and the agreement finding's fix says to link the trust's
    own contract with Nimbus. Linked, newcomer-s19's rule made the hop the trust's own, and
    with it the export a UK one on the UK Extension: 0 findings, exit 0. An Art. 28 contract
    between the trust and Nimbus is no Chapter V safeguard for LearnBright's export (Art. 44
    binds processors): the CRITICAL stays, as an EU exporter's, at the flow."""
    from tests.helpers import run

    folder = _school_with_drive(tmp_path, "agreement: nimbus-dpa, ")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.output
    found = [
        ln.split("/flows-pupils.yaml:", 1)[1]
        for ln in result.output.splitlines()
        if "/flows-pupils.yaml:" in ln
    ]
    assert found == [
        "26:5 CRITICAL GDPR-TRANSFER flows/homework-to-drive: "
        "transfer from EU to US (Nimbus email and documents) has no adequacy on 2026-11-25 and "
        "no transfer mechanism; US is adequate only for importers listed under eu_us_dpf; "
        "LearnBright GmbH sends it as an EU exporter, under that regime's law, not the "
        "organisation's (UK): flowaudit law --regime EU lists the mechanisms open to it"
    ], result.output


def test_a_uk_processor_writing_into_the_us_drive_is_the_trusts_uk_export(
    tmp_path: Path,
) -> None:
    """Control: ScholarMIS (GB) writing into the same drive, linking the trust's contract,
    stays the trust's own hop and its UK export (the UK Extension listing covers it): no
    finding, as newcomer-s19 made it."""
    from tests.helpers import run

    folder = _school_with_drive(tmp_path, "agreement: nimbus-dpa, ")
    path = folder / "flows-pupils.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "{id: homework-to-drive, from: learnbright, to: cloud-drive, categories: "
            "[education.attainment]",
            "{id: homework-to-drive, from: mis, to: cloud-drive, categories: "
            "[education.attainment]",
        ),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
