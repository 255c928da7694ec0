from tests.helpers import at, kind_hits

KIND = "encryption"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-ENCRYPTION"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "plain-store", "rest-plain", at(KIND, "bad", "plain-store")),
            (RULE, "unknown-store", "rest-unknown", at(KIND, "bad", "unknown-store")),
            (RULE, "plain", "transit-plain", at(KIND, "bad", "plain,")),
            (RULE, "unknown", "transit-unknown", at(KIND, "bad", "unknown,")),
        ]
    )
