"""Attack review 2026-12-02d on the gate's confirmations: a store handed to another party, a
serious finding cleared beside an unrelated change, laundered by a stricter rule, or renamed
away. Each test builds the Concero repository of ``test_baseline_attacks.py``, commits it as
the base, applies the attack and runs ``check --base``; before the fix each exited 0, or
listed only a change that did not name what went.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import require_tool, unpinned
from tests.security.test_baseline_attacks import Repo, changes


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


ADSIGHT = (
    "parties:\n  - id: adsight\n    name: US hosting provider (not named)\n    kind: analytics\n"
    "    country: US\n    role: processor\n    notice: N-LOCATION\n\n"
)


def test_a_store_handed_to_a_new_owner_widens_its_flows_and_is_reviewed(repo: Repo) -> None:
    """us-servers' owner re-pointed to a new analytics party under the same name: the flow
    to it was untouched, so the waiver approved "for our US hosting provider only" silently
    covered a critical transfer to someone else, exit 0 (hole 1). (Critical waivers allowed
    by a house override: none covers one by default.)"""
    repo.allow_critical_waivers()
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
        "special-category, criminal-offence, forbidden-recipient and cookie ones) without "
        "anything else changing",
    ]
    # the store and the flow to it concern another party: their findings are new
    new = [line for line in result.output.splitlines() if line.endswith("[new]")]
    assert any(" systems/us-servers: " in line for line in new), result.output
    assert any(" GDPR-AGREEMENT flows/hosting-us: " in line for line in new), result.output


def edit_flow(repo: Repo, flow_id: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one flow's block of data-map/flows.yaml."""
    path = repo.root / "data-map" / "flows.yaml"
    flows = path.read_text(encoding="utf-8")
    start = flows.index(f"  - id: {flow_id}\n")
    end = flows.index("\n\n", start)
    block = flows[start:end].replace(old, new)
    assert block != flows[start:end], (flow_id, old)
    path.write_text(flows[:start] + block + flows[end:], encoding="utf-8")


def describe_away_the_insights_basis(repo: Repo) -> None:
    """third-party-insights rests on legitimate interests with no assessment (HIGH
    GDPR-BASIS no-assessment): re-describing its basis clears the finding in one line.
    (Since DPO review s17 the finding is its purpose's, web_development, which website-visits
    shares; its basis is re-described too, so that the finding goes rather than moving to
    website-visits as a new one.)"""
    edit_flow(
        repo, "third-party-insights", "basis: legitimate_interests", "basis: legal_obligation"
    )
    edit_flow(repo, "website-visits", "basis: legitimate_interests", "basis: legal_obligation")


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
    # the finding described away first: it clears a high finding, the raised rule none
    # (attack review 2026-12-03r, problem 1: the gravest finding cleared first)
    lines = changes(result.output)
    assert lines[1].startswith(
        "change to review: rule-changed:GDPR-BASIS: severity raised high -> critical (override in "
    )
    assert lines[1].endswith("house.yaml: a missing lawful basis is our most serious finding)")
    assert len(lines) == 2 and lines[0].startswith(UNCONFIRMED_BASIS), result.output
    accepted = repo.gate("--accept-change", result.pinned("rule-changed:GDPR-BASIS"))
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


INSIGHTS_TLS = (
    "change to review: claim-changed:flows/third-party-insights: flows/third-party-insights "
    "now claims encrypted_in_transit true (was unsaid): it can clear findings and the map "
    "cannot show it is true"
)


