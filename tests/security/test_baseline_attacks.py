"""Attacks on the baseline gate (issue 11, point 2): a pull request that controls the map and
the policy files must not make findings vanish while ``check --base`` exits 0.

Each test builds a repository holding Concero's map and a policies folder, commits it as the
base, applies one change an attacker would make, and runs the gate against the base. Before
the base was audited by its own rules, every one of these exited 0 ("fixed").
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from flowaudit.model.discovery import display_path
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate, unpinned

AS_OF = "2026-11-25"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

HOUSE_POLICY = """\
policy: {id: house-notice, title: House notice}
rules:
  - id: HOUSE-NO-BROKERS
    kind: forbidden
    title: No personal data to data brokers
    severity: critical
    rationale: Our notice promises it.
    references: {notice: [N-SALE]}
    fix: Stop the flow.
    match: {recipient_kinds: [training_provider]}
    categories: [contact]
"""


#: A house override letting waivers cover critical findings (their default stops at high).
ALLOW_CRITICAL_WAIVERS = """\
overrides:
  - rule: HYG-WAIVER
    set: {max_severity: critical}
    justification: The board accepts a transfer risk for a time, on the record
"""


def changes(output: str) -> list[str]:
    """The ``change to review:`` lines of a run, in order."""
    return [line for line in output.splitlines() if line.startswith("change to review: ")]


class Repo(GitRepo):
    """A git repository with the Concero map under data-map/ and policies under policies/."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, root)
        shutil.copytree(shipped_map_dir(), root / "data-map")
        (root / "policies").mkdir()
        (root / "policies" / "house.yaml").write_text(HOUSE_POLICY, encoding="utf-8")
        self.git("init", "-q")
        self.commit("base")

    def append(self, name: str, text: str) -> None:
        path = self.root / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def allow_critical_waivers(self) -> None:
        """Commit a house override letting a waiver cover a critical finding (by default none
        does: DPO review 2026-12-03o, problem 5), for the tests of what a waiver of the
        Concero map's critical transfer may cover when an organisation allows it."""
        self.append("policies/house.yaml", ALLOW_CRITICAL_WAIVERS)
        self.commit("critical waivers allowed, on the record")

    def gate(self, *extra: str, policies: bool = True) -> GateResult:
        args = ["check", str(self.root / "data-map"), "--base", "HEAD", "--as-of", AS_OF]
        if policies:
            args += ["--policies", str(self.root / "policies")]
        return run_gate([*args, *extra])


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def test_an_unchanged_repository_passes_the_gate(repo: Repo) -> None:
    result = repo.gate()
    assert result.exit_code == 0, result.output
    assert "0 changes to review" in result.output


def test_a_change_to_review_is_said_once_with_where_it_is_said(repo: Repo) -> None:
    """check --base in text listed each change before the verdict and again on stderr after
    "Against HEAD:" (auditor review 2026-12-02f, problem 9): once now, in the text, with
    where the map says it; a format that does not list it (JSON) keeps the stderr line."""
    repo.edit("data-map/organisation.yaml", "policies: [concero-notice]", "policies: []")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    said = [line for line in result.output.splitlines() if "policy-deselected:" in line]
    assert len(said) == 2, said  # the change, and the FAIL verdict naming its id
    assert said[0].startswith("change to review: policy-deselected:concero-notice")
    assert said[1].startswith("FAIL: ")
    listed = result.stdout.splitlines()
    where = listed[listed.index(said[0]) + 1]
    assert where.startswith("    (NOT ACCEPTED), said at [") and "organisation.yaml:" in where
    assert "change to review: " not in result.stderr
    assert "Once reviewed, let them through with --accept-change ID" in result.stderr
    as_json = repo.gate("--format", "json")
    assert "change to review: policy-deselected:concero-notice" in as_json.stderr


def test_dropping_the_notice_policy_from_the_selection_fails_the_gate(repo: Repo) -> None:
    repo.edit("data-map/organisation.yaml", "policies: [concero-notice]", "policies: []")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: policy-deselected:concero-notice" in result.output
    assert "change to review: policy-removed:concero-notice" in result.output
    # its findings are not "fixed": they went because the rules no longer run
    assert "(0 fixed, 0 removed, 0 waived, 19 rule changed)" in result.output


