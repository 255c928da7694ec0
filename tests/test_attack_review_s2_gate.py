"""The PR gate against the attack review of 2026-12-03s, problems 1 and 2 (cited as "attack
review s2"): a flow the gate already had as "mixed" or "split" kept more of what it carries
aside (one subject added to the controller's intake, or to a flow between two other
parties), its people left its contract question and its Art. 30(1) row, and the gate said
nothing (exit 0); with a HIGH on the line, the HIGH went as "no change explains it". The gate
compares per flow what it keeps aside (``checks.baseline._set_aside_widened``). Each test
failed before its fix, except the two that show what must stay quiet or be read alike."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import GateResult, GitRepo, require_tool, run_gate

AS_OF = "2026-11-25"

# --- 1a: a flow "mixed" at the base, widened through the controller's intake ---------------

SCHOOL = """parties:
  - {{id: school, name: Leeds Academy, kind: school, country: GB, role: controller, description: a school we run tutoring for as its processor, contact: {{name: Head, email: head@school.example}}}}
subjects:
  - {{id: pupils, name: Pupils}}
  - {{id: parents, name: Parents{party}}}
purposes:
  - {{id: tutoring, name: Tutoring for the school, business_function: Sales, rights: [access], automated_decisions: none, retention: one year, source: the school, notice: PN-PURPOSES}}
agreements:
  - {{id: school-dpa, kind: art28_dpa, parties: [school, shopwave], status: signed, signed_on: 2024-01-01, categories: [contact], evidence: signed, allows_subprocessing: true}}
flows:
  - {{id: pupils-in, from: school, to: shopwave, recipient_role: processor, categories: [contact.name, contact.address], subjects: [pupils], purpose: tutoring, basis: contract, agreement: school-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}}
  - {{id: tutor-parcels, from: shopwave, to: parcelrun, categories: [contact.name, contact.address], subjects: [customers, pupils, parents], purpose: tutoring, basis: contract, agreement: parcelrun-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}}
