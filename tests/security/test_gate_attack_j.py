"""Attack review 2026-12-03j on the gate: a website's cookies said away (an entry deleted,
relabelled ``strictly_necessary``, or ``cookies: []``), and a flow or store re-described by
a broader category, which takes it out of a rule scoped to the narrower one. Each passed the
gate (exit 0, 0 changes to review) with a medium finding gone as fixed; each is now a
reclassification that names what it cleared. The checks' side of problems 2 and 4 (a
forbidden or criminal-offence category under a broader one) is in tests/cases/forbidden.yaml
and tests/cases/criminal_offence.yaml; its effect on the gate is here.
"""

from __future__ import annotations

import pytest

from tests.helpers import require_tool
from tests.security.test_baseline_attacks import Repo, changes


@pytest.fixture
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    require_tool("git")
    return Repo(tmp_path_factory.mktemp("gate-j") / "repo")


ANALYTICS = "  - id: website-analytics\n    name: Website visit records\n"
FBP = "    cookies:\n      - {id: _fbp, purpose: advertising, description: Meta pixel}\n"
COOKIE_CHANGE = (
    "change to review: reclassified:systems/website-analytics: systems/website-analytics is "
    "now described with {said}: it can clear findings (cookie consent ones, PECR reg. 6) "
    "without anything else changing; with it goes: {gone}"
)
NO_CONSENT = "MEDIUM PECR-COOKIES + CONCERO-COOKIES on systems/website-analytics (no-consent)"


def with_meta_pixel(repo: Repo) -> None:
    """The base: the website sets the Meta pixel, an advertising cookie, without consent."""
    repo.edit("data-map/systems.yaml", ANALYTICS, ANALYTICS + FBP)
    repo.commit("the Meta pixel")


@pytest.mark.parametrize(
    ("after", "said"),
    [
        ("    cookies: []\n", "cookies[_fbp] deleted (was 'advertising')"),
        (
            FBP.replace("advertising", "strictly_necessary"),
            "cookies[_fbp].purpose 'strictly_necessary' (was 'advertising')",
        ),
        ("", "cookies unsaid (was [_fbp])"),
    ],
    ids=["entry-deleted", "relabelled-strictly-necessary", "list-deleted"],
)
def test_a_cookie_said_away_is_a_reclassification_naming_what_it_cleared(
    repo: Repo, after: str, said: str
) -> None:
    """The Meta pixel's entry deleted, its purpose relabelled strictly_necessary (the reg.
    6(4) exemption) or the whole list deleted took MEDIUM PECR-COOKIES + CONCERO-COOKIES as
    FIXED with a PASS, 0 changes to review (attack review 2026-12-03j, problem 1): each is
    now a reclassification whose line names the finding it clears."""
    with_meta_pixel(repo)
    repo.edit("data-map/systems.yaml", FBP, after)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert changes(result.output) == [COOKIE_CHANGE.format(said=said, gone=NO_CONSENT)]


def test_no_cookies_on_the_shipped_map_is_a_reclassification(repo: Repo) -> None:
    """``cookies: []`` on the shipped map's website (it sets none) took MEDIUM
    CONCERO-COOKIES (not-recorded) as FIXED with a PASS (attack review 2026-12-03j, problem
    1): that a website sets no cookie is a fact the repository cannot show."""
    repo.edit("data-map/systems.yaml", ANALYTICS, ANALYTICS + "    cookies: []\n")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert changes(result.output) == [
        COOKIE_CHANGE.format(
            said="cookies [] (was unsaid)",
            gone="MEDIUM CONCERO-COOKIES on systems/website-analytics (not-recorded)",
        )
    ]