def test_an_id_accepted_for_one_reading_accepts_nothing_once_the_change_says_more(
    repo: Repo,
) -> None:
    """Attack review 2026-12-02e, hole 2: a reviewer accepts a TLS claim by its id; a later
    push describes the flow's lawful basis away, which folds a high finding into that same
    claim's line. The id accepted named the claim's subject only, so it let the finding go
    unread. An id now carries a digest of what the change says: the one the reviewer
    passed accepts the claim they read, and nothing it says after the push."""
    edit_flow(
        repo,
        "third-party-insights",
        "    notice: N-THIRDPARTY\n",
        "    encrypted_in_transit: true\n    notice: N-THIRDPARTY\n",
    )
    read = repo.gate()
    assert read.exit_code == 1, read.output
    assert changes(read.output) == [INSIGHTS_TLS]
    reviewed = read.pinned("claim-changed:flows/third-party-insights")
    assert repo.gate("--accept-change", reviewed).exit_code == 0
    describe_away_the_insights_basis(repo)  # pushed after the review
    later = repo.gate("--accept-change", reviewed)
    assert later.exit_code == 1, later.output
    assert changes(later.output) == [
        f"{INSIGHTS_TLS}; with it goes: HIGH GDPR-BASIS on flows/third-party-insights "
        "(no-assessment)"
    ]
    now = later.pinned("claim-changed:flows/third-party-insights")
    assert now != reviewed
    assert (
        f"note: --accept-change {reviewed} does not say what was read: the change reads now "
        f"as {now}; pass that id once you have read it"
    ) in later.printed
    assert repo.gate("--accept-change", now).exit_code == 0


def test_a_finding_cleared_beside_a_claim_on_its_element_is_written_into_the_claim(
    repo: Repo,
) -> None:
    """An honest TLS claim on the same flow silenced fixed-unconfirmed for the lawful basis
    described away: the reviewer read and accepted the claim, never the basis (hole 2a).
    The finding the claim "explains" is now part of the claim's line, in every format."""
    describe_away_the_insights_basis(repo)
    edit_flow(
        repo,
        "third-party-insights",
        "    notice: N-THIRDPARTY\n",
        "    encrypted_in_transit: true\n    notice: N-THIRDPARTY\n",
    )
    out = repo.root / "out.json"
    others = {fmt: repo.root / f"out.{fmt}" for fmt in ("sarif", "junit", "markdown")}
    result = repo.gate(
        "--output", f"json={out}", *(f"--output={f}={path}" for f, path in others.items())
    )
    assert result.exit_code == 1, result.output
    line = (
        f"{INSIGHTS_TLS}; with it goes: HIGH GDPR-BASIS on flows/third-party-insights "
        "(no-assessment)"
    )
    assert changes(result.output) == [line]
    (review,) = json.loads(out.read_text(encoding="utf-8"))["review"]
    assert review["id"] == result.pinned("claim-changed:flows/third-party-insights")
    assert f"{unpinned(review['id'])}: {review['detail']}" == line.removeprefix(
        "change to review: "
    )
    for fmt, path in others.items():
        assert "with it goes: HIGH GDPR-BASIS on flows/third-party-insights" in path.read_text(
            encoding="utf-8"
        ), fmt
    github = repo.gate("--format", "github")
    assert any(
        a.startswith("::error ") and a.endswith("::" + line.removeprefix("change to review: "))
        for a in github.output.splitlines()
    ), github.output


def test_an_assessment_or_waiver_whose_id_equals_the_flows_explains_nothing(
    repo: Repo,
) -> None:
    """A new assessment the flow does not link, or a new waiver of another flow's LOW
    finding, given the flow's id as theirs, silenced fixed-unconfirmed (hole 2b): a bare id
    names nothing; only an element's label (flows/ID, assessments/ID) does."""
    describe_away_the_insights_basis(repo)
    repo.append(
        "data-map/flows.yaml",
        "\nassessments:\n  - id: third-party-insights\n    kind: dpia\n"
        "    completed_on: 2026-11-01\n    evidence: dpo/dpia-insights.pdf\n",
    )
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: third-party-insights\n    rule: GDPR-AGREEMENT\n"
        "    element: flows/training-accreditation\n    owner: DPO\n"
        "    justification: sharing agreement with the training supplier is being drafted\n"
        "    approved_on: 2026-11-01\n    expires_on: 2027-03-31\n",
        encoding="utf-8",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    # by the gravest finding each clears (attack review 2026-12-03r, problem 1): the high
    # one described away, the waiver of a low one, the assessment that clears none
    assert [line.split(": ")[1] for line in changes(result.output)] == [
        "fixed-unconfirmed:GDPR-BASIS:flows/third-party-insights:no-assessment",
        "waiver-added:third-party-insights",
        "assessment-changed:third-party-insights",
    ]
    assert UNCONFIRMED_BASIS in result.output
    assert "with it goes" not in result.output


