"""The PR gate against the attack review of 2026-12-03w: each problem let a finding vanish, or
a report be written, where a reviewer would not see it. Each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import GateResult, GitRepo, require_tool, run, run_gate
from tests.security.test_gate_attack_v import PARTNER, Folder

AS_OF = "2026-11-25"


def _changes(result: GateResult) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("change to review")]


# --- problem 1: a store released to a controller, its declaration deleted too -------------

DECLARED = "country: GB,\n     categories: [contact], subjects: [clients]}"
FLOWS = PARTNER.split("flows:\n")[1]


def _released(note: str) -> str:
    return (
        "change to review: reclassified:systems/partner-db: systems/partner-db is now "
        "described with owner partner (a controller), no flow writing into it as to a "
        "processor, so no longer the organisation's to account for (at the base flows/upload "
        f"wrote into it as to a processor; flows/upload no longer in the map{note}): it can "
        "clear findings (the store's own: what it holds, its retention, security and source) "
        "without anything else changing"
    )


def test_a_release_that_also_deletes_the_stores_declaration_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """Attack review 2026-12-03w, problem 1: the same edit that deleted the only processor
    flow into Partner Ltd's store deleted its categories: and subjects: lines, and the
    release was skipped as a store "that holds nothing" (HEAD's word). What it held is the
    base's word: the release is reported, and its line says the declaration went with it."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", PARTNER)
    repo.edit("map.yaml", FLOWS, "")
    repo.edit("map.yaml", DECLARED, "country: GB}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        _released("; its categories and subjects deleted in the same change")
        + "; with it goes: MEDIUM GDPR-RETENTION on systems/partner-db (not-recorded)"
    ], result.output
    accepted = repo.gate("--accept-change", result.pinned("reclassified:systems/partner-db"))
    assert accepted.exit_code == 0, accepted.output


def test_a_store_that_declared_nothing_but_was_written_into_is_released_too(
    tmp_path: Path,
) -> None:
    """Problem 1, the review's variant: at the base the store declares nothing and holds what
    the processor flow writes into it (its findings: contents, retention). Deleting the flow
    released it with 0 changes to review; the base's holdings count, so it is a change."""
    require_tool("git")
    text = PARTNER.replace(DECLARED, "country: GB}")
    repo = Folder(tmp_path / "repo", text)
    base = repo.gate()
    assert "HYG-STORE-CONTENTS systems/partner-db" in base.output, base.output
    repo.commit("findings at the base")
    repo.edit("map.yaml", FLOWS, "")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (change,) = _changes(result)
    assert change.startswith(_released("")), result.output


def test_a_store_that_never_held_anything_is_still_no_release(tmp_path: Path) -> None:
    """Problem 1, the limit kept: Partner Ltd a processor at the base, so its spare store (no
    declaration, no flow into or out of it) was the organisation's but held nothing; the
    change makes Partner a controller. The role change is reviewed; the empty store is no
    release (its partner-db stays ours through the processor flow)."""
    require_tool("git")
    spare = "\n  - {id: spare, name: Spare disk, owner: partner, country: GB}\nflows:"
    text = PARTNER.replace("role: controller", "role: processor").replace("\nflows:", spare)
    repo = Folder(tmp_path / "repo", text)
    repo.edit("map.yaml", "role: processor", "role: controller")
    result = repo.gate()
    assert [line.split(":", 2)[1] for line in _changes(result)] == [" reclassified"], result.output
    assert "reclassified:parties/partner: parties/partner" in result.output
    assert "systems/spare" not in "".join(_changes(result))


# --- problem 2: a store filled by itself, or by a store it fills ------------------------

STORES = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK, notice_clauses: [PN-1]}
subjects:
  - {id: applicants, name: Job applicants, party_to_contract: true}
categories:
  - {id: contact, name: Contact details}
purposes:
  - {id: recruitment, name: Reviewing job applications, notice: PN-1}
systems:
  - {id: ats, name: Applicant tracking, owner: acme, country: GB, categories: [contact],
     subjects: [applicants], retention_days: 180, retention_justification: six months,
     encrypted_at_rest: true}
  - {id: archive, name: Applicant archive, owner: acme, country: GB, categories: [contact],
     subjects: [applicants], retention_days: 180, retention_justification: six months,
     encrypted_at_rest: true}
