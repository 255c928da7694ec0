from pathlib import Path

from tests.helpers import FIXTURES, audit_files, hits, kind_hits, line_of

KIND = "cookies"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-COOKIES"
BAD = FIXTURES / "checks" / KIND / "bad.yaml"
GOOD = FIXTURES / "checks" / KIND / "good.yaml"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "website", "exemption-conditions", line_of(BAD, "id: stats")),
            (RULE, "website", "no-consent", line_of(BAD, "id: ads")),
        ]
    )


def test_analytics_exemption_starts_on_its_commencement_day() -> None:
    before = kind_hits(KIND, "good", as_of="2026-02-04")
    assert before == [(RULE, "website", "no-consent", line_of(GOOD, "id: stats"))]
    assert kind_hits(KIND, "good", as_of="2026-02-05") == []


def test_an_eu_organisation_is_not_judged_under_pecr(tmp_path: Path) -> None:
    organisation = (
        "organisation: {id: acme, name: Acme SA, country: IE, regime: EU}\n"
        "categories: [{id: contact, name: Contact}]\n"
    )
    path = tmp_path / "eu.yaml"
    path.write_text(organisation + BAD.read_text(encoding="utf-8"), encoding="utf-8")
    policy = FIXTURES / "checks" / KIND / "policy.yaml"
    result = audit_files(path, policies=(), user_policies=[policy], base=False)
    assert hits(result) == []
    assert [e.rule_id for e in result.passed] == []  # not evaluated at all: not modelled for EU
