"""DPO review s17 of the shipped Concero verdict: one finding per problem, and what a map
may mark as assumed.

- Problem 2a: a purpose resting on legitimate interests with no assessment gave one HIGH
  GDPR-BASIS finding per flow; the interest an assessment weighs is the purpose's, and one
  assessment per purpose is what Art. 6(1)(f) and the ICO's guidance expect, so the gap is
  one finding per purpose, at its first flow, naming the others (as the Art. 26 gap is one per
  joint purpose and party). The shipped map's website-visits and third-party-insights, both
  for web_development, are now one finding: 58 findings became 57 (12 high became 11).
- Problem 2b: CONCERO-SHARE-PERMISSION asked for the customer's permission once per flow;
  one permission names who receives the data and where it goes, so every flow to one
  recipient for one purpose rests on it: one finding per sender, recipient and purpose
  (``one_per_recipient_purpose`` on the rule). No shipped finding changes (each of its
  flows goes to another recipient).
- Problem 3: a system may mark its retention period and encryption at rest as assumed (a
  provider's word), not only its country: a pass rests on it and says so, a finding on it
  says so, the record of processing marks it, and a mark on a value not recorded is an error.
- Problem 4: the legal table's ``storage_abroad.except_grounds`` re-opened the hole lawyer
  review s12 closed (routine hosting relabelled "legal claims"), listed nothing since, and is
  removed; a table that names it is refused with the reason.
- Problem 5: ``_occasional_on_trust`` judged a passing transfer a second time to learn which
  row the pass rested on; it now reads the rows of the pass's own verdict.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from flowaudit.checks import transfer
from flowaudit.checks.result import AuditResult
from flowaudit.model.yamlsource import parse_text
from flowaudit.policies import legal
from tests.helpers import (
    EXTRA,
    audit_folder,
    concero_repo,
    concero_with,
    review_lines,
    run,
    run_gate,
    shipped_map_dir,
)

FIXTURES = Path(__file__).parent / "fixtures"

#: The shipped map's verdict after this review (as of the README's date).
SHIPPED_COUNTS = {"critical": 3, "high": 11, "medium": 39, "low": 4, "info": 0}

LIA = "Legitimate interests, Art. 6(1)(f) needs a legitimate interests assessment on file"


def _rows(result: AuditResult, rule_id: str) -> list[tuple[Any, ...]]:
    """(element id, code, severity, file name, line, message, flows) of a rule's findings."""
    rows = []
    for f in result.findings:
        if f.rule_id != rule_id and rule_id not in f.also:
            continue
        assert f.location is not None
        rows.append(
            (
                f.element[1],
                f.code,
                f.severity.value,
                Path(f.location.file).name,
                f.location.line,
                f.message,
                f.flows,
            )
        )
    return rows


def _passed(result: AuditResult, rule_id: str) -> set[str]:
    return {e.element[1] for e in result.passed if e.rule_id == rule_id}


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of the one line of ``path`` that holds ``text``."""
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    assert len(lines) == 1, lines
    return lines[0]


# -- problem 2a: one legitimate interests assessment per purpose --------------------------


def test_shipped_map_has_one_lia_finding_per_purpose() -> None:
    result = audit_folder(shipped_map_dir())
    flows = shipped_map_dir() / "flows.yaml"
    no_assessment = [r for r in _rows(result, "GDPR-BASIS") if r[1] == "no-assessment"]
    assert no_assessment == [
        (
            "call-recording",
            "no-assessment",
            "high",
            "flows.yaml",
            _line_of(flows, "- id: call-recording"),
            f"{LIA}; none is linked",
            (),
        ),
        (
            "third-party-insights",
            "no-assessment",
            "high",
            "flows.yaml",
            _line_of(flows, "- id: third-party-insights"),
            f"{LIA} for the purpose 'web_development' (flows third-party-insights, "
            "website-visits: one assessment weighs the purpose); none is linked",
            ("third-party-insights", "website-visits"),
        ),
    ]
    # the flow the finding covers is judged there: no finding of its own, and no pass
    assert not [f for f in result.findings if f.element == ("flows", "website-visits")]
    assert "website-visits" not in _passed(result, "GDPR-BASIS")
    severities = dict.fromkeys(SHIPPED_COUNTS, 0)
    for f in result.findings:
        severities[f.severity.value] += 1
    assert len(result.findings) == 57
    assert severities == SHIPPED_COUNTS


def test_shipped_map_json_names_the_flows_of_the_grouped_lia() -> None:
    out = run(["check", "--format", "json", "--as-of", "2026-11-25"])
    assert out.exit_code == 1
    data = json.loads(out.output)
    grouped = [
        f
        for f in data["findings"]
        if f["rule_id"] == "GDPR-BASIS" and f["element"]["id"] == "third-party-insights"
    ]
    assert [(f["code"], f.get("flows")) for f in grouped] == [
        ("no-assessment", ["third-party-insights", "website-visits"])
    ]
    summary = data["summary"]
    assert (summary["findings"], summary["by_severity"], summary["passed"]) == (
        57,
        SHIPPED_COUNTS,
        225,
    )


WEBSITE_VISITS = """  - id: website-visits
    from: concero
    to: website-analytics
    categories: [web.traffic, web.location]
    subjects: [website_visitors]
    purpose: web_development
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-COLLECT

