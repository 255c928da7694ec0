"""Attack review 2026-12-03r on the gate: the change that clears a critical finding buried
under six hundred routine claims (problem 1), a marketing flow's purpose swapped for one that
is not marketing with nothing to review (problem 2). Each test failed before its fix: the
reclassification was change 601 of 601, absent from the Markdown summary; the purpose swap
passed with 0 changes to review."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from flowaudit.checks.baseline import review_order
from flowaudit.checks.result import ReviewChange
from flowaudit.policies.schema import Severity
from flowaudit.reports.markdown import render_markdown
from tests.helpers import audit_paths, require_tool, unpinned
from tests.security.test_baseline_attacks import Repo, changes

#: The line of the store the change moves: the US servers, recorded in the US.
US_SERVERS = "    owner: us-hosting\n    country: US\n"
#: What the review's change said of the critical transfer finding it clears.
GOES = (
    "with it goes: CRITICAL GDPR-TRANSFER + CONCERO-TRANSFER on flows/hosting-us "
    "(mechanism-invalid)"
)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def _routine_flows(repo: Repo, prefix: str, count: int) -> list[str]:
    """Add ``count`` one-line flows claiming TLS, as the review's pull request did (a new
    flow claiming TLS is a routine change to review, docs/security.md): their ids, in the
    order the gate lists them."""
    lines = ["flows:"]
    ids = [f"{prefix}-{number:03d}" for number in range(count)]
    lines += [
        f"  - {{id: {flow_id}, from: concero, to: recruitment, categories: [contact.name], "
        "subjects: [job_applicants], purpose: job_applications, basis: contract, "
        "encrypted_in_transit: true, notice: N-PURPOSE}"
        for flow_id in ids
    ]
    (repo.root / "data-map" / "replicas.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return [f"claim-changed:flows/{flow_id}" for flow_id in ids]


def _review_rows(markdown: str) -> list[str]:
    """The Markdown summary's "Changes to review" table: its rows and the line after it."""
    lines = markdown.splitlines()
    start = lines.index("### Changes to review") + 6
    end = next(
        (n for n in range(start, len(lines)) if lines[n].startswith(("### ", "- ", "<sub>"))),
        len(lines),
    )
    return [line for line in lines[start:end] if line]


def test_a_change_clearing_a_critical_comes_before_600_routine_claims_in_every_format(
    repo: Repo, tmp_path: Path
) -> None:
    """Attack review 2026-12-03r, problem 1: 600 new flows claiming TLS and `us-servers`
    moved from US to GB (which clears the critical transfer finding on hosting-us). The
    reclassification was change 601 of 601: error annotation 601 in `github`, index 600 in
    JSON, absent from the Markdown summary (cut at 60 KB after about 300 claims, headline
    "and 598 more"). It is first now in every format, and the Markdown lists 50 routine
    claims and says how many more it leaves out."""
    routine = _routine_flows(repo, "replica", 600)
    repo.edit("data-map/systems.yaml", US_SERVERS, "    owner: us-hosting\n    country: GB\n")
    out = tmp_path / "out"
    out.mkdir()
    result = repo.gate(
        "--format",
        "markdown",
        "--output",
        f"json={out / 'gate.json'}",
        "--output",
        f"github={out / 'gate.gh'}",
        "--output",
        f"sarif={out / 'gate.sarif'}",
    )
    assert result.exit_code == 1, result.output
    expected = ["reclassified:systems/us-servers", *routine]
    # JSON: the whole order, exactly
    document = json.loads((out / "gate.json").read_text("utf-8"))
    assert [unpinned(c["id"]) for c in document["review"]] == expected
    assert document["review"][0]["detail"].endswith(GOES)
    # SARIF: the changes' results, after the findings, in the same order
    sarif = json.loads((out / "gate.sarif").read_text("utf-8"))
    said = [
        unpinned(r["properties"]["change"])
        for r in sarif["runs"][0]["results"]
        if r["ruleId"] == "FLOWAUDIT-CHANGE-TO-REVIEW"
    ]
    assert said == expected
    # github: the first error annotation (GitHub shows ten) is the reclassification
    errors = [
        unpinned(line.split("::")[2]).split(": ")[0]
        for line in (out / "gate.gh").read_text("utf-8").splitlines()
        if line.startswith("::error ")
    ]
    assert errors == expected
    # Markdown: the headline names it first; the table keeps it and 50 routine claims, and
    # says how many it leaves out
    markdown = result.stdout
    assert (
        "**FAIL: no new findings at or above low against HEAD, but 601 changes to review not "
        "accepted: reclassified:systems/us-servers, claim-changed:flows/replica-000, "
        "claim-changed:flows/replica-001 and 598 more. Not failed on: 56 existing findings.**"
    ) in markdown
    rows = _review_rows(markdown)
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[:-1]] == expected[:51]
    assert rows[0].endswith(f"{GOES} |")
    assert rows[-1] == (
        "… and 550 more changes to review, none clearing a high or critical finding, not "
        "listed here: every one is in `flowaudit check` (text, JSON or SARIF)."
    )
    assert len(markdown) < 60_000 and "cut to fit one comment" not in markdown
    # the changes to review come before the findings gone
    assert markdown.index("### Changes to review") < markdown.index("### Gone since")
    # text: the same order
    text = repo.gate()
    assert [line.split(": ")[1] for line in changes(text.output)] == expected


