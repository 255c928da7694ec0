from tests.helpers import FIXTURES, audit_files, hits, line_of

GOOD = FIXTURES / "checks" / "agreement" / "good.yaml"
BAD = FIXTURES / "checks" / "agreement" / "bad.yaml"


def test_good_fixture_has_no_agreement_findings_and_records_passes() -> None:
    result = audit_files(GOOD)
    assert hits(result, "GDPR-AGREEMENT") == []
    passed = {e.element[1] for e in result.passed if e.rule_id == "GDPR-AGREEMENT"}
    # internal flows and data received as a controller are not judged by this rule
    assert passed == {"to-processor", "to-controller"}


def test_bad_fixture_reports_each_problem_at_its_line() -> None:
    result = audit_files(BAD)

    def at(flow: str) -> int:
        return line_of(BAD, f"id: {flow},")

    assert sorted(hits(result, "GDPR-AGREEMENT")) == sorted(
        [
            ("GDPR-AGREEMENT", "no-agreement", "missing", at("no-agreement")),
            ("GDPR-AGREEMENT", "unknown-status", "unknown-status", at("unknown-status")),
            ("GDPR-AGREEMENT", "draft", "draft", at("draft")),
            ("GDPR-AGREEMENT", "expired", "expired", at("expired")),
            ("GDPR-AGREEMENT", "wrong-kind", "wrong-kind", at("wrong-kind")),
            ("GDPR-AGREEMENT", "not-covered", "categories-not-covered", at("not-covered")),
            ("GDPR-AGREEMENT", "wrong-parties", "wrong-parties", at("wrong-parties")),
            ("GDPR-AGREEMENT", "acme-as-processor", "missing", at("acme-as-processor")),
        ]
    )


def test_agreement_expiring_on_the_audit_date_is_still_in_force() -> None:
    def expired(as_of: str) -> list[str]:
        found = hits(audit_files(BAD, as_of=as_of))
        return [h[2] for h in found if h[1] == "expired" and h[0] == "GDPR-AGREEMENT"]

    assert expired("2025-01-01") == []
    assert expired("2025-01-02") == ["expired"]


def test_finding_points_at_the_agreement_field() -> None:
    result = audit_files(BAD)
    finding = next(f for f in result.findings if f.element == ("flows", "draft"))
    line = line_of(BAD, "id: draft,")
    text = BAD.read_text().splitlines()[line - 1]
    assert finding.location is not None
    assert finding.location.column == text.index("agreement: draft-dpa") + 1
