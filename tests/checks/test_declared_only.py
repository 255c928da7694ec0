from tests.helpers import at, kind_hits

KIND = "declared_only"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-DECLARED"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "secret-category", "category", at(KIND, "bad", "secret-category")),
            (RULE, "secret-purpose", "purpose", at(KIND, "bad", "secret-purpose")),
        ]
    )
