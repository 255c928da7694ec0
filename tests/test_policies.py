"""Shipped policies: every promise clause enforced, generated docs fresh, user rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from flowaudit.model.problems import InputError
from flowaudit.policies.clauses import load_clauses
from flowaudit.policies.loader import LAW_POLICIES, load_policies, shipped_policy_names
from flowaudit.reports.rules_doc import render_clause_table, render_rules_markdown
from tests.helpers import BASE, FIXTURES, run, write_onward_rules

DOCS = Path(__file__).parent.parent / "docs"
SHOP = Path(__file__).parent.parent / "model" / "examples" / "shop"
NOTICE = Path(__file__).parent.parent.parent / "shared" / "notice" / "CLAUSES.md"


def all_shipped():  # type: ignore[no-untyped-def]
    return load_policies([*LAW_POLICIES, "concero-notice"])


def test_every_promise_clause_has_a_rule() -> None:
    cited = {ref for rule in all_shipped().rules for ref in rule.references.notice}
    promises = [c.id for c in load_clauses("concero-notice") if c.promise]
    assert len(promises) == 19
    assert [c for c in promises if c not in cited] == []


def test_clause_table_lists_every_clause_of_the_notice() -> None:
    ids = [c.id for c in load_clauses("concero-notice")]
    assert len(ids) == len(set(ids)) == 24
    if NOTICE.is_file():  # shared/ stands beside the repository in CI and here
        text = NOTICE.read_text(encoding="utf-8")
        table = [
            line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| N-")
        ]
        assert ids == table


def test_generated_docs_are_fresh() -> None:
    policies = all_shipped()
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == render_rules_markdown(policies), (
        "docs/rules.md is stale: run `nox -s docs`"
    )
    assert (DOCS / "clauses.md").read_text(encoding="utf-8") == render_clause_table(
        load_clauses("concero-notice"), policies
    ), "docs/clauses.md is stale: run `nox -s docs`"


def test_shipped_policy_names() -> None:
    assert shipped_policy_names() == ["concero-notice", "hygiene", "uk-gdpr"]
    with pytest.raises(InputError, match="no shipped policy named 'gdpr'"):
        load_policies(["gdpr"])


def test_rules_and_explain_commands() -> None:
    listing = run(["rules"])
    assert listing.exit_code == 0
    assert listing.output.count("\n") == len(all_shipped().rules)
    explained = run(["explain", "concero-pupils"])
    assert explained.exit_code == 0
    assert explained.output.startswith(
        "CONCERO-PUPILS: The notice's statement that Concero holds no pupil, student or parent "
        "data is true\nseverity: critical"
    )
    for heading in ("Why", "References", "How to fix", "Compliant", "Non-compliant"):
        assert f"\n{heading}\n" in explained.output
    unknown = run(["explain", "CONCERO-PUPIL"])
    assert unknown.exit_code == 2
    assert "no rule CONCERO-PUPIL (did you mean 'CONCERO-PUPILS'?)" in unknown.output


USER = FIXTURES / "policies"


def test_user_policy_adds_a_rule_and_overrides_on_the_record() -> None:
    result = run(
        [
            "check",
            str(BASE),
            str(FIXTURES / "cli" / "clean.yaml"),
            "--as-of",
            "2026-11-25",
            "--policies",
            str(USER / "good"),
        ]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert (
        any(" MEDIUM ACME-NO-INDIA (N-ABROAD) flows/to-processor:" in line for line in lines)
        is False
    )
    assert any(" LOW ACME-EMAIL-OWNER flows/to-processor: " in line for line in lines)
    assert (
        "Override: HYG-NOTICE-CLAUSE off (tests/fixtures/policies/good/acme.yaml: "
        "We cite clauses in the flow descriptions instead, owner Jane Doe, DPO)"
    ) in result.output
    assert (
        "Override: GDPR-TRANSFER severity medium (tests/fixtures/policies/good/acme.yaml: "
        "Board accepted transfer risk pending IDTA, minute 2026-14, owner Board)"
    ) in result.output
    assert (
        "Override: HYG-AGREEMENT-EXPIRY severity info, within_days=90 "
        "(tests/fixtures/policies/good/acme.yaml: Our suppliers need three months to renew)"
    ) in result.output


def test_override_settings_are_validated_at_file_line(tmp_path: Path) -> None:
    policy = tmp_path / "o.yaml"
    policy.write_text(
        "policy: {id: o, title: O}\noverrides:\n  - rule: HYG-AGREEMENT-EXPIRY\n"
        "    set: {within_days: soon}\n    justification: j\n"
        "  - rule: HYG-WAIVER\n    set: {kind: forbidden}\n    justification: j\n"
        # the regimes a law binds: set to another, it would turn the rule's findings to info
        "  - rule: PECR-MARKETING-CONSENT\n    set: {regimes: [CH]}\n    justification: j\n"
        # nor the codes said nothing of under another regime (DPO review 2026-12-03r,
        # problem 5): set wider, they would silence another regime's notes
        "  - rule: GDPR-TRANSFER\n    set: {unsaid_elsewhere: {'*': every_flow}}\n"
        "    justification: j\n"
        # nor the facts a rule's findings yield to (DPO review 2026-12-03u, problem 11): set
        # on a law rule, they would drop its findings beside any other rule's fact
        "  - rule: GDPR-BASIS\n    set: {moot_beside: {'*': [basis-missing]}}\n"
        "    justification: j\n"
    )
    with pytest.raises(InputError) as caught:
        load_policies(LAW_POLICIES, [policy])
    assert [str(p) for p in caught.value.problems] == [
        f"{policy}:4:11: within_days: 'soon' is not a whole number of days (e.g. 28)",
        f"{policy}:7:5: 'set' cannot change kind",
        f"{policy}:10:5: 'set' cannot change regimes",
        f"{policy}:13:5: 'set' cannot change unsaid_elsewhere",
        f"{policy}:16:5: 'set' cannot change moot_beside",
    ]


def test_user_policy_with_a_typo_exits_2_at_file_line() -> None:
    bad = USER / "bad" / "typo.yaml"
    result = run(["check", str(BASE), "--policies", str(USER / "bad")])
    assert result.exit_code == 2
    shown = bad.relative_to(Path.cwd())
    # one typo, one problem: the misspelt field says the field it means is required, and no
    # second problem says that field is missing (newcomer review s18)
    assert result.output.splitlines()[0] == (
        f"{shown}:12:5: unknown field 'severty' (did you mean 'severity', a required field?)"
    )
    assert "missing required field 'severity'" not in result.output
    assert (
        f"{shown}:17:5: unknown rule kind 'categories_allowd' (did you mean 'categories_allowed'?)"
    ) in result.output
    assert (
        f"{shown}:21:5: override names unknown rule 'GDPR-TRANSFR' (did you mean 'GDPR-TRANSFER'?)"
    ) in result.output
    assert result.output.endswith("flowaudit: 3 input problems; nothing was checked\n")


def test_shipped_concero_map_cites_the_clause_of_every_broken_promise() -> None:
    result = run(["check", str(shipped_map_dir()), "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    for expected in (
        "CRITICAL CONCERO-PUPILS (N-PUPILS) flows/school-server-work: carries data about "
        "Pupils, Students, Parents: Concero handles them as the school's processor, "
        "which contradicts the notice's statement",
        "HIGH CONCERO-PUPILS (N-PUPILS) flows/helpdesk-tickets: may carry data about Pupils, "
        "Students, Parents: support tickets take",
        "HIGH GDPR-BASIS + CONCERO-MARKETING-CONSENT (N-MARKETING, N-PURPOSE) "
        "flows/marketing-contacts: consent is the basis but no consent record",
        "LOW GDPR-AGREEMENT + CONCERO-TRAINING-AGREEMENT (N-CURRICULUM) "
        "flows/training-accreditation: ",
        "MEDIUM CONCERO-NETWORK-PERMISSION (N-NETWORK) flows/school-server-work: "
        "Customer schools (controller) → Concero Technology Services (processor): "
        "no record shows the customer's prior permission for each access to its network",
    ):
        assert expected in result.output, expected


def test_the_policy_in_the_docs_loads_and_runs(tmp_path: Path) -> None:
    text = (DOCS / "policies.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    policy = tmp_path / "house.yaml"
    policy.write_text(block, encoding="utf-8")
    # the law's policies alone: the example runs on any map, not only Concero's (auditor
    # review 2026-12-03y, problem 6: it switched off a concero-notice rule, and a newcomer's
    # map refused it)
    loaded = load_policies(LAW_POLICIES, [policy])
    ids = [rule.id for rule in loaded.rules]
    assert ids[-2:] == ["ACME-ISP-CATEGORIES", "ACME-APPROVED-SUPPLIERS"]
    assert [o.rule_id for o in loaded.overrides] == [
        "HYG-AGREEMENT-EVIDENCE",
        "HYG-AGREEMENT-EXPIRY",
    ]
    starter = tmp_path / "my-map"
    assert run(["init", str(starter), "--name", "Acme Ltd", "--country", "GB"]).exit_code == 0
    for map_args, exit_code in (([str(starter)], 1), ([str(SHOP)], 0), ([], 1)):
        result = run(["check", *map_args, "--as-of", "2026-11-25", "--policies", str(policy)])
        assert result.exit_code == exit_code, result.output
        assert "Override: HYG-AGREEMENT-EVIDENCE off (" in result.output
        finding = r"(CRITICAL|HIGH|MEDIUM|LOW|INFO) HYG-AGREEMENT-EVIDENCE"
        assert not re.search(finding, result.output)
        assert "input problem" not in result.output


def test_an_override_of_a_rule_no_policy_loaded_has_names_the_policies_loaded(
    tmp_path: Path,
) -> None:
    """Auditor review 2026-12-03y, problem 6: an override of a concero-notice rule, on a map
    that does not select concero-notice, was "override names unknown rule", though the docs
    named the rule. The error names the shipped policy that has it, the policies loaded and
    the fix; a rule no policy has says which were loaded."""
    policy = tmp_path / "house.yaml"
    policy.write_text(
        "policy: {id: house, title: House}\noverrides:\n"
        "  - rule: CONCERO-SHARE-PERMISSION\n    enabled: false\n    justification: CRM\n"
        "  - rule: HYG-AGREEMENT-EXPIRE\n    enabled: false\n    justification: typo\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_policies(LAW_POLICIES, [policy])
    loaded = f"shipped uk-gdpr, hygiene; files {policy}"
    assert [str(p) for p in raised.value.problems] == [
        f"{policy}:3:5: override names rule 'CONCERO-SHARE-PERMISSION' of the shipped policy "
        f"concero-notice, which is not among the policies loaded ({loaded}): select "
        "concero-notice in the map's organisation.policies (or --require-policy "
        "concero-notice) if it applies to you, else remove the override",
        f"{policy}:6:5: override names unknown rule 'HYG-AGREEMENT-EXPIRE' (did you mean "
        f"'HYG-AGREEMENT-EXPIRY'?): no policy loaded has it ({loaded})",
    ]
    # with concero-notice loaded, the same override applies
    policy.write_text(
        "policy: {id: house, title: House}\noverrides:\n"
        "  - rule: CONCERO-SHARE-PERMISSION\n    enabled: false\n    justification: CRM\n",
        encoding="utf-8",
    )
    selected = load_policies([*LAW_POLICIES, "concero-notice"], [policy])
    assert [o.rule_id for o in selected.overrides] == ["CONCERO-SHARE-PERMISSION"]


def test_policy_errors_say_what_to_write(tmp_path: Path) -> None:
    """A newcomer's three policy mistakes, each told what to write (newcomer review N9): a
    file without its header, a misspelt match field (told the match's own fields, not the
    rule's), and a header before every other problem of the file."""
    policy = tmp_path / "x.yaml"
    policy.write_text(
        "rules:\n  - id: X-ONE\n    kind: categories_allowed\n    title: t\n"
        "    severity: high\n    rationale: r\n    references: {notice: [PN-X]}\n    fix: f\n"
        "    match: {recipient_kind: [payroll]}\n    allowed: [contact.name]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_policies((), [policy])
    assert [str(p) for p in raised.value.problems] == [
        f"{policy}:1:1: no 'policy:' header: a policy file starts with its id and title "
        "(policy: {id: my-policy, title: What it checks})",
        f"{policy}:9:13: unknown field 'recipient_kind' (did you mean 'recipient_kinds'?)",
    ]


def test_an_override_with_an_invisible_reason_or_owner_is_refused_at_file_line(
    tmp_path: Path,
) -> None:
    """As a waiver's: a rule switched off 'because \\u200b' is switched off for no reason a
    reviewer can read (attack review 2026-12-02d, hole 6)."""
    policy = tmp_path / "o.yaml"
    policy.write_text(
        "policy: {id: o, title: O}\noverrides:\n  - rule: GDPR-BASIS\n    enabled: false\n"
        '    justification: "\\u200b"\n    owner: "\\u2800 "\n',
        encoding="utf-8",
    )
    result = run(["check", str(BASE), "--policies", str(policy)])
    assert result.exit_code == 2
    blank = (
        "must not be blank (invisible characters do not count): an accepted risk or a changed "
        "rule needs a named owner and a real reason"
    )
    assert result.output.splitlines()[:2] == [
        f"{policy}:5:5: justification: {blank}",
        f"{policy}:6:5: owner: {blank}",
    ]


def test_a_condition_rule_may_not_take_the_code_of_a_failing_expression(
    tmp_path: Path,
) -> None:
    """One code for a verdict and for a broken expression would let one waiver or grade
    cover both (attack review 2026-12-02e, hole 3)."""
    policy = tmp_path / "o.yaml"
    policy.write_text(
        "policy: {id: o, title: O}\nrules:\n  - id: ACME-CHECK\n    kind: condition\n"
        "    title: t\n    severity: low\n    rationale: r\n    references: {legal: [x]}\n"
        "    fix: f\n    expression: 'true'\n    message: m\n    code: not-boolean\n",
        encoding="utf-8",
    )
    result = run(["check", str(BASE), "--policies", str(policy)])
    assert result.exit_code == 2
    assert (
        f"{policy}:12:5: code: 'not-boolean' is the code of an expression that fails or gives "
        "no boolean; name the problem the rule finds"
    ) in result.output


def test_a_house_policy_may_not_take_a_shipped_policys_id(tmp_path: Path) -> None:
    """A house policy declaring itself `hygiene` was trusted as the law where merged findings
    are graded, and lowered the law's critical finding to info (attack review 2026-12-02f,
    hole 1): a house policy's id is its own."""
    policy = tmp_path / "p.yaml"
    policy.write_text("policy: {id: hygiene, title: Fake}\nrules: []\n", encoding="utf-8")
    result = run(["check", "--policies", str(policy), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert (
        f"{policy}:1:10: policy id 'hygiene' is a shipped policy's: give the house policy an "
        "id of its own"
    ) in result.output


def test_more_than_eight_onward_rules_are_refused_at_the_ninth(tmp_path: Path) -> None:
    """Each onward rule is a chain search of the whole map: 60 copies in a pull request's
    policy file took check on a dense 20,000-flow map from 5 s to 53 s (attack review
    2026-12-03k, problem 5). The shipped policies define two; a house file adding seven
    more is refused at the ninth, located, and nothing is checked."""
    house = write_onward_rules(tmp_path, 7)
    with pytest.raises(InputError) as caught:
        load_policies(["uk-gdpr", "concero-notice"], [str(house)])
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "house.yaml:9:26: rule 'HOUSE-ONWARD-6': the policies define more than 8 rules of "
        "kind 'onward', each a search of the whole map; join them (a rule's match and "
        "limits can say what several say)"
    ]


def test_a_forbidden_rules_children_read_as_is_one_of_its_subjects(tmp_path: Path) -> None:
    """children_read_as names the forbidden subject a subject marked children reads as (DPO
    review 2026-12-03l, problem 10): one the rule does not list is refused, located."""
    house = tmp_path / "house.yaml"
    house.write_text(
        "policy: {id: house, title: House}\n"
        "rules:\n"
        "  - {id: HOUSE-NO-PUPILS, kind: forbidden, title: T, severity: high, rationale: r,"
        " references: {legal: [x]}, fix: f, subjects: [students], children_read_as: pupils}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_policies(["uk-gdpr"], [str(house)])
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "house.yaml:3:5: value: children_read_as 'pupils' is not one of the rule's subjects "
        "(students)"
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [("true", "true"), ('"30"', "the text '30': write it unquoted"), ("30.0", "30.0")],
)
def test_a_policy_number_takes_only_a_whole_number(
    tmp_path: Path, written: str, shown: str
) -> None:
    """Attack review 2026-12-03r, problem 3, in the policy files: a rule's `max_days: true`
    was read as 1 day (and `"30"`, `30.0` as 30), in a rule as in an override's `set`. The
    policies' whole numbers take the map's type now: refused, located."""
    policy = tmp_path / "house.yaml"
    policy.write_text(
        "policy: {id: house, title: House}\nrules:\n  - id: HOUSE-RET\n    kind: retention\n"
        "    title: Keep briefly\n    severity: low\n    rationale: r\n"
        f"    references: {{legal: [x]}}\n    fix: f\n    max_days: {written}\n"
        "overrides:\n  - rule: HYG-AGREEMENT-EXPIRY\n"
        f"    set: {{within_days: {written}}}\n    justification: j\n"
    )
    with pytest.raises(InputError) as caught:
        load_policies(LAW_POLICIES, [policy])
    assert [str(p) for p in caught.value.problems] == [
        f"{policy}:10:5: max_days: expected a whole number, not {shown}",
        f"{policy}:13:11: within_days: expected a whole number, not {shown}",
    ]
