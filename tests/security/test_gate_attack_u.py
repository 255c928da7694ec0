"""The PR gate against the attack review of 2026-12-03u (problem 2: a flow moved into a map
file that ``.flowauditignore`` keeps out took its critical finding with it, and the gate
passed with nothing to review) and the auditor review of the same day (problem 2: the pull
request that adds the map could not pass the gate). Each through a real git base."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate

AS_OF = "2026-11-25"

ADTRACK = """\
  - id: adtrack
    name: AdTrack Inc.
    kind: analytics
    country: US
    role: processor

"""

ADS_EXPORT = """\
  - id: ads-export
    from: shopwave
    to: adtrack
    categories: [contact.email]
    subjects: [customers]
    purpose: orders
    basis: contract
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""


class Shop(GitRepo):
    """``init --example shop`` under data-map/, with a flow to a US processor (a CRITICAL
    GDPR-TRANSFER and a HIGH GDPR-AGREEMENT finding), committed as the base."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, root / "data-map")
        assert run(["init", str(self.files), "--example", "shop"]).exit_code == 0
        self.edit("organisation.yaml", "parties:\n", "parties:\n" + ADTRACK)
        flows = self.files / "flows.yaml"
        flows.write_text(flows.read_text(encoding="utf-8") + "\n" + ADS_EXPORT, encoding="utf-8")
        self.git("init", "-q")
        self.commit("base")

    def move_flow(self, to: str) -> None:
        """Take ads-export out of flows.yaml into ``to`` (under the map folder)."""
        self.edit("flows.yaml", "\n" + ADS_EXPORT, "")
        target = self.files / to
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("flows:\n" + ADS_EXPORT, encoding="utf-8")

    def gate(self, *extra: str) -> GateResult:
        return run_gate(
            [
                "check",
                str(self.files),
                "--as-of",
                AS_OF,
                "--require-policy",
                "uk-gdpr",
                "--require-policy",
                "hygiene",
                "--fail-on",
                "low",
                "--base",
                "HEAD",
                *extra,
            ]
        )


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    require_tool("git")
    return Shop(tmp_path / "repo")


HIDES = (
    "nothing in it is checked; it holds flows/ads-export; with it goes: CRITICAL "
    "GDPR-TRANSFER on flows/ads-export (no-mechanism), HIGH GDPR-AGREEMENT on "
    "flows/ads-export (missing)"
)


def test_the_base_shop_has_the_transfer_findings(shop: Shop) -> None:
    """The scenario's premise: unchanged, the gate passes, and the findings are there."""
    result = shop.gate()
    assert result.exit_code == 0, result.output
    assert "CRITICAL GDPR-TRANSFER flows/ads-export" in result.output
    assert "0 changes to review" in result.output


@pytest.mark.parametrize("to", [".schema/ads-export.yaml", "archive/ads-export.yaml"])
def test_a_flow_moved_into_an_ignored_file_is_a_change_to_review(shop: Shop, to: str) -> None:
    """Attack review 2026-12-03u, problem 2: moved into ``.schema/`` (which ``init`` puts in
    every ignore file) or into a folder the change adds to the ignore file, the flow's
    CRITICAL finding went as "removed" and the gate said PASS with 0 changes to review."""
    shop.move_flow(to)
    if to.startswith("archive/"):
        ignore = shop.files / ".flowauditignore"
        ignore.write_text(ignore.read_text(encoding="utf-8") + "archive/\n", encoding="utf-8")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        f"change to review: map-file-ignored:data-map/{to}: data-map/{to} is new since HEAD, "
        f"and .flowauditignore keeps it out of the audit: {HIDES}\n"
        f"    (NOT ACCEPTED), said at [data-map/{to}:1:1]"
    ) in result.stdout
    assert "but 1 change to review not accepted: map-file-ignored:" in result.output
    accepted = shop.gate("--accept-change", result.pinned(f"map-file-ignored:data-map/{to}"))
    assert accepted.exit_code == 0, accepted.output


def test_a_map_file_the_base_read_and_the_ignore_file_now_keeps_out(shop: Shop) -> None:
    """Problem 2, an ignore file that keeps out more: flows.yaml unchanged, named in the
    ignore file. Said once, as kept out (not also as a file gone)."""
    ignore = shop.files / ".flowauditignore"
    ignore.write_text(ignore.read_text(encoding="utf-8") + "flows.yaml\n", encoding="utf-8")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("change to review")]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(
        "change to review: map-file-ignored:data-map/flows.yaml: data-map/flows.yaml was read "
        "at HEAD, and .flowauditignore now keeps it out of the audit: nothing in it is checked; "
        "it holds flows/"
    )
    assert "with it goes: CRITICAL GDPR-TRANSFER on flows/ads-export (no-mechanism)" in lines[0]


