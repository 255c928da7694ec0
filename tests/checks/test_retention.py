from tests.helpers import at, kind_hits

KIND = "retention"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-RETENTION"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "long-recordings", "too-long", at(KIND, "bad", "long-recordings")),
            (RULE, "unknown-recordings", "not-recorded", at(KIND, "bad", "unknown-recordings")),
            (
                RULE,
                "unjustified-recordings",
                "no-justification",
                at(KIND, "bad", "unjustified-recordings"),
            ),
        ]
    )
