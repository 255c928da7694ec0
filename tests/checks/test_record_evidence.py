from tests.conftest import FIXTURES, at, audit_files, kind_hits

KIND = "record_evidence"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-RECORDS"


def test_good_dated_and_evidenced_records_pass_as_evidence() -> None:
    assert kind_hits(KIND, "good") == []
    result = audit_files(
        FIXTURES / "checks" / KIND / "good.yaml",
        policies=(),
        user_policies=[FIXTURES / "checks" / KIND / "policy.yaml"],
    )
    assert [e.element for e in result.passed] == [
        ("assessments", "lia-support"),
        ("assessments", "tra-us"),
        ("consent_records", "newsletter"),
    ]


def test_bad_records_without_date_or_evidence() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "undated-lia", "no-completion-date", at(KIND, "bad", "undated-lia")),
            (RULE, "no-copy-tra", "no-evidence", at(KIND, "bad", "no-copy-tra")),
            (RULE, "blank-copy-dpia", "no-evidence", at(KIND, "bad", "blank-copy-dpia")),
            (RULE, "bare-lia", "no-completion-date", at(KIND, "bad", "bare-lia")),
            (RULE, "bare-lia", "no-evidence", at(KIND, "bad", "bare-lia")),
            (RULE, "no-log", "no-evidence", at(KIND, "bad", "no-log")),
            (RULE, "blank-log", "no-evidence", at(KIND, "bad", "blank-log")),
        ]
    )


def test_the_shipped_hygiene_policy_applies_it_with_plain_messages() -> None:
    result = audit_files(FIXTURES / "checks" / KIND / "bad.yaml", policies=("hygiene",))
    found = {
        (f.element[1], f.code, f.severity.value): f.message
        for f in result.findings
        if f.rule_id == "HYG-RECORD-EVIDENCE"
    }
    assert found == {
        ("undated-lia", "no-completion-date", "high"): "legitimate interests assessment "
        "'undated-lia' is on record with no completion date (completed_on)",
        ("no-copy-tra", "no-evidence", "high"): "transfer risk assessment 'no-copy-tra' is on "
        "record with no reference to the document itself (evidence)",
        ("blank-copy-dpia", "no-evidence", "high"): "DPIA 'blank-copy-dpia' is on record with "
        "no reference to the document itself (evidence)",
        ("bare-lia", "no-completion-date", "high"): "legitimate interests assessment "
        "'bare-lia' is on record with no completion date (completed_on)",
        ("bare-lia", "no-evidence", "high"): "legitimate interests assessment 'bare-lia' is "
        "on record with no reference to the document itself (evidence)",
        ("no-log", "no-evidence", "high"): "consent record 'no-log' says how consent is asked "
        "but not where the records of who consented, when and to what are kept (evidence)",
        ("blank-log", "no-evidence", "high"): "consent record 'blank-log' says how consent is "
        "asked but not where the records of who consented, when and to what are kept "
        "(evidence)",
    }