def test_deleting_a_policy_file_in_the_repository_fails_the_gate(repo: Repo) -> None:
    (repo.root / "policies" / "house.yaml").unlink()
    (repo.root / "policies" / "empty.yaml").write_text(
        "policy: {id: empty, title: Nothing}\n", encoding="utf-8"
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: policy-removed:house-notice" in result.output


def test_renaming_a_rule_to_a_narrower_one_fails_the_gate(repo: Repo) -> None:
    (repo.root / "policies" / "house.yaml").rename(repo.root / "policies" / "notice.yaml")
    repo.edit("policies/notice.yaml", "HOUSE-NO-BROKERS", "HOUSE-NO-BROKERS-EVER")
    repo.edit("policies/notice.yaml", "categories: [contact]", "categories: [contact.fax]")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: rule-removed:HOUSE-NO-BROKERS:" in result.output
    assert "change to review: rule-added:HOUSE-NO-BROKERS-EVER:" in result.output


def test_an_override_only_change_fails_the_gate_in_every_format(repo: Repo) -> None:
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - {rule: GDPR-TRANSFER, enabled: false, justification: not needed}\n",
    )
    result = repo.gate(
        "--format",
        "github",
        "--output",
        f"json={repo.root / 'out.json'}",
        "--output",
        f"sarif={repo.root / 'out.sarif'}",
        "--output",
        f"junit={repo.root / 'out.xml'}",
        "--output",
        f"markdown={repo.root / 'out.md'}",
        "--output",
        f"text={repo.root / 'out.txt'}",
    )
    assert result.exit_code == 1, result.output
    change = "rule-changed:GDPR-TRANSFER"
    (annotation,) = [
        ln for ln in result.output.splitlines() if ln.startswith("::") and "change to review" in ln
    ]
    assert annotation.startswith("::error file=")
    assert annotation.split(",line=")[0].endswith("house.yaml")
    assert f",line=1,col=1,title=flowaudit change to review (not accepted)::{change}: switched" in (
        annotation
    )
    # the two transfer findings did not get "fixed"
    assert "(0 fixed, 0 removed, 0 waived, 2 rule changed)" in result.output
    document = json.loads((repo.root / "out.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in document["review"]] == [result.pinned(change)]
    assert document["summary"]["verdict"] == "fail"
    sarif = json.loads((repo.root / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    review = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "FLOWAUDIT-CHANGE-TO-REVIEW"]
    assert [r["properties"]["change"] for r in review] == [result.pinned(change)]
    # code scanning refuses a whole file when one result has no location
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in review)
    assert f'name="{result.pinned(change)}"' in (repo.root / "out.xml").read_text(encoding="utf-8")
    pin = result.pinned(change)
    assert f"| {pin} | **no** | switched off" in (repo.root / "out.md").read_text(encoding="utf-8")
    assert f"change to review: {pin}: switched off" in (repo.root / "out.txt").read_text(
        encoding="utf-8"
    )


def test_a_lowered_severity_override_fails_the_gate(repo: Repo) -> None:
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - {rule: CONCERO-PUPILS, severity: info, justification: fine}\n",
    )
    result = repo.gate("--fail-on", "low")
    assert result.exit_code == 1, result.output
    assert (
        "change to review: rule-changed:CONCERO-PUPILS: severity lowered critical -> info"
        in result.output
    )


def test_a_waiver_only_change_fails_the_gate_until_accepted(repo: Repo) -> None:
    repo.append(
        "data-map/flows.yaml",
        "\nwaivers:\n"
        "  - id: call-lia\n"
        "    rule: GDPR-BASIS\n"
        "    element: flows/call-recording\n"
        "    owner: Jane Doe, DPO\n"
        "    justification: Assessment being written\n"
        "    approved_on: 2026-11-01\n"
        "    expires_on: 2027-03-31\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: waiver-added:call-lia: new waiver of GDPR-BASIS" in (result.output)
    flows = repo.root / "data-map" / "flows.yaml"
    line = flows.read_text(encoding="utf-8").splitlines().index("  - id: call-lia") + 1
    # located at the waiver, shown from the folder the map was named in
    assert f"[{display_path(flows, flows.parent)}:{line}:5]" in result.output
    assert "(0 fixed, 0 removed, 1 waived, 0 rule changed)" in result.output
    accepted = repo.gate("--accept-change", result.pinned("waiver-added:call-lia"))
    assert accepted.exit_code == 0, accepted.output
    assert "1 change to review (1 accepted)" in accepted.output
    # the subject alone does not say what was read: not accepted
    unread = repo.gate("--accept-change", "waiver-added:call-lia")
    assert unread.exit_code == 1
    assert (
        "note: --accept-change waiver-added:call-lia does not say what was read: the change "
        f"reads now as {result.pinned('waiver-added:call-lia')}; pass that id once you have "
        "read it"
    ) in unread.printed
    other = repo.gate("--accept-change", "waiver-added:something-else")
    assert other.exit_code == 1
    assert "note: --accept-change waiver-added:something-else names no change to review" in (
        other.output
    )


def test_extending_a_waiver_fails_the_gate(repo: Repo) -> None:
    waiver = (
        "\nwaivers:\n"
        "  - id: pupils-ok\n"
        "    rule: CONCERO-PUPILS\n"
        "    element: flows/school-server-work\n"
        "    owner: Jane Doe, DPO\n"
        "    justification: Accepted while the school contract is renegotiated\n"
        "    approved_on: 2026-11-01\n"
        "    expires_on: 2027-01-31\n"
    )
    repo.append("data-map/flows.yaml", waiver)
    repo.commit("waiver reviewed")
    repo.edit("data-map/flows.yaml", "expires_on: 2027-01-31", "expires_on: 2027-10-31")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: waiver-extended:pupils-ok" in result.output
    assert repo.gate("--accept-reviewed-changes").exit_code == 0


def test_marking_an_agreement_signed_is_a_change_to_review(repo: Repo) -> None:
    repo.edit(
        "data-map/agreements.yaml",
        "    status: unknown\n",
        "    status: signed\n    signed_on: 2026-01-01\n    evidence: contracts/dpa.pdf\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: agreement-signed:zendesk-dpa: agreement 'zendesk-dpa' is now "
        "recorded as signed (was unknown); signed on 2026-01-01, evidence 'contracts/dpa.pdf'"
        in result.output
    )


def test_the_base_is_audited_with_its_own_policy_folder(repo: Repo) -> None:
    # the policy folder is new in the change: the base had none of its rules
    shutil.rmtree(repo.root / "policies")
    repo.commit("no policies yet")
    (repo.root / "policies").mkdir()
    (repo.root / "policies" / "house.yaml").write_text(HOUSE_POLICY, encoding="utf-8")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: policy-added:house-notice: policy house-notice is newly applied: "
        "its 1 rule (HOUSE-NO-BROKERS)" in result.output
    )
    assert "rule-added:" not in result.output


def test_an_override_is_named_in_github_output_even_without_a_base(repo: Repo) -> None:
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - {rule: GDPR-TRANSFER, enabled: false, justification: not needed}\n",
    )
    result = run(
        [
            "check",
            str(repo.root / "data-map"),
            "--policies",
            str(repo.root / "policies"),
            "--as-of",
            AS_OF,
            "--format",
            "github",
        ]
    )
    overrides = [ln for ln in result.output.splitlines() if "title=flowaudit override" in ln]
    assert len(overrides) == 1
    assert overrides[0].startswith(
        "::warning title=flowaudit override of GDPR-TRANSFER::GDPR-TRANSFER switched off ("
    )
    assert overrides[0].endswith("house.yaml: not needed)")


