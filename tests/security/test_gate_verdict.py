"""Under ``check --base`` every format states the gate's verdict, the one the exit code follows,
and marks what the change adds (newcomer review 2026-12-02b, N3 and N4): stdout used to end
``FAIL: 15 findings at or above low.`` on a run that exited 0, and GitHub's ten error
annotations could all go to old debt before the pull request's own finding.

Setup: the shop example in a git repository, its US platform ``storefront`` not listed under
the UK Extension, so the base has two critical findings (old debt).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate, unpinned

AS_OF = "2026-11-25"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
NEW_LINE = (
    "map/flows.yaml:28:5 HIGH GDPR-AGREEMENT flows/parcel-labels: Shopwave Ltd (controller) → "
    "ParcelRun Ltd (processor): an Art. 28 contract is required; none is linked [new]"
)
NEW_VERDICT = (
    "FAIL: 1 new finding at or above low against HEAD: GDPR-AGREEMENT flows/parcel-labels "
    "(missing). Not failed on: 2 existing findings."
)


class Shop(GitRepo):
    def __init__(self, root: Path) -> None:
        super().__init__(root, root / "map")
        root.mkdir()
        assert run(["init", str(root / "map"), "--example", "shop"]).exit_code == 0
        self.edit(
            "organisation.yaml", "    listed_under: [uk_extension]\n", "    listed_under: []\n"
        )
        self.git("init", "-q")
        self.commit()

    def gate(self, *extra: str) -> GateResult:
        """Run from the repository's root, as in CI: the map is shown as map/flows.yaml."""
        return run_gate(["check", "map", "--base", "HEAD", "--as-of", AS_OF, *extra])

    def drop_the_parcel_agreement(self) -> None:
        """A new high finding, and no change to review: the flow loses its agreement."""
        self.edit("flows.yaml", "    agreement: parcelrun-dpa\n", "")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    require_tool("git")
    made = Shop(tmp_path / "repo")
    monkeypatch.chdir(made.root)
    return made


def test_a_passing_gate_says_pass_on_stdout_over_old_debt(shop: Shop) -> None:
    result = shop.gate()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == (
        "PASS: no new findings at or above low against HEAD (2 existing findings, 0 changes "
        "to review)."
    )
    assert not any("[new]" in line for line in lines)
    assert "FAIL" not in result.stdout


