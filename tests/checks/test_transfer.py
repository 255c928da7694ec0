from tests.helpers import FIXTURES, audit_files, hits, line_of

GOOD = FIXTURES / "checks" / "transfer" / "good.yaml"
BAD = FIXTURES / "checks" / "transfer" / "bad.yaml"


def at(flow: str) -> int:
    return line_of(BAD, f"id: {flow},")


def codes(flow: str, as_of: str = "2026-11-25", path: object = BAD) -> list[str]:
    return sorted(
        h[2]
        for h in hits(audit_files(path, as_of=as_of), "GDPR-TRANSFER")  # type: ignore[arg-type]
        if h[1] == flow
    )


def test_good_fixture_passes_and_records_evidence() -> None:
    result = audit_files(GOOD)
    assert hits(result, "GDPR-TRANSFER") == []
    # domestic flows are no transfer; the EEA is adequate for a UK exporter
    assert {e.element[1] for e in result.passed if e.rule_id == "GDPR-TRANSFER"} == {
        "to-eea",
        "us-listed",
        "us-idta",
        "us-occasional",
        "group-bcr",
        "chained-idta",  # the processor's IDTA with its sub-processor, signed for acme
    }


def test_bad_fixture_reports_exact_findings() -> None:
    expected = [
        ("privacy-shield", "mechanism-invalid"),
        ("shield-unlisted", "mechanism-invalid"),
        ("shield-unlisted", "importer-not-listed"),
        ("by-providing", "not-a-mechanism"),
        ("none", "no-mechanism"),
        ("unlisted-dpf", "importer-not-listed"),
        ("routine-art49", "derogation-not-routine"),
        ("routine-art49", "no-explicit-consent"),
        ("eu-sccs-for-uk", "wrong-exporter"),
        ("idta-no-evidence", "no-mechanism-agreement"),
        ("made-up", "unknown-mechanism"),
        ("idta-other-parties", "mechanism-agreement-wrong-parties"),
        ("idta-not-yet-signed", "mechanism-agreement-not-yet-signed"),
        ("idta-no-tra", "no-transfer-assessment"),
        ("old-scc-too-late", "mechanism-invalid"),
        ("old-scc-too-late", "signed-after-cutoff"),
        ("bcr-outside-group", "not-intra-group"),
        ("sensitive-unflagged", "sensitive-not-flagged"),
        ("uninformed-consent", "consent-not-informed"),
    ]
    assert sorted(hits(audit_files(BAD), "GDPR-TRANSFER")) == sorted(
        ("GDPR-TRANSFER", flow, code, at(flow)) for flow, code in expected
    )


def test_privacy_shield_passes_in_2019_for_a_listed_importer_only() -> None:
    assert codes("privacy-shield", "2019-06-01") == []
    assert codes("privacy-shield", "2020-07-15") == []
    assert codes("privacy-shield", "2020-07-16") == ["mechanism-invalid"]
    assert codes("privacy-shield", "2021-01-01") == ["mechanism-invalid"]
    assert codes("shield-unlisted", "2019-06-01") == ["importer-not-listed"]


def test_old_sccs_signed_after_the_cut_off_fail_while_still_valid() -> None:
    assert codes("old-scc-too-late", "2023-06-01") == ["signed-after-cutoff"]


def test_transfer_agreement_signed_after_the_audit_date_fails_until_signed() -> None:
    assert codes("idta-not-yet-signed", "2026-12-31") == ["mechanism-agreement-not-yet-signed"]
    assert codes("idta-not-yet-signed", "2027-01-01") == []


def test_transfer_risk_assessment_completed_later_is_not_on_file() -> None:
    assert codes("idta-no-evidence", "2024-12-31") == [
        "no-mechanism-agreement",
        "no-transfer-assessment",
    ]


def test_uk_extension_for_a_listed_importer_passes_only_from_2023_10_12() -> None:
    assert codes("us-listed", "2023-10-11", GOOD) == ["no-mechanism"]
    assert codes("us-listed", "2023-10-12", GOOD) == []


def test_uk_was_inside_the_eu_until_the_end_of_the_transition_period() -> None:
    # an Indian vendor was a third country for a UK exporter in the EU too; Germany was not
    assert codes("to-eea", "2019-06-01", GOOD) == []
    assert codes("none", "2019-06-01") == ["no-mechanism"]
    # EU SCCs were the UK exporter's own (EU) mechanism before 2021
    assert codes("eu-sccs-for-uk", "2020-12-31") == [
        "mechanism-invalid",  # the 2021 SCCs start on 2021-06-27
        "no-mechanism-agreement",
        "no-transfer-assessment",
    ]
    assert codes("eu-sccs-for-uk", "2021-01-01") == ["wrong-exporter"]


def test_explicit_consent_must_name_recipient_country_and_risks() -> None:
    result = audit_files(BAD)
    message = next(
        f.message for f in result.findings if f.element == ("flows", "uninformed-consent")
    )
    assert message == (
        "consent record 'vague' does not name the recipient in-vendor, does not record that "
        "the risks were explained (Art. 49(1)(a): the person must be told who receives the "
        "data, where, and the risks)"
    )
