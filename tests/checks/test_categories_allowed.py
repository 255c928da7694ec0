from tests.helpers import at, kind_hits

KIND = "categories_allowed"  # fixtures: "good.yaml", "bad.yaml", policy.yaml


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    rule = "TEST-CATEGORIES-ALLOWED"
    assert kind_hits(KIND, "bad") == sorted(
        [
            (rule, "too-much", "not-allowed", at(KIND, "bad", "too-much")),
            (rule, "too-much", "not-allowed", at(KIND, "bad", "too-much")),
            (rule, "parent-too-wide", "not-allowed", at(KIND, "bad", "parent-too-wide")),
        ]
    )
