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
    assert kind_hits(KIND, "bad", base=False) == sorted(
        [
            (RULE, "leakco", "no-log", where),
            (RULE, "leakco", "notify-too-late", where),
            (RULE, "leakco", "processor-no-controller-notice", where),
        ]
    )


def test_no_procedure_at_all_is_one_finding_per_duty(tmp_path: Path) -> None:
    text = BAD.read_text(encoding="utf-8").replace(
        "  breach_procedure:\n    notify_within_hours: 96\n    notifies_controllers: false\n", ""
    )
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    result = audit_files(path, policies=(), user_policies=[POLICY], base=False)
    assert sorted(h[2] for h in hits(result)) == ["no-procedure", "processor-no-controller-notice"]