flows:
"""
FLOW = (
    "  - {{id: {id}, from: {source}, to: {target}, categories: [contact], subjects: "
    "[applicants], purpose: recruitment, basis: contract, encrypted_in_transit: true, "
    "notice: PN-1}}\n"
)
CYCLE = FLOW.format(id="archiving", source="ats", target="archive") + FLOW.format(
    id="restoring", source="archive", target="ats"
)
UNFILLED = (
    "data-map/map.yaml:{line}:5 MEDIUM HYG-STORE-SOURCE systems/{store}: {name} holds "
    "categories contact and data about applicants, but no flow brings its data from where it "
    "is collected (flows into it only from stores nothing collects into: {into}; flows read "
    "out of it: {out}): the processing that collects this data is not recorded, so its "
    "purpose and lawful basis are never judged (Art. 5(2), Art. 6(1)) and its record of "
    "processing has none (Art. 30(1)(b)); record the flow that fills it, with its purpose, "
    "basis and notice clause: from: acme where Acme Ltd collects the data from the people "
    "themselves (a form, an email, a call), or from the party that gives it"
)


def _check(folder: Path) -> GateResult:
    return run_gate(["check", str(folder), "--as-of", AS_OF, "--fail-on", "low"])


def test_a_flow_from_a_store_into_itself_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack review 2026-12-03w, problem 2: ``from: ats`` ``to: ats`` filled the store for
    HYG-STORE-SOURCE though it collects nothing. It is refused at its line (exit 2)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data-map"
    folder.mkdir()
    (folder / "map.yaml").write_text(
        STORES + FLOW.format(id="dedupe", source="ats", target="ats"), encoding="utf-8"
    )
    result = _check(Path("data-map"))
    assert result.exit_code == 2, result.output
    assert (
        "data-map/map.yaml:16:29: a flow from store 'ats' back into itself moves no data and "
        "collects none: record the flow that brings the data in (from the party or the "
        "organisation that gives it), or delete this one"
    ) in result.stderr, result.output


def test_two_stores_feeding_each_other_fill_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 2, the cycle: ats -> archive and archive -> ats, with no collection. Each
    store keeps its finding, naming the flow that comes only from a store nothing fills."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data-map"
    folder.mkdir()
    (folder / "map.yaml").write_text(STORES + CYCLE, encoding="utf-8")
    result = _check(Path("data-map"))
    assert result.exit_code == 1, result.output
    found = [line for line in result.stdout.splitlines() if "HYG-STORE-SOURCE" in line]
    assert found == [
        UNFILLED.format(
            line=12, store="archive", name="Applicant archive", into="archiving", out="restoring"
        ),
        UNFILLED.format(
            line=9, store="ats", name="Applicant tracking", into="restoring", out="archiving"
        ),
    ], result.output


def test_a_collection_into_one_store_of_the_cycle_fills_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 2, the other way: once Acme's collection flow fills ats, archive is filled
    through it (a store fed by a sourced store is sourced), and neither has a finding."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data-map"
    folder.mkdir()
    collect = FLOW.format(id="applying", source="acme", target="ats")
    (folder / "map.yaml").write_text(STORES + CYCLE + collect, encoding="utf-8")
    result = _check(Path("data-map"))
    assert "HYG-STORE-SOURCE" not in result.output, result.output


def test_a_cycle_added_at_the_gate_clears_no_finding(tmp_path: Path) -> None:
    """Problem 2 through the gate: the base's two unfilled stores; the pull request adds the
    cycle. Before, both findings went FIXED and the gate passed; now each is found again in
    the cycle's words (the base's wording goes, this one is new) and the gate fails on them."""
    require_tool("git")
    repo = Folder(tmp_path / "repo", STORES.replace("flows:\n", "flows: []\n"))
    repo.edit("map.yaml", "flows: []\n", "flows:\n" + CYCLE)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    for line, store, name, into, out in (
        (12, "archive", "Applicant archive", "archiving", "restoring"),
        (9, "ats", "Applicant tracking", "restoring", "archiving"),
    ):
        new = UNFILLED.format(line=line, store=store, name=name, into=into, out=out)
        assert f"{new} [new]" in result.stdout.splitlines(), result.output
    assert (
        "FAIL: 2 new findings at or above low against HEAD: HYG-STORE-SOURCE systems/archive "
        "(no-source), HYG-STORE-SOURCE systems/ats (no-source); "
    ) in result.output


# --- problem 3: a PECR fix resting on a renamed (or re-keyed) category ------------------

PROMO = """
  - id: promo-emails
    from: shopwave
    to: newsletter-list
    categories: [contact.name, contact.email]
    subjects: [subscribers]
    purpose: newsletter
    basis: legitimate_interests
    channel: post
    opt_out: unsubscribe link and reply address in every email
    agreement: storefront-dpa
    encrypted_in_transit: true
    notice: PN-MARKETING