def test_extending_a_signed_agreement_is_a_change_to_review(repo: Repo) -> None:
    repo.edit(
        "data-map/agreements.yaml",
        "    status: unknown\n",
        "    status: signed\n    signed_on: 2024-01-01\n    expires_on: 2025-12-31\n"
        "    evidence: contracts/zendesk-dpa.pdf\n",
    )
    repo.commit("signed, now expired")
    repo.edit("data-map/agreements.yaml", "expires_on: 2025-12-31", "expires_on: 2099-12-31")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: agreement-extended:zendesk-dpa: signed agreement 'zendesk-dpa' now "
        "runs 2024-01-01 to 2099-12-31 (was 2024-01-01 to 2025-12-31)" in result.output
    )


def test_diff_judges_each_folder_by_its_own_policies_and_names_the_changes(
    tmp_path: Path,
) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(shipped_map_dir(), base)
    shutil.copytree(shipped_map_dir(), head)
    (head / "waivers.yaml").write_text(
        "waivers:\n"
        "  - {id: us-ok, rule: GDPR-BASIS, element: flows/call-recording, owner: Jane Doe,"
        " justification: LIA in review, approved_on: 2026-11-01, expires_on: 2027-02-01}\n",
        encoding="utf-8",
    )
    policies = tmp_path / "head-policies"
    policies.mkdir()
    (policies / "p.yaml").write_text(
        "policy: {id: p, title: P}\n"
        "overrides:\n  - {rule: CONCERO-PUPILS, enabled: false, justification: none}\n",
        encoding="utf-8",
    )
    command = ["diff", str(base), str(head), "--as-of", AS_OF, "--policies", str(policies)]
    command += ["--base-policies", str(tmp_path / "base-policies.yaml")]
    result = run(command)
    # the base folder's policy file does not exist: refused, not silently replaced
    assert result.exit_code == 2
    (tmp_path / "base-policies.yaml").write_text("policy: {id: p, title: P}\n", encoding="utf-8")
    result = run(command)
    assert result.exit_code == 1, result.output
    review = [line for line in unpinned(result.output).splitlines() if line.startswith("REVIEW")]
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in review] == [
        "REVIEW (NOT ACCEPTED) rule-changed:CONCERO-PUPILS",
        "REVIEW (NOT ACCEPTED) waiver-added:us-ok",
    ]
    assert "WAIVED HIGH GDPR-BASIS flows/call-recording" in result.output
    assert "RULE-CHANGED CRITICAL CONCERO-PUPILS flows/school-server-work" in result.output
    accepted = run([*command, "--accept-reviewed-changes"])
    assert accepted.exit_code == 0, accepted.output


