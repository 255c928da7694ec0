from tests.helpers import at, kind_hits

KIND = "subprocessing"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-SUBPROCESSING"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "to-sub", "not-authorised", at(KIND, "bad", "to-sub")),
            (RULE, "no-dpa-sub", "not-authorised", at(KIND, "bad", "no-dpa-sub")),
        ]
    )
