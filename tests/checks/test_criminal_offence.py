from tests.helpers import FIXTURES, kind_hits, line_of

KIND = "criminal_offence"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-ART10"
BAD = FIXTURES / "checks" / KIND / "bad.yaml"


def at(flow: str) -> int:
    return line_of(BAD, f"id: {flow},")


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad", base=False) == sorted(
        [
            (RULE, "no-condition", "no-condition", at("no-condition")),
            (RULE, "made-up", "unknown-condition", at("made-up")),
            (RULE, "eu-only", "unknown-condition", at("eu-only")),
            (RULE, "no-apd", "no-policy-document", at("no-apd")),
        ]
    )
