"""Onward paths on the shipped law rules: UK -> UK processor -> US sub-processor."""

from tests.helpers import FIXTURES, audit_files, line_of, run

MAP = FIXTURES / "paths" / "uk-us-subprocessor.yaml"


def test_us_subprocessor_is_reported_with_its_path() -> None:
    result = audit_files(MAP, policies=("uk-gdpr",))
    onward = [f for f in result.findings if f.rule_id == "GDPR-ONWARD"]
    assert [(f.element[1], f.code, f.path) for f in onward] == [
        ("to-processor", "third-country", ("acme", "uk-proc", "us-sub"))
    ]
    assert onward[0].location is not None
    assert onward[0].location.line == line_of(MAP, "id: to-processor")
    assert "acme (GB) -> uk-proc (GB) -> us-sub (US)" in onward[0].message
    # the hop itself is judged by the transfer rule, the processor being a UK exporter
    assert [
        (f.rule_id, f.element[1], f.code) for f in result.findings if f.rule_id == "GDPR-TRANSFER"
    ] == [("GDPR-TRANSFER", "to-subprocessor", "no-mechanism")]


def test_check_prints_the_path_and_fails() -> None:
    output = run(["check", str(FIXTURES / "base" / "acme.yaml"), str(MAP), "--as-of", "2026-11-25"])
    assert output.exit_code == 1
    assert (
        "GDPR-ONWARD flows/to-processor: contact.email reaches US "
        "through acme (GB) -> uk-proc (GB) -> us-sub (US)" in output.output
    )
