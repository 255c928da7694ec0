"""Attack review 2026-12-03s on the gate, problems 4, 6 and 10, and auditor review
2026-12-03s, problem 13. Each test failed before its fix: decoy waivers of the pull
request's own new high findings came before the claim clearing a high finding of the base
(problem 4), a waiver made longer was graded as clearing nothing (problem 6), a warning
behind the long tables was cut from the Markdown summary without a word (problem 10), and
the FAIL line named one flow twice and ended "(1 existing)" (problem 13)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from flowaudit.checks.baseline import review_order
from flowaudit.checks.result import ReviewChange
from flowaudit.policies.schema import Severity
from flowaudit.reports import markdown
from flowaudit.reports.markdown import render_markdown
from tests.helpers import GitRepo, audit_paths, require_tool, run, unpinned
from tests.security.test_baseline_attacks import Repo
from tests.security.test_gate_attack_r import _review_rows

#: The claim that clears the base's HIGH GDPR-BASIS contract-not-party finding (13 flows on
#: contract for staff who are not party to it).
PARTY = (
    "    fides_key: customer\n    party_to_contract: false\n",
    "    fides_key: customer\n    party_to_contract: true\n",
)
CLAIM = "claim-changed:subjects/customer_staff"
CLEARS = "with it goes: HIGH GDPR-BASIS on subjects/customer_staff (contract-not-party)"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def _decoys(repo: Repo, count: int, basis: str, rule: str, tls: str) -> list[str]:
    """``count`` new flows, each with one new finding of ``rule``, and a waiver of each, as
    the review's pull request added them: the waivers' change ids, in id order."""
    ids = [f"{n:03d}" for n in range(count)]
    # on legitimate interests each flow links an assessment of its own, completed only after
    # the audit date: a finding per flow (flows that lack one for one purpose are one
    # finding since DPO review s17, and these decoys need one each)
    own = basis == "legitimate_interests"
    lines = ["flows:"]
    lines += [
        f"  - {{id: d-{n}, from: concero, to: crm, categories: [contact.name], subjects: "
        f"[customer_staff], purpose: sla_support, basis: {basis},{tls} notice: N-PURPOSE"
        + (f", assessment: a-{n}}}" if own else "}")
        for n in ids
    ]
    if own:
        lines.append("assessments:")
        lines += [
            f"  - {{id: a-{n}, kind: legitimate_interests, completed_on: 2027-01-01, "
            "evidence: DP/lia.pdf}"
            for n in ids
        ]
    lines.append("waivers:")
    lines += [
        f"  - {{id: w-{n}, rule: {rule}, element: flows/d-{n}, owner: DPO, justification: "
        "being written, approved_on: 2026-11-20, expires_on: 2027-03-01}"
        for n in ids
    ]
    (repo.root / "data-map" / "decoys.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return [f"waiver-added:w-{n}" for n in ids]


def test_a_claim_clearing_a_base_high_comes_before_decoy_waivers_of_new_highs(
    repo: Repo, tmp_path: Path
) -> None:
    """Attack review 2026-12-03s, problem 4: a pull request adds flows whose one finding is a
    new HIGH GDPR-BASIS (legitimate interests, no assessment) and a waiver of each, and sets
    customer_staff `party_to_contract: true`, which clears the base's HIGH contract-not-party
    finding. Each waiver was graded HIGH like the claim and, waivers ranking first by kind,
    came before it (review item 601 of 1,201, absent from the Markdown summary). At one
    grade a change clearing a finding of the base now comes first, in every format; the
    Markdown lists it among the grave ones and the waivers among the routine ones, saying
    how many of those left out cover a high finding new in the change."""
    tls = " encrypted_in_transit: true,"
    waivers = _decoys(repo, 60, "legitimate_interests", "GDPR-BASIS", tls)
    repo.edit("data-map/taxonomy.yaml", *PARTY)
    out = tmp_path / "out"
    out.mkdir()
    result = repo.gate(
        "--format", "markdown", "--output", f"json={out / 'gate.json'}",
        "--output", f"github={out / 'gate.gh'}",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    review = json.loads((out / "gate.json").read_text("utf-8"))["review"]
    ids = [unpinned(c["id"]) for c in review]
    # the claim first, then the decoy waivers (high, new only) by id, then the new flows'
    # routine claims
    assert ids[: len(waivers) + 1] == [CLAIM, *waivers]
    assert review[0]["detail"].endswith(CLEARS)
    errors = [
        unpinned(line.split("::")[2]).split(": ")[0]
        for line in (out / "gate.gh").read_text("utf-8").splitlines()
        if line.startswith("::error ")
    ]
    assert errors[: len(waivers) + 1] == [CLAIM, *waivers]
    rows = _review_rows(result.stdout)
    listed = [row.split(" | ")[0].removeprefix("| ") for row in rows[:-1]]
    assert [unpinned(i) for i in listed] == [CLAIM, *waivers[:50]]
    assert rows[0].endswith(f"{CLEARS} |")
    assert rows[-1] == (
        f"… and {len(ids) - 51} more changes to review, none clearing a high or critical "
        "finding of the base (10 of them covering a high or critical finding new in this "
        "change), not listed here: every one is in `flowaudit check` (text, JSON or SARIF)."
    )


def _waiver_changes(grave: int, decoys: int) -> tuple[ReviewChange, ...]:
    """``grave`` claims each clearing a base high finding, with a long line, and ``decoys``
    waivers each covering a high finding new in the change, in the gate's order."""
    return review_order(
        [
            *(
                ReviewChange(
                    f"waiver-added:w-{n:04d}.{n:016x}",
                    "waiver-added",
                    f"w-{n:04d}",
                    "y" * 300,
                    gravest=Severity.HIGH,
                    gravest_new=True,
                )
                for n in range(decoys)
            ),
            *(
                ReviewChange(
                    f"claim-changed:flows/f-{n:04d}.{n:016x}",
                    "claim-changed",
                    f"flows/f-{n:04d}",
                    "x" * 400 + f"; with it goes: HIGH GDPR-BASIS on flows/f-{n:04d}",
                    gravest=Severity.HIGH,
                )
                for n in range(grave)
            ),
        ]
    )


