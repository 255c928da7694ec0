"""Smaller findings of the reviews of round s2 (auditor, DPO and scenario reviews
2026-12-03s, cited as "review s2" since "s" was taken):

1. auditor review s2, problem 1: an organisation outside the UK on the UK Extension list
   could not say so (`listed_under` refused on the organisation); a UK school's flow into
   it stayed CRITICAL, with advice naming a field that did not exist there; and
   `certifications: [uk_extension]` was accepted and read by nothing.
2. DPO review s2, problem 5: GDPR-REPRESENTATIVE before 2021-01-01 judged a UK map under
   "UK GDPR", in "the UK", citing UK GDPR Art. 27, and refused a representative in Ireland.
3. scen review s2, problem 2: a waiver in its last 30 days failed the run at HIGH.
4. auditor review s2, problem 3: "Legal table used" left out the notice-content rows and
   counted the 28-day subject access pass under the complaints procedure.
5. auditor review s2, problem 4: a top-level key of .flowaudit.toml was "unknown table" at
   line 1.
6. auditor review s2, problem 5: `explain` of a rule of one's own did not say --policies.
7. auditor review s2, problem 6: the diagram called the UK "exporter's jurisdiction" for a
   US organisation drawn in the US cluster.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.diagram import diagram_dot
from flowaudit.reports.html import render_html
from tests.helpers import SHOP_EXAMPLE, audit_folder, audit_paths, run, without_cite_spans

# --- 1. an organisation outside the UK on the UK Extension list (auditor s2, problem 1) ---

#: A US e-learning company judged under UK GDPR, processor for UK schools: the schools'
#: intake is a restricted transfer from the UK into the US, with LearnLoop as importer.
LEARNLOOP = """\
organisation:
  id: learnloop
  name: LearnLoop Inc
  country: US
  regime: UK
  representative: {name: UK Rep Ltd, email: rep@example.invalid, country: GB}
  notice: PN-WHO
  notice_clauses: [PN-WHO, PN-RECIPIENTS]
  dsar_days: 28
  complaints_procedure: true
  processor_record: dpo/art30-2.xlsx
  breach_procedure: {log: breach-log.xlsx, notify_within_hours: 72, notifies_controllers: true}
  # listing
parties:
  - {id: schools, name: Customer schools, kind: school, country: GB, role: controller}
categories:
  - {id: contact, name: Contact details}
  - {id: contact.name, name: Name}
subjects:
  - {id: teachers, name: Teachers, party_to_contract: false}
purposes:
  - {id: teaching, name: Providing the learning platform, notice: PN-RECIPIENTS}
agreements:
  - {id: schools-dpa, kind: art28_dpa, parties: [schools, learnloop], status: signed,
     signed_on: 2025-08-01, categories: [contact], evidence: school terms v3}
flows:
  - id: school-rosters
    from: schools
    to: learnloop
    recipient_role: processor
    categories: [contact.name]
    subjects: [teachers]
    purpose: teaching
    agreement: schools-dpa
    transfer_mechanism: uk_extension
    encrypted_in_transit: true
    notice: PN-RECIPIENTS
"""


def _learnloop(tmp_path: Path, listing: str = "", mechanism: bool = True) -> Path:
    """LearnLoop's map, its organisation's ``# listing`` line replaced by ``listing``."""
    text = LEARNLOOP.replace("  # listing\n", f"  {listing}\n" if listing else "")
    if not mechanism:
        text = text.replace("    transfer_mechanism: uk_extension\n", "")
    folder = tmp_path / "learnloop"
    folder.mkdir(parents=True)
    (folder / "map.yaml").write_text(text, encoding="utf-8")
    return folder


def _transfer(result: AuditResult) -> list[tuple[str, str, str]]:
    return [
        (f.code, f.element[1], f.message) for f in result.findings if f.rule_id == "GDPR-TRANSFER"
    ]


def test_problem_1_an_unlisted_organisation_is_told_to_record_listed_under_on_the_organisation(
    tmp_path: Path,
) -> None:
    """The finding's advice names a field the importer's element has: the organisation."""
    folder = _learnloop(tmp_path)
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assert (
        f"{folder.name}/map.yaml:34:5 CRITICAL GDPR-TRANSFER flows/school-rosters: LearnLoop "
        "Inc (the importer) is not marked as listed under uk_extension: check that the list it "
        "names shows the importer; if it does, record listed_under on the organisation; if "
        "not, rest the transfer on another safeguard"
    ) in result.stdout.splitlines()


