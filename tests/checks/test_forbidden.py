from tests.helpers import at, kind_hits

KIND = "forbidden"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-FORBIDDEN"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad_flows_and_stores() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "pupil-db", "subject", at(KIND, "bad", "pupil-db")),
            (RULE, "pupil-db", "category", at(KIND, "bad", "pupil-db")),
            (RULE, "pupil-data", "subject", at(KIND, "bad", "pupil-data")),
            (RULE, "health-data", "category", at(KIND, "bad", "health-data")),
            (RULE, "profiling", "purpose", at(KIND, "bad", "profiling,")),
        ]
    )
