"""Lawyer review s10 (2026-12-04), problems 1-4: the Art. 49 derogations and a processor.

1. A contract derogation (Art. 49(1)(b), (c)) cannot carry a transfer to the organisation's
   own processor, party or store (the legal table's ``derogation_to_processor``); a pass on a
   contract derogation says that necessity is taken on trust, as ``occasional`` is.
2. The ``storage_abroad`` row is UNCONFIRMED (not stated by FACTS.md). A one-off transfer
   for legal claims into a processor's store abroad was first excepted from it; lawyer
   review s12 refused it again (the map cannot tell one case's files from routine hosting),
   and DPO review s17 removed the row's ``except_grounds`` field.
3. A processor's processing outside the instructions names the country it sends the data to
   when outside the organisation's jurisdiction, and the organisation's own steps: review the
   processor (Art. 28(1)), a possible personal data breach to record and assess (Art. 33).
4. The explicit-consent row cites Art. 49(1)(a) and 49(3), not the second subparagraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from flowaudit.model.yamlsource import parse_text
from flowaudit.policies import legal
from flowaudit.policies.legal import load_legal_table
from tests.helpers import audit_folder, edit_once, line_of, run, shop_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "lawyer_s10"

STORAGE_SOURCE = (
    "UK GDPR / GDPR Art. 49(1), recital 111; EDPB Guidelines 2/2018 on derogations of "
    "Article 49, section 1"
)
PROCESSOR_SOURCE = (
    "UK GDPR / GDPR Art. 49(1)(b), (c); EDPB Guidelines 2/2018 on derogations of Article 49, "
    "sections 2.2.2 and 2.3 (the necessity test)"
)
PROCESSOR_MARK = f"contract-derogation-not-to-processor ({PROCESSOR_SOURCE})"
#: a finding's message cites the organisation's own law (UK GDPR); a mark cites the row
CITED = PROCESSOR_SOURCE.replace("UK GDPR / GDPR", "UK GDPR")
STORAGE_MARK = f"storage-abroad-systematic ({STORAGE_SOURCE})"
GROUND_B = (
    "'contract_with_subject' (Art. 49(1)(b): necessary for a contract between the person and "
    "the controller)"
)
NOT_NECESSARY = (
    "as the processor of Shopwave Ltd: engaging a processor abroad is the controller's choice, "
    f"not necessary for the contract with the person, so ground {GROUND_B} cannot carry the "
    f"transfer to it; it needs an adequacy or an Art. 46 safeguard ({CITED})"
)
#: a pass's assumed fact cites the organisation's own law too (lawyer review s16, problem 4)
OCCASIONAL = (
    "occasional: taken on trust: a transfer under 'art49_derogation' (Art. 49 derogations "
    "(contract necessity, legal claims, ...)) must be occasional and non-routine, which the "
    "map cannot show; the flow says so (occasional: true) (UK GDPR Art. 49(1)(b)-(g); "
    "EDPB Guidelines 2/2018)"
)


def _scenario(tmp_path: Path, name: str) -> Path:
    return shop_scenario(tmp_path / name, FIXTURES / f"{name}.yaml")


def _transfer(
    folder: Path, flow: str
) -> tuple[list[tuple[str, str, str, str, int, tuple[str, ...]]], dict[str, tuple[str, ...]]]:
    """The flow's GDPR-TRANSFER findings (rule, code, severity, message, line, UNCONFIRMED
    marks) and its transfer passes' assumed facts."""
    result = audit_folder(folder)
    found = [
        (
            f.rule_id,
            f.code,
            f.severity.value,
            f.message,
            f.location.line if f.location else 0,
            f.unconfirmed,
        )
        for f in result.findings
        if f.element == ("flows", flow) and f.rule_id == "GDPR-TRANSFER"
    ]
    passes = {
        e.rule_id: e.assumed
        for e in result.passed
        if e.element == ("flows", flow) and e.rule_id == "GDPR-TRANSFER"
    }
    return found, passes


