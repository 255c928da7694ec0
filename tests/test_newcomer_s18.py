"""Newcomer review s18: a DPO new to flowaudit writes a map of a small UK online shop from the
docs alone and makes the mistakes newcomers make. Each test pins the located error (file:line,
what to do, exit 2) or the finding's words that the review found missing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.helpers import run

ORG = "organisation: {id: shop, name: Shop Ltd, country: GB, regime: UK}\n"
TAXONOMY = (
    "categories: [{id: contact, name: Contact}, {id: contact.email, name: Email}]\n"
    "subjects: [{id: customers, name: Customers, subscriber: individual}]\n"
    "purposes: [{id: news, name: Newsletter, is_a: [marketing]}]\n"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- a country's name or alpha-3 code instead of its alpha-2 code ----------------------------


def test_a_country_name_or_alpha3_code_is_told_the_code_to_write(here: Path) -> None:
    _write(
        here / "m",
        "map.yaml",
        ORG + "parties:\n"
        "  - {id: desk, name: Desk Pvt Ltd, kind: helpdesk, country: India, role: processor}\n"
        "  - {id: pay, name: Pay Inc, kind: payments, country: USA, role: processor}\n"
        "  - {id: wh, name: Lager GmbH, kind: warehouse, country: England, role: processor}\n"
        "  - {id: xx, name: X, kind: other, country: Atlantis, role: processor}\n",
    )
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "m/map.yaml:3:52: country: 'India' is not an ISO 3166-1 alpha-2 country code: write 'IN'",
        "m/map.yaml:4:46: country: 'USA' is not an ISO 3166-1 alpha-2 country code: write 'US'",
        "m/map.yaml:5:49: country: 'England' is not an ISO 3166-1 alpha-2 country code: write 'GB'",
        "m/map.yaml:6:36: country: 'Atlantis' is not an ISO 3166-1 alpha-2 country code "
        "(e.g. GB, IE, US)",
        "flowaudit: 4 input problems; nothing was checked",
    ]
    assert "Traceback" not in result.output


def test_init_with_a_country_name_is_told_the_code(here: Path) -> None:
    result = run(["init", "de", "--name", "Kitewood GmbH", "--country", "Germany"])
    assert result.exit_code == 2
    assert result.output == (
        "flowaudit init: --country: 'GERMANY' is not an ISO 3166-1 alpha-2 country code: "
        "write 'DE'\n"
    )
    assert not (here / "de").exists()


# -- files saved in another encoding ----------------------------------------------------------


def test_a_utf16_file_is_named_as_such_with_what_to_do(here: Path) -> None:
    _write(here / "m", "map.yaml", ORG.encode("utf-16"))
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "m/map.yaml:1:1: file is UTF-16 text, not UTF-8: save it as UTF-8 (in the editor's "
        "save dialog, encoding UTF-8)"
    )


def test_a_latin1_file_says_which_byte_and_what_to_do(here: Path) -> None:
    _write(here / "m", "map.yaml", ORG.replace("Shop Ltd", "Sh\xf6p Ltd").encode("latin-1"))
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "m/map.yaml:1:34: file is not valid UTF-8 text (byte 0xf6, as in a file saved as "
        "Latin-1 or Windows-1252): save it as UTF-8 (in the editor's save dialog, encoding "
        "UTF-8)"
    )


def test_a_bom_windows_line_endings_and_a_tab_as_separator_are_read(here: Path) -> None:
    text = ORG + TAXONOMY + "flows: []\n"
    _write(here / "m", "map.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = run(["validate", "m"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Shop Ltd: valid map")


# -- one typo, one problem --------------------------------------------------------------------


def test_a_misspelt_required_field_is_one_problem(here: Path) -> None:
    _write(
        here / "m",
        "map.yaml",
        ORG + TAXONOMY + "flows:\n"
        "  - id: news-signup\n"
        "    from: shop\n"
        "    to: shop\n"
        "    categories: [contact.email]\n"
        "    subjects: [customers]\n"
        "    purpse: news\n"
        "    encrypted: true\n",
    )
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "m/map.yaml:11:5: unknown field 'purpse' (did you mean 'purpose', a required field?)",
        "m/map.yaml:12:5: unknown field 'encrypted' (did you mean 'encrypted_in_transit'?)",
        "flowaudit: 2 input problems; nothing was checked",
    ]


def test_a_missing_required_field_not_misspelt_is_still_missing(here: Path) -> None:
    _write(
        here / "m",
        "map.yaml",
        ORG + TAXONOMY + "flows:\n"
        "  - id: news-signup\n"
        "    from: shop\n"
        "    to: shop\n"
        "    categories: [contact.email]\n"
        "    subjects: [customers]\n"
        "    colour: red\n",
    )
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert "m/map.yaml:6:5: missing required field 'purpose'" in result.output.splitlines()


# -- the map names no organisation ------------------------------------------------------------


def test_no_organisation_is_located_at_the_first_file_with_the_fix(here: Path) -> None:
    _write(here / "m", "b.yaml", TAXONOMY)
    _write(here / "m", "a.yaml", "flows: []\n")
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "m/a.yaml:1:1: no 'organisation:' is defined in any file of the map: add one, in any "
        "file, with the organisation's id, name and country (as `flowaudit init` writes it)",
        "flowaudit: 1 input problem; nothing was checked",
    ]
    one = run(["check", "m/b.yaml"])
    assert one.exit_code == 2
    assert one.output.splitlines()[0].endswith(
        "(as `flowaudit init` writes it); or, if this file is one of a map folder's, name the "
        "folder: its files are read together"
    )
    assert one.output.splitlines()[0].startswith("m/b.yaml:1:1: no 'organisation:'")


# -- a policy of one's own --------------------------------------------------------------------

POLICY = """\
policy:
  id: shop-notice
  title: Shop notice