"""  # noqa: E501
BREACH = "  breach_procedure: {log: https://shopwave.example/intranet/breach-log, notify_within_hours: 48}\n"  # noqa: E501
BREACH_NOTIFIED = (
    "  breach_procedure: {log: https://shopwave.example/intranet/breach-log, "
    "notify_within_hours: 48, notifies_controllers: true}\n"
    "  processor_record: https://shopwave.example/intranet/art30-2\n"
)
PUPILS_IN = "subjects: [pupils], purpose: tutoring"
PUPILS_IN_WIDENED = "subjects: [pupils, parents], purpose: tutoring"

# --- 1b: a flow "split" (partly the organisation's) widened by a flow between two others ----

DEPOT = """parties:
  - {{id: depot, name: Depot Ltd, kind: courier, country: GB, role: processor, description: ParcelRun's depot}}
subjects:
  - {{id: parents, name: Parents, party_to_contract: true}}
  - {{id: helpers, name: Weekend helpers{party}}}
agreements:
  - {{id: depot-dpa, kind: art28_dpa, parties: [parcelrun, depot], status: signed, signed_on: 2024-01-01, categories: [contact], evidence: signed}}
  - {{id: pf-pr, kind: art28_dpa, parties: [payfast, parcelrun], status: signed, signed_on: 2024-01-01, categories: [contact], evidence: signed}}
flows:
  - {{id: pf-to-pr, from: payfast, to: parcelrun, categories: [contact.name], subjects: [parents], purpose: delivery, basis: contract, agreement: pf-pr, encrypted_in_transit: true, notice: PN-RECIPIENTS}}
{depot_flow}"""  # noqa: E501
PR_TO_DEPOT = "  - {id: pr-to-depot, from: parcelrun, to: depot, categories: [contact.name], subjects: [customers, parents, helpers], purpose: delivery, basis: contract, agreement: depot-dpa, encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"  # noqa: E501
PF_TO_PR = "subjects: [parents], purpose: delivery"
PF_TO_PR_WIDENED = "subjects: [parents, helpers], purpose: delivery"

PARTY = ", party_to_contract: true"

TUTOR_PARCELS_CHANGE = (
    "change to review: reclassified:flows/tutor-parcels: flows/tutor-parcels is now described "
    "as keeping more of what it carries aside as not the organisation's own to judge (parents "
    "reach shopwave only as the processor of school (flows/pupils-in changed); at the base it "
    "kept aside pupils): it can clear findings (its lawful basis ones about parents (whether "
    "they are party to a contract it rests on), and parents on its row on the Art. 30(1) "
    "record: read as not the organisation's to answer for, though the rest of the flow is "
    "judged as its own) without anything else changing"
)
PR_TO_DEPOT_CHANGE = (
    "change to review: reclassified:flows/pr-to-depot: flows/pr-to-depot is now described as "
    "keeping more of what it carries aside as not the organisation's own to judge (helpers "
    "reach parcelrun as processor for another controller (flows/pf-to-pr changed); at the "
    "base it kept aside parents): it can clear findings (its lawful basis ones about helpers "
    "(whether they are party to a contract it rests on), and helpers on its row on the "
    "Art. 30(1) record: read as not the organisation's to answer for, though the rest of the "
    "flow is judged as its own) without anything else changing"
)


def _changes(result: GateResult) -> list[str]:
    """The lines that list a change to review, digests taken out."""
    return [line for line in result.output.splitlines() if line.startswith("change to review:")]


def _repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    """A repository holding the shipped shop example, not yet committed."""
    require_tool("git")
    map_dir = tmp_path / "map"
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    assert run_gate(["init", str(map_dir), "--example", "shop"]).exit_code == 0
    return repo, map_dir


def _school(tmp_path: Path, party: str) -> tuple[GitRepo, Path]:
    """1a's base, committed: tutor-parcels "mixed" (pupils only the school's intake brings)."""
    repo, map_dir = _repo(tmp_path)
    repo.edit("organisation.yaml", BREACH, BREACH_NOTIFIED)
    (map_dir / "extra.yaml").write_text(SCHOOL.format(party=party), encoding="utf-8")
    repo.commit()
    return repo, map_dir


def _depot(tmp_path: Path, party: str, depot_flow: str = PR_TO_DEPOT) -> tuple[GitRepo, Path]:
    """1b's base, committed: pr-to-depot "split", partly the organisation's (parents reach
    ParcelRun only as Payfast's processor, helpers and customers otherwise)."""
    repo, map_dir = _repo(tmp_path)
    path = map_dir / "agreements.yaml"
    text = path.read_text(encoding="utf-8")
    assert "allows_subprocessing: false" in text
    path.write_text(
        text.replace("allows_subprocessing: false", "allows_subprocessing: true"),
        encoding="utf-8",
    )
    (map_dir / "extra.yaml").write_text(
        DEPOT.format(party=party, depot_flow=depot_flow), encoding="utf-8"
    )
    repo.commit()
    return repo, map_dir


def _gate(map_dir: Path, *accept: str) -> GateResult:
    args = ["check", str(map_dir), "--base", "HEAD~1", "--as-of", AS_OF]
    for change in accept:
        args += ["--accept-change", change]
    return run_gate(args)


def test_a_mixed_flow_widened_through_the_intake_is_a_change_to_review(tmp_path: Path) -> None:
    """Attack review s2, problem 1 (1a): parents added to the school's intake pupils-in
    took them off tutor-parcels' contract question and its Art. 30(1) row, gate exit 0. Now
    the flow is a reclassification naming parents and the row; accepted, exit 0."""
    repo, map_dir = _school(tmp_path, PARTY)
    repo.edit("extra.yaml", PUPILS_IN, PUPILS_IN_WIDENED)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [TUTOR_PARCELS_CHANGE]
    assert "    (NOT ACCEPTED), said at [map/extra.yaml:12:5]" in result.output
    assert (
        "FAIL: no new findings at or above low against HEAD~1, but 1 change to review not "
        "accepted: reclassified:flows/tutor-parcels."
    ) in result.output
    accepted = _gate(map_dir, result.pinned("reclassified:flows/tutor-parcels"))
    assert accepted.exit_code == 0, accepted.output
    assert (
        "PASS: no new findings at or above low against HEAD~1 (0 existing findings, 1 change "
        "to review, all accepted)."
    ) in accepted.output


def test_a_split_flow_widened_by_a_flow_between_others_is_a_change(tmp_path: Path) -> None:
    """Attack review s2, problem 1 (1b): helpers added to Payfast's flow to ParcelRun (one
    the organisation does not make) took them off pr-to-depot's contract question and the
    delivery row, gate exit 0. Now pr-to-depot is a reclassification naming helpers, the
    row, and the flow that changed; accepted, exit 0."""
    repo, map_dir = _depot(tmp_path, PARTY)
    repo.edit("extra.yaml", PF_TO_PR, PF_TO_PR_WIDENED)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [PR_TO_DEPOT_CHANGE]
    assert "    (NOT ACCEPTED), said at [map/extra.yaml:11:5]" in result.output
    accepted = _gate(map_dir, result.pinned("reclassified:flows/pr-to-depot"))
    assert accepted.exit_code == 0, accepted.output
    assert "1 change to review (1 accepted)." in accepted.output


def test_the_high_that_leaves_with_a_mixed_widening_is_named_in_it(tmp_path: Path) -> None:
    """Attack review s2, problem 2 (1a with parents not party to the contract): the HIGH
    GDPR-BASIS contract-not-party on parents went as ``fixed-unconfirmed`` ("no change to
    review explains it"). It is now named as going with tutor-parcels' reclassification, and
    no change of its own; accepting that one change lets it through."""
    repo, map_dir = _school(tmp_path, "")
    repo.edit("extra.yaml", PUPILS_IN, PUPILS_IN_WIDENED)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        f"{TUTOR_PARCELS_CHANGE}; with it goes: HIGH GDPR-BASIS on subjects/parents "
        "(contract-not-party)"
    ]
    assert "fixed-unconfirmed" not in result.output
    assert (
        "Against HEAD~1: 0 new findings (0 at or above low), 1 gone (1 fixed, 0 removed, "
        "0 waived, 0 rule changed); 1 change to review (0 accepted)."
    ) in result.output
    accepted = _gate(map_dir, result.pinned("reclassified:flows/tutor-parcels"))
    assert accepted.exit_code == 0, accepted.output


def test_the_high_that_leaves_with_a_split_widening_is_named_in_it(tmp_path: Path) -> None:
    """Attack review s2, problem 2 (1b with helpers not party to the contract): the HIGH on
    helpers went as ``fixed-unconfirmed``; it is now named in pr-to-depot's change."""
    repo, map_dir = _depot(tmp_path, "")
    repo.edit("extra.yaml", PF_TO_PR, PF_TO_PR_WIDENED)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        f"{PR_TO_DEPOT_CHANGE}; with it goes: HIGH GDPR-BASIS on subjects/helpers "
        "(contract-not-party)"
    ]
    assert "fixed-unconfirmed" not in result.output
    accepted = _gate(map_dir, result.pinned("reclassified:flows/pr-to-depot"))
    assert accepted.exit_code == 0, accepted.output


