from tests.helpers import FIXTURES, at, audit_files, kind_hits

KIND = "agreement_evidence"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-EVIDENCE"


def test_good_signed_agreement_with_date_and_evidence_and_unsigned_ones_pass() -> None:
    assert kind_hits(KIND, "good") == []
    result = audit_files(
        FIXTURES / "checks" / KIND / "good.yaml",
        policies=(),
        user_policies=[FIXTURES / "checks" / KIND / "policy.yaml"],
    )
    assert [e.element for e in result.passed] == [("agreements", "signed-dpa")]


def test_bad_signed_agreements_without_date_or_evidence() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "undated-dpa", "no-signing-date", at(KIND, "bad", "undated-dpa")),
            (RULE, "no-copy-dpa", "no-evidence", at(KIND, "bad", "no-copy-dpa")),
            (RULE, "blank-copy-dpa", "no-evidence", at(KIND, "bad", "blank-copy-dpa")),
            (RULE, "bare-dpa", "no-signing-date", at(KIND, "bad", "bare-dpa")),
            (RULE, "bare-dpa", "no-evidence", at(KIND, "bad", "bare-dpa")),
        ]
    )


def test_the_shipped_hygiene_policy_applies_it() -> None:
    result = audit_files(FIXTURES / "checks" / KIND / "bad.yaml", policies=("hygiene",))
    assert {f.element[1] for f in result.findings if f.rule_id == "HYG-AGREEMENT-EVIDENCE"} == {
        "undated-dpa",
        "no-copy-dpa",
        "blank-copy-dpa",
        "bare-dpa",
    }
