"""Processor duties: where the organisation is a school's processor, every party that may get
the school's data is a sub-processor the school must authorise; Art. 30(2) record; Art. 33(2)."""

from tests.helpers import FIXTURES, at, audit_files, hits, kind_hits, line_of

KIND = "processor_duties"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-PROCESSOR"
BASE_ORG = line_of(FIXTURES / "base" / "acme.yaml", "organisation:")


def test_good() -> None:
    assert kind_hits(KIND, "good", base=False) == []


def test_bad() -> None:
    # staff-only carries nothing the school entrusted (its staff are Acme's own subjects too)
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "tickets", "subprocessor-not-authorised", at(KIND, "bad", "tickets")),
            (RULE, "onward", "subprocessor-not-authorised", at(KIND, "bad", "onward")),
            (RULE, "acme", "no-processor-record", BASE_ORG),
        ]
    )


def test_message_names_the_parties_and_their_roles() -> None:
    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "bad.yaml", policies=(), user_policies=[folder / "policy.yaml"])
    tickets = next(f for f in result.findings if f.element == ("flows", "tickets"))
    assert tickets.message.startswith(
        "A School (controller) → Acme Ltd (processor) → US Host (sub-processor): "
        "this flow carries or may carry the controller's data (Pupils)"
    )


def test_a_processor_flow_is_not_asked_for_a_controller_basis() -> None:
    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "bad.yaml")
    on_server_work = {(h[0], h[2]) for h in hits(result) if h[1] == "server-work"}
    assert ("GDPR-BASIS", "missing") not in on_server_work
    assert ("GDPR-AGREEMENT", "missing") in on_server_work
    finding = next(
        f
        for f in result.findings
        if f.element == ("flows", "server-work") and f.rule_id == "GDPR-AGREEMENT"
    )
    assert finding.message == (
        "A School (controller) → Acme Ltd (processor): an Art. 28 contract is required; "
        "none is linked"
    )
