from tests.helpers import FIXTURES, audit_files, run

KIND = "waiver"  # its audits: tests/cases/waiver.yaml
FOLDER = FIXTURES / "checks" / KIND


def test_a_waived_finding_does_not_fail_the_audit() -> None:
    """The case file (tests/cases/waiver.yaml) shows the finding waived; this, that it then
    fails nothing at its own severity."""
    result = audit_files(FOLDER / "good.yaml", policies=(), user_policies=[FOLDER / "policy.yaml"])
    (finding,) = result.findings
    assert finding.waiver is not None and finding.waiver.id == "ftp-until-migration"
    assert result.failing(finding.severity) == []


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
