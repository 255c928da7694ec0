"""The PR gate against the attack review of 2026-12-03v: each problem let a finding vanish
without a reviewer seeing it. Each test through a real git base; each failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import GateResult, GitRepo, require_tool, run_gate
from tests.security.test_gate_attack_u import ADS_EXPORT, Shop

AS_OF = "2026-11-25"


class Folder(GitRepo):
    """A one-file map under data-map/, committed as the base."""

    def __init__(self, root: Path, text: str) -> None:
        super().__init__(root, root / "data-map")
        self.files.mkdir(parents=True)
        (self.files / "map.yaml").write_text(text, encoding="utf-8")
        self.git("init", "-q")
        self.commit("base")

    def gate(self, *extra: str) -> GateResult:
        return run_gate(
            [
                "check",
                str(self.files),
                "--as-of",
                AS_OF,
                "--fail-on",
                "low",
                "--base",
                "HEAD",
                *extra,
            ]
        )


def _changes(result: GateResult) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("change to review")]


# --- problem 1: a store with two groups of people, one flow deleted ---------------------

TWO_SOURCES = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice_clauses: [PN-1]}
subjects:
  - {id: applicants, name: Job applicants, party_to_contract: true}
  - {id: referees, name: Referees, party_to_contract: true}
categories:
  - {id: contact, name: Contact details}
  - {id: references, name: References}
purposes:
  - {id: recruitment, name: Reviewing job applications, notice: PN-1}
systems:
  - {id: ats, name: Applicant tracking, owner: acme, country: GB,
     categories: [contact, references], subjects: [applicants, referees],
     retention_days: 180, retention_justification: six months, encrypted_at_rest: true}
flows:
  - {id: applications, from: acme, to: ats, categories: [contact], subjects: [applicants],
     purpose: recruitment, basis: contract, encrypted_in_transit: true, notice: PN-1}
  - {id: references-in, from: acme, to: ats, categories: [references], subjects: [referees],
     purpose: recruitment, basis: contract, encrypted_in_transit: true, notice: PN-1}
"""
REFERENCES_IN = "".join(TWO_SOURCES.splitlines(keepends=True)[-2:])


@pytest.fixture
def two_sources(tmp_path: Path) -> Folder:
    require_tool("git")
    return Folder(tmp_path / "repo", TWO_SOURCES)


def test_deleting_one_of_two_flows_into_a_store_is_a_new_finding(two_sources: Folder) -> None:
    """Attack review 2026-12-03v, problem 1: the store still declares referees and their
    references, whose only flow the change deleted; the remaining flow satisfied
    HYG-STORE-SOURCE and the gate passed. Now one finding on the store names what no flow
    brings, and it is new."""
    assert two_sources.gate().exit_code == 0
    two_sources.edit("map.yaml", REFERENCES_IN, "")
    result = two_sources.gate()
    assert result.exit_code == 1, result.output
    assert (
        "data-map/map.yaml:12:41 MEDIUM HYG-STORE-SOURCE systems/ats: Applicant tracking holds "
        "data about referees and categories references, but no flow that writes into it brings "
        "them (flows into it: applications): the processing that collects this data is not "
        "recorded, so its purpose and lawful basis are never judged (Art. 5(2), Art. 6(1)) and "
        "its record of processing has none (Art. 30(1)(b)); record the flow that fills it, "
        "with its purpose, basis and notice clause: from: acme where Acme Ltd collects the data "
        "from the people themselves (a form, an email, a call), or from the party that gives "
        "it [new]"
    ) in result.output
    assert (
        "FAIL: 1 new finding at or above low against HEAD: HYG-STORE-SOURCE systems/ats "
        "(part-sourced)." in result.output
    )


# --- problem 1b: a controller's store ours only through a flow's recipient_role ---------

PARTNER = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice_clauses: [PN-1]}
parties:
  - {id: partner, name: Partner Ltd, kind: insurer, country: GB, role: controller}
subjects:
  - {id: clients, name: Clients, party_to_contract: true}
categories:
  - {id: contact, name: Contact details}
purposes:
  - {id: claims, name: Handling claims, notice: PN-1}
