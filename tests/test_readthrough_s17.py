"""Read-through of session 17's merges: a flow the change brings under a finding that groups
flows is a change to review; an agreement between other parties is one finding; a flow
re-based onto legal obligation is a claim to review.

DPO review s17 made a missing legitimate interests assessment one finding per purpose,
matched across runs by its problem, not by the flows it names: a flow leaving the purpose
leaves the finding standing, neither new nor gone. The other way round was silent too: a
new disclosure added to a purpose whose assessment is already missing joined the base's
finding, gave no new finding and nothing to review, so a pull request could add a flow on
legitimate interests under an open, accepted problem. The gate now lists it as
``joined-finding:flows/ID:RULE:CODE``.
"""

from __future__ import annotations

import re
from pathlib import Path

from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from tests.helpers import (
    EXTRA,
    audit_folder,
    concero_repo,
    concero_with,
    line_of,
    review_lines,
    run,
    run_gate,
    shipped_map_dir,
)

#: The shipped website-visits flow (web_development, legitimate interests, no assessment).
WEBSITE_VISITS = """  - id: website-visits
    from: concero
    to: website-analytics
"""

#: The same processing again under a new id: the purpose's one finding now names it.
REPLAY = """  - id: visits-replay
    from: concero
    to: website-analytics
    categories: [web.traffic]
    subjects: [website_visitors]
    purpose: web_development
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-COLLECT

"""

ARGS = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "low"]


def test_a_new_flow_joining_a_grouped_finding_is_a_change_to_review(tmp_path: Path) -> None:
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", WEBSITE_VISITS, REPLAY + WEBSITE_VISITS)
    result = run_gate(["check", str(repo.files), *ARGS])
    assert result.exit_code == 1, result.output
    lines = review_lines(result.stdout)
    ids = [line.split(": ", 2)[1] for line in lines]
    # the gravest first: the joined finding is high, the claim clears none
    assert [i.split(".", 1)[0] for i in ids] == [
        "joined-finding:flows/visits-replay:GDPR-BASIS:no-assessment",
        "claim-changed:flows/visits-replay",
    ], lines
    joined = lines[0]
    assert (
        ": flows/visits-replay is newly under HIGH GDPR-BASIS on flows/third-party-insights "
        "(no-assessment), a finding the base has: no new finding, yet the flow now shares its "
        "open problem; confirm it may go on while the problem stays open (it says: Legitimate "
        "interests, Art. 6(1)(f) needs a legitimate interests assessment on file for the "
        "purpose 'web_development' (flows third-party-insights, visits-replay, "
        "website-visits: one assessment weighs the purpose); none is linked)"
    ) in joined
    assert (
        "Against HEAD: 0 new findings (0 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 2 changes to review (0 accepted)."
    ) in result.output.splitlines()
    # once a person has read them, the change passes: the review is what the gate asks
    accepted = run_gate(["check", str(repo.files), *ARGS, "--accept-reviewed-changes"])
    assert accepted.exit_code == 0, accepted.output


def test_a_flow_leaving_a_grouped_finding_is_no_change_to_review(tmp_path: Path) -> None:
    """The other way round stays quiet: fewer flows under an open problem clears nothing."""
    base = concero_repo(tmp_path, "")
    base.edit("flows.yaml", WEBSITE_VISITS, REPLAY + WEBSITE_VISITS)
    base.commit("with the replay")
    base.edit("flows.yaml", REPLAY, "")
    result = run_gate(["check", str(base.files), *ARGS])
    assert review_lines(result.stdout) == [], result.output
    assert result.exit_code == 0, result.output


#: A flow linked to an agreement between other parties, of unknown status, which covers
#: neither its categories nor its purpose.
OTHERS_AGREEMENT = """
flows:
  - id: sell-visits
    from: concero
    to: web-service-providers
    categories: [web.traffic, contact.name]
    subjects: [website_visitors]
    purpose: web_development
    basis: contract
    agreement: payment-sharing-agreement
    encrypted_in_transit: true
    notice: N-THIRDPARTY
"""