def test_the_markdown_never_lists_a_waiver_of_new_findings_in_place_of_a_base_clearing_change() -> (
    None
):
    """Attack review 2026-12-03s, problem 4, at scale: with 400 changes clearing a base high
    finding (more than one comment holds) and 600 waivers of new high findings, every row
    listed clears a finding of the base, the rest of those are counted in bold, and no
    waiver of new findings is listed while one is left out. In the gate's order the claims
    come first at their grade, though waivers rank before claims by kind."""
    review = _waiver_changes(grave=400, decoys=600)
    assert [c.kind for c in review] == ["claim-changed"] * 400 + ["waiver-added"] * 600
    result = replace(audit_paths([], date(2026, 11, 25)), review=review)
    text = render_markdown(result, Severity.LOW)
    assert len(text) <= 60_000 and "cut to fit one comment" not in text
    rows = _review_rows(text)
    listed = [r for r in rows if r.startswith("| ")]
    assert listed and all(r.startswith("| claim-changed:") for r in listed)
    assert rows[-2:] == [
        f"… and **{400 - len(listed)} more changes to review clearing a high or critical "
        "finding**, more than one comment holds: every one is in `flowaudit check` (text, "
        "JSON or SARIF).",
        "… and 600 more changes to review, none clearing a high or critical finding of the "
        "base (600 of them covering a high or critical finding new in this change), not listed "
        "here: every one is in `flowaudit check` (text, JSON or SARIF).",
    ]