def test_problem_1_contract_necessity_cannot_carry_hosting_by_a_processor_party(
    tmp_path: Path,
) -> None:
    """Lawyer review s10, problem 1 (C2): every helpdesk ticket to the shop's processor in
    India (the party, no store named) on Art. 49(1)(b), occasional: true, passed; it is a
    CRITICAL derogation-to-processor at the flow's ground, with the row's UNCONFIRMED mark."""
    folder = _scenario(tmp_path, "c2")
    found, passes = _transfer(folder, "helpdesk-india")
    line = line_of(folder / "scenario.yaml", "derogation: contract_with_subject")
    assert found == [
        (
            "GDPR-TRANSFER",
            "derogation-to-processor",
            "critical",
            f"Bharat Cloud Pvt Ltd holds the data {NOT_NECESSARY}",
            line,
            (PROCESSOR_MARK,),
        )
    ]
    assert passes == {}
    printed = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert printed.exit_code == 1
    assert "1 finding (1 critical, 0 high, 0 medium, 0 low, 0 info)" in printed.stdout


def test_problem_1_into_the_processors_store_both_reasons_are_one_finding(tmp_path: Path) -> None:
    """Lawyer review s10, problem 1 (C1): the same flow into the processor's Indian store: the
    storage refusal and the necessity refusal are one finding (one transfer with no valid
    safeguard), under derogation-for-storage, with both rows' marks."""
    folder = _scenario(tmp_path, "c1")
    found, _ = _transfer(folder, "helpdesk-india")
    assert [(rule, code, severity, marks) for rule, code, severity, _, _, marks in found] == [
        ("GDPR-TRANSFER", "derogation-for-storage", "critical", (STORAGE_MARK, PROCESSOR_MARK))
    ]
    assert found[0][3].endswith(
        "; Bharat Cloud Pvt Ltd holds the data in Helpdesk SaaS ('india-helpdesk') " + NOT_NECESSARY
    )


def test_problem_1_control_to_a_controller_necessity_is_taken_on_trust_and_said(
    tmp_path: Path,
) -> None:
    """Lawyer review s10, problem 1, control: the same transfer to the vendor as a controller
    (not the shop's processor) passes, and the pass says that necessity for the contract is
    taken on trust, besides occasional."""
    folder = _scenario(tmp_path, "c2")
    edit_once(folder / "scenario.yaml", "role: processor", "role: controller")
    found, passes = _transfer(folder, "helpdesk-india")
    assert found == []
    assert passes == {
        "GDPR-TRANSFER": (
            f"{OCCASIONAL}; and necessity taken on trust too: on ground {GROUND_B} the "
            "transfer must be necessary for the contract, a close and substantial connection "
            f"with its purpose, which the map cannot show ({CITED})",
        )
    }


def test_lawyer_s12_problem_1_legal_claims_into_a_store_held_for_the_shop_is_refused(
    tmp_path: Path,
) -> None:
    """Lawyer review s10, problem 2 (A4) asked that one lawsuit's documents into a US
    e-discovery store held by the shop's processor, on Art. 49(1)(e), pass; excepted so,
    routine US hosting relabelled "legal claims" passed as well (lawyer review s12, problem
    1): the map cannot tell one case's files from routine hosting. A store held for the
    organisation abroad is refused on every ground; the platform recorded as the party (no
    store of the organisation's) is not (the control below)."""
    folder = _scenario(tmp_path, "a4")
    found, _ = _transfer(folder, "claim-file")
    assert [(code, severity, marks) for _, code, severity, _, _, marks in found] == [
        ("derogation-for-storage", "critical", (STORAGE_MARK,))
    ]
    printed = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert printed.exit_code == 1