def test_a_flow_renamed_and_re_described_is_confirmed_by_a_person(repo: Repo) -> None:
    """third-party-insights renamed web-insights, its basis re-described and a TLS claim
    added: the HIGH finding went as "removed" and only the new flow's routine claim was
    listed (hole 4). A serious finding gone with its element while the change adds another
    to the same collection is a change to review of its own."""
    describe_away_the_insights_basis(repo)
    edit_flow(
        repo,
        "third-party-insights",
        "    notice: N-THIRDPARTY\n",
        "    encrypted_in_transit: true\n    notice: N-THIRDPARTY\n",
    )
    repo.edit("data-map/flows.yaml", "  - id: third-party-insights\n", "  - id: web-insights\n")
    unreviewed = repo.gate()
    result = repo.gate("--accept-change", unreviewed.pinned("claim-changed:flows/web-insights"))
    assert result.exit_code == 1, result.output
    assert "(0 fixed, 3 removed, 0 waived, 0 rule changed)" in result.output
    assert [line.split(": ")[1] for line in changes(result.output)] == [
        "removed-unconfirmed:GDPR-BASIS:flows/third-party-insights:no-assessment"
    ]
    assert (
        "change to review: removed-unconfirmed:GDPR-BASIS:flows/third-party-insights:"
        "no-assessment: high GDPR-BASIS on flows/third-party-insights (no-assessment) went "
        "with its element, and the change adds flows/web-insights: confirm that the processing "
        "stopped rather than was renamed and described away (it said: Legitimate interests, "
        "Art. 6(1)(f) needs a legitimate interests assessment on file for the purpose "
        "'web_development' (flows third-party-insights, website-visits: one assessment weighs "
        "the purpose); none is linked)"
    ) in result.output
    confirmed = repo.gate(
        "--accept-change",
        result.pinned("claim-changed:flows/web-insights"),
        "--accept-change",
        result.pinned("removed-unconfirmed:GDPR-BASIS:flows/third-party-insights:no-assessment"),
    )
    # every change confirmed; what still fails is the renamed flow's own finding, new under
    # its new id (the store it writes into does not declare what it writes)
    assert confirmed.exit_code == 1, confirmed.output
    assert (
        "FAIL: 1 new finding at or above low against HEAD: HYG-STORE-CONTENTS flows/web-insights"
        in confirmed.output
    )
    assert "not accepted" not in confirmed.output