"""


def test_a_flow_leaving_the_purpose_leaves_its_finding_standing_in_the_gate(
    tmp_path: Path,
) -> None:
    """website-visits deleted: the purpose still lacks its assessment, so the finding on
    third-party-insights stands, existing (matched by its problem, not the flows it names),
    and is neither new nor gone; nothing is put to a person."""
    repo = concero_repo(tmp_path, "")
    repo.edit("flows.yaml", WEBSITE_VISITS, "")
    result = run_gate(
        ["check", str(repo.files), "--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "low"]
    )
    assert review_lines(result.stdout) == []
    lines = result.stdout.splitlines()
    # the one new finding is the store no flow fills any more; the assessment's is not new,
    # nor gone: it stands on third-party-insights, naming no other flow
    assert (
        "FAIL: 1 new finding at or above low against HEAD: HYG-STORE-SOURCE "
        "systems/website-analytics (no-source). Not failed on: 57 existing findings."
    ) in lines, result.printed
    assert (
        "Against HEAD: 1 new finding (1 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 0 changes to review (0 accepted)."
    ) in result.output.splitlines()
    (basis,) = [line for line in lines if "GDPR-BASIS flows/third-party-insights:" in line]
    assert basis.endswith(f"HIGH GDPR-BASIS flows/third-party-insights: {LIA}; none is linked")


_LI_FLOWS = """
flows:
  - {id: li-one, from: concero, to: crm, categories: [contact.name], subjects: [customer_staff],
     purpose: service_change_notices, basis: legitimate_interests, encrypted_in_transit: true,
     notice: N-PURPOSE}
  - {id: li-two, from: concero, to: crm, categories: [contact.email], subjects: [customer_staff],
     purpose: service_change_notices, basis: legitimate_interests, encrypted_in_transit: true,
     notice: N-PURPOSE}
  - {id: li-three, from: concero, to: crm, categories: [contact.email],
     subjects: [customer_staff], purpose: subscribed_service_changes,
     basis: legitimate_interests, encrypted_in_transit: true, notice: N-PURPOSE}
"""

_LIA = """
assessments:
  - {id: lia-notices, kind: legitimate_interests, completed_on: 2025-01-01,
     evidence: DP/lia-notices.pdf, purposes: [service_change_notices]}
"""


def test_two_flows_for_one_purpose_are_one_lia_finding(tmp_path: Path) -> None:
    folder = concero_with(tmp_path, _LI_FLOWS)
    result = audit_folder(folder)
    extra = folder / EXTRA
    mine = [r for r in _rows(result, "GDPR-BASIS") if r[0].startswith("li-")]
    assert mine == [
        (
            "li-one",
            "no-assessment",
            "high",
            EXTRA,
            _line_of(extra, "id: li-one"),
            f"{LIA} for the purpose 'service_change_notices' (flows li-one, li-two: one "
            "assessment weighs the purpose); none is linked",
            ("li-one", "li-two"),
        ),
        # another purpose, another assessment: its own finding, worded as before
        (
            "li-three",
            "no-assessment",
            "high",
            EXTRA,
            _line_of(extra, "id: li-three"),
            f"{LIA}; none is linked",
            (),
        ),
    ]
    assert {"li-one", "li-two", "li-three"}.isdisjoint(_passed(result, "GDPR-BASIS"))
    # the shipped map's own finding count grows by two problems, not three
    assert len(result.findings) == 57 + 2


def test_a_linked_assessment_clears_its_flow_and_the_other_stays_one_finding(
    tmp_path: Path,
) -> None:
    linked = _LI_FLOWS.replace(
        "  - {id: li-one, from: concero,",
        "  - {id: li-one, assessment: lia-notices, from: concero,",
    )
    result = audit_folder(concero_with(tmp_path, linked + _LIA))
    mine = [(r[0], r[5], r[6]) for r in _rows(result, "GDPR-BASIS") if r[0].startswith("li-")]
    # (findings come by rule, then element id)
    assert mine == [
        ("li-three", f"{LIA}; none is linked", ()),
        # the assessment on file for its purpose named, to link (newcomer review s21)
        (
            "li-two",
            f"{LIA}; none is linked; the map has 'lia-notices' on file for the purpose "
            "'service_change_notices': link it on this flow (assessment: lia-notices) if it "
            "weighs this processing too",
            (),
        ),
    ]
    assert "li-one" in _passed(result, "GDPR-BASIS")


# -- problem 2b: one N-SHARE permission per recipient and purpose -------------------------

_SHARED = """
parties:
  - id: events-co
    name: Events company
    kind: events
    country: GB
    role: controller
    notice: N-CURRICULUM