systems:
  - {id: partner-db, name: Partner claims database, owner: partner, country: GB,
     categories: [contact], subjects: [clients]}
flows:
  - {id: upload, from: acme, to: partner-db, categories: [contact], subjects: [clients],
     purpose: claims, basis: contract, recipient_role: processor, encrypted_in_transit: true,
     notice: PN-1}
"""
RELEASED = (
    "change to review: reclassified:systems/partner-db: systems/partner-db is now described "
    "with owner partner (a controller), no flow writing into it as to a processor, so no "
    "longer the organisation's to account for (at the base flows/upload wrote into it as to "
    "a processor; flows/upload no longer in the map): it can clear findings (the store's "
    "own: what it holds, its retention, security and source) without anything else changing"
)


def test_deleting_the_flow_that_made_a_store_a_processors_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03v, problem 1b: the store is Partner Ltd's (a controller), and
    the organisation's to account for only because its one flow says recipient_role:
    processor. Deleting the flow took the store out of every store rule, and nothing was
    reported. The store's release is a change to review, with the store's findings it
    clears written into its line; accepted, the gate passes."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", PARTNER)
    assert repo.gate().exit_code == 0
    repo.edit("map.yaml", PARTNER.split("flows:\n")[1], "")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [RELEASED], result.output
    accepted = repo.gate("--accept-change", result.pinned("reclassified:systems/partner-db"))
    assert accepted.exit_code == 0, accepted.output


def test_a_store_that_stays_ours_is_no_release(tmp_path: Path) -> None:
    """Problem 1b, the other way: the owner a processor by its own role, the flow deleted,
    the store stays the organisation's (and has no source: a new finding, no release). The
    HIGH on the deleted flow is to confirm: the processor's store still declares the data it
    carried (attack review s9, problem 1)."""
    require_tool("git")
    text = PARTNER.replace("role: controller", "role: processor")
    repo = Folder(tmp_path / "repo", text)
    repo.edit("map.yaml", text.split("flows:\n")[1], "")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert [c.split(": ")[1] for c in _changes(result)] == [
        "removed-unconfirmed:GDPR-AGREEMENT:flows/upload:missing"
    ]
    assert "HYG-STORE-SOURCE systems/partner-db: Partner claims database holds" in result.output


# --- problem 2: a flow moved into an ignored file that does not parse -------------------


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    require_tool("git")
    return Shop(tmp_path / "repo")


def test_a_flow_moved_into_an_ignored_file_that_does_not_parse_is_graded(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack review 2026-12-03v, problem 2: the flow moved into .schema/ads.yaml, which is
    not valid YAML: the map-file-ignored change said "what it holds is not known" and was
    graded as clearing nothing, so it came after routine claims and out of the summaries'
    cut. It now names the base's findings gone with their elements, which it may hold, is
    graded by the gravest, and fails the gate until accepted."""
    shop.edit("flows.yaml", "\n" + ADS_EXPORT, "")
    broken = shop.files / ".schema" / "ads.yaml"
    broken.write_text("flows:\n" + ADS_EXPORT + "  - [unclosed\n", encoding="utf-8")
    result = shop.gate("--format", "json")
    assert result.exit_code == 1, result.output
    (change,) = json.loads(result.stdout)["review"]
    assert change["detail"] == (
        "data-map/.schema/ads.yaml is new since HEAD, and .flowauditignore keeps it out of "
        "the audit: nothing in it is checked; it cannot be read as a map file, so what it "
        "holds is not known; it may hold what the change took out of the map, and with it may "
        "go: CRITICAL GDPR-TRANSFER on flows/ads-export (no-mechanism), HIGH GDPR-AGREEMENT on "
        "flows/ads-export (missing)"
    )
    assert change["accepted"] is False
    # graded by the critical finding it may take: kept in a Markdown summary that has room
    # for no routine change (before, it was cut as clearing nothing)
    monkeypatch.setattr("flowaudit.reports.markdown.MAX_ROUTINE_CHANGES", 0)
    summary = shop.gate("--format", "markdown")
    assert "| map-file-ignored:data-map/.schema/ads.yaml" in summary.stdout, summary.stdout
    assert "none clearing a high or critical finding" not in summary.stdout
    accepted = shop.gate(
        "--accept-change", result.pinned("map-file-ignored:data-map/.schema/ads.yaml")
    )
    assert accepted.exit_code == 0, accepted.output


