"""Onward paths on the shipped law rules: UK -> UK processor -> US sub-processor."""

from tests.helpers import FIXTURES, audit_files, line_of, run

MAP = FIXTURES / "paths" / "uk-us-subprocessor.yaml"


def test_us_subprocessor_is_reported_with_its_path() -> None:
    """The onward rule follows the chain to the US sub-processor and reports it once, on the
    hop's own flow, with the whole path and the organisation's flow that leads there, where
    no other rule reports the hop (a policy of the onward rule alone)."""
    result = audit_files(
        MAP, policies=(), user_policies=[FIXTURES / "transfers" / "onward-only-policy.yaml"]
    )
    onward = [f for f in result.findings if f.rule_id == "TEST-ONWARD"]
    assert [(f.element[1], f.code, f.path) for f in onward] == [
        ("to-subprocessor", "third-country", ("acme", "uk-proc", "us-sub"))
    ]
    assert onward[0].location is not None
    assert onward[0].location.line == line_of(MAP, "id: to-subprocessor")
    assert "acme (GB) -> uk-proc (GB) -> us-sub (US)" in onward[0].message
    assert "; the organisation's data reaching it: contact.email, from its flow to-processor; " in (
        onward[0].message
    )


def test_the_hop_is_the_transfer_rules_finding_not_repeated_on_the_chain() -> None:
    """Under the law's rules the hop is judged by the transfer rule, the processor being a UK
    exporter: one finding, on the flow to fix; the onward rule does not repeat it."""
    result = audit_files(MAP, policies=("uk-gdpr",))
    assert [
        (f.rule_id, f.element[1], f.code)
        for f in result.findings
        if f.rule_id in ("GDPR-TRANSFER", "GDPR-ONWARD")
    ] == [("GDPR-TRANSFER", "to-subprocessor", "no-mechanism")]


def test_check_prints_the_hop_and_fails() -> None:
    output = run(["check", str(FIXTURES / "base" / "acme.yaml"), str(MAP), "--as-of", "2026-11-25"])
    assert output.exit_code == 1
    assert (
        "GDPR-TRANSFER flows/to-subprocessor: transfer from UK to US (US Sub-processor) has no "
        "adequacy on 2026-11-25" in output.output
    )
    assert "GDPR-ONWARD" not in output.output