rules:
  - id: ID
    kind: condition
    title: Newsletter stays in the UK
    severity: high
    rationale: Our notice promises it.
    references: {notice: [], legal: [UK GDPR Art. 5(1)(a)]}
    fix: Stop the flow.
    match: {purposes: [news]}
    expression: recipient.country == "GB"
    message: the newsletter list leaves the UK
"""


def test_a_lower_case_rule_id_is_told_the_id_to_write(here: Path) -> None:
    _write(here / "m", "map.yaml", ORG + TAXONOMY + "flows: []\n")
    _write(here / "p", "shop.yaml", POLICY.replace("id: ID", "id: shop_newsletter_uk"))
    result = run(["check", "m", "--policies", "p"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "p/shop.yaml:5:5: id: 'shop_newsletter_uk' is not valid: a rule id is upper-case words "
        "of A-Z and 0-9 joined by '-', at least two (e.g. ACME-ISP-CATEGORIES); write "
        "'SHOP-NEWSLETTER-UK'",
        "flowaudit: 1 input problem; nothing was checked",
    ]
    _write(here / "q", "shop.yaml", POLICY.replace("id: ID", "id: SHOP"))
    word = run(["check", "m", "--policies", "q"])
    assert word.exit_code == 2
    assert word.output.splitlines()[0] == (
        "q/shop.yaml:5:5: id: 'SHOP' is not valid: a rule id is upper-case words of A-Z and 0-9 "
        "joined by '-', at least two (e.g. ACME-ISP-CATEGORIES)"
    )


def test_a_policy_kind_typo_is_located_with_the_kind_meant(here: Path) -> None:
    _write(here / "m", "map.yaml", ORG + TAXONOMY + "flows: []\n")
    text = POLICY.replace("id: ID", "id: SHOP-NEWS-UK").replace("kind: condition", "kind: conditon")
    _write(here / "p", "shop.yaml", text)
    result = run(["check", "m", "--policies", "p"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(
        "p/shop.yaml:6:5: unknown rule kind 'conditon' (did you mean 'condition'?); kinds: "
    )


# -- findings that say why --------------------------------------------------------------------

INBOUND = (
    ORG + "categories: [{id: contact, name: Contact}, {id: contact.phone, name: Phone}]\n"
    "subjects: [{id: customers, name: Customers, party_to_contract: true}]\n"
    "purposes: [{id: orders, name: Orders}]\n"
    "parties:\n"
    "  - {id: courier, name: Courier Ltd, kind: courier, country: GB, role: processor}\n"
    "  - {id: partner, name: Partner Ltd, kind: partner, country: GB, role: controller}\n"
    "flows:\n"
    "  - {id: sms-numbers, from: courier, to: shop, categories: [contact.phone],\n"
    "     subjects: [customers], purpose: orders, basis: contract}\n"
    "  - {id: referrals, from: partner, to: shop, categories: [contact],\n"
    "     subjects: [customers], purpose: orders, basis: contract}\n"
    "  - {id: returns, from: shop, to: courier, categories: [contact],\n"
    "     subjects: [customers], purpose: orders, basis: contract}\n"
)


def test_the_art14_items_name_the_flows_that_bring_data_from_others(here: Path) -> None:
    organisation = (
        "organisation:\n  id: shop\n  name: Shop Ltd\n  country: GB\n  regime: UK\n"
        "  notice_content: {controller_identity: s1, purposes_and_bases: s2, recipients: s3,\n"
        "    retention: s4, rights: s5, complaint: s5, statutory_or_contractual: s6}\n"
    )
    text = INBOUND.replace(ORG, organisation)
    _write(here / "m", "map.yaml", text)
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "text"])
    assert result.exit_code == 1
    art14 = [line for line in result.output.splitlines() if "Art. 14" in line]
    assert art14 == [
        "m/map.yaml:6:3 MEDIUM GDPR-NOTICE-CONTENT organisation/shop: whether the notice gives "
        "the categories of data obtained from others (UK GDPR Art. 14(1)(d)) is not recorded "
        "(notice_content: categories_obtained); asked because flow referrals brings data from "
        "others (a party that is not the organisation's processor, or data the organisation "
        "never sent that processor)",
        "m/map.yaml:6:3 MEDIUM GDPR-NOTICE-CONTENT organisation/shop: whether the notice gives "
        "where data not collected from the person comes from (UK GDPR Art. 14(2)(f)) is not "
        "recorded (notice_content: source_of_data); asked because flow referrals brings data "
        "from others (a party that is not the organisation's processor, or data the "
        "organisation never sent that processor)",
    ]


def test_an_opt_out_finding_on_a_flow_with_no_channel_says_it_was_read_as_email(
    here: Path,
) -> None:
    _write(
        here / "m",
        "map.yaml",
        ORG + TAXONOMY + "consent_records:\n"
        "  - {id: banner, method: cookie banner, purposes: [news], evidence: log,\n"
        "     affirmative_act: true, bundled_with_terms: false}\n"
        "flows:\n"
        "  - {id: ads, from: shop, to: shop, categories: [contact.email], subjects: [customers],\n"
        "     purpose: news, basis: consent, consent_record: banner}\n"
        "  - {id: mail, from: shop, to: shop, categories: [contact.email], subjects: [customers],\n"
        "     purpose: news, basis: consent, consent_record: banner, channel: email}\n",
    )
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "text"])
    assert result.exit_code == 1
    opt_out = [line for line in result.output.splitlines() if "PECR-MARKETING-OPT-OUT" in line]
    assert [line.split(" ")[0] for line in opt_out] == ["m/map.yaml:9:5", "m/map.yaml:11:5"]
    suffix = (
        " (the flow records no channel, so it is read as email: record its channel if it "
        "reaches people otherwise)"
    )
    assert opt_out[0].endswith("record how each email offers both in the flow's opt_out" + suffix)
    assert opt_out[1].endswith("record how each email offers both in the flow's opt_out")


# -- help and docs ----------------------------------------------------------------------------


def test_the_command_list_names_what_ropa_writes() -> None:
    result = run(["--help"])
    assert result.exit_code == 0
    assert "  ropa      The Art. 30 records of processing, built from the map.\n" in result.output
    assert "(Art.\n" not in result.output


def test_map_format_says_complaints_procedure_is_a_flag(here: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "map-format.md").read_text("utf-8")
    assert "`complaints_procedure` (`true` once people can complain to the organisation" in doc
    assert "a country's name or its alpha-3 code (`India`, `USA`) is refused with the code" in doc
    _write(here / "m", "map.yaml", ORG.replace("}\n", ", complaints_procedure: on our site}\n"))
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "m/map.yaml:1:67: complaints_procedure: expected true or false, not 'on our site'"
    )


# -- a sub-processor giving data back to the processor that engaged it ------------------------

CHAIN = (
    ORG + "categories:\n  - {id: contact, name: Contact}\n  - {id: contact.name, name: Name}\n"
    "  - {id: contact.address, name: Address}\n  - {id: contact.phone, name: Phone}\n"
    "subjects: [{id: customers, name: Customers, party_to_contract: true}]\n"
    "purposes: [{id: orders, name: Orders}]\n"
    "parties:\n"
    "  - {id: warehouse, name: Lager GmbH, kind: warehouse, country: GB, role: processor}\n"
    "  - {id: courier, name: ParcelCo Ltd, kind: courier, country: GB, role: processor}\n"
    "agreements:\n"
    "  - {id: wh-dpa, kind: art28_dpa, parties: [shop, warehouse], status: signed,\n"
    "     signed_on: 2024-01-01, evidence: dpa.pdf, categories: [contact],\n"
    "     allows_subprocessing: true}\n"
    "  - {id: courier-dpa, kind: art28_dpa, parties: [warehouse, courier], status: signed,\n"
    "     signed_on: 2024-01-01, evidence: sub.pdf, categories: [contact]}\n"
    "flows:\n"
    "  - {id: pick, from: shop, to: warehouse, categories: [contact.name, contact.address],\n"
    "     subjects: [customers], purpose: orders, basis: contract, agreement: wh-dpa}\n"
    "  - {id: labels, from: warehouse, to: courier, categories: [contact.name, contact.address],\n"
    "     subjects: [customers], purpose: orders, agreement: courier-dpa}\n"
    "  - {id: returns, from: courier, to: warehouse, categories: CARRIED,\n"
    "     subjects: [customers], purpose: orders}\n"
)


def _flow_findings(here: Path, carried: str) -> list[tuple[str, str, str, int]]:
    _write(here / "m", "map.yaml", CHAIN.replace("CARRIED", carried))
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return [
        (f["rule_id"], f["element"]["id"], f["code"], f["location"]["line"])
        for f in json.loads(result.stdout)["findings"]
        if f["rule_id"] in ("GDPR-SUBPROCESSING", "GDPR-AGREEMENT")
    ]


def test_a_courier_giving_a_return_back_to_the_warehouse_engages_no_sub_processor(
    here: Path,
) -> None:
    """The courier brings a returned parcel's label back to the warehouse that engaged it:
    the data goes back up the chain, so neither the sub-processing rule (the courier
    'engaging' the warehouse) nor the agreement rule (a courier-to-warehouse contract) finds
    anything on it."""
    assert _flow_findings(here, "[contact.name]") == []


def test_a_return_carrying_data_the_engager_never_gave_is_still_sub_processing(
    here: Path,
) -> None:
    """The phone number the warehouse never gave the courier is no return: the courier
    passes data of its own collecting to the warehouse as its processor, unauthorised."""
    assert _flow_findings(here, "[contact.name, contact.phone]") == [
        ("GDPR-AGREEMENT", "returns", "missing", 23),
        ("GDPR-SUBPROCESSING", "returns", "not-authorised", 23),
    ]


def test_the_processors_register_does_not_make_the_warehouse_the_couriers_sub_processor(
    here: Path,
) -> None:
    _write(here / "m", "map.yaml", CHAIN.replace("CARRIED", "[contact.name]"))
    result = run(["report", "m", "--as-of", "2026-12-04", "--diagram", "none", "--out", "out"])
    assert result.exit_code == 1, result.output
    with (here / "out" / "processors.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["party"]: row for row in csv.DictReader(handle)}
    assert (rows["warehouse"]["sub-processors"], rows["warehouse"]["sub-processor of"]) == (
        "ParcelCo Ltd",
        "",
    )
    assert (rows["courier"]["sub-processors"], rows["courier"]["sub-processor of"]) == (
        "",
        "Lager GmbH",
    )
