from tests.helpers import FIXTURES, audit_files, hits, line_of

GOOD = FIXTURES / "checks" / "lawful_basis" / "good.yaml"
BAD = FIXTURES / "checks" / "lawful_basis" / "bad.yaml"


def test_good_fixture_passes() -> None:
    result = audit_files(GOOD)
    assert hits(result, "GDPR-BASIS") == []
    assert {e.element[1] for e in result.passed if e.rule_id == "GDPR-BASIS"} == {
        "by-contract",
        "by-consent",
        "by-lia",
        "by-rli",
    }


def test_bad_fixture_reports_exact_findings() -> None:
    def at(flow: str) -> int:
        return line_of(BAD, f"id: {flow},")

    assert hits(audit_files(BAD), "GDPR-BASIS") == [
        ("GDPR-BASIS", "billing", "not-a-basis", at("billing")),
        ("GDPR-BASIS", "consent-no-record", "no-consent-record", at("consent-no-record")),
        ("GDPR-BASIS", "lia-no-assessment", "no-assessment", at("lia-no-assessment")),
        ("GDPR-BASIS", "lia-wrong-assessment", "no-assessment", at("lia-wrong-assessment")),
        ("GDPR-BASIS", "made-up", "unknown", at("made-up")),
        ("GDPR-BASIS", "no-basis", "missing", at("no-basis")),
    ]


def test_recognised_legitimate_interests_only_from_2026_02_05() -> None:
    before = audit_files(GOOD, as_of="2026-02-04")
    assert hits(before, "GDPR-BASIS") == [
        ("GDPR-BASIS", "by-rli", "not-available", line_of(GOOD, "id: by-rli,"))
    ]
    assert hits(audit_files(GOOD, as_of="2026-02-05"), "GDPR-BASIS") == []
