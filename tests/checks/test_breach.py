from pathlib import Path

from tests.conftest import FIXTURES, audit_files, hits, kind_hits, line_of

KIND = "breach"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-BREACH"
BAD = FIXTURES / "checks" / KIND / "bad.yaml"
POLICY = FIXTURES / "checks" / KIND / "policy.yaml"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    where = line_of(BAD, "breach_procedure")
    # three gaps of one procedure: one finding that names each
    assert kind_hits(KIND, "bad", base=False) == [(RULE, "leakco", "no-log", where)]
    result = audit_files(BAD, policies=(), user_policies=[POLICY], base=False)
    (finding,) = result.findings
    assert finding.message == (
        "no breach log is recorded: every breach, its effects and the remedy must be "
        "documented (Art. 33(5)); the procedure's time to notify the regulator is 96 hours: a "
        "breach likely to risk people's rights must be notified within 72 hours of becoming "
        "aware of it, where feasible (Art. 33(1)); the organisation acts as a "
        "processor (school-work) but its breach procedure does not record telling the "
        "controller without undue delay (UK GDPR Art. 33(2))"
    )


def test_no_procedure_at_all_is_one_finding(tmp_path: Path) -> None:
    text = BAD.read_text(encoding="utf-8").replace(
        "  breach_procedure:\n    notify_within_hours: 96\n    notifies_controllers: false\n", ""
    )
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    result = audit_files(path, policies=(), user_policies=[POLICY], base=False)
    assert [h[2] for h in hits(result)] == ["no-procedure"]  # one finding for the whole gap
    assert "telling the controller without undue delay (Art. 33(2))" in result.findings[0].message