"""
EMAIL = "{id: contact.email, name: Email address, fides_key: user.contact.email}"
RETENTION = "then consent is asked again."
WAS = (
    "(it said: rests on 'legitimate_interests', but PECR reg. 22(2) requires the individual "
    "subscriber's consent, or the soft opt-in of reg. 22(3), for marketing email (the flow "
    "says `channel: post`, but carries no postal address, only email address "
    "(contact.email): its marketing is taken to be by email))"
)


def _own_change(rests_on: str) -> str:
    return (
        "change to review: fixed-unconfirmed:PECR-MARKETING-CONSENT:flows/promo-emails:"
        "not-consent: high PECR-MARKETING-CONSENT on flows/promo-emails (not-consent) is gone "
        "as fixed, and the change rewords whom or what it is about: its verdict on "
        "flows/promo-emails now rests on a reading of those words, which the map cannot show: "
        f"{rests_on}: confirm that this is true rather than said to clear it {WAS}"
    )


CLAIM = (
    "change to review: claim-changed:systems/newsletter-list: systems/newsletter-list now "
    "claims retention_justification 'Two years after the last opened email, then consent is "
    "asked again (reviewed).' (was 'Two years after the last opened email, then consent is "
    "asked again.'): it can clear findings (retention ones) and the map cannot show it is true"
)


class ShopPromo(GitRepo):
    """``init --example shop`` under data-map/ with an email newsletter to individual
    subscribers on legitimate interests that says ``channel: post`` (a HIGH PECR finding,
    judged as email), committed as the base."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, root / "data-map")
        assert run(["init", str(self.files), "--example", "shop"]).exit_code == 0
        flows = self.files / "flows.yaml"
        flows.write_text(flows.read_text(encoding="utf-8") + PROMO, encoding="utf-8")
        self.git("init", "-q")
        self.commit("base")

    def gate(self) -> GateResult:
        return run_gate(["check", str(self.files), "--as-of", AS_OF, "--base", "HEAD"])


@pytest.fixture
def promo(tmp_path: Path) -> ShopPromo:
    require_tool("git")
    return ShopPromo(tmp_path / "repo")


def test_a_channel_honoured_on_a_renamed_category_is_its_own_change(promo: ShopPromo) -> None:
    """Attack review 2026-12-03w, problem 3: the category renamed "Email and postal address"
    made ``channel: post`` count (by the name's words), and the HIGH finding it cleared was
    folded into a one-word retention_justification claim on the recipient store. The pass
    now says what it takes on trust, so the finding is its own change naming it, and the
    claim's line names nothing it does not clear."""
    assert "HIGH PECR-MARKETING-CONSENT flows/promo-emails" in promo.gate().output
    promo.edit("taxonomy.yaml", "name: Email address,", "name: Email and postal address,")
    promo.edit("systems.yaml", RETENTION, "then consent is asked again (reviewed).")
    result = promo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        _own_change(
            "`channel: post` on promo-emails is honoured only because the words of "
            "contact.email read as postal address (no fides_key says so)"
        ),
        CLAIM,
    ], result.output
    assert (
        "Passed on an ASSUMED fact: `channel: post` on promo-emails is honoured only because "
        "the words of contact.email read as postal address (no fides_key says so): 1 check "
        "(PECR-MARKETING-CONSENT flows/promo-emails)"
    ) in result.output


def test_a_channel_honoured_on_a_rekeyed_category_is_its_own_change(promo: ShopPromo) -> None:
    """Problem 3, the key variation: the category's fides_key changed to a postal address's,
    with the same retention edit. ``_reworded`` compared names only, and the finding was
    folded into the claim; the key now counts, and the finding's own change names it."""
    promo.edit("taxonomy.yaml", EMAIL, EMAIL.replace("user.contact.email", "user.contact.address"))
    promo.edit("systems.yaml", RETENTION, "then consent is asked again (reviewed).")
    result = promo.gate()
    assert result.exit_code == 1, result.output
    assert _changes(result) == [
        _own_change(
            "categories/contact.email now has fides_key 'user.contact.address' (was "
            "'user.contact.email'), which rules read as what the data is (the contact data a "
            "marketing channel reaches, a rule naming a key)"
        ),
        CLAIM,
    ], result.output


