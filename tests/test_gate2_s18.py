"""Gate review 2 s18: a pull request's author attacks what landed on main in the last two
hours (sub-processor returns, "both" hops on the organisation's basis, grouped findings that
continue on their next flow, one finding per agreement's standing, from_stores_holding, and
the new output surfaces). Each test is one attack run as the CI gate runs it (``check --base``
in a git repository), with the exact exit code and finding."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import concero_repo, review_lines, run, run_gate

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "high"]

# -- CONCERO-PHONE-NOT-PASSED-ON: callers' numbers copied into another store first ---------

#: The base: a dialler list filled from the call recordings store (an internal copy, to call
#: callers back; no third party), and a reseller the map knows.
DIALLER = """parties:
  - id: lead-partner
    name: Telecoms reseller
    kind: reseller
    country: GB
    role: controller
systems:
  - id: dialler
    name: Dialler list
    owner: concero
    country: GB
    categories: [contact.phone]
    subjects: [callers]
    retention_days: 30
    retention_justification: Call-backs to callers (N-PHONE).
    encrypted_at_rest: true
    notice: N-PHONE
flows:
  - id: callback-list
    from: call-recordings
    to: dialler
    categories: [contact.phone]
    subjects: [callers]
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
"""

#: The pull request: the dialler list's numbers to the reseller.
LEADS = """  - id: leads
    from: dialler
    to: lead-partner
    categories: [contact.phone]
    subjects: [callers]
    purpose: call_monitoring
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PHONE
"""


def test_callers_numbers_copied_to_another_store_then_passed_on_are_still_found(
    tmp_path: Path,
) -> None:
    """Before: the rule matched only flows out of the store that holds call recordings, so
    one store-to-store copy (the dialler list) laundered the callers' numbers: the flow from
    it to a reseller got no CONCERO-PHONE-NOT-PASSED-ON HIGH, only the MEDIUM permission and
    LOW sharing-agreement findings a permission and an agreement answer, and the gate under
    ``--fail-on high`` passed it with exit 0. Now the stores a holding store fills hold what
    it keeps: one new HIGH on the reseller flow, exit 1."""
    repo = concero_repo(tmp_path, DIALLER)
    path = repo.files / "zz-extra.yaml"
    path.write_text(path.read_text(encoding="utf-8") + LEADS, encoding="utf-8")
    args = ["check", str(repo.files), *GATE]
    # the changes to review the flow raises are its encryption claim and its joining the
    # purpose's missing assessment: a reviewer accepting those is told nothing of N-PHONE
    listed = review_lines(run(args).stdout)
    assert [line.split(": ")[1].split(":")[0] for line in listed] == [
        "joined-finding",
        "claim-changed",
    ]
    accepted = [a for line in listed for a in ("--accept-change", line.split(": ")[1])]
    result = run_gate([*args, *accepted])
    assert result.exit_code == 1, result.printed
    new_high = [
        line for line in result.stdout.splitlines() if line.endswith("[new]") and " HIGH " in line
    ]
    assert new_high == [
        "concero/zz-extra.yaml:31:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/leads: "
        "carries forbidden category 'contact.phone' [new]"
    ]
    assert (
        "FAIL: 1 new finding at or above high against HEAD: CONCERO-PHONE-NOT-PASSED-ON "
        "flows/leads (category). Not failed on: 57 existing findings."
    ) in result.stdout.splitlines(), result.stdout


def test_the_internal_copy_alone_is_not_passed_on(tmp_path: Path) -> None:
    """Control: the dialler list filled from the call recordings store passes nothing to a
    third party; the base map has no CONCERO-PHONE-NOT-PASSED-ON finding."""
    repo = concero_repo(tmp_path, DIALLER)
    result = run_gate(["check", str(repo.files), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.printed
    assert "CONCERO-PHONE-NOT-PASSED-ON" not in result.stdout


#: The base: a reseller the map knows.
RESELLER = """parties:
  - id: lead-partner
    name: Telecoms reseller
    kind: reseller
    country: GB
    role: controller
flows:
"""


def test_callers_numbers_passed_on_from_a_store_declared_without_its_recordings(
    tmp_path: Path,
) -> None:
    """Before: a store's declared categories stood in for what its flows write, so the pull
    request that left ``communications.call_recording`` out of the call recordings store's
    declaration (the recording flow still writing it in: a MEDIUM HYG-STORE-CONTENTS) and sent
    callers' numbers from that store to a reseller got no CONCERO-PHONE-NOT-PASSED-ON: exit 0
    under ``--fail-on high`` once the flow's two unrelated changes to review were accepted.
    Now a store a flow writes the category into holds it, whatever it declares."""
    repo = concero_repo(tmp_path, RESELLER)
    repo.edit(
        "systems.yaml",
        "    categories: [contact.phone, communications.call_recording]\n",
        "    categories: [contact.phone]\n",
    )
    path = repo.files / "zz-extra.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + LEADS.replace("from: dialler", "from: call-recordings"),
        encoding="utf-8",
    )
    args = ["check", str(repo.files), *GATE]
    listed = review_lines(run(args).stdout)
    assert [line.split(": ")[1].split(":")[0] for line in listed] == [
        "joined-finding",
        "claim-changed",
    ]
    accepted = [a for line in listed for a in ("--accept-change", line.split(": ")[1])]
    result = run_gate([*args, *accepted])
    assert result.exit_code == 1, result.printed
    new_high = [
        line for line in result.stdout.splitlines() if line.endswith("[new]") and " HIGH " in line
    ]
    assert new_high == [
        "concero/zz-extra.yaml:11:18 HIGH CONCERO-PHONE-NOT-PASSED-ON (N-PHONE) flows/leads: "
        "carries forbidden category 'contact.phone' [new]"
    ]