def test_a_split_flow_new_to_the_map_is_a_change(tmp_path: Path) -> None:
    """Attack review s2, problem 1: a "split" flow partly the organisation's sat in no set
    the gate compared; new to the map, the people it keeps aside are named too."""
    repo, map_dir = _depot(tmp_path, PARTY, depot_flow="")
    with (map_dir / "extra.yaml").open("a", encoding="utf-8") as extra:
        extra.write(PR_TO_DEPOT)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        # what a new flow claims is listed, as before this fix
        "change to review: claim-changed:flows/pr-to-depot: flows/pr-to-depot now claims "
        "encrypted_in_transit true (was unsaid): it can clear findings and the map cannot show "
        "it is true",
        "change to review: reclassified:flows/pr-to-depot: flows/pr-to-depot is now described "
        "as keeping more of what it carries aside as not the organisation's own to judge "
        "(parents reach parcelrun as processor for another controller (flows/pf-to-pr); a "
        "flow new to the map): it can clear findings (its lawful basis ones about parents "
        "(whether they are party to a contract it rests on), and parents on its row on the "
        "Art. 30(1) record: read as not the organisation's to answer for, though the rest of "
        "the flow is judged as its own) without anything else changing",
    ]


def test_a_narrowing_is_no_change_to_review(tmp_path: Path) -> None:
    """Attack review s2, problem 1, the other way: parents taken out of the intake put them
    back on tutor-parcels' contract question and row; nothing is newly set aside, so no
    change to review, exit 0 (the gate compares what is newly kept aside, not any edit)."""
    repo, map_dir = _repo(tmp_path)
    repo.edit("organisation.yaml", BREACH, BREACH_NOTIFIED)
    (map_dir / "extra.yaml").write_text(
        SCHOOL.format(party=PARTY).replace(PUPILS_IN, PUPILS_IN_WIDENED), encoding="utf-8"
    )
    repo.commit()
    repo.edit("extra.yaml", PUPILS_IN_WIDENED, PUPILS_IN)
    repo.commit("head")
    result = _gate(map_dir)
    assert result.exit_code == 0, result.output
    assert _changes(result) == []
    assert (
        "PASS: no new findings at or above low against HEAD~1 (0 existing findings, 0 changes "
        "to review)."
    ) in result.output