def test_claims_clearing_a_critical_come_before_routine_claims_whatever_their_ids(
    repo: Repo,
) -> None:
    """Attack review 2026-12-03r, problem 1: within a kind the order was by id, so 600 flows
    named `a-000`..`a-599` buried the two claims that clear the critical transfer finding
    (`transfer_mechanism: uk_extension` on hosting-us, `uk_extension` added to us-hosting's
    `listed_under`) as review items 600 and 601. The gravest finding cleared comes first."""
    routine = _routine_flows(repo, "a", 120)
    repo.edit(
        "data-map/flows.yaml",
        "    transfer_mechanism: privacy_shield_eu_us\n",
        "    transfer_mechanism: uk_extension\n",
    )
    repo.edit(
        "data-map/organisation.yaml",
        "    listed_under: [privacy_shield_eu_us]\n",
        "    listed_under: [privacy_shield_eu_us, uk_extension]\n",
    )
    result = repo.gate("--format", "json")
    assert result.exit_code == 1, result.output
    review = json.loads(result.stdout)["review"]
    assert [unpinned(c["id"]) for c in review] == [
        "claim-changed:flows/hosting-us",
        "claim-changed:parties/us-hosting",
        *routine,
    ]
    assert all(c["detail"].endswith(GOES) for c in review[:2])


def test_rules_and_waivers_are_ordered_by_the_gravest_finding_they_clear(repo: Repo) -> None:
    """Attack review 2026-12-03r, problem 1: the order is by the gravest finding a change
    clears, then by kind, then by id. A rule switched off and a waiver say what they clear
    as "rule changed" and "waived", not "with it goes", and are graded by it too: the
    reclassification clearing a critical first, then the rule switched off and the waiver
    that each clear a high finding, then the waiver that covers nothing (before the claims,
    by kind), then the routine claims."""
    routine = _routine_flows(repo, "a", 3)
    repo.edit("data-map/systems.yaml", US_SERVERS, "    owner: us-hosting\n    country: GB\n")
    repo.append(
        "policies/house.yaml",
        "overrides:\n  - {rule: CONCERO-HELPDESK-CREDENTIALS, enabled: false, "
        "justification: not needed}\n",
    )
    waiver = (
        "  - id: {id}\n    rule: GDPR-BASIS\n    element: flows/{flow}\n"
        "    owner: Jane Doe, DPO\n    justification: Under review\n"
        "    approved_on: 2026-11-01\n    expires_on: 2027-03-31\n"
    )
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n"
        + waiver.format(id="w-a", flow="a-000")
        + waiver.format(id="w-marketing", flow="marketing-contacts"),
        "utf-8",
    )
    # a high finding described away: its own change to review, of a kind listed late
    repo.edit(
        "data-map/flows.yaml",
        "    purpose: call_monitoring\n    basis: legitimate_interests\n",
        "    purpose: call_monitoring\n    basis: legal_obligation\n",
    )
    result = repo.gate("--format", "json")
    assert result.exit_code == 1, result.output
    assert [unpinned(c["id"]) for c in json.loads(result.stdout)["review"]] == [
        "reclassified:systems/us-servers",  # critical
        "rule-changed:CONCERO-HELPDESK-CREDENTIALS",  # high, a rule
        "waiver-added:w-marketing",  # high, a waiver
        "fixed-unconfirmed:GDPR-BASIS:flows/call-recording:no-assessment",  # high, described away
        "waiver-added:w-a",  # clears nothing, a waiver
        *routine,  # clear nothing, claims
    ]