def test_problem_2_control_another_ground_into_the_store_is_still_refused(tmp_path: Path) -> None:
    """Lawyer review s10, problem 2, control: the same store on another ground (vital
    interests) is still refused as storage abroad, now marked UNCONFIRMED."""
    folder = _scenario(tmp_path, "a4")
    edit_once(folder / "scenario.yaml", "derogation: legal_claims", "derogation: vital_interests")
    found, _ = _transfer(folder, "claim-file")
    assert [(code, severity, marks) for _, code, severity, _, _, marks in found] == [
        ("derogation-for-storage", "critical", (STORAGE_MARK,))
    ]


def test_problem_2_the_storage_row_is_unconfirmed_and_its_exception_sourced() -> None:
    """Lawyer review s10, problem 2: the storage_abroad row is the project's reading, not
    FACTS.md's (UNCONFIRMED); it excepts no ground (lawyer review s12, problem 1)."""
    row = load_legal_table().transfers.storage_abroad
    assert row is not None
    assert row.unconfirmed is True
    assert not hasattr(row, "except_grounds")  # removed: DPO review s17, tests/test_dpo_s17.py


STEPS = (
    "instruct Storefront Commerce Inc. to stop it and to have {data} deleted, review whether "
    "Storefront Commerce Inc. still gives sufficient guarantees (Art. 28(1)), and, where it "
    "has happened, record it as a possible personal data breach and assess whether it must "
    "be notified (Art. 33(1), 33(5))"
)


def _subprocessing(folder: Path) -> list[tuple[str, str, str]]:
    result = audit_folder(folder)
    return [
        (f.rule_id, f.code, f.message)
        for f in result.findings
        if f.element == ("flows", "storefront-ads")
    ]


def test_problem_3_a_processors_disclosure_to_china_names_the_country_and_the_steps(
    tmp_path: Path,
) -> None:
    """Lawyer review s10, problem 3 (D1): Storefront, the shop's processor, gives the shop's
    customers to its ad partner in China: the one Art. 28(10) finding names CN, outside the
    UK, and what the shop must do beyond stopping it (instruct, review the processor, a
    possible breach to record and assess)."""
    assert _subprocessing(_scenario(tmp_path, "d1")) == [
        (
            "GDPR-SUBPROCESSING",
            "disclosure-outside-instructions",
            "Storefront Commerce Inc. (processor) → Dragon Ads Ltd (independent controller): a "
            "processor may process the data only on the documented instructions of Shopwave "
            "Ltd, its controller (Art. 28(3)(a), Art. 29); giving it to Dragon Ads Ltd in CN, "
            "outside the UK, for that party's own use is processing outside them, for which "
            "Storefront Commerce Inc. becomes a controller and infringes (Art. 28(10)); if "
            "Shopwave Ltd instructed the disclosure, the disclosure is its own: record it as a "
            "flow from Shopwave Ltd to Dragon Ads Ltd with its lawful basis (sent out of a "
            "store Storefront Commerce Inc. holds for Shopwave Ltd, the flow may stay as it is "
            "and say so: recipient_role: controller with that basis, or the agreement Shopwave "
            "Ltd made with the recipient as its agreement); if not, "
            + STEPS.format(data="the data disclosed")
            + ". A data sharing agreement between Storefront Commerce Inc. and Dragon Ads Ltd "
            "would not cure it",
        )
    ]


def test_problem_3_a_processors_own_purpose_abroad_names_the_country(tmp_path: Path) -> None:
    """Lawyer review s10, problem 3: the same export to the ad partner recorded as a
    processor (Storefront's own purpose, purpose-outside-instructions): one finding naming
    where the data go and the shop's steps."""
    folder = _scenario(tmp_path, "d1")
    edit_once(folder / "scenario.yaml", "role: controller", "role: processor")
    assert _subprocessing(folder) == [
        (
            "GDPR-SUBPROCESSING",
            "purpose-outside-instructions",
            "Storefront Commerce Inc. (processor) → Dragon Ads Ltd (sub-processor): Storefront "
            "Commerce Inc. uses data it processes for Shopwave Ltd for the purpose "
            "'storefront_ads', none of Shopwave Ltd's, and sends it to Dragon Ads Ltd in CN, "
            "outside the UK; a processor may process the data only on the documented "
            "instructions of its controller (Art. 28(3)(a), Art. 29), and one that decides a "
            "purpose of its own is a controller for that processing and infringes (Art. "
            "28(10)): if Shopwave Ltd instructed it, record the purpose on Shopwave Ltd's own "
            "flows; if not, " + STEPS.format(data="the data so used"),
        )
    ]


