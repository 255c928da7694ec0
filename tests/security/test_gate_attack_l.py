"""Attack review 2026-12-03l on the gate: a house condition rule (CEL, which may read any
field) cleared by withdrawing `placeholder: true`, and a retention finding cleared by a
shorter `retention_days`, each with PASS and nothing to review. Each test failed before its
fix: the gate exited 0 with 0 changes to review."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import require_tool
from tests.security.test_baseline_attacks import Repo, changes

NAMED_RECIPIENT = """\
policy: {id: house-named, title: House rules}
rules:
  - id: ACME-NAMED-RECIPIENT
    kind: condition
    title: Data goes only to named recipients
    severity: medium
    rationale: We tell people who receives their data.
    references: {legal: [UK GDPR Art. 13(1)(e)]}
    fix: Name the recipient.
    match: {directions: [outbound]}
    expression: recipient.placeholder == false
    code: not-named
    message: the recipient is not named yet
"""


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    built = Repo(tmp_path / "repo")
    (built.root / "policies" / "named.yaml").write_text(NAMED_RECIPIENT, encoding="utf-8")
    built.commit("house rule: named recipients")
    return built


def test_a_placeholder_withdrawn_is_a_reclassification_and_its_condition_finding_confirmed(
    repo: Repo,
) -> None:
    """Problem 2: deleting `placeholder: true` from the ISP cleared the medium
    ACME-NAMED-RECIPIENT finding on its flow, PASS, exit 0, nothing to review, the party's
    name still saying it is not named. Now the withdrawal is a reclassification naming what
    it clears, and the gate fails until it is accepted."""
    repo.edit(
        "data-map/organisation.yaml",
        "    kind: isp\n    country: GB\n    placeholder: true\n",
        "    kind: isp\n    country: GB\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "FIXED" in result.output and "ACME-NAMED-RECIPIENT" in result.output
    said = changes(result.output)
    assert any(
        line.startswith("change to review: reclassified:parties/")
        and "placeholder unsaid (was true)" in line
        and "those of rules about a party or store not yet identified" in line
        for line in said
    ), said
    assert any("MEDIUM ACME-NAMED-RECIPIENT" in line for line in said), said


def test_a_shorter_retention_that_clears_a_finding_is_a_claim_to_review(repo: Repo) -> None:
    """Problem 5: recordings kept 90 days in the base (MEDIUM CONCERO-PHONE-RETENTION), 30
    in the pull request: FIXED, PASS, 0 changes to review. A shorter time is listed too."""
    repo.edit("data-map/systems.yaml", "retention_days: 30\n", "retention_days: 90\n")
    repo.commit("kept 90 days")
    repo.edit("data-map/systems.yaml", "retention_days: 90\n", "retention_days: 30\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "FIXED" in result.output and "CONCERO-PHONE-RETENTION" in result.output
    assert [line for line in changes(result.output) if "retention_days" in line] == [
        "change to review: claim-changed:systems/call-recordings: systems/call-recordings now "
        "claims retention_days 30 (was 90): it can clear findings (retention ones) and the map "
        "cannot show it is true"
    ]


def test_a_purpose_said_to_be_no_online_service_is_a_reclassification(repo: Repo) -> None:
    """Auditor review 2026-12-03h, problem 10: `online_service: false` on a purpose takes its
    flows out of Art. 8's children's consent, so saying it is put to a person."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "  - {id: sla_support, name: Support as outlined in the SLA, notice: N-PURPOSE}\n",
        "  - {id: sla_support, name: Support as outlined in the SLA, notice: N-PURPOSE,\n"
        "     online_service: false}\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [line for line in changes(result.output) if "sla_support" in line] == [
        "change to review: reclassified:purposes/sla_support: purposes/sla_support is now "
        "described with online_service false (was unsaid): it can clear findings (children's "
        "consent ones (Art. 8)) without anything else changing"
    ]


def test_a_subscriber_kind_stated_where_none_was_is_a_reclassification(repo: Repo) -> None:
    """Attack review 2026-12-03o, problem 2: a subject whose kind of subscriber is unsaid is
    read as individual subscribers where its name says so (Sole traders); stating
    `subscriber: corporate` on it cleared the PECR finding with nothing to review, since a
    value stated where none was counted only for some fields."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "    party_to_contract: false\n    description: The contract is with",
        "    party_to_contract: false\n    subscriber: corporate\n"
        "    description: The contract is with",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [line for line in changes(result.output) if "customer_staff" in line] == [
        "change to review: reclassified:subjects/customer_staff: subjects/customer_staff is now "
        "described with subscriber 'corporate' (was unsaid): it can clear findings (marketing "
        "consent ones) without anything else changing"
    ]


def test_an_art9_kind_stated_where_none_was_is_a_reclassification(repo: Repo) -> None:
    """Attack review 2026-12-03o, problem 2: `art9_kind` stated on a special category that
    stated none cleared the UK Extension's unflagged-sensitive finding, and the gate named
    only the finding gone, not the edit that cleared it."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "categories:\n",
        "categories:\n  - {id: health_notes, name: Health notes, special_category: true}\n",
    )
    repo.commit("a special category")
    repo.edit(
        "data-map/taxonomy.yaml",
        "special_category: true}\n",
        "special_category: true, art9_kind: health}\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [line for line in changes(result.output) if "health_notes" in line] == [
        "change to review: reclassified:categories/health_notes: categories/health_notes is "
        "now described with art9_kind 'health' (was unsaid): it can clear findings (transfer, "
        "special-category, criminal-offence or forbidden-recipient ones) without anything "
        "else changing"
    ]


def test_a_subject_said_to_be_no_staff_is_a_reclassification(repo: Repo) -> None:
    """Attack review 2026-12-03p, problem 9: `employees: false` on a subject read as the
    organisation's staff dropped the staff-consent note (Recital 43, Art. 7(4)) with nothing
    to review."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "subjects:\n",
        "subjects:\n  - {id: own_staff, name: Our employees}\n",
    )
    repo.commit("our staff")
    repo.edit(
        "data-map/taxonomy.yaml",
        "{id: own_staff, name: Our employees}",
        "{id: own_staff, name: Our employees, employees: false}",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [line for line in changes(result.output) if "own_staff" in line] == [
        "change to review: reclassified:subjects/own_staff: subjects/own_staff is now described "
        "with employees false (was unsaid): it can clear findings (contract ones where it says "
        "true (employees are party to their employment contract, Art. 6(1)(b)), and the notes "
        "on staff consent (Recital 43, Art. 7(4)) that say what a pass takes on trust) without "
        "anything else changing"
    ]