def test_a_flow_deleted_with_nothing_added_is_not_confirmed_and_counts_are_not_fixes(
    repo: Repo,
) -> None:
    """Deleting hosting-us moves counts in other findings' messages ("13 flows" -> "12
    flows"): each was both new and fixed-unconfirmed (hole 7). The problem is still found
    under the same rule, element and code, so it has not gone; and the deleted flow's
    findings are removed with nothing added in its place. The one change to review is the
    CRITICAL transfer of the deleted flow: its store, us-servers, still declares the data it
    carried (attack review s9, problem 1), not a count in another finding's message."""
    path = repo.root / "data-map" / "flows.yaml"
    flows = path.read_text(encoding="utf-8")
    start = flows.index("  - id: hosting-us\n")
    path.write_text(flows[:start] + flows[flows.index("\n\n", start) + 2 :], encoding="utf-8")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "1 change to review (0 accepted)" in result.output
    assert "removed-unconfirmed:GDPR-TRANSFER:flows/hosting-us:mechanism-invalid" in result.output
    assert "fixed-unconfirmed" not in result.output
    # the customer staff's contract finding now counts 12 flows; it is matched by its problem
    # without the flows (b43dcc8), so it is the base's, neither new nor gone
    [staff] = [
        ln
        for ln in result.output.splitlines()
        if " HIGH GDPR-BASIS subjects/customer_staff: " in ln and "FIXED" not in ln
    ]
    assert " 12 flows " in staff and not staff.endswith("[new]"), result.output
    new = [
        ln.split(": ")[0].split(" ", 1)[1]
        for ln in result.output.splitlines()
        if ln.endswith("[new]")
    ]
    # us-servers is no longer written into: new and true. The helpdesk's unprotected
    # passwords, which name the hosting flows that may carry them on, are matched by the
    # store's problem without those flows (fix-onward-s19): the base's finding, not new.
    # So is school-server-work's contract that must authorise the sub-processors, matched
    # without their names (fix-subproc-s20): it names the three left and is neither new nor
    # FIXED; the deleted flow's own findings are removed, its transfer confirmed above
    assert new == ["MEDIUM HYG-STORE-SOURCE systems/us-servers"], result.output
    [school] = [
        ln
        for ln in result.output.splitlines()
        if " HIGH GDPR-AGREEMENT + GDPR-PROCESSOR flows/school-server-work: " in ln
    ]
    assert "it must authorise the 3 sub-processors" in school, result.output
    assert not school.endswith("[new]") and "FIXED" not in school, result.output


def test_pupils_no_longer_called_children_is_reviewed(repo: Repo) -> None:
    """Consent for children's data needs a parent's (Art. 8): a subject's `children` flag
    withdrawn clears those findings, so it is a reclassification a person confirms."""
    repo.edit("data-map/taxonomy.yaml", "name: Pupils, children: true,", "name: Pupils,")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:subjects/pupils: subjects/pupils is now described with "
        "children unsaid (was true)"
    ) in result.output


def test_a_youngest_age_stated_for_children_is_reviewed(repo: Repo) -> None:
    """A min_age at the age of consent clears a child's-consent finding: stating one is a
    reclassification a person confirms."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "name: Pupils, children: true,",
        "name: Pupils, children: true, min_age: 13,",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:subjects/pupils: subjects/pupils is now described "
        "with min_age 13 (was unsaid): it can clear findings (children's consent ones) without "
        "anything else changing" in result.output
    )


def test_a_purpose_no_longer_a_kind_of_marketing_is_reviewed(repo: Repo) -> None:
    """A purpose that leaves the marketing family (its is_a withdrawn) leaves the marketing
    rules: a reclassification a person confirms (attack review 2026-12-02f, hole 3)."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "  - {id: sla_support, name: Support as outlined in the SLA, notice: N-PURPOSE}\n",
        "  - {id: sla_support, name: Support as outlined in the SLA, notice: N-PURPOSE}\n"
        "  - {id: updates, name: Product updates, is_a: [marketing]}\n",
    )
    repo.commit("a marketing purpose")
    repo.edit(
        "data-map/taxonomy.yaml",
        "name: Product updates, is_a: [marketing]}",
        "name: Product updates}",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:purposes/updates: purposes/updates is now described "
        "with is_a unsaid (was [marketing]): it can clear findings (marketing and consent ones) "
        "without anything else changing"
    ) in result.output


def test_an_override_grading_findings_down_names_them(repo: Repo) -> None:
    """An override's code_severity turned high GDPR-BASIS findings into info with only
    "settings changed" said: they stay existing, their severity down (attack review
    2026-12-02f, hole 2). The change to review names the findings it lowers."""
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - rule: GDPR-BASIS\n    set: {code_severity: {no-assessment: info}}\n"
        "    justification: we keep assessments elsewhere\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [
        entry
        for entry in result.output.splitlines()
        if entry.startswith("change to review: rule-changed:GDPR-BASIS")
    ]
    assert "; it lowers GDPR-BASIS on flows/call-recording (no-assessment) high -> info" in line