def test_re_scoping_a_rule_by_override_fails_the_gate(repo: Repo) -> None:
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - rule: CONCERO-PUPILS\n    set: {match: {recipient_kinds: [nobody]}}\n"
        "    justification: only for nobody\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: rule-changed:CONCERO-PUPILS: re-scoped (match changed) (override in "
        in result.output
    )
    # the one finding on school-server-work and the two "may carry" findings (support
    # tickets and the servers hosting them are one)
    assert "(0 fixed, 0 removed, 0 waived, 3 rule changed)" in result.output
    reviewed = result.pinned("rule-changed:CONCERO-PUPILS")
    assert repo.gate("--accept-change", reviewed).exit_code == 0
    # a later push re-scopes it further under the same words (attack review 2026-12-02h,
    # hole 1): the line reads the same, the files do not, and the id accepted accepts nothing
    repo.edit("policies/house.yaml", "  - rule: CONCERO-PUPILS\n", "  - rule: GDPR-BASIS\n")
    repo.append(
        "policies/house.yaml",
        "  - rule: CONCERO-PUPILS\n    set: {match: {recipient_kinds: [nobody]}}\n"
        "    justification: only for nobody\n",
    )
    later = repo.gate("--accept-change", reviewed)
    assert later.exit_code == 1, later.output
    assert "rule-changed:GDPR-BASIS: re-scoped (match changed)" in later.output
    assert later.pinned("rule-changed:CONCERO-PUPILS") != reviewed


def test_widening_a_signed_agreement_is_a_change_to_review(repo: Repo) -> None:
    repo.edit(
        "data-map/agreements.yaml",
        "    status: unknown\n",
        "    status: signed\n    signed_on: 2024-01-01\n    evidence: contracts/zendesk-dpa.pdf\n",
    )
    repo.commit("signed")
    repo.edit(
        "data-map/agreements.yaml",
        "categories: [contact, support, username, credentials]",
        "categories: [contact, support, username, credentials, payment]",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: agreement-changed:zendesk-dpa: signed agreement 'zendesk-dpa' now "
        "records different terms: categories ['contact', 'support', 'username', 'credentials'] "
        "-> ['contact', 'support', 'username', 'credentials', 'payment']" in result.output
    )


def test_dropping_one_rule_of_a_merged_finding_is_rule_changed_not_new_and_fixed(
    repo: Repo,
) -> None:
    """marketing-contacts' missing consent record is one finding of GDPR-BASIS + CONCERO-
    MARKETING-CONSENT, its message joining both rules' words; without the notice rule it is
    GDPR-BASIS's alone, with one rule's message: the same problem, so neither a new finding
    nor a fixed one."""
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - rule: CONCERO-MARKETING-CONSENT\n    enabled: false\n"
        "    justification: marketing is not ours to judge\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: rule-changed:CONCERO-MARKETING-CONSENT" in result.output
    assert "0 new findings (0 at or above low)" in result.output
    assert "0 fixed" in result.output and "rule changed)" in result.output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("data-map/flows.yaml", "data-map/flows.YAML"),  # another letter case
        ("data-map/flows.yaml", "data-map/sub/flows.yaml"),  # into a subfolder
    ],
)
def test_a_renamed_or_moved_map_file_is_a_change_to_review(repo: Repo, old: str, new: str) -> None:
    """Nothing vanishes (the file is still read), but the gate names the move so a reviewer
    sees that the map's files changed."""
    (repo.root / new).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / old).rename(repo.root / new)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        f"change to review: map-file-gone:{old}: {old} at HEAD is now {new}: the map's files "
        "changed" in result.output
    )
    assert "0 new findings" in result.output
    accepted = repo.gate("--accept-change", result.pinned(f"map-file-gone:{old}"))
    assert accepted.exit_code == 0, accepted.output


def test_a_map_file_moved_and_edited_is_a_change_to_review(repo: Repo) -> None:
    old = repo.root / "data-map" / "taxonomy.yaml"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    (repo.root / "data-map" / "vocabulary.yaml").write_text(text + "# moved\n", encoding="utf-8")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: map-file-gone:data-map/taxonomy.yaml: data-map/taxonomy.yaml was "
        "read at HEAD and is not read now (moved, renamed or deleted)" in result.output
    )


