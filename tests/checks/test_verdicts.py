"""Verdicts a DPO would sign: roles, contract parties, one finding per problem, severities,
vocabulary warnings and closed vocabularies at validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import load_map
from flowaudit.model.problems import InputError
from flowaudit.policies.legal import load_legal_table
from tests.helpers import BASE, FIXTURES, audit_files, line_of, run

FOLDER = FIXTURES / "checks" / "verdicts"
ROLES = FOLDER / "roles.yaml"
POLICIES = FOLDER / "policies"


def _audit() -> AuditResult:
    return audit_files(ROLES, user_policies=[POLICIES / "policy.yaml"])


def _on(result: AuditResult, flow: str) -> list[tuple[tuple[str, ...], str, str]]:
    return sorted(
        (f.rule_ids, f.code, f.severity.value)
        for f in result.findings
        if f.element == ("flows", flow)
    )


def test_permission_only_for_controllers_and_not_for_the_notice_carve_outs() -> None:
    result = _audit()
    asked = sorted(f.element[1] for f in result.findings if "TEST-PERMISSION" in f.rule_ids)
    # to-processor: a processor is not "sharing"; to-mis: N-MIS carve-out; payments: role unknown
    assert asked == ["to-partner"]


def test_a_controller_to_controller_gap_is_low_and_a_processor_gap_high() -> None:
    result = _audit()
    assert _on(result, "to-partner") == [
        (("GDPR-AGREEMENT",), "sharing-missing", "low"),
        (("TEST-PERMISSION",), "no-permission", "medium"),
    ]
    assert _on(result, "to-processor") == [(("GDPR-AGREEMENT",), "missing", "high")]
    message = next(f.message for f in result.findings if f.element == ("flows", "to-processor"))
    assert message == (
        "Acme Ltd (controller) → UK Processor (processor): an Art. 28 contract is required; "
        "none is linked"
    )


def test_a_notice_that_promises_a_sharing_agreement_carries_the_severity() -> None:
    # the law: a controller-to-controller agreement is good practice (low); the notice
    # promises one for payment processors (high): one finding, led by the notice's rule
    assert _on(_audit(), "to-acquirer") == [
        (("TEST-PAYMENT", "GDPR-AGREEMENT"), "sharing-missing", "high")
    ]


def test_two_rules_on_one_problem_are_one_finding_citing_both() -> None:
    result = _audit()
    assert _on(result, "to-payments") == [
        (("GDPR-AGREEMENT", "TEST-PAYMENT"), "role-undecided", "medium")
    ]
    finding = next(f for f in result.findings if f.element == ("flows", "to-payments"))
    notice, legal = result.references_of(finding)
    assert notice == ["N-THIRDPARTY"] and "UK GDPR Art. 28(3)" in legal
    assert len(result.findings) == len({(f.element, f.code) for f in result.findings})


def test_contract_needs_the_subjects_to_be_party_to_it_one_finding_per_subject() -> None:
    result = _audit()
    assert _on(result, "staff-contract") == []
    assert _on(result, "trader-contract") == []
    found = [
        (f.element, f.code, f.severity.value, f.location.line if f.location else 0)
        for f in result.findings
        if f.code == "contract-not-party"
    ]
    assert found == [
        (
            ("subjects", "client_staff"),
            "contract-not-party",
            "high",
            line_of(ROLES, "client_staff"),
        ),
        (("subjects", "pupils"), "contract-not-party", "high", line_of(BASE, "id: pupils")),
    ]
    message = next(f.message for f in result.findings if f.element == ("subjects", "client_staff"))
    assert message == (
        "Client staff are not party to the contract, yet 1 flow rests on contract (Art. "
        "6(1)(b)) for them (staff-contract): use legitimate interests (Art. 6(1)(f)) with a "
        "legitimate interests assessment, or record party_to_contract: true where they are the "
        "customer"
    )
    passed = {e.element for e in result.passed if e.rule_id == "GDPR-BASIS"}
    assert ("flows", "trader-contract") in passed
    assert ("flows", "staff-contract") not in passed


def test_forbidden_subjects_on_one_flow_are_one_finding_and_may_carry_is_apart() -> None:
    result = _audit()
    assert _on(result, "pupils-ticket") == [(("TEST-PUPILS",), "subject", "critical")]
    assert _on(result, "may-pupils") == [(("TEST-PUPILS",), "may-subject", "high")]
    may = next(f for f in result.findings if f.element == ("flows", "may-pupils"))
    assert may.message == "may carry data about Pupils, which is forbidden: free text"
    assert may.location is not None and may.location.line == line_of(ROLES, "may_carry")


def test_a_policy_naming_an_undeclared_subject_warns_in_every_output() -> None:
    result = _audit()
    assert result.warnings == (
        "TEST-PUPILS names the data subject 'students', which the map never declares "
        "(as an id or fides_key): the rule cannot see it; check the spelling",
        "TEST-PUPILS names the data subject 'parents', which the map never declares "
        "(as an id or fides_key): the rule cannot see it; check the spelling",
        "TEST-PUPILS names the data subject 'pupil', which the map never declares "
        "(as an id or fides_key): the rule cannot see it; check the spelling",
    )
    args = [str(BASE), str(ROLES), "--policies", str(POLICIES), "--as-of", "2026-11-25"]
    for fmt in ("text", "json", "sarif", "junit", "markdown", "github"):
        output = run(["check", *args, "--format", fmt]).output
        assert "pupil" in output and "never declares" in output, fmt


def test_law_rules_cite_no_notice_clause() -> None:
    from flowaudit.policies.loader import load_policies

    for rule in load_policies(["uk-gdpr", "hygiene"]).rules:
        assert rule.references.notice == [], rule.id


def test_complaints_duty_binds_uk_controllers_only() -> None:
    legal = load_legal_table()
    from datetime import date

    assert legal.duty_applies("complaints_procedure", "UK", date(2026, 6, 19)) is not None
    assert legal.duty_applies("complaints_procedure", "UK", date(2026, 6, 18)) is None
    assert legal.duty_applies("complaints_procedure", "EU", date(2027, 1, 1)) is None


def test_validate_rejects_unknown_closed_vocabulary_values_with_a_suggestion() -> None:
    bad = FIXTURES / "checks" / "vocabulary" / "bad.yaml"
    result = run(["validate", str(BASE), str(bad)])
    assert result.exit_code == 2
    lines = [line.split("vocabulary/bad.yaml", 1)[-1] for line in result.output.splitlines()]
    rel = ""
    assert (
        f"{rel}:7:20: unknown listed_under 'uk_extention' (did you mean 'uk_extension'?)" in lines
    )
    assert (
        f"{rel}:15:5: unknown basis 'legal obligation' (did you mean 'legal_obligation'?)" in lines
    )
    assert any(line.startswith(f"{rel}:16:5: unknown transfer_mechanism") for line in lines)
    assert (
        f"{rel}:17:5: unknown art9_condition 'explicit consnet' (did you mean "
        "'explicit_consent'?)" in lines
    )


def test_validate_rejects_unknown_art10_conditions_and_notice_items() -> None:
    """Art. 10 conditions and the keys of notice_content are closed lists of the legal table:
    a value it does not know is an input error at its place with the nearest known value (it
    was a finding of check only; review 2026-12-02d, problem 2). The list of conditions is
    every regime's: member_state_law (EU) passes validation, and the rule judges it."""
    bad = FIXTURES / "checks" / "vocabulary" / "art10_notice.yaml"
    result = run(["validate", str(bad)])
    assert result.exit_code == 2
    lines = [
        line.split("vocabulary/art10_notice.yaml", 1)[-1] for line in result.output.splitlines()
    ]
    assert lines == [
        ":10:5: unknown notice_content key 'legitimate_interest' (did you mean "
        "'legitimate_interests'?)",
        ":11:5: unknown notice_content key 'transfer' (did you mean 'transfer_safeguards'?)",
        ":19:128: unknown art10_condition 'employment_social_security' (did you mean "
        "'employment'?)",
        ":20:126: unknown art10_condition 'safeguarding children' (did you mean "
        "'safeguarding_children'?)",
        ":21:131: unknown art10_condition 'because we want to'; known values: consent, "
        # official_authority and statutory_purposes: DPO review 2026-12-03s, problem 3
        "employment, legal_claims, member_state_law, official_authority, "
        "preventing_unlawful_acts, safeguarding_children, statutory_purposes",
        "flowaudit: 5 input problems; nothing was checked",
    ]