def test_an_agreement_between_other_parties_is_one_finding(tmp_path: Path) -> None:
    """An agreement between other parties is no agreement for the flow: one finding says so;
    its unknown status and what it fails to cover were two more LOW findings on the flow,
    each answered by the same fix (link or sign one with these parties)."""
    folder = concero_with(tmp_path, OTHERS_AGREEMENT)
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    agreement = [
        line
        for line in result.output.splitlines()
        if "GDPR-AGREEMENT" in line and "flows/sell-visits:" in line
    ]
    extra = folder / EXTRA
    assert agreement == [
        f"{extra.parent.name}/{EXTRA}:{line_of(extra, 'agreement:')}:5 LOW GDPR-AGREEMENT "
        "flows/sell-visits: Concero Technology Services (controller) → Website and "
        "support-package service providers (not named) (independent controller): agreement "
        "'payment-sharing-agreement' is between concero, payment-processor, not "
        "'web-service-providers'"
    ], agreement


#: A flow whose only findings are medium or low: job applicants are party to the contract
#: they ask for, so contract is open; the controller recipient has no sharing agreement.
REFERENCE_CHECKS = """
flows:
  - id: reference-checks
    from: concero
    to: training-supplier
    categories: [contact.name]
    subjects: [job_applicants]
    purpose: job_applications
    basis: contract
    encrypted_in_transit: true
    notice: N-PURPOSE
"""


def test_a_flow_re_based_onto_legal_obligation_is_a_claim_to_review(tmp_path: Path) -> None:
    """A flow's LOW finding on its missing sharing agreement (its MEDIUM, the customer's
    permission to share, stays) went as fixed with nothing to
    review when the flow was re-based from contract onto legal obligation (a basis whose
    ground the map cannot show, which expects no agreement): only a high finding cleared was
    confirmed by a person. The re-basing is now a claim."""
    repo = concero_repo(tmp_path, REFERENCE_CHECKS)
    before = run_gate(["check", str(repo.files), "--as-of", "2026-11-25"])
    ours = [line for line in before.stdout.splitlines() if "flows/reference-checks:" in line]
    assert [line.split(" ", 3)[1:3] for line in ours] == [
        ["MEDIUM", "CONCERO-SHARE-PERMISSION"],
        ["LOW", "GDPR-AGREEMENT"],
    ], ours
    repo.edit(EXTRA, "    basis: contract\n", "    basis: legal_obligation\n")
    result = run_gate(["check", str(repo.files), *ARGS])
    assert result.exit_code == 1, result.output
    assert "1 gone (1 fixed, 0 removed, 0 waived, 0 rule changed)" in result.output
    lines = review_lines(result.stdout)
    assert [line.split(": ", 2)[1] for line in lines] == ["claim-changed:flows/reference-checks"]
    assert (
        "flows/reference-checks now claims basis 'legal_obligation' (was 'contract')" in lines[0]
    ), lines


def test_a_rule_of_the_law_says_it_is_no_promise_of_the_notice() -> None:
    """The printed report gave 23 rule sections a bare "Notice: —", which reads as a reference
    missing (print review s17): a rule of the law or of map hygiene says it is none of the
    notice's promises; a notice rule still names its clauses."""
    html = render_html(audit_folder(shipped_map_dir()), Severity.LOW)
    refs = re.findall(r'<p class="refs"><strong>Notice:</strong> (.*?) &middot;', html)
    assert "—" not in "".join(refs)
    assert (
        refs.count("none (not one of the notice&#39;s promises)")
        == sum(1 for rule in audit_folder(shipped_map_dir()).rules if not rule.references.notice)
        > 0
    )
    assert "N-ENCRYPT" in refs


def test_a_grouped_finding_names_at_most_twenty_flows_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """The per-purpose groupings listed every flow in the message: on the 100,000-flow hub
    bench map one finding named 200 flows (2,976 characters), and a purpose of 50,000 flows
    would be a message of 700,000. The message names the first LIST_LIMIT (20) and counts
    the rest, as every other list in a message does; ``flows`` in the JSON holds them all."""
    extra = "flows:\n" + "".join(
        f"  - {{id: li-{i:02d}, from: concero, to: website-analytics, categories: "
        "[web.traffic], subjects: [website_visitors], purpose: web_development, "
        "basis: legitimate_interests, encrypted_in_transit: true, notice: N-COLLECT}\n"
        for i in range(25)
    )
    result = audit_folder(concero_with(tmp_path, extra))
    (finding,) = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-BASIS"
        and f.code == "no-assessment"
        and f.element == ("flows", "third-party-insights")
    ]
    assert len(finding.flows) == 27
    assert (
        "for the purpose 'web_development' (flows third-party-insights, website-visits, "
        + ", ".join(f"li-{i:02d}" for i in range(18))
        + " and 7 more: one assessment weighs the purpose); none is linked"
    ) in finding.message