def test_a_waiver_made_longer_is_graded_by_the_high_finding_it_covers(repo: Repo) -> None:
    """Attack review 2026-12-03s, problem 6: `w-calls` (GDPR-BASIS no-assessment on
    call-recording, HIGH) moved from 2027-01-31 to 2027-10-31, beside 60 new flows with a
    MEDIUM CONCERO-ENCRYPT each and a waiver of each. The extension covered nothing new, so
    it cleared "nothing" and came last (61 of 61), out of the Markdown table, which called
    what it left out routine. It is graded by the high finding it keeps out of the gate for
    longer, first in the order, and its line names that finding."""
    (repo.root / "data-map" / "waivers.yaml").write_text(
        "waivers:\n  - {id: w-calls, rule: GDPR-BASIS, element: flows/call-recording, "
        "code: no-assessment, owner: DPO, justification: LIA in progress, "
        "approved_on: 2026-11-01, expires_on: 2027-01-31}\n",
        "utf-8",
    )
    repo.commit("a waiver of the call-recording finding")
    repo.edit("data-map/waivers.yaml", "expires_on: 2027-01-31", "expires_on: 2027-10-31")
    waivers = _decoys(repo, 60, "legal_obligation", "CONCERO-ENCRYPT", "")
    result = repo.gate("--format", "json")
    assert result.exit_code == 1, result.output
    review = json.loads(result.stdout)["review"]
    # each decoy flow on legal_obligation is a claim of its own (attack review s17, problem
    # d): they come after the waivers, clearing nothing of the base
    claims = [f"claim-changed:flows/d-{waiver[-3:]}" for waiver in waivers]
    assert [unpinned(c["id"]) for c in review] == ["waiver-extended:w-calls", *waivers, *claims]
    detail = review[0]["detail"]
    assert detail.startswith(
        "waiver of GDPR-BASIS on flows/call-recording (no-assessment) now runs 2026-11-01 to "
        "2027-10-31 (was 2026-11-01 to 2027-01-31); it covers GDPR-BASIS (high) "
        "no-assessment: "
    ), detail
    rows = _review_rows(repo.gate("--format", "markdown").stdout)
    assert unpinned(rows[0].split(" | ")[0].removeprefix("| ")) == "waiver-extended:w-calls"
    assert rows[-1] == (
        "… and 70 more changes to review, none clearing a high or critical finding, not "
        "listed here: every one is in `flowaudit check` (text, JSON or SARIF)."
    )


def test_a_waiver_of_a_new_finding_comes_after_one_of_a_base_finding_at_one_grade(
    repo: Repo,
) -> None:
    """Attack review 2026-12-03s, problem 4, the rule itself: two new waivers of HIGH
    GDPR-BASIS findings, `w-a` of a new flow's, `w-z` of the base's marketing-contacts: by id
    `w-a` came first; the one that hides a finding the base has comes first now."""
    _decoys(repo, 1, "legitimate_interests", "GDPR-BASIS", " encrypted_in_transit: true,")
    (repo.root / "data-map" / "decoys.yaml").write_text(
        (repo.root / "data-map" / "decoys.yaml").read_text("utf-8").replace("id: w-000", "id: w-a")
        + "  - {id: w-z, rule: GDPR-BASIS, element: flows/marketing-contacts, owner: DPO, "
        "justification: being written, approved_on: 2026-11-20, expires_on: 2027-03-01}\n",
        "utf-8",
    )
    result = repo.gate("--format", "json")
    review = json.loads(result.stdout)["review"]
    assert [unpinned(c["id"]) for c in review][:2] == ["waiver-added:w-z", "waiver-added:w-a"]


