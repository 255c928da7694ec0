from tests.conftest import FIXTURES, at, audit_files, kind_hits, run

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


def test_bad_waivers_expired_expiring_and_unmatched() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            ("TEST-ENCRYPTION", "legacy-ftp", "transit-plain", at(KIND, "bad", "legacy-ftp")),
            ("TEST-ENCRYPTION", "old-ftp", "transit-plain", at(KIND, "bad", "old-ftp")),
            ("TEST-WAIVER", "expired", "expired", at(KIND, "bad", "expired")),
            ("TEST-WAIVER", "expiring", "expiring", at(KIND, "bad", "expiring")),
            ("TEST-WAIVER", "matches-nothing", "unmatched", at(KIND, "bad", "matches-nothing")),
        ]
    )
    result = audit_files(FOLDER / "bad.yaml", policies=(), user_policies=[FOLDER / "policy.yaml"])
    waived = {f.element[1]: f.waived for f in result.findings if f.rule_id == "TEST-ENCRYPTION"}
    assert waived == {"legacy-ftp": True, "old-ftp": False}


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
