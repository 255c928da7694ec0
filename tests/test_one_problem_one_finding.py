"""Verdicts from the external DPO review of 2026-12-02 (issues/reviews/dpo-2026-12-02.md):
one real problem is one finding, and a problem FACTS.md lists is surfaced on the shipped map."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import FIXTURES, audit_files, line_of
from tests.helpers import audit_paths as audit

HERE = FIXTURES / "verdicts3"
SHIPPED = shipped_map_dir()


def _found(result: AuditResult, rule: str) -> list[tuple[str, str, str, int, int, str, str]]:
    """(collection, element, code, line, column, severity, message) of a rule's findings,
    merged ones included (the rule is cited)."""
    return [
        (
            f.element[0],
            f.element[1],
            f.code,
            f.location.line if f.location else 0,
            f.location.column if f.location else 0,
            f.severity.value,
            f.message,
        )
        for f in result.findings
        if rule in f.rule_ids
    ]


def _column(path: object, line: int, needle: str) -> int:
    from pathlib import Path

    return Path(str(path)).read_text(encoding="utf-8").splitlines()[line - 1].index(needle) + 1


def _line_in_flow(path: object, flow: str, needle: str) -> int:
    """The line of ``needle`` in the block of the flow ``flow`` of a map file."""
    from pathlib import Path

    lines = Path(str(path)).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {flow}")
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _concero() -> AuditResult:
    return audit([], date(2026, 11, 25))


# B1: passwords in helpdesk tickets (FACTS problem 5)


def test_passwords_resting_unprotected_in_the_helpdesk_are_one_finding_naming_the_hosts() -> None:
    fixture = HERE / "passwords.yaml"
    result = audit_files(fixture, policies=("concero-notice",))
    line = line_of(fixture, "id: helpdesk")
    assert _found(result, "CONCERO-HELPDESK-CREDENTIALS") == [
        (
            "systems",
            "helpdesk",
            "store-unprotected",
            line,
            _column(fixture, line, "credentials]"),
            "high",
            "holds Passwords in tickets with no protection recorded for them (redaction on "
            "arrival, a password vault); they may flow on through host-us, host-de, which may "
            "carry them",
        )
    ]
    passed = {e.element for e in result.passed if e.rule_id == "CONCERO-HELPDESK-CREDENTIALS"}
    # the vault records its protection; the flows named in the store's finding are no pass
    assert ("systems", "vault") in passed
    assert passed.isdisjoint({("flows", "host-us"), ("flows", "host-de")})


def test_once_the_helpdesk_is_protected_what_the_hosts_may_carry_is_their_own_finding() -> None:
    fixture = HERE / "passwords-protected.yaml"
    result = audit_files(fixture, policies=("concero-notice",))
    line = line_of(fixture, "id: host-us")
    assert _found(result, "CONCERO-HELPDESK-CREDENTIALS") == [
        (
            "flows",
            "host-us",
            "may-category",
            line,
            _column(fixture, line, "credentials.password]"),
            "high",
            "may carry forbidden category 'credentials.password': tickets take any text staff "
            "submit; a risk to confirm; the same data may reach host-de",
        )
    ]


def test_concero_passwords_in_tickets_are_reported_on_the_helpdesk_store() -> None:
    systems = SHIPPED / "systems.yaml"
    line = line_of(systems, "categories: [contact, support, username, credentials]")
    assert _found(_concero(), "CONCERO-HELPDESK-CREDENTIALS") == [
        (
            "systems",
            "helpdesk",
            "store-unprotected",
            line,
            _column(systems, line, "credentials]"),
            "high",
            "holds Passwords and other secrets received in support requests with no protection "
            "recorded for them (redaction on arrival, a password vault); they may flow on "
            "through hosting-us, hosting-eea, hosting-uk, which may carry them",
        )
    ]


# A4: one unrecorded role, one finding


def test_the_mis_firms_unrecorded_role_is_one_finding_citing_both_rules() -> None:
    flows = SHIPPED / "flows.yaml"
    found = [
        (f.rule_id, f.also, f.code, f.severity.value, f.location.line if f.location else 0)
        for f in _concero().findings
        if f.element == ("flows", "mis-third-party-support")
        and {"GDPR-PROCESSOR", "GDPR-AGREEMENT"} & set(f.rule_ids)
    ]
    assert found == [
        (
            "GDPR-PROCESSOR",
            ("GDPR-AGREEMENT",),
            "subprocessor-not-authorised",
            "high",
            _line_in_flow(flows, "mis-third-party-support", "may_carry:"),
        )
    ]
    (merged,) = [
        f
        for f in _concero().findings
        if f.element == ("flows", "mis-third-party-support") and f.rule_id == "GDPR-PROCESSOR"
    ]
    # both branches of the duty, then what to record
    assert "if Third-party MIS support firm (not named) acts as a processor" in merged.message
    assert merged.message.endswith(
        "record whether the recipient acts as processor (an Art. 28 contract is then "
        "required) or as controller; agreement 'mis-support-agreement' (other) is on record "
        "with status unknown"
    )


def test_an_unrecorded_role_with_no_processor_duty_stays_the_agreement_rules_finding() -> None:
    found = [
        (f.rule_id, f.also, f.code, f.severity.value)
        for f in _concero().findings
        if f.element == ("flows", "card-payments") and "GDPR-AGREEMENT" in f.rule_ids
    ]
    # the sharing promise's request for the role (undecided_roles, info) is the same fact:
    # it joins the agreement rule's finding instead of adding one
    assert found == [
        (
            "GDPR-AGREEMENT",
            ("CONCERO-SHARE-PERMISSION", "CONCERO-PAYMENT-AGREEMENT"),
            "role-undecided",
            "medium",
        )
    ]


# A5: one missing consent, one finding; legitimate interests does not keep the promise


def _flow_findings(result: AuditResult, flow: str) -> list[tuple[str, tuple[str, ...], str, str]]:
    return [
        (f.rule_id, f.also, f.code, f.severity.value)
        for f in result.findings
        if f.element == ("flows", flow)
    ]


def test_a_missing_consent_is_the_missing_basis_and_permission_in_either_policy_order() -> None:
    fixture = HERE / "intro.yaml"
    permission, consent = HERE / "permission-policy.yaml", HERE / "consent-policy.yaml"
    for order in ([permission, consent], [consent, permission]):
        result = audit_files(fixture, user_policies=order)
        (merged,) = [
            f
            for f in result.findings
            if f.element == ("flows", "intro") and f.rule_id != "GDPR-AGREEMENT"
        ]
        assert (merged.rule_id, merged.also, merged.code, merged.severity.value) == (
            "GDPR-BASIS",
            ("TEST-INTRO-CONSENT", "TEST-PERMISSION"),
            "missing",
            "high",
        )
        assert merged.location is not None
        assert merged.location.line == line_of(fixture, "id: intro,")
        assert merged.message == (
            "no Art. 6 lawful basis is named; the promise is consent: rest the flow on consent "
            "with a consent record; Acme Ltd (controller) → UK Controller (independent "
            "controller): 'permission' is not recorded"
        )
        # legitimate interests, assessed and with a permission noted, is still not consent
        assert [f[:4] for f in _found(result, "TEST-INTRO-CONSENT") if f[1] == "intro-li"] == [
            ("flows", "intro-li", "not-consent", line_of(fixture, "id: intro-li"))
        ]
        # a permission gap with nothing else stays its own finding
        assert [f[1:3] for f in _found(result, "TEST-PERMISSION") if f[1] == "quote"] == [
            ("quote", "no-permission")
        ]


def test_concero_product_introductions_are_one_finding_asking_for_consent() -> None:
    flows = SHIPPED / "flows.yaml"
    result = _concero()
    assert [
        f for f in _flow_findings(result, "product-introductions") if f[2] != "sharing-missing"
    ] == [
        (
            "GDPR-BASIS",
            ("CONCERO-PRODUCT-INTRO-BASIS", "CONCERO-SHARE-PERMISSION"),
            "missing",
            "high",
        )
    ]
    (finding,) = [
        f
        for f in result.findings
        if f.element == ("flows", "product-introductions") and f.rule_id == "GDPR-BASIS"
    ]
    assert finding.location is not None
    assert finding.location.line == line_of(flows, "- id: product-introductions")
    assert "the promise is consent: rest the flow on consent with a consent record" in (
        finding.message
    )
    rule = next(r for r in result.rules if r.id == "CONCERO-PRODUCT-INTRO-BASIS")
    assert rule.kind == "consent_required"  # consent with a record, never legitimate interests


# A3: one missing contract with the schools, one finding naming the sub-processors


def test_the_schools_unauthorised_sub_processors_are_the_missing_contracts_one_finding() -> None:
    flows = SHIPPED / "flows.yaml"
    result = _concero()
    processor = [
        (f.rule_id, f.also, f.element[1], f.code, f.severity.value)
        for f in result.findings
        if ("GDPR-PROCESSOR" in f.rule_ids and f.code == "subprocessor-not-authorised")
        or "GDPR-PROCESSOR" in f.also
    ]
    assert processor == [
        ("GDPR-AGREEMENT", ("GDPR-PROCESSOR",), "school-server-work", "missing", "high"),
        # the MIS firm's role is another question (A4)
        (
            "GDPR-PROCESSOR",
            ("GDPR-AGREEMENT",),
            "mis-third-party-support",
            "subprocessor-not-authorised",
            "high",
        ),
    ]
    (finding,) = [
        f
        for f in result.findings
        if f.element == ("flows", "school-server-work") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert finding.location is not None
    assert finding.location.line == line_of(flows, "- id: school-server-work")
    assert finding.message == (
        "Customer schools (controller) → Concero Technology Services (processor): an Art. 28 "
        "contract is required; none is linked; it must authorise the 4 sub-processors the "
        "controller's data may reach (Art. 28(2)): Zendesk, Inc. (helpdesk-tickets), US hosting "
        "provider (not named) (hosting-us), EEA hosting provider (not named) (hosting-eea), UK "
        "hosting provider (not named) (hosting-uk)"
    )
    hosts = {"helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk"}
    assert not [
        f for f in result.findings if f.rule_id == "GDPR-PROCESSOR" and f.element[1] in hosts
    ]


# A7: a finding that rests on an assumed destination says so


def test_a_transfer_to_an_assumed_destination_says_it_is_to_be_verified() -> None:
    fixture = HERE / "assumed.yaml"
    found = {f[1]: f for f in _found(audit_files(fixture), "GDPR-TRANSFER")}
    invalid = (
        "EU-US Privacy Shield is invalid since 2020-07-16 (Commission Implementing Decision "
        "(EU) 2016/1250; CJEU C-311/18, judgment of 16 July 2020)"
    )
    assert found["to-guessed"][2:] == (
        "mechanism-invalid",
        line_of(fixture, "id: to-guessed"),
        _column(fixture, line_of(fixture, "id: to-guessed"), "transfer_mechanism"),
        "critical",
        invalid + " (destination assumed US, to be verified: the hosting region is not stated)",
    )
    assert found["to-known"][6] == invalid


def test_only_facts_a_check_turns_on_may_be_marked_assumed() -> None:
    import pytest

    from flowaudit.model.problems import InputError

    fixture = HERE / "assumed-bad.yaml"
    with pytest.raises(InputError) as raised:
        audit_files(fixture)
    assert f"assumed-bad.yaml:{line_of(fixture, 'assumed')}:" in str(raised.value)
    assert "name" in str(raised.value)


def test_concero_helpdesk_transfer_says_its_us_destination_is_assumed() -> None:
    (finding,) = [
        f
        for f in _concero().findings
        if f.element == ("flows", "helpdesk-tickets") and f.rule_id == "GDPR-TRANSFER"
    ]
    assert finding.also == ("CONCERO-TRANSFER",)
    assert finding.message == (
        '"By providing your data you agree to this transfer" is not a transfer mechanism: '
        "not valid consent (Art. 7) and not an Art. 49(1)(a) explicit consent (destination "
        "assumed US, to be verified: the notice does not state the Zendesk hosting region)"
    )


# A6: the notice's per-job permission is its own promise, not the missing contract again


def test_network_permission_is_the_notices_per_job_promise_at_medium() -> None:
    flows = SHIPPED / "flows.yaml"
    result = _concero()
    assert _found(result, "CONCERO-NETWORK-PERMISSION") == [
        (
            "flows",
            "school-server-work",
            "no-permission",
            line_of(flows, "- id: school-server-work"),
            5,
            "medium",
            "Customer schools (controller) → Concero Technology Services (processor): no record "
            "shows the customer's prior permission for each access to its network (N-NETWORK); "
            "record where it is kept (the job's approval)",
        )
    ]
    rule = next(r for r in result.rules if r.id == "CONCERO-NETWORK-PERMISSION")
    # it cites the law the promise is kept under (auditor's review 2026-12-02d, problem 3)
    assert (rule.references.notice, rule.references.legal) == (
        ["N-NETWORK"],
        ["UK GDPR Art. 28(3)(a)", "UK GDPR Art. 29", "UK GDPR Art. 5(2)"],
    )


def test_a_merged_finding_says_a_reason_once_when_one_rule_adds_its_grounds(
    tmp_path: object,
) -> None:
    """GDPR-BASIS and PECR-MARKETING-CONSENT both find consent record 'cr' short of the
    purpose; the law's words add why in brackets. The merged finding said the sentence twice
    ("... 'marketing' (consent is given to specific purposes, Art. 6(1)(a)); consent record
    'cr' does not cover the purpose 'marketing'"): it says it once, in the fuller words (DPO
    review 2026-12-02g, problem 10, scenario s30)."""
    from pathlib import Path

    path = Path(str(tmp_path)) / "marketing.yaml"
    path.write_text(
        "subjects:\n"
        "  - {id: consumers, name: Consumers, subscriber: individual}\n"
        "consent_records:\n"
        "  - {id: cr, method: unticked box, purposes: [support], affirmative_act: true,"
        " bundled_with_terms: false, evidence: log}\n"
        "flows:\n"
        "  - {id: news, from: acme, to: acme-db, categories: [contact.email],"
        " subjects: [consumers], purpose: marketing, basis: consent, consent_record: cr,"
        " opt_out: unsubscribe link in every email}\n",
        encoding="utf-8",
    )
    result = audit_files(path)
    line = line_of(path, "id: news")
    assert [
        (f.rule_id, f.also, *row)
        for f, row in zip(
            [f for f in result.findings if f.element == ("flows", "news")],
            _found(result, "GDPR-BASIS"),
            strict=True,
        )
    ] == [
        (
            "GDPR-BASIS",
            ("PECR-MARKETING-CONSENT",),
            "flows",
            "news",
            "purpose-not-consented",
            line,
            _column(path, line, "consent_record: cr"),
            "high",
            "consent record 'cr' does not cover the purpose 'marketing' (consent is given to "
            "specific purposes, Art. 6(1)(a))",
        )
    ]


# DPO review v, point 5: a missing contract in the middle of a sub-processor chain


@pytest.mark.parametrize(
    ("linked", "said"),
    [
        ("", "an Art. 28 contract is required; none is linked"),
        # a data sharing agreement linked in its place is no Art. 28 contract: the same gap
        (
            ", agreement: ie-dsa",
            "an Art. 28 contract is required (art28_dpa); agreement 'ie-dsa' is "
            "data_sharing_agreement",
        ),
    ],
)
def test_a_missing_contract_on_the_middle_hop_of_a_chain_is_one_finding(
    tmp_path: Path, linked: str, said: str
) -> None:
    """Acme -> UK host (authorised) -> Irish sub-processor engaged with no Art. 28 contract ->
    two sub-sub-processors (contracts signed). The agreement rule's missing contract on the
    middle hop and the sub-processing rule's "no authorisation to engage" on each onward flow
    were one gap found three times (a HIGH on the hop and a HIGH per onward flow): now one HIGH on
    the middle hop citing both rules, naming the onward flows it leaves unauthorised, which the
    reports count it on."""
    text = _MIDDLE_HOP.read_text(encoding="utf-8").replace(
        "subjects: [staff], purpose: support, basis: contract}",
        f"subjects: [staff], purpose: support, basis: contract{linked}}}",
    )
    _one_finding_on_the_middle_hop(tmp_path, text, "wrong-kind" if linked else "missing", said)


_MIDDLE_HOP = FIXTURES / "chains" / "middle-hop-contract-missing.yaml"


def _one_finding_on_the_middle_hop(
    tmp_path: Path, text: str, code: str, said: str, in_force: str = ""
) -> None:
    """The middle hop map ``text`` gives one HIGH, on the hop, citing the agreement and the
    sub-processing rules, naming the onward flows; those are neither found again nor passed
    by the sub-processing rule (``in_force``: " in force" where a contract is on record)."""
    fixture = tmp_path / "map.yaml"
    fixture.write_text(text, encoding="utf-8")
    result = audit_files(fixture, base=False)
    high = [
        (f.rule_id, f.also, f.element[1], f.code, f.location.line if f.location else 0, f.flows)
        for f in result.findings
        if f.severity.value in ("high", "critical")
    ]
    assert high == [
        (
            "GDPR-AGREEMENT",
            ("GDPR-SUBPROCESSING",),
            "uk-to-ie",
            code,
            line_of(fixture, "- {id: uk-to-ie"),
            ("ie-to-de", "ie-to-us"),  # in id order, whatever the map's order
        )
    ]
    (finding,) = [f for f in result.findings if "GDPR-SUBPROCESSING" in f.rule_ids]
    assert finding.message == (
        f"Leeds Hosting Ltd (processor) → Dublin Backup Ltd (sub-processor): {said}; "
        f"with no Art. 28 contract{in_force} between Leeds Hosting Ltd and "
        "Dublin Backup Ltd, Dublin Backup Ltd holds no authorisation to engage sub-processors "
        "(Art. 28(2), 28(4)), yet passes the data to Frankfurt Archive GmbH, Cold Storage Inc "
        "(flows ie-to-de, ie-to-us)"
    )
    # the onward flows are neither found again nor listed as passed by the sub-processing rule
    onward = {("flows", "ie-to-us"), ("flows", "ie-to-de")}
    assert not [
        f
        for f in result.findings
        if f.element in onward and {"GDPR-SUBPROCESSING", "GDPR-AGREEMENT"} & set(f.rule_ids)
    ]
    assert not [
        e for e in result.passed if e.rule_id == "GDPR-SUBPROCESSING" and e.element in onward
    ]


@pytest.mark.parametrize(
    ("contract", "code", "said"),
    [
        (
            "status: draft",
            "draft",
            "agreement 'ie-dpa' is a draft, not signed",
        ),
        (
            "status: signed, signed_on: 2020-01-01, expires_on: 2024-01-01, "
            "allows_subprocessing: true",
            "expired",
            "agreement 'ie-dpa' expired on 2024-01-01",
        ),
    ],
)
def test_a_contract_not_in_force_on_the_middle_hop_of_a_chain_is_one_finding(
    tmp_path: Path, contract: str, code: str, said: str
) -> None:
    """The middle hop's Art. 28 contract is on record but not in force. A draft gave a HIGH on
    the hop and a HIGH per onward flow; an expired contract that allowed sub-processing let
    the onward flows pass, as if it still bound the sub-processor. A contract not in force
    passes on no authorisation (Art. 28(4)): one HIGH on the hop, citing both rules, naming
    the onward flows."""
    text = (
        _MIDDLE_HOP.read_text(encoding="utf-8")
        .replace(
            "categories: [{id: contact,",
            "  - {id: ie-dpa, kind: art28_dpa, parties: [ukproc, ieproc], "
            f"{contract}, categories: [contact], evidence: DPA}}\ncategories: [{{id: contact,",
        )
        .replace(
            "subjects: [staff], purpose: support, basis: contract}",
            "subjects: [staff], purpose: support, basis: contract, agreement: ie-dpa}",
        )
    )
    _one_finding_on_the_middle_hop(tmp_path, text, code, said, in_force=" in force")
