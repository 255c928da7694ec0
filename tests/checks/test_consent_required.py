from tests.helpers import at, kind_hits

KIND = "consent_required"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-CONSENT"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "on-contract", "not-consent", at(KIND, "bad", "on-contract")),
            (RULE, "no-record", "no-record", at(KIND, "bad", "no-record")),
            (RULE, "not-explicit", "not-explicit", at(KIND, "bad", "not-explicit")),
            (RULE, "other-purpose", "purpose-not-consented", at(KIND, "bad", "other-purpose")),
        ]
    )