def test_warnings_come_before_the_long_tables_and_a_cut_says_what_it_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Attack review 2026-12-03s, problem 10: the warnings came after the changes to review
    and the findings gone, and the cut of a long summary dropped them with a line naming
    only findings.csv and JSON. They come before the tables now, and the cut line names
    the rows and sections it cut and the version line."""
    base = audit_paths([], date(2026, 11, 25))
    result = replace(
        base,
        warnings=("map.yaml:1:1: organisation 'x' reads as a public authority",),
        review=_waiver_changes(grave=0, decoys=40),
    )
    text = render_markdown(result, Severity.LOW)
    warning = "- ⚠️ Warning: map.yaml:1:1: organisation 'x' reads as a public authority"
    assert text.index(warning) < text.index("### Changes to review")
    # room for the top findings and a few rows of the changes to review
    monkeypatch.setattr(markdown, "MAX_CHARS", text.index("### All findings") + 6_000)
    cut = render_markdown(result, Severity.LOW)
    assert len(cut) <= markdown.MAX_CHARS and warning in cut
    shown = len([r for r in _review_rows(cut) if r.startswith("| waiver-added:")])
    assert 0 < shown < 40
    assert cut.endswith(
        f"\n\n… cut to fit one comment: {40 - shown} more rows of “Changes to review”; the "
        "version and fingerprint line; every finding is in findings.csv (with its cause id) "
        "beside the full report (`flowaudit report`) and in `--format json`.\n"
    )


def test_caveats_before_the_tables_are_capped_in_characters() -> None:
    """Attack review 2026-12-03s, problem 10's limit: before the changes to review, the
    caveats must leave them room in one comment: each caveat's text is cut at
    CAVEAT_TEXT characters and all of them stop at CAVEATS_CHARS, then how many more."""
    base = audit_paths([], date(2026, 11, 25))
    # fifteen kinds of warning (w-a ... w-o): warnings that differ only in a number are one
    # kind, printed once (auditor review s21)
    result = replace(base, warnings=tuple(f"w-{chr(97 + n)} " + "z" * 5_000 for n in range(15)))
    lines = render_markdown(result, Severity.LOW).splitlines()
    warnings = [line for line in lines if line.startswith("- ⚠️ Warning: w")]
    assert len(warnings) == 9  # each about 1,017 characters, 10,000 for all caveats
    assert all(line.endswith("z …") for line in warnings)
    assert (
        "- ⚠️ … and 6 more kinds of warning: every one is in `flowaudit check` (text or JSON)"
    ) in lines


def test_the_fail_line_names_each_new_finding_with_its_code_and_counts_the_existing() -> None:
    """Auditor review 2026-12-03s, problem 13: `FAIL: 2 new findings ...: GDPR-AGREEMENT
    flows/support-referrals, GDPR-AGREEMENT flows/support-referrals; 2 changes to review not
    accepted: ... (1 existing).` named one flow twice and ended with a count that read as
    the change ids'. Each new finding is named with its code (the very same one counted:
    "(CODE, 2 findings)"), and the existing findings are a sentence of their own."""
    from flowaudit.checks.result import Against
    from flowaudit.reports.text import gate_verdict

    base = audit_paths([], date(2026, 11, 25))
    calls = next(
        f for f in base.findings if f.element == ("flows", "call-recording") and not f.waived
    )
    assert calls.rule_ids == ("GDPR-BASIS",) and calls.severity is Severity.HIGH
    new = (
        replace(calls, code="sharing-draft"),
        replace(calls, code="not-covered"),
        replace(calls, code="not-covered", message=calls.message + " (again)"),
    )
    against = Against(ref="HEAD", new=new)
    result = replace(base, findings=(*base.findings, *new), against=against)
    assert gate_verdict(result, against, Severity.LOW) == (
        "FAIL: 3 new findings at or above low against HEAD: GDPR-BASIS flows/call-recording "
        "(sharing-draft), GDPR-BASIS flows/call-recording (not-covered, 2 findings). Not failed "
        "on: 57 existing findings."
    )
    # with nothing existing, no count: "(0 existing)" said nothing
    bare = replace(result, findings=new)
    assert gate_verdict(bare, against, Severity.LOW).endswith("(not-covered, 2 findings).")


#: A host's store serving the organisation's website, with an advertising cookie set on no
#: consent: a MEDIUM PECR-COOKIES finding while the host is the organisation's processor.
COOKIE_MAP = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice: PN}
parties:
  - {id: host, name: Host Ltd, kind: hosting, country: GB, role: processor}
systems:
  - id: site
    name: Website
    owner: host
    country: GB
    cookies:
      - {id: _fbp, purpose: advertising, consent: false}
"""


def test_a_finding_gone_from_an_element_the_rule_no_longer_judges_is_not_said_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DPO review 2026-12-03t, problem 1, and attack review 2026-12-03t, problem 3: the host
    recorded as a controller takes its store out of PECR-COOKIES (a controller's store is its
    own website). The gate asks for the change, and its line now names cookie findings among
    those it can clear; the finding gone said "systems/site now passes PECR-COOKIES", which
    was false: nothing judges the store any more, and the line says so."""
    require_tool("git")
    monkeypatch.chdir(tmp_path)
    repo = GitRepo(tmp_path, tmp_path)
    (tmp_path / "map.yaml").write_text(COOKIE_MAP, encoding="utf-8")
    repo.git("init", "-q")
    repo.commit()
    base = run(["check", "map.yaml", "--as-of", "2026-11-25"])
    assert base.exit_code == 1, base.output
    assert "MEDIUM PECR-COOKIES systems/site" in base.output
    repo.edit("map.yaml", "country: GB, role: processor}", "country: GB, role: controller}")
    result = run(["check", "map.yaml", "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.output
    gone = [
        line.strip() for line in result.output.splitlines() if "PECR-COOKIES systems/site" in line
    ]
    assert len(gone) == 1 and gone[0].startswith("FIXED "), result.output
    assert gone[0].endswith(
        "[systems/site is no longer judged by PECR-COOKIES (out of its scope as the map now "
        "reads, or its problem fixed on another element)]"
    ), gone[0]
    assert "now passes" not in result.output
    assert "security and cookies)) without anything else changing" in result.output
