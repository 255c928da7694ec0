from tests.helpers import FIXTURES, kind_hits, line_of

KIND = "rights"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-RIGHTS"
BAD = FIXTURES / "checks" / KIND / "bad.yaml"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad", base=False) == sorted(
        [
            (RULE, "slowco", "dsar-too-slow", line_of(BAD, "dsar_days")),
            (RULE, "slowco", "no-complaints-procedure", line_of(BAD, "complaints_procedure")),
        ]
    )


def test_complaints_procedure_only_required_from_2026_06_19() -> None:
    assert [h[2] for h in kind_hits(KIND, "bad", as_of="2026-06-18", base=False)] == [
        "dsar-too-slow"
    ]
