from tests.conftest import FIXTURES, audit_files, hits, line_of

GOOD = FIXTURES / "checks" / "transfer" / "good.yaml"
BAD = FIXTURES / "checks" / "transfer" / "bad.yaml"


def at(flow: str) -> int:
    return line_of(BAD, f"id: {flow},")


def test_good_fixture_passes_and_records_evidence() -> None:
    result = audit_files(GOOD)
    assert hits(result, "GDPR-TRANSFER") == []
    # domestic flows are no transfer; the EEA is adequate for a UK exporter
    assert {e.element[1] for e in result.passed if e.rule_id == "GDPR-TRANSFER"} == {
        "to-eea",
        "us-listed",
        "us-idta",
        "us-occasional",
    }


def test_bad_fixture_reports_exact_findings() -> None:
    assert sorted(hits(audit_files(BAD), "GDPR-TRANSFER")) == sorted(
        [
            ("GDPR-TRANSFER", "privacy-shield", "mechanism-invalid", at("privacy-shield")),
            ("GDPR-TRANSFER", "by-providing", "not-a-mechanism", at("by-providing")),
            ("GDPR-TRANSFER", "none", "no-mechanism", at("none")),
            ("GDPR-TRANSFER", "unlisted-dpf", "importer-not-listed", at("unlisted-dpf")),
            ("GDPR-TRANSFER", "routine-art49", "derogation-not-routine", at("routine-art49")),
            ("GDPR-TRANSFER", "eu-sccs-for-uk", "wrong-exporter", at("eu-sccs-for-uk")),
            ("GDPR-TRANSFER", "idta-no-evidence", "no-mechanism-agreement", at("idta-no-evidence")),
            ("GDPR-TRANSFER", "made-up", "unknown-mechanism", at("made-up")),
        ]
    )


def test_privacy_shield_passes_in_2019_and_fails_from_the_judgment() -> None:
    def shield(as_of: str) -> list[str]:
        return [
            h[2]
            for h in hits(audit_files(BAD, as_of=as_of), "GDPR-TRANSFER")
            if h[1] == "privacy-shield"
        ]

    assert shield("2019-06-01") == []
    assert shield("2020-07-15") == []
    assert shield("2020-07-16") == ["mechanism-invalid"]
    assert shield("2021-01-01") == ["mechanism-invalid"]


def test_uk_extension_for_a_listed_importer_passes_only_from_2023_10_12() -> None:
    good = FIXTURES / "checks" / "transfer" / "good.yaml"
    before = [
        h
        for h in hits(audit_files(good, as_of="2023-10-11"), "GDPR-TRANSFER")
        if h[1] == "us-listed"
    ]
    assert [h[2] for h in before] == ["no-mechanism"]