def test_a_flow_moved_under_a_misspelt_key_of_an_ignored_file_is_graded(shop: Shop) -> None:
    """Problem 2, the attacker's variation: valid YAML, the flow under ``flowz:``, a key no
    map file may have. The file "held no element" and the change was graded as hiding
    nothing; a file the loader would refuse is read as one that cannot be read."""
    shop.edit("flows.yaml", "\n" + ADS_EXPORT, "")
    (shop.files / ".schema" / "ads.yaml").write_text("flowz:\n" + ADS_EXPORT, encoding="utf-8")
    result = shop.gate()
    assert result.exit_code == 1, result.output
    assert (
        "it cannot be read as a map file, so what it holds is not known; it may hold what the "
        "change took out of the map, and with it may go: CRITICAL GDPR-TRANSFER on "
        "flows/ads-export (no-mechanism), HIGH GDPR-AGREEMENT on flows/ads-export (missing)\n"
    ) in result.stdout


# --- problem 3: a subject renamed to read as an LLP -------------------------------------

TRADE = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice_clauses: [PN-1]}
parties:
  - {id: mailer, name: Mailer Ltd, kind: email_provider, country: GB, role: processor}
subjects:
  - {id: trade-buyers, name: Sole traders who buy wholesale}
categories:
  - {id: contact, name: Contact details}
purposes:
  - {id: offers, name: Trade offers, is_a: [marketing], notice: PN-1}
assessments:
  - {id: lia-trade, kind: legitimate_interests, completed_on: 2025-01-01, evidence: lia.pdf,
     purposes: [offers]}
agreements:
  - {id: mailer-dpa, kind: art28_dpa, parties: [acme, mailer], status: signed,
     signed_on: 2024-01-01, categories: [contact], evidence: dpa.pdf}
flows:
  - {id: trade-offers, from: acme, to: mailer, categories: [contact], subjects: [trade-buyers],
     purpose: offers, basis: legitimate_interests, assessment: lia-trade, agreement: mailer-dpa,
     opt_out: unsubscribe link, encrypted_in_transit: true, notice: PN-1}
"""


def test_a_subject_renamed_as_an_llp_is_never_folded_into_a_claim_on_the_flows_end(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03v, problem 3: renaming "Sole traders" to "Partners LLP" reads
    the subject as corporate subscribers and clears the HIGH PECR finding; a claim on the
    flow's end (the mailer now an approved supplier) took it into its own line, "with it
    goes", where a reviewer accepting the claim read it as the claim's doing. It is now a
    change of its own, saying the pass rests on the reading, whatever else names the flow."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", TRADE)
    base = repo.gate()
    assert "HIGH PECR-MARKETING-CONSENT flows/trade-offers" in base.output, base.output
    repo.edit("map.yaml", "name: Sole traders who buy wholesale", "name: Partners LLP")
    repo.edit("map.yaml", "role: processor}", "role: processor, approved_supplier: true}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    lines = _changes(result)
    assert len(lines) == 2, result.output
    assert lines[0].startswith(
        "change to review: fixed-unconfirmed:PECR-MARKETING-CONSENT:flows/trade-offers:"
        "not-consent: high PECR-MARKETING-CONSENT on flows/trade-offers (not-consent) is gone "
        "as fixed, and the change rewords whom or what it is about: its verdict on "
        "flows/trade-offers now rests on a reading of those words, which the map cannot "
        "show: corporate subscribers on trade-offers, outside PECR reg. 22 (PECR reg. 2(1): "
        "a limited liability partnership, a partnership in Scotland, any body corporate): "
        "'trade-buyers' (Partners LLP) by the words 'llp' in its name; record `subscriber` on "
        "the subject: confirm that this is true rather than said to clear it (it said: "
    ), lines[0]
    assert lines[1] == (
        "change to review: claim-changed:parties/mailer: parties/mailer now claims "
        "approved_supplier true (was unsaid): it can clear findings and the map cannot show it "
        "is true"
    )
    claim = result.pinned("claim-changed:parties/mailer")
    assert repo.gate("--accept-change", claim).exit_code == 1


def test_a_flow_repointed_at_a_new_subject_read_as_an_llp_stands_alone(tmp_path: Path) -> None:
    """Problem 3, the attacker's variation: a new subject "Partners LLP" and the flow
    re-pointed at it, beside a TLS claim on the flow itself: still a change of its own."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", TRADE.replace(", encrypted_in_transit: true", ""))
    repo.edit(
        "map.yaml",
        "subjects:\n",
        "subjects:\n  - {id: partners, name: Partners LLP}\n",
    )
    repo.edit("map.yaml", "subjects: [trade-buyers]", "subjects: [partners]")
    repo.edit(
        "map.yaml",
        "opt_out: unsubscribe link,",
        "opt_out: unsubscribe link, encrypted_in_transit: true,",
    )
    result = repo.gate()
    assert result.exit_code == 1, result.output
    lines = _changes(result)
    assert lines[0].startswith(
        "change to review: fixed-unconfirmed:PECR-MARKETING-CONSENT:flows/trade-offers:"
        "not-consent: "
    ), result.output
    assert "'partners' (Partners LLP) by the words 'llp' in its id" in lines[0] or (
        "'partners' (Partners LLP) by the words 'llp' in its name" in lines[0]
    )
    assert not any("with it goes" in line for line in lines), lines