def test_a_new_finding_is_marked_and_named_in_the_last_line(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    result = shop.gate()
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == NEW_VERDICT
    assert [line for line in lines if line.endswith("[new]")] == [NEW_LINE]
    # the old debt is listed, unmarked
    assert sum(" CRITICAL GDPR-TRANSFER " in line for line in lines) == 2


def test_grouped_text_marks_the_new_finding_and_ends_with_the_gate_verdict(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    result = shop.gate("--group-by", "rule")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "  map/flows.yaml:28:5 HIGH flows/parcel-labels [new]" in lines
    # wrapped to the width like every line of the grouped text (its code made it longer:
    # auditor review 2026-12-03s, problem 13)
    assert lines[-2] + " " + lines[-1].removeprefix("    ") == NEW_VERDICT


def test_an_unaccepted_change_to_review_fails_in_the_last_line_until_accepted(shop: Shop) -> None:
    shop.edit("organisation.yaml", "    listed_under: []\n", "    listed_under: [uk_extension]\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1] == (
        "FAIL: no new findings at or above low against HEAD, but 1 change to review not "
        "accepted: claim-changed:parties/storefront."
    )
    accepted = shop.gate("--accept-change", result.pinned("claim-changed:parties/storefront"))
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.splitlines()[-1] == (
        "PASS: no new findings at or above low against HEAD (0 existing findings, 1 change to "
        "review, all accepted)."
    )


def test_new_findings_and_unaccepted_changes_are_both_named(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    shop.edit("organisation.yaml", "    listed_under: []\n", "    listed_under: [uk_extension]\n")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[-1] == (
        "FAIL: 1 new finding at or above low against HEAD: GDPR-AGREEMENT flows/parcel-labels "
        "(missing); 1 change to review not accepted: claim-changed:parties/storefront."
    )


def test_a_new_finding_below_fail_on_is_marked_but_passes(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    result = shop.gate("--fail-on", "critical")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == (
        "PASS: no new findings at or above critical against HEAD (2 existing findings, 0 "
        "changes to review)."
    )
    assert NEW_LINE in lines


def test_github_puts_the_new_finding_first_and_old_debt_as_notices(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    result = shop.gate("--format", "github")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split("::")[1] for line in lines[:3]] == [
        "error file=map/flows.yaml,line=28,col=5,title=(new) GDPR-AGREEMENT (high)",
        "notice file=map/flows.yaml,line=6,col=5,title=GDPR-TRANSFER (critical%2C existing)",
        "notice file=map/flows.yaml,line=59,col=5,title=GDPR-TRANSFER (critical%2C existing)",
    ]
    assert lines[-1] == f"flowaudit {NEW_VERDICT}"
    assert len(lines) == 4


def test_github_new_findings_come_before_old_debt_past_the_cap(shop: Shop) -> None:
    """Twelve old critical findings and one new high one: the new one is the first error,
    and the old ones, notices, cannot use up the ten error annotations."""
    flows = shop.files / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    extra = "".join(
        f"\n  - id: extra-{n}\n    from: shopwave\n    to: shop-orders\n"
        "    categories: [contact.email]\n    subjects: [customers]\n    purpose: orders\n"
        "    basis: contract\n    agreement: storefront-dpa\n    encrypted_in_transit: true\n"
        "    notice: PN-RECIPIENTS\n"
        for n in range(10)
    )
    flows.write_text(text + extra, encoding="utf-8")
    shop.commit("more debt")
    shop.drop_the_parcel_agreement()
    result = shop.gate("--format", "github")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::notice title=flowaudit::1 error, 12 notices: GitHub annotates the first 10 of each "
        "kind in a step (changes to review and overrides first, then the new findings, most "
        "severe first, then the gone and the existing ones as notices); every one is in this "
        "log, and in the SARIF report when it is uploaded"
    )
    assert lines[1].startswith("::error file=map/flows.yaml,line=28,col=5,title=(new) ")
    assert [line for line in lines if line.startswith("::error")] == [lines[1]]
    assert all("existing)::" in line for line in lines[2:-1])


def test_json_and_sarif_mark_new_and_unchanged_and_json_follows_the_exit_code(
    shop: Shop,
) -> None:
    passing = json.loads(shop.gate("--format", "json").stdout)
    assert passing["summary"]["verdict"] == "pass"
    assert passing["summary"]["failing"] == 2  # every finding at or above fail_on, as before
    assert [f["baseline_state"] for f in passing["findings"]] == ["unchanged", "unchanged"]
    shop.drop_the_parcel_agreement()
    failing = shop.gate("--format", "json")
    assert failing.exit_code == 1
    document = json.loads(failing.stdout)
    assert document["summary"]["verdict"] == "fail"
    states = {f["element"]["id"]: f["baseline_state"] for f in document["findings"]}
    assert states == {
        "checkout": "unchanged",
        "newsletter-signup": "unchanged",
        "parcel-labels": "new",
    }
    sarif = json.loads(shop.gate("--format", "sarif").stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    found = {
        r["locations"][0]["logicalLocations"][0]["name"]: r["baselineState"]
        for r in sarif["runs"][0]["results"]
    }
    assert found == states


def test_junit_fails_only_what_the_change_adds(shop: Shop) -> None:
    """Under --base, JUnit's failures agree with the gate: old debt is a skipped case that
    says it existed at the base, the new finding a failure."""
    passing = ET.fromstring(shop.gate("--format", "junit").stdout)
    assert passing.get("failures") == "0"
    skipped = {
        case.get("name"): case.find("skipped").get("message")  # type: ignore[union-attr]
        for case in passing.iter("testcase")
        if case.find("skipped") is not None
    }
    assert sorted(skipped) == ["flows/checkout", "flows/newsletter-signup"]
    assert all(
        m.startswith("existing at HEAD, not added by this change: ") for m in skipped.values()
    )
    shop.drop_the_parcel_agreement()
    failing = ET.fromstring(shop.gate("--format", "junit").stdout)
    assert failing.get("failures") == "1"
    assert [c.get("name") for c in failing.iter("testcase") if c.find("failure") is not None] == [
        "flows/parcel-labels"
    ]


def test_markdown_heading_follows_the_gate(shop: Shop) -> None:
    passing = shop.gate("--format", "markdown")
    assert passing.exit_code == 0
    lines = passing.stdout.splitlines()
    assert lines[0] == "## flowaudit: ✅ PASS"
    assert lines[2] == (
        "**PASS: no new findings at or above low against HEAD (2 existing findings, 0 changes "
        "to review).**"
    )
    assert "It fails" not in passing.stdout
    assert "On the map, 2 findings at or above low (2 critical) need action" in passing.stdout
    shop.drop_the_parcel_agreement()
    failing = shop.gate("--format", "markdown")
    assert failing.exit_code == 1
    assert failing.stdout.splitlines()[0] == "## flowaudit: ❌ FAIL"
    assert "| high (new) | GDPR-AGREEMENT | flows/parcel-labels |" in failing.stdout


def test_without_a_base_nothing_is_marked_and_the_verdict_is_unchanged(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    result = run(["check", "map", "--as-of", AS_OF])
    assert result.exit_code == 1
    assert "[new]" not in result.stdout
    assert result.stdout.splitlines()[-1] == "FAIL: 3 findings at or above low."
    document = json.loads(run(["check", "map", "--as-of", AS_OF, "--format", "json"]).stdout)
    assert all("baseline_state" not in f for f in document["findings"])


def test_the_verdict_names_three_new_findings_and_counts_the_rest(shop: Shop) -> None:
    shop.drop_the_parcel_agreement()
    flows = shop.files / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    for agreement in ("storefront-dpa", "payfast-terms", "ledger-engagement"):
        text = text.replace(f"    agreement: {agreement}\n", "")
    flows.write_text(text, encoding="utf-8")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    marked = [line for line in lines if line.endswith(" [new]")]
    assert len(marked) == 6
    assert lines[-1] == (
        "FAIL: 6 new findings at or above low against HEAD: GDPR-AGREEMENT flows/bookkeeping "
        "(missing), GDPR-AGREEMENT flows/checkout (missing), GDPR-AGREEMENT "
        "flows/newsletter-signup (missing) and 3 more. Not failed on: 2 existing findings."
    )


GONE_CHECKOUT = (
    "  FIXED HEAD:map/flows.yaml:6:5 CRITICAL GDPR-TRANSFER flows/checkout: transfer from UK to "
    "US (Order database on the platform) has no adequacy on 2026-11-25 and no transfer "
    "mechanism; US is adequate only for importers listed under uk_extension "
    "[flows/checkout now passes GDPR-TRANSFER]"
)


def test_every_format_names_the_findings_a_change_makes_go(shop: Shop) -> None:
    """A finding that goes away is not failed on, but it must not go unseen: before, only a
    count on stderr said so (attack review 2026-12-02b, hole 2). Here the change lists the
    US platform under the UK Extension (a claim, to review) and its two critical transfer
    findings go: each format names them, located at the base."""
    shop.edit("organisation.yaml", "    listed_under: []\n", "    listed_under: [uk_extension]\n")
    text = shop.gate()
    assert text.exit_code == 1, text.output
    lines = text.stdout.splitlines()
    start = lines.index("Gone since HEAD (2 findings, not failed on):")
    assert lines[start + 1] == GONE_CHECKOUT
    assert lines[start + 2].startswith("  FIXED HEAD:map/flows.yaml:60:5 CRITICAL GDPR-TRANSFER")
    assert lines[-1].startswith("FAIL: no new findings at or above low against HEAD, but 1 change")

    markdown = shop.gate("--format", "markdown").stdout
    assert "### Gone since `HEAD` (2 findings)" in markdown
    assert (
        "| fixed | critical | GDPR-TRANSFER | flows/checkout | `HEAD:map/flows.yaml:6:5` |"
        in markdown
    )
    github = shop.gate("--format", "github").stdout.splitlines()
    notices = [line for line in github if line.startswith("::notice title=(gone%2C fixed)")]
    assert len(notices) == 2
    assert notices[0].startswith(
        "::notice title=(gone%2C fixed) GDPR-TRANSFER::critical flows/checkout: transfer from UK"
    )
    assert notices[0].endswith(
        "[flows/checkout now passes GDPR-TRANSFER; at HEAD:map/flows.yaml:6:5]"
    )
    document = json.loads(shop.gate("--format", "json").stdout)
    assert [
        (g["element"]["id"], g["baseline_state"], g["gone_status"], g["location"]["file"])
        for g in document["gone"]
    ] == [
        ("checkout", "absent", "fixed", "HEAD:map/flows.yaml"),
        ("newsletter-signup", "absent", "fixed", "HEAD:map/flows.yaml"),
    ]
    assert document["findings"] == []
    sarif = json.loads(shop.gate("--format", "sarif").stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run = sarif["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["FLOWAUDIT-CHANGE-TO-REVIEW"]
    assert [(g["element"], g["status"], g["atBase"]) for g in run["properties"]["gone"]] == [
        ("flows/checkout", "fixed", "HEAD:map/flows.yaml:6:5"),
        ("flows/newsletter-signup", "fixed", "HEAD:map/flows.yaml:60:5"),
    ]


def test_the_html_report_under_base_states_the_gate_and_what_went(shop: Shop) -> None:
    """``report --base``: the verdict badge follows the exit code (the gate's, not the map's),
    the gate's line is stated, and the findings the change made go are listed."""
    shop.edit("organisation.yaml", "    listed_under: []\n", "    listed_under: [uk_extension]\n")
    out = shop.root / "rep"
    result = run(
        [
            "report",
            "map",
            "--base",
            "HEAD",
            "--as-of",
            AS_OF,
            "--out",
            str(out),
            "--diagram",
            "none",
        ]
    )
    assert result.exit_code == 1, result.output
    html = unpinned((out / "report.html").read_text(encoding="utf-8"))
    assert '<span class="verdict FAIL">FAIL</span>' in html
    assert (
        "<p><strong>FAIL: no new findings at or above low against HEAD, but 1 change to review "
        "not accepted: claim-changed:parties/storefront.</strong></p>"
    ) in html
    assert "<p>Gone since HEAD (not failed on, but a reviewer should see each):</p>" in html
    assert (
        html.count('<li>fixed <span class="badge sev-critical">critical</span> GDPR-TRANSFER') == 2
    )
    assert "### Gone since `HEAD` (2 findings)" in (out / "report.md").read_text(encoding="utf-8")