def test_adequacy_written_as_a_mechanism_is_told_to_leave_the_field_out(tmp_path: Path) -> None:
    """`transfer_mechanism: adequacy` (or none) is no mechanism: the error says that a
    transfer to an adequate country leaves the field out (review 2026-12-02d, problem 10)."""
    flows = tmp_path / "flows.yaml"
    flow = (
        "  - {{id: {0}, from: acme, to: uk-proc, categories: [contact], subjects: [staff], "
        "purpose: support, basis: contract, transfer_mechanism: {1}}}\n"
    )
    flows.write_text(
        "flows:\n" + flow.format("a", "adequacy") + flow.format("b", "none"), encoding="utf-8"
    )
    result = run(["validate", str(BASE), str(flows)])
    assert result.exit_code == 2
    for line, written in ((2, "adequacy"), (3, "none")):
        assert (
            f"flows.yaml:{line}:115: unknown transfer_mechanism '{written}': a transfer to an "
            "adequate country needs no mechanism, so leave transfer_mechanism out; known values: "
            "art49_derogation, "
        ) in result.output


def test_an_art10_condition_of_another_regime_is_judged_by_the_rule(tmp_path: Path) -> None:
    source = FIXTURES / "checks" / "vocabulary" / "art10_notice.yaml"
    text = source.read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in text
        if not line.strip().startswith(("legitimate_interest:", "transfer:"))
        and not any(f"id: {flow}," in line for flow in ("dbs-checks", "dbs-typo", "dbs-free-text"))
    ]
    path = tmp_path / "map.yaml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run(["check", str(path), "--as-of", "2026-11-25"])
    assert result.exit_code == 1, result.output
    assert (
        "HIGH GDPR-ART10 flows/eu-condition: 'member_state_law' is not an Art. 10 condition "
        "for a UK controller; known: employment, preventing_unlawful_acts, "
        "safeguarding_children, consent, legal_claims"
    ) in result.output