def test_a_subject_recorded_corporate_says_what_it_clears(tmp_path: Path) -> None:
    """Problem 3, the variation with no reading: `subscriber: corporate` recorded on the
    subject is a reclassification; the PECR finding of the flow about them went only into
    the claim on the flow's end (the subject's line said nothing of it). It is now written
    into the subject's reclassification too (and still into the claim, which a reviewer
    reads beside it)."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", TRADE)
    repo.edit(
        "map.yaml",
        "name: Sole traders who buy wholesale}",
        "name: Sole traders who buy wholesale, subscriber: corporate}",
    )
    repo.edit("map.yaml", "role: processor}", "role: processor, approved_supplier: true}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    goes = "; with it goes: HIGH PECR-MARKETING-CONSENT on flows/trade-offers (not-consent)"
    assert [line for line in _changes(result) if "reclassified" in line] == [
        "change to review: reclassified:subjects/trade-buyers: subjects/trade-buyers is now "
        "described with subscriber 'corporate' (was unsaid): it can clear findings (marketing "
        f"consent ones) without anything else changing{goes}"
    ], result.output


def test_a_subject_renamed_out_of_a_rules_reading_is_never_folded_into_a_claim(
    tmp_path: Path,
) -> None:
    """Problem 3, the attacker's second variation: "Sole traders" renamed "Wholesale buyers",
    words that say neither kind of subscriber: PECR-MARKETING-CONSENT no longer judges the
    flow (a warning asks for `subscriber`), with no pass to carry a reading, and the finding
    went into the claim on the flow's end. It is a change of its own too."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", TRADE)
    repo.edit("map.yaml", "name: Sole traders who buy wholesale", "name: Wholesale buyers")
    repo.edit("map.yaml", "role: processor}", "role: processor, approved_supplier: true}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    lines = _changes(result)
    assert lines[0].startswith(
        "change to review: fixed-unconfirmed:PECR-MARKETING-CONSENT:flows/trade-offers:"
        "not-consent: high PECR-MARKETING-CONSENT on flows/trade-offers (not-consent) is gone "
        "as fixed, and the change rewords whom or what it is about: its verdict on "
        "flows/trade-offers now rests on a reading of those words, which the map cannot show: "
        "PECR-MARKETING-CONSENT no longer judges flows/trade-offers, whose scope it may read "
        "from the words of whom or what it carries: confirm that this is true rather than "
        "said to clear it (it said: "
    ), result.output
    assert not any("with it goes" in line for line in lines), lines
