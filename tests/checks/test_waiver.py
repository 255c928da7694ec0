from tests.helpers import FIXTURES, at, audit_files, kind_hits, run

KIND = "waiver"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
FOLDER = FIXTURES / "checks" / KIND


def test_good_waiver_covers_its_finding() -> None:
    assert kind_hits(KIND, "good") == [
        ("TEST-ENCRYPTION", "legacy-ftp", "transit-plain", at(KIND, "good", "legacy-ftp"))
    ]
    result = audit_files(FOLDER / "good.yaml", policies=(), user_policies=[FOLDER / "policy.yaml"])
    (finding,) = result.findings
    assert finding.waiver is not None and finding.waiver.id == "ftp-until-migration"
    assert result.failing(finding.severity) == []


def test_bad_waivers_expired_expiring_too_long_approved_later_and_unmatched() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            ("TEST-ENCRYPTION", "legacy-ftp", "transit-plain", at(KIND, "bad", "legacy-ftp")),
            ("TEST-ENCRYPTION", "long-ftp", "transit-plain", at(KIND, "bad", "long-ftp")),
            ("TEST-ENCRYPTION", "old-ftp", "transit-plain", at(KIND, "bad", "old-ftp")),
            (
                "TEST-WAIVER",
                "approved-later",
                "not-yet-approved",
                at(KIND, "bad", "approved-later"),
            ),
            ("TEST-WAIVER", "expired", "expired", at(KIND, "bad", "expired")),
            ("TEST-WAIVER", "expiring", "expiring", at(KIND, "bad", "expiring")),
            ("TEST-WAIVER", "forever", "too-long", at(KIND, "bad", "forever")),
            ("TEST-WAIVER", "matches-nothing", "unmatched", at(KIND, "bad", "matches-nothing")),
        ]
    )
    result = audit_files(FOLDER / "bad.yaml", policies=(), user_policies=[FOLDER / "policy.yaml"])
    waived = {f.element[1]: f.waived for f in result.findings if f.rule_id == "TEST-ENCRYPTION"}
    # a waiver approved after the audit date covers nothing yet
    assert waived == {"legacy-ftp": True, "long-ftp": True, "old-ftp": False}
    (too_long,) = [f for f in result.findings if f.code == "too-long"]
    assert too_long.message == (
        "waiver runs to 9999-12-31, more than 12 months after its approval on 2026-11-01 "
        "(latest 2027-11-01)"
    )


def test_a_waiver_covers_at_most_its_maximum_after_approval() -> None:
    """9999-12-31 buys twelve months, not forever."""
    result = audit_files(
        FOLDER / "bad.yaml",
        as_of="2027-11-02",
        policies=(),
        user_policies=[FOLDER / "policy.yaml"],
    )
    waived = {f.element[1]: f.waived for f in result.findings if f.rule_id == "TEST-ENCRYPTION"}
    assert waived["long-ftp"] is False
    inside = audit_files(
        FOLDER / "bad.yaml", as_of="2027-11-01", policies=(), user_policies=[FOLDER / "policy.yaml"]
    )
    assert {f.element[1] for f in inside.findings if f.waived} == {"long-ftp"}


def test_an_expired_waiver_makes_check_exit_1() -> None:
    base = FIXTURES / "base" / "acme.yaml"
    waived = FIXTURES / "cli" / "waived.yaml"
    inside = run(["check", str(base), str(waived), "--as-of", "2026-11-25"])
    assert inside.exit_code == 0, inside.output
    assert "1 waived" in inside.output
    after = run(["check", str(base), str(waived), "--as-of", "2027-01-15"])
    assert after.exit_code == 1
    assert "HYG-WAIVER waivers/draft-accepted: waiver of GDPR-AGREEMENT" in after.output, (
        after.output
    )
    assert (
        "GDPR-AGREEMENT flows/to-processor: Acme Ltd (controller) → UK Processor (processor): "
        "agreement 'proc-dpa' is a draft" in after.output
    )