def test_validate_rejects_wrong_types() -> None:
    bad = FIXTURES / "checks" / "vocabulary" / "types.yaml"
    with pytest.raises(InputError) as error:
        load_map([bad])
    messages = [str(p).split("vocabulary/types.yaml", 1)[-1] for p in error.value.problems]
    assert messages == [
        ":6:3: dsar_days: expected a whole number, not true",
        ":7:3: complaints_procedure: expected true or false, not 'yes'",
    ]


def test_a_rule_may_name_a_subject_by_its_shared_vocabulary_key() -> None:
    vocab = FOLDER / "vocab.yaml"
    result = audit_files(
        vocab, policies=(), user_policies=[FOLDER / "vocab-policies" / "policy.yaml"]
    )
    found = sorted((f.rule_id, f.element[1], f.code) for f in result.findings)
    assert found == [
        ("TEST-NO-STUDENTS", "learner-records", "subject"),
        ("TEST-STUDENT-FLOWS", "learner-records", "no-permission"),
    ]
    # 'student' is declared through the vocabulary; the misspelt category is not
    assert result.warnings == (
        "TEST-NO-CARDS names the data category 'paymnet', which the map never declares: "
        "the rule cannot see it; check the spelling",
    )


def test_an_eu_organisation_is_not_asked_for_the_uk_complaints_procedure(tmp_path: Path) -> None:
    organisation = (FIXTURES / "base" / "acme.yaml").read_text(encoding="utf-8")
    eu = organisation.replace("country: GB\n  regime: UK", "country: IE\n  regime: EU").replace(
        "complaints_procedure: true", "complaints_procedure: false"
    )
    assert eu != organisation
    (tmp_path / "eu.yaml").write_text(eu, encoding="utf-8")
    (tmp_path / "uk.yaml").write_text(
        organisation.replace("complaints_procedure: true", "complaints_procedure: false"),
        encoding="utf-8",
    )

    def codes(path: Path) -> list[str]:
        result = audit_files(path, base=False)
        return [f.code for f in result.findings if f.rule_id == "GDPR-RIGHTS"]

    assert codes(tmp_path / "uk.yaml") == ["no-complaints-procedure"]
    assert codes(tmp_path / "eu.yaml") == []


def test_validate_names_the_nearest_value_of_an_enumerated_field(tmp_path: Path) -> None:
    bad = tmp_path / "enum.yaml"
    bad.write_text(
        "agreements:\n  - {id: a, kind: art28, parties: [acme, uk-proc], status: sigend}\n",
        encoding="utf-8",
    )
    result = run(["validate", str(BASE), str(bad)])
    assert result.exit_code == 2
    lines = [line.split("enum.yaml", 1)[-1] for line in result.output.splitlines()]
    assert lines[0].startswith(":2:13: kind: 'art28' is not one of art28_dpa, ")
    assert lines[0].endswith("(did you mean 'art28_dpa'?)")
    assert lines[1] == (
        ":2:52: status: 'sigend' is not one of signed, draft, unknown (did you mean 'signed'?)"
    )


def test_a_finding_names_twenty_flows_and_counts_the_rest(tmp_path: Path) -> None:
    """A dense 100,000-flow map's one subject-level finding once named every flow: a message
    of 1.4 million characters, 784 printed pages, a CSV cell 43 times Excel's limit. Twenty
    names, then the count; the finding still says how many flows rest on contract."""
    flows = "".join(
        f"  - {{id: f{n:02d}, from: acme, to: acme-db, categories: [contact],"
        " subjects: [client_staff], purpose: support, basis: contract}\n"
        for n in range(25)
    )
    many = tmp_path / "many.yaml"
    many.write_text(
        "subjects:\n  - {id: client_staff, name: Client staff, party_to_contract: false}\n"
        f"flows:\n{flows}",
        encoding="utf-8",
    )
    result = audit_files(many)
    (message,) = [f.message for f in result.findings if f.code == "contract-not-party"]
    named = ", ".join(f"f{n:02d}" for n in range(20))
    assert message == (
        f"Client staff are not party to the contract, yet 25 flows rest on contract (Art. "
        f"6(1)(b)) for them ({named} and 5 more): use legitimate interests (Art. 6(1)(f)) with "
        "a legitimate interests assessment, or record party_to_contract: true where they are "
        "the customer"
    )