def test_a_map_file_gone_with_a_critical_finding_comes_before_a_waiver_of_a_high_one(
    repo: Repo,
) -> None:
    """Attack review 2026-12-03r, problem 1: a map file no longer read is graded by the
    findings that left with it. The file holding hosting-us (the critical transfer) deleted,
    and a waiver of a high finding added: the file first, though waivers come first by kind."""
    flows = repo.root / "data-map" / "flows.yaml"
    text = flows.read_text("utf-8")
    start = text.index("  - id: hosting-us\n")
    end = text.index("  - id: hosting-eea\n")
    flows.write_text(text[:start] + text[end:], "utf-8")
    (repo.root / "data-map" / "hosting.yaml").write_text("flows:\n" + text[start:end], "utf-8")
    repo.commit("hosting-us in a file of its own")
    (repo.root / "data-map" / "hosting.yaml").unlink()
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - id: w-marketing\n    rule: GDPR-BASIS\n"
        "    element: flows/marketing-contacts\n    owner: Jane Doe, DPO\n"
        "    justification: Under review\n    approved_on: 2026-11-01\n"
        "    expires_on: 2027-03-31\n",
        "utf-8",
    )
    result = repo.gate("--format", "json")
    assert result.exit_code == 1, result.output
    assert [unpinned(c["id"]) for c in json.loads(result.stdout)["review"]] == [
        "map-file-gone:data-map/hosting.yaml",  # critical, gone with the file
        # critical: us-servers still declares the data hosting-us carried (attack review
        # s9, problem 1)
        "removed-unconfirmed:GDPR-TRANSFER:flows/hosting-us:mechanism-invalid",
        "waiver-added:w-marketing",  # high
    ]


def _purpose_changes(result_output: str, flow: str) -> list[str]:
    return [line for line in changes(result_output) if f"flows/{flow}" in line]