def test_problem_1_the_organisations_own_listing_covers_the_transfer_into_it(
    tmp_path: Path,
) -> None:
    """`listed_under: [uk_extension]` on the organisation: the UK Extension named on the flow
    holds (from 2023-10-12, SI 2023/1028), and so does the adequacy for listed importers
    when the flow names no mechanism."""
    listed = _learnloop(tmp_path / "a", "listed_under: [uk_extension]")
    result = audit_folder(listed)
    assert _transfer(result) == []
    assert ("GDPR-TRANSFER", ("flows", "school-rosters")) in {
        (e.rule_id, e.element) for e in result.passed
    }
    # the day before the UK Extension: the listing does not make it valid
    before = audit_folder(listed, date(2023, 10, 11))
    assert [code for code, _, _ in _transfer(before)] == ["mechanism-invalid"]
    bare = audit_folder(_learnloop(tmp_path / "b", "listed_under: [uk_extension]", False))
    assert _transfer(bare) == []
    # without the listing and the mechanism, the adequacy is for listed importers only
    unlisted = audit_folder(_learnloop(tmp_path / "c", "", False))
    assert _transfer(unlisted) == [
        (
            "no-mechanism",
            "school-rosters",
            "transfer from UK to US (LearnLoop Inc) has no adequacy on 2026-11-25 and no "
            "transfer mechanism; US is adequate only for importers listed under uk_extension",
        )
    ]


def test_problem_1_a_listing_in_certifications_is_refused_at_its_line(tmp_path: Path) -> None:
    """`certifications` holds security certifications: a transfer list there was accepted
    and read by nothing; it is now an input error saying where it goes (exit 2)."""
    folder = _learnloop(tmp_path, "certifications: [ISO 27001, uk_extension]")
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{folder.name}/map.yaml:13:31: 'uk_extension' is a self-certification list for "
        "transfers, not a security certification: record it as listed_under: [uk_extension]\n"
        "flowaudit: 1 input problem; nothing was checked\n"
    )


