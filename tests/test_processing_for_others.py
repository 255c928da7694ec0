"""A flow the organisation makes as another controller's processor (``on_behalf_of``): DPO
review 2026-12-03u, problem 3. Concero copies a school's network data onto its own workshop
store during a server recovery. Recorded with no role, the copy was asked for an Art. 6 basis
of Concero's own; recorded with ``recipient_role: processor``, Concero was called "processor
for Concero Technology Services"; either way the copy drew a second CONCERO-NETWORK-PERMISSION
beside the one on the access itself (school-server-work)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.base import Context
from flowaudit.checks.facts import AuditFacts
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import load_map
from flowaudit.model.problems import InputError
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.schema import Match
from flowaudit.reports.registers import build_registers
from flowaudit.reports.ropa import build_ropa
from tests.helpers import EXTRA, concero_with, run

WORKSHOP = (
    "systems:\n"
    "  - {id: workshop, name: Workshop recovery server, owner: concero, country: GB,"
    " categories: [customer_network], subjects: [customer_staff], retention_days: 14,"
    " retention_justification: recovery job only, encrypted_at_rest: true, notice: N-INSTALL}\n"
    "flows:\n"
    "  - {id: workshop-copy, from: concero, to: workshop, categories: [customer_network],"
    " subjects: [customer_staff], purpose: sla_support, encrypted_in_transit: true,"
    " notice: N-INSTALL%s}\n"
)


def _audit(tmp_path: Path, extra: str) -> AuditResult:
    return audit(AuditRequest([concero_with(tmp_path, extra)], date(2026, 11, 25)))


def _on(result: AuditResult, flow: str) -> list[tuple[str, str, str, int, int]]:
    return [
        (f.rule_id, f.code, f.severity.value, f.location.line, f.location.column)
        for f in result.findings
        if f.element == ("flows", flow) and f.location is not None
    ]


def test_a_copy_made_as_the_schools_processor_is_asked_no_basis_of_concero(
    tmp_path: Path,
) -> None:
    """p09 with on_behalf_of: the only finding on the copy is the broken N-INSTALL promise
    (HIGH); no Art. 6 basis is asked of the processor (the school's governs it, FACTS.md:127),
    no second network permission; the shipped map's 57 findings are otherwise unchanged and
    the Art. 30(2) finding names the school as the controller, not Concero."""
    result = _audit(tmp_path, WORKSHOP % ", on_behalf_of: [customer-schools]")
    assert _on(result, "workshop-copy") == [
        ("CONCERO-INSTALL-OWN-EQUIPMENT", "category", "high", 4, 67),
    ]
    assert len(result.findings) == 58
    (record,) = [f for f in result.findings if f.code == "no-processor-record"]
    assert record.message.startswith(
        "Concero Technology Services acts as processor for Customer schools (school-server-work): "
    )
    passed = {(e.rule_id, e.element[1]) for e in result.passed}
    assert ("GDPR-BASIS", "workshop-copy") not in passed  # not judged: the school's basis
    # the record of processing carried out for the school (Art. 30(2)) lists the copy
    (school,) = [r for r in build_ropa(result).processor_rows if r.purpose_id == "customer-schools"]
    assert school.cells["flows"][:2] == ("school-server-work", "workshop-copy")


def test_a_copy_recorded_with_no_role_is_concero_own_and_the_access_is_asked_once(
    tmp_path: Path,
) -> None:
    """p09 as the DPO wrote it: with nothing saying whose processor makes it, the map shows
    Concero holding the copy (of staff data it also holds as a controller) in its own right,
    so the basis is asked; but the permission for each access is asked on the access
    (school-server-work) only, not again on a copy made within Concero."""
    result = _audit(tmp_path, WORKSHOP % "")
    assert _on(result, "workshop-copy") == [
        ("CONCERO-INSTALL-OWN-EQUIPMENT", "category", "high", 4, 67),
        ("GDPR-BASIS", "missing", "high", 4, 5),
    ]
    permissions = [
        f.element[1] for f in result.findings if f.rule_id == "CONCERO-NETWORK-PERMISSION"
    ]
    assert permissions == ["school-server-work"]


def test_the_organisation_is_never_its_own_processor(tmp_path: Path) -> None:
    """p09b: recipient_role: processor on a flow within the organisation made Concero
    "processor for Concero Technology Services"; it is refused, pointing to on_behalf_of."""
    folder = concero_with(tmp_path, WORKSHOP % ", recipient_role: processor")
    with pytest.raises(InputError) as caught:
        load_map([folder])
    assert [str(p) for p in caught.value.problems] == [
        f"concero/{EXTRA}:4:183: recipient_role: processor on a flow within the organisation "
        "would make it its own processor; to record a flow it makes as another controller's "
        "processor, name that controller in on_behalf_of"
    ]


@pytest.mark.parametrize(
    ("claim", "problem"),
    [
        (
            ", on_behalf_of: [customer-smes]",
            "'customer-smes' sends the organisation no data as its processor: record the flow "
            "by which it does (recipient_role: processor) first",
        ),
        (", on_behalf_of: [nobody]", "unknown party 'nobody'"),
    ],
)
def test_on_behalf_of_names_a_controller_the_organisation_serves(
    tmp_path: Path, claim: str, problem: str
) -> None:
    folder = concero_with(tmp_path, WORKSHOP % claim)
    with pytest.raises(InputError) as caught:
        load_map([folder])
    (said,) = [str(p) for p in caught.value.problems]
    assert said == f"concero/{EXTRA}:4:198: {problem}"


def test_on_behalf_of_is_only_for_a_flow_the_organisation_sends(tmp_path: Path) -> None:
    extra = (
        "flows:\n"
        "  - {id: relay, from: customer-schools, to: uk-hosting, categories: [customer_network],"
        " subjects: [customer_staff], purpose: sla_support, on_behalf_of: [customer-schools]}\n"
    )
    folder = concero_with(tmp_path, extra)
    with pytest.raises(InputError) as caught:
        load_map([folder])
    (said,) = [str(p) for p in caught.value.problems]
    assert said.endswith(
        "on_behalf_of is for a flow the organisation sends (from it or one of its stores) as "
        "another controller's processor; this flow's sender is 'customer-schools'"
    ), said


RELAY = (
    "flows:\n"
    "  - {id: relay, from: concero, to: uk-servers, categories: [customer_network],"
    " subjects: [customer_staff], purpose: sla_support, basis: contract,"
    " agreement: uk-hosting-dpa, encrypted_in_transit: true, notice: N-INSTALL,"
    " on_behalf_of: [customer-schools]}\n"
)


def test_a_flow_made_on_behalf_of_a_controller_words_concero_as_its_processor(
    tmp_path: Path,
) -> None:
    """DPO review v, point 2: a copy of a school's network data that Concero sends to its UK
    host on the school's behalf (on_behalf_of) was worded "Concero Technology Services
    (controller) → UK hosting provider (not named) (processor)": in that chain Concero is the
    school's processor and the host its sub-processor."""
    result = _audit(tmp_path, RELAY)
    worded = sorted(
        (f.rule_id, f.message)
        for f in result.findings
        if f.element == ("flows", "relay") and "→" in f.message
    )
    assert worded == [
        (
            "CONCERO-INSTALL-OFFSITE",
            "Concero Technology Services (processor) → UK hosting provider (not named) "
            "(sub-processor): data from the customer's network is taken off site with no "
            "record of the customer's prior consent (N-INSTALL); record where it is kept",
        ),
        (
            "GDPR-AGREEMENT",
            "Concero Technology Services (processor) → UK hosting provider (not named) "
            "(sub-processor): agreement 'uk-hosting-dpa' does not cover customer_network",
        ),
        (
            "GDPR-AGREEMENT",
            "Concero Technology Services (processor) → UK hosting provider (not named) "
            "(sub-processor): agreement 'uk-hosting-dpa' is recorded with status unknown: no "
            "evidence that it exists or is signed",
        ),
    ]
    # the processors register says whose sub-processor the host is too
    (host,) = [p for p in build_registers(result).processors if p.party_id == "uk-hosting"]
    assert host.sub_processor_of == ("Concero Technology Services (for Customer schools)",)
    # Concero's own flow to the same host keeps Concero as the controller
    (own,) = [
        f.message
        for f in result.findings
        if f.element == ("flows", "hosting-uk") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert own.startswith(
        "Concero Technology Services (controller) → UK hosting provider (not named) (processor): "
    )


def test_an_on_behalf_of_set_aside_is_said_once_at_the_field(tmp_path: Path) -> None:
    """DPO review v, point 3: where the engine sets a flow's on_behalf_of aside (the flow is
    about people, or for a purpose, that the named controller's flows to Concero do not
    bring or give), it judged the flow as Concero's own in silence. One warning, at the
    field, says why and what follows; the flow stays on the controller's record and its
    findings word Concero as the controller it is then judged as; a claim that holds
    draws no warning."""
    claim = RELAY.replace("subjects: [customer_staff]", "subjects: [customer_staff, callers]")
    claim = claim.replace("purpose: sla_support", "purpose: web_development")
    folder = concero_with(tmp_path, claim)
    result = audit(AuditRequest([folder], date(2026, 11, 25)))
    said = [w for w in result.warnings if "on_behalf_of" in w]
    assert said == [
        f"concero/{EXTRA}:2:234: flow 'relay' says it is made on behalf of customer-schools "
        "(on_behalf_of), which is set aside: it is about callers, whom no flow from "
        "customer-schools to the organisation as processor brings; its purpose "
        "'web_development' is not one customer-schools gives (its flows to the organisation "
        "are for sla_support); the flow is judged as the organisation's own processing, as a "
        "controller (its lawful basis, notice and agreements are asked of it): make it move "
        "only what that controller's flows bring, for their purpose, or remove on_behalf_of"
    ]
    ropa = build_ropa(result)
    (web,) = [r for r in ropa.rows if r.purpose_id == "web_development"]
    assert "relay" in web.cells["flows"]
    (school,) = ropa.processor_rows
    assert "relay" not in school.cells["flows"]
    # the relay links uk-hosting-dpa, as hosting-uk does: the agreement's unknown status is
    # one finding, at hosting-uk, naming the relay (DPO review s18, problem 3)
    (agreement,) = [
        f.message
        for f in result.findings
        if "relay" in f.flows and f.rule_id == "GDPR-AGREEMENT" and f.severity.value == "medium"
    ]
    assert agreement.startswith(
        "Concero Technology Services (controller) → UK hosting provider (not named) (processor)"
        ": agreement 'uk-hosting-dpa' (linked by flows hosting-uk, relay) is recorded with "
        "status unknown"
    ), agreement
    held = _audit(tmp_path / "held", RELAY)
    assert [w for w in held.warnings if "on_behalf_of" in w] == []


BACK = (
    "flows:\n"
    "  - {id: back, from: concero, to: customer-schools, categories: [customer_network],"
    " subjects: [customer_staff], purpose: sla_support, encrypted_in_transit: true,"
    " on_behalf_of: [customer-schools]}\n"
)

#: A rule of the user's own that asks every outbound flow for a permission and does not set
#: returns aside (no ``except_returned``): the facet is the rule's choice, no rule id in code.
EVERY_OUTBOUND = """\
policy: {id: test-every-outbound, title: Test}
rules:
  - id: TEST-EVERY-OUTBOUND
    kind: fields_required
    title: Every outbound flow records a permission
    severity: low
    rationale: test
    references: {notice: [N-SHARE]}
    fix: test
    match: {directions: [outbound]}
    fields: [permission]
"""


US_SCHOOL = (
    "parties:\n"
    "  - {id: us-school, name: US school, kind: customer, country: US, role: controller}\n"
    "flows:\n"
    "  - {id: us-job, from: us-school, to: concero, categories: [customer_network],"
    " subjects: [customer_staff], purpose: sla_support, recipient_role: processor,"
    " encrypted_in_transit: true, notice: N-INSTALL, permission: job sheet}\n"
)


def _judged(result: AuditResult, flow: str) -> list[str]:
    """The rules that passed the flow, by id."""
    return sorted(e.rule_id for e in result.passed if e.element == ("flows", flow))


KEPT = [
    "CONCERO-DECLARED",
    "CONCERO-ENCRYPT",
    "CONCERO-HELPDESK-CREDENTIALS",
    "CONCERO-NO-SALE",
    "CONCERO-NO-SALE-ONWARD",
    "CONCERO-NO-SALE-RECIPIENT",
    "CONCERO-PUPILS",
    "CONCERO-SERVER-LOCATION",
    "GDPR-ONWARD",
]


def test_a_flow_back_to_the_controller_it_is_made_for_is_no_disclosure(tmp_path: Path) -> None:
    """DPO review v, return to the controller: giving a school back the data Concero holds
    for it as its processor drew CONCERO-INSTALL-OFFSITE (high: "taken off site"),
    CONCERO-SHARE-PERMISSION (medium: the school is not "anyone else"; a processor acting on
    instructions shares nothing, ICO Data Sharing Code, Art. 28(3)(a), 28(3)(g)) and
    HYG-NOTICE-CLAUSE (low: the school's notice tells its people, Art. 13/14, not
    Concero's). None now; the rules that still bind a processor judge it as before (nine
    passes, encryption in transit among them), and the map's other 57 findings stand."""
    result = _audit(tmp_path, BACK)
    assert _on(result, "back") == []
    assert _judged(result, "back") == KEPT
    assert len(result.findings) == 57
    assert result.facts.returned == frozenset({"back"})


def test_a_return_still_answers_to_the_rules_that_bind_a_processor(tmp_path: Path) -> None:
    """DPO review v, return to the controller: a return is set aside only by the rules on
    sharing and on Concero's own notice. Unencrypted and to a school abroad, it is judged by
    encryption in transit (Art. 32) and the transfer rule (Art. 44) as any flow; and the
    processor duties rule does not read the school's own data going back to it as another
    customer's disclosed outside instructions (customer_network is what both bring)."""
    abroad = US_SCHOOL + (
        "  - {id: back, from: concero, to: us-school, categories: [customer_network],"
        " subjects: [customer_staff], purpose: sla_support, on_behalf_of: [us-school]}\n"
    )
    result = _audit(tmp_path, abroad)
    assert _on(result, "back") == [
        ("GDPR-TRANSFER", "no-mechanism", "critical", 5, 5),
        ("CONCERO-ENCRYPT", "transit-unknown", "medium", 5, 5),
    ]
    (transfer,) = [
        f for f in result.findings if f.element == ("flows", "back") and f.code == "no-mechanism"
    ]
    assert transfer.also == ("CONCERO-TRANSFER",)
    assert transfer.message == (
        "transfer from UK to US (US school) has no adequacy on 2026-11-25 and no transfer "
        "mechanism; US is adequate only for importers listed under uk_extension"
    )
    assert [f.rule_id for f in result.findings if f.code == "disclosure-outside-instructions"] == []
    assert result.facts.returned == frozenset({"back"})


def test_a_return_the_map_does_not_mark_is_recognised_as_one(tmp_path: Path) -> None:
    """DPO review v, return to the controller: with no on_behalf_of, a flow giving the
    school back only what its intake brings (pupils, about whom Concero holds nothing as a
    controller) for the school's purpose is held for the school (inferred): the same three
    findings are not drawn; the N-PUPILS statement is still judged on it."""
    inferred = BACK.replace("customer_staff", "pupils").replace(
        ", on_behalf_of: [customer-schools]", ""
    )
    result = _audit(tmp_path, inferred)
    assert _on(result, "back") == [("CONCERO-PUPILS", "subject", "critical", 2, 96)]
    assert result.facts.returned == frozenset({"back"})
    assert _judged(result, "back") == [r for r in KEPT if r != "CONCERO-PUPILS"]


@pytest.mark.parametrize("claim", [", on_behalf_of: [customer-schools]", ""])
def test_a_flow_back_names_the_controller_it_is_made_for(tmp_path: Path, claim: str) -> None:
    """DPO review v, point 2: data returned to the school it is processed for goes from its
    processor to the controller, not to an "independent controller", whether the map says
    it (on_behalf_of) or it is inferred (it was "independent controller" then). A rule of the
    user's own that does not set returns aside still judges the flow: the facet is opt-in."""
    back = BACK.replace("customer_staff", "pupils").replace(
        ", on_behalf_of: [customer-schools]", claim
    )
    folder = concero_with(tmp_path, back)
    (tmp_path / "rules.yaml").write_text(EVERY_OUTBOUND, encoding="utf-8")
    result = audit(AuditRequest([folder], date(2026, 11, 25), [str(tmp_path / "rules.yaml")]))
    (said,) = [
        f.message
        for f in result.findings
        if f.element == ("flows", "back") and f.rule_id == "TEST-EVERY-OUTBOUND"
    ]
    assert said == (
        "Concero Technology Services (processor) → Customer schools (controller): "
        "'permission' is not recorded"
    )


#: What a disclosure of the school's network data to another controller draws on the flow.
SHARED = [
    ("CONCERO-INSTALL-OFFSITE", "no-permission", "high", 2, 5),
    ("GDPR-PROCESSOR", "disclosure-outside-instructions", "high", 2, 31),
    ("CONCERO-SHARE-PERMISSION", "no-permission", "medium", 2, 5),
    ("HYG-NOTICE-CLAUSE", "no-notice", "low", 2, 5),
]


@pytest.mark.parametrize(
    ("to", "claim", "expected"),
    [
        ("product-partner", ", on_behalf_of: [customer-schools]", SHARED),
        ("customer-smes", ", on_behalf_of: [customer-schools]", SHARED),
        # Concero's own copy of the staff data (it holds them as a controller too): its own
        # disclosure, with its basis and the sharing agreement asked
        (
            "customer-smes",
            "",
            [
                SHARED[0],
                ("GDPR-BASIS", "missing", "high", 2, 5),
                SHARED[1],
                SHARED[2],
                ("GDPR-AGREEMENT", "sharing-missing", "low", 2, 5),
                SHARED[3],
            ],
        ),
    ],
)
def test_a_controller_the_data_is_not_held_for_is_still_shared_with(
    tmp_path: Path, to: str, claim: str, expected: list[tuple[str, str, str, int, int]]
) -> None:
    """DPO review v, return to the controller: a controller other than the one the data is
    processed for is "anyone else": the flow is no return, and still asks the customer's
    permission (N-SHARE), its consent to taking the data off site and Concero's notice
    clause."""
    other = BACK.replace("to: customer-schools", f"to: {to}").replace(
        ", on_behalf_of: [customer-schools]", claim
    )
    result = _audit(tmp_path, other)
    assert result.facts.returned == frozenset()
    assert _on(result, "back") == expected


def test_a_flow_made_for_two_controllers_is_no_return_to_one_of_them(tmp_path: Path) -> None:
    """DPO review v, return to the controller: made for two schools and sent to one, the
    flow may give it the other's data (the map cannot tell whose copy it carries): no
    return, judged as sharing, and as the US school's data disclosed outside its
    instructions."""
    both = US_SCHOOL + BACK.removeprefix("flows:\n").replace(
        "on_behalf_of: [customer-schools]", "on_behalf_of: [customer-schools, us-school]"
    )
    result = _audit(tmp_path, both)
    assert result.facts.held_for(result.facts.index.flows["back"]) == (
        "customer-schools",
        "us-school",
    )
    assert result.facts.returned == frozenset()
    # the same findings as a disclosure to a controller it is not made for, a line lower
    assert _on(result, "back") == [(r, c, s, 5, column) for r, c, s, _, column in SHARED]


class _Scoped(NamedTuple):
    """What the selector reads of a rule: its match."""

    match: Match


def test_except_returned_sets_a_return_aside_on_either_path_of_the_selector(
    tmp_path: Path,
) -> None:
    """DPO review v, return to the controller: the facet is read from the one fact
    (MapFacts.returned) by the selector, on the flows a match selects by what they carry and
    on those it selects only by what they may carry (may_carry), as every other condition."""
    may = BACK.replace(
        "encrypted_in_transit: true,",
        "encrypted_in_transit: true, may_carry: {subjects: [pupils], reason: school server},",
    )
    loaded = load_map([concero_with(tmp_path, may)])
    ctx = Context(AuditFacts(loaded, date(2026, 11, 25)), load_legal_table())
    assert ctx.facts.returned == frozenset({"back"})
    outbound = {"directions": ["outbound"]}
    for returned, expected in ((False, True), (True, False)):
        carried = _Scoped(Match.model_validate({**outbound, "except_returned": returned}))
        selected = [f.flow.id for f in ctx.matching_facts(carried)]  # type: ignore[arg-type]
        assert ("back" in selected) is expected
        pupils = _Scoped(
            Match.model_validate({**outbound, "subjects": ["pupils"], "except_returned": returned})
        )
        maybe = [f.flow.id for f, _ in ctx.may_matching_facts(pupils)]  # type: ignore[arg-type]
        assert ("back" in maybe) is expected
        assert "helpdesk-tickets" in maybe  # no return: selected either way


def test_the_shipped_map_has_no_return_and_its_verdict_is_unchanged() -> None:
    """DPO review v, return to the controller: the shipped map records no flow back to a
    customer, so setting returns aside changes none of its verdict."""
    result = audit(AuditRequest([], date(2026, 11, 25)))
    assert result.facts.returned == frozenset()
    shown = run(["check", "--as-of", "2026-11-25"])
    assert shown.exit_code == 1
    # the summary line, wherever the lines after it (the ASSUMED facts) leave it
    [summary] = [
        line
        for line in shown.stdout.splitlines()
        if line.startswith("Concero Technology Services as of ")
    ]
    assert summary == (
        "Concero Technology Services as of 2026-11-25: 57 findings (3 critical, 11 high, "
        "39 medium, 4 low, 0 info), 0 waived; 225 checks passed; 52 rules."
    )