def test_a_retention_edit_alone_still_folds_nothing_in(promo: ShopPromo) -> None:
    """Problem 3, the control: the retention edit alone clears no PECR finding, which stays."""
    promo.edit("systems.yaml", RETENTION, "then consent is asked again (reviewed).")
    result = promo.gate()
    assert _changes(result) == [CLAIM], result.output
    assert "FIXED" not in result.output


# --- problem 4: report --out through a committed symlink --------------------------------


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with the shop map and a folder outside it holding a file of the report's
    name; the working folder is the checkout."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    assert run(["init", str(checkout / "data-map"), "--example", "shop"]).exit_code == 0
    victim = tmp_path / "outside"
    victim.mkdir()
    (victim / "report.md").write_text("not the report\n", encoding="utf-8")
    monkeypatch.chdir(checkout)
    return victim


def _report(out: str) -> GateResult:
    return run_gate(["report", "data-map", "--as-of", AS_OF, "--diagram", "none", "--out", out])


def test_report_refuses_an_output_folder_that_is_a_symlink(outside: Path) -> None:
    """Attack review 2026-12-03w, problem 4: ``flowaudit-report`` committed as a symlink made
    the report delete and rewrite files wherever it pointed, with exit 0. Refused, exit 2,
    and the folder it points to is untouched."""
    Path("flowaudit-report").symlink_to(outside)
    result = _report("flowaudit-report")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"flowaudit: cannot write flowaudit-report: it is a symlink (to {outside}), which "
        "could lead the report anywhere; name a real folder\n"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["report.md"]
    assert (outside / "report.md").read_text(encoding="utf-8") == "not the report\n"


def test_report_refuses_an_output_folder_below_a_symlink(outside: Path) -> None:
    """Problem 4, the attacker's variation: ``--out flowaudit-report/pr`` under the linked
    folder (makedirs followed it). A link in the working folder above it is refused too."""
    Path("flowaudit-report").symlink_to(outside)
    result = _report("flowaudit-report/pr")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flowaudit: cannot write flowaudit-report/pr: its folder flowaudit-report is a symlink "
        f"(to {outside}), which could lead the report anywhere; name a real folder\n"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["report.md"]


def test_report_into_a_real_folder_still_writes(outside: Path) -> None:
    """Problem 4, the control: a real folder is written as before (exit 0, its files)."""
    result = _report("flowaudit-report")
    assert result.exit_code == 0, result.output
    assert (Path("flowaudit-report") / "report.md").is_file()


@pytest.mark.parametrize(
    ("argv", "written"),
    [
        (["check", "data-map", "--as-of", AS_OF, "--output", "sarif=out/x.sarif"], "out/x.sarif"),
        (["ropa", "data-map", "--as-of", AS_OF, "--out", "out/ropa.md"], "out/ropa.md"),
        (["rules", "--out", "out/rules.md"], "out/rules.md"),
    ],
)
def test_every_output_file_refuses_a_folder_that_is_a_symlink(
    outside: Path, argv: list[str], written: str
) -> None:
    """Problem 4 carried to every command that writes a file: ``out`` committed as a link
    made ``check --output sarif=out/x.sarif`` (and ``ropa``, ``rules``...) write wherever
    it pointed. Refused at the file, exit 2, the folder it points to untouched."""
    Path("out").symlink_to(outside)
    result = run_gate(argv)
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(
        f"cannot write {written}: its folder out is a symlink (to {outside}), which could "
        "lead the output anywhere; name a real folder\n"
    ), result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["report.md"]


def test_an_output_file_that_is_a_symlink_is_refused(outside: Path) -> None:
    """The file itself committed as a link (``results.sarif`` -> the victim): refused, and
    the file it names is unchanged."""
    Path("results.sarif").symlink_to(outside / "report.md")
    result = run_gate(["check", "data-map", "--as-of", AS_OF, "--output", "sarif=results.sarif"])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(
        f"cannot write results.sarif: it is a symlink (to {outside / 'report.md'}), which "
        "could lead the output anywhere; name a real file\n"
    ), result.stderr
    assert (outside / "report.md").read_text(encoding="utf-8") == "not the report\n"