def test_problem_1_the_organisations_listing_is_from_the_closed_list(tmp_path: Path) -> None:
    folder = _learnloop(tmp_path, "listed_under: [uk_extenson]")
    result = run(["validate", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{folder.name}/map.yaml:13:18: unknown listed_under 'uk_extenson' (did you mean "
        "'uk_extension'?)"
    )


def test_problem_1_the_json_schema_offers_listed_under_on_the_organisation() -> None:
    schema = json.loads(run(["schema"]).stdout)
    organisation = schema["$defs"]["Organisation"]["properties"]
    assert organisation["listed_under"]["examples"] == [["uk_extension"]]
    assert "record it as listed_under" in organisation["certifications"]["description"]


# --- 2. the representative before 2021 (DPO review s2, problem 5) -------------------------


def _shop_in_us(tmp_path: Path, representative: str = "") -> Path:
    folder = tmp_path / "shop"
    shutil.copytree(SHOP_EXAMPLE, folder)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8").replace("  country: GB\n", "  country: US\n")
    if representative:
        text = text.replace("  notice: PN-WHO\n", f"  notice: PN-WHO\n  {representative}\n")
    organisation.write_text(text, encoding="utf-8")
    return folder


def _representative(result: AuditResult) -> list[str]:
    return [f.message for f in result.findings if f.rule_id == "GDPR-REPRESENTATIVE"]


def test_dpo_problem_5_before_2021_the_representative_is_the_gdprs_in_the_union(
    tmp_path: Path,
) -> None:
    """In 2019 a UK map is judged under the GDPR (the UK a member state): the duty, its
    citation and its territory are the GDPR's; from 2021-01-01, UK GDPR's and the UK."""
    folder = _shop_in_us(tmp_path)
    assert _representative(audit_folder(folder, date(2019, 6, 1))) == [
        "Shopwave Ltd is established in US, outside the EU, yet is judged under GDPR, which "
        "binds it where it offers goods or services to, or monitors, people in the EU (GDPR "
        "Art. 3(2)): it must designate in writing a representative in the EU (GDPR Art. "
        "27(1)), unless its processing is occasional, excludes large-scale special category "
        "and criminal offence data and is unlikely to result in a risk (GDPR Art. 27(2)(a)); "
        "none is recorded"
    ]
    unconfirmed = [
        f.unconfirmed
        for f in audit_folder(folder, date(2019, 6, 1)).findings
        if f.rule_id == "GDPR-REPRESENTATIVE"
    ]
    assert unconfirmed == [("representative (GDPR Art. 27(1)-(2))",)]
    assert _representative(audit_folder(folder, date(2021, 1, 1))) == [
        "Shopwave Ltd is established in US, outside the UK, yet is judged under UK GDPR, "
        "which binds it where it offers goods or services to, or monitors, people in the UK "
        "(UK GDPR Art. 3(2)): it must designate in writing a representative in the UK (UK GDPR "
        "Art. 27(1)), unless its processing is occasional, excludes large-scale special "
        "category and criminal offence data and is unlikely to result in a risk (UK GDPR Art. "
        "27(2)(a)); none is recorded"
    ]


def test_dpo_problem_5_an_irish_representative_serves_in_2019_not_in_2021(tmp_path: Path) -> None:
    """The reviewer's s10: a representative in IE was refused in 2019 ("asks one established
    in the UK"); it is one in the Union then, and no longer one in the UK from 2021."""
    folder = _shop_in_us(
        tmp_path, "representative: {name: RepCo Ireland Ltd, email: rep@repco.example, country: IE}"
    )
    early = audit_folder(folder, date(2019, 6, 1))
    assert _representative(early) == []
    assert ("GDPR-REPRESENTATIVE", ("organisation", "shopwave")) in {
        (e.rule_id, e.element) for e in early.passed
    }
    assert _representative(audit_folder(folder, date(2021, 1, 1))) == [
        "Shopwave Ltd is established in US, outside the UK; its representative RepCo Ireland "
        "Ltd is established in IE: Art. 27(3) asks one established in the UK"
    ]


def test_dpo_problem_5_a_uk_organisation_in_2019_was_established_in_the_union() -> None:
    """The shop in GB in 2019: established in the Union, no representative asked."""
    result = audit_folder(SHOP_EXAMPLE, date(2019, 6, 1))
    assert _representative(result) == []
    assert "GDPR-REPRESENTATIVE" not in {e.rule_id for e in result.passed}


# --- 3. a waiver in its last days (scen review s2, problem 2) -----------------------------

WAIVER = """\
waivers:
  - {id: w1, rule: GDPR-RETENTION, element: systems/support-mailbox, owner: Priya Shah,
     justification: retention schedule being drafted, approved_on: 2026-01-10,
     expires_on: 2026-11-24}
"""


def _waived_shop(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    shutil.copytree(SHOP_EXAMPLE, folder)
    systems = folder / "systems.yaml"
    text = systems.read_text(encoding="utf-8")
    kept = (
        "    retention_days: 730\n"
        "    retention_justification: Two years after the last message, for complaints and "
        "claims.\n"
    )
    assert kept in text
    systems.write_text(text.replace(kept, ""), encoding="utf-8")
    (folder / "waivers.yaml").write_text(WAIVER, encoding="utf-8")
    return folder


def test_scen_problem_2_a_waiver_still_in_force_is_an_info_reminder(tmp_path: Path) -> None:
    """On its last day the waiver covers the MEDIUM it accepts: HYG-WAIVER reminds at INFO
    and the run passes; the day after, the waiver is HIGH `expired` and the MEDIUM is back."""
    folder = _waived_shop(tmp_path)
    last_day = run(["check", str(folder), "--as-of", "2026-11-24"])
    assert last_day.exit_code == 0
    assert last_day.stdout.replace(f"{folder.name}/", "").splitlines()[:2] == [
        "systems.yaml:28:5 MEDIUM GDPR-RETENTION systems/support-mailbox: retention is not "
        "recorded; personal data may be kept no longer than necessary (Art. 5(1)(e)) [waived "
        "until 2026-11-24 by Priya Shah: w1]",
        "waivers.yaml:4:6 INFO HYG-WAIVER waivers/w1: waiver expires on 2026-11-24",
    ]
    assert (
        "Shopwave Ltd as of 2026-11-24: 1 finding (0 critical, 0 high, 0 medium, 0 low, 1 info), "
        "1 waived;"
    ) in last_day.stdout
    after = audit_folder(folder, date(2026, 11, 25))
    assert [(f.rule_id, f.code, f.severity) for f in after.findings] == [
        ("HYG-WAIVER", "expired", Severity.HIGH),
        ("GDPR-RETENTION", "not-recorded", Severity.MEDIUM),
    ]


# --- 4. "Legal table used" (auditor review s2, problem 3) ----------------------------------


def _duty_rows(html: str) -> dict[str, tuple[str, str]]:
    """The "Duties and other rows" table: row id to (source, relied on by)."""
    import re

    section = html.split('<h2 id="legal">', 1)[1].split('<h2 id="signoff">', 1)[0]
    table = section.split("<h3>Duties and other rows", 1)[1]
    found = re.findall(
        r"<tr><td[^>]*>(.+?)</td><td>.*?</td><td>.*?</td><td>(.*?)</td><td>(.*?)</td>", table
    )
    return {re.sub(r"<[^>]+>", "", row).strip(): (source, by) for row, by, source in found}


def test_auditor_problem_3_notice_items_and_the_subject_access_row_are_listed() -> None:
    """Concero: each of the six notice-content findings is counted under its Art. 13 row,
    and CONCERO-DSAR's 28-day pass under the subject access deadline, not the complaints
    procedure, whose row keeps GDPR-RIGHTS's one finding alone."""
    result = audit_paths([], date(2026, 11, 25))
    rows = _duty_rows(without_cite_spans(render_html(result, Severity.LOW)))
    assert rows["complaints_procedure"][1] == "1 finding"
    assert rows["gdpr-subject-access-one-month"] == ("UK GDPR Art. 12(3)", "1 pass")
    notice = {row: by for row, by in rows.items() if row.startswith("notice_content.")}
    assert notice == {
        "notice_content.purposes_and_bases": ("UK GDPR Art. 13(1)(c)", "1 finding"),
        "notice_content.legitimate_interests": ("UK GDPR Art. 13(1)(d)", "1 finding"),
        "notice_content.transfer_safeguards": ("UK GDPR Art. 13(1)(f)", "1 finding"),
        "notice_content.retention": ("UK GDPR Art. 13(2)(a)", "1 finding"),
        "notice_content.rights": ("UK GDPR Art. 13(2)(b)", "1 finding"),
        "notice_content.withdraw_consent": ("UK GDPR Art. 13(2)(c)", "1 finding"),
    }


def test_auditor_problem_3_a_notice_pass_counts_on_each_item_it_judged() -> None:
    """The shop gives every item: the notice rule's pass is counted on each item asked of it
    (the transfer safeguards too: its storefront is in the US), with both rights rows."""
    rows = _duty_rows(render_html(audit_folder(SHOP_EXAMPLE), Severity.LOW))
    notice = {row: by for row, by in rows.items() if row.startswith("notice_content.")}
    assert set(notice) == {
        "notice_content.controller_identity",
        "notice_content.purposes_and_bases",
        "notice_content.recipients",
        "notice_content.transfer_safeguards",
        "notice_content.retention",
        "notice_content.rights",
        "notice_content.withdraw_consent",
        "notice_content.complaint",
        "notice_content.statutory_or_contractual",
        "notice_content.categories_obtained",
        "notice_content.source_of_data",
    }
    assert {by for _, by in notice.values()} == {"1 pass"}
    assert rows["complaints_procedure"][1] == "1 pass"
    assert rows["gdpr-subject-access-one-month"][1] == "1 pass"


# --- 5. .flowaudit.toml keys outside [check] (auditor review s2, problem 4) ---------------


def test_auditor_problem_4_a_top_level_setting_is_a_key_at_its_own_line(tmp_path: Path) -> None:
    config = tmp_path / "gate.toml"
    config.write_text(
        '# the gate\nrequire_policies = ["uk-gdpr"]\nfail_on = "low"\nfoo = 1\n[chek]\nx = 1\n',
        encoding="utf-8",
    )
    result = run(["check", "--config", str(config), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    where = str(config)
    assert result.stderr.splitlines()[:4] == [
        f"{where}:2:1: unknown key 'require_policies' (put it under [check])",
        f"{where}:3:1: unknown key 'fail_on' (put it under [check])",
        f"{where}:4:1: unknown key 'foo' (settings, under [check]: require_policies, fail_on)",
        f"{where}:5:1: unknown table 'chek'; use [check]",
    ]


# --- 6. explain a rule of one's own (auditor review s2, problem 5) ------------------------


def test_auditor_problem_5_explain_says_a_rule_of_ones_own_needs_policies() -> None:
    result = run(["explain", "LL-NO-PUPILS-TO-MARKETING"])
    assert result.exit_code == 2
    assert result.stderr == (
        "flowaudit: no rule LL-NO-PUPILS-TO-MARKETING: no shipped rule has this id, and no "
        "--policies was given: a rule of your own needs the folder that holds its policy, "
        "--policies DIR\n"
    )
    # a misspelt shipped rule is still offered its spelling
    typo = run(["explain", "GDPR-TRANSFR"])
    assert typo.stderr == (
        "flowaudit: no rule GDPR-TRANSFR (did you mean 'GDPR-TRANSFER'?); see `flowaudit rules`\n"
    )


# --- 7. the diagram of an organisation outside its law's territory (auditor s2, 6) --------


def test_auditor_problem_6_clusters_say_whose_territory_they_are(tmp_path: Path) -> None:
    """LearnLoop (US, judged under UK GDPR): the UK cluster is the territory of the law
    applied, not the exporter's jurisdiction, and the US one is the organisation's country."""
    dot = diagram_dot(audit_folder(_learnloop(tmp_path, "listed_under: [uk_extension]")))
    assert (
        'label="United Kingdom (UK GDPR, DPA 2018, DUAA 2025)\\nterritory of the law applied; '
        'the organisation is established outside it"'
    ) in dot
    assert (
        "label=\"United States (US), the organisation's country\\nadequate for listed importers "
        'only"'
    ) in dot
    assert "exporter's jurisdiction" not in dot
    # a UK organisation's own cluster keeps its name
    shop = diagram_dot(audit_folder(SHOP_EXAMPLE))
    assert "exporter's jurisdiction" in shop
    assert "the organisation's country" not in shop