def test_a_marketing_flow_given_a_purpose_that_is_not_marketing_is_a_reclassification(
    repo: Repo,
) -> None:
    """Attack review 2026-12-03r, problem 2: marketing-contacts' `purpose: marketing` made
    `service_change_notices` took the flow out of the marketing rules (same people, emails,
    basis): MEDIUM PECR-MARKETING-OPT-OUT went as fixed, PASS, 0 changes to review, while
    the same move made through the purpose's `is_a` is a reclassification. Now it is one
    too, and the gate passes once it is accepted."""
    repo.edit(
        "data-map/flows.yaml",
        "    purpose: marketing\n    basis: consent\n",
        "    purpose: service_change_notices\n    basis: consent\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert "FIXED" in result.output and "PECR-MARKETING-OPT-OUT" in result.output
    assert changes(result.output) == [
        "change to review: reclassified:flows/marketing-contacts: flows/marketing-contacts is "
        "now described with purpose 'service_change_notices' (was 'marketing'), no longer "
        "marketing: it can clear findings (those of rules and legal limits on marketing) "
        "without anything else changing"
    ]
    accepted = repo.gate("--accept-change", result.pinned("reclassified:flows/marketing-contacts"))
    assert accepted.exit_code == 0, accepted.output


def test_a_flow_moved_off_a_kind_of_marketing_is_a_reclassification(repo: Repo) -> None:
    """Attack review 2026-12-03r, problem 2: a purpose that `is_a` marketing is read as
    marketing by the rules; a flow moved from it to a purpose that is not leaves them."""
    repo.edit(
        "data-map/taxonomy.yaml",
        "purposes:\n",
        "purposes:\n  - {id: newsletter, name: Newsletter, notice: N-PURPOSE, is_a: [marketing]}\n",
    )
    repo.edit(
        "data-map/flows.yaml",
        "    purpose: marketing\n    basis: consent\n",
        "    purpose: newsletter\n    basis: consent\n",
    )
    repo.commit("the newsletter, a kind of marketing")
    repo.edit(
        "data-map/flows.yaml",
        "    purpose: newsletter\n    basis: consent\n",
        "    purpose: service_change_notices\n    basis: consent\n",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _purpose_changes(result.output, "marketing-contacts") == [
        "change to review: reclassified:flows/marketing-contacts: flows/marketing-contacts is "
        "now described with purpose 'service_change_notices' (was 'newsletter'), no longer "
        "marketing: it can clear findings (those of rules and legal limits on marketing) "
        "without anything else changing"
    ]


KIDS = """\
purposes:
  - {id: homework, name: Homework help, notice: N-PURPOSE}
  - {id: school_trips, name: School trips, notice: N-PURPOSE, online_service: false}
  - {id: reading_club, name: Reading club, notice: N-PURPOSE}
flows:
  - {id: kids, from: concero, to: recruitment, categories: [contact.name], subjects: [pupils],
     purpose: homework, basis: consent, notice: N-PURPOSE}
"""


def test_a_flow_given_a_purpose_said_to_be_no_online_service_is_a_reclassification(
    repo: Repo,
) -> None:
    """Attack review 2026-12-03r, problem 2 (the same way out through another field): a
    children's flow on consent moved from a purpose taken to be an online service to one
    said to be none (`online_service: false`) leaves Art. 8, as the purpose's own
    `online_service: false` does (a reclassification since auditor review 2026-12-03h, 10).
    It was a bare fixed-unconfirmed; it is now named as what cleared the finding."""
    (repo.root / "data-map" / "kids.yaml").write_text(KIDS, "utf-8")
    repo.commit("homework help for pupils")
    repo.edit("data-map/kids.yaml", "purpose: homework,", "purpose: school_trips,")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _purpose_changes(result.output, "kids") == [
        "change to review: reclassified:flows/kids: flows/kids is now described with purpose "
        "'school_trips' (was 'homework'), no longer an online service: it can clear findings "
        "(children's consent ones (Art. 8)) without anything else changing; with it goes: "
        "HIGH GDPR-BASIS on flows/kids (child-consent)"
    ]


def test_a_flow_moved_between_purposes_no_rule_names_is_not_a_reclassification(
    repo: Repo,
) -> None:
    """Problem 2's limit: a flow moved between purposes that no rule or legal row names,
    both taken to be online services, leaves no rule's scope: the diff shows it, and the
    gate lists nothing for it (its one new finding, an undeclared purpose, fails it)."""
    (repo.root / "data-map" / "kids.yaml").write_text(KIDS, "utf-8")
    repo.commit("homework help for pupils")
    repo.edit("data-map/kids.yaml", "purpose: homework,", "purpose: reading_club,")
    result = repo.gate()
    assert _purpose_changes(result.output, "kids") == []
    assert "0 changes to review" in result.output, result.output


def _many_changes(grave: int, routine: int) -> tuple[ReviewChange, ...]:
    """``grave`` changes each clearing a critical finding, with a long line, then ``routine``
    ones clearing none, in the gate's order."""
    return review_order(
        [
            *(
                ReviewChange(
                    f"reclassified:systems/s-{n:04d}.{n:016x}",
                    "reclassified",
                    f"systems/s-{n:04d}",
                    "x" * 400 + f"; with it goes: CRITICAL GDPR-TRANSFER on flows/f-{n:04d}",
                    gravest=Severity.CRITICAL,
                )
                for n in range(grave)
            ),
            *(
                ReviewChange(
                    f"claim-changed:flows/a-{n:04d}.{n:016x}",
                    "claim-changed",
                    f"flows/a-{n:04d}",
                    "flows/a now claims encrypted_in_transit true (was unsaid)",
                )
                for n in range(routine)
            ),
        ]
    )


@pytest.mark.parametrize("grave", [150, 400])
def test_the_markdown_keeps_every_grave_change_it_can_and_counts_the_rest(grave: int) -> None:
    """Attack review 2026-12-03r, problem 1, at scale: the Markdown summary never cuts a
    change clearing a high or critical finding to make room for routine ones. Past what fits
    in full, each is one short row with its id; past what one comment holds, their number is
    said in bold. The routine ones take what is left, at most 50."""
    result = replace(audit_paths([], date(2026, 11, 25)), review=_many_changes(grave, routine=300))
    text = render_markdown(result, Severity.LOW)
    assert len(text) <= 60_000 and "cut to fit one comment" not in text
    rows = _review_rows(text)
    listed = [r for r in rows if r.startswith("| reclassified:")]
    assert [r.split(" | ")[0][2:] for r in listed] == [c.id for c in result.review[: len(listed)]]
    short = [
        r
        for r in listed
        if r.endswith("it clears a CRITICAL finding: its line is in `flowaudit check` |")
    ]
    assert 0 < len(short) < len(listed)  # the first ones in full, the later ones short
    assert listed.index(short[0]) == len(listed) - len(short)
    said_cut = [r for r in rows if "clearing a high or critical finding**" in r]
    if grave == 150:
        assert len(listed) == 150 and said_cut == []
    else:
        assert said_cut == [
            f"… and **{400 - len(listed)} more changes to review clearing a high or critical "
            "finding**, more than one comment holds: every one is in `flowaudit check` (text, "
            "JSON or SARIF)."
        ]
    routine = [r for r in rows if r.startswith("| claim-changed:")]
    assert rows[-1] == (
        f"… and {300 - len(routine)} more changes to review, none clearing a high or critical "
        "finding, not listed here: every one is in `flowaudit check` (text, JSON or SARIF)."
    )
    # no routine one while a grave one is left out
    assert len(routine) == (50 if grave == 150 else 0)