def test_a_cookie_that_needs_more_consent_is_no_reclassification(repo: Repo) -> None:
    """A cookie added, or relabelled to a purpose that needs more consent, clears nothing:
    its finding is new, and nothing is listed for review."""
    repo.edit(
        "data-map/systems.yaml",
        ANALYTICS,
        ANALYTICS + FBP.replace("advertising", "strictly_necessary"),
    )
    repo.commit("a session cookie")
    repo.edit(
        "data-map/systems.yaml",
        "purpose: strictly_necessary, description: Meta pixel}\n",
        "purpose: advertising, description: Meta pixel}\n"
        "      - {id: _gcl_au, purpose: advertising}\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert changes(result.output) == []
    assert "advertising cookie '_fbp' is set without opt-in consent" in result.output
    assert "advertising cookie '_gcl_au' is set without opt-in consent" in result.output


CALLS_LISTS = "    categories: [contact.phone, communications.call_recording]\n"
LIA = (
    "\nassessments:\n  - {id: lia-calls, kind: legitimate_interests, completed_on: 2025-01-01, "
    "evidence: intranet/lia-calls.pdf}\n"
)
CALLS_BASIS = (
    "    basis: legitimate_interests\n    encrypted_in_transit: true\n    notice: N-PHONE\n"
)


def with_lia_for_calls(repo: Repo) -> None:
    """The base of the reviewer's p1 and p3: an assessment linked from flows/call-recording,
    so the flow's only finding is MEDIUM CONCERO-CALL-CARD-CODES (its card codes)."""
    repo.append("data-map/flows.yaml", LIA)
    repo.edit(
        "data-map/flows.yaml",
        CALLS_BASIS,
        CALLS_BASIS.replace("\n", "\n    assessment: lia-calls\n", 1),
    )
    repo.commit("an LIA for call recording")


def test_a_category_widened_to_a_parent_out_of_a_rules_scope_is_a_reclassification(
    repo: Repo,
) -> None:
    """flows/call-recording and its store said ``communications`` where they said
    ``communications.call_recording``: the CONCERO-CALL-* rules select the leaf, so the flow
    left their scope and MEDIUM CONCERO-CALL-CARD-CODES went as FIXED with a PASS (attack
    review 2026-12-03j, problem 3). The rules' scope is as it was; the widening is a
    reclassification naming the finding it cleared. The store lost no finding: not listed."""
    with_lia_for_calls(repo)
    widened = CALLS_LISTS.replace("communications.call_recording", "communications")
    repo.edit("data-map/flows.yaml", CALLS_LISTS, widened)
    repo.edit("data-map/systems.yaml", CALLS_LISTS, widened)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "FIXED" in result.output and "[new]" not in result.output
    assert changes(result.output) == [
        "change to review: reclassified:flows/call-recording: flows/call-recording is now "
        "described with categories widened to a parent, communications (was "
        "communications.call_recording): it can clear findings (those of rules that select "
        "or name the narrower category) without anything else changing; with it goes: MEDIUM "
        "CONCERO-CALL-CARD-CODES on flows/call-recording (may-category)"
    ]


def test_a_category_widened_to_a_parent_that_clears_nothing_is_not_listed(repo: Repo) -> None:
    """A flow said to carry ``payment`` where it said ``payment.billing`` loses no finding:
    nothing to review (its findings, if any, are new: it now carries more)."""
    repo.edit(
        "data-map/flows.yaml",
        "categories: [contact.name, contact.address, payment.billing]",
        "categories: [contact.name, contact.address, payment]",
    )
    result = repo.gate()
    assert changes(result.output) == []
    assert "0 gone" in result.output


def test_a_broader_may_carry_is_a_new_finding_and_a_reclassification(repo: Repo) -> None:
    """``may_carry: [payment]`` on flows/call-recording, which includes the card security
    codes it said, gave no finding, and the MEDIUM went as FIXED with a PASS (attack review
    2026-12-03j, problem 2): the forbidden rule now sees the codes under payment, so the
    finding is new in its new words, and the widening is listed with what it took."""
    with_lia_for_calls(repo)
    repo.edit(
        "data-map/flows.yaml",
        "      categories: [payment.card.security_code]\n",
        "      categories: [payment]\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "MEDIUM CONCERO-CALL-CARD-CODES (N-PHONE) flows/call-recording: may carry payment, "
        "which includes the forbidden category payment.card.security_code: every call is "
        "recorded whole"
    ) in result.output
    assert changes(result.output) == [
        "change to review: reclassified:flows/call-recording: flows/call-recording is now "
        "described with may_carry categories widened to a parent, payment (was "
        "payment.card.security_code): it can clear findings (those of rules that select or "
        "name the narrower category) without anything else changing; with it goes: MEDIUM "
        "CONCERO-CALL-CARD-CODES on flows/call-recording (may-category)"
    ]


def test_criminal_offence_data_said_only_by_its_parent(repo: Repo) -> None:
    """flows/job-applications carried recruitment and its criminal-offence child; dropping
    the child left a flow that GDPR-ART10 passed, caught only because the finding was high
    (attack review 2026-12-03j, problem 4). The parent is now an Art. 10 risk (new, medium),
    and the high finding is written into the reclassification that cleared it."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "categories:\n",
        "categories:\n  - {id: recruitment.convictions, name: Criminal convictions declared by "
        "applicants, criminal_offence: true}\n",
    )
    repo.edit(
        "data-map/flows.yaml",
        "contact.address, recruitment]",
        "contact.address, recruitment, recruitment.convictions]",
    )
    repo.commit("convictions")
    repo.edit(
        "data-map/flows.yaml",
        "contact.address, recruitment, recruitment.convictions]",
        "contact.address, recruitment]",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "MEDIUM GDPR-ART10 flows/job-applications: carries recruitment, which includes the "
        "criminal offence category recruitment.convictions (a risk to confirm: it may carry "
        "that data) with no Art. 10 condition [new]"
    ) in result.output
    assert changes(result.output) == [
        "change to review: reclassified:flows/job-applications: flows/job-applications is now "
        "described with categories widened to a parent, recruitment (was "
        "recruitment.convictions): it can clear findings (those of rules that select or name "
        "the narrower category) without anything else changing; with it goes: HIGH GDPR-ART10 "
        "on flows/job-applications (no-condition)"
    ]
