"""A finding two rules merge into keeps the severity its code is graded (review 2026-12-02b,
problem 3): a lawful transfer whose record names the wrong row is a finding about the record,
graded medium or low by the law's rule (GDPR-TRANSFER's code_severity), whichever other rule
(CONCERO-TRANSFER, the notice's promise of the same safeguards) joins it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import FIXTURES, audit_files
from tests.helpers import audit_paths as audit


def _variation(root: Path, edits: dict[str, list[tuple[str, str]]], extra: str = "") -> Path:
    """A copy of the shipped Concero map with each (old, new) text replaced once in its file,
    and ``extra`` as one more map file."""
    target = root / "concero"
    shutil.copytree(shipped_map_dir(), target)
    for name, changes in edits.items():
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    if extra:
        (target / "extra.yaml").write_text(extra, encoding="utf-8")
    return target


def _hosting_us(result: AuditResult) -> Finding:
    (found,) = [
        f
        for f in result.findings
        if f.element == ("flows", "hosting-us") and "GDPR-TRANSFER" in f.rule_ids
    ]
    return found


def test_privacy_shield_recorded_for_a_uk_extension_listed_host_is_medium_when_merged(
    tmp_path: Path,
) -> None:
    """Variation rs: the US host is listed under the UK Extension too; the flow still records
    the Privacy Shield. The transfer is lawful (SI 2023/1028); the record is wrong (medium)."""
    mapped = _variation(
        tmp_path,
        {
            "organisation.yaml": [
                (
                    "listed_under: [privacy_shield_eu_us]",
                    "listed_under: [privacy_shield_eu_us, uk_extension]",
                )
            ]
        },
    )
    result = audit([str(mapped)], date(2026, 12, 2))
    finding = _hosting_us(result)
    assert (finding.rule_id, finding.also, finding.code, finding.severity.value) == (
        "GDPR-TRANSFER",
        ("CONCERO-TRANSFER",),
        "recorded-safeguard-invalid",
        "medium",
    )
    notice, law = result.references_of(finding)
    assert notice == ["N-LOCATION", "N-ABROAD"]
    assert law == [
        "UK GDPR Art. 30(1)(e)",
        "UK GDPR Art. 13(1)(f)",
        "CJEU C-311/18 (Schrems II)",
    ]


def test_old_sccs_recorded_under_the_eu_row_are_low_when_merged(tmp_path: Path) -> None:
    """Variation s: old EU SCCs concluded 2022-09-20, recorded as eu_scc_old (the EU
    exporters' row) instead of eu_scc_old_uk, on their last valid day for a UK exporter
    (2024-03-20; invalid from 2024-03-21): a lawful transfer, a label to correct (low)."""
    extra = (
        "agreements:\n"
        "  - {id: us-old-scc, kind: eu_scc_old, parties: [concero, us-hosting], status: signed,\n"
        "     signed_on: 2022-09-20, evidence: Legal/contracts/us-old-scc.pdf,\n"
        "     categories: [contact, support, credentials]}\n"
        "assessments:\n"
        "  - {id: us-tra, kind: transfer_risk, completed_on: 2022-09-01,\n"
        "     evidence: Legal/assessments/us-tra.pdf}\n"
    )
    mapped = _variation(
        tmp_path,
        {
            "flows.yaml": [
                (
                    "    transfer_mechanism: privacy_shield_eu_us\n",
                    "    transfer_mechanism: eu_scc_old\n"
                    "    transfer_agreement: us-old-scc\n"
                    "    assessments: [us-tra]\n",
                )
            ]
        },
        extra,
    )
    result = audit([str(mapped)], date(2024, 3, 20))
    finding = _hosting_us(result)
    assert (finding.rule_id, finding.also, finding.code, finding.severity.value) == (
        "GDPR-TRANSFER",
        ("CONCERO-TRANSFER",),
        "recorded-under-other-row",
        "low",
    )
    assert result.references_of(finding)[1] == ["UK GDPR Art. 30(1)(e)"]
    assert finding.message.endswith("record transfer_mechanism: eu_scc_old_uk")


_NOTICE_RULE = """policy: {{id: test-notice, title: T}}
rules:
  - id: TEST-TRANSFER
    kind: transfer
    title: T
    severity: critical
    rationale: r
    references: {{notice: [N-LOCATION]}}
    fix: f
{grades}"""


def _merged_with(tmp_path: Path, grades: str) -> Finding:
    policy = tmp_path / "notice.yaml"
    policy.write_text(_NOTICE_RULE.format(grades=grades), encoding="utf-8")
    result = audit_files(
        FIXTURES / "transfers" / "listed-importer-records.yaml",
        as_of="2024-06-01",
        user_policies=[policy],
    )
    (found,) = [
        f
        for f in result.findings
        if f.element == ("flows", "names-shield") and "GDPR-TRANSFER" in f.rule_ids
    ]
    return found


def test_a_rule_that_grades_nothing_does_not_raise_a_code_the_law_grades(tmp_path: Path) -> None:
    """The engine, whatever the notice policy says: a rule's default severity is for codes it
    does not grade, so the law's grade (medium) holds and the law's rule leads."""
    merged = _merged_with(tmp_path, "")
    assert (merged.rule_id, merged.also, merged.code, merged.severity.value) == (
        "GDPR-TRANSFER",
        ("TEST-TRANSFER",),
        "recorded-safeguard-invalid",
        "medium",
    )


def test_the_highest_grade_of_a_code_leads(tmp_path: Path) -> None:
    """Two rules that grade the code: the higher grade is the finding's, its rule leading."""
    merged = _merged_with(tmp_path, "    code_severity: {recorded-*: high}\n")
    assert (merged.rule_id, merged.also, merged.severity.value) == (
        "TEST-TRANSFER",
        ("GDPR-TRANSFER",),
        "high",
    )
    lower = _merged_with(tmp_path, "    code_severity: {recorded-*: low}\n")
    assert (lower.rule_id, lower.also, lower.severity.value) == (
        "GDPR-TRANSFER",
        ("TEST-TRANSFER",),
        "medium",
    )


def test_a_house_rule_grading_the_laws_code_lower_cannot_lower_the_finding(
    tmp_path: Path,
) -> None:
    """A house rule of the transfer kind grading mechanism-invalid info joined the law's
    critical finding on hosting-us and made it info: a map-only change then passed the gate
    (attack review 2026-12-02e, hole 1). Only the law's own grades may set a problem below
    another rule's default; a house rule's grade can only raise it, and so can an override's
    grade on a shipped rule."""
    policy = tmp_path / "house.yaml"
    policy.write_text(
        "policy: {id: acme-house, title: House rules}\n"
        "rules:\n"
        "  - id: ACME-TRANSFER\n"
        "    kind: transfer\n"
        "    title: Transfers as we see them\n"
        "    severity: low\n"
        "    rationale: ours\n"
        "    references: {legal: [UK GDPR Art. 46]}\n"
        "    fix: none\n"
        "    code_severity: {mechanism-invalid: info}\n"
        "overrides:\n"
        "  - rule: CONCERO-TRANSFER\n"
        "    set: {code_severity: {mechanism-invalid: info}}\n"
        "    justification: we think so\n",
        encoding="utf-8",
    )
    result = audit_files(
        shipped_map_dir(),
        policies=("uk-gdpr", "hygiene", "concero-notice"),
        user_policies=[policy],
        base=False,
    )
    found = _hosting_us(result)
    assert set(found.rule_ids) == {"GDPR-TRANSFER", "CONCERO-TRANSFER", "ACME-TRANSFER"}
    assert (found.code, found.severity.value) == ("mechanism-invalid", "critical")


def test_merging_many_parts_keeps_each_once_in_order_and_its_fuller_words() -> None:
    """Attack review 2026-12-03p, problem 1: a merged finding's parts were compared each with
    every kept one at every merge (cubic). The indexed merge must say the same as before:
    each part once, a shorter part replaced in place by the one with its reason in brackets,
    and a message built by merges into an earlier merge's message alike."""
    from flowaudit.checks.engine import _SAID, _distinct, _merged_message

    assert _distinct(["a", "b", "a (why)", "c", "b", "c (x) (y)", "c (x)"]) == [
        "a (why)",
        "b",
        "c (x) (y)",
    ]
    _SAID.clear()
    message = "undeclared 'x0'"
    for n in range(1, 400):
        message = _merged_message(message, [f"undeclared 'x{n}'", f"undeclared 'x{n - 1}'"])
    assert message == "; ".join(f"undeclared 'x{n}'" for n in range(400))
    # a lead that says a part twice is joined anew, as _distinct would
    assert _merged_message("a; a; b", ["b (why)"]) == "a; b (why)"


def test_a_merge_of_a_few_parts_and_one_of_many_say_the_same_as_distinct() -> None:
    """The merge compares a handful of parts directly and indexes more (the common merge of
    two or three rules stays as cheap as before: paired timing, 1.10 per pair on the 100k
    map with the index alone, 1.03 with the direct path): both say what _distinct says."""
    from flowaudit.checks.engine import _FEW, _SAID, _distinct, _merged_message

    _SAID.clear()
    few = "a; b (why)"
    assert _merged_message(few, ["a (why)", "b"]) == "; ".join(
        _distinct(["a", "b (why)", "a (why)", "b"])
    )
    many = "; ".join(f"p{n}" for n in range(_FEW))
    assert _merged_message(many, ["p3 (why)", "q"]) == "; ".join(
        _distinct([*many.split("; "), "p3 (why)", "q"])
    )


def test_a_part_of_thousands_of_brackets_is_indexed_by_its_last_few_beginnings() -> None:
    """Attack review 2026-12-03q, problem 1: every beginning a bracket follows was indexed,
    so a reason of 5,000 " (" cost its length squared (1.8 GB for a 688 KB map)."""
    from flowaudit.checks.engine import _BEGINNINGS, _beginnings

    part = "x" + " (" * 5000
    found = _beginnings(part)
    assert len(found) == _BEGINNINGS
    assert found[-1] == part[: part.rfind(" (")]
    assert _beginnings("a (b) (c)") == ["a", "a (b)"]