def test_report_with_base_says_what_changed_and_exits_like_the_gate(
    repo: Repo, tmp_path: Path
) -> None:
    repo.append(
        "data-map/flows.yaml",
        "\nwaivers:\n"
        "  - id: call-lia\n"
        "    rule: GDPR-BASIS\n"
        "    element: flows/call-recording\n"
        "    owner: Jane Doe, DPO\n"
        "    justification: Assessment being written\n"
        "    approved_on: 2026-11-01\n"
        "    expires_on: 2027-03-31\n",
    )
    out = tmp_path / "report"
    args = ["report", str(repo.root / "data-map"), "--base", "HEAD", "--as-of", AS_OF]
    result = run([*args, "--policies", str(repo.root / "policies"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    html = unpinned((out / "report.html").read_text(encoding="utf-8"))
    assert "<strong>What changed against HEAD:</strong> 0 new findings" in html
    assert "1 gone (0 fixed, 0 removed, 1 waived, 0 rule changed)" in html
    assert '<span class="mono">waiver-added:call-lia</span> (NOT ACCEPTED)' in html


def test_a_signed_agreement_signed_on_behalf_of_another_party_is_a_change_to_review(
    repo: Repo,
) -> None:
    repo.edit(
        "data-map/agreements.yaml",
        "    status: unknown\n",
        "    status: signed\n    signed_on: 2024-01-01\n    evidence: contracts/zendesk-dpa.pdf\n",
    )
    repo.commit("signed")
    repo.edit(
        "data-map/agreements.yaml",
        "    evidence: contracts/zendesk-dpa.pdf\n",
        "    evidence: contracts/zendesk-dpa.pdf\n    on_behalf_of: [concero]\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: agreement-changed:zendesk-dpa" in result.output


def test_a_map_change_that_drops_one_rule_of_a_merged_finding_is_not_rule_changed(
    repo: Repo,
) -> None:
    """No rule changed: the notice rule's part of the finding went because the map changed.
    The law's rule says the same words about the same missing consent record (the merged
    finding says it once), so the problem is the same finding: nothing gone, nothing new.
    The flow's purpose no longer being marketing is a change to review of its own (attack
    review 2026-12-03r, problem 2): it takes the flow out of the marketing rules."""
    repo.edit("data-map/flows.yaml", "purpose: marketing\n", "purpose: customer_support\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [line.split(": ")[1] for line in changes(result.output)] == [
        "reclassified:flows/marketing-contacts"
    ]
    accepted = repo.gate("--accept-reviewed-changes")
    assert accepted.exit_code == 0, accepted.output
    # only the marketing opt-out rule's finding goes: the flow is no longer marketing
    assert (
        "0 new findings (0 at or above low), 1 gone (1 fixed, 0 removed, 0 waived, 0 rule changed)"
        in result.output
    )
    assert "  FIXED data-map/flows.yaml" not in result.output  # located at the base
    assert (
        "MEDIUM PECR-MARKETING-OPT-OUT flows/marketing-contacts:"
        in result.output.split("Gone since HEAD (1 finding, not failed on):")[1]
    )


def test_a_bare_new_assessment_is_a_change_to_review(repo: Repo) -> None:
    """Linking a new legitimate interests assessment clears the finding it answers: the map
    cannot show the document exists, so a person must check it."""
    repo.edit(
        "data-map/flows.yaml",
        "  - id: call-recording\n",
        "  - id: call-recording\n    assessments: [lia-calls]\n",
    )
    repo.append(
        "data-map/flows.yaml",
        "\nassessments:\n  - {id: lia-calls, kind: legitimate_interests}\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: assessment-changed:lia-calls: new assessment 'lia-calls'" in (
        result.output
    )


def test_a_new_waiver_is_annotated_before_eleven_new_assessments(repo: Repo) -> None:
    """GitHub annotates the first ten errors of a step: changes to review come by what they
    can hide, so eleven assessments of the pull request's own cannot push its waiver out."""
    repo.append(
        "data-map/flows.yaml",
        "\nassessments:\n"
        + "".join(f"  - {{id: a{n:02d}-tra, kind: transfer_risk}}\n" for n in range(11))
        + "waivers:\n"
        "  - id: w-us\n"
        "    rule: CONCERO-PUPILS\n"
        "    element: flows/school-server-work\n"
        "    owner: Jane Doe, DPO\n"
        "    justification: Accepted while the school contract is renegotiated\n"
        "    approved_on: 2026-11-01\n"
        "    expires_on: 2027-03-31\n",
    )
    result = repo.gate("--format", "github")
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("::error ")]
    changes = [ln.split("::")[2].split(":")[0] for ln in errors if "change to review" in ln]
    assert changes[0] == "waiver-added", changes
    assert changes[1:] == ["assessment-changed"] * 11
    assert "title=flowaudit change to review (not accepted)::waiver-added:w-us:" in errors[0]


def test_a_map_or_policy_folder_turned_into_a_link_to_another_folder_is_refused(
    repo: Repo,
) -> None:
    """A pull request that replaces the map folder (or the policies folder) by a link to a
    clean folder already in the repository: read through the link on both sides, the real
    map's 50 findings would vanish with nothing gone and nothing to review. The gate names
    the link and stops with exit 2 instead."""
    decoy = repo.root / "examples" / "shop"
    shutil.copytree(shipped_map_dir().parent / "examples" / "shop", decoy)
    shutil.copytree(repo.root / "policies", repo.root / "policies-draft")
    (repo.root / "policies-draft" / "house.yaml").write_text(
        HOUSE_POLICY.replace("training_provider", "data_broker"), encoding="utf-8"
    )
    repo.commit("a decoy map and a draft policy folder land first")
    shutil.rmtree(repo.root / "data-map")
    (repo.root / "data-map").symlink_to("examples/shop")
    result = repo.gate()
    assert result.exit_code == 2, result.output
    assert "data-map:1:1: a symbolic link (to examples/shop): --base compares" in result.output

    (repo.root / "data-map").unlink()
    repo.git("checkout", "--", "data-map")
    shutil.rmtree(repo.root / "policies")
    (repo.root / "policies").symlink_to("policies-draft")
    result = repo.gate("--require-policy", "house-notice")
    assert result.exit_code == 2, result.output
    assert "policies:1:1: a symbolic link (to policies-draft)" in result.output
    # without --base the link is read as any folder is
    plain = run(["check", str(repo.root / "data-map"), "--as-of", AS_OF])
    assert plain.exit_code == 1, plain.output


LIA = """assessments:
  - id: lia-calls
    kind: legitimate_interests
    completed_on: 2025-01-10
    evidence: dpo/lia-call-recording-2025.pdf
"""


def test_linking_an_assessment_on_file_to_other_flows_is_a_claim_to_review(repo: Repo) -> None:
    """An assessment made for one processing, linked to two others, cleared their HIGH
    legitimate-interests findings with nothing to review (attack review 2026-12-02b, 3)."""
    (repo.root / "data-map" / "assessments.yaml").write_text(LIA, encoding="utf-8")
    repo.edit(
        "data-map/flows.yaml",
        "    basis: legitimate_interests\n",
        "    basis: legitimate_interests\n    assessment: lia-calls\n",
    )  # the first such flow: third-party-insights
    repo.commit("the call-recording assessment, linked once")
    repo.edit(
        "data-map/flows.yaml",
        "    purpose: web_development\n    basis: legitimate_interests\n",
        "    purpose: web_development\n    basis: legitimate_interests\n"
        "    assessment: lia-calls\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:flows/third-party-insights: "
        "flows/third-party-insights now claims assessment 'lia-calls' (was unsaid): it can "
        "clear findings"
    ) in result.output


def test_a_protection_measure_and_an_exempting_notice_clause_are_claims(repo: Repo) -> None:
    """`protection` on a store (a measure taken) and a flow re-cited under a clause a rule
    exempts (`except_notice`) each cleared findings unreviewed (holes 4 and 7)."""
    repo.edit(
        "data-map/systems.yaml",
        "    description: Hosting region not stated",
        "    protection: redacted on arrival\n    description: Hosting region not stated",
    )
    repo.edit("data-map/flows.yaml", "    notice: N-PROCURE\n", "    notice: N-MIS\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:systems/helpdesk: systems/helpdesk now claims "
        "protection 'redacted on arrival' (was unsaid)"
    ) in result.output
    assert (
        "change to review: notice-exempts:flows/procurement-quotes: flows/procurement-quotes "
        "now cites notice clause 'N-MIS' (was 'N-PROCURE'), which takes it out of the scope of "
        "CONCERO-SHARE-PERMISSION, CONCERO-INSTALL-OFFSITE"
    ) in result.output


def test_describing_data_as_less_sensitive_or_a_recipient_as_another_kind_is_reviewed(
    repo: Repo,
) -> None:
    """A special-category flag withdrawn, or a data broker renamed a lead-generation firm,
    made HIGH and CRITICAL findings go as "fixed" (hole 10): each is a change to review."""
    repo.edit(
        "data-map/taxonomy.yaml",
        '  - {id: support, name: "Correspondence, queries and support requests", '
        "fides_key: user.content}",
        '  - {id: support, name: "Correspondence, queries and support requests", '
        "fides_key: user.content}\n  - {id: support.health, name: Health details, "
        "special_category: true, art9_kind: health}",
    )
    repo.edit(
        "data-map/organisation.yaml", "    kind: training_supplier\n", "    kind: data_broker\n"
    )
    repo.commit("a special category, and a broker")
    repo.edit("data-map/taxonomy.yaml", "special_category: true, art9_kind: health", "")
    repo.edit(
        "data-map/organisation.yaml", "    kind: data_broker\n", "    kind: training_supplier\n"
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:categories/support.health: categories/support.health is "
        "now described with special_category unsaid (was true); art9_kind unsaid (was 'health')"
    ) in result.output
    assert (
        "change to review: reclassified:parties/training-supplier: parties/training-supplier is "
        "now described with kind 'training_supplier' (was 'data_broker')"
    ) in result.output


def test_moving_a_waivers_approval_later_is_an_extension(repo: Repo) -> None:
    """Approved 2025-12-01 to run to 2027-05-31 (past the 12-month cap): moving the approval
    to 2026-06-01 made the cap finding go and the waiver run six months longer (hole 6)."""
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: w-us-hosting\n    rule: GDPR-TRANSFER\n    element: flows/hosting-us\n"
        "    owner: DPO\n    justification: migrating to UK hosting\n"
        "    approved_on: 2025-12-01\n    expires_on: 2027-05-31\n",
        encoding="utf-8",
    )
    repo.commit("a waiver")
    repo.edit("data-map/waivers.yaml", "approved_on: 2025-12-01", "approved_on: 2026-06-01")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: waiver-extended:w-us-hosting: waiver of GDPR-TRANSFER on "
        "flows/hosting-us now runs 2026-06-01 to 2027-05-31 (was 2025-12-01 to 2027-05-31)"
    ) in result.output


def test_widening_a_failing_or_waived_flow_is_new(repo: Repo) -> None:
    """More categories and another group of people over an invalid US transfer were
    "existing", and a waiver approved for the narrower flow silently covered them (hole 5)."""
    old = "    categories: [contact.name, contact.email, contact.organisation, support]\n"
    wide = old.replace("support]", "support, contact.address]")
    repo.allow_critical_waivers()
    flows = (repo.root / "data-map" / "flows.yaml").read_text(encoding="utf-8")
    start = flows.index("  - id: hosting-us\n")
    assert flows.index(old, start) < flows.index("\n\n", start)
    result = repo.gate()
    assert result.exit_code == 0, result.output
    (repo.root / "data-map" / "flows.yaml").write_text(
        flows[:start] + flows[start:].replace(old, wide, 1), encoding="utf-8"
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "[new]" in next(
        line
        for line in result.output.splitlines()
        if "GDPR-TRANSFER + CONCERO-TRANSFER (N-LOCATION, N-ABROAD) flows/hosting-us" in line
    )
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: w-us-hosting\n    rule: GDPR-TRANSFER\n    element: flows/hosting-us\n"
        "    owner: DPO\n    justification: Staff contact details only\n"
        "    approved_on: 2026-06-01\n    expires_on: 2027-05-31\n",
        encoding="utf-8",
    )
    (repo.root / "data-map" / "flows.yaml").write_text(flows, encoding="utf-8")
    repo.commit("the waiver, for the narrow flow")
    (repo.root / "data-map" / "flows.yaml").write_text(
        flows[:start] + flows[start:].replace(old, wide, 1), encoding="utf-8"
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: waiver-covers-new:w-us-hosting: waiver 'w-us-hosting' now covers "
        "more of the organisation's data: the change widens, or gives a new route to, "
        "flows/hosting-us"
    ) in result.output


def test_moving_the_organisation_under_another_regime_is_reviewed(repo: Repo) -> None:
    """Every transfer is judged by the exporter's regime and country: an organisation moved
    under the EU's law would be judged by other adequacy decisions, without anything else
    changing."""
    repo.edit("data-map/organisation.yaml", "  regime: UK\n", "  regime: EU\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:organisation/concero: organisation/concero is now "
        "described with regime 'EU' (was 'UK')"
    ) in result.output


def test_a_public_authority_no_longer_said_to_be_one_is_reviewed(repo: Repo) -> None:
    """DPO review 2026-12-03r, problem 3: a public authority's flows on legitimate interests
    are a wrong basis (Art. 6(1) second subparagraph); `public_authority: true` withdrawn, or
    set to false, clears them without anything else changing, so a person confirms it."""
    repo.edit(
        "data-map/organisation.yaml", "  regime: UK\n", "  regime: UK\n  public_authority: true\n"
    )
    repo.commit("the organisation is a public authority")
    # (deleted, the flag reads "unsaid"; set false, "false", since stating it where it was
    # unsaid is a change to review too: attack review z, problem 1)
    for now, shown in (("", "unsaid"), ("  public_authority: false\n", "false")):
        repo.edit(
            "data-map/organisation.yaml",
            "  regime: UK\n  public_authority: true\n",
            "  regime: UK\n" + now,
        )
        result = repo.gate()
        assert result.exit_code == 1, result.output
        assert (
            "change to review: reclassified:organisation/concero: organisation/concero is now "
            f"described with public_authority {shown} (was true)"
        ) in result.output
        assert "those of a public authority's legitimate interests (Art. 6(1))" in result.output
        repo.edit(
            "data-map/organisation.yaml",
            "  regime: UK\n" + now,
            "  regime: UK\n  public_authority: true\n",
        )


LEADCO_PARTY = (
    "parties:\n  - id: leadco\n    name: LeadCo Ltd\n    kind: data_broker\n    country: GB\n"
    "    role: controller\n    notice: N-SHARE\n\n"
)
LEADCO_FLOW = (
    "flows:\n  - id: lead-export\n    from: concero\n    to: leadco\n"
    "    categories: [contact.name, contact.email]\n    subjects: [customer_staff]\n"
    "    purpose: marketing\n    basis: consent\n    notice: N-SHARE\n\n"
)


def test_a_serious_finding_described_away_under_a_new_id_is_confirmed_by_a_person(
    repo: Repo,
) -> None:
    """A data broker swapped for a new party id of another kind: no element of the base was
    reclassified, yet the critical finding went as fixed (attack review 2026-12-02c, 3). A
    high or critical finding that goes as fixed with no change to review naming its element
    is a change to review itself."""
    repo.edit("data-map/organisation.yaml", "parties:\n", LEADCO_PARTY)
    repo.edit("data-map/flows.yaml", "flows:\n", LEADCO_FLOW)
    repo.commit("a data broker")
    repo.edit("data-map/organisation.yaml", "  - id: leadco\n", "  - id: leadco-ltd\n")
    repo.edit("data-map/organisation.yaml", "kind: data_broker", "kind: consultancy")
    repo.edit("data-map/flows.yaml", "    to: leadco\n", "    to: leadco-ltd\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: fixed-unconfirmed:CONCERO-NO-SALE-RECIPIENT:flows/lead-export:"
        "broker-or-advertiser: critical CONCERO-NO-SALE-RECIPIENT on flows/lead-export "
        "(broker-or-advertiser) is gone as fixed, and no change to review explains it"
    ) in result.output


def test_a_later_signing_date_and_a_store_moved_home_are_reviewed(repo: Repo) -> None:
    """An agreement's signing date moved later (past the day its mechanism began) and a
    store's country moved from the US to the UK each cleared a critical transfer finding
    in one line (attack review 2026-12-02c, 1 and 6)."""
    repo.append(
        "data-map/agreements.yaml",
        "\n  - id: us-idta\n    kind: idta\n    parties: [concero, us-hosting]\n"
        "    status: signed\n    signed_on: 2021-06-01\n    evidence: contracts/us-idta.pdf\n"
        "    categories: [contact, support]\n",
    )
    repo.commit("an IDTA on file")
    repo.edit("data-map/agreements.yaml", "signed_on: 2021-06-01", "signed_on: 2022-06-01")
    repo.edit(
        "data-map/systems.yaml",
        "    country: US\n    placeholder: true\n",
        "    country: GB\n    placeholder: true\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "change to review: agreement-changed:us-idta: signed agreement 'us-idta' now " in (
        result.output
    )
    # dates as the map writes them, not as Python's repr (attack review 2026-12-02d, 7)
    assert "now records different terms: signed_on 2021-06-01 -> 2022-06-01\n" in result.output
    assert (
        "change to review: reclassified:systems/helpdesk: systems/helpdesk is now described "
        "with country 'GB' (was 'US')"
    ) in result.output


def test_a_waived_store_that_now_holds_more_is_a_change_to_review(repo: Repo) -> None:
    """A waiver of a store's retention finding approved for what it held silently covered
    new categories and people (attack review 2026-12-02c, 7)."""
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: w-crm\n    rule: GDPR-RETENTION\n    element: systems/crm\n"
        "    owner: DPO\n    justification: retention schedule for staff contacts due Q1\n"
        "    approved_on: 2026-06-01\n    expires_on: 2027-05-31\n",
        encoding="utf-8",
    )
    repo.commit("a waiver for the CRM's retention")
    repo.edit(
        "data-map/systems.yaml",
        "    categories: [contact, payment.billing]\n    subjects: [customer_staff]\n",
        "    categories: [contact, payment.billing, recruitment]\n"
        "    subjects: [customer_staff, job_applicants]\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: waiver-covers-new:w-crm: waiver 'w-crm' now covers more of the "
        "organisation's data: the change widens, or gives a new route to, systems/crm"
    ) in result.output