flows:
  - {id: share-one, from: concero, to: events-co, categories: [contact.name],
     subjects: [customer_staff], purpose: product_introductions, basis: consent,
     consent_record: intro-consent, encrypted_in_transit: true, notice: N-CURRICULUM}
  - {id: share-two, from: concero, to: events-co, categories: [contact.email],
     subjects: [customer_staff], purpose: product_introductions, basis: consent,
     consent_record: intro-consent, encrypted_in_transit: true, notice: N-CURRICULUM}
  - {id: share-three, from: concero, to: events-co, categories: [contact.email],
     subjects: [customer_staff], purpose: training_accreditation, basis: consent,
     consent_record: intro-consent, encrypted_in_transit: true, notice: N-CURRICULUM}
consent_records:
  - {id: intro-consent, method: ticked box on the events form, explicit: true,
     affirmative_act: true, bundled_with_terms: false, evidence: CRM/consents,
     purposes: [product_introductions, training_accreditation]}
"""

PERMISSION = (
    "Concero Technology Services (controller) → Events company (independent controller): no "
    "record shows the customer's explicit permission naming who receives the data and where "
    "it goes (N-SHARE); record where it is kept"
)


def test_flows_to_one_recipient_for_one_purpose_are_one_permission_finding(
    tmp_path: Path,
) -> None:
    folder = concero_with(tmp_path, _SHARED)
    result = audit_folder(folder)
    extra = folder / EXTRA
    mine = [
        (r[0], r[1], r[2], r[4], r[5], r[6])
        for r in _rows(result, "CONCERO-SHARE-PERMISSION")
        if r[0].startswith("share-")
    ]
    assert mine == [
        (
            "share-one",
            "no-permission",
            "medium",
            _line_of(extra, "id: share-one"),
            f"{PERMISSION} (one record for the purpose 'product_introductions' serves flows "
            "share-one, share-two)",
            ("share-one", "share-two"),
        ),
        # another purpose: a permission of its own
        (
            "share-three",
            "no-permission",
            "medium",
            _line_of(extra, "id: share-three"),
            PERMISSION,
            (),
        ),
    ]
    assert {"share-one", "share-two", "share-three"}.isdisjoint(
        _passed(result, "CONCERO-SHARE-PERMISSION")
    )


def test_shipped_share_permission_findings_are_unchanged() -> None:
    result = audit_folder(shipped_map_dir())
    assert [(r[0], r[1], r[2], r[6]) for r in _rows(result, "CONCERO-SHARE-PERMISSION")] == [
        ("product-introductions", "missing", "high", ()),
        ("procurement-quotes", "no-permission", "medium", ()),
        ("training-accreditation", "no-permission", "medium", ()),
        ("card-payments", "role-undecided", "medium", ()),
        ("isp-provisioning", "role-undecided", "medium", ()),
    ]


# -- problem 3: retention and encryption at rest may be assumed --------------------------

_ASSUMED_STORE = """
systems:
  - id: backup-store
    name: Offsite backup
    owner: uk-hosting
    country: GB
    categories: [contact]
    subjects: [customer_staff]
    retention_days: 90
    retention_justification: backup rotation
    encrypted_at_rest: true
    assumed:
      retention_days: the provider's terms say 90 days; no contract clause seen
      encrypted_at_rest: the provider's website says so; no evidence on file
flows:
  - {id: to-backup, from: concero, to: backup-store, categories: [contact.name],
     subjects: [customer_staff], purpose: sla_support, basis: contract, agreement: uk-hosting-dpa,
     encrypted_in_transit: true, notice: N-LOCATION}