def test_an_ignored_map_file_as_it_was_at_the_base_is_no_change(shop: Shop) -> None:
    """Problem 2: a file kept out at the base and unchanged is nothing to review; changed,
    it is (a flow added to a kept-out file is hidden from the audit as a moved one is)."""
    shop.move_flow(".schema/ads-export.yaml")
    shop.commit("moved, reviewed")
    assert shop.gate().exit_code == 0
    note = shop.files / ".schema" / "ads-export.yaml"
    note.write_text(note.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "map-file-ignored:data-map/.schema/ads-export.yaml: data-map/.schema/ads-export.yaml "
        "changed since HEAD, and .flowauditignore keeps it out of the audit: nothing in it is "
        "checked; it holds flows/ads-export\n"
    ) in result.stdout


def test_an_ignored_folder_too_big_to_look_through_is_a_change_when_it_changed(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 2: a folder the ignore file keeps out with more entries than are looked
    through for map files could hide the moved flow among fillers; under --base it is a
    change to review whenever anything in it changed since the base."""
    notes = shop.files / "notes"
    notes.mkdir()
    for number in range(5):
        (notes / f"n{number}.txt").write_text("x\n", encoding="utf-8")
    ignore = shop.files / ".flowauditignore"
    ignore.write_text(ignore.read_text(encoding="utf-8") + "notes/\n", encoding="utf-8")
    shop.commit("notes")
    monkeypatch.setattr("flowaudit.model.discovery.MAX_IGNORED_LOOK", 2)
    assert shop.gate().exit_code == 0
    shop.move_flow("notes/zz.yaml")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: map-file-ignored:data-map/notes/: data-map/notes/ changed since "
        "HEAD; .flowauditignore keeps it out of the audit, and it holds more entries than "
        "were looked through for map files: a map file in it would not be checked\n"
    ) in result.stdout


def test_the_pull_request_that_adds_the_map_is_judged_against_an_empty_base(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03u, problem 2: with main holding no map yet, ``check --base``
    stopped with exit 2 (``no map file under data-map/ at HEAD``) and no advice, so the
    first pull request could never pass. The base is now empty: every finding is new, and
    the map's arrival is one change to review, said in words."""
    require_tool("git")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("shop\n", encoding="utf-8")
    folder = root / "data-map"
    repo = GitRepo(root, folder)
    repo.git("init", "-q")
    repo.commit("no map yet")
    assert run(["init", str(folder), "--example", "shop"]).exit_code == 0
    repo.edit("organisation.yaml", "parties:\n", "parties:\n" + ADTRACK)
    flows = folder / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8") + "\n" + ADS_EXPORT, encoding="utf-8")
    plain = run(["check", str(folder), "--as-of", AS_OF, "--fail-on", "low"])
    assert plain.exit_code == 1, plain.output
    gate = ["check", f"{folder}/", "--as-of", AS_OF, "--fail-on", "low", "--base", "HEAD"]
    result = run_gate(gate)
    assert result.exit_code == 1, result.output
    assert "FAIL: 2 new findings at or above low against HEAD" in result.output
    assert (
        "change to review: map-added:data-map: HEAD holds no map file under data-map: the "
        "whole map is new, every finding is new, and its claims, signed agreements and "
        "waivers are compared with nothing: review the map itself; pull requests after it is "
        "merged are judged against it\n    (NOT ACCEPTED)"
    ) in result.stdout
    assert "no map file under" not in result.stderr
    accepted = run_gate([*gate, "--accept-change", result.pinned("map-added:data-map")])
    # accepted, the first map is judged as a plain check judges it: its findings all new
    assert accepted.exit_code == plain.exit_code, accepted.output
    findings = [line for line in plain.stdout.splitlines() if " GDPR-" in line]
    assert len(findings) == 2
    assert all(f"{line} [new]" in accepted.stdout for line in findings), accepted.stdout


def test_the_markdown_summary_says_how_a_change_to_review_is_accepted(
    shop: Shop, tmp_path: Path
) -> None:
    """Auditor review 2026-12-03u, problem 13: the job summary listed changes to review as
    `accepted: no` without saying how to accept them (the text output said it on stderr)."""
    shop.move_flow(".schema/ads-export.yaml")
    summary = tmp_path / "summary.md"
    result = shop.gate("--output", f"markdown={summary}")
    assert result.exit_code == 1, result.output
    lines = summary.read_text(encoding="utf-8").splitlines()
    intro = lines[lines.index("### Changes to review") + 2]
    assert intro == (
        "Rules, waivers, the policy selection, signatures or claims changed: each can hide a "
        "finding without fixing it. Those that clear the gravest findings come first. Once a "
        "maintainer has read them, they are let through by an approving review of this commit "
        "in the example workflow, or by `--accept-change ID` with each id as printed "
        "(docs/ci.md, section 3)."
    )
