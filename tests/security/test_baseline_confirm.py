"""Attack review 2026-12-02d on the gate's confirmations: a store handed to another party, a
serious finding cleared beside an unrelated change, laundered by a stricter rule, or renamed
away. Each test builds the Concero repository of ``test_baseline_attacks.py``, commits it as
the base, applies the attack and runs ``check --base``; before the fix each exited 0, or
listed only a change that did not name what went.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import require_tool
from tests.security.test_baseline_attacks import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def changes(output: str) -> list[str]:
    """The ``change to review:`` lines of a run, in order."""
    return [line for line in output.splitlines() if line.startswith("change to review: ")]


ADSIGHT = (
    "parties:\n  - id: adsight\n    name: US hosting provider (not named)\n    kind: analytics\n"
    "    country: US\n    role: processor\n    notice: N-LOCATION\n\n"
)


def test_a_store_handed_to_a_new_owner_widens_its_flows_and_is_reviewed(repo: Repo) -> None:
    """us-servers' owner re-pointed to a new analytics party under the same name: the flow
    to it was untouched, so the waiver approved "for our US hosting provider only" silently
    covered a critical transfer to someone else, exit 0 (hole 1)."""
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: w-us-hosting\n    rule: GDPR-TRANSFER\n    element: flows/hosting-us\n"
        "    owner: DPO\n    justification: our US hosting provider only\n"
        "    approved_on: 2026-06-01\n    expires_on: 2027-05-31\n",
        encoding="utf-8",
    )
    repo.commit("a waiver for the US host")
    repo.edit("data-map/organisation.yaml", "parties:\n", ADSIGHT)
    systems = (repo.root / "data-map" / "systems.yaml").read_text(encoding="utf-8")
    start = systems.index("  - id: us-servers\n")
    (repo.root / "data-map" / "systems.yaml").write_text(
        systems[:start] + systems[start:].replace("owner: us-hosting", "owner: adsight", 1),
        encoding="utf-8",
    )
    repo.edit(
        "data-map/agreements.yaml", "parties: [concero, us-hosting]", "parties: [concero, adsight]"
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert changes(result.output) == [
        "change to review: waiver-covers-new:w-us-hosting: waiver 'w-us-hosting' now covers "
        "more of the organisation's data: the change widens, or gives a new route to, "
        "flows/hosting-us (mechanism-invalid)",
        "change to review: reclassified:systems/us-servers: systems/us-servers is now "
        "described with owner 'adsight' (was 'us-hosting'): it can clear findings (transfer, "
        "special-category, criminal-offence or forbidden-recipient ones) without anything "
        "else changing",
    ]
    # the store and the flow to it concern another party: their findings are new
    new = [line for line in result.output.splitlines() if line.endswith("[new]")]
    assert any(" systems/us-servers: " in line for line in new), result.output
    assert any(" GDPR-AGREEMENT flows/hosting-us: " in line for line in new), result.output


def describe_away_the_insights_basis(repo: Repo) -> None:
    """third-party-insights rests on legitimate interests with no assessment (HIGH
    GDPR-BASIS no-assessment): re-describing its basis clears the finding in one line."""
    flows = (repo.root / "data-map" / "flows.yaml").read_text(encoding="utf-8")
    start = flows.index("  - id: third-party-insights\n")
    end = flows.index("\n\n", start)
    block = flows[start:end].replace("basis: legitimate_interests", "basis: legal_obligation")
    assert block != flows[start:end]
    (repo.root / "data-map" / "flows.yaml").write_text(
        flows[:start] + block + flows[end:], encoding="utf-8"
    )


UNCONFIRMED_BASIS = (
    "change to review: fixed-unconfirmed:GDPR-BASIS:flows/third-party-insights:no-assessment: "
    "high GDPR-BASIS on flows/third-party-insights (no-assessment) is gone as fixed, and no "
    "change to review explains it"
)


def test_a_raised_severity_does_not_make_a_finding_described_away_rule_changed(
    repo: Repo,
) -> None:
    """An override that only raises GDPR-BASIS turned the finding described away into "rule
    changed", so no person confirmed it (hole 3): a severity change cannot make a finding
    go, so the finding is fixed and confirmed like any other."""
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - rule: GDPR-BASIS\n    severity: critical\n"
        "    justification: a missing lawful basis is our most serious finding\n",
    )
    describe_away_the_insights_basis(repo)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "1 gone (1 fixed, 0 removed, 0 waived, 0 rule changed)" in result.output
    lines = changes(result.output)
    assert lines[0].startswith(
        "change to review: rule-changed:GDPR-BASIS: severity raised high -> critical (override "
        "in "
    )
    assert lines[0].endswith("house.yaml: a missing lawful basis is our most serious finding)")
    assert len(lines) == 2 and lines[1].startswith(UNCONFIRMED_BASIS), result.output
    accepted = repo.gate("--accept-change", "rule-changed:GDPR-BASIS")
    assert accepted.exit_code == 1, accepted.output


def test_a_severity_change_that_hands_a_merged_finding_to_another_rule_is_rule_changed(
    repo: Repo,
) -> None:
    """Lowering GDPR-TRANSFER puts CONCERO-TRANSFER first in the merged transfer findings:
    the same problem under another leading rule is new, and the old one went because the
    rule changed, not fixed (nothing to confirm)."""
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - {rule: GDPR-TRANSFER, severity: low, justification: our call}\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "2 gone (0 fixed, 0 removed, 0 waived, 2 rule changed)" in result.output
    assert "CRITICAL CONCERO-TRANSFER + GDPR-TRANSFER (N-LOCATION, N-ABROAD) flows/hosting-us" in (
        result.output
    )
    assert [line.split(": ")[1] for line in changes(result.output)] == [
        "rule-changed:GDPR-TRANSFER"
    ]