"""


def test_a_pass_on_an_assumed_retention_or_encryption_says_so(tmp_path: Path) -> None:
    result = audit_folder(concero_with(tmp_path, _ASSUMED_STORE))
    notes = {
        (e.rule_id, e.assumed)
        for e in result.passed
        if e.element == ("systems", "backup-store") and e.assumed
    }
    assert notes == {
        (
            "GDPR-RETENTION",
            (
                "backup-store retention_days 90 (the provider's terms say 90 days; no contract "
                "clause seen)",
            ),
        ),
        (
            "CONCERO-ENCRYPT",
            (
                "backup-store encrypted_at_rest true (the provider's website says so; no evidence "
                "on file)",
            ),
        ),
    }
    assert not [f for f in result.findings if f.element == ("systems", "backup-store")]


def test_a_finding_on_an_assumed_encryption_says_so(tmp_path: Path) -> None:
    plain = _ASSUMED_STORE.replace("encrypted_at_rest: true", "encrypted_at_rest: false")
    folder = concero_with(tmp_path, plain)
    result = audit_folder(folder)
    assert [
        (r[0], r[1], r[2], r[4], r[5])
        for r in _rows(result, "CONCERO-ENCRYPT")
        if r[0] == "backup-store"
    ] == [
        (
            "backup-store",
            "rest-plain",
            "high",
            _line_of(folder / EXTRA, "encrypted_at_rest: false"),
            "stored without encryption at rest (assumed, to be verified: the provider's "
            "website says so; no evidence on file)",
        )
    ]


def test_the_record_of_processing_marks_assumed_retention_and_encryption(
    tmp_path: Path,
) -> None:
    folder = concero_with(tmp_path, _ASSUMED_STORE)
    out = run(["ropa", str(folder), "--format", "csv", "--as-of", "2026-11-25"])
    assert out.exit_code == 0, out.output
    assert "Offsite backup: 90 days [ASSUMED] (backup rotation)" in out.output
    assert "encrypted at rest: " in out.output
    assert "Offsite backup [ASSUMED]" in out.output


def test_an_assumed_mark_on_a_value_not_recorded_is_a_located_error(tmp_path: Path) -> None:
    unsaid = _ASSUMED_STORE.replace("    retention_days: 90\n", "")
    folder = concero_with(tmp_path, unsaid)
    out = run(["validate", str(folder)])
    assert out.exit_code == 2
    line = _line_of(folder / EXTRA, "    assumed:")
    assert f"{EXTRA}:{line}:" in out.output
    assert (
        "retention_days is marked assumed but not recorded: record the value assumed "
        "(retention_days: ...), or delete the mark"
    ) in out.output


def test_a_party_still_marks_only_country_and_listing(tmp_path: Path) -> None:
    party = """
parties:
  - {id: odd-party, name: Odd party, kind: events, country: GB, role: controller,
     assumed: {retention_days: on their word}}
"""
    out = run(["validate", str(concero_with(tmp_path, party))])
    assert out.exit_code == 2
    assert "retention_days" in out.output


# -- problem 4: except_grounds removed -------------------------------------------------------


def _transfer_table_with(**changes: object) -> None:
    path = Path(legal.__file__).parent / "legal" / "transfers.yaml"
    raw = parse_text(path.read_text(encoding="utf-8"), str(path)).data
    raw["storage_abroad"] = {**raw["storage_abroad"], **changes}
    legal.TransferTable.model_validate(raw)


def test_the_storage_row_has_no_exception_and_refuses_one() -> None:
    _transfer_table_with()  # the shipped row loads
    assert "except_grounds" not in legal.StorageAbroad.model_fields
    assert "except_source" not in legal.StorageAbroad.model_fields
    for changes in (
        {"except_grounds": ["legal_claims"], "except_source": "x"},
        {"except_grounds": []},
    ):
        with pytest.raises(ValidationError) as raised:
            _transfer_table_with(**changes)
        assert "except_grounds and except_source were removed (DPO review s17)" in str(raised.value)


# -- problem 5: a pass's occasional fact reads its own verdict --------------------------------


OCCASIONAL = (
    "occasional: taken on trust: a transfer under 'art49_explicit_consent' (Art. 49(1)(a) "
    "explicit consent derogation) must be occasional and non-routine, which the map cannot "
    "show; the flow says so (occasional: true) (UK GDPR Art. 49(1)(a), 49(3); EDPB Guidelines "
    "2/2018 sections 1 and 2.1)"
)


def test_an_occasional_pass_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    judged: list[tuple[str, str]] = []
    real = transfer._judge

    def counting(ctx: Any, flow: Any, exporter: str, country: str) -> Any:
        caller = inspect.stack()[2].function  # (past _judge_marked, which every caller uses)
        judged.append((flow.id, caller))
        return real(ctx, flow, exporter, country)

    monkeypatch.setattr(transfer, "_judge", counting)
    from datetime import date

    result = audit_folder(FIXTURES / "lawyer_s16" / "uk-us-art49-consent", date(2026, 6, 1))
    passes = [e for e in result.passed if e.element == ("flows", "f1") and OCCASIONAL in e.assumed]
    rules = sorted(e.rule_id for e in passes)
    assert rules == ["GDPR-TRANSFER"]
    # the transfer rule judges the flow once, for its verdict and its note (it judged it
    # again in _occasional_on_trust), and the onward rule once, for its own question
    assert sorted(judged) == [("f1", "evaluate"), ("f1", "judge_transfer_marked")]
    assert not [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
