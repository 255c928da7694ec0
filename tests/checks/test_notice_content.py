from tests.helpers import FIXTURES, kind_hits, line_of

KIND = "notice_content"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-NOTICE"
BAD = FIXTURES / "checks" / KIND / "bad.yaml"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    block = line_of(BAD, "notice_content")
    assert kind_hits(KIND, "bad", base=False) == sorted(
        [
            (RULE, "oldco", "unknown-item", line_of(BAD, "cookies_banner")),
            (RULE, "oldco", "item-missing", line_of(BAD, "retention: null")),
            (RULE, "oldco", "item-missing", line_of(BAD, "rights: null")),
            (RULE, "oldco", "item-missing", line_of(BAD, "statutory_or_contractual: null")),
            # consent is used and data goes to the US: both items apply and are not recorded
            (RULE, "oldco", "item-unknown", block),
            (RULE, "oldco", "item-unknown", block),
        ]
    )
