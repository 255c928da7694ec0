from tests.helpers import at, kind_hits

KIND = "special_category"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-ART9"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "no-condition", "no-condition", at(KIND, "bad", "no-condition")),
            (RULE, "made-up-condition", "unknown-condition", at(KIND, "bad", "made-up-condition")),
        ]
    )
