from tests.helpers import at, kind_hits

KIND = "agreement_expiry"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-EXPIRY"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "soon-dpa", "expiring", at(KIND, "bad", "soon-dpa")),
            (RULE, "today-dpa", "expiring", at(KIND, "bad", "today-dpa")),
        ]
    )


def test_past_expiry_is_no_longer_a_warning() -> None:
    assert [h[1] for h in kind_hits(KIND, "bad", as_of="2026-11-26")] == ["soon-dpa"]