def test_problem_3_control_inside_the_uk_no_country_is_named(tmp_path: Path) -> None:
    """Lawyer review s10, problem 3, control: the ad partner in the UK: no country is named,
    the steps are."""
    folder = _scenario(tmp_path, "d1")
    edit_once(folder / "scenario.yaml", "country: CN", "country: GB")
    [(_, code, message)] = _subprocessing(folder)
    assert code == "disclosure-outside-instructions"
    assert "giving it to Dragon Ads Ltd for that party's own use" in message
    assert "outside the UK" not in message
    assert STEPS.format(data="the data disclosed") in message


def test_problem_4_the_explicit_consent_row_cites_art_49_1_a_and_49_3(tmp_path: Path) -> None:
    """Lawyer review s10, problem 4 (B2): the pass on the school trip's explicit-consent
    transfer cites Art. 49(1)(a), 49(3) and EDPB 2/2018 sections 1 and 2.1, not the second
    subparagraph of Art. 49(1) (compelling legitimate interests)."""
    _, passes = _transfer(_scenario(tmp_path, "b2"), "trip-details")
    assert passes == {
        "GDPR-TRANSFER": (
            "occasional: taken on trust: a transfer under 'art49_explicit_consent' (Art. "
            "49(1)(a) explicit consent derogation) must be occasional and non-routine, which "
            "the map cannot show; the flow says so (occasional: true) (UK GDPR Art. "
            "49(1)(a), 49(3); EDPB Guidelines 2/2018 sections 1 and 2.1)",
        )
    }


def _table_with(section: str, **changes: object) -> None:
    """Validate the shipped transfer table with one row's fields changed."""
    path = Path(legal.__file__).parent / "legal" / "transfers.yaml"
    raw = parse_text(path.read_text(encoding="utf-8"), str(path)).data
    raw[section] = {**raw[section], **changes}
    legal.TransferTable.model_validate(raw)


def test_problems_1_2_the_table_refuses_rows_that_name_unknown_grounds_or_no_source() -> None:
    """Lawyer review s10, problems 1-2: a refusal row naming a ground its mechanisms do not
    have, or an exception with no source, is refused when the table loads."""
    _table_with("derogation_to_processor")  # the shipped rows load
    with pytest.raises(ValidationError, match="names grounds \\['contract'\\]"):
        _table_with("derogation_to_processor", grounds=["contract"])
    # an exception to the storage row is refused whatever it names (DPO review s17)
    with pytest.raises(ValidationError, match="except_grounds and except_source were removed"):
        _table_with("storage_abroad", except_grounds=["legal_claims"], except_source="x")


def test_flowaudit_law_prints_what_no_derogation_carries() -> None:
    """The two refusal rows the transfer rule's derogation-for-storage and
    derogation-to-processor rest on were printed by no command: `flowaudit law` lists them,
    each marked UNCONFIRMED with its source (left open by lawyer review s10's fix)."""
    printed = run(["law", "--as-of", "2026-11-25"])
    assert printed.exit_code == 0
    lines = printed.stdout.splitlines()
    at = lines.index("What no Art. 49 derogation carries:")
    assert lines[at + 1].startswith(
        "  storage-abroad-systematic [UNCONFIRMED]: no derogation carries data kept in a store "
        "abroad held for the organisation"
    )
    assert lines[at + 3].startswith(
        "  contract-derogation-not-to-processor [UNCONFIRMED]: the contract grounds (Art. "
        "49(1)(b), (c)) do not carry a transfer to the organisation's own processor"
    )
