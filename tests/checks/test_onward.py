from tests.conftest import FIXTURES, at, audit_files, kind_hits

KIND = "onward"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-ONWARD"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad_reports_on_our_flow_with_the_whole_path() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "to-proc", "third-country", at(KIND, "bad", "to-proc")),
            (RULE, "to-isp", "forbidden-recipient", at(KIND, "bad", "to-isp")),
        ]
    )
    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "bad.yaml", policies=(), user_policies=[folder / "policy.yaml"])
    third = next(f for f in result.findings if f.code == "third-country")
    assert third.path == ("acme", "uk-proc", "de-host", "us-sub")
    assert "acme (GB) -> uk-proc (GB) -> de-host (DE) -> us-sub (US)" in third.message
    assert "hop 'de-to-us'" in third.message
