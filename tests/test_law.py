"""``flowaudit law`` and the unconfirmed marks: what a verdict relied on, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowaudit.policies.legal import load_legal_table
from tests.helpers import FIXTURES, audit_files, hits, run, without_cite_spans

BRAZIL = FIXTURES / "law" / "eu-brazil.yaml"
MARK = "eu-brazil (Commission Implementing Decision (EU) 2026/179)"


def test_law_prints_the_uk_inside_the_eu_during_the_transition() -> None:
    result = run(["law", "--as-of", "2020-06-01", "--regime", "UK"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Law in force on 2020-06-01 for UK exporters and controllers"
    assert lines[1].startswith("Period uk-transition: transition period;")
    assert lines[1].endswith(
        "UK exporters follow the EU table (Withdrawal Agreement Art. 3(1)(b) (Gibraltar), "
        "Art. 126-127)"
    )
    # Gibraltar was under EU law with the UK until 2020-12-31 (DPO review 2026-12-02i, 2)
    assert {"GB", "GI"} <= set(lines[2].split(": ", 1)[1].split(", "))
    # Japan's adequacy covers APPI business operators only, read from Decision 2019/419
    # Art. 1(1) (UNCONFIRMED: not in FACTS.md; lawyer review s18)
    assert (
        "  eu-jp [UNCONFIRMED]: JP (only to a personal information handling business operator "
        "subject to the Act on the Protection of Personal Information, bound by the "
        "Supplementary Rules for data from the EU (not a public body or other public-sector "
        "entity): a pass takes it on trust) [from 2019-01-23]"
    ) in lines
    assert not any(line.startswith("  idta") for line in lines)  # the IDTA starts in 2022


def test_law_for_the_eu_marks_unconfirmed_rows_and_cites_sources() -> None:
    result = run(["law", "--as-of", "2026-11-25", "--regime", "EU"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "  eu-uk-renewal [UNCONFIRMED]: GB [from 2025-12-28 until 2031-12-27]" in lines
    assert "  eu-kr: KR [from 2021-12-17]" in lines
    assert not any("idta" in line for line in lines)  # UK-only
    assert not any("cookie" in line for line in lines)  # PECR is UK law
    sources = [line for line in lines if line.startswith("      source: ")]
    rows = [line for line in lines if line.startswith("  ") and not line.startswith("    ")]
    assert len(sources) == len(rows) > 20


def test_law_json_lists_the_rows_in_force() -> None:
    result = run(["law", "--as-of", "2021-03-01", "--regime", "EU", "--format", "json"])
    assert result.exit_code == 0
    law = json.loads(result.output)
    assert law["follows"] == "EU" and law["period"] is None
    adequacy = {row["id"]: row for row in law["sections"]["adequacy"]}
    assert "eu-jp" in adequacy and "eu-uk" not in adequacy
    # the TCA bridge is no adequacy but no restricted transfer (law review 2026-12-03y, 5)
    assert "eu-uk-tca-bridge" not in adequacy
    bridge = {row["id"]: row for row in law["sections"]["not_transfers"]}["eu-uk-tca-bridge"]
    assert bridge["url"].startswith("https://eur-lex.europa.eu/")


def test_law_rejects_a_bad_date_with_exit_2() -> None:
    result = run(["law", "--as-of", "2020-13-01"])
    assert result.exit_code == 2


def test_a_finding_relying_on_an_unconfirmed_row_says_so() -> None:
    result = audit_files(BRAZIL, as_of="2026-01-25", base=False)
    assert hits(result, "GDPR-TRANSFER") == [("GDPR-TRANSFER", "to-br", "no-mechanism", 9)]
    finding = next(f for f in result.findings if f.rule_id == "GDPR-TRANSFER")
    assert finding.unconfirmed == (MARK,)
    assert hits(audit_files(BRAZIL, as_of="2026-01-26", base=False), "GDPR-TRANSFER") == []


def test_unconfirmed_marks_reach_text_json_and_sarif(tmp_path: Path) -> None:
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "sarif")}
    args = ["check", str(BRAZIL), "--as-of", "2026-01-25", "--format", "text"]
    for fmt, path in outputs.items():
        args += ["--output", f"{fmt}={path}"]
    result = run(args)
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "GDPR-TRANSFER" in x)
    assert line.endswith(f"[relies on UNCONFIRMED legal rows: {MARK}]")
    document = json.loads(outputs["json"].read_text(encoding="utf-8"))
    finding = next(f for f in document["findings"] if f["rule_id"] == "GDPR-TRANSFER")
    assert finding["unconfirmed"] == [MARK]
    sarif = json.loads(outputs["sarif"].read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    marked = [r for r in results if r["ruleId"] == "GDPR-TRANSFER"]
    assert marked[0]["properties"]["unconfirmed"] == [MARK]
    # findings that rely on no unconfirmed row carry no mark
    assert all(
        "unconfirmed" not in r["properties"] for r in results if r["ruleId"] != "GDPR-TRANSFER"
    )


EU_ORG = FIXTURES / "law" / "eu-org.yaml"


# the rules this fixture is about (agreements, notice content and the complaints procedure,
# whose regime scoping is issue 12's, are left to their own tests)
JUDGED = {"GDPR-TRANSFER", "GDPR-BASIS", "PECR-COOKIES", "GDPR-ART10", "GDPR-BREACH"}


def _eu(as_of: str) -> list[tuple[str, str, str]]:
    result = audit_files(EU_ORG, as_of=as_of, base=False)
    return sorted((f.rule_id, f.element[1], f.code) for f in result.findings if f.rule_id in JUDGED)


def test_an_eu_organisation_gets_the_eus_table_and_no_uk_only_duty() -> None:
    assert _eu("2026-11-25") == [
        ("GDPR-BASIS", "staff", "contract-not-party"),  # Art. 6(1)(b) in every regime
        ("GDPR-BASIS", "to-gb", "not-available"),  # Art. 6(1)(ea) is UK law
        ("GDPR-TRANSFER", "to-in-idta", "wrong-exporter"),  # the IDTA is a UK instrument
        ("GDPR-TRANSFER", "to-us-ext", "no-mechanism"),  # the UK Extension is not the DPF
        # PECR is UK law and EU ePrivacy law is not modelled: said (info), never a pass
        ("PECR-COOKIES", "website", "not-judged"),
    ]


def test_an_eu_organisations_past_audit_uses_the_decisions_of_that_day() -> None:
    before = _eu("2019-01-22")
    assert ("GDPR-TRANSFER", "to-jp", "no-mechanism") in before  # Japan: from 2019-01-23
    assert ("GDPR-TRANSFER", "to-jp", "no-mechanism") not in _eu("2019-01-23")
    assert ("GDPR-TRANSFER", "to-us-dpf", "no-mechanism") in _eu("2023-07-09")
    assert ("GDPR-TRANSFER", "to-us-dpf", "no-mechanism") not in _eu("2023-07-10")
    # the UK was inside the EU, then behind the TCA bridge, then adequate: never a finding
    for day in ("2019-06-01", "2020-12-31", "2021-01-01", "2021-06-27", "2021-06-28"):
        assert not [f for f in _eu(day) if f[1] == "to-gb" and f[0] == "GDPR-TRANSFER"], day


def test_html_report_shows_the_period_and_the_unconfirmed_rows(tmp_path: Path) -> None:
    out = tmp_path / "report"
    run(["report", str(BRAZIL), "--as-of", "2026-01-25", "--out", str(out)])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        f'<span class="unconfirmed">UNCONFIRMED</span> <span class="muted">relies on: {MARK}'
        in html
    )
    concero = tmp_path / "concero"
    run(["report", "--as-of", "2020-06-01", "--out", str(concero)])
    html = (concero / "report.html").read_text(encoding="utf-8")
    assert 'the UK was in the period <span class="mono">uk-transition</span>' in html


def test_a_pass_relying_on_an_unconfirmed_row_says_so_too(tmp_path: Path) -> None:
    result = audit_files(BRAZIL, as_of="2026-01-26", base=False)
    evidence = [e for e in result.passed if e.rule_id == "GDPR-TRANSFER"]
    assert [(e.element, e.unconfirmed) for e in evidence] == [(("flows", "to-br"), (MARK,))]
    out = tmp_path / "out.json"
    run(["check", str(BRAZIL), "--as-of", "2026-01-26", "--output", f"json={out}"])
    passes = json.loads(out.read_text(encoding="utf-8"))["passed"]
    marked = [p for p in passes if p["rule_id"] == "GDPR-TRANSFER"]
    assert marked[0]["unconfirmed"] == [MARK]
    assert all("unconfirmed" not in p for p in passes if p["rule_id"] != "GDPR-TRANSFER")


FIRST_DAY_REFUSED = (
    "command line: --as-of 2018-05-24: audit dates before 2018-05-25 are not modelled (the law "
    "tables start when the GDPR applied, Regulation (EU) 2016/679 Art. 99(2)); give 2018-05-25 "
    "or later\nflowaudit: 1 input problem; nothing was checked\n"
)


def test_every_command_refuses_an_audit_date_before_the_first_day_the_tables_model(
    tmp_path: Path,
) -> None:
    """The first day is the table's (``modelled_from``), not the code's: the day before it is
    an input error (exit 2, nothing written), the day itself is audited."""
    from flowaudit.model.loader import shipped_map_dir
    from flowaudit.policies.legal import load_legal_table

    assert load_legal_table().transfers.modelled_from.isoformat() == "2018-05-25"
    shipped = str(shipped_map_dir())
    commands = [
        ["check"],
        ["report", "--out", str(tmp_path / "report.html")],
        ["diagram", "--format", "dot", "--out", str(tmp_path / "map.dot")],
        ["ropa", "--out", str(tmp_path / "ropa.csv")],
        ["diff", shipped, shipped],
        ["law"],
    ]
    for command in commands:
        refused = run([*command, "--as-of", "2018-05-24"])
        assert (refused.exit_code, refused.output) == (2, FIRST_DAY_REFUSED), command
        assert list(tmp_path.iterdir()) == [], command  # nothing written
    for command in commands:
        assert run([*command, "--as-of", "2018-05-25"]).exit_code in (0, 1), command


def test_the_api_refuses_an_early_audit_date_from_any_source() -> None:
    """Every audit goes through app.audit, whatever gave its date (the command line, or the
    gate's base side, which audits on HEAD's date): the refusal is there, not in an option."""
    from datetime import date

    import pytest

    from flowaudit import app

    with pytest.raises(app.InputError) as raised:
        app.audit(app.AuditRequest([], date(2018, 5, 24)))
    assert str(raised.value) == FIRST_DAY_REFUSED.splitlines()[0]
    with pytest.raises(app.InputError):
        app.law("UK", date(2017, 1, 1))


def test_law_lists_the_art9_conditions_a_flow_may_name() -> None:
    """A newcomer's `art9_condition: health_care` failed, and `law` printed the Art. 10 and
    Annex 1 ids but not the Art. 9 ones (auditor review 2026-12-02f, problem 4)."""
    ids = list(load_legal_table().art9_conditions)
    lines = run(["law", "--as-of", "2026-11-25", "--regime", "UK"]).output.splitlines()
    start = lines.index("Art. 9(2) conditions (special category data): art9_condition:")
    listed = [line.split(":")[0].strip() for line in lines[start + 1 :: 2][: len(ids)]]
    assert listed == ids
    assert any(line.startswith("  health_social_care: Art. 9(2)(h) health") for line in lines)
    assert any(
        line.startswith("  employment_social_security:")
        and "(needs an appropriate policy document)" in line
        for line in lines
    )
    law = json.loads(run(["law", "--regime", "UK", "--format", "json"]).output)
    assert [row["id"] for row in law["sections"]["art9_conditions"]] == ids


# -- contested days (DPO review 2026-12-03j, problems 1-3) ---------------------------------

EU_END = (
    "      contested day, UNCONFIRMED: invalid_from 2022-12-27: Decision 2021/914 Art. 4(4) "
    'keeps contracts on the old clauses as appropriate safeguards "until 27 December 2022", '
    "which may include that day (last valid day 2022-12-27); FACTS.md reads the date as the "
    "first invalid day (Commission Implementing Decision (EU) 2021/914, art. 4(4))"
)
#: after 2021-09-27 the row says only existing contracts rest on it (law review 2026-12-03y,
#: problem 3)
EU_ROW = (
    "EU Standard Contractual Clauses (2001/2004/2010) [until 2022-12-26] "
    "[existing contracts only: no new contract after 2021-09-27]"
)


def _law_lines(day: str, regime: str) -> list[str]:
    result = run(["law", "--as-of", day, "--regime", regime])
    assert result.exit_code == 0
    return result.output.splitlines()


def test_law_prints_a_rows_contested_days_and_lists_it_marked_on_its_contested_day() -> None:
    """DPO review 2026-12-03j, problems 1-3: the old EU SCCs' contested end day and cut-off
    are printed with the row, and on 2022-12-27, when the Decision's words may keep the row in
    force, it is listed, marked; the day after, it is gone."""
    before = _law_lines("2022-12-26", "EU")
    assert f"  eu_scc_old: {EU_ROW}" in before
    assert EU_END in before
    assert any(
        line.startswith("      contested day, UNCONFIRMED: new_contracts_until 2021-09-27: ")
        for line in before
    )
    on = _law_lines("2022-12-27", "EU")
    assert (
        f"  eu_scc_old [UNCONFIRMED on 2022-12-27: whether it is in force is contested]: {EU_ROW}"
    ) in on
    assert EU_END in on
    after = _law_lines("2022-12-28", "EU")
    assert not any("eu_scc_old" in line for line in after)
    uk = _law_lines("2024-03-21", "UK")
    assert (
        "  eu_scc_old_uk [UNCONFIRMED on 2024-03-21: whether it is in force is contested]: "
        "Old EU Standard Contractual Clauses used by UK exporters [until 2024-03-20] "
        "[existing contracts only: no new contract after 2022-09-21]"
    ) in uk
    assert not any("eu_scc_old_uk" in line for line in _law_lines("2024-03-22", "UK"))
    # on any other day no row is marked for the day; a row with no contested day prints none
    mid = _law_lines("2023-06-01", "UK")
    assert not any("[UNCONFIRMED on" in line for line in mid)
    assert [line for line in mid if "contested day" in line] == [
        line for line in uk if "contested day" in line
    ]
    assert len([line for line in mid if "contested day" in line]) == 1


def test_law_json_gives_the_contested_days_with_their_source() -> None:
    result = run(["law", "--as-of", "2022-12-27", "--regime", "EU", "--format", "json"])
    rows = {row["id"]: row for row in json.loads(result.output)["sections"]["mechanisms"]}
    assert [(c["field"], c["day"], c["today"]) for c in rows["eu_scc_old"]["contested"]] == [
        ("invalid_from", "2022-12-27", True),
        ("new_contracts_until", "2021-09-27", False),
    ]
    assert rows["eu_scc_old"]["contested"][1]["source"] == (
        "Commission Implementing Decision (EU) 2021/914, art. 4(2)-(4)"
    )
    assert "contested" not in rows["eu_scc_2021"]


def test_the_reports_legal_table_shows_the_contested_days(tmp_path: Path) -> None:
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "organisation: {id: acme, name: Acme SA, country: IE, regime: EU}\n"
        "parties:\n"
        "  - {id: in-vendor, name: Indian Vendor, kind: service_provider, country: IN, "
        "role: processor}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: staff, name: Staff, party_to_contract: true}]\n"
        "purposes: [{id: support, name: Support}]\n"
        "agreements:\n"
        "  - {id: old-scc, kind: eu_scc_old, parties: [acme, in-vendor], status: signed, "
        "signed_on: 2021-06-01, categories: [contact]}\n"
        "assessments:\n"
        "  - {id: tra, kind: transfer_risk, completed_on: 2021-05-01}\n"
        "flows:\n"
        "  - {id: to-india, from: acme, to: in-vendor, categories: [contact], subjects: [staff], "
        "purpose: support, basis: contract, transfer_mechanism: eu_scc_old, "
        "transfer_agreement: old-scc, assessments: [tra]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    run(["report", str(mapped), "--as-of", "2022-12-27", "--out", str(out)])
    html = without_cite_spans((out / "report.html").read_text(encoding="utf-8"))
    legal = html.split('<h2 id="legal">', 1)[1]
    assert (
        '<span class="unconfirmed">UNCONFIRMED</span> contested day: invalid_from 2022-12-27: '
        "Decision 2021/914 Art. 4(4) keeps contracts on the old clauses as appropriate "
        "safeguards &#34;until 27 December 2022&#34;"
    ) in legal
    assert "contested day: new_contracts_until 2021-09-27: " in legal
    # the finding of that day carries the mark, with the reading
    assert (
        '<span class="unconfirmed">UNCONFIRMED</span> <span class="muted">relies on: '
        "eu_scc_old invalid_from 2022-12-27: "
    ) in html


def test_law_says_a_partys_own_store_abroad_is_no_transfer_and_marks_it() -> None:
    """Auditor review 2026-12-03h, problem 2: the reading the transfer rule applies to a
    party's own store abroad is a row of the table, listed by `law` with its mark and source."""
    result = run(["law", "--as-of", "2026-11-25", "--regime", "UK", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)["sections"]["not_transfers"]
    assert [(row["id"], row["unconfirmed"]) for row in rows] == [("same-legal-person", True)]
    assert rows[0]["source"].startswith("EDPB Guidelines 05/2021")
    text = run(["law", "--as-of", "2026-11-25", "--regime", "UK"]).output.splitlines()
    assert (
        "  same-legal-person [UNCONFIRMED]: data a party sends to its own store abroad: one "
        "legal person, no importer [throughout (no start or end in the table)]"
    ) in text


def test_law_for_ch_lists_the_swiss_ways_to_transfer_each_unconfirmed() -> None:
    """DPO review 2026-12-03l, problem 8: a Swiss exporter's recognised SCCs, BCRs and Art.
    17 exceptions are rows of the table, listed for CH with their source and the UNCONFIRMED
    mark (not in FACTS.md); the recognised SCCs from the FDPIC's day, 2021-08-27, only."""
    result = run(["law", "--as-of", "2026-11-25", "--regime", "CH"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if line.startswith("  ch_")]
    assert rows == [
        "  ch_scc_2021 [UNCONFIRMED]: EU Standard Contractual Clauses (2021) recognised by the "
        "FDPIC, with Swiss adaptations [from 2021-08-27]",
        "  ch_bcr [UNCONFIRMED]: Binding corporate rules (Swiss exporters) [throughout (no "
        "start or end in the table)]",
        "  ch_explicit_consent [UNCONFIRMED]: revFADP Art. 17(1)(a) express consent exception "
        "[throughout (no start or end in the table)]",
        "  ch_derogation [UNCONFIRMED]: revFADP Art. 17 exceptions (contract, legal claims, ...) "
        "[throughout (no start or end in the table)]",
    ]
    before = run(["law", "--as-of", "2021-08-26", "--regime", "CH"]).output
    assert "ch_scc_2021" not in before and "  ch_bcr [UNCONFIRMED]" in before
    for regime in ("UK", "EU"):
        assert "  ch_" not in run(["law", "--as-of", "2026-11-25", "--regime", regime]).output


def test_law_lists_the_subject_access_deadline_of_each_regime() -> None:
    """DPO review 2026-12-03o, problem 2: the time to answer a subject access request is a
    row per regime, with its source: the GDPR's calendar month for UK and EU, the revFADP's
    30 days for CH, marked UNCONFIRMED (FACTS.md has no Swiss row on access)."""
    said = {}
    for regime in ("UK", "EU", "CH"):
        result = run(["law", "--as-of", "2026-11-25", "--regime", regime, "--format", "json"])
        assert result.exit_code == 0
        said[regime] = [
            (row["id"], row["source"], row["unconfirmed"])
            for row in json.loads(result.output)["sections"]["dsar_deadline"]
        ]
    month = "gdpr-subject-access-one-month"
    assert said == {
        "UK": [(month, "UK GDPR / GDPR Art. 12(3)", False)],
        # the EU's own citation (auditor review 2026-12-03r, problem 3)
        "EU": [(month, "GDPR Art. 12(3)", False)],
        "CH": [
            (
                "ch-subject-access-30-days",
                "Federal Act on Data Protection of 25 September 2020 (revFADP, SR 235.1) Art. "
                "25(7); Data Protection Ordinance (FADO, SR 235.11) Art. 18",
                True,
            )
        ],
    }
    text = run(["law", "--as-of", "2026-11-25", "--regime", "CH"]).output
    assert (
        "Subject access: the time to answer (dsar_days):\n"
        "  ch-subject-access-30-days [UNCONFIRMED]: Subject access answered in general within "
        "30 days (revFADP Art. 25(7))"
    ) in text


def test_law_lists_the_notice_items_each_regime_asks() -> None:
    """DPO review 2026-12-03o, problem 3: a Swiss notice is asked what revFADP Art. 19 asks,
    each item a row with its paragraph, marked UNCONFIRMED; the UK and the EU every GDPR
    item, cited to Art. 13/14, no Swiss row."""
    items = {}
    for regime in ("UK", "EU", "CH"):
        result = run(["law", "--as-of", "2026-11-25", "--regime", regime, "--format", "json"])
        assert result.exit_code == 0
        items[regime] = [
            (row["id"], row["source"], row["unconfirmed"])
            for row in json.loads(result.output)["sections"]["notice_items"]
        ]
    assert items["CH"] == [
        ("ch-notice-controller-identity", "revFADP Art. 19(2)(a)", True),
        ("ch-notice-purposes", "revFADP Art. 19(2)(b)", True),
        ("ch-notice-recipients", "revFADP Art. 19(2)(c)", True),
        ("ch-notice-transfers", "revFADP Art. 19(4)", True),
        ("ch-notice-categories-obtained", "revFADP Art. 19(3)", True),
    ]
    gdpr = [item.id for item in load_legal_table().bases.notice_items]
    for regime in ("UK", "EU"):
        assert [row[0] for row in items[regime]] == gdpr
    # each regime's own GDPR (auditor review 2026-12-03r, problem 3: an EU organisation was
    # shown UK GDPR as the source of every item)
    assert all(
        source.startswith("UK GDPR Art. 1") and not doubt for _, source, doubt in items["UK"]
    )
    assert all(source.startswith("GDPR Art. 1") and not doubt for _, source, doubt in items["EU"])
    text = run(["law", "--as-of", "2026-11-25", "--regime", "CH"]).output
    assert (
        "  ch-notice-purposes [UNCONFIRMED]: The purposes of processing (notice_content: "
        "purposes_and_bases; asked always)"
    ) in text


def test_law_for_ch_says_the_gdpr_lists_do_not_judge_a_swiss_organisation() -> None:
    """A Swiss reader of `law --regime CH` saw the GDPR's Art. 6(1) bases and Art. 9(2)
    conditions listed as if Swiss law (fix report swiss-o, left): each says, under its
    heading, that a CH organisation's flows are not judged by it and what the revFADP has."""
    result = run(["law", "--regime", "CH", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    bases = lines.index("Art. 6(1) lawful bases:")
    assert lines[bases + 1].startswith(
        "  (not judged for CH: the GDPR's list: a CH organisation's flows are not judged by it. "
        "The revFADP has no closed list of lawful bases"
    )
    art9 = lines.index("Art. 9(2) conditions (special category data): art9_condition:")
    assert lines[art9 + 1].startswith("  (not judged for CH: the GDPR's list")
    uk = run(["law", "--regime", "UK", "--as-of", "2026-11-25"]).output
    assert "(not judged for" not in uk


CH_BEFORE = (
    "the audit date 2023-08-31 is before 2023-09-01, when the CH law the tables model came into "
    "force (Federal Act on Data Protection of 25 September 2020 (revFADP, SR 235.1; AS 2022 491) "
    "and the Data Protection Ordinance (FADO, SR 235.11), in force 1 September 2023): the "
    "Federal Act on Data Protection of 19 June 1992 (FADP) applied, which flowaudit does not "
    "model; transfers are judged by the table's dated rows, and the duties that law sets "
    "(subject access, what a notice says) are not judged"
)


def test_a_swiss_audit_before_the_revfadp_judges_transfers_and_says_what_it_does_not(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03p, problem 6: the Swiss rows that cite the revFADP (in force
    2023-09-01) were dated "throughout", so as of 2019-06-01 a Swiss notice was asked revFADP
    Art. 19(4) and access cited Art. 25(7), a law not yet in force. Those rows now start on
    2023-09-01; an audit of a CH organisation dated before it warns that the 1992 FADP applied
    and its duties are not judged, while its transfers are still judged by the table's dated
    rows (FACTS.md: the Swiss-US Privacy Shield, struck down on 2020-09-08). Refusing the
    audit would have lost that dated verdict."""
    swiss = tmp_path / "swiss"
    swiss.mkdir()
    (swiss / "map.yaml").write_text(
        "organisation: {id: acme, name: Acme AG, country: CH, regime: CH, dsar_days: 40}\n"
        "categories: [{id: contact, name: Contact}]\n"
        "subjects: [{id: customers, name: Customers}]\n"
        "purposes: [{id: accounts, name: Accounts}]\n"
        "parties: [{id: us-host, name: US Host Inc, kind: hosting, country: US, role: processor,"
        " listed_under: [privacy_shield_swiss_us]}]\n"
        "flows: [{id: host, from: acme, to: us-host, categories: [contact], subjects: [customers],"
        " purpose: accounts, transfer_mechanism: privacy_shield_swiss_us}]\n",
        encoding="utf-8",
    )
    before = run(["check", str(swiss), "--as-of", "2023-08-31", "--format", "json"])
    document = json.loads(before.stdout)
    assert CH_BEFORE in document["warnings"]
    rules = {(f["rule_id"], f["code"]) for f in document["findings"]}
    assert ("GDPR-TRANSFER", "mechanism-invalid") in rules  # the Privacy Shield, struck down
    assert not any(rule == "GDPR-RIGHTS" for rule, _ in rules)  # the 1992 Act: not judged
    law = run(["law", "--as-of", "2023-08-31", "--regime", "CH"])
    assert law.exit_code == 0
    assert f"NOTE: {CH_BEFORE}." in law.stdout.splitlines()
    assert "ch-subject-access-30-days" not in law.stdout
    # the first day: the revFADP's 30 days apply, and no warning
    first = json.loads(
        run(["check", str(swiss), "--as-of", "2023-09-01", "--format", "json"]).stdout
    )
    assert CH_BEFORE.replace("2023-08-31", "2023-09-01") not in first["warnings"]
    assert ("GDPR-RIGHTS", "dsar-always-late") in {
        (f["rule_id"], f["code"]) for f in first["findings"]
    }
    listed = run(["law", "--as-of", "2023-09-01", "--regime", "CH"]).stdout
    assert (
        "  ch-subject-access-30-days [UNCONFIRMED]: Subject access answered in general within 30"
        " days (revFADP Art. 25(7)); a controller that cannot tells the person so, and when it"
        " will answer (FADO Art. 18) [from 2023-09-01]"
    ) in listed


def test_law_for_the_eu_cites_the_gdpr_not_uk_law() -> None:
    """Auditor review 2026-12-03r, problem 3: `law --regime EU` ("for EU exporters and
    controllers") gave every Art. 6(1) basis, Art. 9(2) condition, consent row, notice item,
    duty and the subject access deadline as `UK GDPR Art. ...` on legislation.gov.uk, and
    Art. 9(2)(b) and (g) as DPA 2018 Sch. 1, a UK Act. Each row that serves several regimes
    now has its EU reading in the legal table (read_for: EU); the UK's are unchanged."""
    eu = json.loads(
        run(["law", "--as-of", "2026-11-25", "--regime", "EU", "--format", "json"]).output
    )
    gdpr_sections = (
        "lawful_bases",
        "duties",
        "art9_conditions",
        "basis_limits",
        "consent_requirements",
        "child_consent_age",
        "dsar_deadline",
        "notice_items",
    )
    rows = [row for key in gdpr_sections for row in eu["sections"][key]]
    # 37: the duty special_category_condition (Art. 9(1)-(2)), read for the EU as the GDPR's
    # (DPO review v, point 5); 38: the duty representative (Art. 27), read for the EU as the
    # GDPR's (auditor review y, problem 4)
    assert len(rows) == 38
    uk_law = [
        (row["id"], row["source"], row["url"])
        for row in rows
        if "UK GDPR" in row["source"]
        or "DPA 2018" in row["source"]
        or "ICO" in row["source"]
        or "legislation.gov.uk" in (row["url"] or "")
    ]
    assert uk_law == []
    art9 = {row["id"]: row for row in eu["sections"]["art9_conditions"]}
    assert art9["substantial_public_interest"]["source"] == (
        "GDPR Art. 9(2)(g) (on the basis of Union or Member State law; that law is not modelled)"
    )
    assert art9["substantial_public_interest"]["url"] == (
        "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
    )
    text = run(["law", "--as-of", "2026-11-25", "--regime", "EU"]).output
    assert (
        "  consent: Consent, Art. 6(1)(a) [throughout (no start or end in the table)]\n"
        "      source: GDPR Art. 6(1)(a), Art. 7, Art. 8(1)"
        " <https://eur-lex.europa.eu/eli/reg/2016/679/oj>\n"
    ) in text
    uk = json.loads(
        run(["law", "--as-of", "2026-11-25", "--regime", "UK", "--format", "json"]).output
    )
    art9_uk = {row["id"]: row for row in uk["sections"]["art9_conditions"]}
    assert art9_uk["substantial_public_interest"]["source"] == (
        "UK GDPR Art. 9(2)(g); DPA 2018 s.10(3), Sch. 1 para 5(1) and Part 4 (para 39)"
    )


def test_a_reading_for_a_regime_names_only_fields_the_row_has() -> None:
    """A `read_for` reading that sets a field its row does not have (a lawful basis has no
    `sharing_source` to read otherwise unless it is one) is refused when the table loads,
    so a misspelt field never leaves the UK wording in place in silence."""
    from pydantic import ValidationError

    from flowaudit.policies.legal import Art9Condition

    with pytest.raises(ValidationError, match="read_for EU sets sharing_source"):
        Art9Condition.model_validate(
            {
                "id": "x",
                "name": "X",
                "source": "UK GDPR Art. 9(2)(x)",
                "read_for": {"EU": {"sharing_source": "nothing"}},
            }
        )
    row = Art9Condition.model_validate(
        {
            "id": "x",
            "name": "X",
            "source": "UK GDPR Art. 9(2)(x)",
            "claimed": "in the UK only",
            "read_for": {"EU": {"source": "GDPR Art. 9(2)(x)"}},
        }
    )
    assert (row.read_as("EU").source, row.read_as("EU").claimed) == (
        "GDPR Art. 9(2)(x)",
        "in the UK only",  # a field the reading leaves out reads as the row's own
    )
    assert row.read_as("UK") is row


def test_law_for_ch_lists_the_revfadp_articles_cited_in_the_gdprs_place_marked() -> None:
    """Auditor review 2026-12-03s, problem 2: a Swiss finding cites "revFADP Art. 6(4)" from a
    counterpart row marked UNCONFIRMED, and `law --regime CH` did not print the row. It now
    lists each, with the GDPR articles it replaces, its source and its mark; UK and EU law,
    which cite the GDPR, have no such section, nor CH before the revFADP."""
    lines = run(["law", "--as-of", "2026-11-25", "--regime", "CH"]).output.splitlines()
    start = lines.index(
        "The regime's own articles cited in the GDPR's place (findings, rules' references, the "
        "record of processing):"
    )
    assert lines[start + 7 : start + 9] == [
        "  revFADP Art. 6(4) [UNCONFIRMED]: cited in place of the GDPR's Art. 5(1)(e) "
        "[from 2023-09-01]",
        "      source: revFADP (SR 235.1) Art. 6(4) (destroyed or anonymised as soon as no longer "
        "needed for the purpose) <https://www.fedlex.admin.ch/eli/cc/2022/491/en>",
    ]
    law = json.loads(
        run(["law", "--as-of", "2026-11-25", "--regime", "CH", "--format", "json"]).output
    )
    rows = {row["id"]: row for row in law["sections"]["counterparts"]}
    assert rows["revFADP Art. 9(1)-(2)"]["unconfirmed"] is True
    assert rows["revFADP Art. 9(1)-(2)"]["what"].startswith("cited in place of the GDPR's Art. 28,")
    for regime, day in (("UK", "2026-11-25"), ("EU", "2026-11-25"), ("CH", "2023-08-31")):
        law = json.loads(
            run(["law", "--as-of", day, "--regime", regime, "--format", "json"]).output
        )
        assert "counterparts" not in law["sections"], (regime, day)


def test_law_prints_the_public_authority_bar_under_the_lawful_bases() -> None:
    """Auditor review 2026-12-03s, problem 7: a council's HIGH GDPR-BASIS finding rests on
    Art. 6(1) second subparagraph (the table's not_for_public_authorities on the basis), and
    the report sends its reader to `flowaudit law` for every row, but law printed the basis
    without the bar. The bar is printed under the lawful bases, with its source, on each basis
    it bars in force on the day (recognised legitimate interests from 2026-02-05, UK only);
    none for CH, whose law has no such bar."""
    lines = _law_lines("2026-11-25", "UK")
    start = lines.index(
        "Bases not open to a public authority's tasks (Art. 6(1) second subparagraph):"
    )
    assert lines[start - 1] == "" and lines[start - 3].startswith("  recognised_legitimate")
    assert lines[start + 1 : start + 6] == [
        "  legitimate_interests not for public authorities: Legitimate interests, Art. 6(1)(f)"
        " does not apply to processing by public authorities in the performance of their tasks"
        " (an organisation that says public_authority: true): public task (Art. 6(1)(e))"
        " instead; in the UK, DPA 2018 s.7 says who is a public authority; a private"
        " practice holding an NHS contract is not decided (not in FACTS.md): the map says"
        " [with legitimate_interests, throughout (no start or end in the table)]",
        "      source: UK GDPR / GDPR Art. 6(1) second subparagraph"
        " <https://eur-lex.europa.eu/eli/reg/2016/679/oj>",
        "  recognised_legitimate_interests not for public authorities: Recognised legitimate"
        " interests, Art. 6(1)(ea) does not apply to processing by public authorities in the"
        " performance of their tasks (an organisation that says public_authority: true): public"
        " task (Art. 6(1)(e)) instead; DPA 2018 s.7 says who is a public authority [with"
        " recognised_legitimate_interests, from 2026-02-05]",
        "      source: UK GDPR Art. 6(1) second subparagraph, as amended by DUAA 2025"
        " s.70(2)(c) <https://www.legislation.gov.uk/ukpga/2025/18/section/70>",
        "",
    ]
    before = _law_lines("2026-01-01", "UK")
    bars = before[before.index(lines[start]) + 1 :]
    assert [line.split(":")[0] for line in bars[: bars.index("")] if line[2] != " "] == [
        "  legitimate_interests not for public authorities"
    ]
    eu = json.loads(
        run(["law", "--as-of", "2026-11-25", "--regime", "EU", "--format", "json"]).output
    )
    assert [(r["id"], r["unconfirmed"]) for r in eu["sections"]["public_authority_bars"]] == [
        ("legitimate_interests not for public authorities", False)
    ]
    ch = _law_lines("2026-11-25", "CH")
    at = ch.index(lines[start])
    assert ch[at + 1] == "  (none)"


def test_law_lists_what_pecr_asks_of_each_marketing_channel() -> None:
    """DPO review 2026-12-03u, problem 1: a marketing flow's channel decides what PECR asks,
    from the legal table's marketing_channels, whose rows are not in FACTS.md (emails aside)
    and are listed UNCONFIRMED with their regulation, for a UK organisation only (PECR is UK
    law: an EU or Swiss one has no such section)."""
    uk = json.loads(
        run(["law", "--as-of", "2026-11-25", "--regime", "UK", "--format", "json"]).output
    )
    rows = {row["id"]: row for row in uk["sections"]["marketing_channels"]}
    assert list(rows) == [
        "pecr-email",
        "pecr-sms",
        "pecr-voicemail",
        "pecr-automated-call",
        "pecr-fax",
        "pecr-live-call",
        "outside-pecr-post",
        "outside-pecr-in-person",
    ]
    assert [row_id for row_id, row in rows.items() if not row["unconfirmed"]] == ["pecr-email"]
    assert rows["pecr-automated-call"]["what"] == (
        "channel: automated_call, marketing by automated call (recorded matter): every "
        "subscriber's prior consent, individual or corporate"
    )
    assert rows["pecr-automated-call"]["source"] == "PECR (SI 2003/2426) reg. 19(1), (2)"
    assert rows["pecr-live-call"]["url"] == (
        "https://www.legislation.gov.uk/uksi/2003/2426/regulation/21"
    )
    assert "(read for a marketing flow with no channel)" in rows["pecr-email"]["what"]
    text = run(["law", "--as-of", "2026-11-25", "--regime", "UK"]).output
    assert "Direct marketing by channel (PECR; a marketing flow's channel):\n" in text
    assert "  outside-pecr-post [UNCONFIRMED]: channel: post, marketing by post: no consent" in (
        text
    )
    for regime in ("EU", "CH"):
        other = json.loads(
            run(["law", "--as-of", "2026-11-25", "--regime", regime, "--format", "json"]).output
        )
        assert "marketing_channels" not in other["sections"]
